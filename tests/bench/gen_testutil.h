/* Helpers of the generator's tests (check_gen, check_gen_dynamic): graphs
 * written by bench/gen.c into memory, loaded and verified. */
#ifndef HS_TESTS_GEN_TESTUTIL_H
#define HS_TESTS_GEN_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "gen.h"
#include "testutil.h"

/* The bytes gen_write writes for o (caller frees); st may be NULL.  Fails
 * the test on any error. */
uint8_t *gen_test_bytes(const gen_options *o, size_t *len, gen_stats *st);

/* bytes loaded and verified (caller frees the graph). */
hs_graph *gen_test_load(const uint8_t *bytes, size_t len);

/* The graph of o, loaded and verified (caller frees). */
hs_graph *gen_test_graph(const gen_options *o, gen_stats *st);

/* The same options write the same bytes twice; seed `other` writes
 * different ones. */
void gen_test_deterministic(const gen_options *o, uint64_t other);

#endif
