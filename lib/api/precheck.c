/* Launch preconditions: what a kernel requires of its arguments' shapes so
 * that every load and store is in bounds. Derived from the kernel body when
 * the function is compiled, from the forms the IR states explicitly: each
 * index is the constant 0 (the dim must be >= 1), a loop variable over
 * [0, n), or `clamp %i, %n` (the dim must be n and not empty), where n is a
 * constant or `dim` of a kernel parameter, or, into a static dim n, a
 * constant or `c + i * s` over a constant-bound loop whose every value is
 * in [0, n) (proven at compile time; the dim must be n). Anything else is refused at
 * compile time, so a kernel never runs on shapes that would make it read or
 * write out of bounds. Checked before each call's first kernel runs. */
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "opinfo.h"

/* ---- compile time: kernel analysis ---- */

static bool const_int(const sj_value *v, int64_t *out) {
  const sj_op *d = v->def;
  const sj_attr *a = d && d->code == SJ_OP_CONSTANT ? sj_op_attr(d, "value") : NULL;
  if (!a || a->kind != SJ_ATTR_INT) return false;
  *out = a->u.i;
  return true;
}

static void add_check(step *s, kcheck k) {
  for (unsigned i = 0; i < s->nchecks; i++)
    if (!memcmp(&s->checks[i], &k, sizeof k)) return;
  kcheck *grown = realloc(s->checks, (s->nchecks + 1) * sizeof *s->checks);
  if (!grown) {
    s->checks_nomem = true;
    return;
  }
  s->checks = grown;
  s->checks[s->nchecks++] = k;
}

/* Requires dim k.dim of argument k.arg to equal n, a constant or `dim` of
 * a kernel parameter; false otherwise. */
static bool extent_check(step *s, kcheck k, const sj_value *n) {
  if (const_int(n, &k.c)) {
    k.kind = CK_EQ_CONST;
    add_check(s, k);
    return true;
  }
  const sj_op *d = n->def;
  if (!d || d->code != SJ_OP_DIM || sj_opnd(d, 0)->def) return false;
  k.kind = CK_EQ_DIM;
  k.arg2 = sj_opnd(d, 0)->index;
  k.dim2 = (unsigned)sj_op_int(d, "axis", 0);
  if (k.arg2 != k.arg || k.dim2 != k.dim) add_check(s, k);
  return true;
}

static bool is_loop_var_from_0(const sj_value *idx) {
  const sj_op *loop = idx->def ? NULL : idx->owner->parent;
  int64_t lo;
  return loop && (loop->code == SJ_OP_FOR || loop->code == SJ_OP_PARALLEL_FOR) && idx->index == 0 &&
         const_int(sj_opnd(loop, 0), &lo) && lo == 0;
}

/* Dim j of the parameter a load/store addresses (its static size, or SJ_DYN). */
static int64_t mem_param_dim(const sj_op *mem, unsigned j) {
  const sj_value *buf = sj_opnd(mem, mem->code == SJ_OP_LOAD ? 0 : 1);
  return (int)j < buf->type.rank ? buf->type.dims[j] : SJ_DYN;
}

/* A static index into a static dim n of the parameter (lower-to-loops'
 * slices of static axes): a constant c, or `add c, i` / `add c, mul(i, s)`
 * with c, s constants and i a loop variable over [0, L), L a constant;
 * true when every value it takes is in [0, n), proven here once. */
static bool static_in_bounds(const sj_value *idx, int64_t n) {
  int64_t c, st = 1, len, last;
  if (const_int(idx, &c)) return c >= 0 && c < n;
  const sj_op *d = idx->def;
  if (!d || d->code != SJ_OP_ADD || !const_int(sj_opnd(d, 0), &c)) return false;
  const sj_value *i = sj_opnd(d, 1);
  const sj_op *m = i->def;
  if (m && m->code == SJ_OP_MUL && const_int(sj_opnd(m, 1), &st)) i = sj_opnd(m, 0);
  if (!is_loop_var_from_0(i) || !const_int(sj_opnd(i->owner->parent, 1), &len)) return false;
  if (len <= 0) return true; /* the loop never runs */
  if (__builtin_mul_overflow(len - 1, st, &last) || __builtin_add_overflow(c, last, &last)) return false;
  return c >= 0 && c < n && last >= 0 && last < n;
}

/* An index that must address a non-empty dim (the constant 0, a clamp):
 * not needed at all when an enclosing loop of the access is statically
 * empty, and only when a dynamic one runs, i.e. when the `dim` of a
 * parameter that bounds it (the innermost such loop) is not 0. */
static void nonempty_check(step *s, kcheck k, const sj_op *mem) {
  for (const sj_block *b = mem->block; b && b->parent; b = b->parent->block) {
    const sj_op *loop = b->parent;
    int64_t lo, hi;
    if ((loop->code != SJ_OP_FOR && loop->code != SJ_OP_PARALLEL_FOR) || !const_int(sj_opnd(loop, 0), &lo) || lo < 0)
      continue;
    if (const_int(sj_opnd(loop, 1), &hi)) {
      if (hi <= lo) return; /* the access never runs */
      continue;
    }
    const sj_op *d = sj_opnd(loop, 1)->def;
    if (!k.guarded && d && d->code == SJ_OP_DIM && !sj_opnd(d, 0)->def) {
      k.guarded = true;
      k.garg = sj_opnd(d, 0)->index;
      k.gdim = (unsigned)sj_op_int(d, "axis", 0);
    }
  }
  k.kind = CK_NONEMPTY;
  add_check(s, k);
}

/* Index `idx` used at dim j of kernel param p. */
static sj_status index_check(sj_ctx *c, step *s, const sj_op *mem, unsigned p, unsigned j, const sj_value *idx) {
  kcheck k;
  int64_t v;
  memset(&k, 0, sizeof k);
  k.arg = p, k.dim = j;
  if (const_int(idx, &v) && v == 0) {
    nonempty_check(s, k, mem);
    return SJ_OK;
  }
  if (is_loop_var_from_0(idx) && extent_check(s, k, sj_opnd(idx->owner->parent, 1))) return SJ_OK;
  int64_t n = mem_param_dim(mem, j);
  if (n != SJ_DYN && static_in_bounds(idx, n)) { /* the argument's dim must be that n */
    k.kind = CK_EQ_CONST;
    k.c = n;
    add_check(s, k);
    return SJ_OK;
  }
  if (idx->def && idx->def->code == SJ_OP_CLAMP && extent_check(s, k, sj_opnd(idx->def, 1))) {
    nonempty_check(s, k, mem);
    return SJ_OK;
  }
  return sj_api_fail(c, mem,
                     "'%s' op: index %u is neither 0, nor a loop variable over [0, n), nor a clamp into [0, n) "
                     "(n a constant or a dim of a parameter), nor a constant or c + i * s inside a static dim; "
                     "its bounds cannot be checked before the kernel runs",
                     sj_op_name(mem), j);
}

sj_status sj_api_analyze_kernel(sj_ctx *c, const sj_op *k, step *s) {
  sj_op_vec ops = {0};
  sj_collect_ops(k->regions[0], &ops);
  sj_status st = SJ_OK;
  for (size_t i = 0; i < ops.n && !st; i++) {
    const sj_op *o = ops.v[i];
    unsigned first = o->code == SJ_OP_LOAD ? 1 : o->code == SJ_OP_STORE ? 2 : 0;
    if (!first) continue;
    const sj_value *buf = sj_opnd(o, first - 1);
    if (buf->def) {
      st = sj_api_fail(c, o, "'%s' op: buffer must be a kernel parameter", sj_op_name(o));
      break;
    }
    for (unsigned j = first; j < o->nopnds && !st; j++) st = index_check(c, s, o, buf->index, j - first, sj_opnd(o, j));
  }
  sj_op_vec_free(&ops);
  if (!st && s->checks_nomem) st = sj_api_nomem(c, k, "out of memory analyzing kernel @%s", sj_func_name(k));
  return st;
}

/* ---- call time ---- */

sj_status sj_api_check_launch(sj_function *f, const step *s) {
  const char *kn = sj_op_sym(s->op, s->op->code == SJ_OP_LAUNCH ? "kernel" : "epilogue");
  /* a launch that writes only empty buffers is skipped: no clamped index is
   * ever read, so an empty indexed axis is fine (numpy's take of no indices
   * from an empty axis); the equalities still hold the shapes to account */
  bool skipped = sj_api_writes_nothing(f, s);
  for (unsigned i = 0; i < s->nchecks; i++) {
    const kcheck *k = &s->checks[i];
    if (k->kind == CK_NONEMPTY && (skipped || (k->guarded && sj_api_dims(f, s->args[k->garg])[k->gdim] == 0))) continue;
    int a = s->args[k->arg];
    int64_t d = sj_api_dims(f, a)[k->dim];
    int64_t want = k->kind == CK_EQ_CONST ? k->c : k->kind == CK_NONEMPTY ? 1 : sj_api_dims(f, s->args[k->arg2])[k->dim2];
    bool ok = k->kind == CK_NONEMPTY ? d >= 1 : d == want;
    if (ok) continue;
    char sa[128], sb[128];
    sj_api_shape_str(f, a, sa, sizeof sa);
    if (k->kind == CK_EQ_DIM) {
      int b = s->args[k->arg2];
      sj_api_shape_str(f, b, sb, sizeof sb);
      return sj_api_fail(f->ctx, s->op,
                         "shape mismatch before kernel @%s: dim %u of %s (%s) is %lld but must equal dim %u of %s (%s), %lld",
                         kn, k->dim, f->slots[a].name, sa, (long long)d, k->dim2, f->slots[b].name, sb, (long long)want);
    }
    return sj_api_fail(f->ctx, s->op, "shape mismatch before kernel @%s: dim %u of %s (%s) is %lld but must be %s%lld", kn,
                       k->dim, f->slots[a].name, sa, (long long)d, k->kind == CK_NONEMPTY ? "at least " : "",
                       (long long)want);
  }
  /* static dims need no check here: the verifier matched them to the parameters */
  return SJ_OK;
}
