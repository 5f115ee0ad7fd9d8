/* constant-fold: evaluates elementwise ops, casts and reductions whose
 * operands are all constants, using each op's scalar `eval` rule from the
 * registry (numpy broadcasting; results rounded to the result dtype). The
 * result is a splat when every operand is a splat, else a dense literal of at
 * most MAX_FOLD_ELEMS elements. f16/bf16 are not folded (no exact host
 * arithmetic for their rounding; left to the compiled code). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"
#include "pass.h"
#include "rewrite.h"

/* Larger folded tensors would bloat the IR text and compile memory. */
#define MAX_FOLD_ELEMS 4096

typedef struct cval {
  const sj_type *t;
  const sj_attr *a;
} cval;

static bool const_of(const sj_value *v, cval *out) {
  const sj_op *d = v->def;
  if (!d || d->code != SJ_OP_CONSTANT) return false;
  out->t = &v->type;
  out->a = sj_op_attr(d, "value");
  return true;
}

static double elem(const cval *c, int64_t i) {
  if (c->a->kind == SJ_ATTR_DENSE) return c->a->u.dense.v[i];
  return c->a->kind == SJ_ATTR_FLOAT ? c->a->u.f : (double)c->a->u.i;
}

/* Rounds to what dtype dt can hold (wrapping integers like the compiled code). */
static double round_to(double x, sj_dtype dt) {
  switch (dt) {
  case SJ_F32: return (double)(float)x;
  case SJ_BOOL: return x != 0;
  case SJ_I8:
  case SJ_I32:
  case SJ_I64: {
    if (isnan(x) || isinf(x)) return 0;
    int64_t i = (int64_t)trunc(x);
    if (dt == SJ_I8) return (double)(int8_t)(uint8_t)(uint64_t)i;
    if (dt == SJ_I32) return (double)(int32_t)(uint32_t)(uint64_t)i;
    return (double)i;
  }
  default: return x;
  }
}

static bool foldable_dtype(sj_dtype dt) { return dt != SJ_F16 && dt != SJ_BF16; }

static int64_t bcast_index(const sj_type *out, const sj_type *in, int64_t lin) {
  int64_t idx = 0, stride = 1;
  for (int k = out->rank - 1, j = in->rank - 1; k >= 0; k--, j--) {
    int64_t ok = lin % out->dims[k];
    lin /= out->dims[k];
    if (j < 0) continue;
    if (in->dims[j] != 1) idx += ok * stride;
    stride *= in->dims[j];
  }
  return idx;
}

/* Replaces op by a constant of its result type holding vals (n == 1: splat). */
static void emit_constant(sj_rewriter *rw, sj_op *op, const double *vals, int64_t n) {
  sj_ctx *c = sj_rw_ctx(rw);
  sj_type t = sj_res(op, 0)->type;
  sj_op *k = sj_rw_create(rw, op, SJ_OP_CONSTANT, 0, NULL, t);
  bool isint = !sj_dtype_is_float(t.dt);
  if (n == 1 && isint) sj_op_set_int(c, k, "value", (int64_t)vals[0]);
  else if (n == 1) sj_op_set_float(c, k, "value", vals[0]);
  else {
    sj_attr a = {.name = "value", .kind = SJ_ATTR_DENSE};
    a.u.dense.n = (int)n;
    a.u.dense.is_int = isint;
    a.u.dense.v = sj_arena_alloc(c, (size_t)n * sizeof(double));
    memcpy(a.u.dense.v, vals, (size_t)n * sizeof(double));
    sj_op_set_attr(c, k, a);
  }
  sj_value *r = sj_res(k, 0);
  sj_rw_replace_op(rw, op, &r);
}

static bool fold_elementwise(sj_rewriter *rw, sj_op *op) {
  const sj_opinfo *oi = sj_opinfo_get(op->code);
  if (!(oi->flags & SJ_F_ELEMWISE) || !oi->eval || op->nresults != 1 || op->nopnds > 3) return false;
  cval in[3];
  bool all_splat = true;
  for (unsigned i = 0; i < op->nopnds; i++) {
    if (!const_of(sj_opnd(op, i), &in[i]) || !foldable_dtype(in[i].t->dt)) return false;
    all_splat &= in[i].a->kind != SJ_ATTR_DENSE;
  }
  const sj_type *rt = &sj_res(op, 0)->type;
  if (!foldable_dtype(rt->dt) || sj_type_numel(rt) < 0) return false; /* constants need static shapes */
  int64_t n = all_splat ? 1 : sj_type_numel(rt);
  if (n < 0 || n > MAX_FOLD_ELEMS) return false;
  sj_dtype dt = in[op->code == SJ_OP_SELECT ? 1 : 0].t->dt;
  double *vals = malloc((size_t)(n ? n : 1) * sizeof *vals);
  bool ok = true;
  for (int64_t l = 0; l < n && ok; l++) {
    double a[3];
    for (unsigned i = 0; i < op->nopnds; i++)
      a[i] = elem(&in[i], all_splat || in[i].a->kind != SJ_ATTR_DENSE ? 0 : bcast_index(rt, in[i].t, l));
    ok = oi->eval(dt, a, &vals[l]);
    vals[l] = round_to(vals[l], rt->dt);
  }
  if (ok) emit_constant(rw, op, vals, n);
  free(vals);
  return ok;
}

static bool fold_reduce(sj_rewriter *rw, sj_op *op) {
  cval x;
  if (!sj_op_has(op, SJ_F_REDUCE) || !const_of(sj_opnd(op, 0), &x) || !foldable_dtype(x.t->dt)) return false;
  const sj_type *t = x.t, *rt = &sj_res(op, 0)->type;
  int64_t total = sj_type_numel(t), n = sj_type_numel(rt);
  if (total < 0 || n < 0 || total > MAX_FOLD_ELEMS || n == 0) return false;
  const sj_attr *ax = sj_op_attr(op, "axes");
  unsigned mask = 0;
  for (int i = 0; ax && i < ax->u.ints.n; i++)
    mask |= 1u << (ax->u.ints.v[i] < 0 ? ax->u.ints.v[i] + t->rank : ax->u.ints.v[i]);
  if (!ax || !ax->u.ints.n) mask = (1u << t->rank) - 1;
  double *acc = malloc((size_t)n * sizeof *acc);
  double init = op->code == SJ_OP_PROD ? 1 : op->code == SJ_OP_MAX ? -INFINITY : op->code == SJ_OP_MIN ? INFINITY : 0;
  for (int64_t i = 0; i < n; i++) acc[i] = init;
  for (int64_t l = 0; l < total; l++) {
    int64_t rem = l, o = 0, stride = 1;
    for (int k = t->rank - 1; k >= 0; k--) {
      int64_t ik = rem % t->dims[k];
      rem /= t->dims[k];
      if (!(mask & (1u << k))) o += ik * stride, stride *= t->dims[k];
    }
    double v = elem(&x, x.a->kind == SJ_ATTR_DENSE ? l : 0);
    if (op->code == SJ_OP_PROD) acc[o] *= v;
    else if (op->code == SJ_OP_MAX) acc[o] = isnan(v) || v > acc[o] ? v : acc[o];
    else if (op->code == SJ_OP_MIN) acc[o] = isnan(v) || v < acc[o] ? v : acc[o];
    else acc[o] += v;
  }
  bool splat = true;
  for (int64_t i = 0; i < n; i++) {
    if (op->code == SJ_OP_MEAN) acc[i] /= (double)(total / n);
    acc[i] = round_to(acc[i], rt->dt);
    splat &= acc[i] == acc[0] || (isnan(acc[i]) && isnan(acc[0]));
  }
  emit_constant(rw, op, acc, splat ? 1 : n);
  free(acc);
  return true;
}

static const sj_pattern patterns[] = {{"fold-elementwise", fold_elementwise}, {"fold-reduction", fold_reduce}};

sj_status sj_pass_constant_fold(sj_module *m) {
  return sj_apply_patterns(m, patterns, sizeof patterns / sizeof patterns[0], NULL);
}
