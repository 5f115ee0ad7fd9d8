/* Internal to the NVPTX target (nvptx.c: kernel mapping, nvptx_module.c:
 * target machine, libdevice, PTX). */
#ifndef SJ_NVPTX_H
#define SJ_NVPTX_H

#include "cg_internal.h"
#include "gpu_abi.h"

/* Threads per block of every entry (.reqntid): 8 warps. */
#define SJ_GPU_BLOCK 256
#define SJ_GPU_WARPS (SJ_GPU_BLOCK / 32)
/* Most stage-1 blocks of a two-stage reduction. */
#define SJ_GPU_MAX_PARTS 1024

typedef struct sj_gpu_state {
  LLVMValueRef tid, ctaid, nctaid; /* i64 */
  LLVMValueRef scratch, nparts;     /* TWO_STAGE */
  const sj_op *fold;                /* TWO_STAGE stage 2: the reduction to fold from scratch */
  unsigned nsmem;                   /* shared-memory globals so far, for names */
} sj_gpu_state;

extern const sj_cg_target sj_cg_nvptx_target;

/* Emits kernel k as its PTX entry (or entries) into g->M and fills *info;
 * sym is its PTX-valid name. */
void sj_nvptx_emit_kernel(cg *g, const sj_op *k, const char *sym, sj_gpu_kernel *info);
/* Emits the GEMM entry `name` for dtype dt (nvptx_gemm.c, ABI: gpu_abi.h). */
void sj_nvptx_emit_gemm(cg *g, sj_dtype dt, bool trans_a, bool trans_b, const char *name);
/* The GEMM entry's name into name[SJ_KABI_SYM_CAP]; false for a dtype
 * without one. */
bool sj_gpu_gemm_name(sj_dtype dt, bool trans_a, bool trans_b, char *name);
#endif
