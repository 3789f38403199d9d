/* Hostile inputs through the library: every class of bad GraphDef is
 * refused with its exact message and error code, no graph is returned, and
 * the bytes given are never modified.  Graph-level faults (dangling inputs,
 * cycles) load and are refused by hs_graph_verify.  Also truncation at
 * every offset, seeded random bytes, limits, and the replay of every input
 * the fuzzers ever crashed on. */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define FIXTURE HS_TEST_DATA "/ophint_lstm.pb"
#define BAD HS_TEST_DATA "/bad/"
#define REGRESSIONS HS_TEST_DATA "/fuzz-regressions"

/* Loads tests/data/bad/NAME.pb from memory under the label NAME and
 * expects `code` with `message` (after "NAME: "). */
static void expect_load_failure(const char *name, const hs_load_options *o,
				int code, const char *message)
{
	char path[512], expected[1024];
	size_t len;
	snprintf(path, sizeof path, BAD "%s.pb", name);
	uint8_t *data = tu_read_file(path, &len);
	ck_assert_msg(data != NULL, "cannot read %s", path);
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, data, len);
	hs_graph *g = (hs_graph *)&g; /* must come back NULL */
	int rc = hs_graph_load_buffer(&g, data, len, name, o);
	ck_assert_msg(rc == code, "%s: code %d (%s), expected %d", name, rc,
		      hs_error_last(), code);
	ck_assert_ptr_null(g);
	snprintf(expected, sizeof expected, "%s: %s", name, message);
	ck_assert_str_eq(hs_error_last(), expected);
	ck_assert_int_eq(hs_error_last_code(), code);
	ck_assert_int_eq(memcmp(data, copy, len), 0);
	free(copy);
	free(data);
}

/* Loads NAME.pb (which must load) and expects verification to fail. */
static void expect_verify_failure(const char *name, const char *message)
{
	char path[512];
	hs_graph *g = NULL;
	snprintf(path, sizeof path, BAD "%s.pb", name);
	ck_assert_int_eq(hs_graph_load_file(&g, path, NULL), HS_OK);
	ck_assert_int_eq(hs_graph_verify(g), HS_EGRAPH);
	ck_assert_str_eq(hs_error_last(), message);
	hs_graph_free(g);
}

START_TEST(test_wire_level_classes)
{
	expect_load_failure("truncated-head", NULL, HS_EPARSE,
		"truncated GraphDef: the field at byte 0 runs past the end of the input (7 bytes)");
	expect_load_failure("random-wire-type", NULL, HS_EPARSE,
		"not a GraphDef: invalid wire type at byte 0");
	expect_load_failure("random-field-zero", NULL, HS_EPARSE,
		"not a GraphDef: invalid field number at byte 0");
	expect_load_failure("random-varint", NULL, HS_EPARSE,
		"not a GraphDef: malformed varint at byte 0");
	expect_load_failure("wrong-wire-type-node", NULL, HS_EPARSE,
		"not a GraphDef: field 'node' has a wrong wire type at byte 0");
	expect_load_failure("wrong-wire-type-name", NULL, HS_EPARSE,
		"node #0: field 'name' has a wrong wire type at byte 2");
	expect_load_failure("wrong-wire-type-attr-key", NULL, HS_EPARSE,
		"node #0 'a': attribute key has a wrong wire type at byte 7");
	expect_load_failure("length-past-end", NULL, HS_EPARSE,
		"truncated GraphDef: the field at byte 0 runs past the end of the input (6 bytes)");
	expect_load_failure("length-past-end-nested", NULL, HS_EPARSE,
		"node #0 'a': truncated field (length or varint runs past the end) at byte 5");
	expect_load_failure("length-overflow", NULL, HS_EPARSE,
		"truncated GraphDef: the field at byte 0 runs past the end of the input (11 bytes)");
	expect_load_failure("malformed-attr-value", NULL, HS_EPARSE,
		"node #0 'a': attribute 'value': truncated field (length or varint runs past the end) at byte 25");
	expect_load_failure("no-name", NULL, HS_EGRAPH,
		"node #0: has no name (node field at byte 0)");
	expect_load_failure("duplicate-names", NULL, HS_EGRAPH,
		"duplicate node name 'a' (nodes #0 and #2)");
}
END_TEST

START_TEST(test_graph_level_classes)
{
	expect_verify_failure("missing-input",
		"node 'b': input 1 'ghost:1' names no node of the graph");
	expect_verify_failure("bad-input-text",
		"node 'b': input 0 '^a:1' is not of the form name, name:port or ^name (TensorFlow reads it as port 1 of a node '^a': a control input has no port)");
	expect_verify_failure("cycle", "the graph has a cycle through node 'd'");
}
END_TEST

START_TEST(test_empty_is_a_valid_empty_graph)
{
	/* On the wire an empty message is a GraphDef without nodes; refusing
	 * it is the command's policy, not the library's. */
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, BAD "empty.pb", NULL), HS_OK);
	ck_assert_uint_eq(hs_graph_node_count(g), 0);
	ck_assert_uint_eq(hs_graph_serialized_size(g), 0);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_limits)
{
	hs_load_options o = HS_LOAD_OPTIONS_INIT;
	expect_load_failure("deep-nesting", &o, HS_EPARSE,
		"node #0 'a': attribute 'value': value nested deeper than the limit of 64 at byte 344");
	o.max_depth = 10;
	expect_load_failure("deep-nesting", &o, HS_EPARSE,
		"node #0 'a': attribute 'value': value nested deeper than the limit of 10 at byte 74");
	o.max_depth = 0;
	o.max_nodes = 1999;
	expect_load_failure("many-nodes", &o, HS_ELIMIT,
		"graph has 2000 nodes, more than the limit of 1999");
	o.max_nodes = 0;
	o.max_file_size = 28889;
	expect_load_failure("many-nodes", &o, HS_ELIMIT,
		"input is 28890 bytes, more than the limit of 28889");

	/* At the limits exactly, everything loads. */
	hs_graph *g = NULL;
	o.max_file_size = 28890;
	o.max_nodes = 2000;
	ck_assert_int_eq(hs_graph_load_file(&g, BAD "many-nodes.pb", &o), HS_OK);
	ck_assert_uint_eq(hs_graph_node_count(g), 2000);
	hs_graph_free(g);
	o.max_depth = 301; /* 100 levels of AttrValue, NameAttrList, entry */
	ck_assert_int_eq(hs_graph_load_file(&g, BAD "deep-nesting.pb", &o), HS_OK);
	hs_graph_free(g);
	o.max_depth = 300;
	ck_assert_int_eq(hs_graph_load_file(&g, BAD "deep-nesting.pb", &o), HS_EPARSE);
	ck_assert_ptr_null(g);

	/* The file limit is applied while reading, before the parse. */
	o.max_file_size = 1000;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, &o), HS_ELIMIT);
	ck_assert_str_eq(hs_error_last(), FIXTURE ": file is 65570 bytes, more than the limit of 1000");
}
END_TEST

/* A cut at a boundary between top-level fields is a valid, shorter
 * GraphDef; anywhere else it is truncated.  protobuf-c is the referee. */
START_TEST(test_truncation_at_every_offset)
{
	size_t len;
	uint8_t *in = tu_read_file(FIXTURE, &len);
	ck_assert_ptr_nonnull(in);
	size_t valid = 0;
	for (size_t cut = 0; cut < len; cut++) {
		hs_graph *g = NULL;
		int rc = hs_graph_load_buffer(&g, in, cut, "cut", NULL);
		Tensorflow__GraphDef *ref = tensorflow__graph_def__unpack(NULL, cut, in);
		if (ref) {
			ck_assert_msg(rc == HS_OK, "cut %zu: %s", cut, hs_error_last());
			ck_assert_uint_eq(hs_graph_node_count(g), ref->n_node);
			tensorflow__graph_def__free_unpacked(ref, NULL);
			hs_graph_free(g);
			valid++;
		} else {
			ck_assert_msg(rc == HS_EPARSE, "cut %zu: rc %d", cut, rc);
			ck_assert_ptr_null(g);
			ck_assert_msg(strncmp(hs_error_last(), "cut: truncated GraphDef: ", 25) == 0,
				      "cut %zu: %s", cut, hs_error_last());
		}
	}
	ck_assert_uint_gt(valid, 300); /* one per node boundary at least */
	free(in);
}
END_TEST

START_TEST(test_random_bytes)
{
	/* Deterministic: xorshift with a fixed seed. */
	uint64_t x = 0x9e3779b97f4a7c15ull;
	uint8_t buf[512];
	int loaded = 0;
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(round % 512);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = (uint8_t)x;
		}
		hs_graph *g = NULL;
		int rc = hs_graph_load_buffer(&g, buf, n, "rnd", NULL);
		if (rc != HS_OK) {
			ck_assert_ptr_null(g);
			ck_assert(strncmp(hs_error_last(), "rnd: ", 5) == 0);
			continue;
		}
		loaded++;
		void *out = NULL;
		size_t out_len = 0;
		ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, g), HS_OK);
		ck_assert_uint_eq(out_len, n);
		ck_assert(n == 0 || memcmp(out, buf, n) == 0);
		hs_free(out);
		hs_graph_verify(g);
		hs_graph_free(g);
	}
	ck_assert_int_gt(loaded, 0); /* at least the empty ones */
}
END_TEST

START_TEST(test_huge_repeated_field)
{
	/* One node with 200,000 inputs and 200,000 consumers: linear work. */
	tu_graph *t = tu_graph_new();
	tu_node(t, "a", "Const", NULL);
	Tensorflow__NodeDef *sum = tu_node(t, "sum", "AddN", NULL);
	size_t n = 200000;
	sum->input = realloc(sum->input, n * sizeof *sum->input);
	for (size_t i = 0; i < n; i++)
		sum->input[i] = strdup("a");
	sum->n_input = n;
	hs_graph *g = tu_graph_load(t);
	ck_assert_ptr_nonnull(g);
	hs_node *a = hs_graph_find_node(g, "a", 1);
	ck_assert_uint_eq(hs_node_consumer_count(a), n);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* More calls than the first allocation of call entries (the uuid index
 * is rebuilt as it grows: once read freed memory, caught under ASan and
 * valgrind). */
START_TEST(test_many_calls)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	char uuid[33], in[40], out[40];
	size_t calls = 37;
	for (size_t i = 0; i < calls; i++) {
		snprintf(uuid, sizeof uuid, "%032zx", i);
		snprintf(in, sizeof in, "in%zu", i);
		snprintf(out, sizeof out, "out%zu", i);
		tu_hint(tu_node(t, in, "Identity", "x", NULL), "Fn", uuid, 1, 0, 0, NULL);
		tu_hint(tu_node(t, out, "Identity", in, NULL), "Fn", uuid, 0, 0, 0, NULL);
	}
	hs_graph *g = tu_graph_load(t);
	ck_assert_ptr_nonnull(g);
	hs_callset *h = NULL;
	ck_assert_int_eq(hs_discover(&h, g, NULL), HS_OK);
	ck_assert_uint_eq(hs_callset_count(h), calls);
	for (size_t i = 0; i < calls; i++) {
		snprintf(uuid, sizeof uuid, "%032zx", i);
		hs_str u = { uuid, 32 };
		ck_assert_ptr_nonnull(hs_callset_find(h, u));
	}
	hs_callset_free(h);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* The children mapping (spec: _tflite_children_ophint_inputs_mapping) is
 * read from the hint as text, here malformed JSON: level 2 parses it, the
 * finder only keeps it, and the level-1 call is valid. */
START_TEST(test_children_mapping_is_read)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, BAD "hint-bad-children.pb", NULL), HS_OK);
	hs_callset *h = NULL;
	ck_assert_int_eq(hs_discover(&h, g, NULL), HS_OK);
	ck_assert_uint_eq(hs_callset_count(h), 1);
	const hs_call *c = hs_callset_call(h, 0);
	const char *json = "{\"child\": [1, ";
	hs_str m = hs_call_children_mapping(c);
	ck_assert_msg(hs_str_eq(m, json), "children_mapping is '%.*s'", (int)m.len, m.ptr);
	ck_assert_int_eq(hs_call_level(c), 1);
	ck_assert_int_eq(hs_call_has_errors(c), 0);
	hs_callset_free(h);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_null_arguments)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(NULL, "", 0, "x", NULL), HS_EINVAL);
	ck_assert_int_eq(hs_graph_load_buffer(&g, NULL, 5, "x", NULL), HS_EINVAL);
	ck_assert_int_eq(hs_graph_load_file(&g, NULL, NULL), HS_EINVAL);
	ck_assert_int_eq(hs_graph_write_file(NULL, "x"), HS_EINVAL);
}
END_TEST

/* What fuzz_load does after loading: an attribute set on the first node
 * reads back after write and reload. */
static void edit_roundtrip(hs_graph *g, const char *name)
{
	hs_node *first = hs_graph_next_node(g, NULL);
	if (!first)
		return;
	ck_assert_int_eq(hs_node_set_attr_i(first, "__fuzz_i", 42), HS_OK);
	void *out = NULL;
	size_t n = 0;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &n, g), HS_OK);
	hs_graph *again = NULL;
	ck_assert_msg(hs_graph_load_buffer(&again, out, n, name, NULL) == HS_OK,
		      "%s: edited graph does not load: %s", name, hs_error_last());
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, hs_graph_next_node(again, NULL), "__fuzz_i"), HS_OK);
	ck_assert_msg(a.kind == HS_ATTR_I && a.v.i == 42, "%s: edit lost", name);
	hs_graph_free(again);
	hs_free(out);
}

/* What fuzz_convert does: find the hints, convert; a success writes a
 * graph that loads again. */
static void convert_roundtrip(const uint8_t *data, size_t len, const char *name)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, data, len, name, NULL), HS_OK);
	hs_callset *h = NULL;
	ck_assert_int_eq(hs_discover(&h, g, NULL), HS_OK);
	hs_callset_free(h);
	hs_report *r = NULL;
	if (hs_convert(&r, g, NULL) == HS_OK) {
		void *out = NULL;
		size_t n = 0;
		hs_graph *again = NULL;
		ck_assert_int_eq(hs_graph_write_buffer(&out, &n, g), HS_OK);
		ck_assert_int_eq(hs_graph_load_buffer(&again, out, n, name, NULL), HS_OK);
		hs_graph_free(again);
		hs_free(out);
	} else {
		ck_assert(hs_error_last()[0] != '\0');
	}
	hs_report_free(r);
	hs_graph_free(g);
}

/* Every input a fuzzer crashed on: loads or fails cleanly; when it loads,
 * it writes back byte for byte, verifies or fails with a message, keeps an
 * edit across write and reload, and converts or fails with a message. */
START_TEST(test_fuzz_regressions)
{
	DIR *d = opendir(REGRESSIONS);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	int replayed = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[1024];
		size_t len;
		snprintf(path, sizeof path, "%s/%s", REGRESSIONS, e->d_name);
		uint8_t *data = tu_read_file(path, &len);
		ck_assert_ptr_nonnull(data);
		hs_graph *g = NULL;
		if (hs_graph_load_buffer(&g, data, len, e->d_name, NULL) == HS_OK) {
			void *out = NULL;
			size_t out_len = 0;
			ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, g), HS_OK);
			ck_assert_uint_eq(out_len, len);
			ck_assert(len == 0 || memcmp(out, data, len) == 0);
			hs_free(out);
			if (hs_graph_verify(g) != HS_OK)
				ck_assert(hs_error_last()[0] != '\0');
			edit_roundtrip(g, e->d_name);
			hs_graph_free(g);
			convert_roundtrip(data, len, e->d_name);
		} else {
			ck_assert_ptr_null(g);
			ck_assert(hs_error_last()[0] != '\0');
		}
		free(data);
		replayed++;
	}
	closedir(d);
	ck_assert_int_gt(replayed, 0);
}
END_TEST

static Suite *badinput_suite(void)
{
	Suite *s = suite_create("badinput");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_wire_level_classes);
	tcase_add_test(tc, test_graph_level_classes);
	tcase_add_test(tc, test_empty_is_a_valid_empty_graph);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_truncation_at_every_offset);
	tcase_add_test(tc, test_random_bytes);
	tcase_add_test(tc, test_huge_repeated_field);
	tcase_add_test(tc, test_many_calls);
	tcase_add_test(tc, test_null_arguments);
	tcase_add_test(tc, test_children_mapping_is_read);
	tcase_add_test(tc, test_fuzz_regressions);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(badinput_suite()); }
