/* Slicing kernels against same-size elementwise kernels compiled in the same
 * process (ratios; docs/decisions/0010-slicing.md):
 *   x[:, 1:]            vs  -x           (a gather that is almost a copy)
 *   x[::2, ::2]         vs  -x[...half]  (strided reads; same output size)
 *   inc_subtensor(x[:, 1:], y) vs x + y  (copy + read-modify-write region)
 *   index_inc(W, ids, g) vs W + scatter_add(g, ids, W)  (np.add.at, one
 *                                         kernel vs the composition)
 * Usage: slice_bench [reps] (default 15). Prints median ms and the ratios. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "symjit/graph.h"
#include "bench_util.h"

typedef struct call {
  sj_function *f;
  sj_tensor **in, **out;
  size_t nin;
} call;

static void run(void *p) {
  call *c = p;
  sj_tensor_free(c->out[0]);
  c->out[0] = NULL;
  if (sj_function_call(c->f, c->in, c->nin, c->out, 1) != SJ_OK) exit(1);
}

static double time_fn(sj_ctx *ctx, sj_var **ins, size_t nin, sj_var *out, sj_tensor **vals, int reps) {
  call c = {NULL, vals, (sj_tensor *[]){NULL}, nin};
  if (sj_compile(ctx, ins, nin, &out, 1, NULL, 0, NULL, 0, NULL, &c.f) != SJ_OK) {
    fprintf(stderr, "compile: %s\n", sj_ctx_errmsg(ctx));
    exit(1);
  }
  double ms = bench_median_ms(run, &c, reps);
  sj_tensor_free(c.out[0]);
  sj_function_free(c.f);
  return ms;
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 15;
  sj_ctx *c = sj_ctx_new();
  int64_t n = 4096, xd[2] = {n, n}, yd[2] = {n, n - 1}, hd[2] = {n / 2, n / 2};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, xd), *y = sj_input(c, "y", SJ_F32, 2, yd), *h = sj_input(c, "h", SJ_F32, 2, hd);
  sj_tensor *xv = sj_tensor_new(SJ_F32, 2, xd), *yv = sj_tensor_new(SJ_F32, 2, yd), *hv = sj_tensor_new(SJ_F32, 2, hd);
  sj_tensor_fill_uniform(xv, 1, -1, 1), sj_tensor_fill_uniform(yv, 2, -1, 1), sj_tensor_fill_uniform(hv, 3, -1, 1);
  sj_slice_spec tail[2] = {SJ_ALL, {1, SJ_OMIT, 1}}, even[2] = {{SJ_OMIT, SJ_OMIT, 2}, {SJ_OMIT, SJ_OMIT, 2}};
  sj_var *xy[2] = {x, y};
  sj_tensor *xyv[2] = {xv, yv};
  double neg = time_fn(c, &x, 1, sj_neg(x), &xv, reps), sl = time_fn(c, &x, 1, sj_slice(x, 2, tail), &xv, reps);
  double negh = time_fn(c, &h, 1, sj_neg(h), &hv, reps), st = time_fn(c, &x, 1, sj_slice(x, 2, even), &xv, reps);
  sj_var *ys = sj_slice(x, 2, tail); /* x + y over the region's shape, as the reference */
  double add = time_fn(c, xy, 2, sj_add(ys, y), xyv, reps), inc = time_fn(c, xy, 2, sj_inc_subtensor(x, 2, tail, y), xyv, reps);
  /* np.add.at(W, ids, g): 100000 x 64 table, 32768 updates (repeats) */
  int64_t wd[2] = {100000, 64}, id[1] = {32768}, gd[2] = {32768, 64};
  sj_var *W = sj_input(c, "W", SJ_F32, 2, wd), *ids = sj_input(c, "ids", SJ_I32, 1, id), *g = sj_input(c, "g", SJ_F32, 2, gd);
  sj_tensor *wv = sj_tensor_new(SJ_F32, 2, wd), *iv = sj_tensor_new(SJ_I32, 1, id), *gv = sj_tensor_new(SJ_F32, 2, gd);
  sj_tensor_fill_uniform(wv, 4, -1, 1), sj_tensor_fill_uniform(gv, 5, -1, 1);
  for (int64_t i = 0; i < id[0]; i++) sj_tensor_set(iv, i, (double)((i * 7919) % 100000));
  sj_var *wig[3] = {W, ids, g};
  sj_tensor *wigv[3] = {wv, iv, gv};
  double at = time_fn(c, wig, 3, sj_index_inc(W, ids, 0, g), wigv, reps);
  double comp = time_fn(c, wig, 3, sj_add(W, sj_scatter_add(g, ids, W, 0, 0)), wigv, reps);
  printf("x[:, 1:]          %8.3f ms   -x              %8.3f ms   ratio %.2f\n", sl, neg, sl / neg);
  printf("x[::2, ::2]       %8.3f ms   -x (same size)  %8.3f ms   ratio %.2f\n", st, negh, st / negh);
  printf("x[:, 1:] += y     %8.3f ms   x[:, 1:] + y    %8.3f ms   ratio %.2f\n", inc, add, inc / add);
  printf("index_inc(W,ids)  %8.3f ms   W + scatter_add %8.3f ms   ratio %.2f\n", at, comp, at / comp);
  sj_tensor_free(xv), sj_tensor_free(yv), sj_tensor_free(hv), sj_tensor_free(wv), sj_tensor_free(iv), sj_tensor_free(gv);
  sj_ctx_free(c);
  return 0;
}
