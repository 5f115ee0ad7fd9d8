/* Counter-based random numbers (docs/decisions/0018-random.md): the
 * Philox4x32-10 block function (Salmon et al., SC'11, as Random123, JAX and
 * PyTorch) and the fills behind the random_* ops. A stream state is
 * (key, counter), both 64-bit; element i of a draw is a function of
 * (key, counter + i) alone (one Philox block per element), so a fill split
 * across any number of threads writes the same bits. Only plain C types
 * cross this boundary (the executor and the reference evaluator use it). */
#ifndef SJ_RT_RANDOM_H
#define SJ_RT_RANDOM_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime.h"

/* out = Philox4x32-10(ctr, key): Random123's philox4x32_R(10, ctr, key). */
void sj_rt_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);
/* The block of element c of a stream: ctr = (lo32(c), hi32(c), 0, 0),
 * key = (lo32(key), hi32(key)). */
void sj_rt_philox_block(uint64_t key, uint64_t c, uint32_t out[4]);
/* A double in [0, 1) from two words: 53 random bits, (hi << 21 | lo >> 11) * 2^-53. */
static inline double sj_rt_unit53(uint32_t hi, uint32_t lo) {
  return (double)(((uint64_t)hi << 21) | (lo >> 11)) * 0x1.0p-53;
}

/* The distributions of the fills, one per elementwise random op. */
typedef enum { SJ_RT_UNIFORM, SJ_RT_NORMAL, SJ_RT_BERNOULLI } sj_rt_dist;

typedef struct sj_rt_random_desc {
  sj_rt_dist dist;
  sj_dtype dt; /* f32 or f64; bernoulli also bool */
  void *out;   /* n elements of dt */
  int64_t n;
  uint64_t key, counter;
  double a, b; /* uniform: lo, hi; normal: mean, std; bernoulli: p */
} sj_rt_random_desc;

/* Element c's value as a double before rounding to the dtype:
 *   uniform:   a + (b - a) * u, u = unit53(w0, w1)
 *   normal:    a + b * sqrt(-2 log(1 - unit53(w0, w1))) * cos(2 pi unit53(w2, w3))
 *   bernoulli: w0 * 2^-32 < a ? 1 : 0
 * where w = sj_rt_philox_block(key, c). The uniform value rounded to f32
 * that reaches b (rounding up) is replaced by the largest f32 below b, so
 * results stay in [lo, hi) for lo < hi. */
double sj_rt_random_value(sj_rt_dist dist, uint64_t key, uint64_t c, double a, double b);
/* The uniform rule's rounding to dtype dt (f32 or f64), kept below b. */
double sj_rt_random_round(sj_rt_dist dist, sj_dtype dt, double x, double b);

/* Fills d->out, split over `pool` (NULL: serially). */
void sj_rt_random_fill(sj_pool *pool, const sj_rt_random_desc *d);

/* One category per row of a [rows, k] matrix of f32/f64 weights: u =
 * unit53(w0, w1) of block counter + r, the smallest j with
 * cumsum(p)[j] > u * sum(p), p the row's probabilities (logits: exp(x -
 * max(x)), accumulated in double). out holds rows i32 or i64 (out_dt).
 * Returns -1, or the first row that has no category to draw (a negative,
 * NaN or infinite weight, a NaN or +inf logit, or a zero total): its
 * output is then -1. k >= 1. */
int64_t sj_rt_random_categorical(sj_pool *pool, sj_dtype in_dt, const void *w, int64_t rows, int64_t k, bool logits,
                                 sj_dtype out_dt, void *out, uint64_t key, uint64_t counter);
/* The category of one row of k f32/f64 weights given u in [0, 1); -1: none. */
int64_t sj_rt_categorical_row(sj_dtype dt, const void *row, int64_t k, bool logits, double u);
#endif
