/* Random draws (docs/decisions/0018-random.md): the cost of the executor's
 * Philox fill against kernels over the same number of elements, measured in
 * the same run (ratios; the machine is shared):
 *   copy      y = x * 2 + 1, f32[n]: one fused kernel, memory bound (what
 *             inlining the draw into a consumer's kernel would save at most:
 *             one write and one read of the buffer)
 *   exp       y = exp(x): a vectorized transcendental per element
 *   uniform   random_uniform f32[n]
 *   normal    random_normal f32[n] (Box-Muller: log, sqrt, cos)
 *   dropout   x * bernoulli(0.9) / 0.9, shaped as x
 * at 1 thread and at all cores. Usage: random_bench [n] [reps]. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"
#include "symjit/graph.h"

typedef struct env {
  sj_function *f;
  sj_tensor *x;
  bool has_x;
} env;

static void run_once(void *p) {
  env *e = p;
  sj_tensor *out = NULL;
  if (sj_function_call(e->f, e->has_x ? &e->x : NULL, e->has_x, &out, 1) != SJ_OK) {
    fprintf(stderr, "call failed\n");
    exit(1);
  }
  sj_tensor_free(out);
}

static double time_fn(sj_ctx *c, sj_var *x, sj_var *y, sj_tensor *X, int threads, int reps) {
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.num_threads = threads;
  o.tiered = 0;
  o.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  env e = {NULL, X, x != NULL};
  if (sj_compile(c, x ? &x : NULL, x != NULL, &y, 1, NULL, 0, NULL, 0, &o, &e.f) != SJ_OK) {
    fprintf(stderr, "compile: %s\n", sj_ctx_errmsg(c));
    exit(1);
  }
  double ms = bench_median_ms(run_once, &e, reps);
  sj_function_free(e.f);
  return ms;
}

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 4 << 20;
  int reps = argc > 2 ? atoi(argv[2]) : 15;
  sj_ctx *c = sj_ctx_new();
  sj_random_stream *rs = sj_random_stream_new(c, 1);
  sj_var *x = sj_input(c, "x", SJ_F32, 1, (const int64_t[]){-1});
  sj_tensor *X = sj_tensor_new(SJ_F32, 1, &n);
  sj_tensor_fill_uniform(X, 3, -1, 1);
  struct {
    const char *name;
    sj_var *in, *y;
  } cases[] = {
      {"copy", x, sj_add(sj_mul(x, sj_scalar(c, 2, SJ_F32)), sj_scalar(c, 1, SJ_F32))},
      {"exp", x, sj_exp(x)},
      {"uniform", NULL, sj_random_uniform(rs, SJ_SHAPE(1, &n), SJ_F32, 0, 1)},
      {"normal", NULL, sj_random_normal(rs, SJ_SHAPE(1, &n), SJ_F32, 0, 1)},
      {"dropout", x, sj_dropout(rs, x, 0.1)},
  };
  int nc = (int)(sizeof cases / sizeof cases[0]);
  printf("random_bench: n = %lld f32 elements, median of %d calls\n", (long long)n, reps);
  printf("%-8s %7s %9s %9s %12s\n", "case", "threads", "ms", "ns/elem", "x copy");
  for (int threads = 1; threads >= 0; threads--) { /* 1, then 0 = all cores */
    double ref = 0;
    for (int i = 0; i < nc; i++) {
      double ms = time_fn(c, cases[i].in, cases[i].y, X, threads, reps);
      if (i == 0) ref = ms;
      printf("%-8s %7s %9.3f %9.3f %12.2f\n", cases[i].name, threads ? "1" : "all", ms, ms * 1e6 / (double)n, ms / ref);
    }
  }
  sj_tensor_free(X);
  sj_random_stream_free(rs);
  sj_ctx_free(c);
  return 0;
}
