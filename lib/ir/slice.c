/* numpy's slice arithmetic (slice.h). */
#include "slice.h"

static int64_t adjust(int64_t i, int64_t n, int64_t step) {
  if (i < 0) {
    i += n; /* i >= INT64_MIN and n >= 0: no overflow */
    if (i < 0) i = step < 0 ? -1 : 0;
  } else if (i >= n) {
    i = step < 0 ? n - 1 : n;
  }
  return i;
}

void sj_slice_resolve(int64_t n, int64_t start, int64_t stop, int64_t step, int64_t *first, int64_t *len) {
  if (n < 0) n = 0; /* only hand-written IR (slice_len of a negative constant) gets here */
  int64_t a = adjust(start, n, step), b = adjust(stop, n, step);
  *first = a;
  /* a, b in [-1, n]: the differences fit; (d - 1) / step truncates toward
   * zero, so the negative-step count never negates step (INT64_MIN safe) */
  if (step > 0) *len = a < b ? (b - a - 1) / step + 1 : 0;
  else *len = b < a ? -((a - b - 1) / step) + 1 : 0;
}

void sj_slice_axis(const sj_op *op, int k, int64_t *start, int64_t *stop, int64_t *step) {
  *start = sj_op_attr(op, "start")->u.ints.v[k];
  *stop = sj_op_attr(op, "stop")->u.ints.v[k];
  *step = sj_op_attr(op, "step")->u.ints.v[k];
}

sj_type sj_slice_region(const sj_op *op, const sj_type *x) {
  sj_type r = *x;
  for (int k = 0; k < x->rank; k++) {
    int64_t start, stop, step, first;
    sj_slice_axis(op, k, &start, &stop, &step);
    if (x->dims[k] != SJ_DYN) sj_slice_resolve(x->dims[k], start, stop, step, &first, &r.dims[k]);
  }
  return r;
}

bool sj_slice_axis_is_full(const sj_op *op, int k) {
  int64_t start, stop, step;
  sj_slice_axis(op, k, &start, &stop, &step);
  if (step != 1 || start != 0) return false;
  int64_t n = sj_opnd(op, 0)->type.dims[k];
  return stop == SJ_SLICE_PAST_END || (n != SJ_DYN && stop >= n);
}
