/* The plan's layout, for the layers above it (apply, report).  Private to
 * libhintstub.
 *
 *   problem.c the plan's problems of a call
 *   region.c  each call's region, in time linear in the regions' size
 *   cycles.c  would the planned stubs close a cycle?
 *   plan.c    the plan: decisions per call, claims, overlaps, cycles */
#ifndef HS_PLAN_INTERNAL_H
#define HS_PLAN_INTERNAL_H

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
} hs_plan_rare;

/* What the plan knows of one call: 80 bytes (was 208, then 104), a plan
 * has one per call.  Counts are 32-bit, flags bytes, and what few calls
 * have is in `rare`. */
typedef struct hs_plan_call {
	const hs_call *call;
	uint32_t *kept_inputs;   /* node ids: the elements the stub reads,
				    then the identities rewired to the stub,
				    one block (hs_plan_kept_outputs) */
	hs_region region;        /* the nodes the stub replaces */
	const void *plugin;      /* the registry's handle of the claimer */
	void *claim_data;        /* what its check stored; freed with the plan */
	hs_plan_rare *rare;      /* NULL: none of it */
	uint32_t n_kept_inputs, n_kept_outputs;
	int priority;
	uint8_t claim;           /* an hs_claim_kind */
	uint8_t usable;          /* operands sane: a region was computed */
	uint8_t candidate;       /* still to be converted */
	uint8_t decided;         /* its outcome is set (not converted) */
	uint8_t refused;         /* its stub would close a cycle */
} hs_plan_call;
_Static_assert(sizeof(hs_plan_call) == 80, "a plan's call is 80 bytes");

/* The identities a call's stub rewires: after its kept inputs. */
static inline uint32_t *hs_plan_kept_outputs(const hs_plan_call *pc)
{
	return pc->kept_inputs + pc->n_kept_inputs;
}

/* The node of a kept id (the graph of the call's set). */
static inline hs_node *hs_plan_kept_node(const hs_plan_call *pc, uint32_t id)
{
	return hs_callset_node(pc->call->set, id);
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

struct hs_plan {
	const hs_graph *g;
	uint64_t edits;          /* the graph's edit count when planned */
	const hs_callset *calls;
	hs_plan_options opts;
	hs_plan_call *pc;
	hs_call_report *entries;
	size_t n;
	size_t converted, errors;
	int failed;              /* a problem could not be recorded */
	const char *aborted;     /* on-failure abort: why (a check failed) */
	const char *last_plugin_name; /* the registry's, and its copy */
	const char *last_plugin_copy;
	hs_arena arena;
};

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
int hs_cycles_find(const hs_plan *p, int *on_cycle);

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
