/* Helpers shared by the canonicalize patterns (passes/canon.h): splat
 * constants, the NaN policy, and building replacement ops with types that
 * keep the replaced op's result type. No pattern lives here. */
#include "canon.h"

bool sj_canon_fast_math(sj_rewriter *rw) { return sj_ctx_fast_math(sj_rw_ctx(rw)); }

bool sj_canon_splat(const sj_value *v, double *out) {
  const sj_op *d = v->def;
  if (!d || d->code != SJ_OP_CONSTANT) return false;
  const sj_attr *a = sj_op_attr(d, "value");
  if (a->kind == SJ_ATTR_FLOAT) *out = a->u.f;
  else if (a->kind == SJ_ATTR_INT) *out = (double)a->u.i;
  else return false;
  return true;
}

bool sj_canon_splat_is(const sj_value *v, double k) {
  double x;
  return sj_canon_splat(v, &x) && x == k;
}

bool sj_canon_splat_int(const sj_value *v, int64_t *out) {
  const sj_op *d = v->def;
  if (!d || d->code != SJ_OP_CONSTANT || sj_dtype_is_float(v->type.dt)) return false;
  const sj_attr *a = sj_op_attr(d, "value");
  if (a->kind != SJ_ATTR_INT) return false;
  *out = a->u.i;
  return true;
}

sj_op *sj_canon_def(const sj_value *v, sj_opcode code) { return v->def && v->def->code == code ? v->def : NULL; }

bool sj_canon_is_float(const sj_value *v) { return sj_dtype_is_float(v->type.dt); }

bool sj_canon_static(const sj_type *t) {
  for (int k = 0; k < t->rank; k++)
    if (t->dims[k] == SJ_DYN) return false;
  return true;
}

void sj_canon_replace(sj_rewriter *rw, sj_op *op, sj_value *v) { sj_rw_replace_op(rw, op, &v); }

bool sj_canon_forward(sj_rewriter *rw, sj_op *op, sj_value *v) {
  if (!sj_type_eq(&v->type, &sj_res(op, 0)->type)) return false;
  sj_canon_replace(rw, op, v);
  return true;
}

sj_value *sj_canon_splat_new(sj_rewriter *rw, sj_op *pos, sj_type t, double v) {
  sj_op *c = sj_rw_create(rw, pos, SJ_OP_CONSTANT, 0, NULL, t);
  if (sj_dtype_is_float(t.dt)) sj_op_set_float(sj_rw_ctx(rw), c, "value", v);
  else sj_op_set_int(sj_rw_ctx(rw), c, "value", (int64_t)v);
  return sj_res(c, 0);
}

sj_type sj_canon_scalar_like(const sj_type *like, sj_dtype dt) {
  return like->is_tensor ? sj_tensor_type(dt, 0, NULL) : sj_scalar_type(dt);
}

sj_value *sj_canon_unary(sj_rewriter *rw, sj_op *pos, sj_opcode code, sj_value *a) {
  return sj_res(sj_rw_create(rw, pos, code, 1, &a, a->type), 0);
}

sj_value *sj_canon_binary(sj_rewriter *rw, sj_op *pos, sj_opcode code, sj_value *a, sj_value *b, sj_dtype dt) {
  sj_type t = a->type;
  if (a->type.is_tensor != b->type.is_tensor) return NULL;
  if (t.is_tensor && !sj_broadcast_shapes(&a->type, &b->type, &t)) return NULL;
  t.dt = dt;
  sj_value *ops[2] = {a, b};
  return sj_res(sj_rw_create(rw, pos, code, 2, ops, t), 0);
}

bool sj_canon_fits(const sj_value *v, const sj_type *t) {
  if (sj_type_eq(&v->type, t)) return true;
  return v->type.is_tensor && t->is_tensor && v->type.dt == t->dt && sj_canon_static(t) &&
         sj_broadcastable_to(&v->type, t);
}

sj_value *sj_canon_fit(sj_rewriter *rw, sj_op *pos, sj_value *v, const sj_type *t) {
  if (sj_type_eq(&v->type, t)) return v;
  if (!sj_canon_fits(v, t)) return NULL;
  return sj_res(sj_rw_create(rw, pos, SJ_OP_BROADCAST_TO, 1, &v, *t), 0);
}
