/* Hand-written C references for the fused-kernel benchmark. ref_kernels.c is
 * compiled with -O3 -march=native -ffast-math (see CMakeLists.txt), so gcc
 * vectorizes expf through glibc's libmvec. Each runs one [lo, hi) range so the
 * same thread pool as symjit's splits it. */
#ifndef SJ_BENCH_REF_KERNELS_H
#define SJ_BENCH_REF_KERNELS_H
#include <stdint.h>

typedef struct ref_args {
  const float *a, *b, *c, *d;
  float *out;
  float s;
  int64_t cols;
  float *partial; /* per-chunk partial results (logsumexp) */
} ref_args;

void ref_fused(void *env, int64_t lo, int64_t hi);       /* out = a*b + exp(c)*d */
void ref_triad(void *env, int64_t lo, int64_t hi);       /* out = a + s*b */
float ref_max(const float *x, int64_t lo, int64_t hi);
float ref_sumexp(const float *x, int64_t lo, int64_t hi, float m);
/* max and sum(exp(x - max)) over [lo, hi) in one pass over memory */
void ref_lse_online(const float *x, int64_t lo, int64_t hi, float *max_out, float *sum_out);
void ref_log_softmax_rows(void *env, int64_t lo, int64_t hi); /* rows [lo,hi) of a[.,cols] */
#endif
