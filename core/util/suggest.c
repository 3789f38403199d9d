/* Edit distance (Levenshtein, adjacent transpositions as one edit) over
 * short names: plugin, option and function names. */
#include <config.h>

#include <ctype.h>
#include <string.h>

#include "suggest.h"

#define MAX_NAME 128

/* Distance in half edits: a change of case only costs one half. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t rows[3][MAX_NAME + 1];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = 2 * j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = 2 * i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned char x = (unsigned char)a[i - 1], y = (unsigned char)b[j - 1];
			size_t sub = x == y ? 0 : tolower(x) == tolower(y) ? 1 : 2;
			size_t d = prev[j - 1] + sub;
			if (prev[j] + 2 < d)
				d = prev[j] + 2;
			if (cur[j - 1] + 2 < d)
				d = cur[j - 1] + 2;
			if (i > 1 && j > 1 && x == (unsigned char)b[j - 2] &&
			    (unsigned char)a[i - 2] == y && prev2[j - 2] + 2 < d)
				d = prev2[j - 2] + 2;
			cur[j] = d;
		}
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

void hs_nearest_init(hs_nearest *n, const char *word, size_t len)
{
	memset(n, 0, sizeof *n);
	n->word = word;
	n->word_len = len;
	n->distance = (size_t)-1;
}

void hs_nearest_offer(hs_nearest *n, const char *cand, size_t len)
{
	if (len > MAX_NAME || n->word_len > MAX_NAME)
		return;
	if (len == n->word_len && memcmp(cand, n->word, len) == 0)
		return; /* the word itself suggests nothing */
	if ((n->last && len == n->last_len && memcmp(cand, n->last, len) == 0) ||
	    (len == n->best_len && n->best && memcmp(cand, n->best, len) == 0))
		return; /* measured already */
	n->last = cand;
	n->last_len = len;
	size_t d = distance(n->word, n->word_len, cand, len);
	if (d < n->distance) {
		n->distance = d;
		n->best = cand;
		n->best_len = len;
	}
}

const char *hs_nearest_result(const hs_nearest *n, size_t *len)
{
	/* A typo, not another name: at most one edit per four letters, and
	 * never more than three ("UnidirectionalSequenceRnn" is no typo of
	 * "UnidirectionalSequenceLstm"). */
	size_t edits = n->word_len / 4 ? n->word_len / 4 : 1;
	size_t limit = 2 * (edits < 3 ? edits : 3);
	if (!n->best || n->distance > limit)
		return NULL;
	if (len)
		*len = n->best_len;
	return n->best;
}
