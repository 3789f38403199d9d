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

/* Products go through hs_gemm (the evaluator's MatMul in the kernel, a
 * plain loop in tests): the input's share of every gate for a chunk of
 * steps in one product, then per step the recurrent share and the
 * projection, the gates side by side ([.][gates * cell]). */

/* Steps whose input products are held at once: bounds the scratch. */
#define LSTM_CHUNK_ROWS 2048

typedef struct lstm_run {
	const hs_lstm_dims *d;
	const hs_lstm_weights *w;
	const hs_lstm_params *p;
	const hs_gemm *gemm;
	int gate[HS_GATES];  /* the gates computed (CIFG: no input gate) */
	size_t ng, nc;       /* their count, ng * cell */
	size_t chunk;        /* steps per input product */
	float *w_in, *w_rec; /* [nc][input], [nc][output] */
	float *pre;          /* input shares of a chunk: [rows][nc] */
	float *rec;          /* [batch][nc] */
	float *m;            /* [batch][cell] */
} lstm_run;

size_t hs_lstm_scratch(const hs_lstm_dims *d, int cifg)
{
	size_t nc = (cifg ? 3 : 4) * d->cell;
	size_t chunk = LSTM_CHUNK_ROWS / (d->batch ? d->batch : 1);
	if (!chunk)
		chunk = 1;
	if (chunk > d->time)
		chunk = d->time;
	return (nc * (d->input + d->output) + chunk * d->batch * nc + d->batch * nc +
		d->batch * d->cell) * sizeof(float);
}

/* Rows of the gates' matrices stacked: [g0 rows; g1 rows; ...]. */
static void stack_rows(float *dst, const float *const *src, const int *gate, size_t ng,
		       size_t rows, size_t cols)
{
	for (size_t g = 0; g < ng; g++)
		memcpy(dst + g * rows * cols, src[gate[g]], rows * cols * sizeof *dst);
}

static int lstm_prepare(lstm_run *r)
{
	const hs_lstm_dims *d = r->d;
	r->ng = 0;
	for (int g = 0; g < HS_GATES; g++)
		if (r->w->input_to[g])
			r->gate[r->ng++] = g;
	r->nc = r->ng * d->cell;
	r->chunk = LSTM_CHUNK_ROWS / d->batch ? LSTM_CHUNK_ROWS / d->batch : 1;
	if (r->chunk > d->time)
		r->chunk = d->time;
	float *block = malloc(hs_lstm_scratch(d, r->ng == 3) + 1);
	if (!block)
		return hs_fail(HS_ENOMEM, "out of memory");
	r->w_in = block;
	r->w_rec = r->w_in + r->nc * d->input;
	r->pre = r->w_rec + r->nc * d->output;
	r->rec = r->pre + r->chunk * d->batch * r->nc;
	r->m = r->rec + d->batch * r->nc;
	stack_rows(r->w_in, r->w->input_to, r->gate, r->ng, d->cell, d->input);
	stack_rows(r->w_rec, r->w->recurrent_to, r->gate, r->ng, d->cell, d->output);
	return HS_OK;
}

/* The input shares of steps t0 .. t0 + n: time-major rows are (t, b),
 * batch-major ones (b, t), each batch's steps contiguous. */
static int lstm_inputs(lstm_run *r, const float *input, size_t t0, size_t n)
{
	const hs_lstm_dims *d = r->d;
	if (d->time_major)
		return r->gemm->nt(r->gemm->ctx, r->pre, input + t0 * d->batch * d->input,
				   r->w_in, n * d->batch, r->nc, d->input);
	for (size_t b = 0; b < d->batch; b++) {
		int rc = r->gemm->nt(r->gemm->ctx, r->pre + b * r->chunk * r->nc,
				     input + (b * d->time + t0) * d->input, r->w_in, n, r->nc,
				     d->input);
		if (rc)
			return rc;
	}
	return HS_OK;
}

static const float *pre_row(const lstm_run *r, size_t dt, size_t b)
{
	size_t row = r->d->time_major ? dt * r->d->batch + b : b * r->chunk + dt;
	return r->pre + row * r->nc;
}

static float sigmoid1(float x)
{
	return 1.0f / (1.0f + expf(-x));
}

/* One batch row of one step: gates, new cell state, m = o . act(c). */
static void lstm_row(const lstm_run *r, const float *pre, const float *rec, float *c,
		     float *m)
{
	const hs_lstm_dims *d = r->d;
	const hs_lstm_weights *w = r->w;
	const hs_lstm_params *p = r->p;
	int cifg = w->input_to[HS_GATE_INPUT] == NULL;
	/* Column of gate g in the stacked rows. */
	size_t col[HS_GATES] = { 0 };
	for (size_t g = 0; g < r->ng; g++)
		col[r->gate[g]] = g * d->cell;
	for (size_t k = 0; k < d->cell; k++) {
		float z[HS_GATES];
		for (size_t g = 0; g < r->ng; g++) {
			int gi = r->gate[g];
			z[gi] = pre[col[gi] + k] + rec[col[gi] + k] + w->bias[gi][k];
		}
		const float *pi = w->cell_to[HS_GATE_INPUT], *pf = w->cell_to[HS_GATE_FORGET];
		const float *po = w->cell_to[HS_GATE_OUTPUT];
		float f = sigmoid1(z[HS_GATE_FORGET] + (pf ? pf[k] * c[k] : 0));
		float i = cifg ? 1.0f - f : sigmoid1(z[HS_GATE_INPUT] + (pi ? pi[k] * c[k] : 0));
		float g = z[HS_GATE_CELL];
		hs_fused_act_apply(&g, 1, p->activation);
		float nc = f * c[k] + i * g;
		hs_fused_clip(&nc, 1, p->cell_clip);
		c[k] = nc;
		float o = sigmoid1(z[HS_GATE_OUTPUT] + (po ? po[k] * nc : 0));
		float a = nc;
		hs_fused_act_apply(&a, 1, p->activation);
		m[k] = o * a;
	}
}

static int lstm_step(lstm_run *r, float *out, size_t out_stride, float *h, float *c,
		     size_t dt)
{
	const hs_lstm_dims *d = r->d;
	const hs_lstm_weights *w = r->w;
	int rc = r->gemm->nt(r->gemm->ctx, r->rec, h, r->w_rec, d->batch, r->nc, d->output);
	if (rc)
		return rc;
	for (size_t b = 0; b < d->batch; b++)
		lstm_row(r, pre_row(r, dt, b), r->rec + b * r->nc, c + b * d->cell,
			 r->m + b * d->cell);
	if (w->projection) {
		if ((rc = r->gemm->nt(r->gemm->ctx, h, r->m, w->projection, d->batch, d->output,
				      d->cell)))
			return rc;
		for (size_t b = 0; b < d->batch; b++) {
			float *hb = h + b * d->output;
			for (size_t k = 0; w->projection_bias && k < d->output; k++)
				hb[k] += w->projection_bias[k];
			hs_fused_clip(hb, d->output, r->p->proj_clip);
		}
	} else {
		memcpy(h, r->m, d->batch * d->cell * sizeof *h);
	}
	for (size_t b = 0; b < d->batch; b++)
		memcpy(out + b * out_stride, h + b * d->output, d->output * sizeof *h);
	return HS_OK;
}

int hs_lstm_run(float *output, float *output_state, float *cell_state,
		const float *input, const hs_lstm_dims *d,
		const hs_lstm_weights *w, const hs_lstm_params *p, const hs_gemm *gemm)
{
	static const hs_gemm plain = { hs_gemm_nt_plain, NULL };
	lstm_run r = { d, w, p, gemm ? gemm : &plain, { 0 }, 0, 0, 0, NULL, NULL, NULL,
		       NULL, NULL };
	if (!d->time || !d->batch || !d->cell)
		return HS_OK;
	int rc = lstm_prepare(&r);
	/* Time-major: step t is one contiguous [batch][.] block.  Batch-major:
	 * row b of step t sits at (b * time + t), rows `time` rows apart. */
	for (size_t t0 = 0; rc == HS_OK && t0 < d->time; t0 += r.chunk) {
		size_t n = d->time - t0 < r.chunk ? d->time - t0 : r.chunk;
		rc = lstm_inputs(&r, input, t0, n);
		for (size_t dt = 0; rc == HS_OK && dt < n; dt++) {
			size_t t = t0 + dt;
			float *out = d->time_major ? output + t * d->batch * d->output
						   : output + t * d->output;
			size_t stride = d->time_major ? d->output : d->time * d->output;
			rc = lstm_step(&r, out, stride, output_state, cell_state, dt);
		}
	}
	free(r.w_in);
	return rc;
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
		rc = hs_kt_reserve(k, hs_lstm_scratch(&d, !w.input_to[HS_GATE_INPUT]));
	if (!rc) {
		hs_gemm gemm = { hs_fused_gemm, k };
		rc = hs_lstm_run(seq->data, h->data, c->data, a[A_INPUT]->data, &d, &w, &p,
				 &gemm);
	}
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
