/* Pooling kernels against hand-written C loops measured in the same run
 * (ratios; docs/decisions/0023-pool-kernels.md). LeNet's two pools, 2x2
 * stride 2 on [64,20,24,24] and [64,50,8,8]:
 *   max_pool2d              vs  C: max over each window
 *   tanh(max_pool2d(x))     vs  C: the same loop with tanhf (fused epilogue)
 *   max_pool2d_grad(x, g)   vs  C: zero dx, argmax per window, dx += g
 *   avg_pool2d              vs  C: sum / 4
 * symjit runs on one thread (num_threads = 1) so that the ratio compares
 * code, not cores; the all-cores time is printed beside it. symjit's
 * time includes allocating its output on each call (functions built with
 * the graph API return fresh tensors); the C loops write into
 * preallocated buffers.
 * Usage: pool_bench [reps] (default 25). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symjit/graph.h"
#include "bench_util.h"

typedef struct shape {
  int64_t n, c, h, w;
} shape;

/* ---- the C references (built -O3 -march=native -ffast-math) ---- */

typedef struct cref {
  const float *x, *g;
  float *y, *dx;
  shape s;
  int kind; /* 0 max, 1 tanh(max), 2 max grad, 3 avg, 4 avg grad */
} cref;

static void c_pool(void *p) {
  cref *r = p;
  int64_t H = r->s.h, W = r->s.w, OH = H / 2, OW = W / 2;
  for (int64_t pl = 0; pl < r->s.n * r->s.c; pl++) {
    const float *x = r->x + pl * H * W;
    float *y = r->y + pl * OH * OW;
    for (int64_t i = 0; i < OH; i++)
      for (int64_t j = 0; j < OW; j++) {
        const float *a = x + 2 * i * W + 2 * j, *b = a + W;
        if (r->kind == 3) {
          y[i * OW + j] = (a[0] + a[1] + b[0] + b[1]) / 4.0f;
          continue;
        }
        float m = fmaxf(fmaxf(a[0], a[1]), fmaxf(b[0], b[1]));
        y[i * OW + j] = r->kind == 1 ? tanhf(m) : m;
      }
  }
}

static void c_avg_grad(void *p) {
  cref *r = p;
  int64_t H = r->s.h, W = r->s.w, OH = H / 2, OW = W / 2;
  for (int64_t pl = 0; pl < r->s.n * r->s.c; pl++) {
    const float *g = r->g + pl * OH * OW;
    float *dx = r->dx + pl * H * W;
    for (int64_t i = 0; i < H; i++)
      for (int64_t j = 0; j < W; j++) dx[i * W + j] = g[(i / 2) * OW + j / 2] / 4.0f;
  }
}

static void c_pool_grad(void *p) {
  cref *r = p;
  int64_t H = r->s.h, W = r->s.w, OH = H / 2, OW = W / 2;
  for (int64_t pl = 0; pl < r->s.n * r->s.c; pl++) {
    const float *x = r->x + pl * H * W, *g = r->g + pl * OH * OW;
    float *dx = r->dx + pl * H * W;
    memset(dx, 0, (size_t)(H * W) * sizeof *dx);
    for (int64_t i = 0; i < OH; i++)
      for (int64_t j = 0; j < OW; j++) {
        int64_t at = 2 * i * W + 2 * j, best = at;
        int64_t cand[3] = {at + 1, at + W, at + W + 1};
        for (int k = 0; k < 3; k++)
          if (x[cand[k]] > x[best]) best = cand[k];
        dx[best] += g[i * OW + j];
      }
  }
}

/* ---- symjit ---- */

typedef struct jcall {
  sj_ctx *ctx;
  sj_function *f;
  sj_tensor **in, **out;
  size_t nin;
} jcall;

static void j_run(void *p) {
  jcall *c = p;
  sj_tensor_free(c->out[0]);
  c->out[0] = NULL;
  if (sj_function_call(c->f, c->in, c->nin, c->out, 1) != SJ_OK) {
    fprintf(stderr, "call: %s\n", sj_ctx_errmsg(c->ctx));
    exit(1);
  }
}

static double time_sj(sj_ctx *ctx, sj_var **ins, size_t nin, sj_var *out, sj_tensor **vals, sj_tensor **res, int threads, int reps) {
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.num_threads = threads;
  o.tiered = 0;
  jcall c = {ctx, NULL, vals, res, nin};
  if (sj_compile(ctx, ins, nin, &out, 1, NULL, 0, NULL, 0, &o, &c.f) != SJ_OK) {
    fprintf(stderr, "compile: %s\n", sj_ctx_errmsg(ctx));
    exit(1);
  }
  double ms = bench_median_ms(j_run, &c, reps);
  sj_function_free(c.f);
  return ms;
}

static void bench_shape(shape s, int reps) {
  sj_ctx *c = sj_ctx_new();
  int64_t xd[4] = {s.n, s.c, s.h, s.w}, yd[4] = {s.n, s.c, s.h / 2, s.w / 2};
  sj_var *x = sj_input(c, "x", SJ_F32, 4, xd), *g = sj_input(c, "g", SJ_F32, 4, yd);
  sj_tensor *xv = sj_tensor_new(SJ_F32, 4, xd), *gv = sj_tensor_new(SJ_F32, 4, yd);
  sj_tensor_fill_uniform(xv, 1, -1, 1), sj_tensor_fill_uniform(gv, 2, -1, 1);
  float *yref = malloc((size_t)(yd[0] * yd[1] * yd[2] * yd[3]) * sizeof(float));
  float *dxref = malloc((size_t)(xd[0] * xd[1] * xd[2] * xd[3]) * sizeof(float));
  sj_pool2d_opts o = {.window = {2, 2}, .ignore_border = 1};
  sj_var *pooled = sj_max_pool2d(x, &o), *cost = sj_sum(sj_mul(pooled, g), 0, NULL, 0), *dx = NULL;
  sj_var *avg = sj_avg_pool2d(x, &o), *acost = sj_sum(sj_mul(avg, g), 0, NULL, 0), *adx = NULL;
  if (sj_grad(cost, &x, 1, &dx) != SJ_OK || sj_grad(acost, &x, 1, &adx) != SJ_OK) {
    fprintf(stderr, "grad: %s\n", sj_ctx_errmsg(c));
    exit(1);
  }
  sj_var *xg[2] = {x, g};
  sj_tensor *xgv[2] = {xv, gv};
  struct {
    const char *name;
    sj_var *out;
    int nin, kind;
  } cases[5] = {{"max_pool2d", pooled, 1, 0},
                {"tanh(max_pool2d)", sj_tanh(pooled), 1, 1},
                {"max_pool2d_grad", dx, 2, 2},
                {"avg_pool2d", avg, 1, 3},
                {"avg_pool2d_grad", adx, 2, 4}};
  for (int k = 0; k < 5; k++) {
    cref r = {sj_tensor_data(xv), sj_tensor_data(gv), yref, dxref, s, cases[k].kind};
    bool grad = cases[k].kind >= 2 && cases[k].kind != 3;
    bench_fn cfn = cases[k].kind == 2 ? c_pool_grad : cases[k].kind == 4 ? c_avg_grad : c_pool;
    sj_tensor *res = NULL;
    double ref = bench_median_ms(cfn, &r, reps);
    double one = time_sj(c, xg, (size_t)cases[k].nin, cases[k].out, xgv, &res, 1, reps);
    double ref2 = bench_median_ms(cfn, &r, reps); /* the load may drift: bracket */
    double all = time_sj(c, xg, (size_t)cases[k].nin, cases[k].out, xgv, &res, 0, reps);
    /* the same answer as the reference (max is exact; the average's sum
     * order is the same; tanh within libmvec's error) */
    const float *want = grad ? dxref : yref, *got = sj_tensor_data(res);
    double err = 0;
    for (int64_t i = 0; i < sj_tensor_numel(res); i++) err = fmax(err, fabs((double)want[i] - (double)got[i]));
    double cm = (ref + ref2) / 2;
    printf("[%lld,%lld,%lld,%lld] %-18s C %.3f ms  symjit 1 thread %.3f ms (ratio %.2f)  all cores %.3f ms  max|diff| %.2g\n",
           (long long)s.n, (long long)s.c, (long long)s.h, (long long)s.w, cases[k].name, cm, one, one / cm, all, err);
    sj_tensor_free(res);
  }
  sj_tensor_free(xv), sj_tensor_free(gv);
  free(yref), free(dxref);
  sj_ctx_free(c);
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 25;
  bench_shape((shape){64, 20, 24, 24}, reps);
  bench_shape((shape){64, 50, 8, 8}, reps);
  return 0;
}
