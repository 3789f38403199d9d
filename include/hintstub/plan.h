/*
 * The conversion pass in three steps, each usable on its own:
 *
 *   hs_discover (ophint.h)  graph -> call set        reads the graph
 *   hs_plan_new             call set -> plan         reads the graph
 *   hs_apply                plan -> edited graph     edits the graph
 *
 * The plan decides every call's fate before anything changes: its region
 * (the nodes a stub replaces), the problems found on the way (interior
 * escapes, cycles, overlaps), which plugin claims it and why the others
 * do not.  `inspect`, `explain`, the report and the conversion all read
 * the same plan, so they cannot disagree.  hs_convert runs the three.
 * Include <hintstub/hintstub.h>.
 */
#ifndef HINTSTUB_PLAN_H
#define HINTSTUB_PLAN_H

#include <hintstub/calls.h>
#include <hintstub/graph.h>
#include <hintstub/ophint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hs_registry hs_registry; /* plugins + rules: plugin.h */
typedef struct hs_plan hs_plan;
typedef struct hs_report hs_report;

typedef enum hs_policy {
	HS_POLICY_ERROR = 0,  /* the call is not converted; an error is reported */
	HS_POLICY_WARN = 1,   /* converted anyway, with a warning */
	HS_POLICY_IGNORE = 2  /* converted silently (TensorFlow's behaviour) */
} hs_policy;

typedef enum hs_input_layout {
	/* Newest TensorFlow: inputs dense 0..max, a -1 `Const` at each absent
	 * index; _tflite_input_indices lists the present ones. */
	HS_LAYOUT_DENSE = 0,
	/* Older TensorFlow: only the present inputs, in index order. */
	HS_LAYOUT_PRESENT = 1
} hs_input_layout;

typedef enum hs_call_result {
	HS_CALL_CONVERTED = 0, /* replaced by a stub (in a plan: will be) */
	HS_CALL_KEPT = 1,      /* left as it was, by rule or by choice */
	HS_CALL_SKIPPED = 2,   /* not converted because of a problem */
	HS_CALL_FAILED = 3     /* its plugin failed; the call was left as it was */
} hs_call_result;

HS_EXTERN const char *hs_call_result_name(hs_call_result r);

/* ------------------------------------------------------------------ plan */

#define HS_PLAN_OPTIONS_VERSION 1
typedef struct hs_plan_options {
	unsigned int version;        /* HS_PLAN_OPTIONS_VERSION */
	/* A node inside a region read by a node outside it (TF silently
	 * drops such readers or leaves them dangling). */
	hs_policy interior_escape;
	/* A node kept in the graph (it has readers outside) that the region's
	 * interior reads without an input hint. */
	hs_policy unhinted_side_input;
	hs_input_layout input_layout;
	/* Reproduce TensorFlow's output exactly where it is wrong:
	 * _output_types 0 for non-stacked outputs, a stacked argument of one
	 * element still packed, etc.  Default 0: correct values. */
	int tf_exact;
	/* NULL: every call gets the generic stub.  Borrowed; must outlive
	 * the plan. */
	const hs_registry *registry;
	/* Record why each plugin did or did not claim each call, for
	 * hs_plan_explain (costs a reason per plugin and call). */
	int explain;
	uint32_t reserved[8];
} hs_plan_options;
#define HS_PLAN_OPTIONS_INIT \
	{ HS_PLAN_OPTIONS_VERSION, HS_POLICY_ERROR, HS_POLICY_WARN, \
	  HS_LAYOUT_DENSE, 0, NULL, 0, { 0 } }
HS_EXTERN int hs_plan_options_init(hs_plan_options *opts, unsigned int version);

/** What happens (in a plan: will happen) to one call.  Read-only; fields
 * are only ever appended. */
typedef struct hs_call_report {
	hs_str function;
	hs_str uuid;
	hs_call_result result;
	const char *plugin;    /* who converts it: a plugin name, "generic",
				  or NULL when it is not converted */
	size_t nodes_removed;
	size_t nodes_added;
	const char *reason;    /* why kept / skipped / failed; NULL otherwise */
	int error;             /* the outcome counts as an error: skipped for
				  an error-severity problem, refused by the
				  rules, or its plugin's check or emit failed
				  under `on-failure abort` (under `skip` a
				  failed call is a warning: error 0) */
	size_t n_problems;     /* the detector's and the plan's problems */
	const hs_problem *problems;
	size_t ordinal;        /* the call's position in the call set */
} hs_call_report;

/** Plans the conversion of every call of `calls` (whose graph is g).
 * Only reads g and calls: several threads may plan on one graph.  Plugin
 * `check` callbacks run here.  A call with problems is planned as
 * skipped, never a reason to fail; a call whose plugin's check fails is
 * planned as failed (an error under `on-failure abort`, and hs_apply then
 * refuses the plan).  The function fails on invalid arguments, memory
 * exhaustion or overlapping regions under `overlap error`.  The plan borrows g,
 * calls and the registry; free it before them.  opts may be NULL. */
HS_EXTERN int hs_plan_new(hs_plan **out, const hs_graph *g,
			  const hs_callset *calls, const hs_plan_options *opts);
HS_EXTERN void hs_plan_free(hs_plan *p);
HS_EXTERN const hs_callset *hs_plan_calls(const hs_plan *p);
/** Entries, one per call of the set, in its order.  The plan makes the
 * entry (a block of 1,024 of them) the first time one is asked for and
 * keeps it until hs_plan_free; NULL when i is out of range or memory ran
 * out. */
HS_EXTERN size_t hs_plan_count(const hs_plan *p);
HS_EXTERN const hs_call_report *hs_plan_entry(const hs_plan *p, size_t i);
/** Entry i copied into *out (its first `size` bytes: sizeof *out as the
 * caller was built), without the plan making or keeping one: for a
 * caller that reads every entry once.  Its pointers are borrowed from the
 * plan as hs_plan_entry's are.  HS_EINVAL when i is out of range. */
HS_EXTERN int hs_plan_entry_get(const hs_plan *p, size_t i, hs_call_report *out,
				size_t size);
/** The region computed for call i: the nodes its conversion removes
 * (empty when no region could be computed; a call that is not converted,
 * e.g. kept by rule, still shows what it would have removed). */
HS_EXTERN const hs_region *hs_plan_region(const hs_plan *p, size_t i);
/** Number of calls planned as converted, and of error outcomes. */
HS_EXTERN size_t hs_plan_converted(const hs_plan *p);
HS_EXTERN size_t hs_plan_errors(const hs_plan *p);

/** Why each plugin did or did not claim call i: `fn` gets, for every
 * plugin in order until one claims, its name, whether it claims, and the
 * reason it declined.  Needs a plan made with opts.explain (HS_EINVAL
 * otherwise).  Strings are borrowed for the duration of the callback. */
typedef void (*hs_explain_fn)(const char *plugin, int claims,
			      const char *reason, void *payload);
HS_EXTERN int hs_plan_explain(const hs_plan *p, size_t i, hs_explain_fn fn,
			      void *payload);

/** Level-2 calls (hs_call_child): who converts child k of call i, a
 * plugin name or "generic", or NULL when the child is not claimed (or i
 * has no planned children).  Borrowed from the plan. */
HS_EXTERN const char *hs_plan_child_plugin(const hs_plan *p, size_t i, size_t k);
/** The same as hs_plan_explain for child k of level-2 call i: every
 * plugin asked about the child, in order, until one claimed it. */
HS_EXTERN int hs_plan_explain_child(const hs_plan *p, size_t i, size_t k,
				    hs_explain_fn fn, void *payload);

/* ----------------------------------------------------------------- apply */

#define HS_APPLY_OPTIONS_VERSION 1
typedef struct hs_apply_options {
	unsigned int version;   /* HS_APPLY_OPTIONS_VERSION */
	/* Remove hint attributes from the identities that stay. */
	int strip_hints;
	/* Leave hint-made Pack/Unpack pairs in place. */
	int keep_pack_unpack;
	/* Compute the report, change nothing. */
	int dry_run;
	/* The result is verified where the conversion changed it (new and
	 * edited nodes, readers of removed nodes, cycles through new edges),
	 * trusting the rest as it was given: verify the input first
	 * (hs_graph_verify), as the command does.  Set: verify the whole
	 * result, which also reports what was wrong before. */
	uint32_t verify_all;
	/* Drop the library's functions nothing refers to any more (a
	 * converted loop's body and cond), after the conversion. */
	int prune_library;
	uint32_t reserved[6];
} hs_apply_options;
#define HS_APPLY_OPTIONS_INIT { HS_APPLY_OPTIONS_VERSION, 0, 0, 0, 0, 0, { 0 } }
HS_EXTERN int hs_apply_options_init(hs_apply_options *opts, unsigned int version);

/** Carries out the plan on g (the graph it was made for, unchanged since):
 * builds each planned stub, lets its plugin finish it, rewires the
 * outputs, removes the regions, collapses hint-made Pack/Unpack pairs and
 * verifies the result.  On success *report_out (may be NULL) says what
 * happened to each call; it borrows from the plan: free it first.  On a
 * failure callers must not write g.  When a plugin failed under
 * `on-failure abort` (in check or emit) it returns HS_EPLUGIN and still
 * sets *report_out: the failed call's entry says why, no call counts as
 * converted. */
HS_EXTERN int hs_apply(hs_report **report_out, hs_graph *g, const hs_plan *plan,
		       const hs_apply_options *opts);

/* --------------------------------------------------------------- convert */

#define HS_CONVERT_OPTIONS_VERSION 2
typedef struct hs_convert_options {
	unsigned int version;   /* HS_CONVERT_OPTIONS_VERSION */
	hs_discover_options discover;
	hs_plan_options plan;
	hs_apply_options apply;
	uint32_t reserved[8];
} hs_convert_options;
#define HS_CONVERT_OPTIONS_INIT                                          \
	{ HS_CONVERT_OPTIONS_VERSION, HS_DISCOVER_OPTIONS_INIT,          \
	  HS_PLAN_OPTIONS_INIT, HS_APPLY_OPTIONS_INIT, { 0 } }
HS_EXTERN int hs_convert_options_init(hs_convert_options *opts,
				      unsigned int version);

/** Discovers, plans and applies: converts every OpHint call of g.  The
 * report (may be NULL) owns its call set and plan and borrows from g:
 * free it before g.  A call with error-severity problems is skipped
 * (reported with error set), never a reason to fail: callers decide (the
 * CLI writes nothing).  On a failure callers must not write g; under
 * `on-failure abort` a plugin failure still gives the report (hs_apply). */
HS_EXTERN int hs_convert(hs_report **report_out, hs_graph *g,
			 const hs_convert_options *opts);

/* ---------------------------------------------------------------- report */

HS_EXTERN size_t hs_report_count(const hs_report *r);
/** Entries and problems are borrowed from r (valid until hs_report_free). */
HS_EXTERN const hs_call_report *hs_report_entry(const hs_report *r, size_t i);
/** hs_plan_entry_get for a report's entry. */
HS_EXTERN int hs_report_entry_get(const hs_report *r, size_t i, hs_call_report *out,
				  size_t size);
HS_EXTERN size_t hs_report_converted(const hs_report *r);
/** Number of calls whose outcome is an error (hs_call_report.error). */
HS_EXTERN size_t hs_report_errors(const hs_report *r);
/** Graph-level problems (hs_callset_problem). */
HS_EXTERN size_t hs_report_problem_count(const hs_report *r);
HS_EXTERN const hs_problem *hs_report_problem(const hs_report *r, size_t i);
/** Nodes removed by collapsing Pack/Unpack pairs (not in any call). */
HS_EXTERN size_t hs_report_pack_unpack_removed(const hs_report *r);
/** True when the report comes from a dry run (the graph is unchanged). */
HS_EXTERN int hs_report_dry_run(const hs_report *r);
/** The plan the report carried out. */
HS_EXTERN const hs_plan *hs_report_plan(const hs_report *r);
/** Renders the report as JSON text (owned by the caller, hs_free). */
HS_EXTERN int hs_report_to_json(char **out, const hs_report *r);
/** Renders what `hintstub inspect --json` prints: the graph's node and op
 * counts and every call of the plan with its operands, problems and
 * planned outcome (owned by the caller, hs_free). */
HS_EXTERN int hs_plan_to_json(char **out, const hs_plan *p);
/** The same as the text `hintstub inspect` prints (owned by the caller,
 * hs_free). */
HS_EXTERN int hs_plan_to_text(char **out, const hs_plan *p);
/** Receives rendered text in order, a slice at a time (data is not
 * NUL-terminated and is only valid during the call).  0 goes on; any
 * other value stops the rendering, which then fails with HS_EIO. */
typedef int (*hs_write_fn)(const char *data, size_t len, void *payload);
/** hs_plan_to_json and hs_plan_to_text, the same bytes handed to fn in
 * slices of about 64 KiB instead of one string: a plan of many calls is
 * never held whole in memory (`hintstub inspect` prints with these). */
HS_EXTERN int hs_plan_write_json(const hs_plan *p, hs_write_fn fn, void *payload);
HS_EXTERN int hs_plan_write_text(const hs_plan *p, hs_write_fn fn, void *payload);
/** hs_plan_write_text with a second thread of the library's own rendering
 * every other block of 1,024 calls while this one renders the rest, for
 * plans of 8,192 calls and more: the same bytes, in the same order, fn called from this thread
 * only, memory for two blocks' text.  Fewer calls, or a thread that cannot
 * start, render as hs_plan_write_text.  hs_plan_write_text starts no
 * thread. */
HS_EXTERN int hs_plan_write_text_parallel(const hs_plan *p, hs_write_fn fn,
					  void *payload);
/** hs_plan_new, then hs_plan_write_text_parallel of the plan (`hintstub
 * inspect` on a multi-core machine), the part of the text that needs no
 * plan (each call's head up to its interior's size, and its operand
 * lines: most of the bytes) rendered by a second thread of the library's
 * own while this one plans: the same bytes, fn called from this thread
 * only, once the plan is made and in *out (fn may read it).  Fewer than
 * 8,192 calls, or a thread that cannot start, plan and render as the two
 * calls do.  g and calls are only read (by both threads).  Memory: the
 * text that needs no plan, held until it is written, up to 32 MiB (of
 * 37.7 MB on 60,000 calls of 940,000 nodes: the calls after it are
 * rendered once the plan is made).
 *
 * *out is the plan (owned by the caller: hs_plan_free) whenever planning
 * succeeded, also when the writing then failed (HS_EIO when fn stopped
 * it, HS_ENOMEM); NULL when planning failed, with hs_plan_new's code and
 * fn never called. */
HS_EXTERN int hs_plan_new_write_text(hs_plan **out, const hs_graph *g,
				     const hs_callset *calls, const hs_plan_options *opts,
				     hs_write_fn fn, void *payload);
HS_EXTERN void hs_report_free(hs_report *r);

/* ------------------------------------------------------------------ draw */
/* Pictures of a plan (`hintstub draw`): Graphviz DOT text, and an HTML
 * page around a picture.  Every name is escaped (DOT and HTML); labels
 * are cut to a readable length. */

typedef enum hs_draw_mode {
	HS_DRAW_AUTO = 0,    /* whole up to max_nodes nodes, else summarised */
	HS_DRAW_FULL = 1,    /* every node */
	HS_DRAW_SUMMARY = 2  /* a call is one box, other nodes counted groups */
} hs_draw_mode;

#define HS_DRAW_DEFAULT_MAX_NODES 2000
#define HS_DRAW_OPTIONS_VERSION 1
typedef struct hs_draw_options {
	unsigned int version;    /* HS_DRAW_OPTIONS_VERSION */
	hs_draw_mode mode;
	/* HS_DRAW_AUTO draws graphs of more nodes summarised (0: the
	 * default, HS_DRAW_DEFAULT_MAX_NODES). */
	size_t max_nodes;
	/* The converted graph (the conversion's OUT), or NULL: each call
	 * also shows the stub it became (the node named after its uuid),
	 * with its inputs and the readers of its ports.  Borrowed. */
	const hs_graph *after;
	/* A call's uuid or a unique prefix of one: that call is drawn
	 * whole, the rest summarised.  NULL: none. */
	const char *detail;
	uint32_t reserved[8];
} hs_draw_options;
#define HS_DRAW_OPTIONS_INIT \
	{ HS_DRAW_OPTIONS_VERSION, HS_DRAW_AUTO, 0, NULL, NULL, { 0 } }
HS_EXTERN int hs_draw_options_init(hs_draw_options *opts, unsigned int version);

/** The plan as a Graphviz `digraph` (owned by the caller, hs_free): each
 * call a cluster labelled with its function, short uuid and planned
 * result, coloured by it, its hint identities on the cluster's edges
 * (input identities at the top, output identities at the bottom), its
 * region inside; or, summarised, one box per call and counted groups of
 * the other nodes by name scope.  Output size is bounded in summary mode
 * whatever the graph's size.  HS_ENOTFOUND when opts->detail names no
 * call, HS_EINVAL when it names several.  opts may be NULL. */
HS_EXTERN int hs_plan_to_dot(char **out, const hs_plan *p,
			     const hs_draw_options *opts);
/** A self-contained HTML page (no external reference; owned by the
 * caller, hs_free): the picture, then a table of calls (function, uuid,
 * plugin, result, reason, nodes removed, and `explain`'s verdicts when
 * the plan was made with opts.explain) filtered by a search box.  `svg`
 * is the picture Graphviz drew from `dot` (trusted markup, inlined; its
 * XML prolog and namespace declarations are dropped), or NULL: the page
 * then shows the DOT text with a note saying how to get the picture. */
HS_EXTERN int hs_plan_to_html(char **out, const hs_plan *p, const char *dot,
			      const char *svg, const hs_draw_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* HINTSTUB_PLAN_H */
