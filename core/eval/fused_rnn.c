/* UNIDIRECTIONAL_SEQUENCE_RNN as TFLite's float kernel computes it: per
 * step h = act(W x + R h + b), h the step's output. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fused_internal.h"

static void rnn_step(float *out, size_t out_stride, float *h, const float *x,
		     size_t x_stride, const hs_rnn_dims *d, const float *weights,
		     const float *recurrent, const float *bias, hs_fused_act act,
		     float *next)
{
	for (size_t b = 0; b < d->batch; b++) {
		const float *xb = x + b * x_stride, *hb = h + b * d->units;
		float *nb = next + b * d->units;
		for (size_t u = 0; u < d->units; u++) {
			const float *wu = weights + u * d->input;
			const float *ru = recurrent + u * d->units;
			float s = bias[u];
			for (size_t k = 0; k < d->input; k++)
				s += wu[k] * xb[k];
			for (size_t k = 0; k < d->units; k++)
				s += ru[k] * hb[k];
			nb[u] = s;
		}
	}
	hs_fused_act_apply(next, d->batch * d->units, act);
	memcpy(h, next, d->batch * d->units * sizeof *h);
	for (size_t b = 0; b < d->batch; b++)
		memcpy(out + b * out_stride, h + b * d->units, d->units * sizeof *h);
}

int hs_rnn_run(float *output, float *hidden, const float *input,
	       const hs_rnn_dims *d, const float *weights,
	       const float *recurrent, const float *bias, hs_fused_act act)
{
	float *next = calloc(d->batch * d->units + 1, sizeof *next);
	if (!next)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (size_t t = 0; t < d->time; t++) {
		if (d->time_major)
			rnn_step(output + t * d->batch * d->units, d->units, hidden,
				 input + t * d->batch * d->input, d->input, d, weights,
				 recurrent, bias, act, next);
		else
			rnn_step(output + t * d->units, d->time * d->units, hidden,
				 input + t * d->input, d->time * d->input, d, weights,
				 recurrent, bias, act, next);
	}
	free(next);
	return HS_OK;
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
		rc = hs_kt_reserve(k, d.batch * d.units * sizeof(float));
	if (!rc && d.time && h->elements) {
		memcpy(h->data, a[R_HIDDEN]->data, hs_value_size(h));
		rc = hs_rnn_run(seq->data, h->data, a[R_INPUT]->data, &d,
				a[R_WEIGHTS]->data, a[R_RECURRENT]->data, a[R_BIAS]->data, act);
	}
	if (!rc)
		rc = hs_fused_unused_port(&out[0], k);
	if (!rc && n_out > 1)
		out[1] = hs_value_ref(seq);
	hs_value_free(h);
	hs_value_free(seq);
	return rc;
}
