/* The plan: what happens to each call, decided before anything changes.
 * Per call, in order: detector problems and level, the region (region.c),
 * who claims it (the registry, with the region), then across calls the
 * overlaps (higher priority wins, then the first call) and the cycles the
 * stubs would close (cycles.c).  Only reads the graph and the call set. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "plan_internal.h"

#define STR_ARG HS_STR_ARG

const char *hs_call_result_name(hs_call_result r)
{
	switch (r) {
	case HS_CALL_CONVERTED: return "converted";
	case HS_CALL_KEPT: return "kept";
	case HS_CALL_SKIPPED: return "skipped";
	case HS_CALL_FAILED: return "failed";
	}
	return "unknown";
}

int hs_plan_options_init(hs_plan_options *opts, unsigned int version)
{
	static const hs_plan_options defaults = HS_PLAN_OPTIONS_INIT;
	return hs_options_init(opts, &defaults, sizeof defaults, version, HS_PLAN_OPTIONS_VERSION,
			       "hs_plan_options");
}

static int has_identities(const hs_call *c)
{
	for (size_t d = 0; d < 2; d++) {
		const hs_operand *ops = d ? c->outputs : c->inputs;
		size_t n = d ? c->n_outputs : c->n_inputs;
		for (size_t i = 0; i < n; i++)
			for (size_t e = 0; e < ops[i].count; e++)
				if (!hs_operand_identity_at(&ops[i], e))
					return 0;
	}
	return 1;
}

/* Call i's reason (NULL: none); the array is made by the first one, most
 * calls of a big plan have none. */
static int set_reason(hs_plan *p, size_t i, const char *reason)
{
	if (!p->reasons) {
		if (!reason)
			return HS_OK;
		p->reasons = hs_arena_alloc(&p->arena, p->n * sizeof *p->reasons);
		if (!p->reasons)
			return HS_ENOMEM;
	}
	p->reasons[i] = reason;
	return HS_OK;
}

/* Records what happens to call i (HS_OK, for tail calls). */
static int set_outcome(hs_plan *p, size_t i, hs_call_result r, int error,
		       const char *reason)
{
	hs_entry *e = &p->entries[i];
	e->result = (uint8_t)r;
	e->error = error != 0;
	if (r != HS_CALL_CONVERTED)
		e->plugin = NULL;
	p->pc[i].candidate = 0;
	p->pc[i].decided = 1;
	return set_reason(p, i, hs_plan_printable(p, reason));
}

static const char *first_error(const hs_problem *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].severity == HS_SEVERITY_ERROR)
			return v[i].message;
	return NULL;
}

/* The first error among the plan's own problems of a call. */
static const char *plan_error(const hs_plan_call *pc)
{
	return pc->rare ? first_error(pc->rare->problems, pc->rare->n_problems) : NULL;
}

/* The boundary a stub needs: inputs and outputs, every operand with its
 * elements (one when not aggregated).  Detectors other than OpHint may
 * hand the plan anything; a region walked from an empty boundary would
 * swallow the graph above it. */
static int check_boundary(hs_plan *p, size_t i)
{
	const hs_call *c = hs_plan_call_of(p, i);
	if (!c->n_inputs || !c->n_outputs)
		return hs_plan_problemf(p, i, HS_SEVERITY_ERROR, HS_P_NO_BOUNDARY,
					"call %.*s (%.*s) has no %s", STR_ARG(c->uuid),
					STR_ARG(c->function), c->n_inputs ? "outputs" : "inputs");
	for (size_t d = 0; d < 2; d++) {
		const hs_operand *ops = d ? c->outputs : c->inputs;
		size_t n = d ? c->n_outputs : c->n_inputs;
		for (size_t k = 0; k < n; k++) {
			const hs_operand *o = &ops[k];
			if (o->count && (o->count == 1 || o->aggregation != HS_AGG_SINGLE))
				continue;
			return hs_plan_problemf(p, i, HS_SEVERITY_ERROR, HS_P_NO_BOUNDARY,
						"call %.*s (%.*s): %s %lld has %zu elements",
						STR_ARG(c->uuid), STR_ARG(c->function),
						d ? "output" : "input", (long long)o->index, (size_t)o->count);
		}
	}
	return HS_OK;
}

/* Which calls get a region: level-1 calls with a sane boundary.  The
 * others get their outcome here, once. */
static int prepare_call(hs_plan *p, size_t i)
{
	hs_plan_call *pc = &p->pc[i];
	const hs_call *c = hs_plan_call_of(p, i);
	const hs_call_rare *cr = hs_call_rare_of(c);
	if (c->level >= 2 && !c->converted && !cr->body &&
	    !first_error(cr->problems, cr->n_problems)) {
		/* A level-2 call of a detector that gave it no loop body. */
		hs_plan_problemf(p, i, HS_SEVERITY_NOTE, HS_P_LEVEL2,
				 "call %.*s (%.*s) has level %lld: level-2 hints are not supported yet; left as it is",
				 STR_ARG(c->uuid), STR_ARG(c->function), (long long)c->level);
		return set_outcome(p, i, HS_CALL_SKIPPED, 0, "level-2 hints are not supported yet");
	}
	if (c->converted)
		return set_outcome(p, i, HS_CALL_KEPT, 0, "already converted");
	const char *err = first_error(cr->problems, cr->n_problems);
	if (!err && check_boundary(p, i) == HS_OK)
		err = plan_error(pc);
	if (err)
		return set_outcome(p, i, HS_CALL_SKIPPED, 1, err);
	if (!has_identities(c))
		return set_outcome(p, i, HS_CALL_SKIPPED, 0,
				   "its boundary has no hint identities: only calls with identities are converted yet");
	/* Its kept identities are read from its operands (hs_kept_iter). */
	pc->usable = 1;
	return HS_OK;
}

static int prepare_calls(hs_plan *p)
{
	int rc = HS_OK;
	for (size_t i = 0; i < p->n && !rc; i++)
		rc = prepare_call(p, i);
	return rc;
}

/* --------------------------------------------------------- decisions */

typedef struct trail_ctx {
	hs_plan *p;
	size_t i;
} trail_ctx;

static void record_verdict(const char *plugin, int claims, const char *reason,
			   void *payload)
{
	trail_ctx *t = payload;
	hs_plan_rare *r = hs_plan_rare_of(t->p, t->i);
	if (!r) {
		t->p->failed = HS_ENOMEM;
		return;
	}
	hs_plan_record_verdict(t->p, &r->trail, &r->n_trail, &r->cap_trail,
			       plugin, claims, reason);
}

/* A plugin's check failed on call i: the on-failure rule decides, as for
 * emit.  skip: the call fails alone (a warning); abort: it is an error and
 * the plan cannot be applied (hs_apply refuses it with this reason), but
 * inspect, explain and the report still see every call. */
static int check_failed(hs_plan *p, size_t i, const char *reason)
{
	const char *why = hs_plan_printable(p, hs_arena_printf(&p->arena, "%s", reason));
	if (!why)
		return HS_ENOMEM;
	int abort = hs_registry_failure_policy(p->opts.registry) == HS_ON_FAILURE_ABORT;
	if (abort && !p->aborted)
		p->aborted = why;
	return set_outcome(p, i, HS_CALL_FAILED, abort, why);
}

/* Call i is to be converted by `name` (NULL: out of memory). */
static int become_candidate(hs_plan *p, size_t i, const char *name)
{
	if (!name)
		return HS_ENOMEM;
	p->entries[i].plugin = name;
	p->pc[i].candidate = 1;
	return HS_OK;
}

/* The claimer's name, copied (a report of hs_convert may outlive the
 * registry): once for a run of calls one plugin claims. */
static const char *plugin_name_copy(hs_plan *p, const char *name)
{
	if (p->last_plugin_name != name) {
		const char *copy = hs_arena_printf(&p->arena, "%s", name);
		if (!copy)
			return NULL;
		p->last_plugin_name = name;
		p->last_plugin_copy = copy;
	}
	return p->last_plugin_copy;
}

/* Who converts call i: a plugin, the generic stub, or nobody by rule. */
static int claim_call(hs_plan *p, size_t i)
{
	hs_plan_call *pc = &p->pc[i];
	hs_claim cl;
	trail_ctx t = { p, i };
	int rc = hs_registry_claim(&cl, p->opts.registry, p->g, hs_plan_call_of(p, i), &pc->region,
				   p->opts.explain ? record_verdict : NULL, &t);
	if (rc)
		return rc;
	pc->claim = cl.kind;
	pc->plugin = cl.plugin;
	pc->claim_data = cl.data;
	pc->priority = cl.priority;
	if (cl.kind == HS_CLAIM_FAILED)
		return check_failed(p, i, cl.reason);
	if (cl.kind == HS_CLAIM_KEEP || cl.kind == HS_CLAIM_ERROR) {
		const char *why = hs_arena_printf(&p->arena, "%s", cl.reason[0] ? cl.reason
						  : cl.kind == HS_CLAIM_KEEP ? "kept by rule"
						  : "no plugin claims it and the rules require one");
		if (!why)
			return HS_ENOMEM;
		return set_outcome(p, i, cl.kind == HS_CLAIM_KEEP ? HS_CALL_KEPT : HS_CALL_SKIPPED,
				   cl.kind == HS_CLAIM_ERROR, why);
	}
	return become_candidate(p, i, cl.kind == HS_CLAIM_PLUGIN && cl.plugin_name
				? plugin_name_copy(p, cl.plugin_name) : "generic");
}

/* A level-2 call is converted when every child is: its children's
 * claims decide (the parent itself never becomes a stub). */
static int decide_level2(hs_plan *p, size_t i)
{
	const hs_l2_child *b = hs_level2_blocker(p, i);
	if (b) {
		const char *why = hs_arena_printf(&p->arena, "child %.*s (%.*s): %s",
						  STR_ARG(b->call->uuid), STR_ARG(b->call->function),
						  b->reason);
		if (!why)
			return HS_ENOMEM;
		if (b->claim == HS_CLAIM_FAILED)
			return check_failed(p, i, why);
		return set_outcome(p, i, b->claim == HS_CLAIM_KEEP ? HS_CALL_KEPT : HS_CALL_SKIPPED,
				   b->claim == HS_CLAIM_ERROR, why);
	}
	return become_candidate(p, i, hs_level2_plugins(p, i));
}

/* Region problems (an interior escape under `error`, an input that is
 * also an output) and the rules: which calls may be converted. */
static int decide(hs_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		hs_plan_call *pc = &p->pc[i];
		if (pc->decided)
			continue;
		const char *err = plan_error(pc);
		int rc = err || !pc->usable ? set_outcome(p, i, HS_CALL_SKIPPED, 1, err ? err : "")
			 : hs_plan_l2(pc) ? decide_level2(p, i) : claim_call(p, i);
		if (rc)
			return rc;
	}
	return HS_OK;
}

typedef struct ranked_call {
	int priority;
	size_t ordinal;
} ranked_call;

static int cmp_rank(const void *pa, const void *pb)
{
	const ranked_call *a = pa, *b = pb;
	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	return (a->ordinal > b->ordinal) - (a->ordinal < b->ordinal);
}

static int lose_overlap(hs_plan *p, size_t i, size_t winner)
{
	const hs_call *w = hs_plan_call_of(p, winner), *c = hs_plan_call_of(p, i);
	if (hs_registry_overlap_policy(p->opts.registry) == HS_OVERLAP_ERROR)
		return hs_fail(HS_EHINT, "the regions of calls %.*s (%.*s) and %.*s (%.*s) overlap",
			       HS_NAME_ARG(c->uuid), HS_NAME_ARG(c->function),
			       HS_NAME_ARG(w->uuid), HS_NAME_ARG(w->function));
	const char *why = hs_arena_printf(&p->arena, "its region overlaps the region of call %.*s (%.*s), which is converted instead",
					  STR_ARG(w->uuid), STR_ARG(w->function));
	if (!why)
		return HS_ENOMEM;
	hs_plan_rare *r = hs_plan_rare_of(p, i);
	if (!r)
		return HS_ENOMEM;
	r->lost_to = winner;
	r->plugin_name = p->entries[i].plugin; /* set_outcome clears it */
	return set_outcome(p, i, HS_CALL_SKIPPED, 0, why);
}

/* Whether a candidate's region overlaps another's: most plans have none,
 * and then need no ranking (nor its scratch, 20 bytes a call). */
static int any_overlap(const hs_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->pc[i].candidate && p->pc[i].rare && p->pc[i].rare->n_overlaps)
			return 1;
	return 0;
}

/* Overlapping regions: the higher priority wins, then the first call. */
static int resolve_overlaps(hs_plan *p)
{
	if (!any_overlap(p))
		return HS_OK;
	size_t n = 0;
	ranked_call *order = malloc((p->n ? p->n : 1) * sizeof *order);
	int *won = calloc(p->n ? p->n : 1, sizeof *won);
	int rc = HS_OK;
	if (!order || !won) {
		free(order);
		free(won);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < p->n; i++) {
		if (!p->pc[i].candidate)
			continue;
		order[n].priority = p->pc[i].priority;
		order[n++].ordinal = i;
	}
	qsort(order, n, sizeof *order, cmp_rank);
	for (size_t k = 0; k < n && !rc; k++) {
		size_t i = order[k].ordinal;
		const hs_plan_rare *r = p->pc[i].rare;
		size_t winner = SIZE_MAX;
		for (size_t o = 0; r && o < r->n_overlaps && winner == SIZE_MAX; o++)
			if (won[r->overlaps[o]])
				winner = r->overlaps[o];
		if (winner == SIZE_MAX)
			won[i] = 1;
		else
			rc = lose_overlap(p, i, winner);
	}
	free(order);
	free(won);
	return rc;
}

/* Calls whose stub would close a cycle are refused.  Refusing one gives
 * its output identities their original inputs back, which can close a
 * cycle through another stub: check again until none is left (each round
 * is linear and refuses at least one call). */
static int refuse_cycles(hs_plan *p)
{
	uint8_t *on_cycle = calloc(p->n ? p->n : 1, sizeof *on_cycle);
	if (!on_cycle)
		return hs_fail(HS_ENOMEM, "out of memory");
	int rc, refused;
	do {
		refused = 0;
		rc = hs_cycles_find(p, on_cycle);
		for (size_t i = 0; i < p->n && !rc; i++) {
			if (!on_cycle[i])
				continue;
			const hs_call *c = hs_plan_call_of(p, i);
			rc = hs_plan_problemf(p, i, HS_SEVERITY_ERROR, HS_P_CYCLE,
					      "call %.*s (%.*s): the stub would close a cycle: an input identity depends on the call's outputs",
					      STR_ARG(c->uuid), STR_ARG(c->function));
			hs_plan_call *pc = &p->pc[i];
			if (!rc)
				rc = set_outcome(p, i, HS_CALL_SKIPPED, 1,
						 pc->rare->problems[pc->rare->n_problems - 1].message);
			pc->refused = 1;
			refused++;
		}
	} while (!rc && refused);
	free(on_cycle);
	return rc;
}

/* ----------------------------------------------------------- entries */

/* A call with problems of the plan: the call set's, then these, in one
 * array (hs_plan_problems). */
static int merge_problems(hs_plan *p, size_t i)
{
	hs_plan_rare *r = p->pc[i].rare;
	const hs_call_rare *cr = hs_call_rare_of(hs_plan_call_of(p, i));
	if (!r || !r->n_problems)
		return HS_OK;
	hs_problem *v = hs_arena_alloc(&p->arena, (cr->n_problems + r->n_problems) * sizeof *v);
	if (!v)
		return HS_ENOMEM;
	if (cr->n_problems)
		memcpy(v, cr->problems, cr->n_problems * sizeof *v);
	memcpy(v + cr->n_problems, r->problems, r->n_problems * sizeof *v);
	r->merged = v;
	r->n_merged = cr->n_problems + r->n_problems;
	return HS_OK;
}

static int finish_entries(hs_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		hs_entry *e = &p->entries[i];
		const hs_plan_call *pc = &p->pc[i];
		int rc = merge_problems(p, i);
		if (rc)
			return rc;
		if (pc->candidate) {
			e->result = HS_CALL_CONVERTED;
			e->nodes_added = (uint32_t)(hs_plan_l2(pc) ? hs_level2_nodes_added(p, i)
				       : hs_plan_stub_nodes(&p->opts, hs_plan_call_of(p, i)));
			p->converted++;
		}
		p->errors += e->error != 0;
	}
	return HS_OK;
}

/* A call that lost an overlap to a call later refused for a cycle is a
 * candidate again: the region it lost to stays in the graph. */
static size_t restore_losers(hs_plan *p)
{
	size_t restored = 0;
	for (size_t i = 0; i < p->n; i++) {
		hs_plan_call *pc = &p->pc[i];
		size_t winner = hs_plan_lost_to(pc);
		if (winner == SIZE_MAX || !p->pc[winner].refused)
			continue;
		hs_entry *e = &p->entries[i];
		pc->rare->lost_to = SIZE_MAX;
		pc->candidate = 1;
		pc->decided = 0;
		e->result = HS_CALL_CONVERTED;
		p->reasons[i] = NULL; /* made by its loss */
		e->plugin = pc->rare->plugin_name;
		restored++;
	}
	return restored;
}

/* Overlaps, then cycles, until refusing a call frees no loser. */
static int resolve_conflicts(hs_plan *p)
{
	int rc;
	do {
		rc = resolve_overlaps(p);
		if (!rc)
			rc = refuse_cycles(p);
	} while (!rc && restore_losers(p));
	return rc;
}

static int plan_all(hs_plan *p)
{
	int rc = prepare_calls(p);
	if (!rc)
		rc = hs_regions_compute(p);
	if (!rc)
		rc = hs_level2_plan(p);
	if (!rc)
		rc = decide(p);
	if (!rc)
		rc = resolve_conflicts(p);
	if (!rc)
		rc = finish_entries(p);
	if (!rc && p->failed)
		rc = hs_fail(HS_ENOMEM, "out of memory recording the plan");
	return rc;
}

static int plan_alloc(hs_plan **out, const hs_graph *g, const hs_callset *calls,
		      const hs_plan_options *opts)
{
	hs_plan *p = calloc(1, sizeof *p);
	if (!p)
		return hs_fail(HS_ENOMEM, "out of memory");
	*out = p;
	hs_plan_options defaults = HS_PLAN_OPTIONS_INIT;
	p->g = g;
	p->edits = g->edits;
	p->calls = calls;
	p->opts = opts ? *opts : defaults;
	p->n = calls->n_calls;
	size_t n = p->n ? p->n : 1;
	p->pc = hs_arena_alloc(&p->arena, n * sizeof *p->pc);
	p->entries = hs_arena_alloc(&p->arena, n * sizeof *p->entries);
	if (!p->pc || !p->entries)
		return HS_ENOMEM;
	/* Each call's bits are read, then set (prepare_call): the pages
	 * populated, not the zero page a read maps (hs_pages_populate). */
	(void)hs_pages_populate(p->pc, n * sizeof *p->pc);
	(void)hs_pages_populate(p->entries, n * sizeof *p->entries);
	return hs_entry_blocks_init(&p->public_entries, p->n);
}

static int policy_known(hs_policy v)
{
	return v == HS_POLICY_ERROR || v == HS_POLICY_WARN || v == HS_POLICY_IGNORE;
}

int hs_plan_new(hs_plan **out, const hs_graph *g, const hs_callset *calls,
		const hs_plan_options *opts)
{
	if (!out || !g || !calls)
		return hs_fail(HS_EINVAL, "hs_plan_new: out, graph and calls are required");
	*out = NULL;
	if (calls->g != g)
		return hs_fail(HS_EINVAL, "hs_plan_new: the call set belongs to another graph");
	if (opts && opts->version != HS_PLAN_OPTIONS_VERSION)
		return hs_fail(HS_EINVAL, "hs_plan_options: unknown version %u", opts->version);
	if (opts && (opts->input_layout != HS_LAYOUT_DENSE &&
		     opts->input_layout != HS_LAYOUT_PRESENT))
		return hs_fail(HS_EINVAL, "hs_plan_options: unknown input layout %d",
			       (int)opts->input_layout);
	if (opts && (!policy_known(opts->interior_escape) ||
		     !policy_known(opts->unhinted_side_input)))
		return hs_fail(HS_EINVAL, "hs_plan_options: unknown policy %d",
			       !policy_known(opts->interior_escape) ? (int)opts->interior_escape
			       : (int)opts->unhinted_side_input);
	hs_plan *p = NULL;
	int rc = plan_alloc(&p, g, calls, opts);
	if (!rc)
		rc = plan_all(p);
	if (rc) {
		hs_plan_free(p);
		return rc;
	}
	*out = p;
	return HS_OK;
}

void hs_plan_free(hs_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; p->pc && i < p->n; i++)
		hs_registry_free_claim(p->pc[i].plugin, p->pc[i].claim_data);
	hs_level2_free(p);
	hs_entry_blocks_free(&p->public_entries);
	hs_arena_free(&p->arena);
	free(p);
}

const hs_callset *hs_plan_calls(const hs_plan *p) { return p ? p->calls : NULL; }
size_t hs_plan_count(const hs_plan *p) { return p ? p->n : 0; }
size_t hs_plan_converted(const hs_plan *p) { return p ? p->converted : 0; }
size_t hs_plan_errors(const hs_plan *p) { return p ? p->errors : 0; }

void hs_entry_fill(hs_call_report *e, const hs_plan *p, size_t i, const hs_entry *x,
		   const char *reason)
{
	const hs_call *c = hs_plan_call_of(p, i);
	memset(e, 0, sizeof *e);
	e->function = c->function;
	e->uuid = c->uuid;
	e->result = (hs_call_result)x->result;
	e->plugin = x->plugin;
	/* Only a converted call removes its region (a report's failed call
	 * removed nothing). */
	e->nodes_removed = x->result == HS_CALL_CONVERTED ? p->pc[i].region.n : 0;
	e->nodes_added = x->nodes_added;
	e->reason = reason;
	e->error = x->error;
	e->problems = hs_plan_problems(p, i, &e->n_problems);
	e->ordinal = i;
}

static void fill_plan_entry(hs_call_report *e, const void *owner, size_t i)
{
	hs_plan_entry_read(owner, i, e);
}

const hs_call_report *hs_plan_entry(const hs_plan *p, size_t i)
{
	if (!p || i >= p->n)
		return NULL;
	return hs_entry_blocks_get(&p->public_entries, i, p->n, fill_plan_entry, p);
}

int hs_plan_entry_get(const hs_plan *p, size_t i, hs_call_report *out, size_t size)
{
	return hs_entry_copy(out, size, i, p ? p->n : 0, fill_plan_entry, p, "hs_plan_entry_get");
}

const hs_region *hs_plan_region(const hs_plan *p, size_t i)
{
	return p && i < p->n ? &p->pc[i].region : NULL;
}

int hs_plan_explain(const hs_plan *p, size_t i, hs_explain_fn fn, void *payload)
{
	if (!p || !fn || i >= p->n)
		return hs_fail(HS_EINVAL, "hs_plan_explain: a plan, a call index and a callback are required");
	if (!p->opts.explain)
		return hs_fail(HS_EINVAL, "hs_plan_explain: the plan was made without hs_plan_options.explain");
	const hs_plan_rare *r = p->pc[i].rare;
	for (size_t k = 0; r && k < r->n_trail; k++)
		fn(r->trail[k].plugin, r->trail[k].claims, r->trail[k].reason, payload);
	return HS_OK;
}
