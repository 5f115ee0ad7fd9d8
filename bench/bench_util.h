/* Timing helpers shared by the benchmarks: a monotonic clock and the median
 * of `reps` runs after one warm-up run. */
#ifndef SJ_BENCH_UTIL_H
#define SJ_BENCH_UTIL_H
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* splitmix64: the C references' seeded host random numbers (their initial
 * weights), and a uniform double in [0, 1) from it. */
static inline uint64_t bench_splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static inline double bench_unif(uint64_t *s) { return (double)(bench_splitmix(s) >> 11) * 0x1.0p-53; }

static inline double bench_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static inline int bench_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* OpenBLAS's idle worker threads spin for 2^28 cycles (~0.1 s) after a
 * threaded call before they sleep. A benchmark that alternates a threaded
 * BLAS reference step with symjit's step would time symjit's against a
 * thread spinning on the other core (measured: the LSTM step's median
 * 26 ms in some runs, 45-61 ms in others, the reference unchanged). 2^20
 * cycles (~0.3 ms) still keeps them spinning between the BLAS calls of one
 * reference step. OpenBLAS reads the variable when it is loaded, so the
 * process re-executes itself once with it set; a value the user set wins. */
static inline void bench_openblas_short_spin(char **argv) {
  if (getenv("OPENBLAS_THREAD_TIMEOUT")) return;
  setenv("OPENBLAS_THREAD_TIMEOUT", "20", 1);
  execv("/proc/self/exe", argv); /* returns only on failure: carry on as is */
}

typedef void (*bench_fn)(void *);

static inline double bench_median_ms(bench_fn fn, void *env, int reps) {
  double t[64];
  if (reps > 64) reps = 64;
  fn(env);
  for (int i = 0; i < reps; i++) {
    double t0 = bench_now_ms();
    fn(env);
    t[i] = bench_now_ms() - t0;
  }
  qsort(t, (size_t)reps, sizeof t[0], bench_cmp_double);
  return t[reps / 2];
}
#endif
