/* A GEMM whose B operand is packed once and reused: the per-step product of
 * a scan whose weight is a non-sequence (the LSTM's h_{t-1} @ W_hh), where
 * BLAS would repack W_hh on every step (40 % of OpenBLAS's time for
 * [32,256] @ [256,1024]; decision 0039). op(b) is packed into column panels
 * of NR floats (zero-padded past N) that each thread fills for its own
 * columns on first use; a register-tiled micro-kernel (MR rows x NR
 * columns of accumulators, plain C that the compiler vectorizes, built for
 * AVX-512 when the CPU has it) then reads a panel contiguously. Every
 * element of c is the same chain of fused multiply-adds over k whatever
 * the split, so results do not depend on the thread count. f32 only. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

#define MR 8  /* rows of a tile */
#define NR 32 /* columns of a tile and of a packed panel: two AVX-512 vectors */

struct sj_rt_gemm_pack {
  float *buf; /* panels: panel p is K x NR at buf + p * K * NR */
  size_t cap; /* floats allocated */
  const void *src;
  int64_t K, N;
  bool trans_b, valid;
};

sj_rt_gemm_pack *sj_rt_gemm_pack_new(void) { return calloc(1, sizeof(sj_rt_gemm_pack)); }

void sj_rt_gemm_pack_free(sj_rt_gemm_pack *p) {
  if (!p) return;
  free(p->buf);
  free(p);
}

void sj_rt_gemm_pack_invalidate(sj_rt_gemm_pack *p) {
  if (p) p->valid = false;
}

/* Panels [plo, phi) of op(b) (K x N; b is N x K when transposed). */
static void pack_panels(const sj_rt_gemm_pack *p, const float *b, int64_t plo, int64_t phi) {
  int64_t K = p->K, N = p->N;
  for (int64_t q = plo; q < phi; q++) {
    float *dst = p->buf + q * K * NR;
    int64_t n0 = q * NR, nr = N - n0 < NR ? N - n0 : NR;
    if (p->trans_b) { /* row n of b is column n of op(b): contiguous reads */
      for (int64_t j = 0; j < nr; j++)
        for (int64_t k = 0; k < K; k++) dst[k * NR + j] = b[(n0 + j) * K + k];
      for (int64_t j = nr; j < NR; j++)
        for (int64_t k = 0; k < K; k++) dst[k * NR + j] = 0;
    } else {
      for (int64_t k = 0; k < K; k++) {
        memcpy(dst + k * NR, b + k * N + n0, (size_t)nr * sizeof(float));
        memset(dst + k * NR + nr, 0, (size_t)(NR - nr) * sizeof(float));
      }
    }
  }
}

/* The operands of one call, as the tiles see them: element (i, k) of op(a)
 * is a[i * ars + k * aks]; z (beta != 0) has c's layout. */
typedef struct job {
  const float *a, *b, *z;
  float *c;
  int64_t ars, aks, M, N, K;
  float alpha, beta;
  sj_rt_gemm_pack *p;
  bool pack;
} job;

/* Sixteen floats (one AVX-512 register; two AVX ones, or four SSE ones,
 * where the CPU has no AVX-512: GCC's and Clang's vector extension, no
 * intrinsics); vfu reads and writes them at any float alignment. The file
 * is built with -ffp-contract=fast (CMakeLists.txt), so acc + x * y is one
 * fused multiply-add. */
typedef float vf __attribute__((vector_size(64)));
typedef float vfu __attribute__((vector_size(64), aligned(4)));
#define LD(p) (*(const vfu *)(const void *)(p))

/* One tile: rows [i, i + mr) of c, columns [n0, n0 + nr) with nr <= NR, from
 * panel bp. Inlined with mr constant and the row loops unrolled, so the
 * 2 mr accumulators stay in registers. */
static inline __attribute__((always_inline)) void tile(const job *j, int mr, int64_t i, int64_t n0, int64_t nr,
                                                       const float *restrict bp) {
  vf acc[MR][2];
#pragma GCC unroll 8
  for (int r = 0; r < mr; r++) acc[r][0] = acc[r][1] = (vf){0};
  const float *restrict a = j->a + i * j->ars;
  int64_t ars = j->ars, aks = j->aks;
  for (int64_t k = 0; k < j->K; k++) {
    vf b0 = LD(bp + k * NR), b1 = LD(bp + k * NR + 16);
#pragma GCC unroll 8
    for (int r = 0; r < mr; r++) {
      float av = a[r * ars + k * aks];
      acc[r][0] += av * b0;
      acc[r][1] += av * b1;
    }
  }
  float alpha = j->alpha, beta = j->beta;
#pragma GCC unroll 8
  for (int r = 0; r < mr; r++) {
    float *c = j->c + (i + r) * j->N + n0;
    const float *z = beta == 0 ? c : j->z + (i + r) * j->N + n0; /* z NULL when beta is 0 */
    vf c0 = alpha * acc[r][0], c1 = alpha * acc[r][1];
    if (nr == NR && beta == 0) {
      *(vfu *)(void *)c = c0, *(vfu *)(void *)(c + 16) = c1;
    } else if (nr == NR) { /* z may be c itself: each element is read before it is written */
      *(vfu *)(void *)c = c0 + beta * LD(z), *(vfu *)(void *)(c + 16) = c1 + beta * LD(z + 16);
    } else { /* the last panel's columns */
      float t[NR];
      memcpy(t, &c0, sizeof c0), memcpy(t + 16, &c1, sizeof c1);
      for (int64_t q = 0; q < nr; q++) c[q] = beta == 0 ? t[q] : t[q] + beta * z[q];
    }
  }
}

/* Panels [plo, phi) of c over all M rows: full tiles of MR rows, then the
 * remaining rows with a tile of that height. */
#define PANELS_BODY                                                                                                   \
  {                                                                                                                   \
    const job *j = env;                                                                                               \
    if (j->pack) pack_panels(j->p, j->b, plo, phi);                                                                   \
    for (int64_t q = plo; q < phi; q++) {                                                                             \
      const float *bp = j->p->buf + q * j->K * NR;                                                                    \
      int64_t n0 = q * NR, nr = j->N - n0 < NR ? j->N - n0 : NR, i = 0;                                              \
      for (; i + MR <= j->M; i += MR) tile(j, MR, i, n0, nr, bp);                                                     \
      switch (j->M - i) {                                                                                             \
      case 7: tile(j, 7, i, n0, nr, bp); break;                                                                       \
      case 6: tile(j, 6, i, n0, nr, bp); break;                                                                       \
      case 5: tile(j, 5, i, n0, nr, bp); break;                                                                       \
      case 4: tile(j, 4, i, n0, nr, bp); break;                                                                       \
      case 3: tile(j, 3, i, n0, nr, bp); break;                                                                       \
      case 2: tile(j, 2, i, n0, nr, bp); break;                                                                       \
      case 1: tile(j, 1, i, n0, nr, bp); break;                                                                       \
      default: break;                                                                                                 \
      }                                                                                                               \
    }                                                                                                                 \
  }

static void panels_generic(void *env, int64_t plo, int64_t phi) PANELS_BODY

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_AVX512_KERNEL 1
__attribute__((target("avx512f,avx512vl,fma"))) static void panels_avx512(void *env, int64_t plo, int64_t phi) PANELS_BODY
#endif

/* Below this many multiply-adds (a few microseconds) a product is call
 * overhead either way: BLAS keeps running it, so that a small loop's
 * results stay those of the same product outside a loop. */
#define PACKED_MIN_FLOPS 65536.0

bool sj_rt_gemm_packed_pays(int64_t M, int64_t N, int64_t K) {
  return (double)M * (double)N * (double)K >= PACKED_MIN_FLOPS;
}

bool sj_rt_gemm_packed_fast(void) {
#ifdef HAVE_AVX512_KERNEL
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

/* The largest op(a) the packed kernel takes (it stays in a core's L2). */
#define PACKED_MAX_A_BYTES (512.0 * 1024)

/* Below this many multiply-adds the product runs on the caller. */
#define PACKED_PARALLEL_FLOPS 2000000.0

bool sj_rt_gemm2d_packed(sj_pool *pool, const sj_rt_gemm_desc *d, sj_rt_gemm_pack *p) {
  int64_t M = d->M, N = d->N, K = d->K;
  if (d->dt != SJ_F32 || !p || M < 0 || N < 0 || K < 0 || M > INT_MAX || N > INT_MAX || K > INT_MAX) return false;
  if (d->alpha == 0 || K == 0 || M == 0 || N == 0) /* BLAS's conventions for these */
    return sj_rt_gemm2d_desc(pool, d);
  /* op(a) is read once per panel and not blocked: past a few hundred KiB it
   * would stream from memory N / 32 times, where BLAS blocks it */
  if ((double)M * (double)K * sizeof(float) > PACKED_MAX_A_BYTES) return sj_rt_gemm2d_desc(pool, d);
  int64_t npan = (N + NR - 1) / NR;
  if ((uint64_t)npan > SIZE_MAX / sizeof(float) / NR / (uint64_t)K) return false;
  size_t need = (size_t)npan * NR * (size_t)K;
  bool stale = !p->valid || p->src != d->b || p->K != K || p->N != N || p->trans_b != d->trans_b;
  if (stale && p->cap < need) {
    float *nb = malloc(need * sizeof(float));
    if (!nb) return sj_rt_gemm2d_desc(pool, d); /* no room to pack: BLAS repacks as before */
    free(p->buf);
    p->buf = nb, p->cap = need;
  }
  if (stale) p->src = d->b, p->K = K, p->N = N, p->trans_b = d->trans_b;
  job j = {.a = d->a, .b = d->b, .z = d->z, .c = d->c, .ars = d->trans_a ? 1 : K, .aks = d->trans_a ? M : 1,
           .M = M, .N = N, .K = K, .alpha = (float)d->alpha, .beta = d->z ? (float)d->beta : 0, .p = p, .pack = stale};
  sj_range_fn fn = panels_generic;
#ifdef HAVE_AVX512_KERNEL
  if (sj_rt_gemm_packed_fast()) fn = panels_avx512;
#endif
  bool big = (double)M * (double)N * (double)K >= PACKED_PARALLEL_FLOPS;
  /* column panels: each thread packs and keeps its own columns of op(b) */
  sj_pool_run(pool, fn, &j, 0, npan, big ? 2 : npan + 1, 1);
  p->valid = true;
  if (d->epilogue) sj_pool_run(pool, d->epilogue, d->epilogue_env, 0, M, big ? 32 : M + 1, 16);
  return true;
}
