/* Usage: scan_bench [threads].
 * What a scan step costs (docs/decisions/0015-scan-execution.md):
 *   tiny:  10000 steps of h = h * a + x_t on f32[] (the per-step overhead of
 *          the executor: pointers set, the body's steps run, no allocation);
 *   state: 200 steps of h = tanh(h * a + x_t) on an f32[32,256] state (an
 *          LSTM-sized state written straight into the state's result rows);
 * each against a plain C loop doing the same work, compiled -O3
 * -march=native -ffast-math, timed alternately in the same run; the state
 * case also against symjit's own kernel for the same ops over all the rows
 * at once (no loop: what the scan costs beyond its body's kernel). Prints
 * `BENCH <name> symjit_ms=.. ref_ms=.. ratio=.. us_per_step=..`. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "symjit/symjit.h"

#define REPS 21

static const char *const tiny_src =
    "func @tiny(%xs: f32[?], %h0: f32[], %a: f32[]) -> (f32[?]) {\n"
    "  %H = scan %xs, %h0, %a {nseq = 1, nstate = 1} : f32[?] (%x: f32[], %h: f32[], %v: f32[]) {\n"
    "    %p = mul %h, %v : f32[]\n    %h2 = add %p, %x : f32[]\n    yield %h2\n  }\n  return %H\n}\n";

static const char *const state_src =
    "func @state(%xs: f32[?,32,256], %h0: f32[32,256], %a: f32[]) -> (f32[?,32,256]) {\n"
    "  %H = scan %xs, %h0, %a {nseq = 1, nstate = 1} : f32[?,32,256] (%x: f32[32,256], %h: f32[32,256], %v: f32[]) {\n"
    "    %p = mul %h, %v : f32[32,256]\n    %s = add %p, %x : f32[32,256]\n    %h2 = tanh %s : f32[32,256]\n"
    "    yield %h2\n  }\n  return %H\n}\n";

static const char *const flat_src =
    "func @flat(%xs: f32[?,32,256], %hs: f32[?,32,256], %a: f32[]) -> (f32[?,32,256]) {\n"
    "  %p = mul %hs, %a : f32[?,32,256]\n  %s = add %p, %xs : f32[?,32,256]\n  %h2 = tanh %s : f32[?,32,256]\n"
    "  return %h2\n}\n";

typedef struct env {
  sj_function *fn;
  sj_tensor *in[3], *out[1];
  sj_function *flat; /* state: the body's ops over every row at once */
  sj_tensor *fin[3], *fout[1];
  int64_t steps, row; /* row: elements of a state */
} env;

static void run_symjit(void *p) {
  env *e = p;
  if (sj_function_call_into(e->fn, e->in, 3, e->out, 1) != SJ_OK) {
    fprintf(stderr, "call failed\n");
    exit(1);
  }
}

/* The same recurrence in C, into the same [n+1, ...] layout. */
static void run_c_tiny(void *p) {
  env *e = p;
  const float *x = sj_tensor_data(e->in[0]), a = *(const float *)sj_tensor_data(e->in[2]);
  float *h = sj_tensor_data(e->out[0]);
  h[0] = *(const float *)sj_tensor_data(e->in[1]);
  for (int64_t t = 0; t < e->steps; t++) h[t + 1] = h[t] * a + x[t];
}

static void run_c_state(void *p) {
  env *e = p;
  const float *x = sj_tensor_data(e->in[0]), a = *(const float *)sj_tensor_data(e->in[2]);
  float *h = sj_tensor_data(e->out[0]);
  memcpy(h, sj_tensor_data(e->in[1]), (size_t)e->row * sizeof *h);
  for (int64_t t = 0; t < e->steps; t++) {
    const float *hp = h + t * e->row, *xt = x + t * e->row;
    float *hn = h + (t + 1) * e->row;
    for (int64_t i = 0; i < e->row; i++) hn[i] = tanhf(hp[i] * a + xt[i]);
  }
}

static void run_flat(void *p) {
  env *e = p;
  if (sj_function_call_into(e->flat, e->fin, 3, e->fout, 1) != SJ_OK) {
    fprintf(stderr, "call failed\n");
    exit(1);
  }
}

static sj_function *compile(sj_ctx *c, const char *name, const char *src, int threads) {
  sj_module *m;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.num_threads = threads;
  sj_function *f = NULL;
  if (sj_module_parse(c, src, strlen(src), name, &m) || sj_module_compile(m, name, &o, &f)) {
    fprintf(stderr, "compile failed:\n%s", sj_ctx_errmsg(c));
    exit(1);
  }
  sj_function_wait(f);
  return f;
}

static void bench(sj_ctx *c, const char *name, const char *src, int64_t steps, int rank, const int64_t *row_dims,
                  bench_fn ref, int threads) {
  env e = {.steps = steps, .row = 1, .fn = compile(c, name, src, threads)};
  int64_t xd[3] = {steps}, hd[3] = {steps + 1}, zero[1] = {0};
  for (int k = 0; k < rank; k++) xd[k + 1] = hd[k + 1] = row_dims[k], e.row *= row_dims[k];
  e.in[0] = sj_tensor_new(SJ_F32, rank + 1, xd);
  e.in[1] = sj_tensor_new(SJ_F32, rank, row_dims);
  e.in[2] = sj_tensor_new(SJ_F32, 0, zero);
  e.out[0] = sj_tensor_new(SJ_F32, rank + 1, hd);
  sj_tensor_fill_uniform(e.in[0], 1, -1, 1);
  sj_tensor_fill_uniform(e.in[1], 2, -1, 1);
  sj_tensor_set(e.in[2], 0, 0.5);
  if (rank) { /* the flat reference reads rows 0..n-1 of the states as its hs */
    e.flat = compile(c, "flat", flat_src, threads);
    e.fin[0] = e.in[0], e.fin[1] = sj_tensor_new(SJ_F32, rank + 1, xd), e.fin[2] = e.in[2];
    e.fout[0] = sj_tensor_new(SJ_F32, rank + 1, xd);
    sj_tensor_fill_uniform(e.fin[1], 3, -1, 1);
  }
  double ts[REPS], tr[REPS], tf[REPS]; /* alternately, so load spikes hit all */
  run_symjit(&e), ref(&e);
  if (rank) run_flat(&e);
  for (int i = 0; i < REPS; i++) {
    double t0 = bench_now_ms();
    run_symjit(&e);
    double t1 = bench_now_ms();
    ref(&e);
    double t2 = bench_now_ms();
    if (rank) run_flat(&e);
    ts[i] = t1 - t0, tr[i] = t2 - t1, tf[i] = bench_now_ms() - t2;
  }
  qsort(ts, REPS, sizeof ts[0], bench_cmp_double);
  qsort(tr, REPS, sizeof tr[0], bench_cmp_double);
  qsort(tf, REPS, sizeof tf[0], bench_cmp_double);
  double s = ts[REPS / 2], r = tr[REPS / 2], fl = tf[REPS / 2];
  printf("BENCH scan_%s steps=%lld symjit_ms=%.3f ref_ms=%.3f ratio=%.2f us_per_step=%.3f ref_us_per_step=%.4f", name,
         (long long)steps, s, r, s / r, s * 1e3 / (double)steps, r * 1e3 / (double)steps);
  if (rank) printf(" flat_kernel_ms=%.3f ratio_to_flat=%.2f", fl, s / fl);
  printf("\n");
  if (rank) {
    sj_tensor_free(e.fin[1]), sj_tensor_free(e.fout[0]);
    sj_function_free(e.flat);
  }
  for (int k = 0; k < 3; k++) sj_tensor_free(e.in[k]);
  sj_tensor_free(e.out[0]);
  sj_function_free(e.fn);
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  sj_ctx *c = sj_ctx_new();
  int64_t row[2] = {32, 256};
  bench(c, "tiny", tiny_src, 10000, 0, NULL, run_c_tiny, threads);
  bench(c, "state", state_src, 200, 2, row, run_c_state, threads);
  sj_ctx_free(c);
  return 0;
}
