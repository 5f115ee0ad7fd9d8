/* Hand-written C + OpenBLAS 2-D convolution (NCHW activations, OIHW filters;
 * stride, padding, dilation, groups; decision 0021's output-size rule): the
 * reference that bench/conv_bench.c times symjit's conv2d against, and the
 * building block of the LeNet reference step (bench/lenet_ref.c).
 *
 * Written the way an expert writes it, not the textbook loop:
 * - im2col + one OpenBLAS sgemm per group over a CHUNK of `nb` images
 *   (nb = 1: per-image GEMMs, the col buffer stays in cache, or for large
 *   images per block of output rows; nb = N: one batched GEMM, larger and
 *   better-shaped for small layers), chosen per shape by measurement
 *   (conv_plan_tune);
 * - the two cores used either by OpenBLAS's own threads inside each GEMM or
 *   by splitting the images over workers that each run single-threaded GEMMs
 *   (so im2col, col2im and the epilogues are parallel too), again measured;
 * - bias and activation (or any caller's epilogue: LeNet fuses bias,
 *   max-pool and tanh there) applied in one pass over the GEMM output while
 *   it is still in cache; backward, the output gradient packed by one pass
 *   (or the caller's prologue: LeNet scatters the pooled gradient there),
 *   then filter gradient g @ col^T, bias gradient and input gradient
 *   W^T @ g + col2im from the same packed chunk.
 * Built with -O3 -march=native -ffast-math (CMakeLists.txt). */
#ifndef SJ_BENCH_CONV_REF_H
#define SJ_BENCH_CONV_REF_H
#include <stdint.h>

typedef struct conv_shape {
  int N, C, H, W;      /* input x [N, C, H, W] */
  int O, KH, KW;       /* filters w [O, C/groups, KH, KW] */
  int sh, sw;          /* stride (>= 1) */
  int pt, pb, pl, pr;  /* padding top, bottom, left, right (>= 0) */
  int dh, dw;          /* dilation (>= 1) */
  int groups;          /* divides C and O */
  int OH, OW;          /* output size, set by conv_shape_init */
} conv_shape;

/* A shape with a name: the benchmarks' layers and conv_bench --check's cases. */
typedef struct conv_named_shape {
  const char *name;
  conv_shape s; /* N C H W O KH KW sh sw pt pb pl pr dh dw groups */
} conv_named_shape;
/* The layers conv_bench and conv_rt_bench time (issue 12): LeNet's conv1
 * and conv2 at batch 64, and 64->64 3x3 with padding 1 on 56x56, batch 32. */
#define CONV_BENCH_NLAYERS 3
extern const conv_named_shape conv_bench_layers[CONV_BENCH_NLAYERS];

/* Checks the shape and sets OH, OW: OH = (H + pt + pb - dh*(KH-1) - 1)/sh + 1.
 * Non-zero when impossible (kernel larger than the padded input, a
 * non-positive stride/dilation/group count, negative pads, groups not
 * dividing C and O, negative sizes). */
int conv_shape_init(conv_shape *s);
/* Floating-point operations of the forward convolution (2 per multiply-add);
 * each gradient costs the same. */
double conv_flops(const conv_shape *s);

typedef enum { CONV_ACT_NONE, CONV_ACT_TANH, CONV_ACT_RELU } conv_act;
/* Directions, for tuning: a bit set. */
enum { CONV_FWD = 1, CONV_BWD_DATA = 2, CONV_BWD_FILTER = 4 };

enum { CONV_MAX_WORKERS = 8 };

typedef struct conv_plan {
  conv_shape s;
  int nb;           /* images per GEMM chunk, 1..N */
  int rows;         /* output rows per GEMM block (< OH only when nb == 1:
                       the col block of a large image stays in cache) */
  int workers;      /* threads splitting the images (1: none) */
  int blas_threads; /* OpenBLAS threads inside each GEMM (1 when workers > 1) */
  /* per worker: col [C*KH*KW, nb*rows*OW], out [O, nb*OH*OW], dw [O, C/g*KH*KW], db [O] */
  float *work[CONV_MAX_WORKERS];
  char desc[64];    /* "nb=64 workers=1 blas=2" */
} conv_plan;

/* A plan for shape s (conv_shape_init'ed) with the given chunk, row block
 * and threading; nb and workers are clamped to [1, N] and
 * [1, CONV_MAX_WORKERS], rows to [1, OH] (OH when nb > 1 or rows < 1).
 * Non-zero when out of memory. */
int conv_plan_new(conv_plan *p, const conv_shape *s, int nb, int rows, int workers, int blas_threads);
void conv_plan_free(conv_plan *p);
/* Measures the candidate chunk sizes (1, 4, 16, N, within a memory cap; for
 * 1 also row blocks whose col block fits half the L2 cache, or a quarter)
 * and threadings (OpenBLAS 1 thread, OpenBLAS all cores, images split over
 * all cores) on random data for the directions in `dirs` (the fastest of 3
 * runs of them all) and makes p the fastest. Non-zero when out of memory. */
int conv_plan_tune(conv_plan *p, const conv_shape *s, unsigned dirs);
/* The same with at most `threads` threads; with 1, the candidates are ranked
 * by the process's CPU time (conv_cpu_ms), which preemption by other
 * processes does not inflate: the single-threaded figures of a loaded
 * machine. */
int conv_plan_tune_threads(conv_plan *p, const conv_shape *s, unsigned dirs, int threads);
/* CPU time of the process (all its threads), milliseconds. */
double conv_cpu_ms(void);

/* The caller's epilogue: Y is the GEMM output of images n0 .. n0+nb-1, laid
 * out [O][nb][OH*OW] (row o, image-major columns), before bias. Called from
 * worker threads with disjoint image ranges. */
typedef void (*conv_epilogue)(void *ctx, int n0, int nb, const float *Y);
/* The caller's prologue: fills G [O][nb][OH*OW] with the output gradient of
 * images n0 .. n0+nb-1 (the same layout). Called like the epilogue. */
typedef void (*conv_prologue)(void *ctx, int n0, int nb, float *G);

/* y = act(conv(x, w) + bias): y [N, O, OH, OW]; bias [O] or NULL. */
void conv_ref_forward(conv_plan *p, const float *x, const float *w, const float *bias, conv_act act, float *y);
/* conv(x, w) handed to epi chunk by chunk. */
void conv_ref_forward_epi(conv_plan *p, const float *x, const float *w, conv_epilogue epi, void *ctx);
/* dx = d/dx of sum(conv(x, w) * g): g [N, O, OH, OW], dx [N, C, H, W]. */
void conv_ref_input_grad(conv_plan *p, const float *g, const float *w, float *dx);
/* dw = d/dw of sum(conv(x, w) * g) [O, C/groups, KH, KW]; db (NULL: not
 * computed) the bias gradient [O]. */
void conv_ref_filter_grad(conv_plan *p, const float *x, const float *g, float *dw, float *db);
/* All gradients from one pass over the chunks, the output gradient from
 * pro: dw/db (x needed) and dx (w needed); each NULL when not wanted. */
void conv_ref_backward(conv_plan *p, const float *x, const float *w, conv_prologue pro, void *ctx, float *dw,
                       float *db, float *dx);

/* Max pooling, window k x k, stride k, no padding, floor (Theano's
 * ignore_border=True): x [NC, H, W] -> y [NC, H/k, W/k]; arg (NULL: not
 * kept) the flat index in the H x W plane of each window's first maximum
 * (row-major order within the window). */
void pool_ref_max_forward(const float *x, int64_t NC, int H, int W, int k, float *y, int32_t *arg);
/* gx [NC, H, W] = gy routed to the maxima recorded in arg (zero elsewhere). */
void pool_ref_max_backward(const float *gy, const int32_t *arg, int64_t NC, int H, int W, int k, float *gx);

/* Joins the worker threads (started on first use; they wait passively on
 * a condition variable between calls): call before exit. The functions
 * above share that one pool, so they are called from one thread at a time. */
void conv_ref_shutdown(void);
#endif
