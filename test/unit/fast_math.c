/* The NaN policy of one compile (sj_compile_options.fast_math,
 * docs/fast-math.md): off by default, so x / x is NaN at x = 0 and inf and
 * pow(x, 0.5) is +0 at x = -0; on, x / x is 1 and pow(x, 0.5) is sqrt(x)
 * (-0 at -0). The option applies to that compile only: a later compile
 * without it is exact again. Through the module API and the graph API. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "symjit/graph.h"
#include "symjit/symjit.h"

#include "check.h"

enum { N = 4 };
static const float xs[N] = {0.0f, INFINITY, -0.0f, 2.0f};

/* Runs f on xs; out0 = x / x, out1 = 1 / pow(x, 0.5) (the sign of a zero
 * root shows as the sign of an infinity). */
static void run(sj_function *f, float *q, float *r) {
  int64_t d[1] = {N};
  float x[N];
  memcpy(x, xs, sizeof x);
  sj_tensor *in = sj_tensor_wrap(SJ_F32, 1, d, x), *out[2] = {0};
  CHECK(sj_function_call(f, &in, 1, out, 2) == SJ_OK);
  for (int i = 0; i < N; i++) {
    q[i] = (float)sj_tensor_get(out[0], i);
    r[i] = (float)sj_tensor_get(out[1], i);
  }
  sj_tensor_free(in);
  sj_tensor_free(out[0]);
  sj_tensor_free(out[1]);
}

static void expect(sj_function *f, bool fast) {
  float q[N], r[N];
  CHECK(f != NULL);
  if (!f) return;
  run(f, q, r);
  /* x / x */
  CHECK(fast ? q[0] == 1 : isnan(q[0]));
  CHECK(fast ? q[1] == 1 : isnan(q[1]));
  CHECK(q[3] == 1);
  /* 1 / pow(-0, 0.5): pow gives +0 (so +inf); sqrt(-0) is -0 (so -inf) */
  CHECK(r[2] == (fast ? -INFINITY : INFINITY));
  CHECK(r[0] == INFINITY);
  CHECK(fabsf(r[3] - 1 / sqrtf(2)) < 1e-6f);
}

static const char *const src = "func @f(%x: f32[4]) -> (f32[4], f32[4]) {\n"
                               "  %h = constant {value = 0.5} : f32[]\n"
                               "  %one = constant {value = 1.0} : f32[]\n"
                               "  %q = div %x, %x : f32[4]\n"
                               "  %p = pow %x, %h : f32[4]\n"
                               "  %r = div %one, %p : f32[4]\n"
                               "  return %q, %r\n"
                               "}\n";

static void test_module(sj_ctx *c) {
  sj_module *m;
  CHECK(sj_module_parse(c, src, strlen(src), "fast_math", &m) == SJ_OK);
  sj_compile_options o;
  sj_compile_options_init(&o);
  CHECK(o.fast_math == 0);
  sj_function *f = NULL;
  for (int pass = 0; pass < 2; pass++) { /* exact, fast, then exact again */
    o.fast_math = 0;
    CHECK(sj_module_compile(m, "f", &o, &f) == SJ_OK);
    expect(f, false);
    sj_function_free(f);
    if (pass) break;
    o.fast_math = 1;
    CHECK(sj_module_compile(m, "f", &o, &f) == SJ_OK);
    expect(f, true);
    sj_function_free(f);
  }
  CHECK(sj_module_compile(m, "f", NULL, &f) == SJ_OK); /* NULL options: exact */
  expect(f, false);
  sj_function_free(f);
}

static void test_graph(sj_ctx *c) {
  int64_t d[1] = {N};
  sj_var *x = sj_input(c, "x", SJ_F32, 1, d);
  sj_var *outs[2] = {sj_div(x, x), sj_div(sj_scalar(c, 1, SJ_F32), sj_pow(x, sj_scalar(c, 0.5, SJ_F32)))};
  sj_compile_options o;
  sj_compile_options_init(&o);
  for (int fast = 0; fast < 2; fast++) {
    o.fast_math = fast;
    sj_function *f = NULL;
    CHECK(sj_compile(c, &x, 1, outs, 2, NULL, 0, NULL, 0, &o, &f) == SJ_OK);
    expect(f, fast);
    sj_function_free(f);
  }
}

int main(void) {
  sj_ctx *c = sj_ctx_new();
  test_module(c);
  test_graph(c);
  if (failures) fprintf(stderr, "%s\n", sj_ctx_errmsg(c));
  sj_ctx_free(c);
  return failures != 0;
}
