/* The arena (core/util/arena.c): zeroed memory aligned for any object of
 * its size, small sizes packed at 8 bytes, large ones in blocks of their
 * own, all freed at once. */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "error.h"
#include "run.h"

/* calloc as the arena calls it: this test links with --wrap=calloc
 * (tests/local.mk), so that a chunk's allocation can be made to fail. */
static int fail_calloc;
void *__real_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size)
{
	return fail_calloc ? NULL : __real_calloc(n, size);
}

static int zeroed(const void *p, size_t len)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < len; i++)
		if (b[i])
			return 0;
	return 1;
}

START_TEST(test_alignment_follows_the_size)
{
	hs_arena a;
	memset(&a, 0, sizeof a);
	const size_t sizes[] = { 1, 4, 8, 12, 16, 24, 32, 40, 48, 7, 64, 3, 80, 100 };
	char *last = NULL;
	for (int round = 0; round < 200; round++) {
		for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
			size_t size = sizes[k];
			char *p = hs_arena_alloc(&a, size);
			ck_assert_ptr_nonnull(p);
			ck_assert(zeroed(p, size));
			/* 16 when the size allows an object needing it, else 8. */
			size_t rounded = (size + 7) & ~(size_t)7;
			ck_assert_uint_eq((uintptr_t)p % ((rounded % 16) ? 8 : 16), 0);
			memset(p, 0xab, size);
			last = p;
		}
	}
	ck_assert_ptr_nonnull(last);
	hs_arena_free(&a);
	ck_assert_ptr_null(a.blocks);
	/* Packed: sizes of 8 bytes and odd multiples of 8 leave no gap. */
	char *x = hs_arena_alloc(&a, 4), *y = hs_arena_alloc(&a, 24), *z = hs_arena_alloc(&a, 8);
	ck_assert_ptr_eq(y, x + 8);
	ck_assert_ptr_eq(z, y + 24);
	/* A multiple of 16 skips to the next 16-byte boundary. */
	char *w = hs_arena_alloc(&a, 32);
	ck_assert_ptr_eq(w, z + 8 + ((uintptr_t)(z + 8) % 16 ? 8 : 0));
	hs_arena_free(&a);
}
END_TEST

START_TEST(test_large_and_growing)
{
	hs_arena a;
	memset(&a, 0, sizeof a);
	/* Larger than the first chunks, and than the largest chunk. */
	size_t sizes[] = { 5000, 20000, 3u << 20, 9000 };
	for (size_t k = 0; k < 4; k++) {
		char *p = hs_arena_alloc(&a, sizes[k]);
		ck_assert_ptr_nonnull(p);
		ck_assert(zeroed(p, sizes[k]));
		memset(p, 1, sizes[k]);
	}
	/* Many small ones: the chunks grow, every byte handed out is fresh. */
	for (int i = 0; i < 100000; i++) {
		uint32_t *v = hs_arena_alloc(&a, 2 * sizeof *v);
		ck_assert_ptr_nonnull(v);
		ck_assert(v[0] == 0 && v[1] == 0);
		v[0] = v[1] = UINT32_MAX;
	}
	void *arr = NULL;
	size_t cap = 0;
	for (size_t need = 1; need < 5000; need += 7) {
		ck_assert_int_eq(hs_arena_grow(&a, &arr, &cap, need, sizeof(uint64_t)), HS_OK);
		ck_assert_uint_ge(cap, need);
		((uint64_t *)arr)[need - 1] = need;
	}
	/* What each step wrote survived the copies. */
	for (size_t need = 1; need < 5000; need += 7)
		ck_assert_uint_eq(((uint64_t *)arr)[need - 1], need);
	hs_arena_free(&a);
}
END_TEST

/* A chunk that cannot be had fails that allocation only: the arena keeps
 * the free space it had (it once kept its size but not its place, and
 * handed out addresses counted from NULL next). */
START_TEST(test_failed_chunk_keeps_the_arena)
{
	hs_arena a;
	memset(&a, 0, sizeof a);
	char *first = hs_arena_alloc(&a, 4096 - 16); /* the first chunk but 16 bytes */
	ck_assert_ptr_nonnull(first);
	fail_calloc = 1;
	void *none = hs_arena_alloc(&a, 64);        /* needs a new chunk */
	fail_calloc = 0;
	ck_assert_ptr_null(none);
	for (int i = 0; i < 2; i++) {
		char *p = hs_arena_alloc(&a, 8);
		ck_assert_ptr_nonnull(p);
		ck_assert(p >= first + 4096 - 16 && p + 8 <= first + 4096);
		ck_assert(zeroed(p, 8));
		memset(p, 1, 8);
	}
	char *next = hs_arena_alloc(&a, 64);         /* a new chunk now */
	ck_assert_ptr_nonnull(next);
	memset(next, 1, 64);
	hs_arena_free(&a);
}
END_TEST

static Suite *arena_suite(void)
{
	Suite *s = suite_create("arena");
	TCase *t = tcase_create("arena");
	tcase_add_test(t, test_alignment_follows_the_size);
	tcase_add_test(t, test_large_and_growing);
	tcase_add_test(t, test_failed_chunk_keeps_the_arena);
	suite_add_tcase(s, t);
	return s;
}

int main(void) { return tu_run(arena_suite()); }
