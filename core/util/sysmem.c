/* The machine's memory, for default limits (sysmem.h). */
#include <config.h>

#include <unistd.h>

#include "sysmem.h"

uint64_t hs_memory_share(uint64_t cap, unsigned divisor)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	if (pages <= 0 || page <= 0 || !divisor)
		return cap;
	uint64_t share = (uint64_t)pages / divisor * (uint64_t)page;
	return share && share < cap ? share : cap;
}
