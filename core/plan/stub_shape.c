/* The shape of a call's generic stub, which the plan counts and apply
 * builds (apply's stub.c): its own module, so that both plan.c and
 * level2.c use it without depending on each other. */
#include <config.h>

#include "plan_internal.h"

int hs_plan_needs_const(const hs_plan_options *opts, const hs_call *c)
{
	if (opts->input_layout != HS_LAYOUT_DENSE)
		return 0;
	return opts->tf_exact ||
	       (size_t)(hs_plan_max_index(c->inputs, c->n_inputs) + 1) != c->n_inputs;
}

size_t hs_plan_stub_nodes(const hs_plan_options *opts, const hs_call *c)
{
	size_t n = 1 + (size_t)hs_plan_needs_const(opts, c);
	for (size_t i = 0; i < c->n_inputs; i++)
		n += c->inputs[i].aggregation == HS_AGG_STACK;
	for (size_t i = 0; i < c->n_outputs; i++)
		n += c->outputs[i].aggregation == HS_AGG_STACK;
	return n;
}

