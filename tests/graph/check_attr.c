/* Attribute entries read through the one iterator (core/attr_iter.h):
 * keys and values as a node reads after edits. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static hs_graph *one_node(void)
{
	tu_graph *t = tu_graph_new();
	Tensorflow__NodeDef *n = tu_node(t, "n", "Const", NULL);
	tu_attr_i(n, "dtype", 1);
	tu_attr_s(n, "_tflite_function_name", "f");
	tu_attr_i(n, "dtype", 2); /* repeated key: the last entry wins */
	tu_attr_f(n, "value", 0.5f);
	hs_graph *g = tu_graph_load(t);
	tu_graph_free(t);
	ck_assert_ptr_nonnull(g);
	return g;
}

static void expect_keys(const hs_node *n, const char *const *want, size_t count)
{
	ck_assert_uint_eq(hs_node_attr_count(n), count);
	for (size_t i = 0; i < count; i++)
		ck_assert(hs_str_eq(hs_node_attr_key(n, i), want[i]));
	ck_assert_uint_eq(hs_node_attr_key(n, count).len, 0);
}

START_TEST(test_keys_of_original_entries)
{
	hs_graph *g = one_node();
	hs_node *n = hs_graph_find_node(g, "n", 1);
	static const char *const want[] = { "dtype", "_tflite_function_name",
					    "dtype", "value" };
	expect_keys(n, want, 4);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, n, "dtype"), HS_OK);
	ck_assert_int_eq(a.v.type, 2);
	hs_graph_free(g);
}
END_TEST

/* Removed keys go, replaced values stay in place, new keys follow in key
 * order; lookups agree with the listing. */
START_TEST(test_keys_and_values_after_edits)
{
	hs_graph *g = one_node();
	hs_node *n = hs_graph_find_node(g, "n", 1);
	ck_assert_int_eq(hs_node_remove_attr(n, "_tflite_function_name"), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_i(n, "zeta", 9), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_type(n, "dtype", 3), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_i(n, "alpha", 8), HS_OK);
	ck_assert_int_eq(hs_node_remove_attr(n, "never_there"), HS_OK);
	static const char *const want[] = { "dtype", "dtype", "value", "alpha", "zeta" };
	expect_keys(n, want, 5);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, n, "dtype"), HS_OK);
	ck_assert_int_eq(a.v.type, 3);
	ck_assert_int_eq(hs_node_attr(&a, n, "_tflite_function_name"), HS_ENOTFOUND);
	ck_assert_int_eq(hs_node_attr(&a, n, "alpha"), HS_OK);
	ck_assert_int_eq(a.v.i, 8);
	ck_assert_int_eq(hs_node_attr(&a, n, "value"), HS_OK);
	ck_assert(a.v.f == 0.5f);
	hs_graph_free(g);
}
END_TEST

/* A new node has no original bytes: its attributes are its edits. */
START_TEST(test_keys_of_new_node)
{
	hs_graph *g = one_node();
	hs_node *m = NULL;
	ck_assert_int_eq(hs_graph_add_node(&m, g, "m", "NoOp", NULL), HS_OK);
	expect_keys(m, NULL, 0);
	ck_assert_int_eq(hs_node_set_attr_i(m, "b", 1), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_i(m, "a", 2), HS_OK);
	static const char *const want[] = { "a", "b" };
	expect_keys(m, want, 2);
	hs_graph_free(g);
}
END_TEST

/* Edit records are found by node: new nodes' by their id, original nodes'
 * through a table (graph.c).  Many of both, edited in turns and a second
 * time, each read back its own values, as written and loaded again. */
START_TEST(test_records_of_many_nodes)
{
	enum { N = 300 };
	tu_graph *t = tu_graph_new();
	char name[32];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "o%d", i);
		tu_node(t, name, "NoOp", NULL);
	}
	hs_graph *g = tu_graph_load(t);
	tu_graph_free(t);
	ck_assert_ptr_nonnull(g);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < N; i++) {
			snprintf(name, sizeof name, "o%d", (i * 7) % N);
			hs_node *o = hs_graph_find_node(g, name, strlen(name));
			ck_assert_int_eq(hs_node_set_attr_i(o, round ? "r" : "k", (i * 7) % N), HS_OK);
			snprintf(name, sizeof name, "m%d", i);
			hs_node *m = round ? hs_graph_find_node(g, name, strlen(name)) : NULL;
			if (!round)
				ck_assert_int_eq(hs_graph_add_node(&m, g, name, "NoOp", NULL), HS_OK);
			ck_assert_int_eq(hs_node_set_attr_i(m, round ? "r" : "k", -i), HS_OK);
		}
	void *bytes = NULL;
	size_t size = 0;
	hs_graph *copy = NULL;
	ck_assert_int_eq(hs_graph_write_buffer(&bytes, &size, g), HS_OK);
	ck_assert_int_eq(hs_graph_load_buffer(&copy, bytes, size, "copy", NULL), HS_OK);
	for (int pass = 0; pass < 2; pass++) {
		hs_graph *h = pass ? copy : g;
		for (int i = 0; i < N; i++) {
			hs_attr a;
			snprintf(name, sizeof name, "o%d", i);
			hs_node *o = hs_graph_find_node(h, name, strlen(name));
			ck_assert_int_eq(hs_node_attr(&a, o, "k"), HS_OK);
			ck_assert_int_eq(a.v.i, i);
			ck_assert_int_eq(hs_node_attr(&a, o, "r"), HS_OK);
			ck_assert_int_eq(a.v.i, i);
			snprintf(name, sizeof name, "m%d", i);
			hs_node *m = hs_graph_find_node(h, name, strlen(name));
			ck_assert_int_eq(hs_node_attr(&a, m, "k"), HS_OK);
			ck_assert_int_eq(a.v.i, -i);
			ck_assert_int_eq(hs_node_attr(&a, m, "r"), HS_OK);
			ck_assert_int_eq(a.v.i, -i);
		}
	}
	hs_graph_free(copy);
	hs_free(bytes);
	hs_graph_free(g);
}
END_TEST

static Suite *attr_suite(void)
{
	Suite *s = suite_create("attr");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_keys_of_original_entries);
	tcase_add_test(tc, test_keys_and_values_after_edits);
	tcase_add_test(tc, test_keys_of_new_node);
	tcase_add_test(tc, test_records_of_many_nodes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(attr_suite()); }
