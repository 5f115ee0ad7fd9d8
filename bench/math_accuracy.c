/* Accuracy and speed of compiled transcendental functions (f32): max error
 * in ulps against a double-precision reference over a dense sweep of each
 * function's domain, and time per element against a scalar libm loop
 * measured in the same run. Prints `MATH <fn> max_ulp=.. symjit_ns=..
 * libm_ns=..` lines. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "symjit/symjit.h"

#define SWEEP (1 << 20)
#define TIMED (1 << 16)
#define REPS 50

typedef struct fn {
  const char *name;
  double lo, hi;
  double (*ref)(double);
} fn;

static double sigmoid(double x) { return 1 / (1 + exp(-x)); }
static double softplus(double x) { return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)); }
static double rsqrt(double x) { return 1 / sqrt(x); }

static const fn fns[] = {
    {"exp", -87, 88, exp},        {"log", 1e-30, 1e30, log},        {"log1p", -0.99, 1e6, log1p},
    {"expm1", -20, 20, expm1},    {"tanh", -10, 10, tanh},          {"sigmoid", -30, 30, sigmoid},
    {"softplus", -30, 30, softplus}, {"sqrt", 0, 1e30, sqrt},        {"rsqrt", 1e-30, 1e30, rsqrt},
};

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double ulp_err(float got, double ref) {
  if (isnan(ref)) return isnan(got) ? 0 : INFINITY;
  float r = (float)ref;
  if (isinf(r)) return got == r ? 0 : INFINITY;
  double ulp = fabs((double)nextafterf(r, INFINITY) - (double)r);
  return fabs((double)got - ref) / ulp;
}

/* Scalar libm reference for timing (the loop a plain C compiler emits). */
static float sigmoidf(float v) { return 1 / (1 + expf(-v)); }
static float softplusf(float v) { return fmaxf(v, 0) + log1pf(expf(-fabsf(v))); }
static float rsqrtf(float v) { return 1 / sqrtf(v); }

typedef float (*scalar_fn)(float);

static scalar_fn libm_of(const char *name) {
  static const struct {
    const char *name;
    scalar_fn f;
  } t[] = {{"exp", expf},         {"log", logf},           {"log1p", log1pf}, {"expm1", expm1f}, {"tanh", tanhf},
           {"sigmoid", sigmoidf}, {"softplus", softplusf}, {"sqrt", sqrtf},   {"rsqrt", rsqrtf}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    if (!strcmp(t[i].name, name)) return t[i].f;
  return NULL;
}

static void libm_loop(scalar_fn f, const float *x, float *y, int n) {
  for (int i = 0; i < n; i++) y[i] = f(x[i]);
}

static void measure(sj_ctx *c, const fn *f) {
  char src[256];
  snprintf(src, sizeof src, "func @f(%%x: f32[?]) -> (f32[?]) {\n  %%0 = %s %%x : f32[?]\n  return %%0\n}\n", f->name);
  sj_module *m;
  sj_function *fun;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.num_threads = 1;
  if (sj_module_parse(c, src, strlen(src), f->name, &m) || sj_module_compile(m, "f", &o, &fun)) {
    fprintf(stderr, "%s", sj_ctx_errmsg(c));
    return;
  }
  sj_function_wait(fun);
  int64_t n = SWEEP;
  sj_tensor *x = sj_tensor_new(SJ_F32, 1, &n), *y = sj_tensor_new(SJ_F32, 1, &n);
  float *xs = sj_tensor_data(x), *ys = sj_tensor_data(y);
  /* geometric sweep for wide positive domains, linear otherwise */
  bool geo = f->lo > 0 && f->hi / f->lo > 1e6;
  for (int64_t i = 0; i < n; i++) {
    double t = (double)i / (double)(n - 1);
    xs[i] = (float)(geo ? f->lo * pow(f->hi / f->lo, t) : f->lo + (f->hi - f->lo) * t);
  }
  sj_function_call_into(fun, &x, 1, &y, 1);
  double worst = 0;
  float at = 0;
  for (int64_t i = 0; i < n; i++) {
    double e = ulp_err(ys[i], f->ref((double)xs[i]));
    if (e > worst) worst = e, at = xs[i];
  }
  /* timing on a cache-resident block, single thread */
  int64_t tn = TIMED;
  sj_tensor *tx = sj_tensor_new(SJ_F32, 1, &tn), *ty = sj_tensor_new(SJ_F32, 1, &tn);
  memcpy(sj_tensor_data(tx), xs + (n / 2 - tn / 2), (size_t)tn * sizeof(float));
  double t0 = now_ns();
  for (int r = 0; r < REPS; r++) sj_function_call_into(fun, &tx, 1, &ty, 1);
  double t_sj = (now_ns() - t0) / REPS / (double)tn;
  t0 = now_ns();
  scalar_fn sf = libm_of(f->name);
  for (int r = 0; r < REPS; r++) libm_loop(sf, sj_tensor_data(tx), sj_tensor_data(ty), (int)tn);
  double t_libm = (now_ns() - t0) / REPS / (double)tn;
  printf("MATH %-8s max_ulp=%.2f (at x=%.6g) symjit_ns=%.3f libm_ns=%.3f speedup=%.1f domain=[%g,%g]\n", f->name, worst,
         (double)at, t_sj, t_libm, t_libm / t_sj, f->lo, f->hi);
  sj_tensor_free(x), sj_tensor_free(y), sj_tensor_free(tx), sj_tensor_free(ty);
  sj_function_free(fun);
}

int main(void) {
  sj_ctx *c = sj_ctx_new();
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) measure(c, &fns[i]);
  sj_ctx_free(c);
  return 0;
}
