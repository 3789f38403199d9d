/* Finding OpHint calls: hint identities are recognised by their
 * attributes only (never by name), grouped by uuid in order of first
 * appearance, and every argument is validated with a precise message. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* --------------------------------------------------- grouping by uuid */

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
	hs_callset *set;
	size_t first_call;      /* calls before this one were there already */
	hs_node **hint_nodes;   /* hint identities in graph order */
	size_t *hint_call;      /* their call's ordinal */
	size_t n_hint, cap_hint, cap_call_of;
	hint_rec *recs;
	size_t n_recs, cap_recs;
	int rc;                 /* first failure recording a problem */
} find_state;

static int call_of_uuid(find_state *st, hs_str uuid, size_t *out)
{
	hs_callset *set = st->set;
	/* A call's identities usually sit together: try the last one. */
	if (st->n_hint) {
		hs_call *last = set->calls[st->hint_call[st->n_hint - 1]];
		if (last->uuid.len == uuid.len && !memcmp(last->uuid.ptr, uuid.ptr, uuid.len)) {
			*out = last->ordinal;
			return HS_OK;
		}
	}
	hs_call *c = hs_callset_lookup(set, uuid);
	if (c && c->ordinal < st->first_call)
		return hs_fail(HS_EEXISTS, "call %.*s is in the call set already",
			       STR_ARG(uuid));
	if (!c) {
		int rc = hs_callset_add_call(&c, set, HS_DETECTOR_OPHINT,
					     (hs_str){ "", 0 }, uuid, 0);
		if (rc)
			return rc;
	}
	*out = c->ordinal;
	return HS_OK;
}

/* Pass 1: which nodes are hints, and the calls in order of appearance. */
static int collect_hint_nodes(find_state *st)
{
	const hs_graph *g = st->set->g;
	hs_node_cursor cur = { 0, NULL };
	for (hs_node *n; (n = hs_graph_next_marked(g, &cur)) != NULL;) {
		hs_attr a;
		attr_table t;
		scan_attrs(&t, n);
		if (read_attr(&a, &st->rc, st->set, NULL, n, &t, K_UUID, HS_ATTR_S) <= 0 ||
		    a.v.s.len == 0)
			continue;
		size_t call = 0;
		int rc = call_of_uuid(st, a.v.s, &call);
		if (!rc)
			rc = grow((void **)&st->hint_nodes, &st->cap_hint, st->n_hint + 1,
				  sizeof(hs_node *));
		if (!rc)
			rc = grow((void **)&st->hint_call, &st->cap_call_of, st->n_hint + 1,
				  sizeof(size_t));
		if (rc)
			return rc;
		st->hint_call[st->n_hint] = call;
		st->hint_nodes[st->n_hint++] = n;
	}
	return st->rc;
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

/* The call-level attributes a hint carries: function, level, mapping.
 * Both strings are copied into the set: an attribute's bytes live only
 * as long as the attribute (strip_hints removes them). */
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
		} else if (c->function.len != a.v.s.len ||
			 memcmp(c->function.ptr, a.v.s.ptr, a.v.s.len))
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
	    c->children_mapping.len == 0 && hs_call_set_children_mapping(c, a.v.s))
		*rc = HS_ENOMEM;
}

/* Pass 2: the call-level attributes and one record per argument role. */
static int read_hint(find_state *st, hs_node *n, size_t ci)
{
	hs_call *c = st->set->calls[ci];
	int *rc = &st->rc;
	hs_attr a, agg;
	attr_table t;
	scan_attrs(&t, n);
	read_call_attrs(st, c, n, &t);
	int64_t sort = -1;
	if (read_attr(&a, rc, st->set, c, n, &t, K_SORT, HS_ATTR_I) > 0)
		sort = a.v.i;
	int has_agg = read_attr(&agg, rc, st->set, c, n, &t, K_AGG, HS_ATTR_S) > 0;
	if (sort < -1) {
		*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BAD_INDEX,
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
		int r = read_attr(&a, rc, st->set, c, n, &t, dir ? K_OUTPUT : K_INPUT, HS_ATTR_I);
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
		if (add_rec(st, n, ci, dir, a.v.i, sort, &agg, has_agg, dtype))
			return HS_ENOMEM;
	}
	if (!roles)
		*rc = hs_call_problemf(c, HS_SEVERITY_WARNING, HS_P_NO_INDEX,
				       "call %.*s (%.*s): hint " NODE_FMT " has neither an input nor an output index; ignored",
				       STR_ARG(c->uuid), STR_ARG(c->function), NODE_ARG(n));
	return *rc;
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

/* The boundary tensor of a hint element: an input identity is read by the
 * region; an output identity reads what the region computes. */
static hs_tensor boundary_of(hs_node *identity, int dir)
{
	if (!dir)
		return (hs_tensor){ identity, 0 };
	if (identity->n_inputs == 0 || identity->inputs[0].port < 0)
		return (hs_tensor){ NULL, 0 };
	return (hs_tensor){ hs_node_input_src(identity, 0), identity->inputs[0].port };
}

static int add_elements(hs_operand *op, const hint_rec *recs, size_t n)
{
	int rc = hs_operand_reserve(op, n);
	for (size_t k = 0; k < n && !rc; k++)
		rc = hs_operand_add_element(op, boundary_of(recs[k].node, recs[k].dir),
					    recs[k].node);
	return rc;
}

/* Aggregated elements: one aggregation, sort indices 0, 1, 2... */
static void check_aggregated(hs_call *c, const hint_rec *a, size_t na, int *rc)
{
	const char *dn = dir_name(a[0].dir);
	long long index = (long long)a[0].index;
	for (size_t k = 1; k < na; k++) {
		if (a[k].has_agg == a[0].has_agg && a[k].agg.len == a[0].agg.len &&
		    !memcmp(a[k].agg.ptr, a[0].agg.ptr, a[0].agg.len))
			continue;
		*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_AGGREGATE_MISMATCH,
				       "call %.*s (%.*s): %s %lld: hint " NODE_FMT " aggregates '%.*s' but " NODE_FMT " '%.*s'",
				       STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
				       NODE_ARG(a[k].node), STR_ARG(a[k].agg),
				       NODE_ARG(a[0].node), STR_ARG(a[0].agg));
		break;
	}
	int64_t expect = 0;
	for (size_t k = 0; k < na; k++) {
		if (k && a[k].sort == a[k - 1].sort) {
			*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_SORT_DUPLICATE,
					       "call %.*s (%.*s): %s %lld: sort index %lld is used by " NODE_FMT " and " NODE_FMT,
					       STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
					       (long long)a[k].sort, NODE_ARG(a[k - 1].node),
					       NODE_ARG(a[k].node));
			continue;
		}
		if (a[k].sort != expect) {
			*rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_SORT_GAP,
					       "call %.*s (%.*s): %s %lld: sort index %lld is missing (next is %lld at " NODE_FMT ")",
					       STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
					       (long long)expect, (long long)a[k].sort,
					       NODE_ARG(a[k].node));
		}
		/* Saturated: a sort index of INT64_MAX has no successor, and
		 * signed overflow is undefined. */
		expect = a[k].sort < INT64_MAX ? a[k].sort + 1 : INT64_MAX;
	}
}

/* Validates the records of one argument recs[0..n) and adds its operand. */
static int build_operand(hs_call *c, const hint_rec *recs, size_t n)
{
	const char *dn = dir_name(recs[0].dir);
	long long index = (long long)recs[0].index;
	int rc = HS_OK;
	size_t ns = 0;
	while (ns < n && recs[ns].sort < 0)
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
					      HS_AGG_SINGLE, recs[0].dtype);
		return arc ? arc : rc ? rc : add_elements(op, recs, 1);
	}
	const hint_rec *a = recs + ns;
	hs_aggregation agg = HS_AGG_STACK;
	if (!a[0].has_agg || parse_aggregation(&agg, a[0].agg))
		rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_UNKNOWN_AGGREGATE,
				      "call %.*s (%.*s): %s %lld: hint " NODE_FMT " has %s aggregation '%.*s' (expected stack, first or last)",
				      STR_ARG(c->uuid), STR_ARG(c->function), dn, index,
				      NODE_ARG(a[0].node), a[0].has_agg ? "unknown" : "a sort index but no",
				      STR_ARG(a[0].agg));
	check_aggregated(c, a, na, &rc);
	int arc = hs_call_add_operand(&op, c, a[0].dir, a[0].index, agg, a[0].dtype);
	return arc ? arc : rc ? rc : add_elements(op, a, na);
}

/* hintstub's stubs carry the call's uuid (HS_ATTR_STUB_CALL) whatever op
 * a plugin gave them; stubs of TensorFlow (or of an older hintstub) are
 * named after the uuid with the function as op, and carry
 * _tflite_input_indices. */
static int is_stub_of(const hs_node *s, const hs_call *c)
{
	if (!s || (s->flags & HS_NODE_F_REMOVED))
		return 0;
	hs_str raw;
	hs_attr mark;
	if (hs_node_find_raw_attr(&raw, s, HS_ATTR_STUB_CALL, strlen(HS_ATTR_STUB_CALL)) == HS_OK)
		return hs_attr_decode(&mark, (const uint8_t *)raw.ptr, raw.len) == HS_OK &&
		       mark.kind == HS_ATTR_S && mark.v.s.len == c->uuid.len &&
		       !memcmp(mark.v.s.ptr, c->uuid.ptr, c->uuid.len);
	/* TensorFlow's stub also carries _tflite_input_indices: without it a
	 * node that merely has the uuid's name and the function's op (the
	 * graph's own node, which made the stub "uuid_1") is no stub. */
	return s->name.len == c->uuid.len && !memcmp(s->name.ptr, c->uuid.ptr, c->uuid.len) &&
	       s->op.len == c->function.len &&
	       !memcmp(s->op.ptr, c->function.ptr, c->function.len) &&
	       hs_node_find_raw_attr(&raw, s, HS_ATTR_STUB_INPUT_INDICES,
				     strlen(HS_ATTR_STUB_INPUT_INDICES)) == HS_OK;
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
		if (!hs_str_eq(r->op, "Pack"))
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
static int already_converted(const hs_call *c, const hint_rec *recs, size_t n)
{
	size_t n_reads = 0;
	for (size_t i = 0; i < n; i++) {
		const hs_node *x = recs[i].node;
		if (recs[i].dir) {
			const hs_node *s = x->n_inputs == 1 ? hs_node_input_src(x, 0) : NULL;
			if (s && hs_str_eq(s->op, "Unpack") && s->n_inputs == 1)
				s = hs_node_input_src(s, 0);
			if (is_stub_of(s, c))
				return 1;
			continue;
		}
		n_reads += x->n_consumers;
	}
	const hs_node **readers = malloc((n_reads ? n_reads : 1) * sizeof *readers);
	if (!readers)
		return hs_fail(HS_ENOMEM, "out of memory");
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (uint32_t j = 0; !recs[i].dir && j < recs[i].node->n_consumers; j++)
			readers[k++] = hs_node_consumer_at(recs[i].node, j);
	int found = readers_feed_stub(readers, k, c);
	free(readers);
	return found;
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

/* Builds the operands of call c from its sorted records. */
static int build_call(hs_call *c, const hint_rec *recs, size_t n)
{
	int done = already_converted(c, recs, n);
	if (done < 0)
		return done;
	if (done) {
		/* Its leftover hints are incomplete by design: no validation. */
		c->converted = 1;
		c->n_problems = 0;
		return hs_call_problemf(c, HS_SEVERITY_NOTE, HS_P_ALREADY_CONVERTED,
					"call %.*s (%.*s) is already converted: its identities are wired to the stub",
					STR_ARG(c->uuid), STR_ARG(c->function));
	}
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && recs[j].dir == recs[i].dir && recs[j].index == recs[i].index)
			j++;
		int rc = build_operand(c, recs + i, j - i);
		if (rc)
			return rc;
		i = j;
	}
	return check_call(c);
}

static void state_free(find_state *st)
{
	free(st->hint_nodes);
	free(st->hint_call);
	free(st->recs);
}

/* Every identity of a call, in graph order, then its records. */
static int read_hints(find_state *st)
{
	hs_callset *set = st->set;
	int rc = HS_OK;
	for (size_t i = 0; i < st->n_hint && !rc; i++)
		rc = hs_call_add_identity(set->calls[st->hint_call[i]], st->hint_nodes[i]);
	for (size_t i = 0; i < st->n_hint && !rc; i++)
		rc = read_hint(st, st->hint_nodes[i], st->hint_call[i]);
	return rc;
}

/* Level-2 calls: the calls of each loop body (found by this same
 * detector, on the body's scope) are their children. */
static int find_body_calls(hs_callset *set, size_t first_call)
{
	int rc = hs_ophint_loops_load(set, first_call);
	for (size_t i = first_call; i < set->n_calls && !rc; i++)
		if (set->calls[i]->body && set->calls[i]->body->calls)
			rc = hs_ophint_discover(set->calls[i]->body->calls, NULL);
	return rc ? rc : hs_ophint_loops_finish(set, first_call);
}

static int find_calls(find_state *st)
{
	hs_callset *set = st->set;
	int rc = collect_hint_nodes(st);
	if (!rc)
		rc = read_hints(st);
	if (rc)
		return rc;
	if (st->n_recs)
		qsort(st->recs, st->n_recs, sizeof *st->recs, cmp_rec);
	for (size_t i = 0; i < st->n_recs;) {
		size_t j = i + 1;
		while (j < st->n_recs && st->recs[j].call == st->recs[i].call)
			j++;
		if ((rc = build_call(set->calls[st->recs[i].call], st->recs + i, j - i)))
			return rc;
		i = j;
	}
	/* Calls without any usable record still need their checks. */
	for (size_t ci = st->first_call; ci < set->n_calls; ci++) {
		hs_call *c = set->calls[ci];
		if (!c->n_inputs && !c->n_outputs && !c->converted &&
		    (rc = build_call(c, NULL, 0)))
			return rc;
	}
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
