/* Conv2D with TensorFlow's semantics, against windows summed by hand:
 * VALID, SAME (the extra row and column after), EXPLICIT, strides,
 * dilations, channels, groups, NCHW against NHWC, and what TensorFlow
 * refuses. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaltest.h"
#include "fused.h"
#include "testutil.h"

/* 3x3 image 1..9 and a 2x2 filter of ones. */
static const char img[] = "x = Const f32 [1,3,3,1] 1 2 3 4 5 6 7 8 9\n"
			  "f = Const f32 [2,2,1,1] 1\n";

static void conv_case(const char *attrs, size_t rank, const int64_t *dims, const float *v)
{
	char lines[512];
	snprintf(lines, sizeof lines, "%sy = Conv2D x f %s\n", img, attrs);
	et_check_f(lines, "y", rank, dims, v);
}

START_TEST(test_valid)
{
	conv_case("strides=[1,1,1,1] padding=\"VALID\"", 4, ET_DIMS(1, 2, 2, 1),
		  ET_F(12, 16, 24, 28));
}
END_TEST

/* TensorFlow pads SAME with the odd pixel after: here one row and one
 * column of zeros at the bottom and right. */
START_TEST(test_same)
{
	conv_case("strides=[1,1,1,1] padding=\"SAME\" data_format=\"NHWC\"", 4,
		  ET_DIMS(1, 3, 3, 1), ET_F(12, 16, 9, 24, 28, 15, 15, 17, 9));
	conv_case("strides=[1,2,2,1] padding=\"SAME\"", 4, ET_DIMS(1, 2, 2, 1),
		  ET_F(12, 9, 15, 9));
	conv_case("strides=[1,2,2,1] padding=\"VALID\"", 4, ET_DIMS(1, 1, 1, 1), ET_F(12));
}
END_TEST

START_TEST(test_dilation)
{
	/* Taps 2 apart: the four corners. */
	conv_case("strides=[1,1,1,1] padding=\"VALID\" dilations=[1,2,2,1]", 4,
		  ET_DIMS(1, 1, 1, 1), ET_F(20));
	/* SAME with dilation 2: effective 3x3, one pixel each side. */
	conv_case("strides=[1,1,1,1] padding=\"SAME\" dilations=[1,2,2,1]", 4,
		  ET_DIMS(1, 3, 3, 1), ET_F(5, 10, 5, 10, 20, 10, 5, 10, 5));
}
END_TEST

START_TEST(test_explicit)
{
	conv_case("strides=[1,1,1,1] padding=\"EXPLICIT\" "
		  "explicit_paddings=[0,0,1,1,1,1,0,0]", 4, ET_DIMS(1, 4, 4, 1),
		  ET_F(1, 3, 5, 3, 5, 12, 16, 9, 11, 24, 28, 15, 7, 15, 17, 9));
	/* Uneven: one row on top only. */
	conv_case("strides=[1,1,1,1] padding=\"EXPLICIT\" "
		  "explicit_paddings=[0,0,1,0,0,0,0,0]", 4, ET_DIMS(1, 3, 2, 1),
		  ET_F(3, 5, 12, 16, 24, 28));
}
END_TEST

START_TEST(test_channels_and_groups)
{
	/* 1x1 filter mixing two channels into three. */
	et_check_f("x = Const f32 [1,1,1,2] 1 2\n"
		   "f = Const f32 [1,1,2,3] 1 2 3 4 5 6\n"
		   "y = Conv2D x f strides=[1,1,1,1] padding=\"VALID\"\n",
		   "y", 4, ET_DIMS(1, 1, 1, 3), ET_F(9, 12, 15));
	/* Four input channels, filter depth 2: two groups, one output each. */
	et_check_f("x = Const f32 [1,1,1,4] 1 2 3 4\n"
		   "f = Const f32 [1,1,2,2] 1 0 0 1\n"
		   "y = Conv2D x f strides=[1,1,1,1] padding=\"VALID\"\n",
		   "y", 4, ET_DIMS(1, 1, 1, 2), ET_F(1, 4));
}
END_TEST

/* NCHW: the same numbers with channels before the image. */
START_TEST(test_nchw)
{
	et_check_f("x = Const f32 [1,2,2,2] 1 2 3 4 10 20 30 40\n"
		   "f = Const f32 [2,2,2,1] 1 -1 1 -1 1 -1 1 -1\n"
		   "y = Conv2D x f strides=[1,1,1,1] padding=\"VALID\" data_format=\"NCHW\"\n",
		   "y", 4, ET_DIMS(1, 1, 1, 1), ET_F(1 + 2 + 3 + 4 - 10 - 20 - 30 - 40));
	/* Random sizes: NCHW equals NHWC transposed. */
	enum { N = 2, H = 5, W = 4, C = 3, FH = 3, FW = 2, O = 2 };
	float in_nhwc[N * H * W * C], in_nchw[N * C * H * W], filt[FH * FW * C * O];
	unsigned s = 3;
	for (size_t i = 0; i < sizeof in_nhwc / sizeof *in_nhwc; i++) {
		s = s * 1103515245u + 12345u;
		in_nhwc[i] = (float)((s >> 9) % 200) / 50.0f - 2;
	}
	for (size_t i = 0; i < sizeof filt / sizeof *filt; i++)
		filt[i] = (float)(i % 7) - 3;
	for (int n = 0; n < N; n++)
		for (int y = 0; y < H; y++)
			for (int x = 0; x < W; x++)
				for (int c = 0; c < C; c++)
					in_nchw[((n * C + c) * H + y) * W + x] =
						in_nhwc[((n * H + y) * W + x) * C + c];
	hs_conv_geometry g = { 0 };
	g.batch = N, g.in_h = H, g.in_w = W, g.in_c = C;
	g.filter_h = FH, g.filter_w = FW, g.filter_in = C, g.out_c = O;
	g.stride_h = 2, g.stride_w = 1, g.dilation_h = 1, g.dilation_w = 2;
	g.padding = HS_PAD_SAME;
	ck_assert_int_eq(hs_conv_plan(&g), 0);
	ck_assert_int_eq(g.out_h, 3);
	ck_assert_int_eq(g.out_w, 4);
	size_t n_out = (size_t)(N * g.out_h * g.out_w * O);
	float *a = calloc(n_out, sizeof *a), *b = calloc(n_out, sizeof *b);
	ck_assert(a && b);
	hs_conv_run(a, in_nhwc, filt, &g);
	g.nchw = 1;
	hs_conv_run(b, in_nchw, filt, &g);
	for (int n = 0; n < N; n++)
		for (int y = 0; y < g.out_h; y++)
			for (int x = 0; x < g.out_w; x++)
				for (int c = 0; c < O; c++)
					ck_assert(a[((n * g.out_h + y) * g.out_w + x) * O + c] ==
						  b[((n * O + c) * g.out_h + y) * g.out_w + x]);
	free(a);
	free(b);
}
END_TEST

/* The product form (patches unrolled, what the kernel runs) against the
 * direct loops, over layouts, strides, dilations and paddings. */
START_TEST(test_gemm_form)
{
	static const struct {
		int nchw, sh, sw, dh, dw;
		hs_conv_padding pad;
		int64_t top, bottom, left, right;
	} cases[] = {
		{ 0, 1, 1, 1, 1, HS_PAD_VALID, 0, 0, 0, 0 },
		{ 0, 2, 1, 1, 2, HS_PAD_SAME, 0, 0, 0, 0 },
		{ 1, 1, 2, 2, 1, HS_PAD_SAME, 0, 0, 0, 0 },
		{ 1, 2, 2, 1, 1, HS_PAD_EXPLICIT, 2, 0, 1, 3 },
		{ 0, 3, 1, 1, 1, HS_PAD_EXPLICIT, 0, 1, 2, 2 },
	};
	enum { N = 2, H = 7, W = 6, C = 3, FH = 3, FW = 2, O = 4 };
	float in[N * H * W * C], filt[FH * FW * C * O];
	unsigned s = 11;
	for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
		s = s * 1103515245u + 12345u;
		in[i] = (float)((s >> 9) % 400) / 100.0f - 2;
	}
	for (size_t i = 0; i < sizeof filt / sizeof *filt; i++)
		filt[i] = (float)((i * 13) % 9) / 4.0f - 1;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hs_conv_geometry g = { 0 };
		g.nchw = cases[i].nchw;
		g.batch = N, g.in_h = H, g.in_w = W, g.in_c = C;
		g.filter_h = FH, g.filter_w = FW, g.filter_in = C, g.out_c = O;
		g.stride_h = cases[i].sh, g.stride_w = cases[i].sw;
		g.dilation_h = cases[i].dh, g.dilation_w = cases[i].dw;
		g.padding = cases[i].pad;
		g.pad_top = cases[i].top, g.pad_bottom = cases[i].bottom;
		g.pad_left = cases[i].left, g.pad_right = cases[i].right;
		ck_assert_int_eq(hs_conv_plan(&g), 0);
		size_t n = (size_t)(N * g.out_h * g.out_w * O);
		float *a = calloc(n, sizeof *a), *b = calloc(n, sizeof *b);
		ck_assert(a && b);
		hs_conv_run(a, in, filt, &g);
		ck_assert_int_eq(hs_conv_run_gemm(b, in, filt, &g, NULL), 0);
		for (size_t k = 0; k < n; k++)
			ck_assert_msg(fabsf(a[k] - b[k]) <= 1e-5f * (1 + fabsf(a[k])),
				      "case %zu element %zu: %g against %g", i, k, a[k], b[k]);
		free(a);
		free(b);
	}
}
END_TEST

START_TEST(test_refused)
{
	char lines[512];
	static const struct {
		const char *attrs, *part;
	} cases[] = {
		{ "strides=[1,1,1,1]", "attribute 'padding' is missing" },
		{ "padding=\"SAME\"", "attribute 'strides' is missing" },
		{ "strides=[2,1,1,1] padding=\"SAME\"", "must be 1 in the batch and depth" },
		{ "strides=[1,1,1] padding=\"SAME\"", "'strides' has 3 values, expected 4" },
		{ "strides=[1,1,1,1] padding=\"FULL\"", "unknown padding 'FULL'" },
		{ "strides=[1,1,1,1] padding=\"EXPLICIT\"", "needs 8 explicit_paddings, got 0" },
		{ "strides=[1,1,1,1] padding=\"EXPLICIT\" explicit_paddings=[1,0,0,0,0,0,0,0]",
		  "must be 0 in the batch and depth" },
		{ "strides=[1,1,1,1] padding=\"VALID\" dilations=[1,3,3,1]",
		  "height: a filter of 2 (4 dilated) does not fit an input of 3" },
		{ "strides=[1,1,1,1] padding=\"VALID\" data_format=\"NHCW\"",
		  "unknown data_format 'NHCW'" },
		{ "strides=[1,0,1,1] padding=\"VALID\"", "strides must be between 1 and 2^30" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(lines, sizeof lines, "%sy = Conv2D x f %s\n", img, cases[i].attrs);
		et_check_fails(lines, "y", cases[i].part);
	}
	et_check_fails("x = Const f32 [1,2,2,3] 1\nf = Const f32 [1,1,2,1] 1\n"
		       "y = Conv2D x f strides=[1,1,1,1] padding=\"VALID\"\n",
		       "y", "input depth 3 is not a multiple of the filter's input depth 2");
	et_check_fails("x = Const f32 [3,3] 1\nf = Const f32 [1,1,1,1] 1\n"
		       "y = Conv2D x f strides=[1,1,1,1] padding=\"VALID\"\n",
		       "y", "input 0 (input) has shape [3,3], expected rank 4");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fused_conv");
	TCase *t = tcase_create("conv2d");
	tcase_add_test(t, test_valid);
	tcase_add_test(t, test_same);
	tcase_add_test(t, test_dilation);
	tcase_add_test(t, test_explicit);
	tcase_add_test(t, test_channels_and_groups);
	tcase_add_test(t, test_nchw);
	tcase_add_test(t, test_gemm_form);
	tcase_add_test(t, test_refused);
	suite_add_tcase(s, t);
	return tu_run(s);
}
