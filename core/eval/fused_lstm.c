/* UNIDIRECTIONAL_SEQUENCE_LSTM as TFLite's float kernel computes it, step
 * by step over the whole batch:
 *
 *   i = sigmoid(W_i x + R_i h + p_i . c_prev + b_i)   (CIFG: i = 1 - f)
 *   f = sigmoid(W_f x + R_f h + p_f . c_prev + b_f)
 *   g = act(W_c x + R_c h + b_c)
 *   c = clip(f . c_prev + i . g, cell_clip)
 *   o = sigmoid(W_o x + R_o h + p_o . c + b_o)        (peephole on the new c)
 *   m = o . act(c)
 *   h = clip(P m + p_b, proj_clip), or m without projection
 *
 * with act the op's fused activation (TANH for every TFLiteLSTMCell), each
 * step's h its output.  Layer normalisation (inputs 20..23) never occurs in
 * OpHint graphs and is not done. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fused_internal.h"

/* acc[b][r] += sum_k m[r][k] * x[b][k], m [rows][cols], x [batch][cols]
 * with rows of x x_stride apart. */
static void matvec_acc(float *acc, const float *m, size_t rows, size_t cols,
		       const float *x, size_t x_stride, size_t batch)
{
	for (size_t b = 0; b < batch; b++) {
		const float *xb = x + b * x_stride;
		float *ab = acc + b * rows;
		for (size_t r = 0; r < rows; r++) {
			const float *mr = m + r * cols;
			float s = 0;
			for (size_t k = 0; k < cols; k++)
				s += mr[k] * xb[k];
			ab[r] += s;
		}
	}
}

static void fill_bias(float *v, const float *bias, size_t n, size_t batch)
{
	for (size_t b = 0; b < batch; b++) {
		if (bias)
			memcpy(v + b * n, bias, n * sizeof *v);
		else
			memset(v + b * n, 0, n * sizeof *v);
	}
}

static void peephole_acc(float *gate, const float *p, const float *c, size_t n,
			 size_t batch)
{
	if (!p)
		return;
	for (size_t b = 0; b < batch; b++)
		for (size_t k = 0; k < n; k++)
			gate[b * n + k] += p[k] * c[b * n + k];
}

/* Pre-activation of one gate for the whole batch. */
static void gate_sum(float *gate, const hs_lstm_dims *d, const hs_lstm_weights *w,
		     int k, const float *x, size_t x_stride, const float *h)
{
	fill_bias(gate, w->bias[k], d->cell, d->batch);
	matvec_acc(gate, w->input_to[k], d->cell, d->input, x, x_stride, d->batch);
	matvec_acc(gate, w->recurrent_to[k], d->cell, d->output, h, d->output, d->batch);
}

typedef struct lstm_scratch {
	float *gate[HS_GATES]; /* [batch][cell] each */
	float *m;              /* [batch][cell] */
} lstm_scratch;

static void lstm_step(float *out, size_t out_stride, float *h, float *c,
		      const float *x, size_t x_stride, const hs_lstm_dims *d,
		      const hs_lstm_weights *w, const hs_lstm_params *p,
		      lstm_scratch *s)
{
	size_t n = d->batch * d->cell;
	int cifg = w->input_to[HS_GATE_INPUT] == NULL;
	float *ig = s->gate[HS_GATE_INPUT], *fg = s->gate[HS_GATE_FORGET];
	float *cg = s->gate[HS_GATE_CELL], *og = s->gate[HS_GATE_OUTPUT];

	gate_sum(fg, d, w, HS_GATE_FORGET, x, x_stride, h);
	peephole_acc(fg, w->cell_to[HS_GATE_FORGET], c, d->cell, d->batch);
	hs_fused_act_apply(fg, n, HS_ACT_SIGMOID);
	if (cifg) {
		for (size_t k = 0; k < n; k++)
			ig[k] = 1.0f - fg[k];
	} else {
		gate_sum(ig, d, w, HS_GATE_INPUT, x, x_stride, h);
		peephole_acc(ig, w->cell_to[HS_GATE_INPUT], c, d->cell, d->batch);
		hs_fused_act_apply(ig, n, HS_ACT_SIGMOID);
	}
	gate_sum(cg, d, w, HS_GATE_CELL, x, x_stride, h);
	hs_fused_act_apply(cg, n, p->activation);
	/* The output gate reads h too: sum it before h changes. */
	gate_sum(og, d, w, HS_GATE_OUTPUT, x, x_stride, h);

	for (size_t k = 0; k < n; k++)
		c[k] = fg[k] * c[k] + ig[k] * cg[k];
	hs_fused_clip(c, n, p->cell_clip);

	peephole_acc(og, w->cell_to[HS_GATE_OUTPUT], c, d->cell, d->batch);
	hs_fused_act_apply(og, n, HS_ACT_SIGMOID);
	memcpy(s->m, c, n * sizeof *c);
	hs_fused_act_apply(s->m, n, p->activation);
	for (size_t k = 0; k < n; k++)
		s->m[k] *= og[k];

	if (w->projection) {
		fill_bias(h, w->projection_bias, d->output, d->batch);
		matvec_acc(h, w->projection, d->output, d->cell, s->m, d->cell, d->batch);
		hs_fused_clip(h, d->batch * d->output, p->proj_clip);
	} else {
		memcpy(h, s->m, n * sizeof *h);
	}
	for (size_t b = 0; b < d->batch; b++)
		memcpy(out + b * out_stride, h + b * d->output, d->output * sizeof *h);
}

int hs_lstm_run(float *output, float *output_state, float *cell_state,
		const float *input, const hs_lstm_dims *d,
		const hs_lstm_weights *w, const hs_lstm_params *p)
{
	size_t n = d->batch * d->cell;
	if (!d->time || !n)
		return HS_OK;
	if (n / d->cell != d->batch)
		return hs_fail(HS_ELIMIT, "LSTM state of %zu x %zu floats is too large",
			       d->batch, d->cell);
	float *block = calloc((HS_GATES + 1) * n + 1, sizeof *block);
	if (!block)
		return hs_fail(HS_ENOMEM, "out of memory");
	lstm_scratch s;
	for (int k = 0; k < HS_GATES; k++)
		s.gate[k] = block + (size_t)k * n;
	s.m = block + HS_GATES * n;

	/* Time-major: step t is one contiguous [batch][.] block.  Batch-major:
	 * row b of step t sits at (b * time + t), rows `time` rows apart. */
	for (size_t t = 0; t < d->time; t++) {
		const float *x;
		float *out;
		size_t x_stride, out_stride;
		if (d->time_major) {
			x = input + t * d->batch * d->input;
			out = output + t * d->batch * d->output;
			x_stride = d->input;
			out_stride = d->output;
		} else {
			x = input + t * d->input;
			out = output + t * d->output;
			x_stride = d->time * d->input;
			out_stride = d->time * d->output;
		}
		lstm_step(out, out_stride, output_state, cell_state, x, x_stride, d, w, p,
			  &s);
	}
	free(block);
	return HS_OK;
}

/* ---------------------------------------------------------------- kernel */

/* The call's arguments (spec §3.2, TFLite's input layout). */
enum {
	A_INPUT = 0,
	A_INPUT_TO = 1,      /* 1..4: input, forget, cell, output gates */
	A_RECURRENT_TO = 5,  /* 5..8 */
	A_CELL_TO = 9,       /* 9..11: peepholes input, forget, output */
	A_BIAS = 12,         /* 12..15 */
	A_PROJECTION = 16,
	A_PROJECTION_BIAS = 17,
	A_OUTPUT_STATE = 18,
	A_CELL_STATE = 19,
	A_LAYER_NORM = 20,   /* 20..23 */
	A_COUNT = 24
};

static const char *const arg_names[A_COUNT] = {
	"input", "input_to_input_weights", "input_to_forget_weights",
	"input_to_cell_weights", "input_to_output_weights",
	"recurrent_to_input_weights", "recurrent_to_forget_weights",
	"recurrent_to_cell_weights", "recurrent_to_output_weights",
	"cell_to_input_weights", "cell_to_forget_weights", "cell_to_output_weights",
	"input_gate_bias", "forget_gate_bias", "cell_gate_bias", "output_gate_bias",
	"projection_weights", "projection_bias", "output_state", "cell_state",
	"input_layer_norm", "forget_layer_norm", "cell_layer_norm", "output_layer_norm",
};

/* Checks argument i against rank/dims; absent is refused when required. */
static int arg(const float **out, const hs_value *const *a, int i, int required,
	       size_t rank, int64_t d0, int64_t d1)
{
	/* Only the input has rank 3; its dims are checked by lstm_dims. */
	char what[80];
	*out = NULL;
	snprintf(what, sizeof what, "input %d (%s)", i, arg_names[i]);
	if (!a[i])
		return required ? hs_fail(HS_EINVAL, "%s is absent", what) : HS_OK;
	int64_t dims[3] = { d0, d1, -1 };
	int rc = hs_fused_check(a[i], rank, dims, what);
	if (rc == HS_OK)
		*out = a[i]->data;
	return rc;
}

/* Which optional groups are there: CIFG (no input gate: 1, 5, 12 absent,
 * and then no input peephole 9), peepholes (10, 11; 9 too unless CIFG),
 * projection (16; 17 only with it). */
static int lstm_groups(const hs_value *const *a)
{
	for (int i = A_LAYER_NORM; i < A_COUNT; i++)
		if (a[i])
			return hs_fail(HS_EINVAL, "input %d (%s): layer normalisation is not "
				       "supported", i, arg_names[i]);
	int gate = !!a[A_INPUT_TO] + !!a[A_RECURRENT_TO] + !!a[A_BIAS];
	if (gate != 0 && gate != 3)
		return hs_fail(HS_EINVAL, "inputs 1, 5 and 12 (the input gate) must be all "
			       "present or all absent (CIFG)");
	int peep = !!a[A_CELL_TO + 1] + !!a[A_CELL_TO + 2];
	if (peep == 1 || (gate && peep != 2 * !!a[A_CELL_TO]) || (!gate && a[A_CELL_TO]))
		return hs_fail(HS_EINVAL, "peephole inputs 9, 10, 11 must be all present or "
			       "all absent (9 absent with CIFG)");
	if (a[A_PROJECTION_BIAS] && !a[A_PROJECTION])
		return hs_fail(HS_EINVAL, "input 17 (projection_bias) without input 16 "
			       "(projection_weights)");
	return HS_OK;
}

static int lstm_weights(hs_lstm_weights *w, const hs_value *const *a,
			const hs_lstm_dims *d)
{
	int64_t cell = (int64_t)d->cell, in = (int64_t)d->input, out = (int64_t)d->output;
	int cifg = !a[A_INPUT_TO];
	int rc = HS_OK;
	memset(w, 0, sizeof *w);
	for (int g = 0; g < HS_GATES && !rc; g++) {
		int req = g != HS_GATE_INPUT || !cifg;
		rc = arg(&w->input_to[g], a, A_INPUT_TO + g, req, 2, cell, in);
		if (!rc)
			rc = arg(&w->recurrent_to[g], a, A_RECURRENT_TO + g, req, 2, cell, out);
		if (!rc)
			rc = arg(&w->bias[g], a, A_BIAS + g, req, 1, cell, 0);
	}
	static const int peep_gate[3] = { HS_GATE_INPUT, HS_GATE_FORGET, HS_GATE_OUTPUT };
	for (int p = 0; p < 3 && !rc; p++)
		rc = arg(&w->cell_to[peep_gate[p]], a, A_CELL_TO + p, 0, 1, cell, 0);
	if (!rc)
		rc = arg(&w->projection, a, A_PROJECTION, 0, 2, out, cell);
	if (!rc)
		rc = arg(&w->projection_bias, a, A_PROJECTION_BIAS, 0, 1, out, 0);
	return rc;
}

/* Sizes from the input and the forget-gate weights (always present). */
static int lstm_dims(hs_lstm_dims *d, const hs_value *const *a, int time_major)
{
	const hs_value *x = a[A_INPUT], *wf = a[A_INPUT_TO + 1];
	const hs_value *rf = a[A_RECURRENT_TO + 1];
	const float *v;
	int rc;
	if ((rc = arg(&v, a, A_INPUT, 1, 3, -1, -1)) ||
	    (rc = arg(&v, a, A_INPUT_TO + 1, 1, 2, -1, -1)) ||
	    (rc = arg(&v, a, A_RECURRENT_TO + 1, 1, 2, -1, -1)))
		return rc;
	d->time_major = time_major;
	d->time = (size_t)x->dims[time_major ? 0 : 1];
	d->batch = (size_t)x->dims[time_major ? 1 : 0];
	d->input = (size_t)x->dims[2];
	d->cell = (size_t)wf->dims[0];
	d->output = (size_t)rf->dims[1];
	if (wf->dims[1] != x->dims[2])
		return hs_fail(HS_EINVAL, "input 2 (input_to_forget_weights) has %lld columns, "
			       "the input %lld features", (long long)wf->dims[1],
			       (long long)x->dims[2]);
	if (!a[A_PROJECTION] && d->output != d->cell)
		return hs_fail(HS_EINVAL, "input 6 (recurrent_to_forget_weights) has %zu "
			       "columns: without projection they must be num_units (%zu)",
			       d->output, d->cell);
	return HS_OK;
}

static int lstm_params(hs_lstm_params *p, int *time_major, const hs_node *n)
{
	int rc = hs_fused_activation(&p->activation, n, HS_ACT_TANH);
	if (!rc)
		rc = hs_fused_float_attr(&p->cell_clip, n, "cell_clip", 0);
	if (!rc)
		rc = hs_fused_float_attr(&p->proj_clip, n, "proj_clip", 0);
	if (!rc)
		rc = hs_kattr_bool_or(time_major, n, "time_major", 1);
	return rc;
}

/* A copy of an initial state the run updates in place. */
static int state_copy(hs_value **out, hs_kctx *k, const hs_value *const *a, int i,
		      size_t batch, size_t width)
{
	const float *v;
	int rc = arg(&v, a, i, 1, 2, (int64_t)batch, (int64_t)width);
	if (!rc)
		rc = hs_kt_new(out, k, HS_DT_FLOAT, 2, a[i]->dims);
	if (!rc && (*out)->elements)
		memcpy((*out)->data, v, hs_value_size(*out));
	return rc;
}

/* Ports: 0 unused, 1 the last cell state [batch, num_units], 2 the output
 * sequence (the call's outputs 1 `c` and 2 `m`). */
int hs_kernel_lstm(hs_kctx *k, const hs_node *n, const hs_value *const *in,
		   size_t n_in, hs_value **out, size_t n_out)
{
	const hs_value *a[A_COUNT];
	hs_lstm_dims d;
	hs_lstm_weights w;
	hs_lstm_params p;
	hs_value *h = NULL, *c = NULL, *seq = NULL;
	int time_major;
	int rc = hs_kcheck_outputs(n_out, 3);
	if (!rc)
		rc = hs_stub_args(a, A_COUNT, n, in, n_in);
	if (!rc)
		rc = lstm_params(&p, &time_major, n);
	if (!rc)
		rc = lstm_groups(a);
	if (!rc)
		rc = lstm_dims(&d, a, time_major);
	if (!rc)
		rc = lstm_weights(&w, a, &d);
	if (!rc)
		rc = state_copy(&h, k, a, A_OUTPUT_STATE, d.batch, d.output);
	if (!rc)
		rc = state_copy(&c, k, a, A_CELL_STATE, d.batch, d.cell);
	if (!rc) {
		int64_t dims[3] = { a[A_INPUT]->dims[0], a[A_INPUT]->dims[1],
				    (int64_t)d.output };
		rc = hs_kt_new(&seq, k, HS_DT_FLOAT, 3, dims);
	}
	if (!rc)
		rc = hs_kt_reserve(k, (HS_GATES + 1) * d.batch * d.cell * sizeof(float));
	if (!rc)
		rc = hs_lstm_run(seq->data, h->data, c->data, a[A_INPUT]->data, &d, &w, &p);
	if (!rc)
		rc = hs_fused_unused_port(&out[0], k);
	if (!rc) {
		if (n_out > 1)
			out[1] = hs_value_ref(c);
		if (n_out > 2)
			out[2] = hs_value_ref(seq);
	}
	hs_value_free(h);
	hs_value_free(c);
	hs_value_free(seq);
	return rc;
}
