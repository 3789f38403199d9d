/* What the fused-op kernels share: TFLite's fused activations, reading a
 * stub's inputs as the call's arguments in either input layout
 * (doc/conversion.md), shape checks, the ops' options. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "fused_internal.h"

static const char *const act_names[] = {
	[HS_ACT_NONE] = "NONE",
	[HS_ACT_RELU] = "RELU",
	[HS_ACT_RELU_N1_TO_1] = "RELU_N1_TO_1",
	[HS_ACT_RELU6] = "RELU6",
	[HS_ACT_TANH] = "TANH",
	[HS_ACT_SIGN_BIT] = "SIGN_BIT",
	[HS_ACT_SIGMOID] = "SIGMOID",
};

int hs_fused_act_parse(hs_fused_act *out, hs_str name)
{
	for (size_t i = 0; i < sizeof act_names / sizeof act_names[0]; i++)
		if (hs_str_eq(name, act_names[i])) {
			*out = (hs_fused_act)i;
			return HS_OK;
		}
	return hs_fail(HS_EINVAL, "unknown fused_activation_function '%.*s' (NONE, RELU, "
		       "RELU_N1_TO_1, RELU6, TANH, SIGN_BIT, SIGMOID)", HS_NAME_ARG(name));
}

static float sigmoidf(float x)
{
	return 1.0f / (1.0f + expf(-x));
}

static float clampf(float x, float lo, float hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

int hs_gemm_nt_plain(void *ctx, float *c, const float *a, const float *b, size_t m,
		     size_t n, size_t k)
{
	(void)ctx;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			float s = 0;
			for (size_t q = 0; q < k; q++)
				s += a[i * k + q] * b[j * k + q];
			c[i * n + j] = s;
		}
	return HS_OK;
}

int hs_fused_gemm(void *kctx, float *c, const float *a, const float *b, size_t m, size_t n,
		  size_t k)
{
	return hs_kt_matmul(kctx, c, a, b, m, n, k, 0, 1);
}

void hs_fused_clip(float *v, size_t n, float limit)
{
	if (limit > 0)
		for (size_t i = 0; i < n; i++)
			v[i] = clampf(v[i], -limit, limit);
}

void hs_fused_act_apply(float *v, size_t n, hs_fused_act act)
{
	for (size_t i = 0; i < n; i++) {
		float x = v[i];
		switch (act) {
		case HS_ACT_NONE: break;
		case HS_ACT_RELU: x = x > 0 ? x : 0; break;
		case HS_ACT_RELU_N1_TO_1: x = clampf(x, -1, 1); break;
		case HS_ACT_RELU6: x = clampf(x, 0, 6); break;
		case HS_ACT_TANH: x = tanhf(x); break;
		case HS_ACT_SIGN_BIT: x = signbit(x) ? 1.0f : 0.0f; break;
		case HS_ACT_SIGMOID: x = sigmoidf(x); break;
		}
		v[i] = x;
	}
}

/* The dense layout (newest TensorFlow, hintstub's default) has one input
 * per index 0..max, absent ones reading the -1 Const, and lists the
 * present ones in _tflite_input_indices, which is then shorter than the
 * inputs; the present layout has the present inputs only, the list as
 * long as they are.  Without the list every input is present at its own
 * index. */
int hs_stub_args(const hs_value **args, size_t n_args, const hs_node *n,
		 const hs_value *const *in, size_t n_in)
{
	int64_t idx[HS_STUB_MAX_ARGS];
	size_t count = 0;
	memset(args, 0, n_args * sizeof *args);
	int rc = hs_kattr_ints(idx, HS_STUB_MAX_ARGS, &count, n, "_tflite_input_indices");
	if (rc == HS_ENOTFOUND) {
		if (n_in > n_args)
			return hs_fail(HS_EINVAL, "%zu inputs, the op takes at most %zu", n_in,
				       n_args);
		for (size_t i = 0; i < n_in; i++)
			args[i] = in[i];
		return HS_OK;
	}
	if (rc < 0)
		return rc;
	if (count > n_in)
		return hs_fail(HS_EINVAL, "_tflite_input_indices lists %zu indices for %zu inputs",
			       count, n_in);
	int dense = count < n_in;
	if (dense && n_in > n_args)
		return hs_fail(HS_EINVAL, "%zu inputs, the op takes at most %zu", n_in, n_args);
	for (size_t i = 0; i < count; i++) {
		if (idx[i] < 0 || (size_t)idx[i] >= (dense ? n_in : n_args) ||
		    (i && idx[i] <= idx[i - 1]))
			return hs_fail(HS_EINVAL, "_tflite_input_indices: index %lld at position "
				       "%zu is out of order or out of range", (long long)idx[i], i);
		args[idx[i]] = in[dense ? (size_t)idx[i] : i];
	}
	return HS_OK;
}

int hs_fused_check(const hs_value *t, size_t rank, const int64_t *dims,
		   const char *what)
{
	if (t->dtype != HS_DT_FLOAT)
		return hs_fail(HS_EINVAL, "%s is %s, expected DT_FLOAT", what,
			       hs_dtype_name(t->dtype));
	int same = t->rank == rank;
	for (size_t i = 0; same && i < rank; i++)
		same = dims[i] < 0 || t->dims[i] == dims[i];
	if (same)
		return HS_OK;
	char got[160], want[160];
	hs_shape_text(got, sizeof got, t->rank, t->dims);
	if (t->rank != rank)
		return hs_fail(HS_EINVAL, "%s has shape %s, expected rank %zu", what, got, rank);
	size_t at = 1;
	want[0] = '[';
	for (size_t i = 0; i < rank && at < sizeof want; i++) {
		if (dims[i] < 0)
			at += (size_t)snprintf(want + at, sizeof want - at, "%s?", i ? "," : "");
		else
			at += (size_t)snprintf(want + at, sizeof want - at, "%s%lld", i ? "," : "",
					       (long long)dims[i]);
	}
	if (at < sizeof want)
		snprintf(want + at, sizeof want - at, "]");
	return hs_fail(HS_EINVAL, "%s has shape %s, expected %s", what, got, want);
}

int hs_fused_activation(hs_fused_act *out, const hs_node *n, hs_fused_act def)
{
	hs_str s;
	int rc = hs_kattr_str(&s, n, "fused_activation_function");
	if (rc == HS_ENOTFOUND) {
		*out = def;
		return HS_OK;
	}
	return rc < 0 ? rc : hs_fused_act_parse(out, s);
}

/* The op's options as the lstm and rnn plugins write them (cell_clip:
 * float); a V0 graph's `_tflite_attr_cell_clip` tensor is read as well. */
int hs_fused_float_attr(float *out, const hs_node *n, const char *key, float def)
{
	int rc = hs_kattr_float(out, n, key);
	if (rc != HS_ENOTFOUND)
		return rc;
	char v0[64];
	snprintf(v0, sizeof v0, "_tflite_attr_%s", key);
	hs_tensor_view v;
	float value;
	rc = hs_node_tensor(&v, n, v0, NULL, 0);
	if (rc == HS_ENOTFOUND) {
		hs_error_clear();
		*out = def;
		return HS_OK;
	}
	if (rc < 0)
		return rc;
	if (v.dtype != HS_DT_FLOAT || v.elements != 1)
		return hs_fail(HS_EINVAL, "attribute '%s' is not one float", v0);
	if ((rc = hs_node_tensor(&v, n, v0, &value, sizeof value)) < 0)
		return rc;
	*out = value;
	return HS_OK;
}

/* Port 0 of the sequence ops is no output of the call (TensorFlow's stubs
 * leave it unused; TOCO reads :1 and :2): an empty tensor, so that a
 * reader of it fails on its shape rather than read a plausible value. */
int hs_fused_unused_port(hs_value **out, hs_kctx *k)
{
	int64_t zero = 0;
	return hs_kt_new(out, k, HS_DT_FLOAT, 1, &zero);
}
