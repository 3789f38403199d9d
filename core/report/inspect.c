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
#include "report_internal.h"
#include "strmap.h"

typedef struct op_count {
	UT_hash_handle hh;
	hs_str op;
	size_t count;
} op_count;

static int cmp_op(const void *a, const void *b)
{
	const op_count *x = *(op_count *const *)a, *y = *(op_count *const *)b;
	size_t n = x->op.len < y->op.len ? x->op.len : y->op.len;
	int c = n ? memcmp(x->op.ptr, y->op.ptr, n) : 0;
	return c ? c : (x->op.len > y->op.len) - (x->op.len < y->op.len);
}

typedef struct op_table {
	op_count *slots;      /* one block, one entry per distinct op */
	op_count **sorted;
	size_t n;
} op_table;

/* Distinct ops counted in a hash, then only those sorted by name. */
static int count_ops(op_table *t, const hs_graph *g)
{
	size_t cap = hs_graph_node_count(g);
	op_count *by_op = NULL;
	memset(t, 0, sizeof *t);
	t->slots = calloc(cap ? cap : 1, sizeof *t->slots);
	if (!t->slots)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (hs_node *nd = hs_graph_next_node(g, NULL); nd; nd = hs_graph_next_node(g, nd)) {
		op_count *e;
		/* memcmp must not see NULL, even for no bytes. */
		hs_str op = nd->op.len ? nd->op : (hs_str){ "", 0 };
		HASH_FIND(hh, by_op, op.ptr, op.len, e);
		if (!e) {
			e = &t->slots[t->n++];
			e->op = op;
			int rc;
			HS_STRMAP_ADD(hh, by_op, e->op.ptr, e->op.len, e, rc);
			if (rc) {
				HASH_CLEAR(hh, by_op);
				free(t->slots);
				return rc;
			}
		}
		e->count++;
	}
	HASH_CLEAR(hh, by_op);
	t->sorted = malloc((t->n ? t->n : 1) * sizeof *t->sorted);
	if (!t->sorted) {
		free(t->slots);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < t->n; i++)
		t->sorted[i] = &t->slots[i];
	qsort(t->sorted, t->n, sizeof *t->sorted, cmp_op);
	return HS_OK;
}

static void op_table_free(op_table *t)
{
	free(t->slots);
	free(t->sorted);
}

/* One line on what the conversion would do to the call. */
static void outcome_text(hs_buf *b, const hs_call_report *e)
{
	char buf[160];
	if (e->result == HS_CALL_CONVERTED) {
		snprintf(buf, sizeof buf, "would convert (%s stub, %zu nodes removed, %zu added)",
			 e->plugin ? e->plugin : "generic", e->nodes_removed, e->nodes_added);
		put_text(b, buf);
		return;
	}
	put_text(b, "would be ");
	put_text(b, hs_call_result_name(e->result));
	put_text(b, ": ");
	put_text(b, e->reason ? e->reason : "");
}

/* ------------------------------------------------------------- JSON */

static void json_operands(hs_buf *b, const hs_operand *ops, size_t n)
{
	put_text(b, "[");
	for (size_t i = 0; i < n; i++) {
		const hs_operand *o = &ops[i];
		char num[96];
		snprintf(num, sizeof num, "%s{\"index\":%lld,\"aggregation\":", i ? "," : "",
			 (long long)o->index);
		put_text(b, num);
		put_cstr_or_null(b, hs_aggregation_name(o->aggregation));
		snprintf(num, sizeof num, ",\"count\":%zu,\"dtype\":%d,\"nodes\":[", o->count,
			 o->dtype);
		put_text(b, num);
		for (size_t k = 0; k < o->count; k++) {
			const hs_node *id = o->identities[k] ? o->identities[k] : o->tensors[k].node;
			if (k)
				put_text(b, ",");
			if (id)
				put_json_str(b, id->name.ptr, id->name.len);
			else
				put_text(b, "null");
		}
		put_text(b, "]}");
	}
	put_text(b, "]");
}

static void json_call(hs_buf *b, const hs_plan *p, size_t i)
{
	const hs_call *c = p->pc[i].call;
	const hs_call_report *e = &p->entries[i];
	char num[64];
	put_text(b, i ? ",{\"function\":" : "{\"function\":");
	put_json_str(b, c->function.ptr, c->function.len);
	put_text(b, ",\"uuid\":");
	put_json_str(b, c->uuid.ptr, c->uuid.len);
	snprintf(num, sizeof num, ",\"level\":%lld,\"inputs\":", (long long)c->level);
	put_text(b, num);
	json_operands(b, c->inputs, c->n_inputs);
	put_text(b, ",\"outputs\":");
	json_operands(b, c->outputs, c->n_outputs);
	put_text(b, ",\"interior\":");
	put_size(b, p->pc[i].region.n);
	put_text(b, ",\"problems\":");
	put_problems(b, e->problems, e->n_problems);
	put_text(b, ",\"conversion\":{\"result\":");
	put_cstr_or_null(b, hs_call_result_name(e->result));
	put_text(b, ",\"plugin\":");
	put_cstr_or_null(b, e->plugin);
	put_text(b, ",\"reason\":");
	put_cstr_or_null(b, e->reason);
	put_text(b, ",\"text\":");
	hs_buf text = { NULL, 0, 0, 0 };
	outcome_text(&text, e);
	b->failed |= text.failed;
	put_json_str(b, text.data ? (const char *)text.data : "", text.len);
	hs_buf_free(&text);
	put_text(b, "}}");
}

static void json_body(hs_buf *b, const hs_plan *p, const op_table *ops)
{
	put_text(b, "{\"file\":");
	put_cstr_or_null(b, hs_graph_source(p->g));
	put_text(b, ",\"nodes\":");
	put_size(b, hs_graph_node_count(p->g));
	put_text(b, ",\"ops\":{");
	for (size_t i = 0; i < ops->n; i++) {
		put_text(b, i ? "," : "");
		put_json_str(b, ops->sorted[i]->op.ptr, ops->sorted[i]->op.len);
		put_text(b, ":");
		put_size(b, ops->sorted[i]->count);
	}
	size_t np = hs_callset_problem_count(p->calls);
	put_text(b, "},\"graph_problems\":");
	put_problems(b, np ? hs_callset_problem(p->calls, 0) : NULL, np);
	put_text(b, ",\"calls\":[");
	for (size_t i = 0; i < p->n; i++)
		json_call(b, p, i);
	put_text(b, "]}\n");
}

/* ------------------------------------------------------------- text */

static void put_fmt(hs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_fmt(hs_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		hs_buf_put(b, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	hs_buf_put(b, big, (size_t)n);
	free(big);
}

static void text_operands(hs_buf *b, const char *dir, const hs_operand *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const hs_operand *o = &ops[i];
		const hs_node *first = !o->count ? NULL
				       : o->identities[0] ? o->identities[0] : o->tensors[0].node;
		hs_str name = first ? first->name : (hs_str){ "?", 1 };
		put_fmt(b, "    %s %lld: %s x%zu, %s, first '%.*s'\n", dir,
			(long long)o->index, hs_aggregation_name(o->aggregation), o->count,
			hs_dtype_name(o->dtype), (int)name.len, name.ptr);
	}
}

static void text_problems(hs_buf *b, const char *indent, const hs_problem *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		put_fmt(b, "%s%s: %s [%s]\n", indent, hs_severity_name(v[k].severity),
			v[k].message, v[k].code);
}

static void text_body(hs_buf *b, const hs_plan *p, const op_table *ops)
{
	put_fmt(b, "%s: %zu nodes, %zu distinct ops\n", hs_graph_source(p->g),
		hs_graph_node_count(p->g), ops->n);
	for (size_t i = 0; i < ops->n; i++)
		put_fmt(b, "  %-32.*s %zu\n", (int)ops->sorted[i]->op.len,
			ops->sorted[i]->op.ptr, ops->sorted[i]->count);
	size_t np = hs_callset_problem_count(p->calls);
	text_problems(b, "", np ? hs_callset_problem(p->calls, 0) : NULL, np);
	put_fmt(b, "%zu OpHint call(s)\n", p->n);
	for (size_t i = 0; i < p->n; i++) {
		const hs_call *c = p->pc[i].call;
		const hs_call_report *e = &p->entries[i];
		put_fmt(b, "call %zu: %.*s uuid %.*s level %lld, %zu input(s), %zu output(s), interior %zu nodes\n",
			i, HS_STR_ARG(c->function), HS_STR_ARG(c->uuid), (long long)c->level,
			c->n_inputs, c->n_outputs, p->pc[i].region.n);
		text_operands(b, "input", c->inputs, c->n_inputs);
		text_operands(b, "output", c->outputs, c->n_outputs);
		text_problems(b, "    ", e->problems, e->n_problems);
		put_text(b, "    ");
		outcome_text(b, e);
		put_text(b, "\n");
	}
}

/* ------------------------------------------------------------ entries */

typedef void (*body_fn)(hs_buf *b, const hs_plan *p, const op_table *ops);

static int render(char **out, const hs_plan *p, body_fn body, const char *what)
{
	if (!out || !p)
		return hs_fail(HS_EINVAL, "%s: out and plan are required", what);
	*out = NULL;
	op_table ops;
	int rc = count_ops(&ops, p->g);
	if (rc)
		return rc;
	hs_buf b = { NULL, 0, 0, 0 };
	body(&b, p, &ops);
	op_table_free(&ops);
	return hs_buf_finish(out, &b);
}

int hs_plan_to_json(char **out, const hs_plan *p)
{
	return render(out, p, json_body, "hs_plan_to_json");
}

int hs_plan_to_text(char **out, const hs_plan *p)
{
	return render(out, p, text_body, "hs_plan_to_text");
}
