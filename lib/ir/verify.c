/* Verifier. Generic rules (arity, attributes, inferred result types,
 * definitions before uses, terminators, isolation of funcs and fused bodies)
 * are here; op-specific rules are registry callbacks in opdefs.c. */
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"
#include "verify.h"

#define TYS(t, buf) sj_type_str((t), (buf), sizeof(buf))

static sj_status check_arity(sj_ctx *c, const sj_op *op, const sj_opinfo *oi) {
  if ((int)op->nopnds < oi->min_opnds || (oi->max_opnds >= 0 && (int)op->nopnds > oi->max_opnds)) {
    if (oi->min_opnds == oi->max_opnds)
      return sj_emit_error(c, op->loc, "'%s' op expects %d operand%s, got %u", oi->name,
                           oi->min_opnds, oi->min_opnds == 1 ? "" : "s", op->nopnds);
    return sj_emit_error(c, op->loc, "'%s' op expects %d to %d operands, got %u", oi->name,
                         oi->min_opnds, oi->max_opnds, op->nopnds);
  }
  if (oi->nresults >= 0 && (int)op->nresults != oi->nresults)
    return sj_emit_error(c, op->loc, "'%s' op has %d result%s, got %u", oi->name, oi->nresults,
                         oi->nresults == 1 ? "" : "s", op->nresults);
  if (oi->nregions < 0 ? op->nregions > 1 : (int)op->nregions != oi->nregions)
    return sj_emit_error(c, op->loc, "'%s' op has %d region%s, got %u", oi->name, oi->nregions,
                         oi->nregions == 1 ? "" : "s", op->nregions);
  for (unsigned i = 0; i < op->nopnds; i++)
    if (!sj_opnd(op, i))
      return sj_emit_error(c, op->loc, "'%s' op operand %u is missing", oi->name, i);
  return SJ_OK;
}

/* Every result and block argument must be an array that can exist, before
 * any rule multiplies its dims (sj_type_fits). */
static sj_status check_sizes(sj_ctx *c, const sj_op *op) {
  char x[SJ_TYPE_STR_CAP];
  for (unsigned i = 0; i < op->nresults; i++)
    if (!sj_type_fits(&sj_res(op, i)->type))
      return sj_emit_error(c, op->loc, "'%s' op result %u has type %s, over 2^63 bytes (zero dims aside)",
                           sj_op_name(op), i, TYS(&sj_res(op, i)->type, x));
  for (unsigned r = 0; r < op->nregions; r++)
    for (unsigned a = 0; op->regions[r] && a < op->regions[r]->nargs; a++)
      if (!sj_type_fits(&op->regions[r]->args[a]->type))
        return sj_emit_error(c, op->loc, "'%s' op argument %u has type %s, over 2^63 bytes (zero dims aside)",
                             sj_op_name(op), a, TYS(&op->regions[r]->args[a]->type, x));
  return SJ_OK;
}

sj_status sj_verify_op(sj_ctx *c, const sj_op *op) {
  const sj_opinfo *oi = sj_opinfo_get(op->code);
  if (check_arity(c, op, oi) || check_sizes(c, op) || sj_verify_attrs(c, op)) return SJ_ERR_VERIFY;
  if (oi->infer) {
    sj_type t;
    if (oi->infer(c, op, &t)) return SJ_ERR_VERIFY;
    const sj_type *r = &sj_res(op, 0)->type;
    if (!sj_type_eq(&t, r)) {
      char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
      return sj_emit_error(c, op->loc, "'%s' op result type %s does not match the inferred type %s",
                           oi->name, TYS(r, x), TYS(&t, y));
    }
  }
  if (oi->verify && oi->verify(c, op)) return SJ_ERR_VERIFY;
  if ((oi->flags & SJ_F_TERMINATOR) && op->next)
    return sj_emit_error(c, op->loc, "'%s' op must be the last op of its block", oi->name);
  return SJ_OK;
}

/* Innermost enclosing op that isolates its body (func, kernel, fused). */
static const sj_op *isolating_parent(const sj_op *op) {
  for (const sj_block *b = op->block; b && b->parent; b = b->parent->block)
    if (sj_op_has(b->parent, SJ_F_ISOLATED)) return b->parent;
  return NULL;
}

/* Each operand must be visible (same block or an enclosing one), defined
 * earlier in pre-order (scratch holds the pre-order number), and not cross
 * an isolating boundary. */
static sj_status check_operands(sj_ctx *c, const sj_op *op) {
  const sj_op *iso = isolating_parent(op);
  for (unsigned i = 0; i < op->nopnds; i++) {
    const sj_value *v = sj_opnd(op, i);
    if (!v) continue; /* reported by the arity check */
    if (!v->def && (v->index >= v->owner->nargs || v->owner->args[v->index] != v))
      return sj_emit_error(c, op->loc, "'%s' op operand %u is a block argument that was removed",
                           sj_op_name(op), i);
    if (v->def && !v->def->block)
      return sj_emit_error(c, op->loc, "'%s' op operand %u is the result of an erased op",
                           sj_op_name(op), i);
    bool vis = sj_value_visible_in(v, op->block);
    bool before = !v->def || v->def->scratch < op->scratch;
    const sj_block *vb = v->def ? v->def->block : v->owner;
    bool inside = iso && (vb->parent == iso || (vb->parent && sj_op_is_ancestor(iso, vb->parent)));
    const char *nm = v->name ? v->name : "", *pre = v->name ? " %" : "";
    if (!vis)
      return sj_emit_error(c, op->loc,
                           "'%s' op operand %u%s%s is defined in a region that does not "
                           "enclose this op",
                           sj_op_name(op), i, pre, nm);
    if (!before)
      return sj_emit_error(c, op->loc, "'%s' op operand %u%s%s is used before its definition",
                           sj_op_name(op), i, pre, nm);
    if (iso && !inside)
      return sj_emit_error(c, op->loc,
                           "'%s' op operand %u%s%s is defined outside the enclosing '%s'"
                           " (its body is isolated: pass the value as an operand)",
                           sj_op_name(op), i, pre, nm, sj_op_name(iso));
  }
  return SJ_OK;
}

/* Only scalar elementwise ops, constants and yield live in a fused body. */
static sj_status check_fused_member(sj_ctx *c, const sj_op *op) {
  const sj_op *p = op->block->parent;
  if (!p || p->code != SJ_OP_FUSED) return SJ_OK;
  unsigned f = sj_opinfo_get(op->code)->flags;
  if (op->code == SJ_OP_YIELD) return SJ_OK;
  if (!(f & (SJ_F_ELEMWISE | SJ_F_CONSTANT)) || sj_res(op, 0)->type.is_tensor)
    return sj_emit_error(c, op->loc,
                         "'%s' op is not allowed in a 'fused' body (only scalar elementwise ops)",
                         sj_op_name(op));
  return SJ_OK;
}

unsigned sj_func_results(const sj_op *f, const sj_type **types, unsigned cap) {
  sj_op *r = f->regions[0]->last;
  if (!r || r->code != SJ_OP_RETURN) return 0;
  for (unsigned i = 0; i < r->nopnds && i < cap; i++) types[i] = &sj_opnd(r, i)->type;
  return r->nopnds;
}

/* Module-level symbols sorted by (name, position): lookups and duplicate
 * checks in O(log n) instead of a walk of the module per launch or per
 * symbol (a lowered module has a kernel per launch). */
typedef struct symidx {
  const char *name;
  sj_op *op;
  size_t pos;
} symidx;

static int cmp_sym(const void *a, const void *b) {
  const symidx *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* The first symbol named `name` in module order (as sj_module_lookup). */
static sj_op *find_sym(const symidx *v, size_t n, const char *name) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(v[mid].name, name) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && !strcmp(v[lo].name, name) ? v[lo].op : NULL;
}

/* launch (and a gemm's epilogue): callee exists, is a kernel, and the
 * arguments from operand `first` on match its parameters. */
static sj_status check_callee(sj_module *m, const symidx *syms, size_t nsyms, const sj_op *op, const char *attr,
                              unsigned first) {
  sj_ctx *c = m->ctx;
  const char *sym = sj_op_sym(op, attr), *on = sj_op_name(op);
  sj_op *k = sym ? find_sym(syms, nsyms, sym) : NULL;
  if (k && k->code != SJ_OP_KERNEL)
    return sj_emit_error(c, op->loc, "'%s' op refers to @%s, which is a '%s', not a kernel", on,
                         sym, sj_op_name(k));
  if (!k)
    return sj_emit_error(c, op->loc, "'%s' op refers to unknown kernel @%s", on, sym ? sym : "");
  sj_block *b = k->regions[0];
  unsigned n = op->nopnds - first;
  if (b->nargs != n)
    return sj_emit_error(c, op->loc, "'%s' op passes %u argument%s but @%s takes %u", on,
                         n, n == 1 ? "" : "s", sym, b->nargs);
  for (unsigned i = 0; i < n; i++) {
    const sj_type *a = &sj_opnd(op, first + i)->type, *p = &b->args[i]->type;
    char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
    bool ok = a->dt == p->dt && a->is_tensor == p->is_tensor && a->rank == p->rank;
    for (int d = 0; ok && d < a->rank; d++)
      ok = p->dims[d] == SJ_DYN || a->dims[d] == p->dims[d];
    if (!ok)
      return sj_emit_error(c, op->loc, "'%s' op argument %u has type %s but @%s expects %s", on,
                           i, TYS(a, x), sym, TYS(p, y));
  }
  return SJ_OK;
}

/* Builds the sorted index (*out, freed by the caller) and reports the first
 * module-level op, in module order, that is not a symbol or redefines one.
 * A symbol redefines when an earlier one has its name: in sorted order,
 * its left neighbour has the same name. */
static sj_status check_symbols(sj_module *m, symidx **out, size_t *nout) {
  size_t n = 0;
  for (sj_op *f = m->body->first; f; f = f->next) n++;
  symidx *v = sj_scratch_realloc(NULL, n ? n : 1, sizeof *v);
  if (!v) return sj_emit_error(m->ctx, (sj_loc){0}, "out of memory verifying the module"), SJ_ERR_NOMEM;
  n = 0;
  for (sj_op *f = m->body->first; f; f = f->next, n++) v[n] = (symidx){sj_func_name(f), f, n};
  qsort(v, n, sizeof *v, cmp_sym);
  for (size_t i = 0; i < n; i++) v[i].op->scratch = i && !strcmp(v[i - 1].name, v[i].name);
  *out = v, *nout = n;
  for (sj_op *f = m->body->first; f; f = f->next) {
    if (!sj_op_has(f, SJ_F_SYMBOL))
      return sj_emit_error(m->ctx, f->loc, "'%s' op cannot appear at module level",
                           sj_op_name(f));
    if (f->scratch) return sj_emit_error(m->ctx, f->loc, "redefinition of symbol @%s", sj_func_name(f));
  }
  return SJ_OK;
}

sj_status sj_verify_module(sj_module *m) {
  sj_ctx *c = m->ctx;
  symidx *syms = NULL;
  size_t nsyms = 0;
  if (check_symbols(m, &syms, &nsyms)) {
    sj_scratch_free(syms);
    return SJ_ERR_VERIFY;
  }
  sj_op_vec all = {0};
  sj_collect_ops(m->body, &all);
  sj_status st = SJ_OK;
  for (size_t i = 0; i < all.n; i++) all.v[i]->scratch = (unsigned)i;
  for (size_t i = 0; i < all.n && st == SJ_OK; i++) {
    sj_op *op = all.v[i];
    if (op->block != m->body && sj_op_has(op, SJ_F_SYMBOL))
      st = sj_emit_error(c, op->loc, "'%s' op must be at module level", sj_op_name(op));
    else if (check_operands(c, op) || sj_verify_op(c, op) || check_fused_member(c, op))
      st = SJ_ERR_VERIFY;
    else if (op->code == SJ_OP_LAUNCH)
      st = check_callee(m, syms, nsyms, op, "kernel", 0);
    else if (sj_op_attr(op, "epilogue")) /* gemm, conv_gemm: z, if any, precedes the epilogue's args */
      st = check_callee(m, syms, nsyms, op, "epilogue", 3 + (sj_op_attr(op, "beta") != NULL));
  }
  sj_scratch_free(syms);
  sj_op_vec_free(&all);
  return st;
}
