/* ORC LLJIT for compiled kernels: one LLJIT per sj_jit, runtime entry
 * points registered as absolute symbols (no -rdynamic needed), libm and
 * libmvec resolved from the process. Disposal order follows
 * notes/llvm-c.md section 1 (leak-free under LSan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Support.h>

#include "cg_internal.h"
#include "runtime.h"

struct sj_jit {
  LLVMOrcLLJITRef j;
};

/* The runtime functions JIT-compiled code may call (one row each). */
typedef struct rt_symbol {
  const char *name;
  void *addr;
} rt_symbol;

static sj_status llvm_error(sj_ctx *c, LLVMErrorRef e, const char *what) {
  char *msg = LLVMGetErrorMessage(e);
  sj_loc none = {0};
  sj_emit_error(c, none, "codegen: %s: %s", what, msg);
  LLVMDisposeErrorMessage(msg);
  return SJ_ERR_UNSUPPORTED;
}

static LLVMErrorRef define_runtime(LLVMOrcLLJITRef j) {
  const rt_symbol syms[] = {
      {"sj_rt_parallel_for", (void *)(uintptr_t)&sj_rt_parallel_for},
  };
  size_t n = sizeof syms / sizeof syms[0];
  LLVMOrcCSymbolMapPair pairs[sizeof syms / sizeof syms[0]];
  for (size_t i = 0; i < n; i++) {
    pairs[i].Name = LLVMOrcLLJITMangleAndIntern(j, syms[i].name);
    pairs[i].Sym.Address = (LLVMOrcExecutorAddress)(uintptr_t)syms[i].addr;
    pairs[i].Sym.Flags.GenericFlags = LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable;
    pairs[i].Sym.Flags.TargetFlags = 0;
  }
  LLVMOrcMaterializationUnitRef mu = LLVMOrcAbsoluteSymbols(pairs, n);
  return LLVMOrcJITDylibDefine(LLVMOrcLLJITGetMainJITDylib(j), mu);
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
  return define_runtime(*out);
}

void sj_jit_free(sj_jit *j) {
  if (!j) return;
  if (j->j) {
    LLVMErrorRef e = LLVMOrcDisposeLLJIT(j->j);
    if (e) LLVMConsumeError(e);
  }
  free(j);
}

static sj_status add_and_lookup(sj_module *m, sj_jit *jit, LLVMOrcThreadSafeModuleRef tsm,
                                sj_op *const *ks, size_t n, sj_kernel_fn *fns) {
  LLVMErrorRef e = LLVMOrcLLJITAddLLVMIRModule(jit->j, LLVMOrcLLJITGetMainJITDylib(jit->j), tsm);
  if (e) {
    LLVMOrcDisposeThreadSafeModule(tsm);
    return llvm_error(m->ctx, e, "adding the module to the JIT failed");
  }
  for (size_t i = 0; i < n; i++) {
    char name[256];
    snprintf(name, sizeof name, "sjk_%s", sj_func_name(ks[i]));
    LLVMOrcExecutorAddress addr = 0;
    e = LLVMOrcLLJITLookup(jit->j, &addr, name);
    if (e) return llvm_error(m->ctx, e, "symbol lookup failed");
    fns[i] = (sj_kernel_fn)(uintptr_t)addr;
  }
  return SJ_OK;
}

sj_status sj_jit_compile(sj_module *m, sj_op *const *ks, size_t n, const sj_cg_options *o,
                         sj_jit **out, sj_kernel_fn *fns) {
  *out = NULL;
  LLVMOrcThreadSafeContextRef tsc = LLVMOrcCreateNewThreadSafeContext();
  LLVMContextRef L = LLVMOrcThreadSafeContextGetContext(tsc);
  LLVMModuleRef M;
  sj_status st = sj_cg_build_module(m, ks, n, o ? o->opt_level : 3, L, &M);
  if (st) {
    LLVMOrcDisposeThreadSafeContext(tsc);
    return st;
  }
  LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(M, tsc);
  LLVMOrcDisposeThreadSafeContext(tsc); /* the module keeps it alive */
  sj_jit *jit = calloc(1, sizeof *jit);
  LLVMErrorRef e = make_jit(&jit->j);
  if (e) {
    LLVMOrcDisposeThreadSafeModule(tsm);
    sj_jit_free(jit);
    return llvm_error(m->ctx, e, "creating the JIT failed");
  }
  st = add_and_lookup(m, jit, tsm, ks, n, fns);
  if (st) {
    sj_jit_free(jit);
    return st;
  }
  *out = jit;
  return SJ_OK;
}
