/* Output failures: a full disk, a process killed while writing, a missing
 * or read-only directory, a FIFO, a full standard output.  Whatever
 * happens, the previous output is intact and no temporary file remains. */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define FIXTURE HS_TEST_DATA "/ophint_lstm.pb"
#define OLD "previous output\n"

static int file_is(const char *path, const void *data, size_t len)
{
	size_t got;
	uint8_t *p = tu_read_file(path, &got);
	int same = p && got == len && memcmp(p, data, len) == 0;
	free(p);
	return same;
}

/* Removes a test directory and what it holds (one level): distcheck
 * wants the build tree clean. */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	chmod(dir, 0700);
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = tu_path(dir, e->d_name);
		if (unlink(p) != 0)
			rmdir(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

/* A kill between naming the finished output and renaming it over the
 * old one (two system calls: Linux cannot link a file over another) leaves
 * the whole new file under its temporary name, never part of one.  Such a
 * leftover is checked and removed; 1 when there was one. */
static int complete_leftover(const char *dir, const char *out, const void *data, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char *p = tu_path(dir, e->d_name);
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(p, out)) {
			ck_assert_msg(strncmp(e->d_name, ".hintstub-", 10) == 0,
				      "unexpected file %s", e->d_name);
			ck_assert_msg(file_is(p, data, len), "%s is not the whole output", e->d_name);
			unlink(p);
			found = 1;
		}
		free(p);
	}
	closedir(d);
	return found;
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

/* A graph of one Const node holding `size` bytes of tensor content, so that
 * writing it takes a while. */
static uint8_t *big_graph(size_t size, size_t *len)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "big", "Const", NULL);
	size_t packed;
	uint8_t *head = tu_graph_pack(t, &packed);
	tu_graph_free(t);
	/* Append an attr entry by hand: key "value", AttrValue.tensor (8) with
	 * tensor_content (4) of `size` zero bytes. */
	uint8_t *out = calloc(1, packed + size + 64);
	size_t n = 0;
	uint8_t tmp[64];
	/* Re-frame: node field = original body + attr entry. */
	size_t body_len = packed - 2; /* the small node has a 1-byte length */
	ck_assert_uint_lt(body_len, 128);
	size_t t_len = 1 + 5 + size;            /* tensor_content field */
	size_t v_len = 1 + 5 + t_len;           /* AttrValue.tensor field */
	size_t e_len = 7 + 1 + 5 + v_len;       /* key + value fields */
	size_t node_len = body_len + 1 + 5 + e_len;
#define VARINT5(v) do { uint64_t _v = (v); for (int _i = 0; _i < 4; _i++) { \
	out[n++] = (uint8_t)(_v | 0x80); _v >>= 7; } out[n++] = (uint8_t)_v; } while (0)
	out[n++] = 0x0a;
	VARINT5(node_len);
	memcpy(out + n, head + 2, body_len);
	n += body_len;
	out[n++] = 0x2a;
	VARINT5(e_len);
	memcpy(tmp, "\x0a\x05value", 7);
	memcpy(out + n, tmp, 7);
	n += 7;
	out[n++] = 0x12;
	VARINT5(v_len);
	out[n++] = 0x42;
	VARINT5(t_len);
	out[n++] = 0x22;
	VARINT5(size);
	n += size;
#undef VARINT5
	free(head);
	*len = n;
	return out;
}

START_TEST(test_disk_full_keeps_previous_output)
{
	char *dir = tu_tmpdir();
	char *out = tu_path(dir, "out.pb");
	ck_assert_int_eq(tu_write_file(out, OLD, strlen(OLD)), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* Files may not grow past 4 KiB: write() fails with EFBIG. */
		struct rlimit rl = { 4096, 4096 };
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(10);
		hs_graph *g = NULL;
		if (hs_graph_load_file(&g, FIXTURE, NULL) != HS_OK)
			_exit(11);
		int rc = hs_graph_write_file(g, out);
		char expected[1024];
		snprintf(expected, sizeof expected, "%s: write failed: %s", out,
			 strerror(EFBIG));
		int ok = rc == HS_EIO && strcmp(hs_error_last(), expected) == 0;
		/* Children free what they hold: valgrind checks them too. */
		hs_graph_free(g);
		free(out);
		free(dir);
		_exit(ok ? 0 : 12);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert(file_is(out, OLD, strlen(OLD)));
	ck_assert_int_eq(tu_dir_count(dir), 1);
	free(out);
	remove_tree(dir);
	free(dir);
}
END_TEST

/* The file is reserved at the input's size before it is written and cut
 * to what was written: an output much smaller than its input (the big
 * node removed) keeps no reserved block, one larger than its input (many
 * nodes added) is whole; both are the bytes hs_graph_write_buffer gives. */
static void check_file_is_buffer(const hs_graph *g, const char *path)
{
	void *buf = NULL;
	size_t len = 0;
	struct stat st;
	ck_assert_int_eq(hs_graph_write_buffer(&buf, &len, g), HS_OK);
	ck_assert_int_eq(hs_graph_write_file(g, path), HS_OK);
	ck_assert(file_is(path, buf, len));
	ck_assert_int_eq(stat(path, &st), 0);
	/* Blocks of 512 bytes; a file system block or two of slack. */
	ck_assert_int_le((long long)st.st_blocks * 512, (long long)len + 65536);
	hs_free(buf);
}

START_TEST(test_output_size_is_what_was_written)
{
	char *dir = tu_tmpdir();
	char *out = tu_path(dir, "out.pb");
	size_t len;
	uint8_t *bytes = big_graph(4 << 20, &len);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, bytes, len, "big", NULL), HS_OK);
	ck_assert_int_eq(hs_graph_remove_node(g, hs_graph_find_node(g, "big", 3)), HS_OK);
	hs_node *n = NULL;
	ck_assert_int_eq(hs_graph_add_node(&n, g, "small", "NoOp", NULL), HS_OK);
	check_file_is_buffer(g, out);
	hs_graph_free(g);
	free(bytes);

	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	for (int i = 0; i < 20000; i++) {
		char name[32];
		snprintf(name, sizeof name, "added_%d", i);
		ck_assert_int_eq(hs_graph_add_node(&n, g, name, "NoOp", NULL), HS_OK);
	}
	check_file_is_buffer(g, out); /* over the previous output */
	hs_graph_free(g);
	ck_assert_int_eq(tu_dir_count(dir), 1);
	free(out);
	remove_tree(dir);
	free(dir);
}
END_TEST

/* SIGKILL at many moments while a 32 MiB graph is written over a previous
 * output: afterwards the output is the old file or the complete new one,
 * and the directory holds nothing else. */
START_TEST(test_killed_mid_write)
{
	size_t len;
	uint8_t *bytes = big_graph((size_t)32 << 20, &len);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, bytes, len, "big", NULL), HS_OK);
	char *dir = tu_tmpdir();
	char *out = tu_path(dir, "out.pb");
	int old_seen = 0, new_seen = 0, named = 0;
	for (int round = 0; round < 12; round++) {
		ck_assert_int_eq(tu_write_file(out, OLD, strlen(OLD)), 0);
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0)
			_exit(hs_graph_write_file(g, out) == HS_OK ? 0 : 1);
		sleep_us(round * 4000L);
		kill(pid, SIGKILL);
		int status;
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		if (file_is(out, OLD, strlen(OLD)))
			old_seen++;
		else if (file_is(out, bytes, len))
			new_seen++;
		else
			ck_abort_msg("round %d: output is neither the old nor the new file", round);
		named += complete_leftover(dir, out, bytes, len);
		ck_assert_msg(tu_dir_count(dir) == 1, "round %d: %d files left", round,
			      tu_dir_count(dir));
	}
	fprintf(stderr, "check_io: killed mid-write: %d old, %d new, %d named not renamed\n",
		old_seen, new_seen, named);
	ck_assert_int_gt(old_seen, 0); /* some kills did land mid-write */
	hs_graph_free(g);
	free(bytes);
	free(out);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_missing_directory)
{
	char *dir = tu_tmpdir();
	char *out = tu_path(dir, "no/out.pb");
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	ck_assert_int_eq(hs_graph_write_file(g, out), HS_EIO);
	char expected[1024];
	snprintf(expected, sizeof expected,
		 "%s: cannot create a temporary file in '%s/no': %s", out, dir,
		 strerror(ENOENT));
	ck_assert_str_eq(hs_error_last(), expected);
	ck_assert_int_eq(tu_dir_count(dir), 0);
	hs_graph_free(g);
	free(out);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_read_only_directory)
{
	if (geteuid() == 0) {
		fprintf(stderr, "check_io: read-only directory test skipped: running as root, "
			"permissions are not enforced\n");
		return;
	}
	char *dir = tu_tmpdir();
	char *out = tu_path(dir, "out.pb");
	ck_assert_int_eq(tu_write_file(out, OLD, strlen(OLD)), 0);
	ck_assert_int_eq(chmod(dir, 0555), 0);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	ck_assert_int_eq(hs_graph_write_file(g, out), HS_EIO);
	ck_assert_ptr_nonnull(strstr(hs_error_last(), strerror(EACCES)));
	chmod(dir, 0755);
	ck_assert(file_is(out, OLD, strlen(OLD)));
	ck_assert_int_eq(tu_dir_count(dir), 1);
	hs_graph_free(g);
	free(out);
	remove_tree(dir);
	free(dir);
}
END_TEST

/* A FIFO is written to, not replaced by a regular file. */
START_TEST(test_fifo_is_written_not_replaced)
{
	char *dir = tu_tmpdir();
	char *fifo = tu_path(dir, "pipe");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	size_t len;
	uint8_t *want = tu_read_file(FIXTURE, &len);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		hs_graph *g = NULL;
		int rc = hs_graph_load_file(&g, FIXTURE, NULL);
		if (rc == HS_OK)
			rc = hs_graph_write_file(g, fifo);
		hs_graph_free(g);
		free(want);
		free(fifo);
		free(dir);
		_exit(rc == HS_OK ? 0 : 2);
	}
	int fd = open(fifo, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	uint8_t *got = malloc(len + 1);
	size_t n = 0;
	ssize_t r;
	while ((r = read(fd, got + n, len + 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_uint_eq(n, len);
	ck_assert_int_eq(memcmp(got, want, len), 0);
	struct stat st;
	ck_assert_int_eq(stat(fifo, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(tu_dir_count(dir), 1);
	free(got);
	free(want);
	free(fifo);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_symlink_target_replaced_link_kept)
{
	char *dir = tu_tmpdir();
	char *real = tu_path(dir, "real.pb"), *link = tu_path(dir, "link.pb");
	ck_assert_int_eq(tu_write_file(real, OLD, strlen(OLD)), 0);
	ck_assert_int_eq(symlink("real.pb", link), 0);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	ck_assert_int_eq(hs_graph_write_file(g, link), HS_OK);
	struct stat st;
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	size_t len;
	uint8_t *want = tu_read_file(FIXTURE, &len);
	ck_assert(file_is(real, want, len));
	ck_assert_int_eq(tu_dir_count(dir), 2);
	free(want);
	hs_graph_free(g);
	free(real);
	free(link);
	remove_tree(dir);
	free(dir);
}
END_TEST

/* Writes the fixture to `out` under the umask `mask`, gives back the
 * umask found afterwards and the written file's mode. */
static void write_fixture_under_umask(const char *out, mode_t mask,
				      mode_t *umask_after, mode_t *mode)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	mode_t old = umask(mask);
	int rc = hs_graph_write_file(g, out);
	*umask_after = umask(old);
	hs_graph_free(g);
	ck_assert_msg(rc == HS_OK, "%s", hs_error_last());
	struct stat st;
	ck_assert_int_eq(stat(out, &st), 0);
	*mode = st.st_mode & 07777;
}

/* A new file gets 0666 less the umask, as any new file does; the writer
 * reads the umask from nowhere (it is never set and restored). */
START_TEST(test_new_file_mode_follows_umask)
{
	char *dir = tu_tmpdir();
	char *out = tu_path(dir, "out.pb");
	mode_t after, mode;
	write_fixture_under_umask(out, 027, &after, &mode);
	ck_assert_int_eq(after, 027);
	ck_assert_int_eq(mode, 0640);
	ck_assert_int_eq(tu_dir_count(dir), 1);
	free(out);
	remove_tree(dir);
	free(dir);
}
END_TEST

/* A replaced file keeps its mode, whatever the umask; the signal mask of
 * the writing thread is left alone. */
START_TEST(test_replaced_file_keeps_mode)
{
	char *dir = tu_tmpdir();
	char *out = tu_path(dir, "out.pb");
	ck_assert_int_eq(tu_write_file(out, OLD, strlen(OLD)), 0);
	ck_assert_int_eq(chmod(out, 0604), 0);
	sigset_t before, now;
	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, NULL, &before), 0);
	mode_t after, mode;
	write_fixture_under_umask(out, 077, &after, &mode);
	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, NULL, &now), 0);
	for (int sig = 1; sig < 32; sig++)
		ck_assert_int_eq(sigismember(&before, sig), sigismember(&now, sig));
	ck_assert_int_eq(mode, 0604);
	size_t len;
	uint8_t *want = tu_read_file(FIXTURE, &len);
	ck_assert(file_is(out, want, len));
	ck_assert_int_eq(tu_dir_count(dir), 1);
	free(want);
	free(out);
	remove_tree(dir);
	free(dir);
}
END_TEST

/* Root replacing another user's file (issue 13): the file stays that
 * user's and group's, and set-id bits are dropped (they used to make a
 * root-owned set-uid file of the user's 04755 graph).  Without root the
 * owner is the writer's anyway: the mode half still runs. */
START_TEST(test_replaced_file_keeps_owner_drops_setid)
{
	char *dir = tu_tmpdir();
	char *out = tu_path(dir, "out.pb");
	ck_assert_int_eq(tu_write_file(out, OLD, strlen(OLD)), 0);
	int root = geteuid() == 0;
	if (root)
		ck_assert_int_eq(chown(out, 12345, 23456), 0);
	ck_assert_int_eq(chmod(out, 06755), 0);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, NULL), HS_OK);
	ck_assert_int_eq(hs_graph_write_file(g, out), HS_OK);
	hs_graph_free(g);
	struct stat st;
	ck_assert_int_eq(stat(out, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0755);
	if (root) {
		ck_assert_int_eq(st.st_uid, 12345);
		ck_assert_int_eq(st.st_gid, 23456);
	}
	ck_assert_int_eq(tu_dir_count(dir), 1);
	free(out);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_full_stdout)
{
	int full = open("/dev/full", O_WRONLY);
	if (full < 0) {
		fprintf(stderr, "check_io: /dev/full test skipped: %s\n", strerror(errno));
		return;
	}
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(full, STDOUT_FILENO);
		hs_graph *g = NULL;
		if (hs_graph_load_file(&g, FIXTURE, NULL) != HS_OK)
			_exit(1);
		int rc = hs_graph_write_file(g, "-");
		char expected[256];
		snprintf(expected, sizeof expected, "<stdout>: write failed: %s",
			 strerror(ENOSPC));
		int ok = rc == HS_EIO && strcmp(hs_error_last(), expected) == 0;
		hs_graph_free(g);
		_exit(ok ? 0 : 2);
	}
	close(full);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

static Suite *io_suite(void)
{
	Suite *s = suite_create("io");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_disk_full_keeps_previous_output);
	tcase_add_test(tc, test_killed_mid_write);
	tcase_add_test(tc, test_output_size_is_what_was_written);
	tcase_add_test(tc, test_missing_directory);
	tcase_add_test(tc, test_read_only_directory);
	tcase_add_test(tc, test_fifo_is_written_not_replaced);
	tcase_add_test(tc, test_symlink_target_replaced_link_kept);
	tcase_add_test(tc, test_full_stdout);
	tcase_add_test(tc, test_new_file_mode_follows_umask);
	tcase_add_test(tc, test_replaced_file_keeps_mode);
	tcase_add_test(tc, test_replaced_file_keeps_owner_drops_setid);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(io_suite()); }
