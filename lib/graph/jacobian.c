/* sj_jacobian for any ranks: J[i..., j...] = d y[i...] / d x[j...], shaped
 * y.shape + x.shape. Row i is one reverse sweep with y's incoming gradient
 * the one-hot constant e_i (known_grads), so no cost is summed; the rows are
 * stacked and reshaped. y needs a static shape (its element count is the
 * number of sweeps); x may have one dynamic dim (the reshapes infer it). */
#include <stdio.h>

#include "graph_internal.h"

/* Jacobians past this many rows are a graph of that many sweeps: refuse
 * them with a message rather than build a graph no one wants to compile. */
#define SJ_JACOBIAN_MAX_ROWS 4096

static sj_status jfail(sj_var *y, const char *file, int line, const char *why) {
  char a[200];
  sj_graph_fail(y->c, file, line, "jacobian: y %s: %s", sj_graph_describe(y, a, sizeof a), why);
  return SJ_ERR_VERIFY;
}

sj_status sj_jacobian_at(sj_var *y, sj_var *x, sj_var **out, const char *file, int line) {
  if (!y || !x || !out) return SJ_ERR_INVALID;
  if (!y->c) return *out = y, SJ_ERR_NOMEM;
  sj_graph *g = sj_graph_of(y->c);
  *out = g->poison;
  if (g->failed) return g->status;
  if (y->kind == VAR_POISON || x->kind == VAR_POISON) return SJ_ERR_VERIFY;
  const sj_type *ty = &y->v->type, *tx = &x->v->type;
  int64_t ny = sj_type_numel(ty);
  int ndyn = 0;
  for (int k = 0; k < tx->rank; k++) ndyn += tx->dims[k] < 0;
  if (!sj_dtype_is_float(ty->dt)) return jfail(y, file, line, "y must be floating point");
  if (ny < 0) return jfail(y, file, line, "y must have a static shape (one gradient sweep per element)");
  if (ny == 0) return jfail(y, file, line, "y has no elements");
  if (ny > SJ_JACOBIAN_MAX_ROWS) return jfail(y, file, line, "more than 4096 elements (one gradient sweep each)");
  if (ndyn > 1 || ty->rank + tx->rank > SJ_MAX_RANK) {
    char b[200];
    sj_graph_fail(y->c, file, line, "jacobian: x %s: %s", sj_graph_describe(x, b, sizeof b),
                  ndyn > 1 ? "at most one dynamic dim is supported" : "y.rank + x.rank exceeds the maximum rank");
    return SJ_ERR_VERIFY;
  }
  sj_var **rows = sj_scratch_calloc((size_t)ny, sizeof *rows);
  double *e = sj_scratch_calloc((size_t)ny, sizeof *e);
  sj_status st = rows && e ? SJ_OK : SJ_ERR_NOMEM;
  if (st) sj_graph_fail(y->c, file, line, "jacobian: out of memory");
  for (int64_t i = 0; i < ny && !st; i++) {
    if (i) e[i - 1] = 0;
    e[i] = 1;
    sj_var *ei = sj_graph_dense(y->c, *ty, e, file, line);
    sj_grad_options o = {.known = &y, .known_grads = &ei, .nknown = 1, .disconnected_zero = 1};
    st = sj_grad_at(y, &x, 1, &o, &rows[i], file, line);
  }
  if (!st) {
    int64_t dims[SJ_MAX_RANK];
    for (int k = 0; k < ty->rank; k++) dims[k] = ty->dims[k];
    for (int k = 0; k < tx->rank; k++) dims[ty->rank + k] = tx->dims[k];
    sj_var *J = sj_stack_at(rows, (size_t)ny, 0, file, line); /* [ny] + x.shape */
    *out = sj_graph_set_label(sj_reshape_at(J, ty->rank + tx->rank, dims, file, line), "jacobian");
    st = g->failed ? g->status : SJ_OK;
  }
  if (st) *out = g->poison;
  sj_scratch_free(rows);
  sj_scratch_free(e);
  return st;
}
