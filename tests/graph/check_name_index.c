/* The graph's name index (core/name_index.c) and the placement of
 * non-node GraphDef fields among the nodes when writing. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static hs_graph *chain_graph(size_t n)
{
	tu_graph *t = tu_graph_new();
	char name[32], prev[32];
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, "scope/node_%zu", i);
		if (i == 0)
			tu_node(t, name, "Const", NULL);
		else
			tu_node(t, name, "Identity", prev, NULL);
		strcpy(prev, name);
	}
	hs_graph *g = tu_graph_load(t);
	tu_graph_free(t);
	ck_assert_ptr_nonnull(g);
	return g;
}

START_TEST(test_find_every_loaded_node)
{
	hs_graph *g = chain_graph(5000);
	char name[32];
	for (size_t i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "scope/node_%zu", i);
		hs_node *n = hs_graph_find_node(g, name, strlen(name));
		ck_assert_ptr_nonnull(n);
		ck_assert(hs_str_eq(hs_node_name(n), name));
		if (i)
			ck_assert_uint_eq(hs_node_input_count(n), 1);
	}
	ck_assert_ptr_null(hs_graph_find_node(g, "scope/node_5000", 15));
	ck_assert_ptr_null(hs_graph_find_node(g, "scope/node_1", 11)); /* prefix */
	ck_assert_ptr_null(hs_graph_find_node(g, "", 0));
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_duplicate_name_rejected_at_load)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "a", "Const", NULL);
	tu_node(t, "b", "Const", NULL);
	tu_node(t, "a", "Const", NULL);
	hs_graph *g = tu_graph_load(t);
	ck_assert_ptr_null(g);
	ck_assert_int_eq(hs_error_last_code(), HS_EGRAPH);
	ck_assert(strstr(hs_error_last(), "duplicate node name 'a'") != NULL);
	tu_graph_free(t);
}
END_TEST

/* Many adds and removes: the table grows, deleted slots are reused or
 * dropped, and lookups stay exact. */
START_TEST(test_add_remove_churn)
{
	hs_graph *g = chain_graph(100);
	char name[32];
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 500; i++) {
			snprintf(name, sizeof name, "new/%d/%d", round, i);
			ck_assert_int_eq(hs_graph_add_node(NULL, g, name, "NoOp", NULL), HS_OK);
		}
		for (int i = 0; i < 500; i += 2) {
			snprintf(name, sizeof name, "new/%d/%d", round, i);
			hs_node *n = hs_graph_find_node(g, name, strlen(name));
			ck_assert_ptr_nonnull(n);
			ck_assert_int_eq(hs_graph_remove_node(g, n), HS_OK);
			ck_assert_ptr_null(hs_graph_find_node(g, name, strlen(name)));
		}
	}
	ck_assert_uint_eq(hs_graph_node_count(g), 100 + 20 * 250);
	for (int round = 0; round < 20; round++)
		for (int i = 0; i < 500; i++) {
			snprintf(name, sizeof name, "new/%d/%d", round, i);
			hs_node *n = hs_graph_find_node(g, name, strlen(name));
			ck_assert((n != NULL) == (i % 2 == 1));
		}
	/* a removed name can be taken again; a live one cannot */
	ck_assert_int_eq(hs_graph_add_node(NULL, g, "new/0/0", "NoOp", NULL), HS_OK);
	ck_assert_int_eq(hs_graph_add_node(NULL, g, "new/0/1", "NoOp", NULL), HS_EEXISTS);
	ck_assert_int_eq(hs_graph_add_node(NULL, g, "scope/node_7", "NoOp", NULL), HS_EEXISTS);
	hs_node *n = hs_graph_find_node(g, "scope/node_7", 12);
	ck_assert_int_eq(hs_graph_remove_node(g, n), HS_OK);
	ck_assert_ptr_null(hs_graph_find_node(g, "scope/node_7", 12));
	ck_assert_ptr_nonnull(hs_graph_find_node(g, "scope/node_8", 12));
	hs_graph_free(g);
}
END_TEST

/* Removing a node and adding another of the same name: the readers of
 * the old one (whose text names the new one in the written graph) read
 * the new one in memory too; so does an input set before its producer
 * was added. */
START_TEST(test_readers_follow_a_replaced_name)
{
	hs_graph *g = chain_graph(3);
	hs_node *old = hs_graph_find_node(g, "scope/node_1", 12);
	hs_node *reader = hs_graph_find_node(g, "scope/node_2", 12);
	ck_assert_int_eq(hs_graph_remove_node(g, old), HS_OK);
	ck_assert_int_ne(hs_graph_verify(g), HS_OK);
	hs_node *fresh = NULL;
	ck_assert_int_eq(hs_graph_add_node(&fresh, g, "scope/node_1", "Const", NULL), HS_OK);
	int port = -2;
	ck_assert_ptr_eq(hs_node_input_node(reader, 0, &port), fresh);
	ck_assert_int_eq(port, 0);
	ck_assert_uint_eq(hs_node_consumer_count(fresh), 1);
	ck_assert_ptr_eq(hs_node_consumer(fresh, 0), reader);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);

	/* an input naming a node that does not exist yet */
	ck_assert_int_eq(hs_node_add_input(fresh, "later:1"), HS_OK);
	ck_assert_int_eq(hs_node_add_input(fresh, "^later"), HS_OK);
	ck_assert_int_ne(hs_graph_verify(g), HS_OK);
	hs_node *later = NULL;
	ck_assert_int_eq(hs_graph_add_node(&later, g, "later", "Const", NULL), HS_OK);
	ck_assert_ptr_eq(hs_node_input_node(fresh, 0, &port), later);
	ck_assert_int_eq(port, 1);
	ck_assert_ptr_eq(hs_node_input_node(fresh, 1, &port), later);
	ck_assert_int_lt(port, 0);
	ck_assert_uint_eq(hs_node_consumer_count(later), 2);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);

	/* readers that went away, or were rewritten, take nothing over */
	hs_node *n0 = hs_graph_find_node(g, "scope/node_0", 12);
	ck_assert_int_eq(hs_graph_remove_node(g, later), HS_OK);
	ck_assert_int_eq(hs_graph_remove_node(g, fresh), HS_OK);
	ck_assert_int_eq(hs_graph_remove_node(g, n0), HS_OK);
	ck_assert_int_eq(hs_node_set_input(reader, 0, "scope/node_0"), HS_OK);
	ck_assert_int_eq(hs_graph_add_node(&later, g, "later", "Const", NULL), HS_OK);
	ck_assert_uint_eq(hs_node_consumer_count(later), 0);
	ck_assert_int_eq(hs_graph_add_node(&fresh, g, "scope/node_1", "Const", NULL), HS_OK);
	ck_assert_uint_eq(hs_node_consumer_count(fresh), 0);
	ck_assert_int_ne(hs_graph_verify(g), HS_OK);
	ck_assert_int_eq(hs_graph_add_node(&n0, g, "scope/node_0", "Const", NULL), HS_OK);
	ck_assert_ptr_eq(hs_node_input_node(reader, 0, &port), n0);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_graph_free(g);
}
END_TEST

/* node a, versions, node b, library, node c: the non-node fields stay
 * where they were, and a new node anchored after `a` goes between a and
 * the versions field. */
START_TEST(test_fields_between_nodes_keep_their_place)
{
	static const uint8_t in[] = {
		0x0a, 0x06, 0x0a, 0x01, 'a', 0x12, 0x01, 'X',  /* node a */
		0x22, 0x02, 0x08, 0x1b,                        /* versions */
		0x0a, 0x06, 0x0a, 0x01, 'b', 0x12, 0x01, 'X',  /* node b */
		0x12, 0x00,                                    /* library */
		0x0a, 0x06, 0x0a, 0x01, 'c', 0x12, 0x01, 'X',  /* node c */
	};
	size_t out_len;
	uint8_t *out = tu_roundtrip(in, sizeof in, &out_len);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(out_len, sizeof in);
	ck_assert_int_eq(memcmp(in, out, sizeof in), 0);
	free(out);

	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, in, sizeof in, "t", NULL), HS_OK);
	hs_node *a = hs_graph_find_node(g, "a", 1), *c = hs_graph_find_node(g, "c", 1);
	ck_assert_int_eq(hs_graph_add_node(NULL, g, "n", "Y", a), HS_OK);
	ck_assert_int_eq(hs_graph_add_node(NULL, g, "t", "Y", NULL), HS_OK);
	ck_assert_int_eq(hs_graph_remove_node(g, c), HS_OK);
	void *buf;
	ck_assert_int_eq(hs_graph_write_buffer(&buf, &out_len, g), HS_OK);
	static const uint8_t want[] = {
		0x0a, 0x06, 0x0a, 0x01, 'a', 0x12, 0x01, 'X',
		0x0a, 0x06, 0x0a, 0x01, 'n', 0x12, 0x01, 'Y',
		0x22, 0x02, 0x08, 0x1b,
		0x0a, 0x06, 0x0a, 0x01, 'b', 0x12, 0x01, 'X',
		0x12, 0x00,
		0x0a, 0x06, 0x0a, 0x01, 't', 0x12, 0x01, 'Y',
	};
	ck_assert_uint_eq(out_len, sizeof want);
	ck_assert_int_eq(memcmp(buf, want, sizeof want), 0);
	hs_free(buf);
	hs_graph_free(g);
}
END_TEST

static Suite *name_index_suite(void)
{
	Suite *s = suite_create("name_index");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_find_every_loaded_node);
	tcase_add_test(tc, test_duplicate_name_rejected_at_load);
	tcase_add_test(tc, test_add_remove_churn);
	tcase_add_test(tc, test_readers_follow_a_replaced_name);
	tcase_add_test(tc, test_fields_between_nodes_keep_their_place);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(name_index_suite()); }
