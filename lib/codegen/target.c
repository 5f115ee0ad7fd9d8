/* The host target: LLVM initialization (once per process) and target
 * machines for the host CPU, name and features detected at run time. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Target.h>

#include "cg_internal.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_llvm(void) {
  LLVMInitializeNativeTarget();
  LLVMInitializeNativeAsmPrinter();
}

/* LLVM tunes every AVX-512 Intel core since Skylake-SP to prefer 256-bit
 * vectors ("prefer-256-bit"), because the first generations lowered their
 * clock for heavy 512-bit code. On later cores (Ice Lake, Rocket Lake,
 * Sapphire Rapids and on; AMD Zen 4 has no such penalty) the loops of
 * symjit's kernels run faster at 512 bits: fewer instructions per element,
 * and the inline exp (math_lib.c) is pure vector arithmetic (cache-resident
 * logsumexp 1.4x and log_softmax 1.15x faster than at 256 bits,
 * bench/RESULTS.md 2026-11-29). Only the cores with the clock penalty keep
 * LLVM's choice. */
static const char *const clock_penalty_512[] = {"skylake-avx512", "cascadelake", "cooperlake", "knl", "knm"};

static bool prefer_512(const char *cpu) {
  for (size_t i = 0; i < sizeof clock_penalty_512 / sizeof clock_penalty_512[0]; i++)
    if (!strcmp(cpu, clock_penalty_512[i])) return false;
  return true;
}

static unsigned isa_from_features(const char *cpu, const char *f) {
  unsigned isa = SJ_ISA_B; /* x86-64 libmvec 'b' variants dispatch at load time */
  if (strstr(f, "+avx2")) isa |= SJ_ISA_D;
  if (strstr(f, "+avx512f")) isa |= SJ_ISA_E | (prefer_512(cpu) ? SJ_ISA_PREFER_512 : 0);
  return isa;
}

LLVMTargetMachineRef sj_cg_host_tm(LLVMCodeGenOptLevel lvl, unsigned *isa) {
  pthread_once(&init_once, init_llvm);
  char *triple = LLVMGetDefaultTargetTriple();
  char *cpu = LLVMGetHostCPUName();
  char *feat = LLVMGetHostCPUFeatures();
  LLVMTargetRef t = NULL;
  char *err = NULL;
  LLVMTargetMachineRef tm = NULL;
  if (!LLVMGetTargetFromTriple(triple, &t, &err))
    tm = LLVMCreateTargetMachine(t, triple, cpu, feat, lvl, LLVMRelocDefault, LLVMCodeModelJITDefault);
  if (isa) *isa = isa_from_features(cpu, feat);
  if (err) LLVMDisposeMessage(err);
  LLVMDisposeMessage(triple);
  LLVMDisposeMessage(cpu);
  LLVMDisposeMessage(feat);
  return tm;
}

char *sj_host_cpu_desc(void) {
  pthread_once(&init_once, init_llvm);
  char *cpu = LLVMGetHostCPUName();
  char *feat = LLVMGetHostCPUFeatures();
  unsigned isa = isa_from_features(cpu, feat);
  size_t n = strlen(cpu) + 64;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s (%s)", cpu,
             isa & SJ_ISA_PREFER_512 ? "avx512, 512-bit vectors"
             : isa & SJ_ISA_E        ? "avx512, 256-bit vectors"
             : isa & SJ_ISA_D        ? "avx2"
                                     : "sse");
  LLVMDisposeMessage(cpu);
  LLVMDisposeMessage(feat);
  return s;
}

/* ---- the host target's hooks ---- */

/* A top-level `for`: one pass for a max then sum of exp, or a reduction in
 * chunks on the pool (parallel.c); false: a plain loop. */
static bool host_loop(cg *g, const sj_op *op) {
  return g->par_depth == 0 && (sj_cg_parallel_online(g, op) || sj_cg_parallel_reduce(g, op));
}

const sj_cg_target sj_cg_host_target = {
    .name = "host",
    .parallel_for = sj_cg_host_parallel_for,
    .loop = host_loop,
    .math1 = sj_cg_host_math1,
    .math2 = sj_cg_host_math2,
};

LLVMModuleRef sj_cg_module_for(LLVMContextRef L, const char *name, LLVMTargetMachineRef tm) {
  LLVMModuleRef m = LLVMModuleCreateWithNameInContext(name, L);
  char *triple = LLVMGetTargetMachineTriple(tm);
  LLVMTargetDataRef td = LLVMCreateTargetDataLayout(tm);
  char *layout = LLVMCopyStringRepOfTargetData(td);
  LLVMSetTarget(m, triple);
  LLVMSetDataLayout(m, layout);
  LLVMDisposeMessage(triple);
  LLVMDisposeMessage(layout);
  LLVMDisposeTargetData(td);
  return m;
}
