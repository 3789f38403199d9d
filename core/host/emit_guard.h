/* Keeping `emit` to the stub and the nodes of its own call.  While a
 * guard is active on a thread, the editing members of the host table
 * refuse every node of the guarded graph whose id is below the guard's
 * first id (the nodes that existed when the call's conversion began):
 * the host removes what a failing call added, but it could not undo an
 * edit of a node it did not add.  Private to libhintstub. */
#ifndef HS_EMIT_GUARD_H
#define HS_EMIT_GUARD_H

#include <stdint.h>

#include "hintstub/graph.h"

typedef struct hs_emit_guard {
	const hs_graph *g;
	uint32_t first_id;   /* nodes with a smaller id are read-only */
} hs_emit_guard;

/* Guards g from here on (saving the previous guard into *saved); every
 * node whose id is at least first_id may be edited. */
void hs_emit_guard_begin(hs_emit_guard *saved, const hs_graph *g, uint32_t first_id);
void hs_emit_guard_end(const hs_emit_guard *saved);

/* HS_OK, or HS_EPLUGIN naming the node when the guard forbids editing n. */
int hs_emit_guard_check(const hs_node *n, const char *what);

/* The guarded editing functions of the host table (registry.c), with the
 * signatures of the graph functions they wrap. */
int hs_guarded_remove_node(hs_graph *g, hs_node *n);
int hs_guarded_rewire(size_t *changed, hs_graph *g, const hs_node *from, int from_port,
		      const char *to);
int hs_guarded_add_input(hs_node *n, const char *input);
int hs_guarded_set_input(hs_node *n, size_t i, const char *input);
int hs_guarded_set_inputs(hs_node *n, const char *const *inputs, size_t count);
int hs_guarded_set_device(hs_node *n, const char *device);
int hs_guarded_set_attr_raw(hs_node *n, const char *key, hs_str encoded);
int hs_guarded_set_attr_s(hs_node *n, const char *key, hs_str value);
int hs_guarded_set_attr_i(hs_node *n, const char *key, int64_t value);
int hs_guarded_set_attr_f(hs_node *n, const char *key, float value);
int hs_guarded_set_attr_b(hs_node *n, const char *key, int value);
int hs_guarded_set_attr_type(hs_node *n, const char *key, int dtype);
int hs_guarded_set_attr_list_i(hs_node *n, const char *key, const int64_t *values,
			       size_t count);
int hs_guarded_set_attr_list_type(hs_node *n, const char *key, const int *values,
				  size_t count);
int hs_guarded_remove_attr(hs_node *n, const char *key);

#endif
