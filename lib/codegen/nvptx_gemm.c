/* The GPU GEMM (no cuBLAS): C[b] = alpha * op(A[b]) @ op(B[b]) + beta * Z[b]
 * as one NVPTX entry per dtype and transposition (ABI: gpu_abi.h).
 *
 * A block of 16 x 16 threads computes a 64 x 64 tile of C. K advances in
 * steps of 16: the block stages a 64 x 16 slice of A and a 16 x 64 slice of
 * B in shared memory (each thread loads 4 + 4 elements, consecutive threads
 * reading consecutive addresses along the operand's contiguous axis, zero
 * outside the matrices), bar.sync, then every thread accumulates its 4 x 4
 * outputs, rows ty + 16 i and columns tx + 16 j, so that a warp's reads of
 * the B slice hit 16 distinct banks and its writes of C are contiguous.
 * f16/bf16 accumulate in f32 and round once at the end, as the CPU path. */
#include <stdio.h>
#include <string.h>

#include <llvm-c/DebugInfo.h>

#include "nvptx.h"

#define TILE SJ_GPU_GEMM_TILE
#define KSTEP 16
#define PER 4 /* outputs per thread along each axis: TILE / 16 */
/* Row pitch of the shared slices: one more than TILE, so that the 16
 * threads storing one column of a slice hit distinct banks. */
#define PITCH (TILE + 1)

typedef struct gemm {
  cg *g;
  sj_dtype dt;  /* storage */
  sj_dtype cdt; /* compute: f32 or f64 */
  LLVMTypeRef st, ct;
  bool ta, tb;
  LLVMValueRef a, b, c, z, M, N, K, batch, sa, sb, sc, alpha, beta;
  LLVMValueRef tid, tx, ty, m0, n0;
  LLVMValueRef as, bs; /* shared [KSTEP x TILE] of ct */
  LLVMValueRef acc[PER][PER];
  LLVMValueRef bat_a, bat_b; /* this batch's A and B */
  const sj_gpu_epi *epi;     /* the fused epilogue, or NULL */
} gemm;

#define ci64 sj_cg_ci64

static LLVMValueRef nv(cg *g, const char *name) {
  unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
  LLVMValueRef f = LLVMGetIntrinsicDeclaration(g->M, id, NULL, 0);
  LLVMValueRef r = LLVMBuildCall2(g->B, LLVMIntrinsicGetType(g->L, id, NULL, 0), f, NULL, 0, "");
  return LLVMGetTypeKind(LLVMTypeOf(r)) == LLVMVoidTypeKind ? r : LLVMBuildZExt(g->B, r, sj_cg_i64(g), "");
}

static LLVMValueRef add(gemm *q, LLVMValueRef x, LLVMValueRef y) { return LLVMBuildNSWAdd(q->g->B, x, y, ""); }
static LLVMValueRef mul(gemm *q, LLVMValueRef x, LLVMValueRef y) { return LLVMBuildNSWMul(q->g->B, x, y, ""); }
static LLVMValueRef lt(gemm *q, LLVMValueRef x, LLVMValueRef y) { return LLVMBuildICmp(q->g->B, LLVMIntSLT, x, y, ""); }

static LLVMValueRef shared_tile(gemm *q, const char *name) {
  LLVMTypeRef at = LLVMArrayType2(q->ct, KSTEP * PITCH);
  LLVMValueRef gv = LLVMAddGlobalInAddressSpace(q->g->M, at, name, 3);
  LLVMSetLinkage(gv, LLVMInternalLinkage);
  LLVMSetInitializer(gv, LLVMGetUndef(at));
  LLVMSetAlignment(gv, 16);
  return gv;
}

static LLVMValueRef tile_at(gemm *q, LLVMValueRef tile, LLVMValueRef kk, LLVMValueRef x) {
  LLVMValueRef idx[2] = {ci64(q->g, 0), add(q, mul(q, kk, ci64(q->g, PITCH)), x)};
  return LLVMBuildInBoundsGEP2(q->g->B, LLVMArrayType2(q->ct, KSTEP * PITCH), tile, idx, 2, "");
}

/* A counted loop i = lo; i < hi; i += step, uniform in the block (the
 * shared sj_cg_counted_loop); returns the back edge's branch. */
typedef void (*loop_body)(gemm *q, LLVMValueRef i);
typedef struct gemm_step {
  gemm *q;
  loop_body body;
} gemm_step;
static void run_step(cg *g, LLVMValueRef i, void *arg) {
  (void)g;
  gemm_step *st = arg;
  st->body(st->q, i);
}
static LLVMValueRef loop(gemm *q, LLVMValueRef lo, LLVMValueRef hi, LLVMValueRef step, loop_body body, const char *name) {
  gemm_step st = {q, body};
  return sj_cg_counted_loop(q->g, &(sj_cg_loop){.lo = lo, .hi = hi, .step = step, .name = name, .index = name}, run_step,
                            &st);
}

/* *dst = in range ? convert(src[off]) : 0 */
static void stage(gemm *q, LLVMValueRef src, LLVMValueRef off, LLVMValueRef ok, LLVMValueRef dst) {
  cg *g = q->g;
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->B);
  LLVMBasicBlockRef ld = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "ld");
  LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "ld.join");
  LLVMBuildCondBr(g->B, ok, ld, join);
  LLVMPositionBuilderAtEnd(g->B, ld);
  LLVMValueRef x = LLVMBuildLoad2(g->B, q->st, LLVMBuildInBoundsGEP2(g->B, q->st, src, &off, 1, ""), "");
  x = sj_cg_convert(g, x, q->dt, q->cdt);
  LLVMBuildBr(g->B, join);
  LLVMPositionBuilderAtEnd(g->B, join);
  LLVMValueRef v = LLVMBuildPhi(g->B, q->ct, "");
  LLVMValueRef zero = LLVMConstReal(q->ct, 0);
  LLVMAddIncoming(v, &zero, &pre, 1);
  LLVMAddIncoming(v, &x, &ld, 1);
  LLVMBuildStore(g->B, v, dst);
}

/* acc += column kk of the A slice times row kk of the B slice. */
static void rank1(gemm *q, LLVMValueRef kk) {
  cg *g = q->g;
  LLVMValueRef av[PER], bv[PER];
  for (int i = 0; i < PER; i++) {
    av[i] = LLVMBuildLoad2(g->B, q->ct, tile_at(q, q->as, kk, add(q, q->ty, ci64(g, 16 * i))), "");
    bv[i] = LLVMBuildLoad2(g->B, q->ct, tile_at(q, q->bs, kk, add(q, q->tx, ci64(g, 16 * i))), "");
  }
  for (int i = 0; i < PER; i++)
    for (int j = 0; j < PER; j++) {
      LLVMValueRef args[3] = {av[i], bv[j], LLVMBuildLoad2(g->B, q->ct, q->acc[i][j], "")};
      LLVMBuildStore(g->B, sj_cg_intrinsic(g, "llvm.fmuladd", q->ct, args, 3), q->acc[i][j]);
    }
}

/* llvm.loop.unroll.disable on the loop whose back edge is br. */
static void no_unroll(cg *g, LLVMValueRef br) {
  LLVMMetadataRef tmp = LLVMTemporaryMDNode(g->L, NULL, 0);
  LLVMMetadataRef dis = LLVMMDStringInContext2(g->L, "llvm.loop.unroll.disable", 24);
  LLVMMetadataRef hint = LLVMMDNodeInContext2(g->L, &dis, 1);
  LLVMMetadataRef ops[2] = {tmp, hint};
  LLVMMetadataRef id = LLVMMDNodeInContext2(g->L, ops, 2);
  LLVMMetadataReplaceAllUsesWith(tmp, id);
  LLVMSetMetadata(br, LLVMGetMDKindIDInContext(g->L, "llvm.loop", 9), LLVMMetadataAsValue(g->L, id));
}

/* One K step at k0: stage the slices, then 16 rank-1 updates. */
static void kstep(gemm *q, LLVMValueRef k0) {
  cg *g = q->g;
  LLVMValueRef base_a = q->bat_a, base_b = q->bat_b;
  for (int r = 0; r < TILE * KSTEP / SJ_GPU_GEMM_BLOCK; r++) {
    LLVMValueRef e = add(q, q->tid, ci64(g, r * SJ_GPU_GEMM_BLOCK));
    /* A slice: rows m0..m0+64, columns k0..k0+16 of op(A) */
    LLVMValueRef mm, kk, off;
    if (!q->ta) { /* A[m][k]: k contiguous */
      mm = LLVMBuildUDiv(g->B, e, ci64(g, KSTEP), ""), kk = LLVMBuildURem(g->B, e, ci64(g, KSTEP), "");
      off = add(q, mul(q, add(q, q->m0, mm), q->K), add(q, k0, kk));
    } else { /* A[k][m]: m contiguous */
      kk = LLVMBuildUDiv(g->B, e, ci64(g, TILE), ""), mm = LLVMBuildURem(g->B, e, ci64(g, TILE), "");
      off = add(q, mul(q, add(q, k0, kk), q->M), add(q, q->m0, mm));
    }
    LLVMValueRef ok = LLVMBuildAnd(g->B, lt(q, add(q, q->m0, mm), q->M), lt(q, add(q, k0, kk), q->K), "");
    stage(q, base_a, off, ok, tile_at(q, q->as, kk, mm));
    /* B slice: rows k0..k0+16, columns n0..n0+64 of op(B) */
    LLVMValueRef nn;
    if (!q->tb) { /* B[k][n]: n contiguous */
      kk = LLVMBuildUDiv(g->B, e, ci64(g, TILE), ""), nn = LLVMBuildURem(g->B, e, ci64(g, TILE), "");
      off = add(q, mul(q, add(q, k0, kk), q->N), add(q, q->n0, nn));
    } else { /* B[n][k]: k contiguous */
      nn = LLVMBuildUDiv(g->B, e, ci64(g, KSTEP), ""), kk = LLVMBuildURem(g->B, e, ci64(g, KSTEP), "");
      off = add(q, mul(q, add(q, q->n0, nn), q->K), add(q, k0, kk));
    }
    ok = LLVMBuildAnd(g->B, lt(q, add(q, q->n0, nn), q->N), lt(q, add(q, k0, kk), q->K), "");
    stage(q, base_b, off, ok, tile_at(q, q->bs, kk, nn));
  }
  nv(g, "llvm.nvvm.barrier0");
  if (q->cdt == SJ_F64) { /* unrolled, the 16 steps' loads need more than ptxas's 128 registers */
    no_unroll(g, loop(q, ci64(g, 0), ci64(g, KSTEP), ci64(g, 1), rank1, "kk"));
  } else {
    for (int kk = 0; kk < KSTEP; kk++) rank1(q, ci64(g, kk));
  }
  nv(g, "llvm.nvvm.barrier0"); /* the slices are written again by the next step */
}

/* C = alpha acc + beta Z for this thread's outputs inside the matrix;
 * with a fused epilogue, the epilogue on each (C stored only when read
 * after the gemm). */
static void write_c(gemm *q, LLVMValueRef cbase, LLVMValueRef zbase) {
  cg *g = q->g;
  LLVMValueRef use_z = LLVMBuildFCmp(g->B, LLVMRealUNE, q->beta, LLVMConstReal(q->ct, 0), "");
  for (int i = 0; i < PER; i++)
    for (int j = 0; j < PER; j++) {
      LLVMValueRef m = add(q, q->m0, add(q, q->ty, ci64(g, 16 * i))), n = add(q, q->n0, add(q, q->tx, ci64(g, 16 * j)));
      LLVMBasicBlockRef st = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "st");
      LLVMBasicBlockRef zb = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "z");
      LLVMBasicBlockRef wr = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "wr");
      LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, "next");
      LLVMBuildCondBr(g->B, LLVMBuildAnd(g->B, lt(q, m, q->M), lt(q, n, q->N), ""), st, next);
      LLVMPositionBuilderAtEnd(g->B, st);
      LLVMValueRef off = add(q, mul(q, m, q->N), n);
      LLVMValueRef v = LLVMBuildFMul(g->B, q->alpha, LLVMBuildLoad2(g->B, q->ct, q->acc[i][j], ""), "");
      LLVMBuildCondBr(g->B, use_z, zb, wr);
      LLVMPositionBuilderAtEnd(g->B, zb); /* Z is read only when beta != 0: it may be NULL otherwise */
      LLVMValueRef zv = LLVMBuildLoad2(g->B, q->st, LLVMBuildInBoundsGEP2(g->B, q->st, zbase, &off, 1, ""), "");
      LLVMValueRef vz = LLVMBuildFAdd(g->B, v, LLVMBuildFMul(g->B, q->beta, sj_cg_convert(g, zv, q->dt, q->cdt), ""), "");
      LLVMBuildBr(g->B, wr);
      LLVMPositionBuilderAtEnd(g->B, wr);
      LLVMValueRef r = LLVMBuildPhi(g->B, q->ct, "");
      LLVMAddIncoming(r, &v, &st, 1);
      LLVMAddIncoming(r, &vz, &zb, 1);
      LLVMValueRef cv = sj_cg_convert(g, r, q->cdt, q->dt);
      if (!q->epi || q->epi->store_c) LLVMBuildStore(g->B, cv, LLVMBuildInBoundsGEP2(g->B, q->st, cbase, &off, 1, ""));
      if (q->epi) sj_nvptx_epi_element(g, q->epi, m, n, cv); /* its loads of C[m, n] are cv */
      if (g->st) return;
      LLVMBuildBr(g->B, next);
      LLVMPositionBuilderAtEnd(g->B, next);
    }
}

static void batch_body(gemm *q, LLVMValueRef b) {
  cg *g = q->g;
  q->bat_a = LLVMBuildInBoundsGEP2(g->B, q->st, q->a, (LLVMValueRef[]){mul(q, b, q->sa)}, 1, "");
  q->bat_b = LLVMBuildInBoundsGEP2(g->B, q->st, q->b, (LLVMValueRef[]){mul(q, b, q->sb)}, 1, "");
  LLVMValueRef cb = LLVMBuildInBoundsGEP2(g->B, q->st, q->c, (LLVMValueRef[]){mul(q, b, q->sc)}, 1, "");
  LLVMValueRef zb = LLVMBuildInBoundsGEP2(g->B, q->st, q->z, (LLVMValueRef[]){mul(q, b, q->sc)}, 1, "");
  if (q->epi) sj_nvptx_epi_rebase(g, q->epi, cb);
  for (int i = 0; i < PER; i++)
    for (int j = 0; j < PER; j++) LLVMBuildStore(g->B, LLVMConstReal(q->ct, 0), q->acc[i][j]);
  loop(q, ci64(g, 0), q->K, ci64(g, KSTEP), kstep, "k0");
  write_c(q, cb, zb);
}

void sj_nvptx_emit_gemm(cg *g, sj_dtype dt, bool ta, bool tb, const char *name, const sj_gpu_epi *epi) {
  gemm q = {.g = g, .dt = dt, .cdt = dt == SJ_F64 ? SJ_F64 : SJ_F32, .ta = ta, .tb = tb, .epi = epi};
  q.st = sj_cg_dtype(g, dt), q.ct = sj_cg_dtype(g, q.cdt);
  LLVMTypeRef gptr = LLVMPointerTypeInContext(g->L, 1), i64 = sj_cg_i64(g), f64 = LLVMDoubleTypeInContext(g->L);
  LLVMTypeRef pt[13 + SJ_GPU_MAX_PARAMS * (1 + SJ_MAX_RANK)] = {gptr, gptr, gptr, gptr, i64, i64, i64,
                                                               i64,  i64,  i64,  i64,  f64, f64};
  unsigned np = 13;
  if (epi) sj_nvptx_epi_params(g, epi, pt, &np);
  LLVMValueRef fn = LLVMAddFunction(g->M, name, LLVMFunctionType(LLVMVoidTypeInContext(g->L), pt, np, 0));
  LLVMValueRef md[3] = {fn, LLVMMDStringInContext(g->L, "kernel", 6), LLVMConstInt(LLVMInt32TypeInContext(g->L), 1, 0)};
  LLVMAddNamedMetadataOperand(g->M, "nvvm.annotations", LLVMMDNodeInContext(g->L, md, 3));
  LLVMValueRef md2[3] = {fn, LLVMMDStringInContext(g->L, "reqntidx", 8),
                         LLVMConstInt(LLVMInt32TypeInContext(g->L), SJ_GPU_GEMM_BLOCK, 0)};
  LLVMAddNamedMetadataOperand(g->M, "nvvm.annotations", LLVMMDNodeInContext(g->L, md2, 3));
  /* .maxnreg 128: the budget ptxas picks for 256 threads anyway (two blocks
   * per SM), but stated, ptxas allocates within it without the spills it
   * otherwise makes on sm_80 once an epilogue is fused (decision 0038) */
  LLVMValueRef md3[3] = {fn, LLVMMDStringInContext(g->L, "maxnreg", 7), LLVMConstInt(LLVMInt32TypeInContext(g->L), 128, 0)};
  LLVMAddNamedMetadataOperand(g->M, "nvvm.annotations", LLVMMDNodeInContext(g->L, md3, 3));
  for (unsigned i = 0; i < 2; i++) sj_cg_param_attr(g, fn, i, "readonly"), sj_cg_param_attr(g, fn, i, "noalias");
  sj_cg_param_attr(g, fn, 3, "readonly"); /* Z may be C: no noalias on either */
  g->cur.fn = fn;
  LLVMPositionBuilderAtEnd(g->B, LLVMAppendBasicBlockInContext(g->L, fn, "entry"));
  LLVMValueRef *fields[] = {&q.a, &q.b, &q.c, &q.z, &q.M, &q.N, &q.K, &q.batch, &q.sa, &q.sb, &q.sc};
  for (unsigned i = 0; i < 11; i++) *fields[i] = LLVMGetParam(fn, i);
  q.alpha = LLVMBuildFPCast(g->B, LLVMGetParam(fn, 11), q.ct, "alpha");
  q.beta = LLVMBuildFPCast(g->B, LLVMGetParam(fn, 12), q.ct, "beta");
  for (int i = 0; i < PER; i++)
    for (int j = 0; j < PER; j++) q.acc[i][j] = LLVMBuildAlloca(g->B, q.ct, "acc");
  if (epi) sj_nvptx_epi_begin(g, epi, fn, 13, q.M, q.N);
  if (g->st) return epi ? sj_nvptx_epi_end(g) : (void)0;
  q.tid = nv(g, "llvm.nvvm.read.ptx.sreg.tid.x");
  q.tx = LLVMBuildAnd(g->B, q.tid, ci64(g, 15), "tx"), q.ty = LLVMBuildLShr(g->B, q.tid, ci64(g, 4), "ty");
  q.n0 = mul(&q, nv(g, "llvm.nvvm.read.ptx.sreg.ctaid.x"), ci64(g, TILE));
  q.m0 = mul(&q, nv(g, "llvm.nvvm.read.ptx.sreg.ctaid.y"), ci64(g, TILE));
  char an[64];
  snprintf(an, sizeof an, "%s.as", name);
  q.as = shared_tile(&q, an);
  snprintf(an, sizeof an, "%s.bs", name);
  q.bs = shared_tile(&q, an);
  loop(&q, nv(g, "llvm.nvvm.read.ptx.sreg.ctaid.z"), q.batch, nv(g, "llvm.nvvm.read.ptx.sreg.nctaid.z"), batch_body,
       "batch");
  if (epi) sj_nvptx_epi_end(g);
  if (!g->st) LLVMBuildRetVoid(g->B);
}

bool sj_gpu_gemm_name(sj_dtype dt, bool trans_a, bool trans_b, char *name) {
  const char *d = dt == SJ_F32 ? "f32" : dt == SJ_F64 ? "f64" : dt == SJ_F16 ? "f16" : dt == SJ_BF16 ? "bf16" : NULL;
  if (!d) return false;
  snprintf(name, SJ_KABI_SYM_CAP, "sjg_gemm_%s_%c%c", d, trans_a ? 't' : 'n', trans_b ? 't' : 'n');
  return true;
}
