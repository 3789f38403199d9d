/* myswish: a copy-me hintstub plugin.  Copy this directory, rename
 * `myswish` (file, descriptor name, rule file) and `MySwish` (the OpHint
 * function), and change the four marked places: the signature, the
 * options, check and emit (and the fifth, evaluate, if you keep it).  `make check` builds it against the hintstub
 * that pkg-config finds and converts a graph made by hintstub-gen.
 *
 * As it stands it claims calls of the OpHint function "MySwish" with one
 * input and one output whose region computes x * sigmoid(x) (a Sigmoid
 * and a Mul), and gives their stub the attribute `beta` (a rule option,
 * default 1.0); its evaluate says what that op computes, x * sigmoid(beta
 * x), so that `hintstub verify` can check a conversion.  It uses the host
 * table only (and what evaluate is handed), so it does not link
 * libhintstub and loads into any host of table version 2 or later. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hintstub/hintstub.h>
#include <hintstub/plugin.h>

/* 1. The signature: the function and the boundary the call must have. */
static const hs_plugin_arg myswish_inputs[] = {
	{ .index = 0, .flags = HS_ARG_REQUIRED, .aggregation = HS_AGG_ANY },
};
static const hs_plugin_arg myswish_outputs[] = {
	{ .index = 0, .flags = HS_ARG_REQUIRED, .aggregation = HS_AGG_ANY },
};
static const hs_plugin_signature myswish_signatures[] = {
	{ .function = "MySwish", .level = -1,
	  .n_inputs = 1, .inputs = myswish_inputs,
	  .n_outputs = 1, .outputs = myswish_outputs },
};

/* 2. Options (`option myswish.beta = 1.5` in a rule file), per registry. */
typedef struct myswish {
	float beta;
} myswish;

static const hs_plugin_host *host;

static int myswish_create(void **state, const hs_plugin_host *h)
{
	myswish *m = h->alloc(sizeof *m);
	if (!m)
		return h->fail(HS_ENOMEM, "out of memory");
	m->beta = 1.0f;
	*state = m;
	return HS_OK;
}

static void myswish_destroy(void *state)
{
	host->free(state);
}

static int myswish_set_option(void *state, const char *key, const char *value)
{
	myswish *m = state;
	if (strcmp(key, "beta") != 0)
		return host->fail(HS_ERULES, "unknown option '%s' (beta)", key);
	char *end;
	float v = strtof(value, &end);
	if (*end || end == value || !(v > 0))
		return host->fail(HS_ERULES, "beta must be a positive number, got '%s'", value);
	m->beta = v;
	return HS_OK;
}

static int region_has(const hs_plugin_host *h, const hs_region *region, const char *op)
{
	for (size_t i = 0; i < h->region_node_count(region); i++)
		if (h->str_eq(h->node_op(h->region_node(region, i)), op))
			return 1;
	return 0;
}

/* 3. Check: what the boundary cannot say.  Must not edit the graph. */
static int myswish_check(void *state, const hs_plugin_host *h, const hs_graph *g,
			 const hs_call *call, const hs_region *region, size_t sig,
			 char *reason, size_t reason_size, void **claim)
{
	(void)state;
	(void)g;
	(void)call;
	(void)sig;
	(void)claim; /* nothing to carry to emit: see the plugin guide */
	const char *missing = !region_has(h, region, "Sigmoid") ? "Sigmoid"
			      : !region_has(h, region, "Mul")   ? "Mul"
								: NULL;
	if (!missing)
		return HS_CHECK_CLAIM;
	snprintf(reason, reason_size, "region has no %s", missing);
	return HS_CHECK_DECLINE;
}

/* 4. Emit: the host built the stub (op MySwish, inputs wired); add what
 * the runtime needs. */
static int myswish_emit(void *state, const hs_plugin_host *h, hs_graph *g,
			const hs_call *call, const hs_region *region, hs_node *stub,
			void *claim)
{
	const myswish *m = state;
	(void)g;
	(void)call;
	(void)region;
	(void)claim;
	return h->node_set_attr_f(stub, "beta", m->beta);
}

/* 5. Evaluate (optional, ABI 2.1): the stub's reference semantics, made
 * of the evaluator's own kernels.  A generic MySwish stub (a declined
 * call) has no `beta`: not ours. */
static int myswish_evaluate(void *state, const hs_plugin_host *h, const hs_plugin_eval *e)
{
	hs_attr beta;
	(void)state;
	if (!h->str_eq(h->node_op(e->node), "MySwish") ||
	    h->node_attr(&beta, e->node, "beta") != HS_OK)
		return HS_ENOTFOUND;
	if (e->n_in != 1 || e->n_out != 1)
		return h->fail(HS_EINVAL, "MySwish takes 1 input and has 1 output");
	hs_value *b = NULL, *bx = NULL, *s = NULL;
	int rc = e->value_new(&b, 1 /* DT_FLOAT */, 0, NULL);
	if (rc == HS_OK) {
		*(float *)b->data = beta.v.f;
		const hs_value *in[2] = { e->in[0], b };
		rc = e->builtin("Mul", e->node, in, 2, &bx, 1);
	}
	if (rc == HS_OK) {
		const hs_value *in[1] = { bx };
		rc = e->builtin("Sigmoid", e->node, in, 1, &s, 1);
	}
	if (rc == HS_OK) {
		const hs_value *in[2] = { e->in[0], s };
		rc = e->builtin("Mul", e->node, in, 2, &e->out[0], 1);
	}
	e->value_free(b);
	e->value_free(bx);
	e->value_free(s);
	return rc;
}

static const hs_plugin_desc myswish_desc = {
	.abi_major = HS_PLUGIN_ABI_MAJOR,
	.abi_minor = HS_PLUGIN_ABI_MINOR,
	.struct_size = sizeof(hs_plugin_desc),
	.name = "myswish",           /* must match the file name myswish.so */
	.version = "1.0",
	.description = "template: MySwish regions computing x * sigmoid(x)",
	.n_signatures = 1,
	.signatures = myswish_signatures,
	.create = myswish_create,
	.destroy = myswish_destroy,
	.set_option = myswish_set_option,
	.check = myswish_check,
	.emit = myswish_emit,
	.evaluate = myswish_evaluate,
};

HS_PLUGIN_EXPORT const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *h);

const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *h)
{
	/* region_node_count and region_node: host table version 2. */
	if (h->version < 2) {
		h->fail(HS_EPLUGIN, "host table version %u, this plugin needs 2",
			(unsigned)h->version);
		return NULL;
	}
	host = h;
	return &myswish_desc;
}
