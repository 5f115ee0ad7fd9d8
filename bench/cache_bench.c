/* The compile cache on the MLP training step of examples/mlp (784-256-128-10,
 * relu, cross-entropy, SGD updates; docs/cache.md): each compile runs in a
 * fresh process (this program run again with --child), so nothing of LLVM
 * or of the cache is warm in memory, only on disk.
 *   cold:  an empty cache directory (the first process ever)
 *   warm:  the same directory afterwards
 *   off:   SYMJIT_CACHE=0 (today's behaviour; the reference of the ratio)
 * For each: the time sj_compile takes (the step is callable when it
 * returns; tiered, as the example compiles it), the time until the fully
 * optimized code is installed (sj_function_wait), whether it was a cache
 * hit, and where a warm compile spends its time (graph to IR, symjit's
 * passes, the rest: key, load, link; measured in separate runs with a dump
 * callback, whose printing would distort the headline figure). Each child
 * also runs one step from fixed inputs and prints a digest of the loss and
 * the updated weights: a warm (cached) compile must give the same bits as
 * an uncached full compile.
 *   ./build/cache_bench [--reps N] [--dir DIR] */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_util.h"
#include "symjit/graph.h"

#define NL 3

/* ---- the child: one compile of the MLP step ---- */

typedef struct stamps {
  double input, final;
} stamps;

static void on_dump(void *ud, const char *func, const char *stage, const char *text, size_t len) {
  (void)func, (void)text, (void)len;
  stamps *s = ud;
  if (!strcmp(stage, "input")) s->input = bench_now_ms();
  if (!strcmp(stage, "final")) s->final = bench_now_ms();
}

/* FNV-1a over the bytes of the loss and every weight after one step. */
static uint64_t digest(uint64_t h, const sj_tensor *t) {
  const unsigned char *p = sj_tensor_data(t);
  for (size_t i = 0; i < sj_tensor_nbytes(t); i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

static int child(int tiered, int breakdown) {
  double t_start = bench_now_ms();
  sj_ctx *c = sj_ctx_new();
  const int64_t sizes[NL + 1] = {784, 256, 128, 10};
  int64_t xd[2] = {-1, 784}, yd[1] = {-1};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, xd), *y = sj_input(c, "y", SJ_I32, 1, yd), *h = x;
  sj_var *params[2 * NL], *grads[2 * NL];
  sj_tensor *init[2 * NL];
  for (int l = 0; l < NL; l++) {
    int64_t wd[2] = {sizes[l], sizes[l + 1]}, bd[1] = {sizes[l + 1]};
    double r = 1.0 / sqrt((double)sizes[l]);
    init[2 * l] = sj_tensor_new(SJ_F32, 2, wd), init[2 * l + 1] = sj_tensor_new(SJ_F32, 1, bd);
    sj_tensor_fill_uniform(init[2 * l], 7919 + (uint64_t)l, -r, r);
    sj_tensor_fill_uniform(init[2 * l + 1], 31 + (uint64_t)l, -r, r);
    char wn[8], bn[8];
    snprintf(wn, sizeof wn, "W%d", l + 1), snprintf(bn, sizeof bn, "b%d", l + 1);
    params[2 * l] = sj_shared(c, wn, init[2 * l]), params[2 * l + 1] = sj_shared(c, bn, init[2 * l + 1]);
    h = sj_add(sj_matmul(h, params[2 * l]), params[2 * l + 1]);
    if (l + 1 < NL) h = sj_relu(h);
  }
  sj_var *loss = sj_crossentropy(h, y), *lr = sj_scalar(c, 0.1, SJ_F32);
  sj_grad(loss, params, 2 * NL, grads);
  sj_update upd[2 * NL];
  for (int p = 0; p < 2 * NL; p++) upd[p] = (sj_update){params[p], sj_sub(params[p], sj_mul(lr, grads[p]))};
  sj_var *ins[2] = {x, y};
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.tiered = tiered;
  stamps st = {0};
  if (breakdown) o.dump = on_dump, o.dump_ud = &st, o.dump_stages = "input,final";
  sj_function *f = NULL;
  double t0 = bench_now_ms();
  if (sj_compile(c, ins, 2, &loss, 1, upd, 2 * NL, NULL, 0, &o, &f) != SJ_OK) {
    fprintf(stderr, "%s", sj_ctx_errmsg(c));
    return 1;
  }
  double t1 = bench_now_ms();
  sj_function_wait(f);
  double t2 = bench_now_ms();
  int64_t bx[2] = {128, 784}, by[1] = {128};
  sj_tensor *in[2] = {sj_tensor_new(SJ_F32, 2, bx), sj_tensor_new(SJ_I32, 1, by)}, *out = NULL;
  sj_tensor_fill_uniform(in[0], 99, 0, 1);
  sj_tensor_fill_uniform(in[1], 98, 0, 10);
  if (sj_function_call(f, in, 2, &out, 1) != SJ_OK) {
    fprintf(stderr, "%s", sj_ctx_errmsg(c));
    return 1;
  }
  uint64_t d = digest(0xcbf29ce484222325ull, out);
  for (int p = 0; p < 2 * NL; p++) d = digest(d, sj_shared_value(params[p]));
  printf("CHILD compile_ms=%.3f full_ms=%.3f hit=%d graph_ms=%.3f passes_ms=%.3f rest_ms=%.3f process_ms=%.3f "
         "digest=%016llx\n",
         t1 - t0, t2 - t0, sj_function_cache_hit(f), breakdown ? st.input - t0 : 0, breakdown ? st.final - st.input : 0,
         breakdown ? t1 - st.final : 0, t1 - t_start, (unsigned long long)d);
  sj_tensor_free(out), sj_tensor_free(in[0]), sj_tensor_free(in[1]);
  for (int p = 0; p < 2 * NL; p++) sj_tensor_free(init[p]);
  sj_function_free(f);
  sj_ctx_free(c);
  return 0;
}

/* ---- the parent ---- */

typedef struct run {
  double compile_ms, full_ms, graph_ms, passes_ms, rest_ms;
  int hit;
  char digest[32];
} run;

static run spawn(const char *env, int tiered, int breakdown) {
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "%s /proc/%ld/exe --child %d %d", env, (long)getpid(), tiered, breakdown);
  run r = {0};
  FILE *p = popen(cmd, "r");
  char line[512];
  while (p && fgets(line, sizeof line, p))
    if (!strncmp(line, "CHILD ", 6) &&
        sscanf(line, "CHILD compile_ms=%lf full_ms=%lf hit=%d graph_ms=%lf passes_ms=%lf rest_ms=%lf %*s digest=%31s",
               &r.compile_ms, &r.full_ms, &r.hit, &r.graph_ms, &r.passes_ms, &r.rest_ms, r.digest) == 7)
      continue;
  if (!p || pclose(p) != 0 || !r.digest[0]) {
    fprintf(stderr, "cache_bench: child failed: %s\n", cmd);
    exit(1);
  }
  return r;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
  return v[n / 2];
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "--child")) return child(atoi(argv[2]), atoi(argv[3]));
  int reps = 5;
  char base[4096] = "";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--reps")) reps = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--dir")) snprintf(base, sizeof base, "%s", argv[i + 1]);
  }
  if (reps < 1 || reps > 64) reps = 5;
  if (!base[0]) {
    char tmpl[] = "/tmp/symjit-cache-bench-XXXXXX";
    if (!mkdtemp(tmpl)) return 1;
    snprintf(base, sizeof base, "%s", tmpl);
  }
  double cold[64], cold_full[64], warm[64], warm_full[64], off[64], off_full[64], g[64], ps[64], rest[64];
  char ref_digest[32] = "";
  int bad = 0;
  {
    char env[4200];
    snprintf(env, sizeof env, "SYMJIT_CACHE=0");
    run r = spawn(env, 0, 0); /* the uncached fully optimized code: the bits to match */
    snprintf(ref_digest, sizeof ref_digest, "%s", r.digest);
  }
  for (int i = 0; i < reps; i++) {
    char env[4200];
    snprintf(env, sizeof env, "SYMJIT_CACHE_DIR=%s/rep%d", base, i); /* empty: cold */
    run c = spawn(env, 1, 0), w = spawn(env, 1, 0), b = spawn(env, 1, 1), o = spawn("SYMJIT_CACHE=0", 1, 0);
    cold[i] = c.compile_ms, cold_full[i] = c.full_ms, warm[i] = w.compile_ms, warm_full[i] = w.full_ms;
    off[i] = o.compile_ms, off_full[i] = o.full_ms;
    g[i] = b.graph_ms, ps[i] = b.passes_ms, rest[i] = b.rest_ms;
    bad += c.hit || !w.hit || !b.hit || o.hit || strcmp(w.digest, ref_digest) || strcmp(c.digest, ref_digest);
  }
  double mc = median(cold, reps), mw = median(warm, reps), mo = median(off, reps);
  printf("MLP step compile, fresh process each, median of %d (cache in %s):\n", reps, base);
  printf("  cache off: callable %.1f ms, fully optimized %.1f ms\n", mo, median(off_full, reps));
  printf("  cold:      callable %.1f ms, fully optimized %.1f ms\n", mc, median(cold_full, reps));
  printf("  warm:      callable %.1f ms, fully optimized %.1f ms (hit)\n", mw, median(warm_full, reps));
  printf("  warm breakdown: graph to IR %.2f ms, symjit passes %.2f ms, key + load + link + plan %.2f ms\n",
         median(g, reps), median(ps, reps), median(rest, reps));
  printf("BENCH mlp_step_cache warm_ms=%.2f cold_ms=%.2f off_ms=%.2f ratio=%.3f bit_identical=%s\n", mw, mc, mo, mw / mo,
         bad ? "no" : "yes");
  return bad ? 1 : 0;
}
