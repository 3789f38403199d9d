/* libFuzzer target: evaluating a GraphDef made of arbitrary bytes.
 *
 * Whatever the graph, evaluating each node nothing reads (Placeholders
 * fed with small ramps) either gives values of consistent shapes or fails
 * with a message, within small limits of memory and loop iterations.  Any
 * crash, sanitizer report, leak or abort() is a bug. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hintstub/hintstub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int cond)
{
	if (!cond)
		abort();
}

/* Feeds every Placeholder: its dtype (float when unknown), unknown
 * dimensions 2, at most 4096 elements. */
static void feed_placeholders(hs_eval *ev, const hs_graph *g)
{
	hs_placeholder *ph;
	size_t n;
	require(hs_eval_placeholders(&ph, &n, g) == HS_OK);
	for (size_t i = 0; i < n; i++) {
		int64_t dims[HS_TENSOR_MAX_RANK];
		size_t rank = ph[i].rank < 0 ? 1 : (size_t)ph[i].rank;
		uint64_t elements = 1;
		for (size_t d = 0; d < rank; d++) {
			int64_t v = ph[i].rank < 0 || ph[i].dims[d] < 0 ? 2 : ph[i].dims[d];
			dims[d] = elements * (uint64_t)(v ? v : 1) > 4096 ? 1 : v;
			elements *= (uint64_t)(dims[d] ? dims[d] : 1);
		}
		int dt = hs_dtype_size(ph[i].dtype) ? ph[i].dtype : HS_DT_FLOAT;
		hs_value *t;
		require(hs_value_new(&t, dt, rank, dims) == HS_OK);
		uint8_t *p = t->data;
		for (size_t b = 0; b < hs_value_size(t); b++)
			p[b] = (uint8_t)(b * 7 + 1) & (dt == HS_DT_BOOL ? 1 : 0x3f);
		hs_str name = hs_node_name(ph[i].node);
		char buf[256];
		if (name.len < sizeof buf && !memchr(name.ptr, 0, name.len)) {
			memcpy(buf, name.ptr, name.len);
			buf[name.len] = '\0';
			if (hs_eval_set_input(ev, buf, t) != HS_OK)
				require(hs_error_last()[0] != '\0');
		}
		hs_value_free(t);
	}
	hs_free(ph);
}

static void check_value(const hs_value *t)
{
	require(t->rank <= HS_TENSOR_MAX_RANK);
	uint64_t e = 1;
	for (size_t d = 0; d < t->rank; d++) {
		require(t->dims[d] >= 0);
		e *= (uint64_t)t->dims[d];
	}
	require(t->dtype == HS_DT_VARIANT || e == t->elements);
	require(t->dtype == HS_DT_VARIANT || !t->elements || t->data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hs_load_options lo = HS_LOAD_OPTIONS_INIT;
	lo.max_nodes = 10000;
	lo.format = HS_FORMAT_BINARY;
	hs_graph *g = NULL;
	if (hs_graph_load_buffer(&g, data, size, "fuzz", &lo) != HS_OK)
		return 0;
	hs_eval_options eo = HS_EVAL_OPTIONS_INIT;
	eo.max_memory = 1 << 20;
	eo.max_loop_iterations = 100;
	hs_eval *ev;
	require(hs_eval_new(&ev, g, &eo) == HS_OK);
	feed_placeholders(ev, g);
	int fetched = 0;
	for (hs_node *n = hs_graph_next_node(g, NULL); n && fetched < 16;
	     n = hs_graph_next_node(g, n)) {
		hs_str name = hs_node_name(n);
		char buf[256];
		if (hs_node_consumer_count(n) || name.len >= sizeof buf ||
		    memchr(name.ptr, 0, name.len) || memchr(name.ptr, ':', name.len))
			continue;
		memcpy(buf, name.ptr, name.len);
		buf[name.len] = '\0';
		const char *fetch[] = { buf };
		hs_value *out = NULL;
		fetched++;
		if (hs_eval_run(&out, ev, fetch, 1) != HS_OK) {
			require(out == NULL && hs_error_last()[0] != '\0');
			continue;
		}
		check_value(out);
		hs_value_free(out);
	}
	hs_eval_free(ev);
	hs_graph_free(g);
	return 0;
}
