/* bench_convert: full conversion (load, hs_convert, write) of generated
 * graphs.
 *
 *   bench_convert CONV_CHAIN_FILE MIXED_FILE [REPETITIONS]
 *
 * (a) the conv chain (1,000 calls, ~9,000 nodes): median wall time of
 *     load + hs_convert + write_file (target: well under 50 ms);
 * (b) the ~1M-node mixed graph: load + hs_convert + write_file against a
 *     bare protobuf-c unpack + pack of the same file (file read and atomic
 *     write with fsync included on both sides; target ratio <= 1.5), and
 *     peak RSS of the conversion child against the file size (<= 3x).
 * Every run is its own child process; medians over REPETITIONS (5). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_run.h"
#include "bench_util.h"
#include "hintstub/hintstub.h"

typedef struct conv_case {
	const char *in;
	const char *out;
} conv_case;

static int convert_file(void *arg, double *ms)
{
	conv_case *c = arg;
	return bench_convert_file("bench_convert", c->in, c->out, ms);
}

static int pbc_file(void *arg, double *ms)
{
	conv_case *c = arg;
	return bench_pbc_file(c->in, c->out, ms);
}

/* Loads the converted output and counts what the conversion left: stub
 * nodes (op == function of a call) and hint identities still present. */
static int describe(const char *in, const char *out, size_t *calls,
		    size_t *converted, size_t *nodes_in, size_t *nodes_out)
{
	hs_graph *g = NULL;
	hs_report *r = NULL;
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	opts.apply.dry_run = 1;
	if (hs_graph_load_file(&g, in, NULL) != HS_OK)
		return -1;
	*nodes_in = hs_graph_node_count(g);
	if (hs_convert(&r, g, &opts) != HS_OK) {
		hs_graph_free(g);
		return -1;
	}
	*calls = hs_report_count(r);
	*converted = hs_report_converted(r);
	hs_report_free(r);
	hs_graph_free(g);
	if (hs_graph_load_file(&g, out, NULL) != HS_OK)
		return -1;
	*nodes_out = hs_graph_node_count(g);
	int rc = hs_graph_verify(g);
	hs_graph_free(g);
	return rc == HS_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: bench_convert CONV_CHAIN_FILE MIXED_FILE [REPETITIONS]\n");
		return 2;
	}
	int reps = argc == 4 ? atoi(argv[3]) : 5;
	if (reps < 1 || reps > 64) {
		fprintf(stderr, "bench_convert: repetitions must be 1..64\n");
		return 2;
	}
	char out_a[4096], out_b[4096], out_pbc[4096];
	snprintf(out_a, sizeof out_a, "%s.converted", argv[1]);
	snprintf(out_b, sizeof out_b, "%s.converted", argv[2]);
	snprintf(out_pbc, sizeof out_pbc, "%s.pbc-out", argv[2]);
	conv_case a = { argv[1], out_a }, b = { argv[2], out_b }, p = { argv[2], out_pbc };

	bench_result ra, rb, rp;
	if (bench_measure(&ra, convert_file, &a, reps) ||
	    bench_measure(&rb, convert_file, &b, reps) ||
	    bench_measure(&rp, pbc_file, &p, reps)) {
		fprintf(stderr, "bench_convert: a measured run failed\n");
		return 1;
	}
	size_t a_calls, a_conv, a_in, a_out, b_calls, b_conv, b_in, b_out;
	int ok_a = describe(argv[1], out_a, &a_calls, &a_conv, &a_in, &a_out) == 0;
	int ok_b = describe(argv[2], out_b, &b_calls, &b_conv, &b_in, &b_out) == 0;
	uint64_t size_b = bench_file_size(argv[2]);
	unlink(out_a);
	unlink(out_b);
	unlink(out_pbc);
	if (!ok_a || !ok_b) {
		fprintf(stderr, "bench_convert: converted output did not load or verify: %s\n",
			hs_error_last());
		return 1;
	}

	double a_ms = ra.ms, b_ms = rb.ms, p_ms = rp.ms;
	long b_kb = rb.peak_kb, p_kb = rp.peak_kb;
	double ratio = b_ms / p_ms, mem = (double)b_kb * 1024 / (double)size_b;
	printf("bench_convert: median of %d runs, each in its own process\n", reps);
	printf("  (a) %s: %zu nodes, %zu calls (%zu converted) -> %zu nodes\n",
	       argv[1], a_in, a_calls, a_conv, a_out);
	printf("      load + hs_convert + write: %.1f ms (target well under 50 ms); "
	       "process CPU time %.1f ms\n", a_ms, ra.cpu_ms);
	printf("  (b) %s: %zu nodes, %.1f MiB, %zu calls (%zu converted) -> %zu nodes\n",
	       argv[2], b_in, (double)size_b / (1 << 20), b_calls, b_conv, b_out);
	printf("      load + hs_convert + write+fsync: %.1f ms; protobuf-c unpack + pack: %.1f ms\n",
	       b_ms, p_ms);
	printf("      ratio %.2f (target <= 1.50); CPU time %.1f / %.1f ms = %.2f\n", ratio,
	       rb.cpu_ms, rp.cpu_ms, rb.cpu_ms / rp.cpu_ms);
	printf("      peak RSS %.0f MiB = %.2fx file size (target <= 3x); protobuf-c %.0f MiB\n",
	       b_kb / 1024.0, mem, p_kb / 1024.0);

	char v[64];
	snprintf(v, sizeof v, "%.1f ms (%zu calls)", a_ms, a_calls);
	bench_summary("convert: conv chain, load+convert+write", v, "< 50 ms", a_ms < 50);
	snprintf(v, sizeof v, "%.1f ms", ra.cpu_ms);
	bench_summary("convert: conv chain, process CPU time", v, "(info)", 1);
	snprintf(v, sizeof v, "%.2f (%.0f / %.0f ms)", ratio, b_ms, p_ms);
	bench_summary("convert: 1M nodes vs protobuf-c unpack+pack", v, "<= 1.50", ratio <= 1.5);
	snprintf(v, sizeof v, "%.2f (%.0f / %.0f ms)", rb.cpu_ms / rp.cpu_ms, rb.cpu_ms, rp.cpu_ms);
	bench_summary("convert: same, process CPU time", v, "(info)", 1);
	snprintf(v, sizeof v, "%.2fx (%.0f MiB)", mem, b_kb / 1024.0);
	bench_summary("convert: peak RSS / file size", v, "<= 3x", mem <= 3.0);
	snprintf(v, sizeof v, "%zu of %zu", b_conv, b_calls);
	bench_summary("convert: calls converted (1M graph)", v, "all", b_conv == b_calls);
	return 0;
}
