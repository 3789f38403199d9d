/* The call set (core/calls/callset.c): filling it through the public API
 * as any detector would, and reading it back. */
#include <config.h>

#include <check.h>
#include <string.h>

#include "testutil.h"

static hs_str S(const char *s)
{
	hs_str r = { s, strlen(s) };
	return r;
}

/* x -> a -> b: nodes to hang boundary tensors on. */
static hs_graph *small_graph(tu_graph **t)
{
	*t = tu_graph_new();
	tu_node(*t, "x", "Placeholder", NULL);
	tu_node(*t, "a", "Identity", "x", NULL);
	tu_node(*t, "b", "Neg", "a", NULL);
	hs_graph *g = tu_graph_load(*t);
	ck_assert_ptr_nonnull(g);
	return g;
}

START_TEST(test_fill_and_read)
{
	tu_graph *t;
	hs_graph *g = small_graph(&t);
	hs_node *a = hs_graph_find_node(g, "a", 1), *b = hs_graph_find_node(g, "b", 1);
	hs_callset *s = NULL;
	ck_assert_int_eq(hs_callset_new(&s, g), HS_OK);
	ck_assert_ptr_eq(hs_callset_graph(s), g);
	hs_call *c = NULL;
	char fn[] = "MyOp";
	ck_assert_int_eq(hs_callset_add_call(&c, s, "test", S(fn), S("u1"), 1), HS_OK);
	fn[0] = 'X'; /* copied: the caller's buffer may change */
	hs_operand *o = NULL;
	ck_assert_int_eq(hs_call_add_operand(&o, c, 0, 0, HS_AGG_SINGLE, 1), HS_OK);
	ck_assert_int_eq(hs_operand_add_element(o, (hs_tensor){ a, 0 }, NULL), HS_OK);
	ck_assert_int_eq(hs_call_add_operand(&o, c, 0, 2, HS_AGG_STACK, 1), HS_OK);
	for (int k = 0; k < 9; k++) /* grows past any first capacity */
		ck_assert_int_eq(hs_operand_add_element(o, (hs_tensor){ a, k }, k % 3 ? a : k ? b : NULL),
				 HS_OK);
	ck_assert_int_eq(hs_call_add_operand(&o, c, 1, 0, HS_AGG_LAST, 1), HS_OK);
	ck_assert_int_eq(hs_operand_add_element(o, (hs_tensor){ b, 0 }, NULL), HS_OK);
	ck_assert_int_eq(hs_operand_add_element(o, (hs_tensor){ b, 1 }, b), HS_OK);
	ck_assert_int_eq(hs_call_add_problem(c, HS_SEVERITY_WARNING, "my-code", "look"), HS_OK);

	ck_assert_uint_eq(hs_callset_count(s), 1);
	const hs_call *r = hs_callset_call(s, 0);
	ck_assert_ptr_eq(hs_callset_find(s, S("u1")), r);
	ck_assert_ptr_null(hs_callset_find(s, S("u2")));
	ck_assert(hs_str_eq(hs_call_function(r), "MyOp"));
	ck_assert_str_eq(hs_call_detector(r), "test");
	ck_assert_int_eq(hs_call_level(r), 1);
	ck_assert_uint_eq(hs_call_input_count(r), 2);
	ck_assert_uint_eq(hs_call_output_count(r), 1);
	ck_assert_ptr_null(hs_call_input(r, 1));
	const hs_operand *st = hs_call_input(r, 2);
	ck_assert_ptr_eq(st, hs_call_input_at(r, 1));
	ck_assert_int_eq(hs_operand_aggregation(st), HS_AGG_STACK);
	ck_assert_uint_eq(hs_operand_count(st), 9);
	ck_assert_int_eq(hs_operand_tensor(st, 8).port, 8);
	ck_assert_ptr_eq(hs_operand_identity(st, 8), a);
	for (int k = 0; k < 9; k++) /* the identities moved with the tensors */
		ck_assert_ptr_eq(hs_operand_identity(st, (size_t)k), k % 3 ? a : k ? b : NULL);
	const hs_operand *out = hs_call_output(r, 0);
	ck_assert(hs_operand_is_output(out));
	ck_assert_uint_eq(hs_operand_kept_element(out), 1);
	ck_assert_ptr_null(hs_operand_identity(out, 0));
	ck_assert_ptr_null(hs_operand_tensor(out, 5).node);
	ck_assert_uint_eq(hs_call_problem_count(r), 1);
	ck_assert_str_eq(hs_call_problem(r, 0)->code, "my-code");
	ck_assert(!hs_call_has_errors(r));
	ck_assert_uint_eq(hs_callset_error_count(s), 0);
	hs_callset_free(s);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_parents_and_refusals)
{
	tu_graph *t;
	hs_graph *g = small_graph(&t);
	hs_callset *s = NULL, *other = NULL;
	ck_assert_int_eq(hs_callset_new(&s, g), HS_OK);
	ck_assert_int_eq(hs_callset_new(&other, g), HS_OK);
	hs_call *p, *c1, *c2, *x;
	ck_assert_int_eq(hs_callset_add_call(&p, s, "test", S("Rnn"), S("p"), 2), HS_OK);
	ck_assert_int_eq(hs_callset_add_call(&c1, s, "test", S("Cell"), S("c1"), 1), HS_OK);
	ck_assert_int_eq(hs_callset_add_call(&c2, s, "test", S("Cell"), S("c2"), 1), HS_OK);
	ck_assert_int_eq(hs_callset_add_call(&x, other, "test", S("Cell"), S("x"), 1), HS_OK);
	ck_assert_int_eq(hs_call_set_parent(c1, p), HS_OK);
	ck_assert_int_eq(hs_call_set_parent(c2, p), HS_OK);
	ck_assert_int_eq(hs_call_set_parent(c2, p), HS_EINVAL);   /* has one */
	ck_assert_int_eq(hs_call_set_parent(x, p), HS_EINVAL);    /* other set */
	ck_assert_int_eq(hs_call_set_parent(p, c1), HS_EINVAL);   /* a cycle */
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "ancestor"));
	ck_assert_int_eq(hs_call_set_children_mapping(p, S("{\"a\": 1}")), HS_OK);
	ck_assert_uint_eq(hs_call_child_count(p), 2);
	ck_assert_ptr_eq(hs_call_child(p, 1), c2);
	ck_assert_ptr_eq(hs_call_parent(c1), p);
	ck_assert(hs_str_eq(hs_call_children_mapping(p), "{\"a\": 1}"));
	ck_assert_int_eq(hs_callset_add_call(NULL, s, "test", S("Cell"), S("c1"), 1), HS_EEXISTS);
	ck_assert_uint_eq(hs_callset_count(s), 3);
	hs_operand *o;
	ck_assert_int_eq(hs_call_add_operand(&o, c1, 0, 4, HS_AGG_SINGLE, 0), HS_OK);
	ck_assert_int_eq(hs_call_add_operand(&o, c1, 0, 4, HS_AGG_SINGLE, 0), HS_EINVAL);
	ck_assert_int_eq(hs_call_add_operand(&o, c1, 0, -1, HS_AGG_SINGLE, 0), HS_EINVAL);
	ck_assert_int_eq(hs_call_add_operand(&o, c1, 1, 4, (hs_aggregation)9, 0), HS_EINVAL);
	ck_assert_int_eq(hs_call_add_problem(c1, HS_SEVERITY_ERROR, "bad", "broken"), HS_OK);
	ck_assert(hs_call_has_errors(c1));
	ck_assert_uint_eq(hs_callset_error_count(s), 1);
	ck_assert_int_eq(hs_callset_add_problem(s, HS_SEVERITY_NOTE, "g", "graph-wide"), HS_OK);
	ck_assert_uint_eq(hs_callset_problem_count(s), 1);
	ck_assert_str_eq(hs_callset_problem(s, 0)->message, "graph-wide");
	ck_assert_ptr_null(hs_callset_problem(s, 1));
	/* Nodes of another graph are refused: the plan indexes its side
	 * arrays by the ids of this graph's nodes. */
	tu_graph *t2;
	hs_graph *g2 = small_graph(&t2);
	hs_node *foreign = hs_graph_find_node(g2, "a", 1);
	ck_assert_int_eq(hs_call_add_identity(c1, foreign), HS_EINVAL);
	ck_assert_int_eq(hs_call_add_operand(&o, c1, 1, 0, HS_AGG_SINGLE, 0), HS_OK);
	ck_assert_int_eq(hs_operand_add_element(o, (hs_tensor){ foreign, 0 }, NULL), HS_EINVAL);
	ck_assert_uint_eq(hs_operand_count(o), 0);
	hs_graph_free(g2);
	tu_graph_free(t2);
	hs_callset_free(other);
	hs_callset_free(s);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* The OpHint detector adds to a set that holds other detectors' calls. */
START_TEST(test_ophint_appends)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, "in", "Identity", "x", NULL), "f", "hinted", 1, 0, -1, NULL);
	tu_node(t, "neg", "Neg", "in", NULL);
	tu_hint(tu_node(t, "out", "Identity", "neg", NULL), "f", "hinted", 0, 0, -1, NULL);
	hs_graph *g = tu_graph_load(t);
	hs_callset *s = NULL;
	ck_assert_int_eq(hs_callset_new(&s, g), HS_OK);
	ck_assert_int_eq(hs_callset_add_call(NULL, s, "mine", S("Mine"), S("first"), 1), HS_OK);
	ck_assert_int_eq(hs_ophint_discover(s, NULL), HS_OK);
	ck_assert_uint_eq(hs_callset_count(s), 2);
	const hs_call *c = hs_callset_call(s, 1);
	ck_assert_str_eq(hs_call_detector(c), HS_DETECTOR_OPHINT);
	ck_assert(hs_str_eq(hs_call_uuid(c), "hinted"));
	ck_assert_uint_eq(hs_call_identity_count(c), 2);
	/* An input element's tensor is the identity; an output's is what it reads. */
	ck_assert_ptr_eq(hs_operand_tensor(hs_call_input(c, 0), 0).node, hs_graph_find_node(g, "in", 2));
	ck_assert_ptr_eq(hs_operand_tensor(hs_call_output(c, 0), 0).node, hs_graph_find_node(g, "neg", 3));
	/* A second discovery of the same graph would duplicate uuids: refused, nothing added. */
	ck_assert_int_eq(hs_ophint_discover(s, NULL), HS_EEXISTS);
	ck_assert_uint_eq(hs_callset_count(s), 2);
	hs_callset_free(s);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

static Suite *callset_suite(void)
{
	Suite *s = suite_create("callset");
	TCase *t = tcase_create("callset");
	tcase_add_test(t, test_fill_and_read);
	tcase_add_test(t, test_parents_and_refusals);
	tcase_add_test(t, test_ophint_appends);
	suite_add_tcase(s, t);
	return s;
}

int main(void) { return tu_run(callset_suite()); }
