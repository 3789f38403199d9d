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
	HS_WIRE_BAD_TYPE = -4,  /* wire types 6/7 */
	HS_WIRE_BAD_GROUP = -5, /* an end-group not closing the open group */
	HS_WIRE_DEEP_GROUP = -6 /* more than HS_WIRE_MAX_GROUP_DEPTH groups */
} hs_wire_status;

/* Groups nested deeper than this are refused, as protobuf's parsers
 * refuse messages nested deeper than their recursion limit (100). */
#define HS_WIRE_MAX_GROUP_DEPTH 100

struct hs_field;
/* The group whose start-group tag was read (field number f->number, *pp
 * just past the tag): f->data/len its content, *pp past its end-group.
 * Out of line: groups are rare (proto2's deprecated encoding, met only as
 * unknown fields here). */
int hs_wire_skip_group(struct hs_field *f, const uint8_t **pp, const uint8_t *end);

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
		/* The 10th byte's bits past 64 are dropped, as protobuf's
		 * parsers drop them (a negative int32 is 10 bytes long). */
		if (!(b & 0x80)) {
			*out = v;
			*pp = p;
			return HS_WIRE_OK;
		}
	}
	return HS_WIRE_BAD_VARINT;
}

/* Reads the field at *pp and advances past it.  A group (wire type 3) is
 * read whole, nested groups included: f->data/len is its content.  The
 * general reading, out of line (wire.c); hs_wire_next is what callers
 * use. */
int hs_wire_next_slow(hs_field *f, const uint8_t **pp, const uint8_t *end);

/* hs_wire_next_slow with the common shapes read inline: a one-byte tag
 * and a varint value or a length of one to three bytes (names, inputs,
 * attribute entries, shapes, most nodes and tensors).  The parse reads
 * every field of the file through this. */
static inline int hs_wire_next(hs_field *f, const uint8_t **pp,
			       const uint8_t *end)
{
	const uint8_t *p = *pp;
	ptrdiff_t avail = end - p;
	if (avail < 2 || p[0] < 8 || p[0] >= 0x80 ||
	    ((p[0] & 7) != HS_WT_VARINT && (p[0] & 7) != HS_WT_LEN))
		return hs_wire_next_slow(f, pp, end);
	uint32_t type = p[0] & 7u;
	uint64_t v = p[1] & 0x7f;
	ptrdiff_t head = 2;
	if (p[1] & 0x80) {
		if (avail < 3)
			return hs_wire_next_slow(f, pp, end);
		v |= (uint64_t)(p[2] & 0x7f) << 7;
		head = 3;
		if (p[2] & 0x80) {
			if (avail < 4 || (p[3] & 0x80))
				return hs_wire_next_slow(f, pp, end);
			v |= (uint64_t)p[3] << 14;
			head = 4;
		}
	}
	f->start = p;
	f->number = p[0] >> 3;
	f->wire_type = type;
	if (type == HS_WT_VARINT) {
		f->value = v;
		f->data = NULL;
		f->len = 0;
		f->end = *pp = p + head;
		return HS_WIRE_OK;
	}
	if (v > (uint64_t)(avail - head))
		return hs_wire_next_slow(f, pp, end);
	f->value = 0;
	f->data = p + head;
	f->len = (size_t)v;
	f->end = *pp = p + head + v;
	return HS_WIRE_OK;
}

/* The next length-delimited field of [*pp, end): its number, payload and
 * length; fields of other wire types are skipped.  0 at the end or on
 * malformed bytes.  For walks over bytes already checked (attribute
 * lookups), where a one-byte tag and a one-byte length -- names, inputs,
 * most attribute entries and keys -- skip hs_wire_next. */
static inline uint32_t hs_wire_next_len(const uint8_t **pp, const uint8_t *end,
					const uint8_t **data, size_t *len)
{
	for (;;) {
		const uint8_t *p = *pp;
		if (end - p >= 2 && ((p[0] | p[1]) & 0x80) == 0 &&
		    (p[0] & 7) == HS_WT_LEN && p[0] >= 8 &&
		    (size_t)p[1] <= (size_t)(end - p - 2)) {
			*data = p + 2;
			*len = p[1];
			*pp = p + 2 + p[1];
			return (uint32_t)p[0] >> 3;
		}
		hs_field f;
		if (hs_wire_next(&f, pp, end) != HS_WIRE_OK)
			return 0;
		if (f.wire_type == HS_WT_LEN) {
			*data = f.data;
			*len = f.len;
			return f.number;
		}
	}
}

/* The longest varint (a 64-bit value). */
#define HS_VARINT_MAX 10

/* Writes v as a varint at p, which has room for HS_VARINT_MAX bytes;
 * returns the number of bytes written.  The one varint encoder. */
static inline size_t hs_varint_encode(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
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
/* Room for n more bytes at the end of b, reserved at once for a line of
 * pieces (text.h): where they go, or NULL when b has failed.  The bytes
 * are b's once hs_buf_commit is given the end of what was written.  n is
 * 64 bits wide, as the room macros (HS_ESCAPE_ROOM, HS_JSON_STR_ROOM)
 * are, so that a sum of rooms cannot wrap where size_t is 32 bits. */
static inline char *hs_buf_room(hs_buf *b, uint64_t n)
{
	if (n > SIZE_MAX) {
		b->failed = 1;
		return NULL;
	}
	return hs_buf_reserve(b, (size_t)n) == 0 ? (char *)b->data + b->len : NULL;
}
static inline void hs_buf_commit(hs_buf *b, char *end)
{
	b->len = (size_t)(end - (char *)b->data);
}
/* printf into the buffer (not terminated); a failure sets b->failed. */
void hs_buf_printf(hs_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The len bytes at s in hs_escape's printable form (graph.h). */
void hs_buf_put_escaped(hs_buf *b, const char *s, size_t len);
void hs_buf_put_varint(hs_buf *b, uint64_t v);
void hs_buf_put_tag(hs_buf *b, uint32_t number, uint32_t wire_type);
void hs_buf_put_len_field(hs_buf *b, uint32_t number, const void *data,
			  size_t len);
/* Frees the bytes and makes b an empty buffer again (failed cleared). */
/* Terminates b as text and hands its bytes to *out (the caller frees
 * them); HS_ENOMEM, b freed, when b failed. */
int hs_buf_take_text(char **out, hs_buf *b);
void hs_buf_free(hs_buf *b);
size_t hs_varint_size(uint64_t v);

#endif
