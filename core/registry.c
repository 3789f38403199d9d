/* Plugin registry.  Until plugins land, no registry can be made and every
 * call takes the generic stub. */
#include <config.h>

#include <string.h>

#include "dispatch.h"
#include "error.h"

int hs_registry_claim(hs_claim *out, const hs_registry *r, const hs_graph *g,
		      const hs_call *call)
{
	(void)g;
	(void)call;
	memset(out, 0, sizeof *out);
	out->kind = HS_CLAIM_GENERIC;
	if (r)
		return hs_fail(HS_EINVAL, "plugin registries are not supported yet");
	return HS_OK;
}

int hs_registry_emit(const hs_registry *r, const hs_claim *claim, hs_graph *g,
		     const hs_call *call, hs_node *stub)
{
	(void)r;
	(void)g;
	(void)call;
	(void)stub;
	if (claim->kind != HS_CLAIM_GENERIC)
		return hs_fail(HS_EINVAL, "no plugin to emit this call");
	return HS_OK;
}

hs_failure_policy hs_registry_failure_policy(const hs_registry *r)
{
	(void)r;
	return HS_ON_FAILURE_SKIP;
}

hs_overlap_policy hs_registry_overlap_policy(const hs_registry *r)
{
	(void)r;
	return HS_OVERLAP_PRIORITY;
}
