/* Recording the plan's own problems of a call (region.c and plan.c both
 * do; its own module keeps them from depending on each other), clamped
 * and aggregated as the call set's (hs_problem_list_add). */
#include <config.h>

#include <stdarg.h>

#include "plan_internal.h"

int hs_plan_problemf(hs_plan *p, size_t i, hs_severity sev, const char *code,
		     const char *fmt, ...)
{
	hs_plan_call *pc = &p->pc[i];
	hs_problem_list l = { &p->arena, &pc->problems, &pc->n_problems,
			      &pc->cap_problems, &p->failed, HS_QUOTE_MAX };
	va_list ap;
	va_start(ap, fmt);
	int rc = hs_problem_list_add(l, sev, code, fmt, ap);
	va_end(ap);
	return rc;
}
