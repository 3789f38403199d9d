/* bench_dispatch: what plugin dispatch costs over the generic pass.
 *
 *   bench_dispatch [-n REPS] [-p PLUGIN_DIR]... [-r RULES] [-e PLUGIN] FILE...
 *
 * For each FILE (a generated graph of many calls, e.g. `hintstub-gen conv
 * --calls 10000`), two sides are run REPS times (default 5) after one
 * warm-up each, every run in its own child process, the sides taking
 * turns (a change of load on the machine hits both), and their medians
 * compared:
 *  - generic: hs_convert with no registry (every call gets the generic
 *    stub);
 *  - plugins: hs_convert with a registry made of the rule file RULES
 *    (default: the source tree's rules/default.rules) loading its plugins
 *    from the PLUGIN_DIRs only (default: the build tree's
 *    plugins/{lstm,rnn,conv}/.libs; no HINTSTUB_PLUGIN_PATH, no installed
 *    directory).
 * Both sides time the same section: hs_graph_load_file + hs_convert +
 * hs_graph_write_buffer (no disk write: fsync waits would only add
 * noise), by process CPU time and by wall clock, and hs_convert alone.
 * Making the registry (dlopen, rules) happens before the section and is
 * timed apart, as information.
 *
 * Target: the plugins side costs at most 1.2x the generic side, in CPU
 * time of the section (the section does no I/O but reading a cached
 * file, so wall time only adds the scheduling noise of a shared machine;
 * it is printed beside).  So that
 * the comparison is honest, every call must be converted on both sides,
 * by "generic" on one and by PLUGIN (default conv) on the other: the
 * report entries of one more conversion per side are checked and the
 * calls each plugin claimed are counted.  Exit status 1 when a run fails
 * or the check does not hold. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "hintstub/hintstub.h"
#include "hintstub/ophint.h"
#include "hintstub/plugin.h"

#ifndef HS_BUILD_DIR
#define HS_BUILD_DIR "."
#endif
#ifndef HS_SOURCE_DIR
#define HS_SOURCE_DIR "."
#endif

#define TARGET_RATIO 1.2
#define MAX_DIRS 16

typedef struct setup {
	const char *dirs[MAX_DIRS];
	size_t n_dirs;
	const char *rules;
	const char *expect; /* plugin expected to claim every call */
} setup;

typedef struct side {
	const setup *s;
	const char *file;
	int plugins; /* 0: generic pass (no registry) */
} side;

/* Figures of one run. */
enum {
	F_WALL,          /* load + convert + write_buffer, wall clock */
	F_CPU,           /* same section, process CPU time */
	F_CONVERT_WALL,  /* hs_convert alone */
	F_CONVERT_CPU,
	F_REGISTRY,      /* making the registry, before the section */
	F_COUNT
};

static int open_registry(hs_registry **out, const setup *s)
{
	hs_registry *r = NULL;
	int rc = hs_registry_new(&r, HS_REGISTRY_NO_ENV_PATH | HS_REGISTRY_NO_SYSTEM_PATH);
	for (size_t i = 0; rc == HS_OK && i < s->n_dirs; i++)
		rc = hs_registry_add_search_dir(r, s->dirs[i]);
	if (rc == HS_OK)
		rc = hs_registry_load_rules(r, s->rules);
	if (rc != HS_OK) {
		fprintf(stderr, "bench_dispatch: %s\n", hs_error_last());
		hs_registry_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

static int run_side(void *arg, double *f, size_t n)
{
	const side *sd = arg;
	hs_registry *reg = NULL;
	(void)n;
	double r0 = bench_now_ms();
	if (sd->plugins && open_registry(&reg, sd->s) != 0)
		return -1;
	f[F_REGISTRY] = bench_now_ms() - r0;

	hs_graph *g = NULL;
	hs_report *report = NULL;
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	void *out = NULL;
	size_t out_len = 0;
	opts.plan.registry = reg;
	double w0 = bench_now_ms(), c0 = bench_cpu_ms(), cw = 0, cc = 0;
	int rc = hs_graph_load_file(&g, sd->file, NULL);
	if (rc == HS_OK) {
		cw = bench_now_ms();
		cc = bench_cpu_ms();
		rc = hs_convert(&report, g, &opts);
		f[F_CONVERT_WALL] = bench_now_ms() - cw;
		f[F_CONVERT_CPU] = bench_cpu_ms() - cc;
	}
	if (rc == HS_OK)
		rc = hs_graph_write_buffer(&out, &out_len, g);
	f[F_WALL] = bench_now_ms() - w0;
	f[F_CPU] = bench_cpu_ms() - c0;
	if (rc != HS_OK)
		fprintf(stderr, "bench_dispatch: %s: %s\n", sd->file, hs_error_last());
	hs_free(out);
	hs_report_free(report);
	hs_graph_free(g);
	hs_registry_free(reg);
	return rc == HS_OK ? 0 : -1;
}

/* Calls claimed per plugin ("generic" included), from the report
 * entries' plugin field. */
#define MAX_TALLY 16
typedef struct tally {
	char name[MAX_TALLY][32]; /* copied: the registry is gone by then */
	size_t count[MAX_TALLY];
	size_t n, calls, converted, other; /* other: names past MAX_TALLY */
	size_t nodes_in, nodes_out;
} tally;

static size_t *plugin_slot(tally *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->name[i], name) == 0)
			return &t->count[i];
	if (t->n == MAX_TALLY)
		return &t->other;
	snprintf(t->name[t->n], sizeof t->name[0], "%s", name);
	t->count[t->n] = 0;
	return &t->count[t->n++];
}

static void seed_plugin(tally *t, const char *name)
{
	(void)plugin_slot(t, name);
}

static void count_plugin(tally *t, const char *name)
{
	(*plugin_slot(t, name))++;
}

static size_t claimed_by(const tally *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->name[i], name) == 0)
			return t->count[i];
	return 0;
}

/* One more conversion of a side, in this process: who converted each
 * call, and does the result verify. */
static int describe(tally *t, const side *sd, const setup *s)
{
	hs_registry *reg = NULL;
	hs_graph *g = NULL;
	hs_report *report = NULL;
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	memset(t, 0, sizeof *t);
	if (sd->plugins && open_registry(&reg, s) != 0)
		return -1;
	opts.plan.registry = reg;
	int rc = hs_graph_load_file(&g, sd->file, NULL);
	if (rc == HS_OK) {
		t->nodes_in = hs_graph_node_count(g);
		rc = hs_convert(&report, g, &opts);
	}
	if (rc == HS_OK)
		rc = hs_graph_verify(g);
	if (rc == HS_OK) {
		t->nodes_out = hs_graph_node_count(g);
		t->calls = hs_report_count(report);
		t->converted = hs_report_converted(report);
		/* Every loaded plugin is listed, even one claiming nothing. */
		for (size_t i = 0; i < hs_registry_plugin_count(reg); i++)
			seed_plugin(t, hs_registry_plugin(reg, i)->name);
		for (size_t i = 0; i < t->calls; i++) {
			const hs_call_report *e = hs_report_entry(report, i);
			if (e->plugin)
				count_plugin(t, e->plugin);
		}
	}
	if (rc != HS_OK)
		fprintf(stderr, "bench_dispatch: %s: %s\n", sd->file, hs_error_last());
	hs_report_free(report);
	hs_graph_free(g);
	hs_registry_free(reg);
	return rc == HS_OK ? 0 : -1;
}

static void print_tally(const char *label, const tally *t)
{
	printf("      %s: %zu calls, %zu converted; claimed by ", label, t->calls,
	       t->converted);
	for (size_t i = 0; i < t->n; i++)
		printf("%s%s %zu", i ? ", " : "", t->name[i], t->count[i]);
	if (t->other)
		printf("%sothers %zu", t->n ? ", " : "", t->other);
	printf("; %zu -> %zu nodes\n", t->nodes_in, t->nodes_out);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Warm-up of each side, then reps runs of each, taking turns; medians
 * of every figure into g and p. */
static int measure_sides(double *g, double *p, const side *gen,
			 const side *plug, int reps)
{
	double runs[2][F_COUNT][64], one[F_COUNT], cpu;
	long kb;
	const side *sides[2] = { gen, plug };
	for (int rep = -1; rep < reps; rep++) {
		for (int k = 0; k < 2; k++) {
			if (bench_child_n(run_side, (void *)sides[k], one, F_COUNT,
					  &kb, &cpu) != 0)
				return -1;
			for (int f = 0; rep >= 0 && f < F_COUNT; f++)
				runs[k][f][rep] = one[f];
		}
	}
	for (int f = 0; f < F_COUNT; f++) {
		g[f] = bench_median(runs[0][f], (size_t)reps);
		p[f] = bench_median(runs[1][f], (size_t)reps);
	}
	return 0;
}

static int bench_file(const setup *s, const char *file, int reps)
{
	side gen = { s, file, 0 }, plug = { s, file, 1 };
	double g[F_COUNT], p[F_COUNT];
	tally tg, tp;
	if (measure_sides(g, p, &gen, &plug, reps) != 0) {
		fprintf(stderr, "bench_dispatch: %s: a measured run failed\n", file);
		return -1;
	}
	if (describe(&tg, &gen, s) != 0 || describe(&tp, &plug, s) != 0)
		return -1;

	/* Honest only when both sides converted every call, each by whom
	 * it should have been. */
	size_t by_generic = claimed_by(&tg, "generic");
	size_t by_expected = claimed_by(&tp, s->expect);
	int honest = tg.calls > 0 && tg.calls == tp.calls &&
		     tg.converted == tg.calls && by_generic == tg.calls &&
		     tp.converted == tp.calls && by_expected == tp.calls;

	double ratio = p[F_WALL] / g[F_WALL], ratio_cpu = p[F_CPU] / g[F_CPU];
	double ratio_conv = p[F_CONVERT_WALL] / g[F_CONVERT_WALL];
	double ratio_conv_cpu = p[F_CONVERT_CPU] / g[F_CONVERT_CPU];
	double per_call_us = (p[F_CONVERT_CPU] - g[F_CONVERT_CPU]) * 1e3 /
			     (double)(tp.calls ? tp.calls : 1);
	printf("  %s:\n", file);
	print_tally("generic", &tg);
	print_tally("plugins", &tp);
	printf("      load + hs_convert + write_buffer, CPU time: plugins %.1f ms, "
	       "generic %.1f ms: ratio %.2f (target <= %.2f)\n", p[F_CPU], g[F_CPU],
	       ratio_cpu, TARGET_RATIO);
	printf("        same, wall clock:                       plugins %.1f ms, "
	       "generic %.1f ms: ratio %.2f\n", p[F_WALL], g[F_WALL], ratio);
	printf("      hs_convert alone, CPU time: plugins %.1f ms, generic %.1f ms: ratio %.2f "
	       "(%+.2f us a call); wall %.1f / %.1f ms = %.2f\n", p[F_CONVERT_CPU],
	       g[F_CONVERT_CPU], ratio_conv_cpu, per_call_us, p[F_CONVERT_WALL],
	       g[F_CONVERT_WALL], ratio_conv);
	printf("      registry (rules + %zu plugins), untimed above: %.2f ms\n",
	       s->n_dirs, p[F_REGISTRY]);
	if (!honest)
		fprintf(stderr, "bench_dispatch: %s: not every call was converted by '%s' "
			"(plugins side) and 'generic' (generic side): the ratio compares "
			"different work\n", file, s->expect);

	char name[64], v[64];
	const char *b = base_name(file);
	snprintf(name, sizeof name, "dispatch: %.24s, plugins/generic", b);
	snprintf(v, sizeof v, "%.2f CPU (%.0f / %.0f ms)", ratio_cpu, p[F_CPU], g[F_CPU]);
	bench_summary(name, v, "<= 1.20", honest && ratio_cpu <= TARGET_RATIO);
	snprintf(name, sizeof name, "dispatch: %.24s, same, wall", b);
	snprintf(v, sizeof v, "%.2f (%.0f / %.0f ms)", ratio, p[F_WALL], g[F_WALL]);
	bench_summary(name, v, "(info)", 1);
	snprintf(name, sizeof name, "dispatch: %.24s, hs_convert", b);
	snprintf(v, sizeof v, "%.2f CPU (%.0f / %.0f ms)", ratio_conv_cpu, p[F_CONVERT_CPU],
		 g[F_CONVERT_CPU]);
	bench_summary(name, v, "(info)", 1);
	snprintf(name, sizeof name, "dispatch: %.24s, by %s", b, s->expect);
	snprintf(v, sizeof v, "%zu of %zu calls", by_expected, tp.calls);
	bench_summary(name, v, "all", honest);
	return honest ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_dispatch [-n REPS] [-p PLUGIN_DIR]... [-r RULES] "
		"[-e PLUGIN] FILE...\n");
}

int main(int argc, char **argv)
{
	setup s = { .rules = HS_SOURCE_DIR "/rules/default.rules", .expect = "conv" };
	const char *defaults[] = { HS_BUILD_DIR "/plugins/lstm/.libs",
				   HS_BUILD_DIR "/plugins/rnn/.libs",
				   HS_BUILD_DIR "/plugins/conv/.libs" };
	int reps = 5, opt;
	while ((opt = getopt(argc, argv, "n:p:r:e:")) != -1) {
		switch (opt) {
		case 'n':
			reps = atoi(optarg);
			break;
		case 'p':
			if (s.n_dirs == MAX_DIRS) {
				fprintf(stderr, "bench_dispatch: at most %d -p\n", MAX_DIRS);
				return 2;
			}
			s.dirs[s.n_dirs++] = optarg;
			break;
		case 'r':
			s.rules = optarg;
			break;
		case 'e':
			s.expect = optarg;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (optind == argc) {
		usage();
		return 2;
	}
	if (reps < 1 || reps > 64) {
		fprintf(stderr, "bench_dispatch: repetitions must be 1..64\n");
		return 2;
	}
	if (s.n_dirs == 0)
		for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
			s.dirs[s.n_dirs++] = defaults[i];

	printf("bench_dispatch: plugin dispatch against the generic pass; medians of %d runs, "
	       "each in its own process\n", reps);
	printf("  rules %s; plugins from", s.rules);
	for (size_t i = 0; i < s.n_dirs; i++)
		printf(" %s", s.dirs[i]);
	printf("\n");
	int failed = 0;
	for (int i = optind; i < argc; i++)
		failed |= bench_file(&s, argv[i], reps) != 0;
	return failed ? 1 : 0;
}
