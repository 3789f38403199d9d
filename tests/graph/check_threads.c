/* Threads: the promise that a const graph is only read, and that a thread
 * may work on its own graphs while others do the same.
 *
 *  - shared: several threads read one loaded graph at once (iteration,
 *    lookups, attributes, consumers, verify, writing to a buffer, sizes,
 *    discovery and planning);
 *    each must see what a single thread sees;
 *  - own graphs: several threads each load, convert and write a graph to
 *    a file of their own; every output equals a conversion done alone.
 *
 * Built into `make check`; under `./configure --enable-tsan` the same
 * program is ThreadSanitizer's witness (scripts/test.sh, stage tsan). */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hintstub/hintstub.h"
#include "testutil.h"

#define FIXTURE HS_TEST_DATA "/ophint_lstm.pb"
#define N_THREADS 4
#define ROUNDS 20

/* ------------------------------------------------------ shared graph */

/* What one reader sees of the graph; equal across threads. */
typedef struct reading {
	size_t nodes, inputs, consumers, attrs, found, attr_bytes;
	size_t serialized_size, written_size;
	int written_same;  /* hs_graph_write_buffer gave the loaded bytes */
	int verify_rc;
	int calls;         /* hs_discover: call count, -1 on failure */
	size_t planned;    /* hs_plan_new: calls planned for conversion */
} reading;

typedef struct shared_arg {
	const hs_graph *g;
	const uint8_t *bytes;  /* the file the graph was loaded from */
	size_t len;
	pthread_barrier_t *start;
	reading got;
	int rc;
	char error[256];
} shared_arg;

static void read_graph(reading *r, const hs_graph *g, const uint8_t *bytes,
		       size_t len)
{
	memset(r, 0, sizeof *r);
	for (const hs_node *n = hs_graph_next_node(g, NULL); n;
	     n = hs_graph_next_node(g, n)) {
		hs_str name = hs_node_name(n);
		r->nodes++;
		if (hs_graph_find_node(g, name.ptr, name.len) == n)
			r->found++;
		r->inputs += hs_node_input_count(n);
		for (size_t i = 0; i < hs_node_input_count(n); i++) {
			int port;
			(void)hs_node_input_node(n, i, &port);
		}
		r->consumers += hs_node_consumer_count(n);
		for (size_t i = 0; i < hs_node_consumer_count(n); i++)
			(void)hs_node_name(hs_node_consumer(n, i));
		size_t n_attrs = hs_node_attr_count(n);
		r->attrs += n_attrs;
		for (size_t i = 0; i < n_attrs; i++) {
			hs_str key = hs_node_attr_key(n, i);
			char k[256];
			snprintf(k, sizeof k, "%.*s", (int)key.len, key.ptr);
			hs_attr a;
			if (hs_node_attr(&a, n, k) == HS_OK)
				r->attr_bytes += key.len;
		}
	}
	r->verify_rc = hs_graph_verify(g);
	r->serialized_size = hs_graph_serialized_size(g);
	void *out = NULL;
	size_t out_len = 0;
	if (hs_graph_write_buffer(&out, &out_len, g) == HS_OK) {
		r->written_size = out_len;
		r->written_same = out_len == len && memcmp(out, bytes, len) == 0;
	}
	hs_free(out);
	/* Discovery and planning only read the graph too. */
	hs_callset *calls = NULL;
	hs_plan *plan = NULL;
	r->calls = -1;
	if (hs_discover(&calls, g, NULL) == HS_OK &&
	    hs_plan_new(&plan, g, calls, NULL) == HS_OK) {
		r->calls = (int)hs_callset_count(calls);
		r->planned = hs_plan_converted(plan);
	}
	hs_plan_free(plan);
	hs_callset_free(calls);
}

static int same_reading(const reading *a, const reading *b)
{
	return a->nodes == b->nodes && a->inputs == b->inputs &&
	       a->consumers == b->consumers && a->attrs == b->attrs &&
	       a->found == b->found && a->attr_bytes == b->attr_bytes &&
	       a->serialized_size == b->serialized_size &&
	       a->written_size == b->written_size &&
	       a->written_same == b->written_same &&
	       a->verify_rc == b->verify_rc && a->calls == b->calls &&
	       a->planned == b->planned;
}

static void *shared_reader(void *p)
{
	shared_arg *a = p;
	pthread_barrier_wait(a->start);
	for (int round = 0; round < ROUNDS; round++) {
		reading r;
		read_graph(&r, a->g, a->bytes, a->len);
		if (round > 0 && !same_reading(&r, &a->got)) {
			a->rc = -1;
			snprintf(a->error, sizeof a->error, "round %d read differently", round);
			return NULL;
		}
		a->got = r;
	}
	return NULL;
}

START_TEST(test_threads_share_one_const_graph)
{
	size_t len;
	uint8_t *bytes = tu_read_file(FIXTURE, &len);
	ck_assert_ptr_nonnull(bytes);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, bytes, len, "shared", NULL), HS_OK);
	reading alone;
	read_graph(&alone, g, bytes, len);
	ck_assert_uint_gt(alone.nodes, 10);
	ck_assert_uint_eq(alone.found, alone.nodes);
	ck_assert_int_eq(alone.verify_rc, HS_OK);
	ck_assert(alone.written_same);
	ck_assert_uint_eq(alone.serialized_size, len);
	ck_assert_int_gt(alone.calls, 0);
	ck_assert_uint_gt(alone.planned, 0);

	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, N_THREADS);
	shared_arg args[N_THREADS];
	pthread_t tids[N_THREADS];
	for (int i = 0; i < N_THREADS; i++) {
		memset(&args[i], 0, sizeof args[i]);
		args[i].g = g;
		args[i].bytes = bytes;
		args[i].len = len;
		args[i].start = &start;
		ck_assert_int_eq(pthread_create(&tids[i], NULL, shared_reader, &args[i]), 0);
	}
	for (int i = 0; i < N_THREADS; i++)
		ck_assert_int_eq(pthread_join(tids[i], NULL), 0);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < N_THREADS; i++) {
		ck_assert_msg(args[i].rc == 0, "thread %d: %s", i, args[i].error);
		ck_assert_msg(same_reading(&args[i].got, &alone),
			      "thread %d saw the graph differently", i);
	}
	hs_graph_free(g);
	free(bytes);
}
END_TEST

/* ---------------------------------------------------- own graphs */

typedef struct own_arg {
	const char *path;       /* where this thread writes */
	pthread_barrier_t *start;
	size_t converted;
	int rc;
	char error[512];
} own_arg;

static int convert_own(own_arg *a)
{
	hs_graph *g = NULL;
	hs_report *r = NULL;
	int rc = hs_graph_load_file(&g, FIXTURE, NULL);
	if (rc == HS_OK)
		rc = hs_convert(&r, g, NULL);
	if (rc == HS_OK) {
		a->converted = hs_report_converted(r);
		rc = hs_graph_write_file(g, a->path);
	}
	if (rc != HS_OK)
		snprintf(a->error, sizeof a->error, "%s", hs_error_last());
	hs_report_free(r);
	hs_graph_free(g);
	return rc;
}

static void *own_worker(void *p)
{
	own_arg *a = p;
	pthread_barrier_wait(a->start);
	for (int round = 0; round < 3 && a->rc == HS_OK; round++)
		a->rc = convert_own(a);
	return NULL;
}

START_TEST(test_threads_convert_own_graphs)
{
	char *dir = tu_tmpdir();
	char *alone_path = tu_path(dir, "alone.pb");
	own_arg alone = { alone_path, NULL, 0, 0, "" };
	ck_assert_msg(convert_own(&alone) == HS_OK, "%s", alone.error);
	ck_assert_uint_gt(alone.converted, 0);
	size_t want_len;
	uint8_t *want = tu_read_file(alone_path, &want_len);
	ck_assert_ptr_nonnull(want);

	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, N_THREADS);
	own_arg args[N_THREADS];
	pthread_t tids[N_THREADS];
	char *paths[N_THREADS];
	for (int i = 0; i < N_THREADS; i++) {
		char name[32];
		snprintf(name, sizeof name, "out-%d.pb", i);
		paths[i] = tu_path(dir, name);
		own_arg init = { paths[i], &start, 0, 0, "" };
		args[i] = init;
		ck_assert_int_eq(pthread_create(&tids[i], NULL, own_worker, &args[i]), 0);
	}
	for (int i = 0; i < N_THREADS; i++)
		ck_assert_int_eq(pthread_join(tids[i], NULL), 0);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < N_THREADS; i++) {
		ck_assert_msg(args[i].rc == HS_OK, "thread %d: %s", i, args[i].error);
		ck_assert_uint_eq(args[i].converted, alone.converted);
		size_t got_len;
		uint8_t *got = tu_read_file(paths[i], &got_len);
		ck_assert_ptr_nonnull(got);
		ck_assert_msg(got_len == want_len && memcmp(got, want, want_len) == 0,
			      "thread %d wrote another graph", i);
		free(got);
	}
	/* Outputs and nothing else: no temporary survived. */
	ck_assert_int_eq(tu_dir_count(dir), N_THREADS + 1);
	for (int i = 0; i < N_THREADS; i++) {
		remove(paths[i]);
		free(paths[i]);
	}
	remove(alone_path);
	free(alone_path);
	free(want);
	remove(dir);
	free(dir);
}
END_TEST

static Suite *threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("core");
	/* ThreadSanitizer slows everything down several times. */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_threads_share_one_const_graph);
	tcase_add_test(tc, test_threads_convert_own_graphs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(threads_suite()); }
