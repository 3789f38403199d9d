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
		ck_assert_uint_le(4 * t.used, 3 * t.cap);
		ck_assert_uint_eq(t.cap % 8, 0);
	}
	for (uint32_t id = 0; id < N; id++)
		ck_assert_int_eq(find(&t, keys, keys[id], keys[id] >> 7), id);
	size_t cap = t.cap;
	hs_key_table_clear(&t);
	ck_assert_uint_eq(t.cap, cap);
	ck_assert_int_eq(find(&t, keys, keys[1], keys[1] >> 7), -1);
	hs_key_table_put_new(&t, 1, keys[1] >> 7);
	ck_assert_int_eq(find(&t, keys, keys[1], keys[1] >> 7), 1);
	hs_key_table_free(&t);
	ck_assert_ptr_null(t.slots);
}
END_TEST

/* Hashes at the top of the range start probes in the last slots: the
 * probe wraps to the first ones. */
START_TEST(test_probe_wraps)
{
	static uint32_t keys[N];
	hs_key_table t = { NULL, 0, 0 };
	ck_assert_int_eq(hs_key_table_init(&t, 20), HS_OK);
	ck_assert_uint_eq(t.cap % 8, 0);
	ck_assert_uint_lt(t.cap, 64); /* sized to 20 keys, not a power of two above */
	for (uint32_t id = 0; id < 10; id++) {
		keys[id] = id;
		add(&t, keys, id, UINT32_MAX, id);
	}
	ck_assert_uint_eq(hs_key_table_home(&t, UINT32_MAX), t.cap - 1);
	for (uint32_t id = 0; id < 10; id++)
		ck_assert_int_eq(find(&t, keys, id, UINT32_MAX), id);
	ck_assert_int_eq(t.slots[0].id, 1 + HS_KEY_BASE); /* id 0 took the last slot */
	hs_key_table_free(&t);
}
END_TEST

/* A table sized for far more keys shrinks to what it holds and still finds
 * them; one near its size is left as it is. */
START_TEST(test_trim)
{
	static uint32_t keys[N];
	hs_key_table t = { NULL, 0, 0 };
	ck_assert_int_eq(hs_key_table_init(&t, 4000), HS_OK);
	size_t big = t.cap;
	for (uint32_t id = 0; id < 300; id++) {
		keys[id] = id * 2654435761u;
		add(&t, keys, id, keys[id] >> 3, id);
	}
	hs_key_table_trim(&t, 100); /* fewer than it holds: sized for all 300 */
	ck_assert_uint_lt(t.cap, big / 4);
	ck_assert_uint_le(4 * t.used, 3 * t.cap);
	for (uint32_t id = 0; id < 300; id++)
		ck_assert_int_eq(find(&t, keys, keys[id], keys[id] >> 3), id);
	size_t cap = t.cap;
	hs_key_table_trim(&t, 300);
	ck_assert_uint_eq(t.cap, cap);
	hs_key_table_free(&t);
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
	tcase_add_test(tc, test_probe_wraps);
	tcase_add_test(tc, test_trim);
	tcase_add_test(tc, test_too_many_ids);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(keytable_suite()); }
