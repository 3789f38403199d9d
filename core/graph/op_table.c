/* The graph's distinct ops (graph_internal.h, "op ids"), found by name
 * through the keyed table every name lookup uses (core/util/keytable.h);
 * the keys attribute edits use are a table of the same kind. */
#include <config.h>

#include <string.h>

#include "error.h"
#include "graph_internal.h"
#include "grow.h"
#include "hash.h"

typedef struct op_key {
	const hs_op_table *t;
	hs_str op;
} op_key;

static int same_op(const void *ctx, uint32_t id)
{
	const op_key *k = ctx;
	hs_str s = k->t->names[id];
	return s.len == k->op.len && (!s.len || memcmp(s.ptr, k->op.ptr, s.len) == 0);
}

static uint32_t op_hash(hs_str op)
{
	return (uint32_t)hs_hash(op.len ? op.ptr : "", op.len);
}

/* Id 0 is the empty op (a node without one), so a zeroed node reads "". */
static int add_op(uint32_t *id, hs_op_table *t, hs_str op, uint32_t hash)
{
	if (t->n == UINT32_MAX)
		return hs_fail(HS_ELIMIT, "more than %u distinct ops", UINT32_MAX - 1);
	size_t live_cap = t->cap;
	if (hs_grow((void **)&t->live, &live_cap, (size_t)t->n + 1, sizeof *t->live, 16) ||
	    hs_grow((void **)&t->names, &t->cap, (size_t)t->n + 1, sizeof *t->names, 16) ||
	    hs_key_table_reserve(&t->by_name, t->n))
		return hs_fail(HS_ENOMEM, "out of memory for %u ops", t->n + 1);
	*id = t->n;
	t->live[t->n] = 0;
	t->names[t->n++] = op;
	hs_key_table_put_new(&t->by_name, *id, hash);
	return HS_OK;
}

int hs_op_table_init(hs_graph *g)
{
	uint32_t id;
	return add_op(&id, &g->ops, (hs_str){ "", 0 }, op_hash((hs_str){ "", 0 }));
}

/* The slot of op, or -1 (hash taken once for both uses). */
static int find_op(const hs_op_table *t, hs_str op, uint32_t hash, uint32_t *id)
{
	op_key k = { t, op };
	int found = 0;
	size_t slot = t->by_name.slots
		? hs_key_table_probe(&t->by_name, hash, same_op, &k, &found) : 0;
	if (found)
		*id = hs_key_table_id(&t->by_name, slot);
	return found;
}

int hs_string_find(const hs_op_table *t, hs_str s, uint32_t *id)
{
	return find_op(t, s, op_hash(s), id);
}

int hs_string_intern(uint32_t *id, hs_op_table *t, hs_str s)
{
	uint32_t hash = op_hash(s);
	return find_op(t, s, hash, id) ? HS_OK : add_op(id, t, s, hash);
}

int hs_op_find(const hs_graph *g, hs_str op, uint32_t *id)
{
	return hs_string_find(&g->ops, op, id);
}

int hs_op_intern(uint32_t *id, hs_graph *g, hs_str op)
{
	return hs_string_intern(id, &g->ops, op);
}

void hs_op_table_free(hs_graph *g)
{
	hs_string_table_free(&g->ops);
}

void hs_string_table_free(hs_op_table *t)
{
	hs_key_table_free(&t->by_name);
	free(t->names);
	free(t->live);
	memset(t, 0, sizeof *t);
}
