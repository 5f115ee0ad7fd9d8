/* constant-fold: evaluates elementwise ops (casts included) and reductions
 * whose operands are all constants, using each op's scalar `eval` rule from
 * the registry, with numpy broadcasting. Works on tensors in funcs and on
 * scalars in kernel and fused bodies.
 *
 * Results are rounded to the result dtype as the compiled code would: f32
 * through `(double)(float)x`, integers wrapped to their width, bools 0/1.
 * The result is a splat when every element is the same (bitwise), else a
 * dense literal of at most MAX_FOLD_ELEMS elements. Left alone (the compiled
 * code decides):
 *   - f16/bf16: no exact host arithmetic for their rounding;
 *   - integer division by zero (`eval` says no);
 *   - integers of 2^53 or more in magnitude (operand or intermediate result):
 *     doubles no longer hold them exactly, so wrapping would be wrong;
 *   - float-to-int casts of NaN or out-of-range values (poison in LLVM);
 *   - max/min over zero elements (no identity);
 *   - dynamic shapes (a constant needs a static shape);
 *   - an elementwise result that is infinite where every operand is finite
 *     (exp(800), a product or a cast that overflows, 1/0): folded, the inf
 *     would be final, while its user may still be rewritten into a stable
 *     form by `stabilize` (log(1 + exp(800)) is softplus(800) = 800;
 *     docs/decisions/0007-stabilize.md). The compiled op gives the same inf.
 * Float reductions are evaluated in double and rounded once: at least as
 * accurate as the compiled (reassociated) f32 loop. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"
#include "registry.h"
#include "rewrite.h"

/* Larger folded tensors would bloat the IR text and compile memory. */
#define MAX_FOLD_ELEMS 4096
/* Integers below 2^53 in magnitude are exact in a double. The bound is
 * strict: a computed 2^53 may be a rounded 2^53 + 1. */
#define EXACT_INT_LIMIT 9007199254740992.0

typedef struct cval {
  const sj_type *t;
  const sj_attr *a;
} cval;

static bool foldable_dtype(sj_dtype dt) { return dt != SJ_F16 && dt != SJ_BF16; }

static bool exact_int(double x) { return fabs(x) < EXACT_INT_LIMIT; }

/* Element i of a constant (a splat ignores i). */
static double elem(const cval *c, int64_t i) {
  if (c->a->kind == SJ_ATTR_DENSE) return c->a->u.dense.v[i];
  return c->a->kind == SJ_ATTR_FLOAT ? c->a->u.f : (double)c->a->u.i;
}

/* A constant operand we can evaluate exactly. */
static bool const_of(const sj_value *v, cval *out) {
  const sj_op *d = v->def;
  if (!d || d->code != SJ_OP_CONSTANT || !foldable_dtype(v->type.dt)) return false;
  out->t = &v->type;
  out->a = sj_op_attr(d, "value");
  if (out->a->kind == SJ_ATTR_INT) /* compared as an integer: the double would round */
    return out->a->u.i > -(INT64_C(1) << 53) && out->a->u.i < (INT64_C(1) << 53);
  if (sj_dtype_is_float(v->type.dt)) return true;
  int n = out->a->kind == SJ_ATTR_DENSE ? out->a->u.dense.n : 1;
  for (int i = 0; i < n; i++)
    if (!exact_int(elem(out, i))) return false;
  return true;
}

/* Rounds x to what dtype `to` holds, as the compiled code would; false when
 * the compiled result is undefined or we cannot reproduce it exactly. */
static bool round_to(double x, sj_dtype to, double *out) {
  if (to == SJ_BOOL) {
    *out = x != 0; /* NaN is true, as `fcmp une x, 0` */
    return true;
  }
  if (sj_dtype_is_float(to)) {
    *out = to == SJ_F32 ? (double)(float)x : x;
    return true;
  }
  x = trunc(x); /* float-to-int truncates; int results are already integral */
  if (!exact_int(x)) return false; /* also rejects NaN and inf */
  int64_t i = (int64_t)x;
  if (to == SJ_I8) i = (int8_t)(uint8_t)(uint64_t)i;
  else if (to == SJ_I32) i = (int32_t)(uint32_t)(uint64_t)i;
  *out = (double)i;
  return true;
}

/* Float-to-int casts of NaN or values out of the target's range are poison
 * in LLVM (fptosi): such casts are not folded. */
static bool cast_in_range(double x, sj_dtype from, sj_dtype to) {
  if (!sj_dtype_is_float(from) || !sj_dtype_is_int(to)) return true;
  double lo = to == SJ_I8 ? -129.0 : to == SJ_I32 ? -2147483649.0 : -EXACT_INT_LIMIT;
  double hi = to == SJ_I8 ? 128.0 : to == SJ_I32 ? 2147483648.0 : EXACT_INT_LIMIT;
  return x > lo && x < hi; /* false for NaN */
}

/* Index into a (possibly broadcast) operand of output element `lin`. */
static int64_t bcast_index(const sj_type *out, const sj_type *in, int64_t lin) {
  return sj_broadcast_index(out->dims, out->rank, in->dims, in->rank, lin);
}

static bool same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Replaces op by a constant of its result type holding vals: a splat when
 * all n values are equal, else dense. */
static void emit_constant(sj_rewriter *rw, sj_op *op, const double *vals, int64_t n) {
  sj_ctx *c = sj_rw_ctx(rw);
  sj_type t = sj_res(op, 0)->type;
  bool splat = true;
  for (int64_t i = 1; i < n && splat; i++) splat = same_bits(vals[i], vals[0]);
  sj_op *k = sj_rw_create(rw, op, SJ_OP_CONSTANT, 0, NULL, t);
  bool isint = !sj_dtype_is_float(t.dt);
  if (splat && isint) sj_op_set_int(c, k, "value", (int64_t)vals[0]);
  else if (splat) sj_op_set_float(c, k, "value", vals[0]);
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

/* Evaluates element l of an elementwise op; false if it must not fold. */
static bool eval_elem(const sj_op *op, const cval *in, bool all_splat, int64_t l, double *out) {
  const sj_opinfo *oi = sj_opinfo_get(op->code);
  const sj_type *rt = &sj_res(op, 0)->type;
  sj_dtype dt = sj_op_compute_dtype(op); /* eval's operand dtype */
  double a[3], r;
  for (unsigned i = 0; i < op->nopnds; i++) {
    bool dense = !all_splat && in[i].a->kind == SJ_ATTR_DENSE;
    a[i] = elem(&in[i], dense ? bcast_index(rt, in[i].t, l) : 0);
  }
  if (op->code == SJ_OP_CAST && !cast_in_range(a[0], dt, rt->dt)) return false;
  if (!oi->eval(dt, a, &r) || !round_to(r, rt->dt, out)) return false;
  if (!isinf(*out)) return true;
  for (unsigned i = 0; i < op->nopnds; i++)
    if (isinf(a[i]) || isnan(a[i])) return true;
  return false; /* overflow: left to run time (above) */
}

static bool fold_elementwise(sj_rewriter *rw, sj_op *op) {
  const sj_opinfo *oi = sj_opinfo_get(op->code);
  if (!(oi->flags & SJ_F_ELEMWISE) || !oi->eval || op->nresults != 1 || op->nopnds > 3) return false;
  cval in[3];
  bool all_splat = true;
  for (unsigned i = 0; i < op->nopnds; i++) {
    if (!const_of(sj_opnd(op, i), &in[i])) return false;
    all_splat &= in[i].a->kind != SJ_ATTR_DENSE;
  }
  const sj_type *rt = &sj_res(op, 0)->type;
  int64_t numel = sj_type_numel(rt);
  if (!foldable_dtype(rt->dt) || numel <= 0) return false; /* nothing to gain from empty tensors */
  int64_t n = all_splat ? 1 : numel;
  if (n > MAX_FOLD_ELEMS) return false;
  double *vals = sj_scratch_realloc(NULL, (size_t)n, sizeof *vals);
  if (!vals) return false;
  bool ok = true;
  for (int64_t l = 0; l < n && ok; l++) ok = eval_elem(op, in, all_splat, l, &vals[l]);
  if (ok) emit_constant(rw, op, vals, n);
  sj_scratch_free(vals);
  return ok;
}

/* The identity as a double: exact for the integers folding accepts (a
 * max/min bound is replaced by the first element; empty ones do not fold). */
static double identity_value(const sj_attr *a) { return a->kind == SJ_ATTR_FLOAT ? a->u.f : (double)a->u.i; }

/* Accumulates x into acc[n] (output element of each input element by
 * dropping reduced axes) with the combine's own `eval` rule (max/min
 * propagate NaN); false if an integer left the exact range. */
static bool reduce_into(const sj_reduce_info *ri, const cval *x, double *acc, int64_t n) {
  const sj_type *t = x->t;
  int64_t total = sj_type_numel(t);
  unsigned mask = ri->mask;
  bool isint = !sj_dtype_is_float(t->dt);
  sj_eval_fn combine = sj_opinfo_get(ri->combine)->eval;
  for (int64_t i = 0; i < n; i++) acc[i] = identity_value(&ri->identity);
  for (int64_t l = 0; l < total; l++) {
    int64_t rem = l, o = 0, stride = 1;
    for (int k = t->rank - 1; k >= 0; k--) {
      int64_t ik = rem % t->dims[k];
      rem /= t->dims[k];
      if (!(mask & (1u << k))) o += ik * stride, stride *= t->dims[k];
    }
    double in[2] = {acc[o], elem(x, x->a->kind == SJ_ATTR_DENSE ? l : 0)};
    combine(t->dt, in, &acc[o]);
    if (isint && !exact_int(acc[o])) return false;
  }
  return true;
}

static bool fold_reduce(sj_rewriter *rw, sj_op *op) {
  cval x;
  sj_reduce_info ri;
  if (!sj_reduce_info_get(op, &ri) || !const_of(sj_opnd(op, 0), &x)) return false;
  const sj_type *rt = &sj_res(op, 0)->type;
  int64_t total = sj_type_numel(x.t), n = sj_type_numel(rt);
  if (total < 0 || n <= 0 || total > MAX_FOLD_ELEMS || !foldable_dtype(rt->dt)) return false;
  /* over zero elements: sum/prod/mean have an identity (mean is 0/0 = NaN) */
  if (total == 0 && (ri.combine == SJ_OP_MAXIMUM || ri.combine == SJ_OP_MINIMUM)) return false;
  double *acc = sj_scratch_realloc(NULL, (size_t)n, sizeof *acc);
  if (!acc) return false;
  bool ok = reduce_into(&ri, &x, acc, n);
  for (int64_t i = 0; i < n && ok; i++) {
    if (ri.mean) acc[i] /= (double)(total / n);
    ok = round_to(acc[i], rt->dt, &acc[i]);
  }
  if (ok) emit_constant(rw, op, acc, n);
  sj_scratch_free(acc);
  return ok;
}

/* Indexed by statistic: each pattern's applications are its counter. */
static const sj_pattern patterns[] = {[SJ_STAT_cfold_elementwise] = {"fold-elementwise", fold_elementwise},
                                      [SJ_STAT_cfold_reduction] = {"fold-reduction", fold_reduce}};
#define NPATS (sizeof patterns / sizeof patterns[0])
_Static_assert(NPATS == SJ_STAT_cfold_dead, "one statistic per pattern, then dead-ops-erased");

sj_status sj_pass_constant_fold(sj_module *m, sj_pass_run *run) {
  return sj_apply_patterns_counted(m, patterns, NPATS, run, SJ_STAT_cfold_dead);
}
