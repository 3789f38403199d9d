/* Helpers that only prefetch.  Private to libhintstub. */
#ifndef HS_PREFETCH_H
#define HS_PREFETCH_H

/* How such a helper is declared.  A function that reads memory, calls
 * __builtin_prefetch and returns nothing looks free of effects to GCC
 * (12, -O2), which then drops every call to it as dead code: the
 * prefetches vanish without a warning.  Inlined where it is called, its
 * prefetches stay. */
#define HS_PREFETCH_FN static inline __attribute__((always_inline)) void

#include <stddef.h>
#include <stdint.h>

/* Every cache line of the n bytes at p: a record or a name that spans two
 * lines waits on the second as long as on the first. */
HS_PREFETCH_FN hs_prefetch_span(const void *p, size_t n)
{
	const char *b = p, *end = b + n;
	for (; b < end; b += 64 - ((uintptr_t)b & 63))
		__builtin_prefetch(b);
}

#endif
