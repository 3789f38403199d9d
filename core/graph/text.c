/* Reading text-format GraphDef: a tokenizer and a parser that walks the
 * protobuf-c descriptors of graph.proto, filling protobuf-c messages that
 * protobuf-c then packs.  One top-level field (one node, the library, the
 * versions) is parsed, packed and freed at a time, so memory stays near
 * the size of the output plus the largest node.
 *
 * The grammar is protobuf's text format as TensorFlow writes and reads it:
 * `name: value` for scalars, `name { ... }` or `name < ... >` for messages
 * (':' optional), `name: [a, b]` for repeated fields (or the field
 * repeated), ',' or ';' after a field, '#' comments, strings in '' or ""
 * with C escapes (adjacent strings concatenate), integers in decimal, hex
 * or octal, floats with exponents, inf and nan, enums by name or number.
 * Extensions and Any expansions (`[type/name]`) are refused. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "grow.h"
#include "graph.pb-c.h"
#include "text.h"

/* ------------------------------------------------------------- detection */

static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident_char(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Text is UTF-8 without control bytes but blanks (raw bytes are written
 * as escapes); a sequence cut by the end of the probe counts as fine. */
static int looks_like_text(const uint8_t *p, size_t n)
{
	for (size_t k = 0; k < n;) {
		uint8_t c = p[k];
		if (c < 0x80) {
			if ((c < 0x20 && !is_space(c)) || c == 0x7f)
				return 0;
			k++;
			continue;
		}
		size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
			   : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
		if (!len)
			return 0;
		for (size_t j = 1; j < len && k + j < n; j++)
			if ((p[k + j] & 0xc0) != 0x80)
				return 0;
		k += len;
	}
	return 1;
}

/* Past blanks and '#' comments from i; *comment tells whether one was
 * seen. */
static size_t skip_blank_text(const uint8_t *p, size_t n, size_t i, int *comment)
{
	for (;;) {
		while (i < n && is_space(p[i]))
			i++;
		if (i < n && p[i] == '#') {
			*comment = 1;
			while (i < n && p[i] != '\n')
				i++;
			continue;
		}
		return i;
	}
}

int hs_text_may_start(const uint8_t *p, size_t n)
{
	int comment = 0;
	size_t probe = n < 4096 ? n : 4096; /* per read: no rescans of it all */
	if (!looks_like_text(p, probe))
		return 0;
	size_t i = skip_blank_text(p, probe, 0, &comment);
	return i == probe || is_ident_start(p[i]);
}

int hs_text_detect(const uint8_t *p, size_t n)
{
	int seen_comment = 0;
	if (!looks_like_text(p, n < 4096 ? n : 4096))
		return 0;
	size_t i = skip_blank_text(p, n, 0, &seen_comment);
	/* Nothing but blanks and comments: text (an empty message) when
	 * there is a comment.  Blanks alone stay binary: a lone 0x0a is a
	 * truncated binary GraphDef, not an empty text one. */
	if (i == n)
		return seen_comment;
	if (!is_ident_start(p[i]))
		return 0;
	while (i < n && is_ident_char(p[i]))
		i++;
	while (i < n && is_space(p[i]))
		i++;
	return i < n && (p[i] == ':' || p[i] == '{' || p[i] == '<');
}

/* ------------------------------------------------------------- tokenizer */

enum { TK_EOF, TK_IDENT, TK_NUMBER, TK_STRING, TK_SYM };

typedef struct tx {
	const char *p, *end;     /* what is not yet tokenized */
	const char *label;
	uint32_t max_depth;
	const char *line_start;  /* of the line p is on */
	size_t line;
	/* the current token */
	int tok;
	const char *tp;
	size_t tlen;
	size_t tline, tcol;
	size_t fline, fcol;      /* of the field name being parsed */
} tx;

static int tx_fail_at(const tx *t, size_t line, size_t col, int code,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int tx_fail_at(const tx *t, size_t line, size_t col, int code,
		      const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return hs_fail(code, "%s:%zu:%zu: %s", t->label, line, col, msg);
}

#define tx_fail(t, ...) tx_fail_at((t), (t)->tline, (t)->tcol, HS_EPARSE, __VA_ARGS__)

/* The current token as text for messages, cut at 40 bytes. */
#define TOK_FMT "'%.*s'"
#define TOK_ARG(t) (int)((t)->tlen > 40 ? 40 : (t)->tlen), (t)->tp

static void skip_blanks(tx *t)
{
	while (t->p < t->end) {
		char c = *t->p;
		if (c == '\n') {
			t->p++;
			t->line++;
			t->line_start = t->p;
		} else if (is_space((unsigned char)c)) {
			t->p++;
		} else if (c == '#') {
			while (t->p < t->end && *t->p != '\n')
				t->p++;
		} else {
			break;
		}
	}
}

static int lex_string(tx *t)
{
	char quote = *t->p;
	const char *q = t->p + 1;
	while (q < t->end && *q != quote) {
		if (*q == '\n')
			break;
		if (*q == '\\' && q + 1 < t->end && q[1] != '\n')
			q++;
		q++;
	}
	if (q >= t->end || *q != quote)
		return tx_fail(t, "string is not closed on its line");
	t->tok = TK_STRING;
	t->tlen = (size_t)(q + 1 - t->p);
	return HS_OK;
}

static void lex_number(tx *t)
{
	const char *q = t->p;
	int hex = t->end - q > 1 && q[0] == '0' && (q[1] == 'x' || q[1] == 'X');
	while (q < t->end) {
		char c = *q;
		if (is_ident_char((unsigned char)c) || c == '.')
			q++;
		else if ((c == '+' || c == '-') && !hex && q > t->p &&
			 (q[-1] == 'e' || q[-1] == 'E'))
			q++;
		else
			break;
	}
	t->tok = TK_NUMBER;
	t->tlen = (size_t)(q - t->p);
}

/* Moves to the next token. */
static int next(tx *t)
{
	skip_blanks(t);
	t->tp = t->p;
	t->tline = t->line;
	t->tcol = (size_t)(t->p - t->line_start) + 1;
	if (t->p >= t->end) {
		t->tok = TK_EOF;
		t->tlen = 0;
		return HS_OK;
	}
	unsigned char c = (unsigned char)*t->p;
	int rc = HS_OK;
	if (is_ident_start(c)) {
		const char *q = t->p;
		while (q < t->end && is_ident_char((unsigned char)*q))
			q++;
		t->tok = TK_IDENT;
		t->tlen = (size_t)(q - t->p);
	} else if ((c >= '0' && c <= '9') ||
		   (c == '.' && t->end - t->p > 1 && t->p[1] >= '0' && t->p[1] <= '9')) {
		lex_number(t);
	} else if (c == '"' || c == '\'') {
		rc = lex_string(t);
	} else if (strchr("{}<>[]:,;-", c) && c) {
		t->tok = TK_SYM;
		t->tlen = 1;
	} else {
		t->tlen = 1;
		return isprint(c) ? tx_fail(t, "unexpected character '%c'", c)
				  : tx_fail(t, "unexpected byte 0x%02x", c);
	}
	if (rc == HS_OK)
		t->p += t->tlen;
	return rc;
}

static int is_sym(const tx *t, char c)
{
	return t->tok == TK_SYM && t->tp[0] == c;
}

static int is_word(const tx *t, const char *w)
{
	return t->tok == TK_IDENT && t->tlen == strlen(w) &&
	       memcmp(t->tp, w, t->tlen) == 0;
}

static int expect_sym(tx *t, char c, const char *what)
{
	if (!is_sym(t, c))
		return t->tok == TK_EOF ? tx_fail(t, "expected '%c' %s, found the end of the file", c, what)
					: tx_fail(t, "expected '%c' %s, found " TOK_FMT, c, what, TOK_ARG(t));
	return next(t);
}

/* ---------------------------------------------------------------- values */

static int oct(int c) { return c >= '0' && c <= '7'; }

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t put_utf8(uint8_t *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (uint8_t)(0xc0 | cp >> 6);
		o[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (uint8_t)(0xe0 | cp >> 12);
		o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (uint8_t)(0xf0 | cp >> 18);
	o[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

static int simple_escape(int c)
{
	switch (c) {
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'v': return '\v';
	case '\\': case '\'': case '"': case '?': return c;
	default: return -1;
	}
}

/* Decodes the current string token's body into o (room for its length);
 * returns the decoded length in *n. */
static int decode_string(tx *t, uint8_t *o, size_t *n)
{
	const char *s = t->tp + 1, *e = t->tp + t->tlen - 1;
	size_t len = 0;
	while (s < e) {
		if (*s != '\\') {
			o[len++] = (uint8_t)*s++;
			continue;
		}
		size_t col = t->tcol + (size_t)(s - t->tp);
		int c = (unsigned char)*++s, v;
		if (oct(c)) {
			unsigned val = 0;
			for (int k = 0; k < 3 && s < e && oct(*s); k++)
				val = val * 8 + (unsigned)(*s++ - '0');
			if (val > 255)
				return tx_fail_at(t, t->tline, col, HS_EPARSE, "octal escape above \\377");
			o[len++] = (uint8_t)val;
		} else if (c == 'x' || c == 'X') {
			unsigned val = 0;
			int k = 0;
			for (s++; k < 2 && s < e && hexval(*s) >= 0; k++)
				val = val * 16 + (unsigned)hexval(*s++);
			if (!k)
				return tx_fail_at(t, t->tline, col, HS_EPARSE, "\\x without hex digits");
			o[len++] = (uint8_t)val;
		} else if (c == 'u' || c == 'U') {
			int digits = c == 'u' ? 4 : 8;
			uint32_t cp = 0;
			s++;
			for (int k = 0; k < digits; k++, s++) {
				if (s >= e || hexval(*s) < 0)
					return tx_fail_at(t, t->tline, col, HS_EPARSE,
							  "\\%c needs %d hex digits", c, digits);
				cp = cp * 16 + (uint32_t)hexval(*s);
			}
			/* Four UTF-8 bytes fit in the six to ten of the escape. */
			if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				return tx_fail_at(t, t->tline, col, HS_EPARSE, "\\%c escape is not a Unicode scalar value", c);
			len += put_utf8(o + len, cp);
		} else if ((v = simple_escape(c)) >= 0) {
			o[len++] = (uint8_t)v;
			s++;
		} else {
			return tx_fail_at(t, t->tline, col, HS_EPARSE, "unknown escape '\\%c'", c);
		}
	}
	*n = len;
	return HS_OK;
}

/* One or more adjacent string tokens, decoded and concatenated into a new
 * NUL-terminated buffer. */
static int parse_bytes(tx *t, uint8_t **out, size_t *out_len)
{
	if (t->tok != TK_STRING)
		return tx_fail(t, "expected a string, found " TOK_FMT, TOK_ARG(t));
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	while (t->tok == TK_STRING) {
		size_t n = 0;
		int rc = hs_grow((void **)&buf, &cap, len + t->tlen + 1, 1, 16);
		if (rc == HS_OK)
			rc = decode_string(t, buf + len, &n);
		if (rc == HS_OK)
			rc = next(t);
		if (rc != HS_OK) {
			free(buf);
			return rc;
		}
		len += n;
	}
	buf[len] = 0;
	*out = buf;
	*out_len = len;
	return HS_OK;
}

/* An integer token (after an optional '-'): magnitude and sign. */
static int parse_integer(tx *t, uint64_t *mag, int *neg)
{
	*neg = 0;
	if (is_sym(t, '-')) {
		*neg = 1;
		int rc = next(t);
		if (rc != HS_OK)
			return rc;
	}
	if (t->tok != TK_NUMBER)
		return tx_fail(t, "expected an integer, found " TOK_FMT, TOK_ARG(t));
	const char *s = t->tp, *e = t->tp + t->tlen;
	unsigned base = 10;
	if (e - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (e - s > 1 && s[0] == '0') {
		base = 8;
		s++;
	}
	uint64_t v = 0;
	for (; s < e; s++) {
		int d = hexval(*s);
		if (d < 0 || (unsigned)d >= base)
			return tx_fail(t, "expected an integer, found " TOK_FMT, TOK_ARG(t));
		if (v > (UINT64_MAX - (unsigned)d) / base)
			return tx_fail(t, "integer " TOK_FMT " is out of range", TOK_ARG(t));
		v = v * base + (unsigned)d;
	}
	*mag = v;
	return HS_OK;
}

static int parse_signed(tx *t, int64_t *out, int64_t min, int64_t max)
{
	uint64_t mag;
	int neg, rc = parse_integer(t, &mag, &neg);
	if (rc != HS_OK)
		return rc;
	if ((!neg && mag > (uint64_t)max) || (neg && mag > (uint64_t)-(min + 1) + 1))
		return tx_fail(t, "integer " TOK_FMT " is out of range", TOK_ARG(t));
	*out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return next(t);
}

static int parse_unsigned(tx *t, uint64_t *out, uint64_t max)
{
	uint64_t mag;
	int neg, rc = parse_integer(t, &mag, &neg);
	if (rc != HS_OK)
		return rc;
	if ((neg && mag) || mag > max)
		return tx_fail(t, "integer " TOK_FMT " is out of range", TOK_ARG(t));
	*out = mag;
	return next(t);
}

static int word_ci(const tx *t, const char *w)
{
	size_t n = strlen(w);
	if (t->tok != TK_IDENT || t->tlen != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)t->tp[i]) != w[i])
			return 0;
	return 1;
}

static int parse_double(tx *t, double *out)
{
	int neg = 0, rc;
	if (is_sym(t, '-')) {
		neg = 1;
		if ((rc = next(t)) != HS_OK)
			return rc;
	}
	double v;
	if (word_ci(t, "inf") || word_ci(t, "infinity") || word_ci(t, "inff") ||
	    word_ci(t, "infinityf")) {
		v = INFINITY;
	} else if (word_ci(t, "nan") || word_ci(t, "nanf")) {
		v = NAN;
	} else if (t->tok == TK_NUMBER && t->tlen > 2 && t->tp[0] == '0' &&
		   (t->tp[1] == 'x' || t->tp[1] == 'X')) {
		uint64_t mag;
		int ignored;
		if ((rc = parse_integer(t, &mag, &ignored)) != HS_OK)
			return rc;
		v = (double)mag;
	} else if (t->tok == TK_NUMBER) {
		char buf[128];
		size_t n = t->tlen;
		if (n && (t->tp[n - 1] == 'f' || t->tp[n - 1] == 'F'))
			n--; /* 1.5f */
		if (n == 0 || n >= sizeof buf)
			return tx_fail(t, "expected a number, found " TOK_FMT, TOK_ARG(t));
		memcpy(buf, t->tp, n);
		buf[n] = 0;
		char *end;
		errno = 0;
		v = strtod(buf, &end);
		if (*end || (unsigned char)buf[0] > '9' ||
		    strchr(buf, 'x') || strchr(buf, 'X') || strpbrk(buf, "iInN"))
			return tx_fail(t, "expected a number, found " TOK_FMT, TOK_ARG(t));
	} else {
		return tx_fail(t, "expected a number, found " TOK_FMT, TOK_ARG(t));
	}
	*out = neg ? -v : v;
	return next(t);
}

static int parse_bool(tx *t, protobuf_c_boolean *out)
{
	if (is_word(t, "true") || is_word(t, "True") || is_word(t, "t") ||
	    (t->tok == TK_NUMBER && t->tlen == 1 && t->tp[0] == '1'))
		*out = 1;
	else if (is_word(t, "false") || is_word(t, "False") || is_word(t, "f") ||
		 (t->tok == TK_NUMBER && t->tlen == 1 && t->tp[0] == '0'))
		*out = 0;
	else
		return tx_fail(t, "expected true or false, found " TOK_FMT, TOK_ARG(t));
	return next(t);
}

static int parse_enum(tx *t, const ProtobufCEnumDescriptor *ed, int32_t *out)
{
	if (t->tok != TK_IDENT) {
		int64_t v;
		int rc = parse_signed(t, &v, INT32_MIN, INT32_MAX);
		*out = (int32_t)v;
		return rc; /* proto3 enums are open: any number stands */
	}
	char name[128];
	const ProtobufCEnumValue *ev = NULL;
	if (t->tlen < sizeof name) {
		memcpy(name, t->tp, t->tlen);
		name[t->tlen] = 0;
		ev = protobuf_c_enum_descriptor_get_value_by_name(ed, name);
	}
	if (!ev)
		return tx_fail(t, "enum %s has no value named " TOK_FMT, ed->name, TOK_ARG(t));
	*out = ev->value;
	return next(t);
}

/* --------------------------------------------------------------- messages */

typedef struct frame {
	ProtobufCMessage *m;
	size_t *caps;          /* per field: capacity of its repeated array */
	unsigned char *seen;   /* per field: a singular field was given */
} frame;

static int parse_body(tx *t, ProtobufCMessage *m, char close, uint32_t depth);

/* Where the next value of field fd goes: a new zeroed element of a
 * repeated field, or the singular member itself. */
static int value_slot(tx *t, frame *f, const ProtobufCFieldDescriptor *fd,
		      void **slot)
{
	char *base = (char *)f->m;
	size_t idx = (size_t)(fd - f->m->descriptor->fields);
	if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
		size_t *n = (size_t *)(base + fd->quantifier_offset);
		void **arr = (void **)(base + fd->offset);
		size_t es = hs_text_elem_size(fd->type);
		if (hs_grow(arr, &f->caps[idx], *n + 1, es, 4) != HS_OK)
			return HS_ENOMEM;
		*slot = (char *)*arr + *n * es;
		memset(*slot, 0, es);
		(*n)++;
		return HS_OK;
	}
	if (f->seen[idx])
		return tx_fail_at(t, t->fline, t->fcol, HS_EPARSE,
				  "field '%s' of %s is given more than once",
			       fd->name, f->m->descriptor->name);
	if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
		uint32_t *which = (uint32_t *)(base + fd->quantifier_offset);
		if (*which) {
			const ProtobufCFieldDescriptor *other =
				protobuf_c_message_descriptor_get_field(f->m->descriptor, *which);
			return tx_fail_at(t, t->fline, t->fcol, HS_EPARSE,
					  "field '%s' of %s is set after '%s' of the same oneof",
				       fd->name, f->m->descriptor->name, other ? other->name : "?");
		}
		*which = fd->id;
	} else if (fd->label == PROTOBUF_C_LABEL_OPTIONAL &&
		   fd->type != PROTOBUF_C_TYPE_MESSAGE &&
		   fd->type != PROTOBUF_C_TYPE_STRING) {
		*(protobuf_c_boolean *)(base + fd->quantifier_offset) = 1;
	}
	f->seen[idx] = 1;
	*slot = base + fd->offset;
	return HS_OK;
}

static int parse_message_value(tx *t, const ProtobufCFieldDescriptor *fd,
			       void *slot, uint32_t depth)
{
	const ProtobufCMessageDescriptor *md = fd->descriptor;
	char close = is_sym(t, '<') ? '>' : '}';
	if (depth >= t->max_depth)
		return tx_fail_at(t, t->tline, t->tcol, HS_ELIMIT,
				  "messages nested deeper than the limit of %u", t->max_depth);
	ProtobufCMessage *sub = malloc(md->sizeof_message);
	if (!sub)
		return hs_fail(HS_ENOMEM, "out of memory");
	protobuf_c_message_init(md, sub);
	*(ProtobufCMessage **)slot = sub;
	int rc = next(t);
	if (rc == HS_OK)
		rc = parse_body(t, sub, close, depth + 1);
	return rc;
}

static int parse_scalar(tx *t, const ProtobufCFieldDescriptor *fd, void *slot)
{
	int64_t i;
	uint64_t u;
	double d;
	int rc;
	switch (fd->type) {
	case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		if ((rc = parse_signed(t, &i, INT32_MIN, INT32_MAX)) == HS_OK)
			*(int32_t *)slot = (int32_t)i;
		return rc;
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		if ((rc = parse_signed(t, &i, INT64_MIN, INT64_MAX)) == HS_OK)
			*(int64_t *)slot = i;
		return rc;
	case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
		if ((rc = parse_unsigned(t, &u, UINT32_MAX)) == HS_OK)
			*(uint32_t *)slot = (uint32_t)u;
		return rc;
	case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
		if ((rc = parse_unsigned(t, &u, UINT64_MAX)) == HS_OK)
			*(uint64_t *)slot = u;
		return rc;
	case PROTOBUF_C_TYPE_FLOAT:
		if ((rc = parse_double(t, &d)) == HS_OK)
			*(float *)slot = (float)d;
		return rc;
	case PROTOBUF_C_TYPE_DOUBLE:
		if ((rc = parse_double(t, &d)) == HS_OK)
			*(double *)slot = d;
		return rc;
	case PROTOBUF_C_TYPE_BOOL:
		return parse_bool(t, slot);
	case PROTOBUF_C_TYPE_ENUM:
		return parse_enum(t, fd->descriptor, slot);
	case PROTOBUF_C_TYPE_STRING: {
		uint8_t *s;
		size_t n;
		size_t line = t->tline, col = t->tcol;
		if ((rc = parse_bytes(t, &s, &n)) != HS_OK)
			return rc;
		*(char **)slot = (char *)s;
		if (memchr(s, 0, n))
			return tx_fail_at(t, line, col, HS_EPARSE,
					  "string field '%s' holds a NUL byte", fd->name);
		return HS_OK;
	}
	case PROTOBUF_C_TYPE_BYTES: {
		ProtobufCBinaryData *b = slot;
		uint8_t *s;
		if ((rc = parse_bytes(t, &s, &b->len)) == HS_OK)
			b->data = s;
		return rc;
	}
	default:
		return tx_fail(t, "field '%s' has a type hintstub cannot read", fd->name);
	}
}

static int parse_value(tx *t, frame *f, const ProtobufCFieldDescriptor *fd,
		       uint32_t depth)
{
	void *slot = NULL;
	/* The brace first: no message element is added without its message. */
	if (fd->type == PROTOBUF_C_TYPE_MESSAGE && !is_sym(t, '{') && !is_sym(t, '<'))
		return tx_fail(t, "expected '{' after message field '%s', found " TOK_FMT,
			       fd->name, TOK_ARG(t));
	int rc = value_slot(t, f, fd, &slot);
	if (rc != HS_OK)
		return rc;
	if (fd->type == PROTOBUF_C_TYPE_MESSAGE)
		return parse_message_value(t, fd, slot, depth);
	return parse_scalar(t, fd, slot);
}

/* `[a, b, ...]` of a repeated field. */
static int parse_list(tx *t, frame *f, const ProtobufCFieldDescriptor *fd,
		      uint32_t depth)
{
	if (fd->label != PROTOBUF_C_LABEL_REPEATED)
		return tx_fail(t, "field '%s' is not repeated: no list", fd->name);
	int rc = next(t);
	if (rc == HS_OK && is_sym(t, ']'))
		return next(t);
	while (rc == HS_OK) {
		rc = parse_value(t, f, fd, depth);
		if (rc == HS_OK && is_sym(t, ']'))
			return next(t);
		if (rc == HS_OK)
			rc = expect_sym(t, ',', "or ']' in the list");
	}
	return rc;
}

static const ProtobufCFieldDescriptor *find_field(const tx *t,
						  const ProtobufCMessageDescriptor *md)
{
	char name[128];
	if (t->tlen >= sizeof name)
		return NULL;
	memcpy(name, t->tp, t->tlen);
	name[t->tlen] = 0;
	return protobuf_c_message_descriptor_get_field_by_name(md, name);
}

/* One `name: value`, `name { ... }` or `name: [ ... ]`, with the optional
 * ',' or ';' after it. */
static int parse_field(tx *t, frame *f, uint32_t depth)
{
	const ProtobufCMessageDescriptor *md = f->m->descriptor;
	if (is_sym(t, '['))
		return tx_fail(t, "extensions and Any expansions ('[...]') are not supported");
	if (t->tok != TK_IDENT)
		return tx_fail(t, "expected a field name, found " TOK_FMT, TOK_ARG(t));
	const ProtobufCFieldDescriptor *fd = find_field(t, md);
	if (!fd)
		return tx_fail(t, "message %s has no field named " TOK_FMT, md->name, TOK_ARG(t));
	t->fline = t->tline;
	t->fcol = t->tcol;
	int rc = next(t);
	int colon = rc == HS_OK && is_sym(t, ':');
	if (colon)
		rc = next(t);
	if (rc == HS_OK && !colon && fd->type != PROTOBUF_C_TYPE_MESSAGE)
		return tx_fail(t, "expected ':' after field '%s'", fd->name);
	if (rc == HS_OK)
		rc = is_sym(t, '[') ? parse_list(t, f, fd, depth) : parse_value(t, f, fd, depth);
	if (rc == HS_OK && (is_sym(t, ',') || is_sym(t, ';')))
		rc = next(t);
	return rc;
}

static int frame_new(frame *f, ProtobufCMessage *m)
{
	size_t n = m->descriptor->n_fields ? m->descriptor->n_fields : 1;
	f->m = m;
	f->caps = calloc(n, sizeof *f->caps);
	f->seen = calloc(n, 1);
	if (!f->caps || !f->seen) {
		free(f->caps);
		free(f->seen);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	return HS_OK;
}

static void frame_free(frame *f)
{
	free(f->caps);
	free(f->seen);
}

/* The fields of a message up to its closing `close`. */
static int parse_body(tx *t, ProtobufCMessage *m, char close, uint32_t depth)
{
	frame f;
	int rc = frame_new(&f, m);
	while (rc == HS_OK && !is_sym(t, close)) {
		if (t->tok == TK_EOF)
			rc = tx_fail(t, "expected '%c' to close %s, found the end of the file",
				     close, m->descriptor->name);
		else
			rc = parse_field(t, &f, depth);
	}
	if (rc == HS_OK)
		rc = next(t);
	frame_free(&f);
	return rc;
}

static int pack_into(hs_buf *b, const ProtobufCMessage *m)
{
	size_t n = protobuf_c_message_get_packed_size(m);
	if (n == 0)
		return HS_OK; /* "version: 0": nothing on the wire, maybe no buffer yet */
	if (hs_buf_reserve(b, n) != HS_OK)
		return hs_fail(HS_ENOMEM, "out of memory");
	b->len += protobuf_c_message_pack(m, b->data + b->len);
	return HS_OK;
}

/* The GraphDef, one top-level field at a time: each is parsed into a
 * fresh message, packed and freed. */
static int parse_top(tx *t, hs_buf *out)
{
	const ProtobufCMessageDescriptor *md = &tensorflow__graph_def__descriptor;
	unsigned char *seen = calloc(md->n_fields, 1);
	int rc = seen ? next(t) : hs_fail(HS_ENOMEM, "out of memory");
	while (rc == HS_OK && t->tok != TK_EOF) {
		ProtobufCMessage *m = malloc(md->sizeof_message);
		frame f = { m, NULL, seen };
		if (!m || !(f.caps = calloc(md->n_fields, sizeof *f.caps))) {
			free(m);
			rc = hs_fail(HS_ENOMEM, "out of memory");
			break;
		}
		protobuf_c_message_init(md, m);
		rc = parse_field(t, &f, 1);
		if (rc == HS_OK)
			rc = pack_into(out, m);
		protobuf_c_message_free_unpacked(m, NULL);
		free(f.caps);
	}
	free(seen);
	return rc;
}

int hs_text_to_wire(uint8_t **out, size_t *out_size, const uint8_t *text,
		    size_t size, const char *label, uint32_t max_depth)
{
	tx t;
	memset(&t, 0, sizeof t);
	t.p = (const char *)text;
	t.end = t.p + size;
	t.label = label ? label : "<memory>";
	t.max_depth = max_depth;
	t.line_start = t.p;
	t.line = 1;
	hs_buf b = { NULL, 0, 0, 0 };
	*out = NULL;
	*out_size = 0;
	int rc = parse_top(&t, &b);
	if (rc == HS_OK && b.failed)
		rc = hs_fail(HS_ENOMEM, "out of memory");
	if (rc != HS_OK) {
		hs_buf_free(&b);
		return rc;
	}
	*out = b.data ? b.data : malloc(1);
	*out_size = b.len;
	return *out ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
}
