/* scan-pushout on an LSTM-like forward loop, against the same module
 * compiled without the pass, in the same process (ratios;
 * docs/decisions/0019-scan-pushout.md). The body computes
 *   g = x_t @ W + h @ U + b   (gates [B, 4H])
 *   c' = sigmoid(g_f) * c + sigmoid(g_i) * tanh(g_c),  h' = sigmoid(g_o) * tanh(c')
 * With the pass, x_t @ W + b runs once before the loop as one [n*B, D] @ W
 * GEMM and a bias add; without it, n small GEMMs run inside the loop.
 * Usage: scan_pushout_bench [reps] [D] [H] (defaults 9, 76 and 256; n = 50,
 * B = 32). Prints the median ms of each and the ratio. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "registry.h"
#include "symjit/symjit.h"

enum { N = 50, B = 32 };

typedef struct call {
  sj_function *f;
  sj_tensor *in[6], *out[2];
} call;

static void run(void *p) {
  call *c = p;
  for (int i = 0; i < 2; i++) sj_tensor_free(c->out[i]), c->out[i] = NULL;
  if (sj_function_call(c->f, c->in, 6, c->out, 2) != SJ_OK) exit(1);
}

/* The module text: one LSTM layer over N steps. */
static char *lstm_text(int d, int h) {
  static const char *fmt =
      "func @lstm(%%xs: f32[%d,%d,%d], %%h0: f32[%d,%d], %%c0: f32[%d,%d], %%w: f32[%d,%d], %%u: f32[%d,%d], %%b: f32[%d]) -> (f32[%d,%d], f32[%d,%d]) {\n"
      "  %%H, %%C = scan %%xs, %%h0, %%c0, %%w, %%u, %%b {nseq = 1, nstate = 2, last = [0, 1]} : f32[%d,%d], f32[%d,%d] "
      "(%%x: f32[%d,%d], %%h: f32[%d,%d], %%c: f32[%d,%d], %%ww: f32[%d,%d], %%uu: f32[%d,%d], %%bb: f32[%d]) {\n"
      "    %%p = matmul %%x, %%ww : f32[%d,%d]\n"
      "    %%q = matmul %%h, %%uu : f32[%d,%d]\n"
      "    %%pb = add %%p, %%bb : f32[%d,%d]\n"
      "    %%g = add %%pb, %%q : f32[%d,%d]\n"
      "    %%gi = slice %%g {start = [0, 0], stop = [%d, %d], step = [1, 1]} : f32[%d,%d]\n"
      "    %%gf = slice %%g {start = [0, %d], stop = [%d, %d], step = [1, 1]} : f32[%d,%d]\n"
      "    %%gc = slice %%g {start = [0, %d], stop = [%d, %d], step = [1, 1]} : f32[%d,%d]\n"
      "    %%go = slice %%g {start = [0, %d], stop = [%d, %d], step = [1, 1]} : f32[%d,%d]\n"
      "    %%i = sigmoid %%gi : f32[%d,%d]\n"
      "    %%f = sigmoid %%gf : f32[%d,%d]\n"
      "    %%cc = tanh %%gc : f32[%d,%d]\n"
      "    %%o = sigmoid %%go : f32[%d,%d]\n"
      "    %%fc = mul %%f, %%c : f32[%d,%d]\n"
      "    %%ic = mul %%i, %%cc : f32[%d,%d]\n"
      "    %%c2 = add %%fc, %%ic : f32[%d,%d]\n"
      "    %%tc = tanh %%c2 : f32[%d,%d]\n"
      "    %%h2 = mul %%o, %%tc : f32[%d,%d]\n"
      "    yield %%h2, %%c2\n"
      "  }\n"
      "  return %%H, %%C\n"
      "}\n";
  int g = 4 * h;
  size_t cap = 8192;
  char *s = malloc(cap);
  if (!s) exit(1);
  snprintf(s, cap, fmt, N, B, d, B, h, B, h, d, g, h, g, g, B, h, B, h, B, h, B, h, B, d, B, h, B, h, d, g, h, g, g,
           B, g, B, g, B, g, B, g, B, h, B, h, h, B, 2 * h, B, h, 2 * h, B, 3 * h, B, h, 3 * h, B, g, B, h, B, h, B,
           h, B, h, B, h, B, h, B, h, B, h, B, h, B, h);
  return s;
}

/* The default pipeline without scan-pushout. */
static char *without_pass(void) {
  const char *p = sj_default_pipeline, *k = strstr(p, "scan-pushout,");
  char *s = malloc(strlen(p) + 1);
  if (!s || !k) exit(1);
  memcpy(s, p, (size_t)(k - p));
  strcpy(s + (k - p), k + strlen("scan-pushout,"));
  return s;
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 9, d = argc > 2 ? atoi(argv[2]) : 76, h = argc > 3 ? atoi(argv[3]) : 256;
  sj_ctx *ctx = sj_ctx_new();
  char *text = lstm_text(d, h), *plain = without_pass();
  sj_module *m;
  if (sj_module_parse(ctx, text, strlen(text), "lstm", &m) != SJ_OK) {
    fprintf(stderr, "parse: %s\n", sj_ctx_errmsg(ctx));
    return 1;
  }
  int64_t dims[6][3] = {{N, B, d}, {B, h}, {B, h}, {d, 4 * h}, {h, 4 * h}, {4 * h}};
  int ranks[6] = {3, 2, 2, 2, 2, 1};
  call c[2] = {0};
  for (int k = 0; k < 2; k++) {
    sj_compile_options o;
    sj_compile_options_init(&o);
    o.tiered = 0;
    o.pipeline = k ? plain : NULL;
    if (sj_module_compile(m, "lstm", &o, &c[k].f) != SJ_OK) {
      fprintf(stderr, "compile: %s\n", sj_ctx_errmsg(ctx));
      return 1;
    }
    for (int i = 0; i < 6; i++) {
      c[k].in[i] = sj_tensor_new(SJ_F32, ranks[i], dims[i]);
      sj_tensor_fill_uniform(c[k].in[i], (uint64_t)i + 1, -0.1, 0.1);
    }
  }
  /* alternate so that load changes hit both alike */
  double with = 0, without = 0;
  for (int r = 0; r < 3; r++) {
    with += bench_median_ms(run, &c[0], reps);
    without += bench_median_ms(run, &c[1], reps);
  }
  printf("lstm n=%d B=%d D=%d H=%d (gates %d): with scan-pushout %.3f ms, without %.3f ms, ratio %.2f\n", N, B, d, h,
         4 * h, with / 3, without / 3, without / with);
  for (int k = 0; k < 2; k++) {
    for (int i = 0; i < 6; i++) sj_tensor_free(c[k].in[i]);
    for (int i = 0; i < 2; i++) sj_tensor_free(c[k].out[i]);
    sj_function_free(c[k].f);
  }
  free(text), free(plain);
  sj_ctx_free(ctx);
  return 0;
}
