/* JSON text into an hs_buf (wire.h).  Private to libhintstub.
 *
 * Strings are written as UTF-8 JSON strings: `"` and `\` escaped, control
 * characters (below 0x20, 0x7f and the C1 controls U+0080..U+009F) as
 * \u00XX, so that no raw control byte is in the text; other well-formed
 * multibyte UTF-8 copied as it is.  Bytes that are not well-formed UTF-8 -- stray continuation
 * bytes, overlong forms, surrogates (U+D800..DFFF), code points past
 * U+10FFFF, sequences cut short -- are written as \ufffd, one for each
 * maximal ill-formed subpart (Unicode's recommended practice, what
 * browsers do): the output is always valid JSON and valid UTF-8, and a
 * reader sees where the input was broken.  Names in graphs are arbitrary
 * bytes, so this is a lossy view for humans and tools, not a round trip.
 *
 * Every function returns HS_OK, or HS_ENOMEM with a message when the
 * buffer could not grow; the buffer is then marked failed and later
 * writes are dropped, so checking the last return (or b->failed) is
 * enough -- nothing is ever dropped silently. */
#ifndef HS_JSON_H
#define HS_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "wire.h"

/* The quoted, escaped string of the len bytes at s. */
int hs_json_put_str(hs_buf *b, const char *s, size_t len);
/* The room hs_json_str_to may need for len bytes: the quotes, and six
 * bytes (\u00XX, \ufffd) for each byte at most. */
#define HS_JSON_STR_ROOM(len) (6 * (uint64_t)(len) + 2)
/* The same written at out, which has HS_JSON_STR_ROOM(len) bytes;
 * returns the end (no NUL). */
char *hs_json_str_to(char *out, const char *s, size_t len);
/* A NUL-terminated string, or null when s is NULL. */
int hs_json_put_cstr_or_null(hs_buf *b, const char *s);
/* JSON text copied as is (punctuation, numbers, true/false). */
int hs_json_put_raw(hs_buf *b, const char *text);
int hs_json_put_size(hs_buf *b, size_t v);

/* hs_utf8_sequence, the one UTF-8 check (JSON, hs_escape, the report
 * layer's DOT and HTML), is error.h's, included above. */

#endif
