/* The seam between the pass (core/plan asks who claims each call,
 * core/apply lets the claimer emit) and the plugin registry
 * (core/host/registry.c).  Private to libhintstub.
 *
 * Per call the plan asks the registry who claims it (before touching the
 * graph); apply builds the generic stub node with its inputs (and any Pack it
 * needs), then lets the claiming plugin finish or reshape that stub.  Only
 * after the plugin succeeded are outputs rewired and the interior removed,
 * so when a plugin fails on one call the pass removes every node added
 * since the call started and the call's region is untouched.  Nodes that
 * already existed cannot be edited from emit: apply guards them
 * (emit_guard.h) and the host table's editing functions refuse them. */
#ifndef HS_DISPATCH_H
#define HS_DISPATCH_H

#include "hintstub/hintstub.h"
#include "hintstub/plugin.h"

typedef enum hs_claim_kind {
	HS_CLAIM_GENERIC = 0, /* no plugin: the generic stub, as TF makes it */
	HS_CLAIM_PLUGIN = 1,  /* a plugin claimed it; see plugin */
	HS_CLAIM_KEEP = 2,    /* rules say leave the call as it is */
	HS_CLAIM_ERROR = 3,   /* rules say an unclaimed call is an error */
	HS_CLAIM_FAILED = 4   /* a plugin's check failed: reason says why */
} hs_claim_kind;

#define HS_CLAIM_REASON_MAX 512

typedef struct hs_claim {
	hs_claim_kind kind;
	const char *plugin_name;  /* static or registry-owned; NULL: generic */
	int priority;             /* decides between overlapping calls */
	const void *plugin;       /* registry's handle of the claiming plugin */
	void *data;               /* what the claimer's check stored for emit */
	char reason[HS_CLAIM_REASON_MAX]; /* KEEP/ERROR/FAILED, or why none matched */
} hs_claim;

typedef enum hs_failure_policy {
	HS_ON_FAILURE_SKIP = 0,   /* leave that call unconverted, report it */
	HS_ON_FAILURE_ABORT = 1   /* the whole conversion fails */
} hs_failure_policy;

typedef enum hs_overlap_policy {
	HS_OVERLAP_PRIORITY = 0,  /* higher claim priority wins, then first call */
	HS_OVERLAP_ERROR = 1      /* overlapping regions fail the conversion */
} hs_overlap_policy;

/* The four seam functions are exported from the shared library (though
 * declared in no public header) so that tests/check_plugins.c can drive
 * the registry the way the conversion pass does.  Not API. */

/* Who converts `call` (whose region is `region`).  r may be NULL (every
 * call generic).  Never edits the graph.  When `trail` is not NULL it is
 * told, for every plugin asked in order, whether it claims and why not:
 * the same loop that decides, so `explain` and the claim cannot differ. */
typedef hs_explain_fn hs_trail_fn;
HS_EXTERN int hs_registry_claim(hs_claim *out, const hs_registry *r,
				const hs_graph *g, const hs_call *call,
				const hs_region *region, hs_trail_fn trail,
				void *payload);

/* A check that fails (or returns a verdict other than claim/decline)
 * gives HS_CLAIM_FAILED with the plugin's message in `reason`, whatever
 * the on-failure rule: the plan applies the rule, as apply does for emit.
 * A claim's `data` belongs to the caller from then on: release it with
 * hs_registry_free_claim. */
HS_EXTERN void hs_registry_free_claim(const void *plugin, void *data);

/* Lets the claiming plugin finish `stub` (already named, op set, inputs
 * wired), handing it claim->data.  A failure has set hs_error_last(). */
HS_EXTERN int hs_registry_emit(const hs_registry *r, const hs_claim *claim,
			       hs_graph *g, const hs_call *call,
			       const hs_region *region, hs_node *stub);

HS_EXTERN hs_failure_policy hs_registry_failure_policy(const hs_registry *r);
HS_EXTERN hs_overlap_policy hs_registry_overlap_policy(const hs_registry *r);

#endif
