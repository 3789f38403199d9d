/* .npy read and write (core/eval/npy.c): round trips, files numpy wrote
 * (when a Python 3 with numpy is there), and one clear error for each
 * thing that is not supported. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hintstub/hintstub.h"
#include "hintstub/npy.h"
#include "testutil.h"

static hs_value *make(int dtype, size_t rank, const int64_t *dims)
{
	hs_value *t;
	ck_assert_int_eq(hs_value_new(&t, dtype, rank, dims), HS_OK);
	uint8_t *p = t->data;
	for (size_t i = 0; i < hs_value_size(t); i++)
		p[i] = dtype == HS_DT_BOOL ? (uint8_t)(i % 3 == 0) : (uint8_t)(i * 7 + 1);
	return t;
}

static void same(const hs_value *a, const hs_value *b)
{
	ck_assert_int_eq(a->dtype, b->dtype);
	ck_assert_uint_eq(a->rank, b->rank);
	for (size_t i = 0; i < a->rank; i++)
		ck_assert_int_eq(a->dims[i], b->dims[i]);
	ck_assert_uint_eq(hs_value_size(a), hs_value_size(b));
	if (hs_value_size(a))
		ck_assert(!memcmp(a->data, b->data, hs_value_size(a)));
}

START_TEST(test_roundtrip)
{
	static const int dtypes[] = { HS_DT_FLOAT, HS_DT_INT32, HS_DT_INT64, HS_DT_BOOL };
	static const int64_t dims[] = { 2, 3, 4, 1, 1, 1, 1, 2 };
	static const int64_t empty[] = { 3, 0 };
	for (size_t d = 0; d < 4; d++) {
		for (size_t rank = 0; rank <= 8; rank++) {
			hs_value *t = make(dtypes[d], rank, dims), *back;
			void *buf;
			size_t len;
			ck_assert_int_eq(hs_npy_write_buffer(&buf, &len, t), HS_OK);
			ck_assert_uint_eq((len - hs_value_size(t)) % 64, 0);
			ck_assert_int_eq(hs_npy_read_buffer(&back, buf, len, "rt"), HS_OK);
			same(t, back);
			hs_value_free(back);
			hs_free(buf);
			hs_value_free(t);
		}
		hs_value *t = make(dtypes[d], 2, empty), *back;
		char *dir = tu_tmpdir(), *path = tu_path(dir, "e.npy");
		ck_assert_int_eq(hs_npy_write_file(path, t), HS_OK);
		ck_assert_int_eq(hs_npy_read_file(&back, path), HS_OK);
		same(t, back);
		hs_value_free(back);
		hs_value_free(t);
		remove(path);
		free(path);
		free(dir);
	}
}
END_TEST

/* The header numpy 1.x writes for a (2, 3) float32 array. */
START_TEST(test_header_text)
{
	static const int64_t dims[] = { 2, 3 };
	hs_value *t = make(HS_DT_FLOAT, 2, dims);
	void *buf;
	size_t len;
	ck_assert_int_eq(hs_npy_write_buffer(&buf, &len, t), HS_OK);
	const char *want = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
	ck_assert_uint_eq(len, 128 + 24);
	ck_assert(!memcmp((char *)buf + 10, want, strlen(want)));
	ck_assert_int_eq(((char *)buf)[127], '\n');
	hs_free(buf);
	hs_value_free(t);
	t = make(HS_DT_INT32, 1, dims);
	ck_assert_int_eq(hs_npy_write_buffer(&buf, &len, t), HS_OK);
	ck_assert_ptr_nonnull(strstr((char *)buf + 10, "'shape': (2,), }"));
	hs_free(buf);
	hs_value_free(t);
}
END_TEST

/* A .npy file of the given version and header text, then `data`. */
static size_t forge(uint8_t *out, int major, const char *dict, const void *data, size_t n)
{
	size_t pre = major == 1 ? 10 : 12, hl = strlen(dict);
	memcpy(out, "\x93NUMPY", 6);
	out[6] = (uint8_t)major;
	out[7] = 0;
	out[8] = (uint8_t)hl;
	out[9] = (uint8_t)(hl >> 8);
	if (major > 1)
		out[10] = out[11] = 0;
	memcpy(out + pre, dict, hl);
	memcpy(out + pre + hl, data, n);
	return pre + hl + n;
}

static void refused(int major, const char *dict, size_t data_len, const char *want)
{
	static uint8_t buf[4096];
	static const uint8_t zeros[64];
	size_t len = forge(buf, major, dict, zeros, data_len);
	hs_value *t = (hs_value *)1;
	ck_assert_int_eq(hs_npy_read_buffer(&t, buf, len, "x.npy"), HS_EPARSE);
	ck_assert_ptr_null(t);
	ck_assert_msg(strstr(hs_error_last(), want), "'%s' lacks '%s'", hs_error_last(), want);
	ck_assert(!strncmp(hs_error_last(), "x.npy: ", 7));
}

START_TEST(test_refused)
{
	refused(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", 8,
		"big-endian data ('>f4') is not supported");
	refused(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 1), }\n", 8,
		"Fortran order is not supported");
	refused(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }\n", 16,
		"an object array ('|O')");
	refused(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", 16,
		"dtype '<f8' is not supported");
	refused(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }\n", 8,
		"a structured dtype");
	refused(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n", 8,
		"truncated: the header's shape needs 12 bytes of data, the file has 8");
	refused(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n", 8,
		"trailing bytes");
	refused(1, "{'descr': '<f4', 'shape': (1,), }\n", 4, "is missing");
	refused(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}\n", 4,
		"unknown key 'x'");
	refused(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }\n", 4,
		"non-negative integers");
	refused(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1), }\n",
		4, "more than 8 dimensions");
	refused(1, "{'descr': '<f4', 'fortran_order': False, "
		"'shape': (4294967296, 4294967296), }\n", 4, "overflows");
	refused(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,) \n", 4,
		"expected ',' or '}'");
	refused(1, "[1]\n", 4, "the header is not a dict");
	refused(4, "{}\n", 0, "version 4.0 is not supported");
	hs_value *t;
	ck_assert_int_eq(hs_npy_read_buffer(&t, "PK\3\4 zip", 9, "x.npy"), HS_EPARSE);
	ck_assert_str_eq(hs_error_last(), "x.npy: not a .npy file (no \\x93NUMPY magic)");
	ck_assert_int_eq(hs_npy_read_file(&t, "/nonexistent.npy"), HS_EIO);
	ck_assert_ptr_null(t);
}
END_TEST

START_TEST(test_version2_and_3)
{
	static uint8_t buf[256];
	float v[2] = { 1.5f, -2.0f };
	for (int major = 2; major <= 3; major++) {
		size_t len = forge(buf, major,
				   "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n",
				   v, sizeof v);
		hs_value *t;
		ck_assert_int_eq(hs_npy_read_buffer(&t, buf, len, "v"), HS_OK);
		ck_assert_uint_eq(t->elements, 2);
		ck_assert_float_eq(((float *)t->data)[1], -2.0f);
		hs_value_free(t);
	}
}
END_TEST

/* A Python 3 with numpy, or NULL (the numpy tests then skip). */
static const char *numpy_python(void)
{
	static const char *const candidates[] = { "python3", "/usr/bin/python3" };
	for (size_t i = 0; i < 2; i++) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "%s -c 'import numpy' >/dev/null 2>&1", candidates[i]);
		if (system(cmd) == 0)
			return candidates[i];
	}
	return NULL;
}

static int run_python(const char *py, const char *dir, const char *script)
{
	char *path = tu_path(dir, "gen.py");
	ck_assert_int_eq(tu_write_file(path, script, strlen(script)), 0);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "cd '%s' && %s gen.py", dir, py);
	int rc = system(cmd);
	free(path);
	return rc;
}

static hs_value *read_in(const char *dir, const char *name)
{
	char *path = tu_path(dir, name);
	hs_value *t;
	ck_assert_msg(hs_npy_read_file(&t, path) == HS_OK, "%s", hs_error_last());
	free(path);
	return t;
}

START_TEST(test_numpy_files)
{
	const char *py = numpy_python();
	if (!py) {
		fprintf(stderr, "SKIP: numpy files (no python3 with numpy)\n");
		return;
	}
	char *dir = tu_tmpdir();
	ck_assert_int_eq(run_python(py, dir,
		"import numpy as np\n"
		"np.save('f.npy', np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8)\n"
		"np.save('i.npy', np.array([[-1, 2], [3, 2**31 - 1]], dtype=np.int32))\n"
		"np.save('l.npy', np.array([2**40, -5], dtype=np.int64))\n"
		"np.save('b.npy', np.array([True, False, True]))\n"
		"np.save('s.npy', np.float32(3.25))\n"
		"np.save('e.npy', np.zeros((0, 4), dtype=np.float32))\n"
		"np.save('t.npy', np.arange(6, dtype=np.float32).reshape(2, 3).T)\n"
		"np.lib.format.write_array(open('v2.npy', 'wb'), np.ones(3, np.float32),"
		" version=(2, 0))\n"
		"np.save('fo.npy', np.asfortranarray(np.ones((2, 3), np.float32)))\n"
		"np.save('be.npy', np.ones(3, dtype='>f4'))\n"
		"np.save('f8.npy', np.ones(3))\n"
		"np.save('o.npy', np.array([1, 'a'], dtype=object), allow_pickle=True)\n"), 0);
	hs_value *t = read_in(dir, "f.npy");
	ck_assert_uint_eq(t->rank, 3);
	ck_assert_int_eq(t->dims[2], 4);
	ck_assert_float_eq(((float *)t->data)[23], 23.0f / 8);
	hs_value_free(t);
	t = read_in(dir, "i.npy");
	ck_assert_int_eq(t->dtype, HS_DT_INT32);
	ck_assert_int_eq(((int32_t *)t->data)[3], 2147483647);
	hs_value_free(t);
	t = read_in(dir, "l.npy");
	ck_assert_int_eq(((int64_t *)t->data)[0], 1LL << 40);
	hs_value_free(t);
	t = read_in(dir, "b.npy");
	ck_assert_int_eq(t->dtype, HS_DT_BOOL);
	ck_assert(!memcmp(t->data, "\1\0\1", 3));
	hs_value_free(t);
	t = read_in(dir, "s.npy");
	ck_assert_uint_eq(t->rank, 0);
	ck_assert_float_eq(*(float *)t->data, 3.25f);
	hs_value_free(t);
	t = read_in(dir, "e.npy");
	ck_assert_uint_eq(t->elements, 0);
	hs_value_free(t);
	/* a transposed view is saved in C order by numpy (or as Fortran) */
	char *p = tu_path(dir, "t.npy");
	if (hs_npy_read_file(&t, p) == HS_OK) {
		ck_assert_float_eq(((float *)t->data)[1], 3.0f);
		hs_value_free(t);
	}
	free(p);
	hs_value_free(read_in(dir, "v2.npy"));
	static const char *const bad[][2] = {
		{ "fo.npy", "Fortran order" }, { "be.npy", "big-endian" },
		{ "f8.npy", "'<f8' is not supported" }, { "o.npy", "object array" },
	};
	for (size_t i = 0; i < 4; i++) {
		p = tu_path(dir, bad[i][0]);
		ck_assert_int_eq(hs_npy_read_file(&t, p), HS_EPARSE);
		ck_assert_msg(strstr(hs_error_last(), bad[i][1]), "%s", hs_error_last());
		free(p);
	}
	/* and numpy reads what hintstub writes */
	static const int64_t three = 3;
	ck_assert_int_eq(hs_value_new(&t, HS_DT_FLOAT, 1, &three), HS_OK);
	((float *)t->data)[0] = 0.5f;
	((float *)t->data)[1] = -1.0f;
	((float *)t->data)[2] = 2.0f;
	p = tu_path(dir, "w.npy");
	ck_assert_int_eq(hs_npy_write_file(p, t), HS_OK);
	free(p);
	hs_value_free(t);
	ck_assert_int_eq(run_python(py, dir,
		"import numpy as np\n"
		"a = np.load('w.npy')\n"
		"assert a.dtype == np.float32 and a.shape == (3,), a\n"
		"assert list(a) == [0.5, -1.0, 2.0], a\n"), 0);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("npy");
	TCase *tc = tcase_create("npy");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_header_text);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_version2_and_3);
	tcase_add_test(tc, test_numpy_files);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
