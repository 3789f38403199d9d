/* The OpHint detector's facts shared with the layers above (apply strips
 * hint attributes).  Private to libhintstub. */
#ifndef HS_OPHINT_INTERNAL_H
#define HS_OPHINT_INTERNAL_H

#include "calls_internal.h"
#include "hintstub/ophint.h"

/* Stable problem codes of discovery. */
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
#define HS_P_ALREADY_CONVERTED "already-converted"
#define HS_P_BAD_UUID "bad-uuid"
#define HS_P_BAD_FUNCTION "bad-function"
#define HS_P_LIBRARY_HINTS "library-hints"

/* A note per library function holding hints when no level-2 call can
 * reach them (library_note.c). */
int hs_ophint_note_library_hints(hs_callset *set);
/* Level 2 (loop.c). */
#define HS_P_LEVEL3 "level-3"
#define HS_P_NO_LOOP "no-loop"
#define HS_P_NESTED_LOOP "nested-loop"
#define HS_P_BODY_MISSING "body-missing"
#define HS_P_BODY_MALFORMED "body-malformed"
#define HS_P_LOOP_ARITY "loop-arity"
#define HS_P_NO_CHILDREN "no-children"
#define HS_P_CHILD_PROBLEM "child-problem"
#define HS_P_BAD_MAPPING "bad-mapping"
#define HS_P_MAPPING_INDEX "mapping-index"
#define HS_P_UNCHAINED "children-unchained"
#define HS_P_SEQUENCE_LENGTH "sequence-length"

/* The hint attributes an identity may carry (strip_hints removes them). */
extern const char *const hs_hint_attr_keys[];
extern const size_t hs_hint_attr_key_count;

/* Level-2 calls among the set's calls from first_call on (loop.c), in
 * two phases around the discovery of their bodies' calls (hints.c runs
 * it: the two modules do not call each other):
 *  load: each call's loop and body, an empty call set for the body;
 *  finish: the body's calls as children, the mapping and the checks.
 * Either records a problem on a call saying why it cannot be planned. */
int hs_ophint_loops_load(hs_callset *set, size_t first_call);
int hs_ophint_loops_finish(hs_callset *set, size_t first_call);

#endif
