/* hintstub-gen dynamic (bench/gen.c): the dynamic_rnn graphs load, verify,
 * are written back byte for byte (library included), and hold one level-2
 * TfLiteDynamicRnn call per loop whose While names a cond and a body in the
 * library.  Their inner structure (function syntax, signatures, the cell
 * hints of the body, the numbers) is checked with protobuf's own parser by
 * tests/cli/gen_dynamic.sh. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_testutil.h"

static size_t count_op(const hs_graph *g, const char *op)
{
	size_t n = 0;
	for (hs_node *x = hs_graph_next_node(g, NULL); x; x = hs_graph_next_node(g, x))
		n += hs_str_eq(hs_node_op(x), op);
	return n;
}

/* The shapes of issue 9's "Done when": cell x layers x While kind, plus
 * bidirectional and a clashing head. */
typedef struct shape {
	gen_cell cell;
	unsigned layers;
	int stateless, bidirectional, head, peephole;
	unsigned loops;
} shape;

static void options_for(gen_options *o, const shape *s)
{
	gen_options_init(o, GEN_DYNAMIC);
	o->cell = s->cell;
	o->layers = s->layers;
	o->stateless = s->stateless;
	o->bidirectional = s->bidirectional;
	o->head = s->head;
	o->peephole = s->peephole;
	o->loops = s->loops ? s->loops : 1;
}

static void check_shape(const shape *s)
{
	gen_options o;
	options_for(&o, s);
	gen_stats st;
	size_t len;
	uint8_t *bytes = gen_test_bytes(&o, &len, &st);
	unsigned loops = s->bidirectional ? 2 : o.loops;
	ck_assert_uint_eq(st.calls, loops * (1 + s->layers));
	ck_assert_uint_eq(st.functions, 2 * loops);
	ck_assert_uint_gt(st.function_nodes, 0);
	ck_assert_uint_eq(st.bytes, len);

	hs_graph *g = gen_test_load(bytes, len);
	ck_assert_uint_eq(st.nodes, hs_graph_node_count(g));
	const char *loop_op = s->stateless ? "StatelessWhile" : "While";
	ck_assert_uint_eq(count_op(g, loop_op), loops);
	ck_assert_uint_eq(count_op(g, s->stateless ? "While" : "StatelessWhile"), 0);
	ck_assert_uint_eq(count_op(g, "TensorListStack"), loops);
	ck_assert_ptr_nonnull(hs_graph_find_node(g, "OUTPUT", 6));
	if (s->head)
		ck_assert_ptr_nonnull(hs_graph_find_node(g, "add", 3));

	/* At the top level only the parents are hints: level 2, one input
	 * and one output, the mapping of spec §3.3.  Children live in the
	 * body; once the detector reads it, it must find one a layer. */
	hs_callset *set = NULL;
	ck_assert_msg(hs_discover(&set, g, NULL) == HS_OK, "discover: %s", hs_error_last());
	ck_assert_uint_eq(hs_callset_count(set), loops);
	for (size_t i = 0; i < loops; i++) {
		const hs_call *c = hs_callset_call(set, i);
		ck_assert(hs_str_eq(hs_call_function(c), "TfLiteDynamicRnn"));
		ck_assert_int_eq(hs_call_level(c), 2);
		ck_assert_uint_eq(hs_call_input_count(c), 1);
		ck_assert_uint_eq(hs_call_output_count(c), 1);
		hs_str m = hs_call_children_mapping(c);
		ck_assert_ptr_nonnull(memmem(m.ptr, m.len, "\"internal_children_input_output\"", 32));
		size_t children = hs_call_child_count(c);
		ck_assert_msg(children == s->layers,
			      "%zu children for %u layers", children, s->layers);
	}
	hs_callset_free(set);
	hs_graph_free(g);

	size_t out_len;
	uint8_t *out = tu_roundtrip(bytes, len, &out_len);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(out_len, len);
	ck_assert_int_eq(memcmp(bytes, out, len), 0);
	free(out);
	free(bytes);
}

START_TEST(test_shapes)
{
	for (int cell = 0; cell < 2; cell++)
		for (unsigned layers = 1; layers <= 4; layers++)
			for (int stateless = 0; stateless < 2; stateless++) {
				shape s = { (gen_cell)cell, layers, stateless, 0, 0, 0, 0 };
				check_shape(&s);
			}
	static const shape more[] = {
		{ GEN_CELL_LSTM, 2, 0, 1, 0, 0, 0 },
		{ GEN_CELL_RNN, 3, 1, 1, 1, 0, 0 },
		{ GEN_CELL_LSTM, 2, 0, 0, 1, 1, 0 },
		{ GEN_CELL_LSTM, 1, 1, 1, 1, 1, 0 },
		{ GEN_CELL_RNN, 2, 0, 0, 1, 0, 5 },
	};
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
		check_shape(&more[i]);
}
END_TEST

/* The While reads exactly what its body's signature declares, and the
 * functions it names are the ones the library holds (by name here; the
 * signatures are compared by gen_dynamic.sh). */
START_TEST(test_while_names_its_functions)
{
	gen_options o;
	gen_options_init(&o, GEN_DYNAMIC);
	o.bidirectional = 1;
	size_t len;
	uint8_t *bytes = gen_test_bytes(&o, &len, NULL);
	static const char *const names[] = {
		"bidirectional_rnn_fw_fw_while_cond_10", "bidirectional_rnn_fw_fw_while_body_11",
		"bidirectional_rnn_bw_bw_while_cond_12", "bidirectional_rnn_bw_bw_while_body_13",
	};
	for (size_t i = 0; i < 4; i++)
		ck_assert_msg(memmem(bytes, len, names[i], strlen(names[i])) != NULL,
			      "%s missing", names[i]);
	hs_graph *g = gen_test_load(bytes, len);
	hs_node *w = hs_graph_find_node(g, "bidirectional_rnn/fw/fw/while", 29);
	ck_assert_ptr_nonnull(w);
	/* counter, maximum iterations, time, output list, c and m of 2
	 * layers, the bound, the input list, 12 weights of 2 layers */
	ck_assert_uint_eq(hs_node_input_count(w), 4 + 4 + 2 + 24);
	hs_node *bw = hs_graph_find_node(g, "bidirectional_rnn/bw/ReverseV2", 30);
	ck_assert_ptr_nonnull(bw);
	ck_assert_ptr_eq(hs_node_input_node(bw, 0, NULL), hs_graph_find_node(g, "INPUT", 5));
	hs_graph_free(g);
	free(bytes);
}
END_TEST

START_TEST(test_deterministic_and_seeded)
{
	gen_options o;
	gen_options_init(&o, GEN_DYNAMIC);
	o.layers = 3;
	o.head = 1;
	gen_test_deterministic(&o, 2);
}
END_TEST

/* --guide: the TFLite LSTM guide's model, batch-major INPUT transposed
 * into the loop, softmax of the last step to OUTPUT_CLASS. */
START_TEST(test_guide)
{
	gen_options o;
	gen_options_init(&o, GEN_DYNAMIC);
	o.guide = 1;
	o.units = 16;
	o.steps = 5;
	hs_graph *g = gen_test_graph(&o, NULL);
	hs_node *t = hs_graph_find_node(g, "transpose", 9);
	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_eq(hs_node_input_node(t, 0, NULL), hs_graph_find_node(g, "INPUT", 5));
	hs_node *out = hs_graph_find_node(g, "OUTPUT_CLASS", 12);
	ck_assert_ptr_nonnull(out);
	ck_assert(hs_str_eq(hs_node_op(out), "Softmax"));
	ck_assert_uint_eq(count_op(g, "While"), 1);
	hs_graph_free(g);
}
END_TEST

/* --loops with --nodes: separate chained loops and filler up to the
 * requested top-level node count (the benchmark's shape). */
START_TEST(test_loops_and_filler)
{
	gen_options o;
	gen_options_init(&o, GEN_DYNAMIC);
	o.loops = 20;
	o.layers = 2;
	o.nodes = 5000;
	gen_stats st;
	hs_graph *g = gen_test_graph(&o, &st);
	ck_assert_uint_eq(st.nodes, 5000);
	ck_assert_uint_eq(st.functions, 40);
	ck_assert_uint_eq(count_op(g, "While"), 20);
	ck_assert_ptr_nonnull(hs_graph_find_node(g, "rnn_19/while", 12));
	hs_graph_free(g);
}
END_TEST

/* Each option set is refused before any byte, naming what is wrong. */
START_TEST(test_bad_options)
{
	static const struct bad {
		unsigned layers, loops, batch;
		gen_cell cell;
		int peephole, bidirectional, guide, head;
		const char *named;
	} bad[] = {
		{ 0, 1, 1, GEN_CELL_LSTM, 0, 0, 0, 0, "--layers" },
		{ 33, 1, 1, GEN_CELL_LSTM, 0, 0, 0, 0, "--layers" },
		{ 2, 1, 1, GEN_CELL_RNN, 1, 0, 0, 0, "--cell lstm" },
		{ 2, 2, 1, GEN_CELL_LSTM, 0, 1, 0, 0, "--loops" },
		{ 2, 1, 1, GEN_CELL_LSTM, 0, 0, 1, 1, "--guide" },
		{ 2, 1, 0, GEN_CELL_LSTM, 0, 0, 0, 0, "batch" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct bad *b = &bad[i];
		char err[256] = "";
		gen_options o;
		gen_options_init(&o, GEN_DYNAMIC);
		o.layers = b->layers;
		o.loops = b->loops;
		o.batch = b->batch;
		o.cell = b->cell;
		o.peephole = b->peephole;
		o.bidirectional = b->bidirectional;
		o.guide = b->guide;
		o.head = b->head;
		ck_assert_int_eq(gen_check_options(&o, err, sizeof err), -1);
		ck_assert_msg(strstr(err, b->named) != NULL, "case %zu: '%s'", i, err);
	}
}
END_TEST

static Suite *gen_dynamic_suite(void)
{
	Suite *s = suite_create("gen_dynamic");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_shapes);
	tcase_add_test(tc, test_while_names_its_functions);
	tcase_add_test(tc, test_deterministic_and_seeded);
	tcase_add_test(tc, test_guide);
	tcase_add_test(tc, test_loops_and_filler);
	tcase_add_test(tc, test_bad_options);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(gen_dynamic_suite()); }
