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
static inline bool sj_add_i64(int64_t a, int64_t b, int64_t *out) { return !__builtin_add_overflow(a, b, out); }

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

#endif
