/* The conversion pass: find calls, decide per call (rules, problems,
 * overlaps), build each stub, collapse hint Pack/Unpack pairs, verify.
 * Order per call (core/dispatch.h): every claim is made before the first
 * edit; a stub is built and handed to its plugin before anything of the
 * original graph changes, so a failing plugin is undone by removing the
 * nodes added for that call. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "stub.h"

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

struct hs_report {
	hs_hints *hints;         /* owns problems and reason texts */
	hs_call_report *entries;
	size_t n;
	size_t converted, errors, pack_unpack_removed;
	int dry_run;
};

#define STR_ARG(s) (int)(s).len, (s).ptr

typedef struct convert_state {
	hs_graph *g;
	hs_convert_options opts;
	hs_hints *h;
	hs_report *report;
	hs_claim *claims;
	int *candidate;
	hs_stub_ctx stub;
} convert_state;

static void set_outcome(convert_state *st, size_t i, hs_call_result r,
			int error, const char *reason)
{
	hs_call_report *e = &st->report->entries[i];
	e->result = r;
	e->error = error;
	e->reason = reason;
}

static const char *first_error(const hs_call *c)
{
	for (size_t i = 0; i < c->n_problems; i++)
		if (c->problems[i].severity == HS_SEVERITY_ERROR)
			return c->problems[i].message;
	return "";
}

/* Problems, level and rules: which calls may be converted. */
static int decide(convert_state *st)
{
	hs_hints *h = st->h;
	const hs_registry *reg = st->opts.registry;
	for (size_t i = 0; i < h->n_calls; i++) {
		hs_call *c = &h->calls[i];
		hs_call_report *e = &st->report->entries[i];
		e->function = c->function;
		e->uuid = c->uuid;
		e->n_problems = c->n_problems;
		e->problems = c->problems;
		e->ordinal = i;
		if (c->level >= 2) {
			set_outcome(st, i, HS_CALL_SKIPPED, 0,
				    "level-2 hints are not supported yet");
			continue;
		}
		if (h->plans[i].already_converted) {
			set_outcome(st, i, HS_CALL_KEPT, 0, "already converted");
			continue;
		}
		if (hs_call_has_errors(c)) {
			set_outcome(st, i, HS_CALL_SKIPPED, 1, first_error(c));
			continue;
		}
		int rc = hs_registry_claim(&st->claims[i], reg, st->g, c);
		if (rc)
			return rc;
		hs_claim *cl = &st->claims[i];
		if (cl->kind == HS_CLAIM_KEEP || cl->kind == HS_CLAIM_ERROR) {
			const char *why = hs_hints_printf(h, "%s", cl->reason[0] ? cl->reason
							  : cl->kind == HS_CLAIM_KEEP ? "kept by rule"
							  : "no plugin claims it and the rules require one");
			if (!why)
				return hs_fail(HS_ENOMEM, "out of memory");
			set_outcome(st, i, cl->kind == HS_CLAIM_KEEP ? HS_CALL_KEPT
								     : HS_CALL_SKIPPED,
				    cl->kind == HS_CLAIM_ERROR, why);
			continue;
		}
		e->plugin = cl->kind == HS_CLAIM_PLUGIN && cl->plugin_name
				    ? cl->plugin_name : "generic";
		st->candidate[i] = 1;
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

/* Overlapping regions: the higher priority wins, then the first call. */
static int resolve_overlaps(convert_state *st)
{
	hs_hints *h = st->h;
	size_t n = 0;
	ranked_call *order = malloc((h->n_calls ? h->n_calls : 1) * sizeof *order);
	int *won = calloc(h->n_calls ? h->n_calls : 1, sizeof *won);
	int rc = HS_OK;
	if (!order || !won) {
		free(order);
		free(won);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < h->n_calls; i++) {
		if (!st->candidate[i])
			continue;
		order[n].priority = st->claims[i].priority;
		order[n++].ordinal = i;
	}
	qsort(order, n, sizeof *order, cmp_rank);
	for (size_t k = 0; k < n && !rc; k++) {
		size_t i = order[k].ordinal;
		const hs_call_plan *p = &h->plans[i];
		size_t winner = SIZE_MAX;
		for (size_t o = 0; o < p->n_overlaps && winner == SIZE_MAX; o++)
			if (won[p->overlaps[o]])
				winner = p->overlaps[o];
		if (winner == SIZE_MAX) {
			won[i] = 1;
			continue;
		}
		const hs_call *w = &h->calls[winner], *c = &h->calls[i];
		if (hs_registry_overlap_policy(st->opts.registry) == HS_OVERLAP_ERROR) {
			rc = hs_fail(HS_EHINT, "the regions of calls %.*s (%.*s) and %.*s (%.*s) overlap",
				     STR_ARG(c->uuid), STR_ARG(c->function),
				     STR_ARG(w->uuid), STR_ARG(w->function));
			break;
		}
		const char *why = hs_hints_printf(h, "its region overlaps the region of call %.*s (%.*s), which is converted instead",
						  STR_ARG(w->uuid), STR_ARG(w->function));
		if (!why) {
			rc = hs_fail(HS_ENOMEM, "out of memory");
			break;
		}
		st->candidate[i] = 0;
		set_outcome(st, i, HS_CALL_SKIPPED, 0, why);
		st->report->entries[i].plugin = NULL;
	}
	free(order);
	free(won);
	return rc;
}

/* Calls whose stub would close a cycle are refused before any edit.
 * Refusing one gives its output identities their original inputs back,
 * which can close a cycle through another stub: check again until none
 * is left (each round is linear and refuses at least one call). */
static int refuse_cycles(convert_state *st)
{
	hs_hints *h = st->h;
	int *on_cycle = calloc(h->n_calls ? h->n_calls : 1, sizeof *on_cycle);
	if (!on_cycle)
		return hs_fail(HS_ENOMEM, "out of memory");
	int rc, refused;
	do {
		refused = 0;
		rc = hs_cycles_find(h, st->candidate, on_cycle);
		for (size_t i = 0; i < h->n_calls && !rc; i++) {
			if (!on_cycle[i])
				continue;
			hs_call *c = &h->calls[i];
			rc = hs_hints_problem(h, c, HS_SEVERITY_ERROR, HS_P_CYCLE,
					      "call %.*s (%.*s): the stub would close a cycle: an input identity depends on the call's outputs",
					      STR_ARG(c->uuid), STR_ARG(c->function));
			hs_call_report *e = &st->report->entries[i];
			e->problems = c->problems;
			e->n_problems = c->n_problems;
			e->plugin = NULL;
			st->candidate[i] = 0;
			set_outcome(st, i, HS_CALL_SKIPPED, 1,
				    c->problems[c->n_problems - 1].message);
			refused++;
		}
	} while (!rc && refused);
	free(on_cycle);
	return rc;
}

static int convert_call(convert_state *st, size_t i)
{
	hs_hints *h = st->h;
	const hs_call *c = &h->calls[i];
	const hs_call_plan *p = &h->plans[i];
	hs_call_report *e = &st->report->entries[i];
	hs_node_list added = { NULL, 0, 0 };
	hs_node *stub = NULL;
	if (st->opts.dry_run) {
		e->nodes_added = hs_stub_planned_nodes(&st->stub, c);
		e->nodes_removed = c->n_interior;
		set_outcome(st, i, HS_CALL_CONVERTED, 0, NULL);
		st->report->converted++;
		return HS_OK;
	}
	size_t first_new = st->g->n_new;
	int rc = hs_stub_build(&st->stub, c, p, &added, &stub);
	if (!rc)
		rc = hs_registry_emit(st->opts.registry, &st->claims[i], st->g, c, stub);
	if (rc) {
		const char *why = hs_hints_printf(h, "%s", hs_error_last());
		hs_stub_rollback(&st->stub, first_new);
		hs_node_list_free(&added);
		if (rc == HS_ENOMEM ||
		    hs_registry_failure_policy(st->opts.registry) == HS_ON_FAILURE_ABORT)
			return rc;
		/* on-failure skip: the call stays as it was and the run goes on;
		 * the report says why, as a warning rather than an error. */
		set_outcome(st, i, HS_CALL_FAILED, 0, why ? why : "conversion failed");
		return HS_OK;
	}
	rc = hs_stub_finish(&st->stub, c, stub, &added);
	e->nodes_added = st->g->n_new - first_new;
	e->nodes_removed = c->n_interior;
	hs_node_list_free(&added);
	if (rc)
		return rc;
	set_outcome(st, i, HS_CALL_CONVERTED, 0, NULL);
	st->report->converted++;
	return HS_OK;
}

static int is_hint_key(hs_str key)
{
	for (size_t k = 0; k < hs_hint_attr_key_count; k++)
		if (hs_str_eq(key, hs_hint_attr_keys[k]))
			return 1;
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

/* Applies strip_hints, then checks it held. */
static int strip_hints(convert_state *st, int check_only)
{
	hs_hints *h = st->h;
	for (size_t i = 0; i < h->n_calls; i++) {
		if (st->report->entries[i].result != HS_CALL_CONVERTED)
			continue;
		const hs_call_plan *p = &h->plans[i];
		for (size_t k = 0; k < p->n_identities; k++) {
			hs_node *n = p->identities[k];
			if (n->flags & HS_NODE_F_REMOVED)
				continue;
			if (!check_only) {
				int rc = strip_identity(n);
				if (rc)
					return rc;
				continue;
			}
			size_t na = hs_node_attr_count(n);
			for (size_t a = 0; a < na; a++)
				if (is_hint_key(hs_node_attr_key(n, a)))
					return hs_fail(HS_EVERIFY, "hint attribute left on node '%.*s' after --strip-hints",
						       STR_ARG(n->name));
		}
	}
	return HS_OK;
}

static int finish_graph(convert_state *st)
{
	int rc = HS_OK;
	if (!st->opts.keep_pack_unpack)
		rc = hs_pack_unpack_collapse(&st->report->pack_unpack_removed, &st->stub);
	if (!rc && st->opts.strip_hints)
		rc = strip_hints(st, 0);
	if (rc)
		return rc;
	if (hs_graph_verify(st->g) != HS_OK) {
		char why[512];
		snprintf(why, sizeof why, "%s", hs_error_last());
		return hs_fail(HS_EVERIFY, "the converted graph is invalid: %s", why);
	}
	if (st->opts.strip_hints)
		rc = strip_hints(st, 1);
	return rc;
}

static int run(convert_state *st)
{
	hs_hints *h = st->h;
	size_t n = h->n_calls ? h->n_calls : 1;
	st->report->entries = calloc(n, sizeof *st->report->entries);
	st->claims = calloc(n, sizeof *st->claims);
	st->candidate = calloc(n, sizeof *st->candidate);
	if (!st->report->entries || !st->claims || !st->candidate)
		return hs_fail(HS_ENOMEM, "out of memory");
	st->report->n = h->n_calls;
	int rc = decide(st);
	if (!rc)
		rc = resolve_overlaps(st);
	if (!rc)
		rc = refuse_cycles(st);
	for (size_t i = 0; i < h->n_calls && !rc; i++)
		if (st->candidate[i])
			rc = convert_call(st, i);
	if (!rc && !st->opts.dry_run && st->report->converted)
		rc = finish_graph(st);
	for (size_t i = 0; i < h->n_calls; i++)
		st->report->errors += st->report->entries[i].error;
	return rc;
}

int hs_convert(hs_report **report_out, hs_graph *g, const hs_convert_options *opts)
{
	hs_convert_options defaults = HS_CONVERT_OPTIONS_INIT;
	if (report_out)
		*report_out = NULL;
	if (!g)
		return hs_fail(HS_EINVAL, "hs_convert: no graph");
	if (opts && opts->version != HS_CONVERT_OPTIONS_VERSION)
		return hs_fail(HS_EINVAL, "hs_convert_options: unknown version %u", opts->version);
	convert_state st;
	memset(&st, 0, sizeof st);
	st.g = g;
	st.opts = opts ? *opts : defaults;
	if (st.opts.input_layout != HS_LAYOUT_DENSE && st.opts.input_layout != HS_LAYOUT_PRESENT)
		return hs_fail(HS_EINVAL, "hs_convert: unknown input layout %d", (int)st.opts.input_layout);
	st.stub.g = g;
	st.stub.opts = &st.opts;
	st.report = calloc(1, sizeof *st.report);
	if (!st.report)
		return hs_fail(HS_ENOMEM, "out of memory");
	st.report->dry_run = st.opts.dry_run;
	int rc = hs_hints_find(&st.h, g, &st.opts.find);
	st.report->hints = st.h;
	if (!rc)
		rc = run(&st);
	free(st.claims);
	free(st.candidate);
	hs_node_list_free(&st.stub.packs);
	hs_node_list_free(&st.stub.unpacks);
	free(st.stub.name_buf);
	if (rc || !report_out)
		hs_report_free(st.report);
	else
		*report_out = st.report;
	return rc;
}

/* ---------------------------------------------------------------- report */

size_t hs_report_count(const hs_report *r) { return r ? r->n : 0; }

const hs_call_report *hs_report_entry(const hs_report *r, size_t i)
{
	return r && i < r->n ? &r->entries[i] : NULL;
}

size_t hs_report_converted(const hs_report *r) { return r ? r->converted : 0; }
size_t hs_report_errors(const hs_report *r) { return r ? r->errors : 0; }
size_t hs_report_pack_unpack_removed(const hs_report *r)
{
	return r ? r->pack_unpack_removed : 0;
}
int hs_report_dry_run(const hs_report *r) { return r && r->dry_run; }

size_t hs_report_problem_count(const hs_report *r)
{
	return r ? hs_hints_graph_problem_count(r->hints) : 0;
}

const hs_problem *hs_report_problem(const hs_report *r, size_t i)
{
	return r ? hs_hints_graph_problem(r->hints, i) : NULL;
}

void hs_report_free(hs_report *r)
{
	if (!r)
		return;
	hs_hints_free(r->hints);
	free(r->entries);
	free(r);
}
