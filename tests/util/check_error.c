/* The thread's last error (core/util/error.c). */
#include <config.h>

#include <check.h>
#include <string.h>

#include "error.h"
#include "run.h"

START_TEST(test_wrapping_the_last_message)
{
	/* What a plugin wrapping a failure does: the new message quotes the
	 * old one, which is the buffer being written. */
	ck_assert_int_eq(hs_fail(HS_EIO, "disk on fire"), HS_EIO);
	ck_assert_int_eq(hs_fail(HS_EPLUGIN, "remove refused: %s", hs_error_last()), HS_EPLUGIN);
	ck_assert_str_eq(hs_error_last(), "remove refused: disk on fire");
	ck_assert_int_eq(hs_error_last_code(), HS_EPLUGIN);
}
END_TEST

START_TEST(test_one_line_and_prefix)
{
	hs_fail(HS_EPARSE, "two\nlines\r");
	ck_assert_str_eq(hs_error_last(), "two\\nlines\\r");
	hs_error_prefix("file.pb");
	ck_assert_str_eq(hs_error_last(), "file.pb: two\\nlines\\r");
	hs_error_clear();
	ck_assert_str_eq(hs_error_last(), "");
	ck_assert_int_eq(hs_error_last_code(), HS_OK);
}
END_TEST

/* hs_escape (issue 13): one printable line of any bytes. */
static void expect_escape(const char *in, size_t len, const char *want)
{
	char out[256];
	ck_assert_uint_eq(hs_escape(out, sizeof out, in, len), len);
	ck_assert_str_eq(out, want);
	/* Idempotent: messages quote messages. */
	char again[256];
	hs_escape(again, sizeof again, out, strlen(out));
	ck_assert_str_eq(again, out);
}

START_TEST(test_escape)
{
	expect_escape("plain ascii ~", 13, "plain ascii ~");
	expect_escape("a\nhintstub: forged", 18, "a\\nhintstub: forged");
	expect_escape("\n\r\t", 3, "\\n\\r\\t");
	expect_escape("\x1b[31m\x07\x7f", 7, "\\x1b[31m\\x07\\x7f");
	expect_escape("n\0ul", 4, "n\\x00ul");
	expect_escape("\xc2\x9b" "2J", 4, "\\xc2\\x9b2J");           /* C1 CSI */
	expect_escape("\xc2\xa0\xc3\xa9\xe2\x82\xac\xf0\x9f\x99\x82", 11,
		      "\xc2\xa0\xc3\xa9\xe2\x82\xac\xf0\x9f\x99\x82");    /* kept */
	expect_escape("\xff\xc0\xaf\xed\xa0\x80\xe2\x82", 8,
		      "\\xff\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82");
	expect_escape("back\\slash", 10, "back\\slash");
	/* Never half an escape or half a character when out fills up. */
	char small[6];
	ck_assert_uint_eq(hs_escape(small, sizeof small, "ab\x1b", 3), 2);
	ck_assert_str_eq(small, "ab");
	ck_assert_uint_eq(hs_escape(small, sizeof small, "a\xe2\x82\xac\xe2\x82\xac", 7), 4);
	ck_assert_str_eq(small, "a\xe2\x82\xac");
	ck_assert_uint_eq(hs_escape(small, 5, "\x1b\x1b", 2), 1);
	ck_assert_str_eq(small, "\\x1b");
}
END_TEST

/* Every message the library sets is escaped, whatever its arguments. */
START_TEST(test_messages_escaped)
{
	hs_fail(HS_EGRAPH, "node '%s' is bad", "x\x1b]0;title\x07\nhintstub: forged\xff");
	ck_assert_str_eq(hs_error_last(),
			 "node 'x\\x1b]0;title\\x07\\nhintstub: forged\\xff' is bad");
	hs_fail(HS_EPLUGIN, "wrapped: %s", hs_error_last());
	ck_assert_str_eq(hs_error_last(),
			 "wrapped: node 'x\\x1b]0;title\\x07\\nhintstub: forged\\xff' is bad");
	hs_error_prefix("in\x1b.pb");
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "in\\x1b.pb: wrapped: "));
}
END_TEST

static int ends_cut(const char *m)
{
	size_t n = strlen(m);
	return n >= 3 && n < HS_ERROR_MAX && strcmp(m + n - 3, "...") == 0;
}

/* A message that does not fit says so: it ends in "...", cut on a
 * character and escape boundary; one that fits does not. */
START_TEST(test_cut_messages_end_in_dots)
{
	char long_text[3 * HS_ERROR_MAX];
	memset(long_text, 'a', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	hs_fail(HS_EGRAPH, "node '%s' is bad", long_text);
	ck_assert(ends_cut(hs_error_last()));
	/* Fits when formatted, not once escaped: a control byte is 4 bytes. */
	char controls[HS_ERROR_MAX / 2];
	memset(controls, 0x1b, sizeof controls - 1);
	controls[sizeof controls - 1] = '\0';
	hs_fail(HS_EGRAPH, "%s", controls);
	const char *m = hs_error_last();
	ck_assert(ends_cut(m));
	ck_assert(strncmp(m + strlen(m) - 7, "\\x1b...", 7) == 0); /* no half escape */
	/* A prefix pushes a full message over: cut between characters. */
	char euros[HS_ERROR_MAX];
	size_t k = 0;
	while (k + 3 < sizeof euros - 1) {
		memcpy(euros + k, "\xe2\x82\xac", 3);
		k += 3;
	}
	euros[k] = '\0';
	hs_fail(HS_EGRAPH, "%s", euros);
	hs_error_prefix("some/file.pb");
	m = hs_error_last();
	ck_assert(ends_cut(m));
	size_t body = strlen(m) - 3 - strlen("some/file.pb: ");
	ck_assert_uint_eq(body % 3, 0); /* whole euro signs only */
	hs_fail(HS_EGRAPH, "short");
	hs_error_prefix("f.pb");
	ck_assert_str_eq(hs_error_last(), "f.pb: short");
}
END_TEST

static Suite *error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *t = tcase_create("error");
	tcase_add_test(t, test_wrapping_the_last_message);
	tcase_add_test(t, test_one_line_and_prefix);
	tcase_add_test(t, test_escape);
	tcase_add_test(t, test_messages_escaped);
	tcase_add_test(t, test_cut_messages_end_in_dots);
	suite_add_tcase(s, t);
	return s;
}

int main(void) { return tu_run(error_suite()); }
