/* The keyed id table (core/util/keytable.[ch]): probing past other keys
 * of the same hash, tombstones, growth from the slots alone, clearing. */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "error.h"
#include "keytable.h"
#include "run.h"

/* Keys are the integers keys[id]. */
typedef struct probe_ctx {
	const uint32_t *keys;
	uint32_t want;
} probe_ctx;

static int same_key(const void *ctx, uint32_t id)
{
	const probe_ctx *p = ctx;
	return p->keys[id] == p->want;
}

/* The id holding key, or -1. */
static long find(const hs_key_table *t, const uint32_t *keys, uint32_t key, uint32_t hash)
{
	probe_ctx p = { keys, key };
	int found;
	size_t i = hs_key_table_probe(t, hash, same_key, &p, &found);
	return found ? (long)hs_key_table_id(t, i) : -1;
}

static void add(hs_key_table *t, const uint32_t *keys, uint32_t id, uint32_t hash, size_t live)
{
	ck_assert_int_eq(hs_key_table_reserve(t, live), HS_OK);
	probe_ctx p = { keys, keys[id] };
	int found;
	size_t i = hs_key_table_probe(t, hash, same_key, &p, &found);
	ck_assert(!found);
	hs_key_table_put_at(t, i, id, hash);
}

enum { N = 5000 };

/* Every key of one hash: each probe passes the others. */
START_TEST(test_one_hash_for_all)
{
	static uint32_t keys[N];
	hs_key_table t = { NULL, 0, 0 };
	for (uint32_t id = 0; id < 200; id++) {
		keys[id] = 1000 + id;
		add(&t, keys, id, 7, id);
	}
	for (uint32_t id = 0; id < 200; id++)
		ck_assert_int_eq(find(&t, keys, 1000 + id, 7), id);
	ck_assert_int_eq(find(&t, keys, 999, 7), -1);
	hs_key_table_free(&t);
}
END_TEST

/* Removed keys leave tombstones the probe passes; a new key reuses one. */
START_TEST(test_tombstones)
{
	static uint32_t keys[N];
	hs_key_table t = { NULL, 0, 0 };
	for (uint32_t id = 0; id < 100; id++) {
		keys[id] = id;
		add(&t, keys, id, id % 3, id);
	}
	size_t used = t.used;
	probe_ctx p = { keys, 30 };
	int found;
	size_t i = hs_key_table_probe(&t, 30 % 3, same_key, &p, &found);
	ck_assert(found);
	hs_key_table_remove_at(&t, i);
	ck_assert_int_eq(find(&t, keys, 30, 0), -1);
	for (uint32_t id = 0; id < 100; id++)
		if (id != 30)
			ck_assert_int_eq(find(&t, keys, id, id % 3), id);
	keys[100] = 5000;
	add(&t, keys, 100, 0, 100);
	ck_assert_uint_eq(t.used, used); /* the tombstone, not a new slot */
	ck_assert_int_eq(find(&t, keys, 5000, 0), 100);
	hs_key_table_free(&t);
}
END_TEST

/* Growing rehashes from the kept hashes; the table stays at most 3/4 full;
 * clearing keeps the slots and finds nothing. */
START_TEST(test_growth_and_clear)
{
	static uint32_t keys[N];
	hs_key_table t = { NULL, 0, 0 };
	for (uint32_t id = 0; id < N; id++) {
		keys[id] = id * 2654435761u;
		add(&t, keys, id, keys[id] >> 7, id);
		ck_assert_uint_le(4 * t.used, 3 * (t.mask + 1));
	}
	for (uint32_t id = 0; id < N; id++)
		ck_assert_int_eq(find(&t, keys, keys[id], keys[id] >> 7), id);
	size_t mask = t.mask;
	hs_key_table_clear(&t);
	ck_assert_uint_eq(t.mask, mask);
	ck_assert_int_eq(find(&t, keys, keys[1], keys[1] >> 7), -1);
	hs_key_table_put_new(&t, 1, keys[1] >> 7);
	ck_assert_int_eq(find(&t, keys, keys[1], keys[1] >> 7), 1);
	hs_key_table_free(&t);
	ck_assert_ptr_null(t.slots);
}
END_TEST

START_TEST(test_too_many_ids)
{
	hs_key_table t = { NULL, 0, 0 };
	ck_assert_int_eq(hs_key_table_reserve(&t, HS_KEY_ID_MAX), HS_ENOMEM);
	ck_assert_ptr_null(t.slots);
	ck_assert_int_eq(hs_key_table_reserve(&t, 0), HS_OK);
	ck_assert_ptr_nonnull(t.slots);
	hs_key_table_free(&t);
}
END_TEST

static Suite *keytable_suite(void)
{
	Suite *s = suite_create("keytable");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_one_hash_for_all);
	tcase_add_test(tc, test_tombstones);
	tcase_add_test(tc, test_growth_and_clear);
	tcase_add_test(tc, test_too_many_ids);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(keytable_suite()); }
