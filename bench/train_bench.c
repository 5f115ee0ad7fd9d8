/* One training step (forward + gradient + SGD update) of logistic regression
 * (batch 256, 784->10) and of the MLP (batch 128, 784-256-128-10, relu):
 * symjit (graph API: sj_grad + updates) against the same step written by
 * hand in C with OpenBLAS, measured in the same run on random data. */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "symjit/graph.h"

#define REPS 30
#define NL 3


/* ---- hand-written reference ---- */

typedef struct ref_net {
  int nl, batch;
  int sizes[NL + 1];
  float *W[NL], *b[NL], *act[NL + 1], *grad[NL + 1], *dW[NL];
  const int32_t *y;
  float lr;
} ref_net;

static void ref_step(void *p) {
  ref_net *r = p;
  int B = r->batch;
  for (int l = 0; l < r->nl; l++) { /* forward */
    int n = r->sizes[l], m = r->sizes[l + 1];
    float *z = r->act[l + 1];
    for (int i = 0; i < B; i++) memcpy(z + i * m, r->b[l], (size_t)m * sizeof *z);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, m, n, 1, r->act[l], n, r->W[l], m, 1, z, m);
    if (l + 1 < r->nl)
      for (int i = 0; i < B * m; i++) z[i] = z[i] > 0 ? z[i] : 0;
  }
  int C = r->sizes[r->nl];
  float *z = r->act[r->nl], *g = r->grad[r->nl];
  for (int i = 0; i < B; i++) { /* softmax cross-entropy gradient */
    float mx = z[i * C];
    for (int k = 1; k < C; k++) mx = fmaxf(mx, z[i * C + k]);
    float s = 0;
    for (int k = 0; k < C; k++) s += expf(z[i * C + k] - mx);
    for (int k = 0; k < C; k++) g[i * C + k] = (expf(z[i * C + k] - mx) / s - (k == r->y[i])) / (float)B;
  }
  for (int l = r->nl - 1; l >= 0; l--) { /* backward + update */
    int n = r->sizes[l], m = r->sizes[l + 1];
    float *gl = r->grad[l + 1];
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, m, B, 1, r->act[l], n, gl, m, 0, r->dW[l], m);
    if (l > 0) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, n, m, 1, gl, m, r->W[l], m, 0, r->grad[l], n);
      for (int i = 0; i < B * n; i++) r->grad[l][i] = r->act[l][i] > 0 ? r->grad[l][i] : 0;
    }
    for (int k = 0; k < m; k++) {
      float db = 0;
      for (int i = 0; i < B; i++) db += gl[i * m + k];
      r->b[l][k] -= r->lr * db;
    }
    for (int i = 0; i < n * m; i++) r->W[l][i] -= r->lr * r->dW[l][i];
  }
}

/* ---- symjit ---- */

typedef struct sj_env {
  sj_function *f;
  sj_tensor *in[2];
} sj_env;

static void sj_step(void *p) {
  sj_env *e = p;
  sj_tensor *loss = NULL;
  if (sj_function_call(e->f, e->in, 2, &loss, 1) != SJ_OK) exit(1);
  sj_tensor_free(loss);
}

static void bench(const char *name, int nl, const int *sizes, int batch) {
  sj_ctx *c = sj_ctx_new();
  int64_t xd[2] = {-1, sizes[0]}, yd[1] = {-1};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, xd), *y = sj_input(c, "y", SJ_I32, 1, yd), *h = x;
  sj_var *params[2 * NL], *grads[2 * NL];
  ref_net r = {.nl = nl, .batch = batch, .lr = 0.01f};
  for (int l = 0; l < nl; l++) {
    int64_t wd[2] = {sizes[l], sizes[l + 1]}, bd[1] = {sizes[l + 1]};
    sj_tensor *w = sj_tensor_new(SJ_F32, 2, wd), *b = sj_tensor_new(SJ_F32, 1, bd);
    sj_tensor_fill_uniform(w, (uint64_t)l + 1, -0.05, 0.05);
    params[2 * l] = sj_shared(c, "W", w), params[2 * l + 1] = sj_shared(c, "b", b);
    r.W[l] = malloc(sj_tensor_nbytes(w)), r.b[l] = calloc((size_t)sizes[l + 1], sizeof(float));
    r.dW[l] = malloc(sj_tensor_nbytes(w));
    memcpy(r.W[l], sj_tensor_data(w), sj_tensor_nbytes(w));
    sj_tensor_free(w), sj_tensor_free(b);
    h = sj_add(sj_matmul(h, params[2 * l]), params[2 * l + 1]);
    if (l + 1 < nl) h = sj_relu(h);
  }
  for (int l = 0; l <= nl; l++) {
    r.sizes[l] = sizes[l];
    r.act[l] = malloc((size_t)batch * (size_t)sizes[l] * sizeof(float));
    r.grad[l] = malloc((size_t)batch * (size_t)sizes[l] * sizeof(float));
  }
  sj_var *loss = sj_crossentropy(h, y), *lr = sj_scalar(c, 0.01, SJ_F32);
  sj_grad(loss, params, (size_t)(2 * nl), grads);
  sj_update upd[2 * NL];
  for (int p = 0; p < 2 * nl; p++) upd[p] = (sj_update){params[p], sj_sub(params[p], sj_mul(lr, grads[p]))};
  sj_var *ins[2] = {x, y};
  sj_env e = {0};
  double t0 = bench_now_ms();
  if (sj_compile(c, ins, 2, &loss, 1, upd, (size_t)(2 * nl), NULL, 0, NULL, &e.f) != SJ_OK) {
    fprintf(stderr, "%s", sj_ctx_errmsg(c));
    exit(1);
  }
  double compile_ms = bench_now_ms() - t0;
  sj_function_wait(e.f);
  double full_ms = bench_now_ms() - t0;
  int64_t bx[2] = {batch, sizes[0]}, by[1] = {batch};
  e.in[0] = sj_tensor_new(SJ_F32, 2, bx), e.in[1] = sj_tensor_new(SJ_I32, 1, by);
  sj_tensor_fill_uniform(e.in[0], 99, 0, 1);
  sj_tensor_fill_uniform(e.in[1], 98, 0, sizes[nl]);
  memcpy(r.act[0], sj_tensor_data(e.in[0]), sj_tensor_nbytes(e.in[0]));
  r.y = sj_tensor_data(e.in[1]);
  /* symjit runs OpenBLAS single-threaded and splits GEMMs over its own pool;
   * the reference gets OpenBLAS's own 2 threads */
  openblas_set_num_threads(1);
  double t_sj = bench_median_ms(sj_step, &e, REPS);
  openblas_set_num_threads(2);
  double t_ref = bench_median_ms(ref_step, &r, REPS);
  printf("BENCH %s symjit_ms=%.3f ref_ms=%.3f ratio=%.3f gbps=0 compile_ms=%.1f optimized_ms=%.1f\n", name, t_sj, t_ref,
         t_sj / t_ref, compile_ms, full_ms);
  for (int l = 0; l < nl; l++) free(r.W[l]), free(r.b[l]), free(r.dW[l]);
  for (int l = 0; l <= nl; l++) free(r.act[l]), free(r.grad[l]);
  sj_tensor_free(e.in[0]), sj_tensor_free(e.in[1]);
  sj_function_free(e.f);
  sj_ctx_free(c);
}

int main(void) {
  const int lr_sizes[2] = {784, 10}, mlp_sizes[4] = {784, 256, 128, 10};
  /* numbers from machines whose OpenBLAS picked other kernels do not compare */
  printf("openblas core: %s\n", openblas_get_corename());
  bench("logreg_step_b256", 1, lr_sizes, 256);
  bench("mlp_step_b128", 3, mlp_sizes, 128);
  return 0;
}
