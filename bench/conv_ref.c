/* Hand-written im2col + OpenBLAS convolution and max pooling (see
 * conv_ref.h). Built with -O3 -march=native -ffast-math. */
#define _POSIX_C_SOURCE 200809L
#include "conv_ref.h"

#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RM CblasRowMajor
#define NT CblasNoTrans
#define TR CblasTrans

/* Tuning skips chunk sizes whose per-worker buffers exceed this: past it the
 * chunk fits no cache level, and on a shared 24 GiB machine a 231 MB col
 * buffer (the 64->64 3x3 layer at nb = 32) only adds page faults. */
#define TUNE_MAX_WORK_BYTES (128.0 * 1024 * 1024)
/* Row blocks are tried when one image's col buffer exceeds this: half of the
 * 2 MiB L2 of this machine's cores, the rest left to OpenBLAS's packed
 * panels and the output block. */
#define TUNE_COL_BLOCK_BYTES (1024.0 * 1024)

const conv_named_shape conv_bench_layers[CONV_BENCH_NLAYERS] = {
    {"conv1", {64, 1, 28, 28, 20, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0}},
    {"conv2", {64, 20, 12, 12, 50, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0}},
    {"big", {32, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}},
};

/* ---- shapes ---- */

static int out_size(int in, int p0, int p1, int k, int d, int s, int *out) {
  int64_t span = (int64_t)in + p0 + p1, ext = (int64_t)d * (k - 1) + 1;
  if (k < 1 || span < ext) return 1;
  *out = (int)((span - ext) / s + 1);
  return 0;
}

int conv_shape_init(conv_shape *s) {
  if (s->N < 0 || s->C < 0 || s->H < 0 || s->W < 0 || s->O < 0 || s->sh < 1 || s->sw < 1 || s->dh < 1 ||
      s->dw < 1 || s->pt < 0 || s->pb < 0 || s->pl < 0 || s->pr < 0 || s->groups < 1 || s->C % s->groups ||
      s->O % s->groups)
    return 1;
  return out_size(s->H, s->pt, s->pb, s->KH, s->dh, s->sh, &s->OH) ||
         out_size(s->W, s->pl, s->pr, s->KW, s->dw, s->sw, &s->OW);
}

double conv_flops(const conv_shape *s) {
  return 2.0 * s->N * s->O * s->OH * s->OW * (double)(s->C / s->groups) * s->KH * s->KW;
}

/* sizes derived from a shape */
typedef struct dims {
  int64_t P;    /* OH*OW */
  int64_t K;    /* rows of col per group: C/g*KH*KW */
  int Og;       /* O/g */
  int64_t HW;   /* H*W */
} dims;

static dims dims_of(const conv_shape *s) {
  dims d = {(int64_t)s->OH * s->OW, (int64_t)(s->C / s->groups) * s->KH * s->KW, s->O / s->groups,
            (int64_t)s->H * s->W};
  return d;
}

/* ---- im2col / col2im ---- */

/* The output columns [lo, hi) whose input column ow*sw + off lies in [0, W). */
static void valid_cols(int off, int sw, int W, int OW, int *lo, int *hi) {
  int a = off >= 0 ? 0 : (-off + sw - 1) / sw;
  int b = W - 1 - off < 0 ? 0 : (W - 1 - off) / sw + 1;
  *lo = a < OW ? a : OW;
  *hi = b < *lo ? *lo : (b < OW ? b : OW);
}

/* col [C*KH*KW][nb * (oh1-oh0)*OW] from images x[0 .. nb-1] (each
 * [C, H, W]): the columns of output rows [oh0, oh1) of each image.
 * The copies are rows of OW floats, 8 in LeNet's second layer: gcc turns
 * the copy loops into memcpy/memset calls that cost more than the copy at
 * that size (im2col was 20% of that layer's time), hence no loop
 * distribution here; the loops vectorize instead. */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) static void
im2col(const conv_shape *s, const float *restrict x, int nb, int oh0, int oh1, float *restrict col) {
  const dims d = dims_of(s);
  const int64_t bp = (int64_t)(oh1 - oh0) * s->OW, ld = nb * bp;
  const int dense = s->sh == 1 && s->sw == 1 && !s->pt && !s->pb && !s->pl && !s->pr;
  for (int c = 0; c < s->C; c++)
    for (int kh = 0; kh < s->KH; kh++)
      for (int kw = 0; kw < s->KW; kw++) {
        float *row = col + ((int64_t)(c * s->KH + kh) * s->KW + kw) * ld;
        int off = kw * s->dw - s->pl, lo, hi;
        valid_cols(off, s->sw, s->W, s->OW, &lo, &hi);
        if (dense) { /* no padding, stride 1: a plain 2-D block copy */
          for (int j = 0; j < nb; j++) {
            const float *restrict src = x + ((int64_t)j * s->C + c) * d.HW + (int64_t)kh * s->dh * s->W + off;
            float *restrict dst = row + j * bp;
            for (int oh = oh0; oh < oh1; oh++)
              for (int ow = 0; ow < s->OW; ow++) dst[(oh - oh0) * s->OW + ow] = src[(int64_t)oh * s->W + ow];
          }
          continue;
        }
        for (int j = 0; j < nb; j++) {
          const float *src = x + ((int64_t)j * s->C + c) * d.HW;
          for (int oh = oh0; oh < oh1; oh++) {
            float *restrict dst = row + j * bp + (int64_t)(oh - oh0) * s->OW;
            int ih = oh * s->sh - s->pt + kh * s->dh;
            if (ih < 0 || ih >= s->H) {
              for (int ow = 0; ow < s->OW; ow++) dst[ow] = 0;
              continue;
            }
            const float *restrict in = src + (int64_t)ih * s->W;
            for (int ow = 0; ow < lo; ow++) dst[ow] = 0;
            if (s->sw == 1)
              for (int ow = lo; ow < hi; ow++) dst[ow] = in[ow + off];
            else
              for (int ow = lo; ow < hi; ow++) dst[ow] = in[ow * s->sw + off];
            for (int ow = hi; ow < s->OW; ow++) dst[ow] = 0;
          }
        }
      }
}

/* dx[0 .. nb-1] += col's entries at the positions im2col (same rows) read
 * them from. */
static void col2im(const conv_shape *s, const float *restrict col, int nb, int oh0, int oh1, float *restrict dx) {
  const dims d = dims_of(s);
  const int64_t bp = (int64_t)(oh1 - oh0) * s->OW, ld = nb * bp;
  const int dense = s->sh == 1 && s->sw == 1 && !s->pt && !s->pb && !s->pl && !s->pr;
  for (int c = 0; c < s->C; c++)
    for (int kh = 0; kh < s->KH; kh++)
      for (int kw = 0; kw < s->KW; kw++) {
        const float *row = col + ((int64_t)(c * s->KH + kh) * s->KW + kw) * ld;
        int off = kw * s->dw - s->pl, lo, hi;
        valid_cols(off, s->sw, s->W, s->OW, &lo, &hi);
        if (dense) { /* no padding, stride 1: a plain 2-D block */
          for (int j = 0; j < nb; j++) {
            float *restrict dst = dx + ((int64_t)j * s->C + c) * d.HW + (int64_t)kh * s->dh * s->W + off;
            const float *restrict src = row + j * bp;
            for (int oh = oh0; oh < oh1; oh++)
              for (int ow = 0; ow < s->OW; ow++) dst[(int64_t)oh * s->W + ow] += src[(oh - oh0) * s->OW + ow];
          }
          continue;
        }
        for (int j = 0; j < nb; j++) {
          float *dst = dx + ((int64_t)j * s->C + c) * d.HW;
          for (int oh = oh0; oh < oh1; oh++) {
            int ih = oh * s->sh - s->pt + kh * s->dh;
            if (ih < 0 || ih >= s->H) continue;
            const float *restrict src = row + j * bp + (int64_t)(oh - oh0) * s->OW;
            float *restrict out = dst + (int64_t)ih * s->W;
            if (s->sw == 1) {
#pragma GCC ivdep
              for (int ow = lo; ow < hi; ow++) out[ow + off] += src[ow];
            } else {
              for (int ow = lo; ow < hi; ow++) out[ow * s->sw + off] += src[ow];
            }
          }
        }
      }
}

/* ---- a small persistent thread pool (workers wait passively on a condition
 * variable, so an idle pool steals no time from the code measured next) ---- */

typedef void (*pool_fn)(void *arg, int worker);

static struct {
  pthread_mutex_t mu;
  pthread_cond_t go, done;
  pthread_t th[CONV_MAX_WORKERS];
  unsigned start_gen[CONV_MAX_WORKERS];
  int started; /* helper threads running: indices 1 .. started */
  unsigned gen;
  int active, pending, quit;
  pool_fn fn;
  void *arg;
} pool = {.mu = PTHREAD_MUTEX_INITIALIZER, .go = PTHREAD_COND_INITIALIZER, .done = PTHREAD_COND_INITIALIZER};

static void *pool_helper(void *p) {
  int idx = (int)(intptr_t)p;
  pthread_mutex_lock(&pool.mu);
  unsigned seen = pool.start_gen[idx];
  for (;;) {
    while (pool.gen == seen && !pool.quit) pthread_cond_wait(&pool.go, &pool.mu);
    if (pool.quit) break;
    seen = pool.gen;
    if (idx >= pool.active) continue;
    pool_fn fn = pool.fn;
    void *arg = pool.arg;
    pthread_mutex_unlock(&pool.mu);
    fn(arg, idx);
    pthread_mutex_lock(&pool.mu);
    if (--pool.pending == 0) pthread_cond_signal(&pool.done);
  }
  pthread_mutex_unlock(&pool.mu);
  return NULL;
}

/* fn(arg, 0 .. n-1), worker 0 on the caller's thread; the indices no helper
 * thread could be started for also run there. */
static void pool_run(pool_fn fn, void *arg, int n) {
  if (n <= 1) {
    fn(arg, 0);
    return;
  }
  pthread_mutex_lock(&pool.mu);
  while (pool.started < n - 1 && pool.started + 1 < CONV_MAX_WORKERS) {
    int idx = pool.started + 1;
    pool.start_gen[idx] = pool.gen;
    if (pthread_create(&pool.th[idx], NULL, pool_helper, (void *)(intptr_t)idx)) break;
    pool.started = idx;
  }
  int helpers = pool.started < n - 1 ? pool.started : n - 1;
  pool.fn = fn, pool.arg = arg, pool.active = helpers + 1, pool.pending = helpers;
  pool.gen++;
  pthread_cond_broadcast(&pool.go);
  pthread_mutex_unlock(&pool.mu);
  fn(arg, 0);
  for (int i = helpers + 1; i < n; i++) fn(arg, i);
  pthread_mutex_lock(&pool.mu);
  while (pool.pending) pthread_cond_wait(&pool.done, &pool.mu);
  pthread_mutex_unlock(&pool.mu);
}

void conv_ref_shutdown(void) {
  pthread_mutex_lock(&pool.mu);
  pool.quit = 1;
  pthread_cond_broadcast(&pool.go);
  int n = pool.started;
  pthread_mutex_unlock(&pool.mu);
  for (int i = 1; i <= n; i++) pthread_join(pool.th[i], NULL);
  pool.started = 0, pool.quit = 0;
}

/* ---- plans ---- */

static int64_t col_floats(const conv_shape *s, int nb, int rows) {
  return (int64_t)s->groups * dims_of(s).K * nb * rows * s->OW;
}

static int64_t work_floats(const conv_shape *s, int nb, int rows) {
  dims d = dims_of(s);
  return col_floats(s, nb, rows) + (int64_t)s->O * nb * d.P + (int64_t)s->O * d.K + s->O;
}

static float *w_col(const conv_plan *p, int w) { return p->work[w]; }
static float *w_out(const conv_plan *p, int w) { return p->work[w] + col_floats(&p->s, p->nb, p->rows); }
static float *w_dw(const conv_plan *p, int w) {
  return w_out(p, w) + (int64_t)p->s.O * p->nb * dims_of(&p->s).P;
}
static float *w_db(const conv_plan *p, int w) { return w_dw(p, w) + (int64_t)p->s.O * dims_of(&p->s).K; }

int conv_plan_new(conv_plan *p, const conv_shape *s, int nb, int rows, int workers, int blas_threads) {
  const conv_shape shape = *s; /* s may point into p */
  memset(p, 0, sizeof *p);
  p->s = shape;
  s = &p->s;
  int n = s->N > 1 ? s->N : 1;
  p->nb = nb < 1 ? 1 : nb > n ? n : nb;
  p->rows = p->nb > 1 || rows < 1 || rows > s->OH ? s->OH : rows;
  p->workers = workers < 1 ? 1 : workers > CONV_MAX_WORKERS ? CONV_MAX_WORKERS : workers;
  if (p->workers > n) p->workers = n;
  p->blas_threads = p->workers > 1 || blas_threads < 1 ? 1 : blas_threads;
  if (p->rows < s->OH)
    snprintf(p->desc, sizeof p->desc, "nb=1 rows=%d workers=%d blas=%d", p->rows, p->workers, p->blas_threads);
  else
    snprintf(p->desc, sizeof p->desc, "nb=%d workers=%d blas=%d", p->nb, p->workers, p->blas_threads);
  size_t bytes = (size_t)work_floats(s, p->nb, p->rows) * sizeof(float);
  for (int w = 0; w < p->workers; w++)
    if (!(p->work[w] = malloc(bytes ? bytes : 1))) {
      conv_plan_free(p);
      return 1;
    }
  return 0;
}

void conv_plan_free(conv_plan *p) {
  for (int w = 0; w < CONV_MAX_WORKERS; w++) free(p->work[w]), p->work[w] = NULL;
}

static void set_blas_threads(int n) {
  if (openblas_get_num_threads() != n) openblas_set_num_threads(n);
}

/* the images [lo, hi) of worker w */
static void worker_range(const conv_plan *p, int w, int *lo, int *hi) {
  *lo = (int)((int64_t)p->s.N * w / p->workers);
  *hi = (int)((int64_t)p->s.N * (w + 1) / p->workers);
}

/* ---- forward ---- */

typedef struct fwd_job {
  conv_plan *p;
  const float *x, *w;
  conv_epilogue epi;
  void *ctx;
} fwd_job;

static void fwd_worker(void *arg, int wk) {
  fwd_job *j = arg;
  const conv_shape *s = &j->p->s;
  const dims d = dims_of(s);
  float *col = w_col(j->p, wk), *out = w_out(j->p, wk);
  int lo, hi;
  worker_range(j->p, wk, &lo, &hi);
  for (int n0 = lo; n0 < hi; n0 += j->p->nb) {
    int nb = hi - n0 < j->p->nb ? hi - n0 : j->p->nb;
    const int64_t cols = nb * d.P;
    if (d.K == 0) memset(out, 0, (size_t)(s->O * cols) * sizeof *out);
    for (int oh0 = 0; oh0 < s->OH && d.K; oh0 += j->p->rows) { /* row blocks: nb == 1 only */
      const int oh1 = oh0 + j->p->rows < s->OH ? oh0 + j->p->rows : s->OH;
      const int64_t bc = nb * (int64_t)(oh1 - oh0) * s->OW, p0 = (int64_t)oh0 * s->OW;
      im2col(s, j->x + (int64_t)n0 * s->C * d.HW, nb, oh0, oh1, col);
      for (int g = 0; g < s->groups; g++)
        cblas_sgemm(RM, NT, NT, d.Og, (int)bc, (int)d.K, 1, j->w + g * d.Og * d.K, (int)d.K, col + g * d.K * bc,
                    (int)bc, 0, out + g * d.Og * cols + p0, (int)cols);
    }
    j->epi(j->ctx, n0, nb, out);
  }
}

void conv_ref_forward_epi(conv_plan *p, const float *x, const float *w, conv_epilogue epi, void *ctx) {
  if (p->s.N == 0 || p->s.O == 0) return;
  set_blas_threads(p->blas_threads);
  fwd_job j = {p, x, w, epi, ctx};
  pool_run(fwd_worker, &j, p->workers);
}

typedef struct bias_act {
  const conv_shape *s;
  const float *bias;
  conv_act act;
  float *y;
} bias_act;

static inline float tanh_f(float v) { return 1.0f - 2.0f / (1.0f + expf(2.0f * v)); }

/* y[n0 + i][o] = act(Y[o][i] + bias[o]): one pass, Y still in cache */
static void bias_act_epi(void *ctx, int n0, int nb, const float *Y) {
  const bias_act *e = ctx;
  const int64_t P = (int64_t)e->s->OH * e->s->OW, O = e->s->O;
  for (int i = 0; i < nb; i++)
    for (int64_t o = 0; o < O; o++) {
      const float *restrict src = Y + (o * nb + i) * P;
      float *restrict dst = e->y + ((int64_t)(n0 + i) * O + o) * P;
      float b = e->bias ? e->bias[o] : 0.0f;
      switch (e->act) {
      case CONV_ACT_NONE:
        for (int64_t k = 0; k < P; k++) dst[k] = src[k] + b;
        break;
      case CONV_ACT_TANH:
        for (int64_t k = 0; k < P; k++) dst[k] = tanh_f(src[k] + b);
        break;
      case CONV_ACT_RELU:
        for (int64_t k = 0; k < P; k++) dst[k] = fmaxf(src[k] + b, 0.0f);
        break;
      }
    }
}

void conv_ref_forward(conv_plan *p, const float *x, const float *w, const float *bias, conv_act act, float *y) {
  bias_act e = {&p->s, bias, act, y};
  conv_ref_forward_epi(p, x, w, bias_act_epi, &e);
}

/* ---- backward ---- */

typedef struct bwd_job {
  conv_plan *p;
  const float *x, *w;
  conv_prologue pro;
  void *ctx;
  float *dw, *db, *dx;
} bwd_job;

/* Worker 0 accumulates into the caller's dw/db, the others into their own
 * buffers (summed after the join). */
static void bwd_worker(void *arg, int wk) {
  bwd_job *j = arg;
  const conv_shape *s = &j->p->s;
  const dims d = dims_of(s);
  float *col = w_col(j->p, wk), *G = w_out(j->p, wk);
  float *dw = wk ? w_dw(j->p, wk) : j->dw, *db = wk ? w_db(j->p, wk) : j->db;
  int lo, hi;
  worker_range(j->p, wk, &lo, &hi);
  if (j->dw) memset(dw, 0, (size_t)(s->O * d.K) * sizeof *dw);
  if (j->db) memset(db, 0, (size_t)s->O * sizeof *db);
  for (int n0 = lo; n0 < hi; n0 += j->p->nb) {
    int nb = hi - n0 < j->p->nb ? hi - n0 : j->p->nb;
    const int64_t cols = nb * d.P;
    j->pro(j->ctx, n0, nb, G);
    if (j->db)
      for (int o = 0; o < s->O; o++) {
        float acc = 0;
        for (int64_t k = 0; k < cols; k++) acc += G[o * cols + k];
        db[o] += acc;
      }
    float *dxn = j->dx ? j->dx + (int64_t)n0 * s->C * d.HW : NULL;
    if (dxn) memset(dxn, 0, (size_t)(nb * s->C * d.HW) * sizeof *dxn);
    for (int oh0 = 0; oh0 < s->OH && d.K; oh0 += j->p->rows) { /* row blocks: nb == 1 only */
      const int oh1 = oh0 + j->p->rows < s->OH ? oh0 + j->p->rows : s->OH;
      const int64_t bc = nb * (int64_t)(oh1 - oh0) * s->OW, p0 = (int64_t)oh0 * s->OW;
      if (j->dw) { /* dW_g += G_g @ col_g^T */
        im2col(s, j->x + (int64_t)n0 * s->C * d.HW, nb, oh0, oh1, col);
        for (int g = 0; g < s->groups; g++)
          cblas_sgemm(RM, NT, TR, d.Og, (int)d.K, (int)bc, 1, G + g * d.Og * cols + p0, (int)cols,
                      col + g * d.K * bc, (int)bc, 1, dw + g * d.Og * d.K, (int)d.K);
      }
      if (dxn && d.Og) { /* col_g = W_g^T @ G_g, then col2im */
        for (int g = 0; g < s->groups; g++)
          cblas_sgemm(RM, TR, NT, (int)d.K, (int)bc, d.Og, 1, j->w + g * d.Og * d.K, (int)d.K,
                      G + g * d.Og * cols + p0, (int)cols, 0, col + g * d.K * bc, (int)bc);
        col2im(s, col, nb, oh0, oh1, dxn);
      }
    }
  }
}

void conv_ref_backward(conv_plan *p, const float *x, const float *w, conv_prologue pro, void *ctx, float *dw,
                       float *db, float *dx) {
  const dims d = dims_of(&p->s);
  if (p->s.N == 0 || p->s.O == 0) { /* no products: zero gradients */
    if (dw) memset(dw, 0, (size_t)(p->s.O * d.K) * sizeof *dw);
    if (db) memset(db, 0, (size_t)p->s.O * sizeof *db);
    if (dx) memset(dx, 0, (size_t)((int64_t)p->s.N * p->s.C * d.HW) * sizeof *dx);
    return;
  }
  set_blas_threads(p->blas_threads);
  bwd_job j = {p, x, w, pro, ctx, dw, db, dx};
  pool_run(bwd_worker, &j, p->workers);
  for (int wk = 1; wk < p->workers; wk++) {
    if (dw) {
      const float *src = w_dw(p, wk);
      for (int64_t k = 0; k < p->s.O * d.K; k++) dw[k] += src[k];
    }
    if (db) {
      const float *src = w_db(p, wk);
      for (int o = 0; o < p->s.O; o++) db[o] += src[o];
    }
  }
}

typedef struct pack_ctx {
  const conv_shape *s;
  const float *g;
} pack_ctx;

/* G[o][i] = g[n0 + i][o]: the NCHW gradient of the chunk as GEMM operand */
static void pack_pro(void *ctx, int n0, int nb, float *G) {
  const pack_ctx *c = ctx;
  const int64_t P = (int64_t)c->s->OH * c->s->OW, O = c->s->O;
  for (int i = 0; i < nb; i++)
    for (int64_t o = 0; o < O; o++)
      memcpy(G + (o * nb + i) * P, c->g + ((int64_t)(n0 + i) * O + o) * P, (size_t)P * sizeof *G);
}

void conv_ref_input_grad(conv_plan *p, const float *g, const float *w, float *dx) {
  pack_ctx c = {&p->s, g};
  conv_ref_backward(p, NULL, w, pack_pro, &c, NULL, NULL, dx);
}

void conv_ref_filter_grad(conv_plan *p, const float *x, const float *g, float *dw, float *db) {
  pack_ctx c = {&p->s, g};
  conv_ref_backward(p, x, NULL, pack_pro, &c, dw, db, NULL);
}

/* ---- tuning ---- */

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

double conv_cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

typedef struct tune_data {
  float *x, *w, *g, *y, *dx, *dw, *db;
} tune_data;

static void run_dirs(conv_plan *p, const tune_data *t, unsigned dirs) {
  if (dirs & CONV_FWD) conv_ref_forward(p, t->x, t->w, NULL, CONV_ACT_NONE, t->y);
  if (dirs & CONV_BWD_DATA) conv_ref_input_grad(p, t->g, t->w, t->dx);
  if (dirs & CONV_BWD_FILTER) conv_ref_filter_grad(p, t->x, t->g, t->dw, t->db);
}

/* the fastest of 3 runs after a warm-up: on a shared machine load only adds
 * time, so the minimum ranks the candidates best */
static double time_plan(conv_plan *p, const tune_data *t, unsigned dirs, double (*clock)(void)) {
  double best = INFINITY;
  run_dirs(p, t, dirs);
  for (int i = 0; i < 3; i++) {
    double t0 = clock();
    run_dirs(p, t, dirs);
    best = fmin(best, clock() - t0);
  }
  return best;
}

static float *rand_buf(int64_t n, uint64_t *state) {
  float *b = malloc((size_t)(n > 0 ? n : 1) * sizeof *b);
  for (int64_t i = 0; b && i < n; i++) {
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    b[i] = (float)((double)(*state >> 40) / (double)(1ull << 24) * 2 - 1);
  }
  return b;
}

int conv_plan_tune(conv_plan *p, const conv_shape *shape, unsigned dirs) {
  return conv_plan_tune_threads(p, shape, dirs, openblas_get_num_procs());
}

int conv_plan_tune_threads(conv_plan *p, const conv_shape *shape, unsigned dirs, int threads) {
  const conv_shape copy = *shape, *s = &copy; /* shape may point into p */
  const dims d = dims_of(s);
  uint64_t st = 12345;
  int64_t nx = (int64_t)s->N * s->C * d.HW, nw = (int64_t)s->O * d.K, ny = (int64_t)s->N * s->O * d.P;
  tune_data t = {rand_buf(nx, &st), rand_buf(nw, &st), rand_buf(ny, &st), rand_buf(ny, &st),
                 rand_buf(nx, &st), rand_buf(nw, &st), rand_buf(s->O, &st)};
  int rc = !(t.x && t.w && t.g && t.y && t.dx && t.dw && t.db);
  int procs = threads > 1 ? threads : 1, n = s->N > 1 ? s->N : 1;
  /* (images, rows) per block: whole images in chunks of 1, 4, 16, N; one
   * image in row blocks whose col block fits the cache, or half of it */
  int64_t row_bytes = col_floats(s, 1, 1) * (int64_t)sizeof(float);
  int cache_rows = row_bytes > 0 ? (int)(TUNE_COL_BLOCK_BYTES / (double)row_bytes) : s->OH;
  if (cache_rows < 2) cache_rows = 2;
  const int blocks[6][2] = {{1, s->OH}, {4, s->OH}, {16, s->OH}, {n, s->OH}, {1, cache_rows}, {1, cache_rows / 2}};
  const int threading[3][2] = {{1, 1}, {1, procs}, {procs, 1}}; /* workers, blas threads */
  double best = INFINITY;
  memset(p, 0, sizeof *p);
  for (int i = 0; i < 6 && !rc; i++) {
    int nb = blocks[i][0], rows = blocks[i][1];
    if (i < 4 && (nb > n || (i && nb <= blocks[i - 1][0]) ||
                  (i && (double)work_floats(s, nb, rows) * sizeof(float) > TUNE_MAX_WORK_BYTES)))
      continue;
    if (i >= 4 && rows >= s->OH) continue;
    for (int k = 0; k < 3 && !rc; k++) {
      if (k && procs < 2) break;
      conv_plan c;
      if ((rc = conv_plan_new(&c, s, nb, rows, threading[k][0], threading[k][1]))) break;
      double ms = time_plan(&c, &t, dirs, procs > 1 ? now_ms : conv_cpu_ms);
      if (ms < best) {
        best = ms;
        conv_plan_free(p);
        *p = c;
      } else {
        conv_plan_free(&c);
      }
    }
  }
  if (rc) conv_plan_free(p);
  free(t.x), free(t.w), free(t.g), free(t.y), free(t.dx), free(t.dw), free(t.db);
  return rc;
}

/* ---- max pooling ---- */

void pool_ref_max_forward(const float *x, int64_t NC, int H, int W, int k, float *y, int32_t *arg) {
  const int PH = H / k, PW = W / k;
  for (int64_t c = 0; c < NC; c++) {
    const float *plane = x + c * H * W;
    for (int ph = 0; ph < PH; ph++)
      for (int pw = 0; pw < PW; pw++) {
        int at = ph * k * W + pw * k;
        float m = plane[at];
        for (int i = 0; i < k; i++)
          for (int j = 0; j < k; j++) {
            int q = (ph * k + i) * W + pw * k + j;
            if (plane[q] > m) m = plane[q], at = q; /* strict: the first maximum wins */
          }
        y[(c * PH + ph) * PW + pw] = m;
        if (arg) arg[(c * PH + ph) * PW + pw] = at;
      }
  }
}

void pool_ref_max_backward(const float *gy, const int32_t *arg, int64_t NC, int H, int W, int k, float *gx) {
  const int64_t PP = (int64_t)(H / k) * (W / k);
  memset(gx, 0, (size_t)(NC * H * W) * sizeof *gx);
  for (int64_t c = 0; c < NC; c++)
    for (int64_t q = 0; q < PP; q++) gx[c * H * W + arg[c * PP + q]] += gy[c * PP + q];
}
