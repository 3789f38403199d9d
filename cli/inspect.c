/* hintstub inspect: what a graph holds and what a conversion with the
 * same options would do, rendered by the library from the plan. */
#include <config.h>

#include <getopt.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void inspect_usage(FILE *out)
{
	fputs("Usage: hintstub inspect [--json] [OPTION]... IN\n"
	      "Node and op counts, every OpHint call (arguments, interior size,\n"
	      "problems) and what a conversion with the same options would do.\n"
	      "\n"
	      "  -j, --json                 print JSON instead of text\n"
	      CLI_PASS_HELP
	      "  -h, --help                 show this help and exit\n",
	      out);
}

/* The rendering goes out as it is made: never held whole in memory. */
static int stdout_errno;

static int write_stdout(const char *data, size_t len, void *payload)
{
	(void)payload;
	if (fwrite(data, 1, len, stdout) == len)
		return 0;
	stdout_errno = errno ? errno : EIO;
	return -1;
}

/* Opens the pass and writes its rendering: the text, where the load used
 * a second core (pass.c), rendered on it while the plan is made.  *wrc is
 * the writing's code. */
static int open_and_write(cli_pass *pass, const char *in, int json, int *wrc)
{
	*wrc = HS_OK;
	if (!json && (pass->limits.flags & HS_LOAD_PARALLEL))
		return cli_pass_open_text(pass, in, write_stdout, NULL, wrc);
	int status = cli_pass_open(pass, in);
	if (status == HS_EXIT_OK)
		*wrc = json ? hs_plan_write_json(pass->p, write_stdout, NULL)
			    : hs_plan_write_text(pass->p, write_stdout, NULL);
	return status;
}

int cli_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_PASS_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	cli_pass pass;
	int json = 0, c;
	cli_pass_init(&pass);
	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		int handled = cli_pass_option(&pass, c, optarg);
		if (handled < 0)
			return HS_EXIT_USAGE;
		if (handled)
			continue;
		switch (c) {
		case 'j': json = 1; break;
		case 'h': inspect_usage(stdout); return HS_EXIT_OK;
		default:
			fputs("Try 'hintstub inspect --help' for more information.\n", stderr);
			return HS_EXIT_USAGE;
		}
	}
	if (pass.plugins.list)
		return cli_list_plugins(&pass.plugins);
	if (argc - optind != 1) {
		cli_error("inspect: expected one input file");
		return HS_EXIT_USAGE;
	}
	int wrc;
	int status = open_and_write(&pass, argv[optind], json, &wrc);
	if (status == HS_EXIT_OK && wrc != HS_OK) {
		if (stdout_errno)
			cli_error("inspect: writing standard output failed: %s",
				  strerror(stdout_errno));
		else
			cli_error_last();
		status = HS_EXIT_BAD_INPUT;
	}
	if (status == HS_EXIT_OK && fflush(stdout) != 0) {
		cli_error("inspect: writing standard output failed: %s", strerror(errno));
		status = HS_EXIT_BAD_INPUT;
	}
	cli_pass_close(&pass);
	return status;
}
