/* Per-thread last error, libgit2 style. Private to libhintstub. */
#ifndef HS_ERROR_H
#define HS_ERROR_H

#include "hintstub/hintstub.h"

/* Records a formatted one-line message and returns `code`, so that callers
 * can write `return hs_fail(HS_EPARSE, "...")`. */
int hs_fail(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prefixes the current message with "label: " (e.g. a file name). */
void hs_error_prefix(const char *label);

#endif
