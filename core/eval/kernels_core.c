/* Kernels of the ops every graph has: constants, placeholders,
 * identities, NoOp. */
#include <config.h>

#include <string.h>

#include "error.h"
#include "eval_internal.h"

/* Every TensorProto encoding: hs_node_tensor decodes tensor_content and
 * the typed fields, a short field repeating its last value. */
static int k_const(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		   hs_value **out, size_t n_out)
{
	hs_tensor_view v;
	int rc;
	(void)in;
	if ((rc = hs_kcheck_inputs(n_in, 0, 0)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0)
		return rc;
	if ((rc = hs_node_tensor(&v, n, "value", NULL, 0)) < 0)
		return rc;
	if (!hs_dtype_size(v.dtype))
		return hs_fail(HS_EINVAL, "a %s constant: the evaluator computes with float32, int32, int64 and bool only",
			       hs_dtype_name(v.dtype));
	if ((rc = hs_kt_new(&out[0], k, v.dtype, v.rank, v.dims)) < 0)
		return rc;
	if (out[0]->elements &&
	    (rc = hs_node_tensor(&v, n, "value", out[0]->data, hs_value_size(out[0]))) < 0)
		return rc;
	if (v.dtype == HS_DT_BOOL) {
		/* Any non-zero byte is true; kernels read 0 or 1. */
		uint8_t *b = out[0]->data;
		for (uint64_t i = 0; i < out[0]->elements; i++)
			b[i] = b[i] != 0;
	}
	return HS_OK;
}

/* Identity, StopGradient, Snapshot: the input, shared. */
static int k_identity(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		      hs_value **out, size_t n_out)
{
	int rc;
	(void)k;
	(void)n;
	if ((rc = hs_kcheck_inputs(n_in, 1, 1)) < 0 || (rc = hs_kcheck_outputs(n_out, 1)) < 0)
		return rc;
	out[0] = hs_value_ref(in[0]);
	return HS_OK;
}

static int k_identity_n(hs_kctx *k, const hs_node *n, const hs_value *const *in,
			size_t n_in, hs_value **out, size_t n_out)
{
	int rc;
	(void)k;
	(void)n;
	if ((rc = hs_kcheck_outputs(n_out, n_in)) < 0)
		return rc;
	for (size_t i = 0; i < n_out; i++)
		out[i] = hs_value_ref(in[i]);
	return HS_OK;
}

static int k_noop(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		  hs_value **out, size_t n_out)
{
	(void)k;
	(void)n;
	(void)in;
	(void)n_in;
	(void)out;
	return hs_kcheck_outputs(n_out, 0);
}

/* Reached only when nothing was fed (a fed node is never computed). */
static int k_placeholder(hs_kctx *k, const hs_node *n, const hs_value *const *in,
			 size_t n_in, hs_value **out, size_t n_out)
{
	(void)k;
	(void)n;
	(void)in;
	(void)n_in;
	(void)out;
	(void)n_out;
	return hs_fail(HS_EINVAL, "no value was fed for this placeholder");
}

static const hs_kernel_def hs_core_defs[] = {
	{ "Const", k_const },
	{ "Identity", k_identity },
	{ "IdentityN", k_identity_n },
	{ "NoOp", k_noop },
	{ "Placeholder", k_placeholder },
	{ "PlaceholderWithDefault", k_identity },
	{ "Snapshot", k_identity },
	{ "StopGradient", k_identity },
};

const hs_kernel_family hs_kernels_core = {
	"core", hs_core_defs, sizeof hs_core_defs / sizeof hs_core_defs[0]
};
