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

/* The hint attributes an identity may carry (strip_hints removes them). */
extern const char *const hs_hint_attr_keys[];
extern const size_t hs_hint_attr_key_count;

#endif
