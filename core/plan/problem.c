/* Recording the plan's own problems of a call (region.c and plan.c both
 * do; its own module keeps them from depending on each other). */
#include <config.h>

#include <stdarg.h>

#include "plan_internal.h"

int hs_plan_problemf(hs_plan *p, size_t i, hs_severity sev, const char *code,
		     const char *fmt, ...)
{
	hs_plan_call *pc = &p->pc[i];
	va_list ap;
	va_start(ap, fmt);
	char *msg = hs_arena_vprintf(&p->arena, fmt, ap);
	va_end(ap);
	if (!msg || hs_arena_grow(&p->arena, (void **)&pc->problems, &pc->cap_problems,
				  pc->n_problems + 1, sizeof *pc->problems)) {
		p->failed = HS_ENOMEM;
		return HS_ENOMEM;
	}
	pc->problems[pc->n_problems++] = (hs_problem){ sev, code, msg };
	return HS_OK;
}
