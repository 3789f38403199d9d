/* The host table's version 2 members, fail_str and warn_str, as a plugin
 * written in another language would use them: the test plugin `strs`
 * (tests/host/plugins/tp.c, MODE_STR) reports only through them, with
 * messages holding '%' that must come through unformatted. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "plugtest.h"
#include "testutil.h"

static hs_registry *strs_registry(void)
{
	static const char *const names[] = { "strs", NULL };
	hs_registry *r = NULL;
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_ENV_PATH |
					       HS_REGISTRY_NO_SYSTEM_PATH), HS_OK);
	char *dir = pt_stage_dir("tests", names);
	ck_assert_ptr_nonnull(dir);
	ck_assert_int_eq(hs_registry_add_search_dir(r, dir), HS_OK);
	free(dir);
	/* Its init refuses a host table older than version 2. */
	ck_assert_msg(hs_registry_load_plugin(r, "strs") == HS_OK, "%s",
		      hs_error_last());
	return r;
}

static void claim_call(hs_claim *claim, const hs_registry *r,
		       const char *uuid, int expect)
{
	pt_call c;
	pt_call_init(&c, "TestFn", uuid);
	pt_input(&c, 0, HS_AGG_SINGLE);
	ck_assert_int_eq(pt_claim(claim, r, NULL, &c.call, NULL, NULL, NULL), expect);
}

START_TEST(test_table_version)
{
	ck_assert_int_eq(HS_PLUGIN_HOST_VERSION, 2);
	ck_assert_uint_ge(sizeof(hs_plugin_host),
			  offsetof(hs_plugin_host, warn_str) + sizeof(void (*)(void)));
}
END_TEST

START_TEST(test_fail_str_from_set_option)
{
	hs_registry *r = strs_registry();
	ck_assert_int_eq(hs_registry_set_option(r, "strs", "colour", "red"), HS_ERULES);
	ck_assert_int_eq(hs_error_last_code(), HS_ERULES);
	ck_assert_str_eq(hs_error_last(), "strs: no option of that name (100% literal)");
	pt_registry_free(r);
}
END_TEST

typedef struct seen {
	char text[256];
	int count;
} seen;

static void collect(const char *message, void *payload)
{
	seen *s = payload;
	snprintf(s->text, sizeof s->text, "%s", message);
	s->count++;
}

START_TEST(test_warn_str_reaches_the_diagnostic)
{
	hs_registry *r = strs_registry();
	seen s = { "", 0 };
	hs_registry_set_diagnostic(r, collect, &s);
	hs_claim claim;
	claim_call(&claim, r, "warnme", HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_PLUGIN);
	ck_assert_int_eq(s.count, 1);
	ck_assert_str_eq(s.text, "looked at %s twice");
	pt_registry_free(r);
}
END_TEST

START_TEST(test_fail_str_from_check)
{
	hs_registry *r = strs_registry();
	hs_claim claim;
	/* fail_str(7, NULL): a code that is no error becomes HS_EPLUGIN, a
	 * NULL message still says something. */
	claim_call(&claim, r, "checkfail", HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_FAILED);
	ck_assert_str_eq(claim.reason, "plugin strs: checkfail: failed without a message");
	/* The verdict is the same under abort: the plan applies the rule. */
	ck_assert_int_eq(hs_registry_load_rules_buffer(r, "on-failure abort\n", 17, "t"),
			 HS_OK);
	claim_call(&claim, r, "checkfail", HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_FAILED);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_fail_str_from_emit)
{
	hs_registry *r = strs_registry();
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, "", 0, "empty", NULL), HS_OK);
	hs_node *stub = NULL;
	ck_assert_int_eq(hs_graph_add_node(&stub, g, "bad1", "TestFn", NULL), HS_OK);
	pt_call c;
	pt_call_init(&c, "TestFn", "bad1");
	pt_input(&c, 0, HS_AGG_SINGLE);
	hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, g, &c.call, NULL, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_PLUGIN);
	ck_assert_int_eq(hs_registry_emit(r, &claim, g, &c.call, NULL, stub), HS_EPLUGIN);
	ck_assert_int_eq(hs_error_last_code(), HS_EPLUGIN);
	ck_assert_str_eq(hs_error_last(), "plugin strs: bad1: cannot convert %s, %d%%");
	/* A call it does not refuse: emit tags the stub. */
	pt_call_init(&c, "TestFn", "good1");
	pt_input(&c, 0, HS_AGG_SINGLE);
	ck_assert_int_eq(hs_registry_emit(r, &claim, g, &c.call, NULL, stub), HS_OK);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, stub, "claimed_by"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "strs"));
	hs_graph_free(g);
	pt_registry_free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("host");
	TCase *t = tcase_create("version2");
	tcase_add_test(t, test_table_version);
	tcase_add_test(t, test_fail_str_from_set_option);
	tcase_add_test(t, test_warn_str_reaches_the_diagnostic);
	tcase_add_test(t, test_fail_str_from_check);
	tcase_add_test(t, test_fail_str_from_emit);
	suite_add_tcase(s, t);
	pt_begin();
	int rc = tu_run(s);
	pt_end();
	return rc;
}
