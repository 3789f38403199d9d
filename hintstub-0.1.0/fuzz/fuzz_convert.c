/* libFuzzer target: the whole conversion on arbitrary bytes.
 *
 * Load; find the hints; convert (with options picked from the input's
 * size, so that seeds stay plain GraphDefs), with the built-in plugins
 * (lstm, rnn, conv: instrumented copies in plugins/ next to the target)
 * or the generic pass alone.  A dry run must leave the
 * graph byte for byte as it was; a successful conversion must render its
 * report as JSON and write a GraphDef that loads again; when the input
 * verified (the command refuses it otherwise), so must the result.  Any crash, sanitizer report or abort() is a
 * bug. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hintstub/hintstub.h"
#include "hintstub/plugin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static hs_registry *plugins; /* NULL when the plugins could not be loaded */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const names[] = { "lstm", "rnn", "conv" };
	char dir[4096];
	const char *exe = (*argc > 0) ? (*argv)[0] : "fuzz_convert";
	const char *slash = strrchr(exe, '/');
	if (slash)
		snprintf(dir, sizeof dir, "%.*s/plugins", (int)(slash - exe), exe);
	else
		snprintf(dir, sizeof dir, "plugins");
	unsetenv("HINTSTUB_PLUGIN_PATH");
	if (hs_registry_new(&plugins, 0) != HS_OK ||
	    hs_registry_add_search_dir(plugins, dir) != HS_OK)
		abort();
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (hs_registry_load_plugin(plugins, names[i]) != HS_OK) {
			fprintf(stderr, "fuzz_convert: without plugins: %s\n", hs_error_last());
			hs_registry_free(plugins);
			plugins = NULL;
			break;
		}
	return 0;
}

/* An invariant: failing, it names its line and the library's last error. */
#define require(cond) require_at((cond), __LINE__)
static void require_at(int cond, int line)
{
	if (!cond) {
		fprintf(stderr, "fuzz_convert.c:%d: invariant failed; last error: %s\n",
			line, hs_error_last());
		abort();
	}
}

static void pick_options(hs_convert_options *co, size_t size)
{
	co->tf_exact = size & 1;
	co->strip_hints = (size >> 1) & 1;
	co->keep_pack_unpack = (size >> 2) & 1;
	co->input_layout = (size >> 3) & 1 ? HS_LAYOUT_PRESENT : HS_LAYOUT_DENSE;
	co->find.interior_escape = (hs_policy)((size >> 4) % 3);
	co->find.unhinted_side_input = (hs_policy)((size >> 6) % 3);
	/* colocation_edges: refused (HS_EINVAL) until implemented. */
	co->registry = (size >> 9) & 1 ? NULL : plugins;
}

static void touch_hints(const hs_graph *g, const hs_find_options *fo)
{
	hs_hints *h = NULL;
	require(hs_hints_find(&h, g, fo) == HS_OK);
	for (size_t i = 0; i < hs_hints_call_count(h); i++) {
		const hs_call *c = hs_hints_call(h, i);
		require(hs_hints_find_call(h, c->uuid) != NULL);
		for (size_t k = 0; k < c->n_inputs; k++)
			require(hs_call_input(c, c->inputs[k].index) != NULL);
		for (size_t k = 0; k < c->n_problems; k++)
			require(c->problems[k].message && c->problems[k].code);
	}
	hs_hints_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hs_load_options lo = HS_LOAD_OPTIONS_INIT;
	lo.max_nodes = 20000;
	hs_graph *g = NULL;
	if (hs_graph_load_buffer(&g, data, size, "fuzz", &lo) != HS_OK)
		return 0;
	int input_valid = hs_graph_verify(g) == HS_OK;
	hs_convert_options co = HS_CONVERT_OPTIONS_INIT;
	pick_options(&co, size);
	touch_hints(g, &co.find);

	/* A dry run changes nothing. */
	hs_report *r = NULL;
	co.dry_run = 1;
	if (hs_convert(&r, g, &co) == HS_OK) {
		void *out = NULL;
		size_t n = 0;
		require(hs_report_dry_run(r));
		require(hs_graph_write_buffer(&out, &n, g) == HS_OK);
		require(n == size && (size == 0 || memcmp(out, data, size) == 0));
		hs_free(out);
	} else {
		require(hs_error_last()[0] != '\0');
	}
	hs_report_free(r);
	r = NULL;

	co.dry_run = 0;
	if (hs_convert(&r, g, &co) == HS_OK) {
		if (input_valid)
			require(hs_graph_verify(g) == HS_OK);
		char *json = NULL;
		require(hs_report_to_json(&json, r) == HS_OK && json != NULL);
		hs_free(json);
		void *out = NULL;
		size_t n = 0;
		require(hs_graph_write_buffer(&out, &n, g) == HS_OK);
		require(hs_graph_serialized_size(g) == n);
		hs_graph *again = NULL;
		require(hs_graph_load_buffer(&again, out, n, "fuzz-converted", NULL) == HS_OK);
		require(hs_graph_node_count(again) == hs_graph_node_count(g));
		if (input_valid)
			require(hs_graph_verify(again) == HS_OK);
		hs_graph_free(again);
		hs_free(out);
	} else {
		require(hs_error_last()[0] != '\0');
	}
	hs_report_free(r);
	hs_graph_free(g);
	return 0;
}
