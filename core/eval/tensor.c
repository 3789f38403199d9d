/* Tensor values of the evaluator: dense tensors and tensor lists, reference
 * counted so that Identity and friends share instead of copying. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval_internal.h"

/* No tensor is bigger than this: a hostile shape must fail before any
 * allocation is tried (1 TiB). */
#define HS_TENSOR_MAX_BYTES ((uint64_t)1 << 40)

size_t hs_dtype_size(int dtype)
{
	switch (dtype) {
	case HS_DT_FLOAT:
	case HS_DT_INT32:
		return 4;
	case HS_DT_INT64:
		return 8;
	case HS_DT_BOOL:
		return 1;
	default:
		return 0;
	}
}

char *hs_shape_text(char *buf, size_t size, size_t rank, const int64_t *dims)
{
	size_t used = 0;
	if (!size)
		return buf;
	buf[0] = '\0';
	used += (size_t)snprintf(buf, size, "[");
	for (size_t i = 0; i < rank && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%lld", i ? "," : "",
					 (long long)dims[i]);
	if (used < size)
		snprintf(buf + used, size - used, "]");
	return buf;
}

/* Elements of a shape, checked: HS_EINVAL for a bad rank or dimension,
 * HS_ELIMIT when the bytes pass HS_TENSOR_MAX_BYTES. */
int hs_shape_elements(uint64_t *out, int dtype, size_t rank, const int64_t *dims)
{
	if (rank > HS_TENSOR_MAX_RANK)
		return hs_fail(HS_EINVAL, "rank %zu is above the maximum of %d", rank,
			       HS_TENSOR_MAX_RANK);
	size_t esize = dtype == HS_DT_VARIANT ? 1 : hs_dtype_size(dtype);
	if (!esize)
		return hs_fail(HS_EINVAL, "the evaluator does not compute with %s",
			       hs_dtype_name(dtype));
	uint64_t e = 1;
	int zero = 0;
	for (size_t i = 0; i < rank; i++) {
		if (dims[i] < 0)
			return hs_fail(HS_EINVAL, "dimension %zu is negative (%lld)", i,
				       (long long)dims[i]);
		if (dims[i] == 0)
			zero = 1;
		else if (!zero && (uint64_t)dims[i] > HS_TENSOR_MAX_BYTES / esize / e)
			goto too_big;
		else if (!zero)
			e *= (uint64_t)dims[i];
	}
	*out = zero ? 0 : e;
	return HS_OK;
too_big: {
	char text[160];
	return hs_fail(HS_ELIMIT, "a %s tensor of shape %s is too large",
		       hs_dtype_name(dtype), hs_shape_text(text, sizeof text, rank, dims));
}
}

int hs_value_new(hs_value **out, int dtype, size_t rank, const int64_t *dims)
{
	uint64_t elements = 0;
	int rc;
	if (!out)
		return hs_fail(HS_EINVAL, "hs_value_new: out is NULL");
	*out = NULL;
	if (dtype == HS_DT_VARIANT)
		return hs_fail(HS_EINVAL, "hs_value_new: a DT_VARIANT tensor is made by its kernel");
	if ((rc = hs_shape_elements(&elements, dtype, rank, dims)) < 0)
		return rc;
	hs_value *t = calloc(1, sizeof *t);
	if (!t)
		return hs_fail(HS_ENOMEM, "out of memory");
	t->dtype = dtype;
	t->rank = rank;
	if (rank)
		memcpy(t->dims, dims, rank * sizeof *dims);
	t->elements = elements;
	t->refs = 1;
	if (elements) {
		/* calloc's alignment suits every element type. */
		t->data = calloc((size_t)elements, hs_dtype_size(dtype));
		if (!t->data) {
			free(t);
			char text[160];
			return hs_fail(HS_ENOMEM, "out of memory for a %s tensor of shape %s",
				       hs_dtype_name(dtype),
				       hs_shape_text(text, sizeof text, rank, dims));
		}
	}
	*out = t;
	return HS_OK;
}

hs_value *hs_value_ref(const hs_value *t)
{
	hs_value *m = (hs_value *)t; /* the count is not the value */
	if (m)
		m->refs++;
	return m;
}

static void list_free(hs_value_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++)
		hs_value_free(l->items[i]);
	free(l->items);
	free(l);
}

void hs_value_free(hs_value *t)
{
	if (!t || --t->refs > 0)
		return;
	list_free(t->list);
	if (t->base)
		hs_value_free(t->base);
	else
		free(t->data);
	free(t);
}

size_t hs_value_size(const hs_value *t)
{
	return (size_t)t->elements * hs_dtype_size(t->dtype);
}

/* A list is a scalar variant; its items are counted by the evaluator. */
int hs_value_list_make(hs_value **out, int element_dtype, size_t count)
{
	*out = NULL;
	hs_value *t = calloc(1, sizeof *t);
	hs_value_list *l = calloc(1, sizeof *l);
	hs_value **items = count ? calloc(count, sizeof *items) : NULL;
	if (!t || !l || (count && !items)) {
		free(t);
		free(l);
		free(items);
		return hs_fail(HS_ENOMEM, "out of memory for a tensor list of %zu items", count);
	}
	l->items = items;
	l->count = count;
	l->element_dtype = element_dtype;
	l->element_rank = HS_TENSOR_MAX_RANK + 1;
	t->dtype = HS_DT_VARIANT;
	t->elements = 1;
	t->refs = 1;
	t->list = l;
	*out = t;
	return HS_OK;
}

uint64_t hs_value_held_bytes(const hs_value *t)
{
	if (!t)
		return 0;
	if (!t->list)
		return hs_value_size(t);
	uint64_t b = t->list->count * sizeof(hs_value *);
	for (size_t i = 0; i < t->list->count; i++)
		b += hs_value_held_bytes(t->list->items[i]);
	return b;
}

int hs_value_view(hs_value **out, const hs_value *base, size_t rank, const int64_t *dims)
{
	*out = NULL;
	if (base->list)
		return hs_fail(HS_EINVAL, "a tensor list has no shape to change");
	hs_value *t = calloc(1, sizeof *t);
	if (!t)
		return hs_fail(HS_ENOMEM, "out of memory");
	/* A view of a view is one of the owner: freeing never recurses. */
	if (base->base)
		base = base->base;
	t->dtype = base->dtype;
	t->rank = rank;
	if (rank)
		memcpy(t->dims, dims, rank * sizeof *dims);
	t->elements = base->elements;
	t->data = base->data;
	t->refs = 1;
	t->base = hs_value_ref(base);
	*out = t;
	return HS_OK;
}

int hs_value_check(const hs_value *t)
{
	uint64_t elements;
	int rc;
	if (t->list)
		return hs_fail(HS_EINVAL, "a tensor list cannot be fed");
	if (!t->refs)
		return hs_fail(HS_EINVAL, "the tensor was not made by hs_value_new (no reference count)");
	if ((rc = hs_shape_elements(&elements, t->dtype, t->rank, t->dims)) < 0)
		return rc;
	if (elements != t->elements || (elements && !t->data)) {
		char text[160];
		return hs_fail(HS_EINVAL, "the tensor of shape %s says %llu elements%s",
			       hs_shape_text(text, sizeof text, t->rank, t->dims),
			       (unsigned long long)t->elements, elements && !t->data ? " and has no data" : "");
	}
	return HS_OK;
}
