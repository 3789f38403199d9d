/* The plugin loader on its own: this program links core/host/plugin_loader.c
 * and core/util/error.c only, not libhintstub, so it stops linking if the
 * loader ever calls into the registry again.  It hands the loader its own
 * host table, as any owner of loaded plugins would. */
#include <config.h>

#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "plugin_loader.h"

static char dir[512];

/* A private 0700 directory holding copies of test plugins. */
static void stage(const char *name)
{
	char src[1024], dst[1024], buf[65536];
	snprintf(src, sizeof src, "%s/tests/host/plugins/.libs/%s.so", HS_BUILD_DIR, name);
	snprintf(dst, sizeof dst, "%s/%s.so", dir, name);
	int in = open(src, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ck_assert_msg(in >= 0 && out >= 0, "cannot stage %s", name);
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

static int test_fail(int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return hs_fail(code, "via the test's table: %s", msg);
}

static void test_warn(const char *fmt, ...) { (void)fmt; }

/* Only the members up to warn: what the test plugins' init checks. */
static const hs_plugin_host table = {
	.struct_size = offsetof(hs_plugin_host, str_eq),
	.version = 1,
	.host_version = "test",
	.alloc = malloc,
	.realloc = realloc,
	.free = free,
	.fail = test_fail,
	.warn = test_warn,
};

static hs_plugin_search search(void)
{
	static const char *dirs[1];
	dirs[0] = dir;
	return (hs_plugin_search){ .dirs = dirs, .n_dirs = 1 };
}

START_TEST(test_open_by_name)
{
	stage("alpha");
	hs_plugin_search s = search();
	hs_plugin_rt *p = NULL;
	ck_assert_int_eq(hs_plugin_open_name(&p, &s, "alpha", &table), HS_OK);
	ck_assert_str_eq(p->name, "alpha");
	ck_assert_str_eq(p->desc->name, "alpha");
	ck_assert_uint_eq(p->n_sigs, 1);
	ck_assert_str_eq(p->sigs[0].function, "TestFn");
	ck_assert_uint_eq(p->decl, 0); /* the owner's to set */
	ck_assert_int_eq(hs_plugin_set_option(p, "function", "Other"), HS_OK);
	ck_assert_str_eq(p->sigs[0].function, "Other");
	hs_plugin_close(p);
}
END_TEST

START_TEST(test_not_found_names_the_search)
{
	hs_plugin_search s = search();
	hs_plugin_rt *p = (hs_plugin_rt *)&p;
	ck_assert_int_eq(hs_plugin_open_name(&p, &s, "ghost", &table), HS_ENOTFOUND);
	ck_assert_ptr_null(p);
	char expected[1024];
	snprintf(expected, sizeof expected,
		 "plugin ghost: ghost.so not found (searched: %s)", dir);
	ck_assert_str_eq(hs_error_last(), expected);
	s.n_dirs = 0;
	ck_assert_int_eq(hs_plugin_open_name(&p, &s, "ghost", &table), HS_ENOTFOUND);
	ck_assert_str_eq(hs_error_last(),
			 "plugin ghost: ghost.so not found (searched: no directory)");
}
END_TEST

START_TEST(test_init_gets_the_given_table)
{
	stage("initfail");
	hs_plugin_search s = search();
	hs_plugin_rt *p = NULL;
	ck_assert_int_eq(hs_plugin_open_name(&p, &s, "initfail", &table), HS_EPLUGIN);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(hs_error_last(),
			 "plugin initfail: init failed: via the test's table: needs a license file");
}
END_TEST

int main(void)
{
	snprintf(dir, sizeof dir, "%s/tests/tmp-loader-XXXXXX", HS_BUILD_DIR);
	if (!mkdtemp(dir))
		return EXIT_FAILURE;
	Suite *s = suite_create("loader");
	TCase *t = tcase_create("standalone");
	tcase_add_test(t, test_open_by_name);
	tcase_add_test(t, test_not_found_names_the_search);
	tcase_add_test(t, test_init_gets_the_given_table);
	suite_add_tcase(s, t);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char path[1024];
	const char *staged[] = { "alpha", "initfail" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s.so", dir, staged[i]);
		unlink(path);
	}
	rmdir(dir);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
