/* The hintstub command line tool: shared declarations. */
#ifndef HS_CLI_H
#define HS_CLI_H

#include <stdio.h>

#include "hintstub/hintstub.h"

/* Exit statuses (GNU conventions). */
enum { HS_EXIT_OK = 0, HS_EXIT_BAD_INPUT = 1, HS_EXIT_USAGE = 2 };

/* Prints "hintstub: MESSAGE" for the library's last error. */
void cli_error_last(void);
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cli_inspect(int argc, char **argv);
int cli_explain(int argc, char **argv);

/* Plugin options (cli/plugins.c), shared by the subcommands. */
enum {
	CLI_OPT_PLUGIN_PATH = 0x100,
	CLI_OPT_PLUGINS,
	CLI_OPT_RULES,
	CLI_OPT_NO_PLUGINS,
	CLI_OPT_LIST_PLUGINS
};
#define CLI_PLUGIN_LONG_OPTIONS                                            \
	{ "plugin-path", required_argument, NULL, CLI_OPT_PLUGIN_PATH },   \
	{ "plugins", required_argument, NULL, CLI_OPT_PLUGINS },           \
	{ "rules", required_argument, NULL, CLI_OPT_RULES },               \
	{ "no-plugins", no_argument, NULL, CLI_OPT_NO_PLUGINS },           \
	{ "list-plugins", no_argument, NULL, CLI_OPT_LIST_PLUGINS }
#define CLI_PLUGIN_HELP \
	"      --plugin-path DIR      look for plugins in DIR first (repeatable)\n" \
	"      --plugins A,B          use only these plugins (in rule order)\n" \
	"      --rules FILE           rule file (default: the installed default.rules)\n" \
	"      --no-plugins           no plugins: the generic stub for every call\n" \
	"      --list-plugins         list the plugins that would be used and exit\n"
#define CLI_MAX_PLUGIN_DIRS 32

typedef struct cli_plugin_opts {
	const char *dirs[CLI_MAX_PLUGIN_DIRS];
	size_t n_dirs;
	const char *plugins;
	const char *rules;
	int no_plugins;
	int list;
} cli_plugin_opts;

/* 1: handled, 0: not a plugin option, -1: usage error (reported). */
int cli_plugin_option(cli_plugin_opts *o, int opt, const char *arg);
/* Builds the registry the options describe (*out NULL with --no-plugins).
 * Returns an exit status; errors are reported. */
int cli_registry_open(hs_registry **out, const cli_plugin_opts *o);
int cli_list_plugins(const cli_plugin_opts *o);

/* Resource limits (--max-file-size, --max-nodes, --max-depth). */
enum { CLI_MAX_FILE_SIZE = 1000, CLI_MAX_NODES, CLI_MAX_DEPTH, CLI_ALLOW_EMPTY };
/* Attribute values are checked recursively: the ceiling bounds the stack. */
#define CLI_DEPTH_CEILING 1024
#define CLI_STR_(x) #x
#define CLI_STR(x) CLI_STR_(x)
/* Parses `text` into the limit `which` of o; prints the error and returns
 * -1 when it is not a valid value. */
int cli_set_limit(hs_load_options *o, int which, const char *text);
/* Refuses an empty input (unless allow_empty) and a graph that does not
 * verify; prints the error and returns -1. */
int cli_check_input(const hs_graph *g, int allow_empty);

/* JSON string output with escaping. */
void cli_json_str(FILE *out, const char *s, size_t len);

#endif
