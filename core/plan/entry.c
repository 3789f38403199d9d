/* Public entries (hs_call_report, 104 bytes) made on first use, a block
 * of HS_ENTRY_BLOCK at a time: a plan keeps 16 bytes a call of its own
 * (hs_entry), and the layers that read every entry fill one on the stack.
 * Several threads may read one plan: a block is filled privately and
 * published with one compare-and-swap; the loser frees its copy and takes
 * the winner's, so a returned pointer stays valid for the owner's life. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "plan_internal.h"

int hs_entry_blocks_init(hs_entry_blocks *b, size_t n_entries)
{
	b->n = (n_entries + HS_ENTRY_BLOCK - 1) / HS_ENTRY_BLOCK;
	b->v = calloc(b->n ? b->n : 1, sizeof *b->v);
	return b->v ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
}

static hs_call_report *make_block(size_t k, size_t n, hs_entry_fill_fn fill,
				  const void *owner)
{
	size_t first = k * HS_ENTRY_BLOCK;
	size_t len = n - first < HS_ENTRY_BLOCK ? n - first : HS_ENTRY_BLOCK;
	hs_call_report *v = malloc(len * sizeof *v);
	if (!v) {
		hs_fail(HS_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t j = 0; j < len; j++)
		fill(&v[j], owner, first + j);
	return v;
}

const hs_call_report *hs_entry_blocks_get(const hs_entry_blocks *b, size_t i, size_t n,
					  hs_entry_fill_fn fill, const void *owner)
{
	size_t k = i / HS_ENTRY_BLOCK;
	hs_call_report *v = atomic_load_explicit(&b->v[k], memory_order_acquire);
	if (!v) {
		hs_call_report *mine = make_block(k, n, fill, owner);
		if (!mine)
			return NULL;
		v = NULL;
		if (atomic_compare_exchange_strong_explicit(&b->v[k], &v, mine,
							    memory_order_acq_rel,
							    memory_order_acquire))
			v = mine;
		else
			free(mine);
	}
	return &v[i % HS_ENTRY_BLOCK];
}

int hs_entry_copy(hs_call_report *out, size_t size, size_t i, size_t n,
		  hs_entry_fill_fn fill, const void *owner, const char *what)
{
	if (!owner || !out || i >= n)
		return hs_fail(HS_EINVAL, "%s: an owner, a call index and storage are required", what);
	hs_call_report e;
	fill(&e, owner, i);
	memcpy(out, &e, size < sizeof e ? size : sizeof e);
	return HS_OK;
}

void hs_entry_blocks_free(hs_entry_blocks *b)
{
	for (size_t k = 0; b->v && k < b->n; k++)
		free(atomic_load_explicit(&b->v[k], memory_order_relaxed));
	free(b->v);
	b->v = NULL;
}
