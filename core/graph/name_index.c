/* Name index: see name_index.h. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "graph_internal.h"
#include "hash.h"

/* Names come from the file: keyed, so that no file can choose names
 * sharing one probe sequence (see hash.h). */
uint32_t hs_name_hash(const char *p, size_t len)
{
	return (uint32_t)hs_hash(p, len);
}

static hs_node *node_of(const hs_graph *g, uint32_t id)
{
	return id < g->n_nodes ? &g->nodes[id] : g->new_nodes[id - g->n_nodes];
}

int hs_name_index_init(hs_graph *g, size_t expected)
{
	int rc = hs_key_table_init(&g->names, expected);
	return rc ? hs_fail(rc, "out of memory indexing %zu node names", expected) : HS_OK;
}

/* The name a probe looks for. */
typedef struct wanted {
	const hs_graph *g;
	const char *name;
	size_t len;
} wanted;

static int same_name(const void *ctx, uint32_t id)
{
	const wanted *w = ctx;
	const hs_node *n = node_of(w->g, id);
	return hs_name_of(n).len == w->len && memcmp(hs_name_of(n).ptr, w->name, w->len) == 0;
}

static size_t probe(const hs_graph *g, const char *name, size_t len, uint32_t hash,
		    int *found)
{
	wanted w = { g, name, len };
	return hs_key_table_probe(&g->names, hash, same_name, &w, found);
}

hs_node *hs_name_index_find_hashed(const hs_graph *g, const char *name,
				   size_t len, uint32_t hash)
{
	if (!g->names.slots)
		return NULL;
	int found;
	size_t i = probe(g, name, len, hash, &found);
	return found ? node_of(g, hs_key_table_id(&g->names, i)) : NULL;
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
	size_t i = hs_key_table_home(ix, hash);
	for (size_t k = 0; k < 4; k++, i = hs_key_table_next(ix, i)) {
		const hs_key_slot *s = &ix->slots[i];
		if (s->id == HS_KEY_EMPTY)
			return;
		if (s->id >= HS_KEY_BASE && s->hash == hash) {
			const hs_node *n = node_of(g, s->id - HS_KEY_BASE);
			if (name)
				__builtin_prefetch(hs_name_start(n));
			else
				__builtin_prefetch(n);
			return;
		}
	}
}

int hs_name_index_reserve(hs_graph *g, size_t names)
{
	int rc = hs_key_table_reserve_all(&g->names, names);
	return rc ? hs_fail(rc, "out of memory indexing %zu node names", names) : HS_OK;
}

void hs_name_index_trim(hs_graph *g, size_t names)
{
	hs_key_table_trim(&g->names, names);
}

int hs_name_index_add(hs_graph *g, hs_node *n, hs_node **dup)
{
	return hs_name_index_add_hashed(g, n, hs_name_hash(hs_name_of(n).ptr, hs_name_of(n).len), dup);
}

int hs_name_index_add_hashed(hs_graph *g, hs_node *n, uint32_t hash, hs_node **dup)
{
	int rc = hs_key_table_reserve(&g->names, g->live_count + 1);
	if (rc != HS_OK)
		return rc;
	int found;
	size_t i = probe(g, hs_name_of(n).ptr, hs_name_of(n).len, hash, &found);
	if (found) {
		if (dup)
			*dup = node_of(g, hs_key_table_id(&g->names, i));
		return HS_EEXISTS;
	}
	hs_key_table_put_at(&g->names, i, hs_node_id(n), hash);
	return HS_OK;
}

void hs_name_index_remove(hs_graph *g, const hs_node *n)
{
	if (!g->names.slots)
		return;
	int found;
	size_t i = probe(g, hs_name_of(n).ptr, hs_name_of(n).len,
			 hs_name_hash(hs_name_of(n).ptr, hs_name_of(n).len), &found);
	if (found && node_of(g, hs_key_table_id(&g->names, i)) == n)
		hs_key_table_remove_at(&g->names, i);
}

void hs_name_index_free(hs_graph *g)
{
	hs_key_table_free(&g->names);
}
