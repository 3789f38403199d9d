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
	      "\n"
	      CLI_PLUGIN_HELP
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
		CLI_PLUGIN_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	cli_plugin_opts po = { 0 };
	int c;
	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		int plugin_opt = cli_plugin_option(&po, c, optarg);
		if (plugin_opt < 0)
			return HS_EXIT_USAGE;
		if (plugin_opt)
			continue;
		switch (c) {
		case 'h': usage(stdout); return HS_EXIT_OK;
		case 'V': printf("hintstub %s\n", hs_version()); return HS_EXIT_OK;
		default:
			fputs("Try 'hintstub --help' for more information.\n", stderr);
			return HS_EXIT_USAGE;
		}
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
	hs_graph *g = NULL;
	if (hs_graph_load_file(&g, in, NULL) != HS_OK) {
		cli_error_last();
		hs_registry_free(registry);
		return HS_EXIT_BAD_INPUT;
	}
	int rc = hs_graph_write_file(g, out);
	if (rc != HS_OK)
		cli_error_last();
	hs_graph_free(g);
	hs_registry_free(registry);
	return rc == HS_OK ? HS_EXIT_OK : HS_EXIT_BAD_INPUT;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "inspect") == 0)
		return cli_inspect(argc - 1, argv + 1);
	return cmd_convert(argc, argv);
}
