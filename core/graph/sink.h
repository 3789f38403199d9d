/* Where serialized bytes go: a file descriptor (staged, and written with
 * direct I/O where that pays), a growable buffer, or nowhere (counting
 * only).  Private to libhintstub.
 *
 * Its own module below the graph writer (graph_write.c) and the file
 * writer (io.c): it knows bytes and descriptors, not graphs. */
#ifndef HS_SINK_H
#define HS_SINK_H

#include "wire.h"

typedef enum { HS_SINK_COUNT, HS_SINK_BUFFER, HS_SINK_FD } hs_sink_kind;

typedef struct hs_sink {
	hs_sink_kind kind;
	size_t count;
	size_t synced;         /* FD: bytes whose writeback was started */
	hs_buf buf;            /* BUFFER: the bytes; FD: staging */
	int fd;
	struct hs_direct_out *direct; /* FD: written with direct I/O (direct_out.h) */
	const char *label;     /* FD: names the file in errors */
} hs_sink;

void hs_sink_init_count(hs_sink *s);
void hs_sink_init_buffer(hs_sink *s);
int hs_sink_init_fd(hs_sink *s, int fd, const char *label);
/* A regular file the library created and alone writes, expected to take
 * about size_guess bytes: as hs_sink_init_fd, but a large one is written
 * with direct I/O where the file system takes it (see sink.c).  The
 * descriptor's O_DIRECT is cleared again by hs_sink_flush. */
int hs_sink_init_file(hs_sink *s, int fd, const char *label, uint64_t size_guess);
int hs_sink_write(hs_sink *s, const void *data, size_t len);
/* FD: writes out what is staged; the last call before the file is
 * synced and closed (a direct sink writes its unaligned tail here). */
int hs_sink_flush(hs_sink *s);
void hs_sink_release(hs_sink *s);

#endif
