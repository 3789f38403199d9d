/* The call set: storage, filling and reading.  Everything lives in the
 * set's arena and is freed with it. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls_internal.h"
#include "error.h"
#include "grow.h"
#include "hash.h"

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

const char *hs_severity_name(hs_severity s)
{
	switch (s) {
	case HS_SEVERITY_NOTE: return "note";
	case HS_SEVERITY_WARNING: return "warning";
	case HS_SEVERITY_ERROR: return "error";
	}
	return "unknown";
}

/* ------------------------------------------------------------ the set */

int hs_callset_new(hs_callset **out, const hs_graph *g)
{
	if (!out || !g)
		return hs_fail(HS_EINVAL, "hs_callset_new: out and graph are required");
	hs_callset *s = calloc(1, sizeof *s);
	if (s)
		s->g = g;
	*out = s;
	return s ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
}

static void free_body(hs_call *c)
{
	if (!c->rare || !c->rare->body)
		return;
	hs_callset_free(c->rare->body->calls);
	hs_graph_free(c->rare->body->scope);
	c->rare->body = NULL;
}

void hs_callset_free(hs_callset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_calls; i++)
		free_body(s->calls[i]);
	free(s->calls);
	hs_key_table_free(&s->by_uuid);
	hs_arena_free(&s->arena);
	free(s);
}

const hs_graph *hs_callset_graph(const hs_callset *s) { return s ? s->g : NULL; }
size_t hs_callset_count(const hs_callset *s) { return s ? s->n_calls : 0; }

const hs_call *hs_callset_call(const hs_callset *s, size_t i)
{
	return s && i < s->n_calls ? s->calls[i] : NULL;
}

/* ------------------------------------------------------ the uuid table */

/* The uuid a probe looks for. */
typedef struct wanted {
	const hs_callset *s;
	hs_str uuid;
} wanted;

static int same_uuid(const void *ctx, uint32_t ordinal)
{
	const wanted *w = ctx;
	return hs_str_same(w->s->calls[ordinal]->uuid, w->uuid);
}

hs_call *hs_callset_lookup_hashed(hs_callset *s, hs_str uuid, uint64_t hash)
{
	if (!s || !uuid.len || !s->by_uuid.slots)
		return NULL;
	wanted w = { s, uuid };
	int found;
	size_t i = hs_key_table_probe(&s->by_uuid, (uint32_t)hash, same_uuid, &w, &found);
	return found ? s->calls[hs_key_table_id(&s->by_uuid, i)] : NULL;
}

hs_call *hs_callset_lookup(hs_callset *s, hs_str uuid)
{
	return s && uuid.len ? hs_callset_lookup_hashed(s, uuid, hs_hash(uuid.ptr, uuid.len))
			     : NULL;
}

void hs_callset_truncate(hs_callset *s, size_t n_calls, size_t n_problems)
{
	if (s->n_calls > n_calls) {
		while (s->n_calls > n_calls)
			free_body(s->calls[--s->n_calls]);
		/* Rehashing is rare: the kept calls' hashes are recomputed
		 * rather than kept per call. */
		hs_key_table_clear(&s->by_uuid);
		for (size_t i = 0; i < n_calls; i++)
			hs_key_table_put_new(&s->by_uuid, (uint32_t)i,
					     (uint32_t)hs_hash(s->calls[i]->uuid.ptr,
							       s->calls[i]->uuid.len));
	}
	if (s->n_global > n_problems)
		s->n_global = n_problems;
	s->failed = 0;
}

const hs_call *hs_callset_find(const hs_callset *s, hs_str uuid)
{
	return hs_callset_lookup((hs_callset *)s, uuid);
}

size_t hs_callset_error_count(const hs_callset *s)
{
	size_t n = 0;
	for (size_t i = 0; s && i < s->n_calls; i++)
		n += hs_call_has_errors(s->calls[i]);
	return n;
}

size_t hs_callset_problem_count(const hs_callset *s) { return s ? s->n_global : 0; }

const hs_problem *hs_callset_problem(const hs_callset *s, size_t i)
{
	return s && i < s->n_global ? &s->global[i] : NULL;
}

/* A string kept by the set: a view when it lies in the graph's own bytes
 * (they live as long as the graph, which outlives the set), else a copy
 * (edited attributes, a caller's text). */
static hs_str keep_str(hs_callset *s, hs_str v, int *failed)
{
	if (!v.ptr || !v.len)
		return (hs_str){ "", 0 };
	if (hs_graph_holds_bytes(s->g, v.ptr, v.len))
		return v;
	char *d = hs_arena_strndup(&s->arena, v.ptr, v.len);
	if (!d)
		*failed = 1;
	return (hs_str){ d ? d : "", d ? v.len : 0 };
}

/* The set's copy of a detector's name: the previous call's when it is the
 * same detector (one copy per run of calls, not one per call). */
static const char *keep_detector(hs_callset *s, const char *detector)
{
	const hs_call *prev = s->n_calls ? s->calls[s->n_calls - 1] : NULL;
	if (prev && strcmp(prev->detector, detector) == 0)
		return prev->detector;
	return hs_arena_strndup(&s->arena, detector, strlen(detector));
}

/* A zeroed call from the current block (the arena rounds every
 * allocation to 8 bytes; a block of calls is rounded once). */
enum { CALLS_PER_BLOCK = 32 };

static hs_call *new_call(hs_callset *s)
{
	if (!s->n_spare) {
		if (!(s->spare_calls = hs_arena_alloc(&s->arena, CALLS_PER_BLOCK * sizeof(hs_call))))
			return NULL;
		s->n_spare = CALLS_PER_BLOCK;
	}
	s->n_spare--;
	return s->spare_calls++;
}

int hs_callset_add_call(hs_call **out, hs_callset *s, const char *detector,
			hs_str function, hs_str uuid, int64_t level)
{
	uint64_t hash = uuid.len ? hs_hash(uuid.ptr, uuid.len) : 0;
	return hs_callset_add_call_hashed(out, s, detector, function, uuid, level, hash);
}

int hs_callset_add_call_hashed(hs_call **out, hs_callset *s, const char *detector,
			       hs_str function, hs_str uuid, int64_t level, uint64_t hash)
{
	if (out)
		*out = NULL;
	if (!s || !detector || !uuid.len)
		return hs_fail(HS_EINVAL, "hs_callset_add_call: set, detector and a uuid are required");
	if (hs_callset_lookup_hashed(s, uuid, hash))
		return hs_fail(HS_EEXISTS, "a call with uuid '%.*s' exists already",
			       HS_NAME_ARG(uuid));
	int rc = hs_key_table_reserve(&s->by_uuid, s->n_calls);
	if (!rc)
		rc = hs_grow((void **)&s->calls, &s->cap_calls, s->n_calls + 1,
			     sizeof *s->calls, 64);
	if (rc)
		return rc;
	hs_call *c = new_call(s);
	if (!c)
		return HS_ENOMEM;
	int failed = 0;
	c->set = s;
	c->ordinal = (uint32_t)s->n_calls;
	c->detector = keep_detector(s, detector);
	failed |= c->detector == NULL;
	c->function = keep_str(s, function, &failed);
	c->uuid = keep_str(s, uuid, &failed);
	c->level = level;
	if (failed)
		return HS_ENOMEM;
	hs_key_table_put_new(&s->by_uuid, c->ordinal, (uint32_t)hash);
	s->calls[s->n_calls++] = c;
	if (out)
		*out = c;
	return HS_OK;
}

/* ------------------------------------------------------------ a call */

const hs_call_rare hs_call_no_rare = { .children_mapping = { "", 0 } };

int hs_call_rare_get(hs_call_rare **out, hs_call *c)
{
	if (!c->rare) {
		if (!(c->rare = hs_arena_alloc(&c->set->arena, sizeof *c->rare)))
			return HS_ENOMEM;
		*c->rare = hs_call_no_rare;
	}
	*out = c->rare;
	return HS_OK;
}

size_t hs_call_ordinal(const hs_call *c) { return c ? c->ordinal : 0; }
const char *hs_call_detector(const hs_call *c) { return c ? c->detector : ""; }
hs_str hs_call_function(const hs_call *c) { return c ? c->function : (hs_str){ "", 0 }; }
hs_str hs_call_uuid(const hs_call *c) { return c ? c->uuid : (hs_str){ "", 0 }; }
int64_t hs_call_level(const hs_call *c) { return c ? c->level : 0; }
int hs_call_is_converted(const hs_call *c) { return c && c->converted; }
const hs_call *hs_call_parent(const hs_call *c) { return c ? hs_call_rare_of(c)->parent : NULL; }
size_t hs_call_child_count(const hs_call *c) { return c ? hs_call_rare_of(c)->n_children : 0; }

hs_str hs_call_children_mapping(const hs_call *c)
{
	return c ? hs_call_rare_of(c)->children_mapping : (hs_str){ "", 0 };
}

const hs_call *hs_call_child(const hs_call *c, size_t i)
{
	return c && i < hs_call_rare_of(c)->n_children ? c->rare->children[i] : NULL;
}

/* Makes child the next child of parent. */
static int add_child(hs_call *parent, hs_call *child)
{
	hs_call_rare *pr, *cr;
	if (hs_call_rare_get(&pr, parent) || hs_call_rare_get(&cr, child) ||
	    hs_arena_grow32(&parent->set->arena, (void **)&pr->children, &pr->cap_children,
			    pr->n_children + 1, sizeof *pr->children))
		return HS_ENOMEM;
	pr->children[pr->n_children++] = child;
	cr->parent = parent;
	return HS_OK;
}

int hs_call_set_parent(hs_call *child, hs_call *parent)
{
	if (!child || !parent || child == parent || child->set != parent->set)
		return hs_fail(HS_EINVAL, "hs_call_set_parent: two calls of one set are required");
	if (hs_call_parent(child))
		return hs_fail(HS_EINVAL, "call %.*s has a parent already",
			       HS_NAME_ARG(child->uuid));
	for (const hs_call *a = parent; a; a = hs_call_parent(a))
		if (a == child)
			return hs_fail(HS_EINVAL, "call %.*s is an ancestor of call %.*s",
				       HS_NAME_ARG(child->uuid), HS_NAME_ARG(parent->uuid));
	return add_child(parent, child);
}

int hs_call_new_body(hs_call_body **out, hs_call *c)
{
	hs_call_rare *r;
	if (hs_call_rare_get(&r, c) ||
	    (!r->body && !(r->body = hs_arena_alloc(&c->set->arena, sizeof *r->body))))
		return HS_ENOMEM;
	memset(r->body, 0, sizeof *r->body);
	*out = r->body;
	return HS_OK;
}

int hs_call_add_body_child(hs_call *c, hs_call *child)
{
	const hs_call_body *b = hs_call_rare_of(c)->body;
	if (!b || child->set != b->calls || hs_call_parent(child))
		return hs_fail(HS_EINVAL, "call %.*s is no call of the body of %.*s",
			       HS_NAME_ARG(child->uuid), HS_NAME_ARG(c->uuid));
	return add_child(c, child);
}

int hs_call_set_function(hs_call *c, hs_str function)
{
	int failed = 0;
	c->function = keep_str(c->set, function, &failed);
	return failed ? HS_ENOMEM : HS_OK;
}

int hs_call_set_children_mapping(hs_call *c, hs_str json)
{
	if (!c)
		return hs_fail(HS_EINVAL, "hs_call_set_children_mapping: no call");
	hs_call_rare *r;
	if (!json.len && !c->rare)
		return HS_OK; /* "" already */
	if (hs_call_rare_get(&r, c))
		return HS_ENOMEM;
	int failed = 0;
	r->children_mapping = keep_str(c->set, json, &failed);
	return failed ? HS_ENOMEM : HS_OK;
}

size_t hs_call_input_count(const hs_call *c) { return c ? c->n_inputs : 0; }
size_t hs_call_output_count(const hs_call *c) { return c ? c->n_outputs : 0; }

const hs_operand *hs_call_input_at(const hs_call *c, size_t i)
{
	return c && i < c->n_inputs ? &c->inputs[i] : NULL;
}

const hs_operand *hs_call_output_at(const hs_call *c, size_t i)
{
	return c && i < c->n_outputs ? &c->outputs[i] : NULL;
}

/* Operands ascend by index: a binary search. */
static const hs_operand *find_operand(const hs_operand *ops, size_t n, int64_t index)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ops[mid].index == index)
			return &ops[mid];
		if (ops[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
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

size_t hs_call_identity_count(const hs_call *c) { return c ? c->n_identities : 0; }

const hs_node *hs_call_identity(const hs_call *c, size_t i)
{
	return c && i < c->n_identities ? hs_call_identity_at(c, i) : NULL;
}

static int foreign(const hs_call *c, const hs_node *n)
{
	return n && n->graph != c->set->g;
}

int hs_call_add_identity(hs_call *c, hs_node *identity)
{
	if (!c || !identity)
		return hs_fail(HS_EINVAL, "hs_call_add_identity: call and node are required");
	if (foreign(c, identity))
		return hs_fail(HS_EINVAL, "call %.*s: node '%.*s' belongs to another graph",
			       HS_NAME_ARG(c->uuid), HS_NODE_NAME_ARG(identity));
	if (c->n_identities == c->cap_identities &&
	    hs_arena_grow32(&c->set->arena, (void **)&c->identities, &c->cap_identities,
			    c->n_identities + 1, sizeof *c->identities))
		return HS_ENOMEM;
	hs_call_put_identity(c, hs_node_id(identity));
	return HS_OK;
}

int hs_call_add_operand(hs_operand **out, hs_call *c, int is_output,
			int64_t index, hs_aggregation aggregation, int dtype)
{
	if (out)
		*out = NULL;
	if (!c || index < 0 || index > HS_MAX_ARG_INDEX ||
	    aggregation < HS_AGG_SINGLE || aggregation > HS_AGG_LAST)
		return hs_fail(HS_EINVAL, "hs_call_add_operand: a call, an index 0..%d and an aggregation are required",
			       HS_MAX_ARG_INDEX);
	hs_operand **ops = is_output ? &c->outputs : &c->inputs;
	uint32_t *n = is_output ? &c->n_outputs : &c->n_inputs;
	uint32_t *cap = is_output ? &c->cap_outputs : &c->cap_inputs;
	if (*n && (*ops)[*n - 1].index >= index)
		return hs_fail(HS_EINVAL, "call %.*s: %s %lld added after %lld (indices must ascend)",
			       HS_NAME_ARG(c->uuid), is_output ? "output" : "input",
			       (long long)index, (long long)(*ops)[*n - 1].index);
	if (*n == *cap &&
	    hs_arena_grow32(&c->set->arena, (void **)ops, cap, *n + 1, sizeof **ops))
		return HS_ENOMEM;
	hs_operand *o = &(*ops)[(*n)++];
	memset(o, 0, sizeof *o);
	o->index = (int16_t)index;
	o->aggregation = (uint8_t)aggregation;
	o->is_output = is_output != 0;
	o->inline_one = 1;
	o->dtype = dtype;
	o->call = c;
	if (out)
		*out = o;
	return HS_OK;
}

/* ------------------------------------------------------------ operands */

int64_t hs_operand_index(const hs_operand *o) { return o ? o->index : -1; }
int hs_operand_is_output(const hs_operand *o) { return o && o->is_output; }
int hs_operand_dtype(const hs_operand *o) { return o ? o->dtype : 0; }
size_t hs_operand_count(const hs_operand *o) { return o ? o->count : 0; }
size_t hs_operand_kept_element(const hs_operand *o) { return o && o->count ? hs_operand_kept(o) : 0; }

hs_aggregation hs_operand_aggregation(const hs_operand *o)
{
	return o ? o->aggregation : HS_AGG_SINGLE;
}

hs_tensor hs_operand_tensor(const hs_operand *o, size_t k)
{
	if (!o || k >= o->count)
		return (hs_tensor){ NULL, 0 };
	hs_tensor_ref t = hs_operand_tensors(o)[k];
	return (hs_tensor){ t.node ? hs_graph_node_at(o->call->set->g, t.node - 1) : NULL,
			    t.port };
}

const hs_node *hs_operand_identity(const hs_operand *o, size_t k)
{
	return o && k < o->count ? hs_operand_identity_at(o, k) : NULL;
}

/* An element's bytes: its tensor and its identity's id + 1. */
#define ELEMENT_SIZE (sizeof(hs_tensor_ref) + sizeof(uint32_t))
_Static_assert(_Alignof(hs_tensor_ref) == sizeof(uint32_t),
	       "an operand's block may start after any other's, 4-aligned");

/* Room for n elements in one block of the arena. */
static int alloc_elements(hs_arena *a, hs_element_pool *out, size_t n)
{
	if (n > UINT32_MAX || n > SIZE_MAX / ELEMENT_SIZE)
		return hs_fail(HS_ENOMEM, "out of memory");
	if (!(out->next = hs_arena_alloc(a, n * ELEMENT_SIZE)))
		return HS_ENOMEM;
	out->left = n;
	return HS_OK;
}

int hs_operand_reserve(hs_operand *o, size_t n)
{
	if (n <= hs_operand_cap(o))
		return HS_OK;
	hs_element_pool room = { NULL, 0 };
	int rc = alloc_elements(&o->call->set->arena, &room, n);
	if (rc)
		return rc;
	hs_operand moved = *o;
	moved.inline_one = 0;
	moved.el.tensors = (hs_tensor_ref *)(void *)room.next;
	moved.room.cap = (uint32_t)n;
	if (o->count) {
		memcpy(moved.el.tensors, hs_operand_tensors(o), o->count * sizeof(hs_tensor_ref));
		memcpy(hs_operand_ids(&moved), hs_operand_ids(o), o->count * sizeof(uint32_t));
	}
	*o = moved;
	return HS_OK;
}

int hs_operand_take(hs_operand *o, hs_element_pool *pool, size_t n)
{
	if (o->count || (n > 1 && n > pool->left))
		return hs_fail(HS_EINVAL, "hs_operand_take: %zu elements asked, %zu reserved",
			       n, pool->left);
	if (n <= 1)
		return HS_OK; /* inline */
	o->inline_one = 0;
	o->el.tensors = (hs_tensor_ref *)(void *)pool->next;
	o->room.cap = (uint32_t)n;
	pool->next += n * ELEMENT_SIZE;
	pool->left -= n;
	return HS_OK;
}

_Static_assert(sizeof(hs_operand) % 8 == 0,
	       "a call's elements and identities follow its operands, aligned");

int hs_call_reserve(hs_call *c, const hs_call_sizes *z, hs_element_pool *pool)
{
	if (c->n_identities || c->n_inputs || c->n_outputs)
		return hs_fail(HS_EINVAL, "hs_call_reserve: call %.*s is filled already",
			       HS_NAME_ARG(c->uuid));
	if (z->identities > UINT32_MAX || z->inputs > UINT32_MAX ||
	    z->outputs > UINT32_MAX || z->elements > UINT32_MAX)
		return hs_fail(HS_ENOMEM, "out of memory (more than 2^32 entries)");
	/* Operands first (8-aligned), then the 4-aligned elements and
	 * identities.  Below 2^32 entries each, no product overflows. */
	uint64_t total = (uint64_t)(z->inputs + z->outputs) * sizeof(hs_operand) +
			 (uint64_t)z->elements * ELEMENT_SIZE +
			 (uint64_t)z->identities * sizeof *c->identities;
	char *p = total <= SIZE_MAX ? hs_arena_alloc(&c->set->arena, (size_t)total) : NULL;
	if (!p)
		return total <= SIZE_MAX ? HS_ENOMEM : hs_fail(HS_ENOMEM, "out of memory");
	c->inputs = (hs_operand *)(void *)p;
	c->cap_inputs = (uint32_t)z->inputs;
	c->outputs = c->inputs + z->inputs;
	c->cap_outputs = (uint32_t)z->outputs;
	pool->next = (char *)(void *)(c->outputs + z->outputs);
	pool->left = z->elements;
	c->identities = (uint32_t *)(void *)(pool->next + z->elements * ELEMENT_SIZE);
	c->cap_identities = (uint32_t)z->identities;
	return HS_OK;
}

int hs_operand_add_element(hs_operand *o, hs_tensor tensor, hs_node *identity)
{
	if (!o)
		return hs_fail(HS_EINVAL, "hs_operand_add_element: no operand");
	if (foreign(o->call, tensor.node) || foreign(o->call, identity))
		return hs_fail(HS_EINVAL, "call %.*s: a boundary node belongs to another graph",
			       HS_NAME_ARG(o->call->uuid));
	if (o->count == hs_operand_cap(o)) {
		int rc = hs_operand_reserve(o, o->count > 1 ? 2 * (size_t)o->count : 4);
		if (rc)
			return rc;
	}
	hs_operand_put_element(o, tensor, identity);
	return HS_OK;
}

/* ------------------------------------------------------------ regions */

size_t hs_region_node_count(const hs_region *r) { return r ? r->n : 0; }

const hs_node *hs_region_node(const hs_region *r, size_t i)
{
	return r && i < r->n ? hs_graph_node_at(r->block->g, hs_region_ids(r)[i]) : NULL;
}

/* Ids a shared block holds (32 KiB): a block of their own for regions of
 * half as many or more, so a shared block wastes little at its end. */
#define REGION_BLOCK_IDS 8192

static hs_region_block *region_block_new(hs_arena *a, const hs_graph *g, size_t cap)
{
	hs_region_block *b = hs_arena_alloc(a, sizeof *b + cap * sizeof b->ids[0]);
	if (b) {
		b->g = g;
		b->cap = (uint32_t)cap;
	}
	return b;
}

int hs_region_reserve(hs_region *r, hs_arena *a, hs_region_block **cur,
		      const hs_graph *g, size_t n)
{
	memset(r, 0, sizeof *r);
	if (!n)
		return HS_OK;
	if (n > UINT32_MAX)
		return hs_fail(HS_ENOMEM, "out of memory (a region of more than 2^32 nodes)");
	hs_region_block *b = *cur;
	if (!b || b->g != g || b->cap - b->used < n) {
		int own = n >= REGION_BLOCK_IDS / 2;
		if (!(b = region_block_new(a, g, own ? n : REGION_BLOCK_IDS)))
			return HS_ENOMEM;
		if (!own)
			*cur = b;
	}
	r->block = b;
	r->first = b->used;
	r->n = (uint32_t)n;
	b->used += (uint32_t)n;
	return HS_OK;
}

int hs_region_of_nodes(hs_region *r, hs_arena *a, const hs_graph *g,
		       hs_node *const *nodes, size_t n)
{
	/* Sized exactly: a block made for it alone (reserve fills it). */
	hs_region_block *b = NULL;
	if (n && n <= UINT32_MAX && !(b = region_block_new(a, g, n)))
		return HS_ENOMEM;
	int rc = hs_region_reserve(r, a, &b, g, n);
	for (size_t i = 0; !rc && i < n; i++)
		hs_region_ids(r)[i] = hs_node_id(nodes[i]);
	return rc;
}

/* ------------------------------------------------------------ problems */

/* One conversion of fmt (after its '%'), its argument taken from ap. */
static const char *format_one(hs_buf *b, size_t quote_max, const char *f, va_list *ap)
{
	char spec[32] = "%";
	size_t k = 1;
	int width = 0, star_width = 0, prec = -1, has_prec = 0, star_prec = 0;
	while (*f && strchr("-+ #0", *f) && k < 8)
		spec[k++] = *f++;
	if (*f == '*') {
		width = va_arg(*ap, int);
		star_width = 1;
		spec[k++] = '*';
		f++;
	} else {
		while (*f >= '0' && *f <= '9' && k < 16)
			spec[k++] = *f++;
	}
	if (*f == '.') {
		spec[k++] = *f++;
		has_prec = 1;
		if (*f == '*') {
			prec = va_arg(*ap, int);
			star_prec = 1;
			spec[k++] = '*';
			f++;
		} else {
			prec = 0;
			while (*f >= '0' && *f <= '9' && k < 24) {
				prec = prec * 10 + (*f - '0');
				spec[k++] = *f++;
			}
		}
	}
	char len[3] = "";
	size_t nl = 0;
	while (*f && strchr("hlzjtL", *f) && nl < 2)
		len[nl++] = *f++;
	len[nl] = '\0';
	char conv = *f ? *f++ : '\0';
	memcpy(spec + k, len, nl);
	spec[k + nl] = conv;
	spec[k + nl + 1] = '\0';
#define EMIT(type) do { type v_ = va_arg(*ap, type);				\
		if (star_width && star_prec) hs_buf_printf(b, spec, width, prec, v_); \
		else if (star_width) hs_buf_printf(b, spec, width, v_);		\
		else if (star_prec) hs_buf_printf(b, spec, prec, v_);		\
		else hs_buf_printf(b, spec, v_); } while (0)
	switch (conv) {
	case '%':
		hs_buf_put(b, "%", 1);
		break;
	case 's': {
		/* Input text: clamped, whatever the caller's precision.  A
		 * `*` precision is a length (an hs_str): NUL bytes are part of
		 * the text, shown escaped, not its end. */
		const char *v = va_arg(*ap, const char *);
		if (!v)
			v = "(null)";
		size_t n = has_prec && prec >= 0 ? star_prec ? (size_t)prec : strnlen(v, (size_t)prec)
						 : strlen(v);
		if (n > quote_max) {
			hs_buf_put(b, v, quote_max);
			hs_buf_put(b, "...", 3);
		} else {
			hs_buf_put(b, v, n);
		}
		break;
	}
	case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'c':
		if (!strcmp(len, "ll"))
			EMIT(long long);
		else if (!strcmp(len, "l"))
			EMIT(long);
		else if (!strcmp(len, "z"))
			EMIT(size_t);
		else if (!strcmp(len, "j"))
			EMIT(intmax_t);
		else if (!strcmp(len, "t"))
			EMIT(ptrdiff_t);
		else
			EMIT(int);
		break;
	case 'p':
		EMIT(void *);
		break;
	case 'f': case 'F': case 'g': case 'G': case 'e': case 'E': case 'a': case 'A':
		if (!strcmp(len, "L"))
			EMIT(long double);
		else
			EMIT(double);
		break;
	default:
		b->failed = 1; /* a conversion this formatter does not know */
		break;
	}
#undef EMIT
	return f;
}

char *hs_problem_vformat(hs_arena *a, size_t quote_max, const char *fmt, va_list ap)
{
	hs_buf b = { NULL, 0, 0, 0 };
	va_list aq;
	va_copy(aq, ap);
	for (const char *f = fmt; *f && !b.failed;) {
		const char *pct = strchr(f, '%');
		size_t lit = pct ? (size_t)(pct - f) : strlen(f);
		hs_buf_put(&b, f, lit);
		if (!pct)
			break;
		f = format_one(&b, quote_max, pct + 1, &aq);
	}
	va_end(aq);
	/* One printable line, whatever the quoted input held (hs_escape). */
	hs_buf line = { NULL, 0, 0, 0 };
	hs_buf_put_escaped(&line, b.data ? (const char *)b.data : "", b.len);
	char *msg = b.failed || line.failed
			    ? NULL
			    : hs_arena_strndup(a, line.data ? (const char *)line.data : "", line.len);
	hs_buf_free(&b);
	hs_buf_free(&line);
	if (!msg)
		hs_fail(HS_ENOMEM, "out of memory formatting a problem");
	return msg;
}

/* 1,234,567 */
static void group_digits(char *out, size_t cap, size_t v)
{
	char raw[32];
	int n = snprintf(raw, sizeof raw, "%zu", v);
	size_t k = 0;
	for (int i = 0; i < n && k + 2 < cap; i++) {
		if (i && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = raw[i];
	}
	out[k] = '\0';
}

/* The summary problem standing for the repeats of one code. */
typedef struct flood {
	size_t more;
	char text[128];
} flood;

static void flood_render(flood *fl, const char *code)
{
	char count[40];
	group_digits(count, sizeof count, fl->more);
	snprintf(fl->text, sizeof fl->text, "and %s more like it (%.40s)", count, code);
}

int hs_problem_list_add(hs_problem_list l, hs_severity sev, const char *code,
			const char *fmt, va_list ap)
{
	/* The first HS_PROBLEMS_PER_CODE of a code are kept, the rest
	 * counted in one summary problem after them. */
	size_t same = 0, last = 0;
	for (size_t i = 0; i < *l.n; i++)
		if (!strcmp((*l.arr)[i].code, code)) {
			same++;
			last = i;
		}
	if (same > HS_PROBLEMS_PER_CODE) {
		flood *fl = (flood *)(void *)((char *)(*l.arr)[last].message -
					      offsetof(flood, text));
		fl->more++;
		flood_render(fl, code);
		if (sev > (*l.arr)[last].severity)
			(*l.arr)[last].severity = sev;
		return HS_OK;
	}
	const char *msg;
	if (same == HS_PROBLEMS_PER_CODE) {
		flood *fl = hs_arena_alloc(l.arena, sizeof *fl);
		if (fl) {
			fl->more = 1;
			flood_render(fl, code);
		}
		msg = fl ? fl->text : NULL;
	} else {
		msg = hs_problem_vformat(l.arena, l.quote_max ? l.quote_max : HS_QUOTE_MAX,
					  fmt, ap);
	}
	if (!msg || hs_arena_grow32(l.arena, (void **)l.arr, l.cap, *l.n + 1, sizeof **l.arr)) {
		/* Sticky: whoever reads the list learns it is incomplete. */
		*l.failed = HS_ENOMEM;
		return hs_fail(HS_ENOMEM, "out of memory recording a problem (%.40s)", code);
	}
	(*l.arr)[(*l.n)++] = (hs_problem){ sev, code, msg };
	return HS_OK;
}

/* The call's list; its rare part made first (*rc: HS_ENOMEM and the set's
 * sticky flag set when it cannot be). */
static hs_problem_list call_list(hs_call *c, size_t quote_max, int *rc)
{
	hs_callset *s = c->set;
	hs_call_rare *r;
	if ((*rc = hs_call_rare_get(&r, c)) != HS_OK) {
		s->failed = HS_ENOMEM;
		return (hs_problem_list){ NULL, NULL, NULL, NULL, NULL, 0 };
	}
	return (hs_problem_list){ &s->arena, &r->problems, &r->n_problems,
				  &r->cap_problems, &s->failed, quote_max };
}

static hs_problem_list set_list(hs_callset *s, size_t quote_max)
{
	return (hs_problem_list){ &s->arena, &s->global, &s->n_global,
				  &s->cap_global, &s->failed, quote_max };
}

static int list_addf(hs_problem_list l, hs_severity sev, const char *code,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The body of every formatted adder: forwards its variadic arguments. */
#define ADD_FORMATTED(list)                                               \
	do {                                                              \
		va_list ap;                                               \
		va_start(ap, fmt);                                        \
		int rc_ = hs_problem_list_add((list), sev, code, fmt, ap); \
		va_end(ap);                                               \
		return rc_;                                               \
	} while (0)

static int list_addf(hs_problem_list l, hs_severity sev, const char *code,
		     const char *fmt, ...)
{
	ADD_FORMATTED(l);
}

int hs_call_problemf(hs_call *c, hs_severity sev, const char *code,
		     const char *fmt, ...)
{
	int rc;
	hs_problem_list l = call_list(c, HS_QUOTE_MAX, &rc);
	if (rc)
		return rc;
	ADD_FORMATTED(l);
}

int hs_callset_problemf(hs_callset *s, hs_severity sev, const char *code,
			const char *fmt, ...)
{
	ADD_FORMATTED(set_list(s, HS_QUOTE_MAX));
}

/* A detector's or plugin's own message, whole: clamped at
 * HS_MESSAGE_MAX, counted like the others.  The code is copied. */
static int add_text(hs_problem_list l, hs_severity sev, const char *code,
		    const char *message)
{
	const char *k = hs_arena_strndup(l.arena, code, strlen(code));
	if (!k) {
		*l.failed = HS_ENOMEM;
		return HS_ENOMEM;
	}
	return list_addf(l, sev, k, "%s", message);
}

int hs_call_add_problem(hs_call *c, hs_severity severity, const char *code,
			const char *message)
{
	if (!c || !code || !message)
		return hs_fail(HS_EINVAL, "hs_call_add_problem: call, code and message are required");
	int rc;
	hs_problem_list l = call_list(c, HS_MESSAGE_MAX, &rc);
	return rc ? rc : add_text(l, severity, code, message);
}

int hs_callset_add_problem(hs_callset *s, hs_severity severity, const char *code,
			   const char *message)
{
	if (!s || !code || !message)
		return hs_fail(HS_EINVAL, "hs_callset_add_problem: set, code and message are required");
	return add_text(set_list(s, HS_MESSAGE_MAX), severity, code, message);
}

size_t hs_call_problem_count(const hs_call *c) { return c ? hs_call_rare_of(c)->n_problems : 0; }

const hs_problem *hs_call_problem(const hs_call *c, size_t i)
{
	return c && i < hs_call_rare_of(c)->n_problems ? &c->rare->problems[i] : NULL;
}

int hs_call_has_errors(const hs_call *c)
{
	const hs_call_rare *r = c ? hs_call_rare_of(c) : &hs_call_no_rare;
	for (size_t i = 0; i < r->n_problems; i++)
		if (r->problems[i].severity == HS_SEVERITY_ERROR)
			return 1;
	return 0;
}
