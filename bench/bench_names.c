/* bench_names: the graph's node-name index (core/name_index.c) against a
 * uthash table (core/strmap.h), on the node names of a generated graph.
 *
 *   bench_names FILE [REPETITIONS]
 *
 * Five tables over the same names: the open-addressing index with the
 * keyed folded-multiply hash it uses (hash.h), the same index with the
 * keyed SipHash-1-3 it used before, and with the unkeyed multiply-xorshift
 * hash it used before that (for the cost of keying), and
 * uthash keyed as strmap.h keys it, with the entry beside the node (as a
 * handle in hs_node would be) or in a block of its own.  Each builds the
 * table for every name (hash included), then looks every name up, in
 * file order (inputs name recent nodes) and in a scattered order, and
 * looks up as many absent names.  Medians of REPETITIONS (default 5),
 * all in one process, variants interleaved (each rep starting with the
 * next one). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "graph_internal.h"
#include "strmap.h"

typedef struct name_entry {
	const hs_node *node;
	UT_hash_handle hh;
} name_entry;

typedef struct names {
	hs_graph g;           /* only bytes, nodes, n_nodes, live_count,
				 names */
	char **miss;          /* absent names: each name with a suffix */
	size_t *scatter;      /* a permutation of the node indices */
	name_entry *entries;
} names;

typedef uint32_t (*hash_fn)(const char *p, size_t len);

/* Bytes each table takes beyond the names and nodes (last run). */
static size_t index_bytes, uthash_bytes;

/* The index's hash until keyed hashing: fast, unseeded, invertible. */
static uint32_t unkeyed_hash(const char *p, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
	while (len >= 8) {
		uint64_t v;
		memcpy(&v, p, 8);
		h = (h ^ v) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 29;
		p += 8;
		len -= 8;
	}
	uint64_t v = 0;
	memcpy(&v, p, len);
	h = (h ^ v) * 0x94d049bb133111ebull;
	h ^= h >> 32;
	return (uint32_t)h;
}

static uint32_t siphash_name_hash(const char *p, size_t len)
{
	return (uint32_t)hs_siphash13(hs_hash_process_key(), p, len);
}

static int read_names(names *s, const char *path)
{
	size_t size;
	uint8_t *bytes = bench_read_file(path, &size);
	if (!bytes)
		return -1;
	const uint8_t *p = bytes, *end = bytes + size;
	size_t cap = 1 << 20;
	hs_field f, nf;
	s->g.bytes = bytes; /* names are offsets into them */
	s->g.size = size;
	s->g.nodes = calloc(cap, sizeof *s->g.nodes);
	while (s->g.nodes && hs_wire_next(&f, &p, end) == HS_WIRE_OK) {
		if (f.number != HS_GRAPH_NODE || f.wire_type != HS_WT_LEN)
			continue;
		if (s->g.n_nodes == cap) {
			cap *= 2;
			s->g.nodes = realloc(s->g.nodes, cap * sizeof *s->g.nodes);
			if (!s->g.nodes)
				break;
		}
		hs_node *n = &s->g.nodes[s->g.n_nodes];
		memset(n, 0, sizeof *n);
		n->graph = &s->g; /* its id: its index */
		const uint8_t *q = f.data, *qe = q + f.len;
		while (hs_wire_next(&nf, &q, qe) == HS_WIRE_OK)
			if (nf.number == HS_NODE_NAME && nf.wire_type == HS_WT_LEN) {
				n->name_off = (uint32_t)(nf.data - bytes); /* prefixed */
			}
		s->g.n_nodes++;
	}
	if (!s->g.nodes)
		return -1;
	size_t n = s->g.n_nodes;
	s->g.live_count = n;
	s->miss = malloc(n * sizeof *s->miss);
	s->scatter = malloc(n * sizeof *s->scatter);
	s->entries = calloc(n, sizeof *s->entries);
	if (!s->miss || !s->scatter || !s->entries)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const hs_str name = hs_name_of(&s->g.nodes[i]), *nm = &name;
		if (!(s->miss[i] = malloc(nm->len + 3)))
			return -1;
		memcpy(s->miss[i], nm->ptr, nm->len);
		memcpy(s->miss[i] + nm->len, "/x", 3);
		s->scatter[i] = i;
	}
	uint64_t x = 88172645463325252ull; /* xorshift64: a fixed shuffle */
	for (size_t i = n; i > 1; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t j = (size_t)(x % i), t = s->scatter[i - 1];
		s->scatter[i - 1] = s->scatter[j];
		s->scatter[j] = t;
	}
	return 0;
}

/* figures: build, lookups in file order, scattered, misses (ms). */
static void time_index(names *s, hash_fn hash, double *fig)
{
	hs_graph *g = &s->g;
	size_t n = g->n_nodes, hits = 0;
	double t0 = bench_now_ms();
	if (hs_name_index_init(g, n) != HS_OK)
		exit(1);
	for (size_t i = 0; i < n; i++) {
		hs_node *nd = &g->nodes[i];
		if (hs_name_index_add_hashed(g, nd, hash(hs_name_of(nd).ptr, hs_name_of(nd).len),
					     NULL) != HS_OK)
			exit(1);
	}
	double t1 = bench_now_ms();
	for (size_t i = 0; i < n; i++) {
		const hs_str name = hs_name_of(&g->nodes[i]), *nm = &name;
		hits += hs_name_index_find_hashed(g, nm->ptr, nm->len,
						  hash(nm->ptr, nm->len)) != NULL;
	}
	double t2 = bench_now_ms();
	for (size_t i = 0; i < n; i++) {
		const hs_str name = hs_name_of(&g->nodes[s->scatter[i]]), *nm = &name;
		hits += hs_name_index_find_hashed(g, nm->ptr, nm->len,
						  hash(nm->ptr, nm->len)) != NULL;
	}
	double t3 = bench_now_ms();
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(s->miss[i]);
		hits += hs_name_index_find_hashed(g, s->miss[i], len,
						  hash(s->miss[i], len)) != NULL;
	}
	double t4 = bench_now_ms();
	index_bytes = g->names.cap * sizeof *g->names.slots;
	hs_name_index_free(g);
	if (hits != 2 * n)
		exit(1);
	fig[0] = t1 - t0; fig[1] = t2 - t1; fig[2] = t3 - t2; fig[3] = t4 - t3;
}

static const name_entry *uthash_find(name_entry *head, const char *p, size_t len)
{
	name_entry *e;
	HASH_FIND(hh, head, p, len, e);
	return e;
}

/* As time_index; entries one block (like a handle in every node) or one
 * allocation each. */
static void time_uthash(names *s, int block, double *fig)
{
	hs_graph *g = &s->g;
	size_t n = g->n_nodes, hits = 0;
	name_entry *head = NULL;
	int rc;
	double t0 = bench_now_ms();
	for (size_t i = 0; i < n; i++) {
		name_entry *e = block ? &s->entries[i] : malloc(sizeof *e);
		if (!e)
			exit(1);
		e->node = &g->nodes[i];
		HS_STRMAP_ADD(hh, head, hs_name_of(e->node).ptr, hs_name_of(e->node).len, e, rc);
		if (rc)
			exit(1);
	}
	double t1 = bench_now_ms();
	for (size_t i = 0; i < n; i++)
		hits += uthash_find(head, hs_name_of(&g->nodes[i]).ptr, hs_name_of(&g->nodes[i]).len) != NULL;
	double t2 = bench_now_ms();
	for (size_t i = 0; i < n; i++) {
		const hs_str name = hs_name_of(&g->nodes[s->scatter[i]]), *nm = &name;
		hits += uthash_find(head, nm->ptr, nm->len) != NULL;
	}
	double t3 = bench_now_ms();
	for (size_t i = 0; i < n; i++)
		hits += uthash_find(head, s->miss[i], strlen(s->miss[i])) != NULL;
	double t4 = bench_now_ms();
	/* A handle per entry (in the node, were uthash the index), buckets. */
	uthash_bytes = n * sizeof(UT_hash_handle) + sizeof(UT_hash_table) +
		       head->hh.tbl->num_buckets * sizeof(UT_hash_bucket);
	name_entry *e, *tmp;
	HASH_ITER(hh, head, e, tmp) {
		HASH_DEL(head, e);
		if (!block)
			free(e);
	}
	if (hits != 2 * n)
		exit(1);
	fig[0] = t1 - t0; fig[1] = t2 - t1; fig[2] = t3 - t2; fig[3] = t4 - t3;
}

enum { V_KEYED, V_SIPHASH, V_UNKEYED, V_UTHASH_BLOCK, V_UTHASH_MALLOC, N_VARIANTS,
       N_FIG = 4 };

static const char *const variant_names[N_VARIANTS] = {
	"name index, keyed folded multiply", "name index, keyed SipHash-1-3",
	"name index, old unkeyed hash",
	"uthash, SipHash-1-3, entries in a block", "uthash, SipHash-1-3, malloc'd entries"
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_names FILE [REPETITIONS]\n");
		return 2;
	}
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	if (reps < 1)
		reps = 1;
	names s;
	memset(&s, 0, sizeof s);
	if (read_names(&s, argv[1]) != 0) {
		fprintf(stderr, "bench_names: cannot read %s\n", argv[1]);
		return 1;
	}
	double *runs = calloc((size_t)reps * N_VARIANTS * N_FIG, sizeof *runs);
	if (!runs)
		return 1;
	for (int r = -1; r < reps; r++) /* run -1: warm-up */
		for (int step = 0; step < N_VARIANTS; step++) {
			/* Each rep starts with another variant: no order bias. */
			int v = (step + (r < 0 ? 0 : r)) % N_VARIANTS;
			double fig[N_FIG];
			if (v == V_KEYED)
				time_index(&s, hs_name_hash, fig);
			else if (v == V_SIPHASH)
				time_index(&s, siphash_name_hash, fig);
			else if (v == V_UNKEYED)
				time_index(&s, unkeyed_hash, fig);
			else
				time_uthash(&s, v == V_UTHASH_BLOCK, fig);
			for (int k = 0; r >= 0 && k < N_FIG; k++)
				runs[((size_t)k * N_VARIANTS + v) * reps + r] = fig[k];
		}
	double med[N_VARIANTS][N_FIG + 1];
	printf("%zu names, medians of %d (ms): build, lookups in file order, "
	       "scattered, absent names; build + all lookups\n", s.g.n_nodes, reps);
	for (int v = 0; v < N_VARIANTS; v++) {
		med[v][N_FIG] = 0;
		for (int k = 0; k < N_FIG; k++) {
			med[v][k] = bench_median(&runs[((size_t)k * N_VARIANTS + v) * reps], (size_t)reps);
			med[v][N_FIG] += med[v][k];
		}
		printf("  %-42s %7.1f %7.1f %7.1f %7.1f  total %7.1f\n", variant_names[v],
		       med[v][0], med[v][1], med[v][2], med[v][3], med[v][N_FIG]);
	}
	printf("  memory beyond names and nodes: index %.1f MiB, uthash %.1f MiB\n",
	       index_bytes / 1048576.0, uthash_bytes / 1048576.0);
	char value[64];
	double keyed = med[V_KEYED][N_FIG], old = med[V_UNKEYED][N_FIG];
	double ut = med[V_UTHASH_BLOCK][N_FIG];
	snprintf(value, sizeof value, "%.2f (%.0f / %.0f ms)", keyed / old, keyed, old);
	bench_summary("names: keyed / unkeyed index, build+lookups", value, "<= 1.1",
		      keyed / old <= 1.1);
	double ks = med[V_KEYED][2], os = med[V_UNKEYED][2];
	snprintf(value, sizeof value, "%.2f (%.0f / %.0f ms)", ks / os, ks, os);
	bench_summary("names: keyed / unkeyed index, scattered lookups", value, "<= 1.1",
		      ks / os <= 1.1);
	double sip = med[V_SIPHASH][N_FIG];
	snprintf(value, sizeof value, "%.2f (%.0f / %.0f ms)", keyed / sip, keyed, sip);
	bench_summary("names: folded multiply / SipHash-1-3, build+lookups", value, "(info)", 1);
	snprintf(value, sizeof value, "%.2f (%.0f / %.0f ms)", keyed / ut, keyed, ut);
	bench_summary("names: index / uthash (keyed), build+lookups", value, "(info)", 1);
	return 0;
}
