/* Would the stubs close a cycle?  A stub makes every output of its call
 * depend on every input, so a kept input identity that is downstream of
 * one of the call's outputs (directly, or through other stubs) turns into
 * a cycle although the original graph had none.
 *
 * One linear pass checks the graph as it will be, without editing it:
 * the interior of every accepted call is left out, each call becomes one
 * virtual stub node (kept inputs -> stub -> kept outputs), and Kahn's
 * algorithm runs over that.  What it cannot order lies on a cycle or
 * between cycles; peeling those nodes from the other side leaves the
 * calls to refuse.  Refusing a call gives its output identities their
 * original inputs back, so the caller checks again after refusing. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "plan_internal.h"

enum { V_NORMAL = 0, V_INTERIOR, V_KEPT_IN, V_KEPT_OUT };

typedef struct cycle_state {
	const hs_plan *p;
	const hs_graph *g;
	size_t n_real;       /* node slots: original + new nodes, by seq */
	size_t n_virtual;    /* n_real + one stub per call */
	uint8_t *kind;
	uint32_t *call;
	uint32_t *deg;
	uint8_t *done;
	uint32_t *queue;
	size_t head, tail;
} cycle_state;

static const hs_node *real_node(const cycle_state *st, size_t v)
{
	const hs_node *n = hs_graph_node_at(st->g, (uint32_t)v);
	return (n->flags & HS_NODE_F_REMOVED) ? NULL : n;
}

static int in_graph(const cycle_state *st, size_t v)
{
	if (v >= st->n_real)
		return st->p->pc[v - st->n_real].candidate;
	return real_node(st, v) && st->kind[v] != V_INTERIOR;
}

/* Calls fn(st, w) for every virtual successor w of v. */
typedef void (*edge_fn)(cycle_state *st, size_t w);

/* A call's virtual stub: its neighbours are its kept identities (their
 * ids, hs_node_id, are their seqs). */
static int each_of_stub(cycle_state *st, size_t v, edge_fn fn, int outputs)
{
	if (v < st->n_real)
		return 0;
	hs_kept_iter it;
	uint32_t id;
	for (hs_kept_begin(&it, hs_plan_call_of(st->p, v - st->n_real), outputs);
	     hs_kept_next(&it, &id);)
		fn(st, id);
	return 1;
}

static void each_successor(cycle_state *st, size_t v, edge_fn fn)
{
	if (each_of_stub(st, v, fn, 1))
		return;
	const hs_node *n = real_node(st, v);
	if (st->kind[v] == V_KEPT_IN)
		fn(st, st->n_real + st->call[v]);
	if (hs_node_is_back_edge(n))
		return;
	for (uint32_t i = 0; i < n->n_consumers; i++) {
		size_t c = hs_node_id(hs_node_consumer_at(n, i));
		if (st->kind[c] != V_INTERIOR && st->kind[c] != V_KEPT_OUT)
			fn(st, c);
	}
}

static void each_predecessor(cycle_state *st, size_t v, edge_fn fn)
{
	if (each_of_stub(st, v, fn, 0))
		return;
	if (st->kind[v] == V_KEPT_OUT) {
		fn(st, st->n_real + st->call[v]);
		return;
	}
	const hs_node *n = real_node(st, v);
	for (uint32_t i = 0; i < n->n_inputs; i++) {
		hs_node *s = hs_node_input_src(n, i);
		if (s && !(s->flags & HS_NODE_F_REMOVED) && !hs_node_is_back_edge(s))
			fn(st, hs_node_id(s));
	}
}

static void release(cycle_state *st, size_t w)
{
	if (st->done[w] || !in_graph(st, w))
		return;
	if (--st->deg[w] == 0)
		st->queue[st->tail++] = (uint32_t)w;
}

/* head holds the node being counted: its neighbours still to order. */
static void count_pending(cycle_state *st, size_t w)
{
	if (!st->done[w] && in_graph(st, w))
		st->deg[st->head]++;
}

static void mark_roles(cycle_state *st)
{
	const hs_plan *plan = st->p;
	for (size_t ci = 0; ci < plan->n; ci++) {
		const hs_plan_call *p = &plan->pc[ci];
		if (!p->candidate)
			continue;
		for (size_t i = 0; i < p->region.n; i++)
			st->kind[hs_region_ids(&p->region)[i]] = V_INTERIOR;
		hs_kept_iter it;
		uint32_t id;
		for (hs_kept_begin(&it, hs_plan_call_of(plan, ci), 0); hs_kept_next(&it, &id);) {
			st->kind[id] = V_KEPT_IN;
			st->call[id] = (uint32_t)ci;
		}
		for (hs_kept_begin(&it, hs_plan_call_of(plan, ci), 1); hs_kept_next(&it, &id);) {
			st->kind[id] = V_KEPT_OUT;
			st->call[id] = (uint32_t)ci;
		}
	}
}

typedef void (*walk_fn)(cycle_state *st, size_t v, edge_fn fn);

/* Queues every live, not yet done node with no pending neighbour on the
 * `count` side; returns the number of live nodes. */
static size_t seed(cycle_state *st, walk_fn count, edge_fn counter)
{
	size_t live = 0;
	st->tail = 0;
	for (size_t v = 0; v < st->n_virtual; v++) {
		if (st->done[v] || !in_graph(st, v))
			continue;
		live++;
		st->deg[v] = 0;
		st->head = v;
		count(st, v, counter);
		if (st->deg[v] == 0)
			st->queue[st->tail++] = (uint32_t)v;
	}
	return live;
}

/* Takes queued nodes, releasing their neighbours on the `release` side;
 * returns how many were taken. */
static size_t drain(cycle_state *st, walk_fn next)
{
	size_t q = 0;
	for (; q < st->tail; q++) {
		size_t v = st->queue[q];
		st->done[v] = 1;
		next(st, v, release);
	}
	return q;
}

/* Kahn over the virtual graph; returns the number of nodes ordered. */
static size_t order_forward(cycle_state *st, size_t *live)
{
	*live = seed(st, each_predecessor, count_pending);
	return drain(st, each_successor);
}

/* Peels, from the outputs' side, what Kahn left: the rest is on or
 * between cycles. */
static void peel_backward(cycle_state *st)
{
	seed(st, each_successor, count_pending);
	drain(st, each_predecessor);
}

/* The fast answer for the usual frozen graph, whose nodes are written in
 * topological order: when every edge goes forward in file order and each
 * call's kept inputs all come before its kept outputs, the stubs fit into
 * that order too (inputs < stub < outputs; cutting edges cannot hurt), so
 * no cycle can appear.  One sequential pass over the inputs, or none
 * on a graph as loaded (g->edges_forward). */
static int file_order_suffices(const hs_plan *plan)
{
	const hs_graph *g = plan->g;
	if (g->n_new)
		return 0;
	for (size_t ci = 0; ci < plan->n; ci++) {
		const hs_plan_call *p = &plan->pc[ci];
		if (!p->candidate)
			continue;
		uint32_t max_in = 0, min_out = UINT32_MAX, id;
		hs_kept_iter it;
		for (hs_kept_begin(&it, hs_plan_call_of(plan, ci), 0); hs_kept_next(&it, &id);)
			if (id > max_in)
				max_in = id;
		for (hs_kept_begin(&it, hs_plan_call_of(plan, ci), 1); hs_kept_next(&it, &id);)
			if (id < min_out)
				min_out = id;
		if (max_in >= min_out)
			return 0;
	}
	/* As loaded, the parse looked at every edge already. */
	if (!g->edits)
		return g->edges_forward;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const hs_node *n = &g->nodes[i];
		if (n->flags & HS_NODE_F_REMOVED)
			continue;
		for (uint32_t k = 0; k < n->n_inputs; k++) {
			const hs_node *s = hs_node_input_src(n, k);
			if (s && hs_node_id(s) >= i && !hs_node_is_back_edge(s))
				return 0;
		}
	}
	return 1;
}

int hs_cycles_find(const hs_plan *p, uint8_t *on_cycle)
{
	memset(on_cycle, 0, p->n * sizeof *on_cycle);
	if (file_order_suffices(p))
		return HS_OK;

	cycle_state st;
	memset(&st, 0, sizeof st);
	st.p = p;
	st.g = p->g;
	st.n_real = hs_graph_id_limit(p->g);
	st.n_virtual = st.n_real + p->n;
	size_t nv = st.n_virtual ? st.n_virtual : 1;
	st.kind = calloc(nv, 1);
	st.done = calloc(nv, 1);
	st.call = calloc(nv, sizeof *st.call);
	st.deg = calloc(nv, sizeof *st.deg);
	st.queue = malloc(nv * sizeof *st.queue);
	int rc = HS_OK;
	if (!st.kind || !st.done || !st.call || !st.deg || !st.queue) {
		rc = hs_fail(HS_ENOMEM, "out of memory checking for cycles");
	} else {
		mark_roles(&st);
		size_t live;
		if (order_forward(&st, &live) != live) {
			peel_backward(&st);
			for (size_t ci = 0; ci < p->n; ci++)
				on_cycle[ci] = p->pc[ci].candidate && !st.done[st.n_real + ci];
		}
	}
	free(st.kind);
	free(st.done);
	free(st.call);
	free(st.deg);
	free(st.queue);
	return rc;
}
