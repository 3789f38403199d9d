/* Hostile graphs of issue 13, one class a test, each on an input made
 * here (large ones generated in the test, nothing committed):
 * - hangs: a NUL byte in a uuid, a function name or a node name is a
 *   problem of its call or a load error, never a loop;
 * - linear time: the adversarial shapes of bench/hostile_shapes.c at the
 *   sizes that took 12 s to minutes (Check's timeout fails them if a
 *   quadratic path comes back), converted and verified;
 * - floods: a 1 MB function name in 20,000 problems costs a few KB, the
 *   repeats are counted ("and N more like it"), and an allocation failure
 *   anywhere while recording problems fails discovery loudly, never drops
 *   a problem. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile_shapes.h"
#include "testutil.h"

/* ------------------------------------------------ allocation failure */

/* 0: off; k: the k-th allocation (malloc, calloc or realloc) fails */
static volatile long malloc_countdown;

#if !HS_TEST_ASAN
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static int allocation_fails(void)
{
	return malloc_countdown > 0 && --malloc_countdown == 0;
}

__attribute__((noinline)) void *malloc(size_t size)
{
	return allocation_fails() ? NULL : __libc_malloc(size);
}

__attribute__((noinline)) void *calloc(size_t n, size_t size)
{
	return allocation_fails() ? NULL : __libc_calloc(n, size);
}

__attribute__((noinline)) void *realloc(void *p, size_t size)
{
	return allocation_fails() ? NULL : __libc_realloc(p, size);
}
#endif

/* ------------------------------------------------------------ helpers */

/* Replaces the first occurrence of `from` in buf by `to` (same length). */
static void patch(uint8_t *buf, size_t len, const char *from, const char *to,
		  size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(buf + i, from, n)) {
			memcpy(buf + i, to, n);
			return;
		}
	ck_abort_msg("pattern not found");
}

/* x -> in (input hint) -> r -> out (output hint) -> y, call `uuid` of
 * `function`, plus a node named `other`. */
static tu_graph *small_call(const char *uuid, const char *function, const char *other)
{
	tu_graph *g = tu_graph_new();
	tu_node(g, "x", "Placeholder", NULL);
	tu_hint(tu_node(g, "in", "Identity", "x", NULL), function, uuid, 1, 0, -1, NULL);
	tu_node(g, "r", "Relu", "in", NULL);
	tu_hint(tu_node(g, "out", "Identity", "r", NULL), function, uuid, 0, 0, -1, NULL);
	tu_node(g, "y", "Relu", "out", NULL);
	if (other)
		tu_node(g, other, "Const", NULL);
	return g;
}

static int has_problem(const hs_report *r, const char *code, const char *text)
{
	for (size_t i = 0; i < hs_report_count(r); i++) {
		const hs_call_report *e = hs_report_entry(r, i);
		for (size_t k = 0; k < e->n_problems; k++)
			if (!strcmp(e->problems[k].code, code) &&
			    strstr(e->problems[k].message, text))
				return 1;
	}
	return 0;
}

/* Converts a graph given as bytes (patched), expecting success. */
static hs_report *convert_bytes(hs_graph **g, const uint8_t *buf, size_t len)
{
	hs_report *r = NULL;
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	ck_assert_int_eq(hs_graph_load_buffer(g, buf, len, "hostile", NULL), HS_OK);
	ck_assert_msg(hs_convert(&r, *g, &opts) == HS_OK, "%s", hs_error_last());
	return r;
}

/* -------------------------------------------------------------- hangs */

START_TEST(test_nul_in_uuid)
{
	/* The stub's name search looked names up by strlen ("ab", which
	 * exists) while the suffixes went after the NUL: forever. */
	tu_graph *t = small_call("ab\001cd", "f", "ab");
	size_t len;
	uint8_t *buf = tu_graph_pack(t, &len);
	for (int k = 0; k < 2; k++) /* the uuid of both hints */
		patch(buf, len, "ab\001cd", "ab\0cd", 5);
	hs_graph *g = NULL;
	hs_report *r = convert_bytes(&g, buf, len);
	ck_assert_uint_eq(hs_report_converted(r), 0);
	ck_assert_uint_eq(hs_report_errors(r), 1);
	ck_assert(has_problem(r, "bad-uuid", "contains a NUL byte at byte 2"));
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_report_free(r);
	hs_graph_free(g);
	free(buf);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_nul_in_function)
{
	tu_graph *t = small_call("u", "fn\001x", NULL);
	size_t len;
	uint8_t *buf = tu_graph_pack(t, &len);
	patch(buf, len, "fn\001x", "fn\0x", 4);
	patch(buf, len, "fn\001x", "fn\0x", 4);
	hs_graph *g = NULL;
	hs_report *r = convert_bytes(&g, buf, len);
	ck_assert_uint_eq(hs_report_converted(r), 0);
	ck_assert(has_problem(r, "bad-function", "contains a NUL byte at byte 2"));
	hs_report_free(r);
	hs_graph_free(g);
	free(buf);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_nul_in_node_name)
{
	tu_graph *t = small_call("u", "f", "na\001me");
	size_t len;
	uint8_t *buf = tu_graph_pack(t, &len);
	patch(buf, len, "na\001me", "na\0me", 5);
	hs_graph *g = (hs_graph *)&g;
	ck_assert_int_eq(hs_graph_load_buffer(&g, buf, len, "hostile", NULL), HS_EGRAPH);
	ck_assert_ptr_null(g);
	ck_assert_msg(strstr(hs_error_last(), "node name 'na\\0...' contains a NUL byte (byte 2 of the name"),
		      "%s", hs_error_last());
	free(buf);
	tu_graph_free(t);
}
END_TEST

/* -------------------------------------------------------- linear time */

/* Converts shape s at size n: the call(s) convert, the result verifies,
 * and nothing of the interior is left. */
static void convert_shape(hostile_shape s, size_t n, size_t converted, size_t nodes_left)
{
	size_t len;
	uint8_t *buf = hostile_graph(s, n, &len);
	ck_assert_ptr_nonnull(buf);
	hs_graph *g = NULL;
	hs_report *r = convert_bytes(&g, buf, len);
	ck_assert_uint_eq(hs_report_converted(r), converted);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	ck_assert_uint_eq(hs_graph_node_count(g), nodes_left);
	hs_report_free(r);
	hs_graph_free(g);
	free(buf);
}

START_TEST(test_linear_addn_fanin)
{
	/* One AddN reading an interior node 100,000 times: 12.6 s before. */
	convert_shape(HOSTILE_ADDN_FANIN, 100000, 1, 5);
}
END_TEST

START_TEST(test_linear_wide_fanout)
{
	/* 200,000 parallel interior nodes: over a minute before. */
	convert_shape(HOSTILE_WIDE_FANOUT, 200000, 1, 5);
}
END_TEST

START_TEST(test_linear_stacked_pack)
{
	/* 100k stacked hints into a Pack with 100k readers: K * M = 10^10
	 * steps of the already-converted check before (40k x 40k took 9 s,
	 * dry run or not).  Left: x_k, in_k, the stub's Pack of the hints,
	 * the stub, out, y. */
	convert_shape(HOSTILE_STACKED_PACK, 200000, 1, 100000 * 2 + 4);
}
END_TEST

START_TEST(test_linear_nested_calls)
{
	/* 100k calls inside one: each overlaps the outer one, recorded once
	 * a pair (a scan of the outer call's list per claim before). */
	size_t len;
	uint8_t *buf = hostile_graph(HOSTILE_NESTED_CALLS, 300000, &len);
	hs_graph *g = NULL;
	hs_report *r = convert_bytes(&g, buf, len);
	ck_assert_uint_eq(hs_report_count(r), 100001);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_report_free(r);
	hs_graph_free(g);
	free(buf);
}
END_TEST

START_TEST(test_linear_rewire_hub)
{
	/* hs_graph_rewire of a node read by 200,000 nodes and 100,000 times
	 * by one AddN: each reader once, each edge moved in constant time
	 * (a scan of the reader's inputs per edge and a scan of the consumer
	 * list per edge before). */
	size_t len;
	uint8_t *buf = hostile_graph(HOSTILE_WIDE_FANOUT, 200000, &len);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, buf, len, "hub", NULL), HS_OK);
	hs_node *in = hs_graph_find_node(g, "in", 2);
	size_t changed = 0;
	ck_assert_int_eq(hs_graph_rewire(&changed, g, in, -1, "x"), HS_OK);
	ck_assert_uint_eq(changed, 200000);
	ck_assert_uint_eq(hs_node_consumer_count(in), 0);
	ck_assert_uint_eq(hs_node_consumer_count(hs_graph_find_node(g, "x", 1)), 200001);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_graph_free(g);
	free(buf);
	buf = hostile_graph(HOSTILE_ADDN_FANIN, 100000, &len);
	ck_assert_int_eq(hs_graph_load_buffer(&g, buf, len, "addn", NULL), HS_OK);
	ck_assert_int_eq(hs_graph_rewire(&changed, g, hs_graph_find_node(g, "r", 1), 0, "in"),
			 HS_OK);
	ck_assert_uint_eq(changed, 100000);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_graph_free(g);
	free(buf);
}
END_TEST

/* ------------------------------------------------------------- floods */

#define FLOOD_NAME (1u << 20)
#define FLOOD_HINTS 20000

/* Call "u" of a 1 MB function: one good input and output hint, then
 * FLOOD_HINTS hints with neither index, and as many without a function
 * name: 40,000 problems quoting the uuid and the function. */
static uint8_t *flood_graph(size_t *len)
{
	char *fn = malloc(FLOOD_NAME + 1);
	memset(fn, 'F', FLOOD_NAME);
	fn[FLOOD_NAME] = '\0';
	tu_graph *t = small_call("u", fn, NULL);
	char name[32];
	for (int i = 0; i < FLOOD_HINTS; i++) {
		snprintf(name, sizeof name, "h%d", i);
		Tensorflow__NodeDef *n = tu_node(t, name, "Identity", "x", NULL);
		tu_attr_s(n, "_tflite_function_uuid", "u");
	}
	uint8_t *buf = tu_graph_pack(t, len);
	tu_graph_free(t);
	free(fn);
	return buf;
}

START_TEST(test_flood_clamped_and_counted)
{
	size_t len;
	uint8_t *buf = flood_graph(&len);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, buf, len, "flood", NULL), HS_OK);
	hs_callset *set = NULL;
	ck_assert_int_eq(hs_discover(&set, g, NULL), HS_OK);
	ck_assert_uint_eq(hs_callset_count(set), 1);
	const hs_call *c = hs_callset_call(set, 0);
	size_t bytes = 0, n = hs_call_problem_count(c);
	int no_index_more = 0, no_name_more = 0;
	for (size_t i = 0; i < n; i++) {
		const hs_problem *p = hs_call_problem(c, i);
		bytes += strlen(p->message);
		no_index_more |= !strcmp(p->message, "and 19,997 more like it (no-index)");
		no_name_more |= !strcmp(p->message, "and 19,997 more like it (bad-attr-type)");
	}
	/* 3 of each code quoted, then one line counting the rest. */
	ck_assert_uint_eq(n, 8);
	ck_assert_msg(bytes < 8 * 600, "%zu bytes of messages", bytes);
	ck_assert(no_index_more);
	ck_assert(no_name_more);
	/* The no-index lines quote the function: 200 bytes of it. */
	int clamped = 0;
	for (size_t i = 0; i < n; i++) {
		const char *m = hs_call_problem(c, i)->message;
		const char *f = strstr(m, "(FFF");
		clamped |= f && strspn(f + 1, "F") == 200 && !strncmp(f + 201, "...)", 4);
	}
	ck_assert(clamped);
	hs_callset_free(set);
	hs_graph_free(g);
	free(buf);
}
END_TEST

START_TEST(test_flood_detector_messages)
{
	/* A detector's own message is kept whole up to 2,000 bytes; its
	 * repeats are counted like the library's. */
	tu_graph *t = small_call("u", "f", NULL);
	hs_graph *g = tu_graph_load(t);
	hs_callset *set = NULL;
	hs_call *c = NULL;
	ck_assert_int_eq(hs_callset_new(&set, g), HS_OK);
	hs_str fn = { "f", 1 }, uuid = { "u", 1 };
	ck_assert_int_eq(hs_callset_add_call(&c, set, "test", fn, uuid, 1), HS_OK);
	char *long_msg = malloc(5001);
	memset(long_msg, 'm', 5000);
	long_msg[5000] = '\0';
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(hs_call_add_problem(c, HS_SEVERITY_WARNING, "mine", long_msg), HS_OK);
	ck_assert_int_eq(hs_call_add_problem(c, HS_SEVERITY_ERROR, "mine", "worse"), HS_OK);
	ck_assert_uint_eq(hs_call_problem_count(c), 4);
	const char *m = hs_call_problem(c, 0)->message;
	ck_assert_uint_eq(strlen(m), 2003);
	ck_assert_str_eq(m + 2000, "...");
	ck_assert_str_eq(hs_call_problem(c, 3)->message, "and 998 more like it (mine)");
	/* The summary carries the worst severity it counts. */
	ck_assert_int_eq(hs_call_problem(c, 3)->severity, HS_SEVERITY_ERROR);
	ck_assert(hs_call_has_errors(c));
	free(long_msg);
	hs_callset_free(set);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_flood_allocation_failure_is_loud)
{
	if (HS_TEST_ASAN)
		return;
	/* Under valgrind its own malloc replaces ours: nothing to inject. */
	void *(*volatile call)(size_t) = malloc;
	malloc_countdown = 1;
	void *volatile probe = call(16);
	malloc_countdown = 0;
	if (probe) {
		free(probe);
		return;
	}
	/* Every allocation of discovery, failed in turn: discovery either
	 * fails with HS_ENOMEM or records every problem; never success with
	 * a problem dropped. */
	tu_graph *t = small_call("u", "f", NULL);
	for (int i = 0; i < 6; i++) {
		char name[16];
		snprintf(name, sizeof name, "h%d", i);
		tu_attr_s(tu_node(t, name, "Identity", "x", NULL), "_tflite_function_uuid", "u");
	}
	hs_graph *g = tu_graph_load(t);
	ck_assert_ptr_nonnull(g);
	hs_callset *set = NULL;
	ck_assert_int_eq(hs_discover(&set, g, NULL), HS_OK);
	size_t want = hs_call_problem_count(hs_callset_call(set, 0));
	ck_assert_uint_eq(want, 8);
	hs_callset_free(set);
	int failures = 0;
	for (long k = 1; k < 10000; k++) {
		set = NULL;
		malloc_countdown = k;
		int rc = hs_discover(&set, g, NULL);
		int injected = malloc_countdown == 0;
		malloc_countdown = 0;
		if (!injected) {
			ck_assert_int_eq(rc, HS_OK);
			hs_callset_free(set);
			break;
		}
		if (rc == HS_OK) {
			/* The failed allocation was not one that mattered (e.g. a
			 * message scratch buffer retried) or was reported: every
			 * problem is there. */
			ck_assert_uint_eq(hs_call_problem_count(hs_callset_call(set, 0)), want);
			hs_callset_free(set);
			continue;
		}
		failures++;
		ck_assert_int_eq(rc, HS_ENOMEM);
		ck_assert_ptr_null(set);
		ck_assert_msg(strstr(hs_error_last(), "out of memory") != NULL, "%s",
			      hs_error_last());
	}
	ck_assert_int_gt(failures, 0);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *t = tcase_create("hangs");
	tcase_add_test(t, test_nul_in_uuid);
	tcase_add_test(t, test_nul_in_function);
	tcase_add_test(t, test_nul_in_node_name);
	suite_add_tcase(s, t);
	t = tcase_create("linear");
	/* Each took 9 s to minutes before; well under a second now. */
	tcase_set_timeout(t, 8);
	tcase_add_test(t, test_linear_addn_fanin);
	tcase_add_test(t, test_linear_wide_fanout);
	tcase_add_test(t, test_linear_stacked_pack);
	tcase_add_test(t, test_linear_nested_calls);
	tcase_add_test(t, test_linear_rewire_hub);
	suite_add_tcase(s, t);
	t = tcase_create("floods");
	tcase_set_timeout(t, 20);
	tcase_add_test(t, test_flood_clamped_and_counted);
	tcase_add_test(t, test_flood_detector_messages);
	tcase_add_test(t, test_flood_allocation_failure_is_loud);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
