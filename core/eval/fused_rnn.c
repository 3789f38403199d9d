/* UNIDIRECTIONAL_SEQUENCE_RNN as TFLite's float kernel computes it: per
 * step h = act(W x + R h + b), h the step's output. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fused_internal.h"

/* The input's share of a chunk of steps in one product, then per step
 * the recurrent share (hs_gemm, as the LSTM). */
#define RNN_CHUNK_ROWS 2048

static size_t rnn_chunk(const hs_rnn_dims *d)
{
	size_t chunk = RNN_CHUNK_ROWS / d->batch ? RNN_CHUNK_ROWS / d->batch : 1;
	return chunk < d->time ? chunk : d->time;
}

size_t hs_rnn_scratch(const hs_rnn_dims *d)
{
	return (rnn_chunk(d) + 1) * d->batch * d->units * sizeof(float);
}

static int rnn_inputs(float *pre, size_t chunk, const float *input, const hs_rnn_dims *d,
		      const float *weights, const hs_gemm *gemm, size_t t0, size_t n)
{
	if (d->time_major)
		return gemm->nt(gemm->ctx, pre, input + t0 * d->batch * d->input, weights,
				n * d->batch, d->units, d->input);
	for (size_t b = 0; b < d->batch; b++) {
		int rc = gemm->nt(gemm->ctx, pre + b * chunk * d->units,
				  input + (b * d->time + t0) * d->input, weights, n, d->units,
				  d->input);
		if (rc)
			return rc;
	}
	return HS_OK;
}

int hs_rnn_run(float *output, float *hidden, const float *input,
	       const hs_rnn_dims *d, const float *weights,
	       const float *recurrent, const float *bias, hs_fused_act act,
	       const hs_gemm *gemm)
{
	static const hs_gemm plain = { hs_gemm_nt_plain, NULL };
	if (!gemm)
		gemm = &plain;
	if (!d->time || !d->batch || !d->units)
		return HS_OK;
	size_t chunk = rnn_chunk(d), u = d->units;
	float *pre = malloc(hs_rnn_scratch(d));
	if (!pre)
		return hs_fail(HS_ENOMEM, "out of memory");
	float *rec = pre + chunk * d->batch * u;
	int rc = HS_OK;
	for (size_t t0 = 0; rc == HS_OK && t0 < d->time; t0 += chunk) {
		size_t n = d->time - t0 < chunk ? d->time - t0 : chunk;
		rc = rnn_inputs(pre, chunk, input, d, weights, gemm, t0, n);
		for (size_t dt = 0; rc == HS_OK && dt < n; dt++) {
			size_t t = t0 + dt;
			if ((rc = gemm->nt(gemm->ctx, rec, hidden, recurrent, d->batch, u, u)))
				break;
			for (size_t b = 0; b < d->batch; b++) {
				size_t row = d->time_major ? dt * d->batch + b : b * chunk + dt;
				float *hb = hidden + b * u;
				for (size_t k = 0; k < u; k++)
					hb[k] = pre[row * u + k] + rec[b * u + k] + bias[k];
				hs_fused_act_apply(hb, u, act);
				float *out = d->time_major ? output + (t * d->batch + b) * u
							   : output + (b * d->time + t) * u;
				memcpy(out, hb, u * sizeof *hb);
			}
		}
	}
	free(pre);
	return rc;
}

/* ---------------------------------------------------------------- kernel */

/* The call's arguments (spec §3.1, TFLite's input layout). */
enum { R_INPUT, R_WEIGHTS, R_RECURRENT, R_BIAS, R_HIDDEN, R_COUNT };

static const char *const rnn_arg_names[R_COUNT] = {
	"input", "input_weights", "recurrent_weights", "bias", "hidden_state",
};

static int rnn_arg(const hs_value *const *a, int i, size_t rank, int64_t d0,
		   int64_t d1, int64_t d2)
{
	char what[64];
	snprintf(what, sizeof what, "input %d (%s)", i, rnn_arg_names[i]);
	if (!a[i])
		return hs_fail(HS_EINVAL, "%s is absent", what);
	int64_t dims[3] = { d0, d1, d2 };
	return hs_fused_check(a[i], rank, dims, what);
}

static int rnn_dims(hs_rnn_dims *d, const hs_value *const *a, int time_major)
{
	int rc = rnn_arg(a, R_INPUT, 3, -1, -1, -1);
	if (!rc)
		rc = rnn_arg(a, R_WEIGHTS, 2, -1, a[R_INPUT]->dims[2], -1);
	if (rc)
		return rc;
	const hs_value *x = a[R_INPUT];
	d->time_major = time_major;
	d->time = (size_t)x->dims[time_major ? 0 : 1];
	d->batch = (size_t)x->dims[time_major ? 1 : 0];
	d->input = (size_t)x->dims[2];
	d->units = (size_t)a[R_WEIGHTS]->dims[0];
	int64_t u = (int64_t)d->units;
	if (!(rc = rnn_arg(a, R_RECURRENT, 2, u, u, -1)) &&
	    !(rc = rnn_arg(a, R_BIAS, 1, u, -1, -1)))
		rc = rnn_arg(a, R_HIDDEN, 2, (int64_t)d->batch, u, -1);
	return rc;
}

/* Ports: 0 unused, 1 the output sequence (the call's output 1). */
int hs_kernel_rnn(hs_kctx *k, const hs_node *n, const hs_value *const *in,
		  size_t n_in, hs_value **out, size_t n_out)
{
	const hs_value *a[R_COUNT];
	hs_rnn_dims d;
	hs_fused_act act;
	hs_value *h = NULL, *seq = NULL;
	int time_major;
	int rc = hs_kcheck_outputs(n_out, 2);
	if (!rc)
		rc = hs_stub_args(a, R_COUNT, n, in, n_in);
	if (!rc)
		rc = hs_fused_activation(&act, n, HS_ACT_TANH);
	if (!rc)
		rc = hs_kattr_bool_or(&time_major, n, "time_major", 1);
	if (!rc)
		rc = rnn_dims(&d, a, time_major);
	if (!rc)
		rc = hs_kt_new(&h, k, HS_DT_FLOAT, 2, a[R_HIDDEN]->dims);
	if (!rc) {
		int64_t dims[3] = { a[R_INPUT]->dims[0], a[R_INPUT]->dims[1],
				    (int64_t)d.units };
		rc = hs_kt_new(&seq, k, HS_DT_FLOAT, 3, dims);
	}
	if (!rc)
		rc = hs_kt_reserve(k, hs_rnn_scratch(&d));
	if (!rc && d.time && h->elements) {
		hs_gemm gemm = { hs_fused_gemm, k };
		memcpy(h->data, a[R_HIDDEN]->data, hs_value_size(h));
		rc = hs_rnn_run(seq->data, h->data, a[R_INPUT]->data, &d, a[R_WEIGHTS]->data,
				a[R_RECURRENT]->data, a[R_BIAS]->data, act, &gemm);
	}
	if (!rc)
		rc = hs_fused_unused_port(&out[0], k);
	if (!rc && n_out > 1)
		out[1] = hs_value_ref(seq);
	hs_value_free(h);
	hs_value_free(seq);
	return rc;
}
