/* Hand-written LeNet-5 training step (see lenet_ref.h). Built with -O3
 * -march=native -ffast-math: the epilogue loops vectorize (expf from
 * libmvec). */
#define _POSIX_C_SOURCE 200809L
#include "lenet_ref.h"
#include "bench_util.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RM CblasRowMajor
#define NT CblasNoTrans
#define TR CblasTrans

enum { C1 = 20, C2 = 50, K = 5, IMG = 28, P1 = 12, P2 = 4, FC_IN = C2 * P2 * P2, FC_H = 500, NCLS = 10 };

static void set_blas_threads(int n) {
  if (openblas_get_num_threads() != n) openblas_set_num_threads(n);
}

static conv_shape layer_shape(int B, int layer) {
  conv_shape s = {B, layer == 1 ? 1 : C1, layer == 1 ? IMG : P1, layer == 1 ? IMG : P1, layer == 1 ? C1 : C2, K, K,
                  1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0};
  conv_shape_init(&s);
  return s;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* the fully connected layers' threading: whichever of 1 and all cores runs
 * the whole step (without the update) faster, the fastest of 3 runs */
static void tune_fc(lenet_ref *r) {
  float *x = calloc((size_t)r->B * IMG * IMG, sizeof *x);
  int32_t *y = calloc((size_t)r->B, sizeof *y);
  if (!x || !y) goto out;
  double best = INFINITY;
  int cand[2] = {1, openblas_get_num_procs()}, keep = 1;
  for (int c = 0; c < 2; c++) {
    if (c && cand[1] == 1) break;
    r->fc_threads = cand[c];
    lenet_ref_loss_grad(r, x, y);
    for (int i = 0; i < 3; i++) {
      double t0 = now_ms();
      lenet_ref_loss_grad(r, x, y);
      double ms = now_ms() - t0;
      if (ms < best) best = ms, keep = cand[c];
    }
  }
  r->fc_threads = keep;
out:
  free(x), free(y);
}

int lenet_ref_new(lenet_ref *r, int B, conv_act act, int tune) {
  memset(r, 0, sizeof *r);
  r->B = B, r->act = act, r->fc_threads = openblas_get_num_procs();
  const int64_t size[LENET_NPARAM] = {C1 * K * K, C1, C2 * C1 * K * K, C2, FC_IN * FC_H, FC_H, FC_H * NCLS, NCLS};
  for (int k = 0; k < LENET_NPARAM; k++) r->size[k] = size[k], r->off[k] = r->nparam, r->nparam += size[k];
  const size_t b = (size_t)B, n1 = b * C1 * P1 * P1, n2 = b * FC_IN;
  r->param = calloc((size_t)r->nparam, sizeof(float)), r->grad = calloc((size_t)r->nparam, sizeof(float));
  r->a1 = malloc(n1 * sizeof(float)), r->da1 = malloc(n1 * sizeof(float));
  r->arg1 = malloc(n1 * sizeof(int32_t)), r->arg2 = malloc(n2 * sizeof(int32_t));
  r->a2 = malloc(n2 * sizeof(float)), r->da2 = malloc(n2 * sizeof(float));
  r->h3 = malloc(b * FC_H * sizeof(float)), r->dh3 = malloc(b * FC_H * sizeof(float));
  r->p = malloc(b * NCLS * sizeof(float));
  conv_shape s1 = layer_shape(B, 1), s2 = layer_shape(B, 2);
  int bad = !(r->param && r->grad && r->a1 && r->da1 && r->arg1 && r->arg2 && r->a2 && r->da2 && r->h3 && r->dh3 &&
              r->p);
  if (!bad && tune)
    bad = conv_plan_tune(&r->conv1, &s1, CONV_FWD | CONV_BWD_FILTER) ||
          conv_plan_tune(&r->conv2, &s2, CONV_FWD | CONV_BWD_DATA | CONV_BWD_FILTER);
  else if (!bad)
    bad = conv_plan_new(&r->conv1, &s1, B, 0, 1, r->fc_threads) ||
          conv_plan_new(&r->conv2, &s2, B, 0, 1, r->fc_threads);
  if (!bad && tune) tune_fc(r);
  if (bad) lenet_ref_free(r);
  return bad;
}

void lenet_ref_free(lenet_ref *r) {
  void *bufs[] = {r->param, r->grad, r->a1, r->da1, r->arg1, r->arg2, r->a2, r->da2, r->h3, r->dh3, r->p};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) free(bufs[i]);
  conv_plan_free(&r->conv1), conv_plan_free(&r->conv2);
  memset(r, 0, sizeof *r);
}

static void fill_uniform(float *p, int64_t n, double bound, uint64_t *s) {
  for (int64_t i = 0; i < n; i++) p[i] = (float)(bound * (2 * bench_unif(s) - 1));
}

void lenet_ref_init(lenet_ref *r, uint64_t seed) {
  uint64_t s = seed * 0x2545f4914f6cdd1dull + 1;
  memset(r->param, 0, (size_t)r->nparam * sizeof(float));
  fill_uniform(r->param + r->off[LENET_W1], r->size[LENET_W1], sqrt(6.0 / (1 * K * K + C1 * K * K / 4.0)), &s);
  fill_uniform(r->param + r->off[LENET_W2], r->size[LENET_W2], sqrt(6.0 / (C1 * K * K + C2 * K * K / 4.0)), &s);
  fill_uniform(r->param + r->off[LENET_W3], r->size[LENET_W3], sqrt(6.0 / (FC_IN + FC_H)), &s);
}

static inline float tanh_f(float v) { return 1.0f - 2.0f / (1.0f + expf(2.0f * v)); }

/* ---- convolution + bias + 2x2 max-pool + activation, one epilogue ---- */

typedef struct pool_layer {
  const conv_shape *s;
  const float *bias;
  conv_act act;
  float *a;       /* [N, O, OH/2, OW/2] activated pooled output */
  int32_t *arg;   /* argmax of each window in the OH x OW plane */
  const float *da; /* backward: the gradient of a */
} pool_layer;

static void pool_act_epi(void *ctx, int n0, int nb, const float *Y) {
  const pool_layer *l = ctx;
  const int O = l->s->O, OH = l->s->OH, OW = l->s->OW, PH = OH / 2, PW = OW / 2;
  const int64_t P = (int64_t)OH * OW, PP = (int64_t)PH * PW;
  for (int i = 0; i < nb; i++)
    for (int o = 0; o < O; o++) {
      const float *plane = Y + ((int64_t)o * nb + i) * P;
      float *restrict a = l->a + ((int64_t)(n0 + i) * O + o) * PP;
      int32_t *restrict arg = l->arg + ((int64_t)(n0 + i) * O + o) * PP;
      for (int ph = 0; ph < PH; ph++)
        for (int pw = 0; pw < PW; pw++) {
          int q = 2 * ph * OW + 2 * pw, at = q; /* ties: the first in row-major order */
          if (plane[q + 1] > plane[at]) at = q + 1;
          if (plane[q + OW] > plane[at]) at = q + OW;
          if (plane[q + OW + 1] > plane[at]) at = q + OW + 1;
          a[ph * PW + pw] = plane[at], arg[ph * PW + pw] = at;
        }
      float b = l->bias[o];
      if (l->act == CONV_ACT_TANH)
        for (int64_t k = 0; k < PP; k++) a[k] = tanh_f(a[k] + b);
      else
        for (int64_t k = 0; k < PP; k++) a[k] = fmaxf(a[k] + b, 0.0f);
    }
}

/* G [O][nb][OH*OW] = da * act'(a) routed to each window's maximum */
static void pool_act_pro(void *ctx, int n0, int nb, float *G) {
  const pool_layer *l = ctx;
  const int O = l->s->O;
  const int64_t P = (int64_t)l->s->OH * l->s->OW, PP = (int64_t)(l->s->OH / 2) * (l->s->OW / 2);
  memset(G, 0, (size_t)(O * nb * P) * sizeof *G);
  for (int i = 0; i < nb; i++)
    for (int o = 0; o < O; o++) {
      float *plane = G + ((int64_t)o * nb + i) * P;
      int64_t base = ((int64_t)(n0 + i) * O + o) * PP;
      const float *a = l->a + base, *da = l->da + base;
      const int32_t *arg = l->arg + base;
      for (int64_t k = 0; k < PP; k++) {
        float d = l->act == CONV_ACT_TANH ? da[k] * (1 - a[k] * a[k]) : (a[k] > 0 ? da[k] : 0.0f);
        plane[arg[k]] += d;
      }
    }
}

/* ---- the network ---- */

static pool_layer layer(lenet_ref *r, int which) {
  pool_layer l = {which == 1 ? &r->conv1.s : &r->conv2.s,
                  r->param + r->off[which == 1 ? LENET_B1 : LENET_B2],
                  r->act,
                  which == 1 ? r->a1 : r->a2,
                  which == 1 ? r->arg1 : r->arg2,
                  which == 1 ? r->da1 : r->da2};
  return l;
}

/* out = act(out + bias) per row (act NONE: bias only) */
static void bias_act_rows(float *restrict out, const float *restrict bias, int rows, int cols, conv_act act) {
  for (int i = 0; i < rows; i++) {
    float *o = out + (int64_t)i * cols;
    if (act == CONV_ACT_TANH)
      for (int k = 0; k < cols; k++) o[k] = tanh_f(o[k] + bias[k]);
    else if (act == CONV_ACT_RELU)
      for (int k = 0; k < cols; k++) o[k] = fmaxf(o[k] + bias[k], 0.0f);
    else
      for (int k = 0; k < cols; k++) o[k] += bias[k];
  }
}

static void forward(lenet_ref *r, const float *x) {
  const float *p = r->param;
  pool_layer l1 = layer(r, 1), l2 = layer(r, 2);
  conv_ref_forward_epi(&r->conv1, x, p + r->off[LENET_W1], pool_act_epi, &l1);
  conv_ref_forward_epi(&r->conv2, r->a1, p + r->off[LENET_W2], pool_act_epi, &l2);
  set_blas_threads(r->fc_threads);
  cblas_sgemm(RM, NT, NT, r->B, FC_H, FC_IN, 1, r->a2, FC_IN, p + r->off[LENET_W3], FC_H, 0, r->h3, FC_H);
  bias_act_rows(r->h3, p + r->off[LENET_B3], r->B, FC_H, r->act);
  cblas_sgemm(RM, NT, NT, r->B, NCLS, FC_H, 1, r->h3, FC_H, p + r->off[LENET_W4], NCLS, 0, r->p, NCLS);
  bias_act_rows(r->p, p + r->off[LENET_B4], r->B, NCLS, CONV_ACT_NONE);
}

/* summed cross-entropy of the logits; with grad, P becomes
 * (softmax - onehot) * scale */
static double xent(float *restrict P, const int32_t *restrict y, int n, float scale, int grad) {
  double loss = 0;
  for (int r = 0; r < n; r++) {
    float *p = P + (int64_t)r * NCLS, mx = p[0];
    double s = 0;
    for (int k = 1; k < NCLS; k++) mx = fmaxf(mx, p[k]);
    for (int k = 0; k < NCLS; k++) s += exp((double)(p[k] - mx));
    loss += log(s) - (double)(p[y[r]] - mx);
    if (!grad) continue;
    for (int k = 0; k < NCLS; k++) p[k] = (float)(exp((double)(p[k] - mx)) / s) * scale;
    p[y[r]] -= scale;
  }
  return loss;
}

double lenet_ref_loss(lenet_ref *r, const float *x, const int32_t *y) {
  forward(r, x);
  return xent(r->p, y, r->B, 0, 0) / r->B;
}

static void colsum(const float *restrict A, int rows, int cols, float *restrict out) {
  memset(out, 0, (size_t)cols * sizeof *out);
  for (int i = 0; i < rows; i++)
    for (int k = 0; k < cols; k++) out[k] += A[(int64_t)i * cols + k];
}

double lenet_ref_loss_grad(lenet_ref *r, const float *x, const int32_t *y) {
  forward(r, x);
  double loss = xent(r->p, y, r->B, 1.0f / (float)r->B, 1) / r->B;
  const float *p = r->param;
  float *g = r->grad;
  /* output layer, then the hidden layer with its activation derivative */
  cblas_sgemm(RM, TR, NT, FC_H, NCLS, r->B, 1, r->h3, FC_H, r->p, NCLS, 0, g + r->off[LENET_W4], NCLS);
  colsum(r->p, r->B, NCLS, g + r->off[LENET_B4]);
  cblas_sgemm(RM, NT, TR, r->B, FC_H, NCLS, 1, r->p, NCLS, p + r->off[LENET_W4], NCLS, 0, r->dh3, FC_H);
  for (int64_t i = 0; i < (int64_t)r->B * FC_H; i++)
    r->dh3[i] *= r->act == CONV_ACT_TANH ? 1 - r->h3[i] * r->h3[i] : (r->h3[i] > 0 ? 1.0f : 0.0f);
  cblas_sgemm(RM, TR, NT, FC_IN, FC_H, r->B, 1, r->a2, FC_IN, r->dh3, FC_H, 0, g + r->off[LENET_W3], FC_H);
  colsum(r->dh3, r->B, FC_H, g + r->off[LENET_B3]);
  cblas_sgemm(RM, NT, TR, r->B, FC_IN, FC_H, 1, r->dh3, FC_H, p + r->off[LENET_W3], FC_H, 0, r->da2, FC_IN);
  /* convolutions: the pooling's routing and act' in the prologues */
  pool_layer l1 = layer(r, 1), l2 = layer(r, 2);
  conv_ref_backward(&r->conv2, r->a1, p + r->off[LENET_W2], pool_act_pro, &l2, g + r->off[LENET_W2],
                    g + r->off[LENET_B2], r->da1);
  conv_ref_backward(&r->conv1, x, NULL, pool_act_pro, &l1, g + r->off[LENET_W1], g + r->off[LENET_B1], NULL);
  return loss;
}

void lenet_ref_sgd(lenet_ref *r, float lr) {
  float *restrict p = r->param;
  const float *restrict g = r->grad;
  for (int64_t i = 0; i < r->nparam; i++) p[i] -= lr * g[i];
}

double lenet_ref_step(lenet_ref *r, const float *x, const int32_t *y, float lr) {
  double loss = lenet_ref_loss_grad(r, x, y);
  lenet_ref_sgd(r, lr);
  return loss;
}
