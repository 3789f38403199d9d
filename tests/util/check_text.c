/* Text at a cursor (core/util/text.h): numbers, the plain-run scans, and
 * the escapers built on them (hs_escape_to, hs_json_str_to), checked
 * against a byte-at-a-time reading of their rules on every byte value,
 * at every position in a word, and on many mixed strings. */
#include <config.h>

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "run.h"
#include "text.h"

static void expect_u64(uint64_t v)
{
	char got[HS_TEXT_INT_MAX + 1], want[32];
	*hs_text_u64(got, v) = '\0';
	snprintf(want, sizeof want, "%" PRIu64, v);
	ck_assert_str_eq(got, want);
}

static void expect_i64(int64_t v)
{
	char got[HS_TEXT_INT_MAX + 1], want[32];
	*hs_text_i64(got, v) = '\0';
	snprintf(want, sizeof want, "%" PRId64, v);
	ck_assert_str_eq(got, want);
}

START_TEST(test_numbers)
{
	expect_u64(0);
	expect_u64(UINT64_MAX);
	expect_i64(0);
	expect_i64(-1);
	expect_i64(INT64_MIN);
	expect_i64(INT64_MAX);
	for (uint64_t v = 1; v && v < UINT64_MAX / 3; v = v * 3 + 1) {
		expect_u64(v - 1);
		expect_u64(v);
		expect_i64((int64_t)v);
		expect_i64(-(int64_t)v);
	}
	for (int64_t v = -1100; v <= 1100; v++)
		expect_i64(v);
}
END_TEST

START_TEST(test_int_max_is_the_longest)
{
	char buf[HS_TEXT_INT_MAX];
	ck_assert_int_eq(hs_text_i64(buf, INT64_MIN) - buf, HS_TEXT_INT_MAX);
	ck_assert_int_eq(hs_text_u64(buf, UINT64_MAX) - buf, HS_TEXT_INT_MAX);
}
END_TEST

static int plain(unsigned char c) { return c >= 0x20 && c <= 0x7e; }
static int json_plain(unsigned char c) { return plain(c) && c != '"' && c != '\\'; }

/* Every byte value at every position of plain strings of up to 24 bytes:
 * the runs stop exactly there. */
START_TEST(test_runs_stop_at_every_byte)
{
	unsigned char s[24];
	for (size_t len = 1; len <= sizeof s; len++)
		for (size_t at = 0; at < len; at++)
			for (int c = 0; c < 256; c++) {
				memset(s, 'a', sizeof s);
				s[at] = (unsigned char)c;
				ck_assert_uint_eq(hs_text_plain_run(s, len), plain((unsigned char)c) ? len : at);
				ck_assert_uint_eq(hs_text_json_plain_run(s, len),
						  json_plain((unsigned char)c) ? len : at);
			}
	ck_assert_uint_eq(hs_text_plain_run(s, 0), 0);
	ck_assert_uint_eq(hs_text_json_plain_run(s, 0), 0);
}
END_TEST

/* Bytes next to each other in a word whose flags could carry or borrow
 * into each other: still exact. */
START_TEST(test_runs_of_neighbours)
{
	unsigned char s[16];
	for (int a = 0; a < 256; a++)
		for (int c = 0; c < 256; c++) {
			memset(s, '~', sizeof s);
			s[5] = (unsigned char)a;
			s[6] = (unsigned char)c;
			size_t want = !plain((unsigned char)a) ? 5 : !plain((unsigned char)c) ? 6 : 16;
			ck_assert_uint_eq(hs_text_plain_run(s, sizeof s), want);
			want = !json_plain((unsigned char)a) ? 5 : !json_plain((unsigned char)c) ? 6 : 16;
			ck_assert_uint_eq(hs_text_json_plain_run(s, sizeof s), want);
		}
}
END_TEST

/* The JSON string rules read a byte at a time (json.h): the oracle. */
static size_t json_reference(char *out, const unsigned char *s, size_t len)
{
	size_t k = 0;
	out[k++] = '"';
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t step = 1, bad = 0;
		if (c == '"' || c == '\\') {
			out[k++] = '\\';
			out[k++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			k += (size_t)sprintf(out + k, "\\u%04x", c);
		} else if (c < 0x80) {
			out[k++] = (char)c;
		} else if ((step = hs_utf8_sequence(s + i, len - i, &bad)) == 0) {
			k += (size_t)sprintf(out + k, "\\ufffd");
			step = bad;
		} else if (c == 0xc2 && s[i + 1] < 0xa0) {
			k += (size_t)sprintf(out + k, "\\u%04x", s[i + 1]);
		} else {
			memcpy(out + k, s + i, step);
			k += step;
		}
		i += step;
	}
	out[k++] = '"';
	return k;
}

/* hs_escape_to and hs_json_str_to of s against the oracles (hs_escape
 * itself, unit by unit, for the printable form), within their rooms. */
static void check_escapes(const unsigned char *s, size_t len)
{
	char got[HS_JSON_STR_ROOM(64)], want[HS_JSON_STR_ROOM(64) + 8];
	ck_assert_uint_le(len, 64);
	size_t n = (size_t)(hs_escape_to(got, (const char *)s, len) - got);
	ck_assert_uint_le(n, HS_ESCAPE_ROOM(len));
	ck_assert_uint_eq(hs_escape(want, HS_ESCAPE_ROOM(len) + 1, (const char *)s, len), len);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert(memcmp(got, want, n) == 0);
	n = (size_t)(hs_json_str_to(got, (const char *)s, len) - got);
	ck_assert_uint_le(n, HS_JSON_STR_ROOM(len));
	ck_assert_uint_eq(n, json_reference(want, s, len));
	ck_assert(memcmp(got, want, n) == 0);
}

START_TEST(test_escapes_every_byte_and_pair)
{
	unsigned char s[2];
	for (int a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		check_escapes(s, 1);
		for (int c = 0; c < 256; c++) {
			s[1] = (unsigned char)c;
			check_escapes(s, 2);
		}
	}
	check_escapes((const unsigned char *)"", 0);
}
END_TEST

/* Strings of bytes that begin, continue, break or end UTF-8 sequences,
 * with plain runs long enough to be read a word at a time. */
START_TEST(test_escapes_mixed_strings)
{
	static const unsigned char pieces[] = {
		0x00, 0x09, 0x0a, 0x0d, 0x1f, 0x20, '"', '\\', 'a', 0x7e, 0x7f,
		0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed,
		0xef, 0xf0, 0xf4, 0xf5, 0xff,
	};
	unsigned char s[40];
	uint32_t seed = 12345;
	for (int round = 0; round < 100000; round++) {
		size_t len = (seed = seed * 1103515245 + 12345) >> 16 & 31;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			unsigned r = seed >> 16;
			s[i] = r & 1 ? 'x' : pieces[(r >> 1) % sizeof pieces];
		}
		check_escapes(s, len);
	}
}
END_TEST

static Suite *text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_int_max_is_the_longest);
	tcase_add_test(tc, test_runs_stop_at_every_byte);
	tcase_add_test(tc, test_runs_of_neighbours);
	tcase_add_test(tc, test_escapes_every_byte_and_pair);
	tcase_add_test(tc, test_escapes_mixed_strings);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return tu_run(text_suite()); }
