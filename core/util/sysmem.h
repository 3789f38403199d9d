/* The machine's memory, for default limits.  Private to libhintstub. */
#ifndef HS_SYSMEM_H
#define HS_SYSMEM_H

#include <stdint.h>

/* `cap`, or the physical memory divided by `divisor` when that is less
 * (cap when the system does not say).  sysconf only reads. */
uint64_t hs_memory_share(uint64_t cap, unsigned divisor);

#endif
