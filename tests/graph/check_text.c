/* Text-format GraphDef (core/graph/text.c, text_print.c): TensorFlow's own
 * .pbtxt loads as the same bytes as its binary form, every spelling the
 * text format allows means the same message, bad text is refused with
 * FILE:LINE:COL, and written text loads back to the same graph. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "run.h"

#define FIXTURE HS_TEST_DATA "/ophint_lstm"

static hs_graph *load_text(const char *text)
{
	hs_graph *g = NULL;
	int rc = hs_graph_load_buffer(&g, text, strlen(text), "t.pbtxt", NULL);
	ck_assert_msg(rc == HS_OK, "%s", hs_error_last());
	return g;
}

static uint8_t *wire_of(const hs_graph *g, size_t *len)
{
	void *out = NULL;
	ck_assert_int_eq(hs_graph_write_buffer(&out, len, g), HS_OK);
	return out;
}

static void expect_error(const char *text, int code, const char *message)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, text, strlen(text), "t.pbtxt", NULL), code);
	ck_assert_ptr_null(g);
	ck_assert_str_eq(hs_error_last(), message);
}

START_TEST(fixture_text_is_fixture_binary)
{
	size_t blen, tlen;
	uint8_t *bin = tu_read_file(FIXTURE ".pb", &blen);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE ".pbtxt", NULL), HS_OK);
	ck_assert_uint_eq(hs_graph_node_count(g), 352);
	uint8_t *wire = wire_of(g, &tlen);
	ck_assert_uint_eq(tlen, blen);
	ck_assert(memcmp(wire, bin, blen) == 0);
	hs_free(wire);
	hs_graph_free(g);
	free(bin);
}
END_TEST

START_TEST(binary_to_text_and_back)
{
	size_t blen, tlen, len2;
	uint8_t *bin = tu_read_file(FIXTURE ".pb", &blen);
	hs_graph *g = NULL, *g2 = NULL;
	char *text = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, bin, blen, "b.pb", NULL), HS_OK);
	ck_assert_int_eq(hs_graph_write_text_buffer(&text, &tlen, g), HS_OK);
	ck_assert_uint_eq(strlen(text), tlen);
	ck_assert(strncmp(text, "node {\n  name: \"INPUT\"\n  op: \"Placeholder\"\n", 42) == 0);
	g2 = load_text(text);
	uint8_t *wire = wire_of(g2, &len2);
	ck_assert_uint_eq(len2, blen);
	ck_assert(memcmp(wire, bin, blen) == 0);
	hs_free(wire);
	hs_free(text);
	hs_graph_free(g2);
	hs_graph_free(g);
	free(bin);
}
END_TEST

/* The same message in TensorFlow's spelling and in every other spelling
 * the format allows. */
static const char PLAIN[] =
	"node {\n  name: \"c\"\n  op: \"Const\"\n"
	"  attr {\n    key: \"l\"\n    value {\n      list {\n"
	"        i: 1\n        i: -2\n        i: 3\n"
	"        type: DT_FLOAT\n        type: DT_INT32\n      }\n    }\n  }\n"
	"  attr {\n    key: \"v\"\n    value {\n      tensor {\n"
	"        dtype: DT_FLOAT\n        tensor_shape {\n          dim {\n            size: 2\n          }\n        }\n"
	"        tensor_content: \"\\000\\000\\200?\\377\\n\\'\\\"\"\n"
	"        float_val: 1.5e-07\n        float_val: inf\n        float_val: -inf\n"
	"        float_val: 0.25\n      }\n    }\n  }\n}\n"
	"versions {\n  producer: 27\n}\n";

static const char FANCY[] =
	"# a comment\n"
	"node < name: 'c' op: \"Con\" \"st\" ;  # comments anywhere\n"
	"  attr { key: \"l\" value: { list { i: [1, -0x2, 03] type: [DT_FLOAT, 3] } } }\n"
	"  attr { key: \"v\", value { tensor { dtype: 1 tensor_shape: { dim { size: 2 } }\n"
	"    tensor_content: \"\\0\\x00\\x80\\77\\xff\\n\\'\\\"\"\n"
	"    float_val: [1.5E-7, Infinity, -inff]\n    float_val: .25f } } }\n"
	">\nversions{producer:27}";

START_TEST(spellings_agree)
{
	hs_graph *a = load_text(PLAIN), *b = load_text(FANCY);
	size_t la, lb;
	uint8_t *wa = wire_of(a, &la), *wb = wire_of(b, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(wa, wb, la) == 0);
	hs_node *n = hs_graph_find_node(a, "c", 1);
	ck_assert_ptr_nonnull(n);
	hs_attr at;
	int64_t ints[4];
	int types[4];
	size_t count;
	ck_assert_int_eq(hs_node_attr(&at, n, "l"), HS_OK);
	ck_assert_int_eq(hs_attr_list_ints(ints, 4, &count, &at), HS_OK);
	ck_assert_uint_eq(count, 3);
	ck_assert(ints[0] == 1 && ints[1] == -2 && ints[2] == 3);
	ck_assert_int_eq(hs_attr_list_types(types, 4, &count, &at), HS_OK);
	ck_assert(count == 2 && types[0] == 1 && types[1] == 3);
	/* Packed repeated fields, as TensorFlow writes them: list.i is
	 * field 3, one length-delimited run. */
	ck_assert_int_eq(at.kind, HS_ATTR_LIST);
	ck_assert(at.v.message.len > 2 && (uint8_t)at.v.message.ptr[0] == 0x1a);
	/* The escapes: 00 00 80 3f ff 0a 27 22. */
	static const uint8_t content[] = { 0, 0, 0x80, 0x3f, 0xff, 0x0a, 0x27, 0x22 };
	ck_assert_int_eq(hs_node_attr(&at, n, "v"), HS_OK);
	ck_assert_ptr_nonnull(memmem(at.v.message.ptr, at.v.message.len, content, sizeof content));
	hs_free(wa);
	hs_free(wb);
	hs_graph_free(a);
	hs_graph_free(b);
}
END_TEST

START_TEST(written_text_is_plain)
{
	/* The printer writes TensorFlow's spelling: FANCY comes out as PLAIN. */
	hs_graph *g = load_text(FANCY);
	char *text = NULL;
	size_t len;
	ck_assert_int_eq(hs_graph_write_text_buffer(&text, &len, g), HS_OK);
	ck_assert_str_eq(text, PLAIN);
	hs_free(text);
	hs_graph_free(g);
}
END_TEST

START_TEST(node_without_attributes)
{
	hs_graph *g = load_text("node { name: \"a\" } library { }");
	char *text = NULL;
	size_t len;
	ck_assert_int_eq(hs_graph_write_text_buffer(&text, &len, g), HS_OK);
	ck_assert_str_eq(text, "node {\n  name: \"a\"\n}\nlibrary {\n}\n");
	hs_free(text);
	hs_graph_free(g);
}
END_TEST

START_TEST(every_byte_round_trips)
{
	char *text = NULL;
	size_t len, la, lb;
	uint8_t all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	hs_graph *g = load_text("node { name: \"a\" op: \"Const\" }");
	hs_node *n = hs_graph_find_node(g, "a", 1);
	hs_str s = { (const char *)all, sizeof all };
	ck_assert_int_eq(hs_node_set_attr_s(n, "bytes", s), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_f(n, "nan", NAN), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_f(n, "tiny", 1.17549435e-38f), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_i(n, "min", INT64_MIN), HS_OK);
	ck_assert_int_eq(hs_graph_write_text_buffer(&text, &len, g), HS_OK);
	ck_assert_ptr_nonnull(strstr(text, "s: \"\\000\\001"));
	ck_assert_ptr_nonnull(strstr(text, "f: nan\n"));
	ck_assert_ptr_nonnull(strstr(text, "i: -9223372036854775808\n"));
	hs_graph *g2 = load_text(text);
	uint8_t *wa = wire_of(g, &la), *wb = wire_of(g2, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(wa, wb, la) == 0);
	hs_free(wa);
	hs_free(wb);
	hs_free(text);
	hs_graph_free(g2);
	hs_graph_free(g);
}
END_TEST

START_TEST(bad_text_names_line_and_column)
{
	expect_error("node {\n  name: \"a\"\n  nmae: \"b\"\n}\n", HS_EPARSE,
		     "t.pbtxt:3:3: message tensorflow.NodeDef has no field named 'nmae'");
	expect_error("node {\n  name: \"a\"\n", HS_EPARSE,
		     "t.pbtxt:3:1: expected '}' to close tensorflow.NodeDef, found the end of the file");
	expect_error("node { name: \"a\" name: \"b\" }", HS_EPARSE,
		     "t.pbtxt:1:18: field 'name' of tensorflow.NodeDef is given more than once");
	expect_error("versions { producer: 2147483648 }", HS_EPARSE,
		     "t.pbtxt:1:22: integer '2147483648' is out of range");
	expect_error("node { name: \"a\\q\" }", HS_EPARSE,
		     "t.pbtxt:1:16: unknown escape '\\q'");
	expect_error("node { name: \"a }", HS_EPARSE,
		     "t.pbtxt:1:14: string is not closed on its line");
	expect_error("node { attr { key: \"k\" value { type: DT_FLOATY } } }", HS_EPARSE,
		     "t.pbtxt:1:38: enum tensorflow.DataType has no value named 'DT_FLOATY'");
	expect_error("node { attr { key: \"k\" value { i: 1 f: 2 } } }", HS_EPARSE,
		     "t.pbtxt:1:37: field 'f' of tensorflow.AttrValue is set after 'i' of the same oneof");
	expect_error("node { name \"a\" }", HS_EPARSE,
		     "t.pbtxt:1:13: expected ':' after field 'name'");
	expect_error("node { name: [\"a\"] }", HS_EPARSE,
		     "t.pbtxt:1:14: field 'name' is not repeated: no list");
	expect_error("node { [ext] }", HS_EPARSE,
		     "t.pbtxt:1:8: extensions and Any expansions ('[...]') are not supported");
	expect_error("node { attr { key: \"k\" value { f: 1.5.2 } } }", HS_EPARSE,
		     "t.pbtxt:1:35: expected a number, found '1.5.2'");
	expect_error("node { name: \"a\" } @", HS_EPARSE,
		     "t.pbtxt:1:20: unexpected character '@'");
}
END_TEST

START_TEST(nesting_is_bounded)
{
	/* 200 levels of TensorShapeProto in tensors in lists... use
	 * NameAttrList -> attr -> AttrValue -> func, three levels a round. */
	size_t rounds = 200, cap = rounds * 64 + 64, len = 0;
	char *text = malloc(cap);
	len += (size_t)sprintf(text + len, "node { attr { key: \"k\" value {");
	for (size_t i = 0; i < rounds; i++)
		len += (size_t)sprintf(text + len, " func { attr { key: \"k\" value {");
	for (size_t i = 0; i < rounds; i++)
		len += (size_t)sprintf(text + len, " } } }");
	len += (size_t)sprintf(text + len, " } } }");
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, text, len, "deep", NULL), HS_ELIMIT);
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "nested deeper than the limit of 64"));
	ck_assert(strncmp(hs_error_last(), "deep:1:", 7) == 0);
	free(text);
}
END_TEST

START_TEST(format_is_told_from_content)
{
	size_t blen;
	uint8_t *bin = tu_read_file(FIXTURE ".pb", &blen);
	hs_load_options o = HS_LOAD_OPTIONS_INIT;
	hs_graph *g = NULL;
	/* Forced formats: binary read as text and text read as binary fail. */
	o.format = HS_FORMAT_TEXT;
	ck_assert_int_eq(hs_graph_load_buffer(&g, bin, blen, "b", &o), HS_EPARSE);
	o.format = HS_FORMAT_BINARY;
	ck_assert_int_eq(hs_graph_load_buffer(&g, "node {}", 7, "t", &o), HS_EPARSE);
	o.format = 7;
	ck_assert_int_eq(hs_graph_load_buffer(&g, "node {}", 7, "t", &o), HS_EINVAL);
	/* The size limit holds for text before it is parsed. */
	o.format = HS_FORMAT_AUTO;
	o.max_file_size = 6;
	ck_assert_int_eq(hs_graph_load_buffer(&g, "node {}", 7, "t", &o), HS_ELIMIT);
	o.max_file_size = 0;
	/* Automatic: both load; blanks and comments alone are an empty graph,
	 * and an empty file stays a binary one. */
	ck_assert_int_eq(hs_graph_load_buffer(&g, bin, blen, "b", NULL), HS_OK);
	hs_graph_free(g);
	ck_assert_int_eq(hs_graph_load_buffer(&g, "\n# nothing\n  ", 13, "t", NULL), HS_OK);
	ck_assert_uint_eq(hs_graph_node_count(g), 0);
	hs_graph_free(g);
	ck_assert_int_eq(hs_graph_load_buffer(&g, "", 0, "t", NULL), HS_OK);
	hs_graph_free(g);
	free(bin);
}
END_TEST

START_TEST(unknown_fields_are_not_written_as_text)
{
	/* NodeDef field 6 (experimental_debug_info) is not in graph.proto. */
	static const uint8_t bin[] = { 0x0a, 0x08, 0x0a, 0x01, 'a', 0x32, 0x03, 0x0a, 0x01, 'x' };
	hs_graph *g = NULL;
	char *text = (char *)"unchanged";
	size_t len = 0;
	ck_assert_int_eq(hs_graph_load_buffer(&g, bin, sizeof bin, "b", NULL), HS_OK);
	ck_assert_int_eq(hs_graph_write_text_buffer(&text, &len, g), HS_EPARSE);
	ck_assert_ptr_null(text);
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "field 6 of tensorflow.NodeDef is not in hintstub's schema"));
	char *dir = tu_tmpdir(), *path = tu_path(dir, "out.pbtxt");
	ck_assert_int_eq(hs_graph_write_text_file(g, path), HS_EPARSE);
	ck_assert_int_eq(tu_dir_count(dir), 0);
	rmdir(dir);
	free(path);
	free(dir);
	hs_graph_free(g);
}
END_TEST

START_TEST(text_file_written_atomically)
{
	char *dir = tu_tmpdir(), *path = tu_path(dir, "out.pbtxt");
	hs_graph *g = load_text(PLAIN), *g2 = NULL;
	ck_assert_int_eq(hs_graph_write_text_file(g, path), HS_OK);
	size_t len;
	uint8_t *got = tu_read_file(path, &len);
	ck_assert_uint_eq(len, strlen(PLAIN));
	ck_assert(memcmp(got, PLAIN, len) == 0);
	ck_assert_int_eq(hs_graph_load_file(&g2, path, NULL), HS_OK);
	ck_assert_uint_eq(hs_graph_node_count(g2), 1);
	unlink(path);
	rmdir(dir);
	free(got);
	free(path);
	free(dir);
	hs_graph_free(g2);
	hs_graph_free(g);
}
END_TEST

static Suite *text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");
	tcase_add_test(tc, fixture_text_is_fixture_binary);
	tcase_add_test(tc, binary_to_text_and_back);
	tcase_add_test(tc, spellings_agree);
	tcase_add_test(tc, written_text_is_plain);
	tcase_add_test(tc, node_without_attributes);
	tcase_add_test(tc, every_byte_round_trips);
	tcase_add_test(tc, bad_text_names_line_and_column);
	tcase_add_test(tc, nesting_is_bounded);
	tcase_add_test(tc, format_is_told_from_content);
	tcase_add_test(tc, unknown_fields_are_not_written_as_text);
	tcase_add_test(tc, text_file_written_atomically);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(text_suite()); }
