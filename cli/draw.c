/* hintstub draw: a picture of what the conversion does to each call,
 * drawn from the same plan (cli/pass.c) the conversion, inspect and
 * explain use.  FILE's extension picks the form: .dot (needs nothing),
 * .svg and .png (Graphviz's dot), .html (one self-contained page, the
 * picture inline when dot is there). */
#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Clear of the plugin (0x100...), pass (0x200...), convert (0x300...)
 * and limit (1000...) options. */
enum { OPT_AFTER = 0x400, OPT_DETAIL, OPT_SUMMARY, OPT_FULL, OPT_DOT_TIMEOUT };

enum form { FORM_DOT, FORM_SVG, FORM_PNG, FORM_HTML };

static void draw_usage(FILE *out)
{
	fputs("Usage: hintstub draw [--after OUT] [-o FILE] [OPTION]... IN\n"
	      "Draw every OpHint call of IN and what the conversion does with it: a\n"
	      "cluster per call (function, uuid, result), coloured by the result.\n"
	      "FILE's extension chooses the form: .dot (Graphviz text), .svg or .png\n"
	      "(need Graphviz's dot), .html (one self-contained page: the picture and a\n"
	      "searchable table of the calls).  Without -o, DOT goes to standard output.\n"
	      "\n"
	      "  -o, --output FILE          write the picture to FILE\n"
	      "      --after OUT            OUT is IN converted: show the stub each call\n"
	      "                             became, with its inputs and ports\n"
	      "      --detail CALL          open the call whose uuid is or starts with\n"
	      "                             CALL; summarise the rest\n"
	      "      --summary              a call is one box, other nodes counted groups\n"
	      "                             by name scope (default above 2000 nodes)\n"
	      "      --full                 every node, whatever the graph's size\n"
	      "      --dot-timeout=S        stop dot after S seconds (default 120)\n"
	      CLI_PASS_HELP
	      "  -h, --help                 show this help and exit\n",
	      out);
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);
	return n >= k && strcasecmp(s + n - k, tail) == 0;
}

static int form_of(enum form *f, const char *path)
{
	if (!path || ends_with(path, ".dot") || ends_with(path, ".gv"))
		*f = FORM_DOT;
	else if (ends_with(path, ".svg"))
		*f = FORM_SVG;
	else if (ends_with(path, ".png"))
		*f = FORM_PNG;
	else if (ends_with(path, ".html") || ends_with(path, ".htm"))
		*f = FORM_HTML;
	else
		return -1;
	return 0;
}

typedef struct draw_args {
	cli_pass pass;
	hs_draw_options opts;
	const char *output, *after;
	int timeout;
	enum form form;
} draw_args;

static int parse_timeout(int *out, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end || v < 1 || v > 86400) {
		cli_error("--dot-timeout: '%s' is not a number of seconds (1 to 86400)", s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* An exit status, or -1 to go on. */
static int parse_draw(draw_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "after", required_argument, NULL, OPT_AFTER },
		{ "detail", required_argument, NULL, OPT_DETAIL },
		{ "summary", no_argument, NULL, OPT_SUMMARY },
		{ "full", no_argument, NULL, OPT_FULL },
		{ "dot-timeout", required_argument, NULL, OPT_DOT_TIMEOUT },
		{ "help", no_argument, NULL, 'h' },
		CLI_PASS_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		int handled = cli_pass_option(&a->pass, c, optarg);
		if (handled < 0)
			return HS_EXIT_USAGE;
		if (handled)
			continue;
		switch (c) {
		case 'o': a->output = optarg; break;
		case OPT_AFTER: a->after = optarg; break;
		case OPT_DETAIL: a->opts.detail = optarg; break;
		case OPT_SUMMARY: a->opts.mode = HS_DRAW_SUMMARY; break;
		case OPT_FULL: a->opts.mode = HS_DRAW_FULL; break;
		case OPT_DOT_TIMEOUT:
			if (parse_timeout(&a->timeout, optarg))
				return HS_EXIT_USAGE;
			break;
		case 'h': draw_usage(stdout); return HS_EXIT_OK;
		default:
			fputs("Try 'hintstub draw --help' for more information.\n", stderr);
			return HS_EXIT_USAGE;
		}
	}
	if (a->pass.plugins.list)
		return cli_list_plugins(&a->pass.plugins);
	if (argc - optind != 1) {
		cli_error("draw: expected one input file");
		return HS_EXIT_USAGE;
	}
	if (form_of(&a->form, a->output)) {
		cli_error("draw: '%s': the extension must be .dot, .svg, .png or .html", a->output);
		return HS_EXIT_USAGE;
	}
	const char *in = argv[optind];
	if (a->output && strcmp(a->output, "-") &&
	    (cli_same_file(a->output, -1, in, STDIN_FILENO) ||
	     (a->after && cli_same_file(a->output, -1, a->after, STDIN_FILENO)))) {
		cli_error("draw: -o %s is an input: refusing to overwrite it", a->output);
		return HS_EXIT_USAGE;
	}
	return -1;
}

static void missing_dot(const char *output)
{
	cli_error("draw: %s needs Graphviz's 'dot', which is not installed (not found in PATH); "
		  "install it (apt-get install graphviz) or draw to .dot or .html; nothing written",
		  output);
}

/* The picture in its final form, in *out: the library's (hs_free) when
 * *lib is set, else dot's (free). */
static int render(char **out, size_t *len, int *lib, const draw_args *a, const hs_plan *p)
{
	char *dot = NULL;
	if (hs_plan_to_dot(&dot, p, &a->opts) != HS_OK) {
		cli_error("draw: %s", hs_error_last());
		return HS_EXIT_BAD_INPUT;
	}
	*lib = a->form == FORM_DOT || a->form == FORM_HTML;
	if (a->form == FORM_DOT) {
		*out = dot;
		*len = strlen(dot);
		return HS_EXIT_OK;
	}
	char *pic = NULL;
	size_t pic_len = 0;
	int dot_status = cli_graphviz(&pic, &pic_len, a->form == FORM_PNG ? "png" : "svg", dot,
				      strlen(dot), a->timeout);
	int status = HS_EXIT_OK;
	if (a->form != FORM_HTML) {
		if (dot_status == CLI_DOT_MISSING)
			missing_dot(a->output);
		status = dot_status == CLI_DOT_OK ? HS_EXIT_OK : HS_EXIT_BAD_INPUT;
		*out = pic;
		*len = pic_len;
		hs_free(dot);
		return status;
	}
	if (dot_status == CLI_DOT_FAILED) {
		hs_free(dot);
		return HS_EXIT_BAD_INPUT;
	}
	char *html = NULL;
	if (hs_plan_to_html(&html, p, dot, pic, &a->opts) != HS_OK) {
		cli_error("draw: %s", hs_error_last());
		status = HS_EXIT_BAD_INPUT;
	}
	free(pic);
	hs_free(dot);
	*out = html;
	*len = html ? strlen(html) : 0;
	return status;
}

static int publish(const char *output, const char *bytes, size_t len)
{
	if (!output || strcmp(output, "-") == 0) {
		if (fwrite(bytes, 1, len, stdout) != len || fflush(stdout) != 0) {
			cli_error("draw: cannot write to standard output");
			return HS_EXIT_BAD_INPUT;
		}
		return HS_EXIT_OK;
	}
	if (hs_write_file_atomic(output, bytes, len) != HS_OK) {
		cli_error("draw: %s", hs_error_last());
		return HS_EXIT_BAD_INPUT;
	}
	return HS_EXIT_OK;
}

int cli_draw(int argc, char **argv)
{
	draw_args a;
	hs_draw_options defaults = HS_DRAW_OPTIONS_INIT;
	memset(&a, 0, sizeof a);
	cli_pass_init(&a.pass);
	a.opts = defaults;
	a.timeout = 120;
	a.pass.plan.explain = 1;   /* the HTML table shows explain's verdicts */
	int status = parse_draw(&a, argc, argv);
	if (status >= 0)
		return status;
	hs_graph *after = NULL;
	status = cli_pass_open(&a.pass, argv[optind]);
	if (status == HS_EXIT_OK && a.after) {
		if (hs_graph_load_file(&after, a.after, &a.pass.limits) != HS_OK) {
			cli_error_last();
			status = HS_EXIT_BAD_INPUT;
		}
		a.opts.after = after;
	}
	char *bytes = NULL;
	size_t len = 0;
	int lib = 0;
	if (status == HS_EXIT_OK)
		status = render(&bytes, &len, &lib, &a, a.pass.p);
	if (status == HS_EXIT_OK)
		status = publish(a.output, bytes, len);
	if (lib)
		hs_free(bytes);
	else
		free(bytes);
	hs_graph_free(after);
	cli_pass_close(&a.pass);
	return status;
}
