/* The pooling builders of the graph API (include/symjit/graph.h): Theano's
 * options translated into the ops' attributes (docs/decisions/0021-conv-
 * pool.md). The ops' inference checks the operand and the shapes; this
 * file checks the options first, so that a message names the option. */
#include <stdio.h>

#include "graph_internal.h"
#include "pool.h"

typedef struct pool_attrs {
  int64_t window[2], stride[2], pad[4];
  bool ceil_mode, count_pad, avg;
} pool_attrs;

static void set_pool(sj_ctx *c, sj_op *op, const void *arg) {
  const pool_attrs *A = arg;
  sj_op_set_ints(c, op, "window", 2, A->window);
  sj_op_set_ints(c, op, "stride", 2, A->stride);
  sj_op_set_ints(c, op, "pad", 4, A->pad);
  sj_op_set_bool(c, op, "ceil_mode", A->ceil_mode);
  if (A->avg) sj_op_set_bool(c, op, "count_pad", A->count_pad);
}

static sj_var *fail(sj_var *x, const char *file, int line, const char *what, const char *why, const sj_pool2d_opts *o) {
  char d[SJ_TYPE_STR_CAP + 64];
  if (o)
    sj_graph_fail(x->c, file, line, "%s of %s: %s (window [%d, %d], stride [%d, %d], pad [%d, %d, %d, %d])", what,
                  sj_graph_describe(x, d, sizeof d), why, o->window[0], o->window[1], o->stride[0], o->stride[1],
                  o->pad[0], o->pad[1], o->pad[2], o->pad[3]);
  else sj_graph_fail(x->c, file, line, "%s of %s: %s", what, sj_graph_describe(x, d, sizeof d), why);
  return sj_graph_of(x->c)->poison;
}

static sj_var *pool(sj_opcode code, sj_var *x, const sj_pool2d_opts *o, const char *file, int line) {
  const char *what = sj_opinfo_get(code)->name;
  if (!x || x->kind == VAR_POISON) return x;
  if (!o) return fail(x, file, line, what, "the options (the window) are required", NULL);
  pool_attrs A = {.ceil_mode = o->ignore_border == 0, .count_pad = o->count_pad != 0, .avg = code == SJ_OP_AVG_POOL2D};
  sj_pool2d p = {.ceil_mode = A.ceil_mode};
  for (int a = 0; a < 2; a++) {
    A.window[a] = p.k[a] = o->window[a];
    A.stride[a] = p.s[a] = o->stride[a] ? o->stride[a] : o->window[a];
    A.pad[2 * a] = p.lo[a] = o->pad[2 * a];
    A.pad[2 * a + 1] = p.hi[a] = o->pad[2 * a + 1];
  }
  const char *why = sj_pool2d_check(&p);
  if (why) return fail(x, file, line, what, why, o);
  if (code == SJ_OP_MAX_POOL2D && o->count_pad)
    return fail(x, file, line, what, "count_pad applies to average pooling only", o);
  return sj_graph_op(code, 1, &x, NULL, set_pool, &A, file, line);
}

sj_var *sj_max_pool2d_at(sj_var *x, const sj_pool2d_opts *o, const char *file, int line) {
  return pool(SJ_OP_MAX_POOL2D, x, o, file, line);
}

sj_var *sj_avg_pool2d_at(sj_var *x, const sj_pool2d_opts *o, const char *file, int line) {
  return pool(SJ_OP_AVG_POOL2D, x, o, file, line);
}

sj_var *sj_global_avg_pool2d_at(sj_var *x, const char *file, int line) {
  if (!x || x->kind == VAR_POISON) return x;
  const sj_type *t = &x->v->type;
  if (!t->is_tensor || t->rank != 4 || !sj_dtype_is_float(t->dt))
    return fail(x, file, line, "global_avg_pool2d", "needs a floating-point tensor of rank 4 (NCHW)", NULL);
  static const int axes[2] = {2, 3};
  return sj_graph_set_label(sj_mean_at(x, 2, axes, 1, file, line), "global_avg_pool2d");
}
