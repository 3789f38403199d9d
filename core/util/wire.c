#include <config.h>

#include <stdlib.h>

#include "wire.h"

const char *hs_wire_status_text(int status)
{
	switch (status) {
	case HS_WIRE_TRUNCATED: return "truncated field (length or varint runs past the end)";
	case HS_WIRE_BAD_VARINT: return "malformed varint";
	case HS_WIRE_BAD_TAG: return "invalid field number";
	case HS_WIRE_BAD_TYPE: return "invalid wire type";
	default: return "malformed protobuf";
	}
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
	if (b->cap - b->len >= extra)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < extra) {
		if (cap > SIZE_MAX / 2) {
			b->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	uint8_t *p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void hs_buf_put(hs_buf *b, const void *data, size_t len)
{
	if (len == 0 || hs_buf_reserve(b, len) != 0)
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

void hs_buf_put_varint(hs_buf *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;
	while (v >= 0x80) {
		tmp[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	tmp[n++] = (uint8_t)v;
	hs_buf_put(b, tmp, n);
}

void hs_buf_put_tag(hs_buf *b, uint32_t number, uint32_t wire_type)
{
	hs_buf_put_varint(b, ((uint64_t)number << 3) | wire_type);
}

void hs_buf_put_len_field(hs_buf *b, uint32_t number, const void *data,
			  size_t len)
{
	hs_buf_put_tag(b, number, HS_WT_LEN);
	hs_buf_put_varint(b, len);
	hs_buf_put(b, data, len);
}

void hs_buf_free(hs_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
