/* Keyed hashing (core/hash.c) and the uthash wrapper (core/strmap.h):
 * SipHash-1-3 known answers, the folded-multiply table hash, the
 * per-process key, failed allocations. */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* uthash allocates through this (before strmap.h includes it): fails
 * when armed. */
static int fail_allocs;
static void *test_malloc(size_t size)
{
	return fail_allocs ? NULL : malloc(size);
}
#define uthash_malloc(size) test_malloc(size)

#include "hash.h"
#include "run.h"
#include "strmap.h"

static const uint8_t msg[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

/* Key 0, message 00 01 .. (len-1): CPython 3.11's siphash13 (its bytes
 * hash with PYTHONHASHSEED=0, which keys SipHash with zeros); len 0 from
 * the SipHash-1-3 test of Rust's digest sip-hash crate. */
static const uint64_t zero_key_vectors[17] = {
	0xd1fba762150c532cull, 0x68a914128e01e473ull, 0x010bac45c41e3669ull,
	0x4d4c9a4a8ef6e0adull, 0x7cc43f98813e4dbdull, 0x5abe2169dff36275ull,
	0xe3c25f87624f1cdbull, 0x2f098ab0c751325aull, 0xead411e67ebe2eeaull,
	0x75927f9d95124362ull, 0xaf9f77a65ab51a1dull, 0xfe64ce8b6617fcffull,
	0xa6baf4fb0f9fe1c2ull, 0xa0cf3211850f8e0dull, 0x7f86049379fbfe67ull,
	0xf30eb725bb91c9eaull, 0x8972188433a5c5b7ull
};

/* Key 00 01 .. 0f, same messages: the low 32 bits, which are Linux's
 * hsiphash on 64-bit machines (SipHash-1-3 truncated; lib/siphash_kunit.c). */
static const uint32_t seq_key_vectors_low32[16] = {
	0x050fc4dc, 0x7d57ca93, 0x4dc7d44d, 0xe7ddf7fb, 0x88d38328, 0x49533b67,
	0xc59f22a7, 0x9bb11140, 0x8d299a8e, 0x6c063de4, 0x92ff097f, 0xf94dc352,
	0x57b4d9a2, 0x1229ffa7, 0xc0f95d34, 0x2a519956
};

START_TEST(test_siphash13_known_answers)
{
	hs_hash_key zero = { 0, 0, 0, 0 };
	hs_hash_key seq = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull, 0, 0 };
	uint8_t long_msg[17];
	for (size_t i = 0; i < sizeof long_msg; i++)
		long_msg[i] = (uint8_t)i;
	for (size_t len = 0; len <= 16; len++)
		ck_assert_uint_eq(hs_siphash13(&zero, long_msg, len), zero_key_vectors[len]);
	for (size_t len = 0; len < 16; len++)
		ck_assert_uint_eq((uint32_t)hs_siphash13(&seq, msg, len),
				  seq_key_vectors_low32[len]);
}
END_TEST

/* Unaligned input hashes as aligned input does. */
START_TEST(test_siphash13_unaligned)
{
	hs_hash_key zero = { 0, 0, 0, 0 };
	uint8_t buf[40];
	for (size_t off = 1; off < 8; off++) {
		for (size_t i = 0; i < 17; i++)
			buf[off + i] = (uint8_t)i;
		ck_assert_uint_eq(hs_siphash13(&zero, buf + off, 16), zero_key_vectors[16]);
		ck_assert_uint_eq(hs_siphash13(&zero, buf + off, 9), zero_key_vectors[9]);
	}
}
END_TEST

START_TEST(test_process_key_is_stable)
{
	const hs_hash_key *k = hs_hash_process_key();
	ck_assert(k->k0 != 0 || k->k1 != 0);
	ck_assert(k->m0 != 0 || k->m1 != 0);
	ck_assert_ptr_eq(hs_hash_process_key(), k);
#if defined(__SIZEOF_INT128__)
	ck_assert_uint_eq(hs_hash("scope/node_1", 12), hs_foldhash(k, "scope/node_1", 12));
#else
	ck_assert_uint_eq(hs_hash("scope/node_1", 12), hs_siphash13(k, "scope/node_1", 12));
#endif
	ck_assert_uint_eq(hs_hash("scope/node_1", 12), hs_hash("scope/node_1", 12));
}
END_TEST

/* This program, run again with --print-key: prints its process key. */
static const char *self;

static int print_key(void)
{
	const hs_hash_key *k = hs_hash_process_key();
	printf("%016llx%016llx\n", (unsigned long long)k->k0, (unsigned long long)k->k1);
	return 0;
}

/* The key of a new process (this program, executed afresh: a forked
 * child would share a key already made here). */
static void key_of_child(hs_hash_key *out)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		execl(self, self, "--print-key", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char text[64] = { 0 };
	ssize_t got = read(fds[0], text, sizeof text - 1);
	close(fds[0]);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	unsigned long long k0, k1;
	ck_assert_int_eq(got, 33);
	ck_assert_int_eq(sscanf(text, "%16llx%16llx", &k0, &k1), 2);
	out->k0 = k0;
	out->k1 = k1;
}

START_TEST(test_two_processes_get_different_keys)
{
	hs_hash_key a, b;
	key_of_child(&a);
	key_of_child(&b);
	ck_assert(a.k0 != b.k0 || a.k1 != b.k1);
	ck_assert(a.k0 != 0 || a.k1 != 0);
}
END_TEST

START_TEST(test_fallback_keys_differ)
{
	hs_hash_key a, b;
	hs_hash_fallback_key(&a);
	hs_hash_fallback_key(&b);
	ck_assert(a.k0 != b.k0 || a.k1 != b.k1);
	ck_assert(a.k0 != a.k1);
}
END_TEST

/* Threads racing to make the key all see the one key. */
static void *key_thread(void *arg)
{
	*(hs_hash_key *)arg = *hs_hash_process_key();
	return NULL;
}

START_TEST(test_key_made_once_across_threads)
{
	enum { N = 8 };
	pthread_t t[N];
	hs_hash_key keys[N];
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, key_thread, &keys[i]), 0);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
	for (int i = 1; i < N; i++)
		ck_assert(keys[i].k0 == keys[0].k0 && keys[i].k1 == keys[0].k1);
}
END_TEST

#if defined(__SIZEOF_INT128__)
static const hs_hash_key fold_key = { 0x243f6a8885a308d3ull, 0x13198a2e03707344ull,
				      0xa4093822299f31d0ull, 0x082efa98ec4e6c89ull };

/* Every byte of every length up to 70 reaches the hash: flipping any one
 * bit of a message changes it (covers each load path: 1-3, 4-7, 8-16
 * bytes, the 16-byte steps and the overlapping tail). */
START_TEST(test_foldhash_every_bit_counts)
{
	uint8_t buf[70];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 37 + 11);
	for (size_t len = 0; len <= sizeof buf; len++) {
		uint64_t h = hs_foldhash(&fold_key, buf, len);
		for (size_t i = 0; i < len; i++)
			for (int bit = 0; bit < 8; bit++) {
				buf[i] ^= (uint8_t)(1u << bit);
				ck_assert_msg(hs_foldhash(&fold_key, buf, len) != h,
					      "len %zu byte %zu bit %d ignored", len, i, bit);
				buf[i] ^= (uint8_t)(1u << bit);
			}
	}
}
END_TEST

/* The length is hashed: zero-padded prefixes differ; the hash is a pure
 * function of key and bytes (alignment does not matter). */
START_TEST(test_foldhash_length_and_alignment)
{
	static const uint8_t zeros[40];
	for (size_t len = 0; len < 40; len++)
		ck_assert(hs_foldhash(&fold_key, zeros, len) !=
			  hs_foldhash(&fold_key, zeros, len + 1));
	uint8_t buf[64];
	for (size_t off = 0; off < 8; off++) {
		memcpy(buf + off, "rnn/while/lstm_cell/MatMul_3", 28);
		ck_assert(hs_foldhash(&fold_key, buf + off, 28) ==
			  hs_foldhash(&fold_key, "rnn/while/lstm_cell/MatMul_3", 28));
	}
}
END_TEST

/* Another key puts names in other buckets: of 1,000 names, 10-bit bucket
 * numbers under two keys agree about as often as chance says (~1). */
START_TEST(test_foldhash_depends_on_every_key_word)
{
	for (int word = 0; word < 4; word++) {
		hs_hash_key other = fold_key;
		uint64_t *w[4] = { &other.k0, &other.k1, &other.m0, &other.m1 };
		*w[word] ^= 1ull << (word * 13 + 5);
		int same = 0;
		for (int i = 0; i < 1000; i++) {
			char name[32];
			int n = snprintf(name, sizeof name, "layer_%d/MatMul", i);
			same += ((hs_foldhash(&fold_key, name, (size_t)n) ^
				  hs_foldhash(&other, name, (size_t)n)) & 1023) == 0;
		}
		ck_assert_msg(same < 10, "key word %d: %d of 1000 buckets kept", word, same);
	}
}
END_TEST

/* Sequential names (what generated graphs are made of) fill 2^16 buckets
 * evenly: 50,000 names, no bucket holds more than a dozen. */
START_TEST(test_foldhash_spreads_sequential_names)
{
	enum { BUCKETS = 1 << 16, NAMES = 50000 };
	uint8_t *load = calloc(BUCKETS, 1);
	ck_assert_ptr_nonnull(load);
	int worst = 0;
	for (int i = 0; i < NAMES; i++) {
		char name[32];
		int n = snprintf(name, sizeof name, "n%d", i);
		uint8_t *b = &load[hs_foldhash(&fold_key, name, (size_t)n) & (BUCKETS - 1)];
		if (++*b > worst)
			worst = *b;
	}
	free(load);
	ck_assert_int_le(worst, 12);
}
END_TEST
#endif

typedef struct item {
	const char *key;
	UT_hash_handle hh;
} item;

START_TEST(test_strmap_add_and_find)
{
	static const char *const keys[] = { "a", "b", "uuid-1", "uuid-2", "" };
	item items[5], *head = NULL, *found;
	int rc;
	for (size_t i = 0; i < 5; i++) {
		items[i].key = keys[i];
		HS_STRMAP_ADD(hh, head, keys[i], strlen(keys[i]), &items[i], rc);
		ck_assert_int_eq(rc, HS_OK);
	}
	for (size_t i = 0; i < 5; i++) {
		HASH_FIND(hh, head, keys[i], strlen(keys[i]), found);
		ck_assert_ptr_eq(found, &items[i]);
	}
	HASH_FIND(hh, head, "uuid-3", 6, found);
	ck_assert_ptr_null(found);
	HASH_CLEAR(hh, head);
}
END_TEST

/* A failed allocation is an error the caller sees, not exit(3). */
START_TEST(test_strmap_add_reports_failed_allocation)
{
	item a = { "a", { 0 } }, *head = NULL, *found;
	int rc;
	fail_allocs = 1;
	HS_STRMAP_ADD(hh, head, "a", 1, &a, rc);
	fail_allocs = 0;
	ck_assert_int_eq(rc, HS_ENOMEM);
	ck_assert_str_eq(hs_error_last(), "out of memory");
	ck_assert_ptr_null(head);
	HS_STRMAP_ADD(hh, head, "a", 1, &a, rc);
	ck_assert_int_eq(rc, HS_OK);
	HASH_FIND(hh, head, "a", 1, found);
	ck_assert_ptr_eq(found, &a);
	HASH_CLEAR(hh, head);
}
END_TEST

static Suite *hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_siphash13_known_answers);
	tcase_add_test(tc, test_siphash13_unaligned);
#if defined(__SIZEOF_INT128__)
	tcase_add_test(tc, test_foldhash_every_bit_counts);
	tcase_add_test(tc, test_foldhash_length_and_alignment);
	tcase_add_test(tc, test_foldhash_depends_on_every_key_word);
	tcase_add_test(tc, test_foldhash_spreads_sequential_names);
#endif
	tcase_add_test(tc, test_process_key_is_stable);
	tcase_add_test(tc, test_two_processes_get_different_keys);
	tcase_add_test(tc, test_fallback_keys_differ);
	tcase_add_test(tc, test_key_made_once_across_threads);
	tcase_add_test(tc, test_strmap_add_and_find);
	tcase_add_test(tc, test_strmap_add_reports_failed_allocation);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--print-key") == 0)
		return print_key();
	self = argv[0];
	return tu_run(hash_suite());
}
