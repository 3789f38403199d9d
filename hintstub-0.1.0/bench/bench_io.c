/* bench_io: lossless I/O of libhintstub against a bare protobuf-c decode +
 * encode of the same GraphDef.
 *
 *   bench_io FILE [REPETITIONS]
 *
 * Two comparisons, each side run REPETITIONS times (default 5) after one
 * warm-up, every run in its own child process; medians are compared:
 *  - file to file: read the file, parse (hintstub: load + index), write
 *    atomically (temporary file, fsync, rename) -- reading and writing are
 *    included on both sides;
 *  - memory to memory: parse bytes already in memory, serialize into a new
 *    buffer -- no file I/O on either side (hintstub copies the input, as
 *    hs_graph_load_buffer does).
 * CPU time (user + system of the child) is printed beside the wall time
 * of the file case: fsync waits and other load on the machine hit wall time
 * only.  Peak memory is ru_maxrss of the file-to-file child, against the file
 * size.  The hintstub output must be byte-identical to the input. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "hintstub/hintstub.h"

typedef struct io_case {
	const char *in;
	const char *out;
	uint8_t *data; /* memory cases: read in the child, untimed */
	size_t len;
} io_case;

static int hs_file(void *arg, double *ms)
{
	io_case *c = arg;
	double t0 = bench_now_ms();
	hs_graph *g = NULL;
	int rc = hs_graph_load_file(&g, c->in, NULL);
	if (rc == HS_OK)
		rc = hs_graph_write_file(g, c->out);
	hs_graph_free(g);
	*ms = bench_now_ms() - t0;
	if (rc != HS_OK)
		fprintf(stderr, "bench_io: %s\n", hs_error_last());
	return rc == HS_OK ? 0 : -1;
}

static int pbc_file(void *arg, double *ms)
{
	io_case *c = arg;
	return bench_pbc_file(c->in, c->out, ms);
}

static int hs_memory(void *arg, double *ms)
{
	io_case *c = arg;
	uint8_t *data = bench_read_file(c->in, &c->len);
	if (!data)
		return -1;
	double t0 = bench_now_ms();
	hs_graph *g = NULL;
	void *out = NULL;
	size_t out_len = 0;
	int rc = hs_graph_load_buffer(&g, data, c->len, c->in, NULL);
	if (rc == HS_OK)
		rc = hs_graph_write_buffer(&out, &out_len, g);
	hs_free(out);
	hs_graph_free(g);
	*ms = bench_now_ms() - t0;
	free(data);
	return rc == HS_OK ? 0 : -1;
}

static int pbc_memory(void *arg, double *ms)
{
	io_case *c = arg;
	uint8_t *data = bench_read_file(c->in, &c->len);
	if (!data)
		return -1;
	int rc = bench_pbc_memory(data, c->len, ms);
	free(data);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_io FILE [REPETITIONS]\n");
		return 2;
	}
	int reps = argc == 3 ? atoi(argv[2]) : 5;
	if (reps < 1 || reps > 64) {
		fprintf(stderr, "bench_io: repetitions must be 1..64\n");
		return 2;
	}
	const char *in = argv[1];
	uint64_t size = bench_file_size(in);
	char hs_out[4096], pbc_out[4096];
	snprintf(hs_out, sizeof hs_out, "%s.hs-out", in);
	snprintf(pbc_out, sizeof pbc_out, "%s.pbc-out", in);
	io_case hs_c = { in, hs_out, NULL, 0 }, pbc_c = { in, pbc_out, NULL, 0 };

	hs_graph *g = NULL;
	if (hs_graph_load_file(&g, in, NULL) != HS_OK) {
		fprintf(stderr, "bench_io: %s\n", hs_error_last());
		return 1;
	}
	size_t nodes = hs_graph_node_count(g);
	hs_graph_free(g);

	bench_result hf, pf, hm, pm;
	if (bench_measure(&hf, hs_file, &hs_c, reps) ||
	    bench_measure(&pf, pbc_file, &pbc_c, reps) ||
	    bench_measure(&hm, hs_memory, &hs_c, reps) ||
	    bench_measure(&pm, pbc_memory, &pbc_c, reps)) {
		fprintf(stderr, "bench_io: a measured run failed\n");
		return 1;
	}
	int identical = bench_same_file(in, hs_out);
	unlink(hs_out);
	unlink(pbc_out);

	double mib = (double)size / (1 << 20);
	double ratio_f = hf.ms / pf.ms, ratio_m = hm.ms / pm.ms;
	double mem_hs = (double)hf.peak_kb * 1024 / (double)size;
	double mem_pbc = (double)pf.peak_kb * 1024 / (double)size;
	printf("bench_io: %s: %zu nodes, %.1f MiB; median of %d runs, each in its own process\n",
	       in, nodes, mib, reps);
	printf("  %-46s %10s %10s %8s\n", "", "hintstub", "protobuf-c", "ratio");
	printf("  %-46s %8.1fms %8.1fms %8.2f  (target <= 1.30)\n",
	       "file->file: read, parse, write+fsync+rename", hf.ms, pf.ms, ratio_f);
	printf("  %-46s %8.1fms %8.1fms %8.2f\n",
	       "  same, CPU time of the process (user+sys)", hf.cpu_ms, pf.cpu_ms,
	       hf.cpu_ms / pf.cpu_ms);
	printf("  %-46s %8.1fms %8.1fms %8.2f\n",
	       "memory->memory: parse, serialize (no I/O)", hm.ms, pm.ms, ratio_m);
	printf("  %-46s %7.0fMiB %7.0fMiB\n", "peak RSS, file->file",
	       hf.peak_kb / 1024.0, pf.peak_kb / 1024.0);
	printf("  %-46s %9.2fx %9.2fx           (target <= 3x)\n",
	       "peak RSS / file size", mem_hs, mem_pbc);
	printf("  output byte-identical to input: %s\n", identical ? "yes" : "NO");

	char v[64];
	snprintf(v, sizeof v, "%.2f (%.0f / %.0f ms)", ratio_f, hf.ms, pf.ms);
	bench_summary("io: load+write vs protobuf-c, file->file", v, "<= 1.30", ratio_f <= 1.3);
	snprintf(v, sizeof v, "%.2f (%.0f / %.0f ms)", ratio_m, hm.ms, pm.ms);
	bench_summary("io: load+write vs protobuf-c, in memory", v, "(info)", 1);
	snprintf(v, sizeof v, "%.2f (%.0f / %.0f ms)", hf.cpu_ms / pf.cpu_ms, hf.cpu_ms, pf.cpu_ms);
	bench_summary("io: same, file->file, process CPU time", v, "(info)", 1);
	snprintf(v, sizeof v, "%.2fx (%.0f MiB)", mem_hs, hf.peak_kb / 1024.0);
	bench_summary("io: peak RSS / file size", v, "<= 3x", mem_hs <= 3.0);
	bench_summary("io: output identical to input", identical ? "yes" : "NO", "yes", identical);
	return identical ? 0 : 1;
}
