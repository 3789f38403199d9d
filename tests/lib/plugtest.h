/* Helpers for the plugin and rule suites: staging plugin files into
 * private directories, and building hs_call values by hand (the tests do
 * not need the hint finder for signature matching). */
#ifndef HS_PLUGTEST_H
#define HS_PLUGTEST_H

#include "calls_internal.h"
#include "dispatch.h"
#include "hintstub/plugin.h"

#define PT_MAX_ARGS 32
#define PT_MAX_REGION 16

typedef struct pt_call {
	hs_call call;
	hs_region region;   /* what the plan would hand plugins */
	hs_operand in[PT_MAX_ARGS];
	hs_operand out[PT_MAX_ARGS];
	/* pt_region's block: the region's graph and ids */
	_Alignas(hs_region_block) unsigned char region_mem[sizeof(hs_region_block) +
							  PT_MAX_REGION * sizeof(uint32_t)];
} pt_call;

void pt_call_init(pt_call *c, const char *function, const char *uuid);
/* c's region: the given nodes of g (at most PT_MAX_REGION), as the plan
 * would hand it to plugins. */
void pt_region(pt_call *c, const hs_graph *g, hs_node *const *nodes, size_t n);
/* Arguments must be added in ascending index order. */
void pt_input(pt_call *c, int64_t index, hs_aggregation agg);
void pt_output(pt_call *c, int64_t index, hs_aggregation agg);
/* hs_registry_claim with a trail: what each plugin says of the call. */
int pt_explain(const hs_registry *r, const hs_graph *g, const pt_call *c,
	       hs_explain_fn fn, void *payload);
/* hs_registry_claim keeping the claim's data until the next pt_claim or
 * pt_registry_free, which releases it (the plan's job outside tests). */
int pt_claim(hs_claim *out, const hs_registry *r, const hs_graph *g, const hs_call *call,
	     const hs_region *region, hs_trail_fn trail, void *payload);
void pt_registry_free(hs_registry *r);
/* The TFLiteLSTMCell hint layout, without peepholes/projection. */
void pt_lstm_call(pt_call *c, const char *uuid, int cifg);

/* Private directories live under one base made by pt_begin() (before
 * srunner_run_all, so forked tests share it) and removed by pt_end(). */
void pt_begin(void);
void pt_end(void);
/* A fresh empty 0700 directory under the base; caller frees the string. */
char *pt_tmpdir(void);

/* Copies a built plugin into dir as NAME.so with `mode`; returns the new
 * path (caller frees).  which: "tests" for tests/plugins, or a built-in. */
char *pt_stage(const char *dir, const char *which, const char *name, int mode);
/* A fresh private directory with the named plugins staged (0755). */
char *pt_stage_dir(const char *which, const char *const *names);

#endif
