/* The pass registry: the table of passes built from passes.def, the -O
 * pipeline, and sj_run_pipeline, which parses a pipeline against the table
 * and hands it to the generic runner in lib/ir. */
#include "registry.h"

/* stabilize runs before constant-fold, so that folding cannot turn
 * log(1 + exp(800)) into inf (or log(1 + 1e-30) into 0) before it is
 * softplus(800) (log1p(1e-30)), and again after it, for the patterns
 * folding exposes (a 1 computed from constants), followed by a fold of
 * what that rewrote; docs/decisions/0007-stabilize.md. stabilize-softmax
 * goes first so that the softmax spellings are whole when it sees them;
 * expand-softmax lowers its ops after the folds (decision 0006).
 * scan-pushout moves loop-invariant and per-sequence work out of scan bodies
 * once the rewrites have simplified them, before the bodies are outlined
 * and fused (decision 0019). assemble-slices then turns sums of slice
 * updates of zeros (slice gradients; the zeros of a scan body are constants
 * once scan-pushout has sunk them) into one chain, before fusion would
 * make the sum a kernel (decision 0025). */
#define PIPELINE(LOWER)                                                                                              \
  "canonicalize,stabilize-softmax,stabilize,cse,constant-fold,stabilize,constant-fold,canonicalize,dce,scan-pushout," \
  "assemble-slices,outline-scan,expand-softmax,cse,gemm-combine,fuse-elementwise," LOWER                            \
  ",loop-fusion,gemm-epilogue,cse,dce"
const char *const sj_default_pipeline = PIPELINE("lower-to-loops");
/* The device runs no conv_gemm (a runtime op): convolutions become kernels
 * around gemms there (decision 0041). */
const char *const sj_gpu_default_pipeline = PIPELINE("lower-to-loops{conv-runtime=0}");
#undef PIPELINE

/* Per pass: its statistics and options tables ({0} keeps empty ones legal C). */
#define SJ_STAT(ID, NAME, DESC) {NAME, DESC},
#define SJ_OPT(ID, NAME, DEF, MIN, MAX, DESC) {NAME, DESC, DEF, MIN, MAX},
#define SJ_PASS(ID, NAME, DESC, STATS, OPTS)                          \
  static const sj_pass_stat_info ID##_stats[] = {STATS{NULL, NULL}}; \
  static const sj_pass_opt_info ID##_opts[] = {OPTS{NULL, NULL, 0, 0, 0}};
#include "passes.def"
#undef SJ_PASS
#undef SJ_STAT
#undef SJ_OPT

#define SJ_PASS(ID, NAME, DESC, STATS, OPTS)                                              \
  _Static_assert(SJ_NUM_OPTS_##ID <= SJ_PASS_MAX_OPTS, "pass " NAME ": too many options"); \
  static const sj_pass_info ID##_info = {NAME, DESC, sj_pass_##ID, ID##_stats, SJ_NUM_STATS_##ID, ID##_opts, SJ_NUM_OPTS_##ID};
#include "passes.def"
#undef SJ_PASS

static const sj_pass_info *const passes[] = {
#define SJ_PASS(ID, NAME, DESC, STATS, OPTS) &ID##_info,
#include "passes.def"
#undef SJ_PASS
};

size_t sj_num_passes(void) { return sizeof passes / sizeof passes[0]; }
const sj_pass_info *sj_pass_at(size_t i) { return i < sj_num_passes() ? passes[i] : NULL; }

typedef struct run_args {
  sj_module *m;
  const sj_pipeline *p;
  const sj_pm_options *opt;
} run_args;

static sj_status run_protected(void *ud) {
  run_args *a = ud;
  return sj_run_passes(a->m, a->p, a->opt);
}

/* Passes allocate without checks: out of memory unwinds to the protected
 * call and gives SJ_ERR_NOMEM (the module is then half-transformed). The
 * pipeline is parsed outside it so that its entries are always freed. */
sj_status sj_run_pipeline(sj_module *m, const char *pipeline, const sj_pm_options *opt) {
  sj_pipeline p;
  sj_status st = sj_pipeline_parse(m->ctx, passes, sj_num_passes(), pipeline, &p);
  if (st) return st;
  run_args a = {m, &p, opt};
  st = sj_ctx_protect(m->ctx, run_protected, &a);
  sj_pipeline_free(&p);
  return st;
}
