/* lib/runtime/cuda_driver.c without a GPU: device strings; the exact
 * messages with no libcuda, with the CUDA toolkit's stub library, and with a
 * fake driver (test/unit/fake/fake_libcuda.c, host memory) that reports no
 * device, an old version, then works: memory, copies, streams, modules with
 * the JIT's logs, launches, and every handle released. Each step sets
 * SJ_LIBCUDA before the driver is loaded (a failed load is retried, a
 * successful one is kept: the fake comes last). */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cuda_driver.h"

#include "check.h"

static char err[4096];

static void test_parse(void) {
  int n = 7;
  CHECK(sj_cu_parse_device(NULL, &n, err, sizeof err) == SJ_OK && n == -1);
  CHECK(sj_cu_parse_device("cpu", &n, err, sizeof err) == SJ_OK && n == -1);
  CHECK(sj_cu_parse_device("cuda", &n, err, sizeof err) == SJ_OK && n == 0);
  CHECK(sj_cu_parse_device("cuda:0", &n, err, sizeof err) == SJ_OK && n == 0);
  CHECK(sj_cu_parse_device("cuda:12", &n, err, sizeof err) == SJ_OK && n == 12);
  static const char *const bad[] = {"cuda:x", "tpu", "cuda:-1", "cuda:", "cuda:1x", "CUDA", "cuda:99999999999", " cuda", "cuda:1 ", ""};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    CHECK(sj_cu_parse_device(bad[i], &n, err, sizeof err) == SJ_ERR_INVALID);
    char want[200];
    snprintf(want, sizeof want, "unknown device '%s' (expected \"cpu\", \"cuda\" or \"cuda:N\" with N a device number >= 0)", bad[i]);
    CHECK(strcmp(err, want) == 0);
  }
}

static void test_no_driver(void) {
  setenv("SJ_LIBCUDA", "/nonexistent/libcuda.so.1", 1);
  CHECK(sj_cu_init(err, sizeof err) == SJ_ERR_UNSUPPORTED);
  CHECK(strcmp(err, "no CUDA driver found (/nonexistent/libcuda.so.1: cannot open shared object file: No such file or directory)") == 0);
  sj_cu_dev *d = (sj_cu_dev *)&d;
  CHECK(sj_cu_open(0, &d, err, sizeof err) == SJ_ERR_UNSUPPORTED && d == NULL);
  CHECK(strncmp(err, "no CUDA driver found (", 22) == 0);
  int n = 5;
  CHECK(sj_cu_device_count(&n, err, sizeof err) == SJ_ERR_UNSUPPORTED && n == 0);
  CHECK(sj_cu_init(NULL, 0) == SJ_ERR_UNSUPPORTED); /* no message buffer: still a status */
}

static void test_stub(void) {
  const char *home = getenv("CUDA_HOME");
  char path[512];
  snprintf(path, sizeof path, "%s/lib64/stubs/libcuda.so", home && *home ? home : "/usr/local/cuda");
  if (access(path, R_OK)) {
    fprintf(stderr, "note: %s not found: the stub-library case is not checked\n", path);
    return;
  }
  setenv("SJ_LIBCUDA", path, 1);
  CHECK(sj_cu_init(err, sizeof err) == SJ_ERR_UNSUPPORTED);
  char want[1024];
  snprintf(want, sizeof want,
           "no CUDA driver found: %s is the CUDA toolkit's stub library (cuInit: CUDA_ERROR_STUB_LIBRARY (34)); "
           "running on a GPU needs the NVIDIA driver's libcuda.so.1",
           path);
  CHECK(strcmp(err, want) == 0);
}

/* The fake's read-back hooks (the same handle the runtime opened). */
typedef void (*last_launch_fn)(unsigned *, unsigned *, size_t *, unsigned char (*)[8]);
typedef long (*live_fn)(const char *);
typedef void (*record_fn)(size_t);

static const char ptx_ok[] = "//\n.version 7.0\n.target sm_80\n.address_size 64\n.visible .entry k0(\n.param .u64 a\n)\n{\nret;\n}\n";

static void test_fake_failures(const char *fake) {
  setenv("SJ_LIBCUDA", fake, 1);
  setenv("FAKE_CUDA_INIT", "100", 1);
  CHECK(sj_cu_init(err, sizeof err) == SJ_ERR_UNSUPPORTED);
  CHECK(strcmp(err, "no CUDA device found (cuInit: CUDA_ERROR_NO_DEVICE (100))") == 0);
  setenv("FAKE_CUDA_INIT", "803", 1);
  CHECK(sj_cu_init(err, sizeof err) == SJ_ERR_UNSUPPORTED);
  CHECK(strcmp(err, "the CUDA driver failed to initialize (cuInit: CUDA_ERROR_SYSTEM_DRIVER_MISMATCH (803))") == 0);
  setenv("FAKE_CUDA_INIT", "0", 1);
  setenv("FAKE_CUDA_VERSION", "10020", 1);
  CHECK(sj_cu_init(err, sizeof err) == SJ_ERR_UNSUPPORTED);
  CHECK(strcmp(err, "the CUDA driver is too old: version 10.2, symjit needs 11.0 or newer") == 0);
  setenv("FAKE_CUDA_VERSION", "12040", 1);
  setenv("FAKE_CUDA_DEVICES", "0", 1);
  CHECK(sj_cu_init(err, sizeof err) == SJ_ERR_UNSUPPORTED);
  CHECK(strcmp(err, "no CUDA device found (the driver reports 0 devices)") == 0);
  setenv("FAKE_CUDA_DEVICES", "2", 1);
}

static void test_fake_modules(sj_cu_dev *d) {
  sj_cu_module *m = (sj_cu_module *)&m;
  char bad[256];
  snprintf(bad, sizeof bad, "%sFAKE_INVALID\n", ptx_ok);
  CHECK(sj_cu_module_load(d, bad, &m, err, sizeof err) == SJ_ERR_UNSUPPORTED && m == NULL);
  CHECK(strcmp(err, "the CUDA driver rejected the PTX (cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX (218)): ptxas "
                    "application ptx input, line 3; error   : fake rejection") == 0);
  CHECK(sj_cu_module_load(d, "//\n.version 9.9\n.target sm_90\n", &m, err, sizeof err) == SJ_ERR_UNSUPPORTED);
  CHECK(strcmp(err, "the CUDA driver (version 12.4) does not support PTX ISA 9.9 (cuModuleLoadDataEx: "
                    "CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222)); a newer driver is needed: ptxas fatal   : Unsupported "
                    ".version 9.9") == 0);
  CHECK(sj_cu_module_load(d, ptx_ok, &m, err, sizeof err) == SJ_OK && m);
  CHECK(strcmp(sj_cu_module_info_log(m), "fake info: 1 kernel loaded") == 0);
  sj_cu_fn *fn = NULL;
  CHECK(sj_cu_function(d, m, "nope", &fn, err, sizeof err) == SJ_ERR_UNSUPPORTED && !fn);
  CHECK(strcmp(err, "cuModuleGetFunction(\"nope\"): CUDA_ERROR_NOT_FOUND (500)") == 0);
  CHECK(sj_cu_function(d, m, "k0", &fn, err, sizeof err) == SJ_OK && fn);
  CHECK(sj_cu_fn_max_threads(d, fn) == 256);
  sj_cu_launch_dims ld = {{0, 1, 1}, {256, 1, 1}, 0};
  CHECK(sj_cu_launch(d, NULL, fn, &ld, NULL, err, sizeof err) == SJ_ERR_INVALID);
  CHECK(strcmp(err, "launch with an empty grid or block (0x1x1 blocks of 256x1x1)") == 0);
  sj_cu_module_free(d, m);
}

static void test_fake_works(const char *fake) {
  CHECK(sj_cu_init(err, sizeof err) == SJ_OK);
  int n = 0;
  CHECK(sj_cu_device_count(&n, err, sizeof err) == SJ_OK && n == 2);
  sj_cu_dev *d = NULL, *d2 = NULL;
  CHECK(sj_cu_open(2, &d, err, sizeof err) == SJ_ERR_INVALID && !d);
  CHECK(strcmp(err, "no CUDA device cuda:2 (this machine has 2 CUDA devices)") == 0);
  CHECK(sj_cu_open(1, &d, err, sizeof err) == SJ_OK && d);
  CHECK(sj_cu_open(1, &d2, err, sizeof err) == SJ_OK && d2 == d); /* one handle per device, counted */
  sj_cu_close(d2);
  const sj_cu_props *p = sj_cu_props_of(d);
  CHECK(p && !strcmp(p->name, "Fake GPU 1") && p->cc_major == 9 && p->cc_minor == 0 && p->sms == 132 &&
        p->max_threads_per_block == 1024 && p->driver_version == 12040 && p->ordinal == 1);
  void *h = dlopen(fake, RTLD_NOW | RTLD_NOLOAD);
  CHECK(h != NULL);
  if (!h) return;
  live_fn live = (live_fn)(uintptr_t)dlsym(h, "fake_cuda_live");
  last_launch_fn last = (last_launch_fn)(uintptr_t)dlsym(h, "fake_cuda_last_launch");
  record_fn record = (record_fn)(uintptr_t)dlsym(h, "fake_cuda_record_args");
  CHECK(live && last && record);
  if (!live || !last || !record) return;
  CHECK(live("ctx") == 1);

  /* memory and copies */
  sj_cu_ptr a = 1, b = 0;
  CHECK(sj_cu_alloc(d, 0, &a, err, sizeof err) == SJ_OK && a == 0);
  setenv("FAKE_CUDA_MEM", "1000", 1);
  CHECK(sj_cu_alloc(d, 4096, &a, err, sizeof err) == SJ_ERR_NOMEM && a == 0);
  CHECK(strcmp(err, "cuMemAlloc_v2 of 4096 bytes on cuda:1: CUDA_ERROR_OUT_OF_MEMORY (2)") == 0);
  unsetenv("FAKE_CUDA_MEM");
  sj_cu_stream *s = NULL;
  CHECK(sj_cu_stream_new(d, &s, err, sizeof err) == SJ_OK && s);
  CHECK(sj_cu_alloc(d, 16, &a, err, sizeof err) == SJ_OK && sj_cu_alloc(d, 16, &b, err, sizeof err) == SJ_OK);
  float x[4] = {1, 2, 3, 4}, y[4] = {0};
  CHECK(sj_cu_to_device(d, s, a, x, sizeof x, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_copy(d, s, b, a, sizeof x, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_to_host(d, s, y, b, sizeof y, err, sizeof err) == SJ_OK && !memcmp(x, y, sizeof x));
  CHECK(sj_cu_zero(d, s, b, 8, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_to_host(d, s, y, b, sizeof y, err, sizeof err) == SJ_OK && y[0] == 0 && y[1] == 0 && y[2] == 3);
  CHECK(live("allocs") == 2);

  /* a launch passes the values args point at */
  test_fake_modules(d);
  sj_cu_module *m = NULL;
  sj_cu_fn *fn = NULL;
  CHECK(sj_cu_module_load(d, ptx_ok, &m, err, sizeof err) == SJ_OK);
  CHECK(m && sj_cu_function(d, m, "k0", &fn, err, sizeof err) == SJ_OK);
  int64_t dim = 12345;
  void *args[2] = {&a, &dim};
  record(2);
  sj_cu_launch_dims ld = {{7, 1, 1}, {256, 1, 1}, 0};
  CHECK(fn && sj_cu_launch(d, s, fn, &ld, args, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_sync(d, s, err, sizeof err) == SJ_OK);
  unsigned grid[3], block[3];
  size_t nargs;
  unsigned char got[64][8];
  last(grid, block, &nargs, got);
  CHECK(grid[0] == 7 && grid[1] == 1 && block[0] == 256 && nargs == 2);
  CHECK(!memcmp(got[0], &a, 8) && !memcmp(got[1], &dim, 8));
  CHECK(live("modules") == 1);
  sj_cu_module_free(d, m);
  sj_cu_free(d, a);
  sj_cu_free(d, b);
  sj_cu_free(d, 0);
  sj_cu_stream_free(d, s);
  CHECK(live("allocs") == 0 && live("modules") == 0 && live("streams") == 0);
  sj_cu_close(d);
  CHECK(live("ctx") == 0); /* the last close released the primary context */
  sj_cu_close(NULL);
  dlclose(h);
}

int main(void) {
  char nb[32];
  CHECK(strcmp(sj_cu_error_name(218, nb, sizeof nb), "CUDA_ERROR_INVALID_PTX") == 0);
  CHECK(strcmp(sj_cu_error_name(12345, nb, sizeof nb), "CUDA_ERROR_12345") == 0);
  test_parse();
  test_no_driver();
  test_stub();
  test_fake_failures(SJ_FAKE_CUDA);
  test_fake_works(SJ_FAKE_CUDA);
  return failures != 0;
}
