/* Outlining for the thread pool. A top-level `parallel_for` body becomes
 *   <kernel>.par<N>.impl(ptr noalias bufs..., ptr dims, ptr rt, scalars..., extras..., i64 lo, i64 hi)
 * reached through a trampoline <kernel>.par<N>(env, lo, hi) that
 * sj_rt_parallel_for calls on chunks of [lo, hi); nested parallel loops run
 * serially. A top-level `for {combine = ...}` (a reduction by the verified
 * contract of ops.def, never recognized from its shape) is outlined the same
 * way over fixed chunks whose partial results the caller folds in order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg_internal.h"

/* Work (innermost iterations) below which a parallel loop runs serially:
 * a pool fork/join costs ~1 us spinning, ~40 us sleeping (notes/llvm-c.md). */
#define PAR_MIN_WORK 32768
/* Assumed trip count of a dynamic inner loop for that estimate. */
#define DYN_TRIP_GUESS 64
/* Most chunks of a parallel reduction (its partials live on the stack). */
#define RED_MAX_CHUNKS 64

typedef struct livein {
  const sj_value **v;
  unsigned n, cap;
} livein;

/* false when out of memory (li keeps what it collected, still owned). */
static bool collect_liveins_skip(const sj_op *loop, livein *li, const sj_value *skip);
static bool collect_liveins(const sj_op *loop, livein *li) { return collect_liveins_skip(loop, li, NULL); }

/* The same, without `skip` (a value the outlined body computes itself). */
static bool collect_liveins_skip(const sj_op *loop, livein *li, const sj_value *skip) {
  sj_op_vec ops = {0};
  sj_collect_ops(loop->regions[0], &ops);
  bool ok = !ops.failed; /* a partial op list would miss live-ins */
  for (size_t i = 0; i < ops.n && ok; i++)
    for (unsigned k = 0; k < ops.v[i]->nopnds && ok; k++) {
      const sj_value *v = sj_opnd(ops.v[i], k);
      if (v == skip || sj_value_defined_in(loop, v)) continue;
      bool seen = false;
      for (unsigned j = 0; j < li->n && !seen; j++) seen = li->v[j] == v;
      if (seen) continue;
      if (li->n == li->cap) {
        unsigned cap = li->cap ? 2 * li->cap : 16;
        const sj_value **grown = realloc(li->v, cap * sizeof *li->v);
        if (!grown) {
          ok = false;
          break;
        }
        li->v = grown, li->cap = cap;
      }
      li->v[li->n++] = v;
    }
  sj_op_vec_free(&ops);
  return ok;
}

/* Innermost iterations per outer iteration, for the serial threshold. */
static int64_t inner_work(const sj_op *loop) {
  sj_op_vec ops = {0};
  sj_collect_ops(loop->regions[0], &ops);
  int64_t w = 1;
  for (size_t i = 0; i < ops.n; i++) {
    const sj_op *o = ops.v[i];
    if (o->code != SJ_OP_FOR && o->code != SJ_OP_PARALLEL_FOR) continue;
    const sj_op *hi = sj_opnd(o, 1)->def;
    const sj_attr *a = hi && hi->code == SJ_OP_CONSTANT ? sj_op_attr(hi, "value") : NULL;
    int64_t t = a && a->kind == SJ_ATTR_INT ? a->u.i : DYN_TRIP_GUESS;
    if (t > 0 && w < (INT64_C(1) << 40)) w *= t;
  }
  sj_op_vec_free(&ops);
  return w;
}

/* ---- the outlined function and its call ---- */

typedef struct fn_state {
  cg_fn f;
  LLVMBasicBlockRef bb;
} fn_state;

/* Starts a new LLVM function's state; the outer one is kept in s. */
static void save_state(cg *g, fn_state *s) {
  *s = (fn_state){g->cur, LLVMGetInsertBlock(g->B)};
  g->cur.vkeys = NULL, g->cur.vvals = NULL, g->cur.vcap = g->cur.vn = 0;
}

static void restore_state(cg *g, fn_state *s) {
  free(g->cur.vkeys);
  free(g->cur.vvals);
  free(g->cur.bufs);
  g->cur = s->f;
  LLVMPositionBuilderAtEnd(g->B, s->bb);
}

/* The outlined function's parameters and the caller's values for them. */
typedef struct outline {
  livein li;
  LLVMTypeRef *ptys;      /* bufs, dims, rt, scalars, extras, lo, hi */
  LLVMValueRef *env_vals; /* the caller's values of all but lo and hi */
  unsigned np, first_extra;
} outline;

static void outline_fill(cg *g, const sj_op *op, outline *o, const LLVMValueRef *extra, unsigned nextra);
static void outline_init(cg *g, const sj_op *op, outline *o, const LLVMValueRef *extra, unsigned nextra) {
  *o = (outline){0};
  if (!collect_liveins(op, &o->li)) return sj_cg_nomem(g, op);
  outline_fill(g, op, o, extra, nextra);
}

/* outline_init once o->li holds the live-ins. */
static void outline_fill(cg *g, const sj_op *op, outline *o, const LLVMValueRef *extra, unsigned nextra) {
  o->ptys = calloc(o->li.n + nextra + 4, sizeof *o->ptys);
  o->env_vals = calloc(o->li.n + nextra + 4, sizeof *o->env_vals);
  if (!o->ptys || !o->env_vals) return sj_cg_nomem(g, op); /* outline_free frees them */
  for (unsigned i = 0; i < o->li.n; i++)
    if (o->li.v[i]->type.is_tensor) {
      cg_buf *b = sj_cg_find_buf(g, o->li.v[i]);
      o->env_vals[o->np] = b ? b->data : NULL;
      o->ptys[o->np++] = sj_cg_ptr(g);
    }
  o->env_vals[o->np] = g->cur.dims_ptr, o->ptys[o->np++] = sj_cg_ptr(g);
  o->env_vals[o->np] = g->cur.rt_ptr, o->ptys[o->np++] = sj_cg_ptr(g);
  for (unsigned i = 0; i < o->li.n; i++)
    if (!o->li.v[i]->type.is_tensor) {
      o->env_vals[o->np] = sj_cg_get(g, o->li.v[i]);
      o->ptys[o->np++] = sj_cg_dtype(g, o->li.v[i]->type.dt);
    }
  o->first_extra = o->np;
  for (unsigned i = 0; i < nextra; i++) o->env_vals[o->np] = extra[i], o->ptys[o->np++] = LLVMTypeOf(extra[i]);
  o->ptys[o->np++] = sj_cg_i64(g);
  o->ptys[o->np++] = sj_cg_i64(g);
}

static void outline_free(outline *o) {
  free(o->li.v);
  free(o->ptys);
  free(o->env_vals);
}

/* impl's entry: binds its buffer and scalar parameters. */
static LLVMValueRef impl_begin(cg *g, const sj_op *loop, const outline *o, const char *name, const fn_state *outer) {
  LLVMTypeRef fty = LLVMFunctionType(LLVMVoidTypeInContext(g->L), o->ptys, o->np, 0);
  LLVMValueRef fn = LLVMAddFunction(g->M, name, fty);
  LLVMSetLinkage(fn, LLVMInternalLinkage);
  g->cur.fn = fn;
  g->cur.bufs = calloc(o->li.n + 1, sizeof *g->cur.bufs);
  g->cur.nbufs = 0;
  if (!g->cur.bufs) {
    sj_cg_nomem(g, loop);
    return fn;
  }
  LLVMPositionBuilderAtEnd(g->B, LLVMAppendBasicBlockInContext(g->L, fn, "entry"));
  unsigned pi = 0;
  for (unsigned i = 0; i < o->li.n; i++) {
    if (!o->li.v[i]->type.is_tensor) continue;
    const cg_buf *ob = NULL;
    for (unsigned k = 0; k < outer->f.nbufs; k++)
      if (outer->f.bufs[k].v == o->li.v[i]) ob = &outer->f.bufs[k];
    if (!ob) {
      sj_cg_fail(g, loop, "a parallel loop uses a buffer that is not a kernel parameter");
      return fn;
    }
    sj_cg_param_attr(g, fn, pi, "noalias");
    cg_buf *b = &g->cur.bufs[g->cur.nbufs++];
    b->v = o->li.v[i];
    b->param = ob->param;
    b->data = LLVMGetParam(fn, pi++);
  }
  g->cur.dims_ptr = LLVMGetParam(fn, pi++);
  g->cur.rt_ptr = LLVMGetParam(fn, pi++);
  for (unsigned i = 0; i < g->cur.nbufs; i++) sj_cg_setup_buf(g, &g->cur.bufs[i]);
  /* a live-in that is an LLVM constant in the caller (a kernel-top
   * `constant`: cse hoists every constant there) stays that constant, so
   * trip counts and strides in the body are known to LLVM (unrolling,
   * vectorization); it is still passed in env, unread */
  for (unsigned i = 0; i < o->li.n; i++)
    if (!o->li.v[i]->type.is_tensor) {
      LLVMValueRef outer_v = o->env_vals[pi];
      sj_cg_set(g, o->li.v[i], outer_v && LLVMIsConstant(outer_v) ? outer_v : LLVMGetParam(fn, pi));
      pi++;
    }
  return fn;
}

/* tramp(ptr env, i64 lo, i64 hi): unpack env, call impl; NULL (g failed)
 * when out of memory. */
static LLVMValueRef build_tramp(cg *g, LLVMValueRef impl, LLVMTypeRef envty, const outline *o, const char *name) {
  LLVMValueRef *vals = calloc(o->np, sizeof *vals);
  if (!vals) {
    sj_cg_nomem(g, g->kernel);
    return NULL;
  }
  LLVMTypeRef args[3] = {sj_cg_ptr(g), sj_cg_i64(g), sj_cg_i64(g)};
  LLVMValueRef fn = LLVMAddFunction(g->M, name, LLVMFunctionType(LLVMVoidTypeInContext(g->L), args, 3, 0));
  LLVMSetLinkage(fn, LLVMInternalLinkage);
  LLVMPositionBuilderAtEnd(g->B, LLVMAppendBasicBlockInContext(g->L, fn, "entry"));
  LLVMValueRef env = LLVMGetParam(fn, 0);
  for (unsigned i = 0; i + 2 < o->np; i++) {
    LLVMValueRef p = LLVMBuildStructGEP2(g->B, envty, env, i, "");
    vals[i] = LLVMBuildLoad2(g->B, o->ptys[i], p, "");
  }
  vals[o->np - 2] = LLVMGetParam(fn, 1);
  vals[o->np - 1] = LLVMGetParam(fn, 2);
  LLVMBuildCall2(g->B, LLVMGlobalGetValueType(impl), impl, vals, o->np, "");
  LLVMBuildRetVoid(g->B);
  free(vals);
  return fn;
}

/* Emits impl's body over [lo, hi) (its last two parameters); the extras
 * start at parameter `x`. */
typedef void (*body_fn)(cg *g, const sj_op *loop, LLVMValueRef impl, unsigned x, void *arg);

/* Builds the outlined function and its trampoline, fills the env in the
 * caller's frame, and returns the trampoline and the env; NULL on error. */
static LLVMValueRef outline_build(cg *g, const sj_op *op, const outline *o, body_fn body, void *arg, LLVMValueRef *env) {
  if (g->st) return NULL; /* outline_init failed */
  char name[256], iname[272];
  snprintf(name, sizeof name, "%s.par%u", LLVMGetValueName(g->cur.fn), g->nouter++);
  snprintf(iname, sizeof iname, "%s.impl", name);
  fn_state s;
  save_state(g, &s);
  LLVMValueRef impl = impl_begin(g, op, o, iname, &s);
  if (!g->st) {
    g->par_depth++;
    body(g, op, impl, o->first_extra, arg);
    g->par_depth--;
    LLVMBuildRetVoid(g->B);
  }
  LLVMTypeRef envty = LLVMStructTypeInContext(g->L, o->ptys, o->np - 2, 0);
  LLVMValueRef tramp = g->st ? NULL : build_tramp(g, impl, envty, o, name);
  restore_state(g, &s);
  if (g->st) return NULL;
  /* the env lives in the caller's frame: allocate it in the entry block */
  LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(g->cur.fn);
  LLVMBuilderRef eb = LLVMCreateBuilderInContext(g->L);
  LLVMPositionBuilder(eb, entry, LLVMGetFirstInstruction(entry));
  *env = LLVMBuildAlloca(eb, envty, "env");
  LLVMDisposeBuilder(eb);
  for (unsigned i = 0; i + 2 < o->np; i++)
    LLVMBuildStore(g->B, o->env_vals[i], LLVMBuildStructGEP2(g->B, envty, *env, i, ""));
  return tramp;
}

static void call_pool(cg *g, LLVMValueRef tramp, LLVMValueRef env, LLVMValueRef lo, LLVMValueRef hi, int64_t minpar,
                      int64_t align) {
  LLVMValueRef args[7] = {g->cur.rt_ptr, tramp, env, lo, hi, sj_cg_ci64(g, minpar), sj_cg_ci64(g, align)};
  LLVMValueRef f = sj_cg_rt_decl(g, SJ_RT_ID_sj_rt_parallel_for);
  LLVMBuildCall2(g->B, LLVMGlobalGetValueType(f), f, args, 7, "");
}

/* ---- parallel_for ---- */

static void body_loop(cg *g, const sj_op *loop, LLVMValueRef impl, unsigned x, void *arg) {
  (void)arg;
  sj_cg_emit_loop(g, loop, LLVMGetParam(impl, x), LLVMGetParam(impl, x + 1));
}

void sj_cg_parallel_for(cg *g, const sj_op *op) { g->tgt->parallel_for(g, op); }

void sj_cg_host_parallel_for(cg *g, const sj_op *op) {
  LLVMValueRef lo = sj_cg_get(g, sj_opnd(op, 0)), hi = sj_cg_get(g, sj_opnd(op, 1)), env = NULL;
  if (g->par_depth > 0) return sj_cg_emit_loop(g, op, lo, hi); /* no nested parallelism */
  outline o;
  outline_init(g, op, &o, NULL, 0);
  LLVMValueRef tramp = outline_build(g, op, &o, body_loop, NULL, &env);
  if (tramp) {
    int64_t work = inner_work(op);
    int64_t minpar = work >= PAR_MIN_WORK ? 1 : PAR_MIN_WORK / (work ? work : 1);
    call_pool(g, tramp, env, lo, hi, minpar, work == 1 ? 64 : 1);
  }
  outline_free(&o);
}

/* ---- parallel reductions ----
 * A top-level `for {combine = "<op>"}` (a reduction by contract: the
 * verifier checked that its one carried value is only combined with <op>,
 * possibly through nested reduction loops) whose body stores nothing is
 * split into P chunks of C iterations, P = the work over PAR_MIN_WORK, at
 * most RED_MAX_CHUNKS. Chunk p reduces its iterations from <op>'s identity
 * into partial[p]; the caller folds the loop's initial value and
 * partial[0..P) in order. P depends only on the trip count, so the result
 * does not depend on the number of threads (the order differs from a serial
 * loop, which the reassociation mark_reduction allows already changes
 * anyway). */

/* The combine op of a reduction loop (its `combine` attribute), or
 * SJ_OP_COUNT when the loop is not marked as one. */
static sj_opcode combine_of(const sj_op *loop) {
  const sj_attr *a = sj_op_attr(loop, "combine");
  sj_opcode code;
  if (!a || !sj_opcode_lookup(a->u.s, strlen(a->u.s), &code)) return SJ_OP_COUNT;
  return code;
}

/* The op that combines the carried value: by the verified contract, the
 * yield's value, or that of the nested reduction loop it yields. */
static const sj_op *combine_op(const sj_op *loop) {
  const sj_op *d = sj_opnd(loop->regions[0]->last, 0)->def;
  return d->code == SJ_OP_FOR ? combine_op(d) : d;
}

/* Chunks may run in any order on any thread: nothing is stored. prod stays
 * serial (overflow and rounding differ too much between orders). */
static bool reducible(const sj_op *loop, sj_opcode comb) {
  if (comb == SJ_OP_COUNT || comb == SJ_OP_MUL || sj_res(loop, 0)->type.dt == SJ_BOOL) return false;
  sj_op_vec ops = {0};
  sj_collect_ops(loop->regions[0], &ops);
  bool ok = !ops.failed; /* unsure (partial list): stay serial */
  for (size_t i = 0; i < ops.n && ok; i++) ok = !sj_op_has(ops.v[i], SJ_F_WRITES);
  sj_op_vec_free(&ops);
  return ok;
}

LLVMValueRef sj_cg_counted_loop(cg *g, const sj_cg_loop *l, sj_cg_loop_body body, void *arg) {
  char nb[64], nx[64];
  snprintf(nb, sizeof nb, "%s.body", l->name);
  snprintf(nx, sizeof nx, "%s.exit", l->name);
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->B);
  LLVMBasicBlockRef head = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, l->name);
  LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, nb);
  LLVMBasicBlockRef exit = LLVMAppendBasicBlockInContext(g->L, g->cur.fn, nx);
  LLVMBuildBr(g->B, head);
  LLVMPositionBuilderAtEnd(g->B, head);
  LLVMValueRef i = LLVMBuildPhi(g->B, sj_cg_i64(g), l->index);
  LLVMValueRef lo = l->lo;
  LLVMAddIncoming(i, &lo, &pre, 1);
  LLVMBuildCondBr(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, i, l->hi, ""), bb, exit);
  LLVMPositionBuilderAtEnd(g->B, bb);
  body(g, i, arg);
  LLVMValueRef next = LLVMBuildNSWAdd(g->B, i, l->step ? l->step : sj_cg_ci64(g, 1), "");
  LLVMBasicBlockRef latch = LLVMGetInsertBlock(g->B);
  LLVMValueRef back = LLVMBuildBr(g->B, head);
  LLVMAddIncoming(i, &next, &latch, 1);
  LLVMPositionBuilderAtEnd(g->B, exit);
  return back;
}

/* A counted loop [lo, hi) around what `step` emits for index i. */
static void counted_loop(cg *g, LLVMValueRef lo, LLVMValueRef hi, sj_cg_loop_body step, void *arg) {
  sj_cg_counted_loop(g, &(sj_cg_loop){.lo = lo, .hi = hi, .name = "chunk", .index = "p"}, step, arg);
}

typedef struct red {
  const sj_op *loop;
  sj_opcode comb;
  LLVMTypeRef ty;
  LLVMValueRef lo, chunk, hi, partial, acc; /* in the function being emitted; acc: a stack slot */
} red;

static LLVMValueRef partial_at(cg *g, const red *r, LLVMValueRef p) {
  LLVMValueRef idx[2] = {sj_cg_ci64(g, 0), p};
  return LLVMBuildInBoundsGEP2(g->B, LLVMArrayType2(r->ty, RED_MAX_CHUNKS), r->partial, idx, 2, "");
}

/* chunk p: [lo + p C, min(lo + (p+1) C, hi)) from the identity -> partial[p] */
static void reduce_chunk(cg *g, LLVMValueRef p, void *arg) {
  red *r = arg;
  LLVMValueRef s = LLVMBuildNSWAdd(g->B, r->lo, LLVMBuildNSWMul(g->B, p, r->chunk, ""), "");
  LLVMValueRef e = LLVMBuildNSWAdd(g->B, s, r->chunk, "");
  e = LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, e, r->hi, ""), e, r->hi, "");
  sj_cg_emit_loop(g, r->loop, s, e);
  if (g->st) return; /* the loop's result may be unset */
  LLVMBuildStore(g->B, sj_cg_get(g, sj_res(r->loop, 0)), partial_at(g, r, p));
}

static void body_reduce(cg *g, const sj_op *loop, LLVMValueRef impl, unsigned x, void *arg) {
  red in = *(red *)arg;
  in.lo = LLVMGetParam(impl, x), in.chunk = LLVMGetParam(impl, x + 1), in.hi = LLVMGetParam(impl, x + 2);
  in.partial = LLVMGetParam(impl, x + 3);
  sj_attr id = sj_combine_identity(in.comb, sj_res(loop, 0)->type.dt);
  sj_cg_set(g, sj_opnd(loop, 2), id.kind == SJ_ATTR_FLOAT ? LLVMConstReal(in.ty, id.u.f) : LLVMConstInt(in.ty, (unsigned long long)id.u.i, 1));
  if (g->st) return; /* out of memory: the identity may not be recorded */
  counted_loop(g, LLVMGetParam(impl, x + 4), LLVMGetParam(impl, x + 5), reduce_chunk, &in);
}

/* *acc = combine(*acc, partial[q]) (the slot becomes a phi in mem2reg) */
static void fold_partial(cg *g, LLVMValueRef q, void *arg) {
  red *r = arg;
  LLVMValueRef args[2] = {LLVMBuildLoad2(g->B, r->ty, r->acc, ""), LLVMBuildLoad2(g->B, r->ty, partial_at(g, r, q), "")};
  LLVMBuildStore(g->B, sj_cg_scalar_op(g, combine_op(r->loop), args), r->acc);
}

/* v is read by an op nested in loop. */
static bool used_inside(const sj_value *v, const sj_op *loop) {
  for (const sj_use *u = v->uses; u; u = u->next)
    for (const sj_block *b = u->user->block; b && b->parent; b = b->parent->block)
      if (b->parent == loop) return true;
  return false;
}

bool sj_cg_parallel_reduce(cg *g, const sj_op *op) {
  sj_opcode comb = combine_of(op);
  /* chunks start from the identity in place of the initial value, which
   * must then not be read in the body as well */
  if (!reducible(op, comb) || used_inside(sj_opnd(op, 2), op)) return false;
  int64_t work = inner_work(op), per = work >= PAR_MIN_WORK ? 1 : PAR_MIN_WORK / work, n0;
  const sj_op *hd = sj_opnd(op, 1)->def, *ld = sj_opnd(op, 0)->def;
  const sj_attr *ha = hd && hd->code == SJ_OP_CONSTANT ? sj_op_attr(hd, "value") : NULL;
  const sj_attr *la = ld && ld->code == SJ_OP_CONSTANT ? sj_op_attr(ld, "value") : NULL;
  n0 = ha && la ? ha->u.i - la->u.i : -1;
  if (n0 >= 0 && n0 / per < 2) return false; /* statically small: serial */
  red r = {.loop = op, .comb = comb, .ty = sj_cg_dtype(g, sj_res(op, 0)->type.dt)};
  r.lo = sj_cg_get(g, sj_opnd(op, 0)), r.hi = sj_cg_get(g, sj_opnd(op, 1));
  LLVMBuilderRef B = g->B;
  LLVMValueRef n = LLVMBuildNSWSub(B, r.hi, r.lo, "");
  n = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, n, sj_cg_ci64(g, 0), ""), sj_cg_ci64(g, 0), n, "");
  LLVMValueRef P = LLVMBuildSDiv(B, n, sj_cg_ci64(g, per), "");
  P = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, P, sj_cg_ci64(g, 1), ""), sj_cg_ci64(g, 1), P, "");
  P = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSGT, P, sj_cg_ci64(g, RED_MAX_CHUNKS), ""), sj_cg_ci64(g, RED_MAX_CHUNKS), P, "");
  r.chunk = LLVMBuildSDiv(B, LLVMBuildNSWAdd(B, n, LLVMBuildNSWSub(B, P, sj_cg_ci64(g, 1), ""), ""), P, "csize");
  LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(g->cur.fn);
  LLVMBuilderRef eb = LLVMCreateBuilderInContext(g->L);
  LLVMPositionBuilder(eb, entry, LLVMGetFirstInstruction(entry));
  r.partial = LLVMBuildAlloca(eb, LLVMArrayType2(r.ty, RED_MAX_CHUNKS), "partial");
  r.acc = LLVMBuildAlloca(eb, r.ty, "acc");
  LLVMDisposeBuilder(eb);
  LLVMValueRef extra[4] = {r.lo, r.chunk, r.hi, r.partial}, env = NULL;
  outline o;
  outline_init(g, op, &o, extra, 4);
  LLVMValueRef tramp = outline_build(g, op, &o, body_reduce, &r, &env);
  outline_free(&o);
  if (!tramp) return true;
  call_pool(g, tramp, env, sj_cg_ci64(g, 0), P, 1, 1);
  LLVMBuildStore(B, sj_cg_get(g, sj_opnd(op, 2)), r.acc); /* the loop's initial value first */
  counted_loop(g, sj_cg_ci64(g, 0), P, fold_partial, &r);
  sj_cg_set(g, sj_res(op, 0), LLVMBuildLoad2(B, r.ty, r.acc, ""));
  return true;
}

/* ---- one pass for max then sum of exp ----
 * m = max_i v_i followed by s = sum_i exp(v_i - m) (sj_online_lse_pair:
 * logsumexp, a softmax denominator) reads v twice; over a large array that
 * is two passes over memory. Here both run per chunk of ONLINE_CHUNK
 * iterations, the second while the chunk is still in cache: chunk p yields
 * its own max m_p and s_p = sum exp(v_i - m_p), and the caller folds
 *   M = max(init, m_0, ..., m_P-1),  S = init2 + sum_p s_p * exp(m_p - M)
 * ("online softmax", Milakov & Gimelshein 2018, at chunk granularity). A
 * full reduction over several axes is a nest of such loops: a chunk is then
 * a range of outer iterations covering about ONLINE_CHUNK elements. The
 * fold reproduces the two-pass IEEE results: a chunk whose max is M adds s_p
 * unscaled (no rounding added, and NaN/inf chunks keep their NaN); a chunk
 * of only -inf (its s_p is exp(-inf - -inf) = NaN) adds 0 unless M is -inf
 * too, where the two-pass sum is NaN as well; a NaN max makes every scaled
 * term NaN. Each scaled term carries one more rounding (exp(a)exp(b) for
 * exp(a+b)), within docs/numerics.md's tolerances. P depends only on the
 * trip count, never on the thread count. */
#define ONLINE_CHUNK 16384 /* 64 KiB of f32: still in L2 for the second read */
#define ONLINE_MAX_CHUNKS 1024

typedef struct online {
  const sj_op *r1, *r2;
  LLVMTypeRef ty;
  LLVMValueRef lo, chunk, hi, pm, ps; /* pm/ps: partial maxima and sums */
  LLVMValueRef accm, accs;            /* fold slots in the caller */
} online;

static LLVMValueRef online_at(cg *g, const online *r, LLVMValueRef arr, LLVMValueRef p) {
  LLVMValueRef idx[2] = {sj_cg_ci64(g, 0), p};
  return LLVMBuildInBoundsGEP2(g->B, LLVMArrayType2(r->ty, ONLINE_MAX_CHUNKS), arr, idx, 2, "");
}

static LLVMValueRef identity_of(const sj_op *loop, LLVMTypeRef ty) {
  sj_attr id = sj_combine_identity(combine_of(loop), sj_res(loop, 0)->type.dt);
  return LLVMConstReal(ty, id.u.f);
}

/* chunk p: max, then the sum of exp against that max, both over its range */
static void online_chunk(cg *g, LLVMValueRef p, void *arg) {
  online *r = arg;
  LLVMValueRef s = LLVMBuildNSWAdd(g->B, r->lo, LLVMBuildNSWMul(g->B, p, r->chunk, ""), "");
  LLVMValueRef e = LLVMBuildNSWAdd(g->B, s, r->chunk, "");
  e = LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, e, r->hi, ""), e, r->hi, "");
  sj_cg_set(g, sj_opnd(r->r1, 2), identity_of(r->r1, r->ty));
  sj_cg_emit_loop(g, r->r1, s, e); /* sets r1's result, which r2's body reads */
  if (g->st) return;
  sj_cg_set(g, sj_opnd(r->r2, 2), identity_of(r->r2, r->ty));
  sj_cg_emit_loop(g, r->r2, s, e);
  if (g->st) return;
  LLVMBuildStore(g->B, sj_cg_get(g, sj_res(r->r1, 0)), online_at(g, r, r->pm, p));
  LLVMBuildStore(g->B, sj_cg_get(g, sj_res(r->r2, 0)), online_at(g, r, r->ps, p));
}

static void body_online(cg *g, const sj_op *loop, LLVMValueRef impl, unsigned x, void *arg) {
  (void)loop;
  online in = *(online *)arg;
  in.lo = LLVMGetParam(impl, x), in.chunk = LLVMGetParam(impl, x + 1), in.hi = LLVMGetParam(impl, x + 2);
  in.pm = LLVMGetParam(impl, x + 3), in.ps = LLVMGetParam(impl, x + 4);
  counted_loop(g, LLVMGetParam(impl, x + 5), LLVMGetParam(impl, x + 6), online_chunk, &in);
}

static void fold_max(cg *g, LLVMValueRef q, void *arg) {
  online *r = arg;
  LLVMValueRef a[2] = {LLVMBuildLoad2(g->B, r->ty, r->accm, ""), LLVMBuildLoad2(g->B, r->ty, online_at(g, r, r->pm, q), "")};
  LLVMBuildStore(g->B, sj_cg_scalar_op(g, combine_op(r->r1), a), r->accm);
}

/* S += (m_q == M ? s_q : m_q == -inf ? 0 : s_q * exp(m_q - M)) */
static void fold_sum(cg *g, LLVMValueRef q, void *arg) {
  online *r = arg;
  LLVMBuilderRef B = g->B;
  LLVMValueRef M = LLVMBuildLoad2(B, r->ty, r->accm, "");
  LLVMValueRef mq = LLVMBuildLoad2(B, r->ty, online_at(g, r, r->pm, q), "");
  LLVMValueRef sq = LLVMBuildLoad2(B, r->ty, online_at(g, r, r->ps, q), "");
  sj_dtype dt = sj_res(r->r2, 0)->type.dt;
  LLVMValueRef scaled = LLVMBuildFMul(B, sq, sj_cg_math1(g, "exp", LLVMBuildFSub(B, mq, M, ""), dt), "");
  LLVMValueRef ninf = LLVMBuildFCmp(B, LLVMRealOEQ, mq, LLVMConstReal(r->ty, -HUGE_VAL), "");
  LLVMValueRef t = LLVMBuildSelect(B, ninf, LLVMConstReal(r->ty, 0), scaled, "");
  t = LLVMBuildSelect(B, LLVMBuildFCmp(B, LLVMRealOEQ, mq, M, ""), sq, t, "");
  LLVMValueRef a[2] = {LLVMBuildLoad2(B, r->ty, r->accs, ""), t};
  LLVMBuildStore(B, sj_cg_scalar_op(g, combine_op(r->r2), a), r->accs);
}

/* max(hi - lo, 0) of a loop whose bounds the caller has. */
static LLVMValueRef trips(cg *g, const sj_op *loop) {
  LLVMValueRef n = LLVMBuildNSWSub(g->B, sj_cg_get(g, sj_opnd(loop, 1)), sj_cg_get(g, sj_opnd(loop, 0)), "");
  return LLVMBuildSelect(g->B, LLVMBuildICmp(g->B, LLVMIntSLT, n, sj_cg_ci64(g, 0), ""), sj_cg_ci64(g, 0), n, "");
}

/* The next level of a reduction nest (the `for` the loop yields), or NULL
 * (sj_online_lse_pair checked the shape; inner bounds are outer values). */
static const sj_op *level_below(const sj_op *loop) {
  const sj_op *d = sj_opnd(loop->regions[0]->last, 0)->def;
  return d && d->code == SJ_OP_FOR ? d : NULL;
}

/* The `for` after r1 past the stores between them. */
static const sj_op *after_stores(const sj_op *r1) {
  const sj_op *o = r1->next;
  while (o && o->code == SJ_OP_STORE) o = o->next;
  return o;
}

bool sj_cg_parallel_online(cg *g, const sj_op *r1) {
  const sj_op *r2 = after_stores(r1);
  if (!sj_online_lse_pair(r1, r2)) return false;
  online r = {.r1 = r1, .r2 = r2, .ty = sj_cg_dtype(g, sj_res(r1, 0)->type.dt)};
  LLVMBuilderRef B = g->B;
  r.lo = sj_cg_get(g, sj_opnd(r1, 0)), r.hi = sj_cg_get(g, sj_opnd(r1, 1));
  LLVMValueRef n = trips(g, r1);
  /* outer iterations per chunk: ONLINE_CHUNK elements of the whole nest */
  LLVMValueRef inner = sj_cg_ci64(g, 1);
  for (const sj_op *l = level_below(r1); l; l = level_below(l)) inner = LLVMBuildNSWMul(B, inner, trips(g, l), "");
  inner = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, inner, sj_cg_ci64(g, 1), ""), sj_cg_ci64(g, 1), inner, "");
  LLVMValueRef per = LLVMBuildSDiv(B, sj_cg_ci64(g, ONLINE_CHUNK), inner, "");
  per = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, per, sj_cg_ci64(g, 1), ""), sj_cg_ci64(g, 1), per, "");
  LLVMValueRef P = LLVMBuildSDiv(B, LLVMBuildNSWAdd(B, n, LLVMBuildNSWSub(B, per, sj_cg_ci64(g, 1), ""), ""), per, "");
  P = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, P, sj_cg_ci64(g, 1), ""), sj_cg_ci64(g, 1), P, "");
  P = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSGT, P, sj_cg_ci64(g, ONLINE_MAX_CHUNKS), ""),
                      sj_cg_ci64(g, ONLINE_MAX_CHUNKS), P, "");
  r.chunk = LLVMBuildSDiv(B, LLVMBuildNSWAdd(B, n, LLVMBuildNSWSub(B, P, sj_cg_ci64(g, 1), ""), ""), P, "csize");
  LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(g->cur.fn);
  LLVMBuilderRef eb = LLVMCreateBuilderInContext(g->L);
  LLVMPositionBuilder(eb, entry, LLVMGetFirstInstruction(entry));
  r.pm = LLVMBuildAlloca(eb, LLVMArrayType2(r.ty, ONLINE_MAX_CHUNKS), "pmax");
  r.ps = LLVMBuildAlloca(eb, LLVMArrayType2(r.ty, ONLINE_MAX_CHUNKS), "psum");
  r.accm = LLVMBuildAlloca(eb, r.ty, "accm");
  r.accs = LLVMBuildAlloca(eb, r.ty, "accs");
  LLVMDisposeBuilder(eb);
  LLVMValueRef extra[5] = {r.lo, r.chunk, r.hi, r.pm, r.ps}, env = NULL;
  outline o = {0};
  if (!collect_liveins(r1, &o.li) || !collect_liveins_skip(r2, &o.li, sj_res(r1, 0))) sj_cg_nomem(g, r1);
  else outline_fill(g, r1, &o, extra, 5);
  LLVMValueRef tramp = outline_build(g, r1, &o, body_online, &r, &env);
  outline_free(&o);
  if (!tramp) return true;
  call_pool(g, tramp, env, sj_cg_ci64(g, 0), P, 1, 1);
  LLVMBuildStore(B, sj_cg_get(g, sj_opnd(r1, 2)), r.accm); /* the loops' initial values first */
  counted_loop(g, sj_cg_ci64(g, 0), P, fold_max, &r);
  LLVMBuildStore(B, sj_cg_get(g, sj_opnd(r2, 2)), r.accs);
  counted_loop(g, sj_cg_ci64(g, 0), P, fold_sum, &r);
  sj_cg_set(g, sj_res(r1, 0), LLVMBuildLoad2(B, r.ty, r.accm, ""));
  sj_cg_set(g, sj_res(r2, 0), LLVMBuildLoad2(B, r.ty, r.accs, ""));
  g->online_done = r2;
  return true;
}

/* For other targets' reduction mappings (nvptx.c): the same contract. */
const sj_op *sj_cg_combine_op(const sj_op *loop) { return combine_op(loop); }

bool sj_cg_reduction_ok(const sj_op *loop) {
  return reducible(loop, combine_of(loop)) && !used_inside(sj_opnd(loop, 2), loop);
}
