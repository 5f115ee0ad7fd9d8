/* One symjit kernel launched on a CUDA device as lib/codegen/gpu_abi.h lays
 * it out: the grid from the launch kind and the trip count, and the
 * parameters {&ptr0, .., &dim0, .., [&scratch, &nparts]} by value. */
#include <stdio.h>

#include "cuda_exec.h"

/* GRID_STRIDE: enough blocks to fill every SM several times over; more
 * only adds scheduling (each thread then strides over more elements). */
#define BLOCKS_PER_SM 32
/* BLOCK_PER_ROW: the largest grid the ABI names (rows beyond it are taken
 * by block b at b + gridDim, ...). */
#define MAX_ROW_BLOCKS 65535

/* The mapped loop's iterations; -1 when unknown at compile time. */
static int64_t trips_of(const sj_gpu_kernel *k, const int64_t *const *dims) {
  if (k->trip_scale < 0) return -1;
  if (k->trip_param < 0) return k->trip_scale;
  int64_t n = dims[k->trip_param][k->trip_axis];
  if (n > 0 && k->trip_scale > INT64_MAX / n) return INT64_MAX;
  return k->trip_scale * n;
}

static unsigned clamp_grid(int64_t want, int64_t most) {
  if (want < 1) return 1;
  return (unsigned)(want < most ? want : most);
}

unsigned sj_api_gpu_grid(const sj_gpu_kernel *k, const int64_t *const *dims, const sj_cu_props *p) {
  int64_t trips = trips_of(k, dims), block = k->block ? k->block : 1;
  int64_t blocks = trips < 0 ? INT64_MAX : trips / block + (trips % block != 0);
  int64_t max_x = p && p->max_grid_x > 0 ? p->max_grid_x : MAX_ROW_BLOCKS;
  switch (k->kind) {
  case SJ_GPU_GRID_STRIDE: return clamp_grid(blocks, (int64_t)BLOCKS_PER_SM * (p && p->sms > 0 ? p->sms : 1));
  case SJ_GPU_BLOCK_PER_ROW: return clamp_grid(trips < 0 ? INT64_MAX : trips, MAX_ROW_BLOCKS < max_x ? MAX_ROW_BLOCKS : max_x);
  case SJ_GPU_TWO_STAGE: return clamp_grid(blocks, k->max_parts ? k->max_parts : 1);
  case SJ_GPU_ONE_BLOCK: break;
  }
  return 1;
}

sj_status sj_api_gpu_launch(sj_cu_dev *d, sj_cu_stream *s, const sj_gpu_kernel *k, sj_cu_fn *fn, sj_cu_fn *fn1,
                            const sj_cu_ptr *ptrs, const int64_t *const *dims, sj_cu_ptr scratch, char *err,
                            size_t cap) {
  if (k->nparams > SJ_GPU_MAX_PARAMS || k->ndims > SJ_GPU_MAX_PARAMS * SJ_MAX_RANK) {
    if (err && cap) snprintf(err, cap, "kernel %s has %u parameters, more than the %d the ABI allows", k->name, k->nparams, SJ_GPU_MAX_PARAMS);
    return SJ_ERR_INVALID;
  }
  sj_cu_ptr pv[SJ_GPU_MAX_PARAMS];
  int64_t dv[SJ_GPU_MAX_PARAMS * SJ_MAX_RANK];
  void *args[SJ_GPU_MAX_PARAMS * (SJ_MAX_RANK + 1) + 2];
  unsigned na = 0, nd = 0;
  for (unsigned i = 0; i < k->nparams; i++) {
    pv[i] = ptrs[i];
    args[na++] = &pv[i];
  }
  for (unsigned i = 0; i < k->nparams; i++)
    for (unsigned a = 0; a < k->rank[i] && nd < k->ndims; a++) {
      dv[nd] = dims[i][a];
      args[na++] = &dv[nd++];
    }
  unsigned grid = sj_api_gpu_grid(k, dims, sj_cu_props_of(d));
  int64_t nparts = grid;
  if (k->kind == SJ_GPU_TWO_STAGE) {
    args[na++] = &scratch;
    args[na++] = &nparts;
  }
  sj_cu_launch_dims ld = {{grid, 1, 1}, {k->block, 1, 1}, 0};
  if (k->kind != SJ_GPU_TWO_STAGE) return sj_cu_launch(d, s, fn, &ld, args, err, cap);
  sj_status st = sj_cu_launch(d, s, fn1, &ld, args, err, cap); /* stage 1: nparts partial results */
  ld.grid[0] = 1;
  return st ? st : sj_cu_launch(d, s, fn, &ld, args, err, cap);
}
