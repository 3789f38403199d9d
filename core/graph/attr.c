/* Node attributes: reading them from a node's bytes (or its pending
 * edits) and encoding new values with protobuf-c. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "attr_iter.h"
#include "error.h"
#include "graph.pb-c.h"
#include "graph_internal.h"
#include "hash.h"

static const hs_attr_edit *find_edit(const hs_node *n, const char *key,
				     size_t key_len)
{
	const hs_attr_edit *e = hs_node_attr_edits(n);
	uint32_t id;
	/* A key no edit used has no edit: most lookups end here. */
	if (!e || !hs_string_find(&n->graph->edit_keys, (hs_str){ key, key_len }, &id))
		return NULL;
	for (; e; e = e->next)
		if (e->key >> HS_ATTR_EDIT_KEY_SHIFT == id)
			return e;
	return NULL;
}

static int key_is(hs_str key, const char *want, size_t want_len)
{
	return key.len == want_len && memcmp(key.ptr, want, want_len) == 0;
}

/* The encoded value of `key` in the node's original bytes.  The last
 * entry of a repeated key wins, as in protobuf maps. */
static int find_raw_in_body(hs_str *value, const hs_node *n, const char *key,
			    size_t key_len)
{
	hs_attr_iter it;
	hs_attr_entry e;
	int found = 0;
	hs_attr_iter_init(&it, n);
	while (hs_attr_iter_next_raw(&it, &e))
		if (key_is(e.key, key, key_len)) {
			*value = e.value;
			found = 1;
		}
	return found;
}

static int edit_walk_begin(hs_edit_walk *w, const hs_node *n);

int hs_attr_iter_next_edited(hs_attr_iter *it, hs_attr_entry *e)
{
	while (hs_attr_iter_next_raw(it, e)) {
		const hs_attr_edit *ed = find_edit(it->edited, e->key.ptr, e->key.len);
		if (!ed)
			return 1;
		if (hs_attr_edit_removed(ed))
			continue;
		e->value = hs_attr_edit_value(ed);
		e->has_value = 1;
		return 1;
	}
	if (it->edits == HS_ITER_EDITS_AHEAD) {
		edit_walk_begin(&it->walk, it->edited); /* short of memory: walked */
		it->edits = HS_ITER_EDITS_WALKED;
	}
	while (it->edits == HS_ITER_EDITS_WALKED) {
		const hs_attr_edit *ed = hs_edit_walk_next(&it->walk, NULL);
		if (!ed) {
			hs_attr_iter_end(it);
			break;
		}
		hs_str unused, key = hs_attr_edit_key(it->edited->graph, ed);
		if (hs_attr_edit_removed(ed) ||
		    find_raw_in_body(&unused, it->edited, key.ptr, key.len))
			continue;
		e->key = key;
		e->value = hs_attr_edit_value(ed);
		e->has_value = 1;
		return 1;
	}
	return 0;
}

int hs_node_find_raw_attr(hs_str *value, const hs_node *n, const char *key,
			  size_t key_len)
{
	const hs_attr_edit *e = find_edit(n, key, key_len);
	if (e) {
		if (hs_attr_edit_removed(e))
			return HS_ENOTFOUND;
		*value = hs_attr_edit_value(e);
		return HS_OK;
	}
	return find_raw_in_body(value, n, key, key_len) ? HS_OK : HS_ENOTFOUND;
}

#define FIND_MANY_MAX 32

void hs_node_find_raw_attrs(hs_str *raw, int *found, const hs_node *n,
			    const char *const *keys, size_t n_keys)
{
	size_t key_len[FIND_MANY_MAX];
	for (size_t i = 0; i < n_keys; i++)
		found[i] = 0;
	if (n_keys > FIND_MANY_MAX) {
		for (size_t i = 0; i < n_keys; i++)
			found[i] = hs_node_find_raw_attr(&raw[i], n, keys[i],
							 strlen(keys[i])) == HS_OK;
		return;
	}
	for (size_t i = 0; i < n_keys; i++)
		key_len[i] = strlen(keys[i]);
	hs_attr_iter it;
	hs_attr_entry e;
	hs_attr_iter_init_edited(&it, n);
	while (hs_attr_iter_next(&it, &e))
		for (size_t i = 0; i < n_keys; i++)
			if (key_is(e.key, keys[i], key_len[i])) {
				raw[i] = e.value; /* the last entry wins, as in maps */
				found[i] = 1;
			}
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
			       HS_NODE_NAME_ARG(n), key);
	if (hs_attr_decode(out, (const uint8_t *)raw.ptr, raw.len) != HS_OK)
		return hs_fail(HS_EPARSE, "node '%.*s': attribute '%s' is malformed",
			       HS_NODE_NAME_ARG(n), key);
	return HS_OK;
}

/* ------------------------------------------------------- key listing */

size_t hs_node_attr_count(const hs_node *n)
{
	hs_attr_iter it;
	hs_attr_entry e;
	size_t count = 0;
	hs_attr_iter_init_edited(&it, n);
	while (hs_attr_iter_next(&it, &e))
		count++;
	return count;
}

hs_str hs_node_attr_key(const hs_node *n, size_t i)
{
	hs_attr_iter it;
	hs_attr_entry e;
	size_t seen = 0;
	hs_attr_iter_init_edited(&it, n);
	while (hs_attr_iter_next(&it, &e))
		if (seen++ == i) {
			hs_attr_iter_end(&it);
			return e.key;
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

/* ------------------------------------------------------ edit key order */

/* The first RANKED_KEYS distinct keys edits use get a rank, their place
 * among the ranked ones in byte order (as strcmp orders them), kept up to
 * date as each comes (a walk over those before it): two of them compare by
 * rank, at no cost to the writer, which orders every edited node's new
 * attributes.  Keys after those -- real graphs do not come near: only a
 * copy of a loop body whose nodes each have keys of their own makes them
 * -- compare by their bytes, so that ranking stays bounded (ranking every
 * key would cost the square of their number: 40,000 took 1.8 s). */
enum { RANKED_KEYS = 1024 };
#define UNRANKED UINT32_MAX

/* <0, 0 or >0 as a's key comes before, is, or comes after b's. */
static int edit_key_cmp(const hs_graph *g, const hs_attr_edit *a, const hs_attr_edit *b)
{
	uint32_t ia = a->key >> HS_ATTR_EDIT_KEY_SHIFT, ib = b->key >> HS_ATTR_EDIT_KEY_SHIFT;
	uint32_t ra = g->edit_keys.rank[ia], rb = g->edit_keys.rank[ib];
	if (ia == ib)
		return 0;
	if (ra != UNRANKED && rb != UNRANKED)
		return ra < rb ? -1 : 1;
	return strcmp(g->edit_keys.names[ia].ptr, g->edit_keys.names[ib].ptr);
}

/* The node's edit whose key comes next after prev's in byte order (prev
 * NULL: the first), NULL after the last; *pos (if not NULL) its place in
 * the list. */
static const hs_attr_edit *edit_after(const hs_node *n, const hs_attr_edit *prev,
				      size_t *pos)
{
	const hs_graph *g = n->graph;
	const hs_attr_edit *best = NULL;
	size_t i = 0, best_i = 0;
	/* A node has a few edits: a walk per step costs less than sorting. */
	for (const hs_attr_edit *e = hs_node_attr_edits(n); e; e = e->next, i++) {
		if ((prev && edit_key_cmp(g, e, prev) <= 0) ||
		    (best && edit_key_cmp(g, e, best) >= 0))
			continue;
		best = e;
		best_i = i;
	}
	if (pos)
		*pos = best_i;
	return best;
}

/* Lists longer than this are sorted for the writer: the walk above would
 * take the square of their length (20,000 edits of one node: 2.8 s). */
enum { WALKED_EDITS = 32 };

static _Thread_local const hs_graph *sorting_graph;

static int cmp_edit_at(const void *a, const void *b)
{
	return edit_key_cmp(sorting_graph, ((const hs_edit_at *)a)->e,
			    ((const hs_edit_at *)b)->e);
}

/* hs_edit_walk_init without a message: -1 when out of memory, the walk
 * then usable still, a step at a time (hs_attr_iter takes that: reading
 * a node's attributes does not fail). */
static int edit_walk_begin(hs_edit_walk *w, const hs_node *n)
{
	memset(w, 0, sizeof *w);
	w->n = n;
	size_t len = 0;
	for (const hs_attr_edit *e = hs_node_attr_edits(n); e; e = e->next)
		len++;
	if (len <= WALKED_EDITS)
		return 0;
	if (!(w->sorted = malloc(len * sizeof *w->sorted)))
		return -1;
	size_t i = 0;
	for (const hs_attr_edit *e = hs_node_attr_edits(n); e; e = e->next, i++)
		w->sorted[i] = (hs_edit_at){ e, i };
	sorting_graph = n->graph;
	qsort(w->sorted, len, sizeof *w->sorted, cmp_edit_at);
	w->n_sorted = len;
	return 0;
}

int hs_edit_walk_init(hs_edit_walk *w, const hs_node *n)
{
	return edit_walk_begin(w, n) ? hs_fail(HS_ENOMEM, "out of memory") : HS_OK;
}

const hs_attr_edit *hs_edit_walk_next(hs_edit_walk *w, size_t *pos)
{
	if (!w->sorted)
		return w->last = edit_after(w->n, w->last, pos);
	if (w->next == w->n_sorted)
		return NULL;
	if (pos)
		*pos = w->sorted[w->next].pos;
	return w->sorted[w->next++].e;
}

void hs_edit_walk_free(hs_edit_walk *w)
{
	free(w->sorted);
	w->sorted = NULL;
}

/* Ranks the table's newest key `id` among the ranked ones, those after it
 * moving up one (or leaves it unranked: RANKED_KEYS). */
static void rank_new_key(hs_op_table *t, uint32_t id)
{
	if (id >= RANKED_KEYS) {
		t->rank[id] = UNRANKED;
		return;
	}
	const char *key = t->names[id].ptr;
	uint32_t r = 0;
	for (uint32_t k = 0; k < id; k++)
		r += strcmp(t->names[k].ptr, key) < 0;
	for (uint32_t k = 0; k < id; k++)
		t->rank[k] += t->rank[k] >= r;
	t->rank[id] = r;
}

/* -------------------------------------------------------------- setters */

/* The id of `key` in the graph's table of edit keys, its text interned
 * (and ranked) the first time an edit uses it. */
static int edit_key_id(uint32_t *id, hs_graph *g, const char *key)
{
	hs_str k = { key, strlen(key) };
	if (hs_string_find(&g->edit_keys, k, id))
		return HS_OK;
	if (g->edit_keys.n > HS_EDIT_KEY_MAX)
		return hs_fail(HS_ELIMIT, "more than %u distinct attribute keys edited",
			       (unsigned)HS_EDIT_KEY_MAX + 1);
	int rc = hs_graph_intern_at(&k.ptr, NULL, g, k);
	if (rc || (rc = hs_string_intern(id, &g->edit_keys, k)))
		return rc;
	rank_new_key(&g->edit_keys, *id);
	return HS_OK;
}

/* How put_edit takes its bytes: copied, kept as a view (the graph's own
 * bytes, which outlive the edit), or none (the key is removed). */
enum { EDIT_COPY, EDIT_VIEW, EDIT_REMOVE };

/* Stubs set the same attributes with the same values (the same types and
 * indices on every stub of a kind) in the same order, and a new key goes
 * first in a node's list, before the key set last, whatever the keys (the
 * writer and hs_attr_iter put them in key order): a tail of a node's list
 * is often one another node has, and an addition never changes it (kept
 * in key order, a list made an addition after a shared entry copy the
 * entries before it: ascending order copied five a stub).  Such tails are
 * shared -- made once, found again by key, value and the tail after them
 * in a small table of recent ones (a miss only costs the sharing) -- and
 * never changed: a node changing a shared entry copies it and the shared
 * entries before it first (own_edit).  The table has sets of four, the
 * last hit first: the few entries every stub repeats stay, though other
 * edits pass through (one slot each, as in a direct-mapped table, would
 * let two of them evict each other for good, one run in a few dozen). */
#define SHARED_SETS 128
#define SHARED_WAYS 4

static hs_attr_edit **shared_set(hs_graph *g, uint32_t key, const uint8_t *v,
				 size_t len, const hs_attr_edit *next)
{
	uint64_t h = hs_hash(v, len) ^ (uint64_t)key * 0x9e3779b97f4a7c15u ^
		     (uint64_t)(uintptr_t)next * 0xc2b2ae3d27d4eb4fu;
	h ^= h >> 32;
	return &g->shared_edits[(h & (SHARED_SETS - 1)) * SHARED_WAYS];
}

static int is_shared(const hs_attr_edit *e)
{
	return (e->key & HS_ATTR_EDIT_SHARED) != 0;
}

static int same_edit(const hs_attr_edit *e, uint32_t key, const uint8_t *v,
		     size_t len, const hs_attr_edit *next)
{
	return e && (e->key & ~(uint32_t)HS_ATTR_EDIT_SHARED) == key && e->next == next &&
	       e->value_len == len && (!len || memcmp(e->value, v, len) == 0);
}

/* Puts e first in its set (found at way w, or new: w the last way, which
 * it replaces). */
static void set_first(hs_attr_edit **set, size_t w, hs_attr_edit *e)
{
	memmove(set + 1, set, w * sizeof *set);
	set[0] = e;
}

/* A new entry (key word, value, next) for a list: the shared one when the
 * tail after it is shared (or empty) and the table has it, else a new
 * one, shared then too when it could be. */
/* An edit's value as `how` says: none (removed), the caller's bytes (a
 * view of the graph's), or a copy into room (len bytes). */
static uint8_t *edit_value(uint8_t *room, const uint8_t *v, size_t len, int how)
{
	if (how == EDIT_REMOVE)
		return NULL;
	return how == EDIT_VIEW ? (uint8_t *)v : len ? memcpy(room, v, len) : room;
}

static int make_edit(hs_attr_edit **out, hs_graph *g, uint32_t key, const uint8_t *v,
		     size_t len, int how, hs_attr_edit *next)
{
	hs_attr_edit **set = NULL, *e;
	if (how == EDIT_COPY && (!next || is_shared(next))) {
		if (!g->shared_edits &&
		    !(g->shared_edits = hs_arena_alloc(&g->edit_arena, SHARED_SETS * SHARED_WAYS *
								  sizeof *g->shared_edits)))
			return HS_ENOMEM;
		set = shared_set(g, key, v, len, next);
		for (size_t w = 0; w < SHARED_WAYS; w++)
			if (same_edit(set[w], key, v, len, next)) {
				*out = set[w];
				set_first(set, w, *out);
				return HS_OK;
			}
	}
	size_t room = how == EDIT_COPY ? len : 0;
	if (!(e = hs_arena_alloc(&g->edit_arena, sizeof *e + room)))
		return HS_ENOMEM;
	e->next = next;
	e->key = key | (set ? HS_ATTR_EDIT_SHARED : 0);
	e->value_len = (uint32_t)len;
	e->value = edit_value((uint8_t *)(e + 1), v, len, how);
	if (set)
		set_first(set, SHARED_WAYS - 1, e);
	*out = e;
	return HS_OK;
}

/* The entry *pp made the node's own: a copy of a shared one. */
static int own_edit(hs_graph *g, hs_attr_edit **pp)
{
	if (!is_shared(*pp))
		return HS_OK;
	hs_attr_edit *copy = hs_arena_alloc(&g->edit_arena, sizeof *copy);
	if (!copy)
		return HS_ENOMEM;
	*copy = **pp;
	copy->key &= ~(uint32_t)HS_ATTR_EDIT_SHARED;
	*pp = copy;
	return HS_OK;
}

/* A new key goes first, so a set walks the list only to learn whether
 * the key is in it: a long list (a copy of a node with thousands of
 * attributes) would make setting them cost the square of their number,
 * in any order (at fd8a521, kept sorted, a set in descending order took
 * one step).  So the keys of the last long list set are kept as bits by
 * key id (g->long_keys): a list only gains keys (a removal is an entry),
 * and only put_edit adds them.  0 when the key is surely not in rec's
 * list, 1 when it may be (walk it); rec's list is longer than
 * WALKED_EDITS.  Out of memory: 1 (the walk). */
static int long_list_may_have(hs_graph *g, const hs_node_edit *rec, uint32_t id)
{
	size_t words = ((size_t)g->edit_keys.n + 63) / 64, had = g->long_keys.words;
	if (had < words) { /* new keys: room for their bits, 0 */
		size_t want = words > 2 * had ? words : 2 * had;
		uint64_t *bits = realloc(g->long_keys.bits, want * sizeof *bits);
		if (!bits) {
			g->long_keys.rec = NULL;
			return 1;
		}
		memset(bits + had, 0, (want - had) * sizeof *bits);
		g->long_keys.bits = bits;
		g->long_keys.words = want;
	}
	if (g->long_keys.rec != rec) {
		memset(g->long_keys.bits, 0, g->long_keys.words * sizeof *g->long_keys.bits);
		for (const hs_attr_edit *e = rec->attr_edits; e; e = e->next) {
			uint32_t k = e->key >> HS_ATTR_EDIT_KEY_SHIFT;
			g->long_keys.bits[k / 64] |= (uint64_t)1 << (k % 64);
		}
		g->long_keys.rec = rec;
	}
	return (g->long_keys.bits[id / 64] >> (id % 64)) & 1;
}

/* The entry of key id in rec's list, or NULL. */
static hs_attr_edit *find_key(hs_graph *g, const hs_node_edit *rec, uint32_t id)
{
	size_t walked = 0;
	hs_attr_edit *e = rec->attr_edits;
	for (; e && e->key >> HS_ATTR_EDIT_KEY_SHIFT != id; e = e->next)
		if (++walked == WALKED_EDITS && !long_list_may_have(g, rec, id))
			return NULL;
	return e;
}

/* Sets the value of `key` in the node's edits (a new edit, or a new
 * value of an existing one) to len bytes at v, taken as `how` says.
 * Everything lives in the graph's edit arena: one allocation a new
 * attribute, none for one shared. */
static int put_edit(hs_node *n, const char *key, const uint8_t *v, size_t len, int how)
{
	if (len > UINT32_MAX)
		return hs_fail(HS_ELIMIT, "node '%.*s': attribute '%s' is larger than 4 GiB",
			       HS_NODE_NAME_ARG(n), key);
	hs_graph *g = n->graph;
	hs_node_edit *rec;
	uint32_t id;
	int rc = hs_node_edit_get(&rec, n);
	if (rc != HS_OK || (rc = edit_key_id(&id, g, key)) != HS_OK)
		return rc;
	uint32_t word = id << HS_ATTR_EDIT_KEY_SHIFT | (how == EDIT_REMOVE ? HS_ATTR_EDIT_REMOVED : 0);
	hs_attr_edit **pp, *e = find_key(g, rec, id);
	if (e && e->key == (word | (e->key & HS_ATTR_EDIT_SHARED)) && e->value_len == len &&
	    (!len || memcmp(e->value, v, len) == 0))
		return HS_OK; /* the value it has: nothing changes */
	if (!e) {
		/* A new key goes first: no entry changes. */
		if ((rc = make_edit(&e, g, word, v, len, how, rec->attr_edits)) != HS_OK)
			return rc;
		rec->attr_edits = e;
		if (g->long_keys.rec == rec) /* id < n: its word is there */
			g->long_keys.bits[id / 64] |= (uint64_t)1 << (id % 64);
	} else if (!is_shared(e)) {
		uint8_t *room = NULL;
		if (how == EDIT_COPY && len && !(room = hs_arena_alloc(&g->edit_arena, len)))
			return HS_ENOMEM;
		e->value = edit_value(room, v, len, how);
		e->value_len = (uint32_t)len;
		e->key = word;
	} else {
		/* A shared entry changed: it and the entries before it become
		 * the node's own (those after it stay shared). */
		for (pp = &rec->attr_edits; *pp != e; pp = &(*pp)->next)
			if ((rc = own_edit(g, pp)) != HS_OK)
				return rc;
		if ((rc = make_edit(&e, g, word, v, len, how, e->next)) != HS_OK)
			return rc;
		*pp = e;
	}
	n->flags |= HS_NODE_F_ATTRS_EDITED;
	g->edits++;
	return HS_OK;
}

/* Where a setter encodes a value before put_edit copies it: `small` (on
 * its stack) when it fits, else a block to free. */
static uint8_t *value_room(uint8_t *small, size_t small_size, size_t need)
{
	uint8_t *p = need <= small_size ? small : malloc(need);
	if (!p)
		hs_fail(HS_ENOMEM, "out of memory");
	return p;
}

int hs_node_set_attr_raw(hs_node *n, const char *key, hs_str encoded)
{
	hs_attr check;
	if (!key || !*key)
		return hs_fail(HS_EINVAL, "attribute key must not be empty");
	if (hs_attr_decode(&check, (const uint8_t *)encoded.ptr, encoded.len))
		return hs_fail(HS_EINVAL, "attribute '%s': value is not an encoded AttrValue", key);
	return put_edit(n, key, (const uint8_t *)encoded.ptr, encoded.len, EDIT_COPY);
}

/* An AttrValue of one scalar field, encoded here: protobuf-c's generic
 * packing costs more than such a value (plugins set several per call).
 * The bytes are those protobuf-c writes: a oneof member is written even
 * when zero, and signed values as 64-bit varints. */
static int set_scalar(hs_node *n, const char *key, uint32_t number,
		      uint32_t wire_type, uint64_t v, const void *bytes)
{
	if (!key || !*key)
		return hs_fail(HS_EINVAL, "attribute key must not be empty");
	/* Tag (one byte: numbers 2..6), then a varint or 4 bytes, then the
	 * string bytes (v is their length). */
	size_t head_len = 1 + (wire_type == HS_WT_I32 ? 4 : hs_varint_size(v));
	size_t tail = wire_type == HS_WT_LEN ? (size_t)v : 0;
	uint8_t small[64], *buf = value_room(small, sizeof small, head_len + tail), *p = buf;
	if (!buf)
		return HS_ENOMEM;
	*p++ = (uint8_t)(number << 3 | wire_type);
	if (wire_type == HS_WT_I32) {
		uint32_t bits = (uint32_t)v;
		for (int i = 0; i < 4; i++)
			*p++ = (uint8_t)(bits >> (8 * i));
	} else {
		p += hs_varint_encode(p, v);
	}
	if (tail)
		memcpy(p, bytes, tail);
	int rc = put_edit(n, key, buf, head_len + tail, EDIT_COPY);
	if (buf != small)
		free(buf);
	return rc;
}

int hs_node_set_attr_s(hs_node *n, const char *key, hs_str value)
{
	return set_scalar(n, key, 2, HS_WT_LEN, value.len, value.ptr);
}

/* The AttrValue {s: value} as the graph's own bytes, when value is the
 * payload of a string field 2 there (tag 0x12, its minimal length before
 * it: what set_scalar writes): a hint's uuid attribute. */
static int string_value_in_graph(hs_str *enc, const hs_graph *g, hs_str value)
{
	uint8_t len[HS_VARINT_MAX];
	size_t vs = hs_varint_encode(len, value.len);
	const uint8_t *v = (const uint8_t *)value.ptr;
	if (!hs_graph_holds_bytes(g, value.ptr, value.len) ||
	    (size_t)(v - g->bytes) < 1 + vs || v[-1 - (long)vs] != (2u << 3 | HS_WT_LEN) ||
	    memcmp(v - vs, len, vs) != 0)
		return 0;
	*enc = (hs_str){ (const char *)v - 1 - vs, 1 + vs + value.len };
	return 1;
}

int hs_node_set_attr_s_view(hs_node *n, const char *key, hs_str value)
{
	hs_str enc;
	if (!key || !*key || !string_value_in_graph(&enc, n->graph, value))
		return hs_node_set_attr_s(n, key, value);
	return put_edit(n, key, (const uint8_t *)enc.ptr, enc.len, EDIT_VIEW);
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

/* A list of varints (ListValue field `number`, packed), encoded here as
 * protobuf-c writes it: AttrValue.list (field 1) holding the packed field,
 * nothing when the list is empty.  Each value is a 64-bit varint (enums
 * of int32 sign-extended, as protobuf-c writes negative ones). */
static int set_varint_list(hs_node *n, const char *key, uint32_t number,
			   const int64_t *i64, const int *i32, size_t count)
{
	if (!key || !*key)
		return hs_fail(HS_EINVAL, "attribute key must not be empty");
	size_t body = 0;
	for (size_t k = 0; k < count; k++)
		body += hs_varint_size(i64 ? (uint64_t)i64[k] : (uint64_t)(int64_t)i32[k]);
	size_t list = count ? 1 + hs_varint_size(body) + body : 0;
	size_t total = 1 + hs_varint_size(list) + list;
	uint8_t small[64], *buf = value_room(small, sizeof small, total), *p = buf;
	if (!buf)
		return HS_ENOMEM;
	*p++ = (uint8_t)(1u << 3 | HS_WT_LEN);
	p += hs_varint_encode(p, list);
	if (count) {
		*p++ = (uint8_t)(number << 3 | HS_WT_LEN);
		p += hs_varint_encode(p, body);
	}
	for (size_t k = 0; k < count; k++)
		p += hs_varint_encode(p, i64 ? (uint64_t)i64[k] : (uint64_t)(int64_t)i32[k]);
	int rc = put_edit(n, key, buf, total, EDIT_COPY);
	if (buf != small)
		free(buf);
	return rc;
}

int hs_node_set_attr_list_i(hs_node *n, const char *key, const int64_t *values,
			    size_t count)
{
	return set_varint_list(n, key, 3, values, NULL, count);
}

int hs_node_set_attr_list_type(hs_node *n, const char *key, const int *values,
			       size_t count)
{
	return set_varint_list(n, key, 6, NULL, values, count);
}

int hs_node_remove_attr(hs_node *n, const char *key)
{
	if (!key || !*key)
		return hs_fail(HS_EINVAL, "attribute key must not be empty");
	return put_edit(n, key, NULL, 0, EDIT_REMOVE);
}
