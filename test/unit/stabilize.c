/* Stabilization through the graph API (docs/stabilize.md): naive spellings
 * built with sj_log/sj_exp/..., differentiated with sj_grad (which builds
 * the naive gradient: exp(x) / (1 + exp(x)) and friends) and compiled; the
 * values and gradients at x = +-800, +-1e4 must be finite and right, in
 * f32 and f64. Also sj_logaddexp: its IEEE cases and a central-difference
 * check of its gradient, broadcast. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "symjit/graph.h"

#include "check.h"

#define N 9
static const double xs[N] = {-1e4, -800, -100, -1, 0, 1, 100, 800, 1e4};
static const double ys[N] = {-1e4, 800, -100, -2, 0, 1, 99, 800, -1e4};

static double sigmoid(double x) { return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)); }
static double softplus(double x) { return fmax(x, 0) + log1p(exp(-fabs(x))); }

typedef sj_var *(*build_fn)(sj_ctx *c, sj_var *x, sj_var *y, sj_dtype dt);
/* Expected value of the built expression at one element, and its partial
 * derivatives in x and y. */
typedef void (*expect_fn)(double x, double y, double *v, double *dx, double *dy);

static sj_var *one(sj_ctx *c, sj_dtype dt) { return sj_scalar(c, 1.0, dt); }

static sj_var *b_softplus(sj_ctx *c, sj_var *x, sj_var *y, sj_dtype dt) {
  (void)y;
  return sj_log(sj_add(one(c, dt), sj_exp(x)));
}
static void e_softplus(double x, double y, double *v, double *dx, double *dy) {
  (void)y;
  *v = softplus(x), *dx = sigmoid(x), *dy = 0;
}

static sj_var *b_sigmoid(sj_ctx *c, sj_var *x, sj_var *y, sj_dtype dt) {
  (void)y;
  sj_var *e = sj_exp(x);
  return sj_div(e, sj_add(one(c, dt), e));
}
static sj_var *b_sigmoid_recip(sj_ctx *c, sj_var *x, sj_var *y, sj_dtype dt) {
  (void)y;
  return sj_div(one(c, dt), sj_add(one(c, dt), sj_exp(sj_neg(x))));
}
static void e_sigmoid(double x, double y, double *v, double *dx, double *dy) {
  (void)y;
  *v = sigmoid(x), *dx = sigmoid(x) * sigmoid(-x), *dy = 0;
}

static sj_var *b_log_sigmoid(sj_ctx *c, sj_var *x, sj_var *y, sj_dtype dt) {
  (void)c, (void)y, (void)dt;
  return sj_log(sj_sigmoid(x));
}
static void e_log_sigmoid(double x, double y, double *v, double *dx, double *dy) {
  (void)y;
  *v = -softplus(-x), *dx = sigmoid(-x), *dy = 0;
}

static sj_var *b_log1m_sigmoid(sj_ctx *c, sj_var *x, sj_var *y, sj_dtype dt) {
  (void)y;
  return sj_log(sj_sub(one(c, dt), sj_sigmoid(x)));
}
static void e_log1m_sigmoid(double x, double y, double *v, double *dx, double *dy) {
  (void)y;
  *v = -softplus(x), *dx = -sigmoid(x), *dy = 0;
}

static sj_var *b_logaddexp_naive(sj_ctx *c, sj_var *x, sj_var *y, sj_dtype dt) {
  (void)c, (void)dt;
  return sj_log(sj_add(sj_exp(x), sj_exp(y)));
}
static sj_var *b_logaddexp(sj_ctx *c, sj_var *x, sj_var *y, sj_dtype dt) {
  (void)c, (void)dt;
  return sj_logaddexp(x, y);
}
static void e_logaddexp(double x, double y, double *v, double *dx, double *dy) {
  *v = fmax(x, y) + log1p(exp(-fabs(x - y))), *dx = sigmoid(x - y), *dy = sigmoid(y - x);
}

static sj_tensor *vec(sj_dtype dt, const double *v) {
  int64_t d = N;
  sj_tensor *t = sj_tensor_new(dt, 1, &d);
  for (int i = 0; i < N; i++) sj_tensor_set(t, i, v[i]);
  return t;
}

/* |got - want| within a few ulp of the dtype, relative to max(1, |want|). */
static bool close(double got, double want, sj_dtype dt) {
  double tol = dt == SJ_F32 ? 1e-5 : 1e-12;
  return isfinite(got) && fabs(got - want) <= tol * fmax(1, fabs(want));
}

/* Compiles the value (elementwise) and the gradient of its sum in x (and
 * y when the expression has two inputs) and compares them with `ex` at
 * every point of xs, ys. */
static void check_case(const char *name, build_fn b, expect_fn ex, int nin, sj_dtype dt) {
  sj_ctx *c = sj_ctx_new();
  int64_t d = N;
  sj_var *x = sj_input(c, "x", dt, 1, &d), *y = nin == 2 ? sj_input(c, "y", dt, 1, &d) : NULL;
  sj_var *v = b(c, x, y, dt), *in[2] = {x, y}, *outs[3] = {v, NULL, NULL};
  sj_function *f = NULL;
  bool ok = sj_grad(sj_sum(v, 0, NULL, 0), in, (size_t)nin, &outs[1]) == SJ_OK &&
            sj_compile(c, in, (size_t)nin, outs, (size_t)nin + 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK;
  if (!ok) fprintf(stderr, "%s: %s\n", name, sj_ctx_errmsg(c));
  CHECK(ok);
  sj_tensor *args[2] = {vec(dt, xs), vec(dt, ys)}, *r[3] = {0};
  if (ok) CHECK(sj_function_call(f, args, (size_t)nin, r, (size_t)nin + 1) == SJ_OK);
  for (int i = 0; ok && r[0] && i < N; i++) {
    double xv = sj_tensor_get(args[0], i), yv = sj_tensor_get(args[1], i), want[3];
    ex(xv, yv, &want[0], &want[1], &want[2]);
    for (int k = 0; k <= nin; k++) {
      double got = sj_tensor_get(r[k], i);
      if (!close(got, want[k], dt)) {
        fprintf(stderr, "%s %s: out%d at x=%g y=%g: got %.17g, want %.17g\n", name, dt == SJ_F32 ? "f32" : "f64",
                k, xv, yv, got, want[k]);
        failures++;
      }
    }
  }
  for (int k = 0; k < 3; k++) sj_tensor_free(r[k]);
  sj_tensor_free(args[0]), sj_tensor_free(args[1]);
  sj_function_free(f);
  sj_ctx_free(c);
}

static void test_extremes(void) {
  static const struct {
    const char *name;
    build_fn b;
    expect_fn e;
    int nin;
  } cases[] = {
      {"log(1 + exp(x))", b_softplus, e_softplus, 1},
      {"exp(x) / (1 + exp(x))", b_sigmoid, e_sigmoid, 1},
      {"1 / (1 + exp(-x))", b_sigmoid_recip, e_sigmoid, 1},
      {"log(sigmoid(x))", b_log_sigmoid, e_log_sigmoid, 1},
      {"log(1 - sigmoid(x))", b_log1m_sigmoid, e_log1m_sigmoid, 1},
      {"log(exp(x) + exp(y))", b_logaddexp_naive, e_logaddexp, 2},
      {"logaddexp(x, y)", b_logaddexp, e_logaddexp, 2},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    check_case(cases[i].name, cases[i].b, cases[i].e, cases[i].nin, SJ_F32);
    check_case(cases[i].name, cases[i].b, cases[i].e, cases[i].nin, SJ_F64);
  }
}

/* logaddexp at the infinities and NaN, through the graph API. */
static void test_logaddexp_ieee(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d = 7;
  sj_var *a = sj_input(c, "a", SJ_F64, 1, &d), *b = sj_input(c, "b", SJ_F64, 1, &d);
  sj_var *r = sj_logaddexp(a, b), *in[2] = {a, b};
  sj_function *f = NULL;
  CHECK(sj_compile(c, in, 2, &r, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
  const double av[7] = {-INFINITY, INFINITY, INFINITY, INFINITY, NAN, 3, -INFINITY};
  const double bv[7] = {-INFINITY, INFINITY, -INFINITY, 2, INFINITY, NAN, 5};
  const double want[7] = {-INFINITY, INFINITY, INFINITY, INFINITY, NAN, NAN, 5};
  sj_tensor *args[2] = {sj_tensor_from(SJ_F64, 1, &d, av), sj_tensor_from(SJ_F64, 1, &d, bv)}, *out = NULL;
  CHECK(f && sj_function_call(f, args, 2, &out, 1) == SJ_OK);
  for (int i = 0; out && i < 7; i++) {
    double got = sj_tensor_get(out, i);
    bool same = isnan(want[i]) ? isnan(got) : got == want[i];
    if (!same) fprintf(stderr, "logaddexp(%g, %g) = %g, want %g\n", av[i], bv[i], got, want[i]);
    CHECK(same);
  }
  sj_tensor_free(out), sj_tensor_free(args[0]), sj_tensor_free(args[1]);
  sj_function_free(f);
  sj_ctx_free(c);
}

/* Central differences in double of sum(logaddexp(A, v) * A) with v
 * broadcast over A's rows: the broadcast operand's gradient sums. */
static void test_logaddexp_fd(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t da[2] = {3, 4}, dv = 4;
  sj_var *A = sj_input(c, "A", SJ_F64, 2, da), *v = sj_input(c, "v", SJ_F64, 1, &dv);
  sj_var *cost = sj_sum(sj_mul(sj_logaddexp(A, v), A), 0, NULL, 0), *in[2] = {A, v}, *g[2];
  sj_function *fc = NULL, *fg = NULL;
  bool ok = sj_grad(cost, in, 2, g) == SJ_OK && sj_compile(c, in, 2, &cost, 1, NULL, 0, NULL, 0, NULL, &fc) == SJ_OK &&
            sj_compile(c, in, 2, g, 2, NULL, 0, NULL, 0, NULL, &fg) == SJ_OK;
  if (!ok) fprintf(stderr, "logaddexp fd: %s\n", sj_ctx_errmsg(c));
  CHECK(ok);
  sj_tensor *x[2] = {sj_tensor_new(SJ_F64, 2, da), sj_tensor_new(SJ_F64, 1, &dv)}, *gt[2] = {0};
  sj_tensor_fill_uniform(x[0], 5, -3, 3);
  sj_tensor_fill_uniform(x[1], 6, -3, 3);
  if (ok) CHECK(sj_function_call(fg, x, 2, gt, 2) == SJ_OK);
  double worst = 0;
  for (int i = 0; ok && gt[0] && i < 2; i++) {
    double *p = sj_tensor_data(x[i]);
    for (int64_t e = 0; e < sj_tensor_numel(x[i]); e++) {
      double h = 1e-6, keep = p[e], cost2[2];
      for (int s = 0; s < 2; s++) {
        sj_tensor *o = NULL;
        p[e] = keep + (s ? -h : h);
        CHECK(sj_function_call(fc, x, 2, &o, 1) == SJ_OK);
        cost2[s] = o ? sj_tensor_get(o, 0) : NAN;
        sj_tensor_free(o);
      }
      p[e] = keep;
      double num = (cost2[0] - cost2[1]) / (2 * h), sym = sj_tensor_get(gt[i], e);
      double err = fabs(num - sym) / fmax(1, fabs(num));
      if (!(err <= worst)) worst = err;
    }
  }
  if (!(worst < 1e-6)) fprintf(stderr, "logaddexp fd: max relative error %g\n", worst);
  CHECK(worst < 1e-6);
  for (int i = 0; i < 2; i++) sj_tensor_free(x[i]), sj_tensor_free(gt[i]);
  sj_function_free(fc), sj_function_free(fg);
  sj_ctx_free(c);
}

/* sj_logaddexp of integers: an error naming the op and the call site. */
static void test_logaddexp_error(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d = 3;
  sj_var *a = sj_input(c, "a", SJ_I32, 1, &d);
  int line = __LINE__ + 1;
  sj_var *r = sj_logaddexp(a, a);
  sj_function *f = NULL;
  CHECK(sj_compile(c, &a, 1, &r, 1, NULL, 0, NULL, 0, NULL, &f) != SJ_OK && f == NULL);
  char where[256];
  snprintf(where, sizeof where, "%s:%d: error: 'logaddexp' op operands must be floating point", __FILE__, line);
  if (!strstr(sj_ctx_errmsg(c), where)) fprintf(stderr, "message was: %s\n", sj_ctx_errmsg(c));
  CHECK(strstr(sj_ctx_errmsg(c), where) != NULL);
  sj_ctx_free(c);
}

int main(void) {
  test_logaddexp_error();
  test_extremes();
  test_logaddexp_ieee();
  test_logaddexp_fd();
  if (failures) fprintf(stderr, "stabilize: %d checks failed\n", failures);
  return failures != 0;
}
