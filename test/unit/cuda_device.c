/* lib/runtime/cuda_driver.c on a real CUDA device: a hand-written PTX
 * kernel (add one to each float, bounds-checked, assembled by ptxas for
 * sm_80 and sm_90 when it was written) loaded through the driver's JIT,
 * memory, copies, a launch of several blocks with a partial last one, the
 * result checked element by element; then the driver's rejection of bad
 * PTX with its error log in the message; a graph training step with its
 * shared variable on the device against the same step on the CPU; matmuls
 * (the device GEMM: transpositions, an accumulator with alpha/beta, K = 0,
 * batches broadcast wholly and partly, a bias + tanh epilogue, f16
 * storage; sizes not multiples of the 64-wide tile) against the CPU; scans
 * (an RNN with a matmul in its body, reverse with a state kept `last`,
 * `until` stopping early, a computed step count, nested loops with an
 * inner `until`) against the CPU, and random draws bit for bit (decision
 * 0037: drawn on the host, so the device must give the CPU's bits); an LSTM
 * training step (sj_scan, backpropagation through time, SGD; the weights
 * device-resident) over a few steps against the CPU. `--lstm-bench`
 * instead times that step at char_lstm's size, device against CPU in the
 * same run (scripts/gpu-check.sh prints it). Exits
 * 77 (ctest: skipped) when there is no usable driver or device: on such a
 * machine it has checked nothing. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cuda_driver.h"
#include "symjit/graph.h"

#include "check.h"

static const char add_one_ptx[] =
    ".version 7.0\n"
    ".target sm_80\n"
    ".address_size 64\n"
    "\n"
    ".visible .entry add_one(\n"
    "  .param .u64 add_one_p,\n"
    "  .param .u64 add_one_n\n"
    ")\n"
    "{\n"
    "  .reg .pred   %p<2>;\n"
    "  .reg .b32   %r<4>;\n"
    "  .reg .f32   %f<3>;\n"
    "  .reg .b64   %rd<8>;\n"
    "\n"
    "  ld.param.u64   %rd1, [add_one_p];\n"
    "  ld.param.u64   %rd2, [add_one_n];\n"
    "  cvta.to.global.u64   %rd3, %rd1;\n"
    "  mov.u32   %r1, %ctaid.x;\n"
    "  mov.u32   %r2, %ntid.x;\n"
    "  mov.u32   %r3, %tid.x;\n"
    "  cvt.u64.u32   %rd5, %r3;\n"
    "  mad.wide.u32   %rd4, %r1, %r2, %rd5;\n"
    "  setp.ge.u64   %p1, %rd4, %rd2;\n"
    "  @%p1 bra   $L_done;\n"
    "  shl.b64   %rd6, %rd4, 2;\n"
    "  add.s64   %rd7, %rd3, %rd6;\n"
    "  ld.global.f32   %f1, [%rd7];\n"
    "  add.rn.f32   %f2, %f1, 0f3F800000;\n"
    "  st.global.f32   [%rd7], %f2;\n"
    "$L_done:\n"
    "  ret;\n"
    "}\n";

#define N 100003 /* not a multiple of the block: the bounds check matters */

static void check_add_one(sj_cu_dev *d) {
  char err[4096];
  sj_cu_stream *s = NULL;
  sj_cu_module *m = NULL;
  sj_cu_fn *fn = NULL;
  sj_cu_ptr p = 0, guard = 0;
  float *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
  CHECK(x && y);
  if (!x || !y) return;
  for (int i = 0; i < N; i++) x[i] = (float)i * 0.5f;
  CHECK(sj_cu_stream_new(d, &s, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_module_load(d, add_one_ptx, &m, err, sizeof err) == SJ_OK);
  if (!m) fprintf(stderr, "%s\n", err);
  CHECK(m && sj_cu_function(d, m, "add_one", &fn, err, sizeof err) == SJ_OK);
  CHECK(fn && sj_cu_fn_max_threads(d, fn) >= 256);
  /* `guard` right after p in allocation order: a kernel writing past n
   * would most likely land in it */
  CHECK(sj_cu_alloc(d, N * sizeof *x, &p, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_alloc(d, 4096, &guard, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_zero(d, s, guard, 4096, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_to_device(d, s, p, x, N * sizeof *x, err, sizeof err) == SJ_OK);
  int64_t n = N;
  void *args[2] = {&p, &n};
  sj_cu_launch_dims ld = {{(N + 255) / 256, 1, 1}, {256, 1, 1}, 0};
  CHECK(fn && sj_cu_launch(d, s, fn, &ld, args, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_sync(d, s, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_to_host(d, s, y, p, N * sizeof *y, err, sizeof err) == SJ_OK);
  int bad = 0;
  for (int i = 0; i < N; i++) bad += y[i] != x[i] + 1.0f;
  CHECK(bad == 0);
  unsigned char g[4096];
  CHECK(sj_cu_to_host(d, s, g, guard, sizeof g, err, sizeof err) == SJ_OK);
  int dirty = 0;
  for (size_t i = 0; i < sizeof g; i++) dirty += g[i] != 0;
  CHECK(dirty == 0);
  sj_cu_free(d, p);
  sj_cu_free(d, guard);
  sj_cu_module_free(d, m);
  sj_cu_stream_free(d, s);
  free(x), free(y);
}

static void check_rejections(sj_cu_dev *d) {
  char err[4096];
  sj_cu_module *m = NULL;
  static const char bad[] = ".version 7.0\n.target sm_80\n.address_size 64\n.visible .entry k()\n{\n  no_such_op.f32 %f1;\n}\n";
  CHECK(sj_cu_module_load(d, bad, &m, err, sizeof err) != SJ_OK && m == NULL);
  CHECK(strstr(err, "the CUDA driver rejected the PTX (cuModuleLoadDataEx: ") == err);
  fprintf(stderr, "note: bad PTX: %s\n", err);
  static const char future[] = ".version 99.0\n.target sm_80\n.address_size 64\n";
  CHECK(sj_cu_module_load(d, future, &m, err, sizeof err) != SJ_OK && m == NULL);
  CHECK(strstr(err, "the CUDA driver") == err);
  fprintf(stderr, "note: PTX ISA 99.0: %s\n", err);
}

/* A graph training step on the device against the same step on the CPU:
 * w -= 0.5 * x * sum(w * x) for 3 calls (the update reads the output's
 * reduction: a fused kernel and a two-stage reduction), then the losses and
 * w compared (f32, rtol 1e-4: the device sums in another order), w read
 * back through sj_shared_value (the device copy comes home). */
#define NW 1000
static int step_run(const char *device, float *losses, float *w_out) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {NW};
  sj_tensor *w0 = sj_tensor_new(SJ_F32, 1, d), *xt = sj_tensor_new(SJ_F32, 1, d);
  sj_tensor_fill_uniform(w0, 1, -1, 1);
  sj_tensor_fill_uniform(xt, 2, -0.05, 0.05);
  sj_var *w = sj_shared(c, "w", w0);
  sj_var *x = sj_input(c, "x", SJ_F32, 1, d);
  sj_var *loss = sj_sum(sj_mul(w, x), 0, NULL, false);
  sj_update up = {w, sj_sub(w, sj_mul(sj_mul(sj_scalar(c, 0.5, SJ_F32), x), loss))};
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = device;
  sj_function *f = NULL;
  int ok = sj_compile(c, &x, 1, &loss, 1, &up, 1, NULL, 0, &o, &f) == SJ_OK;
  for (int k = 0; ok && k < 3; k++) {
    sj_tensor *out = NULL;
    ok = sj_function_call(f, &xt, 1, &out, 1) == SJ_OK;
    if (ok) losses[k] = (float)sj_tensor_get(out, 0);
    sj_tensor_free(out);
  }
  const sj_tensor *wv = ok ? sj_shared_value(w) : NULL;
  if (wv) memcpy(w_out, sj_tensor_data(wv), NW * sizeof *w_out);
  if (!ok || !wv) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  sj_function_free(f);
  sj_tensor_free(w0);
  sj_tensor_free(xt);
  sj_ctx_free(c);
  return ok && wv;
}

static int close_to(float g, float r) { return fabsf(g - r) <= 1e-5f + 1e-4f * fabsf(r); }

static void check_training_step(void) {
  float lg[3], lc[3], wg[NW], wc[NW];
  CHECK(step_run("cuda", lg, wg));
  CHECK(step_run(NULL, lc, wc));
  for (int k = 0; k < 3; k++) CHECK(close_to(lg[k], lc[k]));
  int bad = 0;
  for (int i = 0; i < NW; i++) bad += !close_to(wg[i], wc[i]);
  CHECK(bad == 0);
}

/* Matmuls on the device against the CPU (BLAS). */
static const char mm_src[] =
    "func @nn(%a: f32[?,?], %b: f32[?,?]) -> (f32[?,?]) {\n"
    "  %0 = matmul %a, %b : f32[?,?]\n  return %0\n}\n"
    "func @tt(%a: f64[?,?], %b: f64[?,?], %z: f64[?,?]) -> (f64[?,?]) {\n"
    "  %m = dim %a {axis = 1} : i64\n  %n = dim %b {axis = 0} : i64\n  %c = alloc %m, %n : f64[?,?]\n"
    "  gemm %a, %b, %c, %z {trans_a = true, trans_b = true, alpha = 2.0, beta = -1.5}\n  return %c\n}\n"
    "func @nt(%a: f32[?,?], %b: f32[?,?]) -> (f32[?,?]) {\n"
    "  %m = dim %a {axis = 0} : i64\n  %n = dim %b {axis = 0} : i64\n  %c = alloc %m, %n : f32[?,?]\n"
    "  gemm %a, %b, %c {trans_b = true, alpha = 0.5}\n  return %c\n}\n"
    "func @bx(%a: f32[?,1,?,?], %b: f32[1,?,?,?]) -> (f32[?,?,?,?]) {\n"
    "  %0 = matmul %a, %b : f32[?,?,?,?]\n  return %0\n}\n"
    "func @b3(%a: f32[?,?,?], %b: f32[?,?]) -> (f32[?,?,?]) {\n"
    "  %0 = matmul %a, %b : f32[?,?,?]\n  return %0\n}\n"
    "func @epi(%a: f32[?,?], %b: f32[?,?], %v: f32[?]) -> (f32[?,?]) {\n"
    "  %0 = matmul %a, %b : f32[?,?]\n  %1 = add %0, %v : f32[?,?]\n  %2 = tanh %1 : f32[?,?]\n  return %2\n}\n"
    "func @half(%a: f16[?,?], %b: f16[?,?]) -> (f16[?,?]) {\n"
    "  %0 = matmul %a, %b : f16[?,?]\n  return %0\n}\n"
    /* fused epilogues (decision 0038): static columns, a scalar operand */
    "func @epis(%a: f32[?,?], %b: f32[?,70], %v: f32[70]) -> (f32[?,70]) {\n"
    "  %0 = matmul %a, %b : f32[?,70]\n  %1 = sub %v, %0 : f32[?,70]\n  %c = constant {value = 0.5} : f32[]\n"
    "  %2 = mul %1, %c : f32[?,70]\n  %3 = exp %2 : f32[?,70]\n  return %3\n}\n"
    /* not per element: the GEMM, then the softmax over rows */
    "func @sm(%a: f32[?,?], %b: f32[?,?]) -> (f32[?,?]) {\n"
    "  %0 = matmul %a, %b : f32[?,?]\n  %1 = softmax %0 {axis = 1} : f32[?,?]\n  return %1\n}\n";

/* @fn on `device` with in; its output into *out (the caller frees). */
static int mm_run(const char *device, const char *fn, sj_tensor **in, size_t nin, sj_tensor **out) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = NULL;
  sj_function *f = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = device;
  *out = NULL;
  int ok = sj_module_parse(c, mm_src, sizeof mm_src - 1, "mm.sj", &m) == SJ_OK &&
           sj_module_compile(m, fn, &o, &f) == SJ_OK && sj_function_call(f, in, nin, out, 1) == SJ_OK;
  if (!ok) fprintf(stderr, "@%s on %s: %s", fn, device ? device : "cpu", sj_ctx_errmsg(c));
  sj_function_free(f);
  sj_ctx_free(c);
  return ok;
}

/* One case: shapes of up to 3 inputs (rank, dims); the device's output
 * and the CPU's agree within rtol (f32 and f64: another summation order;
 * f16: one rounding of the f32 result). */
typedef struct mm_case {
  const char *fn;
  sj_dtype dt;
  int nin, rank[3];
  int64_t dims[3][4];
  double rtol;
} mm_case;

static void check_matmul_case(const mm_case *k) {
  sj_tensor *in[3] = {0};
  for (int i = 0; i < k->nin; i++) {
    in[i] = sj_tensor_new(k->dt, k->rank[i], k->dims[i]);
    sj_tensor_fill_uniform(in[i], 100 + (uint64_t)i, -1, 1);
  }
  sj_tensor *g = NULL, *r = NULL;
  int ok = mm_run("cuda", k->fn, in, (size_t)k->nin, &g) && mm_run(NULL, k->fn, in, (size_t)k->nin, &r);
  CHECK(ok);
  int64_t n = ok ? sj_tensor_numel(r) : 0, bad = 0;
  CHECK(!ok || sj_tensor_numel(g) == n);
  for (int64_t i = 0; ok && i < n && sj_tensor_numel(g) == n; i++) {
    double a = sj_tensor_get(g, i), b = sj_tensor_get(r, i);
    if (!(fabs(a - b) <= k->rtol * (1 + fabs(b)))) {
      if (!bad) fprintf(stderr, "@%s: element %lld: device %g, cpu %g\n", k->fn, (long long)i, a, b);
      bad++;
    }
  }
  CHECK(bad == 0);
  sj_tensor_free(g), sj_tensor_free(r);
  for (int i = 0; i < k->nin; i++) sj_tensor_free(in[i]);
}

static void check_matmuls(void) {
  const mm_case cases[] = {
      {"nn", SJ_F32, 2, {2, 2}, {{130, 37}, {37, 70}}, 1e-4},
      {"nn", SJ_F32, 2, {2, 2}, {{257, 300}, {300, 129}}, 1e-4},
      {"nn", SJ_F32, 2, {2, 2}, {{5, 0}, {0, 7}}, 0}, /* K = 0: zeros, whatever the fresh memory held */
      {"tt", SJ_F64, 3, {2, 2, 2}, {{37, 130}, {70, 37}, {130, 70}}, 1e-12},
      {"nt", SJ_F32, 2, {2, 2}, {{65, 17}, {66, 17}}, 1e-4},
      {"bx", SJ_F32, 2, {4, 4}, {{2, 1, 33, 9}, {1, 3, 9, 65}}, 1e-4},
      {"b3", SJ_F32, 2, {3, 2}, {{4, 70, 19}, {19, 66}}, 1e-4},
      {"epi", SJ_F32, 3, {2, 2, 1}, {{130, 20}, {20, 70}, {70}}, 1e-4},
      {"half", SJ_F16, 2, {2, 2}, {{130, 40}, {40, 70}}, 2e-3},
      {"epi", SJ_F32, 3, {2, 2, 1}, {{257, 65}, {65, 129}, {129}}, 1e-4},
      {"epi", SJ_F32, 3, {2, 2, 1}, {{3, 0}, {0, 5}, {5}}, 1e-5}, /* K = 0: tanh(v) (libdevice vs libm) */
      {"epis", SJ_F32, 3, {2, 2, 1}, {{100, 33}, {33, 70}, {70}}, 1e-4},
      {"sm", SJ_F32, 2, {2, 2}, {{130, 20}, {20, 300}}, 1e-4},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) check_matmul_case(&cases[i]);
}

/* Scans and random draws on the device against the same function on the CPU. */
static const char loop_src[] =
    "func @rnn(%xs: f32[?,?,?], %h0: f32[?,?], %w: f32[?,?]) -> (f32[?,?,?], f32[?,?]) {\n"
    "  %H, %L = scan %xs, %h0, %h0, %w {nseq = 1, nstate = 2, last = [1]} : f32[?,?,?], f32[?,?] (%x: f32[?,?], %h: f32[?,?], %g: f32[?,?], %v: f32[?,?]) {\n"
    "    %m = matmul %h, %v : f32[?,?]\n    %a = add %m, %x : f32[?,?]\n    %h2 = tanh %a : f32[?,?]\n"
    "    %g2 = add %g, %h2 : f32[?,?]\n    yield %h2, %g2\n  }\n  return %H, %L\n}\n"
    "func @rev(%xs: f32[?], %h0: f32[]) -> (f32[?], f32[]) {\n"
    "  %H, %L = scan %xs, %h0, %h0 {nseq = 1, nstate = 2, reverse = true, last = [1]} : f32[?], f32[] (%x: f32[], %h: f32[], %g: f32[]) {\n"
    "    %h2 = add %h, %x : f32[]\n    %g2 = mul %g, %x : f32[]\n    yield %h2, %g2\n  }\n  return %H, %L\n}\n"
    "func @u(%xs: f32[?], %h0: f32[], %lim: f32[]) -> (f32[?], f32[?], f32[]) {\n"
    "  %H, %Y = scan %xs, %h0, %lim {nseq = 1, nstate = 1, until = true} : f32[?], f32[?] (%x: f32[], %h: f32[], %l: f32[]) {\n"
    "    %h2 = add %h, %x : f32[]\n    %y = mul %h2, %h2 : f32[]\n    %c = gt %h2, %l : bool[]\n    yield %h2, %y, %c\n  }\n"
    "  %Y2 = neg %Y : f32[?]\n  %s = sum %Y2 {axes = [0]} : f32[]\n  return %H, %Y2, %s\n}\n"
    "func @cn(%ks: i64[?], %h0: f32[2]) -> (f32[?,2]) {\n"
    "  %n = sum %ks {axes = [0]} : i64[]\n"
    "  %H = scan %n, %h0 {nseq = 0, nstate = 1, has_n = true} : f32[?,2] (%h: f32[2]) {\n"
    "    %k = constant {value = 0.5} : f32[2]\n    %h2 = mul %h, %k : f32[2]\n    yield %h2\n  }\n  return %H\n}\n"
    "func @nu(%xs: f32[?,4], %h0: f32[]) -> (f32[?], f32[?]) {\n"
    "  %H, %C = scan %xs, %h0 {nseq = 1, nstate = 1} : f32[?], f32[?] (%row: f32[4], %h: f32[]) {\n"
    "    %z = constant {value = 0.0} : f32[]\n"
    "    %S = scan %row, %z, %h {nseq = 1, nstate = 1, until = true} : f32[?] (%e: f32[], %acc: f32[], %lim: f32[]) {\n"
    "      %a2 = add %acc, %e : f32[]\n      %c = gt %a2, %lim : bool[]\n      yield %a2, %c\n    }\n"
    "    %m = max %S {axes = [0]} : f32[]\n    %h2 = add %h, %m : f32[]\n    %cnt = sum %S {axes = [0]} : f32[]\n"
    "    yield %h2, %cnt\n  }\n  return %H, %C\n}\n"
    "func @draws(%s: i64[2], %x: f32[?,5]) -> (f32[?,5], f64[?,5], bool[?,5], i32[?], i64[2], f32[3,2]) {\n"
    "  %u = random_uniform %s, %x {hi = 3.0, lo = -2.0} : f32[?,5]\n  %e = exp %x : f32[?,5]\n"
    "  %y = random_normal %s, %e {mean = 1.0, std = 0.5} : f64[?,5]\n  %b = random_bernoulli %s, %x {p = 0.3} : bool[?,5]\n"
    "  %c = random_categorical %s, %x {logits = true} : i32[?]\n  %t = random_skip %s, %x : i64[2]\n"
    "  %k = random_uniform %t {hi = 1.0, lo = 0.0} : f32[3,2]\n  return %u, %y, %b, %c, %t, %k\n}\n";

/* @fn on the device and on the CPU with `in`; every output compared
 * (rtol 0: bit for bit). */
static void check_loop(const char *fn, sj_tensor **in, size_t nin, size_t nout, double rtol) {
  sj_tensor *out[2][8] = {{0}};
  for (int dev = 0; dev < 2; dev++) {
    sj_ctx *c = sj_ctx_new();
    sj_module *m = NULL;
    sj_function *f = NULL;
    sj_compile_options o;
    sj_compile_options_init(&o);
    o.device = dev ? "cuda" : NULL;
    int ok = sj_module_parse(c, loop_src, sizeof loop_src - 1, "loops.sj", &m) == SJ_OK &&
             sj_module_compile(m, fn, &o, &f) == SJ_OK && sj_function_call(f, in, nin, out[dev], nout) == SJ_OK;
    if (!ok) fprintf(stderr, "@%s on %s: %s", fn, dev ? "cuda" : "cpu", sj_ctx_errmsg(c));
    CHECK(ok);
    sj_function_free(f);
    sj_ctx_free(c);
  }
  for (size_t k = 0; k < nout; k++) {
    sj_tensor *g = out[1][k], *r = out[0][k];
    CHECK(g && r && sj_tensor_numel(g) == sj_tensor_numel(r) && sj_tensor_rank(g) == sj_tensor_rank(r));
    int64_t bad = 0;
    for (int64_t i = 0; g && r && i < sj_tensor_numel(r) && sj_tensor_numel(g) == sj_tensor_numel(r); i++) {
      double a = sj_tensor_get(g, i), b = sj_tensor_get(r, i);
      if (rtol ? !(fabs(a - b) <= rtol * (1 + fabs(b))) : a != b) {
        if (!bad) fprintf(stderr, "@%s output %zu element %lld: device %g, cpu %g\n", fn, k, (long long)i, a, b);
        bad++;
      }
    }
    CHECK(bad == 0);
    sj_tensor_free(g), sj_tensor_free(r);
  }
}

static sj_tensor *filled(sj_dtype dt, int rank, const int64_t *d, uint64_t seed, double lo, double hi) {
  sj_tensor *t = sj_tensor_new(dt, rank, d);
  sj_tensor_fill_uniform(t, seed, lo, hi);
  return t;
}

static void check_loops(void) {
  sj_tensor *rnn[3] = {filled(SJ_F32, 3, (int64_t[]){50, 33, 70}, 1, -1, 1), filled(SJ_F32, 2, (int64_t[]){33, 70}, 2, -1, 1),
                       filled(SJ_F32, 2, (int64_t[]){70, 70}, 3, -0.2, 0.2)};
  check_loop("rnn", rnn, 3, 2, 1e-4);
  sj_tensor *rev[2] = {filled(SJ_F32, 1, (int64_t[]){9}, 4, 0.5, 1.5), filled(SJ_F32, 0, NULL, 5, -1, 1)};
  check_loop("rev", rev, 2, 2, 1e-5);
  sj_tensor *u[3] = {filled(SJ_F32, 1, (int64_t[]){40}, 6, 0, 1), filled(SJ_F32, 0, NULL, 7, 0, 0), filled(SJ_F32, 0, NULL, 8, 0, 0)};
  sj_tensor_set(u[2], 0, 7.5); /* stops after some 15 of the 40 steps */
  check_loop("u", u, 3, 3, 1e-5);
  sj_tensor *cn[2] = {sj_tensor_new(SJ_I64, 1, (int64_t[]){3}), filled(SJ_F32, 1, (int64_t[]){2}, 9, 1, 2)};
  for (int i = 0; i < 3; i++) sj_tensor_set(cn[0], i, i + 2);
  check_loop("cn", cn, 2, 1, 0);
  sj_tensor *nu[2] = {filled(SJ_F32, 2, (int64_t[]){6, 4}, 10, 0, 1), filled(SJ_F32, 0, NULL, 11, 0.5, 1)};
  check_loop("nu", nu, 2, 2, 1e-5);
  sj_tensor *dr[2] = {sj_tensor_new(SJ_I64, 1, (int64_t[]){2}), filled(SJ_F32, 2, (int64_t[]){1000, 5}, 12, -2, 2)};
  sj_tensor_set(dr[0], 0, 777), sj_tensor_set(dr[0], 1, 3);
  check_loop("draws", dr, 2, 6, 0);
  sj_tensor **all[] = {rnn, rev, u, cn, nu, dr};
  size_t n[] = {3, 2, 3, 2, 2, 2};
  for (size_t i = 0; i < 6; i++)
    for (size_t k = 0; k < n[i]; k++) sj_tensor_free(all[i][k]);
}

/* ---- an LSTM training step (examples/char_model.c's model, SGD) ---- */

enum { L_WIH, L_B, L_WHH, L_WOUT, L_BOUT, L_N };

static sj_var *gate(sj_var *g, int k, int H) {
  sj_slice_spec sp[2] = {SJ_ALL, {(int64_t)k * H, (int64_t)(k + 1) * H, 1}};
  return sj_slice(g, 2, sp);
}

static void lstm_cell(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c;
  int H = *(const int *)ud;
  sj_var *g = sj_add(st->args[0], sj_matmul(st->args[1], st->args[3]));
  sj_var *i = sj_sigmoid(gate(g, 0, H)), *f = sj_sigmoid(gate(g, 1, H)), *gg = sj_tanh(gate(g, 2, H)),
         *o = sj_sigmoid(gate(g, 3, H));
  st->outputs[1] = sj_add(sj_mul(f, st->args[2]), sj_mul(i, gg));
  st->outputs[0] = sj_mul(o, sj_tanh(st->outputs[1]));
}

typedef struct lstm {
  sj_ctx *c;
  sj_function *step;
  sj_var *p[L_N];
  int H;
} lstm;

/* The step on `device` (NULL: the CPU) from the initial weights init. */
static int lstm_build(lstm *m, const char *device, int V, int H, int T, int B, sj_tensor *const *init) {
  sj_ctx *c = m->c = sj_ctx_new();
  m->H = H;
  (void)V; /* the weights' shapes carry it */
  int64_t xd[2] = {T, B}, hd[2] = {B, H}, flat[1] = {(int64_t)T * B}, hflat[2] = {(int64_t)T * B, H};
  sj_var *x = sj_input(c, "x", SJ_I32, 2, xd), *y = sj_input(c, "y", SJ_I32, 2, xd);
  for (int k = 0; k < L_N; k++) m->p[k] = sj_shared(c, "p", init[k]);
  sj_var *pre = sj_add(sj_take(m->p[L_WIH], x, 0), m->p[L_B]);
  sj_tensor *z = sj_tensor_new(SJ_F32, 2, hd);
  sj_var *info[2] = {sj_constant(c, z), sj_constant(c, z)}, *nonseq[1] = {m->p[L_WHH]};
  sj_tensor_free(z);
  const bool last[2] = {false, true};
  sj_scan_options so = {.sequences = &pre, .nseq = 1, .outputs_info = info, .nout = 2, .non_sequences = nonseq,
                        .nnonseq = 1, .return_last = last};
  sj_var *res[2] = {0};
  size_t nu = 0;
  if (sj_scan(c, lstm_cell, &m->H, &so, res, NULL, 0, &nu)) return 0;
  sj_var *logits = sj_add(sj_matmul(sj_reshape(res[0], 2, hflat), m->p[L_WOUT]), m->p[L_BOUT]);
  sj_var *loss = sj_crossentropy(logits, sj_reshape(y, 1, flat)), *g[L_N];
  if (sj_grad(loss, m->p, L_N, g)) return 0;
  sj_update up[L_N];
  for (int k = 0; k < L_N; k++) up[k] = (sj_update){m->p[k], sj_sub(m->p[k], sj_mul(sj_scalar(c, 0.5, SJ_F32), g[k]))};
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = device;
  sj_var *in[2] = {x, y};
  return sj_compile(c, in, 2, &loss, 1, up, L_N, NULL, 0, &o, &m->step) == SJ_OK;
}

static void lstm_free(lstm *m) {
  sj_function_free(m->step);
  sj_ctx_free(m->c);
}

static void lstm_data(int V, int H, int T, int B, sj_tensor **init, sj_tensor **xy) {
  int64_t d[L_N][2] = {{V, 4 * H}, {4 * H}, {H, 4 * H}, {H, V}, {V}}, xd[2] = {T, B};
  int rank[L_N] = {2, 1, 2, 2, 1};
  double r = 1 / sqrt(H);
  for (int k = 0; k < L_N; k++) {
    init[k] = sj_tensor_new(SJ_F32, rank[k], d[k]);
    sj_tensor_fill_uniform(init[k], 40 + (uint64_t)k, -r, r);
  }
  for (int k = 0; k < 2; k++) {
    xy[k] = sj_tensor_new(SJ_I32, 2, xd);
    for (int64_t i = 0; i < (int64_t)T * B; i++) sj_tensor_set(xy[k], i, (double)((i * 7 + (k ? 3 : 0) + i / 5) % V));
  }
}

/* Three steps on each: the losses and the final W_hh agree. */
static void check_lstm(void) {
  enum { V = 20, H = 32, T = 12, B = 8 };
  sj_tensor *init[L_N], *xy[2];
  lstm_data(V, H, T, B, init, xy);
  lstm m[2] = {{0}};
  double loss[2][3] = {{0}};
  for (int dev = 0; dev < 2; dev++) {
    int ok = lstm_build(&m[dev], dev ? "cuda" : NULL, V, H, T, B, init);
    if (!ok) fprintf(stderr, "lstm on %s: %s", dev ? "cuda" : "cpu", sj_ctx_errmsg(m[dev].c));
    CHECK(ok);
    for (int k = 0; ok && k < 3; k++) {
      sj_tensor *out = NULL;
      CHECK(sj_function_call(m[dev].step, xy, 2, &out, 1) == SJ_OK);
      loss[dev][k] = out ? sj_tensor_get(out, 0) : NAN;
      sj_tensor_free(out);
    }
  }
  for (int k = 0; k < 3; k++) {
    CHECK(fabs(loss[1][k] - loss[0][k]) <= 1e-4 * (1 + fabs(loss[0][k])));
    fprintf(stderr, "note: lstm step %d: loss device %.7g, cpu %.7g\n", k, loss[1][k], loss[0][k]);
  }
  CHECK(loss[0][2] < loss[0][0]); /* it trains */
  const sj_tensor *w[2] = {sj_shared_value(m[0].p[L_WHH]), sj_shared_value(m[1].p[L_WHH])};
  int64_t bad = 0;
  for (int64_t i = 0; w[0] && w[1] && i < sj_tensor_numel(w[0]); i++)
    bad += !(fabs(sj_tensor_get(w[1], i) - sj_tensor_get(w[0], i)) <= 1e-4);
  CHECK(w[0] && w[1] && bad == 0);
  lstm_free(&m[0]), lstm_free(&m[1]);
  for (int k = 0; k < L_N; k++) sj_tensor_free(init[k]);
  sj_tensor_free(xy[0]), sj_tensor_free(xy[1]);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* char_lstm's default size (V 96, H 256, T 50, B 32): the best of 5 rounds
 * of 5 steps each, device and CPU alternating, as a ratio. */
static int lstm_bench(void) {
  enum { V = 96, H = 256, T = 50, B = 32 };
  sj_tensor *init[L_N], *xy[2];
  lstm_data(V, H, T, B, init, xy);
  lstm m[2] = {{0}};
  double best[2] = {1e30, 1e30};
  int ok = lstm_build(&m[0], NULL, V, H, T, B, init) && lstm_build(&m[1], "cuda", V, H, T, B, init);
  if (!ok) fprintf(stderr, "lstm bench: %s%s", sj_ctx_errmsg(m[0].c), m[1].c ? sj_ctx_errmsg(m[1].c) : "");
  for (int r = 0; ok && r < 6; r++)
    for (int dev = 0; dev < 2; dev++) {
      double t0 = now_ms();
      for (int k = 0; k < 5 && ok; k++) {
        sj_tensor *out = NULL;
        ok = sj_function_call(m[dev].step, xy, 2, &out, 1) == SJ_OK; /* the loss comes back: the step is done */
        sj_tensor_free(out);
      }
      if (r) best[dev] = fmin(best[dev], (now_ms() - t0) / 5); /* round 0 warms up */
    }
  if (ok)
    printf("lstm training step (V %d, H %d, T %d, B %d): device %.2f ms, cpu %.2f ms, cpu/device %.2f\n", V, H, T, B,
           best[1], best[0], best[0] / best[1]);
  lstm_free(&m[0]), lstm_free(&m[1]);
  for (int k = 0; k < L_N; k++) sj_tensor_free(init[k]);
  sj_tensor_free(xy[0]), sj_tensor_free(xy[1]);
  return ok ? 0 : 1;
}

int main(int argc, char **argv) {
  char err[4096];
  sj_cu_dev *d = NULL;
  if (sj_cu_open(0, &d, err, sizeof err)) {
    fprintf(stderr, "skipped: %s\n", err);
    return 77;
  }
  const sj_cu_props *p = sj_cu_props_of(d);
  fprintf(stderr, "note: cuda:0: %s, sm_%d%d, %d SMs, driver %d\n", p->name, p->cc_major, p->cc_minor, p->sms, p->driver_version);
  if (p->cc_major < 8) {
    fprintf(stderr, "skipped: the test's PTX targets sm_80\n");
    sj_cu_close(d);
    return 77;
  }
  if (argc > 1 && !strcmp(argv[1], "--lstm-bench")) {
    int rc = lstm_bench();
    sj_cu_close(d);
    return rc;
  }
  check_add_one(d);
  check_rejections(d);
  check_training_step();
  check_matmuls();
  check_loops();
  check_lstm();
  sj_cu_close(d);
  return failures != 0;
}
