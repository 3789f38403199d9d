/* The emit guard (emit_guard.h) and the guarded editing functions of the
 * host table.  Each wrapper checks the node it edits (and, for rewire,
 * the readers it would rewrite), then calls the graph's own function. */
#include <config.h>

#include "emit_guard.h"
#include "error.h"
#include "graph_internal.h"

static _Thread_local hs_emit_guard guard;

void hs_emit_guard_begin(hs_emit_guard *saved, const hs_graph *g, uint32_t first_id)
{
	*saved = guard;
	guard.g = g;
	guard.first_id = first_id;
}

void hs_emit_guard_end(const hs_emit_guard *saved)
{
	guard = *saved;
}

int hs_emit_guard_check(const hs_node *n, const char *what)
{
	if (!n || !guard.g || n->graph != guard.g || hs_node_id(n) >= guard.first_id)
		return HS_OK;
	return hs_fail(HS_EPLUGIN,
		       "%s: node '%.*s' existed before this call; emit may edit only the stub and the nodes it adds",
		       what, (int)(hs_name_of(n).len < 200 ? hs_name_of(n).len : 200), hs_name_of(n).ptr);
}

#define GUARD(n, what)                                    \
	do {                                              \
		int guard_rc_ = hs_emit_guard_check(n, what); \
		if (guard_rc_)                            \
			return guard_rc_;                 \
	} while (0)

int hs_guarded_remove_node(hs_graph *g, hs_node *n)
{
	GUARD(n, "graph_remove_node");
	return hs_graph_remove_node(g, n);
}

int hs_guarded_rewire(size_t *changed, hs_graph *g, const hs_node *from, int from_port,
		      const char *to)
{
	if (from && guard.g == g)
		for (size_t i = 0; i < hs_node_consumer_count(from); i++)
			GUARD(hs_node_consumer(from, i), "graph_rewire");
	return hs_graph_rewire(changed, g, from, from_port, to);
}

int hs_guarded_add_input(hs_node *n, const char *input)
{
	GUARD(n, "node_add_input");
	return hs_node_add_input(n, input);
}

int hs_guarded_set_input(hs_node *n, size_t i, const char *input)
{
	GUARD(n, "node_set_input");
	return hs_node_set_input(n, i, input);
}

int hs_guarded_set_inputs(hs_node *n, const char *const *inputs, size_t count)
{
	GUARD(n, "node_set_inputs");
	return hs_node_set_inputs(n, inputs, count);
}

int hs_guarded_set_device(hs_node *n, const char *device)
{
	GUARD(n, "node_set_device");
	return hs_node_set_device(n, device);
}

/* node_set_attr_X(n, key, value): check n, then the graph's setter. */
#define GUARDED_SETTER(X, T)                                          \
	int hs_guarded_set_attr_##X(hs_node *n, const char *key, T value) \
	{                                                             \
		GUARD(n, "node_set_attr_" #X);                        \
		return hs_node_set_attr_##X(n, key, value);           \
	}
GUARDED_SETTER(raw, hs_str)
GUARDED_SETTER(s, hs_str)
GUARDED_SETTER(i, int64_t)
GUARDED_SETTER(f, float)
GUARDED_SETTER(b, int)
GUARDED_SETTER(type, int)

int hs_guarded_set_attr_list_i(hs_node *n, const char *key, const int64_t *values,
			       size_t count)
{
	GUARD(n, "node_set_attr_list_i");
	return hs_node_set_attr_list_i(n, key, values, count);
}

int hs_guarded_set_attr_list_type(hs_node *n, const char *key, const int *values,
				  size_t count)
{
	GUARD(n, "node_set_attr_list_type");
	return hs_node_set_attr_list_type(n, key, values, count);
}

int hs_guarded_remove_attr(hs_node *n, const char *key)
{
	GUARD(n, "node_remove_attr");
	return hs_node_remove_attr(n, key);
}
