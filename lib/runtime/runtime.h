/* Runtime internals used by the executor and by JIT-compiled kernels:
 * the thread pool and BLAS calls. Only plain C types cross this boundary. */
#ifndef SJ_RUNTIME_H
#define SJ_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "symjit/tensor.h"

/* ---- memory ---- */

/* RAM + swap in bytes (at most SJ_MAX_ARRAY_BYTES of lib/support/checked.h):
 * no single array larger than this can be zero-filled. */
size_t sj_rt_memory_limit(void);
/* `bytes` of zeroed memory, 64-byte aligned, rounded up to 64 bytes (a
 * 0-byte request gets 64 bytes, so the pointer is never NULL on success);
 * free with free(). NULL on failure, with a message saying why in err (if
 * non-NULL, up to cap bytes): more than sj_rt_memory_limit(), or malloc
 * failed. Size the request with sj_tensor_check_shape first: it refuses
 * shapes whose byte count overflows. */
void *sj_rt_alloc(size_t bytes, char *err, size_t cap);
/* Formats a message into err (cap bytes; err NULL or cap 0: none) and
 * returns st: the runtime's one way to report a failure with a message. */
sj_status sj_rt_err(char *err, size_t cap, sj_status st, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- exact integer elements ---- */

/* Element i of an integer or bool tensor as an exact int64 (sj_tensor_get
 * goes through double, which rounds i64 values beyond 2^53). False, *v
 * untouched, for a float dtype, a NULL tensor or i outside [0, numel). */
bool sj_rt_get_int(const sj_tensor *t, int64_t i, int64_t *v);
/* Stores v exactly into an i64 tensor; i8/i32 saturate, bool stores
 * v != 0, float dtypes get v rounded to the dtype. False (nothing written)
 * for a NULL tensor or i outside [0, numel). */
bool sj_rt_set_int(sj_tensor *t, int64_t i, int64_t v);

/* ---- thread pool ---- */

typedef struct sj_pool sj_pool;
/* Body of a parallel loop: runs iterations [lo, hi). Must be re-entrant. */
typedef void (*sj_range_fn)(void *env, int64_t lo, int64_t hi);

/* A pool of `nthreads` threads in all (the caller counts as one, so
 * nthreads-1 workers are started; nthreads <= 0 means the number of online
 * CPUs). NULL on failure. */
sj_pool *sj_pool_new(int nthreads);
void sj_pool_free(sj_pool *p); /* joins the workers; NULL ok */
int sj_pool_size(const sj_pool *p);
/* Runs fn over [lo, hi) split into at most size(p) contiguous chunks, each a
 * multiple of `align` iterations except the last; returns when all are done.
 * Runs serially on the caller when the range is shorter than `min_parallel`
 * iterations, when p is NULL or has one thread, or when called from inside
 * a pool task (no nested parallelism). Spins briefly before sleeping, since
 * condvar wake-ups cost ~40 us on these machines. */
void sj_pool_run(sj_pool *p, sj_range_fn fn, void *env, int64_t lo, int64_t hi,
                 int64_t min_parallel, int64_t align);

/* Called by JIT-compiled kernels for a top-level parallel_for: `pool` is the
 * sj_pool* the kernel was given (NULL: serial). */
void sj_rt_parallel_for(void *pool, sj_range_fn fn, void *env, int64_t lo, int64_t hi,
                        int64_t min_parallel, int64_t align);

/* ---- BLAS ---- */

/* c = a @ b for row-major f32/f64 buffers of shapes a [batch..., m, k],
 * b [batch..., k, n], c [batch..., m, n], with numpy-broadcast batch dims
 * (a rank-2 operand is shared by all batches). Ranks and dims are given
 * explicitly. Returns false (and does nothing) for unsupported dtypes or
 * mismatched dims. */
bool sj_rt_gemm(sj_dtype dt, const void *a, int ra, const int64_t *da, const void *b, int rb,
                const int64_t *db, void *c, int rc, const int64_t *dc);
/* c = op(a) @ op(b) for 2-D row-major f32/f64 (a [M,K] or, transposed,
 * [K,M]; b [K,N] or [N,K]), split into row or column panels on `pool`
 * (sj_rt_gemm_split_cols), each a single-threaded BLAS call. The first call sets OpenBLAS to one thread: its
 * own pool and ours spinning on the same cores made training steps 3x slower
 * (bench/RESULTS.md). Returns false for unsupported dtypes or sizes. */
bool sj_rt_gemm2d(sj_pool *pool, sj_dtype dt, const void *a, bool trans_a, const void *b, bool trans_b, void *c,
                  int64_t M, int64_t N, int64_t K);

/* One 2-D gemm with its accumulation and epilogue (the buffer-level `gemm`
 * op): c = alpha * op(a) @ op(b) + beta * z, where z (M x N) may be c itself
 * (in place) or another buffer, whose rows are copied into c panel by panel
 * right before that panel's BLAS call; beta == 0 never reads z or c (BLAS
 * semantics). `epilogue`, when set, runs on row panels [lo, hi) of c: with
 * row panels on the thread that computed each one, right after its BLAS
 * call, while the panel is in cache; with column panels after all of them,
 * split over the pool by rows. */
typedef struct sj_rt_gemm_desc {
  sj_dtype dt;
  const void *a, *b, *z;
  void *c;
  bool trans_a, trans_b;
  double alpha, beta;
  int64_t M, N, K;
  sj_range_fn epilogue;
  void *epilogue_env;
} sj_rt_gemm_desc;
/* Split into panels on `pool` as sj_rt_gemm2d; false (nothing run) for
 * unsupported dtypes or sizes. */
bool sj_rt_gemm2d_desc(sj_pool *pool, const sj_rt_gemm_desc *d);
/* True when sj_rt_gemm2d_desc splits a product big enough to split over
 * `threads` into column panels (then the epilogue runs after all of them,
 * split by rows) rather than row panels. */
bool sj_rt_gemm_split_cols(int64_t M, int64_t N, int threads);
/* A GEMM whose op(b) is packed once and reused while it does not change
 * (the per-step product of a scan with a non-sequence weight; gemm_packed.c,
 * decision 0039). The caller invalidates the pack when b's data may have
 * changed (a new run of the loop); a call also repacks when b, its shape or
 * trans_b differ from the packed ones. */
typedef struct sj_rt_gemm_pack sj_rt_gemm_pack;
sj_rt_gemm_pack *sj_rt_gemm_pack_new(void); /* NULL: out of memory */
void sj_rt_gemm_pack_free(sj_rt_gemm_pack *p); /* NULL ok */
void sj_rt_gemm_pack_invalidate(sj_rt_gemm_pack *p);
/* True when this CPU runs the packed kernel (AVX-512) faster than BLAS. */
bool sj_rt_gemm_packed_fast(void);
/* True when an M x N x K product is big enough for the pack to pay (the
 * executor's choice; sj_rt_gemm2d_packed itself takes any size). */
bool sj_rt_gemm_packed_pays(int64_t M, int64_t N, int64_t K);
/* c = alpha op(a) @ op(b) + beta z as sj_rt_gemm2d_desc (epilogue after,
 * by rows), split over `pool` by column panels, with op(b) read from p
 * (packed from d->b first when stale). f32 only; false (nothing run) for
 * other dtypes or sizes; BLAS (sj_rt_gemm2d_desc) when packing cannot
 * allocate, and for an op(a) over 512 KiB (the kernel does not block it). */
bool sj_rt_gemm2d_packed(sj_pool *pool, const sj_rt_gemm_desc *d, sj_rt_gemm_pack *p);
/* sj_rt_gemm with alpha and beta: c = alpha * a @ b + beta * z, z shaped as
 * c (z == c: in place; NULL or beta == 0: not read). */
bool sj_rt_gemm_acc(sj_dtype dt, const void *a, int ra, const int64_t *da, const void *b, int rb, const int64_t *db,
                    void *c, int rc, const int64_t *dc, double alpha, double beta, const void *z);
/* sj_rt_gemm_acc with the batches split over `pool` (NULL: serial), each
 * a single-threaded BLAS call (as sj_rt_gemm2d; small products run on the
 * caller): the per-image gemms of a convolution (passes/lower-conv.c). */
bool sj_rt_gemm_batched(sj_pool *pool, sj_dtype dt, const void *a, int ra, const int64_t *da, const void *b, int rb,
                        const int64_t *db, void *c, int rc, const int64_t *dc, double alpha, double beta, const void *z);
/* sj_rt_gemm_batched with an epilogue (NULL: none) over c's dim 0: run on
 * [i, i+1) by the thread that computed the batches of c[i], right after
 * them, while they are in cache (the bias, activation and pooling after a
 * convolution's per-image gemm; passes/gemm-epilogue.c). */
bool sj_rt_gemm_batched_epi(sj_pool *pool, sj_dtype dt, const void *a, int ra, const int64_t *da, const void *b,
                            int rb, const int64_t *db, void *c, int rc, const int64_t *dc, double alpha, double beta,
                            const void *z, sj_range_fn epilogue, void *epilogue_env);

/* ---- convolution by chunks of im2col columns + BLAS (conv_gemm.c, decision 0041) ----
 * The buffer-level convolution op's kernels. The images are taken a chunk
 * at a time (a chunk size fixed by the shape: a few images whose im2col
 * columns fit a per-thread buffer in L2, or one image by blocks of output
 * rows), im2col'ed into that buffer and multiplied by BLAS while the
 * columns are in cache; chunks are split over `pool` (NULL: serial), each
 * thread with its own scratch in `ws` and single-threaded BLAS calls.
 * All three take dt SJ_F32 or SJ_F64, x/gy/w/y/dx/dw contiguous row-major
 * in dt, and return false (nothing useful written) ONLY for another dtype,
 * BLAS unavailable (sj_rt_blas()), a size past CBLAS's int (or a geometry
 * breaking the contract below), or scratch that cannot be allocated (the
 * caller reports "out of memory"); they never abort or print. N = 0 and
 * every other zero size work. */
typedef struct sj_rt_conv_geom {
  int64_t N, C, H, W;             /* input x [N, C, H, W] */
  int64_t O, KH, KW;              /* filters w [O, C/groups, KH, KW] */
  int64_t OH, OW;                 /* output y [N, O, OH, OW] */
  int64_t sh, sw, dh, dw, pt, pl; /* stride, dilation, padding before rows/cols (the padding
                                     after is whatever OH, OW imply; positions outside x read 0) */
  int64_t groups;                 /* divides C and O */
} sj_rt_conv_geom;
/* Scratch kept between calls (per op of a function): the per-thread im2col
 * buffers and filter-gradient partials, grown on demand and reused, so a
 * call does not allocate (glibc mmaps blocks over 128 KiB: a malloc per call
 * would page-fault every time). A function's calls are serialized: no lock. */
typedef struct sj_rt_conv_ws sj_rt_conv_ws;
sj_rt_conv_ws *sj_rt_conv_ws_new(void);     /* NULL: out of memory */
void sj_rt_conv_ws_free(sj_rt_conv_ws *ws); /* NULL ok */
/* y = conv(x, w); then epilogue(env, n0, n1) on image rows [n0, n1) of y once they are final,
 * on the thread that computed them (NULL: none); every n in [0, N) is covered exactly once
 * (also when O, OH or OW is 0, or C/groups is 0: y is then zeros/empty). */
bool sj_rt_conv_forward(sj_pool *pool, sj_rt_conv_ws *ws, sj_dtype dt, const sj_rt_conv_geom *g,
                        const void *x, const void *w, void *y, sj_range_fn epilogue, void *env);
/* dx [N, C, H, W] = the gradient of sum(conv(x, w) * gy) with respect to x (col2im of w^T @ gy) */
bool sj_rt_conv_input_grad(sj_pool *pool, sj_rt_conv_ws *ws, sj_dtype dt, const sj_rt_conv_geom *g,
                           const void *gy, const void *w, void *dx);
/* dw [O, C/groups, KH, KW] = the gradient with respect to w (gy @ im2col(x)^T summed over n);
 * summed per fixed part of the chunks, then over the parts in order: the same bits on any pool */
bool sj_rt_conv_filter_grad(sj_pool *pool, sj_rt_conv_ws *ws, sj_dtype dt, const sj_rt_conv_geom *g,
                            const void *x, const void *gy, void *dw);

/* ---- .npy ---- */

/* sj_npy_load on an open stream positioned at the start of a .npy image
 * (borrowed; left open); `path` names it in messages. The stream is read,
 * not necessarily to its end. For the fuzz targets (test/fuzz) and callers
 * holding a .npy in memory (fmemopen). */
sj_status sj_rt_npy_read(FILE *fp, const char *path, sj_tensor **out, char *err, size_t cap);
#endif
