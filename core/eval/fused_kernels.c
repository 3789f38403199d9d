/* The fused-op kernel family: the stubs hintstub writes
 * (UnidirectionalSequenceLstm, UnidirectionalSequenceRnn) and Conv2D.
 * What their kernels share is in fused_util.c, so the modules form no
 * cycle (tests/layers/layers.sh). */
#include <config.h>

#include "fused_internal.h"

/* Sorted by op (strcmp). */
static const hs_kernel_def fused_defs[] = {
	{ "Conv2D", hs_kernel_conv2d },
	{ "UnidirectionalSequenceLstm", hs_kernel_lstm },
	{ "UnidirectionalSequenceRnn", hs_kernel_rnn },
};

const hs_kernel_family hs_kernels_fused = {
	"fused", fused_defs, sizeof fused_defs / sizeof fused_defs[0]
};

