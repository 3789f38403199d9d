/* Protobuf's text format for GraphDef, as TensorFlow writes it
 * (tf.io.write_graph(as_text=True)), read and written against the
 * descriptors protoc-c generates from graph.proto.  protobuf-c has no text
 * format of its own; its descriptors (field names, numbers, types, labels,
 * oneofs, enum value names) are all a generic reader and printer need.
 * Private to libhintstub. */
#ifndef HS_TEXT_H
#define HS_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "wire.h"

/* Bytes of one element of a repeated field of this type in a protobuf-c
 * message. */
static inline size_t hs_text_elem_size(ProtobufCType type)
{
	switch (type) {
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64: case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	case PROTOBUF_C_TYPE_BOOL: return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_STRING: return sizeof(char *);
	case PROTOBUF_C_TYPE_BYTES: return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_MESSAGE: return sizeof(ProtobufCMessage *);
	default: return 4;
	}
}

/* True when the bytes look like text format rather than a binary GraphDef:
 * after whitespace and '#' comments an identifier followed by ':', '{' or
 * '<' (or nothing but whitespace and at least one comment), and valid
 * UTF-8 without control bytes other than whitespace near the start.  A binary GraphDef starts with a
 * tag byte (0x0a for a node) followed by a length and more tags, which
 * this never accepts. */
int hs_text_detect(const uint8_t *data, size_t size);
/* True when the first bytes of a stream may begin a text file (what was
 * read so far passes the checks of hs_text_detect, or ends before they
 * can decide): the reader then stops checking binary framing. */
int hs_text_may_start(const uint8_t *data, size_t size);

/* Parses text-format GraphDef `text` into the wire bytes a binary GraphDef
 * of the same message has (each top-level field packed by protobuf-c in
 * field-number order, as TensorFlow serializes).  *out is malloc'ed, owned
 * by the caller.  Errors are HS_EPARSE "LABEL:LINE:COL: message" (or
 * HS_ELIMIT for nesting deeper than max_depth, HS_ENOMEM). */
int hs_text_to_wire(uint8_t **out, size_t *out_size, const uint8_t *text,
		    size_t size, const char *label, uint32_t max_depth);

/* Appends the text format of the binary GraphDef `wire` to b: fields in
 * field-number order, two spaces of indent per level, map entries as
 * `attr { key: "..." value { ... } }` sorted by key, bytes and strings
 * with C escapes (octal for other bytes), enums by name.  Fields outside
 * graph.proto cannot be named, so they are refused (HS_EPARSE). */
int hs_text_print(hs_buf *b, const uint8_t *wire, size_t size);

#endif
