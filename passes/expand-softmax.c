/* expand-softmax: rewrites softmax, log_softmax and softmax_xent into the
 * stable primitive composition the kernels are built from (runs after the
 * stabilizing rewrites, which need to see the ops, and before
 * fuse-elementwise). With kt = x's type with a 1 on the class axis:
 *
 *   %m = max %x {axes = [a], keepdims = true} : kt
 *   %s = sub %x, %m ; %e = exp %s ; %t = sum %e {axes = [a], keepdims = true}
 *   softmax:      div %e, %t
 *   log_softmax:  %l = log %t ; sub %s, %l   (examples/log_softmax.sj)
 *   softmax_xent: %l = log %t ; l - (take_along_axis(x, labels) - m),
 *                 NaN where a label is outside [0, n); reshaped to the
 *                 labels' shape
 *
 * The row max makes exp's argument <= 0 (no overflow) and the sum >= 1 (no
 * log(0)); the cross-entropy is l - s[label], so it is exactly 0 when the
 * target logit dominates (l = log(1) = 0, s[label] = 0), and never
 * subtracts two large numbers (docs/decisions/0006-softmax-ops.md). */
#include <math.h>

#include "opinfo.h"
#include "registry.h"
#include "rewrite.h"

typedef struct ex {
  sj_rewriter *rw;
  sj_op *at; /* new ops go before it */
  int axis;
} ex;

static sj_value *mk(ex *E, sj_opcode code, unsigned n, sj_value *const *ops, sj_type t) {
  return sj_res(sj_rw_create(E->rw, E->at, code, n, ops, t), 0);
}
static sj_value *mk1(ex *E, sj_opcode code, sj_value *a, sj_type t) { return mk(E, code, 1, &a, t); }
static sj_value *mk2(ex *E, sj_opcode code, sj_value *a, sj_value *b, sj_type t) {
  sj_value *ops[2] = {a, b};
  return mk(E, code, 2, ops, t);
}

/* max or sum over the class axis with kept dims */
static sj_value *reduce_row(ex *E, sj_opcode code, sj_value *x, sj_type kt) {
  sj_op *r = sj_rw_create(E->rw, E->at, code, 1, &x, kt);
  int64_t ax = E->axis;
  sj_op_set_ints(sj_rw_ctx(E->rw), r, "axes", 1, &ax);
  sj_op_set_bool(sj_rw_ctx(E->rw), r, "keepdims", true);
  return sj_res(r, 0);
}

static sj_value *rank0(ex *E, sj_dtype dt, double v) {
  sj_op *c = sj_rw_create(E->rw, E->at, SJ_OP_CONSTANT, 0, NULL, sj_tensor_type(dt, 0, NULL));
  if (sj_dtype_is_float(dt)) sj_op_set_float(sj_rw_ctx(E->rw), c, "value", v);
  else sj_op_set_int(sj_rw_ctx(E->rw), c, "value", (int64_t)v);
  return sj_res(c, 0);
}

static sj_type with_axis(sj_type t, int axis, int64_t d) {
  t.dims[axis] = d;
  return t;
}

/* The common part: m, s, e, t (and l = log t when want_log). */
typedef struct rows {
  sj_value *m, *s, *e, *t, *l;
} rows;

static rows row_stats(ex *E, sj_value *x, bool want_log) {
  sj_type xt = x->type, kt = with_axis(xt, E->axis, 1);
  rows r;
  r.m = reduce_row(E, SJ_OP_MAX, x, kt);
  r.s = mk2(E, SJ_OP_SUB, x, r.m, xt);
  r.e = mk1(E, SJ_OP_EXP, r.s, xt);
  r.t = reduce_row(E, SJ_OP_SUM, r.e, kt);
  r.l = want_log ? mk1(E, SJ_OP_LOG, r.t, kt) : NULL;
  return r;
}

static int axis_of(const sj_op *op) {
  int64_t a = sj_op_int(op, "axis", 0);
  return (int)(a < 0 ? a + sj_opnd(op, 0)->type.rank : a);
}

static bool expand_softmax(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_SOFTMAX) return false;
  ex E = {rw, op, axis_of(op)};
  sj_value *x = sj_opnd(op, 0);
  rows r = row_stats(&E, x, false);
  sj_value *p = mk2(&E, SJ_OP_DIV, r.e, r.t, x->type);
  sj_rw_replace_op(rw, op, &p);
  return true;
}

static bool expand_log_softmax(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_LOG_SOFTMAX) return false;
  ex E = {rw, op, axis_of(op)};
  sj_value *x = sj_opnd(op, 0);
  rows r = row_stats(&E, x, true);
  sj_value *z = mk2(&E, SJ_OP_SUB, r.s, r.l, x->type);
  sj_rw_replace_op(rw, op, &z);
  return true;
}

/* labels with a size-1 axis inserted at the class axis (row-major order is
 * unchanged, so a reshape) */
static sj_value *labels_on_axis(ex *E, sj_value *y) {
  int64_t dims[SJ_MAX_RANK];
  const sj_type *t = &y->type;
  for (int i = 0, j = 0; i <= t->rank; i++) dims[i] = i == E->axis ? 1 : t->dims[j++];
  return mk1(E, SJ_OP_RESHAPE, y, sj_tensor_type(t->dt, t->rank + 1, dims));
}

/* NaN where the label is outside [0, n): take_along_axis clamps, so the
 * row's value would be silently that of another class. */
static sj_value *nan_if_out_of_range(ex *E, sj_value *yk, sj_value *c, int64_t n) {
  sj_type bt = c->type;
  bt.dt = SJ_BOOL;
  sj_value *nan = rank0(E, c->type.dt, NAN);
  int64_t top = yk->type.dt == SJ_I8 ? 127 : yk->type.dt == SJ_I32 ? INT32_MAX : INT64_MAX;
  if (n <= top) /* an i8 label cannot reach n > 127 */
    c = mk(E, SJ_OP_SELECT, 3, (sj_value *[]){mk2(E, SJ_OP_GE, yk, rank0(E, yk->type.dt, (double)n), bt), nan, c},
           c->type);
  sj_value *neg = mk2(E, SJ_OP_LT, yk, rank0(E, yk->type.dt, 0), bt);
  return mk(E, SJ_OP_SELECT, 3, (sj_value *[]){neg, nan, c}, c->type);
}

static bool expand_xent(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_SOFTMAX_XENT) return false;
  ex E = {rw, op, axis_of(op)};
  sj_value *x = sj_opnd(op, 0), *y = sj_opnd(op, 1);
  rows r = row_stats(&E, x, true);
  sj_value *yk = labels_on_axis(&E, y);
  sj_op *take = sj_rw_create(rw, op, SJ_OP_TAKE_ALONG_AXIS, 2, (sj_value *[]){x, yk}, r.m->type);
  sj_op_set_int(sj_rw_ctx(rw), take, "axis", E.axis);
  sj_value *d = mk2(&E, SJ_OP_SUB, sj_res(take, 0), r.m, r.m->type); /* = s[label], bit for bit */
  sj_value *c = mk2(&E, SJ_OP_SUB, r.l, d, r.m->type);
  c = nan_if_out_of_range(&E, yk, c, x->type.dims[E.axis]);
  sj_value *out = mk1(&E, SJ_OP_RESHAPE, c, sj_res(op, 0)->type);
  sj_rw_replace_op(rw, op, &out);
  return true;
}

/* Indexed by statistic: pattern k's applications are counter k. */
static const sj_pattern patterns[] = {
    [SJ_STAT_xsm_softmax] = {"softmax", expand_softmax},
    [SJ_STAT_xsm_log_softmax] = {"log-softmax", expand_log_softmax},
    [SJ_STAT_xsm_xent] = {"softmax-xent", expand_xent},
};
#define NPATS (sizeof patterns / sizeof patterns[0])
_Static_assert(NPATS == SJ_STAT_xsm_dead, "one statistic per pattern, then dead-ops-erased");

sj_status sj_pass_expand_softmax(sj_module *m, sj_pass_run *run) {
  return sj_apply_patterns_counted(m, patterns, NPATS, run, SJ_STAT_xsm_dead);
}
