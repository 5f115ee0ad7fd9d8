/* sj_jacobian at any rank (against central differences, ranks 0..3, a
 * dynamic dim, the errors) and sj_verify_grad (passes over many ops, and
 * catches a wrong gradient rule naming the argument and the element). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "symjit/graph.h"

#include "check.h"

static bool has(sj_ctx *c, const char *s) {
  bool ok = strstr(sj_ctx_errmsg(c), s) != NULL;
  if (!ok) fprintf(stderr, "expected '%s' in:\n%s\n", s, sj_ctx_errmsg(c));
  return ok;
}

static int64_t numel(int r, const int64_t *d) {
  int64_t n = 1;
  for (int i = 0; i < r; i++) n *= d[i];
  return n;
}

/* y = f(x) of ranks (ry, rx): J compared with central differences of y. */
typedef sj_var *(*yfn)(sj_ctx *c, sj_var *x);

static sj_var *y_r0(sj_ctx *c, sj_var *x) { (void)c; return sj_sum(sj_mul(sj_exp(x), x), 0, NULL, 0); }
static sj_var *y_same(sj_ctx *c, sj_var *x) { (void)c; return sj_mul(sj_tanh(x), x); }
/* rank 2 [2,3] from x [3]: outer-product-like */
static sj_var *y_outer(sj_ctx *c, sj_var *x) {
  int64_t d[2] = {2, 1};
  sj_tensor *w = sj_tensor_new(SJ_F64, 2, d);
  sj_tensor_set(w, 0, 0.5), sj_tensor_set(w, 1, -2);
  sj_var *r = sj_mul(sj_constant(c, w), sj_exp(x));
  sj_tensor_free(w);
  return r;
}

/* a static [2] from an x of any shape: stack of two scalars */
static sj_var *y_stack(sj_ctx *c, sj_var *x) {
  (void)c;
  sj_var *p[2] = {sj_sum(sj_exp(x), 0, NULL, 0), sj_sum(sj_mul(x, x), 0, NULL, 0)};
  return sj_stack(p, 2, 0);
}

static void check_jacobian(const char *name, int rx, const int64_t *dx, int dyn, yfn f) {
  sj_ctx *c = sj_ctx_new();
  int64_t vd[4];
  for (int i = 0; i < rx; i++) vd[i] = dyn && i == 0 ? -1 : dx[i];
  sj_var *x = sj_input(c, "x", SJ_F64, rx, vd), *y = f(c, x), *J = NULL;
  CHECK(sj_jacobian(y, x, &J) == SJ_OK);
  int ry = sj_var_rank(y);
  CHECK(sj_var_rank(J) == ry + rx);
  for (int i = 0; i < ry; i++) CHECK(sj_var_dim(J, i) == sj_var_dim(y, i));
  for (int i = 0; i < rx; i++) CHECK(sj_var_dim(J, ry + i) == vd[i]);
  sj_var *outs[2] = {y, J};
  sj_function *fn = NULL;
  CHECK(sj_compile(c, &x, 1, outs, 2, NULL, 0, NULL, 0, NULL, &fn) == SJ_OK);
  if (!fn) {
    fprintf(stderr, "jacobian %s: %s\n", name, sj_ctx_errmsg(c));
    sj_ctx_free(c);
    return;
  }
  sj_tensor *xv = sj_tensor_new(SJ_F64, rx, dx), *o[2] = {0}, *p[2] = {0}, *m[2] = {0};
  sj_tensor_fill_uniform(xv, 7, -1, 1);
  CHECK(sj_function_call(fn, &xv, 1, o, 2) == SJ_OK);
  int64_t nx = numel(rx, dx), ny = o[0] ? sj_tensor_numel(o[0]) : 0;
  double worst = 0;
  for (int64_t j = 0; o[0] && j < nx; j++) {
    double keep = sj_tensor_get(xv, j), h = 1e-6;
    sj_tensor_set(xv, j, keep + h);
    CHECK(sj_function_call(fn, &xv, 1, p, 2) == SJ_OK);
    sj_tensor_set(xv, j, keep - h);
    CHECK(sj_function_call(fn, &xv, 1, m, 2) == SJ_OK);
    sj_tensor_set(xv, j, keep);
    for (int64_t i = 0; p[0] && m[0] && i < ny; i++) {
      double num = (sj_tensor_get(p[0], i) - sj_tensor_get(m[0], i)) / (2 * h);
      worst = fmax(worst, fabs(num - sj_tensor_get(o[1], i * nx + j)));
    }
    for (int k = 0; k < 2; k++) sj_tensor_free(p[k]), sj_tensor_free(m[k]), p[k] = m[k] = NULL;
  }
  if (!(worst < 1e-7)) fprintf(stderr, "jacobian %s: max error %.3g\n", name, worst), failures++;
  sj_tensor_free(xv), sj_tensor_free(o[0]), sj_tensor_free(o[1]);
  sj_function_free(fn);
  sj_ctx_free(c);
}

static void test_jacobian(void) {
  int64_t d1[1] = {3}, d2[2] = {2, 3}, d3[3] = {2, 1, 2}, none[1] = {0};
  check_jacobian("r0<-r0", 0, none, 0, y_same);
  check_jacobian("r0<-r1", 1, d1, 0, y_r0);
  check_jacobian("r1<-r1", 1, d1, 0, y_same);
  check_jacobian("r2<-r1", 1, d1, 0, y_outer);
  check_jacobian("r2<-r2", 2, d2, 0, y_same);
  check_jacobian("r3<-r3", 3, d3, 0, y_same);
  check_jacobian("r0<-r2 dynamic x", 2, d2, 1, y_r0);
  check_jacobian("r1<-r1 dynamic x", 1, d1, 1, y_stack);
  /* errors: y with a dynamic dim, int y, two dynamic dims of x */
  sj_ctx *c = sj_ctx_new();
  int64_t dd[2] = {-1, 3}, dd2[2] = {-1, -1};
  sj_var *x = sj_input(c, "x", SJ_F64, 2, dd), *J = NULL;
  CHECK(sj_jacobian(sj_exp(x), x, &J) == SJ_ERR_VERIFY && has(c, "jacobian: y (result of 'exp') f64[?,3]: y must have a static shape"));
  sj_ctx_clear_errors(c);
  CHECK(sj_jacobian(sj_sum(x, 0, NULL, 0), sj_input(c, "z", SJ_F64, 2, dd2), &J) == SJ_ERR_VERIFY);
  CHECK(has(c, "jacobian: x 'z' f64[?,?]: at most one dynamic dim is supported"));
  sj_ctx_clear_errors(c);
  sj_var *k = sj_input(c, "k", SJ_I32, 1, d1);
  CHECK(sj_jacobian(k, k, &J) == SJ_ERR_VERIFY && has(c, "y must be floating point"));
  sj_ctx_free(c);
}

/* ---- verify_grad ---- */

typedef sj_var *(*costfn)(sj_ctx *c, sj_var *const *x);
static sj_var *f_poly(sj_ctx *c, sj_var *const *x) { return sj_add(sj_mul(x[0], x[1]), sj_div(x[0], sj_add(sj_mul(x[1], x[1]), sj_scalar(c, 1, SJ_F64)))); }
static sj_var *f_unary(sj_ctx *c, sj_var *const *x) {
  (void)c;
  return sj_add(sj_add(sj_tanh(x[0]), sj_sigmoid(x[1])), sj_add(sj_softplus(x[0]), sj_exp(sj_mul(x[0], x[1]))));
}
static sj_var *f_reduce(sj_ctx *c, sj_var *const *x) {
  (void)c;
  int ax = 1;
  return sj_add(sj_max(sj_mul(x[0], x[1]), 1, &ax, 1), sj_mean(sj_mul(x[0], x[0]), 1, &ax, 1));
}
static sj_var *f_matvec(sj_ctx *c, sj_var *const *x) {
  (void)c;
  int perm[2] = {1, 0};
  return sj_tanh(sj_matmul(sj_transpose(x[0], perm), sj_sum(x[1], 1, (int[]){1}, 0)));
}
static sj_var *f_softmax(sj_ctx *c, sj_var *const *x) { (void)c; return sj_log_softmax(sj_add(x[0], x[1]), 1); }
static sj_var *f_concat(sj_ctx *c, sj_var *const *x) {
  (void)c;
  sj_var *p[3] = {x[0], sj_exp(x[1]), x[0]};
  return sj_mul(sj_concatenate(p, 3, 0), sj_concatenate(p, 3, 0));
}
static sj_var *f_controls(sj_ctx *c, sj_var *const *x) {
  (void)c; /* correct by construction: the controls sit on a path with no effect */
  return sj_add(sj_mul(x[0], x[1]), sj_mul(sj_scalar(c, 0, SJ_F64), sj_scale_grad(x[0], 3)));
}

static void test_verify_grad_ops(void) {
  struct {
    const char *name;
    costfn f;
  } cases[] = {{"poly", f_poly}, {"unary", f_unary}, {"reduce", f_reduce}, {"matvec", f_matvec},
               {"softmax", f_softmax}, {"concat", f_concat}, {"controls", f_controls}};
  int64_t d[2] = {2, 3};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    for (int dt = 0; dt < 2; dt++) {
      sj_dtype t = dt ? SJ_F32 : SJ_F64;
      sj_ctx *c = sj_ctx_new();
      sj_var *x[2] = {sj_input(c, "a", t, 2, d), sj_input(c, "b", t, 2, d)};
      sj_tensor *v[2] = {sj_tensor_new(t, 2, d), sj_tensor_new(t, 2, d)};
      sj_tensor_fill_uniform(v[0], 11, -1, 1), sj_tensor_fill_uniform(v[1], 12, -1, 1);
      sj_var *y = cases[k].f(c, x);
      if (t == SJ_F32) y = cases[k].f(c, x);
      sj_status st = sj_verify_grad(y, x, 2, v, NULL);
      if (st != SJ_OK) fprintf(stderr, "verify_grad %s %s: %s\n", cases[k].name, dt ? "f32" : "f64", sj_ctx_errmsg(c)), failures++;
      sj_tensor_free(v[0]), sj_tensor_free(v[1]);
      sj_ctx_free(c);
    }
  }
}

/* A wrong rule is caught: scale_grad and clip_grad change the gradient but
 * not the value, which is exactly what a wrong VJP rule does. */
static void test_verify_grad_catches(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[2] = {2, 3};
  sj_var *x[2] = {sj_input(c, "a", SJ_F64, 2, d), sj_input(c, "b", SJ_F64, 2, d)};
  sj_tensor *v[2] = {sj_tensor_new(SJ_F64, 2, d), sj_tensor_new(SJ_F64, 2, d)};
  sj_tensor_fill_uniform(v[0], 1, 1, 2), sj_tensor_fill_uniform(v[1], 2, 1, 2);
  /* only b's gradient is wrong (times 1.001: beyond rtol 1e-5) */
  sj_var *y = sj_mul(x[0], sj_scale_grad(x[1], 1.001));
  int line = __LINE__ + 1;
  CHECK(sj_verify_grad(y, x, 2, v, NULL) == SJ_ERR_VERIFY);
  char want[200];
  snprintf(want, sizeof want, "%s:%d: error: verify_grad: the gradient w.r.t. argument 1 'b' disagrees at element 0 [0, 0]",
           __FILE__, line);
  CHECK(has(c, want) && has(c, "sj_grad gives") && has(c, "central differences"));
  sj_ctx_clear_errors(c);
  /* a wrong gradient at one element only: d/da (clip_grad(a) * a) gets
   * the clipped factor's gradient a clipped to [-10, 2.5], wrong where a >
   * 2.5, i.e. only at element 4 */
  sj_tensor_set(v[0], 4, 3.0);
  for (int i = 0; i < 6; i++)
    if (i != 4) sj_tensor_set(v[0], i, 0.1 * i);
  sj_var *z = sj_sum(sj_mul(sj_clip_grad(x[0], -10, 2.5), x[0]), 0, NULL, 0); /* scalar: no projection */
  CHECK(sj_verify_grad(z, x, 1, v, NULL) == SJ_ERR_VERIFY);
  CHECK(has(c, "argument 0 'a' disagrees at element 4 [1, 1]"));
  sj_ctx_clear_errors(c);
  /* the same with a tolerance wide enough passes; sampling covers big inputs */
  sj_verify_grad_options o;
  sj_verify_grad_options_init(&o);
  o.rtol = 0.5;
  CHECK(sj_verify_grad(z, x, 1, v, &o) == SJ_OK);
  /* bad arguments */
  sj_var *k = sj_input(c, "k", SJ_I32, 2, d);
  CHECK(sj_verify_grad(sj_cast(k, SJ_F64), &k, 1, v, NULL) == SJ_ERR_VERIFY && has(c, "only float inputs"));
  sj_ctx_clear_errors(c);
  sj_var *e = sj_exp(x[0]);
  CHECK(sj_verify_grad(e, &e, 1, v, NULL) == SJ_ERR_VERIFY && has(c, "argument 0 must be a symbolic input"));
  sj_tensor_free(v[0]), sj_tensor_free(v[1]);
  sj_ctx_free(c);
  /* a dynamic output shape is projected at the values' shape */
  c = sj_ctx_new();
  int64_t dyn[2] = {-1, 3}, big[2] = {200, 3};
  sj_var *w = sj_input(c, "w", SJ_F64, 2, dyn);
  sj_tensor *wv = sj_tensor_new(SJ_F64, 2, big);
  sj_tensor_fill_uniform(wv, 5, -1, 1);
  o.rtol = 0, o.max_elems = 50;
  CHECK(sj_verify_grad(sj_mul(sj_tanh(w), w), &w, 1, &wv, &o) == SJ_OK);
  if (sj_ctx_errmsg(c)[0]) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  sj_tensor_free(wv);
  sj_ctx_free(c);
}

int main(void) {
  test_jacobian();
  test_verify_grad_ops();
  test_verify_grad_catches();
  printf("theano_grad: %d failures\n", failures);
  return failures != 0;
}
