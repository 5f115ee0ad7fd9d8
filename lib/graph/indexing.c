/* Graph builders for basic slicing and updates: sj_slice, sj_index,
 * sj_set_subtensor / sj_inc_subtensor (slice_update) and sj_index_set /
 * sj_index_inc (index_update), plus the helpers their gradient rules build
 * with (indexing.h). Argument errors name the call site; shapes and dtypes
 * are checked by the ops' own inference (lib/ir/opdefs.c). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "indexing.h"
#include "slice.h"

/* start/stop/step of every axis of a slice op, and the update mode. */
typedef struct slice_attrs {
  int64_t start[SJ_MAX_RANK], stop[SJ_MAX_RANK], step[SJ_MAX_RANK];
  int rank;
  const char *mode; /* NULL for a slice */
} slice_attrs;

static void set_slice_attrs(sj_ctx *c, sj_op *op, const void *arg) {
  const slice_attrs *a = arg;
  sj_op_set_ints(c, op, "start", a->rank, a->start);
  sj_op_set_ints(c, op, "stop", a->rank, a->stop);
  sj_op_set_ints(c, op, "step", a->rank, a->step);
  if (a->mode) sj_op_set_attr(c, op, (sj_attr){.name = "mode", .kind = SJ_ATTR_STR, .u.s = sj_intern(c, a->mode)});
}

static bool is_poison(const sj_var *x) { return !x || x->kind == VAR_POISON; }

static sj_var *fail(sj_var *x, const char *file, int line, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static sj_var *fail(sj_var *x, const char *file, int line, const char *what, const char *fmt, ...) {
  char t[SJ_TYPE_STR_CAP], msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  sj_type_str(&x->v->type, t, sizeof t);
  if (x->name) sj_graph_fail(x->c, file, line, "%s: %s (operand '%s' %s)", what, msg, x->name, t);
  else sj_graph_fail(x->c, file, line, "%s: %s (operand %s)", what, msg, t);
  return sj_graph_of(x->c)->poison;
}

/* One axis in canonical form. A static dim gets its resolved bounds (start =
 * the first index, stop one step past the last, or the "before the start"
 * bound when that is below 0), so the IR reads as the slice it is; a
 * dynamic dim keeps the user's bounds, an omitted one becoming the bound
 * past the end in the step's direction (slice.h). */
static void canonical_axis(int64_t n, sj_slice_spec s, int64_t *start, int64_t *stop) {
  bool back = s.step < 0;
  int64_t a = s.start != SJ_OMIT ? s.start : back ? SJ_SLICE_PAST_END : 0;
  int64_t b = s.stop != SJ_OMIT ? s.stop : back ? SJ_SLICE_BEFORE_START : SJ_SLICE_PAST_END;
  if (n == SJ_DYN) {
    *start = a, *stop = b;
    return;
  }
  int64_t first, len;
  sj_slice_resolve(n, a, b, s.step, &first, &len);
  if (len == 0) {
    *start = *stop = 0;
    return;
  }
  *start = first;
  *stop = first + len * s.step; /* within [-1, n] + one step: no overflow past n + |step| */
  if (back && *stop < 0) *stop = SJ_SLICE_BEFORE_START;
}

/* Checks the user's spec against x and fills a. False: the error is recorded. */
static bool slice_spec(sj_var *x, int naxes, const sj_slice_spec *spec, const char *what, const char *file, int line,
                       slice_attrs *a) {
  const sj_type *t = &x->v->type;
  if (t->rank < 1) return fail(x, file, line, what, "cannot slice a rank-%d tensor", t->rank), false;
  if (naxes < 0 || naxes > t->rank || (naxes > 0 && !spec))
    return fail(x, file, line, what, "%d axes given for rank %d%s", naxes, t->rank, naxes > 0 && !spec ? " but spec is NULL" : ""),
           false;
  a->rank = t->rank;
  for (int k = 0; k < t->rank; k++) {
    sj_slice_spec s = k < naxes ? spec[k] : SJ_ALL;
    if (s.step == 0 || s.step == INT64_MIN)
      return fail(x, file, line, what, "step of axis %d is %lld; it must be non-zero", k, (long long)s.step), false;
    a->step[k] = s.step;
    canonical_axis(t->dims[k], s, &a->start[k], &a->stop[k]);
  }
  return true;
}

sj_var *sj_slice_at(sj_var *x, int naxes, const sj_slice_spec *spec, const char *file, int line) {
  slice_attrs a = {.mode = NULL};
  if (is_poison(x)) return x;
  if (!slice_spec(x, naxes, spec, "slice", file, line, &a)) return sj_graph_of(x->c)->poison;
  return sj_graph_op(SJ_OP_SLICE, 1, &x, NULL, set_slice_attrs, &a, file, line);
}

static sj_var *update(sj_var *x, int naxes, const sj_slice_spec *spec, sj_var *y, const char *mode, const char *file,
                      int line) {
  slice_attrs a = {.mode = mode};
  sj_var *args[2] = {x, y};
  if (!is_poison(x) && !is_poison(y) && !slice_spec(x, naxes, spec, mode[0] == 's' ? "set_subtensor" : "inc_subtensor", file, line, &a))
    return sj_graph_of(x->c)->poison;
  return sj_graph_op(SJ_OP_SLICE_UPDATE, 2, args, NULL, set_slice_attrs, &a, file, line);
}

sj_var *sj_set_subtensor_at(sj_var *x, int naxes, const sj_slice_spec *spec, sj_var *y, const char *file, int line) {
  return update(x, naxes, spec, y, "set", file, line);
}

sj_var *sj_inc_subtensor_at(sj_var *x, int naxes, const sj_slice_spec *spec, sj_var *y, const char *file, int line) {
  return update(x, naxes, spec, y, "add", file, line);
}

/* x[i] on one axis is a take by a rank-0 index: it drops the axis for any
 * mix of static and dynamic dims (a slice + reshape could not drop it next
 * to two dynamic dims), and its gradient is the scatter_add of take. */
sj_var *sj_index_at(sj_var *x, int axis, int64_t i, const char *file, int line) {
  if (is_poison(x)) return x;
  const sj_type *t = &x->v->type;
  if (t->rank < 1) return fail(x, file, line, "index", "cannot index a rank-%d tensor", t->rank);
  if (axis < -t->rank || axis >= t->rank) return fail(x, file, line, "index", "axis %d is out of range for rank %d", axis, t->rank);
  int k = axis < 0 ? axis + t->rank : axis;
  int64_t n = t->dims[k];
  if (n != SJ_DYN && (i < -n || i >= n))
    return fail(x, file, line, "index", "index %lld is out of range for an axis of size %lld", (long long)i, (long long)n);
  if (n != SJ_DYN && i < 0) i += n;
  sj_var *idx = sj_graph_const(x->c, (double)i, sj_tensor_type(SJ_I64, 0, NULL), file, line);
  return sj_take_at(x, idx, k, file, line);
}

typedef struct axis_mode {
  int axis;
  const char *mode;
} axis_mode;

static void set_axis_mode(sj_ctx *c, sj_op *op, const void *arg) {
  const axis_mode *a = arg;
  sj_op_set_int(c, op, "axis", a->axis);
  sj_op_set_attr(c, op, (sj_attr){.name = "mode", .kind = SJ_ATTR_STR, .u.s = sj_intern(c, a->mode)});
}

sj_var *sj_graph_index_update(sj_var *x, sj_var *idx, sj_var *y, int axis, const char *mode, const char *file, int line) {
  sj_var *args[3] = {x, idx, y};
  axis_mode a = {axis, mode};
  return sj_graph_op(SJ_OP_INDEX_UPDATE, 3, args, NULL, set_axis_mode, &a, file, line);
}

sj_var *sj_index_set_at(sj_var *x, sj_var *idx, int axis, sj_var *y, const char *file, int line) {
  return sj_graph_index_update(x, idx, y, axis, "set", file, line);
}

sj_var *sj_index_inc_at(sj_var *x, sj_var *idx, int axis, sj_var *y, const char *file, int line) {
  return sj_graph_index_update(x, idx, y, axis, "add", file, line);
}

/* ---- for the gradient rules ---- */

static void copy_slice_attrs(const sj_op *like, slice_attrs *a) {
  const sj_attr *st = sj_op_attr(like, "start"), *sp = sj_op_attr(like, "stop"), *se = sj_op_attr(like, "step");
  a->rank = st->u.ints.n;
  memcpy(a->start, st->u.ints.v, (size_t)a->rank * sizeof *a->start);
  memcpy(a->stop, sp->u.ints.v, (size_t)a->rank * sizeof *a->stop);
  memcpy(a->step, se->u.ints.v, (size_t)a->rank * sizeof *a->step);
}

sj_var *sj_graph_slice_as(const sj_op *like, sj_var *x, const char *file, int line) {
  slice_attrs a = {.mode = NULL};
  copy_slice_attrs(like, &a);
  return sj_graph_op(SJ_OP_SLICE, 1, &x, NULL, set_slice_attrs, &a, file, line);
}

sj_var *sj_graph_slice_update_as(const sj_op *like, sj_var *x, sj_var *y, const char *mode, const char *file, int line) {
  slice_attrs a = {.mode = mode};
  sj_var *args[2] = {x, y};
  copy_slice_attrs(like, &a);
  return sj_graph_op(SJ_OP_SLICE_UPDATE, 2, args, NULL, set_slice_attrs, &a, file, line);
}

/* Largest index array whose positions become a dense constant (a
 * gradient of a "set" with repeated indices: 2^24 positions is 128 MiB of
 * attribute; past it the rule refuses instead of building it). */
#define WINNERS_MAX_POSITIONS ((int64_t)1 << 24)

/* The winner of each row is the last index position naming it: write every
 * position's number with "set" (the last one stays), read it back through
 * the same indices, compare with the position. */
sj_var *sj_graph_index_set_winners(sj_var *x, sj_var *idx, int axis, const char *file, int line) {
  const sj_type *it = &idx->v->type, *xt = &x->v->type;
  int64_t n = sj_type_numel(it);
  if (n < 0 || n > WINNERS_MAX_POSITIONS) {
    char t[SJ_TYPE_STR_CAP];
    sj_graph_fail(x->c, file, line,
                  "grad: index_set with indices %s: the gradient w.r.t. the values needs indices of a static shape "
                  "with at most 2^24 elements (which of repeated indices wins is decided per position)",
                  sj_type_str(it, t, sizeof t));
    return sj_graph_of(x->c)->poison;
  }
  int k = axis < 0 ? axis + xt->rank : axis;
  /* positions shaped idx.shape + [1] * (rank - k - 1): broadcast over the
   * take's leading (x's axes before k) and trailing axes */
  int64_t dims[SJ_MAX_RANK];
  int r = 0;
  for (int i = 0; i < it->rank; i++) dims[r++] = it->dims[i];
  for (int i = k + 1; i < xt->rank; i++) dims[r++] = 1;
  sj_var *pos = sj_graph_iota(x->c, n, SJ_I64, file, line);
  pos = sj_reshape_at(pos, r, dims, file, line);
  sj_var *none = sj_graph_broadcast_like(sj_graph_const(x->c, -1, sj_tensor_type(SJ_I64, 0, NULL), file, line), x, file, line);
  sj_var *owner = sj_graph_index_update(none, idx, pos, axis, "set", file, line);
  return sj_eq_at(sj_take_at(owner, idx, axis, file, line), pos, file, line);
}
