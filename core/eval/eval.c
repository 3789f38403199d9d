/* The evaluator: feeds, and runs that compute only what the fetches need.
 *
 * A run has two passes over the nodes the fetches depend on, both with an
 * explicit stack (a graph may be a chain of a million nodes): the first
 * counts, per node, the outputs read and the reads still to come; the
 * second computes in post-order and frees a value once its last reader has
 * run.  Per-node scratch lives in arrays indexed by node id; the ids a run
 * touched are listed so the next run resets only those. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval_internal.h"
#include "graph_internal.h"
#include "grow.h"
#include "sysmem.h"

/* A function calling a function ... at most this deep. */
#define HS_EVAL_MAX_DEPTH 32
/* No op here has more outputs: a read of "x:99999999" fails before its
 * output array is allocated. */
#define HS_EVAL_MAX_PORTS (1u << 20)

enum { ST_NONE = 0, ST_PLANNED = 1, ST_ACTIVE = 2, ST_DONE = 3 };

/* A tensor to fetch: output `port` of node `id`, or argument `arg` of a
 * function scope (id UINT32_MAX). */
typedef struct hs_target {
	uint32_t id;
	int port;
	long arg;
} hs_target;

typedef struct feed {
	uint32_t id;
	int port;
	hs_value *t;
} feed;

typedef struct frame {
	uint32_t id;
	uint32_t next; /* next input to look at */
} frame;

struct hs_eval {
	const hs_graph *g;
	hs_eval_options opts;
	hs_eval *root;                /* self for the GraphDef's evaluator */
	unsigned depth;
	uint64_t live;                /* root: bytes of values held */
	uint64_t iterations;          /* root: While iterations this run */
	/* Root: the library and, per function, its evaluator, the targets
	 * of its results and whether a call is running (no recursion). */
	hs_fn_library *lib;
	hs_eval **fn_evals;
	hs_target **fn_targets;
	uint8_t *fn_busy;
	feed *feeds;
	size_t n_feeds, cap_feeds;
	const hs_value *const *args; /* a function scope's arguments */
	size_t n_args;
	/* Per node id, n_ids entries. */
	size_t n_ids;
	uint8_t *state;
	uint8_t *fed;
	uint8_t *fn_known;
	hs_kernel_fn *fns;
	uint32_t *need;               /* 1 + the highest port read */
	uint32_t *uses;               /* reads still to come */
	hs_value ***vals;
	/* Scratch of a run. */
	uint32_t *touched;
	size_t n_touched, cap_touched;
	frame *stack;
	size_t cap_stack;
	const hs_value **in;
	size_t cap_in;
};

/* 4 GiB, or half the physical memory when less. */
static uint64_t default_max_memory(void)
{
	return hs_memory_share((uint64_t)4 << 30, 2);
}

int hs_eval_options_init(hs_eval_options *opts, unsigned int version)
{
	static const hs_eval_options defaults = HS_EVAL_OPTIONS_INIT;
	return hs_options_init(opts, &defaults, sizeof defaults, version,
			       HS_EVAL_OPTIONS_VERSION, "hs_eval_options");
}

static int check_options(const hs_eval_options *o)
{
	if (o && (o->version < 1 || o->version > HS_EVAL_OPTIONS_VERSION))
		return hs_fail(HS_EINVAL, "hs_eval_options: unknown version %u (this library knows 1 to %d; use HS_EVAL_OPTIONS_INIT or hs_eval_options_init)",
			       o->version, HS_EVAL_OPTIONS_VERSION);
	return HS_OK;
}

static int alloc_node_arrays(hs_eval *ev)
{
	size_t n = hs_graph_id_limit(ev->g);
	ev->n_ids = n;
	size_t m = n ? n : 1;
	ev->state = calloc(m, 1);
	ev->fed = calloc(m, 1);
	ev->fn_known = calloc(m, 1);
	ev->fns = calloc(m, sizeof *ev->fns);
	ev->need = calloc(m, sizeof *ev->need);
	ev->uses = calloc(m, sizeof *ev->uses);
	ev->vals = calloc(m, sizeof *ev->vals);
	if (!ev->state || !ev->fed || !ev->fn_known || !ev->fns || !ev->need ||
	    !ev->uses || !ev->vals)
		return hs_fail(HS_ENOMEM, "out of memory for an evaluator of %zu nodes", n);
	return HS_OK;
}

static int eval_make(hs_eval **out, const hs_graph *g, const hs_eval_options *opts,
		     hs_eval *parent)
{
	hs_eval *ev = calloc(1, sizeof *ev);
	if (!ev)
		return hs_fail(HS_ENOMEM, "out of memory");
	ev->g = g;
	if (parent) {
		ev->opts = parent->opts;
		ev->root = parent->root;
		ev->depth = parent->depth + 1;
	} else {
		hs_eval_options_init(&ev->opts, HS_EVAL_OPTIONS_VERSION);
		if (opts)
			ev->opts = *opts;
		ev->opts.version = HS_EVAL_OPTIONS_VERSION;
		if (!ev->opts.max_memory)
			ev->opts.max_memory = default_max_memory();
		if (!ev->opts.max_loop_iterations)
			ev->opts.max_loop_iterations = 1000000;
		ev->root = ev;
	}
	int rc = alloc_node_arrays(ev);
	if (rc < 0) {
		hs_eval_free(ev);
		return rc;
	}
	*out = ev;
	return HS_OK;
}

int hs_eval_new(hs_eval **out, const hs_graph *g, const hs_eval_options *opts)
{
	int rc;
	if (!out || !g)
		return hs_fail(HS_EINVAL, "hs_eval_new: %s is NULL", out ? "the graph" : "out");
	*out = NULL;
	if ((rc = check_options(opts)) < 0)
		return rc;
	return eval_make(out, g, opts, NULL);
}

static int eval_new_scope(hs_eval **out, const hs_graph *scope, hs_eval *parent)
{
	*out = NULL;
	if (parent->depth + 1 > HS_EVAL_MAX_DEPTH)
		return hs_fail(HS_ELIMIT, "functions nest more than %d deep", HS_EVAL_MAX_DEPTH);
	return eval_make(out, scope, NULL, parent);
}


void hs_eval_clear_inputs(hs_eval *ev)
{
	if (!ev)
		return;
	for (size_t i = 0; i < ev->n_feeds; i++) {
		ev->fed[ev->feeds[i].id] = 0;
		hs_value_free(ev->feeds[i].t);
	}
	ev->n_feeds = 0;
}

void hs_eval_free(hs_eval *ev)
{
	if (!ev)
		return;
	hs_eval_clear_inputs(ev);
	if (ev->root == ev && ev->lib) {
		for (size_t i = 0; i < hs_fn_library_count(ev->lib); i++) {
			hs_eval_free(ev->fn_evals[i]);
			free(ev->fn_targets[i]);
		}
		free(ev->fn_evals);
		free(ev->fn_targets);
		free(ev->fn_busy);
		hs_fn_library_free(ev->lib);
	}
	free(ev->feeds);
	free(ev->state);
	free(ev->fed);
	free(ev->fn_known);
	free(ev->fns);
	free(ev->need);
	free(ev->uses);
	free(ev->vals);
	free(ev->touched);
	free(ev->stack);
	free(ev->in);
	free(ev);
}

/* ------------------------------------------------------------- naming */

static int node_of(uint32_t *id, const hs_eval *ev, hs_str name, hs_str whole)
{
	const hs_node *n = hs_graph_find_node(ev->g, name.ptr, name.len);
	if (!n || hs_node_is_removed(n))
		return hs_fail(HS_ENOTFOUND, "no node '%.*s' (for tensor '%.*s')",
			       HS_NAME_ARG(name), HS_NAME_ARG(whole));
	*id = hs_node_id(n);
	return HS_OK;
}

static int eval_target(hs_target *out, const hs_eval *ev, hs_str text)
{
	hs_str name;
	int port;
	out->id = UINT32_MAX;
	out->port = 0;
	out->arg = -1;
	if (hs_scope_reads_arg(ev->g, text)) {
		out->arg = hs_scope_find_arg(ev->g, text);
		return HS_OK;
	}
	if (!text.len || hs_scope_parse_input(ev->g, &name, &port, text) < 0 || port < 0)
		return hs_fail(HS_EINVAL, "'%.*s' is not a tensor name (write node or node:port)",
			       HS_NAME_ARG(text));
	out->port = port;
	return node_of(&out->id, ev, name, text);
}

int hs_eval_set_input(hs_eval *ev, const char *name, const hs_value *t)
{
	hs_target tg;
	int rc;
	if (!ev || !name || !t)
		return hs_fail(HS_EINVAL, "hs_eval_set_input: an argument is NULL");
	if ((rc = hs_value_check(t)) < 0) {
		hs_error_prefix(name);
		return rc;
	}
	if ((rc = eval_target(&tg, ev, (hs_str){ name, strlen(name) })) < 0)
		return rc;
	if (tg.arg >= 0)
		return hs_fail(HS_EINVAL, "'%s' is a function argument, not a node", name);
	for (size_t i = 0; i < ev->n_feeds; i++)
		if (ev->feeds[i].id == tg.id && ev->feeds[i].port == tg.port) {
			hs_value *old = ev->feeds[i].t;
			ev->feeds[i].t = hs_value_ref(t);
			hs_value_free(old);
			return HS_OK;
		}
	if ((rc = hs_grow((void **)&ev->feeds, &ev->cap_feeds, ev->n_feeds + 1,
			  sizeof *ev->feeds, 8)) < 0)
		return rc;
	ev->feeds[ev->n_feeds++] = (feed){ tg.id, tg.port, hs_value_ref(t) };
	ev->fed[tg.id] = 1;
	return HS_OK;
}

/* --------------------------------------------------------------- values */

static void release_value(hs_eval *ev, uint32_t id)
{
	hs_value **v = ev->vals[id];
	if (!v)
		return;
	for (uint32_t p = 0; p < ev->need[id]; p++) {
		ev->root->live -= hs_value_held_bytes(v[p]);
		hs_value_free(v[p]);
	}
	free(v);
	ev->vals[id] = NULL;
}

/* One read of node id is over. */
static void use_done(hs_eval *ev, uint32_t id)
{
	if (ev->uses[id] && --ev->uses[id] == 0)
		release_value(ev, id);
}

/* Forgets a run: values, counts, states of every node it touched. */
static void reset_run(hs_eval *ev)
{
	for (size_t i = 0; i < ev->n_touched; i++) {
		uint32_t id = ev->touched[i];
		release_value(ev, id);
		ev->state[id] = ST_NONE;
		ev->need[id] = 0;
		ev->uses[id] = 0;
	}
	ev->n_touched = 0;
}

/* ------------------------------------------------------------- planning */

static const hs_node *node_at(const hs_eval *ev, uint32_t id)
{
	return hs_graph_node_at(ev->g, id);
}

/* True when input in of a node reads a function argument; *arg gets it. */
static int input_arg(long *arg, const hs_eval *ev, const hs_input *in)
{
	if (in->src || !ev->g->n_args || !hs_scope_reads_arg(ev->g, hs_input_text(ev->g, in)))
		return 0;
	*arg = hs_scope_find_arg(ev->g, hs_input_text(ev->g, in));
	return 1;
}

static int push(hs_eval *ev, size_t *top, uint32_t id)
{
	int rc = hs_grow((void **)&ev->stack, &ev->cap_stack, *top + 1, sizeof *ev->stack, 64);
	if (rc < 0)
		return rc;
	ev->stack[(*top)++] = (frame){ id, 0 };
	return HS_OK;
}

static int touch(hs_eval *ev, uint32_t id)
{
	int rc = hs_grow((void **)&ev->touched, &ev->cap_touched, ev->n_touched + 1,
			 sizeof *ev->touched, 64);
	if (rc < 0)
		return rc;
	ev->touched[ev->n_touched++] = id;
	ev->state[id] = ST_PLANNED;
	return HS_OK;
}

static int need_port(hs_eval *ev, uint32_t id, int port)
{
	if ((uint32_t)port >= HS_EVAL_MAX_PORTS) {
		const hs_node *n = hs_graph_node_at(ev->g, id);
		return hs_fail(HS_ELIMIT, "output %d of node '%.*s' is read, more than %u outputs are not supported",
			       port, HS_NODE_NAME_ARG(n), HS_EVAL_MAX_PORTS);
	}
	if ((uint32_t)port + 1 > ev->need[id])
		ev->need[id] = (uint32_t)port + 1;
	ev->uses[id]++;
	return HS_OK;
}

static int bad_input(const hs_node *n, const hs_input *in)
{
	hs_str text = hs_input_text(n->graph, in);
	return hs_fail(HS_EGRAPH, "input '%.*s' of node '%.*s' names no node",
		       HS_NAME_ARG(text), HS_NODE_NAME_ARG(n));
}

/* The first pass: which nodes, which of their outputs, how many reads. */
static int plan(hs_eval *ev, const hs_target *t, size_t n_t)
{
	size_t top = 0;
	int rc;
	for (size_t i = 0; i < n_t; i++) {
		if (t[i].arg >= 0)
			continue;
		/* The fetch holds one read. */
		if ((rc = need_port(ev, t[i].id, t[i].port)) < 0 ||
		    (rc = push(ev, &top, t[i].id)) < 0)
			return rc;
	}
	while (top) {
		uint32_t id = ev->stack[--top].id;
		if (ev->state[id] != ST_NONE)
			continue;
		if ((rc = touch(ev, id)) < 0)
			return rc;
		if (ev->fed[id])
			continue;
		const hs_node *n = node_at(ev, id);
		for (uint32_t i = 0; i < n->n_inputs; i++) {
			const hs_input *in = &hs_node_inputs(n)[i];
			long arg;
			int port = hs_input_port(ev->g, in);
			if (port < 0 || input_arg(&arg, ev, in))
				continue;
			if (!in->src)
				return bad_input(n, in);
			uint32_t src = hs_input_src_id(in);
			if ((rc = need_port(ev, src, port)) < 0)
				return rc;
			if (ev->state[src] == ST_NONE && (rc = push(ev, &top, src)) < 0)
				return rc;
		}
	}
	return HS_OK;
}

/* ---------------------------------------------------------- computing */

static int fail_at(const hs_node *n, int rc)
{
	char label[300];
	snprintf(label, sizeof label, "node '%.*s' (%.*s)", HS_NODE_NAME_ARG(n),
		 (int)hs_op_of(n).len, hs_op_of(n).ptr);
	hs_error_prefix(label);
	return rc;
}

static int take_feeds(hs_eval *ev, uint32_t id, hs_value **out)
{
	const hs_node *n = node_at(ev, id);
	for (uint32_t p = 0; p < ev->need[id]; p++) {
		for (size_t i = 0; i < ev->n_feeds && !out[p]; i++)
			if (ev->feeds[i].id == id && ev->feeds[i].port == (int)p)
				out[p] = hs_value_ref(ev->feeds[i].t);
		if (!out[p])
			return hs_fail(HS_EINVAL, "node '%.*s' is fed, but not its output %u, which is read",
				       HS_NODE_NAME_ARG(n), p);
	}
	return HS_OK;
}

static int gather_inputs(size_t *n_in, hs_eval *ev, const hs_node *n)
{
	int rc = hs_grow((void **)&ev->in, &ev->cap_in, n->n_inputs + 1, sizeof *ev->in, 16);
	if (rc < 0)
		return rc;
	size_t k = 0;
	for (uint32_t i = 0; i < n->n_inputs; i++) {
		const hs_input *in = &hs_node_inputs(n)[i];
		long arg;
		int port = hs_input_port(ev->g, in);
		if (port < 0)
			continue;
		if (input_arg(&arg, ev, in)) {
			if (arg < 0 || (size_t)arg >= ev->n_args || !ev->args)
				return hs_fail(HS_EINVAL, "node '%.*s' reads argument '%.*s', which the call does not pass",
					       HS_NODE_NAME_ARG(n),
					       (int)hs_input_text(ev->g, in).len, hs_input_text(ev->g, in).ptr);
			ev->in[k++] = ev->args[arg];
			continue;
		}
		ev->in[k++] = ev->vals[hs_input_src_id(in)][port];
	}
	*n_in = k;
	return HS_OK;
}

/* ------------------------------------------------------------ calls */

static int run_targets(hs_value **outs, hs_eval *ev, const hs_target *t, size_t n);

/* Function `name` of the root's library, with its evaluator and result
 * targets made on first use. */
static int fn_get(hs_fn **fn, size_t *idx, hs_eval *ev, hs_str name)
{
	hs_eval *root = ev->root;
	int rc;
	if (!root->lib) {
		if ((rc = hs_fn_library_new(&root->lib, root->g)) < 0)
			return rc;
		size_t n = hs_fn_library_count(root->lib) + 1;
		root->fn_evals = calloc(n, sizeof *root->fn_evals);
		root->fn_targets = calloc(n, sizeof *root->fn_targets);
		root->fn_busy = calloc(n, 1);
		if (!root->fn_evals || !root->fn_targets || !root->fn_busy)
			return hs_fail(HS_ENOMEM, "out of memory");
	}
	if ((rc = hs_fn_library_get(fn, idx, root->lib, name)) < 0)
		return rc;
	if (root->fn_evals[*idx])
		return HS_OK;
	hs_eval *sub;
	hs_target *t = calloc((*fn)->n_rets + 1, sizeof *t);
	if (!t)
		return hs_fail(HS_ENOMEM, "out of memory");
	if ((rc = eval_new_scope(&sub, (*fn)->scope, ev)) < 0) {
		free(t);
		return rc;
	}
	for (size_t i = 0; rc == HS_OK && i < (*fn)->n_rets; i++)
		rc = eval_target(&t[i], sub, (*fn)->rets[i]);
	if (rc < 0) {
		free(t);
		hs_eval_free(sub);
		return rc;
	}
	root->fn_evals[*idx] = sub;
	root->fn_targets[*idx] = t;
	return HS_OK;
}

static int fn_fail(hs_str name, int rc)
{
	char label[300];
	snprintf(label, sizeof label, "function '%.*s'", HS_NAME_ARG(name));
	hs_error_prefix(label);
	return rc;
}

static int fn_arity(size_t *n_ret, hs_kctx *k, hs_str name)
{
	hs_fn *fn;
	size_t idx;
	int rc = fn_get(&fn, &idx, k->ev, name);
	*n_ret = rc == HS_OK ? fn->n_rets : 0;
	return rc;
}

static int fn_call(hs_kctx *k, hs_str name, const hs_value *const *args, size_t n_args,
		   hs_value **rets, size_t n_rets)
{
	hs_fn *fn;
	size_t idx;
	int rc = fn_get(&fn, &idx, k->ev, name);
	if (rc < 0)
		return rc;
	hs_eval *root = k->ev->root, *sub = root->fn_evals[idx];
	if (n_rets != fn->n_rets || n_args != fn->scope->n_args)
		return hs_fail(HS_EINVAL, "function '%.*s' takes %zu arguments and gives %zu results, called with %zu and %zu",
			       HS_NAME_ARG(name), fn->scope->n_args, fn->n_rets, n_args,
			       n_rets);
	if (root->fn_busy[idx])
		return hs_fail(HS_EINVAL, "function '%.*s' calls itself", HS_NAME_ARG(name));
	root->fn_busy[idx] = 1;
	sub->args = args;
	sub->n_args = n_args;
	rc = run_targets(rets, sub, root->fn_targets[idx], n_rets);
	sub->args = NULL;
	sub->n_args = 0;
	root->fn_busy[idx] = 0;
	return rc < 0 ? fn_fail(name, rc) : rc;
}

static int call_kernel(hs_eval *ev, const hs_node *n, uint32_t id, size_t n_in,
		       hs_value **out)
{
	if (!ev->fn_known[id]) {
		ev->fns[id] = hs_kernel_find(hs_op_of(n));
		ev->fn_known[id] = 1;
	}
	if (ev->fns[id]) {
		hs_kctx k = { ev, n, &ev->opts, &ev->root->live, fn_call, fn_arity,
			      &ev->root->iterations };
		int rc = ev->fns[id](&k, n, ev->in, n_in, out, ev->need[id]);
		return rc < 0 ? fail_at(n, rc) : rc;
	}
	if (ev->opts.kernel) {
		int rc = ev->opts.kernel(ev->opts.kernel_user, n, ev->in, n_in, out,
					 ev->need[id]);
		if (rc != HS_ENOTFOUND)
			return rc < 0 ? fail_at(n, rc) : rc;
	}
	return hs_fail(HS_ENOTFOUND, "no kernel for op %.*s (node '%.*s')", (int)hs_op_of(n).len,
		       hs_op_of(n).ptr, HS_NODE_NAME_ARG(n));
}

static int store_outputs(hs_eval *ev, const hs_node *n, uint32_t id, hs_value **out)
{
	uint64_t bytes = 0;
	for (uint32_t p = 0; p < ev->need[id]; p++) {
		if (!out[p])
			return fail_at(n, hs_fail(HS_ERROR, "the kernel left output %u unset", p));
		bytes += hs_value_held_bytes(out[p]);
	}
	ev->vals[id] = out;
	ev->root->live += bytes;
	if (ev->root->live > ev->opts.max_memory)
		return fail_at(n, hs_fail(HS_ELIMIT, "the values alive take more than the memory limit of %llu bytes",
					  (unsigned long long)ev->opts.max_memory));
	return HS_OK;
}

static int compute(hs_eval *ev, uint32_t id)
{
	const hs_node *n = node_at(ev, id);
	hs_value **out = calloc(ev->need[id], sizeof *out);
	size_t n_in = 0;
	int rc;
	if (!out)
		return hs_fail(HS_ENOMEM, "out of memory");
	if (ev->fed[id])
		rc = take_feeds(ev, id, out);
	else if ((rc = gather_inputs(&n_in, ev, n)) == HS_OK)
		rc = call_kernel(ev, n, id, n_in, out);
	if (rc == HS_OK)
		return store_outputs(ev, n, id, out);
	for (uint32_t p = 0; p < ev->need[id]; p++)
		hs_value_free(out[p]);
	free(out);
	return rc;
}

static void inputs_done(hs_eval *ev, uint32_t id)
{
	if (ev->fed[id])
		return;
	const hs_node *n = node_at(ev, id);
	for (uint32_t i = 0; i < n->n_inputs; i++)
		if (hs_node_input_port(n, i) >= 0 && hs_node_input_src(n, i))
			use_done(ev, hs_node_id(hs_node_input_src(n, i)));
}

/* The next input of the frame's node still to compute: its producer's id,
 * or UINT32_MAX when all are done. */
static uint32_t next_pending(hs_eval *ev, frame *f)
{
	if (ev->fed[f->id])
		return UINT32_MAX;
	const hs_node *n = node_at(ev, f->id);
	while (f->next < n->n_inputs) {
		const hs_input *in = &hs_node_inputs(n)[f->next++];
		if (!in->src || hs_input_port(ev->g, in) < 0)
			continue;
		uint32_t src = hs_input_src_id(in);
		if (ev->state[src] != ST_DONE)
			return src;
	}
	return UINT32_MAX;
}

/* The second pass from one fetch: post-order with an explicit stack. */
static int compute_from(hs_eval *ev, uint32_t root)
{
	size_t top = 0;
	int rc;
	if (ev->state[root] == ST_DONE)
		return HS_OK;
	if ((rc = push(ev, &top, root)) < 0)
		return rc;
	ev->state[root] = ST_ACTIVE;
	while (top) {
		frame *f = &ev->stack[top - 1];
		uint32_t src = next_pending(ev, f);
		if (src != UINT32_MAX) {
			if (ev->state[src] == ST_ACTIVE) {
				const hs_node *n = node_at(ev, src);
				return hs_fail(HS_EGRAPH, "the graph has a cycle through node '%.*s'",
					       HS_NODE_NAME_ARG(n));
			}
			if ((rc = push(ev, &top, src)) < 0)
				return rc;
			ev->state[src] = ST_ACTIVE;
			continue;
		}
		uint32_t id = f->id;
		if ((rc = compute(ev, id)) < 0)
			return rc;
		ev->state[id] = ST_DONE;
		inputs_done(ev, id);
		top--;
	}
	return HS_OK;
}

static hs_value *target_value(hs_eval *ev, const hs_target *t)
{
	if (t->arg >= 0)
		return (size_t)t->arg < ev->n_args ? hs_value_ref(ev->args[t->arg]) : NULL;
	return hs_value_ref(ev->vals[t->id][t->port]);
}

static int run_targets(hs_value **outs, hs_eval *ev, const hs_target *t, size_t n)
{
	int rc = plan(ev, t, n);
	for (size_t i = 0; rc == HS_OK && i < n; i++)
		if (t[i].arg < 0)
			rc = compute_from(ev, t[i].id);
	for (size_t i = 0; rc == HS_OK && i < n; i++)
		if (!(outs[i] = target_value(ev, &t[i])))
			rc = hs_fail(HS_EINVAL, "fetch %zu reads an argument the call does not pass", i);
	if (rc < 0)
		for (size_t i = 0; i < n; i++) {
			hs_value_free(outs[i]);
			outs[i] = NULL;
		}
	reset_run(ev);
	return rc;
}

int hs_eval_run(hs_value **outs, hs_eval *ev, const char *const *fetches, size_t n)
{
	if (!outs || !ev || (n && !fetches))
		return hs_fail(HS_EINVAL, "hs_eval_run: an argument is NULL");
	for (size_t i = 0; i < n; i++)
		outs[i] = NULL;
	hs_target *t = calloc(n ? n : 1, sizeof *t);
	if (!t)
		return hs_fail(HS_ENOMEM, "out of memory");
	ev->root->iterations = 0;
	int rc = HS_OK;
	for (size_t i = 0; rc == HS_OK && i < n; i++) {
		if (!fetches[i])
			rc = hs_fail(HS_EINVAL, "hs_eval_run: fetch %zu is NULL", i);
		else
			rc = eval_target(&t[i], ev, (hs_str){ fetches[i], strlen(fetches[i]) });
	}
	if (rc == HS_OK)
		rc = run_targets(outs, ev, t, n);
	free(t);
	return rc;
}

/* ------------------------------------------------------- placeholders */

static void placeholder_shape(hs_placeholder *p, const hs_node *n)
{
	hs_attr a;
	p->rank = -1;
	if (hs_node_attr(&a, n, "shape") != HS_OK || a.kind != HS_ATTR_SHAPE)
		return;
	/* TensorShapeProto: dim = 2 (size = 1), unknown_rank = 3. */
	const uint8_t *q = (const uint8_t *)a.v.message.ptr, *end = q + a.v.message.len;
	hs_field f = { 0 };
	int rank = 0;
	while (hs_wire_next(&f, &q, end) == HS_WIRE_OK) {
		if (f.number == 3 && f.wire_type == HS_WT_VARINT && f.value)
			return;
		if (f.number != 2 || f.wire_type != HS_WT_LEN)
			continue;
		if (rank == HS_TENSOR_MAX_RANK)
			return;
		int64_t size = 0;
		const uint8_t *d = f.data;
		hs_field g = { 0 };
		while (hs_wire_next(&g, &d, f.data + f.len) == HS_WIRE_OK)
			if (g.number == 1 && g.wire_type == HS_WT_VARINT)
				size = (int64_t)g.value;
		p->dims[rank++] = size < 0 ? -1 : size;
	}
	p->rank = rank;
}

int hs_eval_placeholders(hs_placeholder **out, size_t *count, const hs_graph *g)
{
	if (!out || !count || !g)
		return hs_fail(HS_EINVAL, "hs_eval_placeholders: an argument is NULL");
	*out = NULL;
	*count = 0;
	hs_placeholder *list = NULL;
	size_t n = 0, cap = 0;
	for (hs_node *nd = hs_graph_next_node(g, NULL); nd; nd = hs_graph_next_node(g, nd)) {
		int with_default = hs_str_eq(hs_op_of(nd), "PlaceholderWithDefault");
		if (!with_default && !hs_str_eq(hs_op_of(nd), "Placeholder"))
			continue;
		int rc = hs_grow((void **)&list, &cap, n + 1, sizeof *list, 8);
		if (rc < 0) {
			free(list);
			return rc;
		}
		hs_placeholder *p = &list[n++];
		memset(p, 0, sizeof *p);
		p->node = nd;
		p->has_default = with_default;
		if (hs_kattr_type(&p->dtype, nd, "dtype") < 0)
			p->dtype = 0;
		placeholder_shape(p, nd);
	}
	*out = list;
	*count = n;
	return HS_OK;
}
