/* assemble-slices: a sum of slice updates of zeros over disjoint regions —
 * the gradient of several slices of one tensor — becomes one chain of
 * "set" updates of one zero tensor (docs/decisions/0025-slice-assembly.md):
 *
 *   add(slice_update(0, a, R1), slice_update(0, b, R2))
 *     -> slice_update(slice_update(0, a + 0.0, R1), b + 0.0, R2)   (R1, R2 disjoint)
 *
 * The sum is a tree of `add`s of one type (inner adds used only by the
 * tree); each leaf is a chain of slice_updates (either mode) that starts at
 * a splat zero constant of that type; every region of every leaf is
 * provably disjoint from every other (sj_slice_regions_disjoint). Then each
 * element of the sum is one update's value plus zeros, or zeros only, and
 * the chain computes it exactly: IEEE x + (+0.0) is x except that it turns
 * -0.0 into +0.0, so a value gets `+ 0.0` (an elementwise add that fuses
 * into its producer) exactly when a +0.0 takes part in its sum, and the
 * chain's base is -0.0 only when every zero is. Integers and --fast-math
 * need no `+ 0.0`. lower-to-loops then writes the chain in place into one
 * buffer (and skips the zero fill when the regions cover it), where the
 * sum wrote one copy per leaf and read them all again.
 *
 * Runs after scan-pushout, which sinks splat non-sequences into scan
 * bodies (so the zeros of a scan's backward body are constants here), and
 * before outline-scan and fusion. */
#include <math.h>
#include <string.h>

#include "canon.h"
#include "registry.h"
#include "slice.h"

/* Most updates in one assembled chain: the disjointness check is quadratic
 * in it and the tree walk is bounded by it (a sum of 64 slices is already
 * far past any model's gate count). */
#define MAX_UPDATES 64

typedef struct update {
  sj_op *op;  /* the slice_update: region and values */
  int leaf;   /* which leaf chain it belongs to */
} update;

typedef struct tree {
  const sj_type *t;
  update u[MAX_UPDATES];
  int nu, nleaves;
  sj_value *zero[MAX_UPDATES]; /* per leaf: its base constant */
} tree;

static bool is_zero_splat(const sj_value *v, const sj_type *t) {
  double x;
  return sj_type_eq(&v->type, t) && sj_canon_splat(v, &x) && x == 0;
}

static bool neg_zero(const sj_value *z) {
  double x;
  return !sj_dtype_is_float(z->type.dt) || (sj_canon_splat(z, &x) && signbit(x));
}

/* Leaf v: slice_updates of type t down to a splat zero, added to T. */
static bool add_leaf(tree *T, sj_value *v) {
  int leaf = T->nleaves, first = T->nu;
  while (!is_zero_splat(v, T->t)) {
    sj_op *d = v->def;
    if (!d || d->code != SJ_OP_SLICE_UPDATE || !sj_type_eq(&v->type, T->t) || T->nu == MAX_UPDATES) return false;
    T->u[T->nu++] = (update){d, leaf};
    v = sj_opnd(d, 0);
  }
  if (T->nu == first) return false; /* a bare zero: canonicalize's x + 0 */
  /* bottom of the chain first: the order the updates were applied */
  for (int i = first, j = T->nu - 1; i < j; i++, j--) {
    update s = T->u[i];
    T->u[i] = T->u[j], T->u[j] = s;
  }
  T->zero[T->nleaves++] = v;
  return true;
}

/* The tree below root: inner adds of type t with one use, leaves in order
 * (left to right, with an explicit stack: no recursion on the tree). */
static bool collect(tree *T, sj_op *root) {
  sj_value *stack[MAX_UPDATES + 2];
  int n = 0;
  T->t = &sj_res(root, 0)->type;
  T->nu = T->nleaves = 0;
  stack[n++] = sj_opnd(root, 1), stack[n++] = sj_opnd(root, 0);
  while (n > 0) {
    sj_value *v = stack[--n];
    sj_op *d = v->def;
    if (d && d->code == SJ_OP_ADD && sj_type_eq(&v->type, T->t) && sj_value_num_uses(v) == 1) {
      if (n + 2 > MAX_UPDATES + 2) return false;
      stack[n++] = sj_opnd(d, 1), stack[n++] = sj_opnd(d, 0);
      continue;
    }
    if (T->nleaves == MAX_UPDATES || !add_leaf(T, v)) return false;
  }
  for (int i = 0; i < T->nu; i++)
    for (int j = i + 1; j < T->nu; j++)
      if (!sj_slice_regions_disjoint(T->u[i].op, T->u[j].op, T->t)) return false;
  return true;
}

static bool is_sum(const sj_op *op) {
  if (op->code != SJ_OP_ADD || op->nresults != 1) return false;
  const sj_type *t = &sj_res(op, 0)->type;
  return t->is_tensor && t->dt != SJ_BOOL && sj_type_eq(&sj_opnd(op, 0)->type, t) &&
         sj_type_eq(&sj_opnd(op, 1)->type, t);
}

/* v = y + (+0.0): never -0.0 already (a value an earlier assembly of an
 * inner sum with other users canonicalized). */
static bool plus_zero_of(const sj_value *v) {
  double x;
  return v->def && v->def->code == SJ_OP_ADD && sj_canon_splat(sj_opnd(v->def, 1), &x) && x == 0 && !signbit(x);
}

/* Whether update i's value needs `+ 0.0`: a +0.0 takes part in its sum
 * (another leaf's zero, or its own base under mode "add"). */
static bool needs_plus_zero(sj_rewriter *rw, const tree *T, int i) {
  if (!sj_dtype_is_float(T->t->dt) || sj_canon_fast_math(rw) || plus_zero_of(sj_opnd(T->u[i].op, 1))) return false;
  bool add = strcmp(sj_op_attr(T->u[i].op, "mode")->u.s, "add") == 0;
  for (int l = 0; l < T->nleaves; l++)
    if ((l != T->u[i].leaf || add) && !neg_zero(T->zero[l])) return true;
  return false;
}

/* The chain's base: -0.0 when every zero is (their sum), else +0.0; a leaf's
 * own constant when one has that value. NULL when a new one is needed but
 * the type is dynamic (a constant has a static type). */
static sj_value *base_zero(sj_rewriter *rw, const tree *T, sj_op *pos) {
  bool all_neg = true;
  for (int l = 0; l < T->nleaves; l++) all_neg &= neg_zero(T->zero[l]);
  for (int l = 0; l < T->nleaves; l++)
    if (neg_zero(T->zero[l]) == all_neg) return T->zero[l];
  if (!sj_canon_static(T->t)) return NULL;
  return sj_canon_splat_new(rw, pos, *T->t, all_neg ? -0.0 : 0.0);
}

/* The root's single user is another add that assembles the whole tree: leave
 * it to that one (the driver visits it too), so values get one `+ 0.0`. */
static bool user_assembles(const sj_op *op) {
  const sj_value *r = sj_res(op, 0);
  if (sj_value_num_uses(r) != 1) return false;
  sj_op *u = r->uses->user;
  tree T;
  return is_sum(u) && sj_type_eq(&sj_res(u, 0)->type, &r->type) && collect(&T, u);
}

static bool assemble(sj_rewriter *rw, sj_op *op) {
  if (!is_sum(op) || user_assembles(op)) return false;
  tree T;
  if (!collect(&T, op)) return false;
  sj_value *v = base_zero(rw, &T, op), *pz = NULL;
  if (!v) return false;
  sj_ctx *c = sj_rw_ctx(rw);
  for (int i = 0; i < T.nu; i++) {
    const sj_op *u = T.u[i].op;
    sj_value *y = sj_opnd(u, 1);
    if (needs_plus_zero(rw, &T, i)) {
      if (!pz) pz = sj_canon_splat_new(rw, op, sj_canon_scalar_like(T.t, T.t->dt), 0.0);
      sj_value *in[2] = {y, pz};
      y = sj_res(sj_rw_create(rw, op, SJ_OP_ADD, 2, in, y->type), 0);
    }
    sj_value *in[2] = {v, y};
    sj_op *n = sj_rw_create(rw, op, SJ_OP_SLICE_UPDATE, 2, in, *T.t);
    for (unsigned a = 0; a < u->nattrs; a++) sj_op_set_attr(c, n, u->attrs[a]);
    sj_op_set_attr(c, n, (sj_attr){.name = "mode", .kind = SJ_ATTR_STR, .u.s = sj_intern(c, "set")});
    v = sj_res(n, 0);
  }
  sj_rw_replace_op(rw, op, &v);
  return true;
}

/* Indexed by statistic: pattern k's applications are counter k. */
static const sj_pattern patterns[] = {[SJ_STAT_asm_sums] = {"assemble", assemble}};
#define NPATS (sizeof patterns / sizeof *patterns)
_Static_assert(NPATS == SJ_STAT_asm_dead, "one statistic per pattern, then dead-ops-erased");

sj_status sj_pass_assemble_slices(sj_module *m, sj_pass_run *run) {
  return sj_apply_patterns_counted(m, patterns, NPATS, run, SJ_STAT_asm_dead);
}
