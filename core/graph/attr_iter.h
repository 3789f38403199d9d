/* Walking a node's attribute entries (NodeDef field 5, a protobuf map
 * string -> AttrValue).  Private to libhintstub.
 *
 * The one walker: lookups, key listing, the writer and the loader's checks
 * all read entries through hs_attr_entry_read; walks over a node's entries
 * go through hs_attr_iter. */
#ifndef HS_ATTR_ITER_H
#define HS_ATTR_ITER_H

#include "graph_internal.h"

typedef struct hs_attr_entry {
	hs_str key;         /* the last key field, as every protobuf reader
			       takes it ("" when there is none) */
	hs_str value;       /* the last value field: an encoded AttrValue */
	int has_value;
	const uint8_t *bad; /* malformed entries: where it goes wrong */
} hs_attr_entry;

/* hs_attr_entry_read statuses beyond hs_wire_status: a key or value field
 * of a wire type other than length-delimited. */
enum { HS_ATTR_ENTRY_BAD_KEY = -10, HS_ATTR_ENTRY_BAD_VALUE = -11 };

/* Reads the entry whose bytes (without tag and length) are [p, p+len).
 * Returns HS_WIRE_OK, a negative hs_wire_status, HS_ATTR_ENTRY_BAD_KEY or
 * HS_ATTR_ENTRY_BAD_VALUE (e->bad then points at the faulty field). */
static inline int hs_attr_entry_read(hs_attr_entry *e, const uint8_t *p,
				     size_t len)
{
	const uint8_t *end = p + len;
	e->key.ptr = e->value.ptr = "";
	e->key.len = e->value.len = 0;
	e->has_value = 0;
	e->bad = NULL;
	for (;;) {
		hs_field f;
		/* Keys and most values: one-byte tags and lengths. */
		if (end - p >= 2 && (p[0] == 0x0a || p[0] == 0x12) && p[1] < 0x80 &&
		    (size_t)p[1] <= (size_t)(end - p - 2)) {
			f.number = p[0] >> 3;
			f.wire_type = HS_WT_LEN;
			f.data = p + 2;
			f.len = p[1];
			p += 2 + p[1];
		} else {
			const uint8_t *at = p;
			int rc = hs_wire_next(&f, &p, end);
			if (rc == HS_WIRE_END)
				return HS_WIRE_OK;
			e->bad = at;
			if (rc != HS_WIRE_OK)
				return rc;
			if ((f.number == 1 || f.number == 2) && f.wire_type != HS_WT_LEN)
				return f.number == 1 ? HS_ATTR_ENTRY_BAD_KEY
						     : HS_ATTR_ENTRY_BAD_VALUE;
			e->bad = NULL;
		}
		hs_str s = { (const char *)f.data, f.len };
		if (f.number == 1) {
			e->key = s;
		} else if (f.number == 2) {
			e->value = s;
			e->has_value = 1;
		}
	}
}

/* Over a node's attribute entries in file order: the original bytes only,
 * or (hs_attr_iter_init_edited) as the node reads now -- entries whose key
 * an edit removed are skipped, edited values replace the original ones,
 * then come the keys only edits have, in key order (hs_edit_walk: a long
 * list is sorted once, not walked whole for each entry).  A walk left
 * before its end is ended with hs_attr_iter_end (a sorted list is freed
 * when the walk reaches its end). */
typedef struct hs_attr_iter {
	const uint8_t *p, *end;     /* the rest of the NodeDef bytes */
	const hs_node *edited;      /* NULL: original bytes only */
	int edits;                  /* HS_ITER_EDITS_* below */
	hs_edit_walk walk;          /* the edits in key order, once begun */
} hs_attr_iter;

enum { HS_ITER_EDITS_AHEAD, HS_ITER_EDITS_WALKED, HS_ITER_EDITS_DONE };

static inline void hs_attr_iter_init(hs_attr_iter *it, const hs_node *n)
{
	uint32_t len;
	it->p = hs_node_body_span(n, &len);
	it->end = it->p ? it->p + len : NULL;
	it->edited = NULL;
	it->edits = HS_ITER_EDITS_DONE;
	it->walk.sorted = NULL;
}

static inline void hs_attr_iter_init_edited(hs_attr_iter *it, const hs_node *n)
{
	hs_attr_iter_init(it, n);
	/* Most nodes have no edits: they take the raw walk. */
	it->edited = hs_node_attr_edits(n) ? n : NULL;
	if (it->edited)
		it->edits = HS_ITER_EDITS_AHEAD;
}

/* Frees what a walk left before its end holds (any iterator, any time). */
static inline void hs_attr_iter_end(hs_attr_iter *it)
{
	hs_edit_walk_free(&it->walk);
	it->edits = HS_ITER_EDITS_DONE;
}

/* The next original entry, edits or not. */
static inline int hs_attr_iter_next_raw(hs_attr_iter *it, hs_attr_entry *e)
{
	const uint8_t *data;
	size_t len;
	uint32_t number;
	if (!it->p)
		return 0;
	while ((number = hs_wire_next_len(&it->p, it->end, &data, &len)) != 0)
		if (number == HS_NODE_ATTR) {
			hs_attr_entry_read(e, data, len);
			return 1;
		}
	it->p = NULL;
	return 0;
}

int hs_attr_iter_next_edited(hs_attr_iter *it, hs_attr_entry *e);

/* 1 with the next entry in *e, 0 after the last.  The bytes were checked
 * at load, so a walk only stops at their end. */
static inline int hs_attr_iter_next(hs_attr_iter *it, hs_attr_entry *e)
{
	return it->edited ? hs_attr_iter_next_edited(it, e)
			  : hs_attr_iter_next_raw(it, e);
}

#endif
