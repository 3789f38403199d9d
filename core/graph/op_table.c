/* The graph's distinct ops (graph_internal.h, "op ids"). */
#include <config.h>

#include <string.h>

#include "error.h"
#include "graph_internal.h"
#include "grow.h"
#include "strmap.h"

struct hs_op_entry {
	UT_hash_handle hh;
	uint32_t id;
};

/* Id 0 is the empty op (a node without one), so a zeroed node reads "". */
static int add_op(uint32_t *id, hs_graph *g, hs_str op)
{
	hs_op_table *t = &g->ops;
	if (t->n == UINT32_MAX)
		return hs_fail(HS_ELIMIT, "more than %u distinct ops", UINT32_MAX - 1);
	if (hs_grow((void **)&t->names, &t->cap, (size_t)t->n + 1, sizeof *t->names, 16))
		return hs_fail(HS_ENOMEM, "out of memory for %u ops", t->n + 1);
	struct hs_op_entry *e = hs_arena_alloc(&t->arena, sizeof *e);
	if (!e)
		return HS_ENOMEM;
	e->id = t->n;
	t->names[t->n++] = op;
	int rc;
	HS_STRMAP_ADD(hh, t->map, op.len ? op.ptr : "", op.len, e, rc);
	if (rc) {
		t->n--;
		return rc;
	}
	*id = e->id;
	return HS_OK;
}

int hs_op_table_init(hs_graph *g)
{
	uint32_t id;
	return add_op(&id, g, (hs_str){ "", 0 });
}

int hs_op_find(const hs_graph *g, hs_str op, uint32_t *id)
{
	struct hs_op_entry *e;
	HASH_FIND(hh, g->ops.map, op.len ? op.ptr : "", op.len, e);
	if (e)
		*id = e->id;
	return e != NULL;
}

int hs_op_intern(uint32_t *id, hs_graph *g, hs_str op)
{
	return hs_op_find(g, op, id) ? HS_OK : add_op(id, g, op);
}

void hs_op_table_free(hs_graph *g)
{
	hs_op_table *t = &g->ops;
	HASH_CLEAR(hh, t->map);
	hs_arena_free(&t->arena);
	free(t->names);
	memset(t, 0, sizeof *t);
}
