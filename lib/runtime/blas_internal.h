/* blas.c's internals that other runtime files call (not part of runtime.h's
 * interface for the executor). */
#ifndef SJ_BLAS_INTERNAL_H
#define SJ_BLAS_INTERNAL_H

/* Sets OpenBLAS to one thread, once per process: for callers that split
 * their own work over an sj_pool and call BLAS from each thread (OpenBLAS's
 * threads and the pool's spinning on the same cores made training steps 3x
 * slower; runtime.h, sj_rt_gemm2d). */
void sj_rt_blas_single_thread(void);
#endif
