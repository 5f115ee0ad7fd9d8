/* canonicalize: algebraic identities and shape-op simplifications, as
 * patterns for the greedy driver, on tensors and on scalars in kernel and
 * fused bodies. Every rewrite keeps the result type: one that would change it
 * (an identity operand broadcast to a larger shape) is not applied. This
 * file holds the additive identities, self-cancellation, negation and
 * shape-chain patterns and the table that runs them all; the other
 * patterns live one concern per file: canon-power.c (pow with a constant
 * exponent), canon-mul.c (multiplicative canonical form), canon-shape.c
 * (dimshuffle lifting); helpers in canon-util.c. docs/fast-math.md lists
 * every pattern on each side of the NaN policy.
 *
 * Exact for every value (applied always):
 *   x*1, 1*x, x/1 -> x; neg(neg x) -> x
 *   x + (-0.0), (-0.0) + x, x - (+0.0) -> x   (floats; any zero for ints)
 *   x - neg(y) -> x + y; x + neg(y), neg(y) + x -> x - y
 *   transpose(transpose x) -> one transpose (or x); identity perm -> x
 *   reshape(reshape x) -> reshape x; broadcast_to(broadcast_to x) -> one
 *   same-type reshape/broadcast_to/cast -> x; broadcast_to(splat),
 *   reshape(splat) -> splat
 *   cast(cast x) -> x when the inner cast is lossless and the outer one
 *   goes back to x's dtype (f32 -> f64 -> f32, i8 -> i32 -> i8, ...)
 * Wrong for some float values, so floats need --fast-math (docs/fast-math.md):
 *   x + (+0.0) -> x, x - (-0.0) -> x    (-0 + +0 is +0, not -0)
 *   x - x -> 0                          (inf - inf, NaN - NaN are NaN)
 *   x * 0 -> 0                          (inf * 0 is NaN, -1 * 0 is -0)
 *   x / x -> 1                          (0/0, inf/inf are NaN)
 * Integer x / x is never 1: symjit defines 0 / 0 as 0 (docs/numerics.md). */
#include <math.h>
#include <string.h>

#include "canon.h"
#include "registry.h"


/* v is a splat zero that is the identity of `add` (neg = false) or of `sub`
 * (neg = true) on v's dtype: -0.0 for add, +0.0 for sub. Under fast-math the
 * sign of zero is ignored; ints have one zero. */
static bool additive_identity(sj_rewriter *rw, const sj_value *v, bool for_sub) {
  double x;
  if (!sj_canon_splat(v, &x) || x != 0) return false;
  if (!sj_canon_is_float(v) || sj_canon_fast_math(rw)) return true;
  return (bool)signbit(x) != for_sub;
}

/* After an in-place operand change the old producer may be dead: re-queue
 * it so the driver erases it. */
static void requeue(sj_rewriter *rw, sj_op *op, sj_op *old_producer) {
  sj_rw_changed(rw, op);
  sj_rw_changed(rw, old_producer);
}

/* x*1, 1*x, x/1, x+0, 0+x, x-0 -> x (zeros per additive_identity). */
static bool identity_elem(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_ADD && op->code != SJ_OP_SUB && op->code != SJ_OP_MUL && op->code != SJ_OP_DIV)
    return false;
  sj_value *a = sj_opnd(op, 0), *b = sj_opnd(op, 1);
  switch (op->code) {
  case SJ_OP_ADD:
    return (additive_identity(rw, b, false) && sj_canon_forward(rw, op, a)) ||
           (additive_identity(rw, a, false) && sj_canon_forward(rw, op, b));
  case SJ_OP_SUB: return additive_identity(rw, b, true) && sj_canon_forward(rw, op, a);
  case SJ_OP_MUL: return (sj_canon_splat_is(b, 1) && sj_canon_forward(rw, op, a)) || (sj_canon_splat_is(a, 1) && sj_canon_forward(rw, op, b));
  case SJ_OP_DIV: return sj_canon_splat_is(b, 1) && sj_canon_forward(rw, op, a);
  default: return false;
  }
}

/* x - x -> 0, x * 0 -> 0 (ints, or floats under fast-math); x / x -> 1
 * (floats under fast-math only). The constant takes the result type, which
 * must be static. */
static bool self_cancel(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_SUB && op->code != SJ_OP_DIV && op->code != SJ_OP_MUL) return false;
  sj_value *a = sj_opnd(op, 0), *b = sj_opnd(op, 1);
  sj_type t = sj_res(op, 0)->type;
  bool fl = sj_dtype_is_float(t.dt);
  if ((fl && !sj_canon_fast_math(rw)) || !sj_canon_static(&t)) return false;
  sj_value *r = NULL;
  if (op->code == SJ_OP_SUB && a == b) r = sj_canon_splat_new(rw, op, t, 0);
  else if (op->code == SJ_OP_DIV && a == b && fl) r = sj_canon_splat_new(rw, op, t, 1);
  else if (op->code == SJ_OP_MUL && (sj_canon_splat_is(a, 0) || sj_canon_splat_is(b, 0))) r = sj_canon_splat_new(rw, op, t, 0);
  if (!r) return false;
  sj_rw_replace_op(rw, op, &r);
  return true;
}

static bool double_neg(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_NEG) return false;
  sj_op *d = sj_canon_def(sj_opnd(op, 0), SJ_OP_NEG);
  return d && sj_canon_forward(rw, op, sj_opnd(d, 0));
}

/* x - neg(y) -> x + y; x + neg(y) -> x - y; neg(y) + x -> x - y. IEEE
 * defines a - b as a + (-b), so these are exact (ints: modulo 2^n). */
static bool fold_neg_operand(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_ADD && op->code != SJ_OP_SUB) return false;
  sj_value *x = sj_opnd(op, 0), *y = sj_opnd(op, 1);
  sj_op *n = sj_canon_def(y, SJ_OP_NEG);
  sj_opcode code = op->code == SJ_OP_ADD ? SJ_OP_SUB : SJ_OP_ADD;
  if (!n && op->code == SJ_OP_ADD && (n = sj_canon_def(x, SJ_OP_NEG))) x = y; /* commute */
  if (!n) return false;
  sj_value *ops[2] = {x, sj_opnd(n, 0)};
  sj_op *r = sj_rw_create(rw, op, code, 2, ops, sj_res(op, 0)->type);
  sj_value *v = sj_res(r, 0);
  sj_rw_replace_op(rw, op, &v);
  return true;
}

/* Same-type shape ops and casts are no-ops. */
static bool noop_shape(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_RESHAPE && op->code != SJ_OP_BROADCAST_TO && op->code != SJ_OP_CAST) return false;
  return sj_canon_forward(rw, op, sj_opnd(op, 0));
}

/* reshape(reshape x) -> reshape x; broadcast_to(broadcast_to x) ->
 * broadcast_to x (numpy broadcasting composes). */
static bool shape_chain(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_RESHAPE && op->code != SJ_OP_BROADCAST_TO) return false;
  sj_op *d = sj_canon_def(sj_opnd(op, 0), op->code);
  if (!d) return false;
  sj_value *x = sj_opnd(d, 0);
  if (op->code == SJ_OP_BROADCAST_TO && !sj_broadcastable_to(&x->type, &sj_res(op, 0)->type)) return false;
  sj_op_set_operand(op, 0, x);
  requeue(rw, op, d);
  return true;
}

static bool identity_perm(const sj_attr *p) {
  for (int i = 0; i < p->u.ints.n; i++)
    if (p->u.ints.v[i] != i) return false;
  return true;
}

/* transpose(transpose(x, p), q) = transpose(x, r) with r[i] = p[q[i]]:
 * result dim i is y's dim q[i], which is x's dim p[q[i]]. */
static bool transpose_chain(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_TRANSPOSE) return false;
  const sj_attr *q = sj_op_attr(op, "perm");
  if (identity_perm(q)) return sj_canon_forward(rw, op, sj_opnd(op, 0));
  sj_op *d = sj_canon_def(sj_opnd(op, 0), SJ_OP_TRANSPOSE);
  if (!d) return false;
  const sj_attr *p = sj_op_attr(d, "perm");
  int64_t r[SJ_MAX_RANK];
  for (int i = 0; i < q->u.ints.n; i++) r[i] = p->u.ints.v[q->u.ints.v[i]];
  sj_op_set_operand(op, 0, sj_opnd(d, 0));
  sj_op_set_ints(sj_rw_ctx(rw), op, "perm", q->u.ints.n, r);
  requeue(rw, op, d);
  return true;
}

/* broadcast_to or reshape of a splat constant: a splat of the new shape
 * (the gradient of a sum starts as reshape + broadcast_to of 1.0). */
static bool broadcast_splat(sj_rewriter *rw, sj_op *op) {
  double v;
  if ((op->code != SJ_OP_BROADCAST_TO && op->code != SJ_OP_RESHAPE) || !sj_canon_splat(sj_opnd(op, 0), &v)) return false;
  const sj_type *t = &sj_res(op, 0)->type;
  if (!sj_canon_static(t)) return false;
  sj_value *r = sj_canon_splat_new(rw, op, *t, v);
  sj_rw_replace_op(rw, op, &r);
  return true;
}

/* Every value of dtype `from` is exactly representable in `to`. */
static bool lossless_cast(sj_dtype from, sj_dtype to) {
  switch (from) {
  case SJ_BOOL: return true;
  case SJ_I8: return to != SJ_BOOL; /* |x| <= 128 fits every float's significand */
  case SJ_I32: return to == SJ_I64 || to == SJ_F64;
  case SJ_I64: return false;
  case SJ_F16:
  case SJ_BF16: return to == SJ_F32 || to == SJ_F64;
  case SJ_F32: return to == SJ_F64;
  default: return false;
  }
}

/* cast(cast(x, T1), T0) -> x when x: T0 converts to T1 without loss. */
static bool cast_chain(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_CAST) return false;
  sj_op *d = sj_canon_def(sj_opnd(op, 0), SJ_OP_CAST);
  if (!d) return false;
  sj_value *x = sj_opnd(d, 0);
  return lossless_cast(x->type.dt, sj_opnd(op, 0)->type.dt) && sj_canon_forward(rw, op, x);
}

/* Indexed by statistic: each pattern's applications are its counter. */
static const sj_pattern patterns[] = {
    [SJ_STAT_canon_identity_element] = {"identity-element", identity_elem},
    [SJ_STAT_canon_self_cancel] = {"self-cancel", self_cancel},
    [SJ_STAT_canon_double_neg] = {"double-neg", double_neg},
    [SJ_STAT_canon_fold_neg_operand] = {"fold-neg-operand", fold_neg_operand},
    [SJ_STAT_canon_noop_shape] = {"noop-shape", noop_shape},
    [SJ_STAT_canon_shape_chain] = {"shape-chain", shape_chain},
    [SJ_STAT_canon_transpose_chain] = {"transpose-chain", transpose_chain},
    [SJ_STAT_canon_broadcast_splat] = {"broadcast-splat", broadcast_splat},
    [SJ_STAT_canon_cast_chain] = {"cast-chain", cast_chain},
    /* canon-power.c */
    [SJ_STAT_canon_pow_trivial] = {"pow-trivial", sj_canon_pow_trivial},
    [SJ_STAT_canon_pow_integer] = {"pow-integer", sj_canon_pow_integer},
    [SJ_STAT_canon_pow_sqrt] = {"pow-sqrt", sj_canon_pow_sqrt},
    /* canon-mul.c */
    [SJ_STAT_canon_mul_neg_one] = {"mul-neg-one", sj_canon_mul_neg_one},
    [SJ_STAT_canon_neg_factor] = {"neg-factor", sj_canon_neg_factor},
    [SJ_STAT_canon_div_exact_recip] = {"div-exact-recip", sj_canon_div_exact_recip},
    [SJ_STAT_canon_const_factor] = {"const-factor", sj_canon_const_factor},
    [SJ_STAT_canon_cancel_factor] = {"cancel-factor", sj_canon_cancel_factor},
    /* canon-shape.c */
    [SJ_STAT_canon_transpose_unit_dims] = {"transpose-unit-dims", sj_canon_transpose_unit_dims},
    [SJ_STAT_canon_reshape_transpose] = {"reshape-transpose", sj_canon_reshape_transpose},
    [SJ_STAT_canon_transpose_broadcast] = {"transpose-broadcast", sj_canon_transpose_broadcast},
    [SJ_STAT_canon_sink_transpose] = {"sink-transpose", sj_canon_sink_transpose},
};
#define NPATS (sizeof patterns / sizeof patterns[0])
_Static_assert(NPATS == SJ_STAT_canon_dead, "one statistic per pattern, then dead-ops-erased");

sj_status sj_pass_canonicalize(sj_module *m, sj_pass_run *run) {
  return sj_apply_patterns_counted(m, patterns, NPATS, run, SJ_STAT_canon_dead);
}
