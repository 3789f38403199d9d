/* cblas_sgemm of the BLAS configure found, opened on first use. */
#ifndef HS_EVAL_BLAS_H
#define HS_EVAL_BLAS_H

/* CBLAS's enum values (cblas.h), so that nothing here needs its header. */
enum { HS_CBLAS_ROW_MAJOR = 101, HS_CBLAS_NO_TRANS = 111, HS_CBLAS_TRANS = 112 };

typedef void (*hs_sgemm_fn)(int order, int trans_a, int trans_b, int m, int n, int k,
			    float alpha, const float *a, int lda, const float *b, int ldb,
			    float beta, float *c, int ldc);

/* The BLAS's cblas_sgemm, or NULL: none was configured, it cannot be
 * opened, or the process's address space is bounded (RLIMIT_AS, as
 * --max-memory sets it: OpenBLAS's threads reserve large buffers and can
 * hang the exit under a bound).  Opened once per process, thread-safely;
 * a process that never asks never loads it (nor starts its threads). */
hs_sgemm_fn hs_blas_sgemm(void);

#endif
