/* Vectorizable transcendental functions. Each call is a scalar libm call
 * marked `memory(none)` (errno would otherwise block vectorization) that
 * carries a "vector-function-abi-variant" attribute naming glibc's libmvec
 * variants for the widths the host supports; the loop vectorizer then calls
 * e.g. _ZGVdN8v_expf on 8 lanes at a time. The vector declarations are kept
 * alive in llvm.compiler.used so GlobalDCE does not drop them before the
 * vectorizer runs (notes/llvm-c.md pitfalls 7 and 8). f16/bf16 compute in f32. */
#include <stdio.h>
#include <string.h>

#include "cg_internal.h"

typedef struct isa_variant {
  unsigned isa;
  char letter;
  int f32_lanes, f64_lanes;
} isa_variant;

static const isa_variant variants[] = {
    {SJ_ISA_B, 'b', 4, 2},
    {SJ_ISA_D, 'd', 8, 4},
    {SJ_ISA_E, 'e', 16, 8},
};

LLVMValueRef sj_cg_intrinsic(cg *g, const char *name, LLVMTypeRef ty, LLVMValueRef *args,
                             unsigned n) {
  unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
  LLVMValueRef f = LLVMGetIntrinsicDeclaration(g->M, id, &ty, 1);
  LLVMTypeRef fty = LLVMIntrinsicGetType(g->L, id, &ty, 1);
  return LLVMBuildCall2(g->B, fty, f, args, n, "");
}

static void add_fn_attr(cg *g, LLVMValueRef f, const char *kind, uint64_t val) {
  unsigned k = LLVMGetEnumAttributeKindForName(kind, strlen(kind));
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(g->L, k, val));
}

static LLVMValueRef declare(cg *g, const char *name, LLVMTypeRef ret, LLVMTypeRef arg,
                            unsigned nargs) {
  LLVMValueRef f = LLVMGetNamedFunction(g->M, name);
  if (f) return f;
  LLVMTypeRef params[2] = {arg, arg};
  f = LLVMAddFunction(g->M, name, LLVMFunctionType(ret, params, nargs, 0));
  add_fn_attr(g, f, "nounwind", 0);
  add_fn_attr(g, f, "willreturn", 0);
  add_fn_attr(g, f, "memory", 0); /* memory(none) */
  return f;
}

/* "_ZGV_LLVM_N8v_expf(_ZGVdN8v_expf),..." for every variant the host has;
 * declares each vector function. */
static void variant_attr(cg *g, const char *scalar, bool f64, unsigned nargs, char *buf,
                         size_t cap) {
  size_t k = 0;
  buf[0] = '\0';
  const char *vv = nargs == 2 ? "vv" : "v";
  for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
    const isa_variant *v = &variants[i];
    if (!(g->isa & v->isa)) continue;
    int lanes = f64 ? v->f64_lanes : v->f32_lanes;
    char vname[64];
    snprintf(vname, sizeof vname, "_ZGV%cN%d%s_%s", v->letter, lanes, vv, scalar);
    LLVMTypeRef et = f64 ? LLVMDoubleTypeInContext(g->L) : LLVMFloatTypeInContext(g->L);
    LLVMTypeRef vt = LLVMVectorType(et, (unsigned)lanes);
    if (!LLVMGetNamedFunction(g->M, vname)) sj_cg_keep_used(g, declare(g, vname, vt, vt, nargs));
    int w = snprintf(buf + k, cap - k, "%s_ZGV_LLVM_N%d%s_%s(%s)", k ? "," : "", lanes, vv,
                     scalar, vname);
    if (w > 0) k += (size_t)w;
  }
}

static LLVMValueRef call_math(cg *g, const char *fname, LLVMValueRef *args, unsigned nargs,
                              bool f64) {
  char scalar[32], attr[512];
  snprintf(scalar, sizeof scalar, "%s%s", fname, f64 ? "" : "f");
  LLVMTypeRef et = f64 ? LLVMDoubleTypeInContext(g->L) : LLVMFloatTypeInContext(g->L);
  LLVMValueRef f = declare(g, scalar, et, et, nargs);
  LLVMTypeRef params[2] = {et, et};
  LLVMValueRef call =
      LLVMBuildCall2(g->B, LLVMFunctionType(et, params, nargs, 0), f, args, nargs, "");
  variant_attr(g, scalar, f64, nargs, attr, sizeof attr);
  if (attr[0]) {
    LLVMAttributeRef a = LLVMCreateStringAttribute(g->L, "vector-function-abi-variant", 27,
                                                   attr, (unsigned)strlen(attr));
    LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, a);
  }
  return call;
}

/* Half-precision types compute in f32 and round back. */
static LLVMValueRef widen(cg *g, LLVMValueRef x, sj_dtype dt) {
  if (dt == SJ_F16 || dt == SJ_BF16) return LLVMBuildFPExt(g->B, x, LLVMFloatTypeInContext(g->L), "");
  return x;
}
static LLVMValueRef narrow(cg *g, LLVMValueRef x, sj_dtype dt) {
  if (dt == SJ_F16 || dt == SJ_BF16) return LLVMBuildFPTrunc(g->B, x, sj_cg_dtype(g, dt), "");
  return x;
}

LLVMValueRef sj_cg_math1(cg *g, const char *fname, LLVMValueRef x, sj_dtype dt) {
  LLVMValueRef a = widen(g, x, dt);
  return narrow(g, call_math(g, fname, &a, 1, dt == SJ_F64), dt);
}

LLVMValueRef sj_cg_math2(cg *g, const char *fname, LLVMValueRef x, LLVMValueRef y, sj_dtype dt) {
  LLVMValueRef a[2] = {widen(g, x, dt), widen(g, y, dt)};
  return narrow(g, call_math(g, fname, a, 2, dt == SJ_F64), dt);
}
