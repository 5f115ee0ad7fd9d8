/* sj_compile: turns the part of a graph needed for some outputs and updates
 * into a func (inputs, then the shared variables it reads, as parameters;
 * outputs, then update values, as results), applies givens, and compiles it
 * like any module function. Shared state is bound to the function so calls
 * pass it implicitly and updates replace it after the outputs are computed. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "function_internal.h"
#include "graph_internal.h"

/* Errors of sj_compile name its call site (the file:line the macro passes). */
static sj_status fail(sj_ctx *c, sj_loc at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static sj_status fail(sj_ctx *c, sj_loc at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sj_emit_verror(c, at, fmt, ap);
  va_end(ap);
  return SJ_ERR_INVALID;
}

static bool leaf_used(sj_var *l, const sj_op_vec *order, const sj_given *givens, size_t ngiv, sj_value *const *roots,
                      size_t nroots) {
  for (size_t r = 0; r < nroots; r++)
    if (sj_graph_eff(givens, ngiv, roots[r]) == l->v) return true;
  for (size_t k = 0; k < order->n; k++)
    for (unsigned j = 0; j < order->v[k]->nopnds; j++)
      if (sj_graph_eff(givens, ngiv, sj_opnd(order->v[k], j)) == l->v) return true;
  return false;
}

/* Theano's on_unused_input: an input the outputs and updates never read is
 * usually a mistake (a wrong variable passed, a term dropped). */
static sj_status check_unused(sj_ctx *c, sj_loc at, const sj_op_vec *order, const sj_given *givens, size_t ngiv,
                              sj_var *const *inputs, size_t nin, sj_value *const *roots, size_t nroots, int policy) {
  if (policy == SJ_UNUSED_INPUT_IGNORE) return SJ_OK;
  for (size_t i = 0; i < nin; i++) {
    if (leaf_used(inputs[i], order, givens, ngiv, roots, nroots)) continue;
    if (policy == SJ_UNUSED_INPUT_WARN) {
      sj_emit_diag(c, SJ_SEV_WARNING, at, "sj_compile: input %zu '%s' is not used by the outputs or updates", i,
                   sj_var_name(inputs[i]));
      continue;
    }
    return fail(c, at,
                "sj_compile: input %zu '%s' is not used by the outputs or updates (set on_unused_input in "
                "sj_compile_options to SJ_UNUSED_INPUT_WARN or SJ_UNUSED_INPUT_IGNORE to allow it)",
                i, sj_var_name(inputs[i]));
  }
  return SJ_OK;
}

/* Leaves read by the needed ops must be function inputs or shared. */
static sj_status check_leaves(sj_ctx *c, sj_loc at, sj_graph *g, const sj_op_vec *order, const sj_given *givens, size_t ngiv,
                              sj_var *const *inputs, size_t nin, sj_value *const *roots, size_t nroots,
                              sj_var **shared, size_t *nshared) {
  *nshared = 0;
  for (size_t i = 0; i < g->nleaves; i++) {
    sj_var *l = g->leaves[i];
    if (!leaf_used(l, order, givens, ngiv, roots, nroots)) continue;
    if (l->kind == VAR_SHARED) {
      shared[(*nshared)++] = l;
      continue;
    }
    bool listed = false;
    for (size_t k = 0; k < nin && !listed; k++) listed = inputs[k] == l;
    if (!listed)
      return fail(c, at, "sj_compile: the outputs depend on input '%s', which is not an input of the function (and has no given)",
                  sj_var_name(l));
  }
  return SJ_OK;
}

static sj_status check_updates(sj_ctx *c, sj_loc at, const sj_update *upd, size_t nupd) {
  for (size_t i = 0; i < nupd; i++) {
    if (!upd[i].shared || upd[i].shared->kind != VAR_SHARED)
      return fail(c, at, "sj_compile: update %zu targets something that is not a shared variable", i);
    if (!sj_type_eq(&upd[i].shared->v->type, &upd[i].value->v->type)) {
      char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP];
      return fail(c, at, "sj_compile: the update of shared variable '%s' (%s) has type %s", sj_var_name(upd[i].shared),
                  sj_type_str(&upd[i].shared->v->type, a, sizeof a), sj_type_str(&upd[i].value->v->type, b, sizeof b));
    }
    for (size_t j = 0; j < i; j++)
      if (upd[j].shared == upd[i].shared)
        return fail(c, at, "sj_compile: shared variable '%s' is updated twice", sj_var_name(upd[i].shared));
  }
  return SJ_OK;
}

/* The poison of a graph state that could not be allocated has no context. */
static bool any_oom(sj_var *const *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (v[i] && v[i]->kind == VAR_POISON && !v[i]->c) return true;
  return false;
}

static bool any_poison(sj_var *const *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!v[i] || v[i]->kind == VAR_POISON) return true;
  return false;
}

/* A given replaces a variable by an expression of exactly its type (the
 * ops built on the variable keep their inferred types: a `?` dim where the
 * variable had 3 would no longer verify). */
static sj_status check_givens(sj_ctx *c, sj_loc at, const sj_given *givens, size_t ngiv) {
  for (size_t i = 0; i < ngiv; i++) {
    const sj_var *v = givens[i].var, *e = givens[i].expr;
    if (!v || !e || v->kind == VAR_POISON || e->kind == VAR_POISON)
      return fail(c, at, "sj_compile: given %zu has a NULL or invalid %s", i, !v || v->kind == VAR_POISON ? "var" : "expr");
    if (v->c != c || e->c != c) return fail(c, at, "sj_compile: given %zu uses a variable of another context", i);
    if (!sj_graph_visible(c, v->v) || !sj_graph_visible(c, e->v)) /* scan.c: a step's variable */
      return fail(c, at, "sj_compile: given %zu %s a variable built inside the step function of a scan", i,
                  sj_graph_visible(c, v->v) ? "replaces by" : "replaces");
    const sj_type *tv = &v->v->type, *te = &e->v->type;
    if (!sj_type_eq(tv, te)) {
      char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP];
      return fail(c, at, "sj_compile: given %zu replaces '%s' (%s) by an expression of type %s: %s", i, sj_var_name(v),
                  sj_type_str(tv, a, sizeof a), sj_type_str(te, b, sizeof b),
                  tv->dt != te->dt ? "the dtypes differ" : "the shapes differ");
    }
  }
  return SJ_OK;
}

typedef struct compile_args {
  sj_ctx *c;
  sj_graph *g;
  sj_var *const *inputs, *const *outputs;
  size_t nin, nout, nupd, ngiv;
  const sj_update *updates;
  const sj_given *givens;
  const sj_compile_options *o;
  sj_function **out;
  sj_loc at; /* the sj_compile call */
  sj_module **mod_out; /* sj_graph_module: stop after building the func */
} compile_args;

/* Runs protected: its temporaries are scratch memory (freed by an
 * out-of-memory unwind), the function is built in a new module. */
/* Theano's default updates: each shared variable the function reads, that
 * has a default update (visible outside scan bodies) and no explicit one,
 * gets its default update, whose expression may read more such variables
 * (repeated until none is added).
 * upd (nupd explicit updates first, room for one per leaf) grows in place;
 * roots and order are those of the outputs and all the updates. */
static size_t add_default_updates(compile_args *a, sj_update *upd, sj_value **roots, sj_op_vec *order) {
  size_t nout = a->nout, nupd = a->nupd;
  bool more = true;
  while (more) {
    more = false;
    for (size_t i = 0; i < nupd; i++) roots[nout + i] = upd[i].value->v;
    order->n = 0;
    sj_graph_collect(a->g, a->givens, a->ngiv, roots, nout + nupd, order);
    if (a->o && a->o->no_default_updates) break;
    for (size_t i = 0; i < a->g->nleaves; i++) {
      sj_var *l = a->g->leaves[i];
      bool explicit = false;
      for (size_t k = 0; k < nupd && !explicit; k++) explicit = upd[k].shared == l;
      if (l->kind != VAR_SHARED || !l->default_update || explicit) continue;
      /* made inside a scan step: it reads that step's values, which exist
       * only in the loop (the scan's own updates carry it out) */
      if (!sj_graph_visible(a->c, l->default_update->v)) continue;
      if (!leaf_used(l, order, a->givens, a->ngiv, roots, nout + nupd)) continue;
      upd[nupd++] = (sj_update){l, l->default_update};
      more = true;
    }
  }
  return nupd;
}

static sj_status compile_protected(void *ud) {
  compile_args *a = ud;
  sj_ctx *c = a->c;
  sj_graph *g = a->g;
  size_t nin = a->nin, nout = a->nout, ngiv = a->ngiv;
  sj_update *upd = sj_scratch_calloc(a->nupd + g->nleaves + 1, sizeof *upd);
  sj_value **roots = sj_scratch_calloc(nout + a->nupd + g->nleaves + 1, sizeof *roots);
  for (size_t i = 0; i < nout; i++) roots[i] = a->outputs[i]->v;
  for (size_t i = 0; i < a->nupd; i++) upd[i] = a->updates[i];
  sj_op_vec order = {0};
  size_t nupd = add_default_updates(a, upd, roots, &order);
  sj_var **params = sj_scratch_calloc(nin + g->nleaves + 1, sizeof *params), **shared = params + nin;
  size_t nshared = 0;
  sj_loc at = {sj_intern(c, a->at.file), a->at.line, 0}; /* the func keeps it */
  sj_status st = check_leaves(c, at, g, &order, a->givens, ngiv, a->inputs, nin, roots, nout + nupd, shared, &nshared);
  if (!st)
    st = check_unused(c, at, &order, a->givens, ngiv, a->inputs, nin, roots, nout + nupd,
                      a->o ? a->o->on_unused_input : SJ_UNUSED_INPUT_RAISE);
  if (!st) {
    char name[32];
    snprintf(name, sizeof name, "graph_fn%u", g->nfuncs++);
    for (size_t i = 0; i < nin; i++) params[i] = a->inputs[i];
    sj_module *m = sj_module_new(c);
    sj_graph_build_func(m, name, params, nin + nshared, &order, a->givens, ngiv, roots, nout + nupd, at);
    if (a->mod_out) *a->mod_out = m;
    else st = sj_module_compile(m, name, a->o, a->out);
  }
  if (!st && !a->mod_out) {
    sj_tensor ***in_slots = sj_scratch_calloc(nshared + 1, sizeof *in_slots);
    sj_tensor ***upd_slots = sj_scratch_calloc(nupd + 1, sizeof *upd_slots);
    for (size_t i = 0; i < nshared; i++) in_slots[i] = &shared[i]->value;
    for (size_t i = 0; i < nupd; i++) upd_slots[i] = &upd[i].shared->value;
    sj_function_bind_state(*a->out, nin, in_slots, nshared, nout, upd_slots, nupd);
    sj_scratch_free(in_slots);
    sj_scratch_free(upd_slots);
  }
  sj_scratch_free(roots);
  sj_scratch_free(upd);
  sj_scratch_free(params);
  sj_op_vec_free(&order);
  return st;
}

static sj_status compile_graph(sj_ctx *c, sj_var *const *inputs, size_t nin, sj_var *const *outputs, size_t nout,
                               const sj_update *updates, size_t nupd, const sj_given *givens, size_t ngiv,
                               const sj_compile_options *o, sj_function **out, const char *file, int line,
                               sj_module **mod_out) {
  if (out) *out = NULL;
  sj_loc at = {file ? file : "<unknown>", line, 0};
  if (!c || !out || (nin && !inputs) || (nout && !outputs) || (nupd && !updates) || (ngiv && !givens))
    return SJ_ERR_INVALID;
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return g->status; /* the build error is already in the context */
  bool oom = any_oom(inputs, nin) || any_oom(outputs, nout);
  for (size_t i = 0; i < nupd; i++) oom = oom || any_oom(&updates[i].value, 1) || any_oom(&updates[i].shared, 1);
  if (oom) {
    fail(c, at, "sj_compile: out of memory (a variable was built while the graph state could not be allocated)");
    return SJ_ERR_NOMEM;
  }
  if (any_poison(inputs, nin) || any_poison(outputs, nout)) return fail(c, at, "sj_compile: NULL or invalid variable");
  if (g->body) return fail(c, at, "sj_compile: called inside the step function of a scan");
  for (size_t i = 0; i < nout; i++) /* a variable of a scan's step (scan.c) */
    if (!sj_graph_visible(c, outputs[i]->v))
      return fail(c, at, "sj_compile: output %zu was built inside the step function of a scan (return it from the step)", i);
  for (size_t i = 0; i < nupd; i++)
    if (!sj_graph_visible(c, updates[i].value->v))
      return fail(c, at, "sj_compile: the value of update %zu was built inside the step function of a scan (use the updates sj_scan returns)", i);
  for (size_t i = 0; i < nupd; i++)
    if (!updates[i].value || updates[i].value->kind == VAR_POISON) return fail(c, at, "sj_compile: NULL update value");
  for (size_t i = 0; i < nin; i++)
    if (inputs[i]->kind != VAR_INPUT)
      return fail(c, at, "sj_compile: input '%s' is not a symbolic input (sj_input)", sj_var_name(inputs[i]));
  sj_status st = check_updates(c, at, updates, nupd);
  if (!st) st = check_givens(c, at, givens, ngiv);
  if (st) return st;
  compile_args a = {c, g, inputs, outputs, nin, nout, nupd, ngiv, updates, givens, o, out, at, mod_out};
  st = sj_ctx_protect(c, compile_protected, &a);
  if (st && *out) { /* an unwind after the function was made */
    sj_function_free(*out);
    *out = NULL;
  }
  return st;
}

sj_status sj_compile_at(sj_ctx *c, sj_var *const *inputs, size_t nin, sj_var *const *outputs, size_t nout,
                        const sj_update *updates, size_t nupd, const sj_given *givens, size_t ngiv,
                        const sj_compile_options *o, sj_function **out, const char *file, int line) {
  return compile_graph(c, inputs, nin, outputs, nout, updates, nupd, givens, ngiv, o, out, file, line, NULL);
}

sj_status sj_graph_module(sj_ctx *c, sj_var *const *inputs, size_t nin, sj_var *const *outputs, size_t nout,
                          const sj_compile_options *o, sj_module **out, const char *file, int line) {
  sj_function *unused = NULL;
  if (!out) return SJ_ERR_INVALID;
  *out = NULL;
  return compile_graph(c, inputs, nin, outputs, nout, NULL, 0, NULL, 0, o, &unused, file, line, out);
}
