/* Multiplicative canonical form (canonicalize): negations and constant
 * factors move into one constant, common factors cancel (as Theano's
 * local_mul_canonizer, one level deep). The NaN policy of each rewrite
 * (docs/fast-math.md has the table):
 *
 * Exact for every value (applied always; ints wrap modulo 2^n):
 *   x * -1, -1 * x, x / -1 -> neg(x)     (INT_MIN / -1 is INT_MIN = neg)
 *   neg(x) * neg(y) -> x * y; neg(x) * c -> x * (-c)   (round-to-nearest
 *   is symmetric in sign); floats also neg(x) / neg(y) -> x / y,
 *   neg(x) / c -> x / (-c), c / neg(x) -> (-c) / x
 *   x / c -> x * (1/c) when 1/c is an exact normal float (c = ±2^k): x / c
 *   and x * (1/c) round the same real number, so even subnormal, infinite
 *   and NaN results agree (LLVM's getExactInverse rule)
 *   (x * c2) * c1 -> x * (c1*c2): ints always; f32/f64 when c1*c2 is
 *   exact and either c2 = ±2^a (a >= 0) and |c1| >= 1, or c1 = ±2^b (b >= 0)
 *   and c2 a nonzero integer: 2 * (3 * x) -> 6 * x (proof at exact_merge)
 * Floats only under --fast-math:
 *   other constant merges: (x * 2) / 4 -> x * 0.5 (x * 2 overflows for
 *   |x| > max/2 where x * 0.5 does not), 3 * (1.5 * x) -> 4.5 * x (1.5 * x
 *   rounds in the subnormal range), (x / 3) / 3 -> x / 9 (two roundings
 *   become one), 0 * (c * x) (c * x = inf gives NaN, 0 * x does not)
 *   cancelling a common factor: (x*y)/x -> y, x/(x*y) -> 1/y, (x/y)/x ->
 *   1/y, (x*y)/(x*z) -> y/z, x*(y/x) -> y (x = 0 or inf gives NaN before,
 *   x*y overflowing gives inf before; not exact either). Never for ints:
 *   x*y wraps and x / 0 is 0 in symjit. */
#include <math.h>

#include "canon.h"

static bool is_num(const sj_value *v) { return sj_dtype_is_float(v->type.dt) || sj_dtype_is_int(v->type.dt); }

bool sj_canon_mul_neg_one(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_MUL && op->code != SJ_OP_DIV) return false;
  sj_value *a = sj_opnd(op, 0), *b = sj_opnd(op, 1), *x = NULL;
  if (sj_canon_splat_is(b, -1)) x = a;
  else if (op->code == SJ_OP_MUL && sj_canon_splat_is(a, -1)) x = b;
  if (!x || !is_num(x) || !sj_canon_fits(x, &sj_res(op, 0)->type)) return false;
  sj_value *n = sj_canon_unary(rw, op, SJ_OP_NEG, x);
  sj_canon_replace(rw, op, sj_canon_fit(rw, op, n, &sj_res(op, 0)->type));
  return true;
}

/* v wrapped to the range of integer dtype dt (two's complement). */
static int64_t wrap_int(uint64_t v, sj_dtype dt) {
  uint64_t lo = (uint64_t)sj_dtype_int_min(dt), span = (uint64_t)sj_dtype_int_max(dt) - lo + 1;
  if (span == 0) return (int64_t)v; /* i64: the full range */
  return (int64_t)(lo + (v - lo) % span);
}

/* A copy of splat constant c (same type) holding -c. */
static sj_value *negated_splat(sj_rewriter *rw, sj_op *pos, const sj_value *c) {
  int64_t i;
  double f;
  if (sj_canon_splat_int(c, &i)) {
    sj_op *k = sj_rw_create(rw, pos, SJ_OP_CONSTANT, 0, NULL, c->type);
    sj_op_set_int(sj_rw_ctx(rw), k, "value", wrap_int(0 - (uint64_t)i, c->type.dt));
    return sj_res(k, 0);
  }
  sj_canon_splat(c, &f);
  return sj_canon_splat_new(rw, pos, c->type, -f);
}

bool sj_canon_neg_factor(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_MUL && op->code != SJ_OP_DIV) return false;
  sj_value *a = sj_opnd(op, 0), *b = sj_opnd(op, 1);
  if (!is_num(a) || (op->code == SJ_OP_DIV && !sj_canon_is_float(a))) return false; /* (-x)/c != x/(-c) at INT_MIN */
  sj_op *na = sj_canon_def(a, SJ_OP_NEG), *nb = sj_canon_def(b, SJ_OP_NEG);
  double c;
  sj_value *x, *y;
  if (na && nb) x = sj_opnd(na, 0), y = sj_opnd(nb, 0);
  else if (na && sj_canon_splat(b, &c)) x = sj_opnd(na, 0), y = negated_splat(rw, op, b);
  else if (nb && sj_canon_splat(a, &c)) x = negated_splat(rw, op, a), y = sj_opnd(nb, 0);
  else return false;
  sj_canon_replace(rw, op, sj_canon_binary(rw, op, op->code, x, y, a->type.dt));
  return true;
}

/* Exponent range of the normal numbers of a float dtype: 2^lo .. 2^hi. */
static void normal_range(sj_dtype dt, int *lo, int *hi) {
  switch (dt) {
  case SJ_F64: *lo = -1022, *hi = 1023; return;
  case SJ_F16: *lo = -14, *hi = 15; return;
  default: *lo = -126, *hi = 127; return; /* f32, bf16 */
  }
}

/* c = ±2^e with 2^e a normal number of dt. */
static bool normal_pow2(double c, sj_dtype dt, int *e) {
  int lo, hi, ex;
  if (!isfinite(c) || c == 0 || fabs(frexp(c, &ex)) != 0.5) return false;
  normal_range(dt, &lo, &hi);
  *e = ex - 1;
  return *e >= lo && *e <= hi;
}

bool sj_canon_div_exact_recip(sj_rewriter *rw, sj_op *op) {
  double c;
  int e;
  sj_value *x = sj_opnd(op, 0), *d = sj_opnd(op, 1);
  if (op->code != SJ_OP_DIV || !sj_canon_is_float(x) || !sj_canon_splat(d, &c) || c == 1 || c == -1) return false;
  if (!normal_pow2(c, x->type.dt, &e) || !normal_pow2(1 / c, x->type.dt, &e)) return false;
  sj_value *r = sj_canon_splat_new(rw, op, d->type, 1 / c);
  sj_canon_replace(rw, op, sj_canon_binary(rw, op, SJ_OP_MUL, x, r, x->type.dt));
  return true;
}

/* v = x * c, c * x or x / c with c a splat constant and x not one. */
typedef struct factor {
  sj_value *x, *c;
  bool div;
} factor;

static bool as_factor(const sj_op *op, factor *f) {
  if (!op || (op->code != SJ_OP_MUL && op->code != SJ_OP_DIV)) return false;
  double k;
  sj_value *a = sj_opnd(op, 0), *b = sj_opnd(op, 1);
  bool ka = sj_canon_splat(a, &k), kb = sj_canon_splat(b, &k);
  if (ka == kb) return false;
  if (op->code == SJ_OP_DIV && ka) return false; /* c / x is not a factor of x */
  *f = (factor){kb ? a : b, kb ? b : a, op->code == SJ_OP_DIV};
  return true;
}

/* The value a float splat holds in its dtype (f32 constants round). */
static double splat_value(const sj_value *c) {
  double v = 0;
  sj_canon_splat(c, &v);
  return c->type.dt == SJ_F32 ? (double)(float)v : v;
}

static bool is_int_valued(double v) { return isfinite(v) && v == nearbyint(v) && v != 0; }

/* Whether c1 * (c2 * x) -> (c1*c2) * x is exact for every x (both muls,
 * f32 or f64, c1*c2 representable): either c2 = ±2^a, a >= 0, and |c1| >= 1
 * (c2 * x is exact or overflows, and then so does c1*c2 * x), or c1 = ±2^b,
 * b >= 0, and c2 a nonzero integer (c2 * x rounds only where it is normal,
 * and scaling a normal by 2^b commutes with rounding; an integer multiple of
 * a subnormal is exact). */
static bool exact_merge(const factor *o, const factor *i, sj_dtype dt) {
  if (o->div || i->div || (dt != SJ_F32 && dt != SJ_F64)) return false;
  double a = splat_value(o->c), b = splat_value(i->c), k = a * b;
  int e;
  if (!isfinite(k) || (dt == SJ_F32 && (double)(float)k != k)) return false;
  bool inner_up = normal_pow2(b, dt, &e) && e >= 0, outer_up = normal_pow2(a, dt, &e) && e >= 0;
  return (inner_up && fabs(a) >= 1) || (outer_up && is_int_valued(b));
}

/* The merged constant (dtype dt, type t): ints c1*c2 wrapped; floats the
 * product of the factors (c or 1/c), or of the divisors when both divide.
 * False if a half-precision constant would round. */
static bool merged_constant(const factor *o, const factor *i, sj_dtype dt, double *k, int64_t *ik) {
  if (!sj_dtype_is_float(dt)) {
    int64_t a, b;
    if (!sj_canon_splat_int(o->c, &a) || !sj_canon_splat_int(i->c, &b)) return false;
    *ik = wrap_int((uint64_t)a * (uint64_t)b, dt);
    return true;
  }
  double a = splat_value(o->c), b = splat_value(i->c);
  if (o->div && i->div) *k = a * b;
  else *k = (o->div ? 1 / a : a) * (i->div ? 1 / b : b);
  if (dt == SJ_F32) *k = (double)(float)*k;
  int e;
  return dt == SJ_F32 || dt == SJ_F64 || normal_pow2(*k, dt, &e);
}

bool sj_canon_const_factor(sj_rewriter *rw, sj_op *op) {
  factor o, i;
  if (!as_factor(op, &o) || !as_factor(o.x->def, &i) || !is_num(o.x)) return false;
  sj_dtype dt = o.x->type.dt;
  bool fl = sj_dtype_is_float(dt);
  if (fl ? !(sj_canon_fast_math(rw) || exact_merge(&o, &i, dt)) : (o.div || i.div)) return false;
  sj_type kt, rt;
  const sj_type *r = &sj_res(op, 0)->type;
  if (!sj_broadcast_shapes(&o.c->type, &i.c->type, &kt) || !sj_broadcast_shapes(&i.x->type, &kt, &rt)) return false;
  double k = 0;
  int64_t ik = 0;
  if (!sj_canon_fits(&(sj_value){.type = rt}, r) || !merged_constant(&o, &i, dt, &k, &ik)) return false;
  sj_op *kc = sj_rw_create(rw, op, SJ_OP_CONSTANT, 0, NULL, kt);
  if (fl) sj_op_set_float(sj_rw_ctx(rw), kc, "value", k);
  else sj_op_set_int(sj_rw_ctx(rw), kc, "value", ik);
  sj_opcode code = fl && o.div && i.div ? SJ_OP_DIV : SJ_OP_MUL;
  sj_value *v = sj_canon_binary(rw, op, code, i.x, sj_res(kc, 0), dt);
  sj_canon_replace(rw, op, sj_canon_fit(rw, op, v, r));
  return true;
}

/* ---- cancelling common factors (floats, fast-math) ---- */

#define MAX_TERMS 4 /* two operands, each expanded one level */

typedef struct term {
  sj_value *v;
  int sign; /* +1 numerator, -1 denominator, 0 cancelled */
} term;

/* Appends v's factors: the operands of a mul or div, or v itself. */
static void expand(sj_value *v, int sign, term *t, int *n, bool *expanded) {
  sj_op *d = v->def;
  if (d && (d->code == SJ_OP_MUL || d->code == SJ_OP_DIV)) {
    t[(*n)++] = (term){sj_opnd(d, 0), sign};
    t[(*n)++] = (term){sj_opnd(d, 1), d->code == SJ_OP_DIV ? -sign : sign};
    *expanded = true;
  } else t[(*n)++] = (term){v, sign};
}

/* Cancels pairs of equal values on opposite sides; returns how many. */
static int cancel_pairs(term *t, int n) {
  int k = 0;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n && t[i].sign; j++)
      if (t[j].sign == -t[i].sign && t[j].v == t[i].v) t[i].sign = t[j].sign = 0, k++;
  return k;
}

/* The broadcast type of the remaining terms (false if none remain). */
static bool terms_type(const term *t, int n, sj_type *out) {
  bool any = false;
  for (int i = 0; i < n; i++) {
    if (!t[i].sign) continue;
    if (any && !sj_broadcast_shapes(out, &t[i].v->type, out)) return false;
    if (!any) *out = t[i].v->type;
    any = true;
  }
  return any;
}

/* Product of the terms on side `sign`, left to right; NULL if none. */
static sj_value *product(sj_rewriter *rw, sj_op *pos, const term *t, int n, int sign) {
  sj_value *p = NULL;
  for (int i = 0; i < n; i++)
    if (t[i].sign == sign) p = p ? sj_canon_binary(rw, pos, SJ_OP_MUL, p, t[i].v, p->type.dt) : t[i].v;
  return p;
}

bool sj_canon_cancel_factor(sj_rewriter *rw, sj_op *op) {
  if ((op->code != SJ_OP_MUL && op->code != SJ_OP_DIV) || !sj_canon_is_float(sj_res(op, 0)) ||
      !sj_canon_fast_math(rw))
    return false;
  term t[MAX_TERMS];
  int n = 0;
  bool expanded = false;
  expand(sj_opnd(op, 0), 1, t, &n, &expanded);
  expand(sj_opnd(op, 1), op->code == SJ_OP_DIV ? -1 : 1, t, &n, &expanded);
  if (!expanded || !cancel_pairs(t, n)) return false;
  const sj_type *r = &sj_res(op, 0)->type;
  sj_type rt;
  if (!terms_type(t, n, &rt)) { /* everything cancelled: 1 */
    if (!sj_canon_static(r)) return false;
    sj_canon_replace(rw, op, sj_canon_splat_new(rw, op, *r, 1));
    return true;
  }
  if (!sj_canon_fits(&(sj_value){.type = rt}, r)) return false;
  sj_value *num = product(rw, op, t, n, 1), *den = product(rw, op, t, n, -1);
  if (!num) num = sj_canon_splat_new(rw, op, sj_canon_scalar_like(r, r->dt), 1);
  sj_value *v = den ? sj_canon_binary(rw, op, SJ_OP_DIV, num, den, r->dt) : num;
  sj_canon_replace(rw, op, sj_canon_fit(rw, op, v, r));
  return true;
}
