/* gemm steps on the (fake) CUDA device (lib/api/cuda_gemm.c): a matmul
 * compiles for "cuda", and each call queues the GEMM entry with the
 * arguments lib/codegen/gpu_abi.h lays out, checked launch by launch in
 * the fake driver's log: the entry per transposition, grid (N and M tiles,
 * batches), block, M N K, batch strides (0 broadcasts; one launch per batch
 * when batch dims broadcast partly), alpha/beta, Z only when read, the
 * operand pointers (the fake's device memory is host memory: A's pointer
 * holds A's values), nothing for an empty C, alpha 0 for K = 0 (C = beta Z
 * exactly), a per-element epilogue fused into the GEMM's launch and any
 * other epilogue kernel after the GEMM over the whole C, and a
 * half-precision matmul (widened to an f32 gemm, decision 0005). The fake
 * runs no kernel: values are unit_cuda_device's, on a GPU. */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "symjit/graph.h"
#include "symjit/symjit.h"

#include "check.h"

typedef size_t (*count_fn)(void);
typedef void (*reset_fn)(void);
typedef void (*at_fn)(size_t, char *, unsigned *, unsigned *, size_t *, unsigned char (*)[8]);
static count_fn nlaunch;
static reset_fn log_reset;
static at_fn launch_at;

typedef struct launch {
  char name[128];
  unsigned grid[3], block[3];
  size_t nargs;
  unsigned char args[64][8];
} launch;

static launch get(size_t i) {
  launch l;
  memset(&l, 0, sizeof l);
  launch_at(i, l.name, l.grid, l.block, &l.nargs, l.args);
  return l;
}
static int64_t i64(const launch *l, int i) {
  int64_t v;
  memcpy(&v, l->args[i], 8);
  return v;
}
static double f64(const launch *l, int i) {
  double v;
  memcpy(&v, l->args[i], 8);
  return v;
}
static const void *ptr(const launch *l, int i) { return (const void *)(uintptr_t)i64(l, i); }

/* What one GEMM launch must carry (gpu_abi.h). */
typedef struct want {
  const char *name;
  int64_t M, N, K, batch, sa, sb, sc;
  double alpha, beta;
  const void *a, *b, *z; /* host data the device pointers must hold (bytes ab, ab2, zb); z NULL: Z is 0 */
  size_t abytes, bbytes, zbytes;
  size_t nargs; /* 0: 13, a plain GEMM entry; more with a fused epilogue's arguments */
} want;

static void check_gemm(const launch *l, const want *w, int line) {
  int64_t gz = w->batch < 65535 ? w->batch : 65535;
  size_t nargs = w->nargs ? w->nargs : 13;
  bool ok = !strcmp(l->name, w->name) && l->nargs == nargs && l->block[0] == 256 && l->block[1] == 1 &&
            l->block[2] == 1 && l->grid[0] == (unsigned)((w->N + 63) / 64) && l->grid[1] == (unsigned)((w->M + 63) / 64) &&
            l->grid[2] == (unsigned)gz && i64(l, 4) == w->M && i64(l, 5) == w->N && i64(l, 6) == w->K &&
            i64(l, 7) == w->batch && i64(l, 8) == w->sa && i64(l, 9) == w->sb && i64(l, 10) == w->sc &&
            f64(l, 11) == w->alpha && f64(l, 12) == w->beta;
  ok = ok && ptr(l, 0) && ptr(l, 1) && ptr(l, 2) && ptr(l, 2) != ptr(l, 0) && ptr(l, 2) != ptr(l, 1);
  ok = ok && (!w->abytes || !memcmp(ptr(l, 0), w->a, w->abytes)) && (!w->bbytes || !memcmp(ptr(l, 1), w->b, w->bbytes));
  ok = ok && (w->z ? ptr(l, 3) && !memcmp(ptr(l, 3), w->z, w->zbytes) : ptr(l, 3) == NULL);
  if (!ok) {
    fprintf(stderr, "line %d: launch %s grid %u,%u,%u block %u nargs %zu", line, l->name, l->grid[0], l->grid[1],
            l->grid[2], l->block[0], l->nargs);
    for (int i = 4; i < 11 && l->nargs >= 13; i++) fprintf(stderr, " %lld", (long long)i64(l, i));
    if (l->nargs >= 13) fprintf(stderr, " alpha %g beta %g", f64(l, 11), f64(l, 12));
    fprintf(stderr, "\n");
  }
  CHECK(ok);
}
#define CHECK_GEMM(l, ...) check_gemm(l, &(want){__VA_ARGS__}, __LINE__)

static sj_tensor *tensor(sj_dtype dt, int rank, const int64_t *d, uint64_t seed) {
  sj_tensor *t = sj_tensor_new(dt, rank, d);
  if (t) sj_tensor_fill_uniform(t, seed, -1, 1);
  return t;
}
static size_t nbytes(sj_tensor *t) { return (size_t)sj_tensor_numel(t) * sj_dtype_size(sj_tensor_dtype(t)); }

/* The function last run, kept (with its device memory, which the logged
 * pointers address) until the next run or run_done. */
static sj_ctx *last_ctx;
static sj_function *last_fn;
static void run_done(void) {
  sj_function_free(last_fn);
  sj_ctx_free(last_ctx);
  last_fn = NULL, last_ctx = NULL;
}

/* Compiles @fn of src for the device and calls it once on in (the log
 * reset first); returns the number of launches, -1 on failure. */
static long run(const char *src, const char *fn, sj_tensor **in, size_t nin) {
  run_done();
  sj_ctx *c = last_ctx = sj_ctx_new();
  sj_module *m = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = "cuda";
  long n = -1;
  if (sj_module_parse(c, src, strlen(src), "gemm.sj", &m) == SJ_OK && sj_module_compile(m, fn, &o, &last_fn) == SJ_OK) {
    sj_tensor *out = NULL;
    log_reset();
    if (sj_function_call(last_fn, in, nin, &out, 1) == SJ_OK) n = (long)nlaunch();
    sj_tensor_free(out);
  }
  if (n < 0) fprintf(stderr, "@%s: %s\n", fn, sj_ctx_errmsg(c));
  return n;
}

static const char trans_src[] =
    "func @nn(%a: f32[?,?], %b: f32[?,?]) -> (f32[?,?]) {\n"
    "  %m = dim %a {axis = 0} : i64\n  %n = dim %b {axis = 1} : i64\n  %c = alloc %m, %n : f32[?,?]\n"
    "  gemm %a, %b, %c\n  return %c\n}\n"
    "func @nt(%a: f32[?,?], %b: f32[?,?]) -> (f32[?,?]) {\n"
    "  %m = dim %a {axis = 0} : i64\n  %n = dim %b {axis = 0} : i64\n  %c = alloc %m, %n : f32[?,?]\n"
    "  gemm %a, %b, %c {trans_b = true}\n  return %c\n}\n"
    "func @tn(%a: f32[?,?], %b: f32[?,?]) -> (f32[?,?]) {\n"
    "  %m = dim %a {axis = 1} : i64\n  %n = dim %b {axis = 1} : i64\n  %c = alloc %m, %n : f32[?,?]\n"
    "  gemm %a, %b, %c {trans_a = true}\n  return %c\n}\n"
    "func @tt(%a: f64[?,?], %b: f64[?,?]) -> (f64[?,?]) {\n"
    "  %m = dim %a {axis = 1} : i64\n  %n = dim %b {axis = 0} : i64\n  %c = alloc %m, %n : f64[?,?]\n"
    "  gemm %a, %b, %c {trans_a = true, trans_b = true}\n  return %c\n}\n"
    "func @acc(%a: f32[?,?], %b: f32[?,?], %z: f32[?,?]) -> (f32[?,?]) {\n"
    "  %m = dim %a {axis = 0} : i64\n  %n = dim %b {axis = 1} : i64\n  %c = alloc %m, %n : f32[?,?]\n"
    "  gemm %a, %b, %c, %z {alpha = 2.0, beta = -1.5}\n  return %c\n}\n"
    "func @acc0(%a: f32[?,?], %b: f32[?,?], %z: f32[?,?]) -> (f32[?,?]) {\n"
    "  %m = dim %a {axis = 0} : i64\n  %n = dim %b {axis = 1} : i64\n  %c = alloc %m, %n : f32[?,?]\n"
    "  gemm %a, %b, %c, %z {alpha = 3.0, beta = 0.0}\n  return %c\n}\n";

/* nn, nt, tn, tt: the entry, M N K from the right dims, 1 batch of stride
 * 0 for A and B; a grid of several tiles each way. */
static void test_transpositions(void) {
  int64_t M = 130, N = 70, K = 5;
  struct {
    const char *fn, *entry;
    sj_dtype dt;
    int64_t da[2], db[2];
  } cases[] = {{"nn", "sjg_gemm_f32_nn", SJ_F32, {M, K}, {K, N}},
               {"nt", "sjg_gemm_f32_nt", SJ_F32, {M, K}, {N, K}},
               {"tn", "sjg_gemm_f32_tn", SJ_F32, {K, M}, {K, N}},
               {"tt", "sjg_gemm_f64_tt", SJ_F64, {K, M}, {N, K}}};
  for (int i = 0; i < 4; i++) {
    sj_tensor *in[2] = {tensor(cases[i].dt, 2, cases[i].da, 1), tensor(cases[i].dt, 2, cases[i].db, 2)};
    CHECK(run(trans_src, cases[i].fn, in, 2) == 1);
    launch l = get(0);
    CHECK_GEMM(&l, .name = cases[i].entry, .M = M, .N = N, .K = K, .batch = 1, .sa = 0, .sb = 0, .sc = M * N,
               .alpha = 1, .beta = 0, .a = sj_tensor_data(in[0]), .abytes = nbytes(in[0]), .b = sj_tensor_data(in[1]),
               .bbytes = nbytes(in[1]));
    sj_tensor_free(in[0]), sj_tensor_free(in[1]);
  }
}

/* The accumulator: Z passed with alpha/beta; beta = 0: Z unread (NULL);
 * K = 0: alpha 0 (C = beta Z, zeros with beta 0), still launched; M = 0 or
 * N = 0: no launch. */
static void test_accumulator_and_edges(void) {
  int64_t da[2] = {3, 4}, db[2] = {4, 65}, dz[2] = {3, 65};
  sj_tensor *in[3] = {tensor(SJ_F32, 2, da, 3), tensor(SJ_F32, 2, db, 4), tensor(SJ_F32, 2, dz, 5)};
  CHECK(run(trans_src, "acc", in, 3) == 1);
  launch l = get(0);
  CHECK_GEMM(&l, .name = "sjg_gemm_f32_nn", .M = 3, .N = 65, .K = 4, .batch = 1, .sc = 3 * 65, .alpha = 2, .beta = -1.5,
             .a = sj_tensor_data(in[0]), .abytes = nbytes(in[0]), .z = sj_tensor_data(in[2]), .zbytes = nbytes(in[2]));
  CHECK(run(trans_src, "acc0", in, 3) == 1);
  l = get(0);
  CHECK_GEMM(&l, .name = "sjg_gemm_f32_nn", .M = 3, .N = 65, .K = 4, .batch = 1, .sc = 3 * 65, .alpha = 3, .beta = 0);
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
  /* K = 0 */
  int64_t ka[2] = {3, 0}, kb[2] = {0, 65};
  sj_tensor *k0[3] = {tensor(SJ_F32, 2, ka, 6), tensor(SJ_F32, 2, kb, 7), tensor(SJ_F32, 2, dz, 8)};
  CHECK(run(trans_src, "nn", k0, 2) == 1);
  l = get(0);
  CHECK_GEMM(&l, .name = "sjg_gemm_f32_nn", .M = 3, .N = 65, .K = 0, .batch = 1, .sc = 3 * 65, .alpha = 0, .beta = 0);
  CHECK(run(trans_src, "acc", k0, 3) == 1);
  l = get(0);
  CHECK_GEMM(&l, .name = "sjg_gemm_f32_nn", .M = 3, .N = 65, .K = 0, .batch = 1, .sc = 3 * 65, .alpha = 0, .beta = -1.5,
             .z = sj_tensor_data(k0[2]), .zbytes = nbytes(k0[2]));
  for (int i = 0; i < 3; i++) sj_tensor_free(k0[i]);
  /* M = 0, N = 0: C is empty, nothing launched */
  int64_t ma[2] = {0, 4}, mb[2] = {4, 5}, na[2] = {3, 4}, nb[2] = {4, 0};
  sj_tensor *e1[2] = {tensor(SJ_F32, 2, ma, 9), tensor(SJ_F32, 2, mb, 10)};
  sj_tensor *e2[2] = {tensor(SJ_F32, 2, na, 11), tensor(SJ_F32, 2, nb, 12)};
  CHECK(run(trans_src, "nn", e1, 2) == 0);
  CHECK(run(trans_src, "nn", e2, 2) == 0);
  for (int i = 0; i < 2; i++) sj_tensor_free(e1[i]), sj_tensor_free(e2[i]);
}

static const char batch_src[] =
    "func @b3(%a: f32[?,?,?], %b: f32[?,?]) -> (f32[?,?,?]) {\n"
    "  %0 = matmul %a, %b : f32[?,?,?]\n  return %0\n}\n"
    "func @bb(%a: f32[?,?,?], %b: f32[?,?,?]) -> (f32[?,?,?]) {\n"
    "  %0 = matmul %a, %b : f32[?,?,?]\n  return %0\n}\n"
    "func @bx(%a: f32[?,1,?,?], %b: f32[1,?,?,?]) -> (f32[?,?,?,?]) {\n"
    "  %0 = matmul %a, %b : f32[?,?,?,?]\n  return %0\n}\n";

/* Batched: one launch with the batch strides (B broadcast: stride 0); batch
 * dims that broadcast partly: one launch per batch at its offsets. */
static void test_batched(void) {
  int64_t da[3] = {4, 5, 3}, db[2] = {3, 6}, db3[3] = {4, 3, 6};
  sj_tensor *a = tensor(SJ_F32, 3, da, 13), *b = tensor(SJ_F32, 2, db, 14), *b3 = tensor(SJ_F32, 3, db3, 15);
  CHECK(run(batch_src, "b3", (sj_tensor *[]){a, b}, 2) >= 1);
  size_t n = nlaunch();
  bool found = false; /* the 3-d x 2-d product may become one 2-d gemm of 20 rows: either form is right */
  for (size_t i = 0; i < n; i++) {
    launch l = get(i);
    if (strncmp(l.name, "sjg_gemm_", 9)) continue;
    found = true;
    if (i64(&l, 7) == 1)
      CHECK_GEMM(&l, .name = "sjg_gemm_f32_nn", .M = 20, .N = 6, .K = 3, .batch = 1, .sa = 0, .sb = 0, .sc = 120,
                 .alpha = 1, .beta = 0, .a = sj_tensor_data(a), .abytes = nbytes(a));
    else
      CHECK_GEMM(&l, .name = "sjg_gemm_f32_nn", .M = 5, .N = 6, .K = 3, .batch = 4, .sa = 15, .sb = 0, .sc = 30,
                 .alpha = 1, .beta = 0, .a = sj_tensor_data(a), .abytes = nbytes(a), .b = sj_tensor_data(b),
                 .bbytes = nbytes(b));
  }
  CHECK(found);
  CHECK(run(batch_src, "bb", (sj_tensor *[]){a, b3}, 2) == 1);
  launch l = get(0);
  CHECK_GEMM(&l, .name = "sjg_gemm_f32_nn", .M = 5, .N = 6, .K = 3, .batch = 4, .sa = 15, .sb = 18, .sc = 30, .alpha = 1,
             .beta = 0, .a = sj_tensor_data(a), .abytes = nbytes(a), .b = sj_tensor_data(b3), .bbytes = nbytes(b3));
  /* a[2,1,5,3] x b[1,3,3,6] -> c[2,3,5,6]: launch q = (i, j) reads a[i], b[j], writes c[i, j] */
  int64_t xa[4] = {2, 1, 5, 3}, xb[4] = {1, 3, 3, 6};
  sj_tensor *ax = tensor(SJ_F32, 4, xa, 16), *bx = tensor(SJ_F32, 4, xb, 17);
  CHECK(run(batch_src, "bx", (sj_tensor *[]){ax, bx}, 2) == 6);
  const float *ah = sj_tensor_data(ax), *bh = sj_tensor_data(bx);
  const char *c0 = NULL;
  for (int q = 0; q < 6 && nlaunch() == 6; q++) {
    l = get((size_t)q);
    CHECK_GEMM(&l, .name = "sjg_gemm_f32_nn", .M = 5, .N = 6, .K = 3, .batch = 1, .sa = 0, .sb = 0, .sc = 0, .alpha = 1,
               .beta = 0, .a = ah + (q / 3) * 15, .abytes = 15 * 4, .b = bh + (q % 3) * 18, .bbytes = 18 * 4);
    if (!q) c0 = ptr(&l, 2);
    CHECK((const char *)ptr(&l, 2) == c0 + q * 30 * 4);
  }
  sj_tensor_free(a), sj_tensor_free(b), sj_tensor_free(b3), sj_tensor_free(ax), sj_tensor_free(bx);
}

static const char epi_src[] =
    "func @g(%a: f32[?,3], %b: f32[3,70], %v: f32[70]) -> (f32[?,70]) {\n"
    "  %0 = matmul %a, %b : f32[?,70]\n  %1 = add %0, %v : f32[?,70]\n  %2 = tanh %1 : f32[?,70]\n  return %2\n}\n"
    "func @h(%a: f16[?,3], %b: f16[3,70]) -> (f16[?,70]) {\n"
    "  %0 = matmul %a, %b : f16[?,70]\n  return %0\n}\n"
    "func @s(%a: f32[?,3], %b: f32[3,70]) -> (f32[?,70]) {\n"
    "  %0 = matmul %a, %b : f32[?,70]\n  %1 = softmax %0 {axis = 1} : f32[?,70]\n  return %1\n}\n";

/* A bias + tanh epilogue works per element of C: fused into the step's own
 * GEMM entry, one launch, whose arguments after the GEMM's 13 are the
 * epilogue kernel's (C, the bias, the result; then their dims). A softmax
 * over C's rows is not per element: the GEMM, then the epilogue kernel
 * once over the whole C (grid > 1: all 130 rows), after it on the stream. */
static void test_epilogue_and_half(void) {
  int64_t da[2] = {130, 3}, db[2] = {3, 70}, dv[1] = {70};
  sj_tensor *in[3] = {tensor(SJ_F32, 2, da, 18), tensor(SJ_F32, 2, db, 19), tensor(SJ_F32, 1, dv, 20)};
  CHECK(run(epi_src, "g", in, 3) == 1);
  launch l = get(0);
  CHECK(!strncmp(l.name, "sjg_gemm_f32_nn$e", 17));
  CHECK_GEMM(&l, .name = l.name, .M = 130, .N = 70, .K = 3, .batch = 1, .sc = 130 * 70, .alpha = 1, .beta = 0,
             .a = sj_tensor_data(in[0]), .abytes = nbytes(in[0]), .nargs = 13 + 3 + 5);
  CHECK(ptr(&l, 13) == ptr(&l, 2) && !memcmp(ptr(&l, 14), sj_tensor_data(in[2]), nbytes(in[2])) && ptr(&l, 15) &&
        ptr(&l, 15) != ptr(&l, 2));
  CHECK(i64(&l, 16) == 130 && i64(&l, 17) == 70 && i64(&l, 18) == 70 && i64(&l, 19) == 130 && i64(&l, 20) == 70);
  /* not per element: two launches */
  CHECK(run(epi_src, "s", in, 2) == 2);
  l = get(0);
  CHECK_GEMM(&l, .name = "sjg_gemm_f32_nn", .M = 130, .N = 70, .K = 3, .batch = 1, .sc = 130 * 70, .alpha = 1, .beta = 0,
             .a = sj_tensor_data(in[0]), .abytes = nbytes(in[0]));
  const void *c = ptr(&l, 2);
  l = get(1);
  CHECK(!strncmp(l.name, "sjk_", 4) && l.block[0] >= 32);
  bool reads_c = false, rows = false; /* C among its pointers, its rows (130) among its dims */
  for (size_t i = 0; i < l.nargs; i++) reads_c |= ptr(&l, (int)i) == c, rows |= i64(&l, (int)i) == 130;
  CHECK(reads_c && rows);
  /* an empty C: nothing, fused or not */
  int64_t d0[2] = {0, 3};
  sj_tensor *e = tensor(SJ_F32, 2, d0, 23);
  sj_tensor *in0[3] = {e, in[1], in[2]};
  CHECK(run(epi_src, "g", in0, 3) == 0);
  sj_tensor_free(e);
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
  /* f16 storage: widened to f32 around an f32 gemm (decision 0005); the
   * cast back to f16 is a per-element epilogue, fused */
  sj_tensor *h[2] = {tensor(SJ_F16, 2, da, 21), tensor(SJ_F16, 2, db, 22)};
  CHECK(run(epi_src, "h", h, 2) >= 1);
  size_t n = nlaunch(), gemms = 0;
  for (size_t i = 0; i < n; i++) {
    l = get(i);
    if (strncmp(l.name, "sjg_gemm_", 9)) continue;
    gemms++;
    CHECK(!strncmp(l.name, "sjg_gemm_f32_nn$e", 17));
    CHECK_GEMM(&l, .name = l.name, .M = 130, .N = 70, .K = 3, .batch = 1, .sc = 130 * 70, .alpha = 1, .beta = 0,
               .nargs = 13 + 2 + 4);
    CHECK(i == n - 1); /* the last launch: the epilogue is in it */
  }
  CHECK(gemms == 1);
  sj_tensor_free(h[0]), sj_tensor_free(h[1]);
}

/* An epilogue whose column loop runs to its result's dim 1 (hand-written:
 * the pipeline's have C's columns by construction): fused, and the launch
 * checks that count is C's N; another count is an error naming both, not
 * a kernel over the wrong columns. (An epilogue that also reads C[i, j] is
 * stopped before, by phase 1's shape prechecks.) */
static const char cols_src[] =
    "func @cm(%a: f32[?,?], %b: f32[?,?], %v: f32[?]) -> (f32[?,?]) {\n"
    "  %m = dim %a {axis = 0} : i64\n  %n = dim %b {axis = 1} : i64\n  %w = dim %v {axis = 0} : i64\n"
    "  %c = alloc %m, %n : f32[?,?]\n  %o = alloc %m, %w : f32[?,?]\n"
    "  gemm %a, %b, %c, %c, %v, %o {epilogue = @k, epilogue_rows = [0, 2]}\n  return %o\n}\n"
    "kernel @k(%in0: f32[?,?], %in1: f32[?], %out0: f32[?,?]) {\n"
    "  %c0 = constant {value = 0} : i64\n  %0 = dim %out0 {axis = 0} : i64\n  %1 = dim %out0 {axis = 1} : i64\n"
    "  parallel_for %c0, %0 (%i: i64) {\n    for %c0, %1 (%j: i64) {\n"
    "      %4 = load %in1, %j : f32\n      %5 = exp %4 : f32\n"
    "      store %5, %out0, %i, %j\n      yield\n    }\n    yield\n  }\n  return\n}\n";

static void test_epilogue_columns(void) {
  int64_t da[2] = {9, 4}, db[2] = {4, 7}, dv[1] = {7}, dw[1] = {5};
  sj_tensor *in[3] = {tensor(SJ_F32, 2, da, 30), tensor(SJ_F32, 2, db, 31), tensor(SJ_F32, 1, dv, 32)};
  CHECK(run(cols_src, "cm", in, 3) == 1);
  launch l = get(0);
  CHECK_GEMM(&l, .name = "sjg_gemm_f32_nn$e5", .M = 9, .N = 7, .K = 4, .batch = 1, .sc = 63, .alpha = 1, .beta = 0,
             .nargs = 13 + 3 + 5);
  sj_tensor_free(in[2]);
  in[2] = tensor(SJ_F32, 1, dw, 33);
  CHECK(run(cols_src, "cm", in, 3) == -1);
  CHECK(strstr(sj_ctx_errmsg(last_ctx), "cuda:0: the gemm's epilogue runs over 5 columns, its result has 7") != NULL);
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
}

static const char conv_src[] =
    "func @c(%x: f32[?,2,6,6], %w: f32[3,2,3,3]) -> (f32[?,3,4,4]) {\n"
    "  %0 = conv2d %x, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[?,3,4,4]\n  return %0\n}\n";

/* A convolution on the device: the GPU's pipeline lowers it to an im2col
 * kernel and a batched GEMM (no conv_gemm, a host runtime op: decision
 * 0041): one GEMM launch of [3, 18] @ [18, 16] per image. */
static void test_conv(void) {
  int64_t dx[4] = {2, 2, 6, 6}, dw[4] = {3, 2, 3, 3};
  sj_tensor *x = tensor(SJ_F32, 4, dx, 21), *w = tensor(SJ_F32, 4, dw, 22);
  CHECK(run(conv_src, "c", (sj_tensor *[]){x, w}, 2) >= 2);
  size_t gemms = 0;
  for (size_t i = 0; i < nlaunch(); i++) {
    launch l = get(i);
    if (strncmp(l.name, "sjg_gemm_", 9)) continue;
    gemms++;
    CHECK_GEMM(&l, .name = "sjg_gemm_f32_nn", .M = 3, .N = 16, .K = 18, .batch = 2, .sa = 0, .sb = 288, .sc = 48,
               .alpha = 1, .beta = 0, .a = NULL);
  }
  CHECK(gemms == 1);
  sj_tensor_free(x), sj_tensor_free(w);
}

int main(void) {
  setenv("SJ_LIBCUDA", SJ_FAKE_CUDA, 1);
  void *h = dlopen(SJ_FAKE_CUDA, RTLD_NOW);
  CHECK(h != NULL);
  if (!h) return 1;
  nlaunch = (count_fn)(uintptr_t)dlsym(h, "fake_cuda_launches");
  log_reset = (reset_fn)(uintptr_t)dlsym(h, "fake_cuda_log_reset");
  launch_at = (at_fn)(uintptr_t)dlsym(h, "fake_cuda_launch_at");
  long (*live)(const char *) = (long (*)(const char *))(uintptr_t)dlsym(h, "fake_cuda_live");
  CHECK(nlaunch && log_reset && launch_at && live);
  if (!nlaunch || !log_reset || !launch_at || !live) return 1;
  test_transpositions();
  test_accumulator_and_edges();
  test_batched();
  test_epilogue_and_half();
  test_epilogue_columns();
  test_conv();
  run_done();
  CHECK(live("ctx") == 0 && live("allocs") == 0 && live("streams") == 0 && live("modules") == 0);
  dlclose(h);
  return failures != 0;
}
