/* Kernels about shapes: Shape, Size, Rank, Reshape, ExpandDims, Squeeze,
 * Fill, ZerosLike, OnesLike, Range.  Reshaping kernels return views: the
 * elements are shared, not copied. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "error.h"
#include "eval_internal.h"

static int one_in_one_out(size_t n_in, size_t want_in, size_t n_out)
{
	int rc = hs_kcheck_inputs(n_in, want_in, (long)want_in);
	return rc < 0 ? rc : hs_kcheck_outputs(n_out, 1);
}

/* out_type: DT_INT32 (the default) or DT_INT64. */
static int index_type(int *dtype, const hs_node *n)
{
	int rc = hs_kattr_type(dtype, n, "out_type");
	if (rc == HS_ENOTFOUND) {
		*dtype = HS_DT_INT32;
		return HS_OK;
	}
	if (rc == HS_OK && *dtype != HS_DT_INT32 && *dtype != HS_DT_INT64)
		return hs_fail(HS_EINVAL, "out_type %s, expected DT_INT32 or DT_INT64",
			       hs_dtype_name(*dtype));
	return rc;
}

static void store_int(hs_value *t, uint64_t i, int64_t v)
{
	if (t->dtype == HS_DT_INT64)
		((int64_t *)t->data)[i] = v;
	else
		((int32_t *)t->data)[i] = (int32_t)v;
}

static int k_shape(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		   hs_value **out, size_t n_out)
{
	int rc, dt;
	if ((rc = one_in_one_out(n_in, 1, n_out)) < 0 || (rc = index_type(&dt, n)) < 0)
		return rc;
	const hs_value *x = in[0];
	if ((rc = hs_kt_new(out, k, dt, 1, (const int64_t[]){ (int64_t)x->rank })) < 0)
		return rc;
	for (size_t i = 0; i < x->rank; i++)
		store_int(*out, i, x->dims[i]);
	return HS_OK;
}

static int k_size(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		  hs_value **out, size_t n_out)
{
	int rc, dt;
	if ((rc = one_in_one_out(n_in, 1, n_out)) < 0 || (rc = index_type(&dt, n)) < 0 ||
	    (rc = hs_kt_new(out, k, dt, 0, NULL)) < 0)
		return rc;
	store_int(*out, 0, (int64_t)in[0]->elements);
	return HS_OK;
}

static int k_rank(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		  hs_value **out, size_t n_out)
{
	int rc;
	(void)n;
	if ((rc = one_in_one_out(n_in, 1, n_out)) < 0 ||
	    (rc = hs_kt_new(out, k, HS_DT_INT32, 0, NULL)) < 0)
		return rc;
	store_int(*out, 0, (int64_t)in[0]->rank);
	return HS_OK;
}

/* A shape given as a tensor (Reshape, Fill): an integer vector of at most
 * HS_TENSOR_MAX_RANK entries. */
static int shape_arg(size_t *rank, int64_t *dims, const hs_value *s, const char *what)
{
	int rc = hs_kcheck_ints(s, 1, what);
	if (rc < 0)
		return rc;
	if (s->elements > HS_TENSOR_MAX_RANK)
		return hs_fail(HS_EINVAL, "%s has %llu dimensions, at most %d are supported", what,
			       (unsigned long long)s->elements, HS_TENSOR_MAX_RANK);
	*rank = (size_t)s->elements;
	for (size_t i = 0; i < *rank; i++)
		dims[i] = hs_value_int_at(s, i);
	return HS_OK;
}

static int k_reshape(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		     hs_value **out, size_t n_out)
{
	int rc;
	size_t rank;
	int64_t dims[HS_TENSOR_MAX_RANK];
	(void)k;
	(void)n;
	if ((rc = one_in_one_out(n_in, 2, n_out)) < 0 ||
	    (rc = shape_arg(&rank, dims, in[1], "the shape")) < 0)
		return rc;
	const hs_value *x = in[0];
	long unknown = -1;
	uint64_t known = 1;
	for (size_t i = 0; i < rank; i++) {
		if (dims[i] == -1 && unknown < 0) {
			unknown = (long)i;
			continue;
		}
		if (dims[i] < 0)
			return hs_fail(HS_EINVAL, "the shape has dimension %lld at %zu (only one -1 may be given)",
				       (long long)dims[i], i);
		/* Saturating: a product past the input's count mismatches anyway. */
		if (dims[i] && known > UINT64_MAX / (uint64_t)dims[i])
			known = UINT64_MAX;
		else
			known *= (uint64_t)dims[i];
	}
	if (unknown >= 0) {
		if (!known || x->elements % known)
			goto mismatch;
		dims[unknown] = (int64_t)(x->elements / known);
	} else if (known != x->elements) {
		goto mismatch;
	}
	if (x->list)
		return hs_fail(HS_EINVAL, "a tensor list cannot be reshaped");
	return hs_value_view(out, x, rank, dims);
mismatch: {
	char sx[160], ss[160];
	return hs_fail(HS_EINVAL, "a tensor of shape %s (%llu elements) cannot take the shape %s",
		       hs_shape_text(sx, sizeof sx, x->rank, x->dims),
		       (unsigned long long)x->elements, hs_shape_text(ss, sizeof ss, rank, dims));
}
}

static int k_expand_dims(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
			 hs_value **out, size_t n_out)
{
	int rc;
	int64_t axis;
	(void)k;
	(void)n;
	if ((rc = one_in_one_out(n_in, 2, n_out)) < 0 ||
	    (rc = hs_kcheck_ints(in[1], 1, "the axis")) < 0)
		return rc;
	const hs_value *x = in[0];
	if (in[1]->elements != 1)
		return hs_fail(HS_EINVAL, "the axis has %llu values, expected one",
			       (unsigned long long)in[1]->elements);
	if (x->rank >= HS_TENSOR_MAX_RANK)
		return hs_fail(HS_EINVAL, "rank %zu + 1 is above the maximum of %d", x->rank,
			       HS_TENSOR_MAX_RANK);
	if ((rc = hs_kaxis(&axis, hs_value_int_at(in[1], 0), x->rank + 1)) < 0)
		return rc;
	int64_t dims[HS_TENSOR_MAX_RANK];
	for (size_t i = 0, j = 0; i <= x->rank; i++)
		dims[i] = i == (size_t)axis ? 1 : x->dims[j++];
	return hs_value_view(out, x, x->rank + 1, dims);
}

static int k_squeeze(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		     hs_value **out, size_t n_out)
{
	int rc;
	int64_t list[HS_TENSOR_MAX_RANK];
	size_t n_list = 0;
	(void)k;
	if ((rc = one_in_one_out(n_in, 1, n_out)) < 0)
		return rc;
	rc = hs_kattr_ints(list, HS_TENSOR_MAX_RANK, &n_list, n, "squeeze_dims");
	if (rc == HS_ENOTFOUND)
		rc = hs_kattr_ints(list, HS_TENSOR_MAX_RANK, &n_list, n, "axis");
	if (rc < 0 && rc != HS_ENOTFOUND)
		return rc;
	const hs_value *x = in[0];
	int drop[HS_TENSOR_MAX_RANK] = { 0 };
	for (size_t i = 0; i < n_list; i++) {
		int64_t a;
		if ((rc = hs_kaxis(&a, list[i], x->rank)) < 0)
			return rc;
		if (x->dims[a] != 1)
			return hs_fail(HS_EINVAL, "dimension %lld has size %lld, not 1", (long long)a,
				       (long long)x->dims[a]);
		drop[a] = 1;
	}
	int64_t dims[HS_TENSOR_MAX_RANK];
	size_t rank = 0;
	for (size_t i = 0; i < x->rank; i++)
		if (!(n_list ? drop[i] : x->dims[i] == 1))
			dims[rank++] = x->dims[i];
	return hs_value_view(out, x, rank, dims);
}

/* Fills out with copies of the element at `value` (esize bytes). */
static void splat(hs_value *out, const void *value)
{
	size_t es = hs_dtype_size(out->dtype);
	uint8_t *p = out->data;
	for (uint64_t i = 0; i < out->elements; i++)
		memcpy(p + i * es, value, es);
}

static int k_fill(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		  hs_value **out, size_t n_out)
{
	int rc;
	size_t rank;
	int64_t dims[HS_TENSOR_MAX_RANK];
	(void)n;
	if ((rc = one_in_one_out(n_in, 2, n_out)) < 0 ||
	    (rc = shape_arg(&rank, dims, in[0], "the dims")) < 0)
		return rc;
	if (in[1]->rank != 0 || !hs_dtype_size(in[1]->dtype))
		return hs_fail(HS_EINVAL, "the value is not a scalar number");
	if ((rc = hs_kt_new(out, k, in[1]->dtype, rank, dims)) < 0)
		return rc;
	splat(*out, in[1]->data);
	return HS_OK;
}

static int like(hs_kctx *k, const hs_value *const *in, size_t n_in, hs_value **out,
		size_t n_out, int one)
{
	int rc;
	if ((rc = one_in_one_out(n_in, 1, n_out)) < 0)
		return rc;
	if (!hs_dtype_size(in[0]->dtype))
		return hs_fail(HS_EINVAL, "%s inputs are not supported", hs_dtype_name(in[0]->dtype));
	if ((rc = hs_kt_like(out, k, in[0]->dtype, in[0])) < 0 || !one)
		return rc;
	static const float f1 = 1;
	static const int32_t i1 = 1;
	static const int64_t l1 = 1;
	static const uint8_t b1 = 1;
	splat(*out, in[0]->dtype == HS_DT_FLOAT   ? (const void *)&f1
		    : in[0]->dtype == HS_DT_INT32 ? (const void *)&i1
		    : in[0]->dtype == HS_DT_INT64 ? (const void *)&l1 : (const void *)&b1);
	return HS_OK;
}

static int k_zeros_like(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
			hs_value **out, size_t n_out)
{
	(void)n;
	return like(k, in, n_in, out, n_out, 0);
}

static int k_ones_like(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		       hs_value **out, size_t n_out)
{
	(void)n;
	return like(k, in, n_in, out, n_out, 1);
}

static double scalar_num(const hs_value *t)
{
	switch (t->dtype) {
	case HS_DT_FLOAT:
		return *(const float *)t->data;
	case HS_DT_INT32:
		return *(const int32_t *)t->data;
	default:
		return (double)*(const int64_t *)t->data;
	}
}

/* Range(start, limit, delta): ceil((limit - start) / delta) values. */
static int k_range(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		   hs_value **out, size_t n_out)
{
	int rc;
	(void)n;
	if ((rc = one_in_one_out(n_in, 3, n_out)) < 0)
		return rc;
	int dt = in[0]->dtype;
	for (int i = 0; i < 3; i++)
		if (in[i]->rank != 0 || in[i]->dtype != dt ||
		    (dt != HS_DT_FLOAT && dt != HS_DT_INT32 && dt != HS_DT_INT64))
			return hs_fail(HS_EINVAL, "start, limit and delta must be scalars of one type (float32, int32 or int64)");
	double start = scalar_num(in[0]), limit = scalar_num(in[1]), delta = scalar_num(in[2]);
	if (delta == 0)
		return hs_fail(HS_EINVAL, "delta is 0");
	if ((delta > 0 && start > limit) || (delta < 0 && start < limit))
		return hs_fail(HS_EINVAL, "start %g cannot reach limit %g by delta %g", start, limit,
			       delta);
	double count;
	if (dt == HS_DT_FLOAT) {
		count = ceil(fabs((limit - start) / delta));
	} else {
		double span = fabs(limit - start), step = fabs(delta);
		count = floor((span + step - 1) / step);
	}
	if (count > (double)((uint64_t)1 << 40))
		return hs_fail(HS_ELIMIT, "the range has %.0f values, too many", count);
	if ((rc = hs_kt_new(out, k, dt, 1, (const int64_t[]){ (int64_t)count })) < 0)
		return rc;
	for (uint64_t i = 0; i < (*out)->elements; i++) {
		if (dt == HS_DT_FLOAT)
			((float *)(*out)->data)[i] = (float)(start + (double)i * delta);
		else
			/* Unsigned: wraps where the int type would overflow. */
			store_int(*out, i, (int64_t)((uint64_t)(int64_t)start +
						     (uint64_t)i * (uint64_t)(int64_t)delta));
	}
	return HS_OK;
}

static const hs_kernel_def defs[] = {
	{ "ExpandDims", k_expand_dims },
	{ "Fill", k_fill },
	{ "OnesLike", k_ones_like },
	{ "Range", k_range },
	{ "Rank", k_rank },
	{ "Reshape", k_reshape },
	{ "Shape", k_shape },
	{ "Size", k_size },
	{ "Squeeze", k_squeeze },
	{ "ZerosLike", k_zeros_like },
};

const hs_kernel_family hs_kernels_shape = { "shape", defs, sizeof defs / sizeof defs[0] };
