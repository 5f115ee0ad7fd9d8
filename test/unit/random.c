/* Random streams (docs/random.md, docs/decisions/0018-random.md): Philox's
 * known answers, the distributions' moments and chi-square fits, the stream
 * semantics (two draws differ, calls advance, a seed repeats a run), bits
 * independent of the thread count, default updates (applied, overridden,
 * switched off), zero-size and dynamic shapes, the compiled draw against the
 * reference evaluator, a draw inside a scan step (executed), dropout's
 * gradient, and the build errors. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"
#include "ref_eval.h"
#include "rt_random.h"
#include "symjit/graph.h"
#include "text.h"
#include "verify.h"

#include "check.h"

static bool has(sj_ctx *c, const char *s) {
  bool ok = strstr(sj_ctx_errmsg(c), s) != NULL;
  if (!ok) fprintf(stderr, "expected '%s' in:\n%s\n", s, sj_ctx_errmsg(c));
  return ok;
}

/* Compiles (ins -> outs, default updates on unless nodef) with `threads`. */
static sj_function *compile(sj_ctx *c, sj_var *const *ins, size_t nin, sj_var *const *outs, size_t nout,
                            const sj_update *upd, size_t nupd, int threads, bool nodef) {
  sj_function *f = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.num_threads = threads;
  o.no_default_updates = nodef;
  o.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  if (sj_compile(c, ins, nin, outs, nout, upd, nupd, NULL, 0, &o, &f) != SJ_OK)
    fprintf(stderr, "compile: %s\n", sj_ctx_errmsg(c));
  return f;
}

/* One call; out[] gets the results (NULL on failure). */
static bool call(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor **out, size_t nout) {
  for (size_t i = 0; i < nout; i++) out[i] = NULL;
  if (!f) return false;
  sj_status st = sj_function_call(f, in, nin, out, nout);
  return st == SJ_OK;
}

static bool same_bits(const sj_tensor *a, const sj_tensor *b) {
  return a && b && sj_tensor_nbytes(a) == sj_tensor_nbytes(b) &&
         memcmp(sj_tensor_data(a), sj_tensor_data(b), sj_tensor_nbytes(a)) == 0;
}

static void free_all(sj_tensor **t, size_t n) {
  for (size_t i = 0; i < n; i++) sj_tensor_free(t[i]), t[i] = NULL;
}

/* ---- Philox4x32-10: Random123's kat_vectors ---- */

static void test_kat(void) {
  static const uint32_t kat[3][10] = {
      {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
      {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d, 0x41c83b0e, 0xa20bc7c6,
       0x6d5451fd},
      {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09, 0x94fdcceb, 0x5001e420,
       0x24126ea1},
  };
  for (int v = 0; v < 3; v++) {
    uint32_t out[4];
    sj_rt_philox4x32(kat[v], kat[v] + 4, out);
    for (int i = 0; i < 4; i++) CHECK(out[i] == kat[v][6 + i]);
  }
  /* the stream's block layout: counter words (lo, hi, 0, 0), key (lo, hi) */
  uint32_t a[4], b[4];
  sj_rt_philox_block(0x299f31d0a4093822ull, 0x85a308d3243f6a88ull, a);
  sj_rt_philox4x32((const uint32_t[]){0x243f6a88, 0x85a308d3, 0, 0}, (const uint32_t[]){0xa4093822, 0x299f31d0}, b);
  CHECK(memcmp(a, b, sizeof a) == 0);
}

/* ---- moments and goodness of fit ---- */

static double mean_of(const sj_tensor *t, double *var) {
  int64_t n = sj_tensor_numel(t);
  double s = 0, s2 = 0;
  for (int64_t i = 0; i < n; i++) s += sj_tensor_get(t, i);
  double m = s / (double)n;
  for (int64_t i = 0; i < n; i++) s2 += (sj_tensor_get(t, i) - m) * (sj_tensor_get(t, i) - m);
  *var = s2 / (double)(n - 1);
  return m;
}

/* Pearson's chi-square of counts against probabilities p (k categories with
 * p > 0), compared with a bound far in the tail: the 1 - 1e-6 quantile is
 * below df + 12 sqrt(2 df) + 30 for the df used here. */
static bool chi2_ok(const int64_t *count, const double *p, int k, int64_t n) {
  double chi = 0;
  int df = -1;
  for (int j = 0; j < k; j++) {
    if (p[j] == 0) {
      if (count[j]) return false; /* a zero-probability category was drawn */
      continue;
    }
    double e = p[j] * (double)n;
    chi += (count[j] - e) * (count[j] - e) / e;
    df++;
  }
  bool ok = chi < df + 12 * sqrt(2.0 * df) + 30;
  if (!ok) fprintf(stderr, "chi2 = %g with %d degrees of freedom\n", chi, df);
  return ok;
}

static void test_moments(void) {
  sj_ctx *c = sj_ctx_new();
  sj_random_stream *rs = sj_random_stream_new(c, 1234);
  const int64_t n = 200000;
  sj_var *u = sj_random_uniform(rs, SJ_SHAPE(1, &n), SJ_F32, -2, 3);
  sj_var *z = sj_random_normal(rs, SJ_SHAPE(1, &n), SJ_F64, 1.5, 2);
  sj_var *b = sj_random_bernoulli(rs, SJ_SHAPE(1, &n), SJ_F32, 0.3);
  sj_var *outs[3] = {u, z, b};
  sj_function *f = compile(c, NULL, 0, outs, 3, NULL, 0, 0, false);
  sj_tensor *o[3];
  CHECK(call(f, NULL, 0, o, 3));
  if (o[0] && o[1] && o[2]) {
    double v, m = mean_of(o[0], &v);
    /* 6 standard errors: a false alarm once in 10^9 runs */
    CHECK(fabs(m - 0.5) < 6 * sqrt(25.0 / 12 / n));
    CHECK(fabs(v - 25.0 / 12) < 6 * sqrt(25.0 * 25 / 180 / n)); /* var of s^2 for U: (b-a)^4/180/n */
    double lo = 1e9, hi = -1e9;
    for (int64_t i = 0; i < n; i++) lo = fmin(lo, sj_tensor_get(o[0], i)), hi = fmax(hi, sj_tensor_get(o[0], i));
    CHECK(lo >= -2 && hi < 3 && lo < -1.99 && hi > 2.99);
    m = mean_of(o[1], &v);
    CHECK(fabs(m - 1.5) < 6 * 2 / sqrt((double)n));
    CHECK(fabs(v - 4) < 6 * 4 * sqrt(2.0 / n));
    /* the third and fourth standardized moments of a normal: 0 and 3 */
    double s3 = 0, s4 = 0;
    for (int64_t i = 0; i < n; i++) {
      double x = (sj_tensor_get(o[1], i) - 1.5) / 2;
      s3 += x * x * x, s4 += x * x * x * x;
    }
    CHECK(fabs(s3 / n) < 6 * sqrt(15.0 / n));
    CHECK(fabs(s4 / n - 3) < 6 * sqrt(96.0 / n));
    int64_t cnt[2] = {0, 0};
    for (int64_t i = 0; i < n; i++) cnt[sj_tensor_get(o[2], i) != 0]++;
    CHECK(cnt[0] + cnt[1] == n);
    CHECK(chi2_ok(cnt, (const double[]){0.7, 0.3}, 2, n));
  }
  free_all(o, 3);
  sj_function_free(f);
  sj_random_stream_free(rs);
  sj_ctx_free(c);
}

/* Categorical from probabilities (a zero category included) and from logits
 * with a temperature, on a [rows, k] input of dynamic rows. */
static void test_categorical(void) {
  sj_ctx *c = sj_ctx_new();
  sj_random_stream *rs = sj_random_stream_new(c, 99);
  const int64_t rows = 100000, k = 5;
  sj_var *w = sj_input(c, "w", SJ_F64, 2, ((const int64_t[]){-1, k}));
  sj_var *l = sj_input(c, "l", SJ_F32, 2, ((const int64_t[]){-1, k}));
  sj_var *cp = sj_random_categorical(rs, w, false, 1, SJ_I32);
  sj_var *cl = sj_random_categorical(rs, l, true, 0.5, SJ_I64);
  sj_var *cq = sj_random_categorical(rs, w, false, 2, SJ_I32); /* p^(1/2), renormalized */
  sj_var *ins[2] = {w, l}, *outs[3] = {cp, cl, cq};
  CHECK(sj_var_rank(cp) == 1 && sj_var_dim(cp, 0) == -1 && sj_var_dtype(cl) == SJ_I64);
  sj_function *f = compile(c, ins, 2, outs, 3, NULL, 0, 0, false);
  const double p[5] = {0.1, 0.2, 0.3, 0.4, 0}, logit[5] = {0.5, -1, 0.25, 1, -0.5};
  sj_tensor *W = sj_tensor_new(SJ_F64, 2, (const int64_t[]){rows, k}), *L = sj_tensor_new(SJ_F32, 2, (const int64_t[]){rows, k});
  for (int64_t i = 0; i < rows * k; i++) sj_tensor_set(W, i, p[i % k] * 7), sj_tensor_set(L, i, logit[i % k]); /* unnormalized */
  sj_tensor *in[2] = {W, L}, *o[3];
  CHECK(call(f, in, 2, o, 3));
  if (o[0] && o[1] && o[2]) {
    int64_t c0[5] = {0}, c1[5] = {0}, c2[5] = {0};
    for (int64_t r = 0; r < rows; r++) {
      c0[(int)sj_tensor_get(o[0], r)]++;
      c1[(int)sj_tensor_get(o[1], r)]++;
      c2[(int)sj_tensor_get(o[2], r)]++;
    }
    CHECK(chi2_ok(c0, p, 5, rows));
    double q[5], s = 0, sq = 0, r2[5];
    for (int j = 0; j < 5; j++) s += q[j] = exp((double)(float)logit[j] / 0.5), sq += r2[j] = sqrt(p[j]);
    for (int j = 0; j < 5; j++) q[j] /= s, r2[j] /= sq;
    CHECK(chi2_ok(c1, q, 5, rows));
    CHECK(chi2_ok(c2, r2, 5, rows));
    /* a chi-square that can fail: the counts against the wrong law */
    CHECK(!chi2_ok(c1, p, 5, rows));
  }
  free_all(o, 3);
  /* a row with nothing to draw fails the call, naming the row */
  sj_tensor_set(W, 3 * k + 1, -1);
  CHECK(!call(f, in, 2, o, 3));
  CHECK(has(c, "row 3 has no category to draw"));
  sj_ctx_clear_errors(c);
  sj_tensor_free(W), sj_tensor_free(L);
  sj_function_free(f);
  sj_random_stream_free(rs);
  sj_ctx_free(c);
}

/* ---- stream semantics ---- */

static void test_streams(void) {
  sj_ctx *c = sj_ctx_new();
  sj_random_stream *rs = sj_random_stream_new(c, 7);
  const int64_t n = 64;
  sj_var *a = sj_random_uniform(rs, SJ_SHAPE(1, &n), SJ_F64, 0, 1);
  sj_var *b = sj_random_uniform(rs, SJ_SHAPE(1, &n), SJ_F64, 0, 1);
  CHECK(sj_random_stream_nstates(rs) == 2);
  sj_var *outs[2] = {a, b};
  sj_function *f = compile(c, NULL, 0, outs, 2, NULL, 0, 0, false);
  sj_tensor *r1[2], *r2[2], *r3[2];
  CHECK(call(f, NULL, 0, r1, 2));
  CHECK(call(f, NULL, 0, r2, 2));
  CHECK(r1[0] && r1[1] && !same_bits(r1[0], r1[1])); /* two draws of one function */
  CHECK(r2[0] && !same_bits(r1[0], r2[0]));          /* two calls */
  CHECK(r2[1] && !same_bits(r1[1], r2[1]));
  /* the state advanced by the draw's size */
  CHECK(sj_tensor_get(sj_shared_value(sj_random_stream_state(rs, 0)), 1) == 2 * n);
  /* a seed repeats the run bit for bit */
  CHECK(sj_random_seed(rs, 7) == SJ_OK);
  CHECK(call(f, NULL, 0, r3, 2));
  CHECK(same_bits(r1[0], r3[0]) && same_bits(r1[1], r3[1]));
  free_all(r3, 2);
  CHECK(call(f, NULL, 0, r3, 2));
  CHECK(same_bits(r2[0], r3[0]) && same_bits(r2[1], r3[1]));
  free_all(r3, 2);
  /* another seed: other numbers */
  CHECK(sj_random_seed(rs, 8) == SJ_OK);
  CHECK(call(f, NULL, 0, r3, 2));
  CHECK(r3[0] && !same_bits(r1[0], r3[0]));
  free_all(r1, 2), free_all(r2, 2), free_all(r3, 2);
  /* a function drawing only b advances only b's state */
  sj_random_seed(rs, 7);
  sj_function *fb = compile(c, NULL, 0, &b, 1, NULL, 0, 0, false);
  CHECK(call(fb, NULL, 0, r1, 1));
  CHECK(sj_tensor_get(sj_shared_value(sj_random_stream_state(rs, 0)), 1) == 0);
  CHECK(sj_tensor_get(sj_shared_value(sj_random_stream_state(rs, 1)), 1) == n);
  free_all(r1, 1);
  sj_function_free(fb);
  sj_function_free(f);
  sj_random_stream_free(rs);
  sj_ctx_free(c);
}

/* Element i depends on (key, counter + i) only: the same bits with 1 and 4
 * threads (fills above the pool's serial threshold are split), and a draw of
 * n + m elements starts with the draw of n. */
static void test_threads(void) {
  const int64_t n = 300000, rows = 70000;
  sj_tensor *res[2][4];
  for (int t = 0; t < 2; t++) {
    sj_ctx *c = sj_ctx_new();
    sj_random_stream *rs = sj_random_stream_new(c, 2024);
    sj_var *x = sj_input(c, "x", SJ_F32, 2, ((const int64_t[]){-1, 3}));
    sj_var *outs[4] = {sj_random_uniform(rs, SJ_SHAPE(1, &n), SJ_F32, 0, 1),
                       sj_random_normal(rs, SJ_SHAPE_OF(x), SJ_F32, 0, 1),
                       sj_random_bernoulli(rs, SJ_SHAPE_OF(x), SJ_BOOL, 0.5),
                       sj_random_categorical(rs, x, true, 1, SJ_I32)};
    sj_function *f = compile(c, &x, 1, outs, 4, NULL, 0, t ? 4 : 1, false);
    sj_tensor *X = sj_tensor_new(SJ_F32, 2, (const int64_t[]){rows, 3});
    sj_tensor_fill_uniform(X, 5, -1, 1);
    CHECK(call(f, &X, 1, res[t], 4));
    sj_tensor_free(X);
    sj_function_free(f);
    sj_random_stream_free(rs);
    sj_ctx_free(c);
  }
  for (int i = 0; i < 4; i++) CHECK(same_bits(res[0][i], res[1][i]));
  free_all(res[0], 4), free_all(res[1], 4);
  /* prefix property, runtime level */
  float a[100], b[300];
  sj_rt_random_desc d = {.dist = SJ_RT_NORMAL, .dt = SJ_F32, .out = a, .n = 100, .key = 5, .counter = 1000, .a = 0, .b = 1};
  sj_rt_random_fill(NULL, &d);
  d.out = b, d.n = 300, d.counter = 900;
  sj_rt_random_fill(NULL, &d);
  CHECK(memcmp(a, b + 100, sizeof a) == 0);
}

/* ---- default updates ---- */

static void test_default_update(void) {
  sj_ctx *c = sj_ctx_new();
  sj_tensor *zero = sj_tensor_new(SJ_F64, 0, NULL);
  sj_var *cnt = sj_shared(c, "cnt", zero), *other = sj_shared(c, "other", zero);
  sj_var *one = sj_scalar(c, 1, SJ_F64);
  CHECK(sj_shared_default_update(cnt) == NULL);
  CHECK(sj_shared_set_default_update(cnt, sj_add(cnt, one)) == SJ_OK);
  CHECK(sj_shared_default_update(cnt) != NULL);
  /* read: the default update runs */
  sj_var *y = sj_mul(cnt, sj_scalar(c, 2, SJ_F64));
  sj_function *f = compile(c, NULL, 0, &y, 1, NULL, 0, 0, false);
  sj_tensor *o[1];
  CHECK(call(f, NULL, 0, o, 1) && sj_tensor_get(o[0], 0) == 0);
  free_all(o, 1);
  CHECK(call(f, NULL, 0, o, 1) && sj_tensor_get(o[0], 0) == 2);
  free_all(o, 1);
  CHECK(sj_tensor_get(sj_shared_value(cnt), 0) == 2);
  sj_function_free(f);
  /* an explicit update wins */
  sj_update up = {cnt, sj_add(cnt, sj_scalar(c, 10, SJ_F64))};
  f = compile(c, NULL, 0, &y, 1, &up, 1, 0, false);
  CHECK(call(f, NULL, 0, o, 1));
  free_all(o, 1);
  CHECK(sj_tensor_get(sj_shared_value(cnt), 0) == 12);
  sj_function_free(f);
  /* no_default_updates: none */
  f = compile(c, NULL, 0, &y, 1, NULL, 0, 0, true);
  CHECK(call(f, NULL, 0, o, 1));
  free_all(o, 1);
  CHECK(sj_tensor_get(sj_shared_value(cnt), 0) == 12);
  sj_function_free(f);
  /* a function that does not read cnt leaves it alone */
  sj_var *z = sj_add(other, one);
  f = compile(c, NULL, 0, &z, 1, NULL, 0, 0, false);
  CHECK(call(f, NULL, 0, o, 1));
  free_all(o, 1);
  CHECK(sj_tensor_get(sj_shared_value(cnt), 0) == 12);
  sj_function_free(f);
  /* a default update that reads another shared variable with its own: both run */
  CHECK(sj_shared_set_default_update(other, sj_sub(other, one)) == SJ_OK);
  CHECK(sj_shared_set_default_update(cnt, sj_add(cnt, other)) == SJ_OK);
  f = compile(c, NULL, 0, &y, 1, NULL, 0, 0, false);
  CHECK(call(f, NULL, 0, o, 1));
  free_all(o, 1);
  CHECK(sj_tensor_get(sj_shared_value(cnt), 0) == 12 && sj_tensor_get(sj_shared_value(other), 0) == -1);
  sj_function_free(f);
  /* removed */
  CHECK(sj_shared_set_default_update(cnt, NULL) == SJ_OK && !sj_shared_default_update(cnt));
  /* errors: not shared, wrong type */
  sj_var *x = sj_input(c, "x", SJ_F64, 0, NULL);
  int line = __LINE__ + 1;
  CHECK(sj_shared_set_default_update(x, one) != SJ_OK);
  char where[256];
  snprintf(where, sizeof where, "%s:%d", __FILE__, line);
  CHECK(has(c, where) && has(c, "is not a shared variable"));
  sj_ctx_clear_errors(c);
  CHECK(sj_shared_set_default_update(cnt, sj_cast(one, SJ_F32)) != SJ_OK);
  CHECK(has(c, "cannot take a value of type f32[]"));
  sj_ctx_clear_errors(c);
  sj_tensor_free(zero);
  sj_ctx_free(c);
}

/* ---- shapes ---- */

static void test_shapes(void) {
  sj_ctx *c = sj_ctx_new();
  sj_random_stream *rs = sj_random_stream_new(c, 3);
  const int64_t empty[2] = {0, 3};
  sj_var *x = sj_input(c, "x", SJ_F64, 2, ((const int64_t[]){-1, 4}));
  sj_var *outs[5] = {sj_random_uniform(rs, SJ_SHAPE(2, empty), SJ_F32, 0, 1),
                     sj_random_normal(rs, SJ_SHAPE_OF(x), SJ_F64, 0, 1),
                     sj_random_categorical(rs, x, true, 1, SJ_I32),
                     sj_random_bernoulli(rs, SJ_SHAPE(0, NULL), SJ_F64, 1), /* rank 0, p = 1 */
                     sj_random_bernoulli(rs, SJ_SHAPE_OF(x), SJ_F32, 0)};   /* p = 0 */
  CHECK(sj_var_dim(outs[1], 0) == -1 && sj_var_dim(outs[1], 1) == 4);
  sj_function *f = compile(c, &x, 1, outs, 5, NULL, 0, 0, false);
  for (int64_t rows = 0; rows <= 5; rows += 5) {
    sj_tensor *X = sj_tensor_new(SJ_F64, 2, (const int64_t[]){rows, 4}), *o[5];
    CHECK(call(f, &X, 1, o, 5));
    if (o[0] && o[1] && o[2] && o[3] && o[4]) {
      CHECK(sj_tensor_numel(o[0]) == 0 && sj_tensor_dims(o[1])[0] == rows && sj_tensor_dims(o[2])[0] == rows);
      CHECK(sj_tensor_rank(o[3]) == 0 && sj_tensor_get(o[3], 0) == 1);
      for (int64_t i = 0; i < rows * 4; i++) CHECK(sj_tensor_get(o[4], i) == 0);
    }
    /* the state of the dynamic draw advanced by its size, that of the empty one by 0 */
    free_all(o, 5);
    sj_tensor_free(X);
  }
  CHECK(sj_tensor_get(sj_shared_value(sj_random_stream_state(rs, 0)), 1) == 0);
  CHECK(sj_tensor_get(sj_shared_value(sj_random_stream_state(rs, 1)), 1) == 20);
  CHECK(sj_tensor_get(sj_shared_value(sj_random_stream_state(rs, 2)), 1) == 5);
  sj_function_free(f);
  sj_random_stream_free(rs);
  sj_ctx_free(c);
}

/* ---- the compiled draws against the reference evaluator ---- */

static void test_reference(void) {
  sj_ctx *c = sj_ctx_new();
  sj_random_stream *rs = sj_random_stream_new(c, 11);
  sj_var *x = sj_input(c, "x", SJ_F32, 2, ((const int64_t[]){-1, 6}));
  sj_var *outs[4] = {sj_random_uniform(rs, SJ_SHAPE_OF(x), SJ_F32, -1, 1),
                     sj_random_normal(rs, SJ_SHAPE_OF(x), SJ_F32, 2, 0.5),
                     sj_random_bernoulli(rs, SJ_SHAPE_OF(x), SJ_BOOL, 0.7),
                     sj_random_categorical(rs, x, false, 1, SJ_I64)};
  sj_tensor *X = sj_tensor_new(SJ_F32, 2, (const int64_t[]){33, 6});
  sj_tensor_fill_uniform(X, 1, 0, 1);
  /* the module sj_compile builds: x, then the four states; the four
   * draws, then the states' default updates */
  sj_module *m = NULL;
  CHECK(sj_graph_module(c, &x, 1, outs, 4, NULL, &m, __FILE__, __LINE__) == SJ_OK);
  sj_function *f = compile(c, &x, 1, outs, 4, NULL, 0, 0, false);
  sj_tensor *in[5] = {X}, *ref[8] = {0}, *got[4];
  for (int i = 0; i < 4; i++) in[1 + i] = (sj_tensor *)sj_shared_value(sj_random_stream_state(rs, (size_t)i));
  const sj_op *fn = m ? sj_module_lookup(m, "graph_fn0") : NULL;
  CHECK(fn && sj_ref_eval(c, fn, in, 5, ref, 8) == SJ_OK);
  if (!ref[0]) fprintf(stderr, "ref: %s\n", sj_ctx_errmsg(c));
  CHECK(call(f, &X, 1, got, 4));
  for (int i = 0; i < 4; i++) CHECK(same_bits(ref[i], got[i]));
  for (int i = 0; i < 4; i++) CHECK(same_bits(ref[4 + i], sj_shared_value(sj_random_stream_state(rs, (size_t)i))));
  CHECK(ref[4] && sj_tensor_get(ref[4], 1) == 33 * 6 && sj_tensor_get(ref[7], 1) == 33);
  free_all(ref, 8), free_all(got, 4);
  sj_tensor_free(X);
  sj_function_free(f);
  sj_random_stream_free(rs);
  sj_ctx_free(c);
}

/* ---- dropout ---- */

static void test_dropout(void) {
  sj_ctx *c = sj_ctx_new();
  sj_random_stream *rs = sj_random_stream_new(c, 5);
  sj_var *x = sj_input(c, "x", SJ_F64, 2, ((const int64_t[]){-1, 8}));
  sj_var *y = sj_dropout(rs, x, 0.25);
  sj_var *cost = sj_sum(sj_mul(y, sj_tanh(x)), 0, NULL, 0), *g;
  CHECK(sj_grad(cost, &x, 1, &g) == SJ_OK);
  sj_tensor *X = sj_tensor_new(SJ_F64, 2, (const int64_t[]){6, 8});
  sj_tensor_fill_uniform(X, 2, -1, 1);
  /* the gradient at fixed state, against central differences */
  CHECK(sj_verify_grad(cost, &x, 1, &X, NULL) == SJ_OK);
  /* dy/dx = mask / (1 - p): kept elements scale by 4/3, dropped ones are 0 */
  sj_var *outs[2] = {y, g};
  sj_function *f = compile(c, &x, 1, outs, 2, NULL, 0, 0, false);
  sj_tensor *o[2];
  CHECK(call(f, &X, 1, o, 2));
  int kept = 0;
  for (int64_t i = 0; o[0] && o[1] && i < 48; i++) {
    double xv = sj_tensor_get(X, i), yv = sj_tensor_get(o[0], i), gv = sj_tensor_get(o[1], i);
    bool k = yv != 0;
    kept += k;
    CHECK(k ? fabs(yv - xv * 4 / 3) < 1e-12 : yv == 0);
    double want = k ? 4.0 / 3 * (tanh(xv) + xv * (1 - tanh(xv) * tanh(xv))) : 0;
    CHECK(fabs(gv - want) < 1e-12);
  }
  CHECK(kept > 20 && kept < 48);
  free_all(o, 2);
  sj_tensor_free(X);
  sj_function_free(f);
  sj_random_stream_free(rs);
  sj_ctx_free(c);
}

/* ---- a draw inside a scan step ---- */

static sj_random_stream *scan_rs;

/* h_t = h_{t-1} + u_t, u_t drawn in the step; the step returns the draw's
 * state update (Theano's scan updates), so each step reads the state the
 * previous one left. */
static void draw_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c;
  const int64_t d[1] = {4};
  sj_var *u = sj_random_uniform(scan_rs, SJ_SHAPE(1, d), SJ_F64, 0, 1);
  st->outputs[0] = sj_add(st->args[0], u);
  sj_update *up = ud;
  up->shared = sj_random_stream_state(scan_rs, sj_random_stream_nstates(scan_rs) - 1);
  up->value = sj_shared_default_update(up->shared);
  st->updates = up, st->nupdates = 1;
}

static void test_scan_draw(void) {
  sj_ctx *c = sj_ctx_new();
  scan_rs = sj_random_stream_new(c, 3);
  sj_var *h0 = sj_input(c, "h0", SJ_F64, 1, ((const int64_t[]){4}));
  sj_var *k = sj_input(c, "k", SJ_I32, 0, NULL), *res[1], *ins[2] = {h0, k};
  sj_update step_up, ups[2];
  size_t nup = 0;
  sj_scan_options o = {.outputs_info = &h0, .nout = 1, .n_steps = k};
  CHECK(sj_scan(c, draw_step, &step_up, &o, res, ups, 2, &nup) == SJ_OK && nup == 1);
  /* the module sj_compile builds: the draw reads the per-step state inside
   * the loop, and the state's default update (a value of the step) is not
   * applied outside it: the IR verifies */
  sj_module *m = NULL;
  CHECK(sj_graph_module(c, ins, 2, res, 1, NULL, &m, __FILE__, __LINE__) == SJ_OK);
  CHECK(m && sj_verify_module(m) == SJ_OK);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (m) sj_print_module(f, m);
  fclose(f);
  CHECK(buf && strstr(buf, "    %2 = random_uniform %random_state_1 {hi = 1.0, lo = 0.0} : f64[4]\n"));
  if (buf && !strstr(buf, "random_uniform %random_state_1")) fprintf(stderr, "%s\n", buf);
  free(buf);
  /* executed with the scan's update: step t draws at counter 4t, and the
   * state ends 4 * steps further */
  sj_function *fn = NULL;
  sj_compile_options co;
  sj_compile_options_init(&co);
  CHECK(sj_compile(c, ins, 2, res, 1, ups, nup, NULL, 0, &co, &fn) == SJ_OK);
  sj_tensor *H = sj_tensor_new(SJ_F64, 1, (const int64_t[]){4}), *K = sj_tensor_new(SJ_I32, 0, NULL), *in[2] = {H, K};
  sj_tensor_set(K, 0, 3);
  uint64_t key = (uint64_t)((const int64_t *)sj_tensor_data(sj_shared_value(sj_random_stream_state(scan_rs, 0))))[0];
  for (int rep = 0; rep < 2; rep++) {
    sj_tensor *out[1];
    CHECK(call(fn, in, 2, out, 1));
    double h[4] = {0, 0, 0, 0};
    for (int t = 0; out[0] && t < 3; t++)
      for (int j = 0; j < 4; j++) {
        h[j] += sj_rt_random_value(SJ_RT_UNIFORM, key, (uint64_t)(12 * rep + 4 * t + j), 0, 1);
        CHECK(sj_tensor_get(out[0], 4 * t + j) == h[j]);
      }
    free_all(out, 1);
  }
  CHECK(sj_tensor_get(sj_shared_value(sj_random_stream_state(scan_rs, 0)), 1) == 24);
  sj_tensor_free(H), sj_tensor_free(K);
  sj_function_free(fn);
  sj_random_stream_free(scan_rs);
  sj_ctx_free(c);
}

/* ---- errors, named at the user's line ---- */

static void expect_error(sj_ctx *c, sj_var *v, int line, const char *what) {
  char where[256];
  snprintf(where, sizeof where, "%s:%d", __FILE__, line);
  CHECK(v && v->kind == VAR_POISON);
  CHECK(has(c, where) && has(c, what));
  sj_ctx_clear_errors(c);
}

static void test_errors(void) {
  sj_ctx *c = sj_ctx_new();
  sj_random_stream *rs = sj_random_stream_new(c, 1);
  const int64_t d[1] = {4}, neg[1] = {-1};
  sj_var *w0 = sj_input(c, "w0", SJ_F32, 2, ((const int64_t[]){3, 0}));
  sj_var *wi = sj_input(c, "wi", SJ_I32, 1, d);
  sj_var *wf = sj_input(c, "wf", SJ_F32, 1, d);
  expect_error(c, sj_random_bernoulli(rs, SJ_SHAPE(1, d), SJ_F32, 1.5), __LINE__, "needs p in [0, 1], got 1.5");
  expect_error(c, sj_random_bernoulli(rs, SJ_SHAPE(1, d), SJ_F32, NAN), __LINE__, "needs p in [0, 1]");
  expect_error(c, sj_random_normal(rs, SJ_SHAPE(1, d), SJ_F32, 0, -1), __LINE__, "std >= 0, got mean = 0 and std = -1");
  expect_error(c, sj_random_uniform(rs, SJ_SHAPE(1, d), SJ_F64, 2, 1), __LINE__, "lo <= hi, got lo = 2 and hi = 1");
  expect_error(c, sj_random_uniform(rs, SJ_SHAPE(1, d), SJ_F64, 0, INFINITY), __LINE__, "finite lo <= hi");
  expect_error(c, sj_random_uniform(rs, SJ_SHAPE(1, d), SJ_I32, 0, 1), __LINE__, "dtype i32 is not supported (f32 or f64)");
  expect_error(c, sj_random_normal(rs, SJ_SHAPE(1, d), SJ_BOOL, 0, 1), __LINE__, "dtype bool is not supported");
  expect_error(c, sj_random_uniform(rs, SJ_SHAPE(1, neg), SJ_F32, 0, 1), __LINE__, "dim 0 is -1");
  expect_error(c, sj_random_categorical(rs, w0, true, 1, SJ_I32), __LINE__, "have no categories (last dim 0)");
  expect_error(c, sj_random_categorical(rs, wi, true, 1, SJ_I32), __LINE__, "must be f32 or f64");
  expect_error(c, sj_random_categorical(rs, wf, true, 0, SJ_I32), __LINE__, "temperature must be finite and > 0");
  expect_error(c, sj_random_categorical(rs, wf, true, 1, SJ_F32), __LINE__, "dtype f32 is not supported (i32 or i64)");
  expect_error(c, sj_dropout(rs, wf, 1), __LINE__, "sj_dropout: needs p in [0, 1), got 1");
  /* the stream still works after the errors */
  sj_var *u = sj_random_uniform(rs, SJ_SHAPE(1, d), SJ_F64, 0, 1);
  CHECK(u && u->kind != VAR_POISON);
  CHECK(!sj_random_uniform(NULL, SJ_SHAPE(1, d), SJ_F64, 0, 1) && !sj_random_stream_new(NULL, 1));
  CHECK(sj_random_seed(NULL, 1) == SJ_ERR_INVALID && !sj_random_stream_state(rs, 1000));
  sj_random_stream_free(NULL);
  sj_random_stream_free(rs);
  sj_ctx_free(c);
}

int main(void) {
  test_kat();
  test_moments();
  test_categorical();
  test_streams();
  test_threads();
  test_default_update();
  test_shapes();
  test_reference();
  test_dropout();
  test_scan_draw();
  test_errors();
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
