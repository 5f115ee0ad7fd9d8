/* GEMM with epilogues: symjit against hand-written C + OpenBLAS, measured in
 * the same run on the same threads.
 *
 *   relu(X @ W + b)   at MLP/LeNet sizes. The expert reference splits the
 *                     rows over the pool as symjit does; each thread runs
 *                     sgemm on its row panel, then one vectorized bias+relu
 *                     loop over that panel while it is in cache.
 *   a*X@Y + b*Z       the reference copies Z's rows into its panel of the
 *                     output and calls sgemm with alpha and beta.
 *
 * Also timed: symjit without gemm-epilogue / gemm-combine (the gemm, then an
 * elementwise kernel over the whole output), to show what the fusion buys.
 * Prints `BENCH <name> symjit_ms=.. ref_ms=.. ratio=.. min_ratio=..` lines
 * (medians, and the fastest of each, of calls interleaved round by round);
 * the ratios are what to compare across machines. Built with -O3 -march=native -ffast-math
 * like the other hand-written references. */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "runtime.h"
#include "symjit/symjit.h"

#define REPS 31

/* Without the two GEMM passes: the path before this work. */
static const char *const plain_pipeline =
    "canonicalize,cse,constant-fold,canonicalize,dce,fuse-elementwise,lower-to-loops,loop-fusion,cse,dce";

typedef struct bench_env {
  sj_function *fn;
  sj_tensor **in, **out;
  size_t nin, nout;
} bench_env;

static void run_symjit(void *p) {
  bench_env *e = p;
  if (sj_function_call_into(e->fn, e->in, e->nin, e->out, e->nout) != SJ_OK) {
    fprintf(stderr, "call failed\n");
    exit(1);
  }
}

static sj_function *compile(sj_ctx *c, const char *src, const char *pipeline, int threads) {
  sj_module *m;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.pipeline = pipeline;
  o.num_threads = threads;
  sj_function *f = NULL;
  if (sj_module_parse(c, src, strlen(src), "gemm_bench", &m) || sj_module_compile(m, "f", &o, &f)) {
    fprintf(stderr, "compile failed:\n%s", sj_ctx_errmsg(c));
    exit(1);
  }
  sj_function_wait(f); /* time the fully optimized kernels */
  return f;
}

static sj_tensor *rand_tensor(int rank, const int64_t *dims, uint64_t seed) {
  sj_tensor *t = sj_tensor_new(SJ_F32, rank, dims);
  sj_tensor_fill_uniform(t, seed, -1, 1);
  return t;
}

/* ---- the hand-written reference ---- */

typedef struct ref_job {
  const float *x, *w, *b, *z;
  float *out;
  int M, N, K;
  float alpha, beta;
} ref_job;

/* Rows [lo, hi): sgemm on the panel, then bias + relu while it is hot. */
static void ref_dense_relu(void *env, int64_t lo, int64_t hi) {
  const ref_job *j = env;
  int m = (int)(hi - lo), N = j->N;
  float *o = j->out + lo * N;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, N, j->K, 1.0f, j->x + lo * j->K, j->K, j->w, N, 0.0f, o, N);
  for (int i = 0; i < m; i++) {
    float *r = o + (size_t)i * N;
    for (int k = 0; k < N; k++) {
      float v = r[k] + j->b[k];
      r[k] = v > 0 ? v : 0;
    }
  }
}

/* Rows [lo, hi): Z's rows into the output, then sgemm with alpha, beta. */
static void ref_axpby(void *env, int64_t lo, int64_t hi) {
  const ref_job *j = env;
  int m = (int)(hi - lo), N = j->N;
  float *o = j->out + lo * N;
  memcpy(o, j->z + lo * N, (size_t)m * (size_t)N * sizeof *o);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, N, j->K, j->alpha, j->x + lo * j->K, j->K, j->w, N,
              j->beta, o, N);
}

typedef struct ref_env {
  sj_pool *pool;
  sj_range_fn fn;
  ref_job job;
} ref_env;

/* The same split as symjit's gemm (lib/runtime/blas.c): panels aligned to 16 rows. */
static void run_ref(void *p) {
  ref_env *r = p;
  sj_pool_run(r->pool, r->fn, &r->job, 0, r->job.M, 16, 16);
}

/* Medians of n functions timed in turn, one call each per round, so that a
 * change of load hits all of them alike (the machine is shared). */
static void interleaved_ms(int n, bench_fn const *fns, void *const *envs, int reps, double *out, double *best) {
  double t[3][64];
  if (reps > 64) reps = 64;
  for (int k = 0; k < n; k++) fns[k](envs[k]); /* warm-up */
  for (int i = 0; i < reps; i++)
    for (int k = 0; k < n; k++) {
      double t0 = bench_now_ms();
      fns[k](envs[k]);
      t[k][i] = bench_now_ms() - t0;
    }
  for (int k = 0; k < n; k++) {
    qsort(t[k], (size_t)reps, sizeof t[k][0], bench_cmp_double);
    out[k] = t[k][reps / 2];
    best[k] = t[k][0];
  }
}

static double max_diff(const sj_tensor *a, const sj_tensor *b) {
  double d = 0;
  for (int64_t i = 0; i < sj_tensor_numel(a); i++) d = fmax(d, fabs(sj_tensor_get(a, i) - sj_tensor_get(b, i)));
  return d;
}

/* t, b: median and fastest of symjit, reference, symjit unfused. The
 * fastest is the better estimate on a loaded machine (load only adds). */
static void report(const char *name, const double *t, const double *b, double flops, double err) {
  printf("BENCH %s symjit_ms=%.3f ref_ms=%.3f ratio=%.3f min_ratio=%.3f unfused_ratio=%.3f unfused_min_ratio=%.3f "
         "gflops=%.1f maxdiff=%.2g\n",
         name, t[0], t[1], t[0] / t[1], b[0] / b[1], t[2] / t[1], b[2] / b[1], flops / (b[0] * 1e6), err);
}

static void bench_dense_relu(sj_ctx *c, sj_pool *pool, int threads, int M, int K, int N) {
  char src[512], name[64];
  snprintf(src, sizeof src,
           "func @f(%%x: f32[%d,%d], %%w: f32[%d,%d], %%b: f32[%d]) -> (f32[%d,%d]) {\n"
           "  %%0 = matmul %%x, %%w : f32[%d,%d]\n  %%1 = add %%0, %%b : f32[%d,%d]\n"
           "  %%z = constant {value = 0.0} : f32[]\n  %%2 = maximum %%1, %%z : f32[%d,%d]\n  return %%2\n}\n",
           M, K, K, N, N, M, N, M, N, M, N, M, N);
  int64_t dx[2] = {M, K}, dw[2] = {K, N}, db[1] = {N}, dout[2] = {M, N};
  sj_tensor *in[3] = {rand_tensor(2, dx, 1), rand_tensor(2, dw, 2), rand_tensor(1, db, 3)};
  sj_tensor *out = sj_tensor_new(SJ_F32, 2, dout), *ref = sj_tensor_new(SJ_F32, 2, dout);
  sj_function *f = compile(c, src, NULL, threads), *plain = compile(c, src, plain_pipeline, threads);
  bench_env e = {f, in, &out, 3, 1}, ep = {plain, in, &out, 3, 1};
  ref_env r = {pool, ref_dense_relu, {sj_tensor_data(in[0]), sj_tensor_data(in[1]), sj_tensor_data(in[2]), NULL,
                                      sj_tensor_data(ref), M, N, K, 1, 0}};
  bench_fn fns[3] = {run_symjit, run_ref, run_symjit};
  void *envs[3] = {&e, &r, &ep};
  double t[3], b[3];
  interleaved_ms(3, fns, envs, REPS, t, b);
  run_symjit(&e);
  snprintf(name, sizeof name, "relu_dense_%dx%dx%d", M, K, N);
  report(name, t, b, 2.0 * M * N * K, max_diff(out, ref));
  sj_function_free(f);
  sj_function_free(plain);
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
  sj_tensor_free(out);
  sj_tensor_free(ref);
}

static void bench_axpby(sj_ctx *c, sj_pool *pool, int threads, int M, int K, int N) {
  char src[640], name[64];
  snprintf(src, sizeof src,
           "func @f(%%x: f32[%d,%d], %%y: f32[%d,%d], %%z: f32[%d,%d]) -> (f32[%d,%d]) {\n"
           "  %%0 = matmul %%x, %%y : f32[%d,%d]\n  %%a = constant {value = 0.75} : f32[]\n"
           "  %%1 = mul %%a, %%0 : f32[%d,%d]\n  %%b = constant {value = -1.5} : f32[]\n"
           "  %%2 = mul %%b, %%z : f32[%d,%d]\n  %%3 = add %%1, %%2 : f32[%d,%d]\n  return %%3\n}\n",
           M, K, K, N, M, N, M, N, M, N, M, N, M, N, M, N);
  int64_t dx[2] = {M, K}, dy[2] = {K, N}, dz[2] = {M, N};
  sj_tensor *in[3] = {rand_tensor(2, dx, 4), rand_tensor(2, dy, 5), rand_tensor(2, dz, 6)};
  sj_tensor *out = sj_tensor_new(SJ_F32, 2, dz), *ref = sj_tensor_new(SJ_F32, 2, dz);
  sj_function *f = compile(c, src, NULL, threads), *plain = compile(c, src, plain_pipeline, threads);
  bench_env e = {f, in, &out, 3, 1}, ep = {plain, in, &out, 3, 1};
  ref_env r = {pool, ref_axpby, {sj_tensor_data(in[0]), sj_tensor_data(in[1]), NULL, sj_tensor_data(in[2]),
                                 sj_tensor_data(ref), M, N, K, 0.75f, -1.5f}};
  bench_fn fns[3] = {run_symjit, run_ref, run_symjit};
  void *envs[3] = {&e, &r, &ep};
  double t[3], b[3];
  interleaved_ms(3, fns, envs, REPS, t, b);
  run_symjit(&e);
  snprintf(name, sizeof name, "axpby_gemm_%dx%dx%d", M, K, N);
  report(name, t, b, 2.0 * M * N * K, max_diff(out, ref));
  sj_function_free(f);
  sj_function_free(plain);
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
  sj_tensor_free(out);
  sj_tensor_free(ref);
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 0;
  openblas_set_num_threads(1); /* one BLAS thread per panel, as symjit (lib/runtime/blas.c) */
  printf("openblas core: %s\n", openblas_get_corename());
  sj_ctx *c = sj_ctx_new();
  sj_pool *pool = sj_pool_new(threads);
  printf("threads: %d\n", sj_pool_size(pool));
  bench_dense_relu(c, pool, threads, 64, 784, 500);
  bench_dense_relu(c, pool, threads, 256, 1024, 1024);
  bench_dense_relu(c, pool, threads, 4096, 512, 512);
  bench_axpby(c, pool, threads, 512, 512, 512);
  bench_axpby(c, pool, threads, 2048, 256, 1024);
  sj_pool_free(pool);
  sj_ctx_free(c);
  return 0;
}
