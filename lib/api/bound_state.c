/* Graph functions (sj_compile of a graph with shared variables): callers pass
 * the user inputs; the shared variables' current values are appended, and
 * the update values replace them only after everything was computed from
 * the old ones (Theano semantics). The replaced tensor becomes the
 * variable's spare, which the next call writes the new value into (double
 * buffering: no allocation per call). */
#include <stdlib.h>
#include <string.h>

#include "cuda_resident.h"
#include "exec_internal.h"
#include "function_internal.h"

void sj_function_bind_state(sj_function *f, size_t nuser_in, sj_tensor **const *in_slots, size_t nslots,
                            size_t nuser_out, sj_tensor **const *upd_slots, size_t nupd) {
  f->bound = true;
  f->nuser_in = nuser_in, f->nuser_out = nuser_out, f->nslots_in = nslots, f->nupd = nupd;
  f->in_slots = calloc(nslots + 1, sizeof *f->in_slots);
  f->upd_slots = calloc(nupd + 1, sizeof *f->upd_slots);
  f->spare = calloc(nupd + 1, sizeof *f->spare);
  f->all_in = calloc(f->nin + 1, sizeof *f->all_in);
  f->all_out = calloc(f->nout + 1, sizeof *f->all_out);
  if (!f->in_slots || !f->upd_slots || !f->spare || !f->all_in || !f->all_out) return; /* calls report it */
  memcpy(f->in_slots, in_slots, nslots * sizeof *in_slots);
  memcpy(f->upd_slots, upd_slots, nupd * sizeof *upd_slots);
}

/* Update k's value is written into the spare tensor of its variable when the
 * function computes it into a buffer of its own (not an input or a view),
 * returns it once, and the shapes agree. */
void sj_api_bind_spares(sj_function *f) {
  for (size_t k = 0; k < f->nupd; k++) {
    size_t i = f->nuser_out + k;
    int s = f->outs[i];
    const sj_tensor *t = f->spare[k];
    bool ok = t && f->slots[s].fresh_out && f->slots[s].def_step < f->shape_stop && sj_tensor_dtype(t) == f->slots[s].type.dt &&
              sj_tensor_rank(t) == f->slots[s].type.rank;
    for (int d = 0; ok && d < f->slots[s].type.rank; d++) ok = sj_tensor_dims(t)[d] == sj_api_dims(f, s)[d];
    for (size_t j = 0; ok && j < f->nout; j++) ok = j == i || f->outs[j] != s;
    if (ok) f->given[s] = f->spare[k];
  }
}

sj_status sj_api_call_bound(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor **out, size_t nout) {
  if (!f->in_slots || !f->upd_slots || !f->spare || !f->all_in || !f->all_out)
    return sj_api_nomem(f->ctx, NULL, "out of memory binding the shared variables");
  if (nin != f->nuser_in) return sj_api_fail(f->ctx, NULL, "the function takes %zu inputs, got %zu", f->nuser_in, nin);
  if (nout != f->nuser_out)
    return sj_api_fail(f->ctx, NULL, "the function has %zu outputs, %zu requested", f->nuser_out, nout);
  if (nin && !in) return sj_api_fail(f->ctx, NULL, "inputs array is NULL");
  if (nout && !out) return sj_api_fail(f->ctx, NULL, "outputs array is NULL");
  for (size_t i = 0; i < nin; i++) f->all_in[i] = in[i];
  char why[1024]; /* a CPU call reads the host copies: current after a device update (decision 0031) */
  for (size_t i = 0; i < f->nslots_in && !f->gpu; i++)
    if (sj_cu_resident_sync_host(f->in_slots[i], why, sizeof why)) return sj_api_fail(f->ctx, NULL, "shared variable %zu: %s", i, why);
  for (size_t i = 0; i < f->nslots_in; i++) f->all_in[nin + i] = *f->in_slots[i];
  sj_status st = sj_api_call(f, f->all_in, f->nin, f->all_out, f->nout);
  if (st) return st;
  for (size_t i = 0; i < nout; i++) out[i] = f->all_out[i];
  for (size_t k = 0; k < f->nupd; k++) {
    sj_tensor *nv = f->all_out[nout + k];
    if (nv != f->spare[k]) sj_tensor_free(f->spare[k]);
    f->spare[k] = *f->upd_slots[k];
    *f->upd_slots[k] = nv;
    if (!f->gpu) sj_cu_resident_host_written(f->upd_slots[k]); /* device calls mark their own (cuda_exec.c) */
  }
  return SJ_OK;
}

void sj_api_free_bound(sj_function *f) {
  free(f->in_slots);
  free(f->upd_slots);
  for (size_t k = 0; f->spare && k < f->nupd; k++) sj_tensor_free(f->spare[k]);
  free(f->spare);
  free(f->all_in);
  free(f->all_out);
}
