/* rnn: UnidirectionalSequenceRnn calls as TfLiteRNNCell writes them
 * (TfLiteRNNCell's hint layout), turned into a stub TOCO accepts. */
#include <stdio.h>
#include <string.h>

#include <hintstub/plugin.h>

#include "../options.h"

enum { REQ = HS_ARG_REQUIRED };

/* TFLite UNIDIRECTIONAL_SEQUENCE_RNN inputs. */
static const hs_plugin_arg rnn_inputs[] = {
	{ 0, REQ, HS_AGG_STACK, 0, 0 },  /* input, one per time step */
	{ 1, REQ, HS_AGG_SINGLE, 0, 0 }, /* input_weights */
	{ 2, REQ, HS_AGG_SINGLE, 0, 0 }, /* recurrent_weights */
	{ 3, REQ, HS_AGG_SINGLE, 0, 0 }, /* bias */
	{ 4, REQ, HS_AGG_FIRST, 0, 0 },  /* hidden_state (variable) */
};

/* Port 0 is never written; TOCO reads port 1. */
static const hs_plugin_arg rnn_outputs[] = {
	{ 1, REQ, HS_AGG_STACK, 0, 0 },
};

static const hs_plugin_signature rnn_signatures[] = {
	{ .function = "UnidirectionalSequenceRnn",
	  .level = -1,
	  .flags = HS_SIG_CLOSED,
	  .n_inputs = sizeof rnn_inputs / sizeof rnn_inputs[0],
	  .inputs = rnn_inputs,
	  .n_outputs = sizeof rnn_outputs / sizeof rnn_outputs[0],
	  .outputs = rnn_outputs },
};

typedef struct rnn_state {
	char activation[16];
	int time_major;
} rnn_state;

static const hs_plugin_host *host;

static int rnn_create(void **state_out, const hs_plugin_host *h)
{
	rnn_state *s = h->alloc(sizeof *s);
	if (!s)
		return h->fail(HS_ENOMEM, "out of memory");
	strcpy(s->activation, "TANH");
	s->time_major = 1;
	*state_out = s;
	return HS_OK;
}

static void rnn_destroy(void *state)
{
	host->free(state);
}

static int rnn_set_option(void *state, const char *key, const char *value)
{
	rnn_state *s = state;
	if (strcmp(key, "time_major") == 0)
		return opt_bool(host, &s->time_major, key, value);
	if (strcmp(key, "fused_activation_function") == 0)
		return opt_activation(host, s->activation, value);
	return host->fail(HS_ERULES, "unknown option '%s' (time_major, "
			  "fused_activation_function)", key);
}

static int rnn_emit(void *state, const hs_plugin_host *h, hs_graph *g,
		const hs_call *call, const hs_region *region, hs_node *stub, void *claim)
{
	const rnn_state *s = state;
	int rc = h->node_set_attr_s(stub, "fused_activation_function",
				    opt_str(s->activation));
	if (rc == HS_OK)
		rc = h->node_set_attr_b(stub, "time_major", s->time_major);
	return rc;
}

static const hs_plugin_option rnn_options[] = {
	{ .key = "time_major", .default_value = "true", .help = "inputs are [time, batch, ...]" },
	{ .key = "fused_activation_function", .default_value = "TANH",
	  .help = "NONE, RELU, RELU_N1_TO_1, RELU6, TANH or SIGN_BIT" },
	{ .key = NULL },
};

static const hs_plugin_desc rnn_desc = {
	.abi_major = HS_PLUGIN_ABI_MAJOR,
	.abi_minor = HS_PLUGIN_ABI_MINOR,
	.struct_size = sizeof(hs_plugin_desc),
	.name = "rnn",
	.version = "1.0",
	.description = "UnidirectionalSequenceRnn (TfLiteRNNCell) for TOCO",
	.n_signatures = 1,
	.signatures = rnn_signatures,
	.create = rnn_create,
	.destroy = rnn_destroy,
	.set_option = rnn_set_option,
	.emit = rnn_emit,
	.options = rnn_options,
};

const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *h)
{
	if (h->struct_size < sizeof(hs_plugin_host) || h->version < 2) {
		h->fail(HS_EPLUGIN, "host API too old");
		return NULL;
	}
	host = h;
	return &rnn_desc;
}
