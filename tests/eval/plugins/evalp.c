/* Test plugins for the evaluate callback (ABI 2.1), one source built
 * several times: EP_MODE 0 computes op "Twice" (2 x its input) with
 * value_new and declines every other op; 1 fails; 2 returns without
 * setting its output; 3 is built for ABI 2.0 but has the slot set
 * (the host must not call it). */
#include <string.h>

#include <hintstub/plugin.h>

#define STR2(x) #x
#define STR(x) STR2(x)

static const hs_plugin_signature sigs[] = { { .function = "EvalpNever", .level = -1 } };

static int ep_emit(void *state, const hs_plugin_host *h, hs_graph *g, const hs_call *call,
		   const hs_region *region, hs_node *stub, void *claim)
{
	return HS_OK;
}

static int ep_evaluate(void *state, const hs_plugin_host *h, const hs_plugin_eval *e)
{
	if (!h->str_eq(h->node_op(e->node), "Twice"))
		return HS_ENOTFOUND;
	switch (EP_MODE) {
	case 1:
		return h->fail(HS_EINVAL, "input 0 is not what Twice wants");
	case 2:
		return HS_OK;
	case 3:
		return h->fail(HS_EPLUGIN, "the evaluate slot of an ABI 2.0 plugin was called");
	default:
		break;
	}
	const hs_value *x = e->in[0];
	int rc = e->value_new(&e->out[0], x->dtype, x->rank, x->dims);
	if (rc != HS_OK)
		return rc;
	const float *a = x->data;
	float *b = e->out[0]->data;
	for (uint64_t i = 0; i < x->elements; i++)
		b[i] = 2 * a[i];
	return HS_OK;
}

static const hs_plugin_desc desc = {
	.abi_major = HS_PLUGIN_ABI_MAJOR,
	.abi_minor = EP_MODE == 3 ? 0 : HS_PLUGIN_ABI_MINOR,
	.struct_size = sizeof(hs_plugin_desc),
	.name = STR(EP_NAME),
	.version = "1",
	.n_signatures = 1,
	.signatures = sigs,
	.emit = ep_emit,
	.evaluate = ep_evaluate,
};

HS_PLUGIN_EXPORT const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *h)
{
	return &desc;
}
