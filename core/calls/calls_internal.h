/* The call set's layout, for the layers above it (ophint, host, plan,
 * apply, report).  Private to libhintstub: the public API reads it through
 * the functions of <hintstub/calls.h>. */
#ifndef HS_CALLS_INTERNAL_H
#define HS_CALLS_INTERNAL_H

#include <stdarg.h>
#include <string.h>

#include "arena.h"
#include "graph_internal.h"
#include "hintstub/calls.h"
#include "keytable.h"

/* Largest argument index accepted: the dense layout makes that many stub
 * inputs. */
#define HS_MAX_ARG_INDEX 4096
_Static_assert(HS_MAX_ARG_INDEX <= INT16_MAX, "an operand's index is 16 bits");

/* A boundary tensor as an operand keeps it: its node's id + 1 (0: no
 * node) and the port, 8 bytes where an hs_tensor takes 16.  Read it with
 * hs_operand_tensor. */
typedef struct hs_tensor_ref {
	uint32_t node;
	int32_t port;
} hs_tensor_ref;

/* 32 bytes: a call has one per argument, and a graph may have a hundred
 * thousand calls of a few arguments each.  An operand of one element (most
 * are: a single argument) keeps it inline, its tensor in place of the
 * pointer and its identity in place of the capacity; more elements are one
 * block: `cap` tensors, then `cap` identities as node id + 1 (0: the
 * detector has none), 12 bytes an element.  Read them through
 * hs_operand_tensors and hs_operand_ids. */
struct hs_operand {
	hs_call *call;
	union {
		hs_tensor_ref *tensors; /* the block */
		hs_tensor_ref one;      /* inline: the element's tensor */
	} el;
	uint32_t count;
	union {
		uint32_t cap;           /* the block's elements */
		uint32_t one_id;        /* inline: the element's identity */
	} room;
	int32_t dtype;
	int16_t index;          /* 0..HS_MAX_ARG_INDEX */
	uint8_t aggregation;    /* an hs_aggregation */
	uint8_t is_output : 1;
	uint8_t inline_one : 1; /* room for one element, inline */
};
_Static_assert(sizeof(struct hs_operand) == 32, "an operand is 32 bytes");

/* One entry of a level-2 call's children mapping (OpHint's
 * `_tflite_children_ophint_inputs_mapping`): `from` feeds `to`; -1 is the
 * highest index of that operand list.
 *   first:    parent input `from` -> first child's input `to`
 *   internal: child j-1's output `from` -> child j's input `to`
 *   last:     last child's output `from` -> parent output `to` */
typedef struct hs_child_link {
	int64_t from, to;
} hs_child_link;

/* What a level-2 call is made of, beyond its children: the loop node, its
 * body loaded as a scope and the body's own call set (the children are
 * its calls), and the parsed mapping.  Owned by the call's set. */
typedef struct hs_call_body {
	const hs_node *loop;        /* the While / StatelessWhile */
	hs_graph *scope;            /* the body FunctionDef */
	hs_callset *calls;          /* calls of the scope; children of the call */
	hs_child_link *first, *internal, *last;
	size_t n_first, n_internal, n_last;
} hs_call_body;

/* What few calls have: a parent or children (level 2), a children
 * mapping, a body, problems.  Made on first use (hs_call_rare_get), so
 * that the calls without any, most of a large graph's, do not carry it;
 * read it through hs_call_rare_of.  64 bytes. */
typedef struct hs_call_rare {
	hs_str children_mapping;   /* a view or a copy, as a call's strings */
	hs_call *parent;
	hs_call **children;
	hs_problem *problems;
	hs_call_body *body;        /* level 2 only, else NULL */
	uint32_t n_children, cap_children;
	uint32_t n_problems, cap_problems;
} hs_call_rare;
_Static_assert(sizeof(hs_call_rare) == 64, "a call's rare record is 64 bytes");

/* Every array of a call is sized exactly when its detector knows the
 * counts (OpHint discovery does: hs_call_reserve), and grows by doubling
 * in the arena when it does not (the public filling functions).  Counts
 * and capacities are 32-bit: a call cannot have more elements than the
 * graph has nodes.  120 bytes a call. */
struct hs_call {
	hs_callset *set;
	const char *detector;   /* the set's copy, shared by the calls of
				   one detector */
	/* Views of the graph's bytes when they come from them (the graph
	 * outlives the set), copies in the set's arena otherwise: not
	 * NUL-terminated either way. */
	hs_str function;
	hs_str uuid;
	int64_t level;
	hs_operand *inputs;
	hs_operand *outputs;
	uint32_t *identities;   /* node ids (hs_call_identity_at) */
	hs_call_rare *rare;     /* NULL until the call has a rare part */
	uint32_t ordinal;
	uint32_t n_inputs, cap_inputs;
	uint32_t n_outputs, cap_outputs;
	uint32_t n_identities, cap_identities;
	uint8_t converted;
};
_Static_assert(sizeof(struct hs_call) == 120, "a call is 120 bytes");

/* A call's rare part, or an empty one (no parent, children, mapping,
 * body or problem) when it has none. */
extern const hs_call_rare hs_call_no_rare;
static inline const hs_call_rare *hs_call_rare_of(const hs_call *c)
{
	return c->rare ? c->rare : &hs_call_no_rare;
}
/* A level-2 call's body, NULL when it has none. */
static inline hs_call_body *hs_call_body_of(const hs_call *c)
{
	return hs_call_rare_of(c)->body;
}
/* A call's rare part to write, made zeroed on first use. */
int hs_call_rare_get(hs_call_rare **out, hs_call *c);
/* Forgets a call's problems (a detector's leftovers of a call it found
 * converted). */
static inline void hs_call_clear_problems(hs_call *c)
{
	if (c->rare)
		c->rare->n_problems = 0;
}

struct hs_callset {
	const hs_graph *g;
	hs_call **calls;        /* malloc'd */
	size_t n_calls, cap_calls;
	hs_key_table by_uuid;   /* call ordinals by uuid (keytable.h) */
	hs_problem *global;
	uint32_t n_global, cap_global;
	int failed;             /* a problem could not be recorded: sticky,
				   so that none is dropped silently */
	hs_arena arena;
	hs_call *spare_calls;   /* calls are carved from blocks of the arena
				   (120 bytes each, a multiple of 8) */
	size_t n_spare;
};

/* The node of an id of the set's graph.  The set reads its graph const;
 * the layers that edit it (apply) hold it mutable, so the node is given
 * as the graph's callers have it. */
static inline hs_node *hs_callset_node(const hs_callset *s, uint32_t id)
{
	return (hs_node *)hs_graph_node_at(s->g, id);
}

/* Identity i of a call (i < n_identities). */
static inline hs_node *hs_call_identity_at(const hs_call *c, size_t i)
{
	return hs_callset_node(c->set, c->identities[i]);
}

/* Regions' node ids, in blocks of one graph's nodes that many regions
 * share: a region's node is 4 bytes, not an 8-byte pointer, and the block
 * says whose ids they are (hs_region_node needs no graph beside it). */
typedef struct hs_region_block {
	const hs_graph *g;
	uint32_t cap, used;
	uint32_t ids[];
} hs_region_block;

/* The nodes of a call's region, as ids: 16 bytes.  The plan fills it;
 * plugins read it (hs_region_node). */
struct hs_region {
	hs_region_block *block;  /* NULL when empty */
	uint32_t first, n;       /* its ids: block->ids[first .. first + n) */
};
_Static_assert(sizeof(hs_region) == 16, "a region is 16 bytes");

/* A region's ids (NULL when empty); it may be cut in place (n lowered). */
static inline uint32_t *hs_region_ids(const hs_region *r)
{
	return r->block ? r->block->ids + r->first : NULL;
}

/* Room for n ids of g's nodes, zeroed, in *cur or in a new block of the
 * arena (*cur becomes it unless the region is a large one of its own).
 * HS_ENOMEM when out of memory. */
int hs_region_reserve(hs_region *r, hs_arena *a, hs_region_block **cur,
		      const hs_graph *g, size_t n);
/* A region of the given nodes of g, in a block of its own (tests, a loop
 * body's child calls). */
int hs_region_of_nodes(hs_region *r, hs_arena *a, const hs_graph *g,
		       hs_node *const *nodes, size_t n);

/* Problem messages quote input text (names, uuids, function names) of
 * any length: every %s / %.*s argument is clamped to HS_QUOTE_MAX bytes
 * followed by "...", and a list keeps HS_PROBLEMS_PER_CODE problems of a
 * code, then one "and N more like it (code)" counting the rest.  A 1 MB
 * name in 10,000 problems costs a few KB, not 10 GB. */
#define HS_QUOTE_MAX 200
/* A detector's or plugin's whole message (hs_call_add_problem). */
#define HS_MESSAGE_MAX 2000
#define HS_PROBLEMS_PER_CODE 3
/* printf into the arena with every %s / %.*s clamped to quote_max bytes
 * and "..."; d i u x X o c p f g e a with flags, width, precision and
 * hh h l ll z j t L.  `%.*s` takes exactly that many bytes (an hs_str,
 * NUL bytes included); the message is then escaped (hs_escape), so that
 * it is one printable line.  NULL (hs_fail set) on allocation failure. */
char *hs_problem_vformat(hs_arena *a, size_t quote_max, const char *fmt, va_list ap);
/* A list of problems in an arena, with the sticky flag set when one could
 * not be recorded (the caller's `failed`). */
typedef struct hs_problem_list {
	hs_arena *arena;
	hs_problem **arr;
	uint32_t *n, *cap;
	int *failed;
	size_t quote_max;  /* 0: HS_QUOTE_MAX */
} hs_problem_list;
/* Formats and appends a problem, or counts it in its code's summary.
 * On allocation failure: *failed = HS_ENOMEM and hs_fail(HS_ENOMEM). */
int hs_problem_list_add(hs_problem_list l, hs_severity sev, const char *code,
			const char *fmt, va_list ap);
/* A formatted problem (the message is built in the set's arena).  On
 * failure the set's `failed` is set as well, so that detectors may check
 * once at the end. */
int hs_call_problemf(hs_call *c, hs_severity sev, const char *code,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int hs_callset_problemf(hs_callset *s, hs_severity sev, const char *code,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Drops the calls and set-level problems added after the first n_calls
 * and n_problems (a detector failing half-way adds nothing). */
void hs_callset_truncate(hs_callset *s, size_t n_calls, size_t n_problems);
/* Gives a level-2 call its body (allocated in the set's arena, zeroed);
 * the set frees the body's scope and call set with the call. */
int hs_call_new_body(hs_call_body **out, hs_call *c);
/* Makes `child`, a call of c's body call set, the next child of c. */
int hs_call_add_body_child(hs_call *c, hs_call *child);
/* Sets a call's function (copied; detectors that learn it late). */
int hs_call_set_function(hs_call *c, hs_str function);
/* The set's call by uuid, writable (detectors grouping hints). */
hs_call *hs_callset_lookup(hs_callset *s, hs_str uuid);
/* Reserves exactly n elements for an operand (detectors that know). */
int hs_operand_reserve(hs_operand *o, size_t n);
/* The exact sizes of a call's arrays, for a detector that knows them all
 * before filling the call: hs_call_reserve takes them in one block of the
 * arena, and the adds that follow (identities, operands, and elements
 * through hs_operand_take) need no more memory.  Per-call data of a large
 * graph is then its own size, without a doubling's slack. */
typedef struct hs_call_sizes {
	size_t identities, inputs, outputs, elements;
} hs_call_sizes;
/* Where the reserved elements are handed out from. */
typedef struct hs_element_pool {
	char *next;             /* an operand's tensors, then its identities */
	size_t left;
} hs_element_pool;
int hs_call_reserve(hs_call *c, const hs_call_sizes *sizes, hs_element_pool *pool);
/* Gives an operand room for exactly n elements from the pool (the
 * operand must have none yet); one needs none: it is inline. */
int hs_operand_take(hs_operand *o, hs_element_pool *pool, size_t n);
/* Appends into room hs_call_reserve (or hs_operand_take) made, for a
 * detector whose nodes come from the set's own graph: no checks, and a
 * call's identity is given by its node's id, so that no node is touched
 * (the public adds check each node's graph, a cache miss a node in a
 * graph of millions). */
static inline void hs_call_put_identity(hs_call *c, uint32_t identity_id)
{
	c->identities[c->n_identities++] = identity_id;
}

static inline hs_tensor_ref hs_tensor_ref_of(hs_tensor t)
{
	return (hs_tensor_ref){ t.node ? hs_node_id(t.node) + 1 : 0, t.port };
}

/* How many elements an operand has room for. */
static inline uint32_t hs_operand_cap(const hs_operand *o)
{
	return o->inline_one ? 1 : o->room.cap;
}

/* An operand's tensors (hs_operand_cap of them). */
static inline hs_tensor_ref *hs_operand_tensors(const hs_operand *o)
{
	return o->inline_one ? (hs_tensor_ref *)&o->el.one : o->el.tensors;
}

/* An operand's identities, node id + 1 each: inline, or after its
 * tensors. */
static inline uint32_t *hs_operand_ids(const hs_operand *o)
{
	return o->inline_one ? (uint32_t *)&o->room.one_id
			     : (uint32_t *)(void *)(o->el.tensors + o->room.cap);
}

static inline void hs_operand_put_element(hs_operand *o, hs_tensor tensor, hs_node *identity)
{
	hs_operand_tensors(o)[o->count] = hs_tensor_ref_of(tensor);
	hs_operand_ids(o)[o->count++] = identity ? hs_node_id(identity) + 1 : 0;
}

/* Element k's identity of an operand (k < count), NULL where none. */
static inline hs_node *hs_operand_identity_at(const hs_operand *o, size_t k)
{
	uint32_t ref = hs_operand_ids(o)[k];
	return ref ? hs_callset_node(o->call->set, ref - 1) : NULL;
}

/* The set's call by uuid, given the uuid's hs_hash (a detector that
 * looks one uuid up more than once hashes it once). */
hs_call *hs_callset_lookup_hashed(hs_callset *s, hs_str uuid, uint64_t hash);
/* hs_callset_add_call with the uuid's hs_hash given. */
int hs_callset_add_call_hashed(hs_call **out, hs_callset *s, const char *detector,
			       hs_str function, hs_str uuid, int64_t level, uint64_t hash);
/* The operand of argument `index` among ascending operands ops[0..n);
 * -1 is the highest index (the children mapping's "last").  NULL: none. */
static inline hs_operand *hs_operand_of_index(hs_operand *ops, size_t n, int64_t index)
{
	if (index == -1)
		return n ? &ops[n - 1] : NULL;
	for (size_t i = 0; i < n; i++)
		if (ops[i].index == index)
			return &ops[i];
	return NULL;
}
/* Index of the kept element (hs_operand_kept_element). */
static inline size_t hs_operand_kept(const hs_operand *o)
{
	return o->aggregation == HS_AGG_LAST && o->count ? o->count - 1 : 0;
}

/* Whether two views hold the same bytes. */
static inline int hs_str_same(hs_str a, hs_str b)
{
	return a.len == b.len && (!a.len || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* printf arguments for an hs_str and a node's name, whole: for building
 * text.  A message takes HS_NAME_ARG and HS_NODE_NAME_ARG (graph_internal.h),
 * which show the first 200 bytes. */
#define HS_STR_ARG(s) (int)(s).len, (s).ptr
#define HS_NODE_ARG(n) (int)hs_name_of(n).len, hs_name_of(n).ptr

#endif
