/* The plan as a Graphviz digraph (`hintstub draw`).
 *
 * Every node of the graph maps to one vertex of the picture: itself
 * (whole drawings, and the call --detail opens), the box of the call that
 * owns it (a region node or a hint identity), or a counted group of the
 * other nodes sharing a name scope.  Edges between vertices are counted,
 * so a summarised picture has a bounded number of boxes and arrows
 * whatever the graph's size: at most CALL_LIMIT call boxes (more calls
 * are grouped by function and result) and SCOPE_LIMIT groups (the scope
 * depth is the finest that gives no more).  Linear in nodes and edges,
 * plus sorting the edges between vertices. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw_internal.h"
#include "error.h"
#include "grow.h"
#include "strmap.h"

#define CALL_LIMIT 60
#define SCOPE_LIMIT 40
/* Inputs and readers of a stub shown in the after view. */
#define STUB_EDGE_LIMIT 64
/* Bytes of a node's last name component in its label, of its whole name
 * in its tooltip. */
#define HS_DRAW_LABEL_MAX 32
#define HS_DRAW_TOOLTIP_MAX 256

enum { ROLE_NONE = 0, ROLE_IN = 1, ROLE_OUT = 2 };
enum { V_NODE, V_CALL, V_CALLS, V_SCOPE };

typedef struct vertex {
	int kind;
	size_t call;          /* V_CALL, V_CALLS: the (first) call */
	const hs_node *node;  /* V_NODE */
	size_t nodes;         /* nodes it stands for */
	size_t calls;         /* V_CALLS: how many */
	int by_look;          /* V_CALLS: grouped by result only */
	char *scope;          /* V_SCOPE: the key, malloc'd ("" top level) */
} vertex;

typedef struct drawing {
	const hs_plan *p;
	const hs_graph *g;
	const hs_draw_options *o;
	size_t n_ids;
	uint32_t *owner;      /* per node id: call index + 1, 0 none */
	uint8_t *role;        /* per node id: ROLE_* */
	uint32_t *arg;        /* identities: argument index << 19 | element */
	uint32_t *vert;       /* per node id: vertex index */
	vertex *v;
	size_t n_v, cap_v;
	uint64_t *edges;      /* src << 33 | dst << 1 | control */
	size_t n_e, cap_e;
	int summary;
	size_t detail;        /* SIZE_MAX: none */
	int scope_depth;      /* 0: one group of everything else */
	int scope_folded;     /* digit runs read as '#' */
} drawing;

static void drawing_free(drawing *d)
{
	for (size_t i = 0; i < d->n_v; i++)
		free(d->v[i].scope);
	free(d->v);
	free(d->edges);
	free(d->owner);
	free(d->role);
	free(d->arg);
	free(d->vert);
}

static int add_vertex(drawing *d, size_t *out, vertex v)
{
	int rc = hs_grow((void **)&d->v, &d->cap_v, d->n_v + 1, sizeof *d->v, 64);
	if (rc)
		return rc;
	if (d->n_v >= UINT32_MAX / 4)
		return hs_fail(HS_ELIMIT, "too many vertices to draw");
	d->v[d->n_v] = v;
	*out = d->n_v++;
	return HS_OK;
}

/* ------------------------------------------------------------ owners */

static void mark_operands(drawing *d, const hs_call *c, size_t i, int out)
{
	size_t n = out ? hs_call_output_count(c) : hs_call_input_count(c);
	for (size_t k = 0; k < n; k++) {
		const hs_operand *o = out ? hs_call_output_at(c, k) : hs_call_input_at(c, k);
		for (size_t e = 0; e < hs_operand_count(o); e++) {
			const hs_node *id = hs_operand_identity(o, e);
			if (!id || d->owner[hs_node_id(id)] != i + 1)
				continue;
			d->role[hs_node_id(id)] = out ? ROLE_OUT : ROLE_IN;
			d->arg[hs_node_id(id)] = (uint32_t)hs_operand_index(o) << 19 |
						 (uint32_t)(e < 0x7ffff ? e : 0x7ffff);
		}
	}
}

/* A node belongs to the first call that has it as an identity or in its
 * region (identities first, so that a shared one is drawn as a hint). */
static void mark_owners(drawing *d)
{
	const hs_plan *p = d->p;
	for (size_t i = 0; i < p->n; i++) {
		const hs_call *c = hs_plan_call_of(p, i);
		for (size_t k = 0; k < hs_call_identity_count(c); k++) {
			uint32_t id = hs_node_id(hs_call_identity(c, k));
			if (!d->owner[id])
				d->owner[id] = (uint32_t)(i + 1);
		}
		mark_operands(d, c, i, 0);
		mark_operands(d, c, i, 1);
	}
	for (size_t i = 0; i < p->n; i++) {
		const hs_region *r = &p->pc[i].region;
		for (size_t k = 0; k < hs_region_node_count(r); k++) {
			uint32_t id = hs_node_id(hs_region_node(r, k));
			if (!d->owner[id])
				d->owner[id] = (uint32_t)(i + 1);
		}
	}
}

/* ------------------------------------------------------------- calls */

typedef struct call_key {
	hs_str function;
	const char *look;
	const char *plugin;
	size_t i;
} call_key;

static int cmp_str(hs_str a, hs_str b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
	return c ? c : (a.len > b.len) - (a.len < b.len);
}

static int cmp_look(const void *x, const void *y)
{
	const call_key *a = x, *b = y;
	int c = strcmp(a->look, b->look);
	return c ? c : (a->i > b->i) - (a->i < b->i);
}

static int cmp_call(const void *x, const void *y)
{
	const call_key *a = x, *b = y;
	int c = cmp_str(a->function, b->function);
	if (!c)
		c = strcmp(a->look, b->look);
	if (!c)
		c = strcmp(a->plugin, b->plugin);
	return c ? c : (a->i > b->i) - (a->i < b->i);
}

static int same_group(const call_key *a, const call_key *b, int by_look)
{
	return strcmp(a->look, b->look) == 0 &&
	       (by_look || (cmp_str(a->function, b->function) == 0 &&
			    strcmp(a->plugin, b->plugin) == 0));
}

static size_t count_groups(const call_key *k, size_t n, int by_look)
{
	size_t groups = 0;
	for (size_t i = 0; i < n; i++)
		groups += !i || !same_group(&k[i - 1], &k[i], by_look);
	return groups;
}

/* More calls than CALL_LIMIT: one box per function and result (or per
 * result only when even those are too many). */
static int group_calls(drawing *d, uint32_t *cvert)
{
	const hs_plan *p = d->p;
	call_key *k = malloc((p->n ? p->n : 1) * sizeof *k);
	size_t n = 0;
	if (!k)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (size_t i = 0; i < p->n; i++) {
		if (i == d->detail)
			continue;
		hs_call_report entry;
		hs_plan_entry_read(p, i, &entry);
		const hs_call_report *e = &entry;
		k[n++] = (call_key){ hs_call_function(hs_plan_call_of(p, i)), hs_draw_look(e),
				     e->plugin ? e->plugin : "", i };
	}
	qsort(k, n, sizeof *k, cmp_call);
	int by_look = count_groups(k, n, 0) > CALL_LIMIT;
	if (by_look)
		qsort(k, n, sizeof *k, cmp_look);
	int rc = HS_OK;
	size_t vi = 0;
	for (size_t i = 0; i < n && rc == HS_OK; i++) {
		if (!i || !same_group(&k[i - 1], &k[i], by_look))
			rc = add_vertex(d, &vi, (vertex){ .kind = V_CALLS, .call = k[i].i,
							  .by_look = by_look });
		if (rc == HS_OK) {
			d->v[vi].calls++;
			cvert[k[i].i] = (uint32_t)vi;
		}
	}
	free(k);
	return rc;
}

static int call_vertices(drawing *d, uint32_t *cvert)
{
	const hs_plan *p = d->p;
	if (p->n - (d->detail != SIZE_MAX) > CALL_LIMIT)
		return group_calls(d, cvert);
	for (size_t i = 0; i < p->n; i++) {
		size_t vi;
		if (i == d->detail)
			continue;
		int rc = add_vertex(d, &vi, (vertex){ .kind = V_CALL, .call = i });
		if (rc)
			return rc;
		cvert[i] = (uint32_t)vi;
	}
	return HS_OK;
}

/* ------------------------------------------------------------ scopes */

typedef struct scope_entry {
	UT_hash_handle hh;
	char *key;
	size_t len;
	size_t nodes;
	uint32_t index;
} scope_entry;

/* The first `depth` components of a name's scope (its name without the
 * last component), digit runs as '#' when folded. */
static size_t scope_key(char *buf, hs_str name, int depth, int folded)
{
	size_t end = 0, n = 0;
	int parts = 0;
	for (size_t i = 0; i < name.len && parts < depth; i++)
		if (name.ptr[i] == '/') {
			end = i;
			parts++;
		}
	for (size_t i = 0; i < end; i++) {
		char c = name.ptr[i];
		int digit = c >= '0' && c <= '9';
		if (folded && digit && n && buf[n - 1] == '#')
			continue;
		buf[n++] = folded && digit ? '#' : c;
	}
	return n;
}

static void scopes_free(scope_entry **head)
{
	scope_entry *e, *tmp;
	HASH_ITER(hh, *head, e, tmp) {
		HASH_DEL(*head, e);
		free(e->key);
		free(e);
	}
}

/* Groups the unowned nodes by scope key; 1 when there would be more than
 * SCOPE_LIMIT groups. */
static int try_scopes(drawing *d, scope_entry **head, size_t *n_groups, char *buf,
		      int depth, int folded)
{
	for (hs_node *nd = hs_graph_next_node(d->g, NULL); nd; nd = hs_graph_next_node(d->g, nd)) {
		uint32_t id = hs_node_id(nd);
		if (d->vert[id] != UINT32_MAX)
			continue;
		size_t len = scope_key(buf, hs_name_of(nd), depth, folded);
		scope_entry *e;
		HASH_FIND(hh, *head, buf, len, e);
		if (!e) {
			if (*n_groups == SCOPE_LIMIT)
				return 1;
			e = calloc(1, sizeof *e);
			if (!e || !(e->key = malloc(len + 1))) {
				free(e);
				return hs_fail(HS_ENOMEM, "out of memory");
			}
			memcpy(e->key, buf, len);
			e->key[len] = '\0';
			e->len = len;
			e->index = (uint32_t)(*n_groups)++;
			int rc;
			HS_STRMAP_ADD(hh, *head, e->key, e->len, e, rc);
			if (rc) {
				free(e->key);
				free(e);
				return rc;
			}
		}
		e->nodes++;
	}
	return HS_OK;
}

static size_t longest_name(const hs_graph *g)
{
	size_t max = 1;
	for (hs_node *nd = hs_graph_next_node(g, NULL); nd; nd = hs_graph_next_node(g, nd))
		if (hs_name_of(nd).len > max)
			max = hs_name_of(nd).len;
	return max;
}

/* Finest first; unfolded before folded, down to one group. */
static const struct { int depth, folded; } scope_tries[] = {
	{ 4, 0 }, { 3, 0 }, { 2, 0 }, { 4, 1 }, { 3, 1 }, { 2, 1 }, { 1, 0 }, { 1, 1 }, { 0, 0 }
};

static int scope_vertices(drawing *d)
{
	char *buf = malloc(longest_name(d->g) + 1);
	scope_entry *head = NULL;
	size_t n_groups = 0, t = 0;
	int rc = buf ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
	for (; rc == HS_OK && t < sizeof scope_tries / sizeof scope_tries[0]; t++) {
		n_groups = 0;
		rc = try_scopes(d, &head, &n_groups, buf, scope_tries[t].depth,
				scope_tries[t].folded);
		if (rc == HS_OK)
			break;
		scopes_free(&head);
		if (rc == 1)
			rc = HS_OK;
	}
	free(buf);
	if (rc) {
		scopes_free(&head);
		return rc;
	}
	d->scope_depth = scope_tries[t].depth;
	d->scope_folded = scope_tries[t].folded;
	size_t base = d->n_v;
	for (size_t k = 0; k < n_groups && rc == HS_OK; k++) {
		size_t vi;
		rc = add_vertex(d, &vi, (vertex){ .kind = V_SCOPE });
	}
	scope_entry *e, *tmp;
	HASH_ITER(hh, head, e, tmp) {
		if (rc)
			break;
		vertex *v = &d->v[base + e->index];
		v->nodes = e->nodes;
		v->scope = e->key;
		e->key = NULL;
	}
	if (rc == HS_OK) {
		/* The same keys again, now looked up to their vertex. */
		char *key = malloc(longest_name(d->g) + 1);
		if (!key)
			rc = hs_fail(HS_ENOMEM, "out of memory");
		for (hs_node *nd = hs_graph_next_node(d->g, NULL); nd && rc == HS_OK;
		     nd = hs_graph_next_node(d->g, nd)) {
			uint32_t id = hs_node_id(nd);
			if (d->vert[id] != UINT32_MAX)
				continue;
			size_t len = scope_key(key, hs_name_of(nd), d->scope_depth, d->scope_folded);
			HASH_FIND(hh, head, key, len, e);
			d->vert[id] = (uint32_t)(base + e->index);
		}
		free(key);
	}
	scopes_free(&head);
	return rc;
}

/* ----------------------------------------------------------- vertices */

static int node_vertex(drawing *d, const hs_node *nd)
{
	size_t vi;
	int rc = add_vertex(d, &vi, (vertex){ .kind = V_NODE, .node = nd, .nodes = 1 });
	if (rc == HS_OK)
		d->vert[hs_node_id(nd)] = (uint32_t)vi;
	return rc;
}

static int make_vertices(drawing *d)
{
	const hs_graph *g = d->g;
	int rc = HS_OK;
	if (!d->summary) {
		for (hs_node *nd = hs_graph_next_node(g, NULL); nd && rc == HS_OK;
		     nd = hs_graph_next_node(g, nd))
			rc = node_vertex(d, nd);
		return rc;
	}
	uint32_t *cvert = malloc((d->p->n ? d->p->n : 1) * sizeof *cvert);
	if (!cvert)
		return hs_fail(HS_ENOMEM, "out of memory");
	rc = call_vertices(d, cvert);
	for (hs_node *nd = hs_graph_next_node(g, NULL); nd && rc == HS_OK;
	     nd = hs_graph_next_node(g, nd)) {
		uint32_t own = d->owner[hs_node_id(nd)];
		if (own && own - 1 == d->detail) {
			rc = node_vertex(d, nd);
		} else if (own) {
			d->vert[hs_node_id(nd)] = cvert[own - 1];
			d->v[cvert[own - 1]].nodes++;
		}
	}
	free(cvert);
	return rc ? rc : scope_vertices(d);
}

/* -------------------------------------------------------------- edges */

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

static int collect_edges(drawing *d)
{
	for (hs_node *nd = hs_graph_next_node(d->g, NULL); nd; nd = hs_graph_next_node(d->g, nd)) {
		uint64_t dst = d->vert[hs_node_id(nd)];
		for (size_t i = 0; i < hs_node_input_count(nd); i++) {
			int port;
			const hs_node *src = hs_node_input_node(nd, i, &port);
			if (!src)
				continue;
			uint64_t s = d->vert[hs_node_id(src)];
			if (s == dst)
				continue;
			int rc = hs_grow((void **)&d->edges, &d->cap_e, d->n_e + 1,
					 sizeof *d->edges, 256);
			if (rc)
				return rc;
			d->edges[d->n_e++] = s << 33 | dst << 1 | (uint64_t)(port < 0);
		}
	}
	if (d->n_e)   /* qsort must not see NULL, even for nothing */
		qsort(d->edges, d->n_e, sizeof *d->edges, cmp_u64);
	return HS_OK;
}

/* ------------------------------------------------------------- output */

static void put(hs_buf *b, const char *text)
{
	hs_buf_put(b, text, strlen(text));
}

static void put_name(hs_buf *b, hs_str s)
{
	hs_draw_escape(b, s.ptr, s.len, HS_DRAW_NAME_MAX, HS_ESC_DOT);
}

/* A node's label shows the last component of its name (the scope is the
 * cluster's or the neighbours'); the tooltip (SVG) the whole name. */
static void put_node_label(hs_buf *b, const hs_node *nd)
{
	hs_str name = hs_name_of(nd), last = name;
	for (size_t i = name.len; i > 0; i--)
		if (name.ptr[i - 1] == '/' && i < name.len) {
			last = (hs_str){ name.ptr + i, name.len - i };
			break;
		}
	hs_draw_escape(b, last.ptr, last.len, HS_DRAW_LABEL_MAX, HS_ESC_DOT);
	put(b, "\\n");
	put_name(b, hs_op_of(nd));
	put(b, "\" tooltip=\"");
	hs_draw_escape(b, name.ptr, name.len, HS_DRAW_TOOLTIP_MAX, HS_ESC_DOT);
}

static void put_short_uuid(hs_buf *b, hs_str u)
{
	hs_draw_escape(b, u.ptr, u.len < 12 ? u.len : 12, 0, HS_ESC_DOT);
	if (u.len > 12)
		put(b, "...");
}

/* The result line of a call, cut to a readable length. */
static void put_result(hs_buf *b, const hs_call_report *e)
{
	hs_buf words = { NULL, 0, 0, 0 };
	hs_draw_result(&words, e);
	b->failed |= words.failed;
	hs_draw_escape(b, (const char *)words.data, words.len, 72, HS_ESC_DOT);
	hs_buf_free(&words);
}

static void put_node_line(hs_buf *b, const char *prefix, const hs_node *nd,
			  const char *attrs)
{
	hs_buf_printf(b, "  %s%u [label=\"", prefix, (unsigned)hs_node_id(nd));
	put_node_label(b, nd);
	hs_buf_printf(b, "\"%s];\n", attrs);
}

/* One node of the original graph drawn as itself; a hint identity says
 * which argument (and element) it stands for. */
static void put_vertex_node(hs_buf *b, const drawing *d, size_t vi, const char *border)
{
	const hs_node *nd = d->v[vi].node;
	uint32_t id = hs_node_id(nd);
	int role = d->role[id];
	hs_buf_printf(b, "  v%zu [label=\"", vi);
	if (role) {
		uint32_t arg = d->arg[id];
		hs_buf_printf(b, "%s %u", role == ROLE_IN ? "input" : "output", arg >> 19);
		if (arg & 0x7ffff)
			hs_buf_printf(b, "[%u]", arg & 0x7ffff);
		put(b, "\\n");
	}
	put_node_label(b, nd);
	put(b, "\"");
	if (role)
		hs_buf_printf(b, " shape=%s color=\"%s\" penwidth=2",
			      role == ROLE_IN ? "invhouse" : "house", border);
	put(b, "];\n");
}

static void put_call_label(hs_buf *b, const drawing *d, size_t i)
{
	const hs_call *c = hs_plan_call_of(d->p, i);
	put_name(b, hs_call_function(c));
	put(b, "\\n");
	put_short_uuid(b, hs_call_uuid(c));
	put(b, "\\n");
	hs_call_report e;
	hs_plan_entry_read(d->p, i, &e);
	put_result(b, &e);
}

/* The tooltip of a call (SVG): its whole function, uuid and result, so
 * the picture names every call in full. */
static void put_call_tooltip(hs_buf *b, const drawing *d, size_t i)
{
	const hs_call *c = hs_plan_call_of(d->p, i);
	hs_str fn = hs_call_function(c), uuid = hs_call_uuid(c);
	hs_buf words = { NULL, 0, 0, 0 };
	put(b, "tooltip=\"call ");
	hs_draw_escape(b, uuid.ptr, uuid.len, HS_DRAW_TOOLTIP_MAX, HS_ESC_DOT);
	put(b, " (");
	hs_draw_escape(b, fn.ptr, fn.len, HS_DRAW_TOOLTIP_MAX, HS_ESC_DOT);
	put(b, "): ");
	hs_call_report e;
	hs_plan_entry_read(d->p, i, &e);
	hs_draw_result(&words, &e);
	b->failed |= words.failed;
	hs_draw_escape(b, (const char *)words.data, words.len, HS_DRAW_TOOLTIP_MAX, HS_ESC_DOT);
	hs_buf_free(&words);
	put(b, "\"");
}

/* The stub a call became, in words (summary boxes). */
static void put_stub_words(hs_buf *b, const drawing *d, size_t i)
{
	if (!d->o->after)
		return;
	const hs_node *s = hs_draw_stub(d->o->after, hs_plan_call_of(d->p, i));
	if (!s) {
		put(b, "\\nno stub in the converted graph");
		return;
	}
	put(b, "\\nbecame ");
	put_name(b, hs_op_of(s));
	hs_buf_printf(b, " (%zu inputs, %zu readers)", hs_node_input_count(s),
		      hs_node_consumer_count(s));
}

/* The identities of one direction in argument order, in one rank. */
static void put_operands(hs_buf *b, const drawing *d, size_t i, int out, const char *border)
{
	const hs_call *c = hs_plan_call_of(d->p, i);
	size_t n = out ? hs_call_output_count(c) : hs_call_input_count(c);
	int any = 0;
	for (size_t k = 0; k < n; k++) {
		const hs_operand *o = out ? hs_call_output_at(c, k) : hs_call_input_at(c, k);
		for (size_t e = 0; e < hs_operand_count(o); e++) {
			const hs_node *nd = hs_operand_identity(o, e);
			uint32_t id = nd ? hs_node_id(nd) : 0;
			/* Each identity once: at the element mark_operands kept. */
			uint32_t arg = (uint32_t)hs_operand_index(o) << 19 |
				       (uint32_t)(e < 0x7ffff ? e : 0x7ffff);
			if (!nd || d->owner[id] != i + 1 || d->role[id] != (out ? ROLE_OUT : ROLE_IN) ||
			    d->arg[id] != arg || d->v[d->vert[id]].kind != V_NODE)
				continue;
			if (!any++)
				put(b, "  { rank=same;\n");
			put_vertex_node(b, d, d->vert[id], border);
		}
	}
	if (any)
		put(b, "  }\n");
}

/* The identities (inputs first, outputs last) and the region of call i,
 * in rank groups so inputs sit on one side and outputs on the other. */
static void put_members(hs_buf *b, const drawing *d, size_t i, const char *border)
{
	const hs_call *c = hs_plan_call_of(d->p, i);
	const hs_region *r = &d->p->pc[i].region;
	put_operands(b, d, i, 0, border);
	put_operands(b, d, i, 1, border);
	for (size_t k = 0; k < hs_call_identity_count(c); k++) {
		uint32_t id = hs_node_id(hs_call_identity(c, k));
		if (d->owner[id] == i + 1 && d->role[id] == ROLE_NONE &&
		    d->v[d->vert[id]].kind == V_NODE)
			put_vertex_node(b, d, d->vert[id], border);
	}
	for (size_t k = 0; k < hs_region_node_count(r); k++) {
		uint32_t id = hs_node_id(hs_region_node(r, k));
		if (d->owner[id] == i + 1 && d->role[id] == ROLE_NONE &&
		    d->v[d->vert[id]].kind == V_NODE)
			put_vertex_node(b, d, d->vert[id], border);
	}
}

/* How call i is drawn (hs_draw_look of its entry). */
static const char *look_of(const drawing *d, size_t i)
{
	hs_call_report e;
	hs_plan_entry_read(d->p, i, &e);
	return hs_draw_look(&e);
}

static void put_cluster(hs_buf *b, const drawing *d, size_t i)
{
	const char *fill, *border;
	hs_draw_colours(look_of(d, i), &fill, &border);
	hs_buf_printf(b, " subgraph cluster_c%zu {\n  label=\"", i);
	put_call_label(b, d, i);
	put(b, "\";\n  ");
	put_call_tooltip(b, d, i);
	hs_buf_printf(b, ";\n  style=\"rounded,filled\"; fillcolor=\"%s\"; color=\"%s\"; penwidth=2;\n",
		      fill, border);
	put_members(b, d, i, border);
	put(b, " }\n");
}

/* A node drawn in call i's cluster, or SIZE_MAX (the arrow from the
 * cluster to its after view starts there). */
static size_t member_vertex(const drawing *d, size_t i)
{
	const hs_call *c = hs_plan_call_of(d->p, i);
	const hs_region *r = &d->p->pc[i].region;
	for (size_t k = 0; k < hs_call_identity_count(c); k++) {
		uint32_t id = hs_node_id(hs_call_identity(c, k));
		if (d->owner[id] == i + 1 && d->v[d->vert[id]].kind == V_NODE)
			return d->vert[id];
	}
	for (size_t k = 0; k < hs_region_node_count(r); k++) {
		uint32_t id = hs_node_id(hs_region_node(r, k));
		if (d->owner[id] == i + 1 && d->v[d->vert[id]].kind == V_NODE)
			return d->vert[id];
	}
	return SIZE_MAX;
}

/* The after view of call i: its stub, what it reads, who reads it, and
 * an arrow "becomes" from the call's cluster to it. */
static void put_after(hs_buf *b, const drawing *d, size_t i)
{
	const hs_node *s = hs_draw_stub(d->o->after, hs_plan_call_of(d->p, i));
	if (!s)
		return;
	const char *fill, *border;
	char attrs[96];
	hs_draw_colours(look_of(d, i), &fill, &border);
	hs_buf_printf(b, " subgraph cluster_a%zu {\n  label=\"after: ", i);
	put_name(b, hs_call_function(hs_plan_call_of(d->p, i)));
	put(b, "\\n");
	put_short_uuid(b, hs_call_uuid(hs_plan_call_of(d->p, i)));
	hs_buf_printf(b, "\";\n  style=\"rounded,dashed\"; color=\"%s\";\n", border);
	snprintf(attrs, sizeof attrs, " shape=box3d style=filled fillcolor=\"%s\" color=\"%s\" penwidth=2",
		 fill, border);
	put_node_line(b, "a", s, attrs);
	put(b, " }\n");
	unsigned sid = (unsigned)hs_node_id(s);
	size_t n_in = hs_node_input_count(s), n_out = hs_node_consumer_count(s);
	for (size_t k = 0; k < n_in && k < STUB_EDGE_LIMIT; k++) {
		int port;
		const hs_node *src = hs_node_input_node(s, k, &port);
		if (!src)
			continue;
		put_node_line(b, "a", src, "");
		/* The input's position; the port it reads when not 0. */
		hs_buf_printf(b, "  a%u -> a%u [label=\"%zu", (unsigned)hs_node_id(src), sid, k);
		if (port > 0)
			hs_buf_printf(b, " (:%d)", port);
		hs_buf_printf(b, "\"%s];\n", port < 0 ? " style=dashed" : "");
	}
	for (size_t k = 0; k < n_out && k < STUB_EDGE_LIMIT; k++) {
		const hs_node *dst = hs_node_consumer(s, k);
		put_node_line(b, "a", dst, "");
		for (size_t j = 0; j < hs_node_input_count(dst); j++) {
			int port;
			if (hs_node_input_node(dst, j, &port) == s)
				hs_buf_printf(b, "  a%u -> a%u [label=\":%d\"];\n", sid,
					      (unsigned)hs_node_id(dst), port);
		}
	}
	if (n_in > STUB_EDGE_LIMIT || n_out > STUB_EDGE_LIMIT)
		hs_buf_printf(b, "  a%u_more [shape=note label=\"%zu inputs, %zu readers in all\"];\n",
			      sid, n_in, n_out);
	size_t from = member_vertex(d, i);
	if (from != SIZE_MAX)
		hs_buf_printf(b, "  v%zu -> a%u [ltail=cluster_c%zu lhead=cluster_a%zu style=dashed "
			      "color=\"#999999\" label=\"becomes\"];\n", from, sid, i, i);
}

static void put_summary_vertex(hs_buf *b, const drawing *d, size_t vi)
{
	const vertex *v = &d->v[vi];
	const char *fill, *border;
	if (v->kind == V_SCOPE) {
		hs_buf_printf(b, "  v%zu [shape=folder fillcolor=\"#f4f4f4\" label=\"", vi);
		if (d->scope_depth == 0)
			put(b, "other nodes");
		else if (!v->scope[0])
			put(b, "(top level)");
		else {
			hs_draw_escape(b, v->scope, strlen(v->scope), HS_DRAW_NAME_MAX, HS_ESC_DOT);
			put(b, "/");
		}
		hs_buf_printf(b, "\\n%zu nodes\"];\n", v->nodes);
		return;
	}
	hs_call_report entry;
	hs_plan_entry_read(d->p, v->call, &entry);
	const hs_call_report *e = &entry;
	hs_draw_colours(hs_draw_look(e), &fill, &border);
	hs_buf_printf(b, "  v%zu [shape=box3d style=filled fillcolor=\"%s\" color=\"%s\" penwidth=2 label=\"",
		      vi, fill, border);
	if (v->kind == V_CALL) {
		const hs_plan_call *pc = &d->p->pc[v->call];
		put_call_label(b, d, v->call);
		hs_buf_printf(b, "\\n%zu nodes (region %zu, hint identities %zu)",
			      v->nodes, hs_region_node_count(&pc->region), hs_call_identity_count(hs_plan_call_of(d->p, v->call)));
		put_stub_words(b, d, v->call);
		put(b, "\" ");
		put_call_tooltip(b, d, v->call);
		put(b, "];\n");
		return;
	} else {
		if (!v->by_look) {
			put_name(b, hs_call_function(hs_plan_call_of(d->p, v->call)));
			put(b, "\\n");
		}
		hs_buf_printf(b, "%zu calls\\n", v->calls);
		if (v->by_look)
			hs_buf_printf(b, "%s", hs_draw_look(e));
		else
			put_result(b, e);
		hs_buf_printf(b, "\\n%zu nodes", v->nodes);
	}
	put(b, "\"];\n");
}

static void put_edges(hs_buf *b, const drawing *d)
{
	for (size_t i = 0; i < d->n_e;) {
		uint64_t key = d->edges[i];
		size_t j = i;
		while (j < d->n_e && d->edges[j] == key)
			j++;
		hs_buf_printf(b, "  v%llu -> v%llu", (unsigned long long)(key >> 33),
			      (unsigned long long)((key >> 1) & 0xffffffffu));
		if (j - i > 1 && (key & 1))
			hs_buf_printf(b, " [label=\"%zu\" style=dashed]", j - i);
		else if (j - i > 1)
			hs_buf_printf(b, " [label=\"%zu\"]", j - i);
		else if (key & 1)
			put(b, " [style=dashed]");
		put(b, ";\n");
		i = j;
	}
}

static void put_header(hs_buf *b, const drawing *d)
{
	const char *src = hs_graph_source(d->g);
	put(b, "digraph hintstub {\n graph [fontname=\"Helvetica\" fontsize=12 labelloc=t rankdir=LR label=\"");
	hs_draw_escape(b, src ? src : "", src ? strlen(src) : 0, 0, HS_ESC_DOT);
	hs_buf_printf(b, "\\n%zu nodes, %zu OpHint calls, %zu converted%s\" compound=true nodesep=0.25 ranksep=0.35];\n",
		      hs_graph_node_count(d->g), d->p->n, d->p->converted,
		      d->summary ? " (summarised)" : "");
	put(b, " node [fontname=\"Helvetica\" fontsize=9 shape=box style=\"rounded,filled\" fillcolor=\"#ffffff\" color=\"#888888\"];\n");
	put(b, " edge [color=\"#666666\" arrowsize=0.6 fontname=\"Helvetica\" fontsize=8];\n");
}

static void emit(hs_buf *b, const drawing *d)
{
	put_header(b, d);
	for (size_t i = 0; i < d->p->n; i++)
		if (!d->summary || i == d->detail)
			put_cluster(b, d, i);
	for (size_t vi = 0; vi < d->n_v; vi++) {
		const vertex *v = &d->v[vi];
		if (v->kind != V_NODE)
			put_summary_vertex(b, d, vi);
		else if (!d->owner[hs_node_id(v->node)])
			put_vertex_node(b, d, vi, "#888888");
	}
	put_edges(b, d);
	if (d->o->after)
		for (size_t i = 0; i < d->p->n; i++)
			if (!d->summary || i == d->detail)
				put_after(b, d, i);
	put(b, "}\n");
}

static int build(drawing *d)
{
	d->n_ids = hs_graph_id_limit(d->g);
	size_t n = d->n_ids ? d->n_ids : 1;
	d->owner = calloc(n, sizeof *d->owner);
	d->role = calloc(n, sizeof *d->role);
	d->arg = calloc(n, sizeof *d->arg);
	d->vert = malloc(n * sizeof *d->vert);
	if (!d->owner || !d->role || !d->arg || !d->vert)
		return hs_fail(HS_ENOMEM, "out of memory");
	memset(d->vert, 0xff, n * sizeof *d->vert);
	mark_owners(d);
	size_t max = d->o->max_nodes ? d->o->max_nodes : HS_DRAW_DEFAULT_MAX_NODES;
	d->summary = d->o->mode == HS_DRAW_SUMMARY || d->detail != SIZE_MAX ||
		     (d->o->mode == HS_DRAW_AUTO && hs_graph_node_count(d->g) > max);
	int rc = make_vertices(d);
	return rc ? rc : collect_edges(d);
}

int hs_plan_to_dot(char **out, const hs_plan *p, const hs_draw_options *opts)
{
	if (!out)
		return hs_fail(HS_EINVAL, "hs_plan_to_dot: out and plan are required");
	*out = NULL;
	int rc = hs_draw_check(&opts, p, "hs_plan_to_dot");
	if (rc)
		return rc;
	drawing d;
	memset(&d, 0, sizeof d);
	d.p = p;
	d.g = p->g;
	d.o = opts;
	rc = hs_draw_detail(&d.detail, p, opts);
	if (rc == HS_OK)
		rc = build(&d);
	hs_buf b = { NULL, 0, 0, 0 };
	if (rc == HS_OK)
		emit(&b, &d);
	drawing_free(&d);
	if (rc) {
		hs_buf_free(&b);
		return rc;
	}
	return hs_buf_take_text(out, &b);
}
