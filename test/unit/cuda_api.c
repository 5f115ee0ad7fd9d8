/* The `device` compile option without a GPU: defaults; bad device strings
 * ("cuda:x", "tpu", a negative ordinal) refused with the accepted forms;
 * no libcuda and the toolkit's stub library give SJ_ERR_UNSUPPORTED with
 * the reason, from sj_module_compile, sj_compile and sj_device_check, and
 * leave nothing behind (ASan/LSan); then, with the fake driver
 * (test/unit/fake), the device description, a missing ordinal, and the
 * grid and parameter packing of every launch kind of lib/codegen/gpu_abi.h
 * (lib/api/cuda_launch.c) as cuLaunchKernel receives them, the bytes a
 * training step moves (a scalar one, and an MLP with matmuls: only the
 * batch in, the loss out), and a matmul compiling for the device (its
 * launches: unit_cuda_gemm). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/cuda_exec.h"
#include "symjit/graph.h"

#include "check.h"

static const char src[] = "func @f(%x: f32[4]) -> (f32[4]) {\n  %0 = exp %x : f32[4]\n  return %0\n}\n";

/* Compiles @f of src for `device`; returns the status, the message in msg. */
static sj_status compile_for(const char *device, char *msg, size_t cap) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = NULL;
  CHECK(sj_module_parse(c, src, sizeof src - 1, "t", &m) == SJ_OK);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = device;
  sj_function *f = (sj_function *)&f;
  sj_status st = sj_module_compile(m, "f", &o, &f);
  CHECK(st ? f == NULL : f != NULL);
  sj_ctx_errmsg_copy(c, msg, cap);
  sj_function_free(st ? NULL : f);
  sj_ctx_free(c);
  return st;
}

static void test_defaults_and_strings(void) {
  sj_compile_options o;
  memset(&o, 0x5a, sizeof o);
  sj_compile_options_init(&o);
  CHECK(o.device == NULL && o.no_default_updates == 0);
  char msg[4096], buf[256];
  CHECK(compile_for(NULL, msg, sizeof msg) == SJ_OK);
  CHECK(compile_for("cpu", msg, sizeof msg) == SJ_OK);
  static const char *const bad[] = {"cuda:x", "tpu", "cuda:-1", "gpu:0"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    CHECK(compile_for(bad[i], msg, sizeof msg) == SJ_ERR_INVALID);
    char want[256];
    snprintf(want, sizeof want, "error: device '%s': unknown device '%s' (expected \"cpu\", \"cuda\" or \"cuda:N\"", bad[i], bad[i]);
    CHECK(strstr(msg, want) != NULL);
    CHECK(sj_device_check(bad[i], buf, sizeof buf) == SJ_ERR_INVALID && strstr(buf, "unknown device") == buf);
  }
  CHECK(sj_device_check(NULL, buf, sizeof buf) == SJ_OK && !strcmp(buf, "cpu"));
  CHECK(sj_device_check("cpu", NULL, 0) == SJ_OK);
  CHECK(sj_device_check("tpu", NULL, 0) == SJ_ERR_INVALID);
}

static void test_no_driver(void) {
  char msg[4096], buf[1024];
  setenv("SJ_LIBCUDA", "/nonexistent/libcuda.so.1", 1);
  CHECK(compile_for("cuda", msg, sizeof msg) == SJ_ERR_UNSUPPORTED);
  CHECK(strstr(msg, "error: device 'cuda': no CUDA driver found (/nonexistent/libcuda.so.1: cannot open shared "
                    "object file: No such file or directory)\n") != NULL);
  CHECK(sj_device_check("cuda:1", buf, sizeof buf) == SJ_ERR_UNSUPPORTED);
  CHECK(!strcmp(buf, "no CUDA driver found (/nonexistent/libcuda.so.1: cannot open shared object file: No such file or directory)"));

  /* the graph API goes through the same option */
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {4};
  sj_var *x = sj_input(c, "x", SJ_F32, 1, d);
  sj_var *y = sj_exp(x);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = "cuda:0";
  sj_function *f = NULL;
  CHECK(sj_compile(c, &x, 1, &y, 1, NULL, 0, NULL, 0, &o, &f) == SJ_ERR_UNSUPPORTED && f == NULL);
  CHECK(strstr(sj_ctx_errmsg(c), "device 'cuda:0': no CUDA driver found (") != NULL);
  sj_ctx_free(c);

  const char *home = getenv("CUDA_HOME");
  char stub[512];
  snprintf(stub, sizeof stub, "%s/lib64/stubs/libcuda.so", home && *home ? home : "/usr/local/cuda");
  if (access(stub, R_OK)) return;
  setenv("SJ_LIBCUDA", stub, 1);
  CHECK(compile_for("cuda", msg, sizeof msg) == SJ_ERR_UNSUPPORTED);
  CHECK(strstr(msg, "is the CUDA toolkit's stub library (cuInit: CUDA_ERROR_STUB_LIBRARY (34))") != NULL);
}

typedef void (*last_launch_fn)(unsigned *, unsigned *, size_t *, unsigned char (*)[8]);
typedef void (*record_fn)(size_t);

static const char ptx[] = ".version 7.0\n.target sm_80\n.visible .entry sjk_k(\n)\n.visible .entry sjk_k_s1(\n)\n";

/* A kernel of two parameters, x f32[?, ?] (read) and y f32[?] (written). */
static sj_gpu_kernel kernel(sj_gpu_launch kind) {
  sj_gpu_kernel k = {.kind = kind, .block = 256, .nparams = 2, .rank = {2, 1}, .ndims = 3, .trip_scale = 1,
                     .trip_param = 0, .trip_axis = 0};
  snprintf(k.name, sizeof k.name, "sjk_k");
  if (kind == SJ_GPU_TWO_STAGE) snprintf(k.stage1, sizeof k.stage1, "sjk_k_s1"), k.part_bytes = 4, k.max_parts = 1024;
  return k;
}

static void test_launches(void *h) {
  last_launch_fn last = (last_launch_fn)(uintptr_t)dlsym(h, "fake_cuda_last_launch");
  record_fn record = (record_fn)(uintptr_t)dlsym(h, "fake_cuda_record_args");
  CHECK(last && record);
  if (!last || !record) return;
  char err[1024];
  sj_cu_dev *d = NULL;
  sj_cu_module *m = NULL;
  sj_cu_fn *fn = NULL, *fn1 = NULL;
  CHECK(sj_cu_open(0, &d, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_module_load(d, ptx, &m, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_function(d, m, "sjk_k", &fn, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_function(d, m, "sjk_k_s1", &fn1, err, sizeof err) == SJ_OK);
  const sj_cu_props *p = sj_cu_props_of(d); /* the fake: 132 SMs */
  int64_t dx[2] = {1000, 7}, dy[1] = {1000};
  const int64_t *dims[2] = {dx, dy};
  sj_cu_ptr ptrs[2] = {0x1111, 0x2222}, scratch = 0x3333;
  /* the grid of each kind, small and large trip counts */
  sj_gpu_kernel k = kernel(SJ_GPU_GRID_STRIDE);
  CHECK(sj_api_gpu_grid(&k, dims, p) == 4); /* ceil(1000 / 256) */
  dx[0] = (int64_t)1 << 40;
  CHECK(sj_api_gpu_grid(&k, dims, p) == 32 * 132); /* capped: 32 blocks per SM */
  dx[0] = 0;
  CHECK(sj_api_gpu_grid(&k, dims, p) == 1); /* never an empty grid */
  k.trip_scale = -1;
  CHECK(sj_api_gpu_grid(&k, dims, p) == 32 * 132); /* unknown: as for a large count */
  k = kernel(SJ_GPU_BLOCK_PER_ROW);
  dx[0] = 1000;
  CHECK(sj_api_gpu_grid(&k, dims, p) == 1000);
  dx[0] = 100000;
  CHECK(sj_api_gpu_grid(&k, dims, p) == 65535);
  k = kernel(SJ_GPU_ONE_BLOCK);
  CHECK(sj_api_gpu_grid(&k, dims, p) == 1);
  k = kernel(SJ_GPU_TWO_STAGE);
  k.trip_param = -1, k.trip_scale = 3000;
  CHECK(sj_api_gpu_grid(&k, dims, p) == 12);
  k.trip_scale = (int64_t)1 << 50;
  CHECK(sj_api_gpu_grid(&k, dims, p) == 1024); /* max_parts */

  /* the parameters cuLaunchKernel gets: pointers, every dim, [scratch, nparts] */
  dx[0] = 1000;
  k = kernel(SJ_GPU_GRID_STRIDE);
  record(5);
  CHECK(sj_api_gpu_launch(d, NULL, &k, fn, NULL, ptrs, dims, 0, err, sizeof err) == SJ_OK);
  unsigned grid[3], block[3];
  size_t n;
  unsigned char got[64][8];
  last(grid, block, &n, got);
  int64_t want[5] = {0x1111, 0x2222, 1000, 7, 1000};
  CHECK(n == 5 && grid[0] == 4 && grid[1] == 1 && block[0] == 256 && block[1] == 1 && !memcmp(got, want, sizeof want));
  k = kernel(SJ_GPU_TWO_STAGE);
  k.trip_param = -1, k.trip_scale = 3000;
  record(7);
  CHECK(sj_api_gpu_launch(d, NULL, &k, fn, fn1, ptrs, dims, scratch, err, sizeof err) == SJ_OK);
  last(grid, block, &n, got); /* the second stage, launched last: one block, the same arguments */
  int64_t want2[7] = {0x1111, 0x2222, 1000, 7, 1000, 0x3333, 12};
  CHECK(n == 7 && grid[0] == 1 && block[0] == 256 && !memcmp(got, want2, sizeof want2));
  record(0); /* later launches (other kernels) pass fewer arguments */
  sj_cu_module_free(d, m);
  sj_cu_close(d);
}

/* A training-step-like graph function on the (fake) device: w -= 0.5 * x,
 * loss = sum(w * x). The fake runs no kernel, so values are not checked
 * here (device-run.test does that on a GPU); what moves is: the first call
 * uploads w and x, later calls only x (the batch), and only the loss comes
 * back; sj_shared_value downloads w once; sj_shared_set makes the next call
 * upload it; a CPU function reading w syncs it first; freeing the device
 * function leaves the host copy current. */
#define NW 256
static void test_residency(void *h) {
  long (*live)(const char *) = (long (*)(const char *))(uintptr_t)dlsym(h, "fake_cuda_live");
  CHECK(live != NULL);
  if (!live) return;
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {NW};
  sj_tensor *w0 = sj_tensor_new(SJ_F32, 1, d);
  for (int i = 0; i < NW; i++) sj_tensor_set(w0, i, i);
  sj_var *w = sj_shared(c, "w", w0);
  sj_var *x = sj_input(c, "x", SJ_F32, 1, d);
  sj_var *loss = sj_sum(sj_mul(w, x), 0, NULL, false);
  sj_update up = {w, sj_sub(w, sj_mul(sj_scalar(c, 0.5, SJ_F32), x))};
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = "cuda";
  sj_function *f = NULL;
  CHECK(sj_compile(c, &x, 1, &loss, 1, &up, 1, NULL, 0, &o, &f) == SJ_OK && f);
  if (!f) {
    fprintf(stderr, "%s", sj_ctx_errmsg(c));
    sj_ctx_free(c);
    sj_tensor_free(w0);
    return;
  }
  sj_tensor *xt = sj_tensor_new(SJ_F32, 1, d), *out = NULL;
  long h0 = live("h2d"), d0 = live("d2h");
  CHECK(sj_function_call(f, &xt, 1, &out, 1) == SJ_OK);
  sj_tensor_free(out);
  long h1 = live("h2d"), d1 = live("d2h");
  CHECK(h1 - h0 >= 2 * NW * 4); /* x and w */
  CHECK(d1 - d0 == 4);          /* the loss */
  for (int k = 0; k < 3; k++) {
    long hb = live("h2d"), db = live("d2h");
    CHECK(sj_function_call(f, &xt, 1, &out, 1) == SJ_OK);
    sj_tensor_free(out);
    CHECK(live("h2d") - hb >= NW * 4 && live("h2d") - hb < 2 * NW * 4); /* x, not w */
    CHECK(live("d2h") - db == 4);
  }
  long db = live("d2h");
  CHECK(sj_shared_value(w) != NULL && live("d2h") - db == NW * 4); /* w comes back when read */
  CHECK(sj_shared_value(w) != NULL && live("d2h") - db == NW * 4); /* once */
  CHECK(sj_shared_set(w, w0) == SJ_OK);
  long hb = live("h2d");
  CHECK(sj_function_call(f, &xt, 1, &out, 1) == SJ_OK);
  sj_tensor_free(out);
  CHECK(live("h2d") - hb >= 2 * NW * 4); /* the host write is uploaded */
  /* a CPU function reading w after a device update syncs it first */
  sj_compile_options oc;
  sj_compile_options_init(&oc);
  sj_function *fc = NULL;
  CHECK(sj_compile(c, &x, 1, &loss, 1, NULL, 0, NULL, 0, &oc, &fc) == SJ_OK);
  db = live("d2h");
  CHECK(fc && sj_function_call(fc, &xt, 1, &out, 1) == SJ_OK && live("d2h") - db == NW * 4);
  sj_tensor_free(out);
  CHECK(sj_function_call(f, &xt, 1, &out, 1) == SJ_OK); /* w stale on the host again */
  sj_tensor_free(out);
  db = live("d2h");
  sj_function_free(f); /* the last holder: w comes home */
  CHECK(live("d2h") - db == NW * 4 && sj_cu_resident_count() == 0);
  db = live("d2h");
  CHECK(sj_shared_value(w) != NULL && live("d2h") == db);
  sj_function_free(fc);
  sj_tensor_free(xt);
  sj_tensor_free(w0);
  sj_ctx_free(c);
}

/* A training step with matmuls on the (fake) device: a 2-layer relu MLP,
 * cross-entropy, SGD on its four parameters. After the first call, a step
 * uploads only the batch (x and the labels) and downloads only the loss:
 * the parameters and their updates stay on the device. */
static void test_mlp_step(void *h) {
  long (*live)(const char *) = (long (*)(const char *))(uintptr_t)dlsym(h, "fake_cuda_live");
  CHECK(live != NULL);
  if (!live) return;
  enum { B = 32, IN = 20, HID = 16, OUT = 5 };
  sj_ctx *c = sj_ctx_new();
  int64_t xd[2] = {B, IN}, yd[1] = {B}, sizes[3] = {IN, HID, OUT};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, xd), *y = sj_input(c, "y", SJ_I32, 1, yd), *hv = x, *params[4], *grads[4];
  sj_tensor *init[4];
  for (int l = 0; l < 2; l++) {
    int64_t wd[2] = {sizes[l], sizes[l + 1]}, bd[1] = {sizes[l + 1]};
    init[2 * l] = sj_tensor_new(SJ_F32, 2, wd), init[2 * l + 1] = sj_tensor_new(SJ_F32, 1, bd);
    sj_tensor_fill_uniform(init[2 * l], 10 + (uint64_t)l, -0.1, 0.1);
    sj_tensor_fill_uniform(init[2 * l + 1], 20 + (uint64_t)l, -0.1, 0.1);
    params[2 * l] = sj_shared(c, "W", init[2 * l]), params[2 * l + 1] = sj_shared(c, "b", init[2 * l + 1]);
    hv = sj_add(sj_matmul(hv, params[2 * l]), params[2 * l + 1]);
    if (l == 0) hv = sj_relu(hv);
  }
  sj_var *loss = sj_crossentropy(hv, y);
  sj_grad(loss, params, 4, grads);
  sj_update upd[4];
  for (int p = 0; p < 4; p++) upd[p] = (sj_update){params[p], sj_sub(params[p], sj_mul(sj_scalar(c, 0.01, SJ_F32), grads[p]))};
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = "cuda";
  sj_function *f = NULL;
  sj_var *in[2] = {x, y};
  CHECK(sj_compile(c, in, 2, &loss, 1, upd, 4, NULL, 0, &o, &f) == SJ_OK && f);
  if (!f) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  sj_tensor *xt = sj_tensor_new(SJ_F32, 2, xd), *yt = sj_tensor_new(SJ_I32, 1, yd), *out = NULL;
  sj_tensor_fill_uniform(xt, 1, 0, 1);
  sj_tensor_fill_uniform(yt, 2, 0, OUT);
  sj_tensor *args[2] = {xt, yt};
  long pbytes = 4 * (IN * HID + HID + HID * OUT + OUT), batch = 4 * (B * IN + B);
  long h0 = live("h2d");
  CHECK(f && sj_function_call(f, args, 2, &out, 1) == SJ_OK);
  sj_tensor_free(out), out = NULL;
  CHECK(live("h2d") - h0 >= pbytes + batch); /* the first step uploads the parameters */
  for (int k = 0; f && k < 3; k++) {
    long hb = live("h2d"), db = live("d2h");
    CHECK(sj_function_call(f, args, 2, &out, 1) == SJ_OK);
    sj_tensor_free(out), out = NULL;
    CHECK(live("h2d") - hb == batch); /* x and y only */
    CHECK(live("d2h") - db == 4);     /* the loss only */
  }
  long db = live("d2h");
  CHECK(sj_shared_value(params[2]) != NULL && live("d2h") - db == 4 * HID * OUT); /* W2 comes back when read */
  sj_function_free(f);
  for (int p = 0; p < 4; p++) sj_tensor_free(init[p]);
  sj_tensor_free(xt), sj_tensor_free(yt);
  sj_ctx_free(c);
}

/* The compile cache of device code (decision 0037): the first compile
 * misses and stores the PTX; a second one (another context: what a second
 * process sees, the entry is on disk) hits, skips the NVPTX compile and
 * loads the same entries; a device of another architecture (the fake at
 * sm_80) misses and stores an entry of its own; back on sm_90, a hit. */
static sj_status compile_cached_half(const char *dir, bool native_half, bool *hit);
static sj_status compile_cached(const char *dir, bool *hit) { return compile_cached_half(dir, false, hit); }
/* native_half: sj_compile_options.gpu_native_f16, which changes the PTX
 * (decision 0038), so it is part of the key. */
static sj_status compile_cached_half(const char *dir, bool native_half, bool *hit) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = NULL;
  CHECK(sj_module_parse(c, src, sizeof src - 1, "t", &m) == SJ_OK);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = "cuda";
  o.cache_dir = dir;
  o.gpu_native_f16 = native_half;
  sj_function *f = NULL;
  sj_status st = sj_module_compile(m, "f", &o, &f);
  *hit = f && f->gpu && f->gpu->from_cache;
  if (f) { /* the loaded entry runs: its kernel is found and launched */
    int64_t d[1] = {4};
    sj_tensor *x = sj_tensor_new(SJ_F32, 1, d), *y = NULL;
    CHECK(sj_function_call(f, &x, 1, &y, 1) == SJ_OK);
    sj_tensor_free(x), sj_tensor_free(y);
  }
  sj_function_free(f);
  sj_ctx_free(c);
  return st;
}

static void test_cache(void) {
  char dir[] = "/tmp/sj_gpu_cache_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  unsetenv("SYMJIT_CACHE"); /* ctest turns the cache off for every test */
  sj_cache_stats a, b;
  bool hit = true;
  sj_cache_stats_get(&a);
  CHECK(compile_cached(dir, &hit) == SJ_OK && !hit);
  sj_cache_stats_get(&b);
  CHECK(b.misses == a.misses + 1 && b.stored == a.stored + 1 && b.hits == a.hits);
  CHECK(compile_cached(dir, &hit) == SJ_OK && hit);
  sj_cache_stats_get(&a);
  CHECK(a.hits == b.hits + 1 && a.stored == b.stored && a.misses == b.misses);
  setenv("FAKE_CUDA_CC", "80", 1); /* another GPU: another key */
  CHECK(compile_cached(dir, &hit) == SJ_OK && !hit);
  sj_cache_stats_get(&b);
  CHECK(b.misses == a.misses + 1 && b.stored == a.stored + 1);
  CHECK(compile_cached(dir, &hit) == SJ_OK && hit);
  unsetenv("FAKE_CUDA_CC");
  CHECK(compile_cached(dir, &hit) == SJ_OK && hit); /* sm_90's entry is still there */
  sj_cache_stats_get(&a);
  CHECK(a.hits == b.hits + 2 && a.stored == b.stored);
  CHECK(compile_cached_half(dir, true, &hit) == SJ_OK && !hit); /* native half: another key */
  CHECK(compile_cached_half(dir, true, &hit) == SJ_OK && hit);
  DIR *dd = opendir(dir);
  int entries = 0;
  for (struct dirent *e; dd && (e = readdir(dd));) {
    if (e->d_name[0] == '.') continue;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    entries++;
    remove(path);
  }
  if (dd) closedir(dd);
  CHECK(entries == 3); /* one per architecture, and sm_90 with native half */
  rmdir(dir);
  setenv("SYMJIT_CACHE", "0", 1);
}

static void test_fake(void) {
  setenv("SJ_LIBCUDA", SJ_FAKE_CUDA, 1);
  char buf[1024], msg[4096];
  CHECK(sj_device_check("cuda", buf, sizeof buf) == SJ_OK);
  CHECK(!strcmp(buf, "cuda:0: Fake GPU 0, sm_90, 132 SMs, 80.0 GiB, driver 12.4"));
  CHECK(sj_device_check("cuda:1", buf, sizeof buf) == SJ_ERR_INVALID);
  CHECK(!strcmp(buf, "no CUDA device cuda:1 (this machine has 1 CUDA device)"));
  CHECK(compile_for("cuda:1", msg, sizeof msg) == SJ_ERR_INVALID);
  CHECK(strstr(msg, "error: device 'cuda:1': no CUDA device cuda:1 (this machine has 1 CUDA device)") != NULL);
  void *h = dlopen(SJ_FAKE_CUDA, RTLD_NOW | RTLD_NOLOAD);
  CHECK(h != NULL);
  if (!h) return;
  test_launches(h);
  test_residency(h);
  test_mlp_step(h);
  test_cache();
  char msg2[4096];
  CHECK(compile_for("cuda", msg2, sizeof msg2) == SJ_OK); /* compiled to PTX and loaded by the fake */
  sj_ctx *cx = sj_ctx_new();
  sj_module *mx = NULL;
  CHECK(sj_module_parse(cx, src, sizeof src - 1, "t", &mx) == SJ_OK);
  sj_compile_options og;
  sj_compile_options_init(&og);
  og.device = "cuda";
  og.profile = 1;
  sj_function *fx = NULL;
  CHECK(sj_module_compile(mx, "f", &og, &fx) == SJ_ERR_UNSUPPORTED && !fx);
  CHECK(strstr(sj_ctx_errmsg(cx), "device 'cuda': nan_guard and profile run on the CPU only") != NULL);
  sj_ctx_free(cx);
  /* a matmul compiles for the device (its GEMM entry: unit_cuda_gemm) */
  static const char mm[] = "func @g(%a: f32[2,3], %b: f32[3,4]) -> (f32[2,4]) {\n  %0 = matmul %a, %b : f32[2,4]\n  return %0\n}\n";
  sj_ctx *c = sj_ctx_new();
  sj_module *m = NULL;
  CHECK(sj_module_parse(c, mm, sizeof mm - 1, "mm.sj", &m) == SJ_OK);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = "cuda:0";
  sj_function *f = NULL;
  CHECK(sj_module_compile(m, "g", &o, &f) == SJ_OK && f);
  sj_function_free(f);
  sj_ctx_free(c);
  long (*live)(const char *) = (long (*)(const char *))(uintptr_t)dlsym(h, "fake_cuda_live");
  CHECK(live && live("ctx") == 0 && live("allocs") == 0 && live("streams") == 0 && live("modules") == 0);
  dlclose(h);
}

int main(void) {
  test_defaults_and_strings();
  test_no_driver();
  test_fake();
  return failures != 0;
}
