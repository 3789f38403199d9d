/* The in-memory graph.  Private to libhintstub.
 *
 * A loaded graph keeps the file's bytes and views into them: every node
 * remembers the exact bytes of its GraphDef field, so a node nobody edits
 * is written back verbatim.  Edited and new nodes carry their changes
 * (inputs, attributes) beside the original bytes and are re-encoded at
 * write time, field by field, keeping every field they did not change. */
#ifndef HS_GRAPH_INTERNAL_H
#define HS_GRAPH_INTERNAL_H

#include "hintstub/hintstub.h"
#include "arena.h"
#include "keytable.h"
#include "name_index.h"
#include "prefetch.h"
#include "wire.h"

/* GraphDef / FunctionDef / NodeDef field numbers (TensorFlow's). */
enum {
	HS_GRAPH_NODE = 1,
	HS_GRAPH_LIBRARY = 2,
	HS_FUNCTION_NODE_DEF = 3,
	HS_NODE_NAME = 1,
	HS_NODE_OP = 2,
	HS_NODE_INPUT = 3,
	HS_NODE_DEVICE = 4,
	HS_NODE_ATTR = 5
};

/* ------------------------------------------------------------ containers
 *
 * A node list lives in a message: GraphDef.node (field 1) or
 * FunctionDef.node_def (field 3).  Loading, editing and writing read the
 * container from the graph, so a FunctionDef's body loads as a node scope
 * of its own (hs_scope_load): its own names, consumer lists and edits,
 * written back byte for byte when unchanged, its edited nodes re-encoded
 * under the container's field.  The other fields of the message (a
 * FunctionDef's signature, ret, attr, ...) travel as raw bytes. */

/* A field of the container other than the node list whose wire type is
 * checked at load (a wrong one means the bytes are not that message). */
typedef struct hs_field_rule {
	uint32_t number;
	uint32_t wire_type;
	const char *name;
} hs_field_rule;

typedef struct hs_container {
	const char *message;            /* "GraphDef": names it in errors */
	uint32_t node_field;            /* the repeated NodeDef field */
	const char *node_field_name;    /* "node", "node_def" */
	uint32_t library_field;         /* GraphDef.library; 0: none */
	uint32_t signature_field;       /* FunctionDef.signature (an OpDef
					   whose input_arg names are the
					   scope's arguments); 0: none */
	int function_inputs;            /* inputs in FunctionDef syntax */
	const hs_field_rule *rules;
	size_t n_rules;
} hs_container;

/* GraphDef.node = 1, GraphDef syntax inputs ("x", "x:1", "^x"). */
extern const hs_container hs_graphdef_container;
/* FunctionDef.node_def = 3, FunctionDef syntax inputs ("x", "n:out:1",
 * "^n"); a bare name of the signature is an argument, never a node. */
extern const hs_container hs_functiondef_container;

/* 8 bytes: one per edge of the graph, the biggest array after the file
 * (doc/design.md, "Memory layout").  The fields are read through
 * hs_input_text, hs_input_port and hs_input_src only. */
typedef struct hs_input {
	uint32_t text;    /* where the text is, as written: "x", "x:1", "^x"
			     (not terminated), right after the varint of its
			     length: an offset into the graph's bytes (at
			     most its size), or past them, a copy made by
			     hs_graph_intern_at (hs_text_at) */
	uint32_t src;     /* 1 + the producer's id, 0 when the name is not a
			     node (hs_input_src); while loading, until the
			     input is bound (graph.c), the hash of the
			     producer's name */
} hs_input;

_Static_assert(sizeof(hs_input) == 8, "hs_input is 8 bytes (doc/design.md)");

/* A string of the file's or a copy made by hs_graph_intern_at: its length
 * is the varint before it, read backwards: its last byte is the one
 * before the text, its earlier bytes have the top bit set, and the byte
 * before them ends the field's tag (or is the 0 of a copy), which has
 * not. */
static inline hs_str hs_prefixed_text(const char *text)
{
	const uint8_t *end = (const uint8_t *)text, *p = end - 1;
	while (p[-1] & 0x80)
		p--;
	uint64_t len = 0;
	hs_wire_varint(&len, &p, end);
	return (hs_str){ text, (size_t)len };
}

/* The copies hs_graph_intern_at makes, addressed by 32-bit offsets that
 * continue past the graph's bytes: offset size + 1 + (i << SHIFT) + low is
 * byte `low` of page i.  Pages come in chunks (one allocation of
 * consecutive pages from the edit arena, never moved) and a copy never
 * straddles two chunks, so its bytes are contiguous.  The pointer of a
 * copy gives its offset back through the chunks, sorted by address
 * (hs_graph_text_offset). */
#define HS_TEXT_PAGE_SHIFT 12
#define HS_TEXT_PAGE_MASK ((1u << HS_TEXT_PAGE_SHIFT) - 1)

typedef struct hs_text_chunk {
	const char *start;
	uint32_t first;           /* its first page's index */
	uint32_t n_pages;
} hs_text_chunk;

typedef struct hs_text_space {
	char **pages;             /* by index: where each page starts */
	size_t n_pages, cap_pages;
	hs_text_chunk *chunks;    /* by address */
	size_t n_chunks, cap_chunks;
	char *next;               /* free room in the newest chunk */
	size_t left;
	uint64_t next_off;        /* next's offset */
	uint64_t end;             /* the first offset past the space: 2^32
				     (0 until the first copy, which sets it;
				     a test sets it lower to fill it) */
} hs_text_space;

/* A pending attribute change, 24 bytes: a stub sets several.  The key is
 * an id in the graph's table of edit keys (few distinct: every stub sets
 * the same ones), the flags in its low bits. */
typedef struct hs_attr_edit {
	struct hs_attr_edit *next;  /* the key set before (any order) */
	uint8_t *value;   /* encoded AttrValue, in the edit arena (or, set
			     by hs_node_set_attr_s_view, the graph's own
			     bytes: only read); NULL when removed */
	uint32_t value_len; /* below 4 GiB: a NodeDef field's limit */
	uint32_t key;     /* id in g->edit_keys << HS_ATTR_EDIT_KEY_SHIFT |
			     HS_ATTR_EDIT_* flags */
} hs_attr_edit;

_Static_assert(sizeof(hs_attr_edit) <= 24, "hs_attr_edit grew past 24 bytes");

enum {
	HS_ATTR_EDIT_REMOVED = 1u << 0, /* the edit removes the key */
	HS_ATTR_EDIT_SHARED = 1u << 1,  /* in several nodes' lists (attr.c):
					   never changed, as every entry
					   after it */
	HS_ATTR_EDIT_KEY_SHIFT = 2
};

/* The largest key id an edit holds. */
#define HS_EDIT_KEY_MAX (UINT32_MAX >> HS_ATTR_EDIT_KEY_SHIFT)

enum {
	HS_NODE_F_REMOVED = 1u << 0,
	HS_NODE_F_NEW = 1u << 1,
	HS_NODE_F_INPUTS_EDITED = 1u << 2,
	HS_NODE_F_ATTRS_EDITED = 1u << 3,
	HS_NODE_F_DEVICE_EDITED = 1u << 4,
	HS_NODE_F_TFLITE_ATTR = 1u << 5,  /* has a `_tflite_` attribute */
	HS_NODE_F_OWNS_INPUTS = 1u << 6,  /* inputs array is malloc'd */
	HS_NODE_F_OWNS_CONSUMERS = 1u << 7,
	HS_NODE_F_ARENA_CONSUMERS = 1u << 9, /* consumers in g->edit_arena,
					     capacity as an owned list's */
	HS_NODE_F_ARENA_INPUTS = 1u << 12, /* inputs in g->edit_arena, not
					     owned (a replaced list) */
	/* Either: the list moved out of the graph's block, into the side
	 * table (hs_node_inputs, hs_node_consumers). */
	HS_NODE_F_MOVED_INPUTS = HS_NODE_F_OWNS_INPUTS | HS_NODE_F_ARENA_INPUTS,
	HS_NODE_F_MOVED_CONSUMERS = HS_NODE_F_OWNS_CONSUMERS | HS_NODE_F_ARENA_CONSUMERS,
	HS_NODE_F_HINTSTUB_ATTR = 1u << 10, /* has a `_hintstub_` attribute
					       in the file (a stub's mark) */
	HS_NODE_F_EDIT_REC = 1u << 13,    /* has an hs_node_edit record
					     (hs_node_edit_of) */
	HS_NODE_F_CONSUMER_ROOM = 1u << 14, /* the consumer list, in the
					     shared block, has a free entry
					     after it (graph_edit.c) */
	HS_NODE_F_RUN = 1u << 11,         /* original node: new nodes are
					     written after it (g->run_heads) */
	HS_NODE_F_VISIT = 1u << 8         /* inside one edit function only
					     (hs_graph_remove_nodes,
					     hs_graph_rewire): clear between
					     calls */
};
/* Each flag its own bit (two branches once took bit 11 each): the sum of
 * the single-bit flags equals their union only when no two share one (a
 * new flag joins both lists; HS_NODE_F_ALL_ also keeps the consumer
 * capacity's bits off the flags). */
#define HS_NODE_F_ALL_ (HS_NODE_F_REMOVED | HS_NODE_F_NEW | HS_NODE_F_INPUTS_EDITED | \
		HS_NODE_F_ATTRS_EDITED | HS_NODE_F_DEVICE_EDITED | HS_NODE_F_TFLITE_ATTR | \
		HS_NODE_F_OWNS_INPUTS | HS_NODE_F_OWNS_CONSUMERS | HS_NODE_F_VISIT | \
		HS_NODE_F_ARENA_CONSUMERS | HS_NODE_F_HINTSTUB_ATTR | HS_NODE_F_RUN | \
		HS_NODE_F_ARENA_INPUTS | HS_NODE_F_EDIT_REC | HS_NODE_F_CONSUMER_ROOM)
_Static_assert(HS_NODE_F_ALL_ ==
		       (0ull + HS_NODE_F_REMOVED + HS_NODE_F_NEW + HS_NODE_F_INPUTS_EDITED +
			HS_NODE_F_ATTRS_EDITED + HS_NODE_F_DEVICE_EDITED + HS_NODE_F_TFLITE_ATTR +
			HS_NODE_F_OWNS_INPUTS + HS_NODE_F_OWNS_CONSUMERS + HS_NODE_F_VISIT +
			HS_NODE_F_ARENA_CONSUMERS + HS_NODE_F_HINTSTUB_ATTR + HS_NODE_F_RUN +
			HS_NODE_F_ARENA_INPUTS + HS_NODE_F_EDIT_REC + HS_NODE_F_CONSUMER_ROOM),
	       "two node flags share a bit");

/* Bits 24..28 of a node's flags: log2 of the capacity of its moved
 * consumer list (HS_NODE_F_MOVED_CONSUMERS), set when the list is made.
 * The count cannot give it once the list shrank: a reader moving off a
 * node read 2^k times and back made the list look full, and each return
 * took a new list of the whole fan-out from the arena. */
#define HS_NODE_CONSUMER_CAP_SHIFT 24
#define HS_NODE_CONSUMER_CAP_MASK (31u << HS_NODE_CONSUMER_CAP_SHIFT)
_Static_assert((HS_NODE_CONSUMER_CAP_MASK & HS_NODE_F_ALL_) == 0,
	       "the consumer capacity's bits are no flag's");

/* What only a node with edited attributes or device has, allocated on
 * its first such edit (most nodes of a conversion have none): the node
 * keeps no index of it, only HS_NODE_F_EDIT_REC.  Where a new node is written is not here (hs_placement):
 * a stub's anchor needs no record. */
typedef struct hs_node_edit {
	hs_attr_edit *attr_edits;
	const char *device;       /* new nodes and HS_NODE_F_DEVICE_EDITED:
				     a copy by hs_graph_intern_at (its length
				     before it: hs_prefixed_text), NULL: "" */
} hs_node_edit;

_Static_assert(sizeof(hs_node_edit) <= 16, "hs_node_edit grew past 16 bytes");

/* Where a new node is written, 8 bytes a new node (g->placements, by
 * id - n_nodes): in the run of new nodes after an original node (or
 * after all), before `next`.  An original node heading a run has
 * HS_NODE_F_RUN and the run's first node in g->run_heads. */
typedef struct hs_placement {
	uint32_t next;            /* 1 + the id of the next new node of the
				     run, 0 for the last */
	uint32_t anchor;          /* id of the original node the run
				     follows, HS_ANCHOR_TAIL for the end */
} hs_placement;

/* The graph's distinct ops, by id (op_table.c): a node keeps its op's id,
 * 4 bytes instead of a 16-byte view of the file, and asking a node's op
 * reads this small table, never the node's bytes (discovery asks every
 * reader of a hint whether it is a Pack).  Id 0 is "".  The keys of
 * attribute edits are a table of the same kind, a rank in place of the
 * count. */
typedef struct hs_op_table {
	hs_str *names;            /* by id: views of the file, or interned */
	union {
		uint32_t *live;   /* ops, by id: how many live nodes have the
				     op (the parse and every edit keep it:
				     inspect counts ops without a walk) */
		uint32_t *rank;   /* edit keys, by id: the key's place among
				     them in byte order (attr.c), the order
				     new attributes are written in */
	};
	uint32_t n;
	size_t cap;
	hs_key_table by_name;     /* name -> id (op_table.c) */
} hs_op_table;

/* 40 bytes (doc/design.md, "Memory layout"), no padding.  The device, the
 * field's length and the body's length of an original node are read from
 * its bytes when asked (hs_node_device, hs_node_field_len,
 * hs_node_body_len): only writing and copying ask.  The name is read
 * through hs_name_of, the lists through hs_node_inputs and
 * hs_node_consumers, the id through hs_node_id: 32-bit offsets into the
 * graph's blocks, not pointers, and no id of its own for an original
 * node (its index in graph->nodes). */
struct hs_node {
	hs_graph *graph;
	uint32_t name_off;        /* where the name is in the graph's texts
				     (hs_text_at), right after the varint of
				     its length: the file's bytes, or for a
				     new node a copy (hs_graph_intern_at);
				     0: none yet (never a name's place,
				     which follows a tag) */
	uint32_t inputs;          /* index of the first input in
				     graph->input_block, or (a list an edit
				     moved: HS_NODE_F_MOVED_INPUTS) of the
				     list in graph->input_lists */
	union {
		uint32_t consumers;   /* the same for the readers' ids
					 (hs_node_consumers): in
					 graph->consumer_block, or in
					 graph->consumer_lists once moved
					 (HS_NODE_F_MOVED_CONSUMERS) */
		uint32_t load_hash;   /* loading only, until the consumers
					 are indexed (graph.c): the name's
					 hash, taken while parsing */
	};
	union {
		uint32_t field_off;   /* original nodes: where the whole
					 GraphDef.node field (tag, length,
					 body) starts in graph->bytes */
		uint32_t new_id;      /* new nodes (HS_NODE_F_NEW), which
					 have no field: the id (hs_node_id) */
	};
	uint32_t n_inputs;        /* capacity: hs_list_cap when owned */
	uint32_t n_consumers;
	uint32_t flags;
	uint32_t op;              /* id in graph->ops */
};

/* No length beside the name (it is read back from before the name, as an
 * input's is), no edit record's index (few nodes have one: side tables,
 * hs_node_edit_of), no id (an original node's is its index, a new node's
 * takes the field offset's place) and the name an offset: 40 bytes, not
 * 56. */
_Static_assert(sizeof(hs_node) == 40 || sizeof(void *) != 8,
	       "hs_node is 40 bytes on a 64-bit machine (doc/design.md)");

/* The lists edits moved out of a graph's shared block (a node's grown or
 * replaced inputs or consumers): a pointer a moved list, at the node's
 * offset field once its flag says the list moved (graph_edit.c).  A node
 * keeps its slot for its later moves: at most one a node. */
typedef struct hs_moved_lists {
	void **at;
	size_t n, cap;
} hs_moved_lists;

/* A top-level GraphDef field other than a node, kept as raw bytes.  Nodes
 * are in file order in hs_graph.nodes; `before` places the field among
 * them (it came before node #before, or after all when n_nodes). */
typedef struct hs_item {
	const uint8_t *field;
	size_t len;
	size_t before;
	const uint8_t *at;        /* where it was in the file (field may be
				     replaced by an edit: the pruned library) */
} hs_item;

/* Edit records live in blocks of 16, 32, 64, ... from the edit arena:
 * none moves, and no array of pointers to them is kept (8 bytes a
 * record).  Enough blocks for every id a node's `edit` holds. */
#define HS_EDIT_BLOCK0 16u
#define HS_EDIT_BLOCKS 29

struct hs_graph {
	const hs_container *container;
	char *source;
	uint8_t *bytes;            /* the file, owned: malloc'd, or mapped */
	size_t size;
	int bytes_mapped;          /* bytes is a read-only mapping of size
				      (1), or another graph's (2: a body) */
	hs_load_options body_opts; /* how its library's bodies load: under
				      the limits it was loaded with */
	hs_item *items;
	size_t n_items;
	hs_node *nodes;            /* original nodes, one block */
	size_t n_nodes;
	hs_input *input_block;     /* inputs of original nodes, one block
				      (one entry at least: a node with no
				      input points into it too) */
	uint32_t *consumer_block;  /* consumers of original nodes, one block
				      (one entry at least) */
	hs_moved_lists input_lists;    /* lists edits moved: hs_node.inputs */
	hs_moved_lists consumer_lists; /* and hs_node.consumers */
	hs_name_index names;       /* name -> node */
	hs_node **new_nodes;       /* nodes added after loading */
	size_t n_new, cap_new;
	hs_placement *placements;  /* where each new node is written */
	size_t cap_placements;
	hs_key_table run_heads;    /* an original node's id -> the first new
				      node after it (graph.c) */
	hs_node *tail_new_first;   /* new nodes written at the very end */
	hs_node *tail_new_last;
	size_t live_count;
	uint64_t edits;            /* counts every edit: a plan made before
				      one no longer fits the graph */
	size_t n_dangling;         /* inputs of live nodes naming no node */
	int has_library;
	hs_str *args;              /* a FunctionDef scope's arguments
				      (signature.input_arg[].name), owned */
	size_t n_args, cap_args;
	uint32_t *tflite_ids;      /* original nodes with a `_tflite_`
				      attribute, in file order (the parse
				      records them: discovery reads these) */
	size_t n_tflite, cap_tflite;
	hs_arena edit_arena;       /* what edits add: new nodes, their text,
				      input lists, grown consumer lists and
				      attribute edits; freed with the graph */
	hs_text_space texts;       /* the text edits copied (hs_graph_intern_at),
				      in chunks of edit_arena: input texts
				      address it with 32 bits */
	int edges_forward;         /* the parse: every edge (but those leaving
				      a loop's back edge) runs from a node to
				      a later one (the file is in topological
				      order); verify.c trusts it */
	hs_op_table edit_keys;     /* attribute keys edits used, by id,
				      interned once (terminated): every
				      stub sets the same few */
	hs_attr_edit **shared_edits; /* recent shared attribute edits
				      (attr.c), from edit_arena */
	struct {                   /* the keys of one long edit list, by
				      key id (attr.c, put_edit): a set of a
				      new key need not walk the list */
		const hs_node_edit *rec; /* whose list, or NULL */
		uint64_t *bits;
		size_t words;
	} long_keys;
	hs_op_table ops;           /* the distinct ops of the nodes */
	uint32_t *inputs_edited;   /* ids of original nodes whose inputs an
				      edit changed, by first edit, in
				      edit_arena (graph_edit.c): verify.c
				      checks these, not every node */
	size_t n_inputs_edited, cap_inputs_edited;
	hs_node_edit *edit_blocks[HS_EDIT_BLOCKS]; /* the records of nodes
				      with edits (HS_NODE_F_EDIT_REC), in
				      blocks from edit_arena (hs_node_edit_of) */
	size_t n_edit_recs;
	uint32_t *edit_owners;     /* the node id of each record */
	size_t cap_edit_owners;
	uint32_t *new_edits;       /* a new node's record, by id - n_nodes */
	size_t cap_new_edits;
	hs_key_table original_edits; /* an original node's record, by its id
				      (few originals have one) */
};

#define HS_ANCHOR_TAIL UINT32_MAX

/* The largest message loaded: nodes keep 32-bit offsets into its bytes. */
#define HS_MAX_MESSAGE_SIZE ((uint64_t)UINT32_MAX)

/* The capacity of an owned input or consumer list of n entries: owned
 * lists are allocated at powers of two (at least 2), so the capacity
 * needs no field of its own (8 bytes less in every node).  A list that
 * shrank may be bigger than this says, never smaller. */
static inline uint32_t hs_list_cap(uint32_t n)
{
	uint64_t c = 2;
	while (c < n)
		c <<= 1;
	return c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

/* The room of a moved consumer list (flags, above), and the flags giving
 * room `cap` (rounded down to a power of two: never more than there is). */
static inline uint32_t hs_node_consumer_cap(const hs_node *n)
{
	return (uint32_t)1 << ((n->flags & HS_NODE_CONSUMER_CAP_MASK) >> HS_NODE_CONSUMER_CAP_SHIFT);
}

static inline uint32_t hs_consumer_cap_flags(uint32_t flags, uint32_t cap)
{
	uint32_t log2 = 31u - (uint32_t)__builtin_clz(cap); /* cap >= 1 */
	return (flags & ~HS_NODE_CONSUMER_CAP_MASK) | log2 << HS_NODE_CONSUMER_CAP_SHIFT;
}

/* Dense node ids for per-pass side arrays: every node of a graph, removed
 * or not, has an id below hs_graph_id_limit(g), stable for the graph's
 * life.  Passes keep their scratch in arrays indexed by id, never on the
 * node, so a const graph is only read. */
static inline uint32_t hs_node_id(const hs_node *n)
{
	/* An original node is where it is in the block: while loading, the
	 * index thread asks only between the block's moves (graph.c). */
	if (n->flags & HS_NODE_F_NEW)
		return n->new_id;
	return (uint32_t)(n - n->graph->nodes);
}

static inline size_t hs_graph_id_limit(const hs_graph *g)
{
	return g->n_nodes + g->n_new;
}

/* The bytes at offset `off` of g's texts: the file's (at most its size:
 * an empty text may end it), or a copy hs_graph_intern_at made. */
static inline const char *hs_text_at(const hs_graph *g, uint32_t off)
{
	if (off <= g->size)
		return (const char *)g->bytes + off;
	uint64_t rel = (uint64_t)off - g->size - 1;
	return g->texts.pages[rel >> HS_TEXT_PAGE_SHIFT] + (rel & HS_TEXT_PAGE_MASK);
}

/* Where the name starts, right after the varint of its length (NULL while
 * a node being parsed has none); also for a prefetch: hs_name_of reads the
 * length before it, a load that would wait for the line the prefetch
 * asks. */
static inline const char *hs_name_start(const hs_node *n)
{
	return n->name_off ? hs_text_at(n->graph, n->name_off) : NULL;
}

/* The node's name (a view that lives as long as the graph; empty while a
 * node being parsed has none). */
static inline hs_str hs_name_of(const hs_node *n)
{
	const char *p = hs_name_start(n);
	return p ? hs_prefixed_text(p) : (hs_str){ "", 0 };
}

/* What of a node's name hs_prefetch_name asks: from the length's varint
 * before it (one or two bytes for most names), a line or two. */
enum { HS_PREFETCH_NAME_BACK = 2, HS_PREFETCH_NAME_BYTES = 64 };

/* Prefetches the head of n's name by where it starts: asking its length
 * (hs_name_of) is a load that waits for the very line being prefetched,
 * and a loop of such prefetches runs at the speed of the misses. */
HS_PREFETCH_FN hs_prefetch_name(const hs_node *n)
{
	const char *p = hs_name_start(n);
	if (p)
		hs_prefetch_span(p - HS_PREFETCH_NAME_BACK, HS_PREFETCH_NAME_BYTES);
}

/* A node's name in a message (HS_NAME_ARG, error.h). */
#define HS_NODE_NAME_ARG(n) HS_NAME_ARG(hs_name_of(n))

/* The node's inputs (n->n_inputs of them): in the graph's block, or the
 * list an edit gave it. */
static inline hs_input *hs_node_inputs(const hs_node *n)
{
	const hs_graph *g = n->graph;
	if (n->flags & HS_NODE_F_MOVED_INPUTS)
		return g->input_lists.at[n->inputs];
	return g->input_block + n->inputs;
}

/* The readers' ids (n->n_consumers of them), one per input reading n. */
static inline uint32_t *hs_node_consumers(const hs_node *n)
{
	const hs_graph *g = n->graph;
	if (n->flags & HS_NODE_F_MOVED_CONSUMERS)
		return g->consumer_lists.at[n->consumers];
	return g->consumer_block + n->consumers;
}

/* Edit record i's block, and its index there. */
static inline unsigned hs_edit_block(uint32_t i, uint32_t *at)
{
	uint64_t j = (uint64_t)i + HS_EDIT_BLOCK0;
	unsigned k = 63u - (unsigned)__builtin_clzll(j) - 4u; /* 16 = 1 << 4 */
	*at = (uint32_t)(j - ((uint64_t)HS_EDIT_BLOCK0 << k));
	return k;
}

/* The index of an original node's edit record (it has one: graph.c). */
uint32_t hs_graph_original_edit(const hs_graph *g, uint32_t id);

/* The record of a node with edited attributes or device, NULL for any
 * other.  Records do not move: the pointer stays good for the graph's
 * life. */
static inline hs_node_edit *hs_node_edit_of(const hs_node *n)
{
	if (!(n->flags & HS_NODE_F_EDIT_REC))
		return NULL;
	const hs_graph *g = n->graph;
	uint32_t id = hs_node_id(n), at;
	uint32_t r = (n->flags & HS_NODE_F_NEW) ? g->new_edits[id - g->n_nodes]
		     : hs_graph_original_edit(g, id);
	unsigned k = hs_edit_block(r, &at);
	return &g->edit_blocks[k][at];
}

/* The node's op (a view that lives as long as the graph). */
static inline hs_str hs_op_of(const hs_node *n)
{
	return n->graph->ops.names[n->op];
}

/* The id of op in g's table, added when new (op_table.c).  The table
 * keeps a view of op's bytes: they must live as long as the graph. */
int hs_op_intern(uint32_t *id, hs_graph *g, hs_str op);
/* A live node got op id (+1) or lost it (-1): it was added, removed, or
 * its op changed.  Ids come from hs_op_intern, so the count exists. */
static inline void hs_op_count(hs_graph *g, uint32_t id, int delta)
{
	g->ops.live[id] += (uint32_t)delta;
}

/* 1 and *id when op is in g's table, 0 when not. */
int hs_op_find(const hs_graph *g, hs_str op, uint32_t *id);
/* Makes the table with its id 0 (""); frees it. */
int hs_op_table_init(hs_graph *g);
void hs_op_table_free(hs_graph *g);
/* The same for any table of distinct strings (the edit keys): the id of
 * s, added when new (the table keeps the view: s must live as long as
 * the table); 1 and *id when s is there, 0 when not; frees it. */
int hs_string_intern(uint32_t *id, hs_op_table *t, hs_str s);
int hs_string_find(const hs_op_table *t, hs_str s, uint32_t *id);
void hs_string_table_free(hs_op_table *t);

/* The node's record, made on first use (graph.c). */
int hs_node_edit_get(hs_node_edit **out, hs_node *n);

static inline hs_attr_edit *hs_node_attr_edits(const hs_node *n)
{
	hs_node_edit *e = hs_node_edit_of(n);
	return e ? e->attr_edits : NULL;
}

/* A node's edits in key order, with their places in its list: lists are
 * in no order (attr.c), so what reads them in order (the writer,
 * hs_attr_iter) takes them from this.  A short list is walked for the next
 * key at each step, a long one (a copy of a node with many attributes)
 * sorted once.  init: HS_ENOMEM only. */
typedef struct hs_edit_at {
	const hs_attr_edit *e;
	size_t pos;
} hs_edit_at;
typedef struct hs_edit_walk {
	const hs_node *n;
	const hs_attr_edit *last;  /* a short list: the edit given last */
	hs_edit_at *sorted;        /* a long list: all of it, in key order */
	size_t n_sorted, next;
} hs_edit_walk;
int hs_edit_walk_init(hs_edit_walk *w, const hs_node *n);
const hs_attr_edit *hs_edit_walk_next(hs_edit_walk *w, size_t *pos);
void hs_edit_walk_free(hs_edit_walk *w);

/* An attribute edit's key (terminated), whether it removes the key, and
 * its encoded value (empty when removed). */
static inline hs_str hs_attr_edit_key(const hs_graph *g, const hs_attr_edit *e)
{
	return g->edit_keys.names[e->key >> HS_ATTR_EDIT_KEY_SHIFT];
}

static inline int hs_attr_edit_removed(const hs_attr_edit *e)
{
	return (e->key & HS_ATTR_EDIT_REMOVED) != 0;
}

static inline hs_str hs_attr_edit_value(const hs_attr_edit *e)
{
	return (hs_str){ (const char *)e->value, e->value_len };
}

/* The first new node written after original node `id`, NULL when none
 * (graph.c); makes it `first` (which the table must have room for: after
 * hs_graph_run_reserve). */
hs_node *hs_graph_run_head(const hs_graph *g, uint32_t id);
int hs_graph_run_reserve(hs_graph *g);
void hs_graph_set_run_head(hs_graph *g, hs_node *anchor, const hs_node *first);

static inline hs_placement *hs_node_placement(const hs_node *n)
{
	return &n->graph->placements[n->new_id - n->graph->n_nodes];
}

/* The new node written right after n, NULL when none. */
static inline hs_node *hs_node_next_new(const hs_node *n)
{
	const hs_graph *g = n->graph;
	if (n->flags & HS_NODE_F_NEW) {
		uint32_t next = hs_node_placement(n)->next;
		return next ? g->new_nodes[next - 1 - g->n_nodes] : NULL;
	}
	return (n->flags & HS_NODE_F_RUN) ? hs_graph_run_head(g, hs_node_id(n)) : NULL;
}

/* A new node's anchor: the id of the original node its run follows,
 * HS_ANCHOR_TAIL for the end. */
static inline uint32_t hs_node_anchor(const hs_node *n)
{
	return hs_node_placement(n)->anchor;
}

/* The whole GraphDef.node field of an original node, NULL for a new one. */
static inline const uint8_t *hs_node_field(const hs_node *n)
{
	return (n->flags & HS_NODE_F_NEW) ? NULL : n->graph->bytes + n->field_off;
}

/* The field's head (tag and length varints, checked at load): its size
 * and the body's length. */
static inline uint32_t hs_node_field_head(const hs_node *n, uint32_t *body_len)
{
	const uint8_t *start = hs_node_field(n), *p = start;
	const uint8_t *end = n->graph->bytes + n->graph->size;
	uint64_t v = 0;
	*body_len = 0;
	if (!p)
		return 0;
	hs_wire_varint(&v, &p, end);
	hs_wire_varint(&v, &p, end);
	*body_len = (uint32_t)v;
	return (uint32_t)(p - start);
}

static inline uint32_t hs_node_body_len(const hs_node *n)
{
	uint32_t len;
	hs_node_field_head(n, &len);
	return len;
}

static inline uint32_t hs_node_field_len(const hs_node *n)
{
	uint32_t len, head = hs_node_field_head(n, &len);
	return head + len;
}

/* The NodeDef bytes of an original node, NULL for a new one (*len 0). */
static inline const uint8_t *hs_node_body_span(const hs_node *n, uint32_t *len)
{
	uint32_t head = hs_node_field_head(n, len);
	return (n->flags & HS_NODE_F_NEW) ? NULL : hs_node_field(n) + head;
}

static inline const uint8_t *hs_node_body(const hs_node *n)
{
	uint32_t len;
	return hs_node_body_span(n, &len);
}

/* The offset of text p, which is in g's bytes or a copy hs_graph_intern_at
 * made (graph_edit.c); 0 when it is neither. */
int hs_graph_text_offset(const hs_graph *g, const char *p, uint32_t *off);

static inline hs_str hs_input_text(const hs_graph *g, const hs_input *in)
{
	return hs_prefixed_text(hs_text_at(g, in->text));
}

/* The port of an input, read from its text as binding reads it (one
 * parse, graph.c): -1 for a control input, the index within the
 * producer's output arg in a FunctionDef scope, 0 for a text of neither
 * syntax.  Not stored: 4 bytes an edge. */
int hs_input_port(const hs_graph *g, const hs_input *in);

static inline int hs_node_input_port(const hs_node *n, uint32_t k)
{
	return hs_input_port(n->graph, &hs_node_inputs(n)[k]);
}

/* The producer of an input of a node of g, NULL when it names no node. */
static inline hs_node *hs_input_src(const hs_graph *g, const hs_input *in)
{
	uint32_t id = in->src - 1;
	if (!in->src)
		return NULL;
	return id < g->n_nodes ? &g->nodes[id] : g->new_nodes[id - g->n_nodes];
}

/* The producer's id of an input that has one (in->src != 0). */
static inline uint32_t hs_input_src_id(const hs_input *in) { return in->src - 1; }

static inline hs_node *hs_node_input_src(const hs_node *n, uint32_t k)
{
	return hs_input_src(n->graph, &hs_node_inputs(n)[k]);
}

/* Reader k of n (k < n->n_consumers). */
static inline hs_node *hs_node_consumer_at(const hs_node *n, uint32_t k)
{
	const hs_graph *g = n->graph;
	uint32_t id = hs_node_consumers(n)[k];
	return id < g->n_nodes ? &g->nodes[id] : g->new_nodes[id - g->n_nodes];
}

static inline void hs_input_set_src(hs_input *in, const hs_node *src)
{
	in->src = src ? hs_node_id(src) + 1 : 0;
}

/* The node with id `id` (< hs_graph_id_limit): a mutable graph gives its
 * nodes mutably, with no cast from a const node. */
static inline hs_node *hs_graph_node_by_id(hs_graph *g, uint32_t id)
{
	return id < g->n_nodes ? &g->nodes[id] : g->new_nodes[id - g->n_nodes];
}

/* The same for a reader of a const graph. */
static inline const hs_node *hs_graph_node_at(const hs_graph *g, uint32_t id)
{
	return id < g->n_nodes ? &g->nodes[id] : g->new_nodes[id - g->n_nodes];
}

/* hs_graph_verify for a graph that verified whole before it was edited:
 * checks only what the edits since can have broken (verify.c).  Agrees
 * with hs_graph_verify on such a graph; on any other it may miss what was
 * wrong before the edits. */
int hs_graph_verify_changes(const hs_graph *g);

/* Whether [p, p + len) lies in the graph's own bytes, which live as long
 * as the graph and never move (edits keep theirs apart): a view of them
 * needs no copy for as long as the graph lives (the call set's strings). */
static inline int hs_graph_holds_bytes(const hs_graph *g, const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p, lo = (uintptr_t)g->bytes;
	return g->bytes && a >= lo && len <= g->size && a - lo <= g->size - len;
}

/* The back edge of a TF1 loop (NextIteration -> Merge): cycle checks skip
 * edges leaving such a node. */
static inline int hs_node_is_back_edge(const hs_node *src)
{
	return hs_str_eq(hs_op_of(src), "NextIteration") ||
	       hs_str_eq(hs_op_of(src), "RefNextIteration");
}

/* Walks the output order including removed nodes (NULL: the first). */
hs_node *hs_graph_order_next(const hs_graph *g, const hs_node *prev);
/* The nodes that may be OpHint identities (a `_tflite_` attribute or
 * edited attributes), live ones in hs_graph_next_node order: from the
 * list the parse recorded while the graph is as loaded, by a walk of
 * every node once it was edited.  Start with a zeroed cursor. */
typedef struct hs_node_cursor {
	size_t i;
	hs_node *at;
} hs_node_cursor;
hs_node *hs_graph_next_marked(const hs_graph *g, hs_node_cursor *c);
/* Copies text into storage owned by the graph (NUL-terminated) and gives
 * the copy and its offset (an input's text field; off may be NULL).  The
 * copy follows a 0 byte and the varint of its length, so that any copy can
 * be an input's text (hs_input_text), as can any string field of the file;
 * it lives in g->texts.  HS_ENOMEM or HS_ELIMIT (out of 32-bit offsets),
 * with a message, on failure: the edits that copy text return its code, a
 * full space is no lack of memory. */
int hs_graph_intern_at(const char **copy, uint32_t *off, hs_graph *g, hs_str text);
/* hs_graph_add_node with a name of any bytes but NUL (its length given):
 * a view of the graph's own bytes that can be an input's text (a string
 * field's whole payload, such as a call's uuid) is kept as the name, with
 * no copy; any other name is copied. */
int hs_graph_add_node_named(hs_node **out, hs_graph *g, hs_str name,
			    const char *op, const hs_node *after);
/* hs_node_set_attr_s for a value that may be a view of the graph's own
 * bytes: when it is a string field 2's payload there (a hint's uuid
 * attribute, the AttrValue {s: value} itself), the edit keeps those bytes
 * as its value, no copy; any other value is copied. */
int hs_node_set_attr_s_view(hs_node *n, const char *key, hs_str value);
/* An input given by its producer: port -1 is a control input. */
typedef struct hs_output_ref {
	hs_node *node;
	int port;
} hs_output_ref;
/* hs_node_set_inputs for a caller that holds the producers: each input
 * is bound to its node with no name looked up, its text the producer's
 * name (with ":port" or "^" as TensorFlow writes them).  The same result
 * as hs_node_set_inputs with those texts. */
int hs_node_set_inputs_to(hs_node *n, const hs_output_ref *srcs, size_t count);
/* Removes every node of nodes[0..count) (removed ones are skipped) in
 * time linear in their edges: producers forget them, readers' inputs
 * naming them dangle.  Fails only on a node of another graph, before
 * changing anything (short of memory it falls back to a slower way that
 * needs none). */
int hs_graph_remove_nodes(hs_graph *g, hs_node *const *nodes, size_t count);
/* Consumer list upkeep used by edits. */
int hs_node_consumer_add(hs_node *producer, hs_node *consumer);
void hs_node_consumer_remove(hs_node *producer, hs_node *consumer);
/* Parses input text and binds it to its producer. */
void hs_input_bind(hs_graph *g, hs_input *in);
/* Encodes a NodeDef for a new or edited node into b (body only). */
void hs_node_encode(hs_buf *b, const hs_node *n);
/* Finds the encoded AttrValue of `key` in a node's original bytes. */
int hs_node_find_raw_attr(hs_str *value, const hs_node *n, const char *key,
			  size_t key_len);
/* Decodes an encoded AttrValue. */
int hs_attr_decode(hs_attr *out, const uint8_t *data, size_t len);
/* Refuses an hs_load_options of a version this library does not know (a
 * struct whose fields it cannot read); NULL is fine.  graph.c, for every
 * loader. */
int hs_load_options_check(const hs_load_options *o);
/* Loads a graph from bytes it takes ownership of (freed on failure too);
 * label names it in errors.  graph.c; io.c reads files into it. */
int hs_graph_load_owned(hs_graph **out, uint8_t *bytes, size_t size,
			const char *label, const hs_load_options *opts);
/* Loads the node list of any container message: `bytes` is the message
 * body (e.g. one FunctionDef in its graph's bytes), borrowed: it must
 * outlive the scope (a body is a view of its graph, not a copy).  The result is an hs_graph: every graph function works on
 * it, and writing it gives the message back. */
int hs_scope_load(hs_graph **out, const hs_container *c, const uint8_t *bytes,
		  size_t size, const char *label, const hs_load_options *opts);
/* hs_graph_load_owned for the read-only mapping of a file (io.c):
 * unmapped on failure or by hs_graph_free; text is converted to binary
 * bytes of its own and unmapped at once. */
int hs_graph_load_mapped(hs_graph **out, uint8_t *map, size_t size,
			 const char *label, const hs_load_options *opts);
/* The position of argument `name` in a FunctionDef scope's signature,
 * -1 when it is none (or the scope has no signature).  Inputs naming an
 * argument read from outside the scope: they have no producer node. */
long hs_scope_find_arg(const hs_graph *g, hs_str name);
/* True when input text reads an argument of g (a FunctionDef scope): a
 * bare name ("x") of the signature.  Such an input never names a node,
 * even one of the same name: node outputs are written node:out_arg:i. */
int hs_scope_reads_arg(const hs_graph *g, hs_str text);
/* hs_parse_input with the reason of a refusal written to why (no
 * message set): graph.c. */
int hs_input_parse_why(hs_str *name_out, int *port_out, hs_str in, char *why,
		       size_t why_size);
/* Parses input text in the syntax of g's container: the producer's name
 * and port (GraphDef) or output-arg index (FunctionDef); -1 for control. */
static inline int hs_scope_parse_input(const hs_graph *g, hs_str *name,
				       int *port, hs_str text)
{
	if (g->container->function_inputs)
		return hs_parse_function_input(name, NULL, port, text);
	return hs_parse_input(name, port, text);
}
/* Writes the whole graph into a sink.  graph_write.c; io.c writes files
 * with it. */
struct hs_sink;
int hs_graph_serialize(const hs_graph *g, struct hs_sink *s);
/* Finds several attributes in one pass over the node (plugins copying a
 * handful of attributes): raw[i] gets key i's encoded value, found[i]
 * whether it exists.  Edits are honoured. */
void hs_node_find_raw_attrs(hs_str *raw, int *found, const hs_node *n,
			    const char *const *keys, size_t n_keys);

#endif
