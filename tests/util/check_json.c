/* The JSON string writer (core/json.c): escapes, UTF-8 kept or replaced,
 * failed allocations reported. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "run.h"

/* Allocation-failure injection (as in check_rules.c): realloc of this
 * program, and so of the buffer, fails while armed; skipped under ASan,
 * which intercepts the allocator itself (HS_TEST_ASAN, run.h). */
static volatile int realloc_fails;

#if !HS_TEST_ASAN
extern void *__libc_realloc(void *p, size_t size);
__attribute__((noinline)) void *realloc(void *p, size_t size)
{
	return realloc_fails ? NULL : __libc_realloc(p, size);
}
#endif

/* s as written by hs_json_put_str, NUL-terminated (caller frees). */
static char *json(const char *s, size_t len)
{
	hs_buf b = { NULL, 0, 0, 0 };
	ck_assert_int_eq(hs_json_put_str(&b, s, len), HS_OK);
	hs_buf_put(&b, "", 1);
	ck_assert(!b.failed);
	return (char *)b.data;
}

static void expect(const char *in, size_t len, const char *want)
{
	char *got = json(in, len);
	ck_assert_str_eq(got, want);
	free(got);
}

#define EXPECT(lit, want) expect(lit, sizeof lit - 1, want)

START_TEST(test_plain_and_escaped)
{
	EXPECT("", "\"\"");
	EXPECT("scope/node_1:0", "\"scope/node_1:0\"");
	EXPECT("a\"b\\c", "\"a\\\"b\\\\c\"");
	EXPECT("tab\there\nnew\x01\x1f", "\"tab\\u0009here\\u000anew\\u0001\\u001f\"");
	EXPECT("nul\0byte", "\"nul\\u0000byte\"");
	EXPECT("del\x7f", "\"del\\u007f\"");
}
END_TEST

/* Well-formed UTF-8 of every length, the extremes included, unchanged. */
START_TEST(test_valid_utf8_kept)
{
	EXPECT("caf\xc3\xa9", "\"caf\xc3\xa9\"");                    /* U+00E9 */
	EXPECT("\xc2\xa0\xdf\xbf", "\"\xc2\xa0\xdf\xbf\"");          /* U+00A0, U+07FF */
	EXPECT("\xc2\x80\xc2\x9b", "\"\\u0080\\u009b\"");           /* C1 controls */
	EXPECT("\xe0\xa0\x80\xe2\x82\xac\xef\xbf\xbf",
	       "\"\xe0\xa0\x80\xe2\x82\xac\xef\xbf\xbf\"");         /* U+0800, U+20AC, U+FFFF */
	EXPECT("\xed\x9f\xbf\xee\x80\x80", "\"\xed\x9f\xbf\xee\x80\x80\""); /* U+D7FF, U+E000 */
	EXPECT("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
	       "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");             /* U+10000, U+10FFFF */
	EXPECT("\xe6\x97\xa5\xe6\x9c\xac/\xf0\x9f\x98\x80",
	       "\"\xe6\x97\xa5\xe6\x9c\xac/\xf0\x9f\x98\x80\"");
}
END_TEST

START_TEST(test_overlong_replaced)
{
	EXPECT("\xc0\xaf", "\"\\ufffd\\ufffd\"");          /* '/' in two bytes */
	EXPECT("\xc1\xbf", "\"\\ufffd\\ufffd\"");
	EXPECT("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");
	EXPECT("\xf0\x80\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}
END_TEST

START_TEST(test_surrogates_and_out_of_range_replaced)
{
	EXPECT("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");         /* U+D800 */
	EXPECT("a\xed\xbf\xbf" "b", "\"a\\ufffd\\ufffd\\ufffdb\"");  /* U+DFFF */
	EXPECT("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* U+110000 */
	EXPECT("\xf5\x80\xff\xfe", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}
END_TEST

/* A sequence cut short is one U+FFFD (its maximal subpart); what follows
 * is read afresh. */
START_TEST(test_truncated_replaced)
{
	EXPECT("\xe2\x82", "\"\\ufffd\"");
	EXPECT("x\xe2\x82y", "\"x\\ufffdy\"");
	EXPECT("\xf0\x9f\x98", "\"\\ufffd\"");
	EXPECT("\xf0\x9f\x98\xc3\xa9", "\"\\ufffd\xc3\xa9\"");
	EXPECT("\xc3", "\"\\ufffd\"");
	EXPECT("\xc3\"", "\"\\ufffd\\\"\"");
	EXPECT("\x80\xbf", "\"\\ufffd\\ufffd\"");                    /* stray continuations */
}
END_TEST

START_TEST(test_null_and_raw)
{
	hs_buf b = { NULL, 0, 0, 0 };
	ck_assert_int_eq(hs_json_put_cstr_or_null(&b, NULL), HS_OK);
	ck_assert_int_eq(hs_json_put_raw(&b, ","), HS_OK);
	ck_assert_int_eq(hs_json_put_cstr_or_null(&b, "x"), HS_OK);
	ck_assert_int_eq(hs_json_put_raw(&b, ","), HS_OK);
	ck_assert_int_eq(hs_json_put_size(&b, 18446744073709551615u), HS_OK);
	hs_buf_put(&b, "", 1);
	ck_assert_str_eq((char *)b.data, "null,\"x\",18446744073709551615");
	hs_buf_free(&b);
}
END_TEST

/* A buffer that cannot grow: HS_ENOMEM with a message, the buffer marked
 * failed, and later writes fail too instead of writing a shortened text. */
START_TEST(test_allocation_failure_reported)
{
	/* Under valgrind its own realloc replaces ours: nothing to inject.
	 * (Called through a pointer, as the library calls it.) */
	void *(*volatile call)(void *, size_t) = realloc;
	realloc_fails = 1;
	void *volatile probe = HS_TEST_ASAN ? NULL : call(NULL, 16);
	realloc_fails = 0;
	if (probe || HS_TEST_ASAN) {
		free(probe);
		return;
	}
	hs_buf b = { NULL, 0, 0, 0 };
	hs_error_clear();
	realloc_fails = 1;
	int rc = hs_json_put_str(&b, "abc", 3);
	realloc_fails = 0;
	ck_assert_int_eq(rc, HS_ENOMEM);
	ck_assert(b.failed);
	ck_assert_str_eq(hs_error_last(), "out of memory writing JSON");
	ck_assert_int_eq(hs_json_put_raw(&b, "x"), HS_ENOMEM);
	ck_assert_int_eq(hs_json_put_size(&b, 1), HS_ENOMEM);
	hs_buf_free(&b);

	/* Growing past the first block fails in the middle of a string. */
	char big[600];
	memset(big, 'a', sizeof big);
	ck_assert_int_eq(hs_json_put_str(&b, "ok", 2), HS_OK);
	realloc_fails = 1;
	rc = hs_json_put_str(&b, big, sizeof big);
	realloc_fails = 0;
	ck_assert_int_eq(rc, HS_ENOMEM);
	hs_buf_free(&b);
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_plain_and_escaped);
	tcase_add_test(tc, test_valid_utf8_kept);
	tcase_add_test(tc, test_overlong_replaced);
	tcase_add_test(tc, test_surrogates_and_out_of_range_replaced);
	tcase_add_test(tc, test_truncated_replaced);
	tcase_add_test(tc, test_null_and_raw);
	tcase_add_test(tc, test_allocation_failure_reported);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(json_suite()); }
