/* Convolution by chunks of im2col columns + BLAS (decision 0041 §1): the
 * forward convolution and its two gradients for the executor's buffer-level
 * convolution op. Instead of writing a whole batch's im2col columns (LeNet's
 * second layer: 8 MB) and reading them back in a GEMM, the images are taken
 * a chunk at a time: the chunk's columns go to a per-thread buffer sized for
 * the L2 cache, one GEMM per group reads them while they are there, and the
 * result is copied out / scattered back (col2im) / handed to the caller's
 * epilogue right away. The shape alone fixes the chunks (cg_plan_of), never
 * the thread count, so the filter gradient, summed per fixed part of the
 * chunks and then over the parts in order, is bit-identical on any pool.
 * Scratch lives in the caller's sj_rt_conv_ws, grown on demand and reused.
 * This file owns the chunking, the threading and the BLAS calls; the copy
 * loops are in conv_im2col.h. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "blas_internal.h"
#include "blas_select.h" /* cblas_* through the loaded OpenBLAS */
#include "conv_gemm.h"
#include "runtime.h"
#include "support/checked.h"

/* The im2col block one thread keeps: a quarter of a 2 MiB L2 (this
 * machine's), leaving the rest to OpenBLAS's packed panels of w and the
 * output block. Measured (decision 0041 §1): 512 KiB gives LeNet conv2
 * 4 images per chunk and the 56x56 layer 4-row blocks, what conv_ref.c's
 * tuner picked; 1 MiB (8-row blocks) was no faster. */
#define COL_BUDGET_BYTES (512 * 1024)
/* A chunk takes images until its GEMM has this many columns: fewer (LeNet
 * conv2: 64 per image) run OpenBLAS's kernel on thin panels. */
#define MIN_GEMM_COLS 256
/* The filter gradient is summed per part of the chunks, the parts in order
 * at the end: at most this many parts (and so threads that share it), each
 * an O x C/g*KH*KW partial in ws. */
#define DW_PARTS 8
/* Below this many multiply-adds a call runs on the caller: a fork/join
 * costs more than it saves (as blas.c's GEMM_PARALLEL_FLOPS). */
#define PARALLEL_MACS 1000000.0

struct sj_rt_conv_ws {
  void *buf;     /* scratch: per-slot col and pack buffers, then dw parts */
  size_t cap;    /* bytes of buf */
  int64_t nb;    /* forced chunk (sj_rt_conv_ws_set_chunks); 0: by shape */
  int64_t rows;
};

sj_rt_conv_ws *sj_rt_conv_ws_new(void) { return calloc(1, sizeof(sj_rt_conv_ws)); }

void sj_rt_conv_ws_free(sj_rt_conv_ws *ws) {
  if (!ws) return;
  free(ws->buf);
  free(ws);
}

void sj_rt_conv_ws_set_chunks(sj_rt_conv_ws *ws, int64_t nb, int64_t rows) {
  ws->nb = nb > 0 ? nb : 0;
  ws->rows = rows > 0 ? rows : 0;
}

/* ---- geometry ---- */

/* The geometry with what the loops derive from it. */
typedef struct cg_dims {
  int64_t N, C, H, W, O, KH, KW, OH, OW, sh, sw, dh, dw, pt, pl, groups;
  int64_t HW, P;  /* H*W, OH*OW */
  int64_t K, Og;  /* rows of col per group (C/g*KH*KW), filters per group */
  int64_t CKK;    /* rows of col: C*KH*KW */
  bool dense;     /* stride 1, no padding read: im2col is a block copy */
} cg_dims;

/* The output columns [lo, hi) whose input column ow*sw + off lies in [0, W). */
static void cg_valid_cols(int64_t off, int64_t sw, int64_t W, int64_t OW, int64_t *lo, int64_t *hi) {
  int64_t a = off >= 0 ? 0 : (-off + sw - 1) / sw;
  int64_t b = W - 1 - off < 0 ? 0 : (W - 1 - off) / sw + 1;
  *lo = a < OW ? a : OW;
  *hi = b < *lo ? *lo : (b < OW ? b : OW);
}

/* Fills d from g; false when g breaks its contract (a negative size or
 * padding, stride/dilation/groups < 1, groups not dividing C and O) or a
 * size that CBLAS's int or memory cannot hold (x, w, y must be arrays that
 * can exist, and each scalar at most INT_MAX, so no index below overflows). */
static bool cg_dims_of(const sj_rt_conv_geom *g, size_t es, cg_dims *d) {
  const int64_t v[] = {g->N, g->C, g->H, g->W, g->O, g->KH, g->KW, g->OH, g->OW, g->pt, g->pl};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    if (v[i] < 0 || v[i] > INT_MAX) return false;
  const int64_t pos[] = {g->sh, g->sw, g->dh, g->dw, g->groups};
  for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++)
    if (pos[i] < 1 || pos[i] > INT_MAX) return false;
  if (g->C % g->groups || g->O % g->groups) return false;
  size_t bytes;
  if (!sj_shape_bytes((int64_t[]){g->N, g->C, g->H, g->W}, 4, es, &bytes) ||
      !sj_shape_bytes((int64_t[]){g->O, g->C / g->groups, g->KH, g->KW}, 4, es, &bytes) ||
      !sj_shape_bytes((int64_t[]){g->N, g->O, g->OH, g->OW}, 4, es, &bytes) ||
      !sj_shape_bytes((int64_t[]){g->C, g->KH, g->KW, g->OH, g->OW}, 5, es, &bytes))
    return false;
  *d = (cg_dims){.N = g->N, .C = g->C, .H = g->H, .W = g->W, .O = g->O, .KH = g->KH, .KW = g->KW, .OH = g->OH,
                 .OW = g->OW, .sh = g->sh, .sw = g->sw, .dh = g->dh, .dw = g->dw, .pt = g->pt, .pl = g->pl,
                 .groups = g->groups};
  d->HW = d->H * d->W, d->P = d->OH * d->OW;
  d->K = d->C / d->groups * d->KH * d->KW, d->Og = d->O / d->groups, d->CKK = d->C * d->KH * d->KW;
  if (d->P > INT_MAX || d->K > INT_MAX) return false;
  d->dense = d->sh == 1 && d->sw == 1 && d->pt == 0 && d->pl == 0 && d->OH > 0 && d->OW > 0 &&
             (d->KH == 0 || d->OH - 1 + d->dh * (d->KH - 1) < d->H) &&
             (d->KW == 0 || d->OW - 1 + d->dw * (d->KW - 1) < d->W);
  return true;
}

/* ---- the plan: chunks and scratch ---- */

/* im2col / col2im (conv_im2col.h): x or col, images, output rows [oh0, oh1), col or dx */
typedef void (*cg_im2col_fn)(const cg_dims *, const void *, int64_t, int64_t, int64_t, void *);
typedef void (*cg_col2im_fn)(const cg_dims *, const void *, int64_t, int64_t, int64_t, void *);
static void cg_copy_fns(size_t es, cg_im2col_fn *im2col, cg_col2im_fn *col2im);

typedef struct cg_plan {
  cg_dims d;
  size_t es;
  int64_t nb;         /* images per chunk */
  int64_t rows;       /* output rows per GEMM block (< OH only when nb == 1) */
  int64_t chunks;     /* ceil(N / nb) */
  int64_t parts;      /* filter gradient: parts of the chunks, min(chunks, DW_PARTS) */
  size_t col_bytes;   /* per slot: [C*KH*KW, nb*rows*OW] */
  size_t pack_bytes;  /* per slot: [O, nb*P] when nb > 1 (the GEMM's output or gy's chunk) */
  cg_im2col_fn im2col; /* for es on this CPU */
  cg_col2im_fn col2im;
} cg_plan;

/* The chunk rule (decision 0041 §1): images whose columns fit the budget
 * are taken together until the GEMM is MIN_GEMM_COLS wide; an image whose
 * columns do not fit goes by blocks of output rows that do. */
static void cg_chunks(const cg_dims *d, size_t es, int64_t *nb, int64_t *rows) {
  const double img = (double)d->CKK * (double)d->P * (double)es, row = (double)d->CKK * (double)d->OW * (double)es;
  *nb = 1, *rows = d->OH;
  if (img > COL_BUDGET_BYTES) {
    int64_t r = (int64_t)(COL_BUDGET_BYTES / row);
    *rows = r < 1 ? 1 : r < d->OH ? r : d->OH;
    return;
  }
  if (d->P > 0 && d->P < MIN_GEMM_COLS) *nb = (MIN_GEMM_COLS + d->P - 1) / d->P;
  while (*nb > 1 && (double)*nb * img > COL_BUDGET_BYTES) --*nb;
  if (*nb > d->N) *nb = d->N > 1 ? d->N : 1;
}

static bool cg_plan_of(const sj_rt_conv_geom *g, sj_dtype dt, const sj_rt_conv_ws *ws, cg_plan *p) {
  p->es = sj_dtype_size(dt);
  if (!cg_dims_of(g, p->es, &p->d)) return false;
  cg_copy_fns(p->es, &p->im2col, &p->col2im);
  const cg_dims *d = &p->d;
  cg_chunks(d, p->es, &p->nb, &p->rows);
  if (ws && ws->nb) p->nb = ws->nb < d->N ? ws->nb : d->N > 1 ? d->N : 1, p->rows = d->OH;
  if (ws && ws->rows && p->nb == 1) p->rows = ws->rows < d->OH ? ws->rows : d->OH;
  if (p->rows < 1) p->rows = 1; /* OH == 0: no blocks run */
  p->chunks = (d->N + p->nb - 1) / p->nb;
  p->parts = p->chunks < DW_PARTS ? p->chunks : DW_PARTS;
  /* the GEMMs' int arguments: column counts nb*P (leading dims) */
  int64_t cols;
  if (!sj_mul_i64(p->nb, d->P, &cols) || cols > INT_MAX) return false;
  size_t bytes;
  if (!sj_shape_bytes((int64_t[]){d->CKK, p->nb, p->rows, d->OW}, 4, p->es, &p->col_bytes) ||
      !sj_shape_bytes((int64_t[]){d->O, cols}, 2, p->es, &bytes))
    return false;
  p->pack_bytes = p->nb > 1 ? bytes : 0;
  p->col_bytes = (p->col_bytes + 63) & ~(size_t)63, p->pack_bytes = (p->pack_bytes + 63) & ~(size_t)63;
  return true;
}

/* Slots (threads) a call of `units` units of `macs` multiply-adds uses. */
static int64_t cg_slots(sj_pool *pool, int64_t units, double macs) {
  int64_t t = pool ? sj_pool_size(pool) : 1;
  if (macs < PARALLEL_MACS) t = 1;
  return t < units ? t : units > 0 ? units : 1;
}

/* ws's buffer grown to `bytes` at least (contents not kept); false when
 * it cannot be allocated. */
static bool cg_reserve(sj_rt_conv_ws *ws, size_t bytes) {
  if (bytes <= ws->cap && ws->buf) return true;
  free(ws->buf);
  ws->cap = 0;
  if (!(ws->buf = sj_rt_alloc(bytes, NULL, 0))) return false;
  ws->cap = bytes;
  return true;
}

/* ---- type-generic pieces ---- */

/* The copy loops are compiled three times: for AVX-512, AVX2 and the
 * baseline, picked by the CPU at run time (the library is built for the
 * baseline; at -O2 and SSE2 LeNet conv1's input gradient ran at 0.73 of
 * conv_ref's -O3 -march=native, decision 0041 §1). */
#define CT float
#define CATTR __attribute__((optimize("O3", "no-tree-loop-distribute-patterns"), target("avx512f,avx512vl,fma,prefer-vector-width=256")))
#define CFN(name) name##_f32_avx512
#include "conv_im2col.h"
#undef CATTR
#undef CFN
#define CATTR __attribute__((optimize("O3", "no-tree-loop-distribute-patterns"), target("avx2,fma")))
#define CFN(name) name##_f32_avx2
#include "conv_im2col.h"
#undef CATTR
#undef CFN
#define CATTR __attribute__((optimize("O3", "no-tree-loop-distribute-patterns")))
#define CFN(name) name##_f32
#include "conv_im2col.h"
#undef CATTR
#undef CFN
#undef CT
#define CT double
#define CATTR __attribute__((optimize("O3", "no-tree-loop-distribute-patterns"), target("avx512f,avx512vl,fma,prefer-vector-width=256")))
#define CFN(name) name##_f64_avx512
#include "conv_im2col.h"
#undef CATTR
#undef CFN
#define CATTR __attribute__((optimize("O3", "no-tree-loop-distribute-patterns"), target("avx2,fma")))
#define CFN(name) name##_f64_avx2
#include "conv_im2col.h"
#undef CATTR
#undef CFN
#define CATTR __attribute__((optimize("O3", "no-tree-loop-distribute-patterns")))
#define CFN(name) name##_f64
#include "conv_im2col.h"
#undef CATTR
#undef CFN
#undef CT

/* The copy loops for elements of es bytes on this CPU. */
static void cg_copy_fns(size_t es, cg_im2col_fn *im2col, cg_col2im_fn *col2im) {
  const int isa = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") ? 2
                  : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")      ? 1
                                                                                         : 0;
#define CG_PICK(suffix) (*im2col = im2col_##suffix, *col2im = col2im_##suffix)
  if (es == 4) isa == 2 ? CG_PICK(f32_avx512) : isa == 1 ? CG_PICK(f32_avx2) : CG_PICK(f32);
  else isa == 2 ? CG_PICK(f64_avx512) : isa == 1 ? CG_PICK(f64_avx2) : CG_PICK(f64);
#undef CG_PICK
}

static void cg_im2col(const cg_plan *p, const char *x, int64_t nb, int64_t oh0, int64_t oh1, char *col) {
  p->im2col(&p->d, x, nb, oh0, oh1, col);
}

static void cg_col2im(const cg_plan *p, const char *col, int64_t nb, int64_t oh0, int64_t oh1, char *dx) {
  p->col2im(&p->d, col, nb, oh0, oh1, dx);
}

/* c = op(a) @ op(b) (+ c when acc), row-major; every size fits an int
 * (cg_plan_of) and is positive (the callers skip empty products). */
static void cg_gemm(size_t es, bool ta, bool tb, int64_t m, int64_t n, int64_t k, const char *a, int64_t lda,
                    const char *b, int64_t ldb, bool acc, char *c, int64_t ldc) {
  CBLAS_TRANSPOSE TA = ta ? CblasTrans : CblasNoTrans, TB = tb ? CblasTrans : CblasNoTrans;
  if (es == 4)
    cblas_sgemm(CblasRowMajor, TA, TB, (int)m, (int)n, (int)k, 1.0f, (const float *)a, (int)lda, (const float *)b,
                (int)ldb, acc ? 1.0f : 0.0f, (float *)c, (int)ldc);
  else
    cblas_dgemm(CblasRowMajor, TA, TB, (int)m, (int)n, (int)k, 1.0, (const double *)a, (int)lda, (const double *)b,
                (int)ldb, acc ? 1.0 : 0.0, (double *)c, (int)ldc);
}

/* y chunk [nb][O][P] from the GEMM's [O][nb][P] */
static void cg_unpack(const cg_plan *p, const char *src, int64_t nb, char *y) {
  const size_t row = (size_t)p->d.P * p->es;
  for (int64_t i = 0; i < nb; i++)
    for (int64_t o = 0; o < p->d.O; o++) memcpy(y + (size_t)(i * p->d.O + o) * row, src + (size_t)(o * nb + i) * row, row);
}

/* [O][nb][P] from gy's chunk [nb][O][P]: the GEMM operand of a chunk */
static void cg_pack(const cg_plan *p, const char *gy, int64_t nb, char *dst) {
  const size_t row = (size_t)p->d.P * p->es;
  for (int64_t i = 0; i < nb; i++)
    for (int64_t o = 0; o < p->d.O; o++) memcpy(dst + (size_t)(o * nb + i) * row, gy + (size_t)(i * p->d.O + o) * row, row);
}

/* ---- the three directions, one unit of work each ---- */

typedef struct cg_job cg_job;
/* Runs unit u with this slot's scratch. */
typedef void (*cg_unit_fn)(const cg_job *j, int64_t u, char *col, char *pack);

struct cg_job {
  const cg_plan *p;
  const char *x, *w, *gy;
  char *out;             /* y, dx or dw */
  char *parts;           /* filter gradient: parts 1 .. parts-1 (part 0 is dw) */
  sj_range_fn epilogue;  /* forward only */
  void *env;
  cg_unit_fn unit;
  int64_t units, slots;
  char *scratch;         /* slot t: col at t * slot_bytes, then pack */
  size_t slot_bytes;
};

/* Images [*n0, *n0 + *nb) of chunk c. */
static void cg_chunk(const cg_plan *p, int64_t c, int64_t *n0, int64_t *nb) {
  *n0 = c * p->nb;
  *nb = p->d.N - *n0 < p->nb ? p->d.N - *n0 : p->nb;
}

/* y's chunk = w @ col, per group and row block; one image: the GEMM
 * writes y directly; more: into pack, then copied out while in cache. */
static void fwd_unit(const cg_job *j, int64_t c, char *col, char *pack) {
  const cg_plan *p = j->p;
  const cg_dims *d = &p->d;
  const size_t es = p->es;
  int64_t n0, nb;
  cg_chunk(p, c, &n0, &nb);
  char *y = j->out + (size_t)(n0 * d->O * d->P) * es;
  if (d->O * d->P > 0 && d->K == 0) memset(y, 0, (size_t)(nb * d->O * d->P) * es);
  if (d->O * d->P > 0 && d->K > 0) {
    const bool direct = nb == 1;
    const int64_t ldc = direct ? d->P : nb * d->P;
    char *dst = direct ? y : pack;
    for (int64_t oh0 = 0; oh0 < d->OH; oh0 += p->rows) {
      const int64_t oh1 = oh0 + p->rows < d->OH ? oh0 + p->rows : d->OH, bc = nb * (oh1 - oh0) * d->OW;
      cg_im2col(p, j->x + (size_t)(n0 * d->C * d->HW) * es, nb, oh0, oh1, col);
      for (int64_t g = 0; g < d->groups; g++)
        cg_gemm(es, false, false, d->Og, bc, d->K, j->w + (size_t)(g * d->Og * d->K) * es, d->K,
                col + (size_t)(g * d->K * bc) * es, bc, false, dst + (size_t)(g * d->Og * ldc + oh0 * d->OW) * es, ldc);
    }
    if (!direct) cg_unpack(p, pack, nb, y);
  }
  if (j->epilogue) j->epilogue(j->env, n0, n0 + nb);
}

/* The chunk's gy as the GEMM operand [O][nb*P]: gy itself for one image. */
static const char *cg_chunk_gy(const cg_job *j, int64_t n0, int64_t nb, char *pack, int64_t *ld) {
  const cg_plan *p = j->p;
  const char *gy = j->gy + (size_t)(n0 * p->d.O * p->d.P) * p->es;
  *ld = nb * p->d.P;
  if (nb == 1) return gy;
  cg_pack(p, gy, nb, pack);
  return pack;
}

/* dx's chunk = col2im(w^T @ gy), per group and row block, dx zeroed first. */
static void dx_unit(const cg_job *j, int64_t c, char *col, char *pack) {
  const cg_plan *p = j->p;
  const cg_dims *d = &p->d;
  const size_t es = p->es;
  int64_t n0, nb, ld;
  cg_chunk(p, c, &n0, &nb);
  char *dx = j->out + (size_t)(n0 * d->C * d->HW) * es;
  memset(dx, 0, (size_t)(nb * d->C * d->HW) * es);
  if (d->K == 0 || d->Og == 0 || d->P == 0) return;
  const char *G = cg_chunk_gy(j, n0, nb, pack, &ld);
  for (int64_t oh0 = 0; oh0 < d->OH; oh0 += p->rows) {
    const int64_t oh1 = oh0 + p->rows < d->OH ? oh0 + p->rows : d->OH, bc = nb * (oh1 - oh0) * d->OW;
    for (int64_t g = 0; g < d->groups; g++)
      cg_gemm(es, true, false, d->K, bc, d->Og, j->w + (size_t)(g * d->Og * d->K) * es, d->K,
              G + (size_t)(g * d->Og * ld + oh0 * d->OW) * es, ld, false, col + (size_t)(g * d->K * bc) * es, bc);
    cg_col2im(p, col, nb, oh0, oh1, dx);
  }
}

/* Part u of the filter gradient: the sum over its chunks (in order) of
 * gy @ col^T, per group and row block, into dw (part 0) or its buffer. */
static void dw_unit(const cg_job *j, int64_t u, char *col, char *pack) {
  const cg_plan *p = j->p;
  const cg_dims *d = &p->d;
  const size_t es = p->es;
  char *dst = u == 0 ? j->out : j->parts + (size_t)((u - 1) * d->O * d->K) * es;
  bool acc = false;
  for (int64_t c = p->chunks * u / p->parts; c < p->chunks * (u + 1) / p->parts; c++) {
    int64_t n0, nb, ld;
    cg_chunk(p, c, &n0, &nb);
    const char *G = cg_chunk_gy(j, n0, nb, pack, &ld);
    for (int64_t oh0 = 0; oh0 < d->OH; oh0 += p->rows) {
      const int64_t oh1 = oh0 + p->rows < d->OH ? oh0 + p->rows : d->OH, bc = nb * (oh1 - oh0) * d->OW;
      cg_im2col(p, j->x + (size_t)(n0 * d->C * d->HW) * es, nb, oh0, oh1, col);
      for (int64_t g = 0; g < d->groups; g++)
        cg_gemm(es, false, true, d->Og, d->K, bc, G + (size_t)(g * d->Og * ld + oh0 * d->OW) * es, ld,
                col + (size_t)(g * d->K * bc) * es, bc, acc, dst + (size_t)(g * d->Og * d->K) * es, d->K);
      acc = true;
    }
  }
}

/* Slots [lo, hi): slot t runs its contiguous share of the units with its
 * own scratch. */
static void cg_run_slots(void *env, int64_t lo, int64_t hi) {
  const cg_job *j = env;
  for (int64_t t = lo; t < hi; t++) {
    char *col = j->scratch + (size_t)t * j->slot_bytes, *pack = col + j->p->col_bytes;
    for (int64_t u = j->units * t / j->slots; u < j->units * (t + 1) / j->slots; u++) j->unit(j, u, col, pack);
  }
}

/* Reserves the scratch of j->slots slots plus `extra` bytes (after them, at
 * *extra_at) and runs the units over the pool. */
static bool cg_run(sj_pool *pool, sj_rt_conv_ws *ws, cg_job *j, size_t extra, char **extra_at) {
  size_t slots_bytes, total;
  j->slot_bytes = j->p->col_bytes + j->p->pack_bytes;
  if (!sj_mul_size(j->slot_bytes, (size_t)j->slots, &slots_bytes) || !sj_add_size(slots_bytes, extra, &total) ||
      !cg_reserve(ws, total))
    return false;
  j->scratch = ws->buf;
  if (extra_at) *extra_at = (char *)ws->buf + slots_bytes;
  sj_rt_blas_single_thread(); /* always, as sj_rt_gemm2d: a serial call is one thread too */
  sj_pool_run(pool, cg_run_slots, j, 0, j->slots, 2, 1);
  return true;
}

static double cg_macs(const cg_dims *d) { return (double)d->N * (double)d->O * (double)d->P * (double)d->K; }

/* The checks every direction starts with: dtype, BLAS, geometry. */
static bool cg_begin(sj_rt_conv_ws *ws, sj_dtype dt, const sj_rt_conv_geom *g, cg_plan *p) {
  if ((dt != SJ_F32 && dt != SJ_F64) || !ws || !g) return false;
  if (!sj_rt_blas()) return false; /* no OpenBLAS: sj_blas_info() says why */
  return cg_plan_of(g, dt, ws, p);
}

bool sj_rt_conv_forward(sj_pool *pool, sj_rt_conv_ws *ws, sj_dtype dt, const sj_rt_conv_geom *g, const void *x,
                        const void *w, void *y, sj_range_fn epilogue, void *env) {
  cg_plan p;
  if (!cg_begin(ws, dt, g, &p)) return false;
  if (p.d.N == 0) return true;
  if (p.d.O * p.d.P == 0 || p.d.K == 0) p.col_bytes = p.pack_bytes = 0; /* no GEMM: no scratch */
  cg_job j = {.p = &p, .x = x, .w = w, .out = y, .epilogue = epilogue, .env = env, .unit = fwd_unit,
              .units = p.chunks, .slots = cg_slots(pool, p.chunks, cg_macs(&p.d))};
  return cg_run(pool, ws, &j, 0, NULL);
}

bool sj_rt_conv_input_grad(sj_pool *pool, sj_rt_conv_ws *ws, sj_dtype dt, const sj_rt_conv_geom *g, const void *gy,
                           const void *w, void *dx) {
  cg_plan p;
  if (!cg_begin(ws, dt, g, &p)) return false;
  if (p.d.N == 0) return true;
  if (p.d.K == 0 || p.d.Og == 0 || p.d.P == 0) p.col_bytes = p.pack_bytes = 0; /* dx = 0: no scratch */
  cg_job j = {.p = &p, .w = w, .gy = gy, .out = dx, .unit = dx_unit, .units = p.chunks,
              .slots = cg_slots(pool, p.chunks, cg_macs(&p.d))};
  return cg_run(pool, ws, &j, 0, NULL);
}

bool sj_rt_conv_filter_grad(sj_pool *pool, sj_rt_conv_ws *ws, sj_dtype dt, const sj_rt_conv_geom *g, const void *x,
                            const void *gy, void *dw) {
  cg_plan p;
  if (!cg_begin(ws, dt, g, &p)) return false;
  const cg_dims *d = &p.d;
  const size_t nw = (size_t)(d->O * d->K), part = nw * p.es;
  if (nw == 0) return true;
  if (d->N == 0 || d->P == 0) { /* no products: a zero gradient */
    memset(dw, 0, part);
    return true;
  }
  cg_job j = {.p = &p, .x = x, .gy = gy, .out = dw, .unit = dw_unit, .units = p.parts,
              .slots = cg_slots(pool, p.parts, cg_macs(d))};
  size_t extra; /* parts 1 .. parts-1 after the slots (cg_run sets j.parts before the units run) */
  if (!sj_mul_size(part, (size_t)(p.parts - 1), &extra) || !cg_run(pool, ws, &j, extra, &j.parts)) return false;
  for (int64_t u = 1; u < p.parts; u++) { /* in part order, whatever the threads: the same bits */
    const char *src = j.parts + (size_t)(u - 1) * part;
    if (p.es == 4)
      for (size_t i = 0; i < nw; i++) ((float *)dw)[i] += ((const float *)src)[i];
    else
      for (size_t i = 0; i < nw; i++) ((double *)dw)[i] += ((const double *)src)[i];
  }
  return true;
}

bool sj_rt_conv_chunks(const sj_rt_conv_geom *g, sj_dtype dt, int64_t *nb, int64_t *rows) {
  cg_plan p;
  if ((dt != SJ_F32 && dt != SJ_F64) || !cg_plan_of(g, dt, NULL, &p)) return false;
  *nb = p.nb, *rows = p.rows;
  return true;
}
