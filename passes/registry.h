/* The pass registry, built from passes/passes.def: the declaration of every
 * pass, the enums of their statistics and options, the list the generic
 * runner (lib/ir/pass.h) parses pipelines against, and the -O pipeline.
 * Passes include this header; lib/ir never does. */
#ifndef SJ_REGISTRY_H
#define SJ_REGISTRY_H
#include "pass.h"

#define SJ_STATS(...) __VA_ARGS__
#define SJ_OPTS(...) __VA_ARGS__

/* sj_status sj_pass_ID(sj_module *m, sj_pass_run *run); */
#define SJ_STAT(ID, NAME, DESC)
#define SJ_OPT(ID, NAME, DEF, MIN, MAX, DESC)
#define SJ_PASS(ID, NAME, DESC, STATS, OPTS) sj_status sj_pass_##ID(sj_module *m, sj_pass_run *run);
#include "passes.def"
#undef SJ_PASS
#undef SJ_STAT
#undef SJ_OPT

/* Per pass: enum { SJ_STAT_<SID>..., SJ_NUM_STATS_<ID> } and the same for
 * options, numbered from 0 in row order. */
#define SJ_STAT(ID, NAME, DESC) SJ_STAT_##ID,
#define SJ_OPT(ID, NAME, DEF, MIN, MAX, DESC) SJ_OPT_##ID,
#define SJ_PASS(ID, NAME, DESC, STATS, OPTS) \
  enum { STATS SJ_NUM_STATS_##ID };          \
  enum { OPTS SJ_NUM_OPTS_##ID };
#include "passes.def"
#undef SJ_PASS
#undef SJ_STAT
#undef SJ_OPT

/* The -O pipeline, and its form for the GPU (convolutions as kernels). */
extern const char *const sj_default_pipeline;
extern const char *const sj_gpu_default_pipeline;

/* Every registered pass, in passes.def order. */
size_t sj_num_passes(void);
const sj_pass_info *sj_pass_at(size_t i);

/* Parses `pipeline` against the registry and runs it (sj_run_passes). */
sj_status sj_run_pipeline(sj_module *m, const char *pipeline, const sj_pm_options *opt);
#endif
