/* Private to the compiled-function files of lib/api:
 *   function.c     compile (pipeline, JIT), free, accessors
 *   plan.c         the lowered func -> steps over value slots, shared buffers
 *   precheck.c     what each launch requires of its arguments' shapes
 *                  (derived from the kernel at compile time, checked per call)
 *   shapes.c       call phase 1: inputs, every shape and size, the prechecks
 *   exec.c         call phase 2: memory, kernels, BLAS; outputs
 *   tier.c         tiered compilation: optimized kernels from a thread
 *   bound_state.c  graph functions: shared variables passed implicitly
 *   debug_*.c, profile.c  dumps, dot, NaN guard, profile (debug_internal.h)
 * A call computes every shape and checks every size and launch before any
 * memory is allocated or any kernel runs. */
#ifndef SJ_EXEC_INTERNAL_H
#define SJ_EXEC_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "codegen.h"
#include "runtime.h"
#include "symjit/symjit.h"

/* ST_RANDOM: a random_* op, which allocates its result as ST_ALLOC does
 * (random_exec.c); ST_SCAN: a loop (scan_exec.c), which allocates its results */
/* ST_CONV: a conv_gemm, run by the runtime (conv_exec.c) */
typedef enum { ST_DIM, ST_ICONST, ST_CONST, ST_ALLOC, ST_LAUNCH, ST_GEMM, ST_RESHAPE, ST_SLICE_LEN, ST_RANDOM, ST_SCAN, ST_CONV } step_kind;

/* A launch precondition on the call's shapes, derived from the kernel. */
typedef enum { CK_EQ_DIM, CK_EQ_CONST, CK_NONEMPTY } check_kind;
typedef struct kcheck {
  check_kind kind;
  unsigned arg, dim;   /* launch argument and its dim */
  unsigned arg2, dim2; /* CK_EQ_DIM: must equal this */
  int64_t c;           /* CK_EQ_CONST */
  /* CK_NONEMPTY of an access inside a loop up to `dim` of an argument:
   * not needed when that dim is 0 (the access never runs) */
  bool guarded;
  unsigned garg, gdim;
} kcheck;

typedef struct step {
  step_kind kind;
  const sj_op *op;
  int out;        /* result slot, -1 if none */
  int *args;      /* operand slots */
  unsigned nargs;
  sj_kernel_fn fn;
  size_t kidx; /* launch: index of the kernel in the compiled list */
  kcheck *checks;
  bool trans_a, trans_b; /* gemm: read once from the op's attributes */
  bool has_z;            /* gemm: operand 3 is the accumulator (`beta` given) */
  double alpha, beta;    /* gemm */
  struct step *epi;      /* gemm epilogue: a launch of its kernel over args after z (owned) */
  bool *epi_rows;        /* epi arg i is sliced to the panel's rows (owned by epi, as writes) */
  bool checks_nomem;     /* a check could not be recorded */
  unsigned nchecks;
  bool *writes; /* launch: argument i is stored to by the kernel */
  struct sj_scan_plan *scan; /* scan: the body's plan and layout (scan_exec.c, owned) */
  /* gemm of a scan body whose op(b) is a non-sequence: packed once per run
   * of the loop (gemm_packed.c; owned and invalidated by scan_exec.c,
   * decision 0039); NULL: BLAS */
  struct sj_rt_gemm_pack *pack;
  struct sj_conv_step *conv; /* conv_gemm: mode, attributes, scratch (conv_exec.c, owned) */
} step;

typedef struct slot {
  sj_type type;
  char name[48];
  int buf;       /* shared intermediate buffer id, -1 if none */
  int root;      /* slot whose memory this one uses (reshape views) */
  int last_use;  /* last step reading it */
  bool is_output, fresh_out;
  sj_tensor *konst; /* ST_CONST data */
  int def_step;     /* the step defining it, -1 for a param */
} slot;

struct sj_function {
  sj_ctx *ctx;
  sj_module *mod;
  const sj_op *func;
  sj_jit *jit;
  /* tiering: fast-to-compile code first, optimized code from a background
   * thread, swapped in between calls (tier2_ready: 0 pending, 1 ready, 2 in) */
  sj_op **ks;
  size_t nk;
  int opt_level;
  pthread_t tier2;
  bool tier2_started;
  atomic_int tier2_ready;
  sj_jit *jit2;
  sj_kernel_fn *fns2;
  sj_ctx *tier2_diag;
  sj_pool *pool;
  slot *slots;
  int nslots;
  step *steps;
  int nsteps;
  int *outs;
  size_t nin, nout;
  double compile_ms;
  /* per-call state */
  int64_t *dims; /* SJ_MAX_RANK per slot; scalar i64 slots use dims[0] */
  void **data;
  sj_tensor **fresh;
  sj_tensor **given; /* caller-provided output storage, by slot */
  void **bufmem;
  size_t *bufcap;
  size_t *bufneed; /* bytes each buffer needs in this call */
  int *bufslot;    /* the slot that needs the most of it (for messages) */
  int nbufs;
  /* graph functions: shared-variable state passed implicitly; spare[k] is
   * the tensor update k's variable held before the last call (owned here,
   * reused for the next value: no allocation per call) */
  bool bound;
  size_t nuser_in, nuser_out, nslots_in, nupd;
  sj_tensor ***in_slots, ***upd_slots, **spare, **all_in, **all_out;
  /* debugging aids (debug_internal.h): always set after a compile;
   * dbg_steps: the NaN guard or the profile runs after each step */
  struct sj_debug *dbg;
  bool dbg_steps;
  /* data-dependent shapes (scan_exec.c): a call computes shapes up to
   * shape_stop, the first step whose results' shapes depend on data
   * computed by an earlier step (a scan with `until` or a computed step
   * count); it runs that far, the barrier step runs and sizes its own
   * results, and shapes resume after it (sj_api_shapes_from). Buffers are
   * never shared across a barrier. nsteps when there is none. */
  int shape_stop;
  bool has_barrier;
  /* a scan body's plan (child of a scan step): its results are written
   * where the scan says (data set per step), never allocated */
  bool is_body;
  int depth; /* scans nested around it (bounded: a body cannot hold itself) */
  struct sj_api_gpu *gpu; /* on a CUDA device (cuda_exec.h); NULL: the CPU */
  /* the compile cache the tier-2 compile stores into (cache_policy.c);
   * NULL: none */
  char *cache_dir;
  uint64_t cache_max_bytes;
};

/* Records an error at op (or nowhere) in c; returns SJ_ERR_INVALID. */
sj_status sj_api_fail(sj_ctx *c, const sj_op *op, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same for an allocation that failed; returns SJ_ERR_NOMEM. */
sj_status sj_api_nomem(sj_ctx *c, const sj_op *op, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Dims of slot s in the current call. */
static inline int64_t *sj_api_dims(sj_function *f, int s) { return &f->dims[(size_t)s * SJ_MAX_RANK]; }
/* "f32[3,4]" with slot s's current dims. */
void sj_api_shape_str(const sj_function *f, int s, char *buf, size_t cap);

/* plan.c: the kernels f launches (or runs as a gemm epilogue), each once,
 * in launch order, a scan body's included (function.c, aot_rt.c). */
void sj_api_launched_kernels(sj_module *m, const sj_op *f, sj_op_vec *ks, int depth);
/* plan.c: builds steps, slots and buffers for f->func's kernels ks/fns. */
sj_status sj_api_build_plan(sj_function *f, sj_op *const *ks, const sj_kernel_fn *fns, size_t nk);
/* Frees what build_plan made (steps, slots, buffers, call state). */
void sj_api_free_plan(sj_function *f);

/* scan_exec.c: the scan step (docs/decisions/0015-scan-execution.md). */
/* Plans scan step s: the body func's plan, built once. */
sj_status sj_api_plan_scan(sj_function *f, step *s, sj_op *const *ks, const sj_kernel_fn *fns, size_t nk);
/* True when step s is a barrier: its results' shapes depend on data. */
bool sj_api_scan_is_barrier(const step *s);
/* Phase 1 for a scan that is not a barrier: its results' dims. */
sj_status sj_api_shape_scan(sj_function *f, const step *s);
/* Runs the loop (a barrier first sizes and allocates its results). */
sj_status sj_api_run_scan(sj_function *f, step *s);
/* Where a scan's tensors live while its loop runs: host memory (scan_exec.c)
 * or a CUDA device's (cuda_scan.c, decision 0037). Addresses are integers,
 * a host pointer or a device address; 0 is none. The loop's logic (rows,
 * ping-pong, copies, barriers) is the same over both. */
typedef struct sj_scan_mem {
  uintptr_t (*addr)(sj_function *f, int s);         /* slot s's data in this call */
  void (*bind)(sj_function *body, int s, uintptr_t a); /* a body's slot s at a */
  sj_status (*copy)(sj_function *f, const sj_op *op, uintptr_t dst, uintptr_t src, size_t n);
  sj_status (*read)(sj_function *f, const sj_op *op, void *dst, uintptr_t src, size_t n); /* into host memory */
  /* the scratch of state r kept `last`, at least n bytes, kept by the plan */
  sj_status (*scratch)(sj_function *f, const step *s, unsigned r, size_t n, uintptr_t *at);
  sj_status (*cond)(sj_function *f, const step *s, uintptr_t *at); /* where `until`'s condition goes */
  sj_status (*alloc_slot)(sj_function *f, const sj_op *op, int r);
  sj_status (*alloc_range)(sj_function *f, int lo, int hi);
  sj_status (*run_body)(sj_function *body); /* from step 0 through its barriers */
} sj_scan_mem;
/* sj_api_run_scan over the memory m. */
sj_status sj_api_run_scan_in(sj_function *f, step *s, const sj_scan_mem *m);
/* The body plan of scan step s (NULL for another step). */
sj_function *sj_api_scan_body(const step *s);
/* Points the body plans' launches at fns (tier 2). */
void sj_api_scan_swap(step *s, sj_kernel_fn const *fns);
void sj_api_free_scan(step *s);

/* conv_exec.c: the conv_gemm step (docs/decisions/0041). */
/* Reads the op's mode and attributes into s->conv (s->kind is ST_CONV). */
sj_status sj_api_plan_conv(sj_function *f, step *s);
/* Phase 1: the operands' current dims agree with the convolution's. */
sj_status sj_api_shape_conv(sj_function *f, const step *s);
/* Runs it (the epilogue, if any, per chunk of images). */
sj_status sj_api_run_conv(sj_function *f, const step *s);
void sj_api_free_conv(step *s);
/* Its multiply-adds times 2 with the current dims (the profile's GFLOP/s). */
double sj_api_conv_flops(sj_function *f, const step *s);

/* exec.c: a gemm's or conv_gemm's epilogue on rows [lo, hi) of its output
 * (an sj_range_fn; env is an sj_api_epi_env). */
typedef struct sj_api_epi_env {
  sj_function *f;
  const step *g;
} sj_api_epi_env;
void sj_api_run_epilogue(void *env, int64_t lo, int64_t hi);

/* precheck.c */
/* Derives the launch preconditions of kernel k into s; an index whose
 * bounds cannot be checked is an error at compile time. */
sj_status sj_api_analyze_kernel(sj_ctx *c, const sj_op *k, step *s);
/* Checks launch s's preconditions on the current dims. */
/* True when every buffer launch s stores to is empty (run_launch skips it). */
bool sj_api_writes_nothing(sj_function *f, const step *s);
sj_status sj_api_check_launch(sj_function *f, const step *s);

/* shapes.c: phase 1 (inputs, then every shape, size and precheck). */
sj_status sj_api_check_inputs(sj_function *f, sj_tensor *const *in, size_t nin);
sj_status sj_api_shapes(sj_function *f);
/* Shapes of steps from `from` up to the next barrier (sets shape_stop). */
sj_status sj_api_shapes_from(sj_function *f, int from);
/* Checks that slot s is a usable size (what: "the buffer", ...). */
sj_status sj_api_check_extent(sj_function *f, const sj_op *op, int s, const char *what);

/* exec.c */
/* Phase 2: allocates every buffer (all before the first kernel), then runs. */
sj_status sj_api_run(sj_function *f);
/* Buffers of the allocating steps in [lo, hi) (a body's results excepted). */
sj_status sj_api_alloc_range(sj_function *f, int lo, int hi);
/* Runs from step lo (shapes and buffers of [lo, shape_stop) ready), through
 * the barriers, to the end. */
sj_status sj_api_run_from(sj_function *f, int lo);
/* The loop of sj_api_run_from with the steps run by `run` and the buffers
 * after each barrier made by `alloc` (the device executor's, cuda_exec.c). */
typedef sj_status (*sj_api_range_fn)(sj_function *f, int lo, int hi);
sj_status sj_api_run_segments(sj_function *f, int lo, sj_api_range_fn run, sj_api_range_fn alloc);
/* The buffer of result slot r of an allocating step: fresh, given or shared. */
sj_status sj_api_alloc_slot(sj_function *f, const sj_op *op, int r);
/* The unbound call: phase 1, phase 2, outputs handed over or copied. */
sj_status sj_api_call(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor **out, size_t nout);

/* random_exec.c: the random_* ops (docs/decisions/0018-random.md). A step
 * allocates its own result (sj_api_step_allocates). */
static inline bool sj_api_step_allocates(const step *s) { return s->kind == ST_ALLOC || s->kind == ST_RANDOM; }
/* The result slots step s allocates, from *first on: one for the steps of
 * sj_api_step_allocates, every result of a scan (scan_exec.c). */
static inline int sj_api_allocated_slots(const step *s, int *first) {
  *first = s->out;
  return sj_api_step_allocates(s) ? 1 : s->kind == ST_SCAN ? (int)s->op->nresults : 0;
}
/* Phase 1: the result's dims (from %like, the weights or the static type). */
void sj_api_random_shape(sj_function *f, const step *s);
/* Phase 2: the draw, split over f->pool; an error for a categorical row
 * with nothing to draw. */
sj_status sj_api_random_run(sj_function *f, const step *s);

/* tier.c */
void sj_api_start_tier2(sj_function *f, sj_op **ks, size_t nk, int opt_level);
void sj_api_swap_tier2(sj_function *f); /* between calls only */
void sj_api_stop_tier2(sj_function *f); /* joins the thread, frees its state */

/* bound_state.c */
/* Binds pre-existing spare tensors as update outputs (graph functions). */
void sj_api_bind_spares(sj_function *f);
sj_status sj_api_call_bound(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor **out, size_t nout);
void sj_api_free_bound(sj_function *f);
#endif
