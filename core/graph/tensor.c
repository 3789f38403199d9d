/* Constant tensors (a Const's `value`) read from the wire bytes: dtype,
 * shape and values, without decoding the TensorProto into a message tree.
 * Values come either as `tensor_content` (raw little-endian bytes) or in
 * the repeated field of their type, where TensorFlow repeats the last
 * value to fill the shape (one float_val for a whole splat). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "graph_internal.h"

/* TensorProto and TensorShapeProto field numbers (TensorFlow's). */
enum {
	TP_DTYPE = 1, TP_SHAPE = 2, TP_CONTENT = 4, TP_FLOAT = 5, TP_DOUBLE = 6,
	TP_INT = 7, TP_INT64 = 10, TP_BOOL = 11, TP_HALF = 13, TP_UINT32 = 16,
	TP_UINT64 = 17,
	SHAPE_DIM = 2, SHAPE_UNKNOWN_RANK = 3, DIM_SIZE = 1
};

/* How the values of one dtype are stored. */
typedef struct dtype_info {
	int dtype;
	const char *name;
	size_t size;      /* bytes per element; 0: not readable as numbers */
	uint32_t field;   /* the repeated field holding them */
	uint32_t wire;    /* its element wire type: VARINT, I32 or I64 */
} dtype_info;

static const dtype_info dtypes[] = {
	{ 1, "DT_FLOAT", 4, TP_FLOAT, HS_WT_I32 },
	{ 2, "DT_DOUBLE", 8, TP_DOUBLE, HS_WT_I64 },
	{ 3, "DT_INT32", 4, TP_INT, HS_WT_VARINT },
	{ 4, "DT_UINT8", 1, TP_INT, HS_WT_VARINT },
	{ 5, "DT_INT16", 2, TP_INT, HS_WT_VARINT },
	{ 6, "DT_INT8", 1, TP_INT, HS_WT_VARINT },
	{ 7, "DT_STRING", 0, 0, 0 },
	{ 8, "DT_COMPLEX64", 0, 0, 0 },
	{ 9, "DT_INT64", 8, TP_INT64, HS_WT_VARINT },
	{ 10, "DT_BOOL", 1, TP_BOOL, HS_WT_VARINT },
	{ 11, "DT_QINT8", 1, TP_INT, HS_WT_VARINT },
	{ 12, "DT_QUINT8", 1, TP_INT, HS_WT_VARINT },
	{ 13, "DT_QINT32", 4, TP_INT, HS_WT_VARINT },
	{ 14, "DT_BFLOAT16", 2, TP_HALF, HS_WT_VARINT },
	{ 15, "DT_QINT16", 2, TP_INT, HS_WT_VARINT },
	{ 16, "DT_QUINT16", 2, TP_INT, HS_WT_VARINT },
	{ 17, "DT_UINT16", 2, TP_INT, HS_WT_VARINT },
	{ 18, "DT_COMPLEX128", 0, 0, 0 },
	{ 19, "DT_HALF", 2, TP_HALF, HS_WT_VARINT },
	{ 20, "DT_RESOURCE", 0, 0, 0 },
	{ 21, "DT_VARIANT", 0, 0, 0 },
	{ 22, "DT_UINT32", 4, TP_UINT32, HS_WT_VARINT },
	{ 23, "DT_UINT64", 8, TP_UINT64, HS_WT_VARINT },
};

static const dtype_info *dtype_find(int dtype)
{
	/* TensorFlow's reference types (dtype + 100) read as their base. */
	int base = dtype > 100 ? dtype - 100 : dtype;
	for (size_t i = 0; i < sizeof dtypes / sizeof dtypes[0]; i++)
		if (dtypes[i].dtype == base)
			return &dtypes[i];
	return NULL;
}

const char *hs_dtype_name(int dtype)
{
	static _Thread_local char unknown[32];
	const dtype_info *d = dtype == 0 ? NULL : dtype_find(dtype);
	if (dtype == 0)
		return "DT_INVALID";
	if (d && dtype < 100)
		return d->name;
	if (d) {
		snprintf(unknown, sizeof unknown, "%s_REF", d->name);
		return unknown;
	}
	snprintf(unknown, sizeof unknown, "DataType %d", dtype);
	return unknown;
}

#define NODE_ARG HS_NODE_NAME_ARG

typedef struct reader {
	const hs_node *n;
	const char *key;
} reader;

static int bad(const reader *rd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad(const reader *rd, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return hs_fail(HS_EPARSE, "node '%.*s': attribute '%s': %s", NODE_ARG(rd->n),
		       rd->key, why);
}

static int read_shape(hs_tensor_view *t, const reader *rd, const uint8_t *p,
		      const uint8_t *end)
{
	hs_field f;
	int rc;
	while ((rc = hs_wire_next(&f, &p, end)) == HS_WIRE_OK) {
		if (f.number == SHAPE_UNKNOWN_RANK && f.wire_type == HS_WT_VARINT && f.value)
			return bad(rd, "the tensor's shape has an unknown rank");
		if (f.number != SHAPE_DIM)
			continue;
		if (f.wire_type != HS_WT_LEN)
			return bad(rd, "a shape dimension is not a message");
		if (t->rank == HS_TENSOR_MAX_RANK)
			return bad(rd, "the tensor has more than %d dimensions", HS_TENSOR_MAX_RANK);
		int64_t size = 0;
		const uint8_t *q = f.data, *qend = f.data + f.len;
		hs_field d;
		while ((rc = hs_wire_next(&d, &q, qend)) == HS_WIRE_OK)
			if (d.number == DIM_SIZE && d.wire_type == HS_WT_VARINT)
				size = (int64_t)d.value;
		if (rc != HS_WIRE_END)
			return bad(rd, "a shape dimension is malformed");
		if (size < 0)
			return bad(rd, "dimension %zu has unknown size %lld", t->rank,
				   (long long)size);
		t->dims[t->rank++] = size;
	}
	return rc == HS_WIRE_END ? HS_OK : bad(rd, "the tensor's shape is malformed");
}

static uint64_t element_count(const hs_tensor_view *t, int *overflow)
{
	uint64_t n = 1;
	*overflow = 0;
	for (size_t i = 0; i < t->rank; i++) {
		uint64_t d = (uint64_t)t->dims[i];
		if (d && n > UINT64_MAX / d)
			*overflow = 1;
		n *= d;
	}
	return n;
}

/* One element of a repeated field, stored at out (size bytes). */
static void store(uint8_t *out, const dtype_info *d, uint64_t v)
{
	if (d->wire == HS_WT_I32) {
		uint32_t bits = (uint32_t)v;
		memcpy(out, &bits, 4);
	} else if (d->size == 8) {
		memcpy(out, &v, 8);
	} else if (d->size == 4) {
		uint32_t x = (uint32_t)v;
		memcpy(out, &x, 4);
	} else if (d->size == 2) {
		uint16_t x = (uint16_t)v;
		memcpy(out, &x, 2);
	} else {
		*out = (uint8_t)v;
	}
}

/* Values of the repeated field, packed or not; each decoded one goes to
 * out[k] while k < cap.  *count gets how many there are. */
static int read_values(size_t *count, uint8_t *out, uint64_t cap, const dtype_info *d,
		       const reader *rd, const uint8_t *p, const uint8_t *end)
{
	hs_field f;
	int rc;
	size_t k = 0;
	while ((rc = hs_wire_next(&f, &p, end)) == HS_WIRE_OK) {
		if (f.number != d->field)
			continue;
		if (f.wire_type == d->wire) {
			if (k < cap)
				store(out + k * d->size, d, f.value);
			k++;
			continue;
		}
		if (f.wire_type != HS_WT_LEN)
			return bad(rd, "the values of a %s tensor have wire type %s", d->name,
				   hs_wire_type_name(f.wire_type));
		const uint8_t *q = f.data, *qend = f.data + f.len;
		while (q < qend) {
			uint64_t v = 0;
			size_t w = d->wire == HS_WT_I32 ? 4 : d->wire == HS_WT_I64 ? 8 : 0;
			if (w && (size_t)(qend - q) < w)
				return bad(rd, "the packed values of a %s tensor are truncated", d->name);
			if (w) {
				for (size_t b = 0; b < w; b++)
					v |= (uint64_t)q[b] << (8 * b);
				q += w;
			} else if (hs_wire_varint(&v, &q, qend) != HS_WIRE_OK) {
				return bad(rd, "the packed values of a %s tensor are malformed", d->name);
			}
			if (k < cap)
				store(out + k * d->size, d, v);
			k++;
		}
	}
	if (rc != HS_WIRE_END)
		return bad(rd, "the tensor is malformed");
	*count = k;
	return HS_OK;
}

static int read_tensor(hs_tensor_view *t, const reader *rd, hs_str msg, void *buf,
		       size_t buf_size)
{
	const uint8_t *p = (const uint8_t *)msg.ptr, *end = p + msg.len;
	hs_field f;
	int rc;
	hs_str content = { NULL, 0 };
	int has_content = 0;
	while ((rc = hs_wire_next(&f, &p, end)) == HS_WIRE_OK) {
		if (f.number == TP_DTYPE && f.wire_type == HS_WT_VARINT)
			t->dtype = (int)(int32_t)f.value;
		else if (f.number == TP_SHAPE && f.wire_type == HS_WT_LEN)
			rc = read_shape(t, rd, f.data, f.data + f.len);
		else if (f.number == TP_CONTENT && f.wire_type == HS_WT_LEN) {
			content = (hs_str){ (const char *)f.data, f.len };
			has_content = 1;
		} else if (f.number == TP_DTYPE || f.number == TP_SHAPE || f.number == TP_CONTENT)
			return bad(rd, "tensor field %u has wire type %s", f.number,
				   hs_wire_type_name(f.wire_type));
		if (rc)
			return rc;
	}
	if (rc != HS_WIRE_END)
		return bad(rd, "the tensor is malformed");
	const dtype_info *d = dtype_find(t->dtype);
	if (!d || !d->size)
		return bad(rd, "%s tensors cannot be read as numbers", hs_dtype_name(t->dtype));
	int overflow;
	uint64_t n = element_count(t, &overflow);
	if (overflow || n > SIZE_MAX / d->size)
		return bad(rd, "the tensor's shape has too many elements");
	t->elements = n;
	t->size = (size_t)n * d->size;
	if (has_content) {
		if (content.len != t->size)
			return bad(rd, "tensor_content has %zu bytes, expected %zu (%llu x %s)",
				   content.len, t->size, (unsigned long long)n, d->name);
		t->data = content.ptr;
		if (buf) {
			if (buf_size < t->size)
				return hs_fail(HS_ELIMIT, "node '%.*s': attribute '%s': the tensor needs %zu bytes, the buffer has %zu",
					       NODE_ARG(rd->n), rd->key, t->size, buf_size);
			memcpy(buf, content.ptr, content.len);
			t->data = buf;
		}
		return HS_OK;
	}
	if (!buf)
		return HS_OK; /* the caller asks for the size first */
	if (buf_size < t->size)
		return hs_fail(HS_ELIMIT, "node '%.*s': attribute '%s': the tensor needs %zu bytes, the buffer has %zu",
			       NODE_ARG(rd->n), rd->key, t->size, buf_size);
	size_t stored = 0;
	rc = read_values(&stored, buf, n, d, rd, (const uint8_t *)msg.ptr,
			 (const uint8_t *)msg.ptr + msg.len);
	if (rc)
		return rc;
	if (stored > n)
		return bad(rd, "the tensor holds %zu values for %llu elements", stored,
			   (unsigned long long)n);
	/* TensorFlow fills the rest with the last value (zero when none). */
	uint8_t *b = buf;
	if (!stored && t->size)
		memset(b, 0, d->size);
	for (uint64_t k = stored ? stored : 1; k < n; k++)
		memcpy(b + k * d->size, b + (k - 1) * d->size, d->size);
	t->data = buf;
	return HS_OK;
}

int hs_node_tensor(hs_tensor_view *out, const hs_node *n, const char *key, void *buf,
		   size_t buf_size)
{
	if (!out || !n)
		return hs_fail(HS_EINVAL, "hs_node_tensor: out and node are required");
	memset(out, 0, sizeof *out);
	if (!key)
		key = "value";
	hs_attr a;
	int rc = hs_node_attr(&a, n, key);
	if (rc == HS_ENOTFOUND)
		return hs_fail(HS_ENOTFOUND, "node '%.*s' has no attribute '%s'", NODE_ARG(n), key);
	if (rc)
		return rc;
	reader rd = { n, key };
	if (a.kind != HS_ATTR_TENSOR)
		return bad(&rd, "not a tensor");
	return read_tensor(out, &rd, a.v.message, buf, buf_size);
}
