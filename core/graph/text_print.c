/* Writing text-format GraphDef: the printer over graph.proto's protobuf-c
 * descriptors.  The binary GraphDef is walked one top-level field at a
 * time (each node unpacked by protobuf-c, printed and freed), so a large
 * graph never exists as a whole message tree. */
#include <config.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "graph.pb-c.h"
#include "text.h"

static void put_str(hs_buf *b, const char *s)
{
	hs_buf_put(b, s, strlen(s));
}

static void put_indent(hs_buf *b, unsigned indent)
{
	static const char spaces[] = "                                ";
	for (unsigned i = 0; i < indent; i += 32)
		hs_buf_put(b, spaces, indent - i < 32 ? indent - i : 32);
}

/* C escapes as protobuf writes them: \n \r \t \" \' \\, other bytes below
 * 0x20 or above 0x7e as three octal digits. */
static void put_quoted(hs_buf *b, const uint8_t *s, size_t n)
{
	hs_buf_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];
		char esc[5];
		const char *e = NULL;
		switch (c) {
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		case '"': e = "\\\""; break;
		case '\'': e = "\\'"; break;
		case '\\': e = "\\\\"; break;
		default:
			if (c < 0x20 || c > 0x7e) {
				snprintf(esc, sizeof esc, "\\%03o", c);
				e = esc;
			}
		}
		if (e)
			put_str(b, e);
		else
			hs_buf_put(b, &c, 1);
	}
	hs_buf_put(b, "\"", 1);
}

/* The shortest decimal that reads back as the same float or double. */
static void put_real(hs_buf *b, double v, int is_float)
{
	char s[48];
	if (isnan(v)) {
		put_str(b, "nan");
		return;
	}
	if (isinf(v)) {
		put_str(b, v < 0 ? "-inf" : "inf");
		return;
	}
	for (int prec = is_float ? 6 : 15; prec <= (is_float ? 9 : 17); prec++) {
		snprintf(s, sizeof s, "%.*g", prec, v);
		if (is_float ? strtof(s, NULL) == (float)v : strtod(s, NULL) == v)
			break;
	}
	put_str(b, s);
}

static int print_message(hs_buf *b, const ProtobufCMessage *m, unsigned indent);

static int print_value(hs_buf *b, const ProtobufCFieldDescriptor *fd,
		       const void *v, unsigned indent)
{
	char s[32];
	put_indent(b, indent);
	put_str(b, fd->name);
	if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
		put_str(b, " {\n");
		int rc = print_message(b, *(ProtobufCMessage *const *)v, indent + 2);
		put_indent(b, indent);
		put_str(b, "}\n");
		return rc;
	}
	put_str(b, ": ");
	switch (fd->type) {
	case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		snprintf(s, sizeof s, "%" PRId32, *(const int32_t *)v);
		break;
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		snprintf(s, sizeof s, "%" PRId64, *(const int64_t *)v);
		break;
	case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
		snprintf(s, sizeof s, "%" PRIu32, *(const uint32_t *)v);
		break;
	case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
		snprintf(s, sizeof s, "%" PRIu64, *(const uint64_t *)v);
		break;
	case PROTOBUF_C_TYPE_FLOAT:
		put_real(b, *(const float *)v, 1);
		s[0] = 0;
		break;
	case PROTOBUF_C_TYPE_DOUBLE:
		put_real(b, *(const double *)v, 0);
		s[0] = 0;
		break;
	case PROTOBUF_C_TYPE_BOOL:
		snprintf(s, sizeof s, "%s", *(const protobuf_c_boolean *)v ? "true" : "false");
		break;
	case PROTOBUF_C_TYPE_ENUM: {
		int32_t e = *(const int32_t *)v;
		const ProtobufCEnumValue *ev =
			protobuf_c_enum_descriptor_get_value(fd->descriptor, e);
		/* proto3 enums are open: a value without a name stays a number. */
		if (ev)
			snprintf(s, sizeof s, "%.31s", ev->name);
		else
			snprintf(s, sizeof s, "%" PRId32, e);
		break;
	}
	case PROTOBUF_C_TYPE_STRING: {
		const char *str = *(const char *const *)v;
		put_quoted(b, (const uint8_t *)str, strlen(str));
		s[0] = 0;
		break;
	}
	case PROTOBUF_C_TYPE_BYTES: {
		const ProtobufCBinaryData *d = v;
		put_quoted(b, d->data, d->len);
		s[0] = 0;
		break;
	}
	default:
		return hs_fail(HS_EPARSE, "field '%s' has a type hintstub cannot print", fd->name);
	}
	put_str(b, s);
	put_str(b, "\n");
	return HS_OK;
}

/* A proto3 field without presence is printed only when it is not its
 * default, as protobuf does. */
static int is_default(const ProtobufCFieldDescriptor *fd, const void *v)
{
	switch (fd->type) {
	case PROTOBUF_C_TYPE_MESSAGE: return *(ProtobufCMessage *const *)v == NULL;
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(const char *const *)v;
		return !s || !*s;
	}
	case PROTOBUF_C_TYPE_BYTES: return ((const ProtobufCBinaryData *)v)->len == 0;
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64: case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return *(const uint64_t *)v == 0;
	case PROTOBUF_C_TYPE_DOUBLE: {
		uint64_t bits;
		memcpy(&bits, v, 8);
		return bits == 0; /* -0.0 is written */
	}
	case PROTOBUF_C_TYPE_BOOL: return *(const protobuf_c_boolean *)v == 0;
	default: return *(const uint32_t *)v == 0; /* 32-bit ints, enums, float bits */
	}
}

/* A map<string, ...> field: protoc-c makes it a repeated message
 * FooEntry with fields key (1) and value (2). */
static int is_string_map(const ProtobufCFieldDescriptor *fd)
{
	if (fd->label != PROTOBUF_C_LABEL_REPEATED || fd->type != PROTOBUF_C_TYPE_MESSAGE)
		return 0;
	const ProtobufCMessageDescriptor *md = fd->descriptor;
	size_t n = strlen(md->short_name);
	return n > 5 && strcmp(md->short_name + n - 5, "Entry") == 0 &&
	       md->n_fields == 2 && md->fields[0].id == 1 &&
	       strcmp(md->fields[0].name, "key") == 0 &&
	       md->fields[0].type == PROTOBUF_C_TYPE_STRING;
}

static const char *entry_key(const ProtobufCMessage *e)
{
	return *(const char *const *)((const char *)e + e->descriptor->fields[0].offset);
}

static int by_key(const void *a, const void *b)
{
	const ProtobufCMessage *const *x = a, *const *y = b;
	int c = strcmp(entry_key(*x), entry_key(*y));
	/* Stable for equal keys: keep stored order. */
	return c ? c : (x < y ? -1 : x > y);
}

/* Map entries sorted by key, as TensorFlow's text files have them. */
static int print_map(hs_buf *b, const ProtobufCFieldDescriptor *fd,
		     ProtobufCMessage **entries, size_t n, unsigned indent)
{
	if (n == 0)
		return HS_OK;
	ProtobufCMessage **sorted = malloc(n * sizeof *sorted);
	if (!sorted)
		return hs_fail(HS_ENOMEM, "out of memory");
	memcpy(sorted, entries, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, by_key);
	int rc = HS_OK;
	for (size_t i = 0; rc == HS_OK && i < n; i++)
		rc = print_value(b, fd, &sorted[i], indent);
	free(sorted);
	return rc;
}

static int print_field(hs_buf *b, const ProtobufCMessage *m,
		       const ProtobufCFieldDescriptor *fd, unsigned indent)
{
	const char *base = (const char *)m;
	const void *v = base + fd->offset;
	if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
		size_t n = *(const size_t *)(base + fd->quantifier_offset);
		const char *arr = *(const char *const *)v;
		if (is_string_map(fd))
			return print_map(b, fd, (ProtobufCMessage **)arr, n, indent);
		int rc = HS_OK;
		for (size_t i = 0; rc == HS_OK && i < n; i++)
			rc = print_value(b, fd, arr + i * hs_text_elem_size(fd->type), indent);
		return rc;
	}
	if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
		if (*(const uint32_t *)(base + fd->quantifier_offset) != fd->id)
			return HS_OK;
		/* A oneof member is written even when it is its default. */
		if (fd->type == PROTOBUF_C_TYPE_MESSAGE && !*(ProtobufCMessage *const *)v)
			return HS_OK;
		return print_value(b, fd, v, indent);
	}
	if (fd->label == PROTOBUF_C_LABEL_OPTIONAL && fd->type != PROTOBUF_C_TYPE_MESSAGE &&
	    fd->type != PROTOBUF_C_TYPE_STRING &&
	    !*(const protobuf_c_boolean *)(base + fd->quantifier_offset))
		return HS_OK;
	if (fd->label == PROTOBUF_C_LABEL_NONE && is_default(fd, v))
		return HS_OK;
	if (fd->type == PROTOBUF_C_TYPE_MESSAGE && !*(ProtobufCMessage *const *)v)
		return HS_OK;
	return print_value(b, fd, v, indent);
}

static int refuse_unknown(const ProtobufCMessage *m)
{
	return hs_fail(HS_EPARSE, "cannot write text: field %u of %s is not in hintstub's schema (core/graph/graph.proto), so it has no name",
		       m->unknown_fields[0].tag, m->descriptor->name);
}

/* The fields of m in field-number order (protoc-c sorts them so). */
static int print_message(hs_buf *b, const ProtobufCMessage *m, unsigned indent)
{
	if (m->n_unknown_fields)
		return refuse_unknown(m);
	int rc = HS_OK;
	for (unsigned i = 0; rc == HS_OK && i < m->descriptor->n_fields; i++)
		rc = print_field(b, m, &m->descriptor->fields[i], indent);
	return rc;
}

/* Unpacks bytes as a GraphDef holding one field's occurrences, prints
 * it, frees it. */
static int print_part(hs_buf *b, const uint8_t *data, size_t len)
{
	ProtobufCMessage *m = protobuf_c_message_unpack(&tensorflow__graph_def__descriptor,
							NULL, len, data);
	if (!m)
		return hs_fail(HS_EPARSE, "cannot write text: protobuf-c cannot decode the GraphDef");
	int rc = print_message(b, m, 0);
	protobuf_c_message_free_unpacked(m, NULL);
	return rc;
}

/* Top-level fields in field-number order: every occurrence of a repeated
 * message field (each node) on its own, the occurrences of any other
 * field gathered so that protobuf-c merges them as a reader would. */
int hs_text_print(hs_buf *b, const uint8_t *wire, size_t size)
{
	const ProtobufCMessageDescriptor *md = &tensorflow__graph_def__descriptor;
	const uint8_t *end = wire + size;
	hs_field f;
	int rc = HS_OK, st;
	for (const uint8_t *p = wire; (st = hs_wire_next(&f, &p, end)) == HS_WIRE_OK;)
		if (!protobuf_c_message_descriptor_get_field(md, f.number))
			return hs_fail(HS_EPARSE, "cannot write text: field %u of %s is not in hintstub's schema (core/graph/graph.proto), so it has no name",
				       f.number, md->name);
	if (st != HS_WIRE_END)
		return hs_fail(HS_EPARSE, "cannot write text: %s", hs_wire_status_text(st));
	for (unsigned i = 0; rc == HS_OK && i < md->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &md->fields[i];
		int each = fd->label == PROTOBUF_C_LABEL_REPEATED &&
			   fd->type == PROTOBUF_C_TYPE_MESSAGE;
		hs_buf part = { NULL, 0, 0, 0 };
		for (const uint8_t *p = wire; rc == HS_OK &&
		     hs_wire_next(&f, &p, end) == HS_WIRE_OK;) {
			if (f.number != fd->id)
				continue;
			if (each)
				rc = print_part(b, f.start, (size_t)(f.end - f.start));
			else
				hs_buf_put(&part, f.start, (size_t)(f.end - f.start));
		}
		if (rc == HS_OK && part.failed)
			rc = hs_fail(HS_ENOMEM, "out of memory");
		if (rc == HS_OK && part.len)
			rc = print_part(b, part.data, part.len);
		hs_buf_free(&part);
	}
	if (rc == HS_OK && b->failed)
		rc = hs_fail(HS_ENOMEM, "out of memory writing text");
	return rc;
}
