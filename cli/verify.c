/* hintstub verify: evaluate the original and the converted graph on the
 * same inputs and compare every output, element by element.  The same
 * comparison serves `hintstub IN OUT --verify` and `test-models`. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "evalcli.h"
#include "hintstub/plugin.h"

#define CLI_DEFAULT_ATOL 1e-5
#define CLI_DEFAULT_RTOL 1e-4
#define CLI_MAX_SAMPLES 1000000u

void cli_verify_opts_init(cli_verify_opts *o)
{
	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->samples = 1;
	o->atol = CLI_DEFAULT_ATOL;
	o->rtol = CLI_DEFAULT_RTOL;
}

void cli_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void cli_verify_opts_free(cli_verify_opts *o)
{
	cli_inputs_free(&o->inputs);
	cli_names_free(o->outputs, o->n_outputs);
	o->outputs = NULL;
	o->n_outputs = 0;
}

static int parse_tolerance(double *out, const char *arg, const char *opt)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0) {
		cli_error("--%s: '%s' is not a non-negative number", opt, arg);
		return -1;
	}
	*out = v;
	return 1;
}

static int parse_count(uint64_t *out, const char *arg, const char *opt, uint64_t max)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v > max) {
		cli_error("--%s: '%s' is not an integer 0..%llu", opt, arg, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 1;
}

static int add_output(cli_verify_opts *o, const char *name)
{
	char **v = realloc(o->outputs, (o->n_outputs + 1) * sizeof *v);
	if (!v || !(v[o->n_outputs] = strdup(name))) {
		if (v)
			o->outputs = v;
		cli_error("out of memory");
		return -1;
	}
	o->outputs = v;
	o->n_outputs++;
	return 1;
}

static int parse_fill(cli_fill *out, const char *arg)
{
	if (!strcmp(arg, "random"))
		*out = CLI_FILL_RANDOM;
	else if (!strcmp(arg, "ramp"))
		*out = CLI_FILL_RAMP;
	else if (!strcmp(arg, "zeros"))
		*out = CLI_FILL_ZEROS;
	else {
		cli_error("--fill: '%s' is not random, ramp or zeros", arg);
		return -1;
	}
	return 1;
}

int cli_verify_option(cli_verify_opts *o, int opt, const char *arg)
{
	uint64_t v;
	switch (opt) {
	case CLI_OPT_INPUT: return cli_inputs_add_arg(&o->inputs, arg) ? -1 : 1;
	case CLI_OPT_OUTPUT: return add_output(o, arg);
	case CLI_OPT_SEED: return parse_count(&o->seed, arg, "seed", UINT64_MAX);
	case CLI_OPT_FILL: return parse_fill(&o->fill, arg);
	case CLI_OPT_ATOL: return parse_tolerance(&o->atol, arg, "atol");
	case CLI_OPT_RTOL: return parse_tolerance(&o->rtol, arg, "rtol");
	case CLI_OPT_SAMPLES:
		if (parse_count(&v, arg, "samples", CLI_MAX_SAMPLES) < 0)
			return -1;
		if (!v) {
			cli_error("--samples: at least 1");
			return -1;
		}
		o->samples = (unsigned)v;
		return 1;
	}
	return 0;
}

/* ---------------------------------------------------------- outputs */

static int is_hint_identity(const hs_node *n)
{
	hs_attr a;
	return hs_node_attr(&a, n, HS_ATTR_FUNCTION_UUID) == HS_OK;
}

static int no_value(const hs_node *n)
{
	hs_str op = hs_node_op(n);
	return hs_str_eq(op, "Const") || hs_str_eq(op, "NoOp") ||
	       hs_str_eq(op, "Placeholder") || hs_str_eq(op, "PlaceholderWithDefault");
}

int cli_default_outputs(char ***names, size_t *n, const hs_graph *a, const hs_graph *b)
{
	*names = NULL;
	*n = 0;
	size_t cap = 0;
	for (hs_node *nd = hs_graph_next_node(a, NULL); nd; nd = hs_graph_next_node(a, nd)) {
		hs_str name = hs_node_name(nd);
		if (hs_node_consumer_count(nd) || no_value(nd) || is_hint_identity(nd))
			continue;
		if (b && !hs_graph_find_node(b, name.ptr, name.len))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			char **v = realloc(*names, cap * sizeof *v);
			if (!v)
				goto oom;
			*names = v;
		}
		if (!((*names)[*n] = strndup(name.ptr, name.len)))
			goto oom;
		(*n)++;
	}
	return 0;
oom:
	cli_names_free(*names, *n);
	*names = NULL;
	*n = 0;
	cli_error("out of memory");
	return -1;
}

char *cli_index_text(char *buf, size_t cap, uint64_t flat, size_t rank, const int64_t *dims)
{
	uint64_t idx[HS_TENSOR_MAX_RANK];
	for (size_t i = rank; i-- > 0;) {
		uint64_t d = dims[i] > 0 ? (uint64_t)dims[i] : 1;
		idx[i] = flat % d;
		flat /= d;
	}
	size_t k = (size_t)snprintf(buf, cap, "[");
	for (size_t i = 0; i < rank && k < cap; i++)
		k += (size_t)snprintf(buf + k, cap - k, "%s%llu", i ? "," : "",
				      (unsigned long long)idx[i]);
	if (k < cap)
		snprintf(buf + k, cap - k, "]");
	return buf;
}

/* ------------------------------------------------------- comparing */

static int same_shape(const hs_value *a, const hs_value *b)
{
	if (a->rank != b->rank)
		return 0;
	for (size_t i = 0; i < a->rank; i++)
		if (a->dims[i] != b->dims[i])
			return 0;
	return 1;
}

static void describe_mismatch(cli_output_cmp *c, const hs_value *a, const hs_value *b,
			      const char *a_label, const char *b_label)
{
	char sa[128], sb[128];
	if (a->dtype != b->dtype)
		snprintf(c->mismatch, sizeof c->mismatch, "%s in %s, %s in %s",
			 cli_dtype_text(a->dtype), a_label, cli_dtype_text(b->dtype), b_label);
	else
		snprintf(c->mismatch, sizeof c->mismatch, "shape %s in %s, %s in %s",
			 hs_shape_text(sa, sizeof sa, a->rank, a->dims), a_label,
			 hs_shape_text(sb, sizeof sb, b->rank, b->dims), b_label);
}

/* How far x (converted) is from w (original), in tolerances: > 1 fails.
 * NaN agrees only with NaN. */
static double excess(double w, double x, double atol, double rtol, double *abs_err)
{
	if (isnan(w) || isnan(x)) {
		*abs_err = isnan(w) && isnan(x) ? 0 : INFINITY;
		return *abs_err;
	}
	*abs_err = w == x ? 0 : fabs(x - w);
	double bound = atol + rtol * fabs(w);
	if (*abs_err == 0)
		return 0;
	return bound > 0 ? *abs_err / bound : INFINITY;
}

static void compare(cli_output_cmp *c, const hs_value *a, const hs_value *b, unsigned sample,
		    const cli_verify_opts *o, const char *a_label, const char *b_label)
{
	c->dtype = a->dtype;
	c->rank = a->rank;
	memcpy(c->dims, a->dims, sizeof c->dims);
	c->elements = a->elements;
	if (a->dtype != b->dtype || !same_shape(a, b) || a->dtype == HS_DT_VARIANT) {
		if (!c->mismatch[0])
			describe_mismatch(c, a, b, a_label, b_label);
		if (a->dtype == HS_DT_VARIANT)
			snprintf(c->mismatch, sizeof c->mismatch, "a tensor list, not a tensor");
		c->agree = 0;
		return;
	}
	for (uint64_t i = 0; i < a->elements; i++) {
		double w = cli_element(a, i), x = cli_element(b, i), abs_err;
		double e = excess(w, x, o->atol, o->rtol, &abs_err);
		if (abs_err > c->max_abs || isnan(abs_err))
			c->max_abs = abs_err;
		if (w != 0 && !isnan(w) && abs_err / fabs(w) > c->max_rel)
			c->max_rel = abs_err / fabs(w);
		if (e > c->worst_excess || (i == 0 && sample == 0)) {
			c->worst_excess = e;
			c->worst = i;
			c->worst_sample = sample;
			c->worst_a = w;
			c->worst_b = x;
		}
	}
	if (c->worst_excess > 1)
		c->agree = 0;
}

/* ------------------------------------------------------- evaluating */

static int open_eval(hs_eval **ev, const hs_graph *g, const char *label,
		     const cli_verify_opts *o)
{
	hs_eval_options eo = HS_EVAL_OPTIONS_INIT;
	eo.kernel = o->kernel;
	eo.kernel_user = o->kernel_user;
	if (hs_eval_new(ev, g, &eo) == HS_OK)
		return HS_EXIT_OK;
	cli_error("%s: %s", label, hs_error_last());
	return HS_EXIT_CANNOT_EVALUATE;
}

/* One evaluation of ev on feed f: outs[0..n) owned by the caller. */
static int eval_once(hs_value **outs, hs_eval *ev, const cli_feed *f, char *const *fetches,
		     size_t n, const char *label)
{
	hs_eval_clear_inputs(ev);
	int status = cli_feed_apply(ev, f, label);
	if (status != HS_EXIT_OK)
		return status;
	if (hs_eval_run(outs, ev, (const char *const *)fetches, n) == HS_OK)
		return HS_EXIT_OK;
	cli_error("%s: cannot evaluate: %s", label, hs_error_last());
	return HS_EXIT_CANNOT_EVALUATE;
}

static void free_values(hs_value **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		hs_value_free(v[i]);
}

/* The outputs to compare: the given ones (each must be in both graphs),
 * else the defaults. */
static int pick_outputs(char ***names, size_t *n, const hs_graph *a, const char *a_label,
			const hs_graph *b, const char *b_label, const cli_verify_opts *o)
{
	if (!o->n_outputs) {
		if (cli_default_outputs(names, n, a, b))
			return HS_EXIT_CANNOT_EVALUATE;
		if (*n)
			return HS_EXIT_OK;
		cli_error("%s and %s share no output to compare (nodes no one reads): name "
			  "them with --output", a_label, b_label);
		return HS_EXIT_USAGE;
	}
	for (size_t i = 0; i < o->n_outputs; i++) {
		const hs_graph *g[2] = { a, b };
		const char *label[2] = { a_label, b_label };
		for (int k = 0; k < 2; k++) {
			hs_str node;
			int port;
			const char *s = o->outputs[i];
			if (hs_parse_input(&node, &port, (hs_str){ s, strlen(s) }) != HS_OK ||
			    !hs_graph_find_node(g[k], node.ptr, node.len)) {
				cli_error("--output %s: %s has no such tensor", s, label[k]);
				return HS_EXIT_USAGE;
			}
		}
	}
	*names = calloc(o->n_outputs, sizeof **names);
	for (*n = 0; *names && *n < o->n_outputs; (*n)++)
		if (!((*names)[*n] = strdup(o->outputs[*n])))
			break;
	if (*names && *n == o->n_outputs)
		return HS_EXIT_OK;
	cli_names_free(*names, *n);
	*names = NULL;
	*n = 0;
	cli_error("out of memory");
	return HS_EXIT_CANNOT_EVALUATE;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int run_samples(cli_verify_result *r, hs_eval *ea, hs_eval *eb, const hs_graph *a,
		       const char *a_label, const char *b_label, char **names,
		       const cli_verify_opts *o)
{
	hs_value **va = calloc(r->n, sizeof *va), **vb = calloc(r->n, sizeof *vb);
	int status = va && vb ? HS_EXIT_OK : HS_EXIT_CANNOT_EVALUATE;
	if (status != HS_EXIT_OK)
		cli_error("out of memory");
	for (unsigned s = 0; s < o->samples && status == HS_EXIT_OK; s++) {
		cli_feed f;
		status = cli_feed_make(&f, a, a_label, &o->inputs, o->fill, o->seed + s);
		if (status != HS_EXIT_OK)
			break;
		status = eval_once(va, ea, &f, names, r->n, a_label);
		if (status == HS_EXIT_OK)
			status = eval_once(vb, eb, &f, names, r->n, b_label);
		if (status == HS_EXIT_OK) {
			for (size_t i = 0; i < r->n; i++)
				compare(&r->out[i], va[i], vb[i], s, o, a_label, b_label);
			free_values(vb, r->n);
			memset(vb, 0, r->n * sizeof *vb);
		}
		free_values(va, r->n);
		memset(va, 0, r->n * sizeof *va);
		cli_feed_free(&f);
	}
	free(va);
	free(vb);
	return status;
}

int cli_verify_graphs(cli_verify_result *r, const hs_graph *a, const char *a_label,
		      const hs_graph *b, const char *b_label, const cli_verify_opts *o)
{
	memset(r, 0, sizeof *r);
	double t0 = now();
	char **names = NULL;
	hs_eval *ea = NULL, *eb = NULL;
	int status = pick_outputs(&names, &r->n, a, a_label, b, b_label, o);
	if (status == HS_EXIT_OK && !(r->out = calloc(r->n, sizeof *r->out))) {
		cli_error("out of memory");
		status = HS_EXIT_CANNOT_EVALUATE;
	}
	for (size_t i = 0; status == HS_EXIT_OK && i < r->n; i++) {
		r->out[i].name = names[i];
		names[i] = NULL;
		r->out[i].agree = 1;
	}
	if (status == HS_EXIT_OK)
		status = open_eval(&ea, a, a_label, o);
	if (status == HS_EXIT_OK)
		status = open_eval(&eb, b, b_label, o);
	if (status == HS_EXIT_OK) {
		char **fetches = calloc(r->n, sizeof *fetches);
		for (size_t i = 0; fetches && i < r->n; i++)
			fetches[i] = r->out[i].name;
		status = fetches ? run_samples(r, ea, eb, a, a_label, b_label, fetches, o)
				 : HS_EXIT_CANNOT_EVALUATE;
		free(fetches);
	}
	hs_eval_free(ea);
	hs_eval_free(eb);
	cli_names_free(names, names ? r->n : 0);
	r->seconds = now() - t0;
	r->agree = status == HS_EXIT_OK;
	for (size_t i = 0; status == HS_EXIT_OK && i < r->n; i++)
		if (!r->out[i].agree)
			r->agree = 0;
	if (status == HS_EXIT_OK && !r->agree)
		status = HS_EXIT_BAD_INPUT;
	return status;
}

void cli_verify_result_free(cli_verify_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->out[i].name);
	free(r->out);
	memset(r, 0, sizeof *r);
}

/* --------------------------------------------------------- printing */

void cli_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

void cli_json_number(FILE *out, double v)
{
	if (isfinite(v))
		fprintf(out, "%.9g", v);
	else
		fputs("null", out);
}

static void json_dims(FILE *out, size_t rank, const int64_t *dims)
{
	fputc('[', out);
	for (size_t i = 0; i < rank; i++)
		fprintf(out, "%s%lld", i ? ", " : "", (long long)dims[i]);
	fputc(']', out);
}

static void print_json_output(FILE *out, const cli_output_cmp *c)
{
	fputs("    {\"name\": ", out);
	cli_json_string(out, c->name);
	fprintf(out, ", \"dtype\": \"%s\", \"shape\": ", cli_dtype_text(c->dtype));
	json_dims(out, c->rank, c->dims);
	fprintf(out, ", \"agree\": %s", c->agree ? "true" : "false");
	if (c->mismatch[0]) {
		fputs(", \"mismatch\": ", out);
		cli_json_string(out, c->mismatch);
		fputs("}", out);
		return;
	}
	fputs(", \"max_abs_error\": ", out);
	cli_json_number(out, c->max_abs);
	fputs(", \"max_rel_error\": ", out);
	cli_json_number(out, c->max_rel);
	if (c->elements) {
		char idx[256];
		cli_index_text(idx, sizeof idx, c->worst, c->rank, c->dims);
		fprintf(out, ", \"worst_index\": %s, \"worst_sample\": %u, \"original\": ", idx,
			c->worst_sample);
		cli_json_number(out, c->worst_a);
		fputs(", \"converted\": ", out);
		cli_json_number(out, c->worst_b);
	}
	fputs("}", out);
}

static void print_json(FILE *out, const cli_verify_result *r, const char *a_label,
		       const char *b_label, const cli_verify_opts *o)
{
	fputs("{\"original\": ", out);
	cli_json_string(out, a_label);
	fputs(", \"converted\": ", out);
	cli_json_string(out, b_label);
	fprintf(out, ", \"atol\": %g, \"rtol\": %g, \"samples\": %u, \"seed\": %llu,"
		" \"seconds\": %.3f, \"agree\": %s,\n  \"outputs\": [\n", o->atol, o->rtol,
		o->samples, (unsigned long long)o->seed, r->seconds, r->agree ? "true" : "false");
	for (size_t i = 0; i < r->n; i++) {
		print_json_output(out, &r->out[i]);
		fputs(i + 1 < r->n ? ",\n" : "\n", out);
	}
	fputs("  ]}\n", out);
}

void cli_verify_print(FILE *out, const cli_verify_result *r, const char *a_label,
		      const char *b_label, const cli_verify_opts *o, int json)
{
	if (json) {
		print_json(out, r, a_label, b_label, o);
		return;
	}
	for (size_t i = 0; i < r->n; i++) {
		const cli_output_cmp *c = &r->out[i];
		char shape[128], idx[256];
		fprintf(out, "%s %s %s", c->name, cli_dtype_text(c->dtype),
			hs_shape_text(shape, sizeof shape, c->rank, c->dims));
		if (c->mismatch[0])
			fprintf(out, "  %s", c->mismatch);
		else if (c->elements)
			fprintf(out, "  max abs %.3g  max rel %.3g  worst %s: %.9g vs %.9g",
				c->max_abs, c->max_rel,
				cli_index_text(idx, sizeof idx, c->worst, c->rank, c->dims),
				c->worst_a, c->worst_b);
		fprintf(out, "  %s\n", c->agree ? "agree" : "DISAGREE");
	}
	size_t bad = 0;
	for (size_t i = 0; i < r->n; i++)
		bad += !r->out[i].agree;
	fprintf(out, "verify: %s: %zu of %zu output%s agree within atol %g, rtol %g "
		"(%u sample%s, seed %llu, %.3f s)\n", r->agree ? "PASS" : "FAIL", r->n - bad,
		r->n, r->n == 1 ? "" : "s", o->atol, o->rtol, o->samples,
		o->samples == 1 ? "" : "s", (unsigned long long)o->seed, r->seconds);
}

void cli_verify_blame(const cli_verify_result *r, const char *a_label, const char *b_label,
		      const cli_verify_opts *o)
{
	for (size_t i = 0; i < r->n; i++) {
		const cli_output_cmp *c = &r->out[i];
		char idx[256];
		if (c->agree)
			continue;
		if (c->mismatch[0]) {
			cli_error("verify: output %s differs: %s", c->name, c->mismatch);
			continue;
		}
		cli_error("verify: output %s differs at element %s (sample %u): %.9g in %s, "
			  "%.9g in %s; |difference| %.3g > atol %g + rtol %g * |%.9g|", c->name,
			  cli_index_text(idx, sizeof idx, c->worst, c->rank, c->dims),
			  c->worst_sample, c->worst_a, a_label, c->worst_b, b_label,
			  fabs(c->worst_b - c->worst_a), o->atol, o->rtol, c->worst_a);
	}
}

/* ----------------------------------------------------- the command */

static int load_graph(hs_graph **g, const char *path)
{
	if (hs_graph_load_file(g, path, NULL) == HS_OK)
		return HS_EXIT_OK;
	cli_error_last();
	return HS_EXIT_CANNOT_EVALUATE;
}

int cli_keep_original(hs_graph **orig, const hs_graph *g, const char *in)
{
	void *bytes = NULL;
	size_t len = 0;
	int rc = hs_graph_write_buffer(&bytes, &len, g);
	if (rc == HS_OK)
		rc = hs_graph_load_buffer(orig, bytes, len, in, NULL);
	hs_free(bytes);
	if (rc == HS_OK)
		return HS_EXIT_OK;
	cli_error("%s: %s", in, hs_error_last());
	return HS_EXIT_CANNOT_EVALUATE;
}

int cli_convert_verify(const hs_graph *orig, const hs_graph *converted, const char *in,
		       cli_verify_opts *o, const hs_registry *r)
{
	cli_verify_result res;
	cli_plugin_kernels(o, r);
	int status = cli_verify_graphs(&res, orig, in, converted, "the conversion", o);
	if (status != HS_EXIT_OK && status != HS_EXIT_BAD_INPUT)
		return status;
	/* stdout may be OUT ("-"): the table goes to stderr then. */
	cli_verify_print(stderr, &res, in, "the conversion", o, 0);
	cli_verify_blame(&res, in, "the conversion", o);
	if (status != HS_EXIT_OK)
		cli_error("%s: the conversion computes something else: nothing written", in);
	cli_verify_result_free(&res);
	return status;
}

static int cli_verify_files(const char *a_path, const char *b_path, cli_verify_opts *vo,
			    const cli_plugin_opts *po, int json)
{
	hs_graph *a = NULL, *b = NULL;
	hs_registry *reg = NULL;
	int status = cli_registry_open(&reg, po);
	if (status != HS_EXIT_OK)
		return status;
	status = load_graph(&a, a_path);
	if (status == HS_EXIT_OK)
		status = load_graph(&b, b_path);
	if (status == HS_EXIT_OK)
		cli_plugin_kernels(vo, reg);
	cli_verify_result r;
	if (status == HS_EXIT_OK) {
		status = cli_verify_graphs(&r, a, a_path, b, b_path, vo);
		if (status == HS_EXIT_OK || status == HS_EXIT_BAD_INPUT) {
			cli_verify_print(stdout, &r, a_path, b_path, vo, json);
			cli_verify_blame(&r, a_path, b_path, vo);
		}
		cli_verify_result_free(&r);
	}
	hs_graph_free(a);
	hs_graph_free(b);
	hs_registry_free(reg);
	return status;
}

static void verify_usage(FILE *out)
{
	fputs("Usage: hintstub verify [OPTION]... ORIGINAL CONVERTED\n"
	      "Evaluate both graphs on the same inputs and compare every output:\n"
	      "per output the largest absolute and relative error and the worst\n"
	      "element, then the verdict.\n"
	      "\n"
	      CLI_VERIFY_HELP
	      "      --json                 print JSON instead of text\n"
	      CLI_PLUGIN_HELP
	      "  -h, --help                 show this help and exit\n"
	      "\n"
	      "Exit status: 0 every output agrees; 1 one does not (named on standard\n"
	      "error with its worst element); 2 usage error; 3 a graph cannot be\n"
	      "read or evaluated (the op and node named).\n",
	      out);
}

int cli_eval_options(cli_verify_opts *vo, cli_plugin_opts *po, const char *cmd,
		     const char *shorts, const struct option *opts, void (*usage)(FILE *),
		     cli_own_option own, void *user, int argc, char **argv)
{
	int c, status = -1;
	while (status < 0 && (c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		int handled = c == 'i' ? cli_verify_option(vo, CLI_OPT_INPUT, optarg)
			    : c == 'o' ? cli_verify_option(vo, CLI_OPT_OUTPUT, optarg)
			    : cli_verify_option(vo, c, optarg);
		if (!handled)
			handled = cli_plugin_option(po, c, optarg);
		if (!handled && c == 'h') {
			usage(stdout);
			status = HS_EXIT_OK;
		} else if (!handled && c != '?' && c != ':') {
			handled = own(user, c, optarg);
		}
		if (handled < 0 || (!handled && status < 0))
			status = HS_EXIT_USAGE;
	}
	if (status == HS_EXIT_USAGE)
		fprintf(stderr, "Try 'hintstub %s --help' for more information.\n", cmd);
	return status;
}

enum { OPT_JSON = 0x480 };

static int verify_option(void *json, int c, const char *arg)
{
	(void)arg;
	if (c != OPT_JSON)
		return 0;
	*(int *)json = 1;
	return 1;
}

int cli_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_VERIFY_LONG_OPTIONS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		CLI_PLUGIN_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	cli_verify_opts vo;
	cli_plugin_opts po;
	int json = 0;
	cli_verify_opts_init(&vo);
	memset(&po, 0, sizeof po);
	int status = cli_eval_options(&vo, &po, "verify", "i:o:h", opts, verify_usage,
				      verify_option, &json, argc, argv);
	if (status < 0 && argc - optind != 2) {
		cli_error("verify: expected ORIGINAL and CONVERTED");
		fputs("Try 'hintstub verify --help' for more information.\n", stderr);
		status = HS_EXIT_USAGE;
	}
	if (status < 0)
		status = cli_verify_files(argv[optind], argv[optind + 1], &vo, &po, json);
	cli_verify_opts_free(&vo);
	return status;
}
