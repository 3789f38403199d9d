/* The real TensorFlow fixture (tests/data/ophint_lstm.pb: static_rnn over
 * two TFLiteLSTMCell layers, 3 units, 3 steps, peepholes in layer 1)
 * evaluated, against an LSTM written out here in doubles from the graph's
 * own weights. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaltest.h"

#define FIXTURE HS_TEST_DATA "/ophint_lstm.pb"
#define U1 "47eb6ae2de2411e9a4834201c0a80701"
#define U2 "47eb6ae3de2411e9a4834201c0a80701"
#define CELLS "rnn/stacked_rnn_cells/"
#define HINT(u, what) CELLS "InputHint-UnidirectionalSequenceLstm-" u "-" what

enum { UNITS = 3, STEPS = 3, IN = 3, BATCH = 2 };

/* One layer's weights: [x,h] x W^T per gate (i, f, c, o), biases, and the
 * peepholes (NULL without). */
typedef struct layer {
	hs_value *w[4], *b[4], *peep[3];
} layer;

static void load_layer(layer *l, hs_eval *ev, int second)
{
	static const char *const w1[] = { CELLS "concat_1", CELLS "concat_2", CELLS "concat_4",
					  CELLS "concat_3" };
	static const char *const w2[] = { CELLS "concat_6", CELLS "concat_7", CELLS "concat_9",
					  CELLS "concat_8" };
	static const char *const b1[] = { HINT(U1, "12-None-input_bias"), HINT(U1, "13-None-forget_bias"),
					  HINT(U1, "14-None-cell_bias"), HINT(U1, "15-None-output_bias") };
	static const char *const b2[] = { HINT(U2, "12-None-input_bias"), HINT(U2, "13-None-forget_bias"),
					  HINT(U2, "14-None-cell_bias"), HINT(U2, "15-None-output_bias") };
	static const char *const p1[] = { HINT(U1, "9-None-w_i_diag"), HINT(U1, "10-None-w_f_diag"),
					  HINT(U1, "11-None-w_o_diag") };
	memset(l, 0, sizeof *l);
	for (int g = 0; g < 4; g++) {
		l->w[g] = et_fetch(ev, second ? w2[g] : w1[g]);
		ck_assert_uint_eq(l->w[g]->rank, 2);
		/* [units, in + units]: the cell's MatMul has transpose_b. */
		ck_assert_int_eq(l->w[g]->dims[0], UNITS);
		ck_assert_int_eq(l->w[g]->dims[1], IN + UNITS);
		l->b[g] = et_fetch(ev, second ? b2[g] : b1[g]);
	}
	for (int p = 0; !second && p < 3; p++)
		l->peep[p] = et_fetch(ev, p1[p]);
}

static double sig(double x) { return 1 / (1 + exp(-x)); }

static double gate(const layer *l, int g, const double *xh, int u)
{
	const float *w = l->w[g]->data;
	double s = ((const float *)l->b[g]->data)[u];
	for (int k = 0; k < IN + UNITS; k++)
		s += xh[k] * w[u * (IN + UNITS) + k];
	return s;
}

/* One step of TFLiteLSTMCell for one batch row: h and c updated. */
static void step(const layer *l, const double *x, double *h, double *c)
{
	double xh[IN + UNITS], nc[UNITS], nh[UNITS];
	memcpy(xh, x, IN * sizeof *x);
	memcpy(xh + IN, h, UNITS * sizeof *h);
	for (int u = 0; u < UNITS; u++) {
		const float *pi = l->peep[0] ? l->peep[0]->data : NULL;
		const float *pf = l->peep[1] ? l->peep[1]->data : NULL;
		double i = sig(gate(l, 0, xh, u) + (pi ? pi[u] * c[u] : 0));
		double f = sig(gate(l, 1, xh, u) + (pf ? pf[u] * c[u] : 0));
		nc[u] = f * c[u] + i * tanh(gate(l, 2, xh, u));
	}
	for (int u = 0; u < UNITS; u++) {
		const float *po = l->peep[2] ? l->peep[2]->data : NULL;
		double o = sig(gate(l, 3, xh, u) + (po ? po[u] * nc[u] : 0));
		nh[u] = o * tanh(nc[u]);
	}
	memcpy(h, nh, sizeof nh);
	memcpy(c, nc, sizeof nc);
}

static void free_layer(layer *l)
{
	for (int g = 0; g < 4; g++) {
		hs_value_free(l->w[g]);
		hs_value_free(l->b[g]);
	}
	for (int p = 0; p < 3; p++)
		hs_value_free(l->peep[p]);
}

START_TEST(test_fixture_lstm)
{
	hs_graph *g;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	hs_eval *ev;
	ck_assert_int_eq(hs_eval_new(&ev, g, NULL), HS_OK);
	float in[BATCH * STEPS * IN];
	for (int i = 0; i < BATCH * STEPS * IN; i++)
		in[i] = (float)sin(i * 1.7 + 0.3);
	hs_value *x = et_float(3, ET_DIMS(BATCH, STEPS, IN), in);
	ck_assert_int_eq(hs_eval_set_input(ev, "INPUT", x), HS_OK);
	hs_value *out = et_fetch(ev, "OUTPUT");
	layer l1, l2;
	load_layer(&l1, ev, 0);
	load_layer(&l2, ev, 1);
	float want[BATCH * UNITS];
	for (int b = 0; b < BATCH; b++) {
		double h1[UNITS] = { 0 }, c1[UNITS] = { 0 }, h2[UNITS] = { 0 }, c2[UNITS] = { 0 };
		for (int t = 0; t < STEPS; t++) {
			double xt[IN];
			for (int k = 0; k < IN; k++)
				xt[k] = in[(b * STEPS + t) * IN + k];
			step(&l1, xt, h1, c1);
			step(&l2, h1, h2, c2);
		}
		for (int u = 0; u < UNITS; u++)
			want[b * UNITS + u] = (float)h2[u];
	}
	et_expect_f(out, 2, ET_DIMS(BATCH, UNITS), want);
	/* Not a trivial answer: the rows differ and are not zero. */
	ck_assert(fabsf(want[0] - want[UNITS]) > 1e-3f);
	ck_assert(fabsf(want[0]) > 1e-3f);
	free_layer(&l1);
	free_layer(&l2);
	hs_value_free(out);
	hs_value_free(x);
	hs_eval_free(ev);
	hs_graph_free(g);
}
END_TEST

/* Without INPUT fed the run fails, naming the placeholder. */
START_TEST(test_fixture_unfed)
{
	hs_graph *g;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	hs_placeholder *ph;
	size_t n;
	ck_assert_int_eq(hs_eval_placeholders(&ph, &n, g), HS_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert(hs_str_eq(hs_node_name(ph[0].node), "INPUT"));
	ck_assert_int_eq(ph[0].rank, 3);
	ck_assert_int_eq(ph[0].dims[0], -1);
	ck_assert_int_eq(ph[0].dims[1], 3);
	hs_free(ph);
	ck_assert_ptr_null(et_run(g, "OUTPUT", 0));
	ck_assert_str_eq(hs_error_last(), "node 'INPUT' (Placeholder): no value was fed for this placeholder");
	hs_graph_free(g);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fixture");
	TCase *tc = tcase_create("fixture");
	tcase_add_test(tc, test_fixture_lstm);
	tcase_add_test(tc, test_fixture_unfed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
