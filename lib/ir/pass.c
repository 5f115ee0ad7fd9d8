/* The generic pass runner: pipeline parsing against a given pass list,
 * running with verify-each and print-after-all, and recording statistics,
 * wall times and remarks in an sj_pm_report. Knows no pass by name (the
 * registry is passes/registry.c) and prints nothing unless asked to print
 * the module after each pass; an after_pass hook sees the module after each
 * pass (the compile-time IR dumps). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pass.h"
#include "text.h"
#include "verify.h"

struct sj_pass_run {
  const sj_pass_entry *entry;
  uint64_t *stats;
  sj_pm_report *report; /* NULL: no remarks */
};

void sj_pass_stat_add(sj_pass_run *run, unsigned stat, uint64_t n) {
  if (run && run->stats && stat < run->entry->info->nstats) run->stats[stat] += n;
}

int64_t sj_pass_opt(const sj_pass_run *run, unsigned opt) {
  if (!run) return 0;
  return opt < run->entry->info->nopts ? run->entry->opts[opt] : 0;
}

bool sj_pass_remarks_on(const sj_pass_run *run) { return run && run->report && run->report->want_remarks; }

void sj_pass_remark(sj_pass_run *run, sj_loc loc, const char *fmt, ...) {
  if (!sj_pass_remarks_on(run)) return;
  sj_pm_report *r = run->report;
  if (r->nremarks == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 16;
    sj_pm_remark *nv = realloc(r->remarks, cap * sizeof *nv);
    if (!nv) {
      r->oom = true;
      return;
    }
    r->remarks = nv;
    r->cap = cap;
  }
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
  if (msg) vsnprintf(msg, (size_t)len + 1, fmt, ap2);
  va_end(ap2);
  if (!msg) {
    r->oom = true;
    return;
  }
  r->remarks[r->nremarks++] = (sj_pm_remark){run->entry->info->name, loc, msg};
}

void sj_pm_report_free(sj_pm_report *r) {
  if (!r) return;
  for (size_t i = 0; i < r->nruns; i++) free(r->runs[i].stats);
  for (size_t i = 0; i < r->nremarks; i++) free(r->remarks[i].msg);
  free(r->runs);
  free(r->remarks);
  *r = (sj_pm_report){.want_remarks = r->want_remarks};
}

/* ---- pipeline text ---- */

static const sj_pass_info *lookup(const sj_pass_info *const *reg, size_t nreg, const char *name, size_t n) {
  for (size_t i = 0; i < nreg; i++)
    if (strlen(reg[i]->name) == n && strncmp(reg[i]->name, name, n) == 0) return reg[i];
  return NULL;
}

/* One `key=value` of an option list; value is a decimal integer or
 * true/false. */
static sj_status parse_opt(sj_ctx *c, sj_pass_entry *e, const char *s, size_t n) {
  sj_loc none = {0};
  const sj_pass_info *pi = e->info;
  const char *eq = memchr(s, '=', n);
  if (!eq) return sj_emit_error(c, none, "pass '%s': option '%.*s' needs '=value'", pi->name, (int)n, s);
  size_t kn = (size_t)(eq - s), vn = n - kn - 1;
  const char *v = eq + 1;
  unsigned k = 0;
  while (k < pi->nopts && (strlen(pi->opts[k].name) != kn || strncmp(pi->opts[k].name, s, kn))) k++;
  if (k == pi->nopts)
    return sj_emit_error(c, none, "pass '%s' has no option '%.*s' (see --list-passes)", pi->name, (int)kn, s);
  int64_t val;
  char buf[32];
  if (vn == 4 && !strncmp(v, "true", 4)) val = 1;
  else if (vn == 5 && !strncmp(v, "false", 5)) val = 0;
  else {
    char *end;
    if (!vn || vn >= sizeof buf) goto bad;
    memcpy(buf, v, vn);
    buf[vn] = 0;
    errno = 0;
    long long x = strtoll(buf, &end, 10);
    if (*end || errno) goto bad;
    val = x;
  }
  if (val < pi->opts[k].min || val > pi->opts[k].max)
    return sj_emit_error(c, none, "pass '%s': option '%s' = %lld is out of range [%lld, %lld]", pi->name,
                         pi->opts[k].name, (long long)val, (long long)pi->opts[k].min, (long long)pi->opts[k].max);
  e->opts[k] = val;
  return SJ_OK;
bad:
  return sj_emit_error(c, none, "pass '%s': option '%s' needs an integer, got '%.*s'", pi->name, pi->opts[k].name,
                       (int)vn, v);
}

/* "name" or "name{k=v k=v}" (n bytes at s) into e. */
static sj_status parse_entry(sj_ctx *c, const sj_pass_info *const *reg, size_t nreg, const char *s, size_t n,
                             sj_pass_entry *e) {
  sj_loc none = {0};
  const char *brace = memchr(s, '{', n);
  size_t nn = brace ? (size_t)(brace - s) : n;
  e->info = lookup(reg, nreg, s, nn);
  if (!e->info) return sj_emit_error(c, none, "unknown pass '%.*s' (see --list-passes)", (int)nn, s);
  for (unsigned k = 0; k < e->info->nopts && k < SJ_PASS_MAX_OPTS; k++) e->opts[k] = e->info->opts[k].def;
  if (!brace) return SJ_OK;
  if (s[n - 1] != '}')
    return sj_emit_error(c, none, "pass '%s': option list does not end with '}'", e->info->name);
  const char *p = brace + 1, *end = s + n - 1;
  while (p < end) {
    while (p < end && isspace((unsigned char)*p)) p++;
    const char *q = p;
    while (q < end && !isspace((unsigned char)*q)) q++;
    if (q > p && parse_opt(c, e, p, (size_t)(q - p))) return SJ_ERR_INVALID;
    p = q;
  }
  return SJ_OK;
}

/* Length of the next entry: up to a ',' outside braces. */
static size_t entry_len(const char *p) {
  int depth = 0;
  size_t n = 0;
  for (; p[n] && (depth || p[n] != ','); n++) depth += p[n] == '{' ? 1 : p[n] == '}' ? -1 : 0;
  return n;
}

sj_status sj_pipeline_parse(sj_ctx *c, const sj_pass_info *const *reg, size_t nreg, const char *text,
                            sj_pipeline *out) {
  *out = (sj_pipeline){0};
  size_t cap = 1;
  for (const char *p = text; *p; p++) cap += *p == ',';
  out->v = calloc(cap, sizeof *out->v);
  if (!out->v) return sj_emit_error(c, (sj_loc){0}, "out of memory parsing the pipeline"), SJ_ERR_NOMEM;
  for (const char *p = text; *p;) {
    size_t n = entry_len(p);
    if (n && parse_entry(c, reg, nreg, p, n, &out->v[out->n++])) {
      sj_pipeline_free(out);
      return SJ_ERR_INVALID;
    }
    p += n + (p[n] == ',');
  }
  return SJ_OK;
}

void sj_pipeline_free(sj_pipeline *p) {
  free(p->v);
  *p = (sj_pipeline){0};
}

/* ---- running ---- */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A record for the next pass of the report; NULL (and r->oom) if memory
 * runs out: the pass still runs, uncounted. */
static sj_pm_record *new_record(sj_pm_report *r, const sj_pass_info *pi, size_t hint) {
  if (r->nruns == r->runs_cap) {
    size_t cap = r->runs_cap + (hint ? hint : 1);
    sj_pm_record *nv = realloc(r->runs, cap * sizeof *nv);
    if (!nv) return r->oom = true, NULL;
    r->runs = nv, r->runs_cap = cap;
  }
  uint64_t *stats = calloc(pi->nstats ? pi->nstats : 1, sizeof *stats);
  if (!stats) return r->oom = true, NULL;
  r->runs[r->nruns] = (sj_pm_record){pi, stats, 0};
  return &r->runs[r->nruns++];
}

static sj_status run_one(sj_module *m, const sj_pass_entry *e, const sj_pm_options *opt, size_t npasses) {
  sj_pm_report *rep = opt ? opt->report : NULL;
  sj_pm_record *rec = rep ? new_record(rep, e->info, npasses) : NULL;
  sj_pass_run run = {e, rec ? rec->stats : NULL, rep};
  double t0 = now();
  sj_status st = e->info->run(m, &run);
  if (rec) rec->seconds = now() - t0;
  if (st) {
    sj_emit_error(m->ctx, (sj_loc){0}, "pass '%s' failed", e->info->name);
    return SJ_ERR_PASS;
  }
  if (opt && opt->print_after) {
    fprintf(opt->print_after, "// -----// IR Dump After %s //----- //\n", e->info->name);
    sj_print_module(opt->print_after, m);
  }
  if (opt && opt->after_pass) {
    st = opt->after_pass(opt->after_pass_ud, e->info->name, m);
    if (st) return st;
  }
  if (!opt || opt->verify_each) {
    double t1 = now();
    st = sj_verify_module(m);
    if (rep) rep->verify_seconds += now() - t1;
    if (st) {
      sj_emit_error(m->ctx, (sj_loc){0}, "module does not verify after pass '%s'", e->info->name);
      return SJ_ERR_VERIFY;
    }
  }
  return SJ_OK;
}

sj_status sj_run_passes(sj_module *m, const sj_pipeline *p, const sj_pm_options *opt) {
  for (size_t i = 0; i < p->n; i++) {
    sj_status st = run_one(m, &p->v[i], opt, p->n);
    if (st) return st;
  }
  return SJ_OK;
}
