/* The plugin loader on its own: this program links core/host/plugin_loader.c
 * and core/util/error.c only, not libhintstub, so it stops linking if the
 * loader ever calls into the registry again.  It hands the loader its own
 * host table, as any owner of loaded plugins would. */
#include <config.h>

#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

/* Copies test plugin `name` to DIR/sub/name.so (sub relative to dir). */
static void stage_in(const char *sub, const char *name)
{
	char src[1024], dst[1024], buf[65536];
	snprintf(src, sizeof src, "%s/tests/host/plugins/.libs/%s.so", HS_BUILD_DIR, name);
	snprintf(dst, sizeof dst, "%s/%s/%s.so", dir, sub, name);
	int in = open(src, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ck_assert_msg(in >= 0 && out >= 0, "cannot stage %s in %s", name, sub);
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

static void make_dir(const char *sub, mode_t mode)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, sub);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* Opens DIR/rel; the expected message has "%s" for the real DIR. */
static void expect_refused(const char *rel, const char *expect_fmt)
{
	/* realpath's buffer is PATH_MAX (_FORTIFY_SOURCE, as Debian builds
	 * packages, aborts on a smaller one). */
	char path[1024], real[PATH_MAX], expected[2048 + PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	ck_assert_ptr_nonnull(realpath(dir, real));
	snprintf(expected, sizeof expected, expect_fmt, real);
	hs_plugin_rt *p = (hs_plugin_rt *)&p;
	ck_assert_int_eq(hs_plugin_open_file(&p, path, NULL, &table), HS_EPLUGIN);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(hs_error_last(), expected);
}

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

/* A link in a trusted directory pointing into a world-writable one. */
START_TEST(test_symlink_into_writable_dir)
{
	make_dir("ww", 0777);
	stage_in("ww", "alpha");
	make_dir("trusted", 0755);
	char link[1024], target[1024];
	snprintf(target, sizeof target, "%s/ww/alpha.so", dir);
	snprintf(link, sizeof link, "%s/trusted/alpha.so", dir);
	ck_assert_int_eq(symlink(target, link), 0);
	expect_refused("trusted/alpha.so",
		       "plugin alpha: refusing directory %s/ww: writable by group or others");
}
END_TEST

/* Every directory up to / counts, not only the parent. */
START_TEST(test_writable_ancestor)
{
	make_dir("up", 0777);
	make_dir("up/down", 0755);
	stage_in("up/down", "alpha");
	expect_refused("up/down/alpha.so",
		       "plugin alpha: refusing directory %s/up: writable by group or others");
}
END_TEST

/* A sticky world-writable directory (as /tmp) is fine when what is in it
 * belongs to us. */
START_TEST(test_sticky_ancestor_accepted)
{
	make_dir("sticky", 01777);
	make_dir("sticky/mine", 0700);
	stage_in("sticky/mine", "alpha");
	char path[1024];
	snprintf(path, sizeof path, "%s/sticky/mine/alpha.so", dir);
	hs_plugin_rt *p = NULL;
	ck_assert_int_eq(hs_plugin_open_file(&p, path, NULL, &table), HS_OK);
	hs_plugin_close(p);
}
END_TEST

/* Owners: root or the effective user, for the file and its directories. */
START_TEST(test_foreign_owner)
{
	if (geteuid() != 0) {
		fprintf(stderr, "check_loader: owner test skipped (needs root to chown)\n");
		return;
	}
	make_dir("foreign", 0755);
	stage_in("foreign", "alpha");
	char path[1024];
	snprintf(path, sizeof path, "%s/foreign/alpha.so", dir);
	ck_assert_int_eq(chown(path, 12345, 12345), 0);
	expect_refused("foreign/alpha.so",
		       "plugin alpha: refusing %s/foreign/alpha.so: owned by uid 12345, neither root nor the effective user");
	ck_assert_int_eq(chown(path, 0, 0), 0);
	snprintf(path, sizeof path, "%s/foreign", dir);
	ck_assert_int_eq(chown(path, 12345, 12345), 0);
	expect_refused("foreign/alpha.so",
		       "plugin alpha: refusing directory %s/foreign: owned by uid 12345, neither root nor the effective user");
	ck_assert_int_eq(chown(path, 0, 0), 0);
}
END_TEST

/* A FIFO named NAME.so is refused at once instead of blocking open(). */
START_TEST(test_fifo_refused)
{
	make_dir("fifo", 0755);
	char path[1024];
	snprintf(path, sizeof path, "%s/fifo/alpha.so", dir);
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	time_t t0 = time(NULL);
	expect_refused("fifo/alpha.so", "plugin alpha: %s/fifo/alpha.so is not a regular file");
	ck_assert_int_le(time(NULL) - t0, 2);
}
END_TEST

/* Descriptor counts are bounded and arrays checked before use. */
START_TEST(test_lying_descriptors)
{
	make_dir("liars", 0755);
	stage_in("liars", "hugesigs");
	stage_in("liars", "nullargs");
	expect_refused("liars/hugesigs.so",
		       "plugin hugesigs: descriptor declares 1073741824 signatures, more than the limit of 4096");
	expect_refused("liars/nullargs.so", "plugin nullargs: signature 0 is incomplete");
}
END_TEST

/* Two plugins opened one after the other get fds of the same number:
 * each must still be itself (the loader knows objects by name). */
START_TEST(test_fd_reuse_loads_each_plugin)
{
	make_dir("pair", 0755);
	stage_in("pair", "alpha");
	stage_in("pair", "initfail");
	char a[1024], b[1024];
	snprintf(a, sizeof a, "%s/pair/alpha.so", dir);
	snprintf(b, sizeof b, "%s/pair/initfail.so", dir);
	hs_plugin_rt *pa = NULL, *pb = NULL;
	ck_assert_int_eq(hs_plugin_open_file(&pa, a, NULL, &table), HS_OK);
	ck_assert_int_eq(hs_plugin_open_file(&pb, b, NULL, &table), HS_EPLUGIN);
	ck_assert_str_eq(hs_error_last(),
			 "plugin initfail: init failed: via the test's table: needs a license file");
	hs_plugin_close(pa);
	ck_assert_int_eq(hs_plugin_open_file(&pa, a, NULL, &table), HS_OK);
	ck_assert_str_eq(pa->desc->name, "alpha");
	hs_plugin_close(pa);
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
	tcase_add_test(t, test_symlink_into_writable_dir);
	tcase_add_test(t, test_writable_ancestor);
	tcase_add_test(t, test_sticky_ancestor_accepted);
	tcase_add_test(t, test_foreign_owner);
	tcase_add_test(t, test_fifo_refused);
	tcase_add_test(t, test_lying_descriptors);
	tcase_add_test(t, test_fd_reuse_loads_each_plugin);
	suite_add_tcase(s, t);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failed++;
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
