/* Unit tests of the reference evaluator (lib/ir/ref_eval.c), the oracle of
 * `symjit-run --check`, against values worked out by hand (not against the
 * compiled code, which lit's --check tests compare it with): integers exact
 * beyond 2^53 and wrapped at their width, division by 0 and INT_MIN/-1,
 * NaN in maximum/minimum, max reductions and comparisons, empty reductions,
 * rounding to f32/f16/bf16 after each op, saturating float-to-int casts,
 * input checks against the signature, the `?` broadcast rule, and dead ops
 * that are not evaluated. The exit status is 0 only if all checks pass. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ref_eval_util.h"
#include "ir.h"
#include "opinfo.h"
#include "ref_eval.h"
#include "runtime.h"
#include "symjit/symjit.h"

/* Element k of an int or bool tensor, exactly (not through double). */
static int64_t tint(const sj_tensor *t, int64_t k) {
  int64_t v = 0;
  CHECK(sj_rt_get_int(t, k, &v));
  return v;
}

static sj_tensor *vec(sj_dtype dt, int64_t n, const void *data) { return sj_tensor_from(dt, 1, &n, data); }

static void test_int64_exact(void) {
  /* 2^53 + 1 is not a double: through double the sums would be off by one */
  int64_t x[3] = {1, -1, (int64_t)1 << 62};
  result r = eval("func @f(%x: i64[3]) -> (i64[3]) {\n"
                  "  %c = constant {value = 9007199254740993} : i64[]\n"
                  "  %y = add %x, %c : i64[3]\n"
                  "  return %y\n}\n",
                  (sj_tensor *[]){vec(SJ_I64, 3, x)}, 1);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(tint(r.out[0], 0) == 9007199254740994LL);
    CHECK(tint(r.out[0], 1) == 9007199254740992LL);
    CHECK(tint(r.out[0], 2) == 4620693217682128897LL);
  }
  done(&r);
  /* wrapping: (2^32+1)^2 = 2^64 + 2^33 + 1 wraps to 2^33 + 1; INT64_MAX + 1 */
  int64_t y[2] = {((int64_t)1 << 32) + 1, INT64_MAX};
  r = eval("func @f(%x: i64[2]) -> (i64[2], i64[2]) {\n"
           "  %m = mul %x, %x : i64[2]\n"
           "  %one = constant {value = 1} : i64[]\n"
           "  %a = add %x, %one : i64[2]\n"
           "  return %m, %a\n}\n",
           (sj_tensor *[]){vec(SJ_I64, 2, y)}, 1);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(tint(r.out[0], 0) == ((int64_t)1 << 33) + 1);
    CHECK(tint(r.out[1], 1) == INT64_MIN);
  }
  done(&r);
}

static void test_narrow_ints(void) {
  int32_t a[4] = {INT32_MAX, 7, -7, INT32_MIN}, b[4] = {1, 2, 0, -1};
  result r = eval("func @f(%a: i32[4], %b: i32[4]) -> (i32[4], i32[4], i32[4]) {\n"
                  "  %s = add %a, %b : i32[4]\n"
                  "  %d = div %a, %b : i32[4]\n"
                  "  %n = neg %a : i32[4]\n"
                  "  return %s, %d, %n\n}\n",
                  (sj_tensor *[]){vec(SJ_I32, 4, a), vec(SJ_I32, 4, b)}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(tint(r.out[0], 0) == INT32_MIN); /* wraps */
    CHECK(tint(r.out[1], 0) == INT32_MAX);
    CHECK(tint(r.out[1], 1) == 3);          /* truncates */
    CHECK(tint(r.out[1], 2) == 0);          /* x / 0 = 0 */
    CHECK(tint(r.out[1], 3) == INT32_MIN);  /* INT_MIN / -1 wraps */
    CHECK(tint(r.out[2], 3) == INT32_MIN);  /* -INT_MIN wraps */
  }
  done(&r);
  int8_t c[3] = {100, -128, 5};
  r = eval("func @f(%a: i8[3]) -> (i8[3], i8[3], i8[]) {\n"
           "  %three = constant {value = 3} : i8[]\n"
           "  %m = mul %a, %three : i8[3]\n"
           "  %b = abs %a : i8[3]\n"
           "  %s = sum %a : i8[]\n"
           "  return %m, %b, %s\n}\n",
           (sj_tensor *[]){vec(SJ_I8, 3, c)}, 1);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(tint(r.out[0], 0) == 44); /* 300 - 256 */
    CHECK(tint(r.out[1], 1) == -128);
    CHECK(tint(r.out[2], 0) == -23); /* 100 - 128 + 5 */
  }
  done(&r);
}

static void test_nan(void) {
  float x[3] = {1, NAN, 3}, y[3] = {2, 2, NAN};
  result r = eval("func @f(%x: f32[3], %y: f32[3]) -> (f32[3], f32[3], f32[], f32[], bool[3], bool[3], bool[3], f32[3]) {\n"
                  "  %a = maximum %x, %y : f32[3]\n"
                  "  %b = minimum %x, %y : f32[3]\n"
                  "  %c = max %x : f32[]\n"
                  "  %d = sum %x : f32[]\n"
                  "  %e = eq %x, %x : bool[3]\n"
                  "  %g = ne %x, %x : bool[3]\n"
                  "  %h = lt %x, %y : bool[3]\n"
                  "  %s = sign %x : f32[3]\n"
                  "  return %a, %b, %c, %d, %e, %g, %h, %s\n}\n",
                  (sj_tensor *[]){vec(SJ_F32, 3, x), vec(SJ_F32, 3, y)}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(sj_tensor_get(r.out[0], 0) == 2 && isnan(sj_tensor_get(r.out[0], 1)) && isnan(sj_tensor_get(r.out[0], 2)));
    CHECK(sj_tensor_get(r.out[1], 0) == 1 && isnan(sj_tensor_get(r.out[1], 1)) && isnan(sj_tensor_get(r.out[1], 2)));
    CHECK(isnan(sj_tensor_get(r.out[2], 0)));
    CHECK(isnan(sj_tensor_get(r.out[3], 0)));
    CHECK(tint(r.out[4], 0) == 1 && tint(r.out[4], 1) == 0);
    CHECK(tint(r.out[5], 0) == 0 && tint(r.out[5], 1) == 1);
    CHECK(tint(r.out[6], 0) == 1 && tint(r.out[6], 1) == 0 && tint(r.out[6], 2) == 0);
    CHECK(sj_tensor_get(r.out[7], 0) == 1 && isnan(sj_tensor_get(r.out[7], 1)));
  }
  done(&r);
}

static void test_empty_reductions(void) {
  int64_t zero = 0;
  result r = eval("func @f(%x: f32[?], %i: i64[?]) -> (f32[], f32[], f32[], f32[], f32[], i64[], i64[], i64[]) {\n"
                  "  %a = sum %x : f32[]\n"
                  "  %b = prod %x : f32[]\n"
                  "  %c = mean %x : f32[]\n"
                  "  %d = max %x : f32[]\n"
                  "  %e = min %x : f32[]\n"
                  "  %g = max %i : i64[]\n"
                  "  %h = min %i : i64[]\n"
                  "  %k = prod %i : i64[]\n"
                  "  return %a, %b, %c, %d, %e, %g, %h, %k\n}\n",
                  (sj_tensor *[]){sj_tensor_new(SJ_F32, 1, &zero), sj_tensor_new(SJ_I64, 1, &zero)}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(sj_tensor_get(r.out[0], 0) == 0);
    CHECK(sj_tensor_get(r.out[1], 0) == 1);
    CHECK(isnan(sj_tensor_get(r.out[2], 0)));
    CHECK(sj_tensor_get(r.out[3], 0) == -INFINITY);
    CHECK(sj_tensor_get(r.out[4], 0) == INFINITY);
    CHECK(tint(r.out[5], 0) == INT64_MIN);
    CHECK(tint(r.out[6], 0) == INT64_MAX);
    CHECK(tint(r.out[7], 0) == 1);
  }
  done(&r);
}

static void test_rounding(void) {
  /* each op rounds to its dtype: in double 1 + 2^-30 - 1 would be 2^-30 */
  float one = 1;
  result r = eval("func @f(%x: f32[]) -> (f32[], f16[], bf16[], f16[]) {\n"
                  "  %t = constant {value = 9.313225746154785e-10} : f32[]\n"
                  "  %a = add %x, %t : f32[]\n"
                  "  %b = sub %a, %x : f32[]\n"
                  "  %h = constant {value = 2048.0} : f16[]\n"
                  "  %h1 = cast %x : f16[]\n"
                  "  %c = add %h, %h1 : f16[]\n"
                  "  %g = constant {value = 256.0} : bf16[]\n"
                  "  %g1 = cast %x : bf16[]\n"
                  "  %d = add %g, %g1 : bf16[]\n"
                  "  %big = constant {value = 65520.0} : f32[]\n"
                  "  %e = cast %big : f16[]\n"
                  "  return %b, %c, %d, %e\n}\n",
                  (sj_tensor *[]){sj_tensor_from(SJ_F32, 0, NULL, &one)}, 1);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(sj_tensor_get(r.out[0], 0) == 0);
    CHECK(sj_tensor_get(r.out[1], 0) == 2048); /* 2049: a tie, to even */
    CHECK(sj_tensor_get(r.out[2], 0) == 256);  /* 257: a tie, to even */
    CHECK(sj_tensor_get(r.out[3], 0) == INFINITY);
  }
  done(&r);
}

static void test_casts(void) {
  float x[5] = {1e10f, -1e10f, NAN, 2.9f, -2.9f};
  result r = eval("func @f(%x: f32[5]) -> (i32[5], i8[5], i64[5], bool[5]) {\n"
                  "  %a = cast %x : i32[5]\n"
                  "  %b = cast %x : i8[5]\n"
                  "  %c = cast %x : i64[5]\n"
                  "  %d = cast %x : bool[5]\n"
                  "  return %a, %b, %c, %d\n}\n",
                  (sj_tensor *[]){vec(SJ_F32, 5, x)}, 1);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    int64_t want_a[5] = {INT32_MAX, INT32_MIN, 0, 2, -2}, want_b[5] = {127, -128, 0, 2, -2};
    int64_t want_c[5] = {10000000000LL, -10000000000LL, 0, 2, -2};
    for (int i = 0; i < 5; i++) {
      CHECK(tint(r.out[0], i) == want_a[i]);
      CHECK(tint(r.out[1], i) == want_b[i]);
      CHECK(tint(r.out[2], i) == want_c[i]);
      CHECK(tint(r.out[3], i) == 1); /* NaN is true */
    }
  }
  done(&r);
}

static void test_input_checks(void) {
  static const char *src = "func @f(%x: f32[?,3]) -> (f32[?,3]) {\n  %y = neg %x : f32[?,3]\n  return %y\n}\n";
  int64_t d23[2] = {2, 3}, d24[2] = {2, 4}, d6 = 6;
  result r = eval(src, (sj_tensor *[]){sj_tensor_new(SJ_F64, 2, d23)}, 1);
  CHECK(r.st != SJ_OK && strstr(r.msg, "input 0 of @f: wrong dtype: expected f32[?,3], got f64[2,3]"));
  done(&r);
  r = eval(src, (sj_tensor *[]){sj_tensor_new(SJ_F32, 2, d24)}, 1);
  CHECK(r.st != SJ_OK && strstr(r.msg, "wrong shape"));
  done(&r);
  r = eval(src, (sj_tensor *[]){sj_tensor_new(SJ_F32, 1, &d6)}, 1);
  CHECK(r.st != SJ_OK && strstr(r.msg, "wrong rank"));
  done(&r);
  r = eval(src, (sj_tensor *[]){NULL}, 1);
  CHECK(r.st != SJ_OK && strstr(r.msg, "missing"));
  done(&r);
  r = eval(src, (sj_tensor *[]){sj_tensor_new(SJ_F32, 2, d23)}, 1);
  CHECK(r.st == SJ_OK);
  done(&r);
}

static void test_dynamic_broadcast(void) {
  /* a `?` that is 1 at run time does not stretch (docs/ir.md) */
  static const char *src = "func @f(%x: f32[?], %y: f32[?]) -> (f32[?]) {\n  %z = add %x, %y : f32[?]\n  return %z\n}\n";
  int64_t one = 1, three = 3;
  result r = eval(src, (sj_tensor *[]){sj_tensor_new(SJ_F32, 1, &one), sj_tensor_new(SJ_F32, 1, &three)}, 2);
  CHECK(r.st != SJ_OK && strstr(r.msg, "do not broadcast at run time"));
  done(&r);
  /* a static 1 does */
  r = eval("func @f(%x: f32[1], %y: f32[?]) -> (f32[?]) {\n  %z = add %x, %y : f32[?]\n  return %z\n}\n",
           (sj_tensor *[]){sj_tensor_new(SJ_F32, 1, &one), sj_tensor_new(SJ_F32, 1, &three)}, 2);
  CHECK(r.st == SJ_OK && sj_tensor_numel(r.out[0]) == 3);
  done(&r);
  /* an unused op that would refuse is not evaluated */
  r = eval("func @f(%x: f32[?], %y: f32[?]) -> (f32[?]) {\n  %z = add %x, %y : f32[?]\n  %w = neg %y : f32[?]\n"
           "  return %w\n}\n",
           (sj_tensor *[]){sj_tensor_new(SJ_F32, 1, &one), sj_tensor_new(SJ_F32, 1, &three)}, 2);
  CHECK(r.st == SJ_OK);
  done(&r);
}

static void test_limit(void) {
  /* beyond the evaluator's own limit: SJ_ERR_UNSUPPORTED, no allocation */
  float x = 1;
  result r = eval("func @f(%x: f32[]) -> (f32[1099511627776]) {\n  %y = broadcast_to %x : f32[1099511627776]\n  return %y\n}\n",
                  (sj_tensor *[]){sj_tensor_from(SJ_F32, 0, NULL, &x)}, 1);
  CHECK(r.st == SJ_ERR_UNSUPPORTED && strstr(r.msg, "too many elements"));
  done(&r);
}

/* Every elementwise row of ops.def has the oracle's own float rule (its
 * REF column is x_elementwise), and every one that accepts integers (not a
 * float-only transcendental) its integer rule: a row added without them
 * would only fail when a test happened to reach it. */
static void test_every_elementwise_row_has_rules(void) {
  static const char *float_only[] = {"exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "tanh", "sigmoid", "softplus", "pow", "logaddexp"};
  for (int code = 0; code < SJ_OP_COUNT; code++) {
    const sj_opinfo *oi = sj_opinfo_get((sj_opcode)code);
    if (!(oi->flags & SJ_F_ELEMWISE)) continue;
    bool fonly = false;
    for (size_t k = 0; k < sizeof float_only / sizeof *float_only; k++) fonly |= !strcmp(oi->name, float_only[k]);
    if (!sj_ref_has_scalar_rule((sj_opcode)code, true)) fprintf(stderr, "no float rule for '%s'\n", oi->name);
    CHECK(sj_ref_has_scalar_rule((sj_opcode)code, true));
    if (!fonly) CHECK(sj_ref_has_scalar_rule((sj_opcode)code, false));
  }
}

/* An int cast from a float carries the float's error; a bool (a comparison)
 * and an int selected by one carry none. */
static void test_precision_of_ints(void) {
  static const char *src = "func @f(%x: f32[2], %h: bf16[2], %i: i32[2]) -> (i64[2], bool[2], i32[2], i32[2]) {\n"
                           "  %a = cast %x : i64[2]\n"
                           "  %b = lt %h, %h : bool[2]\n"
                           "  %c = select %b, %i, %i : i32[2]\n"
                           "  %d = cast %h : i32[2]\n"
                           "  %e = add %d, %i : i32[2]\n"
                           "  return %a, %b, %c, %e\n}\n";
  sj_ctx *c = sj_ctx_new();
  sj_module *m;
  CHECK(sj_module_parse(c, src, strlen(src), "t.sj", &m) == SJ_OK);
  const sj_op *f = m->body->first;
  CHECK(sj_ref_result_precision(f, 0) == SJ_F32);
  CHECK(sj_ref_result_precision(f, 1) == SJ_DTYPE_COUNT);
  CHECK(sj_ref_result_precision(f, 2) == SJ_DTYPE_COUNT);
  CHECK(sj_ref_result_precision(f, 3) == SJ_BF16);
  sj_ctx_free(c);
}

static void test_precision(void) {
  static const char *src = "func @f(%x: f32[2], %h: bf16[2], %i: i32[2]) -> (f32[2], f32[2], i32[2], f64[2], f16[2]) {\n"
                           "  %a = neg %x : f32[2]\n"
                           "  %b = cast %h : f32[2]\n"
                           "  %c = add %a, %b : f32[2]\n"
                           "  %d = cast %i : f64[2]\n"
                           "  %e = cast %x : f16[2]\n"
                           "  return %a, %c, %i, %d, %e\n}\n";
  sj_ctx *c = sj_ctx_new();
  sj_module *m;
  CHECK(sj_module_parse(c, src, strlen(src), "t.sj", &m) == SJ_OK);
  const sj_op *f = m->body->first;
  CHECK(sj_ref_result_precision(f, 0) == SJ_F32);
  CHECK(sj_ref_result_precision(f, 1) == SJ_BF16); /* through a bf16 input */
  CHECK(sj_ref_result_precision(f, 2) == SJ_DTYPE_COUNT);
  CHECK(sj_ref_result_precision(f, 3) == SJ_F64);
  CHECK(sj_ref_result_precision(f, 4) == SJ_F16);
  CHECK(sj_ref_result_precision(f, 5) == SJ_DTYPE_COUNT); /* no such result */
  sj_ctx_free(c);
  test_precision_of_ints();
}

int main(void) {
  test_every_elementwise_row_has_rules();
  test_precision();
  test_int64_exact();
  test_narrow_ints();
  test_nan();
  test_empty_reductions();
  test_rounding();
  test_casts();
  test_input_checks();
  test_dynamic_broadcast();
  test_limit();
  if (failures) fprintf(stderr, "ref_eval: %d checks failed\n", failures);
  return failures != 0;
}
