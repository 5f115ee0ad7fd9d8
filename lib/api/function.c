/* Compiled functions: compile and free. sj_module_compile runs the pipeline
 * on a private copy of the module, JITs the kernels the func launches and
 * builds the plan (plan.c); calls are in exec.c. The files of this job are
 * listed in exec_internal.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cuda_exec.h"
#include "cache_policy.h"
#include "debug_internal.h"
#include "exec_internal.h"
#include "opinfo.h"
#include "registry.h"
#include "runtime.h"
#include "symjit/symjit.h"
#include "verify.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- compile ---- */

static sj_module *copy_module(sj_ctx *c, const sj_module *m) {
  sj_module *cp = sj_module_new(c);
  sj_value_map *vm = sj_value_map_new(c);
  for (sj_op *op = m->body->first; op; op = op->next) sj_block_append(cp->body, sj_op_clone(c, op, vm));
  return cp;
}

typedef struct compile_args {
  sj_function *f;
  sj_module *m;
  const char *func;
  const sj_compile_options *o;
  sj_dbg_compile *dc; /* dumps, NaN guard, profile (debug_internal.h) */
} compile_args;

/* The passes run protected (out of memory unwinds: the copy is abandoned). */
static sj_status pipeline_protected(void *ud) {
  compile_args *a = ud;
  sj_module *mod = copy_module(a->m->ctx, a->m);
  sj_pm_options pm = {.verify_each = true};
  if (sj_dbg_dumping(a->dc)) pm.after_pass = sj_dbg_after_pass, pm.after_pass_ud = a->dc;
  const char *dflt = a->f->gpu ? sj_gpu_default_pipeline : sj_default_pipeline;
  const char *pipeline = sj_dbg_pipeline(a->dc, a->o->pipeline ? a->o->pipeline : dflt);
  sj_status st = sj_dbg_dump_module(a->dc, "input", a->m);
  if (!st) st = sj_run_pipeline(mod, pipeline, &pm);
  if (!st) st = sj_dbg_dump_module(a->dc, "final", mod);
  a->f->mod = st ? NULL : mod;
  return st;
}

/* The kernels' machine code: from the compile cache when it has them at
 * the full level (docs/cache.md; tiering then has nothing left to do), else
 * compiled: the first tier when tiered (O1 IR, no vectorization, and
 * unoptimized machine code; tier 2 stores into the cache), else fully
 * (stored into the cache). */
static sj_status jit_kernels(sj_function *f, const sj_op_vec *ks, const sj_compile_options *o, bool tiered,
                             sj_kernel_fn *fns) {
  if (!ks->n) return SJ_OK;
  char dir[4096];
  sj_cg_cache cache;
  sj_status st = SJ_OK;
  if (sj_api_cache_config(o, dir, sizeof dir, &cache)) {
    sj_cg_options full = {.opt_level = o->opt_level, .cache = &cache, .cache_only = tiered};
    st = sj_jit_compile(f->mod, ks->v, ks->n, &full, &f->jit, fns);
    if (tiered && !f->jit) f->cache_dir = strdup(dir); /* NULL (no memory): tier 2 runs uncached */
    f->cache_max_bytes = cache.max_bytes;
  }
  if (st || f->jit) return st;
  sj_cg_options cg = {.opt_level = tiered ? 1 : o->opt_level, .fast_codegen = tiered};
  return sj_jit_compile(f->mod, ks->v, ks->n, &cg, &f->jit, fns);
}

static sj_status compile_into(sj_function *f, sj_module *m, const char *func, const sj_compile_options *o,
                              sj_dbg_compile *dc) {
  sj_ctx *c = m->ctx;
  compile_args ca = {f, m, func, o, dc};
  /* The NaN policy of this compile: every pass asks sj_ctx_fast_math, so
   * the context flag carries it while the pipeline runs (compiles of one
   * context are serialized, see "threads" in symjit.h; tier 2 runs no
   * passes), then gets back whatever symjit-opt or a caller had set. */
  bool saved_fast_math = sj_ctx_fast_math(c);
  sj_ctx_set_fast_math(c, o->fast_math != 0);
  sj_status st = sj_ctx_protect(c, pipeline_protected, &ca);
  sj_ctx_set_fast_math(c, saved_fast_math);
  if (st) return st;
  f->func = sj_module_lookup(f->mod, func);
  if (!f->func || f->func->code != SJ_OP_FUNC) return sj_api_fail(c, NULL, "no function @%s in the module", func);
  sj_op_vec ks = {0};
  sj_api_launched_kernels(f->mod, f->func, &ks, 0);
  sj_kernel_fn *fns = calloc(ks.n + 1, sizeof *fns);
  if (!fns) {
    sj_op_vec_free(&ks);
    return sj_api_nomem(c, NULL, "out of memory compiling @%s", func);
  }
  bool tiered = o->tiered && o->opt_level >= 2 && ks.n;
  if (f->gpu) tiered = false, st = sj_api_gpu_compile(f, ks.v, ks.n, o->opt_level); /* PTX: cuda_api.c */
  else {
    st = jit_kernels(f, &ks, o, tiered, fns);
    tiered = tiered && !sj_jit_from_cache(f->jit); /* a warm cache: fully optimized already */
  }
  if (!st && !f->gpu) st = sj_dbg_dump_llvm(dc, f->mod, o->opt_level);
  if (!st) st = sj_api_build_plan(f, ks.v, fns, ks.n);
  if (!st && f->gpu) st = sj_api_gpu_check_plan(f);
  if (!st) st = sj_dbg_attach(f, dc, m, o->opt_level);
  free(fns);
  if (!st) {
    f->pool = sj_pool_new(o->num_threads);
    if (!f->pool) st = sj_api_fail(c, NULL, "cannot start the thread pool");
  }
  if (!st && tiered) {
    sj_api_start_tier2(f, ks.v, ks.n, o->opt_level);
    ks.v = NULL;
  }
  sj_op_vec_free(&ks);
  return st;
}

static sj_status compile_unprotected(void *ud) {
  compile_args *a = ud;
  return compile_into(a->f, a->m, a->func, a->o, a->dc);
}

sj_status sj_module_compile(sj_module *m, const char *func, const sj_compile_options *o,
                            sj_function **out) {
  if (!m || !func || !out) return SJ_ERR_INVALID;
  *out = NULL;
  sj_compile_options dflt;
  sj_compile_options_init(&dflt);
  double t0 = now_ms();
  sj_function *f = calloc(1, sizeof *f);
  if (!f) return SJ_ERR_NOMEM;
  f->ctx = m->ctx;
  sj_dbg_compile dc;
  compile_args ca = {f, m, func, o ? o : &dflt, &dc};
  sj_status st = sj_dbg_begin(m->ctx, ca.o, func, &dc);
  if (!st) st = sj_api_gpu_open(f, ca.o); /* before the passes: no driver fails at once */
  /* codegen holds LLVM objects an unwind would leak: unprotected */
  if (!st) st = sj_ctx_unprotected(compile_unprotected, &ca);
  sj_dbg_end(&dc);
  if (st) {
    sj_function_free(f);
    return st;
  }
  f->compile_ms = now_ms() - t0;
  *out = f;
  return SJ_OK;
}

void sj_function_free(sj_function *f) {
  if (!f) return;
  sj_api_stop_tier2(f);
  sj_api_gpu_free(f);
  sj_api_free_plan(f);
  sj_pool_free(f->pool);
  sj_jit_free(f->jit);
  sj_api_free_bound(f);
  sj_dbg_free(f);
  free(f->cache_dir);
  free(f);
}

size_t sj_function_num_inputs(const sj_function *f) { return f ? (f->bound ? f->nuser_in : f->nin) : 0; }
size_t sj_function_num_outputs(const sj_function *f) { return f ? (f->bound ? f->nuser_out : f->nout) : 0; }
double sj_function_compile_ms(const sj_function *f) { return f ? f->compile_ms : 0; }
