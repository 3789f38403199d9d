/* NumPy .npy files (format 1.0/2.0/3.0): a magic string, a version, a
 * header length, a Python dict literal {'descr': '<f4', 'fortran_order':
 * False, 'shape': (2, 3), } padded with spaces to a multiple of 64 bytes
 * and ended by '\n', then the elements in C order. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "hintstub/npy.h"

static const uint8_t npy_magic[6] = { 0x93, 'N', 'U', 'M', 'P', 'Y' };
/* numpy refuses headers above 10000 bytes by default; allow more, bounded. */
#define NPY_MAX_HEADER (1u << 20)
#define NPY_PRELUDE_MAX 12

typedef struct npy_header {
	int dtype;
	size_t rank;
	int64_t dims[HS_TENSOR_MAX_RANK];
	size_t data_offset;      /* bytes before the first element */
} npy_header;

/* A dict literal being read; errors name the file. */
typedef struct dict_reader {
	const char *p, *end;
	const char *name;
} dict_reader;

static int bad(const dict_reader *r, const char *what)
{
	return hs_fail(HS_EPARSE, "%s: not a .npy header: %s", r->name, what);
}

static void skip_ws(dict_reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n'))
		r->p++;
}

static int peek(dict_reader *r)
{
	skip_ws(r);
	return r->p < r->end ? (unsigned char)*r->p : -1;
}

static int expect(dict_reader *r, char c, const char *what)
{
	if (peek(r) != c)
		return bad(r, what);
	r->p++;
	return 0;
}

/* A quoted string without escapes (numpy writes none) into buf. */
static int read_string(dict_reader *r, char *buf, size_t cap)
{
	int q = peek(r);
	if (q != '\'' && q != '"')
		return bad(r, "expected a quoted string");
	const char *s = ++r->p;
	while (r->p < r->end && *r->p != q && *r->p != '\\')
		r->p++;
	if (r->p == r->end || *r->p != q)
		return bad(r, "unterminated or escaped string");
	size_t n = (size_t)(r->p - s);
	r->p++;
	if (n >= cap)
		return bad(r, "string too long");
	memcpy(buf, s, n);
	buf[n] = 0;
	return 0;
}

static int read_word(dict_reader *r, const char *word)
{
	size_t n = strlen(word);
	skip_ws(r);
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
		return -1;
	r->p += n;
	return 0;
}

static int read_shape(dict_reader *r, npy_header *h)
{
	if (expect(r, '(', "'shape' is not a tuple"))
		return -1;
	h->rank = 0;
	while (peek(r) != ')') {
		if (peek(r) < '0' || peek(r) > '9')
			return bad(r, "'shape' holds something other than non-negative integers");
		if (h->rank == HS_TENSOR_MAX_RANK)
			return hs_fail(HS_EPARSE, "%s: more than %d dimensions", r->name,
				       HS_TENSOR_MAX_RANK);
		int64_t v = 0;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
			if (v > (INT64_MAX - 9) / 10)
				return bad(r, "a dimension is too large");
			v = v * 10 + (*r->p++ - '0');
		}
		if (r->p < r->end && *r->p == 'L') /* Python 2's long */
			r->p++;
		h->dims[h->rank++] = v;
		if (peek(r) == ',')
			r->p++;
		else if (peek(r) != ')')
			return bad(r, "'shape' is not a tuple of integers");
	}
	r->p++;
	return 0;
}

static int descr_dtype(int *dtype, const char *d, const char *name)
{
	static const struct { const char *descr; int dtype; } known[] = {
		{ "<f4", HS_DT_FLOAT }, { "<i4", HS_DT_INT32 }, { "<i8", HS_DT_INT64 },
		{ "|b1", HS_DT_BOOL },
	};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
		if (!strcmp(d, known[i].descr)) {
			*dtype = known[i].dtype;
			return 0;
		}
	}
	if (d[0] == '>')
		return hs_fail(HS_EPARSE, "%s: big-endian data ('%s') is not supported: save "
			       "it little-endian (arr.astype(arr.dtype.newbyteorder('<')))",
			       name, d);
	if (strchr(d, 'O'))
		return hs_fail(HS_EPARSE, "%s: an object array ('%s') holds Python objects, "
			       "not numbers: save a float32, int32, int64 or bool array", name, d);
	return hs_fail(HS_EPARSE, "%s: dtype '%s' is not supported: float32 ('<f4'), "
		       "int32 ('<i4'), int64 ('<i8') or bool ('|b1'); convert with "
		       "arr.astype(numpy.float32)", name, d);
}

static int read_entry(dict_reader *r, npy_header *h, unsigned *seen)
{
	char key[32], descr[64];
	if (read_string(r, key, sizeof key) || expect(r, ':', "expected ':' after a key"))
		return -1;
	if (!strcmp(key, "descr")) {
		if (peek(r) == '[')
			return hs_fail(HS_EPARSE, "%s: a structured dtype (record array) is not "
				       "supported: save each field as its own array", r->name);
		if (read_string(r, descr, sizeof descr) || descr_dtype(&h->dtype, descr, r->name))
			return -1;
		*seen |= 1;
	} else if (!strcmp(key, "fortran_order")) {
		if (read_word(r, "True") == 0)
			return hs_fail(HS_EPARSE, "%s: Fortran order is not supported: save "
				       "numpy.ascontiguousarray(arr)", r->name);
		if (read_word(r, "False"))
			return bad(r, "'fortran_order' is neither True nor False");
		*seen |= 2;
	} else if (!strcmp(key, "shape")) {
		if (read_shape(r, h))
			return -1;
		*seen |= 4;
	} else {
		return hs_fail(HS_EPARSE, "%s: not a .npy header: unknown key '%s'", r->name, key);
	}
	return 0;
}

static int parse_dict(npy_header *h, const char *s, size_t n, const char *name)
{
	dict_reader r = { s, s + n, name };
	unsigned seen = 0;
	if (expect(&r, '{', "the header is not a dict"))
		return -1;
	while (peek(&r) != '}') {
		if (read_entry(&r, h, &seen))
			return -1;
		if (peek(&r) == ',')
			r.p++;
		else if (peek(&r) != '}')
			return bad(&r, "expected ',' or '}'");
	}
	r.p++;
	if (peek(&r) != -1)
		return bad(&r, "bytes after the dict");
	if (seen != 7)
		return bad(&r, "'descr', 'fortran_order' or 'shape' is missing");
	return 0;
}

/* How long the magic, version and header are, from their first bytes
 * (at least NPY_PRELUDE_MAX of them, or the whole file when shorter). */
static int header_size(size_t *total, const uint8_t *p, size_t len, const char *name)
{
	if (len < 10 || memcmp(p, npy_magic, sizeof npy_magic))
		return hs_fail(HS_EPARSE, "%s: not a .npy file (no \\x93NUMPY magic)", name);
	unsigned major = p[6], minor = p[7];
	if (major < 1 || major > 3 || minor != 0)
		return hs_fail(HS_EPARSE, "%s: .npy format version %u.%u is not supported "
			       "(1.0, 2.0, 3.0)", name, major, minor);
	size_t hlen;
	if (major == 1) {
		hlen = (size_t)p[8] | (size_t)p[9] << 8;
		*total = 10 + hlen;
	} else {
		if (len < 12)
			return hs_fail(HS_EPARSE, "%s: truncated .npy header", name);
		hlen = (size_t)p[8] | (size_t)p[9] << 8 | (size_t)p[10] << 16 |
		       (size_t)p[11] << 24;
		if (hlen > NPY_MAX_HEADER)
			return hs_fail(HS_EPARSE, "%s: .npy header of %zu bytes (at most %u)",
				       name, hlen, NPY_MAX_HEADER);
		*total = 12 + hlen;
	}
	return 0;
}

static int parse_header(npy_header *h, const uint8_t *p, size_t len, const char *name)
{
	size_t total;
	if (header_size(&total, p, len, name))
		return -1;
	if (total > len)
		return hs_fail(HS_EPARSE, "%s: truncated .npy header", name);
	size_t start = p[6] == 1 ? 10 : 12;
	memset(h, 0, sizeof *h);
	if (parse_dict(h, (const char *)p + start, total - start, name))
		return -1;
	h->data_offset = total;
	return 0;
}

/* The data's byte count, or HS_EPARSE when it overflows. */
static int data_size(uint64_t *out, const npy_header *h, const char *name)
{
	uint64_t n = hs_dtype_size(h->dtype);
	for (size_t i = 0; i < h->rank; i++) {
		uint64_t d = (uint64_t)h->dims[i];
		if (d && n > UINT64_MAX / d)
			return hs_fail(HS_EPARSE, "%s: the shape's size overflows", name);
		n *= d;
	}
	*out = n;
	return 0;
}

static int host_is_little_endian(void)
{
	const uint16_t one = 1;
	return *(const uint8_t *)&one == 1;
}

static void swap_elements(void *data, uint64_t elements, size_t size)
{
	uint8_t *p = data;
	for (uint64_t i = 0; size > 1 && i < elements; i++, p += size)
		for (size_t a = 0, b = size - 1; a < b; a++, b--) {
			uint8_t t = p[a];
			p[a] = p[b];
			p[b] = t;
		}
}

/* The file's little-endian elements to host order (bools to 0/1). */
static void to_host(hs_value *t)
{
	if (t->dtype == HS_DT_BOOL) {
		uint8_t *b = t->data;
		for (uint64_t i = 0; i < t->elements; i++)
			b[i] = b[i] != 0;
	} else if (!host_is_little_endian()) {
		swap_elements(t->data, t->elements, hs_dtype_size(t->dtype));
	}
}

static int check_length(uint64_t have, uint64_t want, const char *name)
{
	if (have == want)
		return 0;
	return hs_fail(HS_EPARSE, "%s: %s: the header's shape needs %llu bytes of data, "
		       "the file has %llu", name, have < want ? "truncated" : "trailing bytes",
		       (unsigned long long)want, (unsigned long long)have);
}

int hs_npy_read_buffer(hs_value **out, const void *data, size_t len, const char *name)
{
	npy_header h;
	uint64_t size = 0;
	*out = NULL;
	name = name ? name : "npy";
	if (!data && len)
		return hs_fail(HS_EINVAL, "%s: no data", name);
	if (parse_header(&h, data, len, name) || data_size(&size, &h, name) ||
	    check_length(len - h.data_offset, size, name))
		return hs_error_last_code();
	hs_value *t;
	int rc = hs_value_new(&t, h.dtype, h.rank, h.dims);
	if (rc)
		return rc;
	if (size)
		memcpy(t->data, (const uint8_t *)data + h.data_offset, size);
	to_host(t);
	*out = t;
	return HS_OK;
}

static int read_exact(FILE *f, void *buf, size_t n, const char *path)
{
	if (fread(buf, 1, n, f) == n)
		return 0;
	return ferror(f) ? hs_fail(HS_EIO, "%s: read failed: %s", path, strerror(errno))
			 : hs_fail(HS_EPARSE, "%s: truncated .npy file", path);
}

/* Reads the header from f into a new buffer (*hdr, owned by the caller). */
static int read_header(npy_header *h, uint8_t **hdr, FILE *f, uint64_t file_size,
		       const char *path)
{
	uint8_t pre[NPY_PRELUDE_MAX];
	size_t got = fread(pre, 1, sizeof pre, f), total;
	if (ferror(f))
		return hs_fail(HS_EIO, "%s: read failed: %s", path, strerror(errno));
	if (header_size(&total, pre, got, path))
		return -1;
	if (total > file_size)
		return hs_fail(HS_EPARSE, "%s: truncated .npy header", path);
	if (!(*hdr = malloc(total)))
		return hs_fail(HS_ENOMEM, "out of memory");
	memcpy(*hdr, pre, got);
	if (read_exact(f, *hdr + got, total - got, path))
		return -1;
	return parse_header(h, *hdr, total, path);
}

int hs_npy_read_file(hs_value **out, const char *path)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		int rc = hs_fail(HS_EIO, "%s: %s", path, f ? "not a regular file" : strerror(errno));
		if (f)
			fclose(f);
		return rc;
	}
	npy_header h;
	uint8_t *hdr = NULL;
	uint64_t size = 0;
	hs_value *t = NULL;
	int rc = read_header(&h, &hdr, f, (uint64_t)st.st_size, path);
	if (!rc)
		rc = data_size(&size, &h, path);
	if (!rc)
		rc = check_length((uint64_t)st.st_size - h.data_offset, size, path);
	if (!rc)
		rc = hs_value_new(&t, h.dtype, h.rank, h.dims);
	if (!rc && size)
		rc = read_exact(f, t->data, size, path);
	free(hdr);
	fclose(f);
	if (rc) {
		hs_value_free(t);
		return hs_error_last_code();
	}
	to_host(t);
	*out = t;
	return HS_OK;
}

static const char *dtype_descr(int dtype)
{
	switch (dtype) {
	case HS_DT_FLOAT: return "<f4";
	case HS_DT_INT32: return "<i4";
	case HS_DT_INT64: return "<i8";
	case HS_DT_BOOL: return "|b1";
	}
	return NULL;
}

int hs_npy_write_buffer(void **out, size_t *out_size, const hs_value *t)
{
	*out = NULL;
	*out_size = 0;
	const char *descr = dtype_descr(t->dtype);
	if (!descr)
		return hs_fail(HS_EINVAL, "a %s tensor cannot be written as .npy",
			       t->dtype == HS_DT_VARIANT ? "tensor-list" : "non-numeric");
	char dict[64 + 24 * HS_TENSOR_MAX_RANK];
	int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
			 descr);
	for (size_t i = 0; i < t->rank; i++)
		n += snprintf(dict + n, sizeof dict - (size_t)n, "%s%lld", i ? ", " : "",
			      (long long)t->dims[i]);
	n += snprintf(dict + n, sizeof dict - (size_t)n, "%s), }", t->rank == 1 ? "," : "");
	/* version 1.0: a 2-byte length; the whole header a multiple of 64 */
	size_t prelude = 10, header = ((prelude + (size_t)n + 1 + 63) / 64) * 64;
	size_t data = hs_value_size(t), total = header + data;
	uint8_t *buf = malloc(total ? total : 1);
	if (!buf)
		return hs_fail(HS_ENOMEM, "out of memory");
	memcpy(buf, npy_magic, sizeof npy_magic);
	buf[6] = 1;
	buf[7] = 0;
	buf[8] = (uint8_t)((header - prelude) & 0xff);
	buf[9] = (uint8_t)((header - prelude) >> 8);
	memset(buf + prelude, ' ', header - prelude);
	memcpy(buf + prelude, dict, (size_t)n);
	buf[header - 1] = '\n';
	if (data)
		memcpy(buf + header, t->data, data);
	if (!host_is_little_endian())
		swap_elements(buf + header, t->elements, hs_dtype_size(t->dtype));
	*out = buf;
	*out_size = total;
	return HS_OK;
}

int hs_npy_write_file(const char *path, const hs_value *t)
{
	void *buf;
	size_t len;
	int rc = hs_npy_write_buffer(&buf, &len, t);
	if (rc)
		return rc;
	rc = hs_write_file_atomic(path, buf, len);
	free(buf);
	return rc;
}
