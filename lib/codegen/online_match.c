/* The "max then sum of exp" pair that codegen runs in one pass over memory
 * (parallel.c, sj_cg_parallel_online) and that loop-fusion puts into one
 * kernel for it. Pure IR: no LLVM here, so passes may ask it too. */
#include <string.h>

#include "codegen.h"
#include "opinfo.h"

/* Structural recursion depth for same_expr: the value a reduction reduces is
 * a load or a few elementwise ops on loads. */
#define MAX_EXPR_DEPTH 8

static bool combine_is(const sj_op *loop, const char *name) {
  const sj_attr *a = sj_op_attr(loop, "combine");
  return a && a->kind == SJ_ATTR_STR && !strcmp(a->u.s, name);
}

/* Deepest nesting of reduction loops handled (a rank-8 full reduction). */
#define MAX_LEVELS 8

/* The reduction nest of `loop`: lv[0] = loop, lv[k+1] the `for` with the
 * same combine that lv[k] yields, seeded with lv[k]'s carried value (a
 * full reduction over several axes); returns the depth, 0 if too deep. */
static int nest_levels(const sj_op *loop, const sj_op **lv) {
  const sj_attr *comb = sj_op_attr(loop, "combine");
  for (int n = 0; n < MAX_LEVELS; n++) {
    lv[n] = loop;
    const sj_block *b = loop->regions[0];
    const sj_op *y = b->last, *d = y && y->nopnds == 1 ? sj_opnd(y, 0)->def : NULL;
    if (!d || d->code != SJ_OP_FOR || d->block != b || d->nresults != 1 || d->nopnds != 3 ||
        sj_opnd(d, 2) != b->args[1] || !sj_op_attr(d, "combine") || !sj_attr_eq(sj_op_attr(d, "combine"), comb))
      return n + 1;
    loop = d;
  }
  return 0;
}

/* A reduction nest marked {combine = name} with one carried float (f32/f64)
 * value, whose body writes nothing and holds no other region than its own
 * levels, each level's bounds defined outside the nest. */
static int float_reduction(const sj_op *loop, const char *name, const sj_op **lv) {
  if (loop->code != SJ_OP_FOR || loop->nresults != 1 || loop->nopnds != 3 || !combine_is(loop, name)) return 0;
  sj_dtype dt = sj_res(loop, 0)->type.dt;
  int n = dt == SJ_F32 || dt == SJ_F64 ? nest_levels(loop, lv) : 0;
  for (int k = 1; k < n; k++)
    if (sj_value_defined_in(loop, sj_opnd(lv[k], 0)) || sj_value_defined_in(loop, sj_opnd(lv[k], 1))) return 0;
  sj_op_vec ops = {0};
  sj_collect_ops(loop->regions[0], &ops);
  bool ok = n > 0 && !ops.failed;
  for (size_t i = 0; i < ops.n && ok; i++) {
    bool level = false;
    for (int k = 1; k < n; k++) level = level || ops.v[i] == lv[k];
    ok = !sj_op_has(ops.v[i], SJ_F_WRITES) && (!ops.v[i]->nregions || level);
  }
  sj_op_vec_free(&ops);
  return ok ? n : 0;
}

/* The value the innermost level's yielded `code`(acc, v) combines with its
 * carried value acc (either operand order), or NULL. */
static sj_value *combined_value(const sj_op *loop, sj_opcode code) {
  const sj_block *b = loop->regions[0];
  const sj_op *y = b->last, *d = y && y->nopnds == 1 ? sj_opnd(y, 0)->def : NULL;
  if (!d || d->code != code || d->nopnds != 2 || d->block != b) return NULL;
  if (sj_opnd(d, 0) == b->args[1]) return sj_opnd(d, 1);
  if (sj_opnd(d, 1) == b->args[1]) return sj_opnd(d, 0);
  return NULL;
}

/* The two nests, level by level: each level's induction variable of one
 * stands for the same level's of the other. */
typedef struct nests {
  const sj_op *a[MAX_LEVELS], *b[MAX_LEVELS];
  int n;
} nests;

/* a (in nest A) and b (in nest B) compute the same value at the same
 * iteration: equal pure op trees (or loads: nothing in the nests writes)
 * over the same outer values and corresponding induction variables. */
static bool same_expr(const sj_value *a, const sj_value *b, const nests *ns, int depth) {
  for (int k = 0; k < ns->n; k++) {
    const sj_value *ia = ns->a[k]->regions[0]->args[0], *ib = ns->b[k]->regions[0]->args[0];
    if (a == ia || b == ib) return a == ia && b == ib;
  }
  bool ina = sj_value_defined_in(ns->a[0], a), inb = sj_value_defined_in(ns->b[0], b);
  if (!ina || !inb) return !ina && !inb && a == b;
  const sj_op *x = a->def, *y = b->def;
  if (!x || !y || depth > MAX_EXPR_DEPTH || x->code != y->code || x->nopnds != y->nopnds || x->nresults != 1 ||
      y->nresults != 1 || x->nregions || y->nregions || x->nattrs != y->nattrs || !sj_type_eq(&a->type, &b->type))
    return false;
  if (!sj_op_has(x, SJ_F_PURE) && x->code != SJ_OP_LOAD) return false;
  for (unsigned i = 0; i < x->nattrs; i++)
    if (!sj_attr_eq(&x->attrs[i], &y->attrs[i])) return false;
  for (unsigned i = 0; i < x->nopnds; i++)
    if (!same_expr(sj_opnd(x, i), sj_opnd(y, i), ns, depth + 1)) return false;
  return true;
}

static bool inside(const sj_op *o, const sj_op *loop) {
  for (const sj_block *b = o->block; b && b->parent; b = b->parent->block)
    if (b->parent == loop) return true;
  return false;
}

bool sj_online_lse_pair(const sj_op *r1, const sj_op *r2) {
  nests ns;
  if (!r1 || !r2 || r1->block != r2->block) return false;
  ns.n = float_reduction(r1, "maximum", ns.a);
  if (!ns.n || float_reduction(r2, "add", ns.b) != ns.n) return false;
  const sj_value *m = sj_res(r1, 0);
  if (sj_res(r2, 0)->type.dt != m->type.dt) return false;
  for (int k = 0; k < ns.n; k++)
    if (sj_opnd(ns.a[k], 0) != sj_opnd(ns.b[k], 0) || sj_opnd(ns.a[k], 1) != sj_opnd(ns.b[k], 1)) return false;
  /* r2 adds exp(v - m) and nothing else; m is used in r2 only there */
  const sj_value *e = combined_value(ns.b[ns.n - 1], SJ_OP_ADD), *v1 = combined_value(ns.a[ns.n - 1], SJ_OP_MAXIMUM);
  const sj_op *ex = e ? e->def : NULL, *sub = ex && ex->code == SJ_OP_EXP ? sj_opnd(ex, 0)->def : NULL;
  if (!v1 || !sub || sub->code != SJ_OP_SUB || sj_opnd(sub, 1) != m || sj_value_num_uses(e) != 1 ||
      sj_value_num_uses(sj_res(sub, 0)) != 1)
    return false;
  for (const sj_use *u = m->uses; u; u = u->next)
    if (u->user != sub && inside(u->user, r2)) return false;
  if (!same_expr(v1, sj_opnd(sub, 0), &ns, 0)) return false;
  /* codegen starts each chunk from the combine's identity in place of the
   * initial values: they must not be read inside the loops as well */
  for (int k = 0; k < 2; k++)
    for (const sj_use *u = sj_opnd(k ? r2 : r1, 2)->uses; u; u = u->next)
      if (inside(u->user, r1) || inside(u->user, r2)) return false;
  /* between them only stores of values computed before r2, to buffers r2
   * does not read: r2 may then run alongside r1 */
  for (const sj_op *o = r1->next; o != r2; o = o->next) {
    if (!o || o->code != SJ_OP_STORE) return false;
    sj_op_vec ops = {0};
    sj_collect_ops(r2->regions[0], &ops);
    bool hit = ops.failed;
    for (size_t i = 0; i < ops.n && !hit; i++)
      hit = ops.v[i]->code == SJ_OP_LOAD && sj_opnd(ops.v[i], 0) == sj_opnd(o, 1);
    sj_op_vec_free(&ops);
    if (hit) return false;
  }
  return true;
}
