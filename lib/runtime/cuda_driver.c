/* The CUDA Driver API through dlopen (cuda_driver.h): one lazy, locked load
 * and cuInit per process; devices with their retained primary contexts;
 * memory, copies, streams, PTX modules with the JIT's logs, launches. The
 * driver's types and enum values are declared here (from cuda.h of CUDA 13,
 * checked in ../shared/notes/gpu.md section 4), never included. */
#define _POSIX_C_SOURCE 200809L
#include "cuda_driver.h"
#include "runtime.h" /* sj_rt_err */

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the driver's own values (cuda.h) ---- */
enum {
  CU_SUCCESS = 0,
  CU_ERROR_OUT_OF_MEMORY = 2,
  CU_ERROR_STUB_LIBRARY = 34,
  CU_ERROR_NO_DEVICE = 100,
  CU_ERROR_UNSUPPORTED_PTX_VERSION = 222,
};
enum { /* CUdevice_attribute */
       ATTR_MAX_THREADS_PER_BLOCK = 1,
       ATTR_MAX_GRID_DIM_X = 5,
       ATTR_MULTIPROCESSOR_COUNT = 16,
       ATTR_CC_MAJOR = 75,
       ATTR_CC_MINOR = 76,
};
enum { FUNC_ATTR_MAX_THREADS_PER_BLOCK = 0 }; /* CUfunction_attribute */
enum { /* CUjit_option */
       JIT_INFO_LOG_BUFFER = 3,
       JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4,
       JIT_ERROR_LOG_BUFFER = 5,
       JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6,
       JIT_LOG_VERBOSE = 12,
};
enum { STREAM_NON_BLOCKING = 1 };

#define MAX_DEVICES 64          /* ordinals beyond this are refused */
#define JIT_LOG_BYTES (16 << 10) /* each of the info and error logs */

/* ---- entry points: (return, field, exported name, parameters) ----
 * The exported name is the versioned one cuda.h #defines the field to;
 * cuInit and cuDriverGetVersion come first: they exist in every driver and
 * say whether the rest can be expected. */
#define SJ_CU_EARLY(X)                                            \
  X(int, cuInit, "cuInit", (unsigned))                            \
  X(int, cuDriverGetVersion, "cuDriverGetVersion", (int *))
#define SJ_CU_LATE(X)                                                                                            \
  X(int, cuDeviceGetCount, "cuDeviceGetCount", (int *))                                                          \
  X(int, cuDeviceGet, "cuDeviceGet", (int *, int))                                                               \
  X(int, cuDeviceGetAttribute, "cuDeviceGetAttribute", (int *, int, int))                                        \
  X(int, cuDeviceGetName, "cuDeviceGetName", (char *, int, int))                                                 \
  X(int, cuDeviceTotalMem, "cuDeviceTotalMem_v2", (size_t *, int))                                               \
  X(int, cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain", (void **, int))                                   \
  X(int, cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2", (int))                                       \
  X(int, cuCtxSetCurrent, "cuCtxSetCurrent", (void *))                                                           \
  X(int, cuMemAlloc, "cuMemAlloc_v2", (sj_cu_ptr *, size_t))                                                     \
  X(int, cuMemFree, "cuMemFree_v2", (sj_cu_ptr))                                                                 \
  X(int, cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2", (sj_cu_ptr, const void *, size_t, void *))                   \
  X(int, cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2", (void *, sj_cu_ptr, size_t, void *))                         \
  X(int, cuMemcpyDtoDAsync, "cuMemcpyDtoDAsync_v2", (sj_cu_ptr, sj_cu_ptr, size_t, void *))                      \
  X(int, cuMemsetD8Async, "cuMemsetD8Async", (sj_cu_ptr, unsigned char, size_t, void *))                         \
  X(int, cuStreamCreate, "cuStreamCreate", (void **, unsigned))                                                  \
  X(int, cuStreamDestroy, "cuStreamDestroy_v2", (void *))                                                        \
  X(int, cuStreamSynchronize, "cuStreamSynchronize", (void *))                                                   \
  X(int, cuModuleLoadDataEx, "cuModuleLoadDataEx", (void **, const void *, unsigned, int *, void **))            \
  X(int, cuModuleUnload, "cuModuleUnload", (void *))                                                             \
  X(int, cuModuleGetFunction, "cuModuleGetFunction", (void **, void *, const char *))                            \
  X(int, cuFuncGetAttribute, "cuFuncGetAttribute", (int *, int, void *))                                         \
  X(int, cuLaunchKernel, "cuLaunchKernel",                                                                        \
    (void *, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void *, void **, void **))

typedef struct driver {
#define FIELD(ret, field, sym, params) ret(*field) params;
  SJ_CU_EARLY(FIELD) SJ_CU_LATE(FIELD)
#undef FIELD
} driver;

struct sj_cu_dev {
  int refs;
  int cudev;
  void *ctx; /* the primary context */
  sj_cu_props props;
};

struct sj_cu_module {
  void *mod;
  char info[JIT_LOG_BYTES];
};

/* Process-wide state, under g_lock. `handle` is set only once the driver
 * initialized; it stays loaded to the end of the process. */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static void *g_handle;
static driver g_cu;
static int g_ndev, g_version;
static char g_path[256];
static sj_cu_dev *g_devs[MAX_DEVICES];

/* ---- messages ---- */

static const struct {
  int code;
  const char *name;
} error_names[] = {
    {0, "CUDA_SUCCESS"},
    {1, "CUDA_ERROR_INVALID_VALUE"},
    {2, "CUDA_ERROR_OUT_OF_MEMORY"},
    {3, "CUDA_ERROR_NOT_INITIALIZED"},
    {4, "CUDA_ERROR_DEINITIALIZED"},
    {34, "CUDA_ERROR_STUB_LIBRARY"},
    {46, "CUDA_ERROR_DEVICE_UNAVAILABLE"},
    {100, "CUDA_ERROR_NO_DEVICE"},
    {101, "CUDA_ERROR_INVALID_DEVICE"},
    {200, "CUDA_ERROR_INVALID_IMAGE"},
    {201, "CUDA_ERROR_INVALID_CONTEXT"},
    {209, "CUDA_ERROR_NO_BINARY_FOR_GPU"},
    {218, "CUDA_ERROR_INVALID_PTX"},
    {221, "CUDA_ERROR_JIT_COMPILER_NOT_FOUND"},
    {222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION"},
    {223, "CUDA_ERROR_JIT_COMPILATION_DISABLED"},
    {302, "CUDA_ERROR_SHARED_OBJECT_SYMBOL_NOT_FOUND"},
    {303, "CUDA_ERROR_SHARED_OBJECT_INIT_FAILED"},
    {304, "CUDA_ERROR_OPERATING_SYSTEM"},
    {400, "CUDA_ERROR_INVALID_HANDLE"},
    {500, "CUDA_ERROR_NOT_FOUND"},
    {700, "CUDA_ERROR_ILLEGAL_ADDRESS"},
    {701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES"},
    {702, "CUDA_ERROR_LAUNCH_TIMEOUT"},
    {710, "CUDA_ERROR_ASSERT"},
    {714, "CUDA_ERROR_HARDWARE_STACK_ERROR"},
    {715, "CUDA_ERROR_ILLEGAL_INSTRUCTION"},
    {716, "CUDA_ERROR_MISALIGNED_ADDRESS"},
    {719, "CUDA_ERROR_LAUNCH_FAILED"},
    {800, "CUDA_ERROR_NOT_PERMITTED"},
    {801, "CUDA_ERROR_NOT_SUPPORTED"},
    {802, "CUDA_ERROR_SYSTEM_NOT_READY"},
    {803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH"},
    {804, "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE"},
    {999, "CUDA_ERROR_UNKNOWN"},
};

const char *sj_cu_error_name(int code, char *buf, size_t cap) {
  for (size_t i = 0; i < sizeof error_names / sizeof *error_names; i++)
    if (error_names[i].code == code) return error_names[i].name;
  if (buf && cap) snprintf(buf, cap, "CUDA_ERROR_%d", code);
  return buf ? buf : "CUDA_ERROR_?";
}


/* "<what>: CUDA_ERROR_X (n)"; out of memory is SJ_ERR_NOMEM. */
static sj_status cu_fail(int rc, char *err, size_t cap, const char *what) {
  char nb[32];
  return sj_rt_err(err, cap, rc == CU_ERROR_OUT_OF_MEMORY ? SJ_ERR_NOMEM : SJ_ERR_UNSUPPORTED, "%s: %s (%d)", what,
             sj_cu_error_name(rc, nb, sizeof nb), rc);
}

/* ---- device strings ---- */

sj_status sj_cu_parse_device(const char *s, int *ordinal, char *err, size_t cap) {
  if (!ordinal) return sj_rt_err(err, cap, SJ_ERR_INVALID, "no place for the device ordinal");
  *ordinal = -1;
  if (!s || !strcmp(s, "cpu")) return SJ_OK;
  if (!strcmp(s, "cuda")) {
    *ordinal = 0;
    return SJ_OK;
  }
  const char *p = !strncmp(s, "cuda:", 5) ? s + 5 : NULL;
  int n = 0, digits = 0;
  for (; p && *p >= '0' && *p <= '9' && n < MAX_DEVICES * 16; p++, digits++) n = n * 10 + (*p - '0');
  if (!p || !digits || *p || n >= MAX_DEVICES * 16)
    return sj_rt_err(err, cap, SJ_ERR_INVALID, "unknown device '%s' (expected \"cpu\", \"cuda\" or \"cuda:N\" with N a device number >= 0)", s);
  *ordinal = n;
  return SJ_OK;
}

/* ---- loading ---- */

/* The rest of the table once cuInit succeeded; a missing entry point means
 * a driver older than SJ_CU_MIN_DRIVER (or not a CUDA driver). */
static sj_status resolve_late(void *h, driver *cu, char *err, size_t cap) {
#define LOAD(ret, field, sym, params)                                                                              \
  *(void **)&cu->field = dlsym(h, sym);                                                                           \
  if (!cu->field)                                                                                                 \
    return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "%s has no %s: the CUDA driver is too old (symjit needs 11.0 or newer)", \
               g_path, sym);
  SJ_CU_LATE(LOAD)
#undef LOAD
  return SJ_OK;
}

static sj_status init_driver(void *h, driver *cu, char *err, size_t cap) {
#define LOAD(ret, field, sym, params)                                                                                \
  *(void **)&cu->field = dlsym(h, sym);                                                                             \
  if (!cu->field) return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "no CUDA driver found: %s has no %s", g_path, sym);
  SJ_CU_EARLY(LOAD)
#undef LOAD
  char nb[32];
  int rc = cu->cuInit(0);
  if (rc == CU_ERROR_STUB_LIBRARY)
    return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED,
               "no CUDA driver found: %s is the CUDA toolkit's stub library (cuInit: CUDA_ERROR_STUB_LIBRARY (34)); "
               "running on a GPU needs the NVIDIA driver's libcuda.so.1",
               g_path);
  if (rc == CU_ERROR_NO_DEVICE) return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "no CUDA device found (cuInit: CUDA_ERROR_NO_DEVICE (100))");
  if (rc) return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "the CUDA driver failed to initialize (cuInit: %s (%d))", sj_cu_error_name(rc, nb, sizeof nb), rc);
  rc = cu->cuDriverGetVersion(&g_version);
  if (rc) return cu_fail(rc, err, cap, "cuDriverGetVersion");
  if (g_version < SJ_CU_MIN_DRIVER)
    return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "the CUDA driver is too old: version %d.%d, symjit needs %d.%d or newer",
               g_version / 1000, g_version % 1000 / 10, SJ_CU_MIN_DRIVER / 1000, SJ_CU_MIN_DRIVER % 1000 / 10);
  sj_status st = resolve_late(h, cu, err, cap);
  if (st) return st;
  rc = cu->cuDeviceGetCount(&g_ndev);
  if (rc) return cu_fail(rc, err, cap, "cuDeviceGetCount");
  if (g_ndev <= 0) return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "no CUDA device found (the driver reports 0 devices)");
  return SJ_OK;
}

static sj_status init_locked(char *err, size_t cap) {
  if (g_handle) return SJ_OK;
  const char *path = getenv("SJ_LIBCUDA");
  snprintf(g_path, sizeof g_path, "%s", path && *path ? path : "libcuda.so.1");
  void *h = dlopen(g_path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *why = dlerror();
    return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "no CUDA driver found (%s)", why ? why : g_path);
  }
  driver cu;
  memset(&cu, 0, sizeof cu);
  sj_status st = init_driver(h, &cu, err, cap);
  if (st) { /* nothing of it is kept: the next call tries again */
    dlclose(h);
    g_ndev = 0, g_version = 0;
    return st;
  }
  g_cu = cu;
  g_handle = h;
  return SJ_OK;
}

sj_status sj_cu_init(char *err, size_t cap) {
  pthread_mutex_lock(&g_lock);
  sj_status st = init_locked(err, cap);
  pthread_mutex_unlock(&g_lock);
  return st;
}

sj_status sj_cu_device_count(int *n, char *err, size_t cap) {
  pthread_mutex_lock(&g_lock);
  sj_status st = init_locked(err, cap);
  if (n) *n = st ? 0 : g_ndev;
  pthread_mutex_unlock(&g_lock);
  return st;
}

/* ---- devices ---- */

static sj_status read_props(sj_cu_dev *d, char *err, size_t cap) {
  sj_cu_props *p = &d->props;
  static const struct {
    int attr;
    size_t off;
  } attrs[] = {
      {ATTR_CC_MAJOR, offsetof(sj_cu_props, cc_major)},
      {ATTR_CC_MINOR, offsetof(sj_cu_props, cc_minor)},
      {ATTR_MULTIPROCESSOR_COUNT, offsetof(sj_cu_props, sms)},
      {ATTR_MAX_THREADS_PER_BLOCK, offsetof(sj_cu_props, max_threads_per_block)},
      {ATTR_MAX_GRID_DIM_X, offsetof(sj_cu_props, max_grid_x)},
  };
  for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
    int rc = g_cu.cuDeviceGetAttribute((int *)((char *)p + attrs[i].off), attrs[i].attr, d->cudev);
    if (rc) return cu_fail(rc, err, cap, "cuDeviceGetAttribute");
  }
  int rc = g_cu.cuDeviceGetName(p->name, (int)sizeof p->name, d->cudev);
  if (!rc) rc = g_cu.cuDeviceTotalMem(&p->total_mem, d->cudev);
  if (rc) return cu_fail(rc, err, cap, "cuDeviceGetName/cuDeviceTotalMem_v2");
  p->name[sizeof p->name - 1] = '\0';
  p->driver_version = g_version;
  return SJ_OK;
}

static sj_status open_locked(int ordinal, sj_cu_dev **out, char *err, size_t cap) {
  sj_status st = init_locked(err, cap);
  if (st) return st;
  if (ordinal < 0 || ordinal >= g_ndev || ordinal >= MAX_DEVICES)
    return sj_rt_err(err, cap, SJ_ERR_INVALID, "no CUDA device cuda:%d (this machine has %d CUDA device%s)", ordinal, g_ndev,
               g_ndev == 1 ? "" : "s");
  if (g_devs[ordinal]) {
    g_devs[ordinal]->refs++;
    *out = g_devs[ordinal];
    return SJ_OK;
  }
  sj_cu_dev *d = calloc(1, sizeof *d);
  if (!d) return sj_rt_err(err, cap, SJ_ERR_NOMEM, "out of memory opening cuda:%d", ordinal);
  d->props.ordinal = ordinal;
  int rc = g_cu.cuDeviceGet(&d->cudev, ordinal);
  if (rc) st = cu_fail(rc, err, cap, "cuDeviceGet");
  if (!st) st = read_props(d, err, cap);
  if (!st && (rc = g_cu.cuDevicePrimaryCtxRetain(&d->ctx, d->cudev))) st = cu_fail(rc, err, cap, "cuDevicePrimaryCtxRetain");
  if (st) {
    free(d);
    return st;
  }
  d->refs = 1;
  g_devs[ordinal] = *out = d;
  return SJ_OK;
}

sj_status sj_cu_open(int ordinal, sj_cu_dev **out, char *err, size_t cap) {
  if (!out) return sj_rt_err(err, cap, SJ_ERR_INVALID, "no place for the device");
  *out = NULL;
  pthread_mutex_lock(&g_lock);
  sj_status st = open_locked(ordinal, out, err, cap);
  pthread_mutex_unlock(&g_lock);
  return st;
}

void sj_cu_close(sj_cu_dev *d) {
  if (!d) return;
  pthread_mutex_lock(&g_lock);
  if (--d->refs == 0) {
    g_cu.cuDevicePrimaryCtxRelease(d->cudev);
    g_devs[d->props.ordinal] = NULL;
    free(d);
  }
  pthread_mutex_unlock(&g_lock);
}

const sj_cu_props *sj_cu_props_of(const sj_cu_dev *d) { return d ? &d->props : NULL; }

/* The device's context on the calling thread, before any call that works
 * in "the current context". */
static sj_status enter(sj_cu_dev *d, char *err, size_t cap) {
  if (!d) return sj_rt_err(err, cap, SJ_ERR_INVALID, "no device");
  int rc = g_cu.cuCtxSetCurrent(d->ctx);
  return rc ? cu_fail(rc, err, cap, "cuCtxSetCurrent") : SJ_OK;
}

/* ---- memory ---- */

sj_status sj_cu_alloc(sj_cu_dev *d, size_t bytes, sj_cu_ptr *out, char *err, size_t cap) {
  *out = 0;
  sj_status st = enter(d, err, cap);
  if (st || !bytes) return st;
  int rc = g_cu.cuMemAlloc(out, bytes);
  if (!rc) return SJ_OK;
  *out = 0;
  char what[96];
  snprintf(what, sizeof what, "cuMemAlloc_v2 of %zu bytes on cuda:%d", bytes, d->props.ordinal);
  return cu_fail(rc, err, cap, what);
}

void sj_cu_free(sj_cu_dev *d, sj_cu_ptr p) {
  if (p && !enter(d, NULL, 0)) g_cu.cuMemFree(p);
}

/* ---- streams and copies ---- */

sj_status sj_cu_stream_new(sj_cu_dev *d, sj_cu_stream **out, char *err, size_t cap) {
  *out = NULL;
  sj_status st = enter(d, err, cap);
  if (st) return st;
  void *s = NULL;
  int rc = g_cu.cuStreamCreate(&s, STREAM_NON_BLOCKING);
  if (rc) return cu_fail(rc, err, cap, "cuStreamCreate");
  *out = s;
  return SJ_OK;
}

void sj_cu_stream_free(sj_cu_dev *d, sj_cu_stream *s) {
  if (s && !enter(d, NULL, 0)) g_cu.cuStreamDestroy(s);
}

sj_status sj_cu_sync(sj_cu_dev *d, sj_cu_stream *s, char *err, size_t cap) {
  sj_status st = enter(d, err, cap);
  int rc = st ? 0 : g_cu.cuStreamSynchronize(s);
  return st ? st : rc ? cu_fail(rc, err, cap, "cuStreamSynchronize (a kernel or copy queued before failed)") : SJ_OK;
}

sj_status sj_cu_to_device(sj_cu_dev *d, sj_cu_stream *s, sj_cu_ptr dst, const void *src, size_t n, char *err,
                          size_t cap) {
  sj_status st = enter(d, err, cap);
  if (st || !n) return st;
  int rc = g_cu.cuMemcpyHtoDAsync(dst, src, n, s);
  return rc ? cu_fail(rc, err, cap, "cuMemcpyHtoDAsync_v2") : SJ_OK;
}

sj_status sj_cu_to_host(sj_cu_dev *d, sj_cu_stream *s, void *dst, sj_cu_ptr src, size_t n, char *err, size_t cap) {
  sj_status st = enter(d, err, cap);
  if (st || !n) return st;
  int rc = g_cu.cuMemcpyDtoHAsync(dst, src, n, s);
  if (rc) return cu_fail(rc, err, cap, "cuMemcpyDtoHAsync_v2");
  return sj_cu_sync(d, s, err, cap);
}

sj_status sj_cu_copy(sj_cu_dev *d, sj_cu_stream *s, sj_cu_ptr dst, sj_cu_ptr src, size_t n, char *err, size_t cap) {
  sj_status st = enter(d, err, cap);
  if (st || !n) return st;
  int rc = g_cu.cuMemcpyDtoDAsync(dst, src, n, s);
  return rc ? cu_fail(rc, err, cap, "cuMemcpyDtoDAsync_v2") : SJ_OK;
}

sj_status sj_cu_zero(sj_cu_dev *d, sj_cu_stream *s, sj_cu_ptr dst, size_t n, char *err, size_t cap) {
  sj_status st = enter(d, err, cap);
  if (st || !n) return st;
  int rc = g_cu.cuMemsetD8Async(dst, 0, n, s);
  return rc ? cu_fail(rc, err, cap, "cuMemsetD8Async") : SJ_OK;
}

/* ---- modules ---- */

/* The `.version X.Y` line of a PTX text, for the message of 222. */
static void ptx_version(const char *ptx, char *buf, size_t cap) {
  const char *v = strstr(ptx, ".version ");
  size_t n = 0;
  if (v) {
    v += 9;
    while (v[n] && v[n] != '\n' && v[n] != '\r' && n + 1 < cap) n++;
  }
  snprintf(buf, cap, "%.*s", (int)n, v ? v : "?");
}

static sj_status load_failed(int rc, const char *ptx, const char *log, char *err, size_t cap) {
  char nb[32], ver[16];
  const char *name = sj_cu_error_name(rc, nb, sizeof nb);
  if (rc == CU_ERROR_UNSUPPORTED_PTX_VERSION) {
    ptx_version(ptx, ver, sizeof ver);
    return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED,
               "the CUDA driver (version %d.%d) does not support PTX ISA %s (cuModuleLoadDataEx: %s (%d)); a newer "
               "driver is needed%s%s",
               g_version / 1000, g_version % 1000 / 10, ver, name, rc, *log ? ": " : "", log);
  }
  if (rc == CU_ERROR_OUT_OF_MEMORY) return cu_fail(rc, err, cap, "cuModuleLoadDataEx");
  return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "the CUDA driver rejected the PTX (cuModuleLoadDataEx: %s (%d))%s%s", name,
             rc, *log ? ": " : "", log);
}

sj_status sj_cu_module_load(sj_cu_dev *d, const char *ptx, sj_cu_module **out, char *err, size_t cap) {
  *out = NULL;
  sj_status st = enter(d, err, cap);
  if (st) return st;
  sj_cu_module *m = calloc(1, sizeof *m);
  char *elog = calloc(1, JIT_LOG_BYTES);
  if (!m || !elog) {
    free(m), free(elog);
    return sj_rt_err(err, cap, SJ_ERR_NOMEM, "out of memory loading a module");
  }
  int opts[] = {JIT_INFO_LOG_BUFFER, JIT_INFO_LOG_BUFFER_SIZE_BYTES, JIT_ERROR_LOG_BUFFER,
                JIT_ERROR_LOG_BUFFER_SIZE_BYTES, JIT_LOG_VERBOSE};
  void *vals[] = {m->info, (void *)(uintptr_t)(JIT_LOG_BYTES - 1), elog, (void *)(uintptr_t)(JIT_LOG_BYTES - 1),
                  (void *)(uintptr_t)1};
  int rc = g_cu.cuModuleLoadDataEx(&m->mod, ptx, (unsigned)(sizeof opts / sizeof *opts), opts, vals);
  m->info[JIT_LOG_BYTES - 1] = elog[JIT_LOG_BYTES - 1] = '\0';
  if (rc) {
    st = load_failed(rc, ptx, elog, err, cap);
    free(m);
  } else {
    *out = m;
  }
  free(elog);
  return st;
}

const char *sj_cu_module_info_log(const sj_cu_module *m) { return m ? m->info : ""; }

void sj_cu_module_free(sj_cu_dev *d, sj_cu_module *m) {
  if (!m) return;
  if (!enter(d, NULL, 0)) g_cu.cuModuleUnload(m->mod);
  free(m);
}

sj_status sj_cu_function(sj_cu_dev *d, sj_cu_module *m, const char *name, sj_cu_fn **out, char *err, size_t cap) {
  *out = NULL;
  sj_status st = enter(d, err, cap);
  if (st) return st;
  void *f = NULL;
  int rc = g_cu.cuModuleGetFunction(&f, m->mod, name);
  if (rc) {
    char what[160];
    snprintf(what, sizeof what, "cuModuleGetFunction(\"%s\")", name);
    return cu_fail(rc, err, cap, what);
  }
  *out = f;
  return SJ_OK;
}

int sj_cu_fn_max_threads(sj_cu_dev *d, sj_cu_fn *f) {
  int n = 0;
  if (enter(d, NULL, 0) || g_cu.cuFuncGetAttribute(&n, FUNC_ATTR_MAX_THREADS_PER_BLOCK, f)) return 0;
  return n;
}

sj_status sj_cu_launch(sj_cu_dev *d, sj_cu_stream *s, sj_cu_fn *f, const sj_cu_launch_dims *ld, void **args,
                       char *err, size_t cap) {
  for (int k = 0; k < 3; k++)
    if (!ld->grid[k] || !ld->block[k])
      return sj_rt_err(err, cap, SJ_ERR_INVALID, "launch with an empty grid or block (%ux%ux%u blocks of %ux%ux%u)", ld->grid[0],
                 ld->grid[1], ld->grid[2], ld->block[0], ld->block[1], ld->block[2]);
  sj_status st = enter(d, err, cap);
  if (st) return st;
  int rc = g_cu.cuLaunchKernel(f, ld->grid[0], ld->grid[1], ld->grid[2], ld->block[0], ld->block[1], ld->block[2],
                               ld->shared_bytes, s, args, NULL);
  if (!rc) return SJ_OK;
  char what[128];
  snprintf(what, sizeof what, "cuLaunchKernel (%u blocks of %u threads)", ld->grid[0] * ld->grid[1] * ld->grid[2],
           ld->block[0] * ld->block[1] * ld->block[2]);
  return cu_fail(rc, err, cap, what);
}
