/* Unit tests of the generic pass runner (lib/ir/pass.h) without the
 * registry: two passes defined here, with statistics, an option and
 * remarks; pipeline parsing (options, errors), one report filled by two
 * runs, a failing pass named in the diagnostics, NULL-safe calls. Exit
 * status 0 only if every check passes; run under ASan/LSan in CI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pass.h"
#include "text.h"

#include "check.h"

/* "count": counts the module's top-level symbols `step` at a time. */
static const sj_pass_stat_info count_stats[] = {{"symbols", "symbols seen"}, {"calls", "times run"}};
static const sj_pass_opt_info count_opts[] = {{"step", "added per symbol", 1, 1, 10}};
static sj_status run_count(sj_module *m, sj_pass_run *run) {
  for (sj_op *f = m->body->first; f; f = f->next) {
    sj_pass_stat_add(run, 0, (uint64_t)sj_pass_opt(run, 0));
    sj_pass_remark(run, f->loc, "saw @%s", sj_func_name(f));
  }
  sj_pass_stat_add(run, 1, 1);
  sj_pass_stat_add(run, 7, 1); /* out of range: ignored */
  return SJ_OK;
}
static const sj_pass_info count_pass = {"count", "count symbols", run_count, count_stats, 2, count_opts, 1};

static sj_status run_fail(sj_module *m, sj_pass_run *run) {
  (void)m, (void)run;
  return SJ_ERR_PASS;
}
static const sj_pass_info fail_pass = {"fail", "always fails", run_fail, NULL, 0, NULL, 0};

static const sj_pass_info *const reg[] = {&count_pass, &fail_pass};

static sj_module *parse(sj_ctx *c) {
  const char *text = "func @f() -> () {\n  return\n}\nfunc @g() -> () {\n  return\n}\n";
  sj_module *m = NULL;
  CHECK(sj_parse_module(c, "t.sj", text, strlen(text), true, &m) == SJ_OK);
  return m;
}

static void test_parse_errors(sj_ctx *c) {
  sj_pipeline p;
  const char *bad[] = {"bogus", "count{step=11}", "count{step=x}", "count{stp=2}", "count{step}", "count{step=2"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    sj_ctx_clear_diags(c);
    CHECK(sj_pipeline_parse(c, reg, 2, bad[i], &p) != SJ_OK);
    CHECK(p.v == NULL && p.n == 0);
    CHECK(strstr(sj_ctx_diags(c), "error:") != NULL);
  }
  sj_ctx_clear_diags(c);
  CHECK(sj_pipeline_parse(c, reg, 2, "", &p) == SJ_OK && p.n == 0);
  sj_pipeline_free(&p);
  CHECK(sj_pipeline_parse(c, reg, 2, "count,,count{step=3 step=4}", &p) == SJ_OK);
  CHECK(p.n == 2 && p.v[0].opts[0] == 1 && p.v[1].opts[0] == 4);
  sj_pipeline_free(&p);
}

static void test_report(sj_ctx *c) {
  sj_module *m = parse(c);
  if (!m) return;
  sj_pipeline p;
  CHECK(sj_pipeline_parse(c, reg, 2, "count,count{step=5}", &p) == SJ_OK);
  sj_pm_report rep = {.want_remarks = true};
  sj_pm_options o = {.verify_each = true, .report = &rep};
  CHECK(sj_run_passes(m, &p, &o) == SJ_OK);
  CHECK(sj_run_passes(m, &p, &o) == SJ_OK); /* one report, two runs */
  CHECK(rep.nruns == 4 && !rep.oom);
  if (rep.nruns == 4) {
    CHECK(rep.runs[0].stats[0] == 2 && rep.runs[0].stats[1] == 1);
    CHECK(rep.runs[1].stats[0] == 10 && rep.runs[1].stats[1] == 1);
    CHECK(rep.runs[3].info == &count_pass && rep.runs[3].stats[0] == 10);
    CHECK(rep.runs[2].seconds >= 0);
  }
  CHECK(rep.nremarks == 8);
  if (rep.nremarks == 8) {
    CHECK(!strcmp(rep.remarks[1].msg, "saw @g") && !strcmp(rep.remarks[1].pass, "count"));
    CHECK(rep.remarks[1].loc.line == 4);
  }
  sj_pm_report_free(&rep);
  CHECK(rep.nruns == 0 && rep.runs == NULL && rep.want_remarks);
  sj_pipeline_free(&p);

  /* no report, remarks off: nothing recorded, nothing crashes */
  CHECK(sj_pipeline_parse(c, reg, 2, "count", &p) == SJ_OK);
  CHECK(sj_run_passes(m, &p, NULL) == SJ_OK);
  sj_pm_report quiet = {0};
  o.report = &quiet;
  CHECK(sj_run_passes(m, &p, &o) == SJ_OK && quiet.nremarks == 0 && quiet.nruns == 1);
  sj_pm_report_free(&quiet);
  sj_pipeline_free(&p);

  /* a failing pass is named; later passes do not run */
  sj_ctx_clear_diags(c);
  CHECK(sj_pipeline_parse(c, reg, 2, "fail,count", &p) == SJ_OK);
  sj_pm_report r2 = {0};
  o.report = &r2;
  CHECK(sj_run_passes(m, &p, &o) == SJ_ERR_PASS);
  CHECK(strstr(sj_ctx_diags(c), "pass 'fail' failed") != NULL);
  CHECK(r2.nruns == 1);
  sj_pm_report_free(&r2);
  sj_pipeline_free(&p);

  /* NULL runs: the calls a pass makes are safe without a runner */
  sj_pass_stat_add(NULL, 0, 1);
  sj_pass_remark(NULL, (sj_loc){0}, "x");
  CHECK(!sj_pass_remarks_on(NULL));
}

int main(void) {
  sj_ctx *c = sj_ctx_new();
  if (!c) return 1;
  test_parse_errors(c);
  test_report(c);
  sj_ctx_free(c);
  if (failures) fprintf(stderr, "pass_runner: %d failures\n", failures);
  return failures ? 1 : 0;
}
