/* Everything generated from rt_symbols.def: the LLVM declarations kernels
 * call, the JIT's absolute-symbol map (no -rdynamic needed) and the check
 * that every row matches its C prototype. A new runtime entry point is a row
 * in rt_symbols.def, nothing here. */
#include <stdint.h>

#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>

#include "cg_internal.h"
#include "runtime.h"

/* ---- the C prototype check: a row that disagrees does not compile ---- */

#define SJ_RT_VOID void
#define SJ_RT_PTR void *
#define SJ_RT_I64 int64_t
#define SJ_RT_RANGE_FN sj_range_fn
#define SJ_RT_SYMBOL(NAME, RET, PARAMS)                                              \
  _Static_assert(__builtin_types_compatible_p(__typeof__(&NAME), RET(*) PARAMS), \
                 "rt_symbols.def: the row of " #NAME " does not match its prototype in runtime.h");
#include "rt_symbols.def"
#undef SJ_RT_SYMBOL
#undef SJ_RT_VOID
#undef SJ_RT_PTR
#undef SJ_RT_I64
#undef SJ_RT_RANGE_FN

/* ---- LLVM declarations ---- */

#define SJ_RT_UNPAREN(...) __VA_ARGS__

LLVMValueRef sj_cg_rt_decl(cg *g, sj_rt_id id) {
#define SJ_RT_VOID LLVMVoidTypeInContext(g->L)
#define SJ_RT_PTR sj_cg_ptr(g)
#define SJ_RT_I64 sj_cg_i64(g)
#define SJ_RT_RANGE_FN sj_cg_ptr(g)
  switch (id) {
#define SJ_RT_SYMBOL(NAME, RET, PARAMS)                                                          \
  case SJ_RT_ID_##NAME: {                                                                        \
    LLVMValueRef f = LLVMGetNamedFunction(g->M, #NAME);                                          \
    if (f) return f;                                                                             \
    LLVMTypeRef ps[] = {SJ_RT_UNPAREN PARAMS};                                                   \
    return LLVMAddFunction(g->M, #NAME, LLVMFunctionType(RET, ps, sizeof ps / sizeof ps[0], 0)); \
  }
#include "rt_symbols.def"
#undef SJ_RT_SYMBOL
  case SJ_RT_ID_COUNT: break;
  }
#undef SJ_RT_VOID
#undef SJ_RT_PTR
#undef SJ_RT_I64
#undef SJ_RT_RANGE_FN
  return NULL;
}

/* ---- the JIT's symbol map ---- */

LLVMErrorRef sj_cg_rt_define(LLVMOrcLLJITRef j) {
  static const struct {
    const char *name;
    void (*addr)(void);
  } syms[] = {
#define SJ_RT_SYMBOL(NAME, RET, PARAMS) {#NAME, (void (*)(void))&NAME},
#include "rt_symbols.def"
#undef SJ_RT_SYMBOL
  };
#define N (sizeof syms / sizeof syms[0])
  _Static_assert(N == (size_t)SJ_RT_ID_COUNT, "one map entry per row");
  LLVMOrcCSymbolMapPair pairs[N];
  for (size_t i = 0; i < N; i++) {
    pairs[i].Name = LLVMOrcLLJITMangleAndIntern(j, syms[i].name);
    pairs[i].Sym.Address = (LLVMOrcExecutorAddress)(uintptr_t)syms[i].addr;
    pairs[i].Sym.Flags.GenericFlags = LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable;
    pairs[i].Sym.Flags.TargetFlags = 0;
  }
  LLVMOrcMaterializationUnitRef mu = LLVMOrcAbsoluteSymbols(pairs, N);
  return LLVMOrcJITDylibDefine(LLVMOrcLLJITGetMainJITDylib(j), mu);
#undef N
}
