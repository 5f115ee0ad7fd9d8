/* Overflow-checked size arithmetic, shared by every layer (header only).
 * Each returns false, leaving *out unspecified, when the exact result does not
 * fit; callers turn that into an error naming the shape or size involved. */
#ifndef SJ_SUPPORT_CHECKED_H
#define SJ_SUPPORT_CHECKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool sj_mul_size(size_t a, size_t b, size_t *out) { return !__builtin_mul_overflow(a, b, out); }
static inline bool sj_add_size(size_t a, size_t b, size_t *out) { return !__builtin_add_overflow(a, b, out); }
static inline bool sj_mul_i64(int64_t a, int64_t b, int64_t *out) { return !__builtin_mul_overflow(a, b, out); }

/* Product of n non-negative extents as an element count; false on a negative
 * extent or when the product exceeds INT64_MAX (so byte counts derived from it
 * can still be checked with sj_mul_size). */
static inline bool sj_numel_i64(const int64_t *dims, int n, int64_t *out) {
  int64_t p = 1;
  for (int i = 0; i < n; i++) {
    if (dims[i] < 0 || __builtin_mul_overflow(p, dims[i], &p)) return false;
  }
  *out = p;
  return true;
}

/* Bytes for `numel` elements of `elem` bytes each; false on overflow. */
static inline bool sj_bytes_for(int64_t numel, size_t elem, size_t *out) {
  return numel >= 0 && sj_mul_size((size_t)numel, elem, out);
}

/* The largest array, in bytes: the runtime rounds allocations up to 64 bytes
 * and addresses elements with ptrdiff_t offsets. */
#define SJ_MAX_ARRAY_BYTES ((size_t)PTRDIFF_MAX - 64)

/* Byte size of a dense row-major array of extents dims[0..n) and `elem`-byte
 * elements. It counts as numpy does: the product of the NON-ZERO extents
 * times elem must not exceed SJ_MAX_ARRAY_BYTES, whatever zeros there are.
 * So the answer does not depend on the order of the dims ((0, 2^62, 4) and
 * (2^62, 4, 0) are both refused), and every stride and loop trip count of an
 * empty array still fits in int64. False on a negative extent or too large;
 * otherwise *out is the real size (0 when some extent is 0). */
static inline bool sj_shape_bytes(const int64_t *dims, int n, size_t elem, size_t *out) {
  size_t nz = elem;
  bool empty = false;
  for (int i = 0; i < n; i++) {
    if (dims[i] < 0) return false;
    if (dims[i] == 0) empty = true;
    else if (!sj_mul_size(nz, (size_t)dims[i], &nz) || nz > SJ_MAX_ARRAY_BYTES) return false;
  }
  *out = empty ? 0 : nz;
  return true;
}

#endif
