/* Loop IR -> LLVM IR. Each kernel becomes
 *   void <sym>(ptr ptrs, ptr dims, ptr rt)   -- the ABI entry (kernel_abi.h),
 *   void <sym>.impl(ptr noalias p0.., ptr noalias dims, ptr rt)
 * where <sym> is sjk_<name>, bounded for long names (sj_cg_kernel_symbols),
 * so the optimizer knows kernel buffers do not alias. Top-level parallel
 * loops and reductions are outlined by parallel.c. No rewrites happen here:
 * the IR arrives lowered and optimized. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "cg_internal.h"


/* ---- small helpers ---- */

void sj_cg_fail(cg *g, const sj_op *op, const char *fmt, ...) {
  if (g->st != SJ_OK) return;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  sj_loc none = {0};
  sj_emit_error(g->sc, op ? op->loc : none, "codegen: %s", msg);
  g->st = SJ_ERR_UNSUPPORTED;
}

void sj_cg_nomem(cg *g, const sj_op *op) {
  if (g->st != SJ_OK) return;
  sj_cg_fail(g, op, "out of memory");
  g->st = SJ_ERR_NOMEM;
}

LLVMTypeRef sj_cg_dtype(cg *g, sj_dtype dt) {
  switch (dt) {
  case SJ_F16: return LLVMHalfTypeInContext(g->L);
  case SJ_BF16: return LLVMBFloatTypeInContext(g->L);
  case SJ_F32: return LLVMFloatTypeInContext(g->L);
  case SJ_F64: return LLVMDoubleTypeInContext(g->L);
  case SJ_I8: return LLVMInt8TypeInContext(g->L);
  case SJ_I32: return LLVMInt32TypeInContext(g->L);
  case SJ_I64: return LLVMInt64TypeInContext(g->L);
  case SJ_BOOL: return LLVMInt1TypeInContext(g->L);
  case SJ_DTYPE_COUNT: break;
  }
  return LLVMInt8TypeInContext(g->L);
}

/* Element type in memory: bool is a byte. */
static LLVMTypeRef mem_type(cg *g, sj_dtype dt) {
  return dt == SJ_BOOL ? LLVMInt8TypeInContext(g->L) : sj_cg_dtype(g, dt);
}

#define i64t sj_cg_i64
#define ptrt sj_cg_ptr
#define ci64 sj_cg_ci64

static size_t vhash(const void *p, size_t cap) {
  uintptr_t x = (uintptr_t)p;
  x *= 0x9E3779B97F4A7C15ull;
  return (size_t)(x >> 24) & (cap - 1);
}

void sj_cg_set(cg *g, const sj_value *v, LLVMValueRef x) {
  if (2 * (g->cur.vn + 1) > g->cur.vcap) {
    const sj_value **ok = g->cur.vkeys;
    LLVMValueRef *ov = g->cur.vvals;
    size_t oc = g->cur.vcap, nc = oc ? oc * 2 : 256;
    const sj_value **nk = calloc(nc, sizeof *nk);
    LLVMValueRef *nv = calloc(nc, sizeof *nv);
    if (!nk || !nv) {
      /* keep the old table; v still goes in while a free slot remains after it */
      free(nk);
      free(nv);
      sj_cg_nomem(g, g->kernel);
      if (g->cur.vn + 1 >= g->cur.vcap) return;
    } else {
      g->cur.vkeys = nk, g->cur.vvals = nv, g->cur.vcap = nc, g->cur.vn = 0;
      for (size_t i = 0; i < oc; i++)
        if (ok[i]) sj_cg_set(g, ok[i], ov[i]);
      free(ok);
      free(ov);
    }
  }
  size_t j = vhash(v, g->cur.vcap);
  while (g->cur.vkeys[j] && g->cur.vkeys[j] != v) j = (j + 1) & (g->cur.vcap - 1);
  if (!g->cur.vkeys[j]) g->cur.vn++;
  g->cur.vkeys[j] = v;
  g->cur.vvals[j] = x;
}

LLVMValueRef sj_cg_get(cg *g, const sj_value *v) {
  if (g->cur.vcap)
    for (size_t j = vhash(v, g->cur.vcap); g->cur.vkeys[j]; j = (j + 1) & (g->cur.vcap - 1))
      if (g->cur.vkeys[j] == v) return g->cur.vvals[j];
  return NULL;
}

void sj_cg_keep_used(cg *g, LLVMValueRef decl) {
  if (g->nused == g->capused) {
    size_t cap = g->capused ? 2 * g->capused : 16;
    LLVMValueRef *grown = realloc(g->used, cap * sizeof *g->used);
    if (!grown) return sj_cg_nomem(g, g->kernel);
    g->used = grown, g->capused = cap;
  }
  g->used[g->nused++] = decl;
}

void sj_cg_finish_used(cg *g) {
  if (!g->nused) return;
  LLVMTypeRef at = LLVMArrayType(ptrt(g), (unsigned)g->nused);
  LLVMValueRef gv = LLVMAddGlobal(g->M, at, "llvm.compiler.used");
  LLVMSetLinkage(gv, LLVMAppendingLinkage);
  LLVMSetSection(gv, "llvm.metadata");
  LLVMSetInitializer(gv, LLVMConstArray2(ptrt(g), g->used, g->nused));
}

void sj_cg_param_attr(cg *g, LLVMValueRef fn, unsigned idx, const char *kind) {
  unsigned k = LLVMGetEnumAttributeKindForName(kind, strlen(kind));
  LLVMAddAttributeAtIndex(fn, idx + 1, LLVMCreateEnumAttribute(g->L, k, 0));
}

/* ---- buffers ---- */

cg_buf *sj_cg_find_buf(cg *g, const sj_value *v) {
  for (unsigned i = 0; i < g->cur.nbufs; i++)
    if (g->cur.bufs[i].v == v) return &g->cur.bufs[i];
  return NULL;
}

/* Loads dims and computes row-major strides at the function entry. */
void sj_cg_setup_buf(cg *g, cg_buf *b) {
  const sj_type *t = &b->v->type;
  for (int k = 0; k < t->rank; k++) {
    if (t->dims[k] != SJ_DYN) {
      b->dims[k] = ci64(g, t->dims[k]);
      continue;
    }
    LLVMValueRef idx = ci64(g, (int64_t)sj_kabi_dim_slot(b->param, (size_t)k));
    LLVMValueRef p = LLVMBuildInBoundsGEP2(g->B, i64t(g), g->cur.dims_ptr, &idx, 1, "");
    b->dims[k] = LLVMBuildLoad2(g->B, i64t(g), p, "dim");
  }
  sj_cg_buf_strides(g, b);
}

void sj_cg_buf_strides(cg *g, cg_buf *b) {
  const sj_type *t = &b->v->type;
  for (int k = t->rank - 1; k >= 0; k--)
    b->strides[k] = k == t->rank - 1 ? ci64(g, 1)
                                      : LLVMBuildNSWMul(g->B, b->strides[k + 1], b->dims[k + 1], "");
}

static LLVMValueRef elem_ptr(cg *g, const sj_op *op, unsigned first) {
  cg_buf *b = sj_cg_find_buf(g, sj_opnd(op, first - 1));
  if (!b) {
    sj_cg_fail(g, op, "'%s' op: buffer is not a kernel parameter", sj_op_name(op));
    return NULL;
  }
  LLVMValueRef idx = ci64(g, 0);
  for (unsigned i = first; i < op->nopnds; i++) {
    LLVMValueRef term = LLVMBuildNSWMul(g->B, sj_cg_get(g, sj_opnd(op, i)), b->strides[i - first], "");
    idx = i == first ? term : LLVMBuildNSWAdd(g->B, idx, term, "");
  }
  LLVMTypeRef et = mem_type(g, b->v->type.dt);
  return LLVMBuildInBoundsGEP2(g->B, et, b->data, &idx, 1, "");
}

/* ---- op emission ---- */

typedef void (*emit_fn)(cg *g, const sj_op *op);

static void e_constant(cg *g, const sj_op *op) {
  const sj_type *t = &sj_res(op, 0)->type;
  const sj_attr *a = sj_op_attr(op, "value");
  if (t->is_tensor || a->kind == SJ_ATTR_DENSE) {
    sj_cg_fail(g, op, "tensor constants cannot appear inside a kernel");
    return;
  }
  /* integers stay integers: i64 values past 2^53 are not doubles */
  LLVMTypeRef ty = sj_cg_dtype(g, t->dt);
  LLVMValueRef v;
  if (sj_dtype_is_float(t->dt))
    v = LLVMConstReal(ty, a->kind == SJ_ATTR_FLOAT ? a->u.f : (double)a->u.i);
  else
    v = LLVMConstInt(ty, (unsigned long long)(a->kind == SJ_ATTR_FLOAT ? (int64_t)a->u.f : a->u.i), 1);
  sj_cg_set(g, sj_res(op, 0), v);
}

static void e_dim(cg *g, const sj_op *op) {
  cg_buf *b = sj_cg_find_buf(g, sj_opnd(op, 0));
  if (!b) return sj_cg_fail(g, op, "'dim' op: buffer is not a kernel parameter");
  sj_cg_set(g, sj_res(op, 0), b->dims[sj_op_int(op, "axis", 0)]);
}

static void e_load(cg *g, const sj_op *op) {
  LLVMValueRef p = elem_ptr(g, op, 1);
  if (!p) return;
  sj_dtype dt = sj_res(op, 0)->type.dt;
  LLVMValueRef v = LLVMBuildLoad2(g->B, mem_type(g, dt), p, "");
  if (dt == SJ_BOOL) v = LLVMBuildICmp(g->B, LLVMIntNE, v, LLVMConstInt(mem_type(g, dt), 0, 0), "");
  sj_cg_set(g, sj_res(op, 0), v);
}

static void e_store(cg *g, const sj_op *op) {
  LLVMValueRef p = elem_ptr(g, op, 2);
  if (!p) return;
  LLVMValueRef v = sj_cg_get(g, sj_opnd(op, 0));
  if (sj_opnd(op, 0)->type.dt == SJ_BOOL) v = LLVMBuildZExt(g->B, v, LLVMInt8TypeInContext(g->L), "");
  LLVMBuildStore(g->B, v, p);
}

/* clamp %i, %n = max(min(i, n - 1), 0) */
/* Static range [lo, hi] of an i64 index expression: constants, variables
 * of loops whose bounds have known ranges, and add/sub/mul/minimum/maximum
 * of those; false when unknown (or on overflow; depth-limited). A clamp
 * whose operand is provably inside [0, n) is then emitted as the operand
 * itself: the precheck still holds the dim to n, and the index stays affine
 * in the loop variables, so LLVM vectorizes window loads (conv's im2col,
 * slices at constant offsets) with plain vector loads instead of gathers. */
#define INDEX_RANGE_DEPTH 12

static bool const_index(const sj_value *v, int64_t *c) {
  const sj_attr *a = v->def && v->def->code == SJ_OP_CONSTANT ? sj_op_attr(v->def, "value") : NULL;
  if (!a || a->kind != SJ_ATTR_INT) return false;
  *c = a->u.i;
  return true;
}

static bool index_range(const sj_value *v, int depth, int64_t *lo, int64_t *hi) {
  if (depth > INDEX_RANGE_DEPTH || v->type.is_tensor || v->type.dt != SJ_I64) return false;
  if (const_index(v, lo)) return *hi = *lo, true;
  if (!v->def) { /* a loop variable over [lo, hi) */
    const sj_op *l = v->owner ? v->owner->parent : NULL;
    int64_t a, b, c, d;
    if (!l || v->index != 0 || (l->code != SJ_OP_FOR && l->code != SJ_OP_PARALLEL_FOR)) return false;
    if (!index_range(sj_opnd(l, 0), depth + 1, &a, &b) || !index_range(sj_opnd(l, 1), depth + 1, &c, &d)) return false;
    return *lo = a, *hi = d - 1, d != INT64_MIN;
  }
  sj_opcode k = v->def->code;
  if (k != SJ_OP_ADD && k != SJ_OP_SUB && k != SJ_OP_MUL && k != SJ_OP_MINIMUM && k != SJ_OP_MAXIMUM) return false;
  int64_t a, b, c, d;
  if (!index_range(sj_opnd(v->def, 0), depth + 1, &a, &b) || !index_range(sj_opnd(v->def, 1), depth + 1, &c, &d))
    return false;
  if (k == SJ_OP_MINIMUM) return *lo = a < c ? a : c, *hi = b < d ? b : d, true;
  if (k == SJ_OP_MAXIMUM) return *lo = a > c ? a : c, *hi = b > d ? b : d, true;
  if (k == SJ_OP_ADD) return !__builtin_add_overflow(a, c, lo) && !__builtin_add_overflow(b, d, hi);
  if (k == SJ_OP_SUB) return !__builtin_sub_overflow(a, d, lo) && !__builtin_sub_overflow(b, c, hi);
  int64_t p[4];
  if (__builtin_mul_overflow(a, c, &p[0]) || __builtin_mul_overflow(a, d, &p[1]) || __builtin_mul_overflow(b, c, &p[2]) ||
      __builtin_mul_overflow(b, d, &p[3]))
    return false;
  *lo = *hi = p[0];
  for (int i = 1; i < 4; i++) *lo = p[i] < *lo ? p[i] : *lo, *hi = p[i] > *hi ? p[i] : *hi;
  return true;
}

static void e_clamp(cg *g, const sj_op *op) {
  int64_t rlo, rhi, n;
  if (const_index(sj_opnd(op, 1), &n) && index_range(sj_opnd(op, 0), 0, &rlo, &rhi) && rlo >= 0 && rhi < n) {
    sj_cg_set(g, sj_res(op, 0), sj_cg_get(g, sj_opnd(op, 0))); /* never changes the index */
    return;
  }
  LLVMValueRef i = sj_cg_get(g, sj_opnd(op, 0)), zero = ci64(g, 0);
  LLVMValueRef hi = LLVMBuildSub(g->B, sj_cg_get(g, sj_opnd(op, 1)), ci64(g, 1), "");
  LLVMValueRef m = LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, i, hi, ""), i, hi, "");
  sj_cg_set(g, sj_res(op, 0), LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntSGT, m, zero, ""), m, zero, "clamp"));
}

static void e_return(cg *g, const sj_op *op) {
  (void)op;
  LLVMBuildRetVoid(g->B);
}

static void e_yield(cg *g, const sj_op *op) { (void)g, (void)op; /* read by the loop */ }

/* The combine of a reduction loop ({combine = ...}, verified: the yield's
 * value is that op of the carried value) may be reassociated so the
 * reduction vectorizes; nothing else gets fast-math flags. A nested
 * reduction loop's combine is marked when that loop is emitted. */
static void mark_reduction(cg *g, const sj_op *loop) {
  if (!sj_op_attr(loop, "combine")) return;
  const sj_value *v = sj_opnd(loop->regions[0]->last, 0);
  if (!sj_dtype_is_float(v->type.dt) || !v->def || v->def->code == SJ_OP_FOR) return;
  LLVMValueRef inst = sj_cg_get(g, v);
  if (inst && LLVMIsAInstruction(inst) && LLVMCanValueUseFastMathFlags(inst))
    LLVMSetFastMathFlags(inst, LLVMFastMathAllowReassoc | LLVMFastMathNoSignedZeros);
}

/* The llvm.loop metadata of the loop whose back edge is `back`. A loop
 * with {loop.vectorize = W} (a hint set by the lowering on loops it knows
 * are worth vectorizing: decision 0042) gets llvm.loop.vectorize.enable,
 * which lets the vectorizer use run-time checks on a short trip count
 * (where it otherwise refuses them as for -Os), and llvm.loop.vectorize.
 * width W when W > 0; legality is still LLVM's to check. `fold`: an
 * elementwise loop with an inline exp, whose remainder is folded into the
 * vector loop under a mask on AVX-512 hosts (math_lib.c, sj_cg_fold_tail:
 * why); one loop ID carries both. */
static void loop_hints(cg *g, const sj_op *loop, LLVMValueRef back, bool fold) {
  const sj_attr *a = sj_op_attr(loop, "loop.vectorize");
  if (!a || a->kind != SJ_ATTR_INT) {
    if (fold) sj_cg_fold_tail(g, back);
    return;
  }
  LLVMTypeRef i1 = LLVMInt1TypeInContext(g->L), i32 = LLVMInt32TypeInContext(g->L);
  struct {
    const char *name;
    LLVMValueRef v;
    bool on;
  } h[3] = {{"llvm.loop.vectorize.enable", LLVMConstInt(i1, 1, 0), true},
            {"llvm.loop.vectorize.width", LLVMConstInt(i32, (unsigned long long)a->u.i, 0), a->u.i > 0},
            {"llvm.loop.vectorize.predicate.enable", LLVMConstInt(i1, 1, 0), fold && (g->isa & SJ_ISA_E)}};
  LLVMMetadataRef ops[4];
  unsigned n = 0;
  ops[n++] = LLVMTemporaryMDNode(g->L, NULL, 0);
  for (int i = 0; i < 3; i++) {
    if (!h[i].on) continue;
    LLVMMetadataRef kv[2] = {LLVMMDStringInContext2(g->L, h[i].name, strlen(h[i].name)), LLVMValueAsMetadata(h[i].v)};
    ops[n++] = LLVMMDNodeInContext2(g->L, kv, 2);
  }
  LLVMMetadataRef id = LLVMMDNodeInContext2(g->L, ops, n);
  LLVMMetadataReplaceAllUsesWith(ops[0], id); /* the loop ID refers to itself */
  LLVMSetMetadata(back, LLVMGetMDKindIDInContext(g->L, "llvm.loop", 9), LLVMMetadataAsValue(g->L, id));
}

/* lo..hi loop around the body of `loop` (block args: iv, carried...). */
void sj_cg_emit_loop(cg *g, const sj_op *loop, LLVMValueRef lo, LLVMValueRef hi) {
  sj_cg_emit_loop_step(g, loop, lo, hi, ci64(g, 1));
}

void sj_cg_emit_loop_step(cg *g, const sj_op *loop, LLVMValueRef lo, LLVMValueRef hi, LLVMValueRef step) {
  const sj_block *b = loop->regions[0];
  unsigned ncar = b->nargs - 1;
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->B);
  LLVMBasicBlockRef head = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "loop");
  LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "body");
  LLVMBasicBlockRef exit = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "exit");
  LLVMBuildBr(g->B, head);
  LLVMPositionBuilderAtEnd(g->B, head);
  LLVMValueRef iv = LLVMBuildPhi(g->B, i64t(g), "i");
  LLVMValueRef phis[64];
  if (ncar > 64) return sj_cg_fail(g, loop, "more than 64 carried values");
  for (unsigned k = 0; k < ncar && !g->st; k++) { /* a failed sj_cg_set stops it */
    phis[k] = LLVMBuildPhi(g->B, sj_cg_dtype(g, b->args[1 + k]->type.dt), "acc");
    LLVMValueRef init = sj_cg_get(g, sj_opnd(loop, 2 + k));
    LLVMAddIncoming(phis[k], &init, &pre, 1);
    sj_cg_set(g, b->args[1 + k], phis[k]);
  }
  LLVMAddIncoming(iv, &lo, &pre, 1);
  LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, iv, hi, ""), body, exit);
  LLVMPositionBuilderAtEnd(g->B, body);
  sj_cg_set(g, b->args[0], iv);
  bool outer_exp = g->loop_has_exp;
  g->loop_has_exp = false;
  sj_cg_emit_block(g, b);
  if (g->st) return;
  mark_reduction(g, loop);
  LLVMBasicBlockRef latch = LLVMGetInsertBlock(g->B);
  LLVMValueRef next = LLVMBuildNSWAdd(g->B, iv, step, "");
  LLVMValueRef back = LLVMBuildBr(g->B, head);
  loop_hints(g, loop, back, g->loop_has_exp && ncar == 0);
  g->loop_has_exp = outer_exp; /* an exp in a nested loop is not this loop's */
  LLVMAddIncoming(iv, &next, &latch, 1);
  for (unsigned k = 0; k < ncar; k++) {
    LLVMValueRef y = sj_cg_get(g, sj_opnd(b->last, k));
    LLVMAddIncoming(phis[k], &y, &latch, 1);
  }
  LLVMPositionBuilderAtEnd(g->B, exit);
  for (unsigned k = 0; k < ncar; k++) sj_cg_set(g, sj_res(loop, k), phis[k]);
}

static void e_for(cg *g, const sj_op *op) {
  if (op == g->online_done) return; /* emitted with the max before it */
  if (g->tgt->loop(g, op)) return;
  sj_cg_emit_loop(g, op, sj_cg_get(g, sj_opnd(op, 0)), sj_cg_get(g, sj_opnd(op, 1)));
}

/* Scalar elementwise ops (their SCALAR rule, scalar_ops.c). */
static void e_scalar(cg *g, const sj_op *op) {
  if (sj_res(op, 0)->type.is_tensor)
    return sj_cg_fail(g, op, "'%s' op cannot appear in a kernel (tensor operands)", sj_op_name(op));
  LLVMValueRef args[3];
  for (unsigned i = 0; i < op->nopnds && i < 3; i++) args[i] = sj_cg_get(g, sj_opnd(op, i));
  LLVMValueRef r = sj_cg_scalar_op(g, op, args);
  if (r) sj_cg_set(g, sj_res(op, 0), r);
}

/* The EMIT column of ops.def; NONE: the op cannot appear in a kernel. */
#define NONE NULL
static const emit_fn emitters[SJ_OP_COUNT] = {
#define SJ_OP(ID, NAME, MINO, MAXO, NRES, NREG, FLAGS, ATTRS, INFER, VERIFY, EVAL, COMBINE, IDENTITY, EMIT, SCALAR_CG, VJP, PLAN, REF) \
  [SJ_OP_##ID] = EMIT,
#include "ops.def"
#undef SJ_OP
};
#undef NONE

void sj_cg_emit_op(cg *g, const sj_op *op) {
  if (!emitters[op->code]) return sj_cg_fail(g, op, "'%s' op cannot appear in a kernel", sj_op_name(op));
  emitters[op->code](g, op);
}

void sj_cg_emit_block(cg *g, const sj_block *b) {
  for (const sj_op *op = b->first; op && !g->st; op = op->next) sj_cg_emit_op(g, op);
}

void sj_cg_free_values(cg *g) {
  free(g->used);
  free(g->cur.vkeys);
  free(g->cur.vvals);
  g->used = NULL, g->cur.vkeys = NULL, g->cur.vvals = NULL;
  g->nused = g->capused = 0, g->cur.vcap = g->cur.vn = 0;
}

/* ---- kernel symbols ---- */

static uint64_t fnv1a64(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return h;
}

void sj_cg_kernel_symbols(sj_op *const *ks, size_t n, char (*syms)[SJ_KABI_SYM_CAP]) {
  for (size_t i = 0; i < n; i++) {
    const char *name = sj_func_name(ks[i]);
    size_t len = strlen(name);
    if (len <= SJ_KABI_NAME_MAX) {
      snprintf(syms[i], SJ_KABI_SYM_CAP, SJ_KABI_PREFIX "%s", name);
      continue;
    }
    snprintf(syms[i], SJ_KABI_SYM_CAP, SJ_KABI_PREFIX "%.*s#%016llx", SJ_KABI_NAME_KEEP, name,
             (unsigned long long)fnv1a64(name));
    /* two long names with one prefix and hash: the index makes them differ
     * (only long names can meet here; they are few, so quadratic is fine) */
    for (size_t j = 0; j < i; j++)
      if (strlen(sj_func_name(ks[j])) > SJ_KABI_NAME_MAX && !strcmp(syms[j], syms[i])) {
        size_t at = strlen(syms[i]);
        snprintf(syms[i] + at, SJ_KABI_SYM_CAP - at, ".%zu", i);
        break;
      }
  }
}

/* ---- kernels ---- */

/* The ABI entry: unpacks the pointer array and calls impl. */
static void emit_entry(cg *g, const char *sym, LLVMValueRef impl, unsigned np) {
  LLVMTypeRef et[SJ_KABI_NPARAMS];
  for (unsigned i = 0; i < SJ_KABI_NPARAMS; i++) et[i] = ptrt(g);
  LLVMValueRef entry = LLVMAddFunction(g->M, sym, LLVMFunctionType(LLVMVoidTypeInContext(g->L), et, SJ_KABI_NPARAMS, 0));
  LLVMPositionBuilderAtEnd(g->B, LLVMAppendBasicBlockInContext(g->L, entry, "entry"));
  LLVMValueRef *args = calloc(np + 2, sizeof *args);
  if (!args) return sj_cg_nomem(g, g->kernel);
  for (unsigned i = 0; i < np; i++) {
    LLVMValueRef idx = ci64(g, i);
    LLVMValueRef p = LLVMBuildInBoundsGEP2(g->B, ptrt(g), LLVMGetParam(entry, SJ_KABI_PTRS), &idx, 1, "");
    args[i] = LLVMBuildLoad2(g->B, ptrt(g), p, "");
  }
  args[np] = LLVMGetParam(entry, SJ_KABI_DIMS);
  args[np + 1] = LLVMGetParam(entry, SJ_KABI_RT);
  LLVMBuildCall2(g->B, LLVMGlobalGetValueType(impl), impl, args, np + 2, "");
  LLVMBuildRetVoid(g->B);
  free(args);
}

static void emit_kernel(cg *g, const sj_op *k, const char *sym) {
  const sj_block *body = k->regions[0];
  char name[SJ_KABI_SYM_CAP + 8];
  for (unsigned i = 0; i < body->nargs; i++)
    if (!body->args[i]->type.is_tensor)
      return sj_cg_fail(g, k, "kernel @%s: parameter %u must be a tensor", sj_func_name(k), i);
  unsigned np = body->nargs;
  LLVMTypeRef *pt = calloc(np + 2, sizeof *pt);
  if (!pt) return sj_cg_nomem(g, k);
  for (unsigned i = 0; i < np + 2; i++) pt[i] = ptrt(g);
  snprintf(name, sizeof name, "%s.impl", sym);
  LLVMValueRef impl = LLVMAddFunction(g->M, name, LLVMFunctionType(LLVMVoidTypeInContext(g->L), pt, np + 2, 0));
  free(pt);
  LLVMSetLinkage(impl, LLVMInternalLinkage);
  for (unsigned i = 0; i < np + 1; i++) sj_cg_param_attr(g, impl, i, "noalias");
  g->kernel = k;
  g->cur.fn = impl;
  g->nouter = 0;
  g->cur.bufs = calloc(np + 1, sizeof *g->cur.bufs);
  if (!g->cur.bufs) return sj_cg_nomem(g, k);
  g->cur.nbufs = np;
  LLVMPositionBuilderAtEnd(g->B, LLVMAppendBasicBlockInContext(g->L, impl, "entry"));
  g->cur.dims_ptr = LLVMGetParam(impl, np);
  g->cur.rt_ptr = LLVMGetParam(impl, np + 1);
  for (unsigned i = 0; i < np; i++) {
    g->cur.bufs[i] = (cg_buf){.v = body->args[i], .param = i, .data = LLVMGetParam(impl, i)};
    sj_cg_setup_buf(g, &g->cur.bufs[i]);
  }
  sj_cg_emit_block(g, body);
  free(g->cur.bufs);
  g->cur.bufs = NULL;
  emit_entry(g, sym, impl, np);
}

/* Every function defined in the module gets the host's preferred vector
 * width (target.c), which the loop vectorizer and the x86 backend read. */
static void set_vector_width(cg *g) {
  if (!(g->isa & SJ_ISA_PREFER_512)) return;
  LLVMAttributeRef a = LLVMCreateStringAttribute(g->L, "prefer-vector-width", 19, "512", 3);
  for (LLVMValueRef f = LLVMGetFirstFunction(g->M); f; f = LLVMGetNextFunction(f))
    if (LLVMCountBasicBlocks(f)) LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, a);
}

sj_status sj_cg_optimize(cg *g, int opt_level, LLVMTargetMachineRef tm) {
  char pipeline[32];
  snprintf(pipeline, sizeof pipeline, "default<O%d>", opt_level < 0 ? 0 : opt_level > 3 ? 3 : opt_level);
  LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
  LLVMPassBuilderOptionsSetLoopVectorization(po, opt_level >= 2);
  LLVMPassBuilderOptionsSetSLPVectorization(po, opt_level >= 2);
  LLVMPassBuilderOptionsSetLoopUnrolling(po, opt_level >= 2);
  LLVMErrorRef e = LLVMRunPasses(g->M, pipeline, tm, po);
  LLVMDisposePassBuilderOptions(po);
  if (e) {
    char *msg = LLVMGetErrorMessage(e);
    sj_loc none = {0};
    sj_emit_error(g->sc, none, "codegen: LLVM passes failed: %s", msg);
    LLVMDisposeErrorMessage(msg);
    return SJ_ERR_PASS;
  }
  return SJ_OK;
}

/* LLVM's diagnostics on a host context (kept for its life: optimization
 * here, machine code in the caller). Without a handler LLVM prints them
 * to stderr and exits on an error; the library does neither. Warnings are
 * dropped: the expected one is "loop not vectorized" on a loop with the
 * loop.vectorize hint (loop_hints) where LLVM found vectorizing illegal
 * or ran no vectorizer (O1). An error is reported to the context. */
static void host_diag(LLVMDiagnosticInfoRef di, void *arg) {
  if (LLVMGetDiagInfoSeverity(di) != LLVMDSError) return;
  char *m = LLVMGetDiagInfoDescription(di);
  sj_loc none = {0};
  sj_emit_error(arg, none, "codegen: LLVM: %s", m ? m : "unknown error");
  LLVMDisposeMessage(m);
}

sj_status sj_cg_build_module(sj_ctx *diag, sj_op *const *ks, char (*syms)[SJ_KABI_SYM_CAP], size_t n,
                             int opt_level, LLVMContextRef L, LLVMModuleRef *out) {
  cg g = {.sc = diag, .L = L, .tgt = &sj_cg_host_target};
  LLVMContextSetDiagnosticHandler(L, host_diag, diag);
  LLVMTargetMachineRef tm = sj_cg_host_tm(LLVMCodeGenLevelAggressive, &g.isa);
  if (!tm) {
    sj_loc none = {0};
    sj_emit_error(diag, none, "codegen: cannot create a target machine for the host");
    return SJ_ERR_UNSUPPORTED;
  }
  g.M = sj_cg_module_for(L, "symjit", tm);
  g.B = LLVMCreateBuilderInContext(L);
  for (size_t i = 0; i < n && !g.st; i++) emit_kernel(&g, ks[i], syms[i]);
  sj_cg_finish_used(&g);
  LLVMDisposeBuilder(g.B);
  sj_cg_free_values(&g);
  char *msg = NULL;
  if (!g.st && LLVMVerifyModule(g.M, LLVMReturnStatusAction, &msg)) {
    sj_loc none = {0};
    sj_emit_error(diag, none, "codegen: invalid LLVM IR (internal error): %.400s", msg);
    g.st = SJ_ERR_UNSUPPORTED;
  }
  if (msg) LLVMDisposeMessage(msg);
  if (!g.st) set_vector_width(&g);
  if (!g.st && opt_level > 0) g.st = sj_cg_optimize(&g, opt_level, tm);
  LLVMDisposeTargetMachine(tm);
  if (g.st) {
    LLVMDisposeModule(g.M);
    return g.st;
  }
  *out = g.M;
  return SJ_OK;
}

sj_status sj_emit_llvm_ir(sj_module *m, const sj_cg_options *o, char **out) {
  sj_op_vec ks = {0};
  for (sj_op *f = m->body->first; f; f = f->next)
    if (f->code == SJ_OP_KERNEL) sj_op_vec_push(&ks, f);
  char (*syms)[SJ_KABI_SYM_CAP] = calloc(ks.n + 1, sizeof *syms);
  sj_loc none = {0};
  if (!syms) {
    sj_op_vec_free(&ks);
    sj_emit_error(m->ctx, none, "codegen: out of memory");
    return SJ_ERR_NOMEM;
  }
  sj_cg_kernel_symbols(ks.v, ks.n, syms);
  LLVMContextRef L = LLVMContextCreate();
  LLVMModuleRef M;
  sj_status st = sj_cg_build_module(m->ctx, ks.v, syms, ks.n, o ? o->opt_level : 3, L, &M);
  sj_op_vec_free(&ks);
  free(syms);
  if (st == SJ_OK) {
    char *s = LLVMPrintModuleToString(M);
    size_t len = strlen(s);
    *out = malloc(len + 1);
    if (*out) memcpy(*out, s, len + 1);
    else st = SJ_ERR_NOMEM, sj_emit_error(m->ctx, none, "codegen: out of memory printing the module");
    LLVMDisposeMessage(s);
    LLVMDisposeModule(M);
  }
  LLVMContextDispose(L);
  return st;
}
