/* GPU bench (issue 13; run by scripts/gpu-check.sh): symjit kernels on a
 * CUDA device against references measured in the same run, printed as
 * ratios. Each case is a graph function whose operands are shared
 * variables and whose result is an update, so the data stays on the device
 * (decision 0031) and a call is its kernels plus one stream
 * synchronization:
 *   W1        z = a*b + exp(c)*d on 2^24 and 2^26 floats, against a
 *             device-to-device copy moving the same bytes (4 reads + 1
 *             write = a copy of 2.5 n floats);
 *   rows      log_softmax over the rows of a [4096, 4096] f32 matrix (and
 *             [65536, 256]), against a copy of the matrix (1 read + 1 write);
 *   GEMM      1024^3 and 4096^3 in f32 and f16 storage: the time and
 *             TFLOP/s of the device GEMM (lib/api/cuda_gemm.c; f16 storage
 *             is widened to an f32 gemm, decision 0005), to hold against
 *             the device's peak;
 *   MLP step  784-256-10, batch 256, softmax cross-entropy, SGD, against the
 *             same step compiled for the CPU.
 * Also every case compiled for the CPU, for the GPU/CPU ratio. Exits 77
 * without a device (the reason on stderr). `--probe`: only that;
 * `--quick`: shapes 2^8 times smaller (a smoke test of this program, e.g.
 * against the fake driver of test/unit/fake, whose times mean nothing). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cuda_driver.h"
#include "symjit/graph.h"

#define WARMUP 3
#define REPS 20

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median of REPS calls of f (no inputs or outputs: updates only, or the
 * given inputs), after WARMUP; < 0 on failure (message printed). */
static double time_calls(sj_ctx *c, sj_function *f, sj_tensor **in, size_t nin, size_t nout) {
  double t[REPS];
  sj_tensor *out[4] = {0};
  for (int i = -WARMUP; i < REPS; i++) {
    double t0 = now_ms();
    if (sj_function_call(f, in, nin, out, nout)) {
      fprintf(stderr, "%s", sj_ctx_errmsg(c));
      return -1;
    }
    if (i >= 0) t[i] = now_ms() - t0;
    for (size_t k = 0; k < nout; k++) sj_tensor_free(out[k]);
  }
  qsort(t, REPS, sizeof *t, cmp);
  return t[REPS / 2];
}

/* Median time of a device-to-device copy of `bytes`. */
static double time_copy(sj_cu_dev *d, size_t bytes) {
  char err[1024];
  sj_cu_ptr a = 0, b = 0;
  sj_cu_stream *s = NULL;
  double t[REPS], res = -1;
  if (sj_cu_alloc(d, bytes, &a, err, sizeof err) || sj_cu_alloc(d, bytes, &b, err, sizeof err) ||
      sj_cu_stream_new(d, &s, err, sizeof err)) {
    fprintf(stderr, "copy reference: %s\n", err);
  } else {
    for (int i = -WARMUP; i < REPS; i++) {
      double t0 = now_ms();
      if (sj_cu_copy(d, s, b, a, bytes, err, sizeof err) || sj_cu_sync(d, s, err, sizeof err)) {
        fprintf(stderr, "copy reference: %s\n", err);
        break;
      }
      if (i >= 0) t[i] = now_ms() - t0;
      if (i == REPS - 1) {
        qsort(t, REPS, sizeof *t, cmp);
        res = t[REPS / 2];
      }
    }
  }
  sj_cu_stream_free(d, s);
  sj_cu_free(d, a);
  sj_cu_free(d, b);
  return res;
}

static sj_var *shared_random(sj_ctx *c, const char *name, sj_dtype dt, int rank, const int64_t *dims, uint64_t seed) {
  sj_tensor *t = sj_tensor_new(dt, rank, dims);
  if (!t) return NULL;
  sj_tensor_fill_uniform(t, seed, -1, 1);
  sj_var *v = sj_shared(c, name, t);
  sj_tensor_free(t);
  return v;
}

/* Compiles updates-only function {z := e} for device (NULL: cpu). */
static sj_function *compile_update(sj_ctx *c, sj_var *z, sj_var *e, const char *device) {
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = device;
  o.tiered = 0;
  sj_update u = {z, e};
  sj_function *f = NULL;
  if (sj_compile(c, NULL, 0, NULL, 0, &u, 1, NULL, 0, &o, &f)) {
    fprintf(stderr, "%s", sj_ctx_errmsg(c));
    sj_ctx_clear_errors(c);
    return NULL;
  }
  return f;
}

/* The case's device and CPU times and the copy reference. */
static void report(const char *name, double gpu, double cpu, double copy, size_t copy_bytes) {
  if (gpu < 0) {
    printf("%-28s refused on the device (reason above)\n", name);
    return;
  }
  printf("%-28s gpu %9.4f ms | d2d copy of %6.1f MiB %9.4f ms  ratio %.2f | cpu %9.3f ms  gpu/cpu %.4f\n", name, gpu,
         (double)copy_bytes / (1 << 20), copy, copy > 0 ? gpu / copy : -1, cpu, cpu > 0 ? gpu / cpu : -1);
}

static void bench_w1(sj_cu_dev *d, int log2n) {
  sj_ctx *c = sj_ctx_new();
  int64_t n = (int64_t)1 << log2n;
  sj_var *a = shared_random(c, "a", SJ_F32, 1, &n, 1), *b = shared_random(c, "b", SJ_F32, 1, &n, 2);
  sj_var *cc = shared_random(c, "c", SJ_F32, 1, &n, 3), *dd = shared_random(c, "d", SJ_F32, 1, &n, 4);
  sj_var *z = shared_random(c, "z", SJ_F32, 1, &n, 5);
  sj_var *e = sj_add(sj_mul(a, b), sj_mul(sj_exp(cc), dd));
  sj_function *fg = compile_update(c, z, e, "cuda"), *fc = compile_update(c, z, e, NULL);
  double gpu = fg ? time_calls(c, fg, NULL, 0, 0) : -1, cpu = fc ? time_calls(c, fc, NULL, 0, 0) : -1;
  size_t bytes = (size_t)n * 4 * 5 / 2; /* 5 arrays touched once = a copy of 2.5 n floats */
  char name[64];
  snprintf(name, sizeof name, "W1 a*b+exp(c)*d 2^%d", log2n);
  report(name, gpu, cpu, time_copy(d, bytes), bytes);
  sj_function_free(fg);
  sj_function_free(fc);
  sj_ctx_free(c);
}

static void bench_rows(sj_cu_dev *d, int64_t rows, int64_t cols) {
  sj_ctx *c = sj_ctx_new();
  int64_t dims[2] = {rows, cols};
  sj_var *x = shared_random(c, "x", SJ_F32, 2, dims, 7), *y = shared_random(c, "y", SJ_F32, 2, dims, 8);
  sj_var *e = sj_log_softmax(x, 1);
  sj_function *fg = compile_update(c, y, e, "cuda"), *fc = compile_update(c, y, e, NULL);
  double gpu = fg ? time_calls(c, fg, NULL, 0, 0) : -1, cpu = fc ? time_calls(c, fc, NULL, 0, 0) : -1;
  size_t bytes = (size_t)(rows * cols) * 4;
  char name[64];
  snprintf(name, sizeof name, "log_softmax rows %lldx%lld", (long long)rows, (long long)cols);
  report(name, gpu, cpu, time_copy(d, bytes), bytes);
  sj_function_free(fg);
  sj_function_free(fc);
  sj_ctx_free(c);
}

static void bench_gemm(int64_t n, sj_dtype dt) {
  sj_ctx *c = sj_ctx_new();
  int64_t dims[2] = {n, n};
  sj_var *a = shared_random(c, "a", dt, 2, dims, 9), *b = shared_random(c, "b", dt, 2, dims, 10);
  sj_var *z = shared_random(c, "z", dt, 2, dims, 11);
  sj_var *e = sj_matmul(a, b);
  sj_function *fg = compile_update(c, z, e, "cuda"), *fc = compile_update(c, z, e, NULL);
  double gpu = fg ? time_calls(c, fg, NULL, 0, 0) : -1, cpu = fc ? time_calls(c, fc, NULL, 0, 0) : -1;
  double flop = 2.0 * (double)n * (double)n * (double)n;
  char name[64];
  snprintf(name, sizeof name, "GEMM %lld^3 %s", (long long)n, dt == SJ_F16 ? "f16-storage" : "f32");
  if (gpu < 0) printf("%-28s refused on the device (reason above)\n", name);
  else
    printf("%-28s gpu %9.4f ms  %7.2f TFLOP/s | cpu %9.3f ms  gpu/cpu %.4f\n", name, gpu, flop / gpu / 1e9, cpu,
           cpu > 0 ? gpu / cpu : -1);
  sj_function_free(fg);
  sj_function_free(fc);
  sj_ctx_free(c);
}

/* One SGD step of a 784-256-10 relu MLP on a batch of 256 (the batch is
 * the only input; loss comes back), device and CPU. */
static void bench_mlp(void) {
  sj_ctx *c = sj_ctx_new();
  const int64_t sizes[3] = {784, 256, 10}, B = 256;
  int64_t xd[2] = {B, 784}, yd[1] = {B};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, xd), *y = sj_input(c, "y", SJ_I32, 1, yd), *h = x, *params[4], *grads[4];
  for (int l = 0; l < 2; l++) {
    int64_t wd[2] = {sizes[l], sizes[l + 1]}, bd[1] = {sizes[l + 1]};
    params[2 * l] = shared_random(c, "W", SJ_F32, 2, wd, 20 + (uint64_t)l);
    params[2 * l + 1] = shared_random(c, "b", SJ_F32, 1, bd, 30 + (uint64_t)l);
    h = sj_add(sj_matmul(h, params[2 * l]), params[2 * l + 1]);
    if (l == 0) h = sj_relu(h);
  }
  sj_var *loss = sj_crossentropy(h, y);
  sj_grad(loss, params, 4, grads);
  sj_update upd[4];
  for (int p = 0; p < 4; p++) upd[p] = (sj_update){params[p], sj_sub(params[p], sj_mul(sj_scalar(c, 0.01, SJ_F32), grads[p]))};
  sj_var *in[2] = {x, y};
  sj_function *f[2] = {NULL, NULL};
  for (int k = 0; k < 2; k++) {
    sj_compile_options o;
    sj_compile_options_init(&o);
    o.device = k == 0 ? "cuda" : NULL;
    o.tiered = 0;
    if (sj_compile(c, in, 2, &loss, 1, upd, 4, NULL, 0, &o, &f[k])) {
      fprintf(stderr, "%s", sj_ctx_errmsg(c));
      sj_ctx_clear_errors(c);
    }
  }
  sj_tensor *xt = sj_tensor_new(SJ_F32, 2, xd), *yt = sj_tensor_new(SJ_I32, 1, yd);
  sj_tensor_fill_uniform(xt, 40, 0, 1);
  sj_tensor_fill_uniform(yt, 41, 0, 10);
  sj_tensor *args[2] = {xt, yt};
  double gpu = f[0] ? time_calls(c, f[0], args, 2, 1) : -1, cpu = f[1] ? time_calls(c, f[1], args, 2, 1) : -1;
  if (gpu < 0) printf("%-28s refused on the device (reason above)\n", "MLP step 784-256-10 b256");
  else printf("%-28s gpu %9.4f ms | cpu %9.3f ms  gpu/cpu %.4f\n", "MLP step 784-256-10 b256", gpu, cpu, cpu > 0 ? gpu / cpu : -1);
  sj_function_free(f[0]);
  sj_function_free(f[1]);
  sj_tensor_free(xt);
  sj_tensor_free(yt);
  sj_ctx_free(c);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0); /* the table and the reasons on stderr, in order */
  char why[2048];
  if (sj_device_check("cuda", why, sizeof why)) {
    fprintf(stderr, "gpu_bench: no device: %s\n", why);
    return 77;
  }
  printf("device: %s\n", why);
  if (argc > 1 && !strcmp(argv[1], "--probe")) return 0;
  sj_cu_dev *d = NULL;
  if (sj_cu_open(0, &d, why, sizeof why)) {
    fprintf(stderr, "gpu_bench: %s\n", why);
    return 1;
  }
  printf("median of %d calls after %d warm-ups; each device call ends with a stream synchronization\n", REPS, WARMUP);
  int q = argc > 1 && !strcmp(argv[1], "--quick") ? 8 : 0; /* the shapes divided by 2^q: a smoke test */
  bench_w1(d, 24 - q);
  bench_w1(d, 26 - q);
  bench_rows(d, 4096 >> q / 2, 4096 >> q / 2);
  bench_rows(d, 65536 >> q, 256);
  bench_gemm(1024 >> q / 2, SJ_F32);
  bench_gemm(4096 >> q / 2, SJ_F32);
  bench_gemm(1024 >> q / 2, SJ_F16);
  bench_gemm(4096 >> q / 2, SJ_F16);
  bench_mlp();
  sj_cu_close(d);
  return 0;
}
