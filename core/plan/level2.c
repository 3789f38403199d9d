/* Planning level-2 calls (TfLiteDynamicRnn, spec §2.6): each child (a
 * cell call of the loop body) is claimed as a static cell is, seeing its
 * region in the body; the body nodes its stub needs (input identities and
 * what they read, down to the body's arguments) are listed to be brought
 * to the top level; the call's region -- the loop, the TensorList ops,
 * counters and bounds -- is cut to the nodes nothing kept reads: the
 * weights and zero states the While passed in feed the stubs instead.
 * Only reads the graph and the call set. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "grow.h"
#include "plan_internal.h"

#define STR_ARG HS_STR_ARG

typedef struct l2_state {
	hs_plan *p;
	uint32_t *top_mark;     /* by top-level node id: the walk that saw it */
	uint32_t top_walk;
	hs_node **stack;
	size_t n_stack, cap_stack;
} l2_state;

static int push(hs_node ***v, size_t *n, size_t *cap, hs_node *x)
{
	if (hs_grow((void **)v, cap, *n + 1, sizeof **v, 64))
		return HS_ENOMEM;
	(*v)[(*n)++] = x;
	return HS_OK;
}

/* ------------------------------------------------- replaced operands */

/* The mapping's link that feeds input `index` of child j (the first
 * child reads the parent's inputs, the others their predecessor's
 * outputs), or NULL when the child keeps its own input. */
static const hs_child_link *input_link(const hs_call *parent, size_t j, int64_t index)
{
	const hs_call_body *b = hs_call_body_of(parent);
	const hs_call *k = hs_call_child(parent, j);
	const hs_child_link *l = j ? b->internal : b->first;
	size_t n = j ? b->n_internal : b->n_first;
	for (size_t i = 0; i < n; i++) {
		const hs_operand *o = hs_operand_of_index(k->inputs, k->n_inputs, l[i].to);
		if (o && o->index == index)
			return &l[i];
	}
	return NULL;
}

static int input_replaced(const hs_call *parent, size_t j, int64_t index)
{
	return input_link(parent, j, index) != NULL;
}

static int output_replaced(const hs_call *parent, size_t j, int64_t index)
{
	const hs_call_body *b = hs_call_body_of(parent);
	const hs_call *k = hs_call_child(parent, j);
	if (j + 1 != hs_call_child_count(parent))
		return 0;
	for (size_t i = 0; i < b->n_last; i++) {
		const hs_operand *o = hs_operand_of_index(k->outputs, k->n_outputs, b->last[i].from);
		if (o && o->index == index)
			return 1;
	}
	return 0;
}

/* The aggregation child j's input `in` gets from the mapping. */
static hs_aggregation replaced_input_agg(const hs_call *parent, size_t j, const hs_operand *in)
{
	const hs_child_link *l = input_link(parent, j, in->index);
	if (!l)
		return in->aggregation;
	const hs_call *src = j ? hs_call_child(parent, j - 1) : parent;
	const hs_operand *from = j ? hs_operand_of_index(src->outputs, src->n_outputs, l->from)
				   : hs_operand_of_index(src->inputs, src->n_inputs, l->from);
	return from ? from->aggregation : in->aggregation;
}

/* ------------------------------------------------------- body nodes */

/* The body nodes child stubs read, and the output identities they rewire:
 * the stubs' inputs that the mapping does not replace, with everything
 * above them in the body (arguments end the walk). */
static int collect_copies(hs_plan *p, hs_l2_plan *l2, const hs_call *c)
{
	const hs_graph *scope = hs_call_body_of(c)->scope;
	size_t lim = hs_graph_id_limit(scope);
	uint8_t *mark = calloc(lim ? lim : 1, 1);
	hs_node **stack = NULL;
	size_t n_stack = 0, cap_stack = 0;
	int rc = mark ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
	for (size_t j = 0; j < hs_call_child_count(c) && !rc; j++) {
		const hs_call *k = hs_call_child(c, j);
		for (size_t i = 0; i < k->n_inputs && !rc; i++) {
			if (input_replaced(c, j, k->inputs[i].index))
				continue;
			for (size_t e = 0; e < k->inputs[i].count && !rc; e++) {
				uint32_t id1 = hs_operand_ids(&k->inputs[i])[e];
				if (id1 && !mark[id1 - 1]) { /* 0: no identity */
					mark[id1 - 1] = 1;
					rc = push(&stack, &n_stack, &cap_stack, hs_operand_identity_at(&k->inputs[i], e));
				}
			}
		}
		while (n_stack && !rc) {
			hs_node *n = stack[--n_stack];
			for (uint32_t q = 0; q < n->n_inputs && !rc; q++) {
				hs_node *src = hs_node_input_src(n, q);
				if (src && !mark[hs_node_id(src)]) {
					mark[hs_node_id(src)] = 1;
					rc = push(&stack, &n_stack, &cap_stack, src);
				}
			}
		}
		for (size_t i = 0; i < k->n_outputs && !rc; i++) {
			if (output_replaced(c, j, k->outputs[i].index))
				continue;
			for (size_t e = 0; e < k->outputs[i].count; e++) {
				uint32_t id1 = hs_operand_ids(&k->outputs[i])[e];
				if (id1 && !mark[id1 - 1])
					mark[id1 - 1] = 2;
			}
		}
	}
	size_t n = 0;
	for (size_t id = 0; id < lim && !rc; id++)
		n += mark[id] != 0;
	if (!rc) {
		l2->copy = hs_arena_alloc(&p->arena, (n ? n : 1) * sizeof *l2->copy);
		l2->copy_inputs = hs_arena_alloc(&p->arena, n ? n : 1);
		if (!l2->copy || !l2->copy_inputs)
			rc = HS_ENOMEM;
	}
	for (hs_node *x = rc ? NULL : hs_graph_next_node(scope, NULL); x;
	     x = hs_graph_next_node(scope, x)) {
		if (!mark[hs_node_id(x)])
			continue;
		l2->copy_inputs[l2->n_copy] = mark[hs_node_id(x)] == 1;
		l2->copy[l2->n_copy++] = x;
	}
	free(mark);
	free(stack);
	return rc;
}

/* The loop's data input `arg` (the body's argument of that position). */
static hs_node *loop_input(const hs_node *loop, long arg)
{
	long k = 0;
	for (uint32_t i = 0; i < loop->n_inputs; i++) {
		if (hs_node_input_port(loop, i) < 0)
			continue;
		if (k++ == arg)
			return hs_node_input_src(loop, i);
	}
	return NULL;
}

/* Top-level nodes of the region the copies read through the loop's
 * inputs, with everything above them in the region: they stay.  Marks
 * them with st->top_walk, the region's other nodes with top_walk - 1 (the
 * walk stays inside the region, so its cost is the region's). */
static int mark_needed(l2_state *st, const hs_l2_plan *l2, const hs_call *c,
		       const hs_region *r)
{
	const hs_graph *scope = hs_call_body_of(c)->scope;
	int rc = HS_OK;
	st->top_walk += 2;
	for (size_t i = 0; i < r->n; i++)
		st->top_mark[hs_region_ids(r)[i]] = st->top_walk - 1;
	st->n_stack = 0;
	for (size_t i = 0; i < l2->n_copy && !rc; i++) {
		const hs_node *x = l2->copy[i];
		for (uint32_t q = 0; l2->copy_inputs[i] && q < x->n_inputs && !rc; q++) {
			hs_str text = hs_input_text(x->graph, &hs_node_inputs(x)[q]);
			if (hs_node_input_src(x, q))
				continue;
			if (text.len && text.ptr[0] == '^')
				text.ptr++, text.len--;
			long arg = hs_scope_reads_arg(scope, text) ? hs_scope_find_arg(scope, text) : -1;
			hs_node *outer = arg >= 0 ? loop_input(hs_call_body_of(c)->loop, arg) : NULL;
			if (arg < 0)
				rc = hs_plan_problemf(st->p, c->ordinal, HS_SEVERITY_ERROR, "body-dangling",
						      "call %.*s (%.*s): body node '%.*s' reads '%.*s', neither a node of the body nor an argument",
						      STR_ARG(c->uuid), STR_ARG(c->function),
						      HS_NODE_ARG(x), STR_ARG(text));
			else if (outer && st->top_mark[hs_node_id(outer)] == st->top_walk - 1) {
				st->top_mark[hs_node_id(outer)] = st->top_walk;
				rc = push(&st->stack, &st->n_stack, &st->cap_stack, outer);
			}
		}
	}
	while (st->n_stack && !rc) {
		hs_node *n = st->stack[--st->n_stack];
		for (uint32_t q = 0; q < n->n_inputs && !rc; q++) {
			hs_node *src = hs_node_input_src(n, q);
			if (src && st->top_mark[hs_node_id(src)] == st->top_walk - 1) {
				st->top_mark[hs_node_id(src)] = st->top_walk;
				rc = push(&st->stack, &st->n_stack, &st->cap_stack, src);
			}
		}
	}
	return rc;
}

/* The region keeps only what nothing kept reads (in place: the region's
 * nodes are the plan's).  A loop in it other than the call's own is a
 * problem: one loop's body cannot stand for two. */
static int cut_region(l2_state *st, size_t i, hs_region *r)
{
	const hs_call *c = hs_plan_call_of(st->p, i);
	uint32_t *ids = hs_region_ids(r);
	uint32_t k = 0;
	int rc = HS_OK;
	for (size_t q = 0; q < r->n; q++) {
		const hs_node *n = hs_region_node(r, q);
		if (st->top_mark[ids[q]] == st->top_walk)
			continue;
		ids[k++] = ids[q];
		if (n != hs_call_body_of(c)->loop && !rc &&
		    (hs_str_eq(hs_op_of(n), "While") || hs_str_eq(hs_op_of(n), "StatelessWhile")))
			rc = hs_plan_problemf(st->p, i, HS_SEVERITY_ERROR, "nested-loop",
					      "call %.*s (%.*s): loop '%.*s' lies between its hints besides '%.*s'; one is expected",
					      STR_ARG(c->uuid), STR_ARG(c->function), HS_NODE_ARG(n),
					      HS_NODE_ARG(hs_call_body_of(c)->loop));
	}
	r->n = k;
	return rc;
}

/* -------------------------------------------------------- the claims */

/* A child's region in the body: above its output identities, stopping at
 * its input identities (as region.c walks a call).  `mark` (by body node
 * id) holds the walk of child `epoch`: each child costs its own region. */
static int child_region(hs_plan *p, const hs_call *k, uint32_t *mark, uint32_t epoch,
			hs_region *out)
{
	hs_node **stack = NULL, **cset = NULL;
	size_t n_stack = 0, cap_stack = 0, n_c = 0, cap_c = 0;
	int rc = HS_OK;
	for (size_t i = 0; i < k->n_inputs; i++)
		for (size_t e = 0; e < k->inputs[i].count; e++)
			if (hs_operand_ids(&k->inputs[i])[e]) /* 0: no identity */
				mark[hs_operand_ids(&k->inputs[i])[e] - 1] = epoch;
	for (size_t i = 0; i < k->n_outputs && !rc; i++)
		for (size_t e = 0; e < k->outputs[i].count && !rc; e++)
			if (hs_operand_tensor(&k->outputs[i], e).node)
				rc = push(&stack, &n_stack, &cap_stack,
					  (hs_node *)hs_operand_tensor(&k->outputs[i], e).node);
	while (n_stack && !rc) {
		hs_node *n = stack[--n_stack];
		if (mark[hs_node_id(n)] == epoch)
			continue;
		mark[hs_node_id(n)] = epoch;
		rc = push(&cset, &n_c, &cap_c, n);
		for (uint32_t q = 0; q < n->n_inputs && !rc; q++)
			if (hs_node_input_src(n, q))
				rc = push(&stack, &n_stack, &cap_stack, hs_node_input_src(n, q));
	}
	if (!rc)
		rc = hs_region_of_nodes(out, &p->arena, k->set->g, cset, n_c);
	free(stack);
	free(cset);
	return rc;
}

typedef struct child_trail {
	hs_plan *p;
	hs_l2_child *ch;
} child_trail;

static void record_child_verdict(const char *plugin, int claims, const char *reason,
				 void *payload)
{
	child_trail *t = payload;
	hs_plan_record_verdict(t->p, &t->ch->trail, &t->ch->n_trail, &t->ch->cap_trail,
			       plugin, claims, reason);
}

/* Nodes child j's stub adds: the stub, the -1 Const, a Pack per stacked
 * input and an Unpack per stacked output, as the mapping rewires them. */
static size_t child_stub_nodes(const hs_plan *p, const hs_call *c, size_t j)
{
	const hs_call *k = hs_call_child(c, j);
	size_t n = 1 + (size_t)hs_plan_needs_const(&p->opts, k);
	for (size_t i = 0; i < k->n_inputs; i++)
		n += replaced_input_agg(c, j, &k->inputs[i]) == HS_AGG_STACK;
	for (size_t i = 0; i < k->n_outputs; i++)
		n += k->outputs[i].aggregation == HS_AGG_STACK &&
		     !output_replaced(c, j, k->outputs[i].index);
	return n;
}

static int claim_child(hs_plan *p, const hs_call *c, size_t j, uint32_t *mark,
		       hs_l2_child *ch)
{
	hs_claim cl;
	child_trail t = { p, ch };
	ch->call = hs_call_child(c, j);
	int rc = child_region(p, ch->call, mark, (uint32_t)j + 1, &ch->region);
	if (!rc)
		rc = hs_registry_claim(&cl, p->opts.registry, ch->call->set->g, ch->call,
				       &ch->region, p->opts.explain ? record_child_verdict : NULL, &t);
	if (rc)
		return rc;
	ch->claim = cl.kind;
	ch->plugin = cl.plugin;
	ch->claim_data = cl.data;
	ch->plugin_name = cl.kind == HS_CLAIM_PLUGIN && cl.plugin_name
				  ? hs_arena_printf(&p->arena, "%s", cl.plugin_name) : "generic";
	ch->reason = cl.kind == HS_CLAIM_GENERIC || cl.kind == HS_CLAIM_PLUGIN ? NULL
		     : hs_arena_printf(&p->arena, "%s", cl.reason[0] ? cl.reason
				       : cl.kind == HS_CLAIM_KEEP ? "kept by rule"
				       : "no plugin claims it and the rules require one");
	ch->stub_nodes = child_stub_nodes(p, c, j);
	if (!ch->plugin_name || (cl.kind > HS_CLAIM_PLUGIN && !ch->reason))
		return HS_ENOMEM;
	return HS_OK;
}

/* ----------------------------------------------------------- a call */

static int plan_call(l2_state *st, size_t i)
{
	hs_plan *p = st->p;
	hs_plan_call *pc = &p->pc[i];
	const hs_call *c = hs_plan_call_of(p, i);
	hs_plan_rare *r = hs_plan_rare_of(p, i);
	hs_l2_plan *l2 = r ? hs_arena_alloc(&p->arena, sizeof *l2) : NULL;
	if (!l2)
		return HS_ENOMEM;
	memset(l2, 0, sizeof *l2);
	size_t n_children = hs_call_child_count(c) ? hs_call_child_count(c) : 1;
	l2->children = hs_arena_alloc(&p->arena, n_children * sizeof *l2->children);
	if (!l2->children)
		return HS_ENOMEM;
	memset(l2->children, 0, n_children * sizeof *l2->children);
	r->l2 = l2;
	int rc = collect_copies(p, l2, c);
	if (!rc)
		rc = mark_needed(st, l2, c, &pc->region);
	if (!rc)
		rc = cut_region(st, i, &pc->region);
	size_t lim = hs_graph_id_limit(hs_call_body_of(c)->scope);
	uint32_t *mark = rc ? NULL : calloc(lim ? lim : 1, sizeof *mark);
	if (!rc && !mark)
		rc = hs_fail(HS_ENOMEM, "out of memory");
	for (size_t j = 0; j < hs_call_child_count(c) && !rc; j++) {
		rc = claim_child(p, c, j, mark, &l2->children[j]);
		l2->n_children += rc == HS_OK;
	}
	free(mark);
	return rc;
}

int hs_level2_plan(hs_plan *p)
{
	l2_state st = { .p = p };
	int rc = HS_OK;
	for (size_t i = 0; i < p->n && !rc; i++) {
		const hs_plan_call *pc = &p->pc[i];
		const hs_call *c = hs_plan_call_of(p, i);
		if (!pc->usable || pc->decided || c->level != 2 || !hs_call_body_of(c) ||
		    !hs_call_child_count(c))
			continue;
		size_t lim = hs_graph_id_limit(p->g);
		if (!st.top_mark && !(st.top_mark = calloc(lim ? lim : 1, sizeof *st.top_mark)))
			rc = hs_fail(HS_ENOMEM, "out of memory");
		if (!rc)
			rc = plan_call(&st, i);
	}
	free(st.top_mark);
	free(st.stack);
	return rc;
}

/* -------------------------------------------------------------- views */

const hs_l2_child *hs_level2_blocker(const hs_plan *p, size_t i)
{
	const hs_l2_plan *l2 = hs_plan_l2(&p->pc[i]);
	for (size_t j = 0; l2 && j < l2->n_children; j++)
		if (l2->children[j].claim > HS_CLAIM_PLUGIN)
			return &l2->children[j];
	return NULL;
}

const char *hs_level2_plugins(hs_plan *p, size_t i)
{
	const hs_l2_plan *l2 = hs_plan_l2(&p->pc[i]);
	hs_buf b = { 0 };
	for (size_t j = 0; j < l2->n_children; j++) {
		const char *name = l2->children[j].plugin_name;
		int seen = 0;
		for (size_t k = 0; k < j && !seen; k++)
			seen = strcmp(l2->children[k].plugin_name, name) == 0;
		if (!seen)
			hs_buf_printf(&b, "%s%s", b.len ? "," : "", name);
	}
	const char *out = b.failed ? NULL
			  : hs_arena_printf(&p->arena, "%.*s", (int)b.len, (const char *)b.data);
	hs_buf_free(&b);
	return out;
}

size_t hs_level2_nodes_added(const hs_plan *p, size_t i)
{
	const hs_l2_plan *l2 = hs_plan_l2(&p->pc[i]);
	size_t n = l2->n_copy;
	for (size_t j = 0; j < l2->n_children; j++)
		n += l2->children[j].stub_nodes;
	return n;
}

void hs_level2_free(hs_plan *p)
{
	for (size_t i = 0; p->pc && i < p->n; i++) {
		const hs_l2_plan *l2 = hs_plan_l2(&p->pc[i]);
		for (size_t j = 0; l2 && j < l2->n_children; j++)
			hs_registry_free_claim(l2->children[j].plugin, l2->children[j].claim_data);
	}
}

const char *hs_plan_child_plugin(const hs_plan *p, size_t i, size_t k)
{
	if (!p || i >= p->n || !hs_plan_l2(&p->pc[i]) || k >= hs_plan_l2(&p->pc[i])->n_children)
		return NULL;
	const hs_l2_child *ch = &hs_plan_l2(&p->pc[i])->children[k];
	return ch->claim <= HS_CLAIM_PLUGIN ? ch->plugin_name : NULL;
}

int hs_plan_explain_child(const hs_plan *p, size_t i, size_t k, hs_explain_fn fn,
			  void *payload)
{
	if (!p || !fn || i >= p->n)
		return hs_fail(HS_EINVAL, "hs_plan_explain_child: a plan, a call index and a callback are required");
	if (!p->opts.explain)
		return hs_fail(HS_EINVAL, "hs_plan_explain_child: the plan was made without hs_plan_options.explain");
	const hs_l2_plan *l2 = hs_plan_l2(&p->pc[i]);
	if (!l2 || k >= l2->n_children)
		return hs_fail(HS_EINVAL, "hs_plan_explain_child: call %zu has no planned child %zu", i, k);
	const hs_l2_child *ch = &l2->children[k];
	for (size_t t = 0; t < ch->n_trail; t++)
		fn(ch->trail[t].plugin, ch->trail[t].claims, ch->trail[t].reason, payload);
	return HS_OK;
}
