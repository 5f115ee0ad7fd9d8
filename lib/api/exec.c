/* Call phase 2 and the call entry points. Every buffer of the call is
 * allocated before the first kernel runs (an allocation that fails leaves no
 * half-run call behind); then the steps run in order: kernels through the
 * ABI of kernel_abi.h, gemm through BLAS. Intermediate buffers persist
 * across calls; results are fresh tensors or the caller's. */
#include <stdlib.h>
#include <string.h>

#include "cuda_exec.h"
#include "debug_internal.h"
#include "exec_internal.h"
#include "opinfo.h"
#include "support/checked.h"

/* ---- memory ---- */

static size_t slot_bytes(sj_function *f, int s) {
  int64_t n = 1;
  for (int k = 0; k < f->slots[s].type.rank; k++) n *= sj_api_dims(f, s)[k]; /* checked in phase 1 */
  return (size_t)n * sj_dtype_size(f->slots[s].type.dt);
}

static sj_status nomem_for(sj_function *f, const sj_op *op, int s, size_t bytes) {
  char sh[160];
  sj_api_shape_str(f, s, sh, sizeof sh);
  return sj_api_nomem(f->ctx, op, "out of memory allocating %zu bytes for %s (%s); nothing was run", bytes, f->slots[s].name, sh);
}

/* Shared buffer b grows to what its largest slot needs in this call. */
static sj_status grow_buffer(sj_function *f, int b) {
  size_t need = f->bufneed[b], cap;
  if (f->bufmem[b] && f->bufcap[b] >= need) return SJ_OK;
  free(f->bufmem[b]);
  f->bufmem[b] = NULL, f->bufcap[b] = 0;
  if (!sj_add_size(need, 63, &cap)) return nomem_for(f, NULL, f->bufslot[b], need);
  cap = cap / 64 * 64;
  f->bufmem[b] = aligned_alloc(64, cap ? cap : 64);
  if (!f->bufmem[b]) return nomem_for(f, NULL, f->bufslot[b], need);
  f->bufcap[b] = cap;
  return SJ_OK;
}

/* A result the caller gets: a fresh tensor, or the caller's (given). A
 * body's results are written where its scan says, never allocated. */
static sj_status alloc_fresh(sj_function *f, const sj_op *op, int r) {
  if (f->is_body) return SJ_OK;
  slot *o = &f->slots[r];
  f->fresh[r] = f->given[r] ? NULL : sj_tensor_new(o->type.dt, o->type.rank, sj_api_dims(f, r));
  if (!f->given[r] && !f->fresh[r]) return nomem_for(f, op, r, slot_bytes(f, r));
  f->data[r] = sj_tensor_data(f->given[r] ? f->given[r] : f->fresh[r]);
  return SJ_OK;
}

sj_status sj_api_alloc_slot(sj_function *f, const sj_op *op, int r) {
  if (f->slots[r].fresh_out) return alloc_fresh(f, op, r);
  int b = f->slots[r].buf;
  f->bufneed[b] = slot_bytes(f, r);
  f->bufslot[b] = r;
  sj_status st = grow_buffer(f, b);
  if (!st) f->data[r] = f->bufmem[b];
  return st;
}

/* Buffers never span a barrier (plan.c): those used in [lo, hi) are sized
 * by the slots of [lo, hi) alone. */
sj_status sj_api_alloc_range(sj_function *f, int lo, int hi) {
  for (int i = lo; i < hi; i++) {
    int first, n = sj_api_allocated_slots(&f->steps[i], &first);
    for (int r = first; r < first + n; r++)
      if (!f->slots[r].fresh_out) f->bufneed[f->slots[r].buf] = 0;
  }
  for (int i = lo; i < hi; i++) {
    const step *s = &f->steps[i];
    int first, n = sj_api_allocated_slots(s, &first);
    for (int r = first; r < first + n; r++) {
      slot *o = &f->slots[r];
      size_t bytes = slot_bytes(f, r);
      if (o->fresh_out) {
        sj_status st = alloc_fresh(f, s->op, r);
        if (st) return st;
      } else if (bytes >= f->bufneed[o->buf]) {
        f->bufneed[o->buf] = bytes;
        f->bufslot[o->buf] = r;
      }
    }
  }
  for (int i = lo; i < hi; i++) {
    int first, n = sj_api_allocated_slots(&f->steps[i], &first);
    for (int r = first; r < first + n; r++) {
      if (f->slots[r].fresh_out) continue;
      sj_status st = grow_buffer(f, f->slots[r].buf);
      if (st) return st;
      f->data[r] = f->bufmem[f->slots[r].buf];
    }
  }
  return SJ_OK;
}

/* ---- steps ---- */

/* A gemm's epilogue on rows [lo, hi) of its output: the launch's arguments
 * with the row-sliced ones (epi_rows) offset to row lo and given hi - lo
 * rows; runs serially on the calling pool thread (rt NULL). */
void sj_api_run_epilogue(void *env, int64_t lo, int64_t hi) {
  const sj_api_epi_env *e = env;
  const step *s = e->g->epi;
  sj_function *f = e->f;
  void *ptrs[SJ_KABI_STACK_PARAMS];
  int64_t dims[SJ_KABI_STACK_PARAMS * SJ_KABI_DIMS_PER_PARAM] = {0};
  for (unsigned i = 0; i < s->nargs; i++) { /* nargs <= 64: checked by p_gemm's caller (lower-to-loops' MAX_IO) */
    int a = s->args[i];
    const int64_t *d = sj_api_dims(f, a);
    int64_t *dd = &dims[sj_kabi_dim_slot(i, 0)];
    memcpy(dd, d, SJ_KABI_DIMS_PER_PARAM * sizeof *dd);
    ptrs[i] = f->data[a];
    if (!e->g->epi_rows[i]) continue;
    int64_t row = 1; /* elements per row: fits, the buffer exists */
    for (int k = 1; k < f->slots[a].type.rank; k++) row *= d[k];
    ptrs[i] = (char *)f->data[a] + (size_t)(lo * row) * sj_dtype_size(f->slots[a].type.dt);
    dd[0] = hi - lo;
  }
  s->fn(ptrs, dims, NULL);
}

static bool run_gemm(sj_function *f, const step *s) {
  int a = s->args[0], b = s->args[1], c = s->args[2];
  sj_dtype dt = f->slots[c].type.dt;
  bool ta = s->trans_a, tb = s->trans_b;
  const int64_t *da = sj_api_dims(f, a), *db = sj_api_dims(f, b);
  const void *z = s->has_z ? f->data[s->args[3]] : NULL;
  if (f->slots[a].type.rank == 2 && f->slots[b].type.rank == 2) {
    sj_api_epi_env env = {f, s};
    sj_rt_gemm_desc d = {.dt = dt, .a = f->data[a], .b = f->data[b], .c = f->data[c], .z = z, .trans_a = ta,
                         .trans_b = tb, .alpha = s->alpha, .beta = s->beta, .M = da[ta ? 1 : 0],
                         .N = db[tb ? 0 : 1], .K = da[ta ? 0 : 1], .epilogue = s->epi ? sj_api_run_epilogue : NULL,
                         .epilogue_env = &env};
    if (s->pack && dt == SJ_F32 && sj_rt_gemm_packed_pays(d.M, d.N, d.K)) /* decision 0039 */
      return sj_rt_gemm2d_packed(f->pool, &d, s->pack);
    return sj_rt_gemm2d_desc(f->pool, &d);
  }
  if (ta || tb) return false;
  sj_api_epi_env env = {f, s}; /* an epilogue of a batched gemm runs per row of c's dim 0 */
  return sj_rt_gemm_batched_epi(f->pool, dt, f->data[a], f->slots[a].type.rank, da, f->data[b], f->slots[b].type.rank,
                                db, f->data[c], f->slots[c].type.rank, sj_api_dims(f, c), s->alpha, s->beta, z,
                                s->epi ? sj_api_run_epilogue : NULL, &env);
}

/* A kernel's only effects are its stores: when every buffer it writes is
 * empty, running it would only walk an empty iteration space, which for
 * f32[2^40,?] with ? = 0 is 2^40 outer iterations doing nothing. */
bool sj_api_writes_nothing(sj_function *f, const step *s) {
  for (unsigned i = 0; i < s->nargs; i++) {
    if (!s->writes[i]) continue;
    const int64_t *d = sj_api_dims(f, s->args[i]);
    bool empty = false;
    for (int k = 0; k < f->slots[s->args[i]].type.rank; k++) empty |= d[k] == 0;
    if (!empty) return false;
  }
  return true;
}

/* Packs the launch's arguments as kernel_abi.h lays them out. */
static sj_status run_launch(sj_function *f, const step *s) {
  if (sj_api_writes_nothing(f, s)) return SJ_OK;
  void *ptrs[SJ_KABI_STACK_PARAMS] = {0};
  int64_t dims[SJ_KABI_STACK_PARAMS * SJ_KABI_DIMS_PER_PARAM] = {0};
  bool small = s->nargs <= SJ_KABI_STACK_PARAMS;
  void **pp = small ? ptrs : malloc(s->nargs * sizeof *pp);
  int64_t *dd = small ? dims : malloc(s->nargs * SJ_KABI_DIMS_PER_PARAM * sizeof *dd);
  if (!pp || !dd) {
    if (!small) free(pp), free(dd);
    return sj_api_nomem(f->ctx, s->op, "out of memory launching a kernel");
  }
  for (unsigned i = 0; i < s->nargs; i++) {
    pp[i] = f->data[s->args[i]];
    memcpy(&dd[sj_kabi_dim_slot(i, 0)], sj_api_dims(f, s->args[i]), SJ_KABI_DIMS_PER_PARAM * sizeof *dd);
  }
  s->fn(pp, dd, f->pool);
  if (!small) free(pp), free(dd);
  return SJ_OK;
}

/* Steps [lo, hi), whose shapes and buffers are ready. */
static sj_status run_range(sj_function *f, int lo, int hi) {
  sj_status st = SJ_OK;
  for (int i = lo; i < hi && !st; i++) {
    step *s = &f->steps[i];
    double ts = f->dbg_steps ? sj_dbg_now() : 0;
    switch (s->kind) {
    case ST_DIM:
    case ST_ICONST:
    case ST_SLICE_LEN:
    case ST_ALLOC: break;
    case ST_CONST: f->data[s->out] = sj_tensor_data(f->slots[s->out].konst); break;
    case ST_RESHAPE: f->data[s->out] = f->data[s->args[0]]; break;
    case ST_LAUNCH: st = run_launch(f, s); break;
    case ST_GEMM:
      if (!run_gemm(f, s)) st = sj_api_fail(f->ctx, s->op, "gemm failed (unsupported dtype or shapes)");
      break;
    case ST_SCAN: st = sj_api_run_scan(f, s); break;
    case ST_RANDOM: st = sj_api_random_run(f, s); break;
    case ST_CONV: st = sj_api_run_conv(f, s); break;
    }
    if (f->dbg_steps && !st) st = sj_dbg_after_step(f, i, ts);
  }
  return st;
}

/* A barrier (exec_internal.h) runs, sizing its own results; then the shapes
 * and buffers of what follows it, up to the next barrier. */
sj_status sj_api_run_segments(sj_function *f, int lo, sj_api_range_fn run, sj_api_range_fn alloc) {
  for (;;) {
    int b = f->shape_stop;
    sj_status st = run(f, lo, b);
    if (st || b >= f->nsteps) return st;
    st = run(f, b, b + 1);
    if (!st) st = sj_api_shapes_from(f, b + 1);
    if (!st) st = alloc(f, b + 1, f->shape_stop);
    if (st) return st;
    lo = b + 1;
  }
}

sj_status sj_api_run_from(sj_function *f, int lo) { return sj_api_run_segments(f, lo, run_range, sj_api_alloc_range); }

sj_status sj_api_run(sj_function *f) {
  if (f->gpu) return sj_api_gpu_run(f); /* cuda_exec.c */
  double t0 = f->dbg_steps ? sj_dbg_now() : 0; /* profile / NaN guard only */
  sj_status st = sj_api_alloc_range(f, 0, f->shape_stop);
  if (!st) st = sj_api_run_from(f, 0);
  if (f->dbg_steps && !st) sj_dbg_after_run(f, t0);
  return st;
}

/* ---- outputs ---- */

static void drop_fresh(sj_function *f) {
  for (int i = 0; i < f->nslots; i++) {
    sj_tensor_free(f->fresh[i]);
    f->fresh[i] = NULL;
    f->given[i] = NULL;
  }
}

/* Binds caller outputs to result slots once shapes are known (after phase 1). */
static sj_status bind_outputs(sj_function *f, sj_tensor *const *out) {
  for (size_t i = 0; i < f->nout; i++) {
    int s = f->outs[i];
    const slot *sl = &f->slots[s];
    if (sl->def_step >= f->shape_stop) continue; /* shaped after a barrier: checked in copy_into */
    bool ok = out[i] && sj_tensor_dtype(out[i]) == sl->type.dt && sj_tensor_rank(out[i]) == sl->type.rank;
    for (int k = 0; ok && k < sl->type.rank; k++) ok = sj_tensor_dims(out[i])[k] == sj_api_dims(f, s)[k];
    if (!ok) {
      char want[128];
      sj_api_shape_str(f, s, want, sizeof want);
      return sj_api_fail(f->ctx, NULL, "@%s: output %zu must be a %s tensor", sj_func_name(f->func), i, want);
    }
    bool twice = false;
    for (size_t k = 0; k < i; k++) twice |= f->outs[k] == s;
    if (sl->fresh_out && !twice) f->given[s] = out[i];
  }
  return SJ_OK;
}

/* Outputs that were not computed in place (inputs, constants, views,
 * duplicates) are copied into the caller's tensors. */
static sj_status copy_into(sj_function *f, sj_tensor *const *out) {
  for (size_t i = 0; i < f->nout; i++) {
    int s = f->outs[i];
    if (f->given[s] == out[i]) continue;
    const slot *sl = &f->slots[s];
    bool ok = sj_tensor_dtype(out[i]) == sl->type.dt && sj_tensor_rank(out[i]) == sl->type.rank;
    for (int k = 0; ok && k < sl->type.rank; k++) ok = sj_tensor_dims(out[i])[k] == sj_api_dims(f, s)[k];
    if (!ok) { /* only an output shaped by data gets here (bind_outputs) */
      char want[128];
      sj_api_shape_str(f, s, want, sizeof want);
      return sj_api_fail(f->ctx, NULL, "@%s: output %zu must be a %s tensor (its shape depends on the data)",
                         sj_func_name(f->func), i, want);
    }
    memcpy(sj_tensor_data(out[i]), f->data[s], sj_tensor_nbytes(out[i]));
  }
  return SJ_OK;
}

sj_status sj_function_call_into(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor *const *out,
                                size_t nout) {
  if (!f) return SJ_ERR_INVALID;
  if (f->bound) return sj_api_fail(f->ctx, NULL, "functions with shared variables are called with sj_function_call");
  sj_api_swap_tier2(f);
  if (nin && !in) return sj_api_fail(f->ctx, NULL, "inputs array is NULL");
  if (!out && nout) return sj_api_fail(f->ctx, NULL, "outputs array is NULL");
  if (nout != f->nout)
    return sj_api_fail(f->ctx, NULL, "@%s has %zu outputs, %zu given", sj_func_name(f->func), f->nout, nout);
  sj_status st = sj_api_check_inputs(f, in, nin);
  if (!st) st = sj_api_shapes(f);
  if (!st) st = bind_outputs(f, out);
  if (!st) st = sj_api_run(f);
  if (!st) st = copy_into(f, out);
  drop_fresh(f);
  return st;
}

/* Outputs: hand over freshly allocated results and tensors bound by
 * bind_spares; copy anything else (inputs, constants, views, a value
 * returned twice). */
static sj_status collect_outputs(sj_function *f, sj_tensor **out) {
  for (size_t i = 0; i < f->nout; i++) {
    int s = f->outs[i];
    if (f->fresh[s] || f->given[s]) {
      out[i] = f->fresh[s] ? f->fresh[s] : f->given[s];
      f->fresh[s] = NULL;
      continue;
    }
    out[i] = sj_tensor_from(f->slots[s].type.dt, f->slots[s].type.rank, sj_api_dims(f, s), f->data[s]);
    if (!out[i]) {
      for (size_t k = 0; k < i; k++)
        if (f->given[f->outs[k]] != out[k]) sj_tensor_free(out[k]);
      return sj_api_nomem(f->ctx, NULL, "out of memory copying output %zu", i);
    }
  }
  return SJ_OK;
}

sj_status sj_api_call(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor **out, size_t nout) {
  sj_api_swap_tier2(f);
  if (nin && !in) return sj_api_fail(f->ctx, NULL, "inputs array is NULL");
  if (!out && nout) return sj_api_fail(f->ctx, NULL, "outputs array is NULL");
  if (nout != f->nout)
    return sj_api_fail(f->ctx, NULL, "@%s has %zu outputs, %zu requested", sj_func_name(f->func), f->nout, nout);
  sj_status st = sj_api_check_inputs(f, in, nin);
  if (!st) st = sj_api_shapes(f);
  if (!st && f->bound) sj_api_bind_spares(f);
  if (!st) st = sj_api_run(f);
  if (!st) st = collect_outputs(f, out);
  drop_fresh(f);
  return st;
}

sj_status sj_function_call(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor **out, size_t nout) {
  if (!f) return SJ_ERR_INVALID;
  return f->bound ? sj_api_call_bound(f, in, nin, out, nout) : sj_api_call(f, in, nin, out, nout);
}
