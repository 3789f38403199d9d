/* Shared plumbing of the benchmarks: timing, medians, one child process
 * per measurement (so each peak RSS belongs to one run only), and the
 * baseline the library is compared with: protobuf-c decoding the whole
 * GraphDef into its message tree and encoding it again. */
#ifndef HS_BENCH_UTIL_H
#define HS_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

double bench_now_ms(void);
double bench_median(double *v, size_t n);

/* One measured operation, run in a child process.  It times itself (the
 * part that is compared) into *ms and returns 0 on success. */
typedef int (*bench_fn)(void *arg, double *ms);

/* Runs fn in a fresh child; *ms gets its time, *peak_kb its peak resident
 * set (ru_maxrss), *cpu_ms the child's user + system CPU time (less
 * sensitive than wall time to other load on the machine and to fsync).
 * Returns 0, or -1 when the child failed. */
int bench_child(bench_fn fn, void *arg, double *ms, long *peak_kb,
		double *cpu_ms);

/* Medians over repetitions (after one unmeasured warm-up run, for the
 * page cache) and the highest peak. */
typedef struct bench_result {
	double ms;
	double cpu_ms;
	long peak_kb;
} bench_result;
int bench_measure(bench_result *r, bench_fn fn, void *arg, int reps);

/* CPU time of the calling process so far (CLOCK_PROCESS_CPUTIME_ID), for
 * timing one section of a run by CPU rather than by wall clock. */
double bench_cpu_ms(void);

/* A run timing several parts at once (e.g. wall and CPU time of two
 * sections): fills figures[0..n).  Returns 0 on success. */
#define BENCH_MAX_FIGURES 16
typedef int (*bench_fn_n)(void *arg, double *figures, size_t n);
/* One such run in a fresh child, as bench_child. */
int bench_child_n(bench_fn_n fn, void *arg, double *figures, size_t n,
		  long *peak_kb, double *cpu_ms);
/* Medians over reps runs (after one warm-up run) of each figure; each run
 * in its own child process.  Returns 0, or -1 when a child failed. */
int bench_measure_n(double *medians, size_t n, bench_fn_n fn, void *arg,
		    int reps);

/* Reads a whole file (caller frees).  NULL on error, with errno. */
uint8_t *bench_read_file(const char *path, size_t *len);
/* Writes a buffer like hs_graph_write_file does: temporary file beside
 * the target, fsync, rename, fsync of the directory. */
int bench_write_atomic(const char *path, const void *data, size_t len);
/* 1 when both files hold the same bytes. */
int bench_same_file(const char *a, const char *b);
uint64_t bench_file_size(const char *path);

/* Baseline, file to file: read, tensorflow__graph_def__unpack, __pack,
 * bench_write_atomic. */
int bench_pbc_file(const char *in, const char *out, double *ms);
/* Baseline in memory: unpack + pack of `data`. */
int bench_pbc_memory(const uint8_t *data, size_t len, double *ms);

/* Appends `name | value | target | verdict` to the summary file named by
 * the environment variable HS_BENCH_SUMMARY, if set. */
void bench_summary(const char *name, const char *value, const char *target,
		   int ok);
/* The same with a verdict of the caller's ("skipped"); the line's format. */
void bench_summary_as(const char *name, const char *value, const char *target,
		      const char *verdict);
#define BENCH_SUMMARY_FORMAT "%-44s %-26s %-12s %s\n"

#endif
