/* Name index: see name_index.h. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "graph_internal.h"
#include "hash.h"

enum { SLOT_EMPTY = 0, SLOT_DELETED = 1, SLOT_BASE = 2 };

/* Names come from the file: keyed, so that no file can choose names
 * sharing one probe sequence (see hash.h). */
uint32_t hs_name_hash(const char *p, size_t len)
{
	return (uint32_t)hs_hash(p, len);
}

static hs_node *node_of(const hs_graph *g, uint32_t slot)
{
	size_t seq = slot - SLOT_BASE;
	return seq < g->n_nodes ? &g->nodes[seq] : g->new_nodes[seq - g->n_nodes];
}

static size_t slots_for(size_t names)
{
	size_t cap = 16;
	while (cap / 4 * 3 < names + 1)
		cap *= 2;
	return cap;
}

int hs_name_index_init(hs_graph *g, size_t expected)
{
	size_t cap = slots_for(expected);
	hs_name_slot *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return hs_fail(HS_ENOMEM, "out of memory indexing %zu node names", expected);
	free(g->names.slots);
	g->names.slots = slots;
	g->names.mask = cap - 1;
	g->names.used = 0;
	return HS_OK;
}

/* The slot holding `name`, or the first free slot of its probe sequence
 * (a deleted one if seen first) when absent. */
static size_t probe(const hs_graph *g, const char *name, size_t len,
		    uint32_t hash, int *found)
{
	const hs_name_index *ix = &g->names;
	size_t i = hash & ix->mask, free_at = SIZE_MAX;
	for (;;) {
		const hs_name_slot *s = &ix->slots[i];
		if (s->id == SLOT_EMPTY) {
			*found = 0;
			return free_at != SIZE_MAX ? free_at : i;
		}
		if (s->id == SLOT_DELETED) {
			if (free_at == SIZE_MAX)
				free_at = i;
		} else if (s->hash == hash) {
			const hs_node *n = node_of(g, s->id);
			if (n->name.len == len && memcmp(n->name.ptr, name, len) == 0) {
				*found = 1;
				return i;
			}
		}
		i = (i + 1) & ix->mask;
	}
}

hs_node *hs_name_index_find_hashed(const hs_graph *g, const char *name,
				   size_t len, uint32_t hash)
{
	if (!g->names.slots)
		return NULL;
	int found;
	size_t i = probe(g, name, len, hash, &found);
	return found ? node_of(g, g->names.slots[i].id) : NULL;
}

hs_node *hs_name_index_find(const hs_graph *g, const char *name, size_t len)
{
	return hs_name_index_find_hashed(g, name, len, hs_name_hash(name, len));
}

void hs_name_index_prefetch_node(const hs_graph *g, uint32_t hash, int name)
{
	const hs_name_index *ix = &g->names;
	if (!ix->slots)
		return;
	/* A look at the first few slots only: a prefetch, not a probe. */
	for (size_t i = hash & ix->mask, k = 0; k < 4; k++, i = (i + 1) & ix->mask) {
		const hs_name_slot *s = &ix->slots[i];
		if (s->id == SLOT_EMPTY)
			return;
		if (s->id >= SLOT_BASE && s->hash == hash) {
			const hs_node *n = node_of(g, s->id);
			if (name)
				__builtin_prefetch(n->name.ptr);
			else
				__builtin_prefetch(n);
			return;
		}
	}
}

/* Rebuilds into a table sized for the live names (drops deleted slots). */
static int rehash(hs_graph *g, size_t live)
{
	hs_name_index old = g->names;
	g->names.slots = NULL;
	int rc = hs_name_index_init(g, live * 2);
	if (rc != HS_OK) {
		g->names = old;
		return rc;
	}
	for (size_t i = 0; i <= old.mask; i++) {
		if (old.slots[i].id < SLOT_BASE)
			continue;
		size_t k = old.slots[i].hash & g->names.mask;
		while (g->names.slots[k].id != SLOT_EMPTY)
			k = (k + 1) & g->names.mask;
		g->names.slots[k] = old.slots[i];
		g->names.used++;
	}
	free(old.slots);
	return HS_OK;
}

int hs_name_index_reserve(hs_graph *g, size_t names)
{
	size_t room = g->names.slots ? (g->names.mask + 1) / 4 * 3 : 0;
	if (names <= room && g->names.used + 1 <= room)
		return HS_OK;
	return g->names.slots ? rehash(g, names) : hs_name_index_init(g, names);
}

int hs_name_index_add(hs_graph *g, hs_node *n, hs_node **dup)
{
	return hs_name_index_add_hashed(g, n, hs_name_hash(n->name.ptr, n->name.len), dup);
}

int hs_name_index_add_hashed(hs_graph *g, hs_node *n, uint32_t hash, hs_node **dup)
{
	hs_name_index *ix = &g->names;
	if (!ix->slots || (ix->used + 1) > (ix->mask + 1) / 4 * 3) {
		int rc = ix->slots ? rehash(g, g->live_count + 1)
				   : hs_name_index_init(g, 16);
		if (rc != HS_OK)
			return rc;
	}
	int found;
	size_t i = probe(g, n->name.ptr, n->name.len, hash, &found);
	if (found) {
		if (dup)
			*dup = node_of(g, ix->slots[i].id);
		return HS_EEXISTS;
	}
	if (ix->slots[i].id == SLOT_EMPTY)
		ix->used++;
	ix->slots[i] = (hs_name_slot){ (uint32_t)n->seq + SLOT_BASE, hash };
	return HS_OK;
}

void hs_name_index_remove(hs_graph *g, const hs_node *n)
{
	if (!g->names.slots)
		return;
	int found;
	size_t i = probe(g, n->name.ptr, n->name.len,
			 hs_name_hash(n->name.ptr, n->name.len), &found);
	if (found && node_of(g, g->names.slots[i].id) == n)
		g->names.slots[i].id = SLOT_DELETED;
}

void hs_name_index_free(hs_graph *g)
{
	free(g->names.slots);
	memset(&g->names, 0, sizeof g->names);
}
