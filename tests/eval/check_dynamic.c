/* dynamic_rnn graphs of `hintstub-gen dynamic` (a While over TensorLists,
 * the cell in the body function) evaluated, against the unrolled LSTM
 * written out here in doubles from the graph's own weights. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaltest.h"
#include "testutil.h"

enum { LAYERS = 2, STEPS = 4, BATCH = 2, DEPTH = 3, UNITS = 5 };

static const char *const gates[4] = { "input", "forget", "cell", "output" };

typedef struct layer {
	hs_value *wx[4], *wh[4], *b[4]; /* [units, in], [units, units], [units] */
} layer;

static void load_layer(layer *l, hs_eval *ev, int index, int in)
{
	char name[128];
	for (int g = 0; g < 4; g++) {
		snprintf(name, sizeof name, "rnn/rnn%d/input_to_%s_w/read", index + 1, gates[g]);
		l->wx[g] = et_fetch(ev, name);
		snprintf(name, sizeof name, "rnn/rnn%d/cell_to_%s_w/read", index + 1, gates[g]);
		l->wh[g] = et_fetch(ev, name);
		snprintf(name, sizeof name, "rnn/rnn%d/%s_bias/read", index + 1, gates[g]);
		l->b[g] = et_fetch(ev, name);
		ck_assert_int_eq(l->wx[g]->dims[0], UNITS);
		ck_assert_int_eq(l->wx[g]->dims[1], in);
		ck_assert_int_eq(l->wh[g]->dims[1], UNITS);
	}
}

static double sig(double x) { return 1 / (1 + exp(-x)); }

static void step(const layer *l, int in, const double *x, double *h, double *c)
{
	double pre[4][UNITS];
	for (int g = 0; g < 4; g++)
		for (int u = 0; u < UNITS; u++) {
			const float *wx = l->wx[g]->data, *wh = l->wh[g]->data;
			double s = ((const float *)l->b[g]->data)[u];
			for (int k = 0; k < in; k++)
				s += x[k] * wx[u * in + k];
			for (int k = 0; k < UNITS; k++)
				s += h[k] * wh[u * UNITS + k];
			pre[g][u] = s;
		}
	for (int u = 0; u < UNITS; u++) {
		c[u] = sig(pre[1][u]) * c[u] + sig(pre[0][u]) * tanh(pre[2][u]);
		h[u] = sig(pre[3][u]) * tanh(c[u]);
	}
}

static void check_graph(const char *extra)
{
	char *dir = tu_tmpdir(), *path = tu_path(dir, "dyn.pb"), cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "'%s/hintstub-gen' dynamic --seed 3 --layers %d --steps %d --units %d --depth %d --batch %d %s -o '%s' 2>/dev/null",
		 HS_BUILD_DIR, LAYERS, STEPS, UNITS, DEPTH, BATCH, extra, path);
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
	hs_graph *g;
	ck_assert_msg(hs_graph_load_file(&g, path, NULL) == HS_OK, "%s", hs_error_last());
	hs_eval *ev;
	ck_assert_int_eq(hs_eval_new(&ev, g, NULL), HS_OK);
	float in[STEPS * BATCH * DEPTH];
	for (int i = 0; i < STEPS * BATCH * DEPTH; i++)
		in[i] = (float)sin(i * 0.9 + 0.2);
	hs_value *x = et_float(3, ET_DIMS(STEPS, BATCH, DEPTH), in);
	ck_assert_int_eq(hs_eval_set_input(ev, "INPUT", x), HS_OK);
	hs_value *out = et_fetch(ev, "OUTPUT");
	layer l[LAYERS];
	for (int i = 0; i < LAYERS; i++)
		load_layer(&l[i], ev, i, i ? UNITS : DEPTH);
	float want[STEPS * BATCH * UNITS];
	for (int b = 0; b < BATCH; b++) {
		double h[LAYERS][UNITS] = { { 0 } }, c[LAYERS][UNITS] = { { 0 } };
		for (int t = 0; t < STEPS; t++) {
			double xt[DEPTH];
			for (int k = 0; k < DEPTH; k++)
				xt[k] = in[(t * BATCH + b) * DEPTH + k];
			step(&l[0], DEPTH, xt, h[0], c[0]);
			for (int i = 1; i < LAYERS; i++)
				step(&l[i], UNITS, h[i - 1], h[i], c[i]);
			for (int u = 0; u < UNITS; u++)
				want[(t * BATCH + b) * UNITS + u] = (float)h[LAYERS - 1][u];
		}
	}
	et_expect_f(out, 3, ET_DIMS(STEPS, BATCH, UNITS), want);
	for (int i = 0; i < LAYERS; i++)
		for (int k = 0; k < 4; k++) {
			hs_value_free(l[i].wx[k]);
			hs_value_free(l[i].wh[k]);
			hs_value_free(l[i].b[k]);
		}
	hs_value_free(out);
	hs_value_free(x);
	hs_eval_free(ev);
	hs_graph_free(g);
	remove(path);
	remove(dir);
	free(path);
	free(dir);
}

START_TEST(test_dynamic_while)
{
	check_graph("");
}
END_TEST

START_TEST(test_dynamic_stateless_while)
{
	check_graph("--stateless");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dynamic");
	TCase *tc = tcase_create("dynamic");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_dynamic_while);
	tcase_add_test(tc, test_dynamic_stateless_while);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
