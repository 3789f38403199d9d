/* UnidirectionalSequenceRnn: h = act(W x + R h + b) per step, worked out
 * by hand, through the kernel in both input layouts and both time
 * layouts, and what it refuses. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "evaltest.h"
#include "fused.h"
#include "testutil.h"

/* Two units, one input, batch 1, three steps. */
static const char cell[] =
	"w = Const f32 [2,1] 0.5 -1.0\n"
	"r = Const f32 [2,2] 0.1 0.2 -0.3 0.4\n"
	"b = Const f32 [2] 0.05 -0.05\n"
	"h = Const f32 [1,2] 0.2 -0.1\n"
	"none = Const f32 [1] -1\n";

static void expected(float *out, const float *x, int relu)
{
	double h[2] = { 0.2, -0.1 };
	const double w[2] = { 0.5, -1.0 }, r[2][2] = { { 0.1, 0.2 }, { -0.3, 0.4 } };
	const double b[2] = { 0.05, -0.05 };
	for (int t = 0; t < 3; t++) {
		double n[2];
		for (int u = 0; u < 2; u++) {
			double s = w[u] * x[t] + r[u][0] * h[0] + r[u][1] * h[1] + b[u];
			n[u] = relu ? (s > 0 ? s : 0) : tanh(s);
		}
		h[0] = n[0];
		h[1] = n[1];
		out[2 * t] = (float)h[0];
		out[2 * t + 1] = (float)h[1];
	}
}

static void check_stub(const char *stub, int relu)
{
	char lines[1024];
	snprintf(lines, sizeof lines, "%sx = Placeholder f32 [3,1,1]\n%s\n", cell, stub);
	hs_graph *g = et_graph(lines, NULL);
	const float xv[3] = { 1.0f, -2.0f, 0.5f };
	hs_value *x = et_float(3, ET_DIMS(3, 1, 1), xv);
	hs_value *seq = et_run(g, "s:1", 1, "x", x);
	ck_assert_msg(seq != NULL, "%s", hs_error_last());
	float e[6];
	expected(e, xv, relu);
	et_expect_f(seq, 3, ET_DIMS(3, 1, 2), e);
	hs_value_free(seq);
	hs_value_free(x);
	hs_graph_free(g);
}

START_TEST(test_layouts)
{
	check_stub("s = UnidirectionalSequenceRnn x w r b h", 0);
	check_stub("s = UnidirectionalSequenceRnn x w r b h _tflite_input_indices=[0,1,2,3,4]", 0);
	check_stub("s = UnidirectionalSequenceRnn x w r b h _tflite_input_indices=[0,1,2,3,4] "
		   "fused_activation_function=\"RELU\" time_major=true", 1);
}
END_TEST

START_TEST(test_batch_major)
{
	/* Batch 2, two steps: batch-major input is the time-major one
	 * transposed, and so is the output. */
	const float xt[4] = { 1.0f, 3.0f, -2.0f, 0.25f }; /* [t][b] */
	const float xb[4] = { 1.0f, -2.0f, 3.0f, 0.25f }; /* [b][t] */
	float w[2] = { 0.5f, -1.0f }, r[4] = { 0.1f, 0.2f, -0.3f, 0.4f }, b[2] = { 0.05f, -0.05f };
	float ht[4] = { 0.2f, -0.1f, 0.0f, 0.3f }, hb[4];
	memcpy(hb, ht, sizeof hb);
	float ot[8], ob[8];
	hs_rnn_dims d = { 2, 2, 1, 2, 1 };
	ck_assert_int_eq(hs_rnn_run(ot, ht, xt, &d, w, r, b, HS_ACT_TANH, NULL), 0);
	d.time_major = 0;
	ck_assert_int_eq(hs_rnn_run(ob, hb, xb, &d, w, r, b, HS_ACT_TANH, NULL), 0);
	for (int t = 0; t < 2; t++)
		for (int n = 0; n < 2; n++)
			for (int u = 0; u < 2; u++)
				ck_assert(ot[(t * 2 + n) * 2 + u] == ob[(n * 2 + t) * 2 + u]);
	ck_assert(!memcmp(ht, hb, sizeof ht));
}
END_TEST

static void check_fails(const char *stub, const char *fetch, const char *part)
{
	char lines[1024];
	snprintf(lines, sizeof lines, "%sx = Const f32 [3,1,1] 1\n%s\n", cell, stub);
	et_check_fails(lines, fetch, part);
}

START_TEST(test_refused)
{
	check_fails("s = UnidirectionalSequenceRnn x w r b h", "s:2", "output 2 is read");
	check_fails("s = UnidirectionalSequenceRnn x w r b", "s:1", "input 4 (hidden_state) is absent");
	check_fails("s = UnidirectionalSequenceRnn x r w b h", "s:1",
		    "input 1 (input_weights) has shape [2,2], expected [?,1]");
	check_fails("s = UnidirectionalSequenceRnn x w r b none", "s:1",
		    "input 4 (hidden_state) has shape [1], expected rank 2");
	check_fails("s = UnidirectionalSequenceRnn x w r b h fused_activation_function=\"SWISH\"",
		    "s:1", "unknown fused_activation_function 'SWISH'");
	check_fails("s = UnidirectionalSequenceRnn x w r b h b", "s:1",
		    "6 inputs, the op takes at most 5");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fused_rnn");
	TCase *t = tcase_create("rnn");
	tcase_add_test(t, test_layouts);
	tcase_add_test(t, test_batch_major);
	tcase_add_test(t, test_refused);
	suite_add_tcase(s, t);
	return tu_run(s);
}
