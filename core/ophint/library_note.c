/* OpHints inside the function library.  Discovery looks at the graph's
 * own nodes; hints in a function are converted only as children of a
 * level-2 call whose loop runs that function.  When the graph has no
 * level-2 call, nothing reaches them, and a note per function says so
 * instead of leaving them silently. */
#include <config.h>

#include <string.h>

#include "attr_iter.h"
#include "error.h"
#include "ophint_internal.h"
#include "wire.h"

/* Walks the length-delimited fields `number` of the message at p..end,
 * calling fn on each payload; stops at the first malformed field (load
 * checked the library's structure: nothing is malformed). */
typedef void (*field_fn)(const uint8_t *p, size_t len, void *arg);
static void each_field(const uint8_t *p, const uint8_t *end, uint32_t number,
		       field_fn fn, void *arg)
{
	hs_field f;
	while (hs_wire_next(&f, &p, end) == HS_WIRE_OK)
		if (f.number == number && f.wire_type == HS_WT_LEN)
			fn(f.data, f.len, arg);
}

typedef struct fn_scan {
	hs_str name;     /* signature.name */
	size_t hints;    /* node_defs carrying a uuid attribute */
} fn_scan;

static void signature_name(const uint8_t *p, size_t len, void *arg)
{
	((fn_scan *)arg)->name = (hs_str){ (const char *)p, len };
}

static void signature(const uint8_t *p, size_t len, void *arg)
{
	each_field(p, p + len, 1, signature_name, arg);
}

static void attr_entry(const uint8_t *p, size_t len, void *arg)
{
	hs_attr_entry e;
	int *is_hint = arg;
	if (hs_attr_entry_read(&e, p, len) == HS_WIRE_OK &&
	    hs_str_eq(e.key, HS_ATTR_FUNCTION_UUID))
		*is_hint = 1;
}

static void node_def(const uint8_t *p, size_t len, void *arg)
{
	int is_hint = 0;
	each_field(p, p + len, 5, attr_entry, &is_hint);
	((fn_scan *)arg)->hints += (size_t)is_hint;
}

typedef struct lib_scan {
	hs_callset *set;
	int rc;
} lib_scan;

static void function(const uint8_t *p, size_t len, void *arg)
{
	lib_scan *ls = arg;
	fn_scan fs = { { "", 0 }, 0 };
	each_field(p, p + len, 1, signature, &fs);
	each_field(p, p + len, 3, node_def, &fs);
	if (fs.hints && !ls->rc)
		ls->rc = hs_callset_problemf(ls->set, HS_SEVERITY_NOTE, HS_P_LIBRARY_HINTS,
			"function '%.*s' of the library holds %zu OpHint node(s): hints in a function "
			"are converted only inside the loop of a level-2 call, and no call of this "
			"graph is one, so they are left as they are",
			(int)fs.name.len, fs.name.ptr, fs.hints);
}

static void function_library(const uint8_t *p, size_t len, void *arg)
{
	each_field(p, p + len, 1, function, arg);
}

int hs_ophint_note_library_hints(hs_callset *set)
{
	const hs_graph *g = set->g;
	if (!g->has_library)
		return HS_OK;
	for (size_t i = 0; i < set->n_calls; i++)
		if (set->calls[i]->level >= 2)
			return HS_OK; /* the level-2 code reaches what it can */
	lib_scan ls = { set, HS_OK };
	for (size_t i = 0; i < g->n_items; i++) {
		const hs_item *it = &g->items[i];
		const uint8_t *p = it->field;
		each_field(p, p + it->len, HS_GRAPH_LIBRARY, function_library, &ls);
	}
	return ls.rc;
}
