/* Pooling through the graph API (lib/graph/pool.c; docs/decisions/0021):
 * gradients against central finite differences (sj_verify_grad, f64,
 * random inputs so that no window has a tie), the routing of ties and
 * NaN to the first maximum, output shapes of Theano's options, build
 * errors at the caller's file:line, the refusal of second derivatives
 * through max pooling, and an out-of-memory sweep of the builders. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "symjit/graph.h"
#include "graph_internal.h"

#include "check.h"
#include "graph_oom.h"

#define S(x) sj_sum(x, 0, NULL, 0)
/* a smooth, non-linear read of every element: a wrong gradient shows */
static sj_var *nl(sj_var *x) { return S(sj_mul(sj_tanh(x), sj_add(x, sj_exp(x)))); }

typedef sj_var *(*cost_fn)(sj_var *x);

static const sj_pool2d_opts lenet = {.window = {2, 2}, .ignore_border = 1};
static const sj_pool2d_opts overlap_pad = {.window = {3, 3}, .stride = {1, 2}, .pad = {1, 1, 0, 2}, .ignore_border = 1};
static const sj_pool2d_opts partial = {.window = {3, 2}, .stride = {2, 2}, .ignore_border = 0};
static const sj_pool2d_opts ceil_pad = {.window = {3, 3}, .stride = {2, 2}, .pad = {1, 1, 1, 1}, .ignore_border = 0};
static const sj_pool2d_opts ceil_pad_cp = {.window = {3, 3}, .stride = {2, 2}, .pad = {1, 1, 1, 1}, .count_pad = 1};

static sj_var *c_max_lenet(sj_var *x) { return nl(sj_max_pool2d(x, &lenet)); }
static sj_var *c_max_overlap(sj_var *x) { return nl(sj_max_pool2d(x, &overlap_pad)); }
static sj_var *c_max_partial(sj_var *x) { return nl(sj_max_pool2d(x, &partial)); }
static sj_var *c_max_ceil_pad(sj_var *x) { return nl(sj_max_pool2d(x, &ceil_pad)); }
static sj_var *c_avg_lenet(sj_var *x) { return nl(sj_avg_pool2d(x, &lenet)); }
static sj_var *c_avg_overlap(sj_var *x) { return nl(sj_avg_pool2d(x, &overlap_pad)); }
static sj_var *c_avg_ceil_pad(sj_var *x) { return nl(sj_avg_pool2d(x, &ceil_pad)); }
static sj_var *c_avg_ceil_pad_cp(sj_var *x) {
  sj_pool2d_opts o = ceil_pad_cp;
  o.ignore_border = 0;
  return nl(sj_avg_pool2d(x, &o));
}
static sj_var *c_avg_pad_cp(sj_var *x) { return nl(sj_avg_pool2d(x, &ceil_pad_cp)); }
static sj_var *c_global(sj_var *x) { return nl(sj_global_avg_pool2d(x)); }
/* pooling of pooling, and a smooth function in between */
static sj_var *c_stack(sj_var *x) {
  return nl(sj_avg_pool2d(sj_tanh(sj_max_pool2d(x, &overlap_pad)), &partial));
}
/* second order through average pooling: its gradient is avg_pool2d_grad,
 * whose own gradient is an avg_pool2d again */
static sj_var *c_avg_2nd(sj_var *x) {
  sj_var *g = NULL;
  if (sj_grad(nl(sj_avg_pool2d(x, &ceil_pad)), &x, 1, &g) != SJ_OK) return g;
  return S(sj_mul(g, sj_exp(g)));
}
/* the gradient of max pooling w.r.t. x through a cost of both: the
 * max_pool2d_grad's gradient w.r.t. x is zero (piecewise constant), its
 * incoming gradient here is a constant (so nothing second-order is asked) */
static sj_var *c_max_grad_op(sj_var *x) {
  sj_var *g = NULL, *p = sj_max_pool2d(x, &lenet);
  if (sj_grad(S(sj_mul(p, sj_scalar(x->c, 3, SJ_F64))), &x, 1, &g) != SJ_OK) return g;
  return sj_add(S(sj_mul(g, x)), nl(p));
}

typedef struct gcase {
  const char *name;
  int dyn; /* N dynamic */
  int64_t dims[4];
  cost_fn f;
} gcase;

static void verify(const gcase *gc) {
  sj_ctx *c = sj_ctx_new();
  int64_t vd[4] = {gc->dyn ? -1 : gc->dims[0], gc->dims[1], gc->dims[2], gc->dims[3]};
  sj_var *x = sj_input(c, "x", SJ_F64, 4, vd);
  sj_tensor *xs = sj_tensor_new(SJ_F64, 4, gc->dims);
  sj_tensor_fill_uniform(xs, 7, -1, 1);
  sj_verify_grad_options o;
  sj_verify_grad_options_init(&o);
  o.max_elems = 400;
  sj_var *cost = gc->f(x);
  sj_status st = sj_verify_grad(cost, &x, 1, &xs, &o);
  if (st != SJ_OK) fprintf(stderr, "grad %s: %s\n", gc->name, sj_ctx_errmsg(c)), failures++;
  sj_tensor_free(xs);
  sj_ctx_free(c);
}

static void test_grads(void) {
  const gcase cases[] = {
      {"max 2x2 (LeNet)", 0, {2, 3, 6, 8}, c_max_lenet},
      {"max 2x2, dynamic N", 1, {3, 2, 4, 4}, c_max_lenet},
      {"max overlapping windows, padding", 0, {1, 2, 5, 6}, c_max_overlap},
      {"max partial windows (ignore_border 0)", 0, {2, 1, 7, 5}, c_max_partial},
      {"max ceil mode with padding", 1, {1, 2, 6, 7}, c_max_ceil_pad},
      {"avg 2x2", 0, {2, 3, 6, 8}, c_avg_lenet},
      {"avg overlapping windows, padding", 1, {1, 2, 5, 6}, c_avg_overlap},
      {"avg ceil mode, padding not counted", 0, {1, 2, 6, 7}, c_avg_ceil_pad},
      {"avg ceil mode, padding counted", 0, {1, 2, 6, 7}, c_avg_ceil_pad_cp},
      {"avg floor mode, padding counted", 0, {1, 2, 6, 7}, c_avg_pad_cp},
      {"global average", 1, {2, 3, 5, 4}, c_global},
      {"max then avg", 0, {1, 2, 9, 8}, c_stack},
      {"avg, second order", 0, {1, 2, 6, 7}, c_avg_2nd},
      {"max_pool2d_grad w.r.t. x", 0, {1, 2, 4, 6}, c_max_grad_op},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) verify(&cases[i]);
}

/* ---- ties and NaN: the first maximum of each window gets the gradient ---- */

/* d sum(max_pool2d(x)) / dx for x [1, 1, h, w] holding v. */
static void max_grad_of(int h, int w, const double *v, const sj_pool2d_opts *o, double *dx) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[4] = {1, 1, h, w};
  sj_var *x = sj_input(c, "x", SJ_F32, 4, d), *g = NULL;
  CHECK(sj_grad(S(sj_max_pool2d(x, o)), &x, 1, &g) == SJ_OK);
  sj_function *f = NULL;
  CHECK(sj_compile(c, &x, 1, &g, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
  sj_tensor *in = sj_tensor_new(SJ_F32, 4, d), *out = NULL;
  for (int i = 0; i < h * w; i++) sj_tensor_set(in, i, v[i]);
  CHECK(f && sj_function_call(f, &in, 1, &out, 1) == SJ_OK);
  for (int i = 0; i < h * w; i++) dx[i] = out ? sj_tensor_get(out, i) : NAN;
  sj_tensor_free(in), sj_tensor_free(out);
  sj_function_free(f);
  sj_ctx_free(c);
}

static void expect(const char *what, int n, const double *got, const double *want) {
  for (int i = 0; i < n; i++)
    if (!(got[i] == want[i])) {
      fprintf(stderr, "%s: element %d is %g, expected %g\n", what, i, got[i], want[i]);
      failures++;
      return;
    }
}

static void test_ties(void) {
  double dx[16];
  /* all equal, overlapping 2x2 windows at stride 1: each window's first
   * element (its top-left) gets 1 */
  const double zeros[9] = {0};
  sj_pool2d_opts o = {.window = {2, 2}, .stride = {1, 1}, .ignore_border = 1};
  max_grad_of(3, 3, zeros, &o, dx);
  expect("ties, overlapping", 9, dx, (const double[]){1, 1, 0, 1, 1, 0, 0, 0, 0});
  /* a tie on the second row of a window: the first in row-major order
   * wins; -0 and +0 tie too */
  const double v[8] = {1, 5, 2, -0.0, 5, 3, 0.0, 4};
  sj_pool2d_opts p = {.window = {2, 2}, .ignore_border = 1};
  max_grad_of(2, 4, v, &p, dx);
  expect("ties, row-major", 8, dx, (const double[]){0, 1, 0, 0, 0, 0, 0, 1});
  /* NaN is the maximum (it propagates forward); the first NaN wins; -inf
   * windows route to their first element */
  const double n[8] = {1, NAN, -INFINITY, -INFINITY, NAN, 9, -INFINITY, -INFINITY};
  max_grad_of(2, 4, n, &p, dx);
  expect("NaN and -inf", 8, dx, (const double[]){0, 1, 1, 0, 0, 0, 0, 0});
}

/* ---- shapes of Theano's options ---- */

static void test_shapes(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[4] = {-1, 3, 7, 7};
  sj_var *x = sj_input(c, "x", SJ_F32, 4, d);
  sj_pool2d_opts fl = {.window = {2, 2}, .ignore_border = 1}, ce = {.window = {2, 2}, .ignore_border = 0};
  sj_var *a = sj_max_pool2d(x, &fl), *b = sj_avg_pool2d(x, &ce), *g = sj_global_avg_pool2d(x);
  CHECK(sj_var_dim(a, 0) == -1 && sj_var_dim(a, 1) == 3 && sj_var_dim(a, 2) == 3 && sj_var_dim(a, 3) == 3);
  CHECK(sj_var_dim(b, 2) == 4 && sj_var_dim(b, 3) == 4);
  CHECK(sj_var_rank(g) == 4 && sj_var_dim(g, 1) == 3 && sj_var_dim(g, 2) == 1 && sj_var_dim(g, 3) == 1);
  /* ignore_border 0 keeps a window larger than the input (Theano) */
  int64_t s[4] = {1, 1, 2, 2};
  sj_var *small = sj_input(c, "s", SJ_F32, 4, s);
  sj_pool2d_opts big = {.window = {3, 3}, .ignore_border = 0};
  sj_var *p = sj_max_pool2d(small, &big);
  CHECK(sj_var_dim(p, 2) == 1 && sj_var_dim(p, 3) == 1);
  sj_ctx_free(c);
}

/* ---- errors at the call site ---- */

static void expect_error(sj_ctx *c, sj_var *v, int line, const char *what) {
  char where[512];
  snprintf(where, sizeof where, "%s:%d: error: %s", __FILE__, line, what);
  CHECK(v && sj_var_rank(v) == 0);
  if (!strstr(sj_ctx_errmsg(c), where)) {
    fprintf(stderr, "%s:%d: expected \"%s\" in:\n%s\n", __FILE__, line, where, sj_ctx_errmsg(c));
    failures++;
  }
  sj_ctx_clear_errors(c);
}

static void test_errors(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[4] = {2, 3, 4, 4}, d3[3] = {3, 4, 4};
  sj_var *x = sj_name(sj_input(c, "x", SJ_F32, 4, d), "x"), *x3 = sj_input(c, "x3", SJ_F32, 3, d3);
  sj_var *xi = sj_input(c, "xi", SJ_I32, 4, d);
  int l;
  l = __LINE__ + 1;
  expect_error(c, sj_max_pool2d(x, &(sj_pool2d_opts){.window = {0, 2}}), l,
               "max_pool2d of 'x' f32[2,3,4,4]: 'window' entries must be in [1, 2^30] (window [0, 2], stride [0, 0], pad [0, 0, 0, 0])");
  l = __LINE__ + 1;
  expect_error(c, sj_avg_pool2d(x, &(sj_pool2d_opts){.window = {2, 2}, .stride = {-1, 1}}), l,
               "avg_pool2d of 'x' f32[2,3,4,4]: 'stride' entries must be in [1, 2^30]");
  l = __LINE__ + 1;
  expect_error(c, sj_max_pool2d(x, &(sj_pool2d_opts){.window = {2, 2}, .pad = {0, 0, 2, 0}}), l,
               "max_pool2d of 'x' f32[2,3,4,4]: 'pad' entries must be >= 0 and smaller than the window");
  l = __LINE__ + 1;
  expect_error(c, sj_max_pool2d(x, &(sj_pool2d_opts){.window = {2, 2}, .count_pad = 1}), l,
               "max_pool2d of 'x' f32[2,3,4,4]: count_pad applies to average pooling only");
  l = __LINE__ + 1;
  expect_error(c, sj_max_pool2d(x, NULL), l, "max_pool2d of 'x' f32[2,3,4,4]: the options (the window) are required");
  l = __LINE__ + 1;
  expect_error(c, sj_max_pool2d(x, &(sj_pool2d_opts){.window = {5, 2}, .ignore_border = 1}), l,
               "'max_pool2d' op window 5x2 is larger than the padded input f32[2,3,4,4] (pad [0, 0, 0, 0])");
  l = __LINE__ + 1;
  expect_error(c, sj_avg_pool2d(x3, &lenet), l, "'avg_pool2d' op operand must be a floating-point tensor of rank 4 (NCHW), got f32[3,4,4]");
  l = __LINE__ + 1;
  expect_error(c, sj_max_pool2d(xi, &lenet), l, "'max_pool2d' op operand must be a floating-point tensor of rank 4 (NCHW), got i32[2,3,4,4]");
  l = __LINE__ + 1;
  expect_error(c, sj_global_avg_pool2d(x3), l, "global_avg_pool2d of 'x3' f32[3,4,4]: needs a floating-point tensor of rank 4 (NCHW)");
  /* second derivatives through max pooling: refused, naming both calls */
  sj_var *g = NULL, *h = NULL;
  l = __LINE__ + 1;
  CHECK(sj_grad(nl(sj_max_pool2d(x, &lenet)), &x, 1, &g) == SJ_OK);
  int l2 = __LINE__ + 1;
  CHECK(sj_grad(S(sj_mul(g, g)), &x, 1, &h) != SJ_OK);
  char want[512];
  snprintf(want, sizeof want,
           "%s:%d: error: grad: second derivatives through max pooling are not supported: 'max_pool2d_grad' (built at %s:%d) "
           "has no gradient with respect to its incoming gradient",
           __FILE__, l2, __FILE__, l);
  if (!strstr(sj_ctx_errmsg(c), want)) fprintf(stderr, "expected \"%s\" in:\n%s\n", want, sj_ctx_errmsg(c)), failures++;
  sj_ctx_clear_errors(c);
  /* poison and NULL pass through */
  CHECK(sj_max_pool2d(NULL, &lenet) == NULL && sj_avg_pool2d(NULL, NULL) == NULL && sj_global_avg_pool2d(NULL) == NULL);
  sj_ctx_free(c);
}

/* ---- out of memory: every allocation of building and converting the graph ---- */

static sj_status oom_build(sj_ctx *c, sj_var **in, sj_var **out, void *ud) {
  (void)ud;
  int64_t d[4] = {-1, 2, 6, 6};
  in[0] = sj_input(c, "x", SJ_F32, 4, d);
  sj_var *p = sj_tanh(sj_max_pool2d(in[0], &lenet));
  sj_var *q = sj_avg_pool2d(p, &ceil_pad);
  sj_var *cost = S(sj_add(sj_global_avg_pool2d(q), sj_scalar(c, 1, SJ_F32)));
  out[0] = cost;
  return sj_grad(cost, in, 1, out + 1);
}

static void test_oom(void) {
  graph_oom g = {oom_build, NULL, 1, 2};
  long n = 0;
  failures += graph_oom_sweep(&g, false, &n);
  CHECK(n > 10);
}

int main(void) {
  test_grads();
  test_ties();
  test_shapes();
  test_errors();
  test_oom();
  if (failures) fprintf(stderr, "%d failure(s)\n", failures);
  return failures != 0;
}
