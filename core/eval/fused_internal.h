/* What the fused-op kernels (fused_lstm.c, fused_rnn.c, conv.c) share
 * with their family table (fused_kernels.c).  Private to libhintstub. */
#ifndef HS_EVAL_FUSED_INTERNAL_H
#define HS_EVAL_FUSED_INTERNAL_H

#include "eval_internal.h"
#include "fused.h"

/* Arguments a stub can have (TFLite's LSTM: 24). */
#define HS_STUB_MAX_ARGS 64

int hs_kernel_conv2d(hs_kctx *k, const hs_node *n, const hs_value *const *in,
		     size_t n_in, hs_value **out, size_t n_out);
int hs_kernel_lstm(hs_kctx *k, const hs_node *n, const hs_value *const *in,
		   size_t n_in, hs_value **out, size_t n_out);
int hs_kernel_rnn(hs_kctx *k, const hs_node *n, const hs_value *const *in,
		  size_t n_in, hs_value **out, size_t n_out);

/* args[i] = the tensor of the call's argument i, NULL when absent, from a
 * stub's inputs in either layout (_tflite_input_indices). */
int hs_stub_args(const hs_value **args, size_t n_args, const hs_node *n,
		 const hs_value *const *in, size_t n_in);
/* Fails unless t is float32 of rank `rank` with dims (-1: any); `what`
 * names it in the message ("input 2 (input_to_forget_weights)"). */
int hs_fused_check(const hs_value *t, size_t rank, const int64_t *dims,
		   const char *what);
/* fused_activation_function, def when absent. */
int hs_fused_activation(hs_fused_act *out, const hs_node *n, hs_fused_act def);
/* A float option (cell_clip...), def when absent. */
int hs_fused_float_attr(float *out, const hs_node *n, const char *key, float def);
/* Conv2D's geometry from node n's attributes (strides, padding,
 * explicit_paddings, dilations, data_format) and the input and filter. */
int hs_conv_geometry_of(hs_conv_geometry *g, const hs_node *n, const hs_value *x,
			const hs_value *f);
/* A new output tensor of the geometry's shape. */
int hs_conv_output(hs_value **out, hs_kctx *k, const hs_conv_geometry *g);
/* hs_gemm's nt through the evaluator's MatMul (kctx: the kernel's). */
int hs_fused_gemm(void *kctx, float *c, const float *a, const float *b, size_t m, size_t n,
		  size_t k);
/* The empty tensor a sequence op's port 0 evaluates to. */
int hs_fused_unused_port(hs_value **out, hs_kctx *k);

#endif
