/* A keyed open-addressing table of 32-bit ids: the graph's name index and
 * the call set's uuid table.  Private to libhintstub.
 *
 * The table holds no keys, only ids (what the key belongs to: a node, a
 * call) and the key's 32-bit hash beside each, 8 bytes a slot.  A probe
 * passing other keys compares hashes in the table and asks the caller to
 * compare keys (the `same` callback, given the id) only when the hashes
 * agree: the caller's records are the cache miss.  Linear probing, at most
 * 3/4 full, any multiple of 8 slots: a probe starts at the hash scaled to
 * the slot count (hash * cap >> 32), so the table is sized to its keys,
 * not to the next power of two (which left a million names' index at
 * 0.45 full: 16 MiB instead of 10).  Removal leaves a tombstone, and
 * growing (by half) rehashes from the slots alone (the hashes are kept).
 *
 * The probe is inline so that a constant `same` is inlined with it (the
 * name index's lookups are most of loading's binding). */
#ifndef HS_KEYTABLE_H
#define HS_KEYTABLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct hs_key_slot {
	uint32_t id;      /* HS_KEY_EMPTY, HS_KEY_DELETED, or id + HS_KEY_BASE */
	uint32_t hash;    /* the key's hash when id >= HS_KEY_BASE */
} hs_key_slot;

enum { HS_KEY_EMPTY = 0, HS_KEY_DELETED = 1, HS_KEY_BASE = 2 };

/* The largest id a table holds. */
#define HS_KEY_ID_MAX (UINT32_MAX - HS_KEY_BASE)

typedef struct hs_key_table {
	hs_key_slot *slots;   /* cap slots, or NULL before the first */
	size_t cap;           /* a multiple of 8, at least 16, at most 2^32 */
	size_t used;          /* live and deleted slots */
} hs_key_table;

/* Whether the key of id is the one looked up (ctx: the caller's). */
typedef int (*hs_key_same_fn)(const void *ctx, uint32_t id);

/* Sizes an empty table for `expected` keys (the old slots are freed). */
int hs_key_table_init(hs_key_table *t, size_t expected);
/* hs_key_table_reserve's rebuild, for 1.5 times `live` keys (dropping
 * tombstones).  A failure keeps the table. */
int hs_key_table_rebuild(hs_key_table *t, size_t live);
/* Room for `keys` keys in all (a caller adding keys before it knows how
 * many): a table without that room is sized for exactly that many. */
int hs_key_table_reserve_all(hs_key_table *t, size_t keys);
/* Shrinks a table sized for far more keys than it came to hold (a loader's
 * guess) to room for `keys` (at least the live ones), when that saves a
 * quarter of it or more.  A failure keeps the table: it only wastes room. */
void hs_key_table_trim(hs_key_table *t, size_t keys);
/* Empties the table, keeping its slots. */
void hs_key_table_clear(hs_key_table *t);
void hs_key_table_free(hs_key_table *t);

/* How many slots may be used: 3/4 of them. */
static inline size_t hs_key_table_room(const hs_key_table *t)
{
	return t->cap / 4 * 3;
}

/* Whether one more key needs a rebuild first. */
static inline int hs_key_table_full(const hs_key_table *t)
{
	return !t->slots || t->used + 1 > hs_key_table_room(t);
}

/* Where the probe for `hash` starts: the hash scaled to the slot count. */
static inline size_t hs_key_table_home(const hs_key_table *t, uint32_t hash)
{
	return (size_t)(((uint64_t)hash * t->cap) >> 32);
}

/* The slot after i, wrapping at the end. */
static inline size_t hs_key_table_next(const hs_key_table *t, size_t i)
{
	return ++i == t->cap ? 0 : i;
}

/* Room for one more key: when it would pass 3/4, rebuilds the table for
 * 1.5 times `live` keys (inline: loading adds a million names). */
static inline int hs_key_table_reserve(hs_key_table *t, size_t live)
{
	return hs_key_table_full(t) ? hs_key_table_rebuild(t, live) : 0;
}

/* The slot holding the key (*found = 1), or where it would go, the first
 * tombstone of its probe sequence if it passed one (*found = 0).  The
 * table must have slots. */
static inline size_t hs_key_table_probe(const hs_key_table *t, uint32_t hash,
					hs_key_same_fn same, const void *ctx,
					int *found)
{
	size_t i = hs_key_table_home(t, hash), free_at = SIZE_MAX;
	for (;;) {
		const hs_key_slot *s = &t->slots[i];
		if (s->id == HS_KEY_EMPTY) {
			*found = 0;
			return free_at != SIZE_MAX ? free_at : i;
		}
		if (s->id == HS_KEY_DELETED) {
			if (free_at == SIZE_MAX)
				free_at = i;
		} else if (s->hash == hash && same(ctx, s->id - HS_KEY_BASE)) {
			*found = 1;
			return i;
		}
		i = hs_key_table_next(t, i);
	}
}

/* The id at a slot the probe found. */
static inline uint32_t hs_key_table_id(const hs_key_table *t, size_t slot)
{
	return t->slots[slot].id - HS_KEY_BASE;
}

/* Fills the slot a probe returned absent (after hs_key_table_reserve). */
static inline void hs_key_table_put_at(hs_key_table *t, size_t slot, uint32_t id,
				       uint32_t hash)
{
	if (t->slots[slot].id == HS_KEY_EMPTY)
		t->used++;
	t->slots[slot] = (hs_key_slot){ id + HS_KEY_BASE, hash };
}

/* Adds a key known to be absent, without comparing keys (rebuilding a
 * table; after hs_key_table_reserve). */
static inline void hs_key_table_put_new(hs_key_table *t, uint32_t id, uint32_t hash)
{
	size_t i = hs_key_table_home(t, hash);
	while (t->slots[i].id >= HS_KEY_BASE)
		i = hs_key_table_next(t, i);
	hs_key_table_put_at(t, i, id, hash);
}

static inline void hs_key_table_remove_at(hs_key_table *t, size_t slot)
{
	t->slots[slot].id = HS_KEY_DELETED;
}

/* Brings into the cache the slot where a probe for `hash` starts. */
static inline void hs_key_table_prefetch(const hs_key_table *t, uint32_t hash)
{
	if (t->slots)
		__builtin_prefetch(&t->slots[hs_key_table_home(t, hash)]);
}

#endif
