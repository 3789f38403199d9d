/* Finding OpHint calls: hint identities are recognised by their
 * attributes only (never by name), grouped by uuid in order of first
 * appearance, and every argument is validated with a precise message. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr_iter.h"
#include "error.h"
#include "grow.h"
#include "hash.h"
#include "ophint_internal.h"
#include "prefetch.h"

const char *const hs_hint_attr_keys[] = {
	HS_ATTR_FUNCTION_NAME, HS_ATTR_FUNCTION_UUID, HS_ATTR_INPUT_INDEX,
	HS_ATTR_OUTPUT_INDEX, HS_ATTR_SORT_INDEX, HS_ATTR_AGGREGATE,
	HS_ATTR_LEVEL, HS_ATTR_CHILDREN_MAPPING
};
const size_t hs_hint_attr_key_count =
	sizeof hs_hint_attr_keys / sizeof hs_hint_attr_keys[0];

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	return hs_grow(arr, cap, need, elem, 4);
}

/* ------------------------------------------------------ attribute reads */

#define NODE_FMT "'%.*s'"
#define NODE_ARG HS_NODE_ARG
#define STR_ARG HS_STR_ARG

/* The hint attributes of one node, found in a single pass over its
 * attributes (in hs_hint_attr_keys order). */
enum { K_NAME, K_UUID, K_INPUT, K_OUTPUT, K_SORT, K_AGG, K_LEVEL, K_MAPPING,
       K_HINT_KEYS, K_T = K_HINT_KEYS, K_COUNT };

_Static_assert(sizeof hs_hint_attr_keys / sizeof hs_hint_attr_keys[0] == K_HINT_KEYS,
	       "one table entry per hint key (tests/ophint/check_hints.c lists them)");

typedef struct attr_table {
	hs_str raw[K_COUNT];
	int found[K_COUNT];
} attr_table;

/* Which of the table's keys an attribute key is, or -1.  The keys differ
 * in length but for the name and the uuid, which differ in one byte: one
 * comparison decides, where trying every key costs nine (a hint's walk is
 * most of discovery).  The table is indexed by the keys' own lengths (a
 * new key of a length already taken overrides an entry: -Woverride-init
 * says so, and tests/ophint/check_hints.c reads a hint of every key). */
#define KEY_LEN(key) (sizeof key - 1)
enum { MAX_KEY_LEN = 40 };
_Static_assert(KEY_LEN(HS_ATTR_FUNCTION_NAME) == KEY_LEN(HS_ATTR_FUNCTION_UUID) &&
	       KEY_LEN(HS_ATTR_CHILDREN_MAPPING) < MAX_KEY_LEN,
	       "the name and the uuid share a length; every key fits the table");

static int table_key(hs_str key)
{
	static const signed char by_len[MAX_KEY_LEN] = {
		[KEY_LEN("T")] = K_T + 1,
		[KEY_LEN(HS_ATTR_LEVEL)] = K_LEVEL + 1,
		[KEY_LEN(HS_ATTR_FUNCTION_NAME)] = K_NAME + 1, /* and K_UUID */
		[KEY_LEN(HS_ATTR_AGGREGATE)] = K_AGG + 1,
		[KEY_LEN(HS_ATTR_SORT_INDEX)] = K_SORT + 1,
		[KEY_LEN(HS_ATTR_INPUT_INDEX)] = K_INPUT + 1,
		[KEY_LEN(HS_ATTR_OUTPUT_INDEX)] = K_OUTPUT + 1,
		[KEY_LEN(HS_ATTR_CHILDREN_MAPPING)] = K_MAPPING + 1
	};
	int k = key.len < sizeof by_len ? by_len[key.len] - 1 : -1;
	if (k == K_NAME && key.ptr[sizeof "_tflite_function_" - 1] == 'u')
		k = K_UUID;
	if (k < 0)
		return -1;
	const char *want = k == K_T ? "T" : hs_hint_attr_keys[k];
	return memcmp(key.ptr, want, key.len) == 0 ? k : -1;
}

/* The table's attributes of n, in one walk (the last entry of a key wins,
 * as in protobuf maps; edits as the node reads now). */
static void scan_attrs(attr_table *t, const hs_node *n)
{
	hs_attr_iter it;
	hs_attr_entry e;
	memset(t->found, 0, sizeof t->found);
	hs_attr_iter_init_edited(&it, n);
	while (hs_attr_iter_next(&it, &e)) {
		int k = table_key(e.key);
		if (k >= 0) {
			t->raw[k] = e.value;
			t->found[k] = 1;
		}
	}
}

/* 1: present with the wanted kind, 0: absent (or TF V1's empty value),
 * -1: present with another kind (a problem is recorded; a failure to
 * record it is in *rc). */
static int read_attr(hs_attr *a, int *rc, hs_callset *set, hs_call *c,
		     const hs_node *n, const attr_table *t, int k,
		     hs_attr_kind want)
{
	const char *key = hs_hint_attr_keys[k];
	if (!t->found[k])
		return 0;
	int drc = hs_attr_decode(a, (const uint8_t *)t->raw[k].ptr, t->raw[k].len);
	if (drc == HS_OK && a->kind == HS_ATTR_NONE)
		return 0;
	if (drc == HS_OK && a->kind == want)
		return 1;
	const char *what = drc == HS_OK ? "of another type" : "malformed";
	if (c)
		*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BAD_ATTR,
				       "call %.*s (%.*s): hint " NODE_FMT ": attribute %s is %s, expected %s",
				       STR_ARG(c->uuid), STR_ARG(c->function), NODE_ARG(n),
				       key, what, want == HS_ATTR_S ? "a string" : "an int");
	else
		*rc = hs_callset_problemf(set, HS_SEVERITY_ERROR, HS_P_BAD_ATTR,
					  "node " NODE_FMT ": attribute %s is %s, expected a string; the node is not treated as a hint",
					  NODE_ARG(n), key, what);
	return -1;
}

/* ---------------------------------------------- one pass over the hints */

/* A hint identity as its one attribute walk found it: what building its
 * call's operands needs, kept until the call is built.  24 bytes: a graph
 * may hold a million hints, and they are alive while the calls are built
 * (the peak of discovery). */
typedef struct hint {
	int64_t sort;           /* -1: none */
	uint32_t node;          /* its node's id */
	uint32_t next;          /* the call's next hint (index + 1); 0: none */
	int32_t dtype;          /* the node's T, 0 if absent */
	uint32_t arg_in : 13;   /* input argument + 1 (hint_index); 0: none */
	uint32_t arg_out : 13;  /* output argument + 1 */
	uint32_t agg : 3;       /* AGG_NONE, an hs_aggregation, AGG_UNKNOWN */
} hint;

_Static_assert(HS_MAX_ARG_INDEX + 1 < (1 << 13), "an argument index fits a hint");

/* A hint's aggregation: none (absent, or not a string), the one it names,
 * or a name none of them has (agg_text reads it again: problems only). */
enum { AGG_NONE = 0, AGG_UNKNOWN = 4 };
_Static_assert((int)HS_AGG_LAST < (int)AGG_UNKNOWN, "the aggregations (LAST the highest) fit a hint");

/* A hint's input (dir 0) or output (1) argument; -1: none. */
static int hint_index(const hint *h, int dir)
{
	return (int)(dir ? h->arg_out : h->arg_in) - 1;
}

static void set_hint_index(hint *h, int dir, int index)
{
	if (dir)
		h->arg_out = (uint32_t)(index + 1);
	else
		h->arg_in = (uint32_t)(index + 1);
}

/* The hints of one call, in the order the walk met them. */
typedef struct group {
	uint32_t first, last;   /* hint index + 1; 0: none */
	uint32_t n_hints;
	uint32_t near_stub;     /* a hint touches a node that may be a stub */
} group;

/* One (hint, direction) membership of a call: an argument element. */
typedef struct hint_rec {
	const hint *h;
	hs_node *node;          /* h's */
	int64_t index;
	int dir;                /* 0 input, 1 output */
} hint_rec;

typedef struct find_state {
	hs_callset *set;
	size_t first_call;      /* calls before this one were there already */
	hint *hints;            /* every hint identity, in walk order */
	size_t n_hints, cap_hints;
	size_t last_call;       /* the last hint's call */
	group *groups;          /* per call from first_call on */
	size_t cap_groups;
	hint_rec *recs;         /* scratch: one call's records */
	size_t cap_recs;
	const hs_node **readers; /* scratch: already_converted */
	size_t cap_readers;
	uint8_t *marks;         /* by node id: what near_stub learned */
	int rc;                 /* first failure recording a problem */
} find_state;

/* A hint's node.  Discovery reads a const graph, and the call set keeps
 * its nodes as the walk gave them (hs_graph_next_marked). */
static hs_node *hint_node(const find_state *st, const hint *h)
{
	return hs_graph_node_by_id((hs_graph *)st->set->g, h->node);
}

/* The aggregation a record's hint names, for a problem's message: an
 * unknown name is read again from the node, as the walk read it. */
static hs_str agg_text(const hint_rec *r)
{
	if (r->h->agg == AGG_NONE)
		return (hs_str){ "", 0 };
	if (r->h->agg != AGG_UNKNOWN) {
		const char *name = hs_aggregation_name((hs_aggregation)r->h->agg);
		return (hs_str){ name, strlen(name) };
	}
	attr_table t;
	hs_attr a;
	scan_attrs(&t, r->node);
	if (t.found[K_AGG] &&
	    hs_attr_decode(&a, (const uint8_t *)t.raw[K_AGG].ptr, t.raw[K_AGG].len) == HS_OK &&
	    a.kind == HS_ATTR_S)
		return a.v.s;
	return (hs_str){ "", 0 };
}

static int call_of_uuid(find_state *st, hs_str uuid, size_t *out)
{
	hs_callset *set = st->set;
	/* A call's identities usually sit together: try the last one. */
	if (st->n_hints) {
		hs_call *last = set->calls[st->last_call];
		if (hs_str_same(last->uuid, uuid)) {
			*out = last->ordinal;
			return HS_OK;
		}
	}
	uint64_t hash = hs_hash(uuid.ptr, uuid.len);
	hs_call *c = hs_callset_lookup_hashed(set, uuid, hash);
	if (c && c->ordinal < st->first_call)
		return hs_fail(HS_EEXISTS, "call %.*s is in the call set already",
			       HS_NAME_ARG(uuid));
	if (!c) {
		size_t k = set->n_calls - st->first_call;
		int rc = grow((void **)&st->groups, &st->cap_groups, k + 1, sizeof *st->groups);
		if (!rc)
			rc = hs_callset_add_call_hashed(&c, set, HS_DETECTOR_OPHINT,
							(hs_str){ "", 0 }, uuid, 0, hash);
		if (rc)
			return rc;
		st->groups[k] = (group){ 0, 0, 0, 0 };
	}
	*out = c->ordinal;
	return HS_OK;
}

static int parse_aggregation(hs_aggregation *out, hs_str s)
{
	if (hs_str_eq(s, "stack"))
		*out = HS_AGG_STACK;
	else if (hs_str_eq(s, "first"))
		*out = HS_AGG_FIRST;
	else if (hs_str_eq(s, "last"))
		*out = HS_AGG_LAST;
	else
		return -1;
	return 0;
}

/* The call-level attributes a hint carries: function, level, mapping.
 * The set keeps views of the graph's bytes, or copies of edited values
 * (an edit's bytes live only as long as the edit: strip_hints). */
static void read_call_attrs(find_state *st, hs_call *c, const hs_node *n,
			    const attr_table *t)
{
	hs_attr a;
	int *rc = &st->rc;
	int k = read_attr(&a, rc, st->set, c, n, t, K_NAME, HS_ATTR_S);
	if (k > 0 && a.v.s.len) {
		if (c->function.len == 0) {
			int frc = hs_call_set_function(c, a.v.s);
			if (frc)
				*rc = frc;
		} else if (!hs_str_same(c->function, a.v.s))
			*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_FUNCTION_MISMATCH,
					       "call %.*s: hint " NODE_FMT " names function '%.*s', other hints of the call name '%.*s'",
					       STR_ARG(c->uuid), NODE_ARG(n), STR_ARG(a.v.s),
					       STR_ARG(c->function));
	} else if (k == 0) {
		*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BAD_ATTR,
				       "call %.*s: hint " NODE_FMT " has no %s",
				       STR_ARG(c->uuid), NODE_ARG(n), HS_ATTR_FUNCTION_NAME);
	}
	if (read_attr(&a, rc, st->set, c, n, t, K_LEVEL, HS_ATTR_I) > 0 && a.v.i > c->level)
		c->level = a.v.i;
	if (read_attr(&a, rc, st->set, c, n, t, K_MAPPING, HS_ATTR_S) > 0 &&
	    hs_call_children_mapping(c).len == 0 && hs_call_set_children_mapping(c, a.v.s))
		*rc = HS_ENOMEM;
}

/* The rest of a hint's attributes: its call's, and its argument roles. */
static int read_hint(find_state *st, hs_call *c, hint *h, const hs_node *n,
		     const attr_table *t)
{
	int *rc = &st->rc;
	hs_attr a, agg;
	read_call_attrs(st, c, n, t);
	h->sort = -1;
	if (read_attr(&a, rc, st->set, c, n, t, K_SORT, HS_ATTR_I) > 0)
		h->sort = a.v.i;
	h->agg = AGG_NONE;
	if (read_attr(&agg, rc, st->set, c, n, t, K_AGG, HS_ATTR_S) > 0) {
		hs_aggregation named;
		h->agg = parse_aggregation(&named, agg.v.s) ? AGG_UNKNOWN : (uint8_t)named;
	}
	if (h->sort < -1) {
		*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BAD_INDEX,
				       "call %.*s (%.*s): hint " NODE_FMT " has sort index %lld",
				       STR_ARG(c->uuid), STR_ARG(c->function), NODE_ARG(n),
				       (long long)h->sort);
		h->sort = -1;
	}
	int roles = 0;
	hs_attr ta;
	if (t->found[K_T] && hs_attr_decode(&ta, (const uint8_t *)t->raw[K_T].ptr,
					     t->raw[K_T].len) == HS_OK && ta.kind == HS_ATTR_TYPE)
		h->dtype = ta.v.type;
	for (int dir = 0; dir < 2; dir++) {
		int r = read_attr(&a, rc, st->set, c, n, t, dir ? K_OUTPUT : K_INPUT, HS_ATTR_I);
		if (r < 0)
			roles++; /* reported already */
		if (r <= 0)
			continue;
		roles++;
		if (a.v.i < 0 || a.v.i > HS_MAX_ARG_INDEX) {
			*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BAD_INDEX,
					       "call %.*s (%.*s): hint " NODE_FMT ": %s index %lld is out of range 0..%d",
					       STR_ARG(c->uuid), STR_ARG(c->function), NODE_ARG(n),
					       dir ? "output" : "input", (long long)a.v.i,
					       HS_MAX_ARG_INDEX);
			continue;
		}
		set_hint_index(h, dir, (int)a.v.i);
	}
	if (!roles)
		*rc = hs_call_problemf(c, HS_SEVERITY_WARNING, HS_P_NO_INDEX,
				       "call %.*s (%.*s): hint " NODE_FMT " has neither an input nor an output index; ignored",
				       STR_ARG(c->uuid), STR_ARG(c->function), NODE_ARG(n));
	return *rc;
}

/* What the walk learned of the nodes around hints, by node id: each
 * node's attributes are read once, however many hints touch it. */
enum { NODE_SEEN = 1, NODE_STUB_LIKE = 2, PACK_SEEN = 4, PACK_FEEDS = 8 };

/* ------------------------------------------------------------ stubs */

/* The attributes that mark a stub, each with the parse's flag that says
 * a node of the file may carry it (graph.c flags every node with a key
 * beginning `_tflite_` or `_hintstub_`).  hintstub's stubs carry the
 * call's uuid (HS_ATTR_STUB_CALL) whatever op a plugin gave them; stubs of
 * TensorFlow (or of an older hintstub) are named after the uuid with the
 * function as op, and list the present inputs. */
enum { MARK_CALL, MARK_INPUT_INDICES, N_STUB_MARKS };

static const struct stub_mark {
	const char *key;
	size_t len;
	uint32_t parse_flag;
} stub_marks[N_STUB_MARKS] = {
	[MARK_CALL] = { HS_ATTR_STUB_CALL, KEY_LEN(HS_ATTR_STUB_CALL),
			HS_NODE_F_HINTSTUB_ATTR },
	[MARK_INPUT_INDICES] = { HS_ATTR_STUB_INPUT_INDICES,
				 KEY_LEN(HS_ATTR_STUB_INPUT_INDICES), HS_NODE_F_TFLITE_ATTR },
};

static int is_stub_mark(hs_str key)
{
	for (int k = 0; k < N_STUB_MARKS; k++)
		if (key.len == stub_marks[k].len && !memcmp(key.ptr, stub_marks[k].key, key.len))
			return 1;
	return 0;
}

/* Whether s may carry a stub's mark: the parse flagged it for one, or its
 * attributes were edited.  Only those need their attributes read. */
static int may_be_stub(const hs_node *s)
{
	uint32_t flags = 0;
	for (int k = 0; k < N_STUB_MARKS; k++)
		flags |= stub_marks[k].parse_flag;
	return s && !(s->flags & HS_NODE_F_REMOVED) &&
	       ((s->flags & flags) || hs_node_attr_edits(s));
}

/* Whether s is the stub of call c. */
static int is_stub_of(const hs_node *s, const hs_call *c)
{
	if (!may_be_stub(s))
		return 0;
	hs_str raw;
	hs_attr mark;
	const struct stub_mark *own = &stub_marks[MARK_CALL];
	if (hs_node_find_raw_attr(&raw, s, own->key, own->len) == HS_OK)
		return hs_attr_decode(&mark, (const uint8_t *)raw.ptr, raw.len) == HS_OK &&
		       mark.kind == HS_ATTR_S && mark.v.s.len == c->uuid.len &&
		       !memcmp(mark.v.s.ptr, c->uuid.ptr, c->uuid.len);
	/* TensorFlow's stub also carries _tflite_input_indices: without it a
	 * node that merely has the uuid's name and the function's op (the
	 * graph's own node, which made the stub "uuid_1") is no stub. */
	const struct stub_mark *tf = &stub_marks[MARK_INPUT_INDICES];
	return hs_name_of(s).len == c->uuid.len && !memcmp(hs_name_of(s).ptr, c->uuid.ptr, c->uuid.len) &&
	       hs_str_same(hs_op_of(s), c->function) &&
	       hs_node_find_raw_attr(&raw, s, tf->key, tf->len) == HS_OK;
}

/* Whether s carries a stub's mark (every stub is_stub_of recognises has
 * one).  Asked while the walk passes by, when the node's bytes are at
 * hand, so that building the calls later need not read every reader of
 * every identity again. */
static int stub_like(find_state *st, const hs_node *s)
{
	if (!may_be_stub(s))
		return 0;
	uint8_t *m = &st->marks[hs_node_id(s)];
	if (!(*m & NODE_SEEN)) {
		hs_attr_iter it;
		hs_attr_entry e;
		*m |= NODE_SEEN;
		hs_attr_iter_init_edited(&it, s);
		while (!(*m & NODE_STUB_LIKE) && hs_attr_iter_next(&it, &e))
			if (is_stub_mark(e.key))
				*m |= NODE_STUB_LIKE;
		hs_attr_iter_end(&it);
	}
	return (*m & NODE_STUB_LIKE) != 0;
}

/* A reader of an input identity that may be the stub, or a Pack feeding
 * one (a Pack's readers are looked at once). */
static int reader_near_stub(find_state *st, const hs_node *r)
{
	if (stub_like(st, r))
		return 1;
	if (!hs_str_eq(hs_op_of(r), "Pack"))
		return 0;
	uint8_t *m = &st->marks[hs_node_id(r)];
	if (!(*m & PACK_SEEN)) {
		*m |= PACK_SEEN;
		for (uint32_t j = 0; j < r->n_consumers; j++)
			if (stub_like(st, hs_node_consumer_at(r, j))) {
				*m |= PACK_FEEDS;
				break;
			}
	}
	return (*m & PACK_FEEDS) != 0;
}

/* Whether a hint touches a node already_converted could find to be its
 * call's stub (the same nodes it looks at, without the uuid and function
 * compared): a call none of whose hints does is not converted. */
static int hint_near_stub(find_state *st, const hint *h, const hs_node *x)
{
	if (hint_index(h, 1) >= 0) {
		const hs_node *s = x->n_inputs == 1 ? hs_node_input_src(x, 0) : NULL;
		if (s && hs_str_eq(hs_op_of(s), "Unpack") && s->n_inputs == 1)
			s = hs_node_input_src(s, 0);
		if (stub_like(st, s))
			return 1;
	}
	for (uint32_t j = 0; hint_index(h, 0) >= 0 && j < x->n_consumers; j++)
		if (reader_near_stub(st, hs_node_consumer_at(x, j)))
			return 1;
	return 0;
}

/* One node the walk offers: a hint when it has a uuid.  Its attributes
 * are walked once; its call is found or made, and it joins the call's
 * group. */
static int scan_hint(find_state *st, hs_node *n)
{
	attr_table t;
	hs_attr a;
	scan_attrs(&t, n);
	if (read_attr(&a, &st->rc, st->set, NULL, n, &t, K_UUID, HS_ATTR_S) <= 0 ||
	    a.v.s.len == 0)
		return st->rc;
	size_t call = 0;
	int rc = call_of_uuid(st, a.v.s, &call);
	if (!rc && st->n_hints >= UINT32_MAX - 1)
		rc = hs_fail(HS_ENOMEM, "out of memory (too many hints)");
	if (!rc)
		rc = grow((void **)&st->hints, &st->cap_hints, st->n_hints + 1,
			  sizeof *st->hints);
	if (rc)
		return rc;
	hint *h = &st->hints[st->n_hints++];
	memset(h, 0, sizeof *h);
	h->node = hs_node_id(n);
	st->last_call = call;
	group *gr = &st->groups[call - st->first_call];
	uint32_t self = (uint32_t)st->n_hints;
	if (gr->last)
		st->hints[gr->last - 1].next = self;
	else
		gr->first = self;
	gr->last = self;
	gr->n_hints++;
	rc = read_hint(st, st->set->calls[call], h, n, &t);
	if (!rc && !gr->near_stub)
		gr->near_stub = (uint32_t)hint_near_stub(st, h, n);
	return rc;
}

static int cmp_rec(const hint_rec *a, const hint_rec *b)
{
	if (a->dir != b->dir)
		return a->dir - b->dir;
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	if (a->h->sort != b->h->sort)
		return a->h->sort < b->h->sort ? -1 : 1;
	return a->h->node < b->h->node ? -1 : a->h->node > b->h->node;
}

static int cmp_rec_q(const void *a, const void *b) { return cmp_rec(a, b); }

/* Records in argument order (direction, index, sort index, graph
 * position): a call has a handful, sorted in place; many take qsort. */
static void sort_recs(hint_rec *r, size_t n)
{
	if (n > 16) {
		qsort(r, n, sizeof *r, cmp_rec_q);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		hint_rec x = r[i];
		size_t j = i;
		for (; j > 0 && cmp_rec(&r[j - 1], &x) > 0; j--)
			r[j] = r[j - 1];
		r[j] = x;
	}
}

/* The records of one call's group, sorted, in st->recs. */
static int gather_recs(find_state *st, const group *gr, size_t *n_out)
{
	size_t n = 0;
	if (grow((void **)&st->recs, &st->cap_recs, 2 * (size_t)gr->n_hints + 1,
		 sizeof *st->recs))
		return HS_ENOMEM;
	for (uint32_t i = gr->first; i; i = st->hints[i - 1].next) {
		const hint *h = &st->hints[i - 1];
		for (int dir = 0; dir < 2; dir++)
			if (hint_index(h, dir) >= 0)
				st->recs[n++] = (hint_rec){ h, hint_node(st, h), hint_index(h, dir), dir };
	}
	sort_recs(st->recs, n);
	*n_out = n;
	return HS_OK;
}

/* ------------------------------------------------- operand validation */

static const char *dir_name(int dir) { return dir ? "output" : "input"; }

/* The boundary tensor of a hint element: an input identity is read by the
 * region; an output identity reads what the region computes. */
static hs_tensor boundary_of(hs_node *identity, int dir)
{
	if (!dir)
		return (hs_tensor){ identity, 0 };
	int port = identity->n_inputs ? hs_node_input_port(identity, 0) : -1;
	if (port < 0)
		return (hs_tensor){ NULL, 0 };
	return (hs_tensor){ hs_node_input_src(identity, 0), port };
}

static int add_elements(hs_operand *op, hs_element_pool *pool, const hint_rec *recs,
			size_t n)
{
	int rc = hs_operand_take(op, pool, n);
	for (size_t k = 0; k < n && !rc; k++)
		hs_operand_put_element(op, boundary_of(recs[k].node, recs[k].dir),
				       recs[k].node);
	return rc;
}

/* Aggregated elements: one aggregation, sort indices 0, 1, 2... */
static void check_aggregated(hs_call *c, const hint_rec *a, size_t na, int *rc)
{
	const char *dn = dir_name(a[0].dir);
	long long index = (long long)a[0].index;
	for (size_t k = 1; k < na; k++) {
		if (a[k].h->agg == a[0].h->agg &&
		    (a[0].h->agg != AGG_UNKNOWN || hs_str_same(agg_text(&a[k]), agg_text(&a[0]))))
			continue;
		*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_AGGREGATE_MISMATCH,
				       "call %.*s (%.*s): %s %lld: hint " NODE_FMT " aggregates '%.*s' but " NODE_FMT " '%.*s'",
				       STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
				       NODE_ARG(a[k].node), STR_ARG(agg_text(&a[k])),
				       NODE_ARG(a[0].node), STR_ARG(agg_text(&a[0])));
		break;
	}
	int64_t expect = 0;
	for (size_t k = 0; k < na; k++) {
		if (k && a[k].h->sort == a[k - 1].h->sort) {
			*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_SORT_DUPLICATE,
					       "call %.*s (%.*s): %s %lld: sort index %lld is used by " NODE_FMT " and " NODE_FMT,
					       STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
					       (long long)a[k].h->sort, NODE_ARG(a[k - 1].node),
					       NODE_ARG(a[k].node));
			continue;
		}
		if (a[k].h->sort != expect) {
			*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_SORT_GAP,
					       "call %.*s (%.*s): %s %lld: sort index %lld is missing (next is %lld at " NODE_FMT ")",
					       STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
					       (long long)expect, (long long)a[k].h->sort,
					       NODE_ARG(a[k].node));
		}
		/* Saturated: a sort index of INT64_MAX has no successor, and
		 * signed overflow is undefined. */
		expect = a[k].h->sort < INT64_MAX ? a[k].h->sort + 1 : INT64_MAX;
	}
}

/* Validates the records of one argument recs[0..n) and adds its operand. */
static int build_operand(hs_call *c, hs_element_pool *pool, const hint_rec *recs,
			 size_t n)
{
	const char *dn = dir_name(recs[0].dir);
	long long index = (long long)recs[0].index;
	int rc = HS_OK;
	size_t ns = 0;
	while (ns < n && recs[ns].h->sort < 0)
		ns++;
	size_t na = n - ns;
	if (ns > 1)
		rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_DUPLICATE_INDEX,
				      "call %.*s (%.*s): %s %lld is given twice without a sort index: " NODE_FMT " and " NODE_FMT,
				      STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
				      NODE_ARG(recs[0].node), NODE_ARG(recs[1].node));
	if (ns && na)
		rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_MIXED,
				      "call %.*s (%.*s): %s %lld mixes an untagged hint " NODE_FMT " with aggregated hints such as " NODE_FMT,
				      STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
				      NODE_ARG(recs[0].node), NODE_ARG(recs[ns].node));
	hs_operand *op;
	if (!na || ns) {
		int arc = hs_call_add_operand(&op, c, recs[0].dir, recs[0].index,
					      HS_AGG_SINGLE, recs[0].h->dtype);
		return arc ? arc : rc ? rc : add_elements(op, pool, recs, 1);
	}
	const hint_rec *a = recs + ns;
	hs_aggregation agg = HS_AGG_STACK;
	if (a[0].h->agg == AGG_NONE || a[0].h->agg == AGG_UNKNOWN)
		rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_UNKNOWN_AGGREGATE,
				      "call %.*s (%.*s): %s %lld: hint " NODE_FMT " has %s aggregation '%.*s' (expected stack, first or last)",
				      STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
				      NODE_ARG(a[0].node), a[0].h->agg ? "unknown" : "a sort index but no",
				      STR_ARG(agg_text(&a[0])));
	else
		agg = (hs_aggregation)a[0].h->agg;
	check_aggregated(c, a, na, &rc);
	int arc = hs_call_add_operand(&op, c, a[0].dir, a[0].index, agg, a[0].h->dtype);
	return arc ? arc : rc ? rc : add_elements(op, pool, a, na);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a;
	uintptr_t y = (uintptr_t)*(const void *const *)b;
	return (x > y) - (x < y);
}

/* Whether one of readers[0..n) is the stub, or a Pack among them feeds
 * it.  Each distinct reader is looked at once, however many hints of the
 * call read it (K stacked hints into a Pack with M readers: K + M, not
 * K * M; is_stub_of reads the reader's attributes, so even the Pack
 * itself is read once). */
static int readers_feed_stub(const hs_node **readers, size_t n, const hs_call *c)
{
	qsort(readers, n, sizeof *readers, cmp_ptr);
	for (size_t i = 0; i < n; i++) {
		const hs_node *r = readers[i];
		if (i && r == readers[i - 1])
			continue;
		if (is_stub_of(r, c))
			return 1;
		if (!hs_str_eq(hs_op_of(r), "Pack"))
			continue;
		for (uint32_t j = 0; j < r->n_consumers; j++)
			if (is_stub_of(hs_node_consumer_at(r, j), c))
				return 1;
	}
	return 0;
}

/* Hints survive a conversion (and the clean-up removes some of them): a
 * call whose identities are wired to its stub is done, not broken.  1
 * yes, 0 no, or HS_ENOMEM. */
static int already_converted(find_state *st, const hs_call *c, const hint_rec *recs,
			     size_t n)
{
	size_t n_reads = 0;
	for (size_t i = 0; i < n; i++) {
		const hs_node *x = recs[i].node;
		if (recs[i].dir) {
			const hs_node *s = x->n_inputs == 1 ? hs_node_input_src(x, 0) : NULL;
			if (s && hs_str_eq(hs_op_of(s), "Unpack") && s->n_inputs == 1)
				s = hs_node_input_src(s, 0);
			if (is_stub_of(s, c))
				return 1;
			continue;
		}
		n_reads += x->n_consumers;
	}
	if (grow((void **)&st->readers, &st->cap_readers, n_reads + 1, sizeof *st->readers))
		return HS_ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (uint32_t j = 0; !recs[i].dir && j < recs[i].node->n_consumers; j++)
			st->readers[k++] = hs_node_consumer_at(recs[i].node, j);
	return readers_feed_stub(st->readers, k, c);
}

/* The checks of a call as a whole, once its operands are built. */
static int check_call(hs_call *c)
{
	int rc = HS_OK;
	/* The stub is named after the uuid and read as "<uuid>:<k>": a uuid
	 * with ':' or a leading '^' would make those inputs name another
	 * node (or none). */
	if (memchr(c->uuid.ptr, ':', c->uuid.len) || c->uuid.ptr[0] == '^')
		rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BAD_UUID,
				      "call %.*s (%.*s): the uuid cannot name the stub node (it contains ':' or starts with '^')",
				      STR_ARG(c->uuid), STR_ARG(c->function));
	/* Names are lengths, but a NodeDef name or op with a NUL is no name
	 * TensorFlow reads (and C strings stop there). */
	if (memchr(c->uuid.ptr, '\0', c->uuid.len))
		rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BAD_UUID,
				      "call %.*s (%.*s): the uuid cannot name the stub node (it contains a NUL byte at byte %zu)",
				      STR_ARG(c->uuid), STR_ARG(c->function),
				      (size_t)((const char *)memchr(c->uuid.ptr, '\0', c->uuid.len) - c->uuid.ptr));
	if (memchr(c->function.ptr, '\0', c->function.len))
		rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BAD_FUNCTION,
				      "call %.*s (%.*s): the function name cannot be the stub's op (it contains a NUL byte at byte %zu)",
				      STR_ARG(c->uuid), STR_ARG(c->function),
				      (size_t)((const char *)memchr(c->function.ptr, '\0', c->function.len) - c->function.ptr));
	if (!c->function.len)
		rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BAD_FUNCTION,
				      "call %.*s (): the function name is empty, and no op can be",
				      STR_ARG(c->uuid));
	if (!c->n_inputs)
		rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_NO_INPUTS,
				      "call %.*s (%.*s) has no input hints",
				      STR_ARG(c->uuid), STR_ARG(c->function));
	if (!c->n_outputs)
		rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_NO_OUTPUTS,
				      "call %.*s (%.*s) has no output hints",
				      STR_ARG(c->uuid), STR_ARG(c->function));
	return rc;
}

/* The arrays a call's records make: one operand per argument, one
 * element for a single (or broken) argument, all for an aggregated one
 * (an operand keeps one element inline: only more take room). */
static void count_operands(hs_call_sizes *z, const hint_rec *recs, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i, ns = 0;
		for (; j < n && recs[j].dir == recs[i].dir && recs[j].index == recs[i].index; j++)
			ns += recs[j].h->sort < 0;
		size_t elements = ns ? 1 : j - i;
		z->elements += elements > 1 ? elements : 0;
		if (recs[i].dir)
			z->outputs++;
		else
			z->inputs++;
		i = j;
	}
}

/* Builds a call from its group: identities in walk order, then the
 * operands of its sorted records, every array sized exactly. */
static int build_call(find_state *st, hs_call *c, const group *gr)
{
	size_t n = 0;
	int rc = gather_recs(st, gr, &n);
	int done = rc ? rc : gr->near_stub ? already_converted(st, c, st->recs, n) : 0;
	if (done < 0)
		return done;
	hs_call_sizes z = { gr->n_hints, 0, 0, 0 };
	if (!done)
		count_operands(&z, st->recs, n);
	hs_element_pool pool;
	rc = hs_call_reserve(c, &z, &pool);
	if (rc)
		return rc;
	for (uint32_t i = gr->first; i; i = st->hints[i - 1].next)
		hs_call_put_identity(c, st->hints[i - 1].node);
	if (done) {
		/* Its leftover hints are incomplete by design: no validation. */
		c->converted = 1;
		hs_call_clear_problems(c);
		return hs_call_problemf(c, HS_SEVERITY_NOTE, HS_P_ALREADY_CONVERTED,
					"call %.*s (%.*s) is already converted: its identities are wired to the stub",
					STR_ARG(c->uuid), STR_ARG(c->function));
	}
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && st->recs[j].dir == st->recs[i].dir &&
		       st->recs[j].index == st->recs[i].index)
			j++;
		if ((rc = build_operand(c, &pool, st->recs + i, j - i)))
			return rc;
		i = j;
	}
	return check_call(c);
}

static void state_free(find_state *st)
{
	free(st->hints);
	free(st->groups);
	free(st->recs);
	free(st->readers);
	free(st->marks);
	*st = (find_state){ .set = st->set, .first_call = st->first_call };
}

/* Level-2 calls: the calls of each loop body (found by this same
 * detector, on the body's scope) are their children. */
static int find_body_calls(hs_callset *set, size_t first_call)
{
	int rc = hs_ophint_loops_load(set, first_call);
	for (size_t i = first_call; i < set->n_calls && !rc; i++)
		if (hs_call_body_of(set->calls[i]) && hs_call_body_of(set->calls[i])->calls)
			rc = hs_ophint_discover(hs_call_body_of(set->calls[i])->calls, NULL);
	return rc ? rc : hs_ophint_loops_finish(set, first_call);
}

/* The walk meets hints scattered through the file, and waiting for each
 * one's node, bytes and readers in turn was most of its time.  Cursors
 * ahead of the walk ask the memory early, in stages, each reading only
 * what the stage before brought into the cache (a prefetch that must
 * first load the node it prefetches for stalls as the walk would):
 * PF_NODE hints ahead the node, PF_BYTES its bytes and reader ids,
 * PF_READERS its first readers' nodes, PF_READER_BYTES their bytes.
 * While the graph is as loaded the cursors cost nothing; after edits
 * each is a walk of the whole graph, so only the walk itself runs. */
enum { PF_NODE = 32, PF_BYTES = 16, PF_READERS = 8, PF_READER_BYTES = 4,
       PF_LINES = 6, PF_READER_LINES = 3, PF_MAX_READERS = 2 };

HS_PREFETCH_FN prefetch_node(const hs_node *x)
{
	if (x)
		hs_prefetch_span(x, sizeof *x);
}

/* x's node is in the cache: its field's first lines and its reader ids. */
HS_PREFETCH_FN prefetch_field(const hs_node *x, int lines)
{
	if (!x || (x->flags & HS_NODE_F_NEW))
		return;
	const uint8_t *b = hs_node_field(x);
	for (int k = 0; k < lines; k++)
		__builtin_prefetch(b + 64 * k);
	if (x->n_consumers)
		__builtin_prefetch(hs_node_consumers(x));
}

HS_PREFETCH_FN prefetch_readers(const hs_node *x, int bytes)
{
	for (uint32_t j = 0; x && j < x->n_consumers && j < PF_MAX_READERS; j++) {
		const hs_node *r = hs_node_consumer_at(x, j);
		if (bytes)
			prefetch_field(r, PF_READER_LINES);
		else
			prefetch_node(r);
	}
}

typedef struct prefetch_cursors {
	hs_node_cursor node, bytes, readers, reader_bytes;
} prefetch_cursors;

static void prefetch_start(prefetch_cursors *pc, const hs_graph *g)
{
	memset(pc, 0, sizeof *pc);
	for (int k = 0; k < PF_NODE; k++) {
		const hs_node *n = hs_graph_next_marked(g, &pc->node);
		if (k >= PF_NODE - PF_BYTES)
			hs_graph_next_marked(g, &pc->bytes);
		if (k >= PF_NODE - PF_READERS)
			hs_graph_next_marked(g, &pc->readers);
		if (k >= PF_NODE - PF_READER_BYTES)
			hs_graph_next_marked(g, &pc->reader_bytes);
		prefetch_node(n);
	}
}

/* Before the walk reads its next hint. */
static void prefetch_step(prefetch_cursors *pc, const hs_graph *g)
{
	prefetch_node(hs_graph_next_marked(g, &pc->node));
	prefetch_field(hs_graph_next_marked(g, &pc->bytes), PF_LINES);
	prefetch_readers(hs_graph_next_marked(g, &pc->readers), 0);
	prefetch_readers(hs_graph_next_marked(g, &pc->reader_bytes), 1);
}

/* One walk over the nodes that may be hints (the parse's list while the
 * graph is as loaded), then each call built once from its group. */
static int find_calls(find_state *st)
{
	hs_callset *set = st->set;
	hs_node_cursor cur = { 0, NULL };
	prefetch_cursors pc;
	const hs_graph *g = set->g;
	int as_loaded = g->edits == 0 && g->n_new == 0;
	st->marks = calloc(hs_graph_id_limit(set->g) + 1, 1);
	int rc = st->marks ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
	/* Every hint is a node the parse marked: as loaded, the hints fit
	 * in that many exactly (no doubling's slack at the peak). */
	size_t marked = set->g->n_tflite;
	if (!rc && marked && (st->hints = malloc(marked * sizeof *st->hints)) != NULL)
		st->cap_hints = marked;
	if (as_loaded)
		prefetch_start(&pc, g);
	for (hs_node *n; !rc && (n = hs_graph_next_marked(g, &cur)) != NULL;) {
		if (as_loaded)
			prefetch_step(&pc, g);
		rc = scan_hint(st, n);
	}
	/* The walk's marks are done with: the calls are built without them
	 * (the set grows most while they are built, the peak of discovery). */
	free(st->marks);
	st->marks = NULL;
	for (size_t ci = st->first_call; ci < set->n_calls && !rc; ci++)
		rc = build_call(st, set->calls[ci], &st->groups[ci - st->first_call]);
	if (rc)
		return rc;
	/* Level-2 bodies are discovered with scratch of their own. */
	state_free(st);
	if (set->failed)
		return hs_fail(set->failed, "out of memory recording problems");
	return find_body_calls(set, st->first_call);
}

int hs_discover_options_init(hs_discover_options *opts, unsigned int version)
{
	static const hs_discover_options defaults = HS_DISCOVER_OPTIONS_INIT;
	return hs_options_init(opts, &defaults, sizeof defaults, version, HS_DISCOVER_OPTIONS_VERSION,
			       "hs_discover_options");
}

int hs_ophint_discover(hs_callset *set, const hs_discover_options *opts)
{
	if (!set)
		return hs_fail(HS_EINVAL, "hs_ophint_discover: no call set");
	if (opts && opts->version != HS_DISCOVER_OPTIONS_VERSION)
		return hs_fail(HS_EINVAL, "hs_discover_options: unknown version %u", opts->version);
	if (opts && opts->colocation_edges)
		return hs_fail(HS_EINVAL, "hs_discover_options: colocation_edges is not supported yet");
	find_state st = { .set = set, .first_call = set->n_calls };
	size_t n_problems = set->n_global;
	int rc = find_calls(&st);
	state_free(&st);
	if (!rc)
		rc = hs_ophint_note_library_hints(set);
	if (rc)
		hs_callset_truncate(set, st.first_call, n_problems);
	return rc;
}

int hs_discover(hs_callset **out, const hs_graph *g, const hs_discover_options *opts)
{
	if (!out || !g)
		return hs_fail(HS_EINVAL, "hs_discover: out and graph are required");
	*out = NULL;
	hs_callset *set;
	int rc = hs_callset_new(&set, g);
	if (!rc)
		rc = hs_ophint_discover(set, opts);
	if (rc) {
		hs_callset_free(set);
		return rc;
	}
	*out = set;
	return HS_OK;
}
