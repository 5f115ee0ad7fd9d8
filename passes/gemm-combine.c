/* gemm-combine: folds the elementwise scale-and-add around a matmul into one
 * `addmm` (beta * z + alpha * x @ y), which lower-to-loops turns into one
 * BLAS call with alpha and beta instead of a gemm plus an elementwise kernel
 * (Theano's gemm optimizer; docs/decisions/0009-gemm.md):
 *
 *   a*dot(X,Y) + b*Z   dot(X,Y) + Z   Z - a*dot(X,Y)   -dot(X,Y) + Z
 *   dot(A,B) + dot(C,D)  -> addmm(dot(C,D), A, B): the second gemm
 *                           accumulates into the first's output (beta = 1)
 *
 * a and b are splat constants of the operands' dtype (a runtime scalar is
 * not a BLAS alpha); the matmul and its scaling have no other user (else
 * the product would be computed twice). Z has the product's type exactly:
 * a broadcast bias is not a BLAS beta; gemm-epilogue runs it over the rows
 * of the output instead. f16/bf16 products are left alone (their matmul
 * is widened to f32 by lower-to-loops, docs/decisions/0005); alpha or beta
 * 0 is left alone, since BLAS then reads neither operand and a NaN there
 * would vanish. Runs after differentiation: addmm has no gradient rule.
 *
 *   a*dot(X,Y) + 0      -> dot(X,Y) (a = 1) or addmm {beta = 0}
 *
 * when the other side is a constant of zeros of the product's type (the
 * zero a gradient sum starts from, left by scan-pushout's accumulation
 * rule): as an accumulator BLAS would copy it in and add it (1 MiB for the
 * LSTM's dW_hh); without it the product is the same but for the sign of a
 * zero (-0 + 0 is +0), which compares equal (decision 0039). */
#include <math.h>

#include "opinfo.h"
#include "registry.h"
#include "rewrite.h"

/* A splat constant whose broadcast changes nothing: rank 0 or all dims 1. */
static bool scalar_const(const sj_value *v, sj_dtype dt, double *out) {
  const sj_op *d = v->def;
  if (!d || d->code != SJ_OP_CONSTANT || v->type.dt != dt || !v->type.is_tensor) return false;
  for (int k = 0; k < v->type.rank; k++)
    if (v->type.dims[k] != 1) return false;
  const sj_attr *a = sj_op_attr(d, "value");
  if (a->kind == SJ_ATTR_FLOAT) *out = a->u.f;
  else if (a->kind == SJ_ATTR_INT) *out = (double)a->u.i;
  else return false;
  return true;
}

/* One side of the add: scale * v, looking through `neg` and a `mul` by a
 * scalar constant that keeps the type; `sole` says every op looked through
 * has no other user (needed to drop a product into the gemm). */
typedef struct term {
  sj_value *v;
  double scale;
  bool sole;
} term;

static term decode(sj_value *v) {
  term t = {v, 1.0, true};
  for (int depth = 0; depth < 4; depth++) { /* neg(2 * neg(p)) is still a term */
    sj_op *d = t.v->def;
    if (!d || !sj_type_eq(&sj_res(d, 0)->type, &v->type)) break;
    double c;
    if (d->code == SJ_OP_NEG) {
      t.scale = -t.scale;
    } else if (d->code == SJ_OP_MUL && scalar_const(sj_opnd(d, 0), v->type.dt, &c) &&
               sj_type_eq(&sj_opnd(d, 1)->type, &v->type)) {
      t.scale *= c;
      t.sole &= sj_value_num_uses(t.v) == 1;
      t.v = sj_opnd(d, 1);
      continue;
    } else if (d->code == SJ_OP_MUL && scalar_const(sj_opnd(d, 1), v->type.dt, &c) &&
               sj_type_eq(&sj_opnd(d, 0)->type, &v->type)) {
      t.scale *= c;
      t.sole &= sj_value_num_uses(t.v) == 1;
      t.v = sj_opnd(d, 0);
      continue;
    } else {
      break;
    }
    t.sole &= sj_value_num_uses(t.v) == 1;
    t.v = sj_opnd(d, 0);
  }
  return t;
}

/* A matmul BLAS can run that nothing else reads. */
static bool product(const term *t) {
  const sj_op *d = t->v->def;
  sj_dtype dt = t->v->type.dt;
  return d && d->code == SJ_OP_MATMUL && (dt == SJ_F32 || dt == SJ_F64) && t->sole && sj_value_num_uses(t->v) == 1;
}

/* beta * z + alpha * p, p a product term and z anything of the same type. */
static bool build(sj_rewriter *rw, sj_op *op, const term *p, const term *z, double alpha, double beta) {
  const sj_type *t = &sj_res(op, 0)->type;
  if (!product(p) || !sj_type_eq(&z->v->type, t) || alpha == 0 || beta == 0 || isnan(alpha) || isnan(beta))
    return false;
  const sj_op *mm = p->v->def;
  sj_value *opnds[3] = {z->v, sj_opnd(mm, 0), sj_opnd(mm, 1)};
  sj_op *g = sj_rw_create(rw, op, SJ_OP_ADDMM, 3, opnds, *t);
  sj_op_set_float(sj_rw_ctx(rw), g, "alpha", alpha);
  sj_op_set_float(sj_rw_ctx(rw), g, "beta", beta);
  sj_rw_replace_op(rw, op, g->results);
  return true;
}

/* A constant whose every element is zero (a splat of 0 or -0). */
static bool zero_const(const sj_value *v) {
  const sj_op *d = v->def;
  if (!d || d->code != SJ_OP_CONSTANT || !v->type.is_tensor) return false;
  const sj_attr *a = sj_op_attr(d, "value");
  return a && ((a->kind == SJ_ATTR_FLOAT && a->u.f == 0) || (a->kind == SJ_ATTR_INT && a->u.i == 0));
}

/* alpha * p + zero: the product itself when alpha is 1 (neg(neg(p)) is p),
 * else an addmm that reads no accumulator (beta 0; zero holds no NaN). */
static bool product_alone(sj_rewriter *rw, sj_op *op, const term *p, double alpha, sj_value *zero) {
  if (!product(p) || !zero_const(zero) || alpha == 0 || isnan(alpha)) return false;
  if (alpha == 1) {
    sj_rw_replace_op(rw, op, &p->v);
    return true;
  }
  const sj_op *mm = p->v->def;
  sj_value *opnds[3] = {zero, sj_opnd(mm, 0), sj_opnd(mm, 1)};
  sj_op *g = sj_rw_create(rw, op, SJ_OP_ADDMM, 3, opnds, sj_res(op, 0)->type);
  sj_op_set_float(sj_rw_ctx(rw), g, "alpha", alpha);
  sj_op_set_float(sj_rw_ctx(rw), g, "beta", 0.0);
  sj_rw_replace_op(rw, op, g->results);
  return true;
}

static bool zero_acc(sj_rewriter *rw, sj_op *op) {
  if ((op->code != SJ_OP_ADD && op->code != SJ_OP_SUB) || !sj_res(op, 0)->type.is_tensor) return false;
  const sj_type *t = &sj_res(op, 0)->type;
  if (!sj_type_eq(&sj_opnd(op, 0)->type, t) || !sj_type_eq(&sj_opnd(op, 1)->type, t)) return false; /* broadcasting */
  term x = decode(sj_opnd(op, 0)), y = decode(sj_opnd(op, 1));
  double sy = op->code == SJ_OP_SUB ? -y.scale : y.scale;
  return product_alone(rw, op, &x, x.scale, sj_opnd(op, 1)) || product_alone(rw, op, &y, sy, sj_opnd(op, 0));
}

static bool addmm(sj_rewriter *rw, sj_op *op) {
  if ((op->code != SJ_OP_ADD && op->code != SJ_OP_SUB) || !sj_res(op, 0)->type.is_tensor) return false;
  const sj_type *t = &sj_res(op, 0)->type;
  if (!sj_type_eq(&sj_opnd(op, 0)->type, t) || !sj_type_eq(&sj_opnd(op, 1)->type, t)) return false; /* broadcasting */
  term x = decode(sj_opnd(op, 0)), y = decode(sj_opnd(op, 1));
  double sy = op->code == SJ_OP_SUB ? -y.scale : y.scale;
  /* the left product first: dot(A,B) + dot(C,D) accumulates A@B onto C@D */
  return build(rw, op, &x, &y, x.scale, sy) || build(rw, op, &y, &x, sy, x.scale);
}

/* Indexed by statistic: pattern k's applications are counter k. */
static const sj_pattern patterns[] = {[SJ_STAT_gc_zero] = {"zero-acc", zero_acc}, [SJ_STAT_gc_addmm] = {"addmm", addmm}};
#define NPATS (sizeof patterns / sizeof *patterns)
_Static_assert(NPATS == SJ_STAT_gc_dead, "one statistic per pattern, then dead-ops-erased");

sj_status sj_pass_gemm_combine(sj_module *m, sj_pass_run *run) {
  return sj_apply_patterns_counted(m, patterns, NPATS, run, SJ_STAT_gc_dead);
}
