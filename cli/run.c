/* hintstub run: evaluate a graph with the reference evaluator, print each
 * output's shape and a summary, optionally save them as .npy files. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "evalcli.h"
#include "hintstub/plugin.h"
#include "hintstub/npy.h"

static void run_usage(FILE *out)
{
	fputs("Usage: hintstub run [OPTION]... GRAPH\n"
	      "Evaluate GRAPH with hintstub's reference evaluator (TensorFlow's\n"
	      "semantics, on the CPU) and print each output's shape and a summary.\n"
	      "\n"
	      CLI_EVAL_HELP
	      "      --save DIR             write each output to DIR/NAME.npy (DIR is\n"
	      "                             made if missing); in NAME every byte but\n"
	      "                             letters, digits, '.', '_' and '-' is %XX:\n"
	      "                             rnn/out:1 -> rnn%2Fout%3A1.npy\n"
	      CLI_PLUGIN_HELP
	      "  -h, --help                 show this help and exit\n"
	      "\n"
	      "Exit status: 0 success; 2 usage error; 3 GRAPH cannot be read or\n"
	      "evaluated (the op and node named); 1 an output cannot be saved.\n",
	      out);
}

/* The file name of output `name`: bytes outside [A-Za-z0-9._-] as %XX, so
 * that different names never share a file. */
static char *save_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + 3 * strlen(name) + 6;
	char *s = malloc(n), *p;
	if (!s)
		return NULL;
	p = s + sprintf(s, "%s/", dir);
	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-')
			*p++ = (char)*c;
		else
			p += sprintf(p, "%%%02X", *c);
	}
	strcpy(p, ".npy");
	return s;
}

static void print_summary(const char *name, const hs_value *t)
{
	char shape[128];
	printf("%s %s %s", name, cli_dtype_text(t->dtype),
	       hs_shape_text(shape, sizeof shape, t->rank, t->dims));
	if (t->dtype == HS_DT_VARIANT || !t->elements) {
		printf("%s\n", t->dtype == HS_DT_VARIANT ? "  (a tensor list)" : "");
		return;
	}
	double lo = INFINITY, hi = -INFINITY, sum = 0;
	uint64_t nans = 0;
	for (uint64_t i = 0; i < t->elements; i++) {
		double v = cli_element(t, i);
		if (isnan(v)) {
			nans++;
			continue;
		}
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		sum += v;
	}
	if (nans < t->elements)
		printf("  min %.9g  max %.9g  mean %.9g", lo, hi,
		       sum / (double)(t->elements - nans));
	if (nans)
		printf("  %llu NaN", (unsigned long long)nans);
	printf("  first");
	for (uint64_t i = 0; i < t->elements && i < 4; i++)
		printf(" %.6g", cli_element(t, i));
	printf("%s\n", t->elements > 4 ? " ..." : "");
}

static int save_outputs(const char *dir, char **names, hs_value **v, size_t n)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		cli_error("--save %s: %s", dir, strerror(errno));
		return HS_EXIT_BAD_INPUT;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = save_path(dir, names[i]);
		int rc = path ? hs_npy_write_file(path, v[i]) : HS_ENOMEM;
		if (rc != HS_OK)
			cli_error("%s: %s", path ? path : names[i],
				  path ? hs_error_last() : "out of memory");
		free(path);
		if (rc != HS_OK)
			return HS_EXIT_BAD_INPUT;
	}
	return HS_EXIT_OK;
}

static int run_graph(const char *path, cli_verify_opts *o, const cli_plugin_opts *po,
		     const char *save_dir)
{
	hs_graph *g = NULL;
	hs_registry *reg = NULL;
	hs_eval *ev = NULL;
	char **names = NULL;
	size_t n = 0;
	hs_value **outs = NULL;
	cli_feed f = { 0 };
	int status = cli_registry_open(&reg, po);
	if (status != HS_EXIT_OK)
		return status;
	if (hs_graph_load_file(&g, path, NULL) != HS_OK) {
		cli_error_last();
		status = HS_EXIT_CANNOT_EVALUATE;
		goto done;
	}
	cli_plugin_kernels(o, reg);
	if (o->n_outputs) {
		names = o->outputs;
		n = o->n_outputs;
	} else if (cli_default_outputs(&names, &n, g, NULL) || !n) {
		if (!n)
			cli_error("%s: no node that no one reads: name the outputs with --output",
				  path);
		status = n ? HS_EXIT_CANNOT_EVALUATE : HS_EXIT_USAGE;
		goto done;
	}
	hs_eval_options eo = HS_EVAL_OPTIONS_INIT;
	eo.kernel = o->kernel;
	eo.kernel_user = o->kernel_user;
	status = cli_feed_make(&f, g, path, &o->inputs, o->fill, o->seed);
	if (status != HS_EXIT_OK)
		goto done;
	if (!(outs = calloc(n, sizeof *outs)) || hs_eval_new(&ev, g, &eo) != HS_OK) {
		cli_error("%s: %s", path, outs ? hs_error_last() : "out of memory");
		status = HS_EXIT_CANNOT_EVALUATE;
		goto done;
	}
	status = cli_feed_apply(ev, &f, path);
	if (status == HS_EXIT_OK &&
	    hs_eval_run(outs, ev, (const char *const *)names, n) != HS_OK) {
		cli_error("%s: cannot evaluate: %s", path, hs_error_last());
		status = HS_EXIT_CANNOT_EVALUATE;
	}
	for (size_t i = 0; status == HS_EXIT_OK && i < n; i++)
		print_summary(names[i], outs[i]);
	if (status == HS_EXIT_OK && save_dir)
		status = save_outputs(save_dir, names, outs, n);
done:
	for (size_t i = 0; outs && i < n; i++)
		hs_value_free(outs[i]);
	free(outs);
	if (names != o->outputs)
		cli_names_free(names, n);
	cli_feed_free(&f);
	hs_eval_free(ev);
	hs_graph_free(g);
	hs_registry_free(reg);
	return status;
}

enum { OPT_SAVE = 0x490 };

static int run_option(void *save_dir, int c, const char *arg)
{
	if (c != OPT_SAVE)
		return 0;
	*(const char **)save_dir = arg;
	return 1;
}

int cli_run(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_EVAL_LONG_OPTIONS,
		{ "save", required_argument, NULL, OPT_SAVE },
		{ "help", no_argument, NULL, 'h' },
		CLI_PLUGIN_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	cli_verify_opts vo;
	cli_plugin_opts po;
	const char *save_dir = NULL;
	cli_verify_opts_init(&vo);
	memset(&po, 0, sizeof po);
	int status = cli_eval_options(&vo, &po, "run", "i:o:h", opts, run_usage, run_option,
				      &save_dir, argc, argv);
	if (status < 0 && argc - optind != 1) {
		cli_error("run: expected one GRAPH");
		fputs("Try 'hintstub run --help' for more information.\n", stderr);
		status = HS_EXIT_USAGE;
	}
	if (status < 0)
		status = run_graph(argv[optind], &vo, &po, save_dir);
	cli_verify_opts_free(&vo);
	return status;
}
