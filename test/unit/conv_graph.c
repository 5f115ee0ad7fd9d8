/* conv2d through the graph API: gradients for x and w against central
 * differences (sj_verify_grad, f64) with strides, asymmetric padding,
 * dilation, groups and a dynamic batch; a second derivative (through the
 * VJPs of conv2d_input_grad and conv2d_filter_grad); "same" and "valid"
 * padding against explicit pads and a hand-computed value; build errors
 * naming this file's line; and an out-of-memory sweep over building a
 * conv net's gradient graph and its func. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "graph_internal.h"
#include "symjit/graph.h"

#include "check.h"
#include "graph_oom.h"

static sj_tensor *rnd(int rank, const int64_t *d, uint64_t seed) {
  sj_tensor *t = sj_tensor_new(SJ_F64, rank, d);
  sj_tensor_fill_uniform(t, seed, -1, 1);
  return t;
}

/* ---- gradients ---- */

typedef struct gcase {
  const char *name;
  int64_t x[4], w[4];
  sj_conv2d_opts o;
  bool dyn_batch;
} gcase;

static void grad_case(const gcase *k) {
  sj_ctx *c = sj_ctx_new();
  int64_t xd[4];
  memcpy(xd, k->x, sizeof xd);
  if (k->dyn_batch) xd[0] = -1;
  sj_var *in[2] = {sj_input(c, "x", SJ_F64, 4, xd), sj_input(c, "w", SJ_F64, 4, k->w)};
  sj_var *y = sj_conv2d(in[0], in[1], &k->o);
  sj_tensor *v[2] = {rnd(4, k->x, 3), rnd(4, k->w, 4)};
  sj_verify_grad_options vo;
  sj_verify_grad_options_init(&vo);
  vo.max_elems = 64;
  sj_status st = sj_verify_grad(y, in, 2, v, &vo);
  if (st) fprintf(stderr, "grad %s: %s\n", k->name, sj_ctx_errmsg(c));
  CHECK(st == SJ_OK);
  sj_tensor_free(v[0]), sj_tensor_free(v[1]);
  sj_ctx_free(c);
}

static void test_grads(void) {
  static const gcase cases[] = {
      {"valid 5x5 (LeNet conv1 shape, small)", {2, 1, 9, 8}, {3, 1, 5, 5}, {{0, 0}, {0, 0}, 0, SJ_PAD_VALID, {0}}, false},
      {"stride 2x3, pad 2,1,0,3", {2, 2, 7, 8}, {3, 2, 3, 2}, {{2, 3}, {0, 0}, 0, SJ_PAD_EXPLICIT, {2, 1, 0, 3}}, false},
      {"dilation 2x1, pad 1", {1, 3, 8, 6}, {2, 3, 3, 3}, {{1, 1}, {2, 1}, 1, SJ_PAD_EXPLICIT, {1, 1, 1, 1}}, false},
      {"groups 2, stride 2, dynamic batch", {3, 4, 6, 7}, {6, 2, 3, 2}, {{2, 2}, {0, 0}, 2, SJ_PAD_EXPLICIT, {1, 0, 0, 1}}, true},
      {"depthwise, same", {2, 3, 5, 5}, {3, 1, 3, 3}, {{1, 1}, {1, 1}, 3, SJ_PAD_SAME, {0}}, false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) grad_case(&cases[i]);
}

/* d/dx and d/dw of cost = sum(grad_x(sum(conv(x,w)^2)) * P) + the same for
 * grad_w: the gradient graph holds conv2d_input_grad and
 * conv2d_filter_grad, whose own VJPs are checked here. */
static void test_second_order(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t xd[4] = {2, 2, 6, 5}, wd[4] = {2, 1, 3, 2};
  sj_conv2d_opts o = {{2, 1}, {1, 2}, 2, SJ_PAD_EXPLICIT, {1, 0, 2, 1}};
  sj_var *in[2] = {sj_input(c, "x", SJ_F64, 4, xd), sj_input(c, "w", SJ_F64, 4, wd)};
  sj_var *y = sj_conv2d(in[0], in[1], &o), *g[2];
  CHECK(sj_grad(sj_sum(sj_mul(y, y), 0, NULL, 0), in, 2, g) == SJ_OK);
  sj_var *both = sj_add(sj_sum(sj_mul(g[0], g[0]), 0, NULL, 0), sj_sum(sj_mul(g[1], g[1]), 0, NULL, 0));
  sj_tensor *v[2] = {rnd(4, xd, 5), rnd(4, wd, 6)};
  sj_verify_grad_options vo;
  sj_verify_grad_options_init(&vo);
  vo.max_elems = 40;
  sj_status st = sj_verify_grad(both, in, 2, v, &vo);
  if (st) fprintf(stderr, "second order: %s\n", sj_ctx_errmsg(c));
  CHECK(st == SJ_OK);
  sj_tensor_free(v[0]), sj_tensor_free(v[1]);
  sj_ctx_free(c);
}

/* ---- padding modes ---- */

static sj_tensor *run2(sj_ctx *c, sj_var *const *in, sj_var *out, sj_tensor *const *v) {
  sj_function *f = NULL;
  sj_tensor *r = NULL;
  if (sj_compile(c, in, 2, &out, 1, NULL, 0, NULL, 0, NULL, &f) || sj_function_call(f, v, 2, &r, 1))
    fprintf(stderr, "run: %s\n", sj_ctx_errmsg(c)), failures++;
  sj_function_free(f);
  return r;
}

static bool same_values(const sj_tensor *a, const sj_tensor *b) {
  if (!a || !b || sj_tensor_rank(a) != sj_tensor_rank(b) || sj_tensor_numel(a) != sj_tensor_numel(b)) return false;
  for (int k = 0; k < sj_tensor_rank(a); k++)
    if (sj_tensor_dims(a)[k] != sj_tensor_dims(b)[k]) return false;
  for (int64_t i = 0; i < sj_tensor_numel(a); i++)
    if (sj_tensor_get(a, i) != sj_tensor_get(b, i)) return false;
  return true;
}

/* "same" with stride 2 on H = 7, W = 8 and a 3x4 kernel dilated [1, 2]:
 * OH = 4, OW = 4, total pads 2 (1, 1) and 5 (2, 3: the smaller half
 * first) -> equal to the explicit pads; NULL opts (stride 1, no padding)
 * equal SJ_PAD_VALID with zero fields ([1, 3, 5, 5]); one output by hand. */
static void test_padding_modes(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t xd[4] = {1, 2, 7, 8}, wd[4] = {3, 2, 3, 4};
  sj_var *in[2] = {sj_input(c, "x", SJ_F64, 4, xd), sj_input(c, "w", SJ_F64, 4, wd)};
  sj_conv2d_opts same = {{2, 2}, {1, 2}, 1, SJ_PAD_SAME, {0}}, expl = {{2, 2}, {1, 2}, 1, SJ_PAD_EXPLICIT, {1, 1, 2, 3}};
  sj_conv2d_opts valid = {{0, 0}, {0, 0}, 0, SJ_PAD_VALID, {9, 9, 9, 9}}; /* pads ignored */
  sj_var *ys = sj_conv2d(in[0], in[1], &same), *ye = sj_conv2d(in[0], in[1], &expl);
  sj_var *yn = sj_conv2d(in[0], in[1], NULL), *yv = sj_conv2d(in[0], in[1], &valid);
  sj_tensor *v[2] = {rnd(4, xd, 1), rnd(4, wd, 2)};
  sj_tensor *rs = run2(c, in, ys, v), *re = run2(c, in, ye, v), *rn = run2(c, in, yn, v), *rv = run2(c, in, yv, v);
  CHECK(rs && sj_tensor_dims(rs)[2] == 4 && sj_tensor_dims(rs)[3] == 4);
  CHECK(same_values(rs, re));
  CHECK(rn && sj_tensor_dims(rn)[2] == 5 && sj_tensor_dims(rn)[3] == 5);
  CHECK(same_values(rn, rv));
  /* valid output [0, 1, 2, 1]: sum_c,kh,kw x[0, c, 2 + kh, 1 + kw] * w[1, c, kh, kw] */
  double want = 0;
  for (int ch = 0; ch < 2; ch++)
    for (int kh = 0; kh < 3; kh++)
      for (int kw = 0; kw < 4; kw++)
        want += sj_tensor_get(v[0], (ch * 7 + 2 + kh) * 8 + 1 + kw) * sj_tensor_get(v[1], ((2 + ch) * 3 + kh) * 4 + kw);
  CHECK(rn && fabs(sj_tensor_get(rn, (1 * 5 + 2) * 5 + 1) - want) < 1e-12);
  sj_tensor_free(rs), sj_tensor_free(re), sj_tensor_free(rn), sj_tensor_free(rv);
  sj_tensor_free(v[0]), sj_tensor_free(v[1]);
  sj_ctx_free(c);
}

/* ---- build errors ---- */

/* Builds conv2d(x, w, o) at this file's line `line`; expects a failure whose
 * message starts with "conv_graph.c:<line>" and contains `want`. */
static void expect_error(const int64_t *xd, const int64_t *wd, sj_dtype wdt, const sj_conv2d_opts *o, const char *want) {
  sj_ctx *c = sj_ctx_new();
  sj_var *x = sj_input(c, "x", SJ_F32, 4, xd), *w = sj_input(c, "w", wdt, 4, wd);
  int line = __LINE__ + 1;
  sj_var *y = sj_conv2d_at(x, w, o, __FILE__, line);
  char at[64];
  snprintf(at, sizeof at, "conv_graph.c:%d", line);
  const char *m = sj_ctx_errmsg(c);
  bool ok = y && ((y)->kind == VAR_POISON) && strstr(m, at) && strstr(m, want);
  if (!ok) fprintf(stderr, "expected an error with '%s' at %s, got: %s\n", want, at, m), failures++;
  /* the graph stays failed: the next builder returns poison too */
  CHECK(sj_add(x, x)->kind == VAR_POISON);
  sj_ctx_free(c);
}

static void test_errors(void) {
  int64_t x[4] = {2, 6, 5, 5}, xdyn[4] = {2, 6, -1, 5}, w[4] = {4, 3, 3, 3}, big[4] = {4, 3, 6, 3}, w4[4] = {4, 6, 3, 3};
  sj_conv2d_opts g2 = {{1, 1}, {1, 1}, 2, SJ_PAD_VALID, {0}}, g4 = {{1, 1}, {1, 1}, 4, SJ_PAD_VALID, {0}};
  expect_error(x, big, SJ_F32, &g2,
               "'conv2d' op the kernel spans 6 rows (6 taps, dilation 1), more than the 5 of the padded input (5 + pad 0 + 0): "
               "input f32[2,6,5,5], filter f32[4,3,6,3]");
  expect_error(x, w, SJ_F32, &g4, "'conv2d' op groups = 4 does not divide the 6 input channels of f32[2,6,5,5]");
  expect_error(x, w, SJ_F32, NULL, "'conv2d' op filter f32[4,3,3,3] has 3 input channels per group, input f32[2,6,5,5] has 6 / 1 groups = 6");
  expect_error(x, w4, SJ_F64, NULL, "'conv2d' op filter must be a rank-4 tensor (OIHW) of the input's dtype, got f64[4,6,3,3] for input f32[2,6,5,5]");
  sj_conv2d_opts neg = {{-1, 1}, {1, 1}, 1, SJ_PAD_VALID, {0}}, negpad = {{1, 1}, {1, 1}, 1, SJ_PAD_EXPLICIT, {0, -2, 0, 0}};
  sj_conv2d_opts badmode = {{1, 1}, {1, 1}, 1, 7, {0}}, negg = {{1, 1}, {1, 1}, -2, SJ_PAD_VALID, {0}};
  expect_error(x, w4, SJ_F32, &neg, "conv2d: stride and dilation must be >= 1 (0 means 1), got stride [-1, 1], dilation [1, 1]");
  expect_error(x, w4, SJ_F32, &negpad, "conv2d: pads must be >= 0, got [0, -2, 0, 0]");
  expect_error(x, w4, SJ_F32, &badmode, "conv2d: padding must be SJ_PAD_EXPLICIT, SJ_PAD_VALID or SJ_PAD_SAME, got 7");
  expect_error(x, w4, SJ_F32, &negg, "conv2d: groups must be >= 1 (0 means 1), got -2");
  sj_conv2d_opts same = {{1, 1}, {1, 1}, 1, SJ_PAD_SAME, {0}};
  expect_error(xdyn, w4, SJ_F32, &same, "conv2d: SJ_PAD_SAME needs static spatial dims and a non-empty kernel, got input 'x' f32[2,6,?,5]");
  /* a NULL operand */
  sj_ctx *c = sj_ctx_new();
  sj_var *xv = sj_input(c, "x", SJ_F32, 4, x);
  CHECK(sj_conv2d(xv, NULL, NULL)->kind == VAR_POISON && strstr(sj_ctx_errmsg(c), "operand 1 is NULL"));
  sj_ctx_free(c);
}

/* ---- out of memory ---- */

static sj_status build(sj_ctx *c, sj_var **in, sj_var **outs, void *ud) {
  (void)ud;
  int64_t xd[4] = {-1, 2, 6, 6}, wd[4] = {4, 1, 3, 3};
  in[0] = sj_input(c, "x", SJ_F32, 4, xd);
  in[1] = sj_input(c, "w", SJ_F32, 4, wd);
  sj_conv2d_opts o = {{1, 1}, {1, 1}, 2, SJ_PAD_SAME, {0}};
  sj_var *y = sj_tanh(sj_conv2d(in[0], in[1], &o));
  outs[0] = sj_sum(sj_mul(y, y), 0, NULL, 0);
  return sj_grad(outs[0], in, 2, outs + 1);
}

static void test_oom(void) {
  graph_oom g = {build, NULL, 2, 3};
  long n = 0;
  failures += graph_oom_sweep(&g, true, &n);
  CHECK(n > 10);
}

int main(void) {
  test_grads();
  test_second_order();
  test_padding_modes();
  test_errors();
  test_oom();
  printf("conv_graph: %d failures\n", failures);
  return failures != 0;
}
