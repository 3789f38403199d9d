/* Carrying out a level-2 call, in the two phases of a level-1 one: build
 * (copies, stubs, plugins' emits: undone by removing the nodes added
 * since) and finish (rewiring, removing the loop's region).  Private to
 * libhintstub. */
#ifndef HS_APPLY_CHAIN_H
#define HS_APPLY_CHAIN_H

#include "stub.h"

typedef struct hs_l2_build {
	hs_stub_ctx *ctx;
	const hs_plan *plan;
	const hs_plan_call *pc;
	const hs_call *call;       /* the level-2 call */
	hs_node **top;             /* by body node id: its top-level copy */
	hs_node *last_copy;        /* copies are written in body order */
	hs_callset *calls;         /* the children as top-level calls */
	hs_call **tops;            /* child j's top-level call */
	hs_node **stubs;           /* child j's stub */
	size_t failed_child;       /* whose emit failed; SIZE_MAX: none */
	hs_region none;            /* the children's (empty) top-level regions */
} hs_l2_build;

/* Phase 1 of call i of plan: brings the body nodes up, builds each
 * child's stub and lets its plugin finish it.  On failure the caller
 * rolls back every node added since (hs_stub_rollback). */
int hs_level2_build(hs_l2_build *b, hs_stub_ctx *ctx, const hs_plan *plan, size_t i);
/* Phase 2: output identities rewired to the stubs, the region removed. */
int hs_level2_finish(hs_l2_build *b);
void hs_level2_build_free(hs_l2_build *b);

#endif
