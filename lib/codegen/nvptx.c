/* The NVPTX target: how a kernel's loops map to a GPU (docs/gpu.md). The
 * ops themselves are emitted by the shared emitter (emit.c, scalar_ops.c);
 * this file decides which threads run which loop iterations:
 *
 *   GRID_STRIDE    the kernel is one top-level parallel_for: each thread
 *                  runs iterations tid + k * (all threads), its body serially.
 *   BLOCK_PER_ROW  that parallel_for's iterations (rows) contain reductions:
 *                  a block runs a row cooperatively (below).
 *   TWO_STAGE      the kernel is one top-level reduction: stage 1 reduces a
 *                  grid-stride share per block into scratch, stage 2 (one
 *                  block) folds the parts and runs the rest cooperatively.
 *   ONE_BLOCK      anything else: the whole body cooperatively in one block.
 *
 * Cooperative emission of a block of ops (all threads of a CUDA block run
 * it, in step): a reduction `for` (sj_cg_reduction_ok) is split over the
 * threads from the combine's identity, combined across a warp with
 * shfl.sync.bfly and across warps through shared memory, so every thread
 * gets the result; a parallel_for, or a `for` whose iterations provably
 * write distinct elements (independent()), is split over the threads;
 * stores and other loops that write run on thread 0 (their results reach
 * the others through shared memory); pure ops run on every thread. A
 * bar.sync follows everything that writes, so later reads see it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvptx.h"
#include "symjit/tensor.h"

#define ci64 sj_cg_ci64

/* ---- NVVM intrinsics (not overloaded: no type suffix) ---- */

static LLVMValueRef nv_call(cg *g, const char *name, LLVMValueRef *args, unsigned n) {
  unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
  LLVMValueRef f = LLVMGetIntrinsicDeclaration(g->M, id, NULL, 0);
  return LLVMBuildCall2(g->B, LLVMIntrinsicGetType(g->L, id, NULL, 0), f, args, n, "");
}

static LLVMValueRef sreg(cg *g, const char *name) {
  return LLVMBuildZExt(g->B, nv_call(g, name, NULL, 0), sj_cg_i64(g), "");
}

static void barrier(cg *g) { nv_call(g, "llvm.nvvm.barrier0", NULL, 0); }

static LLVMTypeRef i32t(cg *g) { return LLVMInt32TypeInContext(g->L); }
static LLVMValueRef ci32(cg *g, unsigned v) { return LLVMConstInt(i32t(g), v, 0); }

static unsigned type_bits(LLVMTypeRef t) {
  switch (LLVMGetTypeKind(t)) {
  case LLVMIntegerTypeKind: return LLVMGetIntTypeWidth(t);
  case LLVMHalfTypeKind:
  case LLVMBFloatTypeKind: return 16;
  case LLVMFloatTypeKind: return 32;
  default: return 64;
  }
}

static LLVMValueRef shfl32(cg *g, LLVMValueRef x, unsigned off) {
  LLVMValueRef a[4] = {ci32(g, 0xffffffffu), x, ci32(g, off), ci32(g, 31)};
  return nv_call(g, "llvm.nvvm.shfl.sync.bfly.i32", a, 4);
}

/* The value of lane (lane ^ off), any scalar type: 32-bit pieces. */
static LLVMValueRef shfl(cg *g, LLVMValueRef v, unsigned off) {
  LLVMBuilderRef B = g->B;
  LLVMTypeRef ty = LLVMTypeOf(v);
  unsigned bits = type_bits(ty);
  LLVMTypeRef it = LLVMIntTypeInContext(g->L, bits);
  bool is_int = LLVMGetTypeKind(ty) == LLVMIntegerTypeKind;
  LLVMValueRef x = is_int ? v : LLVMBuildBitCast(B, v, it, ""), r;
  if (bits <= 32) {
    r = shfl32(g, bits < 32 ? LLVMBuildZExt(B, x, i32t(g), "") : x, off);
    if (bits < 32) r = LLVMBuildTrunc(B, r, it, "");
  } else {
    LLVMValueRef lo = shfl32(g, LLVMBuildTrunc(B, x, i32t(g), ""), off);
    LLVMValueRef hi = shfl32(g, LLVMBuildTrunc(B, LLVMBuildLShr(B, x, LLVMConstInt(it, 32, 0), ""), i32t(g), ""), off);
    r = LLVMBuildOr(B, LLVMBuildZExt(B, lo, it, ""), LLVMBuildShl(B, LLVMBuildZExt(B, hi, it, ""), LLVMConstInt(it, 32, 0), ""), "");
  }
  return is_int ? r : LLVMBuildBitCast(B, r, ty, "");
}

/* An internal addrspace(3) array of n values of type ty. */
static LLVMValueRef smem(cg *g, LLVMTypeRef ty, unsigned n) {
  char name[64];
  snprintf(name, sizeof name, "smem%u", g->gpu->nsmem++);
  LLVMTypeRef at = LLVMArrayType2(ty, n);
  LLVMValueRef gv = LLVMAddGlobalInAddressSpace(g->M, at, name, 3);
  LLVMSetLinkage(gv, LLVMInternalLinkage);
  LLVMSetInitializer(gv, LLVMGetUndef(at));
  LLVMSetAlignment(gv, 8);
  return gv;
}

static LLVMValueRef smem_at(cg *g, LLVMValueRef gv, LLVMTypeRef ty, unsigned n, LLVMValueRef i) {
  LLVMValueRef idx[2] = {ci64(g, 0), i};
  return LLVMBuildInBoundsGEP2(g->B, LLVMArrayType2(ty, n), gv, idx, 2, "");
}

/* ---- reductions ---- */

static LLVMValueRef combine(cg *g, const sj_op *loop, LLVMValueRef a, LLVMValueRef b) {
  LLVMValueRef args[2] = {a, b};
  return sj_cg_scalar_op(g, sj_cg_combine_op(loop), args);
}

static LLVMValueRef identity(cg *g, const sj_op *loop) {
  const sj_op *c = sj_cg_combine_op(loop);
  sj_dtype dt = sj_res(loop, 0)->type.dt;
  sj_attr id = sj_combine_identity(c->code, dt);
  LLVMTypeRef ty = sj_cg_dtype(g, dt);
  return id.kind == SJ_ATTR_FLOAT ? LLVMConstReal(ty, id.u.f) : LLVMConstInt(ty, (unsigned long long)id.u.i, 1);
}

/* Every thread's v combined across the block; every thread gets the total
 * (a butterfly in each warp, then each thread folds the warps' totals in
 * order, so all threads compute the same value). */
static LLVMValueRef block_reduce(cg *g, const sj_op *loop, LLVMValueRef v) {
  for (unsigned off = 16; off >= 1 && !g->st; off /= 2) v = combine(g, loop, v, shfl(g, v, off));
  if (g->st) return v;
  LLVMTypeRef ty = LLVMTypeOf(v);
  LLVMValueRef sm = smem(g, ty, SJ_GPU_WARPS);
  LLVMValueRef lane = LLVMBuildAnd(g->B, g->gpu->tid, ci64(g, 31), "lane");
  LLVMValueRef warp = LLVMBuildLShr(g->B, g->gpu->tid, ci64(g, 5), "warp");
  LLVMBasicBlockRef wr = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "warp.total");
  LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "block.total");
  LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, lane, ci64(g, 0), ""), wr, next);
  LLVMPositionBuilderAtEnd(g->B, wr);
  LLVMBuildStore(g->B, v, smem_at(g, sm, ty, SJ_GPU_WARPS, warp));
  LLVMBuildBr(g->B, next);
  LLVMPositionBuilderAtEnd(g->B, next);
  barrier(g);
  LLVMValueRef t = LLVMBuildLoad2(g->B, ty, smem_at(g, sm, ty, SJ_GPU_WARPS, ci64(g, 0)), "");
  for (unsigned w = 1; w < SJ_GPU_WARPS && !g->st; w++)
    t = combine(g, loop, t, LLVMBuildLoad2(g->B, ty, smem_at(g, sm, ty, SJ_GPU_WARPS, ci64(g, w)), ""));
  barrier(g); /* the array may be written again (the next row) */
  return t;
}

/* This thread's share of reduction `loop` from the identity: iterations
 * lo + first, step apart. Restores the loop's initial value after. */
static LLVMValueRef partial(cg *g, const sj_op *loop, LLVMValueRef first, LLVMValueRef step) {
  const sj_value *initv = sj_opnd(loop, 2);
  LLVMValueRef init = sj_cg_get(g, initv);
  sj_cg_set(g, initv, identity(g, loop));
  LLVMValueRef lo = LLVMBuildNSWAdd(g->B, sj_cg_get(g, sj_opnd(loop, 0)), first, "");
  sj_cg_emit_loop_step(g, loop, lo, sj_cg_get(g, sj_opnd(loop, 1)), step);
  sj_cg_set(g, initv, init);
  return g->st ? NULL : sj_cg_get(g, sj_res(loop, 0));
}

static LLVMValueRef block_step(cg *g) { (void)g; return ci64(g, SJ_GPU_BLOCK); }
static LLVMValueRef grid_first(cg *g) {
  return LLVMBuildNSWAdd(g->B, LLVMBuildNSWMul(g->B, g->gpu->ctaid, ci64(g, SJ_GPU_BLOCK), ""), g->gpu->tid, "");
}
static LLVMValueRef grid_step(cg *g) { return LLVMBuildNSWMul(g->B, g->gpu->nctaid, ci64(g, SJ_GPU_BLOCK), ""); }

static void coop_reduce(cg *g, const sj_op *loop) {
  LLVMValueRef p = partial(g, loop, g->gpu->tid, block_step(g));
  if (!p) return;
  LLVMValueRef t = block_reduce(g, loop, p);
  if (!g->st) sj_cg_set(g, sj_res(loop, 0), combine(g, loop, sj_cg_get(g, sj_opnd(loop, 2)), t));
}

/* ---- what may run on many threads ---- */

static bool writes(const sj_op *op) {
  if (sj_op_has(op, SJ_F_WRITES)) return true;
  if (!op->nregions) return false;
  sj_op_vec ops = {0};
  sj_collect_ops(op->regions[0], &ops);
  bool w = ops.failed; /* unsure: assume it writes */
  for (size_t i = 0; i < ops.n && !w; i++) w = sj_op_has(ops.v[i], SJ_F_WRITES);
  sj_op_vec_free(&ops);
  return w;
}

/* A `for` without carried values whose iterations write distinct elements
 * and read nothing the loop writes: each store has the loop's variable as
 * one of its indices, and no op in the loop reads a buffer it stores to. */
static bool independent(const sj_op *loop) {
  if (loop->nresults || loop->regions[0]->nargs != 1) return false;
  const sj_value *iv = loop->regions[0]->args[0];
  sj_op_vec ops = {0};
  sj_collect_ops(loop->regions[0], &ops);
  bool ok = !ops.failed;
  for (size_t i = 0; i < ops.n && ok; i++) {
    const sj_op *o = ops.v[i];
    if (!sj_op_has(o, SJ_F_WRITES)) continue;
    if (o->code != SJ_OP_STORE) ok = false;
    bool has_iv = false;
    for (unsigned k = 2; k < o->nopnds && ok; k++) has_iv |= sj_opnd(o, k) == iv;
    ok = ok && has_iv;
    for (size_t j = 0; j < ops.n && ok; j++)
      if (sj_op_has(ops.v[j], SJ_F_READS))
        for (unsigned k = 0; k < ops.v[j]->nopnds; k++) ok = ok && sj_opnd(ops.v[j], k) != sj_opnd(o, 1);
  }
  sj_op_vec_free(&ops);
  return ok;
}

static bool is_reduction(const sj_op *op) {
  return op->code == SJ_OP_FOR && sj_op_attr(op, "combine") && op->nresults == 1 && sj_cg_reduction_ok(op);
}

static bool is_map(const sj_op *op) {
  return op->code == SJ_OP_PARALLEL_FOR || (op->code == SJ_OP_FOR && independent(op));
}

/* ---- cooperative emission ---- */

/* op on thread 0 only; its results reach every thread through shared
 * memory; a barrier after. */
static void on_thread0(cg *g, const sj_op *op) {
  LLVMBasicBlockRef one = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "thread0");
  LLVMBasicBlockRef all = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "all");
  LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, g->gpu->tid, ci64(g, 0), ""), one, all);
  LLVMPositionBuilderAtEnd(g->B, one);
  sj_cg_emit_op(g, op);
  if (g->st) return;
  LLVMValueRef slots[64];
  if (op->nresults > 64) return sj_cg_fail(g, op, "not supported on nvptx: more than 64 loop results");
  for (unsigned k = 0; k < op->nresults; k++) {
    LLVMTypeRef ty = sj_cg_dtype(g, sj_res(op, k)->type.dt);
    slots[k] = smem(g, ty, 1);
    LLVMBuildStore(g->B, sj_cg_get(g, sj_res(op, k)), smem_at(g, slots[k], ty, 1, ci64(g, 0)));
  }
  LLVMBuildBr(g->B, all);
  LLVMPositionBuilderAtEnd(g->B, all);
  barrier(g);
  for (unsigned k = 0; k < op->nresults; k++) {
    LLVMTypeRef ty = sj_cg_dtype(g, sj_res(op, k)->type.dt);
    sj_cg_set(g, sj_res(op, k), LLVMBuildLoad2(g->B, ty, smem_at(g, slots[k], ty, 1, ci64(g, 0)), ""));
  }
}

/* TWO_STAGE stage 2: the reduction's result from the stage-1 parts. */
static void fold_parts(cg *g, const sj_op *loop) {
  LLVMTypeRef ty = sj_cg_dtype(g, sj_res(loop, 0)->type.dt);
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->B);
  LLVMBasicBlockRef head = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "parts");
  LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "parts.body");
  LLVMBasicBlockRef exit = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "parts.exit");
  LLVMValueRef id = identity(g, loop);
  LLVMBuildBr(g->B, head);
  LLVMPositionBuilderAtEnd(g->B, head);
  LLVMValueRef j = LLVMBuildPhi(g->B, sj_cg_i64(g), "j"), acc = LLVMBuildPhi(g->B, ty, "acc");
  LLVMAddIncoming(j, &g->gpu->tid, &pre, 1);
  LLVMAddIncoming(acc, &id, &pre, 1);
  LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, j, g->gpu->nparts, ""), body, exit);
  LLVMPositionBuilderAtEnd(g->B, body);
  LLVMValueRef x = LLVMBuildLoad2(g->B, ty, LLVMBuildInBoundsGEP2(g->B, ty, g->gpu->scratch, &j, 1, ""), "");
  LLVMValueRef a2 = combine(g, loop, acc, x), j2 = LLVMBuildNSWAdd(g->B, j, ci64(g, SJ_GPU_BLOCK), "");
  LLVMBasicBlockRef latch = LLVMGetInsertBlock(g->B);
  LLVMBuildBr(g->B, head);
  LLVMAddIncoming(j, &j2, &latch, 1);
  LLVMAddIncoming(acc, &a2, &latch, 1);
  LLVMPositionBuilderAtEnd(g->B, exit);
  LLVMValueRef t = block_reduce(g, loop, acc);
  if (!g->st) sj_cg_set(g, sj_res(loop, 0), combine(g, loop, sj_cg_get(g, sj_opnd(loop, 2)), t));
}

static void coop_block(cg *g, const sj_block *b) {
  for (const sj_op *op = b->first; op && !g->st; op = op->next) {
    if (op == g->gpu->fold) fold_parts(g, op);
    else if (is_reduction(op)) coop_reduce(g, op);
    else if (op->code == SJ_OP_FOR || op->code == SJ_OP_PARALLEL_FOR) {
      bool w = writes(op);
      if (is_map(op)) {
        LLVMValueRef lo = LLVMBuildNSWAdd(g->B, sj_cg_get(g, sj_opnd(op, 0)), g->gpu->tid, "");
        sj_cg_emit_loop_step(g, op, lo, sj_cg_get(g, sj_opnd(op, 1)), block_step(g));
        if (w) barrier(g);
      } else if (w) on_thread0(g, op);
      else sj_cg_emit_op(g, op); /* pure: every thread computes it */
    } else if (writes(op)) on_thread0(g, op);
    else sj_cg_emit_op(g, op);
  }
}

/* ---- kernel shapes ---- */

/* The ops of the kernel's top level that are not pure scalar code. */
typedef struct shape {
  const sj_op *first; /* the first loop or store */
  unsigned nloops, nstores, nother;
} shape;

static shape top_shape(const sj_block *b) {
  shape s = {0};
  for (const sj_op *op = b->first; op; op = op->next) {
    bool loop = op->code == SJ_OP_FOR || op->code == SJ_OP_PARALLEL_FOR;
    if (loop) s.nloops++;
    else if (op->code == SJ_OP_STORE) s.nstores++;
    else if (writes(op)) s.nother++;
    if ((loop || op->code == SJ_OP_STORE) && !s.first) s.first = op;
  }
  return s;
}

/* Reductions shorter than this (a constant trip count) are cheaper on one
 * thread than across a block: two barriers per reduction. */
#define SJ_GPU_MIN_COOP 64

static bool short_loop(const sj_op *loop) {
  const sj_op *lo = sj_opnd(loop, 0)->def, *hi = sj_opnd(loop, 1)->def;
  const sj_attr *la = lo && lo->code == SJ_OP_CONSTANT ? sj_op_attr(lo, "value") : NULL;
  const sj_attr *ha = hi && hi->code == SJ_OP_CONSTANT ? sj_op_attr(hi, "value") : NULL;
  return la && ha && la->kind == SJ_ATTR_INT && ha->kind == SJ_ATTR_INT && ha->u.i - la->u.i < SJ_GPU_MIN_COOP;
}

/* A row that contains a reduction worth a block at its own top level. */
static bool rows_reduce(const sj_op *pf) {
  for (const sj_op *op = pf->regions[0]->first; op; op = op->next)
    if (is_reduction(op) && !short_loop(op)) return true;
  return false;
}

/* Only pure ops before the reduction r (stage 1 runs them on every thread
 * of every block), and after it only pure ops and stores (stage 2). */
static bool two_stage_ok(const sj_block *b, const sj_op *r) {
  bool after = false;
  for (const sj_op *op = b->first; op; op = op->next) {
    if (op == r) {
      after = true;
      continue;
    }
    bool loop = op->code == SJ_OP_FOR || op->code == SJ_OP_PARALLEL_FOR;
    if (loop || (writes(op) && (op->code != SJ_OP_STORE || !after))) return false;
  }
  return true;
}

static sj_gpu_launch classify(const sj_op *k) {
  const sj_block *b = k->regions[0];
  shape s = top_shape(b);
  if (s.nloops == 1 && !s.nstores && !s.nother && s.first->code == SJ_OP_PARALLEL_FOR)
    return rows_reduce(s.first) ? SJ_GPU_BLOCK_PER_ROW : SJ_GPU_GRID_STRIDE;
  if (s.nloops == 1 && !s.nother && s.first->code == SJ_OP_FOR && is_reduction(s.first) && two_stage_ok(b, s.first))
    return SJ_GPU_TWO_STAGE;
  return SJ_GPU_ONE_BLOCK;
}

/* The trip count of loop as trip_scale * dim(trip_param, trip_axis). */
static void trips(const sj_op *k, const sj_op *loop, sj_gpu_kernel *info) {
  info->trip_scale = -1, info->trip_param = -1, info->trip_axis = 0;
  const sj_op *lo = sj_opnd(loop, 0)->def, *hi = sj_opnd(loop, 1)->def;
  const sj_attr *la = lo && lo->code == SJ_OP_CONSTANT ? sj_op_attr(lo, "value") : NULL;
  if (!la || la->kind != SJ_ATTR_INT || la->u.i != 0 || !hi) return;
  if (hi->code == SJ_OP_CONSTANT) {
    const sj_attr *ha = sj_op_attr(hi, "value");
    if (ha->kind == SJ_ATTR_INT) info->trip_scale = ha->u.i > 0 ? ha->u.i : 0;
    return;
  }
  if (hi->code != SJ_OP_DIM) return;
  const sj_block *b = k->regions[0];
  for (unsigned i = 0; i < b->nargs; i++)
    if (b->args[i] == sj_opnd(hi, 0))
      info->trip_scale = 1, info->trip_param = (int)i, info->trip_axis = (int)sj_op_int(hi, "axis", 0);
}

/* ---- entries ---- */

static void annotate(cg *g, LLVMValueRef fn, const char *key, unsigned v) {
  LLVMValueRef md[3] = {fn, LLVMMDStringInContext(g->L, key, (unsigned)strlen(key)), ci32(g, v)};
  LLVMAddNamedMetadataOperand(g->M, "nvvm.annotations", LLVMMDNodeInContext(g->L, md, 3));
}

/* A buffer parameter never stored to in the kernel. */
static bool read_only(const sj_op *k, const sj_value *buf) {
  for (const sj_use *u = buf->uses; u; u = u->next)
    if (sj_op_has(u->user, SJ_F_WRITES)) return false;
  (void)k;
  return true;
}

/* The entry's function with the ABI's parameters; binds the buffers. */
static LLVMValueRef begin_entry(cg *g, const sj_op *k, const char *name, sj_gpu_kernel *info, bool two_stage) {
  const sj_block *body = k->regions[0];
  unsigned np = body->nargs, nd = 0;
  for (unsigned i = 0; i < np; i++) nd += (unsigned)body->args[i]->type.rank;
  LLVMTypeRef pt[SJ_GPU_MAX_PARAMS * (1 + SJ_MAX_RANK) + 2];
  LLVMTypeRef gptr = LLVMPointerTypeInContext(g->L, 1);
  unsigned n = 0;
  for (unsigned i = 0; i < np; i++) pt[n++] = gptr;
  for (unsigned i = 0; i < nd; i++) pt[n++] = sj_cg_i64(g);
  if (two_stage) pt[n++] = gptr, pt[n++] = sj_cg_i64(g);
  LLVMValueRef fn = LLVMAddFunction(g->M, name, LLVMFunctionType(LLVMVoidTypeInContext(g->L), pt, n, 0));
  annotate(g, fn, "kernel", 1);
  annotate(g, fn, "reqntidx", SJ_GPU_BLOCK);
  g->kernel = k;
  g->cur.fn = fn;
  g->cur.bufs = calloc(np + 1, sizeof *g->cur.bufs);
  if (!g->cur.bufs) {
    sj_cg_nomem(g, k);
    return fn;
  }
  g->cur.nbufs = np;
  LLVMPositionBuilderAtEnd(g->B, LLVMAppendBasicBlockInContext(g->L, fn, "entry"));
  unsigned d = np;
  for (unsigned i = 0; i < np; i++) {
    cg_buf *b = &g->cur.bufs[i];
    *b = (cg_buf){.v = body->args[i], .param = i, .data = LLVMGetParam(fn, i)};
    sj_cg_param_attr(g, fn, i, "noalias");
    if (read_only(k, b->v)) sj_cg_param_attr(g, fn, i, "readonly"), sj_cg_param_attr(g, fn, i, "nocapture");
    for (int a = 0; a < b->v->type.rank; a++, d++) /* the static dims are passed too, unread */
      b->dims[a] = b->v->type.dims[a] != SJ_DYN ? ci64(g, b->v->type.dims[a]) : LLVMGetParam(fn, d);
    sj_cg_buf_strides(g, b);
  }
  info->nparams = np, info->ndims = nd;
  for (unsigned i = 0; i < np; i++) info->rank[i] = (unsigned char)body->args[i]->type.rank;
  sj_gpu_state *s = g->gpu;
  s->tid = sreg(g, "llvm.nvvm.read.ptx.sreg.tid.x");
  s->ctaid = sreg(g, "llvm.nvvm.read.ptx.sreg.ctaid.x");
  s->nctaid = sreg(g, "llvm.nvvm.read.ptx.sreg.nctaid.x");
  s->scratch = two_stage ? LLVMGetParam(fn, np + nd) : NULL;
  s->nparts = two_stage ? LLVMGetParam(fn, np + nd + 1) : NULL;
  s->fold = NULL;
  return fn;
}

static void end_entry(cg *g) {
  if (!g->st && !LLVMGetBasicBlockTerminator(LLVMGetInsertBlock(g->B))) LLVMBuildRetVoid(g->B);
  free(g->cur.bufs);
  g->cur.bufs = NULL;
  free(g->cur.vkeys);
  free(g->cur.vvals);
  g->cur.vkeys = NULL, g->cur.vvals = NULL, g->cur.vcap = g->cur.vn = 0;
}

/* The top-level ops before `stop` (pure scalar code), per thread. */
static void prelude(cg *g, const sj_block *b, const sj_op *stop) {
  for (const sj_op *op = b->first; op && op != stop && !g->st; op = op->next) sj_cg_emit_op(g, op);
}

/* One row of a BLOCK_PER_ROW kernel, cooperatively by the block. */
static void row_body(cg *g, LLVMValueRef r, void *arg) {
  const sj_block *b = arg;
  sj_cg_set(g, b->args[0], r);
  coop_block(g, b);
}

/* GRID_STRIDE / BLOCK_PER_ROW: the one parallel_for over the grid. */
static void emit_mapped(cg *g, const sj_op *k, bool rows) {
  const sj_block *b = k->regions[0];
  const sj_op *pf = top_shape(b).first;
  prelude(g, b, pf);
  if (g->st) return;
  LLVMValueRef lo = sj_cg_get(g, sj_opnd(pf, 0)), hi = sj_cg_get(g, sj_opnd(pf, 1));
  if (!rows) {
    sj_cg_emit_loop_step(g, pf, LLVMBuildNSWAdd(g->B, lo, grid_first(g), ""), hi, grid_step(g));
    return;
  }
  /* block b runs rows b, b + gridDim, ...: the loop is uniform in a block,
   * so the barriers inside are reached by all its threads */
  sj_cg_loop rl = {.lo = LLVMBuildNSWAdd(g->B, lo, g->gpu->ctaid, ""), .hi = hi, .step = g->gpu->nctaid, .name = "row",
                   .index = "r"};
  sj_cg_counted_loop(g, &rl, row_body, (void *)pf->regions[0]);
}

/* TWO_STAGE stage 1: this block's part of the reduction into scratch. */
static void emit_stage1(cg *g, const sj_op *k) {
  const sj_block *b = k->regions[0];
  const sj_op *r = top_shape(b).first;
  prelude(g, b, r);
  if (g->st) return;
  LLVMValueRef p = partial(g, r, grid_first(g), grid_step(g));
  if (!p) return;
  LLVMValueRef t = block_reduce(g, r, p);
  LLVMBasicBlockRef one = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "thread0");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "done");
  LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntEQ, g->gpu->tid, ci64(g, 0), ""), one, done);
  LLVMPositionBuilderAtEnd(g->B, one);
  LLVMBuildStore(g->B, t, LLVMBuildInBoundsGEP2(g->B, LLVMTypeOf(t), g->gpu->scratch, &g->gpu->ctaid, 1, ""));
  LLVMBuildBr(g->B, done);
  LLVMPositionBuilderAtEnd(g->B, done);
}

void sj_nvptx_emit_kernel(cg *g, const sj_op *k, const char *sym, sj_gpu_kernel *info) {
  const sj_block *body = k->regions[0];
  *info = (sj_gpu_kernel){.op = k, .block = SJ_GPU_BLOCK, .trip_scale = 1, .trip_param = -1};
  snprintf(info->name, sizeof info->name, "%s", sym);
  if (body->nargs > SJ_GPU_MAX_PARAMS)
    return sj_cg_fail(g, k, "not supported on nvptx: kernel @%s has more than %d parameters", sj_func_name(k),
                      SJ_GPU_MAX_PARAMS);
  for (unsigned i = 0; i < body->nargs; i++)
    if (!body->args[i]->type.is_tensor)
      return sj_cg_fail(g, k, "kernel @%s: parameter %u must be a tensor", sj_func_name(k), i);
  info->kind = classify(k);
  const sj_op *first = top_shape(body).first;
  if (info->kind == SJ_GPU_GRID_STRIDE || info->kind == SJ_GPU_BLOCK_PER_ROW || info->kind == SJ_GPU_TWO_STAGE)
    trips(k, first, info);
  if (info->kind == SJ_GPU_TWO_STAGE) {
    snprintf(info->stage1, sizeof info->stage1, "%s$s1", sym);
    info->part_bytes = (unsigned)sj_dtype_size(sj_res(first, 0)->type.dt);
    info->max_parts = SJ_GPU_MAX_PARTS;
    begin_entry(g, k, info->stage1, info, true);
    if (!g->st) emit_stage1(g, k);
    end_entry(g);
    if (g->st) return;
  }
  begin_entry(g, k, info->name, info, info->kind == SJ_GPU_TWO_STAGE);
  if (g->st) return end_entry(g);
  if (info->kind == SJ_GPU_GRID_STRIDE || info->kind == SJ_GPU_BLOCK_PER_ROW)
    emit_mapped(g, k, info->kind == SJ_GPU_BLOCK_PER_ROW);
  else {
    g->gpu->fold = info->kind == SJ_GPU_TWO_STAGE ? first : NULL;
    coop_block(g, body); /* its `return` ends the entry */
  }
  end_entry(g);
}

/* ---- the target's hooks ---- */

/* Per thread, a parallel_for nested in an iteration is a plain loop. */
static void gpu_parallel_for(cg *g, const sj_op *op) {
  sj_cg_emit_loop(g, op, sj_cg_get(g, sj_opnd(op, 0)), sj_cg_get(g, sj_opnd(op, 1)));
}

static bool gpu_loop(cg *g, const sj_op *op) { (void)g, (void)op; return false; }

/* libdevice's functions; nothing else: LLVM 19's NVPTX backend cannot
 * lower llvm.exp/log/tanh (an error) nor llvm.sin/cos/pow (a process
 * abort), notes/gpu.md. */
static const char *const libdevice_names[] = {"exp", "log", "log1p", "expm1", "tanh", "pow"};

static LLVMValueRef libdevice_call(cg *g, const char *fname, LLVMValueRef *a, unsigned n, sj_dtype dt) {
  bool known = false;
  for (size_t i = 0; i < sizeof libdevice_names / sizeof *libdevice_names; i++) known |= !strcmp(fname, libdevice_names[i]);
  if (!known) {
    sj_cg_fail(g, g->kernel, "not supported on nvptx: math function '%s'", fname);
    return LLVMGetUndef(sj_cg_dtype(g, dt));
  }
  bool f64 = dt == SJ_F64, half = dt == SJ_F16 || dt == SJ_BF16;
  LLVMTypeRef et = f64 ? LLVMDoubleTypeInContext(g->L) : LLVMFloatTypeInContext(g->L);
  char name[32];
  snprintf(name, sizeof name, "__nv_%s%s", fname, f64 ? "" : "f");
  LLVMTypeRef pt[2] = {et, et}, fty = LLVMFunctionType(et, pt, n, 0);
  LLVMValueRef f = LLVMGetNamedFunction(g->M, name);
  if (!f) f = LLVMAddFunction(g->M, name, fty);
  LLVMValueRef args[2];
  for (unsigned i = 0; i < n; i++) args[i] = half ? LLVMBuildFPExt(g->B, a[i], et, "") : a[i];
  LLVMValueRef r = LLVMBuildCall2(g->B, fty, f, args, n, "");
  return half ? LLVMBuildFPTrunc(g->B, r, sj_cg_dtype(g, dt), "") : r;
}

static LLVMValueRef gpu_math1(cg *g, const char *fname, LLVMValueRef x, sj_dtype dt) {
  return libdevice_call(g, fname, &x, 1, dt);
}

static LLVMValueRef gpu_math2(cg *g, const char *fname, LLVMValueRef x, LLVMValueRef y, sj_dtype dt) {
  LLVMValueRef a[2] = {x, y};
  return libdevice_call(g, fname, a, 2, dt);
}

/* What NVPTX in LLVM 19 selects (checked with llc-19 per architecture;
 * a half op it cannot select aborts the process, notes/gpu.md): f16 add,
 * sub, mul, neg from sm_53 (every architecture symjit accepts), f16
 * max/min (NaN-propagating) from sm_80 (f16 abs it promotes to f32: left
 * to symjit's widening); bf16 neg, abs, max, min from sm_80, add, sub, mul
 * only on sm_90 (bf16 max/min below sm_80 abort). */
static unsigned gpu_native_half(cg *g, sj_dtype dt) {
  const sj_gpu_state *s = g->gpu;
  if (!s || !s->native_half) return 0;
  if (dt == SJ_F16) return SJ_HALF_ARITH | SJ_HALF_NEG | (s->sm >= 80 ? SJ_HALF_MINMAX : 0);
  if (dt != SJ_BF16 || s->sm < 80) return 0;
  return SJ_HALF_NEG | SJ_HALF_ABS | SJ_HALF_MINMAX | (s->sm >= 90 ? SJ_HALF_ARITH : 0);
}

const sj_cg_target sj_cg_nvptx_target = {
    .name = "nvptx",
    .parallel_for = gpu_parallel_for,
    .loop = gpu_loop,
    .math1 = gpu_math1,
    .math2 = gpu_math2,
    .half_in_f32 = true,
    .native_half = gpu_native_half,
};
