/* Functions exported by symjit-aot (test/CMakeLists.txt: `lay` from
 * examples/mlp_layer.sj, `rows` from Inputs/rows.sj, e_id/e_mm/e_sc from
 * Inputs/edge.sj) linked into one program with libsymjit_rt alone: the
 * symbol prefixes keep them apart.
 * Results against double loops here; every error path returns a status and
 * a message naming the argument, never crashes or writes an output. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "e_id.h"
#include "e_mm.h"
#include "e_sc.h"
#include "lay.h"
#include "rows.h"

#define CHECK_MSG(st, s, needle)                                                                      \
  do {                                                                                                \
    CHECK((st) != 0);                                                                                 \
    if (!strstr(sj_aot_errmsg(s), needle)) {                                                          \
      fprintf(stderr, "%s:%d: message lacks '%s': %s\n", __FILE__, __LINE__, needle, sj_aot_errmsg(s)); \
      failures++;                                                                                     \
    }                                                                                                 \
  } while (0)

static float frand(unsigned *st) {
  *st = *st * 1103515245u + 12345u;
  return (float)((*st >> 8) & 0xffff) / 65536.0f - 0.5f;
}

/* softmax_parts at rows x cols (dynamic dims; zero-size included). */
static void test_rows(rows_state *s, int64_t r, int64_t c, double scale) {
  size_t n = (size_t)(r * c);
  float *a = malloc((n + 1) * sizeof *a), *e = malloc((n + 1) * sizeof *e), *t = malloc(((size_t)r + 1) * sizeof *t);
  unsigned seed = (unsigned)(r * 31 + c);
  for (size_t i = 0; i < n; i++) a[i] = 8 * frand(&seed);
  for (size_t i = 0; i < (size_t)r; i++) t[i] = -1;
  CHECK(rows_softmax_parts(s, a, r, c, &scale, e, r, c, t, r) == 0);
  double maxerr = 0;
  for (int64_t i = 0; i < r; i++) {
    double m = -INFINITY, sum = 0;
    for (int64_t j = 0; j < c; j++) m = fmax(m, a[i * c + j]);
    for (int64_t j = 0; j < c; j++) {
      double v = exp(a[i * c + j] - m) * (float)scale;
      sum += v;
      maxerr = fmax(maxerr, fabs(v - e[i * c + j]) / fmax(1e-30, fabs(v)));
    }
    maxerr = fmax(maxerr, fabs(sum - t[i]) / fmax(1e-30, fabs(sum)));
  }
  if (!(maxerr < 1e-5)) fprintf(stderr, "rows %lldx%lld: max rel err %g\n", (long long)r, (long long)c, maxerr);
  CHECK(maxerr < 1e-5);
  free(a), free(e), free(t);
}

/* relu(x W1 + b1) W2 + b2, then softmax, at n rows. */
static void test_lay(lay_state *s, int64_t n) {
  unsigned seed = 7;
  float *x = malloc((size_t)(n * 784 + 1) * sizeof *x), *w1 = malloc(784 * 128 * sizeof *w1), b1[128], w2[128 * 10], b2[10];
  float *p = malloc((size_t)(n * 10 + 1) * sizeof *p);
  for (int64_t i = 0; i < n * 784; i++) x[i] = frand(&seed);
  for (int i = 0; i < 784 * 128; i++) w1[i] = frand(&seed) / 8;
  for (int i = 0; i < 128; i++) b1[i] = frand(&seed);
  for (int i = 0; i < 128 * 10; i++) w2[i] = frand(&seed);
  for (int i = 0; i < 10; i++) b2[i] = frand(&seed);
  CHECK(lay_mlp(s, x, n, w1, b1, w2, b2, p, n) == 0);
  double maxerr = 0;
  for (int64_t i = 0; i < n; i++) {
    double h[128], l[10], m = -INFINITY, t = 0;
    for (int k = 0; k < 128; k++) {
      double v = b1[k];
      for (int j = 0; j < 784; j++) v += (double)x[i * 784 + j] * w1[j * 128 + k];
      h[k] = v > 0 ? v : 0;
    }
    for (int k = 0; k < 10; k++) {
      l[k] = b2[k];
      for (int j = 0; j < 128; j++) l[k] += h[j] * w2[j * 10 + k];
      m = fmax(m, l[k]);
    }
    for (int k = 0; k < 10; k++) t += exp(l[k] - m);
    for (int k = 0; k < 10; k++) maxerr = fmax(maxerr, fabs(exp(l[k] - m) / t - p[i * 10 + k]));
  }
  if (!(maxerr < 1e-4)) fprintf(stderr, "lay %lld rows: max abs err %g\n", (long long)n, maxerr);
  CHECK(maxerr < 1e-4);
  free(x), free(w1), free(p);
}

static void test_errors(rows_state *s) {
  float a[6] = {1, 2, 3, 4, 5, 6}, e[6], t[2] = {42, 42};
  double one = 1;
  /* the output's dims disagree with the input's: nothing runs */
  CHECK_MSG(rows_softmax_parts(s, a, 2, 3, &one, e, 3, 2, t, 2), s, "output 0 must be a f32[2,3] tensor");
  CHECK(t[0] == 42);
  CHECK_MSG(rows_softmax_parts(s, a, 2, 3, &one, e, 2, 3, t, 3), s, "output 1 must be a f32[2] tensor");
  CHECK_MSG(rows_softmax_parts(s, a, -2, 3, &one, e, 2, 3, t, 2), s, "impossible dims f32[-2,3]");
  CHECK_MSG(rows_softmax_parts(s, NULL, 2, 3, &one, e, 2, 3, t, 2), s, "input 0 (%a): no data");
  CHECK(t[0] == 42);
  /* the tensor call: count, dtype and rank of the inputs */
  int64_t d2[2] = {2, 3}, d1[1] = {6};
  sj_tensor *ok = sj_tensor_wrap(SJ_F32, 2, d2, a), *flat = sj_tensor_wrap(SJ_F32, 1, d1, a), *sc = sj_tensor_wrap(SJ_F64, 0, NULL, &one);
  sj_tensor *in[2] = {flat, sc}, *out[2] = {0};
  CHECK_MSG(sj_aot_call_tensors(s, in, 2, out, 2), s, "input 0 (%a) must be f32[?,?], got f32[6]");
  CHECK_MSG(sj_aot_call_tensors(s, in, 1, out, 2), s, "takes 2 inputs, got 1");
  CHECK(!out[0] && !out[1]);
  in[0] = ok;
  CHECK(sj_aot_call_tensors(s, in, 2, out, 2) == 0);
  CHECK(out[0] && sj_tensor_rank(out[0]) == 2 && out[1] && sj_tensor_dims(out[1])[0] == 2);
  CHECK(strcmp(sj_aot_errmsg(s), "") == 0); /* a call that succeeds clears the message */
  sj_tensor_free(out[0]), sj_tensor_free(out[1]);
  sj_tensor_free(ok), sj_tensor_free(flat), sj_tensor_free(sc);
  CHECK(sj_aot_num_inputs(s) == 2 && sj_aot_num_outputs(s) == 2 && sj_aot_num_shared(s) == 0 && !sj_aot_shared(s, 0));
}

/* A damaged image gives a state whose calls fail with the reason. */
static void test_bad_images(void) {
  sj_aot_image img = rows_aot_image;
  img.abi = SJ_AOT_ABI + 1;
  sj_aot_state *s = sj_aot_new(&img, 1);
  float a[1] = {0}, e[1], t[1];
  double one = 1;
  CHECK(s != NULL);
  CHECK_MSG(rows_softmax_parts(s, a, 1, 1, &one, e, 1, 1, t, 1), s, "this runtime reads ABI");
  CHECK(sj_aot_num_inputs(s) == 0);
  sj_aot_free(s);
  img = rows_aot_image;
  img.blob_len /= 2; /* truncated */
  s = sj_aot_new(&img, 1);
  CHECK_MSG(rows_softmax_parts(s, a, 1, 1, &one, e, 1, 1, t, 1), s, "corrupt image");
  sj_aot_free(s);
  s = sj_aot_new(NULL, 1);
  CHECK_MSG(sj_aot_call_tensors(s, NULL, 0, NULL, 0), s, "no image");
  sj_aot_free(s);
  sj_aot_free(NULL);
}

/* No kernel at all, a gemm alone, rank-0 integers. */
static void test_edges(void) {
  float x[3] = {1, 2, 3}, y[3] = {0};
  double a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {1, 0, 0, 0, 0, 1, 0, 0}, c[4] = {0};
  int32_t i = -7;
  int64_t o = 0;
  e_id_state *s1 = e_id_new(1);
  e_mm_state *s2 = e_mm_new(1);
  e_sc_state *s3 = e_sc_new(1);
  CHECK(e_id_id(s1, x, 3, y, 3) == 0 && y[0] == 1 && y[2] == 3);
  CHECK(e_id_id(s1, x, 0, y, 0) == 0);
  CHECK(e_mm_mm(s2, a, 2, b, 2, c, 2, 2) == 0 && c[0] == 1 && c[1] == 3 && c[2] == 5 && c[3] == 7);
  CHECK_MSG(e_mm_mm(s2, a, 2, b, 2, c, 2, 3), s2, "output 0 must be a f64[2,2] tensor");
  CHECK(e_sc_sc(s3, &i, &o) == 0 && o == -7);
  e_id_free(s1), e_mm_free(s2), e_sc_free(s3);
}

/* States are independent: one per thread, calls at the same time. */
static void *worker(void *arg) {
  rows_state *s = rows_new(2);
  for (int rep = 0; rep < 20 && s; rep++) test_rows(s, 17 + rep + (int)(intptr_t)arg, 40, 1);
  rows_free(s);
  return s ? NULL : arg;
}

static void test_threads(void) {
  pthread_t th[3];
  for (intptr_t i = 0; i < 3; i++) CHECK(pthread_create(&th[i], NULL, worker, (void *)i) == 0);
  for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
}

int main(void) {
  rows_state *r = rows_new(2);
  lay_state *l = lay_new(0);
  CHECK(r && l && !*rows_error(r) && !*lay_error(l));
  int64_t shapes[][2] = {{1, 1}, {3, 5}, {64, 33}, {0, 4}, {4, 0}, {257, 1000}};
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) test_rows(r, shapes[i][0], shapes[i][1], 0.5 + (double)i);
  int64_t ns[] = {1, 7, 300, 0};
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) test_lay(l, ns[i]);
  test_errors(r);
  test_rows(r, 5, 6, 2); /* still fine after the errors */
  test_bad_images();
  test_edges();
  test_threads();
  rows_free(r);
  lay_free(l);
  if (!failures) printf("aot_two: ok\n");
  return failures != 0;
}
