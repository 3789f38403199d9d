/* hintstub-gen (bench/gen.c): the graphs it writes load, verify, and carry
 * exactly the hint layouts of spec §3.1/§3.2 and of the conv chain. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_testutil.h"

/* ------------------------------------------------- hints, read back */

typedef struct hint {
	hs_node *node;
	char uuid[40];
	char function[64];
	int is_input;
	int64_t index;
	int64_t sort;     /* -1: untagged */
	char aggregate[8];
} hint;

typedef struct hint_set {
	hint *h;
	size_t n;
	char uuids[4096][33]; /* calls in first-appearance order */
	size_t n_calls;
} hint_set;

static void copy_str(char *dst, size_t cap, hs_str s)
{
	ck_assert_uint_lt(s.len, cap);
	memcpy(dst, s.ptr, s.len);
	dst[s.len] = 0;
}

static int64_t attr_int(const hs_node *n, const char *key, int64_t absent)
{
	hs_attr a;
	int rc = hs_node_attr(&a, n, key);
	if (rc == HS_ENOTFOUND)
		return absent;
	ck_assert_int_eq(rc, HS_OK);
	ck_assert_int_eq(a.kind, HS_ATTR_I);
	return a.v.i;
}

static hint_set *collect_hints(const hs_graph *g)
{
	hint_set *s = calloc(1, sizeof *s);
	s->h = calloc(hs_graph_node_count(g), sizeof *s->h);
	for (hs_node *n = hs_graph_next_node(g, NULL); n; n = hs_graph_next_node(g, n)) {
		hs_attr a;
		if (hs_node_attr(&a, n, HS_ATTR_FUNCTION_UUID) != HS_OK)
			continue;
		hint *h = &s->h[s->n++];
		h->node = n;
		ck_assert_int_eq(a.kind, HS_ATTR_S);
		copy_str(h->uuid, sizeof h->uuid, a.v.s);
		ck_assert_uint_eq(strlen(h->uuid), 32);
		ck_assert_uint_eq(strspn(h->uuid, "0123456789abcdef"), 32);
		ck_assert_int_eq(hs_node_attr(&a, n, HS_ATTR_FUNCTION_NAME), HS_OK);
		copy_str(h->function, sizeof h->function, a.v.s);
		ck_assert(hs_str_eq(hs_node_op(n), "Identity"));
		ck_assert_int_eq(hs_node_attr(&a, n, "T"), HS_OK);
		ck_assert_int_eq(a.kind, HS_ATTR_TYPE);
		ck_assert_int_eq(a.v.type, 1);
		ck_assert_int_eq(attr_int(n, HS_ATTR_LEVEL, -1), 1);
		int64_t in = attr_int(n, HS_ATTR_INPUT_INDEX, -1);
		int64_t out = attr_int(n, HS_ATTR_OUTPUT_INDEX, -1);
		ck_assert((in >= 0) != (out >= 0));
		h->is_input = in >= 0;
		h->index = in >= 0 ? in : out;
		h->sort = attr_int(n, HS_ATTR_SORT_INDEX, -1);
		h->aggregate[0] = 0;
		if (hs_node_attr(&a, n, HS_ATTR_AGGREGATE) == HS_OK)
			copy_str(h->aggregate, sizeof h->aggregate, a.v.s);
		ck_assert((h->sort >= 0) == (h->aggregate[0] != 0));

		/* <Input|Output>Hint-<fn>-<uuid>-<index>-<sort|None>-<arg> */
		char want[256], name[512];
		char sort[24];
		if (h->sort < 0)
			snprintf(sort, sizeof sort, "None");
		else
			snprintf(sort, sizeof sort, "%lld", (long long)h->sort);
		snprintf(want, sizeof want, "/%sHint-%s-%s-%lld-%s-",
			 h->is_input ? "Input" : "Output", h->function, h->uuid,
			 (long long)h->index, sort);
		copy_str(name, sizeof name, hs_node_name(n));
		ck_assert_msg(strstr(name, want) != NULL, "%s lacks %s", name, want);

		size_t c;
		for (c = 0; c < s->n_calls; c++)
			if (!strcmp(s->uuids[c], h->uuid))
				break;
		if (c == s->n_calls) {
			ck_assert_uint_lt(s->n_calls, 4096);
			strcpy(s->uuids[s->n_calls++], h->uuid);
		}
	}
	return s;
}

static void hint_set_free(hint_set *s)
{
	free(s->h);
	free(s);
}

/* The hint of call `uuid` at (direction, index, sort); fails unless there
 * is exactly one. */
static const hint *find_hint(const hint_set *s, const char *uuid, int is_input,
			     int64_t index, int64_t sort)
{
	const hint *found = NULL;
	for (size_t i = 0; i < s->n; i++) {
		const hint *h = &s->h[i];
		if (strcmp(h->uuid, uuid) || h->is_input != is_input ||
		    h->index != index || h->sort != sort)
			continue;
		ck_assert_msg(found == NULL, "two hints at %s %d %lld %lld", uuid,
			      is_input, (long long)index, (long long)sort);
		found = h;
	}
	ck_assert_msg(found != NULL, "no hint at %s %s %lld sort %lld", uuid,
		      is_input ? "input" : "output", (long long)index, (long long)sort);
	return found;
}

static size_t count_hints(const hint_set *s, const char *uuid, int is_input)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += !strcmp(s->h[i].uuid, uuid) && s->h[i].is_input == is_input;
	return n;
}

/* A tagged argument: sort 0..steps-1, one aggregate. */
static void check_tagged(const hint_set *s, const char *uuid, int is_input,
			 int64_t index, unsigned steps, const char *aggregate)
{
	for (unsigned t = 0; t < steps; t++) {
		const hint *h = find_hint(s, uuid, is_input, index, t);
		ck_assert_str_eq(h->aggregate, aggregate);
	}
}

static hs_node *input_of(const hs_node *n, int *port)
{
	ck_assert_uint_ge(hs_node_input_count(n), 1);
	hs_node *src = hs_node_input_node(n, 0, port);
	ck_assert_ptr_nonnull(src);
	return src;
}

/* Input 0 at step t reads `unstack:t` (layer 0) or the previous layer's
 * output hint `out_index` at the same step. */
static void check_layer_chaining(const hint_set *s, unsigned layers,
				 unsigned steps, int64_t out_index)
{
	for (unsigned l = 0; l < layers; l++) {
		for (unsigned t = 0; t < steps; t++) {
			const hint *x = find_hint(s, s->uuids[l], 1, 0, t);
			int port;
			hs_node *src = input_of(x->node, &port);
			if (l == 0) {
				ck_assert(hs_str_eq(hs_node_name(src), "unstack"));
				ck_assert_int_eq(port, (int)t);
			} else {
				const hint *prev = find_hint(s, s->uuids[l - 1], 0, out_index, t);
				ck_assert_ptr_eq(src, prev->node);
			}
		}
	}
}

static void check_output_stack(const hs_graph *g, const hint_set *s,
			       const char *last_uuid, int64_t out_index,
			       unsigned steps)
{
	hs_node *out = hs_graph_find_node(g, "OUTPUT", 6);
	ck_assert_ptr_nonnull(out);
	hs_node *stack = input_of(out, NULL);
	ck_assert(hs_str_eq(hs_node_op(stack), "Pack"));
	ck_assert_uint_eq(hs_node_input_count(stack), steps);
	for (unsigned t = 0; t < steps; t++) {
		const hint *m = find_hint(s, last_uuid, 0, out_index, t);
		ck_assert_ptr_eq(hs_node_input_node(stack, t, NULL), m->node);
	}
}

static void check_lstm(int peephole, unsigned proj, unsigned layers, unsigned steps)
{
	gen_options o;
	gen_options_init(&o, GEN_LSTM);
	o.peephole = peephole;
	o.num_proj = proj;
	o.layers = layers;
	o.steps = steps;
	gen_stats st;
	hs_graph *g = gen_test_graph(&o, &st);
	ck_assert_uint_eq(st.nodes, hs_graph_node_count(g));
	hint_set *s = collect_hints(g);
	ck_assert_uint_eq(s->n_calls, layers);

	static const int64_t always[] = { 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15 };
	for (unsigned l = 0; l < layers; l++) {
		const char *u = s->uuids[l];
		size_t untagged = 12 + (peephole ? 3 : 0) + (proj ? 1 : 0);
		for (size_t i = 0; i < sizeof always / sizeof *always; i++)
			find_hint(s, u, 1, always[i], -1);
		for (int64_t i = 9; i <= 11; i++)
			if (peephole)
				find_hint(s, u, 1, i, -1);
		if (proj)
			find_hint(s, u, 1, 16, -1);
		check_tagged(s, u, 1, 0, steps, "stack");
		check_tagged(s, u, 1, 18, steps, "first");
		check_tagged(s, u, 1, 19, steps, "first");
		ck_assert_uint_eq(count_hints(s, u, 1), untagged + 3 * steps);
		check_tagged(s, u, 0, 1, steps, "last");
		check_tagged(s, u, 0, 2, steps, "stack");
		ck_assert_uint_eq(count_hints(s, u, 0), 2 * steps);
		for (size_t i = 0; i < s->n; i++)
			if (!strcmp(s->h[i].uuid, u))
				ck_assert_str_eq(s->h[i].function, "UnidirectionalSequenceLstm");
		/* the state carried between steps: c_prev(t) reads c(t-1) */
		for (unsigned t = 1; t < steps; t++) {
			ck_assert_ptr_eq(input_of(find_hint(s, u, 1, 19, t)->node, NULL),
					 find_hint(s, u, 0, 1, t - 1)->node);
			ck_assert_ptr_eq(input_of(find_hint(s, u, 1, 18, t)->node, NULL),
					 find_hint(s, u, 0, 2, t - 1)->node);
		}
		ck_assert(hs_str_eq(hs_node_op(input_of(find_hint(s, u, 1, 19, 0)->node, NULL)),
				    "Fill"));
	}
	check_layer_chaining(s, layers, steps, 2);
	check_output_stack(g, s, s->uuids[layers - 1], 2, steps);
	ck_assert_uint_eq(st.input_hints + st.output_hints, s->n);
	hint_set_free(s);
	hs_graph_free(g);
}

START_TEST(test_lstm_layout)
{
	check_lstm(0, 0, 2, 3);
	check_lstm(1, 0, 2, 3);
	check_lstm(0, 4, 1, 5);
	check_lstm(1, 2, 3, 2);
}
END_TEST

/* --forget-bias-in-region: per call and step, the forget gate's BiasAdd
 * plus a scalar Const F, read by the gate's Sigmoid. */
START_TEST(test_lstm_forget_bias_in_region)
{
	gen_options o;
	gen_options_init(&o, GEN_LSTM);
	o.forget_bias_in_region = 1;
	o.forget_bias = 1.5f;
	hs_graph *g = gen_test_graph(&o, NULL);
	size_t adds = 0;
	for (hs_node *n = hs_graph_next_node(g, NULL); n; n = hs_graph_next_node(g, n)) {
		if (!hs_str_eq(hs_node_op(n), "Add") || hs_node_input_count(n) != 2)
			continue;
		hs_node *x = hs_node_input_node(n, 0, NULL), *y = hs_node_input_node(n, 1, NULL);
		if (!hs_str_eq(hs_node_op(y), "Const"))
			continue;
		ck_assert(hs_str_eq(hs_node_op(x), "BiasAdd"));
		ck_assert_uint_eq(hs_node_consumer_count(n), 1);
		ck_assert(hs_str_eq(hs_node_op(hs_node_consumer(n, 0)), "Sigmoid"));
		float f = 0;
		hs_tensor_view v;
		ck_assert_int_eq(hs_node_tensor(&v, y, NULL, &f, sizeof f), HS_OK);
		ck_assert_uint_eq(v.rank, 0);
		ck_assert_float_eq(f, 1.5f);
		adds++;
	}
	ck_assert_uint_eq(adds, o.layers * o.steps);
	hs_graph_free(g);

	char err[128];
	gen_options_init(&o, GEN_RNN);
	o.forget_bias_in_region = 1;
	ck_assert_int_eq(gen_check_options(&o, err, sizeof err), -1);
	ck_assert_str_eq(err, "--forget-bias-in-region is for lstm only");
}
END_TEST

/* The cell interior is the real one: gates through MatMul/BiasAdd, the
 * same op mix as TF's own graph of this shape (tests/data). */
START_TEST(test_lstm_interior_ops)
{
	gen_options o;
	gen_options_init(&o, GEN_LSTM);
	hs_graph *g = gen_test_graph(&o, NULL);
	size_t matmul = 0, bias = 0, sigmoid = 0, tanh_ = 0, concat = 0;
	for (hs_node *n = hs_graph_next_node(g, NULL); n; n = hs_graph_next_node(g, n)) {
		matmul += hs_str_eq(hs_node_op(n), "MatMul");
		bias += hs_str_eq(hs_node_op(n), "BiasAdd");
		sigmoid += hs_str_eq(hs_node_op(n), "Sigmoid");
		tanh_ += hs_str_eq(hs_node_op(n), "Tanh");
		concat += hs_str_eq(hs_node_op(n), "ConcatV2");
		hs_attr a;
		if (hs_str_eq(hs_node_op(n), "MatMul")) {
			ck_assert_int_eq(hs_node_attr(&a, n, "transpose_b"), HS_OK);
			ck_assert_int_eq(a.kind, HS_ATTR_B);
			ck_assert_int_eq(a.v.b, 1);
		}
		if (!hs_str_eq(hs_node_op(n), "Const") && !hs_str_eq(hs_node_op(n), "Placeholder"))
			ck_assert_int_eq(hs_node_attr(&a, n, "T"), HS_OK);
	}
	/* 2 layers x 3 steps x 4 gates; 2 x 3 x 5 concats + 4 in zero states */
	ck_assert_uint_eq(matmul, 24);
	ck_assert_uint_eq(bias, 24);
	ck_assert_uint_eq(sigmoid, 18);
	ck_assert_uint_eq(tanh_, 12);
	ck_assert_uint_eq(concat, 34);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_rnn_layout)
{
	gen_options o;
	gen_options_init(&o, GEN_RNN);
	o.layers = 3;
	o.steps = 4;
	gen_stats st;
	hs_graph *g = gen_test_graph(&o, &st);
	hint_set *s = collect_hints(g);
	ck_assert_uint_eq(s->n_calls, 3);
	for (unsigned l = 0; l < 3; l++) {
		const char *u = s->uuids[l];
		for (int64_t i = 1; i <= 3; i++)
			find_hint(s, u, 1, i, -1);
		check_tagged(s, u, 1, 0, 4, "stack");
		check_tagged(s, u, 1, 4, 4, "first");
		ck_assert_uint_eq(count_hints(s, u, 1), 3 + 2 * 4);
		check_tagged(s, u, 0, 1, 4, "stack");
		ck_assert_uint_eq(count_hints(s, u, 0), 4);
		ck_assert_str_eq(find_hint(s, u, 0, 1, 0)->function,
				 "UnidirectionalSequenceRnn");
	}
	check_layer_chaining(s, 3, 4, 1);
	check_output_stack(g, s, s->uuids[2], 1, 4);
	hint_set_free(s);
	hs_graph_free(g);
}
END_TEST

static void check_conv_calls(const hs_graph *g, const hint_set *s, uint64_t calls,
			     const char *function)
{
	ck_assert_uint_eq(s->n_calls, calls);
	const hint *prev = NULL;
	for (size_t k = 0; k < calls; k++) {
		const char *u = s->uuids[k];
		const hint *x = find_hint(s, u, 1, 0, -1);
		find_hint(s, u, 1, 1, -1);
		find_hint(s, u, 1, 2, -1);
		ck_assert_uint_eq(count_hints(s, u, 1), 3);
		const hint *y = find_hint(s, u, 0, 0, -1);
		ck_assert_uint_eq(count_hints(s, u, 0), 1);
		ck_assert_str_eq(x->function, function);
		hs_node *src = input_of(x->node, NULL);
		if (prev)
			ck_assert_ptr_eq(src, prev->node);
		else
			ck_assert(hs_str_eq(hs_node_name(src), "input"));
		/* output <- Relu <- BiasAdd <- Conv2D <- input hint 0 */
		hs_node *relu = input_of(y->node, NULL);
		ck_assert(hs_str_eq(hs_node_op(relu), "Relu"));
		hs_node *bias = input_of(relu, NULL);
		ck_assert(hs_str_eq(hs_node_op(bias), "BiasAdd"));
		hs_node *conv = input_of(bias, NULL);
		ck_assert(hs_str_eq(hs_node_op(conv), "Conv2D"));
		ck_assert_ptr_eq(input_of(conv, NULL), x->node);
		hs_attr a;
		int64_t strides[8];
		size_t n;
		ck_assert_int_eq(hs_node_attr(&a, conv, "strides"), HS_OK);
		ck_assert_int_eq(hs_attr_list_ints(strides, 8, &n, &a), HS_OK);
		ck_assert_uint_eq(n, 4);
		ck_assert_int_eq(hs_node_attr(&a, conv, "padding"), HS_OK);
		ck_assert(hs_str_eq(a.v.s, "SAME"));
		ck_assert_int_eq(hs_node_attr(&a, conv, "data_format"), HS_OK);
		ck_assert_int_eq(hs_node_attr(&a, conv, "dilations"), HS_OK);
		prev = y;
	}
	(void)g;
}

START_TEST(test_conv_chain)
{
	gen_options o;
	gen_options_init(&o, GEN_CONV);
	o.calls = 100;
	gen_stats st;
	hs_graph *g = gen_test_graph(&o, &st);
	ck_assert_uint_eq(hs_graph_node_count(g), 9 * 100 + 2);
	hint_set *s = collect_hints(g);
	check_conv_calls(g, s, 100, GEN_DEFAULT_CONV_FUNCTION);
	hint_set_free(s);
	hs_graph_free(g);

	o.calls = 3;
	o.function = "MyFusedConv";
	g = gen_test_graph(&o, NULL);
	s = collect_hints(g);
	check_conv_calls(g, s, 3, "MyFusedConv");
	hint_set_free(s);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_mixed_reaches_node_count)
{
	gen_options o;
	gen_options_init(&o, GEN_MIXED);
	o.nodes = 20000;
	o.calls = 150;
	gen_stats st;
	hs_graph *g = gen_test_graph(&o, &st);
	ck_assert_uint_eq(hs_graph_node_count(g), 20000);
	hint_set *s = collect_hints(g);
	check_conv_calls(g, s, 150, GEN_DEFAULT_CONV_FUNCTION);
	/* filler reads each call's output from outside the region */
	for (size_t k = 0; k < 150; k++) {
		const hint *y = find_hint(s, s->uuids[k], 0, 0, -1);
		ck_assert_uint_ge(hs_node_consumer_count(y->node), 2);
	}
	hint_set_free(s);
	hs_graph_free(g);

	/* fewer nodes asked than the calls need: the calls win */
	o.nodes = 10;
	o.calls = 4;
	g = gen_test_graph(&o, NULL);
	ck_assert_uint_eq(hs_graph_node_count(g), 4 * 9 + 2);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_deterministic)
{
	gen_options o;
	gen_options_init(&o, GEN_MIXED);
	o.nodes = 5000;
	o.calls = 40;
	o.seed = 42;
	gen_test_deterministic(&o, 43);
}
END_TEST

/* A generated graph is written back byte for byte, which bench_io relies
 * on. */
START_TEST(test_roundtrip_identical)
{
	static const gen_kind kinds[] = { GEN_LSTM, GEN_RNN, GEN_CONV, GEN_MIXED };
	for (size_t i = 0; i < 4; i++) {
		gen_options o;
		gen_options_init(&o, kinds[i]);
		o.calls = 20;
		o.nodes = 3000;
		size_t len, out_len;
		uint8_t *in = gen_test_bytes(&o, &len, NULL);
		uint8_t *out = tu_roundtrip(in, len, &out_len);
		ck_assert_ptr_nonnull(out);
		ck_assert_uint_eq(out_len, len);
		ck_assert_int_eq(memcmp(in, out, len), 0);
		free(in);
		free(out);
	}
}
END_TEST

START_TEST(test_bad_options)
{
	gen_options o;
	gen_options_init(&o, GEN_LSTM);
	o.steps = 0;
	char err[128] = "";
	FILE *f = tmpfile();
	ck_assert_int_eq(gen_write(f, &o, NULL, err, sizeof err), -1);
	ck_assert(strstr(err, "steps") != NULL);
	gen_options_init(&o, GEN_CONV);
	o.function = "Bad-Name";
	ck_assert_int_eq(gen_write(f, &o, NULL, err, sizeof err), -1);
	ck_assert(strstr(err, "function") != NULL);
	fclose(f);
}
END_TEST

/* The converter takes every generated call as it is: no problem, every
 * call converted to a stub named by its uuid, the result verifies. */
static void check_converts(const gen_options *o, size_t calls, const char *function)
{
	hs_graph *g = gen_test_graph(o, NULL);
	hint_set *s = collect_hints(g);
	ck_assert_uint_eq(s->n_calls, calls);
	char (*uuids)[33] = calloc(calls, sizeof *uuids);
	for (size_t i = 0; i < calls; i++)
		strcpy(uuids[i], s->uuids[i]);
	hint_set_free(s);

	hs_report *r = NULL;
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	ck_assert_msg(hs_convert(&r, g, &opts) == HS_OK, "convert: %s", hs_error_last());
	ck_assert_uint_eq(hs_report_count(r), calls);
	ck_assert_uint_eq(hs_report_converted(r), calls);
	for (size_t i = 0; i < calls; i++) {
		const hs_call_report *e = hs_report_entry(r, i);
		ck_assert_int_eq(e->result, HS_CALL_CONVERTED);
		ck_assert_uint_gt(e->nodes_removed, 0);
		hs_node *stub = hs_graph_find_node(g, uuids[i], 32);
		ck_assert_ptr_nonnull(stub);
		ck_assert(hs_str_eq(hs_node_op(stub), function));
	}
	hs_report_free(r);
	free(uuids);
	ck_assert_msg(hs_graph_verify(g) == HS_OK, "verify: %s", hs_error_last());
	hs_graph_free(g);
}

/* custom: the hints of any function, the chain of --interior ops with
 * binary ops reading the next input, outputs from the last ops, and with
 * --stack the steps' outputs in Packs nothing reads. */
START_TEST(test_custom_layout)
{
	gen_options o;
	gen_options_init(&o, GEN_CUSTOM);
	o.function = "MySwish";
	o.interior = "Sigmoid,Mul";
	hs_graph *g = gen_test_graph(&o, NULL);
	hint_set *s = collect_hints(g);
	ck_assert_uint_eq(s->n_calls, 1);
	ck_assert_uint_eq(count_hints(s, s->uuids[0], 1), 1);
	ck_assert_uint_eq(count_hints(s, s->uuids[0], 0), 1);
	const hint *in = find_hint(s, s->uuids[0], 1, 0, -1);
	ck_assert_ptr_nonnull(in);
	ck_assert_str_eq(in->function, "MySwish");
	hs_node *mul = hs_graph_find_node(g, "model/MySwish/Mul_1", 19);
	ck_assert_ptr_nonnull(mul);
	ck_assert_ptr_eq(input_of(mul, NULL), hs_graph_find_node(g, "model/MySwish/Sigmoid_0", 23));
	ck_assert_ptr_eq(hs_node_input_node(mul, 1, NULL), in->node);
	hint_set_free(s);
	hs_graph_free(g);

	o.function = "MyGru";
	o.interior = "MatMul,Sigmoid,Mul,Add,Tanh";
	o.inputs = 3;
	o.outputs = 2;
	o.stack = 4;
	g = gen_test_graph(&o, NULL);
	s = collect_hints(g);
	ck_assert_uint_eq(count_hints(s, s->uuids[0], 1), 12);
	ck_assert_uint_eq(count_hints(s, s->uuids[0], 0), 8);
	for (int k = 0; k < 2; k++) {
		char name[16];
		snprintf(name, sizeof name, "stack%d", k);
		hs_node *pack = hs_graph_find_node(g, name, strlen(name));
		ck_assert_ptr_nonnull(pack);
		ck_assert_uint_eq(hs_node_consumer_count(pack), 0);
		ck_assert_uint_eq(hs_node_input_count(pack), 4);
		for (int t = 0; t < 4; t++) {
			const hint *h = find_hint(s, s->uuids[0], 0, k, t);
			ck_assert_ptr_nonnull(h);
			ck_assert_str_eq(h->aggregate, "stack");
			ck_assert_ptr_eq(hs_node_input_node(pack, (size_t)t, NULL), h->node);
		}
	}
	hint_set_free(s);
	hs_graph_free(g);

	/* Usage errors before any byte: no function, too many inputs or
	 * outputs for the ops. */
	char err[256] = "";
	gen_options_init(&o, GEN_CUSTOM);
	o.interior = "Sigmoid";
	ck_assert_int_eq(gen_check_options(&o, err, sizeof err), -1);
	ck_assert(strstr(err, "--function") != NULL);
	o.function = "F";
	o.inputs = 2;
	ck_assert_int_eq(gen_check_options(&o, err, sizeof err), -1);
	ck_assert(strstr(err, "--inputs 2") != NULL);
	o.inputs = 1;
	o.outputs = 2;
	ck_assert_int_eq(gen_check_options(&o, err, sizeof err), -1);
	ck_assert(strstr(err, "--outputs 2") != NULL);
	o.outputs = 1;
	o.interior = "Sigmoid,,Mul";
	ck_assert_int_eq(gen_check_options(&o, err, sizeof err), -1);
	ck_assert(strstr(err, "--interior") != NULL);
}
END_TEST

START_TEST(test_generated_graphs_convert)
{
	gen_options o;
	gen_options_init(&o, GEN_LSTM);
	o.peephole = 1;
	o.num_proj = 4;
	check_converts(&o, 2, "UnidirectionalSequenceLstm");
	gen_options_init(&o, GEN_RNN);
	o.layers = 3;
	check_converts(&o, 3, "UnidirectionalSequenceRnn");
	gen_options_init(&o, GEN_CONV);
	o.calls = 4;
	check_converts(&o, 4, GEN_DEFAULT_CONV_FUNCTION);
	/* enough calls to grow every per-call table several times */
	gen_options_init(&o, GEN_MIXED);
	o.calls = 300;
	o.nodes = 6000;
	check_converts(&o, 300, GEN_DEFAULT_CONV_FUNCTION);
	gen_options_init(&o, GEN_CUSTOM);
	o.function = "MyGru";
	o.interior = "MatMul,Sigmoid,Mul,Add,Tanh";
	o.inputs = 3;
	o.outputs = 2;
	o.stack = 4;
	check_converts(&o, 1, "MyGru");
}
END_TEST

static Suite *gen_suite(void)
{
	Suite *s = suite_create("gen");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_lstm_layout);
	tcase_add_test(tc, test_lstm_interior_ops);
	tcase_add_test(tc, test_rnn_layout);
	tcase_add_test(tc, test_lstm_forget_bias_in_region);
	tcase_add_test(tc, test_conv_chain);
	tcase_add_test(tc, test_mixed_reaches_node_count);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_roundtrip_identical);
	tcase_add_test(tc, test_bad_options);
	tcase_add_test(tc, test_custom_layout);
	tcase_add_test(tc, test_generated_graphs_convert);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(gen_suite()); }
