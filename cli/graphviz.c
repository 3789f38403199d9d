/* Running Graphviz's `dot` for `hintstub draw`: the DOT text on its
 * standard input, the picture read from its standard output into memory
 * (so nothing is written unless it succeeds), within a time limit.
 * posix_spawnp, no shell: nothing of the input reaches a command line. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

/* A picture larger than this is refused (dot gone wrong). */
#define DOT_MAX_OUTPUT ((size_t)1 << 30)
#define DOT_MAX_ERR 2048

typedef struct sink {
	char *data;
	size_t len, cap, max;
} sink;

static int sink_read(sink *s, int fd)
{
	if (s->cap - s->len < 65536) {
		size_t cap = s->cap ? s->cap * 2 : 262144;
		char *p = realloc(s->data, cap + 1);
		if (!p)
			return -1;
		s->data = p;
		s->cap = cap;
	}
	ssize_t n = read(fd, s->data + s->len, s->cap - s->len);
	if (n > 0) {
		s->len += (size_t)n;
		if (s->len > s->max)
			s->len = s->max;   /* kept to max; the caller sees it */
	}
	return n < 0 ? (errno == EAGAIN || errno == EINTR ? 1 : -1) : n > 0;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int spawn(pid_t *pid, int in[2], int out[2], int err[2], const char *format)
{
	char fmt_arg[32];
	snprintf(fmt_arg, sizeof fmt_arg, "-T%s", format);
	char *argv[] = { "dot", fmt_arg, NULL };
	posix_spawn_file_actions_t fa;
	if (posix_spawn_file_actions_init(&fa))
		return ENOMEM;
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
	int rc = posix_spawnp(pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Feeds dot and drains it until both outputs close or time runs out. */
static int pump(int *in_w, int *out_r, int *err_r, const char *dot, size_t len,
		sink *out, sink *err, double deadline)
{
	size_t sent = 0;
	fcntl(*in_w, F_SETFL, O_NONBLOCK);
	if (!len)
		close_fd(in_w);
	while (*out_r >= 0 || *err_r >= 0) {
		struct pollfd p[3] = { { *in_w, POLLOUT, 0 }, { *out_r, POLLIN, 0 },
				       { *err_r, POLLIN, 0 } };
		double left = deadline - now();
		if (left <= 0)
			return -2;
		int n = poll(p, 3, left > 1 ? 1000 : (int)(left * 1000) + 1);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n <= 0)
			continue;
		if (*in_w >= 0 && (p[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(*in_w, dot + sent, len - sent);
			if (w > 0)
				sent += (size_t)w;
			if (sent == len || (w < 0 && errno != EAGAIN && errno != EINTR))
				close_fd(in_w);   /* EPIPE: dot stopped reading; its status tells */
		}
		if (*out_r >= 0 && (p[1].revents & (POLLIN | POLLERR | POLLHUP))) {
			int r = sink_read(out, *out_r);
			if (r < 0)
				return -1;
			if (r == 0)
				close_fd(out_r);
			else if (out->len >= out->max)
				return -3;
		}
		if (*err_r >= 0 && (p[2].revents & (POLLIN | POLLERR | POLLHUP))) {
			int r = sink_read(err, *err_r);
			if (r <= 0)
				close_fd(err_r);
		}
	}
	close_fd(in_w);
	return 0;
}

/* The first line dot wrote on stderr, for the message. */
static const char *first_line(sink *err)
{
	if (!err->data || !err->len)
		return "no message";
	err->data[err->len] = '\0';
	char *nl = strchr(err->data, '\n');
	if (nl)
		*nl = '\0';
	return err->data;
}

int cli_graphviz(char **out, size_t *out_len, const char *format, const char *dot,
		 size_t len, int timeout_s)
{
	int in[2] = { -1, -1 }, o[2] = { -1, -1 }, e[2] = { -1, -1 };
	sink so = { NULL, 0, 0, DOT_MAX_OUTPUT }, se = { NULL, 0, 0, DOT_MAX_ERR };
	pid_t pid = -1;
	int status = CLI_DOT_FAILED;
	*out = NULL;
	*out_len = 0;
	if (pipe2(in, O_CLOEXEC) || pipe2(o, O_CLOEXEC) || pipe2(e, O_CLOEXEC)) {
		cli_error("draw: cannot make pipes for dot: %s", strerror(errno));
		goto done;
	}
	int rc = spawn(&pid, in, o, e, format);
	if (rc) {
		pid = -1;
		if (rc == ENOENT) {
			status = CLI_DOT_MISSING;
		} else {
			cli_error("draw: cannot run dot: %s", strerror(rc));
		}
		goto done;
	}
	close_fd(&in[0]);
	close_fd(&o[1]);
	close_fd(&e[1]);
	/* dot may stop reading early: EPIPE, not a SIGPIPE that kills us. */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	int r = pump(&in[1], &o[0], &e[0], dot, len, &so, &se, now() + timeout_s);
	int saved = errno;
	sigaction(SIGPIPE, &old, NULL);
	if (r) {
		close_fd(&in[1]);
		kill(pid, SIGKILL);
	}
	int ws = 0;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (r == -2)
		cli_error("draw: dot took longer than %d s; stopped (see --dot-timeout, --summary)",
			  timeout_s);
	else if (r == -3)
		cli_error("draw: dot's output passed %zu bytes; stopped", so.max);
	else if (r)
		cli_error("draw: talking to dot failed: %s", strerror(saved));
	else if (WIFEXITED(ws) && WEXITSTATUS(ws) == 127 && !so.len)
		status = CLI_DOT_MISSING;   /* a dot that cannot run */
	else if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
		cli_error("draw: dot failed (%s %d): %s", WIFEXITED(ws) ? "exit status" : "signal",
			  WIFEXITED(ws) ? WEXITSTATUS(ws) : WTERMSIG(ws), first_line(&se));
	else if (!so.len)
		cli_error("draw: dot wrote nothing (%s)", first_line(&se));
	else {
		so.data[so.len] = '\0';   /* sink_read keeps a byte for it */
		*out = so.data;
		*out_len = so.len;
		so.data = NULL;
		status = CLI_DOT_OK;
	}
done:
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&o[0]);
	close_fd(&o[1]);
	close_fd(&e[0]);
	close_fd(&e[1]);
	free(so.data);
	free(se.data);
	return status;
}
