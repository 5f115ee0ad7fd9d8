/* The `device` compile option and sj_device_check (cuda_exec.h): a CUDA
 * device is opened when the compile starts, before any pass runs, so a
 * machine without a driver fails at once with the reason. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "cache_policy.h"
#include "codegen.h"
#include "cuda_exec.h"
#include "opinfo.h"

#define MSG_CAP 2048

sj_status sj_device_check(const char *device, char *buf, size_t cap) {
  if (!buf) cap = 0;
  int ord;
  sj_status st = sj_cu_parse_device(device, &ord, buf, cap);
  if (st) return st;
  if (ord < 0) {
    if (cap) snprintf(buf, cap, "cpu");
    return SJ_OK;
  }
  sj_cu_dev *d;
  if ((st = sj_cu_open(ord, &d, buf, cap))) return st;
  const sj_cu_props *p = sj_cu_props_of(d);
  if (cap)
    snprintf(buf, cap, "cuda:%d: %s, sm_%d%d, %d SMs, %.1f GiB, driver %d.%d", ord, p->name, p->cc_major, p->cc_minor,
             p->sms, (double)p->total_mem / (1u << 30), p->driver_version / 1000, p->driver_version % 1000 / 10);
  sj_cu_close(d);
  return SJ_OK;
}

sj_status sj_api_gpu_open(sj_function *f, const sj_compile_options *o) {
  const char *device = o->device;
  char msg[MSG_CAP];
  int ord;
  sj_status st = sj_cu_parse_device(device, &ord, msg, sizeof msg);
  if (!st && ord < 0) return SJ_OK;
  if (!st && (o->nan_guard || o->profile)) /* their per-step hooks read host memory */
    st = SJ_ERR_UNSUPPORTED, snprintf(msg, sizeof msg, "nan_guard and profile run on the CPU only (for now)");
  sj_api_gpu *g = st ? NULL : calloc(1, sizeof *g);
  if (!st && !g) return sj_api_nomem(f->ctx, NULL, "out of memory opening device '%s'", device);
  if (!st) {
    f->gpu = g;
    snprintf(g->name, sizeof g->name, "cuda:%d", ord);
    char dir[4096];
    sj_cg_cache cache;
    if (sj_api_cache_config(o, dir, sizeof dir, &cache)) /* the PTX is cached (sj_api_gpu_compile) */
      g->cache_dir = strdup(dir), g->cache_max = cache.max_bytes; /* NULL (no memory): uncached */
    g->native_half = o->gpu_native_f16 != 0;
    st = sj_cu_open(ord, &g->dev, msg, sizeof msg);
  }
  if (!st) st = sj_cu_stream_new(g->dev, &g->stream, msg, sizeof msg);
  if (!st) return SJ_OK;
  sj_loc none = {0};
  sj_emit_error(f->ctx, none, "device '%s': %s", device, msg);
  return st;
}

/* Every step has a device form: scan (cuda_scan.c) and random_*
 * (cuda_random.c) included; the bodies get their device state here. */
sj_status sj_api_gpu_check_plan(sj_function *f) {
  sj_status st = sj_api_gpu_gemm_load(f);
  return st ? st : sj_api_gpu_scan_attach(f);
}

/* The PTX target for the device: its own sm_XY, at most sm_90 (the newest
 * LLVM 19 knows; the driver JIT-compiles sm_90 PTX for later GPUs). */
void sj_api_gpu_arch(const sj_cu_props *p, char *buf, size_t cap) {
  int cc = p->cc_major * 10 + p->cc_minor;
  snprintf(buf, cap, "sm_%d", cc > 90 ? 90 : cc);
}

static sj_status load_kernels(sj_function *f, const char *ptx) {
  sj_api_gpu *g = f->gpu;
  char msg[MSG_CAP];
  sj_status st = sj_cu_module_load(g->dev, ptx, &g->mod, msg, sizeof msg);
  for (size_t i = 0; i < g->nk && !st; i++) {
    const sj_gpu_kernel *k = &g->kinfo[i];
    st = sj_cu_function(g->dev, g->mod, k->name, &g->fn[i], msg, sizeof msg);
    if (!st && k->kind == SJ_GPU_TWO_STAGE) st = sj_cu_function(g->dev, g->mod, k->stage1, &g->fn1[i], msg, sizeof msg);
    int most = st ? 0 : sj_cu_fn_max_threads(g->dev, g->fn[i]);
    if (!st && (unsigned)most < k->block) {
      snprintf(msg, sizeof msg, "kernel %s needs %u threads per block, the device allows it %d (registers)", k->name,
               k->block, most);
      st = SJ_ERR_UNSUPPORTED;
    }
  }
  if (!st) return SJ_OK;
  sj_loc none = {0};
  sj_emit_error(f->ctx, none, "device '%s': %s", g->name, msg);
  return st;
}

/* The compile cache (decision 0037): an entry holds the PTX text (with its
 * NUL) and the kernels' launch descriptions (gpu_abi.h; the key names
 * symjit's build, so the layout cannot change under it), keyed by the
 * kernels, the architecture and the options. A hit skips the NVPTX
 * compile; the driver still JIT-compiles the PTX (it keeps its own cache
 * of that, ~/.nv/ComputeCache). */
static bool cache_get(sj_api_gpu *g, const unsigned char *key, sj_op *const *ks, size_t nk, char **ptx) {
  sj_cache_objs objs = {0};
  if (!sj_cache_load(g->cache_dir, key, &objs)) return false;
  bool ok = objs.n == 2 && objs.len[0] > 0 && objs.data[0][objs.len[0] - 1] == 0 &&
            objs.len[1] == nk * sizeof *g->kinfo;
  if (ok) *ptx = malloc(objs.len[0]);
  if (ok && *ptx) {
    memcpy(*ptx, objs.data[0], objs.len[0]);
    memcpy(g->kinfo, objs.data[1], objs.len[1]);
    for (size_t i = 0; i < nk; i++) g->kinfo[i].op = ks[i]; /* a pointer of the process that stored it */
  }
  sj_cache_objs_free(&objs);
  return ok && *ptx;
}

static void cache_put(sj_api_gpu *g, const unsigned char *key, const char *ptx, size_t nk) {
  unsigned char *data[2] = {(unsigned char *)ptx, (unsigned char *)g->kinfo};
  size_t len[2] = {strlen(ptx) + 1, nk * sizeof *g->kinfo};
  sj_cache_objs objs = {2, data, len};
  sj_cache_store(g->cache_dir, g->cache_max, key, &objs);
}

sj_status sj_api_gpu_compile(sj_function *f, sj_op *const *ks, size_t nk, int opt_level) {
  sj_api_gpu *g = f->gpu;
  sj_status st;
  g->nk = nk;
  g->kinfo = calloc(nk + 1, sizeof *g->kinfo);
  g->fn = calloc(nk + 1, sizeof *g->fn);
  g->fn1 = calloc(nk + 1, sizeof *g->fn1);
  if (!g->kinfo || !g->fn || !g->fn1) return sj_api_nomem(f->ctx, NULL, "out of memory compiling for %s", g->name);
  if (!nk) return SJ_OK;
  char arch[16];
  sj_api_gpu_arch(sj_cu_props_of(g->dev), arch, sizeof arch);
  sj_gpu_options go = {.arch = arch, .opt_level = opt_level < 1 ? 1 : opt_level, .native_half = g->native_half};
  char *ptx = NULL;
  unsigned char key[SJ_CACHE_KEY_BYTES];
  bool keyed = g->cache_dir && sj_cache_key_gpu(ks, nk, &go, key);
  g->from_cache = keyed && cache_get(g, key, ks, nk, &ptx);
  st = g->from_cache ? SJ_OK : sj_gpu_compile(f->mod, ks, nk, &go, &ptx, NULL, g->kinfo); /* errors: in the context */
  if (!st && keyed && !g->from_cache) cache_put(g, key, ptx, nk);
  if (!st) st = load_kernels(f, ptx);
  free(ptx);
  return st;
}

void sj_api_gpu_free(sj_function *f) {
  sj_api_gpu *g = f->gpu;
  if (!g) return;
  for (int i = 0; f->steps && i < f->nsteps; i++) { /* scan bodies first: they use g's device */
    sj_function *c = sj_api_scan_body(&f->steps[i]);
    if (c) sj_api_gpu_free(c);
  }
  for (int s = 0; g->own && s < f->nslots; s++) sj_cu_free(g->dev, g->own[s]);
  for (int b = 0; g->buf && b < f->nbufs; b++) sj_cu_free(g->dev, g->buf[b]);
  for (int s = 0; g->stage && s < f->nslots; s++) free(g->stage[s]);
  for (size_t k = 0; g->res && k < f->nslots_in + f->nupd; k++) sj_cu_resident_release(g->res[k]); /* host copies current */
  free(g->res), free(g->in_place);
  sj_cu_free(g->dev, g->scratch);
  sj_cu_free(g->dev, g->cond);
  for (size_t r = 0; g->pong && r <= f->nout; r++) sj_cu_free(g->dev, g->pong[r]);
  free(g->pong), free(g->pongcap), free(g->rnd_in), free(g->rnd_out), free(g->cache_dir);
  sj_api_gpu_gemm_free(f);
  if (!g->child) { /* a body borrows these from its function */
    sj_cu_module_free(g->dev, g->mod);
    sj_cu_stream_free(g->dev, g->stream);
    sj_cu_close(g->dev);
    free(g->kinfo), free(g->fn), free(g->fn1);
  }
  free(g->dptr), free(g->stage), free(g->own), free(g->owncap), free(g->buf), free(g->bufcap);
  free(g);
  f->gpu = NULL;
}
