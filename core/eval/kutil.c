/* What kernels share: allocation under the memory limit, attribute
 * reading, input checks, broadcasting.  Uses only the kernel context's
 * fields, never the evaluator, so kernels depend on nothing above them. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "error.h"
#include "eval_internal.h"

/* ----------------------------------------------------------- allocation */

int hs_kt_reserve(hs_kctx *k, uint64_t bytes)
{
	uint64_t live = *k->live, max = k->opts->max_memory;
	if (bytes > max || live > max - bytes)
		return hs_fail(HS_ELIMIT, "%llu more bytes would pass the memory limit of %llu bytes (%llu in use)",
			       (unsigned long long)bytes, (unsigned long long)max,
			       (unsigned long long)live);
	return HS_OK;
}

int hs_kt_new(hs_value **out, hs_kctx *k, int dtype, size_t rank, const int64_t *dims)
{
	uint64_t elements;
	*out = NULL;
	/* The limit is checked before anything is allocated. */
	int rc = hs_shape_elements(&elements, dtype, rank, dims);
	if (rc < 0)
		return rc;
	uint64_t bytes = elements * hs_dtype_size(dtype), live = *k->live, max = k->opts->max_memory;
	if (bytes > max || live > max - bytes) {
		char text[160];
		return hs_fail(HS_ELIMIT, "a %s tensor of shape %s (%llu bytes) would pass the memory limit of %llu bytes (%llu in use)",
			       hs_dtype_name(dtype), hs_shape_text(text, sizeof text, rank, dims),
			       (unsigned long long)bytes, (unsigned long long)max,
			       (unsigned long long)live);
	}
	return hs_value_new(out, dtype, rank, dims);
}

int hs_kt_like(hs_value **out, hs_kctx *k, int dtype, const hs_value *like)
{
	return hs_kt_new(out, k, dtype, like->rank, like->dims);
}

int hs_kt_list_new(hs_value **out, hs_kctx *k, int element_dtype, size_t count)
{
	int rc;
	if (count > SIZE_MAX / sizeof(hs_value *) ||
	    (rc = hs_kt_reserve(k, (uint64_t)count * sizeof(hs_value *))) < 0)
		return count > SIZE_MAX / sizeof(hs_value *)
			       ? hs_fail(HS_ELIMIT, "a list of %zu items is too large", count)
			       : rc;
	return hs_value_list_make(out, element_dtype, count);
}

const hs_eval_options *hs_kt_options(const hs_kctx *k) { return k->opts; }

/* ----------------------------------------------------------- attributes */

static int attr_of(hs_attr *a, const hs_node *n, const char *key, hs_attr_kind kind,
		   const char *what)
{
	int rc = hs_node_attr(a, n, key);
	if (rc == HS_ENOTFOUND) {
		hs_error_clear();
		return HS_ENOTFOUND;
	}
	if (rc < 0)
		return rc;
	if (a->kind != kind)
		return hs_fail(HS_EPARSE, "attribute '%s' is not %s", key, what);
	return HS_OK;
}

int hs_kattr_int(int64_t *out, const hs_node *n, const char *key)
{
	hs_attr a;
	int rc = attr_of(&a, n, key, HS_ATTR_I, "an integer");
	if (rc == HS_OK)
		*out = a.v.i;
	return rc;
}

int hs_kattr_bool(int *out, const hs_node *n, const char *key)
{
	hs_attr a;
	int rc = attr_of(&a, n, key, HS_ATTR_B, "a bool");
	if (rc == HS_OK)
		*out = a.v.b;
	return rc;
}

int hs_kattr_float(float *out, const hs_node *n, const char *key)
{
	hs_attr a;
	int rc = attr_of(&a, n, key, HS_ATTR_F, "a float");
	if (rc == HS_OK)
		*out = a.v.f;
	return rc;
}

int hs_kattr_type(int *out, const hs_node *n, const char *key)
{
	hs_attr a;
	int rc = attr_of(&a, n, key, HS_ATTR_TYPE, "a type");
	if (rc == HS_OK)
		*out = a.v.type;
	return rc;
}

int hs_kattr_str(hs_str *out, const hs_node *n, const char *key)
{
	hs_attr a;
	int rc = hs_node_attr(&a, n, key);
	if (rc == HS_ENOTFOUND) {
		hs_error_clear();
		return rc;
	}
	if (rc < 0)
		return rc;
	if (a.kind != HS_ATTR_S && a.kind != HS_ATTR_FUNC)
		return hs_fail(HS_EPARSE, "attribute '%s' is not a string", key);
	*out = a.v.s;
	return HS_OK;
}

int hs_kattr_ints(int64_t *out, size_t cap, size_t *count, const hs_node *n,
		  const char *key)
{
	hs_attr a;
	*count = 0;
	int rc = attr_of(&a, n, key, HS_ATTR_LIST, "a list");
	if (rc < 0)
		return rc;
	if ((rc = hs_attr_list_ints(out, cap, count, &a)) < 0)
		return rc;
	if (*count > cap)
		return hs_fail(HS_EPARSE, "attribute '%s' has %zu values, at most %zu are expected",
			       key, *count, cap);
	return HS_OK;
}

int hs_kattr_int_or(int64_t *out, const hs_node *n, const char *key, int64_t def)
{
	int rc = hs_kattr_int(out, n, key);
	if (rc == HS_ENOTFOUND) {
		*out = def;
		return HS_OK;
	}
	return rc;
}

int hs_kattr_bool_or(int *out, const hs_node *n, const char *key, int def)
{
	int rc = hs_kattr_bool(out, n, key);
	if (rc == HS_ENOTFOUND) {
		*out = def;
		return HS_OK;
	}
	return rc;
}

/* --------------------------------------------------------------- checks */

int hs_kcheck_inputs(size_t n_in, size_t min, long max)
{
	if (n_in < min || (max >= 0 && n_in > (size_t)max)) {
		if (max == (long)min)
			return hs_fail(HS_EINVAL, "%zu inputs, expected %zu", n_in, min);
		if (max < 0)
			return hs_fail(HS_EINVAL, "%zu inputs, expected at least %zu", n_in, min);
		return hs_fail(HS_EINVAL, "%zu inputs, expected %zu to %ld", n_in, min, max);
	}
	return HS_OK;
}

int hs_kcheck_outputs(size_t n_out, size_t max)
{
	if (n_out > max)
		return hs_fail(HS_EINVAL, "output %zu is read, the op has %zu output%s", n_out - 1,
			       max, max == 1 ? "" : "s");
	return HS_OK;
}

int hs_kcheck_dtype(const hs_value *t, int dtype, const char *what)
{
	if (t->dtype != dtype)
		return hs_fail(HS_EINVAL, "%s is %s, expected %s", what, hs_dtype_name(t->dtype),
			       hs_dtype_name(dtype));
	return HS_OK;
}

int hs_kcheck_ints(const hs_value *t, size_t max_rank, const char *what)
{
	if (t->dtype != HS_DT_INT32 && t->dtype != HS_DT_INT64)
		return hs_fail(HS_EINVAL, "%s is %s, expected DT_INT32 or DT_INT64", what,
			       hs_dtype_name(t->dtype));
	if (t->rank > max_rank)
		return hs_fail(HS_EINVAL, "%s has rank %zu, expected at most %zu", what, t->rank,
			       max_rank);
	return HS_OK;
}

int hs_kaxis(int64_t *out, int64_t axis, size_t rank)
{
	int64_t r = (int64_t)rank;
	if (axis < -r || axis >= r || (r == 0))
		return hs_fail(HS_EINVAL, "axis %lld is out of range for rank %zu", (long long)axis,
			       rank);
	*out = axis < 0 ? axis + r : axis;
	return HS_OK;
}

int64_t hs_value_int_at(const hs_value *t, uint64_t i)
{
	if (t->dtype == HS_DT_INT64)
		return ((const int64_t *)t->data)[i];
	return ((const int32_t *)t->data)[i];
}

/* --------------------------------------------------------------- shapes */

int hs_shape_same(const hs_value *a, const hs_value *b)
{
	return a->rank == b->rank && !memcmp(a->dims, b->dims, a->rank * sizeof *a->dims);
}

int hs_broadcast_shape(size_t *rank, int64_t *dims, const hs_value *a, const hs_value *b)
{
	size_t r = a->rank > b->rank ? a->rank : b->rank;
	for (size_t i = 0; i < r; i++) {
		/* Aligned from the last dimension. */
		int64_t da = i < r - a->rank ? 1 : a->dims[i - (r - a->rank)];
		int64_t db = i < r - b->rank ? 1 : b->dims[i - (r - b->rank)];
		if (da != db && da != 1 && db != 1) {
			char sa[160], sb[160];
			return hs_fail(HS_EINVAL, "shapes %s and %s do not broadcast",
				       hs_shape_text(sa, sizeof sa, a->rank, a->dims),
				       hs_shape_text(sb, sizeof sb, b->rank, b->dims));
		}
		dims[i] = da == 1 ? db : da;
	}
	*rank = r;
	return HS_OK;
}
