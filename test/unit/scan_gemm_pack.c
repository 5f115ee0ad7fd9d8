/* A scan's per-step GEMM with a non-sequence weight runs on op(w) packed
 * once per run of the loop (decision 0039; lib/api/scan_exec.c, on CPUs
 * where sj_rt_gemm_packed_fast). The weight's data changes in place between
 * calls (as an optimizer's update does): each call must see the new weight,
 * so a pack kept across runs would fail here. Shapes: a small product (on
 * the caller, with an edge panel), a tiny one (BLAS: too small to pay,
 * sj_rt_gemm_packed_pays), the LSTM's [32,256] @ [256,256] (split over the pool), and
 * a transposed weight (op(w) = w^T, trans_b), on 1 and 2 threads; against
 * the recurrence computed here in double precision. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"
#include "symjit/symjit.h"
#include "symjit/tensor.h"

#include "check.h"

/* h_t = h_{t-1} @ op(w) + x_t, every state kept (h is [B, K], w [K, K]) */
static const char *source(int64_t B, int64_t K, bool tw) {
  static char buf[2048];
  char h[32], w[32], tr[128] = "";
  snprintf(h, sizeof h, "f32[%lld,%lld]", (long long)B, (long long)K);
  snprintf(w, sizeof w, "f32[%lld,%lld]", (long long)K, (long long)K);
  if (tw) snprintf(tr, sizeof tr, "    %%wt = transpose %%ww {perm = [1, 0]} : %s\n", w);
  snprintf(buf, sizeof buf,
           "func @f(%%xs: f32[?,%lld,%lld], %%h0: %s, %%w: %s) -> (f32[?,%lld,%lld]) {\n"
           "  %%H = scan %%xs, %%h0, %%w {nseq = 1, nstate = 1} : f32[?,%lld,%lld] (%%x: %s, %%h: %s, %%ww: %s) {\n"
           "%s    %%p = matmul %%h, %s : %s\n    %%h2 = add %%p, %%x : %s\n    yield %%h2\n  }\n"
           "  return %%H\n}\n",
           (long long)B, (long long)K, h, w, (long long)B, (long long)K, (long long)B, (long long)K, h, h, w, tr,
           tw ? "%wt" : "%ww", h, h);
  return buf;
}

static void check_run(sj_function *f, int64_t n, int64_t B, int64_t K, bool tw, unsigned seed, sj_tensor *w) {
  int64_t xd[3] = {n, B, K}, hd[2] = {B, K};
  sj_tensor *xs = sj_tensor_new(SJ_F32, 3, xd), *h0 = sj_tensor_new(SJ_F32, 2, hd), *H = NULL;
  float *x = sj_tensor_data(xs), *h = sj_tensor_data(h0), *wd = sj_tensor_data(w);
  for (int64_t i = 0; i < n * B * K; i++) x[i] = (float)((int)((i * 7 + seed) % 11) - 5) / 8.0f;
  for (int64_t i = 0; i < B * K; i++) h[i] = (float)((int)((i * 3 + seed) % 5) - 2) / 4.0f;
  for (int64_t i = 0; i < K * K; i++) wd[i] = (float)((int)((i * 13 + seed * 5) % 9) - 4) / (16.0f * (float)K);
  sj_tensor *in[3] = {xs, h0, w};
  CHECK(sj_function_call(f, in, 3, &H, 1) == SJ_OK);
  double *hp = malloc((size_t)(B * K) * 8), *hn = malloc((size_t)(B * K) * 8);
  for (int64_t i = 0; i < B * K; i++) hp[i] = h[i];
  bool ok = H != NULL;
  for (int64_t t = 0; t < n && ok; t++) {
    for (int64_t i = 0; i < B; i++)
      for (int64_t j = 0; j < K; j++) {
        double s = x[(t * B + i) * K + j];
        for (int64_t k = 0; k < K; k++) s += hp[i * K + k] * (double)wd[tw ? j * K + k : k * K + j];
        hn[i * K + j] = s;
      }
    const float *got = (const float *)sj_tensor_data(H) + (t + 1) * B * K;
    for (int64_t i = 0; i < B * K && ok; i++)
      if (fabs(got[i] - hn[i]) > 1e-4 * (1 + fabs(hn[i]))) {
        fprintf(stderr, "  %lldx%lld tw=%d seed %u step %lld element %lld: %g, want %g\n", (long long)B, (long long)K,
                tw, seed, (long long)t, (long long)i, (double)got[i], hn[i]);
        ok = false;
      }
    memcpy(hp, hn, (size_t)(B * K) * 8);
  }
  CHECK(ok);
  free(hp), free(hn);
  sj_tensor_free(xs), sj_tensor_free(h0), sj_tensor_free(H);
}

static void case_(int64_t B, int64_t K, bool tw, int threads) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = NULL;
  sj_function *f = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.num_threads = threads;
  const char *src = source(B, K, tw);
  if (sj_module_parse(c, src, strlen(src), "scan_gemm_pack", &m) || sj_module_compile(m, "f", &o, &f))
    fprintf(stderr, "compile: %s\n", sj_ctx_errmsg(c));
  CHECK(f != NULL);
  if (f) {
    int64_t wd[2] = {K, K};
    sj_tensor *w = sj_tensor_new(SJ_F32, 2, wd);
    check_run(f, 4, B, K, tw, 1, w);
    check_run(f, 3, B, K, tw, 2, w); /* the same w tensor, new data: repacked */
    check_run(f, 0, B, K, tw, 3, w);
    check_run(f, 2, B, K, tw, 4, w);
    sj_tensor_free(w);
  }
  sj_function_free(f);
  sj_ctx_free(c);
}

int main(void) {
  for (int threads = 1; threads <= 2; threads++)
    for (int tw = 0; tw <= 1; tw++) {
      case_(8, 100, tw, threads); /* 80000 multiply-adds: packed, an edge panel */
      case_(3, 1, tw, threads); /* too small to pack: BLAS */
      case_(32, 256, tw, threads);
    }
  printf("packed kernel: %s\n", sj_rt_gemm_packed_fast() ? "avx512 (packs used)" : "none (BLAS)");
  return failures != 0;
}
