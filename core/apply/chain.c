/* Carrying out a level-2 call (spec §2.6, doc/conversion.md "Level 2"):
 * the body nodes the plan listed are brought to the top level under new,
 * unique names (tracked by identity, never by name), their argument
 * inputs resolved to the loop's outer inputs; each child becomes a
 * level-1 call over those copies, rewired by the mapping (the first child
 * reads the parent's input, child j its predecessor's last output, the
 * parent's output hint reads the last child), and gets its stub as a
 * static cell would; then the loop's region goes. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr_iter.h"
#include "emit_guard.h"
#include "error.h"
#include "chain.h"
#include "ophint_internal.h"

#define STR_ARG HS_STR_ARG

/* --------------------------------------------------------- the copies */

static int copy_attrs(hs_node *to, const hs_node *from)
{
	hs_attr_iter it;
	hs_attr_entry e;
	int rc = HS_OK;
	hs_attr_iter_init_edited(&it, from);
	while (!rc && hs_attr_iter_next(&it, &e)) {
		if (!e.has_value || !e.key.len)
			continue;
		/* Keys are the file's bytes, of any length. */
		char *key = malloc(e.key.len + 1);
		if (!key) {
			rc = hs_fail(HS_ENOMEM, "out of memory");
			break;
		}
		memcpy(key, e.key.ptr, e.key.len);
		key[e.key.len] = '\0';
		rc = hs_node_set_attr_raw(to, key, e.value);
		free(key);
	}
	hs_attr_iter_end(&it); /* a failure leaves the walk */
	return rc;
}

/* The loop's data input `arg`, as written (GraphDef syntax). */
static hs_str loop_input_text(const hs_node *loop, long arg)
{
	long k = 0;
	for (uint32_t i = 0; i < loop->n_inputs; i++) {
		if (hs_node_input_port(loop, i) < 0)
			continue;
		if (k++ == arg)
			return hs_input_text(loop->graph, &hs_node_inputs(loop)[i]);
	}
	return (hs_str){ "", 0 };
}

/* One input of a body node in GraphDef syntax: an argument becomes the
 * loop's outer input, "n:out:k" the copy of n at port k.  NULL with
 * *skip set for a control input on something not brought up. */
static char *top_input(const hs_l2_build *b, const hs_node *x, const hs_input *in, int *skip)
{
	const hs_graph *scope = hs_call_body_of(b->call)->scope;
	hs_str text = hs_input_text(x->graph, in), name;
	int control = text.len && text.ptr[0] == '^', port;
	char *out = NULL;
	*skip = 0;
	if (!in->src) {
		hs_str a = control ? (hs_str){ text.ptr + 1, text.len - 1 } : text;
		long arg = hs_scope_find_arg(scope, a);
		hs_str outer = arg >= 0 ? loop_input_text(hs_call_body_of(b->call)->loop, arg)
					: (hs_str){ "", 0 };
		if (!outer.len) {
			hs_fail(HS_EGRAPH, "body node '%.*s' reads '%.*s', which the loop does not pass in",
				HS_NODE_ARG(x), STR_ARG(text));
			return NULL;
		}
		if (control && outer.ptr[0] != '^') {
			hs_parse_input(&name, NULL, outer);
			outer = name;
		}
		if ((out = malloc(outer.len + 2)))
			snprintf(out, outer.len + 2, "%s%.*s", control && outer.ptr[0] != '^' ? "^" : "",
				 STR_ARG(outer));
	} else {
		const hs_node *copy = b->top[hs_input_src_id(in)];
		if (!copy) {
			if (control) {
				*skip = 1;
				return NULL;
			}
			hs_fail(HS_EGRAPH, "body node '%.*s' reads '%.*s', which is not brought up",
				HS_NODE_ARG(x), STR_ARG(text));
			return NULL;
		}
		if ((out = malloc(hs_name_of(copy).len + 24))) {
			if (control)
				snprintf(out, hs_name_of(copy).len + 24, "^%.*s", HS_NODE_ARG(copy));
			else if ((port = hs_input_port(x->graph, in)) != 0)
				snprintf(out, hs_name_of(copy).len + 24, "%.*s:%d", HS_NODE_ARG(copy), port);
			else
				snprintf(out, hs_name_of(copy).len + 24, "%.*s", HS_NODE_ARG(copy));
		}
	}
	if (!out)
		hs_fail(HS_ENOMEM, "out of memory");
	return out;
}

static int set_top_inputs(const hs_l2_build *b, hs_node *copy, const hs_node *x)
{
	char **texts = calloc(x->n_inputs ? x->n_inputs : 1, sizeof *texts);
	size_t n = 0;
	int rc = texts ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
	/* Data inputs first, control inputs after: GraphDef's order. */
	for (int control = 0; control < 2; control++)
		for (uint32_t q = 0; q < x->n_inputs && !rc; q++) {
			int skip;
			if ((hs_node_input_port(x, q) < 0) != control)
				continue;
			char *t = top_input(b, x, &hs_node_inputs(x)[q], &skip);
			if (t)
				texts[n++] = t;
			else if (!skip)
				rc = hs_error_last_code();
		}
	if (!rc)
		rc = hs_node_set_inputs(copy, (const char *const *)texts, n);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	return rc;
}

/* The copy's name: the body's own under --tf-exact (TensorFlow's names),
 * else under the loop's name; `_1`, `_2`... when taken.  Never an
 * existing node's. */
static int add_copy(hs_l2_build *b, const hs_node *x)
{
	const hs_node *loop = hs_call_body_of(b->call)->loop;
	char *prefix = malloc(hs_name_of(loop).len + 2);
	if (!prefix)
		return hs_fail(HS_ENOMEM, "out of memory");
	if (b->ctx->opts->tf_exact)
		prefix[0] = '\0';
	else
		snprintf(prefix, hs_name_of(loop).len + 2, "%.*s/", HS_NODE_ARG(loop));
	hs_str xop = hs_op_of(x);
	char *op = malloc(xop.len + 1);
	const char *name = op ? hs_stub_unique_name(b->ctx, prefix, hs_name_of(x)) : NULL;
	hs_node *copy = NULL;
	int rc = name ? HS_OK : op ? hs_error_last_code() : hs_fail(HS_ENOMEM, "out of memory");
	if (!rc) {
		if (xop.len) /* a body node without an op has no bytes */
			memcpy(op, xop.ptr, xop.len);
		op[xop.len] = '\0';
		rc = hs_graph_add_node(&copy, b->ctx->g, name, op,
				       b->last_copy ? b->last_copy : loop);
	}
	if (!rc && hs_node_device(x).len) {
		char *dev = malloc(hs_node_device(x).len + 1);
		rc = dev ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
		if (dev) {
			memcpy(dev, hs_node_device(x).ptr, hs_node_device(x).len);
			dev[hs_node_device(x).len] = '\0';
			rc = hs_node_set_device(copy, dev);
			free(dev);
		}
	}
	if (!rc)
		rc = copy_attrs(copy, x);
	if (!rc)
		b->top[hs_node_id(x)] = b->last_copy = copy;
	free(prefix);
	free(op);
	return rc;
}

static int bring_up(hs_l2_build *b)
{
	const hs_l2_plan *l2 = hs_plan_l2(b->pc);
	int rc = HS_OK;
	for (size_t i = 0; i < l2->n_copy && !rc; i++)
		rc = add_copy(b, l2->copy[i]);
	for (size_t i = 0; i < l2->n_copy && !rc; i++)
		if (l2->copy_inputs[i])
			rc = set_top_inputs(b, b->top[hs_node_id(l2->copy[i])], l2->copy[i]);
	return rc;
}

/* ------------------------------------------------------ the children */

/* The source operand the mapping gives child j's operand `o`, or NULL
 * when o stays the child's own. */
static const hs_operand *mapped_source(const hs_l2_build *b, size_t j, const hs_operand *o)
{
	const hs_call *c = b->call, *k = hs_call_child(c, j);
	const hs_call_body *body = hs_call_body_of(c);
	const hs_child_link *l;
	size_t n;
	if (o->is_output) {
		if (j + 1 != hs_call_child_count(c))
			return NULL;
		l = body->last;
		n = body->n_last;
	} else {
		l = j ? body->internal : body->first;
		n = j ? body->n_internal : body->n_first;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t mine = o->is_output ? l[i].from : l[i].to;
		int64_t theirs = o->is_output ? l[i].to : l[i].from;
		const hs_operand *m = o->is_output
			? hs_operand_of_index(k->outputs, k->n_outputs, mine)
			: hs_operand_of_index(k->inputs, k->n_inputs, mine);
		if (!m || m->index != o->index)
			continue;
		if (o->is_output)
			return hs_operand_of_index(c->outputs, c->n_outputs, theirs);
		if (!j)
			return hs_operand_of_index(c->inputs, c->n_inputs, theirs);
		const hs_call *prev = b->tops[j - 1];
		return hs_operand_of_index(prev->outputs, prev->n_outputs, theirs);
	}
	return NULL;
}

static int add_operand(hs_l2_build *b, hs_call *tc, size_t j, const hs_operand *o)
{
	const hs_operand *src = mapped_source(b, j, o);
	hs_operand *to;
	int rc = hs_call_add_operand(&to, tc, o->is_output, o->index,
				     src ? src->aggregation : o->aggregation,
				     src ? src->dtype : o->dtype);
	const hs_operand *from = src ? src : o;
	for (size_t e = 0; e < from->count && !rc; e++) {
		hs_node *hint = hs_operand_identity_at(from, e);
		hs_node *id = src ? hint : b->top[hs_node_id(hint)];
		hs_tensor t = src ? hs_operand_tensor(from, e) : (hs_tensor){ id, 0 };
		if (!id)
			return hs_fail(HS_EGRAPH, "call %.*s: hint '%.*s' was not brought up",
				       STR_ARG(tc->uuid), HS_NODE_ARG(hint));
		rc = hs_operand_add_element(to, t, id);
	}
	return rc;
}

/* Child j as a level-1 call of the top-level graph. */
static int top_call(hs_l2_build *b, size_t j)
{
	const hs_call *k = hs_call_child(b->call, j);
	hs_call *tc;
	int rc = hs_callset_add_call(&tc, b->calls, HS_DETECTOR_OPHINT, k->function, k->uuid, 1);
	for (size_t i = 0; i < k->n_inputs && !rc; i++)
		rc = add_operand(b, tc, j, &k->inputs[i]);
	for (size_t i = 0; i < k->n_outputs && !rc; i++)
		rc = add_operand(b, tc, j, &k->outputs[i]);
	if (!rc)
		b->tops[j] = tc;
	return rc;
}

static int build_child(hs_l2_build *b, size_t j)
{
	const hs_l2_child *ch = &hs_plan_l2(b->pc)->children[j];
	hs_graph *g = b->ctx->g;
	size_t first_new = g->n_new;
	int rc = top_call(b, j);
	if (rc)
		return rc;
	hs_call *tc = b->tops[j];
	/* The stub is anchored after its last original input node. */
	rc = hs_stub_build(b->ctx, tc, hs_stub_anchor(tc, 0), &b->stubs[j]);
	if (!rc) {
		hs_claim cl;
		hs_emit_guard guard;
		memset(&cl, 0, sizeof cl);
		cl.kind = ch->claim;
		cl.plugin = ch->plugin;
		cl.data = ch->claim_data;
		hs_emit_guard_begin(&guard, g, (uint32_t)(g->n_nodes + first_new));
		rc = hs_registry_emit(b->plan->opts.registry, &cl, g, tc, &b->none, b->stubs[j]);
		hs_emit_guard_end(&guard);
		if (rc)
			b->failed_child = j;
	}
	if (!rc)
		rc = hs_node_set_attr_s(b->stubs[j], HS_ATTR_STUB_CALL, tc->uuid);
	return rc;
}

/* ------------------------------------------------------------- steps */

int hs_level2_build(hs_l2_build *b, hs_stub_ctx *ctx, const hs_plan *plan, size_t i)
{
	memset(b, 0, sizeof *b);
	b->ctx = ctx;
	b->plan = plan;
	b->pc = &plan->pc[i];
	b->call = hs_plan_call_of(plan, i);
	b->failed_child = SIZE_MAX;
	size_t n = hs_call_child_count(b->call), lim = hs_graph_id_limit(hs_call_body_of(b->call)->scope);
	b->top = calloc(lim ? lim : 1, sizeof *b->top);
	b->tops = calloc(n ? n : 1, sizeof *b->tops);
	b->stubs = calloc(n ? n : 1, sizeof *b->stubs);
	if (!b->top || !b->tops || !b->stubs)
		return hs_fail(HS_ENOMEM, "out of memory");
	int rc = hs_callset_new(&b->calls, ctx->g);
	if (!rc)
		rc = bring_up(b);
	for (size_t j = 0; j < n && !rc; j++)
		rc = build_child(b, j);
	return rc;
}

int hs_level2_finish(hs_l2_build *b)
{
	int rc = HS_OK;
	for (size_t j = 0; j < hs_call_child_count(b->call) && !rc; j++)
		rc = hs_stub_finish(b->ctx, b->tops[j], &b->none, b->stubs[j]);
	if (!rc)
		rc = hs_stub_remove_region(b->ctx, &b->pc->region);
	return rc;
}

void hs_level2_build_free(hs_l2_build *b)
{
	hs_callset_free(b->calls);
	free(b->top);
	free(b->tops);
	free(b->stubs);
	memset(b, 0, sizeof *b);
}
