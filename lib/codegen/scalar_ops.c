/* Scalar code generation for the elementwise ops: the SCALAR column of
 * ops.def names each op's rule here (r_*) or NONE. Integer ops wrap; integer
 * division by zero gives 0 (as numpy, minus the warning) instead of
 * trapping. Conversions into f16/bf16 round once, exactly (emit_cast). */
#include <math.h>

#include "cg_internal.h"

/* a: the operands' LLVM values; dt: the dtype the op computes in (its
 * first value operand's), ty: its LLVM type. */
typedef LLVMValueRef (*rule_fn)(cg *g, const sj_op *op, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty);
/* A rule's definition; not every rule reads every parameter. */
#define RULE(NAME)                                                                                          \
  static LLVMValueRef NAME(cg *g, const sj_op *op __attribute__((unused)), LLVMValueRef *a,                \
                           sj_dtype dt __attribute__((unused)), LLVMTypeRef ty __attribute__((unused)))

static bool isf(sj_dtype dt) { return sj_dtype_is_float(dt); }

static LLVMValueRef fconst(LLVMTypeRef ty, double v) { return LLVMConstReal(ty, v); }

RULE(r_neg) { return isf(dt) ? LLVMBuildFNeg(g->B, a[0], "") : LLVMBuildNeg(g->B, a[0], ""); }

RULE(r_abs) {
  if (isf(dt)) return sj_cg_intrinsic(g, "llvm.fabs", ty, a, 1);
  LLVMValueRef args[2] = {a[0], LLVMConstInt(LLVMInt1TypeInContext(g->L), 0, 0)};
  return sj_cg_intrinsic(g, "llvm.abs", ty, args, 2);
}

/* sign: 1, -1, or x itself for 0, -0 and NaN */
RULE(r_sign) {
  LLVMValueRef gt, lt, one, mone;
  if (isf(dt)) {
    gt = LLVMBuildFCmp(g->B, LLVMRealOGT, a[0], fconst(ty, 0), "");
    lt = LLVMBuildFCmp(g->B, LLVMRealOLT, a[0], fconst(ty, 0), "");
    one = fconst(ty, 1), mone = fconst(ty, -1);
  } else {
    gt = LLVMBuildICmp(g->B, LLVMIntSGT, a[0], LLVMConstInt(ty, 0, 0), "");
    lt = LLVMBuildICmp(g->B, LLVMIntSLT, a[0], LLVMConstInt(ty, 0, 0), "");
    one = LLVMConstInt(ty, 1, 0), mone = LLVMConstInt(ty, (unsigned long long)-1, 1);
  }
  return LLVMBuildSelect(g->B, gt, one, LLVMBuildSelect(g->B, lt, mone, a[0], ""), "");
}

#define MATH1(NAME, FN) \
  RULE(NAME) { return sj_cg_math1(g, FN, a[0], dt); }
MATH1(r_exp, "exp")
MATH1(r_log, "log")
MATH1(r_log1p, "log1p")
MATH1(r_expm1, "expm1")
MATH1(r_tanh, "tanh")

RULE(r_sqrt) { return sj_cg_intrinsic(g, "llvm.sqrt", ty, a, 1); }

RULE(r_rsqrt) { return LLVMBuildFDiv(g->B, fconst(ty, 1), r_sqrt(g, op, a, dt, ty), ""); }

/* e = exp(-|x|), r = 1 / (1 + e): r for x >= 0, e * r = exp(x) / (1 +
 * exp(x)) below, so that sigmoid(-100) in f32 is the subnormal 3.8e-44 and
 * not 1 / (1 + inf) = 0. exp never overflows; NaN propagates through e. */
RULE(r_sigmoid) {
  LLVMValueRef ax = sj_cg_intrinsic(g, "llvm.fabs", ty, a, 1);
  LLVMValueRef e = sj_cg_math1(g, "exp", LLVMBuildFNeg(g->B, ax, ""), dt);
  LLVMValueRef r = LLVMBuildFDiv(g->B, fconst(ty, 1), LLVMBuildFAdd(g->B, fconst(ty, 1), e, ""), "");
  LLVMValueRef pos = LLVMBuildFCmp(g->B, LLVMRealOGE, a[0], fconst(ty, 0), "");
  return LLVMBuildSelect(g->B, pos, r, LLVMBuildFMul(g->B, e, r, ""), "");
}

/* max(x, 0) + log1p(exp(-|x|)): never overflows. */
RULE(r_softplus) {
  LLVMValueRef ax = sj_cg_intrinsic(g, "llvm.fabs", ty, a, 1);
  LLVMValueRef e = sj_cg_math1(g, "exp", LLVMBuildFNeg(g->B, ax, ""), dt);
  LLVMValueRef l = sj_cg_math1(g, "log1p", e, dt);
  LLVMValueRef mx[2] = {a[0], fconst(ty, 0)};
  return LLVMBuildFAdd(g->B, sj_cg_intrinsic(g, "llvm.maxnum", ty, mx, 2), l, "");
}

RULE(r_add) { return isf(dt) ? LLVMBuildFAdd(g->B, a[0], a[1], "") : LLVMBuildAdd(g->B, a[0], a[1], ""); }
RULE(r_sub) { return isf(dt) ? LLVMBuildFSub(g->B, a[0], a[1], "") : LLVMBuildSub(g->B, a[0], a[1], ""); }
RULE(r_mul) { return isf(dt) ? LLVMBuildFMul(g->B, a[0], a[1], "") : LLVMBuildMul(g->B, a[0], a[1], ""); }

/* Integer division: truncating; x/0 = 0 and INT_MIN/-1 wraps (no traps). */
RULE(r_div) {
  if (isf(dt)) return LLVMBuildFDiv(g->B, a[0], a[1], "");
  LLVMValueRef zero = LLVMConstInt(ty, 0, 0), one = LLVMConstInt(ty, 1, 0);
  LLVMValueRef mone = LLVMConstAllOnes(ty);
  LLVMValueRef isz = LLVMBuildICmp(g->B, LLVMIntEQ, a[1], zero, "");
  LLVMValueRef ism1 = LLVMBuildICmp(g->B, LLVMIntEQ, a[1], mone, "");
  LLVMValueRef safe = LLVMBuildSelect(g->B, LLVMBuildOr(g->B, isz, ism1, ""), one, a[1], "");
  LLVMValueRef q = LLVMBuildSDiv(g->B, a[0], safe, "");
  q = LLVMBuildSelect(g->B, ism1, LLVMBuildNeg(g->B, a[0], ""), q, "");
  return LLVMBuildSelect(g->B, isz, zero, q, "");
}

RULE(r_pow) { return sj_cg_math2(g, "pow", a[0], a[1], dt); }

/* logaddexp: m + log1p(exp(-|a - b|)) with m = maximum(a, b) (NaN
 * propagates through m and a - b); where m is +-inf the result is m, which
 * the formula would turn into NaN for two equal infinities (inf - inf). */
RULE(r_logaddexp) {
  LLVMValueRef m = sj_cg_intrinsic(g, "llvm.maximum", ty, a, 2);
  LLVMValueRef d = LLVMBuildFSub(g->B, a[0], a[1], "");
  LLVMValueRef ad = sj_cg_intrinsic(g, "llvm.fabs", ty, &d, 1);
  LLVMValueRef l = sj_cg_math1(g, "log1p", sj_cg_math1(g, "exp", LLVMBuildFNeg(g->B, ad, ""), dt), dt);
  LLVMValueRef am = sj_cg_intrinsic(g, "llvm.fabs", ty, &m, 1);
  LLVMValueRef inf = LLVMBuildFCmp(g->B, LLVMRealOEQ, am, fconst(ty, INFINITY), "");
  return LLVMBuildSelect(g->B, inf, m, LLVMBuildFAdd(g->B, m, l, ""), "");
}

/* maximum/minimum propagate NaN as numpy does (llvm.maximum/minimum). */
/* bool is i1, where true is -1 as a signed value: bools order unsigned */
RULE(r_maximum) { return sj_cg_intrinsic(g, isf(dt) ? "llvm.maximum" : dt == SJ_BOOL ? "llvm.umax" : "llvm.smax", ty, a, 2); }
RULE(r_minimum) { return sj_cg_intrinsic(g, isf(dt) ? "llvm.minimum" : dt == SJ_BOOL ? "llvm.umin" : "llvm.smin", ty, a, 2); }

static LLVMValueRef cmp(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMRealPredicate fp,
                        LLVMIntPredicate ip) {
  if (isf(dt)) return LLVMBuildFCmp(g->B, fp, a[0], a[1], "");
  if (dt == SJ_BOOL) /* i1 true is -1 signed: false < true only unsigned */
    ip = ip == LLVMIntSLT ? LLVMIntULT : ip == LLVMIntSLE ? LLVMIntULE : ip == LLVMIntSGT ? LLVMIntUGT : ip == LLVMIntSGE ? LLVMIntUGE : ip;
  return LLVMBuildICmp(g->B, ip, a[0], a[1], "");
}
/* ne is unordered (NaN != NaN is true), the others ordered, as in numpy */
#define CMP(NAME, FP, IP)                                                         \
  RULE(NAME) { \
    return cmp(g, a, dt, FP, IP);                                                 \
  }
CMP(r_eq, LLVMRealOEQ, LLVMIntEQ)
CMP(r_ne, LLVMRealUNE, LLVMIntNE)
CMP(r_lt, LLVMRealOLT, LLVMIntSLT)
CMP(r_le, LLVMRealOLE, LLVMIntSLE)
CMP(r_gt, LLVMRealOGT, LLVMIntSGT)
CMP(r_ge, LLVMRealOGE, LLVMIntSGE)

RULE(r_select) { return LLVMBuildSelect(g->B, a[0], a[1], a[2], ""); }

/* ---- casts ---- */

/* Float to int saturates at the int's range and NaN gives 0
 * (llvm.fptosi.sat, as Rust's `as`): plain fptosi is poison out of range
 * (docs/numerics.md). f16/bf16 widen to f32 first (exact). */
static LLVMValueRef sat_fptosi(cg *g, LLVMValueRef x, sj_dtype from, LLVMTypeRef ty) {
  if (from == SJ_F16 || from == SJ_BF16) x = LLVMBuildFPExt(g->B, x, LLVMFloatTypeInContext(g->L), "");
  LLVMTypeRef tys[2] = {ty, LLVMTypeOf(x)};
  unsigned id = LLVMLookupIntrinsicID("llvm.fptosi.sat", 15);
  LLVMValueRef f = LLVMGetIntrinsicDeclaration(g->M, id, tys, 2);
  return LLVMBuildCall2(g->B, LLVMIntrinsicGetType(g->L, id, tys, 2), f, &x, 1, "");
}

static LLVMTypeRef f32t(cg *g) { return LLVMFloatTypeInContext(g->L); }
static LLVMTypeRef i32t(cg *g) { return LLVMInt32TypeInContext(g->L); }
static LLVMValueRef ci32(cg *g, uint32_t v) { return LLVMConstInt(i32t(g), v, 0); }
static bool is_half(sj_dtype dt) { return dt == SJ_F16 || dt == SJ_BF16; }

/* f32 -> bf16, round to nearest even, in integer ops: no libcall
 * (__truncsfbf2) on hosts without native bf16 conversions. NaN stays a
 * quiet NaN. */
static LLVMValueRef f32_to_bf16(cg *g, LLVMValueRef x) {
  LLVMValueRef u = LLVMBuildBitCast(g->B, x, i32t(g), "");
  LLVMValueRef lsb = LLVMBuildAnd(g->B, LLVMBuildLShr(g->B, u, ci32(g, 16), ""), ci32(g, 1), "");
  LLVMValueRef r = LLVMBuildAdd(g->B, u, LLVMBuildAdd(g->B, lsb, ci32(g, 0x7fff), ""), "");
  LLVMValueRef nan = LLVMBuildFCmp(g->B, LLVMRealUNO, x, x, "");
  r = LLVMBuildSelect(g->B, nan, LLVMBuildOr(g->B, u, ci32(g, 0x400000), ""), r, "");
  LLVMValueRef h = LLVMBuildTrunc(g->B, LLVMBuildLShr(g->B, r, ci32(g, 16), ""), LLVMInt16TypeInContext(g->L), "");
  return LLVMBuildBitCast(g->B, h, LLVMBFloatTypeInContext(g->L), "");
}

/* f32 -> f16 or bf16, round to nearest even. */
static LLVMValueRef f32_to_half(cg *g, LLVMValueRef x, sj_dtype to) {
  return to == SJ_BF16 ? f32_to_bf16(g, x) : LLVMBuildFPTrunc(g->B, x, sj_cg_dtype(g, to), "");
}

/* f64 -> f32 rounded to odd (truncate, then set the last bit when inexact):
 * rounding that to nearest at 11 or 8 bits gives the correctly rounded half,
 * where rounding twice to nearest could be off by one ulp at ties. */
static LLVMValueRef f64_to_f32_odd(cg *g, LLVMValueRef x) {
  LLVMValueRef t = LLVMBuildFPTrunc(g->B, x, f32t(g), "");
  LLVMValueRef back = LLVMBuildFPExt(g->B, t, LLVMTypeOf(x), "");
  LLVMValueRef inexact = LLVMBuildFCmp(g->B, LLVMRealONE, back, x, ""); /* false for NaN */
  LLVMValueRef ab[1] = {back}, ax[1] = {x};
  LLVMValueRef away = LLVMBuildFCmp(g->B, LLVMRealOGT, sj_cg_intrinsic(g, "llvm.fabs", LLVMTypeOf(x), ab, 1),
                                    sj_cg_intrinsic(g, "llvm.fabs", LLVMTypeOf(x), ax, 1), "");
  LLVMValueRef u = LLVMBuildBitCast(g->B, t, i32t(g), "");
  LLVMValueRef even = LLVMBuildICmp(g->B, LLVMIntEQ, LLVMBuildAnd(g->B, u, ci32(g, 1), ""), ci32(g, 0), "");
  /* t is the nearest; stepping its bits by one moves one ulp in magnitude */
  LLVMValueRef down = LLVMBuildSub(g->B, u, ci32(g, 1), ""), up = LLVMBuildAdd(g->B, u, ci32(g, 1), "");
  LLVMValueRef odd = LLVMBuildSelect(g->B, away, down, up, "");
  u = LLVMBuildSelect(g->B, LLVMBuildAnd(g->B, inexact, even, ""), odd, u, "");
  return LLVMBuildBitCast(g->B, u, f32t(g), "");
}

/* Signed integer -> f32 rounded to odd at 24 bits: keep the top 24
 * significant bits of |x| and OR the dropped ones into the last kept bit;
 * the result converts to f32 exactly. */
static LLVMValueRef int_to_f32_odd(cg *g, LLVMValueRef x, sj_dtype from) {
  LLVMTypeRef i64 = sj_cg_i64(g);
  if (from != SJ_I64) x = LLVMBuildSExt(g->B, x, i64, "");
  LLVMValueRef zero = LLVMConstInt(i64, 0, 0), one = LLVMConstInt(i64, 1, 0);
  LLVMValueRef neg = LLVMBuildICmp(g->B, LLVMIntSLT, x, zero, "");
  LLVMValueRef a = LLVMBuildSelect(g->B, neg, LLVMBuildSub(g->B, zero, x, ""), x, ""); /* INT64_MIN: 2^63 unsigned */
  LLVMValueRef args[2] = {a, LLVMConstInt(LLVMInt1TypeInContext(g->L), 0, 0)};
  LLVMValueRef bits = LLVMBuildSub(g->B, LLVMConstInt(i64, 64, 0), sj_cg_intrinsic(g, "llvm.ctlz", i64, args, 2), "");
  LLVMValueRef over = LLVMBuildICmp(g->B, LLVMIntUGT, bits, LLVMConstInt(i64, 24, 0), "");
  LLVMValueRef sh = LLVMBuildSelect(g->B, over, LLVMBuildSub(g->B, bits, LLVMConstInt(i64, 24, 0), ""), zero, "");
  LLVMValueRef low = LLVMBuildSub(g->B, LLVMBuildShl(g->B, one, sh, ""), one, "");
  LLVMValueRef sticky = LLVMBuildICmp(g->B, LLVMIntNE, LLVMBuildAnd(g->B, a, low, ""), zero, "");
  LLVMValueRef kept = LLVMBuildAnd(g->B, a, LLVMBuildNot(g->B, low, ""), "");
  kept = LLVMBuildOr(g->B, kept, LLVMBuildSelect(g->B, sticky, LLVMBuildShl(g->B, one, sh, ""), zero, ""), "");
  LLVMValueRef f = LLVMBuildUIToFP(g->B, kept, f32t(g), "");
  return LLVMBuildSelect(g->B, neg, LLVMBuildFNeg(g->B, f, ""), f, "");
}

/* Conversions between any two dtypes; bool is i1 in registers. Halves go
 * through f32 (exact on the way up; one correct rounding on the way down),
 * so no pair needs a conversion libcall the JIT may not find. */
static LLVMValueRef emit_cast(cg *g, LLVMValueRef x, sj_dtype from, sj_dtype to) {
  LLVMTypeRef ty = sj_cg_dtype(g, to), fty = sj_cg_dtype(g, from);
  if (from == to) return x;
  if (to == SJ_BOOL)
    return isf(from) ? LLVMBuildFCmp(g->B, LLVMRealUNE, x, LLVMConstReal(fty, 0), "")
                     : LLVMBuildICmp(g->B, LLVMIntNE, x, LLVMConstInt(fty, 0, 0), "");
  if (is_half(from)) return emit_cast(g, LLVMBuildFPExt(g->B, x, f32t(g), ""), SJ_F32, to);
  if (is_half(to)) {
    LLVMValueRef f = from == SJ_BOOL ? LLVMBuildUIToFP(g->B, x, f32t(g), "")
                     : from == SJ_F32 ? x
                     : from == SJ_F64 ? f64_to_f32_odd(g, x)
                     : from == SJ_I8  ? LLVMBuildSIToFP(g->B, x, f32t(g), "")
                                      : int_to_f32_odd(g, x, from);
    return f32_to_half(g, f, to);
  }
  if (from == SJ_BOOL) return isf(to) ? LLVMBuildUIToFP(g->B, x, ty, "") : LLVMBuildZExt(g->B, x, ty, "");
  if (isf(from) && isf(to)) return LLVMBuildFPCast(g->B, x, ty, "");
  if (isf(from)) return sat_fptosi(g, x, from, ty);
  if (isf(to)) return LLVMBuildSIToFP(g->B, x, ty, "");
  return LLVMBuildIntCast2(g->B, x, ty, 1, "");
}

RULE(r_cast) { return emit_cast(g, a[0], dt, sj_res(op, 0)->type.dt); }

LLVMValueRef sj_cg_convert(cg *g, LLVMValueRef x, sj_dtype from, sj_dtype to) { return emit_cast(g, x, from, to); }

/* bf16 -> f32 exactly, as bits: LLVM's optimizer does not narrow an op on
 * these back to bf16 as it does through fpext (maximum(fpext a, fpext b)
 * -> fpext(maximum(a, b))), which NVPTX cannot select below sm_80. */
static LLVMValueRef bf16_bits_to_f32(cg *g, LLVMValueRef x) {
  LLVMValueRef u = LLVMBuildZExt(g->B, LLVMBuildBitCast(g->B, x, LLVMInt16TypeInContext(g->L), ""), i32t(g), "");
  return LLVMBuildBitCast(g->B, LLVMBuildShl(g->B, u, ci32(g, 16), ""), f32t(g), "");
}

/* ---- the table: the SCALAR column of ops.def ---- */

#define NONE NULL
static const rule_fn rules[SJ_OP_COUNT] = {
#define SJ_OP(ID, NAME, MINO, MAXO, NRES, NREG, FLAGS, ATTRS, INFER, VERIFY, EVAL, COMBINE, IDENTITY, EMIT, SCALAR_CG, VJP, PLAN, REF) \
  [SJ_OP_##ID] = SCALAR_CG,
#include "ops.def"
#undef SJ_OP
};
#undef NONE

/* The class of rule r among the half ops a target may compute natively
 * (cg_internal.h: SJ_HALF_*); 0: always widened. Division, transcendentals
 * and comparisons stay in f32. */
static unsigned half_class(rule_fn r) {
  if (r == r_add || r == r_sub || r == r_mul) return SJ_HALF_ARITH;
  if (r == r_neg) return SJ_HALF_NEG;
  if (r == r_abs) return SJ_HALF_ABS;
  return r == r_maximum || r == r_minimum ? SJ_HALF_MINMAX : 0;
}

/* op computes natively in half dtype dt: its class is one the target
 * selects, and every operand and the result are of dt. */
static bool native_half(cg *g, const sj_op *op, rule_fn r, sj_dtype dt) {
  unsigned c = half_class(r);
  if (!c || !g->tgt->native_half || !(g->tgt->native_half(g, dt) & c) || sj_res(op, 0)->type.dt != dt) return false;
  for (unsigned i = 0; i < op->nopnds; i++)
    if (sj_opnd(op, i)->type.dt != dt) return false;
  return true;
}

LLVMValueRef sj_cg_scalar_op(cg *g, const sj_op *op, LLVMValueRef *args) {
  sj_dtype dt = sj_op_compute_dtype(op);
  rule_fn r = rules[op->code];
  if (!r) {
    sj_cg_fail(g, op, "'%s' op has no scalar code generation rule", sj_op_name(op));
    return NULL;
  }
  if (g->tgt->half_in_f32 && is_half(dt) && r != r_cast && !native_half(g, op, r, dt)) { /* the target's choice (cg_internal.h) */
    LLVMValueRef w[3];
    for (unsigned i = 0; i < op->nopnds && i < 3; i++)
      w[i] = sj_opnd(op, i)->type.dt != dt ? args[i] : dt == SJ_BF16 ? bf16_bits_to_f32(g, args[i]) : emit_cast(g, args[i], dt, SJ_F32);
    LLVMValueRef x = r(g, op, w, SJ_F32, f32t(g));
    return sj_res(op, 0)->type.dt == dt ? emit_cast(g, x, SJ_F32, dt) : x;
  }
  return r(g, op, args, dt, sj_cg_dtype(g, dt));
}
