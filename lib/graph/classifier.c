/* Classifier ops of the graph API: softmax, log_softmax and the
 * cross-entropies (one op each for the softmax family, so that rewrites
 * and kernels see them; docs/decisions/0006-softmax-ops.md), and the
 * gradient of softmax_xent that grad.c's rule builds. One-hot and argmax
 * stay with the other builders in graph.c. */
#include <math.h>
#include <stdio.h>

#include "graph_internal.h"

static bool bad(const sj_var *v) { return !v || v->kind == VAR_POISON; }

static void set_axis(sj_ctx *c, sj_op *op, const void *arg) { sj_op_set_int(c, op, "axis", *(const int *)arg); }

/* axis normalized against x's rank (so that equal ops print and merge
 * alike); one out of range is left for the op's inference to report. */
static int norm_axis(const sj_var *x, int axis) {
  int r = x->v->type.rank;
  return axis < 0 && axis >= -r ? axis + r : axis;
}

static sj_var *softmax_op(sj_opcode code, sj_var *x, int axis, const char *file, int line) {
  if (bad(x)) return x;
  axis = norm_axis(x, axis);
  return sj_graph_op(code, 1, &x, NULL, set_axis, &axis, file, line);
}

sj_var *sj_softmax_at(sj_var *x, int axis, const char *file, int line) {
  return softmax_op(SJ_OP_SOFTMAX, x, axis, file, line);
}

sj_var *sj_log_softmax_at(sj_var *x, int axis, const char *file, int line) {
  return softmax_op(SJ_OP_LOG_SOFTMAX, x, axis, file, line);
}

sj_var *sj_softmax_xent_at(sj_var *logits, sj_var *labels, int axis, const char *file, int line) {
  if (bad(logits) || bad(labels)) return bad(logits) ? logits : labels;
  axis = norm_axis(logits, axis);
  sj_var *args[2] = {logits, labels};
  return sj_graph_op(SJ_OP_SOFTMAX_XENT, 2, args, NULL, set_axis, &axis, file, line);
}

/* v with a new axis of size 1 at position `axis` (a reshape). */
static sj_var *insert_axis(sj_var *v, int axis, const char *file, int line) {
  if (bad(v)) return v;
  const sj_type *t = &v->v->type;
  int64_t dims[SJ_MAX_RANK];
  for (int i = 0, j = 0; i <= t->rank; i++) dims[i] = i == axis ? 1 : t->dims[j++];
  sj_type nt = sj_tensor_type(t->dt, t->rank + 1, dims);
  return sj_graph_op(SJ_OP_RESHAPE, 1, &v, &nt, NULL, NULL, file, line);
}

/* x [B, C] (static C) and integer labels [B], else a build error naming
 * the function (`what`), what x should hold (`noun`) and both types. */
static bool check_batch(const char *what, const char *noun, sj_var *x, sj_var *labels, const char *file, int line) {
  const sj_type *t = &x->v->type, *l = &labels->v->type;
  if (t->rank == 2 && l->rank == 1 && sj_dtype_is_int(l->dt) && t->dims[1] > 0) return true;
  char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP];
  sj_graph_fail(x->c, file, line, "%s: needs %s [batch, classes] (static classes) and integer labels [batch], got %s and %s",
                what, noun, sj_type_str(t, a, sizeof a), sj_type_str(l, b, sizeof b));
  return false;
}

static sj_var *mean_xent(const char *what, sj_var *logits, sj_var *labels, const char *file, int line) {
  if (bad(logits) || bad(labels)) return bad(logits) ? logits : labels;
  if (!check_batch(what, "logits", logits, labels, file, line)) return sj_graph_of(logits->c)->poison;
  return sj_mean_at(sj_softmax_xent_at(logits, labels, 1, file, line), 0, NULL, 0, file, line);
}

sj_var *sj_softmax_crossentropy_logits_at(sj_var *logits, sj_var *labels, const char *file, int line) {
  return mean_xent("softmax_crossentropy_logits", logits, labels, file, line);
}

sj_var *sj_crossentropy_at(sj_var *logits, sj_var *labels, const char *file, int line) {
  return mean_xent("crossentropy", logits, labels, file, line);
}

typedef struct vars_args {
  sj_ctx *c;
  sj_value *v[2];
  sj_var *res[2];
  sj_var *first;
} vars_args;

static sj_status vars_protected(void *ud) {
  vars_args *a = ud;
  for (int i = 0; i < 2; i++) a->res[i] = a->v[i] ? sj_graph_var(a->c, a->v[i]) : NULL; /* allocates */
  a->first = a->res[0];
  return SJ_OK;
}

/* The graph variables of up to two IR values (false: out of memory). */
static bool vars_of(sj_ctx *c, sj_value *v0, sj_value *v1, sj_var **out) {
  vars_args a = {c, {v0, v1}, {NULL, NULL}, NULL};
  sj_var *r = sj_graph_guard(c, vars_protected, &a, &a.first);
  out[0] = a.res[0], out[1] = a.res[1];
  return !bad(r);
}

/* -mean(log(probs[label])). With probs = sj_softmax(x, 1), sj_log and
 * sj_take_along_axis build the fused op (below), so sj_grad sees it; a
 * hand-written exp(x) / sum(exp(x)) is fused by the stabilize-softmax pass
 * (the compiled value; its gradient stays as written). */
sj_var *sj_categorical_crossentropy_at(sj_var *probs, sj_var *labels, const char *file, int line) {
  if (bad(probs) || bad(labels)) return bad(probs) ? probs : labels;
  if (!sj_dtype_is_float(probs->v->type.dt)) {
    char a[SJ_TYPE_STR_CAP];
    sj_graph_fail(probs->c, file, line, "categorical_crossentropy: probabilities must be floating point, got %s",
                  sj_type_str(&probs->v->type, a, sizeof a));
    return sj_graph_of(probs->c)->poison;
  }
  if (!check_batch("categorical_crossentropy", "probabilities", probs, labels, file, line)) return sj_graph_of(probs->c)->poison;
  sj_var *picked = sj_take_along_axis_at(probs, insert_axis(labels, 1, file, line), 1, file, line);
  return sj_neg_at(sj_mean_at(sj_log_at(picked, file, line), 0, NULL, 0, file, line), file, line);
}

/* softplus(x) - x*t: exact where the naive -t log(sigmoid x) - ... gives
 * log(0) (|x| large), and 0 exactly when a huge logit agrees with t. */
sj_var *sj_binary_crossentropy_logits_at(sj_var *logits, sj_var *targets, const char *file, int line) {
  if (bad(logits) || bad(targets)) return bad(logits) ? logits : targets;
  if (!sj_dtype_is_float(logits->v->type.dt)) {
    char a[SJ_TYPE_STR_CAP];
    sj_graph_fail(logits->c, file, line, "binary_crossentropy_logits: logits must be floating point, got %s",
                  sj_type_str(&logits->v->type, a, sizeof a));
    return sj_graph_of(logits->c)->poison;
  }
  sj_var *e = sj_sub_at(sj_softplus_at(logits, file, line), sj_mul_at(logits, targets, file, line), file, line);
  return sj_mean_at(e, 0, NULL, 0, file, line);
}

/* ---- build-time stabilization ----
 *
 * sj_grad differentiates the graph as built, before any pass runs, so a
 * naive spelling would get the naive gradient even though the compiled
 * value is fused. The two exact rewrites that matter for the gradient are
 * applied as the graph is built (stabilize-softmax does the same on IR):
 * log(softmax(x)) is log_softmax(x), also through a gather, and
 * take_along_axis(log_softmax(x), labels) on the class axis is
 * -softmax_xent(x, labels). */

static int axis_norm(const sj_op *op) {
  int64_t a = sj_op_int(op, "axis", 0);
  return (int)(a < 0 ? a + sj_opnd(op, 0)->type.rank : a);
}

sj_var *sj_graph_stable_log(sj_var *x, const char *file, int line) {
  if (bad(x) || !x->v->def) return NULL;
  const sj_op *d = x->v->def, *sm = d;
  bool gather = d->code == SJ_OP_TAKE || d->code == SJ_OP_TAKE_ALONG_AXIS;
  if (gather) sm = sj_opnd(d, 0)->def;
  if (!sm || sm->code != SJ_OP_SOFTMAX) return NULL;
  sj_var *v[2];
  if (!vars_of(x->c, sj_opnd(sm, 0), gather ? sj_opnd(d, 1) : NULL, v)) return sj_graph_of(x->c)->poison;
  sj_var *ls = sj_log_softmax_at(v[0], axis_norm(sm), file, line);
  if (!gather) return ls;
  int ax = (int)sj_op_int(d, "axis", 0);
  return d->code == SJ_OP_TAKE ? sj_take_at(ls, v[1], ax, file, line) : sj_take_along_axis_at(ls, v[1], ax, file, line);
}

sj_var *sj_graph_stable_take_along(sj_var *x, sj_var *idx, int axis, const char *file, int line) {
  if (bad(x) || bad(idx) || !x->v->def || x->v->def->code != SJ_OP_LOG_SOFTMAX) return NULL;
  const sj_op *ls = x->v->def;
  const sj_type *xt = &x->v->type, *it = &idx->v->type;
  int a = axis_norm(ls);
  if ((axis < 0 ? axis + xt->rank : axis) != a || xt->dims[a] < 1 || it->rank != xt->rank || !sj_dtype_is_int(it->dt))
    return NULL;
  for (int i = 0; i < xt->rank; i++)
    if (it->dims[i] != (i == a ? 1 : xt->dims[i])) return NULL;
  const sj_op *rs = idx->v->def;
  bool unwrap = rs && rs->code == SJ_OP_RESHAPE && sj_opnd(rs, 0)->type.rank == xt->rank - 1;
  for (int i = 0, j = 0; unwrap && i < xt->rank; i++) /* the reshape only inserted the class axis */
    if (i != a) unwrap = sj_opnd(rs, 0)->type.dims[j++] == xt->dims[i];
  sj_var *v[2];
  if (!vars_of(x->c, sj_opnd(ls, 0), unwrap ? sj_opnd(rs, 0) : NULL, v)) return sj_graph_of(x->c)->poison;
  sj_var *labels = v[1];
  if (!unwrap) { /* drop the size-1 class axis of idx */
    int64_t dims[SJ_MAX_RANK];
    for (int i = 0, j = 0; i < it->rank; i++)
      if (i != a) dims[j++] = it->dims[i];
    sj_type lt = sj_tensor_type(it->dt, it->rank - 1, dims);
    labels = sj_graph_op(SJ_OP_RESHAPE, 1, &idx, &lt, NULL, NULL, file, line);
  }
  sj_var *rows = sj_softmax_xent_at(v[0], labels, a, file, line);
  sj_type kt = *it;
  kt.dt = xt->dt;
  return sj_neg_at(sj_graph_op(SJ_OP_RESHAPE, 1, &rows, &kt, NULL, NULL, file, line), file, line);
}

/* ---- the gradient of softmax_xent ---- */

static sj_var *scalar_of(sj_var *like, double v, const char *file, int line) {
  return sj_scalar_at(like->c, v, like->v->type.dt, file, line);
}

/* g * select(label == class, p - 1, p) with p = softmax(x): the comparison
 * of the labels (a size-1 axis) with the class indices (a constant) is an
 * elementwise op that fuses with the softmax's division, so neither a
 * one-hot matrix nor a scatter exists at run time. Labels outside [0, n)
 * make their row NaN, as the cost. i8 labels compare in i32 (the class
 * indices may not fit in i8). */
sj_var *sj_graph_softmax_xent_grad(sj_var *x, sj_var *labels, sj_var *g, int axis, const char *file, int line) {
  if (bad(x) || bad(labels) || bad(g)) return bad(x) ? x : bad(labels) ? labels : g;
  const sj_type *t = &x->v->type;
  int64_t n = t->dims[axis];
  sj_var *y = labels->v->type.dt == SJ_I8 ? sj_cast_at(labels, SJ_I32, file, line) : labels;
  sj_var *yk = insert_axis(y, axis, file, line), *gk = insert_axis(g, axis, file, line);
  sj_var *cls = sj_graph_iota(x->c, n, y->v->type.dt, file, line);
  if (axis < t->rank - 1 && !bad(cls)) { /* [n, 1, ..., 1]: the class axis lines up with x's */
    int64_t dims[SJ_MAX_RANK];
    int r = t->rank - axis;
    for (int i = 0; i < r; i++) dims[i] = i ? 1 : n;
    cls = sj_reshape_at(cls, r, dims, file, line);
  }
  sj_var *p = sj_softmax_at(x, axis, file, line);
  sj_var *d = sj_where_at(sj_eq_at(yk, cls, file, line), sj_sub_at(p, scalar_of(p, 1, file, line), file, line), p,
                          file, line);
  sj_var *nan = scalar_of(p, NAN, file, line);
  sj_var *lo = sj_lt_at(yk, scalar_of(y, 0, file, line), file, line);
  sj_var *hi = sj_ge_at(yk, scalar_of(y, (double)n, file, line), file, line);
  d = sj_where_at(lo, nan, sj_where_at(hi, nan, d, file, line), file, line);
  return sj_mul_at(gk, d, file, line);
}
