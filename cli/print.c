/* Every line the command prints quotes names, uuids, function names,
 * plugin descriptions and file names, any of which may hold a newline or
 * a terminal escape: it is printed through hs_escape, so one line stays
 * one line and no byte of the input reaches the terminal as a control. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_vprint(FILE *f, const char *fmt, va_list ap)
{
	char small[1024], *text = small;
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= (int)sizeof small && (text = malloc((size_t)n + 1)) != NULL)
		vsnprintf(text, (size_t)n + 1, fmt, aq);
	va_end(aq);
	if (!text) {
		text = small; /* out of memory: the first 1023 bytes */
		n = (int)strlen(small);
	}
	size_t len = n < 0 ? 0 : (size_t)n;
	int newline = len && text[len - 1] == '\n';
	for (size_t i = 0, m = len - (size_t)newline; i < m;) {
		char chunk[256];
		i += hs_escape(chunk, sizeof chunk, text + i, m - i);
		fputs(chunk, f);
	}
	if (newline)
		fputc('\n', f);
	if (text != small)
		free(text);
}

void cli_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_vprint(stdout, fmt, ap);
	va_end(ap);
}

void cli_put_text(FILE *f, hs_str s)
{
	for (size_t i = 0; i < s.len;) {
		char chunk[256];
		i += hs_escape(chunk, sizeof chunk, s.ptr + i, s.len - i);
		fputs(chunk, f);
	}
}
