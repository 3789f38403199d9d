/* Element-wise kernels (core/eval/kernels_math.c) against hand-computed
 * values: broadcasting, types, edge shapes, errors. */
#include <config.h>

#include <check.h>
#include <math.h>

#include "evaltest.h"

#define A23 "a = Const f32 [2,3] 1 2 3 4 5 6\n"

START_TEST(test_binary_same_shape)
{
	et_check_f(A23 "b = Const f32 [2,3] 10 20 30 40 50 60\nc = Add a b", "c", 2, ET_DIMS(2, 3),
		   ET_F(11, 22, 33, 44, 55, 66));
	et_check_f(A23 "b = Const f32 [2,3] 10 20 30 40 50 60\nc = AddV2 b a", "c", 2, ET_DIMS(2, 3),
		   ET_F(11, 22, 33, 44, 55, 66));
	et_check_f(A23 "b = Const f32 [2,3] 1\nc = Sub a b", "c", 2, ET_DIMS(2, 3),
		   ET_F(0, 1, 2, 3, 4, 5));
	et_check_f(A23 "b = Const f32 [2,3] 2\nc = Mul a b", "c", 2, ET_DIMS(2, 3),
		   ET_F(2, 4, 6, 8, 10, 12));
	et_check_f(A23 "b = Const f32 [2,3] 3 3 3 0 9 0\nc = Maximum a b", "c", 2, ET_DIMS(2, 3),
		   ET_F(3, 3, 3, 4, 9, 6));
	et_check_f(A23 "b = Const f32 [2,3] 3 3 3 0 9 0\nc = Minimum a b", "c", 2, ET_DIMS(2, 3),
		   ET_F(1, 2, 3, 0, 5, 0));
	et_check_f(A23 "b = Const f32 [2,3] 2\nc = RealDiv a b", "c", 2, ET_DIMS(2, 3),
		   ET_F(0.5, 1, 1.5, 2, 2.5, 3));
}
END_TEST

START_TEST(test_broadcasting)
{
	/* Scalar, row vector, column, both sides stretched, leading ones. */
	et_check_f(A23 "b = Const f32 [] 10\nc = Add a b", "c", 2, ET_DIMS(2, 3),
		   ET_F(11, 12, 13, 14, 15, 16));
	et_check_f(A23 "b = Const f32 [] 10\nc = Sub b a", "c", 2, ET_DIMS(2, 3),
		   ET_F(9, 8, 7, 6, 5, 4));
	et_check_f(A23 "b = Const f32 [3] 10 20 30\nc = Add a b", "c", 2, ET_DIMS(2, 3),
		   ET_F(11, 22, 33, 14, 25, 36));
	et_check_f(A23 "b = Const f32 [2,1] 10 20\nc = Mul a b", "c", 2, ET_DIMS(2, 3),
		   ET_F(10, 20, 30, 80, 100, 120));
	et_check_f("a = Const f32 [2,1] 1 2\nb = Const f32 [1,3] 10 20 30\nc = Add a b", "c", 2,
		   ET_DIMS(2, 3), ET_F(11, 21, 31, 12, 22, 32));
	et_check_f("a = Const f32 [3] 1 2 3\nb = Const f32 [2,1,1] 10 20\nc = Add a b", "c", 3,
		   ET_DIMS(2, 1, 3), ET_F(11, 12, 13, 21, 22, 23));
	et_check_f("a = Const f32 [2,1,3] 1 2 3 4 5 6\nb = Const f32 [1,2,1] 10 20\nc = Sub a b",
		   "c", 3, ET_DIMS(2, 2, 3),
		   ET_F(-9, -8, -7, -19, -18, -17, -6, -5, -4, -16, -15, -14));
	et_check_f("a = Const f32 [1,1,3] 1 2 3\nb = Const f32 [3] 1\nc = Add a b", "c", 3,
		   ET_DIMS(1, 1, 3), ET_F(2, 3, 4));
	/* An empty dimension broadcasts to empty. */
	et_check_f("a = Const f32 [0,3]\nb = Const f32 [3] 1\nc = Add a b", "c", 2, ET_DIMS(0, 3),
		   ET_F(0));
	et_check_fails(A23 "b = Const f32 [2] 1 2\nc = Add a b", "c",
		       "node 'c' (Add): shapes [2,3] and [2] do not broadcast");
	et_check_fails(A23 "b = Const i32 [] 1\nc = Add a b", "c",
		       "node 'c' (Add): the inputs are DT_FLOAT and DT_INT32, expected one type");
}
END_TEST

START_TEST(test_integers_and_compare)
{
	et_check_i("a = Const i32 [3] 1 -2 2147483647\nb = Const i32 [] 1\nc = Add a b", "c",
		   HS_DT_INT32, 1, ET_DIMS(3), ET_I(2, -1, -2147483648LL));
	et_check_i("a = Const i64 [2] 5 7\nb = Const i64 [2] 3 9\nc = Mul a b", "c", HS_DT_INT64,
		   1, ET_DIMS(2), ET_I(15, 63));
	et_check_i("a = Const i32 [4] 1 2 3 4\nb = Const i32 [] 3\nc = Less a b", "c", HS_DT_BOOL,
		   1, ET_DIMS(4), ET_I(1, 1, 0, 0));
	et_check_i("a = Const f32 [2,2] 1 2 3 4\nb = Const f32 [2] 2 2\nc = Less b a", "c",
		   HS_DT_BOOL, 2, ET_DIMS(2, 2), ET_I(0, 0, 1, 1));
	et_check_i("a = Const i32 [3] 1 2 3\nb = Const i32 [] 2\nc = Equal a b", "c", HS_DT_BOOL, 1,
		   ET_DIMS(3), ET_I(0, 1, 0));
	et_check_i("a = Const bool [4] 1 1 0 0\nb = Const bool [4] 1 0 1 0\nc = LogicalAnd a b", "c",
		   HS_DT_BOOL, 1, ET_DIMS(4), ET_I(1, 0, 0, 0));
	et_check_i("a = Const bool [2,1] 1 0\nb = Const bool [2] 1 0\nc = LogicalAnd a b", "c",
		   HS_DT_BOOL, 2, ET_DIMS(2, 2), ET_I(1, 0, 0, 0));
	et_check_i("a = Const bool [2] 1 0\nc = LogicalNot a", "c", HS_DT_BOOL, 1, ET_DIMS(2),
		   ET_I(0, 1));
	et_check_fails("a = Const f32 [1] 1\nb = Const f32 [1] 1\nc = LogicalAnd a b", "c",
		       "DT_FLOAT inputs are not supported");
}
END_TEST

START_TEST(test_unary)
{
	et_check_f("a = Const f32 [4] -2 0 3 7\nb = Neg a", "b", 1, ET_DIMS(4), ET_F(2, 0, -3, -7));
	et_check_i("a = Const i32 [2] -2 5\nb = Neg a", "b", HS_DT_INT32, 1, ET_DIMS(2), ET_I(2, -5));
	et_check_f("a = Const f32 [4] -2 0 3 7\nb = Relu a", "b", 1, ET_DIMS(4), ET_F(0, 0, 3, 7));
	et_check_f("a = Const f32 [4] -2 0 3 7\nb = Relu6 a", "b", 1, ET_DIMS(4), ET_F(0, 0, 3, 6));
	et_check_f("a = Const f32 [3] 0 2 -1\nb = Sigmoid a", "b", 1, ET_DIMS(3),
		   ET_F(0.5f, 0.88079708f, 0.26894142f));
	et_check_f("a = Const f32 [3] 0 1 -0.5\nb = Tanh a", "b", 1, ET_DIMS(3),
		   ET_F(0, 0.76159416f, -0.46211716f));
	/* Far tails saturate without NaN. */
	et_check_f("a = Const f32 [2] -100 100\nb = Sigmoid a", "b", 1, ET_DIMS(2), ET_F(0, 1));
	et_check_f("a = Const f32 [] 4\nb = Sqrt a", "b", 0, NULL, ET_F(2));
	et_check_f("a = Const f32 [0]\nb = Tanh a", "b", 1, ET_DIMS(0), ET_F(0));
	et_check_fails("a = Const i32 [1] 1\nb = Sigmoid a", "b",
		       "node 'b' (Sigmoid): the input is DT_INT32, expected DT_FLOAT");
}
END_TEST

START_TEST(test_softmax)
{
	/* exp(0,1,2)/sum = 0.09003057 0.24472847 0.66524096; a row of equal
	 * values is uniform; big values do not overflow. */
	et_check_f("a = Const f32 [3,3] 0 1 2 5 5 5 1000 1001 1002\nb = Softmax a", "b", 2,
		   ET_DIMS(3, 3),
		   ET_F(0.09003057f, 0.24472847f, 0.66524096f, 1 / 3.0f, 1 / 3.0f, 1 / 3.0f,
			0.09003057f, 0.24472847f, 0.66524096f));
	et_check_fails("a = Const f32 [] 1\nb = Softmax a", "b", "expected rank 1 or more");
}
END_TEST

START_TEST(test_matmul)
{
	/* [[1,2,3],[4,5,6]] x [[7,8],[9,10],[11,12]] = [[58,64],[139,154]] */
	const char *g = A23 "b = Const f32 [3,2] 7 8 9 10 11 12\n"
			    "bt = Const f32 [2,3] 7 9 11 8 10 12\n"
			    "at = Const f32 [3,2] 1 4 2 5 3 6\n"
			    "c = MatMul a b\n"
			    "d = MatMul a bt transpose_b=true\n"
			    "e = MatMul at b transpose_a=true\n"
			    "f = MatMul at bt transpose_a=true transpose_b=true\n"
			    "g = MatMul a a\n"
			    "z = Const f32 [0,3]\n"
			    "h = MatMul z b\n";
	et_check_f(g, "c", 2, ET_DIMS(2, 2), ET_F(58, 64, 139, 154));
	et_check_f(g, "d", 2, ET_DIMS(2, 2), ET_F(58, 64, 139, 154));
	et_check_f(g, "e", 2, ET_DIMS(2, 2), ET_F(58, 64, 139, 154));
	et_check_f(g, "f", 2, ET_DIMS(2, 2), ET_F(58, 64, 139, 154));
	et_check_f(g, "h", 2, ET_DIMS(0, 2), ET_F(0));
	et_check_fails(g, "g", "node 'g' (MatMul): shapes [2,3] and [2,3] do not multiply (3 != 2)");
}
END_TEST

/* A product big enough to cross the blocking boundaries, against a plain
 * triple loop. */
START_TEST(test_matmul_blocked)
{
	enum { M = 7, K = 300, N = 600 };
	static float a[M * K], b[K * N], want[M * N];
	for (int i = 0; i < M * K; i++)
		a[i] = (float)((i * 7) % 13) - 6;
	for (int i = 0; i < K * N; i++)
		b[i] = (float)((i * 5) % 11) - 5;
	for (int i = 0; i < M; i++)
		for (int j = 0; j < N; j++) {
			double s = 0;
			for (int p = 0; p < K; p++)
				s += (double)a[i * K + p] * b[p * N + j];
			want[i * N + j] = (float)s;
		}
	hs_graph *g = et_graph("x = Placeholder f32\ny = Placeholder f32\nz = MatMul x y", NULL);
	hs_value *x = et_float(2, ET_DIMS(M, K), a), *y = et_float(2, ET_DIMS(K, N), b);
	hs_value *z = et_run(g, "z", 2, "x", x, "y", y);
	et_expect_f(z, 2, ET_DIMS(M, N), want);
	hs_value_free(x);
	hs_value_free(y);
	hs_value_free(z);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_bias_add)
{
	et_check_f(A23 "b = Const f32 [3] 10 20 30\nc = BiasAdd a b", "c", 2, ET_DIMS(2, 3),
		   ET_F(11, 22, 33, 14, 25, 36));
	/* NCHW: the bias runs along dimension 1. */
	et_check_f("a = Const f32 [1,2,1,2] 1 2 3 4\nb = Const f32 [2] 10 20\n"
		   "c = BiasAdd a b data_format=\"NCHW\"", "c", 4, ET_DIMS(1, 2, 1, 2),
		   ET_F(11, 12, 23, 24));
	et_check_f("a = Const f32 [1,2,1,2] 1 2 3 4\nb = Const f32 [2] 10 20\n"
		   "c = BiasAdd a b data_format=\"NHWC\"", "c", 4, ET_DIMS(1, 2, 1, 2),
		   ET_F(11, 22, 13, 24));
	/* NCHW of rank 2: dimension 1 is the last one. */
	et_check_f(A23 "b = Const f32 [3] 10 20 30\nc = BiasAdd a b data_format=\"NCHW\"", "c", 2,
		   ET_DIMS(2, 3), ET_F(11, 22, 33, 14, 25, 36));
	et_check_fails(A23 "b = Const f32 [2] 1 2\nc = BiasAdd a b", "c",
		       "a bias of shape [2] does not fit a value of shape [2,3] (NHWC)");
}
END_TEST

START_TEST(test_select)
{
	const char *g = "c = Const bool [2] 1 0\nt = Const f32 [2,2] 1 2 3 4\n"
			"e = Const f32 [2,2] 5 6 7 8\nce = Const bool [2,2] 1 0 0 1\n"
			"s = Select c t e\nse = Select ce t e\n"
			"cs = Const bool [] 1\nv2 = SelectV2 c t e\nv2s = SelectV2 cs t e\n"
			"sc = Select cs t e\n"
			"c3 = Const bool [3] 1 1 1\nbad = Select c3 t e";
	et_check_f(g, "s", 2, ET_DIMS(2, 2), ET_F(1, 2, 7, 8));
	et_check_f(g, "se", 2, ET_DIMS(2, 2), ET_F(1, 6, 7, 4));
	/* SelectV2 broadcasts the vector along the last dimension. */
	et_check_f(g, "v2", 2, ET_DIMS(2, 2), ET_F(1, 6, 3, 8));
	et_check_f(g, "v2s", 2, ET_DIMS(2, 2), ET_F(1, 2, 3, 4));
	et_check_f(g, "sc", 2, ET_DIMS(2, 2), ET_F(1, 2, 3, 4));
	et_check_fails(g, "bad", "the condition is neither a scalar, nor of the branches' shape");
}
END_TEST

START_TEST(test_cast)
{
	et_check_i("a = Const f32 [4] 1.7 -1.7 0 3\nb = Cast a DstT=i32", "b", HS_DT_INT32, 1,
		   ET_DIMS(4), ET_I(1, -1, 0, 3));
	et_check_f("a = Const i32 [2] 3 -4\nb = Cast a DstT=f32", "b", 1, ET_DIMS(2), ET_F(3, -4));
	et_check_i("a = Const f32 [3] 0 2 -0.5\nb = Cast a DstT=bool", "b", HS_DT_BOOL, 1,
		   ET_DIMS(3), ET_I(0, 1, 1));
	et_check_i("a = Const bool [2] 1 0\nb = Cast a DstT=i64", "b", HS_DT_INT64, 1, ET_DIMS(2),
		   ET_I(1, 0));
	et_check_i("a = Const i64 [2] 4294967297 -1\nb = Cast a DstT=i32", "b", HS_DT_INT32, 1,
		   ET_DIMS(2), ET_I(1, -1));
	et_check_fails("a = Const f32 [1] 1\nb = Cast a", "b", "attribute 'DstT' is missing");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kernels_math");
	TCase *tc = tcase_create("math");
	tcase_add_test(tc, test_binary_same_shape);
	tcase_add_test(tc, test_broadcasting);
	tcase_add_test(tc, test_integers_and_compare);
	tcase_add_test(tc, test_unary);
	tcase_add_test(tc, test_softmax);
	tcase_add_test(tc, test_matmul);
	tcase_add_test(tc, test_matmul_blocked);
	tcase_add_test(tc, test_bias_add);
	tcase_add_test(tc, test_select);
	tcase_add_test(tc, test_cast);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
