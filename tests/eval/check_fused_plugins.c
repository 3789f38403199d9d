/* Plugins' evaluate callbacks (ABI 2.1) reached through the evaluator's
 * kernel hook: the example plugin mycell against the region it replaces,
 * the registry asking plugins in order, failures and outputs left unset,
 * a plugin built for ABI 2.0, and hs_eval_builtin. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaltest.h"
#include "hintstub/plugin.h"
#include "testutil.h"

#define PLUGIN_DIR HS_BUILD_DIR "/tests/eval/plugins/.libs"

static hs_registry *registry(const char *const *names, size_t n)
{
	hs_registry *r;
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_ENV_PATH |
					 HS_REGISTRY_NO_SYSTEM_PATH), 0);
	ck_assert_int_eq(hs_registry_add_search_dir(r, PLUGIN_DIR), 0);
	ck_assert_int_eq(hs_registry_add_search_dir(r, HS_BUILD_DIR "/plugins/conv/.libs"), 0);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(hs_registry_load_plugin(r, names[i]) == 0, "%s", hs_error_last());
	return r;
}

/* The hook a verifier installs (hs_registry_evaluate's example). */
static int plugin_kernel(void *r, const hs_node *n, const hs_value *const *in, size_t n_in,
			 hs_value **out, size_t n_out)
{
	hs_plugin_eval e = { sizeof e, 0, n, in, n_in, out, n_out, hs_value_new,
			     hs_value_free, hs_eval_builtin, { 0 } };
	return hs_registry_evaluate(r, &e);
}

static hs_value *run_with(const hs_graph *g, const hs_registry *r, const char *fetch,
			  const char *feed, const hs_value *v)
{
	hs_eval_options opts = HS_EVAL_OPTIONS_INIT;
	hs_eval *ev;
	hs_value *out = NULL;
	opts.kernel = plugin_kernel;
	opts.kernel_user = (void *)r;
	ck_assert_int_eq(hs_eval_new(&ev, g, &opts), 0);
	if (feed)
		ck_assert_int_eq(hs_eval_set_input(ev, feed, v), 0);
	if (hs_eval_run(&out, ev, &fetch, 1) != 0)
		out = NULL;
	hs_eval_free(ev);
	return out;
}

static const char twice[] = "x = Const f32 [2] 1.5 -2\nt = Twice x\nu = Thrice x\n";

START_TEST(test_order_and_decline)
{
	/* evalold (ABI 2.0) is never asked, evalp computes Twice. */
	const char *names[] = { "evalold", "evalp" };
	hs_registry *r = registry(names, 2);
	hs_graph *g = et_graph(twice, NULL);
	hs_value *t = run_with(g, r, "t", NULL, NULL);
	ck_assert_msg(t != NULL, "%s", hs_error_last());
	et_expect_f(t, 1, ET_DIMS(2), ET_F(3, -4));
	hs_value_free(t);
	/* Nobody knows Thrice. */
	ck_assert_ptr_null(run_with(g, r, "u", NULL, NULL));
	ck_assert_str_eq(hs_error_last(), "no kernel for op Thrice (node 'u')");
	hs_graph_free(g);
	hs_registry_free(r);
}
END_TEST

START_TEST(test_failures)
{
	hs_graph *g = et_graph(twice, NULL);
	const char *fail[] = { "evalfail", "evalp" };
	hs_registry *r = registry(fail, 2);
	ck_assert_ptr_null(run_with(g, r, "t", NULL, NULL));
	ck_assert_ptr_nonnull(strstr(hs_error_last(),
				     "plugin evalfail: input 0 is not what Twice wants"));
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "'t'"));
	hs_registry_free(r);
	const char *unset[] = { "evalunset" };
	r = registry(unset, 1);
	ck_assert_ptr_null(run_with(g, r, "t", NULL, NULL));
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "plugin evalunset: evaluate left output 0 unset"));
	hs_registry_free(r);
	/* No registry, and a bad hs_plugin_eval. */
	hs_plugin_eval e = { 8, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, { 0 } };
	ck_assert_int_eq(hs_registry_evaluate(NULL, &e), HS_EINVAL);
	hs_graph_free(g);
}
END_TEST

/* The example plugin: a MyCell call whose region is tanh(x . w), claimed
 * (its stub carries `units`) and evaluated by mycell's evaluate from the
 * built-in MatMul and Tanh; the same numbers as the region. */
static const char cell[] =
	"x = Placeholder f32 [2,3]\n"
	"w = Const f32 [3,2] 0.5 -1 0.25 2 -0.75 0.1\n"
	"in = Identity x _tflite_function_name=\"MyCell\" _tflite_function_uuid=\"c0ffee01\" "
	"_tflite_function_input_index=0\n"
	"win = Identity w _tflite_function_name=\"MyCell\" _tflite_function_uuid=\"c0ffee01\" "
	"_tflite_function_input_index=1\n"
	"mm = MatMul in win\n"
	"th = Tanh mm\n"
	"out = Identity th _tflite_function_name=\"MyCell\" _tflite_function_uuid=\"c0ffee01\" "
	"_tflite_function_output_index=0\n"
	"y = Identity out\n";

START_TEST(test_mycell)
{
	const char *names[] = { "mycell" };
	hs_registry *r = registry(names, 1);
	hs_graph *g = et_graph(cell, NULL), *c = et_graph(cell, NULL);
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	hs_report *rep;
	opts.plan.registry = r;
	ck_assert_int_eq(hs_convert(&rep, c, &opts), 0);
	ck_assert_uint_eq(hs_report_converted(rep), 1);
	ck_assert_str_eq(hs_report_entry(rep, 0)->plugin, "mycell");
	hs_report_free(rep);
	ck_assert_ptr_null(hs_graph_find_node(c, "mm", 2));

	const float xv[6] = { 1, 2, 3, -1, 0.5f, 0 };
	hs_value *x = et_float(2, ET_DIMS(2, 3), xv);
	hs_value *a = et_run(g, "y", 1, "x", x);
	hs_value *b = run_with(c, r, "y", "x", x);
	ck_assert_msg(a && b, "%s", hs_error_last());
	et_expect_f(b, 2, ET_DIMS(2, 2), a->data);
	hs_value_free(a);
	hs_value_free(b);

	/* Without the registry the fused op has no semantics. */
	ck_assert_ptr_null(et_run(c, "y", 1, "x", x));
	ck_assert_str_eq(hs_error_last(), "no kernel for op MyCell (node 'c0ffee01')");
	/* A generic MyCell stub has no `units`: mycell declines it. */
	hs_graph *generic = et_graph(cell, NULL);
	hs_convert_options gopts = HS_CONVERT_OPTIONS_INIT;
	ck_assert_int_eq(hs_convert(&rep, generic, &gopts), 0);
	hs_report_free(rep);
	ck_assert_ptr_null(run_with(generic, r, "y", "x", x));
	ck_assert_str_eq(hs_error_last(), "no kernel for op MyCell (node 'c0ffee01')");
	hs_graph_free(generic);
	hs_value_free(x);
	hs_graph_free(g);
	hs_graph_free(c);
	hs_registry_free(r);
}
END_TEST

/* The conv plugin's op as its evaluate defines it (Conv2D, BiasAdd, the
 * activation): NCHW, strides, EXPLICIT padding (its paddings copied to
 * the stub), Relu6 and Tanh agree with the region.  (The plugin declines a
 * region ending in Sign: TFLite's SIGN_BIT, the sign bit, is not
 * TensorFlow's -1, 0, 1.) */
static double conv_error(const char *act)
{
	char lines[2048];
	snprintf(lines, sizeof lines,
		 "x = Placeholder f32 [1,2,5,4]\n"
		 "f = Const f32 [3,2,2,3] 0.5 -0.25 1 0.75 -1 0.1 0.2 0.3 -0.6 0.9 0.4 -0.2 0.05\n"
		 "b = Const f32 [3] 0.1 -0.2 0.3\n"
		 "xi = Identity x _tflite_function_name=\"CustomConv2D\" "
		 "_tflite_function_uuid=\"cc01\" _tflite_function_input_index=0\n"
		 "fi = Identity f _tflite_function_name=\"CustomConv2D\" "
		 "_tflite_function_uuid=\"cc01\" _tflite_function_input_index=1\n"
		 "bi = Identity b _tflite_function_name=\"CustomConv2D\" "
		 "_tflite_function_uuid=\"cc01\" _tflite_function_input_index=2\n"
		 "conv = Conv2D xi fi strides=[1,1,2,1] padding=\"EXPLICIT\" "
		 "explicit_paddings=[0,0,0,0,1,2,0,1] data_format=\"NCHW\"\n"
		 "ba = BiasAdd conv bi data_format=\"NCHW\"\n"
		 "act = %s ba\n"
		 "out = Identity act _tflite_function_name=\"CustomConv2D\" "
		 "_tflite_function_uuid=\"cc01\" _tflite_function_output_index=0\n"
		 "y = Identity out\n", act);
	const char *names[] = { "conv" };
	hs_registry *r = registry(names, 1);
	hs_graph *g = et_graph(lines, NULL), *c = et_graph(lines, NULL);
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	hs_report *rep;
	opts.plan.registry = r;
	ck_assert_int_eq(hs_convert(&rep, c, &opts), 0);
	ck_assert_str_eq(hs_report_entry(rep, 0)->plugin, "conv");
	hs_report_free(rep);
	float xv[40];
	for (int i = 0; i < 40; i++)
		xv[i] = (float)((i * 37) % 11) / 5.0f - 1.0f;
	hs_value *x = et_float(4, ET_DIMS(1, 2, 5, 4), xv);
	hs_value *a = et_run(g, "y", 1, "x", x);
	ck_assert_msg(a != NULL, "original: %s", hs_error_last());
	hs_value *o = run_with(c, r, "y", "x", x);
	ck_assert_msg(o != NULL, "converted: %s", hs_error_last());
	ck_assert_uint_eq(a->elements, o->elements);
	ck_assert_uint_eq(a->elements, 1 * 3 * 4 * 3);
	double worst = et_max_abs_error(a, o);
	hs_value_free(a);
	hs_value_free(o);
	hs_value_free(x);
	hs_graph_free(g);
	hs_graph_free(c);
	hs_registry_free(r);
	return worst;
}

START_TEST(test_conv)
{
	ck_assert_double_lt(conv_error("Relu6"), 1e-6);
	ck_assert_double_lt(conv_error("Tanh"), 1e-6);
}
END_TEST

/* The template: x * sigmoid(x) claimed, evaluated as x * sigmoid(beta x)
 * (beta 1 by default, 2 set by the rules: then it differs, as it should). */
static double swish_error(const char *beta)
{
	static const char lines[] =
		"x = Placeholder f32 [2,3]\n"
		"xi = Identity x _tflite_function_name=\"MySwish\" _tflite_function_uuid=\"5w\" "
		"_tflite_function_input_index=0\n"
		"s = Sigmoid xi\n"
		"m = Mul xi s\n"
		"out = Identity m _tflite_function_name=\"MySwish\" _tflite_function_uuid=\"5w\" "
		"_tflite_function_output_index=0\n"
		"y = Identity out\n";
	const char *names[] = { "myswish" };
	hs_registry *r = registry(names, 1);
	if (beta)
		ck_assert_int_eq(hs_registry_set_option(r, "myswish", "beta", beta), 0);
	hs_graph *g = et_graph(lines, NULL), *c = et_graph(lines, NULL);
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	hs_report *rep;
	opts.plan.registry = r;
	ck_assert_int_eq(hs_convert(&rep, c, &opts), 0);
	ck_assert_str_eq(hs_report_entry(rep, 0)->plugin, "myswish");
	hs_report_free(rep);
	hs_value *x = et_float(2, ET_DIMS(2, 3), ET_F(-2, -0.5f, 0, 0.5f, 1, 3));
	hs_value *a = et_run(g, "y", 1, "x", x);
	hs_value *o = run_with(c, r, "y", "x", x);
	ck_assert_msg(a && o, "%s", hs_error_last());
	double worst = et_max_abs_error(a, o);
	hs_value_free(a);
	hs_value_free(o);
	hs_value_free(x);
	hs_graph_free(g);
	hs_graph_free(c);
	hs_registry_free(r);
	return worst;
}

START_TEST(test_template)
{
	ck_assert_double_lt(swish_error(NULL), 1e-6);
	ck_assert_double_gt(swish_error("2"), 0.1);
}
END_TEST

START_TEST(test_builtin)
{
	hs_graph *g = et_graph("x = Const f32 [3] -1 0 2\nn = Nope x\n", NULL);
	const hs_node *n = hs_graph_find_node(g, "n", 1);
	hs_value *x = et_float(1, ET_DIMS(3), ET_F(-1, 0, 2)), *out = NULL;
	const hs_value *in[1] = { x };
	ck_assert_int_eq(hs_eval_builtin("Relu", n, in, 1, &out, 1), 0);
	et_expect_f(out, 1, ET_DIMS(3), ET_F(0, 0, 2));
	hs_value_free(out);
	ck_assert_int_eq(hs_eval_builtin("Nope", n, in, 1, &out, 1), HS_ENOTFOUND);
	ck_assert_str_eq(hs_error_last(), "no kernel for op Nope");
	ck_assert_ptr_null(out);
	ck_assert_int_lt(hs_eval_builtin("MatMul", n, in, 1, &out, 1), 0);
	ck_assert_msg(!strncmp(hs_error_last(), "MatMul: ", 8), "%s", hs_error_last());
	ck_assert_ptr_null(out);
	hs_value *two[2] = { NULL, NULL };
	ck_assert_int_lt(hs_eval_builtin("Relu", n, in, 1, two, 2), 0);
	ck_assert(!two[0] && !two[1]);
	hs_value_free(x);
	hs_graph_free(g);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fused_plugins");
	TCase *t = tcase_create("evaluate");
	tcase_add_test(t, test_order_and_decline);
	tcase_add_test(t, test_failures);
	tcase_add_test(t, test_mycell);
	tcase_add_test(t, test_conv);
	tcase_add_test(t, test_template);
	tcase_add_test(t, test_builtin);
	suite_add_tcase(s, t);
	return tu_run(s);
}
