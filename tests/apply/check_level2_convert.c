/* Converting level-2 calls through the library (hs_convert): each loop
 * becomes its L chained stubs (spec §2.6), nothing of the loop is left,
 * every user node stays (also the head whose names the body uses), the
 * graph verifies, --tf-exact names and --prune-library.  The graph is
 * tests/data/dynrnn_bidi.pbtxt (tests/data/dynrnn.py). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "hintstub/hintstub.h"
#include "hintstub/plugin.h"
#include "run.h"
#include "testutil.h"

#define GRAPH HS_TEST_DATA "/dynrnn_bidi.pbtxt"
#define FW1 "fc000000000000000000000000000001"
#define FW2 "fc000000000000000000000000000002"
#define BW1 "bc000000000000000000000000000001"
#define BW2 "bc000000000000000000000000000002"
#define FW_IN "bidirectional_rnn/fw/rnn/InputHint-TfLiteDynamicRnn-f0000000000000000000000000000000-0-None-input"
#define FW_OUT "bidirectional_rnn/fw/rnn/OutputHint-TfLiteDynamicRnn-f0000000000000000000000000000000-0-None-outputs"

static hs_graph *load(void)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, GRAPH, NULL), HS_OK);
	return g;
}

static const hs_node *node(const hs_graph *g, const char *name)
{
	return hs_graph_find_node(g, name, strlen(name));
}

static int input_is(const hs_node *n, size_t i, const char *text)
{
	return n && i < hs_node_input_count(n) && hs_str_eq(hs_node_input(n, i), text);
}

static size_t count_ops(const hs_graph *g, const char *prefix)
{
	size_t k = 0;
	for (hs_node *n = hs_graph_next_node(g, NULL); n; n = hs_graph_next_node(g, n))
		k += hs_node_op(n).len >= strlen(prefix) &&
		     !memcmp(hs_node_op(n).ptr, prefix, strlen(prefix));
	return k;
}

static hs_report *convert(hs_graph *g, int tf_exact, int prune)
{
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.plan.tf_exact = tf_exact;
	o.apply.prune_library = prune;
	hs_report *r = NULL;
	ck_assert_int_eq(hs_convert(&r, g, &o), HS_OK);
	return r;
}

START_TEST(test_chained_stubs)
{
	hs_graph *g = load();
	size_t before = hs_graph_node_count(g);
	/* The user's nodes: everything but the loops' own machinery. */
	const char *user[] = { "input", "bidirectional_rnn/bw/ReverseV2", "concat", "MatMul",
			       "add", "add_1", "OUTPUT", "dense/kernel",
			       "bidirectional_rnn/fw/rnn/cell_0/input_weights/read",
			       "bidirectional_rnn/bw/rnn/zeros_h1", FW_IN, FW_OUT };
	hs_report *r = convert(g, 0, 0);
	ck_assert_uint_eq(hs_report_converted(r), 2);
	ck_assert_uint_eq(hs_report_errors(r), 0);
	ck_assert_uint_eq(count_ops(g, "UnidirectionalSequenceRnn"), 4);
	ck_assert_uint_eq(count_ops(g, "While"), 0);
	ck_assert_uint_eq(count_ops(g, "StatelessWhile"), 0);
	ck_assert_uint_eq(count_ops(g, "TensorList"), 0);
	ck_assert_uint_eq(count_ops(g, "TfLiteDynamicRnn"), 0);
	for (size_t i = 0; i < sizeof user / sizeof user[0]; i++)
		ck_assert_msg(node(g, user[i]) != NULL, "user node %s is gone", user[i]);
	/* The head's `add` is the user's Add, not the body's counter. */
	ck_assert(hs_str_eq(hs_node_op(node(g, "add")), "Add"));
	ck_assert(input_is(node(g, "add"), 0, "MatMul"));
	/* Stub 0 reads the parent's input, stub 1 stub 0's output (RNN :1),
	 * the parent's output hint the last stub. */
	ck_assert(input_is(node(g, FW1), 0, FW_IN));
	ck_assert(input_is(node(g, FW2), 0, FW1 ":1"));
	ck_assert(input_is(node(g, BW2), 0, BW1 ":1"));
	ck_assert(input_is(node(g, FW_OUT), 0, FW2 ":1"));
	/* Weights and zero states reach the stubs through the hint copies. */
	const hs_node *w = hs_node_input_node(node(g, FW1), 1, NULL);
	ck_assert_ptr_nonnull(w);
	ck_assert(input_is(w, 0, "bidirectional_rnn/fw/rnn/cell_0/input_weights/read"));
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	ck_assert_uint_lt(hs_graph_node_count(g), before);
	/* The library is written back as it was. */
	ck_assert_int_eq(hs_graph_has_library(g), 1);
	hs_report_free(r);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_names_unique_and_deterministic)
{
	for (int exact = 0; exact < 2; exact++) {
		hs_graph *a = load(), *b = load();
		hs_report *ra = convert(a, exact, 0), *rb = convert(b, exact, 0);
		void *ba, *bb;
		size_t la, lb;
		ck_assert_int_eq(hs_graph_write_buffer(&ba, &la, a), HS_OK);
		ck_assert_int_eq(hs_graph_write_buffer(&bb, &lb, b), HS_OK);
		ck_assert_uint_eq(la, lb);
		ck_assert_int_eq(memcmp(ba, bb, la), 0);
		/* Copies live under the loop's name, or with --tf-exact under
		 * the body's own names (fw and bw bodies name theirs alike:
		 * the second gets a suffix). */
		const hs_node *w = hs_node_input_node(node(a, BW1), 1, NULL);
		const char *want = exact ? "multi_rnn_cell/cell_0/InputHint-UnidirectionalSequenceRnn-bc000000000000000000000000000001-1-None-input_weights"
				   : "bidirectional_rnn/bw/rnn/while/multi_rnn_cell/cell_0/InputHint-UnidirectionalSequenceRnn-bc000000000000000000000000000001-1-None-input_weights";
		ck_assert_msg(hs_str_eq(hs_node_name(w), want), "copy named '%.*s'",
			      (int)hs_node_name(w).len, hs_node_name(w).ptr);
		hs_free(ba);
		hs_free(bb);
		hs_report_free(ra);
		hs_report_free(rb);
		hs_graph_free(a);
		hs_graph_free(b);
	}
}
END_TEST

START_TEST(test_prune_library)
{
	hs_graph *g = load();
	hs_report *r = convert(g, 0, 1);
	char *text;
	size_t tlen;
	ck_assert_int_eq(hs_graph_write_text_buffer(&text, &tlen, g), HS_OK);
	ck_assert_ptr_null(strstr(text, "signature"));
	hs_free(text);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	/* What was written loads again, converted already. */
	void *buf;
	size_t len;
	ck_assert_int_eq(hs_graph_write_buffer(&buf, &len, g), HS_OK);
	hs_graph *again;
	ck_assert_int_eq(hs_graph_load_buffer(&again, buf, len, "pruned", NULL), HS_OK);
	hs_report *r2 = convert(again, 0, 0);
	ck_assert_uint_eq(hs_report_converted(r2), 0);
	ck_assert_uint_eq(hs_report_errors(r2), 0);
	hs_report_free(r2);
	hs_graph_free(again);
	hs_free(buf);
	hs_report_free(r);
	hs_graph_free(g);
}
END_TEST

/* A dry run plans the same and changes nothing. */
START_TEST(test_dry_run_unchanged)
{
	hs_graph *g = load();
	void *before, *after;
	size_t lb, la;
	ck_assert_int_eq(hs_graph_write_buffer(&before, &lb, g), HS_OK);
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.apply.dry_run = 1;
	hs_report *r;
	ck_assert_int_eq(hs_convert(&r, g, &o), HS_OK);
	ck_assert_uint_eq(hs_report_converted(r), 2);
	ck_assert_int_eq(hs_graph_write_buffer(&after, &la, g), HS_OK);
	ck_assert_uint_eq(la, lb);
	ck_assert_int_eq(memcmp(before, after, la), 0);
	char *json;
	ck_assert_int_eq(hs_report_to_json(&json, r), HS_OK);
	ck_assert_ptr_nonnull(strstr(json, "\"children\":[{\"layer\":0,\"function\":\"UnidirectionalSequenceRnn\",\"uuid\":\"" FW1 "\",\"plugin\":\"generic\""));
	hs_free(json);
	hs_free(before);
	hs_free(after);
	hs_report_free(r);
	hs_graph_free(g);
}
END_TEST

static hs_registry *registry_with(const char *plugin, const char *rules)
{
	hs_registry *r;
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_ENV_PATH | HS_REGISTRY_NO_SYSTEM_PATH), HS_OK);
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/plugins/%s/.libs", HS_BUILD_DIR, plugin);
	ck_assert_int_eq(hs_registry_add_search_dir(r, dir), HS_OK);
	ck_assert_msg(hs_registry_load_plugin(r, plugin) == HS_OK, "%s", hs_error_last());
	if (rules)
		ck_assert_int_eq(hs_registry_load_rules_buffer(r, rules, strlen(rules), "rules"), HS_OK);
	return r;
}

/* Plugins claim children as they claim static cells, with their options;
 * a child nobody may convert keeps the whole call. */
START_TEST(test_plugins_claim_children)
{
	hs_registry *reg = registry_with("rnn", NULL);
	ck_assert_int_eq(hs_registry_set_option(reg, "rnn", "fused_activation_function", "RELU"), HS_OK);
	hs_graph *g = load();
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.plan.registry = reg;
	hs_report *r;
	ck_assert_int_eq(hs_convert(&r, g, &o), HS_OK);
	ck_assert_uint_eq(hs_report_converted(r), 2);
	ck_assert_str_eq(hs_report_entry(r, 0)->plugin, "rnn");
	const char *stubs[] = { FW1, FW2, BW1, BW2 };
	for (size_t i = 0; i < 4; i++) {
		hs_attr a;
		ck_assert_int_eq(hs_node_attr(&a, node(g, stubs[i]), "fused_activation_function"), HS_OK);
		ck_assert(hs_str_eq(a.v.s, "RELU"));
	}
	ck_assert_uint_eq(hs_plan_count(hs_report_plan(r)), 2);
	ck_assert_str_eq(hs_plan_child_plugin(hs_report_plan(r), 0, 1), "rnn");
	hs_report_free(r);
	hs_graph_free(g);
	hs_registry_free(reg);

	reg = registry_with("lstm", "plugin lstm\nunclaimed keep\n");
	g = load();
	o.plan.registry = reg;
	ck_assert_int_eq(hs_convert(&r, g, &o), HS_OK);
	ck_assert_uint_eq(hs_report_converted(r), 0);
	const hs_call_report *e = hs_report_entry(r, 0);
	ck_assert_int_eq(e->result, HS_CALL_KEPT);
	ck_assert_ptr_nonnull(strstr(e->reason, "child " FW1));
	ck_assert_ptr_nonnull(node(g, "bidirectional_rnn/fw/rnn/while"));
	ck_assert_ptr_null(node(g, FW1));
	hs_report_free(r);
	hs_graph_free(g);
	hs_registry_free(reg);
}
END_TEST

/* The test graph with every `from[i]` replaced by `to[i]`. */
static hs_graph *load_replaced(const char *const *from, const char *const *to, size_t n)
{
	size_t len;
	char *text = tu_read_text(GRAPH, &len);
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n; i++) {
		size_t fl = strlen(from[i]), tl = strlen(to[i]), k = 0;
		ck_assert_uint_eq(fl, tl); /* same length: edit in place */
		for (char *hit = strstr(text, from[i]); hit; hit = strstr(hit + tl, from[i]), k++)
			memcpy(hit, to[i], tl);
		ck_assert_uint_gt(k, 0);
	}
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, text, len, "edited", NULL), HS_OK);
	free(text);
	return g;
}

/* A child's plugin failing in emit: every node added for the call goes,
 * the call is reported failed and left as it was, the other converts. */
START_TEST(test_emit_failure_rolls_back)
{
	const char *from[] = { "UnidirectionalSequenceRnn", FW2 };
	const char *to[] = { "TestRnnCellOfLength25Char", "bad00000000000000000000000000002" };
	hs_graph *g = load_replaced(from, to, 2);
	hs_registry *reg;
	ck_assert_int_eq(hs_registry_new(&reg, HS_REGISTRY_NO_ENV_PATH | HS_REGISTRY_NO_SYSTEM_PATH), HS_OK);
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/tests/host/plugins/.libs", HS_BUILD_DIR);
	ck_assert_int_eq(hs_registry_add_search_dir(reg, dir), HS_OK);
	ck_assert_msg(hs_registry_load_plugin(reg, "failing") == HS_OK, "%s", hs_error_last());
	size_t before = hs_graph_node_count(g);
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.plan.registry = reg;
	hs_report *r;
	ck_assert_int_eq(hs_convert(&r, g, &o), HS_OK);
	const hs_call_report *fw = hs_report_entry(r, 0), *bw = hs_report_entry(r, 1);
	ck_assert_int_eq(fw->result, HS_CALL_FAILED);
	ck_assert_ptr_nonnull(strstr(fw->reason, "child bad00000000000000000000000000002"));
	ck_assert_int_eq(bw->result, HS_CALL_CONVERTED);
	ck_assert_str_eq(bw->plugin, "failing");
	ck_assert_ptr_nonnull(node(g, "bidirectional_rnn/fw/rnn/while"));
	ck_assert_ptr_null(node(g, FW1));
	ck_assert_ptr_null(node(g, "bidirectional_rnn/bw/rnn/while"));
	ck_assert_ptr_nonnull(node(g, BW1));
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	ck_assert_uint_ne(hs_graph_node_count(g), before);
	hs_report_free(r);
	hs_graph_free(g);
	hs_registry_free(reg);
}
END_TEST

static Suite *convert_suite(void)
{
	Suite *s = suite_create("level2 convert");
	TCase *t = tcase_create("convert");
	tcase_add_test(t, test_chained_stubs);
	tcase_add_test(t, test_names_unique_and_deterministic);
	tcase_add_test(t, test_prune_library);
	tcase_add_test(t, test_dry_run_unchanged);
	tcase_add_test(t, test_plugins_claim_children);
	tcase_add_test(t, test_emit_failure_rolls_back);
	suite_add_tcase(s, t);
	return s;
}

int main(void) { return tu_run(convert_suite()); }
