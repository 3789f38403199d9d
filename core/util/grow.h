/* Growing a heap array geometrically, overflow-checked.  Private to
 * libhintstub.  The one way arrays grow: no realloc by one, no doubling
 * by hand. */
#ifndef HS_GROW_H
#define HS_GROW_H

#include <stdint.h>
#include <stdlib.h>

#include "error.h"

/* The capacity for `need` elements of `elem` bytes: *cap doubled (from
 * `first` when 0) until it holds them, at most `max` elements.  Sets
 * *cap and returns HS_OK, or returns HS_ENOMEM with a message (and *cap
 * unchanged) when that would pass `max` or SIZE_MAX bytes.  For arrays
 * that move between blocks (hs_grow reallocates in place) or keep their
 * capacity in a narrower type (max UINT32_MAX). */
static inline int hs_grow_capacity(size_t *cap, size_t need, size_t elem,
				   size_t first, size_t max)
{
	size_t c = *cap ? *cap : first;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return hs_fail(HS_ENOMEM, "out of memory");
		c *= 2;
	}
	if (c > max && need <= max)
		c = max;
	if (c > max || c > SIZE_MAX / elem)
		return hs_fail(HS_ENOMEM, "out of memory");
	*cap = c;
	return HS_OK;
}

/* Makes room for `need` elements of `elem` bytes in *arr (capacity *cap),
 * doubling from `first`.  On failure *arr and *cap are unchanged and
 * HS_ENOMEM is returned with a message. */
static inline int hs_grow(void **arr, size_t *cap, size_t need, size_t elem,
			  size_t first)
{
	if (need <= *cap)
		return HS_OK;
	size_t c = *cap;
	int rc = hs_grow_capacity(&c, need, elem, first, SIZE_MAX);
	if (rc != HS_OK)
		return rc;
	void *p = realloc(*arr, c * elem);
	if (!p)
		return hs_fail(HS_ENOMEM, "out of memory");
	*arr = p;
	*cap = c;
	return HS_OK;
}

#endif
