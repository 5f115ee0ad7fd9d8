/* The host target: LLVM initialization (once per process) and target
 * machines for the host CPU, name and features detected at run time. */
#include <pthread.h>
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

static unsigned isa_from_features(const char *f) {
  unsigned isa = SJ_ISA_B; /* x86-64 libmvec 'b' variants dispatch at load time */
  if (strstr(f, "+avx2")) isa |= SJ_ISA_D;
  if (strstr(f, "+avx512f")) isa |= SJ_ISA_E;
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
  if (isa) *isa = isa_from_features(feat);
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
  unsigned isa = isa_from_features(feat);
  size_t n = strlen(cpu) + 64;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s (%s)", cpu, isa & SJ_ISA_E ? "avx512" : isa & SJ_ISA_D ? "avx2" : "sse");
  LLVMDisposeMessage(cpu);
  LLVMDisposeMessage(feat);
  return s;
}
