/* A fake libcuda for the unit tests of lib/runtime/cuda_driver.c on machines
 * without a GPU: the entry points symjit resolves, over host memory. It runs
 * no kernel: cuLaunchKernel records its grid, block and the bytes of each
 * argument, which the tests read back (fake_cuda_last_launch) to check the
 * packing. Knobs (environment, read at each call):
 *   FAKE_CUDA_INIT      cuInit's result (default 0)
 *   FAKE_CUDA_VERSION   cuDriverGetVersion (default 12040)
 *   FAKE_CUDA_DEVICES   device count (default 1)
 *   FAKE_CUDA_MEM       bytes one cuMemAlloc may take (default 1 GiB)
 *   FAKE_CUDA_CC        compute capability, 10 * major + minor (default 90)
 * fake_cuda_live("h2d"/"d2h") counts the bytes copied each way.
 * Every launch is also logged (fake_cuda_launches, fake_cuda_launch_at):
 * the entry's name, grid, block, and as many 8-byte arguments as the PTX
 * entry declares .param's.
 * Every copy is logged too, in the same sequence as the launches
 * (fake_cuda_events, fake_cuda_event_at): 'H' host to device, 'D' device to
 * host, 'C' device to device, with destination, source and size, so a test
 * checks the copies and launches of each scan step and their offsets.
 *   FAKE_CUDA_COND_AT   the k-th 1-byte copy to the host since the log was
 *                       reset reads 1 (k from 1; 0 or unset: never), which
 *                       stands for an `until` condition turning true
 * PTX containing "FAKE_INVALID" is rejected with 218 and an error log;
 * ".version 9.9" with 222. cuModuleGetFunction finds ".entry NAME(". */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_MAX_ARGS 64

static long env_long(const char *name, long dflt) {
  const char *s = getenv(name);
  return s && *s ? strtol(s, NULL, 10) : dflt;
}

static int current_ctx_set;
static long live_allocs, live_modules, live_streams, ctx_refs;
static long h2d_bytes, d2h_bytes; /* copied so far */

/* The event log: launches and copies in order (FAKE_EVENTS at most since
 * fake_cuda_log_reset; later ones overwrite the last entry). */
#define FAKE_EVENTS 4096
typedef struct fake_event {
  char kind; /* 'L' launch (index into the launch log in n), 'H', 'D', 'C' */
  uint64_t dst, src;
  size_t n;
} fake_event;
static fake_event events[FAKE_EVENTS];
static size_t nevents, ncond_reads;
static void log_event(char kind, uint64_t dst, uint64_t src, size_t n) {
  fake_event *e = &events[nevents < FAKE_EVENTS ? nevents : FAKE_EVENTS - 1];
  nevents++;
  *e = (fake_event){kind, dst, src, n};
}

int cuInit(unsigned flags) { return flags ? 1 : (int)env_long("FAKE_CUDA_INIT", 0); }
int cuDriverGetVersion(int *v) { *v = (int)env_long("FAKE_CUDA_VERSION", 12040); return 0; }
int cuDeviceGetCount(int *n) { *n = (int)env_long("FAKE_CUDA_DEVICES", 1); return 0; }
int cuDeviceGet(int *d, int ordinal) { *d = ordinal; return 0; }
int cuDeviceGetAttribute(int *v, int attr, int dev) {
  (void)dev;
  switch (attr) {
  case 1: *v = 1024; return 0;       /* max threads per block */
  case 5: *v = 2147483647; return 0; /* max grid x */
  case 16: *v = 132; return 0;       /* SMs (an H100 SXM) */
  case 75: *v = (int)env_long("FAKE_CUDA_CC", 90) / 10; return 0;
  case 76: *v = (int)env_long("FAKE_CUDA_CC", 90) % 10; return 0;
  default: return 1;
  }
}
int cuDeviceGetName(char *name, int len, int dev) { snprintf(name, (size_t)len, "Fake GPU %d", dev); return 0; }
int cuDeviceTotalMem_v2(size_t *b, int dev) { (void)dev; *b = (size_t)80 << 30; return 0; }
int cuDevicePrimaryCtxRetain(void **ctx, int dev) { *ctx = (void *)(uintptr_t)(0x1000 + dev); ctx_refs++; return 0; }
int cuDevicePrimaryCtxRelease_v2(int dev) { (void)dev; ctx_refs--; return 0; }
int cuCtxSetCurrent(void *ctx) { current_ctx_set = ctx != NULL; return 0; }

int cuMemAlloc_v2(uint64_t *p, size_t n) {
  if (!current_ctx_set) return 201;
  if (n > (size_t)env_long("FAKE_CUDA_MEM", 1L << 30)) return 2;
  void *m = calloc(1, n);
  if (!m) return 2;
  live_allocs++;
  *p = (uint64_t)(uintptr_t)m;
  return 0;
}
int cuMemFree_v2(uint64_t p) { free((void *)(uintptr_t)p); live_allocs--; return 0; }
int cuMemcpyHtoDAsync_v2(uint64_t d, const void *s, size_t n, void *st) {
  (void)st;
  memcpy((void *)(uintptr_t)d, s, n);
  h2d_bytes += (long)n;
  log_event('H', d, (uint64_t)(uintptr_t)s, n);
  return 0;
}
int cuMemcpyDtoHAsync_v2(void *d, uint64_t s, size_t n, void *st) {
  (void)st;
  memcpy(d, (void *)(uintptr_t)s, n);
  d2h_bytes += (long)n;
  log_event('D', (uint64_t)(uintptr_t)d, s, n);
  long at = env_long("FAKE_CUDA_COND_AT", 0);
  if (n == 1 && ++ncond_reads == (size_t)at && at > 0) *(unsigned char *)d = 1;
  return 0;
}
int cuMemcpyDtoDAsync_v2(uint64_t d, uint64_t s, size_t n, void *st) {
  (void)st;
  memmove((void *)(uintptr_t)d, (void *)(uintptr_t)s, n);
  log_event('C', d, s, n);
  return 0;
}
int cuMemsetD8Async(uint64_t d, unsigned char c, size_t n, void *st) { (void)st; memset((void *)(uintptr_t)d, c, n); return 0; }
int cuStreamCreate(void **s, unsigned flags) { (void)flags; *s = malloc(1); live_streams++; return 0; }
int cuStreamDestroy_v2(void *s) { free(s); live_streams--; return 0; }
int cuStreamSynchronize(void *s) { (void)s; return 0; }

typedef struct fake_module {
  char *ptx;
} fake_module;

int cuModuleLoadDataEx(void **mod, const void *image, unsigned nopt, int *opts, void **vals) {
  const char *ptx = image, *msg = NULL;
  int rc = 0;
  if (strstr(ptx, "FAKE_INVALID")) rc = 218, msg = "ptxas application ptx input, line 3; error   : fake rejection";
  else if (strstr(ptx, ".version 9.9")) rc = 222, msg = "ptxas fatal   : Unsupported .version 9.9";
  for (unsigned i = 0; i < nopt; i++) {
    if (opts[i] == 3 && !rc) snprintf(vals[i], 64, "fake info: 1 kernel loaded");
    if (opts[i] == 5 && rc) snprintf(vals[i], 128, "%s", msg);
  }
  if (rc) return rc;
  fake_module *m = calloc(1, sizeof *m);
  m->ptx = strdup(ptx);
  live_modules++;
  *mod = m;
  return 0;
}
int cuModuleUnload(void *mod) {
  fake_module *m = mod;
  free(m->ptx);
  free(m);
  live_modules--;
  return 0;
}
int cuModuleGetFunction(void **f, void *mod, const char *name) {
  fake_module *m = mod;
  char pat[256];
  snprintf(pat, sizeof pat, ".entry %s(", name);
  const char *at = strstr(m->ptx, pat);
  if (!at) return 500;
  *f = (void *)at;
  return 0;
}
int cuFuncGetAttribute(int *v, int attr, void *f) { (void)f; *v = attr == 0 ? 256 : 0; return 0; }

/* The last launch, for the tests. */
static unsigned last_grid[3], last_block[3];
static size_t last_nargs;
static unsigned char last_args[FAKE_MAX_ARGS][8];

/* The fake cannot know the kernel's parameter count: the tests tell it how
 * many 8-byte values to record (every symjit kernel parameter is 8 bytes:
 * device pointers, i64 dims, and scalars widened as the ABI says). */
static size_t record_nargs = 0; /* set back to 0 after use: later launches may pass fewer */
void fake_cuda_record_args(size_t n) { record_nargs = n < FAKE_MAX_ARGS ? n : FAKE_MAX_ARGS; }

/* The launch log: the first FAKE_LOG launches since fake_cuda_log_reset. */
#define FAKE_LOG 256
typedef struct fake_launch {
  char name[128];
  unsigned grid[3], block[3];
  size_t nargs;
  unsigned char args[FAKE_MAX_ARGS][8];
} fake_launch;
static fake_launch launch_log[FAKE_LOG];
static size_t nlaunches;

/* f points at ".entry NAME(" in the module's PTX: the name, and the
 * .param's declared before the closing parenthesis (their count returned). */
static size_t log_launch(const char *f, const unsigned grid[3], const unsigned block[3], void **params) {
  fake_launch *l = &launch_log[nlaunches < FAKE_LOG ? nlaunches : FAKE_LOG - 1];
  nlaunches++;
  const char *name = f + strlen(".entry "), *open = strchr(name, '('), *close = open ? strchr(open, ')') : NULL;
  size_t len = open ? (size_t)(open - name) : 0;
  snprintf(l->name, sizeof l->name, "%.*s", (int)(len < sizeof l->name ? len : sizeof l->name - 1), name);
  memcpy(l->grid, grid, sizeof l->grid);
  memcpy(l->block, block, sizeof l->block);
  l->nargs = 0;
  for (const char *p = open; p && close && (p = strstr(p, ".param")) && p < close; p++)
    if (l->nargs < FAKE_MAX_ARGS) memcpy(l->args[l->nargs], params[l->nargs], 8), l->nargs++;
  return l->nargs;
}

int cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shm,
                   void *stream, void **params, void **extra) {
  (void)shm, (void)stream, (void)extra;
  log_event('L', 0, 0, nlaunches < FAKE_LOG ? nlaunches : FAKE_LOG - 1);
  size_t declared = log_launch(f, (unsigned[]){gx, gy, gz}, (unsigned[]){bx, by, bz}, params);
  last_grid[0] = gx, last_grid[1] = gy, last_grid[2] = gz;
  last_block[0] = bx, last_block[1] = by, last_block[2] = bz;
  (void)declared; /* the tests' hand-written entries may declare fewer than they pass */
  last_nargs = record_nargs;
  for (size_t i = 0; i < record_nargs; i++) memcpy(last_args[i], params[i], 8);
  return 0;
}

/* ---- read back by the tests (not driver entry points) ---- */
void fake_cuda_last_launch(unsigned grid[3], unsigned block[3], size_t *nargs, unsigned char (*args)[8]) {
  memcpy(grid, last_grid, sizeof last_grid);
  memcpy(block, last_block, sizeof last_block);
  *nargs = last_nargs;
  memcpy(args, last_args, last_nargs * 8);
}
size_t fake_cuda_launches(void) { return nlaunches; }
void fake_cuda_log_reset(void) { nlaunches = 0, nevents = 0, ncond_reads = 0; }
size_t fake_cuda_events(void) { return nevents; }
/* Event i (i < min(fake_cuda_events(), FAKE_EVENTS)): its kind, and for a
 * copy its destination, source and bytes; for a launch n is its index in
 * the launch log. */
void fake_cuda_event_at(size_t i, char *kind, uint64_t *dst, uint64_t *src, size_t *n) {
  const fake_event *e = &events[i < FAKE_EVENTS ? i : FAKE_EVENTS - 1];
  *kind = e->kind, *dst = e->dst, *src = e->src, *n = e->n;
}
/* Launch i of the log (i < min(fake_cuda_launches(), FAKE_LOG)); the
 * caller's args holds FAKE_MAX_ARGS. */
void fake_cuda_launch_at(size_t i, char name[128], unsigned grid[3], unsigned block[3], size_t *nargs,
                         unsigned char (*args)[8]) {
  const fake_launch *l = &launch_log[i < FAKE_LOG ? i : FAKE_LOG - 1];
  memcpy(name, l->name, sizeof l->name);
  memcpy(grid, l->grid, sizeof l->grid);
  memcpy(block, l->block, sizeof l->block);
  *nargs = l->nargs;
  memcpy(args, l->args, l->nargs * 8);
}
long fake_cuda_live(const char *what) {
  if (!strcmp(what, "h2d")) return h2d_bytes;
  if (!strcmp(what, "d2h")) return d2h_bytes;
  return !strcmp(what, "allocs") ? live_allocs : !strcmp(what, "modules") ? live_modules : !strcmp(what, "streams") ? live_streams : ctx_refs;
}
