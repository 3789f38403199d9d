/* Kernels that move elements: ConcatV2, Split, SplitV, Pack, Unpack,
 * Transpose, ReverseV2, Slice, StridedSlice, Tile.
 *
 * Two movers do the work: along one axis (a tensor seen as [outer, axis,
 * inner]: concatenating, splitting, packing copy contiguous chunks), and
 * a strided gather (output element -> input offset by per-dimension
 * start and stride, negative for reversal: transposes and slices). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval_internal.h"

static uint64_t prod(const int64_t *dims, size_t from, size_t to)
{
	uint64_t p = 1;
	for (size_t i = from; i < to; i++)
		p *= (uint64_t)dims[i];
	return p;
}

/* Element strides of a dense value. */
static void strides_of(int64_t *st, const hs_value *t)
{
	int64_t s = 1;
	for (size_t i = t->rank; i-- > 0;) {
		st[i] = s;
		s *= t->dims[i];
	}
}

/* out (rank r, out->dims) gathers from `in`: element (i0..ir-1) is input
 * element start + sum(i_d * step[d]). */
static void gather(hs_value *out, const hs_value *in, int64_t start, const int64_t *step)
{
	size_t r = out->rank, es = hs_dtype_size(in->dtype);
	const uint8_t *src = in->data;
	uint8_t *dst = out->data;
	if (!out->elements)
		return;
	if (r == 0) {
		memcpy(dst, src + start * (int64_t)es, es);
		return;
	}
	int64_t idx[HS_TENSOR_MAX_RANK] = { 0 }, off = start;
	int64_t inner = out->dims[r - 1], istep = step[r - 1];
	uint64_t rows = out->elements / (uint64_t)inner;
	for (uint64_t row = 0; row < rows; row++) {
		if (istep == 1) {
			memcpy(dst, src + off * (int64_t)es, (size_t)inner * es);
			dst += (size_t)inner * es;
		} else {
			for (int64_t j = 0; j < inner; j++, dst += es)
				memcpy(dst, src + (off + j * istep) * (int64_t)es, es);
		}
		for (size_t d = r - 1; d-- > 0;) {
			off += step[d];
			if (++idx[d] < out->dims[d])
				break;
			off -= step[d] * idx[d];
			idx[d] = 0;
		}
	}
}

static int dense_input(const hs_value *t, const char *what)
{
	if (!hs_dtype_size(t->dtype))
		return hs_fail(HS_EINVAL, "%s is %s, expected a dense tensor", what,
			       hs_dtype_name(t->dtype));
	return HS_OK;
}

/* An axis given as a tensor: a scalar (or one-element) integer. */
static int axis_arg(int64_t *axis, const hs_value *t, size_t rank)
{
	int rc = hs_kcheck_ints(t, 1, "the axis");
	if (rc < 0)
		return rc;
	if (t->elements != 1)
		return hs_fail(HS_EINVAL, "the axis has %llu values, expected one",
			       (unsigned long long)t->elements);
	return hs_kaxis(axis, hs_value_int_at(t, 0), rank);
}

/* ------------------------------------------------------------- concat */

static int concat(hs_kctx *k, const hs_value *const *vals, size_t n, const hs_value *axis_t,
		  hs_value **out)
{
	int rc;
	int64_t axis;
	if (!n)
		return hs_fail(HS_EINVAL, "nothing to concatenate");
	const hs_value *v0 = vals[0];
	if ((rc = dense_input(v0, "input 0")) < 0 || (rc = axis_arg(&axis, axis_t, v0->rank)) < 0)
		return rc;
	int64_t dims[HS_TENSOR_MAX_RANK];
	memcpy(dims, v0->dims, sizeof dims);
	dims[axis] = 0;
	for (size_t i = 0; i < n; i++) {
		const hs_value *v = vals[i];
		int same = v->dtype == v0->dtype && v->rank == v0->rank;
		for (size_t d = 0; same && d < v->rank; d++)
			same = d == (size_t)axis || v->dims[d] == v0->dims[d];
		if (!same) {
			char s0[160], si[160];
			return hs_fail(HS_EINVAL, "input %zu (%s %s) does not concatenate with input 0 (%s %s) along axis %lld",
				       i, hs_dtype_name(v->dtype), hs_shape_text(si, sizeof si, v->rank, v->dims),
				       hs_dtype_name(v0->dtype), hs_shape_text(s0, sizeof s0, v0->rank, v0->dims),
				       (long long)axis);
		}
		dims[axis] += v->dims[axis];
	}
	if ((rc = hs_kt_new(out, k, v0->dtype, v0->rank, dims)) < 0)
		return rc;
	size_t es = hs_dtype_size(v0->dtype);
	uint64_t outer = prod(dims, 0, (size_t)axis), inner = prod(dims, (size_t)axis + 1, v0->rank);
	uint8_t *dst = (*out)->data;
	for (uint64_t o = 0; o < outer; o++)
		for (size_t i = 0; i < n; i++) {
			size_t chunk = (size_t)((uint64_t)vals[i]->dims[axis] * inner) * es;
			if (chunk) {
				memcpy(dst, (const uint8_t *)vals[i]->data + o * chunk, chunk);
				dst += chunk;
			}
		}
	return HS_OK;
}

/* ConcatV2(values..., axis). */
static int k_concat_v2(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		       hs_value **out, size_t n_out)
{
	int rc;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 2, -1)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0)
		return rc;
	return concat(k, in, n_in - 1, in[n_in - 1], out);
}

/* Concat(axis, values...). */
static int k_concat(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		    hs_value **out, size_t n_out)
{
	int rc;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 2, -1)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0)
		return rc;
	return concat(k, in + 1, n_in - 1, in[0], out);
}

/* -------------------------------------------------------------- split */

/* Splits x along axis into pieces of sizes[0..n_sizes), filling the first
 * n_out. */
static int split(hs_kctx *k, const hs_value *x, int64_t axis, const int64_t *sizes,
		 size_t n_sizes, hs_value **out, size_t n_out)
{
	int rc;
	if ((rc = hs_kcheck_outputs(n_out, n_sizes)) < 0)
		return rc;
	size_t es = hs_dtype_size(x->dtype);
	uint64_t outer = prod(x->dims, 0, (size_t)axis), inner = prod(x->dims, (size_t)axis + 1, x->rank);
	int64_t begin = 0;
	for (size_t i = 0; i < n_out; i++) {
		int64_t dims[HS_TENSOR_MAX_RANK];
		memcpy(dims, x->dims, sizeof dims);
		dims[axis] = sizes[i];
		if ((rc = hs_kt_new(&out[i], k, x->dtype, x->rank, dims)) < 0)
			return rc;
		size_t chunk = (size_t)((uint64_t)sizes[i] * inner) * es;
		size_t row = (size_t)((uint64_t)x->dims[axis] * inner) * es;
		for (uint64_t o = 0; chunk && o < outer; o++)
			memcpy((uint8_t *)out[i]->data + o * chunk,
			       (const uint8_t *)x->data + o * row + (size_t)((uint64_t)begin * inner) * es,
			       chunk);
		begin += sizes[i];
	}
	return HS_OK;
}

/* Split(axis, value), num_split equal pieces. */
static int k_split(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		   hs_value **out, size_t n_out)
{
	int rc;
	int64_t num, axis;
	if ((rc = hs_kcheck_inputs(n_in, 2, 2)) < 0 || (rc = dense_input(in[1], "the value")) < 0 ||
	    (rc = axis_arg(&axis, in[0], in[1]->rank)) < 0)
		return rc;
	if ((rc = hs_kattr_int(&num, n, "num_split")) < 0)
		return rc == HS_ENOTFOUND ? hs_fail(HS_EINVAL, "attribute 'num_split' is missing") : rc;
	const hs_value *x = in[1];
	if (num < 1 || num > 1 << 20 || x->dims[axis] % num)
		return hs_fail(HS_EINVAL, "dimension %lld of size %lld does not split into %lld pieces",
			       (long long)axis, (long long)x->dims[axis], (long long)num);
	int64_t *sizes = calloc((size_t)num, sizeof *sizes);
	if (!sizes)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (int64_t i = 0; i < num; i++)
		sizes[i] = x->dims[axis] / num;
	rc = split(k, x, axis, sizes, (size_t)num, out, n_out);
	free(sizes);
	return rc;
}

/* SplitV(value, size_splits, axis): one size may be -1 (the rest). */
static int k_split_v(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		     hs_value **out, size_t n_out)
{
	int rc;
	int64_t axis;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 3, 3)) < 0 || (rc = dense_input(in[0], "the value")) < 0 ||
	    (rc = hs_kcheck_ints(in[1], 1, "size_splits")) < 0 ||
	    (rc = axis_arg(&axis, in[2], in[0]->rank)) < 0)
		return rc;
	const hs_value *x = in[0];
	size_t count = (size_t)in[1]->elements;
	int64_t *sizes = calloc(count ? count : 1, sizeof *sizes);
	if (!sizes)
		return hs_fail(HS_ENOMEM, "out of memory");
	long unknown = -1;
	int64_t total = 0;
	rc = HS_OK;
	for (size_t i = 0; rc == HS_OK && i < count; i++) {
		sizes[i] = hs_value_int_at(in[1], i);
		if (sizes[i] == -1 && unknown < 0)
			unknown = (long)i;
		else if (sizes[i] < 0 || sizes[i] > x->dims[axis] - total)
			rc = hs_fail(HS_EINVAL, "size_splits[%zu] is %lld: the sizes pass dimension %lld of size %lld",
				     i, (long long)sizes[i], (long long)axis, (long long)x->dims[axis]);
		else
			total += sizes[i];
	}
	if (rc == HS_OK && unknown >= 0 && total <= x->dims[axis])
		sizes[unknown] = x->dims[axis] - total, total = x->dims[axis];
	if (rc == HS_OK && total != x->dims[axis])
		rc = hs_fail(HS_EINVAL, "size_splits add up to %lld, dimension %lld has size %lld",
			     (long long)total, (long long)axis, (long long)x->dims[axis]);
	if (rc == HS_OK)
		rc = split(k, x, axis, sizes, count, out, n_out);
	free(sizes);
	return rc;
}

/* ---------------------------------------------------------- pack/unpack */

static int k_pack(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		  hs_value **out, size_t n_out)
{
	int rc;
	int64_t axis_attr, axis;
	if ((rc = hs_kcheck_inputs(n_in, 1, -1)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = hs_kattr_int_or(&axis_attr, n, "axis", 0)) < 0 ||
	    (rc = dense_input(in[0], "input 0")) < 0)
		return rc;
	const hs_value *v0 = in[0];
	if (v0->rank >= HS_TENSOR_MAX_RANK)
		return hs_fail(HS_EINVAL, "rank %zu + 1 is above the maximum of %d", v0->rank,
			       HS_TENSOR_MAX_RANK);
	if ((rc = hs_kaxis(&axis, axis_attr, v0->rank + 1)) < 0)
		return rc;
	for (size_t i = 1; i < n_in; i++)
		if (in[i]->dtype != v0->dtype || !hs_shape_same(in[i], v0)) {
			char s0[160], si[160];
			return hs_fail(HS_EINVAL, "input %zu (%s %s) differs from input 0 (%s %s)", i,
				       hs_dtype_name(in[i]->dtype),
				       hs_shape_text(si, sizeof si, in[i]->rank, in[i]->dims),
				       hs_dtype_name(v0->dtype),
				       hs_shape_text(s0, sizeof s0, v0->rank, v0->dims));
		}
	int64_t dims[HS_TENSOR_MAX_RANK];
	for (size_t d = 0, j = 0; d <= v0->rank; d++)
		dims[d] = d == (size_t)axis ? (int64_t)n_in : v0->dims[j++];
	if ((rc = hs_kt_new(out, k, v0->dtype, v0->rank + 1, dims)) < 0)
		return rc;
	size_t es = hs_dtype_size(v0->dtype);
	uint64_t outer = prod(v0->dims, 0, (size_t)axis);
	size_t chunk = (size_t)prod(v0->dims, (size_t)axis, v0->rank) * es;
	uint8_t *dst = (*out)->data;
	for (uint64_t o = 0; chunk && o < outer; o++)
		for (size_t i = 0; i < n_in; i++, dst += chunk)
			memcpy(dst, (const uint8_t *)in[i]->data + o * chunk, chunk);
	return HS_OK;
}

static int k_unpack(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		    hs_value **out, size_t n_out)
{
	int rc;
	int64_t axis_attr, axis, num;
	if ((rc = hs_kcheck_inputs(n_in, 1, 1)) < 0 || (rc = dense_input(in[0], "the value")) < 0 ||
	    (rc = hs_kattr_int_or(&axis_attr, n, "axis", 0)) < 0)
		return rc;
	const hs_value *x = in[0];
	if ((rc = hs_kaxis(&axis, axis_attr, x->rank)) < 0)
		return rc;
	rc = hs_kattr_int(&num, n, "num");
	if (rc == HS_ENOTFOUND)
		num = x->dims[axis];
	else if (rc < 0)
		return rc;
	if (num != x->dims[axis])
		return hs_fail(HS_EINVAL, "num is %lld, dimension %lld has size %lld", (long long)num,
			       (long long)axis, (long long)x->dims[axis]);
	if ((rc = hs_kcheck_outputs(n_out, (size_t)num)) < 0)
		return rc;
	int64_t dims[HS_TENSOR_MAX_RANK];
	for (size_t d = 0, j = 0; d < x->rank; d++)
		if (d != (size_t)axis)
			dims[j++] = x->dims[d];
	size_t es = hs_dtype_size(x->dtype);
	uint64_t outer = prod(x->dims, 0, (size_t)axis);
	size_t chunk = (size_t)prod(x->dims, (size_t)axis + 1, x->rank) * es;
	for (size_t i = 0; i < n_out; i++) {
		if ((rc = hs_kt_new(&out[i], k, x->dtype, x->rank - 1, dims)) < 0)
			return rc;
		for (uint64_t o = 0; chunk && o < outer; o++)
			memcpy((uint8_t *)out[i]->data + o * chunk,
			       (const uint8_t *)x->data + (o * (uint64_t)num + i) * chunk, chunk);
	}
	return HS_OK;
}

/* ------------------------------------------------------------ gathers */

/* An integer vector argument of exactly `len` entries into v. */
static int int_vector(int64_t *v, const hs_value *t, size_t len, const char *what)
{
	int rc = hs_kcheck_ints(t, 1, what);
	if (rc < 0)
		return rc;
	if (t->elements != len)
		return hs_fail(HS_EINVAL, "%s has %llu values, expected %zu", what,
			       (unsigned long long)t->elements, len);
	for (size_t i = 0; i < len; i++)
		v[i] = hs_value_int_at(t, i);
	return HS_OK;
}

static int k_transpose(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		       hs_value **out, size_t n_out)
{
	int rc;
	int64_t perm[HS_TENSOR_MAX_RANK], st[HS_TENSOR_MAX_RANK], step[HS_TENSOR_MAX_RANK];
	int64_t dims[HS_TENSOR_MAX_RANK];
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 2, 2)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = dense_input(in[0], "the value")) < 0)
		return rc;
	const hs_value *x = in[0];
	if ((rc = int_vector(perm, in[1], x->rank, "the permutation")) < 0)
		return rc;
	int seen[HS_TENSOR_MAX_RANK] = { 0 };
	strides_of(st, x);
	for (size_t d = 0; d < x->rank; d++) {
		if (perm[d] < 0 || perm[d] >= (int64_t)x->rank || seen[perm[d]]++)
			return hs_fail(HS_EINVAL, "the permutation is not one of 0..%zu", x->rank - 1);
		dims[d] = x->dims[perm[d]];
		step[d] = st[perm[d]];
	}
	if ((rc = hs_kt_new(out, k, x->dtype, x->rank, dims)) < 0)
		return rc;
	gather(*out, x, 0, step);
	return HS_OK;
}

static int k_reverse_v2(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
			hs_value **out, size_t n_out)
{
	int rc;
	int64_t st[HS_TENSOR_MAX_RANK], start = 0;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 2, 2)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = dense_input(in[0], "the value")) < 0 ||
	    (rc = hs_kcheck_ints(in[1], 1, "the axes")) < 0)
		return rc;
	const hs_value *x = in[0];
	int rev[HS_TENSOR_MAX_RANK] = { 0 };
	for (uint64_t i = 0; i < in[1]->elements; i++) {
		int64_t a;
		if ((rc = hs_kaxis(&a, hs_value_int_at(in[1], i), x->rank)) < 0)
			return rc;
		if (rev[a]++)
			return hs_fail(HS_EINVAL, "axis %lld is given twice", (long long)a);
	}
	strides_of(st, x);
	for (size_t d = 0; d < x->rank; d++)
		if (rev[d] && x->dims[d]) {
			start += (x->dims[d] - 1) * st[d];
			st[d] = -st[d];
		}
	if ((rc = hs_kt_like(out, k, x->dtype, x)) < 0)
		return rc;
	gather(*out, x, start, st);
	return HS_OK;
}

static int k_slice(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		   hs_value **out, size_t n_out)
{
	int rc;
	int64_t begin[HS_TENSOR_MAX_RANK], size[HS_TENSOR_MAX_RANK], st[HS_TENSOR_MAX_RANK];
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 3, 3)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = dense_input(in[0], "the value")) < 0)
		return rc;
	const hs_value *x = in[0];
	if ((rc = int_vector(begin, in[1], x->rank, "begin")) < 0 ||
	    (rc = int_vector(size, in[2], x->rank, "size")) < 0)
		return rc;
	int64_t start = 0;
	strides_of(st, x);
	for (size_t d = 0; d < x->rank; d++) {
		if (size[d] == -1)
			size[d] = x->dims[d] - begin[d];
		if (begin[d] < 0 || begin[d] > x->dims[d] || size[d] < 0 ||
		    size[d] > x->dims[d] - begin[d])
			return hs_fail(HS_EINVAL, "begin %lld, size %lld is out of dimension %zu of size %lld",
				       (long long)begin[d], (long long)size[d], d, (long long)x->dims[d]);
		start += begin[d] * st[d];
	}
	if ((rc = hs_kt_new(out, k, x->dtype, x->rank, size)) < 0)
		return rc;
	gather(*out, x, start, st);
	return HS_OK;
}

/* ------------------------------------------------------- strided slice */

enum { NEW_AXIS = -1, SHRINK_AXIS = -2 };

/* The slice spec (begin, end, strides and the masks) made dense: one entry
 * per input dimension, plus where each output dimension comes from. */
typedef struct slice_spec {
	int64_t begin[HS_TENSOR_MAX_RANK], end[HS_TENSOR_MAX_RANK], stride[HS_TENSOR_MAX_RANK];
	int begin_masked[HS_TENSOR_MAX_RANK], end_masked[HS_TENSOR_MAX_RANK];
	int shrink[HS_TENSOR_MAX_RANK];
	int final[2 * HS_TENSOR_MAX_RANK + 32]; /* input dim, NEW_AXIS or SHRINK_AXIS */
	size_t n_final;
} slice_spec;

typedef struct slice_masks {
	int64_t begin, end, ellipsis, new_axis, shrink;
} slice_masks;

static int read_masks(slice_masks *m, const hs_node *n)
{
	int rc;
	if ((rc = hs_kattr_int_or(&m->begin, n, "begin_mask", 0)) < 0 ||
	    (rc = hs_kattr_int_or(&m->end, n, "end_mask", 0)) < 0 ||
	    (rc = hs_kattr_int_or(&m->ellipsis, n, "ellipsis_mask", 0)) < 0 ||
	    (rc = hs_kattr_int_or(&m->new_axis, n, "new_axis_mask", 0)) < 0 ||
	    (rc = hs_kattr_int_or(&m->shrink, n, "shrink_axis_mask", 0)) < 0)
		return rc;
	return HS_OK;
}

#define BIT(mask, i) (((uint64_t)(mask) >> (i)) & 1)

/* TensorFlow's dense spec: an ellipsis (explicit, or implied at the end)
 * stands for every input dimension the other entries leave out. */
static int dense_spec(slice_spec *s, const slice_masks *m, const int64_t *b, const int64_t *e,
		      const int64_t *st, size_t sparse, size_t rank)
{
	int ellipsis_seen = 0;
	size_t new_after = 0;
	slice_masks mm = *m;
	for (size_t i = 0; i < sparse; i++) {
		if (ellipsis_seen && BIT(mm.new_axis, i))
			new_after++;
		if (BIT(mm.ellipsis, i))
			ellipsis_seen = 1;
	}
	if (!ellipsis_seen)
		mm.ellipsis |= (int64_t)1 << sparse;
	size_t n = ellipsis_seen ? sparse : sparse + 1, full = 0;
	s->n_final = 0;
	for (size_t i = 0; i < n; i++) {
		if (s->n_final + rank >= sizeof s->final / sizeof s->final[0])
			return hs_fail(HS_EINVAL, "the slice has too many entries");
		if (BIT(mm.ellipsis, i)) {
			int64_t next = (int64_t)rank - (int64_t)(n - i) + 1 + (int64_t)new_after;
			if (next > (int64_t)rank)
				next = (int64_t)rank;
			for (; (int64_t)full < next; full++) {
				s->begin[full] = s->end[full] = 0;
				s->stride[full] = 1;
				s->begin_masked[full] = s->end_masked[full] = 1;
				s->shrink[full] = 0;
				s->final[s->n_final++] = (int)full;
			}
		} else if (BIT(mm.new_axis, i)) {
			s->final[s->n_final++] = NEW_AXIS;
		} else {
			if (full == rank)
				return hs_fail(HS_EINVAL, "the slice has more entries than the input's %zu dimensions",
					       rank);
			s->begin[full] = b[i];
			s->end[full] = e[i];
			s->stride[full] = st[i];
			s->begin_masked[full] = (int)BIT(mm.begin, i);
			s->end_masked[full] = (int)BIT(mm.end, i);
			s->shrink[full] = (int)BIT(mm.shrink, i);
			s->final[s->n_final++] = s->shrink[full] ? SHRINK_AXIS : (int)full;
			full++;
		}
	}
	/* An ellipsis covering nothing may leave trailing dimensions. */
	for (; full < rank; full++) {
		s->begin[full] = s->end[full] = 0;
		s->stride[full] = 1;
		s->begin_masked[full] = s->end_masked[full] = 1;
		s->shrink[full] = 0;
		s->final[s->n_final++] = (int)full;
	}
	return HS_OK;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Canonical begin and size of dimension d of size dim. */
static int slice_dim(int64_t *begin, int64_t *size, const slice_spec *s, size_t d, int64_t dim)
{
	int64_t stride = s->stride[d];
	if (stride == 0)
		return hs_fail(HS_EINVAL, "stride %zu is 0", d);
	if (s->shrink[d]) {
		int64_t x = s->begin[d] < 0 ? dim + s->begin[d] : s->begin[d];
		if (stride <= 0)
			return hs_fail(HS_EINVAL, "dimension %zu is indexed (shrink_axis_mask) with stride %lld, only positive strides may be",
				       d, (long long)stride);
		if (x < 0 || x >= dim)
			return hs_fail(HS_EINVAL, "index %lld is out of dimension %zu of size %lld",
				       (long long)s->begin[d], d, (long long)dim);
		*begin = x;
		*size = 1;
		return HS_OK;
	}
	int64_t lo = stride > 0 ? 0 : -1, hi = stride > 0 ? dim : dim - 1;
	int64_t b = s->begin_masked[d] ? (stride > 0 ? lo : hi)
				       : clamp64(s->begin[d] < 0 ? dim + s->begin[d] : s->begin[d], lo, hi);
	int64_t e = s->end_masked[d] ? (stride > 0 ? hi : lo)
				     : clamp64(s->end[d] < 0 ? dim + s->end[d] : s->end[d], lo, hi);
	int64_t len = e - b;
	if ((stride > 0 && len <= 0) || (stride < 0 && len >= 0))
		*size = 0;
	else
		*size = len / stride + (len % stride != 0);
	*begin = b;
	return HS_OK;
}

static int k_strided_slice(hs_kctx *k, const hs_node *n, const hs_value *const *in,
			   size_t n_in, hs_value **out, size_t n_out)
{
	int rc;
	slice_masks m;
	if ((rc = hs_kcheck_inputs(n_in, 4, 4)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = dense_input(in[0], "the value")) < 0 || (rc = read_masks(&m, n)) < 0)
		return rc;
	const hs_value *x = in[0];
	size_t sparse = (size_t)in[1]->elements;
	int64_t b[32], e[32], st[32];
	if (sparse > 30)
		return hs_fail(HS_EINVAL, "begin has %zu values, at most 30 are supported", sparse);
	if ((rc = int_vector(b, in[1], sparse, "begin")) < 0 ||
	    (rc = int_vector(e, in[2], sparse, "end")) < 0 ||
	    (rc = int_vector(st, in[3], sparse, "strides")) < 0)
		return rc;
	slice_spec s;
	if ((rc = dense_spec(&s, &m, b, e, st, sparse, x->rank)) < 0)
		return rc;
	int64_t xst[HS_TENSOR_MAX_RANK], step[HS_TENSOR_MAX_RANK], size[HS_TENSOR_MAX_RANK];
	int64_t start = 0;
	strides_of(xst, x);
	for (size_t d = 0; d < x->rank; d++) {
		int64_t begin = 0;
		if ((rc = slice_dim(&begin, &size[d], &s, d, x->dims[d])) < 0)
			return rc;
		start += begin * xst[d];
		step[d] = s.stride[d] * xst[d];
	}
	int64_t dims[HS_TENSOR_MAX_RANK];
	size_t rank = 0;
	for (size_t i = 0; i < s.n_final; i++) {
		if (s.final[i] == SHRINK_AXIS)
			continue;
		if (rank == HS_TENSOR_MAX_RANK)
			return hs_fail(HS_EINVAL, "the result has more than %d dimensions",
				       HS_TENSOR_MAX_RANK);
		dims[rank++] = s.final[i] == NEW_AXIS ? 1 : size[s.final[i]];
	}
	/* Gather in the input's dimensions, then give it the final shape
	 * (the same elements in the same order). */
	hs_value *g;
	if ((rc = hs_kt_new(&g, k, x->dtype, x->rank, size)) < 0)
		return rc;
	gather(g, x, start, step);
	rc = hs_value_view(out, g, rank, dims);
	hs_value_free(g);
	return rc;
}

/* ---------------------------------------------------------------- tile */

static int k_tile(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		  hs_value **out, size_t n_out)
{
	int rc;
	int64_t mult[HS_TENSOR_MAX_RANK], dims[HS_TENSOR_MAX_RANK], st[HS_TENSOR_MAX_RANK];
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 2, 2)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = dense_input(in[0], "the value")) < 0)
		return rc;
	const hs_value *x = in[0];
	if ((rc = int_vector(mult, in[1], x->rank, "the multiples")) < 0)
		return rc;
	for (size_t d = 0; d < x->rank; d++) {
		if (mult[d] < 0)
			return hs_fail(HS_EINVAL, "multiple %zu is negative", d);
		if (x->dims[d] && mult[d] > (INT64_MAX >> 20) / x->dims[d])
			return hs_fail(HS_ELIMIT, "multiple %zu is too large", d);
		dims[d] = x->dims[d] * mult[d];
	}
	if ((rc = hs_kt_new(out, k, x->dtype, x->rank, dims)) < 0)
		return rc;
	strides_of(st, x);
	size_t es = hs_dtype_size(x->dtype);
	uint8_t *dst = (*out)->data;
	/* Element by element: output index modulo the input's dims. */
	for (uint64_t i = 0; i < (*out)->elements; i++) {
		uint64_t rest = i, off = 0;
		for (size_t d = x->rank; d-- > 0;) {
			uint64_t c = rest % (uint64_t)dims[d];
			rest /= (uint64_t)dims[d];
			off += (c % (uint64_t)x->dims[d]) * (uint64_t)st[d];
		}
		memcpy(dst + i * es, (const uint8_t *)x->data + off * es, es);
	}
	return HS_OK;
}

static const hs_kernel_def defs[] = {
	{ "Concat", k_concat },
	{ "ConcatV2", k_concat_v2 },
	{ "Pack", k_pack },
	{ "ReverseV2", k_reverse_v2 },
	{ "Slice", k_slice },
	{ "Split", k_split },
	{ "SplitV", k_split_v },
	{ "StridedSlice", k_strided_slice },
	{ "Tile", k_tile },
	{ "Transpose", k_transpose },
	{ "Unpack", k_unpack },
};

const hs_kernel_family hs_kernels_array = { "array", defs, sizeof defs / sizeof defs[0] };
