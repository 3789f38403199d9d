/* The function library (core/graph/library.c): indexed by signature name
 * over the graph's bytes, bodies loaded as scopes with their arguments,
 * pruning of what nothing refers to. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "library.h"
#include "run.h"
#include "testutil.h"

#define GRAPH HS_TEST_DATA "/dynrnn_bidi.pbtxt"
#define FW_BODY "bidirectional_rnn_fw_rnn_while_body_0"

static hs_graph *load(void)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, GRAPH, NULL), HS_OK);
	return g;
}

static hs_str str(const char *s) { return (hs_str){ s, strlen(s) }; }

START_TEST(test_index_and_bodies)
{
	hs_graph *g = load();
	hs_library *lib;
	ck_assert_int_eq(hs_library_open(&lib, g), HS_OK);
	ck_assert_uint_eq(lib->n, 4);
	const hs_function *f = hs_library_find(lib, str(FW_BODY));
	ck_assert_ptr_nonnull(f);
	ck_assert(hs_str_eq(f->name, FW_BODY));
	ck_assert_ptr_null(hs_library_find(lib, str("bidirectional_rnn_fw_rnn_while_body")));
	ck_assert_ptr_null(hs_library_find(lib, str("")));
	ck_assert_ptr_nonnull(hs_library_find(lib, str("bidirectional_rnn_bw_rnn_while_cond_2")));
	hs_graph *body;
	ck_assert_int_eq(hs_library_load_body(&body, lib, f), HS_OK);
	/* A view of the graph's bytes, not a copy. */
	ck_assert(body->bytes >= g->bytes && body->bytes + body->size <= g->bytes + g->size);
	/* As many arguments as the While has inputs; args read as such. */
	const hs_node *loop = hs_graph_find_node(g, "bidirectional_rnn/fw/rnn/while", 30);
	ck_assert_ptr_nonnull(loop);
	ck_assert_uint_eq(body->n_args, hs_node_input_count(loop));
	ck_assert_int_eq(hs_scope_find_arg(body, str("time")), 2);
	ck_assert_int_eq(hs_scope_reads_arg(body, str("time")), 1);
	const hs_node *add = hs_graph_find_node(body, "add", 3);
	ck_assert_ptr_nonnull(add);
	ck_assert_ptr_null(hs_node_input_node(add, 0, NULL));
	ck_assert_int_eq(hs_graph_verify(body), HS_OK);
	hs_graph_free(body);
	hs_library_free(lib);
	hs_graph_free(g);
}
END_TEST

/* A body loads under the limits its graph was loaded with: one node fits
 * the graph's --max-nodes 2, the body's four do not. */
static const char FOUR_NODE_BODY[] =
	"node { name: \"x\" op: \"Placeholder\" }\n"
	"library { function { signature { name: \"f\" }\n"
	"  node_def { name: \"a\" op: \"NoOp\" } node_def { name: \"b\" op: \"NoOp\" }\n"
	"  node_def { name: \"c\" op: \"NoOp\" } node_def { name: \"d\" op: \"NoOp\" } } }\n";

/* The body's node count (0 when it failed to load, *rc saying why). */
static size_t body_nodes_under(uint64_t max_nodes, int *rc)
{
	hs_load_options o = HS_LOAD_OPTIONS_INIT;
	o.max_nodes = max_nodes;
	hs_graph *g = NULL, *body = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, FOUR_NODE_BODY, strlen(FOUR_NODE_BODY), "t", &o),
			 HS_OK);
	hs_library *lib;
	ck_assert_int_eq(hs_library_open(&lib, g), HS_OK);
	const hs_function *f = hs_library_find(lib, str("f"));
	ck_assert_ptr_nonnull(f);
	*rc = hs_library_load_body(&body, lib, f);
	size_t n = body ? hs_graph_node_count(body) : 0;
	hs_graph_free(body);
	hs_library_free(lib);
	hs_graph_free(g);
	return n;
}

START_TEST(test_body_limits)
{
	int rc;
	ck_assert_uint_eq(body_nodes_under(0, &rc), 4);
	ck_assert_int_eq(rc, HS_OK);
	ck_assert_uint_eq(body_nodes_under(2, &rc), 0);
	ck_assert_int_eq(rc, HS_ELIMIT);
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "limit of 2"));
}
END_TEST

START_TEST(test_no_library)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	hs_graph *g = tu_graph_load(t);
	hs_library *lib;
	ck_assert_int_eq(hs_library_open(&lib, g), HS_OK);
	ck_assert_uint_eq(lib->n, 0);
	ck_assert_ptr_null(hs_library_find(lib, str("f")));
	hs_library_free(lib);
	size_t dropped = 99;
	ck_assert_int_eq(hs_graph_prune_library(&dropped, g), HS_OK);
	ck_assert_uint_eq(dropped, 0);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* Every function is used (While body and cond): nothing changes, byte
 * for byte.  Without the loops nothing is used. */
START_TEST(test_prune)
{
	hs_graph *g = load();
	void *before, *after;
	size_t lb, la, dropped = 99;
	ck_assert_int_eq(hs_graph_write_buffer(&before, &lb, g), HS_OK);
	ck_assert_int_eq(hs_graph_prune_library(&dropped, g), HS_OK);
	ck_assert_uint_eq(dropped, 0);
	ck_assert_int_eq(hs_graph_write_buffer(&after, &la, g), HS_OK);
	ck_assert_uint_eq(la, lb);
	ck_assert_int_eq(memcmp(before, after, la), 0);
	free(after);
	hs_node *fw = hs_graph_find_node(g, "bidirectional_rnn/fw/rnn/while", 30);
	ck_assert_int_eq(hs_graph_remove_node(g, fw), HS_OK);
	ck_assert_int_eq(hs_graph_prune_library(&dropped, g), HS_OK);
	ck_assert_uint_eq(dropped, 2);
	hs_library *lib;
	ck_assert_int_eq(hs_library_open(&lib, g), HS_OK);
	ck_assert_uint_eq(lib->n, 2);
	ck_assert_ptr_null(hs_library_find(lib, str(FW_BODY)));
	ck_assert_ptr_nonnull(hs_library_find(lib, str("bidirectional_rnn_bw_rnn_while_body_2")));
	hs_library_free(lib);
	free(before);
	hs_graph_free(g);
}
END_TEST

static Suite *library_suite(void)
{
	Suite *s = suite_create("library");
	TCase *t = tcase_create("library");
	tcase_add_test(t, test_index_and_bodies);
	tcase_add_test(t, test_no_library);
	tcase_add_test(t, test_body_limits);
	tcase_add_test(t, test_prune);
	suite_add_tcase(s, t);
	return s;
}

int main(void) { return tu_run(library_suite()); }
