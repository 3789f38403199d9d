/* Files: reading a whole input once, and writing output atomically
 * (temporary file in the target's directory, fsync, rename). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "graph_internal.h"
#include "sink.h"
#include "sysmem.h"
#include "text.h"
#include "wire.h"

/* ----------------------------------------------------------------- load */

/* The default --max-file-size: 8 GiB, or a quarter of the physical
 * memory when that is less, so that no default read (a pipe, a device
 * such as /dev/zero) can take the machine's memory.  A quarter leaves
 * room for the per-node index and the output. */
static uint64_t default_max_file_size(void)
{
	return hs_memory_share((uint64_t)8 << 30, 4);
}

static int too_large(const char *label, uint64_t limit)
{
	return hs_fail(HS_ELIMIT, "%s: input is more than the limit of %llu bytes",
		       label, (unsigned long long)limit);
}

/* The top-level framing of a stream, checked while it arrives, so that a
 * pipe or device that is no GraphDef (/dev/zero, a terminal, random bytes)
 * is refused at its first bad field instead of after limit bytes.  Only
 * what no protobuf parser accepts stops the read (field number 0 or past
 * 2^29-1, wire types 6 and 7, a varint longer than 10 bytes), and the
 * bytes up to there are then handed to the parser for its own message;
 * a length-delimited field longer than the limit is refused here.  Groups
 * are followed by depth (an end-group without its start is refused by
 * protobuf as well). */
typedef struct frame_scan {
	uint64_t pos;      /* next tag to check */
	uint64_t depth;    /* open groups */
	int done;          /* not checked: a regular file, read whole */
} frame_scan;

enum { SCAN_MORE = 0, SCAN_BAD = 1, SCAN_TOO_LONG = 2 };

static int scan_frames(frame_scan *fs, const uint8_t *buf, size_t len, uint64_t limit)
{
	while (!fs->done && fs->pos < len) {
		const uint8_t *p = buf + fs->pos, *end = buf + len;
		uint64_t tag, v;
		int rc = hs_wire_varint(&tag, &p, end);
		if (rc == HS_WIRE_TRUNCATED)
			return SCAN_MORE;
		if (rc != HS_WIRE_OK || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff ||
		    (tag & 7) > HS_WT_I32)
			return SCAN_BAD;
		uint64_t next = (uint64_t)(p - buf);
		switch (tag & 7) {
		case HS_WT_VARINT:
		case HS_WT_LEN:
			rc = hs_wire_varint(&v, &p, end);
			if (rc == HS_WIRE_TRUNCATED)
				return SCAN_MORE;
			if (rc != HS_WIRE_OK)
				return SCAN_BAD;
			next = (uint64_t)(p - buf);
			if ((tag & 7) == HS_WT_LEN) {
				if (v > limit || next + v > limit)
					return SCAN_TOO_LONG;
				next += v;
			}
			break;
		case HS_WT_I64: next += 8; break;
		case HS_WT_I32: next += 4; break;
		case HS_WT_SGROUP: fs->depth++; break;
		case HS_WT_EGROUP:
			if (fs->depth == 0)
				return SCAN_BAD; /* protobuf refuses it too */
			fs->depth--;
			break;
		}
		fs->pos = next;
	}
	return SCAN_MORE;
}

/* Reads at most limit + 1 bytes, whatever fd is: a regular file's size is
 * checked before reading; pipes and devices grow the buffer by doubling,
 * never beyond limit + 1 (that byte tells "more than the limit"). */
static int read_fd(uint8_t **out, size_t *out_size, int *cut, int fd,
		   const char *label, uint64_t limit, int text_ok)
{
	struct stat st;
	size_t cap = 1 << 16, len = 0;
	frame_scan fs = { 0, 0, 0 };
	size_t most = limit < (uint64_t)SIZE_MAX ? (size_t)limit + 1 : SIZE_MAX;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size > limit)
			return hs_fail(HS_ELIMIT, "%s: file is %lld bytes, more than the limit of %llu",
				       label, (long long)st.st_size,
				       (unsigned long long)limit);
		cap = (size_t)st.st_size + 1;
		fs.done = 1; /* read whole, after its size was checked */
	} else if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		return hs_fail(HS_EIO, "%s: is a directory", label);
	}
	if (cap > most)
		cap = most;
	uint8_t *buf = malloc(cap);
	if (!buf)
		return hs_fail(HS_ENOMEM, "%s: out of memory reading", label);
	for (;;) {
		if (len == cap) {
			if (cap >= most) {
				free(buf);
				return too_large(label, limit);
			}
			/* Doubling, clamped to limit + 1 (hs_grow has no
			 * ceiling). */
			size_t grown = cap <= most / 2 ? cap * 2 : most;
			uint8_t *p = realloc(buf, grown);
			if (!p) {
				free(buf);
				return hs_fail(HS_ENOMEM, "%s: out of memory reading", label);
			}
			buf = p;
			cap = grown;
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
		/* Text has no binary framing: only the limit bounds it. */
		if (text_ok && !fs.done && fs.pos == 0 && hs_text_may_start(buf, len))
			continue;
		int scan = scan_frames(&fs, buf, len, limit);
		if (scan == SCAN_TOO_LONG) {
			free(buf);
			return hs_fail(HS_ELIMIT,
				       "%s: the field at byte %llu is longer than the limit of %llu bytes",
				       label, (unsigned long long)fs.pos,
				       (unsigned long long)limit);
		}
		if (scan == SCAN_BAD) {
			*cut = 1; /* the parser names the fault in what was read */
			break;
		}
	}
	if ((uint64_t)len > limit) {
		free(buf);
		return too_large(label, limit);
	}
	*out = buf;
	*out_size = len;
	return HS_OK;
}

/* HS_LOAD_MAP: a regular, non-empty binary file within the limit is
 * mapped; 1 when it was (the graph is loaded or the error set), 0 when
 * the file is to be read instead.  Text is read: it becomes a binary
 * copy anyway.  The size is checked before mapping, as read_fd does. */
static int try_map(int *rc, hs_graph **out, int fd, const char *label,
		   uint64_t limit, const hs_load_options *opts)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
		return 0;
	if ((uint64_t)st.st_size > limit) {
		*rc = hs_fail(HS_ELIMIT, "%s: file is %lld bytes, more than the limit of %llu",
			      label, (long long)st.st_size, (unsigned long long)limit);
		return 1;
	}
	size_t size = (size_t)st.st_size;
	void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return 0; /* a file system without mmap: read it */
	if (opts->format != HS_FORMAT_BINARY && hs_text_may_start(map, size)) {
		munmap(map, size);
		return 0;
	}
	*rc = hs_graph_load_mapped(out, map, size, label, opts);
	return 1;
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
						       : default_max_file_size();
	int is_stdin = strcmp(path, "-") == 0;
	const char *label = is_stdin ? "<stdin>" : path;
	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hs_fail(HS_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (opts && (opts->flags & HS_LOAD_MAP) && !is_stdin &&
	    try_map(&rc, out, fd, label, limit, opts)) {
		close(fd);
		return rc;
	}
	int cut = 0;
	rc = read_fd(&bytes, &size, &cut, fd, label, limit,
		     !opts || opts->format != HS_FORMAT_BINARY);
	if (!is_stdin)
		close(fd);
	if (rc != HS_OK)
		return rc;
	rc = hs_graph_load_owned(out, bytes, size, label, opts);
	if (rc == HS_OK && cut) {
		/* Cannot happen with a parser that refuses what protobuf
		 * refuses; never hand out a graph of part of the input. */
		hs_graph_free(*out);
		*out = NULL;
		return hs_fail(HS_EPARSE, "%s: not a GraphDef: malformed field", label);
	}
	return rc;
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

/* What is written: a graph (serialized while writing) or bytes. */
typedef struct content {
	const hs_graph *g;
	const void *bytes;
	size_t len;
} content;

static int write_bytes_fd(int fd, const void *bytes, size_t len, const char *label)
{
	const char *p = bytes;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return hs_fail(HS_EIO, "%s: write failed: %s", label, strerror(errno));
		p += w;
		len -= (size_t)w;
	}
	return HS_OK;
}

/* own_file: a regular file this library created (see hs_sink_init_file). */
static int write_graph_fd(const hs_graph *g, int fd, const char *label, int own_file)
{
	hs_sink s;
	int rc = own_file ? hs_sink_init_file(&s, fd, label, g->size)
			  : hs_sink_init_fd(&s, fd, label);
	if (rc == HS_OK)
		rc = hs_graph_serialize(g, &s);
	if (rc == HS_OK)
		rc = hs_sink_flush(&s);
	hs_sink_release(&s);
	return rc;
}

static int write_to_fd(const content *c, int fd, const char *label, int own_file)
{
	return c->g ? write_graph_fd(c->g, fd, label, own_file)
		    : write_bytes_fd(fd, c->bytes, c->len, label);
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
 *    owner (where permitted) and permission bits, without set-id bits,
 *    once complete (keep_old_owner_and_mode);
 *  - a replaced file's other hard links keep the old bytes: the new file
 *    is another inode renamed over the name;
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
} out_file;

/* Mode of a file while it is written: see above. */
static mode_t create_mode(const out_file *o)
{
	return o->replaces ? 0600 : 0666;
}

/* A file that replaces another takes over its owner where the process
 * may give it (root; a group the user is in), so that root converting
 * a user's file does not leave it root's, and its permission bits, but
 * never its set-user-ID and set-group-ID bits: a graph is no program,
 * and a set-id bit kept on a file rewritten by root would make whatever
 * it now holds run as its owner.  Owner first: chown clears set-id bits. */
static void keep_old_owner_and_mode(const out_file *o)
{
	struct stat st;
	if (!o->replaces || stat(o->path, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	if (fchown(o->fd, st.st_uid, st.st_gid) != 0 &&
	    fchown(o->fd, (uid_t)-1, st.st_gid) != 0) {
		/* Not fatal: the file is the writer's, as any new file. */
	}
	if (fchmod(o->fd, st.st_mode & 0777) != 0) {
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
	/* Replacing: Linux links no file over another, so the file gets a
	 * temporary name first, then takes the target's.  A process killed
	 * between the two leaves that name behind, on the whole output:
	 * never part of one. */
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

/* The output's blocks are allocated in one go before it is written, where
 * the file system can (fallocate(2); nothing is written to do it): with
 * ext4's delayed allocation every page written otherwise reserves and
 * accounts its block on its own, which was about a third of the write(2)
 * time of a 200 MB output.  The size is a guess (a conversion's output is
 * about its input's size); the file is then cut to what was written
 * (cut_to_written), also when the reservation failed half-way, so a guess
 * too large leaves nothing behind and one too small only means the rest is
 * allocated as usual.  A failure here is no error: it only costs time. */
static void reserve_space(int fd, const content *c)
{
	uint64_t guess = c->g ? c->g->size : c->len;
#ifdef __linux__
	if (guess && guess <= (uint64_t)INT64_MAX)
		(void)fallocate(fd, 0, 0, (off_t)guess);
#else
	(void)fd;
	(void)guess;
#endif
}

/* Sets the file's size to the bytes written (the offset reached). */
static int cut_to_written(int fd, const char *path)
{
	off_t end = lseek(fd, 0, SEEK_CUR);
	if (end < 0 || ftruncate(fd, end) != 0)
		return hs_fail(HS_EIO, "%s: cannot set the size of the written file: %s",
			       path, strerror(errno));
	return HS_OK;
}

static int write_once(const content *c, out_file *o, int try_anonymous)
{
	int rc = try_anonymous ? open_temp(o) : open_named_temp(o);
	if (rc != HS_OK)
		return rc;
	reserve_space(o->fd, c);
	rc = write_to_fd(c, o->fd, o->path, 1);
	if (rc == HS_OK)
		rc = cut_to_written(o->fd, o->path);
	if (rc == HS_OK && fsync(o->fd) != 0)
		rc = hs_fail(HS_EIO, "%s: fsync failed: %s", o->path, strerror(errno));
	if (rc == HS_OK)
		keep_old_owner_and_mode(o);
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

/* How long a FIFO is given to get a reader (one started beside the run
 * may open it a moment after the run wants to write). */
#define HS_FIFO_WAIT_MS 10000

/* Opened without blocking, so a FIFO nobody reads (ENXIO) is retried for
 * at most HS_FIFO_WAIT_MS and then refused, instead of hanging the run;
 * once open, writes block as usual. */
static int write_to_special(const content *c, const char *path)
{
	int fd = -1;
	for (int waited = 0;; waited += 20) {
		fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd >= 0 || errno != ENXIO || waited >= HS_FIFO_WAIT_MS)
			break;
		struct timespec pause = { 0, 20 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
	if (fd < 0 && errno == ENXIO)
		return hs_fail(HS_EIO, "%s: a FIFO that no process opened for reading within "
			       "%d s: nothing written (start its reader first)", path,
			       HS_FIFO_WAIT_MS / 1000);
	if (fd < 0)
		return hs_fail(HS_EIO, "%s: cannot open for writing: %s", path,
			       strerror(errno));
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		int e = errno;
		close(fd);
		return hs_fail(HS_EIO, "%s: cannot open for writing: %s", path, strerror(e));
	}
	int rc = write_to_fd(c, fd, path, 0);
	if (close(fd) != 0 && rc == HS_OK)
		rc = hs_fail(HS_EIO, "%s: close failed: %s", path, strerror(errno));
	return rc;
}

static int write_file(const content *c, const char *path)
{
	if (!*path)
		return hs_fail(HS_EINVAL, "empty output path (use - for standard output)");
	if (strcmp(path, "-") == 0)
		return write_to_fd(c, STDOUT_FILENO, "<stdout>", 0);
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return hs_fail(HS_EIO, "%s: is a directory", path);
	/* A device, FIFO or socket is written to, never replaced: renaming
	 * over /dev/null would be a disaster when running as root. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_to_special(c, path);
	/* A symbolic link stays: the file it points to is replaced. */
	char *resolved = NULL;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		resolved = realpath(path, NULL);
		if (!resolved)
			return hs_fail(HS_EIO, "%s: cannot resolve the symbolic link: %s",
				       path, strerror(errno));
	}
	const char *target = resolved ? resolved : path;
	out_file o = { target, dir_of(target), NULL, -1, 0, 0, 0 };
	o.replaces = stat(target, &st) == 0 && S_ISREG(st.st_mode);
	if (!o.dir) {
		free(resolved);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	int rc = write_once(c, &o, 1);
	if (rc != HS_OK && o.link_failed) {
		/* No /proc to name the unnamed file by: write it again the
		 * portable way. */
		o.anonymous = 0;
		rc = write_once(c, &o, 0);
	}
	free(o.tmp);
	free(o.dir);
	free(resolved);
	return rc;
}

int hs_graph_write_file(const hs_graph *g, const char *path)
{
	if (!g || !path)
		return hs_fail(HS_EINVAL, "hs_graph_write_file: NULL argument");
	content c = { g, NULL, 0 };
	return write_file(&c, path);
}

int hs_write_file_atomic(const char *path, const void *bytes, size_t len)
{
	if (!path || (len && !bytes))
		return hs_fail(HS_EINVAL, "hs_write_file_atomic: NULL argument");
	content c = { NULL, bytes, len };
	return write_file(&c, path);
}

/* The text is made whole in memory before the file is touched, so a graph
 * that cannot be written as text leaves nothing behind. */
int hs_graph_write_text_file(const hs_graph *g, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	if (!g || !path)
		return hs_fail(HS_EINVAL, "hs_graph_write_text_file: NULL argument");
	int rc = hs_graph_write_text_buffer(&text, &len, g);
	if (rc != HS_OK)
		return rc;
	content c = { NULL, text, len };
	rc = write_file(&c, path);
	free(text);
	return rc;
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
