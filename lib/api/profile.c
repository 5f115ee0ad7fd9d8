/* The per-kernel profile (Theano's ProfileMode): the time of each launch
 * and gemm step of every call, the bytes it moves, the gemm's flops, the
 * peak of live buffer memory, and the table sj_function_profile formats.
 * Also the hooks sj_api_run calls after each step when profiling or the NaN
 * guard is on. Times are wall clock around the step (a launch's thread pool
 * included); the bytes are each operand once, so GB/s is a lower bound of
 * the memory traffic (a kernel that re-reads an operand moves more). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "debug_internal.h"

double sj_dbg_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double slot_bytes(sj_function *f, int s) {
  double n = 1;
  for (int k = 0; k < f->slots[s].type.rank; k++) n *= (double)sj_api_dims(f, s)[k];
  return n * (double)sj_dtype_size(f->slots[s].type.dt);
}

/* 2*M*N*K, batches included: the result's elements times 2K. */
static double gemm_flops(sj_function *f, const step *s) {
  int a = s->args[0], c = s->args[2];
  const int64_t *da = sj_api_dims(f, a);
  int ra = f->slots[a].type.rank;
  double k = (double)(s->trans_a ? da[ra - 2] : da[ra - 1]);
  return 2 * k * slot_bytes(f, c) / (double)sj_dtype_size(f->slots[c].type.dt);
}

/* a scan is timed as a whole (its body's kernels are not listed) */
static bool timed(const step *s) {
  return s->kind == ST_LAUNCH || s->kind == ST_GEMM || s->kind == ST_SCAN || s->kind == ST_CONV;
}

sj_status sj_dbg_after_step(sj_function *f, int i, double t0) {
  const step *s = &f->steps[i];
  if (!timed(s)) return SJ_OK;
  struct sj_debug *d = f->dbg;
  if (d->profile) {
    sj_dbg_step *p = &d->steps[i];
    p->seconds += sj_dbg_now() - t0;
    p->calls++;
    for (unsigned a = 0; a < s->nargs; a++) p->bytes += slot_bytes(f, s->args[a]);
    if (s->kind == ST_GEMM) p->flops += gemm_flops(f, s);
    if (s->kind == ST_CONV) p->flops += sj_api_conv_flops(f, s);
  }
  return d->nan_guard && s->kind != ST_SCAN ? sj_dbg_guard_step(f, s) : SJ_OK;
}

/* Bytes of buffers (intermediates and results) live at once, at the step
 * where that is largest: a slot lives from its alloc to its last use (the
 * plan's lifetimes). live[] is a difference array: O(steps) per call. */
static size_t peak_live(sj_function *f) {
  double *live = f->dbg->live;
  memset(live, 0, ((size_t)f->nsteps + 2) * sizeof *live);
  for (int j = 0; j < f->nsteps; j++) {
    const step *s = &f->steps[j];
    int first, n = sj_api_allocated_slots(s, &first); /* a scan's results too */
    for (int r = first; r < first + n; r++) {
      int end = f->slots[r].last_use < f->nsteps ? f->slots[r].last_use : f->nsteps;
      double b = slot_bytes(f, r);
      live[j] += b;
      live[(end > j ? end : j) + 1] -= b;
    }
  }
  double cur = 0, peak = 0;
  for (int i = 0; i <= f->nsteps; i++) {
    cur += live[i];
    if (cur > peak) peak = cur;
  }
  return (size_t)peak;
}

/* Bytes the function holds between calls: its shared intermediate buffers
 * (each as large as the largest slot it has served). */
static size_t held_bytes(const sj_function *f) {
  size_t n = 0;
  for (int b = 0; b < f->nbufs; b++) n += f->bufcap[b];
  return n;
}

void sj_dbg_after_run(sj_function *f, double t0) {
  struct sj_debug *d = f->dbg;
  if (!d->profile) return;
  d->seconds += sj_dbg_now() - t0;
  d->calls++;
  size_t p = peak_live(f);
  if (p > d->peak_live) d->peak_live = p;
}

void sj_function_profile_reset(sj_function *f) {
  if (!f || !f->dbg || !f->dbg->profile) return;
  struct sj_debug *d = f->dbg;
  memset(d->steps, 0, (size_t)f->nsteps * sizeof *d->steps);
  d->calls = 0, d->seconds = 0, d->peak_live = 0;
}

/* ---- the table ---- */

typedef struct sbuf {
  char *buf;
  size_t cap, len;
} sbuf;

__attribute__((format(printf, 2, 3))) static void put(sbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  size_t room = b->len < b->cap ? b->cap - b->len : 0;
  int n = vsnprintf(room ? b->buf + b->len : NULL, room, fmt, ap);
  va_end(ap);
  if (n > 0) b->len += (size_t)n;
}

/* The lines of a launched kernel's ops in the launch's file: a fused
 * kernel computes several graph ops, and the launch carries one line. */
static void kernel_lines(sj_function *f, const step *s, int *lo, int *hi) {
  *lo = *hi = s->op->loc.line;
  sj_op *k = s->kind == ST_LAUNCH ? sj_module_lookup(f->mod, sj_op_sym(s->op, "kernel")) : NULL;
  if (!k) return;
  sj_op_vec ops = {0};
  sj_collect_ops(k->regions[0], &ops);
  for (size_t i = 0; i < ops.n; i++) {
    const sj_loc *l = &ops.v[i]->loc;
    if (l->file != s->op->loc.file || l->line <= 0) continue; /* interned: same file, same pointer */
    if (l->line < *lo) *lo = l->line;
    if (l->line > *hi) *hi = l->line;
  }
  sj_op_vec_free(&ops);
}

static void put_where(sbuf *b, sj_function *f, const step *s) {
  const sj_op *op = s->op;
  if (!op->loc.file) {
    put(b, "-");
    return;
  }
  const char *file = strrchr(op->loc.file, '/');
  int lo, hi;
  kernel_lines(f, s, &lo, &hi);
  put(b, "%s:%d", file ? file + 1 : op->loc.file, lo);
  if (hi > lo) put(b, "-%d", hi);
}

static void put_row(sbuf *b, sj_function *f, int i, double total) {
  const step *s = &f->steps[i];
  const sj_dbg_step *p = &f->dbg->steps[i];
  char kernel[80];
  if (s->kind == ST_LAUNCH) snprintf(kernel, sizeof kernel, "@%s", sj_op_sym(s->op, "kernel"));
  else if (s->kind == ST_SCAN) snprintf(kernel, sizeof kernel, "@%s", sj_op_sym(s->op, "body"));
  else if (s->kind == ST_CONV) snprintf(kernel, sizeof kernel, "(%s)", sj_op_attr(s->op, "mode")->u.s);
  else snprintf(kernel, sizeof kernel, "(BLAS)");
  double ms = p->seconds * 1e3, gbs = p->seconds > 0 ? p->bytes / p->seconds / 1e9 : 0;
  put(b, "%6d  %-6s  %-24s %8llu %10.3f %6.1f%% %10.3f %8.2f ", i, s->kind == ST_LAUNCH ? "launch" : s->kind == ST_SCAN ? "scan" : s->kind == ST_CONV ? "conv" : "gemm",
      kernel, (unsigned long long)p->calls, ms, total > 0 ? 100 * p->seconds / total : 0.0, p->bytes / 1e6, gbs);
  if (s->kind == ST_GEMM || s->kind == ST_CONV) put(b, "%8.2f  ", p->seconds > 0 ? p->flops / p->seconds / 1e9 : 0.0);
  else put(b, "%8s  ", "-");
  put_where(b, f, s);
  put(b, "\n");
}

size_t sj_function_profile(const sj_function *cf, char *buf, size_t cap) {
  sbuf b = {buf, buf ? cap : 0, 0};
  sj_function *f = (sj_function *)cf; /* read only: sj_api_dims is not const */
  if (!f || !f->dbg || !f->dbg->profile) {
    put(&b, "profiling is off: compile with sj_compile_options.profile = 1 (or SYMJIT_PROFILE=1)\n");
  } else {
    const struct sj_debug *d = f->dbg;
    double kt = 0;
    for (int i = 0; i < f->nsteps; i++) kt += d->steps[i].seconds;
    put(&b, "profile of @%s: %llu calls, %.3f ms in all, %.3f ms per call; kernels and gemm %.1f%%\n",
        sj_func_name(f->func), (unsigned long long)d->calls, d->seconds * 1e3,
        d->calls ? d->seconds * 1e3 / (double)d->calls : 0.0, d->seconds > 0 ? 100 * kt / d->seconds : 0.0);
    put(&b, "%6s  %-6s  %-24s %8s %10s %7s %10s %8s %8s  %s\n", "step", "kind", "kernel", "calls", "total ms",
        "share", "MB moved", "GB/s", "GFLOP/s", "where");
    for (int i = 0; i < f->nsteps; i++)
      if (timed(&f->steps[i])) put_row(&b, f, i, d->seconds);
    put(&b, "peak memory: %zu bytes of buffers live at once (intermediates and results, largest call)\n",
        d->peak_live);
    put(&b, "held between calls: %zu bytes of intermediate buffers (%d buffers)\n", held_bytes(f), f->nbufs);
  }
  if (b.cap) b.buf[b.len < b.cap ? b.len : b.cap - 1] = '\0';
  return b.len;
}
