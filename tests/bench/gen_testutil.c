/* Helpers of the generator's tests; see gen_testutil.h. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_testutil.h"

uint8_t *gen_test_bytes(const gen_options *o, size_t *len, gen_stats *st)
{
	char *buf = NULL;
	size_t size = 0;
	char err[256] = "";
	FILE *f = open_memstream(&buf, &size);
	ck_assert_ptr_nonnull(f);
	int rc = gen_write(f, o, st, err, sizeof err);
	fclose(f);
	ck_assert_msg(rc == 0, "gen_write: %s", err);
	*len = size;
	return (uint8_t *)buf;
}

hs_graph *gen_test_load(const uint8_t *bytes, size_t len)
{
	hs_graph *g = NULL;
	ck_assert_msg(hs_graph_load_buffer(&g, bytes, len, "gen", NULL) == HS_OK,
		      "load: %s", hs_error_last());
	ck_assert_msg(hs_graph_verify(g) == HS_OK, "verify: %s", hs_error_last());
	return g;
}

hs_graph *gen_test_graph(const gen_options *o, gen_stats *st)
{
	size_t len;
	uint8_t *bytes = gen_test_bytes(o, &len, st);
	hs_graph *g = gen_test_load(bytes, len);
	free(bytes);
	return g;
}

void gen_test_deterministic(const gen_options *o, uint64_t other)
{
	size_t a_len, b_len, c_len;
	uint8_t *a = gen_test_bytes(o, &a_len, NULL);
	uint8_t *b = gen_test_bytes(o, &b_len, NULL);
	ck_assert_uint_eq(a_len, b_len);
	ck_assert_int_eq(memcmp(a, b, a_len), 0);
	gen_options reseeded = *o;
	reseeded.seed = other;
	uint8_t *c = gen_test_bytes(&reseeded, &c_len, NULL);
	ck_assert(a_len != c_len || memcmp(a, c, a_len) != 0);
	free(a);
	free(b);
	free(c);
}
