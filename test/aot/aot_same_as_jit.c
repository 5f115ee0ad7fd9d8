/* An exported function computes the same bits as the JIT'd one: the same
 * IR, optimized the same way for the same CPU (test/CMakeLists.txt exports
 * `lay`, `rows` and `rnn` (a scan: test/Run/scan-rnn.sj) with symjit-aot; this program links them with libsymjit
 * and JIT-compiles the same files at the same level). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "lay.h"
#include "rnn.h"
#include "rows.h"
#include "symjit/symjit.h"

static float frand(unsigned *st) {
  *st = *st * 1103515245u + 12345u;
  return (float)((*st >> 8) & 0xffff) / 65536.0f - 0.5f;
}

static sj_function *jit(sj_ctx *c, const char *path, const char *func) {
  sj_module *m = NULL;
  sj_function *f = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.tiered = 0; /* fully optimized, as exported */
  if (sj_module_load(c, path, &m) || sj_module_compile(m, func, &o, &f)) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  return f;
}

/* Runs f (JIT) and the state s (exported) on the same tensors; the outputs
 * must be identical bit for bit. */
static void same(sj_ctx *c, sj_function *f, sj_aot_state *s, sj_tensor **in, size_t nin, size_t nout, const char *what) {
  sj_tensor *a[8] = {0}, *b[8] = {0};
  CHECK(sj_function_call(f, in, nin, a, nout) == SJ_OK);
  CHECK(sj_aot_call_tensors(s, in, nin, b, nout) == SJ_OK);
  for (size_t i = 0; i < nout && a[i] && b[i]; i++) {
    bool eq = sj_tensor_nbytes(a[i]) == sj_tensor_nbytes(b[i]) &&
              !memcmp(sj_tensor_data(a[i]), sj_tensor_data(b[i]), sj_tensor_nbytes(a[i]));
    if (!eq) fprintf(stderr, "%s: output %zu differs (%s / %s)\n", what, i, sj_ctx_errmsg(c), sj_aot_errmsg(s));
    CHECK(eq);
  }
  for (size_t i = 0; i < nout; i++) sj_tensor_free(a[i]), sj_tensor_free(b[i]);
}

static sj_tensor *rnd(sj_dtype dt, int rank, const int64_t *d, unsigned seed) {
  sj_tensor *t = sj_tensor_new(dt, rank, d);
  for (int64_t i = 0; t && i < sj_tensor_numel(t); i++) sj_tensor_set(t, i, 4 * frand(&seed));
  return t;
}

int main(void) {
  sj_ctx *c = sj_ctx_new();
  sj_function *fl = jit(c, SJ_SOURCE_DIR "/examples/mlp_layer.sj", "mlp");
  sj_function *fr = jit(c, SJ_SOURCE_DIR "/test/aot/Inputs/rows.sj", "softmax_parts");
  lay_state *l = lay_new(0);
  rows_state *r = rows_new(0);
  CHECK(fl && fr && l && r);
  if (!fl || !fr || !l || !r) return 1;
  for (int64_t n = 1; n <= 513; n += 256) {
    int64_t xd[2] = {n, 784}, w1d[2] = {784, 128}, b1d[1] = {128}, w2d[2] = {128, 10}, b2d[1] = {10};
    sj_tensor *in[5] = {rnd(SJ_F32, 2, xd, 1), rnd(SJ_F32, 2, w1d, 2), rnd(SJ_F32, 1, b1d, 3), rnd(SJ_F32, 2, w2d, 4), rnd(SJ_F32, 1, b2d, 5)};
    same(c, fl, l, in, 5, 1, "mlp_layer");
    for (int i = 0; i < 5; i++) sj_tensor_free(in[i]);
    int64_t ad[2] = {n, n / 2 + 3};
    sj_tensor *rin[2] = {rnd(SJ_F32, 2, ad, 6), rnd(SJ_F64, 0, NULL, 7)};
    same(c, fr, r, rin, 2, 2, "rows");
    sj_tensor_free(rin[0]), sj_tensor_free(rin[1]);
  }
  sj_function *fn = jit(c, SJ_SOURCE_DIR "/test/Run/scan-rnn.sj", "rnn");
  rnn_state *rs = rnn_new(0);
  CHECK(fn && rs);
  int64_t xsd[3] = {3, 2, 3}, h0d[2] = {2, 4}, wd[2] = {3, 4}, ud[2] = {4, 4}, bd[1] = {4};
  sj_tensor *nin[5] = {rnd(SJ_F32, 3, xsd, 8), rnd(SJ_F32, 2, h0d, 9), rnd(SJ_F32, 2, wd, 10), rnd(SJ_F32, 2, ud, 11),
                       rnd(SJ_F32, 1, bd, 12)};
  if (fn && rs) same(c, fn, rs, nin, 5, 5, "scan-rnn");
  for (int i = 0; i < 5; i++) sj_tensor_free(nin[i]);
  rnn_free(rs);
  lay_free(l), rows_free(r);
  sj_function_free(fl), sj_function_free(fr), sj_function_free(fn);
  sj_ctx_free(c);
  if (!failures) printf("aot_same_as_jit: ok\n");
  return failures != 0;
}
