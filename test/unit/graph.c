/* The graph API: build-time errors (message names the variables and the
 * call site), numerical gradient checks for every differentiable op (central
 * differences in double precision, as Theano's verify_grad), updates with
 * Theano semantics, givens, disconnected inputs, and a short training run
 * whose loss must fall. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "symjit/graph.h"

#include "check.h"

static sj_tensor *randt(int rank, const int64_t *dims, uint64_t seed, double lo, double hi) {
  sj_tensor *t = sj_tensor_new(SJ_F64, rank, dims);
  sj_tensor_fill_uniform(t, seed, lo, hi);
  return t;
}

/* ---- verify_grad ---- */

typedef sj_var *(*cost_fn)(sj_ctx *c, sj_var *const *x);

typedef struct gcase {
  const char *name;
  int dyn; /* declare dim 0 of every input dynamic */
  int nx;
  int rank[3];
  int64_t dims[3][3];
  double lo, hi;
  cost_fn f;
} gcase;

static double eval_cost(sj_function *fc, sj_tensor **xs, int nx) {
  sj_tensor *out = NULL;
  if (sj_function_call(fc, xs, (size_t)nx, &out, 1) != SJ_OK) return NAN;
  double v = sj_tensor_get(out, 0);
  sj_tensor_free(out);
  return v;
}

static void verify_grad(const gcase *gc) {
  sj_ctx *c = sj_ctx_new();
  sj_var *x[3];
  sj_tensor *xs[3];
  for (int i = 0; i < gc->nx; i++) {
    char name[16];
    snprintf(name, sizeof name, "x%d", i);
    int64_t vd[3];
    for (int k = 0; k < gc->rank[i]; k++) vd[k] = gc->dyn && k == 0 ? -1 : gc->dims[i][k];
    x[i] = sj_input(c, name, SJ_F64, gc->rank[i], vd);
    xs[i] = randt(gc->rank[i], gc->dims[i], 17u + (uint64_t)i, gc->lo, gc->hi);
  }
  sj_var *cost = gc->f(c, x), *g[3];
  sj_function *fc = NULL, *fg = NULL;
  bool ok = sj_grad(cost, x, (size_t)gc->nx, g) == SJ_OK && sj_compile(c, x, (size_t)gc->nx, &cost, 1, NULL, 0, NULL, 0, NULL, &fc) == SJ_OK &&
            sj_compile(c, x, (size_t)gc->nx, g, (size_t)gc->nx, NULL, 0, NULL, 0, NULL, &fg) == SJ_OK;
  if (!ok) {
    fprintf(stderr, "grad %s: %s\n", gc->name, sj_ctx_errmsg(c));
    failures++;
  }
  sj_tensor *gt[3] = {0};
  if (ok && sj_function_call(fg, xs, (size_t)gc->nx, gt, (size_t)gc->nx) != SJ_OK) {
    fprintf(stderr, "grad %s: call: %s\n", gc->name, sj_ctx_errmsg(c));
    failures++, ok = false;
  }
  double worst = 0;
  for (int i = 0; ok && i < gc->nx; i++) {
    double *d = sj_tensor_data(xs[i]);
    for (int64_t e = 0; e < sj_tensor_numel(xs[i]); e++) {
      double h = 1e-6 * fmax(1, fabs(d[e])), keep = d[e];
      d[e] = keep + h;
      double up = eval_cost(fc, xs, gc->nx);
      d[e] = keep - h;
      double dn = eval_cost(fc, xs, gc->nx);
      d[e] = keep;
      double num = (up - dn) / (2 * h), sym = sj_tensor_get(gt[i], e);
      double err = fabs(num - sym) / fmax(1, fabs(num));
      if (err > worst) worst = err;
    }
  }
  if (ok && !(worst < 1e-5)) {
    fprintf(stderr, "grad %s: max relative error %.3g vs central differences\n", gc->name, worst);
    failures++;
  }
  for (int i = 0; i < gc->nx; i++) sj_tensor_free(xs[i]), sj_tensor_free(gt[i]);
  sj_function_free(fc);
  sj_function_free(fg);
  sj_ctx_free(c);
}

#define S(x) sj_sum(x, 0, NULL, 0)
static sj_var *c_add(sj_ctx *c, sj_var *const *x) { (void)c; return S(sj_mul(sj_add(x[0], x[1]), sj_add(x[0], x[1]))); }
static sj_var *c_sub(sj_ctx *c, sj_var *const *x) { (void)c; return S(sj_exp(sj_sub(x[0], x[1]))); }
static sj_var *c_mul(sj_ctx *c, sj_var *const *x) { (void)c; return S(sj_mul(x[0], x[1])); }
static sj_var *c_div(sj_ctx *c, sj_var *const *x) { (void)c; return S(sj_div(x[0], x[1])); }
static sj_var *c_pow(sj_ctx *c, sj_var *const *x) { (void)c; return S(sj_pow(x[0], x[1])); }
static sj_var *c_maxmin(sj_ctx *c, sj_var *const *x) { (void)c; return S(sj_mul(sj_maximum(x[0], x[1]), sj_minimum(x[0], x[1]))); }
static sj_var *c_unary(sj_ctx *c, sj_var *const *x) {
  sj_var *t = sj_add(sj_add(sj_tanh(x[0]), sj_sigmoid(x[0])), sj_softplus(x[0]));
  t = sj_add(t, sj_add(sj_exp(x[0]), sj_expm1(x[0])));
  t = sj_add(t, sj_mul(sj_neg(x[0]), sj_abs(x[0])));
  (void)c;
  return S(t);
}
static sj_var *c_positive(sj_ctx *c, sj_var *const *x) {
  (void)c;
  return S(sj_add(sj_add(sj_log(x[0]), sj_sqrt(x[0])), sj_add(sj_rsqrt(x[0]), sj_log1p(x[0]))));
}
static sj_var *c_reduce(sj_ctx *c, sj_var *const *x) {
  int a0 = 0, a1 = 1;
  sj_var *t = sj_add(sj_sum(sj_mul(x[0], x[0]), 1, &a0, 0), sj_mean(x[0], 1, &a0, 0));
  sj_var *u = sj_add(sj_max(x[0], 1, &a1, 1), sj_min(x[0], 1, &a1, 1));
  sj_var *p = sj_prod(x[0], 1, &a1, 0);
  (void)c;
  return sj_add(sj_add(S(t), S(sj_mul(u, u))), S(p));
}
static sj_var *c_shape(sj_ctx *c, sj_var *const *x) {
  int64_t d[2] = {3, -1};
  int perm[2] = {1, 0};
  sj_var *r = sj_reshape(x[0], 2, d), *t = sj_transpose(r, perm);
  (void)c;
  return S(sj_mul(sj_exp(t), t));
}
static sj_var *c_matmul(sj_ctx *c, sj_var *const *x) { (void)c; return S(sj_tanh(sj_matmul(x[0], x[1]))); }
static sj_var *c_bcast(sj_ctx *c, sj_var *const *x) { (void)c; return S(sj_mul(sj_add(x[0], x[1]), x[2])); }
static sj_var *c_where(sj_ctx *c, sj_var *const *x) {
  sj_var *z = sj_scalar(c, 0, SJ_F64);
  return S(sj_where(sj_gt(x[0], z), sj_mul(x[0], x[1]), sj_exp(x[1])));
}
static sj_var *c_softmax_xent(sj_ctx *c, sj_var *const *x) {
  (void)c;
  sj_var *lp = sj_log_softmax(x[0], 1), *sm = sj_softmax(x[0], 1);
  return sj_add(S(sj_mul(lp, x[1])), S(sj_mul(sm, x[1])));
}
static sj_var *c_mlp(sj_ctx *c, sj_var *const *x) {
  (void)c;
  sj_var *h = sj_relu(sj_matmul(x[0], x[1]));
  return sj_mean(sj_sigmoid(sj_matmul(h, x[2])), 0, NULL, 0);
}

static sj_var *c_dynmean(sj_ctx *c, sj_var *const *x) {
  int a0 = 0, a1 = 1;
  (void)c;
  sj_var *t = sj_add(x[0], x[1]);
  return sj_add(sj_mean(sj_mean(sj_mul(t, t), 1, &a0, 0), 0, NULL, 0), S(sj_mean(sj_exp(t), 1, &a1, 1)));
}

/* Integer indices as a shared i32 variable (the graph API has no tensor
 * constants). */
static sj_var *indices(sj_ctx *c, int rank, const int64_t *dims, const int32_t *v) {
  sj_tensor *t = sj_tensor_new(SJ_I32, rank, dims);
  for (int64_t i = 0; i < sj_tensor_numel(t); i++) sj_tensor_set(t, i, v[i]);
  sj_var *r = sj_shared(c, "idx", t);
  sj_tensor_free(t);
  return r;
}
/* repeated, negative and out-of-range (clamped) rows: their gradients add up */
static sj_var *c_take0(sj_ctx *c, sj_var *const *x) {
  int64_t d[2] = {3, 2};
  int32_t v[6] = {4, -1, 0, 0, 2, 7};
  sj_var *t = sj_take(x[0], indices(c, 2, d, v), 0);
  return S(sj_mul(sj_tanh(t), t));
}
static sj_var *c_take1(sj_ctx *c, sj_var *const *x) {
  int64_t d[1] = {3};
  int32_t v[3] = {2, -3, 5};
  sj_var *t = sj_take(x[0], indices(c, 1, d, v), -1);
  return S(sj_exp(t));
}
/* indices broadcast over x's rows; x broadcast over the indices' rows */
static sj_var *c_along(sj_ctx *c, sj_var *const *x) {
  int64_t d1[2] = {1, 4}, d2[2] = {3, 2};
  int32_t v1[4] = {4, 0, 4, -2}, v2[6] = {1, 3, 3, 3, 0, 9};
  sj_var *a = sj_take_along_axis(x[0], indices(c, 2, d1, v1), 1);
  sj_var *b = sj_take_along_axis(x[1], indices(c, 2, d2, v2), 1);
  return sj_add(S(sj_mul(a, a)), S(sj_mul(sj_mul(b, b), b)));
}
/* second order: the gradient of a take is a scatter_add, whose own
 * gradient is a take again */
static sj_var *c_take2(sj_ctx *c, sj_var *const *x) {
  int64_t d[1] = {4};
  int32_t v[4] = {1, 1, 0, 3};
  sj_var *t = sj_take(x[0], indices(c, 1, d, v), 0), *g = NULL;
  if (sj_grad(S(sj_mul(sj_mul(t, t), t)), &x[0], 1, &g) != SJ_OK) return g;
  return S(sj_mul(g, g));
}

static void test_grads(void) {
  const gcase cases[] = {
      {"add", 0, 2, {2, 1}, {{3, 4}, {4}}, -1, 1, c_add},
      {"sub", 0, 2, {2, 2}, {{3, 4}, {3, 1}}, -1, 1, c_sub},
      {"mul", 0, 2, {1, 0}, {{5}, {0}}, -1, 1, c_mul},
      {"div", 0, 2, {2, 1}, {{2, 3}, {3}}, 0.5, 2, c_div},
      {"pow", 0, 2, {1, 1}, {{4}, {4}}, 0.5, 2, c_pow},
      {"maximum/minimum", 0, 2, {1, 1}, {{6}, {6}}, -1, 1, c_maxmin},
      {"unary", 0, 1, {2}, {{2, 3}}, -2, 2, c_unary},
      {"log/sqrt/rsqrt/log1p", 0, 1, {1}, {{5}}, 0.5, 3, c_positive},
      {"reductions", 0, 1, {2}, {{3, 4}}, 0.5, 1.5, c_reduce},
      {"reshape/transpose", 0, 1, {1}, {{6}}, -1, 1, c_shape},
      {"matmul", 0, 2, {2, 2}, {{3, 4}, {4, 2}}, -1, 1, c_matmul},
      {"broadcast", 0, 3, {2, 1, 2}, {{2, 3}, {3}, {2, 1}}, -1, 1, c_bcast},
      {"where", 0, 2, {1, 1}, {{5}, {5}}, -1, 1, c_where},
      {"softmax/log_softmax", 0, 2, {2, 2}, {{4, 3}, {4, 3}}, -2, 2, c_softmax_xent},
      {"mlp", 0, 3, {2, 2, 2}, {{4, 5}, {5, 3}, {3, 2}}, -1, 1, c_mlp},
      {"dynamic reductions", 1, 1, {2}, {{3, 4}}, 0.5, 1.5, c_reduce},
      {"dynamic mean/broadcast", 1, 2, {2, 1}, {{5, 3}, {3}}, -1, 1, c_dynmean},
      {"take axis 0", 0, 1, {2}, {{5, 3}}, -1, 1, c_take0},
      {"take last axis, dynamic rows", 1, 1, {2}, {{4, 6}}, -1, 1, c_take1},
      {"take_along_axis, both broadcasts", 0, 2, {2, 2}, {{3, 5}, {1, 4}}, -1, 1, c_along},
      {"take, second order", 0, 1, {2}, {{4, 3}}, -1, 1, c_take2},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) verify_grad(&cases[i]);
}

/* ---- errors ---- */

static void test_build_error(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d3[1] = {3}, d4[1] = {4};
  sj_var *x = sj_input(c, "x", SJ_F32, 1, d3), *W = sj_input(c, "W", SJ_F32, 1, d4);
  int line = __LINE__ + 1;
  sj_var *bad = sj_add(x, W);
  sj_var *later = sj_exp(bad); /* poison propagates, no second error */
  sj_function *f = NULL;
  CHECK(sj_compile(c, &x, 1, &later, 1, NULL, 0, NULL, 0, NULL, &f) != SJ_OK && f == NULL);
  char where[256];
  snprintf(where, sizeof where, "%s:%d: error: 'add' op operand shapes are not broadcast-compatible: f32[3] and f32[4]", __FILE__, line);
  CHECK(strstr(sj_ctx_errmsg(c), where) != NULL);
  CHECK(strstr(sj_ctx_errmsg(c), "'x' f32[3], 'W' f32[4]") != NULL);
  if (failures) fprintf(stderr, "message was: %s\n", sj_ctx_errmsg(c));
  sj_ctx_free(c);
}

static void test_disconnected(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {3};
  sj_var *x = sj_input(c, "x", SJ_F64, 1, d), *y = sj_input(c, "y", SJ_F64, 1, d);
  sj_var *cost = sj_sum(sj_exp(x), 0, NULL, 0), *wrt[2] = {x, y}, *g[2];
  CHECK(sj_grad(cost, wrt, 2, g) != SJ_OK);
  CHECK(strstr(sj_ctx_errmsg(c), "'y' is not connected to the cost") != NULL);
  sj_ctx_free(c);
  c = sj_ctx_new();
  x = sj_input(c, "x", SJ_F64, 1, d), y = sj_input(c, "y", SJ_F64, 1, d);
  cost = sj_sum(sj_exp(x), 0, NULL, 0);
  wrt[0] = x, wrt[1] = y;
  sj_grad_options o = {.disconnected_zero = 1};
  CHECK(sj_grad_at(cost, wrt, 2, &o, g, __FILE__, __LINE__) == SJ_OK);
  sj_function *f = NULL;
  sj_compile_options co; /* y's zero gradient does not read y */
  sj_compile_options_init(&co);
  co.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  CHECK(sj_compile(c, wrt, 2, g, 2, NULL, 0, NULL, 0, &co, &f) == SJ_OK);
  sj_tensor *in[2] = {randt(1, d, 1, -1, 1), randt(1, d, 2, -1, 1)}, *out[2] = {0};
  CHECK(f && sj_function_call(f, in, 2, out, 2) == SJ_OK);
  if (out[1]) CHECK(sj_tensor_get(out[1], 0) == 0 && sj_tensor_get(out[1], 2) == 0);
  if (out[0]) CHECK(fabs(sj_tensor_get(out[0], 1) - exp(sj_tensor_get(in[0], 1))) < 1e-12);
  for (int i = 0; i < 2; i++) sj_tensor_free(in[i]), sj_tensor_free(out[i]);
  sj_function_free(f);
  /* consider_constant: no gradient flows through x*x's first use */
  sj_ctx_free(c);
}

/* ---- updates, givens ---- */

static void test_updates_swap(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {2};
  double av[2] = {1, 2}, bv[2] = {3, 4};
  sj_tensor *ta = sj_tensor_wrap(SJ_F64, 1, d, av), *tb = sj_tensor_wrap(SJ_F64, 1, d, bv);
  sj_var *a = sj_shared(c, "a", ta), *b = sj_shared(c, "b", tb);
  sj_update u[2] = {{a, b}, {b, a}};
  sj_function *f = NULL;
  CHECK(sj_compile(c, NULL, 0, NULL, 0, u, 2, NULL, 0, NULL, &f) == SJ_OK);
  if (!f) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  CHECK(f && sj_function_call(f, NULL, 0, NULL, 0) == SJ_OK);
  CHECK(sj_tensor_get(sj_shared_value(a), 0) == 3 && sj_tensor_get(sj_shared_value(b), 1) == 2);
  CHECK(f && sj_function_call(f, NULL, 0, NULL, 0) == SJ_OK);
  CHECK(sj_tensor_get(sj_shared_value(a), 0) == 1 && sj_tensor_get(sj_shared_value(b), 1) == 4);
  sj_function_free(f);
  /* an accumulator: outputs read the old value, the update the new */
  sj_var *one = sj_scalar(c, 1, SJ_F64);
  sj_update inc = {a, sj_add(a, one)};
  sj_var *outv = sj_mul(a, sj_scalar(c, 10, SJ_F64));
  CHECK(sj_compile(c, NULL, 0, &outv, 1, &inc, 1, NULL, 0, NULL, &f) == SJ_OK);
  sj_tensor *o = NULL;
  CHECK(f && sj_function_call(f, NULL, 0, &o, 1) == SJ_OK);
  if (o) CHECK(sj_tensor_get(o, 0) == 10 && sj_tensor_get(sj_shared_value(a), 0) == 2);
  sj_tensor_free(o);
  /* wrong update type is a compile error */
  sj_update wrong = {a, sj_sum(a, 0, NULL, 0)};
  sj_function *f2 = NULL;
  CHECK(sj_compile(c, NULL, 0, NULL, 0, &wrong, 1, NULL, 0, NULL, &f2) != SJ_OK);
  CHECK(strstr(sj_ctx_errmsg(c), "the update of shared variable 'a' (f64[2]) has type f64[]") != NULL);
  sj_function_free(f);
  sj_tensor_free(ta), sj_tensor_free(tb);
  sj_ctx_free(c);
}

/* Updates are double-buffered: the value the variable held before the last
 * call is reused for the next one, so the variable alternates between two
 * tensors. Two functions updating the same variable and an update also
 * returned as an output keep their values right. */
static void test_updates_reuse(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {3};
  double wv[3] = {1, 2, 3};
  sj_tensor *tw = sj_tensor_wrap(SJ_F64, 1, d, wv);
  sj_var *w = sj_shared(c, "w", tw);
  sj_tensor_free(tw);
  sj_var *two = sj_scalar(c, 2, SJ_F64), *one = sj_scalar(c, 1, SJ_F64);
  sj_update dbl = {w, sj_mul(w, two)}, inc = {w, sj_add(w, one)};
  sj_function *f = NULL, *g = NULL;
  CHECK(sj_compile(c, NULL, 0, NULL, 0, &dbl, 1, NULL, 0, NULL, &f) == SJ_OK);
  CHECK(sj_compile(c, NULL, 0, &inc.value, 1, &inc, 1, NULL, 0, NULL, &g) == SJ_OK);
  if (!f || !g) {
    sj_ctx_free(c);
    return;
  }
  const sj_tensor *seen[4];
  double want[3] = {1, 2, 3};
  for (int i = 0; i < 4; i++) {
    CHECK(sj_function_call(f, NULL, 0, NULL, 0) == SJ_OK);
    seen[i] = sj_shared_value(w);
    for (int e = 0; e < 3; e++) CHECK(sj_tensor_get(seen[i], e) == (want[e] *= 2));
  }
  CHECK(seen[2] == seen[0] && seen[3] == seen[1] && seen[0] != seen[1]);
  for (int i = 0; i < 3; i++) { /* interleaved with another function, which also returns the new value */
    sj_tensor *o = NULL;
    CHECK(sj_function_call(g, NULL, 0, &o, 1) == SJ_OK);
    for (int e = 0; e < 3; e++) want[e] += 1;
    CHECK(o && o != sj_shared_value(w) && sj_tensor_get(o, 0) == want[0] && sj_tensor_get(o, 2) == want[2]);
    sj_tensor_free(o);
    CHECK(sj_function_call(f, NULL, 0, NULL, 0) == SJ_OK);
    for (int e = 0; e < 3; e++) CHECK(sj_tensor_get(sj_shared_value(w), e) == (want[e] *= 2));
  }
  sj_function_free(f);
  sj_function_free(g);
  sj_ctx_free(c);
}

static void test_givens(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {3};
  sj_var *x = sj_input(c, "x", SJ_F64, 1, d), *z = sj_input(c, "z", SJ_F64, 1, d);
  sj_var *y = sj_mul(x, x);
  sj_given gv = {x, sj_add(z, sj_scalar(c, 1, SJ_F64))}; /* x := z + 1 */
  sj_function *f = NULL;
  CHECK(sj_compile(c, &z, 1, &y, 1, NULL, 0, &gv, 1, NULL, &f) == SJ_OK);
  double zv[3] = {1, 2, 3};
  sj_tensor *tz = sj_tensor_wrap(SJ_F64, 1, d, zv), *o = NULL;
  CHECK(f && sj_function_call(f, &tz, 1, &o, 1) == SJ_OK);
  if (o) CHECK(sj_tensor_get(o, 2) == 16);
  sj_tensor_free(o), sj_tensor_free(tz);
  sj_function_free(f);
  /* without the given, x is a missing input */
  CHECK(sj_compile(c, &z, 1, &y, 1, NULL, 0, NULL, 0, NULL, &f) != SJ_OK);
  CHECK(strstr(sj_ctx_errmsg(c), "depend on input 'x'") != NULL);
  sj_ctx_free(c);
}

/* A given must keep the variable's dtype and (static) shape: the error
 * names the variable and both types, for every mismatching dtype. */
static void test_given_mismatch(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {3}, d4[1] = {4}, dd[1] = {-1};
  sj_var *x = sj_input(c, "x", SJ_F64, 1, d), *y = sj_mul(x, x);
  sj_function *f = NULL;
  for (int dt = 0; dt < SJ_DTYPE_COUNT; dt++) {
    if (dt == SJ_F64) continue;
    sj_var *z = sj_input(c, "z", (sj_dtype)dt, 1, d);
    sj_given gv = {x, z};
    sj_ctx_clear_errors(c);
    CHECK(sj_compile(c, &z, 1, &y, 1, NULL, 0, &gv, 1, NULL, &f) == SJ_ERR_INVALID && f == NULL);
    char want[160];
    snprintf(want, sizeof want, "given 0 replaces 'x' (f64[3]) by an expression of type %s[3]: the dtypes differ",
             (const char *[]){"f16", "bf16", "f32", "f64", "i8", "i32", "i64", "bool"}[dt]);
    if (!strstr(sj_ctx_errmsg(c), want)) {
      fprintf(stderr, "given dtype %d: wanted '%s' in: %s\n", dt, want, sj_ctx_errmsg(c));
      failures++;
    }
    CHECK(!strstr(sj_ctx_errmsg(c), "erased"));
  }
  /* shapes must match exactly: a dynamic dim for a static one is a
   * different type; the same dynamic type is fine */
  sj_var *z4 = sj_input(c, "z4", SJ_F64, 1, d4), *zd = sj_input(c, "zd", SJ_F64, 1, dd);
  sj_given g4 = {x, z4}, gd = {x, zd};
  sj_ctx_clear_errors(c);
  CHECK(sj_compile(c, &z4, 1, &y, 1, NULL, 0, &g4, 1, NULL, &f) == SJ_ERR_INVALID);
  CHECK(strstr(sj_ctx_errmsg(c), "replaces 'x' (f64[3]) by an expression of type f64[4]: the shapes differ") != NULL);
  sj_ctx_clear_errors(c);
  CHECK(sj_compile(c, &zd, 1, &y, 1, NULL, 0, &gd, 1, NULL, &f) == SJ_ERR_INVALID);
  CHECK(strstr(sj_ctx_errmsg(c), "replaces 'x' (f64[3]) by an expression of type f64[?]: the shapes differ") != NULL);
  sj_var *xd = sj_input(c, "xd", SJ_F64, 1, dd), *yd = sj_exp(xd);
  sj_given gdd = {xd, sj_add(zd, zd)};
  sj_ctx_clear_errors(c);
  CHECK(sj_compile(c, &zd, 1, &yd, 1, NULL, 0, &gdd, 1, NULL, &f) == SJ_OK);
  if (!f) fprintf(stderr, "given of the same dynamic type: %s\n", sj_ctx_errmsg(c));
  sj_function_free(f);
  sj_ctx_free(c);
}

/* sj_ctx_clear_errors resets the sticky build error: the same context then
 * builds, compiles and runs new graphs (also after several errors, and after
 * a grad error), and variables built before the error still work. */
static void test_clear_errors(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d3[1] = {3}, d4[1] = {4};
  sj_var *x = sj_input(c, "x", SJ_F64, 1, d3), *w = sj_input(c, "w", SJ_F64, 1, d4);
  sj_var *before = sj_exp(x);
  for (int round = 0; round < 3; round++) {
    sj_var *bad = sj_add(x, w); /* poison */
    CHECK(sj_add(x, x) == bad); /* sticky: everything is poison now */
    sj_function *f = NULL;
    CHECK(sj_compile(c, &x, 1, &bad, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_ERR_VERIFY);
    /* a note (not an error) says what the operands were */
    CHECK(strstr(sj_ctx_errmsg(c), ": note: operands of 'add': 'x' f64[3], 'w' f64[4]") != NULL);
    CHECK(!strstr(sj_ctx_errmsg(c), "error: note:"));
    sj_ctx_clear_errors(c);
    CHECK(sj_ctx_errmsg(c)[0] == '\0');
    sj_var *y = sj_add(sj_mul(x, x), before), *g;
    CHECK(y != bad);
    CHECK(sj_grad(sj_sum(y, 0, NULL, 0), &x, 1, &g) == SJ_OK);
    sj_var *outs[2] = {y, g};
    CHECK(sj_compile(c, &x, 1, outs, 2, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
    double xv[3] = {0, 1, 2};
    sj_tensor *tx = sj_tensor_wrap(SJ_F64, 1, d3, xv), *o[2] = {0};
    CHECK(f && sj_function_call(f, &tx, 1, o, 2) == SJ_OK);
    if (o[0] && o[1]) {
      CHECK(fabs(sj_tensor_get(o[0], 2) - (4 + exp(2))) < 1e-12);
      CHECK(fabs(sj_tensor_get(o[1], 1) - (2 + exp(1))) < 1e-12);
    }
    sj_tensor_free(o[0]), sj_tensor_free(o[1]), sj_tensor_free(tx);
    sj_function_free(f);
    /* a grad error (cost not scalar) is also cleared */
    CHECK(sj_grad(y, &x, 1, &g) == SJ_ERR_VERIFY);
    sj_ctx_clear_errors(c);
  }
  sj_ctx_free(c);
}

/* ---- a tiny training run: logistic regression on separable data ---- */

static void test_training(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t xd[2] = {-1, 4}, yd[1] = {-1}, wd[2] = {4, 3}, bd[1] = {3};
  sj_tensor *w0 = sj_tensor_new(SJ_F32, 2, wd), *b0 = sj_tensor_new(SJ_F32, 1, bd);
  sj_var *X = sj_input(c, "X", SJ_F32, 2, xd), *Y = sj_input(c, "Y", SJ_I32, 1, yd);
  sj_var *W = sj_shared(c, "W", w0), *b = sj_shared(c, "b", b0);
  sj_var *loss = sj_crossentropy(sj_add(sj_matmul(X, W), b), Y);
  sj_var *wrt[2] = {W, b}, *g[2];
  CHECK(sj_grad(loss, wrt, 2, g) == SJ_OK);
  sj_var *lr = sj_scalar(c, 0.5, SJ_F32);
  sj_update u[2] = {{W, sj_sub(W, sj_mul(lr, g[0]))}, {b, sj_sub(b, sj_mul(lr, g[1]))}};
  sj_var *ins[2] = {X, Y};
  sj_function *step = NULL;
  CHECK(sj_compile(c, ins, 2, &loss, 1, u, 2, NULL, 0, NULL, &step) == SJ_OK);
  if (!step) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  int64_t n = 64, xdims[2] = {64, 4}, ydims[1] = {64};
  sj_tensor *tx = sj_tensor_new(SJ_F32, 2, xdims), *ty = sj_tensor_new(SJ_I32, 1, ydims);
  sj_tensor_fill_uniform(tx, 5, -1, 1);
  for (int64_t i = 0; i < n; i++) { /* label = argmax of the first three features */
    int best = 0;
    for (int k = 1; k < 3; k++) if (sj_tensor_get(tx, i * 4 + k) > sj_tensor_get(tx, i * 4 + best)) best = k;
    sj_tensor_set(ty, i, best);
  }
  sj_tensor *in[2] = {tx, ty};
  double first = 0, last = 0;
  for (int it = 0; step && it < 50; it++) {
    sj_tensor *l = NULL;
    CHECK(sj_function_call(step, in, 2, &l, 1) == SJ_OK);
    if (!l) break;
    if (it == 0) first = sj_tensor_get(l, 0);
    last = sj_tensor_get(l, 0);
    sj_tensor_free(l);
  }
  CHECK(fabs(first - log(3.0)) < 1e-5); /* zero weights: uniform prediction */
  CHECK(last < 0.6 * first);
  printf("graph: training loss %.4f -> %.4f\n", first, last);
  sj_tensor_free(tx), sj_tensor_free(ty), sj_tensor_free(w0), sj_tensor_free(b0);
  sj_function_free(step);
  sj_ctx_free(c);
}

static void test_argmax_onehot(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[2] = {2, 3}, l[1] = {2};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, d), *y = sj_input(c, "y", SJ_I32, 1, l);
  sj_var *outs[2] = {sj_argmax(x, 1), sj_one_hot(y, 3, SJ_F32)}, *ins[2] = {x, y};
  sj_function *f = NULL;
  CHECK(sj_compile(c, ins, 2, outs, 2, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
  float xv[6] = {1, 5, 5, 7, 0, 2};
  int32_t yv[2] = {2, 0};
  sj_tensor *in[2] = {sj_tensor_wrap(SJ_F32, 2, d, xv), sj_tensor_wrap(SJ_I32, 1, l, yv)}, *o[2] = {0};
  CHECK(f && sj_function_call(f, in, 2, o, 2) == SJ_OK);
  if (o[0]) CHECK(sj_tensor_get(o[0], 0) == 1 && sj_tensor_get(o[0], 1) == 0);
  if (o[1]) CHECK(sj_tensor_get(o[1], 2) == 1 && sj_tensor_get(o[1], 3) == 1 && sj_tensor_get(o[1], 1) == 0);
  for (int i = 0; i < 2; i++) sj_tensor_free(in[i]), sj_tensor_free(o[i]);
  sj_function_free(f);
  sj_ctx_free(c);
}

static void test_rop_jacobian_hessian(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {3};
  sj_var *x = sj_input(c, "x", SJ_F64, 1, d), *y = sj_input(c, "y", SJ_F64, 1, d);
  sj_var *vx = sj_input(c, "vx", SJ_F64, 1, d), *vy = sj_input(c, "vy", SJ_F64, 1, d);
  sj_var *f = sj_mul(sj_exp(x), y), *wrt[2] = {x, y}, *v[2] = {vx, vy}, *jv = NULL, *J = NULL, *H = NULL;
  CHECK(sj_rop(f, wrt, v, 2, &jv) == SJ_OK);
  CHECK(sj_jacobian(sj_mul(x, x), x, &J) == SJ_OK);
  CHECK(sj_hessian(sj_sum(sj_mul(sj_mul(x, x), x), 0, NULL, 0), x, &H) == SJ_OK);
  sj_var *ins[4] = {x, y, vx, vy}, *outs[3] = {jv, J, H};
  sj_function *fn = NULL;
  CHECK(sj_compile(c, ins, 4, outs, 3, NULL, 0, NULL, 0, NULL, &fn) == SJ_OK);
  if (!fn) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  sj_tensor *in[4], *o[3] = {0};
  for (int i = 0; i < 4; i++) in[i] = randt(1, d, 40u + (uint64_t)i, -1, 1);
  CHECK(fn && sj_function_call(fn, in, 4, o, 3) == SJ_OK);
  for (int i = 0; o[0] && i < 3; i++) {
    double X = sj_tensor_get(in[0], i), Y = sj_tensor_get(in[1], i), VX = sj_tensor_get(in[2], i), VY = sj_tensor_get(in[3], i);
    CHECK(fabs(sj_tensor_get(o[0], i) - (exp(X) * Y * VX + exp(X) * VY)) < 1e-12);
    for (int j = 0; j < 3; j++) {
      CHECK(fabs(sj_tensor_get(o[1], i * 3 + j) - (i == j ? 2 * X : 0)) < 1e-12);
      CHECK(fabs(sj_tensor_get(o[2], i * 3 + j) - (i == j ? 6 * X : 0)) < 1e-12);
    }
  }
  for (int i = 0; i < 4; i++) sj_tensor_free(in[i]);
  for (int i = 0; i < 3; i++) sj_tensor_free(o[i]);
  sj_function_free(fn);
  sj_ctx_free(c);
}

/* take (embedding rows) and take_along_axis (label picks): values and the
 * scatter-add gradient against central differences. */
static void test_take(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t xd[2] = {5, 3}, id[1] = {-1}, ld[2] = {-1, 2};
  sj_var *x = sj_input(c, "x", SJ_F64, 2, xd), *idx = sj_input(c, "idx", SJ_I32, 1, id);
  sj_var *lab = sj_input(c, "lab", SJ_I32, 2, ld);
  sj_var *t = sj_take(x, idx, 0), *ta = sj_take_along_axis(x, lab, 1);
  sj_var *cost = sj_add(sj_sum(sj_tanh(t), 0, NULL, 0), sj_sum(sj_mul(ta, ta), 0, NULL, 0)), *g = NULL;
  CHECK(sj_grad(cost, &x, 1, &g) == SJ_OK);
  sj_var *ins[3] = {x, idx, lab}, *outs[4] = {t, ta, cost, g};
  sj_function *f = NULL;
  CHECK(sj_compile(c, ins, 3, outs, 4, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
  if (!f) {
    fprintf(stderr, "%s", sj_ctx_errmsg(c));
    sj_ctx_free(c);
    return;
  }
  int32_t iv[4] = {4, 0, 2, 0}, lv[10] = {2, 0, 1, 1, 0, 0, 2, 2, 1, 0};
  int64_t idims[1] = {4}, ldims[2] = {5, 2};
  sj_tensor *in[3] = {randt(2, xd, 77, -1, 1), sj_tensor_wrap(SJ_I32, 1, idims, iv), sj_tensor_wrap(SJ_I32, 2, ldims, lv)};
  sj_tensor *o[4] = {0};
  CHECK(sj_function_call(f, in, 3, o, 4) == SJ_OK);
  if (o[0] && o[1] && o[3]) {
    for (int r = 0; r < 4; r++)
      for (int k = 0; k < 3; k++) CHECK(sj_tensor_get(o[0], r * 3 + k) == sj_tensor_get(in[0], iv[r] * 3 + k));
    for (int r = 0; r < 5; r++)
      for (int k = 0; k < 2; k++) CHECK(sj_tensor_get(o[1], r * 2 + k) == sj_tensor_get(in[0], r * 3 + lv[r * 2 + k]));
    double *xv = sj_tensor_data(in[0]), worst = 0;
    for (int e = 0; e < 15; e++) {
      double keep = xv[e], h = 1e-6, up, dn;
      sj_tensor *oo[4] = {0};
      xv[e] = keep + h;
      sj_function_call(f, in, 3, oo, 4);
      up = sj_tensor_get(oo[2], 0);
      for (int i = 0; i < 4; i++) sj_tensor_free(oo[i]), oo[i] = NULL;
      xv[e] = keep - h;
      sj_function_call(f, in, 3, oo, 4);
      dn = sj_tensor_get(oo[2], 0);
      for (int i = 0; i < 4; i++) sj_tensor_free(oo[i]);
      xv[e] = keep;
      double err = fabs((up - dn) / (2 * h) - sj_tensor_get(o[3], e));
      if (err > worst) worst = err;
    }
    CHECK(worst < 1e-6);
  }
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
  for (int i = 0; i < 4; i++) sj_tensor_free(o[i]);
  sj_function_free(f);
  sj_ctx_free(c);
}

int main(void) {
  test_take();
  test_updates_reuse();
  test_rop_jacobian_hessian();
  test_build_error();
  test_grads();
  test_disconnected();
  test_updates_swap();
  test_givens();
  test_given_mismatch();
  test_clear_errors();
  test_argmax_onehot();
  test_training();
  printf("graph: %d failures\n", failures);
  return failures != 0;
}
