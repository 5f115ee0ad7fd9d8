/* The GPU kernel ABI: what lib/codegen/nvptx*.c generates and what the CUDA
 * runtime (lib/runtime/cuda*.c) launches. docs/gpu.md, "Kernel ABI", is the
 * prose version; this header is the contract, so both sides read only it.
 *
 * One symjit `kernel` becomes one PTX entry (two for TWO_STAGE), named
 * sj_gpu_kernel.name (and .stage1): "sjk_<name>" when the name has only
 * [A-Za-z0-9_] and at most SJ_KABI_NAME_MAX characters, else a PTX-valid
 * form with a hash; always read the name from here, never recompute it.
 *
 * Parameters of every entry, in this order (all by value, .param space):
 *   1. one `ptr addrspace(1)` per kernel parameter i = 0..nparams-1: the
 *      device address of that tensor's data (row-major, contiguous);
 *   2. one i64 per dim of every kernel parameter, parameter 0's axes 0..
 *      rank[0]-1 first, then parameter 1's, ... (static dims too: the
 *      count is ndims = sum of rank[i]);
 *   3. TWO_STAGE only: `ptr addrspace(1) scratch` (nparts * part_bytes
 *      bytes of device memory, uninitialized) and `i64 nparts`;
 *   4. scalars by value: none today (kernel parameters are all tensors;
 *      a rank-0 tensor is a buffer of one element).
 * cuLaunchKernel's kernelParams is then {&p0, .., &dim0, .., [&scratch,
 * &nparts]}.
 *
 * Launch (grid x only; blockDim = (block, 1, 1), no dynamic shared memory;
 * `block` is also emitted as the entry's .reqntid, so launching with another
 * block size fails with CUDA_ERROR_INVALID_VALUE):
 *   GRID_STRIDE    a top-level parallel_for as a grid-stride loop: any grid
 *                  >= 1 is correct; use ceil(trips / block) capped at, e.g.,
 *                  32 blocks per SM.
 *   BLOCK_PER_ROW  a top-level parallel_for whose rows contain reductions:
 *                  block b runs rows b, b + gridDim, ...; any grid >= 1 is
 *                  correct; use min(trips, 65535) (trips = rows).
 *   ONE_BLOCK      everything else (several dependent phases, top-level
 *                  stores): grid = 1 exactly (the phases synchronize with
 *                  bar.sync, which only spans one block).
 *   TWO_STAGE      a top-level full reduction: launch `stage1` with grid =
 *                  nparts (1 <= nparts <= max_parts; e.g. min(ceil(trips /
 *                  block), max_parts)), then `name` with grid = 1, both with
 *                  the same arguments, on the same stream.
 * trips, the iteration count of the mapped loop, is trip_scale *
 * dim(trip_param, trip_axis) (trip_param < 0: trip_scale alone); trip_scale
 * < 0 means unknown at compile time: pick the grid as for a large count. */
/*
 * GEMM (the func-level `gemm` op; no cuBLAS): one entry per dtype and
 * transposition, sj_gpu_gemm_name() gives its name ("sjg_gemm_f32_nt"):
 *   C[b] = alpha * op(A[b]) @ op(B[b]) + beta * Z[b]    for b < batch
 * Parameters: ptr addrspace(1) A, B, C, Z (Z unread when beta == 0, may
 * then be NULL; Z == C is fine), i64 M, N, K, i64 batch, i64 sa, sb, sc
 * (elements between batches of A, B, and of C and Z; 0 broadcasts), double
 * alpha, double beta. All row-major contiguous: A is [M,K] ([K,M] when
 * trans_a), B [K,N] ([N,K] when trans_b), C and Z [M,N]. f16/bf16 store and
 * accumulate in f32; f32 in f32, f64 in f64. Launch: block
 * SJ_GPU_GEMM_BLOCK threads (.reqntid), grid x = ceil(N / SJ_GPU_GEMM_TILE),
 * y = ceil(M / SJ_GPU_GEMM_TILE), z = any >= 1 (batches b = ctaid.z,
 * ctaid.z + nctaid.z, ...), e.g. min(batch, 65535). A gemm's `epilogue`
 * kernel (bias, activation) is an ordinary kernel above: launch it after,
 * over the whole of C; unless it is fused (sj_gpu_gemm_fusable, decision
 * 0038): then the entry "<plain name>$e<k>" (sj_gpu_gemm_fused) takes the
 * 13 parameters above followed by the epilogue kernel's, in the kernel
 * order (its buffers' device pointers, then every dim of every one), is
 * launched exactly as the plain entry, with batch 1 (C is rank 2), and
 * nothing is launched after it. */
#ifndef SJ_GPU_ABI_H
#define SJ_GPU_ABI_H

#include <stdint.h>

#include "kernel_abi.h"

typedef enum sj_gpu_launch {
  SJ_GPU_GRID_STRIDE,
  SJ_GPU_BLOCK_PER_ROW,
  SJ_GPU_ONE_BLOCK,
  SJ_GPU_TWO_STAGE,
} sj_gpu_launch;

/* Kernel parameters per entry: lowering never makes more (kernel_abi.h). */
#define SJ_GPU_MAX_PARAMS SJ_KABI_STACK_PARAMS

#define SJ_GPU_GEMM_TILE 64   /* C tile per block: 64 x 64, K in steps of 16 */
#define SJ_GPU_GEMM_BLOCK 256 /* 16 x 16 threads, 4 x 4 outputs each */

typedef struct sj_gpu_kernel {
  const sj_op *op;                 /* the symjit kernel (its func name: sj_func_name) */
  char name[SJ_KABI_SYM_CAP];      /* PTX entry (TWO_STAGE: the second stage) */
  char stage1[SJ_KABI_SYM_CAP];    /* TWO_STAGE: the first stage's entry; else "" */
  sj_gpu_launch kind;
  unsigned block;                  /* threads per block, a multiple of 32, <= 1024 */
  unsigned nparams;                /* pointer parameters (= the kernel's parameters) */
  unsigned char rank[SJ_GPU_MAX_PARAMS]; /* dims passed for parameter i */
  unsigned ndims;                  /* i64 dim arguments: sum of rank[] */
  int64_t trip_scale;              /* trips = trip_scale * dim(trip_param, trip_axis); < 0: unknown */
  int trip_param, trip_axis;       /* trip_param < 0: trips = trip_scale */
  unsigned part_bytes;             /* TWO_STAGE: scratch bytes per stage-1 block; else 0 */
  unsigned max_parts;              /* TWO_STAGE: most stage-1 blocks; else 0 */
} sj_gpu_kernel;
#endif
