/* Graph I/O, index and editing. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#define FIXTURE HS_TEST_DATA "/ophint_lstm.pb"

START_TEST(test_fixture_roundtrip_identical)
{
	size_t len, out_len;
	uint8_t *in = tu_read_file(FIXTURE, &len);
	ck_assert_ptr_nonnull(in);
	uint8_t *out = tu_roundtrip(in, len, &out_len);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(out_len, len);
	ck_assert_int_eq(memcmp(in, out, len), 0);
	free(in);
	free(out);
}
END_TEST

START_TEST(test_fixture_index)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	ck_assert_uint_eq(hs_graph_node_count(g), 352);
	hs_node *unstack = hs_graph_find_node(g, "unstack", 7);
	ck_assert_ptr_nonnull(unstack);
	ck_assert(hs_str_eq(hs_node_op(unstack), "Unpack"));
	ck_assert_uint_eq(hs_node_input_count(unstack), 1);
	int port = 7;
	hs_node *src = hs_node_input_node(unstack, 0, &port);
	ck_assert(hs_str_eq(hs_node_name(src), "INPUT"));
	ck_assert_int_eq(port, 0);
	/* INPUT's consumers include unstack. */
	int found = 0;
	for (size_t i = 0; i < hs_node_consumer_count(src); i++)
		found |= hs_node_consumer(src, i) == unstack;
	ck_assert(found);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, unstack, "num"), HS_OK);
	ck_assert_int_eq(a.kind, HS_ATTR_I);
	ck_assert_int_eq(a.v.i, 3);
	ck_assert_int_eq(hs_node_attr(&a, unstack, "nope"), HS_ENOTFOUND);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_empty_graph)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, "", 0, "empty", NULL), HS_OK);
	ck_assert_uint_eq(hs_graph_node_count(g), 0);
	void *out;
	size_t n;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &n, g), HS_OK);
	ck_assert_uint_eq(n, 0);
	hs_free(out);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_unknown_fields_survive)
{
	/* node { name "a" op "X" 9: 150 (varint) 15: "zz" } 7: 1 */
	const uint8_t in[] = { 0x0a, 0x0d, 0x0a, 0x01, 'a', 0x12, 0x01, 'X',
			       0x48, 0x96, 0x01, 0x7a, 0x02, 'z', 'z',
			       0x38, 0x01 };
	size_t out_len;
	uint8_t *out = tu_roundtrip(in, sizeof in, &out_len);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(out_len, sizeof in);
	ck_assert_int_eq(memcmp(in, out, sizeof in), 0);
	free(out);
}
END_TEST

START_TEST(test_parse_input)
{
	hs_str name;
	int port;
	hs_str s = { "abc:12", 6 };
	ck_assert_int_eq(hs_parse_input(&name, &port, s), HS_OK);
	ck_assert_uint_eq(name.len, 3);
	ck_assert_int_eq(port, 12);
	s.ptr = "^ctl";
	s.len = 4;
	ck_assert_int_eq(hs_parse_input(&name, &port, s), HS_OK);
	ck_assert(name.len == 3 && memcmp(name.ptr, "ctl", 3) == 0);
	ck_assert_int_eq(port, -1);
	/* TensorFlow's reading: the port is the digits after the last ':'. */
	s.ptr = "f:out:0";
	s.len = 7;
	ck_assert_int_eq(hs_parse_input(&name, &port, s), HS_OK);
	ck_assert_uint_eq(name.len, 5);
	ck_assert_int_eq(port, 0);
	s.ptr = ":1";
	s.len = 2;
	ck_assert_int_eq(hs_parse_input(&name, &port, s), HS_OK);
	ck_assert(name.len == 2 && port == 0);
	s.ptr = "";
	s.len = 0;
	ck_assert_int_eq(hs_parse_input(&name, &port, s), HS_EINVAL);
	s.ptr = "^a:1";
	s.len = 4;
	ck_assert_int_eq(hs_parse_input(&name, &port, s), HS_EINVAL);
}
END_TEST

/* Inputs read as TensorFlow reads them (issue 13): they used to read
 * as "a" port 0, connecting edges TensorFlow does not have. */
/* Kept top-level fields are checked at load (issue 13): garbage in
 * versions, debug_info or the library used to be copied into an output
 * that nothing parses. */
START_TEST(test_kept_fields_checked)
{
	static const char node[] = "\012\020\012\001x\022\013Placeholder";
	static const struct { const char *tail; size_t len; const char *msg; } bad[] = {
		{ "\042\004\012\005ab", 6, "not a GraphDef: field 'versions': truncated field "
		  "(length or varint runs past the end) at byte 20" },
		{ "\052\001\007", 3, "not a GraphDef: field 'debug_info': invalid field number at byte 20" },
		{ "\022\004\012\002\032\377", 6, "not a GraphDef: field 'library': truncated field "
		  "(length or varint runs past the end) at byte 22" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char buf[64];
		memcpy(buf, node, sizeof node - 1);
		memcpy(buf + sizeof node - 1, bad[i].tail, bad[i].len);
		hs_graph *g = NULL;
		ck_assert_int_eq(hs_graph_load_buffer(&g, buf, sizeof node - 1 + bad[i].len, NULL, NULL),
				 HS_EPARSE);
		ck_assert_str_eq(hs_error_last() + strlen("<memory>: "), bad[i].msg);
	}
	/* Well-formed: kept byte for byte. */
	static const char ok[] = "\042\002\010\033\052\003\012\001f";
	char buf[64];
	memcpy(buf, node, sizeof node - 1);
	memcpy(buf + sizeof node - 1, ok, sizeof ok - 1);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, buf, sizeof node - 1 + sizeof ok - 1, NULL, NULL), HS_OK);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_parse_input_as_tensorflow)
{
	static const struct { const char *text, *name; int port; } ok[] = {
		{ "a:-1", "a:-1", 0 }, { "a:0x1", "a:0x1", 0 }, { "a:+1", "a:+1", 0 },
		{ "a: 1", "a: 1", 0 }, { "a:1:2", "a:1", 2 }, { "a:", "a:", 0 },
		{ "a:007", "a", 7 }, { "a:2147483647", "a", 2147483647 }, { "7", "7", 0 },
		{ "^a", "a", -1 }, { "^a:b", "a:b", -1 }, { "a^:1", "a^", 1 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		hs_str name;
		int port;
		hs_str s = { ok[i].text, strlen(ok[i].text) };
		ck_assert_msg(hs_parse_input(&name, &port, s) == HS_OK, "'%s' refused", ok[i].text);
		ck_assert_msg(hs_str_eq(name, ok[i].name) && port == ok[i].port,
			      "'%s' read as '%.*s' port %d", ok[i].text, (int)name.len, name.ptr, port);
	}
	static const char *const bad[] = { "a:2147483648", "a:99999999999999999999", "^a:1", "^:1", "", "^" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		hs_str s = { bad[i], strlen(bad[i]) };
		ck_assert_msg(hs_parse_input(NULL, NULL, s) == HS_EINVAL, "'%s' accepted", bad[i]);
		ck_assert_ptr_nonnull(strstr(hs_error_last(), "is not of the form"));
	}
	/* At load: the reading is in the error. */
	tu_graph *t = tu_graph_new();
	tu_node(t, "a", "Const", NULL);
	tu_node(t, "b", "Neg", "a:-1", NULL);
	hs_graph *g = tu_graph_load(t);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(hs_graph_verify(g), HS_EGRAPH);
	ck_assert_str_eq(hs_error_last(), "node 'b': input 0 'a:-1' names no node of the graph "
			 "(TensorFlow reads it as node 'a:-1', port 0)");
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_edit_keeps_index)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "a", "Const", NULL);
	tu_node(t, "b", "Neg", "a", NULL);
	tu_node(t, "c", "Add", "a", "b:0", "^b", NULL);
	hs_graph *g = tu_graph_load(t);
	ck_assert_ptr_nonnull(g);
	hs_node *a = hs_graph_find_node(g, "a", 1);
	hs_node *b = hs_graph_find_node(g, "b", 1);
	hs_node *c = hs_graph_find_node(g, "c", 1);
	ck_assert_uint_eq(hs_node_consumer_count(a), 2);
	ck_assert_uint_eq(hs_node_consumer_count(b), 2);
	hs_node *d;
	ck_assert_int_eq(hs_graph_add_node(&d, g, "d", "Identity", b), HS_OK);
	ck_assert_int_eq(hs_graph_add_node(NULL, g, "d", "Identity", NULL), HS_EEXISTS);
	/* an anchor from another graph would chain the node into that one */
	hs_graph *other = tu_graph_load(t);
	ck_assert_ptr_nonnull(other);
	ck_assert_int_eq(hs_graph_add_node(NULL, g, "e", "NoOp",
					   hs_graph_find_node(other, "a", 1)), HS_EINVAL);
	ck_assert_int_eq(hs_graph_rewire(NULL, g, hs_graph_find_node(other, "b", 1),
					 -1, "a"), HS_EINVAL);
	ck_assert(hs_str_eq(hs_node_input(hs_graph_find_node(other, "c", 1), 1), "b:0"));
	ck_assert_ptr_null(hs_graph_find_node(g, "e", 1));
	hs_graph_free(other);
	ck_assert_int_eq(hs_node_add_input(d, "a"), HS_OK);
	ck_assert_uint_eq(hs_node_consumer_count(a), 3);
	size_t changed = 0;
	ck_assert_int_eq(hs_graph_rewire(&changed, g, b, -1, "d"), HS_OK);
	ck_assert_uint_eq(changed, 2);
	ck_assert_uint_eq(hs_node_consumer_count(b), 0);
	ck_assert(hs_str_eq(hs_node_input(c, 1), "d"));
	ck_assert(hs_str_eq(hs_node_input(c, 2), "^d"));
	ck_assert_int_eq(hs_graph_remove_node(g, b), HS_OK);
	ck_assert_uint_eq(hs_node_consumer_count(a), 2);
	ck_assert_ptr_null(hs_graph_find_node(g, "b", 1));
	ck_assert_int_eq(hs_node_set_attr_i(c, "k", 5), HS_OK);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	/* Output order: a, d (after b's slot), c. */
	const char *order[] = { "a", "d", "c" };
	size_t i = 0;
	for (hs_node *n = hs_graph_next_node(g, NULL); n; n = hs_graph_next_node(g, n))
		ck_assert(hs_str_eq(hs_node_name(n), order[i++]));
	ck_assert_uint_eq(i, 3);
	void *buf;
	size_t len;
	ck_assert_int_eq(hs_graph_write_buffer(&buf, &len, g), HS_OK);
	Tensorflow__GraphDef *def = tensorflow__graph_def__unpack(NULL, len, buf);
	ck_assert_ptr_nonnull(def);
	ck_assert_uint_eq(def->n_node, 3);
	ck_assert_str_eq(def->node[1]->name, "d");
	ck_assert_str_eq(def->node[2]->input[1], "d");
	ck_assert_uint_eq(def->node[2]->n_attr, 1);
	ck_assert_str_eq(def->node[2]->attr[0]->key, "k");
	ck_assert_int_eq(def->node[2]->attr[0]->value->i, 5);
	tensorflow__graph_def__free_unpacked(def, NULL);
	hs_free(buf);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_attr_lookup_and_edits)
{
	char long_value[301];
	memset(long_value, 'z', 300);
	long_value[300] = '\0';
	tu_graph *t = tu_graph_new();
	Tensorflow__NodeDef *r = tu_node(t, "r", "Const", NULL);
	tu_attr_i(r, "k", 1);
	tu_attr_i(r, "other", 5);
	tu_attr_i(r, "k", 2);
	Tensorflow__NodeDef *n = tu_node(t, "n", "Const", NULL);
	tu_attr_i(n, "b", 1);
	tu_attr_s(n, "a", "x");
	tu_attr_s(n, "long", long_value);
	hs_graph *g = tu_graph_load(t);
	ck_assert_ptr_nonnull(g);
	hs_node *rn = hs_graph_find_node(g, "r", 1), *nn = hs_graph_find_node(g, "n", 1);
	hs_attr a;
	/* A repeated key: the last entry wins, as in protobuf maps. */
	ck_assert_int_eq(hs_node_attr(&a, rn, "k"), HS_OK);
	ck_assert_int_eq(a.v.i, 2);
	ck_assert_int_eq(hs_node_attr(&a, rn, "missing"), HS_ENOTFOUND);
	/* Entries and lengths past one byte take the general reader. */
	ck_assert_int_eq(hs_node_attr(&a, nn, "long"), HS_OK);
	ck_assert_uint_eq(a.v.s.len, 300);
	ck_assert_int_eq(hs_node_attr(&a, nn, "a"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "x"));

	ck_assert_int_eq(hs_node_set_attr_i(nn, "zz", 1), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_i(nn, "c", 3), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_i(nn, "b", 7), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_i(nn, "c", 4), HS_OK);
	ck_assert_int_eq(hs_node_remove_attr(nn, "a"), HS_OK);
	ck_assert_int_eq(hs_node_attr(&a, nn, "a"), HS_ENOTFOUND);
	ck_assert_int_eq(hs_node_attr(&a, nn, "b"), HS_OK);
	ck_assert_int_eq(a.v.i, 7);
	ck_assert_int_eq(hs_node_attr(&a, nn, "c"), HS_OK);
	ck_assert_int_eq(a.v.i, 4);
	ck_assert_int_eq(hs_node_attr(&a, nn, "zz"), HS_OK);
	ck_assert_int_eq(a.v.i, 1);
	ck_assert_uint_eq(hs_node_attr_count(nn), 4); /* b, long, c, zz */

	void *buf;
	size_t len;
	ck_assert_int_eq(hs_graph_write_buffer(&buf, &len, g), HS_OK);
	Tensorflow__GraphDef *def = tensorflow__graph_def__unpack(NULL, len, buf);
	ck_assert_ptr_nonnull(def);
	Tensorflow__NodeDef *out = def->node[1];
	/* Original entries in place, then new keys in key order. */
	const char *keys[] = { "b", "long", "c", "zz" };
	ck_assert_uint_eq(out->n_attr, 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_str_eq(out->attr[i]->key, keys[i]);
	ck_assert_int_eq(out->attr[0]->value->i, 7);
	ck_assert_int_eq(out->attr[2]->value->i, 4);
	tensorflow__graph_def__free_unpacked(def, NULL);
	hs_free(buf);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* The scalar setters encode by hand: byte for byte what protobuf-c packs. */
static void assert_packs_like_pbc(const hs_node *n, const char *key,
				  const Tensorflow__AttrValue *want)
{
	uint8_t buf[64];
	size_t len = tensorflow__attr_value__pack(want, buf);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, n, key), HS_OK);
	ck_assert_uint_eq(a.raw.len, len);
	ck_assert_mem_eq(a.raw.ptr, buf, len);
}

START_TEST(test_attr_setters_encode_like_protobuf_c)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "n", "NoOp", NULL);
	hs_graph *g = tu_graph_load(t);
	hs_node *n = hs_graph_find_node(g, "n", 1);
	Tensorflow__AttrValue v = TENSORFLOW__ATTR_VALUE__INIT;
	hs_str text = { "RELU6", 5 }, empty = { "", 0 };

	ck_assert_int_eq(hs_node_set_attr_s(n, "s", text), HS_OK);
	v.value_case = TENSORFLOW__ATTR_VALUE__VALUE_S;
	v.s.data = (uint8_t *)"RELU6";
	v.s.len = 5;
	assert_packs_like_pbc(n, "s", &v);
	ck_assert_int_eq(hs_node_set_attr_s(n, "s0", empty), HS_OK);
	v.s.len = 0;
	assert_packs_like_pbc(n, "s0", &v);

	const int64_t ints[] = { 0, 1, 300, -1, INT64_MIN };
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		ck_assert_int_eq(hs_node_set_attr_i(n, "i", ints[i]), HS_OK);
		v.value_case = TENSORFLOW__ATTR_VALUE__VALUE_I;
		v.i = ints[i];
		assert_packs_like_pbc(n, "i", &v);
	}
	const float floats[] = { 0.0f, -2.5f, 1e30f };
	for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++) {
		ck_assert_int_eq(hs_node_set_attr_f(n, "f", floats[i]), HS_OK);
		v.value_case = TENSORFLOW__ATTR_VALUE__VALUE_F;
		v.f = floats[i];
		assert_packs_like_pbc(n, "f", &v);
	}
	for (int b = 0; b < 2; b++) {
		ck_assert_int_eq(hs_node_set_attr_b(n, "b", b ? 7 : 0), HS_OK);
		v.value_case = TENSORFLOW__ATTR_VALUE__VALUE_B;
		v.b = b;
		assert_packs_like_pbc(n, "b", &v);
	}
	const int types[] = { 0, 1, 101, -1 };
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		ck_assert_int_eq(hs_node_set_attr_type(n, "t", types[i]), HS_OK);
		v.value_case = TENSORFLOW__ATTR_VALUE__VALUE_TYPE;
		v.type = (Tensorflow__DataType)types[i];
		assert_packs_like_pbc(n, "t", &v);
	}
	/* Lists, encoded by hand: empty, one, several, negative, large. */
	Tensorflow__AttrValue__ListValue l = TENSORFLOW__ATTR_VALUE__LIST_VALUE__INIT;
	const int64_t list_i[] = { 0, 1, 300, -1, INT64_MIN, INT64_MAX, 127, 128 };
	const int list_t[] = { 1, 0, 101, -1, 19, 127, 128, 300 };
	Tensorflow__DataType list_tt[8];
	for (size_t i = 0; i < 8; i++)
		list_tt[i] = (Tensorflow__DataType)list_t[i];
	v.value_case = TENSORFLOW__ATTR_VALUE__VALUE_LIST;
	v.list = &l;
	for (size_t count = 0; count <= 8; count++) {
		l.n_i = count;
		l.i = (int64_t *)list_i;
		l.n_type = 0;
		ck_assert_int_eq(hs_node_set_attr_list_i(n, "li", list_i, count), HS_OK);
		assert_packs_like_pbc(n, "li", &v);
		l.n_i = 0;
		l.n_type = count;
		l.type = list_tt;
		ck_assert_int_eq(hs_node_set_attr_list_type(n, "lt", list_t, count), HS_OK);
		assert_packs_like_pbc(n, "lt", &v);
	}
	ck_assert_int_eq(hs_node_set_attr_list_i(n, "", list_i, 1), HS_EINVAL);
	ck_assert_int_eq(hs_node_set_attr_i(n, "", 1), HS_EINVAL);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_verify_finds_problems)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "a", "Neg", "c", NULL);
	tu_node(t, "b", "Neg", "a", NULL);
	tu_node(t, "c", "Neg", "b", NULL);
	hs_graph *g = tu_graph_load(t);
	ck_assert_int_eq(hs_graph_verify(g), HS_EGRAPH);
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "cycle"));
	hs_graph_free(g);
	tu_graph_free(t);

	t = tu_graph_new();
	tu_node(t, "m", "Merge", "enter", "next", NULL);
	tu_node(t, "enter", "Enter", NULL);
	tu_node(t, "body", "Neg", "m", NULL);
	tu_node(t, "next", "NextIteration", "body", NULL);
	g = tu_graph_load(t);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_graph_free(g);
	tu_graph_free(t);

	t = tu_graph_new();
	tu_node(t, "a", "Neg", "missing:1", NULL);
	g = tu_graph_load(t);
	ck_assert_int_eq(hs_graph_verify(g), HS_EGRAPH);
	ck_assert_str_eq(hs_error_last(), "node 'a': input 0 'missing:1' names no node of the graph");
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_duplicate_names_rejected)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "a", "Const", NULL);
	tu_node(t, "a", "Const", NULL);
	size_t len;
	uint8_t *buf = tu_graph_pack(t, &len);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, buf, len, "dup.pb", NULL), HS_EGRAPH);
	ck_assert_ptr_null(g);
	ck_assert_str_eq(hs_error_last(), "dup.pb: duplicate node name 'a' (nodes #0 and #1)");
	free(buf);
	tu_graph_free(t);
}
END_TEST

START_TEST(test_malformed_inputs)
{
	hs_graph *g = NULL;
	size_t len;
	uint8_t *in = tu_read_file(FIXTURE, &len);
	/* Truncation anywhere inside the first node's field breaks framing. */
	for (size_t cut = 1; cut < 40; cut++) {
		ck_assert_int_eq(hs_graph_load_buffer(&g, in, cut, "cut.pb", NULL), HS_EPARSE);
		ck_assert_ptr_null(g);
		ck_assert_ptr_nonnull(strstr(hs_error_last(), "cut.pb: "));
	}
	free(in);
	const uint8_t wrong_type[] = { 0x08, 0x01 }; /* node as a varint */
	ck_assert_int_eq(hs_graph_load_buffer(&g, wrong_type, 2, "w.pb", NULL), HS_EPARSE);
	ck_assert_str_eq(hs_error_last(), "w.pb: not a GraphDef: field 'node' has a wrong wire type at byte 0");
	const uint8_t past_end[] = { 0x0a, 0x7f, 0x0a };
	ck_assert_int_eq(hs_graph_load_buffer(&g, past_end, 3, "p.pb", NULL), HS_EPARSE);
	ck_assert_str_eq(hs_error_last(), "p.pb: truncated GraphDef: the field at byte 0 runs past the end of the input (3 bytes)");
	const uint8_t bad_name[] = { 0x0a, 0x02, 0x08, 0x01 }; /* name as varint */
	ck_assert_int_eq(hs_graph_load_buffer(&g, bad_name, 4, "n.pb", NULL), HS_EPARSE);
	ck_assert_str_eq(hs_error_last(), "n.pb: node #0: field 'name' has a wrong wire type at byte 2");
	const uint8_t group[] = { 0x0b };
	ck_assert_int_eq(hs_graph_load_buffer(&g, group, 1, "g.pb", NULL), HS_EPARSE);
}
END_TEST

START_TEST(test_atomic_write_leaves_nothing_on_failure)
{
	char *dir = tu_tmpdir();
	char *out = tu_path(dir, "out.pb");
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	ck_assert_int_eq(tu_write_file(out, "old", 3), 0);
	/* A directory where the output should go: rename fails. */
	char *sub = tu_path(dir, "sub");
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(hs_graph_write_file(g, sub), HS_EIO);
	ck_assert_int_eq(hs_graph_write_file(g, out), HS_OK);
	ck_assert_int_eq(tu_dir_count(dir), 2); /* out.pb, sub: no temp left */
	size_t a, b;
	uint8_t *x = tu_read_file(out, &a), *y = tu_read_file(FIXTURE, &b);
	ck_assert_uint_eq(a, b);
	ck_assert_int_eq(memcmp(x, y, a), 0);
	free(x);
	free(y);
	/* Same path in and out: the input is read whole first. */
	hs_graph *g2 = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g2, out, NULL), HS_OK);
	ck_assert_int_eq(hs_graph_write_file(g2, out), HS_OK);
	hs_graph_free(g2);
	hs_graph_free(g);
	unlink(out);
	rmdir(sub);
	rmdir(dir);
	free(sub);
	free(out);
	free(dir);
}
END_TEST

/* One attribute of every AttrValue kind, a 16 MiB tensor_content, a
 * function library, versions and the deprecated version field: loaded and
 * written back byte for byte, and each attribute reads as its kind. */
START_TEST(test_every_attr_kind_roundtrip)
{
	tu_graph *t = tu_graph_new();
	Tensorflow__NodeDef *n = tu_node(t, "all", "Custom", NULL);
	tu_attr_s(n, "s", "text");
	tu_attr_i(n, "i", -7);
	tu_attr_f(n, "f", 0.5f);
	tu_attr_type(n, "type", 3);
	Tensorflow__NodeDef__AttrEntry *e[6];
	Tensorflow__AttrValue *v[6];
	for (int k = 0; k < 6; k++) {
		static const char *keys[] = { "b", "shape", "tensor", "list", "placeholder", "func" };
		e[k] = malloc(sizeof *e[k]);
		tensorflow__node_def__attr_entry__init(e[k]);
		e[k]->key = strdup(keys[k]);
		v[k] = e[k]->value = malloc(sizeof *v[k]);
		tensorflow__attr_value__init(v[k]);
		n->attr = realloc(n->attr, (n->n_attr + 1) * sizeof *n->attr);
		n->attr[n->n_attr++] = e[k];
	}
	v[0]->value_case = TENSORFLOW__ATTR_VALUE__VALUE_B;
	v[0]->b = 1;
	Tensorflow__TensorShapeProto *shape = malloc(sizeof *shape);
	tensorflow__tensor_shape_proto__init(shape);
	shape->unknown_rank = 1;
	v[1]->value_case = TENSORFLOW__ATTR_VALUE__VALUE_SHAPE;
	v[1]->shape = shape;
	Tensorflow__TensorProto *tensor = malloc(sizeof *tensor);
	tensorflow__tensor_proto__init(tensor);
	tensor->dtype = TENSORFLOW__DATA_TYPE__DT_UINT8;
	tensor->tensor_content.len = 16u << 20;
	tensor->tensor_content.data = malloc(tensor->tensor_content.len);
	for (size_t k = 0; k < tensor->tensor_content.len; k++)
		tensor->tensor_content.data[k] = (uint8_t)(k * 131);
	v[2]->value_case = TENSORFLOW__ATTR_VALUE__VALUE_TENSOR;
	v[2]->tensor = tensor;
	Tensorflow__AttrValue__ListValue *list = malloc(sizeof *list);
	tensorflow__attr_value__list_value__init(list);
	list->n_i = 3;
	list->i = malloc(3 * sizeof *list->i);
	list->i[0] = 1, list->i[1] = -2, list->i[2] = 3;
	v[3]->value_case = TENSORFLOW__ATTR_VALUE__VALUE_LIST;
	v[3]->list = list;
	v[4]->value_case = TENSORFLOW__ATTR_VALUE__VALUE_PLACEHOLDER;
	v[4]->placeholder = strdup("T");
	Tensorflow__NameAttrList *func = malloc(sizeof *func);
	tensorflow__name_attr_list__init(func);
	func->name = strdup("body_fn");
	v[5]->value_case = TENSORFLOW__ATTR_VALUE__VALUE_FUNC;
	v[5]->func = func;

	Tensorflow__FunctionDefLibrary lib = TENSORFLOW__FUNCTION_DEF_LIBRARY__INIT;
	Tensorflow__FunctionDef fn = TENSORFLOW__FUNCTION_DEF__INIT;
	Tensorflow__OpDef sig = TENSORFLOW__OP_DEF__INIT;
	Tensorflow__FunctionDef *fns[1] = { &fn };
	sig.name = "body_fn";
	fn.signature = &sig;
	lib.n_function = 1;
	lib.function = fns;
	Tensorflow__VersionDef versions = TENSORFLOW__VERSION_DEF__INIT;
	versions.producer = 27;
	t->def.library = &lib;
	t->def.versions = &versions;
	t->def.version = 12;

	size_t len, out_len;
	uint8_t *in = tu_graph_pack(t, &len);
	t->def.library = NULL;
	t->def.versions = NULL;
	ck_assert_uint_gt(len, 16u << 20);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, in, len, "kinds", NULL), HS_OK);
	ck_assert(hs_graph_has_library(g));
	hs_node *node = hs_graph_find_node(g, "all", 3);
	static const struct { const char *key; hs_attr_kind kind; } want[] = {
		{ "s", HS_ATTR_S }, { "i", HS_ATTR_I }, { "f", HS_ATTR_F },
		{ "type", HS_ATTR_TYPE }, { "b", HS_ATTR_B }, { "shape", HS_ATTR_SHAPE },
		{ "tensor", HS_ATTR_TENSOR }, { "list", HS_ATTR_LIST },
		{ "placeholder", HS_ATTR_PLACEHOLDER }, { "func", HS_ATTR_FUNC }
	};
	ck_assert_uint_eq(hs_node_attr_count(node), 10);
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		hs_attr a;
		ck_assert_int_eq(hs_node_attr(&a, node, want[k].key), HS_OK);
		ck_assert_int_eq(a.kind, want[k].kind);
	}
	hs_attr a;
	int64_t ints[3];
	size_t count = 0;
	ck_assert_int_eq(hs_node_attr(&a, node, "list"), HS_OK);
	ck_assert_int_eq(hs_attr_list_ints(ints, 3, &count, &a), HS_OK);
	ck_assert(count == 3 && ints[1] == -2);
	ck_assert_int_eq(hs_node_attr(&a, node, "func"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "body_fn"));
	void *out = NULL;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, g), HS_OK);
	ck_assert_uint_eq(out_len, len);
	ck_assert_int_eq(memcmp(out, in, len), 0);
	hs_free(out);
	hs_graph_free(g);
	free(in);
	tu_graph_free(t);
}
END_TEST

/* A list with one bad entry is refused whole: the node keeps its inputs
 * and its producers keep it as a consumer. */
START_TEST(test_set_inputs_bad_entry_changes_nothing)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "a", "Const", NULL);
	tu_node(t, "b", "Const", NULL);
	tu_node(t, "c", "Add", "a", "b", NULL);
	hs_graph *g = tu_graph_load(t);
	ck_assert_ptr_nonnull(g);
	hs_node *a = hs_graph_find_node(g, "a", 1);
	hs_node *c = hs_graph_find_node(g, "c", 1);
	const char *bad[] = { "b", "^b:0" };
	ck_assert_int_eq(hs_node_set_inputs(c, bad, 2), HS_EINVAL);
	const char *null_entry[] = { "b", NULL };
	ck_assert_int_eq(hs_node_set_inputs(c, null_entry, 2), HS_EINVAL);
	ck_assert_uint_eq(hs_node_input_count(c), 2);
	ck_assert(hs_str_eq(hs_node_input(c, 0), "a"));
	ck_assert(hs_str_eq(hs_node_input(c, 1), "b"));
	ck_assert_uint_eq(hs_node_consumer_count(a), 1);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	size_t in_len, out_len;
	uint8_t *in = tu_graph_pack(t, &in_len);
	void *out;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, g), HS_OK);
	ck_assert_uint_eq(out_len, in_len);
	ck_assert_int_eq(memcmp(in, out, in_len), 0);
	free(in);
	hs_free(out);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* A removed node reads nothing again: as a consumer of a live node it is
 * met by passes over live nodes (verify's cycle check would count down
 * its stale counter and could queue it beyond the live nodes). */
START_TEST(test_removed_node_takes_no_inputs)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "a", "Const", NULL);
	tu_node(t, "b", "Neg", "a", NULL);
	tu_node(t, "c", "Neg", "b", NULL);
	hs_graph *g = tu_graph_load(t);
	ck_assert_ptr_nonnull(g);
	hs_node *a = hs_graph_find_node(g, "a", 1);
	hs_node *b = hs_graph_find_node(g, "b", 1);
	hs_node *c = hs_graph_find_node(g, "c", 1);
	ck_assert_int_eq(hs_node_set_input(c, 0, "a"), HS_OK);
	ck_assert_int_eq(hs_graph_remove_node(g, b), HS_OK);
	ck_assert_int_eq(hs_node_add_input(b, "a"), HS_EINVAL);
	ck_assert_int_eq(hs_node_set_input(b, 0, "c"), HS_EINVAL);
	const char *one[] = { "a" };
	ck_assert_int_eq(hs_node_set_inputs(b, one, 1), HS_EINVAL);
	ck_assert_uint_eq(hs_node_consumer_count(a), 1);
	ck_assert_uint_eq(hs_node_consumer_count(c), 0);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_graph_free(g);
	tu_graph_free(t);
}
END_TEST

/* An input's text is found from the varint of its length before it
 * (doc/design.md, "Memory layout"): one written longer than needed, one
 * of two bytes, and copies made by edits read back as given, and the
 * graph is written back byte for byte. */
START_TEST(test_input_text_lengths)
{
	char long_name[151];
	memset(long_name, 'n', 150);
	long_name[150] = '\0';
	uint8_t in[400];
	size_t k = 0;
	/* node { name "a" op "C" } */
	const uint8_t a[] = { 0x0a, 0x06, 0x0a, 0x01, 'a', 0x12, 0x01, 'C' };
	memcpy(in + k, a, sizeof a);
	k += sizeof a;
	/* node { name "b" op "C" input "a" (length as 0x81 0x00) } */
	const uint8_t b[] = { 0x0a, 0x0a, 0x0a, 0x01, 'b', 0x12, 0x01, 'C',
			      0x1a, 0x81, 0x00, 'a' };
	memcpy(in + k, b, sizeof b);
	k += sizeof b;
	/* node { name <150 n> op "C" } */
	const uint8_t l_head[] = { 0x0a, 0x9c, 0x01, 0x0a, 0x96, 0x01 };
	memcpy(in + k, l_head, sizeof l_head);
	k += sizeof l_head;
	memcpy(in + k, long_name, 150);
	k += 150;
	in[k++] = 0x12, in[k++] = 0x01, in[k++] = 'C';
	/* node { name "c" op "C" input <150 n> } */
	const uint8_t c_head[] = { 0x0a, 0x9f, 0x01, 0x0a, 0x01, 'c', 0x12, 0x01, 'C',
				   0x1a, 0x96, 0x01 };
	memcpy(in + k, c_head, sizeof c_head);
	k += sizeof c_head;
	memcpy(in + k, long_name, 150);
	k += 150;
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, in, k, "lengths", NULL), HS_OK);
	hs_node *na = hs_graph_find_node(g, "a", 1), *nb = hs_graph_find_node(g, "b", 1);
	hs_node *nl = hs_graph_find_node(g, long_name, 150), *nc = hs_graph_find_node(g, "c", 1);
	ck_assert(hs_str_eq(hs_node_input(nb, 0), "a"));
	ck_assert_ptr_eq(hs_node_input_node(nb, 0, NULL), na);
	ck_assert(hs_str_eq(hs_node_input(nc, 0), long_name));
	ck_assert_ptr_eq(hs_node_input_node(nc, 0, NULL), nl);
	ck_assert_uint_eq(hs_node_consumer_count(nl), 1);
	ck_assert_ptr_eq(hs_node_consumer(nl, 0), nc);
	void *out = NULL;
	size_t out_len;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, g), HS_OK);
	ck_assert_uint_eq(out_len, k);
	ck_assert_int_eq(memcmp(out, in, k), 0);
	hs_free(out);
	char control[153] = "^";
	strcat(control, long_name);
	ck_assert_int_eq(hs_node_add_input(nb, control), HS_OK);
	ck_assert_int_eq(hs_node_set_input(nc, 0, "b"), HS_OK);
	ck_assert(hs_str_eq(hs_node_input(nb, 0), "a"));
	ck_assert(hs_str_eq(hs_node_input(nb, 1), control));
	ck_assert(hs_str_eq(hs_node_input(nc, 0), "b"));
	int port = 0;
	ck_assert_ptr_eq(hs_node_input_node(nb, 1, &port), nl);
	ck_assert_int_eq(port, -1);
	ck_assert_ptr_eq(hs_node_input_node(nc, 0, NULL), nb);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_graph_free(g);
}
END_TEST

/* Names of any length in messages: each error quotes the first 200 bytes
 * of a name, so a 100 KB name still gives a short one-line message. */
enum { HUGE_NAME = 100000, SHORT_MESSAGE = 1000 };

static char *huge_name(char fill)
{
	char *s = malloc(HUGE_NAME + 1);
	ck_assert_ptr_nonnull(s);
	memset(s, fill, HUGE_NAME);
	s[HUGE_NAME] = '\0';
	return s;
}

static void assert_short_message(const char *what)
{
	const char *m = hs_error_last();
	ck_assert_msg(strstr(m, what), "%.300s", m);
	ck_assert_msg(strlen(m) < SHORT_MESSAGE, "%zu bytes: %.300s", strlen(m), m);
}

START_TEST(test_huge_names_give_short_messages)
{
	char *a = huge_name('a'), *b = huge_name('b');
	tu_graph *t = tu_graph_new();
	tu_node(t, a, "Const", NULL);
	tu_node(t, a, "Const", NULL);
	size_t len;
	uint8_t *bytes = tu_graph_pack(t, &len);
	hs_graph *g = NULL;
	ck_assert_int_ne(hs_graph_load_buffer(&g, bytes, len, "dup", NULL), HS_OK);
	assert_short_message("duplicate node name");
	free(bytes);
	tu_graph_free(t);

	t = tu_graph_new();
	tu_node(t, a, "Neg", b, NULL);
	g = tu_graph_load(t);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_ne(hs_graph_verify(g), HS_OK);
	assert_short_message("names no node of the graph");
	hs_node *n = hs_graph_find_node(g, a, HUGE_NAME);
	hs_attr v;
	ck_assert_int_ne(hs_node_attr(&v, n, "T"), HS_OK);
	assert_short_message("has no attribute 'T'");
	ck_assert_uint_eq(hs_node_input_count(n), 1);
	ck_assert_int_ne(hs_node_set_input(n, 0, "^x:1"), HS_OK);
	assert_short_message("invalid input");
	hs_graph_free(g);
	tu_graph_free(t);
	free(a);
	free(b);
}
END_TEST

static Suite *graph_suite(void)
{
	Suite *s = suite_create("graph");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_fixture_roundtrip_identical);
	tcase_add_test(tc, test_fixture_index);
	tcase_add_test(tc, test_empty_graph);
	tcase_add_test(tc, test_unknown_fields_survive);
	tcase_add_test(tc, test_every_attr_kind_roundtrip);
	tcase_add_test(tc, test_parse_input);
	tcase_add_test(tc, test_parse_input_as_tensorflow);
	tcase_add_test(tc, test_kept_fields_checked);
	tcase_add_test(tc, test_edit_keeps_index);
	tcase_add_test(tc, test_attr_lookup_and_edits);
	tcase_add_test(tc, test_attr_setters_encode_like_protobuf_c);
	tcase_add_test(tc, test_verify_finds_problems);
	tcase_add_test(tc, test_duplicate_names_rejected);
	tcase_add_test(tc, test_malformed_inputs);
	tcase_add_test(tc, test_atomic_write_leaves_nothing_on_failure);
	tcase_add_test(tc, test_set_inputs_bad_entry_changes_nothing);
	tcase_add_test(tc, test_removed_node_takes_no_inputs);
	tcase_add_test(tc, test_input_text_lengths);
	tcase_add_test(tc, test_huge_names_give_short_messages);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(graph_suite()); }
