/* Forward mode and Hessians, built from sj_grad (Jacobians: jacobian.c).
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
  /* u's value never matters (the result is linear in it), so it is a zero
   * constant: a graph that still reads it structurally (the gradient of a
   * scan recomputes the backward loop's steps, docs/decisions/0017-bptt.md)
   * then compiles without an extra input */
  sj_var *u = sj_graph_broadcast_like(sj_graph_const(c, 0, sj_tensor_type(t->dt, 0, NULL), file, line), f, file, line);
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

/* sj_jacobian_at is in jacobian.c. */
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
