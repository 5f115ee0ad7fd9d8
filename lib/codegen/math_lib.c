/* Vectorizable transcendental functions. Each call is a scalar libm call
 * marked `memory(none)` (errno would otherwise block vectorization) that
 * carries a "vector-function-abi-variant" attribute naming glibc's libmvec
 * variants for the widths the host supports; the loop vectorizer then calls
 * e.g. _ZGVdN8v_expf on 8 lanes at a time. The vector declarations are kept
 * alive in llvm.compiler.used so GlobalDCE does not drop them before the
 * vectorizer runs (notes/llvm-c.md pitfalls 7 and 8). f16/bf16 compute in f32. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <llvm-c/DebugInfo.h>

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

/* ---- f32 exp as inline IR ----
 * libmvec's _ZGVdN8v_expf is a call: under the vector ABI every vector
 * register is caller-saved, so a reduction loop spills its accumulators
 * around each call, the vectorizer cannot interleave independent exps, and
 * the loop's scalar remainder calls scalar expf (8 calls per 1000-element
 * row of log_softmax). Inline arithmetic has none of these costs and
 * vectorizes at any width. The algorithm is SLEEF's xexpf_u10 (max error
 * 1 ulp): q = rint(x / ln 2) by the 1.5*2^23 rounding trick (no fptosi, so
 * no poison on NaN or huge x), a two-constant Cody-Waite reduction
 * s = x - q ln 2, a degree-6 polynomial, and the scale 2^q applied as two
 * factors 2^(q>>1) * 2^(q - (q>>1)) so subnormal results round once.
 * x > 100 gives inf and x < -104 gives 0 by selects (exp overflows past
 * 88.72 through the scaling anyway); NaN propagates through the arithmetic
 * (both comparisons are false for it). docs/numerics.md has the measured
 * error (bench/math_accuracy). */
static LLVMValueRef fmla(cg *g, LLVMValueRef a, LLVMValueRef b, LLVMValueRef c) {
  LLVMValueRef args[3] = {a, b, c};
  return sj_cg_intrinsic(g, "llvm.fmuladd", LLVMTypeOf(a), args, 3);
}

static LLVMValueRef pow2i(cg *g, LLVMValueRef q) {
  LLVMTypeRef i32 = LLVMInt32TypeInContext(g->L);
  LLVMValueRef e = LLVMBuildShl(g->B, LLVMBuildAdd(g->B, q, LLVMConstInt(i32, 127, 0), ""),
                                LLVMConstInt(i32, 23, 0), "");
  return LLVMBuildBitCast(g->B, e, LLVMFloatTypeInContext(g->L), "");
}

static LLVMValueRef exp_f32(cg *g, LLVMValueRef x) {
  LLVMBuilderRef B = g->B;
  LLVMTypeRef f = LLVMFloatTypeInContext(g->L), i32 = LLVMInt32TypeInContext(g->L);
  static const double poly[] = {0.000198527617612853646278381, 0.00139304355252534151077271,
                                0.00833336077630519866943359, 0.0416664853692054748535156,
                                0.166666671633720397949219, 0.5};
  LLVMValueRef magic = LLVMConstReal(f, 12582912.0); /* 1.5 * 2^23 */
  LLVMValueRef kf = LLVMBuildFAdd(B, LLVMBuildFMul(B, x, LLVMConstReal(f, 1.442695040888963407359924681), ""),
                                  magic, "");
  LLVMValueRef q = LLVMBuildFSub(B, kf, magic, "");
  LLVMValueRef qi = LLVMBuildSub(B, LLVMBuildBitCast(B, kf, i32, ""), LLVMConstInt(i32, 0x4B400000, 0), "");
  LLVMValueRef s = fmla(g, q, LLVMConstReal(f, -0.693145751953125), x);
  s = fmla(g, q, LLVMConstReal(f, -1.428606765330187045e-06), s);
  LLVMValueRef u = LLVMConstReal(f, poly[0]);
  for (size_t i = 1; i < sizeof poly / sizeof poly[0]; i++) u = fmla(g, u, s, LLVMConstReal(f, poly[i]));
  u = fmla(g, LLVMBuildFMul(B, s, s, ""), u, s);
  u = LLVMBuildFAdd(B, u, LLVMConstReal(f, 1.0), "");
  LLVMValueRef q1 = LLVMBuildAShr(B, qi, LLVMConstInt(i32, 1, 0), "");
  LLVMValueRef q2 = LLVMBuildSub(B, qi, q1, "");
  u = LLVMBuildFMul(B, LLVMBuildFMul(B, u, pow2i(g, q1), ""), pow2i(g, q2), "");
  LLVMValueRef hi = LLVMBuildFCmp(B, LLVMRealOGT, x, LLVMConstReal(f, 100.0), "");
  LLVMValueRef lo = LLVMBuildFCmp(B, LLVMRealOLT, x, LLVMConstReal(f, -104.0), "");
  u = LLVMBuildSelect(B, hi, LLVMConstReal(f, INFINITY), u, "");
  return LLVMBuildSelect(B, lo, LLVMConstReal(f, 0.0), u, "");
}

/* An elementwise loop (no carried values) with an inline exp gets
 * llvm.loop.vectorize.predicate.enable: the vectorizer folds the remainder
 * into the vector loop under a mask (cheap with AVX-512 masks) instead of
 * emitting an 8-lane vector epilogue and a scalar loop, each with its own
 * copy of every exp. Those copies were most of the compile time of an
 * exp-heavy kernel: the 20-op benchmark's optimize+codegen takes 0.73x the
 * CPU time (bench/RESULTS.md). Such loops are not interleaved either way
 * (IC 1), and each element is computed by the same lane-wise arithmetic,
 * so run time and values do not change. Reduction loops keep the epilogue:
 * a masked reduction is not interleaved (IC 1 instead of 4), which made
 * logsumexp ~20% slower. Where masking is impossible the vectorizer falls
 * back to the usual epilogue. Only on AVX-512 hosts: AVX2's masked
 * loads/stores (vmaskmov) are slow, and its 8-lane code is smaller. */
void sj_cg_fold_tail(cg *g, LLVMValueRef latch_br) {
  if (!(g->isa & SJ_ISA_E)) return;
  LLVMMetadataRef tmp = LLVMTemporaryMDNode(g->L, NULL, 0);
  LLVMMetadataRef hint[2] = {
      LLVMMDStringInContext2(g->L, "llvm.loop.vectorize.predicate.enable", 36),
      LLVMValueAsMetadata(LLVMConstInt(LLVMInt1TypeInContext(g->L), 1, 0))};
  LLVMMetadataRef ops[2] = {tmp, LLVMMDNodeInContext2(g->L, hint, 2)};
  LLVMMetadataRef id = LLVMMDNodeInContext2(g->L, ops, 2);
  LLVMMetadataReplaceAllUsesWith(tmp, id); /* the loop ID refers to itself */
  LLVMSetMetadata(latch_br, LLVMGetMDKindIDInContext(g->L, "llvm.loop", 9), LLVMMetadataAsValue(g->L, id));
}

LLVMValueRef sj_cg_math1(cg *g, const char *fname, LLVMValueRef x, sj_dtype dt) {
  return g->tgt->math1(g, fname, x, dt);
}

LLVMValueRef sj_cg_math2(cg *g, const char *fname, LLVMValueRef x, LLVMValueRef y, sj_dtype dt) {
  return g->tgt->math2(g, fname, x, y, dt);
}

LLVMValueRef sj_cg_host_math1(cg *g, const char *fname, LLVMValueRef x, sj_dtype dt) {
  LLVMValueRef a = widen(g, x, dt);
  if (dt != SJ_F64 && !strcmp(fname, "exp")) {
    g->loop_has_exp = true;
    return narrow(g, exp_f32(g, a), dt);
  }
  return narrow(g, call_math(g, fname, &a, 1, dt == SJ_F64), dt);
}

LLVMValueRef sj_cg_host_math2(cg *g, const char *fname, LLVMValueRef x, LLVMValueRef y, sj_dtype dt) {
  LLVMValueRef a[2] = {widen(g, x, dt), widen(g, y, dt)};
  return narrow(g, call_math(g, fname, a, 2, dt == SJ_F64), dt);
}
