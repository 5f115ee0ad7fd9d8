/* Philox4x32-10 and the fills of the random_* ops (rt_random.h). Every
 * element is computed from its own counter, so the thread pool may split a
 * fill anywhere: the bits do not depend on the split. */
#include <math.h>
#include <string.h>

#include "rt_random.h"

/* Below this many elements a fill runs on the calling thread: one Philox
 * block costs ~10 ns, and a pool hand-off ~1-40 us. */
#define RANDOM_MIN_PARALLEL 16384

/* Random123's constants: the multipliers and the Weyl key increments
 * (golden ratio and sqrt(3) - 1). */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static inline void philox_round(uint32_t c[4], const uint32_t k[2]) {
  uint64_t p0 = (uint64_t)PHILOX_M0 * c[0], p1 = (uint64_t)PHILOX_M1 * c[2];
  uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0, hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
  uint32_t n0 = hi1 ^ c[1] ^ k[0], n2 = hi0 ^ c[3] ^ k[1];
  c[0] = n0, c[1] = lo1, c[2] = n2, c[3] = lo0;
}

void sj_rt_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
  uint32_t c[4] = {ctr[0], ctr[1], ctr[2], ctr[3]}, k[2] = {key[0], key[1]};
  philox_round(c, k);
  for (int r = 1; r < 10; r++) { /* the key is bumped before rounds 2..10 */
    k[0] += PHILOX_W0, k[1] += PHILOX_W1;
    philox_round(c, k);
  }
  memcpy(out, c, sizeof c);
}

void sj_rt_philox_block(uint64_t key, uint64_t c, uint32_t out[4]) {
  const uint32_t ctr[4] = {(uint32_t)c, (uint32_t)(c >> 32), 0, 0}, k[2] = {(uint32_t)key, (uint32_t)(key >> 32)};
  sj_rt_philox4x32(ctr, k, out);
}

double sj_rt_random_value(sj_rt_dist dist, uint64_t key, uint64_t c, double a, double b) {
  uint32_t w[4];
  sj_rt_philox_block(key, c, w);
  switch (dist) {
  case SJ_RT_UNIFORM: return a + (b - a) * sj_rt_unit53(w[0], w[1]);
  case SJ_RT_NORMAL: {
    double u1 = 1.0 - sj_rt_unit53(w[0], w[1]), u2 = sj_rt_unit53(w[2], w[3]); /* u1 in (0, 1]: log is finite */
    return a + b * (sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
  }
  case SJ_RT_BERNOULLI: return (double)w[0] * 0x1.0p-32 < a ? 1.0 : 0.0;
  }
  return 0;
}

double sj_rt_random_round(sj_rt_dist dist, sj_dtype dt, double x, double b) {
  if (dt == SJ_F32) {
    float f = (float)x;
    /* x < b rounded up to b or past it (b itself may round up): step down */
    if (dist == SJ_RT_UNIFORM && x < b)
      while ((double)f >= b) f = nextafterf(f, -INFINITY);
    return f;
  }
  return x;
}

/* ---- fills ---- */

/* Philox over a batch of BATCH consecutive counters at once, each round a
 * loop over the lanes: independent 32x32->64 multiplies that the compiler
 * turns into SIMD (pmuludq), where one block at a time is a chain of
 * dependent multiplies. Same bits as sj_rt_philox_block per lane. */
#define BATCH 16

typedef struct lanes {
  uint32_t w[4][BATCH];
} lanes;

static inline __attribute__((always_inline)) void philox_lanes(uint64_t key, uint64_t first, lanes *o) {
  uint32_t c0[BATCH], c1[BATCH], c2[BATCH], c3[BATCH];
  for (int l = 0; l < BATCH; l++) {
    uint64_t c = first + (uint64_t)l;
    c0[l] = (uint32_t)c, c1[l] = (uint32_t)(c >> 32), c2[l] = 0, c3[l] = 0;
  }
  uint32_t k0 = (uint32_t)key, k1 = (uint32_t)(key >> 32);
  for (int r = 0; r < 10; r++) {
    if (r) k0 += PHILOX_W0, k1 += PHILOX_W1;
    for (int l = 0; l < BATCH; l++) {
      uint64_t p0 = (uint64_t)PHILOX_M0 * c0[l], p1 = (uint64_t)PHILOX_M1 * c2[l];
      uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1[l] ^ k0, n2 = (uint32_t)(p0 >> 32) ^ c3[l] ^ k1;
      c1[l] = (uint32_t)p1, c3[l] = (uint32_t)p0, c0[l] = n0, c2[l] = n2;
    }
  }
  memcpy(o->w[0], c0, sizeof c0), memcpy(o->w[1], c1, sizeof c1);
  memcpy(o->w[2], c2, sizeof c2), memcpy(o->w[3], c3, sizeof c3);
}

typedef void (*batch_fn)(uint64_t key, uint64_t first, lanes *o);

static void philox_batch_generic(uint64_t key, uint64_t first, lanes *o) { philox_lanes(key, first, o); }

/* An AVX2 copy, chosen per fill from the CPU's features at run time (not an
 * ifunc: a resolver runs before sanitizer runtimes start). */
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) static void philox_batch_avx2(uint64_t key, uint64_t first, lanes *o) {
  philox_lanes(key, first, o);
}
static batch_fn best_batch(void) { return __builtin_cpu_supports("avx2") ? philox_batch_avx2 : philox_batch_generic; }
#else
static batch_fn best_batch(void) { return philox_batch_generic; }
#endif

/* Element value from its block's words, as sj_rt_random_value. */
static double value_of(const sj_rt_random_desc *d, const lanes *w, int l) {
  switch (d->dist) {
  case SJ_RT_UNIFORM: return d->a + (d->b - d->a) * sj_rt_unit53(w->w[0][l], w->w[1][l]);
  case SJ_RT_NORMAL: {
    double u1 = 1.0 - sj_rt_unit53(w->w[0][l], w->w[1][l]), u2 = sj_rt_unit53(w->w[2][l], w->w[3][l]);
    return d->a + d->b * (sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
  }
  case SJ_RT_BERNOULLI: return (double)w->w[0][l] * 0x1.0p-32 < d->a ? 1.0 : 0.0;
  }
  return 0;
}

typedef struct fill_env {
  const sj_rt_random_desc *d;
  batch_fn batch;
} fill_env;

static void fill_range(void *env, int64_t lo, int64_t hi) {
  const fill_env *e = env;
  const sj_rt_random_desc *d = e->d;
  lanes w;
  for (int64_t i = lo; i < hi; i += BATCH) {
    e->batch(d->key, d->counter + (uint64_t)i, &w);
    int m = hi - i < BATCH ? (int)(hi - i) : BATCH;
    for (int l = 0; l < m; l++) {
      double x = sj_rt_random_round(d->dist, d->dt, value_of(d, &w, l), d->b);
      switch (d->dt) {
      case SJ_F32: ((float *)d->out)[i + l] = (float)x; break;
      case SJ_F64: ((double *)d->out)[i + l] = x; break;
      case SJ_BOOL: ((uint8_t *)d->out)[i + l] = x != 0; break;
      default: break; /* refused by the ops' verifiers */
      }
    }
  }
}

void sj_rt_random_fill(sj_pool *pool, const sj_rt_random_desc *d) {
  if (d->n <= 0) return;
  fill_env e = {d, best_batch()};
  sj_pool_run(pool, fill_range, &e, 0, d->n, RANDOM_MIN_PARALLEL, BATCH);
}

/* ---- categorical ---- */

static double weight(sj_dtype dt, const void *row, int64_t j) {
  return dt == SJ_F32 ? (double)((const float *)row)[j] : ((const double *)row)[j];
}

int64_t sj_rt_categorical_row(sj_dtype dt, const void *row, int64_t k, bool logits, double u) {
  double m = -INFINITY, total = 0;
  if (logits) {
    for (int64_t j = 0; j < k; j++) {
      double x = weight(dt, row, j);
      if (isnan(x) || x == INFINITY) return -1;
      m = x > m ? x : m;
    }
    if (m == -INFINITY) return -1;
  }
  for (int64_t j = 0; j < k; j++) {
    double p = logits ? exp(weight(dt, row, j) - m) : weight(dt, row, j);
    if (!(p >= 0) || p == INFINITY) return -1;
    total += p;
  }
  if (!(total > 0) || total == INFINITY) return -1;
  double target = u * total, cum = 0;
  int64_t last = -1;
  for (int64_t j = 0; j < k; j++) {
    double p = logits ? exp(weight(dt, row, j) - m) : weight(dt, row, j);
    cum += p;
    if (p > 0) last = j;
    if (cum > target) return j;
  }
  return last; /* u * total rounded up to the total: the last possible category */
}

typedef struct cat_env {
  sj_dtype in_dt, out_dt;
  const void *w;
  void *out;
  int64_t k;
  bool logits;
  uint64_t key, counter;
} cat_env;

static void cat_range(void *env, int64_t lo, int64_t hi) {
  const cat_env *e = env;
  size_t row_bytes = (size_t)e->k * (e->in_dt == SJ_F32 ? 4 : 8);
  for (int64_t r = lo; r < hi; r++) {
    uint32_t w[4];
    sj_rt_philox_block(e->key, e->counter + (uint64_t)r, w);
    const void *row = (const char *)e->w + (size_t)r * row_bytes;
    int64_t j = sj_rt_categorical_row(e->in_dt, row, e->k, e->logits, sj_rt_unit53(w[0], w[1]));
    if (e->out_dt == SJ_I32) ((int32_t *)e->out)[r] = (int32_t)j;
    else ((int64_t *)e->out)[r] = j;
  }
}

int64_t sj_rt_random_categorical(sj_pool *pool, sj_dtype in_dt, const void *w, int64_t rows, int64_t k, bool logits,
                                 sj_dtype out_dt, void *out, uint64_t key, uint64_t counter) {
  if (rows <= 0) return -1;
  cat_env e = {in_dt, out_dt, w, out, k, logits, key, counter};
  /* a row costs k weights twice: split by rows once there are enough */
  int64_t min_rows = k > 0 && k < RANDOM_MIN_PARALLEL ? RANDOM_MIN_PARALLEL / k : 1;
  sj_pool_run(pool, cat_range, &e, 0, rows, min_rows, 1);
  for (int64_t r = 0; r < rows; r++) {
    int64_t j = out_dt == SJ_I32 ? ((const int32_t *)out)[r] : ((const int64_t *)out)[r];
    if (j < 0) return r;
  }
  return -1;
}
