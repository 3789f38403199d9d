/* Level-2 discovery (core/ophint/loop.c): the loop between a
 * TfLiteDynamicRnn call's hints, its body from the library, the body's
 * cells as children in layer order, the mapping, and a precise problem
 * for every way a level-2 call can be wrong.  The graph is
 * tests/data/dynrnn_bidi.pbtxt (tests/data/dynrnn.py), spoiled by text
 * edits for each fault. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "calls_internal.h"
#include "hintstub/hintstub.h"
#include "run.h"
#include "testutil.h"

#define GRAPH HS_TEST_DATA "/dynrnn_bidi.pbtxt"
#define FW "f0000000000000000000000000000000"
#define BW "b0000000000000000000000000000000"
/* Where the forward loop's body function begins. */
#define FW_BODY "signature {\n      name: \"bidirectional_rnn_fw_rnn_while_body_0\""

/* The test graph with every `from` replaced by `to` (from the first
 * occurrence at or after `after`, when given), loaded. */
static hs_graph *load_edited(const char *after, const char *from, const char *to, int all)
{
	size_t len;
	char *text = tu_read_text(GRAPH, &len);
	ck_assert_ptr_nonnull(text);
	size_t cap = len * 2 + 1024, n = 0;
	char *out = malloc(cap);
	const char *p = text, *end = text + len;
	const char *start = after ? strstr(text, after) : text;
	ck_assert_ptr_nonnull(start);
	int done = 0;
	while (p < end) {
		const char *hit = from && (all || !done) ? strstr(p >= start ? p : start, from) : NULL;
		size_t upto = hit ? (size_t)(hit - p) : (size_t)(end - p);
		memcpy(out + n, p, upto);
		n += upto;
		p += upto;
		if (!hit)
			break;
		memcpy(out + n, to, strlen(to));
		n += strlen(to);
		p += strlen(from);
		done = 1;
		ck_assert_uint_lt(n + (size_t)(end - p), cap);
	}
	ck_assert_msg(!from || done, "'%s' not in the graph", from);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, out, n, "dynrnn", NULL), HS_OK);
	free(out);
	free(text);
	return g;
}

static const hs_call *find(const hs_callset *s, const char *uuid)
{
	const hs_call *c = hs_callset_find(s, (hs_str){ uuid, strlen(uuid) });
	ck_assert_ptr_nonnull(c);
	return c;
}

static size_t count_problems(const hs_call *c, const char *code, hs_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < hs_call_problem_count(c); i++)
		n += strcmp(hs_call_problem(c, i)->code, code) == 0 &&
		     hs_call_problem(c, i)->severity == sev;
	return n;
}

START_TEST(test_children_in_layer_order)
{
	hs_graph *g = load_edited(NULL, NULL, NULL, 0);
	hs_callset *s;
	ck_assert_int_eq(hs_discover(&s, g, NULL), HS_OK);
	ck_assert_uint_eq(hs_callset_count(s), 2);
	const char *uuids[2] = { FW, BW };
	const char *kids[2][2] = { { "fc000000000000000000000000000001", "fc000000000000000000000000000002" },
				   { "bc000000000000000000000000000001", "bc000000000000000000000000000002" } };
	for (int d = 0; d < 2; d++) {
		const hs_call *c = find(s, uuids[d]);
		ck_assert_int_eq(hs_call_level(c), 2);
		ck_assert_int_eq(hs_call_has_errors(c), 0);
		ck_assert_uint_eq(hs_call_problem_count(c), 0);
		ck_assert_uint_eq(hs_call_child_count(c), 2);
		/* A call with children has its rare part (read directly: the
		 * library's empty one is not exported). */
		ck_assert_ptr_nonnull(c->rare);
		const hs_call_body *body = c->rare->body;
		ck_assert(hs_str_eq(hs_node_op(body->loop), "While"));
		ck_assert_uint_eq(body->n_first, 1);
		ck_assert_int_eq(body->internal[0].from, -1);
		ck_assert_int_eq(body->internal[0].to, 0);
		ck_assert_int_eq(body->last[0].from, -1);
		ck_assert_int_eq(body->last[0].to, 0);
		for (int k = 0; k < 2; k++) {
			const hs_call *ch = hs_call_child(c, (size_t)k);
			ck_assert(hs_str_eq(hs_call_uuid(ch), kids[d][k]));
			ck_assert(hs_str_eq(hs_call_function(ch), "UnidirectionalSequenceRnn"));
			ck_assert_ptr_eq(hs_call_parent(ch), c);
			ck_assert_uint_eq(hs_call_input_count(ch), 5);
			ck_assert_int_eq(hs_call_has_errors(ch), 0);
		}
	}
	hs_callset_free(s);
	hs_graph_free(g);
}
END_TEST

/* Each fault: where the edit starts, what it replaces, the problem code
 * the forward call gets (the backward one stays fine unless `both`). */
static const struct fault {
	const char *after, *from, *to, *code;
	hs_severity sev;
	int both;
} faults[] = {
	{ "key: \"body\"", "bidirectional_rnn_fw_rnn_while_body_0", "nothing_of_that_name",
	  "body-missing", HS_SEVERITY_ERROR, 0 },
	{ FW_BODY, "input_arg { name: \"bias_1\" type: DT_FLOAT }",
	  "", "loop-arity", HS_SEVERITY_ERROR, 0 },
	{ NULL, "\\\"parent_last_child_output\\\": [", "\\\"parent_last_child_output\\\": ",
	  "bad-mapping", HS_SEVERITY_ERROR, 0 },
	{ NULL, "\\\"child_input_index\\\": 0", "\\\"child_input_index\\\": 7",
	  "mapping-index", HS_SEVERITY_ERROR, 0 },
	{ NULL, "\\\"parent_last_child_output\\\": [{\\\"parent_output_index\\\": 0, \\\"child_output_index\\\": -1}]",
	  "\\\"parent_last_child_output\\\": []", "mapping-index", HS_SEVERITY_ERROR, 0 },
	{ FW_BODY,
	  "input: \"multi_rnn_cell/cell_0/OutputHint-UnidirectionalSequenceRnn-fc000000000000000000000000000001-1-0-output:output:0\"",
	  "input: \"TensorArrayV2Read/TensorListGetItem:item:0\"", "children-unchained",
	  HS_SEVERITY_ERROR, 0 },
	{ FW_BODY, "op: \"AddV2\"", "op: \"StatelessWhile\"",
	  "nested-loop", HS_SEVERITY_ERROR, 0 },
	{ FW_BODY, "op: \"AddV2\"", "op: \"SelectV2\"",
	  "sequence-length", HS_SEVERITY_WARNING, 0 },
	{ FW_BODY, "key: \"_tflite_function_uuid\"",
	  "key: \"_not_a_hint\"", "no-children", HS_SEVERITY_ERROR, 0 },
	{ NULL, "key: \"_tflite_ophint_level\" value { i: 2 }",
	  "key: \"_tflite_ophint_level\" value { i: 3 }", "level-3", HS_SEVERITY_ERROR, 0 },
};

START_TEST(test_fault_is_a_problem_on_the_call)
{
	const struct fault *f = &faults[_i];
	/* The edits of the body or the mapping's first occurrence spoil the
	 * forward call only; the no-children edit spoils every body hint. */
	int all = strcmp(f->code, "no-children") == 0 || strcmp(f->code, "level-3") == 0;
	hs_graph *g = load_edited(f->after, f->from, f->to, all);
	hs_callset *s;
	ck_assert_int_eq(hs_discover(&s, g, NULL), HS_OK);
	const hs_call *fw = find(s, FW);
	ck_assert_msg(count_problems(fw, f->code, f->sev) == 1, "%s: fw has %zu problems, first '%s'",
		      f->code, hs_call_problem_count(fw),
		      hs_call_problem_count(fw) ? hs_call_problem(fw, 0)->message : "");
	ck_assert_int_eq(hs_call_has_errors(fw), f->sev == HS_SEVERITY_ERROR);
	/* The message names the call. */
	for (size_t i = 0; i < hs_call_problem_count(fw); i++)
		ck_assert_ptr_nonnull(strstr(hs_call_problem(fw, i)->message, FW));
	if (strcmp(f->code, "no-children") && strcmp(f->code, "level-3"))
		ck_assert_int_eq(hs_call_has_errors(find(s, BW)), 0);
	hs_callset_free(s);
	hs_graph_free(g);
}
END_TEST

/* A level-2 call with a problem stays as it is; under --skip-bad-calls
 * the other call converts. */
START_TEST(test_bad_call_left_the_other_converts)
{
	hs_graph *g = load_edited("key: \"body\"", "bidirectional_rnn_fw_rnn_while_body_0", "gone", 0);
	hs_report *r;
	ck_assert_int_eq(hs_convert(&r, g, NULL), HS_OK);
	ck_assert_uint_eq(hs_report_converted(r), 1);
	ck_assert_uint_eq(hs_report_errors(r), 1);
	ck_assert_ptr_nonnull(hs_graph_find_node(g, "bidirectional_rnn/fw/rnn/while", 30));
	ck_assert_ptr_null(hs_graph_find_node(g, "bidirectional_rnn/bw/rnn/while", 30));
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_report_free(r);
	hs_graph_free(g);
}
END_TEST

static Suite *level2_suite(void)
{
	Suite *s = suite_create("level2");
	TCase *t = tcase_create("discover");
	tcase_add_test(t, test_children_in_layer_order);
	tcase_add_loop_test(t, test_fault_is_a_problem_on_the_call, 0,
			    (int)(sizeof faults / sizeof faults[0]));
	tcase_add_test(t, test_bad_call_left_the_other_converts);
	suite_add_tcase(s, t);
	return s;
}

int main(void) { return tu_run(level2_suite()); }
