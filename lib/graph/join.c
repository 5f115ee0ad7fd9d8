/* Tensors from host data and joining: sj_constant (a dense constant copied
 * from a tensor), sj_concatenate, sj_stack and sj_copy. concatenate is a
 * composition, not an op row (docs/decisions/0011-grad-controls.md): along
 * the joined axis, operand i is read with take() at clamped positions
 * (j - offset_i) and a select on a constant mask keeps the operand each
 * output position belongs to. take, select and their gradients exist, so the
 * result fuses into one kernel, runs on the reference evaluator and has its
 * gradient (each operand gets its slice of g through take's scatter-add)
 * with nothing new below the graph layer. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "graph_internal.h"

sj_var *sj_constant_at(sj_ctx *c, const sj_tensor *t, const char *file, int line) {
  if (!c) return NULL;
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return g->poison;
  if (!t) {
    sj_graph_fail(c, file, line, "sj_constant: the tensor is NULL");
    return g->poison;
  }
  int64_t n = sj_tensor_numel(t);
  if (n > INT32_MAX) {
    sj_graph_fail(c, file, line, "sj_constant: %lld elements is too many for a constant (pass it as an input)",
                  (long long)n);
    return g->poison;
  }
  double *v = sj_scratch_calloc((size_t)(n ? n : 1), sizeof *v);
  if (!v) {
    sj_graph_fail(c, file, line, "sj_constant: out of memory copying %lld elements", (long long)n);
    g->status = SJ_ERR_NOMEM;
    return g->poison;
  }
  for (int64_t i = 0; i < n; i++) {
    v[i] = sj_tensor_get(t, i);
    /* dense attributes hold doubles: an i64 beyond 2^53 would round */
    int64_t iv = sj_tensor_dtype(t) == SJ_I64 ? ((const int64_t *)sj_tensor_data(t))[i] : 0;
    if (iv > (INT64_C(1) << 53) || iv < -(INT64_C(1) << 53)) {
      sj_graph_fail(c, file, line, "sj_constant: element %lld (%lld) is not exact as a constant (beyond 2^53)",
                    (long long)i, (long long)iv);
      sj_scratch_free(v);
      return g->poison;
    }
  }
  sj_var *r = sj_graph_dense(c, sj_tensor_type(sj_tensor_dtype(t), sj_tensor_rank(t), sj_tensor_dims(t)), v, file, line);
  sj_scratch_free(v);
  return r;
}

/* ---- concatenate, stack ---- */

static bool check_operands(sj_var *const *xs, size_t n, const char *what, sj_ctx **cp, const char *file, int line) {
  *cp = NULL;
  if (!xs || n == 0) return false;
  for (size_t i = 0; i < n && !*cp; i++)
    if (xs[i]) *cp = xs[i]->c;
  sj_ctx *c = *cp;
  if (!c) return false;
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return false;
  for (size_t i = 0; i < n; i++) {
    if (!xs[i] || xs[i]->c != c) {
      sj_graph_fail(c, file, line, "%s: operand %zu is %s", what, i, xs[i] ? "from another context" : "NULL");
      return false;
    }
    if (xs[i]->kind == VAR_POISON) return false;
  }
  return true;
}

static void shape_mismatch(sj_ctx *c, const char *what, size_t i, const sj_var *a, const sj_var *b, const char *why,
                           const char *file, int line) {
  char x[200], y[200];
  sj_graph_fail(c, file, line, "%s: operand %zu %s does not match operand 0 %s: %s", what, i,
                sj_graph_describe(b, y, sizeof y), sj_graph_describe(a, x, sizeof x), why);
}

/* The positions along `axis` (of a rank-r result with N there) as a
 * constant broadcastable to the result: [1, .., N, .., 1]. */
static sj_var *along_axis(sj_ctx *c, sj_dtype dt, const double *v, int64_t N, int r, int axis, const char *file,
                          int line) {
  int64_t dims[SJ_MAX_RANK];
  for (int k = 0; k < r; k++) dims[k] = k == axis ? N : 1;
  return sj_graph_dense(c, sj_tensor_type(dt, r, dims), v, file, line);
}

sj_var *sj_concatenate_at(sj_var *const *xs, size_t n, int axis, const char *file, int line) {
  sj_ctx *c;
  if (!check_operands(xs, n, "concatenate", &c, file, line)) return c ? sj_graph_of(c)->poison : NULL;
  sj_graph *g = sj_graph_of(c);
  const sj_type *t0 = &xs[0]->v->type;
  int r = t0->rank;
  if (r == 0) {
    sj_graph_fail(c, file, line, "concatenate: operands must have rank >= 1 (use sj_stack for scalars)");
    return g->poison;
  }
  if (axis < -r || axis >= r) {
    sj_graph_fail(c, file, line, "concatenate: axis %d is out of range for rank %d", axis, r);
    return g->poison;
  }
  if (axis < 0) axis += r;
  int64_t N = 0;
  for (size_t i = 0; i < n; i++) {
    const sj_type *t = &xs[i]->v->type;
    char why[96] = "";
    if (t->dt != t0->dt) snprintf(why, sizeof why, "the dtypes differ");
    else if (t->rank != r) snprintf(why, sizeof why, "the ranks differ");
    else if (t->dims[axis] < 0) snprintf(why, sizeof why, "its size along axis %d is dynamic (it must be static)", axis);
    for (int k = 0; !why[0] && k < r; k++)
      if (k != axis && t->dims[k] != t0->dims[k])
        snprintf(why, sizeof why, "dim %d differs%s", k, t->dims[k] < 0 || t0->dims[k] < 0 ? " (a dynamic dim must be dynamic in every operand)" : "");
    if (why[0] && t->dims[axis] < 0 && t->dt == t0->dt && t->rank == r) { /* about the operand alone */
      char d[200];
      sj_graph_fail(c, file, line, "concatenate: operand %zu %s: %s", i, sj_graph_describe(xs[i], d, sizeof d), why);
      return g->poison;
    }
    if (why[0]) {
      shape_mismatch(c, "concatenate", i, xs[0], xs[i], why, file, line);
      return g->poison;
    }
    N += t->dims[axis];
  }
  if (n == 1 || N == t0->dims[axis]) { /* one operand, or all the others empty */
    for (size_t i = 0; i < n; i++)
      if (xs[i]->v->type.dims[axis] == N) return sj_copy_at(xs[i], file, line);
  }
  if (N > INT32_MAX) {
    sj_graph_fail(c, file, line, "concatenate: %lld elements along axis %d is too many", (long long)N, axis);
    return g->poison;
  }
  double *idx = sj_scratch_calloc((size_t)N, sizeof *idx), *mask = sj_scratch_calloc((size_t)N, sizeof *mask);
  if (!idx || !mask) {
    sj_scratch_free(idx), sj_scratch_free(mask);
    sj_graph_fail(c, file, line, "concatenate: out of memory");
    g->status = SJ_ERR_NOMEM;
    return g->poison;
  }
  /* acc = x_last; then from the back: acc = where(pos < end_i, take(x_i), acc) */
  sj_var *acc = NULL;
  int64_t end = N;
  for (size_t i = n; i-- > 0;) {
    int64_t s = xs[i]->v->type.dims[axis], off = end - s;
    if (s == 0) continue; /* an empty operand adds nothing */
    for (int64_t j = 0; j < N; j++) {
      int64_t p = j - off;
      idx[j] = (double)(p < 0 ? 0 : p >= s ? s - 1 : p);
      mask[j] = j < end;
    }
    sj_var *ix = sj_graph_dense(c, sj_tensor_type(SJ_I64, 1, &N), idx, file, line);
    sj_var *part = sj_take_at(xs[i], ix, axis, file, line);
    acc = acc ? sj_where_at(along_axis(c, SJ_BOOL, mask, N, r, axis, file, line), part, acc, file, line) : part;
    end = off;
  }
  sj_scratch_free(idx);
  sj_scratch_free(mask);
  return sj_graph_set_label(acc, "concatenate");
}

sj_var *sj_stack_at(sj_var *const *xs, size_t n, int axis, const char *file, int line) {
  sj_ctx *c;
  if (!check_operands(xs, n, "stack", &c, file, line)) return c ? sj_graph_of(c)->poison : NULL;
  sj_graph *g = sj_graph_of(c);
  const sj_type *t0 = &xs[0]->v->type;
  int r = t0->rank, ndyn = 0;
  if (r + 1 > SJ_MAX_RANK || axis < -(r + 1) || axis > r) {
    sj_graph_fail(c, file, line, "stack: axis %d is out of range for operands of rank %d", axis, r);
    return g->poison;
  }
  if (axis < 0) axis += r + 1;
  for (int k = 0; k < r; k++) ndyn += t0->dims[k] < 0;
  if (ndyn > 1) { /* the new axis is a reshape, which infers at most one `?` at run time */
    sj_graph_fail(c, file, line, "stack: operands with more than one dynamic dim are not supported");
    return g->poison;
  }
  sj_var **parts = sj_scratch_calloc(n, sizeof *parts);
  if (!parts) {
    sj_graph_fail(c, file, line, "stack: out of memory");
    g->status = SJ_ERR_NOMEM;
    return g->poison;
  }
  int64_t dims[SJ_MAX_RANK];
  for (int k = 0, j = 0; k <= r; k++) dims[k] = k == axis ? 1 : t0->dims[j++];
  sj_var *res = NULL;
  for (size_t i = 0; i < n && !res; i++) {
    const sj_type *t = &xs[i]->v->type;
    if (!sj_type_eq(t, t0)) {
      shape_mismatch(c, "stack", i, xs[0], xs[i], t->dt != t0->dt ? "the dtypes differ" : "stack needs equal shapes",
                     file, line);
      res = g->poison;
    } else {
      parts[i] = sj_reshape_at(xs[i], r + 1, dims, file, line);
    }
  }
  if (!res) res = sj_graph_set_label(sj_concatenate_at(parts, n, axis, file, line), "stack");
  sj_scratch_free(parts);
  return res;
}

/* ---- copy ---- */

/* A reshape to the same type: a new node with x's value (the pipeline
 * removes it; outputs are always fresh tensors). */
sj_var *sj_copy_at(sj_var *x, const char *file, int line) {
  if (!x || x->kind == VAR_POISON) return x;
  return sj_graph_set_label(sj_graph_op(SJ_OP_RESHAPE, 1, &x, &x->v->type, NULL, NULL, file, line), "copy");
}
