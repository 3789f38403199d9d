/* Structural checks of a graph: every input names a node (or, in a
 * FunctionDef scope, an argument of the function), no cycle. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "graph_internal.h"

/* How TensorFlow read an input that names no node, when that reading
 * may surprise ("a:-1" is the name "a:-1"; hs_parse_input). */
static void tf_reading(char *out, size_t cap, const hs_graph *g, hs_str text)
{
	hs_str name;
	int port;
	out[0] = '\0';
	if (g->container->function_inputs || hs_parse_input(&name, &port, text) != HS_OK)
		return;
	if (memchr(name.ptr, ':', name.len))
		snprintf(out, cap, " (TensorFlow reads it as node '%.*s', port %d)",
			 (int)(name.len > 200 ? 200 : name.len), name.ptr, port);
}

static int check_node_inputs(const hs_graph *g, const hs_node *n)
{
	int clamp = n->name.len > 200 ? 200 : (int)n->name.len;
	for (uint32_t i = 0; i < n->n_inputs; i++) {
		const hs_input *in = &n->inputs[i];
		char why[320];
		if (!g->container->function_inputs &&
		    hs_input_parse_why(NULL, NULL, hs_input_text(in), why, sizeof why) != HS_OK)
			return hs_fail(HS_EGRAPH, "node '%.*s': input %u '%.*s' is not of the form name, name:port or ^name (%s)",
				       clamp, n->name.ptr, i, (int)hs_input_text(in).len, in->text, why);
		if (hs_scope_parse_input(g, NULL, NULL, hs_input_text(in)) != HS_OK)
			return hs_fail(HS_EGRAPH, "node '%.*s': input %u '%.*s' is not of the form %s",
				       clamp, n->name.ptr, i, (int)hs_input_text(in).len, in->text,
				       "name, node:out_arg, node:out_arg:index or ^node");
		if (!in->src && !hs_scope_reads_arg(g, hs_input_text(in))) {
			char how[256];
			tf_reading(how, sizeof how, g, hs_input_text(in));
			return hs_fail(HS_EGRAPH, "node '%.*s': input %u '%.*s' names no node of the graph%s",
				       clamp, n->name.ptr, i, (int)hs_input_text(in).len, in->text, how);
		}
	}
	return HS_OK;
}

static int check_inputs(const hs_graph *g)
{
	for (const hs_node *n = hs_graph_next_node(g, NULL); n; n = hs_graph_next_node(g, n)) {
		int rc = check_node_inputs(g, n);
		if (rc)
			return rc;
	}
	return HS_OK;
}

/* Names one node on a cycle: walks inputs among the unfinished nodes
 * (those whose in-degree never reached 0). */
static int report_cycle(const hs_graph *g, const uint32_t *deg)
{
	size_t n_live = hs_graph_node_count(g);
	for (const hs_node *n = hs_graph_next_node(g, NULL); n; n = hs_graph_next_node(g, n)) {
		if (deg[hs_node_id(n)] == 0)
			continue;
		const hs_node *cur = n;
		for (size_t steps = 0; steps < n_live; steps++) {
			const hs_node *next = NULL;
			for (uint32_t i = 0; i < cur->n_inputs && !next; i++) {
				const hs_node *s = hs_node_input_src(cur, i);
				if (s && deg[hs_node_id(s)] && !hs_node_is_back_edge(s))
					next = s;
			}
			if (!next)
				break;
			cur = next;
		}
		return hs_fail(HS_EGRAPH, "the graph has a cycle through node '%.*s'",
			       (int)cur->name.len, cur->name.ptr);
	}
	return hs_fail(HS_EGRAPH, "the graph has a cycle");
}

/* Kahn's algorithm over the live nodes, or over those `in` marks (edges
 * from unmarked nodes do not count); what never reaches in-degree 0 is
 * on or behind a cycle.  In-degrees live in an array owned by the call,
 * indexed by node id: the graph is only read, so threads may verify one
 * graph at once. */
static int check_acyclic_among(const hs_graph *g, const uint8_t *in, size_t n_in)
{
	size_t n_live = in ? n_in : hs_graph_node_count(g), head = 0, tail = 0, done = 0;
	size_t n_ids = hs_graph_id_limit(g);
	const hs_node **queue = malloc((n_live ? n_live : 1) * sizeof *queue);
	uint32_t *deg = calloc(n_ids ? n_ids : 1, sizeof *deg);
	if (!queue || !deg) {
		free(queue);
		free(deg);
		return hs_fail(HS_ENOMEM, "out of memory checking for cycles");
	}
	for (const hs_node *n = hs_graph_next_node(g, NULL); n; n = hs_graph_next_node(g, n)) {
		if (in && !in[hs_node_id(n)])
			continue;
		uint32_t d = 0;
		for (uint32_t i = 0; i < n->n_inputs; i++) {
			const hs_node *s = hs_node_input_src(n, i);
			if (s && !hs_node_is_back_edge(s) && (!in || in[hs_node_id(s)]))
				d++;
		}
		deg[hs_node_id(n)] = d;
		if (d == 0)
			queue[tail++] = n;
	}
	while (head < tail) {
		const hs_node *n = queue[head++];
		done++;
		if (hs_node_is_back_edge(n))
			continue;
		for (uint32_t c = 0; c < n->n_consumers; c++) {
			const hs_node *r = hs_node_consumer_at(n, c);
			if ((!in || in[hs_node_id(r)]) && --deg[hs_node_id(r)] == 0)
				queue[tail++] = r;
		}
	}
	free(queue);
	int rc = done == n_live ? HS_OK : report_cycle(g, deg);
	free(deg);
	return rc;
}

static int check_acyclic(const hs_graph *g)
{
	return check_acyclic_among(g, NULL, 0);
}

/* New nodes, and original nodes whose inputs were edited: the only ones
 * whose input edges differ from the graph as loaded. */
static int is_changed(const hs_node *n)
{
	return (n->flags & (HS_NODE_F_NEW | HS_NODE_F_INPUTS_EDITED)) &&
	       !(n->flags & HS_NODE_F_REMOVED);
}

/* Marks what the changed nodes reach through their readers (themselves
 * included); *count gets the number marked.  Edges leaving a loop's back
 * edge are not followed, as the cycle check does not count them. */
static uint8_t *mark_downstream(const hs_graph *g, size_t *count)
{
	size_t n_ids = hs_graph_id_limit(g), top = 0;
	uint8_t *mark = calloc(n_ids ? n_ids : 1, 1);
	const hs_node **stack = malloc((n_ids ? n_ids : 1) * sizeof *stack);
	*count = 0;
	if (!mark || !stack) {
		free(mark);
		free(stack);
		return NULL;
	}
	for (uint32_t id = 0; id < n_ids; id++) {
		const hs_node *n = hs_graph_node_at(g, id);
		if (is_changed(n) && !mark[id]) {
			mark[id] = 1;
			stack[top++] = n;
		}
	}
	while (top) {
		const hs_node *n = stack[--top];
		(*count)++;
		if (hs_node_is_back_edge(n))
			continue;
		for (uint32_t c = 0; c < n->n_consumers; c++) {
			const hs_node *r = hs_node_consumer_at(n, c);
			if (!mark[hs_node_id(r)] && !(r->flags & HS_NODE_F_REMOVED)) {
				mark[hs_node_id(r)] = 1;
				stack[top++] = r;
			}
		}
	}
	free(stack);
	return mark;
}

/* What an edit can break, checked where it can break it, trusting that
 * the graph verified as loaded.  Inputs: those of new and edited nodes;
 * a reader left pointing at a removed node is counted as dangling by the
 * edit functions (n_dangling), and only then is every input looked at,
 * to name it.  Cycles: one the edits made runs through an input edge of
 * a changed node, so it lies among the nodes the changed ones reach;
 * Kahn's algorithm runs on those alone. */
int hs_graph_verify_changes(const hs_graph *g)
{
	size_t n_ids = hs_graph_id_limit(g);
	for (uint32_t id = 0; id < n_ids; id++) {
		const hs_node *n = hs_graph_node_at(g, id);
		int rc = is_changed(n) ? check_node_inputs(g, n) : HS_OK;
		if (rc)
			return rc;
	}
	if (g->n_dangling) {
		int rc = check_inputs(g);
		if (rc)
			return rc;
	}
	size_t count;
	uint8_t *mark = mark_downstream(g, &count);
	if (!mark)
		return hs_fail(HS_ENOMEM, "out of memory checking for cycles");
	int rc = count ? check_acyclic_among(g, mark, count) : HS_OK;
	free(mark);
	return rc;
}

int hs_graph_verify(const hs_graph *g)
{
	int rc = check_inputs(g);
	return rc ? rc : check_acyclic(g);
}
