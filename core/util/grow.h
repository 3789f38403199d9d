/* Growing a heap array by doubling.  Private to libhintstub. */
#ifndef HS_GROW_H
#define HS_GROW_H

#include <stdint.h>
#include <stdlib.h>

#include "error.h"

/* The capacity that holds `need` elements of `elem` bytes, doubling from
 * cap (or `first`): 0 when the bytes would overflow. */
static inline size_t hs_grow_capacity(size_t cap, size_t need, size_t elem,
				      size_t first)
{
	size_t c = cap ? cap : first;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return 0;
		c *= 2;
	}
	return c > SIZE_MAX / elem ? 0 : c;
}

/* Makes room for `need` elements of `elem` bytes in *arr (capacity *cap),
 * doubling from `first`.  On failure *arr and *cap are unchanged and
 * HS_ENOMEM is returned with a message. */
static inline int hs_grow(void **arr, size_t *cap, size_t need, size_t elem,
			  size_t first)
{
	if (need <= *cap)
		return HS_OK;
	size_t c = hs_grow_capacity(*cap, need, elem, first);
	if (!c)
		return hs_fail(HS_ENOMEM, "out of memory");
	void *p = realloc(*arr, c * elem);
	if (!p)
		return hs_fail(HS_ENOMEM, "out of memory");
	*arr = p;
	*cap = c;
	return HS_OK;
}

#endif
