/* What `hintstub inspect` prints, as text and as JSON, rendered from a
 * plan: the graph's op histogram, every call with its operands and
 * problems, and the planned outcome.  Rendering the plan, not a second
 * opinion of it, is what keeps inspect, explain and the conversion in
 * agreement. */
#include <config.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "report_internal.h"
#include "prefetch.h"
#include "text.h"

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
	memset(t, 0, sizeof *t);
	if (!(t->sorted = malloc((ops->n ? ops->n : 1) * sizeof *t->sorted)))
		return hs_fail(HS_ENOMEM, "out of memory");
	/* The graph counts its live nodes by op as they come and go: no
	 * walk over the nodes. */
	for (uint32_t id = 0; id < ops->n; id++)
		if (ops->live[id])
			t->sorted[t->n++] = (op_count){ ops->names[id], ops->live[id] };
	qsort(t->sorted, t->n, sizeof *t->sorted, cmp_op);
	return HS_OK;
}

/* One line on what the conversion would do to the call (without indent
 * and newline), written in room of outcome_room(e) bytes. */
static size_t outcome_room(const hs_call_report *e)
{
	if (e->result == HS_CALL_CONVERTED)
		return 64 + 2 * HS_TEXT_INT_MAX + strlen(e->plugin ? e->plugin : "generic");
	return 16 + strlen(hs_call_result_name(e->result)) + strlen(e->reason ? e->reason : "");
}

/* A converted call's line is cut at CONVERTED_MAX bytes (as it always
 * was: a plugin's name is not bounded). */
enum { CONVERTED_MAX = 159 };

static char *outcome_to(char *p, const hs_call_report *e)
{
	if (e->result == HS_CALL_CONVERTED) {
		const char *plugin = e->plugin ? e->plugin : "generic";
		char *start = p;
		p = HS_TEXT_LIT(p, "would convert (");
		p = hs_text_mem(p, plugin, strlen(plugin));
		p = HS_TEXT_LIT(p, " stub, ");
		p = hs_text_u64(p, e->nodes_removed);
		p = HS_TEXT_LIT(p, " nodes removed, ");
		p = hs_text_u64(p, e->nodes_added);
		p = HS_TEXT_LIT(p, " added)");
		return p - start > CONVERTED_MAX ? start + CONVERTED_MAX : p;
	}
	const char *result = hs_call_result_name(e->result), *reason = e->reason ? e->reason : "";
	p = HS_TEXT_LIT(p, "would be ");
	p = hs_text_mem(p, result, strlen(result));
	p = HS_TEXT_LIT(p, ": ");
	return hs_text_mem(p, reason, strlen(reason));
}

/* Where a rendering goes: into one string (fn NULL), or handed to the
 * caller's function a slice at a time, so that a plan of many calls is
 * never held whole in memory (inspect of 60,000 calls prints 41 MB). */
typedef struct render_sink {
	hs_write_fn fn;
	void *payload;
	int rc;                 /* the first failure: stops the rendering */
	int parallel;           /* the calls' text may be rendered by a second
				   thread too (hs_plan_write_text_parallel) */
	struct text_helper *helper; /* that thread, already running (made by
				   hs_plan_new_write_text), or NULL */
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

/* ------------------------------------------------------------ prefetch */

/* The name inspect shows for element k of an operand: its hint identity,
 * else the tensor's node (NULL when there is none). */
static const hs_node *element_node(const hs_operand *o, size_t k)
{
	const hs_node *id = hs_operand_identity_at(o, k);
	return id ? id : hs_operand_tensor(o, k).node;
}

/* A call's rendering reads a few nodes and their names, scattered over
 * the graph and the file: a cache miss each, which would follow one
 * another.  So the nodes of a call are prefetched four calls before it is
 * rendered and their names (with the call's function and uuid) two calls
 * before, when its nodes are in the cache: the misses overlap.  (A call's
 * text takes ~0.2 us; on 940k nodes / 60k calls 2 and 4 rendered the text
 * in 9 ms, 1 and 2 in 11, 3 and 6 in 10.)  Up to `elements` elements of
 * an operand (text shows the first, JSON all). */
enum { PREFETCH_NAMES_AHEAD = 2, PREFETCH_NODES_AHEAD = 4, PREFETCH_NAME_MAX = 256,
       PREFETCH_JSON_ELEMENTS = 8 };

/* The head of a name: a line is rendered as its bytes come in. */
HS_PREFETCH_FN prefetch_bytes(const char *s, size_t n)
{
	hs_prefetch_span(s, n < PREFETCH_NAME_MAX ? n : PREFETCH_NAME_MAX);
}

HS_PREFETCH_FN prefetch_operands(const hs_operand *ops, size_t n, size_t elements, int names)
{
	for (size_t i = 0; i < n; i++) {
		size_t m = ops[i].count < elements ? ops[i].count : elements;
		for (size_t k = 0; k < m; k++) {
			const hs_node *nd = element_node(&ops[i], k);
			if (nd && names)
				hs_prefetch_name(nd);
			else if (nd)
				__builtin_prefetch(nd);
		}
	}
}

/* The names of one call, or its nodes (names false). */
HS_PREFETCH_FN prefetch_call(const hs_call *c, size_t elements, int names)
{
	if (names) {
		prefetch_bytes(c->function.ptr, c->function.len);
		prefetch_bytes(c->uuid.ptr, c->uuid.len);
	}
	prefetch_operands(c->inputs, c->n_inputs, elements, names);
	prefetch_operands(c->outputs, c->n_outputs, elements, names);
}

/* Before call i of the set is rendered (from the set: the text that
 * needs no plan is rendered before there is one). */
HS_PREFETCH_FN prefetch_ahead(const hs_callset *calls, size_t i, size_t elements)
{
	if (i + PREFETCH_NAMES_AHEAD < calls->n_calls)
		prefetch_call(calls->calls[i + PREFETCH_NAMES_AHEAD], elements, 1);
	if (i + PREFETCH_NODES_AHEAD < calls->n_calls)
		prefetch_call(calls->calls[i + PREFETCH_NODES_AHEAD], elements, 0);
}

/* ------------------------------------------------------------- JSON */

/* A NUL-terminated string, or NULL (written as null), measured once for
 * its room and its text. */
static hs_str opt_cstr(const char *s)
{
	return (hs_str){ s, s ? strlen(s) : 0 };
}

static uint64_t json_opt_room(hs_str s)
{
	return s.ptr ? HS_JSON_STR_ROOM(s.len) : 4;
}

static char *json_opt_to(char *p, hs_str s)
{
	return s.ptr ? hs_json_str_to(p, s.ptr, s.len) : HS_TEXT_LIT(p, "null");
}

/* One operand: its head in one room, then each node name in its own. */
static void json_operand(hs_buf *b, const hs_operand *o, int first)
{
	hs_str agg = opt_cstr(hs_aggregation_name(o->aggregation));
	char *p = hs_buf_room(b, 96 + 3 * HS_TEXT_INT_MAX + json_opt_room(agg));
	if (!p)
		return;
	p = first ? HS_TEXT_LIT(p, "{\"index\":") : HS_TEXT_LIT(p, ",{\"index\":");
	p = hs_text_i64(p, o->index);
	p = HS_TEXT_LIT(p, ",\"aggregation\":");
	p = json_opt_to(p, agg);
	p = HS_TEXT_LIT(p, ",\"count\":");
	p = hs_text_u64(p, o->count);
	p = HS_TEXT_LIT(p, ",\"dtype\":");
	p = hs_text_i64(p, o->dtype);
	hs_buf_commit(b, HS_TEXT_LIT(p, ",\"nodes\":["));
	for (size_t k = 0; k < o->count; k++) {
		const hs_node *id = element_node(o, k);
		if (!(p = hs_buf_room(b, 1 + (id ? HS_JSON_STR_ROOM(hs_name_of(id).len) : 4))))
			return;
		if (k)
			*p++ = ',';
		p = id ? hs_json_str_to(p, hs_name_of(id).ptr, hs_name_of(id).len) : HS_TEXT_LIT(p, "null");
		hs_buf_commit(b, p);
	}
	hs_buf_put(b, "]}", 2);
}

static void json_operands(hs_buf *b, const hs_operand *ops, size_t n)
{
	hs_buf_put(b, "[", 1);
	for (size_t i = 0; i < n; i++)
		json_operand(b, &ops[i], i == 0);
	hs_buf_put(b, "]", 1);
}

/* The outcome line as a JSON string, in room HS_JSON_STR_ROOM(n) + n for
 * a line of at most n bytes: the line is written at the far end and
 * escaped down to p.  The escape never reaches what it has still to
 * read: it writes at most six bytes for each byte it reads, and starts
 * 6n + 2 bytes ahead. */
static char *json_outcome_to(char *p, const hs_call_report *e, size_t n)
{
	char *line = p + HS_JSON_STR_ROOM(n);
	size_t len = (size_t)(outcome_to(line, e) - line);
	return hs_json_str_to(p, line, len);
}

static void json_conversion(hs_buf *b, const hs_call_report *e)
{
	hs_str result = opt_cstr(hs_call_result_name(e->result)), plugin = opt_cstr(e->plugin),
	       reason = opt_cstr(e->reason);
	size_t n = outcome_room(e);
	char *p = hs_buf_room(b, 64 + json_opt_room(result) + json_opt_room(plugin) +
			      json_opt_room(reason) + HS_JSON_STR_ROOM(n) + n);
	if (!p)
		return;
	p = HS_TEXT_LIT(p, ",\"conversion\":{\"result\":");
	p = json_opt_to(p, result);
	p = HS_TEXT_LIT(p, ",\"plugin\":");
	p = json_opt_to(p, plugin);
	p = HS_TEXT_LIT(p, ",\"reason\":");
	p = json_opt_to(p, reason);
	p = HS_TEXT_LIT(p, ",\"text\":");
	p = json_outcome_to(p, e, n);
	hs_buf_commit(b, HS_TEXT_LIT(p, "}}"));
}

static void json_call(hs_buf *b, const hs_plan *p, size_t i)
{
	const hs_call *c = hs_plan_call_of(p, i);
	hs_call_report entry;
	hs_plan_entry_read(p, i, &entry);
	const hs_call_report *e = &entry;
	char *q = hs_buf_room(b, 64 + HS_TEXT_INT_MAX + HS_JSON_STR_ROOM(c->function.len) +
			      HS_JSON_STR_ROOM(c->uuid.len));
	if (!q)
		return;
	q = i ? HS_TEXT_LIT(q, ",{\"function\":") : HS_TEXT_LIT(q, "{\"function\":");
	q = hs_json_str_to(q, c->function.ptr, c->function.len);
	q = HS_TEXT_LIT(q, ",\"uuid\":");
	q = hs_json_str_to(q, c->uuid.ptr, c->uuid.len);
	q = HS_TEXT_LIT(q, ",\"level\":");
	q = hs_text_i64(q, c->level);
	hs_buf_commit(b, HS_TEXT_LIT(q, ",\"inputs\":"));
	json_operands(b, c->inputs, c->n_inputs);
	hs_json_put_raw(b, ",\"outputs\":");
	json_operands(b, c->outputs, c->n_outputs);
	if ((q = hs_buf_room(b, 32 + HS_TEXT_INT_MAX))) {
		q = HS_TEXT_LIT(q, ",\"interior\":");
		q = hs_text_u64(q, p->pc[i].region.n);
		hs_buf_commit(b, HS_TEXT_LIT(q, ",\"problems\":"));
	}
	hs_report_put_problems(b, e->problems, e->n_problems);
	hs_report_put_children(b, p, i, e->result);
	json_conversion(b, e);
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
	for (size_t i = 0; i < p->n && sink_flush(s, b, 0); i++) {
		prefetch_ahead(p->calls, i, PREFETCH_JSON_ELEMENTS);
		json_call(b, p, i);
	}
	hs_json_put_raw(b, "]}\n");
}

/* ------------------------------------------------------------- text */

/* Names, uuids, ops and functions come from the graph: printed escaped
 * (hs_escape), so that none forges a line or reaches the terminal.  A
 * line is written in room reserved for it at once: its fixed text and
 * numbers (at most LINE_FIXED bytes), its strings' lengths, and
 * HS_ESCAPE_ROOM for the graph's strings. */
enum { LINE_FIXED = 128 + 6 * HS_TEXT_INT_MAX };

static void put_text(hs_buf *b, hs_str s)
{
	char *p = s.len ? hs_buf_room(b, HS_ESCAPE_ROOM(s.len)) : NULL;
	if (p)
		hs_buf_commit(b, hs_escape_to(p, s.ptr, s.len));
}

static void text_operands(hs_buf *b, const char *dir, const hs_operand *ops, size_t n)
{
	size_t dir_len = strlen(dir);
	for (size_t i = 0; i < n; i++) {
		const hs_operand *o = &ops[i];
		const hs_node *first = o->count ? element_node(o, 0) : NULL;
		hs_str name = first ? hs_name_of(first) : (hs_str){ "?", 1 };
		const char *agg = hs_aggregation_name(o->aggregation);
		const char *dtype = hs_dtype_name(o->dtype);
		size_t agg_len = strlen(agg), dtype_len = strlen(dtype);
		char *p = hs_buf_room(b, LINE_FIXED + dir_len + agg_len + dtype_len +
				      HS_ESCAPE_ROOM(name.len));
		if (!p)
			return;
		/* "    %s %lld: %s x%zu, %s, first '%s'\n" */
		p = HS_TEXT_LIT(p, "    ");
		p = hs_text_mem(p, dir, dir_len);
		*p++ = ' ';
		p = hs_text_i64(p, o->index);
		p = HS_TEXT_LIT(p, ": ");
		p = hs_text_mem(p, agg, agg_len);
		p = HS_TEXT_LIT(p, " x");
		p = hs_text_u64(p, o->count);
		p = HS_TEXT_LIT(p, ", ");
		p = hs_text_mem(p, dtype, dtype_len);
		p = HS_TEXT_LIT(p, ", first '");
		p = hs_escape_to(p, name.ptr, name.len);
		hs_buf_commit(b, HS_TEXT_LIT(p, "'\n"));
	}
}

static void text_problems(hs_buf *b, const char *indent, const hs_problem *v, size_t n)
{
	size_t indent_len = strlen(indent);
	for (size_t k = 0; k < n; k++) {
		const char *severity = hs_severity_name(v[k].severity);
		size_t severity_len = strlen(severity), message_len = strlen(v[k].message),
		       code_len = strlen(v[k].code);
		char *p = hs_buf_room(b, LINE_FIXED + indent_len + severity_len + message_len +
				      code_len);
		if (!p)
			return;
		/* "%s%s: %s [%s]\n" */
		p = hs_text_mem(p, indent, indent_len);
		p = hs_text_mem(p, severity, severity_len);
		p = HS_TEXT_LIT(p, ": ");
		p = hs_text_mem(p, v[k].message, message_len);
		p = HS_TEXT_LIT(p, " [");
		p = hs_text_mem(p, v[k].code, code_len);
		hs_buf_commit(b, HS_TEXT_LIT(p, "]\n"));
	}
}

/* "  OP<padded to 32> COUNT\n" (the padding counts the escaped op). */
static void text_op(hs_buf *b, const op_count *e)
{
	char *p = hs_buf_room(b, LINE_FIXED + 32 + HS_ESCAPE_ROOM(e->op.len));
	if (!p)
		return;
	p = HS_TEXT_LIT(p, "  ");
	char *op = p;
	p = hs_escape_to(p, e->op.ptr, e->op.len);
	if (p - op < 32) {
		memset(p, ' ', (size_t)(32 - (p - op)));
		p = op + 32;
	}
	*p++ = ' ';
	p = hs_text_u64(p, e->count);
	hs_buf_commit(b, HS_TEXT_LIT(p, "\n"));
}

/* "call %zu: F uuid U level %lld, %zu input(s), %zu output(s), interior ":
 * the head line up to what the plan says (text_call_interior). */
static void text_call_head(hs_buf *b, const hs_call *c, size_t i)
{
	char *q = hs_buf_room(b, LINE_FIXED + HS_ESCAPE_ROOM(c->function.len) +
			      HS_ESCAPE_ROOM(c->uuid.len));
	if (!q)
		return;
	q = HS_TEXT_LIT(q, "call ");
	q = hs_text_u64(q, i);
	q = HS_TEXT_LIT(q, ": ");
	q = hs_escape_to(q, c->function.ptr, c->function.len);
	q = HS_TEXT_LIT(q, " uuid ");
	q = hs_escape_to(q, c->uuid.ptr, c->uuid.len);
	q = HS_TEXT_LIT(q, " level ");
	q = hs_text_i64(q, c->level);
	q = HS_TEXT_LIT(q, ", ");
	q = hs_text_u64(q, c->n_inputs);
	q = HS_TEXT_LIT(q, " input(s), ");
	q = hs_text_u64(q, c->n_outputs);
	hs_buf_commit(b, HS_TEXT_LIT(q, " output(s), interior "));
}

/* "%zu nodes\n": the end of the head line. */
static void text_call_interior(hs_buf *b, const hs_plan *p, size_t i)
{
	char *q = hs_buf_room(b, LINE_FIXED);
	if (!q)
		return;
	q = hs_text_u64(q, p->pc[i].region.n);
	hs_buf_commit(b, HS_TEXT_LIT(q, " nodes\n"));
}

static void text_outcome(hs_buf *b, const hs_call_report *e)
{
	char *p = hs_buf_room(b, 8 + outcome_room(e));
	if (!p)
		return;
	p = HS_TEXT_LIT(p, "    ");
	p = outcome_to(p, e);
	hs_buf_commit(b, HS_TEXT_LIT(p, "\n"));
}

/* A call's text is its head up to the interior's size, that size, its
 * operands, then what the plan says of it: its problems, children and
 * outcome.  The first and the third need only the call set (most of the
 * bytes: 37.7 of 41.2 MB on the benchmark graph), and may be rendered
 * before the plan is made (hs_plan_new_write_text). */
static void text_call_operands(hs_buf *b, const hs_call *c)
{
	text_operands(b, "input", c->inputs, c->n_inputs);
	text_operands(b, "output", c->outputs, c->n_outputs);
}

static void text_call_planned(hs_buf *b, const hs_plan *p, size_t i)
{
	hs_call_report entry;
	hs_plan_entry_read(p, i, &entry);
	text_problems(b, "    ", entry.problems, entry.n_problems);
	hs_report_text_children(b, p, i);
	text_outcome(b, &entry);
}

/* One call's text: its head, operands, problems, children and outcome. */
static void text_call(hs_buf *b, const hs_plan *p, size_t i)
{
	const hs_call *c = hs_plan_call_of(p, i);
	prefetch_ahead(p->calls, i, 1);
	text_call_head(b, c, i);
	text_call_interior(b, p, i);
	text_call_operands(b, c);
	text_call_planned(b, p, i);
}

/* The text of a block of PARALLEL_CHUNK calls that needs no plan, made
 * while the plan is: each call's head (to "interior ") and operand lines
 * one after the other in `text`, and where each of the two ends. */
typedef struct pre_block {
	hs_buf text;
	size_t *ends;      /* call j of the block: head 2j, operands 2j + 1 */
} pre_block;

/* Blocks [0, n) of the calls, rendered (n is final when they are read). */
typedef struct pre_text {
	pre_block *blocks;
	size_t n, cap;
} pre_text;

static void text_call_from(hs_buf *b, const hs_plan *p, size_t i, const pre_text *pre);

/* Calls [from, to), flushed to the sink (when there is one) as they go;
 * those of the blocks in pre (may be NULL) stitched from their text. */
static void text_calls(hs_buf *b, const hs_plan *p, size_t from, size_t to, render_sink *s,
		       const pre_text *pre)
{
	for (size_t i = from; i < to && sink_flush(s, b, 0); i++)
		text_call_from(b, p, i, pre);
}

/* hs_plan_write_text_parallel: the calls go in chunks; a second thread
 * renders the odd ones into two buffers of its own while this thread
 * renders the even ones and writes every chunk in order (fn is called
 * from here only).  Memory: two chunks' text (~0.7 MB each on the
 * benchmark graph's calls), not the whole rendering.  The plan is only
 * read, by both threads (hs_plan_new's promise). */
enum { PARALLEL_CHUNK = 1024, PARALLEL_MIN_CALLS = 8 * PARALLEL_CHUNK,
       PRE_BLOCK_SLACK = 64 * 1024 };
/* The text rendered before the plan is at most this (and a block): the
 * blocks after it are rendered once the plan is made, as
 * hs_plan_write_text_parallel does (37.7 MB would be held on 940k nodes,
 * 60k calls: 32 MiB keeps the memory inspect adds under ~35 MB). */
#define PRE_TEXT_MAX ((size_t)32 << 20)

/* Call i from its block's text when it was rendered, the plan's parts
 * between: copies, ~4 times faster than rendering it (a name is escaped
 * byte by byte, and read from a scattered node). */
static void text_call_from(hs_buf *b, const hs_plan *p, size_t i, const pre_text *pre)
{
	size_t k = i / PARALLEL_CHUNK, j = i % PARALLEL_CHUNK;
	if (!pre || k >= pre->n) {
		text_call(b, p, i);
		return;
	}
	const pre_block *pb = &pre->blocks[k];
	size_t start = j ? pb->ends[2 * j - 1] : 0, head = pb->ends[2 * j],
	       end = pb->ends[2 * j + 1];
	hs_buf_put(b, pb->text.data + start, head - start);
	text_call_interior(b, p, i);
	hs_buf_put(b, pb->text.data + head, end - head);
	text_call_planned(b, p, i);
}

/* Renders block k of the calls into pb, its room reserved at once from
 * the block before's size (`guess`): a buffer growing by remapping takes
 * the process's memory map lock from the planning thread's page faults.
 * False when out of memory (pb is then not used). */
static int pre_render_block(pre_block *pb, const hs_callset *calls, size_t k, size_t guess)
{
	size_t from = k * PARALLEL_CHUNK, to = from + PARALLEL_CHUNK;
	if (to > calls->n_calls)
		to = calls->n_calls;
	if (!(pb->ends = malloc(2 * (to - from) * sizeof *pb->ends)) ||
	    hs_buf_reserve(&pb->text, guess + guess / 8 + PRE_BLOCK_SLACK) != 0)
		return 0;
	for (size_t i = from; i < to && !pb->text.failed; i++) {
		const hs_call *c = calls->calls[i];
		prefetch_ahead(calls, i, 1);
		text_call_head(&pb->text, c, i);
		pb->ends[2 * (i - from)] = pb->text.len;
		text_call_operands(&pb->text, c);
		pb->ends[2 * (i - from) + 1] = pb->text.len;
	}
	return !pb->text.failed;
}

/* A block's text is freed once it is written: by the thread that wrote
 * it, as it goes (not all 37.7 MB at the end, by the caller's thread). */
static void pre_block_free(pre_block *pb)
{
	hs_buf_free(&pb->text);
	free(pb->ends);
	pb->ends = NULL;
}

static void pre_text_free(pre_text *pre)
{
	for (size_t k = 0; k < pre->cap; k++)
		pre_block_free(&pre->blocks[k]);
	free(pre->blocks);
}

typedef struct text_helper {
	const hs_plan *p;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	hs_buf buf[2];     /* the helper's k-th chunk (chunk 2k + 1) in buf[k % 2] */
	int full[2];       /* buf[i] holds a chunk this thread has not written */
	int stop;          /* this thread is done (or gave up: a write failed) */
	/* hs_plan_new_write_text: the helper first renders the blocks' text
	 * that needs no plan, until the plan is made (`planned`, p set), then
	 * says how many it rendered (pre.n, final once `pre_done`). */
	const hs_callset *calls;
	pre_text pre;
	int planned, pre_done;
} text_helper;

static size_t chunk_end(const hs_plan *p, size_t chunk)
{
	size_t end = (chunk + 1) * PARALLEL_CHUNK;
	return end < p->n ? end : p->n;
}

static void *text_helper_run(void *arg)
{
	text_helper *h = arg;
	for (size_t k = 0, chunk = 1; chunk * PARALLEL_CHUNK < h->p->n; k++, chunk += 2) {
		hs_buf *b = &h->buf[k % 2];
		pthread_mutex_lock(&h->lock);
		while (h->full[k % 2] && !h->stop)
			pthread_cond_wait(&h->changed, &h->lock);
		int stop = h->stop;
		pthread_mutex_unlock(&h->lock);
		if (stop)
			break;
		b->len = 0;
		for (size_t i = chunk * PARALLEL_CHUNK; i < chunk_end(h->p, chunk); i++)
			text_call_from(b, h->p, i, &h->pre);
		if (chunk < h->pre.n)
			pre_block_free(&h->pre.blocks[chunk]);
		pthread_mutex_lock(&h->lock);
		h->full[k % 2] = 1;
		pthread_cond_broadcast(&h->changed);
		pthread_mutex_unlock(&h->lock);
	}
	return NULL;
}

/* Writes the helper's chunk 2k + 1 once it is rendered, then frees its
 * buffer for chunk 2k + 5. */
static void write_helper_chunk(text_helper *h, size_t k, render_sink *s)
{
	hs_buf *hb = &h->buf[k % 2];
	pthread_mutex_lock(&h->lock);
	while (!h->full[k % 2])
		pthread_cond_wait(&h->changed, &h->lock);
	pthread_mutex_unlock(&h->lock);
	sink_flush(s, hb, 1);
	pthread_mutex_lock(&h->lock);
	h->full[k % 2] = 0;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}

static int helper_init(text_helper *h)
{
	if (pthread_mutex_init(&h->lock, NULL) != 0)
		return 0;
	if (pthread_cond_init(&h->changed, NULL) == 0)
		return 1;
	pthread_mutex_destroy(&h->lock);
	return 0;
}

/* Stops the helper (when it was started: thread not NULL) and frees what
 * it holds. */
static void helper_end(text_helper *h, pthread_t *thread)
{
	if (thread) {
		pthread_mutex_lock(&h->lock);
		h->stop = 1;
		pthread_cond_broadcast(&h->changed);
		pthread_mutex_unlock(&h->lock);
		pthread_join(*thread, NULL);
	}
	hs_buf_free(&h->buf[0]);
	hs_buf_free(&h->buf[1]);
	pre_text_free(&h->pre);
	pthread_cond_destroy(&h->changed);
	pthread_mutex_destroy(&h->lock);
}

/* The calls, the even chunks rendered here and the odd ones by the
 * helper (running text_helper_run), every chunk written from here in
 * order. */
static void text_calls_shared(hs_buf *b, const hs_plan *p, text_helper *h, render_sink *s)
{
	for (size_t chunk = 0; chunk * PARALLEL_CHUNK < p->n && !s->rc; chunk++) {
		if (chunk % 2 == 0) {
			text_calls(b, p, chunk * PARALLEL_CHUNK, chunk_end(p, chunk), s, &h->pre);
			if (chunk < h->pre.n)
				pre_block_free(&h->pre.blocks[chunk]);
			continue;
		}
		sink_flush(s, b, 1); /* what this thread rendered goes first */
		if (!s->rc)
			write_helper_chunk(h, chunk / 2, s);
	}
}

/* 0 when the calls are too few or the thread cannot start: the caller
 * renders them alone. */
static int text_calls_parallel(hs_buf *b, const hs_plan *p, render_sink *s)
{
	if (p->n < PARALLEL_MIN_CALLS || !s->fn)
		return 0;
	text_helper h = { .p = p };
	pthread_t thread;
	if (!helper_init(&h))
		return 0;
	int started = pthread_create(&thread, NULL, text_helper_run, &h) == 0;
	if (started)
		text_calls_shared(b, p, &h, s);
	helper_end(&h, started ? &thread : NULL);
	return started;
}

static void text_body(hs_buf *b, const hs_plan *p, const op_table *ops, render_sink *s)
{
	const char *src = hs_graph_source(p->g) ? hs_graph_source(p->g) : "";
	put_text(b, (hs_str){ src, strlen(src) });
	char *q = hs_buf_room(b, LINE_FIXED);
	if (q) {
		q = HS_TEXT_LIT(q, ": ");
		q = hs_text_u64(q, hs_graph_node_count(p->g));
		q = HS_TEXT_LIT(q, " nodes, ");
		q = hs_text_u64(q, ops->n);
		hs_buf_commit(b, HS_TEXT_LIT(q, " distinct ops\n"));
	}
	for (size_t i = 0; i < ops->n; i++)
		text_op(b, &ops->sorted[i]);
	size_t np = hs_callset_problem_count(p->calls);
	text_problems(b, "", np ? hs_callset_problem(p->calls, 0) : NULL, np);
	if ((q = hs_buf_room(b, LINE_FIXED))) {
		q = hs_text_u64(q, p->n);
		hs_buf_commit(b, HS_TEXT_LIT(q, " OpHint call(s)\n"));
	}
	if (s->helper)
		text_calls_shared(b, p, s->helper, s);
	else if (!s->parallel || !text_calls_parallel(b, p, s))
		text_calls(b, p, 0, p->n, s, NULL);
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
	render_sink s = { NULL, NULL, 0, 0, NULL };
	return render(out, p, json_body, &s, "hs_plan_to_json");
}

int hs_plan_to_text(char **out, const hs_plan *p)
{
	render_sink s = { NULL, NULL, 0, 0, NULL };
	return render(out, p, text_body, &s, "hs_plan_to_text");
}

int hs_plan_write_json(const hs_plan *p, hs_write_fn fn, void *payload)
{
	render_sink s = { fn, payload, 0, 0, NULL };
	return render(NULL, p, json_body, &s, "hs_plan_write_json");
}

int hs_plan_write_text(const hs_plan *p, hs_write_fn fn, void *payload)
{
	render_sink s = { fn, payload, 0, 0, NULL };
	return render(NULL, p, text_body, &s, "hs_plan_write_text");
}

int hs_plan_write_text_parallel(const hs_plan *p, hs_write_fn fn, void *payload)
{
	render_sink s = { fn, payload, 0, 1, NULL };
	return render(NULL, p, text_body, &s, "hs_plan_write_text_parallel");
}

/* hs_plan_new_write_text's helper: the blocks' text that needs no plan,
 * until the plan is made, then text_helper_run's share of the rest.
 * pre.n is its own until pre_done (this thread alone writes it; the
 * caller reads it once it is final). */
static void *overlap_run(void *arg)
{
	text_helper *h = arg;
	int planned = 0;
	size_t guess = 0, held = 0;
	while (!planned && h->pre.n < h->pre.cap && held < PRE_TEXT_MAX &&
	       pre_render_block(&h->pre.blocks[h->pre.n], h->calls, h->pre.n, guess)) {
		guess = h->pre.blocks[h->pre.n++].text.len;
		held += guess;
		pthread_mutex_lock(&h->lock);
		planned = h->planned;
		pthread_mutex_unlock(&h->lock);
	}
	pthread_mutex_lock(&h->lock);
	h->pre_done = 1;
	pthread_cond_broadcast(&h->changed);
	while (!h->planned && !h->stop)
		pthread_cond_wait(&h->changed, &h->lock);
	int go = h->p && !h->stop;
	pthread_mutex_unlock(&h->lock);
	return go ? text_helper_run(h) : NULL;
}

/* Starts overlap_run on calls when they are enough for two threads (and
 * the plan will take them: a wrong set is hs_plan_new's to refuse).  0:
 * not started, nothing to free. */
static int overlap_start(text_helper *h, pthread_t *thread, const hs_graph *g,
			 const hs_callset *calls)
{
	if (!g || !calls || calls->g != g || calls->n_calls < PARALLEL_MIN_CALLS)
		return 0;
	size_t n = (calls->n_calls + PARALLEL_CHUNK - 1) / PARALLEL_CHUNK;
	if (!(h->pre.blocks = calloc(n, sizeof *h->pre.blocks)))
		return 0;
	h->pre.cap = n;
	h->calls = calls;
	if (!helper_init(h)) {
		pre_text_free(&h->pre);
		return 0;
	}
	if (pthread_create(thread, NULL, overlap_run, h) == 0)
		return 1;
	helper_end(h, NULL);
	return 0;
}

int hs_plan_new_write_text(hs_plan **out, const hs_graph *g, const hs_callset *calls,
			   const hs_plan_options *opts, hs_write_fn fn, void *payload)
{
	if (!out || !fn)
		return hs_fail(HS_EINVAL, "hs_plan_new_write_text: out and the write "
			       "function are required");
	*out = NULL;
	text_helper h = { .p = NULL };
	pthread_t thread;
	int started = overlap_start(&h, &thread, g, calls);
	int rc = hs_plan_new(out, g, calls, opts);
	if (!started)
		return rc ? rc : hs_plan_write_text_parallel(*out, fn, payload);
	/* The helper stops at the end of its block and says how far it got. */
	pthread_mutex_lock(&h.lock);
	h.p = rc ? NULL : *out;
	h.planned = 1;
	pthread_cond_broadcast(&h.changed);
	while (!h.pre_done)
		pthread_cond_wait(&h.changed, &h.lock);
	pthread_mutex_unlock(&h.lock);
	if (!rc) {
		render_sink s = { fn, payload, 0, 1, &h };
		rc = render(NULL, *out, text_body, &s, "hs_plan_new_write_text");
	}
	helper_end(&h, &thread);
	return rc;
}
