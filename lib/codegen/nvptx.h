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
  unsigned sm;                      /* the architecture: 80 for sm_80 */
  bool native_half;                 /* sj_gpu_options.native_half */
} sj_gpu_state;

extern const sj_cg_target sj_cg_nvptx_target;

/* Emits kernel k as its PTX entry (or entries) into g->M and fills *info;
 * sym is its PTX-valid name. */
void sj_nvptx_emit_kernel(cg *g, const sj_op *k, const char *sym, sj_gpu_kernel *info);
/* A gemm's epilogue kernel that runs per element of C, fused into the
 * GEMM entry (nvptx_epi.c, decision 0038). */
typedef struct sj_gpu_epi {
  const sj_op *k;                      /* the epilogue kernel */
  const sj_op *rows, *cols;            /* its parallel_for over C's rows, the loop over columns inside */
  bool is_c[SJ_GPU_MAX_PARAMS];        /* parameter i is the gemm's C */
  bool stored[SJ_GPU_MAX_PARAMS];      /* parameter i is stored to */
  bool store_c;                        /* C is read after the gemm: stored too */
  int col_param;                       /* the column loop runs to this parameter's dim 1; -1: C's */
} sj_gpu_epi;
/* Fills *e when k, the epilogue of gemm op `gemm`, works per element of C
 * (the rule in nvptx_epi.c); else false with the reason in *why. */
bool sj_nvptx_epi_analyze(const sj_op *gemm, const sj_op *k, sj_gpu_epi *e, const char **why);
/* The entry parameters the epilogue adds (its kernel's, gpu_abi.h order:
 * pointers, then dims) appended to pt[*n..]. */
void sj_nvptx_epi_params(cg *g, const sj_gpu_epi *e, LLVMTypeRef *pt, unsigned *n);
/* Binds the epilogue's buffers to fn's parameters from `first` (C's dims
 * to M and N) and emits its top-level scalar code; sj_nvptx_epi_rebase
 * points C's buffer at this batch's C; sj_nvptx_epi_element emits the
 * epilogue for output (m, n) whose value (C's dtype) is c; _end frees. */
void sj_nvptx_epi_begin(cg *g, const sj_gpu_epi *e, LLVMValueRef fn, unsigned first, LLVMValueRef M, LLVMValueRef N);
void sj_nvptx_epi_rebase(cg *g, const sj_gpu_epi *e, LLVMValueRef c);
void sj_nvptx_epi_element(cg *g, const sj_gpu_epi *e, LLVMValueRef m, LLVMValueRef n, LLVMValueRef c);
void sj_nvptx_epi_end(cg *g);
/* Emits the GEMM entry `name` for dtype dt (nvptx_gemm.c, ABI: gpu_abi.h),
 * with the epilogue epi fused when not NULL. */
void sj_nvptx_emit_gemm(cg *g, sj_dtype dt, bool trans_a, bool trans_b, const char *name, const sj_gpu_epi *epi);
/* The GEMM entry's name into name[SJ_KABI_SYM_CAP]; false for a dtype
 * without one. */
bool sj_gpu_gemm_name(sj_dtype dt, bool trans_a, bool trans_b, char *name);
#endif
