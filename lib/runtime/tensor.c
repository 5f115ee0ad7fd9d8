/* Tensors: dtype, shape and contiguous row-major data, owned (64-byte
 * aligned, freed with the tensor) or borrowed (caller memory). */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"
#include "support/checked.h"

struct sj_tensor {
  sj_dtype dt;
  int rank;
  int64_t dims[SJ_TENSOR_MAX_RANK];
  void *data;
  bool owned;
};

sj_status sj_rt_err(char *err, size_t cap, sj_status st, const char *fmt, ...) {
  if (err && cap) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
  }
  return st;
}

size_t sj_dtype_size(sj_dtype dt) {
  static const size_t sizes[SJ_DTYPE_COUNT] = {2, 2, 4, 8, 1, 4, 8, 1};
  return (unsigned)dt < SJ_DTYPE_COUNT ? sizes[dt] : 0;
}

/* Formats dims as a numpy shape: (), (3,), (2, 3). */
static void shape_str(int rank, const int64_t *dims, char *buf, size_t cap) {
  size_t k = (size_t)snprintf(buf, cap, "(");
  for (int i = 0; i < rank && k < cap; i++)
    k += (size_t)snprintf(buf + k, cap - k, "%s%lld%s", i ? ", " : "", (long long)dims[i], rank == 1 ? "," : "");
  if (k < cap) snprintf(buf + k, cap - k, ")");
}

sj_status sj_tensor_check_shape(sj_dtype dt, int rank, const int64_t *dims, size_t *bytes, char *err,
                                size_t cap) {
  char sh[SJ_TENSOR_MAX_RANK * 24 + 8];
  if ((unsigned)dt >= SJ_DTYPE_COUNT) return sj_rt_err(err, cap, SJ_ERR_INVALID, "dtype %d is out of range", (int)dt);
  if (rank < 0 || rank > SJ_TENSOR_MAX_RANK)
    return sj_rt_err(err, cap, SJ_ERR_INVALID, "rank %d is out of range (0 to %d)", rank, SJ_TENSOR_MAX_RANK);
  if (rank && !dims) return sj_rt_err(err, cap, SJ_ERR_INVALID, "NULL dims for rank %d", rank);
  size_t n;
  if (!sj_shape_bytes(dims, rank, sj_dtype_size(dt), &n)) {
    shape_str(rank, dims, sh, sizeof sh);
    for (int i = 0; i < rank; i++)
      if (dims[i] < 0) return sj_rt_err(err, cap, SJ_ERR_INVALID, "shape %s has a negative dim", sh);
    return sj_rt_err(err, cap, SJ_ERR_NOMEM,
                  "shape %s of %zu-byte elements is too large: over 2^63 bytes (zero dims aside)", sh,
                  sj_dtype_size(dt));
  }
  if (bytes) *bytes = n;
  return SJ_OK;
}

/* The byte size, or SIZE_MAX for a shape that sj_tensor_check_shape refuses. */
static size_t checked_bytes(sj_dtype dt, int rank, const int64_t *dims) {
  size_t n;
  return sj_tensor_check_shape(dt, rank, dims, &n, NULL, 0) ? SIZE_MAX : n;
}

static sj_tensor *header(sj_dtype dt, int rank, const int64_t *dims) {
  sj_tensor *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->dt = dt;
  t->rank = rank;
  if (rank) memcpy(t->dims, dims, (size_t)rank * sizeof *dims);
  return t;
}

sj_tensor *sj_tensor_new(sj_dtype dt, int rank, const int64_t *dims) {
  size_t bytes = checked_bytes(dt, rank, dims);
  if (bytes == SIZE_MAX) return NULL;
  sj_tensor *t = header(dt, rank, dims);
  if (!t) return NULL;
  t->data = sj_rt_alloc(bytes, NULL, 0);
  if (!t->data) {
    free(t);
    return NULL;
  }
  t->owned = true;
  return t;
}

sj_tensor *sj_tensor_wrap(sj_dtype dt, int rank, const int64_t *dims, void *data) {
  size_t bytes = checked_bytes(dt, rank, dims);
  if (bytes == SIZE_MAX || (!data && bytes)) return NULL;
  sj_tensor *t = header(dt, rank, dims);
  if (t) t->data = data;
  return t;
}

sj_tensor *sj_tensor_from(sj_dtype dt, int rank, const int64_t *dims, const void *data) {
  sj_tensor *t = sj_tensor_new(dt, rank, dims);
  if (t && data) memcpy(t->data, data, sj_tensor_nbytes(t));
  return t;
}

void sj_tensor_free(sj_tensor *t) {
  if (!t) return;
  if (t->owned) free(t->data);
  free(t);
}

/* Accessors tolerate NULL (an absent tensor: no data, no elements) so that
 * printing and error paths need no special cases. */
sj_dtype sj_tensor_dtype(const sj_tensor *t) { return t ? t->dt : SJ_F32; }
int sj_tensor_rank(const sj_tensor *t) { return t ? t->rank : 0; }
const int64_t *sj_tensor_dims(const sj_tensor *t) { return t ? t->dims : NULL; }
void *sj_tensor_data(const sj_tensor *t) { return t ? t->data : NULL; }

int64_t sj_tensor_numel(const sj_tensor *t) {
  if (!t) return 0;
  int64_t n = 1;
  for (int i = 0; i < t->rank; i++) n *= t->dims[i];
  return n;
}

/* Cannot overflow: every constructor checked the shape. */
size_t sj_tensor_nbytes(const sj_tensor *t) { return (size_t)sj_tensor_numel(t) * sj_dtype_size(sj_tensor_dtype(t)); }

/* IEEE half and bfloat16 conversions, round to nearest even (lrint: the
 * default rounding mode). */
static float half_to_float(uint16_t h) {
  uint32_t s = (uint32_t)(h >> 15) << 31, e = (h >> 10) & 0x1f, m = h & 0x3ff, bits;
  if (e == 0) {
    float f = ldexpf((float)m, -24);
    return s ? -f : f;
  }
  if (e == 31) bits = s | 0x7f800000u | (m << 13);
  else bits = s | ((e + 112) << 23) | (m << 13);
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

/* From double directly: going through float first would round twice, and a
 * double just above a half-way point could land on it and round to even. */
static uint16_t double_to_half(double v) {
  uint16_t s = signbit(v) ? 0x8000 : 0;
  double a = fabs(v);
  if (isnan(v)) return s | 0x7e00;
  if (a >= 65520.0) return s | 0x7c00; /* 65520 is the tie between 65504 and 2^16 */
  if (a < 0x1p-14) return s | (uint16_t)lrint(a * 0x1p24); /* subnormal: m * 2^-24 (1024: smallest normal) */
  int e;
  double m = frexp(a, &e); /* a = m * 2^e, m in [0.5, 1) */
  uint32_t mant = (uint32_t)lrint((m * 2.0 - 1.0) * 1024.0); /* exact scaling, one rounding */
  int he = e - 1 + 15;
  if (mant == 1024) mant = 0, he++;
  if (he >= 31) return s | 0x7c00;
  return s | (uint16_t)(he << 10) | (uint16_t)mant;
}

static float bf16_to_float(uint16_t h) {
  uint32_t bits = (uint32_t)h << 16;
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

/* bf16 is float's top half. The double is first rounded to float; if that
 * landed exactly on a bf16 half-way point, the tie is not real, so nudge the
 * float one ulp toward v before the final round-to-nearest-even. */
static uint16_t double_to_bf16(double v) {
  float f = (float)v;
  uint32_t x;
  memcpy(&x, &f, 4);
  if (isnan(f)) return (uint16_t)((x >> 16) | 0x40); /* keep it a (quiet) NaN */
  if ((x & 0xffff) == 0x8000 && (double)f != v) x = fabs(v) > fabsf(f) ? x + 1 : x - 1;
  x += 0x7fff + ((x >> 16) & 1);
  return (uint16_t)(x >> 16);
}

static bool in_range(const sj_tensor *t, int64_t i) { return t && i >= 0 && i < sj_tensor_numel(t); }

/* Out-of-range reads give NaN, writes are ignored: these are for printing
 * and tests, where a bad index should show up, not corrupt memory. */
double sj_tensor_get(const sj_tensor *t, int64_t i) {
  if (!in_range(t, i)) return NAN;
  const void *p = t->data;
  switch (t->dt) {
  case SJ_F16: return half_to_float(((const uint16_t *)p)[i]);
  case SJ_BF16: return bf16_to_float(((const uint16_t *)p)[i]);
  case SJ_F32: return ((const float *)p)[i];
  case SJ_F64: return ((const double *)p)[i];
  case SJ_I8: return ((const int8_t *)p)[i];
  case SJ_I32: return ((const int32_t *)p)[i];
  case SJ_I64: return (double)((const int64_t *)p)[i];
  case SJ_BOOL: return ((const uint8_t *)p)[i] != 0;
  case SJ_DTYPE_COUNT: break;
  }
  return 0;
}

/* Integers: truncation toward zero, saturating at the type's range. */
static int64_t to_int(double v, double lo, double hi) {
  if (isnan(v)) return 0;
  v = trunc(v);
  return (int64_t)(v < lo ? lo : v > hi ? hi : v);
}

void sj_tensor_set(sj_tensor *t, int64_t i, double v) {
  if (!in_range(t, i)) return;
  void *p = t->data;
  switch (t->dt) {
  case SJ_F16: ((uint16_t *)p)[i] = double_to_half(v); break;
  case SJ_BF16: ((uint16_t *)p)[i] = double_to_bf16(v); break;
  case SJ_F32: ((float *)p)[i] = (float)v; break;
  case SJ_F64: ((double *)p)[i] = v; break;
  case SJ_I8: ((int8_t *)p)[i] = (int8_t)to_int(v, -128, 127); break;
  case SJ_I32: ((int32_t *)p)[i] = (int32_t)to_int(v, -2147483648.0, 2147483647.0); break;
  case SJ_I64: ((int64_t *)p)[i] = to_int(v, -9.2233720368547758e18, 9.2233720368547748e18); break;
  case SJ_BOOL: ((uint8_t *)p)[i] = v != 0; break;
  case SJ_DTYPE_COUNT: break;
  }
}

bool sj_rt_get_int(const sj_tensor *t, int64_t i, int64_t *v) {
  if (!in_range(t, i)) return false;
  const void *p = t->data;
  switch (t->dt) {
  case SJ_I8: *v = ((const int8_t *)p)[i]; return true;
  case SJ_I32: *v = ((const int32_t *)p)[i]; return true;
  case SJ_I64: *v = ((const int64_t *)p)[i]; return true;
  case SJ_BOOL: *v = ((const uint8_t *)p)[i] != 0; return true;
  default: return false;
  }
}

/* Saturating, as sj_tensor_set does for values in range of double. */
static int64_t clamp(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

bool sj_rt_set_int(sj_tensor *t, int64_t i, int64_t v) {
  if (!in_range(t, i)) return false;
  void *p = t->data;
  switch (t->dt) {
  case SJ_I8: ((int8_t *)p)[i] = (int8_t)clamp(v, INT8_MIN, INT8_MAX); return true;
  case SJ_I32: ((int32_t *)p)[i] = (int32_t)clamp(v, INT32_MIN, INT32_MAX); return true;
  case SJ_I64: ((int64_t *)p)[i] = v; return true;
  case SJ_BOOL: ((uint8_t *)p)[i] = v != 0; return true;
  default: sj_tensor_set(t, i, (double)v); return true; /* floats round anyway */
  }
}
