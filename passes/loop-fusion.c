/* loop-fusion: merges two launches of kernels whose outermost loops have the
 * same iteration space when every buffer one of them writes and the other
 * touches is accessed only at the outer induction variable ("fusion at the
 * outer loop", notes/fusion.md §3): iteration i of the second kernel then
 * depends only on iteration i of the first. Inside the merged loop, adjacent
 * inner loops with equal bounds merge under the same rule, a load of a value
 * stored earlier at the same indices is replaced by the stored value, and an
 * intermediate buffer that is then never read is removed with its stores,
 * parameter, launch argument and alloc. Repeats to a fixed point, so chains
 * (max -> sub/exp -> sum -> log -> sub) become one kernel.
 *
 * Works on the output convention of lower-to-loops (see docs/loop-fusion.md
 * for the legality rules and what is left for later). In funcs it only
 * replaces launches and removes an eliminated temporary's alloc (rewriting
 * func-level dims of it to the alloc's sizes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "opinfo.h"
#include "registry.h"
#include "symtab.h"

/* Bounded so the pass needs no heap for argument lists; the kernel ABI passes
 * parameters in one array and no lowered kernel comes close. */
#define MAX_PARAMS 64

/* ---- kernel shape: prologue (constants, dims), one loop nest, return ---- */

typedef struct knest {
  sj_op *kernel, *loop; /* top-level loop: parallel_for, for without carried values, or a reduction */
  bool reduce;          /* loop is a `for` carrying values; an epilogue stores them */
} knest;

static bool is_loop(const sj_op *o) { return sj_op_has(o, SJ_F_LOOP); }

/* Constants, dims and pure scalar ops on them (a mean's scale, a clamp's
 * n - 1); never a load. */
static bool prologue_op(const sj_op *op) {
  return !sj_op_has(op, SJ_F_READS) && sj_op_has(op, SJ_F_PURE) && sj_op_has(op, SJ_F_SCALAR);
}

/* prologue, one top-level loop, return. After a reduction `for` (a full
 * reduction's row form) an epilogue may scale and store its results. */
static bool single_nest(sj_op *k, knest *out) {
  sj_op *loop = NULL;
  for (sj_op *op = sj_func_body(k)->first; op; op = op->next) {
    if (op->code == SJ_OP_RETURN) break;
    if (loop) {
      if (!loop->nresults || (op->code != SJ_OP_STORE && !prologue_op(op))) return false;
    } else if (is_loop(op)) {
      if (op->nresults && op->code != SJ_OP_FOR) return false;
      loop = op;
    } else if (!prologue_op(op)) {
      return false;
    }
  }
  out->kernel = k;
  out->loop = loop;
  out->reduce = loop && loop->nresults;
  return loop != NULL;
}

static sj_value *loop_iv(const sj_op *loop) { return loop->regions[0]->args[0]; }

/* ---- extents: when two loop bounds are provably equal ----
 * A bound is an i64 constant or `dim %param {axis}`; through the launch the
 * param is a func value, and a dim of a func value is canonicalized: a static
 * dim is its size; a dynamic dim of an alloc is the alloc's size operand,
 * followed through `dim` back to its source (so `alloc %d0` with
 * `%d0 = dim %x {axis = 0}` has the extent of `%x` axis 0). Two bounds are
 * equal when their canonical keys are equal. */

typedef struct dimkey {
  const sj_value *v; /* NULL: the static size c */
  int axis;          /* -1: v is itself the size (an i64 func value) */
  int64_t c;
} dimkey;

/* Guards against a malformed alloc/dim cycle; real chains are 1-2 steps. */
#define MAX_DIM_CHAIN 64

static dimkey canon_dim(const sj_value *v, int axis) {
  for (int guard = 0; guard < MAX_DIM_CHAIN; guard++) {
    if (axis < 0 || axis >= v->type.rank) break;
    if (v->type.dims[axis] != SJ_DYN) return (dimkey){NULL, 0, v->type.dims[axis]};
    const sj_op *d = v->def;
    if (!d || d->code != SJ_OP_ALLOC) break;
    unsigned k = 0; /* alloc operand of this dim: one per dynamic dim */
    for (int j = 0; j < axis; j++) k += v->type.dims[j] == SJ_DYN;
    if (k >= d->nopnds) break;
    const sj_value *sz = sj_opnd(d, k);
    if (!sz->def || sz->def->code != SJ_OP_DIM) return (dimkey){sz, -1, 0};
    v = sj_opnd(sz->def, 0);
    axis = (int)sj_op_int(sz->def, "axis", 0);
  }
  return (dimkey){v, axis, 0};
}

static bool same_dimkey(dimkey a, dimkey b) { return a.v == b.v && a.axis == b.axis && a.c == b.c; }

static bool int_const(const sj_value *v, int64_t *out) {
  const sj_op *d = v->def;
  const sj_attr *a = d && d->code == SJ_OP_CONSTANT ? sj_op_attr(d, "value") : NULL;
  if (!a || a->kind != SJ_ATTR_INT) return false;
  *out = a->u.i;
  return true;
}

/* Key of a bound value inside a kernel whose params are bound to `args`. */
static bool bound_key(sj_value *const *args, const sj_value *b, dimkey *out) {
  int64_t c;
  if (int_const(b, &c)) {
    *out = (dimkey){NULL, 0, c};
    return true;
  }
  const sj_op *d = b->def;
  if (!d || d->code != SJ_OP_DIM) return false;
  const sj_value *p = sj_opnd(d, 0);
  if (p->def || !p->owner->parent || p->owner->parent->code != SJ_OP_KERNEL) return false;
  *out = canon_dim(args[p->index], (int)sj_op_int(d, "axis", 0));
  return true;
}

static bool same_extent(sj_value *const *a1, const sj_value *b1, sj_value *const *a2, const sj_value *b2) {
  if (b1 == b2) return true;
  dimkey x, y;
  return bound_key(a1, b1, &x) && bound_key(a2, b2, &y) && same_dimkey(x, y);
}

static bool same_space(sj_value *const *a1, const sj_op *l1, sj_value *const *a2, const sj_op *l2) {
  return same_extent(a1, sj_opnd(l1, 0), a2, sj_opnd(l2, 0)) && same_extent(a1, sj_opnd(l1, 1), a2, sj_opnd(l2, 1));
}

/* ---- buffer accesses ---- */

/* The kernel parameter a load/store addresses, or NULL if it is not one. */
static sj_value *access_buf(const sj_op *o) {
  sj_value *b = o->code == SJ_OP_LOAD ? sj_opnd(o, 0) : o->code == SJ_OP_STORE ? sj_opnd(o, 1) : NULL;
  return b && !b->def ? b : NULL;
}
static unsigned first_index(const sj_op *o) { return o->code == SJ_OP_LOAD ? 1 : 2; }

/* Positions of o's index list that are exactly `iv`, as a bit mask. */
static unsigned iv_positions(const sj_op *o, const sj_value *iv) {
  unsigned m = 0;
  for (unsigned i = first_index(o); i < o->nopnds && i - first_index(o) < 32; i++)
    if (sj_opnd(o, i) == iv) m |= 1u << (i - first_index(o));
  return m;
}

typedef struct side {
  sj_op_vec acc;          /* loads and stores nested in the loop */
  sj_value *const *args;  /* func value bound to each kernel param */
  const sj_value *iv;
} side;

static bool collect_side(sj_op *loop, sj_value *const *args, side *s) {
  s->acc = (sj_op_vec){0};
  s->args = args;
  s->iv = loop_iv(loop);
  sj_op_vec all = {0};
  sj_collect_ops(loop->regions[0], &all);
  bool ok = true;
  for (size_t i = 0; i < all.n; i++) {
    sj_op *o = all.v[i];
    if (o->code != SJ_OP_LOAD && o->code != SJ_OP_STORE) continue;
    if (access_buf(o)) sj_op_vec_push(&s->acc, o);
    else ok = false; /* not a param: cannot reason about it */
  }
  sj_op_vec_free(&all);
  return ok;
}

static const sj_value *func_buf(const side *s, const sj_op *o) { return s->args[access_buf(o)->index]; }

/* Does side s load (want_store false) or store (true) func value v? */
static bool side_touches(const side *s, const sj_value *v, bool want_store) {
  for (size_t i = 0; i < s->acc.n; i++)
    if (func_buf(s, s->acc.v[i]) == v && (!want_store || s->acc.v[i]->code == SJ_OP_STORE)) return true;
  return false;
}

/* Positions where every access of v in s uses s's induction variable. */
static unsigned common_positions(const side *s, const sj_value *v, unsigned mask) {
  for (size_t i = 0; i < s->acc.n; i++)
    if (func_buf(s, s->acc.v[i]) == v) mask &= iv_positions(s->acc.v[i], s->iv);
  return mask;
}

/* Index expressions deeper than this are not analysed (the lowering's are
 * `clamp(first + i * step, n)`: four levels). */
#define MAX_INDEX_DEPTH 6

/* The values an i64 index takes, [*lo, *hi] (empty when lo > hi), if it is
 * a constant, the induction variable of a loop with constant bounds, or a
 * sum, a product by a constant, or a clamp of such: false if unknown. */
static bool index_range(const sj_value *v, int64_t *lo, int64_t *hi, int depth) {
  int64_t c, a0, a1, b0, b1;
  if (int_const(v, &c)) {
    *lo = *hi = c;
    return true;
  }
  const sj_op *d = v->def;
  if (!d) { /* a loop's induction variable: arg 0 of its body */
    const sj_op *l = v->owner ? v->owner->parent : NULL;
    if (!l || !is_loop(l) || v->index != 0 || !int_const(sj_opnd(l, 0), lo) || !int_const(sj_opnd(l, 1), hi)) return false;
    return !__builtin_sub_overflow(*hi, 1, hi);
  }
  if (depth >= MAX_INDEX_DEPTH || d->nopnds != 2 || !index_range(sj_opnd(d, 0), &a0, &a1, depth + 1)) return false;
  if (d->code == SJ_OP_CLAMP && int_const(sj_opnd(d, 1), &c) && c >= 1) { /* min(max(x, 0), n - 1): monotone */
    *lo = a0 < 0 ? 0 : a0 > c - 1 ? c - 1 : a0;
    *hi = a1 < 0 ? 0 : a1 > c - 1 ? c - 1 : a1;
    return true;
  }
  if (!index_range(sj_opnd(d, 1), &b0, &b1, depth + 1) || a0 > a1 || b0 > b1) return false;
  if (d->code == SJ_OP_ADD) return !__builtin_add_overflow(a0, b0, lo) && !__builtin_add_overflow(a1, b1, hi);
  if (d->code != SJ_OP_MUL || (a0 != a1 && b0 != b1)) return false; /* a product by a constant only */
  int64_t k = a0 == a1 ? a0 : b0, x0 = a0 == a1 ? b0 : a0, x1 = a0 == a1 ? b1 : a1, p, q;
  if (__builtin_mul_overflow(k, x0, &p) || __builtin_mul_overflow(k, x1, &q)) return false;
  *lo = p < q ? p : q, *hi = p < q ? q : p;
  return true;
}

/* The range of index position `pos` over every access of func value v in s. */
static bool position_range(const side *s, const sj_value *v, unsigned pos, int64_t *lo, int64_t *hi) {
  *lo = INT64_MAX, *hi = INT64_MIN;
  for (size_t i = 0; i < s->acc.n; i++) {
    const sj_op *o = s->acc.v[i];
    int64_t l, h;
    if (func_buf(s, o) != v) continue;
    if (first_index(o) + pos >= o->nopnds || !index_range(sj_opnd(o, first_index(o) + pos), &l, &h, 0)) return false;
    if (l > h) continue; /* an empty loop: no access */
    *lo = l < *lo ? l : *lo, *hi = h > *hi ? h : *hi;
  }
  return true;
}

/* s and t touch disjoint elements of v: at some index position, the values
 * s uses and those t uses are disjoint ranges (the update kernels of one
 * chain of slice_updates write the columns [768, 1024) and [512, 768) of
 * one buffer). */
static bool disjoint_accesses(const side *s, const side *t, const sj_value *v) {
  for (unsigned p = 0; p < (unsigned)v->type.rank; p++) {
    int64_t l1, h1, l2, h2;
    if (position_range(s, v, p, &l1, &h1) && position_range(t, v, p, &l2, &h2) && (h1 < l2 || h2 < l1)) return true;
  }
  return false;
}

/* The dependence rule, for two loops A then B run in one loop: every buffer
 * written by one and touched by the other is accessed, in both, only with the
 * loop's own induction variable at one common index position p. Iteration j
 * of either then touches only slice p = j of that buffer, so the only
 * dependences are within iteration j, and running A's body then B's body
 * per iteration preserves them. A buffer the two touch at disjoint elements
 * (disjoint_accesses) carries no dependence between them at all. Returns a
 * refusal reason or NULL. */
static const char *slice_local(const side *a, const side *b) {
  for (int pass = 0; pass < 2; pass++) {
    const side *s = pass ? b : a, *t = pass ? a : b;
    for (size_t i = 0; i < s->acc.n; i++) {
      const sj_op *o = s->acc.v[i];
      const sj_value *v = func_buf(s, o);
      if (o->code != SJ_OP_STORE || !side_touches(t, v, false)) continue;
      if (!common_positions(t, v, common_positions(s, v, ~0u)) && !disjoint_accesses(s, t, v))
        return "a shared buffer is accessed at another index";
    }
  }
  return NULL;
}

static void free_side(side *s) { sj_op_vec_free(&s->acc); }

/* ---- legality of fusing two launches ---- */

/* Buffers that share memory: reshape results alias their operand. */
static const sj_value *alias_root(const sj_value *v) {
  while (v->def && v->def->code == SJ_OP_RESHAPE) v = sj_opnd(v->def, 0);
  return v;
}

/* dim, alloc, constant, reshape: no region, neither reads nor writes buffer
 * contents (row flags), not a terminator. */
static bool touches_no_buffer(const sj_op *o) {
  return !o->nregions && !sj_op_has(o, SJ_F_READS | SJ_F_WRITES | SJ_F_TERMINATOR);
}

/* Only ops that touch no buffer contents may sit between the launches; the
 * fused launch goes where the second one was, after them. */
static bool pure_between(const sj_op *a, const sj_op *b) {
  for (const sj_op *o = a->next; o && o != b; o = o->next)
    if (!touches_no_buffer(o)) return false;
  return true;
}

/* Some argument of l2 is an argument of l1 (producer->consumer, or a shared
 * input for horizontal fusion); unrelated launches are left alone. */
static bool related(const sj_op *l1, const sj_op *l2) {
  for (unsigned j = 0; j < l2->nopnds; j++)
    for (unsigned i = 0; i < l1->nopnds; i++)
      if (alias_root(sj_opnd(l1, i)) == alias_root(sj_opnd(l2, j))) return true;
  return false;
}

/* Two distinct func values of the union share memory and one is written. */
static bool aliased_write(sj_value *const *u, unsigned n, const side *s1, const side *s2) {
  for (unsigned i = 0; i < n; i++) {
    bool wi = side_touches(s1, u[i], true) || side_touches(s2, u[i], true);
    for (unsigned j = i + 1; j < n; j++)
      if (alias_root(u[i]) == alias_root(u[j]) && (wi || side_touches(s1, u[j], true) || side_touches(s2, u[j], true)))
        return true;
  }
  return false;
}

static void operands_of(const sj_op *o, sj_value **out) {
  for (unsigned i = 0; i < o->nopnds; i++) out[i] = sj_opnd(o, i);
}

/* Appends v to the set u (n entries) unless present; returns its slot. */
static unsigned union_slot(sj_value **u, unsigned *n, sj_value *v) {
  for (unsigned i = 0; i < *n; i++)
    if (u[i] == v) return i;
  u[*n] = v;
  return (*n)++;
}

/* An elementwise nest merges into the following reduction (the fused loop is
 * the reduction's `for`, which codegen runs in parallel chunks) only if
 * everything the nest writes is a temporary that only the two launches use,
 * so the merged loop ends up storing nothing, and the nest touches nothing
 * the reduction's epilogue stores. */
static const char *into_reduction(sj_op *l1, sj_op *l2, const knest *n1, const knest *n2, sj_value **a1, sj_value **a2) {
  sj_op_vec ops = {0};
  sj_collect_ops(n1->loop->regions[0], &ops);
  const char *why = NULL;
  for (size_t i = 0; i < ops.n && !why; i++) {
    if (ops.v[i]->code != SJ_OP_STORE || !access_buf(ops.v[i])) continue;
    const sj_value *v = a1[access_buf(ops.v[i])->index];
    if (!v->def || v->def->code != SJ_OP_ALLOC) why = "the nest writes a buffer that is not a temporary";
    for (const sj_use *u = v->uses; u && !why; u = u->next)
      if (u->user != l1 && u->user != l2 && u->user->code != SJ_OP_DIM) why = "the nest's result is used elsewhere";
  }
  sj_op_vec_free(&ops);
  for (const sj_op *o = n2->loop->next; o && !why; o = o->next)
    if (o->code == SJ_OP_STORE && access_buf(o))
      for (unsigned i = 0; i < l1->nopnds; i++)
        if (alias_root(sj_opnd(l1, i)) == alias_root(a2[access_buf(o)->index])) why = "the nest touches the reduction's output";
  return why;
}

/* NULL when fusing launch l1 then l2 is legal, else why not. a1/a2 are
 * their arguments; the reasons are for debugging and the docs. */
static const char *why_not(sj_op *l1, sj_op *l2, const knest *n1, const knest *n2, sj_value **a1, sj_value **a2) {
  if (l1->nopnds + l2->nopnds > MAX_PARAMS) return "too many parameters";
  if (!pure_between(l1, l2)) return "an op between the launches";
  if (!related(l1, l2)) return "no shared buffer";
  if (n1->reduce) return "a reduction's results are ready only after its loop";
  if (n2->reduce) {
    const char *w = into_reduction(l1, l2, n1, n2, a1, a2);
    if (w) return w;
  } else if (n1->loop->code != n2->loop->code) {
    return "parallel_for against for";
  }
  if (!same_space(a1, n1->loop, a2, n2->loop)) return "different outer bounds";
  sj_value *u[2 * MAX_PARAMS];
  unsigned nu = 0;
  for (unsigned i = 0; i < l1->nopnds; i++) union_slot(u, &nu, a1[i]);
  for (unsigned i = 0; i < l2->nopnds; i++) union_slot(u, &nu, a2[i]);
  side s1, s2;
  bool ok = collect_side(n1->loop, a1, &s1);
  ok = collect_side(n2->loop, a2, &s2) && ok;
  const char *why = !ok                                ? "access to a non-parameter"
                    : aliased_write(u, nu, &s1, &s2) ? "aliased buffers"
                                                      : slice_local(&s1, &s2);
  free_side(&s1);
  free_side(&s2);
  return why;
}

/* ---- building the fused kernel ---- */

/* An op already in block b computing the same as o (same code, operands,
 * attributes, result type): prologue constants and dims are shared. */
static sj_op *find_equiv(const sj_block *b, const sj_op *o) {
  for (sj_op *p = b->first; p; p = p->next) {
    if (p->code != o->code || p->nopnds != o->nopnds || p->nattrs != o->nattrs || p->nresults != 1) continue;
    bool eq = sj_type_eq(&sj_res(p, 0)->type, &sj_res(o, 0)->type);
    for (unsigned i = 0; eq && i < o->nopnds; i++) eq = sj_opnd(p, i) == sj_opnd(o, i);
    for (unsigned i = 0; eq && i < o->nattrs; i++) eq = sj_attr_eq(&p->attrs[i], &o->attrs[i]);
    if (eq) return p;
  }
  return NULL;
}

/* Clones the prologue of kernel `k` (everything before its loop) into kb,
 * reusing equivalent ops already there. */
static void clone_prologue(sj_ctx *c, sj_block *kb, const knest *n, sj_value_map *vm) {
  for (const sj_op *o = sj_func_body(n->kernel)->first; o != n->loop; o = o->next) {
    sj_op *cl = sj_op_clone(c, o, vm);
    sj_op *eq = find_equiv(kb, cl);
    if (eq) {
      sj_value_map_set(vm, sj_res(o, 0), sj_res(eq, 0));
      sj_op_drop_operands(cl);
    } else {
      sj_block_append(kb, cl);
    }
  }
}

/* Appends clones of b's ops except its terminator to dst. */
static void clone_body(sj_ctx *c, sj_block *dst, const sj_block *b, sj_value_map *vm) {
  for (const sj_op *o = b->first; o && !sj_op_has(o, SJ_F_TERMINATOR); o = o->next)
    sj_block_append(dst, sj_op_clone(c, o, vm));
}

/* A new kernel whose params are u (K1's args then K2's new ones), holding
 * K1's and K2's prologues (deduplicated); *vm1 and *vm2 map each kernel's
 * values to the new one's. */
static sj_op *kernel_shell(sj_ctx *c, const sj_op *l1, const sj_op *l2, const knest *n1, const knest *n2,
                           sj_value *const *u, unsigned nu, sj_value_map **vm1, sj_value_map **vm2) {
  sj_op *k = sj_op_new(c, SJ_OP_KERNEL, 0, NULL, 0, NULL, 1, n1->kernel->loc);
  sj_block *kb = sj_func_body(k);
  for (unsigned i = 0; i < nu; i++) sj_block_add_arg(c, kb, u[i]->type);
  *vm1 = sj_value_map_new(c), *vm2 = sj_value_map_new(c);
  for (unsigned p = 0; p < nu; p++) {
    for (unsigned i = 0; i < l1->nopnds; i++)
      if (sj_opnd(l1, i) == u[p]) sj_value_map_set(*vm1, sj_func_body(n1->kernel)->args[i], kb->args[p]);
    for (unsigned i = 0; i < l2->nopnds; i++)
      if (sj_opnd(l2, i) == u[p]) sj_value_map_set(*vm2, sj_func_body(n2->kernel)->args[i], kb->args[p]);
  }
  clone_prologue(c, kb, n1, *vm1);
  clone_prologue(c, kb, n2, *vm2);
  return k;
}

/* New kernel: params = u (K1's args then K2's new ones), K1's prologue, K2's
 * prologue (deduplicated), then K1's loop whose body is K1's body followed by
 * K2's body with K2's induction variable replaced by K1's. */
static sj_op *merge_kernels(sj_ctx *c, const sj_op *l1, const sj_op *l2, const knest *n1, const knest *n2,
                            sj_value *const *u, unsigned nu) {
  sj_value_map *vm1, *vm2;
  sj_op *k = kernel_shell(c, l1, l2, n1, n2, u, nu, &vm1, &vm2);
  sj_block *kb = sj_func_body(k);
  /* the reduction's loop (with its carried values) or the first nest's kind */
  const sj_op *shape = n2->reduce ? n2->loop : n1->loop;
  sj_value *lops[2 + 64];
  unsigned nl = shape->nopnds;
  for (unsigned i = 0; i < nl && i < 66; i++) lops[i] = sj_value_map_get(i < 2 ? vm1 : vm2, sj_opnd(i < 2 ? n1->loop : shape, i));
  sj_type rts[64];
  for (unsigned r = 0; r < shape->nresults && r < 64; r++) rts[r] = sj_res(shape, r)->type;
  sj_op *loop = sj_op_new(c, shape->code, nl, lops, shape->nresults, rts, 1, n1->loop->loc);
  for (unsigned a = 0; a < shape->nattrs; a++) sj_op_set_attr(c, loop, shape->attrs[a]); /* a reduction's combine */
  sj_block *lb = loop->regions[0];
  sj_value *iv = sj_block_add_arg(c, lb, loop_iv(n1->loop)->type);
  iv->name = loop_iv(n1->loop)->name;
  sj_value_map_set(vm1, loop_iv(n1->loop), iv);
  sj_value_map_set(vm2, loop_iv(n2->loop), iv);
  for (unsigned a = 1; n2->reduce && a < shape->regions[0]->nargs; a++) {
    sj_value *ca = sj_block_add_arg(c, lb, shape->regions[0]->args[a]->type);
    ca->name = shape->regions[0]->args[a]->name;
    sj_value_map_set(vm2, shape->regions[0]->args[a], ca);
  }
  clone_body(c, lb, n1->loop->regions[0], vm1);
  clone_body(c, lb, n2->loop->regions[0], vm2);
  sj_block_append(lb, sj_op_clone(c, n2->reduce ? n2->loop->regions[0]->last : n1->loop->regions[0]->last, vm2));
  sj_block_append(kb, loop);
  for (unsigned r = 0; r < loop->nresults; r++) sj_value_map_set(vm2, sj_res(n2->loop, r), sj_res(loop, r));
  for (const sj_op *o = n2->loop->next; n2->reduce && o && o->code != SJ_OP_RETURN; o = o->next)
    sj_block_append(kb, sj_op_clone(c, o, vm2)); /* the reduction's epilogue */
  sj_block_append(kb, sj_op_new(c, SJ_OP_RETURN, 0, NULL, 0, NULL, 0, k->loc));
  return k;
}

/* ---- inner loops ---- */

static bool stores_to(sj_op *o, const sj_value *buf) {
  if (o->code == SJ_OP_STORE) return sj_opnd(o, 1) == buf;
  if (!o->nregions) return false;
  sj_op_vec ops = {0};
  sj_collect_ops(o->regions[0], &ops);
  bool hit = false;
  for (size_t i = 0; i < ops.n && !hit; i++) hit = ops.v[i]->code == SJ_OP_STORE && sj_opnd(ops.v[i], 1) == buf;
  sj_op_vec_free(&ops);
  return hit;
}

/* o (between loops a and b) may run before a's body instead of after it:
 * pure, no region, and not a load of a buffer a writes. */
static bool movable_over(const sj_op *o, sj_op *a) {
  if (!sj_op_has(o, SJ_F_PURE) || o->nregions) return false;
  return o->code != SJ_OP_LOAD || !stores_to(a, sj_opnd(o, 0));
}

/* The next loop after `a` that a could merge into, skipping movable ops. */
static sj_op *next_loop(sj_op *a) {
  sj_op *o = a->next;
  while (o && !is_loop(o) && movable_over(o, a)) o = o->next;
  return o && o->code == SJ_OP_FOR ? o : NULL;
}

/* a: plain `for` (no carried values); b: a later `for` in the same block with
 * the same bounds, carried values allowed. Legal under the same slice rule
 * as the outer loops (args: the fused kernel's params -> func values). */
static bool inner_mergeable(sj_op *a, sj_op *b, sj_value *const *args) {
  if (!same_space(args, a, args, b)) return false;
  side sa, sb;
  bool ok = collect_side(a, args, &sa);
  ok = collect_side(b, args, &sb) && ok;
  ok = ok && !slice_local(&sa, &sb);
  free_side(&sa);
  free_side(&sb);
  return ok;
}

/* Moves a's body to the front of b's body (a's iteration j then runs right
 * before b's iteration j), gives b a's bounds and iv name, and erases a. */
/* a's loop hints (discardable `loop.*` attributes: decision 0042) that b
 * lacks go to b: the merged loop holds a's body too, and LLVM still
 * decides whether vectorizing it is legal. */
static void keep_hints(sj_ctx *c, const sj_op *a, sj_op *b) {
  for (unsigned i = 0; i < a->nattrs; i++)
    if (!strncmp(a->attrs[i].name, "loop.", 5) && !sj_op_attr(b, a->attrs[i].name)) sj_op_set_attr(c, b, a->attrs[i]);
}

static void merge_into(sj_ctx *c, sj_op *a, sj_op *b) {
  keep_hints(c, a, b);
  sj_block *ab = a->regions[0], *bb = b->regions[0];
  sj_value_replace_all_uses(ab->args[0], bb->args[0]);
  bb->args[0]->name = ab->args[0]->name;
  sj_op *pos = bb->first;
  while (ab->first && !sj_op_has(ab->first, SJ_F_TERMINATOR)) {
    sj_op *o = ab->first;
    sj_op_unlink(o);
    sj_block_insert_before(pos, o);
  }
  sj_op_set_operand(b, 0, sj_opnd(a, 0));
  sj_op_set_operand(b, 1, sj_opnd(a, 1));
  sj_op_erase(a);
}

/* Merges adjacent mergeable loops in b, then in every loop body nested in it.
 * Nesting depth is bounded by the tensor rank, so the recursion is shallow. */
static unsigned fuse_inner(sj_ctx *c, sj_block *b, sj_value *const *args) {
  unsigned merged = 0;
  for (sj_op *o = b->first; o; o = o->next) {
    while (o->code == SJ_OP_FOR && !o->nresults) {
      sj_op *nx = next_loop(o);
      if (!nx || !inner_mergeable(o, nx, args)) break;
      merge_into(c, o, nx);
      merged++;
      o = nx;
    }
  }
  for (sj_op *o = b->first; o; o = o->next)
    if (is_loop(o)) merged += fuse_inner(c, o->regions[0], args);
  return merged;
}

/* ---- store-to-load forwarding ---- */

static bool same_index(const sj_value *a, const sj_value *b) {
  int64_t x, y;
  return a == b || (int_const(a, &x) && int_const(b, &y) && x == y);
}

static bool same_indices(const sj_op *ld, const sj_op *st) {
  if (ld->nopnds - 1 != st->nopnds - 2) return false;
  for (unsigned i = 1; i < ld->nopnds; i++)
    if (!same_index(sj_opnd(ld, i), sj_opnd(st, i + 1))) return false;
  return true;
}

/* Store-to-load forwarding in one forward walk (linear in the kernel): per
 * parameter buffer, `state` holds the store that last wrote it on the way
 * to the current op, NULL when none (then nothing reaches), or BLOCKED when
 * a nested loop stored to it or we are inside a loop that stores to it
 * anywhere (an earlier iteration's store, later in the body, could reach
 * the load). A load whose state is a store at the same indices reads the
 * stored value. Buffers are kernel parameters, at most MAX_PARAMS of them,
 * so a buffer set is a 64-bit mask. */
typedef uint64_t bufmask;
_Static_assert(MAX_PARAMS <= 64, "buffer sets are 64-bit masks");

static sj_op blocked_store;
#define BLOCKED (&blocked_store)

static int buf_slot(const sj_op *o) {
  const sj_value *b = access_buf(o);
  bool param = b && b->owner && b->owner->parent && b->owner->parent->code == SJ_OP_KERNEL;
  return param && b->index < MAX_PARAMS ? (int)b->index : -1;
}

/* stored[op->scratch]: buffers stored anywhere inside op (ops numbered in
 * pre-order by the caller). */
static void stored_masks(const sj_op_vec *ops, sj_op *k, bufmask *stored) {
  for (size_t i = ops->n; i-- > 0;) {
    const sj_op *o = ops->v[i];
    if (o->code == SJ_OP_STORE && buf_slot(o) >= 0) stored[i] |= (bufmask)1 << buf_slot(o);
    const sj_op *parent = o->block->parent;
    if (parent && parent != k) stored[parent->scratch] |= stored[i];
  }
}

static unsigned forward_block(sj_block *b, sj_op **state, const bufmask *stored) {
  unsigned n = 0;
  for (sj_op *o = b->first; o; o = o->next) {
    int slot = buf_slot(o);
    if (o->code == SJ_OP_LOAD && slot >= 0) {
      sj_op *st = state[slot];
      if (st && st != BLOCKED && same_indices(o, st)) {
        sj_value_replace_all_uses(sj_res(o, 0), sj_opnd(st, 0));
        n++;
      }
    } else if (o->code == SJ_OP_STORE && slot >= 0) {
      state[slot] = o;
    }
    if (!o->nregions) continue;
    bufmask m = stored[o->scratch];
    for (unsigned r = 0; r < o->nregions; r++) { /* depth: loop nesting, bounded by the rank */
      sj_op *inner[MAX_PARAMS];
      for (int p = 0; p < MAX_PARAMS; p++) inner[p] = !is_loop(o) ? NULL : m >> p & 1 ? BLOCKED : state[p];
      n += forward_block(o->regions[r], inner, stored);
    }
    for (int p = 0; p < MAX_PARAMS; p++)
      if (m >> p & 1) state[p] = BLOCKED;
  }
  return n;
}

static unsigned forward_stores(sj_op *k) {
  sj_op_vec ops = {0};
  sj_collect_ops(sj_func_body(k), &ops);
  bufmask *stored = sj_scratch_calloc(ops.n ? ops.n : 1, sizeof *stored);
  unsigned n = 0;
  if (stored) {
    for (size_t i = 0; i < ops.n; i++) ops.v[i]->scratch = (unsigned)i;
    stored_masks(&ops, k, stored);
    sj_op *state[MAX_PARAMS] = {0};
    n = forward_block(sj_func_body(k), state, stored);
  }
  sj_scratch_free(stored);
  sj_op_vec_free(&ops);
  return n;
}

/* Pure ops with unused results, and `for` loops whose results are unused and
 * that store nothing (forwarding leaves both behind). */
static void dce_kernel(sj_op *k) {
  for (bool changed = true; changed;) {
    changed = false;
    sj_op_vec ops = {0};
    sj_collect_ops(sj_func_body(k), &ops);
    for (size_t i = ops.n; i-- > 0;) {
      sj_op *o = ops.v[i];
      bool used = false;
      for (unsigned r = 0; r < o->nresults && !used; r++) used = sj_value_has_uses(sj_res(o, r));
      if (used || !o->nresults) continue;
      bool dead = sj_op_has(o, SJ_F_PURE) && !o->nregions;
      if (o->code == SJ_OP_FOR) {
        sj_op_vec in = {0};
        sj_collect_ops(o->regions[0], &in);
        dead = true;
        for (size_t j = 0; j < in.n && dead; j++) dead = in.v[j]->code != SJ_OP_STORE;
        sj_op_vec_free(&in);
      }
      if (dead) {
        sj_op_erase(o);
        changed = true;
      }
    }
    sj_op_vec_free(&ops);
  }
}

/* ---- temporaries ---- */

static bool param_loaded(const sj_value *p) {
  for (const sj_use *u = p->uses; u; u = u->next)
    if (u->user->code == SJ_OP_LOAD && u->index == 0) return true;
  return false;
}

/* v is a temporary of this func: alloc'd, used only by `launch` and by
 * `dim`s (not returned, not read elsewhere). */
static bool temp_only_here(const sj_value *v, const sj_op *launch) {
  if (!v->def || v->def->code != SJ_OP_ALLOC) return false;
  for (const sj_use *u = v->uses; u; u = u->next)
    if (u->user != launch && u->user->code != SJ_OP_DIM) return false;
  return true;
}

/* Replaces each func-level `dim` of alloc result v along a dynamic axis by
 * the alloc's size operand (defined before the alloc), then erases the alloc
 * if nothing uses it any more. */
static void drop_alloc(sj_value *v) {
  sj_op *al = v->def;
  for (sj_use *u = v->uses, *nx; u; u = nx) {
    nx = u->next;
    sj_op *d = u->user;
    int axis = (int)sj_op_int(d, "axis", 0);
    if (d->code != SJ_OP_DIM || axis < 0 || axis >= v->type.rank || v->type.dims[axis] != SJ_DYN) continue;
    unsigned k = 0;
    for (int j = 0; j < axis; j++) k += v->type.dims[j] == SJ_DYN;
    sj_value_replace_all_uses(sj_res(d, 0), sj_opnd(al, k));
    sj_op_erase(d);
  }
  if (!sj_value_has_uses(v)) sj_op_erase(al);
}

/* Points every `dim` of param p at another param with the same extent (by
 * the launch's arguments); false if some dim has no replacement. Dims are
 * changed only when all of them can be. */
static bool redirect_dims(sj_ctx *c, sj_op *k, const sj_op *launch, unsigned p) {
  sj_block *b = sj_func_body(k);
  for (int apply = 0; apply < 2; apply++) {
    for (sj_use *u = b->args[p]->uses, *nx; u; u = nx) {
      nx = u->next;
      sj_op *d = u->user;
      if (d->code == SJ_OP_STORE && u->index == 1) continue;
      if (d->code != SJ_OP_DIM) return false;
      dimkey want = canon_dim(sj_opnd(launch, p), (int)sj_op_int(d, "axis", 0));
      unsigned q = 0;
      int ax = -1;
      for (; q < b->nargs && ax < 0; q++)
        for (int x = 0; q != p && x < sj_opnd(launch, q)->type.rank && ax < 0; x++)
          if (same_dimkey(canon_dim(sj_opnd(launch, q), x), want)) ax = x;
      if (ax < 0) return false;
      if (apply) {
        sj_op_set_int(c, d, "axis", ax);
        sj_op_set_operand(d, 0, b->args[q - 1]);
      }
    }
  }
  return true;
}

/* Drops param p of k: its stores and the block argument. */
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

/* Removes every param of the fused kernel that nothing reads any more and
 * whose buffer is a temporary, with its launch argument and alloc. */
static unsigned eliminate_temps(sj_ctx *c, sj_op *k, sj_op *launch) {
  unsigned removed = 0;
  for (unsigned p = launch->nopnds; p-- > 0;) {
    sj_value *v = sj_opnd(launch, p);
    if (!temp_only_here(v, launch) || param_loaded(sj_func_body(k)->args[p]) || !redirect_dims(c, k, launch, p))
      continue;
    drop_param(k, p);
    sj_value *rest[MAX_PARAMS];
    unsigned n = 0;
    for (unsigned i = 0; i < launch->nopnds; i++)
      if (i != p) rest[n++] = sj_opnd(launch, i);
    sj_op_set_operands(c, launch, n, rest);
    drop_alloc(v);
    removed++;
  }
  return removed;
}

/* ---- rematerialization ----
 * A load of a temporary that an earlier sibling loop stored at the
 * corresponding index, when the stored value is a small tree of cheap ops
 * over loads of buffers the kernel never writes and values from outside
 * that loop, is replaced by recomputing the tree where the load was. The
 * temporary then has no reader and is eliminated: log_softmax stores x - max
 * for the sum and reads it back for the result; recomputing it from x (a
 * row the cache holds) saves writing and reading a whole buffer. */

#define REMAT_MAX_OPS 8

/* Can v (computed in loop sl) be recomputed elsewhere from its tree? */
static bool remat_ok(sj_op *k, const sj_op *sl, const sj_value *v, int *n) {
  if (!sj_value_defined_in(sl, v)) return true;
  const sj_op *d = v->def;
  if (!d || d->nregions || ++*n > REMAT_MAX_OPS) return false;
  if (d->code == SJ_OP_LOAD) {
    if (!access_buf(d) || stores_to(k, sj_opnd(d, 0))) return false;
    for (unsigned i = 1; i < d->nopnds; i++)
      if (sj_value_defined_in(sl, sj_opnd(d, i)) && sj_opnd(d, i) != loop_iv(sl)) return false;
    return true;
  }
  if (!sj_op_has(d, SJ_F_ELEMWISE) || sj_op_has(d, SJ_F_EXPENSIVE) || !sj_op_has(d, SJ_F_PURE)) return false;
  for (unsigned i = 0; i < d->nopnds; i++)
    if (!remat_ok(k, sl, sj_opnd(d, i), n)) return false;
  return true;
}

/* Clones v's tree before `at`, sl's induction variable mapped in vm. */
static sj_value *remat_clone(sj_ctx *c, const sj_op *sl, sj_value *v, sj_op *at, sj_value_map *vm) {
  if (!sj_value_defined_in(sl, v) || sj_value_map_get(vm, v) != v) return sj_value_map_get(vm, v);
  for (unsigned i = 0; i < v->def->nopnds; i++) remat_clone(c, sl, sj_opnd(v->def, i), at, vm);
  sj_op *cl = sj_op_clone(c, v->def, vm);
  sj_block_insert_before(at, cl);
  sj_value_map_set(vm, v, sj_res(cl, 0));
  return sj_res(cl, 0);
}

/* The store whose value `ld` (directly in loop ll) reads: the only store to
 * the buffer in the nearest earlier sibling loop sl that stores to it, with
 * the same bounds, at corresponding indices (sl's variable where ld has
 * ll's, the same outside values elsewhere). */
static sj_op *sibling_store(sj_op *ld, const sj_op **slp) {
  sj_op *ll = ld->block->parent;
  const sj_value *buf = sj_opnd(ld, 0);
  if (!ll || !is_loop(ll) || stores_to(ll, buf)) return NULL;
  sj_op *sl = ll->prev;
  while (sl && !stores_to(sl, buf)) sl = sl->prev;
  if (!sl || !is_loop(sl) || !same_index(sj_opnd(sl, 0), sj_opnd(ll, 0)) || !same_index(sj_opnd(sl, 1), sj_opnd(ll, 1)))
    return NULL;
  sj_op *st = NULL;
  for (sj_op *o = sl->regions[0]->first; o; o = o->next)
    if (stores_to(o, buf)) {
      if (st || o->code != SJ_OP_STORE) return NULL;
      st = o;
    }
  if (!st || ld->nopnds + 1 != st->nopnds) return NULL;
  for (unsigned i = 1; i < ld->nopnds; i++) {
    const sj_value *a = sj_opnd(st, i + 1), *b = sj_opnd(ld, i);
    bool ok = a == loop_iv(sl) ? b == loop_iv(ll) : !sj_value_defined_in(sl, a) && same_index(a, b);
    if (!ok) return NULL;
  }
  *slp = sl;
  return st;
}

/* Recomputes loads of temporaries (alloc'd, used only by `launch`) where
 * sibling_store and remat_ok allow. */
static unsigned remat_loads(sj_ctx *c, sj_op *k, const sj_op *launch) {
  unsigned n_remat = 0;
  sj_op_vec ops = {0};
  sj_collect_ops(sj_func_body(k), &ops);
  for (size_t i = 0; i < ops.n; i++) {
    sj_op *ld = ops.v[i];
    const sj_op *sl = NULL;
    int n = 0;
    if (ld->code != SJ_OP_LOAD || !access_buf(ld) || !temp_only_here(sj_opnd(launch, access_buf(ld)->index), launch)) continue;
    sj_op *st = sibling_store(ld, &sl);
    if (!st || !remat_ok(k, sl, sj_opnd(st, 0), &n)) continue;
    sj_value_map *vm = sj_value_map_new(c);
    sj_value_map_set(vm, loop_iv(sl), loop_iv(ld->block->parent));
    sj_value_replace_all_uses(sj_res(ld, 0), remat_clone(c, sl, sj_opnd(st, 0), ld, vm));
    sj_op_erase(ld);
    n_remat++;
  }
  sj_op_vec_free(&ops);
  return n_remat;
}

/* Params read as `in<k>`, written as `out<k>`, in order. */
static void name_params(sj_ctx *c, sj_op *k) {
  sj_block *b = sj_func_body(k);
  unsigned nin = 0, nout = 0;
  for (unsigned p = 0; p < b->nargs; p++) {
    bool written = false;
    for (const sj_use *u = b->args[p]->uses; u && !written; u = u->next)
      written = u->user->code == SJ_OP_STORE && u->index == 1;
    char name[32];
    snprintf(name, sizeof name, "%s%u", written ? "out" : "in", written ? nout++ : nin++);
    b->args[p]->name = sj_intern(c, name);
  }
}

/* Some store's buffer is still loaded in kernel k. */
static bool reads_back(sj_op *k) {
  sj_op_vec ops = {0};
  sj_collect_ops(sj_func_body(k), &ops);
  bool hit = false;
  for (size_t i = 0; i < ops.n && !hit; i++)
    hit = ops.v[i]->code == SJ_OP_STORE && access_buf(ops.v[i]) && param_loaded(access_buf(ops.v[i]));
  sj_op_vec_free(&ops);
  return hit;
}

/* ---- driver ---- */

/* Kernels by name (lib/ir/symtab.h). A kernel's scratch counts the
 * func-level launches of it, so a merged-away kernel is erased when its
 * count drops to 0. */
typedef struct lfuse {
  sj_module *m;
  sj_pass_run *run;
  sj_symtab syms;
  int64_t max_ops;
  unsigned counter; /* next _f<N> of the current func */
} lfuse;

static void count_cb(sj_op *op, void *ud) {
  (void)op;
  ++*(size_t *)ud;
}
static size_t count_ops(sj_op *k) {
  size_t n = 0;
  sj_walk_block(sj_func_body(k), count_cb, &n);
  return n;
}

/* Records why l1 and l2 were not merged (--debug-fusion); returns NULL. */
static sj_op *refuse(lfuse *L, const sj_op *l1, const sj_op *l2, const char *why) {
  sj_pass_remark(L->run, l2->loc, "launches of @%s and @%s not merged: %s", sj_op_sym(l1, "kernel"),
                 sj_op_sym(l2, "kernel"), why);
  return NULL;
}

static sj_op *install(lfuse *L, sj_op *func, sj_op *l1, sj_op *l2, sj_op *k, sj_value *const *u, unsigned nu,
                      unsigned inner, unsigned fwd);

/* ---- a max reduction then a sum of exp against it ----
 * Kernels K1 = `m = for {combine = "maximum"} of v; store m, %M` and K2 =
 * `for {combine = "add"} of exp(v - load %M)` (logsumexp's two passes) are
 * not fused at the outer loop (K2 needs all of m), but concatenated: one
 * kernel with both prologues, K1's loop and epilogue, then K2's loop and
 * epilogue, K2's 0-d load of %M replaced by m. Only when codegen then runs
 * the pair in one pass over memory (sj_online_lse_pair: lib/codegen,
 * parallel.c); otherwise the two launches stay as they are. */

/* The param K1's epilogue stores loop result r to with no indices, or NULL. */
static sj_value *stored_result_param(const sj_op *loop, const sj_value *r) {
  for (const sj_op *o = loop->next; o && o->code != SJ_OP_RETURN; o = o->next)
    if (o->code == SJ_OP_STORE && o->nopnds == 2 && sj_opnd(o, 0) == r && access_buf(o)) return sj_opnd(o, 1);
  return NULL;
}

/* Replaces the 0-d loads of param p inside loop by value v. */
static void loads_to_value(sj_op *loop, sj_value *p, sj_value *v) {
  sj_op_vec ops = {0};
  sj_collect_ops(loop->regions[0], &ops);
  for (size_t i = 0; i < ops.n; i++) {
    sj_op *o = ops.v[i];
    if (o->code != SJ_OP_LOAD || o->nopnds != 1 || sj_opnd(o, 0) != p) continue;
    sj_value_replace_all_uses(sj_res(o, 0), v);
    sj_op_erase(o);
  }
  sj_op_vec_free(&ops);
}

/* Appends a clone of `loop` and what follows it up to `return` to kb. */
static sj_op *clone_nest(sj_ctx *c, sj_block *kb, const sj_op *loop, sj_value_map *vm) {
  sj_op *cl = NULL;
  for (const sj_op *o = loop; o && o->code != SJ_OP_RETURN; o = o->next) {
    sj_op *x = sj_op_clone(c, o, vm);
    sj_block_append(kb, x);
    if (o == loop) cl = x;
  }
  return cl;
}

static sj_op *try_pair(lfuse *L, sj_op *func, sj_op *l1, sj_op *l2, const knest *n1, const knest *n2) {
  sj_ctx *c = L->m->ctx;
  if (!pure_between(l1, l2)) return refuse(L, l1, l2, "an op between the launches");
  if (!related(l1, l2)) return refuse(L, l1, l2, "no shared buffer");
  if ((int64_t)(count_ops(n1->kernel) + count_ops(n2->kernel)) > L->max_ops)
    return refuse(L, l1, l2, "the kernels together have more than max-kernel-ops ops");
  sj_value *u[2 * MAX_PARAMS];
  unsigned nu = 0;
  for (unsigned i = 0; i < l1->nopnds; i++) union_slot(u, &nu, sj_opnd(l1, i));
  for (unsigned i = 0; i < l2->nopnds; i++) union_slot(u, &nu, sj_opnd(l2, i));
  for (unsigned i = 0; i < nu; i++)
    for (unsigned j = i + 1; j < nu; j++)
      if (alias_root(u[i]) == alias_root(u[j])) return refuse(L, l1, l2, "aliased buffers");
  sj_value_map *vm1, *vm2;
  sj_op *k = kernel_shell(c, l1, l2, n1, n2, u, nu, &vm1, &vm2);
  sj_block *kb = sj_func_body(k);
  sj_op *r1 = clone_nest(c, kb, n1->loop, vm1);
  sj_op *r2 = clone_nest(c, kb, n2->loop, vm2);
  sj_block_append(kb, sj_op_new(c, SJ_OP_RETURN, 0, NULL, 0, NULL, 0, k->loc));
  sj_value *mp = stored_result_param(r1, sj_res(r1, 0));
  if (mp) loads_to_value(r2, mp, sj_res(r1, 0));
  if (!mp || !sj_online_lse_pair(r1, r2)) {
    sj_op_drop_operands(k);
    return refuse(L, l1, l2, "a reduction's results are ready only after its loop");
  }
  return install(L, func, l1, l2, k, u, nu, 0, 1);
}

/* Merges launches l1 and l2; returns the new launch, or NULL (and why). */
static sj_op *try_fuse(lfuse *L, sj_op *func, sj_op *l1, sj_op *l2) {
  sj_ctx *c = L->m->ctx;
  knest n1, n2;
  sj_op *k1 = sj_symtab_get(&L->syms, sj_op_sym(l1, "kernel")), *k2 = sj_symtab_get(&L->syms, sj_op_sym(l2, "kernel"));
  if (!k1 || !k2 || k1->code != SJ_OP_KERNEL || k2->code != SJ_OP_KERNEL) return NULL;
  if (!single_nest(k1, &n1) || !single_nest(k2, &n2)) return refuse(L, l1, l2, "a kernel is not one loop nest");
  if (l1->nopnds > MAX_PARAMS || l2->nopnds > MAX_PARAMS) return refuse(L, l1, l2, "too many parameters");
  sj_value *a1[MAX_PARAMS], *a2[MAX_PARAMS], *u[2 * MAX_PARAMS];
  operands_of(l1, a1);
  operands_of(l2, a2);
  if (n1.reduce && n2.reduce) return try_pair(L, func, l1, l2, &n1, &n2);
  const char *why = why_not(l1, l2, &n1, &n2, a1, a2);
  if (why) return refuse(L, l1, l2, why);
  if ((int64_t)(count_ops(k1) + count_ops(k2)) > L->max_ops)
    return refuse(L, l1, l2, "the kernels together have more than max-kernel-ops ops");
  unsigned nu = 0;
  for (unsigned i = 0; i < l1->nopnds; i++) union_slot(u, &nu, a1[i]);
  for (unsigned i = 0; i < l2->nopnds; i++) union_slot(u, &nu, a2[i]);

  sj_op *k = merge_kernels(c, l1, l2, &n1, &n2, u, nu);
  unsigned inner = fuse_inner(c, sj_func_body(k), u);
  unsigned fwd = forward_stores(k);
  dce_kernel(k);
  if (n2.reduce && reads_back(k)) { /* the nest's results are not all forwarded: keep it parallel */
    sj_op_drop_operands(k);
    return refuse(L, l1, l2, "the nest's results are still read after forwarding (it stays a parallel loop)");
  }
  return install(L, func, l1, l2, k, u, nu, inner, fwd);
}

/* Replaces launches l1, l2 by one launch of the new kernel k (params u) and
 * cleans up; the merged-away kernels go when nothing launches them. */
static sj_op *install(lfuse *L, sj_op *func, sj_op *l1, sj_op *l2, sj_op *k, sj_value *const *u, unsigned nu,
                      unsigned inner, unsigned fwd) {
  sj_ctx *c = L->m->ctx;
  sj_op *k1 = sj_symtab_get(&L->syms, sj_op_sym(l1, "kernel")), *k2 = sj_symtab_get(&L->syms, sj_op_sym(l2, "kernel"));
  const char *name = sj_symtab_fresh(c, &L->syms, sj_func_name(func), 'f', &L->counter);
  if (!name || !sj_symtab_put(&L->syms, name, k)) { /* out of memory: leave the pair as it is */
    sj_op_drop_operands(k);
    return NULL;
  }
  sj_op_set_sym(c, k, "sym_name", name);
  sj_op *nl = sj_op_new(c, SJ_OP_LAUNCH, nu, u, 0, NULL, 0, l2->loc);
  sj_op_set_sym(c, nl, "kernel", sj_func_name(k));
  sj_block_insert_before(l2, nl);
  sj_op_erase(l1);
  sj_op_erase(l2);
  unsigned remat = remat_loads(c, k, nl);
  unsigned temps = eliminate_temps(c, k, nl);
  dce_kernel(k);
  name_params(c, k);
  sj_block_insert_before(k1, k);
  k->scratch = 1;
  k1->scratch--, k2->scratch--;
  for (int i = 0; i < 2; i++) {
    sj_op *old = i ? k2 : k1;
    if (old->scratch || (i && k2 == k1)) continue;
    sj_symtab_put(&L->syms, sj_func_name(old), NULL);
    sj_op_erase(old);
  }
  sj_pass_stat_add(L->run, SJ_STAT_lf_kernels_merged, 1);
  sj_pass_stat_add(L->run, SJ_STAT_lf_inner_merged, inner);
  sj_pass_stat_add(L->run, SJ_STAT_lf_forwarded, fwd);
  sj_pass_stat_add(L->run, SJ_STAT_lf_remat, remat);
  sj_pass_stat_add(L->run, SJ_STAT_lf_temps, temps);
  return nl;
}

/* The next (previous) launch in the block, whatever lies between: why_not
 * refuses a pair with anything but dim/alloc/constant between, and
 * --debug-fusion says so. */
static sj_op *next_launch(sj_op *a) {
  sj_op *b = a->next;
  while (b && b->code != SJ_OP_LAUNCH) b = b->next;
  return b;
}
static sj_op *prev_launch(sj_op *b) {
  sj_op *a = b->prev;
  while (a && a->code != SJ_OP_LAUNCH) a = a->prev;
  return a;
}

/* Both launch a reduction kernel (a max and a sum of exp, maybe). */
static bool reduction_pair(lfuse *L, const sj_op *l1, const sj_op *l2) {
  sj_op *k1 = sj_symtab_get(&L->syms, sj_op_sym(l1, "kernel")), *k2 = sj_symtab_get(&L->syms, sj_op_sym(l2, "kernel"));
  knest n1, n2;
  return k1 && k2 && k1->code == SJ_OP_KERNEL && k2->code == SJ_OP_KERNEL && single_nest(k1, &n1) &&
         single_nest(k2, &n2) && n1.reduce && n2.reduce;
}

/* Tries each launch with the next one. A run of merges grows one launch
 * (the chain); after the chain's first merge, the launch before it is
 * tried once against it (the pair is new and may now fuse, as when the
 * pass restarted from the top after each merge); a launch that refused a
 * chain is not tried against it again as it grows, since most refusals
 * persist (an op between, the bounds, the loop kinds) or get worse (size).
 * So each launch is tried a bounded number of times and nothing is
 * rescanned per merge: linear in the size of the func. One exception: a
 * chain that has just become a reduction kernel is tried once more against
 * a reduction launch before it (try_pair; a reduction ends a chain, so this
 * happens at most once per chain). */
static void fuse_func(lfuse *L, sj_op *func) {
  static sj_op none;        /* "the chain has no launch before it" */
  sj_op *tried = NULL;      /* the launch before the current chain, if already tried */
  L->counter = 0;
  sj_op *a = sj_func_body(func)->first;
  while (a) {
    sj_op *b = a->code == SJ_OP_LAUNCH ? next_launch(a) : NULL;
    if (!b) {
      a = a->next;
      continue;
    }
    sj_op *nl = try_fuse(L, func, a, b);
    if (!nl) {
      tried = a; /* b starts a chain that a has been tried against */
      a = b;
      continue;
    }
    sj_op *p = tried ? NULL : prev_launch(nl);
    if (!p && tried && tried != &none && reduction_pair(L, tried, nl)) {
      a = tried; /* the chain became a reduction: try_pair may now take it */
      tried = NULL;
      continue;
    }
    tried = p ? NULL : tried ? tried : &none;
    a = p ? p : nl;
  }
}

/* Symbols of the module, and per kernel the number of func-level launches. */
static bool index_module(lfuse *L) {
  for (sj_op *f = L->m->body->first; f; f = f->next) f->scratch = 0;
  if (!sj_symtab_index_module(&L->syms, L->m)) return false;
  for (sj_op *f = L->m->body->first; f; f = f->next) {
    if (f->code != SJ_OP_FUNC) continue;
    for (sj_op *o = sj_func_body(f)->first; o; o = o->next) {
      sj_op *k = o->code == SJ_OP_LAUNCH ? sj_symtab_get(&L->syms, sj_op_sym(o, "kernel")) : NULL;
      if (k) k->scratch++;
    }
  }
  return true;
}

sj_status sj_pass_loop_fusion(sj_module *m, sj_pass_run *run) {
  lfuse L = {.m = m, .run = run, .max_ops = sj_pass_opt(run, SJ_OPT_lf_max_ops)};
  sj_status st = SJ_OK;
  if (!index_module(&L)) st = sj_emit_error(m->ctx, (sj_loc){0}, "loop-fusion: out of memory");
  sj_op_vec funcs = {0};
  for (sj_op *f = m->body->first; f && !st; f = f->next)
    if (f->code == SJ_OP_FUNC) sj_op_vec_push(&funcs, f);
  for (size_t i = 0; i < funcs.n; i++) fuse_func(&L, funcs.v[i]);
  sj_op_vec_free(&funcs);
  sj_symtab_free(&L.syms);
  return st ? SJ_ERR_NOMEM : SJ_OK;
}
