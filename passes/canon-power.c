/* Power specialization (canonicalize): pow(x, c) for a splat constant c
 * becomes the cheaper op that gives the same IEEE result, as Theano's
 * local_pow_specialize and local_pow_specialize_device do.
 *
 * Exact for every value (applied always; C99 Annex F pow as reference):
 *   x ** 0  -> 1          pow(x, ±0) is 1 for every x, NaN included
 *   x ** 1  -> x
 *   x ** n  -> multiplies by repeated squaring, 2 <= n <= POW_MAX_INT
 *   x ** -n -> (1/x) ** n, 1 <= n <= POW_MAX_INT
 *   (f16/bf16: x ** 2 and x ** -1 only, see POW_MAX_INT_HALF)
 *   The signs of zeros and infinities follow the product rule, which is
 *   pow's rule for integer exponents (pow(-0, 3) = -0, pow(-inf, -2) = +0).
 *   1/x is taken first so that (1/x)**n overflows and underflows where
 *   x**-n does (1/(x*x) would give 0 for |x| = 2e19 in f32, where x**-2
 *   is 2.5e-39). Rounding: each multiply rounds once, so the error is at
 *   most about (2n - 1)/2 ulp (7.5 ulp for x**16, 15.5 for x**-16),
 *   within docs/numerics.md's tolerances but not correctly rounded.
 *   x ** 0.5  -> select(x == -inf, +inf, sqrt(x + 0.0))
 *   x ** -0.5 -> select(x == -inf, +0, rsqrt(x + 0.0))
 *   pow(-0, ±0.5) is +0 / +inf where sqrt(-0) is -0 (and rsqrt -inf): the
 *   + 0.0 turns -0 into +0; pow(-inf, ±0.5) is +inf / +0 where sqrt(-inf)
 *   is NaN: the select. Still far cheaper than pow (an exp and a log).
 * Under --fast-math (one zero, no infinities): x ** ±0.5 -> sqrt(x),
 * rsqrt(x). docs/fast-math.md lists both sides. */
#include <math.h>

#include "canon.h"

/* Largest |n| expanded into multiplies: x**16 is 4 squarings (x**15 is
 * 7 multiplies), still cheaper than pow's exp and log, and the rounding
 * error (about n/2 ulp) stays well inside the f32 tolerance. */
#define POW_MAX_INT 16
/* f16/bf16: pow computes in f32 and rounds once (docs/numerics.md), while
 * each multiply of the expansion would round to the half dtype (10 or 7
 * bits): only x**2 and x**-1, one rounding each, are as accurate. */
#define POW_MAX_INT_HALF 2

/* pow(x, c) with a splat exponent c, where x already has the result type
 * or broadcasts to it (static); false otherwise. */
static bool pow_parts(const sj_op *op, sj_value **x, double *c) {
  if (op->code != SJ_OP_POW) return false;
  *x = sj_opnd(op, 0);
  return sj_canon_splat(sj_opnd(op, 1), c) && sj_canon_fits(*x, &sj_res(op, 0)->type);
}

/* Replaces op by v (of x's type) broadcast to op's result type. */
static bool finish(sj_rewriter *rw, sj_op *op, sj_value *v) {
  sj_canon_replace(rw, op, sj_canon_fit(rw, op, v, &sj_res(op, 0)->type));
  return true;
}

bool sj_canon_pow_trivial(sj_rewriter *rw, sj_op *op) {
  sj_value *x;
  double c;
  if (!pow_parts(op, &x, &c) || (c != 0 && c != 1)) return false;
  const sj_type *t = &sj_res(op, 0)->type;
  if (c == 1) return finish(rw, op, x);
  if (!sj_canon_static(t)) return false; /* a constant needs a static shape */
  sj_canon_replace(rw, op, sj_canon_splat_new(rw, op, *t, 1));
  return true;
}

/* b ** n (n >= 1) by repeated squaring, low bits first. */
static sj_value *int_power(sj_rewriter *rw, sj_op *pos, sj_value *b, unsigned n) {
  sj_value *acc = NULL;
  for (;;) {
    if (n & 1) acc = acc ? sj_canon_binary(rw, pos, SJ_OP_MUL, acc, b, b->type.dt) : b;
    n >>= 1;
    if (!n) return acc;
    b = sj_canon_binary(rw, pos, SJ_OP_MUL, b, b, b->type.dt);
  }
}

bool sj_canon_pow_integer(sj_rewriter *rw, sj_op *op) {
  sj_value *x;
  double c;
  if (!pow_parts(op, &x, &c) || c != nearbyint(c) || c == 0 || c == 1) return false;
  bool half = x->type.dt == SJ_F16 || x->type.dt == SJ_BF16;
  if (fabs(c) > (half ? POW_MAX_INT_HALF : POW_MAX_INT) || (half && c == -2)) return false;
  sj_value *b = x;
  if (c < 0) {
    sj_value *one = sj_canon_splat_new(rw, op, sj_canon_scalar_like(&x->type, x->type.dt), 1);
    b = sj_canon_binary(rw, op, SJ_OP_DIV, one, x, x->type.dt);
  }
  return finish(rw, op, int_power(rw, op, b, (unsigned)fabs(c)));
}

bool sj_canon_pow_sqrt(sj_rewriter *rw, sj_op *op) {
  sj_value *x;
  double c;
  if (!pow_parts(op, &x, &c) || (c != 0.5 && c != -0.5)) return false;
  sj_opcode root = c > 0 ? SJ_OP_SQRT : SJ_OP_RSQRT;
  if (sj_canon_fast_math(rw)) return finish(rw, op, sj_canon_unary(rw, op, root, x));
  sj_dtype dt = x->type.dt;
  sj_type st = sj_canon_scalar_like(&x->type, dt);
  sj_value *pz = sj_canon_splat_new(rw, op, st, 0.0);
  sj_value *s = sj_canon_unary(rw, op, root, sj_canon_binary(rw, op, SJ_OP_ADD, x, pz, dt));
  sj_value *ninf = sj_canon_splat_new(rw, op, st, -INFINITY);
  sj_value *is_ninf = sj_canon_binary(rw, op, SJ_OP_EQ, x, ninf, SJ_BOOL);
  sj_value *at_ninf = sj_canon_splat_new(rw, op, st, c > 0 ? INFINITY : 0.0);
  sj_value *ops[3] = {is_ninf, at_ninf, s};
  return finish(rw, op, sj_res(sj_rw_create(rw, op, SJ_OP_SELECT, 3, ops, x->type), 0));
}
