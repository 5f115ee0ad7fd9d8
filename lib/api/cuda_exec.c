/* Call phase 2 on a CUDA device (cuda_exec.h). Shapes are known (phase 1
 * ran on the host); then, in order on the function's stream: device memory
 * for every slot (kept between calls, grown when a call needs more), the
 * inputs and constants copied in, the kernels launched per gpu_abi.h, the
 * results copied back into host tensors, one synchronization. Intermediates
 * never leave the device. A gemm is its GEMM entry (cuda_gemm.c), then its
 * epilogue once over the whole result. A scan is scan_exec.c's loop over
 * device memory (cuda_scan.c); a random draw is made on the host and copied
 * in (cuda_random.c). Barriers (data-dependent shapes) run as on the CPU:
 * shapes and device memory are made per segment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conv.h"
#include "cuda_exec.h"

#define MSG_CAP 2048

size_t sj_api_gpu_slot_bytes(sj_function *f, int s) {
  int64_t n = 1;
  for (int k = 0; k < f->slots[s].type.rank; k++) n *= sj_api_dims(f, s)[k]; /* checked in phase 1 */
  return (size_t)n * sj_dtype_size(f->slots[s].type.dt);
}

sj_status sj_api_gpu_fail(sj_function *f, const sj_op *op, sj_status st, const char *msg) {
  sj_loc none = {0};
  sj_emit_error(f->ctx, op ? op->loc : none, "%s: %s", f->gpu->name, msg);
  return st;
}

sj_status sj_api_gpu_grow(sj_function *f, const sj_op *op, sj_cu_ptr *p, size_t *cap, size_t need) {
  if (*p && *cap >= need) return SJ_OK;
  sj_cu_free(f->gpu->dev, *p);
  *p = 0, *cap = 0;
  char msg[MSG_CAP];
  sj_status st = sj_cu_alloc(f->gpu->dev, need ? need : 1, p, msg, sizeof msg);
  if (st) return sj_api_gpu_fail(f, op, st, msg);
  *cap = need ? need : 1;
  return SJ_OK;
}

sj_status sj_api_gpu_ensure(sj_function *f) {
  sj_api_gpu *g = f->gpu;
  if (g->dptr) return SJ_OK;
  size_t ns = (size_t)f->nslots + 1, nb = (size_t)f->nbufs + 1;
  g->dptr = calloc(ns, sizeof *g->dptr);
  g->own = calloc(ns, sizeof *g->own);
  g->owncap = calloc(ns, sizeof *g->owncap);
  g->buf = calloc(nb, sizeof *g->buf);
  g->bufcap = calloc(nb, sizeof *g->bufcap);
  g->stage = calloc(ns, sizeof *g->stage);
  if (g->dptr && g->own && g->owncap && g->buf && g->bufcap && g->stage) return SJ_OK;
  free(g->dptr), free(g->own), free(g->owncap), free(g->buf), free(g->bufcap), free(g->stage);
  g->dptr = g->own = g->buf = NULL, g->owncap = g->bufcap = NULL, g->stage = NULL;
  return sj_api_nomem(f->ctx, NULL, "out of memory for the device state of @%s", sj_func_name(f->func));
}

/* Graph functions: the records of the shared variables they read and
 * update, acquired once (sj_function_bind_state comes after the compile). */
static sj_status acquire_resident(sj_function *f) {
  sj_api_gpu *g = f->gpu;
  if (!f->bound || g->res) return SJ_OK;
  size_t n = f->nslots_in + f->nupd;
  g->res = calloc(n + 1, sizeof *g->res);
  g->in_place = calloc(f->nupd + 1, sizeof *g->in_place);
  if (!g->res || !g->in_place) {
    free(g->res), free(g->in_place);
    g->res = NULL, g->in_place = NULL;
    return sj_api_nomem(f->ctx, NULL, "out of memory binding shared variables to %s", g->name);
  }
  char msg[MSG_CAP];
  for (size_t k = 0; k < n; k++) {
    sj_tensor **slot = k < f->nslots_in ? f->in_slots[k] : f->upd_slots[k - f->nslots_in];
    sj_status st = sj_cu_resident_acquire(slot, g->dev, &g->res[k], msg, sizeof msg);
    if (st) return sj_api_gpu_fail(f, NULL, st, msg); /* the ones acquired are released by sj_api_gpu_free */
  }
  return SJ_OK;
}

/* Update k can be written straight into its variable's spare device buffer
 * when its result is a buffer of its own that nothing else returns (as
 * bind_spares decides for the host). */
static bool update_in_place(sj_function *f, size_t k) {
  size_t i = f->nuser_out + k;
  int s = f->outs[i];
  if (!f->slots[s].fresh_out || f->slots[s].def_step < 0 || f->slots[s].def_step >= f->shape_stop) return false;
  for (size_t j = 0; j < f->nout; j++)
    if (j != i && f->outs[j] == s) return false;
  return true;
}

/* Slot s gets memory of its own and, when `from` is set, that host data. */
static sj_status own_slot(sj_function *f, int s, const void *from) {
  sj_api_gpu *g = f->gpu;
  size_t n = sj_api_gpu_slot_bytes(f, s);
  sj_status st = sj_api_gpu_grow(f, NULL, &g->own[s], &g->owncap[s], n);
  g->dptr[s] = g->own[s];
  if (st || !from) return st;
  char msg[MSG_CAP];
  st = sj_cu_to_device(g->dev, g->stream, g->dptr[s], from, n, msg, sizeof msg);
  return st ? sj_api_gpu_fail(f, NULL, st, msg) : SJ_OK;
}

/* The update written in place into slot s this call, or -1. */
static int in_place_update(const sj_function *f, int s) {
  for (size_t k = 0; f->bound && k < f->nupd; k++)
    if (f->gpu->in_place[k] && f->outs[f->nuser_out + k] == s) return (int)k;
  return -1;
}

/* A result the caller gets: its own memory (or, for an update in place,
 * its variable's spare) and a host tensor to copy it into. A body's
 * results are placed by its scan. */
static sj_status alloc_fresh(sj_function *f, const sj_op *op, int r) {
  sj_api_gpu *g = f->gpu;
  if (f->is_body) return SJ_OK;
  sj_status st = sj_api_alloc_slot(f, op, r); /* the host tensor the result comes back to */
  int k = in_place_update(f, r);
  if (!st && k < 0) st = own_slot(f, r, NULL);
  if (!st && k >= 0) { /* an update in place: the variable's spare */
    char msg[MSG_CAP];
    st = sj_cu_resident_spare(g->res[f->nslots_in + (size_t)k], g->dev, &g->dptr[r], msg, sizeof msg);
    if (st) st = sj_api_gpu_fail(f, op, st, msg);
  }
  return st;
}

sj_status sj_api_gpu_alloc_slot(sj_function *f, const sj_op *op, int r) {
  sj_api_gpu *g = f->gpu;
  if (f->slots[r].fresh_out) return alloc_fresh(f, op, r);
  int b = f->slots[r].buf; /* a barrier's results have buffers of their own (plan.c) */
  sj_status st = sj_api_gpu_grow(f, NULL, &g->buf[b], &g->bufcap[b], sj_api_gpu_slot_bytes(f, r));
  if (!st) g->dptr[r] = g->buf[b];
  return st;
}

/* The results of the allocating steps in [lo, hi): fresh ones as above,
 * others in the shared buffer their plan gave them, sized for the largest
 * slot using it (buffers never span a barrier, so [lo, hi) decides). */
sj_status sj_api_gpu_alloc_range(sj_function *f, int lo, int hi) {
  sj_api_gpu *g = f->gpu;
  sj_status st = sj_api_gpu_ensure(f);
  size_t *need = st ? NULL : calloc((size_t)f->nbufs + 1, sizeof *need);
  if (!st && !need) return sj_api_nomem(f->ctx, NULL, "out of memory sizing the device buffers");
  bool *used = st ? NULL : calloc((size_t)f->nbufs + 1, sizeof *used);
  if (!st && !used) st = sj_api_nomem(f->ctx, NULL, "out of memory sizing the device buffers");
  for (int i = lo; i < hi && !st; i++) {
    const step *s = &f->steps[i];
    int first, n = sj_api_allocated_slots(s, &first);
    for (int r = first; r < first + n && !st; r++) {
      int buf = f->slots[r].buf;
      if (f->slots[r].fresh_out) {
        st = alloc_fresh(f, s->op, r);
      } else {
        used[buf] = true;
        if (sj_api_gpu_slot_bytes(f, r) > need[buf]) need[buf] = sj_api_gpu_slot_bytes(f, r);
      }
    }
  }
  for (int b = 0; b < f->nbufs && !st; b++)
    if (used[b]) st = sj_api_gpu_grow(f, NULL, &g->buf[b], &g->bufcap[b], need[b]);
  for (int i = lo; i < hi && !st; i++) {
    int first, n = sj_api_allocated_slots(&f->steps[i], &first);
    for (int r = first; r < first + n; r++)
      if (!f->slots[r].fresh_out) g->dptr[r] = g->buf[f->slots[r].buf];
  }
  free(need), free(used);
  return st;
}

static sj_status launch(sj_function *f, const step *s) {
  sj_api_gpu *g = f->gpu;
  if (sj_api_writes_nothing(f, s)) return SJ_OK;
  const sj_gpu_kernel *k = &g->kinfo[s->kidx];
  if (k->nparams != s->nargs) return sj_api_gpu_fail(f, s->op, SJ_ERR_INVALID, "the kernel's parameters do not match its launch");
  sj_cu_ptr ptrs[SJ_GPU_MAX_PARAMS];
  const int64_t *dims[SJ_GPU_MAX_PARAMS];
  for (unsigned i = 0; i < s->nargs; i++) {
    ptrs[i] = g->dptr[s->args[i]];
    dims[i] = sj_api_dims(f, s->args[i]);
  }
  sj_status st = SJ_OK;
  if (k->kind == SJ_GPU_TWO_STAGE) st = sj_api_gpu_grow(f, NULL, &g->scratch, &g->scratch_cap, (size_t)k->max_parts * k->part_bytes);
  char msg[MSG_CAP];
  if (!st) st = sj_api_gpu_launch(g->dev, g->stream, k, g->fn[s->kidx], g->fn1[s->kidx], ptrs, dims, g->scratch, msg, sizeof msg);
  return st ? sj_api_gpu_fail(f, s->op, st, msg) : SJ_OK;
}

static sj_status run_range(sj_function *f, int lo, int hi) {
  sj_api_gpu *g = f->gpu;
  sj_status st = SJ_OK;
  for (int i = lo; i < hi && !st; i++) {
    step *s = &f->steps[i];
    switch (s->kind) {
    case ST_DIM:
    case ST_ICONST:
    case ST_SLICE_LEN:
    case ST_ALLOC: break;
    case ST_CONST: /* static shape and value: uploaded at the first call only */
      f->data[s->out] = sj_tensor_data(f->slots[s->out].konst);
      if (g->own[s->out]) {
        g->dptr[s->out] = g->own[s->out];
        break;
      }
      if ((st = own_slot(f, s->out, f->data[s->out]))) { /* not half there at the next call */
        sj_cu_free(g->dev, g->own[s->out]);
        g->own[s->out] = g->dptr[s->out] = 0, g->owncap[s->out] = 0;
      }
      break;
    case ST_RESHAPE:
      f->data[s->out] = f->data[s->args[0]];
      g->dptr[s->out] = g->dptr[s->args[0]];
      break;
    case ST_LAUNCH: st = launch(f, s); break;
    case ST_GEMM:
      st = sj_api_gpu_gemm(f, i);
      if (!st && s->epi && !sj_api_gpu_gemm_fused(f, i)) st = launch(f, s->epi); /* else in the GEMM entry */
      break;
    case ST_SCAN: st = sj_api_gpu_scan(f, s); break;
    case ST_RANDOM: st = sj_api_gpu_random(f, s); break;
    case ST_CONV: /* the GPU pipeline makes none (decision 0041); a hand-written one is refused */
      st = sj_api_fail(f->ctx, s->op, "%s", SJ_CONV_GEMM_HOST_ONLY);
      break;
    }
  }
  return st;
}

/* As sj_api_run_from: a barrier sizes its own results when it runs; then
 * the shapes and device memory of what follows it, to the next barrier. */
sj_status sj_api_gpu_run_from(sj_function *f, int lo) {
  return sj_api_run_segments(f, lo, run_range, sj_api_gpu_alloc_range);
}

/* True when slot s's value is on the host already: a caller's input, a
 * constant, or a view of one (a shared variable's host copy may be stale). */
static bool host_has(const sj_function *f, int s) {
  int r = f->slots[s].root >= 0 ? f->slots[s].root : s;
  int d = f->slots[r].def_step;
  if (d < 0) return !f->bound || (size_t)r < f->nuser_in;
  return f->steps[d].kind == ST_CONST;
}

/* Results back to the host: into the fresh or given tensor of each
 * computed result; another output computed on the device (a view of an
 * intermediate) into a host staging block that collect_outputs copies. */
static sj_status copy_back(sj_function *f) {
  sj_api_gpu *g = f->gpu;
  char msg[MSG_CAP];
  for (size_t i = 0; i < f->nout; i++) {
    int s = f->outs[i];
    if (f->bound && i >= f->nuser_out && g->in_place[i - f->nuser_out]) continue; /* stays on the device */
    void *host = f->fresh[s] ? sj_tensor_data(f->fresh[s]) : f->given[s] ? sj_tensor_data(f->given[s]) : NULL;
    if (!host && host_has(f, s)) continue;
    if (!host) {
      free(g->stage[s]);
      g->stage[s] = f->data[s] = host = malloc(sj_api_gpu_slot_bytes(f, s) ? sj_api_gpu_slot_bytes(f, s) : 1);
      if (!host) return sj_api_nomem(f->ctx, NULL, "out of memory copying output %zu from the device", i);
    }
    sj_status st = sj_cu_to_host(g->dev, g->stream, host, g->dptr[s], sj_api_gpu_slot_bytes(f, s), msg, sizeof msg);
    if (st) return sj_api_gpu_fail(f, NULL, st, msg);
  }
  return SJ_OK;
}

/* The inputs: the caller's copied in; a shared variable's device copy
 * (uploaded only when the host one changed since). */
static sj_status bind_inputs(sj_function *f) {
  sj_api_gpu *g = f->gpu;
  char msg[MSG_CAP];
  for (size_t i = 0; i < f->nin; i++) {
    if (!f->bound || i < f->nuser_in) {
      sj_status st = own_slot(f, (int)i, f->data[i]);
      if (st) return st;
      continue;
    }
    sj_status st = sj_cu_resident_value(g->res[i - f->nuser_in], g->dev, g->stream, &g->dptr[i], msg, sizeof msg);
    if (st) return sj_api_gpu_fail(f, NULL, st, msg);
  }
  return SJ_OK;
}

/* After a successful call: an update written in place becomes its
 * variable's value (host copy stale); one copied back (bound_state.c swaps
 * it in) leaves the device copy stale. */
static void settle_updates(sj_function *f) {
  sj_api_gpu *g = f->gpu;
  for (size_t k = 0; f->bound && k < f->nupd; k++) {
    if (g->in_place[k]) sj_cu_resident_commit(g->res[f->nslots_in + k]);
    else sj_cu_resident_host_written(f->upd_slots[k]);
  }
}

sj_status sj_api_gpu_run(sj_function *f) {
  sj_status st = sj_api_gpu_ensure(f);
  if (!st) st = acquire_resident(f);
  for (size_t k = 0; !st && f->bound && k < f->nupd; k++) f->gpu->in_place[k] = update_in_place(f, k);
  if (!st) st = bind_inputs(f);
  if (!st) st = sj_api_gpu_alloc_range(f, 0, f->shape_stop);
  if (!st) st = sj_api_gpu_run_from(f, 0);
  if (!st) st = copy_back(f);
  char msg[MSG_CAP];
  sj_status sst = sj_cu_sync(f->gpu->dev, f->gpu->stream, msg, sizeof msg); /* always: nothing stays queued */
  if (!st && sst) st = sj_api_gpu_fail(f, NULL, sst, msg);
  if (!st) settle_updates(f);
  return st;
}
