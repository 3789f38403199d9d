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

static Suite *error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *t = tcase_create("error");
	tcase_add_test(t, test_wrapping_the_last_message);
	tcase_add_test(t, test_one_line_and_prefix);
	suite_add_tcase(s, t);
	return s;
}

int main(void) { return tu_run(error_suite()); }
