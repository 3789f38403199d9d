/* HS_LOAD_PARALLEL: the names indexed and the inputs bound by a second
 * thread while the parse goes on give the graph the serial load gives,
 * and the same errors.  Graphs of tiny nodes make every block the parse
 * grows move under the thread (nodes, inputs, the name index), and
 * inputs naming later nodes take the thread's second binding.  Run by
 * ThreadSanitizer too (scripts/test.sh, stage tsan). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hintstub/hintstub.h"
#include "testutil.h"

/* Big enough for the thread (a megabyte), nodes small enough that the
 * first guesses of every block are far too small. */
#define N_NODES 60000

static char *name_of(size_t i)
{
	char *s = malloc(32);
	snprintf(s, 32, "n%zu", i);
	return s;
}

/* Node i reads i-1, i-2:1, ^i-3 (earlier), i+7 every 97th (a later one),
 * and a missing node every 101st. */
static uint8_t *build(size_t *len, long dup_of, long dup_at)
{
	tu_graph *t = tu_graph_new();
	for (size_t i = 0; i < N_NODES; i++) {
		char *nm = (long)i == dup_at ? name_of((size_t)dup_of) : name_of(i);
		char a[32], b[32], c[32], d[32], e[32];
		snprintf(a, sizeof a, "n%zu", i ? i - 1 : 0);
		snprintf(b, sizeof b, "n%zu:1", i > 1 ? i - 2 : 0);
		snprintf(c, sizeof c, "^n%zu", i > 2 ? i - 3 : 0);
		snprintf(d, sizeof d, "n%zu", (i + 7) % N_NODES);
		snprintf(e, sizeof e, "missing%zu", i);
		Tensorflow__NodeDef *n = tu_node(t, nm, i % 3 ? "Add" : "Mul", a, b, c, NULL);
		if (i % 97 == 0) {
			n->input = realloc(n->input, (n->n_input + 1) * sizeof *n->input);
			n->input[n->n_input++] = strdup(d);
		}
		if (i % 101 == 0) {
			n->input = realloc(n->input, (n->n_input + 1) * sizeof *n->input);
			n->input[n->n_input++] = strdup(e);
		}
		free(nm);
	}
	uint8_t *bytes = tu_graph_pack(t, len);
	tu_graph_free(t);
	return bytes;
}

static int load(hs_graph **g, const uint8_t *bytes, size_t len, int parallel)
{
	hs_load_options o = HS_LOAD_OPTIONS_INIT;
	o.flags = parallel ? HS_LOAD_PARALLEL : 0;
	return hs_graph_load_buffer(g, bytes, len, "t", &o);
}

static void assert_same_name(const hs_node *x, const hs_node *y)
{
	hs_str a = hs_node_name(x), b = hs_node_name(y);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.ptr, b.ptr, a.len), 0);
}

/* Every node's producers (name and port) and readers agree. */
static void assert_same_graph(const hs_graph *a, const hs_graph *b)
{
	ck_assert_uint_eq(hs_graph_node_count(a), hs_graph_node_count(b));
	const hs_node *x = hs_graph_next_node(a, NULL), *y = hs_graph_next_node(b, NULL);
	for (; x && y; x = hs_graph_next_node(a, x), y = hs_graph_next_node(b, y)) {
		assert_same_name(x, y);
		ck_assert_uint_eq(hs_node_input_count(x), hs_node_input_count(y));
		for (size_t i = 0; i < hs_node_input_count(x); i++) {
			int px = -2, py = -2;
			const hs_node *sx = hs_node_input_node(x, i, &px);
			const hs_node *sy = hs_node_input_node(y, i, &py);
			ck_assert_int_eq(px, py);
			ck_assert_int_eq(sx == NULL, sy == NULL);
			if (sx)
				assert_same_name(sx, sy);
		}
		ck_assert_uint_eq(hs_node_consumer_count(x), hs_node_consumer_count(y));
		for (size_t i = 0; i < hs_node_consumer_count(x); i++)
			assert_same_name(hs_node_consumer(x, i), hs_node_consumer(y, i));
	}
	ck_assert(!x && !y);
}

START_TEST(test_parallel_load_is_the_serial_load)
{
	size_t len;
	uint8_t *bytes = build(&len, -1, -1);
	ck_assert_uint_ge(len, 1u << 20);
	hs_graph *serial = NULL, *parallel = NULL;
	ck_assert_int_eq(load(&serial, bytes, len, 0), HS_OK);
	ck_assert_int_eq(load(&parallel, bytes, len, 1), HS_OK);
	assert_same_graph(serial, parallel);
	/* The missing producers: as dangling in both. */
	char serial_msg[512];
	ck_assert_int_ne(hs_graph_verify(serial), HS_OK);
	snprintf(serial_msg, sizeof serial_msg, "%s", hs_error_last());
	ck_assert_int_ne(hs_graph_verify(parallel), HS_OK);
	ck_assert_str_eq(hs_error_last(), serial_msg);
	void *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	ck_assert_int_eq(hs_graph_write_buffer(&a, &na, serial), HS_OK);
	ck_assert_int_eq(hs_graph_write_buffer(&b, &nb, parallel), HS_OK);
	ck_assert_uint_eq(na, nb);
	ck_assert_int_eq(memcmp(a, b, na), 0);
	free(a);
	free(b);
	hs_graph_free(serial);
	hs_graph_free(parallel);
	free(bytes);
}
END_TEST

/* A name defined twice, late in the file: the same message both ways. */
START_TEST(test_parallel_load_duplicate_name)
{
	size_t len;
	uint8_t *bytes = build(&len, 123, 45000);
	hs_graph *g = NULL;
	char serial_msg[512];
	ck_assert_int_eq(load(&g, bytes, len, 0), HS_EGRAPH);
	snprintf(serial_msg, sizeof serial_msg, "%s", hs_error_last());
	ck_assert_ptr_nonnull(strstr(serial_msg, "duplicate node name 'n123' (nodes #123 and #45000)"));
	ck_assert_int_eq(load(&g, bytes, len, 1), HS_EGRAPH);
	ck_assert_str_eq(hs_error_last(), serial_msg);
	ck_assert_ptr_null(g);
	free(bytes);
}
END_TEST

/* A parse error comes first, however far the thread got. */
START_TEST(test_parallel_load_truncated)
{
	size_t len;
	uint8_t *bytes = build(&len, -1, -1);
	hs_graph *g = NULL;
	char serial_msg[512];
	ck_assert_int_eq(load(&g, bytes, len - 3, 0), HS_EPARSE);
	snprintf(serial_msg, sizeof serial_msg, "%s", hs_error_last());
	ck_assert_int_eq(load(&g, bytes, len - 3, 1), HS_EPARSE);
	ck_assert_str_eq(hs_error_last(), serial_msg);
	free(bytes);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("load_parallel");
	TCase *tc = tcase_create("core");
	/* ThreadSanitizer and valgrind slow it down several times. */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_parallel_load_is_the_serial_load);
	tcase_add_test(tc, test_parallel_load_duplicate_name);
	tcase_add_test(tc, test_parallel_load_truncated);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
