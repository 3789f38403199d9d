/* What `hintstub inspect` prints, as text and as JSON, rendered from a
 * plan: the graph's op histogram, every call with its operands and
 * problems, and the planned outcome.  Rendering the plan, not a second
 * opinion of it, is what keeps inspect, explain and the conversion in
 * agreement. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "report_internal.h"

typedef struct op_count {
	hs_str op;
	size_t count;
} op_count;

static int cmp_op(const void *a, const void *b)
{
	const op_count *x = a, *y = b;
	size_t n = x->op.len < y->op.len ? x->op.len : y->op.len;
	int c = n ? memcmp(x->op.ptr, y->op.ptr, n) : 0;
	return c ? c : (x->op.len > y->op.len) - (x->op.len < y->op.len);
}

/* The ops of the live nodes with their counts, sorted by name. */
typedef struct op_table {
	op_count *sorted;
	size_t n;
} op_table;

static void op_table_free(op_table *t) { free(t->sorted); }

/* Counted by op id (the graph's table of distinct ops): no node's op
 * string is read, and only the distinct ops are sorted. */
static int count_ops(op_table *t, const hs_graph *g)
{
	const hs_op_table *ops = &g->ops;
	size_t *count = calloc(ops->n ? ops->n : 1, sizeof *count);
	memset(t, 0, sizeof *t);
	if (!count || !(t->sorted = malloc((ops->n ? ops->n : 1) * sizeof *t->sorted))) {
		free(count);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	for (hs_node *nd = hs_graph_next_node(g, NULL); nd; nd = hs_graph_next_node(g, nd))
		count[nd->op]++;
	for (uint32_t id = 0; id < ops->n; id++)
		if (count[id])
			t->sorted[t->n++] = (op_count){ ops->names[id], count[id] };
	free(count);
	qsort(t->sorted, t->n, sizeof *t->sorted, cmp_op);
	return HS_OK;
}

/* One line on what the conversion would do to the call. */
static void outcome_text(hs_buf *b, const hs_call_report *e)
{
	char buf[160];
	if (e->result == HS_CALL_CONVERTED) {
		snprintf(buf, sizeof buf, "would convert (%s stub, %zu nodes removed, %zu added)",
			 e->plugin ? e->plugin : "generic", e->nodes_removed, e->nodes_added);
		hs_json_put_raw(b, buf);
		return;
	}
	hs_json_put_raw(b, "would be ");
	hs_json_put_raw(b, hs_call_result_name(e->result));
	hs_json_put_raw(b, ": ");
	hs_json_put_raw(b, e->reason ? e->reason : "");
}

/* Where a rendering goes: into one string (fn NULL), or handed to the
 * caller's function a slice at a time, so that a plan of many calls is
 * never held whole in memory (inspect of 60,000 calls prints 41 MB). */
typedef struct render_sink {
	hs_write_fn fn;
	void *payload;
	int rc;                 /* the first failure: stops the rendering */
} render_sink;

enum { RENDER_SLICE = 64 * 1024 };

/* Between calls: hands what is rendered to the caller once a slice is
 * full.  True while rendering should go on. */
static int sink_flush(render_sink *s, hs_buf *b, int force)
{
	if (!s->fn || s->rc)
		return !s->rc;
	if (b->failed)
		s->rc = hs_fail(HS_ENOMEM, "out of memory");
	else if ((force || b->len >= RENDER_SLICE) && b->len) {
		int rc = s->fn((const char *)b->data, b->len, s->payload);
		if (rc)
			s->rc = hs_fail(HS_EIO, "writing the rendering failed (the write "
					"function returned %d)", rc);
		b->len = 0;
	}
	return !s->rc;
}

/* ------------------------------------------------------------- JSON */

static void json_operands(hs_buf *b, const hs_operand *ops, size_t n)
{
	hs_json_put_raw(b, "[");
	for (size_t i = 0; i < n; i++) {
		const hs_operand *o = &ops[i];
		char num[96];
		snprintf(num, sizeof num, "%s{\"index\":%lld,\"aggregation\":", i ? "," : "",
			 (long long)o->index);
		hs_json_put_raw(b, num);
		hs_json_put_cstr_or_null(b, hs_aggregation_name(o->aggregation));
		snprintf(num, sizeof num, ",\"count\":%zu,\"dtype\":%d,\"nodes\":[", (size_t)o->count,
			 o->dtype);
		hs_json_put_raw(b, num);
		for (size_t k = 0; k < o->count; k++) {
			const hs_node *id = o->identities[k] ? o->identities[k] : hs_operand_tensor(o, k).node;
			if (k)
				hs_json_put_raw(b, ",");
			if (id)
				hs_json_put_str(b, id->name.ptr, id->name.len);
			else
				hs_json_put_raw(b, "null");
		}
		hs_json_put_raw(b, "]}");
	}
	hs_json_put_raw(b, "]");
}

static void json_call(hs_buf *b, const hs_plan *p, size_t i)
{
	const hs_call *c = p->pc[i].call;
	const hs_call_report *e = &p->entries[i];
	char num[64];
	hs_json_put_raw(b, i ? ",{\"function\":" : "{\"function\":");
	hs_json_put_str(b, c->function.ptr, c->function.len);
	hs_json_put_raw(b, ",\"uuid\":");
	hs_json_put_str(b, c->uuid.ptr, c->uuid.len);
	snprintf(num, sizeof num, ",\"level\":%lld,\"inputs\":", (long long)c->level);
	hs_json_put_raw(b, num);
	json_operands(b, c->inputs, c->n_inputs);
	hs_json_put_raw(b, ",\"outputs\":");
	json_operands(b, c->outputs, c->n_outputs);
	hs_json_put_raw(b, ",\"interior\":");
	hs_json_put_size(b, p->pc[i].region.n);
	hs_json_put_raw(b, ",\"problems\":");
	hs_report_put_problems(b, e->problems, e->n_problems);
	hs_report_put_children(b, p, i, e->result);
	hs_json_put_raw(b, ",\"conversion\":{\"result\":");
	hs_json_put_cstr_or_null(b, hs_call_result_name(e->result));
	hs_json_put_raw(b, ",\"plugin\":");
	hs_json_put_cstr_or_null(b, e->plugin);
	hs_json_put_raw(b, ",\"reason\":");
	hs_json_put_cstr_or_null(b, e->reason);
	hs_json_put_raw(b, ",\"text\":");
	hs_buf text = { NULL, 0, 0, 0 };
	outcome_text(&text, e);
	b->failed |= text.failed;
	hs_json_put_str(b, text.data ? (const char *)text.data : "", text.len);
	hs_buf_free(&text);
	hs_json_put_raw(b, "}}");
}

static void json_body(hs_buf *b, const hs_plan *p, const op_table *ops, render_sink *s)
{
	hs_json_put_raw(b, "{\"file\":");
	hs_json_put_cstr_or_null(b, hs_graph_source(p->g));
	hs_json_put_raw(b, ",\"nodes\":");
	hs_json_put_size(b, hs_graph_node_count(p->g));
	hs_json_put_raw(b, ",\"ops\":{");
	for (size_t i = 0; i < ops->n; i++) {
		hs_json_put_raw(b, i ? "," : "");
		hs_json_put_str(b, ops->sorted[i].op.ptr, ops->sorted[i].op.len);
		hs_json_put_raw(b, ":");
		hs_json_put_size(b, ops->sorted[i].count);
	}
	size_t np = hs_callset_problem_count(p->calls);
	hs_json_put_raw(b, "},\"graph_problems\":");
	hs_report_put_problems(b, np ? hs_callset_problem(p->calls, 0) : NULL, np);
	hs_json_put_raw(b, ",\"calls\":[");
	for (size_t i = 0; i < p->n && sink_flush(s, b, 0); i++)
		json_call(b, p, i);
	hs_json_put_raw(b, "]}\n");
}

/* ------------------------------------------------------------- text */

/* Names, uuids, ops and functions come from the graph: printed escaped
 * (hs_escape), so that none forges a line or reaches the terminal. */
static void put_text(hs_buf *b, hs_str s)
{
	/* Most of it is printable ASCII, which hs_escape keeps as it is and
	 * always one byte a unit: that part is copied in one go. */
	const unsigned char *p = (const unsigned char *)(s.ptr ? s.ptr : "");
	size_t plain = 0;
	while (plain < s.len && p[plain] >= 0x20 && p[plain] < 0x7f)
		plain++;
	hs_buf_put(b, p, plain);
	if (plain < s.len)
		hs_buf_put_escaped(b, (const char *)p + plain, s.len - plain);
}

static void put_cstr(hs_buf *b, const char *s)
{
	hs_buf_put(b, s, strlen(s));
}

/* A decimal number, without a printf call per line (inspect prints one
 * line per argument of every call). */
static void put_i64(hs_buf *b, int64_t v)
{
	char digits[24], *end = digits + sizeof digits, *p = end;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	hs_buf_put(b, p, (size_t)(end - p));
}

static void text_operands(hs_buf *b, const char *dir, const hs_operand *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const hs_operand *o = &ops[i];
		const hs_node *first = !o->count ? NULL
				       : o->identities[0] ? o->identities[0] : hs_operand_tensor(o, 0).node;
		hs_str name = first ? first->name : (hs_str){ "?", 1 };
		/* "    %s %lld: %s x%zu, %s, first '" */
		put_cstr(b, "    ");
		put_cstr(b, dir);
		put_cstr(b, " ");
		put_i64(b, o->index);
		put_cstr(b, ": ");
		put_cstr(b, hs_aggregation_name(o->aggregation));
		put_cstr(b, " x");
		put_i64(b, (int64_t)o->count);
		put_cstr(b, ", ");
		put_cstr(b, hs_dtype_name(o->dtype));
		put_cstr(b, ", first '");
		put_text(b, name);
		hs_buf_put(b, "'\n", 2);
	}
}

static void text_problems(hs_buf *b, const char *indent, const hs_problem *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		hs_buf_printf(b, "%s%s: %s [%s]\n", indent, hs_severity_name(v[k].severity),
			v[k].message, v[k].code);
}

static void text_body(hs_buf *b, const hs_plan *p, const op_table *ops, render_sink *s)
{
	const char *src = hs_graph_source(p->g) ? hs_graph_source(p->g) : "";
	put_text(b, (hs_str){ src, strlen(src) });
	hs_buf_printf(b, ": %zu nodes, %zu distinct ops\n", hs_graph_node_count(p->g), ops->n);
	for (size_t i = 0; i < ops->n; i++) {
		hs_buf_put(b, "  ", 2);
		size_t start = b->len;
		put_text(b, ops->sorted[i].op);
		for (size_t w = b->len - start; w < 32; w++)
			hs_buf_put(b, " ", 1);
		hs_buf_printf(b, " %zu\n", ops->sorted[i].count);
	}
	size_t np = hs_callset_problem_count(p->calls);
	text_problems(b, "", np ? hs_callset_problem(p->calls, 0) : NULL, np);
	hs_buf_printf(b, "%zu OpHint call(s)\n", p->n);
	for (size_t i = 0; i < p->n && sink_flush(s, b, 0); i++) {
		const hs_call *c = p->pc[i].call;
		const hs_call_report *e = &p->entries[i];
		hs_buf_printf(b, "call %zu: ", i);
		put_text(b, c->function);
		hs_buf_put(b, " uuid ", 6);
		put_text(b, c->uuid);
		hs_buf_printf(b, " level %lld, %zu input(s), %zu output(s), interior %zu nodes\n",
			(long long)c->level, (size_t)c->n_inputs, (size_t)c->n_outputs,
			p->pc[i].region.n);
		text_operands(b, "input", c->inputs, c->n_inputs);
		text_operands(b, "output", c->outputs, c->n_outputs);
		text_problems(b, "    ", e->problems, e->n_problems);
		hs_report_text_children(b, p, i);
		hs_json_put_raw(b, "    ");
		outcome_text(b, e);
		hs_json_put_raw(b, "\n");
	}
}

/* ------------------------------------------------------------ entries */

typedef void (*body_fn)(hs_buf *b, const hs_plan *p, const op_table *ops, render_sink *s);

static int render(char **out, const hs_plan *p, body_fn body, render_sink *s,
		  const char *what)
{
	if ((!out && !s->fn) || !p)
		return hs_fail(HS_EINVAL, "%s: %s and plan are required", what,
			       s->fn ? "the write function" : "out");
	if (out)
		*out = NULL;
	op_table ops;
	int rc = count_ops(&ops, p->g);
	if (rc)
		return rc;
	hs_buf b = { NULL, 0, 0, 0 };
	body(&b, p, &ops, s);
	op_table_free(&ops);
	if (!s->fn)
		return hs_buf_take_text(out, &b);
	sink_flush(s, &b, 1);
	hs_buf_free(&b);
	return s->rc;
}

int hs_plan_to_json(char **out, const hs_plan *p)
{
	render_sink s = { NULL, NULL, 0 };
	return render(out, p, json_body, &s, "hs_plan_to_json");
}

int hs_plan_to_text(char **out, const hs_plan *p)
{
	render_sink s = { NULL, NULL, 0 };
	return render(out, p, text_body, &s, "hs_plan_to_text");
}

int hs_plan_write_json(const hs_plan *p, hs_write_fn fn, void *payload)
{
	render_sink s = { fn, payload, 0 };
	return render(NULL, p, json_body, &s, "hs_plan_write_json");
}

int hs_plan_write_text(const hs_plan *p, hs_write_fn fn, void *payload)
{
	render_sink s = { fn, payload, 0 };
	return render(NULL, p, text_body, &s, "hs_plan_write_text");
}
