#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "text.h"

static _Thread_local char last_message[HS_ERROR_MAX];
static _Thread_local int last_code;

int hs_fail(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hs_vfail(code, fmt, ap);
	va_end(ap);
	return code;
}

int hs_options_init(void *opts, const void *defaults, size_t size,
		    unsigned int version, unsigned int known, const char *what)
{
	if (!opts)
		return hs_fail(HS_EINVAL, "%s_init: no options", what);
	if (version != known)
		return hs_fail(HS_EINVAL, "%s: unknown version %u", what, version);
	memcpy(opts, defaults, size);
	return HS_OK;
}

size_t hs_utf8_sequence(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned char c = s[0];
	size_t need;
	unsigned char lo = 0x80, hi = 0xbf; /* range of the second byte */
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong below U+0800 */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong below U+10000 */
		else if (c == 0xf4)
			hi = 0x8f; /* past U+10FFFF */
	} else {
		*bad = 1; /* continuation byte, C0/C1 (overlong), F5..FF */
		return 0;
	}
	size_t i = 1;
	for (; i < need && i < n; i++) {
		unsigned char min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xbf;
		if (s[i] < min || s[i] > max)
			break;
	}
	if (i == need)
		return need;
	*bad = i;
	return 0;
}

/* The printable form of the unit at s[0..n): its escape in esc (and the
 * number of input bytes it stands for in *step), or NULL when the *step
 * bytes are printed as they are. */
static const char *escape_unit(char esc[5], const unsigned char *s, size_t n,
			       size_t *step)
{
	unsigned char c = s[0];
	size_t bad = 0;
	*step = 1;
	if (c == '\n' || c == '\r' || c == '\t') {
		esc[0] = '\\';
		esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		esc[2] = '\0';
		return esc;
	}
	if (c >= 0x20 && c < 0x7f)
		return NULL;
	if (c >= 0x80 && (*step = hs_utf8_sequence(s, n, &bad)) != 0) {
		/* C1 controls (U+0080..U+009F, CSI among them) are controls too. */
		if (!(c == 0xc2 && s[1] < 0xa0))
			return NULL;
	}
	*step = 1;
	snprintf(esc, 5, "\\x%02x", c);
	return esc;
}

char *hs_escape_to(char *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		size_t plain = hs_text_plain_run(s + i, len - i);
		out = hs_text_mem(out, s + i, plain);
		if ((i += plain) == len)
			break;
		char esc[5];
		size_t step;
		const char *e = escape_unit(esc, s + i, len - i, &step);
		out = e ? hs_text_mem(out, e, strlen(e)) : hs_text_mem(out, s + i, step);
		i += step;
	}
	return out;
}

size_t hs_escape(char *out, size_t cap, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k = 0;
	if (!cap)
		return 0;
	while (i < len) {
		char esc[5];
		size_t step;
		const char *e = escape_unit(esc, s + i, len - i, &step);
		size_t w = e ? strlen(e) : step;
		if (k + w >= cap)
			break; /* never half an escape or half a character */
		memcpy(out + k, e ? (const unsigned char *)e : s + i, w);
		k += w;
		i += step;
	}
	out[k] = '\0';
	return i;
}

/* The length of the first `len` bytes of s cut to at most `max` bytes on
 * a boundary that splits neither a UTF-8 character nor an escape (\xHH,
 * \n ...) of hs_escape's text. */
static size_t cut_point(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	for (size_t back = 1; back <= 3 && back <= k; back++)
		if (s[k - back] == '\\') {
			k -= back;
			break;
		}
	return k;
}

/* hs_escape of s into out (cap bytes); a text that was cut before
 * (`cut`) or does not fit ends in "...", so a reader sees it was. */
static void escape_marked(char *out, size_t cap, const char *s, size_t len, int cut)
{
	if (hs_escape(out, cap, s, len) == len && !cut)
		return;
	if (cap < 4)
		return;
	hs_escape(out, cap - 3, s, len);
	strcat(out, "...");
}

size_t hs_format_cut(char *buf, size_t size, int *cut, const char *fmt, ...)
{
	if (cut)
		*cut = 0;
	if (!size)
		return 0;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	if ((size_t)n < size)
		return (size_t)n;
	if (cut)
		*cut = 1;
	if (size < 4)
		return size - 1;
	size_t k = cut_point(buf, size - 1, size - 4);
	memcpy(buf + k, "...", 4);
	return k + 3;
}

int hs_vfail(int code, const char *fmt, va_list ap)
{
	/* Formatted apart: the arguments may be the last message itself
	 * (`fail(code, "...: %s", error_last())`, as wrappers do). */
	char msg[HS_ERROR_MAX];
	int n = vsnprintf(msg, sizeof msg, fmt, ap);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1;
	/* One printable line whatever the input held (error.h). */
	escape_marked(last_message, sizeof last_message, msg, len, n >= (int)sizeof msg);
	last_code = code;
	return code;
}

void hs_error_prefix(const char *label)
{
	char tmp[HS_ERROR_MAX];
	if (!label || !*label)
		return;
	size_t n = strlen(label);
	hs_escape(tmp, HS_ERROR_MAX / 2, label, n);
	n = strlen(tmp);
	memcpy(tmp + n, ": ", 2);
	size_t rest = HS_ERROR_MAX - n - 3;
	size_t whole = strnlen(last_message, rest + 1);
	size_t m = whole > rest ? cut_point(last_message, whole, rest - 3) : whole;
	memcpy(tmp + n + 2, last_message, m);
	tmp[n + 2 + m] = '\0';
	if (m < whole)
		strcat(tmp + n + 2 + m, "...");
	memcpy(last_message, tmp, sizeof tmp);
}

const char *hs_error_last(void) { return last_message; }
int hs_error_last_code(void) { return last_code; }

void hs_error_clear(void)
{
	last_message[0] = '\0';
	last_code = HS_OK;
}

const char *hs_error_name(int code)
{
	switch (code) {
	case HS_OK: return "ok";
	case HS_ERROR: return "error";
	case HS_ENOMEM: return "out of memory";
	case HS_EIO: return "i/o error";
	case HS_EPARSE: return "parse error";
	case HS_EGRAPH: return "malformed graph";
	case HS_EHINT: return "hint error";
	case HS_ERULES: return "rule file error";
	case HS_EPLUGIN: return "plugin error";
	case HS_EVERIFY: return "verification failed";
	case HS_ELIMIT: return "limit exceeded";
	case HS_EINVAL: return "invalid argument";
	case HS_ENOTFOUND: return "not found";
	case HS_EEXISTS: return "already exists";
	default: return "unknown error";
	}
}

void hs_free(void *ptr) { free(ptr); }

const char *hs_version(void) { return PACKAGE_VERSION; }
