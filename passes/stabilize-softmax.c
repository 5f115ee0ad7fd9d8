/* stabilize-softmax: recognizes the naive spellings of softmax, log-softmax
 * and softmax cross-entropy and rewrites them into the stable ops
 * (softmax, log_softmax, softmax_xent), which expand-softmax later turns
 * into the max-subtracted forms. Patterns for the greedy driver:
 *
 *   log(softmax(x))                      -> log_softmax(x)
 *   log(take*(softmax(x), i))            -> take*(log_softmax(x), i)
 *   exp(x) / sum(exp(x), a)              -> softmax(x, a)   (keepdims, or a
 *       reshape inserting the size-1 axis, or a leading axis broadcast by
 *       numpy's rule; a broadcast_to of either)
 *   take_along_axis(log_softmax(x), i)   -> -softmax_xent(x, labels)
 *   sum(one_hot(y) * log_softmax(x), a)  -> -softmax_xent(x, y)
 *       one_hot as the graph API builds it: cast(eq(reshape(y), iota))
 *
 * A negation that is the only user of the matched op is folded
 * (-(-xent) is xent). Exactness: each rewrite gives the same value for
 * valid inputs, and more: no overflow in exp, no log(0), no inf - inf. For
 * labels outside [0, n) softmax_xent gives NaN where take_along_axis
 * clamps and one_hot gives a zero row (docs/decisions/0006-softmax-ops.md). */
#include <string.h>

#include "opinfo.h"
#include "registry.h"
#include "rewrite.h"

static sj_op *def_of(const sj_value *v, sj_opcode code) { return v->def && v->def->code == code ? v->def : NULL; }

/* An op's `axis` attribute, normalized against the rank of operand 0. */
static int axis_attr(const sj_op *op) {
  int64_t a = sj_op_int(op, "axis", 0);
  return (int)(a < 0 ? a + sj_opnd(op, 0)->type.rank : a);
}

/* The one axis a reduction reduces, or -1 (several, or all of a rank > 1). */
static int single_axis(const sj_op *red) {
  sj_reduce_info ri;
  if (!sj_reduce_info_get(red, &ri)) return -1;
  for (int a = 0; a < SJ_MAX_RANK; a++)
    if (ri.mask == 1u << a) return a;
  return -1;
}

static bool same_dims(const sj_type *a, const sj_type *b) {
  if (a->rank != b->rank) return false;
  for (int i = 0; i < a->rank; i++)
    if (a->dims[i] != b->dims[i]) return false;
  return true;
}

/* t with axis `a` removed / set to 1. */
static sj_type drop_axis(sj_type t, int a) {
  for (int i = a; i + 1 < t.rank; i++) t.dims[i] = t.dims[i + 1];
  t.rank--;
  return t;
}
static sj_type one_at(sj_type t, int a) {
  t.dims[a] = 1;
  return t;
}

static int num_dyn(const sj_type *t) {
  int n = 0;
  for (int i = 0; i < t->rank; i++) n += t->dims[i] == SJ_DYN;
  return n;
}

static sj_op *make_axis_op(sj_rewriter *rw, sj_op *pos, sj_opcode code, unsigned n, sj_value *const *ops,
                           sj_type t, int axis) {
  sj_op *o = sj_rw_create(rw, pos, code, n, ops, t);
  sj_op_set_int(sj_rw_ctx(rw), o, "axis", axis);
  return o;
}

/* ---- log(softmax(x)) ---- */

static sj_value *log_softmax_of(sj_rewriter *rw, sj_op *pos, sj_op *sm) {
  sj_value *x = sj_opnd(sm, 0);
  return sj_res(make_axis_op(rw, pos, SJ_OP_LOG_SOFTMAX, 1, &x, x->type, axis_attr(sm)), 0);
}

static bool log_of_softmax(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_LOG) return false;
  sj_value *v = sj_opnd(op, 0), *r;
  sj_op *sm = def_of(v, SJ_OP_SOFTMAX), *tk = NULL;
  if (sm) {
    r = log_softmax_of(rw, op, sm);
  } else {
    tk = v->def && (v->def->code == SJ_OP_TAKE || v->def->code == SJ_OP_TAKE_ALONG_AXIS) ? v->def : NULL;
    if (!tk || !(sm = def_of(sj_opnd(tk, 0), SJ_OP_SOFTMAX))) return false;
    /* a gather commutes with an elementwise log */
    sj_value *ops[2] = {log_softmax_of(rw, op, sm), sj_opnd(tk, 1)};
    r = sj_res(make_axis_op(rw, op, tk->code, 2, ops, v->type, (int)sj_op_int(tk, "axis", 0)), 0);
  }
  sj_rw_replace_op(rw, op, &r);
  return true;
}

/* ---- exp(x) / sum(exp(x)) ---- */

/* The exp's operand, if v is exp(x). */
static sj_value *exp_operand(const sj_value *v) {
  sj_op *e = def_of(v, SJ_OP_EXP);
  return e ? sj_opnd(e, 0) : NULL;
}

/* d, the denominator of a division whose numerator has type xt, is the sum
 * of exp(x) along one axis a, broadcast back along a only. Returns a, or
 * -1. Accepted: sum keepdims; sum without keepdims, reshaped to the kept
 * shape (the size-1 axis inserted: row-major order is unchanged) or, for
 * a = 0 only, broadcast by numpy's leading-axis rule; any of these through
 * one broadcast_to to xt. */
static int row_sum_axis(const sj_value *d, const sj_type *xt, sj_value *x) {
  sj_op *b = def_of(d, SJ_OP_BROADCAST_TO);
  if (b) {
    if (!same_dims(&d->type, xt)) return -1;
    d = sj_opnd(b, 0);
  }
  sj_op *rs = def_of(d, SJ_OP_RESHAPE);
  const sj_value *sv = rs ? sj_opnd(rs, 0) : d;
  sj_op *sum = def_of(sv, SJ_OP_SUM);
  if (!sum || exp_operand(sj_opnd(sum, 0)) != x) return -1;
  int a = single_axis(sum);
  if (a < 0 || !same_dims(&sj_opnd(sum, 0)->type, xt)) return -1;
  sj_type kt = one_at(*xt, a), dropped = drop_axis(*xt, a);
  bool keep = sj_op_bool(sum, "keepdims", false);
  if (rs) /* reshape of the reduced value to the kept shape, unambiguous */
    return !keep && same_dims(&d->type, &kt) && num_dyn(&kt) <= 1 ? a : -1;
  if (keep) return a;
  return a == 0 && same_dims(&sv->type, &dropped) ? 0 : -1;
}

static bool softmax_from_exp(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_DIV) return false;
  sj_value *x = exp_operand(sj_opnd(op, 0));
  if (!x || !sj_dtype_is_float(x->type.dt) || !sj_type_eq(&sj_res(op, 0)->type, &x->type)) return false;
  int a = row_sum_axis(sj_opnd(op, 1), &x->type, x);
  if (a < 0) return false;
  sj_value *r = sj_res(make_axis_op(rw, op, SJ_OP_SOFTMAX, 1, &x, x->type, a), 0);
  sj_rw_replace_op(rw, op, &r);
  return true;
}

/* ---- cross-entropy ---- */

/* labels: integers shaped like x without axis a (x's class axis static). */
static bool labels_fit(const sj_type *x, int a, const sj_type *y) {
  sj_type want = drop_axis(*x, a);
  return x->dims[a] > 0 && sj_dtype_is_int(y->dt) && same_dims(&want, y);
}

/* The labels behind idx (x's shape with a 1 at axis a): the operand of a
 * reshape that inserted the axis, or a new reshape dropping it. */
static sj_value *labels_of_index(sj_rewriter *rw, sj_op *pos, sj_value *idx, const sj_type *x, int a) {
  sj_op *rs = def_of(idx, SJ_OP_RESHAPE);
  if (rs && labels_fit(x, a, &sj_opnd(rs, 0)->type)) return sj_opnd(rs, 0);
  sj_type t = drop_axis(idx->type, a);
  return sj_res(sj_rw_create(rw, pos, SJ_OP_RESHAPE, 1, &idx, t), 0);
}

/* op's result is -xent (xent: the labels' shape, reshaped to op's type).
 * A neg that is op's only user becomes xent itself. */
static void replace_negated(sj_rewriter *rw, sj_op *op, sj_value *xent) {
  sj_value *v = sj_res(op, 0);
  sj_op *user = sj_value_num_uses(v) == 1 ? v->uses->user : NULL;
  bool fold = user && user->code == SJ_OP_NEG;
  sj_op *pos = fold ? user : op;
  sj_value *r = xent;
  if (!sj_type_eq(&r->type, &v->type)) r = sj_res(sj_rw_create(rw, op, SJ_OP_RESHAPE, 1, &r, v->type), 0);
  if (!fold) r = sj_res(sj_rw_create(rw, op, SJ_OP_NEG, 1, &r, v->type), 0);
  sj_rw_replace_op(rw, pos, &r);
}

static sj_value *make_xent(sj_rewriter *rw, sj_op *pos, sj_value *x, sj_value *labels, int a) {
  sj_type t = labels->type;
  t.dt = x->type.dt;
  sj_value *ops[2] = {x, labels};
  return sj_res(make_axis_op(rw, pos, SJ_OP_SOFTMAX_XENT, 2, ops, t, a), 0);
}

/* take_along_axis(log_softmax(x, a), idx, a), idx: x's shape with 1 at a. */
static bool xent_take(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_TAKE_ALONG_AXIS) return false;
  sj_op *ls = def_of(sj_opnd(op, 0), SJ_OP_LOG_SOFTMAX);
  if (!ls) return false;
  sj_value *x = sj_opnd(ls, 0), *idx = sj_opnd(op, 1);
  int a = axis_attr(ls);
  sj_type kt = one_at(x->type, a);
  if (axis_attr(op) != a || !same_dims(&idx->type, &kt) || x->type.dims[a] < 1) return false;
  sj_value *labels = labels_of_index(rw, op, idx, &x->type, a);
  replace_negated(rw, op, make_xent(rw, op, x, labels, a));
  return true;
}

/* v is the dense constant 0, 1, ..., n-1 of shape [n]. */
static bool is_iota(const sj_value *v, int64_t n) {
  sj_op *c = def_of(v, SJ_OP_CONSTANT);
  if (!c || v->type.rank != 1 || v->type.dims[0] != n) return false;
  const sj_attr *at = sj_op_attr(c, "value");
  if (at->kind != SJ_ATTR_DENSE || at->u.dense.n != n) return false;
  for (int64_t i = 0; i < n; i++)
    if (at->u.dense.v[i] != (double)i) return false;
  return true;
}

/* v is one_hot(labels, n) along the last axis of x (cast(eq(reshape(y),
 * iota)) in x's dtype and shape); returns the labels. */
static sj_value *one_hot_labels(const sj_value *v, const sj_type *x) {
  sj_op *cast = def_of(v, SJ_OP_CAST);
  int a = x->rank - 1;
  if (!cast || !sj_type_eq(&v->type, x)) return NULL;
  sj_op *eq = def_of(sj_opnd(cast, 0), SJ_OP_EQ);
  if (!eq) return NULL;
  for (unsigned k = 0; k < 2; k++) {
    sj_op *rs = def_of(sj_opnd(eq, k), SJ_OP_RESHAPE);
    if (!rs || !is_iota(sj_opnd(eq, 1 - k), x->dims[a])) continue;
    sj_value *y = sj_opnd(rs, 0);
    sj_type kt = one_at(*x, a);
    if (labels_fit(x, a, &y->type) && same_dims(&sj_res(rs, 0)->type, &kt)) return y;
  }
  return NULL;
}

/* sum(one_hot(y) * log_softmax(x), axis) over the class (last) axis. */
static bool xent_one_hot(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_SUM) return false;
  sj_op *mul = def_of(sj_opnd(op, 0), SJ_OP_MUL);
  if (!mul) return false;
  for (unsigned k = 0; k < 2; k++) {
    sj_op *ls = def_of(sj_opnd(mul, k), SJ_OP_LOG_SOFTMAX);
    if (!ls) continue;
    sj_value *x = sj_opnd(ls, 0), *y;
    int a = axis_attr(ls);
    if (a != x->type.rank - 1 || single_axis(op) != a || !sj_type_eq(&sj_res(mul, 0)->type, &x->type)) continue;
    if (!(y = one_hot_labels(sj_opnd(mul, 1 - k), &x->type))) continue;
    replace_negated(rw, op, make_xent(rw, op, x, y, a));
    return true;
  }
  return false;
}

/* Indexed by statistic: pattern k's applications are counter k. */
static const sj_pattern patterns[] = {
    [SJ_STAT_ssm_log_softmax] = {"log-softmax", log_of_softmax},
    [SJ_STAT_ssm_softmax] = {"softmax", softmax_from_exp},
    [SJ_STAT_ssm_xent_take] = {"xent-take", xent_take},
    [SJ_STAT_ssm_xent_one_hot] = {"xent-one-hot", xent_one_hot},
};
#define NPATS (sizeof patterns / sizeof patterns[0])
_Static_assert(NPATS == SJ_STAT_ssm_dead, "one statistic per pattern, then dead-ops-erased");

sj_status sj_pass_stabilize_softmax(sj_module *m, sj_pass_run *run) {
  return sj_apply_patterns_counted(m, patterns, NPATS, run, SJ_STAT_ssm_dead);
}
