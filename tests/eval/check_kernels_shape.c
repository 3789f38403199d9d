/* Shape kernels (core/eval/kernels_shape.c) against hand-computed values. */
#include <config.h>

#include <check.h>

#include "evaltest.h"

#define A23 "a = Const f32 [2,3] 1 2 3 4 5 6\n"

START_TEST(test_shape_size_rank)
{
	et_check_i(A23 "s = Shape a", "s", HS_DT_INT32, 1, ET_DIMS(2), ET_I(2, 3));
	et_check_i(A23 "s = Shape a out_type=i64", "s", HS_DT_INT64, 1, ET_DIMS(2), ET_I(2, 3));
	et_check_i("a = Const f32 [] 1\ns = Shape a", "s", HS_DT_INT32, 1, ET_DIMS(0), ET_I(0));
	et_check_i(A23 "s = Size a", "s", HS_DT_INT32, 0, NULL, ET_I(6));
	et_check_i(A23 "s = Rank a", "s", HS_DT_INT32, 0, NULL, ET_I(2));
}
END_TEST

START_TEST(test_reshape)
{
	et_check_f(A23 "s = Const i32 [2] 3 2\nr = Reshape a s", "r", 2, ET_DIMS(3, 2),
		   ET_F(1, 2, 3, 4, 5, 6));
	et_check_f(A23 "s = Const i32 [3] -1 1 2\nr = Reshape a s", "r", 3, ET_DIMS(3, 1, 2),
		   ET_F(1, 2, 3, 4, 5, 6));
	et_check_f(A23 "s = Const i64 [1] -1\nr = Reshape a s", "r", 1, ET_DIMS(6),
		   ET_F(1, 2, 3, 4, 5, 6));
	et_check_f("a = Const f32 [1] 5\ns = Const i32 [0]\nr = Reshape a s", "r", 0, NULL, ET_F(5));
	et_check_f("a = Const f32 [0,3]\ns = Const i32 [2] 3 0\nr = Reshape a s", "r", 2,
		   ET_DIMS(3, 0), ET_F(0));
	et_check_fails(A23 "s = Const i32 [2] 4 2\nr = Reshape a s", "r",
		       "node 'r' (Reshape): a tensor of shape [2,3] (6 elements) cannot take the shape [4,2]");
	et_check_fails(A23 "s = Const i32 [2] -1 -1\nr = Reshape a s", "r", "only one -1");
	et_check_fails(A23 "s = Const i32 [2] -1 4\nr = Reshape a s", "r", "cannot take the shape");
	/* A hostile shape is refused, not allocated. */
	et_check_fails(A23 "s = Const i64 [3] 4294967296 4294967296 4294967296\nr = Reshape a s",
		       "r", "cannot take the shape");
}
END_TEST

START_TEST(test_expand_squeeze)
{
	et_check_f(A23 "d = Const i32 [] 0\ne = ExpandDims a d", "e", 3, ET_DIMS(1, 2, 3),
		   ET_F(1, 2, 3, 4, 5, 6));
	et_check_f(A23 "d = Const i32 [] -1\ne = ExpandDims a d", "e", 3, ET_DIMS(2, 3, 1),
		   ET_F(1, 2, 3, 4, 5, 6));
	et_check_f(A23 "d = Const i32 [1] 1\ne = ExpandDims a d", "e", 3, ET_DIMS(2, 1, 3),
		   ET_F(1, 2, 3, 4, 5, 6));
	et_check_fails(A23 "d = Const i32 [] 3\ne = ExpandDims a d", "e",
		       "axis 3 is out of range for rank 3");
	const char *g = "a = Const f32 [1,2,1,1] 7 8\n"
			"s = Squeeze a\n"
			"s2 = Squeeze a squeeze_dims=[0,-1]\n"
			"bad = Squeeze a squeeze_dims=[1]";
	et_check_f(g, "s", 1, ET_DIMS(2), ET_F(7, 8));
	et_check_f(g, "s2", 2, ET_DIMS(2, 1), ET_F(7, 8));
	et_check_fails(g, "bad", "dimension 1 has size 2, not 1");
}
END_TEST

START_TEST(test_fill_like_range)
{
	et_check_f("d = Const i32 [2] 2 2\nv = Const f32 [] 1.5\nf = Fill d v", "f", 2, ET_DIMS(2, 2),
		   ET_F(1.5, 1.5, 1.5, 1.5));
	et_check_i("d = Const i32 [1] 3\nv = Const i32 [] -2\nf = Fill d v", "f", HS_DT_INT32, 1,
		   ET_DIMS(3), ET_I(-2, -2, -2));
	et_check_f("d = Const i32 [1] 0\nv = Const f32 [] 1\nf = Fill d v", "f", 1, ET_DIMS(0), ET_F(0));
	et_check_fails("d = Const i32 [1] -3\nv = Const f32 [] 1\nf = Fill d v", "f",
		       "dimension 0 is negative");
	et_check_fails("d = Const i64 [4] 100000 100000 100000 100000\nv = Const f32 [] 1\nf = Fill d v",
		       "f", "is too large");
	et_check_f(A23 "z = ZerosLike a", "z", 2, ET_DIMS(2, 3), ET_F(0, 0, 0, 0, 0, 0));
	et_check_f(A23 "z = OnesLike a", "z", 2, ET_DIMS(2, 3), ET_F(1, 1, 1, 1, 1, 1));
	et_check_i("s = Const i32 [] 0\nl = Const i32 [] 5\nd = Const i32 [] 2\nr = Range s l d", "r",
		   HS_DT_INT32, 1, ET_DIMS(3), ET_I(0, 2, 4));
	et_check_i("s = Const i32 [] 5\nl = Const i32 [] 0\nd = Const i32 [] -2\nr = Range s l d", "r",
		   HS_DT_INT32, 1, ET_DIMS(3), ET_I(5, 3, 1));
	et_check_f("s = Const f32 [] 0\nl = Const f32 [] 1\nd = Const f32 [] 0.25\nr = Range s l d",
		   "r", 1, ET_DIMS(4), ET_F(0, 0.25, 0.5, 0.75));
	et_check_i("s = Const i64 [] 3\nl = Const i64 [] 3\nd = Const i64 [] 1\nr = Range s l d", "r",
		   HS_DT_INT64, 1, ET_DIMS(0), ET_I(0));
	et_check_fails("s = Const i32 [] 0\nl = Const i32 [] 5\nd = Const i32 [] 0\nr = Range s l d",
		       "r", "delta is 0");
	et_check_fails("s = Const i32 [] 0\nl = Const i32 [] 5\nd = Const i32 [] -1\nr = Range s l d",
		       "r", "cannot reach limit");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kernels_shape");
	TCase *tc = tcase_create("shape");
	tcase_add_test(tc, test_shape_size_rank);
	tcase_add_test(tc, test_reshape);
	tcase_add_test(tc, test_expand_squeeze);
	tcase_add_test(tc, test_fill_like_range);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
