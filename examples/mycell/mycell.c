/* mycell: an out-of-tree hintstub plugin, built with nothing but
 *
 *     cc -shared -fPIC $(pkg-config --cflags hintstub) mycell.c \
 *        -o mycell.so $(pkg-config --libs hintstub)
 *
 * It claims calls of the OpHint function "MyCell" that have input 0 and
 * output 0 and whose region contains a MatMul, and turns their stub into
 * a "MyCell" op carrying `units` (a rule option) and the activation; its
 * `evaluate` says what that op computes, so that `hintstub verify` can
 * check the conversion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hintstub/hintstub.h>
#include <hintstub/plugin.h>

/* Where the call's boundary must look like this. */
static const hs_plugin_arg mycell_inputs[] = {
	{ .index = 0, .flags = HS_ARG_REQUIRED, .aggregation = HS_AGG_ANY },
};
static const hs_plugin_arg mycell_outputs[] = {
	{ .index = 0, .flags = HS_ARG_REQUIRED, .aggregation = HS_AGG_ANY },
};
static const hs_plugin_signature mycell_signatures[] = {
	{ .function = "MyCell", .level = -1,
	  .n_inputs = 1, .inputs = mycell_inputs,
	  .n_outputs = 1, .outputs = mycell_outputs },
};

/* Per-registry state: the options. */
typedef struct mycell {
	long units;
} mycell;

static const hs_plugin_host *host;

static int mycell_create(void **state, const hs_plugin_host *h)
{
	mycell *m = h->alloc(sizeof *m);
	if (!m)
		return h->fail(HS_ENOMEM, "out of memory");
	m->units = 1;
	*state = m;
	return HS_OK;
}

static void mycell_destroy(void *state)
{
	host->free(state);
}

/* `option mycell.units = 16` in a rule file lands here. */
static int mycell_set_option(void *state, const char *key, const char *value)
{
	mycell *m = state;
	if (strcmp(key, "units") != 0)
		return host->fail(HS_ERULES, "unknown option '%s' (units)", key);
	char *end;
	long v = strtol(value, &end, 10);
	if (*end || end == value || v <= 0)
		return host->fail(HS_ERULES, "units must be a positive integer, got '%s'",
				  value);
	m->units = v;
	return HS_OK;
}

/* Beyond the boundary: the region must compute a MatMul. */
static int mycell_check(void *state, const hs_plugin_host *h, const hs_graph *g,
		const hs_call *call, const hs_region *region,
		size_t sig, char *reason, size_t reason_size, void **claim)
{
	(void)state;
	(void)g;
	(void)call;
	(void)sig;
	(void)claim;
	for (size_t i = 0; i < h->region_node_count(region); i++)
		if (h->str_eq(h->node_op(h->region_node(region, i)), "MatMul"))
			return HS_CHECK_CLAIM;
	snprintf(reason, reason_size, "region has no MatMul");
	return HS_CHECK_DECLINE;
}

/* The host built the stub (inputs wired); add what our runtime needs. */
static int mycell_emit(void *state, const hs_plugin_host *h, hs_graph *g,
		const hs_call *call, const hs_region *region, hs_node *stub,
		void *claim)
{
	const mycell *m = state;
	(void)g;
	(void)call;
	(void)region;
	(void)claim;
	hs_str act = { "TANH", 4 };
	int rc = h->node_set_attr_i(stub, "units", m->units);
	if (rc == HS_OK)
		rc = h->node_set_attr_s(stub, "fused_activation_function", act);
	return rc;
}

/* The op's reference semantics: tanh(x . w), as the region computed it,
 * made of the evaluator's own kernels (e->builtin).  A generic MyCell stub
 * (a call this plugin declined) has no `units`: not ours. */
static int mycell_evaluate(void *state, const hs_plugin_host *h,
		const hs_plugin_eval *e)
{
	hs_attr units;
	(void)state;
	if (!h->str_eq(h->node_op(e->node), "MyCell") ||
	    h->node_attr(&units, e->node, "units") != HS_OK)
		return HS_ENOTFOUND;
	if (e->n_in != 2 || e->n_out != 1)
		return h->fail(HS_EINVAL, "MyCell takes 2 inputs and has 1 output");
	hs_value *xw = NULL;
	int rc = e->builtin("MatMul", e->node, e->in, 2, &xw, 1);
	if (rc == HS_OK) {
		const hs_value *t[1] = { xw };
		rc = e->builtin("Tanh", e->node, t, 1, &e->out[0], 1);
	}
	e->value_free(xw);
	return rc;
}

static const hs_plugin_desc mycell_desc = {
	.abi_major = HS_PLUGIN_ABI_MAJOR,
	.abi_minor = HS_PLUGIN_ABI_MINOR,
	.struct_size = sizeof(hs_plugin_desc),
	.name = "mycell",            /* must match the file name mycell.so */
	.version = "1.0",
	.description = "example: MyCell regions with a MatMul",
	.n_signatures = 1,
	.signatures = mycell_signatures,
	.create = mycell_create,
	.destroy = mycell_destroy,
	.set_option = mycell_set_option,
	.check = mycell_check,
	.emit = mycell_emit,
	.evaluate = mycell_evaluate,  /* optional, ABI 2.1 */
};

const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *h)
{
	/* region_node_count and region_node: host table version 2. */
	if (h->version < 2) {
		h->fail(HS_EPLUGIN, "host table version %u, this plugin needs 2",
			(unsigned)h->version);
		return NULL;
	}
	host = h;
	return &mycell_desc;
}
