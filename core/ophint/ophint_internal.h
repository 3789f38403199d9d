/* OpHint discovery, regions and conversion: what the modules of the pass
 * share.  Private to libhintstub.
 *
 *   hints.c        discovery and validation of calls (hs_hints_find)
 *   region.c       each call's region, in one linear pass over the graph
 *   stub.c         the generic stub of one call, as edits of the graph
 *   pack_unpack.c  collapsing hint-made Pack/Unpack identity pairs
 *   convert.c      orchestration, report and its JSON form */
#ifndef HS_OPHINT_INTERNAL_H
#define HS_OPHINT_INTERNAL_H

#include "graph_internal.h"

/* Stable problem codes. */
#define HS_P_BAD_ATTR "bad-attr-type"
#define HS_P_FUNCTION_MISMATCH "function-mismatch"
#define HS_P_NO_INDEX "no-index"
#define HS_P_BAD_INDEX "bad-index"
#define HS_P_DUPLICATE_INDEX "duplicate-index"
#define HS_P_MIXED "mixed-single-aggregate"
#define HS_P_AGGREGATE_MISMATCH "aggregate-mismatch"
#define HS_P_UNKNOWN_AGGREGATE "unknown-aggregate"
#define HS_P_SORT_DUPLICATE "sort-duplicate"
#define HS_P_SORT_GAP "sort-gap"
#define HS_P_NO_INPUTS "no-inputs"
#define HS_P_NO_OUTPUTS "no-outputs"
#define HS_P_INTERIOR_ESCAPE "interior-escape"
#define HS_P_SIDE_INPUT "unhinted-side-input"
#define HS_P_LEVEL2 "level-2"
#define HS_P_INPUT_IS_OUTPUT "input-is-output"
#define HS_P_ALREADY_CONVERTED "already-converted"
#define HS_P_CYCLE "cycle"
#define HS_P_BAD_UUID "bad-uuid"

/* Largest argument index accepted: the dense layout makes that many
 * stub inputs. */
#define HS_MAX_ARG_INDEX 4096

/* Per-call data the pass needs beyond the public hs_call. */
typedef struct hs_call_plan {
	hs_node **kept_inputs;   /* flattened kept input identities */
	size_t n_kept_inputs;
	hs_node **kept_outputs;  /* flattened kept output identities */
	size_t n_kept_outputs;
	hs_node **identities;    /* every hint identity of the call */
	size_t n_identities;
	size_t *overlaps;        /* ordinals of calls whose regions overlap */
	size_t n_overlaps, cap_overlaps;
	hs_problem *problems;    /* hs_call.problems, growable */
	size_t cap_problems;
	hs_node **interior;      /* hs_call.interior, growable */
	size_t cap_interior;
	int region_done;         /* region computed (level 1, sane operands) */
	int structural_errors;   /* operands unusable: no region computed */
	int already_converted;   /* the stub is there: nothing to do */
} hs_call_plan;

struct hs_hints {
	const hs_graph *g;
	hs_find_options opts;
	hs_call *calls;
	hs_call_plan *plans;
	size_t n_calls;
	hs_problem *global;       /* problems not tied to one call */
	size_t n_global, cap_global;
	/* Storage: every allocation the result owns, freed together. */
	void **blocks;
	size_t n_blocks, cap_blocks;
	char *arena;              /* current chunk of hs_hints_alloc */
	size_t arena_left;
};

/* Memory owned by h (freed by hs_hints_free). */
void *hs_hints_alloc(hs_hints *h, size_t size);
char *hs_hints_printf(hs_hints *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends a problem to call c (NULL: a graph-level problem). */
int hs_hints_problem(hs_hints *h, hs_call *c, hs_severity sev,
		     const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* region.c: computes interior, overlaps and region problems of every
 * level-1 call whose operands are usable. */
int hs_regions_compute(hs_hints *h);

/* cycles.c: on_cycle[i] (n_calls entries) is set for every accepted call
 * whose stub would close a cycle. */
int hs_cycles_find(hs_hints *h, const int *accepted, int *on_cycle);

/* The hint attributes an identity may carry (strip_hints removes them). */
extern const char *const hs_hint_attr_keys[];
extern const size_t hs_hint_attr_key_count;

#endif
