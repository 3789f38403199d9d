/* The graph's function library: GraphDef.library's FunctionDefs indexed
 * by name, each body loaded as a node scope (hs_scope_load) on first use,
 * with the tensors its results are (FunctionDef.ret, in the order of the
 * signature's output_arg).  While's cond and body are found here. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval_internal.h"
#include "graph_internal.h"
#include "grow.h"

/* Field numbers (TensorFlow's). */
enum {
	LIB_FUNCTION = 1,
	FN_SIGNATURE = 1, FN_RET = 4,
	OPDEF_NAME = 1, OPDEF_OUTPUT_ARG = 3, ARG_NAME = 1,
	MAP_KEY = 1, MAP_VALUE = 2
};

/* A name and the function's position, sorted by name then position. */
typedef struct fn_key {
	hs_str name;
	size_t pos;
} fn_key;

struct hs_fn_library {
	hs_fn *fns;
	size_t n, cap;
	fn_key *by_name;
};

static int name_cmp(hs_str a, hs_str b)
{
	int c = memcmp(a.ptr, b.ptr, a.len < b.len ? a.len : b.len);
	return c ? c : (a.len > b.len) - (a.len < b.len);
}

static int key_cmp(const void *x, const void *y)
{
	const fn_key *a = x, *b = y;
	int c = name_cmp(a->name, b->name);
	return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

/* A loop's cond and body are looked up every iteration: by bisection. */
static int sort_names(hs_fn_library *lib)
{
	lib->by_name = malloc((lib->n ? lib->n : 1) * sizeof *lib->by_name);
	if (!lib->by_name)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (size_t i = 0; i < lib->n; i++)
		lib->by_name[i] = (fn_key){ lib->fns[i].name, i };
	qsort(lib->by_name, lib->n, sizeof *lib->by_name, key_cmp);
	return HS_OK;
}

/* The string field `number` of a message, empty when absent. */
static hs_str str_field(const uint8_t *p, size_t len, uint32_t number)
{
	const uint8_t *end = p + len, *data;
	size_t n;
	uint32_t f;
	hs_str s = { "", 0 };
	while ((f = hs_wire_next_len(&p, end, &data, &n)) != 0)
		if (f == number)
			s = (hs_str){ (const char *)data, n };
	return s;
}

static int fn_index(hs_fn_library *lib, const uint8_t *def, size_t len)
{
	const uint8_t *p = def, *end = def + len, *data;
	size_t n;
	uint32_t f;
	hs_str name = { "", 0 };
	while ((f = hs_wire_next_len(&p, end, &data, &n)) != 0)
		if (f == FN_SIGNATURE)
			name = str_field(data, n, OPDEF_NAME);
	int rc = hs_grow((void **)&lib->fns, &lib->cap, lib->n + 1, sizeof *lib->fns, 8);
	if (rc < 0)
		return rc;
	hs_fn *fn = &lib->fns[lib->n++];
	memset(fn, 0, sizeof *fn);
	fn->name = name;
	fn->def = def;
	fn->def_len = len;
	return HS_OK;
}

/* The GraphDef's library field, NULL when it has none. */
static const hs_item *library_item(const hs_graph *g)
{
	for (size_t i = 0; i < g->n_items; i++) {
		const uint8_t *p = g->items[i].field;
		hs_field f;
		if (hs_wire_next(&f, &p, g->items[i].field + g->items[i].len) == HS_WIRE_OK &&
		    f.number == HS_GRAPH_LIBRARY && f.wire_type == HS_WT_LEN)
			return &g->items[i];
	}
	return NULL;
}

int hs_fn_library_new(hs_fn_library **out, const hs_graph *g)
{
	hs_fn_library *lib = calloc(1, sizeof *lib);
	int rc = HS_OK;
	*out = NULL;
	if (!lib)
		return hs_fail(HS_ENOMEM, "out of memory");
	const hs_item *it = g->container == &hs_graphdef_container ? library_item(g) : NULL;
	if (it) {
		const uint8_t *p = it->field;
		hs_field f, fd;
		hs_wire_next(&f, &p, it->field + it->len);
		const uint8_t *q = f.data, *end = f.data + f.len;
		while (rc == HS_OK && hs_wire_next(&fd, &q, end) == HS_WIRE_OK)
			if (fd.number == LIB_FUNCTION && fd.wire_type == HS_WT_LEN)
				rc = fn_index(lib, fd.data, fd.len);
	}
	if (rc == HS_OK)
		rc = sort_names(lib);
	if (rc < 0) {
		hs_fn_library_free(lib);
		return rc;
	}
	*out = lib;
	return HS_OK;
}

/* The output_arg names of the signature, then each one's ret value. */
static int fn_rets(hs_fn *fn)
{
	const uint8_t *p = fn->def, *end = fn->def + fn->def_len, *data;
	size_t n, cap = 0;
	uint32_t f;
	int rc;
	while ((f = hs_wire_next_len(&p, end, &data, &n)) != 0) {
		if (f != FN_SIGNATURE)
			continue;
		const uint8_t *q = data, *qend = data + n, *arg;
		size_t arg_len;
		uint32_t g;
		while ((g = hs_wire_next_len(&q, qend, &arg, &arg_len)) != 0) {
			if (g != OPDEF_OUTPUT_ARG)
				continue;
			if ((rc = hs_grow((void **)&fn->rets, &cap, fn->n_rets + 1, sizeof *fn->rets,
					  4)) < 0)
				return rc;
			fn->rets[fn->n_rets++] = str_field(arg, arg_len, ARG_NAME);
		}
	}
	/* Each output_arg name becomes the tensor ret maps it to. */
	for (size_t i = 0; i < fn->n_rets; i++) {
		hs_str key = fn->rets[i], value = { NULL, 0 };
		p = fn->def;
		while ((f = hs_wire_next_len(&p, end, &data, &n)) != 0) {
			if (f != FN_RET)
				continue;
			hs_str k = str_field(data, n, MAP_KEY);
			if (k.len == key.len && !memcmp(k.ptr, key.ptr, k.len))
				value = str_field(data, n, MAP_VALUE);
		}
		if (!value.ptr)
			return hs_fail(HS_EGRAPH, "function '%.*s': result '%.*s' has no ret entry",
				       (int)fn->name.len, fn->name.ptr, (int)key.len, key.ptr);
		fn->rets[i] = value;
	}
	return HS_OK;
}

static int fn_load(hs_fn *fn)
{
	char label[300];
	uint8_t *copy = malloc(fn->def_len ? fn->def_len : 1);
	if (!copy)
		return hs_fail(HS_ENOMEM, "out of memory");
	memcpy(copy, fn->def, fn->def_len);
	snprintf(label, sizeof label, "function '%.*s'", (int)fn->name.len, fn->name.ptr);
	int rc = hs_scope_load(&fn->scope, &hs_functiondef_container, copy, fn->def_len, label,
			       NULL);
	if (rc == HS_OK && (rc = fn_rets(fn)) < 0) {
		hs_graph_free(fn->scope);
		fn->scope = NULL;
	}
	return rc;
}

int hs_fn_library_get(hs_fn **out, size_t *index, hs_fn_library *lib, hs_str name)
{
	/* The last of equal names: a repeated name reads as protobuf keeps
	 * it, the last one. */
	size_t lo = 0, hi = lib->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (name_cmp(lib->by_name[mid].name, name) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && !name_cmp(lib->by_name[lo - 1].name, name)) {
		size_t i = lib->by_name[lo - 1].pos;
		hs_fn *fn = &lib->fns[i];
		int rc = fn->scope ? HS_OK : fn_load(fn);
		if (rc < 0)
			return rc;
		*out = fn;
		*index = i;
		return HS_OK;
	}
	return hs_fail(HS_ENOTFOUND, "the graph's library has no function '%.*s'", (int)name.len,
		       name.ptr);
}

size_t hs_fn_library_count(const hs_fn_library *lib)
{
	return lib->n;
}

void hs_fn_library_free(hs_fn_library *lib)
{
	if (!lib)
		return;
	for (size_t i = 0; i < lib->n; i++) {
		hs_graph_free(lib->fns[i].scope);
		free(lib->fns[i].rets);
	}
	free(lib->fns);
	free(lib->by_name);
	free(lib);
}
