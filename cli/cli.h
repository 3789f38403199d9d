/* The hintstub command line tool: shared declarations. */
#ifndef HS_CLI_H
#define HS_CLI_H

#include <stdarg.h>
#include <stdio.h>

#include "hintstub/hintstub.h"

/* Exit statuses (GNU conventions). */
enum { HS_EXIT_OK = 0, HS_EXIT_BAD_INPUT = 1, HS_EXIT_USAGE = 2 };

/* Formats and prints to f as one printable line (hs_escape): every byte
 * but a final newline is escaped, so formats must not hold other
 * newlines or tabs (cli/print.c). */
void cli_vprint(FILE *f, const char *fmt, va_list ap);
/* The bytes of s (NULs included) escaped, as cli_vprint prints. */
void cli_put_text(FILE *f, hs_str s);
/* cli_vprint to standard output. */
void cli_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "hintstub: MESSAGE" for the library's last error. */
void cli_error_last(void);
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cli_inspect(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_draw(int argc, char **argv);
/* Runs Graphviz's dot -TFORMAT on the len bytes of DOT text at dot and
 * returns its output in *out (malloc'd, NUL-terminated; *out_len bytes)
 * (cli/graphviz.c).  Killed after timeout_s seconds.  CLI_DOT_MISSING
 * when no dot is found in PATH (nothing printed); other failures are
 * reported. */
enum { CLI_DOT_OK = 0, CLI_DOT_MISSING = 1, CLI_DOT_FAILED = 2 };
int cli_graphviz(char **out, size_t *out_len, const char *format, const char *dot,
		 size_t len, int timeout_s);
/* Same file: same device and inode ("-" is the standard stream fd). */
int cli_same_file(const char *a, int a_fd, const char *b, int b_fd);

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
	const char *input;   /* IN, which warnings name (NULL: none) */
} cli_plugin_opts;

/* 1: handled, 0: not a plugin option, -1: usage error (reported). */
int cli_plugin_option(cli_plugin_opts *o, int opt, const char *arg);
/* Builds the registry the options describe (*out NULL with --no-plugins).
 * Returns an exit status; errors are reported. */
int cli_registry_open(hs_registry **out, const cli_plugin_opts *o);
int cli_list_plugins(const cli_plugin_opts *o);
/* Warns of plugins named in --plugins that convert no call of the plan,
 * with the function name they may have meant; of plugins of a --rules
 * file only when a call's function is a likely typo of theirs. */
void cli_warn_idle_plugins(const cli_plugin_opts *o, const hs_registry *r,
			   const hs_plan *p);

/* Reports a plugin that calls exit() or crashes during a callback
 * (cli/guard.c); called first thing in main. */
void cli_guard_plugins(void);

/* Resource limits (--max-file-size, --max-nodes, --max-depth,
 * --max-memory). */
enum { CLI_MAX_FILE_SIZE = 1000, CLI_MAX_NODES, CLI_MAX_DEPTH, CLI_ALLOW_EMPTY,
       CLI_MAX_MEMORY };
/* Attribute values are checked recursively: the ceiling bounds the stack. */
#define CLI_DEPTH_CEILING 1024
#define CLI_STR_(x) #x
#define CLI_STR(x) CLI_STR_(x)
/* Parses `text` into the limit `which` of o; prints the error and returns
 * -1 when it is not a valid value. */
int cli_set_limit(hs_load_options *o, int which, const char *text);
/* Parses --max-memory into *bytes; prints the error and returns -1. */
int cli_parse_max_memory(unsigned long long *bytes, const char *text);
/* Bounds the process's address space (RLIMIT_AS) to `bytes`; prints the
 * error and returns -1 when the kernel refuses. */
int cli_apply_max_memory(unsigned long long bytes);
/* Refuses an empty input (unless allow_empty) and a graph that does not
 * verify; prints the error and returns -1. */
int cli_check_input(const hs_graph *g, int allow_empty);

/* The options that shape the plan, shared by the conversion, inspect and
 * explain (cli/pass.c), and what they open. */
enum {
	CLI_OPT_LAYOUT = 0x200, CLI_OPT_TF_EXACT, CLI_OPT_ESCAPE, CLI_OPT_SIDE
};
#define CLI_PASS_LONG_OPTIONS                                                  \
	{ "input-layout", required_argument, NULL, CLI_OPT_LAYOUT },           \
	{ "tf-exact", no_argument, NULL, CLI_OPT_TF_EXACT },                   \
	{ "interior-escape", required_argument, NULL, CLI_OPT_ESCAPE },        \
	{ "side-input", required_argument, NULL, CLI_OPT_SIDE },               \
	{ "max-file-size", required_argument, NULL, CLI_MAX_FILE_SIZE },       \
	{ "max-nodes", required_argument, NULL, CLI_MAX_NODES },               \
	{ "max-depth", required_argument, NULL, CLI_MAX_DEPTH },               \
	{ "max-memory", required_argument, NULL, CLI_MAX_MEMORY },             \
	{ "allow-empty", no_argument, NULL, CLI_ALLOW_EMPTY },                 \
	CLI_PLUGIN_LONG_OPTIONS
#define CLI_PASS_HELP \
	"      --input-layout LAYOUT  dense (newest TF: absent input indices read a\n" \
	"                             -1 Const; default) or present (TF 1.13/1.14:\n" \
	"                             present inputs only)\n" \
	"      --tf-exact             reproduce TensorFlow where it is wrong\n" \
	"                             (_output_types 0 for non-stacked outputs, the\n" \
	"                             -1 Const even when unused, loop body nodes\n" \
	"                             brought up under their body names)\n" \
	"      --interior-escape P    a region node read from outside: error\n" \
	"                             (default), warn or ignore (the node stays)\n" \
	"      --side-input P         a kept node read by a region without an input\n" \
	"                             hint: error, warn (default) or ignore\n" \
	"      --max-file-size=N      refuse inputs larger than N bytes (K, M, G, T\n" \
	"                             suffixes; default 8G, or a quarter of the\n" \
	"                             physical memory when that is less)\n" \
	"      --max-nodes=N          refuse graphs of more than N nodes (default\n" \
	"                             50000000)\n" \
	"      --max-depth=N          refuse attribute values nested deeper than N\n" \
	"                             (default 64, at most " CLI_STR(CLI_DEPTH_CEILING) ")\n" \
	"      --max-memory=N         bound the memory the run may map to N bytes\n" \
	"                             (address space, code included; K, M, G, T)\n" \
	"      --allow-empty          accept an empty input (a GraphDef without nodes)\n" \
	CLI_PLUGIN_HELP

typedef struct cli_pass {
	hs_load_options limits;
	hs_plan_options plan;
	cli_plugin_opts plugins;
	int allow_empty;
	unsigned long long max_memory;   /* 0: no bound */
	/* Opened by cli_pass_open, closed by cli_pass_close. */
	hs_registry *registry;
	hs_graph *g;
	hs_callset *calls;
	hs_plan *p;
} cli_pass;

void cli_pass_init(cli_pass *p);
/* 1: handled, 0: not a pass option, -1: usage error (reported). */
int cli_pass_option(cli_pass *p, int opt, const char *arg);
/* Loads IN, opens the registry, discovers and plans; an exit status
 * (errors reported).  Close with cli_pass_close whatever it returned. */
int cli_pass_open(cli_pass *p, const char *in);
/* cli_pass_open that writes the plan's text to fn as hs_plan_new_write_text
 * does (rendered while the plan is made), the idle plugins warned of
 * before the text; *write_rc is the writing's code (HS_OK when the
 * status is not HS_EXIT_OK: nothing was written). */
int cli_pass_open_text(cli_pass *p, const char *in, hs_write_fn fn, void *payload,
		       int *write_rc);
/* Frees the plan and the call set, keeping the graph (writing it needs
 * nothing else): what they hold is not kept for the exit. */
void cli_pass_drop_plan(cli_pass *p);
void cli_pass_close(cli_pass *p);

#endif
