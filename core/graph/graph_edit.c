/* Editing a loaded graph while keeping the name index and the consumer
 * lists consistent. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "grow.h"
#include "graph_internal.h"

/* The first offset past the texts' 32-bit space: 2^32, unless a test set
 * it lower. */
static uint64_t text_end(hs_graph *g)
{
	hs_text_space *t = &g->texts;
	if (!t->end)
		t->end = (uint64_t)1 << 32;
	return t->end;
}

/* Keeps the chunks in address order: a copy's pointer finds its offset. */
static int text_note_chunk(hs_text_space *t, const char *start, uint32_t first,
			   uint32_t n_pages)
{
	if (hs_grow((void **)&t->chunks, &t->cap_chunks, t->n_chunks + 1,
		    sizeof *t->chunks, 16))
		return HS_ENOMEM;
	size_t i = t->n_chunks;
	while (i && (uintptr_t)t->chunks[i - 1].start > (uintptr_t)start)
		i--;
	memmove(&t->chunks[i + 1], &t->chunks[i], (t->n_chunks - i) * sizeof *t->chunks);
	t->chunks[i] = (hs_text_chunk){ start, first, n_pages };
	t->n_chunks++;
	return HS_OK;
}

/* A new chunk with room for `need` bytes, its pages past the last (the
 * offsets stay below the space's end): 4 KiB doubling to 1 MiB as the
 * arena's chunks, or the copy's own size when larger. */
static int text_new_chunk(hs_graph *g, size_t need)
{
	hs_text_space *t = &g->texts;
	uint64_t end = text_end(g), base = (uint64_t)g->size + 1;
	uint64_t room = end > base ? (end - base) >> HS_TEXT_PAGE_SHIFT : 0;
	uint64_t free_pages = room > t->n_pages ? room - t->n_pages : 0;
	uint64_t pages = (uint64_t)1 << (t->n_chunks < 8 ? t->n_chunks : 8);
	uint64_t least = ((uint64_t)need + HS_TEXT_PAGE_MASK) >> HS_TEXT_PAGE_SHIFT;
	if (least > free_pages)
		return hs_fail(HS_ELIMIT, "the edits' text outgrew the 4 GiB that inputs address (%zu bytes of the file, %llu of copies)",
			       g->size, (unsigned long long)t->n_pages << HS_TEXT_PAGE_SHIFT);
	if (pages < least)
		pages = least;
	if (pages > free_pages)
		pages = free_pages;
	if (hs_grow((void **)&t->pages, &t->cap_pages, t->n_pages + pages,
		    sizeof *t->pages, 64))
		return HS_ENOMEM;
	char *chunk = hs_arena_alloc(&g->edit_arena, (size_t)pages << HS_TEXT_PAGE_SHIFT);
	if (!chunk)
		return HS_ENOMEM;
	int rc = text_note_chunk(t, chunk, (uint32_t)t->n_pages, (uint32_t)pages);
	if (rc)
		return rc;
	for (uint64_t i = 0; i < pages; i++)
		t->pages[t->n_pages + i] = chunk + (i << HS_TEXT_PAGE_SHIFT);
	t->next = chunk;
	t->left = (size_t)pages << HS_TEXT_PAGE_SHIFT;
	t->next_off = base + ((uint64_t)t->n_pages << HS_TEXT_PAGE_SHIFT);
	t->n_pages += pages;
	return HS_OK;
}

int hs_graph_intern_at(const char **out, uint32_t *off, hs_graph *g, hs_str text)
{
	/* A 0 and the length's varint first: any copy can be an input's
	 * text (hs_input_text reads the length back from before it). */
	uint8_t head[1 + HS_VARINT_MAX];
	size_t head_len = 1 + hs_varint_encode(head + 1, text.len);
	head[0] = 0;
	hs_text_space *t = &g->texts;
	if (text.len > SIZE_MAX - head_len - 1)
		return hs_fail(HS_ENOMEM, "out of memory");
	size_t need = head_len + text.len + 1;
	int rc = t->left < need ? text_new_chunk(g, need) : HS_OK;
	if (rc)
		return rc;
	char *copy = t->next;
	memcpy(copy, head, head_len);
	memcpy(copy + head_len, text.ptr, text.len);
	copy[head_len + text.len] = '\0';
	*out = copy + head_len;
	if (off)
		*off = (uint32_t)(t->next_off + head_len);
	t->next += need;
	t->left -= need;
	t->next_off += need;
	return HS_OK;
}

int hs_graph_text_offset(const hs_graph *g, const char *p, uint32_t *off)
{
	const hs_text_space *t = &g->texts;
	uintptr_t a = (uintptr_t)p, lo_bytes = (uintptr_t)g->bytes;
	if (g->bytes && a >= lo_bytes && a - lo_bytes <= g->size) {
		*off = (uint32_t)(a - lo_bytes);
		return 1;
	}
	size_t lo = 0, hi = t->n_chunks; /* the last chunk starting at or before p */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((uintptr_t)t->chunks[mid].start <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return 0;
	const hs_text_chunk *c = &t->chunks[lo - 1];
	size_t at = (size_t)(a - (uintptr_t)c->start);
	if (at >= (size_t)c->n_pages << HS_TEXT_PAGE_SHIFT)
		return 0;
	*off = (uint32_t)((uint64_t)g->size + 1 + ((uint64_t)c->first << HS_TEXT_PAGE_SHIFT) + at);
	return 1;
}

/* The id of an edit's op, its text copied into the graph when new. */
static int edit_op_id(uint32_t *id, hs_graph *g, const char *op)
{
	hs_str o = { op, strlen(op) };
	if (hs_op_find(g, o, id))
		return HS_OK;
	int rc = hs_graph_intern_at(&o.ptr, NULL, g, o);
	return rc ? rc : hs_op_intern(id, g, o);
}

/* Room for one more list in a table of moved lists: a node's first move
 * takes a slot, which it keeps. */
static int moved_reserve(hs_moved_lists *t)
{
	return hs_grow((void **)&t->at, &t->cap, t->n + 1, sizeof *t->at, 64);
}

/* Points a node's list (its offset field *off; `had` when the list had
 * moved before) at p, in the slot moved_reserve made room for.  One slot
 * a node at most: fewer than 2^32. */
static void moved_set(hs_moved_lists *t, uint32_t *off, int had, void *p)
{
	if (!had)
		*off = (uint32_t)t->n++;
	t->at[*off] = p;
}

/* A list in the shared block that lost a reader keeps the entry it
 * freed: the next reader added takes it (hs_node_consumer_add). */
static void keep_freed_entry(hs_node *producer)
{
	if (!(producer->flags & HS_NODE_F_MOVED_CONSUMERS))
		producer->flags |= HS_NODE_F_CONSUMER_ROOM;
}

int hs_node_consumer_add(hs_node *producer, hs_node *consumer)
{
	uint32_t n = producer->n_consumers;
	uint32_t own = HS_NODE_F_OWNS_CONSUMERS | HS_NODE_F_ARENA_CONSUMERS;
	int moved = !!(producer->flags & own);
	int room = !moved && (producer->flags & HS_NODE_F_CONSUMER_ROOM);
	producer->flags &= ~(uint32_t)HS_NODE_F_CONSUMER_ROOM; /* taken or moved */
	if (!room && (!moved || n >= hs_node_consumer_cap(producer))) {
		/* First growth moves the list out of the shared block. */
		if (n == UINT32_MAX)
			return hs_fail(HS_ELIMIT, "node '%.*s' is read by more than %u inputs",
				       HS_NAME_ARG(hs_name_of(producer)), UINT32_MAX);
		/* From the graph's edit arena: no allocation of its own for
		 * the many lists a conversion grows by one or two readers;
		 * an outgrown one stays there, the lists double. */
		hs_moved_lists *t = &producer->graph->consumer_lists;
		if (!moved && moved_reserve(t))
			return HS_ENOMEM;
		uint32_t cap = hs_list_cap(n + 1);
		uint32_t *p = hs_arena_alloc(&producer->graph->edit_arena, cap * sizeof *p);
		if (!p)
			return HS_ENOMEM;
		if (producer->n_consumers)
			memcpy(p, hs_node_consumers(producer),
			       producer->n_consumers * sizeof *p);
		if (producer->flags & HS_NODE_F_OWNS_CONSUMERS)
			free(hs_node_consumers(producer));
		moved_set(t, &producer->consumers, moved, p);
		producer->flags = hs_consumer_cap_flags((producer->flags & ~own) |
						       HS_NODE_F_ARENA_CONSUMERS, cap);
	}
	hs_node_consumers(producer)[producer->n_consumers++] = hs_node_id(consumer);
	return HS_OK;
}

void hs_node_consumer_remove(hs_node *producer, hs_node *consumer)
{
	/* One entry per reading input: remove a single one.  From the end:
	 * a node reading the producer many times (an AddN of one tensor)
	 * sits at the end after its own additions, so unbinding it costs
	 * its own entries, not the whole list each time. */
	uint32_t *ids = hs_node_consumers(producer);
	for (uint32_t i = producer->n_consumers; i-- > 0;) {
		if (ids[i] == hs_node_id(consumer)) {
			memmove(&ids[i], &ids[i + 1],
				(producer->n_consumers - i - 1) * sizeof *ids);
			producer->n_consumers--;
			keep_freed_entry(producer);
			return;
		}
	}
}

/* Inputs whose text names `n` but which point at nothing (their producer
 * was removed, or they were set before `n` existed) now read `n`, as the
 * written graph will.  Only runs while some input dangles, which the
 * conversion pass never leaves between two additions. */
static int bind_dangling_readers(hs_graph *g, hs_node *n)
{
	if (!g->n_dangling)
		return HS_OK;
	size_t matches = 0;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			if (!matches)
				break;
			if (moved_reserve(&g->consumer_lists))
				return HS_ENOMEM;
			uint32_t cap = hs_list_cap((uint32_t)matches);
			uint32_t *ids = malloc(cap * sizeof *ids);
			if (!ids)
				return hs_fail(HS_ENOMEM, "out of memory");
			/* n is new: its list never moved before. */
			moved_set(&g->consumer_lists, &n->consumers, 0, ids);
			n->flags = hs_consumer_cap_flags(n->flags | HS_NODE_F_OWNS_CONSUMERS, cap);
		}
		for (hs_node *r = hs_graph_next_node(g, NULL); r;
		     r = hs_graph_next_node(g, r)) {
			for (uint32_t k = 0; k < r->n_inputs; k++) {
				hs_input *in = &hs_node_inputs(r)[k];
				hs_str name;
				if (in->src || hs_scope_reads_arg(g, hs_input_text(g, in)))
					continue;
				if (hs_scope_parse_input(g, &name, NULL, hs_input_text(g, in)) != HS_OK ||
				    name.len != hs_name_of(n).len ||
				    memcmp(name.ptr, hs_name_of(n).ptr, name.len) != 0)
					continue;
				if (pass == 0) {
					matches++;
					continue;
				}
				hs_input_set_src(in, n);
				hs_node_consumers(n)[n->n_consumers++] = hs_node_id(r);
				g->n_dangling--;
			}
		}
	}
	return HS_OK;
}

static int check_name(const char *s, const char *what)
{
	if (!s || !*s)
		return hs_fail(HS_EINVAL, "%s must not be empty", what);
	return HS_OK;
}

/* A name is kept as a 32-bit offset into the graph's texts, its length the
 * varint before it: no name of a file is 4 GiB or longer (a NodeDef field
 * is less), and a longer one is refused here, never cut. */
static int check_name_len(hs_str name)
{
	if (name.len > UINT32_MAX)
		return hs_fail(HS_EINVAL, "node name of %zu bytes is too long (at most %u bytes)",
			       name.len, UINT32_MAX);
	return HS_OK;
}

/* Whether text of the graph's own bytes can name a node as it is: it is a
 * string field's whole payload, so that the varint before it gives its
 * length and it can be an input's text too (hs_input_text), and it stays
 * as long as the graph.  A stub named after its uuid, a view of a hint's
 * attribute, needs no copy then. */
static int is_field_text(const hs_graph *g, hs_str s)
{
	const uint8_t *start = (const uint8_t *)s.ptr, *p = start - 1;
	if (!s.len || !hs_graph_holds_bytes(g, s.ptr, s.len) || start - g->bytes < 2 ||
	    (*p & 0x80))
		return 0;
	/* Back over the varint's earlier bytes (top bit set) to the byte
	 * ending the tag, as hs_input_text reads it, inside the bytes. */
	for (int k = 1; p[-1] & 0x80; k++, p--)
		if (k == HS_VARINT_MAX || p - 1 == g->bytes)
			return 0;
	uint64_t len = 0;
	return hs_wire_varint(&len, &p, start) == HS_WIRE_OK && p == start && len == s.len;
}

/* Places new node n right after a (NULL: at the very end). */
static void link_new(hs_graph *g, hs_node *n, hs_node *a)
{
	hs_placement *p = hs_node_placement(n);
	if (!a) {
		if (g->tail_new_last)
			hs_node_placement(g->tail_new_last)->next = hs_node_id(n) + 1;
		else
			g->tail_new_first = n;
		g->tail_new_last = n;
		return;
	}
	if (a->flags & HS_NODE_F_NEW) {
		*p = *hs_node_placement(a);
		hs_node_placement(a)->next = hs_node_id(n) + 1;
	} else {
		hs_node *head = hs_node_next_new(a);
		*p = (hs_placement){ head ? hs_node_id(head) + 1 : 0, hs_node_id(a) };
		hs_graph_set_run_head(g, a, n);
	}
	if (p->anchor == HS_ANCHOR_TAIL && g->tail_new_last == a)
		g->tail_new_last = n;
}

static int add_node(hs_node **out, hs_graph *g, hs_str name, const char *op,
		    const hs_node *after)
{
	int rc;
	if (out)
		*out = NULL;
	if ((rc = check_name(name.len ? name.ptr : NULL, "node name")) ||
	    (rc = check_name_len(name)) || (rc = check_name(op, "op")))
		return rc;
	if (after && after->graph != g)
		return hs_fail(HS_EINVAL, "node '%.*s': anchor node does not belong to this graph",
			       HS_NAME_ARG(name));
	if (hs_graph_find_node(g, name.ptr, name.len))
		return hs_fail(HS_EEXISTS, "a node named '%.*s' already exists", HS_NAME_ARG(name));
	int grc = hs_grow((void **)&g->new_nodes, &g->cap_new, g->n_new + 1,
			  sizeof *g->new_nodes, 64);
	if (!grc)
		grc = hs_grow((void **)&g->placements, &g->cap_placements, g->n_new + 1,
			      sizeof *g->placements, 64);
	if (!grc)
		grc = hs_grow((void **)&g->new_edits, &g->cap_new_edits, g->n_new + 1,
			      sizeof *g->new_edits, 64);
	if (grc)
		return grc;
	hs_node *n = hs_arena_alloc(&g->edit_arena, sizeof *n);
	if (!n)
		return HS_ENOMEM;
	/* Its length before it: < 4 GiB (check_name_len). */
	const char *copy;
	if (is_field_text(g, name))
		n->name_off = (uint32_t)((const uint8_t *)name.ptr - g->bytes);
	else if ((rc = hs_graph_intern_at(&copy, &n->name_off, g, name)))
		return rc;
	if ((rc = edit_op_id(&n->op, g, op)))
		return rc;
	n->graph = g;
	n->new_id = (uint32_t)(g->n_nodes + g->n_new);
	n->flags = HS_NODE_F_NEW;
	/* n stays unreachable on failure: the arena frees it. */
	/* `after` is const to the caller; it is changed through g. */
	hs_node *a = after ? hs_graph_node_by_id(g, hs_node_id(after)) : NULL;
	if (a && !(a->flags & HS_NODE_F_NEW) && (rc = hs_graph_run_reserve(g)) != HS_OK)
		return rc;
	g->placements[g->n_new] = (hs_placement){ 0, HS_ANCHOR_TAIL };
	g->new_nodes[g->n_new++] = n;
	/* Indexed before it is linked: a failure leaves only an unreachable
	 * entry in new_nodes, which hs_graph_free releases. */
	if ((rc = hs_name_index_add(g, n, NULL)) != HS_OK) {
		n->flags |= HS_NODE_F_REMOVED;
		return rc == HS_EEXISTS ? hs_fail(HS_EEXISTS, "a node named '%.*s' already exists",
						  HS_NAME_ARG(name)) : rc;
	}
	if ((rc = bind_dangling_readers(g, n)) != HS_OK) {
		hs_name_index_remove(g, n);
		n->flags |= HS_NODE_F_REMOVED;
		return rc;
	}
	link_new(g, n, a);
	g->live_count++;
	hs_op_count(g, n->op, 1);
	g->edits++;
	if (out)
		*out = n;
	return HS_OK;
}

int hs_graph_add_node(hs_node **out, hs_graph *g, const char *name,
		      const char *op, const hs_node *after)
{
	hs_str nm = { name, name ? strlen(name) : 0 };
	return add_node(out, g, nm, op, after);
}

int hs_graph_add_node_named(hs_node **out, hs_graph *g, hs_str name,
			    const char *op, const hs_node *after)
{
	int rc = check_name_len(name);
	if (rc)
		return rc; /* before a scan of so many bytes */
	if (name.len && memchr(name.ptr, '\0', name.len))
		return hs_fail(HS_EINVAL, "node name '%.*s' contains a NUL byte", HS_NAME_ARG(name));
	return add_node(out, g, name, op, after);
}

/* The node lets go of its inputs (before they are replaced or the node
 * goes): producers forget it, and its dangling inputs stop counting. */
static void unbind_inputs(hs_node *n)
{
	for (uint32_t i = 0; i < n->n_inputs; i++) {
		if (hs_node_input_src(n, i))
			hs_node_consumer_remove(hs_node_input_src(n, i), n);
		else
			n->graph->n_dangling--;
	}
}

/* One node, allocating nothing: each reader's inputs are scanned once per
 * entry, quadratic in a reader reading the node many times. */
static void remove_without_memory(hs_graph *g, hs_node *n)
{
	if (n->flags & HS_NODE_F_REMOVED)
		return;
	unbind_inputs(n);
	for (uint32_t i = 0; i < n->n_consumers; i++) {
		hs_node *c = hs_node_consumer_at(n, i);
		for (uint32_t k = 0; k < c->n_inputs; k++)
			if (hs_node_input_src(c, k) == n) {
				hs_node_inputs(c)[k].src = 0;
				g->n_dangling++;
			}
	}
	n->n_consumers = 0;
	hs_name_index_remove(g, n);
	n->flags |= HS_NODE_F_REMOVED;
	g->live_count--;
	hs_op_count(g, n->op, -1);
	g->edits++;
}

/* Removing a batch of nodes in time linear in their edges: each producer
 * and each reader they touch is visited once, whatever the number of
 * edges between them (one AddN reading a node 100,000 times, 200,000
 * parallel nodes reading one tensor).  The HS_NODE_F_VISIT bit marks
 * the producers and readers already collected; it is clear again when
 * the function returns. */
typedef struct touched {
	hs_node **v;
	size_t n;
} touched;

static void touch(touched *t, hs_node *x)
{
	if (x->flags & (HS_NODE_F_VISIT | HS_NODE_F_REMOVED))
		return;
	x->flags |= HS_NODE_F_VISIT;
	t->v[t->n++] = x;
}

/* Drops every consumer entry of p whose node is removed. */
static void drop_removed_consumers(hs_node *p)
{
	uint32_t k = 0, *ids = hs_node_consumers(p);
	for (uint32_t i = 0; i < p->n_consumers; i++)
		if (!(hs_node_consumer_at(p, i)->flags & HS_NODE_F_REMOVED))
			ids[k++] = ids[i];
	if (k < p->n_consumers)
		keep_freed_entry(p);
	p->n_consumers = k;
}

/* Readers keep their text; they point at nothing now (a node added
 * later under the same name takes them over). */
static void unbind_removed_sources(hs_graph *g, hs_node *r)
{
	for (uint32_t k = 0; k < r->n_inputs; k++) {
		hs_node *s = hs_node_input_src(r, k);
		if (s && (s->flags & HS_NODE_F_REMOVED)) {
			hs_node_inputs(r)[k].src = 0;
			g->n_dangling++;
		}
	}
}

int hs_graph_remove_nodes(hs_graph *g, hs_node *const *nodes, size_t count)
{
	size_t edges = 0;
	for (size_t i = 0; i < count; i++) {
		hs_node *n = nodes[i];
		if (!n || n->graph != g)
			return hs_fail(HS_EINVAL, "node does not belong to this graph");
		if (!(n->flags & HS_NODE_F_REMOVED)) {
			edges += (size_t)n->n_inputs + n->n_consumers;
			__builtin_prefetch(hs_name_start(n));
		}
	}
	/* A call's region (a few nodes, a few edges each) needs no
	 * allocation. */
	hs_node *small[64];
	touched t = { edges <= 64 ? small : malloc(edges * sizeof *t.v), 0 };
	if (!t.v) {
		/* No memory for the linear way: the slow one needs none, so a
		 * removal (and a rollback) never fails half-way. */
		for (size_t i = 0; i < count; i++)
			remove_without_memory(g, nodes[i]);
		return HS_OK;
	}
	/* Live readers and producers first, then the batch goes: no failure
	 * past this point. */
	for (size_t i = 0; i < count; i++) {
		hs_node *n = nodes[i];
		if (n->flags & HS_NODE_F_REMOVED)
			continue;
		for (uint32_t k = 0; k < n->n_inputs; k++)
			if (hs_node_input_src(n, k) && hs_node_input_src(n, k) != n)
				touch(&t, hs_node_input_src(n, k));
		for (uint32_t k = 0; k < n->n_consumers; k++)
			if (hs_node_consumer_at(n, k) != n)
				touch(&t, hs_node_consumer_at(n, k));
	}
	for (size_t i = 0; i < count; i++) {
		hs_node *n = nodes[i];
		if (n->flags & HS_NODE_F_REMOVED)
			continue;
		/* A node of the batch touched through another one is skipped
		 * below: it goes too. */
		n->flags |= HS_NODE_F_REMOVED;
		for (uint32_t k = 0; k < n->n_inputs; k++)
			if (!hs_node_input_src(n, k))
				g->n_dangling--;
		n->n_consumers = 0;
		hs_name_index_remove(g, n);
		g->live_count--;
		hs_op_count(g, n->op, -1);
		g->edits++;
	}
	for (size_t i = 0; i < t.n; i++) {
		hs_node *x = t.v[i];
		x->flags &= ~(uint32_t)HS_NODE_F_VISIT;
		if (x->flags & HS_NODE_F_REMOVED)
			continue;
		drop_removed_consumers(x);
		unbind_removed_sources(g, x);
	}
	if (t.v != small)
		free(t.v);
	return HS_OK;
}

int hs_graph_remove_node(hs_graph *g, hs_node *n)
{
	if (!n)
		return hs_fail(HS_EINVAL, "node does not belong to this graph");
	return hs_graph_remove_nodes(g, &n, 1);
}

/* Moves n's inputs into p (malloc'd when `owned`, else from the edit
 * arena), room for them at least: out of the shared block into the side
 * table, or from the list an earlier edit gave it. */
static int move_inputs(hs_node *n, hs_input *p, int owned)
{
	int moved = !!(n->flags & HS_NODE_F_MOVED_INPUTS);
	if (!moved && moved_reserve(&n->graph->input_lists)) {
		if (owned)
			free(p);
		return HS_ENOMEM;
	}
	if (n->n_inputs)
		memcpy(p, hs_node_inputs(n), n->n_inputs * sizeof *p);
	if (n->flags & HS_NODE_F_OWNS_INPUTS)
		free(hs_node_inputs(n));
	moved_set(&n->graph->input_lists, &n->inputs, moved, p);
	n->flags = (n->flags & ~(uint32_t)HS_NODE_F_MOVED_INPUTS) |
		   (owned ? HS_NODE_F_OWNS_INPUTS : HS_NODE_F_ARENA_INPUTS);
	return HS_OK;
}

static int own_inputs(hs_node *n, size_t need)
{
	if ((n->flags & HS_NODE_F_OWNS_INPUTS) && hs_list_cap(n->n_inputs) >= need)
		return HS_OK;
	uint32_t cap = need > UINT32_MAX ? 0 : hs_list_cap((uint32_t)need);
	if (cap < need)
		return hs_fail(HS_ELIMIT, "node '%.*s': more than %u inputs",
			       HS_NAME_ARG(hs_name_of(n)), UINT32_MAX);
	hs_input *p = malloc((size_t)cap * sizeof *p);
	if (!p)
		return hs_fail(HS_ENOMEM, "out of memory");
	return move_inputs(n, p, 1);
}

/* Room for a new list of `count` inputs replacing the node's: the list
 * itself when it holds them (wherever it lives: a rewired output identity
 * keeps its one slot of the shared block), else one from the edit arena
 * (not owned: a later addition moves it out, as from the shared block).
 * Either way the old entries are there to unbind, which comes next. */
static int inputs_for(hs_node *n, size_t count)
{
	if (count <= n->n_inputs ||
	    ((n->flags & HS_NODE_F_OWNS_INPUTS) && hs_list_cap(n->n_inputs) >= count))
		return HS_OK;
	hs_input *p = hs_arena_alloc(&n->graph->edit_arena, count * sizeof *p);
	if (!p)
		return HS_ENOMEM;
	return move_inputs(n, p, 0);
}

/* An original node's first input edit lists it for verify_changes
 * (before the edit: a failure leaves an entry whose node is unchanged,
 * which the check skips). */
static int note_inputs_edit(hs_node *n)
{
	hs_graph *g = n->graph;
	if (n->flags & (HS_NODE_F_INPUTS_EDITED | HS_NODE_F_NEW))
		return HS_OK;
	int rc = hs_arena_grow(&g->edit_arena, (void **)&g->inputs_edited,
			       &g->cap_inputs_edited, g->n_inputs_edited + 1,
			       sizeof *g->inputs_edited);
	if (rc)
		return rc;
	g->inputs_edited[g->n_inputs_edited++] = hs_node_id(n);
	return HS_OK;
}

/* The node lets go of its inputs, with room for `count` new ones that
 * the caller binds next. */
static int replace_inputs(hs_node *n, size_t count)
{
	int rc = note_inputs_edit(n);
	if (!rc)
		rc = inputs_for(n, count);
	if (rc)
		return rc;
	unbind_inputs(n);
	n->n_inputs = 0;
	n->flags |= HS_NODE_F_INPUTS_EDITED;
	n->graph->edits++;
	return HS_OK;
}

/* A removed node must not read anything again: it would sit in its
 * producers' consumer lists, where passes over live nodes meet it. */
static int check_live(const hs_node *n)
{
	if (n->flags & HS_NODE_F_REMOVED)
		return hs_fail(HS_EINVAL, "node '%.*s' was removed from the graph",
			       HS_NODE_NAME_ARG(n));
	return HS_OK;
}

static int bind_new_input(hs_node *n, hs_input *in, const char *text)
{
	hs_graph *g = n->graph;
	hs_str t = { text, text ? strlen(text) : 0 };
	if (!text || hs_scope_parse_input(g, NULL, NULL, t) != HS_OK)
		return hs_fail(HS_EINVAL, "invalid input '%s' for node '%.*s'",
			       text ? text : "(null)", HS_NODE_NAME_ARG(n));
	if (t.len > UINT32_MAX)
		return hs_fail(HS_ELIMIT, "input of node '%.*s' is longer than 4 GiB",
			       HS_NODE_NAME_ARG(n));
	const char *copy;
	int rc = hs_graph_intern_at(&copy, &in->text, g, t);
	if (rc)
		return rc;
	hs_input_bind(g, in);
	if (in->src)
		return hs_node_consumer_add(hs_input_src(g, in), n);
	g->n_dangling++;
	return HS_OK;
}

int hs_node_add_input(hs_node *n, const char *input)
{
	int rc = check_live(n);
	if (rc)
		return rc;
	rc = note_inputs_edit(n);
	if (!rc)
		rc = own_inputs(n, (size_t)n->n_inputs + 1);
	if (rc)
		return rc;
	rc = bind_new_input(n, &hs_node_inputs(n)[n->n_inputs], input);
	if (rc)
		return rc;
	n->n_inputs++;
	n->flags |= HS_NODE_F_INPUTS_EDITED;
	n->graph->edits++;
	return HS_OK;
}

int hs_node_set_input(hs_node *n, size_t i, const char *input)
{
	int rc = check_live(n);
	if (rc)
		return rc;
	if (i >= n->n_inputs)
		return hs_fail(HS_EINVAL, "node '%.*s' has no input %zu",
			       HS_NODE_NAME_ARG(n), i);
	rc = note_inputs_edit(n);
	if (!rc)
		rc = own_inputs(n, n->n_inputs);
	if (rc)
		return rc;
	hs_input old = hs_node_inputs(n)[i];
	hs_node *old_src = hs_input_src(n->graph, &old);
	if (old_src)
		hs_node_consumer_remove(old_src, n);
	rc = bind_new_input(n, &hs_node_inputs(n)[i], input);
	if (rc) {
		hs_node_inputs(n)[i] = old;
		if (old_src)
			hs_node_consumer_add(old_src, n);
		return rc;
	}
	if (!old_src)
		n->graph->n_dangling--;
	n->flags |= HS_NODE_F_INPUTS_EDITED;
	n->graph->edits++;
	return HS_OK;
}

int hs_node_set_inputs(hs_node *n, const char *const *inputs, size_t count)
{
	int rc = check_live(n);
	if (rc)
		return rc;
	if (count > UINT32_MAX)
		return hs_fail(HS_EINVAL, "too many inputs");
	/* A bad entry must not cost the node the inputs it has. */
	for (size_t i = 0; i < count; i++) {
		hs_str t = { inputs[i], inputs[i] ? strlen(inputs[i]) : 0 };
		if (!inputs[i] || hs_scope_parse_input(n->graph, NULL, NULL, t) != HS_OK)
			return hs_fail(HS_EINVAL, "invalid input '%s' for node '%.*s'",
				       inputs[i] ? inputs[i] : "(null)",
				       HS_NODE_NAME_ARG(n));
	}
	rc = replace_inputs(n, count);
	if (rc)
		return rc;
	for (size_t i = 0; i < count; i++) {
		if ((rc = bind_new_input(n, &hs_node_inputs(n)[i], inputs[i])) != HS_OK)
			return rc;
		n->n_inputs++;
	}
	return HS_OK;
}

/* Whether an input reading ref can be bound to ref->node directly: its
 * text, read back by TensorFlow's syntax, names that node and port.  Not
 * so for a name with ':' or a leading '^' (the text names another node
 * then) or in a FunctionDef scope (its syntax names output args). */
static int binds_directly(const hs_graph *g, const hs_output_ref *ref)
{
	hs_str name = hs_name_of(ref->node);
	return !g->container->function_inputs && ref->port >= -1 && name.len &&
	       name.ptr[0] != '^' && !memchr(name.ptr, ':', name.len);
}

/* The text of an input reading ref and its offset (*off, an input's
 * text field): "name", "name:port" or "^name"; the producer's own name
 * when the port is 0 (a view of the file or a copy of the graph's, so it
 * has an offset; copied when not, which no name is). */
static int ref_text(hs_str *out, uint32_t *off, hs_graph *g, const hs_output_ref *ref)
{
	hs_str name = hs_name_of(ref->node);
	if (ref->port == 0 && hs_graph_text_offset(g, name.ptr, off)) {
		*out = name;
		return HS_OK;
	}
	/* Interned, not printed into the arena: an input's text follows the
	 * varint of its length (hs_input_text). */
	char small[256], *buf = small;
	size_t need = name.len + 13; /* "^" or ":" and a port, and the NUL */
	if (need > sizeof small && !(buf = malloc(need)))
		return hs_fail(HS_ENOMEM, "out of memory");
	int len = ref->port < 0 ? snprintf(buf, need, "^%.*s", (int)name.len, name.ptr)
		  : ref->port ? snprintf(buf, need, "%.*s:%d", (int)name.len, name.ptr, ref->port)
		  : snprintf(buf, need, "%.*s", (int)name.len, name.ptr);
	const char *t = NULL;
	int rc = len < 0 ? hs_fail(HS_EINVAL, "cannot print an input of '%.*s'", HS_NAME_ARG(name))
			 : hs_graph_intern_at(&t, off, g, (hs_str){ buf, (size_t)len });
	if (buf != small)
		free(buf);
	if (rc)
		return rc;
	*out = (hs_str){ t, (size_t)len };
	return HS_OK;
}

/* The way by name, for inputs binds_directly refuses. */
static int set_inputs_by_text(hs_node *n, const hs_output_ref *srcs, size_t count)
{
	const char **texts = malloc((count ? count : 1) * sizeof *texts);
	int rc = texts ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
	for (size_t i = 0; i < count && !rc; i++) {
		hs_str t;
		uint32_t off;
		rc = ref_text(&t, &off, n->graph, &srcs[i]);
		/* A port-0 text is the name itself: not terminated. */
		if (!rc)
			rc = hs_graph_intern_at(&texts[i], NULL, n->graph, t);
	}
	if (!rc)
		rc = hs_node_set_inputs(n, texts, count);
	free(texts);
	return rc;
}

int hs_node_set_inputs_to(hs_node *n, const hs_output_ref *srcs, size_t count)
{
	int rc = check_live(n), direct = 1;
	if (rc)
		return rc;
	if (count > UINT32_MAX)
		return hs_fail(HS_EINVAL, "too many inputs");
	for (size_t i = 0; i < count; i++) {
		const hs_node *src = srcs[i].node;
		if (!src || src->graph != n->graph)
			return hs_fail(HS_EINVAL, "node '%.*s': input %zu is not a node of this graph",
				       HS_NODE_NAME_ARG(n), i);
		if ((rc = check_live(src)) != HS_OK)
			return rc;
		direct = direct && binds_directly(n->graph, &srcs[i]);
	}
	if (!direct)
		return set_inputs_by_text(n, srcs, count);
	if ((rc = replace_inputs(n, count)) != HS_OK)
		return rc;
	for (size_t i = 0; i < count; i++) {
		hs_input *in = &hs_node_inputs(n)[i];
		hs_str t;
		if ((rc = ref_text(&t, &in->text, n->graph, &srcs[i])) != HS_OK ||
		    (rc = hs_node_consumer_add(srcs[i].node, n)) != HS_OK)
			return rc;
		hs_input_set_src(in, srcs[i].node);
		n->n_inputs++;
	}
	return HS_OK;
}

int hs_graph_rewire(size_t *changed, hs_graph *g, const hs_node *from,
		    int from_port, const char *to)
{
	size_t count = 0;
	hs_str to_name;
	int to_port;
	if (changed)
		*changed = 0;
	if (!g || !from || from->graph != g)
		return hs_fail(HS_EINVAL, "rewire: node does not belong to this graph");
	hs_str t = { to, to ? strlen(to) : 0 };
	if (!to || hs_scope_parse_input(g, &to_name, &to_port, t) != HS_OK || to_port < 0)
		return hs_fail(HS_EINVAL, "invalid rewire target '%s'", to ? to : "(null)");
	char *control = malloc(to_name.len + 2);
	if (!control)
		return hs_fail(HS_ENOMEM, "out of memory");
	control[0] = '^';
	memcpy(control + 1, to_name.ptr, to_name.len);
	control[to_name.len + 1] = '\0';
	/* Collect readers first: rewiring edits the list we walk. */
	uint32_t nc = from->n_consumers;
	hs_node **readers = malloc((nc ? nc : 1) * sizeof *readers);
	int rc = readers ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
	for (uint32_t r = 0; readers && r < nc; r++)
		readers[r] = hs_node_consumer_at(from, r);
	/* Each reader once (an AddN reads `from` once per input, and is in
	 * the list as often), last first: each rewired input leaves the
	 * end of from's consumer list, where its removal finds it at once. */
	for (uint32_t r = nc; rc == HS_OK && r-- > 0;) {
		hs_node *c = readers[r];
		if (c->flags & HS_NODE_F_VISIT)
			continue;
		c->flags |= HS_NODE_F_VISIT;
		for (uint32_t k = 0; rc == HS_OK && k < c->n_inputs; k++) {
			hs_input *in = &hs_node_inputs(c)[k];
			if (hs_input_src(g, in) != from)
				continue;
			int port = hs_input_port(g, in);
			if (port >= 0 && from_port >= 0 && port != from_port)
				continue;
			if (port < 0)
				rc = hs_node_set_input(c, k, control);
			else
				rc = hs_node_set_input(c, k, to);
			count++;
		}
	}
	for (uint32_t r = 0; readers && r < nc; r++)
		readers[r]->flags &= ~(uint32_t)HS_NODE_F_VISIT;
	free(readers);
	free(control);
	if (changed)
		*changed = count;
	return rc;
}

int hs_node_set_device(hs_node *n, const char *device)
{
	const char *d;
	hs_str s = { device ? device : "", device ? strlen(device) : 0 };
	int rc = hs_graph_intern_at(&d, NULL, n->graph, s);
	if (rc != HS_OK)
		return rc;
	hs_node_edit *e;
	rc = hs_node_edit_get(&e, n);
	if (rc != HS_OK)
		return rc;
	e->device = d;
	n->flags |= HS_NODE_F_DEVICE_EDITED;
	n->graph->edits++;
	return HS_OK;
}

int hs_node_set_op(hs_node *n, const char *op)
{
	if (!n)
		return hs_fail(HS_EINVAL, "hs_node_set_op: node is NULL");
	int rc = check_name(op, "op");
	if (rc || (rc = check_live(n)))
		return rc;
	if (!(n->flags & HS_NODE_F_NEW))
		return hs_fail(HS_EINVAL, "node '%.*s': only nodes added since loading can change their op",
			       HS_NODE_NAME_ARG(n));
	uint32_t old_op = n->op;
	if ((rc = edit_op_id(&n->op, n->graph, op)))
		return rc;
	hs_op_count(n->graph, old_op, -1);
	hs_op_count(n->graph, n->op, 1);
	n->graph->edits++;
	return HS_OK;
}
