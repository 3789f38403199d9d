/* Carrying out a plan: per planned call, build the stub and hand it to
 * its plugin before anything of the original graph changes (so a failing
 * plugin is undone by removing the nodes added for that call), then
 * rewire the outputs and remove the region; at the end collapse hint
 * Pack/Unpack pairs, strip hints if asked, and verify the graph. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply_internal.h"
#include "attr_iter.h"
#include "error.h"
#include "ophint_internal.h"
#include "stub.h"
#include "emit_guard.h"
#include "chain.h"
#include "library.h"
#include "prefetch.h"

#define STR_ARG HS_STR_ARG

typedef struct apply_state {
	hs_graph *g;
	const hs_plan *plan;
	hs_apply_options opts;
	hs_report *report;
	hs_stub_ctx stub;
	int edited;          /* a call's conversion began (the graph changed) */
	/* The one-element Pack/Unpack pairs between a loop's stubs: they go
	 * even with keep_pack_unpack (a sequence is no step: kept, they would
	 * not compute what the loop did). */
	hs_node_list l2_packs, l2_unpacks;
} apply_state;

int hs_apply_options_init(hs_apply_options *opts, unsigned int version)
{
	static const hs_apply_options defaults = HS_APPLY_OPTIONS_INIT;
	return hs_options_init(opts, &defaults, sizeof defaults, version, HS_APPLY_OPTIONS_VERSION,
			       "hs_apply_options");
}

/* Entry i to change: the report copies the plan's entries the first
 * time an outcome differs from the plan (a run that goes as planned,
 * the common case, keeps no entries of its own).  NULL when out of
 * memory. */
static hs_entry *entry_to_change(hs_report *r, size_t i)
{
	if (!r->own) {
		size_t n = r->n ? r->n : 1;
		r->own = hs_arena_alloc(&r->arena, n * sizeof *r->own);
		r->own_reasons = hs_arena_alloc(&r->arena, n * sizeof *r->own_reasons);
		if (!r->own || !r->own_reasons ||
		    hs_entry_blocks_init(&r->public_entries, r->n))
			return NULL;
		if (r->n)
			memcpy(r->own, r->entries, r->n * sizeof *r->own);
		if (r->n && r->reasons)
			memcpy(r->own_reasons, r->reasons, r->n * sizeof *r->own_reasons);
		r->entries = r->own;
		r->reasons = r->own_reasons;
	}
	return &r->own[i];
}

/* Records the nodes call i added, where it differs from the plan's count. */
static int set_nodes_added(hs_report *r, size_t i, size_t added)
{
	if (r->entries[i].nodes_added == added)
		return HS_OK;
	hs_entry *e = entry_to_change(r, i);
	if (!e)
		return HS_ENOMEM;
	e->nodes_added = (uint32_t)added;
	return HS_OK;
}

static int set_outcome(apply_state *st, size_t i, hs_call_result r, const char *reason)
{
	hs_entry *e = entry_to_change(st->report, i);
	if (!e)
		return HS_ENOMEM;
	e->result = (uint8_t)r;
	st->report->own_reasons[i] = reason;
	if (r != HS_CALL_CONVERTED) {
		/* It removes nothing either (hs_entry_fill). */
		e->plugin = NULL;
		e->nodes_added = 0;
	}
	return HS_OK;
}

static hs_claim claim_of(const hs_plan_call *pc)
{
	hs_claim cl;
	memset(&cl, 0, sizeof cl);
	cl.kind = pc->claim;
	cl.plugin = pc->plugin;
	cl.data = pc->claim_data;
	return cl;
}

/* Every stub carries its call's uuid, set after the plugin finished it:
 * the detector recognises it on a later run whatever its op. */
static int mark_stub(hs_node *stub, const hs_call *c)
{
	return hs_node_set_attr_s_view(stub, HS_ATTR_STUB_CALL, c->uuid);
}

/* on-failure abort: nothing will be written, so no call is converted;
 * the report says which call failed and why the others were not. */
static int abort_run(apply_state *st, const char *why)
{
	hs_report *r = st->report;
	const char *others = hs_arena_printf(&r->arena, "not converted: the conversion was aborted (on-failure abort): %s", why);
	if (!others)
		return HS_ENOMEM;
	for (size_t i = 0; i < r->n; i++)
		if (r->entries[i].result == HS_CALL_CONVERTED &&
		    set_outcome(st, i, HS_CALL_SKIPPED, others))
			return HS_ENOMEM;
	r->converted = 0;
	r->aborted = 1;
	return hs_fail(HS_EPLUGIN, "%s", why);
}

/* Building call i failed (its plugin, say): every node added since it
 * began goes, and the call stays as it was; skip: the run goes on and the
 * report says why, as a warning; abort: an error, and the run stops. */
static int call_failed(apply_state *st, size_t i, int rc, size_t first_new,
		       const char *prefix)
{
	const char *why = hs_arena_printf(&st->report->arena, "%s%s", prefix, hs_error_last());
	hs_stub_rollback(&st->stub, first_new);
	if (rc == HS_ENOMEM || !why)
		return rc;
	if (set_outcome(st, i, HS_CALL_FAILED, why))
		return HS_ENOMEM;
	st->report->converted--;
	if (hs_registry_failure_policy(st->plan->opts.registry) != HS_ON_FAILURE_ABORT)
		return HS_OK;
	st->report->own[i].error = 1;
	return abort_run(st, why);
}

static int is_hint_key(hs_str key)
{
	for (size_t k = 0; k < hs_hint_attr_key_count; k++)
		if (hs_str_eq(key, hs_hint_attr_keys[k]))
			return 1;
	return 0;
}

/* Whether a hint attribute is on n as it reads now: one walk over its
 * entries (by index, each key would cost a walk of its own). */
static int has_hint_attr(const hs_node *n)
{
	hs_attr_iter it;
	hs_attr_entry e;
	hs_attr_iter_init_edited(&it, n);
	while (hs_attr_iter_next(&it, &e))
		if (is_hint_key(e.key)) {
			hs_attr_iter_end(&it);
			return 1;
		}
	return 0;
}

static int strip_identity(hs_node *n)
{
	for (size_t k = 0; k < hs_hint_attr_key_count; k++) {
		hs_str raw;
		const char *key = hs_hint_attr_keys[k];
		if (hs_node_find_raw_attr(&raw, n, key, strlen(key)) != HS_OK)
			continue;
		int rc = hs_node_remove_attr(n, key);
		if (rc)
			return rc;
	}
	return HS_OK;
}

/* --strip-hints on the children's identities brought to the top level
 * (the parent's own are stripped with every converted call's). */
static int strip_copies(const hs_l2_build *b)
{
	int rc = HS_OK;
	for (size_t j = 0; j < hs_call_child_count(b->call) && !rc; j++) {
		const hs_call *k = hs_call_child(b->call, j);
		for (size_t q = 0; q < k->n_identities && !rc; q++) {
			hs_node *copy = b->top[hs_node_id(hs_call_identity_at(k, q))];
			if (copy && !(copy->flags & HS_NODE_F_REMOVED))
				rc = strip_identity(copy);
		}
	}
	return rc;
}

/* A level-2 call: its children's stubs all built, or none. */
static int convert_level2(apply_state *st, size_t i)
{
	hs_l2_build b;
	size_t first_new = st->g->n_new;
	size_t packs = st->stub.packs.n, unpacks = st->stub.unpacks.n;
	int rc = hs_level2_build(&b, &st->stub, st->plan, i);
	st->edited = 1;
	if (rc) {
		char prefix[300] = "";
		if (b.failed_child != SIZE_MAX) {
			const hs_call *k = hs_call_child(b.call, b.failed_child);
			snprintf(prefix, sizeof prefix, "child %.*s (%.*s): ",
				 (int)(k->uuid.len > 100 ? 100 : k->uuid.len), k->uuid.ptr,
				 (int)(k->function.len > 100 ? 100 : k->function.len), k->function.ptr);
		}
		rc = call_failed(st, i, rc, first_new, prefix);
	} else {
		rc = hs_level2_finish(&b);
		if (!rc)
			rc = set_nodes_added(st->report, i, st->g->n_new - first_new);
		if (!rc && st->opts.strip_hints)
			rc = strip_copies(&b);
		for (size_t k = packs; k < st->stub.packs.n && !rc; k++)
			rc = hs_node_list_push(&st->l2_packs, st->stub.packs.v[k]);
		for (size_t k = unpacks; k < st->stub.unpacks.n && !rc; k++)
			rc = hs_node_list_push(&st->l2_unpacks, st->stub.unpacks.v[k]);
	}
	hs_level2_build_free(&b);
	return rc;
}

static int convert_call(apply_state *st, size_t i)
{
	const hs_plan_call *pc = &st->plan->pc[i];
	const hs_call *c = hs_plan_call_of(st->plan, i);
	hs_node *stub = NULL;
	hs_claim cl = claim_of(pc);
	size_t first_new = st->g->n_new;
	int rc = hs_stub_build(&st->stub, c, hs_stub_anchor(c, 1), &stub);
	st->edited = 1;
	if (rc && rc != HS_ENOMEM) {
		/* The generic stub is the library's: when the call's own text
		 * cannot make one, the input is at fault, not a plugin, and the
		 * call has an error (exit 1 unless --skip-bad-calls). */
		rc = call_failed(st, i, rc, first_new, "");
		if (st->report->own && st->report->entries[i].result == HS_CALL_FAILED)
			st->report->own[i].error = 1;
		return rc;
	}
	if (!rc) {
		/* The plugin edits only the stub and what this call added:
		 * those are what the rollback below can undo. */
		hs_emit_guard guard;
		hs_emit_guard_begin(&guard, st->g, (uint32_t)(st->g->n_nodes + first_new));
		rc = hs_registry_emit(st->plan->opts.registry, &cl, st->g, c, &pc->region, stub);
		hs_emit_guard_end(&guard);
	}
	if (rc)
		return call_failed(st, i, rc, first_new, "");
	rc = mark_stub(stub, c);
	if (!rc)
		rc = hs_stub_finish(&st->stub, c, &pc->region, stub);
	int nrc = set_nodes_added(st->report, i, st->g->n_new - first_new);
	return rc ? rc : nrc;
}

/* Applies strip_hints, then checks it held. */
static int strip_hints(apply_state *st, int check_only)
{
	for (size_t i = 0; i < st->report->n; i++) {
		if (st->report->entries[i].result != HS_CALL_CONVERTED)
			continue;
		const hs_call *c = hs_plan_call_of(st->plan, i);
		for (size_t k = 0; k < c->n_identities; k++) {
			hs_node *n = hs_call_identity_at(c, k);
			if (n->flags & HS_NODE_F_REMOVED)
				continue;
			if (!check_only) {
				int rc = strip_identity(n);
				if (rc)
					return rc;
				continue;
			}
			if (has_hint_attr(n))
				return hs_fail(HS_EVERIFY, "hint attribute left on node '%.*s' after --strip-hints",
					       HS_NODE_NAME_ARG(n));
		}
	}
	return HS_OK;
}

/* After any edit, including calls that were all rolled back: a stray
 * edit of a plugin never reaches OUT. */
static int verify_graph(const apply_state *st)
{
	if ((st->opts.verify_all ? hs_graph_verify(st->g)
				 : hs_graph_verify_changes(st->g)) == HS_OK)
		return HS_OK;
	char why[512];
	snprintf(why, sizeof why, "%s", hs_error_last());
	return hs_fail(HS_EVERIFY, "the converted graph is invalid: %s", why);
}

static int finish_graph(apply_state *st)
{
	int rc = HS_OK;
	if (!st->opts.keep_pack_unpack) {
		rc = hs_pack_unpack_collapse(&st->report->pack_unpack_removed, &st->stub);
	} else if (st->l2_packs.n || st->l2_unpacks.n) {
		hs_stub_ctx loops = st->stub;
		loops.packs = st->l2_packs;
		loops.unpacks = st->l2_unpacks;
		rc = hs_pack_unpack_collapse(&st->report->pack_unpack_removed, &loops);
	}
	if (!rc && st->opts.strip_hints)
		rc = strip_hints(st, 0);
	if (!rc && st->opts.prune_library)
		rc = hs_graph_prune_library(&st->report->functions_pruned, st->g);
	if (rc)
		return rc;
	rc = verify_graph(st);
	if (!rc && st->opts.strip_hints)
		rc = strip_hints(st, 1);
	return rc;
}

/* Calls are converted in file order, each touching a few nodes far apart
 * in a graph much larger than the cache: a call some steps ahead has what
 * it reads fetched while the current one is converted, in stages, each
 * reading what the one before fetched: its plan record, then the arrays
 * and the call it points at, then the nodes and the uuid, then the nodes'
 * names and input and consumer lists (and the index slot of the stub's
 * name), then the index slots the region's names leave. */
enum {
	PREFETCH_RECORD = 16, PREFETCH_ARRAYS = 12, PREFETCH_NODES = 8, PREFETCH_NAMES = 4,
	PREFETCH_SLOTS = 3
};

/* Whole records and names (hs_prefetch_span): a node of 40 bytes spans
 * two cache lines half the time, names of 40 bytes and more mostly do,
 * and reading the second line (memchr, the hash) waits as long as the
 * first.  A node's name is asked by where it starts, with its length's
 * varint before it: reading the length would wait for the line. */
HS_PREFETCH_FN prefetch_name(hs_str name)
{
	hs_prefetch_span(name.ptr, name.len);
}

/* A node's later stages (the first prefetches the array naming it). */
HS_PREFETCH_FN prefetch_node(const hs_node *n, int stage)
{
	if (stage == PREFETCH_NODES) {
		hs_prefetch_span(n, sizeof *n);
	} else {
		hs_prefetch_name(n);
		__builtin_prefetch(hs_node_inputs(n));
		__builtin_prefetch(hs_node_consumers(n));
	}
}

/* A region's nodes, by their ids (the first stage prefetches the ids). */
HS_PREFETCH_FN prefetch_region(const hs_graph *g, const hs_region *r, int stage)
{
	const uint32_t *ids = hs_region_ids(r);
	for (size_t k = 0; k < r->n; k++) {
		if (stage == PREFETCH_ARRAYS)
			__builtin_prefetch(&ids[k]);
		else
			prefetch_node(hs_graph_node_at(g, ids[k]), stage);
	}
}

/* A call's kept identities are read from its operands, whose arrays are
 * prefetched at PREFETCH_NODES: their nodes follow a stage later, and
 * their names (the stub's inputs read each producer's) the stage after. */
HS_PREFETCH_FN prefetch_kept(const hs_graph *g, const hs_call *c, int stage)
{
	if (stage != PREFETCH_NAMES && stage != PREFETCH_SLOTS)
		return;
	hs_kept_iter it;
	uint32_t id;
	int node_stage = stage == PREFETCH_NAMES ? PREFETCH_NODES : PREFETCH_NAMES;
	for (int out = 0; out < 2; out++)
		for (hs_kept_begin(&it, c, out); hs_kept_next(&it, &id);)
			prefetch_node(hs_graph_node_at(g, id), node_stage);
}

HS_PREFETCH_FN prefetch_call(const apply_state *st, size_t i, int stage)
{
	if (i >= st->report->n)
		return;
	const hs_plan_call *pc = &st->plan->pc[i];
	if (stage == PREFETCH_RECORD) {
		hs_prefetch_span(pc, sizeof *pc);
		hs_prefetch_span(&st->report->entries[i], sizeof st->report->entries[i]);
		return;
	}
	if (!pc->candidate || hs_plan_l2(pc))
		return;
	const hs_call *c = hs_plan_call_of(st->plan, i);
	if (stage == PREFETCH_SLOTS) {
		prefetch_kept(st->g, c, stage);
		for (size_t k = 0; k < pc->region.n; k++) {
			hs_str name = hs_name_of(hs_region_node(&pc->region, k));
			hs_name_index_prefetch(&st->g->names, hs_name_hash(name.ptr, name.len));
		}
		return;
	}
	prefetch_region(st->g, &pc->region, stage);
	prefetch_kept(st->g, c, stage);
	if (stage == PREFETCH_ARRAYS) {
		hs_prefetch_span(c, sizeof *c);
	} else if (stage == PREFETCH_NODES) {
		prefetch_name(c->uuid);
		prefetch_name(c->function);
		hs_prefetch_span(c->inputs, c->n_inputs * sizeof *c->inputs);
		hs_prefetch_span(c->outputs, c->n_outputs * sizeof *c->outputs);
		hs_prefetch_span(c->identities, c->n_identities * sizeof *c->identities);
	} else {
		hs_name_index_prefetch(&st->g->names, hs_name_hash(c->uuid.ptr, c->uuid.len));
	}
}

static int run(apply_state *st)
{
	hs_report *r = st->report;
	int rc = st->plan->aborted ? abort_run(st, st->plan->aborted) : HS_OK;
	for (size_t i = 0; i < r->n && !rc; i++) {
		if (!st->plan->pc[i].candidate || st->opts.dry_run)
			continue;
		prefetch_call(st, i + PREFETCH_RECORD, PREFETCH_RECORD);
		prefetch_call(st, i + PREFETCH_ARRAYS, PREFETCH_ARRAYS);
		prefetch_call(st, i + PREFETCH_NODES, PREFETCH_NODES);
		prefetch_call(st, i + PREFETCH_NAMES, PREFETCH_NAMES);
		prefetch_call(st, i + PREFETCH_SLOTS, PREFETCH_SLOTS);
		rc = hs_plan_l2(&st->plan->pc[i]) ? convert_level2(st, i) : convert_call(st, i);
	}
	if (!rc && !st->opts.dry_run && r->converted) {
		rc = finish_graph(st);
	} else if (!rc) {
		/* Functions unused before any conversion go too. */
		if (!st->opts.dry_run && st->opts.prune_library)
			rc = hs_graph_prune_library(&r->functions_pruned, st->g);
		if (!rc && st->edited)
			rc = verify_graph(st);
	}
	r->errors = 0;
	for (size_t i = 0; i < r->n; i++)
		r->errors += r->entries[i].error != 0;
	return rc;
}

static int report_new(hs_report **out, const hs_plan *plan, int dry_run)
{
	hs_report *r = calloc(1, sizeof *r);
	if (!r)
		return hs_fail(HS_ENOMEM, "out of memory");
	*out = r;
	r->plan = plan;
	r->n = plan->n;
	r->dry_run = dry_run;
	r->converted = plan->converted;
	r->entries = plan->entries;
	r->reasons = plan->reasons;
	return HS_OK;
}

int hs_apply(hs_report **report_out, hs_graph *g, const hs_plan *plan,
	     const hs_apply_options *opts)
{
	if (report_out)
		*report_out = NULL;
	if (!g || !plan)
		return hs_fail(HS_EINVAL, "hs_apply: graph and plan are required");
	if (plan->g != g)
		return hs_fail(HS_EINVAL, "hs_apply: the plan was made for another graph");
	if (plan->edits != g->edits)
		return hs_fail(HS_EINVAL, "hs_apply: the graph was edited after the plan was made (or the plan was applied already): plan again");
	if (opts && opts->version != HS_APPLY_OPTIONS_VERSION)
		return hs_fail(HS_EINVAL, "hs_apply_options: unknown version %u", opts->version);
	hs_apply_options defaults = HS_APPLY_OPTIONS_INIT;
	apply_state st;
	memset(&st, 0, sizeof st);
	st.g = g;
	st.plan = plan;
	st.opts = opts ? *opts : defaults;
	st.stub.g = g;
	st.stub.opts = &plan->opts;
	int rc = report_new(&st.report, plan, st.opts.dry_run);
	if (!rc)
		rc = run(&st);
	hs_stub_ctx_free(&st.stub);
	hs_node_list_free(&st.l2_packs);
	hs_node_list_free(&st.l2_unpacks);
	/* An aborted run still hands out its report: it says which call
	 * failed (the graph must not be written). */
	if ((rc && !(st.report && st.report->aborted)) || !report_out)
		hs_report_free(st.report);
	else
		*report_out = st.report;
	return rc;
}

/* ---------------------------------------------------------------- report */

size_t hs_report_count(const hs_report *r) { return r ? r->n : 0; }

static void fill_report_entry(hs_call_report *e, const void *owner, size_t i)
{
	hs_report_entry_read(owner, i, e);
}

/* A run that went as planned hands out the plan's entries. */
const hs_call_report *hs_report_entry(const hs_report *r, size_t i)
{
	if (!r || i >= r->n)
		return NULL;
	if (!r->own)
		return hs_plan_entry(r->plan, i);
	return hs_entry_blocks_get(&r->public_entries, i, r->n, fill_report_entry, r);
}

int hs_report_entry_get(const hs_report *r, size_t i, hs_call_report *out, size_t size)
{
	return hs_entry_copy(out, size, i, r ? r->n : 0, fill_report_entry, r, "hs_report_entry_get");
}

size_t hs_report_converted(const hs_report *r) { return r ? r->converted : 0; }
size_t hs_report_errors(const hs_report *r) { return r ? r->errors : 0; }
size_t hs_report_pack_unpack_removed(const hs_report *r)
{
	return r ? r->pack_unpack_removed : 0;
}
int hs_report_dry_run(const hs_report *r) { return r && r->dry_run; }
const hs_plan *hs_report_plan(const hs_report *r) { return r ? r->plan : NULL; }

size_t hs_report_problem_count(const hs_report *r)
{
	return r ? hs_callset_problem_count(r->plan->calls) : 0;
}

const hs_problem *hs_report_problem(const hs_report *r, size_t i)
{
	return r ? hs_callset_problem(r->plan->calls, i) : NULL;
}

void hs_report_free(hs_report *r)
{
	if (!r)
		return;
	hs_plan_free(r->owned_plan);
	hs_callset_free(r->owned_calls);
	hs_entry_blocks_free(&r->public_entries);
	hs_arena_free(&r->arena);
	free(r);
}
