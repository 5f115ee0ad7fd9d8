/* scan steps on a CUDA device (decision 0037). The loop is scan_exec.c's,
 * run over device memory through its sj_scan_mem hooks: the host drives
 * the steps, each step's body is the body plan's device kernels queued on
 * the function's stream, and everything the loop touches stays on the
 * device:
 *   - a sequence row is a device address offset into the sequence (no copy);
 *   - a state is read from the row of its [n+1, ...] result the previous
 *     step wrote, or from a device scratch buffer (a state kept `last`);
 *   - an output is written into its row of the result;
 *   - what the body does not write in place is a device-to-device copy;
 *   - `until`'s condition is the one transfer per step: the body writes it
 *     into a device byte, which is copied back (a copy to the host waits
 *     for the step's kernels: one synchronization per step);
 *   - a step count computed on the device (a barrier) is read back once.
 * A body plan gets device state of its own (buffers, gemm entries, the
 * scratch of its `last` states) and shares its function's device, stream,
 * module and kernel entries (the body's kernels are compiled with the
 * function's: function.c walks the scan bodies). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_exec.h"

#define MSG_CAP 2048

/* ---- the hooks ---- */

static uintptr_t dev_addr(sj_function *f, int s) { return (uintptr_t)f->gpu->dptr[s]; }

static void dev_bind(sj_function *c, int s, uintptr_t a) { c->gpu->dptr[s] = (sj_cu_ptr)a; }

static sj_status dev_copy(sj_function *f, const sj_op *op, uintptr_t dst, uintptr_t src, size_t n) {
  if (!n || dst == src) return SJ_OK;
  char msg[MSG_CAP];
  sj_status st = sj_cu_copy(f->gpu->dev, f->gpu->stream, (sj_cu_ptr)dst, (sj_cu_ptr)src, n, msg, sizeof msg);
  return st ? sj_api_gpu_fail(f, op, st, msg) : SJ_OK;
}

static sj_status dev_read(sj_function *f, const sj_op *op, void *dst, uintptr_t src, size_t n) {
  char msg[MSG_CAP];
  sj_status st = sj_cu_to_host(f->gpu->dev, f->gpu->stream, dst, (sj_cu_ptr)src, n, msg, sizeof msg);
  return st ? sj_api_gpu_fail(f, op, st, msg) : SJ_OK;
}

static sj_status dev_scratch(sj_function *f, const step *s, unsigned r, size_t n, uintptr_t *at) {
  sj_api_gpu *b = sj_api_scan_body(s)->gpu; /* kept by the body: one per scan step */
  sj_status st = sj_api_gpu_grow(f, s->op, &b->pong[r], &b->pongcap[r], n);
  *at = (uintptr_t)b->pong[r];
  return st;
}

static sj_status dev_cond(sj_function *f, const step *s, uintptr_t *at) {
  sj_api_gpu *b = sj_api_scan_body(s)->gpu;
  size_t cap = b->cond ? 8 : 0;
  sj_status st = sj_api_gpu_grow(f, s->op, &b->cond, &cap, 8);
  *at = (uintptr_t)b->cond;
  return st;
}

static sj_status dev_run_body(sj_function *c) { return sj_api_gpu_run_from(c, 0); }

static const sj_scan_mem dev_mem = {dev_addr,   dev_bind, dev_copy, dev_read, dev_scratch, dev_cond,
                                    sj_api_gpu_alloc_slot, sj_api_gpu_alloc_range, dev_run_body};

sj_status sj_api_gpu_scan(sj_function *f, step *s) {
  sj_function *c = sj_api_scan_body(s);
  sj_status st = sj_api_gpu_ensure(c);
  return st ? st : sj_api_run_scan_in(f, s, &dev_mem);
}

/* ---- compile time ---- */

static sj_status attach_one(sj_function *f, sj_function *c) {
  sj_api_gpu *g = f->gpu, *b = calloc(1, sizeof *b);
  if (b) {
    b->pong = calloc(c->nout + 1, sizeof *b->pong);
    b->pongcap = calloc(c->nout + 1, sizeof *b->pongcap);
  }
  c->gpu = b;
  if (!b || !b->pong || !b->pongcap) return sj_api_nomem(f->ctx, NULL, "out of memory compiling for %s", g->name);
  b->child = true;
  b->dev = g->dev, b->stream = g->stream, b->mod = g->mod;
  b->nk = g->nk, b->kinfo = g->kinfo, b->fn = g->fn, b->fn1 = g->fn1;
  memcpy(b->name, g->name, sizeof b->name);
  return sj_api_gpu_check_plan(c); /* its gemm entries, its own scans */
}

sj_status sj_api_gpu_scan_attach(sj_function *f) {
  for (int i = 0; i < f->nsteps; i++) {
    sj_function *c = sj_api_scan_body(&f->steps[i]);
    if (!c || c->gpu) continue;
    sj_status st = attach_one(f, c);
    if (st) return st;
  }
  return SJ_OK;
}
