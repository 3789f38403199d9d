/* "Did you mean": the candidate nearest a misspelt name.  Private to
 * libhintstub. */
#ifndef HS_SUGGEST_H
#define HS_SUGGEST_H

#include <stddef.h>

typedef struct hs_nearest {
	const char *word;     /* what was asked for */
	size_t word_len;
	const char *best;     /* the nearest candidate so far (borrowed) */
	size_t best_len;
	size_t distance;
	const char *last;     /* the last candidate measured (borrowed): */
	size_t last_len;      /* candidates repeat, e.g. one per call */
} hs_nearest;

void hs_nearest_init(hs_nearest *n, const char *word, size_t len);
/* Offers one candidate (len bytes, need not be terminated). */
void hs_nearest_offer(hs_nearest *n, const char *cand, size_t len);
/* The nearest candidate when it is close enough to be a likely typo
 * (one edit per four letters, at most three; a change of case counts
 * half), else NULL; *len (may be NULL) gets its length. */
const char *hs_nearest_result(const hs_nearest *n, size_t *len);

#endif
