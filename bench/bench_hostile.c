/* bench_hostile: the adversarial shapes of issue 13 (hostile_shapes.h),
 * each loaded and converted in memory at n = 10k, 100k and 1M, with the
 * time per unit of n (an edge of the AddN, a parallel node, a hint, an
 * inner call).  Linear means a flat time per unit; caches make 1M dearer
 * per unit than 100k (the name index and the nodes stop fitting), so the
 * summary line of a shape is OK when 100k converts in well under a second
 * (500 ms) and a unit at 1M costs at most 3x one at 100k: a quadratic
 * path costs 10x there (before the fix, 100k took 12 s and more). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "hintstub/hintstub.h"
#include "hostile_shapes.h"

typedef struct run {
	hostile_shape shape;
	const uint8_t *data;
	size_t len;
} run;

/* figures[0]: load + convert, figures[1]: nodes loaded. */
static int convert_once(void *arg, double *figures, size_t n)
{
	(void)n;
	run *r = arg;
	hs_graph *g = NULL;
	hs_report *report = NULL;
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	double t0 = bench_now_ms();
	int rc = hs_graph_load_buffer(&g, r->data, r->len, "hostile", NULL);
	figures[1] = g ? (double)hs_graph_node_count(g) : 0;
	if (rc == HS_OK)
		rc = hs_convert(&report, g, &opts);
	figures[0] = bench_now_ms() - t0;
	if (rc != HS_OK)
		fprintf(stderr, "bench_hostile: %s: %s\n", hostile_shape_name(r->shape),
			hs_error_last());
	hs_report_free(report);
	hs_graph_free(g);
	return rc == HS_OK ? 0 : -1;
}

static long resident_kb(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = -1;
	fclose(f);
	return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* figures[0]: resident KB the loaded graph adds (its copy of the file
 * included), figures[1]: nodes. */
static int load_memory(void *arg, double *figures, size_t n)
{
	(void)n;
	run *r = arg;
	hs_graph *g = NULL;
	long before = resident_kb();
	int rc = hs_graph_load_buffer(&g, r->data, r->len, "tiny", NULL);
	long after = resident_kb();
	figures[0] = (double)(after - before);
	figures[1] = g ? (double)hs_graph_node_count(g) : 0;
	hs_graph_free(g);
	return rc == HS_OK && before >= 0 ? 0 : -1;
}

/* Memory of a loaded graph of tiny nodes: per node, per input, and
 * against the file's size (issue 13: 5M tiny nodes, 49 MB -> 824 MB). */
static int memory_figures(size_t n)
{
	double kb[2] = { 0 }, file[2] = { 0 };
	static const unsigned inputs[2] = { 0, 4 };
	for (int k = 0; k < 2; k++) {
		run r = { HOSTILE_SHAPE_COUNT, NULL, 0 };
		uint8_t *data = hostile_tiny_graph(n, inputs[k], &r.len);
		double fig[2];
		long peak;
		double cpu;
		r.data = data;
		if (!data || bench_child_n(load_memory, &r, fig, 2, &peak, &cpu) != 0) {
			free(data);
			printf("   memory: FAILED\n");
			return -1;
		}
		free(data);
		kb[k] = fig[0];
		file[k] = (double)r.len;
		printf("   memory: %zu tiny nodes, %u inputs each: file %.1f MB, loaded +%.1f MB "
		       "(%.0f B/node, %.1fx the file)\n",
		       n, inputs[k], file[k] / 1e6, kb[k] * 1024 / 1e6,
		       kb[k] * 1024 / (double)n, kb[k] * 1024 / file[k]);
	}
	double per_input = (kb[1] - kb[0]) * 1024 / (4.0 * (double)n);
	printf("   memory: %.0f B per node (its file bytes included), %.0f B per input "
	       "(%.0f of them in the file)\n",
	       kb[0] * 1024 / (double)n, per_input, (file[1] - file[0]) / (4.0 * (double)n));
	char value[96];
	snprintf(value, sizeof value, "%.0f B/node, %.0f B/input, %.1fx file",
		 kb[0] * 1024 / (double)n, per_input, kb[0] * 1024 / file[0]);
	bench_summary("hostile: memory of tiny nodes", value, "figures", 1);
	return 0;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 10000, 100000, 1000000 };
	enum { N_SIZES = sizeof sizes / sizeof sizes[0] };
	int reps = argc > 1 ? atoi(argv[1]) : 3;
	int only = argc > 2 ? atoi(argv[2]) : -1;  /* one shape, for profiling */
	/* The largest n (a tree without the fixes takes minutes at 1M). */
	size_t max_n = argc > 3 ? (size_t)atol(argv[3]) : sizes[N_SIZES - 1];
	int failed = 0;
	/* First: a child forked from a heap with freed pages would reuse
	 * them and show less resident memory than a fresh process. */
	if (only < 0 || only == HOSTILE_SHAPE_COUNT)
		failed |= memory_figures(1000000) != 0;
	printf("== bench_hostile: adversarial shapes, load + hs_convert in memory (medians of %d)\n",
	       reps);
	for (int s = 0; s < HOSTILE_SHAPE_COUNT; s++) {
		if (only >= 0 && s != only)
			continue;
		double per_node[N_SIZES] = { 0 }, ms[N_SIZES] = { 0 };
		int ok = 1;
		for (size_t k = 0; k < N_SIZES && sizes[k] <= max_n; k++) {
			run r = { (hostile_shape)s, NULL, 0 };
			uint8_t *data = hostile_graph(r.shape, sizes[k], &r.len);
			double fig[2];
			r.data = data;
			if (!data || bench_measure_n(fig, 2, convert_once, &r, reps) != 0) {
				printf("   %-13s n=%-8zu FAILED\n", hostile_shape_name(r.shape), sizes[k]);
				free(data);
				ok = 0;
				break;
			}
			free(data);
			ms[k] = fig[0];
			per_node[k] = fig[0] * 1e6 / (double)sizes[k];
			printf("   %-13s n=%-8zu %9.1f ms  %7.0f ns/unit  (%.0f nodes, %.1f MB)\n",
			       hostile_shape_name(r.shape), sizes[k], fig[0], per_node[k],
			       fig[1], (double)r.len / 1e6);
			fflush(stdout);
		}
		if (ok && per_node[N_SIZES - 1] == 0)
			continue; /* a smaller MAX_N: figures only, no verdict */
		double ratio = ok && per_node[1] > 0 ? per_node[2] / per_node[1] : 0;
		double ratio0 = ok && per_node[0] > 0 ? per_node[2] / per_node[0] : 0;
		ok = ok && ratio <= 3.0 && ms[1] < 500.0;
		char value[96], name[64];
		snprintf(name, sizeof name, "hostile: %s", hostile_shape_name((hostile_shape)s));
		printf("   %-13s per unit: 1M/100k %.2fx, 1M/10k %.2fx\n",
		       hostile_shape_name((hostile_shape)s), ratio, ratio0);
		snprintf(value, sizeof value, "100k %.0f ms; 1M/100k %.2fx", ms[1], ratio);
		bench_summary(name, value, "<500ms <=3x", ok);
		failed |= !ok;
	}
	return failed ? 1 : 0;
}
