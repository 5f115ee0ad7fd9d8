/* The NVPTX module: target machine, kernels (nvptx.c), libdevice linked
 * lazily, PTX. LLVM's errors arrive through a diagnostic handler and become
 * symjit errors: without one, an unlowerable intrinsic exits the process
 * (notes/gpu.md). PTX keeps LLVM's minimum ISA version for the chosen
 * sm_XX (7.0 for sm_80), so older drivers load it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Target.h>

#include "conv.h"
#include "nvptx.h"

#define NVPTX_TRIPLE "nvptx64-nvidia-cuda"

static pthread_once_t nvptx_once = PTHREAD_ONCE_INIT;
static bool nvptx_ok;

/* Not through LLVMInitializeAllTargets: only NVPTX (libLLVM exports it,
 * notes/gpu.md; a build without it reports that instead). */
void LLVMInitializeNVPTXTargetInfo(void) __attribute__((weak));
void LLVMInitializeNVPTXTarget(void) __attribute__((weak));
void LLVMInitializeNVPTXTargetMC(void) __attribute__((weak));
void LLVMInitializeNVPTXAsmPrinter(void) __attribute__((weak));

static void init_nvptx(void) {
  if (!LLVMInitializeNVPTXTargetInfo || !LLVMInitializeNVPTXTarget || !LLVMInitializeNVPTXTargetMC ||
      !LLVMInitializeNVPTXAsmPrinter)
    return;
  LLVMInitializeNVPTXTargetInfo();
  LLVMInitializeNVPTXTarget();
  LLVMInitializeNVPTXTargetMC();
  LLVMInitializeNVPTXAsmPrinter();
  nvptx_ok = true;
}

static void gpu_error(sj_ctx *c, const char *fmt, const char *a, const char *b) {
  sj_loc none = {0};
  sj_emit_error(c, none, fmt, a, b);
}

/* "sm_NN" or "sm_NNa"; the list below then says which (LLVM only warns
 * about a CPU it does not know, to stderr). */
static bool arch_ok(const char *a) {
  if (strncmp(a, "sm_", 3) || !a[3] || !a[4]) return false;
  size_t i = 3;
  while (a[i] >= '0' && a[i] <= '9') i++;
  return i >= 5 && i <= 6 && (!a[i] || (a[i] == 'a' && !a[i + 1]));
}

/* Volta and newer: the block reductions use shfl.sync, which LLVM 19
 * selects only at PTX 6.0, its default from sm_70 (for sm_35..sm_62 it
 * aborts the process in instruction selection: "Cannot select"). */
static const char *const known_archs[] = {"sm_70", "sm_72", "sm_75", "sm_80", "sm_86",
                                          "sm_87", "sm_89", "sm_90", "sm_90a"};

/* false (and an error) when there is no NVPTX target or arch is unknown. */
static bool target_ok(sj_ctx *c, const char *arch) {
  pthread_once(&nvptx_once, init_nvptx);
  if (!nvptx_ok) {
    gpu_error(c, "codegen: this LLVM has no NVPTX target%s%s", "", "");
    return false;
  }
  bool known = false;
  for (size_t i = 0; i < sizeof known_archs / sizeof *known_archs; i++) known |= !strcmp(arch, known_archs[i]);
  if (!arch_ok(arch) || !known) {
    gpu_error(c, "codegen: unknown GPU architecture '%s' (sm_70 .. sm_90a)%s", arch, "");
    return false;
  }
  return true;
}

static LLVMTargetMachineRef nvptx_tm(sj_ctx *c, const char *arch) {
  if (!target_ok(c, arch)) return NULL;
  LLVMTargetRef t = NULL;
  char *err = NULL;
  if (LLVMGetTargetFromTriple(NVPTX_TRIPLE, &t, &err)) {
    gpu_error(c, "codegen: no NVPTX target: %s%s", err ? err : "", "");
    LLVMDisposeMessage(err);
    return NULL;
  }
  return LLVMCreateTargetMachine(t, NVPTX_TRIPLE, arch, "", LLVMCodeGenLevelAggressive, LLVMRelocDefault,
                                 LLVMCodeModelDefault);
}

/* ---- diagnostics ---- */

typedef struct diag_state {
  char msg[512];
  bool failed;
} diag_state;

/* Errors only: remarks and warnings also arrive here. */
static void on_diag(LLVMDiagnosticInfoRef di, void *arg) {
  diag_state *d = arg;
  if (LLVMGetDiagInfoSeverity(di) != LLVMDSError || d->failed) return;
  char *m = LLVMGetDiagInfoDescription(di);
  snprintf(d->msg, sizeof d->msg, "%s", m ? m : "unknown error");
  LLVMDisposeMessage(m);
  d->failed = true;
}

/* ---- symbols ---- */

static uint64_t fnv1a(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return h;
}

/* PTX identifiers are [A-Za-z0-9_$]: the CPU symbol with other characters
 * ('#' of a long name, '.' of its counter, anything a name may hold) as
 * '_', then a hash of the CPU symbol so that two names that differ only
 * there stay distinct. */
static void ptx_symbol(const char *cpu, char *out, size_t cap) {
  size_t n = 0;
  bool changed = false;
  for (const char *p = cpu; *p && n + 1 < cap; p++) {
    char ch = *p;
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
    out[n++] = ok ? ch : '_';
    changed |= !ok;
  }
  out[n] = '\0';
  if (changed && n + 18 < cap) snprintf(out + n, cap - n, "_%016llx", (unsigned long long)fnv1a(cpu));
}

/* A GEMM entry to emit (nvptx_gemm.c). */
typedef struct gemm_req {
  sj_dtype dt;
  bool ta, tb;
  char name[SJ_KABI_SYM_CAP];
  bool fused;      /* epi is this entry's fused epilogue */
  sj_gpu_epi epi;
  const char *why; /* its epilogue stays a launch of its own: why */
  bool note;       /* only that: the entry `name` is emitted for another gemm */
  const char *epi_name;
} gemm_req;

/* ---- libdevice ---- */

static const char *libdevice_path(const sj_gpu_options *o, char *buf, size_t cap) {
  if (o && o->libdevice) return o->libdevice;
  const char *home = getenv("CUDA_HOME");
  snprintf(buf, cap, "%s/nvvm/libdevice/libdevice.10.bc", home && *home ? home : "/usr/local/cuda");
  return buf;
}

static bool uses_libdevice(LLVMModuleRef M) {
  for (LLVMValueRef f = LLVMGetFirstFunction(M); f; f = LLVMGetNextFunction(f)) {
    size_t n;
    if (LLVMIsDeclaration(f) && !strncmp(LLVMGetValueName2(f, &n), "__nv_", 5)) return true;
  }
  return false;
}

/* Links only the libdevice functions M calls (notes/gpu.md: parse lazily,
 * make every function M does not declare linkonce_odr, link: the linker
 * materializes what is referenced), then sets nvvm-reflect-ftz. */
static sj_status link_libdevice(sj_ctx *c, LLVMContextRef L, LLVMModuleRef M, const sj_gpu_options *o) {
  char pbuf[512];
  const char *path = libdevice_path(o, pbuf, sizeof pbuf);
  LLVMMemoryBufferRef buf = NULL;
  char *err = NULL;
  if (LLVMCreateMemoryBufferWithContentsOfFile(path, &buf, &err)) {
    gpu_error(c, "codegen: cannot read libdevice '%s': %s (set CUDA_HOME)", path, err ? err : "");
    LLVMDisposeMessage(err);
    return SJ_ERR_UNSUPPORTED;
  }
  LLVMModuleRef lib = NULL;
  if (LLVMGetBitcodeModuleInContext2(L, buf, &lib)) { /* takes buf */
    gpu_error(c, "codegen: '%s' is not LLVM bitcode%s", path, "");
    return SJ_ERR_UNSUPPORTED;
  }
  LLVMSetTarget(lib, LLVMGetTarget(M));
  LLVMSetDataLayout(lib, LLVMGetDataLayoutStr(M));
  for (LLVMValueRef f = LLVMGetFirstFunction(lib); f; f = LLVMGetNextFunction(f)) {
    size_t n;
    const char *name = LLVMGetValueName2(f, &n);
    if (!LLVMIsDeclaration(f) && !LLVMGetNamedFunction(M, name)) LLVMSetLinkage(f, LLVMLinkOnceODRLinkage);
  }
  if (LLVMLinkModules2(M, lib)) { /* destroys lib */
    gpu_error(c, "codegen: linking libdevice '%s' failed%s", path, "");
    return SJ_ERR_UNSUPPORTED;
  }
  return SJ_OK;
}

/* Everything but the entries becomes internal: libdevice's functions are
 * then inlined and dropped (a surviving one can hold an intrinsic ptxas
 * rejects, notes/gpu.md). */
static void internalize(LLVMModuleRef M, const sj_gpu_kernel *info, size_t n, const gemm_req *gm, size_t ng) {
  for (LLVMValueRef f = LLVMGetFirstFunction(M); f; f = LLVMGetNextFunction(f)) {
    if (LLVMIsDeclaration(f)) continue;
    size_t len;
    const char *name = LLVMGetValueName2(f, &len);
    bool entry = false;
    for (size_t i = 0; i < n && !entry; i++) entry = !strcmp(name, info[i].name) || !strcmp(name, info[i].stage1);
    for (size_t i = 0; i < ng && !entry; i++) entry = !strcmp(name, gm[i].name);
    if (!entry) LLVMSetLinkage(f, LLVMInternalLinkage);
  }
  for (LLVMValueRef gv = LLVMGetFirstGlobal(M); gv; gv = LLVMGetNextGlobal(gv))
    if (!LLVMIsDeclaration(gv)) LLVMSetLinkage(gv, LLVMInternalLinkage);
}

/* ---- the module ---- */

static sj_status build(sj_ctx *c, sj_op *const *ks, size_t n, const gemm_req *gm, size_t ng, const sj_gpu_options *o,
                       LLVMContextRef L, LLVMTargetMachineRef tm, LLVMModuleRef *out, sj_gpu_kernel *info) {
  sj_gpu_state *state = calloc(1, sizeof *state);
  char (*syms)[SJ_KABI_SYM_CAP] = calloc(n + 1, sizeof *syms);
  if (!state || !syms) {
    free(state);
    free(syms);
    gpu_error(c, "codegen: out of memory%s%s", "", "");
    return SJ_ERR_NOMEM;
  }
  sj_cg_kernel_symbols(ks, n, syms);
  cg g = {.sc = c, .L = L, .tgt = &sj_cg_nvptx_target, .gpu = state};
  const char *arch = o && o->arch ? o->arch : "sm_80";
  state->sm = (unsigned)atoi(arch + 3); /* target_ok/nvptx_tm accepted it: sm_NN[a] */
  state->native_half = o && o->native_half;
  g.M = sj_cg_module_for(L, "symjit.gpu", tm);
  g.B = LLVMCreateBuilderInContext(L);
  for (size_t i = 0; i < n && !g.st; i++) {
    char sym[SJ_KABI_SYM_CAP];
    ptx_symbol(syms[i], sym, sizeof sym);
    sj_nvptx_emit_kernel(&g, ks[i], sym, &info[i]);
  }
  for (size_t i = 0; i < ng && !g.st; i++)
    if (!gm[i].note) sj_nvptx_emit_gemm(&g, gm[i].dt, gm[i].ta, gm[i].tb, gm[i].name, gm[i].fused ? &gm[i].epi : NULL);
  sj_cg_finish_used(&g);
  LLVMDisposeBuilder(g.B);
  sj_cg_free_values(&g);
  free(syms);
  free(state);
  char *msg = NULL;
  if (!g.st && LLVMVerifyModule(g.M, LLVMReturnStatusAction, &msg)) {
    gpu_error(c, "codegen: invalid LLVM IR for nvptx (internal error): %.400s%s", msg, "");
    g.st = SJ_ERR_UNSUPPORTED;
  }
  if (msg) LLVMDisposeMessage(msg);
  if (!g.st && uses_libdevice(g.M)) g.st = link_libdevice(c, L, g.M, o);
  if (!g.st) {
    LLVMValueRef ftz = LLVMConstInt(LLVMInt32TypeInContext(L), o && o->ftz ? 1 : 0, 0);
    LLVMAddModuleFlag(g.M, LLVMModuleFlagBehaviorOverride, "nvvm-reflect-ftz", 16, LLVMValueAsMetadata(ftz));
    internalize(g.M, info, n, gm, ng);
  }
  int lvl = o ? o->opt_level : 3;
  if (!g.st) g.st = sj_cg_optimize(&g, lvl > 0 ? lvl : 1, tm); /* >= 1: libdevice must be inlined and dropped */
  if (g.st) {
    LLVMDisposeModule(g.M);
    return g.st;
  }
  *out = g.M;
  return SJ_OK;
}

static char *dup_n(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) memcpy(d, s, n), d[n] = '\0';
  return d;
}

static sj_status compile(sj_ctx *c, sj_op *const *ks, size_t n, const gemm_req *gm, size_t ng, const sj_gpu_options *o,
                        char **ptx, char **llvm_ir, sj_gpu_kernel *info) {
  const char *arch = o && o->arch ? o->arch : "sm_80";
  if (ptx) *ptx = NULL;
  if (llvm_ir) *llvm_ir = NULL;
  LLVMTargetMachineRef tm = nvptx_tm(c, arch);
  if (!tm) return SJ_ERR_UNSUPPORTED;
  LLVMContextRef L = LLVMContextCreate();
  diag_state d = {0};
  LLVMContextSetDiagnosticHandler(L, on_diag, &d);
  LLVMModuleRef M = NULL;
  sj_status st = build(c, ks, n, gm, ng, o, L, tm, &M, info);
  if (st == SJ_OK && llvm_ir) {
    char *s = LLVMPrintModuleToString(M);
    *llvm_ir = dup_n(s, strlen(s));
    LLVMDisposeMessage(s);
    if (!*llvm_ir) st = SJ_ERR_NOMEM;
  }
  if (st == SJ_OK && ptx) {
    char *err = NULL;
    LLVMMemoryBufferRef buf = NULL;
    if (LLVMTargetMachineEmitToMemoryBuffer(tm, M, LLVMAssemblyFile, &err, &buf) || d.failed) {
      gpu_error(c, "codegen: PTX emission failed: %s%s", d.failed ? d.msg : err ? err : "unknown error", "");
      st = SJ_ERR_UNSUPPORTED;
    } else if (!(*ptx = dup_n(LLVMGetBufferStart(buf), LLVMGetBufferSize(buf)))) {
      st = SJ_ERR_NOMEM;
    }
    if (err) LLVMDisposeMessage(err);
    if (buf) LLVMDisposeMemoryBuffer(buf);
  }
  if (st == SJ_ERR_NOMEM) gpu_error(c, "codegen: out of memory%s%s", "", "");
  if (d.failed && st == SJ_OK) {
    gpu_error(c, "codegen: LLVM error for nvptx: %s%s", d.msg, "");
    st = SJ_ERR_UNSUPPORTED;
  }
  if (st != SJ_OK && ptx) free(*ptx), *ptx = NULL;
  if (st != SJ_OK && llvm_ir) free(*llvm_ir), *llvm_ir = NULL;
  if (M) LLVMDisposeModule(M);
  LLVMContextDispose(L);
  LLVMDisposeTargetMachine(tm);
  return st;
}

sj_status sj_gpu_compile(sj_module *m, sj_op *const *ks, size_t n, const sj_gpu_options *o, char **ptx, char **llvm_ir,
                         sj_gpu_kernel *info) {
  return compile(o && o->diag ? o->diag : m->ctx, ks, n, NULL, 0, o, ptx, llvm_ir, info);
}

sj_status sj_gpu_gemm(sj_ctx *c, const sj_gpu_options *o, sj_dtype dt, bool trans_a, bool trans_b, char *name,
                      char **ptx) {
  gemm_req r = {.dt = dt, .ta = trans_a, .tb = trans_b};
  if (!sj_gpu_gemm_name(dt, trans_a, trans_b, r.name)) {
    gpu_error(c, "not supported on nvptx: a gemm of %s (f16, bf16, f32 and f64 only)%s", sj_dtype_name(dt), "");
    return SJ_ERR_UNSUPPORTED;
  }
  snprintf(name, SJ_KABI_SYM_CAP, "%s", r.name);
  return ptx ? compile(c, NULL, 0, &r, 1, o, ptx, NULL, NULL) : SJ_OK;
}

/* The request for gemm op `op`: its dtype and transpositions; false (an
 * error at the op) for a dtype without an entry. */
static bool gemm_of(sj_ctx *c, const sj_op *op, const sj_op *f, gemm_req *r) {
  *r = (gemm_req){.dt = sj_opnd(op, 2)->type.dt, .ta = sj_op_bool(op, "trans_a", false), .tb = sj_op_bool(op, "trans_b", false)};
  if (sj_gpu_gemm_name(r->dt, r->ta, r->tb, r->name)) return true;
  if (f) sj_emit_error(c, op->loc, "not supported on nvptx: 'gemm' (matmul) of %s in @%s", sj_dtype_name(r->dt), sj_func_name(f));
  else sj_emit_error(c, op->loc, "not supported on nvptx: 'gemm' (matmul) of %s", sj_dtype_name(r->dt));
  return false;
}

sj_status sj_gpu_gemm_fused(sj_ctx *c, const sj_gpu_options *o, const sj_op *gemm, const sj_op *k, const char *name,
                            char **ptx) {
  gemm_req r;
  if (!gemm_of(c, gemm, NULL, &r)) return SJ_ERR_UNSUPPORTED;
  const char *why;
  if (!sj_nvptx_epi_analyze(gemm, k, &r.epi, &why)) {
    sj_emit_error(c, gemm->loc, "codegen: the epilogue @%s cannot be fused into the GEMM: %s", k ? sj_func_name(k) : "?", why);
    return SJ_ERR_UNSUPPORTED;
  }
  r.fused = true;
  snprintf(r.name, sizeof r.name, "%s", name);
  return compile(c, NULL, 0, &r, 1, o, ptx, NULL, NULL);
}

/* ---- whole modules (symjit-opt) ---- */

/* The GEMM entries the funcs' gemm ops need, each once; an error (at the
 * op) for a dtype without one. */
static sj_status collect_gemms(sj_module *m, sj_ctx *c, gemm_req **out, size_t *n) {
  *out = NULL, *n = 0;
  size_t cap = 0;
  for (sj_op *f = m->body->first; f; f = f->next) {
    if (f->code != SJ_OP_FUNC) continue;
    sj_op_vec ops = {0};
    sj_collect_ops(f->regions[0], &ops);
    sj_status st = ops.failed ? SJ_ERR_NOMEM : SJ_OK;
    for (size_t i = 0; i < ops.n && !st; i++) {
      const sj_op *op = ops.v[i];
      if (op->code == SJ_OP_CONV_GEMM) { /* a host runtime op (decision 0041) */
        st = sj_emit_error(c, op->loc, "%s (the GPU's default pipeline does)", SJ_CONV_GEMM_HOST_ONLY);
        break;
      }
      if (op->code != SJ_OP_GEMM) continue;
      gemm_req r;
      if (!gemm_of(c, op, f, &r)) {
        st = SJ_ERR_UNSUPPORTED;
        break;
      }
      const char *epi = sj_op_sym(op, "epilogue");
      if (epi) r.fused = sj_nvptx_epi_analyze(op, sj_module_lookup(m, epi), &r.epi, &r.why), r.epi_name = epi;
      if (r.fused) /* an entry of its own, named after the plain one */
        snprintf(r.name + strlen(r.name), sizeof r.name - strlen(r.name), "$e%zu", *n);
      for (size_t k = 0; k < *n && !r.fused && !r.note; k++) r.note = !(*out)[k].note && !strcmp((*out)[k].name, r.name);
      if (r.note && !epi) continue; /* emitted already, nothing to say */
      if (*n == cap) {
        gemm_req *g = realloc(*out, (cap = cap ? 2 * cap : 4) * sizeof *g);
        if (!g) st = SJ_ERR_NOMEM;
        else *out = g;
      }
      if (!st) (*out)[(*n)++] = r;
    }
    sj_op_vec_free(&ops);
    if (st == SJ_ERR_NOMEM) gpu_error(c, "codegen: out of memory%s%s", "", "");
    if (st) return st;
  }
  return SJ_OK;
}

static const char *const launch_names[] = {"grid-stride", "block-per-row", "one-block", "two-stage"};

/* One comment line per kernel: its launch (gpu_abi.h), for readers of the
 * PTX and for tests. */
static char *launch_comments(const sj_gpu_kernel *info, size_t n, const gemm_req *gm, size_t ng, const char *text) {
  size_t cap = strlen(text) + 1 + (n + ng) * (3 * SJ_KABI_SYM_CAP + 240);
  for (size_t i = 0; i < ng; i++) cap += gm[i].epi_name ? strlen(gm[i].epi_name) : 0;
  char *s = malloc(cap);
  if (!s) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    char trips[64];
    if (info[i].trip_scale < 0) snprintf(trips, sizeof trips, "unknown");
    else if (info[i].trip_param < 0) snprintf(trips, sizeof trips, "%lld", (long long)info[i].trip_scale);
    else snprintf(trips, sizeof trips, "dim(%d, %d)", info[i].trip_param, info[i].trip_axis);
    k += (size_t)snprintf(s + k, cap - k, "// kernel %s: %s, block %u, %s%s%s%s\n", info[i].name,
                          launch_names[info[i].kind], info[i].block, info[i].kind == SJ_GPU_ONE_BLOCK ? "grid 1" : "trips ",
                          info[i].kind == SJ_GPU_ONE_BLOCK ? "" : trips, info[i].stage1[0] ? ", stage 1 " : "",
                          info[i].stage1);
  }
  for (size_t i = 0; i < ng; i++) {
    if (!gm[i].note)
      k += (size_t)snprintf(s + k, cap - k, "// gemm %s: block %d, tile %d x %d%s", gm[i].name, SJ_GPU_GEMM_BLOCK,
                            SJ_GPU_GEMM_TILE, SJ_GPU_GEMM_TILE, gm[i].epi_name ? ", " : "\n");
    else k += (size_t)snprintf(s + k, cap - k, "// gemm %s again, ", gm[i].name);
    if (gm[i].fused) k += (size_t)snprintf(s + k, cap - k, "epilogue @%s fused\n", gm[i].epi_name);
    else if (gm[i].epi_name)
      k += (size_t)snprintf(s + k, cap - k, "epilogue @%s launched after it: %s\n", gm[i].epi_name, gm[i].why);
  }
  snprintf(s + k, cap - k, "%s", text);
  return s;
}

sj_status sj_gpu_emit_module(sj_module *m, const sj_gpu_options *o, bool want_ptx, char **out) {
  sj_ctx *c = o && o->diag ? o->diag : m->ctx;
  *out = NULL;
  if (!target_ok(c, o && o->arch ? o->arch : "sm_80")) return SJ_ERR_UNSUPPORTED;
  gemm_req *gm;
  size_t ng;
  sj_status st = collect_gemms(m, c, &gm, &ng);
  if (st) {
    free(gm);
    return st;
  }
  sj_op_vec ks = {0};
  for (sj_op *f = m->body->first; f; f = f->next)
    if (f->code == SJ_OP_KERNEL) sj_op_vec_push(&ks, f);
  sj_gpu_kernel *info = calloc(ks.n + 1, sizeof *info);
  if (!info || ks.failed) {
    free(info);
    free(gm);
    sj_op_vec_free(&ks);
    gpu_error(c, "codegen: out of memory%s%s", "", "");
    return SJ_ERR_NOMEM;
  }
  char *text = NULL;
  st = compile(c, ks.v, ks.n, gm, ng, o, want_ptx ? &text : NULL, want_ptx ? NULL : &text, info);
  if (st == SJ_OK && !(*out = launch_comments(info, ks.n, gm, ng, text))) {
    gpu_error(c, "codegen: out of memory%s%s", "", "");
    st = SJ_ERR_NOMEM;
  }
  free(text);
  free(info);
  free(gm);
  sj_op_vec_free(&ks);
  return st;
}
