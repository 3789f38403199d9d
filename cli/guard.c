/* Plugins run inside this process: a plugin that calls exit() or crashes
 * during a callback must neither look like a successful run to the
 * pipeline nor die without saying whose fault it was.  The library
 * records which plugin callback runs on each thread (hs_plugin_running);
 * this file, the program's part, acts on it:
 *  - an atexit handler: exit() while a callback runs means the plugin
 *    ended the process; it says so and turns the status into 1 with
 *    _exit (no output was published: OUT is only written after the
 *    conversion returned);
 *  - SIGSEGV/SIGBUS/SIGILL/SIGFPE/SIGABRT handlers, on an alternate
 *    stack (a plugin's runaway recursion), print the plugin, callback and
 *    call with write(2) only, then give the signal back to the handler
 *    that was there before (the default, or a sanitizer's), so the process
 *    still dies of it.
 * A plugin calling _exit() or sending itself SIGKILL escapes both.
 *
 * Inputs are mapped (HS_LOAD_MAP), so a SIGBUS outside any plugin, at an
 * address past the end of a file mapping (BUS_ADRERR), means a file shrank
 * under us: that is an input error, said as such, exit status 1.  The
 * output is written to an unnamed temporary file (O_TMPFILE) published
 * only when complete, so nothing partial is left; where the file system
 * lacks O_TMPFILE a named temporary file may remain. */
#include <config.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hintstub/plugin.h"

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
#define N_CRASH (sizeof crash_signals / sizeof crash_signals[0])
static struct sigaction previous[N_CRASH];

static void put(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(STDERR_FILENO, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void put_str(const char *s)
{
	put(s, strlen(s));
}

/* The uuid comes from the input: at most 64 bytes, control and non-ASCII
 * bytes as \xHH, so the line stays one line. */
static void put_escaped(hs_str s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = s.len < 64 ? s.len : 64;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			put((const char *)&c, 1);
		} else {
			char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
			put(e, 4);
		}
	}
	if (s.len > n)
		put_str("...");
}

/* "plugin NAME, in CALLBACK (call UUID)" */
static void put_where(const char *plugin, const char *callback, hs_str call)
{
	put_str("plugin ");
	put_str(plugin ? plugin : "?");
	put_str(", in ");
	put_str(callback ? callback : "?");
	if (call.len) {
		put_str(" (call ");
		put_escaped(call);
		put_str(")");
	}
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	default: return "SIGABRT";
	}
}

static void on_crash(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	const char *plugin, *callback;
	hs_str call = { NULL, 0 };
	if (hs_plugin_running(&plugin, &callback, &call)) {
		put_str("hintstub: crash (");
		put_str(signal_name(sig));
		put_str(") in ");
		put_where(plugin, callback, call);
		put_str("\n");
	} else if (sig == SIGBUS && info->si_code == BUS_ADRERR) {
		put_str("hintstub: an input file shrank while it was being read "
			"(truncated or rewritten in place by another program); "
			"nothing written\n");
		_exit(HS_EXIT_BAD_INPUT);
	}
	for (size_t i = 0; i < N_CRASH; i++)
		if (crash_signals[i] == sig)
			sigaction(sig, &previous[i], NULL);
	/* A fault repeats when the instruction is retried and reaches the
	 * previous handler; a sent signal must be sent again. */
	if (info->si_code <= 0 || sig == SIGABRT)
		raise(sig);
}

static void on_exit_during_callback(void)
{
	const char *plugin, *callback;
	hs_str call = { NULL, 0 };
	if (!hs_plugin_running(&plugin, &callback, &call))
		return;
	put_str("hintstub: ");
	put_where(plugin, callback, call);
	put_str(": the plugin called exit(); nothing written\n");
	_exit(HS_EXIT_BAD_INPUT);
}

void cli_guard_plugins(void)
{
	/* An alternate stack unless a runtime (a sanitizer) set one. */
	static char alt[1 << 16];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0 }, old;
	if (sigaltstack(NULL, &old) == 0 && (old.ss_flags & SS_DISABLE))
		sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_crash;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_CRASH; i++)
		sigaction(crash_signals[i], &sa, &previous[i]);
	atexit(on_exit_during_callback);
}
