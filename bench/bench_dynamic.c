/* bench_dynamic: full conversion (load, hs_convert, write) of dynamic_rnn
 * graphs (hintstub-gen dynamic --loops N: N separate While loops of L
 * layers each, plus filler) against the protobuf-c floor.
 *
 *   bench_dynamic SMALL_FILE BIG_FILE LAYERS_SMALL LAYERS_BIG [REPETITIONS]
 *
 * For each file: median wall and CPU time of load + hs_convert +
 * write_file (fsync included) and of a bare protobuf-c unpack + pack of the
 * same file, their ratio (target <= 1.0), the time per layer; across the
 * two files the growth of the time per layer (linear: at most 1.5x from the
 * small graph to the big one).  Also how many calls converted and how many
 * While loops the output still holds: until level-2 conversion lands the
 * calls are skipped and the ratio measures load + write only.  Every run
 * is its own child process; medians over REPETITIONS (5). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_run.h"
#include "bench_util.h"
#include "hintstub/hintstub.h"

typedef struct dyn_case {
	const char *in;
	char out[4096];
	char pbc_out[4096];
	unsigned long layers;
	bench_result conv, pbc;
	size_t nodes, calls, converted, loops_left;
} dyn_case;

static int convert_file(void *arg, double *ms)
{
	dyn_case *c = arg;
	return bench_convert_file("bench_dynamic", c->in, c->out, ms);
}

static int pbc_file(void *arg, double *ms)
{
	dyn_case *c = arg;
	return bench_pbc_file(c->in, c->pbc_out, ms);
}

static size_t count_loops(const hs_graph *g)
{
	size_t n = 0;
	for (hs_node *x = hs_graph_next_node(g, NULL); x; x = hs_graph_next_node(g, x))
		n += hs_str_eq(hs_node_op(x), "While") || hs_str_eq(hs_node_op(x), "StatelessWhile");
	return n;
}

/* What the conversion did: calls and converted calls (a dry run), and the
 * loops left in the written output, which must load and verify. */
static int describe(dyn_case *c)
{
	hs_graph *g = NULL;
	hs_report *r = NULL;
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	opts.apply.dry_run = 1;
	if (hs_graph_load_file(&g, c->in, NULL) != HS_OK)
		return -1;
	c->nodes = hs_graph_node_count(g);
	int rc = hs_convert(&r, g, &opts);
	if (rc == HS_OK) {
		c->calls = hs_report_count(r);
		c->converted = hs_report_converted(r);
	}
	hs_report_free(r);
	hs_graph_free(g);
	if (rc != HS_OK || hs_graph_load_file(&g, c->out, NULL) != HS_OK)
		return -1;
	c->loops_left = count_loops(g);
	rc = hs_graph_verify(g);
	hs_graph_free(g);
	return rc == HS_OK ? 0 : -1;
}

static int run_case(dyn_case *c, int reps)
{
	snprintf(c->out, sizeof c->out, "%s.converted", c->in);
	snprintf(c->pbc_out, sizeof c->pbc_out, "%s.pbc-out", c->in);
	int rc = bench_measure(&c->conv, convert_file, c, reps) ||
		 bench_measure(&c->pbc, pbc_file, c, reps) || describe(c);
	unlink(c->out);
	unlink(c->pbc_out);
	return rc ? -1 : 0;
}

static void print_case(const dyn_case *c)
{
	printf("  %s: %zu nodes, %.1f MiB, %lu layers, %zu calls (%zu converted), "
	       "%zu loop(s) left\n", c->in, c->nodes,
	       (double)bench_file_size(c->in) / (1 << 20), c->layers, c->calls,
	       c->converted, c->loops_left);
	printf("      load + hs_convert + write+fsync: %.1f ms (CPU %.1f); protobuf-c "
	       "unpack + pack: %.1f ms (CPU %.1f)\n", c->conv.ms, c->conv.cpu_ms,
	       c->pbc.ms, c->pbc.cpu_ms);
	printf("      ratio %.2f (target <= 1.00), CPU %.2f; %.1f us a layer%s\n",
	       c->conv.ms / c->pbc.ms, c->conv.cpu_ms / c->pbc.cpu_ms,
	       1000.0 * c->conv.ms / (double)c->layers,
	       c->converted < c->calls ? " -- calls skipped: load + write only" : "");
}

int main(int argc, char **argv)
{
	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: bench_dynamic SMALL_FILE BIG_FILE LAYERS_SMALL "
			"LAYERS_BIG [REPETITIONS]\n");
		return 2;
	}
	int reps = argc == 6 ? atoi(argv[5]) : 5;
	dyn_case small = { .in = argv[1], .layers = strtoul(argv[3], NULL, 10) };
	dyn_case big = { .in = argv[2], .layers = strtoul(argv[4], NULL, 10) };
	if (reps < 1 || reps > 64 || !small.layers || !big.layers) {
		fprintf(stderr, "bench_dynamic: repetitions must be 1..64, layers positive\n");
		return 2;
	}
	if (run_case(&small, reps) || run_case(&big, reps)) {
		fprintf(stderr, "bench_dynamic: a run failed or its output did not verify: %s\n",
			hs_error_last());
		return 1;
	}
	printf("bench_dynamic: median of %d runs, each in its own process\n", reps);
	print_case(&small);
	print_case(&big);
	double per_small = small.conv.cpu_ms / (double)small.layers;
	double per_big = big.conv.cpu_ms / (double)big.layers;
	double growth = per_big / per_small;
	printf("  CPU time a layer: %.1f us at %lu layers, %.1f us at %lu: %.2fx "
	       "(linear: <= 1.5x)\n", 1000.0 * per_small, small.layers,
	       1000.0 * per_big, big.layers, growth);

	char name[64], v[64];
	double ratio = big.conv.ms / big.pbc.ms;
	snprintf(name, sizeof name, "dynamic: %luk layers vs protobuf-c", big.layers / 1000);
	snprintf(v, sizeof v, "%.2f (%.0f / %.0f ms)%s", ratio, big.conv.ms, big.pbc.ms,
		 big.converted < big.calls ? " skip" : "");
	bench_summary(name, v, "<= 1.00", ratio <= 1.0);
	snprintf(v, sizeof v, "%.2f (%.0f / %.0f ms)", big.conv.cpu_ms / big.pbc.cpu_ms,
		 big.conv.cpu_ms, big.pbc.cpu_ms);
	bench_summary("dynamic: same, process CPU time", v, "(info)", 1);
	snprintf(v, sizeof v, "%.2fx (%.1f -> %.1f us)", growth, 1000.0 * per_small,
		 1000.0 * per_big);
	bench_summary("dynamic: CPU a layer, small -> big graph", v, "<= 1.5x", growth <= 1.5);
	snprintf(v, sizeof v, "%zu of %zu, %zu loops left", big.converted, big.calls,
		 big.loops_left);
	bench_summary("dynamic: calls converted", v, "all", big.converted == big.calls &&
		      big.loops_left == 0);
	return 0;
}
