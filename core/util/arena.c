#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "grow.h"

/* Chunks grow from 4 KiB, doubling per chunk, to ARENA_CHUNK: a set
 * holding a few calls (a loop body's, say; a graph may have thousands of
 * them) stays small, and a conversion's edits (tens of MiB) take few
 * chunks.  Chunks of 128 KiB and more are mapped by glibc's malloc (at
 * its default threshold): zero pages of the kernel's, not cleared again
 * by calloc, and an unused tail never becomes resident. */
#define ARENA_CHUNK (1024 * 1024)
/* Larger allocations get a block of their own, so chunks stay dense. */
#define ARENA_OWN_BLOCK (16 * 1024)

static void *track_block(hs_arena *a, size_t size)
{
	if (hs_grow((void **)&a->blocks, &a->cap_blocks, a->n_blocks + 1,
		    sizeof *a->blocks, 32))
		return NULL;
	void *b = calloc(1, size ? size : 1);
	if (!b) {
		hs_fail(HS_ENOMEM, "out of memory");
		return NULL;
	}
	a->blocks[a->n_blocks++] = b;
	return b;
}

/* Chunks this large are mapped (above) and their pages faulted in 64 KiB
 * runs as the chunk fills: one call a run, not a trap a page (a tenth of
 * hs_apply's time went to page faults), and at most a run of pages
 * resident before it is used. */
#define ARENA_MAPPED (128 * 1024)
#define ARENA_PREFAULT (64 * 1024)
#define ARENA_PAGE 4096

static char *prefault_start(char *chunk, size_t size)
{
#ifdef MADV_POPULATE_WRITE
	if (size >= ARENA_MAPPED)
		return (char *)(((uintptr_t)chunk + ARENA_PAGE - 1) & ~(uintptr_t)(ARENA_PAGE - 1));
#else
	(void)chunk;
	(void)size;
#endif
	return NULL;
}

/* Faults in the pages up to the free space's start, a run at a time; a
 * kernel without MADV_POPULATE_WRITE (Linux < 5.14) leaves the chunk to
 * ordinary faults. */
static void prefault(hs_arena *a)
{
#ifdef MADV_POPULATE_WRITE
	char *end = a->next + a->left;
	while (a->ready && a->ready < a->next) {
		size_t run = (size_t)(end - a->ready);
		run = (run < ARENA_PREFAULT ? run : ARENA_PREFAULT) & ~(size_t)(ARENA_PAGE - 1);
		if (!run || hs_pages_populate(a->ready, run) != 0)
			a->ready = NULL;
		else
			a->ready += run;
	}
#else
	a->ready = NULL;
#endif
}

int hs_pages_populate(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t start = ((uintptr_t)p + ARENA_PAGE - 1) & ~(uintptr_t)(ARENA_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + len) & ~(uintptr_t)(ARENA_PAGE - 1);
	if (end <= start)
		return 0;
	return madvise((void *)start, end - start, MADV_POPULATE_WRITE) == 0 ? 0 : -1;
#else
	(void)p;
	(void)len;
	return 0;
#endif
}

void *hs_calloc_written(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	/* Smaller blocks come from malloc's heap, maybe in use before. */
	if (p && n && size && n <= SIZE_MAX / size && n * size >= ARENA_MAPPED)
		(void)hs_pages_populate(p, n * size); /* else: ordinary faults */
	return p;
}

/* Sizes round up to 8 bytes; a multiple of 16 is aligned to 16, anything
 * else to 8: an object's alignment divides its size, so each gets what it
 * needs, and the many small lists and strings of an edit (8, 24, 40
 * bytes) are not padded to 16. */
void *hs_arena_alloc(hs_arena *a, size_t size)
{
	if (size > SIZE_MAX - 15) {
		hs_fail(HS_ENOMEM, "out of memory");
		return NULL;
	}
	size = size ? (size + 7) & ~(size_t)7 : 8;
	if (size > ARENA_OWN_BLOCK)
		return track_block(a, size);
	size_t pad = (size & 15) ? 0 : (size_t)(-(uintptr_t)a->next & 15);
	if (a->left < size + pad) {
		size_t chunk = (size_t)4096 << (a->n_blocks < 8 ? a->n_blocks : 8);
		if (chunk > ARENA_CHUNK)
			chunk = ARENA_CHUNK;
		if (chunk < size)
			chunk = size;
		/* A failure keeps the current chunk's free space where it
		 * is: clearing `next` but not `left` handed out addresses
		 * counted from NULL to the next small request. */
		char *fresh = track_block(a, chunk);
		if (!fresh)
			return NULL;
		a->next = fresh;
		a->left = chunk;
		pad = 0;
		a->ready = prefault_start(a->next, chunk);
	}
	void *p = a->next + pad;
	a->next += pad + size;
	a->left -= pad + size;
	if (a->ready && a->next > a->ready)
		prefault(a);
	return p;
}

/* The one growth of arena arrays: room for `need` elements, doubling from
 * `cap` (or 4), the capacity at most `limit`; *out gets the new one. */
static int grow_to(hs_arena *a, void **arr, size_t cap, size_t need, size_t elem,
		   size_t limit, size_t *out)
{
	*out = cap;
	if (need <= cap)
		return HS_OK;
	if (need > limit)
		return hs_fail(HS_ENOMEM, "out of memory (more than %zu entries)", limit);
	size_t c = hs_grow_capacity(cap, need, elem, 4);
	if (!c)
		return hs_fail(HS_ENOMEM, "out of memory");
	if (c > limit)
		c = limit;
	void *p = hs_arena_alloc(a, c * elem);
	if (!p)
		return HS_ENOMEM;
	if (cap)
		memcpy(p, *arr, cap * elem);
	*arr = p;
	*out = c;
	return HS_OK;
}

int hs_arena_grow(hs_arena *a, void **arr, size_t *cap, size_t need, size_t elem)
{
	return grow_to(a, arr, *cap, need, elem, SIZE_MAX, cap);
}

int hs_arena_grow32(hs_arena *a, void **arr, uint32_t *cap, size_t need, size_t elem)
{
	size_t c;
	int rc = grow_to(a, arr, *cap, need, elem, UINT32_MAX, &c);
	*cap = (uint32_t)c;
	return rc;
}

char *hs_arena_strndup(hs_arena *a, const char *s, size_t len)
{
	char *d = len < SIZE_MAX ? hs_arena_alloc(a, len + 1) : NULL;
	if (d && len)
		memcpy(d, s, len);
	return d;
}

char *hs_arena_vprintf(hs_arena *a, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (len < 0) {
		hs_fail(HS_ERROR, "cannot format a message");
		return NULL;
	}
	char *s = hs_arena_alloc(a, (size_t)len + 1);
	if (s)
		vsnprintf(s, (size_t)len + 1, fmt, ap);
	return s;
}

char *hs_arena_printf(hs_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = hs_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

void hs_arena_free(hs_arena *a)
{
	for (size_t i = 0; i < a->n_blocks; i++)
		free(a->blocks[i]);
	free(a->blocks);
	memset(a, 0, sizeof *a);
}
