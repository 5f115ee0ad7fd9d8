/* loop-fusion: merges two launches of kernels whose outermost loops have the
 * same iteration space when the second only reads, at outer index i, what the
 * first wrote at outer index i ("fusion at the outer loop", notes/fusion.md
 * §3). Inside the merged loop, adjacent inner loops with equal bounds merge
 * too, a load of a value stored earlier in the same body at the same indices
 * is replaced by the stored value, and an intermediate buffer that is then
 * never read is removed with its stores, parameter and alloc. Repeats to a
 * fixed point, so chains (max -> sub/exp -> sum -> log -> sub) become one
 * kernel. See docs/loop-fusion.md for the legality rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"
#include "pass.h"

#define MAX_PARAMS 64 /* the kernel ABI passes parameters in one array */

/* ---- kernel shape: prologue ops, one loop, return ---- */

typedef struct knest {
  sj_op *kernel, *loop; /* top-level loop (for without carried values, or parallel_for) */
} knest;

static bool single_nest(sj_op *k, knest *out) {
  sj_op *loop = NULL;
  for (sj_op *op = sj_func_body(k)->first; op; op = op->next) {
    if (op->code == SJ_OP_RETURN) break;
    if (op->code == SJ_OP_FOR || op->code == SJ_OP_PARALLEL_FOR) {
      if (loop || op->nresults) return false;
      loop = op;
    } else if (op->code != SJ_OP_CONSTANT && op->code != SJ_OP_DIM) {
      return false;
    } else if (loop) {
      return false; /* prologue ops only before the loop */
    }
  }
  out->kernel = k;
  out->loop = loop;
  return loop != NULL;
}

/* ---- size equivalence in the func ---- */

typedef struct dimkey {
  const sj_value *v; /* NULL: static size c */
  int axis;
  int64_t c;
} dimkey;

/* Canonical origin of dim `axis` of func value v: a static size, or the dim
 * of a func parameter it was allocated from. */
static dimkey canon_dim(const sj_value *v, int axis) {
  for (int guard = 0; guard < 64; guard++) {
    if (v->type.dims[axis] != SJ_DYN) return (dimkey){NULL, 0, v->type.dims[axis]};
    const sj_op *d = v->def;
    if (!d || d->code != SJ_OP_ALLOC) break;
    unsigned k = 0; /* alloc operand index of this dim */
    for (int j = 0; j < axis; j++) k += v->type.dims[j] == SJ_DYN;
    const sj_op *src = sj_opnd(d, k)->def;
    if (!src || src->code != SJ_OP_DIM) return (dimkey){sj_opnd(d, k), -1, 0};
    v = sj_opnd(src, 0);
    axis = (int)sj_op_int(src, "axis", 0);
  }
  return (dimkey){v, axis, 0};
}

static bool same_dimkey(dimkey a, dimkey b) { return a.v == b.v && a.axis == b.axis && a.c == b.c; }

/* Value of a loop bound inside kernel k, in terms of the func (via launch). */
static bool bound_key(const sj_op *launch, const sj_value *b, dimkey *out) {
  const sj_op *d = b->def;
  if (!d) return false;
  if (d->code == SJ_OP_CONSTANT) {
    const sj_attr *a = sj_op_attr(d, "value");
    if (a->kind != SJ_ATTR_INT) return false;
    *out = (dimkey){NULL, 0, a->u.i};
    return true;
  }
  if (d->code != SJ_OP_DIM || sj_opnd(d, 0)->def) return false;
  unsigned p = sj_opnd(d, 0)->index;
  *out = canon_dim(sj_opnd(launch, p), (int)sj_op_int(d, "axis", 0));
  return true;
}

static bool const_zero(const sj_value *v) {
  const sj_op *d = v->def;
  const sj_attr *a = d && d->code == SJ_OP_CONSTANT ? sj_op_attr(d, "value") : NULL;
  return a && a->kind == SJ_ATTR_INT && a->u.i == 0;
}

/* ---- buffer accesses ---- */

/* Parameter indices of kernel k that are stored to / loaded from. */
static void accesses(sj_op *k, unsigned *written, unsigned *read) {
  sj_op_vec ops = {0};
  sj_collect_ops(sj_func_body(k), &ops);
  for (size_t i = 0; i < ops.n; i++) {
    const sj_op *o = ops.v[i];
    if (o->code == SJ_OP_STORE && !sj_opnd(o, 1)->def) written[sj_opnd(o, 1)->index] = 1;
    if (o->code == SJ_OP_LOAD && !sj_opnd(o, 0)->def) read[sj_opnd(o, 0)->index] = 1;
  }
  sj_op_vec_free(&ops);
}

/* Every access of param p in k has the outer induction variable as its first
 * index (so iteration i touches only row i). */
static bool row_local(const knest *n, unsigned p) {
  sj_value *iv = n->loop->regions[0]->args[0];
  sj_op_vec ops = {0};
  sj_collect_ops(sj_func_body(n->kernel), &ops);
  bool ok = true;
  for (size_t i = 0; i < ops.n && ok; i++) {
    const sj_op *o = ops.v[i];
    unsigned buf = o->code == SJ_OP_LOAD ? 0 : o->code == SJ_OP_STORE ? 1 : 9;
    if (buf == 9 || sj_opnd(o, buf)->def || sj_opnd(o, buf)->index != p) continue;
    ok = o->nopnds > buf + 1 && sj_opnd(o, buf + 1) == iv && sj_op_is_ancestor(n->loop, o);
  }
  sj_op_vec_free(&ops);
  return ok;
}

/* ---- legality ---- */

static bool pure_between(const sj_op *a, const sj_op *b) {
  for (const sj_op *o = a->next; o && o != b; o = o->next)
    if (o->code != SJ_OP_DIM && o->code != SJ_OP_ALLOC && o->code != SJ_OP_CONSTANT) return false;
  return true;
}

static bool legal(sj_op *l1, sj_op *l2, const knest *n1, const knest *n2) {
  if (n1->loop->code != n2->loop->code || !pure_between(l1, l2)) return false;
  if (!const_zero(sj_opnd(n1->loop, 0)) || !const_zero(sj_opnd(n2->loop, 0))) return false;
  dimkey h1, h2;
  if (!bound_key(l1, sj_opnd(n1->loop, 1), &h1) || !bound_key(l2, sj_opnd(n2->loop, 1), &h2) || !same_dimkey(h1, h2))
    return false;
  unsigned w1[MAX_PARAMS] = {0}, r1[MAX_PARAMS] = {0}, w2[MAX_PARAMS] = {0}, r2[MAX_PARAMS] = {0};
  if (l1->nopnds > MAX_PARAMS || l2->nopnds > MAX_PARAMS) return false;
  accesses(n1->kernel, w1, r1);
  accesses(n2->kernel, w2, r2);
  for (unsigned j = 0; j < l2->nopnds; j++) {
    const sj_value *v = sj_opnd(l2, j);
    for (unsigned i = 0; i < l1->nopnds; i++) {
      if (sj_opnd(l1, i) != v) continue;
      if (w2[j] && (r1[i] || w1[i])) return false; /* K2 overwrites what K1 uses */
      if (w1[i] && r2[j] && !(row_local(n1, i) && row_local(n2, j))) return false;
    }
  }
  return true;
}

/* ---- merging ---- */

typedef struct merged {
  sj_value *args[MAX_PARAMS];
  unsigned nargs;
} merged;

static unsigned arg_slot(merged *mg, sj_value *v) {
  for (unsigned i = 0; i < mg->nargs; i++)
    if (mg->args[i] == v) return i;
  mg->args[mg->nargs] = v;
  return mg->nargs++;
}

static void clone_into(sj_ctx *c, sj_block *dst, const sj_block *src, sj_value_map *vm, bool skip_loop_and_term) {
  for (const sj_op *o = src->first; o; o = o->next) {
    if (sj_op_has(o, SJ_F_TERMINATOR)) break;
    if (skip_loop_and_term && (o->code == SJ_OP_FOR || o->code == SJ_OP_PARALLEL_FOR)) continue;
    sj_block_append(dst, sj_op_clone(c, o, vm));
  }
}

static sj_op *merge_kernels(sj_module *m, sj_op *l1, sj_op *l2, const knest *n1, const knest *n2, merged *mg) {
  sj_ctx *c = m->ctx;
  for (unsigned i = 0; i < l1->nopnds; i++) arg_slot(mg, sj_opnd(l1, i));
  for (unsigned i = 0; i < l2->nopnds; i++) arg_slot(mg, sj_opnd(l2, i));
  sj_op *k = sj_op_new(c, SJ_OP_KERNEL, 0, NULL, 0, NULL, 1, n1->kernel->loc);
  sj_block *kb = sj_func_body(k);
  sj_value *params[MAX_PARAMS];
  for (unsigned i = 0; i < mg->nargs; i++) {
    char name[16];
    params[i] = sj_block_add_arg(c, kb, mg->args[i]->type);
    snprintf(name, sizeof name, "arg%u", i);
    params[i]->name = sj_intern(c, name);
  }
  sj_value_map *vm1 = sj_value_map_new(c), *vm2 = sj_value_map_new(c);
  for (unsigned i = 0; i < l1->nopnds; i++) sj_value_map_set(vm1, sj_func_body(n1->kernel)->args[i], params[arg_slot(mg, sj_opnd(l1, i))]);
  for (unsigned i = 0; i < l2->nopnds; i++) sj_value_map_set(vm2, sj_func_body(n2->kernel)->args[i], params[arg_slot(mg, sj_opnd(l2, i))]);
  clone_into(c, kb, sj_func_body(n1->kernel), vm1, true);
  clone_into(c, kb, sj_func_body(n2->kernel), vm2, true);
  /* the loop: K1's, with K2's body appended (K2's iv mapped to K1's) */
  sj_op *loop = sj_op_clone(c, n1->loop, vm1);
  sj_block *lb = loop->regions[0];
  sj_op *y = lb->last;
  sj_op_unlink(y);
  sj_value_map_set(vm2, n2->loop->regions[0]->args[0], lb->args[0]);
  clone_into(c, lb, n2->loop->regions[0], vm2, false);
  sj_block_append(lb, y);
  sj_block_append(kb, loop);
  sj_block_append(kb, sj_op_new(c, SJ_OP_RETURN, 0, NULL, 0, NULL, 0, k->loc));
  return k;
}

/* ---- inner loops and store-to-load forwarding ---- */

static bool same_bound(const sj_value *a, const sj_value *b) {
  if (a == b) return true;
  const sj_op *x = a->def, *y = b->def;
  if (!x || !y || x->code != y->code) return false;
  if (x->code == SJ_OP_CONSTANT) return sj_attr_eq(sj_op_attr(x, "value"), sj_op_attr(y, "value"));
  if (x->code == SJ_OP_DIM) return sj_opnd(x, 0) == sj_opnd(y, 0) && sj_op_int(x, "axis", 0) == sj_op_int(y, "axis", 0);
  return false;
}

/* Merges `b` into `a` (adjacent plain for loops with equal bounds). */
static void merge_inner(sj_op *a, sj_op *b) {
  sj_block *ab = a->regions[0], *bb = b->regions[0];
  sj_value_replace_all_uses(bb->args[0], ab->args[0]);
  sj_op *y = ab->last;
  sj_op_unlink(y);
  while (bb->first && bb->first != bb->last) {
    sj_op *o = bb->first;
    sj_op_unlink(o);
    sj_block_append(ab, o);
  }
  sj_block_append(ab, y);
  sj_op_erase(b);
}

static bool plain_for(const sj_op *o) { return o && o->code == SJ_OP_FOR && o->nresults == 0; }

/* Non-loop ops between two loops may be hoisted above the second only if the
 * first loop does not need them: they are pure and defined from outside. */
static void fuse_inner_loops(sj_block *b) {
  for (sj_op *o = b->first; o; o = o->next) {
    if (!plain_for(o)) continue;
    sj_op *nx = o->next;
    while (nx && (nx->code == SJ_OP_CONSTANT)) nx = nx->next;
    while (plain_for(nx) && same_bound(sj_opnd(o, 0), sj_opnd(nx, 0)) && same_bound(sj_opnd(o, 1), sj_opnd(nx, 1))) {
      /* constants between them move above the first loop */
      for (sj_op *m = o->next; m != nx;) {
        sj_op *mn = m->next;
        sj_op_unlink(m);
        sj_block_insert_before(o, m);
        m = mn;
      }
      merge_inner(o, nx);
      nx = o->next;
      while (nx && nx->code == SJ_OP_CONSTANT) nx = nx->next;
    }
    fuse_inner_loops(o->regions[0]);
  }
}

static bool same_indices(const sj_op *ld, unsigned lfirst, const sj_op *st, unsigned sfirst) {
  if (ld->nopnds - lfirst != st->nopnds - sfirst) return false;
  for (unsigned i = 0; i < ld->nopnds - lfirst; i++)
    if (!same_bound(sj_opnd(ld, lfirst + i), sj_opnd(st, sfirst + i))) return false;
  return true;
}

static bool writes_buffer(sj_op *op, const sj_value *buf) {
  sj_op_vec ops = {0};
  sj_collect_ops(op->regions[0], &ops);
  bool w = false;
  for (size_t i = 0; i < ops.n && !w; i++) w = ops.v[i]->code == SJ_OP_STORE && sj_opnd(ops.v[i], 1) == buf;
  sj_op_vec_free(&ops);
  return w;
}

/* The store that last wrote buf before `ld`, searching back through its
 * block and then the enclosing blocks; NULL if a loop in between may write
 * buf or none is found. */
static sj_op *reaching_store(sj_op *ld, const sj_value *buf) {
  for (sj_op *at = ld; at && at->block; at = at->block->parent) {
    for (sj_op *p = at->prev; p; p = p->prev) {
      if (p->code == SJ_OP_STORE && sj_opnd(p, 1) == buf) return p;
      if (p->nregions && writes_buffer(p, buf)) return NULL;
    }
    if (!at->block->parent || at->block->parent->code == SJ_OP_KERNEL) break;
  }
  return NULL;
}

/* load B[idx] after `store v, B[idx]` (same index values, nothing writing B
 * in between) becomes v: the stored value is visible there because the
 * store sits in the load's block or an enclosing one. */
static void forward_stores(sj_block *b) {
  sj_op_vec ops = {0};
  sj_collect_ops(b, &ops);
  for (size_t i = 0; i < ops.n; i++) {
    sj_op *o = ops.v[i];
    if (o->code != SJ_OP_LOAD) continue;
    sj_op *st = reaching_store(o, sj_opnd(o, 0));
    if (st && same_indices(o, 1, st, 2)) sj_value_replace_all_uses(sj_res(o, 0), sj_opnd(st, 0));
  }
  sj_op_vec_free(&ops);
}

static bool param_loaded(sj_op *k, unsigned p) {
  unsigned w[MAX_PARAMS] = {0}, r[MAX_PARAMS] = {0};
  accesses(k, w, r);
  return r[p];
}

/* Points every `dim` of param p at another param with the same size (by the
 * launch's arguments); false if some dim has no such replacement. */
static bool redirect_dims(sj_ctx *c, sj_op *k, const sj_op *launch, unsigned p) {
  sj_block *b = sj_func_body(k);
  for (sj_use *u = b->args[p]->uses, *nx; u; u = nx) {
    nx = u->next;
    sj_op *d = u->user;
    if (d->code == SJ_OP_STORE && u->index == 1) continue;
    if (d->code != SJ_OP_DIM) return false;
    int axis = (int)sj_op_int(d, "axis", 0);
    dimkey want = canon_dim(sj_opnd(launch, p), axis);
    sj_value *repl = NULL;
    for (unsigned q = 0; q < b->nargs && !repl; q++) {
      const sj_value *a = sj_opnd(launch, q);
      for (int ax = 0; q != p && ax < a->type.rank && !repl; ax++)
        if (same_dimkey(canon_dim(a, ax), want)) {
          repl = b->args[q];
          if (ax != axis) sj_op_set_int(c, d, "axis", ax);
        }
    }
    if (!repl) return false;
    sj_op_set_operand(d, 0, repl);
  }
  return true;
}

/* Drops param p: its stores, the block argument (shifting the others). */
static void drop_param(sj_op *k, unsigned p) {
  sj_block *b = sj_func_body(k);
  sj_op_vec ops = {0};
  sj_collect_ops(b, &ops);
  for (size_t i = 0; i < ops.n; i++)
    if (ops.v[i]->code == SJ_OP_STORE && sj_opnd(ops.v[i], 1) == b->args[p]) sj_op_erase(ops.v[i]);
  sj_op_vec_free(&ops);
  for (unsigned i = p; i + 1 < b->nargs; i++) {
    b->args[i] = b->args[i + 1];
    b->args[i]->index = i;
  }
  b->nargs--;
}

/* The buffer is a temporary of this func: alloc'd, used only by the launch
 * (and dims of it), not returned. */
static bool temp_only_here(const sj_value *v, const sj_op *launch) {
  if (!v->def || v->def->code != SJ_OP_ALLOC) return false;
  for (const sj_use *u = v->uses; u; u = u->next)
    if (u->user != launch && u->user->code != SJ_OP_DIM) return false;
  return true;
}

/* Dead pure ops in a kernel body (after forwarding left unused loads). */
static void dce_kernel(sj_op *k) {
  for (bool changed = true; changed;) {
    changed = false;
    sj_op_vec ops = {0};
    sj_collect_ops(sj_func_body(k), &ops);
    for (size_t i = ops.n; i-- > 0;) {
      sj_op *o = ops.v[i];
      if (!sj_op_has(o, SJ_F_PURE) || !o->nresults || !o->block) continue;
      bool used = false;
      for (unsigned r = 0; r < o->nresults && !used; r++) used = sj_res(o, r)->uses != NULL;
      if (!used) sj_op_erase(o), changed = true;
    }
    sj_op_vec_free(&ops);
  }
}

/* ---- driver ---- */

static bool launched_elsewhere(sj_module *m, const char *sym) {
  for (sj_op *f = m->body->first; f; f = f->next) {
    if (f->code != SJ_OP_FUNC) continue;
    for (sj_op *o = sj_func_body(f)->first; o; o = o->next)
      if (o->code == SJ_OP_LAUNCH && !strcmp(sj_op_sym(o, "kernel"), sym)) return true;
  }
  return false;
}

static void remove_kernel_if_unused(sj_module *m, sj_op *k) {
  if (!launched_elsewhere(m, sj_func_name(k))) sj_op_erase(k);
}

static bool try_fuse(sj_module *m, sj_op *func, sj_op *l1, sj_op *l2, unsigned *counter) {
  knest n1, n2;
  sj_op *k1 = sj_module_lookup(m, sj_op_sym(l1, "kernel")), *k2 = sj_module_lookup(m, sj_op_sym(l2, "kernel"));
  if (!k1 || !k2 || k1 == k2 || !single_nest(k1, &n1) || !single_nest(k2, &n2) || !legal(l1, l2, &n1, &n2)) return false;
  merged mg = {.nargs = 0};
  if (l1->nopnds + l2->nopnds > MAX_PARAMS) return false;
  sj_op *k = merge_kernels(m, l1, l2, &n1, &n2, &mg);
  char name[256];
  do snprintf(name, sizeof name, "%s_f%u", sj_func_name(func), (*counter)++);
  while (sj_module_lookup(m, name));
  sj_op_set_sym(m->ctx, k, "sym_name", name);
  for (sj_op *o = sj_func_body(k)->first; o; o = o->next)
    if (o->code == SJ_OP_FOR || o->code == SJ_OP_PARALLEL_FOR) fuse_inner_loops(o->regions[0]);
  forward_stores(sj_func_body(k));
  dce_kernel(k);
  /* new launch replaces l2 */
  sj_op *nl = sj_op_new(m->ctx, SJ_OP_LAUNCH, mg.nargs, mg.args, 0, NULL, 0, l2->loc);
  sj_op_set_sym(m->ctx, nl, "kernel", name);
  sj_block_insert_before(l2, nl);
  sj_op_erase(l1);
  sj_op_erase(l2);
  /* temporaries no longer read: drop stores, param, launch arg */
  for (unsigned p = mg.nargs; p-- > 0;) {
    sj_value *v = sj_opnd(nl, p);
    if (!temp_only_here(v, nl) || param_loaded(k, p) || !redirect_dims(m->ctx, k, nl, p)) continue;
    drop_param(k, p);
    sj_value *rest[MAX_PARAMS];
    unsigned n = 0;
    for (unsigned i = 0; i < nl->nopnds; i++)
      if (i != p) rest[n++] = sj_opnd(nl, i);
    sj_op_set_operands(m->ctx, nl, n, rest);
  }
  dce_kernel(k);
  sj_block_append(m->body, k);
  remove_kernel_if_unused(m, k1);
  remove_kernel_if_unused(m, k2);
  return true;
}

static bool fuse_func(sj_module *m, sj_op *func, unsigned *counter) {
  for (sj_op *a = sj_func_body(func)->first; a; a = a->next) {
    if (a->code != SJ_OP_LAUNCH) continue;
    sj_op *b = a->next;
    while (b && b->code != SJ_OP_LAUNCH && (b->code == SJ_OP_DIM || b->code == SJ_OP_ALLOC || b->code == SJ_OP_CONSTANT))
      b = b->next;
    if (b && b->code == SJ_OP_LAUNCH && try_fuse(m, func, a, b, counter)) return true;
  }
  return false;
}

sj_status sj_pass_loop_fusion(sj_module *m) {
  sj_op_vec funcs = {0};
  for (sj_op *f = m->body->first; f; f = f->next)
    if (f->code == SJ_OP_FUNC) sj_op_vec_push(&funcs, f);
  for (size_t i = 0; i < funcs.n; i++) {
    unsigned counter = 0;
    while (fuse_func(m, funcs.v[i], &counter)) {
    }
  }
  sj_op_vec_free(&funcs);
  return SJ_OK;
}
