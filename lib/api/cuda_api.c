/* The `device` compile option and sj_device_check (cuda_exec.h): a CUDA
 * device is opened when the compile starts, before any pass runs, so a
 * machine without a driver fails at once with the reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_exec.h"

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

sj_status sj_api_gpu_open(sj_function *f, const char *device) {
  char msg[MSG_CAP];
  int ord;
  sj_status st = sj_cu_parse_device(device, &ord, msg, sizeof msg);
  if (!st && ord < 0) return SJ_OK;
  sj_api_gpu *g = st ? NULL : calloc(1, sizeof *g);
  if (!st && !g) return sj_api_nomem(f->ctx, NULL, "out of memory opening device '%s'", device);
  if (!st) {
    f->gpu = g;
    snprintf(g->name, sizeof g->name, "cuda:%d", ord);
    st = sj_cu_open(ord, &g->dev, msg, sizeof msg);
  }
  if (!st) st = sj_cu_stream_new(g->dev, &g->stream, msg, sizeof msg);
  if (!st) return SJ_OK;
  sj_loc none = {0};
  sj_emit_error(f->ctx, none, "device '%s': %s", device, msg);
  return st;
}

sj_status sj_api_gpu_compile(sj_function *f, sj_op *const *ks, size_t nk, int opt_level) {
  (void)ks, (void)opt_level;
  sj_api_gpu *g = f->gpu;
  g->nk = nk;
  /* The NVPTX code generator (lib/codegen, helper gpucg) produces the PTX
   * and the sj_gpu_kernel table this runtime launches; until it is part of
   * the build, a device compile stops here with the reason. */
  sj_loc none = {0};
  sj_emit_error(f->ctx, none,
                "device '%s': this build has no NVPTX code generator yet, so functions cannot be compiled for a "
                "CUDA device (docs/gpu.md)",
                g->name);
  return SJ_ERR_UNSUPPORTED;
}

void sj_api_gpu_free(sj_function *f) {
  sj_api_gpu *g = f->gpu;
  if (!g) return;
  for (int s = 0; g->own && s < f->nslots; s++) sj_cu_free(g->dev, g->own[s]);
  for (int b = 0; g->buf && b < f->nbufs; b++) sj_cu_free(g->dev, g->buf[b]);
  for (int s = 0; g->stage && s < f->nslots; s++) free(g->stage[s]);
  for (size_t k = 0; g->res && k < f->nslots_in + f->nupd; k++) sj_cu_resident_release(g->res[k]); /* host copies current */
  free(g->res), free(g->in_place);
  sj_cu_free(g->dev, g->scratch);
  sj_cu_module_free(g->dev, g->mod);
  sj_cu_stream_free(g->dev, g->stream);
  sj_cu_close(g->dev);
  free(g->kinfo), free(g->fn), free(g->fn1);
  free(g->dptr), free(g->stage), free(g->own), free(g->owncap), free(g->buf), free(g->bufcap);
  free(g);
  f->gpu = NULL;
}
