/* Node attributes: reading them from a node's bytes (or its pending
 * edits) and encoding new values with protobuf-c. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "graph.pb-c.h"
#include "graph_internal.h"

/* hs_wire_next for the fields attribute lookups walk most: a one-byte
 * tag of a length-delimited field with a one-byte length (names, inputs,
 * most attr entries and keys).  Anything else takes hs_wire_next.  Only
 * number, wire_type, data and len are set. */
static inline int next_field(hs_field *f, const uint8_t **pp,
			     const uint8_t *end)
{
	const uint8_t *p = *pp;
	if (end - p >= 2 && p[0] >= 8 && p[0] < 0x80 && (p[0] & 7) == HS_WT_LEN &&
	    p[1] < 0x80 && (size_t)p[1] <= (size_t)(end - p - 2)) {
		f->number = p[0] >> 3;
		f->wire_type = HS_WT_LEN;
		f->data = p + 2;
		f->len = p[1];
		*pp = p + 2 + p[1];
		return HS_WIRE_OK;
	}
	return hs_wire_next(f, pp, end);
}

/* Walks the attr entries of a node's original bytes; calls fn per entry
 * until it returns non-zero. */
typedef int (*attr_visit_fn)(void *ctx, hs_str key, hs_str value);

static int visit_raw_attrs(const hs_node *n, attr_visit_fn fn, void *ctx)
{
	const uint8_t *p = hs_node_body(n);
	if (!p)
		return 0;
	const uint8_t *end = p + n->body_len;
	hs_field f;
	while (next_field(&f, &p, end) == HS_WIRE_OK) {
		if (f.number != HS_NODE_ATTR || f.wire_type != HS_WT_LEN)
			continue;
		hs_str key = { "", 0 }, value = { "", 0 };
		const uint8_t *q = f.data, *qe = q + f.len;
		hs_field e;
		while (next_field(&e, &q, qe) == HS_WIRE_OK) {
			hs_str s = { (const char *)e.data, e.len };
			if (e.number == 1)
				key = s;
			else if (e.number == 2)
				value = s;
		}
		int r = fn(ctx, key, value);
		if (r)
			return r;
	}
	return 0;
}

static const hs_attr_edit *find_edit(const hs_node *n, const char *key,
				     size_t key_len)
{
	for (const hs_attr_edit *e = n->attr_edits; e; e = e->next)
		if (strlen(e->key) == key_len && memcmp(e->key, key, key_len) == 0)
			return e;
	return NULL;
}

typedef struct find_ctx {
	const char *key;
	size_t key_len;
	hs_str value;
	int found;
} find_ctx;

static int find_visit(void *ctx, hs_str key, hs_str value)
{
	find_ctx *c = ctx;
	if (key.len == c->key_len && memcmp(key.ptr, c->key, c->key_len) == 0) {
		/* Protobuf maps keep the last entry of a repeated key. */
		c->value = value;
		c->found = 1;
	}
	return 0;
}

/* The next length-delimited field of [*pp, end): its number and payload.
 * Fields of other wire types are skipped.  0 at the end or on bad bytes. */
static inline uint32_t next_len_field(const uint8_t **pp, const uint8_t *end,
				      const uint8_t **data, size_t *len)
{
	for (;;) {
		const uint8_t *p = *pp;
		/* One-byte tag and one-byte length: names, inputs, most attr
		 * entries and keys. */
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

/* visit_raw_attrs + find_visit without the callback and the field
 * records: plugins look up a handful of keys per node (the conv plugin
 * five per call). */
static int find_raw_in_body(hs_str *value, const hs_node *n, const char *key,
			    size_t key_len)
{
	const uint8_t *p = hs_node_body(n);
	if (!p)
		return 0;
	const uint8_t *end = p + n->body_len, *entry, *data;
	size_t entry_len, len;
	uint32_t number;
	int found = 0;
	while ((number = next_len_field(&p, end, &entry, &entry_len)) != 0) {
		if (number != HS_NODE_ATTR)
			continue;
		const uint8_t *q = entry, *qe = entry + entry_len;
		hs_str k = { "", 0 }, v = { "", 0 };
		while ((number = next_len_field(&q, qe, &data, &len)) != 0) {
			if (number == 1) {
				k.ptr = (const char *)data;
				k.len = len;
			} else if (number == 2) {
				v.ptr = (const char *)data;
				v.len = len;
			}
		}
		/* The last entry of a repeated key wins, as in protobuf maps. */
		if (k.len == key_len && memcmp(k.ptr, key, key_len) == 0) {
			*value = v;
			found = 1;
		}
	}
	return found;
}

int hs_node_find_raw_attr(hs_str *value, const hs_node *n, const char *key,
			  size_t key_len)
{
	const hs_attr_edit *e = find_edit(n, key, key_len);
	if (e) {
		if (e->removed)
			return HS_ENOTFOUND;
		value->ptr = (const char *)e->value;
		value->len = e->value_len;
		return HS_OK;
	}
	return find_raw_in_body(value, n, key, key_len) ? HS_OK : HS_ENOTFOUND;
}

#define FIND_MANY_MAX 32

typedef struct find_many_ctx {
	const char *const *keys;
	size_t key_len[FIND_MANY_MAX];
	size_t n_keys;
	hs_str *raw;
	int *found;
} find_many_ctx;

static int find_many_visit(void *ctx, hs_str key, hs_str value)
{
	find_many_ctx *c = ctx;
	for (size_t i = 0; i < c->n_keys; i++)
		if (key.len == c->key_len[i] && memcmp(key.ptr, c->keys[i], key.len) == 0) {
			c->raw[i] = value; /* the last entry wins, as in maps */
			c->found[i] = 1;
		}
	return 0;
}

void hs_node_find_raw_attrs(hs_str *raw, int *found, const hs_node *n,
			    const char *const *keys, size_t n_keys)
{
	for (size_t i = 0; i < n_keys; i++)
		found[i] = 0;
	if (n->attr_edits || n_keys > FIND_MANY_MAX) {
		for (size_t i = 0; i < n_keys; i++)
			found[i] = hs_node_find_raw_attr(&raw[i], n, keys[i],
							 strlen(keys[i])) == HS_OK;
		return;
	}
	find_many_ctx c = { .keys = keys, .n_keys = n_keys, .raw = raw, .found = found };
	for (size_t i = 0; i < n_keys; i++)
		c.key_len[i] = strlen(keys[i]);
	visit_raw_attrs(n, find_many_visit, &c);
}

int hs_attr_decode(hs_attr *out, const uint8_t *data, size_t len)
{
	const uint8_t *p = data, *end = data + len;
	hs_field f;
	int rc;
	memset(out, 0, sizeof *out);
	out->kind = HS_ATTR_NONE;
	out->raw.ptr = (const char *)data;
	out->raw.len = len;
	while ((rc = hs_wire_next(&f, &p, end)) == HS_WIRE_OK) {
		int want_len = f.number == 1 || f.number == 2 || f.number == 7 ||
			       f.number == 8 || f.number == 9 || f.number == 10;
		int want_varint = f.number == 3 || f.number == 5 || f.number == 6;
		if ((want_len && f.wire_type != HS_WT_LEN) ||
		    (want_varint && f.wire_type != HS_WT_VARINT) ||
		    (f.number == 4 && f.wire_type != HS_WT_I32))
			return HS_EPARSE;
		hs_str s = { (const char *)f.data, f.len };
		switch (f.number) {
		case 1: out->kind = HS_ATTR_LIST; out->v.message = s; break;
		case 2: out->kind = HS_ATTR_S; out->v.s = s; break;
		case 3: out->kind = HS_ATTR_I; out->v.i = (int64_t)f.value; break;
		case 4: {
			uint32_t bits = (uint32_t)f.value;
			out->kind = HS_ATTR_F;
			memcpy(&out->v.f, &bits, sizeof bits);
			break;
		}
		case 5: out->kind = HS_ATTR_B; out->v.b = f.value != 0; break;
		case 6: out->kind = HS_ATTR_TYPE; out->v.type = (int)(int32_t)f.value; break;
		case 7: out->kind = HS_ATTR_SHAPE; out->v.message = s; break;
		case 8: out->kind = HS_ATTR_TENSOR; out->v.message = s; break;
		case 9: out->kind = HS_ATTR_PLACEHOLDER; out->v.s = s; break;
		case 10: {
			/* NameAttrList: name is field 1. */
			const uint8_t *q = f.data, *qe = q + f.len;
			hs_field g;
			out->kind = HS_ATTR_FUNC;
			out->v.s.ptr = "";
			out->v.s.len = 0;
			while (hs_wire_next(&g, &q, qe) == HS_WIRE_OK)
				if (g.number == 1 && g.wire_type == HS_WT_LEN) {
					out->v.s.ptr = (const char *)g.data;
					out->v.s.len = g.len;
				}
			break;
		}
		default: break;
		}
	}
	return rc == HS_WIRE_END ? HS_OK : HS_EPARSE;
}

int hs_node_attr(hs_attr *out, const hs_node *n, const char *key)
{
	hs_str raw;
	int rc = hs_node_find_raw_attr(&raw, n, key, strlen(key));
	if (rc != HS_OK)
		return hs_fail(rc, "node '%.*s' has no attribute '%s'",
			       (int)n->name.len, n->name.ptr, key);
	if (hs_attr_decode(out, (const uint8_t *)raw.ptr, raw.len) != HS_OK)
		return hs_fail(HS_EPARSE, "node '%.*s': attribute '%s' is malformed",
			       (int)n->name.len, n->name.ptr, key);
	return HS_OK;
}

/* ------------------------------------------------------- key listing */

typedef struct key_ctx {
	const hs_node *n;
	size_t want, seen;
	hs_str key;
} key_ctx;

static int key_visit(void *ctx, hs_str key, hs_str value)
{
	key_ctx *c = ctx;
	(void)value;
	const hs_attr_edit *e = find_edit(c->n, key.ptr, key.len);
	if (e && e->removed)
		return 0;
	if (c->seen++ == c->want) {
		c->key = key;
		return 1;
	}
	return 0;
}

static int edit_is_new_key(const hs_node *n, const hs_attr_edit *e)
{
	find_ctx c = { e->key, strlen(e->key), { "", 0 }, 0 };
	visit_raw_attrs(n, find_visit, &c);
	return !e->removed && !c.found;
}

size_t hs_node_attr_count(const hs_node *n)
{
	key_ctx c = { n, SIZE_MAX, 0, { "", 0 } };
	visit_raw_attrs(n, key_visit, &c);
	size_t count = c.seen;
	for (const hs_attr_edit *e = n->attr_edits; e; e = e->next)
		count += edit_is_new_key(n, e);
	return count;
}

hs_str hs_node_attr_key(const hs_node *n, size_t i)
{
	key_ctx c = { n, i, 0, { "", 0 } };
	if (visit_raw_attrs(n, key_visit, &c))
		return c.key;
	for (const hs_attr_edit *e = n->attr_edits; e; e = e->next) {
		if (!edit_is_new_key(n, e))
			continue;
		if (c.seen++ == i) {
			hs_str k = { e->key, strlen(e->key) };
			return k;
		}
	}
	hs_str none = { "", 0 };
	return none;
}

/* ---------------------------------------------------------- list values */

static Tensorflow__AttrValue__ListValue *unpack_list(const hs_attr *a)
{
	if (a->kind != HS_ATTR_LIST)
		return NULL;
	return (Tensorflow__AttrValue__ListValue *)protobuf_c_message_unpack(
		&tensorflow__attr_value__list_value__descriptor, NULL,
		a->v.message.len, (const uint8_t *)a->v.message.ptr);
}

int hs_attr_list_ints(int64_t *out, size_t cap, size_t *count, const hs_attr *a)
{
	Tensorflow__AttrValue__ListValue *l = unpack_list(a);
	if (!l)
		return hs_fail(HS_EPARSE, "attribute is not a well-formed list");
	for (size_t i = 0; i < l->n_i && i < cap; i++)
		out[i] = l->i[i];
	if (count)
		*count = l->n_i;
	protobuf_c_message_free_unpacked(&l->base, NULL);
	return HS_OK;
}

int hs_attr_list_types(int *out, size_t cap, size_t *count, const hs_attr *a)
{
	Tensorflow__AttrValue__ListValue *l = unpack_list(a);
	if (!l)
		return hs_fail(HS_EPARSE, "attribute is not a well-formed list");
	for (size_t i = 0; i < l->n_type && i < cap; i++)
		out[i] = (int)l->type[i];
	if (count)
		*count = l->n_type;
	protobuf_c_message_free_unpacked(&l->base, NULL);
	return HS_OK;
}

int hs_attr_list_string(hs_str *out, const hs_attr *a, size_t i)
{
	if (a->kind != HS_ATTR_LIST)
		return hs_fail(HS_EPARSE, "attribute is not a list");
	const uint8_t *p = (const uint8_t *)a->v.message.ptr;
	const uint8_t *end = p + a->v.message.len;
	hs_field f;
	size_t seen = 0;
	while (hs_wire_next(&f, &p, end) == HS_WIRE_OK) {
		if (f.number != 2 || f.wire_type != HS_WT_LEN)
			continue;
		if (seen++ == i) {
			out->ptr = (const char *)f.data;
			out->len = f.len;
			return HS_OK;
		}
	}
	return hs_fail(HS_ENOTFOUND, "list attribute has no string %zu (it has %zu)", i, seen);
}

/* -------------------------------------------------------------- setters */

static int put_edit(hs_node *n, const char *key, uint8_t *value,
		    size_t value_len, int removed)
{
	/* Edits stay in key order (new attributes are written sorted), so
	 * one walk finds the key or the place it goes. */
	hs_attr_edit **pp = &n->attr_edits, *e;
	int cmp = 1;
	while (*pp && (cmp = strcmp((*pp)->key, key)) < 0)
		pp = &(*pp)->next;
	e = *pp && cmp == 0 ? *pp : NULL;
	if (!e) {
		/* The key lives in the same block as the edit. */
		size_t key_len = strlen(key);
		e = calloc(1, sizeof *e + key_len + 1);
		if (!e) {
			free(value);
			return hs_fail(HS_ENOMEM, "out of memory");
		}
		e->key = memcpy((char *)(e + 1), key, key_len + 1);
		e->next = *pp;
		*pp = e;
	}
	free(e->value);
	e->value = value;
	e->value_len = value_len;
	e->removed = removed;
	n->flags |= HS_NODE_F_ATTRS_EDITED;
	return HS_OK;
}

static int set_packed(hs_node *n, const char *key, const Tensorflow__AttrValue *v)
{
	if (!key || !*key)
		return hs_fail(HS_EINVAL, "attribute key must not be empty");
	size_t len = tensorflow__attr_value__get_packed_size(v);
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return hs_fail(HS_ENOMEM, "out of memory");
	tensorflow__attr_value__pack(v, buf);
	return put_edit(n, key, buf, len, 0);
}

int hs_node_set_attr_raw(hs_node *n, const char *key, hs_str encoded)
{
	hs_attr check;
	if (!key || !*key)
		return hs_fail(HS_EINVAL, "attribute key must not be empty");
	if (hs_attr_decode(&check, (const uint8_t *)encoded.ptr, encoded.len))
		return hs_fail(HS_EINVAL, "attribute '%s': value is not an encoded AttrValue", key);
	uint8_t *buf = malloc(encoded.len ? encoded.len : 1);
	if (!buf)
		return hs_fail(HS_ENOMEM, "out of memory");
	if (encoded.len)
		memcpy(buf, encoded.ptr, encoded.len);
	return put_edit(n, key, buf, encoded.len, 0);
}

/* An AttrValue of one scalar field, encoded here: protobuf-c's generic
 * packing costs more than such a value (plugins set several per call).
 * The bytes are those protobuf-c writes: a oneof member is written even
 * when zero, and signed values as 64-bit varints. */
static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static int set_scalar(hs_node *n, const char *key, uint32_t number,
		      uint32_t wire_type, uint64_t v, const void *bytes)
{
	if (!key || !*key)
		return hs_fail(HS_EINVAL, "attribute key must not be empty");
	/* Tag (one byte: numbers 2..6), then at most a 10-byte varint or
	 * length, then the string bytes (v is their length). */
	size_t cap = 1 + 10 + (wire_type == HS_WT_LEN ? (size_t)v : 0);
	uint8_t *buf = malloc(cap), *p = buf;
	if (!buf)
		return hs_fail(HS_ENOMEM, "out of memory");
	*p++ = (uint8_t)(number << 3 | wire_type);
	if (wire_type == HS_WT_I32) {
		uint32_t bits = (uint32_t)v;
		for (int i = 0; i < 4; i++)
			*p++ = (uint8_t)(bits >> (8 * i));
	} else {
		p += put_varint(p, v);
	}
	if (wire_type == HS_WT_LEN && v) {
		memcpy(p, bytes, (size_t)v);
		p += v;
	}
	return put_edit(n, key, buf, (size_t)(p - buf), 0);
}

int hs_node_set_attr_s(hs_node *n, const char *key, hs_str value)
{
	return set_scalar(n, key, 2, HS_WT_LEN, value.len, value.ptr);
}

int hs_node_set_attr_i(hs_node *n, const char *key, int64_t value)
{
	return set_scalar(n, key, 3, HS_WT_VARINT, (uint64_t)value, NULL);
}

int hs_node_set_attr_f(hs_node *n, const char *key, float value)
{
	uint32_t bits;
	memcpy(&bits, &value, sizeof bits);
	return set_scalar(n, key, 4, HS_WT_I32, bits, NULL);
}

int hs_node_set_attr_b(hs_node *n, const char *key, int value)
{
	return set_scalar(n, key, 5, HS_WT_VARINT, value != 0, NULL);
}

int hs_node_set_attr_type(hs_node *n, const char *key, int dtype)
{
	return set_scalar(n, key, 6, HS_WT_VARINT, (uint64_t)(int64_t)dtype, NULL);
}

int hs_node_set_attr_list_i(hs_node *n, const char *key, const int64_t *values,
			    size_t count)
{
	Tensorflow__AttrValue v = TENSORFLOW__ATTR_VALUE__INIT;
	Tensorflow__AttrValue__ListValue l = TENSORFLOW__ATTR_VALUE__LIST_VALUE__INIT;
	l.n_i = count;
	l.i = (int64_t *)values;
	v.value_case = TENSORFLOW__ATTR_VALUE__VALUE_LIST;
	v.list = &l;
	return set_packed(n, key, &v);
}

int hs_node_set_attr_list_type(hs_node *n, const char *key, const int *values,
			       size_t count)
{
	Tensorflow__AttrValue v = TENSORFLOW__ATTR_VALUE__INIT;
	Tensorflow__AttrValue__ListValue l = TENSORFLOW__ATTR_VALUE__LIST_VALUE__INIT;
	Tensorflow__DataType *types = malloc((count ? count : 1) * sizeof *types);
	if (!types)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++)
		types[i] = (Tensorflow__DataType)values[i];
	l.n_type = count;
	l.type = types;
	v.value_case = TENSORFLOW__ATTR_VALUE__VALUE_LIST;
	v.list = &l;
	int rc = set_packed(n, key, &v);
	free(types);
	return rc;
}

int hs_node_remove_attr(hs_node *n, const char *key)
{
	if (!key || !*key)
		return hs_fail(HS_EINVAL, "attribute key must not be empty");
	return put_edit(n, key, NULL, 0, 1);
}
