/* Regions' node ids (core/calls/callset.c, hs_region_reserve): the
 * blocks the regions of a graph share.  Linked with the internal
 * libraries: these functions are not exported. */
#include <config.h>

#include <check.h>
#include <string.h>

#include "calls_internal.h"
#include "testutil.h"

/* x -> b */
static hs_graph *graph_of_two(tu_graph **t)
{
	*t = tu_graph_new();
	tu_node(*t, "x", "Placeholder", NULL);
	tu_node(*t, "b", "Neg", "x", NULL);
	return tu_graph_load(*t);
}

/* Regions hold ids in blocks their graph's regions share: each reads its
 * own run, a full block or another graph's starts a new one, a large
 * region has one of its own and leaves the shared block to the next. */
START_TEST(test_region_blocks)
{
	tu_graph *t, *t2;
	hs_graph *g = graph_of_two(&t), *g2 = graph_of_two(&t2);
	ck_assert(g && g2);
	hs_node *x = hs_graph_find_node(g, "x", 1), *b = hs_graph_find_node(g, "b", 1);
	hs_arena a = { 0 };
	hs_region_block *cur = NULL;
	hs_region r1, r2, big, other, none;
	ck_assert_int_eq(hs_region_reserve(&none, &a, &cur, g, 0), HS_OK);
	ck_assert_ptr_null(cur);
	ck_assert_uint_eq(hs_region_node_count(&none), 0);
	ck_assert_ptr_null(hs_region_node(&none, 0));
	ck_assert_int_eq(hs_region_reserve(&r1, &a, &cur, g, 2), HS_OK);
	hs_region_ids(&r1)[0] = hs_node_id(b);
	hs_region_ids(&r1)[1] = hs_node_id(x);
	ck_assert_int_eq(hs_region_reserve(&r2, &a, &cur, g, 1), HS_OK);
	hs_region_ids(&r2)[0] = hs_node_id(x);
	ck_assert_ptr_eq(r1.block, r2.block);
	ck_assert_uint_eq(r2.first, 2);
	ck_assert_ptr_eq(hs_region_node(&r1, 0), b);
	ck_assert_ptr_eq(hs_region_node(&r1, 1), x);
	ck_assert_ptr_null(hs_region_node(&r1, 2));
	ck_assert_ptr_eq(hs_region_node(&r2, 0), x);
	size_t room = cur->cap - cur->used;
	ck_assert_int_eq(hs_region_reserve(&big, &a, &cur, g, room + 1), HS_OK);
	ck_assert_ptr_ne(big.block, r1.block);
	ck_assert_ptr_eq(cur, r1.block); /* large: a block of its own */
	ck_assert_uint_eq(big.block->cap, room + 1);
	ck_assert_int_eq(hs_region_reserve(&other, &a, &cur, g2, 1), HS_OK);
	ck_assert_ptr_ne(other.block, r1.block);
	hs_region_ids(&other)[0] = hs_node_id(x);
	ck_assert_ptr_eq(hs_region_node(&other, 0), hs_graph_find_node(g2, "x", 1));
	/* A region of given nodes is sized exactly. */
	hs_node *v[2] = { x, b };
	ck_assert_int_eq(hs_region_of_nodes(&r1, &a, g, v, 2), HS_OK);
	ck_assert_uint_eq(r1.block->cap, 2);
	ck_assert_ptr_eq(hs_region_node(&r1, 1), b);
	hs_arena_free(&a);
	hs_graph_free(g);
	hs_graph_free(g2);
	tu_graph_free(t);
	tu_graph_free(t2);
}
END_TEST

static Suite *region_suite(void)
{
	Suite *s = suite_create("region");
	TCase *t = tcase_create("region");
	tcase_add_test(t, test_region_blocks);
	suite_add_tcase(s, t);
	return s;
}

int main(void) { return tu_run(region_suite()); }
