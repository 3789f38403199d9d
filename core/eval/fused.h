/* The fused ops' arithmetic, over plain float arrays: what TFLite's
 * UNIDIRECTIONAL_SEQUENCE_LSTM and _RNN kernels and TensorFlow's Conv2D
 * compute (float path).  No tensors, nodes or attributes here: the kernels
 * (fused_kernels.c) read those and call these; the tests call them
 * directly: they are exported from the shared library for the tests
 * (tests/eval/check_fused_*.c), though no public header declares them.
 * Not API. */
#ifndef HS_EVAL_FUSED_H
#define HS_EVAL_FUSED_H

#include <stddef.h>
#include <stdint.h>

#include "hintstub/graph.h"

/* TFLite's ActivationFunctionType, plus the sigmoid its kernels use
 * inside (TfLiteFusedActivation). */
typedef enum hs_fused_act {
	HS_ACT_NONE = 0,
	HS_ACT_RELU = 1,
	HS_ACT_RELU_N1_TO_1 = 2,
	HS_ACT_RELU6 = 3,
	HS_ACT_TANH = 4,
	HS_ACT_SIGN_BIT = 5, /* 1 where the sign bit is set (-0 too), else 0 */
	HS_ACT_SIGMOID = 6
} hs_fused_act;

/* "TANH" -> HS_ACT_TANH ...; HS_EINVAL (with a message listing the names)
 * for any other text. */
HS_EXTERN int hs_fused_act_parse(hs_fused_act *out, hs_str name);
HS_EXTERN void hs_fused_act_apply(float *v, size_t n, hs_fused_act act);
/* limit > 0: clamps v to [-limit, limit] (TFLite's cell and projection
 * clips); 0 leaves it. */
void hs_fused_clip(float *v, size_t n, float limit);

/* Matrix products the sequence ops make: c[m][n] = a[m][k] b[n][k]^T
 * (every element a dot product of two rows; c overwritten). */
typedef struct hs_gemm {
	int (*nt)(void *ctx, float *c, const float *a, const float *b, size_t m,
		  size_t n, size_t k);
	void *ctx;
} hs_gemm;

/* The plain loop (ctx unused), what a NULL hs_gemm means. */
HS_EXTERN int hs_gemm_nt_plain(void *ctx, float *c, const float *a, const float *b,
			       size_t m, size_t n, size_t k);

/* ------------------------------------------------------------------ LSTM */

/* Gate order everywhere: input, forget, cell, output. */
enum { HS_GATE_INPUT, HS_GATE_FORGET, HS_GATE_CELL, HS_GATE_OUTPUT, HS_GATES };

typedef struct hs_lstm_dims {
	size_t time, batch;
	size_t input;   /* features of one step */
	size_t cell;    /* num_units */
	size_t output;  /* num_proj when projecting, else cell */
	int time_major; /* input/output [time, batch, .] else [batch, time, .] */
} hs_lstm_dims;

typedef struct hs_lstm_weights {
	const float *input_to[HS_GATES];     /* [cell][input]; [INPUT] NULL: CIFG */
	const float *recurrent_to[HS_GATES]; /* [cell][output]; NULL with CIFG */
	const float *cell_to[HS_GATES];      /* peepholes [cell] or NULL ([CELL] unused) */
	const float *bias[HS_GATES];         /* [cell]; [INPUT] NULL with CIFG */
	const float *projection;             /* [output][cell] or NULL */
	const float *projection_bias;        /* [output] or NULL */
} hs_lstm_weights;

typedef struct hs_lstm_params {
	hs_fused_act activation; /* of the cell gate and of the cell output */
	float cell_clip;         /* > 0: the cell state is clipped to +-cell_clip */
	float proj_clip;         /* > 0: the projection is clipped to +-proj_clip */
} hs_lstm_params;

/* Runs the whole sequence.  output_state [batch][output] and cell_state
 * [batch][cell] hold the initial states on entry and the last ones on
 * return; output receives every step's output (time x batch x output, in
 * the layout d->time_major says).  gemm NULL: plain loops.  HS_ENOMEM. */
HS_EXTERN int hs_lstm_run(float *output, float *output_state, float *cell_state,
		const float *input, const hs_lstm_dims *d,
		const hs_lstm_weights *w, const hs_lstm_params *p, const hs_gemm *gemm);
/* Bytes of scratch hs_lstm_run allocates (for the memory limit). */
size_t hs_lstm_scratch(const hs_lstm_dims *d, int cifg);

/* ------------------------------------------------------------------- RNN */

typedef struct hs_rnn_dims {
	size_t time, batch, input, units;
	int time_major;
} hs_rnn_dims;

/* h_t = act(input_weights x_t + recurrent_weights h_{t-1} + bias), each
 * step's h_t the output.  hidden [batch][units] holds h_0 on entry and the
 * last state on return; weights [units][input], recurrent [units][units],
 * bias [units]. */
HS_EXTERN int hs_rnn_run(float *output, float *hidden, const float *input,
	       const hs_rnn_dims *d, const float *weights,
	       const float *recurrent, const float *bias, hs_fused_act act,
	       const hs_gemm *gemm);
/* Bytes of scratch hs_rnn_run allocates. */
size_t hs_rnn_scratch(const hs_rnn_dims *d);

/* ----------------------------------------------------------------- Conv2D */

typedef enum hs_conv_padding {
	HS_PAD_SAME,
	HS_PAD_VALID,
	HS_PAD_EXPLICIT
} hs_conv_padding;

typedef struct hs_conv_geometry {
	int nchw;                /* data layout of input and output */
	int64_t batch, in_h, in_w, in_c;
	int64_t filter_h, filter_w, filter_in, out_c; /* filter [h][w][in][out] */
	int64_t stride_h, stride_w, dilation_h, dilation_w;
	hs_conv_padding padding;
	int64_t pad_top, pad_bottom, pad_left, pad_right; /* EXPLICIT: given */
	/* Filled by hs_conv_plan: */
	int64_t out_h, out_w;
	int64_t groups;          /* in_c / filter_in */
} hs_conv_geometry;

/* Checks the geometry and computes out_h, out_w, groups and (SAME,
 * VALID) the paddings, as TensorFlow does.  HS_EINVAL with a message for
 * what TensorFlow refuses. */
HS_EXTERN int hs_conv_plan(hs_conv_geometry *g);

/* out [batch][out_h][out_w][out_c] (NCHW: [batch][out_c][out_h][out_w])
 * = the convolution of in by filter; out is overwritten. */
HS_EXTERN void hs_conv_run(float *out, const float *in, const float *filter,
		 const hs_conv_geometry *g);

/* The same through products (gemm, as the sequence ops): patches
 * unrolled a chunk of positions at a time; grouped convolutions take
 * hs_conv_run.  HS_ENOMEM. */
HS_EXTERN int hs_conv_run_gemm(float *out, const float *in, const float *filter,
			       const hs_conv_geometry *g, const hs_gemm *gemm);
/* Bytes of scratch hs_conv_run_gemm allocates. */
size_t hs_conv_scratch(const hs_conv_geometry *g);

/* Adds bias[out_c] along the channel axis of out, then applies act. */
HS_EXTERN void hs_conv_bias_act(float *out, const float *bias, const hs_conv_geometry *g,
		      hs_fused_act act);

#endif
