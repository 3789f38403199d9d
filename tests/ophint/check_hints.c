/* OpHint discovery and validation (core/ophint/hints.c) and the regions
 * and problems the plan adds (core/plan/region.c): a call as these tests
 * read it is the detector's call with the plan's entry and region. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"
#include "testutil.h"

/* One call with what the plan found: problems of both, and the region. */
typedef struct tcall {
	const hs_call *call;
	hs_str uuid, function;
	int64_t level;
	size_t n_inputs, n_outputs;
	size_t n_problems;
	const hs_problem *problems;
	size_t n_interior;
	const hs_region *region; /* its nodes: hs_region_node */
} tcall;

typedef struct thints {
	hs_callset *calls;
	hs_plan *plan;
	tcall *v;
} thints;

static thints *th_find(const hs_graph *g, const hs_plan_options *o)
{
	thints *h = calloc(1, sizeof *h);
	ck_assert_int_eq(hs_discover(&h->calls, g, NULL), HS_OK);
	ck_assert_int_eq(hs_plan_new(&h->plan, g, h->calls, o), HS_OK);
	size_t n = hs_callset_count(h->calls);
	h->v = calloc(n ? n : 1, sizeof *h->v);
	for (size_t i = 0; i < n; i++) {
		const hs_call *c = hs_callset_call(h->calls, i);
		const hs_call_report *e = hs_plan_entry(h->plan, i);
		const hs_region *r = &h->plan->pc[i].region;
		h->v[i] = (tcall){ c, c->uuid, c->function, c->level, c->n_inputs,
				   c->n_outputs, e->n_problems, e->problems, r->n, r };
	}
	return h;
}

static size_t th_count(const thints *h) { return hs_callset_count(h->calls); }
static const tcall *th_call(const thints *h, size_t i) { return &h->v[i]; }

static const tcall *th_find_call(const thints *h, hs_str uuid)
{
	const hs_call *c = hs_callset_find(h->calls, uuid);
	return c ? &h->v[hs_call_ordinal(c)] : NULL;
}

static int th_has_errors(const tcall *c)
{
	for (size_t i = 0; i < c->n_problems; i++)
		if (c->problems[i].severity == HS_SEVERITY_ERROR)
			return 1;
	return 0;
}

static size_t th_error_count(const thints *h)
{
	size_t n = 0;
	for (size_t i = 0; i < th_count(h); i++)
		n += th_has_errors(&h->v[i]);
	return n;
}

static void th_free(thints *h)
{
	hs_plan_free(h->plan);
	hs_callset_free(h->calls);
	free(h->v);
	free(h);
}

#define FIXTURE HS_TEST_DATA "/ophint_lstm.pb"
#define U1 "aaaa0000aaaa0000aaaa0000aaaa0000"
#define U2 "bbbb1111bbbb1111bbbb1111bbbb1111"

static hs_str S(const char *s)
{
	hs_str r = { s, strlen(s) };
	return r;
}

/* Number of problems of call c with this code (and severity, -1: any). */
static size_t problems(const tcall *c, const char *code, int sev)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_problems; i++)
		if (strcmp(c->problems[i].code, code) == 0 &&
		    (sev < 0 || (int)c->problems[i].severity == sev))
			n++;
	return n;
}

static int interior_has(const tcall *c, const char *name)
{
	for (size_t i = 0; i < c->n_interior; i++)
		if (hs_str_eq(hs_node_name(hs_region_node(c->region, i)), name))
			return 1;
	return 0;
}

/* x -> in(0) -> Neg -> out(0) -> y, the smallest valid call. */
static void simple_call(tu_graph *t, const char *uuid, const char *x,
			const char *suffix)
{
	char in[64], neg[64], out[64];
	snprintf(in, sizeof in, "in%s", suffix);
	snprintf(neg, sizeof neg, "neg%s", suffix);
	snprintf(out, sizeof out, "out%s", suffix);
	tu_hint(tu_node(t, in, "Identity", x, NULL), "f", uuid, 1, 0, -1, NULL);
	tu_node(t, neg, "Neg", in, NULL);
	tu_hint(tu_node(t, out, "Identity", neg, NULL), "f", uuid, 0, 0, -1, NULL);
}

static thints *find(hs_graph **g, tu_graph *t, const hs_plan_options *o)
{
	*g = tu_graph_load(t);
	ck_assert_ptr_nonnull(*g);
	return th_find(*g, o);
}

static void done(thints *h, hs_graph *g, tu_graph *t)
{
	th_free(h);
	hs_graph_free(g);
	tu_graph_free(t);
}

START_TEST(test_fixture_calls)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	thints *h = th_find(g, NULL);
	ck_assert_uint_eq(th_count(h), 2);
	ck_assert_uint_eq(th_error_count(h), 0);
	const tcall *c1 = th_call(h, 0), *c2 = th_call(h, 1);
	ck_assert(hs_str_eq(c1->uuid, "47eb6ae2de2411e9a4834201c0a80701"));
	ck_assert(hs_str_eq(c2->uuid, "47eb6ae3de2411e9a4834201c0a80701"));
	ck_assert(hs_str_eq(c1->function, "UnidirectionalSequenceLstm"));
	ck_assert_int_eq(c1->level, 1);
	ck_assert_uint_eq(c1->n_inputs, 18);  /* 0..15, 18, 19 */
	ck_assert_uint_eq(c2->n_inputs, 15);  /* 0..8, 12..15, 18, 19 */
	ck_assert_uint_eq(c1->n_outputs, 2);
	const hs_operand *x = hs_call_input(c1->call, 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->aggregation, HS_AGG_STACK);
	ck_assert_uint_eq(x->count, 3);
	ck_assert(!x->inline_one); /* a block of exactly its three */
	ck_assert_uint_eq(hs_operand_cap(x), 3);
	ck_assert_int_eq(x->dtype, 1);
	const hs_operand *cst = hs_call_output(c1->call, 1);
	ck_assert_int_eq(cst->aggregation, HS_AGG_LAST);
	ck_assert_uint_eq(cst->count, 2);
	ck_assert_ptr_null(hs_call_input(c1->call, 16));
	ck_assert_uint_gt(c1->n_interior, 50);
	ck_assert(!interior_has(c1, "unstack"));
	ck_assert(!interior_has(c1, "INPUT"));
	/* The interior is in graph order and holds no kept identity. */
	for (size_t i = 1; i < c1->n_interior; i++)
		ck_assert(hs_node_name(hs_region_node(c1->region, i)).ptr >
			  hs_node_name(hs_region_node(c1->region, i - 1)).ptr);
	for (size_t i = 0; i < c1->n_problems; i++)
		ck_assert_int_ne(c1->problems[i].severity, HS_SEVERITY_ERROR);
	ck_assert_ptr_eq(th_find_call(h, c2->uuid), c2);
	th_free(h);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_discovery_by_attributes_only)
{
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "x", "Placeholder", NULL);
	/* Named like a hint, but no attributes: not a hint. */
	tu_node(t, "InputHint-f-" U2 "-0-None-None", "Identity", "x", NULL);
	/* A hint that is not even an Identity, without a level attribute. */
	Tensorflow__NodeDef *in = tu_node(t, "a", "Snapshot", "x", NULL);
	tu_attr_s(in, "_tflite_function_name", "g");
	tu_attr_s(in, "_tflite_function_uuid", U1);
	tu_attr_i(in, "_tflite_function_input_index", 0);
	tu_node(t, "neg", "Neg", "a", NULL);
	Tensorflow__NodeDef *out = tu_node(t, "b", "Identity", "neg", NULL);
	tu_attr_s(out, "_tflite_function_name", "g");
	tu_attr_s(out, "_tflite_function_uuid", U1);
	tu_attr_i(out, "_tflite_function_output_index", 0);
	/* An empty uuid (TF V1 pollution) is no hint either. */
	tu_attr_s(tu_node(t, "y", "Neg", "b", NULL), "_tflite_function_uuid", "");
	thints *h = find(&g, t, NULL);
	ck_assert_uint_eq(th_count(h), 1);
	const tcall *c = th_call(h, 0);
	ck_assert(hs_str_eq(c->function, "g"));
	ck_assert_int_eq(c->level, 0);
	ck_assert_uint_eq(c->n_problems, 0);
	ck_assert_uint_eq(c->n_interior, 1);
	ck_assert(interior_has(c, "neg"));
	ck_assert_ptr_null(th_find_call(h, S(U2)));
	done(h, g, t);
}
END_TEST

START_TEST(test_call_order_is_first_appearance)
{
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "x", "Placeholder", NULL);
	simple_call(t, U2, "x", "2");
	simple_call(t, U1, "out2", "1");
	thints *h = find(&g, t, NULL);
	ck_assert_uint_eq(th_count(h), 2);
	ck_assert(hs_str_eq(th_call(h, 0)->uuid, U2));
	ck_assert(hs_str_eq(th_call(h, 1)->uuid, U1));
	ck_assert_uint_eq(hs_call_ordinal(th_call(h, 1)->call), 1);
	done(h, g, t);
}
END_TEST

/* Two calls whose hints interleave in the file: calls in the order of
 * their first identity, each call's identities in file order, operands
 * in index order whatever the file order, every array exactly sized and
 * the strings views of the file's bytes. */
START_TEST(test_grouping_interleaved)
{
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, "b_in1", "Identity", "x", NULL), "g", U2, 1, 1, -1, NULL);
	tu_hint(tu_node(t, "a_in", "Identity", "x", NULL), "f", U1, 1, 0, -1, NULL);
	tu_hint(tu_node(t, "b_in0", "Identity", "x", NULL), "g", U2, 1, 0, -1, NULL);
	tu_node(t, "neg", "Neg", "a_in", NULL);
	tu_node(t, "add", "Add", "b_in0", "b_in1", NULL);
	tu_hint(tu_node(t, "b_out", "Identity", "add", NULL), "g", U2, 0, 0, -1, NULL);
	tu_hint(tu_node(t, "a_out", "Identity", "neg", NULL), "f", U1, 0, 0, -1, NULL);
	thints *h = find(&g, t, NULL);
	ck_assert_uint_eq(th_count(h), 2);
	const hs_call *b = th_call(h, 0)->call, *a = th_call(h, 1)->call;
	ck_assert(hs_str_eq(b->uuid, U2) && hs_str_eq(a->uuid, U1));
	ck_assert_uint_eq(th_call(h, 0)->n_problems, 0);
	ck_assert_uint_eq(th_call(h, 1)->n_problems, 0);
	static const char *const b_ids[] = { "b_in1", "b_in0", "b_out" };
	ck_assert_uint_eq(hs_call_identity_count(b), 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert(hs_str_eq(hs_node_name(hs_call_identity(b, i)), b_ids[i]));
	ck_assert_uint_eq(b->n_inputs, 2);
	ck_assert_int_eq(b->inputs[0].index, 0);
	ck_assert(hs_str_eq(hs_node_name(hs_operand_identity_at(&b->inputs[0], 0)), "b_in0"));
	ck_assert_int_eq(b->inputs[1].index, 1);
	ck_assert_uint_eq(b->cap_inputs, b->n_inputs);
	ck_assert_uint_eq(b->cap_outputs, b->n_outputs);
	ck_assert_uint_eq(b->cap_identities, b->n_identities);
	ck_assert_ptr_null(b->rare); /* no problem, parent or body: no rare part */
	ck_assert_uint_eq(hs_operand_cap(&b->inputs[0]), b->inputs[0].count);
	ck_assert(b->inputs[0].inline_one); /* one element: no block */
	ck_assert(hs_graph_holds_bytes(g, b->uuid.ptr, b->uuid.len));
	ck_assert(hs_graph_holds_bytes(g, b->function.ptr, b->function.len));
	ck_assert_ptr_eq(hs_callset_find(h->calls, S(U1)), a);
	ck_assert_ptr_null(hs_callset_find(h->calls, S("cccc")));
	done(h, g, t);
}
END_TEST

/* Duplicates: an index given twice names its hints in file order, with
 * another call's hints between them; sort indices given in reverse file
 * order still make the elements in sort order. */
START_TEST(test_grouping_duplicates)
{
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, "d1", "Identity", "x", NULL), "f", U1, 1, 0, -1, NULL);
	simple_call(t, U2, "x", "2");
	tu_hint(tu_node(t, "d2", "Identity", "x", NULL), "f", U1, 1, 0, -1, NULL);
	tu_hint(tu_node(t, "s1", "Identity", "x", NULL), "f", U1, 1, 1, 1, "stack");
	tu_hint(tu_node(t, "s0", "Identity", "x", NULL), "f", U1, 1, 1, 0, "stack");
	tu_node(t, "add", "Add", "d1", "s0", NULL);
	tu_hint(tu_node(t, "o", "Identity", "add", NULL), "f", U1, 0, 0, -1, NULL);
	thints *h = find(&g, t, NULL);
	ck_assert_uint_eq(th_count(h), 2);
	const tcall *c = th_call(h, 0);
	ck_assert(hs_str_eq(c->uuid, U1));
	ck_assert_uint_eq(problems(c, "duplicate-index", HS_SEVERITY_ERROR), 1);
	ck_assert_ptr_nonnull(strstr(c->problems[0].message, "'d1' and 'd2'"));
	const hs_operand *in0 = hs_call_input(c->call, 0), *in1 = hs_call_input(c->call, 1);
	ck_assert_uint_eq(hs_operand_count(in0), 1);
	ck_assert(hs_str_eq(hs_node_name(hs_operand_identity(in0, 0)), "d1"));
	ck_assert_int_eq(hs_operand_aggregation(in1), HS_AGG_STACK);
	ck_assert_uint_eq(hs_operand_count(in1), 2);
	ck_assert(hs_str_eq(hs_node_name(hs_operand_identity(in1, 0)), "s0"));
	ck_assert(hs_str_eq(hs_node_name(hs_operand_identity(in1, 1)), "s1"));
	ck_assert_uint_eq(th_call(h, 1)->n_problems, 0);
	done(h, g, t);
}
END_TEST

/* An edited graph goes through the walk of every node: a hint made by an
 * edit is found (in walk order), one whose uuid an edit removed is not,
 * and the strings an edit holds are copied, so a later edit leaves the
 * call's uuid as it was found. */
START_TEST(test_grouping_edited_graph)
{
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "x", "Placeholder", NULL);
	tu_node(t, "p", "Identity", "x", NULL);
	tu_node(t, "negp", "Neg", "p", NULL);
	tu_node(t, "q", "Identity", "negp", NULL);
	simple_call(t, U1, "x", "1");
	tu_hint(tu_node(t, "lost", "Identity", "x", NULL), "f", "dddd", 1, 0, -1, NULL);
	g = tu_graph_load(t);
	ck_assert_ptr_nonnull(g);
	hs_node *p = hs_graph_find_node(g, "p", 1), *q = hs_graph_find_node(g, "q", 1);
	ck_assert_int_eq(hs_node_set_attr_s(p, HS_ATTR_FUNCTION_NAME, S("g")), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_s(p, HS_ATTR_FUNCTION_UUID, S(U2)), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_i(p, HS_ATTR_INPUT_INDEX, 0), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_s(q, HS_ATTR_FUNCTION_NAME, S("g")), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_s(q, HS_ATTR_FUNCTION_UUID, S(U2)), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_i(q, HS_ATTR_OUTPUT_INDEX, 0), HS_OK);
	ck_assert_int_eq(hs_node_remove_attr(hs_graph_find_node(g, "lost", 4),
					     HS_ATTR_FUNCTION_UUID), HS_OK);
	thints *h = th_find(g, NULL);
	ck_assert_uint_eq(th_count(h), 2);
	const hs_call *c = th_call(h, 0)->call;
	ck_assert(hs_str_eq(c->uuid, U2));
	ck_assert(hs_str_eq(th_call(h, 1)->uuid, U1));
	ck_assert_uint_eq(th_call(h, 0)->n_problems, 0);
	ck_assert_uint_eq(c->n_inputs, 1);
	ck_assert_uint_eq(c->n_outputs, 1);
	ck_assert(!hs_graph_holds_bytes(g, c->uuid.ptr, c->uuid.len));
	ck_assert_int_eq(hs_node_set_attr_s(p, HS_ATTR_FUNCTION_UUID, S("eeee")), HS_OK);
	ck_assert(hs_str_eq(hs_call_uuid(c), U2));
	ck_assert(hs_str_eq(hs_call_function(c), "g"));
	th_free(h);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* The uuid table grows past its first size and keeps every call. */
START_TEST(test_many_calls)
{
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "x", "Placeholder", NULL);
	char uuid[40], suffix[16];
	for (int i = 0; i < 300; i++) {
		snprintf(uuid, sizeof uuid, "%032d", i);
		snprintf(suffix, sizeof suffix, "_%d", i);
		simple_call(t, uuid, "x", suffix);
	}
	thints *h = find(&g, t, NULL);
	ck_assert_uint_eq(th_count(h), 300);
	for (int i = 0; i < 300; i++) {
		snprintf(uuid, sizeof uuid, "%032d", i);
		const hs_call *c = hs_callset_find(h->calls, S(uuid));
		ck_assert_ptr_nonnull(c);
		ck_assert_uint_eq(hs_call_ordinal(c), (size_t)i);
		ck_assert_str_eq(hs_call_detector(c), HS_DETECTOR_OPHINT);
		ck_assert_ptr_eq(hs_call_detector(c), hs_call_detector(th_call(h, 0)->call));
	}
	done(h, g, t);
}
END_TEST

/* The argument problems, one graph each. */
typedef enum { P_GAP, P_DUP_SORT, P_DUP_INDEX, P_MIXED, P_AGG_MISMATCH,
	       P_UNKNOWN_AGG, P_NO_INPUTS, P_NO_OUTPUTS, P_FUNC, P_INDEX_TYPE,
	       P_NEG_INDEX, P_COUNT } bad_kind;

static const char *const bad_codes[P_COUNT] = {
	"sort-gap", "sort-duplicate", "duplicate-index", "mixed-single-aggregate",
	"aggregate-mismatch", "unknown-aggregate", "no-inputs", "no-outputs",
	"function-mismatch", "bad-attr-type", "bad-index"
};

static tu_graph *bad_graph(bad_kind k)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	Tensorflow__NodeDef *a = tu_node(t, "a", "Identity", "x", NULL);
	Tensorflow__NodeDef *b = tu_node(t, "b", "Identity", "x", NULL);
	tu_node(t, "add", "Add", "a", "b", NULL);
	Tensorflow__NodeDef *o = tu_node(t, "o", "Identity", "add", NULL);
	switch (k) {
	case P_GAP:
		tu_hint(a, "f", U1, 1, 0, 0, "stack");
		tu_hint(b, "f", U1, 1, 0, 2, "stack");
		break;
	case P_DUP_SORT:
		tu_hint(a, "f", U1, 1, 0, 0, "stack");
		tu_hint(b, "f", U1, 1, 0, 0, "stack");
		break;
	case P_DUP_INDEX:
		tu_hint(a, "f", U1, 1, 0, -1, NULL);
		tu_hint(b, "f", U1, 1, 0, -1, NULL);
		break;
	case P_MIXED:
		tu_hint(a, "f", U1, 1, 0, -1, NULL);
		tu_hint(b, "f", U1, 1, 0, 0, "stack");
		break;
	case P_AGG_MISMATCH:
		tu_hint(a, "f", U1, 1, 0, 0, "stack");
		tu_hint(b, "f", U1, 1, 0, 1, "first");
		break;
	case P_UNKNOWN_AGG:
		tu_hint(a, "f", U1, 1, 0, 0, "concat");
		tu_hint(b, "f", U1, 1, 0, 1, "concat");
		break;
	case P_NO_INPUTS:
		tu_hint(o, "f", U1, 0, 0, -1, NULL);
		return t;
	case P_NO_OUTPUTS:
		tu_hint(a, "f", U1, 1, 0, -1, NULL);
		tu_hint(b, "f", U1, 1, 1, -1, NULL);
		return t;
	case P_FUNC:
		tu_hint(a, "f", U1, 1, 0, -1, NULL);
		tu_hint(b, "other", U1, 1, 1, -1, NULL);
		break;
	case P_INDEX_TYPE:
		tu_hint(a, "f", U1, 1, 0, -1, NULL);
		tu_attr_s(b, "_tflite_function_name", "f");
		tu_attr_s(b, "_tflite_function_uuid", U1);
		tu_attr_s(b, "_tflite_function_input_index", "1");
		break;
	case P_NEG_INDEX:
		tu_hint(a, "f", U1, 1, 0, -1, NULL);
		tu_hint(b, "f", U1, 1, -3, -1, NULL);
		break;
	default:
		break;
	}
	tu_hint(o, "f", U1, 0, 0, -1, NULL);
	return t;
}

START_TEST(test_argument_problems)
{
	bad_kind k = (bad_kind)_i;
	tu_graph *t = bad_graph(k);
	hs_graph *g;
	thints *h = find(&g, t, NULL);
	ck_assert_uint_eq(th_count(h), 1);
	const tcall *c = th_call(h, 0);
	ck_assert_msg(problems(c, bad_codes[k], HS_SEVERITY_ERROR) >= 1,
		      "case %d: no %s problem", (int)k, bad_codes[k]);
	ck_assert(th_has_errors(c));
	ck_assert_uint_eq(th_error_count(h), 1);
	/* Messages name the call and are one line. */
	for (size_t i = 0; i < c->n_problems; i++) {
		ck_assert_ptr_nonnull(strstr(c->problems[i].message, U1));
		ck_assert_ptr_null(strchr(c->problems[i].message, '\n'));
	}
	done(h, g, t);
}
END_TEST

START_TEST(test_uuid_of_wrong_type)
{
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "x", "Placeholder", NULL);
	tu_attr_i(tu_node(t, "a", "Identity", "x", NULL), "_tflite_function_uuid", 7);
	thints *h = find(&g, t, NULL);
	ck_assert_uint_eq(th_count(h), 0);
	ck_assert_uint_eq(hs_callset_problem_count(h->calls), 1);
	const hs_problem *p = hs_callset_problem(h->calls, 0);
	ck_assert_str_eq(p->code, "bad-attr-type");
	ck_assert_int_eq(p->severity, HS_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(strstr(p->message, "'a'"));
	done(h, g, t);
}
END_TEST

START_TEST(test_aggregates_and_sort_minus_one)
{
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "x", "Placeholder", NULL);
	Tensorflow__NodeDef *l0 = tu_node(t, "l0", "Identity", "x", NULL);
	Tensorflow__NodeDef *l1 = tu_node(t, "l1", "Identity", "x", NULL);
	Tensorflow__NodeDef *s = tu_node(t, "s", "Identity", "x", NULL);
	tu_node(t, "add", "Add", "l1", "s", NULL);
	/* Listed out of order: sort indices decide. */
	tu_hint(l1, "f", U1, 1, 0, 1, "last");
	tu_hint(l0, "f", U1, 1, 0, 0, "last");
	tu_hint(s, "f", U1, 1, 1, -1, "stack"); /* sort -1 reads as none */
	tu_hint(tu_node(t, "o", "Identity", "add", NULL), "f", U1, 0, 0, -1, NULL);
	thints *h = find(&g, t, NULL);
	const tcall *c = th_call(h, 0);
	ck_assert_uint_eq(c->n_problems, 0);
	const hs_operand *in0 = hs_call_input(c->call, 0), *in1 = hs_call_input(c->call, 1);
	ck_assert_int_eq(in0->aggregation, HS_AGG_LAST);
	ck_assert_uint_eq(in0->count, 2);
	ck_assert(hs_str_eq(hs_node_name(hs_operand_identity_at(in0, 0)), "l0"));
	ck_assert(hs_str_eq(hs_node_name(hs_operand_identity_at(in0, 1)), "l1"));
	ck_assert_int_eq(in1->aggregation, HS_AGG_SINGLE);
	ck_assert_str_eq(hs_aggregation_name(in0->aggregation), "last");
	/* l0 is a non-kept element nothing in the region reads: it stays. */
	ck_assert(interior_has(c, "add"));
	ck_assert(!interior_has(c, "l0"));
	done(h, g, t);
}
END_TEST

START_TEST(test_node_with_input_and_output_index)
{
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "x", "Placeholder", NULL);
	Tensorflow__NodeDef *a = tu_node(t, "a", "Identity", "x", NULL);
	tu_hint(a, "f", U1, 1, 0, -1, NULL);
	tu_attr_i(a, "_tflite_function_output_index", 0);
	thints *h = find(&g, t, NULL);
	const tcall *c = th_call(h, 0);
	ck_assert_uint_eq(c->n_inputs, 1);
	ck_assert_uint_eq(c->n_outputs, 1);
	ck_assert_ptr_eq(hs_operand_identity(hs_call_input_at(c->call, 0), 0),
			  hs_operand_identity(hs_call_output_at(c->call, 0), 0));
	ck_assert_uint_eq(problems(c, "input-is-output", HS_SEVERITY_ERROR), 1);
	done(h, g, t);
}
END_TEST

/* The stub is named after the uuid and read as "<uuid>:<k>": a uuid that
 * is no valid node name is a problem of its call (it failed the whole
 * conversion: "names no node" at verify, or an invalid input mid-edit). */
START_TEST(test_uuid_that_cannot_name_a_node)
{
	static const char *const bad[] = { "u:1", "^u" };
	for (size_t i = 0; i < 2; i++) {
		tu_graph *t = tu_graph_new();
		hs_graph *g;
		tu_node(t, "x", "Placeholder", NULL);
		simple_call(t, bad[i], "x", "");
		tu_node(t, "y", "Neg", "out", NULL);
		thints *h = find(&g, t, NULL);
		const tcall *c = th_call(h, 0);
		ck_assert_uint_eq(problems(c, "bad-uuid", HS_SEVERITY_ERROR), 1);
		th_free(h);
		hs_report *r = NULL;
		ck_assert_int_eq(hs_convert(&r, g, NULL), HS_OK);
		ck_assert_int_eq(hs_report_entry(r, 0)->result, HS_CALL_SKIPPED);
		ck_assert_uint_eq(hs_report_errors(r), 1);
		ck_assert_int_eq(hs_graph_verify(g), HS_OK);
		hs_report_free(r);
		hs_graph_free(g);
		tu_graph_free(t);
	}
}
END_TEST

/* x -> in -> mul -> out; mul also reads w; `esc` reads mul from outside. */
static tu_graph *escape_graph(int side_reader)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	tu_node(t, "w", "Const", NULL);
	tu_node(t, "p", "Placeholder", NULL);
	tu_hint(tu_node(t, "in", "Identity", "x", NULL), "f", U1, 1, 0, -1, NULL);
	tu_node(t, "mul", "Mul", "in", "w", NULL);
	tu_node(t, "mul2", "Mul", "mul", "p", NULL);
	tu_hint(tu_node(t, "out", "Identity", "mul2", NULL), "f", U1, 0, 0, -1, NULL);
	if (side_reader)
		tu_node(t, "user", "Neg", "p", NULL);
	else
		tu_node(t, "esc", "Neg", "mul", NULL);
	return t;
}

START_TEST(test_interior_escape_policies)
{
	static const int expect_sev[3] = { HS_SEVERITY_ERROR, HS_SEVERITY_WARNING, -2 };
	for (int pol = 0; pol < 3; pol++) {
		tu_graph *t = escape_graph(0);
		hs_graph *g;
		hs_plan_options o = HS_PLAN_OPTIONS_INIT;
		o.interior_escape = (hs_policy)pol;
		thints *h = find(&g, t, &o);
		const tcall *c = th_call(h, 0);
		if (expect_sev[pol] < -1) {
			ck_assert_uint_eq(problems(c, "interior-escape", -1), 0);
		} else {
			ck_assert_uint_eq(problems(c, "interior-escape", expect_sev[pol]), 1);
			ck_assert_ptr_nonnull(strstr(c->problems[0].message, "'mul'"));
			ck_assert_ptr_nonnull(strstr(c->problems[0].message, "'esc'"));
		}
		ck_assert_int_eq(th_has_errors(c), pol == HS_POLICY_ERROR);
		/* mul stays (and w above it), mul2 goes; constants read only
		 * inside a region are no side inputs. */
		ck_assert(!interior_has(c, "mul"));
		ck_assert(!interior_has(c, "w"));
		ck_assert(interior_has(c, "mul2"));
		ck_assert_uint_eq(problems(c, "unhinted-side-input", -1), 0);
		done(h, g, t);
	}
}
END_TEST

START_TEST(test_side_input_policies)
{
	static const int expect_sev[3] = { HS_SEVERITY_ERROR, HS_SEVERITY_WARNING, -2 };
	for (int pol = 0; pol < 3; pol++) {
		tu_graph *t = escape_graph(1);
		hs_graph *g;
		hs_plan_options o = HS_PLAN_OPTIONS_INIT;
		o.unhinted_side_input = (hs_policy)pol;
		thints *h = find(&g, t, &o);
		const tcall *c = th_call(h, 0);
		if (expect_sev[pol] < -1)
			ck_assert_uint_eq(problems(c, "unhinted-side-input", -1), 0);
		else
			ck_assert_uint_eq(problems(c, "unhinted-side-input", expect_sev[pol]), 1);
		ck_assert(!interior_has(c, "p"));
		ck_assert(interior_has(c, "mul"));
		ck_assert(interior_has(c, "w"));
		done(h, g, t);
	}
}
END_TEST

START_TEST(test_side_input_feeding_hint_and_interior)
{
	/* p feeds both the input hint and the interior directly. */
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "p", "Placeholder", NULL);
	tu_hint(tu_node(t, "in", "Identity", "p", NULL), "f", U1, 1, 0, -1, NULL);
	tu_node(t, "mul", "Mul", "in", "p", NULL);
	tu_hint(tu_node(t, "out", "Identity", "mul", NULL), "f", U1, 0, 0, -1, NULL);
	thints *h = find(&g, t, NULL);
	const tcall *c = th_call(h, 0);
	ck_assert_uint_eq(problems(c, "unhinted-side-input", HS_SEVERITY_WARNING), 1);
	ck_assert(!interior_has(c, "p"));
	ck_assert_uint_eq(c->n_interior, 1);
	done(h, g, t);
}
END_TEST

START_TEST(test_first_input_elements_read_user_tensor)
{
	/* A `first` input over per-step slices: elements 1, 2 are interior
	 * and read `unstack`, which stays for element 0: no side input. */
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "x", "Placeholder", NULL);
	tu_node(t, "unstack", "Unpack", "x", NULL);
	tu_hint(tu_node(t, "e0", "Identity", "unstack", NULL), "f", U1, 1, 0, 0, "first");
	tu_hint(tu_node(t, "e1", "Identity", "unstack:1", NULL), "f", U1, 1, 0, 1, "first");
	tu_hint(tu_node(t, "e2", "Identity", "unstack:2", NULL), "f", U1, 1, 0, 2, "first");
	tu_node(t, "s1", "Add", "e0", "e1", NULL);
	tu_node(t, "s2", "Add", "s1", "e2", NULL);
	tu_hint(tu_node(t, "o", "Identity", "s2", NULL), "f", U1, 0, 0, -1, NULL);
	thints *h = find(&g, t, NULL);
	const tcall *c = th_call(h, 0);
	ck_assert_uint_eq(c->n_problems, 0);
	ck_assert(interior_has(c, "e1"));
	ck_assert(interior_has(c, "e2"));
	ck_assert(!interior_has(c, "e0"));
	ck_assert(!interior_has(c, "unstack"));
	ck_assert_uint_eq(c->n_interior, 4);
	done(h, g, t);
}
END_TEST

/* A level-2 call whose loop names no body function is refused with a
 * problem (tests/ophint/check_level2.c has the real layouts). */
START_TEST(test_level2_without_body_is_refused)
{
	tu_graph *t = tu_graph_new();
	hs_graph *g;
	tu_node(t, "x", "Placeholder", NULL);
	Tensorflow__NodeDef *in = tu_node(t, "in", "Identity", "x", NULL);
	tu_node(t, "w", "While", "in", NULL);
	Tensorflow__NodeDef *out = tu_node(t, "out", "Identity", "w", NULL);
	tu_hint(in, "TfLiteDynamicRnn", U1, 1, 0, -1, NULL);
	tu_hint(out, "TfLiteDynamicRnn", U1, 0, 0, -1, NULL);
	tu_attr_i(in, "_tflite_ophint_level", 2);
	tu_attr_i(out, "_tflite_ophint_level", 2);
	thints *h = find(&g, t, NULL);
	const tcall *c = th_call(h, 0);
	ck_assert_int_eq(c->level, 2);
	ck_assert_uint_eq(problems(c, "body-missing", HS_SEVERITY_ERROR), 1);
	ck_assert(th_has_errors(c));
	ck_assert_uint_eq(c->n_interior, 0);
	done(h, g, t);
}
END_TEST

/* Every hint attribute a hint can carry is read (the walk finds keys by
 * a table of their lengths), and keys one byte away from one are not.
 * every_key is hs_hint_attr_keys and "T" (hints.c asserts the count). */
static const char *const every_key[] = {
	HS_ATTR_FUNCTION_NAME, HS_ATTR_FUNCTION_UUID, HS_ATTR_INPUT_INDEX,
	HS_ATTR_OUTPUT_INDEX, HS_ATTR_SORT_INDEX, HS_ATTR_AGGREGATE,
	HS_ATTR_LEVEL, HS_ATTR_CHILDREN_MAPPING, "T"
};

/* A key one byte away from `key`: its last byte changed (how == 0),
 * dropped (1) or doubled (2).  Static storage, one per call. */
static const char *near_miss(const char *key, int how)
{
	static char buf[3][64];
	char *b = buf[how];
	size_t n = strlen(key);
	memcpy(b, key, n + 1);
	if (how == 0)
		b[n - 1] = b[n - 1] == 'x' ? 'y' : 'x';
	else if (how == 1)
		b[n - 1] = '\0';
	else
		b[n] = b[n - 1], b[n + 1] = '\0';
	return b;
}

/* Gives n every key (near misses of them with how >= 0) with a value
 * that shows whether it was read. */
static void every_attr(Tensorflow__NodeDef *n, int how)
{
	const char *k[9];
	for (size_t i = 0; i < 9; i++)
		k[i] = how < 0 ? every_key[i] : strdup(near_miss(every_key[i], how));
	tu_attr_s(n, k[0], how < 0 ? "f" : "other");
	tu_attr_s(n, k[1], how < 0 ? U1 : U2);
	tu_attr_i(n, k[2], 0);
	tu_attr_i(n, k[3], 1);
	tu_attr_i(n, k[4], 0);
	tu_attr_s(n, k[5], "stack");
	tu_attr_i(n, k[6], 1);
	tu_attr_s(n, k[7], "{}");
	tu_attr_type(n, k[8], 3);
	for (size_t i = 0; how >= 0 && i < 9; i++)
		free((char *)k[i]);
}

/* The one call discovery finds in t (loaded into *g, found in *s). */
static const hs_call *discover_one(hs_graph **g, hs_callset **s, tu_graph *t)
{
	*g = tu_graph_load(t);
	ck_assert_int_eq(hs_discover(s, *g, NULL), HS_OK);
	ck_assert_uint_eq(hs_callset_count(*s), 1);
	return hs_callset_call(*s, 0);
}

static void discover_done(hs_graph *g, hs_callset *s, tu_graph *t)
{
	hs_callset_free(s);
	hs_graph_free(g);
	tu_graph_free(t);
}

START_TEST(test_every_hint_key_is_read)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	every_attr(tu_node(t, "h", "Identity", "x", NULL), -1);
	tu_hint(tu_node(t, "o", "Identity", "h", NULL), "f", U1, 0, 0, -1, NULL);
	hs_graph *g;
	hs_callset *s;
	const hs_call *c = discover_one(&g, &s, t);
	ck_assert(hs_str_eq(hs_call_uuid(c), U1));
	ck_assert(hs_str_eq(hs_call_function(c), "f"));
	ck_assert_int_eq(hs_call_level(c), 1);
	ck_assert(hs_str_eq(hs_call_children_mapping(c), "{}"));
	const hs_operand *in = hs_call_input(c, 0);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(hs_operand_aggregation(in), HS_AGG_STACK);
	ck_assert_int_eq(hs_operand_dtype(in), 3);
	ck_assert_ptr_nonnull(hs_call_output(c, 1));
	discover_done(g, s, t);
}
END_TEST

START_TEST(test_near_miss_keys_are_not_read)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	Tensorflow__NodeDef *h = tu_node(t, "h", "Identity", "x", NULL);
	tu_hint(h, "f", U1, 1, 0, -1, NULL);
	for (int how = 0; how < 3; how++)
		every_attr(h, how);
	/* The uuid's length and a byte of it, the rest the name's. */
	tu_attr_s(h, "_tflite_function_uame", U2);
	tu_hint(tu_node(t, "o", "Identity", "h", NULL), "f", U1, 0, 0, -1, NULL);
	hs_graph *g;
	hs_callset *s;
	const hs_call *c = discover_one(&g, &s, t);
	ck_assert_uint_eq(hs_callset_problem_count(s), 0);
	ck_assert_uint_eq(hs_call_problem_count(c), 0); /* no function mismatch */
	ck_assert_int_eq(hs_call_level(c), 1);          /* tu_hint's */
	ck_assert_uint_eq(hs_call_children_mapping(c).len, 0);
	ck_assert_uint_eq(hs_call_input_count(c), 1);
	ck_assert_uint_eq(hs_call_output_count(c), 1);
	const hs_operand *in = hs_call_input(c, 0);
	ck_assert_int_eq(hs_operand_aggregation(in), HS_AGG_SINGLE);
	ck_assert_int_eq(hs_operand_dtype(in), 1);      /* tu_hint's T */
	discover_done(g, s, t);
}
END_TEST

static Suite *hints_suite(void)
{
	Suite *s = suite_create("hints");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_fixture_calls);
	tcase_add_test(tc, test_every_hint_key_is_read);
	tcase_add_test(tc, test_near_miss_keys_are_not_read);
	tcase_add_test(tc, test_discovery_by_attributes_only);
	tcase_add_test(tc, test_call_order_is_first_appearance);
	tcase_add_test(tc, test_grouping_interleaved);
	tcase_add_test(tc, test_grouping_duplicates);
	tcase_add_test(tc, test_grouping_edited_graph);
	tcase_add_test(tc, test_many_calls);
	tcase_add_loop_test(tc, test_argument_problems, 0, P_COUNT);
	tcase_add_test(tc, test_uuid_of_wrong_type);
	tcase_add_test(tc, test_aggregates_and_sort_minus_one);
	tcase_add_test(tc, test_node_with_input_and_output_index);
	tcase_add_test(tc, test_uuid_that_cannot_name_a_node);
	tcase_add_test(tc, test_interior_escape_policies);
	tcase_add_test(tc, test_side_input_policies);
	tcase_add_test(tc, test_side_input_feeding_hint_and_interior);
	tcase_add_test(tc, test_first_input_elements_read_user_tensor);
	tcase_add_test(tc, test_level2_without_body_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(hints_suite()); }
