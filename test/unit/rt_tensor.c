/* Tensors: creation (owning, borrowing, copying), bad arguments and size
 * overflow, alignment, NULL-tolerant accessors, get/set for every dtype, and
 * the f16/bf16 conversions (exhaustive round trips, round-to-nearest-even,
 * overflow, subnormals, NaN). */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"
#include "symjit/tensor.h"

#include "check.h"

static void test_create(void) {
  int64_t d[3] = {2, 3, 4};
  sj_tensor *t = sj_tensor_new(SJ_F32, 3, d);
  CHECK(t && sj_tensor_rank(t) == 3 && sj_tensor_numel(t) == 24 && sj_tensor_nbytes(t) == 96);
  CHECK(sj_tensor_dtype(t) == SJ_F32 && sj_tensor_dims(t)[2] == 4);
  CHECK((uintptr_t)sj_tensor_data(t) % 64 == 0);
  const float *f = sj_tensor_data(t);
  bool zero = true;
  for (int i = 0; i < 24; i++) zero = zero && f[i] == 0;
  CHECK(zero);
  d[0] = 99; /* the tensor keeps its own copy of dims */
  CHECK(sj_tensor_dims(t)[0] == 2);
  sj_tensor_free(t);

  sj_tensor *s = sj_tensor_new(SJ_F64, 0, NULL); /* rank 0: one element */
  CHECK(s && sj_tensor_numel(s) == 1 && sj_tensor_nbytes(s) == 8 && sj_tensor_data(s));
  sj_tensor_free(s);
  int64_t z[2] = {0, 5};
  sj_tensor *e = sj_tensor_new(SJ_I8, 2, z);
  CHECK(e && sj_tensor_numel(e) == 0 && sj_tensor_nbytes(e) == 0 && sj_tensor_data(e));
  sj_tensor_free(e);
}

static void test_bad_args(void) {
  int64_t d9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, neg[2] = {2, -1};
  int64_t huge[2] = {INT64_MAX / 2, 4}, big[4] = {1 << 20, 1 << 20, 1 << 20, 1 << 20};
  CHECK(!sj_tensor_new(SJ_F32, 9, d9));
  sj_tensor *r8 = sj_tensor_new(SJ_F32, 8, d9); /* rank 8 is allowed */
  CHECK(r8 && sj_tensor_numel(r8) == 1);
  sj_tensor_free(r8);
  CHECK(!sj_tensor_new(SJ_F32, -1, d9));
  CHECK(!sj_tensor_new(SJ_F32, 2, neg));
  CHECK(!sj_tensor_new(SJ_F32, 2, NULL));
  CHECK(!sj_tensor_new(SJ_DTYPE_COUNT, 1, d9));
  CHECK(!sj_tensor_new(SJ_F64, 2, huge)); /* numel * 8 overflows */
  CHECK(!sj_tensor_new(SJ_I8, 4, big));   /* 2^80 bytes */
  float x[4] = {0};
  CHECK(!sj_tensor_wrap(SJ_F32, 1, (int64_t[]){4}, NULL)); /* data needed */
  CHECK(!sj_tensor_wrap(SJ_F32, 2, neg, x));
  sj_tensor *w0 = sj_tensor_wrap(SJ_F32, 1, (int64_t[]){0}, NULL); /* empty: no data needed */
  CHECK(w0 && sj_tensor_numel(w0) == 0);
  sj_tensor_free(w0);
  sj_tensor_free(NULL);
}

/* The size rule (numpy's): the product of the non-zero dims times the
 * element size must fit, whatever the zeros and their position; messages
 * name the shape. */
static void check_shape_err(sj_dtype dt, int rank, const int64_t *dims, sj_status want, const char *needle) {
  char err[160] = "";
  size_t bytes = 12345;
  sj_status st = sj_tensor_check_shape(dt, rank, dims, &bytes, err, sizeof err);
  if (st != want || !strstr(err, needle) || bytes != 12345) {
    fprintf(stderr, "check_shape: status %d, want %d, message '%s' lacks '%s'\n", (int)st, (int)want, err, needle);
    failures++;
  }
  CHECK(!sj_tensor_new(dt, rank, dims));
}

static void test_shape_sizes(void) {
  const int64_t M = INT64_MAX;
  size_t b = 1;
  CHECK(sj_tensor_check_shape(SJ_F32, 2, (int64_t[]){2, 3}, &b, NULL, 0) == SJ_OK && b == 24);
  CHECK(sj_tensor_check_shape(SJ_F32, 0, NULL, &b, NULL, 0) == SJ_OK && b == 4);
  CHECK(sj_tensor_check_shape(SJ_F32, 2, (int64_t[]){0, 1000}, &b, NULL, 0) == SJ_OK && b == 0);
  /* an empty shape whose other dims fit: fine in any order, i8 up to the limit */
  CHECK(sj_tensor_check_shape(SJ_I8, 3, (int64_t[]){0, 1LL << 31, 1LL << 31}, &b, NULL, 0) == SJ_OK && b == 0);
  CHECK(sj_tensor_check_shape(SJ_I8, 3, (int64_t[]){1LL << 31, 1LL << 31, 0}, &b, NULL, 0) == SJ_OK && b == 0);
  CHECK(sj_tensor_check_shape(SJ_I8, 1, (int64_t[]){PTRDIFF_MAX - 64}, &b, NULL, 0) == SJ_OK);
  /* (0, 2^63-1) as numpy refuses it, in either order, for every dtype */
  check_shape_err(SJ_F32, 2, (int64_t[]){0, M}, SJ_ERR_NOMEM, "shape (0, 9223372036854775807) of 4-byte elements is too large");
  check_shape_err(SJ_F32, 2, (int64_t[]){M, 0}, SJ_ERR_NOMEM, "shape (9223372036854775807, 0)");
  check_shape_err(SJ_I8, 2, (int64_t[]){0, M}, SJ_ERR_NOMEM, "too large");
  check_shape_err(SJ_I8, 1, (int64_t[]){PTRDIFF_MAX - 63}, SJ_ERR_NOMEM, "shape (9223372036854775744,)");
  /* element count overflows int64, byte count overflows size_t, both only in the product */
  check_shape_err(SJ_I8, 2, (int64_t[]){1LL << 32, 1LL << 32}, SJ_ERR_NOMEM, "(4294967296, 4294967296)");
  check_shape_err(SJ_F64, 2, (int64_t[]){1LL << 31, 1LL << 31}, SJ_ERR_NOMEM, "of 8-byte elements is too large");
  check_shape_err(SJ_F32, 8, (int64_t[]){256, 256, 256, 256, 256, 256, 256, 256}, SJ_ERR_NOMEM, "too large");
  check_shape_err(SJ_F32, 2, (int64_t[]){3, -2}, SJ_ERR_INVALID, "shape (3, -2) has a negative dim");
  check_shape_err(SJ_F32, 9, (int64_t[]){1, 1, 1, 1, 1, 1, 1, 1, 1}, SJ_ERR_INVALID, "rank 9 is out of range");
  check_shape_err(SJ_DTYPE_COUNT, 1, (int64_t[]){1}, SJ_ERR_INVALID, "dtype 8");
  check_shape_err(SJ_F32, 1, NULL, SJ_ERR_INVALID, "NULL dims");
  /* a short buffer is truncated, a NULL one ignored */
  char small[6];
  CHECK(sj_tensor_check_shape(SJ_F32, 2, (int64_t[]){0, M}, NULL, small, sizeof small) && strlen(small) == 5);
  CHECK(sj_tensor_check_shape(SJ_F32, 2, (int64_t[]){0, M}, NULL, NULL, 99) == SJ_ERR_NOMEM);
  /* wrap obeys the same rule */
  CHECK(!sj_tensor_wrap(SJ_F32, 2, (int64_t[]){0, M}, NULL));
  sj_tensor *w = sj_tensor_wrap(SJ_F32, 2, (int64_t[]){0, 1LL << 40}, NULL);
  CHECK(w && sj_tensor_numel(w) == 0 && sj_tensor_nbytes(w) == 0);
  sj_tensor_free(w);
}

/* A shape that fits the size rule but not the machine is refused before
 * malloc (an ASan build would abort on the request), with a message. */
static void test_memory_limit(void) {
  size_t lim = sj_rt_memory_limit();
  CHECK(lim > (1u << 20) && lim <= PTRDIFF_MAX - 64);
  char err[160] = "";
  CHECK(!sj_rt_alloc(lim + 1, err, sizeof err) && strstr(err, "more than this machine's memory"));
  CHECK(!sj_tensor_new(SJ_I8, 1, (int64_t[]){(int64_t)lim + 1}));
  CHECK(!sj_tensor_new(SJ_F64, 2, (int64_t[]){1LL << 29, 1LL << 30})); /* 2^62 bytes fit the rule, not RAM */
  void *p = sj_rt_alloc(0, err, sizeof err);
  CHECK(p && (uintptr_t)p % 64 == 0);
  free(p);
}

/* Integers exactly, beyond 2^53 where double rounds. */
static void test_exact_ints(void) {
  sj_tensor *t = sj_tensor_new(SJ_I64, 1, (int64_t[]){4});
  const int64_t vals[4] = {INT64_MIN, INT64_MAX, INT64_MAX - 1, (INT64_C(1) << 53) + 1};
  int64_t v = 0;
  for (int i = 0; i < 4; i++) CHECK(sj_rt_set_int(t, i, vals[i]));
  for (int i = 0; i < 4; i++) CHECK(sj_rt_get_int(t, i, &v) && v == vals[i]);
  CHECK((int64_t)sj_tensor_get(t, 3) != vals[3]); /* through double, 2^53+1 rounds */
  CHECK(!sj_rt_get_int(t, 4, &v) && !sj_rt_get_int(t, -1, &v) && !sj_rt_set_int(t, 4, 1));
  CHECK(!sj_rt_get_int(NULL, 0, &v) && !sj_rt_set_int(NULL, 0, 1));
  sj_tensor_free(t);
  sj_tensor *s8 = sj_tensor_new(SJ_I8, 1, (int64_t[]){2}), *s32 = sj_tensor_new(SJ_I32, 1, (int64_t[]){2});
  sj_tensor *b = sj_tensor_new(SJ_BOOL, 1, (int64_t[]){1}), *f = sj_tensor_new(SJ_F32, 1, (int64_t[]){1});
  sj_rt_set_int(s8, 0, INT64_MAX), sj_rt_set_int(s8, 1, -1000); /* saturate as sj_tensor_set does */
  CHECK(sj_rt_get_int(s8, 0, &v) && v == 127 && sj_rt_get_int(s8, 1, &v) && v == -128);
  sj_rt_set_int(s32, 0, INT64_MIN), sj_rt_set_int(s32, 1, 123456789);
  CHECK(sj_rt_get_int(s32, 0, &v) && v == INT32_MIN && sj_rt_get_int(s32, 1, &v) && v == 123456789);
  sj_rt_set_int(b, 0, -7);
  CHECK(sj_rt_get_int(b, 0, &v) && v == 1);
  v = 42;
  CHECK(sj_rt_set_int(f, 0, 16777217) && sj_tensor_get(f, 0) == 16777216 && !sj_rt_get_int(f, 0, &v) && v == 42);
  sj_tensor_free(s8), sj_tensor_free(s32), sj_tensor_free(b), sj_tensor_free(f);
}

static void test_null_accessors(void) {
  CHECK(sj_tensor_rank(NULL) == 0 && sj_tensor_numel(NULL) == 0 && sj_tensor_nbytes(NULL) == 0);
  CHECK(sj_tensor_data(NULL) == NULL && sj_tensor_dims(NULL) == NULL);
  CHECK(isnan(sj_tensor_get(NULL, 0)));
  sj_tensor_set(NULL, 0, 1.0); /* ignored */
}

static void test_wrap_from(void) {
  float x[6] = {1, 2, 3, 4, 5, 6};
  int64_t d[2] = {2, 3};
  sj_tensor *w = sj_tensor_wrap(SJ_F32, 2, d, x);
  CHECK(w && sj_tensor_data(w) == x);
  sj_tensor_set(w, 5, -1); /* writes through to caller memory */
  CHECK(x[5] == -1);
  sj_tensor *c = sj_tensor_from(SJ_F32, 2, d, x);
  CHECK(c && sj_tensor_data(c) != x && (uintptr_t)sj_tensor_data(c) % 64 == 0);
  CHECK(c && !memcmp(sj_tensor_data(c), x, sizeof x));
  x[0] = 100; /* the copy is independent */
  CHECK(sj_tensor_get(c, 0) == 1);
  CHECK(isnan(sj_tensor_get(c, 6)) && isnan(sj_tensor_get(c, -1)));
  sj_tensor_set(c, 6, 9); /* out of range: ignored (ASan would catch a write) */
  sj_tensor_free(w); /* must not free x */
  sj_tensor_free(c);
  CHECK(x[1] == 2);
}

static void test_dtypes(void) {
  static const size_t sizes[] = {2, 2, 4, 8, 1, 4, 8, 1};
  for (int dt = 0; dt < SJ_DTYPE_COUNT; dt++) CHECK(sj_dtype_size((sj_dtype)dt) == sizes[dt]);
  CHECK(sj_dtype_size(SJ_DTYPE_COUNT) == 0);
  int64_t d[1] = {4};
  for (int dt = 0; dt < SJ_DTYPE_COUNT; dt++) {
    sj_tensor *t = sj_tensor_new((sj_dtype)dt, 1, d);
    sj_tensor_set(t, 0, 3.0);
    sj_tensor_set(t, 1, -2.0);
    sj_tensor_set(t, 3, 1.0);
    double want0 = dt == SJ_BOOL ? 1 : 3, want1 = dt == SJ_BOOL ? 1 : -2;
    CHECK(sj_tensor_get(t, 0) == want0 && sj_tensor_get(t, 1) == want1);
    CHECK(sj_tensor_get(t, 2) == 0 && sj_tensor_get(t, 3) == 1);
    sj_tensor_free(t);
  }
  sj_tensor *i = sj_tensor_new(SJ_I8, 1, d);
  sj_tensor_set(i, 0, 2.9);   /* toward zero */
  sj_tensor_set(i, 1, -2.9);
  sj_tensor_set(i, 2, 1000);  /* saturates */
  sj_tensor_set(i, 3, NAN);   /* NaN -> 0, not UB */
  CHECK(sj_tensor_get(i, 0) == 2 && sj_tensor_get(i, 1) == -2);
  CHECK(sj_tensor_get(i, 2) == 127 && sj_tensor_get(i, 3) == 0);
  sj_tensor_free(i);
  sj_tensor *l = sj_tensor_new(SJ_I64, 1, d);
  sj_tensor_set(l, 0, 1e300);
  sj_tensor_set(l, 1, -1e300);
  sj_tensor_set(l, 2, 9007199254740993.0); /* 2^53 + 1 is not a double: 2^53 */
  CHECK(((int64_t *)sj_tensor_data(l))[0] > INT64_MAX - 2048);
  CHECK(((int64_t *)sj_tensor_data(l))[1] == INT64_MIN);
  CHECK(((int64_t *)sj_tensor_data(l))[2] == 9007199254740992);
  sj_tensor_free(l);
}

/* Bits of element 0 after storing v in a 16-bit float tensor. */
static uint16_t bits16(sj_dtype dt, double v) {
  uint16_t h = 0;
  sj_tensor *t = sj_tensor_wrap(dt, 0, NULL, &h);
  sj_tensor_set(t, 0, v);
  sj_tensor_free(t);
  return h;
}

static double value16(sj_dtype dt, uint16_t h) {
  sj_tensor *t = sj_tensor_wrap(dt, 0, NULL, &h);
  double v = sj_tensor_get(t, 0);
  sj_tensor_free(t);
  return v;
}

/* Every non-NaN half and bfloat16 survives float and back unchanged. */
static void test_16bit_roundtrip(void) {
  int bad_h = 0, bad_b = 0;
  for (uint32_t u = 0; u < 65536; u++) {
    uint16_t h = (uint16_t)u;
    bool h_nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff), b_nan = (h & 0x7f80) == 0x7f80 && (h & 0x7f);
    if (h_nan ? !isnan(value16(SJ_F16, h)) : bits16(SJ_F16, value16(SJ_F16, h)) != h) bad_h++;
    if (b_nan ? !isnan(value16(SJ_BF16, h)) : bits16(SJ_BF16, value16(SJ_BF16, h)) != h) bad_b++;
  }
  CHECK(bad_h == 0);
  CHECK(bad_b == 0);
}

static void test_half_rounding(void) {
  CHECK(value16(SJ_F16, 0x3c00) == 1.0 && value16(SJ_F16, 0xc000) == -2.0);
  CHECK(value16(SJ_F16, 0x7bff) == 65504.0 && value16(SJ_F16, 0x0001) == ldexp(1, -24));
  CHECK(isinf(value16(SJ_F16, 0x7c00)) && value16(SJ_F16, 0xfc00) < 0);
  CHECK(bits16(SJ_F16, 1.0 + ldexp(1, -11)) == 0x3c00);     /* tie -> even (down) */
  CHECK(bits16(SJ_F16, 1.0 + 3 * ldexp(1, -11)) == 0x3c02); /* tie -> even (up) */
  CHECK(bits16(SJ_F16, 1.0 + ldexp(1.01, -11)) == 0x3c01);  /* above tie */
  CHECK(bits16(SJ_F16, 1.0 + ldexp(1, -11) + ldexp(1, -40)) == 0x3c01); /* no double rounding via float */
  CHECK(bits16(SJ_F16, 2047.5) == 0x6800);             /* mantissa carry into exponent */
  CHECK(bits16(SJ_F16, 65519.0) == 0x7bff && bits16(SJ_F16, 65520.0) == 0x7c00); /* overflow at the tie */
  CHECK(bits16(SJ_F16, -1e10) == 0xfc00 && bits16(SJ_F16, INFINITY) == 0x7c00);
  CHECK(bits16(SJ_F16, ldexp(1, -25)) == 0x0000);     /* tie to even zero */
  CHECK(bits16(SJ_F16, ldexp(3, -26)) == 0x0001);     /* 0.75 ulp -> 1 ulp */
  CHECK(bits16(SJ_F16, ldexp(1023.5, -24)) == 0x0400); /* subnormal rounds up to the smallest normal */
  CHECK(bits16(SJ_F16, -0.0) == 0x8000 && bits16(SJ_F16, 1e-30) == 0);
  CHECK((bits16(SJ_F16, NAN) & 0x7c00) == 0x7c00 && (bits16(SJ_F16, NAN) & 0x3ff));
}

static void test_bf16_rounding(void) {
  CHECK(value16(SJ_BF16, 0x3f80) == 1.0 && value16(SJ_BF16, 0xc040) == -3.0);
  CHECK(bits16(SJ_BF16, 1.0 + ldexp(1, -8)) == 0x3f80);     /* tie -> even (down) */
  CHECK(bits16(SJ_BF16, 1.0 + 3 * ldexp(1, -8)) == 0x3f82); /* tie -> even (up) */
  CHECK(bits16(SJ_BF16, 1.0 + ldexp(1.01, -8)) == 0x3f81);
  CHECK(bits16(SJ_BF16, 1.0 + ldexp(1, -8) + ldexp(1, -40)) == 0x3f81);  /* no double rounding via float */
  CHECK(bits16(SJ_BF16, 1.0 + ldexp(1, -8) - ldexp(1, -40)) == 0x3f80);
  CHECK(bits16(SJ_BF16, 3.4028234663852886e38) == 0x7f80); /* FLT_MAX rounds to inf */
  CHECK(bits16(SJ_BF16, -INFINITY) == 0xff80);
  uint16_t n = bits16(SJ_BF16, NAN); /* stays NaN: rounding must not carry into inf */
  CHECK((n & 0x7f80) == 0x7f80 && (n & 0x7f));
  CHECK(bits16(SJ_BF16, ldexp(1, -133)) == 0x0001); /* bf16 subnormal */
}

int main(void) {
  test_exact_ints();
  test_shape_sizes();
  test_memory_limit();
  test_create();
  test_bad_args();
  test_null_accessors();
  test_wrap_from();
  test_dtypes();
  test_16bit_roundtrip();
  test_half_rounding();
  test_bf16_rounding();
  if (failures) fprintf(stderr, "rt_tensor: %d check(s) failed\n", failures);
  else printf("rt_tensor: all checks passed\n");
  return failures != 0;
}
