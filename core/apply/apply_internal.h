/* The report's layout, for the report layer (JSON).  Private to
 * libhintstub. */
#ifndef HS_APPLY_INTERNAL_H
#define HS_APPLY_INTERNAL_H

#include "plan_internal.h"

struct hs_report {
	const hs_plan *plan;       /* what was carried out */
	hs_plan *owned_plan;       /* hs_convert's: freed with the report */
	hs_callset *owned_calls;
	const hs_call_report *entries; /* the outcomes: the plan's entries
				      until one differs, then `own` */
	hs_call_report *own;       /* a copy of them made by the first
				      outcome that differs from the plan */
	size_t n;
	size_t converted, errors, pack_unpack_removed;
	size_t functions_pruned;   /* prune_library: functions dropped */
	int dry_run;
	int aborted;               /* on-failure abort stopped the run */
	hs_arena arena;            /* reasons of failed calls */
};

#endif
