/* sj_grad: symbolic reverse mode. Walks the graph backwards from the cost,
 * applying each op's vector-Jacobian rule (the VJP column of ops.def), and
 * builds the gradient as new graph nodes, so it is optimized and fused like
 * any other graph. Broadcasting is undone by summing over broadcast axes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_conv.h"
#include "graph_internal.h"
#include "indexing.h"
#include "scan_grad.h"

typedef struct gctx {
  sj_ctx *c;
  const char *file;
  int line;
  sj_var *const *wrt; /* what the sweep differentiates for (wanted()) */
  size_t nwrt;
  const sj_grad_options *o;
  /* a multi-result op's cotangents, one per result (NULL: none reached it);
   * single-result rules get theirs as `g` */
  sj_var *const *gres;
} gctx;

/* grads[i] receives d(cost)/d(operand i) given g = d(cost)/d(result), or
 * NULL when operand i gets no gradient. */
typedef void (*vjp_fn)(gctx *G, sj_op *op, sj_var *g, sj_var **grads);

#define F G->file, G->line

static sj_var *V(gctx *G, sj_value *v) { return sj_graph_var(G->c, v); }
static sj_var *opnd(gctx *G, sj_op *op, unsigned i) { return V(G, sj_opnd(op, i)); }
static sj_var *res(gctx *G, sj_op *op) { return V(G, sj_res(op, 0)); }
static sj_var *k(gctx *G, double v, sj_var *like) {
  return sj_graph_const(G->c, v, sj_tensor_type(like->v->type.dt, 0, NULL), F);
}

/* Sums g over the axes that broadcasting added or expanded, so the result
 * has x's shape. */
static sj_var *unbroadcast(gctx *G, sj_var *g, const sj_type *x) {
  const sj_type *t = &g->v->type;
  if (g->kind == VAR_POISON) return g;
  int lead = t->rank - x->rank;
  if (lead > 0) {
    int axes[SJ_MAX_RANK];
    for (int i = 0; i < lead; i++) axes[i] = i;
    g = sj_sum_at(g, lead, axes, 0, F);
  }
  int axes[SJ_MAX_RANK], n = 0;
  for (int i = 0; i < x->rank; i++)
    if (x->dims[i] == 1 && g->v->type.dims[i] != 1) axes[n++] = i;
  if (n) g = sj_sum_at(g, n, axes, 1, F);
  return g;
}

static sj_var *ub(gctx *G, sj_var *g, sj_op *op, unsigned i) { return unbroadcast(G, g, &sj_opnd(op, i)->type); }

static void v_add(gctx *G, sj_op *op, sj_var *g, sj_var **r) { r[0] = ub(G, g, op, 0), r[1] = ub(G, g, op, 1); }
static void v_sub(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = ub(G, g, op, 0), r[1] = ub(G, sj_neg_at(g, F), op, 1);
}
static void v_mul(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = ub(G, sj_mul_at(g, opnd(G, op, 1), F), op, 0);
  r[1] = ub(G, sj_mul_at(g, opnd(G, op, 0), F), op, 1);
}
static void v_div(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *y = opnd(G, op, 1), *gy = sj_div_at(g, y, F);
  r[0] = ub(G, gy, op, 0);
  r[1] = ub(G, sj_neg_at(sj_mul_at(gy, res(G, op), F), F), op, 1);
}
static void v_pow(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *x = opnd(G, op, 0), *y = opnd(G, op, 1), *z = res(G, op);
  sj_var *dx = sj_mul_at(y, sj_pow_at(x, sj_sub_at(y, k(G, 1, y), F), F), F);
  r[0] = ub(G, sj_mul_at(g, dx, F), op, 0);
  r[1] = ub(G, sj_mul_at(g, sj_mul_at(z, sj_log_at(x, F), F), F), op, 1);
}
/* d/da logaddexp(a, b) = sigmoid(a - b): finite everywhere the result is
 * (two sigmoids, so the smaller operand's share keeps its relative precision) */
static void v_logaddexp(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *a = opnd(G, op, 0), *b = opnd(G, op, 1);
  r[0] = ub(G, sj_mul_at(g, sj_sigmoid_at(sj_sub_at(a, b, F), F), F), op, 0);
  r[1] = ub(G, sj_mul_at(g, sj_sigmoid_at(sj_sub_at(b, a, F), F), F), op, 1);
}
/* maximum/minimum: the gradient goes to the winner (x on ties) */
static void to_winner(gctx *G, sj_op *op, sj_var *g, sj_var *xwins, sj_var **r) {
  sj_var *zero = k(G, 0, g);
  r[0] = ub(G, sj_where_at(xwins, g, zero, F), op, 0);
  r[1] = ub(G, sj_where_at(xwins, zero, g, F), op, 1);
}
static void v_maximum(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  to_winner(G, op, g, sj_ge_at(opnd(G, op, 0), opnd(G, op, 1), F), r);
}
static void v_minimum(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  to_winner(G, op, g, sj_le_at(opnd(G, op, 0), opnd(G, op, 1), F), r);
}
static void v_select(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *cnd = opnd(G, op, 0), *zero = k(G, 0, g);
  r[0] = NULL;
  r[1] = ub(G, sj_where_at(cnd, g, zero, F), op, 1);
  r[2] = ub(G, sj_where_at(cnd, zero, g, F), op, 2);
}
static void v_neg(gctx *G, sj_op *op, sj_var *g, sj_var **r) { (void)op, r[0] = sj_neg_at(g, F); }
static void v_exp(gctx *G, sj_op *op, sj_var *g, sj_var **r) { r[0] = sj_mul_at(g, res(G, op), F); }
static void v_log(gctx *G, sj_op *op, sj_var *g, sj_var **r) { r[0] = sj_div_at(g, opnd(G, op, 0), F); }
static void v_log1p(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *x = opnd(G, op, 0);
  r[0] = sj_div_at(g, sj_add_at(x, k(G, 1, x), F), F);
}
static void v_expm1(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *z = res(G, op);
  r[0] = sj_mul_at(g, sj_add_at(z, k(G, 1, z), F), F);
}
static void v_sqrt(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *z = res(G, op);
  r[0] = sj_div_at(sj_mul_at(g, k(G, 0.5, z), F), z, F);
}
static void v_rsqrt(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *z = res(G, op), *x = opnd(G, op, 0);
  r[0] = sj_mul_at(g, sj_div_at(sj_mul_at(z, k(G, -0.5, z), F), x, F), F);
}
static void v_tanh(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *z = res(G, op);
  r[0] = sj_mul_at(g, sj_sub_at(k(G, 1, z), sj_mul_at(z, z, F), F), F);
}
static void v_sigmoid(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *z = res(G, op);
  r[0] = sj_mul_at(g, sj_mul_at(z, sj_sub_at(k(G, 1, z), z, F), F), F);
}
static void v_softplus(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = sj_mul_at(g, sj_sigmoid_at(opnd(G, op, 0), F), F);
}
static void v_abs(gctx *G, sj_op *op, sj_var *g, sj_var **r) { r[0] = sj_mul_at(g, sj_sign_at(opnd(G, op, 0), F), F); }
static void v_cast(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_dtype from = sj_opnd(op, 0)->type.dt;
  r[0] = sj_dtype_is_float(from) ? sj_cast_at(g, from, F) : NULL;
}

/* reductions: g (reduced shape) broadcast back over the reduced axes */
static sj_var *expand_back(gctx *G, sj_op *op, sj_var *g) {
  const sj_type *x = &sj_opnd(op, 0)->type;
  sj_reduce_info ri;
  if (!sj_reduce_info_get(op, &ri)) return g; /* verified ops always decode */
  if (!ri.keepdims) {
    int64_t dims[SJ_MAX_RANK];
    for (int i = 0; i < x->rank; i++) dims[i] = (ri.mask & (1u << i)) ? 1 : x->dims[i];
    g = sj_reshape_at(g, x->rank, dims, F);
  }
  return sj_graph_broadcast_like(g, opnd(G, op, 0), F);
}

static void v_sum(gctx *G, sj_op *op, sj_var *g, sj_var **r) { r[0] = expand_back(G, op, g); }
/* mean: g / count. A static count is a constant; a dynamic one is one sum of
 * ones over the same axes (kept dims), which fuses with its neighbours. */
static void v_mean(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *x = opnd(G, op, 0);
  const sj_type *t = &x->v->type;
  sj_reduce_info ri;
  unsigned mask = sj_reduce_info_get(op, &ri) ? ri.mask : 0;
  int64_t count = 1;
  int axes[SJ_MAX_RANK], n = 0;
  for (int i = 0; i < t->rank; i++)
    if (mask & (1u << i)) {
      axes[n++] = i;
      count = count < 0 || t->dims[i] < 0 ? -1 : count * t->dims[i];
    }
  if (count > 0) {
    r[0] = sj_div_at(expand_back(G, op, g), k(G, (double)count, g), F);
    return;
  }
  sj_var *cnt = sj_sum_at(sj_graph_broadcast_like(k(G, 1, x), x, F), n, axes, 1, F);
  r[0] = sj_div_at(expand_back(G, op, g), cnt, F);
}

static void v_maxmin(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *x = opnd(G, op, 0);
  sj_var *zb = expand_back(G, op, res(G, op)), *gb = expand_back(G, op, g);
  r[0] = sj_where_at(sj_eq_at(x, zb, F), gb, k(G, 0, g), F);
}
static void v_prod(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *x = opnd(G, op, 0);
  r[0] = sj_div_at(expand_back(G, op, sj_mul_at(g, res(G, op), F)), x, F);
}
static void v_reshape(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  const sj_type *x = &sj_opnd(op, 0)->type;
  r[0] = sj_reshape_at(g, x->rank, x->dims, F);
}
static void v_transpose(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  const sj_attr *p = sj_op_attr(op, "perm");
  int inv[SJ_MAX_RANK];
  for (int i = 0; i < p->u.ints.n; i++) inv[p->u.ints.v[i]] = i;
  r[0] = sj_transpose_at(g, inv, F);
}
static void v_broadcast(gctx *G, sj_op *op, sj_var *g, sj_var **r) { r[0] = ub(G, g, op, 0); }

/* swap the last two axes */
static sj_var *mT(gctx *G, sj_var *x) {
  int r = x->v->type.rank, perm[SJ_MAX_RANK];
  for (int i = 0; i < r; i++) perm[i] = i;
  perm[r - 1] = r - 2, perm[r - 2] = r - 1;
  return sj_transpose_at(x, perm, F);
}
static void v_matmul(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *a = opnd(G, op, 0), *b = opnd(G, op, 1);
  r[0] = ub(G, sj_matmul_at(g, mT(G, b), F), op, 0);
  r[1] = ub(G, sj_matmul_at(mT(G, a), g, F), op, 1);
}

/* take's adjoint is a scatter-add into zeros shaped like x, and back. */
static int axis_of(sj_op *op) { return (int)sj_op_int(op, "axis", 0); }
static void v_take(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = sj_scatter_add_at(g, opnd(G, op, 1), opnd(G, op, 0), axis_of(op), 0, F);
}
static void v_take_along(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = sj_scatter_add_at(g, opnd(G, op, 1), opnd(G, op, 0), axis_of(op), 1, F);
}
static void v_scatter(gctx *G, sj_op *op, sj_var *g, sj_var **r) { r[0] = sj_take_at(g, opnd(G, op, 1), axis_of(op), F); }
static void v_scatter_along(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = sj_take_along_axis_at(g, opnd(G, op, 1), axis_of(op), F);
}

/* The softmax family (axis normalized by inference; the op is verified).
 * softmax: p * (g - sum(g * p)); log_softmax: g - exp(z) * sum(g), sums
 * over the axis with kept dims; softmax_xent: g * (softmax(x) - onehot(y))
 * built without a one-hot matrix (classifier.c). */
static int softmax_axis_of(sj_op *op) {
  int a = axis_of(op);
  return a < 0 ? a + sj_opnd(op, 0)->type.rank : a;
}
static void v_softmax(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  int a = softmax_axis_of(op);
  sj_var *p = res(G, op);
  r[0] = sj_mul_at(p, sj_sub_at(g, sj_sum_at(sj_mul_at(g, p, F), 1, &a, 1, F), F), F);
}
static void v_log_softmax(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  int a = softmax_axis_of(op);
  r[0] = sj_sub_at(g, sj_mul_at(sj_exp_at(res(G, op), F), sj_sum_at(g, 1, &a, 1, F), F), F);
}
static void v_softmax_xent(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = sj_graph_softmax_xent_grad(opnd(G, op, 0), opnd(G, op, 1), g, softmax_axis_of(op), F);
  r[1] = NULL;
}

/* The conv2d family (docs/decisions/0021-conv-pool.md): each adjoint is
 * another op of the family with the same attributes, so second
 * derivatives and the fast kernels come for free. u is the upstream
 * gradient; `like` operands (shape only) get none. */
static sj_var *conv_op(gctx *G, sj_opcode code, sj_op *op, sj_var *a, sj_var *b, sj_var *c) {
  sj_var *args[3] = {a, b, c};
  return sj_graph_conv_op(code, args, op, F);
}
static void v_conv2d(gctx *G, sj_op *op, sj_var *u, sj_var **r) {
  sj_var *x = opnd(G, op, 0), *w = opnd(G, op, 1);
  r[0] = conv_op(G, SJ_OP_CONV2D_INPUT_GRAD, op, u, w, x);
  r[1] = conv_op(G, SJ_OP_CONV2D_FILTER_GRAD, op, x, u, w);
}
/* dx = conv2d_input_grad(g, w): linear in g (its adjoint is conv2d),
 * bilinear in (g, w) */
static void v_conv2d_input_grad(gctx *G, sj_op *op, sj_var *u, sj_var **r) {
  sj_var *g = opnd(G, op, 0), *w = opnd(G, op, 1);
  r[0] = conv_op(G, SJ_OP_CONV2D, op, u, w, NULL);
  r[1] = conv_op(G, SJ_OP_CONV2D_FILTER_GRAD, op, u, g, w);
  r[2] = NULL;
}
/* dw = conv2d_filter_grad(x, g): bilinear in (x, g) */
static void v_conv2d_filter_grad(gctx *G, sj_op *op, sj_var *u, sj_var **r) {
  sj_var *x = opnd(G, op, 0), *g = opnd(G, op, 1);
  r[0] = conv_op(G, SJ_OP_CONV2D_INPUT_GRAD, op, g, u, x);
  r[1] = conv_op(G, SJ_OP_CONV2D, op, x, u, NULL);
  r[2] = NULL;
}

/* Gradient controls (identity forward): zero, clip of g, g times scale. */
static void v_stop_gradient(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = sj_graph_broadcast_like(k(G, 0, g), opnd(G, op, 0), F);
}
static void v_clip_grad(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  double lo = sj_op_attr(op, "lo")->u.f, hi = sj_op_attr(op, "hi")->u.f;
  r[0] = sj_minimum_at(sj_maximum_at(g, k(G, lo, g), F), k(G, hi, g), F);
}
static void v_scale_grad(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = sj_mul_at(g, k(G, sj_op_attr(op, "scale")->u.f, g), F);
}

/* Slicing (docs/decisions/0010-slicing.md): a slice's adjoint writes g into
 * zeros shaped like x; an update's adjoint w.r.t. x is g, with the updated
 * region zeroed for "set", and w.r.t. the values the region of g summed over
 * their broadcast axes, where a "set" at repeated indices passes it to the
 * last (winning) position only. */
static bool mode_is_set(sj_op *op) { return strcmp(sj_op_attr(op, "mode")->u.s, "set") == 0; }
/* Whether the sweep will use operand value v's gradient (v is a wrt or
 * depends on one, and is not held constant): a rule that may refuse builds
 * that gradient only then. */
static bool wanted(gctx *G, sj_value *v) {
  for (size_t i = 0; G->o && i < G->o->nconstant; i++)
    if (G->o->consider_constant[i] && G->o->consider_constant[i]->v == v) return false;
  if (v->def) return v->def->scratch != 0;
  for (size_t i = 0; i < G->nwrt; i++)
    if (G->wrt[i] && G->wrt[i]->v == v) return true;
  return false;
}
static void v_slice(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *x = opnd(G, op, 0);
  r[0] = sj_graph_slice_update_as(op, sj_graph_broadcast_like(k(G, 0, g), x, F), g, "set", F);
}
static void v_slice_update(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = mode_is_set(op) ? sj_graph_slice_update_as(op, g, k(G, 0, g), "set", F) : g;
  r[1] = ub(G, sj_graph_slice_as(op, g, F), op, 1);
}
static void v_index_update(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  sj_var *idx = opnd(G, op, 1), *picked = sj_take_at(g, idx, axis_of(op), F);
  r[1] = NULL;
  if (!mode_is_set(op)) {
    r[0] = g;
    r[2] = ub(G, picked, op, 2);
    return;
  }
  r[0] = sj_graph_index_update(g, idx, k(G, 0, g), axis_of(op), "set", F);
  if (!wanted(G, sj_opnd(op, 2))) return; /* r[2] stays NULL */
  sj_var *wins = sj_graph_index_set_winners(opnd(G, op, 0), idx, axis_of(op), F);
  r[2] = wins->kind == VAR_POISON ? wins : ub(G, sj_where_at(wins, picked, k(G, 0, g), F), op, 2); /* refused: said why */
}

/* Pooling (docs/decisions/0021-conv-pool.md): the gradient ops carry the
 * forward op's attributes. max_pool2d routes g to each window's first
 * maximum; avg_pool2d spreads g / divisor; avg_pool2d_grad is linear in g
 * and its adjoint is the average pooling itself. max_pool2d_grad is
 * piecewise constant in x (zero gradient) and linear in g, but its adjoint
 * in g (a gather at the argmax positions) has no op: second derivatives
 * through max pooling are refused here, by name (0021, poolops). */
static void copy_pool_attrs(sj_ctx *c, sj_op *op, const void *src) {
  const sj_op *s = src;
  for (unsigned i = 0; i < s->nattrs; i++)
    if (strcmp(s->attrs[i].name, "count_pad") || op->code != SJ_OP_MAX_POOL2D_GRAD) sj_op_set_attr(c, op, s->attrs[i]);
}
static sj_var *pool_like(gctx *G, sj_opcode code, sj_op *op, sj_var *a, sj_var *b) {
  sj_var *args[2] = {a, b};
  return sj_graph_op(code, b ? 2 : 1, args, NULL, copy_pool_attrs, op, F);
}
static void v_max_pool2d(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = pool_like(G, SJ_OP_MAX_POOL2D_GRAD, op, opnd(G, op, 0), g);
}
static void v_avg_pool2d(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = pool_like(G, SJ_OP_AVG_POOL2D_GRAD, op, g, opnd(G, op, 0));
}
static void v_avg_pool2d_grad(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = pool_like(G, SJ_OP_AVG_POOL2D, op, g, NULL);
  r[1] = NULL; /* like: only its shape is read */
}
static void v_max_pool2d_grad(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  r[0] = sj_graph_broadcast_like(k(G, 0, g), opnd(G, op, 0), F);
  if (!wanted(G, sj_opnd(op, 1))) return; /* r[1] stays NULL */
  char at[300] = "";
  if (op->loc.file) snprintf(at, sizeof at, " (built at %s:%d)", op->loc.file, op->loc.line);
  sj_graph_fail(G->c, G->file, G->line,
                "grad: second derivatives through max pooling are not supported: 'max_pool2d_grad'%s has no gradient "
                "with respect to its incoming gradient",
                at);
  r[1] = sj_graph_of(G->c)->poison;
}

/* scan: backpropagation through time as a scan that runs the other way
 * (scan_grad.c, docs/decisions/0017-bptt.md). g is the first cotangent
 * that reached a result; the rule reads them all from G->gres. */
static void v_scan(gctx *G, sj_op *op, sj_var *g, sj_var **r) {
  (void)g;
  bool *want = sj_arena_alloc(G->c, op->nopnds * sizeof *want);
  for (unsigned i = 0; i < op->nopnds; i++) want[i] = wanted(G, sj_opnd(op, i));
  sj_graph_scan_vjp(op, G->gres, want, r, G->file, G->line);
}

/* The VJP column of ops.def; NONE: no gradient flows through the op. */
#define NONE NULL
static const vjp_fn rules[SJ_OP_COUNT] = {
#define SJ_OP(ID, NAME, MINO, MAXO, NRES, NREG, FLAGS, ATTRS, INFER, VERIFY, EVAL, COMBINE, IDENTITY, EMIT, SCALAR_CG, VJP, PLAN, REF) \
  [SJ_OP_##ID] = VJP,
#include "ops.def"
#undef SJ_OP
};
#undef NONE

/* ---- the reverse sweep ---- */

/* Adjoints: each value's gradient so far, in a value map (hashed, so a
 * sweep over n ops costs O(n)). */
static sj_var *adjoint(gctx *G, const sj_value_map *a, sj_value *v) {
  sj_value *g = sj_value_map_find(a, v);
  return g ? sj_graph_var(G->c, g) : NULL;
}

static void accumulate(gctx *G, sj_value_map *a, sj_value *v, sj_var *g) {
  sj_var *old = adjoint(G, a, v);
  sj_value_map_set(a, v, (old ? sj_add_at(old, g, F) : g)->v);
}

static bool in_list(sj_var *const *l, size_t n, const sj_value *v) {
  for (size_t i = 0; i < n; i++)
    if (l[i] && l[i]->v == v) return true;
  return false;
}

/* Ops whose results depend on some wrt (forward pass; scratch = 1). */
static bool results_constant(const sj_op *op, const sj_grad_options *o) {
  if (!o || !op->nresults) return false;
  for (unsigned i = 0; i < op->nresults; i++)
    if (!in_list(o->consider_constant, o->nconstant, sj_res(op, i))) return false;
  return true;
}

static void mark_dependent(sj_block *b, sj_var *const *wrt, size_t n, const sj_grad_options *o) {
  for (sj_op *op = b->first; op; op = op->next) {
    op->scratch = 0;
    if (results_constant(op, o)) continue;
    for (unsigned i = 0; i < op->nopnds && !op->scratch; i++) {
      sj_value *v = sj_opnd(op, i);
      if (o && in_list(o->consider_constant, o->nconstant, v)) continue;
      op->scratch = in_list(wrt, n, v) || (v->def && v->def->scratch);
    }
  }
}

/* A wrt the sweep reached no adjoint for, while some op on a path from it
 * to the cost has no gradient (sign, a comparison, argmax, a cast to an
 * integer): say so, naming that op as the user built it, and where. */
static sj_status not_differentiable(gctx *G, sj_var *x, sj_value *culprit) {
  sj_op *d = culprit->def;
  const char *label = sj_graph_label(G->c, culprit);
  char what[64];
  if (label || (d && d->code != SJ_OP_CAST)) snprintf(what, sizeof what, "'%s'", label ? label : sj_op_name(d));
  else snprintf(what, sizeof what, "%s", d ? "a cast to an integer dtype" : "an integer input");
  if (d && d->loc.file)
    sj_graph_fail(G->c, G->file, G->line,
                  "grad: not differentiable: '%s' reaches the cost only through %s (built at %s:%d), which has no "
                  "gradient (pass disconnected_zero to get zeros)",
                  sj_var_name(x), what, d->loc.file, d->loc.line);
  else
    sj_graph_fail(G->c, G->file, G->line,
                  "grad: not differentiable: '%s' reaches the cost only through %s, which has no gradient (pass "
                  "disconnected_zero to get zeros)",
                  sj_var_name(x), what);
  return SJ_ERR_VERIFY;
}

sj_status sj_graph_grad(sj_var *cost, sj_var *const *wrt, size_t n, const sj_grad_options *o, sj_var **out,
                        const char *file, int line) {
  if (!cost || (n && (!wrt || !out))) return SJ_ERR_INVALID;
  sj_ctx *c = cost->c;
  sj_graph *gr = sj_graph_of(c);
  for (size_t i = 0; i < n; i++) out[i] = gr->poison;
  if (gr->failed || cost->kind == VAR_POISON) return SJ_ERR_VERIFY;
  gctx G = {c, file, line, wrt, n, o, NULL};
  bool known = o && o->nknown;
  if (!known && (cost->v->type.rank != 0 || !sj_dtype_is_float(cost->v->type.dt))) {
    char t[SJ_TYPE_STR_CAP];
    sj_graph_fail(c, file, line, "grad: the cost must be a float scalar, got %s (give known_grads for others)",
                  sj_type_str(&cost->v->type, t, sizeof t));
    return SJ_ERR_VERIFY;
  }
  for (size_t i = 0; i < n; i++)
    if (!wrt[i] || wrt[i]->kind == VAR_POISON) return SJ_ERR_INVALID;
  if (!gr->body) /* loops with checkpoints are rewritten first (scan_grad.c) */
    for (sj_op *op = gr->block->first; op && !gr->failed; op = op->next)
      sj_graph_scan_checkpoint(c, op, file, line);
  mark_dependent(gr->block, wrt, n, o);
  sj_value_map *A = sj_value_map_new(c);
  if (known) {
    for (size_t i = 0; i < o->nknown; i++) accumulate(&G, A, o->known[i]->v, o->known_grads[i]);
  } else {
    accumulate(&G, A, cost->v, k(&G, 1, cost));
  }
  /* snapshot the ops: the sweep appends gradient nodes to the same block */
  sj_op_vec ops = {0};
  for (sj_op *op = gr->block->first; op; op = op->next) sj_op_vec_push(&ops, op);
  /* B: value -> the value whose non-differentiable op stopped a gradient on
   * its way to it (for the error of a wrt that gets none) */
  sj_value_map *B = sj_value_map_new(c);
  for (size_t i = ops.n; i-- > 0 && !gr->failed;) {
    sj_op *op = ops.v[i];
    if (!op->scratch) continue;
    /* each result's cotangent (a scan has several); gs: the first one */
    sj_var *gs1[1], **gres = op->nresults > 1 ? sj_arena_alloc(c, op->nresults * sizeof *gres) : gs1, *gs = NULL;
    sj_value *stop = NULL;
    for (unsigned r = 0; r < op->nresults; r++) {
      gres[r] = adjoint(&G, A, sj_res(op, r));
      if (!gs) gs = gres[r];
      if (!stop) stop = sj_value_map_find(B, sj_res(op, r));
    }
    if (!gs && !stop) continue;
    sj_var *grads4[4] = {0}, **grads = op->nopnds > 4 ? sj_arena_alloc(c, op->nopnds * sizeof *grads) : grads4;
    for (unsigned j = 0; j < op->nopnds; j++) grads[j] = NULL;
    G.gres = gres;
    if (gs && rules[op->code]) rules[op->code](&G, op, gs, grads);
    for (unsigned j = 0; j < op->nopnds; j++) {
      sj_value *v = sj_opnd(op, j);
      bool flows = in_list(wrt, n, v) || (v->def && v->def->scratch);
      if (!flows || (o && in_list(o->consider_constant, o->nconstant, v))) continue;
      if (grads[j]) accumulate(&G, A, v, grads[j]);
      else if (!sj_value_map_find(B, v))
        sj_value_map_set(B, v, gs ? (rules[op->code] ? v : sj_res(op, 0)) : stop);
    }
  }
  sj_op_vec_free(&ops);
  sj_status st = gr->failed ? SJ_ERR_VERIFY : SJ_OK;
  for (size_t i = 0; i < n && !st; i++) {
    sj_var *s = adjoint(&G, A, wrt[i]->v);
    if (s) {
      out[i] = s;
    } else if (o && o->disconnected_zero) {
      out[i] = sj_graph_broadcast_like(k(&G, 0, wrt[i]), wrt[i], file, line);
    } else if (sj_value_map_find(B, wrt[i]->v)) {
      st = not_differentiable(&G, wrt[i], sj_value_map_find(B, wrt[i]->v));
    } else {
      sj_graph_fail(c, file, line, "grad: '%s' is not connected to the cost (pass disconnected_zero to get zeros)",
                    sj_var_name(wrt[i]));
      st = SJ_ERR_VERIFY;
    }
  }
  return st;
}
