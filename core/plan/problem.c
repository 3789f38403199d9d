/* Recording the plan's own problems of a call (region.c and plan.c both
 * do; its own module keeps them from depending on each other), clamped
 * and aggregated as the call set's (hs_problem_list_add), and the
 * plugins' verdicts for explain (plan.c and level2.c). */
#include <config.h>

#include <stdarg.h>

#include "plan_internal.h"

int hs_plan_problemf(hs_plan *p, size_t i, hs_severity sev, const char *code,
		     const char *fmt, ...)
{
	hs_plan_rare *r = hs_plan_rare_of(p, i);
	if (!r) {
		p->failed = HS_ENOMEM;
		return HS_ENOMEM;
	}
	hs_problem_list l = { &p->arena, &r->problems, &r->n_problems,
			      &r->cap_problems, &p->failed, HS_QUOTE_MAX };
	va_list ap;
	va_start(ap, fmt);
	int rc = hs_problem_list_add(l, sev, code, fmt, ap);
	va_end(ap);
	return rc;
}

hs_plan_rare *hs_plan_rare_of(hs_plan *p, size_t i)
{
	hs_plan_call *pc = &p->pc[i];
	if (!pc->rare && (pc->rare = hs_arena_alloc(&p->arena, sizeof *pc->rare)) != NULL)
		pc->rare->lost_to = SIZE_MAX;
	return pc->rare;
}

/* reason as one printable line (hs_escape): reasons quote function
 * names, uuids and plugins' words.  A copy only when it changes. */
const char *hs_plan_printable(hs_plan *p, const char *reason)
{
	if (!reason)
		return NULL;
	size_t n = strlen(reason);
	hs_buf b = { NULL, 0, 0, 0 };
	hs_buf_put_escaped(&b, reason, n);
	const char *out = reason;
	if (b.failed)
		p->failed = HS_ENOMEM;
	else if (b.len != n || memcmp(b.data, reason, n) != 0)
		out = hs_arena_strndup(&p->arena, (const char *)b.data, b.len);
	hs_buf_free(&b);
	if (!out)
		p->failed = HS_ENOMEM;
	return out ? out : reason;
}

void hs_plan_record_verdict(hs_plan *p, hs_verdict **trail, size_t *n, size_t *cap,
			    const char *plugin, int claims, const char *reason)
{
	/* A plugin's words, kept past its buffer: escaped, and copied. */
	const char *why = hs_plan_printable(p, reason);
	if (why && why == reason)
		why = hs_arena_printf(&p->arena, "%s", reason);
	if ((reason && !why) ||
	    hs_arena_grow(&p->arena, (void **)trail, cap, *n + 1, sizeof **trail)) {
		p->failed = HS_ENOMEM;
		return;
	}
	const char *name = hs_arena_printf(&p->arena, "%s", plugin);
	if (!name) {
		p->failed = HS_ENOMEM;
		return;
	}
	(*trail)[(*n)++] = (hs_verdict){ name, claims, why };
}
