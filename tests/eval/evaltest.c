/* Helpers of the evaluator's suites (evaltest.h). */
#include <config.h>

#include <check.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaltest.h"

typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		ck_assert_int_ge(n, 0);
		if (b->p && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = (b->cap + (size_t)n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
}

static const char *dtype_of(const char *tok)
{
	if (!strcmp(tok, "f32"))
		return "DT_FLOAT";
	if (!strcmp(tok, "i32"))
		return "DT_INT32";
	if (!strcmp(tok, "i64"))
		return "DT_INT64";
	if (!strcmp(tok, "bool"))
		return "DT_BOOL";
	if (!strcmp(tok, "f64"))
		return "DT_DOUBLE";
	if (!strcmp(tok, "variant"))
		return "DT_VARIANT";
	return NULL;
}

/* "[2,-1,3]" -> dim { size: 2 } ... */
static void put_shape(sbuf *b, const char *tok)
{
	ck_assert_msg(tok[0] == '[', "a shape is expected, not '%s'", tok);
	const char *p = tok + 1;
	while (*p && *p != ']') {
		char *end;
		long long d = strtoll(p, &end, 10);
		ck_assert_msg(end != p, "bad shape '%s'", tok);
		put(b, " dim { size: %lld }", d);
		p = *end == ',' ? end + 1 : end;
	}
}

static void put_const(sbuf *b, char **tok, size_t n)
{
	ck_assert_msg(n >= 2, "Const needs a dtype and a shape");
	const char *dt = dtype_of(tok[0]);
	ck_assert_msg(dt != NULL, "unknown dtype '%s'", tok[0]);
	put(b, " attr { key: \"dtype\" value { type: %s } }", dt);
	put(b, " attr { key: \"value\" value { tensor { dtype: %s tensor_shape {", dt);
	put_shape(b, tok[1]);
	put(b, " }");
	const char *field = !strcmp(tok[0], "f32") ? "float_val"
			    : !strcmp(tok[0], "i32") ? "int_val"
			    : !strcmp(tok[0], "i64") ? "int64_val"
			    : !strcmp(tok[0], "f64") ? "double_val" : "bool_val";
	for (size_t i = 2; i < n; i++) {
		const char *v = tok[i];
		if (!strcmp(field, "bool_val"))
			v = strcmp(v, "0") && strcmp(v, "false") ? "true" : "false";
		put(b, " %s: %s", field, v);
	}
	put(b, " } } }");
}

static int is_float(const char *v)
{
	return strpbrk(v, ".e") != NULL && (isdigit((unsigned char)v[0]) || v[0] == '-' ||
					     v[0] == '.');
}

static void put_attr(sbuf *b, const char *tok)
{
	const char *eq = strchr(tok, '=');
	const char *v = eq + 1;
	put(b, " attr { key: \"%.*s\" value {", (int)(eq - tok), tok);
	if (!strcmp(v, "true") || !strcmp(v, "false"))
		put(b, " b: %s", v);
	else if (dtype_of(v))
		put(b, " type: %s", dtype_of(v));
	else if (v[0] == '[') {
		put(b, " list {");
		const char *p = v + 1;
		while (*p && *p != ']') {
			char *end;
			long long d = strtoll(p, &end, 10);
			put(b, " i: %lld", d);
			p = *end == ',' ? end + 1 : end;
		}
		put(b, " }");
	} else if (v[0] == '"')
		put(b, " s: %s", v);
	else if (v[0] == '@')
		put(b, " func { name: \"%s\" }", v + 1);
	else if (is_float(v))
		put(b, " f: %s", v);
	else
		put(b, " i: %s", v);
	put(b, " } }");
}

static void put_line(sbuf *b, char *line)
{
	char *tok[512];
	size_t n = 0;
	for (char *t = strtok(line, " \t"); t && n < 512; t = strtok(NULL, " \t"))
		tok[n++] = t;
	if (!n || tok[0][0] == '#')
		return;
	ck_assert_msg(n >= 3 && !strcmp(tok[1], "="), "bad line: %s", tok[0]);
	put(b, "node { name: \"%s\" op: \"%s\"", tok[0], tok[2]);
	if (!strcmp(tok[2], "Const")) {
		put_const(b, tok + 3, n - 3);
	} else if (!strcmp(tok[2], "Placeholder") && n >= 4 && dtype_of(tok[3])) {
		put(b, " attr { key: \"dtype\" value { type: %s } }", dtype_of(tok[3]));
		if (n >= 5) {
			put(b, " attr { key: \"shape\" value { shape {");
			put_shape(b, tok[4]);
			put(b, " } } }");
		}
	} else {
		/* Inputs first (NodeDef field order does not matter in text). */
		for (size_t i = 3; i < n; i++)
			if (!strchr(tok[i], '='))
				put(b, " input: \"%s\"", tok[i]);
		for (size_t i = 3; i < n; i++)
			if (strchr(tok[i], '='))
				put_attr(b, tok[i]);
	}
	put(b, " }\n");
}

char *et_pbtxt(const char *lines, const char *extra)
{
	sbuf b = { 0 };
	char *copy = strdup(lines);
	ck_assert_ptr_nonnull(copy);
	char *save = NULL;
	/* strtok inside put_line: split lines by hand. */
	for (char *line = copy; line && *line; line = save) {
		char *nl = strchr(line, '\n');
		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		put_line(&b, line);
	}
	free(copy);
	if (extra)
		put(&b, "%s\n", extra);
	if (!b.p)
		put(&b, "\n");
	return b.p;
}

hs_graph *et_graph(const char *lines, const char *extra)
{
	char *text = et_pbtxt(lines, extra);
	hs_graph *g = NULL;
	hs_load_options o = HS_LOAD_OPTIONS_INIT;
	o.format = HS_FORMAT_TEXT;
	int rc = hs_graph_load_buffer(&g, text, strlen(text), "test", &o);
	ck_assert_msg(rc == HS_OK, "loading failed: %s\n%s", hs_error_last(), text);
	free(text);
	return g;
}

hs_value *et_float(size_t rank, const int64_t *dims, const float *v)
{
	hs_value *t;
	ck_assert_int_eq(hs_value_new(&t, HS_DT_FLOAT, rank, dims), HS_OK);
	if (t->elements)
		memcpy(t->data, v, hs_value_size(t));
	return t;
}

hs_value *et_fetch(hs_eval *ev, const char *name)
{
	hs_value *t;
	const char *f[] = { name };
	ck_assert_msg(hs_eval_run(&t, ev, f, 1) == HS_OK, "%s: %s", name, hs_error_last());
	return t;
}

static hs_value *run_one(hs_eval *ev, const char *name)
{
	hs_value *out = NULL;
	const char *fetch[] = { name };
	if (hs_eval_run(&out, ev, fetch, 1) != HS_OK)
		out = NULL;
	hs_eval_free(ev);
	return out;
}

hs_value *et_run_opts(const hs_graph *g, const hs_eval_options *o, const char *name)
{
	hs_eval *ev;
	ck_assert_int_eq(hs_eval_new(&ev, g, o), HS_OK);
	return run_one(ev, name);
}

hs_value *et_run(const hs_graph *g, const char *name, size_t n_feeds, ...)
{
	hs_eval *ev;
	ck_assert_int_eq(hs_eval_new(&ev, g, NULL), HS_OK);
	va_list ap;
	va_start(ap, n_feeds);
	for (size_t i = 0; i < n_feeds; i++) {
		const char *feed = va_arg(ap, const char *);
		hs_value *t = va_arg(ap, hs_value *);
		ck_assert_msg(hs_eval_set_input(ev, feed, t) == HS_OK, "%s", hs_error_last());
	}
	va_end(ap);
	return run_one(ev, name);
}

static void expect_shape(const hs_value *t, size_t rank, const int64_t *dims)
{
	char a[200], b[200];
	ck_assert_msg(t->rank == rank && (!rank || !memcmp(t->dims, dims, rank * sizeof *dims)),
		      "shape %s, expected %s", hs_shape_text(a, sizeof a, t->rank, t->dims),
		      hs_shape_text(b, sizeof b, rank, dims));
}

void et_expect_f(const hs_value *t, size_t rank, const int64_t *dims, const float *v)
{
	ck_assert_ptr_nonnull(t);
	ck_assert_msg(t->dtype == HS_DT_FLOAT, "dtype %s, expected DT_FLOAT",
		      hs_dtype_name(t->dtype));
	expect_shape(t, rank, dims);
	const float *d = t->data;
	for (uint64_t i = 0; i < t->elements; i++) {
		float tol = 1e-5f * (fabsf(v[i]) > 1 ? fabsf(v[i]) : 1);
		ck_assert_msg(fabsf(d[i] - v[i]) <= tol || (isnan(d[i]) && isnan(v[i])),
			      "element %llu is %.8g, expected %.8g", (unsigned long long)i, d[i],
			      v[i]);
	}
}

void et_expect_i(const hs_value *t, int dtype, size_t rank, const int64_t *dims,
		 const int64_t *v)
{
	ck_assert_ptr_nonnull(t);
	ck_assert_msg(t->dtype == dtype, "dtype %s, expected %s", hs_dtype_name(t->dtype),
		      hs_dtype_name(dtype));
	expect_shape(t, rank, dims);
	for (uint64_t i = 0; i < t->elements; i++) {
		int64_t x = dtype == HS_DT_INT64  ? ((const int64_t *)t->data)[i]
			    : dtype == HS_DT_BOOL ? ((const uint8_t *)t->data)[i]
						  : ((const int32_t *)t->data)[i];
		ck_assert_msg(x == v[i], "element %llu is %lld, expected %lld",
			      (unsigned long long)i, (long long)x, (long long)v[i]);
	}
}

void et_check_f(const char *lines, const char *name, size_t rank, const int64_t *dims,
		const float *v)
{
	hs_graph *g = et_graph(lines, NULL);
	hs_value *t = et_run(g, name, 0);
	ck_assert_msg(t != NULL, "%s failed: %s", name, hs_error_last());
	et_expect_f(t, rank, dims, v);
	hs_value_free(t);
	hs_graph_free(g);
}

void et_check_i(const char *lines, const char *name, int dtype, size_t rank,
		const int64_t *dims, const int64_t *v)
{
	hs_graph *g = et_graph(lines, NULL);
	hs_value *t = et_run(g, name, 0);
	ck_assert_msg(t != NULL, "%s failed: %s", name, hs_error_last());
	et_expect_i(t, dtype, rank, dims, v);
	hs_value_free(t);
	hs_graph_free(g);
}

void et_check_fails(const char *lines, const char *name, const char *part)
{
	hs_graph *g = et_graph(lines, NULL);
	hs_value *t = et_run(g, name, 0);
	ck_assert_msg(t == NULL, "%s succeeded, expected a failure with '%s'", name, part);
	ck_assert_msg(strstr(hs_error_last(), part) != NULL, "message '%s' lacks '%s'",
		      hs_error_last(), part);
	hs_graph_free(g);
}

char *et_function(const char *name, const char *args, const char *rets, const char *lines)
{
	sbuf b = { 0 };
	char *copy = strdup(args), *save = NULL;
	put(&b, "function { signature { name: \"%s\"", name);
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(t, ':');
		ck_assert_msg(colon && dtype_of(colon + 1), "bad argument '%s'", t);
		*colon = '\0';
		put(&b, " input_arg { name: \"%s\" type: %s }", t, dtype_of(colon + 1));
	}
	free(copy);
	copy = strdup(rets);
	/* "name:type=tensor" */
	sbuf r = { 0 };
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(t, ':'), *eq = strchr(t, '=');
		ck_assert_msg(colon && eq && colon < eq, "bad result '%s'", t);
		*colon = *eq = '\0';
		ck_assert_msg(dtype_of(colon + 1) != NULL, "bad result type '%s'", colon + 1);
		put(&b, " output_arg { name: \"%s\" type: %s }", t, dtype_of(colon + 1));
		put(&r, " ret { key: \"%s\" value: \"%s\" }", t, eq + 1);
	}
	free(copy);
	put(&b, " }\n");
	char *body = et_pbtxt(lines, NULL);
	/* A body's nodes are FunctionDef.node_def. */
	for (char *line = body, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		if (!strncmp(line, "node {", 6))
			put(&b, "node_def {%.*s\n", (int)(nl - line - 6), line + 6);
		else
			put(&b, "%.*s\n", (int)(nl - line), line);
	}
	free(body);
	put(&b, "%s }\n", r.p ? r.p : "");
	free(r.p);
	return b.p;
}

double et_max_abs_error(const hs_value *a, const hs_value *b)
{
	ck_assert_uint_eq(a->elements, b->elements);
	ck_assert_int_eq(a->dtype, HS_DT_FLOAT);
	ck_assert_int_eq(b->dtype, HS_DT_FLOAT);
	const float *x = a->data, *y = b->data;
	double worst = 0;
	for (uint64_t i = 0; i < a->elements; i++) {
		double d = fabs((double)x[i] - y[i]);
		worst = d > worst ? d : worst;
	}
	return worst;
}
