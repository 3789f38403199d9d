/* The region of each call, in time linear in the nodes and edges of the
 * regions (no whole-graph pass per call).
 *
 * C: walking backward from the producers of the call's output identities,
 *    stopping at its kept input identities (and at its kept output
 *    identities, which stay and get rewired).  Non-kept output elements
 *    belong to C themselves.
 * D: the part of C forward-reachable from the kept input identities.
 * K: nodes of C read from outside C, with everything above them in C:
 *    they stay.  For D that is an interior escape (the value depends on
 *    the inputs but is used elsewhere), for C\D an unhinted side input
 *    (the region reads a kept node directly).  Both are kept, so that a
 *    call converted under a warn/ignore policy leaves a valid graph.
 * Interior = C \ K.  Interior nodes are claimed in an owner table so that
 * overlapping regions are found without comparing calls.
 *
 * The graph is only read: every per-node flag lives in side arrays of the
 * pass, indexed by node id and reset per call by an epoch stamp. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "error.h"
#include "grow.h"
#include "plan_internal.h"

enum {
	R_STOP_IN = 1u << 0,  /* kept input identity */
	R_STOP_OUT = 1u << 1, /* kept output identity */
	R_C = 1u << 2,
	R_D = 1u << 3,
	R_K = 1u << 4,
	R_IDENTITY = 1u << 5  /* any hint identity of the call */
};

/* What the pass knows of one node, in one place (one cache miss a node
 * of a region, not three). */
typedef struct node_state {
	uint32_t owner;       /* 1 + ordinal of the owning call */
	uint32_t mark;        /* epoch << 8 | R_* of the current call */
} node_state;

#define EPOCH_MAX (UINT32_MAX >> 8)

typedef struct region_state {
	hs_plan *p;
	node_state *nodes;    /* by node id */
	size_t n_owner;
	uint32_t epoch;
	hs_node **stack;
	size_t n_stack, cap_stack;
	hs_node **cset;
	size_t n_cset, cap_cset;
	uint32_t *paired;     /* by call: 1 + the call whose overlaps are
				 stamped (the one being claimed for) */
	hs_region_block *ids; /* the regions' ids, shared blocks */
} region_state;

#define NODE_FMT "'%.*s'"
#define NODE_ARG HS_NODE_ARG
#define STR_ARG HS_STR_ARG

static uint32_t flags_of(const region_state *st, const hs_node *n)
{
	uint32_t m = st->nodes[hs_node_id(n)].mark;
	return m >> 8 == st->epoch ? (m & 0xff) : 0;
}

static void set_flag(region_state *st, const hs_node *n, uint32_t f)
{
	node_state *x = &st->nodes[hs_node_id(n)];
	if (x->mark >> 8 != st->epoch)
		x->mark = st->epoch << 8;
	x->mark |= f;
}

/* A new call's flags: none set.  Past EPOCH_MAX calls the marks are
 * cleared and the epochs start again. */
static void next_epoch(region_state *st)
{
	if (++st->epoch > EPOCH_MAX) {
		for (size_t i = 0; i < st->n_owner; i++)
			st->nodes[i].mark = 0;
		st->epoch = 1;
	}
}

static int push(hs_node ***arr, size_t *n, size_t *cap, hs_node *x)
{
	int rc = hs_grow((void **)arr, cap, *n + 1, sizeof **arr, 256);
	if (rc)
		return rc;
	(*arr)[(*n)++] = x;
	return HS_OK;
}

static int add_to_c(region_state *st, hs_node *n)
{
	set_flag(st, n, R_C);
	if (push(&st->cset, &st->n_cset, &st->cap_cset, n))
		return HS_ENOMEM;
	return push(&st->stack, &st->n_stack, &st->cap_stack, n);
}

static int add_overlap(hs_plan *plan, size_t a, size_t b)
{
	hs_plan_rare *r = hs_plan_rare_of(plan, a);
	if (!r)
		return HS_ENOMEM;
	int rc = hs_arena_grow(&plan->arena, (void **)&r->overlaps, &r->cap_overlaps,
			       r->n_overlaps + 1, sizeof *r->overlaps);
	if (rc)
		return rc;
	r->overlaps[r->n_overlaps++] = b;
	return HS_OK;
}

/* Claims for `call` begin: the calls it overlaps already are stamped, so
 * each pair is recorded once in time independent of how many calls
 * overlap (overlap lists are symmetric: a pair is in both or neither). */
static void begin_claims(region_state *st, size_t call)
{
	const hs_plan_rare *r = st->p->pc[call].rare;
	for (size_t i = 0; r && i < r->n_overlaps; i++)
		st->paired[r->overlaps[i]] = (uint32_t)call + 1;
}

static int claim_node(region_state *st, size_t call, const hs_node *n)
{
	uint32_t id = hs_node_id(n);
	if (id >= st->n_owner)
		return HS_OK;
	uint32_t o = st->nodes[id].owner;
	if (o == 0) {
		st->nodes[id].owner = (uint32_t)call + 1;
		return HS_OK;
	}
	if (o - 1 == call || st->paired[o - 1] == call + 1)
		return HS_OK;
	st->paired[o - 1] = (uint32_t)call + 1;
	int rc = add_overlap(st->p, call, o - 1);
	return rc ? rc : add_overlap(st->p, o - 1, call);
}

/* C: backward from the outputs, stopping at the kept identities. */
static int walk_candidates(region_state *st, const hs_call *c)
{
	st->n_stack = st->n_cset = 0;
	hs_kept_iter it;
	uint32_t id;
	for (size_t i = 0; i < c->n_identities; i++)
		set_flag(st, hs_call_identity_at(c, i), R_IDENTITY);
	for (hs_kept_begin(&it, c, 0); hs_kept_next(&it, &id);)
		set_flag(st, hs_plan_kept_node(st->p, id), R_STOP_IN);
	for (hs_kept_begin(&it, c, 1); hs_kept_next(&it, &id);)
		set_flag(st, hs_plan_kept_node(st->p, id), R_STOP_OUT);
	for (size_t i = 0; i < c->n_outputs; i++) {
		const hs_operand *o = &c->outputs[i];
		for (size_t e = 0; e < o->count; e++) {
			hs_node *n = hs_operand_identity_at(o, e);
			uint32_t f = flags_of(st, n);
			if (f & R_STOP_OUT) {
				if (push(&st->stack, &st->n_stack, &st->cap_stack, n))
					return HS_ENOMEM;
			} else if (!(f & (R_STOP_IN | R_C)) && add_to_c(st, n)) {
				return HS_ENOMEM;
			}
		}
	}
	while (st->n_stack) {
		hs_node *n = st->stack[--st->n_stack];
		for (uint32_t i = 0; i < n->n_inputs; i++) {
			hs_node *s = hs_node_input_src(n, i);
			if (!s || (flags_of(st, s) & (R_STOP_IN | R_STOP_OUT | R_C)))
				continue;
			if (add_to_c(st, s))
				return HS_ENOMEM;
		}
	}
	return HS_OK;
}

/* D: forward from the kept inputs, inside C. */
static int walk_dependents(region_state *st, const hs_call *c)
{
	hs_kept_iter it;
	uint32_t id;
	st->n_stack = 0;
	for (hs_kept_begin(&it, c, 0); hs_kept_next(&it, &id);)
		if (push(&st->stack, &st->n_stack, &st->cap_stack, hs_plan_kept_node(st->p, id)))
			return HS_ENOMEM;
	while (st->n_stack) {
		hs_node *n = st->stack[--st->n_stack];
		for (uint32_t i = 0; i < n->n_consumers; i++) {
			hs_node *r = hs_node_consumer_at(n, i);
			uint32_t f = flags_of(st, r);
			if (!(f & R_C) || (f & R_D))
				continue;
			set_flag(st, r, R_D);
			if (push(&st->stack, &st->n_stack, &st->cap_stack, r))
				return HS_ENOMEM;
		}
	}
	return HS_OK;
}

static hs_severity policy_severity(hs_policy p)
{
	return p == HS_POLICY_ERROR ? HS_SEVERITY_ERROR : HS_SEVERITY_WARNING;
}

static hs_node *outside_reader(const region_state *st, const hs_node *n)
{
	for (uint32_t i = 0; i < n->n_consumers; i++) {
		hs_node *r = hs_node_consumer_at(n, i);
		if (!(flags_of(st, r) & (R_C | R_STOP_OUT)))
			return r;
	}
	return NULL;
}

/* An interior node reading n that is no hint of the call: a non-kept
 * element of an aggregated input reading a kept node is how aggregates
 * work, not a side input. */
static hs_node *interior_reader(const region_state *st, const hs_node *n)
{
	for (uint32_t i = 0; i < n->n_consumers; i++) {
		hs_node *r = hs_node_consumer_at(n, i);
		if ((flags_of(st, r) & (R_C | R_K | R_IDENTITY)) == R_C)
			return r;
	}
	return NULL;
}

/* K: nodes read from outside C, and what they read inside C. */
static int find_kept(region_state *st, const hs_call *c)
{
	hs_plan *h = st->p;
	size_t ci = c->ordinal;
	st->n_stack = 0;
	for (size_t i = 0; i < st->n_cset; i++) {
		hs_node *n = st->cset[i];
		hs_node *r = outside_reader(st, n);
		if (!r)
			continue;
		set_flag(st, n, R_K);
		if (push(&st->stack, &st->n_stack, &st->cap_stack, n))
			return HS_ENOMEM;
		if (flags_of(st, n) & R_D) {
			if (h->opts.interior_escape != HS_POLICY_IGNORE)
				hs_plan_problemf(h, ci, policy_severity(h->opts.interior_escape),
						 HS_P_INTERIOR_ESCAPE,
						 "call %.*s (%.*s): interior node " NODE_FMT " is read by " NODE_FMT " outside the region",
						 STR_ARG(c->uuid), STR_ARG(c->function),
						 NODE_ARG(n), NODE_ARG(r));
		}
	}
	size_t n_seeds = st->n_stack;
	hs_node **seeds = NULL;
	if (n_seeds && !(seeds = malloc(n_seeds * sizeof *seeds)))
		return hs_fail(HS_ENOMEM, "out of memory");
	if (n_seeds)
		memcpy(seeds, st->stack, n_seeds * sizeof *seeds);
	while (st->n_stack) {
		hs_node *n = st->stack[--st->n_stack];
		for (uint32_t i = 0; i < n->n_inputs; i++) {
			hs_node *s = hs_node_input_src(n, i);
			if (!s || (flags_of(st, s) & (R_C | R_K)) != R_C)
				continue;
			set_flag(st, s, R_K);
			if (push(&st->stack, &st->n_stack, &st->cap_stack, s)) {
				free(seeds);
				return HS_ENOMEM;
			}
		}
	}
	/* Reported once K is complete: an interior reader is one not kept. */
	for (size_t i = 0; i < n_seeds && h->opts.unhinted_side_input != HS_POLICY_IGNORE; i++) {
		hs_node *n = seeds[i];
		if (flags_of(st, n) & R_D)
			continue;
		hs_node *r = interior_reader(st, n);
		if (!r)
			continue;
		hs_plan_problemf(h, ci, policy_severity(h->opts.unhinted_side_input),
				 HS_P_SIDE_INPUT,
				 "call %.*s (%.*s): interior node " NODE_FMT " reads " NODE_FMT " without an input hint; " NODE_FMT " stays (read by " NODE_FMT " outside the region)",
				 STR_ARG(c->uuid), STR_ARG(c->function), NODE_ARG(r),
				 NODE_ARG(n), NODE_ARG(n), NODE_ARG(outside_reader(st, n)));
	}
	free(seeds);
	return HS_OK;
}

/* Node ids are their seqs: ascending ids are file order. */
static int cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int collect_interior(region_state *st, const hs_call *c)
{
	hs_plan_call *p = &st->p->pc[c->ordinal];
	size_t n = 0;
	for (size_t i = 0; i < st->n_cset; i++)
		n += !(flags_of(st, st->cset[i]) & R_K);
	int rc = hs_region_reserve(&p->region, &st->p->arena, &st->ids, st->p->g, n);
	if (rc)
		return rc;
	uint32_t *interior = hs_region_ids(&p->region);
	size_t k = 0;
	begin_claims(st, c->ordinal);
	for (size_t i = 0; i < st->n_cset; i++) {
		hs_node *x = st->cset[i];
		if (flags_of(st, x) & R_K)
			continue;
		interior[k++] = hs_node_id(x);
		rc = claim_node(st, c->ordinal, x);
		if (rc)
			return rc;
	}
	if (k)
		qsort(interior, k, sizeof *interior, cmp_id);
	return HS_OK;
}

static int region_of(region_state *st, const hs_call *c)
{
	hs_plan_call *p = &st->p->pc[c->ordinal];
	hs_kept_iter it;
	uint32_t id;
	next_epoch(st);
	/* Flags, not a comparison of every pair: a call may have 200,000
	 * kept identities. */
	for (hs_kept_begin(&it, c, 0); hs_kept_next(&it, &id);)
		set_flag(st, hs_plan_kept_node(st->p, id), R_STOP_IN);
	for (hs_kept_begin(&it, c, 1); hs_kept_next(&it, &id);) {
		const hs_node *out = hs_plan_kept_node(st->p, id);
		if (!(flags_of(st, out) & R_STOP_IN))
			continue;
		p->usable = 0;
		return hs_plan_problemf(st->p, c->ordinal, HS_SEVERITY_ERROR, HS_P_INPUT_IS_OUTPUT,
				 "call %.*s (%.*s): hint " NODE_FMT " is both a kept input and a kept output of the call (the stub would read its own output)",
				 STR_ARG(c->uuid), STR_ARG(c->function),
				 NODE_ARG(out));
	}
	int rc = walk_candidates(st, c);
	if (!rc)
		rc = walk_dependents(st, c);
	if (!rc)
		rc = find_kept(st, c);
	if (!rc)
		rc = collect_interior(st, c);
	return rc;
}

static void state_free(region_state *st)
{
	free(st->nodes);
	free(st->stack);
	free(st->cset);
	free(st->paired);
}

int hs_regions_compute(hs_plan *p)
{
	region_state st = { .p = p };
	st.n_owner = hs_graph_id_limit(p->g);
	size_t n = st.n_owner ? st.n_owner : 1;
	/* Read before written (claim_node): populated, not the zero page. */
	st.nodes = hs_calloc_written(n, sizeof *st.nodes);
	st.paired = calloc(p->n ? p->n : 1, sizeof *st.paired);
	if (!st.nodes || !st.paired) {
		state_free(&st);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	int rc = HS_OK;
	/* Identities belong to their call before any region is walked, so a
	 * region swallowing another call's identities is an overlap whichever
	 * call comes first. */
	for (size_t ci = 0; ci < p->n && !rc; ci++) {
		const hs_call *c = hs_plan_call_of(p, ci);
		begin_claims(&st, ci);
		for (size_t k = 0; k < c->n_identities && !rc; k++)
			rc = claim_node(&st, ci, hs_call_identity_at(c, k));
	}
	for (size_t ci = 0; ci < p->n && !rc; ci++)
		if (p->pc[ci].usable)
			rc = region_of(&st, hs_plan_call_of(p, ci));
	state_free(&st);
	return rc ? rc : p->failed;
}
