/* bench_verify: how long `hintstub verify` takes on LSTM models of two
 * sizes, and the evaluator's MatMul in GFLOP/s against the BLAS's
 * cblas_sgemm measured in the same run.
 *
 *   bench_verify REPS HINTSTUB NAME INPUT ORIGINAL CONVERTED TARGET_MS
 *                [NAME INPUT ORIGINAL CONVERTED TARGET_MS]... [-- ARG...]
 *
 * Each model: the median wall time of REPS runs of `HINTSTUB verify --input
 * INPUT ORIGINAL CONVERTED ARG...` (after one warm-up run); TARGET_MS 0 is
 * for information. */
#include <config.h>

#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef HAVE_CBLAS
#include <cblas.h>
#endif

#include "bench_util.h"
#include "hintstub/hintstub.h"

extern char **environ;

#define MAX_ARGS 64

/* One run of the command: its wall time (and in *cpu_ms its user +
 * system CPU time), or -1 when it failed. */
static double run_once(char **argv, double *cpu_ms)
{
	pid_t pid;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	double t0 = bench_now_ms();
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	int status = 0;
	struct rusage ru;
	if (rc != 0 || wait4(pid, &status, 0, &ru) != pid)
		return -1;
	double ms = bench_now_ms() - t0;
	*cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ms : -1;
}

static int time_verify(const char *hintstub, const char *name, const char *input,
		       const char *orig, const char *conv, double target_ms, int reps,
		       char **extra, int n_extra)
{
	char *argv[MAX_ARGS];
	char input_arg[512];
	int n = 0;
	snprintf(input_arg, sizeof input_arg, "--input=%s", input);
	argv[n++] = (char *)hintstub;
	argv[n++] = "verify";
	argv[n++] = input_arg;
	argv[n++] = (char *)orig;
	argv[n++] = (char *)conv;
	for (int i = 0; i < n_extra && n < MAX_ARGS - 1; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	double *ms = calloc(2 * (size_t)reps, sizeof *ms), *cpu = ms ? ms + reps : NULL, c;
	int ok = ms && run_once(argv, &c) >= 0;
	for (int i = 0; ok && i < reps; i++)
		ok = (ms[i] = run_once(argv, &cpu[i])) >= 0;
	char label[160], value[64], target[32];
	snprintf(label, sizeof label, "verify: %s", name);
	if (!ok) {
		printf("  %-46s FAILED (hintstub verify did not pass)\n", label);
		bench_summary(label, "FAILED", target_ms > 0 ? "pass" : "(info)", 0);
		free(ms);
		return -1;
	}
	double med = bench_median(ms, (size_t)reps), med_cpu = bench_median(cpu, (size_t)reps);
	free(ms);
	/* the verdict on CPU time: a shared machine's load stretches wall time */
	printf("  %-46s %9.1f ms wall, %9.1f ms CPU%s\n", label, med, med_cpu,
	       target_ms > 0 ? "" : "  (info)");
	snprintf(value, sizeof value, "%.0f ms CPU (%.0f wall)", med_cpu, med);
	snprintf(target, sizeof target, "< %.0f ms CPU", target_ms);
	bench_summary(label, value, target_ms > 0 ? target : "(info)",
		      target_ms <= 0 || med_cpu < target_ms);
	return 0;
}

/* ------------------------------------------------------------- MatMul */

typedef struct mm_case {
	const char *name;
	int m, k, n, transpose_b;
} mm_case;

static hs_graph *matmul_graph(int transpose_b)
{
	char text[1024];
	snprintf(text, sizeof text,
		 "node { name: 'a' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
		 "node { name: 'b' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
		 "node { name: 'mm' op: 'MatMul' input: 'a' input: 'b'\n"
		 "  attr { key: 'T' value { type: DT_FLOAT } }\n"
		 "  attr { key: 'transpose_a' value { b: false } }\n"
		 "  attr { key: 'transpose_b' value { b: %s } } }\n",
		 transpose_b ? "true" : "false");
	hs_graph *g = NULL;
	if (hs_graph_load_buffer(&g, text, strlen(text), "matmul", NULL) != HS_OK)
		fprintf(stderr, "bench_verify: %s\n", hs_error_last());
	return g;
}

static hs_value *random_value(int64_t rows, int64_t cols, uint64_t *seed)
{
	int64_t dims[2] = { rows, cols };
	hs_value *t = NULL;
	if (hs_value_new(&t, HS_DT_FLOAT, 2, dims) != HS_OK)
		return NULL;
	float *p = t->data;
	for (uint64_t i = 0; i < t->elements; i++) {
		*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
		p[i] = (float)(*seed >> 40) / (float)(1u << 24) - 0.5f;
	}
	return t;
}

/* Runs fn until it has taken 300 ms or more; the best time of one call. */
typedef int (*mm_fn)(void *arg);
static double best_ms(mm_fn fn, void *arg)
{
	double best = INFINITY, total = 0;
	for (int i = 0; i < 1000 && (total < 300 || i < 3); i++) {
		double t0 = bench_now_ms();
		if (fn(arg) != 0)
			return -1;
		double ms = bench_now_ms() - t0;
		total += ms;
		best = ms < best ? ms : best;
	}
	return best;
}

typedef struct mm_run {
	hs_eval *ev;
	const hs_value *a, *b;
	const mm_case *c;
	float *out;
} mm_run;

static int eval_matmul(void *arg)
{
	mm_run *r = arg;
	const char *fetch = "mm";
	hs_value *out = NULL;
	int rc = hs_eval_run(&out, r->ev, &fetch, 1);
	hs_value_free(out);
	return rc;
}

#ifdef HAVE_CBLAS
static int blas_matmul(void *arg)
{
	mm_run *r = arg;
	const mm_case *c = r->c;
	cblas_sgemm(CblasRowMajor, CblasNoTrans, c->transpose_b ? CblasTrans : CblasNoTrans,
		    c->m, c->n, c->k, 1.0f, r->a->data, c->k, r->b->data,
		    c->transpose_b ? c->k : c->n, 0.0f, r->out, c->n);
	return 0;
}
#endif

static int bench_matmul(const mm_case *c)
{
	uint64_t seed = 1;
	hs_graph *g = matmul_graph(c->transpose_b);
	hs_value *a = random_value(c->m, c->k, &seed);
	hs_value *b = c->transpose_b ? random_value(c->n, c->k, &seed)
				     : random_value(c->k, c->n, &seed);
	mm_run r = { NULL, a, b, c, NULL };
	int rc = -1;
	if (g && a && b && hs_eval_new(&r.ev, g, NULL) == HS_OK &&
	    hs_eval_set_input(r.ev, "a", a) == HS_OK && hs_eval_set_input(r.ev, "b", b) == HS_OK)
		rc = 0;
	double flop = 2.0 * c->m * c->k * c->n, ev_ms = rc ? -1 : best_ms(eval_matmul, &r);
	char label[128], value[96];
	snprintf(label, sizeof label, "matmul %s [%dx%d]x[%dx%d]%s", c->name, c->m, c->k,
		 c->k, c->n, c->transpose_b ? "^T" : "");
	if (ev_ms < 0) {
		printf("  %-46s FAILED: %s\n", label, hs_error_last());
		bench_summary(label, "FAILED", ">= 0.5x BLAS", 0);
	} else {
		double ev_gf = flop / (ev_ms * 1e6);
#ifdef HAVE_CBLAS
		r.out = malloc((size_t)c->m * (size_t)c->n * sizeof *r.out);
		double blas_ms = r.out ? best_ms(blas_matmul, &r) : -1;
		double blas_gf = flop / (blas_ms * 1e6), ratio = ev_gf / blas_gf;
		printf("  %-46s evaluator %6.2f GFLOP/s, cblas_sgemm %6.2f GFLOP/s: %.2fx\n",
		       label, ev_gf, blas_gf, ratio);
		snprintf(value, sizeof value, "%.1f vs %.1f GFLOP/s (%.2fx)", ev_gf, blas_gf, ratio);
		bench_summary(label, value, ">= 0.5x BLAS", ratio >= 0.5);
		free(r.out);
#else
		printf("  %-46s evaluator %6.2f GFLOP/s (no CBLAS to compare)\n", label, ev_gf);
		snprintf(value, sizeof value, "%.1f GFLOP/s, no CBLAS", ev_gf);
		bench_summary(label, value, "(info: no BLAS)", 1);
#endif
		rc = 0;
	}
	hs_eval_free(r.ev);
	hs_value_free(a);
	hs_value_free(b);
	hs_graph_free(g);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_verify REPS HINTSTUB [NAME INPUT ORIGINAL "
			"CONVERTED TARGET_MS]... [-- ARG...]\n");
		return 2;
	}
	int reps = atoi(argv[1]), fails = 0, end = argc;
	for (int i = 3; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			end = i;
			break;
		}
	char **extra = argv + (end < argc ? end + 1 : argc);
	int n_extra = end < argc ? argc - end - 1 : 0;
	if (reps < 1 || (end - 3) % 5) {
		fprintf(stderr, "bench_verify: REPS >= 1, then groups of five arguments\n");
		return 2;
	}
	printf("verify (median of %d runs of hintstub verify):\n", reps);
	for (int i = 3; i + 5 <= end; i += 5)
		fails += time_verify(argv[2], argv[i], argv[i + 1], argv[i + 2], argv[i + 3],
				     atof(argv[i + 4]), reps, extra, n_extra) != 0;
	static const mm_case cases[] = {
		{ "lstm-512 gate", 8, 1024, 512, 1 },
		{ "square", 512, 512, 512, 0 },
	};
	printf("MatMul (best of repeated runs, same process):\n");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		fails += bench_matmul(&cases[i]) != 0;
	return fails ? 1 : 0;
}
