/* The test-models manifest (cli/manifest.c): tf2onnx's layout, hintstub's
 * own keys, and an error naming FILE:LINE:COL for everything else. */
#include <config.h>

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"
#include "run.h"

/* cli/inputs.c reports command-line errors through cli_error. */
void cli_error(const char *fmt, ...);
void cli_error(const char *fmt, ...)
{
	(void)fmt;
}

static char path[64];
static char err[512];

static int load(cli_manifest *m, const char *text)
{
	strcpy(path, "/tmp/hs-manifest-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	err[0] = 0;
	int rc = cli_manifest_load(m, path, err, sizeof err);
	unlink(path);
	return rc;
}

/* The message after "PATH:": "LINE:COL: ..." must start with `want`. */
static void fails(const char *text, const char *want)
{
	cli_manifest m;
	ck_assert_int_eq(load(&m, text), -1);
	ck_assert_uint_eq(m.n, 0);
	size_t n = strlen(path);
	ck_assert_msg(!strncmp(err, path, n) && err[n] == ':', "no path in '%s'", err);
	ck_assert_msg(strstr(err + n + 1, want) == err + n + 1, "'%s' lacks '%s'", err, want);
}

START_TEST(test_tf2onnx_layout)
{
	cli_manifest m;
	int rc = load(&m,
		      "# run_pretrained_models.py style\n"
		      "benchtf-lstm:\n"
		      "  url: https://example.invalid/lstm.tgz\n"
		      "  model: models/lstm.pb\n"
		      "  model_type: frozen\n"
		      "  input_get: get_ramp\n"
		      "  inputs:\n"
		      "    \"INPUT:0\": [2, 1, 300]\n"
		      "    seq: data/seq.npy\n"
		      "    scalar: []\n"
		      "  outputs:\n"
		      "    - OUTPUT:0\n"
		      "    - state\n"
		      "  rtol: 0.001\n"
		      "  atol: 1e-6\n"
		      "  plugins: [lstm, rnn]\n"
		      "  rules: my.rules\n"
		      "  fused_calls: 2\n"
		      "second:\n"
		      "  model: /abs/g.pb\n"
		      "  plugins: \"\"\n"
		      "  disabled: true\n");
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_uint_eq(m.n, 2);
	cli_model *a = &m.models[0];
	ck_assert_str_eq(a->name, "benchtf-lstm");
	ck_assert_uint_eq(a->line, 2);
	ck_assert_uint_eq(a->col, 1);
	ck_assert_str_eq(a->model, "/tmp/models/lstm.pb");
	ck_assert_int_eq(a->fill, CLI_FILL_RAMP);
	ck_assert_uint_eq(a->inputs.n, 3);
	ck_assert_str_eq(a->inputs.v[0].name, "INPUT:0");
	ck_assert_ptr_null(a->inputs.v[0].npy);
	ck_assert_uint_eq(a->inputs.v[0].rank, 3);
	ck_assert_int_eq(a->inputs.v[0].dims[2], 300);
	ck_assert_str_eq(a->inputs.v[1].npy, "/tmp/data/seq.npy");
	ck_assert_uint_eq(a->inputs.v[2].rank, 0);
	ck_assert_ptr_null(a->inputs.v[2].npy);
	ck_assert_uint_eq(a->n_outputs, 2);
	ck_assert_str_eq(a->outputs[1], "state");
	ck_assert_double_eq(a->rtol, 0.001);
	ck_assert_double_eq(a->atol, 1e-6);
	ck_assert_str_eq(a->plugins, "lstm,rnn");
	ck_assert_str_eq(a->rules, "/tmp/my.rules");
	ck_assert_int_eq(a->fused_calls, 2);
	ck_assert_int_eq(a->disabled, 0);
	cli_model *b = &m.models[1];
	ck_assert_str_eq(b->model, "/abs/g.pb");
	ck_assert_str_eq(b->plugins, "");
	ck_assert_ptr_null(b->rules);
	ck_assert_double_lt(b->atol, 0);
	ck_assert_int_lt(b->fused_calls, 0);
	ck_assert_int_eq(b->fill, CLI_FILL_RANDOM);
	ck_assert_int_eq(b->disabled, 1);
	cli_manifest_free(&m);
}
END_TEST

START_TEST(test_errors_name_line_and_column)
{
	fails("m:\n  model: a.pb\n  inputs:\n    x: np.array([60])\n",
	      "4:8: inputs: x: 'np.array([60])' is a NumPy expression");
	fails("m:\n  model: a.pb\n  inputs:\n    x: [2, -1]\n",
	      "4:12: inputs: x: a dimension must be an integer");
	fails("m:\n  model: a.pb\n  inputs:\n    x: data.bin\n",
	      "4:8: inputs: x: expected a shape list");
	fails("m:\n  model: a.pb\n  inputs: [1, 2]\n", "3:11: inputs: expected a mapping");
	fails("m:\n  model: a.pb\n  outputs: OUT\n", "3:12: outputs: expected a list");
	fails("m:\n  model: a.pb\n  input_get: get_beach\n",
	      "3:14: input_get: 'get_beach' is not supported");
	fails("m:\n  model: a.pb\n  atoll: 1\n", "3:3: unknown key 'atoll'");
	fails("m:\n  model: a.pb\n  atol: -1\n", "3:9: atol: expected a non-negative number");
	fails("m:\n  model: a.pb\n  fused_calls: two\n",
	      "3:16: fused_calls: expected a non-negative integer");
	fails("m:\n  url: http://x\n", "1:1: m: no 'model:'");
	fails("m:\n  model: a.pb\n  model: b.pb\n", "3:3: m: key 'model' is given twice");
	fails("m:\n  model: a.pb\nm:\n  model: b.pb\n", "3:1: model 'm' is defined twice");
	fails("- a\n- b\n", "1:1: expected a mapping from model name");
	fails("m: [1\n", "2:1: not valid YAML");
	fails("m: 3\n", "1:4: m: expected a mapping of keys");
	fails("m:\n  model: a.pb\n  inputs:\n    x: [1, 2, 3, 4, 5, 6, 7, 8, 9]\n",
	      "4:8: inputs: x: 9 dimensions, at most 8");
}
END_TEST

START_TEST(test_empty_and_missing)
{
	cli_manifest m;
	ck_assert_int_eq(load(&m, ""), -1);
	ck_assert_ptr_nonnull(strstr(err, "the manifest is empty"));
	ck_assert_int_eq(cli_manifest_load(&m, "/nonexistent/m.yaml", err, sizeof err), -1);
	ck_assert_str_eq(err, "/nonexistent/m.yaml: No such file or directory");
}
END_TEST

/* Aliases share nodes: a manifest repeating one model many times over is
 * read once per use, not expanded exponentially. */
START_TEST(test_aliases)
{
	cli_manifest m;
	ck_assert_int_eq(load(&m, "a: &base\n  model: g.pb\n  fused_calls: 1\nb: *base\n"), 0);
	ck_assert_uint_eq(m.n, 2);
	ck_assert_str_eq(m.models[1].model, "/tmp/g.pb");
	cli_manifest_free(&m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("manifest");
	TCase *tc = tcase_create("manifest");
	tcase_add_test(tc, test_tf2onnx_layout);
	tcase_add_test(tc, test_errors_name_line_and_column);
	tcase_add_test(tc, test_empty_and_missing);
	tcase_add_test(tc, test_aliases);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
