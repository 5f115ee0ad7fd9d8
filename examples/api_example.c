/* Embedding symjit from C: parse a module, compile a function, call it.
 * Build: part of the CMake build (target api_example); run ./build/api_example */
#include <stdio.h>
#include <string.h>

#include "symjit/symjit.h"
#include "symjit/info.h"

static const char *const src =
    "// softplus(x @ W + b), row sums\n"
    "func @layer(%x: f32[?,3], %W: f32[3,2], %b: f32[2]) -> (f32[?,2], f32[?]) {\n"
    "  %0 = matmul %x, %W : f32[?,2]\n"
    "  %1 = add %0, %b : f32[?,2]\n"
    "  %2 = softplus %1 : f32[?,2]\n"
    "  %3 = sum %2 {axes = [1]} : f32[?]\n"
    "  return %2, %3\n"
    "}\n";

int main(void) {
  sj_ctx *ctx = sj_ctx_new();
  sj_module *m = NULL;
  sj_function *f = NULL;
  int rc = 1;
  if (sj_module_parse(ctx, src, strlen(src), "layer.sj", &m) != SJ_OK ||
      sj_module_compile(m, "layer", NULL, &f) != SJ_OK) {
    fprintf(stderr, "%s", sj_ctx_errmsg(ctx));
    goto done;
  }
  printf("compiled @layer in %.1f ms; BLAS: %s\n", sj_function_compile_ms(f), sj_blas_info());

  /* inputs over caller memory (borrowed, not copied) */
  float x[4 * 3] = {1, 2, 3, 4, 5, 6, -1, -2, -3, 0, 0.5f, 1};
  float W[3 * 2] = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f};
  float b[2] = {0.01f, -0.01f};
  int64_t dx[2] = {4, 3}, dW[2] = {3, 2}, db[1] = {2};
  sj_tensor *in[3] = {sj_tensor_wrap(SJ_F32, 2, dx, x), sj_tensor_wrap(SJ_F32, 2, dW, W),
                      sj_tensor_wrap(SJ_F32, 1, db, b)};
  sj_tensor *out[2] = {NULL, NULL};
  if (sj_function_call(f, in, 3, out, 2) != SJ_OK) {
    fprintf(stderr, "%s", sj_ctx_errmsg(ctx));
  } else {
    for (int64_t i = 0; i < 4; i++)
      printf("row %lld: softplus = [%.5f, %.5f], sum = %.5f\n", (long long)i, sj_tensor_get(out[0], 2 * i),
             sj_tensor_get(out[0], 2 * i + 1), sj_tensor_get(out[1], i));
    rc = 0;
  }

  /* a wrong shape is an error with a message, not a crash */
  int64_t bad[2] = {4, 5};
  sj_tensor *wrong = sj_tensor_wrap(SJ_F32, 2, bad, x);
  sj_tensor *in2[3] = {wrong, in[1], in[2]};
  sj_tensor *out2[2];
  if (sj_function_call(f, in2, 3, out2, 2) != SJ_OK) printf("expected error: %s", sj_ctx_errmsg(ctx));
  sj_tensor_free(wrong);
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
  for (int i = 0; i < 2; i++) sj_tensor_free(out[i]);
done:
  sj_function_free(f);
  sj_ctx_free(ctx);
  return rc;
}
