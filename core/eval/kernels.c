/* The kernel table: the families of kernels_*.c, searched by op name. */
#include <config.h>

#include <string.h>

#include "error.h"
#include "eval_internal.h"

/* Every family: one line per kernels_*.c. */
const hs_kernel_family *const hs_kernel_families[] = {
	&hs_kernels_core,
	&hs_kernels_math,
	&hs_kernels_shape,
	&hs_kernels_array,
	&hs_kernels_control,
	&hs_kernels_list,
	&hs_kernels_fused,
	NULL
};

static int op_cmp(hs_str op, const char *name)
{
	size_t len = strlen(name), n = op.len < len ? op.len : len;
	/* A node without an op has a NULL view: memcmp must not see it. */
	int c = n ? memcmp(op.ptr, name, n) : 0;
	if (c)
		return c;
	return op.len < len ? -1 : op.len > len;
}

hs_kernel_fn hs_kernel_find(hs_str op)
{
	for (size_t f = 0; hs_kernel_families[f]; f++) {
		const hs_kernel_family *fam = hs_kernel_families[f];
		size_t lo = 0, hi = fam->count;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = op_cmp(op, fam->defs[mid].op);
			if (!c)
				return fam->defs[mid].fn;
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	return NULL;
}
