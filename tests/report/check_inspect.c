/* What inspect prints (core/report/inspect.c), rendered from a plan. */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define U1 "aaaa0000aaaa0000aaaa0000aaaa0000"

/* One hinted call x -> in -> neg -> out, a second op "Neg", and a node
 * whose name holds an invalid UTF-8 byte. */
static hs_graph *graph(tu_graph **t)
{
	*t = tu_graph_new();
	tu_node(*t, "x", "Placeholder", NULL);
	tu_hint(tu_node(*t, "in", "Identity", "x", NULL), "f", U1, 1, 0, -1, NULL);
	tu_node(*t, "neg", "Neg", "in", NULL);
	tu_hint(tu_node(*t, "out", "Identity", "neg", NULL), "f", U1, 0, 0, -1, NULL);
	tu_node(*t, "bad\xff", "Neg", "out", NULL);
	hs_graph *g = tu_graph_load(*t);
	ck_assert_ptr_nonnull(g);
	return g;
}

static char *render(int json, hs_graph *g)
{
	hs_callset *s = NULL;
	hs_plan *p = NULL;
	char *text = NULL;
	ck_assert_int_eq(hs_discover(&s, g, NULL), HS_OK);
	ck_assert_int_eq(hs_plan_new(&p, g, s, NULL), HS_OK);
	ck_assert_int_eq((json ? hs_plan_to_json : hs_plan_to_text)(&text, p), HS_OK);
	hs_plan_free(p);
	hs_callset_free(s);
	return text;
}

START_TEST(test_text)
{
	tu_graph *t;
	hs_graph *g = graph(&t);
	char *text = render(0, g);
	ck_assert_ptr_nonnull(strstr(text, "test: 5 nodes, 3 distinct ops\n"));
	ck_assert_ptr_nonnull(strstr(text, "  Neg                              2\n"));
	ck_assert_ptr_nonnull(strstr(text, "1 OpHint call(s)\n"));
	ck_assert_ptr_nonnull(strstr(text, "call 0: f uuid " U1 " level 1, 1 input(s), 1 output(s), interior 1 nodes\n"));
	ck_assert_ptr_nonnull(strstr(text, "    input 0: single x1, DT_FLOAT, first 'in'\n"));
	ck_assert_ptr_nonnull(strstr(text, "    would convert (generic stub, 1 nodes removed, 1 added)\n"));
	hs_free(text);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_json)
{
	tu_graph *t;
	hs_graph *g = graph(&t);
	char *json = render(1, g);
	ck_assert_ptr_nonnull(strstr(json, "\"nodes\":5,\"ops\":{\"Identity\":2,\"Neg\":2,\"Placeholder\":1}"));
	ck_assert_ptr_nonnull(strstr(json, "\"conversion\":{\"result\":\"converted\",\"plugin\":\"generic\",\"reason\":null"));
	ck_assert_ptr_nonnull(strstr(json, "\"interior\":1"));
	/* Every byte is valid UTF-8 (the bad name is not in the calls, but
	 * the renderer escapes any text it is given). */
	for (const unsigned char *c = (const unsigned char *)json; *c; c++)
		ck_assert_uint_lt(*c, 0x80);
	hs_free(json);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* Graph strings that need escapes, in every place inspect prints one: a
 * function with a quote, a control byte and a byte that is not UTF-8, an
 * identity named with a tab, ops that escape, fill or pass the 32-byte
 * column.  Text shows hs_escape's form, JSON its escapes and U+FFFD. */
START_TEST(test_escaped_strings)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, "in\t1", "Identity", "x", NULL), "f\"\x01\xff", U1, 1, 0, -1, NULL);
	tu_node(t, "neg", "Neg\x1b[1m", "in\t1", NULL);
	tu_hint(tu_node(t, "out", "Identity", "neg", NULL), "f\"\x01\xff", U1, 0, 0, -1, NULL);
	tu_node(t, "long", "AVeryLongOperationNameThatPassesTheColumn", "out", NULL);
	tu_node(t, "full", "ExactlyThirtyTwoBytesLongOpName!", "long", NULL);
	hs_graph *g = tu_graph_load(t);
	ck_assert_ptr_nonnull(g);
	char *text = render(0, g);
	ck_assert_ptr_nonnull(strstr(text, "\n  AVeryLongOperationNameThatPassesTheColumn 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n  ExactlyThirtyTwoBytesLongOpName! 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n  Neg\\x1b[1m                       1\n"));
	ck_assert_ptr_nonnull(strstr(text, "call 0: f\"\\x01\\xff uuid " U1 " level 1,"));
	ck_assert_ptr_nonnull(strstr(text, "    input 0: single x1, DT_FLOAT, first 'in\\t1'\n"));
	hs_free(text);
	char *json = render(1, g);
	ck_assert_ptr_nonnull(strstr(json, "\"Neg\\u001b[1m\":1"));
	ck_assert_ptr_nonnull(strstr(json, "{\"function\":\"f\\\"\\u0001\\ufffd\",\"uuid\":\"" U1 "\""));
	ck_assert_ptr_nonnull(strstr(json, "\"nodes\":[\"in\\u00091\"]"));
	hs_free(json);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* A level-2 call's child lines print the children's functions escaped
 * too: a terminal escape in a cell's function name stays text. */
START_TEST(test_escaped_child_lines)
{
	size_t len;
	char *text = tu_read_text(HS_TEST_DATA "/dynrnn_bidi.pbtxt", &len);
	ck_assert_ptr_nonnull(text);
	const char *cell = "s: \"UnidirectionalSequenceRnn\"";
	char *at = strstr(text, cell);
	ck_assert_ptr_nonnull(at);
	/* The same length: "\\033" (4 bytes) for "quence"'s "quen". */
	size_t off = (size_t)(at - text) + strlen("s: \"UnidirectionalSe");
	memcpy(text + off, "\\033", 4);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, text, len, "t", NULL), HS_OK);
	char *out = render(0, g);
	ck_assert_ptr_nonnull(strstr(out, "    child 0 (layer 1 of "));
	ck_assert_ptr_nonnull(strstr(out, ": UnidirectionalSe\\x1bceRnn uuid "));
	for (const char *c = out; *c; c++)
		ck_assert_int_ne(*c, 0x1b);
	hs_free(out);
	hs_graph_free(g);
	free(text);
}
END_TEST

/* A plan rendered after its graph was converted (stubs added, regions
 * removed): the op histogram counts the live nodes, each once. */
START_TEST(test_ops_after_apply)
{
	tu_graph *t;
	hs_graph *g = graph(&t);
	hs_callset *s = NULL;
	hs_plan *p = NULL;
	hs_report *r = NULL;
	char *text = NULL;
	ck_assert_int_eq(hs_discover(&s, g, NULL), HS_OK);
	ck_assert_int_eq(hs_plan_new(&p, g, s, NULL), HS_OK);
	ck_assert_int_eq(hs_apply(&r, g, p, NULL), HS_OK);
	ck_assert_int_eq(hs_plan_to_text(&text, p), HS_OK);
	/* x, in, out and bad\xff stay, neg goes, the stub comes. */
	ck_assert_ptr_nonnull(strstr(text, "test: 5 nodes, 4 distinct ops\n"));
	ck_assert_ptr_nonnull(strstr(text, "  Identity                         2\n"));
	ck_assert_ptr_nonnull(strstr(text, "  Neg                              1\n"));
	ck_assert_ptr_nonnull(strstr(text, "  Placeholder                      1\n"));
	ck_assert_ptr_nonnull(strstr(text, "  f                                1\n"));
	hs_free(text);
	hs_report_free(r);
	hs_plan_free(p);
	hs_callset_free(s);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* "  OP<spaces>COUNT" as inspect prints it: the op padded to 32 columns. */
static int has_op_line(const char *text, const char *op, size_t count)
{
	char line[96];
	snprintf(line, sizeof line, "\n  %-32s %zu\n", op, count);
	return strstr(text, line) != NULL;
}

/* The histogram follows every kind of edit: nodes added (one of them
 * changing its op twice) and removed (apply removes in batches:
 * test_ops_after_apply); each op
 * is counted as a walk over the live nodes counts it. */
START_TEST(test_ops_follow_edits)
{
	tu_graph *t;
	hs_graph *g = graph(&t);
	hs_node *a, *b;
	ck_assert_int_eq(hs_graph_add_node(&a, g, "a", "Relu", NULL), HS_OK);
	ck_assert_int_eq(hs_graph_add_node(&b, g, "b", "Relu", a), HS_OK);
	ck_assert_int_eq(hs_node_set_op(a, "Tanh"), HS_OK);
	ck_assert_int_eq(hs_node_set_op(a, "Neg"), HS_OK);
	ck_assert_int_eq(hs_graph_remove_node(g, b), HS_OK);
	ck_assert_int_eq(hs_graph_remove_node(g, hs_graph_find_node(g, "bad\xff", 4)), HS_OK);
	size_t identity = 0, neg = 0, other = 0;
	for (hs_node *n = hs_graph_next_node(g, NULL); n; n = hs_graph_next_node(g, n)) {
		hs_str op = hs_node_op(n);
		if (hs_str_eq(op, "Identity"))
			identity++;
		else if (hs_str_eq(op, "Neg"))
			neg++;
		else if (!hs_str_eq(op, "Placeholder"))
			other++;
	}
	ck_assert_uint_eq(identity, 2);
	ck_assert_uint_eq(neg, 2);   /* neg and a */
	ck_assert_uint_eq(other, 0); /* Relu and Tanh gone */
	char *text = render(0, g);
	ck_assert_ptr_nonnull(strstr(text, "test: 5 nodes, 3 distinct ops\n"));
	ck_assert(has_op_line(text, "Identity", identity));
	ck_assert(has_op_line(text, "Neg", neg));
	ck_assert_ptr_null(strstr(text, "Relu"));
	ck_assert_ptr_null(strstr(text, "Tanh"));
	ck_assert(has_op_line(text, "Placeholder", 1));
	hs_free(text);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* n calls (400: a rendering of several 64 KiB slices). */
/* n calls f of one Neg each, or of `interior` Negs in a chain; every
 * `unhinted`-th (0: none) without its output hint. */
static hs_graph *calls_graph(tu_graph **t, int n, int interior, int unhinted)
{
	*t = tu_graph_new();
	tu_node(*t, "x", "Placeholder", NULL);
	for (int i = 0; i < n; i++) {
		char in[32], neg[48], prev[48], out[32], uuid[40];
		snprintf(in, sizeof in, "in%d", i);
		snprintf(neg, sizeof neg, "neg%d", i);
		snprintf(out, sizeof out, "out%d", i);
		snprintf(uuid, sizeof uuid, "%032d", i);
		tu_hint(tu_node(*t, in, "Identity", "x", NULL), "f", uuid, 1, 0, -1, NULL);
		tu_node(*t, neg, "Neg", in, NULL);
		for (int k = 1; k < interior; k++) {
			snprintf(prev, sizeof prev, "%s", neg);
			snprintf(neg, sizeof neg, "neg%d_%d", i, k);
			tu_node(*t, neg, "Neg", prev, NULL);
		}
		if (unhinted && i % unhinted == unhinted / 2)
			tu_node(*t, out, "Identity", neg, NULL);
		else
			tu_hint(tu_node(*t, out, "Identity", neg, NULL), "f", uuid, 0, 0, -1, NULL);
	}
	hs_graph *g = tu_graph_load(*t);
	ck_assert_ptr_nonnull(g);
	return g;
}

static hs_graph *n_calls(tu_graph **t, int n)
{
	return calls_graph(t, n, 1, 0);
}

/* n calls, every 7th without its output hint (a call the plan skips, with
 * a problem and no interior, among those it converts), MIXED_INTERIOR
 * nodes inside each: the plan walks them while the calls' text, which
 * does not read them, is rendered, so the text is ready before the plan
 * is and hs_plan_new_write_text stitches it (a call's interior size left
 * out of the stitch fails the test). */
enum { MIXED_INTERIOR = 16 };

static hs_graph *mixed_calls(tu_graph **t, int n)
{
	return calls_graph(t, n, MIXED_INTERIOR, 7);
}

static hs_graph *many_calls(tu_graph **t)
{
	return n_calls(t, 400);
}

typedef struct collected {
	struct { char *data; size_t len; } b;
	size_t slices;
	size_t fail_at;         /* fail the call of this number (0: never) */
} collected;

static int collect(const char *data, size_t len, void *payload)
{
	collected *c = payload;
	if (++c->slices == c->fail_at)
		return 7;
	char *grown = realloc(c->b.data, c->b.len + len);
	ck_assert_ptr_nonnull(grown);
	memcpy(grown + c->b.len, data, len);
	c->b.data = grown;
	c->b.len += len;
	return 0;
}

/* Written in slices, the same bytes as the one string, text and JSON; a
 * write function's failure stops the rendering with HS_EIO. */
START_TEST(test_write_slices)
{
	tu_graph *t;
	hs_graph *g = many_calls(&t);
	hs_callset *s = NULL;
	hs_plan *p = NULL;
	ck_assert_int_eq(hs_discover(&s, g, NULL), HS_OK);
	ck_assert_int_eq(hs_plan_new(&p, g, s, NULL), HS_OK);
	for (int json = 0; json < 2; json++) {
		char *whole = NULL;
		collected c = { { NULL, 0 }, 0, 0 };
		ck_assert_int_eq((json ? hs_plan_to_json : hs_plan_to_text)(&whole, p), HS_OK);
		ck_assert_int_eq((json ? hs_plan_write_json : hs_plan_write_text)(p, collect, &c),
				 HS_OK);
		ck_assert_uint_gt(c.slices, 1);
		ck_assert_uint_eq(c.b.len, strlen(whole));
		ck_assert(memcmp(c.b.data, whole, c.b.len) == 0);
		free(c.b.data);
		collected f = { { NULL, 0 }, 0, 2 };
		ck_assert_int_eq((json ? hs_plan_write_json : hs_plan_write_text)(p, collect, &f),
				 HS_EIO);
		ck_assert_uint_eq(f.slices, 2); /* nothing handed over after it */
		ck_assert_ptr_nonnull(strstr(hs_error_last(), "returned 7"));
		free(f.b.data);
		hs_free(whole);
	}
	ck_assert_int_eq(hs_plan_write_text(p, NULL, NULL), HS_EINVAL);
	hs_plan_free(p);
	hs_callset_free(s);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* With a second thread rendering every other block of 1,024 calls: the
 * same bytes as one string, whether the last block is the helper's (9,300
 * calls: blocks 0-9) or this thread's (10,300: 0-10), and a write failure
 * in this thread's text or in the helper's stops both with HS_EIO.  Its own
 * test case: under ThreadSanitizer it takes longer than Check's default 4 s. */
START_TEST(test_write_parallel)
{
	static const int counts[] = { 9300, 10300 };
	for (size_t k = 0; k < 2; k++) {
		tu_graph *t;
		hs_graph *g = n_calls(&t, counts[k]);
		hs_callset *s = NULL;
		hs_plan *p = NULL;
		ck_assert_int_eq(hs_discover(&s, g, NULL), HS_OK);
		ck_assert_int_eq(hs_plan_new(&p, g, s, NULL), HS_OK);
		ck_assert_uint_eq(hs_plan_count(p), (size_t)counts[k]);
		char *whole = NULL;
		ck_assert_int_eq(hs_plan_to_text(&whole, p), HS_OK);
		collected c = { { NULL, 0 }, 0, 0 };
		ck_assert_int_eq(hs_plan_write_text_parallel(p, collect, &c), HS_OK);
		ck_assert_uint_eq(c.b.len, strlen(whole));
		ck_assert(memcmp(c.b.data, whole, c.b.len) == 0);
		for (size_t fail_at = 1; k == 0 && fail_at <= c.slices; fail_at += c.slices / 3 + 1) {
			collected f = { { NULL, 0 }, 0, fail_at };
			ck_assert_int_eq(hs_plan_write_text_parallel(p, collect, &f), HS_EIO);
			ck_assert_uint_eq(f.slices, fail_at);
			free(f.b.data);
		}
		free(c.b.data);
		hs_free(whole);
		hs_plan_free(p);
		hs_callset_free(s);
		hs_graph_free(g);
		tu_graph_free(t);
	}
}
END_TEST

/* Planned and written with the calls' own text rendered while the plan is
 * made: the same bytes as hs_plan_to_text of hs_plan_new's plan (9,300
 * calls, and 400: too few for a second thread); a write failure gives
 * HS_EIO and still the plan; a planning failure no plan and no text. */
START_TEST(test_plan_new_write_text)
{
	static const int counts[] = { 9300, 400 };
	for (size_t k = 0; k < 2; k++) {
		tu_graph *t;
		hs_graph *g = mixed_calls(&t, counts[k]);
		hs_callset *s = NULL;
		hs_plan *p = NULL, *q = NULL;
		ck_assert_int_eq(hs_discover(&s, g, NULL), HS_OK);
		ck_assert_int_eq(hs_plan_new(&p, g, s, NULL), HS_OK);
		char *whole = NULL;
		ck_assert_int_eq(hs_plan_to_text(&whole, p), HS_OK);
		ck_assert_ptr_nonnull(strstr(whole, "would convert"));
		ck_assert_ptr_nonnull(strstr(whole, "would be skipped"));
		collected c = { { NULL, 0 }, 0, 0 };
		ck_assert_int_eq(hs_plan_new_write_text(&q, g, s, NULL, collect, &c), HS_OK);
		ck_assert_ptr_nonnull(q);
		ck_assert_uint_eq(hs_plan_converted(q), hs_plan_converted(p));
		ck_assert_uint_eq(c.b.len, strlen(whole));
		ck_assert(memcmp(c.b.data, whole, c.b.len) == 0);
		hs_plan_free(q);
		if (k == 0) { /* a failure half way */
			collected f = { { NULL, 0 }, 0, c.slices / 2 };
			q = NULL;
			ck_assert_int_eq(hs_plan_new_write_text(&q, g, s, NULL, collect, &f), HS_EIO);
			ck_assert_ptr_nonnull(q);
			ck_assert_uint_eq(f.slices, c.slices / 2);
			hs_plan_free(q);
			free(f.b.data);
		}
		free(c.b.data);
		hs_free(whole);
		hs_plan_free(p);
		/* A call set of another graph: refused by the plan, no text. */
		tu_graph *t2;
		hs_graph *g2 = n_calls(&t2, 1);
		collected none = { { NULL, 0 }, 0, 0 };
		q = p;
		ck_assert_int_eq(hs_plan_new_write_text(&q, g2, s, NULL, collect, &none), HS_EINVAL);
		ck_assert_ptr_null(q);
		ck_assert_uint_eq(none.slices, 0);
		ck_assert_int_eq(hs_plan_new_write_text(&q, g, s, NULL, NULL, NULL), HS_EINVAL);
		hs_graph_free(g2);
		tu_graph_free(t2);
		hs_callset_free(s);
		hs_graph_free(g);
		tu_graph_free(t);
	}
}
END_TEST

/* Every field but the padding. */
static void assert_same_entry(const hs_call_report *a, const hs_call_report *b)
{
	ck_assert_ptr_eq(a->function.ptr, b->function.ptr);
	ck_assert_ptr_eq(a->uuid.ptr, b->uuid.ptr);
	ck_assert_int_eq(a->result, b->result);
	ck_assert_ptr_eq(a->plugin, b->plugin);
	ck_assert_uint_eq(a->nodes_removed, b->nodes_removed);
	ck_assert_uint_eq(a->nodes_added, b->nodes_added);
	ck_assert_ptr_eq(a->reason, b->reason);
	ck_assert_int_eq(a->error, b->error);
	ck_assert_uint_eq(a->n_problems, b->n_problems);
	ck_assert_ptr_eq(a->problems, b->problems);
	ck_assert_uint_eq(a->ordinal, b->ordinal);
}

typedef struct entry_reader {
	const hs_plan *p;
	const hs_call_report **got;
	int backwards;
	pthread_barrier_t *start;
} entry_reader;

static void *read_entries(void *arg)
{
	entry_reader *a = arg;
	size_t n = hs_plan_count(a->p);
	pthread_barrier_wait(a->start);
	for (size_t k = 0; k < n; k++) {
		size_t i = a->backwards ? n - 1 - k : k;
		a->got[i] = hs_plan_entry(a->p, i);
	}
	return NULL;
}

/* The plan makes its public entries on first use, a block of 1,024 at a
 * time: two threads asking at once (one from each end of 2,500 calls, so
 * both make the blocks they meet) get the same entries, which say what
 * hs_plan_entry_get copies, and a run as planned hands out the plan's. */
START_TEST(test_entries_threads)
{
	enum { N = 2500 };
	tu_graph *t;
	hs_graph *g = n_calls(&t, N);
	hs_callset *s = NULL;
	hs_plan *p = NULL;
	ck_assert_int_eq(hs_discover(&s, g, NULL), HS_OK);
	ck_assert_int_eq(hs_plan_new(&p, g, s, NULL), HS_OK);
	const hs_call_report **got[2];
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, 2);
	entry_reader r[2];
	pthread_t th;
	for (int k = 0; k < 2; k++) {
		got[k] = calloc(N, sizeof *got[k]);
		r[k] = (entry_reader){ p, got[k], k, &start };
	}
	ck_assert_int_eq(pthread_create(&th, NULL, read_entries, &r[1]), 0);
	read_entries(&r[0]);
	pthread_join(th, NULL);
	pthread_barrier_destroy(&start);
	for (size_t i = 0; i < N; i++) {
		hs_call_report copy;
		ck_assert_ptr_nonnull(got[0][i]);
		ck_assert_ptr_eq(got[0][i], got[1][i]);
		ck_assert_ptr_eq(hs_plan_entry(p, i), got[0][i]);
		ck_assert_int_eq(hs_plan_entry_get(p, i, &copy, sizeof copy), HS_OK);
		assert_same_entry(&copy, got[0][i]);
		ck_assert_uint_eq(copy.ordinal, i);
		ck_assert_int_eq(copy.result, HS_CALL_CONVERTED);
		ck_assert_uint_eq(copy.nodes_removed, 1);
		ck_assert_uint_eq(copy.nodes_added, 1);
		ck_assert_ptr_eq(copy.uuid.ptr, hs_call_uuid(hs_callset_call(s, i)).ptr);
	}
	ck_assert_ptr_null(hs_plan_entry(p, N));
	hs_call_report copy;
	ck_assert_int_eq(hs_plan_entry_get(p, N, &copy, sizeof copy), HS_EINVAL);
	/* A caller built before a field was appended gets only its fields. */
	memset(&copy, 0xab, sizeof copy);
	ck_assert_int_eq(hs_plan_entry_get(p, 7, &copy, offsetof(hs_call_report, ordinal)), HS_OK);
	ck_assert_uint_eq(copy.n_problems, 0);
	ck_assert_uint_ne(copy.ordinal, 7);
	hs_report *rep = NULL;
	hs_apply_options dry = HS_APPLY_OPTIONS_INIT;
	dry.dry_run = 1;
	ck_assert_int_eq(hs_apply(&rep, g, p, &dry), HS_OK);
	ck_assert_ptr_eq(hs_report_entry(rep, N - 1), got[0][N - 1]);
	ck_assert_int_eq(hs_report_entry_get(rep, 3, &copy, sizeof copy), HS_OK);
	assert_same_entry(&copy, got[0][3]);
	hs_report_free(rep);
	free(got[0]);
	free(got[1]);
	hs_plan_free(p);
	hs_callset_free(s);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

static Suite *inspect_suite(void)
{
	Suite *s = suite_create("inspect");
	TCase *t = tcase_create("inspect");
	tcase_add_test(t, test_text);
	tcase_add_test(t, test_json);
	tcase_add_test(t, test_escaped_strings);
	tcase_add_test(t, test_escaped_child_lines);
	tcase_add_test(t, test_ops_after_apply);
	tcase_add_test(t, test_ops_follow_edits);
	tcase_add_test(t, test_write_slices);
	suite_add_tcase(s, t);
	TCase *par = tcase_create("parallel");
	tcase_set_timeout(par, 120);
	tcase_add_test(par, test_write_parallel);
	tcase_add_test(par, test_plan_new_write_text);
	tcase_add_test(par, test_entries_threads);
	suite_add_tcase(s, par);
	return s;
}

int main(void) { return tu_run(inspect_suite()); }
