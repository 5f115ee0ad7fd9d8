/* The public C API: happy paths and every error path (NULLs, wrong input
 * count, dtype, rank, static and dynamic shapes, bad output tensors, parse
 * and compile errors). Errors must return a status and a message, never
 * crash or write outputs. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "symjit/symjit.h"

#include "check.h"

#define CHECK_ERR(ctx, call, needle)                                              \
  do {                                                                            \
    sj_ctx_clear_errors(ctx);                                                     \
    sj_status st_ = (call);                                                       \
    CHECK(st_ != SJ_OK);                                                          \
    if (!strstr(sj_ctx_errmsg(ctx), needle)) {                                    \
      fprintf(stderr, "%s:%d: message lacks '%s': %s\n", __FILE__, __LINE__, needle, sj_ctx_errmsg(ctx)); \
      failures++;                                                                 \
    }                                                                             \
  } while (0)

static const char *const src =
    "func @f(%x: f32[?,3], %y: f32[?,3], %b: f32[3]) -> (f32[?,3], f32[?]) {\n"
    "  %0 = mul %x, %y : f32[?,3]\n"
    "  %1 = add %0, %b : f32[?,3]\n"
    "  %2 = sum %1 {axes = [1]} : f32[?]\n"
    "  return %1, %2\n"
    "}\n"
    "func @id(%x: f32[2]) -> (f32[2], f32[2]) {\n"
    "  return %x, %x\n"
    "}\n";

static void test_happy(sj_ctx *c, sj_function *f) {
  float x[6] = {1, 2, 3, 4, 5, 6}, y[6] = {2, 2, 2, -1, -1, -1}, b[3] = {0.5f, 0, -0.5f};
  int64_t d2[2] = {2, 3}, d1[1] = {3};
  sj_tensor *in[3] = {sj_tensor_wrap(SJ_F32, 2, d2, x), sj_tensor_wrap(SJ_F32, 2, d2, y), sj_tensor_wrap(SJ_F32, 1, d1, b)};
  sj_tensor *out[2] = {0};
  for (int rep = 0; rep < 3; rep++) { /* buffers are reused across calls */
    CHECK(sj_function_call(f, in, 3, out, 2) == SJ_OK);
    if (!out[0] || !out[1]) return;
    for (int i = 0; i < 6; i++) CHECK(fabs(sj_tensor_get(out[0], i) - (x[i] * y[i] + b[i % 3])) < 1e-6);
    CHECK(fabs(sj_tensor_get(out[1], 0) - (2 + 4 + 6 + 0.0)) < 1e-5);
    CHECK(fabs(sj_tensor_get(out[1], 1) - (-4 - 5 - 6 + 0.0)) < 1e-5);
    CHECK(sj_tensor_dims(out[1])[0] == 2);
    sj_tensor_free(out[0]);
    sj_tensor_free(out[1]);
  }
  /* call_into writes into caller tensors of the right shape */
  sj_tensor *o[2] = {sj_tensor_new(SJ_F32, 2, d2), sj_tensor_new(SJ_F32, 1, (int64_t[]){2})};
  CHECK(sj_function_call_into(f, in, 3, o, 2) == SJ_OK);
  CHECK(fabs(sj_tensor_get(o[0], 5) - (6 * -1 - 0.5)) < 1e-6);
  /* wrong output shape: error before anything runs */
  sj_tensor *bad = sj_tensor_new(SJ_F32, 2, (int64_t[]){3, 3});
  sj_tensor *o2[2] = {bad, o[1]};
  CHECK_ERR(c, sj_function_call_into(f, in, 3, o2, 2), "output 0 must be a f32[2,3] tensor");
  sj_tensor_free(bad);
  sj_tensor_free(o[0]);
  sj_tensor_free(o[1]);
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
}

static void test_bad_inputs(sj_ctx *c, sj_function *f) {
  float x[12] = {0};
  int64_t d23[2] = {2, 3}, d33[2] = {3, 3}, d24[2] = {2, 4}, d3[1] = {3};
  sj_tensor *x23 = sj_tensor_wrap(SJ_F32, 2, d23, x), *x33 = sj_tensor_wrap(SJ_F32, 2, d33, x);
  sj_tensor *x24 = sj_tensor_wrap(SJ_F32, 2, d24, x), *b = sj_tensor_wrap(SJ_F32, 1, d3, x);
  sj_tensor *i23 = sj_tensor_wrap(SJ_I32, 2, d23, x), *r1 = sj_tensor_wrap(SJ_F32, 1, d3, x);
  sj_tensor *out[2] = {0};
  sj_tensor *ok[3] = {x23, x23, b};
  CHECK_ERR(c, sj_function_call(f, ok, 2, out, 2), "takes 3 inputs, got 2");
  CHECK_ERR(c, sj_function_call(f, ok, 3, out, 1), "has 2 outputs, 1 requested");
  CHECK_ERR(c, sj_function_call(f, NULL, 3, out, 2), "inputs array is NULL");
  CHECK_ERR(c, sj_function_call(f, ok, 3, NULL, 2), "outputs array is NULL");
  sj_tensor *withnull[3] = {x23, NULL, b};
  CHECK_ERR(c, sj_function_call(f, withnull, 3, out, 2), "input 1 (%y) is NULL");
  sj_tensor *wrongdt[3] = {i23, x23, b};
  CHECK_ERR(c, sj_function_call(f, wrongdt, 3, out, 2), "input 0 (%x) must be f32[?,3], got i32[2,3]");
  sj_tensor *wrongrank[3] = {r1, x23, b};
  CHECK_ERR(c, sj_function_call(f, wrongrank, 3, out, 2), "input 0 (%x) must be f32[?,3], got f32[3]");
  sj_tensor *wrongstatic[3] = {x24, x23, b};
  CHECK_ERR(c, sj_function_call(f, wrongstatic, 3, out, 2), "input 0 (%x) must be f32[?,3], got f32[2,4]");
  /* both ? dims, different sizes: caught before any kernel runs */
  sj_tensor *mismatch[3] = {x23, x33, b};
  CHECK_ERR(c, sj_function_call(f, mismatch, 3, out, 2), "shape mismatch before kernel");
  CHECK(out[0] == NULL && out[1] == NULL);
  CHECK(sj_function_call(NULL, ok, 3, out, 2) == SJ_ERR_INVALID);
  sj_tensor_free(x23), sj_tensor_free(x33), sj_tensor_free(x24), sj_tensor_free(b);
  sj_tensor_free(i23), sj_tensor_free(r1);
}

static void test_compile_errors(sj_ctx *c, sj_module *m) {
  sj_function *f = NULL;
  CHECK_ERR(c, sj_module_compile(m, "nothere", NULL, &f), "no function @nothere");
  CHECK(f == NULL);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.pipeline = "cse,bogus";
  CHECK_ERR(c, sj_module_compile(m, "f", &o, &f), "unknown pass 'bogus'");
  o.pipeline = "cse"; /* nothing lowered: the executor says what is missing */
  CHECK_ERR(c, sj_module_compile(m, "f", &o, &f), "run lower-to-loops");
  CHECK(sj_module_compile(NULL, "f", NULL, &f) == SJ_ERR_INVALID);
  CHECK(sj_module_compile(m, NULL, NULL, &f) == SJ_ERR_INVALID);
}

static void test_parse_errors(sj_ctx *c) {
  sj_module *m = NULL;
  const char *bad = "func @g(%a: f32[3]) -> (f32[3]) {\n  %0 = add %a, %b : f32[3]\n  return %0\n}\n";
  CHECK_ERR(c, sj_module_parse(c, bad, strlen(bad), "bad.sj", &m), "bad.sj:2:16: error: use of undefined value %b");
  CHECK(m == NULL);
  CHECK_ERR(c, sj_module_load(c, "/nonexistent/file.sj", &m), "cannot read '/nonexistent/file.sj'");
  CHECK(sj_module_parse(NULL, bad, 1, NULL, &m) == SJ_ERR_INVALID);
  CHECK(sj_module_parse(c, NULL, 1, NULL, &m) == SJ_ERR_INVALID);
}

/* Tiered compilation: the first-tier kernels and the optimized ones that
 * replace them give the same results; a function freed while its background
 * compile runs is safe. */
static void test_tiers(sj_module *m) {
  sj_function *f = NULL;
  CHECK(sj_module_compile(m, "f", NULL, &f) == SJ_OK);
  float x[6] = {1, 2, 3, 4, 5, 6}, y[6] = {0.5f, -1, 2, 3, -4, 1}, b[3] = {1, 2, 3};
  int64_t d2[2] = {2, 3}, d1[1] = {3};
  sj_tensor *in[3] = {sj_tensor_wrap(SJ_F32, 2, d2, x), sj_tensor_wrap(SJ_F32, 2, d2, y), sj_tensor_wrap(SJ_F32, 1, d1, b)};
  sj_tensor *first[2] = {0}, *later[2] = {0};
  CHECK(f && sj_function_call(f, in, 3, first, 2) == SJ_OK);
  sj_function_wait(f);
  CHECK(f && sj_function_call(f, in, 3, later, 2) == SJ_OK);
  for (int i = 0; first[0] && later[0] && i < 6; i++) CHECK(sj_tensor_get(first[0], i) == sj_tensor_get(later[0], i));
  for (int i = 0; first[1] && later[1] && i < 2; i++) CHECK(fabs(sj_tensor_get(first[1], i) - sj_tensor_get(later[1], i)) < 1e-5);
  for (int i = 0; i < 2; i++) sj_tensor_free(first[i]), sj_tensor_free(later[i]);
  sj_function_free(f);
  f = NULL;
  CHECK(sj_module_compile(m, "f", NULL, &f) == SJ_OK);
  sj_function_free(f); /* background compile still running */
  sj_function_wait(NULL);
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
}

static void test_passthrough(sj_module *m) {
  sj_function *f = NULL;
  CHECK(sj_module_compile(m, "id", NULL, &f) == SJ_OK);
  float x[2] = {7, 8};
  int64_t d[1] = {2};
  sj_tensor *in = sj_tensor_wrap(SJ_F32, 1, d, x), *out[2] = {0};
  CHECK(sj_function_call(f, &in, 1, out, 2) == SJ_OK);
  CHECK(out[0] && out[1] && out[0] != out[1] && sj_tensor_data(out[0]) != x);
  CHECK(out[1] && sj_tensor_get(out[1], 1) == 8);
  sj_tensor_free(out[0]);
  sj_tensor_free(out[1]);
  sj_tensor_free(in);
  sj_function_free(f);
}

static void test_tensors(void) {
  CHECK(sj_tensor_new(SJ_F32, 9, (int64_t[9]){1}) == NULL);
  CHECK(sj_tensor_new(SJ_F32, 1, (int64_t[]){-1}) == NULL);
  CHECK(sj_tensor_wrap(SJ_F32, 1, (int64_t[]){4}, NULL) == NULL);
  sj_tensor *h = sj_tensor_new(SJ_F16, 1, (int64_t[]){3});
  sj_tensor_set(h, 0, 1.5), sj_tensor_set(h, 1, -65504), sj_tensor_set(h, 2, 1e-7);
  CHECK(sj_tensor_get(h, 0) == 1.5 && sj_tensor_get(h, 1) == -65504 && fabs(sj_tensor_get(h, 2) - 1.19e-7) < 1e-8);
  sj_tensor_free(h);
  sj_tensor *b = sj_tensor_new(SJ_BF16, 0, NULL);
  sj_tensor_set(b, 0, 3.14159);
  CHECK(fabs(sj_tensor_get(b, 0) - 3.140625) < 1e-9);
  sj_tensor_free(b);
  sj_tensor_free(NULL);
}

int main(void) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = NULL;
  sj_function *f = NULL;
  CHECK(sj_module_parse(c, src, strlen(src), "api.sj", &m) == SJ_OK);
  CHECK(m && sj_module_compile(m, "f", NULL, &f) == SJ_OK);
  if (f) {
    CHECK(sj_function_num_inputs(f) == 3 && sj_function_num_outputs(f) == 2);
    CHECK(sj_function_compile_ms(f) > 0);
    test_happy(c, f);
    test_bad_inputs(c, f);
  }
  if (m) {
    test_compile_errors(c, m);
    test_passthrough(m);
    test_tiers(m);
  }
  test_parse_errors(c);
  test_tensors();
  sj_function_free(f);
  sj_function_free(NULL);
  sj_ctx_free(c);
  sj_ctx_free(NULL);
  printf("api: %d failures\n", failures);
  return failures != 0;
}
