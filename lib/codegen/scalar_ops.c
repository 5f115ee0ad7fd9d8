/* Scalar code generation for the elementwise ops: one rule per opcode in a
 * table (no switch over op kinds). Integer ops wrap; integer division by
 * zero gives 0 (as numpy, minus the warning) instead of trapping. */
#include <math.h>

#include "cg_internal.h"

typedef LLVMValueRef (*rule_fn)(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty);

static bool isf(sj_dtype dt) { return sj_dtype_is_float(dt); }

static LLVMValueRef fconst(LLVMTypeRef ty, double v) { return LLVMConstReal(ty, v); }

static LLVMValueRef r_neg(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  (void)ty;
  return isf(dt) ? LLVMBuildFNeg(g->B, a[0], "") : LLVMBuildNeg(g->B, a[0], "");
}

static LLVMValueRef r_abs(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  if (isf(dt)) return sj_cg_intrinsic(g, "llvm.fabs", ty, a, 1);
  LLVMValueRef args[2] = {a[0], LLVMConstInt(LLVMInt1TypeInContext(g->L), 0, 0)};
  return sj_cg_intrinsic(g, "llvm.abs", ty, args, 2);
}

/* sign: 1, -1, or x itself for 0, -0 and NaN */
static LLVMValueRef r_sign(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
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

#define MATH1(NAME, FN)                                                          \
  static LLVMValueRef NAME(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) { \
    (void)ty;                                                                    \
    return sj_cg_math1(g, FN, a[0], dt);                                         \
  }
MATH1(r_exp, "exp")
MATH1(r_log, "log")
MATH1(r_log1p, "log1p")
MATH1(r_expm1, "expm1")
MATH1(r_tanh, "tanh")

static LLVMValueRef r_sqrt(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  (void)dt;
  return sj_cg_intrinsic(g, "llvm.sqrt", ty, a, 1);
}

static LLVMValueRef r_rsqrt(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  return LLVMBuildFDiv(g->B, fconst(ty, 1), r_sqrt(g, a, dt, ty), "");
}

/* 1 / (1 + exp(-x)): exp overflows to inf for very negative x, giving 0. */
static LLVMValueRef r_sigmoid(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  LLVMValueRef e = sj_cg_math1(g, "exp", LLVMBuildFNeg(g->B, a[0], ""), dt);
  return LLVMBuildFDiv(g->B, fconst(ty, 1), LLVMBuildFAdd(g->B, fconst(ty, 1), e, ""), "");
}

/* max(x, 0) + log1p(exp(-|x|)): never overflows. */
static LLVMValueRef r_softplus(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  LLVMValueRef ax = sj_cg_intrinsic(g, "llvm.fabs", ty, a, 1);
  LLVMValueRef e = sj_cg_math1(g, "exp", LLVMBuildFNeg(g->B, ax, ""), dt);
  LLVMValueRef l = sj_cg_math1(g, "log1p", e, dt);
  LLVMValueRef mx[2] = {a[0], fconst(ty, 0)};
  return LLVMBuildFAdd(g->B, sj_cg_intrinsic(g, "llvm.maxnum", ty, mx, 2), l, "");
}

static LLVMValueRef r_add(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  (void)ty;
  return isf(dt) ? LLVMBuildFAdd(g->B, a[0], a[1], "") : LLVMBuildAdd(g->B, a[0], a[1], "");
}
static LLVMValueRef r_sub(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  (void)ty;
  return isf(dt) ? LLVMBuildFSub(g->B, a[0], a[1], "") : LLVMBuildSub(g->B, a[0], a[1], "");
}
static LLVMValueRef r_mul(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  (void)ty;
  return isf(dt) ? LLVMBuildFMul(g->B, a[0], a[1], "") : LLVMBuildMul(g->B, a[0], a[1], "");
}

/* Integer division: truncating; x/0 = 0 and INT_MIN/-1 wraps (no traps). */
static LLVMValueRef r_div(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
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

static LLVMValueRef r_pow(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  (void)ty;
  return sj_cg_math2(g, "pow", a[0], a[1], dt);
}

/* maximum/minimum propagate NaN as numpy does (llvm.maximum/minimum). */
static LLVMValueRef r_maximum(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  return sj_cg_intrinsic(g, isf(dt) ? "llvm.maximum" : "llvm.smax", ty, a, 2);
}
static LLVMValueRef r_minimum(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  return sj_cg_intrinsic(g, isf(dt) ? "llvm.minimum" : "llvm.smin", ty, a, 2);
}

static LLVMValueRef cmp(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMRealPredicate fp,
                        LLVMIntPredicate ip) {
  if (isf(dt)) return LLVMBuildFCmp(g->B, fp, a[0], a[1], "");
  return LLVMBuildICmp(g->B, ip, a[0], a[1], "");
}
/* ne is unordered (NaN != NaN is true), the others ordered, as in numpy */
#define CMP(NAME, FP, IP)                                                         \
  static LLVMValueRef NAME(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) { \
    (void)ty;                                                                     \
    return cmp(g, a, dt, FP, IP);                                                 \
  }
CMP(r_eq, LLVMRealOEQ, LLVMIntEQ)
CMP(r_ne, LLVMRealUNE, LLVMIntNE)
CMP(r_lt, LLVMRealOLT, LLVMIntSLT)
CMP(r_le, LLVMRealOLE, LLVMIntSLE)
CMP(r_gt, LLVMRealOGT, LLVMIntSGT)
CMP(r_ge, LLVMRealOGE, LLVMIntSGE)

static LLVMValueRef r_select(cg *g, LLVMValueRef *a, sj_dtype dt, LLVMTypeRef ty) {
  (void)dt, (void)ty;
  return LLVMBuildSelect(g->B, a[0], a[1], a[2], "");
}

static const rule_fn rules[SJ_OP_COUNT] = {
    [SJ_OP_NEG] = r_neg,         [SJ_OP_ABS] = r_abs,         [SJ_OP_SIGN] = r_sign,
    [SJ_OP_EXP] = r_exp,         [SJ_OP_LOG] = r_log,         [SJ_OP_LOG1P] = r_log1p,
    [SJ_OP_EXPM1] = r_expm1,     [SJ_OP_SQRT] = r_sqrt,       [SJ_OP_RSQRT] = r_rsqrt,
    [SJ_OP_TANH] = r_tanh,       [SJ_OP_SIGMOID] = r_sigmoid, [SJ_OP_SOFTPLUS] = r_softplus,
    [SJ_OP_ADD] = r_add,         [SJ_OP_SUB] = r_sub,         [SJ_OP_MUL] = r_mul,
    [SJ_OP_DIV] = r_div,         [SJ_OP_POW] = r_pow,         [SJ_OP_MAXIMUM] = r_maximum,
    [SJ_OP_MINIMUM] = r_minimum, [SJ_OP_EQ] = r_eq,           [SJ_OP_NE] = r_ne,
    [SJ_OP_LT] = r_lt,           [SJ_OP_LE] = r_le,           [SJ_OP_GT] = r_gt,
    [SJ_OP_GE] = r_ge,           [SJ_OP_SELECT] = r_select,
};

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

/* Conversions between any two dtypes; bool is i1 in registers. */
static LLVMValueRef emit_cast(cg *g, LLVMValueRef x, sj_dtype from, sj_dtype to) {
  LLVMTypeRef ty = sj_cg_dtype(g, to), fty = sj_cg_dtype(g, from);
  if (from == to) return x;
  if (to == SJ_BOOL)
    return isf(from) ? LLVMBuildFCmp(g->B, LLVMRealUNE, x, LLVMConstReal(fty, 0), "")
                     : LLVMBuildICmp(g->B, LLVMIntNE, x, LLVMConstInt(fty, 0, 0), "");
  if (from == SJ_BOOL) return isf(to) ? LLVMBuildUIToFP(g->B, x, ty, "") : LLVMBuildZExt(g->B, x, ty, "");
  if (isf(from) && isf(to)) {
    /* f16 <-> bf16 have the same size: FPCast would be a bitcast; go via f32 */
    if ((from == SJ_F16 && to == SJ_BF16) || (from == SJ_BF16 && to == SJ_F16))
      x = LLVMBuildFPExt(g->B, x, LLVMFloatTypeInContext(g->L), "");
    return LLVMBuildFPCast(g->B, x, ty, "");
  }
  if (isf(from)) return sat_fptosi(g, x, from, ty);
  if (isf(to)) return LLVMBuildSIToFP(g->B, x, ty, "");
  return LLVMBuildIntCast2(g->B, x, ty, 1, "");
}

LLVMValueRef sj_cg_scalar_op(cg *g, const sj_op *op, LLVMValueRef *args) {
  sj_dtype dt = sj_opnd(op, op->code == SJ_OP_SELECT ? 1 : 0)->type.dt;
  if (op->code == SJ_OP_CAST) return emit_cast(g, args[0], dt, sj_res(op, 0)->type.dt);
  rule_fn r = rules[op->code];
  if (!r) {
    sj_cg_fail(g, op, "'%s' op has no scalar code generation rule", sj_op_name(op));
    return NULL;
  }
  return r(g, args, dt, sj_cg_dtype(g, dt));
}
