/* Structural checks of a graph: every input names a node (or, in a
 * FunctionDef scope, an argument of the function), no cycle. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "graph_internal.h"
#include "grow.h"

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
			 HS_NAME_ARG(name), port);
}

static int check_node_inputs(const hs_graph *g, const hs_node *n)
{
	for (uint32_t i = 0; i < n->n_inputs; i++) {
		const hs_input *in = &hs_node_inputs(n)[i];
		char why[320];
		/* Bound: its text parsed (the binding read it), and it names
		 * a node; its text is not read (a cache miss an input). */
		if (in->src)
			continue;
		hs_str text = hs_input_text(g, in);
		if (!g->container->function_inputs &&
		    hs_input_parse_why(NULL, NULL, text, why, sizeof why) != HS_OK)
			return hs_fail(HS_EGRAPH, "node '%.*s': input %u '%.*s' is not of the form name, name:port or ^name (%s)",
				       HS_NODE_NAME_ARG(n), i, HS_NAME_ARG(text), why);
		if (hs_scope_parse_input(g, NULL, NULL, text) != HS_OK)
			return hs_fail(HS_EGRAPH, "node '%.*s': input %u '%.*s' is not of the form %s",
				       HS_NODE_NAME_ARG(n), i, HS_NAME_ARG(text),
				       "name, node:out_arg, node:out_arg:index or ^node");
		if (!in->src && !hs_scope_reads_arg(g, text)) {
			char how[256];
			tf_reading(how, sizeof how, g, text);
			return hs_fail(HS_EGRAPH, "node '%.*s': input %u '%.*s' names no node of the graph%s",
				       HS_NODE_NAME_ARG(n), i, HS_NAME_ARG(text), how);
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
			       HS_NODE_NAME_ARG(cur));
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
 * edge are not followed, as the cycle check does not count them.  Only
 * to name a cycle the search below found. */
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

/* The same verdict and message as Kahn's algorithm among the nodes the
 * changed ones reach, which is what runs once a cycle was found. */
static int name_cycle_downstream(const hs_graph *g)
{
	size_t count;
	uint8_t *mark = mark_downstream(g, &count);
	if (!mark)
		return hs_fail(HS_ENOMEM, "out of memory checking for cycles");
	int rc = check_acyclic_among(g, mark, count);
	free(mark);
	return rc ? rc : hs_fail(HS_EGRAPH, "the graph has a cycle");
}

/* One step of the depth-first search: a node on the current path and the
 * next of its readers to look at. */
typedef struct dfs_frame {
	uint32_t id;
	uint32_t next;
} dfs_frame;

enum { DFS_UNSEEN = 0, DFS_ON_PATH = 1, DFS_DONE = 2 };

typedef struct dfs {
	const hs_graph *g;
	uint8_t *colour;          /* by node id */
	dfs_frame *stack;
	size_t n, cap;
} dfs;

/* Enters node r (unseen): a loop's back edge leads nowhere the check
 * counts, so it is done at once. */
static int dfs_enter(dfs *d, const hs_node *r)
{
	uint32_t id = hs_node_id(r);
	if (hs_node_is_back_edge(r)) {
		d->colour[id] = DFS_DONE;
		return HS_OK;
	}
	if (hs_grow((void **)&d->stack, &d->cap, d->n + 1, sizeof *d->stack, 1024))
		return HS_ENOMEM;
	d->colour[id] = DFS_ON_PATH;
	d->stack[d->n++] = (dfs_frame){ id, 0 };
	return HS_OK;
}

/* Walks the readers from the changed node `start`; *cycle is set when a
 * reader on the current path is met again. */
static int dfs_from(dfs *d, const hs_node *start, int *cycle)
{
	int rc = dfs_enter(d, start);
	while (!rc && d->n) {
		dfs_frame *f = &d->stack[d->n - 1];
		const hs_node *n = hs_graph_node_at(d->g, f->id);
		if (f->next == n->n_consumers) {
			d->colour[f->id] = DFS_DONE;
			d->n--;
			continue;
		}
		const hs_node *r = hs_node_consumer_at(n, f->next++);
		if (r->flags & HS_NODE_F_REMOVED)
			continue;
		uint8_t c = d->colour[hs_node_id(r)];
		if (c == DFS_ON_PATH) {
			*cycle = 1;
			return HS_OK;
		}
		if (c == DFS_UNSEEN)
			rc = dfs_enter(d, r);
	}
	return rc;
}

/* Whether a cycle runs through what the changed nodes reach: one depth-
 * first search over those nodes and their reader edges, each looked at
 * once (Kahn's algorithm would walk them twice and every input of each). */
static int changes_close_cycle(const hs_graph *g, int *cycle)
{
	size_t n_ids = hs_graph_id_limit(g);
	dfs d = { g, calloc(n_ids ? n_ids : 1, 1), NULL, 0, 0 };
	int rc = d.colour ? HS_OK : HS_ENOMEM;
	*cycle = 0;
	for (uint32_t id = 0; id < n_ids && !rc && !*cycle; id++) {
		const hs_node *n = hs_graph_node_at(g, id);
		if (d.colour[id] == DFS_UNSEEN && is_changed(n))
			rc = dfs_from(&d, n, cycle);
	}
	free(d.colour);
	free(d.stack);
	return rc ? hs_fail(HS_ENOMEM, "out of memory checking for cycles") : HS_OK;
}

/* ------------------------------------------- edges in written order
 *
 * When every edge of the file ran from a node to a later one (the parse
 * says so: g->edges_forward) and every edge the edits made does too, in
 * the order the graph is written, there is no cycle: no search needed. */

/* Where the node of id `id` is written: an original node at (id, 0), the
 * k-th new node after original node a at (a, k), after all at (n_nodes,
 * k).  new_pos holds the positions of the new nodes by new-node index:
 * comparing edges reads no node and no edit record (ids below n_nodes
 * are the original nodes, in file order). */
static uint64_t position(const hs_graph *g, const uint64_t *new_pos, uint32_t id)
{
	return id < g->n_nodes ? (uint64_t)id << 32 : new_pos[id - g->n_nodes];
}

/* The position of every linked new node: each run after one original
 * node (or after all) is walked once.  NULL when out of memory. */
static uint64_t *new_positions(const hs_graph *g)
{
	uint64_t *pos = calloc(g->n_new ? g->n_new : 1, sizeof *pos);
	for (size_t i = 0; pos && i < g->n_new; i++) {
		const hs_node *n = g->new_nodes[i];
		/* A removed one may never have been linked (a failed add). */
		if (pos[i] || (n->flags & HS_NODE_F_REMOVED))
			continue;
		uint32_t anchor = hs_node_anchor(n);
		const hs_node *x = anchor == HS_ANCHOR_TAIL ? g->tail_new_first
				   : hs_node_next_new(&g->nodes[anchor]);
		uint64_t at = anchor == HS_ANCHOR_TAIL ? g->n_nodes : anchor;
		for (uint32_t k = 1; x; x = hs_node_next_new(x), k++)
			pos[hs_node_id(x) - g->n_nodes] = at << 32 | k;
	}
	return pos;
}

/* The edge from node src to node dst, by ids: the source is read only
 * when the edge runs backward (a loop's back edge may). */
static int runs_forward(const hs_graph *g, const uint64_t *pos, uint32_t src, uint32_t dst)
{
	return position(g, pos, src) < position(g, pos, dst) ||
	       hs_node_is_back_edge(hs_graph_node_at(g, src));
}

static int inputs_run_forward(const hs_graph *g, const uint64_t *pos, const hs_node *n)
{
	for (uint32_t i = 0; i < n->n_inputs; i++) {
		const hs_input *in = &hs_node_inputs(n)[i];
		if (in->src && !runs_forward(g, pos, hs_input_src_id(in), hs_node_id(n)))
			return 0;
	}
	return 1;
}

/* A new node may have taken over readers whose inputs did not change
 * (they named it before it existed): its reader edges are new too. */
static int new_nodes_run_forward(const hs_graph *g, const uint64_t *pos)
{
	for (size_t i = 0; i < g->n_new; i++) {
		const hs_node *n = g->new_nodes[i];
		if (n->flags & HS_NODE_F_REMOVED)
			continue;
		for (uint32_t c = 0; c < n->n_consumers; c++)
			if (!runs_forward(g, pos, hs_node_id(n), hs_node_consumers(n)[c]))
				return 0;
	}
	return 1;
}

/* What an edit can break, checked where it can break it, trusting that
 * the graph verified as loaded.  Inputs: those of new and edited nodes;
 * a reader left pointing at a removed node is counted as dangling by the
 * edit functions (n_dangling), and only then is every input looked at,
 * to name it.  Cycles: one the edits made runs through an edge they
 * made; none can when all those run forward in written order through a
 * file that did (the conversion's own edits do); else it lies among the
 * nodes the changed ones reach, and a depth-first search over those
 * alone looks for it. */
/* The first changed node, in id order, whose inputs are wrong: the
 * message names the same node whichever way the changes were found. */
static int first_bad_inputs(const hs_graph *g)
{
	size_t n_ids = hs_graph_id_limit(g);
	for (uint32_t id = 0; id < n_ids; id++) {
		const hs_node *n = hs_graph_node_at(g, id);
		int rc = is_changed(n) ? check_node_inputs(g, n) : HS_OK;
		if (rc)
			return rc;
	}
	return HS_OK;
}

/* One changed node's inputs (0, or 1 when one is wrong), and whether its
 * edges run forward. */
static int check_changed(const hs_graph *g, const uint64_t *pos, const hs_node *n,
			 int *forward)
{
	if (!is_changed(n))
		return 0;
	if (check_node_inputs(g, n))
		return 1;
	*forward = *forward && inputs_run_forward(g, pos, n);
	return 0;
}

int hs_graph_verify_changes(const hs_graph *g)
{
	uint64_t *pos = g->edges_forward ? new_positions(g) : NULL;
	int forward = pos != NULL, bad = 0;
	/* The changed nodes are the new ones and the original ones the edit
	 * functions listed: every node is not walked. */
	for (size_t i = 0; i < g->n_inputs_edited && !bad; i++)
		bad = check_changed(g, pos, hs_graph_node_at(g, g->inputs_edited[i]), &forward);
	for (size_t i = 0; i < g->n_new && !bad; i++)
		bad = check_changed(g, pos, g->new_nodes[i], &forward);
	if (bad) {
		free(pos);
		return first_bad_inputs(g);
	}
	forward = forward && new_nodes_run_forward(g, pos);
	free(pos);
	if (g->n_dangling) {
		int rc = check_inputs(g);
		if (rc)
			return rc;
	}
	if (forward)
		return HS_OK;
	int cycle;
	int rc = changes_close_cycle(g, &cycle);
	return rc ? rc : cycle ? name_cycle_downstream(g) : HS_OK;
}

int hs_graph_verify(const hs_graph *g)
{
	/* As loaded, the parse proved both: every input bound to a node (no
	 * dangling one) and every edge running forward (no cycle). */
	if (g->edits == 0 && g->n_new == 0 && g->n_dangling == 0 && g->edges_forward)
		return HS_OK;
	int rc = check_inputs(g);
	return rc ? rc : check_acyclic(g);
}
