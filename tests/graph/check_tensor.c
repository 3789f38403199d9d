/* Constant tensors: hs_node_tensor and hs_dtype_name (core/graph/tensor.c). */
#include <config.h>

#include <check.h>
#include <string.h>

#include "testutil.h"

#define DT_FLOAT 1
#define DT_INT32 3
#define DT_STRING 7

static hs_graph *one_const(void (*fill)(Tensorflow__NodeDef *))
{
	tu_graph *tg = tu_graph_new();
	fill(tu_node(tg, "k", "Const", NULL));
	hs_graph *g = tu_graph_load(tg);
	tu_graph_free(tg);
	ck_assert_ptr_nonnull(g);
	return g;
}

static hs_node *k_of(hs_graph *g)
{
	return hs_graph_find_node(g, "k", 1);
}

static void content_2x2(Tensorflow__NodeDef *n)
{
	static const int64_t dims[] = { 2, 2 };
	static const float v[] = { 1.5f, -2.0f, 3.25f, 4.0f };
	tu_attr_tensor(n, "value", DT_FLOAT, dims, 2, v, sizeof v, NULL, 0, NULL, 0);
}

START_TEST(test_tensor_content)
{
	hs_graph *g = one_const(content_2x2);
	hs_tensor_view t;
	/* Without a buffer: the shape, the size, and the bytes in place. */
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), NULL, NULL, 0), HS_OK);
	ck_assert_int_eq(t.dtype, DT_FLOAT);
	ck_assert_uint_eq(t.rank, 2);
	ck_assert_int_eq(t.dims[0], 2);
	ck_assert_int_eq(t.dims[1], 2);
	ck_assert_uint_eq(t.elements, 4);
	ck_assert_uint_eq(t.size, 16);
	ck_assert_ptr_nonnull(t.data);
	float v[4];
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), "value", v, sizeof v), HS_OK);
	ck_assert_ptr_eq(t.data, v);
	ck_assert(v[0] == 1.5f && v[1] == -2.0f && v[2] == 3.25f && v[3] == 4.0f);
	/* A buffer too small says how much is needed. */
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), "value", v, 8), HS_ELIMIT);
	ck_assert_str_eq(hs_error_last(),
			 "node 'k': attribute 'value': the tensor needs 16 bytes, the buffer has 8");
	hs_graph_free(g);
}
END_TEST

static void float_splat(Tensorflow__NodeDef *n)
{
	static const int64_t dims[] = { 3 };
	static const float v[] = { 0.5f };
	tu_attr_tensor(n, "value", DT_FLOAT, dims, 1, NULL, 0, v, 1, NULL, 0);
}

static void float_scalar(Tensorflow__NodeDef *n)
{
	static const float v[] = { 2.5f };
	tu_attr_tensor(n, "value", DT_FLOAT, NULL, 0, NULL, 0, v, 1, NULL, 0);
}

START_TEST(test_float_val_broadcast)
{
	hs_graph *g = one_const(float_splat);
	hs_tensor_view t;
	float v[3] = { 0 };
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), NULL, NULL, 0), HS_OK);
	ck_assert_ptr_null(t.data);
	ck_assert_uint_eq(t.size, 12);
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), NULL, v, sizeof v), HS_OK);
	ck_assert(v[0] == 0.5f && v[1] == 0.5f && v[2] == 0.5f);
	hs_graph_free(g);
	g = one_const(float_scalar);
	float one;
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), NULL, &one, sizeof one), HS_OK);
	ck_assert_uint_eq(t.rank, 0);
	ck_assert_uint_eq(t.elements, 1);
	ck_assert(one == 2.5f);
	hs_graph_free(g);
}
END_TEST

static void int_vals(Tensorflow__NodeDef *n)
{
	static const int64_t dims[] = { 4 };
	static const int32_t v[] = { 7, -3 };
	tu_attr_tensor(n, "value", DT_INT32, dims, 1, NULL, 0, NULL, 0, v, 2);
}

START_TEST(test_int_val)
{
	hs_graph *g = one_const(int_vals);
	hs_tensor_view t;
	int32_t v[4];
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), NULL, v, sizeof v), HS_OK);
	ck_assert_int_eq(t.dtype, DT_INT32);
	/* The last value fills the rest, as TensorFlow reads it. */
	ck_assert(v[0] == 7 && v[1] == -3 && v[2] == -3 && v[3] == -3);
	hs_graph_free(g);
}
END_TEST

static void short_content(Tensorflow__NodeDef *n)
{
	static const int64_t dims[] = { 2, 2 };
	static const float v[] = { 1, 2, 3 };
	tu_attr_tensor(n, "value", DT_FLOAT, dims, 2, v, sizeof v, NULL, 0, NULL, 0);
}

static void too_many_values(Tensorflow__NodeDef *n)
{
	static const int64_t dims[] = { 2 };
	static const float v[] = { 1, 2, 3 };
	tu_attr_tensor(n, "value", DT_FLOAT, dims, 1, NULL, 0, v, 3, NULL, 0);
}

static void strings(Tensorflow__NodeDef *n)
{
	tu_attr_tensor(n, "value", DT_STRING, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
	tu_attr_i(n, "not_a_tensor", 3);
}

START_TEST(test_malformed)
{
	hs_tensor_view t;
	float v[8];
	hs_graph *g = one_const(short_content);
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), NULL, v, sizeof v), HS_EPARSE);
	ck_assert_str_eq(hs_error_last(),
			 "node 'k': attribute 'value': tensor_content has 12 bytes, expected 16 (4 x DT_FLOAT)");
	hs_graph_free(g);
	g = one_const(too_many_values);
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), NULL, v, sizeof v), HS_EPARSE);
	ck_assert_str_eq(hs_error_last(),
			 "node 'k': attribute 'value': the tensor holds 3 values for 2 elements");
	hs_graph_free(g);
	g = one_const(strings);
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), NULL, v, sizeof v), HS_EPARSE);
	ck_assert_str_eq(hs_error_last(),
			 "node 'k': attribute 'value': DT_STRING tensors cannot be read as numbers");
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), "not_a_tensor", v, sizeof v), HS_EPARSE);
	ck_assert_str_eq(hs_error_last(), "node 'k': attribute 'not_a_tensor': not a tensor");
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), "nothing", v, sizeof v), HS_ENOTFOUND);
	ck_assert_str_eq(hs_error_last(), "node 'k' has no attribute 'nothing'");
	/* Bytes that are no TensorProto. */
	hs_str junk = { "\x42\x02\x08\xff", 4 };
	ck_assert_int_eq(hs_node_set_attr_raw(k_of(g), "junk", junk), HS_OK);
	ck_assert_int_eq(hs_node_tensor(&t, k_of(g), "junk", v, sizeof v), HS_EPARSE);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_dtype_names)
{
	ck_assert_str_eq(hs_dtype_name(1), "DT_FLOAT");
	ck_assert_str_eq(hs_dtype_name(3), "DT_INT32");
	ck_assert_str_eq(hs_dtype_name(0), "DT_INVALID");
	ck_assert_str_eq(hs_dtype_name(101), "DT_FLOAT_REF");
	ck_assert_str_eq(hs_dtype_name(77), "DataType 77");
}
END_TEST

START_TEST(test_set_op)
{
	hs_graph *g = one_const(float_scalar);
	hs_node *n = NULL;
	ck_assert_int_eq(hs_graph_add_node(&n, g, "stub", "MySwish", NULL), HS_OK);
	ck_assert_int_eq(hs_node_set_op(n, "MySwishFused"), HS_OK);
	ck_assert(hs_str_eq(hs_node_op(n), "MySwishFused"));
	ck_assert_int_eq(hs_node_set_op(n, ""), HS_EINVAL);
	ck_assert_int_eq(hs_node_set_op(k_of(g), "Identity"), HS_EINVAL);
	ck_assert_str_eq(hs_error_last(), "node 'k': only nodes added since loading can change their op");
	/* The new op is what gets written. */
	void *out;
	size_t len;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &len, g), HS_OK);
	hs_graph *back = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&back, out, len, "back", NULL), HS_OK);
	ck_assert(hs_str_eq(hs_node_op(hs_graph_find_node(back, "stub", 4)), "MySwishFused"));
	hs_graph_free(back);
	hs_free(out);
	hs_graph_free(g);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tensor");
	TCase *t = tcase_create("tensor");
	tcase_add_test(t, test_tensor_content);
	tcase_add_test(t, test_float_val_broadcast);
	tcase_add_test(t, test_int_val);
	tcase_add_test(t, test_malformed);
	tcase_add_test(t, test_dtype_names);
	tcase_add_test(t, test_set_op);
	suite_add_tcase(s, t);
	return tu_run(s);
}
