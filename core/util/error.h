/* Per-thread last error, libgit2 style. Private to libhintstub. */
#ifndef HS_ERROR_H
#define HS_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#include "hintstub/hintstub.h"

/* Records a formatted one-line message and returns `code`, so that callers
 * can write `return hs_fail(HS_EPARSE, "...")`. */
int hs_fail(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Same with a va_list. */
int hs_vfail(int code, const char *fmt, va_list ap);
/* The body of every *_options_init: copies `size` bytes of `defaults` to
 * opts when `version` is the one this library knows (`known`), else
 * HS_EINVAL naming the options `what`. */
int hs_options_init(void *opts, const void *defaults, size_t size,
		    unsigned int version, unsigned int known, const char *what);
/* Prefixes the current message with "label: " (e.g. a file name). */
void hs_error_prefix(const char *label);

#endif
