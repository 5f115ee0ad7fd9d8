/* What a Theano user reaches for first (issue 10, sections 4 and 5): the
 * gradient controls (values, and no trace of them in the compiled IR),
 * "not differentiable" errors, sj_compile's call site in its errors,
 * on_unused_input, and user-facing names of composite ops. Every check has
 * a negative case. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"
#include "ref_eval.h"
#include "symjit/graph.h"
#include "text.h"

#include "check.h"

static sj_tensor *randt(sj_dtype dt, int rank, const int64_t *dims, uint64_t seed, double lo, double hi) {
  sj_tensor *t = sj_tensor_new(dt, rank, dims);
  sj_tensor_fill_uniform(t, seed, lo, hi);
  return t;
}

static bool has(sj_ctx *c, const char *s) {
  bool ok = strstr(sj_ctx_errmsg(c), s) != NULL;
  if (!ok) fprintf(stderr, "expected '%s' in:\n%s\n", s, sj_ctx_errmsg(c));
  return ok;
}

/* Compiles outputs of inputs and runs it once on `in`; out[] get results. */
static bool run(sj_ctx *c, sj_var *const *ins, size_t nin, sj_var *const *outs, size_t nout, sj_tensor *const *in,
                sj_tensor **out) {
  sj_function *f = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  bool ok = sj_compile(c, ins, nin, outs, nout, NULL, 0, NULL, 0, &o, &f) == SJ_OK &&
            sj_function_call(f, in, nin, out, nout) == SJ_OK;
  if (!ok) fprintf(stderr, "run: %s\n", sj_ctx_errmsg(c));
  sj_function_free(f);
  return ok;
}

/* The IR sj_compile would compile, as text. */
static char *graph_ir(sj_ctx *c, sj_var *const *ins, size_t nin, sj_var *const *outs, size_t nout) {
  sj_module *m = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  if (sj_graph_module(c, ins, nin, outs, nout, &o, &m, __FILE__, __LINE__) != SJ_OK) return NULL;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  sj_print_module(f, m);
  fclose(f);
  return buf;
}

/* ---- gradient controls ---- */

static void test_grad_controls(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {5};
  sj_var *x = sj_input(c, "x", SJ_F64, 1, d);
  /* cost = sum(sg(x) * x) + sum(clip(x)^3)/3 + 2*sum(scale(x)) */
  sj_var *a = sj_sum(sj_mul(sj_stop_gradient(x), x), 0, NULL, 0);
  sj_var *cx = sj_clip_grad(x, -0.25, 0.5);
  sj_var *b = sj_div(sj_sum(sj_mul(sj_mul(cx, cx), cx), 0, NULL, 0), sj_scalar(c, 3, SJ_F64));
  sj_var *s = sj_mul(sj_scalar(c, 2, SJ_F64), sj_sum(sj_scale_grad(x, -3), 0, NULL, 0));
  sj_var *terms[3] = {a, b, s}, *g[3];
  for (int t = 0; t < 3; t++) CHECK(sj_grad(terms[t], &x, 1, &g[t]) == SJ_OK);
  sj_var *outs[7] = {a, b, s, g[0], g[1], g[2], sj_scale_grad(x, 4)};
  sj_tensor *in = randt(SJ_F64, 1, d, 3, -1, 1), *o[7] = {0};
  CHECK(run(c, &x, 1, outs, 7, &in, o));
  double sa = 0, sb = 0, ss = 0;
  for (int i = 0; o[0] && i < 5; i++) {
    double v = sj_tensor_get(in, i);
    sa += v * v, sb += v * v * v / 3, ss += 2 * v;
    CHECK(sj_tensor_get(o[3], i) == v);                                          /* d/dx sum(sg(x)*x) = x */
    CHECK(fabs(sj_tensor_get(o[4], i) - fmin(fmax(v * v, -0.25), 0.5)) < 1e-15); /* clipped x^2 */
    CHECK(sj_tensor_get(o[5], i) == -6);                                         /* 2 * (-3) */
    CHECK(sj_tensor_get(o[6], i) == v);                                          /* identity forward */
  }
  if (o[0]) CHECK(fabs(sj_tensor_get(o[0], 0) - sa) < 1e-12 && fabs(sj_tensor_get(o[1], 0) - sb) < 1e-12);
  if (o[0]) CHECK(fabs(sj_tensor_get(o[2], 0) - ss) < 1e-12);
  /* the IR sj_compile compiles holds none of them */
  char *ir = graph_ir(c, &x, 1, outs, 7);
  CHECK(ir && !strstr(ir, "stop_gradient") && !strstr(ir, "clip_grad") && !strstr(ir, "scale_grad"));
  CHECK(ir && strstr(ir, "func @graph_fn")); /* and is the function (the check above can fail) */
  free(ir);
  for (int i = 0; i < 7; i++) sj_tensor_free(o[i]);
  sj_tensor_free(in);
  /* gradient controls compose with a second derivative: d2/dx2 sum(scale(x^2)) */
  sj_var *y = sj_input(c, "y", SJ_F64, 0, NULL), *gy, *ggy;
  CHECK(sj_grad(sj_scale_grad(sj_mul(y, y), 0.5), &y, 1, &gy) == SJ_OK);
  CHECK(sj_grad(gy, &y, 1, &ggy) == SJ_OK);
  sj_tensor *yv = sj_tensor_new(SJ_F64, 0, NULL), *yo[2] = {0};
  sj_tensor_set(yv, 0, 3);
  sj_var *youts[2] = {gy, ggy};
  CHECK(run(c, &y, 1, youts, 2, &yv, yo));
  if (yo[0]) CHECK(sj_tensor_get(yo[0], 0) == 3 && sj_tensor_get(yo[1], 0) == 1);
  sj_tensor_free(yv), sj_tensor_free(yo[0]), sj_tensor_free(yo[1]);
  sj_ctx_free(c);

  c = sj_ctx_new();
  x = sj_input(c, "x", SJ_F64, 1, d);
  int line = __LINE__ + 1;
  sj_var *bad = sj_clip_grad(x, 1, -1);
  char where[64];
  snprintf(where, sizeof where, "theano_api.c:%d: error: clip_grad: needs lo <= hi", line);
  CHECK(sj_compile(c, &x, 1, &bad, 1, NULL, 0, NULL, 0, NULL, &(sj_function *){0}) != SJ_OK && has(c, where));
  sj_ctx_clear_errors(c);
  bad = sj_scale_grad(x, INFINITY);
  CHECK(has(c, "scale_grad: the scale must be finite"));
  sj_ctx_clear_errors(c);
  /* a gradient control in text IR is refused by the verifier */
  const char *txt = "func @f(%x: f32[3]) -> (f32[3]) {\n  %0 = stop_gradient %x : f32[3]\n  return %0\n}\n";
  sj_module *m = NULL;
  CHECK(sj_module_parse(c, txt, strlen(txt), "t.sj", &m) != SJ_OK && has(c, "cannot appear in a function"));
  sj_ctx_free(c);
}

/* ---- not differentiable vs not connected ---- */

static void test_not_differentiable(void) {
  int64_t d[2] = {2, 3};
  struct {
    const char *what;
    int kind;
  } cases[] = {{"'sign'", 0}, {"'gt'", 1}, {"'argmax'", 2}, {"a cast to an integer dtype", 3}};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    sj_ctx *c = sj_ctx_new();
    sj_var *x = sj_input(c, "x", SJ_F64, 2, d), *y = NULL, *g = NULL;
    int line = __LINE__ + 2;
    switch (cases[k].kind) {
    case 0: y = sj_sign(x); break;
    case 1: y = sj_cast(sj_gt(x, sj_scalar(c, 0, SJ_F64)), SJ_F64); break;
    case 2: y = sj_cast(sj_argmax(x, 1), SJ_F64); break;
    default: y = sj_cast(sj_cast(x, SJ_I32), SJ_F64); break;
    }
    CHECK(sj_grad(sj_sum(y, 0, NULL, 0), &x, 1, &g) != SJ_OK);
    char want[160];
    snprintf(want, sizeof want, "grad: not differentiable: 'x' reaches the cost only through %s (built at %s:%d)",
             cases[k].what, __FILE__, line + cases[k].kind);
    CHECK(has(c, want));
    CHECK(!strstr(sj_ctx_errmsg(c), "not connected"));
    CHECK(!strstr(sj_ctx_errmsg(c), "'min'") && !strstr(sj_ctx_errmsg(c), "'select'"));
    sj_ctx_free(c);
  }
  /* really disconnected stays "not connected"; one wrt through a comparison
   * and another connected: the connected one gets its gradient */
  sj_ctx *c = sj_ctx_new();
  sj_var *x = sj_input(c, "x", SJ_F64, 2, d), *z = sj_input(c, "z", SJ_F64, 2, d), *g[2];
  sj_var *cost = sj_sum(sj_mul(z, sj_cast(sj_gt(x, z), SJ_F64)), 0, NULL, 0), *wrt[2] = {z, x};
  CHECK(sj_grad(cost, wrt, 1, g) == SJ_OK);
  CHECK(sj_grad(cost, wrt, 2, g) != SJ_OK && has(c, "not differentiable: 'x'"));
  sj_ctx_clear_errors(c);
  sj_var *w = sj_input(c, "w", SJ_F64, 2, d);
  CHECK(sj_grad(sj_sum(x, 0, NULL, 0), &w, 1, g) != SJ_OK && has(c, "'w' is not connected to the cost"));
  sj_ctx_free(c);
}

/* A message about a composite's result names the op the user called. */
static void test_labels(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[2] = {2, 3}, e[1] = {4};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, d), *v = sj_input(c, "v", SJ_I32, 1, e);
  CHECK(sj_add(sj_argmax(x, 1), v)->kind == VAR_POISON);
  CHECK(has(c, "(result of 'argmax') i32[2]") && !strstr(sj_ctx_errmsg(c), "'min'"));
  sj_ctx_clear_errors(c);
  CHECK(sj_add(sj_softmax(x, 1), sj_input(c, "w", SJ_F32, 1, e))->kind == VAR_POISON);
  CHECK(has(c, "(result of 'softmax') f32[2,3]"));
  sj_ctx_free(c);
}

/* ---- sj_compile: call site, on_unused_input ---- */

static void test_compile_errors(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {3};
  sj_var *x = sj_input(c, "x", SJ_F32, 1, d), *y = sj_input(c, "y", SJ_F32, 1, d);
  sj_var *out = sj_exp(x), *ins[2] = {x, y};
  sj_function *f = NULL;
  char want[256];
  int line = __LINE__ + 1;
  CHECK(sj_compile(c, ins, 2, &out, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_ERR_INVALID && f == NULL);
  snprintf(want, sizeof want, "%s:%d: error: sj_compile: input 1 'y' is not used by the outputs or updates", __FILE__,
           line);
  CHECK(has(c, want) && !strstr(sj_ctx_errmsg(c), "<generated>"));
  sj_ctx_clear_errors(c);
  sj_compile_options o;
  sj_compile_options_init(&o);
  CHECK(o.on_unused_input == SJ_UNUSED_INPUT_RAISE);
  o.on_unused_input = SJ_UNUSED_INPUT_WARN;
  CHECK(sj_compile(c, ins, 2, &out, 1, NULL, 0, NULL, 0, &o, &f) == SJ_OK && f);
  CHECK(has(c, "warning: sj_compile: input 1 'y' is not used"));
  sj_tensor *in[2] = {randt(SJ_F32, 1, d, 1, -1, 1), randt(SJ_F32, 1, d, 2, -1, 1)}, *r = NULL;
  CHECK(f && sj_function_call(f, in, 2, &r, 1) == SJ_OK); /* y is still an argument */
  if (r) CHECK(fabs(sj_tensor_get(r, 1) - exp(sj_tensor_get(in[0], 1))) < 1e-6);
  sj_tensor_free(r), sj_function_free(f), f = NULL;
  sj_ctx_clear_errors(c);
  o.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  CHECK(sj_compile(c, ins, 2, &out, 1, NULL, 0, NULL, 0, &o, &f) == SJ_OK && f);
  CHECK(sj_ctx_errmsg(c)[0] == '\0');
  sj_function_free(f), f = NULL;
  /* used only through a gradient control, a given, or an update: used */
  sj_var *o2 = sj_add(x, sj_stop_gradient(y));
  CHECK(sj_compile(c, ins, 2, &o2, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
  sj_function_free(f), f = NULL;
  /* other sj_compile errors name the call too */
  sj_given gv = {y, sj_input(c, "z", SJ_F32, 0, NULL)};
  line = __LINE__ + 1;
  CHECK(sj_compile(c, &x, 1, &o2, 1, NULL, 0, &gv, 1, NULL, &f) != SJ_OK);
  snprintf(want, sizeof want, "%s:%d: error: sj_compile: given 0 replaces 'y'", __FILE__, line);
  CHECK(has(c, want));
  sj_ctx_clear_errors(c);
  line = __LINE__ + 1;
  CHECK(sj_compile(c, &x, 1, &o2, 1, NULL, 0, NULL, 0, NULL, &f) != SJ_OK);
  snprintf(want, sizeof want, "%s:%d: error: sj_compile: the outputs depend on input 'y'", __FILE__, line);
  CHECK(has(c, want));
  for (int i = 0; i < 2; i++) sj_tensor_free(in[i]);
  sj_ctx_free(c);
}

/* The compiled function against the reference evaluator (double precision,
 * one op at a time) on the func sj_compile builds: weak literals, a vector
 * matmul, a constant, concatenate, stack, copy, and a gradient through the
 * gradient controls, with a dynamic batch dim. */
static void test_reference(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dX[2] = {-1, 3}, dw[1] = {3}, rX[2] = {4, 3};
  sj_var *X = sj_input(c, "X", SJ_F32, 2, dX), *w = sj_input(c, "w", SJ_F32, 1, dw);
  sj_tensor *kt = sj_tensor_new(SJ_F32, 1, dw);
  sj_tensor_fill_uniform(kt, 9, -2, 2);
  sj_var *parts[2] = {X, sj_copy(X)}, *kparts[3] = {w, sj_constant(c, kt), w};
  sj_var *cat = sj_concatenate(parts, 2, 1), *kcat = sj_concatenate(kparts, 3, -1); /* [?, 6], [9] */
  sj_var *h = sj_tanh(sj_add(sj_matmul(X, w), sj_scalar(c, 0.5, SJ_F64))); /* [?] */
  sj_var *st[2] = {w, sj_mul(w, sj_scalar(c, 3, SJ_I32))}, *S = sj_stack(st, 2, 1); /* [3, 2] */
  sj_var *cost = sj_add(sj_sum(sj_mul(h, h), 0, NULL, 0),
                        sj_sum(sj_matmul(sj_clip_grad(sj_scale_grad(X, 2), -0.5, 0.5), S), 0, NULL, 0));
  sj_var *g[2], *ins[2] = {X, w};
  CHECK(sj_grad(cost, ins, 2, g) == SJ_OK);
  sj_var *outs[6] = {cat, h, S, g[0], g[1], kcat};
  sj_tensor *in[2] = {sj_tensor_new(SJ_F32, 2, rX), sj_tensor_new(SJ_F32, 1, dw)}, *o[6] = {0}, *r[6] = {0};
  sj_tensor_fill_uniform(in[0], 1, -1, 1), sj_tensor_fill_uniform(in[1], 2, -1, 1);
  CHECK(run(c, ins, 2, outs, 6, in, o));
  sj_module *m = NULL;
  CHECK(sj_graph_module(c, ins, 2, outs, 6, NULL, &m, __FILE__, __LINE__) == SJ_OK);
  if (m) CHECK(sj_ref_eval(c, m->body->first, in, 2, r, 6) == SJ_OK);
  double worst = 0;
  for (int i = 0; o[0] && r[0] && i < 6; i++) {
    CHECK(sj_tensor_numel(o[i]) == sj_tensor_numel(r[i]));
    for (int64_t e = 0; e < sj_tensor_numel(o[i]); e++)
      worst = fmax(worst, fabs(sj_tensor_get(o[i], e) - sj_tensor_get(r[i], e)) / fmax(1, fabs(sj_tensor_get(r[i], e))));
  }
  if (o[0]) CHECK(sj_tensor_dims(o[0])[0] == 4 && sj_tensor_dims(o[0])[1] == 6 && sj_tensor_get(o[0], 10) == sj_tensor_get(in[0], 4));
  if (o[5]) CHECK(sj_tensor_numel(o[5]) == 9 && sj_tensor_get(o[5], 4) == sj_tensor_get(kt, 1));
  if (!(worst < 1e-5)) fprintf(stderr, "reference: max relative error %.3g\n%s", worst, sj_ctx_errmsg(c)), failures++;
  for (int i = 0; i < 6; i++) sj_tensor_free(o[i]), sj_tensor_free(r[i]);
  sj_tensor_free(in[0]), sj_tensor_free(in[1]), sj_tensor_free(kt);
  sj_ctx_free(c);
}

/* NULL arguments: NULL (no context), SJ_ERR_INVALID or a recorded error,
 * never a crash. */
static void test_nulls(void) {
  CHECK(sj_stop_gradient(NULL) == NULL && sj_clip_grad(NULL, 0, 1) == NULL && sj_scale_grad(NULL, 2) == NULL);
  CHECK(sj_copy(NULL) == NULL && sj_constant(NULL, NULL) == NULL && sj_stack(NULL, 0, 0) == NULL);
  sj_var *J = NULL;
  CHECK(sj_jacobian(NULL, NULL, &J) == SJ_ERR_INVALID);
  CHECK(sj_verify_grad(NULL, NULL, 0, NULL, NULL) == SJ_ERR_INVALID);
  sj_verify_grad_options_init(NULL);
  sj_function *f = NULL;
  CHECK(sj_compile(NULL, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, &f) == SJ_ERR_INVALID);
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {2};
  sj_var *x = sj_input(c, "x", SJ_F64, 1, d);
  CHECK(sj_verify_grad(x, &x, 1, (sj_tensor *const[]){NULL}, NULL) == SJ_ERR_VERIFY && has(c, "with a value"));
  sj_ctx_clear_errors(c);
  sj_var *two[2] = {x, NULL};
  CHECK(sj_stack(two, 2, 0)->kind == VAR_POISON && has(c, "stack: operand 1 is NULL"));
  sj_ctx_free(c);
}

int main(void) {
  test_nulls();
  test_reference();
  test_grad_controls();
  test_not_differentiable();
  test_labels();
  test_compile_errors();
  printf("theano_api: %d failures\n", failures);
  return failures != 0;
}
