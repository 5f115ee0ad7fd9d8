/* random_* steps on a CUDA device (decision 0037): the draw is made on the
 * host by the CPU's own fill (random_exec.c, the runtime's Philox) and
 * copied to the device, so a seed gives the same bits on every device and
 * on the CPU. Per step, on the function's stream:
 *   1. the stream state (16 bytes: key, counter) comes back to the host, and
 *      for random_categorical the weights (a copy to the host synchronizes
 *      the stream, so every kernel that wrote them has finished);
 *   2. the CPU fill writes the result into a host staging block the
 *      function keeps (split over the function's thread pool as on the CPU);
 *   3. the result is copied to its device buffer.
 * random_skip (the state's update) is the same 16-byte round trip: the new
 * state is written on the device, so a state that is a shared variable
 * stays device-resident (decision 0031) and its host copy stale. The next
 * random step's copy to the host synchronizes the stream first, so the
 * staging block is never overwritten while a copy from it is queued. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_exec.h"
#include "opinfo.h"

#define MSG_CAP 2048

/* Host block *p of at least n bytes (capacity *cap), kept between calls. */
static sj_status host_block(sj_function *f, const step *s, void **p, size_t *cap, size_t n) {
  if (*p && *cap >= n) return SJ_OK;
  free(*p);
  *p = malloc(n ? n : 1);
  *cap = *p ? n : 0;
  return *p ? SJ_OK : sj_api_nomem(f->ctx, s->op, "out of memory staging a random draw of %zu bytes", n);
}

sj_status sj_api_gpu_random(sj_function *f, const step *s) {
  sj_api_gpu *g = f->gpu;
  size_t out_bytes = sj_api_gpu_slot_bytes(f, s->out);
  if (!out_bytes) return SJ_OK; /* nothing to draw (an empty like, zero rows) */
  char msg[MSG_CAP];
  int64_t state[2];
  sj_status st = sj_cu_to_host(g->dev, g->stream, state, g->dptr[s->args[0]], sizeof state, msg, sizeof msg);
  if (st) return sj_api_gpu_fail(f, s->op, st, msg);
  int w = s->op->code == SJ_OP_RANDOM_CATEGORICAL ? s->args[1] : -1;
  size_t wbytes = w >= 0 ? sj_api_gpu_slot_bytes(f, w) : 0;
  if (wbytes) {
    if ((st = host_block(f, s, &g->rnd_in, &g->rnd_in_cap, wbytes))) return st;
    st = sj_cu_to_host(g->dev, g->stream, g->rnd_in, g->dptr[w], wbytes, msg, sizeof msg);
    if (st) return sj_api_gpu_fail(f, s->op, st, msg);
  }
  if ((st = host_block(f, s, &g->rnd_out, &g->rnd_out_cap, out_bytes))) return st;
  /* the CPU step reads f->data: point it at the host copies for the draw */
  void *saved_state = f->data[s->args[0]], *saved_out = f->data[s->out], *saved_w = w >= 0 ? f->data[w] : NULL;
  f->data[s->args[0]] = state, f->data[s->out] = g->rnd_out;
  if (w >= 0) f->data[w] = g->rnd_in;
  st = sj_api_random_run(f, s); /* a categorical row with nothing to draw: the CPU's error */
  f->data[s->args[0]] = saved_state, f->data[s->out] = saved_out;
  if (w >= 0) f->data[w] = saved_w;
  if (st) return st;
  st = sj_cu_to_device(g->dev, g->stream, g->dptr[s->out], g->rnd_out, out_bytes, msg, sizeof msg);
  return st ? sj_api_gpu_fail(f, s->op, st, msg) : SJ_OK;
}
