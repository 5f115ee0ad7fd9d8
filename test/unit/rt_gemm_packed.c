/* sj_rt_gemm2d_packed (lib/runtime/gemm_packed.c, decision 0039) against a
 * double-precision triple loop: M, N, K at 0, 1, below, at and above the
 * tile (8 rows, 32 columns), both transposes, alpha and beta with an
 * accumulator copied (left unchanged) or in place, on the caller and split
 * over pools of 2 and 3 threads (bit-identical results: every element is
 * the same chain of FMAs whatever the split). The pack: reused while
 * valid, repacked after an invalidation, when b moves, or when its shape
 * or transpose changes; a stale pack that was not invalidated is used as
 * is (the caller's contract, tested so that a change of it is seen). The
 * epilogue runs once per row on final rows; f64 and bad sizes are refused. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

#include "check.h"

/* small exact values: f32 sums of products of these are exact up to K ~ 1e4 */
static void fill(float *x, int64_t n, unsigned seed) {
  for (int64_t i = 0; i < n; i++) x[i] = (float)((int)((i * 2654435761u + seed * 40503u) % 17u) - 8) / 8.0f;
}

/* c = alpha op(a) op(b) + beta z in double */
static void ref(const float *a, bool ta, const float *b, bool tb, const float *z, double alpha, double beta, double *c,
                int64_t M, int64_t N, int64_t K) {
  for (int64_t i = 0; i < M; i++)
    for (int64_t j = 0; j < N; j++) {
      double s = 0;
      for (int64_t k = 0; k < K; k++) s += (double)a[ta ? k * M + i : i * K + k] * (double)b[tb ? j * K + k : k * N + j];
      c[i * N + j] = alpha * s + (z ? beta * (double)z[i * N + j] : 0);
    }
}

static bool close_to(const float *c, const double *r, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    if (fabs((double)c[i] - r[i]) > 1e-4 * (1 + fabs(r[i]))) {
      fprintf(stderr, "  element %lld: %.9g, want %.9g\n", (long long)i, (double)c[i], r[i]);
      return false;
    }
  return true;
}

static bool run(sj_pool *pool, sj_rt_gemm_pack *p, const float *a, bool ta, const float *b, bool tb, const float *z,
                float *c, double alpha, double beta, int64_t M, int64_t N, int64_t K) {
  sj_rt_gemm_desc d = {.dt = SJ_F32, .a = a, .b = b, .c = c, .z = z, .trans_a = ta, .trans_b = tb, .alpha = alpha,
                       .beta = beta, .M = M, .N = N, .K = K};
  return sj_rt_gemm2d_packed(pool, &d, p);
}

/* One shape, every transpose and accumulator form, on each pool. */
static void shape_case(sj_pool *const *pools, int np, int64_t M, int64_t N, int64_t K) {
  size_t na = (size_t)(M * K), nb = (size_t)(K * N), nc = (size_t)(M * N);
  float *a = malloc((na + 1) * 4), *b = malloc((nb + 1) * 4), *z = malloc((nc + 1) * 4), *z0 = malloc((nc + 1) * 4);
  float *c = malloc((nc + 1) * 4), *first = malloc((nc + 1) * 4);
  double *r = malloc((nc + 1) * 8);
  fill(a, (int64_t)na, 1), fill(b, (int64_t)nb, 2), fill(z0, (int64_t)nc, 3);
  for (int form = 0; form < 16; form++) {
    bool ta = form & 1, tb = form & 2, acc = form & 4, inplace = form & 8;
    if (inplace && !acc) continue;
    double alpha = acc ? -0.5 : 1, beta = acc ? 2 : 0;
    ref(a, ta, b, tb, acc ? z0 : NULL, alpha, beta, r, M, N, K);
    for (int q = 0; q < np; q++) {
      sj_rt_gemm_pack *p = sj_rt_gemm_pack_new();
      CHECK(p);
      memcpy(z, z0, nc * 4);
      for (size_t i = 0; i < nc; i++) c[i] = NAN; /* every element must be written */
      if (inplace) memcpy(c, z0, nc * 4);
      bool ok = run(pools[q], p, a, ta, b, tb, acc ? (inplace ? c : z) : NULL, c, alpha, beta, M, N, K);
      CHECK(ok);
      bool good = close_to(c, r, (int64_t)nc);
      if (!good) fprintf(stderr, "  %lldx%lldx%lld ta=%d tb=%d acc=%d inplace=%d pool %d\n", (long long)M, (long long)N,
                         (long long)K, ta, tb, acc, inplace, q);
      CHECK(good);
      CHECK(!memcmp(z, z0, nc * 4)); /* a separate accumulator is read only */
      if (q == 0) memcpy(first, c, nc * 4);
      else CHECK(!memcmp(first, c, nc * 4)); /* the same bits on every pool */
      /* the pack is reused: the same result again */
      if (inplace) memcpy(c, z0, nc * 4);
      CHECK(run(pools[q], p, a, ta, b, tb, acc ? (inplace ? c : z) : NULL, c, alpha, beta, M, N, K));
      CHECK(!memcmp(first, c, nc * 4));
      sj_rt_gemm_pack_free(p);
    }
  }
  free(a), free(b), free(z), free(z0), free(c), free(first), free(r);
}

/* The pack's life: stale without invalidation, fresh after it, repacked
 * when b moves or its shape or transpose changes. */
static void pack_life(sj_pool *pool) {
  enum { M = 9, N = 40, K = 33 };
  float a[M * K], b[K * N], b2[K * N], c[M * N];
  double r[M * N];
  fill(a, M * K, 4), fill(b, K * N, 5), fill(b2, K * N, 6);
  sj_rt_gemm_pack *p = sj_rt_gemm_pack_new();
  CHECK(run(pool, p, a, false, b, false, NULL, c, 1, 0, M, N, K));
  ref(a, false, b, false, NULL, 1, 0, r, M, N, K);
  CHECK(close_to(c, r, M * N));
  float keep = b[0];
  b[0] = 100; /* changed in place, not invalidated: the packed copy is used */
  CHECK(run(pool, p, a, false, b, false, NULL, c, 1, 0, M, N, K));
  CHECK(close_to(c, r, M * N));
  sj_rt_gemm_pack_invalidate(p); /* now it is repacked */
  CHECK(run(pool, p, a, false, b, false, NULL, c, 1, 0, M, N, K));
  ref(a, false, b, false, NULL, 1, 0, r, M, N, K);
  CHECK(close_to(c, r, M * N));
  b[0] = keep;
  CHECK(run(pool, p, a, false, b2, false, NULL, c, 1, 0, M, N, K)); /* another b: repacked */
  ref(a, false, b2, false, NULL, 1, 0, r, M, N, K);
  CHECK(close_to(c, r, M * N));
  CHECK(run(pool, p, a, false, b2, true, NULL, c, 1, 0, M, K, K)); /* b2 as [K', K] transposed, K' = N... */
  ref(a, false, b2, true, NULL, 1, 0, r, M, K, K);                 /* ...read as op(b) = b2[0:K, 0:K]^T */
  CHECK(close_to(c, r, M * K));
  CHECK(run(pool, p, a, false, b2, false, NULL, c, 1, 0, M, 17, K)); /* another shape: repacked */
  ref(a, false, b2, false, NULL, 1, 0, r, M, 17, K);
  CHECK(close_to(c, r, M * 17));
  sj_rt_gemm_pack_free(p);
  sj_rt_gemm_pack_free(NULL);
  sj_rt_gemm_pack_invalidate(NULL);
}

static atomic_int rows_seen[64];
static const float *epi_c;
static atomic_int epi_bad;

/* every row is final when its epilogue runs: c = a @ b with b all ones and
 * a's row i all i, so each element of row i is i * K */
static void epi(void *env, int64_t lo, int64_t hi) {
  int64_t N = *(const int64_t *)env;
  for (int64_t i = lo; i < hi; i++) {
    atomic_fetch_add(&rows_seen[i], 1);
    for (int64_t j = 0; j < N; j++)
      if (epi_c[i * N + j] != (float)(i * 300)) atomic_store(&epi_bad, 1);
  }
}

static void epilogue(sj_pool *pool) {
  enum { M = 40, N = 300, K = 300 }; /* 3.6e6 multiply-adds: split */
  float *a = malloc(M * K * 4), *b = malloc(K * N * 4), *c = malloc(M * N * 4);
  for (int i = 0; i < M * K; i++) a[i] = (float)(i / K);
  for (int i = 0; i < K * N; i++) b[i] = 1;
  int64_t n = N;
  epi_c = c;
  sj_rt_gemm_pack *p = sj_rt_gemm_pack_new();
  sj_rt_gemm_desc d = {.dt = SJ_F32, .a = a, .b = b, .c = c, .alpha = 1, .M = M, .N = N, .K = K, .epilogue = epi,
                       .epilogue_env = &n};
  CHECK(sj_rt_gemm2d_packed(pool, &d, p));
  for (int i = 0; i < M; i++) CHECK(atomic_load(&rows_seen[i]) == 1);
  CHECK(!atomic_load(&epi_bad));
  sj_rt_gemm_pack_free(p);
  free(a), free(b), free(c);
}

/* What is refused, and the degenerate sizes BLAS's conventions cover. */
static void edges(sj_pool *pool) {
  sj_rt_gemm_pack *p = sj_rt_gemm_pack_new();
  double da[4] = {1, 2, 3, 4}, dc[4];
  sj_rt_gemm_desc d = {.dt = SJ_F64, .a = da, .b = da, .c = dc, .alpha = 1, .M = 2, .N = 2, .K = 2};
  CHECK(!sj_rt_gemm2d_packed(pool, &d, p)); /* f64: not packed, nothing run */
  float a[4] = {1, 2, 3, 4}, c[4] = {9, 9, 9, 9}, z[4] = {1, 1, 1, 1};
  sj_rt_gemm_desc f = {.dt = SJ_F32, .a = a, .b = a, .c = c, .alpha = 1, .M = -1, .N = 2, .K = 2};
  CHECK(!sj_rt_gemm2d_packed(pool, &f, p));
  f.M = 2;
  CHECK(!sj_rt_gemm2d_packed(pool, &f, NULL));
  f.K = 0, f.z = z, f.beta = 3; /* empty sum: c = beta z */
  CHECK(sj_rt_gemm2d_packed(pool, &f, p));
  for (int i = 0; i < 4; i++) CHECK(c[i] == 3);
  f.K = 2, f.alpha = 0; /* alpha 0: as sj_rt_gemm2d_desc (BLAS), c = beta z */
  CHECK(sj_rt_gemm2d_packed(pool, &f, p));
  for (int i = 0; i < 4; i++) CHECK(c[i] == 3);
  sj_rt_gemm_pack_free(p);
}

int main(void) {
  sj_pool *pools[3] = {NULL, sj_pool_new(2), sj_pool_new(3)};
  CHECK(pools[1] && pools[2]);
  const int64_t ms[] = {0, 1, 7, 8, 9, 32, 33}, ns[] = {0, 1, 31, 32, 33, 100}, ks[] = {0, 1, 5, 64};
  for (size_t i = 0; i < sizeof ms / sizeof *ms; i++)
    for (size_t j = 0; j < sizeof ns / sizeof *ns; j++)
      for (size_t k = 0; k < sizeof ks / sizeof *ks; k++) shape_case(pools, 3, ms[i], ns[j], ks[k]);
  shape_case(pools, 3, 32, 1024, 256); /* the LSTM's forward step: split */
  shape_case(pools, 3, 33, 250, 300);  /* split, with edge tiles and an edge panel */
  shape_case(pools, 3, 200, 40, 700);  /* op(a) over 512 KiB: BLAS, the same results */
  pack_life(NULL);
  pack_life(pools[2]);
  epilogue(pools[2]);
  edges(pools[1]);
  printf("packed kernel: %s\n", sj_rt_gemm_packed_fast() ? "avx512" : "generic");
  sj_pool_free(pools[1]), sj_pool_free(pools[2]);
  return failures != 0;
}
