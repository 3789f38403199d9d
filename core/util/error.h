/* Per-thread last error, libgit2 style. Private to libhintstub. */
#ifndef HS_ERROR_H
#define HS_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "hintstub/hintstub.h"

/* The size of the message buffer: a longer message is cut, and then ends
 * in "..." (on a character and escape boundary). */
#define HS_ERROR_MAX 1024

/* Records a formatted one-line message and returns `code`, so that callers
 * can write `return hs_fail(HS_EPARSE, "...")`. */
int hs_fail(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Same with a va_list. */
int hs_vfail(int code, const char *fmt, va_list ap);
/* snprintf into buf (size bytes), but a text that does not fit ends in
 * "..." (cut between characters) and sets *cut (may be NULL); returns the
 * length written. */
size_t hs_format_cut(char *buf, size_t size, int *cut, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The body of every *_options_init: copies `size` bytes of `defaults` to
 * opts when `version` is the one this library knows (`known`), else
 * HS_EINVAL naming the options `what`. */
int hs_options_init(void *opts, const void *defaults, size_t size,
		    unsigned int version, unsigned int known, const char *what);
/* The length of the well-formed UTF-8 sequence at s[0..n) (n >= 1, s[0]
 * >= 0x80), or 0 when it is ill-formed; *bad then gets the length of its
 * maximal ill-formed subpart (at least 1). */
size_t hs_utf8_sequence(const unsigned char *s, size_t n, size_t *bad);
/* The room hs_escape_to may need for len bytes: an escape (\xHH) is at
 * most four bytes for each byte it stands for. */
#define HS_ESCAPE_ROOM(len) (4 * (uint64_t)(len))
/* The len bytes at s in hs_escape's printable form (graph.h), written at
 * out, which has HS_ESCAPE_ROOM(len) bytes; returns the end (no NUL).
 * Whole: hs_escape of the same bytes in pieces gives the same text. */
char *hs_escape_to(char *out, const char *s, size_t len);
/* Every message the library sets is one printable line: hs_fail and
 * hs_error_prefix run the text through hs_escape (graph.h), which is
 * idempotent, so a message quoting another message is escaped once. */
/* A name (any hs_str from the input) in a message, for "%.*s": its first
 * HS_NAME_SHOWN bytes, so that a hostile megabyte name still gives a
 * one-line error of bounded size. */
#define HS_NAME_SHOWN 200
#define HS_NAME_ARG(s) \
	(int)((s).len > HS_NAME_SHOWN ? HS_NAME_SHOWN : (s).len), (s).ptr
/* Prefixes the current message with "label: " (e.g. a file name). */
void hs_error_prefix(const char *label);

#endif
