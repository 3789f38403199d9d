/* Rule files: syntax, errors with file:line:col, includes, ordering,
 * options, policies and selection. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <malloc.h>

#include "dispatch.h"
#include "plugtest.h"
#include "testutil.h"

static char *plugin_dir;

/* Allocation-failure injection: skipped under ASan (HS_TEST_ASAN, run.h). */
static volatile size_t calloc_fail_count;
static volatile size_t malloc_fail_size;
static volatile int realloc_moves;

#if !HS_TEST_ASAN
/* calloc of this program, and so of the library (it calls through its
 * PLT): fails once when armed with the element count to refuse. */
extern void *__libc_calloc(size_t n, size_t size);
__attribute__((noinline)) void *calloc(size_t n, size_t size)
{
	if (calloc_fail_count && n == calloc_fail_count) {
		calloc_fail_count = 0;
		return NULL;
	}
	return __libc_calloc(n, size);
}

/* malloc fails once for the armed size; realloc always moves while armed
 * (so a caller keeping the old pointer reads freed memory). */
extern void *__libc_malloc(size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);
__attribute__((noinline)) void *malloc(size_t size)
{
	if (malloc_fail_size && size == malloc_fail_size) {
		malloc_fail_size = 0;
		return NULL;
	}
	return __libc_malloc(size);
}

__attribute__((noinline)) void *realloc(void *p, size_t size)
{
	if (!realloc_moves || !p || !size)
		return __libc_realloc(p, size);
	void *q = __libc_malloc(size);
	if (!q)
		return NULL;
	size_t old = malloc_usable_size(p);
	memcpy(q, p, old < size ? old : size);
	__libc_free(p);
	return q;
}
#endif

static hs_registry *new_registry(void)
{
	hs_registry *r = NULL;
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_ENV_PATH |
					       HS_REGISTRY_NO_SYSTEM_PATH), HS_OK);
	ck_assert_int_eq(hs_registry_add_search_dir(r, plugin_dir), HS_OK);
	return r;
}

static void setup(void)
{
	static const char *const names[] = { "alpha", "beta", "picky", "failing",
					     "initfail", NULL };
	plugin_dir = pt_stage_dir("tests", names);
	ck_assert_ptr_nonnull(plugin_dir);
}

static void teardown(void)
{
	free(plugin_dir);
}

static int load(hs_registry *r, const char *text)
{
	return hs_registry_load_rules_buffer(r, text, strlen(text), "t.rules");
}

/* The rule text must fail with exactly `message`. */
static void expect_error(const char *text, const char *message)
{
	hs_registry *r = new_registry();
	ck_assert_int_eq(load(r, text), HS_ERULES);
	ck_assert_str_eq(hs_error_last(), message);
	ck_assert_uint_eq(hs_registry_plugin_count(r), 0);
	pt_registry_free(r);
}

static const char *order(const hs_registry *r)
{
	static char buf[256];
	buf[0] = '\0';
	for (size_t i = 0; i < hs_registry_plugin_count(r); i++) {
		strcat(buf, i ? " " : "");
		strcat(buf, hs_registry_plugin(r, i)->name);
	}
	return buf;
}

static const char *claimer(const hs_registry *r)
{
	pt_call c;
	pt_call_init(&c, "TestFn", "u1");
	pt_input(&c, 0, HS_AGG_SINGLE);
	pt_input(&c, 1, HS_AGG_SINGLE);
	static hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	return claim.kind == HS_CLAIM_PLUGIN ? claim.plugin_name : "(none)";
}

/* --------------------------------------------------------------- syntax */

START_TEST(test_full_syntax)
{
	hs_registry *r = new_registry();
	ck_assert_int_eq(load(r,
		"# comment line\n"
		"\n"
		"plugin alpha   # trailing comment\n"
		"plugin beta priority 5\n"
		"option alpha.tag = \"tag with # and \\\"quotes\\\"\"\n"
		"unclaimed keep\n"
		"on-failure abort\n"
		"overlap error\n"), HS_OK);
	ck_assert_str_eq(order(r), "beta alpha");
	ck_assert_int_eq(hs_registry_failure_policy(r), HS_ON_FAILURE_ABORT);
	ck_assert_int_eq(hs_registry_overlap_policy(r), HS_OVERLAP_ERROR);
	pt_call c;
	pt_call_init(&c, "Nobody", "u");
	hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_KEEP);
	pt_registry_free(r);
}
END_TEST

START_TEST(test_syntax_errors)
{
	expect_error("plugin alpha\nfrobnicate all\n",
		     "t.rules:2:1: unknown statement 'frobnicate'");
	expect_error("  plugin Alpha\n",
		     "t.rules:1:10: 'Alpha' is not a valid plugin name ([a-z0-9_]+)");
	expect_error("plugin alpha\noption alpha.tag \"x\"\n",
		     "t.rules:2:18: expected '=' after alpha.tag");
	expect_error("option alphatag = 1\n",
		     "t.rules:1:8: expected PLUGIN.KEY, got 'alphatag'");
	expect_error("unclaimed maybe\n",
		     "t.rules:1:11: unknown unclaimed policy 'maybe' (expected generic, keep, error)");
	expect_error("on-failure retry\n",
		     "t.rules:1:12: unknown on-failure policy 'retry' (expected skip, abort)");
	expect_error("overlap\n", "t.rules:1:8: expected a policy");
	expect_error("plugin alpha\noption alpha.tag = \"open\n",
		     "t.rules:2:20: unterminated string");
	expect_error("plugin alpha priority high\n",
		     "t.rules:1:23: priority 'high' is not an integer");
	expect_error("plugin alpha sideways\n",
		     "t.rules:1:14: expected 'priority', 'before' or 'after', got 'sideways'");
	expect_error("plugin alpha\n\nplugin alpha\n",
		     "t.rules:3:8: plugin alpha already declared at t.rules:1:8");
	expect_error("unclaimed keep extra\n",
		     "t.rules:1:16: unexpected 'extra' at end of statement");
	expect_error("= 3\n", "t.rules:1:1: expected a statement, got '='");
}
END_TEST

START_TEST(test_semantic_errors)
{
	expect_error("plugin alpha before gamma\n",
		     "t.rules:1:21: unknown plugin 'gamma' (not declared by a plugin statement)");
	expect_error("plugin alpha\noption beta.tag = x\n",
		     "t.rules:2:8: option for unknown plugin 'beta'");
	expect_error("plugin alpha\noption alpha.colour = red\n",
		     "t.rules:2:8: alpha: unknown option 'colour' (tag)");
	char msg[1200];
	snprintf(msg, sizeof msg,
		 "t.rules:2:8: plugin ghost: ghost.so not found (searched: %s)", plugin_dir);
	expect_error("plugin alpha\nplugin ghost\n", msg);
}
END_TEST

/* ----------------------------------------------------- transactionality */

START_TEST(test_failed_rules_change_nothing)
{
	hs_registry *r = new_registry();
	ck_assert_int_eq(load(r, "plugin alpha\nunclaimed keep\n"), HS_OK);
	/* beta loads, then initfail fails: beta must not stay. */
	ck_assert_int_eq(load(r, "plugin beta\nplugin initfail\nunclaimed error\n"), HS_ERULES);
	ck_assert_str_eq(hs_error_last(),
			 "t.rules:2:8: plugin initfail: init failed: needs a license file");
	ck_assert_str_eq(order(r), "alpha");
	pt_call c;
	pt_call_init(&c, "Nobody", "u");
	hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_KEEP);
	pt_registry_free(r);
}
END_TEST

/* A constraint cycle found after the plugins were looked up must not
 * leave a new priority or option on a plugin loaded before. */
START_TEST(test_cycle_changes_no_loaded_plugin)
{
	hs_registry *r = new_registry();
	ck_assert_int_eq(load(r, "plugin alpha\nplugin beta\n"), HS_OK);
	ck_assert_int_eq(load(r, "plugin beta priority 10 before picky\n"
			      "plugin picky before beta\n"
			      "option alpha.tag = changed\n"), HS_ERULES);
	ck_assert(strstr(hs_error_last(), "form a cycle") != NULL);
	ck_assert_str_eq(order(r), "alpha beta");
	/* beta's priority is still its own: declaring both again keeps the
	 * declaration order. */
	ck_assert_int_eq(load(r, "plugin alpha\nplugin beta\n"), HS_OK);
	ck_assert_str_eq(order(r), "alpha beta");
	tu_graph *tg = tu_graph_new();
	tu_node(tg, "stub", "TestFn", NULL);
	hs_graph *g = tu_graph_load(tg);
	tu_graph_free(tg);
	hs_node *stub = hs_graph_find_node(g, "stub", 4);
	pt_call c;
	pt_call_init(&c, "TestFn", "u1");
	pt_input(&c, 0, HS_AGG_SINGLE);
	hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, g, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_str_eq(claim.plugin_name, "alpha");
	ck_assert_int_eq(hs_registry_emit(r, &claim, g, &c.call, &c.region, stub), HS_OK);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, stub, "claimed_by"), HS_OK);
	ck_assert(!hs_str_eq(a.v.s, "changed"));
	hs_graph_free(g);
	pt_registry_free(r);
}
END_TEST

/* A function override that runs out of memory leaves the plugin as it
 * was (it left a NULL signature table with a count, and claims crashed). */
START_TEST(test_function_option_out_of_memory)
{
	/* Under valgrind its own calloc replaces ours: nothing to inject.
	 * (Called through a pointer, as the library calls it.) */
	void *(*volatile call)(size_t, size_t) = calloc;
	calloc_fail_count = 7777;
	void *volatile probe = HS_TEST_ASAN ? NULL : call(7777, 1);
	calloc_fail_count = 0;
	if (probe || HS_TEST_ASAN) {
		free(probe);
		return;
	}
	hs_registry *r = new_registry();
	ck_assert_int_eq(load(r, "plugin alpha\n"), HS_OK);
	char *before = strdup(hs_registry_plugin_function(r, 0, 0));
	calloc_fail_count = hs_registry_plugin(r, 0)->n_signatures;
	ck_assert_int_eq(hs_registry_set_option(r, "alpha", "function", "Other"), HS_ENOMEM);
	calloc_fail_count = 0;
	ck_assert_str_eq(hs_registry_plugin_function(r, 0, 0), before);
	free(before);
	ck_assert_str_eq(claimer(r), "alpha");
	pt_registry_free(r);
}
END_TEST

/* Out of memory copying an option's value after the option table grew:
 * the table the rules keep must be the grown one (it kept the freed one,
 * and freeing the rules freed it twice). */
START_TEST(test_option_out_of_memory)
{
	void *(*volatile call)(size_t, size_t) = calloc;
	calloc_fail_count = 7777;
	void *volatile probe = HS_TEST_ASAN ? NULL : call(7777, 1);
	calloc_fail_count = 0;
	if (probe || HS_TEST_ASAN) {	/* valgrind, ASan: nothing to inject */
		free(probe);
		return;
	}
	char text[400];
	char value[200];
	memset(value, 'v', sizeof value - 1);
	value[sizeof value - 1] = '\0';
	snprintf(text, sizeof text, "plugin alpha\noption alpha.tag = a\noption alpha.tag = %s\n", value);
	hs_registry *r = new_registry();
	realloc_moves = 1;
	malloc_fail_size = sizeof value;
	int rc = load(r, text);
	realloc_moves = 0;
	malloc_fail_size = 0;
	ck_assert_int_eq(rc, HS_ENOMEM);
	ck_assert_uint_eq(hs_registry_plugin_count(r), 0);
	pt_registry_free(r);
}
END_TEST

/* ------------------------------------------------------------- ordering */

START_TEST(test_order_decides_claim)
{
	hs_registry *r = new_registry();
	ck_assert_int_eq(load(r, "plugin alpha\nplugin beta\n"), HS_OK);
	ck_assert_str_eq(claimer(r), "alpha");
	pt_registry_free(r);
	r = new_registry();
	ck_assert_int_eq(load(r, "plugin beta\nplugin alpha\n"), HS_OK);
	ck_assert_str_eq(claimer(r), "beta");
	pt_registry_free(r);
}
END_TEST

START_TEST(test_priority_and_constraints)
{
	hs_registry *r = new_registry();
	ck_assert_int_eq(load(r, "plugin alpha\nplugin beta priority 10\nplugin picky priority -1\n"), HS_OK);
	ck_assert_str_eq(order(r), "beta alpha picky");
	pt_registry_free(r);
	/* before/after win over priority. */
	r = new_registry();
	ck_assert_int_eq(load(r, "plugin alpha\nplugin beta priority 10 after alpha, picky\n"
			      "plugin picky priority -1\n"), HS_OK);
	ck_assert_str_eq(order(r), "alpha picky beta");
	ck_assert_str_eq(claimer(r), "alpha");
	pt_registry_free(r);
	r = new_registry();
	ck_assert_int_eq(load(r, "plugin alpha\nplugin beta\nplugin picky before alpha\n"), HS_OK);
	ck_assert_str_eq(order(r), "picky alpha beta");
	/* picky declines (the call has input 1): alpha converts it. */
	ck_assert_str_eq(claimer(r), "alpha");
	pt_registry_free(r);
}
END_TEST

START_TEST(test_constraint_cycle)
{
	expect_error("plugin alpha before beta\nplugin beta before picky\nplugin picky before alpha\n",
		     "t.rules:1:8: before/after constraints form a cycle: alpha -> beta -> picky -> alpha");
	expect_error("plugin alpha after beta\nplugin beta after alpha\n",
		     "t.rules:1:8: before/after constraints form a cycle: alpha -> beta -> alpha");
}
END_TEST

START_TEST(test_selection)
{
	hs_registry *r = new_registry();
	const char *names[] = { "beta", "picky" };
	ck_assert_int_eq(hs_registry_select(r, names, 2), HS_OK);
	/* Selected plugins keep rule order; ghost is never loaded; options of
	 * unselected plugins are ignored. */
	ck_assert_int_eq(load(r, "plugin picky\nplugin ghost\nplugin alpha\nplugin beta after alpha\n"
			      "option alpha.tag = x\n"), HS_OK);
	ck_assert_str_eq(order(r), "picky beta");
	pt_registry_free(r);
}
END_TEST

START_TEST(test_options_reach_plugin)
{
	hs_registry *r = new_registry();
	ck_assert_int_eq(load(r, "plugin alpha\noption alpha.tag = custom\n"), HS_OK);
	tu_graph *tg = tu_graph_new();
	tu_node(tg, "stub", "TestFn", NULL);
	hs_graph *g = tu_graph_load(tg);
	tu_graph_free(tg);
	hs_node *stub = hs_graph_find_node(g, "stub", 4);
	pt_call c;
	pt_call_init(&c, "TestFn", "u1");
	pt_input(&c, 0, HS_AGG_SINGLE);
	hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, g, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(hs_registry_emit(r, &claim, g, &c.call, &c.region, stub), HS_OK);
	hs_attr a;
	ck_assert_int_eq(hs_node_attr(&a, stub, "claimed_by"), HS_OK);
	ck_assert(hs_str_eq(a.v.s, "custom"));
	hs_graph_free(g);
	pt_registry_free(r);
}
END_TEST

/* ------------------------------------------------------------- includes */

static char *write_rules(const char *dir, const char *name, const char *text)
{
	char *path = tu_path(dir, name);
	ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
	return path;
}

START_TEST(test_include_relative)
{
	char *dir = pt_tmpdir();
	char *sub = tu_path(dir, "sub");
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	char *top = write_rules(dir, "top.rules", "include \"sub/a.rules\"\nplugin beta\n");
	free(write_rules(sub, "a.rules", "plugin alpha\ninclude b.rules\n"));
	free(write_rules(sub, "b.rules", "unclaimed error\n"));
	hs_registry *r = new_registry();
	ck_assert_int_eq(hs_registry_load_rules(r, top), HS_OK);
	ck_assert_str_eq(order(r), "alpha beta");
	pt_call c;
	pt_call_init(&c, "Nobody", "u");
	hs_claim claim;
	ck_assert_int_eq(pt_claim(&claim, r, NULL, &c.call, &c.region, NULL, NULL), HS_OK);
	ck_assert_int_eq(claim.kind, HS_CLAIM_ERROR);
	pt_registry_free(r);
	free(top);
	free(sub);
	free(dir);
}
END_TEST

START_TEST(test_include_errors)
{
	char *dir = pt_tmpdir();
	char *a = write_rules(dir, "a.rules", "plugin alpha\ninclude b.rules\n");
	char *b = write_rules(dir, "b.rules", "\n  include \"a.rules\"\n");
	char *c = write_rules(dir, "c.rules", "include missing.rules\n");
	char *d = write_rules(dir, "d.rules", "plugin alpha\ninclude e.rules\n");
	char *e = write_rules(dir, "e.rules", "plugin beta\nplugin alpha\n");
	char ra[4096], rb[4096];
	ck_assert_ptr_nonnull(realpath(a, ra));
	ck_assert_ptr_nonnull(realpath(b, rb));
	hs_registry *r = new_registry();
	char expect[20000];
	ck_assert_int_eq(hs_registry_load_rules(r, a), HS_ERULES);
	snprintf(expect, sizeof expect, "%s:2:11: include loop: %s -> %s -> %s", b, ra, rb, ra);
	ck_assert_str_eq(hs_error_last(), expect);
	ck_assert_int_eq(hs_registry_load_rules(r, c), HS_ERULES);
	snprintf(expect, sizeof expect,
		 "%s:1:9: cannot open included file %s/missing.rules: No such file or directory",
		 c, dir);
	ck_assert_str_eq(hs_error_last(), expect);
	/* Errors inside an included file name that file. */
	ck_assert_int_eq(hs_registry_load_rules(r, d), HS_ERULES);
	snprintf(expect, sizeof expect, "%s/e.rules:2:8: plugin alpha already declared at %s:1:8",
		 dir, d);
	ck_assert_str_eq(hs_error_last(), expect);
	/* A missing drop-in directory is an error like a missing file. */
	char *f = write_rules(dir, "f.rules", "include nodir\n");
	ck_assert_int_eq(hs_registry_load_rules(r, f), HS_ERULES);
	snprintf(expect, sizeof expect,
		 "%s:1:9: cannot open included file %s/nodir: No such file or directory", f, dir);
	ck_assert_str_eq(hs_error_last(), expect);
	free(f);
	/* The top-level rule file is a file. */
	ck_assert_int_eq(hs_registry_load_rules(r, dir), HS_EIO);
	snprintf(expect, sizeof expect, "%s: cannot open rule file: Is a directory", dir);
	ck_assert_str_eq(hs_error_last(), expect);
	ck_assert_int_eq(hs_registry_load_rules(r, "/nonexistent/x.rules"), HS_EIO);
	ck_assert_str_eq(hs_error_last(),
			 "/nonexistent/x.rules: cannot open rule file: No such file or directory");
	ck_assert_uint_eq(hs_registry_plugin_count(r), 0);
	pt_registry_free(r);
	free(a); free(b); free(c); free(d); free(e);
	free(dir);
}
END_TEST

/* The rule file at `path` must fail with exactly `message`. */
static void expect_file_error(const char *path, const char *message)
{
	hs_registry *r = new_registry();
	ck_assert_int_eq(hs_registry_load_rules(r, path), HS_ERULES);
	ck_assert_str_eq(hs_error_last(), message);
	hs_registry_free(r);
}

/* An included directory reads its NAME.rules in name order; other and
 * hidden files are not rules. */
START_TEST(test_include_dropin_dir)
{
	char *dir = pt_tmpdir();
	char *d = tu_path(dir, "rules.d");
	ck_assert_int_eq(mkdir(d, 0700), 0);
	free(write_rules(d, "20-beta.rules", "plugin beta\n"));
	free(write_rules(d, "10-alpha.rules", "plugin alpha\nunclaimed error\n"));
	free(write_rules(d, "README", "not rules\n"));
	free(write_rules(d, ".hidden.rules", "not rules\n"));
	char *top = write_rules(dir, "top.rules", "plugin picky\ninclude \"rules.d\"\n");
	hs_registry *r = new_registry();
	ck_assert_int_eq(hs_registry_load_rules(r, top), HS_OK);
	ck_assert_str_eq(order(r), "picky alpha beta");
	hs_registry_free(r);
	/* An error in a drop-in names the drop-in. */
	free(write_rules(d, "30-bad.rules", "plugin alpha\n"));
	char expect[8192];
	snprintf(expect, sizeof expect, "%s/30-bad.rules:1:8: plugin alpha already declared at %s/10-alpha.rules:1:8",
		 d, d);
	expect_file_error(top, expect);
	free(top);
	free(d);
	free(dir);
}
END_TEST

/* include <NAME> reads NAME in the rules directory (HINTSTUB_RULES_DIR
 * here, configure's rulesdir when unset). */
START_TEST(test_include_system)
{
	char *dir = pt_tmpdir();
	free(write_rules(dir, "site.rules", "plugin alpha\n"));
	ck_assert_int_eq(setenv("HINTSTUB_RULES_DIR", dir, 1), 0);
	hs_registry *r = new_registry();
	ck_assert_int_eq(load(r, "include <site.rules>\nplugin beta\n"), HS_OK);
	ck_assert_str_eq(order(r), "alpha beta");
	hs_registry_free(r);
	char expect[8192];
	snprintf(expect, sizeof expect,
		 "t.rules:1:9: cannot open included file %s/none.rules: No such file or directory", dir);
	expect_error("include <none.rules>\n", expect);
	snprintf(expect, sizeof expect,
		 "t.rules:1:9: include <site.rules: expected <NAME>, a name in the rules directory %s", dir);
	expect_error("include <site.rules\n", expect);
	snprintf(expect, sizeof expect,
		 "t.rules:1:9: include </site.rules>: expected <NAME>, a name in the rules directory %s", dir);
	expect_error("include </site.rules>\n", expect);
	ck_assert_int_eq(unsetenv("HINTSTUB_RULES_DIR"), 0);
	free(dir);
}
END_TEST

/* Issue 13's bomb: 16 files each including the next ten times would be
 * 10^15 reads; each file is read once, so it is 16, and a diamond is no
 * "already declared". */
START_TEST(test_include_each_file_once)
{
	char *dir = pt_tmpdir();
	for (int i = 0; i < 16; i++) {
		char name[32], text[512] = "";
		snprintf(name, sizeof name, "f%d.rules", i);
		for (int k = 0; k < 10 && i < 15; k++)
			snprintf(text + strlen(text), sizeof text - strlen(text),
				 "include f%d.rules\n", i + 1);
		if (i == 15)
			strcpy(text, "plugin alpha\n");
		free(write_rules(dir, name, text));
	}
	char *top = tu_path(dir, "f0.rules");
	hs_registry *r = new_registry();
	ck_assert_int_eq(hs_registry_load_rules(r, top), HS_OK);
	ck_assert_str_eq(order(r), "alpha");
	hs_registry_free(r);
	free(top);
	/* More distinct files than the bound: a clear error. */
	char *d = tu_path(dir, "many");
	ck_assert_int_eq(mkdir(d, 0700), 0);
	for (int i = 0; i < 257; i++) {
		char name[32];
		snprintf(name, sizeof name, "%03d.rules", i);
		free(write_rules(d, name, "# nothing\n"));
	}
	top = write_rules(dir, "many.rules", "include many\n");
	char expect[8192];
	snprintf(expect, sizeof expect, "%s:1:9: included directory %s holds more than 256 rule files",
		 top, d);
	expect_file_error(top, expect);
	free(top);
	free(d);
	free(dir);
}
END_TEST

START_TEST(test_default_rules_parse)
{
	/* The shipped file loads the built-ins, staged like installed ones. */
	char *dir = pt_tmpdir();
	static const char *const builtins[] = { "lstm", "rnn", "conv" };
	for (int i = 0; i < 3; i++)
		free(pt_stage(dir, builtins[i], builtins[i], 0755));
	hs_registry *r = NULL;
	ck_assert_int_eq(hs_registry_new(&r, HS_REGISTRY_NO_ENV_PATH |
					       HS_REGISTRY_NO_SYSTEM_PATH), HS_OK);
	ck_assert_int_eq(hs_registry_add_search_dir(r, dir), HS_OK);
	ck_assert_int_eq(hs_registry_load_rules(r, HS_SRC_DIR "/rules/default.rules"), HS_OK);
	ck_assert_str_eq(order(r), "lstm rnn conv");
	pt_registry_free(r);
	free(dir);
}
END_TEST

static Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *t = tcase_create("syntax");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_full_syntax);
	tcase_add_test(t, test_syntax_errors);
	tcase_add_test(t, test_semantic_errors);
	tcase_add_test(t, test_failed_rules_change_nothing);
	suite_add_tcase(s, t);
	t = tcase_create("ordering");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_order_decides_claim);
	tcase_add_test(t, test_priority_and_constraints);
	tcase_add_test(t, test_constraint_cycle);
	tcase_add_test(t, test_cycle_changes_no_loaded_plugin);
	tcase_add_test(t, test_function_option_out_of_memory);
	tcase_add_test(t, test_option_out_of_memory);
	tcase_add_test(t, test_selection);
	tcase_add_test(t, test_options_reach_plugin);
	suite_add_tcase(s, t);
	t = tcase_create("include");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_include_relative);
	tcase_add_test(t, test_include_errors);
	tcase_add_test(t, test_default_rules_parse);
	tcase_add_test(t, test_include_dropin_dir);
	tcase_add_test(t, test_include_system);
	tcase_add_test(t, test_include_each_file_once);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	pt_begin();
	int rc = tu_run(rules_suite());
	pt_end();
	return rc;
}
