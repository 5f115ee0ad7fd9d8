/* Shared between the files of lib/codegen: the emission state and helpers. */
#ifndef SJ_CG_INTERNAL_H
#define SJ_CG_INTERNAL_H

#include <llvm-c/Core.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/TargetMachine.h>

#include "codegen.h"
#include "opinfo.h"

/* Vector widths the host's libmvec variants can serve (bitmask of ISA
 * classes: 'b' SSE4 128-bit, 'd' AVX2 256-bit, 'e' AVX-512 512-bit). */
enum { SJ_ISA_B = 1, SJ_ISA_D = 2, SJ_ISA_E = 4 };
/* Set with SJ_ISA_E when 512-bit vectors are worth preferring over LLVM's
 * 256-bit default for the host (target.c: sj_cg_prefer_512). */
enum { SJ_ISA_PREFER_512 = 8 };

typedef struct cg_buf {
  const sj_value *v; /* kernel parameter */
  unsigned param;    /* its position in the kernel signature */
  LLVMValueRef data;
  LLVMValueRef dims[SJ_MAX_RANK];
  LLVMValueRef strides[SJ_MAX_RANK];
} cg_buf;

/* Per LLVM function: saved and restored around an outlined parallel body. */
typedef struct cg_fn {
  LLVMValueRef fn, dims_ptr, rt_ptr;
  cg_buf *bufs;
  unsigned nbufs;
  /* sj_value -> LLVM value, open addressing */
  const sj_value **vkeys;
  LLVMValueRef *vvals;
  size_t vcap, vn;
} cg_fn;

typedef struct cg cg;

/* What differs between code generation targets (the host CPU, NVPTX): the
 * op table, the scalar rules and the loop emission are shared; a target
 * says how a top-level parallel_for and a top-level `for` map to the
 * hardware and where transcendentals come from (target.c: the host's,
 * nvptx.c: the GPU's). */
typedef struct sj_cg_target {
  const char *name;
  /* The EMIT of parallel_for. */
  void (*parallel_for)(cg *g, const sj_op *op);
  /* A `for` at the kernel's top level (host) or wherever the target maps
   * loops itself (NVPTX): true when emitted, false to emit a plain loop. */
  bool (*loop)(cg *g, const sj_op *op);
  /* Scalar math for a float dtype (exp, log, log1p, expm1, tanh, pow). */
  LLVMValueRef (*math1)(cg *g, const char *fname, LLVMValueRef x, sj_dtype dt);
  LLVMValueRef (*math2)(cg *g, const char *fname, LLVMValueRef x, LLVMValueRef y, sj_dtype dt);
  /* f16/bf16 elementwise ops compute in f32 and round once (the same
   * values: f32 holds every half sum, product and quotient exactly enough
   * for one correct rounding); NVPTX cannot select some half operations
   * below sm_80/sm_90 (bf16 maximum aborts the process). */
  bool half_in_f32;
  /* With half_in_f32: the classes of f16/bf16 ops (SJ_HALF_*) the target
   * computes natively in dtype dt instead (the option native_half, where
   * the architecture selects them); NULL: none. Bit-identical: one f32 op
   * rounded once to f16/bf16 is the correctly rounded half op (f32 has
   * 24 >= 2 * 11 + 2 bits), decision 0038. */
  unsigned (*native_half)(cg *g, sj_dtype dt);
} sj_cg_target;
enum { SJ_HALF_ARITH = 1 /* add sub mul */, SJ_HALF_NEG = 2, SJ_HALF_ABS = 4, SJ_HALF_MINMAX = 8 };

extern const sj_cg_target sj_cg_host_target;
struct sj_gpu_state; /* nvptx.c */

struct cg {
  sj_ctx *sc;
  const sj_cg_target *tgt;
  struct sj_gpu_state *gpu; /* NVPTX only */
  LLVMContextRef L;
  LLVMModuleRef M;
  LLVMBuilderRef B;
  unsigned isa;           /* SJ_ISA_* available on the host */
  LLVMValueRef *used;     /* declarations kept alive in llvm.compiler.used */
  size_t nused, capused;
  const sj_op *kernel;
  cg_fn cur; /* the LLVM function being emitted */
  unsigned nouter; /* outlined parallel bodies so far, for names */
  int par_depth;   /* >0 inside an outlined parallel body */
  const sj_op *online_done; /* a `for` already emitted with the max before it */
  bool loop_has_exp;        /* the loop being emitted contains an inline exp (math_lib.c) */
  sj_status st;
};

LLVMTypeRef sj_cg_dtype(cg *g, sj_dtype dt);
void sj_cg_set(cg *g, const sj_value *v, LLVMValueRef x);
LLVMValueRef sj_cg_get(cg *g, const sj_value *v);
void sj_cg_fail(cg *g, const sj_op *op, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* sj_cg_fail with "out of memory" and status SJ_ERR_NOMEM (g->st, so
 * emission stops); op may be NULL. */
void sj_cg_nomem(cg *g, const sj_op *op);
void sj_cg_keep_used(cg *g, LLVMValueRef decl);
LLVMValueRef sj_cg_intrinsic(cg *g, const char *name, LLVMTypeRef ty, LLVMValueRef *args,
                             unsigned n);

/* Scalar math (exp, log, ...) for a float dtype, through g->tgt. */
LLVMValueRef sj_cg_math1(cg *g, const char *fname, LLVMValueRef x, sj_dtype dt);
void sj_cg_fold_tail(cg *g, LLVMValueRef latch_br);
LLVMValueRef sj_cg_math2(cg *g, const char *fname, LLVMValueRef x, LLVMValueRef y, sj_dtype dt);
/* The host's math (math_lib.c): libmvec variants and an inline f32 exp. */
LLVMValueRef sj_cg_host_math1(cg *g, const char *fname, LLVMValueRef x, sj_dtype dt);
LLVMValueRef sj_cg_host_math2(cg *g, const char *fname, LLVMValueRef x, LLVMValueRef y, sj_dtype dt);

/* Scalar elementwise op emission (table-driven, scalar_ops.c). Returns NULL
 * and fails g when the op has no scalar rule. */
LLVMValueRef sj_cg_scalar_op(cg *g, const sj_op *op, LLVMValueRef *args);
/* x from dtype `from` to `to`, as the `cast` op converts (no libcalls). */
LLVMValueRef sj_cg_convert(cg *g, LLVMValueRef x, sj_dtype from, sj_dtype to);

static inline LLVMTypeRef sj_cg_i64(cg *g) { return LLVMInt64TypeInContext(g->L); }
static inline LLVMTypeRef sj_cg_ptr(cg *g) { return LLVMPointerTypeInContext(g->L, 0); }
static inline LLVMValueRef sj_cg_ci64(cg *g, int64_t v) { return LLVMConstInt(sj_cg_i64(g), (unsigned long long)v, 1); }

/* emit.c: buffers, blocks and loops of the current function. */
cg_buf *sj_cg_find_buf(cg *g, const sj_value *v);
void sj_cg_setup_buf(cg *g, cg_buf *b);
/* Row-major strides of b from its dims (b->dims set). */
void sj_cg_buf_strides(cg *g, cg_buf *b);
void sj_cg_param_attr(cg *g, LLVMValueRef fn, unsigned idx, const char *kind);
void sj_cg_emit_block(cg *g, const sj_block *b);
void sj_cg_emit_op(cg *g, const sj_op *op); /* through the EMIT column */
/* A loop over [lo, hi) around the body of `loop`; sets its results. */
void sj_cg_emit_loop(cg *g, const sj_op *loop, LLVMValueRef lo, LLVMValueRef hi);
/* The same with the variable stepping by `step` (an i64 > 0). */
void sj_cg_emit_loop_step(cg *g, const sj_op *loop, LLVMValueRef lo, LLVMValueRef hi, LLVMValueRef step);
/* Emission of kernels into g->M (target-independent part): emit_kernel is
 * the target's; the value map is freed after. */
void sj_cg_free_values(cg *g);
void sj_cg_finish_used(cg *g);
/* Runs LLVM's default<O{level}> pipeline on g->M for tm. */
sj_status sj_cg_optimize(cg *g, int opt_level, LLVMTargetMachineRef tm);

/* parallel.c: the EMIT of parallel_for (g->tgt's); the host's outlines a
 * top-level one and runs it on the pool. */
void sj_cg_parallel_for(cg *g, const sj_op *op);
void sj_cg_host_parallel_for(cg *g, const sj_op *op);
/* A top-level `for` that is an associative reduction, run in chunks on the
 * pool; false (nothing emitted) when `op` is not one. */
bool sj_cg_parallel_reduce(cg *g, const sj_op *op);
/* `op` and the `for` after it (past stores) as one pass when they are
 * sj_online_lse_pair; sets both results and g->online_done (the second
 * `for`, which e_for then skips); false (nothing emitted) otherwise. */
bool sj_cg_parallel_online(cg *g, const sj_op *op);
/* A `for {combine}` whose chunks may run in any order from the combine's
 * identity (nothing stored, not prod or bool, the initial value not read in
 * the body), and the op that combines its carried value. */
bool sj_cg_reduction_ok(const sj_op *loop);
const sj_op *sj_cg_combine_op(const sj_op *loop);

/* rt_symbols.c: the runtime entry points of rt_symbols.def. */
typedef enum sj_rt_id {
#define SJ_RT_SYMBOL(NAME, RET, PARAMS) SJ_RT_ID_##NAME,
#include "rt_symbols.def"
#undef SJ_RT_SYMBOL
  SJ_RT_ID_COUNT
} sj_rt_id;
/* The declaration of entry point `id` in g's module (added once). */
LLVMValueRef sj_cg_rt_decl(cg *g, sj_rt_id id);
/* Defines every entry point in the JIT's main dylib as an absolute symbol. */
LLVMErrorRef sj_cg_rt_define(LLVMOrcLLJITRef j);

/* Target machine for the host (emit.c/jit.c share it). */
/* Also used for the object files added to the JIT: non-PIC code with the
 * JIT code model measured faster than PIC (the libmvec calls). */
LLVMTargetMachineRef sj_cg_host_tm(LLVMCodeGenOptLevel lvl, unsigned *isa);
/* An empty module named `name` in L with tm's triple and data layout (taken
 * from the target machine, never hard-coded: notes/gpu.md section 1). */
LLVMModuleRef sj_cg_module_for(LLVMContextRef L, const char *name, LLVMTargetMachineRef tm);

/* A counted loop `for i = lo; i < hi; i += step` (step NULL: 1) around what
 * `body` emits at the builder's position; the builder ends at the exit.
 * Blocks are <name>, <name>.body, <name>.exit and the index phi is <index>.
 * Returns the back edge's branch (for loop metadata). One builder for the
 * CPU's chunk loops and the GPU's grid-strided ones. */
typedef struct sj_cg_loop {
  LLVMValueRef lo, hi, step;
  const char *name, *index;
} sj_cg_loop;
typedef void (*sj_cg_loop_body)(cg *g, LLVMValueRef i, void *arg);
LLVMValueRef sj_cg_counted_loop(cg *g, const sj_cg_loop *l, sj_cg_loop_body body, void *arg);
/* The entry symbol of each of ks[0..n) (kernel_abi.h): bounded however long
 * the kernel's name, and distinct for distinct kernels of one list. */
void sj_cg_kernel_symbols(sj_op *const *ks, size_t n, char (*syms)[SJ_KABI_SYM_CAP]);
/* Emits and optimizes kernels ks[0..n), with entry symbols syms[0..n), into a
 * new module in L; errors go to `diag` (a context only this thread uses). */
sj_status sj_cg_build_module(sj_ctx *diag, sj_op *const *ks, char (*syms)[SJ_KABI_SYM_CAP], size_t n,
                             int opt_level, LLVMContextRef L, LLVMModuleRef *out);
#endif
