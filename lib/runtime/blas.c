/* Matrix products through OpenBLAS (row-major), batched over numpy-broadcast
 * leading dims by a loop; a rank-2 operand (or a batch dim of 1) is shared by
 * every batch, so broadcasting never copies. One gemm call per batch keeps
 * this simple; OpenBLAS has no strided-batched gemm in its CBLAS interface. */
#include <cblas.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include "blas_internal.h"
#include "blas_select.h" /* OpenBLAS is loaded at run time: cblas_* go through it */
#include "runtime.h"
#include "support/checked.h"

/* Element offset of output batch `t` in an operand whose batch dims bd[0..rb)
 * are right-aligned against the output's od[0..nb) (numpy broadcasting: a
 * dim of 1 repeats, so it adds no offset). `mat` is the matrix size. */
static int64_t batch_offset(int64_t t, const int64_t *od, int nb, const int64_t *bd, int rb,
                            int64_t mat) {
  int64_t off = 0, stride = mat;
  for (int k = nb - 1, j = rb - 1; k >= 0 && j >= 0; k--, j--) {
    int64_t ik = t % od[k];
    t /= od[k];
    if (bd[j] != 1) off += ik * stride;
    stride *= bd[j];
  }
  return off;
}

/* Non-negative dims whose byte size fits (lib/support/checked.h): then every
 * element offset and byte count below fits in int64_t and size_t. */
static bool dims_ok(int r, const int64_t *d, size_t es) {
  size_t bytes;
  return sj_shape_bytes(d, r, es, &bytes);
}

/* Checks that dc's batch dims are exactly the broadcast of a's and b's, and
 * returns the number of batches (or -1). */
static int64_t check_batch(int ra, const int64_t *da, int rb, const int64_t *db, int nb,
                           const int64_t *dc) {
  int64_t batches = 1;
  for (int i = 0; i < nb; i++) {
    int ja = ra - 2 - nb + i, jb = rb - 2 - nb + i;
    int64_t x = ja >= 0 ? da[ja] : 1, y = jb >= 0 ? db[jb] : 1, want = x == 1 ? y : x;
    if ((y != 1 && y != want) || dc[i] != want) return -1;
    batches *= want;
  }
  return batches;
}

/* c = alpha * a @ b + beta * c (no transposes) */
static void gemm1(sj_dtype dt, const void *a, const void *b, void *c, int m, int n, int k, double alpha, double beta) {
  if (dt == SJ_F32)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, (float)alpha, a, k, b, n, (float)beta, c, n);
  else
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, alpha, a, k, b, n, beta, c, n);
}

/* n elements of c = beta * z (beta == 0: zeros, z not read), for an empty
 * contraction, where BLAS may not write c at all. */
static void scale_into(sj_dtype dt, void *c, const void *z, int64_t n, double beta) {
  for (int64_t i = 0; i < n; i++)
    if (dt == SJ_F32) ((float *)c)[i] = beta == 0 ? 0.0f : (float)beta * ((const float *)z)[i];
    else ((double *)c)[i] = beta == 0 ? 0.0 : beta * ((const double *)z)[i];
}

bool sj_rt_gemm(sj_dtype dt, const void *a, int ra, const int64_t *da, const void *b, int rb,
                const int64_t *db, void *c, int rc, const int64_t *dc) {
  return sj_rt_gemm_acc(dt, a, ra, da, b, rb, db, c, rc, dc, 1.0, 0.0, NULL);
}

/* The batches [lo, hi) of a batched gemm (one single-threaded BLAS call
 * each): sj_rt_gemm_batched's range function. */
typedef struct batch_job {
  sj_dtype dt;
  const void *a, *b, *z;
  void *c;
  int ra, rb, nb;
  const int64_t *da, *db, *dc;
  int64_t m, n, k;
  double alpha, beta;
  sj_range_fn epilogue; /* over c's dim 0, per row i once its batches are done */
  void *epilogue_env;
  int64_t per_row;      /* batches per row of c's dim 0 */
} batch_job;

static void gemm_batches(void *env, int64_t lo, int64_t hi) {
  const batch_job *j = env;
  size_t es = j->dt == SJ_F32 ? 4 : 8;
  int64_t m = j->m, n = j->n, k = j->k;
  for (int64_t t = lo; t < hi; t++) {
    char *ct = (char *)j->c + (size_t)(t * m * n) * es;
    const char *zt = j->z ? (const char *)j->z + (size_t)(t * m * n) * es : NULL;
    if (k == 0) { /* empty sum; BLAS may not write c when k == 0 */
      scale_into(j->dt, ct, zt, m * n, j->beta);
      continue;
    }
    if (j->beta != 0 && zt != ct) memcpy(ct, zt, (size_t)(m * n) * es);
    int64_t oa = batch_offset(t, j->dc, j->nb, j->da, j->ra - 2, m * k), ob = batch_offset(t, j->dc, j->nb, j->db, j->rb - 2, k * n);
    gemm1(j->dt, (const char *)j->a + (size_t)oa * es, (const char *)j->b + (size_t)ob * es, ct, (int)m, (int)n, (int)k,
          j->alpha, j->beta);
    if (j->epilogue && (t + 1) % j->per_row == 0) j->epilogue(j->epilogue_env, t / j->per_row, t / j->per_row + 1);
  }
}

static void blas_single_thread_once(void);

bool sj_rt_gemm_batched(sj_pool *pool, sj_dtype dt, const void *a, int ra, const int64_t *da, const void *b, int rb,
                        const int64_t *db, void *c, int rc, const int64_t *dc, double alpha, double beta, const void *z) {
  return sj_rt_gemm_batched_epi(pool, dt, a, ra, da, b, rb, db, c, rc, dc, alpha, beta, z, NULL, NULL);
}

bool sj_rt_gemm_batched_epi(sj_pool *pool, sj_dtype dt, const void *a, int ra, const int64_t *da, const void *b,
                            int rb, const int64_t *db, void *c, int rc, const int64_t *dc, double alpha, double beta,
                            const void *z, sj_range_fn epilogue, void *epilogue_env) {
  if ((dt != SJ_F32 && dt != SJ_F64) || !da || !db || !dc) return false;
  if (!sj_rt_blas()) return false; /* no OpenBLAS: sj_blas_info() says why */
  if (ra < 2 || rb < 2 || rc != (ra > rb ? ra : rb) || rc > SJ_TENSOR_MAX_RANK) return false;
  size_t es = dt == SJ_F32 ? 4 : 8;
  if (!dims_ok(ra, da, es) || !dims_ok(rb, db, es) || !dims_ok(rc, dc, es)) return false;
  int64_t m = da[ra - 2], k = da[ra - 1], n = db[rb - 1];
  if (db[rb - 2] != k || dc[rc - 2] != m || dc[rc - 1] != n) return false;
  if (m > INT_MAX || n > INT_MAX || k > INT_MAX) return false; /* CBLAS takes int */
  int nb = rc - 2;
  if (epilogue && nb < 1) return false; /* rank 2: sj_rt_gemm2d_desc's row panels */
  int64_t batches = check_batch(ra, da, rb, db, nb, dc);
  if (batches < 0) return false;
  if (batches == 0) return true;
  if (m == 0 || n == 0) { /* no product; an epilogue still sees its rows */
    if (epilogue) epilogue(epilogue_env, 0, dc[0]);
    return true;
  }
  batch_job j = {.dt = dt, .a = a, .b = b, .z = z, .c = c, .ra = ra, .rb = rb, .nb = nb, .da = da, .db = db, .dc = dc,
                 .m = m, .n = n, .k = k, .alpha = alpha, .beta = z ? beta : 0, .epilogue = epilogue,
                 .epilogue_env = epilogue_env, .per_row = batches / dc[0]};
  /* one batch per chunk at least (a whole row of dim 0 with an epilogue);
   * small products stay on the caller */
  bool big = (double)m * (double)n * (double)k * (double)batches >= 2000000.0;
  if (pool && big) blas_single_thread_once();
  sj_pool_run(pool, gemm_batches, &j, 0, batches, pool && big ? 2 : batches + 1, epilogue ? j.per_row : 1);
  return true;
}

bool sj_rt_gemm_acc(sj_dtype dt, const void *a, int ra, const int64_t *da, const void *b, int rb, const int64_t *db,
                    void *c, int rc, const int64_t *dc, double alpha, double beta, const void *z) {
  return sj_rt_gemm_batched(NULL, dt, a, ra, da, b, rb, db, c, rc, dc, alpha, beta, z);
}

/* Below this many multiply-adds a GEMM runs on the caller: splitting costs
 * more than it saves. */
#define GEMM_PARALLEL_FLOPS 2000000.0

static pthread_once_t blas_once = PTHREAD_ONCE_INIT;
static void blas_single_thread(void) { openblas_set_num_threads(1); }
static void blas_single_thread_once(void) { pthread_once(&blas_once, blas_single_thread); }
void sj_rt_blas_single_thread(void) { blas_single_thread_once(); } /* blas_internal.h */

/* Rows [lo, hi) of c: z's rows first (when c is not z), BLAS, then the
 * epilogue on the same rows, still in this thread's cache. */
static void gemm_rows(void *env, int64_t lo, int64_t hi) {
  const sj_rt_gemm_desc *j = env;
  int m = (int)(hi - lo), n = (int)j->N, k = (int)j->K;
  size_t es = sj_dtype_size(j->dt);
  char *c = (char *)j->c + (size_t)(lo * j->N) * es;
  const char *z = j->z ? (const char *)j->z + (size_t)(lo * j->N) * es : NULL;
  if (k == 0) {
    scale_into(j->dt, c, z, (int64_t)m * n, j->beta);
  } else {
    if (j->beta != 0 && z != c) memcpy(c, z, (size_t)m * (size_t)n * es);
    int lda = j->trans_a ? (int)j->M : k, ldb = j->trans_b ? k : n;
    CBLAS_TRANSPOSE ta = j->trans_a ? CblasTrans : CblasNoTrans, tb = j->trans_b ? CblasTrans : CblasNoTrans;
    int64_t aoff = j->trans_a ? lo : lo * j->K;
    if (j->dt == SJ_F32)
      cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, (float)j->alpha, (const float *)j->a + aoff, lda,
                  (const float *)j->b, ldb, (float)j->beta, (float *)c, n);
    else
      cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, j->alpha, (const double *)j->a + aoff, lda, (const double *)j->b,
                  ldb, j->beta, (double *)c, n);
  }
  if (j->epilogue) j->epilogue(j->epilogue_env, lo, hi);
}

/* Columns [lo, hi) of c over all M rows: z's columns first (when c is not
 * z), then one BLAS call on the column panel (lo is a multiple of 16, so
 * each panel's rows start on a cache line of an aligned c). K > 0: only
 * products big enough to split get here. */
static void gemm_cols(void *env, int64_t lo, int64_t hi) {
  const sj_rt_gemm_desc *j = env;
  int m = (int)j->M, n = (int)(hi - lo), k = (int)j->K;
  size_t es = sj_dtype_size(j->dt), row = (size_t)j->N * es;
  char *c = (char *)j->c + (size_t)lo * es;
  if (j->beta != 0 && j->z != j->c)
    for (int r = 0; r < m; r++) memcpy(c + (size_t)r * row, (const char *)j->z + (size_t)r * row + (size_t)lo * es, (size_t)n * es);
  int lda = j->trans_a ? m : k, ldb = j->trans_b ? k : (int)j->N;
  CBLAS_TRANSPOSE ta = j->trans_a ? CblasTrans : CblasNoTrans, tb = j->trans_b ? CblasTrans : CblasNoTrans;
  int64_t boff = j->trans_b ? lo * j->K : lo;
  if (j->dt == SJ_F32)
    cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, (float)j->alpha, (const float *)j->a, lda, (const float *)j->b + boff,
                ldb, (float)j->beta, (float *)c, (int)j->N);
  else
    cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, j->alpha, (const double *)j->a, lda, (const double *)j->b + boff, ldb,
                j->beta, (double *)c, (int)j->N);
}

/* How a big product is split over the pool. Each thread's BLAS call packs
 * the whole of the operand it shares with the others: all of op(b) (K x N)
 * for row panels, all of op(a) (M x K) for column panels, and a panel of
 * few rows runs BLAS's kernel poorly. So thin row panels (under 64 rows a
 * thread) of a product wider than tall become column panels: for an LSTM
 * step ([32, 256] @ [256, 1024], 2 threads) row panels of 16 rows ran at
 * 1.42x of one thread and column panels at 1.76x; at 64 rows 1.53x and
 * 1.75x, at 128 rows 1.84x and 1.90x (decision 0027). Otherwise rows, whose
 * epilogue runs on each panel while it is in cache. */
bool sj_rt_gemm_split_cols(int64_t M, int64_t N, int threads) { return N > M && M < 64 * (int64_t)threads; }

bool sj_rt_gemm2d_desc(sj_pool *pool, const sj_rt_gemm_desc *d) {
  int64_t M = d->M, N = d->N, K = d->K;
  if ((d->dt != SJ_F32 && d->dt != SJ_F64) || M < 0 || N < 0 || K < 0 || M > INT_MAX || N > INT_MAX || K > INT_MAX)
    return false;
  if (!sj_rt_blas()) return false; /* no OpenBLAS: sj_blas_info() says why */
  /* the three operands must be arrays that can exist (M*N*8 can pass 2^64) */
  size_t es = sj_dtype_size(d->dt), cbytes;
  if (!dims_ok(2, (int64_t[]){M, K}, es) || !dims_ok(2, (int64_t[]){K, N}, es) ||
      !sj_shape_bytes((int64_t[]){M, N}, 2, es, &cbytes))
    return false;
  if (M == 0 || N == 0) { /* no product; an epilogue still sees its rows (empty when M == 0) */
    if (d->epilogue && M > 0) d->epilogue(d->epilogue_env, 0, M);
    return true;
  }
  pthread_once(&blas_once, blas_single_thread);
  sj_rt_gemm_desc j = *d;
  if (!j.z) j.beta = 0;
  bool big = (double)M * (double)N * (double)K >= GEMM_PARALLEL_FLOPS;
  if (big && sj_pool_size(pool) > 1 && sj_rt_gemm_split_cols(M, N, sj_pool_size(pool))) {
    sj_pool_run(pool, gemm_cols, &j, 0, N, 32, 16);
    /* the epilogue needs whole rows: a second split, over rows */
    if (j.epilogue) sj_pool_run(pool, j.epilogue, j.epilogue_env, 0, M, 32, 16);
    return true;
  }
  sj_pool_run(pool, gemm_rows, &j, 0, M, big ? 16 : M + 1, 16);
  return true;
}

bool sj_rt_gemm2d(sj_pool *pool, sj_dtype dt, const void *a, bool trans_a, const void *b, bool trans_b, void *c,
                  int64_t M, int64_t N, int64_t K) {
  sj_rt_gemm_desc d = {.dt = dt, .a = a, .b = b, .c = c, .trans_a = trans_a, .trans_b = trans_b, .alpha = 1,
                       .M = M, .N = N, .K = K};
  return sj_rt_gemm2d_desc(pool, &d);
}
