/* Turning part of a graph into a func: the ops some root values need (seen
 * through givens substitutions), in a valid order, cloned into
 * @name(params) -> (roots). Shared by sj_compile and `symjit-opt --grad`. */
#include <stdlib.h>

#include "graph_internal.h"

sj_value *sj_graph_eff(const sj_given *givens, size_t ngiv, sj_value *v) {
  for (size_t i = 0; i < ngiv; i++)
    if (givens[i].var->v == v) return givens[i].expr->v;
  return v;
}

/* Iterative post-order DFS from the roots through effective operands:
 * scratch 1 = on the stack, 2 = emitted. */
void sj_graph_collect(sj_graph *g, const sj_given *givens, size_t ngiv, sj_value *const *roots, size_t n,
                      sj_op_vec *order) {
  for (sj_op *op = g->block->first; op; op = op->next) op->scratch = 0;
  sj_op_vec stack = {0};
  for (size_t r = 0; r < n; r++) {
    sj_op *d = sj_graph_eff(givens, ngiv, roots[r])->def;
    if (!d || d->scratch) continue;
    sj_op_vec_push(&stack, d);
    while (stack.n) {
      sj_op *op = stack.v[stack.n - 1];
      if (op->scratch == 2) {
        stack.n--;
        continue;
      }
      op->scratch = 1;
      bool pushed = false;
      for (unsigned i = 0; i < op->nopnds; i++) {
        sj_op *p = sj_graph_eff(givens, ngiv, sj_opnd(op, i))->def;
        if (p && !p->scratch) sj_op_vec_push(&stack, p), pushed = true;
      }
      if (pushed) continue;
      op->scratch = 2;
      stack.n--;
      sj_op_vec_push(order, op);
    }
  }
  sj_op_vec_free(&stack);
}

/* Gradient controls inside a cloned scan body (any depth): the identity
 * in a func, so dropped like the top-level ones. */
static void strip_graph_only(sj_op *op) {
  sj_op_vec all = {0};
  for (unsigned r = 0; r < op->nregions; r++) sj_collect_ops(op->regions[r], &all);
  for (size_t k = 0; k < all.n; k++)
    if (sj_op_has(all.v[k], SJ_F_GRAPH_ONLY)) {
      sj_value_replace_all_uses(sj_res(all.v[k], 0), sj_opnd(all.v[k], 0));
      sj_op_erase(all.v[k]);
    }
  sj_op_vec_free(&all);
}

sj_op *sj_graph_build_func(sj_module *m, const char *name, sj_var *const *params, size_t nparams,
                           const sj_op_vec *order, const sj_given *givens, size_t ngiv, sj_value *const *roots,
                           size_t nroots, sj_loc loc) {
  sj_ctx *c = m->ctx;
  sj_op *f = sj_op_new(c, SJ_OP_FUNC, 0, NULL, 0, NULL, 1, loc);
  sj_op_set_sym(c, f, "sym_name", name);
  sj_block *body = sj_func_body(f);
  sj_value_map *vm = sj_value_map_new(c);
  for (size_t i = 0; i < nparams; i++) {
    sj_value *a = sj_block_add_arg(c, body, params[i]->v->type);
    a->name = params[i]->name;
    sj_value_map_set(vm, params[i]->v, a);
  }
  /* a given's var maps to its expr, whose clone the map then gives */
  for (size_t i = 0; i < ngiv; i++) sj_value_map_set(vm, givens[i].var->v, givens[i].expr->v);
  for (size_t k = 0; k < order->n; k++) {
    if (sj_op_has(order->v[k], SJ_F_GRAPH_ONLY)) { /* a gradient control: the identity here, dropped */
      sj_value *x = sj_opnd(order->v[k], 0);
      sj_value_map_set(vm, sj_res(order->v[k], 0), sj_value_map_get(vm, sj_value_map_get(vm, x)));
      continue;
    }
    sj_op *cl = sj_op_clone(c, order->v[k], vm);
    if (cl->nregions) strip_graph_only(cl); /* a scan: its body is cloned whole (isolated: no remapping inside) */
    for (unsigned j = 0; j < cl->nopnds; j++)
      sj_op_set_operand(cl, j, sj_value_map_get(vm, sj_value_map_get(vm, sj_opnd(cl, j))));
    sj_block_append(body, cl);
  }
  sj_value **rets = sj_scratch_calloc(nroots + 1, sizeof *rets); /* callers are protected */
  for (size_t i = 0; i < nroots; i++) rets[i] = sj_value_map_get(vm, sj_graph_eff(givens, ngiv, roots[i]));
  sj_block_append(body, sj_op_new(c, SJ_OP_RETURN, (unsigned)nroots, rets, 0, NULL, 0, loc));
  sj_scratch_free(rets);
  sj_block_append(m->body, f);
  return f;
}
