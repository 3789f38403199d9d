/* Every negative return sets its message: each public function that can
 * fail (short of running out of memory) is called on a failing path right
 * after an unrelated failure, and must leave hs_error_last_code() equal to
 * what it returned and hs_error_last() a new message naming its subject
 * (a stale message from the earlier failure is the bug this catches). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hintstub/plugin.h"
#include "testutil.h"

#define STALE "unrelated earlier failure"

/* An earlier failure with a known message, through the public API. */
static void stale_error(void)
{
	hs_registry *r = NULL;
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_ENV_PATH |
					       HS_REGISTRY_NO_SYSTEM_PATH), HS_OK);
	ck_assert_int_eq(hs_registry_load_rules_buffer(r, "{", 1, STALE), HS_ERULES);
	ck_assert_ptr_nonnull(strstr(hs_error_last(), STALE));
	hs_registry_free(r);
}

static void check_failure(const char *what, int rc, int code, const char *subject)
{
	ck_assert_msg(rc == code, "%s returned %d (%s), expected %d", what, rc,
		      hs_error_name(rc), code);
	ck_assert_msg(hs_error_last_code() == rc, "%s: hs_error_last_code() is %d, returned %d",
		      what, hs_error_last_code(), rc);
	const char *msg = hs_error_last();
	ck_assert_msg(*msg && !strstr(msg, STALE), "%s: message is stale: '%s'", what, msg);
	ck_assert_msg(strstr(msg, subject) != NULL, "%s: message '%s' does not mention '%s'",
		      what, msg, subject);
}

/* The earlier failure happens first (comma operator), then the call. */
#define EXPECT_FAIL(call, code, subject) \
	check_failure(#call, (stale_error(), (call)), code, subject)

/* A graph of x (Const, attribute "value") and y reading x. */
static hs_graph *small_graph(hs_node **x, hs_node **y)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, "", 0, "small", NULL), HS_OK);
	ck_assert_int_eq(hs_graph_add_node(x, g, "x", "Const", NULL), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_i(*x, "value", 1), HS_OK);
	ck_assert_int_eq(hs_graph_add_node(y, g, "y", "Identity", NULL), HS_OK);
	ck_assert_int_eq(hs_node_add_input(*y, "x"), HS_OK);
	return g;
}

START_TEST(test_options_and_loading)
{
	hs_load_options o;
	EXPECT_FAIL(hs_load_options_init(NULL, HS_LOAD_OPTIONS_VERSION), HS_EINVAL,
		    "hs_load_options_init");
	EXPECT_FAIL(hs_load_options_init(&o, 99), HS_EINVAL, "version 99");
	ck_assert_int_eq(hs_load_options_init(&o, HS_LOAD_OPTIONS_VERSION), HS_OK);
	hs_load_options m = HS_LOAD_OPTIONS_INIT;
	ck_assert_uint_eq(o.version, m.version);
	ck_assert(o.max_file_size == m.max_file_size && o.max_nodes == m.max_nodes &&
		  o.max_depth == m.max_depth);
	hs_graph *ok = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&ok, "", 0, "lbl", &o), HS_OK);
	hs_graph_free(ok);
	o.version = 0;
	hs_graph *g = (hs_graph *)&g;
	EXPECT_FAIL(hs_graph_load_buffer(&g, "", 0, "lbl", &o), HS_EINVAL, "version 0");
	ck_assert_ptr_null(g);
	EXPECT_FAIL(hs_graph_load_file(&g, "/nonexistent/x.pb", &o), HS_EINVAL, "version 0");
	EXPECT_FAIL(hs_graph_load_file(&g, "/nonexistent/x.pb", NULL), HS_EIO,
		    "/nonexistent/x.pb");
	EXPECT_FAIL(hs_graph_load_file(&g, NULL, NULL), HS_EINVAL, "hs_graph_load_file");
	EXPECT_FAIL(hs_graph_load_buffer(&g, "\x0e", 1, "lbl", NULL), HS_EPARSE, "lbl");
	EXPECT_FAIL(hs_graph_load_buffer(NULL, "", 0, "lbl", NULL), HS_EINVAL,
		    "hs_graph_load_buffer");
}
END_TEST

START_TEST(test_writing_and_verifying)
{
	hs_node *x, *y;
	hs_graph *g = small_graph(&x, &y);
	EXPECT_FAIL(hs_graph_write_file(g, "/nonexistent/dir/out.pb"), HS_EIO,
		    "/nonexistent/dir");
	EXPECT_FAIL(hs_graph_write_file(NULL, "out.pb"), HS_EINVAL, "hs_graph_write_file");
	ck_assert_int_eq(hs_node_add_input(y, "ghost"), HS_OK);
	EXPECT_FAIL(hs_graph_verify(g), HS_EGRAPH, "'ghost'");
	hs_graph_free(g);
}
END_TEST

START_TEST(test_inputs)
{
	hs_str name;
	int port;
	hs_str bad = { "^x:1", 4 };
	EXPECT_FAIL(hs_parse_input(&name, &port, bad), HS_EINVAL, "'^x:1'");
	hs_str empty = { "", 0 };
	EXPECT_FAIL(hs_parse_input(&name, &port, empty), HS_EINVAL, "''");
	hs_str no_name = { "^", 1 };
	EXPECT_FAIL(hs_parse_input(&name, &port, no_name), HS_EINVAL, "'^'");
	hs_str huge = { "x:99999999999", 13 };
	EXPECT_FAIL(hs_parse_input(&name, &port, huge), HS_EINVAL, "'x:99999999999'");

	hs_node *x, *y;
	hs_graph *g = small_graph(&x, &y);
	EXPECT_FAIL(hs_node_add_input(y, "^a:1"), HS_EINVAL, "'^a:1'");
	EXPECT_FAIL(hs_node_set_input(y, 7, "x"), HS_EINVAL, "'y'");
	const char *inputs[] = { "x", "^q:1" };
	EXPECT_FAIL(hs_node_set_inputs(y, inputs, 2), HS_EINVAL, "'^q:1'");
	EXPECT_FAIL(hs_graph_rewire(NULL, g, x, 0, "^bad:1"), HS_EINVAL, "'^bad:1'");
	hs_graph_free(g);
}
END_TEST

START_TEST(test_nodes)
{
	hs_node *x, *y, *n;
	hs_graph *g = small_graph(&x, &y);
	hs_node *ox, *oy;
	hs_graph *other = small_graph(&ox, &oy);
	EXPECT_FAIL(hs_graph_add_node(&n, g, "x", "Const", NULL), HS_EEXISTS, "'x'");
	EXPECT_FAIL(hs_graph_add_node(&n, g, "", "Const", NULL), HS_EINVAL, "node name");
	EXPECT_FAIL(hs_graph_add_node(&n, g, "z", "Const", ox), HS_EINVAL, "'z'");
	EXPECT_FAIL(hs_graph_remove_node(g, ox), HS_EINVAL, "graph");
	EXPECT_FAIL(hs_graph_rewire(NULL, g, ox, 0, "x"), HS_EINVAL, "graph");
	hs_graph_free(other);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_attributes)
{
	hs_node *x, *y;
	hs_graph *g = small_graph(&x, &y);
	hs_attr a;
	EXPECT_FAIL(hs_node_attr(&a, x, "nope"), HS_ENOTFOUND,
		    "node 'x' has no attribute 'nope'");
	ck_assert_int_eq(hs_node_remove_attr(x, "value"), HS_OK);
	EXPECT_FAIL(hs_node_attr(&a, x, "value"), HS_ENOTFOUND,
		    "node 'x' has no attribute 'value'");

	int64_t ints[2] = { 1, 2 };
	ck_assert_int_eq(hs_node_set_attr_list_i(x, "l", ints, 2), HS_OK);
	ck_assert_int_eq(hs_node_attr(&a, x, "l"), HS_OK);
	hs_str s;
	EXPECT_FAIL(hs_attr_list_string(&s, &a, 0), HS_ENOTFOUND, "string 0");
	hs_attr scalar;
	ck_assert_int_eq(hs_node_set_attr_i(x, "i", 3), HS_OK);
	ck_assert_int_eq(hs_node_attr(&scalar, x, "i"), HS_OK);
	size_t count;
	int types[2];
	EXPECT_FAIL(hs_attr_list_ints(ints, 2, &count, &scalar), HS_EPARSE, "list");
	EXPECT_FAIL(hs_attr_list_types(types, 2, &count, &scalar), HS_EPARSE, "list");
	EXPECT_FAIL(hs_attr_list_string(&s, &scalar, 0), HS_EPARSE, "list");

	hs_str junk = { "\xff", 1 };
	EXPECT_FAIL(hs_node_set_attr_raw(x, "raw", junk), HS_EINVAL, "'raw'");
	hs_str v = { "v", 1 };
	EXPECT_FAIL(hs_node_set_attr_raw(x, "", v), HS_EINVAL, "key");
	EXPECT_FAIL(hs_node_set_attr_s(x, "", v), HS_EINVAL, "key");
	EXPECT_FAIL(hs_node_set_attr_i(x, "", 1), HS_EINVAL, "key");
	EXPECT_FAIL(hs_node_set_attr_f(x, "", 1.0f), HS_EINVAL, "key");
	EXPECT_FAIL(hs_node_set_attr_b(x, "", 1), HS_EINVAL, "key");
	EXPECT_FAIL(hs_node_set_attr_type(x, "", 1), HS_EINVAL, "key");
	EXPECT_FAIL(hs_node_set_attr_list_i(x, "", ints, 1), HS_EINVAL, "key");
	EXPECT_FAIL(hs_node_set_attr_list_type(x, "", types, 0), HS_EINVAL, "key");
	EXPECT_FAIL(hs_node_remove_attr(x, ""), HS_EINVAL, "key");
	hs_graph_free(g);
}
END_TEST

static void ignore(const char *plugin, int claims, const char *reason, void *payload)
{
	(void)plugin, (void)claims, (void)reason, (void)payload;
}

START_TEST(test_hints_and_conversion)
{
	hs_node *x, *y;
	hs_graph *g = small_graph(&x, &y);
	hs_discover_options fo = HS_DISCOVER_OPTIONS_INIT;
	fo.version = 0;
	hs_callset *set = NULL;
	EXPECT_FAIL(hs_discover(&set, g, &fo), HS_EINVAL, "hs_discover_options");
	EXPECT_FAIL(hs_discover_options_init(&fo, 99), HS_EINVAL, "hs_discover_options");
	ck_assert_int_eq(hs_discover(&set, g, NULL), HS_OK);
	hs_plan_options po = HS_PLAN_OPTIONS_INIT;
	po.version = 0;
	hs_plan *plan = NULL;
	EXPECT_FAIL(hs_plan_new(&plan, g, set, &po), HS_EINVAL, "hs_plan_options");
	EXPECT_FAIL(hs_plan_options_init(&po, 99), HS_EINVAL, "hs_plan_options");
	EXPECT_FAIL(hs_plan_new(&plan, NULL, set, NULL), HS_EINVAL, "hs_plan_new");
	ck_assert_int_eq(hs_plan_new(&plan, g, set, NULL), HS_OK);
	EXPECT_FAIL(hs_plan_explain(plan, 0, ignore, NULL), HS_EINVAL, "hs_plan_explain");
	hs_apply_options ao = HS_APPLY_OPTIONS_INIT;
	ao.version = 0;
	EXPECT_FAIL(hs_apply(NULL, g, plan, &ao), HS_EINVAL, "hs_apply_options");
	EXPECT_FAIL(hs_apply_options_init(&ao, 99), HS_EINVAL, "hs_apply_options");
	EXPECT_FAIL(hs_apply(NULL, NULL, plan, NULL), HS_EINVAL, "hs_apply");
	char *text = NULL;
	EXPECT_FAIL(hs_plan_to_json(&text, NULL), HS_EINVAL, "hs_plan_to_json");
	EXPECT_FAIL(hs_plan_to_text(&text, NULL), HS_EINVAL, "hs_plan_to_text");
	hs_call *c = NULL;
	hs_str none = { "", 0 }, u = { "u", 1 };
	EXPECT_FAIL(hs_callset_add_call(&c, set, "test", none, none, 1), HS_EINVAL, "uuid");
	ck_assert_int_eq(hs_callset_add_call(&c, set, "test", u, u, 1), HS_OK);
	EXPECT_FAIL(hs_callset_add_call(NULL, set, "test", u, u, 1), HS_EEXISTS, "'u'");
	EXPECT_FAIL(hs_call_add_operand(NULL, c, 0, 5000, HS_AGG_SINGLE, 0), HS_EINVAL, "index");
	ck_assert_int_eq(hs_call_add_operand(NULL, c, 0, 3, HS_AGG_SINGLE, 0), HS_OK);
	EXPECT_FAIL(hs_call_add_operand(NULL, c, 0, 2, HS_AGG_SINGLE, 0), HS_EINVAL, "ascend");
	EXPECT_FAIL(hs_call_set_parent(c, c), HS_EINVAL, "hs_call_set_parent");
	EXPECT_FAIL(hs_call_add_problem(c, HS_SEVERITY_NOTE, NULL, "m"), HS_EINVAL, "code");
	hs_plan_free(plan);
	hs_callset_free(set);
	hs_convert_options co = HS_CONVERT_OPTIONS_INIT;
	co.version = 0;
	hs_report *rep = NULL;
	EXPECT_FAIL(hs_convert(&rep, g, &co), HS_EINVAL, "hs_convert_options");
	char *json = NULL;
	EXPECT_FAIL(hs_report_to_json(&json, NULL), HS_EINVAL, "hs_report_to_json");
	hs_graph_free(g);
}
END_TEST

START_TEST(test_registry)
{
	EXPECT_FAIL(hs_registry_new(NULL, 0), HS_EINVAL, "hs_registry_new");
	hs_registry *r = NULL;
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_ENV_PATH |
					       HS_REGISTRY_NO_SYSTEM_PATH), HS_OK);
	const char *names[] = { "Bad-Name" };
	EXPECT_FAIL(hs_registry_add_search_dir(r, ""), HS_EINVAL, "directory");
	EXPECT_FAIL(hs_registry_add_search_dir(NULL, "d"), HS_EINVAL, "registry is NULL");
	EXPECT_FAIL(hs_registry_select(NULL, names, 0), HS_EINVAL, "registry is NULL");
	EXPECT_FAIL(hs_registry_select(r, names, 1), HS_EINVAL, "'Bad-Name'");
	EXPECT_FAIL(hs_registry_load_plugin(r, "ghost"), HS_ENOTFOUND, "ghost.so");
	EXPECT_FAIL(hs_registry_load_plugin_file(r, "/nonexistent/ghost.so"), HS_EPLUGIN,
		    "/nonexistent/ghost.so");
	EXPECT_FAIL(hs_registry_load_rules(r, "/nonexistent/x.rules"), HS_EIO,
		    "/nonexistent/x.rules");
	EXPECT_FAIL(hs_registry_load_rules_buffer(r, "bogus\n", 6, "lbl"), HS_ERULES, "lbl:1");
	EXPECT_FAIL(hs_registry_set_option(r, "ghost", "k", "v"), HS_ENOTFOUND, "ghost");
	EXPECT_FAIL(hs_registry_set_unclaimed(r, (hs_unclaimed_policy)99), HS_EINVAL,
		    "unclaimed");
	EXPECT_FAIL(hs_plan_explain(NULL, 0, ignore, NULL), HS_EINVAL, "hs_plan_explain");
	hs_registry_free(r);
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_PLUGINS), HS_OK);
	EXPECT_FAIL(hs_registry_load_plugin(r, "lstm"), HS_EPLUGIN, "disabled");
	EXPECT_FAIL(hs_registry_load_plugin_file(r, "/x/lstm.so"), HS_EPLUGIN, "disabled");
	hs_registry_free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("errors");
	TCase *t = tcase_create("every_failure_has_its_message");
	tcase_add_test(t, test_options_and_loading);
	tcase_add_test(t, test_writing_and_verifying);
	tcase_add_test(t, test_inputs);
	tcase_add_test(t, test_nodes);
	tcase_add_test(t, test_attributes);
	tcase_add_test(t, test_hints_and_conversion);
	tcase_add_test(t, test_registry);
	suite_add_tcase(s, t);
	return tu_run(s);
}
