/* Verifying what changed (hs_graph_verify_changes, what hs_apply runs)
 * against verifying everything (hs_graph_verify) on a graph that verified
 * whole before it was edited: each kind of breakage an edit can make is
 * found, and on thousands of random edit sequences the two agree. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"
#include "testutil.h"

/* A chain a -> b -> c -> d plus a side node s reading a. */
static hs_graph *chain(void)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "a", "Placeholder", NULL);
	tu_node(t, "b", "Identity", "a", NULL);
	tu_node(t, "c", "Identity", "b", NULL);
	tu_node(t, "d", "Identity", "c", NULL);
	tu_node(t, "s", "Identity", "a", NULL);
	hs_graph *g = tu_graph_load(t);
	tu_graph_free(t);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	ck_assert_int_eq(hs_graph_verify_changes(g), HS_OK);
	return g;
}

static void assert_both_refuse(const hs_graph *g, const char *message)
{
	ck_assert_int_eq(hs_graph_verify(g), HS_EGRAPH);
	ck_assert_int_eq(hs_graph_verify_changes(g), HS_EGRAPH);
	ck_assert_str_eq(hs_error_last(), message);
}

START_TEST(test_new_node_reading_nothing)
{
	hs_graph *g = chain();
	hs_node *n;
	ck_assert_int_eq(hs_graph_add_node(&n, g, "x", "Identity", NULL), HS_OK);
	ck_assert_int_eq(hs_node_add_input(n, "ghost"), HS_OK);
	assert_both_refuse(g, "node 'x': input 0 'ghost' names no node of the graph");
	hs_graph_free(g);
}
END_TEST

START_TEST(test_reader_of_a_removed_node)
{
	hs_graph *g = chain();
	ck_assert_int_eq(hs_graph_remove_node(g, hs_graph_find_node(g, "b", 1)), HS_OK);
	assert_both_refuse(g, "node 'c': input 0 'b' names no node of the graph");
	hs_graph_free(g);
}
END_TEST

START_TEST(test_cycle_through_an_edited_input)
{
	hs_graph *g = chain();
	ck_assert_int_eq(hs_node_set_input(hs_graph_find_node(g, "b", 1), 0, "d"), HS_OK);
	ck_assert_int_eq(hs_graph_verify(g), HS_EGRAPH);
	ck_assert_int_eq(hs_graph_verify_changes(g), HS_EGRAPH);
	ck_assert_msg(strstr(hs_error_last(), "the graph has a cycle through node '") != NULL,
		      "%s", hs_error_last());
	hs_graph_free(g);
}
END_TEST

START_TEST(test_cycle_through_a_new_node)
{
	hs_graph *g = chain();
	hs_node *n;
	ck_assert_int_eq(hs_graph_add_node(&n, g, "x", "Identity", NULL), HS_OK);
	ck_assert_int_eq(hs_node_add_input(n, "d"), HS_OK);
	ck_assert_int_eq(hs_node_set_input(hs_graph_find_node(g, "c", 1), 0, "x"), HS_OK);
	ck_assert_int_eq(hs_graph_verify_changes(g), HS_EGRAPH);
	ck_assert_int_eq(hs_graph_verify(g), HS_EGRAPH);
	hs_graph_free(g);
}
END_TEST

/* The point of the exercise: what was wrong before the edits and nowhere
 * near them (a cycle p <-> q) is not looked at again; verify_all says it.
 * An input naming nothing is always found (the edit functions count
 * them). */
START_TEST(test_untouched_parts_are_trusted)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "a", "Placeholder", NULL);
	tu_node(t, "b", "Identity", "a", NULL);
	tu_node(t, "p", "Identity", "q", NULL);
	tu_node(t, "q", "Identity", "p", NULL);
	hs_graph *g = tu_graph_load(t);
	tu_graph_free(t);
	hs_node *x;
	ck_assert_int_eq(hs_graph_add_node(&x, g, "x", "Identity", NULL), HS_OK);
	ck_assert_int_eq(hs_node_add_input(x, "b"), HS_OK);
	ck_assert_int_eq(hs_graph_verify(g), HS_EGRAPH);
	ck_assert_int_eq(hs_graph_verify_changes(g), HS_OK);
	ck_assert_int_eq(hs_graph_remove_node(g, hs_graph_find_node(g, "a", 1)), HS_OK);
	ck_assert_int_eq(hs_graph_verify_changes(g), HS_EGRAPH);
	ck_assert_str_eq(hs_error_last(), "node 'b': input 0 'a' names no node of the graph");
	hs_graph_free(g);
}
END_TEST

/* ------------------------------------------------------- random edits */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t next_rand(uint32_t bound)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % bound);
}

/* A random DAG of n nodes: node i reads up to three of the nodes before
 * it (data or control inputs). */
static hs_graph *random_dag(int n)
{
	tu_graph *t = tu_graph_new();
	char name[16], in[3][20];
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "n%d", i);
		int k = i ? (int)next_rand(4) : 0;
		for (int j = 0; j < k; j++)
			snprintf(in[j], sizeof in[j], "%sn%u", next_rand(5) ? "" : "^",
				 next_rand((uint32_t)i));
		tu_node(t, name, k ? "AddN" : "Placeholder", k > 0 ? in[0] : NULL,
			k > 1 ? in[1] : NULL, k > 2 ? in[2] : NULL, NULL);
	}
	hs_graph *g = tu_graph_load(t);
	tu_graph_free(t);
	return g;
}

/* A live node picked at random (names may have gone). */
static hs_node *random_node(hs_graph *g, int names)
{
	for (int tries = 0; tries < 64; tries++) {
		char name[16];
		int len = snprintf(name, sizeof name, "n%u", next_rand((uint32_t)names));
		hs_node *n = hs_graph_find_node(g, name, (size_t)len);
		if (n)
			return n;
	}
	return NULL;
}

static void random_edit(hs_graph *g, int *names)
{
	char text[24];
	hs_node *n = random_node(g, *names), *m = random_node(g, *names);
	if (!n || !m)
		return;
	uint32_t kind = next_rand(10);
	snprintf(text, sizeof text, "%sn%u", next_rand(6) ? "" : "^", next_rand((uint32_t)*names + 2));
	if (kind < 3) { /* rewire one input, maybe backwards (a cycle), maybe to nothing */
		if (hs_node_input_count(n))
			hs_node_set_input(n, next_rand((uint32_t)hs_node_input_count(n)), text);
	} else if (kind < 5) {
		hs_node_add_input(n, text);
	} else if (kind < 7) {
		hs_graph_remove_node(g, n);
	} else { /* a new node reading something, read by something */
		char name[16];
		snprintf(name, sizeof name, "n%d", (*names)++);
		hs_node *x;
		if (hs_graph_add_node(&x, g, name, "Identity", m) != HS_OK)
			return;
		hs_node_add_input(x, text);
		if (hs_node_input_count(n) && next_rand(2))
			hs_node_set_input(n, 0, name);
	}
}

START_TEST(test_random_edits_agree)
{
	int disagreements = 0, broken = 0, trials = 3000;
	for (int trial = 0; trial < trials; trial++) {
		int names = 8 + (int)next_rand(40);
		hs_graph *g = random_dag(names);
		ck_assert_int_eq(hs_graph_verify(g), HS_OK);
		int edits = 1 + (int)next_rand(4);
		for (int e = 0; e < edits; e++)
			random_edit(g, &names);
		int all = hs_graph_verify(g), changes = hs_graph_verify_changes(g);
		broken += all != HS_OK;
		if (all != changes)
			disagreements++;
		hs_graph_free(g);
	}
	ck_assert_int_eq(disagreements, 0);
	/* Both outcomes were exercised often. */
	ck_assert_int_gt(broken, trials / 10);
	ck_assert_int_lt(broken, trials - trials / 10);
}
END_TEST

/* --------------------------------------------------- binding by node */

/* hs_node_set_inputs_to (the conversion's way: the producers in hand)
 * gives what hs_node_set_inputs gives with their texts: the same texts,
 * producers, ports, readers and written bytes; a name TensorFlow's syntax
 * would read as another node's takes the way by name. */
static void set_both_ways(hs_graph *by_name, hs_graph *by_node, const char *const *texts,
			  const char *const *names, const int *ports, size_t n)
{
	hs_node *x, *y;
	hs_output_ref refs[8];
	ck_assert_int_eq(hs_graph_add_node(&x, by_name, "x", "AddN", NULL), HS_OK);
	ck_assert_int_eq(hs_graph_add_node(&y, by_node, "x", "AddN", NULL), HS_OK);
	for (size_t i = 0; i < n; i++)
		refs[i] = (hs_output_ref){ hs_graph_find_node(by_node, names[i], strlen(names[i])),
					   ports[i] };
	ck_assert_int_eq(hs_node_set_inputs(x, texts, n), HS_OK);
	ck_assert_int_eq(hs_node_set_inputs_to(y, refs, n), HS_OK);
	ck_assert_uint_eq(x->n_inputs, y->n_inputs);
	for (size_t i = 0; i < n; i++) {
		hs_str a = hs_input_text(x->graph, &hs_node_inputs(x)[i]),
		       b = hs_input_text(y->graph, &hs_node_inputs(y)[i]);
		ck_assert_uint_eq(a.len, b.len);
		ck_assert(memcmp(a.ptr, b.ptr, a.len) == 0);
		ck_assert_int_eq(hs_node_input_port(x, i), hs_node_input_port(y, i));
		const hs_node *xs = hs_node_input_src(x, i), *ys = hs_node_input_src(y, i);
		ck_assert_ptr_nonnull(ys);
		ck_assert_uint_eq(hs_node_id(xs), hs_node_id(ys));
		ck_assert_uint_eq(xs->n_consumers, ys->n_consumers);
	}
	void *ba, *bb;
	size_t la, lb;
	ck_assert_int_eq(hs_graph_write_buffer(&ba, &la, by_name), HS_OK);
	ck_assert_int_eq(hs_graph_write_buffer(&bb, &lb, by_node), HS_OK);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(ba, bb, la) == 0);
	hs_free(ba);
	hs_free(bb);
	ck_assert_int_eq(hs_graph_verify_changes(by_node), HS_OK);
	ck_assert_int_eq(hs_graph_verify(by_node), HS_OK);
}

START_TEST(test_binding_by_node_agrees_with_by_name)
{
	hs_graph *g1 = chain(), *g2 = chain();
	const char *texts[] = { "a", "b:1", "^c", "d", "a:2" };
	const char *names[] = { "a", "b", "c", "d", "a" };
	const int ports[] = { 0, 1, -1, 0, 2 };
	set_both_ways(g1, g2, texts, names, ports, 5);
	/* Again on a node that has inputs: they are replaced, readers
	 * forget it. */
	hs_node *s1 = hs_graph_find_node(g1, "s", 1), *s2 = hs_graph_find_node(g2, "s", 1);
	const char *one[] = { "x" };
	hs_output_ref ref = { hs_graph_find_node(g2, "x", 1), 0 };
	ck_assert_int_eq(hs_node_set_inputs(s1, one, 1), HS_OK);
	ck_assert_int_eq(hs_node_set_inputs_to(s2, &ref, 1), HS_OK);
	ck_assert_uint_eq(hs_graph_find_node(g2, "a", 1)->n_consumers,
			  hs_graph_find_node(g1, "a", 1)->n_consumers);
	ck_assert_ptr_eq(hs_node_input_src(s2, 0), ref.node);
	ck_assert_int_eq(hs_graph_verify_changes(g2), HS_OK);
	hs_graph_free(g1);
	hs_graph_free(g2);
}
END_TEST

START_TEST(test_binding_by_node_refuses_foreign_and_removed)
{
	hs_graph *g = chain(), *other = chain();
	hs_node *x;
	ck_assert_int_eq(hs_graph_add_node(&x, g, "x", "Identity", NULL), HS_OK);
	hs_output_ref foreign = { hs_graph_find_node(other, "a", 1), 0 };
	ck_assert_int_eq(hs_node_set_inputs_to(x, &foreign, 1), HS_EINVAL);
	hs_node *b = hs_graph_find_node(g, "b", 1);
	ck_assert_int_eq(hs_graph_remove_node(g, b), HS_OK);
	hs_output_ref gone = { b, 0 };
	ck_assert_int_eq(hs_node_set_inputs_to(x, &gone, 1), HS_EINVAL);
	ck_assert_uint_eq(x->n_inputs, 0);
	hs_graph_free(g);
	hs_graph_free(other);
}
END_TEST

/* A file not in topological order (b is written before the a it reads):
 * the edits' cycles are searched for, and found. */
START_TEST(test_unordered_file_still_searched)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "b", "Identity", "a", NULL);
	tu_node(t, "a", "Placeholder", NULL);
	tu_node(t, "c", "Identity", "b", NULL);
	hs_graph *g = tu_graph_load(t);
	tu_graph_free(t);
	ck_assert_int_eq(g->edges_forward, 0);
	hs_node *x;
	ck_assert_int_eq(hs_graph_add_node(&x, g, "x", "Identity", NULL), HS_OK);
	ck_assert_int_eq(hs_node_add_input(x, "c"), HS_OK);
	ck_assert_int_eq(hs_graph_verify_changes(g), HS_OK);
	ck_assert_int_eq(hs_node_set_input(hs_graph_find_node(g, "b", 1), 0, "x"), HS_OK);
	ck_assert_int_eq(hs_graph_verify_changes(g), HS_EGRAPH);
	ck_assert_int_eq(hs_graph_verify(g), HS_EGRAPH);
	hs_graph_free(g);
}
END_TEST

/* A file in order, an edit that runs backward but closes no cycle: the
 * search runs and finds none. */
START_TEST(test_backward_edit_without_cycle)
{
	hs_graph *g = chain();
	ck_assert_int_eq(g->edges_forward, 1);
	ck_assert_int_eq(hs_node_set_input(hs_graph_find_node(g, "b", 1), 0, "s"), HS_OK);
	ck_assert_int_eq(hs_graph_verify_changes(g), HS_OK);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_graph_free(g);
}
END_TEST

static Suite *verify_suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_new_node_reading_nothing);
	tcase_add_test(tc, test_reader_of_a_removed_node);
	tcase_add_test(tc, test_cycle_through_an_edited_input);
	tcase_add_test(tc, test_cycle_through_a_new_node);
	tcase_add_test(tc, test_untouched_parts_are_trusted);
	tcase_add_test(tc, test_random_edits_agree);
	tcase_add_test(tc, test_binding_by_node_agrees_with_by_name);
	tcase_add_test(tc, test_binding_by_node_refuses_foreign_and_removed);
	tcase_add_test(tc, test_unordered_file_still_searched);
	tcase_add_test(tc, test_backward_edit_without_cycle);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(verify_suite()); }
