/* Numbers at a cursor: see text.h. */
#include <config.h>

#include "text.h"

/* Two digits at a time: "00" to "99". */
static const char digit_pairs[] =
	"00010203040506070809" "10111213141516171819" "20212223242526272829"
	"30313233343536373839" "40414243444546474849" "50515253545556575859"
	"60616263646566676869" "70717273747576777879" "80818283848586878889"
	"90919293949596979899";

char *hs_text_u64(char *p, uint64_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	char digits[HS_TEXT_INT_MAX], *end = digits + sizeof digits, *d = end;
	for (; v >= 100; v /= 100)
		d = (char *)memcpy(d - 2, digit_pairs + 2 * (v % 100), 2);
	if (v >= 10)
		d = (char *)memcpy(d - 2, digit_pairs + 2 * v, 2);
	else
		*--d = (char)('0' + v);
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
