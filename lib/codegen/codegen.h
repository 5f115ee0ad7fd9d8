/* Code generation: kernels of the loop IR -> LLVM IR -> native code (ORC
 * LLJIT) for the host CPU. Only lib/codegen includes llvm-c headers; this
 * header exposes plain C types. */
#ifndef SJ_CODEGEN_H
#define SJ_CODEGEN_H

#include <stdint.h>

#include "ir.h"
#include "gpu_abi.h"    /* the GPU kernels' launch description */
#include "kernel_abi.h" /* sj_kernel_fn and the argument layout */

typedef struct sj_jit sj_jit;

/* Where compiled kernels are cached on disk (cache*.c, docs/cache.md). */
typedef struct sj_cg_cache {
  const char *dir;    /* the cache directory (created when first written) */
  uint64_t max_bytes; /* evict least recently used entries beyond this */
} sj_cg_cache;

typedef struct sj_cg_options {
  int opt_level;     /* 0..3; 3 = default<O3> */
  bool fast_codegen; /* machine code at CodeGenOpt::None: ~2.5x faster to
                        compile, slower code (the first tier of tiering) */
  sj_ctx *diag;      /* where errors go; NULL: the module's context */
  const sj_cg_cache *cache; /* NULL: no compile cache. Else the objects are
                               loaded from it when an entry matches (no
                               LLVM optimization or codegen at all), and
                               stored into it after a compile */
  bool cache_only;   /* with cache: a miss compiles nothing and returns
                        SJ_OK with *out NULL (a probe) */
} sj_cg_options;

/* Compiles the kernels `ks[0..n)` of module m into one JIT dylib and returns
 * their entry points in fns[]. Errors are reported in m's context. */
sj_status sj_jit_compile(sj_module *m, sj_op *const *ks, size_t n, const sj_cg_options *o,
                         sj_jit **out, sj_kernel_fn *fns);
void sj_jit_free(sj_jit *j); /* frees the code; NULL ok */
/* true when j's code was loaded from the compile cache. */
bool sj_jit_from_cache(const sj_jit *j);

/* The compile cache's process-wide counters, in this order: hits, misses
 * (no entry), rejected entries (corrupt, truncated or mismatched: compiled
 * again and replaced), entries stored, write errors, entries evicted. */
enum { SJ_CG_CACHE_NCOUNTERS = 6 };
void sj_cg_cache_counters(uint64_t out[SJ_CG_CACHE_NCOUNTERS]);

/* The LLVM IR (after optimization at o->opt_level) of every kernel in m, as a
 * malloc'd string (free with free()). */
sj_status sj_emit_llvm_ir(sj_module *m, const sj_cg_options *o, char **out);

/* r1 = `for {combine = "maximum"}` of v, then r2 = `for {combine = "add"}`
 * of exp(v - r1) over the same bounds, in one block with only stores
 * between that r2 does not read (logsumexp, a softmax denominator): codegen
 * then computes both in one pass over memory (docs/codegen.md, "One-pass max
 * and sum of exp"); loop-fusion merges two kernels into that form. */
bool sj_online_lse_pair(const sj_op *r1, const sj_op *r2);

/* ---- the NVPTX target (docs/gpu.md; the kernel ABI: gpu_abi.h) ---- */
/* Every field that changes the PTX is part of the compile cache's key
 * (sj_cache_key_gpu, cache_key.c). */
typedef struct sj_gpu_options {
  const char *arch;      /* "sm_80" when NULL; sm_70 .. sm_90a */
  int opt_level;         /* 1..3 (0 is taken as 1: libdevice must be inlined) */
  bool ftz;              /* flush f32 subnormals to zero (libdevice's __nvvm_reflect) */
  const char *libdevice; /* NULL: $CUDA_HOME or /usr/local/cuda, nvvm/libdevice/libdevice.10.bc */
  sj_ctx *diag;          /* where errors go; NULL: the module's context */
  bool native_half;      /* f16 (bf16 on sm_90) add/sub/mul/neg/min/max in
                            half precision where the architecture has them
                            (bit-identical to f32 and one rounding; fewer
                            conversions), decision 0038 */
} sj_gpu_options;

/* Compiles kernels ks[0..n) for NVPTX: the PTX text (*ptx) and/or the
 * optimized LLVM IR (*llvm_ir), malloc'd (NULL pointers: not wanted), and
 * info[0..n), each kernel's entry names and launch (gpu_abi.h). LLVM's
 * errors become symjit errors; nothing exits or prints. */
sj_status sj_gpu_compile(sj_module *m, sj_op *const *ks, size_t n, const sj_gpu_options *o, char **ptx, char **llvm_ir,
                         sj_gpu_kernel *info);
/* Every kernel of m as PTX (want_ptx) or LLVM IR, malloc'd into *out; an
 * error names a func-level op with no GPU implementation ("not supported
 * on nvptx: ..." at its location). */
sj_status sj_gpu_emit_module(sj_module *m, const sj_gpu_options *o, bool want_ptx, char **out);

/* The GEMM entry for dtype dt and the transpositions (gpu_abi.h): its
 * name into name[SJ_KABI_SYM_CAP] and, when ptx is not NULL, its PTX
 * (malloc'd). f16, bf16, f32, f64; anything else is an error. */
sj_status sj_gpu_gemm(sj_ctx *c, const sj_gpu_options *o, sj_dtype dt, bool trans_a, bool trans_b, char *name,
                      char **ptx);
/* The GEMM entry's name alone (nvptx_gemm.c); false for a dtype without one. */
bool sj_gpu_gemm_name(sj_dtype dt, bool trans_a, bool trans_b, char *name);
/* Whether kernel k, the `epilogue` of gemm op `gemm`, works per element of
 * C and so can run inside the GEMM entry after each store (nvptx_epi.c,
 * decision 0038); when not, *why says what stops it (the epilogue is then a
 * launch of its own after the GEMM). *col_param >= 0: the epilogue's
 * column loop runs to that parameter's dim 1, which the fused entry takes
 * to be C's N: the caller must check that before launching it. */
bool sj_gpu_gemm_fusable(const sj_op *gemm, const sj_op *k, int *col_param, const char **why);
/* The PTX of entry `name`: gemm op `gemm`'s GEMM (its dtype and
 * transpositions) with its epilogue k fused (gpu_abi.h: the GEMM's 13
 * parameters, then k's as for a kernel launch). An error when
 * sj_gpu_gemm_fusable is false. */
sj_status sj_gpu_gemm_fused(sj_ctx *c, const sj_gpu_options *o, const sj_op *gemm, const sj_op *k, const char *name,
                            char **ptx);

/* Host CPU description, e.g. "rocketlake (+avx2,+avx512f,...)"; malloc'd. */
char *sj_host_cpu_desc(void);
#endif
