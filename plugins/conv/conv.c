/* conv: the custom convolution of the TFLite OpHint guide.  A hinted
 * region whose interior is Conv2D -> BiasAdd -> activation becomes one
 * stub carrying the convolution's attributes and the fused activation.
 * The function name is a rule option (`option conv.function = NAME`). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <hintstub/plugin.h>


static const hs_plugin_signature conv_signatures[] = {
	{ .function = "CustomConv2D", .level = -1 },
};

static const hs_plugin_host *host;

/* Activations TFLite can fuse into a convolution, with the encoded
 * AttrValue { s: NAME } written onto the stub (field 2, length, bytes):
 * copying ready bytes is the cheapest attribute write there is. */
static const struct {
	const char *op;
	hs_str encoded;
} activations[] = {
	{ "Relu", { "\x12\x04RELU", 6 } },
	{ "Relu6", { "\x12\x05RELU6", 7 } },
	{ "Tanh", { "\x12\x04TANH", 6 } },
};
static const hs_str no_activation = { "\x12\x04NONE", 6 };

/* NULL when op is not a fusable activation. */
static const hs_str *fused_encoding(hs_str op)
{
	for (size_t i = 0; i < sizeof activations / sizeof activations[0]; i++)
		if (host->str_eq(op, activations[i].op))
			return &activations[i].encoded;
	return NULL;
}

typedef struct chain {
	const hs_node *conv, *bias, *act; /* act NULL: no activation */
} chain;

/* Ops that may sit in the region besides the chain. */
static int is_passive(hs_str op)
{
	return host->str_eq(op, "Const") || host->str_eq(op, "Identity");
}

static int reads(const hs_node *n, const hs_node *producer)
{
	int port;
	return host->node_input_count(n) > 0 &&
	       host->node_input_node(n, 0, &port) == producer && port == 0;
}

/* Finds the chain in the interior; on failure writes why. */
static int find_chain(chain *c, const hs_region *region, char *why, size_t size)
{
	memset(c, 0, sizeof *c);
	size_t n_nodes = host->region_node_count(region);
	for (size_t i = 0; i < n_nodes; i++) {
		const hs_node *n = host->region_node(region, i);
		hs_str op = host->node_op(n);
		const hs_node **slot = NULL;
		if (host->str_eq(op, "Conv2D"))
			slot = &c->conv;
		else if (host->str_eq(op, "BiasAdd"))
			slot = &c->bias;
		else if (fused_encoding(op))
			slot = &c->act;
		else if (is_passive(op))
			continue;
		if (host->str_eq(op, "Sign")) {
			/* TFLite's SIGN_BIT is 1 for negative numbers, else 0:
			 * fusing it would change TensorFlow's -1, 0, 1. */
			snprintf(why, size, "interior op 'Sign' has no fused TFLite "
				 "activation (SIGN_BIT is the sign bit, not -1, 0, 1)");
			return 0;
		}
		if (!slot) {
			snprintf(why, size, "interior op '%.*s' not allowed (Conv2D, BiasAdd, "
				 "Relu, Relu6, Tanh, Const, Identity)",
				 (int)op.len, op.ptr);
			return 0;
		}
		if (*slot) {
			snprintf(why, size, "interior has more than one '%.*s'",
				 (int)op.len, op.ptr);
			return 0;
		}
		*slot = n;
	}
	if (!c->conv || !c->bias) {
		snprintf(why, size, "interior has no %s", c->conv ? "BiasAdd" : "Conv2D");
		return 0;
	}
	if (!reads(c->bias, c->conv)) {
		snprintf(why, size, "BiasAdd does not read Conv2D");
		return 0;
	}
	if (c->act && !reads(c->act, c->bias)) {
		snprintf(why, size, "activation does not read BiasAdd");
		return 0;
	}
	return 1;
}

/* The chain check found travels to emit as the claim (freed by the host
 * with host->free): emit does not search the region again. */
static int conv_check(void *state, const hs_plugin_host *h, const hs_graph *g,
		const hs_call *call, const hs_region *region,
		size_t sig, char *reason, size_t reason_size, void **claim)
{
	chain c;
	if (!find_chain(&c, region, reason, reason_size))
		return HS_CHECK_DECLINE;
	chain *found = h->alloc(sizeof *found);
	if (!found)
		return h->fail(HS_ENOMEM, "out of memory");
	*found = c;
	*claim = found;
	return HS_CHECK_CLAIM;
}

static int conv_emit(void *state, const hs_plugin_host *h, hs_graph *g,
		const hs_call *call, const hs_region *region, hs_node *stub, void *claim)
{
	/* In Conv2D's order: the host shares equal attribute lists between
	 * stubs whatever order they are set in. */
	static const char *const copied[] = { "strides", "padding", "dilations",
					      "data_format", "explicit_paddings" };
	chain c;
	char why[256];
	if (claim)
		c = *(const chain *)claim;
	else if (!find_chain(&c, region, why, sizeof why))
		return h->fail(HS_EPLUGIN, "%s", why);
	enum { N_COPIED = sizeof copied / sizeof copied[0] };
	hs_attr attrs[N_COPIED];
	int found[N_COPIED];
	int rc = h->node_attrs(attrs, found, c.conv, copied, N_COPIED);
	for (size_t i = 0; rc == HS_OK && i < N_COPIED; i++)
		if (found[i])
			rc = h->node_set_attr_raw(stub, copied[i], attrs[i].raw);
	if (rc != HS_OK)
		return rc;
	const hs_str *act = c.act ? fused_encoding(h->node_op(c.act)) : &no_activation;
	return h->node_set_attr_raw(stub, "fused_activation_function", *act);
}

/* ------------------------------------------------------------ evaluate */

/* The stub's reference semantics: Conv2D with the attributes emit copied,
 * BiasAdd along the channel axis (the same data_format), then the fused
 * activation, each a built-in kernel of the evaluator but SIGN_BIT, which
 * TFLite defines as the sign bit (1 for negative numbers and -0, else 0). */
static const struct {
	const char *name, *op;
} act_ops[] = {
	{ "NONE", NULL }, { "RELU", "Relu" }, { "RELU6", "Relu6" }, { "TANH", "Tanh" },
	{ "SIGN_BIT", NULL },
};

/* Index into act_ops of the stub's activation, or -1: not a stub of ours
 * (a generic stub of the same function carries no padding). */
static int our_stub(const hs_plugin_host *h, const hs_node *n)
{
	static const char *const keys[] = { "padding", "fused_activation_function" };
	hs_attr a[2];
	int found[2];
	if (h->node_attrs(a, found, n, keys, 2) != HS_OK || !found[0] || !found[1] ||
	    a[1].kind != HS_ATTR_S)
		return -1;
	for (int i = 0; i < (int)(sizeof act_ops / sizeof act_ops[0]); i++)
		if (h->str_eq(a[1].v.s, act_ops[i].name))
			return i;
	return -1;
}

static void sign_bit(hs_value *v)
{
	float *f = v->data;
	for (uint64_t i = 0; i < v->elements; i++)
		f[i] = signbit(f[i]) ? 1.0f : 0.0f;
}

static int conv_evaluate(void *state, const hs_plugin_host *h, const hs_plugin_eval *e)
{
	int act = our_stub(h, e->node);
	if (act < 0 || e->n_in != 3)
		return HS_ENOTFOUND;
	if (e->n_out > 1)
		return h->fail(HS_EINVAL, "output %zu is read, the op has 1 output", e->n_out - 1);
	hs_value *conv = NULL, *biased = NULL;
	int rc = e->builtin("Conv2D", e->node, e->in, 2, &conv, 1);
	if (rc == HS_OK) {
		const hs_value *bias_in[2] = { conv, e->in[2] };
		rc = e->builtin("BiasAdd", e->node, bias_in, 2, &biased, 1);
	}
	e->value_free(conv);
	if (rc != HS_OK)
		return rc;
	if (act_ops[act].op) {
		const hs_value *act_in[1] = { biased };
		rc = e->builtin(act_ops[act].op, e->node, act_in, 1, &e->out[0], 1);
		e->value_free(biased);
		return rc;
	}
	/* biased is ours alone (just made): safe to write. */
	if (strcmp(act_ops[act].name, "SIGN_BIT") == 0)
		sign_bit(biased);
	e->out[0] = biased;
	return HS_OK;
}

static const hs_plugin_desc conv_desc = {
	.abi_major = HS_PLUGIN_ABI_MAJOR,
	.abi_minor = HS_PLUGIN_ABI_MINOR,
	.struct_size = sizeof(hs_plugin_desc),
	.name = "conv",
	.version = "1.0",
	.description = "Conv2D -> BiasAdd -> activation regions (OpHint guide's custom conv)",
	.n_signatures = 1,
	.signatures = conv_signatures,
	.check = conv_check,
	.emit = conv_emit,
	.evaluate = conv_evaluate,
};

const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *h)
{
	if (h->struct_size < sizeof(hs_plugin_host) || h->version < 2) {
		h->fail(HS_EPLUGIN, "host API too old");
		return NULL;
	}
	host = h;
	return &conv_desc;
}
