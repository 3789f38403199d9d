/* Numbers at a cursor: see text.h. */
#include <config.h>

#include "text.h"

char *hs_text_u64(char *p, uint64_t v)
{
	char digits[HS_TEXT_INT_MAX], *end = digits + sizeof digits, *d = end;
	do
		*--d = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return hs_text_mem(p, d, (size_t)(end - d));
}

char *hs_text_i64(char *p, int64_t v)
{
	if (v >= 0)
		return hs_text_u64(p, (uint64_t)v);
	*p++ = '-';
	/* INT64_MIN's magnitude fits a uint64_t, not an int64_t. */
	return hs_text_u64(p, 0 - (uint64_t)v);
}
