/* The graph's name -> node index.  Private to libhintstub.
 *
 * A keyed id table (core/util/keytable.h) over node ids (hs_node_id):
 * each 8-byte slot holds the name's hash beside the id, so a probe passing
 * other names compares hashes in the table and touches a node only when
 * the hashes agree: the node array is the cache miss.  A
 * chained hash with a handle in every node (uthash: 56 bytes a node, plus
 * buckets) was the largest single cost of a loaded graph after the file
 * itself. */
#ifndef HS_NAME_INDEX_H
#define HS_NAME_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "keytable.h"

typedef struct hs_graph hs_graph;
typedef struct hs_node hs_node;

/* The table's ids are node ids (hs_node_id). */
typedef hs_key_table hs_name_index;

/* The keyed hash of a name (hash.h): the same within a process only. */
uint32_t hs_name_hash(const char *name, size_t len);
/* Sizes an empty index for `expected` names. */
int hs_name_index_init(hs_graph *g, size_t expected);
hs_node *hs_name_index_find(const hs_graph *g, const char *name, size_t len);
/* The same with the name's hash given (bench/bench_names compares hash
 * functions through it); `hash` must be the one the index was built with. */
hs_node *hs_name_index_find_hashed(const hs_graph *g, const char *name,
				   size_t len, uint32_t hash);
/* Brings into the cache the slot where a lookup of a name of hash `hash`
 * starts (the loader looks names up in file order, far apart in the
 * table: it prefetches some lookups ahead). */
static inline void hs_name_index_prefetch(const hs_name_index *ix, uint32_t hash)
{
	hs_key_table_prefetch(ix, hash);
}
/* Nearer the lookup: the node of the first slot there holding `hash`
 * (its slot prefetched before: this reads it), or with `name` set, nearer
 * still, that node's name (the node prefetched before). */
void hs_name_index_prefetch_node(const hs_graph *g, uint32_t hash, int name);
/* Room for `names` names in all (a loader adding names before it knows
 * how many; adds grow the index on their own otherwise). */
int hs_name_index_reserve(hs_graph *g, size_t names);
/* Shrinks an index sized for far more names than `names` (a loader's
 * guess from the file's size); keeps it when that fails. */
void hs_name_index_trim(hs_graph *g, size_t names);
/* Adds n.  When the name is taken, *dup (may be NULL) gets its node and
 * HS_EEXISTS is returned; nothing is added.  The index keeps the hash: the
 * node does not. */
int hs_name_index_add(hs_graph *g, hs_node *n, hs_node **dup);
/* The same with the name's hash given (the loader hashes ahead). */
int hs_name_index_add_hashed(hs_graph *g, hs_node *n, uint32_t hash, hs_node **dup);
void hs_name_index_remove(hs_graph *g, const hs_node *n);
void hs_name_index_free(hs_graph *g);

#endif
