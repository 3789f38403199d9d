/* Plugins' evaluate callbacks as the evaluator's kernel hook: a fused op a
 * plugin made is computed by the plugin that made it.  This sits in the
 * command (above host and eval), the one place that knows both. */
#include <config.h>

#include "cli.h"
#include "evalcli.h"
#include "hintstub/plugin.h"

static int plugin_kernel(void *registry, const hs_node *n, const hs_value *const *in,
			 size_t n_in, hs_value **out, size_t n_out)
{
	hs_plugin_eval e = { sizeof e, 0, n, in, n_in, out, n_out,
			     hs_value_new, hs_value_free, hs_eval_builtin, { 0 } };
	return hs_registry_evaluate(registry, &e);
}

void cli_plugin_kernels(cli_verify_opts *o, const hs_registry *r)
{
	o->kernel = r ? plugin_kernel : NULL;
	o->kernel_user = (void *)r;
}
