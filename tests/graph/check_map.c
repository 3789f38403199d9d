/* HS_LOAD_MAP: a mapped input gives the graph a read copy gives, edits
 * and all; text, empty files and standard input fall back to reading;
 * unknown flags are refused; and a mapped file truncated under the graph
 * raises SIGBUS, as documented (the program turns it into an error). */
#include <config.h>

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

#define FIXTURE HS_TEST_DATA "/ophint_lstm.pb"
#define FIXTURE_TEXT HS_TEST_DATA "/ophint_lstm.pbtxt"

static hs_graph *load(const char *path, uint32_t flags)
{
	hs_load_options o = HS_LOAD_OPTIONS_INIT;
	o.flags = flags;
	hs_graph *g = NULL;
	ck_assert_msg(hs_graph_load_file(&g, path, &o) == HS_OK, "%s", hs_error_last());
	return g;
}

static uint8_t *serialize(const hs_graph *g, size_t *len)
{
	void *buf = NULL;
	ck_assert_int_eq(hs_graph_write_buffer(&buf, len, g), HS_OK);
	return buf;
}

/* Mapped or read, converted or not: the same bytes out. */
static void assert_same_as_read(const char *path)
{
	hs_graph *mapped = load(path, HS_LOAD_MAP), *read = load(path, 0);
	size_t a_len, b_len;
	uint8_t *a = serialize(mapped, &a_len), *b = serialize(read, &b_len);
	ck_assert_uint_eq(a_len, b_len);
	ck_assert(memcmp(a, b, a_len) == 0);
	hs_free(a);
	hs_free(b);
	ck_assert_int_eq(hs_convert(NULL, mapped, NULL), HS_OK);
	ck_assert_int_eq(hs_convert(NULL, read, NULL), HS_OK);
	a = serialize(mapped, &a_len);
	b = serialize(read, &b_len);
	ck_assert_uint_eq(a_len, b_len);
	ck_assert(memcmp(a, b, a_len) == 0);
	hs_free(a);
	hs_free(b);
	hs_graph_free(mapped);
	hs_graph_free(read);
}

START_TEST(test_mapped_binary_is_the_read_graph)
{
	assert_same_as_read(FIXTURE);
}
END_TEST

START_TEST(test_mapped_text_is_read)
{
	assert_same_as_read(FIXTURE_TEXT);
}
END_TEST

START_TEST(test_empty_file_is_read)
{
	char *dir = tu_tmpdir(), *path = tu_path(dir, "empty.pb");
	ck_assert_int_eq(tu_write_file(path, "", 0), 0);
	hs_graph *g = load(path, HS_LOAD_MAP);
	ck_assert_uint_eq(hs_graph_node_count(g), 0);
	hs_graph_free(g);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_unknown_flags_refused)
{
	hs_load_options o = HS_LOAD_OPTIONS_INIT;
	o.flags = 0x80;
	hs_graph *g = (hs_graph *)&o;
	ck_assert_int_eq(hs_graph_load_file(&g, FIXTURE, &o), HS_EINVAL);
	ck_assert_ptr_null(g);
	ck_assert_str_eq(hs_error_last(), "hs_load_options: unknown flags 0x80");
}
END_TEST

/* The mapping's failure mode, pinned: what cli/guard.c relies on.  The
 * child catches the SIGBUS itself (a sanitizer's own handler would turn
 * it into an exit status of its choosing; valgrind reports another
 * si_code than the kernel's BUS_ADRERR, so only the signal counts). */
static void on_sigbus(int sig)
{
	(void)sig;
	_exit(42);
}

START_TEST(test_truncated_mapping_raises_sigbus)
{
#ifdef RUNNING_ON_VALGRIND
	/* Under memcheck (make valgrind) the child dying in its handler is
	 * counted as leaking what the parent still owns, and valgrind's exit
	 * status replaces the child's. */
	if (RUNNING_ON_VALGRIND)
		return;
#endif
	char *dir = tu_tmpdir(), *path = tu_path(dir, "in.pb");
	size_t len;
	uint8_t *bytes = tu_read_file(FIXTURE, &len);
	ck_assert_int_eq(tu_write_file(path, bytes, len), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_sigbus;
		sigaction(SIGBUS, &sa, NULL);
		hs_graph *g = load(path, HS_LOAD_MAP);
		if (truncate(path, 0) != 0)
			_exit(2);
		void *out = NULL;
		size_t n;
		hs_graph_write_buffer(&out, &n, g); /* reads the mapping */
		_exit(0);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 42,
		      "status 0x%x (42: SIGBUS past the end of the mapping)", status);
	unlink(path);
	rmdir(dir);
	free(bytes);
	free(path);
	free(dir);
}
END_TEST

/* Nodes keep 32-bit offsets into the file: a file of 4 GiB is refused
 * with a message saying so, before any byte of it is read (a sparse file:
 * nothing is written or read). */
START_TEST(test_file_of_4_gib_refused)
{
#ifdef RUNNING_ON_VALGRIND
	/* memcheck may refuse a mapping that large; the fallback would then
	 * read 4 GiB. */
	if (RUNNING_ON_VALGRIND)
		return;
#endif
	char *dir = tu_tmpdir(), *path = tu_path(dir, "huge.pb");
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ftruncate(fileno(f), (off_t)((uint64_t)1 << 32)), 0);
	fclose(f);
	hs_load_options o = HS_LOAD_OPTIONS_INIT;
	o.flags = HS_LOAD_MAP;
	o.format = HS_FORMAT_BINARY;
	o.max_file_size = (uint64_t)8 << 30;
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_file(&g, path, &o), HS_ELIMIT);
	ck_assert_ptr_null(g);
	ck_assert_msg(strstr(hs_error_last(), "4294967296 bytes, more than the largest GraphDef") &&
		      strstr(hs_error_last(), "4 GiB"), "%s", hs_error_last());
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}
END_TEST

static Suite *map_suite(void)
{
	Suite *s = suite_create("map");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_mapped_binary_is_the_read_graph);
	tcase_add_test(tc, test_mapped_text_is_read);
	tcase_add_test(tc, test_empty_file_is_read);
	tcase_add_test(tc, test_unknown_flags_refused);
	tcase_add_test(tc, test_truncated_mapping_raises_sigbus);
	tcase_add_test(tc, test_file_of_4_gib_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(map_suite()); }
