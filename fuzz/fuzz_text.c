/* libFuzzer target: reading text-format GraphDef from arbitrary bytes.
 *
 * Whatever the input, reading it as text either fails with a one-line
 * "LABEL:LINE:COL: message" (or a limit) or gives a graph; a graph that
 * the schema can name is written as text, and that text reads back to the
 * same binary bytes.  Any crash, sanitizer report or abort() is a bug. */
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

/* Written text reads back as the same message. */
static void round_trip(const hs_graph *g, const hs_load_options *o)
{
	char *text = NULL;
	size_t tlen = 0;
	if (hs_graph_write_text_buffer(&text, &tlen, g) != HS_OK) {
		require(hs_error_last()[0] != '\0');
		require(text == NULL);
		return;
	}
	require(strlen(text) == tlen);
	void *bin = NULL, *bin2 = NULL;
	size_t n = 0, n2 = 0;
	require(hs_graph_write_buffer(&bin, &n, g) == HS_OK);
	hs_graph *again = NULL;
	require(hs_graph_load_buffer(&again, text, tlen, "fuzz-written", o) == HS_OK);
	require(hs_graph_write_buffer(&bin2, &n2, again) == HS_OK);
	/* Map entries are written sorted by key, so compare the sorted form:
	 * the text of the reloaded graph. */
	char *text2 = NULL;
	size_t tlen2 = 0;
	require(hs_graph_write_text_buffer(&text2, &tlen2, again) == HS_OK);
	require(tlen2 == tlen && memcmp(text, text2, tlen) == 0);
	require(hs_graph_node_count(again) == hs_graph_node_count(g));
	hs_free(text2);
	hs_free(bin2);
	hs_free(bin);
	hs_graph_free(again);
	hs_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hs_load_options o = HS_LOAD_OPTIONS_INIT;
	o.max_nodes = 100000;
	o.format = HS_FORMAT_TEXT;
	hs_graph *g = NULL;
	int rc = hs_graph_load_buffer(&g, data, size, "fuzz", &o);
	if (rc != HS_OK) {
		require(g == NULL);
		const char *msg = hs_error_last();
		require(msg[0] != '\0' && !strchr(msg, '\n'));
		/* Text errors name their place; a graph the text made may fail
		 * the loader's own checks (duplicate names), named its way. */
		require(rc != HS_EPARSE || strncmp(msg, "fuzz:", 5) == 0);
		return 0;
	}
	round_trip(g, &o);
	hs_graph_free(g);
	return 0;
}
