/* bench_render: inspect's rendering alone, against copying its bytes.
 *
 *   bench_render FILE [REPETITIONS]
 *
 * Loads FILE (mapped, as the CLI does), discovers its OpHint calls and
 * plans them without plugins, once; then, REPETITIONS rounds (default 5,
 * after a warm-up round), times hs_plan_write_text and hs_plan_write_json
 * into a write function that only counts the slices, and memcpy of the
 * same bytes in the same slices (the floor: what a rendering that only
 * copied would cost).  All in one process, by the thread's CPU time (the
 * machine may be shared), the three interleaved in each round.  Prints
 * the medians; the summary lines are for information: the rendering
 * includes the op histogram (count_ops), which the floor does not.  Then
 * the text by hs_plan_write_text_parallel against hs_plan_write_text in
 * wall time (two threads' CPU time is not the point there). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "hintstub/hintstub.h"

enum { MAX_REPS = 64 };

static double thread_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The rendering as the write function received it. */
typedef struct capture {
	char *data;
	size_t len, cap;
	size_t *slices;       /* the length of each slice */
	size_t n_slices, slices_cap;
} capture;

static int count_slice(const char *data, size_t len, void *payload)
{
	(void)data;
	*(size_t *)payload += len;
	return 0;
}

static int keep_slice(const char *data, size_t len, void *payload)
{
	capture *c = payload;
	if (c->len + len > c->cap) {
		size_t cap = (c->len + len) * 2;
		char *p = realloc(c->data, cap);
		if (!p)
			return -1;
		c->data = p;
		c->cap = cap;
	}
	if (c->n_slices == c->slices_cap) {
		size_t cap = c->slices_cap ? c->slices_cap * 2 : 1024;
		size_t *p = realloc(c->slices, cap * sizeof *p);
		if (!p)
			return -1;
		c->slices = p;
		c->slices_cap = cap;
	}
	memcpy(c->data + c->len, data, len);
	c->len += len;
	c->slices[c->n_slices++] = len;
	return 0;
}

/* The floor: the captured bytes copied slice by slice into one buffer of
 * the largest slice, as a write function would receive them. */
static double copy_ms(const capture *c, char *to)
{
	double t0 = thread_ms();
	size_t at = 0;
	for (size_t i = 0; i < c->n_slices; i++) {
		memcpy(to, c->data + at, c->slices[i]);
		at += c->slices[i];
	}
	__asm__ volatile("" : : "r"(to) : "memory"); /* the copies are used */
	return thread_ms() - t0;
}

typedef int (*render_fn)(const hs_plan *p, hs_write_fn fn, void *payload);

/* One rendering timed by `clock` (thread_ms: this thread's CPU time;
 * bench_now_ms: wall time, for two threads). */
static double render_ms_by(double (*clock)(void), render_fn render, const hs_plan *p,
			   size_t *bytes)
{
	*bytes = 0;
	double t0 = clock();
	if (render(p, count_slice, bytes) != HS_OK) {
		fprintf(stderr, "bench_render: %s\n", hs_error_last());
		exit(1);
	}
	return clock() - t0;
}

static double render_ms(render_fn render, const hs_plan *p, size_t *bytes)
{
	return render_ms_by(thread_ms, render, p, bytes);
}

/* Wall time of the text, one thread against two, interleaved. */
static void report_parallel(const hs_plan *p, int reps)
{
	double one[MAX_REPS], two[MAX_REPS];
	size_t b1 = 0, b2 = 0;
	for (int r = -1; r < reps; r++) {
		double a = render_ms_by(bench_now_ms, hs_plan_write_text, p, &b1);
		double b = render_ms_by(bench_now_ms, hs_plan_write_text_parallel, p, &b2);
		if (r >= 0)
			one[r] = a, two[r] = b;
	}
	if (b1 != b2) {
		fprintf(stderr, "bench_render: %zu bytes by one thread, %zu by two\n", b1, b2);
		exit(1);
	}
	double m1 = bench_median(one, reps), m2 = bench_median(two, reps);
	char name[96], v[64];
	printf("render text, wall: %8.1f ms by two threads, %8.1f ms by one; %.2fx\n", m2, m1,
	       m2 / m1);
	snprintf(name, sizeof name, "render: text two threads / one, %zuk calls",
		 hs_plan_count(p) / 1000);
	snprintf(v, sizeof v, "%.1f / %.1f ms = %.2fx", m2, m1, m2 / m1);
	bench_summary(name, v, "(info)", 1);
}

static void report(const char *what, size_t calls, double render, double floor, size_t bytes)
{
	char name[96], v[64];
	printf("render %-4s: %8.1f ms (%6.0f MB/s); memcpy of its %zu bytes %6.1f ms; %.1fx\n",
	       what, render, bytes / 1e3 / render, bytes, floor, render / floor);
	snprintf(name, sizeof name, "render: %s / memcpy, %zuk calls", what, calls / 1000);
	snprintf(v, sizeof v, "%.1f / %.1f ms = %.1fx", render, floor, render / floor);
	bench_summary(name, v, "(info)", 1);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_render FILE [REPETITIONS]\n");
		return 2;
	}
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	if (reps < 1 || reps > MAX_REPS)
		reps = 5;
	hs_load_options lo = HS_LOAD_OPTIONS_INIT;
	lo.flags = HS_LOAD_MAP;
	hs_plan_options po = HS_PLAN_OPTIONS_INIT;
	hs_graph *g;
	hs_callset *calls;
	hs_plan *p;
	if (hs_graph_load_file(&g, argv[1], &lo) || hs_discover(&calls, g, NULL) ||
	    hs_plan_new(&p, g, calls, &po)) {
		fprintf(stderr, "bench_render: %s: %s\n", argv[1], hs_error_last());
		return 1;
	}
	capture text = { 0 }, json = { 0 };
	if (hs_plan_write_text(p, keep_slice, &text) || hs_plan_write_json(p, keep_slice, &json)) {
		fprintf(stderr, "bench_render: %s\n", hs_error_last());
		return 1;
	}
	size_t biggest = 0;
	for (size_t i = 0; i < text.n_slices; i++)
		biggest = text.slices[i] > biggest ? text.slices[i] : biggest;
	for (size_t i = 0; i < json.n_slices; i++)
		biggest = json.slices[i] > biggest ? json.slices[i] : biggest;
	char *to = malloc(biggest ? biggest : 1);
	if (!to)
		return 1;
	double t[4][MAX_REPS];
	size_t text_bytes = 0, json_bytes = 0;
	for (int r = -1; r < reps; r++) {
		double a = render_ms(hs_plan_write_text, p, &text_bytes);
		double b = copy_ms(&text, to);
		double c = render_ms(hs_plan_write_json, p, &json_bytes);
		double d = copy_ms(&json, to);
		if (r < 0)
			continue; /* the warm-up */
		t[0][r] = a, t[1][r] = b, t[2][r] = c, t[3][r] = d;
	}
	size_t n_calls = hs_plan_count(p);
	report("text", n_calls, bench_median(t[0], reps), bench_median(t[1], reps), text_bytes);
	report("json", n_calls, bench_median(t[2], reps), bench_median(t[3], reps), json_bytes);
	report_parallel(p, reps);
	free(to);
	free(text.data);
	free(text.slices);
	free(json.data);
	free(json.slices);
	hs_plan_free(p);
	hs_callset_free(calls);
	hs_graph_free(g);
	return 0;
}
