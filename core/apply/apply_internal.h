/* The report's layout, for the report layer (JSON).  Private to
 * libhintstub. */
#ifndef HS_APPLY_INTERNAL_H
#define HS_APPLY_INTERNAL_H

#include "plan_internal.h"

struct hs_report {
	const hs_plan *plan;       /* what was carried out */
	hs_plan *owned_plan;       /* hs_convert's: freed with the report */
	hs_callset *owned_calls;
	const hs_entry *entries;   /* the outcomes: the plan's entries
				      until one differs, then `own` */
	const char *const *reasons; /* the same for their reasons (NULL:
				      none has one) */
	hs_entry *own;             /* a copy of them made by the first
				      outcome that differs from the plan */
	const char **own_reasons;
	hs_entry_blocks public_entries; /* hs_report_entry's, once `own` is
				      made (before, the plan's) */
	size_t n;
	size_t converted, errors, pack_unpack_removed;
	size_t functions_pruned;   /* prune_library: functions dropped */
	int dry_run;
	int aborted;               /* on-failure abort stopped the run */
	hs_arena arena;            /* reasons of failed calls */
};

/* The report's entry i, as hs_report_entry has it, without keeping it. */
static inline void hs_report_entry_read(const hs_report *r, size_t i, hs_call_report *e)
{
	hs_entry_fill(e, r->plan, i, &r->entries[i], r->reasons ? r->reasons[i] : NULL);
}

#endif
