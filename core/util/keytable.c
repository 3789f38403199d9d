/* The keyed id table: see keytable.h. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "error.h"
#include "keytable.h"

/* Probes scale a 32-bit hash to the slot count (keytable.h). */
#define MAX_SLOTS ((uint64_t)1 << 32)

/* The fewest slots, a multiple of 8 and at least 16, holding `keys` keys
 * at most 3/4 full; 0 past MAX_SLOTS. */
static size_t slots_for(size_t keys)
{
	if ((uint64_t)keys + 16 >= MAX_SLOTS / 4 * 3)
		return 0;
	size_t cap = (keys + 1 + 2) / 3 * 4; /* ceil((keys + 1) / 3) * 4 */
	cap = (cap + 7) & ~(size_t)7;
	return cap < 16 ? 16 : cap;
}

int hs_key_table_init(hs_key_table *t, size_t expected)
{
	size_t cap = slots_for(expected);
	/* A probe reads a slot before it is written: populated, not the
	 * zero page (hs_calloc_written; the name index is filled by the
	 * loader's second thread while the first parses). */
	hs_key_slot *slots = cap ? hs_calloc_written(cap, sizeof *slots) : NULL;
	if (!slots)
		return hs_fail(HS_ENOMEM, "out of memory indexing %zu keys", expected);
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	t->used = 0;
	return HS_OK;
}

static size_t live_keys(const hs_key_table *t)
{
	size_t live = 0;
	for (size_t i = 0; t->slots && i < t->cap; i++)
		live += t->slots[i].id >= HS_KEY_BASE;
	return live;
}

/* Moves the live keys into a new table sized for `keys` (or for all of
 * them, if more). */
static int resize(hs_key_table *t, size_t keys)
{
	size_t live = live_keys(t);
	if (keys < live)
		keys = live;
	hs_key_table old = *t;
	t->slots = NULL;
	int rc = hs_key_table_init(t, keys);
	if (rc) {
		*t = old;
		return rc;
	}
	for (size_t i = 0; old.slots && i < old.cap; i++)
		if (old.slots[i].id >= HS_KEY_BASE)
			hs_key_table_put_new(t, old.slots[i].id - HS_KEY_BASE, old.slots[i].hash);
	free(old.slots);
	return HS_OK;
}

int hs_key_table_rebuild(hs_key_table *t, size_t live)
{
	if (live >= HS_KEY_ID_MAX)
		return hs_fail(HS_ENOMEM, "out of memory (more than %u keys)", HS_KEY_ID_MAX);
	return resize(t, t->slots ? live + live / 2 : 16);
}

int hs_key_table_reserve_all(hs_key_table *t, size_t keys)
{
	size_t room = t->slots ? hs_key_table_room(t) : 0;
	if (keys <= room && t->used + 1 <= room)
		return HS_OK;
	return t->slots ? resize(t, keys) : hs_key_table_init(t, keys);
}

void hs_key_table_trim(hs_key_table *t, size_t keys)
{
	size_t cap = slots_for(keys);
	if (t->slots && cap && cap < t->cap / 4 * 3)
		(void)resize(t, keys);
}

void hs_key_table_clear(hs_key_table *t)
{
	if (t->slots)
		memset(t->slots, 0, t->cap * sizeof *t->slots);
	t->used = 0;
}

void hs_key_table_free(hs_key_table *t)
{
	free(t->slots);
	memset(t, 0, sizeof *t);
}
