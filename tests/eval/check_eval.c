/* The evaluator itself: tensors, options, feeds, fetches, memoisation,
 * errors, deep graphs; and the core kernels (Const, Placeholder,
 * Identity). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaltest.h"

START_TEST(test_tensor_new)
{
	hs_value *t;
	ck_assert_int_eq(hs_value_new(&t, HS_DT_FLOAT, 2, ET_DIMS(2, 3)), HS_OK);
	ck_assert_uint_eq(t->elements, 6);
	ck_assert_uint_eq(hs_value_size(t), 24);
	ck_assert(((float *)t->data)[5] == 0.0f);
	hs_value *r = hs_value_ref(t);
	ck_assert_ptr_eq(r, t);
	hs_value_free(t);
	hs_value_free(r);
	ck_assert_int_eq(hs_value_new(&t, HS_DT_INT32, 0, NULL), HS_OK);
	ck_assert_uint_eq(t->elements, 1);
	hs_value_free(t);
	ck_assert_int_eq(hs_value_new(&t, HS_DT_BOOL, 2, ET_DIMS(0, 5)), HS_OK);
	ck_assert_uint_eq(t->elements, 0);
	ck_assert_ptr_null(t->data);
	hs_value_free(t);
	/* Hostile shapes fail before allocating. */
	ck_assert_int_eq(hs_value_new(&t, HS_DT_FLOAT, 3, ET_DIMS(1 << 20, 1 << 20, 1 << 20)),
			 HS_ELIMIT);
	ck_assert_ptr_null(t);
	ck_assert_str_eq(hs_error_last(), "a DT_FLOAT tensor of shape [1048576,1048576,1048576] is too large");
	ck_assert_int_eq(hs_value_new(&t, HS_DT_FLOAT, 1, ET_DIMS(-1)), HS_EINVAL);
	ck_assert_int_eq(hs_value_new(&t, 7, 0, NULL), HS_EINVAL);
	ck_assert_int_eq(hs_value_new(&t, HS_DT_FLOAT, 9, ET_DIMS(1, 1, 1, 1, 1, 1, 1, 1, 1)),
			 HS_EINVAL);
	hs_value_free(NULL);
	char buf[32];
	ck_assert_str_eq(hs_shape_text(buf, sizeof buf, 0, NULL), "[]");
	ck_assert_str_eq(hs_shape_text(buf, sizeof buf, 2, ET_DIMS(4, -1)), "[4,-1]");
}
END_TEST

START_TEST(test_options)
{
	hs_eval_options o;
	ck_assert_int_eq(hs_eval_options_init(&o, HS_EVAL_OPTIONS_VERSION), HS_OK);
	ck_assert_uint_eq(o.version, HS_EVAL_OPTIONS_VERSION);
	ck_assert_int_eq(hs_eval_options_init(&o, 99), HS_EINVAL);
	hs_graph *g = et_graph("a = Const f32 [] 1", NULL);
	hs_eval *ev = NULL;
	o.version = 99;
	ck_assert_int_eq(hs_eval_new(&ev, g, &o), HS_EINVAL);
	ck_assert_ptr_null(ev);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_const_encodings)
{
	/* Typed fields, a splat from one value, a short field repeating its
	 * last value, int64 and bool fields. */
	et_check_f("a = Const f32 [2,2] 1 2 3 4", "a", 2, ET_DIMS(2, 2), ET_F(1, 2, 3, 4));
	et_check_f("a = Const f32 [2,3] 7", "a", 2, ET_DIMS(2, 3), ET_F(7, 7, 7, 7, 7, 7));
	et_check_f("a = Const f32 [4] 1 2", "a", 1, ET_DIMS(4), ET_F(1, 2, 2, 2));
	et_check_f("a = Const f32 [] -2.5", "a", 0, NULL, ET_F(-2.5));
	et_check_i("a = Const i32 [3] 5 -6 7", "a", HS_DT_INT32, 1, ET_DIMS(3), ET_I(5, -6, 7));
	et_check_i("a = Const i64 [2] 9000000000 -1", "a", HS_DT_INT64, 1, ET_DIMS(2),
		   ET_I(9000000000LL, -1));
	et_check_i("a = Const bool [3] 1 0 1", "a", HS_DT_BOOL, 1, ET_DIMS(3), ET_I(1, 0, 1));
	et_check_i("a = Const i32 [0]", "a", HS_DT_INT32, 1, ET_DIMS(0), ET_I(0));
	et_check_fails("a = Const f64 [1] 1", "a", "node 'a' (Const): a DT_DOUBLE constant");
}
END_TEST

/* tensor_content: raw little-endian bytes. */
START_TEST(test_const_content)
{
	hs_graph *g = et_graph("", "node { name: \"c\" op: \"Const\" attr { key: \"value\" value { tensor { "
				   "dtype: DT_FLOAT tensor_shape { dim { size: 2 } } "
				   "tensor_content: \"\\000\\000\\300?\\000\\000\\000\\300\" } } } }");
	hs_value *t = et_run(g, "c", 0);
	ck_assert_msg(t != NULL, "%s", hs_error_last());
	et_expect_f(t, 1, ET_DIMS(2), ET_F(1.5, -2));
	hs_value_free(t);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_placeholder_feed)
{
	hs_graph *g = et_graph("x = Placeholder f32 [-1,2]\n"
			       "y = Identity x\n"
			       "d = Const f32 [1] 3\n"
			       "p = PlaceholderWithDefault d\n", NULL);
	hs_value *x = et_float(2, ET_DIMS(1, 2), ET_F(4, 5));
	hs_value *t = et_run(g, "y", 1, "x", x);
	et_expect_f(t, 2, ET_DIMS(1, 2), ET_F(4, 5));
	/* Identity shares its input. */
	ck_assert_ptr_eq(t, x);
	hs_value_free(t);
	t = et_run(g, "p:0", 0);
	et_expect_f(t, 1, ET_DIMS(1), ET_F(3));
	hs_value_free(t);
	/* A fed PlaceholderWithDefault reads the feed. */
	t = et_run(g, "p", 1, "p", x);
	ck_assert_ptr_eq(t, x);
	hs_value_free(t);
	/* Any output can be fed: then its inputs are not evaluated. */
	t = et_run(g, "y", 1, "y", x);
	ck_assert_ptr_eq(t, x);
	hs_value_free(t);
	ck_assert_ptr_null(et_run(g, "y", 0));
	ck_assert_str_eq(hs_error_last(), "node 'x' (Placeholder): no value was fed for this placeholder");

	hs_placeholder *ph;
	size_t n;
	ck_assert_int_eq(hs_eval_placeholders(&ph, &n, g), HS_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert(hs_str_eq(hs_node_name(ph[0].node), "x"));
	ck_assert_int_eq(ph[0].dtype, HS_DT_FLOAT);
	ck_assert_int_eq(ph[0].rank, 2);
	ck_assert_int_eq(ph[0].dims[0], -1);
	ck_assert_int_eq(ph[0].dims[1], 2);
	ck_assert_int_eq(ph[0].has_default, 0);
	ck_assert(hs_str_eq(hs_node_name(ph[1].node), "p"));
	ck_assert_int_eq(ph[1].has_default, 1);
	ck_assert_int_eq(ph[1].rank, -1);
	hs_free(ph);
	hs_value_free(x);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_errors)
{
	et_check_fails("a = Const f32 [] 1\nb = Frobnicate a", "b",
		       "no kernel for op Frobnicate (node 'b')");
	/* Only what the fetch needs is evaluated. */
	et_check_f("a = Const f32 [] 1\nb = Frobnicate a\nc = Identity a", "c", 0, NULL, ET_F(1));
	et_check_fails("a = Const f32 [] 1", "nope", "no node 'nope'");
	et_check_fails("a = Const f32 [] 1", "a:1", "node 'a' (Const): output 1 is read, the op has 1 output");
	et_check_fails("a = Identity b\nb = Identity a", "a", "cycle through node");
	et_check_fails("a = Identity zz", "a", "input 'zz' of node 'a' names no node");
	et_check_fails("n = NoOp", "n", "node 'n' (NoOp): output 0 is read, the op has 0 outputs");
	/* A node without an op (a fuzzer's find). */
	hs_graph *g = et_graph("", "node { name: \"x\" }");
	ck_assert_ptr_null(et_run(g, "x", 0));
	ck_assert_str_eq(hs_error_last(), "no kernel for op  (node 'x')");
	hs_graph_free(g);
	/* Control inputs are not evaluated. */
	et_check_f("z = Frobnicate\na = Const f32 [] 2\nb = Identity a ^z", "b", 0, NULL, ET_F(2));
}
END_TEST

static int hook_calls;

/* Doubles its input for op Twice; has no kernel for anything else. */
static int twice(void *user, const hs_node *n, const hs_value *const *in, size_t n_in,
		 hs_value **out, size_t n_out)
{
	ck_assert_ptr_eq(user, &hook_calls);
	hook_calls++;
	if (!hs_str_eq(hs_node_op(n), "Twice"))
		return HS_ENOTFOUND;
	ck_assert_uint_eq(n_in, 1);
	ck_assert_uint_eq(n_out, 1);
	int rc = hs_value_new(&out[0], HS_DT_FLOAT, in[0]->rank, in[0]->dims);
	if (rc < 0)
		return rc;
	for (uint64_t i = 0; i < in[0]->elements; i++)
		((float *)out[0]->data)[i] = 2 * ((const float *)in[0]->data)[i];
	return HS_OK;
}

START_TEST(test_hook)
{
	hs_graph *g = et_graph("a = Const f32 [2] 1 2\nb = Twice a\nc = Unknown a", NULL);
	hs_eval_options o = HS_EVAL_OPTIONS_INIT;
	o.kernel = twice;
	o.kernel_user = &hook_calls;
	hs_eval *ev;
	ck_assert_int_eq(hs_eval_new(&ev, g, &o), HS_OK);
	const char *fetch[] = { "b", "b:0", "a" };
	hs_value *out[3];
	ck_assert_int_eq(hs_eval_run(out, ev, fetch, 3), HS_OK);
	/* Memoised: one call for two fetches of the same node. */
	ck_assert_int_eq(hook_calls, 1);
	et_expect_f(out[0], 1, ET_DIMS(2), ET_F(2, 4));
	ck_assert_ptr_eq(out[0], out[1]);
	et_expect_f(out[2], 1, ET_DIMS(2), ET_F(1, 2));
	for (int i = 0; i < 3; i++)
		hs_value_free(out[i]);
	const char *fetch_c[] = { "a", "c" };
	ck_assert_int_eq(hs_eval_run(out, ev, fetch_c, 2), HS_ENOTFOUND);
	ck_assert_str_eq(hs_error_last(), "no kernel for op Unknown (node 'c')");
	ck_assert_ptr_null(out[0]);
	ck_assert_ptr_null(out[1]);
	hs_eval_free(ev);
	hs_graph_free(g);
}
END_TEST

/* A chain deeper than any C stack: both passes are iterative. */
START_TEST(test_deep_chain)
{
	enum { DEPTH = 200000 };
	size_t cap = (size_t)DEPTH * 40 + 64;
	char *text = malloc(cap), *p = text;
	p += sprintf(p, "n0 = Const f32 [] 3\n");
	for (int i = 1; i < DEPTH; i++)
		p += sprintf(p, "n%d = Identity n%d\n", i, i - 1);
	hs_graph *g = et_graph(text, NULL);
	free(text);
	char name[32];
	snprintf(name, sizeof name, "n%d", DEPTH - 1);
	hs_value *t = et_run(g, name, 0);
	ck_assert_msg(t != NULL, "%s", hs_error_last());
	et_expect_f(t, 0, NULL, ET_F(3));
	hs_value_free(t);
	hs_graph_free(g);
}
END_TEST

/* The memory limit counts the values alive at once. */
START_TEST(test_memory_limit)
{
	hs_graph *g = et_graph("a = Const f32 [1000] 1\nb = Identity a", NULL);
	hs_eval_options o = HS_EVAL_OPTIONS_INIT;
	o.max_memory = 1000;
	ck_assert_ptr_null(et_run_opts(g, &o, "b"));
	ck_assert_int_eq(hs_error_last_code(), HS_ELIMIT);
	ck_assert_str_eq(hs_error_last(), "node 'a' (Const): a DT_FLOAT tensor of shape [1000] (4000 bytes) would pass the memory limit of 1000 bytes (0 in use)");
	hs_graph_free(g);
}
END_TEST

/* Hostile shapes and names fail with a message, quickly, before any
 * large allocation. */
START_TEST(test_hostile)
{
	et_check_fails("d = Const i64 [2] 65536 65536\nv = Const f32 [] 1\nf = Fill d v", "f",
		       "node 'f' (Fill): a DT_FLOAT tensor of shape [65536,65536] (17179869184 bytes) would pass the memory limit");
	et_check_fails("a = Const f32 [] 1\nb = Identity a:5000000", "b",
		       "output 5000000 of node 'a' is read, more than 1048576 outputs are not supported");
	et_check_fails("n = Const i32 [] 2000000000\ns = Const i32 [0]\n"
		       "l = TensorListReserve s n element_dtype=f32", "l", "would pass the memory limit");
	et_check_fails("s = Const i32 [] -1\nn = Const i32 [] 2\nl = TensorListReserve s n element_dtype=f32\n"
		       "d = Const i32 [] 0\ne = ExpandDims l d", "e", "a tensor list has no shape to change");
	/* A caller's tensor that lies about its size is refused. */
	hs_graph *g = et_graph("x = Placeholder f32", NULL);
	hs_eval *ev;
	ck_assert_int_eq(hs_eval_new(&ev, g, NULL), HS_OK);
	hs_value *t = et_float(1, ET_DIMS(2), ET_F(1, 2));
	t->dims[0] = 3;
	ck_assert_int_eq(hs_eval_set_input(ev, "x", t), HS_EINVAL);
	ck_assert_str_eq(hs_error_last(), "x: the tensor of shape [3] says 2 elements");
	ck_assert_int_eq(hs_eval_set_input(ev, "y", t), HS_EINVAL);
	t->dims[0] = 2;
	ck_assert_int_eq(hs_eval_set_input(ev, "y", t), HS_ENOTFOUND);
	ck_assert_str_eq(hs_error_last(), "no node 'y' (for tensor 'y')");
	ck_assert_int_eq(hs_eval_set_input(ev, "x:", t), HS_EINVAL);
	hs_value on_stack = *t;
	on_stack.refs = 0;
	ck_assert_int_eq(hs_eval_set_input(ev, "x", &on_stack), HS_EINVAL);
	ck_assert_str_eq(hs_error_last(), "x: the tensor was not made by hs_value_new (no reference count)");
	hs_value_free(t);
	hs_eval_free(ev);
	hs_graph_free(g);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("eval");
	TCase *tc = tcase_create("eval");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tensor_new);
	tcase_add_test(tc, test_options);
	tcase_add_test(tc, test_const_encodings);
	tcase_add_test(tc, test_const_content);
	tcase_add_test(tc, test_placeholder_feed);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_hook);
	tcase_add_test(tc, test_deep_chain);
	tcase_add_test(tc, test_memory_limit);
	tcase_add_test(tc, test_hostile);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
