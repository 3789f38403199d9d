/* Writers shared by the report layer's renderings.  Private to
 * libhintstub. */
#ifndef HS_REPORT_INTERNAL_H
#define HS_REPORT_INTERNAL_H

#include "apply_internal.h"
#include "wire.h"

/* A JSON array of problems (severity, code, message). */
void hs_report_put_problems(hs_buf *b, const hs_problem *p, size_t n);
/* For a level-2 call i of plan p: `,"children":[...]`, each child in
 * layer order with its function, uuid, the plugin that claims it (or why
 * none does) and its result, which is the parent's `result` (children
 * convert together or not at all).  Nothing for other calls. */
void hs_report_put_children(hs_buf *b, const hs_plan *p, size_t i, hs_call_result result);
/* The same as text lines under inspect's call. */
void hs_report_text_children(hs_buf *b, const hs_plan *p, size_t i);

#endif
