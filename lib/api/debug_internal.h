/* Private to lib/api: what a compiled function keeps for the debugging aids
 * of docs/debugging.md, and the hooks compile (function.c) and calls
 * (exec.c) make into them:
 *   debug_dump.c   IR dumps after each stage (dir, callback, environment),
 *                  sj_function_ir, sj_function_dot
 *   debug_guard.c  the NaN/Inf guard run after each kernel and gemm
 *   profile.c      per-step timing, bytes, peak memory; the table
 * Nothing here runs unless asked for: a call pays one branch per step. */
#ifndef SJ_DEBUG_INTERNAL_H
#define SJ_DEBUG_INTERNAL_H

#include "exec_internal.h"

typedef struct sj_dbg_step {
  uint64_t calls;
  double seconds;
  double bytes; /* operands read + results written, summed over calls */
  double flops; /* gemm: 2*M*N*K per call */
} sj_dbg_step;

struct sj_debug {
  const sj_module *src; /* the module f was compiled from (stage "input") */
  int opt_level;        /* LLVM level of the optimized kernels ("llvm") */
  bool nan_guard, profile;
  sj_dbg_step *steps;   /* profile: one per plan step */
  double *live;         /* profile: nsteps + 2 entries, peak_live's scratch */
  uint64_t calls;       /* profiled runs */
  double seconds;       /* their phase-2 time (memory, kernels, gemm) */
  size_t peak_live;     /* most bytes of intermediates and results live at
                           once, over the profiled calls */
};

/* What one compile was asked to show (options merged with SYMJIT_*). */
typedef struct sj_dbg_compile {
  sj_ctx *ctx;
  const char *func;
  const char *dir;    /* NULL: no files */
  const char *stages; /* never NULL */
  sj_dump_fn fn;
  void *ud;
  unsigned seq;       /* stage number: input 0, pass i -> i+1, ... */
  bool nan_guard, profile;
  char *pipeline;     /* the guard's pipeline without fusion (owned) */
} sj_dbg_compile;

/* debug_dump.c */
/* Merges o with the environment and checks the stage list. */
sj_status sj_dbg_begin(sj_ctx *c, const sj_compile_options *o, const char *func, sj_dbg_compile *dc);
void sj_dbg_end(sj_dbg_compile *dc);
/* The pipeline to run: `pipeline` itself, or without fuse-elementwise and
 * loop-fusion under the NaN guard (one kernel per op: exact locations). */
const char *sj_dbg_pipeline(sj_dbg_compile *dc, const char *pipeline);
bool sj_dbg_dumping(const sj_dbg_compile *dc);
/* Dumps stage `stage` ("input", "final") of m, if selected. */
sj_status sj_dbg_dump_module(sj_dbg_compile *dc, const char *stage, const sj_module *m);
/* The sj_pm_options.after_pass hook: dumps the module after a pass. */
sj_status sj_dbg_after_pass(void *ud, const char *pass, sj_module *m);
/* Dumps the LLVM IR of m's kernels at opt_level, if "llvm" is selected. */
sj_status sj_dbg_dump_llvm(sj_dbg_compile *dc, sj_module *m, int opt_level);
/* Attaches the debug state to a compiled f (after its plan is built). */
sj_status sj_dbg_attach(sj_function *f, const sj_dbg_compile *dc, const sj_module *src, int opt_level);
void sj_dbg_free(sj_function *f);

/* debug_guard.c: after step s ran, its float results must be finite
 * unless one of its float operands was not. */
sj_status sj_dbg_guard_step(sj_function *f, const step *s);

/* profile.c: the hooks of sj_api_run (exec.c) */
double sj_dbg_now(void); /* seconds, monotonic */
/* After step i ran (started at t0): its time, then the NaN guard. */
sj_status sj_dbg_after_step(sj_function *f, int i, double t0);
/* After a whole run (started at t0): its time and the peak live memory. */
void sj_dbg_after_run(sj_function *f, double t0);
#endif
