/* JSON strings: see json.h. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "json.h"

static int status(const hs_buf *b)
{
	return b->failed ? hs_fail(HS_ENOMEM, "out of memory writing JSON") : HS_OK;
}

/* Which becomes one U+FFFD here: see json.h. */
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

int hs_json_put_str(hs_buf *b, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t run = 0; /* bytes from s[i - run] copied as they are */
	hs_buf_put(b, "\"", 1);
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t step = 1, bad = 0;
		char esc[8];
		const char *out = NULL;
		size_t out_len = 0;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			out = esc;
			out_len = 2;
		} else if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			out = esc;
			out_len = 6;
		} else if (c >= 0x80 && (step = hs_utf8_sequence(s + i, len - i, &bad)) == 0) {
			out = "\\ufffd";
			out_len = 6;
			step = bad;
		}
		if (!out) {
			run += step;
			i += step;
			continue;
		}
		if (run)
			hs_buf_put(b, s + i - run, run);
		hs_buf_put(b, out, out_len);
		run = 0;
		i += step;
	}
	if (run)
		hs_buf_put(b, s + len - run, run);
	hs_buf_put(b, "\"", 1);
	return status(b);
}

int hs_json_put_cstr_or_null(hs_buf *b, const char *s)
{
	return s ? hs_json_put_str(b, s, strlen(s)) : hs_json_put_raw(b, "null");
}

int hs_json_put_raw(hs_buf *b, const char *text)
{
	hs_buf_put(b, text, strlen(text));
	return status(b);
}

int hs_json_put_size(hs_buf *b, size_t v)
{
	char num[32];
	snprintf(num, sizeof num, "%zu", v);
	return hs_json_put_raw(b, num);
}
