/* What evaluation needs of the function library: each FunctionDef the
 * graph layer indexes (library.h) with its body loaded as a node scope on
 * first use and the tensors its results are (FunctionDef.ret, in the
 * order of the signature's output_arg).  While's cond and body are found
 * here. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval_internal.h"
#include "graph_internal.h"
#include "grow.h"
#include "library.h"

/* Field numbers (TensorFlow's). */
enum {
	FN_SIGNATURE = 1, FN_RET = 4,
	OPDEF_OUTPUT_ARG = 3, ARG_NAME = 1,
	MAP_KEY = 1, MAP_VALUE = 2
};

/* The graph layer's index (library.h) finds functions; this adds what
 * evaluation needs of each: its loaded body and its results. */
struct hs_fn_library {
	hs_library *index;
	hs_fn *fns;             /* parallel to index->fns */
};

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

int hs_fn_library_new(hs_fn_library **out, const hs_graph *g)
{
	hs_fn_library *lib = calloc(1, sizeof *lib);
	*out = NULL;
	if (!lib)
		return hs_fail(HS_ENOMEM, "out of memory");
	int rc = hs_library_open(&lib->index, g);
	if (rc == HS_OK &&
	    !(lib->fns = calloc(lib->index->n ? lib->index->n : 1, sizeof *lib->fns)))
		rc = hs_fail(HS_ENOMEM, "out of memory");
	if (rc < 0) {
		hs_fn_library_free(lib);
		return rc;
	}
	for (size_t i = 0; i < lib->index->n; i++) {
		const hs_function *f = &lib->index->fns[i];
		lib->fns[i] = (hs_fn){ .name = f->name, .def = f->def, .def_len = f->def_len };
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
				       HS_NAME_ARG(fn->name), HS_NAME_ARG(key));
		fn->rets[i] = value;
	}
	return HS_OK;
}

int hs_fn_library_get(hs_fn **out, size_t *index, hs_fn_library *lib, hs_str name)
{
	const hs_function *f = hs_library_find(lib->index, name);
	if (!f)
		return hs_fail(HS_ENOTFOUND, "the graph's library has no function '%.*s'",
			       HS_NAME_ARG(name));
	size_t i = (size_t)(f - lib->index->fns);
	hs_fn *fn = &lib->fns[i];
	if (!fn->scope) {
		int rc = hs_library_load_body(&fn->scope, lib->index, f);
		if (rc == HS_OK && (rc = fn_rets(fn)) < 0) {
			hs_graph_free(fn->scope);
			fn->scope = NULL;
		}
		if (rc < 0)
			return rc;
	}
	*out = fn;
	*index = i;
	return HS_OK;
}

size_t hs_fn_library_count(const hs_fn_library *lib)
{
	return lib->index->n;
}

void hs_fn_library_free(hs_fn_library *lib)
{
	if (!lib)
		return;
	for (size_t i = 0; lib->fns && i < lib->index->n; i++) {
		hs_graph_free(lib->fns[i].scope);
		free(lib->fns[i].rets);
	}
	free(lib->fns);
	hs_library_free(lib->index);
	free(lib);
}
