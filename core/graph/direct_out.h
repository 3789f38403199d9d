/* Direct output: whole, aligned buffers written to a descriptor with
 * O_DIRECT by a thread of its own, so that filling the next buffer
 * overlaps the disk's work on the last.  Private to libhintstub; the sink
 * (sink.c) is its one user.
 *
 * One producer: it fills the buffer hs_direct_out_buffer gives, queues it
 * with hs_direct_out_queue and asks for the next; the thread writes queued
 * buffers in order.  A file system that refuses a direct write (EINVAL)
 * gets that buffer and the rest written buffered. */
#ifndef HS_DIRECT_OUT_H
#define HS_DIRECT_OUT_H

#include <stddef.h>
#include <stdint.h>

/* Offsets, lengths and buffers of direct writes are multiples of this,
 * which every logical block size in use divides. */
#define HS_DIRECT_ALIGN 4096u

typedef struct hs_direct_out hs_direct_out;

/* Sets O_DIRECT on fd and starts the thread; NULL when the file system,
 * the memory or the thread refuses (fd is then as it was: write it
 * buffered).  Sets no error message. */
hs_direct_out *hs_direct_out_start(int fd, size_t buffer_size);
/* The buffer to fill next (buffer_size bytes, HS_DIRECT_ALIGN-aligned),
 * once one is free; the producer's until it is queued. */
uint8_t *hs_direct_out_buffer(hs_direct_out *d);
/* Queues the buffer last given with its first len bytes (a multiple of
 * HS_DIRECT_ALIGN).  0, or the errno of a write that failed earlier. */
int hs_direct_out_queue(hs_direct_out *d, size_t len);
/* Waits until everything queued is written, stops the thread, clears
 * O_DIRECT and frees d (and its buffers).  0, or the errno of the first
 * write or of the flag that failed. */
int hs_direct_out_finish(hs_direct_out *d);

#endif
