/* hs_convert: the three steps of the pass in one call, for callers that
 * need nothing in between. */
#include <config.h>

#include <stdlib.h>

#include "apply_internal.h"
#include "error.h"

int hs_convert_options_init(hs_convert_options *opts, unsigned int version)
{
	static const hs_convert_options defaults = HS_CONVERT_OPTIONS_INIT;
	return hs_options_init(opts, &defaults, sizeof defaults, version, HS_CONVERT_OPTIONS_VERSION,
			       "hs_convert_options");
}

int hs_convert(hs_report **report_out, hs_graph *g, const hs_convert_options *opts)
{
	if (report_out)
		*report_out = NULL;
	if (!g)
		return hs_fail(HS_EINVAL, "hs_convert: no graph");
	if (opts && opts->version != HS_CONVERT_OPTIONS_VERSION)
		return hs_fail(HS_EINVAL, "hs_convert_options: unknown version %u", opts->version);
	hs_convert_options defaults = HS_CONVERT_OPTIONS_INIT;
	const hs_convert_options *o = opts ? opts : &defaults;
	hs_callset *calls = NULL;
	hs_plan *plan = NULL;
	hs_report *report = NULL;
	int rc = hs_discover(&calls, g, &o->discover);
	if (!rc)
		rc = hs_plan_new(&plan, g, calls, &o->plan);
	if (!rc)
		rc = hs_apply(&report, g, plan, &o->apply);
	/* An aborted run (on-failure abort) hands out its report too. */
	if (!report || !report_out) {
		hs_report_free(report);
		hs_plan_free(plan);
		hs_callset_free(calls);
		return rc;
	}
	report->owned_plan = plan;
	report->owned_calls = calls;
	*report_out = report;
	return rc;
}
