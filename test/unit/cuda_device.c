/* lib/runtime/cuda_driver.c on a real CUDA device: a hand-written PTX
 * kernel (add one to each float, bounds-checked, assembled by ptxas for
 * sm_80 and sm_90 when it was written) loaded through the driver's JIT,
 * memory, copies, a launch of several blocks with a partial last one, the
 * result checked element by element; then the driver's rejection of bad
 * PTX with its error log in the message; a graph training step with its
 * shared variable on the device against the same step on the CPU; matmuls
 * (the device GEMM: transpositions, an accumulator with alpha/beta, K = 0,
 * batches broadcast wholly and partly, a bias + tanh epilogue, f16
 * storage; sizes not multiples of the 64-wide tile) against the CPU. Exits
 * 77 (ctest: skipped) when there is no usable driver or device: on such a
 * machine it has checked nothing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

int main(void) {
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
  check_add_one(d);
  check_rejections(d);
  check_training_step();
  check_matmuls();
  sj_cu_close(d);
  return failures != 0;
}
