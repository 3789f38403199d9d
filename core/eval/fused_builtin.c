/* hs_eval_builtin: a built-in kernel run outside an evaluator, so that a
 * kernel hook (a plugin's `evaluate`) can compose its fused op from
 * built-in ops without arithmetic of its own. */
#include <config.h>

#include <string.h>

#include "error.h"
#include "eval_internal.h"

#define BUILTIN_MAX_MEMORY ((uint64_t)4 << 30)

static int no_call(hs_kctx *k, hs_str fn, const hs_value *const *args, size_t n_args,
		   hs_value **rets, size_t n_rets)
{
	(void)k;
	(void)args;
	(void)n_args;
	(void)rets;
	(void)n_rets;
	return hs_fail(HS_EINVAL, "function '%.*s' cannot be called outside an evaluator",
		       HS_NAME_ARG(fn));
}

static int no_arity(size_t *n_ret, hs_kctx *k, hs_str fn)
{
	*n_ret = 0;
	return no_call(k, fn, NULL, 0, NULL, 0);
}

int hs_eval_builtin(const char *op, const hs_node *n, const hs_value *const *in,
		    size_t n_in, hs_value **out, size_t n_out)
{
	if (!op || !n || (n_in && !in) || (n_out && !out))
		return hs_fail(HS_EINVAL, "hs_eval_builtin: NULL argument");
	for (size_t i = 0; i < n_out; i++)
		out[i] = NULL;
	hs_str name = { op, strlen(op) };
	hs_kernel_fn fn = hs_kernel_find(name);
	if (!fn)
		return hs_fail(HS_ENOTFOUND, "no kernel for op %s", op);
	hs_eval_options opts = HS_EVAL_OPTIONS_INIT;
	uint64_t live = 0;
	opts.max_memory = BUILTIN_MAX_MEMORY;
	hs_kctx k = { .n = n, .opts = &opts, .live = &live, .call = no_call, .arity = no_arity };
	int rc = fn(&k, n, in, n_in, out, n_out);
	for (size_t i = 0; rc == HS_OK && i < n_out; i++)
		if (!out[i])
			rc = hs_fail(HS_ERROR, "the kernel left output %zu unset", i);
	if (rc == HS_OK)
		return HS_OK;
	for (size_t i = 0; i < n_out; i++) {
		hs_value_free(out[i]);
		out[i] = NULL;
	}
	char msg[1024];
	strncpy(msg, hs_error_last(), sizeof msg - 1);
	msg[sizeof msg - 1] = '\0';
	return hs_fail(rc, "%s: %s", op, msg);
}
