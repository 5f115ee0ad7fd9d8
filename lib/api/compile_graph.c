/* sj_compile: turns the part of a graph needed for some outputs and updates
 * into a func (inputs, then the shared variables it reads, as parameters;
 * outputs, then update values, as results), applies givens, and compiles it
 * like any module function. Shared state is bound to the function so calls
 * pass it implicitly and updates replace it after the outputs are computed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "function_internal.h"
#include "graph_internal.h"

typedef struct build {
  sj_ctx *c;
  sj_graph *g;
  const sj_given *givens;
  size_t ngiv;
  sj_op_vec order; /* needed ops in a valid order */
} build;

static sj_value *given_for(const build *B, const sj_value *v) {
  for (size_t i = 0; i < B->ngiv; i++)
    if (B->givens[i].var->v == v) return B->givens[i].expr->v;
  return NULL;
}

/* Effective operand: a given's replacement if there is one. */
static sj_value *eff(const build *B, sj_value *v) {
  sj_value *r = given_for(B, v);
  return r ? r : v;
}

/* Iterative post-order DFS from the roots through effective operands:
 * scratch 1 = on the stack, 2 = emitted. */
static void collect(build *B, sj_value *const *roots, size_t n) {
  for (sj_op *op = B->g->block->first; op; op = op->next) op->scratch = 0;
  sj_op_vec stack = {0};
  for (size_t r = 0; r < n; r++) {
    sj_op *d = eff(B, roots[r])->def;
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
        sj_op *p = eff(B, sj_opnd(op, i))->def;
        if (p && !p->scratch) sj_op_vec_push(&stack, p), pushed = true;
      }
      if (pushed) continue;
      op->scratch = 2;
      stack.n--;
      sj_op_vec_push(&B->order, op);
    }
  }
  sj_op_vec_free(&stack);
}

static sj_status fail(sj_ctx *c, const char *fmt, const char *a, const char *b) {
  sj_loc none = {0};
  sj_emit_error(c, none, fmt, a, b);
  return SJ_ERR_INVALID;
}

/* Leaves read by the needed ops must be function inputs or shared. */
static sj_status check_leaves(build *B, sj_var *const *inputs, size_t nin, sj_value *const *roots, size_t nroots,
                              sj_var **shared, size_t *nshared) {
  *nshared = 0;
  for (size_t i = 0; i < B->g->nleaves; i++) {
    sj_var *l = B->g->leaves[i];
    bool used = false;
    for (size_t r = 0; r < nroots && !used; r++) used = eff(B, roots[r]) == l->v;
    for (size_t k = 0; k < B->order.n && !used; k++)
      for (unsigned j = 0; j < B->order.v[k]->nopnds && !used; j++) used = eff(B, sj_opnd(B->order.v[k], j)) == l->v;
    if (!used) continue;
    if (l->kind == VAR_SHARED) {
      shared[(*nshared)++] = l;
      continue;
    }
    bool listed = false;
    for (size_t k = 0; k < nin && !listed; k++) listed = inputs[k] == l;
    if (!listed)
      return fail(B->c, "sj_compile: the outputs depend on input '%s'%s, which is not an input of the function (and has no given)",
                  sj_var_name(l), "");
  }
  return SJ_OK;
}

static sj_module *make_module(build *B, sj_var *const *inputs, size_t nin, sj_var *const *shared, size_t nshared,
                              sj_var *const *outs, size_t nout, const sj_update *upd, size_t nupd, const char *name) {
  sj_ctx *c = B->c;
  sj_module *m = sj_module_new(c);
  sj_op *f = sj_op_new(c, SJ_OP_FUNC, 0, NULL, 0, NULL, 1, (sj_loc){0});
  sj_op_set_sym(c, f, "sym_name", name);
  sj_block_append(m->body, f);
  sj_block *body = sj_func_body(f);
  sj_value_map *vm = sj_value_map_new(c);
  for (size_t i = 0; i < nin; i++) {
    sj_value *a = sj_block_add_arg(c, body, inputs[i]->v->type);
    a->name = inputs[i]->name;
    sj_value_map_set(vm, inputs[i]->v, a);
  }
  for (size_t i = 0; i < nshared; i++) {
    sj_value *a = sj_block_add_arg(c, body, shared[i]->v->type);
    a->name = shared[i]->name;
    sj_value_map_set(vm, shared[i]->v, a);
  }
  for (size_t i = 0; i < B->ngiv; i++) sj_value_map_set(vm, B->givens[i].var->v, B->givens[i].expr->v);
  for (size_t k = 0; k < B->order.n; k++) {
    sj_op *op = B->order.v[k];
    /* resolve givens through the map (a given's expr maps to its clone) */
    sj_op *cl = sj_op_clone(c, op, vm);
    for (unsigned j = 0; j < cl->nopnds; j++) sj_op_set_operand(cl, j, sj_value_map_get(vm, sj_value_map_get(vm, sj_opnd(cl, j))));
    sj_block_append(body, cl);
  }
  sj_value **rets = calloc(nout + nupd + 1, sizeof *rets);
  for (size_t i = 0; i < nout; i++) rets[i] = sj_value_map_get(vm, eff(B, outs[i]->v));
  for (size_t i = 0; i < nupd; i++) rets[nout + i] = sj_value_map_get(vm, eff(B, upd[i].value->v));
  sj_block_append(body, sj_op_new(c, SJ_OP_RETURN, (unsigned)(nout + nupd), rets, 0, NULL, 0, (sj_loc){0}));
  free(rets);
  return m;
}

static sj_status check_updates(sj_ctx *c, const sj_update *upd, size_t nupd) {
  for (size_t i = 0; i < nupd; i++) {
    if (!upd[i].shared || upd[i].shared->kind != VAR_SHARED)
      return fail(c, "sj_compile: update %s%s targets something that is not a shared variable", "", "");
    char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP];
    sj_type_str(&upd[i].shared->v->type, a, sizeof a);
    sj_type_str(&upd[i].value->v->type, b, sizeof b);
    if (strcmp(a, b)) {
      sj_loc none = {0};
      sj_emit_error(c, none, "sj_compile: the update of shared variable '%s' (%s) has type %s", sj_var_name(upd[i].shared), a, b);
      return SJ_ERR_INVALID;
    }
    for (size_t j = 0; j < i; j++)
      if (upd[j].shared == upd[i].shared)
        return fail(c, "sj_compile: shared variable '%s' is updated twice%s", sj_var_name(upd[i].shared), "");
  }
  return SJ_OK;
}

static bool any_poison(sj_var *const *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!v[i] || v[i]->kind == VAR_POISON) return true;
  return false;
}

sj_status sj_compile(sj_ctx *c, sj_var *const *inputs, size_t nin, sj_var *const *outputs, size_t nout,
                     const sj_update *updates, size_t nupd, const sj_given *givens, size_t ngiv,
                     const sj_compile_options *o, sj_function **out) {
  if (!c || !out || (nin && !inputs) || (nout && !outputs) || (nupd && !updates) || (ngiv && !givens))
    return SJ_ERR_INVALID;
  *out = NULL;
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return SJ_ERR_VERIFY; /* the build error is already in the context */
  if (any_poison(inputs, nin) || any_poison(outputs, nout)) return fail(c, "sj_compile: NULL or invalid variable%s%s", "", "");
  for (size_t i = 0; i < nupd; i++)
    if (!updates[i].value || updates[i].value->kind == VAR_POISON) return fail(c, "sj_compile: NULL update value%s%s", "", "");
  for (size_t i = 0; i < nin; i++)
    if (inputs[i]->kind != VAR_INPUT)
      return fail(c, "sj_compile: input '%s' is not a symbolic input (sj_input)%s", sj_var_name(inputs[i]), "");
  sj_status st = check_updates(c, updates, nupd);
  if (st) return st;
  build B = {.c = c, .g = g, .givens = givens, .ngiv = ngiv};
  sj_value **roots = calloc(nout + nupd + 1, sizeof *roots);
  for (size_t i = 0; i < nout; i++) roots[i] = outputs[i]->v;
  for (size_t i = 0; i < nupd; i++) roots[nout + i] = updates[i].value->v;
  collect(&B, roots, nout + nupd);
  sj_var **shared = calloc(g->nleaves + 1, sizeof *shared);
  size_t nshared = 0;
  st = check_leaves(&B, inputs, nin, roots, nout + nupd, shared, &nshared);
  free(roots);
  if (!st) {
    char name[32];
    snprintf(name, sizeof name, "graph_fn%u", g->nfuncs++);
    sj_module *m = make_module(&B, inputs, nin, shared, nshared, outputs, nout, updates, nupd, name);
    st = sj_module_compile(m, name, o, out);
    if (!st) {
      sj_tensor ***in_slots = calloc(nshared + 1, sizeof *in_slots), ***upd_slots = calloc(nupd + 1, sizeof *upd_slots);
      for (size_t i = 0; i < nshared; i++) in_slots[i] = &shared[i]->value;
      for (size_t i = 0; i < nupd; i++) upd_slots[i] = &updates[i].shared->value;
      sj_function_bind_state(*out, nin, in_slots, nshared, nout, upd_slots, nupd);
      free(in_slots);
      free(upd_slots);
    }
  }
  free(shared);
  sj_op_vec_free(&B.order);
  return st;
}
