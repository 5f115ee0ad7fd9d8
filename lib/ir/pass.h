/* The pass manager: named passes from passes/passes.def, run as a
 * comma-separated pipeline with verification and printing between passes. */
#ifndef SJ_PASS_H
#define SJ_PASS_H
#include <stdio.h>

#include "ir.h"

typedef sj_status (*sj_pass_fn)(sj_module *m);
typedef struct sj_pass_info {
  const char *name;
  const char *desc;
  sj_pass_fn run;
} sj_pass_info;

#define SJ_PASS(ID, NAME, DESC) sj_status sj_pass_##ID(sj_module *m);
#include "passes.def"
#undef SJ_PASS

/* The -O pipeline. */
extern const char *const sj_default_pipeline;

size_t sj_num_passes(void);
const sj_pass_info *sj_pass_at(size_t i);
const sj_pass_info *sj_pass_lookup(const char *name, size_t n);

typedef struct sj_pm_options {
  bool verify_each;     /* verify after each pass (default on) */
  FILE *print_after;    /* if set, print the module after each pass */
} sj_pm_options;

/* Runs `pipeline` ("a,b,c"; "" runs nothing). Unknown names, pass failures
 * and verifier failures are reported in the context's diagnostics. */
sj_status sj_run_pipeline(sj_module *m, const char *pipeline, const sj_pm_options *opt);
#endif
