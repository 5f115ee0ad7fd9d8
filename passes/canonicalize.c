/* canonicalize: algebraic identities and shape-op simplifications, as
 * patterns for the greedy driver. Identities that are wrong for NaN, Inf or
 * signed zero on floats run only under --fast-math (docs/fast-math.md):
 *   x - x -> 0, x / x -> 1, x * 0 -> 0   (ints always; floats fast-math only)
 * Everything else is exact: x*1, 1*x, x+0, 0+x, x-0, x/1 -> x; neg(neg x) -> x;
 * transpose(transpose x) -> one transpose (or x); reshape(reshape x) ->
 * reshape x; reshape/broadcast_to/cast to the same type -> x; broadcast_to of
 * a splat constant -> a splat constant of the new type. A rewrite that would
 * change the result type (broadcasting) is not applied. */
#include <math.h>
#include <string.h>

#include "opinfo.h"
#include "pass.h"
#include "rewrite.h"

/* Splat value of a constant (int or float attribute, not dense). */
static bool splat(const sj_value *v, double *out) {
  const sj_op *d = v->def;
  if (!d || d->code != SJ_OP_CONSTANT) return false;
  const sj_attr *a = sj_op_attr(d, "value");
  if (a->kind == SJ_ATTR_FLOAT) *out = a->u.f;
  else if (a->kind == SJ_ATTR_INT) *out = (double)a->u.i;
  else return false;
  return true;
}

static bool is_splat(const sj_value *v, double k) {
  double x;
  return splat(v, &x) && x == k && !(k == 0 && signbit(x));
}

static bool same_type(const sj_value *a, const sj_value *b) { return sj_type_eq(&a->type, &b->type); }

/* Replaces op's single result by v when the types agree. */
static bool forward(sj_rewriter *rw, sj_op *op, sj_value *v) {
  if (!same_type(v, sj_res(op, 0))) return false;
  sj_rw_replace_op(rw, op, &v);
  return true;
}

/* A splat constant of type t, built before op. */
static sj_value *make_splat(sj_rewriter *rw, sj_op *op, sj_type t, double v) {
  sj_op *c = sj_rw_create(rw, op, SJ_OP_CONSTANT, 0, NULL, t);
  if (sj_dtype_is_float(t.dt)) sj_op_set_float(sj_rw_ctx(rw), c, "value", v);
  else sj_op_set_int(sj_rw_ctx(rw), c, "value", (int64_t)v);
  return sj_res(c, 0);
}

static bool static_shape(const sj_type *t) {
  for (int k = 0; k < t->rank; k++)
    if (t->dims[k] == SJ_DYN) return false;
  return true;
}

static bool exact_ok(sj_rewriter *rw, const sj_op *op) {
  return !sj_dtype_is_float(sj_res(op, 0)->type.dt) || sj_ctx_fast_math(sj_rw_ctx(rw));
}

static bool identity_elem(sj_rewriter *rw, sj_op *op) {
  if (op->nresults != 1 || op->nopnds != 2) return false;
  sj_value *a = sj_opnd(op, 0), *b = sj_opnd(op, 1);
  switch (op->code) {
  case SJ_OP_ADD:
    return (is_splat(b, 0) && forward(rw, op, a)) || (is_splat(a, 0) && forward(rw, op, b));
  case SJ_OP_SUB: return is_splat(b, 0) && forward(rw, op, a);
  case SJ_OP_MUL:
    return (is_splat(b, 1) && forward(rw, op, a)) || (is_splat(a, 1) && forward(rw, op, b));
  case SJ_OP_DIV: return is_splat(b, 1) && forward(rw, op, a);
  default: return false;
  }
}

/* x - x -> 0, x / x -> 1, x * 0 -> 0: exact for ints only. */
static bool self_cancel(sj_rewriter *rw, sj_op *op) {
  /* a constant result needs a static shape */
  if (op->nopnds != 2 || op->nresults != 1 || !exact_ok(rw, op) || !static_shape(&sj_res(op, 0)->type)) return false;
  sj_value *a = sj_opnd(op, 0), *b = sj_opnd(op, 1);
  sj_type t = sj_res(op, 0)->type;
  double zero = 0;
  sj_value *r = NULL;
  if (op->code == SJ_OP_SUB && a == b) r = make_splat(rw, op, t, 0);
  else if (op->code == SJ_OP_DIV && a == b && sj_dtype_is_float(t.dt)) r = make_splat(rw, op, t, 1);
  else if (op->code == SJ_OP_MUL && ((splat(b, &zero) && zero == 0) || (splat(a, &zero) && zero == 0)))
    r = make_splat(rw, op, t, 0);
  if (!r) return false;
  sj_rw_replace_op(rw, op, &r);
  return true;
}

static bool double_neg(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_NEG) return false;
  sj_op *d = sj_opnd(op, 0)->def;
  return d && d->code == SJ_OP_NEG && forward(rw, op, sj_opnd(d, 0));
}

/* Same-type shape ops and casts are no-ops. */
static bool noop_shape(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_RESHAPE && op->code != SJ_OP_BROADCAST_TO && op->code != SJ_OP_CAST) return false;
  return forward(rw, op, sj_opnd(op, 0));
}

static bool reshape_chain(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_RESHAPE) return false;
  sj_op *d = sj_opnd(op, 0)->def;
  if (!d || d->code != SJ_OP_RESHAPE) return false;
  sj_op_set_operand(op, 0, sj_opnd(d, 0));
  sj_rw_changed(rw, op);
  return true;
}

static bool identity_perm(const sj_attr *p) {
  for (int i = 0; i < p->u.ints.n; i++)
    if (p->u.ints.v[i] != i) return false;
  return true;
}

/* transpose(transpose(x, p), q) = transpose(x, p∘q): r[i] = p[q[i]] */
static bool transpose_chain(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_TRANSPOSE) return false;
  const sj_attr *q = sj_op_attr(op, "perm");
  if (identity_perm(q)) return forward(rw, op, sj_opnd(op, 0));
  sj_op *d = sj_opnd(op, 0)->def;
  if (!d || d->code != SJ_OP_TRANSPOSE) return false;
  const sj_attr *p = sj_op_attr(d, "perm");
  int64_t r[SJ_MAX_RANK];
  for (int i = 0; i < q->u.ints.n; i++) r[i] = p->u.ints.v[q->u.ints.v[i]];
  sj_op_set_operand(op, 0, sj_opnd(d, 0));
  sj_op_set_ints(sj_rw_ctx(rw), op, "perm", q->u.ints.n, r);
  sj_rw_changed(rw, op);
  return true;
}

static bool broadcast_splat(sj_rewriter *rw, sj_op *op) {
  double v;
  if (op->code != SJ_OP_BROADCAST_TO || !splat(sj_opnd(op, 0), &v)) return false;
  const sj_type *t = &sj_res(op, 0)->type;
  if (!static_shape(t)) return false;
  sj_value *r = make_splat(rw, op, *t, v);
  sj_rw_replace_op(rw, op, &r);
  return true;
}

static const sj_pattern patterns[] = {
    {"identity-element", identity_elem}, {"self-cancel", self_cancel},       {"double-neg", double_neg},
    {"noop-shape", noop_shape},          {"reshape-chain", reshape_chain},   {"transpose-chain", transpose_chain},
    {"broadcast-splat", broadcast_splat},
};

sj_status sj_pass_canonicalize(sj_module *m) {
  return sj_apply_patterns(m, patterns, sizeof patterns / sizeof patterns[0], NULL);
}
