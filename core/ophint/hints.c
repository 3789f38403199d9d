/* Finding OpHint calls: hint identities are recognised by their
 * attributes only (never by name), grouped by uuid in order of first
 * appearance, and every argument is validated with a precise message. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "error.h"
#include "grow.h"
#include "ophint_internal.h"

const char *const hs_hint_attr_keys[] = {
	HS_ATTR_FUNCTION_NAME, HS_ATTR_FUNCTION_UUID, HS_ATTR_INPUT_INDEX,
	HS_ATTR_OUTPUT_INDEX, HS_ATTR_SORT_INDEX, HS_ATTR_AGGREGATE,
	HS_ATTR_LEVEL, HS_ATTR_CHILDREN_MAPPING
};
const size_t hs_hint_attr_key_count =
	sizeof hs_hint_attr_keys / sizeof hs_hint_attr_keys[0];

const char *hs_aggregation_name(hs_aggregation a)
{
	switch (a) {
	case HS_AGG_SINGLE: return "single";
	case HS_AGG_STACK: return "stack";
	case HS_AGG_FIRST: return "first";
	case HS_AGG_LAST: return "last";
	}
	return "unknown";
}

/* ------------------------------------------------------------- storage */

static void *track_block(hs_hints *h, size_t size)
{
	if (hs_grow((void **)&h->blocks, &h->cap_blocks, h->n_blocks + 1,
		    sizeof *h->blocks, 32))
		return NULL;
	void *b = calloc(1, size ? size : 1);
	if (b)
		h->blocks[h->n_blocks++] = b;
	return b;
}

/* Zeroed memory from chunks: a call needs several small arrays, and a
 * graph may hold a hundred thousand calls. */
#define ARENA_CHUNK (64 * 1024)

void *hs_hints_alloc(hs_hints *h, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (size == 0)
		size = 16;
	if (size > ARENA_CHUNK / 4)
		return track_block(h, size);
	if (h->arena_left < size) {
		h->arena = track_block(h, ARENA_CHUNK);
		if (!h->arena)
			return NULL;
		h->arena_left = ARENA_CHUNK;
	}
	void *p = h->arena;
	h->arena += size;
	h->arena_left -= size;
	return p;
}

static char *vprintf_owned(hs_hints *h, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (len < 0)
		return NULL;
	char *s = hs_hints_alloc(h, (size_t)len + 1);
	if (s)
		vsnprintf(s, (size_t)len + 1, fmt, ap);
	return s;
}

char *hs_hints_printf(hs_hints *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vprintf_owned(h, fmt, ap);
	va_end(ap);
	return s;
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	return hs_grow(arr, cap, need, elem, 4);
}

int hs_hints_problem(hs_hints *h, hs_call *c, hs_severity sev,
		     const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = vprintf_owned(h, fmt, ap);
	va_end(ap);
	if (!msg)
		return hs_fail(HS_ENOMEM, "out of memory");
	hs_problem p = { sev, code, msg };
	if (!c) {
		if (grow((void **)&h->global, &h->cap_global, h->n_global + 1,
			 sizeof p))
			return HS_ENOMEM;
		h->global[h->n_global++] = p;
		return HS_OK;
	}
	hs_call_plan *plan = &h->plans[c->ordinal];
	if (grow((void **)&plan->problems, &plan->cap_problems,
		 c->n_problems + 1, sizeof p))
		return HS_ENOMEM;
	plan->problems[c->n_problems++] = p;
	c->problems = plan->problems;
	return HS_OK;
}

size_t hs_hints_graph_problem_count(const hs_hints *h) { return h ? h->n_global : 0; }

const hs_problem *hs_hints_graph_problem(const hs_hints *h, size_t i)
{
	return h && i < h->n_global ? &h->global[i] : NULL;
}

/* ------------------------------------------------------ attribute reads */

#define NODE_FMT "'%.*s'"
#define NODE_ARG(n) (int)(n)->name.len, (n)->name.ptr
#define STR_ARG(s) (int)(s).len, (s).ptr

/* The hint attributes of one node, found in a single pass over its
 * attributes (in hs_hint_attr_keys order). */
enum { K_NAME, K_UUID, K_INPUT, K_OUTPUT, K_SORT, K_AGG, K_LEVEL, K_MAPPING,
       K_HINT_KEYS, K_T = K_HINT_KEYS, K_COUNT };

typedef struct attr_table {
	hs_str raw[K_COUNT];
	int found[K_COUNT];
} attr_table;

static void scan_attrs(attr_table *t, const hs_node *n)
{
	static const char *const keys[K_COUNT] = {
		HS_ATTR_FUNCTION_NAME, HS_ATTR_FUNCTION_UUID, HS_ATTR_INPUT_INDEX,
		HS_ATTR_OUTPUT_INDEX, HS_ATTR_SORT_INDEX, HS_ATTR_AGGREGATE,
		HS_ATTR_LEVEL, HS_ATTR_CHILDREN_MAPPING, "T"
	};
	hs_node_find_raw_attrs(t->raw, t->found, n, keys, K_COUNT);
}

/* 1: present with the wanted kind, 0: absent (or TF V1's empty value),
 * -1: present with another kind (a problem is recorded). */
static int read_attr(hs_attr *a, hs_hints *h, hs_call *c, const hs_node *n,
		     const attr_table *t, int k, hs_attr_kind want)
{
	const char *key = hs_hint_attr_keys[k];
	if (!t->found[k])
		return 0;
	int rc = hs_attr_decode(a, (const uint8_t *)t->raw[k].ptr, t->raw[k].len);
	if (rc == HS_OK && a->kind == HS_ATTR_NONE)
		return 0;
	if (rc == HS_OK && a->kind == want)
		return 1;
	if (c)
		hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_BAD_ATTR,
				 "call %.*s (%.*s): hint " NODE_FMT ": attribute %s is %s, expected %s",
				 STR_ARG(c->uuid), STR_ARG(c->function), NODE_ARG(n),
				 key, rc == HS_OK ? "of another type" : "malformed",
				 want == HS_ATTR_S ? "a string" : "an int");
	else
		hs_hints_problem(h, NULL, HS_SEVERITY_ERROR, HS_P_BAD_ATTR,
				 "node " NODE_FMT ": attribute %s is %s, expected a string; the node is not treated as a hint",
				 NODE_ARG(n), key,
				 rc == HS_OK ? "of another type" : "malformed");
	return -1;
}

/* --------------------------------------------------- grouping by uuid */

typedef struct uuid_entry {
	UT_hash_handle hh;
	hs_str uuid;
	size_t call;
} uuid_entry;

/* One (node, direction) membership of a call. */
typedef struct hint_rec {
	hs_node *node;
	size_t call;
	int dir;        /* 0 input, 1 output */
	int64_t index;
	int64_t sort;   /* -1: none */
	hs_str agg;
	int has_agg;
	int dtype;      /* the node's T, 0 if absent */
} hint_rec;

static int cmp_rec(const void *pa, const void *pb)
{
	const hint_rec *a = pa, *b = pb;
	if (a->call != b->call)
		return a->call < b->call ? -1 : 1;
	if (a->dir != b->dir)
		return a->dir - b->dir;
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	if (a->sort != b->sort)
		return a->sort < b->sort ? -1 : 1;
	return a->node->seq < b->node->seq ? -1 : a->node->seq > b->node->seq;
}

typedef struct find_state {
	hs_hints *h;
	hs_node **hint_nodes;   /* hint identities in graph order */
	size_t *hint_call;      /* their call */
	size_t n_hint, cap_hint, cap_call_of;
	uuid_entry *by_uuid;
	uuid_entry *entries;
	hint_rec *recs;
	size_t n_recs, cap_recs;
} find_state;

static int may_be_hint(const hs_node *n)
{
	return (n->flags & HS_NODE_F_TFLITE_ATTR) || n->attr_edits;
}

/* Pass 1: which nodes are hints, and the calls in order of appearance. */
static int collect_hint_nodes(find_state *st)
{
	hs_hints *h = st->h;
	size_t cap_calls = 0;
	for (hs_node *n = hs_graph_next_node(h->g, NULL); n;
	     n = hs_graph_next_node(h->g, n)) {
		hs_attr a;
		attr_table t;
		if (!may_be_hint(n))
			continue;
		scan_attrs(&t, n);
		if (read_attr(&a, h, NULL, n, &t, K_UUID, HS_ATTR_S) <= 0 ||
		    a.v.s.len == 0)
			continue;
		if (grow((void **)&st->hint_nodes, &st->cap_hint, st->n_hint + 1,
			 sizeof(hs_node *)) ||
		    grow((void **)&st->hint_call, &st->cap_call_of, st->n_hint + 1,
			 sizeof(size_t)))
			return HS_ENOMEM;
		/* A call's identities usually sit together: try the last one. */
		uuid_entry *e = NULL;
		if (h->n_calls && st->n_hint) {
			uuid_entry *last = &st->entries[st->hint_call[st->n_hint - 1]];
			if (last->uuid.len == a.v.s.len &&
			    !memcmp(last->uuid.ptr, a.v.s.ptr, a.v.s.len))
				e = last;
		}
		if (!e)
			HASH_FIND(hh, st->by_uuid, a.v.s.ptr, a.v.s.len, e);
		if (!e) {
			if (h->n_calls == cap_calls) {
				/* Entries move on growth: the hash is rebuilt
				 * (cleared while its head is still valid). */
				HASH_CLEAR(hh, st->by_uuid);
				if (grow((void **)&st->entries, &cap_calls,
					 h->n_calls + 1, sizeof *st->entries))
					return HS_ENOMEM;
				for (size_t i = 0; i < h->n_calls; i++)
					HASH_ADD_KEYPTR(hh, st->by_uuid,
							st->entries[i].uuid.ptr,
							st->entries[i].uuid.len,
							&st->entries[i]);
			}
			e = &st->entries[h->n_calls];
			memset(e, 0, sizeof *e);
			e->uuid = a.v.s;
			e->call = h->n_calls++;
			HASH_ADD_KEYPTR(hh, st->by_uuid, e->uuid.ptr, e->uuid.len, e);
		}
		st->hint_call[st->n_hint] = e->call;
		st->hint_nodes[st->n_hint++] = n;
	}
	h->calls = hs_hints_alloc(h, h->n_calls * sizeof *h->calls);
	h->plans = hs_hints_alloc(h, h->n_calls * sizeof *h->plans);
	if (!h->calls || !h->plans)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (size_t i = 0; i < h->n_calls; i++) {
		h->calls[i].uuid = st->entries[i].uuid;
		h->calls[i].ordinal = i;
		h->calls[i].function.ptr = "";
		h->calls[i].children_mapping.ptr = "";
	}
	return HS_OK;
}

static int add_rec(find_state *st, hs_node *n, size_t call, int dir,
		   int64_t index, int64_t sort, hs_attr *agg, int has_agg, int dtype)
{
	if (grow((void **)&st->recs, &st->cap_recs, st->n_recs + 1,
		 sizeof *st->recs))
		return HS_ENOMEM;
	hint_rec *r = &st->recs[st->n_recs++];
	r->node = n;
	r->call = call;
	r->dir = dir;
	r->index = index;
	r->sort = sort;
	r->has_agg = has_agg;
	r->agg = has_agg ? agg->v.s : (hs_str){ "", 0 };
	r->dtype = dtype;
	return HS_OK;
}

/* Pass 2: the call-level attributes and one record per argument role. */
static int read_hint(find_state *st, hs_node *n, size_t ci)
{
	hs_hints *h = st->h;
	hs_call *c = &h->calls[ci];
	hs_attr a, agg;
	attr_table t;
	scan_attrs(&t, n);
	int k = read_attr(&a, h, c, n, &t, K_NAME, HS_ATTR_S);
	if (k > 0 && a.v.s.len) {
		if (c->function.len == 0)
			c->function = a.v.s;
		else if (c->function.len != a.v.s.len ||
			 memcmp(c->function.ptr, a.v.s.ptr, a.v.s.len))
			hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_FUNCTION_MISMATCH,
					 "call %.*s: hint " NODE_FMT " names function '%.*s', other hints of the call name '%.*s'",
					 STR_ARG(c->uuid), NODE_ARG(n), STR_ARG(a.v.s),
					 STR_ARG(c->function));
	} else if (k == 0) {
		hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_BAD_ATTR,
				 "call %.*s: hint " NODE_FMT " has no %s",
				 STR_ARG(c->uuid), NODE_ARG(n), HS_ATTR_FUNCTION_NAME);
	}
	if (read_attr(&a, h, c, n, &t, K_LEVEL, HS_ATTR_I) > 0 && a.v.i > c->level)
		c->level = a.v.i;
	if (read_attr(&a, h, c, n, &t, K_MAPPING, HS_ATTR_S) > 0 &&
	    c->children_mapping.len == 0)
		c->children_mapping = a.v.s;

	int64_t sort = -1;
	int has_sort = read_attr(&a, h, c, n, &t, K_SORT, HS_ATTR_I);
	if (has_sort > 0)
		sort = a.v.i;
	int has_agg = read_attr(&agg, h, c, n, &t, K_AGG, HS_ATTR_S) > 0;
	if (sort < -1) {
		hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_BAD_INDEX,
				 "call %.*s (%.*s): hint " NODE_FMT " has sort index %lld",
				 STR_ARG(c->uuid), STR_ARG(c->function), NODE_ARG(n),
				 (long long)sort);
		sort = -1;
	}
	int roles = 0, dtype = 0;
	hs_attr ta;
	if (t.found[K_T] && hs_attr_decode(&ta, (const uint8_t *)t.raw[K_T].ptr,
					    t.raw[K_T].len) == HS_OK && ta.kind == HS_ATTR_TYPE)
		dtype = ta.v.type;
	for (int dir = 0; dir < 2; dir++) {
		int r = read_attr(&a, h, c, n, &t, dir ? K_OUTPUT : K_INPUT, HS_ATTR_I);
		if (r < 0)
			roles++; /* reported already */
		if (r <= 0)
			continue;
		roles++;
		if (a.v.i < 0 || a.v.i > HS_MAX_ARG_INDEX) {
			hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_BAD_INDEX,
					 "call %.*s (%.*s): hint " NODE_FMT ": %s index %lld is out of range 0..%d",
					 STR_ARG(c->uuid), STR_ARG(c->function), NODE_ARG(n),
					 dir ? "output" : "input", (long long)a.v.i,
					 HS_MAX_ARG_INDEX);
			continue;
		}
		if (add_rec(st, n, ci, dir, a.v.i, sort, &agg, has_agg, dtype))
			return HS_ENOMEM;
	}
	if (!roles)
		hs_hints_problem(h, c, HS_SEVERITY_WARNING, HS_P_NO_INDEX,
				 "call %.*s (%.*s): hint " NODE_FMT " has neither an input nor an output index; ignored",
				 STR_ARG(c->uuid), STR_ARG(c->function), NODE_ARG(n));
	return HS_OK;
}

/* ------------------------------------------------- operand validation */

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

static const char *dir_name(int dir) { return dir ? "output" : "input"; }

/* Validates the records of one argument recs[0..n) and fills *op. */
static int build_operand(hs_hints *h, hs_call *c, hs_operand *op,
			 const hint_rec *recs, size_t n)
{
	const char *dn = dir_name(recs[0].dir);
	long long index = (long long)recs[0].index;
	size_t ns = 0;
	while (ns < n && recs[ns].sort < 0)
		ns++;
	size_t na = n - ns;
	hs_node **nodes = hs_hints_alloc(h, n * sizeof *nodes);
	if (!nodes)
		return hs_fail(HS_ENOMEM, "out of memory");
	op->index = recs[0].index;
	op->nodes = nodes;
	if (ns > 1)
		hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_DUPLICATE_INDEX,
				 "call %.*s (%.*s): %s %lld is given twice without a sort index: " NODE_FMT " and " NODE_FMT,
				 STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
				 NODE_ARG(recs[0].node), NODE_ARG(recs[1].node));
	if (ns && na)
		hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_MIXED,
				 "call %.*s (%.*s): %s %lld mixes an untagged hint " NODE_FMT " with aggregated hints such as " NODE_FMT,
				 STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
				 NODE_ARG(recs[0].node), NODE_ARG(recs[ns].node));
	if (!na || ns) {
		op->aggregation = HS_AGG_SINGLE;
		op->count = 1;
		nodes[0] = recs[0].node;
		op->dtype = recs[0].dtype;
		return HS_OK;
	}
	const hint_rec *a = recs + ns;
	for (size_t k = 0; k < na; k++)
		nodes[k] = a[k].node;
	op->count = na;
	op->dtype = a[0].dtype;
	op->aggregation = HS_AGG_STACK;
	if (!a[0].has_agg || parse_aggregation(&op->aggregation, a[0].agg))
		hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_UNKNOWN_AGGREGATE,
				 "call %.*s (%.*s): %s %lld: hint " NODE_FMT " has %s aggregation '%.*s' (expected stack, first or last)",
				 STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
				 NODE_ARG(a[0].node), a[0].has_agg ? "unknown" : "a sort index but no",
				 STR_ARG(a[0].agg));
	for (size_t k = 1; k < na; k++) {
		if (a[k].has_agg == a[0].has_agg && a[k].agg.len == a[0].agg.len &&
		    !memcmp(a[k].agg.ptr, a[0].agg.ptr, a[0].agg.len))
			continue;
		hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_AGGREGATE_MISMATCH,
				 "call %.*s (%.*s): %s %lld: hint " NODE_FMT " aggregates '%.*s' but " NODE_FMT " '%.*s'",
				 STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
				 NODE_ARG(a[k].node), STR_ARG(a[k].agg),
				 NODE_ARG(a[0].node), STR_ARG(a[0].agg));
		break;
	}
	int64_t expect = 0;
	for (size_t k = 0; k < na; k++) {
		if (k && a[k].sort == a[k - 1].sort) {
			hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_SORT_DUPLICATE,
					 "call %.*s (%.*s): %s %lld: sort index %lld is used by " NODE_FMT " and " NODE_FMT,
					 STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
					 (long long)a[k].sort, NODE_ARG(a[k - 1].node),
					 NODE_ARG(a[k].node));
			continue;
		}
		if (a[k].sort != expect) {
			hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_SORT_GAP,
					 "call %.*s (%.*s): %s %lld: sort index %lld is missing (next is %lld at " NODE_FMT ")",
					 STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
					 (long long)expect, (long long)a[k].sort,
					 NODE_ARG(a[k].node));
			expect = a[k].sort;
		}
		expect++;
	}
	return HS_OK;
}

static int flatten_kept(hs_hints *h, hs_node ***out, size_t *n_out,
			const hs_operand *ops, size_t n_ops)
{
	size_t total = 0;
	for (size_t i = 0; i < n_ops; i++)
		total += ops[i].aggregation == HS_AGG_STACK ? ops[i].count : 1;
	hs_node **v = hs_hints_alloc(h, total * sizeof *v);
	if (!v)
		return hs_fail(HS_ENOMEM, "out of memory");
	size_t k = 0;
	for (size_t i = 0; i < n_ops; i++) {
		const hs_operand *o = &ops[i];
		if (o->aggregation == HS_AGG_STACK)
			for (size_t e = 0; e < o->count; e++)
				v[k++] = o->nodes[e];
		else if (o->aggregation == HS_AGG_LAST)
			v[k++] = o->nodes[o->count - 1];
		else
			v[k++] = o->nodes[0];
	}
	*out = v;
	*n_out = k;
	return HS_OK;
}

static int has_error(const hs_call *c)
{
	for (size_t i = 0; i < c->n_problems; i++)
		if (c->problems[i].severity == HS_SEVERITY_ERROR)
			return 1;
	return 0;
}

static int is_stub_of(const hs_node *s, const hs_call *c)
{
	return s && !(s->flags & HS_NODE_F_REMOVED) &&
	       s->name.len == c->uuid.len && !memcmp(s->name.ptr, c->uuid.ptr, c->uuid.len) &&
	       s->op.len == c->function.len &&
	       !memcmp(s->op.ptr, c->function.ptr, c->function.len);
}

/* Hints survive a conversion (and the clean-up removes some of them): a
 * call whose identities are wired to its stub is done, not broken. */
static int already_converted(const hs_call *c, const hint_rec *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const hs_node *x = recs[i].node;
		if (recs[i].dir) {
			const hs_node *s = x->n_inputs == 1 ? x->inputs[0].src : NULL;
			if (s && hs_str_eq(s->op, "Unpack") && s->n_inputs == 1)
				s = s->inputs[0].src;
			if (is_stub_of(s, c))
				return 1;
			continue;
		}
		for (uint32_t k = 0; k < x->n_consumers; k++) {
			const hs_node *r = x->consumers[k];
			if (is_stub_of(r, c))
				return 1;
			if (!hs_str_eq(r->op, "Pack"))
				continue;
			for (uint32_t j = 0; j < r->n_consumers; j++)
				if (is_stub_of(r->consumers[j], c))
					return 1;
		}
	}
	return 0;
}

/* Builds the operands of call c from its sorted records. */
static int build_call(hs_hints *h, hs_call *c, const hint_rec *recs, size_t n)
{
	hs_call_plan *plan = &h->plans[c->ordinal];
	if (already_converted(c, recs, n)) {
		/* Its leftover hints are incomplete by design: no validation. */
		plan->already_converted = 1;
		plan->structural_errors = 1;
		c->n_problems = 0;
		return hs_hints_problem(h, c, HS_SEVERITY_NOTE, HS_P_ALREADY_CONVERTED,
					"call %.*s (%.*s) is already converted: its identities are wired to the stub",
					STR_ARG(c->uuid), STR_ARG(c->function));
	}
	size_t groups[2] = { 0, 0 };
	for (size_t i = 0; i < n; i++)
		if (i == 0 || recs[i].dir != recs[i - 1].dir ||
		    recs[i].index != recs[i - 1].index)
			groups[recs[i].dir]++;
	hs_operand *ops = hs_hints_alloc(h, (groups[0] + groups[1]) * sizeof *ops);
	if (!ops)
		return hs_fail(HS_ENOMEM, "out of memory");
	c->inputs = ops;
	c->outputs = ops + groups[0];
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && recs[j].dir == recs[i].dir && recs[j].index == recs[i].index)
			j++;
		hs_operand *op = recs[i].dir ? (hs_operand *)&c->outputs[c->n_outputs++]
					     : (hs_operand *)&c->inputs[c->n_inputs++];
		int rc = build_operand(h, c, op, recs + i, j - i);
		if (rc)
			return rc;
		i = j;
	}
	/* The stub is named after the uuid and read as "<uuid>:<k>": a uuid
	 * with ':' or a leading '^' would make those inputs name another
	 * node (or none). */
	if (memchr(c->uuid.ptr, ':', c->uuid.len) || c->uuid.ptr[0] == '^')
		hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_BAD_UUID,
				 "call %.*s (%.*s): the uuid cannot name the stub node (it contains ':' or starts with '^')",
				 STR_ARG(c->uuid), STR_ARG(c->function));
	if (!c->n_inputs)
		hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_NO_INPUTS,
				 "call %.*s (%.*s) has no input hints",
				 STR_ARG(c->uuid), STR_ARG(c->function));
	if (!c->n_outputs)
		hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_NO_OUTPUTS,
				 "call %.*s (%.*s) has no output hints",
				 STR_ARG(c->uuid), STR_ARG(c->function));
	plan->structural_errors = has_error(c);
	if (c->level >= 2)
		hs_hints_problem(h, c, HS_SEVERITY_NOTE, HS_P_LEVEL2,
				 "call %.*s (%.*s) has level %lld: level-2 hints are not supported yet; left as it is",
				 STR_ARG(c->uuid), STR_ARG(c->function), (long long)c->level);
	int rc = flatten_kept(h, &plan->kept_inputs, &plan->n_kept_inputs,
			      c->inputs, c->n_inputs);
	if (!rc)
		rc = flatten_kept(h, &plan->kept_outputs, &plan->n_kept_outputs,
				  c->outputs, c->n_outputs);
	return rc;
}

static void state_free(find_state *st)
{
	HASH_CLEAR(hh, st->by_uuid);
	free(st->entries);
	free(st->hint_nodes);
	free(st->hint_call);
	free(st->recs);
}

static int find_calls(find_state *st)
{
	hs_hints *h = st->h;
	int rc = collect_hint_nodes(st);
	if (rc)
		return rc;
	/* Every identity of a call, in graph order. */
	size_t *counts = calloc(h->n_calls ? h->n_calls : 1, sizeof *counts);
	if (!counts)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (size_t i = 0; i < st->n_hint; i++)
		counts[st->hint_call[i]]++;
	for (size_t ci = 0; ci < h->n_calls && !rc; ci++) {
		hs_call_plan *p = &h->plans[ci];
		p->identities = hs_hints_alloc(h, counts[ci] * sizeof(hs_node *));
		if (!p->identities)
			rc = hs_fail(HS_ENOMEM, "out of memory");
	}
	free(counts);
	for (size_t i = 0; i < st->n_hint && !rc; i++) {
		hs_call_plan *p = &h->plans[st->hint_call[i]];
		p->identities[p->n_identities++] = st->hint_nodes[i];
		rc = read_hint(st, st->hint_nodes[i], st->hint_call[i]);
	}
	if (rc)
		return rc;
	if (st->n_recs)
		qsort(st->recs, st->n_recs, sizeof *st->recs, cmp_rec);
	for (size_t i = 0; i < st->n_recs;) {
		size_t j = i + 1;
		while (j < st->n_recs && st->recs[j].call == st->recs[i].call)
			j++;
		if ((rc = build_call(h, &h->calls[st->recs[i].call], st->recs + i, j - i)))
			return rc;
		i = j;
	}
	/* Calls without any usable record still need their checks. */
	for (size_t ci = 0; ci < h->n_calls; ci++) {
		hs_call *c = &h->calls[ci];
		if (!c->inputs && !c->outputs && !h->plans[ci].already_converted &&
		    (rc = build_call(h, c, NULL, 0)))
			return rc;
	}
	return HS_OK;
}

int hs_hints_find(hs_hints **out, const hs_graph *g, const hs_find_options *opts)
{
	if (!out || !g)
		return hs_fail(HS_EINVAL, "hs_hints_find: out and graph are required");
	*out = NULL;
	hs_find_options defaults = HS_FIND_OPTIONS_INIT;
	if (opts && opts->version != HS_FIND_OPTIONS_VERSION)
		return hs_fail(HS_EINVAL, "hs_find_options: unknown version %u", opts->version);
	if (opts && opts->colocation_edges)
		return hs_fail(HS_EINVAL, "hs_find_options: colocation_edges is not supported yet");
	hs_hints *h = calloc(1, sizeof *h);
	if (!h)
		return hs_fail(HS_ENOMEM, "out of memory");
	h->g = g;
	h->opts = opts ? *opts : defaults;
	find_state st = { .h = h };
	int rc = find_calls(&st);
	state_free(&st);
	if (!rc)
		rc = hs_regions_compute(h);
	if (rc) {
		hs_hints_free(h);
		return rc;
	}
	*out = h;
	return HS_OK;
}

size_t hs_hints_call_count(const hs_hints *h) { return h ? h->n_calls : 0; }

const hs_call *hs_hints_call(const hs_hints *h, size_t i)
{
	return h && i < h->n_calls ? &h->calls[i] : NULL;
}

const hs_call *hs_hints_find_call(const hs_hints *h, hs_str uuid)
{
	for (size_t i = 0; h && i < h->n_calls; i++)
		if (h->calls[i].uuid.len == uuid.len &&
		    !memcmp(h->calls[i].uuid.ptr, uuid.ptr, uuid.len))
			return &h->calls[i];
	return NULL;
}

int hs_call_has_errors(const hs_call *c) { return c && has_error(c); }

size_t hs_hints_error_count(const hs_hints *h)
{
	size_t n = 0;
	for (size_t i = 0; h && i < h->n_calls; i++)
		n += has_error(&h->calls[i]);
	return n;
}

static const hs_operand *find_operand(const hs_operand *ops, size_t n, int64_t index)
{
	for (size_t i = 0; i < n; i++)
		if (ops[i].index == index)
			return &ops[i];
	return NULL;
}

const hs_operand *hs_call_input(const hs_call *c, int64_t index)
{
	return c ? find_operand(c->inputs, c->n_inputs, index) : NULL;
}

const hs_operand *hs_call_output(const hs_call *c, int64_t index)
{
	return c ? find_operand(c->outputs, c->n_outputs, index) : NULL;
}

void hs_hints_free(hs_hints *h)
{
	if (!h)
		return;
	for (size_t i = 0; h->plans && i < h->n_calls; i++) {
		free(h->plans[i].problems);
		free(h->plans[i].interior);
		free(h->plans[i].overlaps);
	}
	for (size_t i = 0; i < h->n_blocks; i++)
		free(h->blocks[i]);
	free(h->blocks);
	free(h->global);
	free(h);
}
