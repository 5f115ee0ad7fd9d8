/* Gradient controls: sj_stop_gradient, sj_clip_grad, sj_scale_grad. Each is
 * a graph-only op (GRAPH_ONLY rows of ops.def): the identity in the forward
 * pass, with its own VJP rule in grad.c. sj_compile drops them when it
 * builds the function (graph_func.c), so the compiled IR has no trace of
 * them (docs/decisions/0011-grad-controls.md). */
#include <math.h>

#include "graph_internal.h"

typedef struct clip_args {
  double lo, hi;
} clip_args;

static void set_clip(sj_ctx *c, sj_op *op, const void *arg) {
  const clip_args *a = arg;
  sj_op_set_float(c, op, "lo", a->lo);
  sj_op_set_float(c, op, "hi", a->hi);
}

static void set_scale(sj_ctx *c, sj_op *op, const void *arg) { sj_op_set_float(c, op, "scale", *(const double *)arg); }

sj_var *sj_stop_gradient_at(sj_var *x, const char *file, int line) {
  return sj_graph_op(SJ_OP_STOP_GRADIENT, 1, &x, NULL, NULL, NULL, file, line);
}

sj_var *sj_clip_grad_at(sj_var *x, double lo, double hi, const char *file, int line) {
  if (x && x->kind != VAR_POISON && (isnan(lo) || isnan(hi) || lo > hi)) {
    sj_graph_fail(x->c, file, line, "clip_grad: needs lo <= hi, got lo = %g and hi = %g", lo, hi);
    return sj_graph_of(x->c)->poison;
  }
  clip_args a = {lo, hi};
  return sj_graph_op(SJ_OP_CLIP_GRAD, 1, &x, NULL, set_clip, &a, file, line);
}

sj_var *sj_scale_grad_at(sj_var *x, double s, const char *file, int line) {
  if (x && x->kind != VAR_POISON && !isfinite(s)) {
    sj_graph_fail(x->c, file, line, "scale_grad: the scale must be finite, got %g", s);
    return sj_graph_of(x->c)->poison;
  }
  return sj_graph_op(SJ_OP_SCALE_GRAD, 1, &x, NULL, set_scale, &s, file, line);
}
