/* hintstub-gen: command-line front end of bench/gen.c. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hintstub-gen KIND [options] [-o FILE]\n"
		"Writes a synthetic frozen GraphDef with OpHint calls (stdout by default).\n"
		"kinds:\n"
		"  lstm    static_rnn over stacked TFLiteLSTMCell layers (UnidirectionalSequenceLstm)\n"
		"  rnn     static_rnn over stacked TfLiteRNNCell layers (UnidirectionalSequenceRnn)\n"
		"  conv    a chain of hinted Conv2D+BiasAdd+Relu calls, 9 nodes each\n"
		"  mixed   conv calls spread through unrelated filler nodes\n"
		"  custom  one call of any function: --function NAME --interior OPS\n"
		"          [--inputs N] [--outputs M] [--stack T]; see hintstub-gen(1)\n"
		"  dynamic tf.lite.experimental.nn.dynamic_rnn (control flow v2, frozen):\n"
		"          a level-2 TfLiteDynamicRnn call around a While whose body\n"
		"          function holds one step of every layer's cell hints\n"
		"options:\n"
		"  --seed N          RNG seed (uuids, weights); same options, same bytes (1)\n"
		"  --layers N        lstm/rnn: stacked cells (2)\n"
		"  --steps N         lstm/rnn: time steps, 1..256 (3)\n"
		"  --units N         lstm/rnn: num_units (8)\n"
		"  --input-depth N   lstm/rnn: input features (8)\n"
		"  --peephole        lstm: peephole weights (inputs 9..11)\n"
		"  --cifg            lstm: coupled input gate, i = 1 - f (inputs 1, 5,\n"
		"                    9, 12 absent)\n"
		"  --proj[=N]        lstm: projection to N units, input 16 (N = units/2)\n"
		"  --forget-bias-in-region F\n"
		"                    lstm: add F to the forget gate inside the region\n"
		"                    (early TFLiteLSTMCell; the fused op drops it)\n"
		"  --weight-scale S  random weights in [-S, S) instead of [-1, 1)\n"
		"  --calls N         conv/mixed: hinted calls (1)\n"
		"  --nodes N         mixed: total node count to reach with filler\n"
		"  --channels N      conv/mixed: channels, 1..64 (4)\n"
		"  --function NAME   conv/mixed: hint function name (" GEN_DEFAULT_CONV_FUNCTION ");\n"
		"                    custom: required\n"
		"  --interior OPS    custom: the ops of the call, comma-separated, in order;\n"
		"                    the first reads input 0, each binary op (Add, Mul, ...)\n"
		"                    also the next input (Sigmoid,Mul is swish)\n"
		"  --inputs N        custom: input hints, 1..64 (1)\n"
		"  --outputs M       custom: output hints, read from the last M ops (1)\n"
		"  --stack T         custom: stacked operands over T steps; the outputs go\n"
		"                    to Packs stack0.. that nothing reads (0: single)\n"
		"dynamic options (also --layers, --steps, --units, --peephole, --proj):\n"
		"  --cell lstm|rnn   TFLiteLSTMCell or TfLiteRNNCell layers (lstm)\n"
		"  --batch B         batch of the time-major input [steps, B, depth] (1)\n"
		"  --depth D         input features, as --input-depth (8)\n"
		"  --stateless       StatelessWhile (TF 1.15) instead of While (TF 1.14)\n"
		"  --bidirectional   bidirectional_dynamic_rnn: fw and bw loops, concat\n"
		"  --head            a user head after the loop (MatMul, `add`) whose\n"
		"                    names clash with the loop body's\n"
		"  --guide           the TFLite LSTM guide's model around the loop: INPUT\n"
		"                    [batch, steps, depth] transposed to time-major, the\n"
		"                    last step's output through softmax to OUTPUT_CLASS\n"
		"  --loops N         N separate dynamic_rnn calls, chained (1)\n"
		"  --nodes N         top-level filler after the loops up to N nodes\n"
		"  -o, --output FILE write to FILE instead of stdout\n"
		"  -q, --quiet       no summary on stderr\n");
}

static int parse_u64(uint64_t *out, const char *text, const char *opt)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-') {
		fprintf(stderr, "hintstub-gen: %s: not a number: '%s'\n", opt, text);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_uint(unsigned *out, const char *text, const char *opt)
{
	uint64_t v;
	if (parse_u64(&v, text, opt) != 0)
		return -1;
	if (v > 1000000) {
		fprintf(stderr, "hintstub-gen: %s: too large: %s\n", opt, text);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* Long options without a short letter. */
enum { OPT_FORGET_BIAS = 0x100, OPT_WEIGHT_SCALE };

static int parse_float(float *out, const char *text, const char *opt)
{
	char *end;
	errno = 0;
	float v = strtof(text, &end);
	if (errno || end == text || *end || v != v || v - v != 0) {
		fprintf(stderr, "hintstub-gen: %s: not a finite number: '%s'\n", opt, text);
		return -1;
	}
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "layers", required_argument, NULL, 'L' },
		{ "steps", required_argument, NULL, 'T' },
		{ "units", required_argument, NULL, 'U' },
		{ "input-depth", required_argument, NULL, 'D' },
		{ "peephole", no_argument, NULL, 'P' },
		{ "cifg", no_argument, NULL, 'g' },
		{ "proj", optional_argument, NULL, 'J' },
		{ "forget-bias-in-region", required_argument, NULL, OPT_FORGET_BIAS },
		{ "weight-scale", required_argument, NULL, OPT_WEIGHT_SCALE },
		{ "calls", required_argument, NULL, 'K' },
		{ "nodes", required_argument, NULL, 'N' },
		{ "channels", required_argument, NULL, 'C' },
		{ "function", required_argument, NULL, 'F' },
		{ "interior", required_argument, NULL, 'I' },
		{ "inputs", required_argument, NULL, 'i' },
		{ "outputs", required_argument, NULL, 'O' },
		{ "stack", required_argument, NULL, 'S' },
		{ "cell", required_argument, NULL, 'c' },
		{ "batch", required_argument, NULL, 'B' },
		{ "depth", required_argument, NULL, 'D' },
		{ "stateless", no_argument, NULL, 'W' },
		{ "bidirectional", no_argument, NULL, 'b' },
		{ "head", no_argument, NULL, 'H' },
		{ "loops", required_argument, NULL, 'l' },
		{ "guide", no_argument, NULL, 'G' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			usage(stdout);
			return 0;
		}
		usage(stderr);
		return 2;
	}
	gen_options o;
	const char *kind = argv[1];
	if (!strcmp(kind, "lstm"))
		gen_options_init(&o, GEN_LSTM);
	else if (!strcmp(kind, "rnn"))
		gen_options_init(&o, GEN_RNN);
	else if (!strcmp(kind, "conv"))
		gen_options_init(&o, GEN_CONV);
	else if (!strcmp(kind, "mixed"))
		gen_options_init(&o, GEN_MIXED);
	else if (!strcmp(kind, "custom"))
		gen_options_init(&o, GEN_CUSTOM);
	else if (!strcmp(kind, "dynamic"))
		gen_options_init(&o, GEN_DYNAMIC);
	else {
		fprintf(stderr, "hintstub-gen: unknown kind '%s' (lstm, rnn, conv, mixed, custom, dynamic)\n", kind);
		return 2;
	}

	const char *output = NULL;
	int quiet = 0, proj = 0, c, bad = 0;
	unsigned proj_units = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 's': bad |= parse_u64(&o.seed, optarg, "--seed"); break;
		case 'L': bad |= parse_uint(&o.layers, optarg, "--layers"); break;
		case 'T': bad |= parse_uint(&o.steps, optarg, "--steps"); break;
		case 'U': bad |= parse_uint(&o.units, optarg, "--units"); break;
		case 'D': bad |= parse_uint(&o.input_depth, optarg, "--input-depth"); break;
		case 'P': o.peephole = 1; break;
		case 'g': o.cifg = 1; break;
		case 'J':
			proj = 1;
			if (optarg)
				bad |= parse_uint(&proj_units, optarg, "--proj");
			break;
		case OPT_WEIGHT_SCALE:
			bad |= parse_float(&o.weight_scale, optarg, "--weight-scale");
			break;
		case OPT_FORGET_BIAS:
			bad |= parse_float(&o.forget_bias, optarg, "--forget-bias-in-region");
			o.forget_bias_in_region = 1;
			break;
		case 'K': bad |= parse_u64(&o.calls, optarg, "--calls"); break;
		case 'N': bad |= parse_u64(&o.nodes, optarg, "--nodes"); break;
		case 'C': bad |= parse_uint(&o.channels, optarg, "--channels"); break;
		case 'F': o.function = optarg; break;
		case 'I': o.interior = optarg; break;
		case 'i': bad |= parse_uint(&o.inputs, optarg, "--inputs"); break;
		case 'O': bad |= parse_uint(&o.outputs, optarg, "--outputs"); break;
		case 'S': bad |= parse_uint(&o.stack, optarg, "--stack"); break;
		case 'c':
			if (!strcmp(optarg, "lstm"))
				o.cell = GEN_CELL_LSTM;
			else if (!strcmp(optarg, "rnn"))
				o.cell = GEN_CELL_RNN;
			else {
				fprintf(stderr, "hintstub-gen: --cell: 'lstm' or 'rnn', not '%s'\n", optarg);
				bad = 1;
			}
			break;
		case 'B': bad |= parse_uint(&o.batch, optarg, "--batch"); break;
		case 'W': o.stateless = 1; break;
		case 'b': o.bidirectional = 1; break;
		case 'H': o.head = 1; break;
		case 'G': o.guide = 1; break;
		case 'l': bad |= parse_uint(&o.loops, optarg, "--loops"); break;
		case 'o': output = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (bad)
		return 2;
	if (optind < argc) {
		fprintf(stderr, "hintstub-gen: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (proj)
		o.num_proj = proj_units ? proj_units : (o.units / 2 ? o.units / 2 : 1);

	char err[256];
	if (gen_check_options(&o, err, sizeof err) != 0) {
		fprintf(stderr, "hintstub-gen: %s\n", err);
		return 2;
	}
	FILE *f = stdout;
	if (output && strcmp(output, "-") != 0) {
		f = fopen(output, "wb");
		if (!f) {
			fprintf(stderr, "hintstub-gen: %s: %s\n", output, strerror(errno));
			return 1;
		}
	}
	static char buf[1 << 16];
	setvbuf(f, buf, _IOFBF, sizeof buf);
	gen_stats st;
	int rc = gen_write(f, &o, &st, err, sizeof err);
	if (f != stdout && fclose(f) != 0 && rc == 0) {
		snprintf(err, sizeof err, "close failed: %s", strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		fprintf(stderr, "hintstub-gen: %s: %s\n", output ? output : "-", err);
		/* A partial regular file is useless; anything else (a device,
		 * a FIFO) is not ours to remove. */
		struct stat sb;
		if (f != stdout && stat(output, &sb) == 0 && S_ISREG(sb.st_mode))
			remove(output);
		return 1;
	}
	if (!quiet)
		fprintf(stderr, "hintstub-gen: %s: %llu nodes, %llu bytes (%.0f B/node), "
			"%llu calls, %llu input hints, %llu output hints\n",
			output ? output : "-", (unsigned long long)st.nodes,
			(unsigned long long)st.bytes,
			st.nodes ? (double)st.bytes / (double)st.nodes : 0.0,
			(unsigned long long)st.calls, (unsigned long long)st.input_hints,
			(unsigned long long)st.output_hints);
	if (!quiet && st.functions)
		fprintf(stderr, "hintstub-gen: %s: library: %llu functions, %llu nodes\n",
			output ? output : "-", (unsigned long long)st.functions,
			(unsigned long long)st.function_nodes);
	return 0;
}
