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

/* ---- disjoint regions (passes/assemble-slices.c, lower-to-loops) ---- */

static int64_t gcd64(int64_t a, int64_t b) {
  while (b) {
    int64_t r = a % b;
    a = b, b = r;
  }
  return a;
}

/* The positions first + i * step (i < len) of a resolved axis: lowest and
 * highest. */
static void span(int64_t first, int64_t len, int64_t step, int64_t *lo, int64_t *hi) {
  int64_t last = first + (len - 1) * step; /* inside [-1, n]: no overflow */
  *lo = step > 0 ? first : last, *hi = step > 0 ? last : first;
}

/* Axis k of a static dim n: two arithmetic progressions share no position
 * when one is empty, their spans do not meet, or gcd(|s1|, |s2|) does not
 * divide the distance of their starts (x[0::2] and x[1::2]). */
static bool static_axis_disjoint(const sj_op *a, const sj_op *b, int k, int64_t n) {
  int64_t s1, e1, st1, s2, e2, st2, f1, l1, f2, l2, lo1, hi1, lo2, hi2;
  sj_slice_axis(a, k, &s1, &e1, &st1);
  sj_slice_axis(b, k, &s2, &e2, &st2);
  sj_slice_resolve(n, s1, e1, st1, &f1, &l1);
  sj_slice_resolve(n, s2, e2, st2, &f2, &l2);
  if (!l1 || !l2) return true;
  span(f1, l1, st1, &lo1, &hi1);
  span(f2, l2, st2, &lo2, &hi2);
  if (hi1 < lo2 || hi2 < lo1) return true;
  int64_t g = gcd64(st1 < 0 ? -st1 : st1, st2 < 0 ? -st2 : st2); /* steps are never INT64_MIN */
  return (f2 - f1) % g != 0;
}

bool sj_slice_regions_disjoint(const sj_op *a, const sj_op *b, const sj_type *x) {
  for (int k = 0; k < x->rank; k++)
    if (x->dims[k] != SJ_DYN && static_axis_disjoint(a, b, k, x->dims[k])) return true;
  return false;
}
