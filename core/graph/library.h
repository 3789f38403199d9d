/* The function library of a GraphDef (GraphDef.library, a
 * FunctionDefLibrary), read lazily: only a caller that needs a function
 * (a level-2 call's loop body) indexes it.  Functions are views over the
 * graph's own bytes, indexed by signature name; a body loads as a node
 * scope of its own (hs_scope_load).  Private to libhintstub. */
#ifndef HS_LIBRARY_H
#define HS_LIBRARY_H

#include "graph_internal.h"

/* FunctionDefLibrary / FunctionDef / OpDef field numbers (TensorFlow's). */
enum {
	HS_LIBRARY_FUNCTION = 1,
	HS_LIBRARY_GRADIENT = 2,
	HS_FUNCTION_SIGNATURE = 1,
	HS_OPDEF_NAME = 1,
	HS_GRADIENT_FUNCTION_NAME = 1,
	HS_GRADIENT_GRADIENT_FUNC = 2
};

typedef struct hs_function {
	hs_str name;            /* signature.name */
	const uint8_t *def;     /* the FunctionDef message (its payload) */
	size_t def_len;
} hs_function;

typedef struct hs_library_entry {
	hs_str name;
	uint32_t pos;           /* into fns */
} hs_library_entry;

typedef struct hs_library {
	const hs_graph *g;
	hs_function *fns;       /* in library order */
	size_t n, cap;
	hs_library_entry *by_name; /* sorted by name, then position */
} hs_library;

/* Indexes the library of g (empty when g has none) in one pass over its
 * bytes.  *out is owned by the caller (hs_library_free) and borrows g.
 * HS_EPARSE names the byte offset of a malformed function. */
int hs_library_open(hs_library **out, const hs_graph *g);
void hs_library_free(hs_library *lib);
/* The function whose signature name is `name`, or NULL (the last one
 * when the library repeats a name, as protobuf readers keep it). */
const hs_function *hs_library_find(const hs_library *lib, hs_str name);
/* Loads f (a function of lib) as a FunctionDef scope: an hs_graph of its
 * node_def with its signature's arguments, a view of lib's graph's bytes
 * (the graph must outlive it), loaded under the limits that graph was
 * loaded with.  Owned by the caller. */
int hs_library_load_body(hs_graph **out, const hs_library *lib, const hs_function *f);

/* Drops every function of g's library that no live node refers to,
 * directly or through other kept functions (a func attribute: a While's
 * cond and body, a call's f, list(func)); gradients of dropped functions
 * go with them.  *dropped (may be NULL) gets the number of functions
 * dropped.  Changes nothing when all are used. */
int hs_graph_prune_library(size_t *dropped, hs_graph *g);

#endif
