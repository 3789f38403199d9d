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

/* hintstub draw's renderings: DOT and HTML whatever the names hold; no
 * raw control byte but the line ends, none inside a DOT string. */
static void draw_plan(const hs_plan *p)
{
	char *dot = NULL, *html = NULL;
	require(hs_plan_to_dot(&dot, p, NULL) == HS_OK && dot);
	int quoted = 0;
	for (const char *c = dot; *c; c++) {
		require((unsigned char)*c >= 0x20 || (*c == '\n' && !quoted));
		if (quoted && *c == '\\' && c[1])
			c++;
		else if (*c == '"')
			quoted = !quoted;
	}
	require(!quoted);
	require(hs_plan_to_html(&html, p, dot, NULL, NULL) == HS_OK && html);
	hs_free(html);
	hs_free(dot);
}

static void pick_options(hs_convert_options *co, size_t size)
{
	co->plan.tf_exact = size & 1;
	co->apply.strip_hints = (size >> 1) & 1;
	co->apply.keep_pack_unpack = (size >> 2) & 1;
	co->plan.input_layout = (size >> 3) & 1 ? HS_LAYOUT_PRESENT : HS_LAYOUT_DENSE;
	co->plan.interior_escape = (hs_policy)((size >> 4) % 3);
	co->plan.unhinted_side_input = (hs_policy)((size >> 6) % 3);
	co->plan.explain = (size >> 8) & 1;
	/* colocation_edges: refused (HS_EINVAL) until implemented. */
	co->plan.registry = (size >> 9) & 1 ? NULL : plugins;
}

static void ignore_verdict(const char *plugin, int claims, const char *reason,
			   void *payload)
{
	(void)payload;
	require(plugin && (claims || reason));
}

/* Discovery and the plan on their own, read through every accessor and
 * rendered the ways inspect does. */
static void touch_plan(const hs_graph *g, const hs_plan_options *po)
{
	hs_callset *set = NULL;
	hs_plan *p = NULL;
	require(hs_discover(&set, g, NULL) == HS_OK);
	for (size_t i = 0; i < hs_callset_count(set); i++) {
		const hs_call *c = hs_callset_call(set, i);
		require(hs_callset_find(set, hs_call_uuid(c)) == c);
		for (size_t k = 0; k < hs_call_input_count(c); k++) {
			const hs_operand *o = hs_call_input_at(c, k);
			require(hs_call_input(c, hs_operand_index(o)) == o);
			require(hs_operand_count(o) >= 1);
		}
		for (size_t k = 0; k < hs_call_problem_count(c); k++)
			require(hs_call_problem(c, k)->message && hs_call_problem(c, k)->code);
	}
	if (hs_plan_new(&p, g, set, po) == HS_OK) {
		char *text = NULL;
		require(hs_plan_to_json(&text, p) == HS_OK && text);
		hs_free(text);
		require(hs_plan_to_text(&text, p) == HS_OK && text);
		hs_free(text);
		draw_plan(p);
		for (size_t i = 0; po->explain && i < hs_plan_count(p); i++)
			require(hs_plan_explain(p, i, ignore_verdict, NULL) == HS_OK);
	} else {
		require(hs_error_last()[0] != '\0');
	}
	hs_plan_free(p);
	hs_callset_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hs_load_options lo = HS_LOAD_OPTIONS_INIT, binary = HS_LOAD_OPTIONS_INIT;
	lo.max_nodes = 20000;
	/* Binary only: text does not write back byte for byte (fuzz_text). */
	lo.format = binary.format = HS_FORMAT_BINARY;
	hs_graph *g = NULL;
	if (hs_graph_load_buffer(&g, data, size, "fuzz", &lo) != HS_OK)
		return 0;
	int input_valid = hs_graph_verify(g) == HS_OK;
	hs_convert_options co = HS_CONVERT_OPTIONS_INIT;
	pick_options(&co, size);
	touch_plan(g, &co.plan);

	/* A dry run changes nothing. */
	hs_report *r = NULL;
	co.apply.dry_run = 1;
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

	co.apply.dry_run = 0;
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
		require(hs_graph_load_buffer(&again, out, n, "fuzz-converted", &binary) == HS_OK);
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
