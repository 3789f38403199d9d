/* Plugin loader, registry dispatch and the built-in plugins. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dispatch.h"
#include "plugtest.h"
#include "testutil.h"

static hs_registry *new_registry(void)
{
	hs_registry *r = NULL;
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_ENV_PATH |
					       HS_REGISTRY_NO_SYSTEM_PATH), HS_OK);
	return r;
}

/* A registry searching one private directory holding `names`. */
static hs_registry *registry_with(const char *const *names, char **dir_out)
{
	hs_registry *r = new_registry();
	char *dir = pt_stage_dir("tests", names);
	ck_assert_ptr_nonnull(dir);
	ck_assert_int_eq(hs_registry_add_search_dir(r, dir), HS_OK);
	if (dir_out)
		*dir_out = dir;
	else
		free(dir);
	return r;
}

static hs_registry *builtin_registry(const char *name)
{
	hs_registry *r = new_registry();
	char *dir = pt_tmpdir();
	free(pt_stage(dir, name, name, 0755));
	ck_assert_int_eq(hs_registry_add_search_dir(r, dir), HS_OK);
	ck_assert_int_eq(hs_registry_load_plugin(r, name), HS_OK);
	free(dir);
	return r;
}

#define assert_error_contains(text) \
	ck_assert_msg(strstr(hs_error_last(), text) != NULL, \
		      "message '%s' lacks '%s'", hs_error_last(), text)

/* --------------------------------------------------------------- loader */

START_TEST(test_load_by_name)
{
	static const char *const names[] = { "alpha", NULL };
	hs_registry *r = registry_with(names, NULL);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_OK);
	ck_assert_uint_eq(hs_registry_plugin_count(r), 1);
	ck_assert_str_eq(hs_registry_plugin(r, 0)->name, "alpha");
	ck_assert(hs_registry_has_plugin(r, "alpha"));
	ck_assert_ptr_nonnull(strstr(hs_registry_plugin_file(r, 0), "/alpha.so"));
	pt_registry_free(r);
}
END_TEST

START_TEST(test_not_found_lists_dirs)
{
	hs_registry *r = new_registry();
	ck_assert_int_eq(hs_registry_add_search_dir(r, "/nonexistent/one"), HS_OK);
	ck_assert_int_eq(hs_registry_add_search_dir(r, "/nonexistent/two"), HS_OK);
	ck_assert_int_eq(hs_registry_load_plugin(r, "ghost"), HS_ENOTFOUND);
	ck_assert_str_eq(hs_error_last(),
			 "plugin ghost: ghost.so not found (searched: /nonexistent/one, /nonexistent/two)");
	ck_assert_uint_eq(hs_registry_plugin_count(r), 0);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_env_path_searched_after_dirs_and_never_cwd)
{
	hs_registry *r = NULL;
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_SYSTEM_PATH), HS_OK);
	ck_assert_int_eq(hs_registry_add_search_dir(r, "/nonexistent/first"), HS_OK);
	setenv("HINTSTUB_PLUGIN_PATH", "/nonexistent/env1::/nonexistent/env2", 1);
	ck_assert_int_eq(hs_registry_load_plugin(r, "ghost"), HS_ENOTFOUND);
	ck_assert_str_eq(hs_error_last(),
			 "plugin ghost: ghost.so not found (searched: /nonexistent/first, "
			 "/nonexistent/env1, /nonexistent/env2)");
	/* A plugin in the current directory is not found implicitly. */
	static const char *const names[] = { "alpha", NULL };
	char *dir = pt_stage_dir("tests", names);
	char *cwd = getcwd(NULL, 0);
	ck_assert_int_eq(chdir(dir), 0);
	setenv("HINTSTUB_PLUGIN_PATH", "", 1);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_ENOTFOUND);
	setenv("HINTSTUB_PLUGIN_PATH", dir, 1);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_OK);
	ck_assert_int_eq(chdir(cwd), 0);
	unsetenv("HINTSTUB_PLUGIN_PATH");
	free(cwd);
	free(dir);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_not_a_shared_object)
{
	hs_registry *r = new_registry();
	char *dir = pt_tmpdir();
	char *file = tu_path(dir, "fake.so");
	ck_assert_int_eq(tu_write_file(file, "#!/bin/sh\necho hi\n", 18), 0);
	ck_assert_int_eq(chmod(file, 0644), 0);
	ck_assert_int_eq(hs_registry_add_search_dir(r, dir), HS_OK);
	ck_assert_int_eq(hs_registry_load_plugin(r, "fake"), HS_EPLUGIN);
	char expect[1200];
	snprintf(expect, sizeof expect, "plugin fake: %s is not a shared object", file);
	ck_assert_str_eq(hs_error_last(), expect);
	ck_assert_uint_eq(hs_registry_plugin_count(r), 0);
	free(file);
	free(dir);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_missing_entry_symbol)
{
	static const char *const names[] = { "noentry", NULL };
	hs_registry *r = registry_with(names, NULL);
	ck_assert_int_eq(hs_registry_load_plugin(r, "noentry"), HS_EPLUGIN);
	assert_error_contains("plugin noentry: ");
	assert_error_contains("noentry.so has no entry symbol hintstub_plugin_init");
	ck_assert_uint_eq(hs_registry_plugin_count(r), 0);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_abi_mismatch)
{
	static const char *const names[] = { "badabi", NULL };
	hs_registry *r = registry_with(names, NULL);
	ck_assert_int_eq(hs_registry_load_plugin(r, "badabi"), HS_EPLUGIN);
	ck_assert_str_eq(hs_error_last(),
			 "plugin badabi: ABI mismatch: host supports 2.1, plugin was built for 99.1");
	ck_assert_uint_eq(hs_registry_plugin_count(r), 0);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_init_failure)
{
	static const char *const names[] = { "initfail", NULL };
	hs_registry *r = registry_with(names, NULL);
	ck_assert_int_eq(hs_registry_load_plugin(r, "initfail"), HS_EPLUGIN);
	ck_assert_str_eq(hs_error_last(),
			 "plugin initfail: init failed: needs a license file");
	ck_assert_uint_eq(hs_registry_plugin_count(r), 0);
	pt_registry_free(r);
}
END_TEST

/* The descriptor's name must be the file's, and a plugin name at all. */
START_TEST(test_descriptor_names)
{
	static const char *const cases[][2] = {
		{ "wrongname", "plugin wrongname: descriptor names itself 'somebody_else'; the file must be NAME.so" },
		{ "badname", "plugin badname: the descriptor's name 'Bad-Name' is not a valid plugin name ([a-z0-9_]+, at most 64)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *const names[] = { cases[i][0], NULL };
		hs_registry *r = registry_with(names, NULL);
		ck_assert_int_eq(hs_registry_load_plugin(r, cases[i][0]), HS_EPLUGIN);
		ck_assert_str_eq(hs_error_last(), cases[i][1]);
		pt_registry_free(r);
	}
}
END_TEST

START_TEST(test_not_found_suggests)
{
	static const char *const names[] = { "alpha", "beta", NULL };
	char *dir;
	hs_registry *r = registry_with(names, &dir);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpah"), HS_ENOTFOUND);
	char expect[1200];
	snprintf(expect, sizeof expect,
		 "plugin alpah: alpah.so not found (searched: %s); did you mean 'alpha'?", dir);
	ck_assert_str_eq(hs_error_last(), expect);
	/* Nothing close: no suggestion. */
	ck_assert_int_eq(hs_registry_load_plugin(r, "zzzzzz"), HS_ENOTFOUND);
	ck_assert_ptr_null(strstr(hs_error_last(), "did you mean"));
	free(dir);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_unknown_option_suggests)
{
	hs_registry *r = builtin_registry("lstm");
	ck_assert_int_eq(hs_registry_set_option(r, "lstm", "cel_clip", "1"), HS_ERULES);
	ck_assert_str_eq(hs_error_last(), "lstm: unknown option 'cel_clip' (did you mean 'cell_clip'?)");
	ck_assert_int_eq(hs_registry_set_option(r, "lstm", "colour", "red"), HS_ERULES);
	ck_assert_str_eq(hs_error_last(), "lstm: unknown option 'colour' (options: cell_clip, "
			 "proj_clip, time_major, fused_activation_function, function)");
	ck_assert_int_eq(hs_registry_set_option(r, "lsmt", "cell_clip", "1"), HS_ENOTFOUND);
	ck_assert_str_eq(hs_error_last(), "plugin lsmt is not loaded (did you mean 'lstm'?)");
	/* What was set is what is in effect. */
	ck_assert_ptr_null(hs_registry_plugin_option(r, 0, "cell_clip"));
	ck_assert_int_eq(hs_registry_set_option(r, "lstm", "cell_clip", "2"), HS_OK);
	ck_assert_int_eq(hs_registry_set_option(r, "lstm", "cell_clip", "3"), HS_OK);
	ck_assert_str_eq(hs_registry_plugin_option(r, 0, "cell_clip"), "3");
	ck_assert_int_eq(hs_registry_plugin_priority(r, 0), 0);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_duplicate_name)
{
	static const char *const names[] = { "alpha", NULL };
	char *dir;
	hs_registry *r = registry_with(names, &dir);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_OK);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_EEXISTS);
	assert_error_contains("plugin alpha: duplicate name");
	/* The same name from another file is a duplicate too. */
	char *other = pt_tmpdir();
	char *copy = pt_stage(other, "tests", "alpha", 0755);
	ck_assert_int_eq(hs_registry_load_plugin_file(r, copy), HS_EEXISTS);
	assert_error_contains("plugin alpha: duplicate name: already loaded from ");
	ck_assert_uint_eq(hs_registry_plugin_count(r), 1);
	free(copy);
	free(other);
	free(dir);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_bad_names)
{
	hs_registry *r = new_registry();
	ck_assert_int_eq(hs_registry_load_plugin(r, "Bad-Name"), HS_EPLUGIN);
	ck_assert_str_eq(hs_error_last(),
			 "'Bad-Name' is not a valid plugin name ([a-z0-9_]+, at most 64)");
	ck_assert_int_eq(hs_registry_load_plugin(r, "../evil"), HS_EPLUGIN);
	ck_assert_int_eq(hs_registry_load_plugin(r, ""), HS_EPLUGIN);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_world_writable_file_refused)
{
	hs_registry *r = new_registry();
	char *dir = pt_tmpdir();
	char *file = pt_stage(dir, "tests", "alpha", 0666);
	ck_assert_ptr_nonnull(file);
	ck_assert_int_eq(chmod(file, 0666), 0);
	ck_assert_int_eq(hs_registry_add_search_dir(r, dir), HS_OK);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_EPLUGIN);
	char expect[1200];
	snprintf(expect, sizeof expect,
		 "plugin alpha: refusing %s: writable by group or others", file);
	ck_assert_str_eq(hs_error_last(), expect);
	ck_assert_uint_eq(hs_registry_plugin_count(r), 0);
	free(file);
	free(dir);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_group_writable_dir_refused)
{
	hs_registry *r = new_registry();
	char *dir = pt_tmpdir();
	free(pt_stage(dir, "tests", "alpha", 0755));
	ck_assert_int_eq(chmod(dir, 0775), 0);
	ck_assert_int_eq(hs_registry_add_search_dir(r, dir), HS_OK);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_EPLUGIN);
	assert_error_contains("refusing directory ");
	assert_error_contains(": writable by group or others");
	ck_assert_int_eq(chmod(dir, 0700), 0);
	free(dir);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_no_plugins_flag)
{
	hs_registry *r = NULL;
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_PLUGINS), HS_OK);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_EPLUGIN);
	assert_error_contains("plugins are disabled");
	pt_registry_free(r);
}
END_TEST

/* ------------------------------------------------------------- dispatch */

START_TEST(test_load_order_decides_claim)
{
	static const char *const names[] = { "alpha", "beta", NULL };
	hs_registry *r = registry_with(names, NULL);
	ck_assert_int_eq(hs_registry_load_plugin(r, "beta"), HS_OK);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_OK);
	pt_call c;
	pt_call_init(&c, "TestFn", "u1");
	pt_input(&c, 0, HS_AGG_SINGLE);
	hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_PLUGIN);
	ck_assert_str_eq(claim.plugin_name, "beta");
	pt_registry_free(r);
}
END_TEST

START_TEST(test_check_declines_falls_through)
{
	static const char *const names[] = { "picky", "alpha", NULL };
	hs_registry *r = registry_with(names, NULL);
	ck_assert_int_eq(hs_registry_load_plugin(r, "picky"), HS_OK);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_OK);
	pt_call c;
	pt_call_init(&c, "TestFn", "u1");
	pt_input(&c, 0, HS_AGG_SINGLE);
	hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_str_eq(claim.plugin_name, "picky");
	pt_input(&c, 1, HS_AGG_SINGLE);
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_str_eq(claim.plugin_name, "alpha");
	pt_registry_free(r);
}
END_TEST

static void collect(const char *plugin, int claims, const char *reason,
		    void *payload)
{
	char *buf = payload;
	size_t used = strlen(buf);
	snprintf(buf + used, 2048 - used, "[%s %s %s]", plugin,
		 claims ? "claims" : "declines", reason ? reason : "");
}

START_TEST(test_explain_reasons)
{
	static const char *const names[] = { "picky", "alpha", NULL };
	hs_registry *r = registry_with(names, NULL);
	ck_assert_int_eq(hs_registry_load_plugin(r, "picky"), HS_OK);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_OK);
	pt_call c;
	pt_call_init(&c, "TestFn", "u1");
	pt_input(&c, 0, HS_AGG_SINGLE);
	pt_input(&c, 1, HS_AGG_SINGLE);
	char buf[2048] = "";
	ck_assert_int_eq(pt_explain(r, NULL, &c, collect, buf), HS_OK);
	ck_assert_str_eq(buf, "[picky declines picky wants no input 1][alpha claims ]");
	pt_call_init(&c, "OtherFn", "u2");
	buf[0] = '\0';
	ck_assert_int_eq(pt_explain(r, NULL, &c, collect, buf), HS_OK);
	ck_assert_str_eq(buf,
			 "[picky declines function name 'OtherFn' differs from 'TestFn']"
			 "[alpha declines function name 'OtherFn' differs from 'TestFn']");
	pt_call_init(&c, "TestFn", "u3");
	pt_input(&c, 1, HS_AGG_SINGLE);
	buf[0] = '\0';
	ck_assert_int_eq(pt_explain(r, NULL, &c, collect, buf), HS_OK);
	ck_assert_str_eq(buf, "[picky declines input 0 missing][alpha declines input 0 missing]");
	pt_registry_free(r);
}
END_TEST

/* A reason too long for its buffer (two plugins' words on a long name)
 * says it was cut: it ends in "...". */
START_TEST(test_cut_reason_says_so)
{
	static const char *const names[] = { "picky", "alpha", NULL };
	hs_registry *r = registry_with(names, NULL);
	ck_assert_int_eq(hs_registry_load_plugin(r, "picky"), HS_OK);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_OK);
	ck_assert_int_eq(hs_registry_set_unclaimed(r, HS_UNCLAIMED_KEEP), HS_OK);
	static char long_name[600];
	memset(long_name, 'M', sizeof long_name - 1);
	pt_call c;
	pt_call_init(&c, long_name, "u1");
	hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_KEEP);
	size_t n = strlen(claim.reason);
	ck_assert_uint_lt(n, sizeof claim.reason);
	ck_assert_str_eq(claim.reason + n - 3, "...");
	ck_assert(strncmp(claim.reason, "no plugin claims MMM", 20) == 0);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_unclaimed_policies)
{
	static const char *const names[] = { "alpha", NULL };
	hs_registry *r = registry_with(names, NULL);
	ck_assert_int_eq(hs_registry_load_plugin(r, "alpha"), HS_OK);
	pt_call c;
	pt_call_init(&c, "Mystery", "u1");
	hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_GENERIC);
	ck_assert_int_eq(hs_registry_set_unclaimed(r, HS_UNCLAIMED_KEEP), HS_OK);
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_KEEP);
	ck_assert_str_eq(claim.reason,
			 "no plugin claims Mystery (alpha: function name 'Mystery' differs from 'TestFn')");
	ck_assert_int_eq(hs_registry_set_unclaimed(r, HS_UNCLAIMED_ERROR), HS_OK);
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_ERROR);
	/* No registry: everything generic. */
	ck_assert_int_eq(pt_claim(&claim, NULL, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_GENERIC);
	pt_registry_free(r);
}
END_TEST

/* A one-node graph whose node stands in for a stub. */
static hs_graph *stub_graph(hs_node **stub)
{
	tu_graph *tg = tu_graph_new();
	tu_node(tg, "stub", "TestFn", NULL);
	hs_graph *g = tu_graph_load(tg);
	tu_graph_free(tg);
	ck_assert_ptr_nonnull(g);
	*stub = hs_graph_find_node(g, "stub", 4);
	return g;
}

START_TEST(test_emit_and_failure_policies)
{
	static const char *const names[] = { "failing", NULL };
	hs_registry *r = registry_with(names, NULL);
	ck_assert_int_eq(hs_registry_load_plugin(r, "failing"), HS_OK);
	hs_node *stub;
	hs_graph *g = stub_graph(&stub);
	pt_call c;
	hs_claim claim;
	/* Glob signature "Test*". */
	pt_call_init(&c, "TestWhatever", "good1");
	pt_input(&c, 0, HS_AGG_SINGLE);
	ck_assert_int_eq(pt_claim(&claim, r, g, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_PLUGIN);
	ck_assert_int_eq(hs_registry_emit(r, &claim, g, &c.call, &c.region, stub), HS_OK);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, stub, "claimed_by"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "failing"));
	/* emit failing on one call: an error naming plugin and call. */
	pt_call_init(&c, "TestFn", "bad7");
	pt_input(&c, 0, HS_AGG_SINGLE);
	ck_assert_int_eq(pt_claim(&claim, r, g, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(hs_registry_emit(r, &claim, g, &c.call, &c.region, stub), HS_EPLUGIN);
	ck_assert_str_eq(hs_error_last(), "plugin failing: bad7: cannot convert this one");
	ck_assert_int_eq(hs_registry_failure_policy(r), HS_ON_FAILURE_SKIP);
	/* check failing: the call fails, with the plugin's words, as in emit. */
	pt_call_init(&c, "TestFn", "checkfail");
	pt_input(&c, 0, HS_AGG_SINGLE);
	ck_assert_int_eq(pt_claim(&claim, r, g, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_FAILED);
	ck_assert_str_eq(claim.reason, "plugin failing: checkfail: check exploded");
	/* A verdict other than claim or decline is the plugin's error. */
	pt_call_init(&c, "TestFn", "weird");
	pt_input(&c, 0, HS_AGG_SINGLE);
	ck_assert_int_eq(pt_claim(&claim, r, g, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_FAILED);
	ck_assert_str_eq(claim.reason, "plugin failing: weird: check returned 5 (expected "
			 "HS_CHECK_CLAIM, HS_CHECK_DECLINE or a negative error code)");
	pt_call_init(&c, "TestFn", "silent");
	pt_input(&c, 0, HS_AGG_SINGLE);
	ck_assert_int_eq(pt_claim(&claim, r, g, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_str_eq(claim.reason, "plugin failing: silent: check failed without a message");
	/* The plan applies the on-failure rule (test_check_failure_verdicts). */
	ck_assert_int_eq(hs_registry_load_rules_buffer(r, "on-failure abort\n", 17, "t"), HS_OK);
	ck_assert_int_eq(hs_registry_failure_policy(r), HS_ON_FAILURE_ABORT);
	hs_graph_free(g);
	pt_registry_free(r);
}
END_TEST

/* ------------------------------------------------------------- built-ins */

START_TEST(test_lstm_claims_tflite_layout)
{
	hs_registry *r = builtin_registry("lstm");
	pt_call c;
	hs_claim claim;
	pt_lstm_call(&c, "u1", 0);
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_PLUGIN);
	pt_lstm_call(&c, "u2", 1); /* CIFG: 1, 5, 12 absent together */
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_PLUGIN);
	pt_registry_free(r);
}
END_TEST

static const char *lstm_reason(hs_registry *r, pt_call *c, char *buf)
{
	buf[0] = '\0';
	ck_assert_int_eq(pt_explain(r, NULL, c, collect, buf), HS_OK);
	return buf;
}

static void drop_input(pt_call *c, int64_t index)
{
	size_t k = 0;
	for (size_t i = 0; i < c->call.n_inputs; i++)
		if (c->in[i].index != index)
			c->in[k++] = c->in[i];
	c->call.n_inputs = k;
}

START_TEST(test_lstm_declines_with_reasons)
{
	hs_registry *r = builtin_registry("lstm");
	pt_call c;
	char buf[2048];
	pt_lstm_call(&c, "u1", 0);
	drop_input(&c, 13);
	ck_assert_str_eq(lstm_reason(r, &c, buf), "[lstm declines input 13 missing]");
	pt_lstm_call(&c, "u1", 0);
	drop_input(&c, 5);
	ck_assert_str_eq(lstm_reason(r, &c, buf),
			 "[lstm declines CIFG inputs 1, 5, 12 must be all present or all absent (input 5 missing)]");
	pt_lstm_call(&c, "u1", 0);
	c.in[0].aggregation = HS_AGG_FIRST;
	ck_assert_str_eq(lstm_reason(r, &c, buf),
			 "[lstm declines input 0 is aggregated as first, expected stack]");
	pt_lstm_call(&c, "u1", 0);
	pt_input(&c, 21, HS_AGG_SINGLE);
	ck_assert_str_eq(lstm_reason(r, &c, buf), "[lstm declines input 21 is not expected]");
	/* Peepholes all or none. */
	pt_lstm_call(&c, "u1", 0);
	memmove(&c.in[10], &c.in[9], (c.call.n_inputs - 9) * sizeof c.in[0]);
	c.in[9] = (hs_operand){ .index = 9, .aggregation = HS_AGG_SINGLE, .count = 1 };
	c.call.n_inputs++;
	ck_assert_str_eq(lstm_reason(r, &c, buf),
			 "[lstm declines peephole inputs 9, 10, 11 must be all present or all absent]");
	pt_lstm_call(&c, "u1", 0);
	c.call.n_outputs = 1; /* output 2 missing */
	ck_assert_str_eq(lstm_reason(r, &c, buf), "[lstm declines output 2 missing]");
	pt_registry_free(r);
}
END_TEST

START_TEST(test_lstm_emit_options)
{
	hs_registry *r = builtin_registry("lstm");
	ck_assert_int_eq(hs_registry_set_option(r, "lstm", "cell_clip", "3.5"), HS_OK);
	ck_assert_int_eq(hs_registry_set_option(r, "lstm", "time_major", "false"), HS_OK);
	ck_assert_int_eq(hs_registry_set_option(r, "lstm", "cell_clip", "-1"), HS_ERULES);
	ck_assert_str_eq(hs_error_last(),
			 "lstm: cell_clip must be a non-negative number, got '-1'");
	ck_assert_int_eq(hs_registry_set_option(r, "lstm", "colour", "red"), HS_ERULES);
	hs_node *stub;
	hs_graph *g = stub_graph(&stub);
	pt_call c;
	hs_claim claim;
	pt_lstm_call(&c, "u1", 0);
	ck_assert_int_eq(pt_claim(&claim, r, g, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(hs_registry_emit(r, &claim, g, &c.call, &c.region, stub), HS_OK);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, stub, "fused_activation_function"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "TANH"));
	ck_assert_int_eq(hs_node_attr(&a, stub, "cell_clip"), HS_OK);
	ck_assert(a.v.f == 3.5f);
	ck_assert_int_eq(hs_node_attr(&a, stub, "proj_clip"), HS_OK);
	ck_assert(a.v.f == 0.0f);
	ck_assert_int_eq(hs_node_attr(&a, stub, "time_major"), HS_OK);
	ck_assert_int_eq(a.v.b, 0);
	hs_graph_free(g);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_rnn_layout)
{
	hs_registry *r = builtin_registry("rnn");
	pt_call c;
	hs_claim claim;
	pt_call_init(&c, "UnidirectionalSequenceRnn", "u1");
	pt_input(&c, 0, HS_AGG_STACK);
	pt_input(&c, 1, HS_AGG_SINGLE);
	pt_input(&c, 2, HS_AGG_SINGLE);
	pt_input(&c, 3, HS_AGG_SINGLE);
	pt_input(&c, 4, HS_AGG_FIRST);
	pt_output(&c, 1, HS_AGG_STACK);
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_PLUGIN);
	hs_node *stub;
	hs_graph *g = stub_graph(&stub);
	ck_assert_int_eq(hs_registry_emit(r, &claim, g, &c.call, &c.region, stub), HS_OK);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, stub, "time_major"), HS_OK);
	ck_assert_int_eq(a.v.b, 1);
	c.in[4].aggregation = HS_AGG_LAST;
	char buf[2048] = "";
	ck_assert_int_eq(pt_explain(r, NULL, &c, collect, buf), HS_OK);
	ck_assert_str_eq(buf, "[rnn declines input 4 is aggregated as last, expected first]");
	hs_graph_free(g);
	pt_registry_free(r);
}
END_TEST

/* x -> Conv2D(x, w) -> BiasAdd(conv, b) -> ACT, as the interior of a call. */
static hs_graph *conv_graph(const char *act)
{
	tu_graph *tg = tu_graph_new();
	tu_node(tg, "x", "Placeholder", NULL);
	tu_node(tg, "w", "Const", NULL);
	tu_node(tg, "b", "Const", NULL);
	Tensorflow__NodeDef *conv = tu_node(tg, "conv", "Conv2D", "x", "w", NULL);
	tu_attr_s(conv, "padding", "SAME");
	tu_attr_s(conv, "data_format", "NHWC");
	tu_attr_type(conv, "T", 1);
	tu_node(tg, "bias", "BiasAdd", "conv", "b", NULL);
	tu_node(tg, "act", act, "bias", NULL);
	tu_node(tg, "stub", "CustomConv2D", NULL);
	hs_graph *g = tu_graph_load(tg);
	tu_graph_free(tg);
	ck_assert_ptr_nonnull(g);
	return g;
}

START_TEST(test_conv_chain)
{
	hs_registry *r = builtin_registry("conv");
	hs_graph *g = conv_graph("Relu6");
	hs_node *interior[3] = { hs_graph_find_node(g, "conv", 4),
				 hs_graph_find_node(g, "bias", 4),
				 hs_graph_find_node(g, "act", 3) };
	pt_call c;
	pt_call_init(&c, "CustomConv2D", "u1");
	pt_input(&c, 0, HS_AGG_SINGLE);
	pt_output(&c, 0, HS_AGG_SINGLE);
	pt_region(&c, g, interior, 3);
	hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, g, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_PLUGIN);
	hs_node *stub = hs_graph_find_node(g, "stub", 4);
	ck_assert_int_eq(hs_registry_emit(r, &claim, g, &c.call, &c.region, stub), HS_OK);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, stub, "fused_activation_function"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "RELU6"));
	ck_assert_int_eq(hs_node_attr(&a, stub, "padding"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "SAME"));
	ck_assert_int_eq(hs_node_attr(&a, stub, "data_format"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "NHWC"));
	ck_assert_int_eq(hs_node_attr(&a, stub, "strides"), HS_ENOTFOUND);
	/* Attributes edited on the Conv2D are what gets copied. */
	hs_str valid = { "VALID", 5 };
	ck_assert_int_eq(hs_node_set_attr_s(interior[0], "padding", valid), HS_OK);
	ck_assert_int_eq(hs_node_set_attr_i(interior[0], "strides", 2), HS_OK);
	ck_assert_int_eq(hs_registry_emit(r, &claim, g, &c.call, &c.region, stub), HS_OK);
	ck_assert_int_eq(hs_node_attr(&a, stub, "padding"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "VALID"));
	ck_assert_int_eq(hs_node_attr(&a, stub, "strides"), HS_OK);
	ck_assert_int_eq(a.v.i, 2);
	ck_assert_int_eq(hs_node_attr(&a, stub, "data_format"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "NHWC"));
	/* The function name is a rule option. */
	pt_call_init(&c, "MyConv", "u2");
	char buf[2048] = "";
	ck_assert_int_eq(pt_explain(r, g, &c, collect, buf), HS_OK);
	ck_assert_str_eq(buf, "[conv declines function name 'MyConv' differs from 'CustomConv2D']");
	ck_assert_int_eq(hs_registry_set_option(r, "conv", "function", "My*"), HS_OK);
	pt_region(&c, g, interior, 3);
	ck_assert_int_eq(pt_claim(&claim, r, g, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_PLUGIN);
	hs_graph_free(g);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_conv_declines_other_interior)
{
	hs_registry *r = builtin_registry("conv");
	hs_graph *g = conv_graph("Sigmoid");
	hs_node *interior[3] = { hs_graph_find_node(g, "conv", 4),
				 hs_graph_find_node(g, "bias", 4),
				 hs_graph_find_node(g, "act", 3) };
	pt_call c;
	pt_call_init(&c, "CustomConv2D", "u1");
	pt_region(&c, g, interior, 3);
	char buf[2048] = "";
	ck_assert_int_eq(pt_explain(r, g, &c, collect, buf), HS_OK);
	ck_assert_str_eq(buf, "[conv declines interior op 'Sigmoid' not allowed (Conv2D, "
			 "BiasAdd, Relu, Relu6, Tanh, Const, Identity)]");
	hs_graph_free(g);
	g = conv_graph("Sign");
	interior[0] = hs_graph_find_node(g, "conv", 4);
	interior[1] = hs_graph_find_node(g, "bias", 4);
	interior[2] = hs_graph_find_node(g, "act", 3);
	/* The region's ids are of the graph it was made for. */
	pt_region(&c, g, interior, 3);
	buf[0] = '\0';
	ck_assert_int_eq(pt_explain(r, g, &c, collect, buf), HS_OK);
	ck_assert_str_eq(buf, "[conv declines interior op 'Sign' has no fused TFLite "
			 "activation (SIGN_BIT is the sign bit, not -1, 0, 1)]");
	c.region.n = 1; /* Conv2D only */
	buf[0] = '\0';
	ck_assert_int_eq(pt_explain(r, g, &c, collect, buf), HS_OK);
	ck_assert_str_eq(buf, "[conv declines interior has no BiasAdd]");
	hs_graph_free(g);
	pt_registry_free(r);
}
END_TEST


/* ----------------------------------------------------------- end to end */

START_TEST(test_lstm_fixture_end_to_end)
{
	hs_registry *r = builtin_registry("lstm");
	ck_assert_int_eq(hs_registry_set_option(r, "lstm", "proj_clip", "2"), HS_OK);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, HS_TEST_DATA "/ophint_lstm.pb", NULL), HS_OK);
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	opts.plan.registry = r;
	hs_report *rep = NULL;
	ck_assert_int_eq(hs_convert(&rep, g, &opts), HS_OK);
	ck_assert_uint_eq(hs_report_count(rep), 2);
	ck_assert_uint_eq(hs_report_converted(rep), 2);
	for (size_t i = 0; i < 2; i++) {
		const hs_call_report *e = hs_report_entry(rep, i);
		ck_assert_str_eq(e->plugin, "lstm");
		hs_node *stub = hs_graph_find_node(g, e->uuid.ptr, e->uuid.len);
		ck_assert_ptr_nonnull(stub);
		ck_assert(hs_str_eq(hs_node_op(stub), "UnidirectionalSequenceLstm"));
		/* Dense layout: 0..19, absent indices read the -1 Const. */
		ck_assert_uint_eq(hs_node_input_count(stub), 20);
		hs_attr a;
		ck_assert_int_eq(hs_node_attr(&a, stub, "fused_activation_function"), HS_OK);
		ck_assert(hs_str_eq(a.v.s, "TANH"));
		ck_assert_int_eq(hs_node_attr(&a, stub, "proj_clip"), HS_OK);
		ck_assert(a.v.f == 2.0f);
		ck_assert_int_eq(hs_node_attr(&a, stub, "time_major"), HS_OK);
		ck_assert_int_eq(a.v.b, 1);
		/* TOCO reads port 2 (the `m` stack): some reader must use it. */
		int reads_port2 = 0;
		for (size_t k = 0; k < hs_node_consumer_count(stub); k++) {
			hs_node *reader = hs_node_consumer(stub, k);
			for (size_t j = 0; j < hs_node_input_count(reader); j++) {
				int port;
				if (hs_node_input_node(reader, j, &port) == stub && port == 2)
					reads_port2 = 1;
			}
		}
		ck_assert(reads_port2);
	}
	ck_assert_int_eq(hs_graph_verify(g), HS_OK);
	hs_report_free(rep);
	hs_graph_free(g);
	pt_registry_free(r);
}
END_TEST

/* x -> in (hint 0) -> BODY -> out (hint 0) -> y, one call `uuid` of
 * `function`: BODY a Relu, or with `beta` a Mul(in, beta Const). */
static uint8_t *call_graph(const char *function, const char *uuid, const float *beta,
			   size_t *len)
{
	tu_graph *tg = tu_graph_new();
	tu_node(tg, "x", "Placeholder", NULL);
	tu_hint(tu_node(tg, "in", "Identity", "x", NULL), function, uuid, 1, 0, 0, NULL);
	if (beta) {
		Tensorflow__NodeDef *k = tu_node(tg, "beta", "Const", NULL);
		tu_attr_tensor(k, "value", 1, NULL, 0, NULL, 0, beta, 1, NULL, 0);
	}
	tu_node(tg, "body", beta ? "Mul" : "Relu", "in", beta ? "beta" : NULL, NULL);
	tu_hint(tu_node(tg, "out", "Identity", "body", NULL), function, uuid, 0, 0, 0, NULL);
	tu_node(tg, "y", "Identity", "out", NULL);
	uint8_t *bytes = tu_graph_pack(tg, len);
	tu_graph_free(tg);
	return bytes;
}

static uint8_t *one_call_graph(const char *uuid, size_t *len)
{
	return call_graph("TestFn", uuid, NULL, len);
}

/* A registry with test plugin `name` loaded. */
static hs_registry *loaded(const char *name)
{
	const char *const names[] = { name, NULL };
	hs_registry *r = registry_with(names, NULL);
	ck_assert_int_eq(hs_registry_load_plugin(r, name), HS_OK);
	return r;
}

START_TEST(test_emit_failure_rolls_back)
{
	hs_registry *r = loaded("failing");
	size_t len, out_len;
	uint8_t *bytes = one_call_graph("bad1", &len);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, bytes, len, "t", NULL), HS_OK);
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	opts.plan.registry = r;
	hs_report *rep = NULL;
	/* on-failure skip: the call fails alone, the graph is as it was. */
	ck_assert_int_eq(hs_convert(&rep, g, &opts), HS_OK);
	ck_assert_uint_eq(hs_report_converted(rep), 0);
	const hs_call_report *e = hs_report_entry(rep, 0);
	ck_assert_int_eq(e->result, HS_CALL_FAILED);
	ck_assert_str_eq(e->reason, "plugin failing: bad1: cannot convert this one");
	/* Skipping is the rule's choice: a warning, not an error of the run. */
	ck_assert_int_eq(e->error, 0);
	/* The report's own entry (the plan's said converted), kept: the
	 * same pointer again, and what hs_report_entry_get copies. */
	const hs_call_report *planned = hs_plan_entry(hs_report_plan(rep), 0);
	ck_assert_int_eq(planned->result, HS_CALL_CONVERTED);
	ck_assert_ptr_eq(hs_report_entry(rep, 0), e);
	ck_assert_uint_eq(e->nodes_removed, 0);
	ck_assert_uint_eq(e->nodes_added, 0);
	ck_assert_ptr_null(e->plugin);
	hs_call_report copy;
	ck_assert_int_eq(hs_report_entry_get(rep, 0, &copy, sizeof copy), HS_OK);
	ck_assert_int_eq(copy.result, HS_CALL_FAILED);
	ck_assert_ptr_eq(copy.reason, e->reason);
	ck_assert_uint_eq(copy.ordinal, 0);
	ck_assert_int_eq(hs_report_entry_get(rep, 1, &copy, sizeof copy), HS_EINVAL);
	ck_assert_uint_eq(hs_report_errors(rep), 0);
	void *out = NULL;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, g), HS_OK);
	ck_assert_uint_eq(out_len, len);
	ck_assert_int_eq(memcmp(out, bytes, len), 0);
	hs_free(out);
	hs_report_free(rep);
	hs_graph_free(g);
	/* on-failure abort: the conversion fails. */
	ck_assert_int_eq(hs_registry_load_rules_buffer(r, "on-failure abort\n", 17, "t"), HS_OK);
	ck_assert_int_eq(hs_graph_load_buffer(&g, bytes, len, "t", NULL), HS_OK);
	ck_assert_int_eq(hs_convert(&rep, g, &opts), HS_EPLUGIN);
	assert_error_contains("cannot convert this one");
	ck_assert_ptr_nonnull(rep); /* the report says which call failed */
	hs_report_free(rep);
	hs_graph_free(g);
	/* A call the plugin can convert. */
	free(bytes);
	bytes = one_call_graph("good1", &len);
	ck_assert_int_eq(hs_graph_load_buffer(&g, bytes, len, "t", NULL), HS_OK);
	ck_assert_int_eq(hs_convert(&rep, g, &opts), HS_OK);
	ck_assert_uint_eq(hs_report_converted(rep), 1);
	ck_assert_str_eq(hs_report_entry(rep, 0)->plugin, "failing");
	hs_node *stub = hs_graph_find_node(g, "good1", 5);
	ck_assert_ptr_nonnull(stub);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, stub, "claimed_by"), HS_OK);
	hs_report_free(rep);
	hs_graph_free(g);
	free(bytes);
	pt_registry_free(r);
}
END_TEST

/* Loads bytes into *g and converts them with r's plugins. */
static int convert_bytes(hs_report **rep, hs_graph **g, const uint8_t *bytes, size_t len,
			 const hs_registry *r)
{
	ck_assert_int_eq(hs_graph_load_buffer(g, bytes, len, "t", NULL), HS_OK);
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	opts.plan.registry = r;
	*rep = NULL;
	return hs_convert(rep, *g, &opts);
}

/* One verdict everywhere: a failing check fails its call as emit does. */
START_TEST(test_check_failure_verdicts)
{
	hs_registry *r = loaded("failing");
	size_t len;
	uint8_t *bytes = one_call_graph("checkfail", &len);
	hs_graph *g = NULL;
	hs_report *rep = NULL;
	/* skip: failed, a warning. */
	ck_assert_int_eq(convert_bytes(&rep, &g, bytes, len, r), HS_OK);
	const hs_call_report *e = hs_report_entry(rep, 0);
	ck_assert_int_eq(e->result, HS_CALL_FAILED);
	ck_assert_str_eq(e->reason, "plugin failing: checkfail: check exploded");
	ck_assert_int_eq(e->error, 0);
	ck_assert_ptr_null(e->plugin);
	hs_report_free(rep);
	hs_graph_free(g);
	/* abort: the conversion fails, and still hands out its report. */
	ck_assert_int_eq(hs_registry_load_rules_buffer(r, "on-failure abort\n", 17, "t"), HS_OK);
	ck_assert_int_eq(convert_bytes(&rep, &g, bytes, len, r), HS_EPLUGIN);
	ck_assert_str_eq(hs_error_last(), "plugin failing: checkfail: check exploded");
	ck_assert_ptr_nonnull(rep);
	e = hs_report_entry(rep, 0);
	ck_assert_int_eq(e->result, HS_CALL_FAILED);
	ck_assert_int_eq(e->error, 1);
	ck_assert_uint_eq(hs_report_errors(rep), 1);
	ck_assert_uint_eq(hs_report_converted(rep), 0);
	hs_report_free(rep);
	hs_graph_free(g);
	free(bytes);
	/* emit failing under abort: the report too, the others not converted. */
	bytes = one_call_graph("bad1", &len);
	ck_assert_int_eq(convert_bytes(&rep, &g, bytes, len, r), HS_EPLUGIN);
	ck_assert_ptr_nonnull(rep);
	e = hs_report_entry(rep, 0);
	ck_assert_int_eq(e->result, HS_CALL_FAILED);
	ck_assert_int_eq(e->error, 1);
	ck_assert_str_eq(e->reason, "plugin failing: bad1: cannot convert this one");
	hs_report_free(rep);
	hs_graph_free(g);
	free(bytes);
	pt_registry_free(r);
}
END_TEST

static int freed_claims(hs_registry *r, const char *plugin)
{
	ck_assert_int_eq(hs_registry_set_option(r, plugin, "freed", ""), HS_ERULES);
	int n = -1;
	ck_assert_int_eq(sscanf(hs_error_last(), "alpha: freed %d", &n), 1);
	return n;
}

START_TEST(test_claim_data_reaches_emit)
{
	hs_registry *r = loaded("alpha");
	size_t len;
	uint8_t *bytes = one_call_graph("u77", &len);
	hs_graph *g = NULL;
	hs_report *rep = NULL;
	ck_assert_int_eq(freed_claims(r, "alpha"), 0);
	ck_assert_int_eq(convert_bytes(&rep, &g, bytes, len, r), HS_OK);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, hs_graph_find_node(g, "u77", 3), "claim"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "u77"));
	ck_assert_int_eq(freed_claims(r, "alpha"), 0);
	hs_report_free(rep); /* frees the plan, and with it the claim */
	ck_assert_int_eq(freed_claims(r, "alpha"), 1);
	hs_graph_free(g);
	free(bytes);
	pt_registry_free(r);
}
END_TEST

/* check reads a constant, emit changes the op, a second run keeps it. */
START_TEST(test_fused_op_survives_a_second_run)
{
	hs_registry *r = loaded("fuser");
	size_t len, out_len;
	static const float beta = 1.75f;
	uint8_t *bytes = call_graph("MySwish", "sw1", &beta, &len);
	hs_graph *g = NULL;
	hs_report *rep = NULL;
	ck_assert_int_eq(convert_bytes(&rep, &g, bytes, len, r), HS_OK);
	ck_assert_uint_eq(hs_report_converted(rep), 1);
	hs_node *stub = hs_graph_find_node(g, "sw1", 3);
	ck_assert(hs_str_eq(hs_node_op(stub), "MySwishFused"));
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, stub, "beta"), HS_OK);
	ck_assert(a.v.f == 1.75f);
	ck_assert_int_eq(hs_node_attr(&a, stub, HS_ATTR_STUB_CALL), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "sw1"));
	void *out = NULL;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &out_len, g), HS_OK);
	hs_report_free(rep);
	hs_graph_free(g);
	/* The second run: already converted, the fused op stays. */
	ck_assert_int_eq(convert_bytes(&rep, &g, out, out_len, r), HS_OK);
	ck_assert_uint_eq(hs_report_count(rep), 1);
	ck_assert_int_eq(hs_report_entry(rep, 0)->result, HS_CALL_KEPT);
	ck_assert_str_eq(hs_report_entry(rep, 0)->reason, "already converted");
	ck_assert(hs_str_eq(hs_node_op(hs_graph_find_node(g, "sw1", 3)), "MySwishFused"));
	hs_report_free(rep);
	hs_graph_free(g);
	hs_free(out);
	free(bytes);
	pt_registry_free(r);
}
END_TEST

static Suite *plugins_suite(void)
{
	Suite *s = suite_create("plugins");
	TCase *t = tcase_create("loader");
	tcase_add_test(t, test_load_by_name);
	tcase_add_test(t, test_not_found_lists_dirs);
	tcase_add_test(t, test_env_path_searched_after_dirs_and_never_cwd);
	tcase_add_test(t, test_not_a_shared_object);
	tcase_add_test(t, test_missing_entry_symbol);
	tcase_add_test(t, test_abi_mismatch);
	tcase_add_test(t, test_init_failure);
	tcase_add_test(t, test_descriptor_names);
	tcase_add_test(t, test_duplicate_name);
	tcase_add_test(t, test_not_found_suggests);
	tcase_add_test(t, test_unknown_option_suggests);
	tcase_add_test(t, test_bad_names);
	tcase_add_test(t, test_world_writable_file_refused);
	tcase_add_test(t, test_group_writable_dir_refused);
	tcase_add_test(t, test_no_plugins_flag);
	suite_add_tcase(s, t);
	t = tcase_create("dispatch");
	tcase_add_test(t, test_load_order_decides_claim);
	tcase_add_test(t, test_check_declines_falls_through);
	tcase_add_test(t, test_explain_reasons);
	tcase_add_test(t, test_unclaimed_policies);
	tcase_add_test(t, test_cut_reason_says_so);
	tcase_add_test(t, test_emit_and_failure_policies);
	suite_add_tcase(s, t);
	t = tcase_create("builtins");
	tcase_add_test(t, test_lstm_claims_tflite_layout);
	tcase_add_test(t, test_lstm_declines_with_reasons);
	tcase_add_test(t, test_lstm_emit_options);
	tcase_add_test(t, test_rnn_layout);
	tcase_add_test(t, test_conv_chain);
	tcase_add_test(t, test_conv_declines_other_interior);
	suite_add_tcase(s, t);
	t = tcase_create("end_to_end");
	tcase_add_test(t, test_lstm_fixture_end_to_end);
	tcase_add_test(t, test_emit_failure_rolls_back);
	tcase_add_test(t, test_check_failure_verdicts);
	tcase_add_test(t, test_claim_data_reaches_emit);
	tcase_add_test(t, test_fused_op_survives_a_second_run);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	pt_begin();
	int rc = tu_run(plugins_suite());
	pt_end();
	return rc;
}
