/* sj_rt_gemm against a naive triple loop in double precision: plain 2-D,
 * batched, broadcast batch dims (rank-2 operand shared, size-1 batch dims,
 * different ranks), empty dims (k = 0 must give zeros), f32 and f64; and the
 * rejections (dtype, ranks, k mismatch, c not the broadcast shape). Then
 * sj_rt_gemm2d_desc / sj_rt_gemm_acc: alpha, beta, an accumulator in place
 * or copied (and left unchanged), transposes, and the epilogue: called once
 * for every row, on rows whose product is already final, with row and with
 * column panels; a split product is deterministic. */
#include <stdatomic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

#include "check.h"

typedef struct shape {
  int r;
  int64_t d[6];
} shape;

static int64_t numel(const shape *s) {
  int64_t n = 1;
  for (int i = 0; i < s->r; i++) n *= s->d[i];
  return n;
}

/* Offset of batch index `idx` (of the output's nb batch dims) in operand s,
 * written independently of blas.c: per-dim index, 1 broadcasts. */
static int64_t ref_offset(const shape *s, const int64_t *idx, int nb) {
  int64_t off = 0;
  for (int j = 0; j < s->r - 2; j++) {
    int64_t i = idx[nb - (s->r - 2) + j];
    off = off * s->d[j] + (s->d[j] == 1 ? 0 : i);
  }
  return off * s->d[s->r - 2] * s->d[s->r - 1];
}

static void ref_gemm(const double *a, const shape *sa, const double *b, const shape *sb, double *c,
                     const shape *sc) {
  int nb = sc->r - 2;
  int64_t m = sc->d[nb], n = sc->d[nb + 1], k = sa->d[sa->r - 1];
  if (!m || !n) return;
  int64_t batches = numel(sc) / (m * n);
  for (int64_t t = 0; t < batches; t++) {
    int64_t idx[6], rest = t;
    for (int i = nb - 1; i >= 0; i--) idx[i] = rest % sc->d[i], rest /= sc->d[i];
    const double *at = a + ref_offset(sa, idx, nb), *bt = b + ref_offset(sb, idx, nb);
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) {
        double s = 0;
        for (int64_t l = 0; l < k; l++) s += at[i * k + l] * bt[l * n + j];
        c[t * m * n + i * n + j] = s;
      }
  }
}

/* Fills with small values so f32 sums stay accurate: x = (h % 17 - 8) / 8. */
static void fill(double *x, int64_t n, unsigned seed) {
  for (int64_t i = 0; i < n; i++) x[i] = (double)((int)((i * 2654435761u + seed * 40503u) % 17) - 8) / 8;
}

/* A copy of x[0..n) in dtype dt (f32 or f64). */
static void *to_dtype(sj_dtype dt, const double *x, int64_t n) {
  if (dt == SJ_F64) return memcpy(malloc(sizeof(double) * (size_t)(n + 1)), x, sizeof(double) * (size_t)n);
  float *f = malloc(sizeof(float) * (size_t)(n + 1));
  for (int64_t i = 0; i < n; i++) f[i] = (float)x[i];
  return f;
}

static void check_case(sj_dtype dt, shape sa, shape sb, shape sc) {
  int64_t na = numel(&sa), nb = numel(&sb), nc = numel(&sc);
  double *a = malloc(sizeof(double) * (size_t)(na + 1)), *b = malloc(sizeof(double) * (size_t)(nb + 1));
  double *want = calloc((size_t)nc + 1, sizeof(double));
  fill(a, na, 1);
  fill(b, nb, 2);
  ref_gemm(a, &sa, b, &sb, want, &sc);
  size_t es = dt == SJ_F32 ? 4 : 8;
  void *ta = to_dtype(dt, a, na), *tb = to_dtype(dt, b, nb);
  char *tc = malloc(es * (size_t)(nc + 1));
  memset(tc, 0x7f, es * (size_t)(nc + 1)); /* garbage: every element must be written */
  bool ok = sj_rt_gemm(dt, ta, sa.r, sa.d, tb, sb.r, sb.d, tc, sc.r, sc.d);
  CHECK(ok);
  int bad = 0;
  for (int64_t i = 0; ok && i < nc; i++) {
    double got = dt == SJ_F32 ? ((float *)tc)[i] : ((double *)tc)[i];
    /* values are multiples of 1/64 with small sums: exact in f32 for k < 2^16 */
    if (got != want[i] && bad++ < 3) fprintf(stderr, "c[%lld] = %g, want %g\n", (long long)i, got, want[i]);
  }
  if (bad) {
    fprintf(stderr, "gemm %s: %d wrong element(s), a rank %d, b rank %d, c rank %d\n",
            dt == SJ_F32 ? "f32" : "f64", bad, sa.r, sb.r, sc.r);
    failures++;
  }
  free(a), free(b), free(want), free(ta), free(tb), free(tc);
}

static void test_products(void) {
  for (int dt = SJ_F32; dt <= SJ_F64; dt++) {
    sj_dtype t = (sj_dtype)dt;
    check_case(t, (shape){2, {3, 4}}, (shape){2, {4, 5}}, (shape){2, {3, 5}});
    check_case(t, (shape){2, {1, 1}}, (shape){2, {1, 1}}, (shape){2, {1, 1}});
    check_case(t, (shape){2, {17, 33}}, (shape){2, {33, 9}}, (shape){2, {17, 9}});
    check_case(t, (shape){3, {4, 3, 5}}, (shape){3, {4, 5, 2}}, (shape){3, {4, 3, 2}});         /* batched */
    check_case(t, (shape){3, {4, 3, 5}}, (shape){2, {5, 2}}, (shape){3, {4, 3, 2}});            /* b shared */
    check_case(t, (shape){2, {3, 5}}, (shape){3, {4, 5, 2}}, (shape){3, {4, 3, 2}});            /* a shared */
    check_case(t, (shape){4, {2, 1, 3, 5}}, (shape){4, {1, 3, 5, 2}}, (shape){4, {2, 3, 3, 2}}); /* 1s broadcast */
    check_case(t, (shape){4, {2, 3, 3, 5}}, (shape){3, {1, 5, 2}}, (shape){4, {2, 3, 3, 2}});   /* ranks differ */
    check_case(t, (shape){3, {3, 4, 0}}, (shape){3, {3, 0, 2}}, (shape){3, {3, 4, 2}});         /* k = 0: zeros */
    check_case(t, (shape){3, {0, 4, 5}}, (shape){2, {5, 2}}, (shape){3, {0, 4, 2}});            /* no batches */
    check_case(t, (shape){2, {0, 5}}, (shape){2, {5, 2}}, (shape){2, {0, 2}});                  /* m = 0 */
  }
}

static void test_rejections(void) {
  float x[64] = {0};
  int64_t d34[] = {3, 4}, d45[] = {4, 5}, d35[] = {3, 5}, d55[] = {5, 5}, d36[] = {3, 6};
  CHECK(sj_rt_gemm(SJ_F32, x, 2, d34, x, 2, d45, x, 2, d35));
  CHECK(!sj_rt_gemm(SJ_I32, x, 2, d34, x, 2, d45, x, 2, d35));  /* dtype */
  CHECK(!sj_rt_gemm(SJ_F16, x, 2, d34, x, 2, d45, x, 2, d35));
  CHECK(!sj_rt_gemm(SJ_F32, x, 2, d34, x, 2, d55, x, 2, d35));  /* k: 4 vs 5 */
  CHECK(!sj_rt_gemm(SJ_F32, x, 2, d34, x, 2, d45, x, 2, d36));  /* n */
  CHECK(!sj_rt_gemm(SJ_F32, x, 2, d34, x, 2, d45, x, 2, d45));  /* m */
  CHECK(!sj_rt_gemm(SJ_F32, x, 1, d34, x, 2, d45, x, 2, d35));  /* rank 1 */
  CHECK(!sj_rt_gemm(SJ_F32, x, 2, d34, x, 2, d45, x, 1, d35));
  CHECK(!sj_rt_gemm(SJ_F32, x, 2, d34, x, 2, d45, x, 2, NULL));
  int64_t a234[] = {2, 3, 4}, b345[] = {3, 4, 5}, c235[] = {2, 3, 5}, c135[] = {1, 3, 5}, c335[] = {3, 3, 5};
  int64_t a134[] = {1, 3, 4}, c2235[] = {2, 2, 3, 5}, neg[] = {-1, 3, 4};
  CHECK(!sj_rt_gemm(SJ_F32, x, 3, a234, x, 3, b345, x, 3, c235)); /* batch 2 vs 3 */
  CHECK(!sj_rt_gemm(SJ_F32, x, 3, a234, x, 2, d45, x, 3, c135));  /* c batch must be 2 */
  CHECK(!sj_rt_gemm(SJ_F32, x, 3, a134, x, 2, d45, x, 3, c335));  /* 1 does not broadcast to 3 in c */
  CHECK(!sj_rt_gemm(SJ_F32, x, 3, a234, x, 2, d45, x, 4, c2235)); /* c rank is max(ra, rb) */
  CHECK(!sj_rt_gemm(SJ_F32, x, 3, neg, x, 2, d45, x, 3, c235));   /* negative dim */
  CHECK(sj_rt_gemm(SJ_F32, x, 3, a134, x, 2, d45, x, 3, c135));
}

/* Dims whose element or byte counts overflow are refused before any offset
 * is computed or anything is written (x is a small buffer: a write would be
 * an ASan report). Each case has m, n, k within CBLAS's int. */
static void test_size_overflow(void) {
  float x[64] = {0};
  int64_t big = 2147483647; /* INT_MAX: m * n * 8 bytes is about 2^65 */
  int64_t a[] = {big, 1}, b[] = {1, big}, c[] = {big, big};
  CHECK(!sj_rt_gemm(SJ_F64, x, 2, a, x, 2, b, x, 2, c));
  CHECK(!sj_rt_gemm2d(NULL, SJ_F64, x, false, x, false, x, big, big, 0)); /* k = 0 would memset c */
  CHECK(!sj_rt_gemm2d(NULL, SJ_F32, x, false, x, false, x, big, big, 1));
  /* batches * m * n overflows int64 although each dim is small */
  int64_t ab[] = {INT64_MAX / 4, 2, 2, 1}, bb[] = {1, 1, 1, 2}, cb[] = {INT64_MAX / 4, 2, 2, 2};
  CHECK(!sj_rt_gemm(SJ_F32, x, 4, ab, x, 4, bb, x, 4, cb));
  /* an empty batch is still fine when the rest fits */
  int64_t a0[] = {0, 2, 3}, b0[] = {3, 2}, c0[] = {0, 2, 2};
  CHECK(sj_rt_gemm(SJ_F32, x, 3, a0, x, 2, b0, x, 3, c0));
  CHECK(sj_rt_gemm2d(NULL, SJ_F32, x, false, x, false, x, 0, big, 5)); /* M = 0: nothing to write */
}


/* ---- alpha, beta, z, epilogue ---- */

typedef struct epi_check {
  sj_dtype dt;
  const void *c;
  const double *want;
  int64_t n;
  atomic_int *seen; /* per row */
  atomic_int bad;
} epi_check;

static void epilogue(void *env, int64_t lo, int64_t hi) {
  epi_check *e = env;
  for (int64_t i = lo; i < hi; i++) {
    atomic_fetch_add(&e->seen[i], 1);
    for (int64_t j = 0; j < e->n; j++) {
      double got = e->dt == SJ_F32 ? ((const float *)e->c)[i * e->n + j] : ((const double *)e->c)[i * e->n + j];
      if (got != e->want[i * e->n + j]) atomic_fetch_add(&e->bad, 1);
    }
  }
}

/* c = alpha * op(a) @ op(b) + beta * z on a pool, z in place or separate. */
static void check_desc(sj_pool *pool, sj_dtype dt, bool ta, bool tb, int64_t M, int64_t N, int64_t K, double alpha,
                       double beta, bool inplace) {
  double *a = malloc(sizeof(double) * (size_t)(M * K + 1)), *b = malloc(sizeof(double) * (size_t)(K * N + 1));
  double *z = malloc(sizeof(double) * (size_t)(M * N + 1)), *want = malloc(sizeof(double) * (size_t)(M * N + 1));
  fill(a, M * K, 3), fill(b, K * N, 4), fill(z, M * N, 5);
  for (int64_t i = 0; i < M; i++)
    for (int64_t j = 0; j < N; j++) {
      double s = 0;
      for (int64_t l = 0; l < K; l++) s += a[ta ? l * M + i : i * K + l] * b[tb ? j * K + l : l * N + j];
      want[i * N + j] = alpha * s + beta * z[i * N + j];
    }
  void *xa = to_dtype(dt, a, M * K), *xb = to_dtype(dt, b, K * N), *xz = to_dtype(dt, z, M * N);
  void *xc = inplace ? xz : to_dtype(dt, want, M * N); /* c's old contents must not matter */
  if (!inplace) memset(xc, 0x7f, (size_t)(M * N) * (dt == SJ_F32 ? 4 : 8));
  atomic_int *seen = calloc((size_t)M + 1, sizeof *seen);
  epi_check e = {dt, xc, want, N, seen, 0};
  sj_rt_gemm_desc d = {.dt = dt, .a = xa, .b = xb, .c = xc, .z = xz, .trans_a = ta, .trans_b = tb, .alpha = alpha,
                       .beta = beta, .M = M, .N = N, .K = K, .epilogue = epilogue, .epilogue_env = &e};
  CHECK(sj_rt_gemm2d_desc(pool, &d));
  int once = 0;
  for (int64_t i = 0; i < M; i++) once += atomic_load(&seen[i]) == 1;
  if (once != M || atomic_load(&e.bad)) {
    fprintf(stderr, "gemm2d_desc %lldx%lldx%lld ta=%d tb=%d inplace=%d: %lld of %lld rows seen once, %d wrong\n",
            (long long)M, (long long)N, (long long)K, ta, tb, inplace, (long long)once, (long long)M,
            atomic_load(&e.bad));
    failures++;
  }
  for (int64_t i = 0; !inplace && i < M * N; i++) /* a separate z is only read */
    if ((dt == SJ_F32 ? ((float *)xz)[i] : ((double *)xz)[i]) != (double)(dt == SJ_F32 ? (float)z[i] : z[i])) {
      fprintf(stderr, "gemm2d_desc: z[%lld] was modified\n", (long long)i);
      failures++;
      break;
    }
  if (!inplace) free(xc);
  free(a), free(b), free(z), free(want), free(xa), free(xb), free(xz), free(seen);
}

static void test_alpha_beta_epilogue(void) {
  sj_pool *pool = sj_pool_new(4);
  /* {32, 1024, 96}, {20, 600, 200}: big enough to split and wider than
   * tall, so split into column panels (N = 600: a short last panel) */
  static const int64_t sizes[][3] = {{1, 5, 3},     {16, 7, 4},      {17, 9, 33},     {200, 30, 40}, {513, 64, 64},
                                     {32, 1024, 96}, {20, 600, 200}, {0, 5, 3},       {6, 0, 3},     {6, 5, 0}};
  for (int dt = SJ_F32; dt <= SJ_F64; dt++)
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
      for (int t = 0; t < 4; t++) {
        check_desc(pool, (sj_dtype)dt, t & 1, t & 2, sizes[s][0], sizes[s][1], sizes[s][2], -0.5, 2.0, t == 1);
        check_desc(pool, (sj_dtype)dt, t & 1, t & 2, sizes[s][0], sizes[s][1], sizes[s][2], 1.0, 0.0, t == 2);
      }
  sj_pool_free(pool);
  /* batched, with a separate and an in-place accumulator */
  int64_t da[] = {2, 3, 4}, db[] = {4, 5}, dc[] = {2, 3, 5};
  double a[24], b[20], z[30], want[30];
  fill(a, 24, 6), fill(b, 20, 7), fill(z, 30, 8);
  shape sa = {3, {2, 3, 4}}, sb = {2, {4, 5}}, sc = {3, {2, 3, 5}};
  ref_gemm(a, &sa, b, &sb, want, &sc);
  for (int i = 0; i < 30; i++) want[i] = 0.25 * want[i] - 3 * z[i];
  double c[30], zc[30];
  memcpy(zc, z, sizeof z);
  CHECK(sj_rt_gemm_acc(SJ_F64, a, 3, da, b, 2, db, c, 3, dc, 0.25, -3, z));
  CHECK(sj_rt_gemm_acc(SJ_F64, a, 3, da, b, 2, db, zc, 3, dc, 0.25, -3, zc));
  for (int i = 0; i < 30; i++) CHECK(c[i] == want[i] && zc[i] == want[i]);
  int64_t a0[] = {2, 3, 0}, b0[] = {0, 5};
  CHECK(sj_rt_gemm_acc(SJ_F64, a, 3, a0, b, 2, b0, c, 3, dc, 0.25, -3, z)); /* k = 0: beta * z */
  for (int i = 0; i < 30; i++) CHECK(c[i] == -3 * z[i]);
}

/* The split: thin row panels of a product wider than tall go to column
 * panels, the rest to rows. */
static void test_split_axis(void) {
  CHECK(sj_rt_gemm_split_cols(32, 1024, 2));
  CHECK(sj_rt_gemm_split_cols(127, 128, 2));
  CHECK(!sj_rt_gemm_split_cols(128, 1024, 2)); /* 64 rows a thread */
  CHECK(sj_rt_gemm_split_cols(128, 1024, 4));
  CHECK(!sj_rt_gemm_split_cols(64, 64, 2));
  CHECK(!sj_rt_gemm_split_cols(32, 30, 2));
  CHECK(!sj_rt_gemm_split_cols(1600, 76, 2));
}

/* A product split over a pool (row or column panels) is deterministic: the
 * panels depend only on the shape and the pool's size, not on which thread
 * runs which, so two runs give the same bits. It agrees with one thread's
 * product to rounding, not bit for bit: OpenBLAS sums a panel's edge rows
 * or columns with other kernels (200x48x300 differs in the last bits, the
 * LSTM's 32x1024x256 does not), so bits can change with the thread count. */
static void test_split_bits(void) {
  static const int64_t sizes[][3] = {{32, 1024, 256}, {32, 256, 1024}, {200, 48, 300}, {48, 200, 300}};
  sj_pool *pool = sj_pool_new(3);
  for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
    for (int t = 0; t < 4; t++) {
      int64_t M = sizes[s][0], N = sizes[s][1], K = sizes[s][2];
      float *a = malloc(sizeof(float) * (size_t)(M * K)), *b = malloc(sizeof(float) * (size_t)(K * N));
      float *z = malloc(sizeof(float) * (size_t)(M * N)), *c1 = malloc(sizeof(float) * (size_t)(M * N)),
            *cn = malloc(sizeof(float) * (size_t)(M * N)), *cn2 = malloc(sizeof(float) * (size_t)(M * N));
      uint64_t h = 88172645463325252u;
      for (int64_t i = 0; i < M * K; i++) a[i] = (float)((h = h * 6364136223846793005u + 1) >> 40) / 16777216.0f - 0.5f;
      for (int64_t i = 0; i < K * N; i++) b[i] = (float)((h = h * 6364136223846793005u + 1) >> 40) / 16777216.0f - 0.5f;
      for (int64_t i = 0; i < M * N; i++) z[i] = (float)((h = h * 6364136223846793005u + 1) >> 40) / 16777216.0f;
      sj_rt_gemm_desc d = {.dt = SJ_F32, .a = a, .b = b, .z = z, .trans_a = t & 1, .trans_b = t & 2, .alpha = 0.75,
                           .beta = 1, .M = M, .N = N, .K = K};
      d.c = c1;
      CHECK(sj_rt_gemm2d_desc(NULL, &d));
      d.c = cn;
      CHECK(sj_rt_gemm2d_desc(pool, &d));
      d.c = cn2;
      CHECK(sj_rt_gemm2d_desc(pool, &d));
      CHECK(!memcmp(cn, cn2, sizeof(float) * (size_t)(M * N)));
      double worst = 0;
      for (int64_t i = 0; i < M * N; i++) worst = fmax(worst, fabs((double)cn[i] - c1[i]));
      if (worst > 1e-4) {
        fprintf(stderr, "gemm2d_desc %lldx%lldx%lld ta=%d tb=%d: the pool's result is %g off one thread's\n",
                (long long)M, (long long)N, (long long)K, t & 1, (t & 2) != 0, worst);
        failures++;
      }
      free(a), free(b), free(z), free(c1), free(cn), free(cn2);
    }
  sj_pool_free(pool);
}

int main(void) {
  test_products();
  test_alpha_beta_epilogue();
  test_split_axis();
  test_split_bits();
  test_rejections();
  test_size_overflow();
  if (failures) fprintf(stderr, "rt_blas: %d check(s) failed\n", failures);
  else printf("rt_blas: all checks passed\n");
  return failures != 0;
}
