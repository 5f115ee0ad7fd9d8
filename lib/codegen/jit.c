/* ORC LLJIT for compiled kernels: one LLJIT per sj_jit, runtime entry
 * points registered as absolute symbols (rt_symbols.c), libm and
 * libmvec resolved from the process. Disposal order follows
 * notes/llvm-c.md section 1 (leak-free under LSan). */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Support.h>

#include "cache.h"
#include "cg_internal.h"

struct sj_jit {
  LLVMOrcLLJITRef j;
  bool from_cache; /* its objects came from the compile cache */
};

bool sj_jit_from_cache(const sj_jit *j) { return j && j->from_cache; }

static sj_status llvm_error(sj_ctx *c, LLVMErrorRef e, const char *what) {
  char *msg = LLVMGetErrorMessage(e);
  sj_loc none = {0};
  sj_emit_error(c, none, "codegen: %s: %s", what, msg);
  LLVMDisposeErrorMessage(msg);
  return SJ_ERR_UNSUPPORTED;
}

static LLVMErrorRef make_jit(LLVMOrcLLJITRef *out) {
  LLVMTargetMachineRef tm = sj_cg_host_tm(LLVMCodeGenLevelAggressive, NULL);
  if (!tm) return LLVMCreateStringError("cannot create a host target machine");
  LLVMOrcLLJITBuilderRef b = LLVMOrcCreateLLJITBuilder();
  LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(b, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(tm));
  LLVMErrorRef e = LLVMOrcCreateLLJIT(out, b); /* consumes b (and tm) */
  if (e) return e;
  /* libm and libmvec symbols come from the process; load libmvec first */
  LLVMLoadLibraryPermanently("libmvec.so.1");
  LLVMOrcDefinitionGeneratorRef g;
  e = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&g, LLVMOrcLLJITGetGlobalPrefix(*out), NULL, NULL);
  if (e) return e;
  LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(*out), g);
  return sj_cg_rt_define(*out);
}

void sj_jit_free(sj_jit *j) {
  if (!j) return;
  if (j->j) {
    LLVMErrorRef e = LLVMOrcDisposeLLJIT(j->j);
    if (e) LLVMConsumeError(e);
  }
  free(j);
}

/* Kernels compile on up to MAX_PARTS threads, each with its own LLVM context,
 * module and target machine, into object files the JIT then links (LLVM
 * contexts are single-threaded; notes/llvm-c.md: 50 kernels 190 -> 96 ms on
 * 2 threads). */
#define MAX_PARTS 2

typedef struct part {
  sj_op **ks;
  char (*syms)[SJ_KABI_SYM_CAP]; /* entry symbol of each of ks */
  size_t n;
  int opt_level;
  bool fast;
  sj_ctx *diag;
  LLVMMemoryBufferRef obj;
  sj_status st;
} part;

static void *compile_part(void *arg) {
  part *p = arg;
  LLVMContextRef L = LLVMContextCreate();
  LLVMModuleRef M;
  p->st = sj_cg_build_module(p->diag, p->ks, p->syms, p->n, p->opt_level, L, &M);
  if (!p->st) {
    LLVMTargetMachineRef tm = sj_cg_host_tm(p->fast ? LLVMCodeGenLevelNone : LLVMCodeGenLevelAggressive, NULL);
    char *err = NULL;
    if (!tm || LLVMTargetMachineEmitToMemoryBuffer(tm, M, LLVMObjectFile, &err, &p->obj)) {
      sj_loc none = {0};
      sj_emit_error(p->diag, none, "codegen: emitting machine code failed: %s", err ? err : "no target machine");
      p->st = SJ_ERR_UNSUPPORTED;
    }
    if (err) LLVMDisposeMessage(err);
    if (tm) LLVMDisposeTargetMachine(tm);
    LLVMDisposeModule(M);
  }
  LLVMContextDispose(L);
  return NULL;
}

static unsigned online_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (unsigned)n;
}

static sj_status lookup_all(sj_ctx *diag, sj_jit *jit, char (*syms)[SJ_KABI_SYM_CAP], size_t n, sj_kernel_fn *fns) {
  for (size_t i = 0; i < n; i++) {
    LLVMOrcExecutorAddress addr = 0;
    LLVMErrorRef e = LLVMOrcLLJITLookup(jit->j, &addr, syms[i]);
    if (e) return llvm_error(diag, e, "symbol lookup failed");
    fns[i] = (sj_kernel_fn)(uintptr_t)addr;
  }
  return SJ_OK;
}

/* Copies the object file of buffer b into keep (for the cache); keep is
 * emptied when memory runs out (then nothing is stored). */
static void keep_object(sj_cache_objs *keep, LLVMMemoryBufferRef b) {
  if (!keep || !keep->data) return;
  size_t len = LLVMGetBufferSize(b);
  unsigned char *copy = malloc(len ? len : 1);
  if (!copy) {
    sj_cache_objs_free(keep);
    return;
  }
  memcpy(copy, LLVMGetBufferStart(b), len);
  keep->data[keep->n] = copy, keep->len[keep->n++] = len;
}

/* Compiles the parts (one on this thread), then links their objects (a
 * copy of each goes into keep when it is not NULL). */
static sj_status compile_parts(sj_ctx *diag, part *parts, size_t np, sj_jit *jit, sj_cache_objs *keep) {
  pthread_t th[MAX_PARTS];
  bool started[MAX_PARTS] = {0};
  for (size_t i = 1; i < np; i++) started[i] = pthread_create(&th[i], NULL, compile_part, &parts[i]) == 0;
  compile_part(&parts[0]);
  for (size_t i = 1; i < np; i++) {
    if (started[i]) pthread_join(th[i], NULL);
    else compile_part(&parts[i]);
  }
  sj_status st = SJ_OK;
  for (size_t i = 0; i < np; i++) {
    if (parts[i].st && !st) {
      st = parts[i].st; /* the message was recorded in the part's context */
      const char *d = sj_ctx_diags(parts[i].diag);
      sj_loc none = {0};
      sj_emit_error(diag, none, "%.*s", (int)(strlen(d) && d[strlen(d) - 1] == '\n' ? strlen(d) - 1 : strlen(d)), d);
    }
    if (!parts[i].obj) continue;
    if (!st) keep_object(keep, parts[i].obj);
    LLVMErrorRef e = st ? NULL : LLVMOrcLLJITAddObjectFile(jit->j, LLVMOrcLLJITGetMainJITDylib(jit->j), parts[i].obj);
    if (st) LLVMDisposeMemoryBuffer(parts[i].obj);
    parts[i].obj = NULL;
    if (e) st = llvm_error(diag, e, "adding an object to the JIT failed");
  }
  return st;
}

static sj_status new_jit(sj_ctx *diag, sj_jit **out) {
  sj_loc none = {0};
  *out = calloc(1, sizeof **out);
  if (!*out) {
    sj_emit_error(diag, none, "codegen: out of memory");
    return SJ_ERR_NOMEM;
  }
  LLVMErrorRef e = make_jit(&(*out)->j);
  if (!e) return SJ_OK;
  sj_jit_free(*out);
  *out = NULL;
  return llvm_error(diag, e, "creating the JIT failed");
}

/* Links the objects of a cache entry into a new JIT and looks up the n
 * entry symbols. NULL, with nothing reported, when LLVM refuses them (the
 * caller then compiles as if there were no entry). */
static sj_jit *link_cached(sj_ctx *diag, const sj_cache_objs *objs, char (*syms)[SJ_KABI_SYM_CAP], size_t n,
                           sj_kernel_fn *fns) {
  sj_jit *jit = NULL;
  if (new_jit(diag, &jit)) return NULL;
  LLVMErrorRef e = NULL;
  for (size_t i = 0; i < objs->n && !e; i++) {
    LLVMMemoryBufferRef b = LLVMCreateMemoryBufferWithMemoryRangeCopy((const char *)objs->data[i], objs->len[i], "symjit-cache");
    e = LLVMOrcLLJITAddObjectFile(jit->j, LLVMOrcLLJITGetMainJITDylib(jit->j), b); /* takes b */
  }
  for (size_t i = 0; i < n && !e; i++) {
    LLVMOrcExecutorAddress addr = 0;
    e = LLVMOrcLLJITLookup(jit->j, &addr, syms[i]);
    fns[i] = (sj_kernel_fn)(uintptr_t)addr;
  }
  if (!e) {
    jit->from_cache = true;
    return jit;
  }
  LLVMConsumeError(e);
  sj_jit_free(jit);
  return NULL;
}

/* Kernels ks[0..n) into the parts (round robin keeps their sizes close),
 * compiled and linked into jit. */
static sj_status compile_all(sj_ctx *diag, sj_op *const *ks, char (*syms)[SJ_KABI_SYM_CAP], size_t n,
                             const sj_cg_options *o, sj_jit *jit, sj_cache_objs *keep) {
  size_t np = n < MAX_PARTS ? n : MAX_PARTS;
  if (online_cpus() < np) np = online_cpus();
  if (np == 0) np = 1;
  part parts[MAX_PARTS];
  memset(parts, 0, sizeof parts);
  sj_op **lists = calloc(n + 1, sizeof *lists);
  char (*psyms)[SJ_KABI_SYM_CAP] = calloc(n + 1, sizeof *psyms);
  if (!lists || !psyms) {
    free(lists), free(psyms);
    sj_loc none = {0};
    sj_emit_error(diag, none, "codegen: out of memory");
    return SJ_ERR_NOMEM;
  }
  size_t at = 0;
  for (size_t p = 0; p < np; p++) {
    parts[p] = (part){.ks = lists + at, .syms = psyms + at, .opt_level = o ? o->opt_level : 3, .fast = o && o->fast_codegen,
                      .diag = sj_ctx_new()};
    for (size_t i = p; i < n; i += np) {
      memcpy(psyms[at], syms[i], sizeof *syms);
      lists[at++] = ks[i], parts[p].n++;
    }
  }
  if (keep) {
    keep->data = calloc(np, sizeof *keep->data), keep->len = calloc(np, sizeof *keep->len);
    if (!keep->data || !keep->len) sj_cache_objs_free(keep);
  }
  sj_status st = compile_parts(diag, parts, np, jit, keep);
  for (size_t p = 0; p < np; p++) sj_ctx_free(parts[p].diag);
  free(lists);
  free(psyms);
  return st;
}

sj_status sj_jit_compile(sj_module *m, sj_op *const *ks, size_t n, const sj_cg_options *o,
                         sj_jit **out, sj_kernel_fn *fns) {
  *out = NULL;
  sj_ctx *diag = o && o->diag ? o->diag : m->ctx;
  char (*syms)[SJ_KABI_SYM_CAP] = calloc(n + 1, sizeof *syms);
  if (!syms) {
    sj_loc none = {0};
    sj_emit_error(diag, none, "codegen: out of memory");
    return SJ_ERR_NOMEM;
  }
  sj_cg_kernel_symbols(ks, n, syms);
  const sj_cg_cache *cache = o ? o->cache : NULL;
  unsigned char key[SJ_CACHE_KEY_BYTES];
  bool keyed = cache && cache->dir && sj_cache_key(ks, syms, n, o->opt_level, o->fast_codegen, key);
  sj_cache_objs objs = {0};
  if (keyed && sj_cache_load(cache->dir, key, &objs)) *out = link_cached(diag, &objs, syms, n, fns);
  sj_cache_objs_free(&objs);
  if (*out || (cache && o->cache_only)) {
    free(syms);
    return SJ_OK;
  }
  sj_jit *jit = NULL;
  sj_status st = new_jit(diag, &jit);
  if (!st) st = compile_all(diag, ks, syms, n, o, jit, keyed ? &objs : NULL);
  if (!st) st = lookup_all(diag, jit, syms, n, fns);
  free(syms);
  if (!st && keyed && objs.data) sj_cache_store(cache->dir, cache->max_bytes, key, &objs);
  sj_cache_objs_free(&objs);
  if (st) {
    sj_jit_free(jit);
    return st;
  }
  *out = jit;
  return SJ_OK;
}
