/* A program outside symjit's tree that uses only its installed public API
 * (test/install/run.sh builds it three ways): parses a function, compiles
 * it, calls it on 2x3 @ 3x2 (a BLAS product, so the runtime's OpenBLAS
 * loading runs too) plus a softplus, and checks the numbers. Exit 0 only
 * when they are right. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <symjit/graph.h>
#include <symjit/info.h>
#include <symjit/symjit.h>

/* Only include/ is on a consumer's include path: symjit's internal headers
 * must not be reachable (they are not installed, and an add_subdirectory
 * build must not leak its source folders either). */
#if __has_include("runtime.h") || __has_include("ir.h") || __has_include("registry.h") || __has_include("codegen.h")
#error "symjit's internal include folders leak into its consumers"
#endif

static const char *const src = "func @f(%x: f32[2,3], %w: f32[3,2]) -> (f32[2,2]) {\n"
                               "  %0 = matmul %x, %w : f32[2,2]\n"
                               "  %1 = softplus %0 : f32[2,2]\n"
                               "  return %1\n"
                               "}\n";

int main(void) {
  float x[6] = {1, 2, 3, 4, 5, 6}, w[6] = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f};
  int64_t dx[2] = {2, 3}, dw[2] = {3, 2};
  sj_ctx *ctx = sj_ctx_new();
  sj_module *m = NULL;
  sj_function *f = NULL;
  sj_tensor *in[2] = {sj_tensor_wrap(SJ_F32, 2, dx, x), sj_tensor_wrap(SJ_F32, 2, dw, w)}, *out[1] = {NULL};
  int rc = 1;
  if (sj_module_parse(ctx, src, strlen(src), "consumer.sj", &m) != SJ_OK || sj_module_compile(m, "f", NULL, &f) != SJ_OK ||
      sj_function_call(f, in, 2, out, 1) != SJ_OK) {
    fprintf(stderr, "consumer: %s", sj_ctx_errmsg(ctx));
  } else {
    rc = 0;
    for (int i = 0; i < 2; i++)
      for (int j = 0; j < 2; j++) {
        double d = 0;
        for (int k = 0; k < 3; k++) d += (double)x[i * 3 + k] * w[k * 2 + j];
        double want = log1p(exp(d)), got = sj_tensor_get(out[0], i * 2 + j);
        if (fabs(got - want) > 1e-5 * (1 + fabs(want))) {
          fprintf(stderr, "consumer: out[%d,%d] = %g, want %g\n", i, j, got, want);
          rc = 1;
        }
      }
  }
  printf("consumer: symjit %s; BLAS: %s; %s\n", sj_version(), sj_blas_info(), rc ? "WRONG" : "ok");
  sj_tensor_free(out[0]);
  sj_tensor_free(in[0]);
  sj_tensor_free(in[1]);
  sj_function_free(f);
  sj_ctx_free(ctx);
  return rc;
}
