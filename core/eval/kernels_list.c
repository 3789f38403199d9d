/* Tensor lists (the TensorList* ops dynamic_rnn's While loops use): a
 * DT_VARIANT scalar holding items.  Lists are values like any other: an
 * op that changes one makes a new list sharing the unchanged items. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval_internal.h"

/* element_shape as a tensor: an integer vector with -1 for unknown
 * dimensions, or a scalar -1 for an unknown rank. */
static int element_shape(hs_value_list *l, const hs_value *s)
{
	int rc = hs_kcheck_ints(s, 1, "the element shape");
	if (rc < 0)
		return rc;
	if (s->rank == 0) {
		l->element_rank = HS_TENSOR_MAX_RANK + 1;
		return HS_OK;
	}
	if (s->elements > HS_TENSOR_MAX_RANK)
		return hs_fail(HS_EINVAL, "the element shape has %llu dimensions, at most %d are supported",
			       (unsigned long long)s->elements, HS_TENSOR_MAX_RANK);
	l->element_rank = (size_t)s->elements;
	for (size_t i = 0; i < l->element_rank; i++)
		l->element_dims[i] = hs_value_int_at(s, i);
	return HS_OK;
}

static int list_arg(const hs_value_list **l, const hs_value *t)
{
	if (!t->list)
		return hs_fail(HS_EINVAL, "input 0 is %s, not a tensor list", hs_dtype_name(t->dtype));
	*l = t->list;
	return HS_OK;
}

static int element_dtype(int *dt, const hs_node *n)
{
	int rc = hs_kattr_type(dt, n, "element_dtype");
	if (rc == HS_ENOTFOUND)
		return hs_fail(HS_EINVAL, "attribute 'element_dtype' is missing");
	if (rc == HS_OK && !hs_dtype_size(*dt))
		return hs_fail(HS_EINVAL, "element_dtype %s is not supported", hs_dtype_name(*dt));
	return rc;
}

static int index_arg(size_t *index, const hs_value *t, size_t count)
{
	int rc = hs_kcheck_ints(t, 0, "the index");
	if (rc < 0)
		return rc;
	int64_t i = hs_value_int_at(t, 0);
	if (i < 0 || (uint64_t)i >= count)
		return hs_fail(HS_EINVAL, "index %lld is out of a list of %zu items", (long long)i,
			       count);
	*index = (size_t)i;
	return HS_OK;
}

static int shape_known(const hs_value_list *l)
{
	int known = l->element_rank <= HS_TENSOR_MAX_RANK;
	for (size_t d = 0; known && d < l->element_rank; d++)
		known = l->element_dims[d] >= 0;
	return known;
}

/* The value of an item never set: zeros of the element shape, which must
 * then be fully known. */
static int unset_item(hs_value **out, hs_kctx *k, const hs_value_list *l, size_t i)
{
	if (!shape_known(l))
		return hs_fail(HS_EINVAL, "item %zu was never set and the element shape is not fully known",
			       i);
	return hs_kt_new(out, k, l->element_dtype, l->element_rank, l->element_dims);
}

static int k_reserve(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		     hs_value **out, size_t n_out)
{
	int rc, dt;
	if ((rc = hs_kcheck_inputs(n_in, 2, 2)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = element_dtype(&dt, n)) < 0 || (rc = hs_kcheck_ints(in[1], 0, "num_elements")) < 0)
		return rc;
	int64_t count = hs_value_int_at(in[1], 0);
	if (count < 0)
		return hs_fail(HS_EINVAL, "num_elements is %lld", (long long)count);
	if ((rc = hs_kt_list_new(out, k, dt, (size_t)count)) < 0)
		return rc;
	return element_shape((*out)->list, in[0]);
}

static int k_from_tensor(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
			 hs_value **out, size_t n_out)
{
	int rc;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 2, 2)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0)
		return rc;
	const hs_value *t = in[0];
	if (t->list || t->rank < 1)
		return hs_fail(HS_EINVAL, "the tensor must be dense of rank 1 or more");
	size_t count = (size_t)t->dims[0];
	if ((rc = hs_kt_list_new(out, k, t->dtype, count)) < 0)
		return rc;
	hs_value_list *l = (*out)->list;
	if ((rc = element_shape(l, in[1])) < 0)
		return rc;
	size_t chunk = t->dims[0] ? hs_value_size(t) / count : 0;
	for (size_t i = 0; i < count; i++) {
		if ((rc = hs_kt_new(&l->items[i], k, t->dtype, t->rank - 1, t->dims + 1)) < 0)
			return rc;
		if (chunk)
			memcpy(l->items[i]->data, (const uint8_t *)t->data + i * chunk, chunk);
	}
	return HS_OK;
}

static int k_get_item(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		      hs_value **out, size_t n_out)
{
	int rc;
	const hs_value_list *l = NULL;
	size_t i = 0;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 2, 3)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = list_arg(&l, in[0])) < 0 || (rc = index_arg(&i, in[1], l->count)) < 0)
		return rc;
	if (l->items[i]) {
		*out = hs_value_ref(l->items[i]);
		return HS_OK;
	}
	/* The list's element shape, or the op's when the list's is not
	 * fully known. */
	hs_value_list shaped = *l;
	if (!shape_known(l) && n_in == 3 && (rc = element_shape(&shaped, in[2])) < 0)
		return rc;
	return unset_item(out, k, &shaped, i);
}

/* A new list: l's items shared, item i replaced by v. */
static int k_set_item(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		      hs_value **out, size_t n_out)
{
	int rc;
	const hs_value_list *l = NULL;
	size_t i = 0;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 3, 3)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = list_arg(&l, in[0])) < 0 || (rc = index_arg(&i, in[1], l->count)) < 0)
		return rc;
	const hs_value *v = in[2];
	if (v->dtype != l->element_dtype)
		return hs_fail(HS_EINVAL, "the item is %s, the list holds %s", hs_dtype_name(v->dtype),
			       hs_dtype_name(l->element_dtype));
	if ((rc = hs_kt_list_new(out, k, l->element_dtype, l->count)) < 0)
		return rc;
	hs_value_list *nl = (*out)->list;
	nl->element_rank = l->element_rank;
	memcpy(nl->element_dims, l->element_dims, sizeof nl->element_dims);
	for (size_t j = 0; j < l->count; j++)
		nl->items[j] = j == i ? hs_value_ref(v) : hs_value_ref(l->items[j]);
	return HS_OK;
}

static int k_length(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		    hs_value **out, size_t n_out)
{
	int rc;
	const hs_value_list *l = NULL;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 1, 1)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = list_arg(&l, in[0])) < 0 || (rc = hs_kt_new(out, k, HS_DT_INT32, 0, NULL)) < 0)
		return rc;
	*(int32_t *)(*out)->data = (int32_t)l->count;
	return HS_OK;
}

/* Stacks the items into [count, element shape...]; every item must have
 * one shape (unset items are zeros of it). */
static int k_stack(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		   hs_value **out, size_t n_out)
{
	int rc, dt;
	const hs_value_list *l = NULL;
	if ((rc = hs_kcheck_inputs(n_in, 1, 2)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0 ||
	    (rc = list_arg(&l, in[0])) < 0 || (rc = element_dtype(&dt, n)) < 0)
		return rc;
	if (dt != l->element_dtype)
		return hs_fail(HS_EINVAL, "element_dtype %s, the list holds %s", hs_dtype_name(dt),
			       hs_dtype_name(l->element_dtype));
	hs_value_list shape = *l;
	if (n_in == 2 && !shape_known(l) && (rc = element_shape(&shape, in[1])) < 0)
		return rc;
	/* The items' shape: the first set item's, else the element shape. */
	const hs_value *first = NULL;
	for (size_t i = 0; i < l->count && !first; i++)
		first = l->items[i];
	hs_value *zero = NULL;
	if (!first && l->count) {
		if ((rc = unset_item(&zero, k, &shape, 0)) < 0)
			return rc;
		first = zero;
	}
	int64_t dims[HS_TENSOR_MAX_RANK];
	size_t rank = first ? first->rank + 1 : 1;
	if (rank > HS_TENSOR_MAX_RANK) {
		hs_value_free(zero);
		return hs_fail(HS_EINVAL, "the items' rank %zu + 1 is above the maximum of %d",
			       rank - 1, HS_TENSOR_MAX_RANK);
	}
	dims[0] = (int64_t)l->count;
	if (first)
		memcpy(dims + 1, first->dims, first->rank * sizeof *dims);
	rc = hs_kt_new(out, k, dt, rank, dims);
	size_t chunk = first ? hs_value_size(first) : 0;
	for (size_t i = 0; rc == HS_OK && i < l->count; i++) {
		const hs_value *it = l->items[i] ? l->items[i] : first;
		if (!l->items[i] && zero == NULL) {
			/* An unset item among set ones: zeros of their shape. */
			memset((uint8_t *)(*out)->data + i * chunk, 0, chunk);
			continue;
		}
		if (!hs_shape_same(it, first)) {
			char a[160], b[160];
			rc = hs_fail(HS_EINVAL, "item %zu has shape %s, item 0 %s", i,
				     hs_shape_text(a, sizeof a, it->rank, it->dims),
				     hs_shape_text(b, sizeof b, first->rank, first->dims));
			break;
		}
		if (chunk)
			memcpy((uint8_t *)(*out)->data + i * chunk, it->data, chunk);
	}
	hs_value_free(zero);
	return rc;
}

static const hs_kernel_def defs[] = {
	{ "TensorListFromTensor", k_from_tensor },
	{ "TensorListGetItem", k_get_item },
	{ "TensorListLength", k_length },
	{ "TensorListReserve", k_reserve },
	{ "TensorListSetItem", k_set_item },
	{ "TensorListStack", k_stack },
};

const hs_kernel_family hs_kernels_list = { "list", defs, sizeof defs / sizeof defs[0] };
