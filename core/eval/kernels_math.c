/* Element-wise kernels: binary ops with numpy broadcasting (Add, Mul,
 * Maximum, Less, LogicalAnd, ...), unary ops (Neg, Sigmoid, Tanh, Relu,
 * ...), Select, Cast.
 *
 * A binary op is a table row of typed row functions: out[i] = a[i*sa] op
 * b[i*sb] over one run of the innermost dimension, sa and sb 0 (the input
 * is broadcast along it) or 1.  The driver walks the outer dimensions. */
#include <config.h>

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "blas.h"

#include "error.h"
#include "eval_internal.h"

typedef void (*row_fn)(void *out, const void *a, size_t sa, const void *b, size_t sb,
		       size_t n);

#define ROW(name, T, OT, expr)                                                         \
	static void name(void *o_, const void *a_, size_t sa, const void *b_, size_t sb, \
			 size_t n)                                                       \
	{                                                                                \
		OT *o = o_;                                                              \
		const T *a = a_, *b = b_;                                                \
		for (size_t i = 0; i < n; i++) {                                         \
			T x = a[i * sa], y = b[i * sb];                                  \
			o[i] = (OT)(expr);                                               \
		}                                                                        \
	}

/* Integer arithmetic wraps as TensorFlow's does (two's complement), done
 * unsigned so C has no undefined overflow. */
#define ROWS_ARITH(op, fexpr, iexpr32, iexpr64)                 \
	ROW(op##_f32, float, float, fexpr)                      \
	ROW(op##_i32, int32_t, int32_t, iexpr32)                \
	ROW(op##_i64, int64_t, int64_t, iexpr64)

ROWS_ARITH(add, x + y, (uint32_t)x + (uint32_t)y, (uint64_t)x + (uint64_t)y)
ROWS_ARITH(sub, x - y, (uint32_t)x - (uint32_t)y, (uint64_t)x - (uint64_t)y)
ROWS_ARITH(mul, x * y, (uint32_t)x * (uint32_t)y, (uint64_t)x * (uint64_t)y)
/* NaN propagates through Maximum and Minimum in TensorFlow. */
ROWS_ARITH(max, isnan(x) || x > y ? x : y, x > y ? x : y, x > y ? x : y)
ROWS_ARITH(min, isnan(x) || x < y ? x : y, x < y ? x : y, x < y ? x : y)
ROW(div_f32, float, float, x / y)
ROW(sqdiff_f32, float, float, (x - y) * (x - y))
ROW(pow_f32, float, float, powf(x, y))

#define ROWS_CMP(op, expr)                       \
	ROW(op##_f32, float, uint8_t, expr)      \
	ROW(op##_i32, int32_t, uint8_t, expr)    \
	ROW(op##_i64, int64_t, uint8_t, expr)
ROWS_CMP(less, x < y)
ROWS_CMP(less_eq, x <= y)
ROWS_CMP(greater, x > y)
ROWS_CMP(greater_eq, x >= y)
ROWS_CMP(equal, x == y)
ROWS_CMP(not_equal, x != y)
ROW(equal_b, uint8_t, uint8_t, x == y)
ROW(not_equal_b, uint8_t, uint8_t, x != y)
ROW(and_b, uint8_t, uint8_t, x && y)
ROW(or_b, uint8_t, uint8_t, x || y)

typedef struct binop {
	const char *op;
	row_fn f32, i32, i64, b;
	int bool_out;
} binop;

enum {
	B_ADD, B_SUB, B_MUL, B_MAX, B_MIN, B_DIV, B_SQDIFF, B_POW, B_LESS, B_LESS_EQ,
	B_GREATER, B_GREATER_EQ, B_EQUAL, B_NOT_EQUAL, B_AND, B_OR
};

static const binop binops[] = {
	[B_ADD] = { "Add", add_f32, add_i32, add_i64, NULL, 0 },
	[B_SUB] = { "Sub", sub_f32, sub_i32, sub_i64, NULL, 0 },
	[B_MUL] = { "Mul", mul_f32, mul_i32, mul_i64, NULL, 0 },
	[B_MAX] = { "Maximum", max_f32, max_i32, max_i64, NULL, 0 },
	[B_MIN] = { "Minimum", min_f32, min_i32, min_i64, NULL, 0 },
	[B_DIV] = { "RealDiv", div_f32, NULL, NULL, NULL, 0 },
	[B_SQDIFF] = { "SquaredDifference", sqdiff_f32, NULL, NULL, NULL, 0 },
	[B_POW] = { "Pow", pow_f32, NULL, NULL, NULL, 0 },
	[B_LESS] = { "Less", less_f32, less_i32, less_i64, NULL, 1 },
	[B_LESS_EQ] = { "LessEqual", less_eq_f32, less_eq_i32, less_eq_i64, NULL, 1 },
	[B_GREATER] = { "Greater", greater_f32, greater_i32, greater_i64, NULL, 1 },
	[B_GREATER_EQ] = { "GreaterEqual", greater_eq_f32, greater_eq_i32, greater_eq_i64, NULL, 1 },
	[B_EQUAL] = { "Equal", equal_f32, equal_i32, equal_i64, equal_b, 1 },
	[B_NOT_EQUAL] = { "NotEqual", not_equal_f32, not_equal_i32, not_equal_i64, not_equal_b, 1 },
	[B_AND] = { "LogicalAnd", NULL, NULL, NULL, and_b, 1 },
	[B_OR] = { "LogicalOr", NULL, NULL, NULL, or_b, 1 },
};

static row_fn row_for(const binop *op, int dtype)
{
	switch (dtype) {
	case HS_DT_FLOAT:
		return op->f32;
	case HS_DT_INT32:
		return op->i32;
	case HS_DT_INT64:
		return op->i64;
	case HS_DT_BOOL:
		return op->b;
	default:
		return NULL;
	}
}

/* Strides (in elements) of t's dimensions aligned to an output of rank r,
 * 0 where t is broadcast. */
static void bcast_strides(uint64_t *st, const hs_value *t, size_t r)
{
	uint64_t s = 1;
	for (size_t i = r; i-- > 0;) {
		size_t off = r - t->rank;
		int64_t d = i < off ? 1 : t->dims[i - off];
		st[i] = d == 1 ? 0 : s;
		s *= (uint64_t)d;
	}
}

/* out = a op b over the broadcast shape, walking the outer dimensions with
 * an odometer and each innermost run with one row call. */
static void broadcast_rows(hs_value *out, const hs_value *a, const hs_value *b, row_fn fn)
{
	size_t r = out->rank, ea = hs_dtype_size(a->dtype), eo = hs_dtype_size(out->dtype);
	const uint8_t *pa = a->data, *pb = b->data;
	uint8_t *po = out->data;
	if (hs_shape_same(a, b) || (a->elements == 1 && b->elements == out->elements) ||
	    (b->elements == 1 && a->elements == out->elements)) {
		fn(po, pa, a->elements == 1 && out->elements > 1 ? 0 : 1, pb,
		   b->elements == 1 && out->elements > 1 ? 0 : 1, (size_t)out->elements);
		return;
	}
	uint64_t sa[HS_TENSOR_MAX_RANK], sb[HS_TENSOR_MAX_RANK], idx[HS_TENSOR_MAX_RANK] = { 0 };
	bcast_strides(sa, a, r);
	bcast_strides(sb, b, r);
	size_t inner = (size_t)out->dims[r - 1];
	uint64_t rows = out->elements / inner, oa = 0, ob = 0;
	for (uint64_t row = 0; row < rows; row++) {
		fn(po + row * inner * eo, pa + oa * ea, sa[r - 1] ? 1 : 0, pb + ob * ea,
		   sb[r - 1] ? 1 : 0, inner);
		for (size_t d = r - 1; d-- > 0;) {
			oa += sa[d];
			ob += sb[d];
			if (++idx[d] < (uint64_t)out->dims[d])
				break;
			oa -= sa[d] * idx[d];
			ob -= sb[d] * idx[d];
			idx[d] = 0;
		}
	}
}

static int binary(hs_kctx *k, const binop *op, const hs_value *const *in, size_t n_in,
		  hs_value **out, size_t n_out)
{
	int rc;
	if ((rc = hs_kcheck_inputs(n_in, 2, 2)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0)
		return rc;
	const hs_value *a = in[0], *b = in[1];
	if (a->dtype != b->dtype)
		return hs_fail(HS_EINVAL, "the inputs are %s and %s, expected one type",
			       hs_dtype_name(a->dtype), hs_dtype_name(b->dtype));
	row_fn fn = row_for(op, a->dtype);
	if (!fn)
		return hs_fail(HS_EINVAL, "%s inputs are not supported", hs_dtype_name(a->dtype));
	size_t rank;
	int64_t dims[HS_TENSOR_MAX_RANK];
	if ((rc = hs_broadcast_shape(&rank, dims, a, b)) < 0)
		return rc;
	if ((rc = hs_kt_new(out, k, op->bool_out ? HS_DT_BOOL : a->dtype, rank, dims)) < 0)
		return rc;
	if ((*out)->elements)
		broadcast_rows(*out, a, b, fn);
	return HS_OK;
}

#define BINARY_KERNEL(name, index)                                                       \
	static int name(hs_kctx *k, const hs_node *n, const hs_value *const *in,         \
			size_t n_in, hs_value **out, size_t n_out)                       \
	{                                                                                \
		(void)n;                                                                 \
		return binary(k, &binops[index], in, n_in, out, n_out);                  \
	}

BINARY_KERNEL(k_add, B_ADD)
BINARY_KERNEL(k_sub, B_SUB)
BINARY_KERNEL(k_mul, B_MUL)
BINARY_KERNEL(k_max, B_MAX)
BINARY_KERNEL(k_min, B_MIN)
BINARY_KERNEL(k_div, B_DIV)
BINARY_KERNEL(k_sqdiff, B_SQDIFF)
BINARY_KERNEL(k_pow, B_POW)
BINARY_KERNEL(k_less, B_LESS)
BINARY_KERNEL(k_less_eq, B_LESS_EQ)
BINARY_KERNEL(k_greater, B_GREATER)
BINARY_KERNEL(k_greater_eq, B_GREATER_EQ)
BINARY_KERNEL(k_equal, B_EQUAL)
BINARY_KERNEL(k_not_equal, B_NOT_EQUAL)
BINARY_KERNEL(k_and, B_AND)
BINARY_KERNEL(k_or, B_OR)

/* AddN: the sum of N same-shaped inputs. */
static int k_add_n(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		   hs_value **out, size_t n_out)
{
	int rc;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 1, -1)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0)
		return rc;
	for (size_t i = 0; i < n_in; i++) {
		if (in[i]->dtype != HS_DT_FLOAT || !hs_shape_same(in[i], in[0]))
			return hs_fail(HS_EINVAL, "input %zu differs from input 0 in type or shape (float32 inputs of one shape expected)", i);
	}
	if ((rc = hs_kt_like(out, k, HS_DT_FLOAT, in[0])) < 0)
		return rc;
	float *o = (*out)->data;
	for (size_t i = 0; i < n_in; i++) {
		const float *x = in[i]->data;
		for (uint64_t j = 0; j < (*out)->elements; j++)
			o[j] += x[j];
	}
	return HS_OK;
}

/* ------------------------------------------------------------- unary */

typedef float (*unary_f32)(float x);

static float u_neg(float x) { return -x; }
static float u_sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }
static float u_tanh(float x) { return tanhf(x); }
static float u_relu(float x) { return x > 0 ? x : (isnan(x) ? x : 0.0f); }
static float u_relu6(float x) { return isnan(x) ? x : x < 0 ? 0.0f : x > 6 ? 6.0f : x; }
static float u_exp(float x) { return expf(x); }
static float u_log(float x) { return logf(x); }
static float u_sqrt(float x) { return sqrtf(x); }
static float u_rsqrt(float x) { return 1.0f / sqrtf(x); }
static float u_square(float x) { return x * x; }
static float u_abs(float x) { return fabsf(x); }
static float u_reciprocal(float x) { return 1.0f / x; }

static int unary(hs_kctx *k, unary_f32 f, const hs_value *const *in, size_t n_in,
		 hs_value **out, size_t n_out)
{
	int rc;
	if ((rc = hs_kcheck_inputs(n_in, 1, 1)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0)
		return rc;
	const hs_value *x = in[0];
	/* Neg and Abs also take integers. */
	if (x->dtype == HS_DT_INT32 && (f == u_neg || f == u_abs)) {
		if ((rc = hs_kt_like(out, k, x->dtype, x)) < 0)
			return rc;
		const int32_t *a = x->data;
		int32_t *o = (*out)->data;
		for (uint64_t i = 0; i < x->elements; i++)
			o[i] = (int32_t)(f == u_neg || a[i] < 0 ? 0u - (uint32_t)a[i] : (uint32_t)a[i]);
		return HS_OK;
	}
	if ((rc = hs_kcheck_dtype(x, HS_DT_FLOAT, "the input")) < 0)
		return rc;
	if ((rc = hs_kt_like(out, k, HS_DT_FLOAT, x)) < 0)
		return rc;
	const float *a = x->data;
	float *o = (*out)->data;
	for (uint64_t i = 0; i < x->elements; i++)
		o[i] = f(a[i]);
	return HS_OK;
}

#define UNARY_KERNEL(name, f)                                                          \
	static int name(hs_kctx *k, const hs_node *n, const hs_value *const *in,       \
			size_t n_in, hs_value **out, size_t n_out)                     \
	{                                                                              \
		(void)n;                                                               \
		return unary(k, f, in, n_in, out, n_out);                              \
	}

UNARY_KERNEL(k_neg, u_neg)
UNARY_KERNEL(k_sigmoid, u_sigmoid)
UNARY_KERNEL(k_tanh, u_tanh)
UNARY_KERNEL(k_relu, u_relu)
UNARY_KERNEL(k_relu6, u_relu6)
UNARY_KERNEL(k_exp, u_exp)
UNARY_KERNEL(k_log, u_log)
UNARY_KERNEL(k_sqrt, u_sqrt)
UNARY_KERNEL(k_rsqrt, u_rsqrt)
UNARY_KERNEL(k_square, u_square)
UNARY_KERNEL(k_abs, u_abs)
UNARY_KERNEL(k_reciprocal, u_reciprocal)

static int k_logical_not(hs_kctx *k, const hs_node *n, const hs_value *const *in,
			 size_t n_in, hs_value **out, size_t n_out)
{
	int rc;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 1, 1)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = hs_kcheck_dtype(in[0], HS_DT_BOOL, "the input")) < 0 ||
	    (rc = hs_kt_like(out, k, HS_DT_BOOL, in[0])) < 0)
		return rc;
	const uint8_t *a = in[0]->data;
	uint8_t *o = (*out)->data;
	for (uint64_t i = 0; i < in[0]->elements; i++)
		o[i] = !a[i];
	return HS_OK;
}

/* ------------------------------------------------------------ select */

/* Offset in t of output element `i` (of shape rank/dims), t broadcast to
 * it: the general walk, for the three inputs of SelectV2. */
static uint64_t bcast_offset(const hs_value *t, size_t rank, const int64_t *dims, uint64_t i)
{
	uint64_t off = 0, stride = 1;
	for (size_t d = rank; d-- > 0;) {
		uint64_t c = i % (uint64_t)dims[d];
		i /= (uint64_t)dims[d];
		size_t lead = rank - t->rank;
		if (d < lead)
			continue;
		int64_t td = t->dims[d - lead];
		if (td != 1)
			off += c * stride;
		stride *= (uint64_t)td;
	}
	return off;
}

/* Select(cond, t, e): cond of t's shape, or (Select) a vector over t's
 * first dimension; SelectV2 broadcasts all three. */
static int select_values(hs_kctx *k, int v2, const hs_value *const *in, size_t n_in,
			 hs_value **out, size_t n_out)
{
	int rc;
	if ((rc = hs_kcheck_inputs(n_in, 3, 3)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = hs_kcheck_dtype(in[0], HS_DT_BOOL, "the condition")) < 0)
		return rc;
	const hs_value *c = in[0], *t = in[1], *e = in[2];
	if (t->dtype != e->dtype || !hs_dtype_size(t->dtype))
		return hs_fail(HS_EINVAL, "the branches are %s and %s, expected one type",
			       hs_dtype_name(t->dtype), hs_dtype_name(e->dtype));
	size_t rank;
	int64_t dims[HS_TENSOR_MAX_RANK];
	const hs_value *cc = c;
	hs_value row;
	if (!v2) {
		if (!hs_shape_same(t, e))
			return hs_fail(HS_EINVAL, "the branches differ in shape");
		if (!hs_shape_same(c, t) && c->rank != 0 &&
		    !(c->rank == 1 && t->rank >= 1 && c->dims[0] == t->dims[0]))
			return hs_fail(HS_EINVAL, "the condition is neither a scalar, nor of the branches' shape, nor a vector over their first dimension");
		if (!hs_shape_same(c, t) && c->rank == 1) {
			/* A vector over the rows: as a [n,1,...,1] broadcast. */
			row = *c;
			row.rank = t->rank;
			for (size_t i = 1; i < t->rank; i++)
				row.dims[i] = 1;
			cc = &row;
		}
		rank = t->rank;
		memcpy(dims, t->dims, sizeof dims);
	} else {
		if ((rc = hs_broadcast_shape(&rank, dims, t, e)) < 0)
			return rc;
		hs_value te = *t;
		te.rank = rank;
		memcpy(te.dims, dims, sizeof dims);
		if ((rc = hs_broadcast_shape(&rank, dims, c, &te)) < 0)
			return rc;
	}
	if ((rc = hs_kt_new(out, k, t->dtype, rank, dims)) < 0)
		return rc;
	size_t es = hs_dtype_size(t->dtype);
	const uint8_t *pc = cc->data, *pt = t->data, *pe = e->data;
	uint8_t *po = (*out)->data;
	for (uint64_t i = 0; i < (*out)->elements; i++) {
		int yes = pc[bcast_offset(cc, rank, dims, i)];
		const uint8_t *src = yes ? pt + bcast_offset(t, rank, dims, i) * es
					 : pe + bcast_offset(e, rank, dims, i) * es;
		memcpy(po + i * es, src, es);
	}
	return HS_OK;
}

static int k_select(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		    hs_value **out, size_t n_out)
{
	(void)n;
	return select_values(k, 0, in, n_in, out, n_out);
}

static int k_select_v2(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		       hs_value **out, size_t n_out)
{
	(void)n;
	return select_values(k, 1, in, n_in, out, n_out);
}

/* -------------------------------------------------------------- cast */

static double load_num(const hs_value *t, uint64_t i)
{
	switch (t->dtype) {
	case HS_DT_FLOAT:
		return ((const float *)t->data)[i];
	case HS_DT_INT32:
		return ((const int32_t *)t->data)[i];
	case HS_DT_INT64:
		return (double)((const int64_t *)t->data)[i];
	default:
		return ((const uint8_t *)t->data)[i];
	}
}

/* Float to integer truncates toward zero, as TensorFlow's static_cast;
 * out-of-range values saturate instead of being undefined. */
static int64_t to_int(double v, int64_t lo, int64_t hi)
{
	if (isnan(v))
		return 0;
	if (v <= (double)lo)
		return lo;
	if (v >= (double)hi)
		return hi;
	return (int64_t)v;
}

static int k_cast(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		  hs_value **out, size_t n_out)
{
	int rc, dst;
	if ((rc = hs_kcheck_inputs(n_in, 1, 1)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0)
		return rc;
	if ((rc = hs_kattr_type(&dst, n, "DstT")) < 0)
		return rc == HS_ENOTFOUND ? hs_fail(HS_EINVAL, "attribute 'DstT' is missing") : rc;
	const hs_value *x = in[0];
	if (!hs_dtype_size(x->dtype) || !hs_dtype_size(dst))
		return hs_fail(HS_EINVAL, "a cast from %s to %s is not supported",
			       hs_dtype_name(x->dtype), hs_dtype_name(dst));
	if (x->dtype == dst) {
		*out = hs_value_ref(x);
		return HS_OK;
	}
	if ((rc = hs_kt_like(out, k, dst, x)) < 0)
		return rc;
	void *o = (*out)->data;
	for (uint64_t i = 0; i < x->elements; i++) {
		double v = x->dtype == HS_DT_INT64 ? 0 : load_num(x, i);
		int64_t iv = x->dtype == HS_DT_INT64 ? ((const int64_t *)x->data)[i] : 0;
		int exact = x->dtype == HS_DT_INT64;
		switch (dst) {
		case HS_DT_FLOAT:
			((float *)o)[i] = exact ? (float)iv : (float)v;
			break;
		case HS_DT_INT32:
			((int32_t *)o)[i] = exact ? (int32_t)(uint32_t)iv
						  : (int32_t)to_int(v, INT32_MIN, INT32_MAX);
			break;
		case HS_DT_INT64:
			((int64_t *)o)[i] = to_int(v, INT64_MIN, INT64_MAX);
			break;
		default:
			((uint8_t *)o)[i] = exact ? iv != 0 : v != 0;
		}
	}
	return HS_OK;
}

/* ----------------------------------------------------------- matmul */

/* The built-in product, when there is no CBLAS to open (core/eval/blas.c). */
#define LANES 8

/* C[m,n] = A[m,k] B[k,n], all row-major, C zeroed.  Blocked so a panel of
 * B stays in cache while rows of A stream past it; the inner loop runs
 * along a row of C and B in fixed runs of LANES, which compilers
 * vectorise at -O2 (restrict: no alias check needed). */
static void gemm_nn(float *restrict c, const float *restrict a, const float *restrict b,
		    size_t m, size_t n, size_t kk)
{
	enum { KB = 128, NB = 512 };
	for (size_t j0 = 0; j0 < n; j0 += NB) {
		size_t jn = n - j0 < NB ? n - j0 : NB;
		for (size_t p0 = 0; p0 < kk; p0 += KB) {
			size_t pn = kk - p0 < KB ? kk - p0 : KB;
			for (size_t i = 0; i < m; i++) {
				float *restrict ci = c + i * n + j0;
				const float *ai = a + i * kk + p0;
				for (size_t p = 0; p < pn; p++) {
					float av = ai[p];
					const float *restrict bp = b + (p0 + p) * n + j0;
					size_t j = 0;
					for (; j + LANES <= jn; j += LANES)
						for (size_t l = 0; l < LANES; l++)
							ci[j + l] += av * bp[j + l];
					for (; j < jn; j++)
						ci[j] += av * bp[j];
				}
			}
		}
	}
}

/* Dot products of rows: eight partial sums per row keep the multiply-adds
 * independent (and vectorisable without reassociating one sum). */

static float dot_rows(const float *restrict x, const float *restrict y, size_t kk)
{
	float acc[LANES] = { 0 };
	size_t p = 0;
	for (; p + LANES <= kk; p += LANES)
		for (size_t l = 0; l < LANES; l++)
			acc[l] += x[p + l] * y[p + l];
	float s = 0;
	for (size_t l = 0; l < LANES; l++)
		s += acc[l];
	for (; p < kk; p++)
		s += x[p] * y[p];
	return s;
}

/* Four rows of A against one row of B at a time: B's row is read once per
 * four results. */
static void dot4_rows(float *out, size_t stride, const float *restrict a,
		      const float *restrict y, size_t kk)
{
	float acc[4][LANES] = { { 0 } };
	size_t p = 0;
	for (; p + LANES <= kk; p += LANES)
		for (size_t r = 0; r < 4; r++)
			for (size_t l = 0; l < LANES; l++)
				acc[r][l] += a[r * kk + p + l] * y[p + l];
	for (size_t r = 0; r < 4; r++) {
		float s = 0;
		for (size_t l = 0; l < LANES; l++)
			s += acc[r][l];
		for (size_t q = p; q < kk; q++)
			s += a[r * kk + q] * y[q];
		out[r * stride] = s;
	}
}

/* C[m,n] = A[m,k] B[n,k]^T: every element a dot product of two rows. */
static void gemm_nt(float *c, const float *a, const float *b, size_t m, size_t n, size_t kk)
{
	size_t i = 0;
	for (; i + 4 <= m; i += 4)
		for (size_t j = 0; j < n; j++)
			dot4_rows(c + i * n + j, n, a + i * kk, b + j * kk, kk);
	for (; i < m; i++)
		for (size_t j = 0; j < n; j++)
			c[i * n + j] = dot_rows(a + i * kk, b + j * kk, kk);
}

/* dst[cols, rows] = src[rows, cols]^T, in tiles that stay in cache. */
static void transpose_f32(float *restrict dst, const float *restrict src, size_t rows,
			  size_t cols)
{
	enum { T = 32 };
	for (size_t i0 = 0; i0 < rows; i0 += T)
		for (size_t j0 = 0; j0 < cols; j0 += T)
			for (size_t i = i0; i < rows && i < i0 + T; i++)
				for (size_t j = j0; j < cols && j < j0 + T; j++)
					dst[j * rows + i] = src[i * cols + j];
}

/* Row-major A (m x k, or k x m when ta) and B (k x n, or n x k when tb).
 * A transposed A is copied (counted against the memory limit); a
 * transposed B is the dot-product form. */
int hs_kt_matmul(hs_kctx *k, float *c, const float *a, const float *b, size_t m, size_t n,
		      size_t kk, int ta, int tb)
{
	hs_sgemm_fn sgemm = m <= INT_MAX && n <= INT_MAX && kk <= INT_MAX ? hs_blas_sgemm() : NULL;
	if (sgemm) {
		sgemm(HS_CBLAS_ROW_MAJOR, ta ? HS_CBLAS_TRANS : HS_CBLAS_NO_TRANS,
		      tb ? HS_CBLAS_TRANS : HS_CBLAS_NO_TRANS, (int)m, (int)n, (int)kk, 1.0f, a,
		      ta ? (int)m : (int)kk, b, tb ? (int)kk : (int)n, 0.0f, c, (int)n);
		return HS_OK;
	}
	float *ta_copy = NULL;
	int rc;
	if (ta) {
		if ((rc = hs_kt_reserve(k, (uint64_t)m * kk * sizeof(float))) < 0)
			return rc;
		if (!(ta_copy = malloc(m * kk * sizeof *ta_copy)))
			return hs_fail(HS_ENOMEM, "out of memory");
		transpose_f32(ta_copy, a, kk, m);
		a = ta_copy;
	}
	if (tb)
		gemm_nt(c, a, b, m, n, kk);
	else
		gemm_nn(c, a, b, m, n, kk);
	free(ta_copy);
	return HS_OK;
}

static int k_matmul(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		    hs_value **out, size_t n_out)
{
	int rc, ta, tb;
	if ((rc = hs_kcheck_inputs(n_in, 2, 2)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = hs_kattr_bool_or(&ta, n, "transpose_a", 0)) < 0 ||
	    (rc = hs_kattr_bool_or(&tb, n, "transpose_b", 0)) < 0)
		return rc;
	const hs_value *a = in[0], *b = in[1];
	if ((rc = hs_kcheck_dtype(a, HS_DT_FLOAT, "input 0")) < 0 ||
	    (rc = hs_kcheck_dtype(b, HS_DT_FLOAT, "input 1")) < 0)
		return rc;
	if (a->rank != 2 || b->rank != 2)
		return hs_fail(HS_EINVAL, "the inputs have ranks %zu and %zu, expected two matrices",
			       a->rank, b->rank);
	int64_t m = ta ? a->dims[1] : a->dims[0], ka = ta ? a->dims[0] : a->dims[1];
	int64_t kb = tb ? b->dims[1] : b->dims[0], nn = tb ? b->dims[0] : b->dims[1];
	if (ka != kb) {
		char sa[64], sb[64];
		return hs_fail(HS_EINVAL, "shapes %s%s and %s%s do not multiply (%lld != %lld)",
			       hs_shape_text(sa, sizeof sa, 2, a->dims), ta ? "^T" : "",
			       hs_shape_text(sb, sizeof sb, 2, b->dims), tb ? "^T" : "",
			       (long long)ka, (long long)kb);
	}
	if ((rc = hs_kt_new(out, k, HS_DT_FLOAT, 2, (const int64_t[]){ m, nn })) < 0)
		return rc;
	if (!m || !nn || !ka)
		return HS_OK;
	return hs_kt_matmul(k, (*out)->data, a->data, b->data, (size_t)m, (size_t)nn, (size_t)ka,
			  ta, tb);
}

/* ---------------------------------------------------------- bias add */

static int k_bias_add(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		      hs_value **out, size_t n_out)
{
	int rc, nchw = 0;
	hs_str fmt;
	if ((rc = hs_kcheck_inputs(n_in, 2, 2)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0)
		return rc;
	rc = hs_kattr_str(&fmt, n, "data_format");
	if (rc == HS_OK)
		nchw = hs_str_eq(fmt, "NCHW") || hs_str_eq(fmt, "NCDHW");
	else if (rc != HS_ENOTFOUND)
		return rc;
	const hs_value *x = in[0], *b = in[1];
	if ((rc = hs_kcheck_dtype(x, HS_DT_FLOAT, "the value")) < 0 ||
	    (rc = hs_kcheck_dtype(b, HS_DT_FLOAT, "the bias")) < 0)
		return rc;
	size_t axis = nchw ? 1 : x->rank - 1;
	if (x->rank < 2 || b->rank != 1 || b->dims[0] != x->dims[axis]) {
		char sx[160], sb[64];
		return hs_fail(HS_EINVAL, "a bias of shape %s does not fit a value of shape %s (%s)",
			       hs_shape_text(sb, sizeof sb, b->rank, b->dims),
			       hs_shape_text(sx, sizeof sx, x->rank, x->dims), nchw ? "NCHW" : "NHWC");
	}
	if ((rc = hs_kt_like(out, k, HS_DT_FLOAT, x)) < 0)
		return rc;
	uint64_t inner = 1, ch = (uint64_t)x->dims[axis];
	for (size_t i = axis + 1; i < x->rank; i++)
		inner *= (uint64_t)x->dims[i];
	const float *px = x->data, *pb = b->data;
	float *po = (*out)->data;
	for (uint64_t i = 0; i < x->elements; i++)
		po[i] = px[i] + pb[(i / inner) % ch];
	return HS_OK;
}

/* ----------------------------------------------------------- softmax */

static int k_softmax(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		     hs_value **out, size_t n_out)
{
	int rc;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 1, 1)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = hs_kcheck_dtype(in[0], HS_DT_FLOAT, "the input")) < 0)
		return rc;
	const hs_value *x = in[0];
	if (x->rank < 1)
		return hs_fail(HS_EINVAL, "the input is a scalar, expected rank 1 or more");
	if ((rc = hs_kt_like(out, k, HS_DT_FLOAT, x)) < 0)
		return rc;
	size_t d = (size_t)x->dims[x->rank - 1];
	if (!d)
		return HS_OK;
	const float *px = x->data;
	float *po = (*out)->data;
	/* Minus the row's maximum: exp never overflows. */
	for (uint64_t r = 0; r < x->elements / d; r++) {
		const float *a = px + r * d;
		float *o = po + r * d, mx = a[0], sum = 0;
		for (size_t i = 1; i < d; i++)
			mx = a[i] > mx ? a[i] : mx;
		for (size_t i = 0; i < d; i++)
			sum += (o[i] = expf(a[i] - mx));
		for (size_t i = 0; i < d; i++)
			o[i] /= sum;
	}
	return HS_OK;
}

static const hs_kernel_def defs[] = {
	{ "Abs", k_abs },
	{ "Add", k_add },
	{ "AddN", k_add_n },
	{ "AddV2", k_add },
	{ "BiasAdd", k_bias_add },
	{ "BiasAddV1", k_bias_add },
	{ "Cast", k_cast },
	{ "Equal", k_equal },
	{ "Exp", k_exp },
	{ "Greater", k_greater },
	{ "GreaterEqual", k_greater_eq },
	{ "Less", k_less },
	{ "LessEqual", k_less_eq },
	{ "Log", k_log },
	{ "LogicalAnd", k_and },
	{ "LogicalNot", k_logical_not },
	{ "LogicalOr", k_or },
	{ "MatMul", k_matmul },
	{ "Maximum", k_max },
	{ "Minimum", k_min },
	{ "Mul", k_mul },
	{ "Neg", k_neg },
	{ "NotEqual", k_not_equal },
	{ "Pow", k_pow },
	{ "RealDiv", k_div },
	{ "Reciprocal", k_reciprocal },
	{ "Relu", k_relu },
	{ "Relu6", k_relu6 },
	{ "Rsqrt", k_rsqrt },
	{ "Select", k_select },
	{ "SelectV2", k_select_v2 },
	{ "Sigmoid", k_sigmoid },
	{ "Softmax", k_softmax },
	{ "Sqrt", k_sqrt },
	{ "Square", k_square },
	{ "SquaredDifference", k_sqdiff },
	{ "Sub", k_sub },
	{ "Tanh", k_tanh },
};

const hs_kernel_family hs_kernels_math = { "math", defs, sizeof defs / sizeof defs[0] };
