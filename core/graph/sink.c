/* Sinks: see sink.h. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "direct_out.h"
#include "error.h"
#include "sink.h"

/* Staging buffer of a file sink: one write(2) a megabyte. */
#define HS_STAGE_SIZE (1u << 20)

void hs_sink_init_count(hs_sink *s)
{
	memset(s, 0, sizeof *s);
	s->kind = HS_SINK_COUNT;
	s->fd = -1;
}

void hs_sink_init_buffer(hs_sink *s)
{
	hs_sink_init_count(s);
	s->kind = HS_SINK_BUFFER;
}

static void init_fd_kind(hs_sink *s, int fd, const char *label)
{
	hs_sink_init_count(s);
	s->kind = HS_SINK_FD;
	s->fd = fd;
	s->label = label;
}

int hs_sink_init_fd(hs_sink *s, int fd, const char *label)
{
	init_fd_kind(s, fd, label);
	if (hs_buf_reserve(&s->buf, HS_STAGE_SIZE) != 0)
		return hs_fail(HS_ENOMEM, "out of memory");
	return HS_OK;
}

/* Direct I/O (O_DIRECT, direct_out.h): the output goes from a few reused,
 * aligned buffers to the disk without passing through the page cache.
 * Buffered, every page of a new file is a page-cache page allocated,
 * filled and written back; where fresh pages are dear (measured on this
 * project's 2-core VMs: 800 MB took 1.1 s of system time to buffer, then
 * fsync) a large output is written several times faster direct (dd,
 * 800 MB: buffered + fsync 1.46 s, direct 0.36-0.45 s).  The writes run on
 * direct_out's thread, so the serializer does not wait for the disk; small
 * outputs stay buffered, where a thread and the disk's latency would cost
 * more than the page cache.  The tail shorter than HS_DIRECT_ALIGN is
 * written buffered once the direct writer is finished. */
#define HS_DIRECT_MIN (16u << 20)
#define HS_DIRECT_BUFFER_SIZE (2u << 20)

static int write_all(hs_sink *s, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t w = write(s->fd, p, len > (1u << 30) ? (1u << 30) : len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return hs_fail(HS_EIO, "%s: write failed: %s", s->label,
				       strerror(errno));
		p += w;
		len -= (size_t)w;
	}
	return HS_OK;
}

#define HS_WRITEBACK_STEP (8u << 20)

/* Asks the kernel to start writing back what was written since the last
 * ask, every HS_WRITEBACK_STEP bytes, without waiting: the disk works
 * while the rest is serialized, and the final fsync(2) waits for the last
 * few megabytes instead of the whole file (measured on a 193 MiB output:
 * write and fsync 155 ms -> 120 ms; 2 MiB steps do no better).  Where it
 * does not apply (a pipe, a terminal) the call fails and costs nothing. */
static void start_writeback(hs_sink *s)
{
#ifdef SYNC_FILE_RANGE_WRITE
	if (s->count - s->synced < HS_WRITEBACK_STEP)
		return;
	(void)sync_file_range(s->fd, (off_t)s->synced, (off_t)(s->count - s->synced),
			      SYNC_FILE_RANGE_WRITE);
	s->synced = s->count;
#else
	(void)s;
#endif
}

static int direct_failed(const hs_sink *s, int e)
{
	return hs_fail(HS_EIO, "%s: write failed: %s", s->label, strerror(e));
}

int hs_sink_init_file(hs_sink *s, int fd, const char *label, uint64_t size_guess)
{
	hs_direct_out *d = size_guess >= HS_DIRECT_MIN
				   ? hs_direct_out_start(fd, HS_DIRECT_BUFFER_SIZE)
				   : NULL;
	if (!d)
		return hs_sink_init_fd(s, fd, label);
	init_fd_kind(s, fd, label);
	s->direct = d;
	s->buf.data = hs_direct_out_buffer(d);
	s->buf.cap = HS_DIRECT_BUFFER_SIZE;
	return HS_OK;
}

/* Direct: every byte goes through the buffers, each queued once full, so
 * that every write but the last is aligned and whole. */
static int write_direct(hs_sink *s, const uint8_t *p, size_t len)
{
	while (len) {
		size_t n = s->buf.cap - s->buf.len;
		if (n > len)
			n = len;
		memcpy(s->buf.data + s->buf.len, p, n);
		s->buf.len += n;
		p += n;
		len -= n;
		if (s->buf.len == s->buf.cap) {
			int e = hs_direct_out_queue(s->direct, s->buf.len);
			s->buf.data = hs_direct_out_buffer(s->direct);
			s->buf.len = 0;
			if (e)
				return direct_failed(s, e);
		}
	}
	return HS_OK;
}

/* The last of a direct sink: its aligned part direct, the tail buffered. */
static int flush_direct(hs_sink *s)
{
	uint8_t tail[HS_DIRECT_ALIGN];
	size_t aligned = s->buf.len & ~(size_t)(HS_DIRECT_ALIGN - 1);
	size_t tail_len = s->buf.len - aligned;
	memcpy(tail, s->buf.data + aligned, tail_len);
	int e = aligned ? hs_direct_out_queue(s->direct, aligned) : 0;
	int e_finish = hs_direct_out_finish(s->direct);
	s->direct = NULL;
	s->buf = (hs_buf){ 0 };
	if (e || e_finish)
		return direct_failed(s, e ? e : e_finish);
	return tail_len ? write_all(s, tail, tail_len) : HS_OK;
}

int hs_sink_flush(hs_sink *s)
{
	if (s->kind == HS_SINK_FD && s->direct)
		return flush_direct(s);
	if (s->kind != HS_SINK_FD || s->buf.len == 0)
		return HS_OK;
	int rc = write_all(s, s->buf.data, s->buf.len);
	s->buf.len = 0;
	if (!rc)
		start_writeback(s);
	return rc;
}

int hs_sink_write(hs_sink *s, const void *data, size_t len)
{
	s->count += len;
	switch (s->kind) {
	case HS_SINK_COUNT:
		return HS_OK;
	case HS_SINK_BUFFER:
		hs_buf_put(&s->buf, data, len);
		return s->buf.failed ? hs_fail(HS_ENOMEM, "out of memory") : HS_OK;
	case HS_SINK_FD:
		if (s->direct)
			return write_direct(s, data, len);
		if (len >= HS_STAGE_SIZE / 4) {
			/* Large spans skip the staging copy. */
			int rc = hs_sink_flush(s);
			return rc ? rc : write_all(s, data, len);
		}
		if (s->buf.cap - s->buf.len < len) {
			int rc = hs_sink_flush(s);
			if (rc)
				return rc;
		}
		memcpy(s->buf.data + s->buf.len, data, len);
		s->buf.len += len;
		return HS_OK;
	}
	return HS_OK;
}

void hs_sink_release(hs_sink *s)
{
	if (s->direct) {
		/* Not flushed (an error on the way): the file is thrown away. */
		(void)hs_direct_out_finish(s->direct);
		s->direct = NULL;
		s->buf = (hs_buf){ 0 };
	}
	hs_buf_free(&s->buf);
}
