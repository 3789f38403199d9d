/* JSON strings: see json.h. */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "text.h"

static int status(const hs_buf *b)
{
	return b->failed ? hs_fail(HS_ENOMEM, "out of memory writing JSON") : HS_OK;
}

/* UTF-8 is checked by hs_utf8_sequence (error.h), shared with hs_escape. */

/* \u00XX for the control character c. */
static char *control_escape(char *p, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	p = HS_TEXT_LIT(p, "\\u00");
	*p++ = hex[c >> 4];
	*p++ = hex[c & 15];
	return p;
}

/* The escape of the unit at s[0..n) (n >= 1) that is not plain
 * (hs_text_json_plain_run): its end at p, its length in *step. */
static char *escape_unit(char *p, const unsigned char *s, size_t n, size_t *step)
{
	unsigned char c = s[0];
	size_t bad = 0;
	*step = 1;
	if (c == '"' || c == '\\') {
		*p++ = '\\';
		*p++ = (char)c;
		return p;
	}
	if (c < 0x80)
		return control_escape(p, c); /* below 0x20, or 0x7f */
	if ((*step = hs_utf8_sequence(s, n, &bad)) == 0) {
		*step = bad;
		return HS_TEXT_LIT(p, "\\ufffd");
	}
	/* C1 controls (U+0080..U+009F) escaped like C0 ones. */
	if (c == 0xc2 && s[1] < 0xa0)
		return control_escape(p, s[1]);
	return hs_text_mem(p, s, *step);
}

char *hs_json_str_to(char *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	*out++ = '"';
	while (i < len) {
		size_t plain = hs_text_json_plain_run(s + i, len - i), step;
		out = hs_text_mem(out, s + i, plain);
		if ((i += plain) == len)
			break;
		out = escape_unit(out, s + i, len - i, &step);
		i += step;
	}
	*out++ = '"';
	return out;
}

int hs_json_put_str(hs_buf *b, const char *str, size_t len)
{
	char *p = hs_buf_room(b, HS_JSON_STR_ROOM(len));
	if (p)
		hs_buf_commit(b, hs_json_str_to(p, str, len));
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
	char *p = hs_buf_room(b, HS_TEXT_INT_MAX);
	if (p)
		hs_buf_commit(b, hs_text_u64(p, v));
	return status(b);
}
