/* The evaluating subcommands (run, verify, test-models, IN OUT --verify):
 * shared declarations. */
#ifndef HS_CLI_EVALCLI_H
#define HS_CLI_EVALCLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "hintstub/hintstub.h"

#define CLI_MAX_RANK 8

/* Exit status of verify: a graph that cannot be evaluated. */
enum { HS_EXIT_CANNOT_EVALUATE = 3 };

/* How values are made for an input given by its shape (tf2onnx's
 * input_get). */
typedef enum cli_fill { CLI_FILL_RANDOM = 0, CLI_FILL_RAMP, CLI_FILL_ZEROS } cli_fill;

/* One input: a tensor name ("x" or "x:0") and either a shape or a .npy
 * file.  Strings are owned (cli_inputs_free). */
typedef struct cli_input {
	char *name;
	char *npy;              /* NULL: values made from the shape */
	size_t rank;
	int64_t dims[CLI_MAX_RANK];
} cli_input;

typedef struct cli_inputs {
	cli_input *v;
	size_t n, cap;
} cli_inputs;

/* Parses NAME=SHAPE (2,1,300 or [2,1,300]; [] a scalar) or NAME=FILE.npy
 * into a new entry of `in`.  Prints the error and returns -1. */
int cli_inputs_add_arg(cli_inputs *in, const char *arg);
/* Appends an entry; takes name and npy (malloc'ed) whatever happens.
 * 0, or -1 out of memory (nothing printed). */
int cli_inputs_push(cli_inputs *in, char *name, char *npy, size_t rank,
		    const int64_t *dims);
void cli_inputs_free(cli_inputs *in);
/* Parses a dimension list "2,1,300" (brackets and spaces allowed) into
 * dims; 0, or -1 when it is not one (nothing printed). */
int cli_parse_shape(size_t *rank, int64_t *dims, const char *text);

/* The tensors fed to one evaluation of a graph: every Placeholder's
 * (values made from its shape and the fill unless given; a
 * PlaceholderWithDefault only when given) and every other given input. */
typedef struct cli_feed {
	char **names;
	hs_value **values;
	size_t n;
} cli_feed;

/* Makes the feed of g (`label` names it in messages) for sample `seed`.
 * An exit status: HS_EXIT_USAGE for an input g lacks or a shape or dtype
 * its Placeholder refuses, HS_EXIT_CANNOT_EVALUATE for an unreadable .npy
 * or a Placeholder whose values cannot be made; errors printed. */
int cli_feed_make(cli_feed *f, const hs_graph *g, const char *label,
		  const cli_inputs *given, cli_fill fill, uint64_t seed);
/* Feeds every tensor of f to ev: an exit status (printed). */
int cli_feed_apply(hs_eval *ev, const cli_feed *f, const char *label);
void cli_feed_free(cli_feed *f);

/* Element i of a dense tensor as a double. */
double cli_element(const hs_value *t, uint64_t i);
/* "float32", "int32", "int64", "bool" (or hs_dtype_name's). */
const char *cli_dtype_text(int dtype);

/* Options of run and verify (and IN OUT --verify, test-models). */
enum {
	CLI_OPT_INPUT = 0x400, CLI_OPT_OUTPUT, CLI_OPT_SEED, CLI_OPT_SAMPLES,
	CLI_OPT_ATOL, CLI_OPT_RTOL, CLI_OPT_FILL, CLI_OPT_VERIFY
};
#define CLI_EVAL_LONG_OPTIONS                                           \
	{ "input", required_argument, NULL, CLI_OPT_INPUT },            \
	{ "output", required_argument, NULL, CLI_OPT_OUTPUT },          \
	{ "seed", required_argument, NULL, CLI_OPT_SEED },              \
	{ "fill", required_argument, NULL, CLI_OPT_FILL }
#define CLI_VERIFY_LONG_OPTIONS                                         \
	CLI_EVAL_LONG_OPTIONS,                                          \
	{ "samples", required_argument, NULL, CLI_OPT_SAMPLES },        \
	{ "atol", required_argument, NULL, CLI_OPT_ATOL },              \
	{ "rtol", required_argument, NULL, CLI_OPT_RTOL }
#define CLI_EVAL_HELP \
	"  -i, --input NAME=SHAPE     feed tensor NAME with values of SHAPE (2,1,300;\n" \
	"                             [] a scalar); default: every Placeholder with\n" \
	"                             its own shape, unknown dimensions 1\n" \
	"  -i, --input NAME=FILE.npy  feed tensor NAME with a NumPy file's array\n" \
	"  -o, --output NAME          compute tensor NAME (repeatable); default: the\n" \
	"                             nodes no one reads (constants and hint\n" \
	"                             identities aside)\n" \
	"      --seed N               seed of the random inputs (default 1)\n" \
	"      --fill KIND            inputs made from a shape: random (uniform in\n" \
	"                             [-1, 1) for floats; default), ramp (1, 2, ...)\n" \
	"                             or zeros\n"
#define CLI_VERIFY_HELP \
	CLI_EVAL_HELP \
	"      --samples K            compare on K input samples (seeds N..N+K-1;\n" \
	"                             default 1)\n" \
	"      --atol A, --rtol R     agree when |converted - original| <= A + R *\n" \
	"                             |original| (default 1e-5, 1e-4)\n"

typedef struct cli_verify_opts {
	cli_inputs inputs;
	char **outputs;           /* --output, in order (owned) */
	size_t n_outputs;
	uint64_t seed;
	unsigned samples;
	double atol, rtol;
	cli_fill fill;
	/* Kernels for ops the evaluator lacks (plugins' evaluate). */
	hs_eval_kernel_fn kernel;
	void *kernel_user;
} cli_verify_opts;

void cli_verify_opts_init(cli_verify_opts *o);
void cli_verify_opts_free(cli_verify_opts *o);
/* 1 handled, 0 not one of CLI_VERIFY_LONG_OPTIONS, -1 usage error
 * (printed). */
int cli_verify_option(cli_verify_opts *o, int opt, const char *arg);

/* The option loop of run, verify and test-models: eval/verify options into
 * vo (-i and -o their short forms when `shorts` has them), plugin options
 * into po, -h prints usage(stdout), any other option of `opts` goes to
 * own(user, c, optarg) (1 handled, -1 usage error).  Returns -1 to go on
 * with the operands from optind, or an exit status (usage errors say
 * "Try 'hintstub CMD --help'"). */
typedef int (*cli_own_option)(void *user, int c, const char *arg);
int cli_eval_options(cli_verify_opts *vo, cli_plugin_opts *po, const char *cmd,
		     const char *shorts, const struct option *opts, void (*usage)(FILE *),
		     cli_own_option own, void *user, int argc, char **argv);

/* One compared output. */
typedef struct cli_output_cmp {
	char *name;
	int dtype;
	size_t rank;
	int64_t dims[HS_TENSOR_MAX_RANK];
	double max_abs, max_rel;  /* max_rel over elements whose original is not 0 */
	double worst_excess;      /* max |b - a| / (atol + rtol |a|): > 1 disagrees */
	uint64_t worst;           /* flat index of that element */
	unsigned worst_sample;
	double worst_a, worst_b;
	uint64_t elements;
	char mismatch[256];       /* non-empty: dtype or shape differ */
	int agree;
} cli_output_cmp;

typedef struct cli_verify_result {
	cli_output_cmp *out;
	size_t n;
	int agree;
	double seconds;
} cli_verify_result;

/* The default outputs of a (the nodes no one reads, Consts, Placeholders,
 * NoOps and hint identities aside) that b has too (b may be NULL): names
 * owned by the caller (cli_names_free). */
int cli_default_outputs(char ***names, size_t *n, const hs_graph *a, const hs_graph *b);
void cli_names_free(char **names, size_t n);

/* Evaluates a and b on the same inputs and compares their outputs.  An
 * exit status: 0 all agree, 1 one does not, 2 usage, 3 a graph cannot be
 * evaluated (errors printed; the result is filled for 0 and 1). */
int cli_verify_graphs(cli_verify_result *r, const hs_graph *a, const char *a_label,
		      const hs_graph *b, const char *b_label, const cli_verify_opts *o);
/* The per-output table and the verdict (stdout), or the JSON document. */
void cli_verify_print(FILE *out, const cli_verify_result *r, const char *a_label,
		      const char *b_label, const cli_verify_opts *o, int json);
/* On stderr: which output disagrees, at which element, by how much. */
void cli_verify_blame(const cli_verify_result *r, const char *a_label, const char *b_label,
		      const cli_verify_opts *o);
void cli_verify_result_free(cli_verify_result *r);

/* Points o's kernel hook at the evaluate callbacks of r's plugins (r may
 * be NULL: no hook). */
void cli_plugin_kernels(cli_verify_opts *o, const hs_registry *r);

/* A JSON string (quoted, escaped) and number (null when not finite: JSON
 * has no infinity or NaN); the command's JSON is small and flat. */
void cli_json_string(FILE *out, const char *s);
void cli_json_number(FILE *out, double v);

/* "[0,2,5]": a flat index within dims. */
char *cli_index_text(char *buf, size_t cap, uint64_t flat, size_t rank, const int64_t *dims);

/* IN OUT --verify: a copy of the graph before the conversion edits it
 * (an exit status, printed), then the comparison with the result: the
 * table on stdout, the verdict's reason on stderr; an exit status. */
int cli_keep_original(hs_graph **orig, const hs_graph *g, const char *in);
int cli_convert_verify(const hs_graph *orig, const hs_graph *converted, const char *in,
		       cli_verify_opts *o, const hs_registry *r);

/* cli/run.c, cli/verify.c, cli/test_models.c */
int cli_run(int argc, char **argv);
int cli_verify(int argc, char **argv);
int cli_test_models(int argc, char **argv);

#endif
