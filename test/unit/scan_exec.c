/* Executing scan through the C API (docs/decisions/0015-scan-execution.md):
 * results written into the caller's tensors (sj_function_call_into), calls
 * repeated with growing and shrinking step counts (buffers and the `last`
 * scratch reused or grown, never stale), two threads, tiered compiles (the
 * body's kernels swapped with the function's), a data-dependent result shape
 * (until) checked after the run, and a graph-API scan (sj_scan) compiled
 * with sj_compile and called. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "symjit/graph.h"
#include "symjit/symjit.h"
#include "symjit/tensor.h"

#include "check.h"

static const char *const src =
    "func @f(%n: i64[], %xs: f32[?,2], %h0: f32[2]) -> (f32[?,2], f32[2]) {\n"
    "  %H, %L = scan %n, %xs, %h0, %h0 {nseq = 1, nstate = 2, has_n = true, last = [1]} : f32[?,2], f32[2] "
    "(%x: f32[2], %h: f32[2], %g: f32[2]) {\n"
    "    %h2 = add %h, %x : f32[2]\n    %g2 = mul %g, %x : f32[2]\n    yield %h2, %g2\n  }\n"
    "  return %H, %L\n}\n"
    "func @u(%xs: f32[?], %lim: f32[]) -> (f32[?]) {\n"
    "  %z = constant {value = 0.0} : f32[]\n"
    "  %S = scan %xs, %z, %lim {nseq = 1, nstate = 1, until = true} : f32[?] (%x: f32[], %s: f32[], %l: f32[]) {\n"
    "    %s2 = add %s, %x : f32[]\n    %c = gt %s2, %l : bool[]\n    yield %s2, %c\n  }\n"
    "  return %S\n}\n";

static sj_function *compile(sj_ctx *c, const char *fn, int threads, int tiered) {
  sj_module *m = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.num_threads = threads;
  o.tiered = tiered;
  sj_function *f = NULL;
  if (sj_module_parse(c, src, strlen(src), "scan_exec", &m) || sj_module_compile(m, fn, &o, &f))
    fprintf(stderr, "compile: %s\n", sj_ctx_errmsg(c));
  return f;
}

/* @f with n steps over xs[t] = (t+1, -(t+1)), h0 = (1, 2): checked against
 * the recurrence computed here. */
static void call_f(sj_ctx *c, sj_function *f, int64_t n, int64_t rows) {
  int64_t xd[2] = {rows, 2}, hd[1] = {2}, Hd[2] = {n + 1, 2};
  sj_tensor *nt = sj_tensor_new(SJ_I64, 0, NULL), *xs = sj_tensor_new(SJ_F32, 2, xd), *h0 = sj_tensor_new(SJ_F32, 1, hd);
  sj_tensor *H = sj_tensor_new(SJ_F32, 2, Hd), *L = sj_tensor_new(SJ_F32, 1, hd);
  sj_tensor_set(nt, 0, (double)n);
  for (int64_t t = 0; t < rows; t++) sj_tensor_set(xs, 2 * t, (double)(t + 1)), sj_tensor_set(xs, 2 * t + 1, -(double)(t + 1));
  sj_tensor_set(h0, 0, 1), sj_tensor_set(h0, 1, 2);
  sj_tensor *in[3] = {nt, xs, h0}, *out[2] = {H, L};
  sj_status st = sj_function_call_into(f, in, 3, out, 2);
  CHECK(st == SJ_OK);
  if (st) fprintf(stderr, "call: %s\n", sj_ctx_errmsg(c));
  double h[2] = {1, 2}, g[2] = {1, 2};
  bool ok = !st && sj_tensor_get(H, 0) == 1 && sj_tensor_get(H, 1) == 2;
  for (int64_t t = 0; t < n && ok; t++) {
    for (int k = 0; k < 2; k++) {
      double x = k ? -(double)(t + 1) : (double)(t + 1);
      h[k] += x, g[k] *= x;
    }
    ok = sj_tensor_get(H, 2 * (t + 1)) == h[0] && sj_tensor_get(H, 2 * (t + 1) + 1) == h[1];
  }
  ok = ok && sj_tensor_get(L, 0) == g[0] && sj_tensor_get(L, 1) == g[1];
  CHECK(ok);
  if (!ok) fprintf(stderr, "  n = %lld rows = %lld: wrong values\n", (long long)n, (long long)rows);
  sj_tensor_free(nt), sj_tensor_free(xs), sj_tensor_free(h0), sj_tensor_free(H), sj_tensor_free(L);
}

static void test_repeated_calls(int threads, int tiered) {
  sj_ctx *c = sj_ctx_new();
  sj_function *f = compile(c, "f", threads, tiered);
  CHECK(f != NULL);
  if (f) {
    int64_t ns[] = {3, 7, 0, 1, 12, 2, 5}; /* the buffers grow, shrink, parity changes */
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) call_f(c, f, ns[i], ns[i] + 2);
    sj_function_wait(f); /* tier 2 installed: the body's kernels swapped too */
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) call_f(c, f, ns[i], ns[i]);
  }
  sj_function_free(f);
  sj_ctx_free(c);
}

/* until: the result's rows are known after the run; a caller's tensor of
 * another shape is refused then (and nothing is written to it). */
static void test_until_into(void) {
  sj_ctx *c = sj_ctx_new();
  sj_function *f = compile(c, "u", 1, 0);
  CHECK(f != NULL);
  if (f) {
    int64_t xd[1] = {5}, sd[1] = {4}, bad[1] = {6};
    sj_tensor *xs = sj_tensor_new(SJ_F32, 1, xd), *lim = sj_tensor_new(SJ_F32, 0, NULL);
    for (int i = 0; i < 5; i++) sj_tensor_set(xs, i, 1);
    sj_tensor_set(lim, 0, 2.5); /* sums 1, 2, 3: stops after step 3 */
    sj_tensor *S = sj_tensor_new(SJ_F32, 1, sd), *B = sj_tensor_new(SJ_F32, 1, bad), *in[2] = {xs, lim};
    CHECK(sj_function_call_into(f, in, 2, &S, 1) == SJ_OK);
    CHECK(sj_tensor_get(S, 0) == 0 && sj_tensor_get(S, 1) == 1 && sj_tensor_get(S, 2) == 2 && sj_tensor_get(S, 3) == 3);
    CHECK(sj_function_call_into(f, in, 2, &B, 1) != SJ_OK);
    CHECK(strstr(sj_ctx_errmsg(c), "output 0 must be a f32[4] tensor (its shape depends on the data)") != NULL);
    sj_tensor *out = NULL;
    CHECK(sj_function_call(f, in, 2, &out, 1) == SJ_OK);
    CHECK(out && sj_tensor_dims(out)[0] == 4 && sj_tensor_get(out, 3) == 3);
    sj_tensor_free(out), sj_tensor_free(xs), sj_tensor_free(lim), sj_tensor_free(S), sj_tensor_free(B);
  }
  sj_function_free(f);
  sj_ctx_free(c);
}

/* A graph-API scan: x_t = x_{t-1} * A, k steps (PyTensor's test_power). */
static void power_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud;
  st->outputs[0] = sj_mul(st->args[0], st->args[1]);
}

static void test_graph_power(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {4};
  sj_var *A = sj_input(c, "A", SJ_F64, 1, d);
  sj_var *k = sj_input(c, "k", SJ_I32, 0, NULL);
  sj_var *one = sj_add(sj_mul(A, sj_scalar(c, 0, SJ_F64)), sj_scalar(c, 1, SJ_F64));
  sj_scan_options o = {.outputs_info = &one, .nout = 1, .non_sequences = &A, .nnonseq = 1, .n_steps = k};
  sj_var *res[1], *ins[2] = {A, k};
  sj_function *f = NULL;
  CHECK(sj_scan(c, power_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  CHECK(sj_compile(c, ins, 2, res, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
  sj_tensor *a = sj_tensor_new(SJ_F64, 1, d), *kt = sj_tensor_new(SJ_I32, 0, NULL);
  for (int i = 0; i < 4; i++) sj_tensor_set(a, i, i + 1);
  for (int kk = 3; f && kk >= 0; kk -= 3) {
    sj_tensor_set(kt, 0, kk);
    sj_tensor *in[2] = {a, kt}, *out = NULL;
    CHECK(sj_function_call(f, in, 2, &out, 1) == SJ_OK);
    CHECK(out && sj_tensor_dims(out)[0] == kk && sj_tensor_dims(out)[1] == 4);
    for (int t = 0; out && t < kk; t++)
      for (int i = 0; i < 4; i++) CHECK(sj_tensor_get(out, t * 4 + i) == pow(i + 1, t + 1));
    sj_tensor_free(out);
  }
  sj_tensor_free(a), sj_tensor_free(kt);
  sj_function_free(f);
  sj_ctx_free(c);
}

int main(void) {
  test_repeated_calls(1, 0);
  test_repeated_calls(2, 1);
  test_until_into();
  test_graph_power();
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
