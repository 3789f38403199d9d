/* Minimal protobuf wire-format reading and writing.  The graph keeps nodes
 * as the bytes they were read as; this is what walks and rebuilds them. */
#ifndef HS_WIRE_H
#define HS_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum {
	HS_WT_VARINT = 0,
	HS_WT_I64 = 1,
	HS_WT_LEN = 2,
	HS_WT_SGROUP = 3,
	HS_WT_EGROUP = 4,
	HS_WT_I32 = 5
};

typedef struct hs_field {
	uint32_t number;
	uint32_t wire_type;
	uint64_t value;         /* VARINT, I64, I32 */
	const uint8_t *data;    /* LEN: payload */
	size_t len;             /* LEN: payload length */
	const uint8_t *start;   /* first byte of the tag */
	const uint8_t *end;     /* one past the field */
} hs_field;

typedef enum hs_wire_status {
	HS_WIRE_OK = 0,
	HS_WIRE_END = 1,        /* no more fields */
	HS_WIRE_TRUNCATED = -1, /* a varint or payload runs past the end */
	HS_WIRE_BAD_VARINT = -2,
	HS_WIRE_BAD_TAG = -3,   /* field number 0 or out of range */
	HS_WIRE_BAD_TYPE = -4   /* groups or wire types 6/7 */
} hs_wire_status;

static inline int hs_wire_varint(uint64_t *out, const uint8_t **pp,
				 const uint8_t *end)
{
	const uint8_t *p = *pp;
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (p >= end)
			return HS_WIRE_TRUNCATED;
		uint8_t b = *p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			if (shift == 63 && b > 1)
				return HS_WIRE_BAD_VARINT;
			*out = v;
			*pp = p;
			return HS_WIRE_OK;
		}
	}
	return HS_WIRE_BAD_VARINT;
}

/* Reads the field at *pp and advances past it. */
static inline int hs_wire_next(hs_field *f, const uint8_t **pp,
			       const uint8_t *end)
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
	default:
		return HS_WIRE_BAD_TYPE;
	}
	f->end = p;
	*pp = p;
	return HS_WIRE_OK;
}

const char *hs_wire_status_text(int status);
const char *hs_wire_type_name(uint32_t wire_type);

/* Growable output buffer. */
typedef struct hs_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int failed; /* an allocation failed; later writes are dropped */
} hs_buf;

int hs_buf_reserve(hs_buf *b, size_t extra);
void hs_buf_put(hs_buf *b, const void *data, size_t len);
void hs_buf_put_varint(hs_buf *b, uint64_t v);
void hs_buf_put_tag(hs_buf *b, uint32_t number, uint32_t wire_type);
void hs_buf_put_len_field(hs_buf *b, uint32_t number, const void *data,
			  size_t len);
void hs_buf_free(hs_buf *b);
size_t hs_varint_size(uint64_t v);

#endif
