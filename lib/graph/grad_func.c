/* Gradient of a text-IR function: `symjit-opt --grad=f:x,W` appends
 * @f_grad(<f's params>) -> (cost, d cost/d x, d cost/d W), where cost is f's
 * first result. The body of f is replayed into the graph front end and
 * differentiated by sj_grad, so the result is exactly what the C API builds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"
#include "symjit/graph.h"

static sj_var *find_param(sj_var **args, unsigned n, const char *name) {
  for (unsigned i = 0; i < n; i++)
    if (args[i]->name && !strcmp(args[i]->name, name)) return args[i];
  return NULL;
}

/* Replays f's tensor ops into the graph; returns f's first result. */
static sj_var *replay(sj_ctx *c, sj_op *f, sj_var **args, sj_value_map *vm) {
  sj_block *body = sj_func_body(f);
  sj_graph *g = sj_graph_of(c);
  for (unsigned i = 0; i < body->nargs; i++) {
    const sj_type *t = &body->args[i]->type;
    args[i] = sj_input_at(c, body->args[i]->name, t->dt, t->rank, t->dims, f->loc.file, f->loc.line);
    sj_value_map_set(vm, body->args[i], args[i]->v);
  }
  sj_op *ret = NULL;
  for (sj_op *op = body->first; op; op = op->next) {
    if (op->code == SJ_OP_RETURN) {
      ret = op;
      break;
    }
    sj_block_append(g->block, sj_op_clone(c, op, vm));
  }
  if (!ret || !ret->nopnds) return NULL;
  return sj_graph_var(c, sj_value_map_get(vm, sj_opnd(ret, 0)));
}

/* Without givens the graph's creation order is already topological: mark
 * backwards from the roots and keep that order (so @f_grad reads like f). */
static void needed_in_creation_order(sj_graph *g, sj_value *const *roots, unsigned n, sj_op_vec *order) {
  for (sj_op *op = g->block->first; op; op = op->next) op->scratch = 0;
  for (unsigned i = 0; i < n; i++)
    if (roots[i]->def) roots[i]->def->scratch = 1;
  for (sj_op *op = g->block->last; op; op = op->prev)
    if (op->scratch)
      for (unsigned k = 0; k < op->nopnds; k++)
        if (sj_opnd(op, k)->def) sj_opnd(op, k)->def->scratch = 1;
  for (sj_op *op = g->block->first; op; op = op->next)
    if (op->scratch) sj_op_vec_push(order, op);
}

typedef struct grad_func_args {
  sj_module *m;
  const char *spec;
} grad_func_args;

static sj_status grad_func_protected(void *ud);

/* symjit-opt --grad: runs protected (out of memory gives SJ_ERR_NOMEM). */
sj_status sj_grad_func(sj_module *m, const char *spec) {
  grad_func_args a = {m, spec};
  return sj_ctx_protect(m->ctx, grad_func_protected, &a);
}

static sj_status grad_func_protected(void *ud) {
  sj_module *m = ((grad_func_args *)ud)->m;
  const char *spec = ((grad_func_args *)ud)->spec;
  sj_ctx *c = m->ctx;
  sj_loc none = {0};
  char fname[256];
  const char *colon = strchr(spec, ':');
  if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof fname)
    return sj_emit_error(c, none, "--grad expects FUNC:PARAM[,PARAM...], got '%s'", spec);
  memcpy(fname, spec, (size_t)(colon - spec));
  fname[colon - spec] = '\0';
  sj_op *f = sj_module_lookup(m, fname);
  if (!f || f->code != SJ_OP_FUNC) return sj_emit_error(c, none, "--grad: no func @%s", fname);
  unsigned nargs = sj_func_body(f)->nargs;
  sj_var **args = sj_scratch_calloc(nargs + 1, sizeof *args), *wrt[32], *roots[33];
  sj_value_map *vm = sj_value_map_new(c);
  sj_var *cost = replay(c, f, args, vm);
  sj_status st = SJ_OK;
  unsigned n = 0;
  for (const char *p = colon + 1; *p && !st;) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    char pname[128];
    snprintf(pname, sizeof pname, "%.*s", (int)(len < 127 ? len : 127), p);
    sj_var *v = find_param(args, nargs, pname);
    if (!v || n == 32) st = sj_emit_error(c, f->loc, "--grad: @%s has no parameter %%%s", fname, pname);
    else wrt[n++] = v;
    p += len + (e ? 1 : 0);
  }
  if (!st && !cost) st = sj_emit_error(c, f->loc, "--grad: @%s returns nothing to differentiate", fname);
  if (!st) st = sj_grad_at(cost, wrt, n, NULL, roots + 1, f->loc.file, f->loc.line);
  if (!st) {
    char gname[300];
    snprintf(gname, sizeof gname, "%s_grad", fname);
    roots[0] = cost;
    sj_value *rv[33];
    for (unsigned i = 0; i <= n; i++) rv[i] = roots[i]->v;
    sj_op_vec order = {0};
    needed_in_creation_order(sj_graph_of(c), rv, n + 1, &order);
    sj_graph_build_func(m, gname, args, nargs, &order, NULL, 0, rv, n + 1, f->loc);
    sj_op_vec_free(&order);
  }
  sj_scratch_free(args);
  return st;
}
