/* hintstub: convert OpHint regions of a frozen GraphDef to stub ops. */
#include <config.h>

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
	      "Replace the TensorFlow OpHint regions of the frozen GraphDef IN by stub\n"
	      "fused ops and write the result to OUT ('-' is standard input/output).\n"
	      "\n"
	      "      --max-file-size=N  refuse inputs larger than N bytes (K, M, G, T\n"
	      "                         suffixes; default 8G)\n"
	      "      --max-nodes=N      refuse graphs of more than N nodes (default 50000000)\n"
	      "      --max-depth=N      refuse attribute values nested deeper than N\n"
	      "                         (default 64, at most " CLI_STR(CLI_DEPTH_CEILING) ")\n"
	      "      --allow-empty      accept an empty input (a GraphDef without nodes)\n"
	      "  -h, --help             show this help and exit\n"
	      "  -V, --version          show the version and exit\n"
	      "\n"
	      "Exit status: 0 success, 1 bad input or failed conversion, 2 usage error.\n",
	      out);
}

static int cmd_convert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "max-file-size", required_argument, NULL, CLI_MAX_FILE_SIZE },
		{ "max-nodes", required_argument, NULL, CLI_MAX_NODES },
		{ "max-depth", required_argument, NULL, CLI_MAX_DEPTH },
		{ "allow-empty", no_argument, NULL, CLI_ALLOW_EMPTY },
		{ NULL, 0, NULL, 0 }
	};
	hs_load_options limits = HS_LOAD_OPTIONS_INIT;
	int allow_empty = 0;
	int c;
	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
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
	}
	if (argc - optind != 2) {
		cli_error("expected IN and OUT");
		fputs("Try 'hintstub --help' for more information.\n", stderr);
		return HS_EXIT_USAGE;
	}
	const char *in = argv[optind], *out = argv[optind + 1];
	hs_graph *g = NULL;
	if (hs_graph_load_file(&g, in, &limits) != HS_OK) {
		cli_error_last();
		return HS_EXIT_BAD_INPUT;
	}
	if (cli_check_input(g, allow_empty) != 0) {
		hs_graph_free(g);
		return HS_EXIT_BAD_INPUT;
	}
	int rc = hs_graph_write_file(g, out);
	if (rc != HS_OK)
		cli_error_last();
	hs_graph_free(g);
	return rc == HS_OK ? HS_EXIT_OK : HS_EXIT_BAD_INPUT;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "inspect") == 0)
		return cli_inspect(argc - 1, argv + 1);
	return cmd_convert(argc, argv);
}
