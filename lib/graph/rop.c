/* Forward mode and small Jacobians/Hessians, built from sj_grad.
 * R-op by double transposition: with u a dummy cotangent of f's shape,
 * g(u) = J^T u is linear in u, so d/du <g(u), v> = J v. The result does not
 * depend on u (every VJP rule is linear in its incoming gradient). */
#include <stdio.h>

#include "graph_internal.h"

sj_status sj_rop_at(sj_var *f, sj_var *const *wrt, sj_var *const *v, size_t n, sj_var **out, const char *file,
                    int line) {
  if (!f || !wrt || !v || !out || !n) return SJ_ERR_INVALID;
  sj_ctx *c = f->c;
  sj_graph *g = sj_graph_of(c);
  *out = g->poison;
  if (g->failed) return g->status; /* SJ_ERR_NOMEM after out of memory */
  if (f->kind == VAR_POISON) return f->c ? SJ_ERR_VERIFY : SJ_ERR_NOMEM;
  const sj_type *t = &f->v->type;
  sj_var *u = sj_input_at(c, "rop.u", t->dt, t->rank, t->dims, file, line);
  sj_var *gs[64];
  if (n > 64) return SJ_ERR_INVALID;
  sj_grad_options o = {.known = &f, .known_grads = &u, .nknown = 1, .disconnected_zero = 1};
  sj_status st = sj_grad_at(f, wrt, n, &o, gs, file, line);
  if (st) return st;
  sj_var *dot = NULL;
  for (size_t i = 0; i < n; i++) {
    sj_var *term = sj_sum_at(sj_mul_at(gs[i], v[i], file, line), 0, NULL, 0, file, line);
    dot = dot ? sj_add_at(dot, term, file, line) : term;
  }
  sj_var *wrt_u[1] = {u};
  sj_grad_options o2 = {.disconnected_zero = 1};
  return sj_grad_at(dot, wrt_u, 1, &o2, out, file, line);
}

static bool static_vector(const sj_var *x) {
  return x && x->kind != VAR_POISON && x->v->type.rank == 1 && x->v->type.dims[0] >= 0;
}

/* J = sum_i e_i (outer) d y_i / d x, with e_i a one-hot column constant. */
sj_status sj_jacobian_at(sj_var *y, sj_var *x, sj_var **out, const char *file, int line) {
  if (!y || !x || !out) return SJ_ERR_INVALID;
  sj_graph *g = sj_graph_of(y->c);
  *out = g->poison;
  if (g->failed) return g->status;
  if (!static_vector(y) || !static_vector(x)) {
    sj_graph_fail(y->c, file, line, "jacobian: y and x must be rank-1 with static sizes");
    return SJ_ERR_VERIFY;
  }
  int64_t n = y->v->type.dims[0], m = x->v->type.dims[0];
  sj_dtype dt = y->v->type.dt;
  sj_var *J = NULL;
  for (int64_t i = 0; i < n; i++) {
    /* y_i = sum(y * e_i) */
    sj_var *idx = sj_reshape_at(sj_scalar_at(y->c, (double)i, SJ_I32, file, line), 1, (int64_t[]){1}, file, line);
    sj_var *e = sj_reshape_at(sj_one_hot_at(idx, n, dt, file, line), 1, &n, file, line);
    sj_var *yi = sj_sum_at(sj_mul_at(y, e, file, line), 0, NULL, 0, file, line), *gi;
    sj_grad_options o = {.disconnected_zero = 1};
    sj_status st = sj_grad_at(yi, &x, 1, &o, &gi, file, line);
    if (st) return st;
    int64_t col[2] = {n, 1}, row[2] = {1, m};
    sj_var *term = sj_mul_at(sj_reshape_at(e, 2, col, file, line), sj_reshape_at(gi, 2, row, file, line), file, line);
    J = J ? sj_add_at(J, term, file, line) : term;
  }
  *out = J;
  return g->failed ? g->status : SJ_OK;
}

sj_status sj_hessian_at(sj_var *cost, sj_var *x, sj_var **out, const char *file, int line) {
  if (!cost || !x || !out) return SJ_ERR_INVALID;
  sj_var *gx;
  sj_status st = sj_grad_at(cost, &x, 1, NULL, &gx, file, line);
  if (st) {
    *out = gx;
    return st;
  }
  return sj_jacobian_at(gx, x, out, file, line);
}
