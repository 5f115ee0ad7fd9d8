/* numpy's slice arithmetic, shared by everything that must agree on it:
 * type inference (static dims), the reference evaluator, lower-to-loops
 * and the executor's `slice_len` step (dynamic dims). docs/decisions/0010. */
#ifndef SJ_SLICE_H
#define SJ_SLICE_H
#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

/* Bounds an omitted start/stop stands for (numpy's None): past either end
 * of any axis, so clamping turns them into "from the first / to the last
 * element" in the step's direction. The graph API writes these for a
 * dynamic dim (a static dim gets concrete bounds). */
#define SJ_SLICE_PAST_END INT64_MAX
#define SJ_SLICE_BEFORE_START (-INT64_MAX)

/* PySlice_AdjustIndices for an axis of n >= 0 elements (a negative n counts
 * as 0): a negative start or
 * stop counts from the end once, then both are clamped into the axis (into
 * [-1, n-1] for a negative step); step != 0 and != INT64_MIN (the verifier
 * refuses both). *first is the first index taken, *len how many (0: empty;
 * *first is then meaningless). Never overflows. */
void sj_slice_resolve(int64_t n, int64_t start, int64_t stop, int64_t step, int64_t *first, int64_t *len);

/* Axis k's start/stop/step of a slice/slice_update op (verified attrs). */
void sj_slice_axis(const sj_op *op, int k, int64_t *start, int64_t *stop, int64_t *step);

/* The type of the region a verified slice/slice_update op addresses in a
 * value of type x: x's, with each static dim replaced by its slice length (a
 * dynamic dim stays dynamic; it resolves on the call's size). */
sj_type sj_slice_region(const sj_op *op, const sj_type *x);

/* True when axis k of the op takes the whole axis in order (start resolves
 * to 0, stop to n, step 1 for every n): that axis is not sliced at all. */
bool sj_slice_axis_is_full(const sj_op *op, int k);

/* True when the regions two verified slice/slice_update ops address in a
 * value of type x provably share no element: they are apart on one static
 * axis (one of them empty, spans that do not meet, or strides that never
 * land on the same index). False means "not proven", never "they
 * overlap"; dynamic axes prove nothing (its callers only see the static
 * types of constants). */
bool sj_slice_regions_disjoint(const sj_op *a, const sj_op *b, const sj_type *x);
#endif
