#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define HS_ERROR_MAX 1024

static _Thread_local char last_message[HS_ERROR_MAX];
static _Thread_local int last_code;

int hs_fail(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hs_vfail(code, fmt, ap);
	va_end(ap);
	return code;
}

int hs_options_init(void *opts, const void *defaults, size_t size,
		    unsigned int version, unsigned int known, const char *what)
{
	if (!opts)
		return hs_fail(HS_EINVAL, "%s_init: no options", what);
	if (version != known)
		return hs_fail(HS_EINVAL, "%s: unknown version %u", what, version);
	memcpy(opts, defaults, size);
	return HS_OK;
}

int hs_vfail(int code, const char *fmt, va_list ap)
{
	/* Formatted apart: the arguments may be the last message itself
	 * (`fail(code, "...: %s", error_last())`, as wrappers do). */
	char msg[HS_ERROR_MAX];
	vsnprintf(msg, sizeof msg, fmt, ap);
	memcpy(last_message, msg, sizeof msg);
	/* Messages are one line whatever the input held. */
	for (char *c = last_message; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	last_code = code;
	return code;
}

void hs_error_prefix(const char *label)
{
	char tmp[HS_ERROR_MAX];
	if (!label || !*label)
		return;
	size_t n = strlen(label);
	if (n > HS_ERROR_MAX / 2)
		n = HS_ERROR_MAX / 2;
	memcpy(tmp, label, n);
	memcpy(tmp + n, ": ", 2);
	size_t rest = HS_ERROR_MAX - n - 3;
	size_t m = strnlen(last_message, rest);
	memcpy(tmp + n + 2, last_message, m);
	tmp[n + 2 + m] = '\0';
	memcpy(last_message, tmp, sizeof tmp);
}

const char *hs_error_last(void) { return last_message; }
int hs_error_last_code(void) { return last_code; }

void hs_error_clear(void)
{
	last_message[0] = '\0';
	last_code = HS_OK;
}

const char *hs_error_name(int code)
{
	switch (code) {
	case HS_OK: return "ok";
	case HS_ERROR: return "error";
	case HS_ENOMEM: return "out of memory";
	case HS_EIO: return "i/o error";
	case HS_EPARSE: return "parse error";
	case HS_EGRAPH: return "malformed graph";
	case HS_EHINT: return "hint error";
	case HS_ERULES: return "rule file error";
	case HS_EPLUGIN: return "plugin error";
	case HS_EVERIFY: return "verification failed";
	case HS_ELIMIT: return "limit exceeded";
	case HS_EINVAL: return "invalid argument";
	case HS_ENOTFOUND: return "not found";
	case HS_EEXISTS: return "already exists";
	default: return "unknown error";
	}
}

void hs_free(void *ptr) { free(ptr); }

const char *hs_version(void) { return PACKAGE_VERSION; }
