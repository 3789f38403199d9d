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
