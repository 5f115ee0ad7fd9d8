/* Unit tests of the reference evaluator on `scan` (docs/decisions/0014-scan.md),
 * against values worked out by hand: a cumulative sum (states' rows with the
 * initial value in row 0, outputs' rows), Fibonacci through two integer
 * states, Horner's rule over a sequence of coefficients, x^k with a step
 * count, a do-while stop condition (m steps, m + 1 state rows, the step that
 * makes it true included, the limit n), reverse, `last`, zero steps (static
 * and `?` output rows), a scan nested in a scan's body, the outlined form
 * (`body = @f`), sequences longer than n, and each run-time error: a
 * sequence shorter than n, a negative n, a state whose shape changes, an
 * output kept `last` with zero steps, a recursive body. It also checks that
 * --check's tolerance sees a bf16 value inside a body, and that the generic
 * passes (canonicalize, cse, constant-fold, dce, stabilize), which rewrite
 * inside bodies, keep a scan's values. Exit status 0 only if all checks
 * pass. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ref_eval_util.h"
#include "ir.h"
#include "ref_eval.h"
#include "registry.h"
#include "runtime.h"
#include "symjit/symjit.h"

static sj_tensor *f64s(int rank, const int64_t *dims, const double *v) { return sj_tensor_from(SJ_F64, rank, dims, v); }
static sj_tensor *vec(int64_t n, const double *v) { return f64s(1, &n, v); }
static sj_tensor *scalar_f64(double v) { return f64s(0, NULL, &v); }
static sj_tensor *scalar_int(sj_dtype dt, int64_t v) {
  int32_t v32 = (int32_t)v;
  return sj_tensor_from(dt, 0, NULL, dt == SJ_I32 ? (const void *)&v32 : (const void *)&v);
}

/* t has this shape and these values (exact: every expectation here is exact
 * in double). */
static bool expect(const sj_tensor *t, int rank, const int64_t *dims, const double *v) {
  bool ok = t && sj_tensor_rank(t) == rank;
  for (int k = 0; ok && k < rank; k++) ok = sj_tensor_dims(t)[k] == dims[k];
  for (int64_t i = 0, n = ok ? sj_tensor_numel(t) : 0; ok && i < n; i++) {
    ok = sj_tensor_get(t, i) == v[i];
    if (!ok) fprintf(stderr, "element %lld: got %.17g, expected %.17g\n", (long long)i, sj_tensor_get(t, i), v[i]);
  }
  return ok;
}

static bool expect_int(const sj_tensor *t, int64_t n, const int64_t *v) {
  bool ok = t && sj_tensor_numel(t) == n;
  for (int64_t i = 0; ok && i < n; i++) {
    int64_t x = 0;
    ok = sj_rt_get_int(t, i, &x) && x == v[i];
  }
  return ok;
}

/* The error names the scan (its line and column) and says msg. */
static bool failed_with(const result *r, const char *where, const char *msg) {
  bool ok = r->st != SJ_OK && strstr(r->msg, where) && strstr(r->msg, "'scan' op") && strstr(r->msg, msg);
  if (!ok) fprintf(stderr, "status %d, message: %s\n", r->st, r->msg);
  return ok;
}

/* Row 0 of the state is its initial value, row t + 1 the state after step t;
 * the output's row t its value at step t; an output kept `last`. */
static void test_cumsum(void) {
  static const char *src = "func @f(%xs: f64[5], %s0: f64[]) -> (f64[6], f64[5], f64[]) {\n"
                           "  %S, %Y, %L = scan %xs, %s0 {last = [2], nseq = 1, nstate = 1} : f64[6], f64[5], f64[] "
                           "(%x: f64[], %s: f64[]) {\n"
                           "    %s2 = add %s, %x : f64[]\n"
                           "    %y = mul %s2, %x : f64[]\n"
                           "    yield %s2, %y, %x\n"
                           "  }\n"
                           "  return %S, %Y, %L\n}\n";
  result r = eval(src, (sj_tensor *[]){vec(5, (double[]){1, 2, 3, 4, 5}), scalar_f64(10)}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect(r.out[0], 1, (int64_t[]){6}, (double[]){10, 11, 13, 16, 20, 25}));
    CHECK(expect(r.out[1], 1, (int64_t[]){5}, (double[]){11, 26, 48, 80, 125}));
    CHECK(expect(r.out[2], 0, NULL, (double[]){5}));
  }
  done(&r);
}

/* Two integer states, no sequence: the step count alone (i64), the second
 * state kept `last`. a_t = F(t), b after 10 steps = F(11). */
static void test_fibonacci(void) {
  static const char *src = "func @f(%n: i64[], %a0: i64[], %b0: i64[]) -> (i64[?], i64[]) {\n"
                           "  %A, %B = scan %n, %a0, %b0 {has_n = true, last = [1], nseq = 0, nstate = 2} : i64[?], i64[] "
                           "(%a: i64[], %b: i64[]) {\n"
                           "    %c = add %a, %b : i64[]\n"
                           "    yield %b, %c\n"
                           "  }\n"
                           "  return %A, %B\n}\n";
  result r = eval(src, (sj_tensor *[]){scalar_int(SJ_I64, 10), scalar_int(SJ_I64, 0), scalar_int(SJ_I64, 1)}, 3);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect_int(r.out[0], 11, (int64_t[]){0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55}));
    CHECK(expect_int(r.out[1], 1, (int64_t[]){89}));
    CHECK(sj_tensor_dtype(r.out[0]) == SJ_I64);
  }
  done(&r);
}

/* Horner: acc' = acc * x + c over the coefficients, highest first, x a
 * non-sequence (a vector: one polynomial at two points). */
static void test_polynomial(void) {
  static const char *src = "func @f(%cs: f64[4], %x: f64[2], %z: f64[2]) -> (f64[2]) {\n"
                           "  %P = scan %cs, %z, %x {last = [0], nseq = 1, nstate = 1} : f64[2] "
                           "(%c: f64[], %acc: f64[2], %xx: f64[2]) {\n"
                           "    %m = mul %acc, %xx : f64[2]\n"
                           "    %a = add %m, %c : f64[2]\n"
                           "    yield %a\n"
                           "  }\n"
                           "  return %P\n}\n";
  /* 2x^3 - 3x^2 + 5 at 2 and -1: 9 and 0 */
  result r = eval(src, (sj_tensor *[]){vec(4, (double[]){2, -3, 0, 5}), vec(2, (double[]){2, -1}), vec(2, (double[]){0, 0})}, 3);
  CHECK(r.st == SJ_OK);
  if (!r.st) CHECK(expect(r.out[0], 1, (int64_t[]){2}, (double[]){9, 0}));
  done(&r);
}

/* x^k: k (an i32) steps of p' = p * x. */
static void test_power(void) {
  static const char *src = "func @f(%k: i32[], %x: f64[2], %one: f64[2]) -> (f64[2], f64[?,2]) {\n"
                           "  %P, %Q = scan %k, %one, %x {has_n = true, last = [0], nseq = 0, nstate = 1} : f64[2], f64[?,2] "
                           "(%p: f64[2], %xx: f64[2]) {\n"
                           "    %q = mul %p, %xx : f64[2]\n"
                           "    yield %q, %p\n"
                           "  }\n"
                           "  return %P, %Q\n}\n";
  result r = eval(src, (sj_tensor *[]){scalar_int(SJ_I32, 5), vec(2, (double[]){2, -1.5}), vec(2, (double[]){1, 1})}, 3);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect(r.out[0], 1, (int64_t[]){2}, (double[]){32, -7.59375}));
    CHECK(expect(r.out[1], 2, (int64_t[]){5, 2}, (double[]){1, 1, 2, -1.5, 4, 2.25, 8, -3.375, 16, 5.0625}));
  }
  done(&r);
  /* zero steps: the state kept last is its initial value, the output has no row */
  r = eval(src, (sj_tensor *[]){scalar_int(SJ_I32, 0), vec(2, (double[]){2, -1.5}), vec(2, (double[]){1, 3})}, 3);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect(r.out[0], 1, (int64_t[]){2}, (double[]){1, 3}));
    CHECK(expect(r.out[1], 2, (int64_t[]){0, 2}, NULL));
  }
  done(&r);
}

/* Doubling until the value passes a threshold: do-while, the step that makes
 * the condition true is included; m steps give m output rows and m + 1
 * state rows; the condition never true stops at n. */
static const char *until_src = "func @f(%n: i64[], %s0: f64[], %lim: f64[]) -> (f64[?], f64[?], f64[]) {\n"
                               "  %S, %Y, %L = scan %n, %s0, %lim {has_n = true, last = [2], nseq = 0, nstate = 1, until = true} : "
                               "f64[?], f64[?], f64[] (%s: f64[], %l: f64[]) {\n"
                               "    %two = constant {value = 2.0} : f64[]\n"
                               "    %s2 = mul %s, %two : f64[]\n"
                               "    %h = constant {value = 0.5} : f64[]\n"
                               "    %y = add %s2, %h : f64[]\n"
                               "    %stop = gt %s2, %l : bool[]\n"
                               "    yield %s2, %y, %y, %stop\n"
                               "  }\n"
                               "  return %S, %Y, %L\n}\n";

static void test_until(void) {
  result r = eval(until_src, (sj_tensor *[]){scalar_int(SJ_I64, 100), scalar_f64(1), scalar_f64(100)}, 3);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect(r.out[0], 1, (int64_t[]){8}, (double[]){1, 2, 4, 8, 16, 32, 64, 128}));
    CHECK(expect(r.out[1], 1, (int64_t[]){7}, (double[]){2.5, 4.5, 8.5, 16.5, 32.5, 64.5, 128.5}));
    CHECK(expect(r.out[2], 0, NULL, (double[]){128.5}));
  }
  done(&r);
  /* the limit n before the condition: 3 steps */
  r = eval(until_src, (sj_tensor *[]){scalar_int(SJ_I64, 3), scalar_f64(1), scalar_f64(100)}, 3);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect(r.out[0], 1, (int64_t[]){4}, (double[]){1, 2, 4, 8}));
    CHECK(expect(r.out[1], 1, (int64_t[]){3}, (double[]){2.5, 4.5, 8.5}));
  }
  done(&r);
  /* true at the first step: one step runs */
  r = eval(until_src, (sj_tensor *[]){scalar_int(SJ_I64, 100), scalar_f64(1), scalar_f64(-1)}, 3);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect(r.out[0], 1, (int64_t[]){2}, (double[]){1, 2}));
    CHECK(expect(r.out[1], 1, (int64_t[]){1}, (double[]){2.5}));
  }
  done(&r);
  /* n = 0: nothing runs, the output kept last has no value */
  r = eval(until_src, (sj_tensor *[]){scalar_int(SJ_I64, 0), scalar_f64(1), scalar_f64(100)}, 3);
  CHECK(failed_with(&r, "t.sj:2:", "result 2 is an output kept 'last' but the scan ran zero steps"));
  done(&r);
}

/* reverse: t = n-1 down to 0; outputs at row t, a state's row t after
 * consuming rows t..n-1, row n the initial value. */
static void test_reverse(void) {
  static const char *src = "func @f(%xs: f64[4], %s0: f64[]) -> (f64[5], f64[4], f64[]) {\n"
                           "  %S, %Y, %L = scan %xs, %s0 {last = [2], nseq = 1, nstate = 1, reverse = true} : f64[5], f64[4], f64[] "
                           "(%x: f64[], %s: f64[]) {\n"
                           "    %ten = constant {value = 10.0} : f64[]\n"
                           "    %m = mul %s, %ten : f64[]\n"
                           "    %s2 = add %m, %x : f64[]\n"
                           "    yield %s2, %x, %x\n"
                           "  }\n"
                           "  return %S, %Y, %L\n}\n";
  result r = eval(src, (sj_tensor *[]){vec(4, (double[]){1, 2, 3, 4}), scalar_f64(0)}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect(r.out[0], 1, (int64_t[]){5}, (double[]){4321, 432, 43, 4, 0}));
    CHECK(expect(r.out[1], 1, (int64_t[]){4}, (double[]){1, 2, 3, 4})); /* lines up with the sequence */
    CHECK(expect(r.out[2], 0, NULL, (double[]){1}));                  /* the final step reads row 0 */
  }
  done(&r);
}

/* The step count is the shortest sequence; with %n, extra rows are unread. */
static void test_lengths(void) {
  static const char *src = "func @f(%a: f64[?], %b: f64[?,2]) -> (f64[?,2]) {\n"
                           "  %Y = scan %a, %b {nseq = 2, nstate = 0} : f64[?,2] (%x: f64[], %y: f64[2]) {\n"
                           "    %z = mul %x, %y : f64[2]\n"
                           "    yield %z\n"
                           "  }\n"
                           "  return %Y\n}\n";
  result r = eval(src, (sj_tensor *[]){vec(3, (double[]){1, 2, 3}), f64s(2, (int64_t[]){2, 2}, (double[]){1, 2, 3, 4})}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) CHECK(expect(r.out[0], 2, (int64_t[]){2, 2}, (double[]){1, 2, 6, 8}));
  done(&r);
  static const char *with_n = "func @f(%n: i32[], %a: f64[?]) -> (f64[?]) {\n"
                              "  %Y = scan %n, %a {has_n = true, nseq = 1, nstate = 0} : f64[?] (%x: f64[]) {\n"
                              "    %z = neg %x : f64[]\n"
                              "    yield %z\n"
                              "  }\n"
                              "  return %Y\n}\n";
  r = eval(with_n, (sj_tensor *[]){scalar_int(SJ_I32, 2), vec(4, (double[]){1, 2, 3, 4})}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) CHECK(expect(r.out[0], 1, (int64_t[]){2}, (double[]){-1, -2}));
  done(&r);
  r = eval(with_n, (sj_tensor *[]){scalar_int(SJ_I32, 5), vec(3, (double[]){1, 2, 3})}, 2);
  CHECK(failed_with(&r, "t.sj:2:8", "sequence 0 has 3 rows, fewer than the 5 steps"));
  done(&r);
  r = eval(with_n, (sj_tensor *[]){scalar_int(SJ_I32, -1), vec(3, (double[]){1, 2, 3})}, 2);
  CHECK(failed_with(&r, "t.sj:2:8", "step count -1 is negative"));
  done(&r);
}

/* Zero steps: states are their initial value (one row), outputs have no
 * row; a `?` row dim of an output comes from the body's shapes. */
static void test_zero_steps(void) {
  static const char *src = "func @f(%xs: f64[?,?], %h0: f64[?]) -> (f64[?,?], f64[?,?], f64[?,3]) {\n"
                           "  %H, %Y, %Z = scan %xs, %h0 {nseq = 1, nstate = 1} : f64[?,?], f64[?,?], f64[?,3] "
                           "(%x: f64[?], %h: f64[?]) {\n"
                           "    %h2 = add %h, %x : f64[?]\n"
                           "    %y = mul %x, %x : f64[?]\n"
                           "    %z = constant {value = 1.0} : f64[3]\n"
                           "    yield %h2, %y, %z\n"
                           "  }\n"
                           "  return %H, %Y, %Z\n}\n";
  result r = eval(src, (sj_tensor *[]){f64s(2, (int64_t[]){0, 4}, NULL), vec(4, (double[]){1, 2, 3, 4})}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect(r.out[0], 2, (int64_t[]){1, 4}, (double[]){1, 2, 3, 4}));
    CHECK(expect(r.out[1], 2, (int64_t[]){0, 4}, NULL)); /* [0, ?]: the body's shape */
    CHECK(expect(r.out[2], 2, (int64_t[]){0, 3}, NULL));
  }
  done(&r);
  /* the same with two steps */
  r = eval(src, (sj_tensor *[]){f64s(2, (int64_t[]){2, 2}, (double[]){1, 2, 3, 4}), vec(2, (double[]){10, 20})}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect(r.out[0], 2, (int64_t[]){3, 2}, (double[]){10, 20, 11, 22, 14, 26}));
    CHECK(expect(r.out[1], 2, (int64_t[]){2, 2}, (double[]){1, 4, 9, 16}));
    CHECK(expect(r.out[2], 2, (int64_t[]){2, 3}, (double[]){1, 1, 1, 1, 1, 1}));
  }
  done(&r);
}

/* A scan in a scan's body: the inner one sums a row (kept last), the outer
 * one accumulates the row sums. */
static void test_nested(void) {
  static const char *src = "func @f(%m: f64[3,4], %z: f64[]) -> (f64[4], f64[3]) {\n"
                           "  %T, %R = scan %m, %z, %z {nseq = 1, nstate = 1} : f64[4], f64[3] "
                           "(%row: f64[4], %tot: f64[], %zero: f64[]) {\n"
                           "    %s = scan %row, %zero {last = [0], nseq = 1, nstate = 1} : f64[] (%x: f64[], %acc: f64[]) {\n"
                           "      %a = add %acc, %x : f64[]\n"
                           "      yield %a\n"
                           "    }\n"
                           "    %t2 = add %tot, %s : f64[]\n"
                           "    yield %t2, %s\n"
                           "  }\n"
                           "  return %T, %R\n}\n";
  double m[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  result r = eval(src, (sj_tensor *[]){f64s(2, (int64_t[]){3, 4}, m), scalar_f64(0)}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect(r.out[0], 1, (int64_t[]){4}, (double[]){0, 10, 36, 78}));
    CHECK(expect(r.out[1], 1, (int64_t[]){3}, (double[]){10, 26, 42}));
  }
  done(&r);
}

/* After outline-scan: `body = @g`, a func of the module. */
static void test_outlined(void) {
  static const char *src = "func @g(%x: f64[], %s: f64[]) -> (f64[], f64[]) {\n"
                           "  %s2 = add %s, %x : f64[]\n"
                           "  %y = mul %s2, %x : f64[]\n"
                           "  return %s2, %y\n}\n\n"
                           "func @f(%xs: f64[3], %s0: f64[]) -> (f64[4], f64[3]) {\n"
                           "  %S, %Y = scan %xs, %s0 {body = @g, nseq = 1, nstate = 1} : f64[4], f64[3]\n"
                           "  return %S, %Y\n}\n";
  result r = eval_named(src, "f", (sj_tensor *[]){vec(3, (double[]){1, 2, 3}), scalar_f64(1)}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) {
    CHECK(expect(r.out[0], 1, (int64_t[]){4}, (double[]){1, 2, 4, 7}));
    CHECK(expect(r.out[1], 1, (int64_t[]){3}, (double[]){2, 8, 21}));
  }
  done(&r);
  /* a body that runs itself: refused, not a stack overflow */
  static const char *rec = "func @g(%s: f64[], %n: i64[]) -> (f64[]) {\n"
                           "  %t = scan %n, %s, %n {body = @g, has_n = true, last = [0], nseq = 0, nstate = 1} : f64[]\n"
                           "  return %t\n}\n";
  r = eval_named(rec, "g", (sj_tensor *[]){scalar_f64(1), scalar_int(SJ_I64, 2)}, 2);
  CHECK(failed_with(&r, "t.sj:2:", "its body runs itself"));
  done(&r);
}

/* A state with `?` dims must keep its initial value's run-time shape. */
static void test_state_shape(void) {
  static const char *src = "func @f(%n: i64[], %h0: f64[?], %w: f64[?]) -> (f64[?,?]) {\n"
                           "  %H = scan %n, %h0, %w {has_n = true, nseq = 0, nstate = 1} : f64[?,?] (%h: f64[?], %v: f64[?]) {\n"
                           "    yield %v\n"
                           "  }\n"
                           "  return %H\n}\n";
  result r = eval(src, (sj_tensor *[]){scalar_int(SJ_I64, 2), vec(3, (double[]){1, 2, 3}), vec(2, (double[]){4, 5})}, 3);
  CHECK(failed_with(&r, "t.sj:2:8", "state 0 is yielded with shape [2] at step 0 but its initial value has shape [3]"));
  done(&r);
  r = eval(src, (sj_tensor *[]){scalar_int(SJ_I64, 2), vec(2, (double[]){1, 2}), vec(2, (double[]){4, 5})}, 3);
  CHECK(r.st == SJ_OK);
  if (!r.st) CHECK(expect(r.out[0], 2, (int64_t[]){3, 2}, (double[]){1, 2, 4, 5, 4, 5}));
  done(&r);
}

/* An output kept last with zero steps (no until). */
static void test_last_zero(void) {
  static const char *src = "func @f(%xs: f64[?]) -> (f64[]) {\n"
                           "  %L = scan %xs {last = [0], nseq = 1, nstate = 0} : f64[] (%x: f64[]) {\n"
                           "    yield %x\n"
                           "  }\n"
                           "  return %L\n}\n";
  result r = eval(src, (sj_tensor *[]){vec(0, NULL)}, 1);
  CHECK(failed_with(&r, "t.sj:2:8", "result 0 is an output kept 'last' but the scan ran zero steps"));
  done(&r);
  r = eval(src, (sj_tensor *[]){vec(2, (double[]){7, 8})}, 1);
  CHECK(r.st == SJ_OK);
  if (!r.st) CHECK(expect(r.out[0], 0, NULL, (double[]){8}));
  done(&r);
}

/* Values round to their dtype inside the body as anywhere else (f32 state
 * accumulating 2^-30), and --check's tolerance of a scan's result is that
 * of the coarsest float dtype in its body. */
static void test_precision(void) {
  static const char *src = "func @f(%xs: f32[3], %s0: f32[]) -> (f32[4], f32[4]) {\n"
                           "  %S = scan %xs, %s0 {nseq = 1, nstate = 1} : f32[4] (%x: f32[], %s: f32[]) {\n"
                           "    %s2 = add %s, %x : f32[]\n"
                           "    yield %s2\n"
                           "  }\n"
                           "  %B = scan %xs, %s0 {nseq = 1, nstate = 1} : f32[4] (%u: f32[], %v: f32[]) {\n"
                           "    %h = cast %u : bf16[]\n"
                           "    %g = cast %h : f32[]\n"
                           "    %v2 = add %v, %g : f32[]\n"
                           "    yield %v2\n"
                           "  }\n"
                           "  return %S, %B\n}\n";
  float xs[3] = {0x1p-30f, 0x1p-30f, 1.0f}, s0 = 1.0f;
  int64_t three = 3;
  result r = eval(src, (sj_tensor *[]){sj_tensor_from(SJ_F32, 1, &three, xs), sj_tensor_from(SJ_F32, 0, NULL, &s0)}, 2);
  CHECK(r.st == SJ_OK);
  if (!r.st) CHECK(expect(r.out[0], 1, (int64_t[]){4}, (double[]){1, 1, 1, 2}));
  done(&r);
  sj_ctx *c = sj_ctx_new();
  sj_module *m;
  CHECK(sj_module_parse(c, src, strlen(src), "t.sj", &m) == SJ_OK);
  CHECK(sj_ref_result_precision(m->body->first, 0) == SJ_F32);
  CHECK(sj_ref_result_precision(m->body->first, 1) == SJ_BF16);
  sj_ctx_free(c);
}


/* The generic passes keep a scan's meaning: the reference evaluator gives
 * the same values before and after canonicalize, cse, constant-fold, dce
 * and stabilize (which all rewrite inside the body here), and at a state
 * of 800 the rewritten body is finite where the naive log(1 + exp(h))
 * overflows. */
static const char *passes_src =
    "func @f(%xs: f64[4], %h0: f64[], %w: f64[]) -> (f64[5], f64[4]) {\n"
    "  %c = constant {value = 2.0} : f64[]\n"
    "  %unused = scan %xs, %h0 {nseq = 1, nstate = 1} : f64[5] (%x0: f64[], %h1: f64[]) {\n"
    "    yield %x0\n"
    "  }\n"
    "  %H, %Y = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f64[5], f64[4] (%x: f64[], %h: f64[], %v: f64[]) {\n"
    "    %one = constant {value = 1.0} : f64[]\n"
    "    %m1 = constant {value = -1.0} : f64[]\n"
    "    %half = constant {value = 0.5} : f64[]\n"
    "    %q = mul %half, %half : f64[]\n"
    "    %dead = exp %x : f64[]\n"
    "    %e = exp %h : f64[]\n"
    "    %e1 = add %e, %one : f64[]\n"
    "    %l = log %e1 : f64[]\n"
    "    %a = mul %v, %one : f64[]\n"
    "    %b = mul %x, %m1 : f64[]\n"
    "    %b2 = mul %x, %m1 : f64[]\n"
    "    %d = add %a, %b : f64[]\n"
    "    %d2 = add %a, %b2 : f64[]\n"
    "    %dq = mul %d, %q : f64[]\n"
    "    %h2 = add %l, %dq : f64[]\n"
    "    %y = mul %d2, %h2 : f64[]\n"
    "    yield %h2, %y\n"
    "  }\n"
    "  %Z = mul %Y, %c : f64[4]\n"
    "  return %H, %Z\n}\n";

static sj_status eval_module(sj_ctx *c, sj_module *m, double h0, sj_tensor **out) {
  sj_tensor *in[3] = {vec(4, (double[]){1, -2, 3, 0.5}), scalar_f64(h0), scalar_f64(0.75)};
  sj_status st = sj_ref_eval(c, m->body->first, in, 3, out, 2);
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
  return st;
}

static void test_passes_keep_meaning(void) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m;
  CHECK(sj_module_parse(c, passes_src, strlen(passes_src), "t.sj", &m) == SJ_OK);
  sj_tensor *before[2] = {0}, *after[2] = {0}, *big[2] = {0};
  CHECK(eval_module(c, m, 0.25, before) == SJ_OK);
  CHECK(eval_module(c, m, 800, big) == SJ_OK);
  CHECK(big[0] && isinf(sj_tensor_get(big[0], 1))); /* naive: exp(800) = inf */
  for (int i = 0; i < 2; i++) sj_tensor_free(big[i]), big[i] = NULL;
  sj_pm_options o = {.verify_each = true};
  CHECK(sj_run_pipeline(m, "canonicalize,cse,constant-fold,dce,stabilize", &o) == SJ_OK);
  int nops = 0;
  for (const sj_op *op = m->body->first->regions[0]->first; op; op = op->next) nops++;
  CHECK(nops == 4); /* the unused scan is gone: %c, %H/%Y, %Z, return */
  CHECK(eval_module(c, m, 0.25, after) == SJ_OK);
  for (int i = 0; i < 2 && before[i] && after[i]; i++) {
    CHECK(sj_tensor_numel(before[i]) == sj_tensor_numel(after[i]));
    for (int64_t k = 0; k < sj_tensor_numel(before[i]); k++) {
      double x = sj_tensor_get(before[i], k), y = sj_tensor_get(after[i], k);
      /* softplus and log(1 + exp) round differently: a few ulp */
      CHECK(fabs(x - y) <= 1e-14 * fabs(x));
    }
  }
  CHECK(eval_module(c, m, 800, big) == SJ_OK);
  /* row 1 = softplus(800) + (w - x0) * 0.25 = 800 + (0.75 - 1) / 4, exact */
  CHECK(big[0] && sj_tensor_get(big[0], 1) == 800 + (0.75 - 1) / 4);
  for (int i = 0; i < 2; i++) sj_tensor_free(before[i]), sj_tensor_free(after[i]), sj_tensor_free(big[i]);
  sj_ctx_free(c);
}

int main(void) {
  test_cumsum();
  test_fibonacci();
  test_polynomial();
  test_power();
  test_until();
  test_reverse();
  test_lengths();
  test_zero_steps();
  test_nested();
  test_outlined();
  test_state_shape();
  test_last_zero();
  test_precision();
  test_passes_keep_meaning();
  if (failures) fprintf(stderr, "scan_ref: %d checks failed\n", failures);
  return failures != 0;
}
