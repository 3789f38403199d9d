/* The BLAS is opened, not linked: OpenBLAS starts its thread pool in its
 * constructor, which would put threads into every process linking
 * libhintstub (a conversion, a plugin host, the Python binding) whether it
 * evaluates or not. */
#include <config.h>

#include <pthread.h>
#include <stddef.h>
#include <sys/resource.h>

#ifdef HAVE_CBLAS
#include <dlfcn.h>
#endif

#include "blas.h"

static pthread_once_t blas_once = PTHREAD_ONCE_INIT;
static hs_sgemm_fn blas_sgemm;

static void blas_open(void)
{
#ifdef HAVE_CBLAS
	struct rlimit as;
	if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
		return;
	void *lib = dlopen(HS_CBLAS_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return;
	/* POSIX: a function pointer travels through void * from dlsym. */
	*(void **)&blas_sgemm = dlsym(lib, "cblas_sgemm");
	/* never closed: its threads may still be running */
#endif
}

hs_sgemm_fn hs_blas_sgemm(void)
{
	pthread_once(&blas_once, blas_open);
	return blas_sgemm;
}
