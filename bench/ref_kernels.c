/* Reference loops; compiled -O3 -march=native -ffast-math. */
#include <math.h>

#include "ref_kernels.h"

void ref_fused(void *env, int64_t lo, int64_t hi) {
  const ref_args *r = env;
  const float *restrict a = r->a, *restrict b = r->b, *restrict c = r->c, *restrict d = r->d;
  float *restrict o = r->out;
  for (int64_t i = lo; i < hi; i++) o[i] = a[i] * b[i] + expf(c[i]) * d[i];
}

void ref_triad(void *env, int64_t lo, int64_t hi) {
  const ref_args *r = env;
  const float *restrict a = r->a, *restrict b = r->b;
  float *restrict o = r->out;
  float s = r->s;
  for (int64_t i = lo; i < hi; i++) o[i] = a[i] + s * b[i];
}

float ref_max(const float *x, int64_t lo, int64_t hi) {
  float m = -INFINITY;
  for (int64_t i = lo; i < hi; i++) m = x[i] > m ? x[i] : m;
  return m;
}

float ref_sumexp(const float *x, int64_t lo, int64_t hi, float m) {
  float s = 0;
  for (int64_t i = lo; i < hi; i++) s += expf(x[i] - m);
  return s;
}

void ref_log_softmax_rows(void *env, int64_t lo, int64_t hi) {
  const ref_args *r = env;
  int64_t n = r->cols;
  for (int64_t i = lo; i < hi; i++) {
    const float *restrict x = r->a + i * n;
    float *restrict o = r->out + i * n;
    float m = ref_max(x, 0, n);
    float l = logf(ref_sumexp(x, 0, n, m)) + m;
    for (int64_t j = 0; j < n; j++) o[j] = x[j] - l;
  }
}

/* logsumexp's (max, sum) over [lo, hi) in one pass over memory: each block
 * of REF_BLOCK floats (8 KiB, stays in L1) is read twice, for its max and
 * for its sum of exp; the running sum is rescaled when the max grows
 * ("online softmax", Milakov & Gimelshein 2018). Finite inputs only, as
 * -ffast-math assumes anyway. */
#define REF_BLOCK 2048
void ref_lse_online(const float *x, int64_t lo, int64_t hi, float *max_out, float *sum_out) {
  float m = -INFINITY, s = 0;
  for (int64_t b = lo; b < hi; b += REF_BLOCK) {
    int64_t e = hi - b < REF_BLOCK ? hi : b + REF_BLOCK;
    float bm = ref_max(x, b, e);
    if (bm > m) {
      s *= expf(m - bm);
      m = bm;
    }
    s += ref_sumexp(x, b, e, m);
  }
  *max_out = m;
  *sum_out = s;
}
