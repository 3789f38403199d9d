/* Text written at a cursor: numbers, and the scans that find where a
 * string stops being plain.  Private to libhintstub.
 *
 * Renderings (inspect's text and JSON) reserve room for a whole line at
 * once (hs_buf_room, wire.h) and write its pieces with these, so that a
 * piece costs a copy, not a reservation, a strlen and a printf. */
#ifndef HS_TEXT_H
#define HS_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The most bytes hs_text_u64 and hs_text_i64 write ("-9223372036854775808"). */
#define HS_TEXT_INT_MAX 20

/* v in decimal at p; returns the end (no NUL). */
char *hs_text_u64(char *p, uint64_t v);
char *hs_text_i64(char *p, int64_t v);

/* The n bytes at s copied at p; returns the end. */
static inline char *hs_text_mem(char *p, const void *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* A string literal copied at p (its length known when compiling). */
#define HS_TEXT_LIT(p, lit) hs_text_mem((p), (lit), sizeof(lit) - 1)

/* Eight bytes at a time: a word is plain when no byte is below 0x20 or
 * above 0x7e (and, for JSON, none is '"' or '\\').  The tests are the
 * classic exact ones (a flag in a byte above a real hit may be spurious,
 * the answer for the word never is). */
#define HS_TEXT_ONES UINT64_C(0x0101010101010101)
#define HS_TEXT_HIGHS UINT64_C(0x8080808080808080)

static inline uint64_t hs_text_load(const unsigned char *s)
{
	uint64_t w;
	memcpy(&w, s, sizeof w);
	return w;
}

/* Some byte of w below n (n <= 128). */
static inline uint64_t hs_text_has_below(uint64_t w, unsigned n)
{
	return (w - HS_TEXT_ONES * n) & ~w & HS_TEXT_HIGHS;
}

/* Some byte of w above n (n <= 127). */
static inline uint64_t hs_text_has_above(uint64_t w, unsigned n)
{
	return ((w + HS_TEXT_ONES * (127 - n)) | w) & HS_TEXT_HIGHS;
}

static inline int hs_text_plain_byte(unsigned char c, int json)
{
	return c >= 0x20 && c < 0x7f && !(json && (c == '"' || c == '\\'));
}

/* The flags of the bytes of w that are not plain: 0 when all are.  The
 * lowest flag is always a real one (a spurious flag only sits above a
 * real one), so on a little-endian machine it says where the first such
 * byte is. */
static inline uint64_t hs_text_flags(uint64_t w, int json)
{
	uint64_t f = hs_text_has_below(w, 0x20) | hs_text_has_above(w, 0x7e);
	if (json)
		f |= hs_text_has_below(w ^ (HS_TEXT_ONES * '"'), 1) |
		     hs_text_has_below(w ^ (HS_TEXT_ONES * '\\'), 1);
	return f;
}

/* Where the first byte that is not plain is in the eight at s, whose
 * flags f are not 0. */
static inline size_t hs_text_first_flagged(const unsigned char *s, uint64_t f, int json)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	(void)s;
	(void)json;
	return (size_t)__builtin_ctzll(f) / 8;
#else
	(void)f;
	size_t k = 0;
	while (hs_text_plain_byte(s[k], json))
		k++;
	return k;
#endif
}

/* How many bytes from s on are plain: printable ASCII (0x20..0x7e),
 * which hs_escape (graph.h) copies as it is, and for a JSON string's body
 * (json) not '"' or '\\' either.  The last bytes are read as the word
 * that ends at n (it overlaps bytes already known plain, whose lanes are
 * then not flagged). */
static inline size_t hs_text_run(const unsigned char *s, size_t n, int json)
{
	size_t i = 0;
	uint64_t f;
	for (; i + 8 <= n; i += 8)
		if ((f = hs_text_flags(hs_text_load(s + i), json)) != 0)
			return i + hs_text_first_flagged(s + i, f, json);
	if (i == n)
		return n;
	if (n >= 8) {
		f = hs_text_flags(hs_text_load(s + n - 8), json);
		return f ? n - 8 + hs_text_first_flagged(s + n - 8, f, json) : n;
	}
	while (i < n && hs_text_plain_byte(s[i], json))
		i++;
	return i;
}

static inline size_t hs_text_plain_run(const unsigned char *s, size_t n)
{
	return hs_text_run(s, n, 0);
}

static inline size_t hs_text_json_plain_run(const unsigned char *s, size_t n)
{
	return hs_text_run(s, n, 1);
}

#endif
