/*
 * OpHint discovery and conversion: the public half of libhintstub that
 * finds `_tflite_function_*` hint identities, groups them into calls and
 * replaces each call's region by a stub node.  Included by
 * <hintstub/hintstub.h>; compiles on its own too.
 */
#ifndef HINTSTUB_OPHINT_H
#define HINTSTUB_OPHINT_H

#include <hintstub/hintstub.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Attribute names written by TensorFlow (facts of the format). */
#define HS_ATTR_FUNCTION_NAME "_tflite_function_name"
#define HS_ATTR_FUNCTION_UUID "_tflite_function_uuid"
#define HS_ATTR_INPUT_INDEX "_tflite_function_input_index"
#define HS_ATTR_OUTPUT_INDEX "_tflite_function_output_index"
#define HS_ATTR_SORT_INDEX "_tflite_function_sort_index"
#define HS_ATTR_AGGREGATE "_tflite_function_aggregate"
#define HS_ATTR_LEVEL "_tflite_ophint_level"
#define HS_ATTR_CHILDREN_MAPPING "_tflite_children_ophint_inputs_mapping"
#define HS_ATTR_STUB_INPUT_INDICES "_tflite_input_indices"
#define HS_ATTR_STUB_OUTPUT_TYPES "_output_types"
#define HS_ATTR_STUB_OUTPUT_QUANTIZED "_output_quantized"

typedef enum hs_aggregation {
	HS_AGG_SINGLE = 0, /* untagged argument: one identity */
	HS_AGG_STACK = 1,  /* all elements, packed on axis 0 */
	HS_AGG_FIRST = 2,  /* element 0 only */
	HS_AGG_LAST = 3    /* the final element only */
} hs_aggregation;

HS_EXTERN const char *hs_aggregation_name(hs_aggregation a);

/** One argument (input or output) of a call.  Read-only. */
typedef struct hs_operand {
	int64_t index;              /* argument index, 0..4096 */
	hs_aggregation aggregation;
	size_t count;               /* number of elements */
	hs_node *const *nodes;      /* hint identities in sort-index order */
	int dtype;                  /* the `T` of element 0, 0 if absent */
} hs_operand;

typedef enum hs_severity {
	HS_SEVERITY_NOTE = 0,
	HS_SEVERITY_WARNING = 1,
	HS_SEVERITY_ERROR = 2
} hs_severity;

/** A problem found while validating a call. */
typedef struct hs_problem {
	hs_severity severity;
	const char *code;    /* stable short id, e.g. "sort-gap" */
	const char *message; /* one line, names the nodes at fault */
} hs_problem;

/** One OpHint call: all identities sharing a uuid.  Read-only; fields are
 * only ever appended in later versions. */
typedef struct hs_call {
	hs_str function;          /* _tflite_function_name: the stub's op */
	hs_str uuid;              /* _tflite_function_uuid: the stub's name */
	int64_t level;            /* _tflite_ophint_level, 0 when absent */
	hs_str children_mapping;  /* JSON text, empty when absent */
	size_t n_inputs;
	const hs_operand *inputs;  /* ascending index */
	size_t n_outputs;
	const hs_operand *outputs; /* ascending index */
	size_t n_problems;
	const hs_problem *problems;
	/* Nodes a conversion removes: what the outputs are computed from,
	 * up to the kept input identities, minus every node also read from
	 * outside the region (those stay, with what they read).  Empty for
	 * calls with structural errors, level >= 2 or already converted. */
	size_t n_interior;
	hs_node *const *interior;  /* in creation order (graph order for
				      loaded nodes) */
	size_t ordinal;            /* position in discovery order */
} hs_call;

typedef struct hs_hints hs_hints;

typedef enum hs_policy {
	HS_POLICY_ERROR = 0,  /* the call is not converted; an error is reported */
	HS_POLICY_WARN = 1,   /* converted anyway, with a warning */
	HS_POLICY_IGNORE = 2  /* converted silently (TensorFlow's behaviour) */
} hs_policy;

#define HS_FIND_OPTIONS_VERSION 1
typedef struct hs_find_options {
	unsigned int version;
	/* A node inside a region read by a node outside it (TF silently drops
	 * such readers or leaves them dangling). */
	hs_policy interior_escape;
	/* A node kept in the graph (it has readers outside) that the region's
	 * interior reads without an input hint. */
	hs_policy unhinted_side_input;
	/* Follow `_class` colocation entries as edges, as TensorFlow does.
	 * Not supported yet: hs_hints_find fails with HS_EINVAL when set. */
	int colocation_edges;
	uint32_t reserved[8];
} hs_find_options;
#define HS_FIND_OPTIONS_INIT \
	{ HS_FIND_OPTIONS_VERSION, HS_POLICY_ERROR, HS_POLICY_WARN, 0, { 0 } }

/** Finds and validates every call of the graph in O(nodes + edges).
 * Problems are recorded per call, not returned as errors; the function
 * fails only on invalid arguments or memory exhaustion.  The result
 * borrows from `g` and must be freed before it.  opts may be NULL. */
HS_EXTERN int hs_hints_find(hs_hints **out, const hs_graph *g,
			    const hs_find_options *opts);
HS_EXTERN size_t hs_hints_call_count(const hs_hints *h);
/* Calls, operands and problems are borrowed from h (valid until
 * hs_hints_free). */
HS_EXTERN const hs_call *hs_hints_call(const hs_hints *h, size_t i);
HS_EXTERN const hs_call *hs_hints_find_call(const hs_hints *h, hs_str uuid);
/** Number of calls having at least one problem of severity error. */
HS_EXTERN size_t hs_hints_error_count(const hs_hints *h);
HS_EXTERN int hs_call_has_errors(const hs_call *c);
HS_EXTERN const hs_operand *hs_call_input(const hs_call *c, int64_t index);
HS_EXTERN const hs_operand *hs_call_output(const hs_call *c, int64_t index);
/** Problems not tied to one call (e.g. a uuid attribute of the wrong
 * type: the node cannot be grouped). */
HS_EXTERN size_t hs_hints_graph_problem_count(const hs_hints *h);
HS_EXTERN const hs_problem *hs_hints_graph_problem(const hs_hints *h, size_t i);
HS_EXTERN void hs_hints_free(hs_hints *h);

/* ------------------------------------------------------------ conversion */

typedef enum hs_input_layout {
	/* Newest TensorFlow: inputs dense 0..max, a -1 `Const` at each absent
	 * index; _tflite_input_indices lists the present ones. */
	HS_LAYOUT_DENSE = 0,
	/* Older TensorFlow: only the present inputs, in index order. */
	HS_LAYOUT_PRESENT = 1
} hs_input_layout;

typedef enum hs_call_result {
	HS_CALL_CONVERTED = 0, /* replaced by a stub */
	HS_CALL_KEPT = 1,      /* left as it was, by rule or by choice */
	HS_CALL_SKIPPED = 2,   /* not converted because of a problem */
	HS_CALL_FAILED = 3     /* conversion aborted on this call */
} hs_call_result;

HS_EXTERN const char *hs_call_result_name(hs_call_result r);

typedef struct hs_registry hs_registry; /* plugins + rules: plugin.h */

#define HS_CONVERT_OPTIONS_VERSION 1
typedef struct hs_convert_options {
	unsigned int version;
	hs_find_options find;
	hs_input_layout input_layout;
	/* Reproduce TensorFlow's output exactly where it is wrong:
	 * _output_types 0 for non-stacked outputs, a stacked argument of one
	 * element still packed, etc.  Default 0: correct values. */
	int tf_exact;
	/* Remove hint attributes from the identities that stay. */
	int strip_hints;
	/* Leave hint-made Pack/Unpack pairs in place. */
	int keep_pack_unpack;
	/* Compute everything, change nothing. */
	int dry_run;
	/* NULL: every call gets the generic stub. Borrowed. */
	const hs_registry *registry;
	uint32_t reserved[8];
} hs_convert_options;
#define HS_CONVERT_OPTIONS_INIT                                              \
	{ HS_CONVERT_OPTIONS_VERSION, HS_FIND_OPTIONS_INIT, HS_LAYOUT_DENSE, \
	  0, 0, 0, 0, NULL, { 0 } }

/** What happened to one call. */
typedef struct hs_call_report {
	hs_str function;
	hs_str uuid;
	hs_call_result result;
	const char *plugin;    /* who claimed it; "generic" or NULL */
	size_t nodes_removed;
	size_t nodes_added;
	const char *reason;    /* why skipped / kept / failed; NULL otherwise */
	/* Appended in 0.1: */
	int error;             /* the outcome counts as an error: the call was
				  skipped for an error-severity problem, rules
				  refused it, or its conversion failed */
	size_t n_problems;     /* the call's problems (all severities) */
	const hs_problem *problems;
	size_t ordinal;        /* the call's position in discovery order */
} hs_call_report;

typedef struct hs_report hs_report;

/** Converts every call of the graph.  On success *report_out (may be NULL)
 * describes each call; it borrows from g and must be freed before it.
 * A call with error-severity problems is skipped (reported with error
 * set), never a reason to fail: callers decide (the CLI writes nothing).  On a failure nothing of the
 * graph is changed that matters: callers must not write it. */
HS_EXTERN int hs_convert(hs_report **report_out, hs_graph *g,
			 const hs_convert_options *opts);
HS_EXTERN size_t hs_report_count(const hs_report *r);
/** Entries and problems are borrowed from r (valid until hs_report_free). */
HS_EXTERN const hs_call_report *hs_report_entry(const hs_report *r, size_t i);
/** Totals over all calls. */
HS_EXTERN size_t hs_report_converted(const hs_report *r);
/** Number of calls whose outcome is an error (hs_call_report.error). */
HS_EXTERN size_t hs_report_errors(const hs_report *r);
/** Graph-level problems (see hs_hints_graph_problem). */
HS_EXTERN size_t hs_report_problem_count(const hs_report *r);
HS_EXTERN const hs_problem *hs_report_problem(const hs_report *r, size_t i);
/** Nodes removed by collapsing Pack/Unpack pairs (not in any call). */
HS_EXTERN size_t hs_report_pack_unpack_removed(const hs_report *r);
/** True when the report comes from a dry run (the graph is unchanged). */
HS_EXTERN int hs_report_dry_run(const hs_report *r);
/** Renders the report as JSON text (owned by the caller, hs_free). */
HS_EXTERN int hs_report_to_json(char **out, const hs_report *r);
HS_EXTERN void hs_report_free(hs_report *r);

#ifdef __cplusplus
}
#endif

#endif /* HINTSTUB_OPHINT_H */
