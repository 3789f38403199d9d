/* bench_phases: where a conversion's time and private memory go, stage by
 * stage, in one process as the CLI runs it.
 *
 *   bench_phases [-n RUNS] [-p] [-i] FILE [OUT]
 *
 * Each run is a child process of its own (a stage's memory reading must
 * not include a previous run's): load (mapped, with the second core when
 * the machine has one, as the CLI does), discover, plan, apply and, with
 * OUT, write (atomically, fsync'ed).  After each stage it reads RssAnon
 * from /proc/self/status: the private memory, what the conversion holds
 * beyond the mapped file's pages; and the child's resident peak (ru_maxrss).
 * Prints each stage's median time and the highest RssAnon over the runs,
 * then the peak against the file's size.  Unlike the CLI, the plan is kept
 * through the write, so the figures after apply are what a library caller
 * that keeps its plan holds.  -p loads the lstm, rnn and conv plugins from
 * $HINTSTUB_PLUGIN_PATH (default: no plugins, as bench_floor measures).
 * -i runs `hintstub inspect`'s way instead: load, discover, then "plan +
 * text" (hs_plan_new_write_text, its text counted and dropped).  Beside a
 * plain run's "plan" (a dry run adds well under a millisecond to it), that
 * stage is what inspect pays over --dry-run (issue 15: inspect <= dry-run).
 * Information only: no target (bench_floor checks issue 15's). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "hintstub/hintstub.h"
#include "hintstub/plugin.h"

enum { STAGE_LOAD, STAGE_DISCOVER, STAGE_PLAN, STAGE_APPLY, STAGE_WRITE, N_STAGES };
static const char *const stage_names[N_STAGES] = { "load", "discover", "plan", "apply",
						   "write" };
static const char *const inspect_stage_names[N_STAGES] = { "load", "discover",
							   "plan + text", "", "" };
enum { MAX_RUNS = 32 };

/* One run's readings. */
typedef struct run_figures {
	double ms[N_STAGES];
	long anon_kb[N_STAGES];
	long hwm_kb;
	int stages;   /* how many stages ran */
} run_figures;

/* A "Key:   N kB" line of /proc/self/status, in kB (-1 when absent). */
static long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	size_t n = strlen(key);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, key, n) == 0 && line[n] == ':')
			v = atol(line + n + 1);
	if (f)
		fclose(f);
	return v;
}

/* HINTSTUB_PLUGIN_PATH is searched, as the CLI does. */
static int registry_for(hs_registry **out, int plugins)
{
	static const char *const names[] = { "lstm", "rnn", "conv" };
	*out = NULL;
	if (!plugins)
		return HS_OK;
	int rc = hs_registry_new(out, HS_REGISTRY_NO_SYSTEM_PATH);
	for (size_t i = 0; rc == HS_OK && i < sizeof names / sizeof *names; i++)
		rc = hs_registry_load_plugin(*out, names[i]);
	return rc;
}

/* Marks the end of a stage. */
static void stage_done(run_figures *f, double *t)
{
	double now = bench_now_ms();
	f->ms[f->stages] = now - *t;
	f->anon_kb[f->stages++] = status_kb("RssAnon");
	*t = now;
}

static int fail(const char *in)
{
	fprintf(stderr, "bench_phases: %s: %s\n", in, hs_error_last());
	return -1;
}

/* inspect's text goes nowhere: only its bytes are counted. */
static int count_text(const char *data, size_t len, void *payload)
{
	(void)data;
	*(size_t *)payload += len;
	return 0;
}

/* 0, or -1 with its message printed. */
static int run_inspect(run_figures *f, const char *in, hs_graph *g, hs_callset *calls,
		       const hs_plan_options *po, double *t)
{
	hs_plan *p = NULL;
	size_t bytes = 0;
	if (hs_plan_new_write_text(&p, g, calls, po, count_text, &bytes) != HS_OK)
		return fail(in);
	stage_done(f, t);
	if (bytes == 0) { /* a plan renders a line at least */
		fprintf(stderr, "bench_phases: %s: inspect's text was empty\n", in);
		return -1;
	}
	return 0;
}

static int run_once(run_figures *f, const char *in, const char *out, int plugins,
		    int inspect)
{
	hs_load_options lo = HS_LOAD_OPTIONS_INIT;
	hs_plan_options po = HS_PLAN_OPTIONS_INIT;
	hs_apply_options ao = HS_APPLY_OPTIONS_INIT;
	hs_graph *g = NULL;
	hs_callset *calls = NULL;
	hs_plan *p = NULL;
	hs_report *r = NULL;
	hs_registry *reg = NULL;
	lo.flags = HS_LOAD_MAP | (sysconf(_SC_NPROCESSORS_ONLN) > 1 ? HS_LOAD_PARALLEL : 0);
	memset(f, 0, sizeof *f);
	int rc = registry_for(&reg, plugins);
	po.registry = reg;
	double t = bench_now_ms();
	if (rc == HS_OK && (rc = hs_graph_load_file(&g, in, &lo)) == HS_OK)
		stage_done(f, &t);
	if (rc == HS_OK && (rc = hs_discover(&calls, g, NULL)) == HS_OK)
		stage_done(f, &t);
	if (rc == HS_OK && inspect)
		return run_inspect(f, in, g, calls, &po, &t);
	if (rc == HS_OK && (rc = hs_plan_new(&p, g, calls, &po)) == HS_OK)
		stage_done(f, &t);
	if (rc == HS_OK && (rc = hs_apply(&r, g, p, &ao)) == HS_OK)
		stage_done(f, &t);
	if (rc == HS_OK && out && (rc = hs_graph_write_file(g, out)) == HS_OK)
		stage_done(f, &t);
	/* The process ends here: nothing is freed. */
	return rc == HS_OK ? 0 : fail(in);
}

/* A run's figures as bench_child_n carries them: each stage's ms, then
 * each stage's RssAnon, then the count of stages. */
enum { N_FIGURES = 2 * N_STAGES + 1 };
_Static_assert(N_FIGURES <= BENCH_MAX_FIGURES, "bench_child_n carries the figures");

typedef struct phase_args {
	const char *in, *out;
	int plugins, inspect;
} phase_args;

static int run_figured(void *arg, double *figures, size_t n)
{
	const phase_args *a = arg;
	run_figures f;
	(void)n;
	if (run_once(&f, a->in, a->out, a->plugins, a->inspect) != 0)
		return -1;
	for (int s = 0; s < N_STAGES; s++) {
		figures[s] = f.ms[s];
		figures[N_STAGES + s] = (double)f.anon_kb[s];
	}
	figures[2 * N_STAGES] = f.stages;
	return 0;
}

/* Runs run_once in a child (bench_child_n); its resident peak is the
 * child's ru_maxrss. */
static int run_child(run_figures *f, const phase_args *a)
{
	double figures[N_FIGURES], cpu_ms;
	if (bench_child_n(run_figured, (void *)a, figures, N_FIGURES, &f->hwm_kb, &cpu_ms) != 0)
		return -1;
	for (int s = 0; s < N_STAGES; s++) {
		f->ms[s] = figures[s];
		f->anon_kb[s] = (long)figures[N_STAGES + s];
	}
	f->stages = (int)figures[2 * N_STAGES];
	return 0;
}

static void print_figures(const run_figures *runs, int n, uint64_t file_size,
			  const char *const *names)
{
	double v[MAX_RUNS];
	long hwm = 0;
	printf("%-11s %10s %14s\n", "stage", "ms (med)", "RssAnon MiB");
	for (int s = 0; s < runs[0].stages; s++) {
		long anon = 0;
		for (int i = 0; i < n; i++) {
			v[i] = runs[i].ms[s];
			if (runs[i].anon_kb[s] > anon)
				anon = runs[i].anon_kb[s];
		}
		printf("%-11s %10.1f %14.1f\n", names[s], bench_median(v, (size_t)n),
		       anon / 1024.0);
	}
	for (int i = 0; i < n; i++)
		if (runs[i].hwm_kb > hwm)
			hwm = runs[i].hwm_kb;
	printf("peak (ru_maxrss) %.1f MiB = %.2fx the file (%.1f MiB)\n", hwm / 1024.0,
	       file_size ? hwm * 1024.0 / (double)file_size : 0.0, file_size / 1048576.0);
}

static void usage(void)
{
	fputs("usage: bench_phases [-n RUNS] [-p] [-i] FILE [OUT]\n", stderr);
}

int main(int argc, char **argv)
{
	int runs = 3, plugins = 0, inspect = 0, c;
	while ((c = getopt(argc, argv, "n:pi")) != -1) {
		if (c == 'n')
			runs = atoi(optarg);
		else if (c == 'p')
			plugins = 1;
		else if (c == 'i')
			inspect = 1;
		else {
			usage();
			return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2 || runs < 1 || runs > MAX_RUNS) {
		usage();
		return 2;
	}
	const char *in = argv[optind], *out = argc - optind == 2 ? argv[optind + 1] : NULL;
	phase_args args = { in, out, plugins, inspect };
	run_figures figures[MAX_RUNS];
	for (int i = 0; i < runs; i++)
		if (run_child(&figures[i], &args) != 0) {
			fprintf(stderr, "bench_phases: run %d failed\n", i + 1);
			return 1;
		}
	printf("bench_phases: %s, %d run(s)%s%s\n", in, runs,
	       plugins ? ", plugins lstm,rnn,conv" : "", inspect ? ", as inspect" : "");
	print_figures(figures, runs, bench_file_size(in), inspect ? inspect_stage_names : stage_names);
	if (out)
		unlink(out);
	return 0;
}
