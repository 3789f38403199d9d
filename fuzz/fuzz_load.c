/* libFuzzer target: loading a GraphDef from arbitrary bytes.
 *
 * Whatever the input, loading either fails with a message or gives a graph
 * that (1) verifies or fails verification with a message, (2) writes back
 * byte for byte, (3) survives every accessor, and (4) after an edit of its
 * first node writes a graph that loads again with the same node count plus
 * the one added.  Any crash, sanitizer report or abort() is a bug. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hintstub/hintstub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int cond)
{
	if (!cond)
		abort();
}

static void touch_attrs(const hs_node *n)
{
	size_t count = hs_node_attr_count(n);
	for (size_t i = 0; i < count; i++) {
		hs_str key = hs_node_attr_key(n, i);
		char buf[256];
		if (key.len >= sizeof buf || memchr(key.ptr, 0, key.len))
			continue;
		memcpy(buf, key.ptr, key.len);
		buf[key.len] = '\0';
		hs_attr a;
		if (hs_node_attr(&a, n, buf) != HS_OK) {
			require(hs_error_last()[0] != '\0');
			continue;
		}
		if (a.kind == HS_ATTR_LIST) {
			int64_t ints[4];
			int types[4];
			size_t total;
			hs_str s;
			hs_attr_list_ints(ints, 4, &total, &a);
			hs_attr_list_types(types, 4, &total, &a);
			hs_attr_list_string(&s, &a, 0);
		}
	}
}

static void touch_nodes(const hs_graph *g)
{
	size_t seen = 0;
	for (hs_node *n = hs_graph_next_node(g, NULL); n; n = hs_graph_next_node(g, n)) {
		seen++;
		require(hs_graph_find_node(g, hs_node_name(n).ptr, hs_node_name(n).len) == n);
		for (size_t i = 0; i < hs_node_input_count(n); i++) {
			int port;
			hs_node *src = hs_node_input_node(n, i, &port);
			hs_str name;
			int p2;
			if (src)
				require(hs_parse_input(&name, &p2, hs_node_input(n, i)) == HS_OK);
		}
		for (size_t i = 0; i < hs_node_consumer_count(n); i++)
			require(hs_node_consumer(n, i) != NULL);
		touch_attrs(n);
	}
	require(seen == hs_graph_node_count(g));
}

/* Edits the first node and checks the result loads again. */
static void edit_roundtrip(hs_graph *g, const hs_load_options *o)
{
	hs_node *first = hs_graph_next_node(g, NULL), *added = NULL;
	if (!first)
		return;
	size_t before = hs_graph_node_count(g);
	if (hs_graph_add_node(&added, g, "__fuzz_added__", "NoOp", first) != HS_OK)
		return; /* the name may be taken */
	require(hs_node_set_attr_i(first, "__fuzz_i", 42) == HS_OK);
	require(hs_node_add_input(added, "^__fuzz_missing__") == HS_OK);
	void *out = NULL;
	size_t n = 0;
	require(hs_graph_write_buffer(&out, &n, g) == HS_OK);
	hs_graph *again = NULL;
	require(hs_graph_load_buffer(&again, out, n, "fuzz-edited", o) == HS_OK);
	require(hs_graph_node_count(again) == before + 1);
	hs_attr a;
	hs_node *f2 = hs_graph_next_node(again, NULL);
	require(hs_node_attr(&a, f2, "__fuzz_i") == HS_OK && a.kind == HS_ATTR_I &&
		a.v.i == 42);
	hs_graph_free(again);
	hs_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hs_load_options o = HS_LOAD_OPTIONS_INIT;
	o.max_nodes = 100000;
	/* Binary only: text does not write back byte for byte (fuzz_text). */
	o.format = HS_FORMAT_BINARY;
	hs_graph *g = NULL;
	if (hs_graph_load_buffer(&g, data, size, "fuzz", &o) != HS_OK) {
		require(g == NULL && hs_error_last()[0] != '\0');
		return 0;
	}
	if (hs_graph_verify(g) != HS_OK)
		require(hs_error_last()[0] != '\0');
	touch_nodes(g);

	/* An untouched graph writes back as the very bytes it came from. */
	void *out = NULL;
	size_t n = 0;
	require(hs_graph_write_buffer(&out, &n, g) == HS_OK);
	require(n == size && (size == 0 || memcmp(out, data, size) == 0));
	require(hs_graph_serialized_size(g) == n);
	hs_free(out);

	edit_roundtrip(g, &o);
	hs_graph_free(g);
	return 0;
}
