/* IR dumps of a compile (XLA's --xla_dump_to, MLIR's print-ir-after-all,
 * into files or a callback), sj_function_ir and sj_function_dot. Stages
 * are numbered in pipeline order whether or not they are dumped, so a file
 * keeps its name when the selection changes: <func>.00.input.sj, then
 * <func>.<i+1>.<pass>.sj for pipeline entry i, <func>.<n+1>.final.sj and
 * <func>.<n+2>.llvm.ll. The library prints nothing: files are written only
 * into the directory the caller (or SYMJIT_DUMP) named. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "debug_internal.h"
#include "dot.h"
#include "registry.h"
#include "text.h"

static const char *const default_stages = "input,passes,final";

/* ---- options and the environment ---- */

static bool env_on(const char *name) {
  const char *v = getenv(name);
  return v && *v && strcmp(v, "0") != 0;
}

static bool is_pass_name(const char *s, size_t n) {
  for (size_t i = 0; i < sj_num_passes(); i++)
    if (strlen(sj_pass_at(i)->name) == n && !strncmp(sj_pass_at(i)->name, s, n)) return true;
  return false;
}

static bool token_is(const char *s, size_t n, const char *word) { return strlen(word) == n && !strncmp(s, word, n); }

/* Every name in the list must be a stage or a pass: a typo would otherwise
 * dump nothing, silently. */
static sj_status check_stages(sj_ctx *c, const char *list) {
  for (const char *p = list; *p;) {
    size_t n = strcspn(p, ",");
    bool ok = !n || token_is(p, n, "input") || token_is(p, n, "final") || token_is(p, n, "llvm") ||
              token_is(p, n, "passes") || token_is(p, n, "all") || is_pass_name(p, n);
    if (!ok)
      return sj_api_fail(c, NULL,
                         "dump stages: unknown stage '%.*s' (stages: input, final, llvm, passes, all, or a pass "
                         "name; see symjit-opt --list-passes)",
                         (int)n, p);
    p += n + (p[n] == ',');
  }
  return SJ_OK;
}

static bool wanted(const sj_dbg_compile *dc, const char *stage, bool is_pass) {
  for (const char *p = dc->stages; *p;) {
    size_t n = strcspn(p, ",");
    if (token_is(p, n, "all") || token_is(p, n, stage) || (is_pass && token_is(p, n, "passes"))) return true;
    p += n + (p[n] == ',');
  }
  return false;
}

sj_status sj_dbg_begin(sj_ctx *c, const sj_compile_options *o, const char *func, sj_dbg_compile *dc) {
  *dc = (sj_dbg_compile){.ctx = c, .func = func, .fn = o->dump, .ud = o->dump_ud};
  dc->dir = o->dump_dir ? o->dump_dir : getenv("SYMJIT_DUMP");
  if (dc->dir && !*dc->dir) dc->dir = NULL;
  dc->stages = o->dump_stages ? o->dump_stages : getenv("SYMJIT_DUMP_STAGES");
  if (!dc->stages || !*dc->stages) dc->stages = default_stages;
  dc->nan_guard = o->nan_guard || env_on("SYMJIT_NAN_GUARD");
  dc->profile = o->profile || env_on("SYMJIT_PROFILE");
  return check_stages(c, dc->stages);
}

void sj_dbg_end(sj_dbg_compile *dc) {
  free(dc->pipeline);
  dc->pipeline = NULL;
}

bool sj_dbg_dumping(const sj_dbg_compile *dc) { return dc->dir || dc->fn; }

/* ---- the NaN guard's pipeline ---- */

static bool fusion_pass(const char *s, size_t n) {
  size_t nn = strcspn(s, "{");
  if (nn > n) nn = n;
  return token_is(s, nn, "fuse-elementwise") || token_is(s, nn, "loop-fusion");
}

const char *sj_dbg_pipeline(sj_dbg_compile *dc, const char *pipeline) {
  if (!dc->nan_guard) return pipeline;
  size_t len = strlen(pipeline);
  dc->pipeline = malloc(len + 1);
  if (!dc->pipeline) return pipeline; /* fused: locations are coarser, still checked */
  size_t k = 0;
  for (const char *p = pipeline; *p;) {
    int depth = 0;
    size_t n = 0;
    for (; p[n] && (depth || p[n] != ','); n++) depth += p[n] == '{' ? 1 : p[n] == '}' ? -1 : 0;
    if (!fusion_pass(p, n)) {
      if (k) dc->pipeline[k++] = ',';
      memcpy(dc->pipeline + k, p, n);
      k += n;
    }
    p += n + (p[n] == ',');
  }
  dc->pipeline[k] = '\0';
  return dc->pipeline;
}

/* ---- writing a stage ---- */

/* The text of m, printed by fn, as a malloc'd string (NULL: out of memory). */
static char *print_to_string(void (*fn)(FILE *, const sj_module *, const char *), const sj_module *m,
                             const char *func, size_t *len) {
  char *text = NULL;
  size_t n = 0;
  FILE *fp = open_memstream(&text, &n);
  if (!fp) return NULL;
  fn(fp, m, func);
  if (fclose(fp)) {
    free(text);
    return NULL;
  }
  *len = n;
  return text;
}

static void print_ir(FILE *fp, const sj_module *m, const char *func) {
  (void)func;
  sj_print_module_locs(fp, m);
}

static void print_dot(FILE *fp, const sj_module *m, const char *func) { sj_print_dot(fp, m, func); }

static sj_status write_file(sj_dbg_compile *dc, unsigned seq, const char *stage, const char *ext, const char *text,
                            size_t len) {
  if (mkdir(dc->dir, 0777) && errno != EEXIST)
    return sj_api_fail(dc->ctx, NULL, "dump: cannot create directory '%s': %s", dc->dir, strerror(errno));
  size_t cap = strlen(dc->dir) + strlen(dc->func) + strlen(stage) + 32;
  char *path = malloc(cap);
  if (!path) return sj_api_nomem(dc->ctx, NULL, "dump: out of memory");
  snprintf(path, cap, "%s/%s.%02u.%s.%s", dc->dir, dc->func, seq, stage, ext);
  FILE *fp = fopen(path, "w");
  bool ok = fp && fwrite(text, 1, len, fp) == len;
  if (fp && fclose(fp)) ok = false;
  sj_status st = ok ? SJ_OK : sj_api_fail(dc->ctx, NULL, "dump: cannot write '%s': %s", path, strerror(errno));
  free(path);
  return st;
}

static sj_status emit(sj_dbg_compile *dc, unsigned seq, const char *stage, const char *ext, const char *text,
                      size_t len) {
  if (dc->fn) dc->fn(dc->ud, dc->func, stage, text, len);
  return dc->dir ? write_file(dc, seq, stage, ext, text, len) : SJ_OK;
}

typedef struct print_args {
  const sj_module *m;
  char *text;
  size_t len;
} print_args;

static sj_status print_unprotected(void *ud) {
  print_args *a = ud;
  a->text = print_to_string(print_ir, a->m, NULL, &a->len);
  return SJ_OK;
}

/* Dumps run inside the protected pipeline, but the printer's memory stream
 * must not be abandoned by an out-of-memory unwind: it prints unprotected
 * (a failed allocation then marks the text instead of unwinding). */
static sj_status dump(sj_dbg_compile *dc, const char *stage, bool is_pass, const sj_module *m) {
  unsigned seq = dc->seq++;
  if (!sj_dbg_dumping(dc) || !wanted(dc, stage, is_pass)) return SJ_OK;
  print_args pa = {m, NULL, 0};
  sj_ctx_unprotected(print_unprotected, &pa);
  size_t len = pa.len;
  char *text = pa.text;
  if (!text) return sj_api_nomem(dc->ctx, NULL, "dump: out of memory printing stage '%s'", stage);
  sj_status st = emit(dc, seq, stage, "sj", text, len);
  free(text);
  return st;
}

sj_status sj_dbg_dump_module(sj_dbg_compile *dc, const char *stage, const sj_module *m) {
  return dump(dc, stage, false, m);
}

sj_status sj_dbg_after_pass(void *ud, const char *pass, sj_module *m) { return dump(ud, pass, true, m); }

sj_status sj_dbg_dump_llvm(sj_dbg_compile *dc, sj_module *m, int opt_level) {
  unsigned seq = dc->seq++;
  if (!sj_dbg_dumping(dc) || !wanted(dc, "llvm", false)) return SJ_OK;
  sj_cg_options cg = {.opt_level = opt_level};
  char *ir = NULL;
  sj_status st = sj_emit_llvm_ir(m, &cg, &ir);
  if (!st) st = emit(dc, seq, "llvm", "ll", ir, strlen(ir));
  free(ir);
  return st;
}

/* ---- the state a function keeps ---- */

sj_status sj_dbg_attach(sj_function *f, const sj_dbg_compile *dc, const sj_module *src, int opt_level) {
  f->dbg = calloc(1, sizeof *f->dbg);
  if (!f->dbg) return sj_api_nomem(f->ctx, NULL, "out of memory compiling @%s", dc->func);
  *f->dbg = (struct sj_debug){.src = src, .opt_level = opt_level, .nan_guard = dc->nan_guard, .profile = dc->profile};
  if (dc->profile) {
    f->dbg->steps = calloc((size_t)f->nsteps + 1, sizeof *f->dbg->steps);
    f->dbg->live = calloc((size_t)f->nsteps + 2, sizeof *f->dbg->live);
    if (!f->dbg->steps || !f->dbg->live) return sj_api_nomem(f->ctx, NULL, "out of memory compiling @%s", dc->func);
  }
  f->dbg_steps = dc->nan_guard || dc->profile;
  return SJ_OK;
}

void sj_dbg_free(sj_function *f) {
  if (!f->dbg) return;
  free(f->dbg->steps);
  free(f->dbg->live);
  free(f->dbg);
  f->dbg = NULL;
}

/* ---- sj_function_ir, sj_function_dot ---- */

/* Copies text into buf as sj_ctx_errmsg_copy does. */
static void give(const char *text, size_t n, char *buf, size_t cap, size_t *len) {
  if (len) *len = n;
  if (!buf || !cap) return;
  size_t k = n < cap - 1 ? n : cap - 1;
  memcpy(buf, text, k);
  buf[k] = '\0';
}

static const sj_module *stage_module(const sj_function *f, const char *stage) {
  if (!strcmp(stage, "input")) return f->dbg ? f->dbg->src : NULL;
  if (!strcmp(stage, "final")) return f->mod;
  return NULL;
}

sj_status sj_function_ir(const sj_function *f, const char *stage, char *buf, size_t cap, size_t *len) {
  give("", 0, buf, cap, len);
  if (!f || !stage) return SJ_ERR_INVALID;
  char *text = NULL;
  size_t n = 0;
  if (!strcmp(stage, "llvm")) {
    sj_cg_options cg = {.opt_level = f->dbg ? f->dbg->opt_level : 3};
    sj_status st = sj_emit_llvm_ir(f->mod, &cg, &text);
    if (st) return st;
    n = strlen(text);
  } else {
    const sj_module *m = stage_module(f, stage);
    if (!m) return sj_api_fail(f->ctx, NULL, "sj_function_ir: unknown stage '%s' (input, final, llvm)", stage);
    text = print_to_string(print_ir, m, NULL, &n);
    if (!text) return sj_api_nomem(f->ctx, NULL, "sj_function_ir: out of memory");
  }
  give(text, n, buf, cap, len);
  free(text);
  return SJ_OK;
}

sj_status sj_function_dot(const sj_function *f, const char *stage, char *buf, size_t cap, size_t *len) {
  give("", 0, buf, cap, len);
  if (!f || !stage) return SJ_ERR_INVALID;
  const sj_module *m = stage_module(f, stage);
  if (!m) return sj_api_fail(f->ctx, NULL, "sj_function_dot: unknown stage '%s' (input, final)", stage);
  size_t n = 0;
  char *text = print_to_string(print_dot, m, sj_func_name(f->func), &n);
  if (!text) return sj_api_nomem(f->ctx, NULL, "sj_function_dot: out of memory");
  give(text, n, buf, cap, len);
  free(text);
  return SJ_OK;
}
