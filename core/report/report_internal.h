/* Writers shared by the report layer's renderings.  Private to
 * libhintstub. */
#ifndef HS_REPORT_INTERNAL_H
#define HS_REPORT_INTERNAL_H

#include "apply_internal.h"
#include "wire.h"

/* A JSON array of problems (severity, code, message). */
void hs_report_put_problems(hs_buf *b, const hs_problem *p, size_t n);

#endif
