/* Node lists in containers (core/graph.c, graph_edit.c, graph_write.c): a
 * FunctionDef's node_def list (field 3) loads as a node scope of its own,
 * binds FunctionDef-syntax inputs, writes back byte for byte when
 * unchanged and re-encodes edited nodes under field 3.
 *
 * Links the graph layer's convenience library, not libhintstub:
 * hs_scope_load is internal (the shared library hides it). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"
#include "testutil.h"

static hs_str S(const char *text)
{
	hs_str s = { text, strlen(text) };
	return s;
}

static int str_is(hs_str s, const char *text) { return hs_str_eq(s, text); }

/* ------------------------------------------------------ input syntax */

START_TEST(test_function_input_forms)
{
	hs_str node, arg;
	int index = 99;
	ck_assert_int_eq(hs_parse_function_input(&node, &arg, &index, S("n:out:1")), HS_OK);
	ck_assert(str_is(node, "n") && str_is(arg, "out") && index == 1);
	ck_assert_int_eq(hs_parse_function_input(&node, &arg, &index, S("n:out:17")), HS_OK);
	ck_assert(str_is(node, "n") && str_is(arg, "out") && index == 17);
	ck_assert_int_eq(hs_parse_function_input(&node, &arg, &index, S("n:out")), HS_OK);
	ck_assert(str_is(node, "n") && str_is(arg, "out") && index == 0);
	ck_assert_int_eq(hs_parse_function_input(&node, &arg, &index, S("x")), HS_OK);
	ck_assert(str_is(node, "x") && arg.len == 0 && index == 0);
	ck_assert_int_eq(hs_parse_function_input(&node, &arg, &index, S("^ctl")), HS_OK);
	ck_assert(str_is(node, "ctl") && arg.len == 0 && index == -1);
	ck_assert_int_eq(hs_parse_function_input(NULL, NULL, NULL, S("a/b:y:0")), HS_OK);
}
END_TEST

START_TEST(test_function_input_refused)
{
	static const char *const bad[] = {
		"", "^", ":", ":out:0", "n:", "n::1", "n:out:", "n:out:x",
		"n:out:1:2", "n:out:-1", "^n:out", "^n:out:0", "n:out:1234567890",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		hs_error_clear();
		ck_assert_msg(hs_parse_function_input(NULL, NULL, NULL, S(bad[i])) == HS_EINVAL,
			      "'%s' was accepted", bad[i]);
		char want[128];
		snprintf(want, sizeof want, "input '%s' is not of the form", bad[i]);
		ck_assert_msg(strstr(hs_error_last(), want), "'%s': message '%s'",
			      bad[i], hs_error_last());
	}
}
END_TEST

/* GraphDef syntax is TensorFlow's (ParseTensorName): FunctionDef syntax
 * in a GraphDef is port 1 of a node "x:out", as TensorFlow reads it. */
START_TEST(test_graphdef_syntax_unchanged)
{
	hs_str name;
	int port;
	ck_assert_int_eq(hs_parse_input(&name, &port, S("x:out:1")), HS_OK);
	ck_assert(str_is(name, "x:out") && port == 1);
	ck_assert_int_eq(hs_parse_input(&name, &port, S("x:2")), HS_OK);
	ck_assert(str_is(name, "x") && port == 2);
}
END_TEST

/* ---------------------------------------------------- a FunctionDef */

typedef struct fdef {
	Tensorflow__FunctionDef def;
	Tensorflow__OpDef sig;
	Tensorflow__OpDef__ArgDef arg, out;
	Tensorflow__OpDef__ArgDef *args[1], *outs[1];
	Tensorflow__NodeDef nodes[3];
	Tensorflow__NodeDef *node_ptrs[3];
	char *in_a[1], *in_b[2], *in_c[2];
	Tensorflow__FunctionDef__RetEntry ret;
	Tensorflow__FunctionDef__RetEntry *rets[1];
	Tensorflow__NodeDef__AttrEntry attr;
	Tensorflow__NodeDef__AttrEntry *attrs[1];
	Tensorflow__AttrValue attr_value;
} fdef;

/* body(x) -> y:  a = Identity(x); b = Mul(a:output:0, x);
 * c = Identity(b:z:1, ^a); ret y = c:output:0.  b carries an attr T. */
static uint8_t *pack_function(size_t *len)
{
	static fdef f;
	tensorflow__function_def__init(&f.def);
	tensorflow__op_def__init(&f.sig);
	tensorflow__op_def__arg_def__init(&f.arg);
	tensorflow__op_def__arg_def__init(&f.out);
	f.sig.name = "body";
	f.arg.name = "x";
	f.arg.type = 1;
	f.out.name = "y";
	f.out.type = 1;
	f.args[0] = &f.arg;
	f.outs[0] = &f.out;
	f.sig.n_input_arg = 1;
	f.sig.input_arg = f.args;
	f.sig.n_output_arg = 1;
	f.sig.output_arg = f.outs;
	f.def.signature = &f.sig;
	static const char *const names[] = { "a", "b", "c" };
	static const char *const ops[] = { "Identity", "Mul", "Identity" };
	for (int i = 0; i < 3; i++) {
		tensorflow__node_def__init(&f.nodes[i]);
		f.nodes[i].name = (char *)names[i];
		f.nodes[i].op = (char *)ops[i];
		f.node_ptrs[i] = &f.nodes[i];
	}
	f.in_a[0] = "x";
	f.nodes[0].n_input = 1;
	f.nodes[0].input = f.in_a;
	f.in_b[0] = "a:output:0";
	f.in_b[1] = "x";
	f.nodes[1].n_input = 2;
	f.nodes[1].input = f.in_b;
	f.in_c[0] = "b:z:1";
	f.in_c[1] = "^a";
	f.nodes[2].n_input = 2;
	f.nodes[2].input = f.in_c;
	tensorflow__node_def__attr_entry__init(&f.attr);
	tensorflow__attr_value__init(&f.attr_value);
	f.attr_value.value_case = TENSORFLOW__ATTR_VALUE__VALUE_TYPE;
	f.attr_value.type = 1;
	f.attr.key = "T";
	f.attr.value = &f.attr_value;
	f.attrs[0] = &f.attr;
	f.nodes[1].n_attr = 1;
	f.nodes[1].attr = f.attrs;
	f.def.n_node_def = 3;
	f.def.node_def = f.node_ptrs;
	tensorflow__function_def__ret_entry__init(&f.ret);
	f.ret.key = "y";
	f.ret.value = "c:output:0";
	f.rets[0] = &f.ret;
	f.def.n_ret = 1;
	f.def.ret = f.rets;
	*len = tensorflow__function_def__get_packed_size(&f.def);
	uint8_t *out = malloc(*len);
	tensorflow__function_def__pack(&f.def, out);
	return out;
}

/* The scope borrows bytes: the caller frees them after the graph. */
static hs_graph *load_function(const uint8_t *bytes, size_t len)
{
	hs_graph *g = NULL;
	ck_assert_msg(hs_scope_load(&g, &hs_functiondef_container, bytes, len,
				    "function 'body'", NULL) == HS_OK,
		      "%s", hs_error_last());
	return g;
}

static hs_node *node(const hs_graph *g, const char *name)
{
	hs_node *n = hs_graph_find_node(g, name, strlen(name));
	ck_assert_ptr_nonnull(n);
	return n;
}

START_TEST(test_function_roundtrips_byte_for_byte)
{
	size_t len;
	uint8_t *bytes = pack_function(&len);
	hs_graph *g = load_function(bytes, len);
	ck_assert_uint_eq(hs_graph_node_count(g), 3);
	ck_assert_int_eq(hs_graph_has_library(g), 0);
	void *out;
	size_t out_len;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, g), HS_OK);
	ck_assert_uint_eq(out_len, len);
	ck_assert_int_eq(memcmp(out, bytes, len), 0);
	ck_assert_uint_eq(hs_graph_serialized_size(g), len);
	hs_free(out);
	hs_graph_free(g);
	free(bytes);
}
END_TEST

START_TEST(test_function_inputs_resolve)
{
	size_t len;
	uint8_t *bytes = pack_function(&len);
	hs_graph *g = load_function(bytes, len);
	hs_node *a = node(g, "a"), *b = node(g, "b"), *c = node(g, "c");
	int port = 99;
	/* "x" is the function's argument, not a node. */
	ck_assert_ptr_null(hs_node_input_node(a, 0, &port));
	ck_assert_ptr_eq(hs_node_input_node(b, 0, &port), a);
	ck_assert_int_eq(port, 0);
	ck_assert_ptr_null(hs_node_input_node(b, 1, &port));
	/* "b:z:1": index 1 of b's output arg z (it read as port 0 once). */
	ck_assert_ptr_eq(hs_node_input_node(c, 0, &port), b);
	ck_assert_int_eq(port, 1);
	ck_assert_ptr_eq(hs_node_input_node(c, 1, &port), a);
	ck_assert_int_eq(port, -1);
	ck_assert_uint_eq(hs_node_consumer_count(a), 2);
	ck_assert_uint_eq(hs_node_consumer_count(b), 1);
	ck_assert_ptr_eq(hs_node_consumer(b, 0), c);
	/* The argument reads name no node, but the signature's argument. */
	ck_assert_int_eq(hs_scope_find_arg(g, S("x")), 0);
	ck_assert_int_eq(hs_scope_find_arg(g, S("a")), -1);
	ck_assert_msg(hs_graph_verify(g) == HS_OK, "%s", hs_error_last());
	/* A node named like an argument does not take its readers: a bare
	 * name reads the argument, node outputs are written n:out:i. */
	hs_node *x = NULL;
	ck_assert_int_eq(hs_graph_add_node(&x, g, "x", "Const", NULL), HS_OK);
	ck_assert_ptr_null(hs_node_input_node(a, 0, &port));
	ck_assert_ptr_null(hs_node_input_node(b, 1, &port));
	ck_assert_uint_eq(hs_node_consumer_count(x), 0);
	ck_assert_int_eq(hs_node_add_input(c, "x:output:0"), HS_OK);
	ck_assert_ptr_eq(hs_node_input_node(c, 2, &port), x);
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	/* A bare name that is neither a node nor an argument dangles. */
	ck_assert_int_eq(hs_node_set_input(node(g, "a"), 0, "w"), HS_OK);
	ck_assert_int_eq(hs_graph_verify(g), HS_EGRAPH);
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "'w' names no node"));
	hs_graph_free(g);
	free(bytes);
}
END_TEST

/* Top-level fields of a message, by number, in order. */
static size_t field_numbers(uint32_t *out, size_t cap, const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	hs_field f;
	size_t n = 0;
	while (hs_wire_next(&f, &p, end) == HS_WIRE_OK && n < cap)
		out[n++] = f.number;
	return n;
}

START_TEST(test_edit_reencodes_under_node_def)
{
	size_t len;
	uint8_t *bytes = pack_function(&len);
	hs_graph *g = load_function(bytes, len);
	hs_node *b = node(g, "b"), *c = node(g, "c"), *d = NULL;
	ck_assert_int_eq(hs_node_set_input(c, 0, "b:z:0"), HS_OK);
	int port = 99;
	ck_assert_ptr_eq(hs_node_input_node(c, 0, &port), b);
	ck_assert_int_eq(port, 0);
	ck_assert_int_eq(hs_node_set_attr_i(b, "N", 2), HS_OK);
	ck_assert_int_eq(hs_graph_add_node(&d, g, "d", "Neg", c), HS_OK);
	ck_assert_int_eq(hs_node_add_input(d, "c:output:0"), HS_OK);
	ck_assert_ptr_eq(hs_node_input_node(d, 0, &port), c);
	/* Function syntax is checked: a GraphDef port is no output arg. */
	ck_assert_int_eq(hs_node_add_input(d, "c:output:x"), HS_EINVAL);
	void *out;
	size_t out_len;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, g), HS_OK);
	uint32_t nums[16];
	size_t nf = field_numbers(nums, 16, out, out_len);
	ck_assert_uint_eq(nf, 6);
	static const uint32_t want[] = { 1, 3, 3, 3, 3, 4 };
	for (size_t i = 0; i < nf; i++)
		ck_assert_uint_eq(nums[i], want[i]);
	Tensorflow__FunctionDef *fd = tensorflow__function_def__unpack(NULL, out_len, out);
	ck_assert_ptr_nonnull(fd);
	ck_assert_str_eq(fd->signature->name, "body");
	ck_assert_uint_eq(fd->n_node_def, 4);
	ck_assert_str_eq(fd->node_def[2]->name, "c");
	ck_assert_str_eq(fd->node_def[2]->input[0], "b:z:0");
	ck_assert_str_eq(fd->node_def[2]->input[1], "^a");
	ck_assert_str_eq(fd->node_def[1]->name, "b");
	ck_assert_uint_eq(fd->node_def[1]->n_attr, 2);
	ck_assert_str_eq(fd->node_def[3]->name, "d");
	ck_assert_str_eq(fd->node_def[3]->input[0], "c:output:0");
	ck_assert_uint_eq(fd->n_ret, 1);
	ck_assert_str_eq(fd->ret[0]->value, "c:output:0");
	tensorflow__function_def__free_unpacked(fd, NULL);
	/* The written FunctionDef loads again as a scope, and a first
	 * untouched node (a) kept its bytes. */
	hs_graph *again = load_function(out, out_len);
	ck_assert_uint_eq(hs_graph_node_count(again), 4);
	const hs_node *a = node(g, "a");
	ck_assert_ptr_nonnull(memmem(out, out_len, hs_node_field(a), hs_node_field_len(a)));
	hs_graph_free(again);
	hs_free(out);
	hs_graph_free(g);
	free(bytes);
}
END_TEST

/* A scope has its own names: a GraphDef node "a" and a function body
 * node "a" are different nodes of different scopes. */
START_TEST(test_scopes_have_own_names)
{
	Tensorflow__GraphDef gd = TENSORFLOW__GRAPH_DEF__INIT;
	Tensorflow__NodeDef top, *tops[1] = { &top };
	tensorflow__node_def__init(&top);
	top.name = "a";
	top.op = "Placeholder";
	gd.n_node = 1;
	gd.node = tops;
	size_t glen = tensorflow__graph_def__get_packed_size(&gd);
	uint8_t *gbytes = malloc(glen);
	tensorflow__graph_def__pack(&gd, gbytes);
	hs_graph *outer = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&outer, gbytes, glen, "outer", NULL), HS_OK);
	size_t len;
	uint8_t *bytes = pack_function(&len);
	hs_graph *body = load_function(bytes, len);
	hs_node *oa = node(outer, "a"), *ba = node(body, "a");
	ck_assert_ptr_ne(oa, ba);
	ck_assert(str_is(hs_node_op(oa), "Placeholder"));
	ck_assert(str_is(hs_node_op(ba), "Identity"));
	ck_assert_ptr_null(hs_graph_find_node(outer, "b", 1));
	/* The GraphDef still writes its nodes under field 1. */
	ck_assert_int_eq(hs_node_set_device(oa, "/cpu:0"), HS_OK);
	void *out;
	size_t out_len;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, outer), HS_OK);
	uint32_t nums[4];
	ck_assert_uint_eq(field_numbers(nums, 4, out, out_len), 1);
	ck_assert_uint_eq(nums[0], 1);
	hs_free(out);
	hs_graph_free(body);
	hs_graph_free(outer);
	free(bytes);
	free(gbytes);
}
END_TEST

/* A signature whose input_arg is not a message is no FunctionDef. */
START_TEST(test_function_bad_signature)
{
	/* signature (1) { input_arg (2) as a varint } */
	static const uint8_t bad[] = { 0x0a, 0x02, 0x10, 0x01 };
	uint8_t *bytes = malloc(sizeof bad);
	memcpy(bytes, bad, sizeof bad);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_scope_load(&g, &hs_functiondef_container, bytes,
				       sizeof bad, "fn", NULL), HS_EPARSE);
	ck_assert_str_eq(hs_error_last(),
			 "fn: signature: input_arg has a wrong wire type at byte 2");
	free(bytes);
}
END_TEST

START_TEST(test_function_wrong_wire_type)
{
	/* node_def (3) as a varint. */
	uint8_t *bytes = malloc(2);
	bytes[0] = (3 << 3) | 0;
	bytes[1] = 1;
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_scope_load(&g, &hs_functiondef_container, bytes, 2,
				       "fn", NULL), HS_EPARSE);
	ck_assert_ptr_null(g);
	ck_assert_str_eq(hs_error_last(),
			 "fn: not a FunctionDef: field 'node_def' has a wrong wire type at byte 0");
	free(bytes);
}
END_TEST

static Suite *container_suite(void)
{
	Suite *s = suite_create("container");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_function_input_forms);
	tcase_add_test(tc, test_function_input_refused);
	tcase_add_test(tc, test_graphdef_syntax_unchanged);
	tcase_add_test(tc, test_function_roundtrips_byte_for_byte);
	tcase_add_test(tc, test_function_inputs_resolve);
	tcase_add_test(tc, test_edit_reencodes_under_node_def);
	tcase_add_test(tc, test_scopes_have_own_names);
	tcase_add_test(tc, test_function_wrong_wire_type);
	tcase_add_test(tc, test_function_bad_signature);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(container_suite()); }
