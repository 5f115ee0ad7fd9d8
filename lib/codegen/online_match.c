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

/* A top-level-style reduction: a `for` marked {combine = name} with one
 * carried float (f32/f64) value whose body writes nothing. */
static bool float_reduction(const sj_op *loop, const char *name) {
  if (loop->code != SJ_OP_FOR || loop->nresults != 1 || !combine_is(loop, name)) return false;
  sj_dtype dt = sj_res(loop, 0)->type.dt;
  if (dt != SJ_F32 && dt != SJ_F64) return false;
  sj_op_vec ops = {0};
  sj_collect_ops(loop->regions[0], &ops);
  bool ok = !ops.failed;
  for (size_t i = 0; i < ops.n && ok; i++) ok = !sj_op_has(ops.v[i], SJ_F_WRITES) && !ops.v[i]->nregions;
  sj_op_vec_free(&ops);
  return ok;
}

/* The value the loop's yielded `code`(acc, v) combines with its carried
 * value acc (either operand order), or NULL. */
static sj_value *combined_value(const sj_op *loop, sj_opcode code) {
  const sj_block *b = loop->regions[0];
  const sj_op *y = b->last, *d = y && y->nopnds == 1 ? sj_opnd(y, 0)->def : NULL;
  if (!d || d->code != code || d->nopnds != 2 || d->block != b) return NULL;
  if (sj_opnd(d, 0) == b->args[1]) return sj_opnd(d, 1);
  if (sj_opnd(d, 1) == b->args[1]) return sj_opnd(d, 0);
  return NULL;
}

/* a (in loop la) and b (in loop lb) compute the same value at the same
 * iteration: equal pure op trees over the same outer values, each loop's
 * induction variable standing for the other's. */
static bool same_expr(const sj_value *a, const sj_op *la, const sj_value *b, const sj_op *lb, int depth) {
  const sj_value *ia = la->regions[0]->args[0], *ib = lb->regions[0]->args[0];
  if (a == ia || b == ib) return a == ia && b == ib;
  bool ina = sj_value_defined_in(la, a), inb = sj_value_defined_in(lb, b);
  if (!ina || !inb) return !ina && !inb && a == b;
  const sj_op *x = a->def, *y = b->def;
  if (!x || !y || depth > MAX_EXPR_DEPTH || x->code != y->code || x->nopnds != y->nopnds || x->nresults != 1 ||
      y->nresults != 1 || x->nregions || y->nregions || x->nattrs != y->nattrs || !sj_type_eq(&a->type, &b->type))
    return false;
  if (!sj_op_has(x, SJ_F_PURE) && x->code != SJ_OP_LOAD) return false; /* loads: nothing in the loops writes */
  for (unsigned i = 0; i < x->nattrs; i++)
    if (!sj_attr_eq(&x->attrs[i], &y->attrs[i])) return false;
  for (unsigned i = 0; i < x->nopnds; i++)
    if (!same_expr(sj_opnd(x, i), la, sj_opnd(y, i), lb, depth + 1)) return false;
  return true;
}

static bool inside(const sj_op *o, const sj_op *loop) {
  for (const sj_block *b = o->block; b && b->parent; b = b->parent->block)
    if (b->parent == loop) return true;
  return false;
}

bool sj_online_lse_pair(const sj_op *r1, const sj_op *r2) {
  if (!r1 || !r2 || r1->block != r2->block || !float_reduction(r1, "maximum") || !float_reduction(r2, "add"))
    return false;
  const sj_value *m = sj_res(r1, 0);
  if (sj_res(r2, 0)->type.dt != m->type.dt || sj_opnd(r1, 0) != sj_opnd(r2, 0) || sj_opnd(r1, 1) != sj_opnd(r2, 1))
    return false;
  /* r2 adds exp(v - m) and nothing else; m is used in r2 only there */
  const sj_value *e = combined_value(r2, SJ_OP_ADD), *v1 = combined_value(r1, SJ_OP_MAXIMUM);
  const sj_op *ex = e ? e->def : NULL, *sub = ex && ex->code == SJ_OP_EXP ? sj_opnd(ex, 0)->def : NULL;
  if (!v1 || !sub || sub->code != SJ_OP_SUB || sj_opnd(sub, 1) != m || sj_value_num_uses(e) != 1 ||
      sj_value_num_uses(sj_res(sub, 0)) != 1)
    return false;
  for (const sj_use *u = m->uses; u; u = u->next)
    if (u->user != sub && inside(u->user, r2)) return false;
  if (!same_expr(v1, r1, sj_opnd(sub, 0), r2, 0)) return false;
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
