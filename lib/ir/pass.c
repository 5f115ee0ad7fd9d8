/* Pass manager: parses a pipeline string, runs each pass, verifies after it. */
#include <string.h>

#include "pass.h"
#include "text.h"
#include "verify.h"

const char *const sj_default_pipeline =
    "canonicalize,cse,constant-fold,canonicalize,dce,fuse-elementwise,lower-to-loops,"
    "loop-fusion,cse,dce";

static const sj_pass_info passes[] = {
#define SJ_PASS(ID, NAME, DESC) {NAME, DESC, sj_pass_##ID},
#include "passes.def"
#undef SJ_PASS
};

size_t sj_num_passes(void) { return sizeof passes / sizeof passes[0]; }
const sj_pass_info *sj_pass_at(size_t i) { return i < sj_num_passes() ? &passes[i] : NULL; }

const sj_pass_info *sj_pass_lookup(const char *name, size_t n) {
  for (size_t i = 0; i < sj_num_passes(); i++)
    if (strlen(passes[i].name) == n && strncmp(passes[i].name, name, n) == 0) return &passes[i];
  return NULL;
}

typedef struct pipeline_args {
  sj_module *m;
  const char *pipeline;
  const sj_pm_options *opt;
} pipeline_args;

static sj_status run_pipeline(sj_module *m, const char *pipeline, const sj_pm_options *opt);
static sj_status run_protected(void *ud) {
  pipeline_args *a = ud;
  return run_pipeline(a->m, a->pipeline, a->opt);
}

/* Protected (ir.h): passes allocate without checks; out of memory unwinds
 * here and gives SJ_ERR_NOMEM (the module is then half-transformed). */
sj_status sj_run_pipeline(sj_module *m, const char *pipeline, const sj_pm_options *opt) {
  pipeline_args a = {m, pipeline, opt};
  return sj_ctx_protect(m->ctx, run_protected, &a);
}

static sj_status run_pipeline(sj_module *m, const char *pipeline, const sj_pm_options *opt) {
  sj_loc none = {0};
  const char *p = pipeline;
  /* check every name before running anything */
  while (*p) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n && !sj_pass_lookup(p, n)) {
      sj_emit_error(m->ctx, none, "unknown pass '%.*s' (see --list-passes)", (int)n, p);
      return SJ_ERR_INVALID;
    }
    p += n + (e ? 1 : 0);
  }
  for (p = pipeline; *p;) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    const sj_pass_info *pi = n ? sj_pass_lookup(p, n) : NULL;
    p += n + (e ? 1 : 0);
    if (!pi) continue;
    if (pi->run(m)) {
      sj_emit_error(m->ctx, none, "pass '%s' failed", pi->name);
      return SJ_ERR_PASS;
    }
    if (opt && opt->print_after) {
      fprintf(opt->print_after, "// -----// IR Dump After %s //----- //\n", pi->name);
      sj_print_module(opt->print_after, m);
    }
    if ((!opt || opt->verify_each) && sj_verify_module(m)) {
      sj_emit_error(m->ctx, none, "module does not verify after pass '%s'", pi->name);
      return SJ_ERR_VERIFY;
    }
  }
  return SJ_OK;
}
