/* .npy load/save: files written by numpy 1.24 (test/unit/Inputs, format
 * 1.0 and 2.0, every supported dtype, rank 0..3, an empty array), byte
 * identity of our output with numpy's, round trips of every savable dtype,
 * and the error paths (Fortran order, unsupported dtypes, bad magic,
 * truncated header or data, malformed dicts and shapes, unwritable paths).
 *
 * Inputs were made with Debian's python3-numpy, e.g.
 *   np.save('f32_2x3.npy', np.array([[1.5,-2,3],[4,5.25,-6e-3]], np.float32))
 *   numpy.lib.format.write_array(f, a, version=(2,0))   # f32_v2.npy
 *   np.save('f32_fortran.npy', np.asfortranarray(...))  # error case */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"
#include "symjit/tensor.h"

#ifndef SJ_SOURCE_DIR
#define SJ_SOURCE_DIR NULL
#endif

#include "check.h"

static char inputs[1024];

/* test/unit/Inputs: from SJ_SOURCE_DIR (CMake), else next to this file. */
static void find_inputs(void) {
  const char *src = SJ_SOURCE_DIR;
  if (src) {
    snprintf(inputs, sizeof inputs, "%s/test/unit/Inputs", src);
    return;
  }
  snprintf(inputs, sizeof inputs, "%s", __FILE__);
  char *slash = strrchr(inputs, '/');
  if (slash) strcpy(slash, "/Inputs");
  else strcpy(inputs, "Inputs");
}

static const char *input(const char *name) {
  static char path[1100];
  snprintf(path, sizeof path, "%s/%s", inputs, name);
  return path;
}

static const char *tmp(const char *name) {
  static char path[256];
  snprintf(path, sizeof path, "/tmp/sj_rt_npy_%ld_%s", (long)getpid(), name);
  return path;
}

static long read_all(const char *path, unsigned char *buf, long cap) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  long n = (long)fread(buf, 1, (size_t)cap, f);
  fclose(f);
  return n;
}

static void write_all(const char *path, const void *buf, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) return;
  fwrite(buf, 1, n, f);
  fclose(f);
}

/* Loads `name` from Inputs and checks dtype, shape and values. */
static void check_load(const char *name, sj_dtype dt, int rank, const int64_t *dims, const double *vals) {
  sj_tensor *t = NULL;
  char err[256] = "";
  sj_status st = sj_npy_load(input(name), &t, err, sizeof err);
  if (st != SJ_OK || !t) {
    fprintf(stderr, "loading %s failed: %s\n", name, err);
    failures++;
    return;
  }
  CHECK(sj_tensor_dtype(t) == dt && sj_tensor_rank(t) == rank);
  for (int i = 0; i < rank && i < sj_tensor_rank(t); i++) CHECK(sj_tensor_dims(t)[i] == dims[i]);
  for (int64_t i = 0; i < sj_tensor_numel(t); i++) {
    double got = sj_tensor_get(t, i);
    if (!(got == vals[i])) {
      fprintf(stderr, "%s[%lld] = %.17g, want %.17g\n", name, (long long)i, got, vals[i]);
      failures++;
    }
  }
  sj_tensor_free(t);
}

static void test_numpy_files(void) {
  check_load("f32_2x3.npy", SJ_F32, 2, (int64_t[]){2, 3}, (double[]){1.5, -2, 3, 4, 5.25, (float)-6e-3});
  check_load("f64_4.npy", SJ_F64, 1, (int64_t[]){4}, (double[]){0.1, -1e300, INFINITY, 2.5});
  check_load("i32_scalar.npy", SJ_I32, 0, NULL, (double[]){-7});
  double i64[8];
  for (int i = 0; i < 8; i++) i64[i] = -(double)i * 1099511627776.0;
  check_load("i64_2x2x2.npy", SJ_I64, 3, (int64_t[]){2, 2, 2}, i64);
  check_load("i8_5.npy", SJ_I8, 1, (int64_t[]){5}, (double[]){-128, -1, 0, 1, 127});
  check_load("bool_3.npy", SJ_BOOL, 1, (int64_t[]){3}, (double[]){1, 0, 1});
  check_load("f32_0x3.npy", SJ_F32, 2, (int64_t[]){0, 3}, NULL);
  check_load("f32_v2.npy", SJ_F32, 2, (int64_t[]){2, 2}, (double[]){1, 2, 3, 4});
}

/* Expects load to fail with a message containing `needle`. */
static void check_load_error(const char *path, sj_status want, const char *needle) {
  sj_tensor *t = (sj_tensor *)&t; /* must be reset to NULL on failure */
  char err[256] = "";
  sj_status st = sj_npy_load(path, &t, err, sizeof err);
  CHECK(st == want && t == NULL);
  if (!strstr(err, needle)) {
    fprintf(stderr, "error for %s lacks '%s': %s\n", path, needle, err);
    failures++;
  }
}

static void test_unsupported_files(void) {
  check_load_error(input("f32_fortran.npy"), SJ_ERR_UNSUPPORTED, "f32_fortran.npy: fortran_order arrays are not supported");
  check_load_error(input("c8_2.npy"), SJ_ERR_UNSUPPORTED, "c8_2.npy: unsupported dtype '<c8'");
  check_load_error(input("f4_bigendian.npy"), SJ_ERR_UNSUPPORTED, "unsupported dtype '>f4'");
  check_load_error(tmp("does_not_exist.npy"), SJ_ERR_IO, "does_not_exist.npy: cannot open file");
}

/* Our writer must produce numpy's bytes: header dict, padding, newline. */
static void test_byte_identity(void) {
  static const char *const names[] = {"f32_2x3.npy", "f64_4.npy", "i32_scalar.npy", "i64_2x2x2.npy",
                                      "i8_5.npy",    "bool_3.npy", "f32_0x3.npy"};
  static unsigned char want[4096], got[4096];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    sj_tensor *t = NULL;
    char err[256] = "";
    CHECK(sj_npy_load(input(names[i]), &t, err, sizeof err) == SJ_OK);
    CHECK(sj_npy_save(tmp("copy.npy"), t, err, sizeof err) == SJ_OK);
    long nw = read_all(input(names[i]), want, sizeof want), ng = read_all(tmp("copy.npy"), got, sizeof got);
    if (nw <= 0 || nw != ng || memcmp(want, got, (size_t)nw)) {
      fprintf(stderr, "saving %s does not reproduce numpy's bytes (%ld vs %ld bytes)\n", names[i], nw, ng);
      failures++;
    }
    sj_tensor_free(t);
  }
  remove(tmp("copy.npy"));
}

static void test_roundtrip(void) {
  int64_t dims[3] = {3, 1, 5};
  for (int dt = 0; dt < SJ_DTYPE_COUNT; dt++) {
    if (dt == SJ_BF16) continue; /* numpy has no bfloat16 */
    sj_tensor *t = sj_tensor_new((sj_dtype)dt, 3, dims), *u = NULL;
    sj_tensor_fill_uniform(t, 42 + (uint64_t)dt, -100, 100);
    char err[256] = "";
    CHECK(sj_npy_save(tmp("rt.npy"), t, err, sizeof err) == SJ_OK);
    CHECK(sj_npy_load(tmp("rt.npy"), &u, err, sizeof err) == SJ_OK);
    CHECK(u && (int)sj_tensor_dtype(u) == dt && sj_tensor_rank(u) == 3 && sj_tensor_dims(u)[2] == 5);
    CHECK(u && !memcmp(sj_tensor_data(t), sj_tensor_data(u), sj_tensor_nbytes(t)));
    unsigned char hdr[10];
    CHECK(read_all(tmp("rt.npy"), hdr, 10) == 10 && hdr[6] == 1 && (10 + hdr[8] + 256 * hdr[9]) % 64 == 0);
    sj_tensor_free(t);
    sj_tensor_free(u);
  }
  remove(tmp("rt.npy"));
}

static void test_save_errors(void) {
  char err[256] = "";
  sj_tensor *b = sj_tensor_new(SJ_BF16, 1, (int64_t[]){2});
  CHECK(sj_npy_save(tmp("bf.npy"), b, err, sizeof err) == SJ_ERR_UNSUPPORTED && strstr(err, "cannot be saved"));
  sj_tensor_free(b);
  sj_tensor *f = sj_tensor_new(SJ_F32, 1, (int64_t[]){2});
  CHECK(sj_npy_save("/nonexistent-dir/x.npy", f, err, sizeof err) == SJ_ERR_IO && strstr(err, "cannot create"));
  CHECK(sj_npy_save(NULL, f, err, sizeof err) == SJ_ERR_INVALID);
  CHECK(sj_npy_save(tmp("x.npy"), NULL, NULL, 0) == SJ_ERR_INVALID); /* err may be NULL */
  sj_tensor_free(f);
  sj_tensor *t = NULL;
  CHECK(sj_npy_load(NULL, &t, err, sizeof err) == SJ_ERR_INVALID);
  CHECK(sj_npy_load(input("f32_2x3.npy"), NULL, err, sizeof err) == SJ_ERR_INVALID);
}

/* A v1.0 file with the given header dict (padded like numpy) and data. */
static void make_npy(const char *path, const char *dict, const void *data, size_t n) {
  unsigned char buf[512];
  size_t dl = strlen(dict), hl = (10 + dl + 1 + 63) / 64 * 64 - 10;
  memcpy(buf, "\x93NUMPY\x01\x00", 8);
  buf[8] = (unsigned char)hl;
  buf[9] = (unsigned char)(hl >> 8);
  memset(buf + 10, ' ', hl);
  memcpy(buf + 10, dict, dl);
  buf[10 + hl - 1] = '\n';
  memcpy(buf + 10 + hl, data, n);
  write_all(path, buf, 10 + hl + n);
}

/* Sizes: numpy's rule (non-zero dims times the element size must fit, so
 * (0, 2^63-1) is refused in either order), dims beyond 64 bits, and a header
 * that claims far more data than the file holds: refused from the file size
 * before anything is allocated (an ASan build would abort on a 4 TiB
 * request, and a plain one would zero-fill it). */
static void test_sizes(void) {
  const char *p = tmp("size.npy");
  float d[6] = {1, 2, 3, 4, 5, 6};
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 9223372036854775807), }", d, 0);
  check_load_error(p, SJ_ERR_UNSUPPORTED, "size.npy: shape (0, 9223372036854775807) of 4-byte elements is too large");
  make_npy(p, "{'descr': '|i1', 'fortran_order': False, 'shape': (9223372036854775807, 0), }", d, 0);
  check_load_error(p, SJ_ERR_UNSUPPORTED, "shape (9223372036854775807, 0) of 1-byte elements is too large");
  make_npy(p, "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,), }", d, 24);
  check_load_error(p, SJ_ERR_UNSUPPORTED, "too large"); /* 2^61 * 8 = 2^64 bytes */
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 1), }", d, 4);
  check_load_error(p, SJ_ERR_UNSUPPORTED, "shape dim 99999999999999999999");
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", d, 12);
  check_load_error(p, SJ_ERR_IO, "size.npy: file is truncated: expected 4398046511104 bytes of data, found 12");
  make_npy(p, "{'descr': '<i8', 'fortran_order': False, 'shape': (1048576, 1048576, 0), }", d, 0);
  sj_tensor *t = NULL;
  CHECK(sj_npy_load(p, &t, NULL, 0) == SJ_OK && t && sj_tensor_numel(t) == 0 && sj_tensor_dims(t)[1] == 1048576);
  sj_tensor_free(t);
  /* separators: commas between dims, one optional trailing comma */
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (2 3), }", d, 24);
  check_load_error(p, SJ_ERR_IO, "malformed shape");
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (,6), }", d, 24);
  check_load_error(p, SJ_ERR_IO, "malformed shape");
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (6,,), }", d, 24);
  check_load_error(p, SJ_ERR_IO, "malformed shape");
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (+6,), }", d, 24);
  check_load_error(p, SJ_ERR_IO, "malformed shape");
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': ( 2 , 3 , ), }", d, 24);
  CHECK(sj_npy_load(p, &t, NULL, 0) == SJ_OK && t && sj_tensor_rank(t) == 2 && sj_tensor_get(t, 5) == 6);
  sj_tensor_free(t);
  remove(p);
}

/* The stream reader behind sj_npy_load works on memory (the fuzz target's
 * path), and finds a truncation there too. */
static void test_stream(void) {
  static unsigned char img[4096];
  long n = read_all(input("f32_2x3.npy"), img, sizeof img);
  CHECK(n > 0);
  FILE *fp = fmemopen(img, (size_t)n, "rb");
  sj_tensor *t = NULL;
  char err[256] = "";
  CHECK(fp && sj_rt_npy_read(fp, "mem", &t, err, sizeof err) == SJ_OK && t && sj_tensor_numel(t) == 6);
  sj_tensor_free(t);
  if (fp) fclose(fp);
  fp = fmemopen(img, (size_t)n - 3, "rb"); /* the last float cut short */
  CHECK(fp && sj_rt_npy_read(fp, "mem", &t, err, sizeof err) == SJ_ERR_IO && !t && strstr(err, "mem: file is truncated"));
  if (fp) fclose(fp);
  CHECK(sj_rt_npy_read(NULL, "mem", &t, err, sizeof err) == SJ_ERR_INVALID);
}

static void test_malformed(void) {
  const char *p = tmp("bad.npy");
  float d[6] = {1, 2, 3, 4, 5, 6};
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (1000,), }", d, 12);
  check_load_error(p, SJ_ERR_IO, "bad.npy: file is truncated: expected 4000 bytes of data, found 12");
  make_npy(p, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", d, 24);
  check_load_error(p, SJ_ERR_UNSUPPORTED, "bad.npy: fortran_order arrays are not supported");
  make_npy(p, "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2, 3), }", d, 24);
  check_load_error(p, SJ_ERR_IO, "malformed .npy header");
  make_npy(p, "{'descr': '<f4', 'shape': (2, 3), }", d, 24);
  check_load_error(p, SJ_ERR_IO, "malformed .npy header");
  make_npy(p, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", d, 8);
  check_load_error(p, SJ_ERR_UNSUPPORTED, "unsupported dtype [('a'");
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': 6, }", d, 24);
  check_load_error(p, SJ_ERR_IO, "malformed shape");
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", d, 24);
  check_load_error(p, SJ_ERR_IO, "malformed shape");
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", d, 24);
  check_load_error(p, SJ_ERR_IO, "malformed shape");
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1), }", d, 4);
  check_load_error(p, SJ_ERR_UNSUPPORTED, "rank > 8");
  make_npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", d, 4);
  check_load_error(p, SJ_ERR_UNSUPPORTED, "bad.npy: shape (4294967296, 4294967296) of 4-byte elements is too large");
  /* Python 2's numpy wrote longs: (2L, 3L). Keys in another order are fine. */
  make_npy(p, "{'shape': (2L, 3L), 'fortran_order': False, 'descr': '<f4'}", d, 24);
  sj_tensor *t = NULL;
  CHECK(sj_npy_load(p, &t, NULL, 0) == SJ_OK && t && sj_tensor_dims(t)[1] == 3 && sj_tensor_get(t, 5) == 6);
  sj_tensor_free(t);

  write_all(p, "\x93NUMPX\x01\x00\x10\x00", 10);
  check_load_error(p, SJ_ERR_IO, "bad.npy: not a .npy file (bad magic)");
  write_all(p, "\x93NUM", 4);
  check_load_error(p, SJ_ERR_IO, "bad magic");
  write_all(p, "\x93NUMPY\x09\x00\x10\x00", 10);
  check_load_error(p, SJ_ERR_UNSUPPORTED, "unsupported .npy version 9");
  write_all(p, "\x93NUMPY\x01\x00\x76\x00{'descr'", 17);
  check_load_error(p, SJ_ERR_IO, "truncated in the header");
  write_all(p, "\x93NUMPY\x02\x00\xff\xff\xff\x7f", 12);
  check_load_error(p, SJ_ERR_IO, "header too large");

  /* A short error buffer is truncated, never overrun (ASan checks). */
  char small[8];
  memset(small, 'x', sizeof small);
  CHECK(sj_npy_load(p, &t, small, sizeof small) != SJ_OK && strlen(small) == 7);
  remove(p);
}

int main(void) {
  find_inputs();
  test_numpy_files();
  test_unsupported_files();
  test_byte_identity();
  test_roundtrip();
  test_save_errors();
  test_malformed();
  test_sizes();
  test_stream();
  if (failures) fprintf(stderr, "rt_npy: %d check(s) failed\n", failures);
  else printf("rt_npy: all checks passed\n");
  return failures != 0;
}
