/* The file sink (core/graph/sink.c) and its direct writer
 * (core/graph/direct_out.c): what reaches the file is what was handed to
 * the sink, whatever the sizes of the pieces, and a failed write is
 * reported with the file's name. */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "sink.h"
#include "testutil.h"

/* Large enough for direct I/O (HS_DIRECT_MIN in sink.c is 16 MiB). */
#define LARGE_GUESS ((uint64_t)1 << 30)
#define MIB ((size_t)1 << 20)

static uint8_t *pattern(size_t len)
{
	uint8_t *p = malloc(len);
	ck_assert_ptr_nonnull(p);
	uint32_t x = 12345;
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 24);
	}
	return p;
}

/* A file of its own in a fresh directory: made, then removed with it. */
typedef struct scratch {
	char *dir, *path;
} scratch;

static scratch scratch_new(void)
{
	scratch sc;
	sc.dir = tu_tmpdir();
	sc.path = tu_path(sc.dir, "out.bin");
	return sc;
}

static void scratch_free(scratch *sc)
{
	unlink(sc->path);
	rmdir(sc->dir);
	free(sc->path);
	free(sc->dir);
}

static int is_direct(int fd)
{
	return (fcntl(fd, F_GETFL) & O_DIRECT) != 0;
}

/* Writes `len` bytes of a pattern through a file sink in pieces of
 * pseudo-random sizes (1 byte to 5 MiB: below, across and above the
 * writer's buffers), checks the file holds exactly them, and returns
 * whether the sink wrote direct. */
static int write_in_pieces(size_t len, uint64_t guess)
{
	scratch sc = scratch_new();
	const char *path = sc.path;
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	uint8_t *data = pattern(len);
	hs_sink s;
	ck_assert_int_eq(hs_sink_init_file(&s, fd, path, guess), HS_OK);
	int direct = s.direct != NULL;
	ck_assert_int_eq(is_direct(fd), direct);
	uint32_t x = (uint32_t)len;
	for (size_t at = 0; at < len;) {
		x = x * 1103515245u + 12345u;
		size_t piece = (x >> 8) % 4 == 0 ? 1 + (x >> 8) % (5 * MIB) : 1 + (x >> 8) % 9000;
		if (piece > len - at)
			piece = len - at;
		ck_assert_int_eq(hs_sink_write(&s, data + at, piece), HS_OK);
		at += piece;
	}
	ck_assert_int_eq(hs_sink_flush(&s), HS_OK);
	ck_assert_uint_eq(s.count, len);
	ck_assert(!is_direct(fd)); /* the flag is cleared again */
	hs_sink_release(&s);
	ck_assert_int_eq(close(fd), 0);
	size_t got = 0;
	uint8_t *back = tu_read_file(path, &got);
	ck_assert_uint_eq(got, len);
	ck_assert(memcmp(back, data, len) == 0);
	free(back);
	free(data);
	scratch_free(&sc);
	return direct;
}

/* Whole buffers only (no tail), an aligned end inside a buffer, an
 * unaligned tail, a file shorter than one alignment unit, and nothing. */
START_TEST(test_direct_file_holds_what_was_written)
{
	const size_t sizes[] = { 6 * MIB, 3 * MIB + 4096 * 7, 9 * MIB + 4095, 17 * MIB + 1,
				 100, 0 };
	int direct = 0;
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
		direct += write_in_pieces(sizes[i], LARGE_GUESS);
	/* A file system without O_DIRECT (some do not take it) is written
	 * buffered: the bytes are checked either way. */
	fprintf(stderr, "check_sink: %d of 6 files written direct\n", direct);
}
END_TEST

START_TEST(test_small_output_stays_buffered)
{
	ck_assert_int_eq(write_in_pieces(3 * MIB + 5, 3 * MIB + 5), 0);
}
END_TEST

/* A direct write the kernel refuses (the file may not grow past 1 MiB:
 * EFBIG) is reported by the sink with the file's name, from the thread
 * that writes to the one that asked. */
START_TEST(test_direct_write_failure_is_reported)
{
	scratch sc = scratch_new();
	const char *path = sc.path;
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rlimit rl = { MIB, MIB };
		signal(SIGXFSZ, SIG_IGN);
		int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
		if (fd < 0 || setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(10);
		uint8_t *data = pattern(8 * MIB);
		hs_sink s;
		if (hs_sink_init_file(&s, fd, path, LARGE_GUESS) != HS_OK)
			_exit(11);
		int rc = HS_OK;
		for (size_t at = 0; rc == HS_OK && at < 8 * MIB; at += 300000)
			rc = hs_sink_write(&s, data + at, at + 300000 > 8 * MIB ? 8 * MIB - at : 300000);
		if (rc == HS_OK)
			rc = hs_sink_flush(&s);
		char expected[4096];
		snprintf(expected, sizeof expected, "%s: write failed: %s", path, strerror(EFBIG));
		int ok = rc == HS_EIO && strcmp(hs_error_last(), expected) == 0;
		if (!ok)
			fprintf(stderr, "check_sink: rc %d, message '%s'\n", rc, hs_error_last());
		hs_sink_release(&s);
		close(fd);
		free(data);
		free(sc.path);
		free(sc.dir);
		_exit(ok ? 0 : 12);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	scratch_free(&sc);
}
END_TEST

/* A sink given up before its flush (an error elsewhere) stops its writer:
 * no thread or buffer outlives the release (valgrind and TSan check). */
START_TEST(test_release_without_flush)
{
	scratch sc = scratch_new();
	const char *path = sc.path;
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	uint8_t *data = pattern(5 * MIB);
	hs_sink s;
	ck_assert_int_eq(hs_sink_init_file(&s, fd, path, LARGE_GUESS), HS_OK);
	ck_assert_int_eq(hs_sink_write(&s, data, 5 * MIB), HS_OK);
	hs_sink_release(&s);
	ck_assert_ptr_null(s.direct);
	close(fd);
	free(data);
	scratch_free(&sc);
}
END_TEST

static Suite *sink_suite(void)
{
	Suite *s = suite_create("sink");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_direct_file_holds_what_was_written);
	tcase_add_test(tc, test_small_output_stays_buffered);
	tcase_add_test(tc, test_direct_write_failure_is_reported);
	tcase_add_test(tc, test_release_without_flush);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(sink_suite()); }
