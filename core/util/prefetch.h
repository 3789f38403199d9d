/* Helpers that only prefetch.  Private to libhintstub. */
#ifndef HS_PREFETCH_H
#define HS_PREFETCH_H

/* How such a helper is declared.  A function that reads memory, calls
 * __builtin_prefetch and returns nothing looks free of effects to GCC
 * (12, -O2), which then drops every call to it as dead code: the
 * prefetches vanish without a warning.  Inlined where it is called, its
 * prefetches stay. */
#define HS_PREFETCH_FN static inline __attribute__((always_inline)) void

#endif
