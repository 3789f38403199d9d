/* TensorFlow's Conv2D arithmetic: the output size and padding rules of
 * SAME, VALID and EXPLICIT padding, strides and dilations, NHWC and NCHW,
 * and grouped convolution (input channels a multiple of the filter's).
 * The filter is [h][w][in][out] whatever the data format. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fused_internal.h"

/* TensorFlow's GetWindowedOutputSize for one spatial dimension. */
static int window(int64_t *out, int64_t *before, int64_t *after, int64_t in,
		  int64_t k, int64_t stride, int64_t dilation, hs_conv_padding pad,
		  const char *axis)
{
	int64_t eff = (k - 1) * dilation + 1;
	if (pad == HS_PAD_SAME) {
		*out = (in + stride - 1) / stride;
		int64_t total = (*out - 1) * stride + eff - in;
		if (total < 0)
			total = 0;
		*before = total / 2;
		*after = total - *before;
		return HS_OK;
	}
	if (pad == HS_PAD_VALID)
		*before = *after = 0;
	else if (*before < 0 || *after < 0)
		return hs_fail(HS_EINVAL, "negative explicit padding on %s", axis);
	int64_t room = in + *before + *after - eff;
	if (room < 0)
		return hs_fail(HS_EINVAL, "%s: a filter of %lld (%lld dilated) does not fit "
			       "an input of %lld padded by %lld", axis, (long long)k,
			       (long long)eff, (long long)in, (long long)(*before + *after));
	*out = room / stride + 1;
	return HS_OK;
}

int hs_conv_plan(hs_conv_geometry *g)
{
	/* The bound keeps every product below in int64_t range. */
	const int64_t most = (int64_t)1 << 30;
	if (g->stride_h < 1 || g->stride_w < 1 || g->stride_h > most || g->stride_w > most)
		return hs_fail(HS_EINVAL, "strides must be between 1 and 2^30");
	if (g->dilation_h < 1 || g->dilation_w < 1 || g->dilation_h > most ||
	    g->dilation_w > most)
		return hs_fail(HS_EINVAL, "dilations must be between 1 and 2^30");
	if (g->pad_top > most || g->pad_bottom > most || g->pad_left > most ||
	    g->pad_right > most)
		return hs_fail(HS_EINVAL, "explicit paddings must be at most 2^30");
	if (g->filter_h < 1 || g->filter_w < 1 || g->filter_in < 1 || g->out_c < 1)
		return hs_fail(HS_EINVAL, "empty filter");
	if (g->in_c < 1)
		return hs_fail(HS_EINVAL, "input depth %lld", (long long)g->in_c);
	if (g->in_c % g->filter_in)
		return hs_fail(HS_EINVAL, "input depth %lld is not a multiple of the "
			       "filter's input depth %lld", (long long)g->in_c,
			       (long long)g->filter_in);
	g->groups = g->in_c / g->filter_in;
	if (g->out_c % g->groups)
		return hs_fail(HS_EINVAL, "output depth %lld is not a multiple of the "
			       "%lld groups", (long long)g->out_c, (long long)g->groups);
	int rc = window(&g->out_h, &g->pad_top, &g->pad_bottom, g->in_h, g->filter_h,
			g->stride_h, g->dilation_h, g->padding, "height");
	if (!rc)
		rc = window(&g->out_w, &g->pad_left, &g->pad_right, g->in_w, g->filter_w,
			    g->stride_w, g->dilation_w, g->padding, "width");
	return rc;
}

/* Element offsets of (n, y, x, c) in either layout. */
typedef struct strides4 {
	size_t n, y, x, c;
} strides4;

static strides4 layout(int nchw, int64_t h, int64_t w, int64_t c)
{
	strides4 s;
	if (nchw) {
		s.x = 1;
		s.y = (size_t)w;
		s.c = (size_t)(h * w);
		s.n = (size_t)(c * h * w);
	} else {
		s.c = 1;
		s.x = (size_t)c;
		s.y = (size_t)(w * c);
		s.n = (size_t)(h * w * c);
	}
	return s;
}

void hs_conv_run(float *out, const float *in, const float *filter,
		 const hs_conv_geometry *g)
{
	strides4 si = layout(g->nchw, g->in_h, g->in_w, g->in_c);
	strides4 so = layout(g->nchw, g->out_h, g->out_w, g->out_c);
	int64_t per_group = g->out_c / g->groups;
	for (int64_t n = 0; n < g->batch; n++)
		for (int64_t oy = 0; oy < g->out_h; oy++)
			for (int64_t ox = 0; ox < g->out_w; ox++)
				for (int64_t oc = 0; oc < g->out_c; oc++) {
					int64_t c0 = oc / per_group * g->filter_in;
					float s = 0;
					for (int64_t ky = 0; ky < g->filter_h; ky++) {
						int64_t iy = oy * g->stride_h - g->pad_top +
							     ky * g->dilation_h;
						if (iy < 0 || iy >= g->in_h)
							continue;
						for (int64_t kx = 0; kx < g->filter_w; kx++) {
							int64_t ix = ox * g->stride_w - g->pad_left +
								     kx * g->dilation_w;
							if (ix < 0 || ix >= g->in_w)
								continue;
							const float *ip = in + n * si.n + iy * si.y +
									  ix * si.x;
							const float *fp = filter +
								((ky * g->filter_w + kx) * g->filter_in) *
									g->out_c + oc;
							for (int64_t ic = 0; ic < g->filter_in; ic++)
								s += ip[(c0 + ic) * si.c] *
								     fp[ic * g->out_c];
						}
					}
					out[n * so.n + oy * so.y + ox * so.x + oc * so.c] = s;
				}
}

/* Output positions whose patches are unrolled at once: bounds the
 * scratch to this many floats. */
#define CONV_COLS_FLOATS ((size_t)1 << 22)

size_t hs_conv_scratch(const hs_conv_geometry *g)
{
	size_t k = (size_t)(g->filter_h * g->filter_w * g->filter_in);
	size_t rows = CONV_COLS_FLOATS / k ? CONV_COLS_FLOATS / k : 1;
	size_t plane = (size_t)(g->out_h * g->out_w);
	if (rows > plane)
		rows = plane;
	size_t floats = k * (size_t)g->out_c + rows * k;
	if (g->nchw)
		floats += plane * (size_t)g->out_c;
	return floats * sizeof(float);
}

/* Row r of the unrolled patches of image n: the K = fh * fw * fin inputs
 * output position r multiplies with the filter, in the filter's order
 * (ky, kx, ic); zeros where the window hangs over the padding. */
static void unroll(float *row, const float *in, const hs_conv_geometry *g, int64_t n,
		   int64_t r)
{
	strides4 si = layout(g->nchw, g->in_h, g->in_w, g->in_c);
	int64_t oy = r / g->out_w, ox = r % g->out_w;
	for (int64_t ky = 0; ky < g->filter_h; ky++) {
		int64_t iy = oy * g->stride_h - g->pad_top + ky * g->dilation_h;
		for (int64_t kx = 0; kx < g->filter_w; kx++) {
			int64_t ix = ox * g->stride_w - g->pad_left + kx * g->dilation_w;
			float *dst = row + (ky * g->filter_w + kx) * g->filter_in;
			if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w) {
				memset(dst, 0, (size_t)g->filter_in * sizeof *dst);
				continue;
			}
			const float *ip = in + n * si.n + iy * si.y + ix * si.x;
			for (int64_t ic = 0; ic < g->filter_in; ic++)
				dst[ic] = ip[ic * si.c];
		}
	}
}

/* The convolution as a product: unrolled patches [positions][K] times the
 * filter [K][out_c] (transposed once, for the row-by-row form), a chunk
 * of positions at a time.  One group only. */
static int conv_gemm(float *out, const float *in, const float *filter,
		     const hs_conv_geometry *g, const hs_gemm *gemm)
{
	size_t k = (size_t)(g->filter_h * g->filter_w * g->filter_in), oc = (size_t)g->out_c;
	size_t plane = (size_t)(g->out_h * g->out_w);
	size_t rows = CONV_COLS_FLOATS / k ? CONV_COLS_FLOATS / k : 1;
	if (rows > plane)
		rows = plane;
	float *ft = malloc(hs_conv_scratch(g));
	if (!ft)
		return hs_fail(HS_ENOMEM, "out of memory");
	float *cols = ft + k * oc, *nhwc = cols + rows * k;
	for (size_t j = 0; j < oc; j++)
		for (size_t q = 0; q < k; q++)
			ft[j * k + q] = filter[q * oc + j];
	int rc = HS_OK;
	for (int64_t n = 0; rc == HS_OK && n < g->batch; n++) {
		float *dst = g->nchw ? nhwc : out + (size_t)n * plane * oc;
		for (size_t r0 = 0; rc == HS_OK && r0 < plane; r0 += rows) {
			size_t m = plane - r0 < rows ? plane - r0 : rows;
			for (size_t r = 0; r < m; r++)
				unroll(cols + r * k, in, g, n, (int64_t)(r0 + r));
			rc = gemm->nt(gemm->ctx, dst + r0 * oc, cols, ft, m, oc, k);
		}
		if (g->nchw)
			for (size_t p = 0; p < plane; p++)
				for (size_t c = 0; c < oc; c++)
					out[((size_t)n * oc + c) * plane + p] = nhwc[p * oc + c];
	}
	free(ft);
	return rc;
}

int hs_conv_run_gemm(float *out, const float *in, const float *filter,
		     const hs_conv_geometry *g, const hs_gemm *gemm)
{
	static const hs_gemm plain = { hs_gemm_nt_plain, NULL };
	if (g->groups != 1 || !g->batch || !g->out_h || !g->out_w) {
		hs_conv_run(out, in, filter, g);
		return HS_OK;
	}
	return conv_gemm(out, in, filter, g, gemm ? gemm : &plain);
}

void hs_conv_bias_act(float *out, const float *bias, const hs_conv_geometry *g,
		      hs_fused_act act)
{
	strides4 so = layout(g->nchw, g->out_h, g->out_w, g->out_c);
	size_t plane = (size_t)(g->out_h * g->out_w);
	for (int64_t n = 0; n < g->batch; n++)
		for (size_t p = 0; p < plane; p++)
			for (int64_t c = 0; c < g->out_c; c++) {
				size_t at = n * so.n + c * so.c +
					    (g->nchw ? p : p * (size_t)g->out_c);
				out[at] += bias[c];
			}
	hs_fused_act_apply(out, (size_t)(g->batch * g->out_c) * plane, act);
}

/* ---------------------------------------------------------------- kernel */

/* A 4-list attribute in data-format order (N, H, W, C or N, C, H, W):
 * its H and W values; N and C must be 1 (TensorFlow's CPU kernel refuses
 * anything else). */
static int spatial_pair(int64_t *h, int64_t *w, const hs_node *n, const char *key,
			int nchw, int required)
{
	int64_t v[4];
	size_t count;
	int rc = hs_kattr_ints(v, 4, &count, n, key);
	if (rc == HS_ENOTFOUND && !required) {
		*h = *w = 1;
		return HS_OK;
	}
	if (rc == HS_ENOTFOUND)
		return hs_fail(HS_EINVAL, "attribute '%s' is missing", key);
	if (rc < 0)
		return rc;
	if (count != 4)
		return hs_fail(HS_EINVAL, "attribute '%s' has %zu values, expected 4", key, count);
	int c = nchw ? 1 : 3;
	if (v[0] != 1 || v[c] != 1)
		return hs_fail(HS_EINVAL, "attribute '%s' must be 1 in the batch and depth "
			       "dimensions", key);
	*h = v[nchw ? 2 : 1];
	*w = v[nchw ? 3 : 2];
	return HS_OK;
}

static int padding_of(hs_conv_geometry *g, const hs_node *n)
{
	hs_str s;
	int rc = hs_kattr_str(&s, n, "padding");
	if (rc == HS_ENOTFOUND)
		return hs_fail(HS_EINVAL, "attribute 'padding' is missing");
	if (rc < 0)
		return rc;
	if (hs_str_eq(s, "SAME"))
		g->padding = HS_PAD_SAME;
	else if (hs_str_eq(s, "VALID"))
		g->padding = HS_PAD_VALID;
	else if (hs_str_eq(s, "EXPLICIT"))
		g->padding = HS_PAD_EXPLICIT;
	else
		return hs_fail(HS_EINVAL, "unknown padding '%.*s' (SAME, VALID, EXPLICIT)",
			       HS_NAME_ARG(s));
	if (g->padding != HS_PAD_EXPLICIT)
		return HS_OK;
	/* Pairs (before, after) per dimension in data-format order. */
	int64_t p[8];
	size_t count;
	rc = hs_kattr_ints(p, 8, &count, n, "explicit_paddings");
	if (rc == HS_ENOTFOUND)
		count = 0;
	else if (rc < 0)
		return rc;
	if (count != 8)
		return hs_fail(HS_EINVAL, "padding EXPLICIT needs 8 explicit_paddings, got %zu",
			       count);
	int c = g->nchw ? 1 : 3, hd = g->nchw ? 2 : 1, wd = g->nchw ? 3 : 2;
	if (p[0] || p[1] || p[2 * c] || p[2 * c + 1])
		return hs_fail(HS_EINVAL, "explicit_paddings must be 0 in the batch and depth "
			       "dimensions");
	g->pad_top = p[2 * hd];
	g->pad_bottom = p[2 * hd + 1];
	g->pad_left = p[2 * wd];
	g->pad_right = p[2 * wd + 1];
	return HS_OK;
}

int hs_conv_geometry_of(hs_conv_geometry *g, const hs_node *n, const hs_value *x,
			const hs_value *f)
{
	static const int64_t any4[4] = { -1, -1, -1, -1 };
	hs_str fmt;
	int rc;
	memset(g, 0, sizeof *g);
	if ((rc = hs_fused_check(x, 4, any4, "input 0 (input)")) ||
	    (rc = hs_fused_check(f, 4, any4, "input 1 (filter)")))
		return rc;
	rc = hs_kattr_str(&fmt, n, "data_format");
	if (rc == HS_OK && !hs_str_eq(fmt, "NHWC") && !hs_str_eq(fmt, "NCHW"))
		return hs_fail(HS_EINVAL, "unknown data_format '%.*s' (NHWC, NCHW)",
			       HS_NAME_ARG(fmt));
	if (rc < 0 && rc != HS_ENOTFOUND)
		return rc;
	g->nchw = rc == HS_OK && hs_str_eq(fmt, "NCHW");
	g->batch = x->dims[0];
	g->in_c = x->dims[g->nchw ? 1 : 3];
	g->in_h = x->dims[g->nchw ? 2 : 1];
	g->in_w = x->dims[g->nchw ? 3 : 2];
	g->filter_h = f->dims[0];
	g->filter_w = f->dims[1];
	g->filter_in = f->dims[2];
	g->out_c = f->dims[3];
	if ((rc = spatial_pair(&g->stride_h, &g->stride_w, n, "strides", g->nchw, 1)) ||
	    (rc = spatial_pair(&g->dilation_h, &g->dilation_w, n, "dilations", g->nchw, 0)) ||
	    (rc = padding_of(g, n)))
		return rc;
	return hs_conv_plan(g);
}

int hs_conv_output(hs_value **out, hs_kctx *k, const hs_conv_geometry *g)
{
	int64_t dims[4] = { g->batch, g->out_h, g->out_w, g->out_c };
	if (g->nchw) {
		dims[1] = g->out_c;
		dims[2] = g->out_h;
		dims[3] = g->out_w;
	}
	return hs_kt_new(out, k, HS_DT_FLOAT, 4, dims);
}

int hs_kernel_conv2d(hs_kctx *k, const hs_node *n, const hs_value *const *in,
		     size_t n_in, hs_value **out, size_t n_out)
{
	hs_conv_geometry g;
	int rc = hs_kcheck_inputs(n_in, 2, 2);
	if (!rc)
		rc = hs_kcheck_outputs(n_out, 1);
	if (!rc)
		rc = hs_conv_geometry_of(&g, n, in[0], in[1]);
	if (!rc)
		rc = hs_conv_output(&out[0], k, &g);
	if (!rc && out[0]->elements && g.groups == 1)
		rc = hs_kt_reserve(k, hs_conv_scratch(&g));
	if (!rc && out[0]->elements) {
		hs_gemm gemm = { hs_fused_gemm, k };
		rc = hs_conv_run_gemm(out[0]->data, in[0]->data, in[1]->data, &g, &gemm);
	}
	return rc;
}
