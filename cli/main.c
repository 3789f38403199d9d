/* hintstub: convert OpHint regions of a frozen GraphDef to stub ops. */
#include <config.h>

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hintstub/plugin.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("hintstub: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_error_last(void)
{
	cli_error("%s", hs_error_last());
}

void cli_json_str(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void usage(FILE *out)
{
	fputs("Usage: hintstub [OPTION]... IN OUT\n"
	      "       hintstub inspect [--json] IN\n"
	      "       hintstub explain [OPTION]... IN\n"
	      "Replace the TensorFlow OpHint regions of the frozen GraphDef IN by stub\n"
	      "fused ops and write the result to OUT ('-' is standard input/output).\n"
	      "Calls a plugin claims (see --list-plugins, hintstub-rules(5)) get its\n"
	      "stub; the others the generic stub TensorFlow's converter makes.\n"
	      "\n"
	      "  -n, --dry-run              compute everything, write nothing\n"
	      "  -r, --report FILE          write a JSON report of every call ('-': stdout)\n"
	      "      --input-layout LAYOUT  dense (newest TF: absent input indices read a\n"
	      "                             -1 Const; default) or present (TF 1.13/1.14:\n"
	      "                             present inputs only)\n"
	      "      --tf-exact             reproduce TensorFlow where it is wrong\n"
	      "                             (_output_types 0 for non-stacked outputs, the\n"
	      "                             -1 Const even when unused)\n"
	      "      --strip-hints          remove hint attributes from the identities\n"
	      "                             that stay\n"
	      "      --keep-pack-unpack     keep hint-made Pack/Unpack pairs\n"
	      "      --interior-escape P    a region node read from outside: error\n"
	      "                             (default), warn or ignore (the node stays)\n"
	      "      --side-input P         a kept node read by a region without an input\n"
	      "                             hint: error, warn (default) or ignore\n"
	      "  -k, --skip-bad-calls       convert the good calls, leave calls with\n"
	      "                             errors as they are, and write OUT\n"
	      "      --max-file-size=N      refuse inputs larger than N bytes (K, M, G, T\n"
	      "                             suffixes; default 8G)\n"
	      "      --max-nodes=N          refuse graphs of more than N nodes (default\n"
	      "                             50000000)\n"
	      "      --max-depth=N          refuse attribute values nested deeper than N\n"
	      "                             (default 64, at most " CLI_STR(CLI_DEPTH_CEILING) ")\n"
	      "      --allow-empty          accept an empty input (a GraphDef without nodes)\n"
	      CLI_PLUGIN_HELP
	      "  -h, --help                 show this help and exit\n"
	      "  -V, --version              show the version and exit\n"
	      "\n"
	      "Warnings go to standard error as 'hintstub: IN: warning: ...'.\n"
	      "Exit status: 0 success (OUT written); 1 bad input, a call with an error\n"
	      "(unless --skip-bad-calls) or a failed conversion (OUT not written);\n"
	      "2 usage error.\n",
	      out);
}

static int parse_policy(hs_policy *out, const char *s)
{
	if (strcmp(s, "error") == 0)
		*out = HS_POLICY_ERROR;
	else if (strcmp(s, "warn") == 0)
		*out = HS_POLICY_WARN;
	else if (strcmp(s, "ignore") == 0)
		*out = HS_POLICY_IGNORE;
	else
		return -1;
	return 0;
}

/* Every problem of the run on stderr, one line each. */
static void print_problems(const char *in, const hs_report *r)
{
	for (size_t i = 0; i < hs_report_problem_count(r); i++) {
		const hs_problem *p = hs_report_problem(r, i);
		cli_error("%s: %s: %s [%s]", in, hs_severity_name(p->severity), p->message, p->code);
	}
	for (size_t i = 0; i < hs_report_count(r); i++) {
		const hs_call_report *e = hs_report_entry(r, i);
		for (size_t k = 0; k < e->n_problems; k++)
			cli_error("%s: %s: %s [%s]", in, hs_severity_name(e->problems[k].severity),
				  e->problems[k].message, e->problems[k].code);
		if (e->result == HS_CALL_FAILED || (e->result == HS_CALL_SKIPPED && !e->n_problems))
			cli_error("%s: %s: call %.*s (%.*s) %s: %s", in,
				  e->error ? "error" : "warning", (int)e->uuid.len, e->uuid.ptr,
				  (int)e->function.len, e->function.ptr,
				  hs_call_result_name(e->result), e->reason ? e->reason : "");
	}
}

static int write_report(const char *path, const hs_report *r)
{
	char *json = NULL;
	if (hs_report_to_json(&json, r) != HS_OK) {
		cli_error_last();
		return -1;
	}
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	int ok = f && fputs(json, f) >= 0;
	if (f && f != stdout)
		ok = fclose(f) == 0 && ok;
	else if (f)
		ok = fflush(f) == 0 && ok;
	hs_free(json);
	if (!ok) {
		cli_error("%s: cannot write the report", path);
		return -1;
	}
	return 0;
}

/* Clear of the plugin options (0x100...) and the limits (1000...). */
enum {
	OPT_LAYOUT = 0x200, OPT_TF_EXACT, OPT_STRIP, OPT_KEEP_PU, OPT_ESCAPE,
	OPT_SIDE
};

static int cmd_convert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "report", required_argument, NULL, 'r' },
		{ "input-layout", required_argument, NULL, OPT_LAYOUT },
		{ "tf-exact", no_argument, NULL, OPT_TF_EXACT },
		{ "strip-hints", no_argument, NULL, OPT_STRIP },
		{ "keep-pack-unpack", no_argument, NULL, OPT_KEEP_PU },
		{ "interior-escape", required_argument, NULL, OPT_ESCAPE },
		{ "side-input", required_argument, NULL, OPT_SIDE },
		{ "skip-bad-calls", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "max-file-size", required_argument, NULL, CLI_MAX_FILE_SIZE },
		{ "max-nodes", required_argument, NULL, CLI_MAX_NODES },
		{ "max-depth", required_argument, NULL, CLI_MAX_DEPTH },
		{ "allow-empty", no_argument, NULL, CLI_ALLOW_EMPTY },
		CLI_PLUGIN_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	hs_load_options limits = HS_LOAD_OPTIONS_INIT;
	hs_convert_options co = HS_CONVERT_OPTIONS_INIT;
	const char *report_path = NULL;
	int skip_bad = 0, allow_empty = 0, c;
	cli_plugin_opts po = { 0 };
	while ((c = getopt_long(argc, argv, "nr:khV", opts, NULL)) != -1) {
		int plugin_opt = cli_plugin_option(&po, c, optarg);
		if (plugin_opt < 0)
			return HS_EXIT_USAGE;
		if (plugin_opt)
			continue;
		switch (c) {
		case 'n': co.dry_run = 1; break;
		case 'r': report_path = optarg; break;
		case 'k': skip_bad = 1; break;
		case OPT_TF_EXACT: co.tf_exact = 1; break;
		case OPT_STRIP: co.strip_hints = 1; break;
		case OPT_KEEP_PU: co.keep_pack_unpack = 1; break;
		case OPT_LAYOUT:
			if (strcmp(optarg, "dense") == 0)
				co.input_layout = HS_LAYOUT_DENSE;
			else if (strcmp(optarg, "present") == 0)
				co.input_layout = HS_LAYOUT_PRESENT;
			else
				goto bad_value;
			break;
		case OPT_ESCAPE:
			if (parse_policy(&co.find.interior_escape, optarg))
				goto bad_value;
			break;
		case OPT_SIDE:
			if (parse_policy(&co.find.unhinted_side_input, optarg))
				goto bad_value;
			break;
		case 'h': usage(stdout); return HS_EXIT_OK;
		case 'V': printf("hintstub %s\n", hs_version()); return HS_EXIT_OK;
		case CLI_MAX_FILE_SIZE:
		case CLI_MAX_NODES:
		case CLI_MAX_DEPTH:
			if (cli_set_limit(&limits, c, optarg) != 0)
				return HS_EXIT_USAGE;
			break;
		case CLI_ALLOW_EMPTY: allow_empty = 1; break;
		default:
			fputs("Try 'hintstub --help' for more information.\n", stderr);
			return HS_EXIT_USAGE;
		}
		continue;
bad_value:
		cli_error("invalid value '%s' for --%s", optarg,
			  c == OPT_LAYOUT ? "input-layout"
			  : c == OPT_ESCAPE ? "interior-escape" : "side-input");
		fputs("Try 'hintstub --help' for more information.\n", stderr);
		return HS_EXIT_USAGE;
	}
	if (po.list)
		return cli_list_plugins(&po);
	if (argc - optind != 2) {
		cli_error("expected IN and OUT");
		fputs("Try 'hintstub --help' for more information.\n", stderr);
		return HS_EXIT_USAGE;
	}
	const char *in = argv[optind], *out = argv[optind + 1];
	hs_registry *registry = NULL;
	int status = cli_registry_open(&registry, &po);
	if (status != HS_EXIT_OK)
		return status;
	co.registry = registry;
	hs_graph *g = NULL;
	hs_report *r = NULL;
	if (hs_graph_load_file(&g, in, &limits) != HS_OK) {
		cli_error_last();
		hs_registry_free(registry);
		return HS_EXIT_BAD_INPUT;
	}
	if (cli_check_input(g, allow_empty) != 0) {
		hs_graph_free(g);
		hs_registry_free(registry);
		return HS_EXIT_BAD_INPUT;
	}
	if (hs_convert(&r, g, &co) != HS_OK) {
		cli_error("%s: %s", in, hs_error_last());
		status = HS_EXIT_BAD_INPUT;
		goto done;
	}
	print_problems(in, r);
	if (report_path && write_report(report_path, r))
		status = HS_EXIT_BAD_INPUT;
	/* Graph-level problems (hints that cannot form a call) are errors. */
	size_t bad_calls = hs_report_errors(r), bad_hints = hs_report_problem_count(r);
	if ((bad_calls || bad_hints) && !skip_bad) {
		if (bad_calls)
			cli_error("%s: %zu call(s) with errors; nothing written (see --skip-bad-calls)",
				  in, bad_calls);
		else
			cli_error("%s: %zu hint(s) with errors; nothing written (see --skip-bad-calls)",
				  in, bad_hints);
		status = HS_EXIT_BAD_INPUT;
		goto done;
	}
	if (!co.dry_run && status == HS_EXIT_OK && hs_graph_write_file(g, out) != HS_OK) {
		cli_error_last();
		status = HS_EXIT_BAD_INPUT;
	}
done:
	hs_report_free(r);
	hs_graph_free(g);
	hs_registry_free(registry);
	return status;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "inspect") == 0)
		return cli_inspect(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "explain") == 0)
		return cli_explain(argc - 1, argv + 1);
	return cmd_convert(argc, argv);
}
