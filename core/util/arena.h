/* Zeroed memory handed out from large chunks and freed all at once: the
 * call set and the plan make several small arrays and strings per call,
 * and a graph may hold a hundred thousand calls.  Private to libhintstub. */
#ifndef HS_ARENA_H
#define HS_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hs_arena {
	void **blocks;       /* every block, freed by hs_arena_free */
	size_t n_blocks, cap_blocks;
	char *next;          /* free space of the current chunk */
	size_t left;
	char *ready;         /* a large chunk's pages are faulted in below
				this (NULL: left to ordinary faults) */
} hs_arena;

/* Zeroed, aligned for any object of its size (16 bytes when the size is
 * a multiple of 16, else 8); NULL (with a message) when out of memory. */
void *hs_arena_alloc(hs_arena *a, size_t size);
/* Room for `need` elements in *arr (capacity *cap), doubling from 4; the
 * old array stays in the arena.  HS_ENOMEM when out of memory. */
int hs_arena_grow(hs_arena *a, void **arr, size_t *cap, size_t need, size_t elem);
/* The same with a 32-bit capacity (compact records: a call's arrays), at
 * most UINT32_MAX elements. */
int hs_arena_grow32(hs_arena *a, void **arr, uint32_t *cap, size_t need, size_t elem);
/* A NUL-terminated copy of len bytes. */
char *hs_arena_strndup(hs_arena *a, const char *s, size_t len);
char *hs_arena_printf(hs_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *hs_arena_vprintf(hs_arena *a, const char *fmt, va_list ap);
void hs_arena_free(hs_arena *a);

/* Faults in the whole pages of [p, p + len) for writing, in one call.  A
 * page read before it is written maps the shared zero page, and its first
 * write then takes a second fault that flushes the old mapping from every
 * CPU running the process: an interrupt to each, which a second thread
 * (a renderer beside the plan) turns from cheap to ~10 us.  -1 when the
 * kernel refuses (the pages are left to ordinary faults); 0 without
 * MADV_POPULATE_WRITE (Linux < 5.14). */
int hs_pages_populate(void *p, size_t len);
/* calloc(n, size) for an array that is read and written all over (a
 * pass's per-node or per-call state): its pages populated for writing
 * (hs_pages_populate) when it is 128 KiB or more (mapped by malloc:
 * fresh zero pages).  NULL when out of memory (no message). */
void *hs_calloc_written(size_t n, size_t size);

#endif
