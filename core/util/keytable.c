/* The keyed id table: see keytable.h. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "keytable.h"

/* A power of two at least 16 holding `keys` keys at most 3/4 full. */
static size_t slots_for(size_t keys)
{
	size_t cap = 16;
	while (cap / 4 * 3 < keys + 1) {
		if (cap > SIZE_MAX / 2 / sizeof(hs_key_slot))
			return 0;
		cap *= 2;
	}
	return cap;
}

int hs_key_table_init(hs_key_table *t, size_t expected)
{
	size_t cap = slots_for(expected);
	hs_key_slot *slots = cap ? calloc(cap, sizeof *slots) : NULL;
	if (!slots)
		return hs_fail(HS_ENOMEM, "out of memory indexing %zu keys", expected);
	free(t->slots);
	t->slots = slots;
	t->mask = cap - 1;
	t->used = 0;
	return HS_OK;
}

int hs_key_table_rebuild(hs_key_table *t, size_t live)
{
	if (live >= HS_KEY_ID_MAX)
		return hs_fail(HS_ENOMEM, "out of memory (more than %u keys)", HS_KEY_ID_MAX);
	hs_key_table old = *t;
	t->slots = NULL;
	int rc = hs_key_table_init(t, old.slots ? live * 2 : 16);
	if (rc) {
		*t = old;
		return rc;
	}
	for (size_t i = 0; old.slots && i <= old.mask; i++)
		if (old.slots[i].id >= HS_KEY_BASE)
			hs_key_table_put_new(t, old.slots[i].id - HS_KEY_BASE, old.slots[i].hash);
	free(old.slots);
	return HS_OK;
}

int hs_key_table_reserve_all(hs_key_table *t, size_t keys)
{
	size_t room = t->slots ? (t->mask + 1) / 4 * 3 : 0;
	if (keys <= room && t->used + 1 <= room)
		return HS_OK;
	return t->slots ? hs_key_table_rebuild(t, keys) : hs_key_table_init(t, keys);
}

void hs_key_table_clear(hs_key_table *t)
{
	if (t->slots)
		memset(t->slots, 0, (t->mask + 1) * sizeof *t->slots);
	t->used = 0;
}

void hs_key_table_free(hs_key_table *t)
{
	free(t->slots);
	memset(t, 0, sizeof *t);
}
