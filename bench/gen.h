/* hintstub-gen: writes synthetic frozen GraphDefs carrying OpHint calls,
 * shaped like the graphs TensorFlow 1.x writes (see tests/data/ophint_lstm).
 * Used by the benchmarks and by tests/check_gen.c.
 *
 * The output is streamed: one NodeDef is encoded at a time and written as a
 * GraphDef `node` field, so memory stays constant whatever the node count.
 * The bytes depend only on the options (seeded RNG, no clock, no host
 * byte order). */
#ifndef HS_BENCH_GEN_H
#define HS_BENCH_GEN_H

#include <stdint.h>
#include <stdio.h>

typedef enum gen_kind {
	GEN_LSTM = 0,  /* static_rnn over stacked TFLiteLSTMCell layers */
	GEN_RNN = 1,   /* static_rnn over stacked TfLiteRNNCell layers */
	GEN_CONV = 2,  /* a chain of hinted Conv2D+BiasAdd+Relu calls */
	GEN_MIXED = 3, /* conv calls spread through unrelated filler nodes */
	GEN_CUSTOM = 4, /* one call of any function over a chain of given ops */
	GEN_DYNAMIC = 5 /* tf.lite.experimental.nn.dynamic_rnn: While + library */
} gen_kind;

typedef enum gen_cell {
	GEN_CELL_LSTM = 0, /* TFLiteLSTMCell */
	GEN_CELL_RNN = 1   /* TfLiteRNNCell */
} gen_cell;

#define GEN_DEFAULT_CONV_FUNCTION "CustomConv2D"

typedef struct gen_options {
	gen_kind kind;
	uint64_t seed;
	/* lstm / rnn */
	unsigned layers;       /* stacked cells, default 2 */
	unsigned steps;        /* time steps, default 3 */
	unsigned units;        /* num_units, default 8 */
	unsigned input_depth;  /* last dim of the input, default 8 */
	int peephole;          /* lstm: inputs 9..11 */
	unsigned num_proj;     /* lstm: input 16 when non-zero */
	int cifg;              /* lstm: coupled input gate i = 1 - f (no inputs
				  1, 5, 9, 12) */
	/* lstm: the early TFLiteLSTMCell layout, `forget_bias` added to the
	 * forget gate inside the region (a Const the fused op drops) */
	int forget_bias_in_region;
	float forget_bias;
	/* random weights in [-S, S) (0: 1); small S keeps a wide, long LSTM
	 * out of the chaotic regime where rounding decides the result */
	float weight_scale;
	/* conv / mixed */
	uint64_t calls;        /* hinted calls, default 1 */
	uint64_t nodes;        /* mixed: target total node count */
	unsigned channels;     /* conv channels, default 4 */
	const char *function;  /* conv/custom function name, default above */
	/* custom */
	const char *interior;  /* comma-separated ops of the chain, e.g. "Sigmoid,Mul" */
	unsigned inputs;       /* input hints, default 1 */
	unsigned outputs;      /* output hints, default 1 (at most the ops) */
	unsigned stack;        /* 0: single operands; T: stacked over T steps */
	/* dynamic (also layers, steps, units, input_depth, peephole,
	 * num_proj; nodes: filler to reach this top-level node count) */
	gen_cell cell;         /* default lstm */
	unsigned batch;        /* batch size of the time-major input, default 1 */
	unsigned loops;        /* separate dynamic_rnn calls, chained, default 1 */
	int stateless;         /* StatelessWhile (TF 1.15) instead of While (1.14) */
	int bidirectional;     /* bidirectional_dynamic_rnn: fw and bw loops */
	int head;              /* a user head whose names clash with body names */
	int guide;             /* the TFLite LSTM guide's model: batch-major input
				* transposed, softmax of the last step */
} gen_options;

/* Fills the defaults above for `kind`. */
void gen_options_init(gen_options *o, gen_kind kind);

typedef struct gen_stats {
	uint64_t nodes;
	uint64_t bytes;
	uint64_t calls;
	uint64_t input_hints;
	uint64_t output_hints;
	uint64_t functions;      /* FunctionDefs in GraphDef.library */
	uint64_t function_nodes; /* their node_defs (not in `nodes`) */
} gen_stats;

/* Checks the options without writing anything: 0, or -1 with a message. */
int gen_check_options(const gen_options *o, char *err, size_t errlen);

/* Writes the graph to `out`.  Returns 0, or -1 with a message in
 * err[0..errlen) on invalid options or a write error.  stats may be NULL. */
int gen_write(FILE *out, const gen_options *o, gen_stats *stats,
	      char *err, size_t errlen);

#endif
