/* Reference evaluator: the exact oracle behind `symjit-run --check`.
 *
 * Values are dense row-major arrays of `num`: integer and bool dtypes hold
 * exact int64 values wrapped to the dtype's width (bool 0/1), float dtypes
 * hold doubles rounded to the dtype's precision after every op (f32, f16,
 * bf16 round to nearest even), so the only differences left against the
 * compiled code are those docs/numerics.md allows: transcendental functions
 * (libm in double vs libmvec), and the order of float sums and products
 * (accumulated here in double, rounded once). The scalar semantics are this
 * file's own tables, not the constant folder's `eval` rows, so a folding bug
 * cannot hide behind the oracle. It never reads or writes outside a value. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/checked.h"
#include "conv.h"
#include "opinfo.h"
#include "ref_eval.h"
#include "pool.h"
#include "slice.h"
#include "runtime.h"
#include "rt_random.h"

/* Largest value the evaluator materializes: it is an oracle for tests, and
 * a program whose intermediate exceeds this gets a clear error instead of
 * an allocation that would exhaust memory (16 bytes per element). */
#define REF_MAX_ELEMS ((int64_t)1 << 28)

typedef union num {
  double f;  /* float dtypes */
  int64_t i; /* int dtypes (wrapped to width) and bool (0/1) */
} num;

typedef struct rv {
  int rank;
  int64_t dims[SJ_MAX_RANK];
  num *v;
  sj_dtype dt;
} rv;

typedef struct ev {
  sj_ctx *c;
  rv *vals; /* by slot: block args first, then op results (op->scratch) */
  int n;
  const sj_block *blk;   /* the block evaluated: a func's body or a scan's */
  const struct ev *up;   /* the evaluation running the scan whose body this is */
} ev;

/* ---- dtype rounding ---- */

/* Rounds x to p significant bits with minimum normal exponent emin (below
 * it: subnormal spacing) and largest finite value maxv, to nearest even. */
static double round_bits(double x, int p, int emin, double maxv) {
  if (!isfinite(x) || x == 0) return x;
  int e;
  (void)frexp(x, &e); /* |x| in [2^(e-1), 2^e) */
  int ue = e - 1 < emin ? emin : e - 1;
  double q = ldexp(1.0, ue - (p - 1)); /* spacing of representable values */
  double r = nearbyint(x / q) * q;     /* x / q is exact: q is a power of 2 */
  return fabs(r) > maxv ? copysign(INFINITY, x) : r;
}

static double round_float(double x, sj_dtype dt) {
  switch (dt) {
  case SJ_F32: return (double)(float)x;
  case SJ_F16: return round_bits(x, 11, -14, 65504.0);
  case SJ_BF16: return round_bits(x, 8, -126, 0x1.fep127);
  default: return x;
  }
}

/* Two's-complement wrap to the dtype's width (bool: nonzero is 1). */
static int64_t wrap_int(uint64_t x, sj_dtype dt) {
  switch (dt) {
  case SJ_BOOL: return x != 0;
  case SJ_I8: return (int8_t)(uint8_t)x;
  case SJ_I32: return (int32_t)(uint32_t)x;
  default: return (int64_t)x;
  }
}

static bool is_float(sj_dtype dt) { return sj_dtype_is_float(dt); }


/* Float to int: truncation toward zero, saturating at the dtype's range,
 * NaN gives 0 (LLVM's fptosi.sat; docs/numerics.md). */
static int64_t float_to_int(double x, sj_dtype to) {
  if (to == SJ_BOOL) return x != 0; /* NaN is true, as numpy's bool(nan) */
  if (isnan(x)) return 0;
  x = trunc(x);
  if (x <= (double)sj_dtype_int_min(to)) return sj_dtype_int_min(to);
  if (x >= 0x1p63 || x >= (double)sj_dtype_int_max(to)) return sj_dtype_int_max(to);
  return (int64_t)x;
}

static num cast_num(num x, sj_dtype from, sj_dtype to) {
  num r;
  if (is_float(from) && is_float(to)) r.f = round_float(x.f, to);
  else if (is_float(from)) r.i = float_to_int(x.f, to);
  else if (is_float(to)) r.f = to == SJ_F32 ? (double)(float)x.i : round_float((double)x.i, to);
  else r.i = wrap_int((uint64_t)x.i, to);
  return r;
}

/* ---- scalar semantics, one rule per opcode (tables, as scalar_ops.c) ---- */

typedef double (*frule)(const double *a);
typedef int64_t (*irule)(const int64_t *a, sj_dtype dt); /* before wrapping */

static double f_neg(const double *a) { return -a[0]; }
static double f_abs(const double *a) { return fabs(a[0]); }
static double f_sign(const double *a) { return a[0] > 0 ? 1 : a[0] < 0 ? -1 : a[0]; } /* 0, -0, NaN: itself */
static double f_exp(const double *a) { return exp(a[0]); }
static double f_log(const double *a) { return log(a[0]); }
static double f_log1p(const double *a) { return log1p(a[0]); }
static double f_expm1(const double *a) { return expm1(a[0]); }
static double f_sqrt(const double *a) { return sqrt(a[0]); }
static double f_rsqrt(const double *a) { return 1.0 / sqrt(a[0]); }
static double f_tanh(const double *a) { return tanh(a[0]); }
/* exp(x) / (1 + exp(x)) below 0: exact down to the subnormals */
static double f_sigmoid(const double *a) { return a[0] >= 0 ? 1.0 / (1.0 + exp(-a[0])) : exp(a[0]) / (1.0 + exp(a[0])); }
static double f_softplus(const double *a) { return fmax(a[0], 0) + log1p(exp(-fabs(a[0]))); }
static double f_add(const double *a) { return a[0] + a[1]; }
static double f_sub(const double *a) { return a[0] - a[1]; }
static double f_mul(const double *a) { return a[0] * a[1]; }
static double f_div(const double *a) { return a[0] / a[1]; }
static double f_pow(const double *a) { return pow(a[0], a[1]); }
/* log(e^a + e^b): the larger operand plus log1p of the other's share; an
 * infinite larger operand is the result; NaN propagates */
static double f_logaddexp(const double *a) {
  if (isnan(a[0]) || isnan(a[1])) return NAN;
  double m = fmax(a[0], a[1]);
  return isinf(m) ? m : m + log1p(exp(-fabs(a[0] - a[1])));
}
/* NaN propagates; -0 < +0 (llvm.maximum / numpy.maximum) */
static double f_maximum(const double *a) {
  if (isnan(a[0]) || isnan(a[1])) return NAN;
  if (a[0] == a[1]) return signbit(a[0]) ? a[1] : a[0];
  return a[0] > a[1] ? a[0] : a[1];
}
static double f_minimum(const double *a) {
  if (isnan(a[0]) || isnan(a[1])) return NAN;
  if (a[0] == a[1]) return signbit(a[0]) ? a[0] : a[1];
  return a[0] < a[1] ? a[0] : a[1];
}
/* ordered comparisons are false on NaN, `ne` is true (C and numpy agree) */
static double f_eq(const double *a) { return a[0] == a[1]; }
static double f_ne(const double *a) { return a[0] != a[1]; }
static double f_lt(const double *a) { return a[0] < a[1]; }
static double f_le(const double *a) { return a[0] <= a[1]; }
static double f_gt(const double *a) { return a[0] > a[1]; }
static double f_ge(const double *a) { return a[0] >= a[1]; }

static const frule frules[SJ_OP_COUNT] = {
    [SJ_OP_NEG] = f_neg,         [SJ_OP_ABS] = f_abs,         [SJ_OP_SIGN] = f_sign,
    [SJ_OP_EXP] = f_exp,         [SJ_OP_LOG] = f_log,         [SJ_OP_LOG1P] = f_log1p,
    [SJ_OP_EXPM1] = f_expm1,     [SJ_OP_SQRT] = f_sqrt,       [SJ_OP_RSQRT] = f_rsqrt,
    [SJ_OP_TANH] = f_tanh,       [SJ_OP_SIGMOID] = f_sigmoid, [SJ_OP_SOFTPLUS] = f_softplus,
    [SJ_OP_ADD] = f_add,         [SJ_OP_SUB] = f_sub,         [SJ_OP_MUL] = f_mul,
    [SJ_OP_DIV] = f_div,         [SJ_OP_POW] = f_pow,         [SJ_OP_MAXIMUM] = f_maximum,
    [SJ_OP_MINIMUM] = f_minimum, [SJ_OP_EQ] = f_eq,           [SJ_OP_NE] = f_ne,
    [SJ_OP_LT] = f_lt,           [SJ_OP_LE] = f_le,           [SJ_OP_GT] = f_gt,
    [SJ_OP_GE] = f_ge,
    [SJ_OP_LOGADDEXP] = f_logaddexp,
};

/* Integers compute in uint64 (wrapping, no UB) and are wrapped to the
 * dtype's width afterwards; wrapping commutes with + - * so this equals
 * arithmetic at the narrow width. */
static int64_t i_neg(const int64_t *a, sj_dtype dt) { return (void)dt, (int64_t)(0 - (uint64_t)a[0]); }
static int64_t i_abs(const int64_t *a, sj_dtype dt) { return (void)dt, a[0] < 0 ? (int64_t)(0 - (uint64_t)a[0]) : a[0]; }
static int64_t i_sign(const int64_t *a, sj_dtype dt) { return (void)dt, (a[0] > 0) - (a[0] < 0); }
static int64_t i_add(const int64_t *a, sj_dtype dt) { return (void)dt, (int64_t)((uint64_t)a[0] + (uint64_t)a[1]); }
static int64_t i_sub(const int64_t *a, sj_dtype dt) { return (void)dt, (int64_t)((uint64_t)a[0] - (uint64_t)a[1]); }
static int64_t i_mul(const int64_t *a, sj_dtype dt) { return (void)dt, (int64_t)((uint64_t)a[0] * (uint64_t)a[1]); }
/* truncating; x/0 = 0 and INT_MIN/-1 wraps to INT_MIN (scalar_ops.c r_div) */
static int64_t i_div(const int64_t *a, sj_dtype dt) {
  (void)dt;
  if (a[1] == 0) return 0;
  if (a[1] == -1) return (int64_t)(0 - (uint64_t)a[0]);
  return a[0] / a[1];
}
static int64_t i_maximum(const int64_t *a, sj_dtype dt) { return (void)dt, a[0] > a[1] ? a[0] : a[1]; }
static int64_t i_minimum(const int64_t *a, sj_dtype dt) { return (void)dt, a[0] < a[1] ? a[0] : a[1]; }
static int64_t i_eq(const int64_t *a, sj_dtype dt) { return (void)dt, a[0] == a[1]; }
static int64_t i_ne(const int64_t *a, sj_dtype dt) { return (void)dt, a[0] != a[1]; }
static int64_t i_lt(const int64_t *a, sj_dtype dt) { return (void)dt, a[0] < a[1]; }
static int64_t i_le(const int64_t *a, sj_dtype dt) { return (void)dt, a[0] <= a[1]; }
static int64_t i_gt(const int64_t *a, sj_dtype dt) { return (void)dt, a[0] > a[1]; }
static int64_t i_ge(const int64_t *a, sj_dtype dt) { return (void)dt, a[0] >= a[1]; }

static const irule irules[SJ_OP_COUNT] = {
    [SJ_OP_NEG] = i_neg, [SJ_OP_ABS] = i_abs, [SJ_OP_SIGN] = i_sign,       [SJ_OP_ADD] = i_add,
    [SJ_OP_SUB] = i_sub, [SJ_OP_MUL] = i_mul, [SJ_OP_DIV] = i_div,         [SJ_OP_MAXIMUM] = i_maximum,
    [SJ_OP_MINIMUM] = i_minimum,              [SJ_OP_EQ] = i_eq,           [SJ_OP_NE] = i_ne,
    [SJ_OP_LT] = i_lt,   [SJ_OP_LE] = i_le,   [SJ_OP_GT] = i_gt,           [SJ_OP_GE] = i_ge,
};

bool sj_ref_has_scalar_rule(sj_opcode code, bool on_floats) {
  if (code == SJ_OP_CAST || code == SJ_OP_SELECT) return true;
  return (unsigned)code < SJ_OP_COUNT && (on_floats ? frules[code] != NULL : irules[code] != NULL);
}

/* One elementwise op on scalars: `in` is the operand dtype (of the second
 * operand for select), `out` the result dtype. False: no rule. */
static bool scalar_op(sj_opcode code, sj_dtype in, sj_dtype out, const num *a, num *r) {
  if (code == SJ_OP_CAST) return *r = cast_num(a[0], in, out), true;
  if (code == SJ_OP_SELECT) return *r = a[0].i ? a[1] : a[2], true;
  if (is_float(in)) {
    if (!frules[code]) return false;
    double x[2] = {a[0].f, a[1].f}, y = frules[code](x);
    if (is_float(out)) r->f = round_float(y, out);
    else r->i = y != 0; /* comparisons */
    return true;
  }
  if (!irules[code]) return false;
  int64_t x[2] = {a[0].i, a[1].i};
  r->i = wrap_int((uint64_t)irules[code](x, in), out);
  return true;
}

/* ---- values ---- */

static sj_status err(ev *e, const sj_op *op, const char *msg) {
  return sj_emit_error(e->c, op->loc, "reference evaluator: '%s' op: %s", sj_op_name(op), msg);
}

static int64_t rv_numel(const rv *x) {
  int64_t n = 1;
  for (int i = 0; i < x->rank; i++) n *= x->dims[i]; /* checked in rv_alloc */
  return n;
}

/* Allocates x's elements (zeroed: 0, 0.0) after checking its size. */
static sj_status rv_alloc(ev *e, const sj_op *op, rv *x) {
  int64_t n;
  if (!sj_numel_i64(x->dims, x->rank, &n) || n > REF_MAX_ELEMS) {
    err(e, op, "result has too many elements for the reference evaluator (limit 2^28)");
    return SJ_ERR_UNSUPPORTED; /* its own limit, not a fault of the program */
  }
  x->v = calloc((size_t)(n > 0 ? n : 1), sizeof *x->v);
  return x->v ? SJ_OK : err(e, op, "out of memory");
}

static rv *slot(ev *e, const sj_value *v) {
  return &e->vals[v->def ? v->def->scratch + v->index : v->index];
}

/* Index of output element `lin` in a broadcast operand. */
static int64_t bcast_index(const rv *out, const rv *in, int64_t lin) {
  return sj_broadcast_index(out->dims, out->rank, in->dims, in->rank, lin);
}

/* Broadcast of n operands' run-time dims into out (rank `rank`), with the
 * IR's rule (docs/ir.md): only a dim that is statically 1 (or missing)
 * broadcasts; `?` and static dims must all be equal at run time (a `?`
 * that is 1 at run time does not stretch). st[i]: operand i's static type. */
static bool broadcast_dims(rv *const *in, const sj_type *const *st, unsigned n, int rank, rv *out) {
  out->rank = rank;
  for (int k = 0; k < rank; k++) {
    int64_t d = -1;
    for (unsigned i = 0; i < n; i++) {
      int j = in[i]->rank - rank + k;
      if (j < 0 || st[i]->dims[j] == 1) continue;
      if (d >= 0 && in[i]->dims[j] != d) return false;
      d = in[i]->dims[j];
    }
    out->dims[k] = d < 0 ? 1 : d;
  }
  return true;
}

static sj_status elementwise(ev *e, const sj_op *op, rv *out) {
  rv *in[3];
  const sj_type *sts[3];
  int rank = 0;
  for (unsigned i = 0; i < op->nopnds; i++) {
    in[i] = slot(e, sj_opnd(op, i));
    sts[i] = &sj_opnd(op, i)->type;
    if (in[i]->rank > rank) rank = in[i]->rank;
  }
  if (!broadcast_dims(in, sts, op->nopnds, rank, out)) return err(e, op, "operand shapes do not broadcast at run time");
  sj_status st = rv_alloc(e, op, out);
  if (st) return st;
  sj_dtype idt = in[op->code == SJ_OP_SELECT ? 1 : 0]->dt;
  int64_t n = rv_numel(out);
  for (int64_t l = 0; l < n; l++) {
    num a[3] = {{0}};
    for (unsigned i = 0; i < op->nopnds; i++) a[i] = in[i]->v[bcast_index(out, in[i], l)];
    if (!scalar_op(op->code, idt, out->dt, a, &out->v[l])) return err(e, op, "no scalar rule");
  }
  return SJ_OK;
}

/* ---- reductions ---- */

/* The accumulator starts from the combine's identity (sj_reduce_info, exact
 * for every dtype) and steps with this file's own rule for the combine.
 * Floats accumulate in double and are rounded once; max/min of an empty set
 * is the identity (-inf / +inf, the dtype's lowest / highest integer) as the
 * compiled code and XLA do, where numpy raises (docs/numerics.md). */
static num reduce_init(const sj_reduce_info *ri, bool f) {
  const sj_attr *id = &ri->identity;
  if (f) return (num){.f = id->kind == SJ_ATTR_FLOAT ? id->u.f : (double)id->u.i};
  return (num){.i = id->kind == SJ_ATTR_FLOAT ? (int64_t)id->u.f : id->u.i};
}

static void reduce_step(sj_opcode combine, bool f, num *acc, num v) {
  if (f) {
    double x[2] = {acc->f, v.f};
    acc->f = frules[combine](x);
  } else {
    int64_t x[2] = {acc->i, v.i};
    acc->i = irules[combine](x, SJ_I64); /* wrapped to the dtype at the end */
  }
}

static sj_status reduce(ev *e, const sj_op *op, rv *out) {
  rv *x = slot(e, sj_opnd(op, 0));
  sj_reduce_info ri;
  if (!sj_reduce_info_get(op, &ri)) return err(e, op, "invalid reduction axes");
  unsigned mask = ri.mask;
  bool keep = ri.keepdims;
  out->rank = 0;
  for (int k = 0; k < x->rank; k++)
    if (!(mask & (1u << k)) || keep) out->dims[out->rank++] = (mask & (1u << k)) ? 1 : x->dims[k];
  sj_status st = rv_alloc(e, op, out);
  if (st) return st;
  int64_t n = rv_numel(out), total = rv_numel(x), count = 1;
  for (int k = 0; k < x->rank; k++)
    if (mask & (1u << k)) count *= x->dims[k];
  bool f = is_float(x->dt);
  for (int64_t i = 0; i < n; i++) out->v[i] = reduce_init(&ri, f);
  for (int64_t l = 0; l < total; l++) {
    int64_t rem = l, o = 0, stride = 1;
    for (int k = x->rank - 1; k >= 0; k--) {
      int64_t ik = rem % x->dims[k];
      rem /= x->dims[k];
      if (mask & (1u << k)) continue;
      o += ik * stride;
      stride *= x->dims[k];
    }
    reduce_step(ri.combine, f, &out->v[o], x->v[l]);
  }
  for (int64_t i = 0; i < n; i++) {
    if (ri.mean) out->v[i].f /= (double)count; /* empty: 0/0 = NaN, as numpy */
    if (f) out->v[i].f = round_float(out->v[i].f, out->dt);
    else out->v[i].i = wrap_int((uint64_t)out->v[i].i, out->dt);
  }
  return SJ_OK;
}

/* ---- shape ops ---- */

static sj_status transpose(ev *e, const sj_op *op, rv *out) {
  rv *x = slot(e, sj_opnd(op, 0));
  const sj_attr *p = sj_op_attr(op, "perm");
  out->rank = x->rank;
  for (int k = 0; k < x->rank; k++) out->dims[k] = x->dims[p->u.ints.v[k]];
  sj_status st = rv_alloc(e, op, out);
  if (st) return st;
  int64_t n = rv_numel(out), xs[SJ_MAX_RANK], s = 1;
  for (int k = x->rank - 1; k >= 0; k--) xs[k] = s, s *= x->dims[k];
  for (int64_t l = 0; l < n; l++) {
    int64_t rem = l, src = 0;
    for (int k = out->rank - 1; k >= 0; k--) {
      src += (rem % out->dims[k]) * xs[p->u.ints.v[k]];
      rem /= out->dims[k];
    }
    out->v[l] = x->v[src];
  }
  return SJ_OK;
}

/* Float matmul, accumulated in double and rounded once per element. */
/* alpha * (x @ y) + beta * z (z NULL: a plain matmul), x and y the operands
 * ix and ix + 1, each element rounded once to the result dtype. */
static sj_status matmul_acc(ev *e, const sj_op *op, unsigned ix, double alpha, double beta, const rv *z, rv *out) {
  rv *a = slot(e, sj_opnd(op, ix)), *b = slot(e, sj_opnd(op, ix + 1));
  int64_t m = a->dims[a->rank - 2], k = a->dims[a->rank - 1], n = b->dims[b->rank - 1];
  if (b->dims[b->rank - 2] != k) return err(e, op, "contracting dims differ at run time");
  rv ba = *a, bb = *b, bo = {0};
  ba.rank -= 2, bb.rank -= 2;
  rv *ops[2] = {&ba, &bb};
  const sj_type *sts[2] = {&sj_opnd(op, ix)->type, &sj_opnd(op, ix + 1)->type};
  if (!broadcast_dims(ops, sts, 2, ba.rank > bb.rank ? ba.rank : bb.rank, &bo))
    return err(e, op, "batch dims do not broadcast at run time");
  sj_dtype dt = out->dt;
  *out = (rv){.rank = bo.rank + 2, .dt = dt};
  memcpy(out->dims, bo.dims, sizeof bo.dims);
  out->dims[bo.rank] = m, out->dims[bo.rank + 1] = n;
  if (z && (z->rank != out->rank || memcmp(z->dims, out->dims, (size_t)z->rank * sizeof *z->dims)))
    return err(e, op, "the accumulator's shape differs from the product's at run time");
  sj_status st = rv_alloc(e, op, out);
  if (st) return st;
  int64_t nb = rv_numel(&bo);
  for (int64_t t = 0; t < nb; t++) {
    int64_t ia = bcast_index(&bo, &ba, t), ib = bcast_index(&bo, &bb, t);
    const num *A = a->v + ia * m * k, *B = b->v + ib * k * n;
    num *C = out->v + t * m * n;
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) {
        double s = 0;
        for (int64_t q = 0; q < k; q++) s += A[i * k + q].f * B[q * n + j].f;
        if (z) s = alpha * s + beta * z->v[t * m * n + i * n + j].f;
        C[i * n + j].f = round_float(s, dt);
      }
  }
  return SJ_OK;
}

static sj_status matmul(ev *e, const sj_op *op, rv *out) { return matmul_acc(e, op, 0, 1, 0, NULL, out); }

static double num_attr(const sj_op *op, const char *name) {
  const sj_attr *a = sj_op_attr(op, name);
  return !a ? 1.0 : a->kind == SJ_ATTR_FLOAT ? a->u.f : (double)a->u.i;
}

/* ---- take, take_along_axis and their scatter_add adjoints ---- */

/* numpy's wrap of a negative index, then a clamp into [0, n) (n > 0). */
static int64_t norm_index(int64_t i, int64_t n) {
  if (i < 0) i += n;
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/* Offset in x (the indexed tensor) of element `lin` of the index space
 * `sp` (the take's result; the scatter's updates). */
static int64_t take_offset(bool along, int k, const rv *x, const rv *idx, const rv *sp, int64_t lin) {
  int64_t c[SJ_MAX_RANK], rem = lin, ipos = 0, off = 0;
  for (int d = sp->rank - 1; d >= 0; d--) c[d] = rem % sp->dims[d], rem /= sp->dims[d];
  if (along) {
    ipos = sj_broadcast_index(sp->dims, sp->rank, idx->dims, idx->rank, lin);
  } else {
    for (int d = 0; d < idx->rank; d++) ipos = ipos * idx->dims[d] + c[k + d];
  }
  int64_t i = norm_index(idx->v[ipos].i, x->dims[k]);
  for (int d = 0; d < x->rank; d++) {
    int64_t cd = d == k ? i : along ? (x->dims[d] == 1 ? 0 : c[d]) : c[d < k ? d : d + idx->rank - 1];
    off = off * x->dims[d] + cd;
  }
  return off;
}

/* Runtime shape of take(x, idx): see infer_take / infer_take_along (off
 * the axis, x and idx broadcast by broadcast_dims' rule). */
static bool take_shape(bool along, int k, const rv *x, const sj_type *xt, const rv *idx, const sj_type *it, rv *out) {
  out->rank = 0;
  if (along) {
    out->rank = x->rank;
    for (int d = 0; d < x->rank; d++) {
      bool xb = xt->dims[d] == 1, ib = it->dims[d] == 1;
      if (d != k && !xb && !ib && idx->dims[d] != x->dims[d]) return false;
      out->dims[d] = d == k || xb ? idx->dims[d] : x->dims[d];
    }
    return true;
  }
  for (int d = 0; d < k; d++) out->dims[out->rank++] = x->dims[d];
  for (int d = 0; d < idx->rank; d++) out->dims[out->rank++] = idx->dims[d];
  for (int d = k + 1; d < x->rank; d++) out->dims[out->rank++] = x->dims[d];
  return true;
}

static sj_status take(ev *e, const sj_op *op, rv *out) {
  bool scatter = op->code == SJ_OP_SCATTER_ADD || op->code == SJ_OP_SCATTER_ADD_ALONG_AXIS;
  bool along = op->code == SJ_OP_TAKE_ALONG_AXIS || op->code == SJ_OP_SCATTER_ADD_ALONG_AXIS;
  rv *x = slot(e, sj_opnd(op, scatter ? 2 : 0)), *idx = slot(e, sj_opnd(op, 1)), sp = {0};
  int k = (int)sj_op_int(op, "axis", 0);
  if (k < 0) k += x->rank;
  const sj_type *xt = &sj_opnd(op, scatter ? 2 : 0)->type, *it = &sj_opnd(op, 1)->type;
  if (!take_shape(along, k, x, xt, idx, it, &sp)) return err(e, op, "index shape does not broadcast at run time");
  int64_t nsp = 1;
  if (!sj_numel_i64(sp.dims, sp.rank, &nsp)) return err(e, op, "index space too large");
  if (x->dims[k] == 0 && nsp > 0) return err(e, op, "the indexed axis is empty at run time");
  sj_status st;
  if (scatter) {
    rv *g = slot(e, sj_opnd(op, 0));
    if (g->rank != sp.rank || memcmp(g->dims, sp.dims, (size_t)sp.rank * sizeof *sp.dims))
      return err(e, op, "update shape does not match at run time");
    out->rank = x->rank;
    memcpy(out->dims, x->dims, sizeof out->dims);
    if ((st = rv_alloc(e, op, out))) return st;
    bool f = is_float(out->dt);
    for (int64_t l = 0, n = rv_numel(g); l < n; l++) reduce_step(SJ_OP_ADD, f, &out->v[take_offset(along, k, x, idx, g, l)], g->v[l]);
    for (int64_t l = 0, n = rv_numel(out); l < n; l++) {
      if (f) out->v[l].f = round_float(out->v[l].f, out->dt);
      else out->v[l].i = wrap_int((uint64_t)out->v[l].i, out->dt);
    }
    return SJ_OK;
  }
  out->rank = sp.rank;
  memcpy(out->dims, sp.dims, sizeof out->dims);
  if ((st = rv_alloc(e, op, out))) return st;
  for (int64_t l = 0, n = rv_numel(out); l < n; l++) out->v[l] = x->v[take_offset(along, k, x, idx, out, l)];
  return SJ_OK;
}

/* ---- the softmax family ---- */

/* sum(exp(x - m)) and m = max(x) over one row (n elements, stride st), in
 * double: the stable form the compiled code uses (a NaN makes m NaN, as
 * the compiled max does; an all -inf row gives (-inf) - (-inf) = NaN). */
static double row_expsum(const num *x, int64_t n, int64_t st, double *m) {
  double mx = -INFINITY, s = 0;
  for (int64_t j = 0; j < n; j++) {
    double v = x[j * st].f;
    if (v != v || mx != mx) mx = NAN;
    else if (v > mx) mx = v;
  }
  for (int64_t j = 0; j < n; j++) s += exp(x[j * st].f - mx);
  *m = mx;
  return s;
}

/* ---- the conv2d family (docs/decisions/0021-conv-pool.md), direct loops ---- */

typedef struct cgeo {
  int64_t N, C, H, W, O, KH, KW, OH, OW, G, Cg, Og;
  sj_conv_attrs a;
} cgeo;

/* The run-time geometry of conv2d(x, w) (dims xd, wd): the static checks
 * of the verifier again on the `?` dims' actual sizes. */
static sj_status conv_geo(ev *e, const sj_op *op, const int64_t *xd, const int64_t *wd, cgeo *q) {
  char why[160];
  sj_conv_attrs a;
  if (!sj_conv_attrs_get(op, &a, why, sizeof why)) return err(e, op, why);
  *q = (cgeo){.N = xd[0], .C = xd[1], .H = xd[2], .W = xd[3], .O = wd[0], .Cg = wd[1], .KH = wd[2], .KW = wd[3],
              .G = a.groups, .a = a};
  if (q->C % q->G || q->O % q->G || q->Cg * q->G != q->C)
    return err(e, op, "channels do not fit the groups at run time");
  q->Og = q->O / q->G;
  q->OH = sj_conv_out_size(q->H, q->KH, q->a.stride[0], q->a.pad[0], q->a.pad[1], q->a.dilation[0]);
  q->OW = sj_conv_out_size(q->W, q->KW, q->a.stride[1], q->a.pad[2], q->a.pad[3], q->a.dilation[1]);
  if (q->OH < 0 || q->OW < 0) return err(e, op, "the kernel is larger than the padded input at run time");
  return SJ_OK;
}

/* Calls f(env, xi, wi, yi) for every multiply-add of the convolution: the
 * flat indices of the input, filter and output elements it pairs. */
typedef void (*conv_mac)(num *x, num *w, num *y, int64_t xi, int64_t wi, int64_t yi);
static void conv_walk(const cgeo *q, num *x, num *w, num *y, conv_mac f) {
  for (int64_t n = 0; n < q->N; n++)
    for (int64_t o = 0; o < q->O; o++)
      for (int64_t oh = 0; oh < q->OH; oh++)
        for (int64_t ow = 0; ow < q->OW; ow++) {
          int64_t yi = ((n * q->O + o) * q->OH + oh) * q->OW + ow, c0 = o / q->Og * q->Cg;
          for (int64_t cg = 0; cg < q->Cg; cg++)
            for (int64_t kh = 0; kh < q->KH; kh++) {
              int64_t ih = oh * q->a.stride[0] - q->a.pad[0] + kh * q->a.dilation[0];
              if (ih < 0 || ih >= q->H) continue;
              for (int64_t kw = 0; kw < q->KW; kw++) {
                int64_t iw = ow * q->a.stride[1] - q->a.pad[2] + kw * q->a.dilation[1];
                if (iw < 0 || iw >= q->W) continue;
                f(x, w, y, ((n * q->C + c0 + cg) * q->H + ih) * q->W + iw, ((o * q->Cg + cg) * q->KH + kh) * q->KW + kw,
                  yi);
              }
            }
        }
}
static void mac_fwd(num *x, num *w, num *y, int64_t xi, int64_t wi, int64_t yi) { y[yi].f += x[xi].f * w[wi].f; }
static void mac_dx(num *x, num *w, num *y, int64_t xi, int64_t wi, int64_t yi) { x[xi].f += y[yi].f * w[wi].f; }
static void mac_dw(num *x, num *w, num *y, int64_t xi, int64_t wi, int64_t yi) { w[wi].f += x[xi].f * y[yi].f; }

/* conv2d %x, %w; conv2d_input_grad %g, %w, %like; conv2d_filter_grad %x,
 * %g, %like: sums in double into the zeroed result, rounded once. */
static sj_status conv_family(ev *e, const sj_op *op, rv *out) {
  rv *o0 = slot(e, sj_opnd(op, 0)), *o1 = slot(e, sj_opnd(op, 1));
  rv *like = op->nopnds > 2 ? slot(e, sj_opnd(op, 2)) : NULL;
  bool dx = op->code == SJ_OP_CONV2D_INPUT_GRAD, dw = op->code == SJ_OP_CONV2D_FILTER_GRAD;
  rv *x = dx ? like : o0, *w = dw ? like : o1, *g = dx ? o0 : dw ? o1 : NULL;
  cgeo q;
  sj_status st = conv_geo(e, op, x->dims, w->dims, &q);
  if (st) return st;
  int64_t yd[4] = {q.N, q.O, q.OH, q.OW};
  if (g && memcmp(g->dims, yd, sizeof yd)) return err(e, op, "the gradient's shape differs from the output's at run time");
  sj_dtype dt = out->dt;
  *out = (rv){.rank = 4, .dt = dt};
  memcpy(out->dims, dx ? x->dims : dw ? w->dims : yd, sizeof yd);
  if ((st = rv_alloc(e, op, out))) return st;
  if (dx) conv_walk(&q, out->v, w->v, g->v, mac_dx);
  else if (dw) conv_walk(&q, x->v, out->v, g->v, mac_dw);
  else conv_walk(&q, x->v, w->v, out->v, mac_fwd);
  for (int64_t i = 0, n = rv_numel(out); i < n; i++) out->v[i].f = round_float(out->v[i].f, dt);
  return SJ_OK;
}

/* softmax, log_softmax: x's shape; softmax_xent: the labels' shape, each
 * row's logsumexp minus its target logit (NaN for a label outside [0, n)). */
static sj_status softmax_family(ev *e, const sj_op *op, rv *out) {
  rv *x = slot(e, sj_opnd(op, 0));
  int k = (int)sj_op_int(op, "axis", 0);
  if (k < 0) k += x->rank;
  bool xent = op->code == SJ_OP_SOFTMAX_XENT;
  rv *y = xent ? slot(e, sj_opnd(op, 1)) : NULL;
  int64_t outer = 1, n = x->dims[k], inner = 1;
  for (int d = 0; d < k; d++) outer *= x->dims[d];
  for (int d = k + 1; d < x->rank; d++) inner *= x->dims[d];
  out->rank = xent ? y->rank : x->rank;
  memcpy(out->dims, xent ? y->dims : x->dims, sizeof out->dims);
  if (xent && rv_numel(y) != outer * inner) return err(e, op, "labels do not match the logits at run time");
  sj_status st = rv_alloc(e, op, out);
  if (st) return st;
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < inner; i++) {
      const num *row = x->v + o * n * inner + i;
      double m, t = row_expsum(row, n, inner, &m), l = log(t);
      if (xent) {
        int64_t lab = y->v[o * inner + i].i;
        double c = lab < 0 || lab >= n ? NAN : l - (row[lab * inner].f - m);
        out->v[o * inner + i].f = round_float(c, out->dt);
        continue;
      }
      for (int64_t j = 0; j < n; j++) {
        double s = row[j * inner].f - m;
        double r = op->code == SJ_OP_SOFTMAX ? exp(s) / t : s - l;
        out->v[o * n * inner + j * inner + i].f = round_float(r, out->dt);
      }
    }
  return SJ_OK;
}

/* ---- slice, slice_update, index_update ---- */

/* The region a slice op addresses in x at run time: its dims, and for each
 * axis the first index and the step (slice.h, the same arithmetic as the
 * compiled code's). */
typedef struct region {
  rv shape;
  int64_t first[SJ_MAX_RANK], step[SJ_MAX_RANK];
} region;

static void slice_region(const sj_op *op, const rv *x, region *r) {
  r->shape = (rv){.rank = x->rank, .dt = x->dt};
  for (int k = 0; k < x->rank; k++) {
    int64_t start, stop;
    sj_slice_axis(op, k, &start, &stop, &r->step[k]);
    sj_slice_resolve(x->dims[k], start, stop, r->step[k], &r->first[k], &r->shape.dims[k]);
  }
}

/* Offset in x of element `lin` of the region. */
static int64_t region_offset(const region *r, const rv *x, int64_t lin) {
  int64_t c[SJ_MAX_RANK], off = 0;
  for (int k = r->shape.rank - 1; k >= 0; k--) c[k] = lin % r->shape.dims[k], lin /= r->shape.dims[k];
  for (int k = 0; k < x->rank; k++) off = off * x->dims[k] + r->first[k] + c[k] * r->step[k];
  return off;
}

/* The values y fit the region by the IR's broadcast rule (only a static 1
 * stretches; broadcast_dims). */
static bool values_fit(const rv *y, const sj_type *yt, const rv *reg) {
  for (int j = 0; j < y->rank; j++) {
    int k = reg->rank - y->rank + j;
    if (k < 0 || (yt->dims[j] != 1 && y->dims[j] != reg->dims[k])) return false;
  }
  return true;
}

/* out = a copy of x, then out[pos(l)] = y (set) or += y (add) over the
 * region's elements l in order. */
static sj_status apply_update(ev *e, const sj_op *op, rv *out, const rv *x, const rv *y, const rv *reg,
                              int64_t (*pos)(const void *, int64_t), const void *ud) {
  bool add = strcmp(sj_op_attr(op, "mode")->u.s, "add") == 0, f = is_float(x->dt);
  if (!values_fit(y, &sj_opnd(op, op->nopnds - 1)->type, reg)) /* y: the last operand */
    return err(e, op, "the values' shape does not match the updated region at run time");
  out->rank = x->rank;
  memcpy(out->dims, x->dims, sizeof out->dims);
  sj_status st = rv_alloc(e, op, out);
  if (st) return st;
  /* an empty x has nothing to update, even where the index space is not
   * empty (an index into an axis empty at run time: the compiled launch
   * writes only empty buffers and is skipped; docs/decisions/0010) */
  int64_t n = rv_numel(out), m = n ? rv_numel(reg) : 0;
  memcpy(out->v, x->v, (size_t)n * sizeof *out->v);
  for (int64_t l = 0; l < m; l++) {
    num v = y->v[sj_broadcast_index(reg->dims, reg->rank, y->dims, y->rank, l)];
    num *o = &out->v[pos(ud, l)];
    if (add) reduce_step(SJ_OP_ADD, f, o, v);
    else *o = v;
    /* each addition rounds to the dtype: repeated indices accumulate in
     * order, one rounding per update, as numpy's add.at and the kernel */
    if (f) o->f = round_float(o->f, out->dt);
    else o->i = wrap_int((uint64_t)o->i, out->dt);
  }
  return SJ_OK;
}

typedef struct slice_pos {
  const region *r;
  const rv *x;
} slice_pos;

static int64_t slice_pos_of(const void *ud, int64_t l) {
  const slice_pos *p = ud;
  return region_offset(p->r, p->x, l);
}

typedef struct take_pos {
  int k;
  const rv *x, *idx, *sp;
} take_pos;

static int64_t take_pos_of(const void *ud, int64_t l) {
  const take_pos *p = ud;
  return take_offset(false, p->k, p->x, p->idx, p->sp, l);
}

static sj_status slice_op(ev *e, const sj_op *op, rv *out) {
  rv *x = slot(e, sj_opnd(op, 0));
  region r;
  slice_region(op, x, &r);
  out->rank = r.shape.rank;
  memcpy(out->dims, r.shape.dims, sizeof out->dims);
  sj_status st = rv_alloc(e, op, out);
  if (st) return st;
  for (int64_t l = 0, n = rv_numel(out); l < n; l++) out->v[l] = x->v[region_offset(&r, x, l)];
  return SJ_OK;
}

static sj_status slice_update(ev *e, const sj_op *op, rv *out) {
  rv *x = slot(e, sj_opnd(op, 0)), *y = slot(e, sj_opnd(op, 1));
  region r;
  slice_region(op, x, &r);
  slice_pos p = {&r, x};
  return apply_update(e, op, out, x, y, &r.shape, slice_pos_of, &p);
}

static sj_status index_update(ev *e, const sj_op *op, rv *out) {
  rv *x = slot(e, sj_opnd(op, 0)), *idx = slot(e, sj_opnd(op, 1)), *y = slot(e, sj_opnd(op, 2)), sp = {0};
  int k = (int)sj_op_int(op, "axis", 0);
  if (k < 0) k += x->rank;
  take_shape(false, k, x, &sj_opnd(op, 0)->type, idx, &sj_opnd(op, 1)->type, &sp);
  int64_t nsp = 1;
  if (!sj_numel_i64(sp.dims, sp.rank, &nsp)) return err(e, op, "index space too large");
  take_pos p = {k, x, idx, &sp};
  return apply_update(e, op, out, x, y, &sp, take_pos_of, &p);
}

static sj_status reshape_like(ev *e, const sj_op *op, rv *out, bool broadcast) {
  rv *x = slot(e, sj_opnd(op, 0));
  const sj_type *t = &sj_res(op, 0)->type;
  out->rank = t->rank;
  int64_t known = 1, total = rv_numel(x);
  int dyn = -1;
  for (int k = 0; k < t->rank; k++) {
    out->dims[k] = t->dims[k];
    if (t->dims[k] == SJ_DYN) {
      int j = x->rank - t->rank + k;
      out->dims[k] = broadcast && j >= 0 ? x->dims[j] : 0;
      if (!broadcast) dyn = k;
    } else if (!sj_mul_i64(known, t->dims[k], &known)) return err(e, op, "result has too many elements");
  }
  if (!broadcast && dyn >= 0) {
    if (known == 0 || total % known) return err(e, op, "element count changes at run time");
    out->dims[dyn] = total / known;
  }
  if (broadcast) { /* only x's static 1-dims stretch (broadcast_dims) */
    const sj_type *xt = &sj_opnd(op, 0)->type;
    for (int k = 0; k < x->rank; k++) {
      int j = t->rank - x->rank + k;
      if (j < 0 || (xt->dims[k] != 1 && x->dims[k] != out->dims[j]))
        return err(e, op, "operand shape does not broadcast to the result at run time");
    }
  }
  sj_status st = rv_alloc(e, op, out);
  if (st) return st;
  int64_t n = rv_numel(out);
  if (!broadcast && n != total) return err(e, op, "element count changes at run time");
  for (int64_t l = 0; l < n; l++) out->v[l] = x->v[broadcast ? bcast_index(out, x, l) : l];
  return SJ_OK;
}

/* A constant attribute value as a `num` of dtype dt. */
static num attr_num(const sj_attr *a, int64_t i, sj_dtype dt) {
  if (a->kind == SJ_ATTR_INT) return is_float(dt) ? cast_num((num){.i = a->u.i}, SJ_I64, dt) : (num){.i = wrap_int((uint64_t)a->u.i, dt)};
  double d = a->kind == SJ_ATTR_DENSE ? a->u.dense.v[i] : a->u.f;
  return cast_num((num){.f = d}, SJ_F64, dt);
}

static sj_status constant(ev *e, const sj_op *op, rv *out) {
  const sj_type *t = &sj_res(op, 0)->type;
  const sj_attr *a = sj_op_attr(op, "value");
  out->rank = t->is_tensor ? t->rank : 0;
  memcpy(out->dims, t->dims, sizeof t->dims);
  sj_status st = rv_alloc(e, op, out);
  if (st) return st;
  int64_t n = rv_numel(out);
  for (int64_t i = 0; i < n; i++) out->v[i] = attr_num(a, i, out->dt);
  return SJ_OK;
}

/* ---- fused: the scalar body at each element of the iteration space ---- */

static num *fused_value(num *sv, const sj_value *v) { return &sv[v->def ? v->def->scratch : v->index]; }

static sj_status fused_body(ev *e, const sj_op *op, const sj_op_vec *body, num *sv, rv **outs, int64_t l) {
  for (size_t k = 0; k < body->n; k++) {
    const sj_op *o = body->v[k];
    if (o->code == SJ_OP_YIELD) {
      for (unsigned r = 0; r < o->nopnds; r++) outs[r]->v[l] = *fused_value(sv, sj_opnd(o, r));
    } else if (o->code == SJ_OP_CONSTANT) {
      sv[o->scratch] = attr_num(sj_op_attr(o, "value"), 0, sj_res(o, 0)->type.dt);
    } else {
      num a[3] = {{0}};
      for (unsigned i = 0; i < o->nopnds && i < 3; i++) a[i] = *fused_value(sv, sj_opnd(o, i));
      sj_dtype dt = sj_opnd(o, o->code == SJ_OP_SELECT ? 1 : 0)->type.dt;
      if (!scalar_op(o->code, dt, sj_res(o, 0)->type.dt, a, &sv[o->scratch])) return err(e, op, "body op has no scalar rule");
    }
  }
  return SJ_OK;
}

static sj_status fused(ev *e, const sj_op *op) {
  const sj_block *b = op->regions[0];
  rv *outs[64], *ins[64], space = {0};
  const sj_type *sts[64];
  if (op->nresults > 64 || op->nopnds > 64) return err(e, op, "too many operands or results");
  for (unsigned i = 0; i < op->nopnds; i++) ins[i] = slot(e, sj_opnd(op, i)), sts[i] = &sj_opnd(op, i)->type;
  if (!broadcast_dims(ins, sts, op->nopnds, sj_res(op, 0)->type.rank, &space))
    return err(e, op, "operand shapes do not broadcast at run time");
  sj_status st = SJ_OK;
  for (unsigned r = 0; r < op->nresults && !st; r++) {
    outs[r] = slot(e, sj_res(op, r));
    *outs[r] = space;
    outs[r]->dt = sj_res(op, r)->type.dt;
    st = rv_alloc(e, op, outs[r]);
  }
  if (st) return st;
  int64_t n = rv_numel(&space);
  sj_op_vec body = {0};
  for (sj_op *o = b->first; o; o = o->next) sj_op_vec_push(&body, o);
  num *sv = calloc(b->nargs + body.n + 1, sizeof *sv); /* scalar values: args, then ops */
  if (!sv || body.failed) {
    free(sv);
    sj_op_vec_free(&body);
    return err(e, op, "out of memory");
  }
  for (size_t k = 0; k < body.n; k++) body.v[k]->scratch = (unsigned)(b->nargs + k);
  for (int64_t l = 0; l < n && !st; l++) {
    for (unsigned i = 0; i < op->nopnds; i++) sv[i] = ins[i]->v[bcast_index(&space, ins[i], l)];
    st = fused_body(e, op, &body, sv, outs, l);
  }
  free(sv);
  sj_op_vec_free(&body);
  return st;
}

/* ---- scan (docs/decisions/0014-scan.md): the body, step by step ---- */

/* A scan running more steps than this is beyond the oracle (each step
 * evaluates the whole body; a state of zero elements grows no buffer). */
#define REF_MAX_STEPS ((int64_t)1 << 24)

static sj_status run_block(sj_ctx *c, const ev *up, const sj_block *b, const rv *args, rv *res);

static sj_status errf(ev *e, const sj_op *op, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static sj_status errf(ev *e, const sj_op *op, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return err(e, op, msg);
}

/* "[2,3]": a run-time shape for messages. */
static const char *shape_str(const rv *x, char *buf, size_t cap) {
  size_t k = (size_t)snprintf(buf, cap, "[");
  for (int i = 0; i < x->rank && k < cap; i++) k += (size_t)snprintf(buf + k, cap - k, i ? ",%lld" : "%lld", (long long)x->dims[i]);
  if (k < cap) snprintf(buf + k, cap - k, "]");
  return buf;
}

static bool same_shape(const rv *a, const rv *b) {
  return a->rank == b->rank && !memcmp(a->dims, b->dims, (size_t)a->rank * sizeof *a->dims);
}

static void rv_free_n(rv *v, unsigned n) {
  for (unsigned i = 0; v && i < n; i++) free(v[i].v), v[i].v = NULL;
}

/* The steps' values of one result, rows appended in the order the steps run. */
typedef struct rows {
  rv x;        /* x.dims[0]: rows so far; rank 0 until the first row */
  int64_t cap; /* rows allocated */
  int64_t len; /* elements per row */
} rows;

static sj_status rows_push(ev *e, const sj_op *op, rows *r, const rv *v, unsigned res) {
  char a[96], b[96];
  if (!r->x.rank) { /* the first row fixes the row shape */
    r->x.rank = v->rank + 1;
    memcpy(r->x.dims + 1, v->dims, (size_t)v->rank * sizeof *v->dims);
    r->len = rv_numel(v);
  } else if (r->x.rank != v->rank + 1 || memcmp(r->x.dims + 1, v->dims, (size_t)v->rank * sizeof *v->dims)) {
    rv row = r->x;
    row.rank--;
    memmove(row.dims, row.dims + 1, (size_t)row.rank * sizeof *row.dims);
    return errf(e, op, "result %u has shape %s at step %lld but %s before", res, shape_str(v, a, sizeof a),
                (long long)r->x.dims[0], shape_str(&row, b, sizeof b));
  }
  if (r->x.dims[0] == r->cap) {
    int64_t cap = r->cap ? 2 * r->cap : 4, total;
    if (r->len && cap > REF_MAX_ELEMS / r->len) cap = REF_MAX_ELEMS / r->len;
    if (cap <= r->cap || !sj_mul_i64(cap, r->len, &total)) {
      errf(e, op, "result %u has too many elements for the reference evaluator (limit 2^28)", res);
      return SJ_ERR_UNSUPPORTED;
    }
    num *p = realloc(r->x.v, (size_t)(total ? total : 1) * sizeof *p);
    if (!p) return err(e, op, "out of memory");
    r->x.v = p, r->cap = cap;
  }
  if (r->len) memcpy(r->x.v + r->x.dims[0] * r->len, v->v, (size_t)r->len * sizeof *v->v);
  r->x.dims[0]++;
  return SJ_OK;
}

/* Reverses the rows (a reverse scan appends them from t = n-1 down). */
static void rows_reverse(rows *r) {
  for (int64_t i = 0, j = r->x.dims[0] - 1; i < j; i++, j--)
    for (int64_t k = 0; k < r->len; k++) {
      num t = r->x.v[i * r->len + k];
      r->x.v[i * r->len + k] = r->x.v[j * r->len + k];
      r->x.v[j * r->len + k] = t;
    }
}

/* One scan being evaluated. The operands are [%n] seqs inits nonseqs; the
 * body's arguments seq rows, states, nonseqs; its terminator's operands
 * new states, outputs [, cond]. */
typedef struct scan_run {
  const sj_op *op;
  const sj_block *body;
  unsigned first, nseq, nstate, nnon, nres;
  bool until, reverse, last[64];
  int64_t n;  /* steps at most */
  rv *args;   /* a step's arguments: views (borrowed) */
  rv *ys;     /* a step's yielded values (owned) */
  rv *state;  /* the current states (owned) */
  rv *final;  /* outputs kept `last`: the latest value (owned) */
  rows *all;  /* results collected over all steps */
  int64_t steps; /* run so far */
} scan_run;

/* The body: the op's region, or the func `body = @f` of the op's module. */
static const sj_block *scan_body(const sj_op *op) {
  if (op->nregions) return op->regions[0];
  const char *sym = sj_op_sym(op, "body");
  const sj_block *b = op->block;
  while (b && b->parent && b->parent->block) b = b->parent->block;
  if (!sym || !b || b->parent) return NULL; /* not in a module */
  for (const sj_op *f = b->first; f; f = f->next)
    if (f->code == SJ_OP_FUNC && !strcmp(sj_func_name(f), sym)) return sj_func_body(f);
  return NULL;
}

static sj_status scan_layout(ev *e, const sj_op *op, scan_run *s) {
  int64_t nseq = sj_op_int(op, "nseq", 0), nstate = sj_op_int(op, "nstate", 0);
  s->op = op;
  s->first = sj_op_bool(op, "has_n", false) ? 1 : 0;
  s->until = sj_op_bool(op, "until", false);
  s->reverse = sj_op_bool(op, "reverse", false);
  if (nseq < 0 || nstate < 0 || nseq + nstate + s->first > op->nopnds || op->nresults > 64 || (unsigned)nstate > op->nresults)
    return err(e, op, "operands do not match 'nseq' and 'nstate' (verify the module)");
  s->nseq = (unsigned)nseq, s->nstate = (unsigned)nstate, s->nres = op->nresults;
  s->nnon = op->nopnds - s->first - s->nseq - s->nstate;
  const sj_attr *last = sj_op_attr(op, "last");
  for (int i = 0; last && i < last->u.ints.n; i++)
    if (last->u.ints.v[i] >= 0 && last->u.ints.v[i] < (int64_t)s->nres) s->last[last->u.ints.v[i]] = true;
  s->body = scan_body(op);
  if (!s->body) return errf(e, op, "body @%s is not a func of the module", sj_op_sym(op, "body"));
  for (const ev *u = e; u; u = u->up)
    if (u->blk == s->body) return err(e, op, "its body runs itself (a recursive scan is not evaluated)");
  const sj_op *term = s->body->last;
  if (s->body->nargs != s->nseq + s->nstate + s->nnon || !term || term->nopnds != s->nres + s->until)
    return err(e, op, "body does not match the operands and results (verify the module)");
  return SJ_OK;
}

/* The step count: %n, checked against every sequence, or the shortest
 * sequence's length. */
static sj_status scan_steps(ev *e, scan_run *s) {
  const sj_op *op = s->op;
  s->n = INT64_MAX;
  if (s->first) {
    s->n = slot(e, sj_opnd(op, 0))->v[0].i;
    if (s->n < 0) return errf(e, op, "step count %lld is negative", (long long)s->n);
  }
  for (unsigned i = 0; i < s->nseq; i++) {
    const rv *q = slot(e, sj_opnd(op, s->first + i));
    if (!s->first && q->dims[0] < s->n) s->n = q->dims[0];
    if (s->first && q->dims[0] < s->n)
      return errf(e, op, "sequence %u has %lld rows, fewer than the %lld steps", i, (long long)q->dims[0],
                  (long long)s->n);
  }
  if (s->n > REF_MAX_STEPS && !s->until) {
    errf(e, op, "%lld steps are beyond the reference evaluator (limit 2^24)", (long long)s->n);
    return SJ_ERR_UNSUPPORTED;
  }
  return SJ_OK;
}

static sj_status rv_copy(ev *e, const sj_op *op, const rv *from, rv *to) {
  *to = *from;
  to->v = NULL;
  sj_status st = rv_alloc(e, op, to);
  if (!st) memcpy(to->v, from->v, (size_t)rv_numel(from) * sizeof *from->v);
  return st;
}

static sj_status scan_alloc(ev *e, scan_run *s) {
  unsigned na = s->nseq + s->nstate + s->nnon;
  s->args = calloc(na + 1, sizeof *s->args);
  s->ys = calloc(s->nres + 2, sizeof *s->ys);
  s->state = calloc(s->nstate + 1, sizeof *s->state);
  s->final = calloc(s->nres + 1, sizeof *s->final);
  s->all = calloc(s->nres + 1, sizeof *s->all);
  if (!s->args || !s->ys || !s->state || !s->final || !s->all) return err(e, s->op, "out of memory");
  for (unsigned i = 0; i < s->nres; i++) s->all[i].x.dt = sj_res(s->op, i)->type.dt;
  sj_status st = SJ_OK;
  for (unsigned i = 0; i < s->nstate && !st; i++) {
    st = rv_copy(e, s->op, slot(e, sj_opnd(s->op, s->first + s->nseq + i)), &s->state[i]);
    if (!st && !s->last[i]) st = rows_push(e, s->op, &s->all[i], &s->state[i], i); /* the initial row */
  }
  for (unsigned i = 0; i < s->nnon; i++) s->args[s->nseq + s->nstate + i] = *slot(e, sj_opnd(s->op, s->first + s->nseq + s->nstate + i));
  return st;
}

static void scan_free(scan_run *s) {
  rv_free_n(s->ys, s->nres + 1);
  rv_free_n(s->state, s->nstate);
  rv_free_n(s->final, s->nres);
  for (unsigned i = 0; s->all && i < s->nres; i++) free(s->all[i].x.v);
  free(s->args), free(s->ys), free(s->state), free(s->final), free(s->all);
}

/* Step t: row t of each sequence, the states, the non-sequences. */
static void scan_args(ev *e, scan_run *s, int64_t t) {
  for (unsigned i = 0; i < s->nseq; i++) {
    const rv *q = slot(e, sj_opnd(s->op, s->first + i));
    rv *a = &s->args[i];
    *a = (rv){.rank = q->rank - 1, .dt = q->dt};
    memcpy(a->dims, q->dims + 1, (size_t)a->rank * sizeof *a->dims);
    a->v = q->v + t * rv_numel(a);
  }
  for (unsigned i = 0; i < s->nstate; i++) s->args[s->nseq + i] = s->state[i];
}

/* Takes the yielded values of one step: new states, outputs, condition. */
static sj_status scan_take(ev *e, scan_run *s, bool *stop) {
  char a[96], b[96];
  sj_status st = SJ_OK;
  for (unsigned i = 0; i < s->nstate; i++) {
    if (!same_shape(&s->ys[i], &s->state[i]))
      return errf(e, s->op, "state %u is yielded with shape %s at step %lld but its initial value has shape %s", i,
                  shape_str(&s->ys[i], a, sizeof a), (long long)s->steps, shape_str(&s->state[i], b, sizeof b));
    free(s->state[i].v);
    s->state[i] = s->ys[i], s->ys[i].v = NULL;
    if (!s->last[i] && (st = rows_push(e, s->op, &s->all[i], &s->state[i], i))) return st;
  }
  for (unsigned i = s->nstate; i < s->nres; i++) {
    if (s->last[i]) {
      free(s->final[i].v);
      s->final[i] = s->ys[i], s->ys[i].v = NULL;
    } else if ((st = rows_push(e, s->op, &s->all[i], &s->ys[i], i))) {
      return st;
    }
  }
  *stop = s->until && s->ys[s->nres].v[0].i != 0;
  rv_free_n(s->ys, s->nres + 1);
  return SJ_OK;
}

/* An output collected over zero steps has no row to take its shape from:
 * the static row type gives it, or (with `?` dims) one evaluation of the
 * body on zeros, whose values are dropped (shapes do not depend on values). */
static sj_status scan_empty_rows(ev *e, scan_run *s) {
  bool probe = false;
  for (unsigned i = s->nstate; i < s->nres; i++) {
    const sj_type *t = &sj_res(s->op, i)->type;
    for (int k = 1; k < t->rank && !s->last[i]; k++) probe |= t->dims[k] == SJ_DYN;
  }
  sj_status st = SJ_OK;
  rv *zero = probe ? calloc(s->nseq + 1, sizeof *zero) : NULL;
  if (probe && !zero) return err(e, s->op, "out of memory");
  if (probe) {
    scan_args(e, s, 0);
    for (unsigned i = 0; i < s->nseq && !st; i++) {
      zero[i] = s->args[i];
      if (!(st = rv_alloc(e, s->op, &zero[i]))) s->args[i] = zero[i];
    }
    if (!st) st = run_block(e->c, e, s->body, s->args, s->ys);
  }
  for (unsigned i = s->nstate; i < s->nres && !st; i++) {
    if (s->last[i]) continue;
    const sj_type *t = &sj_res(s->op, i)->type;
    rows *r = &s->all[i];
    r->x.rank = t->rank;
    for (int k = 1; k < t->rank; k++) r->x.dims[k] = probe ? s->ys[i].dims[k - 1] : t->dims[k];
    if (!(r->x.v = calloc(1, sizeof *r->x.v))) st = err(e, s->op, "out of memory");
  }
  rv_free_n(zero, s->nseq);
  free(zero);
  rv_free_n(s->ys, s->nres + 1);
  return st;
}

/* Moves the collected rows and last values into the op's result slots. */
static sj_status scan_results(ev *e, scan_run *s) {
  for (unsigned i = 0; i < s->nres; i++) {
    rv *out = slot(e, sj_res(s->op, i));
    sj_dtype dt = sj_res(s->op, i)->type.dt;
    if (s->last[i] && i < s->nstate) *out = s->state[i], s->state[i].v = NULL;
    else if (s->last[i] && !s->final[i].v)
      return errf(e, s->op, "result %u is an output kept 'last' but the scan ran zero steps", i);
    else if (s->last[i]) *out = s->final[i], s->final[i].v = NULL;
    else {
      if (s->reverse) rows_reverse(&s->all[i]);
      *out = s->all[i].x, s->all[i].x.v = NULL;
    }
    out->dt = dt;
  }
  return SJ_OK;
}

static sj_status scan(ev *e, const sj_op *op) {
  scan_run s = {0};
  sj_status st = scan_layout(e, op, &s);
  if (!st) st = scan_steps(e, &s);
  if (!st) st = scan_alloc(e, &s);
  bool stop = false;
  for (int64_t k = 0; k < s.n && !st && !stop; k++, s.steps++) {
    if (k == REF_MAX_STEPS) {
      errf(e, op, "more than 2^24 steps are beyond the reference evaluator");
      st = SJ_ERR_UNSUPPORTED;
      break;
    }
    scan_args(e, &s, s.reverse ? s.n - 1 - k : k);
    st = run_block(e->c, e, s.body, s.args, s.ys);
    if (!st) st = scan_take(e, &s, &stop);
  }
  if (!st && s.steps == 0) st = scan_empty_rows(e, &s);
  if (!st) st = scan_results(e, &s);
  scan_free(&s);
  return st;
}

/* ---- pooling (docs/decisions/0021-conv-pool.md; window arithmetic: pool.h) ----
 * Written out directly over the windows in double, each result rounded once
 * to the dtype; the dims come from the run-time values. */

typedef struct pool_geo {
  sj_pool2d p;
  int64_t n, c, h, w, oh, ow;
} pool_geo;

/* The geometry of pooling x (the op's input, or `like` for the grads). */
static sj_status pool_geometry(ev *e, const sj_op *op, const rv *x, pool_geo *G) {
  sj_pool2d_get(op, &G->p);
  G->n = x->dims[0], G->c = x->dims[1], G->h = x->dims[2], G->w = x->dims[3];
  G->oh = sj_pool2d_out(&G->p, 0, G->h);
  G->ow = sj_pool2d_out(&G->p, 1, G->w);
  if (G->oh < 0 || G->ow < 0) return err(e, op, "the window is larger than the padded input at run time");
  return SJ_OK;
}

/* The window of output (i, j): rows [*b0, *e0), columns [*b1, *e1), and
 * the divisor of an average. */
static double pool_window(const pool_geo *G, int64_t i, int64_t j, int64_t *b0, int64_t *e0, int64_t *b1, int64_t *e1) {
  int64_t d0, d1;
  sj_pool2d_window(&G->p, 0, G->h, i, b0, e0, &d0);
  sj_pool2d_window(&G->p, 1, G->w, j, b1, e1, &d1);
  return G->p.count_pad ? (double)(d0 * d1) : (double)((*e0 - *b0) * (*e1 - *b1));
}

/* First maximum of the window in row-major order; a NaN beats any number
 * (the first NaN wins). An empty window (H or W of 0) has none: -1. */
static int64_t pool_argmax(const num *plane, int64_t w, int64_t b0, int64_t e0, int64_t b1, int64_t e1) {
  int64_t at = -1;
  double best = -INFINITY;
  for (int64_t y = b0; y < e0; y++)
    for (int64_t x = b1; x < e1; x++) {
      double v = plane[y * w + x].f;
      bool take = at < 0 || (isnan(v) ? !isnan(best) : v > best);
      if (take) at = y * w + x, best = v;
    }
  return at;
}

static void round_all(rv *out) {
  int64_t n = rv_numel(out);
  for (int64_t i = 0; i < n; i++) out->v[i].f = round_float(out->v[i].f, out->dt);
}

/* max_pool2d, avg_pool2d: the maximum of each window (NaN propagates, an
 * empty window is -inf) or its mean (an empty window is 0/0 = NaN without
 * count_pad). */
static sj_status pool2d(ev *e, const sj_op *op, rv *out) {
  rv *x = slot(e, sj_opnd(op, 0));
  pool_geo G;
  sj_status st = pool_geometry(e, op, x, &G);
  if (st) return st;
  *out = (rv){.rank = 4, .dims = {G.n, G.c, G.oh, G.ow}, .dt = out->dt};
  if ((st = rv_alloc(e, op, out))) return st;
  bool is_max = op->code == SJ_OP_MAX_POOL2D;
  for (int64_t pl = 0; pl < G.n * G.c; pl++) {
    const num *plane = x->v + pl * G.h * G.w;
    for (int64_t i = 0; i < G.oh; i++)
      for (int64_t j = 0; j < G.ow; j++) {
        int64_t b0, e0, b1, e1;
        double div = pool_window(&G, i, j, &b0, &e0, &b1, &e1), acc = is_max ? -INFINITY : 0;
        for (int64_t y = b0; y < e0; y++)
          for (int64_t xx = b1; xx < e1; xx++) {
            double v = plane[y * G.w + xx].f;
            acc = is_max ? f_maximum((double[]){acc, v}) : acc + v;
          }
        out->v[(pl * G.oh + i) * G.ow + j].f = is_max ? acc : acc / div;
      }
  }
  round_all(out);
  return SJ_OK;
}

/* g must have the pooled shape of `like` at run time. */
static sj_status pool_grad_fits(ev *e, const sj_op *op, const rv *g, const pool_geo *G) {
  int64_t want[4] = {G->n, G->c, G->oh, G->ow};
  for (int k = 0; k < 4; k++)
    if (g->dims[k] != want[k]) return err(e, op, "the gradient does not have the pooled shape at run time");
  return SJ_OK;
}

/* max_pool2d_grad %x, %g and avg_pool2d_grad %g, %like: zeros shaped like
 * the input, each window adding its g to its first maximum or g / divisor
 * to each of its in-bounds elements (accumulated in double). */
static sj_status pool2d_grad(ev *e, const sj_op *op, rv *out) {
  bool is_max = op->code == SJ_OP_MAX_POOL2D_GRAD;
  rv *x = slot(e, sj_opnd(op, is_max ? 0 : 1)), *g = slot(e, sj_opnd(op, is_max ? 1 : 0));
  pool_geo G;
  sj_status st = pool_geometry(e, op, x, &G);
  if (st || (st = pool_grad_fits(e, op, g, &G))) return st;
  *out = (rv){.rank = 4, .dims = {G.n, G.c, G.h, G.w}, .dt = out->dt};
  if ((st = rv_alloc(e, op, out))) return st;
  for (int64_t pl = 0; pl < G.n * G.c; pl++) {
    num *o = out->v + pl * G.h * G.w;
    for (int64_t i = 0; i < G.oh; i++)
      for (int64_t j = 0; j < G.ow; j++) {
        int64_t b0, e0, b1, e1;
        double div = pool_window(&G, i, j, &b0, &e0, &b1, &e1), gv = g->v[(pl * G.oh + i) * G.ow + j].f;
        if (is_max) {
          int64_t at = pool_argmax(x->v + pl * G.h * G.w, G.w, b0, e0, b1, e1);
          if (at >= 0) o[at].f += gv;
          continue;
        }
        for (int64_t y = b0; y < e0; y++)
          for (int64_t xx = b1; xx < e1; xx++) o[y * G.w + xx].f += gv / div;
      }
  }
  round_all(out);
  return SJ_OK;
}

/* ---- random streams: the distributions written out again in double from
 * the Philox words (rt_random.h defines the block function, checked
 * against Random123's known answers by unit_random) ---- */

static double ref_unit53(const uint32_t *w, int i) {
  return (double)(((uint64_t)w[i] << 21) | (w[i + 1] >> 11)) / 9007199254740992.0;
}

/* Element value of uniform/normal/bernoulli at counter c, rounded to dt. */
static num random_elem(const sj_op *op, sj_dtype dt, uint64_t key, uint64_t c) {
  uint32_t w[4];
  sj_rt_philox_block(key, c, w);
  const sj_attr *a0 = sj_op_attr(op, op->code == SJ_OP_RANDOM_UNIFORM ? "lo" : op->code == SJ_OP_RANDOM_NORMAL ? "mean" : "p");
  const sj_attr *a1 = sj_op_attr(op, op->code == SJ_OP_RANDOM_UNIFORM ? "hi" : "std");
  double a = a0->u.f, b = a1 ? a1->u.f : 0, x;
  if (op->code == SJ_OP_RANDOM_BERNOULLI) {
    x = (double)w[0] / 4294967296.0 < a;
    return dt == SJ_BOOL ? (num){.i = x != 0} : (num){.f = x};
  }
  if (op->code == SJ_OP_RANDOM_NORMAL) {
    double r = sqrt(-2.0 * log(1.0 - ref_unit53(w, 0)));
    return (num){.f = round_float(a + b * (r * cos(6.283185307179586 * ref_unit53(w, 2))), dt)};
  }
  x = round_float(a + (b - a) * ref_unit53(w, 0), dt);
  while (dt == SJ_F32 && x >= b && a < b) x = (double)nextafterf((float)x, -INFINITY); /* kept below hi */
  return (num){.f = x};
}

/* The category of one row by its definition: the first j whose running
 * sum of weights exceeds u * total; -1 when none can be drawn. */
static int64_t ref_category(const num *row, int64_t k, bool logits, double u) {
  double m = -INFINITY, total = 0, cum = 0;
  for (int64_t j = 0; logits && j < k; j++) {
    if (isnan(row[j].f) || row[j].f == INFINITY) return -1;
    m = fmax(m, row[j].f);
  }
  if (logits && m == -INFINITY) return -1;
  for (int64_t j = 0; j < k; j++) {
    double p = logits ? exp(row[j].f - m) : row[j].f;
    if (!(p >= 0 && p < INFINITY)) return -1;
    total += p;
  }
  if (!(total > 0 && total < INFINITY)) return -1;
  int64_t last = -1;
  for (int64_t j = 0; j < k; j++) {
    double p = logits ? exp(row[j].f - m) : row[j].f;
    cum += p;
    last = p > 0 ? j : last;
    if (cum > u * total) return j;
  }
  return last;
}

static sj_status random_op(ev *e, const sj_op *op, rv *out) {
  const rv *st = slot(e, sj_opnd(op, 0));
  uint64_t key = (uint64_t)st->v[0].i, ctr = (uint64_t)st->v[1].i;
  const rv *like = op->nopnds > 1 ? slot(e, sj_opnd(op, 1)) : NULL;
  const sj_type *t = &sj_res(op, 0)->type;
  sj_status s;
  if (op->code == SJ_OP_RANDOM_SKIP) {
    out->rank = 1, out->dims[0] = 2;
    if ((s = rv_alloc(e, op, out))) return s;
    uint64_t n = like ? (uint64_t)rv_numel(like) : 1;
    out->v[0].i = (int64_t)key;
    out->v[1].i = (int64_t)(ctr + (uint64_t)sj_op_int(op, "count", 1) * n);
    return SJ_OK;
  }
  out->rank = t->rank;
  memcpy(out->dims, like ? like->dims : t->dims, (size_t)t->rank * sizeof *t->dims); /* categorical: w's leading dims */
  if ((s = rv_alloc(e, op, out))) return s;
  int64_t n = rv_numel(out);
  if (op->code != SJ_OP_RANDOM_CATEGORICAL) {
    for (int64_t i = 0; i < n; i++) out->v[i] = random_elem(op, out->dt, key, ctr + (uint64_t)i);
    return SJ_OK;
  }
  int64_t k = like->dims[like->rank - 1];
  if (n > 0 && k == 0) return err(e, op, "no categories (last dim 0) at run time");
  for (int64_t r = 0; r < n; r++) {
    uint32_t w[4];
    sj_rt_philox_block(key, ctr + (uint64_t)r, w);
    out->v[r].i = ref_category(&like->v[r * k], k, sj_op_bool(op, "logits", false), ref_unit53(w, 0));
    if (out->v[r].i < 0) return err(e, op, "a row has no category to draw (negative, NaN or infinite weight, or all zero)");
  }
  return SJ_OK;
}

/* ---- the REF column of ops.def: one tensor-level handler per op ---- */

typedef sj_status (*ref_fn)(ev *e, const sj_op *op, rv *out);
static sj_status x_constant(ev *e, const sj_op *op, rv *out) { return constant(e, op, out); }
static sj_status x_elementwise(ev *e, const sj_op *op, rv *out) { return elementwise(e, op, out); }
static sj_status x_reduce(ev *e, const sj_op *op, rv *out) { return reduce(e, op, out); }
static sj_status x_transpose(ev *e, const sj_op *op, rv *out) { return transpose(e, op, out); }
static sj_status x_matmul(ev *e, const sj_op *op, rv *out) { return matmul(e, op, out); }
static sj_status x_addmm(ev *e, const sj_op *op, rv *out) {
  return matmul_acc(e, op, 1, num_attr(op, "alpha"), num_attr(op, "beta"), slot(e, sj_opnd(op, 0)), out);
}
static sj_status x_take(ev *e, const sj_op *op, rv *out) { return take(e, op, out); }
static sj_status x_slice(ev *e, const sj_op *op, rv *out) { return slice_op(e, op, out); }
static sj_status x_slice_update(ev *e, const sj_op *op, rv *out) { return slice_update(e, op, out); }
static sj_status x_index_update(ev *e, const sj_op *op, rv *out) { return index_update(e, op, out); }
static sj_status x_reshape(ev *e, const sj_op *op, rv *out) { return reshape_like(e, op, out, false); }
static sj_status x_broadcast_to(ev *e, const sj_op *op, rv *out) { return reshape_like(e, op, out, true); }
static sj_status x_fused(ev *e, const sj_op *op, rv *out) { return (void)out, fused(e, op); }
static sj_status x_softmax(ev *e, const sj_op *op, rv *out) { return softmax_family(e, op, out); }
static sj_status x_conv2d(ev *e, const sj_op *op, rv *out) { return conv_family(e, op, out); }
static sj_status x_scan(ev *e, const sj_op *op, rv *out) { return (void)out, scan(e, op); }
static sj_status x_random(ev *e, const sj_op *op, rv *out) { return random_op(e, op, out); }
static sj_status x_pool2d(ev *e, const sj_op *op, rv *out) { return pool2d(e, op, out); }
static sj_status x_max_pool2d_grad(ev *e, const sj_op *op, rv *out) { return pool2d_grad(e, op, out); }
static sj_status x_avg_pool2d_grad(ev *e, const sj_op *op, rv *out) { return pool2d_grad(e, op, out); }

#define NONE NULL
static const ref_fn ref_rules[SJ_OP_COUNT] = {
#define SJ_OP(ID, NAME, MINO, MAXO, NRES, NREG, FLAGS, ATTRS, INFER, VERIFY, EVAL, COMBINE, IDENTITY, EMIT, SCALAR_CG, VJP, PLAN, REF) \
  [SJ_OP_##ID] = REF,
#include "ops.def"
#undef SJ_OP
};
#undef NONE

static sj_status eval_op(ev *e, const sj_op *op) {
  rv *out = op->nresults ? slot(e, sj_res(op, 0)) : NULL;
  if (out) out->dt = sj_res(op, 0)->type.dt;
  if (!ref_rules[op->code]) {
    err(e, op, "not supported (only tensor-level ops are)");
    return SJ_ERR_UNSUPPORTED;
  }
  return ref_rules[op->code](e, op, out);
}

/* ---- inputs and outputs ---- */

/* Element k of t, exact (int64 read directly: sj_tensor_get goes through
 * double). */
static num tensor_num(const sj_tensor *t, int64_t k) {
  int64_t i;
  if (sj_rt_get_int(t, k, &i)) return (num){.i = i};
  return (num){.f = sj_tensor_get(t, k)};
}

static sj_status input_error(sj_ctx *c, const sj_op *f, unsigned i, const char *what, const sj_type *want,
                             const sj_tensor *t) {
  char ws[SJ_TYPE_STR_CAP], gs[SJ_TYPE_STR_CAP] = "NULL";
  if (t) {
    sj_type g = sj_tensor_type(sj_tensor_dtype(t), sj_tensor_rank(t), sj_tensor_dims(t));
    sj_type_str(&g, gs, sizeof gs);
  }
  return sj_emit_error(c, f->loc, "reference evaluator: input %u of @%s: %s: expected %s, got %s", i,
                       sj_func_name(f), what, sj_type_str(want, ws, sizeof ws), gs);
}

/* Checks every input against the signature (dtype, rank, static dims). */
static sj_status check_inputs(sj_ctx *c, const sj_op *f, sj_tensor *const *in) {
  const sj_block *b = sj_func_body(f);
  for (unsigned i = 0; i < b->nargs; i++) {
    const sj_type *t = &b->args[i]->type;
    if (!in[i]) return input_error(c, f, i, "missing", t, NULL);
    if (sj_tensor_dtype(in[i]) != t->dt) return input_error(c, f, i, "wrong dtype", t, in[i]);
    int rank = t->is_tensor ? t->rank : 0;
    if (sj_tensor_rank(in[i]) != rank) return input_error(c, f, i, "wrong rank", t, in[i]);
    for (int k = 0; k < rank; k++)
      if (t->dims[k] != SJ_DYN && t->dims[k] != sj_tensor_dims(in[i])[k])
        return input_error(c, f, i, "wrong shape", t, in[i]);
  }
  return SJ_OK;
}

/* Copies the inputs into args (one per argument of f). */
static sj_status load_inputs(sj_ctx *c, const sj_op *f, sj_tensor *const *in, rv *args) {
  const sj_block *b = sj_func_body(f);
  ev e = {.c = c};
  for (unsigned i = 0; i < b->nargs; i++) {
    rv *x = &args[i];
    x->rank = sj_tensor_rank(in[i]);
    x->dt = b->args[i]->type.dt;
    memcpy(x->dims, sj_tensor_dims(in[i]), (size_t)x->rank * sizeof(int64_t));
    sj_status st = rv_alloc(&e, f, x);
    if (st) return st;
    for (int64_t k = 0, n = rv_numel(x); k < n; k++) x->v[k] = tensor_num(in[i], k);
  }
  return SJ_OK;
}

static sj_tensor *make_output(const rv *x) {
  sj_tensor *t = sj_tensor_new(x->dt, x->rank, x->dims);
  if (!t) return NULL;
  bool f = is_float(x->dt);
  for (int64_t k = 0, n = rv_numel(x); k < n; k++) {
    if (f) sj_tensor_set(t, k, x->v[k].f); /* already rounded: exact */
    else sj_rt_set_int(t, k, x->v[k].i);   /* already wrapped: exact */
  }
  return t;
}

/* Float dtypes from the finest to the coarsest (an error bound grows along). */
static int coarseness(sj_dtype dt) {
  return dt == SJ_F64 ? 1 : dt == SJ_F32 ? 2 : dt == SJ_F16 ? 3 : dt == SJ_BF16 ? 4 : 0;
}

/* The coarsest float dtype computed inside the body of op (a scan's region
 * or its outlined func, and the bodies of scans nested there), 0 if none:
 * a scan's results carry its body's error. depth bounds the walk through
 * outlined bodies (a recursive one is refused by the evaluator anyway). */
typedef struct body_prec {
  sj_dtype worst;
  int depth;
} body_prec;

static void coarser(sj_dtype *w, sj_dtype d) {
  if (coarseness(d) > (*w == SJ_DTYPE_COUNT ? 0 : coarseness(*w))) *w = d;
}

static void body_walk(const sj_block *b, body_prec *p);

static void body_op(sj_op *op, void *ud) {
  body_prec *p = ud;
  for (unsigned r = 0; r < op->nresults; r++) coarser(&p->worst, sj_res(op, r)->type.dt);
  if (op->code == SJ_OP_SCAN && !op->nregions && p->depth < 8) {
    const sj_block *b = scan_body(op);
    p->depth++;
    if (b) body_walk(b, p);
    p->depth--;
  }
}

static void body_walk(const sj_block *b, body_prec *p) {
  for (unsigned a = 0; a < b->nargs; a++) coarser(&p->worst, b->args[a]->type.dt);
  sj_walk_block((sj_block *)b, body_op, p);
}

static sj_dtype body_precision(const sj_op *op) {
  body_prec p = {SJ_DTYPE_COUNT, 0};
  if (op->code == SJ_OP_SCAN) body_op((sj_op *)op, &p);
  for (unsigned r = 0; r < op->nregions; r++) body_walk(op->regions[r], &p);
  return p.worst;
}

sj_dtype sj_ref_result_precision(const sj_op *f, size_t i) {
  const sj_block *b = sj_func_body(f);
  const sj_op *ret = b->last;
  if (!ret || ret->code != SJ_OP_RETURN || i >= ret->nopnds) return SJ_DTYPE_COUNT;
  unsigned n = b->nargs;
  for (sj_op *op = b->first; op; op = op->next) op->scratch = n, n += op->nresults;
  sj_dtype *worst = calloc(n + 1, sizeof *worst); /* coarsest float dtype in each value's cone */
  if (!worst) return SJ_DTYPE_COUNT;
  for (unsigned a = 0; a < b->nargs; a++) worst[a] = coarseness(b->args[a]->type.dt) ? b->args[a]->type.dt : SJ_DTYPE_COUNT;
  for (sj_op *op = b->first; op && op != ret; op = op->next) {
    sj_dtype w = op->nregions || op->code == SJ_OP_SCAN ? body_precision(op) : SJ_DTYPE_COUNT;
    for (unsigned k = 0; k < op->nopnds; k++) {
      const sj_value *v = sj_opnd(op, k);
      sj_dtype d = worst[v->def ? v->def->scratch + v->index : v->index];
      if (d != SJ_DTYPE_COUNT && (w == SJ_DTYPE_COUNT || coarseness(d) > coarseness(w))) w = d;
    }
    for (unsigned r = 0; r < op->nresults; r++) {
      sj_dtype d = sj_res(op, r)->type.dt;
      worst[op->scratch + r] = coarseness(d) && (w == SJ_DTYPE_COUNT || coarseness(d) > coarseness(w)) ? d : w;
      /* a comparison's result is right or flipped: no float tolerance covers
       * a flip, and an int selected by it is still exact */
      if (d == SJ_BOOL) worst[op->scratch + r] = SJ_DTYPE_COUNT;
    }
  }
  const sj_value *v = sj_opnd(ret, (unsigned)i);
  sj_dtype d = worst[v->def ? v->def->scratch + v->index : v->index];
  free(worst);
  return d;
}

/* Marks the slots of the values the results depend on. Only those ops are
 * evaluated: the function's value is what it returns, so an op whose
 * result is unused (and removed by dce in the compiled paths) cannot make
 * the oracle refuse a run. */
static void mark_live(ev *e, const sj_op *ret, bool *live) {
  for (const sj_op *op = ret; op; op = op->prev) {
    bool used = op == ret;
    for (unsigned r = 0; r < op->nresults && !used; r++) used = live[op->scratch + r];
    if (!used) continue;
    if (op != ret) live[op->scratch] = true; /* the op runs: all its results exist */
    for (unsigned i = 0; i < op->nopnds; i++) live[slot(e, sj_opnd(op, i)) - e->vals] = true;
  }
}

/* Evaluates block b (a func's body or a scan's) on args (borrowed: one
 * value per block argument) and gives copies of its terminator's operands
 * to res (owned by the caller; all NULL on error). up: the evaluation of the
 * scan op whose body b is, NULL for the func sj_ref_eval was given. A scan
 * in b recurses here once per step: the depth is the nesting of scans
 * (bounded by the parser's nesting limit and by the recursion check). */
static sj_status run_block(sj_ctx *c, const ev *up, const sj_block *b, const rv *args, rv *res) {
  const sj_op *term = b->last;
  int n = (int)b->nargs;
  for (sj_op *op = b->first; op; op = op->next) {
    op->scratch = (unsigned)n;
    n += (int)op->nresults;
  }
  ev e = {.c = c, .vals = calloc((size_t)n + 1, sizeof(rv)), .n = n, .blk = b, .up = up};
  bool *live = calloc((size_t)n + 1, sizeof *live);
  if (!e.vals || !live) {
    free(e.vals), free(live);
    return sj_emit_error(c, term->loc, "reference evaluator: out of memory");
  }
  if (b->nargs) memcpy(e.vals, args, b->nargs * sizeof *args);
  mark_live(&e, term, live);
  sj_status st = SJ_OK;
  for (sj_op *op = b->first; op && !st && op != term; op = op->next)
    if (op->nresults && live[op->scratch]) st = eval_op(&e, op);
  free(live);
  unsigned done = 0;
  for (; done < term->nopnds && !st; done++) st = rv_copy(&e, term, slot(&e, sj_opnd(term, done)), &res[done]);
  if (st) rv_free_n(res, done);
  for (int i = (int)b->nargs; i < n; i++) free(e.vals[i].v);
  free(e.vals);
  return st;
}

sj_status sj_ref_eval(sj_ctx *c, const sj_op *f, sj_tensor *const *in, size_t nin, sj_tensor **out,
                      size_t nout) {
  const sj_block *b = sj_func_body(f);
  const sj_op *ret = b->last;
  if (nin != b->nargs || !ret || ret->code != SJ_OP_RETURN || nout != ret->nopnds)
    return sj_emit_error(c, f->loc, "reference evaluator: wrong number of inputs or outputs");
  for (size_t i = 0; i < nout; i++) out[i] = NULL;
  sj_status st = check_inputs(c, f, in);
  if (st) return st;
  rv *args = calloc(nin + 1, sizeof *args), *res = calloc(nout + 1, sizeof *res);
  if (!args || !res) st = sj_emit_error(c, f->loc, "reference evaluator: out of memory");
  if (!st) st = load_inputs(c, f, in, args);
  if (!st) st = run_block(c, NULL, b, args, res);
  for (size_t i = 0; i < nout && !st; i++) {
    if (!(out[i] = make_output(&res[i])))
      st = sj_emit_error(c, f->loc, "reference evaluator: out of memory");
  }
  if (st)
    for (size_t i = 0; i < nout; i++) sj_tensor_free(out[i]), out[i] = NULL;
  if (res) rv_free_n(res, (unsigned)nout);
  if (args) rv_free_n(args, (unsigned)nin);
  free(res), free(args);
  return st;
}
