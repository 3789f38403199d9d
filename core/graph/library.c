/* The function library: an index of FunctionDefs by signature name over
 * the graph's bytes, built only when asked (level-2 calls), and the
 * pruning of functions nothing refers to any more. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr_iter.h"
#include "error.h"
#include "grow.h"
#include "library.h"

/* AttrValue.func = 10 and .list = 1 (ListValue.func = 9);
 * NameAttrList.name = 1. */
enum { ATTR_LIST = 1, ATTR_FUNC = 10, LIST_FUNC = 9, NAME_ATTR_LIST_NAME = 1 };

/* The payload of the last length-delimited field `number` of a message
 * (protobuf keeps the last of a non-repeated field); 0 when absent. */
static int last_len_field(hs_str *out, const uint8_t *p, size_t len, uint32_t number)
{
	const uint8_t *end = p + len;
	hs_field f;
	int rc, found = 0;
	while ((rc = hs_wire_next(&f, &p, end)) == HS_WIRE_OK) {
		if (f.number != number || f.wire_type != HS_WT_LEN)
			continue;
		out->ptr = (const char *)f.data;
		out->len = f.len;
		found = 1;
	}
	return rc == HS_WIRE_END ? found : rc;
}

static int add_function(hs_library *lib, const hs_field *f)
{
	hs_str sig = { "", 0 }, name = { "", 0 };
	int rc = last_len_field(&sig, f->data, f->len, HS_FUNCTION_SIGNATURE);
	if (rc > 0)
		rc = last_len_field(&name, (const uint8_t *)sig.ptr, sig.len, HS_OPDEF_NAME);
	if (rc < 0)
		return hs_fail(HS_EPARSE, "library: function at byte %zu: %s",
			       (size_t)(f->start - lib->g->bytes), hs_wire_status_text(rc));
	if (hs_grow((void **)&lib->fns, &lib->cap, lib->n + 1, sizeof *lib->fns, 16))
		return HS_ENOMEM;
	lib->fns[lib->n++] = (hs_function){ name, f->data, f->len };
	return HS_OK;
}

static int index_library_field(hs_library *lib, const hs_item *it)
{
	const uint8_t *p = it->field, *end = p + it->len;
	hs_field top, f;
	if (hs_wire_next(&top, &p, end) != HS_WIRE_OK || top.number != HS_GRAPH_LIBRARY)
		return HS_OK;
	p = top.data;
	end = top.data + top.len;
	int rc;
	while ((rc = hs_wire_next(&f, &p, end)) == HS_WIRE_OK)
		if (f.number == HS_LIBRARY_FUNCTION && f.wire_type == HS_WT_LEN &&
		    (rc = add_function(lib, &f)) != HS_OK)
			return rc;
	if (rc != HS_WIRE_END)
		return hs_fail(HS_EPARSE, "library at byte %zu: %s",
			       (size_t)(top.start - lib->g->bytes), hs_wire_status_text(rc));
	return HS_OK;
}

static int cmp_name(hs_str a, hs_str b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int c = memcmp(a.ptr, b.ptr, n);
	return c ? c : (a.len > b.len) - (a.len < b.len);
}

/* Equal names keep library order (the later one sorts after). */
static int cmp_entry(const void *pa, const void *pb)
{
	const hs_library_entry *a = pa, *b = pb;
	int c = cmp_name(a->name, b->name);
	return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

int hs_library_open(hs_library **out, const hs_graph *g)
{
	*out = NULL;
	hs_library *lib = calloc(1, sizeof *lib);
	if (!lib)
		return hs_fail(HS_ENOMEM, "out of memory");
	lib->g = g;
	int rc = HS_OK;
	for (size_t i = 0; i < g->n_items && !rc; i++)
		rc = index_library_field(lib, &g->items[i]);
	if (!rc && !(lib->by_name = malloc((lib->n ? lib->n : 1) * sizeof *lib->by_name)))
		rc = hs_fail(HS_ENOMEM, "out of memory");
	if (rc) {
		hs_library_free(lib);
		return rc;
	}
	for (size_t i = 0; i < lib->n; i++)
		lib->by_name[i] = (hs_library_entry){ lib->fns[i].name, (uint32_t)i };
	qsort(lib->by_name, lib->n, sizeof *lib->by_name, cmp_entry);
	*out = lib;
	return HS_OK;
}

void hs_library_free(hs_library *lib)
{
	if (!lib)
		return;
	free(lib->fns);
	free(lib->by_name);
	free(lib);
}

const hs_function *hs_library_find(const hs_library *lib, hs_str name)
{
	size_t lo = 0, hi = lib ? lib->n : 0, found = SIZE_MAX;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_name(lib->by_name[mid].name, name);
		if (c <= 0) {
			if (c == 0)
				found = mid;
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return found == SIZE_MAX ? NULL : &lib->fns[lib->by_name[found].pos];
}

int hs_library_load_body(hs_graph **out, const hs_library *lib, const hs_function *f)
{
	char label[200];
	snprintf(label, sizeof label, "function '%.*s'",
		 (int)(f->name.len > 150 ? 150 : f->name.len), f->name.ptr);
	return hs_scope_load(out, &hs_functiondef_container, f->def, f->def_len, label,
			     &lib->g->body_opts);
}

/* ------------------------------------------------------------- pruning */

typedef struct prune_state {
	const hs_library *lib;
	uint8_t *used;          /* per function of lib->fns */
	uint32_t *todo;         /* functions whose bodies are still to scan */
	size_t n_todo;
} prune_state;

/* Every function of that name (the library may repeat one): the run of
 * equal names in the sorted index. */
static void mark_name(prune_state *st, hs_str name)
{
	const hs_library *lib = st->lib;
	size_t lo = 0, hi = lib->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_name(lib->by_name[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < lib->n && !cmp_name(lib->by_name[lo].name, name); lo++) {
		uint32_t k = lib->by_name[lo].pos;
		if (st->used[k])
			continue;
		st->used[k] = 1;
		st->todo[st->n_todo++] = k;
	}
}

static void mark_func_value(prune_state *st, const uint8_t *p, size_t len)
{
	hs_str name;
	if (last_len_field(&name, p, len, NAME_ATTR_LIST_NAME) > 0)
		mark_name(st, name);
}

/* Every function an AttrValue names: func, or list.func entries. */
static void mark_attr_value(prune_state *st, hs_str value)
{
	const uint8_t *p = (const uint8_t *)value.ptr, *end = p + value.len;
	hs_field f, g;
	while (hs_wire_next(&f, &p, end) == HS_WIRE_OK) {
		if (f.wire_type != HS_WT_LEN)
			continue;
		if (f.number == ATTR_FUNC)
			mark_func_value(st, f.data, f.len);
		if (f.number != ATTR_LIST)
			continue;
		const uint8_t *q = f.data, *qend = f.data + f.len;
		while (hs_wire_next(&g, &q, qend) == HS_WIRE_OK)
			if (g.number == LIST_FUNC && g.wire_type == HS_WT_LEN)
				mark_func_value(st, g.data, g.len);
	}
}

static void mark_nodes(prune_state *st, const hs_graph *g)
{
	for (hs_node *n = hs_graph_next_node(g, NULL); n; n = hs_graph_next_node(g, n)) {
		hs_attr_iter it;
		hs_attr_entry e;
		hs_attr_iter_init_edited(&it, n);
		while (hs_attr_iter_next(&it, &e))
			if (e.has_value)
				mark_attr_value(st, e.value);
	}
}

/* The functions reachable from the live nodes of g. */
static int mark_used(prune_state *st, const hs_graph *g)
{
	mark_nodes(st, g);
	while (st->n_todo) {
		hs_graph *body;
		int rc = hs_library_load_body(&body, st->lib, &st->lib->fns[st->todo[--st->n_todo]]);
		if (rc)
			return rc;
		mark_nodes(st, body);
		hs_graph_free(body);
	}
	return HS_OK;
}

static int gradient_kept(const prune_state *st, const uint8_t *p, size_t len)
{
	hs_str name;
	if (last_len_field(&name, p, len, HS_GRADIENT_FUNCTION_NAME) <= 0)
		return 1;
	const hs_function *f = hs_library_find(st->lib, name);
	return !f || st->used[f - st->lib->fns];
}

/* The library field without the unused functions, as a new item. */
static int rewrite_item(hs_graph *g, hs_item *it, const prune_state *st, size_t *next_fn)
{
	const uint8_t *p = it->field, *end = p + it->len;
	hs_field top, f;
	if (hs_wire_next(&top, &p, end) != HS_WIRE_OK || top.number != HS_GRAPH_LIBRARY)
		return HS_OK;
	hs_buf body = { 0 }, field = { 0 };
	p = top.data;
	end = top.data + top.len;
	while (hs_wire_next(&f, &p, end) == HS_WIRE_OK) {
		int keep = 1;
		if (f.number == HS_LIBRARY_FUNCTION && f.wire_type == HS_WT_LEN)
			keep = st->used[(*next_fn)++];
		else if (f.number == HS_LIBRARY_GRADIENT && f.wire_type == HS_WT_LEN)
			keep = gradient_kept(st, f.data, f.len);
		if (keep)
			hs_buf_put(&body, f.start, (size_t)(f.end - f.start));
	}
	hs_buf_put_len_field(&field, HS_GRAPH_LIBRARY, body.data, body.len);
	int rc = body.failed || field.failed ? hs_fail(HS_ENOMEM, "out of memory") : HS_OK;
	const char *copy = NULL;
	if (!rc)
		rc = hs_graph_intern_at(&copy, NULL, g, (hs_str){ (const char *)field.data, field.len });
	if (!rc) {
		it->field = (const uint8_t *)copy;
		it->len = field.len;
	}
	hs_buf_free(&body);
	hs_buf_free(&field);
	return rc;
}

int hs_graph_prune_library(size_t *dropped, hs_graph *g)
{
	if (dropped)
		*dropped = 0;
	if (!g)
		return hs_fail(HS_EINVAL, "hs_graph_prune_library: no graph");
	if (!g->has_library)
		return HS_OK;
	hs_library *lib;
	int rc = hs_library_open(&lib, g);
	if (rc)
		return rc;
	prune_state st = { lib, calloc(lib->n ? lib->n : 1, 1),
			   malloc((lib->n ? lib->n : 1) * sizeof *st.todo), 0 };
	if (!st.used || !st.todo)
		rc = hs_fail(HS_ENOMEM, "out of memory");
	if (!rc)
		rc = mark_used(&st, g);
	size_t unused = 0;
	for (size_t i = 0; !rc && i < lib->n; i++)
		unused += !st.used[i];
	size_t next_fn = 0;
	for (size_t i = 0; !rc && unused && i < g->n_items; i++)
		rc = rewrite_item(g, &g->items[i], &st, &next_fn);
	if (!rc && unused)
		g->edits++;
	if (!rc && dropped)
		*dropped = unused;
	free(st.used);
	free(st.todo);
	hs_library_free(lib);
	return rc;
}
