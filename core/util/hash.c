/* The process key for hash.h. */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"
#include "strmap.h"

/* ------------------------------------------------------------- the key */

hs_hash_key hs_hash_key_made;
atomic_int hs_hash_key_ready;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

/* Without getrandom (old kernel, seccomp filter): the clocks, the process
 * id, addresses (ASLR) and a counter, mixed through SipHash so that every
 * input bit reaches every key bit.  Unpredictable enough to spoil a
 * prepared flood, which is all a hash table key has to do. */
void hs_hash_fallback_key(hs_hash_key *out)
{
	static atomic_uint_fast64_t calls;
	struct timespec rt = { 0, 0 }, mono = { 0, 0 };
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	uint64_t seed[7] = {
		(uint64_t)rt.tv_sec, (uint64_t)rt.tv_nsec,
		(uint64_t)mono.tv_sec, (uint64_t)mono.tv_nsec,
		(uint64_t)getpid() << 32 | (uint64_t)atomic_fetch_add(&calls, 1),
		(uint64_t)(uintptr_t)&seed, (uint64_t)(uintptr_t)&hs_hash_fallback_key
	};
	hs_hash_key mix = { 0x0123456789abcdefull, 0xfedcba9876543210ull, 0, 0 };
	out->k0 = hs_siphash13(&mix, seed, sizeof seed);
	mix.k0 = out->k0;
	out->k1 = hs_siphash13(&mix, seed, sizeof seed);
	mix.k1 = out->k1;
	out->m0 = hs_siphash13(&mix, seed, sizeof seed);
	mix.k0 = out->m0;
	out->m1 = hs_siphash13(&mix, seed, sizeof seed);
}

static int random_key(hs_hash_key *out)
{
	uint8_t bytes[32];
	size_t got = 0;
	while (got < sizeof bytes) {
		ssize_t r = getrandom(bytes + got, sizeof bytes - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	out->k0 = hs_load_le(bytes, 8);
	out->k1 = hs_load_le(bytes + 8, 8);
	out->m0 = hs_load_le(bytes + 16, 8);
	out->m1 = hs_load_le(bytes + 24, 8);
	return 0;
}

static void make_key(void)
{
	if (random_key(&hs_hash_key_made) != 0)
		hs_hash_fallback_key(&hs_hash_key_made);
	atomic_store_explicit(&hs_hash_key_ready, 1, memory_order_release);
}

const hs_hash_key *hs_hash_make_key(void)
{
	pthread_once(&key_once, make_key);
	return &hs_hash_key_made;
}

/* strmap.h's flag for uthash's failed allocations. */
_Thread_local int hs_strmap_oom;
