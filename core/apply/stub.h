/* The generic stub of one call, built as edits of the indexed graph.
 * Private to libhintstub. */
#ifndef HS_STUB_H
#define HS_STUB_H

#include "plan_internal.h"

/* Nodes a conversion created: the hint-made Pack/Unpack nodes the
 * clean-up pass looks at. */
typedef struct hs_node_list {
	hs_node **v;
	size_t n, cap;
} hs_node_list;

int hs_node_list_push(hs_node_list *l, hs_node *n);
void hs_node_list_free(hs_node_list *l);

typedef struct hs_stub_ctx {
	hs_graph *g;
	const hs_plan_options *opts;
	hs_node_list packs;    /* OpHintStack Packs of every converted call */
	hs_node_list unpacks;  /* OpHintUnstack Unpacks */
	char *name_buf;        /* scratch for unique names */
	size_t name_cap;
	/* Scratch of hs_stub_build, reused from call to call. */
	hs_output_ref *refs;   /* the stub's inputs */
	size_t cap_refs;
	int64_t *ints;         /* input indices */
	size_t cap_ints;
	int *types;            /* output types */
	size_t cap_types;
	char *op_buf;          /* the function name, terminated */
	size_t op_cap;
	hs_node **doomed;      /* a region's nodes (hs_stub_remove_region) */
	size_t cap_doomed;
} hs_stub_ctx;

/* Frees the context's lists and scratch (not the context). */
void hs_stub_ctx_free(hs_stub_ctx *ctx);

/* prefix + base, or with `_1`, `_2`... appended when taken: a name no
 * node has.  Valid until the next call on ctx; NULL (hs_fail set) on
 * failure. */
const char *hs_stub_unique_name(hs_stub_ctx *ctx, const char *prefix, hs_str base);

/* Where a call's stub is written: after the latest original node among
 * its kept inputs (every element of a stacked input when every_element,
 * as the plan keeps them; else the kept element of each input), NULL when
 * none is original. */
hs_node *hs_stub_anchor(const hs_call *c, int every_element);
/* Phase 1: adds the optional-input Const, the Packs and the stub node,
 * wired to the call's inputs and written after `after` (hs_stub_anchor);
 * *stub_out gets the stub.  The caller rolls back with hs_stub_rollback:
 * every node added since is the call's. */
int hs_stub_build(hs_stub_ctx *ctx, const hs_call *c, hs_node *after,
		  hs_node **stub_out);
/* Removes a region's nodes (of ctx->g) in one batch: the region holds
 * ids, hs_graph_remove_nodes takes the nodes. */
int hs_stub_remove_region(hs_stub_ctx *ctx, const hs_region *r);
/* Phase 2 (after the plugin succeeded): rewires the output identities to
 * the stub, adds the Unpacks and removes the interior. */
int hs_stub_finish(hs_stub_ctx *ctx, const hs_call *c, const hs_region *region,
		   hs_node *stub);
/* Removes every node added to the graph since it had `first_new` new
 * nodes (newest first): the stub's and any a plugin added. */
void hs_stub_rollback(hs_stub_ctx *ctx, size_t first_new);

/* Collapses hint-made Pack/Unpack identity pairs; *removed gets the
 * number of nodes removed. */
int hs_pack_unpack_collapse(size_t *removed, hs_stub_ctx *ctx);

#endif
