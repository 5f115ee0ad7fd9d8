/* Counter-based random numbers: a bijective 64-bit mixer (splitmix64's
 * finalizer, applied twice with the key) over (seed, counter). Stateless, so
 * element i of a tensor is reproducible on its own. */
#include <math.h>

#include "symjit/tensor.h"

static uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint64_t rand64(uint64_t seed, uint64_t ctr) {
  return mix(mix(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull) ^ (ctr + 0xD1B54A32D192ED03ull));
}

/* uniform in [0, 1) with 53 random bits */
static double unit(uint64_t seed, uint64_t ctr) { return (double)(rand64(seed, ctr) >> 11) * 0x1.0p-53; }

sj_status sj_tensor_fill_uniform(sj_tensor *t, uint64_t seed, double lo, double hi) {
  if (!t || !(hi >= lo)) return SJ_ERR_INVALID;
  int64_t n = sj_tensor_numel(t);
  for (int64_t i = 0; i < n; i++) sj_tensor_set(t, i, lo + (hi - lo) * unit(seed, (uint64_t)i));
  return SJ_OK;
}

/* Box-Muller on counters 2i and 2i+1. */
sj_status sj_tensor_fill_normal(sj_tensor *t, uint64_t seed, double mean, double stddev) {
  if (!t || !(stddev >= 0)) return SJ_ERR_INVALID;
  int64_t n = sj_tensor_numel(t);
  for (int64_t i = 0; i < n; i++) {
    double u1 = 1.0 - unit(seed, 2 * (uint64_t)i), u2 = unit(seed, 2 * (uint64_t)i + 1);
    sj_tensor_set(t, i, mean + stddev * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
  }
  return SJ_OK;
}
