/* UnidirectionalSequenceLstm: the arithmetic against TFLite's equations
 * worked out by hand for one unit (CIFG, peepholes, clips, projection),
 * the layouts (time- and batch-major), and the kernel reading a stub in
 * either input layout.  check_fused_regions.c compares the kernel with
 * the hinted regions it replaces. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaltest.h"
#include "fused.h"
#include "testutil.h"

static double sig(double x)
{
	return 1 / (1 + exp(-x));
}

/* One unit, one input, one step: weights per gate i, f, c, o. */
typedef struct unit {
	double w[4], r[4], b[4], p[4]; /* p: peepholes i, f, -, o (0: none) */
	int cifg;
} unit;

static void unit_step(double *h, double *c, double x, const unit *u, double clip)
{
	double pre[4];
	for (int g = 0; g < 4; g++)
		pre[g] = u->w[g] * x + u->r[g] * *h + u->b[g];
	double f = sig(pre[1] + u->p[1] * *c);
	double i = u->cifg ? 1 - f : sig(pre[0] + u->p[0] * *c);
	double nc = f * *c + i * tanh(pre[2]);
	if (clip > 0)
		nc = nc > clip ? clip : nc < -clip ? -clip : nc;
	double o = sig(pre[3] + u->p[3] * nc);
	*h = o * tanh(nc);
	*c = nc;
}

static void run_unit(const unit *u, int peephole, float clip, const float *x, size_t steps,
		     float *out, float *h, float *c)
{
	float w[4], r[4], b[4], p[4];
	hs_lstm_weights lw;
	memset(&lw, 0, sizeof lw);
	for (int g = 0; g < 4; g++) {
		w[g] = (float)u->w[g];
		r[g] = (float)u->r[g];
		b[g] = (float)u->b[g];
		p[g] = (float)u->p[g];
		if (g == HS_GATE_INPUT && u->cifg)
			continue;
		lw.input_to[g] = &w[g];
		lw.recurrent_to[g] = &r[g];
		lw.bias[g] = &b[g];
		if (peephole && g != HS_GATE_CELL && !(g == HS_GATE_INPUT && u->cifg))
			lw.cell_to[g] = &p[g];
	}
	hs_lstm_dims d = { steps, 1, 1, 1, 1, 1 };
	hs_lstm_params prm = { HS_ACT_TANH, clip, 0 };
	ck_assert_int_eq(hs_lstm_run(out, h, c, x, &d, &lw, &prm, NULL), 0);
}

static void check_unit(const unit *u, int peephole, float clip)
{
	const float x[3] = { 0.5f, -1.25f, 2.0f };
	float out[3], h = 0.2f, c = -0.3f;
	run_unit(u, peephole, clip, x, 3, out, &h, &c);
	double eh = 0.2, ec = -0.3;
	for (int t = 0; t < 3; t++) {
		unit_step(&eh, &ec, x[t], u, clip);
		ck_assert_msg(fabs(out[t] - eh) < 1e-6, "step %d: %g, expected %g", t, out[t], eh);
	}
	ck_assert(fabs(h - eh) < 1e-6);
	ck_assert(fabs(c - ec) < 1e-6);
}

static const unit plain = {
	{ 0.1, 0.2, 0.3, 0.4 }, { 0.5, -0.6, 0.7, 0.8 }, { 0.01, 0.02, -0.03, 0.04 },
	{ 0, 0, 0, 0 }, 0
};

START_TEST(test_one_unit)
{
	check_unit(&plain, 0, 0);
}
END_TEST

START_TEST(test_cifg)
{
	unit u = plain;
	u.cifg = 1;
	check_unit(&u, 0, 0);
}
END_TEST

/* Input and forget peepholes read the previous cell state, the output
 * peephole the new one. */
START_TEST(test_peephole)
{
	unit u = plain;
	u.p[0] = 0.9;
	u.p[1] = -0.7;
	u.p[3] = 1.5;
	check_unit(&u, 1, 0);
	u.cifg = 1;
	u.p[0] = 0;
	check_unit(&u, 1, 0);
}
END_TEST

START_TEST(test_cell_clip)
{
	unit u = plain;
	u.b[0] = u.b[2] = 5; /* i ~ 1, g ~ 1: the cell state grows past 0.25 */
	check_unit(&u, 0, 0.25f);
	const float x[3] = { 1, 1, 1 };
	float out[3], h = 0, c = 0;
	run_unit(&u, 0, 0.25f, x, 3, out, &h, &c);
	ck_assert(c == 0.25f);
}
END_TEST

/* Two units projected to one output, with bias and clip. */
START_TEST(test_projection)
{
	float wi[8] = { 0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f };
	float ri[8] = { 0.2f, 0.1f, -0.1f, 0.3f, 0.5f, -0.4f, 0.2f, 0.1f };
	float bi[8] = { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f };
	float proj[2] = { 2.0f, -3.0f }, pb = 0.25f;
	hs_lstm_weights w;
	memset(&w, 0, sizeof w);
	for (int g = 0; g < 4; g++) {
		w.input_to[g] = wi + 2 * g;   /* [2 units][1 input] */
		w.recurrent_to[g] = ri + 2 * g; /* [2 units][1 output] */
		w.bias[g] = bi + 2 * g;
	}
	w.projection = proj;
	w.projection_bias = &pb;
	hs_lstm_dims d = { 2, 1, 1, 2, 1, 1 };
	float x[2] = { 1.0f, -0.5f }, out[2], h = 0.1f, c[2] = { 0.3f, -0.2f };
	for (int clipped = 0; clipped < 2; clipped++) {
		hs_lstm_params p = { HS_ACT_TANH, 0, clipped ? 0.05f : 0 };
		float hh = h, cc[2] = { c[0], c[1] };
		ck_assert_int_eq(hs_lstm_run(out, &hh, cc, x, &d, &w, &p, NULL), 0);
		double eh = h, ec[2] = { c[0], c[1] };
		for (int t = 0; t < 2; t++) {
			double m[2];
			for (int k = 0; k < 2; k++) {
				double pre[4];
				for (int g = 0; g < 4; g++)
					pre[g] = wi[2 * g + k] * x[t] + ri[2 * g + k] * eh + bi[2 * g + k];
				double f = sig(pre[1]), i = sig(pre[0]);
				ec[k] = f * ec[k] + i * tanh(pre[2]);
				m[k] = sig(pre[3]) * tanh(ec[k]);
			}
			eh = proj[0] * m[0] + proj[1] * m[1] + pb;
			if (clipped)
				eh = eh > 0.05 ? 0.05 : eh < -0.05 ? -0.05 : eh;
			ck_assert_msg(fabs(out[t] - eh) < 1e-6, "step %d: %g, expected %g", t,
				      out[t], eh);
		}
	}
}
END_TEST

static float frand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (float)((*s >> 8) & 0xffff) / 32768.0f - 1.0f;
}

static float *rand_block(unsigned *s, size_t n)
{
	float *v = malloc(n * sizeof *v);
	ck_assert_ptr_nonnull(v);
	for (size_t i = 0; i < n; i++)
		v[i] = frand(s);
	return v;
}

/* Batch-major input and output are the time-major ones transposed. */
START_TEST(test_batch_major)
{
	enum { T = 3, B = 2, I = 3, C = 4, O = 2 };
	unsigned s = 7;
	float *blk = rand_block(&s, 4 * C * I + 4 * C * O + 4 * C + 3 * C + O * C + T * B * I);
	hs_lstm_weights w;
	float *p = blk;
	for (int g = 0; g < 4; g++) {
		w.input_to[g] = p, p += C * I;
		w.recurrent_to[g] = p, p += C * O;
		w.bias[g] = p, p += C;
	}
	w.cell_to[0] = p, p += C;
	w.cell_to[1] = p, p += C;
	w.cell_to[2] = NULL;
	w.cell_to[3] = p, p += C;
	w.projection = p, p += O * C;
	w.projection_bias = NULL;
	const float *xt = p;
	float xb[T * B * I], ot[T * B * O], ob[T * B * O];
	for (int t = 0; t < T; t++)
		for (int b = 0; b < B; b++)
			memcpy(xb + (b * T + t) * I, xt + (t * B + b) * I, I * sizeof *xb);
	hs_lstm_params prm = { HS_ACT_TANH, 0.8f, 0.6f };
	float h1[B * O] = { 0 }, c1[B * C] = { 0 }, h2[B * O] = { 0 }, c2[B * C] = { 0 };
	hs_lstm_dims d = { T, B, I, C, O, 1 };
	ck_assert_int_eq(hs_lstm_run(ot, h1, c1, xt, &d, &w, &prm, NULL), 0);
	d.time_major = 0;
	ck_assert_int_eq(hs_lstm_run(ob, h2, c2, xb, &d, &w, &prm, NULL), 0);
	for (int t = 0; t < T; t++)
		for (int b = 0; b < B; b++)
			for (int k = 0; k < O; k++)
				ck_assert(ot[(t * B + b) * O + k] == ob[(b * T + t) * O + k]);
	ck_assert(!memcmp(h1, h2, sizeof h1) && !memcmp(c1, c2, sizeof c1));
	free(blk);
}
END_TEST

START_TEST(test_activations)
{
	static const char *const names[] = { "NONE", "RELU", "RELU_N1_TO_1", "RELU6",
					     "TANH", "SIGN_BIT", "SIGMOID" };
	for (int i = 0; i < 7; i++) {
		hs_fused_act a;
		hs_str s = { names[i], strlen(names[i]) };
		ck_assert_int_eq(hs_fused_act_parse(&a, s), 0);
		ck_assert_int_eq(a, i);
	}
	hs_fused_act a;
	hs_str bad = { "tanh", 4 };
	ck_assert_int_eq(hs_fused_act_parse(&a, bad), HS_EINVAL);
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "unknown fused_activation_function 'tanh'"));
	float v[4] = { -2.0f, -0.0f, 0.0f, 7.0f };
	hs_fused_act_apply(v, 4, HS_ACT_SIGN_BIT);
	ck_assert(v[0] == 1 && v[1] == 1 && v[2] == 0 && v[3] == 0);
	float r[4] = { -2.0f, -0.5f, 0.5f, 7.0f };
	hs_fused_act_apply(r, 4, HS_ACT_RELU_N1_TO_1);
	ck_assert(r[0] == -1 && r[1] == -0.5f && r[2] == 0.5f && r[3] == 1);
	float q[3] = { -1.0f, 3.0f, 9.0f };
	hs_fused_act_apply(q, 3, HS_ACT_RELU6);
	ck_assert(q[0] == 0 && q[1] == 3 && q[2] == 6);
}
END_TEST

/* ------------------------------------------------------------ the kernel */

/* A stub of one layer, 2 steps, batch 1, 1 input, 2 units: its weights as
 * Consts named a<index>, the -1 Const, the states. */
static const char weights[] =
	"a1 = Const f32 [2,1] 0.1 -0.2\n"
	"a2 = Const f32 [2,1] 0.3 0.4\n"
	"a3 = Const f32 [2,1] -0.5 0.6\n"
	"a4 = Const f32 [2,1] 0.7 -0.8\n"
	"a5 = Const f32 [2,2] 0.2 0.1 -0.1 0.3\n"
	"a6 = Const f32 [2,2] 0.5 -0.4 0.2 0.1\n"
	"a7 = Const f32 [2,2] 0.3 0.3 -0.2 0.4\n"
	"a8 = Const f32 [2,2] 0.1 -0.6 0.5 0.2\n"
	"a12 = Const f32 [2] 0.1 0.2\n"
	"a13 = Const f32 [2] 1.0 1.0\n"
	"a14 = Const f32 [2] 0.3 -0.1\n"
	"a15 = Const f32 [2] 0.2 0.0\n"
	"a18 = Const f32 [1,2] 0\n"
	"a19 = Const f32 [1,2] 0.5 -0.5\n"
	"none = Const f32 [1] -1\n";

static void expected_stub(float *seq, float *c_last, const float *x)
{
	const float w[4][2] = { { 0.1f, -0.2f }, { 0.3f, 0.4f }, { -0.5f, 0.6f }, { 0.7f, -0.8f } };
	const float r[4][4] = { { 0.2f, 0.1f, -0.1f, 0.3f }, { 0.5f, -0.4f, 0.2f, 0.1f },
				{ 0.3f, 0.3f, -0.2f, 0.4f }, { 0.1f, -0.6f, 0.5f, 0.2f } };
	const float b[4][2] = { { 0.1f, 0.2f }, { 1, 1 }, { 0.3f, -0.1f }, { 0.2f, 0 } };
	hs_lstm_weights lw;
	memset(&lw, 0, sizeof lw);
	for (int g = 0; g < 4; g++) {
		lw.input_to[g] = w[g];
		lw.recurrent_to[g] = r[g];
		lw.bias[g] = b[g];
	}
	hs_lstm_dims d = { 2, 1, 1, 2, 2, 1 };
	hs_lstm_params p = { HS_ACT_TANH, 0, 0 };
	float h[2] = { 0, 0 };
	c_last[0] = 0.5f;
	c_last[1] = -0.5f;
	ck_assert_int_eq(hs_lstm_run(seq, h, c_last, x, &d, &lw, &p, NULL), 0);
}

static void check_stub(const char *stub_line)
{
	char *lines = malloc(sizeof weights + strlen(stub_line) + 64);
	ck_assert_ptr_nonnull(lines);
	strcpy(lines, weights);
	strcat(lines, stub_line);
	strcat(lines, "x = Placeholder f32 [2,1,1]\n");
	hs_graph *g = et_graph(lines, NULL);
	const float xv[2] = { 0.5f, -1.0f };
	hs_value *x = et_float(3, ET_DIMS(2, 1, 1), xv);
	hs_value *seq = et_run(g, "s:2", 1, "x", x);
	ck_assert_msg(seq != NULL, "%s", hs_error_last());
	hs_value *c = et_run(g, "s:1", 1, "x", x);
	ck_assert_ptr_nonnull(c);
	hs_value *unused = et_run(g, "s", 1, "x", x);
	ck_assert_ptr_nonnull(unused);
	ck_assert_int_eq(unused->elements, 0);
	float es[4], ec[2];
	expected_stub(es, ec, xv);
	et_expect_f(seq, 3, ET_DIMS(2, 1, 2), es);
	et_expect_f(c, 2, ET_DIMS(1, 2), ec);
	hs_value_free(seq);
	hs_value_free(c);
	hs_value_free(unused);
	hs_value_free(x);
	hs_graph_free(g);
	free(lines);
}

/* The generic stub's dense layout (every index up to 19, absent ones on
 * the -1 Const), the present layout, and no index list at all. */
START_TEST(test_stub_layouts)
{
	check_stub("s = UnidirectionalSequenceLstm x a1 a2 a3 a4 a5 a6 a7 a8 none none none "
		   "a12 a13 a14 a15 none none a18 a19 "
		   "_tflite_input_indices=[0,1,2,3,4,5,6,7,8,12,13,14,15,18,19]\n");
	check_stub("s = UnidirectionalSequenceLstm x a1 a2 a3 a4 a5 a6 a7 a8 a12 a13 a14 a15 "
		   "a18 a19 _tflite_input_indices=[0,1,2,3,4,5,6,7,8,12,13,14,15,18,19] "
		   "fused_activation_function=\"TANH\" cell_clip=0.0 time_major=true\n");
}
END_TEST

static const char dense_inputs[] = "x a1 a2 a3 a4 a5 a6 a7 a8 none none none a12 a13 a14 a15 "
				   "none none a18 a19";
static const char dense_indices[] =
	"_tflite_input_indices=[0,1,2,3,4,5,6,7,8,12,13,14,15,18,19]";

static void check_stub_fails(const char *inputs, const char *attrs, const char *fetch,
			     const char *part)
{
	char line[1024];
	snprintf(line, sizeof line, "%sx = Const f32 [2,1,1] 0.5 -1\n"
		 "s = UnidirectionalSequenceLstm %s %s\n", weights, inputs, attrs);
	et_check_fails(line, fetch, part);
}

START_TEST(test_stub_errors)
{
	char attrs[256];
	check_stub_fails(dense_inputs, dense_indices, "s:3", "output 3 is read");
	/* Input 1 absent but 5 and 12 there: not CIFG. */
	check_stub_fails(dense_inputs, "_tflite_input_indices=[0,2,3,4,5,6,7,8,12,13,14,15,18,19]",
			 "s:2", "inputs 1, 5 and 12 (the input gate)");
	check_stub_fails("x a1 a2 a3 a4 a5 a6 a7 a8 none none none a12 a13 a14 a15 none none "
			 "a18 a19 a13",
			 "_tflite_input_indices=[0,1,2,3,4,5,6,7,8,12,13,14,15,18,19,20]", "s:2",
			 "input 20 (input_layer_norm): layer normalisation is not supported");
	/* Swapped weights: the recurrent matrix where an input one belongs. */
	check_stub_fails("x a1 a6 a3 a4 a5 a2 a7 a8 none none none a12 a13 a14 a15 none none "
			 "a18 a19", dense_indices, "s:2",
			 "input 2 (input_to_forget_weights) has 2 columns, the input 1 features");
	check_stub_fails("x a1 a2 a3 a4 a5 a6 a7 a8 none none none a12 a13 a14 a15 none none "
			 "a19 a12", dense_indices, "s:2",
			 "input 19 (cell_state) has shape [2], expected rank 2");
	snprintf(attrs, sizeof attrs, "%s fused_activation_function=\"GELU\"", dense_indices);
	check_stub_fails(dense_inputs, attrs, "s:2", "unknown fused_activation_function 'GELU'");
	check_stub_fails(dense_inputs, "_tflite_input_indices=[0,2,1]", "s:2",
			 "out of order or out of range");
	check_stub_fails("x", "", "s:2", "input 2 (input_to_forget_weights) is absent");
}
END_TEST

/* Batch-major through the attribute: same numbers, transposed. */
START_TEST(test_stub_batch_major)
{
	char line[1024];
	snprintf(line, sizeof line, "%sxb = Placeholder f32 [1,2,1]\n"
		 "s = UnidirectionalSequenceLstm xb a1 a2 a3 a4 a5 a6 a7 a8 none none none "
		 "a12 a13 a14 a15 none none a18 a19 %s time_major=false\n", weights,
		 dense_indices);
	hs_graph *g = et_graph(line, NULL);
	const float xv[2] = { 0.5f, -1.0f };
	hs_value *x = et_float(3, ET_DIMS(1, 2, 1), xv);
	hs_value *seq = et_run(g, "s:2", 1, "xb", x);
	ck_assert_msg(seq != NULL, "%s", hs_error_last());
	float es[4], ec[2];
	expected_stub(es, ec, xv);
	et_expect_f(seq, 3, ET_DIMS(1, 2, 2), es);
	hs_value_free(seq);
	hs_value_free(x);
	hs_graph_free(g);
}
END_TEST

/* cell_clip as the lstm plugin writes it (a float) and as a V0 graph
 * carries it (a `_tflite_attr_cell_clip` tensor): the same numbers,
 * clipped. */
START_TEST(test_stub_clip_attrs)
{
	char line[1024];
	snprintf(line, sizeof line, "%sx = Const f32 [2,1,1] 0.5 -1\n"
		 "s = UnidirectionalSequenceLstm %s %s cell_clip=0.05\n"
		 "v = UnidirectionalSequenceLstm %s %s\n", weights, dense_inputs, dense_indices,
		 dense_inputs, dense_indices);
	char *text = et_pbtxt(line, NULL);
	const char *at = strstr(text, "name: \"v\"");
	ck_assert_ptr_nonnull(at);
	const char *attr = " attr { key: \"_tflite_attr_cell_clip\" value { tensor {"
			   " dtype: DT_FLOAT tensor_shape { } float_val: 0.05 } } }";
	size_t head = (size_t)(at - text) + strlen("name: \"v\"");
	char *edited = malloc(strlen(text) + strlen(attr) + 1);
	ck_assert_ptr_nonnull(edited);
	memcpy(edited, text, head);
	strcpy(edited + head, attr);
	strcat(edited, text + head);
	hs_graph *g;
	ck_assert_msg(hs_graph_load_buffer(&g, edited, strlen(edited), "clip", NULL) == 0, "%s",
		      hs_error_last());
	hs_value *a = et_run(g, "s:1", 0), *b = et_run(g, "v:1", 0);
	ck_assert_msg(a && b, "%s", hs_error_last());
	const float *ca = a->data, *cb = b->data;
	for (int k = 0; k < 2; k++) {
		ck_assert(ca[k] == cb[k]);
		ck_assert(fabsf(ca[k]) <= 0.05f);
	}
	hs_value_free(a);
	hs_value_free(b);
	hs_graph_free(g);
	free(edited);
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fused_lstm");
	TCase *t = tcase_create("math");
	tcase_add_test(t, test_one_unit);
	tcase_add_test(t, test_cifg);
	tcase_add_test(t, test_peephole);
	tcase_add_test(t, test_cell_clip);
	tcase_add_test(t, test_projection);
	tcase_add_test(t, test_batch_major);
	tcase_add_test(t, test_activations);
	suite_add_tcase(s, t);
	t = tcase_create("kernel");
	tcase_add_test(t, test_stub_layouts);
	tcase_add_test(t, test_stub_errors);
	tcase_add_test(t, test_stub_batch_major);
	tcase_add_test(t, test_stub_clip_attrs);
	suite_add_tcase(s, t);
	return tu_run(s);
}
