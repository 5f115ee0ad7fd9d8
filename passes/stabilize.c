/* stabilize: rewrites naive spellings of log/exp formulas into the ops that
 * compute them without overflow or cancellation (Theano's stabilize
 * optimizations), as patterns for the greedy driver, on tensors and on
 * scalars in fused and kernel bodies. docs/stabilize.md lists the rewrites;
 * docs/decisions/0007-stabilize.md says why they run before constant-fold.
 *
 *   log(1 + exp(x)), log1p(exp(x))         -> softplus(x)
 *   log(sigmoid(x))                        -> -softplus(-x)
 *   log(1 - sigmoid(x)), log1p(-sigmoid(x))-> -softplus(x)
 *   log(exp(x) + exp(y))                   -> logaddexp(x, y)
 *   log(1 + x) -> log1p(x); log(1 - x)     -> log1p(-x)
 *   exp(x) - 1 -> expm1(x); 1 - exp(x)     -> -expm1(x)
 *   exp(x) / (1 + exp(x)), 1 / (1 + exp(-x)) -> sigmoid(x)
 *   (and the shapes reverse mode builds from these:)
 *   (a / (1 + exp(x))) * exp(x), (a * exp(x)) / (1 + exp(x)) -> a * sigmoid(x)
 *   (a / s) * (s * b) -> a * b   for s = sigmoid(x) or 1 - sigmoid(x)
 *
 * "1" is a float constant whose every element is exactly 1 (a splat, a
 * dense literal of ones, or a reshape/broadcast_to/cast of one; -1 alike). Every rewrite
 * keeps the result type: a result that broadcasting made larger than what
 * the stable form computes gets a broadcast_to (static shapes only); else
 * the rewrite is not applied. Patterns first check in a dry run (types only,
 * nothing built) and then build, so a refused rewrite leaves no trace. */
#include <math.h>

#include "canon.h"
#include "opinfo.h"
#include "registry.h"
#include "rewrite.h"

/* How deep the exp-absorbing pattern looks into a gradient expression: the
 * VJP shapes it serves are a few ops deep; the bound keeps the work per op
 * constant (sums branch, so it visits at most 2^depth ops). */
#define MAX_ABSORB_DEPTH 6

/* ---- matching ---- */

static sj_op *def_of(const sj_value *v, sj_opcode code) {
  return v && v->def && v->def->code == code ? v->def : NULL;
}


/* Ops that keep the value of a constant +-1: shape ops, and casts to a
 * dtype other than bool (+-1 is exact in every other dtype; bool would turn
 * -1 into 1). */
static bool keeps_unit(const sj_op *d) {
  if (!d) return false;
  if (d->code == SJ_OP_CAST) return sj_res(d, 0)->type.dt != SJ_BOOL;
  return d->code == SJ_OP_RESHAPE || d->code == SJ_OP_BROADCAST_TO;
}

/* v is a float constant all of whose elements are exactly k (+1 or -1),
 * through reshapes, broadcasts and casts of a constant. */
static bool is_const(const sj_value *v, double k) {
  if (!sj_canon_is_float(v)) return false;
  while (keeps_unit(v->def)) v = sj_opnd(v->def, 0);
  const sj_op *d = def_of(v, SJ_OP_CONSTANT);
  if (!d) return false;
  const sj_attr *a = sj_op_attr(d, "value");
  if (a->kind == SJ_ATTR_FLOAT) return a->u.f == k;
  if (a->kind == SJ_ATTR_INT) return (double)a->u.i == k;
  if (a->kind != SJ_ATTR_DENSE || a->u.dense.n == 0) return false;
  for (int i = 0; i < a->u.dense.n; i++)
    if (a->u.dense.v[i] != k) return false;
  return true;
}

static bool is_one(const sj_value *v) { return is_const(v, 1.0); }

/* How deep equiv compares two expressions: enough for exp(-x) against
 * exp(-x) built twice (the pass runs before cse). */
#define MAX_EQUIV_DEPTH 3

/* a and b compute the same value: the same value, equal constants, or the
 * same elementwise op (pure) without attributes on equivalent operands. */
static bool equiv(const sj_value *a, const sj_value *b, int depth) {
  if (a == b) return true;
  if (!a || !b || !a->def || !b->def || depth == 0 || !sj_type_eq(&a->type, &b->type)) return false;
  const sj_op *x = a->def, *y = b->def;
  if (x->code != y->code || x->nopnds != y->nopnds || x->nresults != 1 || y->nresults != 1) return false;
  if (x->code == SJ_OP_CONSTANT) return sj_attr_eq(sj_op_attr(x, "value"), sj_op_attr(y, "value"));
  if (!sj_op_has(x, SJ_F_ELEMWISE) || x->nattrs || y->nattrs || x->nregions) return false;
  for (unsigned i = 0; i < x->nopnds; i++)
    if (!equiv(sj_opnd(x, i), sj_opnd(y, i), depth - 1)) return false;
  return true;
}

static bool same(const sj_value *a, const sj_value *b) { return equiv(a, b, MAX_EQUIV_DEPTH); }

/* a = -b */
static bool is_neg_of(const sj_value *a, const sj_value *b) {
  sj_op *n = def_of(a, SJ_OP_NEG);
  return n && same(sj_opnd(n, 0), b);
}

/* exp(x): x, else NULL. */
static sj_value *exp_arg(const sj_value *v) {
  sj_op *d = def_of(v, SJ_OP_EXP);
  return d ? sj_opnd(d, 0) : NULL;
}

/* a + 1 or 1 + a: a, else NULL. */
static sj_value *plus_one(const sj_value *v) {
  sj_op *d = def_of(v, SJ_OP_ADD);
  if (!d) return NULL;
  if (is_one(sj_opnd(d, 0))) return sj_opnd(d, 1);
  return is_one(sj_opnd(d, 1)) ? sj_opnd(d, 0) : NULL;
}

/* 1 - a: a, else NULL. */
static sj_value *one_minus(const sj_value *v) {
  sj_op *d = def_of(v, SJ_OP_SUB);
  return d && is_one(sj_opnd(d, 0)) ? sj_opnd(d, 1) : NULL;
}

/* One term of a two-term sum that is a softmax denominator: exp(arg), or
 * the constant 1 = exp(0) (arg NULL). */
typedef struct term {
  sj_value *v, *arg;
} term;

static bool as_term(sj_value *v, term *t) {
  t->v = v;
  t->arg = exp_arg(v);
  return t->arg || is_one(v);
}

/* v = P + Q with P, Q each exp(.) or 1, not both 1. */
static bool exp_pair(const sj_value *v, term t[2]) {
  sj_op *d = def_of(v, SJ_OP_ADD);
  if (!d || !as_term(sj_opnd(d, 0), &t[0]) || !as_term(sj_opnd(d, 1), &t[1])) return false;
  return t[0].arg || t[1].arg;
}

/* u denotes the same value as term t: the same value, the same exp
 * argument (exp ops not yet merged by cse), or a 1 for a 1. */
static bool same_term(const sj_value *u, const term *t) {
  if (u == t->v) return true;
  if (!t->arg) return is_one(u);
  return exp_arg(u) && same(exp_arg(u), t->arg);
}

/* Which term of the pair u is (0 or 1), or -1. */
static int which_term(const sj_value *u, const term t[2]) {
  return same_term(u, &t[0]) ? 0 : same_term(u, &t[1]) ? 1 : -1;
}

/* ---- building, with a dry run ---- */

/* A value being built; in a dry run only its type. */
typedef struct tv {
  sj_value *v;
  sj_type t;
} tv;

typedef struct bld {
  sj_rewriter *rw;
  sj_op *pos;
  bool dry;
} bld;

static tv val(sj_value *v) { return (tv){v, v->type}; }

static bool un(bld *b, sj_opcode code, tv a, tv *out) {
  out->t = a.t;
  out->v = b->dry ? NULL : sj_res(sj_rw_create(b->rw, b->pos, code, 1, &a.v, a.t), 0);
  return true;
}

/* A broadcasting binary op; false if the operands do not broadcast. */
static bool bin(bld *b, sj_opcode code, tv a, tv c, tv *out) {
  sj_type t;
  if (a.t.dt != c.t.dt || !sj_broadcast_shapes(&a.t, &c.t, &t)) return false;
  out->t = t;
  sj_value *ops[2] = {a.v, c.v};
  out->v = b->dry ? NULL : sj_res(sj_rw_create(b->rw, b->pos, code, 2, ops, t), 0);
  return true;
}

/* -x, folding a double negation. */
static bool negate(bld *b, tv x, tv *out) {
  sj_op *n = x.v ? def_of(x.v, SJ_OP_NEG) : NULL;
  if (n) return *out = val(sj_opnd(n, 0)), true;
  return un(b, SJ_OP_NEG, x, out);
}

/* Builds op's replacement (or its type in a dry run). */
typedef bool (*builder)(bld *b, sj_op *op, tv *out);

/* r can stand for a value of type want, directly or through a broadcast_to. */
static bool fits(const sj_type *r, const sj_type *want, bool *needs_bcast) {
  *needs_bcast = !sj_type_eq(r, want);
  if (!*needs_bcast) return true;
  return r->dt == want->dt && r->is_tensor && want->is_tensor && sj_canon_static(want) &&
         sj_broadcastable_to(r, want);
}

/* Dry run, then build and replace op's result. */
static bool rewrite(sj_rewriter *rw, sj_op *op, builder fn) {
  if (op->nresults != 1 || !sj_canon_is_float(sj_res(op, 0))) return false;
  sj_value *res = sj_res(op, 0);
  bld b = {rw, op, true};
  tv r;
  bool bc;
  if (!fn(&b, op, &r) || !fits(&r.t, &res->type, &bc)) return false;
  b.dry = false;
  fn(&b, op, &r);
  if (bc) r.v = sj_res(sj_rw_create(rw, op, SJ_OP_BROADCAST_TO, 1, &r.v, res->type), 0);
  sj_rw_replace_op(rw, op, &r.v);
  return true;
}

/* sigmoid(t[i].arg - t[1-i].arg), the share of term i in t[0] + t[1]
 * (a 1 is exp(0)): t[i] / (t[0] + t[1]). */
static bool share(bld *b, const term t[2], int i, tv *out) {
  const term *me = &t[i], *other = &t[1 - i];
  tv d;
  if (!me->arg) {
    if (!negate(b, val(other->arg), &d)) return false;
  } else if (!other->arg) {
    d = val(me->arg);
  } else if (!bin(b, SJ_OP_SUB, val(me->arg), val(other->arg), &d)) {
    return false;
  }
  return un(b, SJ_OP_SIGMOID, d, out);
}

/* ---- log family ---- */

/* log(1 + exp(x)) -> softplus(x); log(exp(x) + exp(y)) -> logaddexp(x, y) */
static bool b_log_exp_pair(bld *b, sj_op *op, tv *out) {
  term t[2];
  if (op->code != SJ_OP_LOG || !exp_pair(sj_opnd(op, 0), t)) return false;
  if (t[0].arg && t[1].arg) return bin(b, SJ_OP_LOGADDEXP, val(t[0].arg), val(t[1].arg), out);
  return un(b, SJ_OP_SOFTPLUS, val(t[0].arg ? t[0].arg : t[1].arg), out);
}

/* log1p(exp(x)) -> softplus(x) */
static bool b_log1p_exp(bld *b, sj_op *op, tv *out) {
  sj_value *x = op->code == SJ_OP_LOG1P ? exp_arg(sj_opnd(op, 0)) : NULL;
  return x && un(b, SJ_OP_SOFTPLUS, val(x), out);
}

static bool softplus_rewrite(sj_rewriter *rw, sj_op *op) {
  if (op->code == SJ_OP_LOG) {
    term t[2];
    return exp_pair(sj_opnd(op, 0), t) && !(t[0].arg && t[1].arg) && rewrite(rw, op, b_log_exp_pair);
  }
  return rewrite(rw, op, b_log1p_exp);
}

static bool logaddexp_rewrite(sj_rewriter *rw, sj_op *op) {
  term t[2];
  if (op->code != SJ_OP_LOG || !exp_pair(sj_opnd(op, 0), t) || !t[0].arg || !t[1].arg) return false;
  return rewrite(rw, op, b_log_exp_pair);
}

/* log(sigmoid(x)) -> -softplus(-x) */
static bool b_log_sigmoid(bld *b, sj_op *op, tv *out) {
  sj_op *s = op->code == SJ_OP_LOG ? def_of(sj_opnd(op, 0), SJ_OP_SIGMOID) : NULL;
  tv nx, sp;
  return s && negate(b, val(sj_opnd(s, 0)), &nx) && un(b, SJ_OP_SOFTPLUS, nx, &sp) && un(b, SJ_OP_NEG, sp, out);
}

static bool log_sigmoid(sj_rewriter *rw, sj_op *op) { return rewrite(rw, op, b_log_sigmoid); }

/* log(1 - sigmoid(x)), log1p(-sigmoid(x)) -> -softplus(x) */
static bool b_log1m_sigmoid(bld *b, sj_op *op, tv *out) {
  sj_value *s = NULL;
  if (op->code == SJ_OP_LOG) s = one_minus(sj_opnd(op, 0));
  else if (op->code == SJ_OP_LOG1P && def_of(sj_opnd(op, 0), SJ_OP_NEG)) s = sj_opnd(sj_opnd(op, 0)->def, 0);
  sj_op *sg = def_of(s, SJ_OP_SIGMOID);
  tv sp;
  return sg && un(b, SJ_OP_SOFTPLUS, val(sj_opnd(sg, 0)), &sp) && un(b, SJ_OP_NEG, sp, out);
}

static bool log1m_sigmoid(sj_rewriter *rw, sj_op *op) { return rewrite(rw, op, b_log1m_sigmoid); }

/* log(1 + x) -> log1p(x); log(1 - x) -> log1p(-x) */
static bool b_log1p(bld *b, sj_op *op, tv *out) {
  if (op->code != SJ_OP_LOG) return false;
  sj_value *x = plus_one(sj_opnd(op, 0));
  if (x) return un(b, SJ_OP_LOG1P, val(x), out);
  tv nx;
  x = one_minus(sj_opnd(op, 0));
  return x && un(b, SJ_OP_NEG, val(x), &nx) && un(b, SJ_OP_LOG1P, nx, out);
}

static bool log1p_rewrite(sj_rewriter *rw, sj_op *op) { return rewrite(rw, op, b_log1p); }

/* ---- exp family ---- */

/* exp(x) - 1, exp(x) + (-1), (-1) + exp(x) -> expm1(x); 1 - exp(x) -> -expm1(x) */
static bool is_minus_one(const sj_value *v) { return is_const(v, -1.0); }

static bool b_expm1(bld *b, sj_op *op, tv *out) {
  sj_value *l = sj_opnd(op, 0), *r = op->nopnds > 1 ? sj_opnd(op, 1) : NULL, *x = NULL;
  bool negated = false;
  if (op->code == SJ_OP_SUB && is_one(r)) x = exp_arg(l);
  else if (op->code == SJ_OP_SUB && is_one(l)) x = exp_arg(r), negated = true;
  else if (op->code == SJ_OP_ADD && is_minus_one(r)) x = exp_arg(l);
  else if (op->code == SJ_OP_ADD && is_minus_one(l)) x = exp_arg(r);
  if (!x) return false;
  if (!negated) return un(b, SJ_OP_EXPM1, val(x), out);
  tv e;
  return un(b, SJ_OP_EXPM1, val(x), &e) && un(b, SJ_OP_NEG, e, out);
}

static bool expm1_rewrite(sj_rewriter *rw, sj_op *op) {
  return (op->code == SJ_OP_SUB || op->code == SJ_OP_ADD) && rewrite(rw, op, b_expm1);
}

/* ---- sigmoid family ---- */

/* n / (t0 + t1) where n is one of the terms -> its share (a sigmoid):
 * exp(x) / (1 + exp(x)) -> sigmoid(x), 1 / (1 + exp(z)) -> sigmoid(-z),
 * exp(x) / (exp(x) + exp(y)) -> sigmoid(x - y). */
static bool b_sigmoid(bld *b, sj_op *op, tv *out) {
  term t[2];
  if (op->code != SJ_OP_DIV || !exp_pair(sj_opnd(op, 1), t)) return false;
  int i = which_term(sj_opnd(op, 0), t);
  return i >= 0 && share(b, t, i, out);
}

static bool sigmoid_rewrite(sj_rewriter *rw, sj_op *op) { return rewrite(rw, op, b_sigmoid); }

/* E * v as an expression without the product, where E is term `e` of some
 * pair: a quotient a / (pair containing E) becomes a * share; products pass
 * E to one factor (the first that can take it), negations and quotients to
 * their operand or numerator, sums and differences to both terms. False if
 * some path has no such quotient within `depth` ops. Choices depend only on
 * the IR and depth, so the dry run and the build take the same path. */
static bool absorb(bld *b, sj_value *v, const sj_value *e, int depth, tv *out) {
  if (depth == 0 || !sj_canon_is_float(v) || !v->def) return false;
  sj_op *d = v->def;
  tv x, y;
  term t[2];
  switch (d->code) {
  case SJ_OP_DIV: {
    int i = exp_pair(sj_opnd(d, 1), t) ? which_term(e, t) : -1;
    if (i >= 0 && t[i].arg) return share(b, t, i, &x) && bin(b, SJ_OP_MUL, val(sj_opnd(d, 0)), x, out);
    return absorb(b, sj_opnd(d, 0), e, depth - 1, &x) && bin(b, SJ_OP_DIV, x, val(sj_opnd(d, 1)), out);
  }
  case SJ_OP_MUL: {
    bld probe = *b;
    probe.dry = true;
    unsigned k = absorb(&probe, sj_opnd(d, 0), e, depth - 1, &x) ? 0 : 1;
    if (!absorb(b, sj_opnd(d, k), e, depth - 1, &x)) return false;
    return k == 0 ? bin(b, SJ_OP_MUL, x, val(sj_opnd(d, 1)), out) : bin(b, SJ_OP_MUL, val(sj_opnd(d, 0)), x, out);
  }
  case SJ_OP_SIGMOID: {
    /* exp(x) * sigmoid(-x) = sigmoid(x) (the 1 / (1 + exp(x)) of above,
     * already rewritten) */
    sj_value *z = sj_opnd(d, 0), *x0 = exp_arg(e);
    return (is_neg_of(z, x0) || is_neg_of(x0, z)) && un(b, SJ_OP_SIGMOID, val(x0), out);
  }
  case SJ_OP_NEG: return absorb(b, sj_opnd(d, 0), e, depth - 1, &x) && un(b, SJ_OP_NEG, x, out);
  case SJ_OP_ADD:
  case SJ_OP_SUB:
    return absorb(b, sj_opnd(d, 0), e, depth - 1, &x) && absorb(b, sj_opnd(d, 1), e, depth - 1, &y) &&
           bin(b, d->code, x, y, out);
  default: return false;
  }
}

/* v * exp(x) or exp(x) * v where v holds a / (1 + exp(x)) (or a /
 * (exp(x) + exp(y))): what reverse mode builds for log(1 + exp(x)),
 * sigmoid spelled out and logaddexp spelled out. exp(x) overflows first,
 * so the product is inf * 0 = NaN; the absorbed form is a * sigmoid(x). */
static bool b_absorb_mul(bld *b, sj_op *op, tv *out) {
  if (op->code != SJ_OP_MUL) return false;
  for (unsigned k = 0; k < 2; k++) {
    sj_value *e = sj_opnd(op, k), *v = sj_opnd(op, 1 - k);
    bld probe = *b;
    probe.dry = true;
    tv r;
    if (exp_arg(e) && absorb(&probe, v, e, MAX_ABSORB_DEPTH, &r)) return absorb(b, v, e, MAX_ABSORB_DEPTH, out);
  }
  return false;
}

/* (a * exp(x)) / (1 + exp(x)) -> a * sigmoid(x) (either factor order). */
static bool b_absorb_div(bld *b, sj_op *op, tv *out) {
  term t[2];
  sj_op *m = op->code == SJ_OP_DIV ? def_of(sj_opnd(op, 0), SJ_OP_MUL) : NULL;
  if (!m || !exp_pair(sj_opnd(op, 1), t)) return false;
  for (unsigned k = 0; k < 2; k++) {
    int i = which_term(sj_opnd(m, k), t);
    tv s;
    if (i >= 0 && t[i].arg) return share(b, t, i, &s) && bin(b, SJ_OP_MUL, val(sj_opnd(m, 1 - k)), s, out);
  }
  return false;
}

static bool absorb_exp(sj_rewriter *rw, sj_op *op) {
  return rewrite(rw, op, b_absorb_mul) || rewrite(rw, op, b_absorb_div);
}

/* sigmoid(x) or 1 - sigmoid(x): never 0 or inf in exact arithmetic, only
 * after rounding, so cancelling it is exact where the naive form is not. */
static bool sigmoid_like(const sj_value *v) {
  return def_of(v, SJ_OP_SIGMOID) || def_of(one_minus(v), SJ_OP_SIGMOID);
}

/* (a / s) * (s * c), in any factor order, and (-(a / s)) * (s * c) ->
 * a * c (negated): the VJP of log(sigmoid(x)) and log(1 - sigmoid(x)),
 * which is inf * 0 where s rounds to 0. */
static bool b_cancel(bld *b, sj_op *op, tv *out) {
  if (op->code != SJ_OP_MUL) return false;
  for (unsigned k = 0; k < 2; k++) {
    sj_value *q = sj_opnd(op, k), *p = sj_opnd(op, 1 - k);
    sj_op *n = def_of(q, SJ_OP_NEG);
    sj_op *dv = def_of(n ? sj_opnd(n, 0) : q, SJ_OP_DIV), *m = def_of(p, SJ_OP_MUL);
    if (!dv || !m || !sigmoid_like(sj_opnd(dv, 1))) continue;
    sj_value *s = sj_opnd(dv, 1);
    sj_value *rest = same(sj_opnd(m, 0), s) ? sj_opnd(m, 1) : same(sj_opnd(m, 1), s) ? sj_opnd(m, 0) : NULL;
    tv a = val(sj_opnd(dv, 0)), r;
    if (!rest) continue;
    if (!n) return bin(b, SJ_OP_MUL, a, val(rest), out);
    return bin(b, SJ_OP_MUL, a, val(rest), &r) && un(b, SJ_OP_NEG, r, out);
  }
  return false;
}

static bool cancel_sigmoid(sj_rewriter *rw, sj_op *op) { return rewrite(rw, op, b_cancel); }

/* Indexed by statistic; on each op the first pattern that applies wins, so
 * the specific log forms come before log(1 + x). */
static const sj_pattern patterns[] = {
    [SJ_STAT_stab_softplus] = {"softplus", softplus_rewrite},
    [SJ_STAT_stab_log_sigmoid] = {"log-sigmoid", log_sigmoid},
    [SJ_STAT_stab_log1m_sigmoid] = {"log1m-sigmoid", log1m_sigmoid},
    [SJ_STAT_stab_logaddexp] = {"logaddexp", logaddexp_rewrite},
    [SJ_STAT_stab_log1p] = {"log1p", log1p_rewrite},
    [SJ_STAT_stab_expm1] = {"expm1", expm1_rewrite},
    [SJ_STAT_stab_sigmoid] = {"sigmoid", sigmoid_rewrite},
    [SJ_STAT_stab_absorb_exp] = {"absorb-exp", absorb_exp},
    [SJ_STAT_stab_cancel_sigmoid] = {"cancel-sigmoid", cancel_sigmoid},
};
#define NPATS (sizeof patterns / sizeof patterns[0])
_Static_assert(NPATS == SJ_STAT_stab_dead, "one statistic per pattern, then dead-ops-erased");

sj_status sj_pass_stabilize(sj_module *m, sj_pass_run *run) {
  return sj_apply_patterns_counted(m, patterns, NPATS, run, SJ_STAT_stab_dead);
}
