/* Files: reading a whole input once, and writing output atomically
 * (temporary file in the target's directory, fsync, rename). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "graph_internal.h"
#include "sink.h"

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
			uint8_t *p = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
			if (!p) {
				free(buf);
				return hs_fail(HS_ENOMEM, "%s: out of memory reading", label);
			}
			buf = p;
			cap *= 2;
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
	uint64_t limit = opts && opts->max_file_size ? opts->max_file_size
						       : ((uint64_t)8 << 30);
	if (!out || !path)
		return hs_fail(HS_EINVAL, "hs_graph_load_file: NULL argument");
	*out = NULL;
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

static int write_to_fd(const hs_graph *g, int fd, const char *label)
{
	hs_sink s;
	int rc = hs_sink_init_fd(&s, fd, label);
	if (rc == HS_OK)
		rc = hs_graph_serialize(g, &s);
	if (rc == HS_OK)
		rc = hs_sink_flush(&s);
	hs_sink_release(&s);
	return rc;
}

/* The temporary file gets the mode a new file would get (0666 & ~umask),
 * or the mode of the file it replaces. */
static void set_final_mode(int fd, const char *path)
{
	struct stat st;
	mode_t mode;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(fd, mode) != 0) {
		/* Not fatal: the file keeps mkstemp's private mode. */
	}
}

/* Writing goes to a file nobody can see until it is complete.  With
 * O_TMPFILE (Linux, most local filesystems) the data goes to an unnamed
 * file: a process killed at any point while writing leaves nothing behind.
 * Once written and synced, it gets a temporary name in the target's
 * directory and is renamed over the target; catchable termination signals
 * are held for that short window so that no named temporary survives
 * Ctrl-C.  Where O_TMPFILE is refused, a mkstemp() file named
 * .hintstub-XXXXXX is used instead and unlinked on every failure (only a
 * SIGKILL or crash during the write can leave it). */

typedef struct out_file {
	const char *path;
	char *dir;
	char *tmp;       /* temporary name, once there is one */
	int fd;
	int anonymous;   /* O_TMPFILE: no name until published */
	int link_failed; /* the unnamed file could not be given a name */
} out_file;

static void hold_signals(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static void release_signals(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

static int open_named_temp(out_file *o)
{
	size_t tlen = strlen(o->dir) + 32;
	o->tmp = malloc(tlen);
	if (!o->tmp)
		return hs_fail(HS_ENOMEM, "out of memory");
	snprintf(o->tmp, tlen, "%s/.hintstub-XXXXXX", o->dir);
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0) {
		int e = errno;
		free(o->tmp);
		o->tmp = NULL;
		return hs_fail(HS_EIO, "%s: cannot create a temporary file in '%s': %s",
			       o->path, o->dir, strerror(e));
	}
	return HS_OK;
}

static int open_temp(out_file *o)
{
#ifdef O_TMPFILE
	o->fd = open(o->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (o->fd >= 0) {
		o->anonymous = 1;
		return HS_OK;
	}
#endif
	return open_named_temp(o);
}

/* Gives the unnamed file a temporary name next to the target. */
static int name_anonymous(out_file *o)
{
	char proc[64];
	size_t tlen = strlen(o->dir) + 48;
	o->tmp = malloc(tlen);
	if (!o->tmp)
		return hs_fail(HS_ENOMEM, "out of memory");
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
	static unsigned counter;
	for (int attempt = 0; attempt < 100; attempt++) {
		snprintf(o->tmp, tlen, "%s/.hintstub-%ld-%u", o->dir, (long)getpid(),
			 __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
		if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0)
			return HS_OK;
		if (errno != EEXIST)
			break;
	}
	int e = errno;
	free(o->tmp);
	o->tmp = NULL;
	o->link_failed = 1;
	return hs_fail(HS_EIO, "%s: cannot link the temporary file into '%s': %s",
		       o->path, o->dir, strerror(e));
}

/* Puts the complete, synced temporary file in place of the target. */
static int publish(out_file *o)
{
	sigset_t old;
	int rc = HS_OK;
	hold_signals(&old);
	if (o->anonymous)
		rc = name_anonymous(o);
	if (rc == HS_OK && rename(o->tmp, o->path) != 0) {
		rc = hs_fail(HS_EIO, "%s: cannot rename the temporary file into place: %s",
			     o->path, strerror(errno));
		unlink(o->tmp);
	}
	release_signals(&old);
	if (rc == HS_OK)
		fsync_dir(o->dir);
	return rc;
}

static int write_once(const hs_graph *g, out_file *o, int try_anonymous)
{
	int rc = try_anonymous ? open_temp(o) : open_named_temp(o);
	if (rc != HS_OK)
		return rc;
	rc = write_to_fd(g, o->fd, o->path);
	if (rc == HS_OK && fsync(o->fd) != 0)
		rc = hs_fail(HS_EIO, "%s: fsync failed: %s", o->path, strerror(errno));
	if (rc == HS_OK)
		set_final_mode(o->fd, o->path);
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

static int write_to_special(const hs_graph *g, const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return hs_fail(HS_EIO, "%s: cannot open for writing: %s", path,
			       strerror(errno));
	int rc = write_to_fd(g, fd, path);
	if (close(fd) != 0 && rc == HS_OK)
		rc = hs_fail(HS_EIO, "%s: close failed: %s", path, strerror(errno));
	return rc;
}

int hs_graph_write_file(const hs_graph *g, const char *path)
{
	if (!g || !path)
		return hs_fail(HS_EINVAL, "hs_graph_write_file: NULL argument");
	if (strcmp(path, "-") == 0)
		return write_to_fd(g, STDOUT_FILENO, "<stdout>");
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return hs_fail(HS_EIO, "%s: is a directory", path);
	/* A device, FIFO or socket is written to, never replaced: renaming
	 * over /dev/null would be a disaster when running as root. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_to_special(g, path);
	/* A symbolic link stays: the file it points to is replaced. */
	char *resolved = NULL;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		resolved = realpath(path, NULL);
		if (!resolved)
			return hs_fail(HS_EIO, "%s: cannot resolve the symbolic link: %s",
				       path, strerror(errno));
	}
	const char *target = resolved ? resolved : path;
	out_file o = { target, dir_of(target), NULL, -1, 0, 0 };
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
