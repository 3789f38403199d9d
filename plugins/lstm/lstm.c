/* lstm: UnidirectionalSequenceLstm calls as TFLiteLSTMCell writes them
 * (its hint layout: doc/plugin-guide.md), turned into a stub TOCO accepts,
 * with the fused op's options as attributes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hintstub/plugin.h>

#include "../options.h"

enum { OPT = HS_ARG_OPTIONAL, REQ = HS_ARG_REQUIRED };

/* TFLite UNIDIRECTIONAL_SEQUENCE_LSTM input layout (20-input form). */
static const hs_plugin_arg lstm_inputs[] = {
	{ 0, REQ, HS_AGG_STACK, 0, 0 },   /* input, one per time step */
	{ 1, OPT, HS_AGG_SINGLE, 0, 0 },  /* input_to_input (absent: CIFG) */
	{ 2, REQ, HS_AGG_SINGLE, 0, 0 },  /* input_to_forget */
	{ 3, REQ, HS_AGG_SINGLE, 0, 0 },  /* input_to_cell */
	{ 4, REQ, HS_AGG_SINGLE, 0, 0 },  /* input_to_output */
	{ 5, OPT, HS_AGG_SINGLE, 0, 0 },  /* recurrent_to_input (CIFG) */
	{ 6, REQ, HS_AGG_SINGLE, 0, 0 },  /* recurrent_to_forget */
	{ 7, REQ, HS_AGG_SINGLE, 0, 0 },  /* recurrent_to_cell */
	{ 8, REQ, HS_AGG_SINGLE, 0, 0 },  /* recurrent_to_output */
	{ 9, OPT, HS_AGG_SINGLE, 0, 0 },  /* cell_to_input (peephole) */
	{ 10, OPT, HS_AGG_SINGLE, 0, 0 }, /* cell_to_forget (peephole) */
	{ 11, OPT, HS_AGG_SINGLE, 0, 0 }, /* cell_to_output (peephole) */
	{ 12, OPT, HS_AGG_SINGLE, 0, 0 }, /* input gate bias (CIFG) */
	{ 13, REQ, HS_AGG_SINGLE, 0, 0 }, /* forget gate bias */
	{ 14, REQ, HS_AGG_SINGLE, 0, 0 }, /* cell bias */
	{ 15, REQ, HS_AGG_SINGLE, 0, 0 }, /* output gate bias */
	{ 16, OPT, HS_AGG_SINGLE, 0, 0 }, /* projection weights */
	{ 17, OPT, HS_AGG_SINGLE, 0, 0 }, /* projection bias (never written) */
	{ 18, REQ, HS_AGG_FIRST, 0, 0 },  /* output state m_prev */
	{ 19, REQ, HS_AGG_FIRST, 0, 0 },  /* cell state c_prev */
};

static const hs_plugin_arg lstm_outputs[] = {
	{ 1, OPT, HS_AGG_LAST, 0, 0 },    /* c, new cell state */
	{ 2, REQ, HS_AGG_STACK, 0, 0 },   /* m, the output sequence */
};

static const hs_plugin_signature lstm_signatures[] = {
	{ .function = "UnidirectionalSequenceLstm",
	  .level = -1,
	  .flags = HS_SIG_CLOSED,
	  .n_inputs = sizeof lstm_inputs / sizeof lstm_inputs[0],
	  .inputs = lstm_inputs,
	  .n_outputs = sizeof lstm_outputs / sizeof lstm_outputs[0],
	  .outputs = lstm_outputs },
};

typedef struct lstm_state {
	char activation[16];
	float cell_clip, proj_clip;
	int time_major;
} lstm_state;

static const hs_plugin_host *host;

static int lstm_create(void **state_out, const hs_plugin_host *h)
{
	lstm_state *s = h->alloc(sizeof *s);
	if (!s)
		return h->fail(HS_ENOMEM, "out of memory");
	memset(s, 0, sizeof *s);
	strcpy(s->activation, "TANH");
	s->time_major = 1;
	*state_out = s;
	return HS_OK;
}

static void lstm_destroy(void *state)
{
	host->free(state);
}

static int lstm_set_option(void *state, const char *key, const char *value)
{
	lstm_state *s = state;
	if (strcmp(key, "cell_clip") == 0)
		return opt_float(host, &s->cell_clip, key, value);
	if (strcmp(key, "proj_clip") == 0)
		return opt_float(host, &s->proj_clip, key, value);
	if (strcmp(key, "time_major") == 0)
		return opt_bool(host, &s->time_major, key, value);
	if (strcmp(key, "fused_activation_function") == 0)
		return opt_activation(host, s->activation, value);
	return host->fail(HS_ERULES, "unknown option '%s' (cell_clip, proj_clip, "
			  "time_major, fused_activation_function)", key);
}

static int has(const hs_call *c, int64_t i)
{
	return host->call_input(c, i) != NULL;
}

/* Group rules the signature cannot express. */
static int lstm_check(void *state, const hs_plugin_host *h, const hs_graph *g,
		const hs_call *call, const hs_region *region,
		size_t sig, char *reason, size_t reason_size, void **claim)
{
	int cifg = !has(call, 1) + !has(call, 5) + !has(call, 12);
	if (cifg != 0 && cifg != 3) {
		snprintf(reason, reason_size,
			 "CIFG inputs 1, 5, 12 must be all present or all absent (input %d %s)",
			 !has(call, 1) ? 1 : !has(call, 5) ? 5 : 12,
			 cifg == 1 ? "missing" : "present");
		return HS_CHECK_DECLINE;
	}
	/* With CIFG there is no input gate, so no input peephole (9). */
	int peep = has(call, 10) + has(call, 11);
	if (peep == 1 || (cifg ? has(call, 9) : peep != 2 * has(call, 9))) {
		snprintf(reason, reason_size, cifg
			 ? "peephole inputs 10, 11 must be both present or both absent, 9 absent (CIFG)"
			 : "peephole inputs 9, 10, 11 must be all present or all absent");
		return HS_CHECK_DECLINE;
	}
	if (has(call, 17) && !has(call, 16)) {
		snprintf(reason, reason_size,
			 "input 17 (projection bias) without input 16 (projection weights)");
		return HS_CHECK_DECLINE;
	}
	return HS_CHECK_CLAIM;
}

static int lstm_emit(void *state, const hs_plugin_host *h, hs_graph *g,
		const hs_call *call, const hs_region *region, hs_node *stub, void *claim)
{
	const lstm_state *s = state;
	hs_str act = { s->activation, strlen(s->activation) };
	int rc = h->node_set_attr_s(stub, "fused_activation_function", act);
	if (rc == HS_OK)
		rc = h->node_set_attr_f(stub, "cell_clip", s->cell_clip);
	if (rc == HS_OK)
		rc = h->node_set_attr_f(stub, "proj_clip", s->proj_clip);
	if (rc == HS_OK)
		rc = h->node_set_attr_b(stub, "time_major", s->time_major);
	return rc;
}

static const hs_plugin_option lstm_options[] = {
	{ .key = "cell_clip", .default_value = "0", .help = "cell state clip (0: none)" },
	{ .key = "proj_clip", .default_value = "0", .help = "projection clip (0: none)" },
	{ .key = "time_major", .default_value = "true", .help = "inputs are [time, batch, ...]" },
	{ .key = "fused_activation_function", .default_value = "TANH",
	  .help = "NONE, RELU, RELU_N1_TO_1, RELU6, TANH or SIGN_BIT" },
	{ .key = NULL },
};

static const hs_plugin_desc lstm_desc = {
	.abi_major = HS_PLUGIN_ABI_MAJOR,
	.abi_minor = HS_PLUGIN_ABI_MINOR,
	.struct_size = sizeof(hs_plugin_desc),
	.name = "lstm",
	.version = "1.0",
	.description = "UnidirectionalSequenceLstm (TFLiteLSTMCell) for TOCO",
	.n_signatures = 1,
	.signatures = lstm_signatures,
	.create = lstm_create,
	.destroy = lstm_destroy,
	.set_option = lstm_set_option,
	.check = lstm_check,
	.emit = lstm_emit,
	.options = lstm_options,
};

const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *h)
{
	if (h->struct_size < sizeof(hs_plugin_host) || h->version < 2) {
		if (h->fail)
			h->fail(HS_EPLUGIN, "host API too old");
		return NULL;
	}
	host = h;
	return &lstm_desc;
}
