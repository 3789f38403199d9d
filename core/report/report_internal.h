/* Writers shared by the report layer's renderings.  Private to
 * libhintstub. */
#ifndef HS_REPORT_INTERNAL_H
#define HS_REPORT_INTERNAL_H

#include "apply_internal.h"
#include "wire.h"

void put_text(hs_buf *b, const char *s);
/* A JSON string of len bytes, escaped. */
void put_json_str(hs_buf *b, const char *s, size_t len);
void put_cstr_or_null(hs_buf *b, const char *s);
void put_size(hs_buf *b, size_t v);
void put_problems(hs_buf *b, const hs_problem *p, size_t n);
/* Terminates b and hands its bytes to *out (HS_ENOMEM if b failed). */
int hs_buf_finish(char **out, hs_buf *b);

#endif
