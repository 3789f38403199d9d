/* hintstub test-models MANIFEST.yaml: for each model of the manifest
 * (tf2onnx's run_pretrained_models.py layout, cli/manifest.h) convert,
 * verify, and print one row; then the total. */
#include <config.h>

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "evalcli.h"
#include "hintstub/plugin.h"
#ifdef HAVE_YAML
#include "manifest.h"
#endif

static void test_models_usage(FILE *out)
{
	fputs("Usage: hintstub test-models [OPTION]... MANIFEST.yaml\n"
	      "For each model of MANIFEST (tf2onnx's run_pretrained_models.py YAML\n"
	      "layout; see hintstub(1)): convert it, verify the conversion, check\n"
	      "how many calls converted, and print one row; then the total.\n"
	      "\n"
	      "      --only NAME            test only model NAME (repeatable; a\n"
	      "                             disabled model too)\n"
	      "      --json                 print JSON instead of text\n"
	      "      --seed N               seed of the random inputs (default 1)\n"
	      "      --atol A, --rtol R     tolerances of models that give none\n"
	      "                             (default 1e-5, 1e-4)\n"
	      CLI_PLUGIN_HELP
	      "  -h, --help                 show this help and exit\n"
	      "\n"
	      "Exit status: 0 every model passed; 1 one failed or the manifest is\n"
	      "bad; 2 usage error.\n",
	      out);
}

#ifndef HAVE_YAML

int cli_test_models(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		test_models_usage(stdout);
		return HS_EXIT_OK;
	}
	cli_error("test-models: this hintstub was built without libyaml: install it "
		  "(Debian: apt-get install -y libyaml-dev), then run ./configure and make "
		  "again");
	return HS_EXIT_USAGE;
}

#else

#define MAX_ONLY 64

typedef struct tm_opts {
	const char *only[MAX_ONLY];
	size_t n_only;
	int json;
	cli_plugin_opts plugins;
	uint64_t seed;
	double atol, rtol;
} tm_opts;

typedef struct tm_row {
	const char *name;
	size_t nodes, calls, converted;
	double worst, seconds;
	int pass, skipped;
	char why[512];
} tm_row;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int selected(const tm_opts *o, const char *name)
{
	if (!o->n_only)
		return 1;
	for (size_t i = 0; i < o->n_only; i++)
		if (!strcmp(o->only[i], name))
			return 1;
	return 0;
}

/* The model's verify options: its inputs and outputs (borrowed: not
 * freed), its tolerances or the command's. */
static void model_verify_opts(cli_verify_opts *vo, const cli_model *m, const tm_opts *o)
{
	cli_verify_opts_init(vo);
	vo->inputs = m->inputs;
	vo->outputs = m->outputs;
	vo->n_outputs = m->n_outputs;
	vo->fill = m->fill;
	vo->seed = o->seed;
	vo->atol = m->atol >= 0 ? m->atol : o->atol;
	vo->rtol = m->rtol >= 0 ? m->rtol : o->rtol;
}

static void set_why(tm_row *row, const char *what)
{
	snprintf(row->why, sizeof row->why, "%s", what);
}

/* Converts as `hintstub --plugins ... IN OUT` would (the plan of
 * cli/pass.c), keeping the original for the comparison. */
static int convert_model(tm_row *row, cli_pass *pass, hs_graph **orig, const cli_model *m,
			 const tm_opts *o)
{
	pass->plugins = o->plugins;
	if (m->rules)
		pass->plugins.rules = m->rules;
	if (m->plugins) {
		pass->plugins.plugins = *m->plugins ? m->plugins : NULL;
		pass->plugins.no_plugins = !*m->plugins;
		if (pass->plugins.no_plugins)
			pass->plugins.rules = NULL;
	}
	if (cli_pass_open(pass, m->model) != HS_EXIT_OK) {
		set_why(row, "cannot convert (see the message above)");
		return -1;
	}
	row->nodes = hs_graph_node_count(pass->g);
	row->calls = hs_callset_count(pass->calls);
	if (hs_graph_load_file(orig, m->model, &pass->limits) != HS_OK) {
		set_why(row, hs_error_last());
		return -1;
	}
	hs_apply_options ao = HS_APPLY_OPTIONS_INIT;
	hs_report *r = NULL;
	int rc = hs_apply(&r, pass->g, pass->p, &ao);
	if (rc == HS_OK)
		row->converted = hs_report_converted(r);
	else
		snprintf(row->why, sizeof row->why, "conversion failed: %s", hs_error_last());
	hs_report_free(r);
	return rc == HS_OK ? 0 : -1;
}

static double worst_error(const cli_verify_result *r)
{
	double w = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->out[i].max_abs > w || isnan(r->out[i].max_abs))
			w = r->out[i].max_abs;
	return w;
}

static void verify_model(tm_row *row, const hs_graph *orig, const cli_pass *pass,
			 const cli_model *m, const tm_opts *o)
{
	cli_verify_opts vo;
	model_verify_opts(&vo, m, o);
	cli_plugin_kernels(&vo, pass->registry);
	cli_verify_result vr;
	int status = cli_verify_graphs(&vr, orig, m->name, pass->g, "converted", &vo);
	if (status == HS_EXIT_OK || status == HS_EXIT_BAD_INPUT)
		row->worst = worst_error(&vr);
	if (status == HS_EXIT_BAD_INPUT) {
		cli_verify_blame(&vr, m->name, "converted", &vo);
		set_why(row, "the converted graph computes something else");
	} else if (status != HS_EXIT_OK) {
		set_why(row, "cannot verify (see the message above)");
	} else if (m->fused_calls >= 0 && (long long)row->converted != m->fused_calls) {
		snprintf(row->why, sizeof row->why, "%zu call(s) converted, fused_calls wants %lld",
			 row->converted, m->fused_calls);
	} else {
		row->pass = 1;
	}
	if (status == HS_EXIT_OK || status == HS_EXIT_BAD_INPUT)
		cli_verify_result_free(&vr);
}

static void test_model(tm_row *row, const cli_model *m, const tm_opts *o)
{
	memset(row, 0, sizeof *row);
	row->name = m->name;
	if (m->disabled && !o->n_only) {
		row->skipped = 1;
		set_why(row, "disabled");
		return;
	}
	double t0 = now();
	cli_pass pass;
	hs_graph *orig = NULL;
	cli_pass_init(&pass);
	if (convert_model(row, &pass, &orig, m, o) == 0)
		verify_model(row, orig, &pass, m, o);
	hs_graph_free(orig);
	cli_pass_close(&pass);
	row->seconds = now() - t0;
}

static void print_row(const tm_row *r)
{
	if (r->skipped) {
		printf("%-24s %7s %5s %9s %11s %8s  SKIP (%s)\n", r->name, "-", "-", "-", "-", "-",
		       r->why);
		return;
	}
	printf("%-24s %7zu %5zu %9zu %11.3g %7.3fs  %s%s%s%s\n", r->name, r->nodes, r->calls,
	       r->converted, r->worst, r->seconds, r->pass ? "PASS" : "FAIL",
	       r->why[0] ? " (" : "", r->why, r->why[0] ? ")" : "");
}

static void print_json_row(const tm_row *r, int last)
{
	fputs("  {\"model\": ", stdout);
	cli_json_string(stdout, r->name);
	printf(", \"nodes\": %zu, \"calls\": %zu, \"converted\": %zu, \"worst_error\": ",
	       r->nodes, r->calls, r->converted);
	cli_json_number(stdout, r->worst);
	printf(", \"seconds\": %.3f, \"result\": \"%s\"", r->seconds,
	       r->skipped ? "SKIP" : r->pass ? "PASS" : "FAIL");
	if (r->why[0]) {
		fputs(", \"reason\": ", stdout);
		cli_json_string(stdout, r->why);
	}
	printf("}%s\n", last ? "" : ",");
}

static int run_manifest(const char *path, const tm_opts *o)
{
	cli_manifest m;
	char err[1024];
	if (cli_manifest_load(&m, path, err, sizeof err) != 0) {
		cli_error("%s", err);
		return HS_EXIT_BAD_INPUT;
	}
	for (size_t i = 0; i < o->n_only; i++) {
		size_t k = 0;
		while (k < m.n && strcmp(m.models[k].name, o->only[i]))
			k++;
		if (k == m.n) {
			cli_error("--only %s: %s has no such model", o->only[i], path);
			cli_manifest_free(&m);
			return HS_EXIT_USAGE;
		}
	}
	tm_row *rows = calloc(m.n ? m.n : 1, sizeof *rows);
	size_t n = 0, passed = 0, failed = 0, skipped = 0;
	if (!rows) {
		cli_error("out of memory");
		cli_manifest_free(&m);
		return HS_EXIT_BAD_INPUT;
	}
	if (!o->json)
		printf("%-24s %7s %5s %9s %11s %8s  %s\n", "model", "nodes", "calls",
		       "converted", "worst error", "time", "result");
	for (size_t i = 0; i < m.n; i++) {
		if (!selected(o, m.models[i].name))
			continue;
		tm_row *r = &rows[n++];
		test_model(r, &m.models[i], o);
		if (!o->json) {
			print_row(r);
			fflush(stdout);
		}
		skipped += r->skipped;
		passed += !r->skipped && r->pass;
		failed += !r->skipped && !r->pass;
	}
	if (o->json) {
		puts("[");
		for (size_t i = 0; i < n; i++)
			print_json_row(&rows[i], i + 1 == n);
		puts("]");
	} else {
		printf("test-models: %zu passed, %zu failed, %zu skipped\n", passed, failed,
		       skipped);
	}
	free(rows);
	cli_manifest_free(&m);
	return failed ? HS_EXIT_BAD_INPUT : HS_EXIT_OK;
}

enum { OPT_ONLY = 0x4a0, OPT_JSON };

static int test_models_option(void *opts, int c, const char *arg)
{
	tm_opts *o = opts;
	if (c == OPT_JSON) {
		o->json = 1;
		return 1;
	}
	if (c != OPT_ONLY)
		return 0;
	if (o->n_only == MAX_ONLY) {
		cli_error("--only: at most %d", MAX_ONLY);
		return -1;
	}
	o->only[o->n_only++] = arg;
	return 1;
}

int cli_test_models(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "seed", required_argument, NULL, CLI_OPT_SEED },
		{ "atol", required_argument, NULL, CLI_OPT_ATOL },
		{ "rtol", required_argument, NULL, CLI_OPT_RTOL },
		{ "help", no_argument, NULL, 'h' },
		CLI_PLUGIN_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	tm_opts o;
	cli_verify_opts vo;
	memset(&o, 0, sizeof o);
	cli_verify_opts_init(&vo);
	int status = cli_eval_options(&vo, &o.plugins, "test-models", "h", opts,
				      test_models_usage, test_models_option, &o, argc, argv);
	if (status < 0 && argc - optind != 1) {
		cli_error("test-models: expected one MANIFEST.yaml");
		fputs("Try 'hintstub test-models --help' for more information.\n", stderr);
		status = HS_EXIT_USAGE;
	}
	o.seed = vo.seed;
	o.atol = vo.atol;
	o.rtol = vo.rtol;
	if (status < 0)
		status = run_manifest(argv[optind], &o);
	cli_verify_opts_free(&vo);
	return status;
}

#endif
