/* The evaluating subcommands (run, verify, test-models, IN OUT --verify):
 * shared declarations. */
#ifndef HS_CLI_EVALCLI_H
#define HS_CLI_EVALCLI_H

#include <stddef.h>
#include <stdint.h>

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

/* cli/run.c, cli/verify.c, cli/test_models.c */
int cli_run(int argc, char **argv);
int cli_verify(int argc, char **argv);
int cli_test_models(int argc, char **argv);

#endif
