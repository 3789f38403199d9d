/* hintstub explain: for every call, which plugin claims it and why each
 * plugin before it did not. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hintstub/plugin.h"

static void explain_usage(FILE *out)
{
	fputs("Usage: hintstub explain [OPTION]... IN\n"
	      "For every OpHint call of IN, tell which plugin claims it and, for each\n"
	      "plugin that does not, why.\n"
	      "\n"
	      CLI_PLUGIN_HELP
	      "  -h, --help                 show this help and exit\n",
	      out);
}

typedef struct explain_state {
	int claimed;
} explain_state;

static void print_verdict(const char *plugin, int claims, const char *reason,
			  void *payload)
{
	explain_state *st = payload;
	if (claims) {
		st->claimed = 1;
		printf("  %s: claims it\n", plugin);
	} else {
		printf("  %s: no: %s\n", plugin, reason);
	}
}

static const char *unclaimed_outcome(const hs_registry *r)
{
	if (!r)
		return "generic stub (plugins disabled)";
	switch (hs_registry_unclaimed(r)) {
	case HS_UNCLAIMED_KEEP: return "unclaimed: left as it is (unclaimed keep)";
	case HS_UNCLAIMED_ERROR: return "unclaimed: an error (unclaimed error)";
	default: return "unclaimed: generic stub (unclaimed generic)";
	}
}

int cli_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		CLI_PLUGIN_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	cli_plugin_opts po = { 0 };
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int handled = cli_plugin_option(&po, c, optarg);
		if (handled < 0)
			return HS_EXIT_USAGE;
		if (handled)
			continue;
		if (c == 'h') {
			explain_usage(stdout);
			return HS_EXIT_OK;
		}
		fputs("Try 'hintstub explain --help' for more information.\n", stderr);
		return HS_EXIT_USAGE;
	}
	if (po.list)
		return cli_list_plugins(&po);
	if (argc - optind != 1) {
		cli_error("explain: expected one input file");
		return HS_EXIT_USAGE;
	}
	hs_registry *r = NULL;
	int rc = cli_registry_open(&r, &po);
	if (rc != HS_EXIT_OK)
		return rc;
	hs_graph *g = NULL;
	hs_hints *h = NULL;
	if (hs_graph_load_file(&g, argv[optind], NULL) != HS_OK ||
	    hs_hints_find(&h, g, NULL) != HS_OK) {
		cli_error_last();
		hs_graph_free(g);
		hs_registry_free(r);
		return HS_EXIT_BAD_INPUT;
	}
	size_t n = hs_hints_call_count(h);
	for (size_t i = 0; i < n; i++) {
		const hs_call *call = hs_hints_call(h, i);
		printf("call %.*s %.*s (%zu inputs, %zu outputs)\n",
		       (int)call->function.len, call->function.ptr,
		       (int)call->uuid.len, call->uuid.ptr, call->n_inputs,
		       call->n_outputs);
		for (size_t k = 0; k < call->n_problems; k++)
			printf("  problem (%s): %s\n", call->problems[k].code,
			       call->problems[k].message);
		explain_state st = { 0 };
		if (r && hs_registry_explain(r, g, call, print_verdict, &st) != HS_OK) {
			cli_error_last();
			rc = HS_EXIT_BAD_INPUT;
			break;
		}
		if (hs_call_has_errors(call))
			printf("  -> not converted: the call has errors (above)\n");
		else if (!st.claimed)
			printf("  -> %s\n", unclaimed_outcome(r));
	}
	if (n == 0)
		printf("no OpHint calls\n");
	hs_hints_free(h);
	hs_graph_free(g);
	hs_registry_free(r);
	return rc;
}
