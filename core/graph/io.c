/* Files: reading a whole input once, and writing output atomically
 * (temporary file in the target's directory, fsync, rename). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "grow.h"
#include "graph_internal.h"
#include "sink.h"
#include "text.h"

/* ----------------------------------------------------------------- load */

static int read_fd(uint8_t **out, size_t *out_size, int fd, const char *label,
		   uint64_t limit)
{
	struct stat st;
	size_t cap = 1 << 16, len = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size > limit)
			return hs_fail(HS_ELIMIT, "%s: file is %lld bytes, more than the limit of %llu",
				       label, (long long)st.st_size,
				       (unsigned long long)limit);
		cap = (size_t)st.st_size + 1;
	} else if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		return hs_fail(HS_EIO, "%s: is a directory", label);
	}
	uint8_t *buf = malloc(cap);
	if (!buf)
		return hs_fail(HS_ENOMEM, "%s: out of memory reading", label);
	for (;;) {
		if (len == cap) {
			/* cap > limit: more than the limit was read (the
			 * comparison cannot overflow, unlike limit + 1). */
			if ((uint64_t)cap > limit) {
				free(buf);
				return hs_fail(HS_ELIMIT, "%s: input is more than the limit of %llu bytes",
					       label, (unsigned long long)limit);
			}
			if (hs_grow((void **)&buf, &cap, cap + 1, 1, cap) != HS_OK) {
				free(buf);
				return hs_fail(HS_ENOMEM, "%s: out of memory reading", label);
			}
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			return hs_fail(HS_EIO, "%s: read failed: %s", label, strerror(e));
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if ((uint64_t)len > limit) {
		free(buf);
		return hs_fail(HS_ELIMIT, "%s: input is more than the limit of %llu bytes",
			       label, (unsigned long long)limit);
	}
	*out = buf;
	*out_size = len;
	return HS_OK;
}

int hs_graph_load_file(hs_graph **out, const char *path, const hs_load_options *opts)
{
	uint8_t *bytes = NULL;
	size_t size = 0;
	int fd, rc;
	if (!out || !path)
		return hs_fail(HS_EINVAL, "hs_graph_load_file: NULL argument");
	*out = NULL;
	if (hs_load_options_check(opts) != HS_OK)
		return HS_EINVAL;
	uint64_t limit = opts && opts->max_file_size ? opts->max_file_size
						       : ((uint64_t)8 << 30);
	int is_stdin = strcmp(path, "-") == 0;
	const char *label = is_stdin ? "<stdin>" : path;
	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hs_fail(HS_EIO, "%s: cannot open: %s", path, strerror(errno));
	rc = read_fd(&bytes, &size, fd, label, limit);
	if (!is_stdin)
		close(fd);
	if (rc != HS_OK)
		return rc;
	return hs_graph_load_owned(out, bytes, size, label, opts);
}

/* ---------------------------------------------------------------- write */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

/* Text output is made whole in memory before the file is touched, so a
 * graph that cannot be written as text leaves nothing behind. */
static int write_to_fd(const hs_graph *g, int fd, const char *label, int text)
{
	hs_sink s;
	char *txt = NULL;
	size_t txt_len = 0;
	if (text && hs_graph_write_text_buffer(&txt, &txt_len, g) != HS_OK)
		return hs_error_last_code();
	int rc = hs_sink_init_fd(&s, fd, label);
	if (rc == HS_OK)
		rc = text ? hs_sink_write(&s, txt, txt_len) : hs_graph_serialize(g, &s);
	free(txt);
	if (rc == HS_OK)
		rc = hs_sink_flush(&s);
	hs_sink_release(&s);
	return rc;
}

/* Writing goes to a file nobody can see until it is complete.  With
 * O_TMPFILE (Linux, most local filesystems) the data goes to an unnamed
 * file: a process killed at any point while writing leaves nothing behind.
 * Where O_TMPFILE is refused, a temporary named .hintstub-PID-N in the
 * target's directory is used instead and unlinked on every failure (only a
 * SIGKILL or crash during the write can leave it).
 *
 * Nothing process- or thread-wide is touched, so threads may write at
 * once:
 *  - the mode is given at creation: 0666 for a new file, which the kernel
 *    reduces by the umask (or the directory's default ACL) exactly as for
 *    any new file, instead of reading the umask by setting it; a file that
 *    replaces another is created private (0600) and gets the old file's
 *    mode with fchmod once complete;
 *  - the window between naming the finished file and renaming it over the
 *    target was once guarded by blocking SIGINT/SIGTERM/SIGHUP/SIGQUIT in
 *    the thread's signal mask.  That changes state of the caller's
 *    thread, and in a process with several threads it never protected
 *    anything: the kernel hands the signal to a thread that does not block
 *    it.  Instead the window is closed where it can be and made as short
 *    as two system calls where it cannot: a new target is published with
 *    one linkat() of the unnamed file to the target's own name (it appears
 *    complete or not at all; no temporary name ever exists); a target
 *    that exists is replaced by linkat() to a temporary name immediately
 *    followed by rename(), with the data already written and synced.  A
 *    signal landing between those two calls can leave one .hintstub-*
 *    file, as a SIGKILL in the same place always could.  A program that
 *    wants even that window closed blocks the signals itself, process-
 *    wide, around the call: that is the program's state to change, not
 *    the library's. */

typedef struct out_file {
	const char *path;
	char *dir;
	char *tmp;       /* temporary name, once there is one */
	int fd;
	int anonymous;   /* O_TMPFILE: no name until published */
	int link_failed; /* the unnamed file could not be given a name */
	int replaces;    /* a regular file is at path when writing starts */
	int text;        /* text format instead of binary */
} out_file;

/* Mode of a file while it is written: see above. */
static mode_t create_mode(const out_file *o)
{
	return o->replaces ? 0600 : 0666;
}

/* A file that replaces another takes over its mode. */
static void keep_old_mode(const out_file *o)
{
	struct stat st;
	if (!o->replaces || stat(o->path, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	if (fchmod(o->fd, st.st_mode & 07777) != 0) {
		/* Not fatal: the file stays private (0600). */
	}
}

/* A fresh temporary name next to the target, in o->tmp. */
static int next_temp_name(out_file *o)
{
	static unsigned counter; /* atomic: unique names across threads */
	size_t tlen = strlen(o->dir) + 48;
	if (!o->tmp && !(o->tmp = malloc(tlen)))
		return hs_fail(HS_ENOMEM, "out of memory");
	snprintf(o->tmp, tlen, "%s/.hintstub-%ld-%u", o->dir, (long)getpid(),
		 __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
	return HS_OK;
}

static void drop_temp_name(out_file *o)
{
	free(o->tmp);
	o->tmp = NULL;
}

static int open_named_temp(out_file *o)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		int rc = next_temp_name(o);
		if (rc != HS_OK)
			return rc;
		o->fd = open(o->tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC |
			     O_NOFOLLOW, create_mode(o));
		if (o->fd >= 0)
			return HS_OK;
		if (errno != EEXIST)
			break;
	}
	int e = errno;
	drop_temp_name(o);
	return hs_fail(HS_EIO, "%s: cannot create a temporary file in '%s': %s",
		       o->path, o->dir, strerror(e));
}

static int open_temp(out_file *o)
{
#ifdef O_TMPFILE
	o->fd = open(o->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, create_mode(o));
	if (o->fd >= 0) {
		o->anonymous = 1;
		return HS_OK;
	}
#endif
	return open_named_temp(o);
}

/* Gives the unnamed file the name `name`; errno tells why not. */
static int link_anonymous(const out_file *o, const char *name)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
}

/* Gives the unnamed file a temporary name next to the target. */
static int name_anonymous(out_file *o)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		int rc = next_temp_name(o);
		if (rc != HS_OK)
			return rc;
		if (link_anonymous(o, o->tmp) == 0)
			return HS_OK;
		if (errno != EEXIST)
			break;
	}
	int e = errno;
	drop_temp_name(o);
	o->link_failed = 1;
	return hs_fail(HS_EIO, "%s: cannot link the temporary file into '%s': %s",
		       o->path, o->dir, strerror(e));
}

/* Puts the complete, synced file in place of the target. */
static int publish(out_file *o)
{
	int rc = HS_OK;
	/* A new target: the unnamed file becomes it in one step.  EEXIST (a
	 * file appeared meanwhile) and every other refusal go the way of a
	 * replacement, which reports what fails. */
	if (o->anonymous && !o->replaces && link_anonymous(o, o->path) == 0) {
		fsync_dir(o->dir);
		return HS_OK;
	}
	if (o->anonymous)
		rc = name_anonymous(o);
	if (rc == HS_OK && rename(o->tmp, o->path) != 0) {
		rc = hs_fail(HS_EIO, "%s: cannot rename the temporary file into place: %s",
			     o->path, strerror(errno));
		unlink(o->tmp);
	}
	if (rc == HS_OK)
		fsync_dir(o->dir);
	return rc;
}

static int write_once(const hs_graph *g, out_file *o, int try_anonymous)
{
	int rc = try_anonymous ? open_temp(o) : open_named_temp(o);
	if (rc != HS_OK)
		return rc;
	rc = write_to_fd(g, o->fd, o->path, o->text);
	if (rc == HS_OK && fsync(o->fd) != 0)
		rc = hs_fail(HS_EIO, "%s: fsync failed: %s", o->path, strerror(errno));
	if (rc == HS_OK)
		keep_old_mode(o);
	if (rc == HS_OK && o->anonymous)
		rc = publish(o);
	if (close(o->fd) != 0 && rc == HS_OK)
		rc = hs_fail(HS_EIO, "%s: close failed: %s", o->path, strerror(errno));
	o->fd = -1;
	if (rc == HS_OK && !o->anonymous)
		rc = publish(o);
	else if (rc != HS_OK && o->tmp && !o->anonymous)
		unlink(o->tmp);
	return rc;
}

static int write_to_special(const hs_graph *g, const char *path, int text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return hs_fail(HS_EIO, "%s: cannot open for writing: %s", path,
			       strerror(errno));
	int rc = write_to_fd(g, fd, path, text);
	if (close(fd) != 0 && rc == HS_OK)
		rc = hs_fail(HS_EIO, "%s: close failed: %s", path, strerror(errno));
	return rc;
}

static int write_path(const hs_graph *g, const char *path, int text)
{
	if (!g || !path)
		return hs_fail(HS_EINVAL, "%s: NULL argument",
			       text ? "hs_graph_write_text_file" : "hs_graph_write_file");
	if (strcmp(path, "-") == 0)
		return write_to_fd(g, STDOUT_FILENO, "<stdout>", text);
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return hs_fail(HS_EIO, "%s: is a directory", path);
	/* A device, FIFO or socket is written to, never replaced: renaming
	 * over /dev/null would be a disaster when running as root. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_to_special(g, path, text);
	/* A symbolic link stays: the file it points to is replaced. */
	char *resolved = NULL;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		resolved = realpath(path, NULL);
		if (!resolved)
			return hs_fail(HS_EIO, "%s: cannot resolve the symbolic link: %s",
				       path, strerror(errno));
	}
	const char *target = resolved ? resolved : path;
	out_file o = { target, dir_of(target), NULL, -1, 0, 0, 0, text };
	o.replaces = stat(target, &st) == 0 && S_ISREG(st.st_mode);
	if (!o.dir) {
		free(resolved);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	int rc = write_once(g, &o, 1);
	if (rc != HS_OK && o.link_failed) {
		/* No /proc to name the unnamed file by: write it again the
		 * portable way. */
		o.anonymous = 0;
		rc = write_once(g, &o, 0);
	}
	free(o.tmp);
	free(o.dir);
	free(resolved);
	return rc;
}

int hs_graph_write_file(const hs_graph *g, const char *path)
{
	return write_path(g, path, 0);
}

int hs_graph_write_text_file(const hs_graph *g, const char *path)
{
	return write_path(g, path, 1);
}

int hs_graph_write_text_buffer(char **out, size_t *out_size, const hs_graph *g)
{
	void *wire = NULL;
	size_t wire_size = 0;
	if (!out || !out_size || !g)
		return hs_fail(HS_EINVAL, "hs_graph_write_text_buffer: NULL argument");
	*out = NULL;
	*out_size = 0;
	int rc = hs_graph_write_buffer(&wire, &wire_size, g);
	if (rc != HS_OK)
		return rc;
	hs_buf b = { NULL, 0, 0, 0 };
	rc = hs_text_print(&b, wire, wire_size);
	free(wire);
	if (rc == HS_OK)
		hs_buf_put(&b, "", 1); /* the NUL */
	if (rc == HS_OK && b.failed)
		rc = hs_fail(HS_ENOMEM, "out of memory writing text");
	if (rc != HS_OK) {
		hs_buf_free(&b);
		return rc;
	}
	*out = (char *)b.data;
	*out_size = b.len - 1;
	return HS_OK;
}
