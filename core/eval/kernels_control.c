/* Control flow v2: While / StatelessWhile run their cond and body
 * functions of the graph's library until cond says stop; If /
 * StatelessIf and (Stateful)PartitionedCall call one function. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval_internal.h"

static int func_attr(hs_str *name, const hs_node *n, const char *key)
{
	int rc = hs_kattr_str(name, n, key);
	if (rc == HS_ENOTFOUND)
		return hs_fail(HS_EINVAL, "attribute '%s' (a function) is missing", key);
	return rc;
}

/* TensorFlow's truth of a cond result: a bool scalar, else a number
 * that is non-zero, else a non-empty tensor. */
static int truth(int *out, const hs_value *v, hs_str fn)
{
	if (v->list)
		return hs_fail(HS_EINVAL, "function '%.*s' gave a tensor list as its condition",
			       HS_NAME_ARG(fn));
	if (v->rank == 0) {
		switch (v->dtype) {
		case HS_DT_BOOL:
			*out = *(const uint8_t *)v->data != 0;
			return HS_OK;
		case HS_DT_FLOAT:
			*out = *(const float *)v->data != 0;
			return HS_OK;
		case HS_DT_INT32:
			*out = *(const int32_t *)v->data != 0;
			return HS_OK;
		default:
			*out = *(const int64_t *)v->data != 0;
			return HS_OK;
		}
	}
	*out = v->elements > 0;
	return HS_OK;
}

static void free_all(hs_value **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		hs_value_free(v[i]);
		v[i] = NULL;
	}
}

static int k_while(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		   hs_value **out, size_t n_out)
{
	int rc;
	hs_str cond, body;
	if ((rc = hs_kcheck_outputs(n_out, n_in)) < 0 || (rc = func_attr(&cond, n, "cond")) < 0 ||
	    (rc = func_attr(&body, n, "body")) < 0)
		return rc;
	hs_value **vars = calloc(n_in ? n_in : 1, sizeof *vars);
	hs_value **next = calloc(n_in ? n_in : 1, sizeof *next);
	if (!vars || !next) {
		free(vars);
		free(next);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n_in; i++)
		vars[i] = hs_value_ref(in[i]);
	/* Nested loops multiply: the limit is on all loops of a run. */
	uint64_t max = hs_kt_options(k)->max_loop_iterations, alone = 0;
	uint64_t *iter = k->iterations ? k->iterations : &alone;
	for (;;) {
		hs_value *c = NULL;
		int go = 0;
		rc = hs_kt_call(k, cond, (const hs_value *const *)vars, n_in, &c, 1);
		if (rc == HS_OK)
			rc = truth(&go, c, cond);
		hs_value_free(c);
		if (rc < 0 || !go)
			break;
		if (++*iter > max) {
			rc = hs_fail(HS_ELIMIT, "the loops of this run took more than %llu iterations (the limit)",
				     (unsigned long long)max);
			break;
		}
		if ((rc = hs_kt_call(k, body, (const hs_value *const *)vars, n_in, next, n_in)) < 0)
			break;
		free_all(vars, n_in);
		memcpy(vars, next, n_in * sizeof *vars);
		memset(next, 0, n_in * sizeof *next);
		/* The loop variables are held here, outside every evaluator's
		 * count: a loop that grows them must still meet the limit. */
		uint64_t held = 0;
		for (size_t i = 0; i < n_in; i++)
			held += hs_value_held_bytes(vars[i]);
		if ((rc = hs_kt_reserve(k, held)) < 0)
			break;
	}
	if (rc == HS_OK) {
		for (size_t i = 0; i < n_out; i++) {
			out[i] = vars[i];
			vars[i] = NULL;
		}
	}
	free_all(vars, n_in);
	free(vars);
	free(next);
	return rc;
}

/* Calls fn and keeps the first n_out of its results. */
static int call_some(hs_kctx *k, hs_str fn, const hs_value *const *args, size_t n_args,
		     hs_value **out, size_t n_out)
{
	size_t n_ret;
	int rc;
	if ((rc = hs_kt_function_arity(&n_ret, k, fn)) < 0 ||
	    (rc = hs_kcheck_outputs(n_out, n_ret)) < 0)
		return rc;
	hs_value **rets = calloc(n_ret ? n_ret : 1, sizeof *rets);
	if (!rets)
		return hs_fail(HS_ENOMEM, "out of memory");
	rc = hs_kt_call(k, fn, args, n_args, rets, n_ret);
	if (rc == HS_OK)
		for (size_t i = 0; i < n_out; i++) {
			out[i] = rets[i];
			rets[i] = NULL;
		}
	free_all(rets, n_ret);
	free(rets);
	return rc;
}

static int k_if(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		hs_value **out, size_t n_out)
{
	int rc, yes;
	hs_str then_fn, else_fn;
	if ((rc = hs_kcheck_inputs(n_in, 1, -1)) < 0 ||
	    (rc = func_attr(&then_fn, n, "then_branch")) < 0 ||
	    (rc = func_attr(&else_fn, n, "else_branch")) < 0 ||
	    (rc = truth(&yes, in[0], then_fn)) < 0)
		return rc;
	return call_some(k, yes ? then_fn : else_fn, in + 1, n_in - 1, out, n_out);
}

static int k_call(hs_kctx *k, const hs_node *n, const hs_value *const *in, size_t n_in,
		  hs_value **out, size_t n_out)
{
	hs_str fn;
	int rc = func_attr(&fn, n, "f");
	return rc < 0 ? rc : call_some(k, fn, in, n_in, out, n_out);
}

static const hs_kernel_def defs[] = {
	{ "If", k_if },
	{ "PartitionedCall", k_call },
	{ "StatefulPartitionedCall", k_call },
	{ "StatelessIf", k_if },
	{ "StatelessWhile", k_while },
	{ "While", k_while },
};

const hs_kernel_family hs_kernels_control = { "control", defs, sizeof defs / sizeof defs[0] };
