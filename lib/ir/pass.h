/* The generic pass runner: parses a pipeline against a caller-supplied list
 * of passes, runs it with verification, printing, timing, statistics and
 * remarks. It knows no pass: the registry (passes/registry.h, built from
 * passes/passes.def) lives above lib/ir, as LLVM's PassRegistry.def lives in
 * lib/Passes above the IR. Nothing here prints on its own; what a run
 * measured is left in an sj_pm_report for the caller to show. */
#ifndef SJ_PASS_H
#define SJ_PASS_H
#include <stdint.h>
#include <stdio.h>

#include "ir.h"

/* A named counter a pass declares (MLIR's Statistic). */
typedef struct sj_pass_stat_info {
  const char *name, *desc;
} sj_pass_stat_info;

/* An integer option, set in a pipeline as name{key=value key2=value2}. */
typedef struct sj_pass_opt_info {
  const char *name, *desc;
  int64_t def, min, max;
} sj_pass_opt_info;

/* One execution of a pass: its option values, its counters, where remarks
 * go. Passes read and write it only through the sj_pass_* calls below, which
 * all accept NULL (a pass called directly: defaults, nothing recorded). */
typedef struct sj_pass_run sj_pass_run;
typedef sj_status (*sj_pass_fn)(sj_module *m, sj_pass_run *run);

/* Options per pass entry: more would be a sign the pass does two jobs. */
#define SJ_PASS_MAX_OPTS 8

typedef struct sj_pass_info {
  const char *name, *desc;
  sj_pass_fn run;
  const sj_pass_stat_info *stats; /* nstats entries, in report order */
  unsigned nstats;
  const sj_pass_opt_info *opts;
  unsigned nopts;
} sj_pass_info;

/* Adds n to counter `stat` (an index into the pass's stats). */
void sj_pass_stat_add(sj_pass_run *run, unsigned stat, uint64_t n);
/* The value of option `opt` (an index into the pass's opts). */
int64_t sj_pass_opt(const sj_pass_run *run, unsigned opt);
/* True when the caller asked for remarks (symjit-opt --debug-fusion);
 * passes skip the work of naming reasons otherwise. */
bool sj_pass_remarks_on(const sj_pass_run *run);
/* Records a remark ("why not") at loc; no-op unless remarks are on. */
void sj_pass_remark(sj_pass_run *run, sj_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- pipelines ---- */

typedef struct sj_pass_entry {
  const sj_pass_info *info;
  int64_t opts[SJ_PASS_MAX_OPTS];
} sj_pass_entry;

typedef struct sj_pipeline {
  sj_pass_entry *v;
  size_t n;
} sj_pipeline;

/* Parses "a,b{k=v k2=v2},c" ("" is the empty pipeline) against the nreg
 * passes in reg. Errors (unknown pass or option, bad value) go to c's
 * diagnostics; nothing is run. On success free *out with sj_pipeline_free. */
sj_status sj_pipeline_parse(sj_ctx *c, const sj_pass_info *const *reg, size_t nreg, const char *text,
                            sj_pipeline *out);
void sj_pipeline_free(sj_pipeline *p);

/* ---- what a run measured ---- */

typedef struct sj_pm_record {
  const sj_pass_info *info; /* pipeline position i ran this pass */
  uint64_t *stats;          /* info->nstats counters */
  double seconds;           /* wall time of the pass alone (not the verifier) */
} sj_pm_record;

typedef struct sj_pm_remark {
  const char *pass; /* the pass's name */
  sj_loc loc;
  char *msg;
} sj_pm_remark;

typedef struct sj_pm_report {
  bool want_remarks;     /* set by the caller before the run */
  sj_pm_record *runs;    /* one per pipeline entry that ran, in order (a
                            report may collect several runs) */
  size_t nruns, runs_cap;
  sj_pm_remark *remarks; /* in the order the passes recorded them */
  size_t nremarks, cap;
  double verify_seconds; /* time spent in verify-each */
  bool oom;              /* some record or remark could not be kept */
} sj_pm_report;
void sj_pm_report_free(sj_pm_report *r);

typedef struct sj_pm_options {
  bool verify_each;      /* verify after each pass (default on) */
  FILE *print_after;     /* if set, print the module after each pass */
  sj_pm_report *report;  /* if set, filled with statistics, timings, remarks */
  /* if set, called after each pass (before verify-each, so a pass that
   * breaks the IR can be seen): the compile-time dumps of
   * sj_compile_options (lib/api/debug_dump.c). A non-OK status stops the
   * pipeline with that status (e.g. a dump file could not be written). */
  sj_status (*after_pass)(void *ud, const char *pass, sj_module *m);
  void *after_pass_ud;
} sj_pm_options;

/* Runs p. Pass failures and verifier failures are reported in the context's
 * diagnostics, naming the pass. */
sj_status sj_run_passes(sj_module *m, const sj_pipeline *p, const sj_pm_options *opt);
#endif
