/* Matrix products through OpenBLAS (row-major), batched over numpy-broadcast
 * leading dims by a loop; a rank-2 operand is shared by every batch. */
#include <cblas.h>
#include <string.h>

#include "runtime.h"

#define MAXB 8

/* Element offset of batch `t` in an operand with batch dims bd[0..rb). */
static int64_t batch_offset(int64_t t, const int64_t *out_bd, int rb_out, const int64_t *bd, int rb,
                            int64_t mat) {
  int64_t off = 0, stride = mat;
  for (int k = rb_out - 1, j = rb - 1; k >= 0; k--, j--) {
    int64_t ik = t % out_bd[k];
    t /= out_bd[k];
    if (j < 0) continue;
    if (bd[j] != 1) off += ik * stride;
    stride *= bd[j];
  }
  return off;
}

bool sj_rt_gemm(sj_dtype dt, const void *a, int ra, const int64_t *da, const void *b, int rb,
                const int64_t *db, void *c, int rc, const int64_t *dc) {
  if ((dt != SJ_F32 && dt != SJ_F64) || ra < 2 || rb < 2 || rc < 2) return false;
  int64_t m = da[ra - 2], k = da[ra - 1], n = db[rb - 1];
  if (db[rb - 2] != k || dc[rc - 2] != m || dc[rc - 1] != n) return false;
  int nb = rc - 2;
  if (nb > MAXB || ra - 2 > nb || rb - 2 > nb) return false;
  int64_t batches = 1;
  for (int i = 0; i < nb; i++) {
    int ja = ra - 2 - nb + i, jb = rb - 2 - nb + i;
    int64_t x = ja >= 0 ? da[ja] : 1, y = jb >= 0 ? db[jb] : 1;
    if ((x != dc[i] && x != 1) || (y != dc[i] && y != 1)) return false;
    batches *= dc[i];
  }
  if (m == 0 || n == 0) return true;
  for (int64_t t = 0; t < batches; t++) {
    int64_t oa = batch_offset(t, dc, nb, da, ra - 2, m * k), ob = batch_offset(t, dc, nb, db, rb - 2, k * n);
    if (k == 0) {
      memset((char *)c + (size_t)(t * m * n) * (dt == SJ_F32 ? 4 : 8), 0, (size_t)(m * n) * (dt == SJ_F32 ? 4 : 8));
      continue;
    }
    if (dt == SJ_F32)
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, (const float *)a + oa,
                  (int)k, (const float *)b + ob, (int)n, 0.0f, (float *)c + t * m * n, (int)n);
    else
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k, 1.0, (const double *)a + oa,
                  (int)k, (const double *)b + ob, (int)n, 0.0, (double *)c + t * m * n, (int)n);
  }
  return true;
}
