/* Section 5 of issue 10, tensors: weak scalar literals (every binary op,
 * where, maximum; the rules for int/float mixes; two tensors of different
 * dtypes stay an error), matmul with vector operands (values, gradients,
 * dynamic dims), dense constants from host data, concatenate, stack and
 * copy (values, gradients, errors at the caller's line). */
#include <float.h>
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

/* ---- weak literals ---- */

typedef sj_var *(*binop)(sj_var *, sj_var *, const char *, int);

static void test_weak_literals(void) {
  static const struct {
    const char *name;
    binop f;
  } ops[] = {{"add", sj_add_at}, {"sub", sj_sub_at}, {"mul", sj_mul_at}, {"div", sj_div_at}, {"pow", sj_pow_at},
               {"maximum", sj_maximum_at}, {"minimum", sj_minimum_at}, {"eq", sj_eq_at}, {"ne", sj_ne_at},
               {"lt", sj_lt_at}, {"le", sj_le_at}, {"gt", sj_gt_at}, {"ge", sj_ge_at}};
  int64_t d[1] = {4};
  for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
    sj_ctx *c = sj_ctx_new();
    sj_var *x = sj_input(c, "x", SJ_F32, 1, d);
    /* literal on either side, f64 and i32 literals, all adopt f32 */
    sj_var *r[4] = {ops[k].f(sj_scalar(c, 0.5, SJ_F64), x, __FILE__, __LINE__),
                    ops[k].f(x, sj_scalar(c, 0.5, SJ_F64), __FILE__, __LINE__),
                    ops[k].f(x, sj_scalar(c, 2, SJ_I32), __FILE__, __LINE__),
                    ops[k].f(x, sj_neg(sj_scalar(c, -2, SJ_I64)), __FILE__, __LINE__)};
    bool cmp = k >= 7;
    for (int i = 0; i < 4; i++) {
      CHECK(sj_var_dtype(r[i]) == (cmp ? SJ_BOOL : SJ_F32));
      CHECK(sj_var_rank(r[i]) == 1);
    }
    if (sj_ctx_errmsg(c)[0]) fprintf(stderr, "weak %s: %s", ops[k].name, sj_ctx_errmsg(c)), failures++;
    /* values equal the same op with an f32 constant */
    sj_var *ref[2] = {ops[k].f(x, sj_scalar(c, 0.5, SJ_F32), __FILE__, __LINE__),
                      ops[k].f(x, sj_scalar(c, 2, SJ_F32), __FILE__, __LINE__)};
    sj_var *outs[4] = {r[1], ref[0], r[2], ref[1]};
    sj_tensor *in = sj_tensor_new(SJ_F32, 1, d), *o[4] = {0};
    for (int i = 0; i < 4; i++) sj_tensor_set(in, i, 0.25 + i);
    CHECK(run(c, &x, 1, outs, 4, &in, o));
    for (int i = 0; o[0] && i < 4; i++)
      CHECK(sj_tensor_get(o[0], i) == sj_tensor_get(o[1], i) && sj_tensor_get(o[2], i) == sj_tensor_get(o[3], i));
    for (int i = 0; i < 4; i++) sj_tensor_free(o[i]);
    sj_tensor_free(in);
    /* two tensors of different dtypes stay an error */
    sj_var *y = sj_input(c, "y", SJ_F64, 1, d);
    CHECK(ops[k].f(x, y, __FILE__, __LINE__) == ops[k].f(NULL, y, __FILE__, __LINE__)); /* both poison */
    CHECK(has(c, "operand dtypes differ: f32[4] and f64[4]"));
    sj_ctx_free(c);
  }
  /* where and relu-style maximum; int tensors; float literal with an int
   * tensor (JAX: a float op in the literal's dtype); too-large literals */
  sj_ctx *c = sj_ctx_new();
  sj_var *x = sj_input(c, "x", SJ_F32, 1, d), *n = sj_input(c, "n", SJ_I8, 1, d);
  sj_var *w = sj_where(sj_gt(x, sj_scalar(c, 1, SJ_I64)), x, sj_scalar(c, -1.5, SJ_F64));
  sj_var *m = sj_maximum(x, sj_scalar(c, 0, SJ_I32));
  sj_var *ni = sj_add(n, sj_scalar(c, 3, SJ_I64));
  sj_var *nf = sj_mul(n, sj_scalar(c, 0.5, SJ_F64));
  sj_var *lit = sj_add(sj_scalar(c, 1, SJ_I32), sj_scalar(c, 0.25, SJ_F64)); /* both weak: the float wins */
  sj_var *lx = sj_mul(lit, x);
  CHECK(sj_var_dtype(w) == SJ_F32 && sj_var_dtype(m) == SJ_F32 && sj_var_dtype(ni) == SJ_I8);
  CHECK(sj_var_dtype(nf) == SJ_F64 && sj_var_dtype(lit) == SJ_F64 && sj_var_dtype(lx) == SJ_F32);
  sj_var *ins[2] = {x, n}, *outs[5] = {w, m, ni, nf, lx};
  sj_tensor *in[2] = {sj_tensor_new(SJ_F32, 1, d), sj_tensor_new(SJ_I8, 1, d)}, *o[5] = {0};
  for (int i = 0; i < 4; i++) sj_tensor_set(in[0], i, i - 1.5), sj_tensor_set(in[1], i, 10 * i - 7);
  CHECK(run(c, ins, 2, outs, 5, in, o));
  for (int i = 0; o[0] && i < 4; i++) {
    double xv = i - 1.5, nv = 10 * i - 7;
    CHECK(sj_tensor_get(o[0], i) == (xv > 1 ? xv : -1.5));
    CHECK(sj_tensor_get(o[1], i) == fmax(xv, 0));
    CHECK(sj_tensor_get(o[2], i) == nv + 3);
    CHECK(sj_tensor_get(o[3], i) == nv * 0.5);
    CHECK(sj_tensor_get(o[4], i) == (float)(1.25 * xv));
  }
  for (int i = 0; i < 5; i++) sj_tensor_free(o[i]);
  sj_tensor_free(in[0]), sj_tensor_free(in[1]);
  int line = __LINE__ + 1;
  sj_var *bad = sj_add(n, sj_scalar(c, 300, SJ_I32));
  char want[160];
  snprintf(want, sizeof want, "%s:%d: error: the literal 300 does not fit the dtype i8", __FILE__, line);
  CHECK(has(c, want) && sj_var_rank(bad) == 0);
  sj_ctx_clear_errors(c);
  /* a literal is weak only until it is a strong operand's partner: a bool
   * tensor has no rule (left to the verifier) */
  sj_var *b = sj_input(c, "b", SJ_BOOL, 1, d);
  CHECK(sj_var_rank(sj_add(b, sj_scalar(c, 1, SJ_I32))) == 0 && has(c, "operand dtypes differ"));
  sj_ctx_free(c);
}

/* ---- matmul with vectors ---- */

static void test_matmul_vector(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dX[2] = {3, 4}, dw[1] = {4}, dv[1] = {3}, dyn[2] = {-1, 4}, dB[3] = {2, 3, 4};
  sj_var *X = sj_input(c, "X", SJ_F64, 2, dX), *w = sj_input(c, "w", SJ_F64, 1, dw), *v = sj_input(c, "v", SJ_F64, 1, dv);
  sj_var *Xd = sj_input(c, "Xd", SJ_F64, 2, dyn), *B = sj_input(c, "B", SJ_F64, 3, dB);
  sj_var *Xw = sj_matmul(X, w), *vX = sj_matmul(v, X), *ww = sj_matmul(w, w), *Xdw = sj_matmul(Xd, w), *Bw = sj_matmul(B, w);
  CHECK(sj_var_rank(Xw) == 1 && sj_var_dim(Xw, 0) == 3);
  CHECK(sj_var_rank(vX) == 1 && sj_var_dim(vX, 0) == 4);
  CHECK(sj_var_rank(ww) == 0);
  CHECK(sj_var_rank(Xdw) == 1 && sj_var_dim(Xdw, 0) == -1);
  CHECK(sj_var_rank(Bw) == 2 && sj_var_dim(Bw, 0) == 2 && sj_var_dim(Bw, 1) == 3);
  sj_var *ins[5] = {X, w, v, Xd, B}, *outs[5] = {Xw, vX, ww, Xdw, Bw};
  sj_tensor *in[5], *o[5] = {0};
  in[0] = sj_tensor_new(SJ_F64, 2, dX), in[1] = sj_tensor_new(SJ_F64, 1, dw), in[2] = sj_tensor_new(SJ_F64, 1, dv);
  int64_t d5[2] = {5, 4};
  in[3] = sj_tensor_new(SJ_F64, 2, d5), in[4] = sj_tensor_new(SJ_F64, 3, dB);
  for (int i = 0; i < 5; i++) sj_tensor_fill_uniform(in[i], 30u + (uint64_t)i, -1, 1);
  CHECK(run(c, ins, 5, outs, 5, in, o));
  double err = 0;
  for (int i = 0; o[0] && i < 3; i++) {
    double s = 0;
    for (int k = 0; k < 4; k++) s += sj_tensor_get(in[0], i * 4 + k) * sj_tensor_get(in[1], k);
    err = fmax(err, fabs(s - sj_tensor_get(o[0], i)));
  }
  for (int j = 0; o[1] && j < 4; j++) {
    double s = 0;
    for (int k = 0; k < 3; k++) s += sj_tensor_get(in[2], k) * sj_tensor_get(in[0], k * 4 + j);
    err = fmax(err, fabs(s - sj_tensor_get(o[1], j)));
  }
  double s = 0;
  for (int k = 0; k < 4; k++) s += sj_tensor_get(in[1], k) * sj_tensor_get(in[1], k);
  if (o[2]) err = fmax(err, fabs(s - sj_tensor_get(o[2], 0)));
  CHECK(o[3] && sj_tensor_numel(o[3]) == 5 && sj_tensor_rank(o[3]) == 1);
  for (int i = 0; o[3] && i < 5; i++) {
    double t = 0;
    for (int k = 0; k < 4; k++) t += sj_tensor_get(in[3], i * 4 + k) * sj_tensor_get(in[1], k);
    err = fmax(err, fabs(t - sj_tensor_get(o[3], i)));
  }
  for (int i = 0; o[4] && i < 6; i++) {
    double t = 0;
    for (int k = 0; k < 4; k++) t += sj_tensor_get(in[4], i * 4 + k) * sj_tensor_get(in[1], k);
    err = fmax(err, fabs(t - sj_tensor_get(o[4], i)));
  }
  CHECK(err < 1e-12);
  for (int i = 0; i < 5; i++) sj_tensor_free(o[i]);
  /* gradients: through all of them, against central differences */
  sj_var *cost = sj_add(sj_add(sj_sum(sj_tanh(Xw), 0, NULL, 0), sj_sum(sj_mul(vX, vX), 0, NULL, 0)),
                        sj_add(ww, sj_sum(sj_exp(Xdw), 0, NULL, 0)));
  CHECK(sj_verify_grad(cost, ins, 4, in, NULL) == SJ_OK);
  if (sj_ctx_errmsg(c)[0]) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  /* mismatched contraction: an error at this line */
  int line = __LINE__ + 1;
  CHECK(sj_var_rank(sj_matmul(X, v)) == 0);
  char want[128];
  snprintf(want, sizeof want, "%s:%d: error: matmul: contracting dimensions differ: 'X' f64[3,4] and 'v' f64[3]", __FILE__, line);
  CHECK(has(c, want));
  for (int i = 0; i < 5; i++) sj_tensor_free(in[i]);
  sj_ctx_free(c);
}

/* ---- constants, concatenate, stack, copy ---- */

static void test_join(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d23[2] = {2, 3}, d21[2] = {2, 1}, dq[2] = {-1, 2}, d0[2] = {2, 0};
  sj_tensor *kt = sj_tensor_new(SJ_F32, 2, d21), *ki = sj_tensor_new(SJ_I64, 1, d21 + 1), *kz = sj_tensor_new(SJ_F32, 2, d0);
  sj_tensor_set(kt, 0, 7), sj_tensor_set(kt, 1, -0.125), sj_tensor_set(ki, 0, -5);
  sj_var *K = sj_constant(c, kt), *KI = sj_constant(c, ki), *KZ = sj_constant(c, kz);
  sj_tensor_set(kt, 0, 99); /* copied: later changes do not reach the graph */
  sj_var *a = sj_input(c, "a", SJ_F32, 2, d23), *q = sj_input(c, "q", SJ_F32, 2, dq);
  sj_var *p1[4] = {a, K, KZ, a}, *cat1 = sj_concatenate(p1, 4, 1);          /* [2, 7] */
  sj_var *s2[3] = {a, sj_exp(a), a}, *st0 = sj_stack(s2, 3, 0), *st2 = sj_stack(s2, 3, -1); /* [3,2,3], [2,3,3] */
  sj_var *pq[2] = {q, q}, *catq = sj_concatenate(pq, 2, 1);                  /* [?, 4]: dynamic batch */
  sj_var *cp = sj_copy(a), *one = sj_concatenate(&a, 1, 0);
  CHECK(sj_var_dim(cat1, 1) == 7 && sj_var_dim(st0, 0) == 3 && sj_var_dim(st2, 2) == 3 && sj_var_dim(catq, 0) == -1);
  CHECK(sj_var_dtype(KI) == SJ_I64 && sj_var_rank(KZ) == 2);
  sj_var *ins[2] = {a, q}, *outs[7] = {cat1, st0, st2, catq, cp, one, sj_add(KI, sj_scalar(c, 1, SJ_I32))};
  int64_t d52[2] = {5, 2};
  sj_tensor *in[2] = {sj_tensor_new(SJ_F32, 2, d23), sj_tensor_new(SJ_F32, 2, d52)}, *o[7] = {0};
  for (int i = 0; i < 6; i++) sj_tensor_set(in[0], i, i + 1);
  for (int i = 0; i < 10; i++) sj_tensor_set(in[1], i, 100 + i);
  CHECK(run(c, ins, 2, outs, 7, in, o));
  if (o[0]) {
    const double want[14] = {1, 2, 3, 7, 1, 2, 3, 4, 5, 6, -0.125, 4, 5, 6};
    for (int i = 0; i < 14; i++) CHECK(sj_tensor_get(o[0], i) == want[i]);
    for (int i = 0; i < 6; i++) {
      CHECK(sj_tensor_get(o[1], i) == i + 1 && sj_tensor_get(o[1], 12 + i) == i + 1);
      /* exp is within a few ulp, not correctly rounded (docs/numerics.md) */
      CHECK(fabs(sj_tensor_get(o[1], 6 + i) - exp(i + 1)) <= 4 * FLT_EPSILON * exp(i + 1));
      CHECK(sj_tensor_get(o[2], 3 * i) == i + 1 && sj_tensor_get(o[2], 3 * i + 2) == i + 1);
      CHECK(sj_tensor_get(o[4], i) == i + 1 && sj_tensor_get(o[5], i) == i + 1);
    }
    CHECK(sj_tensor_dims(o[3])[0] == 5 && sj_tensor_dims(o[3])[1] == 4);
    for (int r = 0; r < 5; r++)
      for (int j = 0; j < 4; j++) CHECK(sj_tensor_get(o[3], r * 4 + j) == 100 + r * 2 + j % 2);
    CHECK(sj_tensor_get(o[6], 0) == -4);
  }
  for (int i = 0; i < 7; i++) sj_tensor_free(o[i]);
  /* gradients: each operand gets its slice of g */
  sj_var *st[2] = {a, sj_mul(a, a)};
  sj_var *cost = sj_sum(sj_mul(sj_concatenate(p1, 4, 1), sj_concatenate(p1, 4, 1)), 0, NULL, 0);
  CHECK(sj_verify_grad(cost, &a, 1, in, NULL) == SJ_OK);
  CHECK(sj_verify_grad(sj_tanh(sj_stack(st, 2, 1)), &a, 1, in, NULL) == SJ_OK);
  CHECK(sj_verify_grad(sj_exp(sj_copy(a)), &a, 1, in, NULL) == SJ_OK);
  if (sj_ctx_errmsg(c)[0]) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  /* errors at the caller's line */
  char want[200];
  int64_t d33[2] = {3, 3}, dqq[2] = {-1, -1};
  int line = __LINE__ + 1;
  sj_var *bad[2] = {a, sj_input(c, "b", SJ_F32, 2, d33)}, *r = sj_concatenate(bad, 2, 1);
  snprintf(want, sizeof want, "%s:%d: error: concatenate: operand 1 'b' f32[3,3] does not match operand 0 'a' f32[2,3]: dim 0 differs", __FILE__, line);
  CHECK(sj_var_rank(r) == 0 && has(c, want));
  sj_ctx_clear_errors(c);
  bad[1] = sj_input(c, "i", SJ_I32, 2, d23);
  CHECK(sj_var_rank(sj_stack(bad, 2, 0)) == 0 && has(c, "stack: operand 1 'i' i32[2,3] does not match operand 0 'a' f32[2,3]: the dtypes differ"));
  sj_ctx_clear_errors(c);
  CHECK(sj_var_rank(sj_concatenate(bad, 2, 2)) == 0 && has(c, "concatenate: axis 2 is out of range for rank 2"));
  sj_ctx_clear_errors(c);
  sj_var *dq2[2] = {q, sj_input(c, "q2", SJ_F32, 2, dqq)};
  CHECK(sj_var_rank(sj_concatenate(dq2, 2, 0)) == 0 && has(c, "concatenate: operand 0 'q' f32[?,2]: its size along axis 0 is dynamic (it must be static)"));
  sj_ctx_clear_errors(c);
  CHECK(sj_concatenate(NULL, 0, 0) == NULL && sj_constant(NULL, kt) == NULL);
  sj_var *nul[2] = {a, NULL};
  CHECK(sj_var_rank(sj_concatenate(nul, 2, 0)) == 0 && has(c, "concatenate: operand 1 is NULL"));
  sj_ctx_clear_errors(c);
  CHECK(sj_var_rank(sj_constant(c, NULL)) == 0 && has(c, "sj_constant: the tensor is NULL"));
  sj_ctx_clear_errors(c);
  sj_tensor *huge = sj_tensor_new(SJ_I64, 1, d21 + 1);
  ((int64_t *)sj_tensor_data(huge))[0] = (INT64_C(1) << 53) + 1;
  CHECK(sj_var_rank(sj_constant(c, huge)) == 0 && has(c, "is not exact as a constant"));
  sj_tensor_free(huge);
  sj_ctx_clear_errors(c);
  /* a dynamic dim must agree at run time: checked before the kernel runs
   * (a 1 does not broadcast), the error names the concatenate's line */
  sj_var *q3 = sj_input(c, "q3", SJ_F32, 2, dq), *qq[2] = {q, q3}, *ins2[2] = {q, q3};
  line = __LINE__ + 1;
  sj_var *cq = sj_concatenate(qq, 2, 1);
  sj_function *f = NULL;
  CHECK(sj_compile(c, ins2, 2, &cq, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
  int64_t d12[2] = {1, 2};
  sj_tensor *qin[2] = {sj_tensor_new(SJ_F32, 2, d52), sj_tensor_new(SJ_F32, 2, d12)}, *qo = NULL;
  CHECK(f && sj_function_call(f, qin, 2, &qo, 1) != SJ_OK && qo == NULL);
  snprintf(want, sizeof want, "%s:%d: error: shape mismatch", __FILE__, line);
  CHECK(has(c, want));
  sj_function_free(f);
  sj_tensor_free(qin[0]), sj_tensor_free(qin[1]);
  for (int i = 0; i < 2; i++) sj_tensor_free(in[i]);
  sj_tensor_free(kt), sj_tensor_free(ki), sj_tensor_free(kz);
  sj_ctx_free(c);
}

int main(void) {
  test_weak_literals();
  test_matmul_vector();
  test_join();
  printf("theano_tensors: %d failures\n", failures);
  return failures != 0;
}
