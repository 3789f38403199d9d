/* hintstub: convert OpHint regions of a frozen GraphDef to stub ops. */
#include <config.h>

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "evalcli.h"
#include "hintstub/plugin.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("hintstub: ", stderr);
	va_start(ap, fmt);
	cli_vprint(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_error_last(void)
{
	cli_error("%s", hs_error_last());
}

static void usage(FILE *out)
{
	fputs("Usage: hintstub [OPTION]... IN OUT\n"
	      "       hintstub inspect [--json] [OPTION]... IN\n"
	      "       hintstub explain [OPTION]... IN\n"
	      "       hintstub run [OPTION]... GRAPH\n"
	      "       hintstub verify [OPTION]... ORIGINAL CONVERTED\n"
	      "       hintstub test-models [OPTION]... MANIFEST.yaml\n"
	      "       hintstub draw [--after OUT] [-o FILE] [OPTION]... IN\n"
	      "Replace the TensorFlow OpHint regions of the frozen GraphDef IN by stub\n"
	      "fused ops and write the result to OUT ('-' is standard input/output).\n"
	      "Calls a plugin claims (see --list-plugins, hintstub-rules(5)) get its\n"
	      "stub; the others the generic stub TensorFlow's converter makes.\n"
	      "\n"
	      "  -n, --dry-run              compute everything, write nothing\n"
	      "  -r, --report FILE          write a JSON report of every call ('-': stdout)\n"
	      "      --strip-hints          remove hint attributes from the identities\n"
	      "                             that stay\n"
	      "      --keep-pack-unpack     keep hint-made Pack/Unpack pairs\n"
	      "      --verify-all           verify the whole converted graph, not only\n"
	      "                             what the conversion changed\n"
	      "      --prune-library        drop library functions nothing uses any more\n"
	      "                             (the bodies of converted dynamic_rnn loops)\n"
	      "  -k, --skip-bad-calls       convert the good calls, leave calls with\n"
	      "                             errors as they are, and write OUT\n"
	      "      --output-format FMT    write OUT as 'binary' or 'text' (.pbtxt);\n"
	      "                             default: text when OUT ends in .pbtxt\n"
	      "      --verify               evaluate IN and the result on the same\n"
	      "                             inputs; write OUT only when they agree\n"
	      "                             (options as for 'hintstub verify':\n"
	      "                             --input, --output, --seed, --fill,\n"
	      "                             --samples, --atol, --rtol)\n"
	      "IN may be binary or text format (told from its content).\n"
	      CLI_PASS_HELP
	      "  -h, --help                 show this help and exit\n"
	      "  -V, --version              show the version and exit\n"
	      "\n"
	      "Warnings go to standard error as 'hintstub: IN: warning: ...'.\n"
	      "Exit status: 0 success (OUT written); 1 bad input, a call with an error\n"
	      "(unless --skip-bad-calls) or a failed conversion (OUT not written);\n"
	      "2 usage error; with --verify, 1 also when an output disagrees and 3\n"
	      "when a graph cannot be evaluated (OUT not written).\n",
	      out);
}

/* Every problem of the run on stderr, one line each. */
static void print_problems(const char *in, const hs_report *r)
{
	for (size_t i = 0; i < hs_report_problem_count(r); i++) {
		const hs_problem *p = hs_report_problem(r, i);
		cli_error("%s: %s: %s [%s]", in, hs_severity_name(p->severity), p->message, p->code);
	}
	for (size_t i = 0; i < hs_report_count(r); i++) {
		/* A copy: the report keeps no entry of its own for this. */
		hs_call_report entry;
		hs_report_entry_get(r, i, &entry, sizeof entry);
		const hs_call_report *e = &entry;
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

/* Written like the graph (atomically; "-" is stdout), so a failed or
 * killed run leaves a previous report as it was. */
static int write_report(const char *path, const hs_report *r)
{
	char *json = NULL;
	if (hs_report_to_json(&json, r) != HS_OK) {
		cli_error_last();
		return -1;
	}
	int rc = hs_write_file_atomic(path, json, strlen(json));
	hs_free(json);
	if (rc != HS_OK) {
		cli_error("cannot write the report: %s", hs_error_last());
		return -1;
	}
	return 0;
}

/* Same file: same device and inode ("-" is the standard stream fd). */
int cli_same_file(const char *a, int a_fd, const char *b, int b_fd)
{
	struct stat sa, sb;
	int ra = strcmp(a, "-") == 0 ? fstat(a_fd, &sa) : stat(a, &sa);
	int rb = strcmp(b, "-") == 0 ? fstat(b_fd, &sb) : stat(b, &sb);
	return ra == 0 && rb == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* --report must not destroy the input or mix with the graph. */
static int check_report_path(const char *report, const char *in, const char *out,
			     int dry_run)
{
	if (strcmp(report, "-") != 0 && cli_same_file(report, -1, in, STDIN_FILENO))
		cli_error("--report %s is the input %s: refusing to overwrite it", report, in);
	else if (!dry_run && strcmp(report, "-") == 0 && strcmp(out, "-") == 0)
		cli_error("--report - and OUT - would both write standard output");
	else if (!dry_run && strcmp(report, "-") != 0 &&
		 (strcmp(report, out) == 0 || cli_same_file(report, -1, out, STDOUT_FILENO)))
		cli_error("--report %s is OUT: the graph would replace the report", report);
	else
		return 0;
	fputs("Try 'hintstub --help' for more information.\n", stderr);
	return -1;
}

/* An empty OUT or --report would fail only after the whole conversion
 * (no file has the name ""): refused before any work. */
static int refuse_empty_paths(const char *out, const char *report)
{
	if (*out && (!report || *report))
		return 0;
	cli_error("%s is an empty path (use - for standard output)", *out ? "--report" : "OUT");
	fputs("Try 'hintstub --help' for more information.\n", stderr);
	return -1;
}

/* Clear of the plugin (0x100...), pass (0x200...) and limit (1000...)
 * options. */
enum { OPT_STRIP = 0x300, OPT_KEEP_PU, OPT_FORMAT, OPT_VERIFY_ALL, OPT_PRUNE_LIBRARY };

/* --output-format: 1 text, 0 binary, -1 not given (OUT's name decides). */
static int output_format(int *text, const char *arg)
{
	if (strcmp(arg, "text") && strcmp(arg, "binary")) {
		cli_error("--output-format: '%s' is neither 'text' nor 'binary'", arg);
		return -1;
	}
	*text = strcmp(arg, "text") == 0;
	return 0;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);
	return n >= k && strcmp(s + n - k, tail) == 0;
}

static int parse_convert_options(cli_pass *pass, hs_apply_options *ao,
				 const char **report_path, int *skip_bad,
				 int *text_out, cli_verify_opts *vo, int *verify,
				 int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "report", required_argument, NULL, 'r' },
		{ "strip-hints", no_argument, NULL, OPT_STRIP },
		{ "keep-pack-unpack", no_argument, NULL, OPT_KEEP_PU },
		{ "verify-all", no_argument, NULL, OPT_VERIFY_ALL },
		{ "prune-library", no_argument, NULL, OPT_PRUNE_LIBRARY },
		{ "skip-bad-calls", no_argument, NULL, 'k' },
		{ "output-format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		CLI_PASS_LONG_OPTIONS,
		{ "verify", no_argument, NULL, CLI_OPT_VERIFY },
		CLI_VERIFY_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	int c;
	while ((c = getopt_long(argc, argv, "nr:khV", opts, NULL)) != -1) {
		int handled = cli_pass_option(pass, c, optarg);
		if (!handled && c == CLI_OPT_VERIFY)
			handled = *verify = 1;
		if (!handled)
			handled = cli_verify_option(vo, c, optarg);
		if (handled < 0)
			break;
		if (handled)
			continue;
		switch (c) {
		case 'n': ao->dry_run = 1; break;
		case 'r': *report_path = optarg; break;
		case 'k': *skip_bad = 1; break;
		case OPT_STRIP: ao->strip_hints = 1; break;
		case OPT_KEEP_PU: ao->keep_pack_unpack = 1; break;
		case OPT_VERIFY_ALL: ao->verify_all = 1; break;
		case OPT_PRUNE_LIBRARY: ao->prune_library = 1; break;
		case OPT_FORMAT:
			if (output_format(text_out, optarg))
				return HS_EXIT_USAGE;
			break;
		case 'h': usage(stdout); return HS_EXIT_OK;
		case 'V': printf("hintstub %s\n", hs_version()); return HS_EXIT_OK;
		default:
			fputs("Try 'hintstub --help' for more information.\n", stderr);
			return HS_EXIT_USAGE;
		}
	}
	if (c != -1) {
		fputs("Try 'hintstub --help' for more information.\n", stderr);
		return HS_EXIT_USAGE;
	}
	return -1;
}

/* Calls with errors and hints that form no call stop the write. */
static int check_outcome(const char *in, const hs_report *r, int skip_bad)
{
	size_t bad_calls = hs_report_errors(r), bad_hints = 0;
	/* Graph-level notes (library hints no call reaches) stop nothing. */
	for (size_t i = 0; i < hs_report_problem_count(r); i++)
		bad_hints += hs_report_problem(r, i)->severity != HS_SEVERITY_NOTE;
	if (!(bad_calls || bad_hints) || skip_bad)
		return HS_EXIT_OK;
	if (bad_calls)
		cli_error("%s: %zu call(s) with errors; nothing written (see --skip-bad-calls)",
			  in, bad_calls);
	else
		cli_error("%s: %zu hint(s) with errors; nothing written (see --skip-bad-calls)",
			  in, bad_hints);
	return HS_EXIT_BAD_INPUT;
}

/* vo: the options of --verify (verify set when given). */
static int convert(cli_verify_opts *vo, int argc, char **argv)
{
	cli_pass pass;
	hs_apply_options ao = HS_APPLY_OPTIONS_INIT;
	const char *report_path = NULL;
	int skip_bad = 0, text_out = -1, verify = 0;
	hs_graph *orig = NULL;
	cli_pass_init(&pass);
	int status = parse_convert_options(&pass, &ao, &report_path, &skip_bad,
					   &text_out, vo, &verify, argc, argv);
	if (status >= 0)
		return status;
	if (!verify && (vo->inputs.n || vo->n_outputs || vo->samples != 1)) {
		cli_error("--input, --output and --samples are options of --verify");
		return HS_EXIT_USAGE;
	}
	if (pass.plugins.list)
		return cli_list_plugins(&pass.plugins);
	if (argc - optind != 2) {
		cli_error("expected IN and OUT");
		fputs("Try 'hintstub --help' for more information.\n", stderr);
		return HS_EXIT_USAGE;
	}
	const char *in = argv[optind], *out = argv[optind + 1];
	if (refuse_empty_paths(out, report_path))
		return HS_EXIT_USAGE;
	if (text_out < 0)
		text_out = ends_with(out, ".pbtxt");
	if (report_path && check_report_path(report_path, in, out, ao.dry_run))
		return HS_EXIT_USAGE;
	hs_report *r = NULL;
	status = cli_pass_open(&pass, in);
	if (status == HS_EXIT_OK && verify)
		status = cli_keep_original(&orig, pass.g, in);
	if (status == HS_EXIT_OK && hs_apply(&r, pass.g, pass.p, &ao) != HS_OK) {
		cli_error("%s: %s", in, hs_error_last());
		status = HS_EXIT_BAD_INPUT;
		/* on-failure abort: the report still says which call failed. */
		if (r && report_path)
			write_report(report_path, r);
	}
	if (status == HS_EXIT_OK) {
		print_problems(in, r);
		if (report_path && write_report(report_path, r))
			status = HS_EXIT_BAD_INPUT;
		if (status == HS_EXIT_OK)
			status = check_outcome(in, r, skip_bad);
	}
	if (status == HS_EXIT_OK && verify)
		status = cli_convert_verify(orig, pass.g, in, vo, pass.registry);
	/* The report borrows the plan's entries; the write needs neither:
	 * their memory (a fifth of a conversion's on m940) is not held
	 * while the output is staged. */
	hs_report_free(r);
	r = NULL;
	cli_pass_drop_plan(&pass);
	if (!ao.dry_run && status == HS_EXIT_OK &&
	    (text_out ? hs_graph_write_text_file(pass.g, out)
		      : hs_graph_write_file(pass.g, out)) != HS_OK) {
		cli_error_last();
		status = HS_EXIT_BAD_INPUT;
	}
	hs_report_free(r);
	hs_graph_free(orig);
	cli_pass_close(&pass);
	return status;
}

static int cmd_convert(int argc, char **argv)
{
	cli_verify_opts vo;
	cli_verify_opts_init(&vo);
	int status = convert(&vo, argc, argv);
	cli_verify_opts_free(&vo);
	return status;
}

int main(int argc, char **argv)
{
	/* getopt names argv[0] in its messages: "hintstub:", not the path
	 * the program was run by (nor the subcommand alone). */
	static char program[] = "hintstub";
	int (*sub)(int, char **) = NULL;
	if (argc >= 2 && strcmp(argv[1], "inspect") == 0)
		sub = cli_inspect;
	else if (argc >= 2 && strcmp(argv[1], "explain") == 0)
		sub = cli_explain;
	else if (argc >= 2 && strcmp(argv[1], "draw") == 0)
		sub = cli_draw;
	else if (argc >= 2 && strcmp(argv[1], "run") == 0)
		sub = cli_run;
	else if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		sub = cli_verify;
	else if (argc >= 2 && strcmp(argv[1], "test-models") == 0)
		sub = cli_test_models;
	argv[0] = program;
	if (sub)
		argv[1] = program;
	cli_guard_plugins();
	return sub ? sub(argc - 1, argv + 1) : cmd_convert(argc, argv);
}
