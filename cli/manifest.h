/* The model manifest of `hintstub test-models` (cli/manifest.c): the YAML
 * layout of tf2onnx's run_pretrained_models.py, read with libyaml.
 *
 *   lstm-fixture:                 # a model name: one test
 *     model: ophint_lstm.pb       # relative to the manifest's directory
 *     inputs:                     # tensor name -> shape list or .npy path
 *       "INPUT:0": [1, 3, 8]
 *     outputs: [OUTPUT:0]
 *     input_get: get_random       # get_random (default), get_ramp, get_zeros
 *     plugins: lstm,rnn           # hintstub's own keys: plugins (or a list,
 *     rules: my.rules             #   [] for none), rules, atol, rtol and
 *     atol: 1e-5                  #   fused_calls (how many calls must
 *     fused_calls: 2              #   convert)
 *     disabled: false
 */
#ifndef HS_CLI_MANIFEST_H
#define HS_CLI_MANIFEST_H

#include "evalcli.h"

typedef struct cli_model {
	char *name;
	unsigned long line, col;  /* where the model's key is, 1-based */
	char *model;              /* the graph's path, resolved */
	cli_inputs inputs;        /* .npy paths resolved */
	char **outputs;
	size_t n_outputs;
	cli_fill fill;
	char *plugins;            /* NULL: the command's; "" none */
	char *rules;              /* NULL: the command's; resolved */
	double atol, rtol;        /* < 0: the command's */
	long long fused_calls;    /* < 0: not checked */
	int disabled;
} cli_model;

typedef struct cli_manifest {
	cli_model *models;
	size_t n;
} cli_manifest;

/* Reads the manifest at `path`.  0, or -1 with "PATH:LINE:COL: message" in
 * err (nothing to free then). */
int cli_manifest_load(cli_manifest *out, const char *path, char *err, size_t errlen);
void cli_manifest_free(cli_manifest *m);

#endif
