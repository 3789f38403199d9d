/* Kernels that move elements (core/eval/kernels_array.c) against
 * hand-computed values: axes, masks, edge shapes, errors. */
#include <config.h>

#include <check.h>
#include <stdio.h>

#include "evaltest.h"

#define A23 "a = Const f32 [2,3] 1 2 3 4 5 6\n"
#define B23 "b = Const f32 [2,3] 7 8 9 10 11 12\n"

START_TEST(test_concat)
{
	et_check_f(A23 B23 "x = Const i32 [] 0\nc = ConcatV2 a b x", "c", 2, ET_DIMS(4, 3),
		   ET_F(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
	et_check_f(A23 B23 "x = Const i32 [] 1\nc = ConcatV2 a b x", "c", 2, ET_DIMS(2, 6),
		   ET_F(1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12));
	et_check_f(A23 B23 "x = Const i32 [] -1\nc = ConcatV2 a b a x", "c", 2, ET_DIMS(2, 9),
		   ET_F(1, 2, 3, 7, 8, 9, 1, 2, 3, 4, 5, 6, 10, 11, 12, 4, 5, 6));
	et_check_f(A23 "e = Const f32 [2,0]\nx = Const i32 [] 1\nc = ConcatV2 e a e x", "c", 2,
		   ET_DIMS(2, 3), ET_F(1, 2, 3, 4, 5, 6));
	et_check_f(A23 "x = Const i32 [] 1\nc = Concat x a a", "c", 2, ET_DIMS(2, 6),
		   ET_F(1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6));
	et_check_fails(A23 "b = Const f32 [3,2] 1\nx = Const i32 [] 0\nc = ConcatV2 a b x", "c",
		       "input 1 (DT_FLOAT [3,2]) does not concatenate with input 0 (DT_FLOAT [2,3]) along axis 0");
}
END_TEST

START_TEST(test_split)
{
	const char *g = "a = Const f32 [2,4] 1 2 3 4 5 6 7 8\n"
			"x1 = Const i32 [] 1\n"
			"s = Split x1 a num_split=2\n"
			"sz = Const i32 [3] 1 -1 1\n"
			"v = SplitV a sz x1\n"
			"bad = Split x1 a num_split=3\n";
	et_check_f(g, "s", 2, ET_DIMS(2, 2), ET_F(1, 2, 5, 6));
	et_check_f(g, "s:1", 2, ET_DIMS(2, 2), ET_F(3, 4, 7, 8));
	et_check_f(g, "v", 2, ET_DIMS(2, 1), ET_F(1, 5));
	et_check_f(g, "v:1", 2, ET_DIMS(2, 2), ET_F(2, 3, 6, 7));
	et_check_f(g, "v:2", 2, ET_DIMS(2, 1), ET_F(4, 8));
	et_check_fails(g, "s:2", "output 2 is read, the op has 2 outputs");
	et_check_fails(g, "bad", "dimension 1 of size 4 does not split into 3 pieces");
	et_check_fails("a = Const f32 [4] 1\nx = Const i32 [] 0\nsz = Const i32 [2] 1 1\n"
		       "v = SplitV a sz x", "v", "size_splits add up to 2, dimension 0 has size 4");
}
END_TEST

START_TEST(test_pack_unpack)
{
	et_check_f(A23 B23 "p = Pack a b", "p", 3, ET_DIMS(2, 2, 3),
		   ET_F(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
	et_check_f(A23 B23 "p = Pack a b axis=1", "p", 3, ET_DIMS(2, 2, 3),
		   ET_F(1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12));
	et_check_f(A23 B23 "p = Pack a b axis=-1", "p", 3, ET_DIMS(2, 3, 2),
		   ET_F(1, 7, 2, 8, 3, 9, 4, 10, 5, 11, 6, 12));
	et_check_f("a = Const f32 [] 1\nb = Const f32 [] 2\np = Pack a b", "p", 1, ET_DIMS(2),
		   ET_F(1, 2));
	const char *g = A23 "u = Unpack a num=3 axis=1\nu0 = Unpack a num=2\nbad = Unpack a num=2 axis=1";
	et_check_f(g, "u", 1, ET_DIMS(2), ET_F(1, 4));
	et_check_f(g, "u:2", 1, ET_DIMS(2), ET_F(3, 6));
	et_check_f(g, "u0:1", 1, ET_DIMS(3), ET_F(4, 5, 6));
	et_check_fails(g, "bad", "num is 2, dimension 1 has size 3");
	et_check_fails(A23 "b = Const f32 [3] 1\np = Pack a b", "p",
		       "input 1 (DT_FLOAT [3]) differs from input 0 (DT_FLOAT [2,3])");
}
END_TEST

START_TEST(test_transpose_reverse)
{
	et_check_f(A23 "p = Const i32 [2] 1 0\nt = Transpose a p", "t", 2, ET_DIMS(3, 2),
		   ET_F(1, 4, 2, 5, 3, 6));
	/* [2,1,3] -> perm [2,0,1] -> [3,2,1] */
	et_check_f("a = Const f32 [2,1,3] 1 2 3 4 5 6\np = Const i32 [3] 2 0 1\nt = Transpose a p",
		   "t", 3, ET_DIMS(3, 2, 1), ET_F(1, 4, 2, 5, 3, 6));
	et_check_fails(A23 "p = Const i32 [2] 0 0\nt = Transpose a p", "t",
		       "the permutation is not one of 0..1");
	et_check_f(A23 "x = Const i32 [1] 1\nr = ReverseV2 a x", "r", 2, ET_DIMS(2, 3),
		   ET_F(3, 2, 1, 6, 5, 4));
	et_check_f(A23 "x = Const i32 [2] 0 -1\nr = ReverseV2 a x", "r", 2, ET_DIMS(2, 3),
		   ET_F(6, 5, 4, 3, 2, 1));
	et_check_f(A23 "x = Const i32 [0]\nr = ReverseV2 a x", "r", 2, ET_DIMS(2, 3),
		   ET_F(1, 2, 3, 4, 5, 6));
}
END_TEST

START_TEST(test_slice)
{
	et_check_f(A23 "b = Const i32 [2] 0 1\ns = Const i32 [2] 2 2\nx = Slice a b s", "x", 2,
		   ET_DIMS(2, 2), ET_F(2, 3, 5, 6));
	et_check_f(A23 "b = Const i32 [2] 1 0\ns = Const i32 [2] -1 -1\nx = Slice a b s", "x", 2,
		   ET_DIMS(1, 3), ET_F(4, 5, 6));
	et_check_f(A23 "b = Const i32 [2] 0 3\ns = Const i32 [2] 2 0\nx = Slice a b s", "x", 2,
		   ET_DIMS(2, 0), ET_F(0));
	et_check_fails(A23 "b = Const i32 [2] 0 2\ns = Const i32 [2] 1 2\nx = Slice a b s", "x",
		       "begin 2, size 2 is out of dimension 1 of size 3");
}
END_TEST

/* StridedSlice over [2,3,4] = 0..23. */
#define S234 "a = Const f32 [2,3,4] 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n"

static void ss(const char *b, const char *e, const char *s, const char *attrs, size_t rank,
	       const int64_t *dims, const float *v)
{
	char g[1024];
	snprintf(g, sizeof g, S234 "b = Const i32 %s\ne = Const i32 %s\ns = Const i32 %s\n"
			       "x = StridedSlice a b e s %s", b, e, s, attrs);
	et_check_f(g, "x", rank, dims, v);
}

START_TEST(test_strided_slice)
{
	/* a[1] (shrink), a[:, 1], a[..., 1:3], a[::-1, 0, ::2]. */
	ss("[1] 1", "[1] 2", "[1] 1", "shrink_axis_mask=1", 2, ET_DIMS(3, 4),
	   ET_F(12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23));
	ss("[2] 0 1", "[2] 0 2", "[2] 1 1", "begin_mask=1 end_mask=1 shrink_axis_mask=2", 2,
	   ET_DIMS(2, 4), ET_F(4, 5, 6, 7, 16, 17, 18, 19));
	ss("[2] 0 1", "[2] 0 3", "[2] 1 1", "ellipsis_mask=1", 3, ET_DIMS(2, 3, 2),
	   ET_F(1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22));
	ss("[3] 0 0 0", "[3] 0 1 0", "[3] -1 1 2", "begin_mask=5 end_mask=5 shrink_axis_mask=2", 2,
	   ET_DIMS(2, 2), ET_F(12, 14, 0, 2));
	/* New axis: a[tf.newaxis, 0] -> [1,3,4]. */
	ss("[2] 0 0", "[2] 0 1", "[2] 1 1", "new_axis_mask=1 shrink_axis_mask=2", 3,
	   ET_DIMS(1, 3, 4), ET_F(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
	/* Negative indices and clamping: a[-1, -2:, 1:100]. */
	ss("[3] -1 -2 1", "[3] 0 0 100", "[3] 1 1 1", "shrink_axis_mask=1 end_mask=2", 2,
	   ET_DIMS(2, 3), ET_F(17, 18, 19, 21, 22, 23));
	/* An empty range: a[1:1]. */
	ss("[1] 1", "[1] 1", "[1] 1", "", 3, ET_DIMS(0, 3, 4), ET_F(0));
	/* Ellipsis in the middle: a[0, ..., 3]. */
	ss("[3] 0 0 3", "[3] 1 0 4", "[3] 1 1 1", "ellipsis_mask=2 shrink_axis_mask=5", 1,
	   ET_DIMS(3), ET_F(3, 7, 11));
	/* The fixture's pattern: a scalar out of a shape vector. */
	et_check_i("a = Const i32 [3] 7 8 9\nb = Const i32 [1] 0\ne = Const i32 [1] 1\n"
		   "s = Const i32 [1] 1\nx = StridedSlice a b e s shrink_axis_mask=1", "x",
		   HS_DT_INT32, 0, NULL, ET_I(7));
	et_check_fails(S234 "b = Const i32 [1] 5\ne = Const i32 [1] 6\ns = Const i32 [1] 1\n"
		       "x = StridedSlice a b e s shrink_axis_mask=1", "x",
		       "index 5 is out of dimension 0 of size 2");
	et_check_fails(S234 "b = Const i32 [1] 0\ne = Const i32 [1] 1\ns = Const i32 [1] 0\n"
		       "x = StridedSlice a b e s", "x", "stride 0 is 0");
	et_check_fails(S234 "b = Const i32 [4] 0 0 0 0\ne = Const i32 [4] 1 1 1 1\n"
		       "s = Const i32 [4] 1 1 1 1\nx = StridedSlice a b e s", "x",
		       "more entries than the input's 3 dimensions");
}
END_TEST

START_TEST(test_tile)
{
	et_check_f("a = Const f32 [2] 1 2\nm = Const i32 [1] 3\nt = Tile a m", "t", 1, ET_DIMS(6),
		   ET_F(1, 2, 1, 2, 1, 2));
	et_check_f("a = Const f32 [1,2] 1 2\nm = Const i32 [2] 2 1\nt = Tile a m", "t", 2,
		   ET_DIMS(2, 2), ET_F(1, 2, 1, 2));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kernels_array");
	TCase *tc = tcase_create("array");
	tcase_add_test(tc, test_concat);
	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_pack_unpack);
	tcase_add_test(tc, test_transpose_reverse);
	tcase_add_test(tc, test_slice);
	tcase_add_test(tc, test_strided_slice);
	tcase_add_test(tc, test_tile);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
