/* The plan's layout, for the layers above it (apply, report).  Private to
 * libhintstub.
 *
 *   problem.c the plan's problems of a call
 *   region.c  each call's region, in time linear in the regions' size
 *   cycles.c  would the planned stubs close a cycle?
 *   plan.c    the plan: decisions per call, claims, overlaps, cycles */
#ifndef HS_PLAN_INTERNAL_H
#define HS_PLAN_INTERNAL_H

#include <stdatomic.h>

#include "calls_internal.h"
#include "dispatch.h"
#include "hintstub/plan.h"

/* Stable problem codes of planning. */
#define HS_P_INTERIOR_ESCAPE "interior-escape"
#define HS_P_SIDE_INPUT "unhinted-side-input"
#define HS_P_LEVEL2 "level-2"
#define HS_P_INPUT_IS_OUTPUT "input-is-output"
#define HS_P_CYCLE "cycle"
#define HS_P_NO_BOUNDARY "no-boundary"

/* One step of `explain`: what one plugin said of a call. */
typedef struct hs_verdict {
	const char *plugin;
	int claims;
	const char *reason;
} hs_verdict;

/* A child of a level-2 call (level2.c): the cell call in the loop body,
 * its region there (what its plugin's check saw) and who claims it. */
typedef struct hs_l2_child {
	const hs_call *call;     /* a call of the body's call set */
	hs_region region;        /* in the body scope */
	hs_claim_kind claim;
	const void *plugin;
	void *claim_data;        /* freed with the plan */
	const char *plugin_name; /* "generic" or the plugin's (copied) */
	const char *reason;      /* keep / error / failed: why (copied) */
	size_t stub_nodes;       /* nodes its stub adds (stub, Const, Pack, Unpack) */
	hs_verdict *trail;       /* opts.explain */
	size_t n_trail, cap_trail;
} hs_l2_child;

/* The plan of a level-2 call: its children, and the body nodes brought to
 * the top level (in body order) that the children's stubs read. */
typedef struct hs_l2_plan {
	hs_l2_child *children;
	size_t n_children;
	hs_node **copy;          /* nodes of the body scope */
	uint8_t *copy_inputs;    /* per copy: 1 keeps its inputs, 0 (an output
				    identity the stub rewires) takes none */
	size_t n_copy;
} hs_l2_plan;

/* What few calls of a plan have: overlaps, problems of the plan, an
 * explain trail, a lost overlap, a level-2 plan.  Made on first use
 * (hs_plan_rare_of). */
typedef struct hs_plan_rare {
	size_t *overlaps;        /* ordinals of calls whose regions overlap */
	size_t n_overlaps, cap_overlaps;
	hs_problem *problems;    /* the plan's own problems */
	uint32_t n_problems, cap_problems;
	hs_verdict *trail;       /* opts.explain: every plugin asked */
	size_t n_trail, cap_trail;
	size_t lost_to;          /* SIZE_MAX, or the call whose region won */
	const char *plugin_name; /* who had claimed the loser, for a restore */
	hs_l2_plan *l2;          /* level-2 calls that can be planned */
	hs_problem *merged;      /* the call set's problems, then these */
	size_t n_merged;         /* their count when planned: the call may
				    get more after (hs_call_add_problem) */
} hs_plan_rare;

/* What the plan knows of one call: 48 bytes (was 208, then 104, then 80),
 * a plan has one per call.  Flags are bits, the call is the set's of the
 * same ordinal (hs_plan_call_of), the kept identities are read from its
 * operands (hs_kept_iter), and what few calls have is in `rare`. */
typedef struct hs_plan_call {
	hs_region region;        /* the nodes the stub replaces */
	const void *plugin;      /* the registry's handle of the claimer */
	void *claim_data;        /* what its check stored; freed with the plan */
	hs_plan_rare *rare;      /* NULL: none of it */
	int priority;
	unsigned claim : 3;      /* an hs_claim_kind */
	unsigned usable : 1;     /* operands sane: a region was computed */
	unsigned candidate : 1;  /* still to be converted */
	unsigned decided : 1;    /* its outcome is set (not converted) */
	unsigned refused : 1;    /* its stub would close a cycle */
} hs_plan_call;
_Static_assert(sizeof(hs_plan_call) == 48, "a plan's call is 48 bytes");

/* A usable call's kept identities by id, in order: every element of a
 * stacked operand, the kept one (hs_operand_kept) of the others.  The
 * plan keeps no copy: the call's operands hold the ids (4 bytes each, 16
 * a call of m940 and the 8-byte pointer to them saved).
 *
 *   hs_kept_iter it;
 *   uint32_t id;
 *   for (hs_kept_begin(&it, c, 0); hs_kept_next(&it, &id);) ...  */
typedef struct hs_kept_iter {
	const hs_operand *o, *end;
	size_t e, last;
} hs_kept_iter;

static inline size_t hs_kept_first(const hs_operand *o)
{
	return o->aggregation == HS_AGG_STACK ? 0 : hs_operand_kept(o);
}

static inline size_t hs_kept_last(const hs_operand *o)
{
	return o->aggregation == HS_AGG_STACK ? o->count : hs_operand_kept(o) + 1;
}

/* Over the kept inputs of c, or its kept outputs when `outputs`. */
static inline void hs_kept_begin(hs_kept_iter *it, const hs_call *c, int outputs)
{
	it->o = outputs ? c->outputs : c->inputs;
	it->end = it->o + (outputs ? c->n_outputs : c->n_inputs);
	it->e = it->last = 0;
	if (it->o < it->end) {
		it->e = hs_kept_first(it->o);
		it->last = hs_kept_last(it->o);
	}
}

static inline int hs_kept_next(hs_kept_iter *it, uint32_t *id)
{
	while (it->o < it->end && it->e >= it->last) {
		if (++it->o < it->end) {
			it->e = hs_kept_first(it->o);
			it->last = hs_kept_last(it->o);
		}
	}
	if (it->o >= it->end)
		return 0;
	*id = hs_operand_ids(it->o)[it->e++] - 1;
	return 1;
}

/* A level-2 call's plan: NULL unless it can be planned. */
static inline hs_l2_plan *hs_plan_l2(const hs_plan_call *pc)
{
	return pc->rare ? pc->rare->l2 : NULL;
}

/* Call i's rare record, made (zeroed, lost_to SIZE_MAX) on first use;
 * NULL on allocation failure (hs_fail set). */
hs_plan_rare *hs_plan_rare_of(hs_plan *p, size_t i);
/* The call lost an overlap to: SIZE_MAX when none. */
static inline size_t hs_plan_lost_to(const hs_plan_call *pc)
{
	return pc->rare ? pc->rare->lost_to : SIZE_MAX;
}

/* A call's outcome as the plan (and a report) holds it: 16 bytes a call.
 * The public hs_call_report (104) repeats the call (function, uuid,
 * ordinal), the region's size and the problems, and holds a reason few
 * calls have (`reasons`): it is made only when a caller asks for one
 * (hs_plan_entry, in blocks); the layers reading every entry fill one on
 * the stack instead (hs_plan_entry_read). */
typedef struct hs_entry {
	const char *plugin;      /* NULL when not converted */
	uint32_t nodes_added;
	uint8_t result;          /* an hs_call_result */
	uint8_t error;
} hs_entry;
_Static_assert(sizeof(hs_entry) == 16, "a plan's entry is 16 bytes");

/* Public entries made on first use, HS_ENTRY_BLOCK at a time, kept until
 * the plan (or report) is freed: a block is published with one atomic
 * compare-and-swap, so threads reading one plan each get the same one. */
#define HS_ENTRY_BLOCK 1024
typedef struct hs_entry_blocks {
	_Atomic(hs_call_report *) *v;
	size_t n;
} hs_entry_blocks;

/* Fills e with entry i of owner (a plan or a report). */
typedef void (*hs_entry_fill_fn)(hs_call_report *e, const void *owner, size_t i);

int hs_entry_blocks_init(hs_entry_blocks *b, size_t n_entries);
/* Entry i (of n), its block made by fill on first use (entry.c); NULL
 * (hs_fail set) when out of memory.  The slots are not const in a const
 * owner: they are its cache, written once each. */
const hs_call_report *hs_entry_blocks_get(const hs_entry_blocks *b, size_t i, size_t n,
					  hs_entry_fill_fn fill, const void *owner);
void hs_entry_blocks_free(hs_entry_blocks *b);
/* hs_plan_entry_get and hs_report_entry_get (`what`): entry i of owner's
 * n filled on the stack, its first `size` bytes copied to out. */
int hs_entry_copy(hs_call_report *out, size_t size, size_t i, size_t n,
		  hs_entry_fill_fn fill, const void *owner, const char *what);

struct hs_plan {
	const hs_graph *g;
	uint64_t edits;          /* the graph's edit count when planned */
	const hs_callset *calls;
	hs_plan_options opts;
	hs_plan_call *pc;
	hs_entry *entries;
	const char **reasons;    /* per call, made by the first reason */
	hs_entry_blocks public_entries; /* hs_plan_entry's */
	size_t n;
	size_t converted, errors;
	int failed;              /* a problem could not be recorded */
	const char *aborted;     /* on-failure abort: why (a check failed) */
	const char *last_plugin_name; /* the registry's, and its copy */
	const char *last_plugin_copy;
	hs_arena arena;
};

/* Call i of the plan: the call set's of that ordinal (no copy per call). */
static inline const hs_call *hs_plan_call_of(const hs_plan *p, size_t i)
{
	return p->calls->calls[i];
}

/* Call i's problems: the call set's, then the plan's, as merged when
 * planned (n_merged: the set's count may have grown since). */
static inline const hs_problem *hs_plan_problems(const hs_plan *p, size_t i, size_t *n)
{
	const hs_call_rare *cr = hs_call_rare_of(hs_plan_call_of(p, i));
	const hs_plan_rare *r = p->pc[i].rare;
	if (!r || !r->merged) {
		*n = cr->n_problems;
		return cr->problems;
	}
	*n = r->n_merged;
	return r->merged;
}

/* The public entry of call i whose outcome is x (the plan's or a
 * report's), in caller's storage. */
void hs_entry_fill(hs_call_report *e, const hs_plan *p, size_t i, const hs_entry *x,
		   const char *reason);
/* The plan's entry i, as hs_plan_entry has it, without keeping it. */
static inline void hs_plan_entry_read(const hs_plan *p, size_t i, hs_call_report *e)
{
	hs_entry_fill(e, p, i, &p->entries[i], p->reasons ? p->reasons[i] : NULL);
}

/* The node of a kept id (the graph of the plan's call set). */
static inline hs_node *hs_plan_kept_node(const hs_plan *p, uint32_t id)
{
	return hs_callset_node(p->calls, id);
}

/* Records a problem of the plan on call i. */
int hs_plan_problemf(hs_plan *p, size_t i, hs_severity sev, const char *code,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* region.c: kept identities, regions, overlaps and region problems of
 * every usable call. */
int hs_regions_compute(hs_plan *p);

/* Appends a verdict to a trail in the plan's arena (explain). */
/* reason in hs_escape's printable form: the text itself when nothing
 * changes, else a copy in the plan's arena (problem.c). */
const char *hs_plan_printable(hs_plan *p, const char *reason);
void hs_plan_record_verdict(hs_plan *p, hs_verdict **trail, size_t *n, size_t *cap,
			    const char *plugin, int claims, const char *reason);

/* level2.c: for every usable level-2 call, its children's claims, the
 * body nodes to bring up, and its region cut to what the loop alone used
 * (before decisions: the region is final then). */
int hs_level2_plan(hs_plan *p);
/* The first child of level-2 call i that stops it (failed, kept or
 * refused by rule), or NULL when every child is claimed. */
const hs_l2_child *hs_level2_blocker(const hs_plan *p, size_t i);
/* Who converts level-2 call i: the children's claimers, "a,b" when they
 * differ (in the plan's arena); NULL on allocation failure. */
const char *hs_level2_plugins(hs_plan *p, size_t i);
/* Nodes the conversion of level-2 call i adds. */
size_t hs_level2_nodes_added(const hs_plan *p, size_t i);
void hs_level2_free(hs_plan *p);

/* cycles.c: on_cycle[i] is set for every candidate call whose stub would
 * close a cycle. */
int hs_cycles_find(const hs_plan *p, uint8_t *on_cycle);

/* The highest argument index of ascending operands, -1 when none. */
static inline int64_t hs_plan_max_index(const hs_operand *ops, size_t n)
{
	return n ? ops[n - 1].index : -1;
}

/* The number of nodes the generic stub of a call adds (apply's stub.c
 * builds exactly these). */
size_t hs_plan_stub_nodes(const hs_plan_options *opts, const hs_call *c);
/* Whether the dense layout needs the -1 `Const` for absent inputs. */
int hs_plan_needs_const(const hs_plan_options *opts, const hs_call *c);

#endif
