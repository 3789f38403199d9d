/* Keyed string hashing for every table indexed by input text.  Private to
 * libhintstub.
 *
 * Node names, uuids and other keys come from the graph file, so a table
 * hashing them with a fixed function can be flooded: whoever writes the
 * file picks names that all land in one bucket and turns each lookup into
 * a scan.  Keying the hash with a random per-process key makes the bucket
 * of a name unpredictable from outside.  Hashes are therefore meaningful
 * within one process only: never store or compare them across processes.
 *
 * Tables use a folded-multiply hash (hs_foldhash): 16 bytes a step, each
 * step one 64x64->128-bit multiply of key-masked words whose halves are
 * xored, the scheme of Go's runtime map hash (wyhash-derived) and Rust's
 * foldhash, both keyed per process for the same reason.  SipHash-1-3 (kept
 * below: the fallback where no 128-bit product exists, and the key mixer)
 * was measured 1.4x the unkeyed hash on scattered lookups of a million
 * names: its rounds fill the out-of-order window that otherwise overlaps
 * the cache misses of successive lookups.  Neither is a MAC; a table only
 * needs the bucket to be unguessable without the key. */
#ifndef HS_HASH_H
#define HS_HASH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A process key: the SipHash key (two little-endian 64-bit words, bytes
 * 0..7 and 8..15) and two more random words masking hs_foldhash's
 * multiplications. */
typedef struct hs_hash_key {
	uint64_t k0, k1;
	uint64_t m0, m1;
} hs_hash_key;

/* SipHash: Aumasson and Bernstein, "SipHash: a fast short-input PRF"
 * (2012).  SipHash-c-d absorbs the message in 8-byte little-endian words,
 * c SipRounds each; the last word carries the length's low byte in its
 * top byte; then 0xff is xored into v2 and d SipRounds finish.  c = 1,
 * d = 3 is the variant hash tables use (Python, Rust's HashMap): weaker
 * than 2-4 as a MAC, still unpredictable without the key. */
static inline uint64_t hs_rotl64(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

#define HS_SIPROUND(v0, v1, v2, v3) do {					\
		v0 += v1; v1 = hs_rotl64(v1, 13); v1 ^= v0; v0 = hs_rotl64(v0, 32); \
		v2 += v3; v3 = hs_rotl64(v3, 16); v3 ^= v2;			\
		v0 += v3; v3 = hs_rotl64(v3, 21); v3 ^= v0;			\
		v2 += v1; v1 = hs_rotl64(v1, 17); v1 ^= v2; v2 = hs_rotl64(v2, 32); \
	} while (0)

/* The n <= 8 bytes at p as a little-endian number. */
static inline uint64_t hs_load_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&v, p, n);
#else
	for (size_t i = n; i-- > 0;)
		v = (v << 8) | p[i];
#endif
	return v;
}

static inline uint64_t hs_siphash13(const hs_hash_key *key, const void *data,
				    size_t len)
{
	const uint8_t *p = data;
	uint64_t v0 = key->k0 ^ 0x736f6d6570736575ull;
	uint64_t v1 = key->k1 ^ 0x646f72616e646f6dull;
	uint64_t v2 = key->k0 ^ 0x6c7967656e657261ull;
	uint64_t v3 = key->k1 ^ 0x7465646279746573ull;
	size_t words = len / 8;
	for (size_t i = 0; i < words; i++, p += 8) {
		uint64_t m = hs_load_le(p, 8);
		v3 ^= m;
		HS_SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	uint64_t last = (uint64_t)(len & 0xff) << 56;
	switch (len & 7) { /* not memcpy: a call for a variable length */
	case 7: last |= (uint64_t)p[6] << 48; /* fall through */
	case 6: last |= (uint64_t)p[5] << 40; /* fall through */
	case 5: last |= (uint64_t)p[4] << 32; /* fall through */
	case 4: last |= (uint64_t)p[3] << 24; /* fall through */
	case 3: last |= (uint64_t)p[2] << 16; /* fall through */
	case 2: last |= (uint64_t)p[1] << 8; /* fall through */
	case 1: last |= (uint64_t)p[0]; break;
	default: break;
	}
	v3 ^= last;
	HS_SIPROUND(v0, v1, v2, v3);
	v0 ^= last;
	v2 ^= 0xff;
	HS_SIPROUND(v0, v1, v2, v3);
	HS_SIPROUND(v0, v1, v2, v3);
	HS_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/* The process key: random, made on first use (thread-safe), the same for
 * the life of the process.  Inline: every name lookup asks for it. */
extern hs_hash_key hs_hash_key_made;
extern atomic_int hs_hash_key_ready;
const hs_hash_key *hs_hash_make_key(void);
static inline const hs_hash_key *hs_hash_process_key(void)
{
	if (atomic_load_explicit(&hs_hash_key_ready, memory_order_acquire))
		return &hs_hash_key_made;
	return hs_hash_make_key();
}

#if defined(__SIZEOF_INT128__)
/* The 128-bit product of a and b, its halves xored. */
static inline uint64_t hs_fold_mul(uint64_t a, uint64_t b)
{
	unsigned __int128 p = (unsigned __int128)a * b;
	return (uint64_t)p ^ (uint64_t)(p >> 64);
}

/* The folded-multiply hash (see the top of this file).  Every step masks
 * both factors with secret words, so no input can make a factor zero
 * (and the step forget its other word) without knowing the key. */
static inline uint64_t hs_foldhash(const hs_hash_key *key, const void *data,
				   size_t len)
{
	const uint8_t *p = data, *end = p + len;
	uint64_t h = key->k0 ^ ((uint64_t)len * 0x9e3779b97f4a7c15ull);
	uint64_t a, b;
	if (len > 16) {
		for (; end - p > 16; p += 16)
			h = hs_fold_mul(hs_load_le(p, 8) ^ key->m0,
					hs_load_le(p + 8, 8) ^ h);
		a = hs_load_le(end - 16, 8); /* the last 16 bytes, overlapping */
		b = hs_load_le(end - 8, 8);
	} else if (len >= 8) {
		a = hs_load_le(p, 8);
		b = hs_load_le(end - 8, 8);
	} else if (len >= 4) {
		a = hs_load_le(p, 4);
		b = hs_load_le(end - 4, 4);
	} else if (len > 0) {
		a = p[0];
		b = (uint64_t)p[len / 2] << 8 | end[-1];
	} else {
		a = b = 0;
	}
	h = hs_fold_mul(a ^ key->m0, b ^ h);
	return hs_fold_mul(h ^ key->m1, key->k1 ^ len);
}
#endif

/* The keyed hash of every table, under the process key. */
static inline uint64_t hs_hash(const void *data, size_t len)
{
#if defined(__SIZEOF_INT128__)
	return hs_foldhash(hs_hash_process_key(), data, len);
#else
	return hs_siphash13(hs_hash_process_key(), data, len);
#endif
}

/* Test hook: the key the process would use if getrandom(2) failed.  Each
 * call gives another key. */
void hs_hash_fallback_key(hs_hash_key *out);

#endif
