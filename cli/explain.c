/* hintstub explain: for every call, which plugin claims it and why each
 * plugin before it did not, then what the conversion does with it: the
 * plan's own record, not a second opinion. */
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
	      "plugin that does not, why; then what the conversion does with it.\n"
	      "\n"
	      CLI_PASS_HELP
	      "  -h, --help                 show this help and exit\n",
	      out);
}

/* payload: the indent (NULL: a call's, two blanks; a child's is four). */
static void print_verdict(const char *plugin, int claims, const char *reason,
			  void *payload)
{
	const char *indent = payload ? payload : "  ";
	if (claims)
		cli_printf("%s%s: claims it\n", indent, plugin);
	else
		cli_printf("%s%s: no: %s\n", indent, plugin, reason ? reason : "");
}

/* The plan's verdict, in the words of `inspect`'s conversion line. */
static void print_outcome(const hs_call_report *e)
{
	if (e->result == HS_CALL_CONVERTED && strcmp(e->plugin, "generic") == 0)
		cli_printf("  -> unclaimed: generic stub (%zu nodes removed, %zu added)\n",
		       e->nodes_removed, e->nodes_added);
	else if (e->result == HS_CALL_CONVERTED)
		cli_printf("  -> converted by %s (%zu nodes removed, %zu added)\n",
		       e->plugin, e->nodes_removed, e->nodes_added);
	else
		cli_printf("  -> %s: %s\n", hs_call_result_name(e->result),
		       e->reason ? e->reason : "");
}

/* A level-2 call converts as its children (the cells of its loop body,
 * one per layer): each is claimed as a static cell would be. */
static void explain_children(const hs_plan *p, const hs_call *call, size_t i)
{
	size_t n = hs_call_child_count(call);
	for (size_t k = 0; k < n; k++) {
		const hs_call *child = hs_call_child(call, k);
		hs_str fn = hs_call_function(child), uuid = hs_call_uuid(child);
		const char *by = hs_plan_child_plugin(p, i, k);
		/* Names are bytes, NUL included: written whole, not as C strings. */
		cli_printf("  child %zu (layer %zu of %zu) ", k, k + 1, n);
		fwrite(fn.ptr, 1, fn.len, stdout);
		putchar(' ');
		fwrite(uuid.ptr, 1, uuid.len, stdout);
		fputs(":\n", stdout);
		if (hs_plan_explain_child(p, i, k, print_verdict, (void *)"    ") != HS_OK)
			cli_printf("    not planned (the call has a problem)\n");
		else if (!by)
			cli_printf("    -> not claimed: the call is left as it is\n");
		else if (strcmp(by, "generic") == 0)
			cli_printf("    -> unclaimed: generic stub\n");
		else
			cli_printf("    -> %s stub\n", by);
	}
}

static void explain_call(const hs_plan *p, size_t i)
{
	const hs_call *call = hs_callset_call(hs_plan_calls(p), i);
	const hs_call_report *e = hs_plan_entry(p, i);
	hs_str fn = hs_call_function(call), uuid = hs_call_uuid(call);
	/* Put whole: a uuid may hold a NUL byte, which %.*s would stop at. */
	fputs("call ", stdout);
	cli_put_text(stdout, fn);
	putchar(' ');
	cli_put_text(stdout, uuid);
	cli_printf(" (%zu inputs, %zu outputs)\n", hs_call_input_count(call),
		   hs_call_output_count(call));
	for (size_t k = 0; k < e->n_problems; k++)
		cli_printf("  problem (%s): %s\n", e->problems[k].code, e->problems[k].message);
	hs_plan_explain(p, i, print_verdict, NULL);
	explain_children(p, call, i);
	print_outcome(e);
}

int cli_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		CLI_PASS_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	cli_pass pass;
	int c;
	cli_pass_init(&pass);
	pass.plan.explain = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int handled = cli_pass_option(&pass, c, optarg);
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
	if (pass.plugins.list)
		return cli_list_plugins(&pass.plugins);
	if (argc - optind != 1) {
		cli_error("explain: expected one input file");
		return HS_EXIT_USAGE;
	}
	int status = cli_pass_open(&pass, argv[optind]);
	if (status == HS_EXIT_OK) {
		size_t n = hs_plan_count(pass.p);
		for (size_t i = 0; i < n; i++)
			explain_call(pass.p, i);
		if (n == 0)
			cli_printf("no OpHint calls\n");
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cli_error("explain: cannot write to standard output");
			status = HS_EXIT_BAD_INPUT;
		}
	}
	cli_pass_close(&pass);
	return status;
}
