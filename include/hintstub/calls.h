/*
 * The call set: every region of a graph that some detector wants replaced
 * by one fused op, with its boundary.  Detectors fill it (OpHint discovery,
 * <hintstub/ophint.h>; later pattern detectors); the plan, the plugins,
 * the report and `inspect` read it.  Include <hintstub/hintstub.h>.
 *
 * A call has a function (the fused op it stands for), a uuid (unique in
 * the set; it names the stub), a level (1 for a cell, 2 for a call whose
 * children are cells, e.g. dynamic_rnn), a parent and children, and
 * ordered input and output operands.  An operand is one argument index;
 * it holds one or more elements, each a boundary tensor (node, port) and,
 * where the detector found one, the hint identity standing for it:
 *  - input element: the tensor the region reads (for OpHint, the input
 *    identity itself, port 0);
 *  - output element: the tensor the region computes (for OpHint, what the
 *    output identity reads); its readers get the stub's output instead.
 *
 * Everything is read through functions, so the layout can grow.  Calls,
 * operands, problems and strings are owned by the set and valid until
 * hs_callset_free; the set borrows its graph and must be freed before it.
 * Reading a set from several threads at once is safe; filling it is not.
 */
#ifndef HINTSTUB_CALLS_H
#define HINTSTUB_CALLS_H

#include <stddef.h>
#include <stdint.h>

#include <hintstub/graph.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hs_callset hs_callset;
typedef struct hs_call hs_call;
typedef struct hs_operand hs_operand;
typedef struct hs_region hs_region;

typedef enum hs_aggregation {
	HS_AGG_SINGLE = 0, /* untagged argument: one element */
	HS_AGG_STACK = 1,  /* all elements, packed on axis 0 */
	HS_AGG_FIRST = 2,  /* element 0 only */
	HS_AGG_LAST = 3    /* the final element only */
} hs_aggregation;

/** "single", "stack", "first", "last"; static storage. */
HS_EXTERN const char *hs_aggregation_name(hs_aggregation a);

typedef enum hs_severity {
	HS_SEVERITY_NOTE = 0,
	HS_SEVERITY_WARNING = 1,
	HS_SEVERITY_ERROR = 2
} hs_severity;

/** "note", "warning", "error"; static storage. */
HS_EXTERN const char *hs_severity_name(hs_severity s);

/** A problem found while detecting or planning a call. */
typedef struct hs_problem {
	hs_severity severity;
	const char *code;    /* stable short id, e.g. "sort-gap" */
	const char *message; /* one line, names the nodes at fault */
} hs_problem;

/** A tensor: output `port` of `node`.  node is NULL when the boundary
 * names no node (a dangling hint). */
typedef struct hs_tensor {
	const hs_node *node;
	int port;
} hs_tensor;

/* ------------------------------------------------------------ reading */

HS_EXTERN const hs_graph *hs_callset_graph(const hs_callset *s);
HS_EXTERN size_t hs_callset_count(const hs_callset *s);
/** Call i in detection order (NULL when out of range). */
HS_EXTERN const hs_call *hs_callset_call(const hs_callset *s, size_t i);
/** The call of that uuid, or NULL. */
HS_EXTERN const hs_call *hs_callset_find(const hs_callset *s, hs_str uuid);
/** Number of calls having a problem of severity error. */
HS_EXTERN size_t hs_callset_error_count(const hs_callset *s);
/** Problems not tied to one call (e.g. a hint whose uuid is not a
 * string: it cannot be grouped). */
HS_EXTERN size_t hs_callset_problem_count(const hs_callset *s);
HS_EXTERN const hs_problem *hs_callset_problem(const hs_callset *s, size_t i);

/** Position in the set (detection order). */
HS_EXTERN size_t hs_call_ordinal(const hs_call *c);
/** Who found the call: "ophint", ... (static storage). */
HS_EXTERN const char *hs_call_detector(const hs_call *c);
HS_EXTERN hs_str hs_call_function(const hs_call *c);
HS_EXTERN hs_str hs_call_uuid(const hs_call *c);
/** 1 for a cell; 2 for a call made of child calls; 0 when not given. */
HS_EXTERN int64_t hs_call_level(const hs_call *c);
/** OpHint's `_tflite_children_ophint_inputs_mapping` JSON; empty when
 * absent. */
HS_EXTERN hs_str hs_call_children_mapping(const hs_call *c);
HS_EXTERN const hs_call *hs_call_parent(const hs_call *c);
HS_EXTERN size_t hs_call_child_count(const hs_call *c);
HS_EXTERN const hs_call *hs_call_child(const hs_call *c, size_t i);
/** True when the detector found the call already replaced by its stub
 * (hints survive a conversion): there is nothing left to do. */
HS_EXTERN int hs_call_is_converted(const hs_call *c);

/** Operands in ascending index order. */
HS_EXTERN size_t hs_call_input_count(const hs_call *c);
HS_EXTERN const hs_operand *hs_call_input_at(const hs_call *c, size_t i);
HS_EXTERN size_t hs_call_output_count(const hs_call *c);
HS_EXTERN const hs_operand *hs_call_output_at(const hs_call *c, size_t i);
/** The operand of argument `index`, or NULL when the call has none. */
HS_EXTERN const hs_operand *hs_call_input(const hs_call *c, int64_t index);
HS_EXTERN const hs_operand *hs_call_output(const hs_call *c, int64_t index);

/** Every hint identity of the call, in graph order (none for calls of
 * detectors without identities). */
HS_EXTERN size_t hs_call_identity_count(const hs_call *c);
HS_EXTERN const hs_node *hs_call_identity(const hs_call *c, size_t i);

/** Problems the detector found (the plan adds its own: hs_plan_entry). */
HS_EXTERN size_t hs_call_problem_count(const hs_call *c);
HS_EXTERN const hs_problem *hs_call_problem(const hs_call *c, size_t i);
HS_EXTERN int hs_call_has_errors(const hs_call *c);

HS_EXTERN int64_t hs_operand_index(const hs_operand *o);
HS_EXTERN int hs_operand_is_output(const hs_operand *o);
HS_EXTERN hs_aggregation hs_operand_aggregation(const hs_operand *o);
/** DataType of element 0 (0 when unknown). */
HS_EXTERN int hs_operand_dtype(const hs_operand *o);
/** Number of elements (1 unless aggregated). */
HS_EXTERN size_t hs_operand_count(const hs_operand *o);
/** Boundary tensor of element k (see the top of this file). */
HS_EXTERN hs_tensor hs_operand_tensor(const hs_operand *o, size_t k);
/** Hint identity of element k, or NULL when the detector has none. */
HS_EXTERN const hs_node *hs_operand_identity(const hs_operand *o, size_t k);
/** The element the stub uses for a non-stacked aggregation (first or
 * last), or element 0. */
HS_EXTERN size_t hs_operand_kept_element(const hs_operand *o);

/** Nodes a conversion removes for a call, in graph order (see
 * hs_plan_region).  Borrowed from the plan. */
HS_EXTERN size_t hs_region_node_count(const hs_region *r);
HS_EXTERN const hs_node *hs_region_node(const hs_region *r, size_t i);

/* ------------------------------------------------------------ filling */
/* For detectors.  Every function fails with HS_EINVAL on a bad argument
 * and HS_ENOMEM when out of memory, with a message. */

/** A new empty set over g.  Owned by the caller (hs_callset_free). */
HS_EXTERN int hs_callset_new(hs_callset **out, const hs_graph *g);
HS_EXTERN void hs_callset_free(hs_callset *s);

/** Appends a call.  detector, function and uuid are copied, except text
 * lying in the bytes of the set's graph, which the set keeps as views
 * (the graph outlives the set); either way they are not NUL-terminated.
 * HS_EEXISTS when the uuid is taken. */
HS_EXTERN int hs_callset_add_call(hs_call **out, hs_callset *s,
				  const char *detector, hs_str function,
				  hs_str uuid, int64_t level);
/** Makes `child` (which has no parent yet) the next child of `parent`;
 * both must belong to the same set, and `child` must not be an ancestor
 * of `parent`. */
HS_EXTERN int hs_call_set_parent(hs_call *child, hs_call *parent);
HS_EXTERN int hs_call_set_children_mapping(hs_call *c, hs_str json);
/** Appends an operand; indices must ascend per direction (0..4096).
 * *out is valid until the next operand is added to the call. */
HS_EXTERN int hs_call_add_operand(hs_operand **out, hs_call *c, int is_output,
				  int64_t index, hs_aggregation aggregation,
				  int dtype);
/** Appends an element; identity may be NULL.  The tensor's node and the
 * identity must be nodes of the set's graph. */
HS_EXTERN int hs_operand_add_element(hs_operand *o, hs_tensor tensor,
				     hs_node *identity);
/** Records a hint identity of the call (graph order expected), a node of
 * the set's graph. */
HS_EXTERN int hs_call_add_identity(hs_call *c, hs_node *identity);
/** Records a problem; code and message are copied. */
HS_EXTERN int hs_call_add_problem(hs_call *c, hs_severity severity,
				  const char *code, const char *message);
HS_EXTERN int hs_callset_add_problem(hs_callset *s, hs_severity severity,
				     const char *code, const char *message);

#ifdef __cplusplus
}
#endif

#endif /* HINTSTUB_CALLS_H */
