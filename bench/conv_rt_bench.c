/* The runtime's convolution kernels (lib/runtime/conv_gemm.c, decision
 * 0041 §1) against the hand-written im2col + OpenBLAS reference
 * (bench/conv_ref.c, its chunk and threading tuned per shape, direction and
 * thread count) on conv_bench's three layers, forward, input gradient and
 * filter gradient, timed alternately in the same run: medians, GFLOP/s and
 * the ratio (reference time / ours: above 1 means the runtime is faster).
 *   conv_rt_bench [--reps 10] [--layer conv1|conv2|big] [--threads 1|2]
 *                 [--chunks NB,ROWS]
 *   --threads 1: both sides on one thread, timed by the process's CPU time
 *       (other processes' load does not inflate it); 2: both on two threads
 *       (the runtime on an sj_pool of 2, the reference tuned over its
 *       worker and OpenBLAS threadings), wall time. Default: both.
 *   --chunks: force the runtime's chunk (sj_rt_conv_ws_set_chunks), to
 *       measure the chunk rule; 0 keeps the rule's.
 * Exit status 1 when a result differs from the reference's. */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "conv_gemm.h"
#include "conv_ref.h"
#include "runtime.h"

typedef conv_named_shape layer;

static const char *dir_keys[5] = {"", "fwd", "dx", "", "dw"};

typedef struct env {
  const conv_shape *s;
  sj_rt_conv_geom g;
  conv_plan *p;
  sj_pool *pool;
  sj_rt_conv_ws *ws;
  int dir;
  float *x, *w, *gy, *out_ref, *out_rt;
  bool ok;
} env;

static void ref_call(env *e) {
  if (e->dir == CONV_FWD) conv_ref_forward(e->p, e->x, e->w, NULL, CONV_ACT_NONE, e->out_ref);
  else if (e->dir == CONV_BWD_DATA) conv_ref_input_grad(e->p, e->gy, e->w, e->out_ref);
  else conv_ref_filter_grad(e->p, e->x, e->gy, e->out_ref, NULL);
}

static void rt_call(env *e) {
  /* the reference may have left OpenBLAS on 2 threads (its tuned plan):
   * the runtime sets 1 only once per process */
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
  if (e->dir == CONV_FWD) e->ok &= sj_rt_conv_forward(e->pool, e->ws, SJ_F32, &e->g, e->x, e->w, e->out_rt, NULL, NULL);
  else if (e->dir == CONV_BWD_DATA) e->ok &= sj_rt_conv_input_grad(e->pool, e->ws, SJ_F32, &e->g, e->gy, e->w, e->out_rt);
  else e->ok &= sj_rt_conv_filter_grad(e->pool, e->ws, SJ_F32, &e->g, e->x, e->gy, e->out_rt);
}

static float *frand(int64_t n, uint64_t *st) {
  float *b = malloc((size_t)(n > 0 ? n : 1) * sizeof *b);
  for (int64_t i = 0; b && i < n; i++) b[i] = (float)(2 * bench_unif(st) - 1);
  return b;
}

/* max |a - b| over max(1, max |b|) */
static double rel_diff(const float *a, const float *b, int64_t n) {
  double err = 0, mag = 1;
  for (int64_t i = 0; i < n; i++) err = fmax(err, fabs((double)a[i] - b[i])), mag = fmax(mag, fabs((double)b[i]));
  return err / mag;
}

static int bench_dir(const layer *l, int dir, int threads, int reps, int64_t force_nb, int64_t force_rows) {
  const conv_shape *s = &l->s;
  const int64_t nx = (int64_t)s->N * s->C * s->H * s->W, nw = (int64_t)s->O * (s->C / s->groups) * s->KH * s->KW,
                ny = (int64_t)s->N * s->O * s->OH * s->OW, nout = dir == CONV_FWD ? ny : dir == CONV_BWD_DATA ? nx : nw;
  uint64_t st = 42;
  env e = {.s = s, .dir = dir, .ok = true};
  e.g = (sj_rt_conv_geom){.N = s->N, .C = s->C, .H = s->H, .W = s->W, .O = s->O, .KH = s->KH, .KW = s->KW,
                          .OH = s->OH, .OW = s->OW, .sh = s->sh, .sw = s->sw, .dh = s->dh, .dw = s->dw, .pt = s->pt,
                          .pl = s->pl, .groups = s->groups};
  e.x = frand(nx, &st), e.w = frand(nw, &st), e.gy = frand(ny, &st), e.out_ref = frand(nout, &st),
  e.out_rt = frand(nout, &st);
  conv_plan p;
  e.p = &p;
  e.ws = sj_rt_conv_ws_new();
  e.pool = threads > 1 ? sj_pool_new(threads) : NULL;
  if (!e.x || !e.w || !e.gy || !e.out_ref || !e.out_rt || !e.ws || (threads > 1 && !e.pool) ||
      conv_plan_tune_threads(&p, s, (unsigned)dir, threads)) {
    fprintf(stderr, "conv_rt_bench: out of memory\n");
    return 1;
  }
  sj_rt_conv_ws_set_chunks(e.ws, force_nb, force_rows);
  int64_t nb = 0, rows = 0;
  sj_rt_conv_chunks(&e.g, SJ_F32, &nb, &rows);
  if (force_nb) nb = force_nb, rows = s->OH;
  if (force_rows && nb == 1) rows = force_rows;
  /* warm up both (the runtime grows its scratch once), then alternate */
  ref_call(&e), rt_call(&e);
  double t_ref[64], t_rt[64], (*now)(void) = threads > 1 ? bench_now_ms : conv_cpu_ms;
  if (reps > 64) reps = 64;
  for (int r = 0; r < reps; r++) {
    double t0 = now();
    ref_call(&e);
    double t1 = now();
    rt_call(&e);
    t_ref[r] = t1 - t0, t_rt[r] = now() - t1;
  }
  qsort(t_ref, (size_t)reps, sizeof t_ref[0], bench_cmp_double);
  qsort(t_rt, (size_t)reps, sizeof t_rt[0], bench_cmp_double);
  const double ms_ref = t_ref[reps / 2], ms_rt = t_rt[reps / 2], gflop = conv_flops(s) / 1e9;
  const double diff = rel_diff(e.out_rt, e.out_ref, nout);
  const bool bad = !e.ok || !(diff < 1e-4);
  printf("BENCH conv_rt threads=%d layer=%s dir=%s rt_ms=%.3f ref_ms=%.3f ratio=%.2f min_ratio=%.2f rt_gflops=%.1f "
         "ref_gflops=%.1f rt_chunk=nb=%lld,rows=%lld ref_plan=\"%s\" diff=%.1e%s\n",
         threads, l->name, dir_keys[dir], ms_rt, ms_ref, ms_ref / ms_rt, t_ref[0] / t_rt[0], gflop / ms_rt * 1e3,
         gflop / ms_ref * 1e3, (long long)nb, (long long)rows, p.desc, diff, bad ? " FAIL" : "");
  fflush(stdout);
  conv_plan_free(&p);
  sj_rt_conv_ws_free(e.ws);
  sj_pool_free(e.pool);
  free(e.x), free(e.w), free(e.gy), free(e.out_ref), free(e.out_rt);
  return bad;
}

int main(int argc, char **argv) {
  bench_openblas_short_spin(argv);
  int reps = 10, only_threads = 0;
  long long force_nb = 0, force_rows = 0;
  const char *only = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--layer") && i + 1 < argc) only = argv[++i];
    else if (!strcmp(argv[i], "--threads") && i + 1 < argc) only_threads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--chunks") && i + 1 < argc && sscanf(argv[++i], "%lld,%lld", &force_nb, &force_rows) == 2)
      ;
    else {
      fprintf(stderr, "usage: conv_rt_bench [--reps N] [--layer conv1|conv2|big] [--threads 1|2] [--chunks NB,ROWS]\n");
      return 2;
    }
  }
  if (reps < 1) reps = 1;
  printf("openblas core=%s config=\"%s\"\n", openblas_get_corename(), openblas_get_config());
  int rc = 0;
  for (int t = 1; t <= 2; t++) {
    if (only_threads && t != only_threads) continue;
    for (size_t i = 0; i < CONV_BENCH_NLAYERS; i++) {
      if (only && strcmp(only, conv_bench_layers[i].name)) continue;
      layer l = conv_bench_layers[i];
      if (conv_shape_init(&l.s)) return 1;
      for (int dir = CONV_FWD; dir <= CONV_BWD_FILTER; dir <<= 1) rc |= bench_dir(&l, dir, t, reps, force_nb, force_rows);
    }
  }
  conv_ref_shutdown();
  return rc;
}
