#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "grow.h"
#include "error.h"
#include "wire.h"

#define HS_WIRE_STR_(x) #x
#define HS_WIRE_STR(x) HS_WIRE_STR_(x)

const char *hs_wire_status_text(int status)
{
	switch (status) {
	case HS_WIRE_TRUNCATED: return "truncated field (length or varint runs past the end)";
	case HS_WIRE_BAD_VARINT: return "malformed varint";
	case HS_WIRE_BAD_TAG: return "invalid field number";
	case HS_WIRE_BAD_TYPE: return "invalid wire type";
	case HS_WIRE_BAD_GROUP: return "end-group without a matching start-group";
	case HS_WIRE_DEEP_GROUP: return "groups nested deeper than " HS_WIRE_STR(HS_WIRE_MAX_GROUP_DEPTH);
	default: return "malformed protobuf";
	}
}

int hs_wire_next_slow(hs_field *f, const uint8_t **pp, const uint8_t *end)
{
	const uint8_t *p = *pp;
	uint64_t tag;
	int rc;
	if (p >= end)
		return HS_WIRE_END;
	f->start = p;
	if ((rc = hs_wire_varint(&tag, &p, end)) != HS_WIRE_OK)
		return rc;
	if ((tag >> 3) == 0 || (tag >> 3) > 0x1fffffff)
		return HS_WIRE_BAD_TAG;
	f->number = (uint32_t)(tag >> 3);
	f->wire_type = (uint32_t)(tag & 7);
	f->data = NULL;
	f->len = 0;
	switch (f->wire_type) {
	case HS_WT_VARINT:
		if ((rc = hs_wire_varint(&f->value, &p, end)) != HS_WIRE_OK)
			return rc;
		break;
	case HS_WT_I64:
		if ((size_t)(end - p) < 8)
			return HS_WIRE_TRUNCATED;
		memcpy(&f->value, p, 8);
		p += 8;
		break;
	case HS_WT_I32: {
		uint32_t v32;
		if ((size_t)(end - p) < 4)
			return HS_WIRE_TRUNCATED;
		memcpy(&v32, p, 4);
		f->value = v32;
		p += 4;
		break;
	}
	case HS_WT_LEN: {
		uint64_t len;
		if ((rc = hs_wire_varint(&len, &p, end)) != HS_WIRE_OK)
			return rc;
		if (len > (uint64_t)(end - p))
			return HS_WIRE_TRUNCATED;
		f->data = p;
		f->len = (size_t)len;
		p += len;
		break;
	}
	case HS_WT_SGROUP:
		if ((rc = hs_wire_skip_group(f, &p, end)) != HS_WIRE_OK)
			return rc;
		break;
	case HS_WT_EGROUP:
		return HS_WIRE_BAD_GROUP;
	default:
		return HS_WIRE_BAD_TYPE;
	}
	f->end = p;
	*pp = p;
	return HS_WIRE_OK;
}

int hs_wire_skip_group(hs_field *f, const uint8_t **pp, const uint8_t *end)
{
	uint32_t open[HS_WIRE_MAX_GROUP_DEPTH];
	size_t depth = 0;
	const uint8_t *p = *pp, *content = p;
	open[depth++] = f->number;
	while (depth) {
		const uint8_t *q = p;
		uint64_t tag;
		int rc = hs_wire_varint(&tag, &q, end);
		if (rc != HS_WIRE_OK)
			return rc;
		uint32_t number = (uint32_t)(tag >> 3), type = (uint32_t)(tag & 7);
		if (type == HS_WT_SGROUP && number != 0 && (tag >> 3) <= 0x1fffffff) {
			if (depth == HS_WIRE_MAX_GROUP_DEPTH)
				return HS_WIRE_DEEP_GROUP;
			open[depth++] = number;
			p = q;
		} else if (type == HS_WT_EGROUP) {
			if ((tag >> 3) != open[depth - 1])
				return HS_WIRE_BAD_GROUP;
			depth--;
			if (!depth)
				f->len = (size_t)(p - content);
			p = q;
		} else {
			hs_field inner;
			if ((rc = hs_wire_next(&inner, &p, end)) != HS_WIRE_OK)
				return rc == HS_WIRE_END ? HS_WIRE_TRUNCATED : rc;
		}
	}
	f->data = content;
	*pp = p;
	return HS_WIRE_OK;
}

const char *hs_wire_type_name(uint32_t wire_type)
{
	static const char *names[] = { "varint", "64-bit", "length-delimited",
				       "start-group", "end-group", "32-bit" };
	return wire_type < 6 ? names[wire_type] : "invalid";
}

size_t hs_varint_size(uint64_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

int hs_buf_reserve(hs_buf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (extra > SIZE_MAX - b->len ||
	    hs_grow((void **)&b->data, &b->cap, b->len + extra, 1, 256) != HS_OK) {
		b->failed = 1;
		return -1;
	}
	return 0;
}

void hs_buf_put(hs_buf *b, const void *data, size_t len)
{
	if (len == 0 || hs_buf_reserve(b, len) != 0)
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

void hs_buf_put_escaped(hs_buf *b, const char *s, size_t len)
{
	char *p = len ? hs_buf_room(b, HS_ESCAPE_ROOM(len)) : NULL;
	if (p)
		hs_buf_commit(b, hs_escape_to(p, s, len));
}

void hs_buf_printf(hs_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		hs_buf_put(b, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	hs_buf_put(b, big, (size_t)n);
	free(big);
}

/* Encoded in place: the writer puts millions of small fields, and a
 * reservation each (instead of one a varint) was a third of its time. */
void hs_buf_put_varint(hs_buf *b, uint64_t v)
{
	if (hs_buf_reserve(b, HS_VARINT_MAX) == 0)
		b->len += hs_varint_encode(b->data + b->len, v);
}

void hs_buf_put_tag(hs_buf *b, uint32_t number, uint32_t wire_type)
{
	hs_buf_put_varint(b, ((uint64_t)number << 3) | wire_type);
}

void hs_buf_put_len_field(hs_buf *b, uint32_t number, const void *data,
			  size_t len)
{
	if (len > SIZE_MAX - 2 * HS_VARINT_MAX ||
	    hs_buf_reserve(b, 2 * HS_VARINT_MAX + len) != 0) {
		b->failed = 1;
		return;
	}
	uint8_t *p = b->data + b->len;
	p += hs_varint_encode(p, ((uint64_t)number << 3) | HS_WT_LEN);
	p += hs_varint_encode(p, len);
	if (len)
		memcpy(p, data, len);
	b->len = (size_t)(p - b->data) + len;
}

int hs_buf_take_text(char **out, hs_buf *b)
{
	hs_buf_put(b, "", 1);
	if (b->failed) {
		hs_buf_free(b);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	*out = (char *)b->data;
	return HS_OK;
}

void hs_buf_free(hs_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
