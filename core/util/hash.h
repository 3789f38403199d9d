/* Keyed string hashing for every table indexed by input text.  Private to
 * libhintstub.
 *
 * Node names, uuids and other keys come from the graph file, so a table
 * hashing them with a fixed function can be flooded: whoever writes the
 * file picks names that all land in one bucket and turns each lookup into
 * a scan.  SipHash-1-3 keyed with a random per-process key makes the
 * bucket of a name unpredictable from outside.  Hashes are therefore
 * meaningful within one process only: never store or compare them across
 * processes. */
#ifndef HS_HASH_H
#define HS_HASH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A SipHash key: two little-endian 64-bit words (bytes 0..7, 8..15). */
typedef struct hs_hash_key {
	uint64_t k0, k1;
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

/* hs_siphash13 under the process key. */
static inline uint64_t hs_hash(const void *data, size_t len)
{
	return hs_siphash13(hs_hash_process_key(), data, len);
}

/* Test hook: the key the process would use if getrandom(2) failed.  Each
 * call gives another key. */
void hs_hash_fallback_key(hs_hash_key *out);

#endif
