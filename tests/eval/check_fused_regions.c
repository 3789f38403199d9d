/* The proof that the fused kernels compute what the regions computed:
 * graphs of `hintstub-gen` (lstm with peepholes, projection, CIFG, stacked
 * layers; rnn; conv) and TensorFlow's own fixture, each evaluated as it is
 * (the hinted region through the evaluator's reference kernels) and after
 * conversion (the stub through its fused kernel, or a plugin's evaluate),
 * on the same random inputs: every output both graphs have agrees within
 * 1e-5.  Converted with the generic stub (dense and present layouts) and
 * with the built-in plugins. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "gen_testutil.h"
#include "hintstub/hintstub.h"
#include "hintstub/plugin.h"
#include "testutil.h"

/* TensorFlow's test graph (tests/data/ophint_lstm.README.md). */
#define FIXTURE HS_SRC_DIR "/tests/data/ophint_lstm.pb"

/* ------------------------------------------------------------- graphs */

static hs_graph *generate(const gen_options *o)
{
	return gen_test_graph(o, NULL);
}

static hs_graph *copy_graph(const hs_graph *g)
{
	void *bytes;
	size_t len;
	ck_assert_int_eq(hs_graph_write_buffer(&bytes, &len, g), 0);
	hs_graph *c;
	ck_assert_msg(hs_graph_load_buffer(&c, bytes, len, "copy", NULL) == 0, "%s",
		      hs_error_last());
	hs_free(bytes);
	return c;
}

/* The built-in plugins named in the comma list, from the build tree. */
static hs_registry *registry(const char *plugins)
{
	hs_registry *r;
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_ENV_PATH |
					 HS_REGISTRY_NO_SYSTEM_PATH), 0);
	char list[128], dir[512];
	snprintf(list, sizeof list, "%s", plugins);
	for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
		snprintf(dir, sizeof dir, "%s/plugins/%s/.libs", HS_BUILD_DIR, name);
		ck_assert_int_eq(hs_registry_add_search_dir(r, dir), 0);
		ck_assert_msg(hs_registry_load_plugin(r, name) == 0, "%s", hs_error_last());
	}
	return r;
}

/* Converts a copy of g; every call must convert. */
static hs_graph *convert_with(const hs_graph *g, const hs_registry *r,
			      hs_input_layout layout, int keep_pack_unpack, size_t calls)
{
	hs_graph *c = copy_graph(g);
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	hs_report *rep;
	opts.plan.registry = r;
	opts.plan.input_layout = layout;
	opts.apply.keep_pack_unpack = keep_pack_unpack;
	ck_assert_msg(hs_convert(&rep, c, &opts) == 0, "%s", hs_error_last());
	ck_assert_uint_eq(hs_report_converted(rep), calls);
	for (size_t i = 0; r && i < hs_report_count(rep); i++)
		ck_assert_msg(strcmp(hs_report_entry(rep, i)->plugin, "generic") != 0,
			      "call %zu: no plugin claimed it", i);
	hs_report_free(rep);
	return c;
}

static hs_graph *convert(const hs_graph *g, const hs_registry *r, hs_input_layout layout,
			 size_t calls)
{
	return convert_with(g, r, layout, 0, calls);
}

/* ------------------------------------------------------------ evaluation */

/* The kernel hook a verifier sets: ops without a built-in kernel go to
 * the plugins' evaluate callbacks. */
static int plugin_kernel(void *r, const hs_node *n, const hs_value *const *in, size_t n_in,
			 hs_value **out, size_t n_out)
{
	hs_plugin_eval e = { sizeof e, 0, n, in, n_in, out, n_out, hs_value_new,
			     hs_value_free, hs_eval_builtin, { 0 } };
	return hs_registry_evaluate(r, &e);
}

typedef struct feeds {
	size_t n;
	char *name[8];
	hs_value *value[8];
} feeds;

static unsigned rng = 12345;

static float frand(void)
{
	rng = rng * 1103515245u + 12345u;
	return (float)((rng >> 8) & 0xffff) / 32768.0f - 1.0f;
}

/* Random values for every Placeholder of g, unknown dimensions 2. */
static void make_feeds(feeds *f, const hs_graph *g)
{
	hs_placeholder *ph;
	size_t n;
	ck_assert_int_eq(hs_eval_placeholders(&ph, &n, g), 0);
	ck_assert_uint_le(n, 8);
	f->n = n;
	for (size_t i = 0; i < n; i++) {
		int64_t dims[HS_TENSOR_MAX_RANK];
		ck_assert_int_ge(ph[i].rank, 0);
		for (int k = 0; k < ph[i].rank; k++)
			dims[k] = ph[i].dims[k] < 0 ? 2 : ph[i].dims[k];
		ck_assert_int_eq(hs_value_new(&f->value[i], HS_DT_FLOAT, (size_t)ph[i].rank,
					      dims), 0);
		float *v = f->value[i]->data;
		for (uint64_t k = 0; k < f->value[i]->elements; k++)
			v[k] = frand();
		hs_str name = hs_node_name(ph[i].node);
		f->name[i] = strndup(name.ptr, name.len);
	}
	hs_free(ph);
}

static void free_feeds(feeds *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->name[i]);
		hs_value_free(f->value[i]);
	}
}

/* Evaluates fetches of g; NULL (message in hs_error_last) on failure. */
static int run(hs_value **outs, const hs_graph *g, const feeds *f, const hs_registry *r,
	       const char *const *fetches, size_t n)
{
	hs_eval_options opts = HS_EVAL_OPTIONS_INIT;
	hs_eval *ev;
	if (r) {
		opts.kernel = plugin_kernel;
		opts.kernel_user = (void *)r;
	}
	ck_assert_int_eq(hs_eval_new(&ev, g, &opts), 0);
	for (size_t i = 0; i < f->n; i++)
		ck_assert_int_eq(hs_eval_set_input(ev, f->name[i], f->value[i]), 0);
	int rc = hs_eval_run(outs, ev, fetches, n);
	hs_eval_free(ev);
	return rc;
}

/* What to compare: the final output and every output hint identity still
 * there after conversion (rewired to the stub's ports). */
typedef struct fetch_list {
	size_t n;
	char *name[512];
} fetch_list;

static void add_fetch(fetch_list *l, hs_str name)
{
	ck_assert_uint_lt(l->n, 512);
	l->name[l->n++] = strndup(name.ptr, name.len);
}

/* A `last` output with fewer elements than the call has steps: freezing
 * pruned the final step's hint nobody read (TensorFlow's fixture loses
 * its last `c`), so the kept element is an earlier step's state while the
 * stub's port is the final one.  Nothing reads such an identity; it is
 * not compared (issue 10 report: the detector could warn). */
static int truncated_last(const hs_callset *calls, const hs_node *n)
{
	for (size_t i = 0; i < hs_callset_count(calls); i++) {
		const hs_call *c = hs_callset_call(calls, i);
		const hs_operand *in0 = hs_call_input(c, 0);
		for (size_t k = 0; in0 && k < hs_call_output_count(c); k++) {
			const hs_operand *o = hs_call_output_at(c, k);
			if (hs_operand_aggregation(o) != HS_AGG_LAST ||
			    hs_operand_count(o) >= hs_operand_count(in0))
				continue;
			for (size_t e = 0; e < hs_operand_count(o); e++)
				if (hs_operand_identity(o, e) == n)
					return 1;
		}
	}
	return 0;
}

static void list_fetches(fetch_list *l, const hs_graph *orig, const hs_graph *conv,
			 const char *final)
{
	hs_callset *calls;
	hs_attr a;
	ck_assert_int_eq(hs_discover(&calls, orig, NULL), 0);
	l->n = 0;
	add_fetch(l, (hs_str){ final, strlen(final) });
	for (hs_node *n = hs_graph_next_node(orig, NULL); n; n = hs_graph_next_node(orig, n)) {
		hs_str name = hs_node_name(n);
		if (hs_node_attr(&a, n, "_tflite_function_output_index") == HS_OK &&
		    hs_graph_find_node(conv, name.ptr, name.len) && !truncated_last(calls, n))
			add_fetch(l, name);
	}
	hs_error_clear();
	hs_callset_free(calls);
}

/* The largest difference over every compared element; strict: each must
 * be within 1e-5 (relative above 1).  A converted graph that cannot be
 * evaluated counts as infinitely different unless strict. */
static double compare_as(const hs_graph *orig, const hs_graph *conv, const hs_registry *r,
			 const char *final, int strict)
{
	fetch_list l;
	feeds f;
	list_fetches(&l, orig, conv, final);
	make_feeds(&f, orig);
	hs_value **a = calloc(l.n, sizeof *a), **b = calloc(l.n, sizeof *b);
	ck_assert(a && b);
	ck_assert_msg(run(a, orig, &f, NULL, (const char *const *)l.name, l.n) == 0,
		      "original: %s", hs_error_last());
	double worst = 0;
	if (run(b, conv, &f, r, (const char *const *)l.name, l.n) != 0) {
		ck_assert_msg(!strict, "converted: %s", hs_error_last());
		worst = INFINITY;
		memset(b, 0, l.n * sizeof *b);
	}
	for (size_t i = 0; i < l.n && isfinite(worst); i++) {
		ck_assert_msg(a[i]->rank == b[i]->rank &&
			      !memcmp(a[i]->dims, b[i]->dims, a[i]->rank * sizeof *a[i]->dims),
			      "%s: shapes differ", l.name[i]);
		ck_assert_int_eq(a[i]->dtype, HS_DT_FLOAT);
		const float *x = a[i]->data, *y = b[i]->data;
		for (uint64_t k = 0; k < a[i]->elements; k++) {
			double d = fabs((double)x[k] - y[k]);
			ck_assert_msg(!strict || d <= 1e-5 * (1 + fabs(x[k])),
				      "%s element %llu: %.9g against %.9g", l.name[i],
				      (unsigned long long)k, x[k], y[k]);
			worst = d > worst ? d : worst;
		}
	}
	for (size_t i = 0; i < l.n; i++) {
		hs_value_free(a[i]);
		hs_value_free(b[i]);
		free(l.name[i]);
	}
	free(a);
	free(b);
	free_feeds(&f);
	return worst;
}

static double compare(const hs_graph *orig, const hs_graph *conv, const hs_registry *r,
		      const char *final)
{
	return compare_as(orig, conv, r, final, 1);
}

/* Generic (both layouts, hint-made Pack/Unpack pairs collapsed or kept)
 * and with `plugins`: each conversion agrees. */
static void check_graph(const hs_graph *g, const char *plugins, size_t calls,
			const char *final, const char *what)
{
	hs_graph *c = convert(g, NULL, HS_LAYOUT_DENSE, calls);
	double e1 = compare(g, c, NULL, final);
	hs_graph_free(c);
	c = convert(g, NULL, HS_LAYOUT_PRESENT, calls);
	double e2 = compare(g, c, NULL, final);
	hs_graph_free(c);
	c = convert_with(g, NULL, HS_LAYOUT_DENSE, 1, calls);
	double e4 = compare(g, c, NULL, final);
	hs_graph_free(c);
	hs_registry *r = registry(plugins);
	c = convert(g, r, HS_LAYOUT_DENSE, calls);
	double e3 = compare(g, c, r, final);
	hs_graph_free(c);
	hs_registry_free(r);
	fprintf(stderr, "%s: max error %.3g (generic), %.3g (present layout), %.3g "
		"(Pack/Unpack kept), %.3g (%s)\n", what, e1, e2, e4, e3, plugins);
}

static void check_lstm(unsigned layers, unsigned steps, unsigned units, unsigned depth,
		       int peephole, unsigned proj, int cifg, const char *what)
{
	gen_options o;
	gen_options_init(&o, GEN_LSTM);
	o.cifg = cifg;
	o.layers = layers;
	o.steps = steps;
	o.units = units;
	o.input_depth = depth;
	o.peephole = peephole;
	o.num_proj = proj;
	hs_graph *g = generate(&o);
	check_graph(g, "lstm", layers, "OUTPUT", what);
	hs_graph_free(g);
}

START_TEST(test_lstm)
{
	check_lstm(2, 3, 8, 8, 0, 0, 0, "lstm");
}
END_TEST

START_TEST(test_lstm_peephole)
{
	check_lstm(2, 3, 8, 8, 1, 0, 0, "lstm --peephole");
}
END_TEST

START_TEST(test_lstm_projection)
{
	check_lstm(2, 4, 8, 5, 0, 3, 0, "lstm --proj=3");
	check_lstm(1, 3, 6, 4, 1, 4, 0, "lstm --peephole --proj=4");
}
END_TEST

START_TEST(test_lstm_stacked)
{
	check_lstm(4, 5, 5, 3, 1, 0, 0, "lstm --layers 4 --steps 5");
}
END_TEST

START_TEST(test_lstm_cifg)
{
	check_lstm(2, 3, 8, 8, 0, 0, 1, "lstm --cifg");
	check_lstm(2, 3, 6, 4, 1, 3, 1, "lstm --cifg --peephole --proj=3");
}
END_TEST

START_TEST(test_rnn)
{
	gen_options o;
	gen_options_init(&o, GEN_RNN);
	hs_graph *g = generate(&o);
	check_graph(g, "rnn", 2, "OUTPUT", "rnn");
	hs_graph_free(g);
	o.layers = 3;
	o.steps = 6;
	o.units = 5;
	o.input_depth = 2;
	g = generate(&o);
	check_graph(g, "rnn", 3, "OUTPUT", "rnn --layers 3 --steps 6");
	hs_graph_free(g);
}
END_TEST

/* dynamic_rnn (level 2): the While over the body's cells, evaluated as
 * it is, against the chained stubs it becomes (doc/conversion.md, "Level
 * 2"), LSTM and RNN, stacked, StatelessWhile, bidirectional with the
 * clashing head. */
static void check_dynamic(gen_cell cell, unsigned layers, int stateless, int bidirectional,
			  int peephole, const char *what)
{
	gen_options o;
	gen_options_init(&o, GEN_DYNAMIC);
	o.cell = cell;
	o.layers = layers;
	o.stateless = stateless;
	o.bidirectional = bidirectional;
	o.head = bidirectional;
	o.peephole = peephole;
	hs_graph *g = generate(&o);
	check_graph(g, cell == GEN_CELL_LSTM ? "lstm" : "rnn", bidirectional ? 2 : 1,
		    "OUTPUT", what);
	hs_graph_free(g);
}

START_TEST(test_dynamic)
{
	check_dynamic(GEN_CELL_LSTM, 1, 0, 0, 0, "dynamic --cell lstm --layers 1");
	check_dynamic(GEN_CELL_LSTM, 3, 1, 0, 1, "dynamic --cell lstm --layers 3 --stateless --peephole");
	check_dynamic(GEN_CELL_RNN, 2, 0, 0, 0, "dynamic --cell rnn --layers 2");
	check_dynamic(GEN_CELL_LSTM, 2, 0, 1, 0, "dynamic --cell lstm --layers 2 --bidirectional --head");
	check_dynamic(GEN_CELL_RNN, 4, 1, 1, 0, "dynamic --cell rnn --layers 4 --stateless --bidirectional --head");
}
END_TEST

/* The comparison sees what a plugin gets wrong: options the region does
 * not have (a cell clip, batch-major time) make the stub compute
 * something else, or nothing evaluable. */
START_TEST(test_lstm_misconfigured)
{
	gen_options o;
	gen_options_init(&o, GEN_LSTM);
	hs_graph *g = generate(&o);
	static const char *const options[][2] = { { "cell_clip", "0.05" },
						   { "time_major", "false" },
						   { "fused_activation_function", "RELU" } };
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
		hs_registry *r = registry("lstm");
		ck_assert_int_eq(hs_registry_set_option(r, "lstm", options[i][0], options[i][1]), 0);
		hs_graph *c = convert(g, r, HS_LAYOUT_DENSE, 2);
		double e = compare_as(g, c, r, "OUTPUT", 0);
		ck_assert_msg(e > 1e-3, "lstm.%s = %s: max error %g", options[i][0], options[i][1], e);
		fprintf(stderr, "lstm with %s = %s: max error %.3g (caught)\n", options[i][0],
			options[i][1], e);
		hs_graph_free(c);
		hs_registry_free(r);
	}
	hs_graph_free(g);
}
END_TEST

/* The conv plugin's op has no built-in kernel: the plugin's evaluate
 * computes it.  The generic stub says nothing of the convolution's
 * attributes, so it cannot be evaluated: a clear error. */
START_TEST(test_conv)
{
	gen_options o;
	gen_options_init(&o, GEN_CONV);
	o.calls = 3;
	o.channels = 3;
	hs_graph *g = generate(&o);
	hs_registry *r = registry("conv");
	hs_graph *c = convert(g, r, HS_LAYOUT_DENSE, 3);
	double e = compare(g, c, r, "output");
	fprintf(stderr, "conv --calls 3: max error %.3g (conv)\n", e);
	hs_graph_free(c);

	c = convert(g, NULL, HS_LAYOUT_DENSE, 3);
	feeds f;
	make_feeds(&f, g);
	hs_value *out = NULL;
	const char *fetch = "output";
	ck_assert_int_eq(run(&out, c, &f, r, &fetch, 1), HS_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "no kernel for op CustomConv2D"));
	free_feeds(&f);
	hs_graph_free(c);
	hs_registry_free(r);
	hs_graph_free(g);
}
END_TEST

/* TensorFlow's own frozen graph (two TFLiteLSTMCell layers, the first
 * with peepholes), generic and with the lstm and rnn plugins. */
START_TEST(test_fixture)
{
	hs_graph *g;
	ck_assert_msg(hs_graph_load_file(&g, FIXTURE, NULL) == 0, "%s", hs_error_last());
	check_graph(g, "lstm,rnn", 2, "OUTPUT", "fixture ophint_lstm.pb");
	hs_graph_free(g);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fused_regions");
	TCase *t = tcase_create("regions");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, test_lstm);
	tcase_add_test(t, test_lstm_peephole);
	tcase_add_test(t, test_lstm_projection);
	tcase_add_test(t, test_lstm_stacked);
	tcase_add_test(t, test_lstm_cifg);
	tcase_add_test(t, test_lstm_misconfigured);
	tcase_add_test(t, test_rnn);
	tcase_add_test(t, test_dynamic);
	tcase_add_test(t, test_conv);
	tcase_add_test(t, test_fixture);
	suite_add_tcase(s, t);
	return tu_run(s);
}
