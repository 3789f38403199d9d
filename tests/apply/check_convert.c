/* Conversion to stubs (core/convert.c, stub.c, pack_unpack.c): TF's own
 * tests rebuilt, the real LSTM fixture, layouts, policies, determinism
 * and the Pack/Unpack clean-up's refusals. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define FIXTURE HS_TEST_DATA "/ophint_lstm.pb"
#define U1 "aaaa0000aaaa0000aaaa0000aaaa0000"
#define U2 "bbbb1111bbbb1111bbbb1111bbbb1111"
#define L1 "47eb6ae2de2411e9a4834201c0a80701"
#define L2 "47eb6ae3de2411e9a4834201c0a80701"

static hs_node *node(hs_graph *g, const char *name)
{
	return hs_graph_find_node(g, name, strlen(name));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Op types of the nodes reachable (inputs, control included) from `from`,
 * sorted, unique, comma-separated: the helper TF's tests use. */
static char *reachable_ops(hs_graph *g, const char *from)
{
	size_t n = hs_graph_node_count(g), head = 0, tail = 0, nops = 0;
	hs_node **queue = calloc(n + 1, sizeof *queue);
	char **ops = calloc(n + 1, sizeof *ops);
	hs_node **seen = calloc(n + 1, sizeof *seen);
	size_t n_seen = 0;
	hs_node *start = node(g, from);
	ck_assert_ptr_nonnull(start);
	queue[tail++] = start;
	seen[n_seen++] = start;
	while (head < tail) {
		hs_node *x = queue[head++];
		hs_str op = hs_node_op(x);
		ops[nops] = strndup(op.ptr, op.len);
		nops++;
		for (size_t i = 0; i < hs_node_input_count(x); i++) {
			hs_node *s = hs_node_input_node(x, i, NULL);
			int known = 0;
			for (size_t k = 0; k < n_seen && !known; k++)
				known = seen[k] == s;
			if (s && !known) {
				seen[n_seen++] = s;
				queue[tail++] = s;
			}
		}
	}
	qsort(ops, nops, sizeof *ops, cmp_str);
	size_t len = 1;
	for (size_t i = 0; i < nops; i++)
		len += strlen(ops[i]) + 1;
	char *out = calloc(len, 1);
	for (size_t i = 0; i < nops; i++) {
		if (i && strcmp(ops[i], ops[i - 1]) == 0)
			continue;
		if (*out)
			strcat(out, ",");
		strcat(out, ops[i]);
	}
	for (size_t i = 0; i < nops; i++)
		free(ops[i]);
	free(ops);
	free(queue);
	free(seen);
	return out;
}

static size_t count_op(hs_graph *g, const char *op)
{
	size_t n = 0;
	for (hs_node *x = hs_graph_next_node(g, NULL); x; x = hs_graph_next_node(g, x))
		n += hs_str_eq(hs_node_op(x), op);
	return n;
}

static void assert_input(hs_node *n, size_t i, const char *text)
{
	ck_assert_uint_gt(hs_node_input_count(n), i);
	hs_str s = hs_node_input(n, i);
	ck_assert_msg(hs_str_eq(s, text), "input %zu of '%.*s' is '%.*s', expected '%s'",
		      i, (int)hs_node_name(n).len, hs_node_name(n).ptr,
		      (int)s.len, s.ptr, text);
}

static void assert_list_i(hs_node *n, const char *key, const int64_t *want, size_t nw)
{
	hs_attr a;
	int64_t got[64];
	size_t count = 0;
	ck_assert_int_eq(hs_node_attr(&a, n, key), HS_OK);
	ck_assert_int_eq(hs_attr_list_ints(got, 64, &count, &a), HS_OK);
	ck_assert_uint_eq(count, nw);
	for (size_t i = 0; i < nw; i++)
		ck_assert_int_eq(got[i], want[i]);
}

static void assert_list_type(hs_node *n, const char *key, const int *want, size_t nw)
{
	hs_attr a;
	int got[64];
	size_t count = 0;
	ck_assert_int_eq(hs_node_attr(&a, n, key), HS_OK);
	ck_assert_int_eq(hs_attr_list_types(got, 64, &count, &a), HS_OK);
	ck_assert_uint_eq(count, nw);
	for (size_t i = 0; i < nw; i++)
		ck_assert_int_eq(got[i], want[i]);
}

static int64_t attr_i(hs_node *n, const char *key)
{
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, n, key), HS_OK);
	ck_assert_int_eq(a.kind, HS_ATTR_I);
	return a.v.i;
}

static hs_report *convert(hs_graph *g, const hs_convert_options *o)
{
	hs_report *r = NULL;
	ck_assert_msg(hs_convert(&r, g, o) == HS_OK, "hs_convert: %s", hs_error_last());
	return r;
}

/* -------------------------------------------------- TF's own tests */

START_TEST(test_tf_swish)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "Const", "Const", NULL);
	tu_node(t, "Const_1", "Const", NULL);
	tu_hint(tu_node(t, "InputHint-cool_activation-" U1 "-0-None-None", "Identity",
			"Const", NULL), "cool_activation", U1, 1, 0, -1, NULL);
	tu_hint(tu_node(t, "InputHint-cool_activation-" U1 "-1-None-None", "Identity",
			"Const_1", NULL), "cool_activation", U1, 1, 1, -1, NULL);
	tu_node(t, "Sigmoid", "Sigmoid", "InputHint-cool_activation-" U1 "-0-None-None", NULL);
	tu_node(t, "mul", "Mul", "Sigmoid", "InputHint-cool_activation-" U1 "-0-None-None", NULL);
	tu_node(t, "mul_1", "Mul", "mul", "InputHint-cool_activation-" U1 "-1-None-None", NULL);
	tu_hint(tu_node(t, "OutputHint-cool_activation-" U1 "-0-None-None", "Identity",
			"mul_1", NULL), "cool_activation", U1, 0, 0, -1, NULL);
	tu_node(t, "ModelOutput", "Identity", "OutputHint-cool_activation-" U1 "-0-None-None", NULL);
	hs_graph *g = tu_graph_load(t);
	ck_assert_uint_eq(count_op(g, "Identity"), 4);
	hs_report *r = convert(g, NULL);
	ck_assert_uint_eq(hs_report_converted(r), 1);
	char *ops = reachable_ops(g, "ModelOutput");
	ck_assert_str_eq(ops, "Const,Identity,cool_activation");
	free(ops);
	/* Inputs 0 and 1 are both present: no -1 constant. */
	ck_assert_ptr_null(node(g, "Const" U1));
	const hs_call_report *e = hs_report_entry(r, 0);
	ck_assert_str_eq(e->plugin, "generic");
	ck_assert_uint_eq(e->nodes_removed, 3);
	ck_assert_uint_eq(e->nodes_added, 1);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_tf_scale_and_bias_and_identity)
{
	tu_graph *t = tu_graph_new();
	const char *f = "scale_and_bias_and_identity";
	tu_node(t, "Const", "Const", NULL);
	tu_node(t, "Const_1", "Const", NULL);
	tu_node(t, "Const_2", "Const", NULL);
	tu_hint(tu_node(t, "ia", "Identity", "Const", NULL), f, U1, 1, 0, -1, NULL);
	tu_hint(tu_node(t, "ix", "Identity", "Const_1", NULL), f, U1, 1, 1, -1, NULL);
	tu_hint(tu_node(t, "ib", "Identity", "Const_2", NULL), f, U1, 1, 2, -1, NULL);
	tu_node(t, "mul", "Mul", "ia", "ix", NULL);
	tu_node(t, "add", "Add", "mul", "ib", NULL);
	tu_hint(tu_node(t, "o0", "Identity", "add", NULL), f, U1, 0, 0, -1, NULL);
	tu_hint(tu_node(t, "o1", "Identity", "ix", NULL), f, U1, 0, 1, -1, NULL);
	tu_node(t, "Pack", "Pack", "o0", "o1", NULL);
	tu_node(t, "ModelOutput", "Identity", "Pack", NULL);
	hs_graph *g = tu_graph_load(t);
	ck_assert_uint_eq(count_op(g, "Identity"), 6);
	hs_report *r = convert(g, NULL);
	char *ops = reachable_ops(g, "ModelOutput");
	ck_assert_str_eq(ops, "Const,Identity,Pack,scale_and_bias_and_identity");
	free(ops);
	assert_input(node(g, "o0"), 0, U1);
	assert_input(node(g, "o1"), 0, U1 ":1");
	ck_assert_uint_eq(hs_node_input_count(node(g, "o1")), 1);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_tf_two_functions)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "Const", "Const", NULL);
	tu_node(t, "Const_1", "Const", NULL);
	tu_hint(tu_node(t, "ia", "Identity", "Const", NULL), "add_test", U1, 1, 0, -1, NULL);
	tu_node(t, "ma", "Mul", "ia", "ia", NULL);
	tu_hint(tu_node(t, "oa", "Identity", "ma", NULL), "add_test", U1, 0, 0, -1, NULL);
	tu_hint(tu_node(t, "ib", "Identity", "Const_1", NULL), "add_test", U2, 1, 0, -1, NULL);
	tu_node(t, "mb", "Mul", "ib", "ib", NULL);
	tu_hint(tu_node(t, "ob", "Identity", "mb", NULL), "add_test", U2, 0, 0, -1, NULL);
	tu_node(t, "Add", "AddV2", "oa", "ob", NULL);
	tu_node(t, "ModelOutput", "Identity", "Add", NULL);
	hs_graph *g = tu_graph_load(t);
	ck_assert_uint_eq(count_op(g, "Identity"), 5);
	hs_report *r = convert(g, NULL);
	ck_assert_uint_eq(hs_report_converted(r), 2);
	char *ops = reachable_ops(g, "ModelOutput");
	ck_assert_str_eq(ops, "AddV2,Const,Identity,add_test");
	free(ops);
	ck_assert_str_eq(hs_node_op(node(g, U1)).ptr, "add_test");
	ck_assert_ptr_nonnull(node(g, U2));
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* TF's testAggregate; `axis_user` sets the axis attr of the user's
 * unstack, `swap` feeds the user's stack in reversed order; without
 * `final` nothing reads the user's stack (it is the graph's output). */
static tu_graph *aggregate_graph_of(int axis_user, int swap, int extra_reader,
				    int final)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "Const", "Const", NULL);
	tu_node(t, "Const_1", "Const", NULL);
	Tensorflow__NodeDef *u = tu_node(t, "unstack", "Unpack", "Const", NULL);
	tu_attr_i(u, "num", 2);
	tu_attr_type(u, "T", 1);
	if (axis_user)
		tu_attr_i(u, "axis", axis_user);
	u = tu_node(t, "unstack_1", "Unpack", "Const_1", NULL);
	tu_attr_i(u, "num", 2);
	tu_attr_type(u, "T", 1);
	tu_hint(tu_node(t, "c0", "Identity", "unstack", NULL), "agg", U1, 1, 0, 0, "stack");
	tu_hint(tu_node(t, "n0", "Identity", "unstack_1", NULL), "agg", U1, 1, 1, 0, "stack");
	tu_hint(tu_node(t, "c1", "Identity", "unstack:1", NULL), "agg", U1, 1, 0, 1, "stack");
	tu_hint(tu_node(t, "n1", "Identity", "unstack_1:1", NULL), "agg", U1, 1, 1, 1, "stack");
	tu_node(t, "addleft", "Add", "c0", "n0", NULL);
	tu_node(t, "addright", "Add", "c1", "n1", NULL);
	tu_hint(tu_node(t, "out0", "Identity", "addleft", NULL), "agg", U1, 0, 0, 0, "stack");
	tu_hint(tu_node(t, "out1", "Identity", "addright", NULL), "agg", U1, 0, 0, 1, "stack");
	Tensorflow__NodeDef *p = swap ? tu_node(t, "stack", "Pack", "out1", "out0", NULL)
				      : tu_node(t, "stack", "Pack", "out0", "out1", NULL);
	tu_attr_i(p, "N", 2);
	tu_attr_type(p, "T", 1);
	if (final)
		tu_node(t, "FINAL_OUTPUT", "Identity", "stack", NULL);
	if (extra_reader)
		tu_node(t, "also", "Neg", "out1", NULL);
	return t;
}

static tu_graph *aggregate_graph(int axis_user, int swap, int extra_reader)
{
	return aggregate_graph_of(axis_user, swap, extra_reader, 1);
}

/* The model's `stack`: a Pack of the stacked hint outputs that nothing
 * reads is the graph's output, asked for by name (output_arrays=stack).
 * The clean-up keeps it, reading the stub through the stub's Unpack; the
 * input side (the hint Pack, read by the stub) still collapses. */
START_TEST(test_unread_pack_is_an_output)
{
	tu_graph *t = aggregate_graph_of(0, 0, 0, 0);
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_node *stack = node(g, "stack");
	ck_assert_ptr_nonnull(stack);
	ck_assert_uint_eq(hs_node_consumer_count(stack), 0);
	assert_input(stack, 0, "out0");
	assert_input(stack, 1, "out1");
	assert_input(node(g, "out0"), 0, "OpHintUnstack-out0");
	assert_input(node(g, "out1"), 0, "OpHintUnstack-out0:1");
	assert_input(node(g, "OpHintUnstack-out0"), 0, U1);
	assert_input(node(g, U1), 0, "Const");
	ck_assert_ptr_null(node(g, "unstack"));
	char *ops = reachable_ops(g, "stack");
	ck_assert_str_eq(ops, "Const,Identity,Pack,Unpack,agg");
	free(ops);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* Region removal: a node reading an interior node that nothing reads is
 * no part of the region (the walk goes up from the outputs); it stays,
 * and so does what it reads (an interior escape), whatever the policy
 * makes of the call. */
START_TEST(test_unread_reader_of_region_stays)
{
	tu_graph *t = aggregate_graph(0, 0, 0);
	tu_node(t, "dangle", "Neg", "addleft", NULL);
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	ck_assert_ptr_nonnull(node(g, "dangle"));
	ck_assert_ptr_nonnull(node(g, "addleft"));
	assert_input(node(g, "dangle"), 0, "addleft");
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_tf_aggregate)
{
	tu_graph *t = aggregate_graph(0, 0, 0);
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	char *ops = reachable_ops(g, "FINAL_OUTPUT");
	ck_assert_str_eq(ops, "Const,Identity,agg");
	free(ops);
	/* As TF's worked result: stub(Const, Const_1), FINAL_OUTPUT(stub). */
	hs_node *stub = node(g, U1);
	assert_input(stub, 0, "Const");
	assert_input(stub, 1, "Const_1");
	assert_input(node(g, "FINAL_OUTPUT"), 0, U1);
	int dt[1] = { 1 };
	assert_list_type(stub, "_output_types", dt, 1);
	ck_assert_ptr_null(node(g, "unstack"));
	ck_assert_ptr_null(node(g, "stack"));
	ck_assert_uint_eq(count_op(g, "Pack") + count_op(g, "Unpack"), 0);
	ck_assert_uint_gt(hs_report_pack_unpack_removed(r), 0);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_pack_unpack_refusals)
{
	/* 0: Unpack axis 1 under a hint Pack (axis 0); 1: reversed user
	 * stack; 2: an extra reader of an output identity. */
	int axis = _i == 0, swap = _i == 1, extra = _i == 2;
	tu_graph *t = aggregate_graph(axis, swap, extra);
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_node *stub = node(g, U1);
	if (axis) {
		ck_assert_ptr_nonnull(node(g, "unstack"));
		assert_input(stub, 0, "OpHintStack-c0");
		assert_input(stub, 1, "Const_1");
	}
	if (swap) {
		ck_assert_ptr_nonnull(node(g, "stack"));
		ck_assert_ptr_nonnull(node(g, "OpHintUnstack-out0"));
		assert_input(node(g, "FINAL_OUTPUT"), 0, "stack");
		assert_input(node(g, "out1"), 0, "OpHintUnstack-out0:1");
	}
	if (extra) {
		/* Collapsed, but out1 and the Unpack it reads stay. */
		assert_input(node(g, "FINAL_OUTPUT"), 0, U1);
		ck_assert_ptr_null(node(g, "stack"));
		ck_assert_ptr_null(node(g, "out0"));
		assert_input(node(g, "out1"), 0, "OpHintUnstack-out0:1");
		assert_input(node(g, "also"), 0, "out1");
	}
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_control_reader_of_pack_stays_control)
{
	tu_graph *t = aggregate_graph(0, 0, 0);
	tu_node(t, "ctl", "NoOp", "^stack", NULL);
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	assert_input(node(g, "ctl"), 0, "^" U1);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_keep_pack_unpack)
{
	tu_graph *t = aggregate_graph(0, 0, 0);
	hs_graph *g = tu_graph_load(t);
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.apply.keep_pack_unpack = 1;
	hs_report *r = convert(g, &o);
	hs_node *pack = node(g, "OpHintStack-c0");
	ck_assert_ptr_nonnull(pack);
	ck_assert_int_eq(attr_i(pack, "N"), 2);
	assert_input(pack, 0, "c0");
	assert_input(pack, 1, "c1");
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, pack, "axis"), HS_ENOTFOUND);
	hs_node *un = node(g, "OpHintUnstack-out0");
	ck_assert_int_eq(attr_i(un, "num"), 2);
	assert_input(un, 0, U1);
	assert_input(node(g, "out0"), 0, "OpHintUnstack-out0");
	assert_input(node(g, "out1"), 0, "OpHintUnstack-out0:1");
	ck_assert_uint_eq(hs_report_pack_unpack_removed(r), 0);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* ------------------------------------------------------------ layouts */

/* Inputs 0 and 2 (1 absent), outputs 1 (single) and 3 (stack of 1). */
static tu_graph *gap_graph(void)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, "i0", "Identity", "x", NULL), "f", U1, 1, 0, -1, NULL);
	tu_hint(tu_node(t, "i2", "Identity", "x", NULL), "f", U1, 1, 2, -1, NULL);
	tu_node(t, "add", "Add", "i0", "i2", NULL);
	tu_node(t, "neg", "Neg", "add", NULL);
	tu_hint(tu_node(t, "o1", "Identity", "add", NULL), "f", U1, 0, 1, -1, NULL);
	tu_hint(tu_node(t, "o3", "Identity", "neg", NULL), "f", U1, 0, 3, 0, "stack");
	tu_node(t, "y", "Add", "o1", "o3", NULL);
	return t;
}

START_TEST(test_layout_dense)
{
	tu_graph *t = gap_graph();
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	hs_node *stub = node(g, U1);
	ck_assert_uint_eq(hs_node_input_count(stub), 3);
	assert_input(stub, 0, "i0");
	assert_input(stub, 1, "Const" U1);
	assert_input(stub, 2, "i2");
	int64_t present[2] = { 0, 2 };
	assert_list_i(stub, "_tflite_input_indices", present, 2);
	int types[4] = { 0, 1, 0, 1 };
	assert_list_type(stub, "_output_types", types, 4);
	hs_node *k = node(g, "Const" U1);
	ck_assert(hs_str_eq(hs_node_op(k), "Const"));
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, k, "value"), HS_OK);
	ck_assert_int_eq(a.kind, HS_ATTR_TENSOR);
	ck_assert_int_eq(hs_node_attr(&a, stub, "_output_quantized"), HS_OK);
	ck_assert_int_eq(a.kind, HS_ATTR_B);
	ck_assert_int_eq(a.v.b, 0);
	assert_input(node(g, "o1"), 0, U1 ":1");
	assert_input(node(g, "OpHintUnstack-o3"), 0, U1 ":3");
	ck_assert_int_eq(attr_i(node(g, "OpHintUnstack-o3"), "num"), 1);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_layout_present_and_tf_exact)
{
	tu_graph *t = gap_graph();
	hs_graph *g = tu_graph_load(t);
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.plan.input_layout = HS_LAYOUT_PRESENT;
	o.plan.tf_exact = 1;
	hs_report *r = convert(g, &o);
	hs_node *stub = node(g, U1);
	ck_assert_uint_eq(hs_node_input_count(stub), 2);
	assert_input(stub, 0, "i0");
	assert_input(stub, 1, "i2");
	ck_assert_ptr_null(node(g, "Const" U1));
	int types[2] = { 0, 1 }; /* TF: 0 for the single output */
	assert_list_type(stub, "_output_types", types, 2);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_tf_exact_dense_const_always)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, "i0", "Identity", "x", NULL), "f", U1, 1, 0, -1, NULL);
	tu_node(t, "neg", "Neg", "i0", NULL);
	tu_hint(tu_node(t, "o0", "Identity", "neg", NULL), "f", U1, 0, 0, -1, NULL);
	tu_node(t, "Const" U1, "Const", NULL); /* the name is taken */
	hs_graph *g = tu_graph_load(t);
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.plan.tf_exact = 1;
	hs_report *r = convert(g, &o);
	ck_assert_ptr_nonnull(node(g, "Const" U1 "_1"));
	int types[1] = { 0 };
	assert_list_type(node(g, U1), "_output_types", types, 1);
	ck_assert_uint_eq(hs_node_input_count(node(g, U1)), 1);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* ---------------------------------------------------- policies, errors */

START_TEST(test_error_call_is_skipped_graph_untouched)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, "a", "Identity", "x", NULL), "f", U1, 1, 0, 0, "stack");
	tu_hint(tu_node(t, "b", "Identity", "x", NULL), "f", U1, 1, 0, 2, "stack");
	tu_node(t, "add", "Add", "a", "b", NULL);
	tu_hint(tu_node(t, "o", "Identity", "add", NULL), "f", U1, 0, 0, -1, NULL);
	size_t len;
	uint8_t *in = tu_graph_pack(t, &len);
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	const hs_call_report *e = hs_report_entry(r, 0);
	ck_assert_int_eq(e->result, HS_CALL_SKIPPED);
	ck_assert_int_eq(e->error, 1);
	ck_assert_ptr_nonnull(strstr(e->reason, "sort index 1 is missing"));
	ck_assert_uint_eq(hs_report_errors(r), 1);
	void *out;
	size_t out_len;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, g), HS_OK);
	ck_assert_uint_eq(out_len, len);
	ck_assert_int_eq(memcmp(out, in, len), 0);
	hs_free(out);
	free(in);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_escape_warn_keeps_graph_valid)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, "in", "Identity", "x", NULL), "f", U1, 1, 0, -1, NULL);
	tu_node(t, "mul", "Mul", "in", "in", NULL);
	tu_node(t, "neg", "Neg", "mul", NULL);
	tu_hint(tu_node(t, "out", "Identity", "neg", NULL), "f", U1, 0, 0, -1, NULL);
	tu_node(t, "esc", "Neg", "mul", NULL);
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	ck_assert_int_eq(hs_report_entry(r, 0)->result, HS_CALL_SKIPPED);
	hs_report_free(r);
	hs_graph_free(g);
	g = tu_graph_load(t);
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.plan.interior_escape = HS_POLICY_WARN;
	r = convert(g, &o);
	ck_assert_int_eq(hs_report_entry(r, 0)->result, HS_CALL_CONVERTED);
	ck_assert_ptr_nonnull(node(g, "mul"));
	ck_assert_ptr_null(node(g, "neg"));
	assert_input(node(g, "esc"), 0, "mul");
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_level2_skipped_untouched)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	Tensorflow__NodeDef *in = tu_node(t, "in", "Identity", "x", NULL);
	tu_node(t, "w", "While", "in", NULL);
	Tensorflow__NodeDef *out = tu_node(t, "out", "Identity", "w", NULL);
	tu_hint(in, "TfLiteDynamicRnn", U1, 1, 0, -1, NULL);
	tu_hint(out, "TfLiteDynamicRnn", U1, 0, 0, -1, NULL);
	tu_attr_i(in, "_tflite_ophint_level", 2);
	tu_attr_i(out, "_tflite_ophint_level", 2);
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	const hs_call_report *e = hs_report_entry(r, 0);
	ck_assert_int_eq(e->result, HS_CALL_SKIPPED);
	ck_assert_int_eq(e->error, 1);
	ck_assert_ptr_nonnull(strstr(e->reason, "has no body function"));
	ck_assert_ptr_nonnull(node(g, "w"));
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_overlap_first_call_wins)
{
	/* Call U2 sits inside the region of U1. */
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, "a_in", "Identity", "x", NULL), "outer", U1, 1, 0, -1, NULL);
	tu_hint(tu_node(t, "b_in", "Identity", "a_in", NULL), "inner", U2, 1, 0, -1, NULL);
	tu_node(t, "neg", "Neg", "b_in", NULL);
	tu_hint(tu_node(t, "b_out", "Identity", "neg", NULL), "inner", U2, 0, 0, -1, NULL);
	tu_node(t, "sq", "Square", "b_out", NULL);
	tu_hint(tu_node(t, "a_out", "Identity", "sq", NULL), "outer", U1, 0, 0, -1, NULL);
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	ck_assert_int_eq(hs_report_entry(r, 0)->result, HS_CALL_CONVERTED);
	const hs_call_report *e = hs_report_entry(r, 1);
	ck_assert_int_eq(e->result, HS_CALL_SKIPPED);
	ck_assert_ptr_nonnull(strstr(e->reason, "overlaps"));
	ck_assert_ptr_nonnull(node(g, U1));
	ck_assert_ptr_null(node(g, U2));
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_overlap_winner_refused_frees_loser)
{
	/* U1 (first) swallows U2 but its stub would close a cycle (its input
	 * reads its output): U1 is refused, and U2, which only lost the
	 * overlap to it, converts. */
	tu_graph *t = tu_graph_new();
	tu_node(t, "c", "Const", NULL);
	tu_hint(tu_node(t, "a_in", "Identity", "a_out", NULL), "outer", U1, 1, 0, -1, NULL);
	tu_hint(tu_node(t, "b_in", "Identity", "c", NULL), "inner", U2, 1, 0, -1, NULL);
	tu_node(t, "neg", "Neg", "b_in", NULL);
	tu_hint(tu_node(t, "b_out", "Identity", "neg", NULL), "inner", U2, 0, 0, -1, NULL);
	tu_node(t, "sq", "Square", "b_out", NULL);
	tu_hint(tu_node(t, "a_out", "Identity", "sq", NULL), "outer", U1, 0, 0, -1, NULL);
	tu_node(t, "y", "Relu", "a_in", NULL);
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	const hs_call_report *a = hs_report_entry(r, 0), *b = hs_report_entry(r, 1);
	ck_assert(hs_str_eq(a->uuid, U1));
	ck_assert_int_eq(a->result, HS_CALL_SKIPPED);
	ck_assert_ptr_nonnull(strstr(a->reason, "cycle"));
	ck_assert_int_eq(b->result, HS_CALL_CONVERTED);
	ck_assert_ptr_null(b->reason);
	ck_assert_str_eq(b->plugin, "generic");
	ck_assert_ptr_nonnull(node(g, U2));
	ck_assert_ptr_null(node(g, U1));
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_edited_function_name_outlives_strip)
{
	/* The call's function comes from an attribute set by an edit, which
	 * --strip-hints removes (and frees): the report must still name it
	 * (it read freed memory when the call kept a view of the attribute). */
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, "in", "Identity", "x", NULL), "old", U1, 1, 0, -1, NULL);
	tu_node(t, "neg", "Neg", "in", NULL);
	tu_hint(tu_node(t, "out", "Identity", "neg", NULL), "old", U1, 0, 0, -1, NULL);
	hs_graph *g = tu_graph_load(t);
	hs_str renamed = { "RenamedFn", 9 };
	ck_assert_int_eq(hs_node_set_attr_s(node(g, "in"), HS_ATTR_FUNCTION_NAME, renamed), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_s(node(g, "out"), HS_ATTR_FUNCTION_NAME, renamed), HS_OK);
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.apply.strip_hints = 1;
	hs_report *r = convert(g, &o);
	char *json = NULL;
	ck_assert_int_eq(hs_report_to_json(&json, r), HS_OK);
	ck_assert_ptr_nonnull(strstr(json, "\"function\":\"RenamedFn\""));
	ck_assert(hs_str_eq(hs_report_entry(r, 0)->function, "RenamedFn"));
	hs_free(json);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* --strip-hints on an identity with many other attributes: they stay,
 * the hints go, and the check that none is left walks the node once
 * (by index it walked it once per attribute: 20,000^2 / 2 steps). */
START_TEST(test_strip_hints_many_attributes)
{
	enum { EXTRA = 20000 };
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	Tensorflow__NodeDef *in = tu_node(t, "in", "Identity", "x", NULL);
	tu_hint(in, "f", U1, 1, 0, -1, NULL);
	tu_attrs_i(in, "extra_", EXTRA);
	tu_node(t, "neg", "Neg", "in", NULL);
	tu_hint(tu_node(t, "out", "Identity", "neg", NULL), "f", U1, 0, 0, -1, NULL);
	hs_graph *g = tu_graph_load(t);
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.apply.strip_hints = 1;
	hs_report *r = convert(g, &o);
	ck_assert_int_eq(hs_report_entry(r, 0)->result, HS_CALL_CONVERTED);
	hs_node *kept = node(g, "in");
	ck_assert_uint_eq(hs_node_attr_count(kept), EXTRA + 1); /* and T */
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, kept, "extra_12345"), HS_OK);
	ck_assert_int_eq(hs_node_attr(&a, kept, HS_ATTR_FUNCTION_NAME), HS_ENOTFOUND);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_cycle_refused)
{
	/* The output is made from a constant; the input reads the output.
	 * A stub would read `in` and feed `out`: a cycle. */
	tu_graph *t = tu_graph_new();
	tu_node(t, "c", "Const", NULL);
	tu_node(t, "m", "Neg", "c", NULL);
	tu_hint(tu_node(t, "out", "Identity", "m", NULL), "f", U1, 0, 0, -1, NULL);
	tu_hint(tu_node(t, "in", "Identity", "out", NULL), "f", U1, 1, 0, -1, NULL);
	tu_node(t, "y", "Square", "in", NULL);
	/* An unrelated good call still converts. */
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, "i2", "Identity", "x", NULL), "g", U2, 1, 0, -1, NULL);
	tu_node(t, "n2", "Neg", "i2", NULL);
	tu_hint(tu_node(t, "o2", "Identity", "n2", NULL), "g", U2, 0, 0, -1, NULL);
	hs_graph *g = tu_graph_load(t);
	hs_report *r = convert(g, NULL);
	const hs_call_report *e = hs_report_entry(r, 0);
	ck_assert_int_eq(e->result, HS_CALL_SKIPPED);
	ck_assert_int_eq(e->error, 1);
	ck_assert_str_eq(e->problems[e->n_problems - 1].code, "cycle");
	ck_assert_ptr_nonnull(strstr(e->reason, "cycle"));
	ck_assert_int_eq(hs_report_entry(r, 1)->result, HS_CALL_CONVERTED);
	ck_assert_ptr_null(node(g, U1));
	ck_assert_ptr_nonnull(node(g, "m"));
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_dry_run_changes_nothing)
{
	size_t len;
	uint8_t *in = tu_read_file(FIXTURE, &len);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, in, len, "fixture", NULL), HS_OK);
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.apply.dry_run = 1;
	hs_report *r = convert(g, &o);
	ck_assert_uint_eq(hs_report_converted(r), 2);
	ck_assert(hs_report_dry_run(r));
	ck_assert_uint_gt(hs_report_entry(r, 0)->nodes_removed, 50);
	void *out;
	size_t out_len;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, g), HS_OK);
	ck_assert_uint_eq(out_len, len);
	ck_assert_int_eq(memcmp(out, in, len), 0);
	char *json = NULL;
	ck_assert_int_eq(hs_report_to_json(&json, r), HS_OK);
	ck_assert_ptr_nonnull(strstr(json, "\"dry_run\":true"));
	ck_assert_ptr_nonnull(strstr(json, "\"uuid\":\"" L1 "\""));
	ck_assert_ptr_nonnull(strstr(json, "\"result\":\"converted\""));
	hs_free(json);
	hs_free(out);
	free(in);
	hs_report_free(r);
	hs_graph_free(g);
}
END_TEST

/* ------------------------------------------------------------- fixture */

static hs_graph *convert_fixture(hs_input_layout layout, int strip, hs_report **rep)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	o.plan.input_layout = layout;
	o.apply.strip_hints = strip;
	*rep = convert(g, &o);
	return g;
}

START_TEST(test_fixture_lstm)
{
	hs_report *r;
	hs_graph *g = convert_fixture(HS_LAYOUT_DENSE, 0, &r);
	ck_assert_uint_eq(hs_report_converted(r), 2);
	ck_assert_uint_eq(hs_report_errors(r), 0);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	ck_assert_uint_eq(hs_graph_node_count(g), 162);
	hs_node *s1 = node(g, L1), *s2 = node(g, L2);
	ck_assert(hs_str_eq(hs_node_op(s1), "UnidirectionalSequenceLstm"));
	ck_assert(hs_str_eq(hs_node_op(s2), "UnidirectionalSequenceLstm"));
	ck_assert_uint_eq(count_op(g, "UnidirectionalSequenceLstm"), 2);
	/* Layer 1: input 0 packs the three step hints reading unstack. */
	int port;
	hs_node *pack = hs_node_input_node(s1, 0, &port);
	ck_assert(hs_str_eq(hs_node_op(pack), "Pack"));
	ck_assert_int_eq(attr_i(pack, "N"), 3);
	static const char *const steps[3] = { "unstack", "unstack:1", "unstack:2" };
	for (size_t i = 0; i < 3; i++) {
		hs_node *hint = hs_node_input_node(pack, i, NULL);
		hs_attr a;
		ck_assert_int_eq(hs_node_attr(&a, hint, "_tflite_function_uuid"), HS_OK);
		assert_input(hint, 0, steps[i]);
	}
	int64_t idx1[18], idx2[15];
	for (int i = 0; i < 16; i++)
		idx1[i] = i;
	idx1[16] = 18;
	idx1[17] = 19;
	assert_list_i(s1, "_tflite_input_indices", idx1, 18);
	ck_assert_uint_eq(hs_node_input_count(s1), 20);
	assert_input(s1, 16, "Const" L1);
	/* Layer 2 reads layer 1's stacked m directly. */
	assert_input(s2, 0, L1 ":2");
	size_t k = 0;
	for (int i = 0; i <= 8; i++)
		idx2[k++] = i;
	for (int i = 12; i <= 15; i++)
		idx2[k++] = i;
	idx2[k++] = 18;
	idx2[k++] = 19;
	assert_list_i(s2, "_tflite_input_indices", idx2, 15);
	/* One Unpack(num=3) of layer 2's port 2; its element 2 feeds OUTPUT. */
	ck_assert_uint_eq(count_op(g, "Unpack"), 2); /* with the user's unstack */
	hs_node *out = node(g, "OUTPUT");
	hs_node *ident = hs_node_input_node(out, 0, NULL);
	ck_assert(hs_str_eq(hs_node_op(ident), "Identity"));
	hs_node *un = hs_node_input_node(ident, 0, &port);
	ck_assert_int_eq(port, 2);
	ck_assert(hs_str_eq(hs_node_op(un), "Unpack"));
	ck_assert_int_eq(attr_i(un, "num"), 3);
	assert_input(un, 0, L2 ":2");
	static const char *const gone[] = { "MatMul", "BiasAdd", "Sigmoid", "Tanh",
					    "Mul", "Add", "AddV2" };
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
		ck_assert_msg(count_op(g, gone[i]) == 0, "%s left", gone[i]);
	ck_assert_uint_eq(count_op(g, "Pack"), 1);
	int types[3] = { 0, 1, 1 };
	assert_list_type(s2, "_output_types", types, 3);
	hs_report_free(r);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_fixture_lstm_present)
{
	hs_report *r;
	hs_graph *g = convert_fixture(HS_LAYOUT_PRESENT, 0, &r);
	ck_assert_uint_eq(hs_graph_node_count(g), 160);
	ck_assert_uint_eq(hs_node_input_count(node(g, L1)), 18);
	ck_assert_ptr_null(node(g, "Const" L1));
	hs_report_free(r);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_fixture_strip_hints)
{
	hs_report *r;
	hs_graph *g = convert_fixture(HS_LAYOUT_DENSE, 1, &r);
	size_t tflite = 0;
	for (hs_node *x = hs_graph_next_node(g, NULL); x; x = hs_graph_next_node(g, x))
		for (size_t a = 0; a < hs_node_attr_count(x); a++) {
			hs_str key = hs_node_attr_key(x, a);
			tflite += key.len > 15 && memcmp(key.ptr, "_tflite_function", 16) == 0;
		}
	ck_assert_uint_eq(tflite, 0);
	/* The stub's own attributes stay. */
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, node(g, L1), "_tflite_input_indices"), HS_OK);
	hs_report_free(r);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_deterministic_bytes)
{
	void *out[2];
	size_t len[2];
	for (int i = 0; i < 2; i++) {
		hs_report *r;
		hs_graph *g = convert_fixture(HS_LAYOUT_DENSE, 0, &r);
		ck_assert_int_eq(hs_graph_write_buffer(&out[i], &len[i], g), HS_OK);
		hs_report_free(r);
		hs_graph_free(g);
	}
	ck_assert_uint_eq(len[0], len[1]);
	ck_assert_int_eq(memcmp(out[0], out[1], len[0]), 0);
	/* The written graph loads and verifies; converting it again changes
	 * nothing (hints stay on the identities, the stubs are there). */
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, out[0], len[0], "out", NULL), HS_OK);
	ck_assert_uint_eq(hs_graph_node_count(g), 162);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_report *r = convert(g, NULL);
	ck_assert_uint_eq(hs_report_converted(r), 0);
	ck_assert_int_eq(hs_report_entry(r, 0)->result, HS_CALL_KEPT);
	ck_assert_str_eq(hs_report_entry(r, 1)->reason, "already converted");
	ck_assert_uint_eq(hs_report_errors(r), 0);
	ck_assert_uint_eq(hs_report_entry(r, 1)->n_problems, 1);
	void *again;
	size_t again_len;
	ck_assert_int_eq(hs_graph_write_buffer(&again, &again_len, g), HS_OK);
	ck_assert_uint_eq(again_len, len[0]);
	ck_assert_int_eq(memcmp(again, out[0], len[0]), 0);
	hs_free(again);
	hs_report_free(r);
	hs_graph_free(g);
	hs_free(out[0]);
	hs_free(out[1]);
}
END_TEST

START_TEST(test_chain_of_many_calls)
{
	/* More calls than any initial table size: grouping must hold. */
	enum { CALLS = 150 };
	tu_graph *t = tu_graph_new();
	char prev[64] = "x", uuid[40], name[8][64];
	tu_node(t, "x", "Placeholder", NULL);
	for (int i = 0; i < CALLS; i++) {
		snprintf(uuid, sizeof uuid, "%032x", i + 1);
		static const char *const fmt[8] = { "w%d", "in0_%d", "in1_%d", "conv%d",
						    "relu%d", "out%d", "b%d", "add%d" };
		for (int k = 0; k < 8; k++)
			snprintf(name[k], sizeof name[k], fmt[k], i);
		tu_node(t, name[0], "Const", NULL);
		tu_hint(tu_node(t, name[1], "Identity", prev, NULL), "CustomConv", uuid, 1, 0, -1, NULL);
		tu_hint(tu_node(t, name[2], "Identity", name[0], NULL), "CustomConv", uuid, 1, 1, -1, NULL);
		tu_node(t, name[3], "Conv2D", name[1], name[2], NULL);
		tu_node(t, name[6], "Const", NULL);
		tu_node(t, name[7], "BiasAdd", name[3], name[6], NULL);
		tu_node(t, name[4], "Relu", name[7], NULL);
		tu_hint(tu_node(t, name[5], "Identity", name[4], NULL), "CustomConv", uuid, 0, 0, -1, NULL);
		snprintf(prev, sizeof prev, "%s", name[5]);
	}
	hs_graph *g = tu_graph_load(t);
	size_t before = hs_graph_node_count(g);
	hs_report *r = convert(g, NULL);
	ck_assert_uint_eq(hs_report_count(r), CALLS);
	ck_assert_uint_eq(hs_report_converted(r), CALLS);
	/* Per call: conv, b, add, relu go; the stub comes. */
	ck_assert_uint_eq(hs_graph_node_count(g), before - 3 * CALLS);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	snprintf(uuid, sizeof uuid, "%032x", CALLS);
	assert_input(node(g, "out149"), 0, uuid);
	snprintf(uuid, sizeof uuid, "%032x", 77);
	assert_input(node(g, uuid), 0, "in0_76");
	assert_input(node(g, "in0_77"), 0, "out76");
	hs_report_free(r);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* Random small graphs with random (often inconsistent) hints: the pass
 * never fails, and whatever it converts leaves a valid graph. */
static uint32_t rnd_state;
static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

START_TEST(test_random_graphs_stay_valid)
{
	static const char *const aggs[] = { "stack", "first", "last", "bogus" };
	static const char *const uuids[] = { U1, U2, "cccc2222cccc2222cccc2222cccc2222" };
	size_t converted = 0;
	rnd_state = 12345u + (uint32_t)_i;
	for (int iter = 0; iter < 400; iter++) {
		tu_graph *t = tu_graph_new();
		enum { N = 24 };
		char name[N][8];
		for (int i = 0; i < N; i++) {
			snprintf(name[i], sizeof name[i], "n%d", i);
			Tensorflow__NodeDef *n;
			if (i < 2 || rnd(4) == 0) {
				n = tu_node(t, name[i], i < 2 ? "Placeholder" : "Const", NULL);
				continue;
			}
			int hinted = rnd(2);
			const char *a = name[rnd(i)], *b = name[rnd(i)];
			if (hinted) {
				n = tu_node(t, name[i], "Identity", a, NULL);
				int sort = (int)rnd(5) - 2;
				tu_hint(n, "fn", uuids[rnd(3)], (int)rnd(2), (int64_t)rnd(3),
					sort, sort >= 0 || rnd(3) == 0 ? aggs[rnd(4)] : NULL);
			} else if (rnd(5) == 0) {
				char ctl[12];
				snprintf(ctl, sizeof ctl, "^%s", b);
				n = tu_node(t, name[i], "Neg", a, ctl, NULL);
			} else {
				n = tu_node(t, name[i], "Add", a, b, NULL);
			}
		}
		hs_graph *g = tu_graph_load(t);
		ck_assert_ptr_nonnull(g);
		if (getenv("HS_DUMP_SEED") && atoi(getenv("HS_DUMP_SEED")) == _i &&
		    atoi(getenv("HS_DUMP_ITER")) == iter) {
			size_t len;
			uint8_t *bytes = tu_graph_pack(t, &len);
			tu_write_file(getenv("HS_DUMP_FILE"), bytes, len);
			free(bytes);
		}
		hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
		o.plan.interior_escape = (hs_policy)rnd(3);
		o.plan.unhinted_side_input = (hs_policy)rnd(3);
		o.plan.input_layout = (hs_input_layout)rnd(2);
		o.plan.tf_exact = (int)rnd(2);
		o.apply.strip_hints = (int)rnd(2);
		hs_report *r = NULL;
		int rc = hs_convert(&r, g, &o);
		ck_assert_msg(rc == HS_OK, "seed %d iteration %d: %s", _i, iter, hs_error_last());
		converted += hs_report_converted(r);
		ck_assert_int_eq(hs_graph_verify(g), HS_OK);
		hs_report_free(r);
		hs_graph_free(g);
		tu_graph_free(t);
	}
	ck_assert_uint_gt(converted, 0);
}
END_TEST

static Suite *convert_suite(void)
{
	Suite *s = suite_create("convert");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_tf_swish);
	tcase_add_test(tc, test_tf_scale_and_bias_and_identity);
	tcase_add_test(tc, test_tf_two_functions);
	tcase_add_test(tc, test_tf_aggregate);
	tcase_add_loop_test(tc, test_pack_unpack_refusals, 0, 3);
	tcase_add_test(tc, test_control_reader_of_pack_stays_control);
	tcase_add_test(tc, test_keep_pack_unpack);
	tcase_add_test(tc, test_unread_pack_is_an_output);
	tcase_add_test(tc, test_unread_reader_of_region_stays);
	tcase_add_test(tc, test_layout_dense);
	tcase_add_test(tc, test_layout_present_and_tf_exact);
	tcase_add_test(tc, test_tf_exact_dense_const_always);
	tcase_add_test(tc, test_error_call_is_skipped_graph_untouched);
	tcase_add_test(tc, test_escape_warn_keeps_graph_valid);
	tcase_add_test(tc, test_level2_skipped_untouched);
	tcase_add_test(tc, test_overlap_first_call_wins);
	tcase_add_test(tc, test_cycle_refused);
	tcase_add_test(tc, test_strip_hints_many_attributes);
	tcase_add_test(tc, test_overlap_winner_refused_frees_loser);
	tcase_add_test(tc, test_edited_function_name_outlives_strip);
	tcase_add_test(tc, test_dry_run_changes_nothing);
	tcase_add_test(tc, test_fixture_lstm);
	tcase_add_test(tc, test_fixture_lstm_present);
	tcase_add_test(tc, test_fixture_strip_hints);
	tcase_add_test(tc, test_deterministic_bytes);
	tcase_add_test(tc, test_chain_of_many_calls);
	tcase_add_loop_test(tc, test_random_graphs_stay_valid, 0, 8);
	/* Seeds that once needed a second round of cycle refusal. */
	tcase_add_loop_test(tc, test_random_graphs_stay_valid, 138, 139);
	tcase_add_loop_test(tc, test_random_graphs_stay_valid, 266, 267);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(convert_suite()); }
