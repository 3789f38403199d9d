/*
 * The OpHint detector: finds the `_tflite_function_*` hint identities
 * TensorFlow 1.x wrote, groups them into calls by uuid and validates every
 * argument, filling a call set (<hintstub/calls.h>).  Include
 * <hintstub/hintstub.h>.
 */
#ifndef HINTSTUB_OPHINT_H
#define HINTSTUB_OPHINT_H

#include <hintstub/calls.h>
#include <hintstub/graph.h>

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
/* hintstub's mark on every stub it makes: the call's uuid.  A later run
 * knows the call is converted whatever op a plugin gave the stub. */
#define HS_ATTR_STUB_CALL "_hintstub_call"

/** The detector name of OpHint calls (hs_call_detector). */
#define HS_DETECTOR_OPHINT "ophint"

#define HS_DISCOVER_OPTIONS_VERSION 1
typedef struct hs_discover_options {
	unsigned int version;    /* HS_DISCOVER_OPTIONS_VERSION */
	/* Follow `_class` colocation entries as edges, as TensorFlow does.
	 * Not supported yet: discovery fails with HS_EINVAL when set. */
	int colocation_edges;
	uint32_t reserved[8];
} hs_discover_options;
#define HS_DISCOVER_OPTIONS_INIT { HS_DISCOVER_OPTIONS_VERSION, 0, { 0 } }
/** Fills *opts with the defaults of `version`; HS_EINVAL for a version
 * this library does not know. */
HS_EXTERN int hs_discover_options_init(hs_discover_options *opts,
				       unsigned int version);

/** Finds and validates every OpHint call of g in O(nodes + edges) and
 * appends them to `set` (whose graph must be g).  Problems are recorded
 * per call or in the set, not returned as errors; the function fails
 * only on invalid arguments or memory exhaustion, and then adds nothing.
 * Only reads g.  opts may be NULL. */
HS_EXTERN int hs_ophint_discover(hs_callset *set, const hs_discover_options *opts);

/** A new call set holding the OpHint calls of g (hs_callset_new, then
 * hs_ophint_discover).  Owned by the caller; borrows g. */
HS_EXTERN int hs_discover(hs_callset **out, const hs_graph *g,
			  const hs_discover_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* HINTSTUB_OPHINT_H */
