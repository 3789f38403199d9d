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

/* JSON string output with escaping. */
void cli_json_str(FILE *out, const char *s, size_t len);

#endif
