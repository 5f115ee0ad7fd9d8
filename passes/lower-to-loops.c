/* lower-to-loops: turns each tensor-level computation of a func into a
 * `kernel` with explicit loops, loads and stores, plus `dim`/`alloc`/`launch`
 * in the func (destination-passing style; docs/lowering.md):
 *   fused ops, lone elementwise ops, broadcast_to  -> elementwise kernels
 *   sum max min mean prod                          -> reduction kernels
 *   transpose                                      -> permuted-copy kernels
 *   matmul, addmm                                  -> alloc + gemm (BLAS, alpha/beta)
 *   take, take_along_axis                          -> gather kernels
 *   scatter_add, scatter_add_along_axis            -> zero + accumulate kernels
 *   slice                                          -> gather kernels
 *   slice_update                                   -> update kernels (in place
 *                                                     when the base is dead)
 *   index_update                                   -> copy + update kernels
 * reshape and constant stay; kernels already in the module are not touched.
 * Kernels are appended to the module in creation order and named
 * @<func>_k<N>. The exact form is a contract with loop-fusion and codegen:
 * change docs/lowering.md together with this file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"
#include "registry.h"
#include "slice.h"
#include "symtab.h"
#include "lower_internal.h"

/* ---- kernels ---- */

/* The i64 constant n at the kernel top, created once per value (`%c<n>`). */
sj_value *sj_lw_kconst(kbuild *K, int64_t n) {
  for (int i = 0; i < K->nconsts; i++)
    if (K->consts[i].n == n) return K->consts[i].v;
  char name[32];
  snprintf(name, sizeof name, "c%lld", (long long)n);
  sj_value *v = sj_build_i64(&K->top, n);
  v->name = sj_intern(K->top.c, name);
  if (K->nconsts < (int)(sizeof K->consts / sizeof K->consts[0])) K->consts[K->nconsts++] = (kconst_entry){n, v};
  return v;
}

/* A kernel @<func>_k<N> (sj_symtab_fresh: the whole func name). */
bool sj_lw_new_kernel(lower *L, sj_loc loc, kbuild *K) {
  const char *s = sj_symtab_fresh(L->m->ctx, &L->syms, sj_func_name(L->func), 'k', &L->next_kernel);
  if (!s) {
    L->st = sj_emit_error(L->m->ctx, loc, "out of memory naming a kernel of @%s", sj_func_name(L->func));
    return false;
  }
  sj_op *k = sj_op_new(L->m->ctx, SJ_OP_KERNEL, 0, NULL, 0, NULL, 1, loc);
  sj_op_set_sym(L->m->ctx, k, "sym_name", s);
  sj_block_append(L->m->body, k);
  if (!sj_symtab_put(&L->syms, s, k)) {
    sj_emit_error(L->m->ctx, loc, "lower-to-loops: out of memory");
    L->st = SJ_ERR_NOMEM;
  }
  sj_pass_stat_add(L->run, SJ_STAT_lower_kernels, 1);
  *K = (kbuild){.k = k, .top = sj_builder_at_end(L->m->ctx, k->regions[0], loc)};
  return true;
}

/* Kernel parameter `%<prefix><i>`; all params are added before the body. */
sj_value *sj_lw_param(lower *L, kbuild *K, sj_type t, const char *prefix, unsigned i) {
  char name[32];
  snprintf(name, sizeof name, "%s%u", prefix, i);
  sj_value *v = sj_block_add_arg(L->m->ctx, K->k->regions[0], t);
  v->name = sj_intern(L->m->ctx, name);
  return v;
}

/* Called after the params: %c0 first in the body. */
void sj_lw_kernel_begin(kbuild *K) { K->c0 = sj_lw_kconst(K, 0); }

void sj_lw_kernel_return(kbuild *K) { sj_build(&K->top, SJ_OP_RETURN, 0, NULL, 0, NULL); }

/* Loop bounds of the dims of type t at the kernel top: a constant for a static
 * dim, `dim buf` for a dynamic one, NULL for a static 1 (no loop, index 0). */
void sj_lw_bounds(kbuild *K, sj_value *buf, const sj_type *t, sj_value **hi) {
  for (int k = 0; k < t->rank; k++)
    hi[k] = t->dims[k] == 1 ? NULL : t->dims[k] == SJ_DYN ? sj_build_dim(&K->top, buf, k) : sj_lw_kconst(K, t->dims[k]);
}

/* Loop nest over dims [0, rank) of bounds hi (NULL: index %c0, no loop). The
 * first loop made is a parallel_for if its dim is in `par` (a bit mask),
 * the others are `for`s. Returns a builder for the innermost body and sets
 * the index of each dim in iv. */
sj_builder sj_lw_nest(kbuild *K, sj_builder *B, int rank, sj_value **hi, unsigned par, sj_value **iv) {
  sj_builder in = *B;
  bool first = true;
  for (int k = 0; k < rank; k++) {
    if (!hi[k]) {
      iv[k] = K->c0;
      continue;
    }
    sj_op *loop = sj_build_loop(&in, first && (par >> k & 1u), K->c0, hi[k], 0, NULL);
    first = false;
    in = sj_builder_in(&in, loop);
    iv[k] = loop->regions[0]->args[0];
  }
  return in;
}

/* Terminates every loop of a nest built by sj_lw_nest(): a yield at each level. */
void sj_lw_close_nest(sj_builder *inner) {
  sj_block *b = inner->block;
  while (b && b->parent && (b->parent->code == SJ_OP_FOR || b->parent->code == SJ_OP_PARALLEL_FOR)) {
    if (!b->last || b->last->code != SJ_OP_YIELD) sj_block_append(b, sj_op_new(inner->c, SJ_OP_YIELD, 0, NULL, 0, NULL, 0, inner->loc));
    b = b->parent->block;
  }
}

sj_value *sj_lw_load(sj_builder *B, sj_value *buf, sj_value **idx, int n) {
  sj_value *ops[1 + SJ_MAX_RANK];
  ops[0] = buf;
  for (int k = 0; k < n; k++) ops[1 + k] = idx[k];
  return sj_build1(B, SJ_OP_LOAD, 1 + (unsigned)n, ops, sj_scalar_type(buf->type.dt));
}

void sj_lw_store(sj_builder *B, sj_value *v, sj_value *buf, sj_value **idx, int n) {
  sj_value *ops[2 + SJ_MAX_RANK];
  ops[0] = v, ops[1] = buf;
  for (int k = 0; k < n; k++) ops[2 + k] = idx[k];
  sj_build(B, SJ_OP_STORE, 2 + (unsigned)n, ops, 0, NULL);
}

/* Load of `in` broadcast (numpy, trailing-aligned) into the iteration space:
 * missing leading dims are dropped, a static 1 against a dim that is not 1
 * reads index 0. A `?` dim is never a broadcast (checked at run time). */
sj_value *sj_lw_bcast_load(kbuild *K, sj_builder *B, sj_value *in, const sj_type *space, sj_value **iv) {
  const sj_type *t = &in->type;
  sj_value *idx[SJ_MAX_RANK];
  for (int j = 0; j < t->rank; j++) {
    int k = space->rank - t->rank + j;
    idx[j] = (t->dims[j] == 1 && space->dims[k] != 1) ? K->c0 : iv[k];
  }
  return sj_lw_load(B, in, idx, t->rank);
}

sj_value *sj_lw_binop(sj_builder *B, sj_opcode code, sj_value *a, sj_value *b) {
  sj_value *ops[2] = {a, b};
  return sj_build1(B, code, 2, ops, a->type);
}

/* ---- func side: dims, alloc, launch ---- */

/* Checks that every dynamic dim of t has a source (before anything is built). */
bool sj_lw_sizes_known(lower *L, const sj_op *op, const sj_type *t, const dimsrc *src) {
  for (int k = 0; k < t->rank; k++)
    if (t->dims[k] == SJ_DYN && !src[k].v) {
      L->st = sj_emit_error(L->m->ctx, op->loc, "'%s' op: lower-to-loops cannot tell the size of dynamic dim %d of its result",
                            sj_op_name(op), k);
      return false;
    }
  return true;
}

/* `dim` of each dynamic dim of t (once), then one alloc per result of op. */
void sj_lw_alloc_results(sj_builder *B, const sj_op *op, const sj_type *t, const dimsrc *src, sj_value **bufs) {
  sj_value *sizes[SJ_MAX_RANK];
  unsigned n = 0;
  for (int k = 0; k < t->rank; k++)
    if (t->dims[k] == SJ_DYN) sizes[n++] = sj_build_dim(B, src[k].v, src[k].axis);
  for (unsigned r = 0; r < op->nresults; r++) bufs[r] = sj_build1(B, SJ_OP_ALLOC, n, sizes, sj_res(op, r)->type);
}

/* launch of the kernel with inputs then the result buffers; the op's results
 * are replaced by the buffers and the op erased. */
void sj_lw_launch_and_replace(lower *L, sj_builder *B, sj_op *op, kbuild *K, sj_value **bufs) {
  sj_value *args[MAX_IO];
  unsigned n = 0;
  for (unsigned i = 0; i < op->nopnds; i++) args[n++] = sj_opnd(op, i);
  for (unsigned r = 0; r < op->nresults; r++) args[n++] = bufs[r];
  sj_op *l = sj_build(B, SJ_OP_LAUNCH, n, args, 0, NULL);
  sj_op_set_sym(L->m->ctx, l, "kernel", sj_func_name(K->k));
  for (unsigned r = 0; r < op->nresults; r++) sj_value_replace_all_uses(sj_res(op, r), bufs[r]);
  sj_op_erase(op);
}

/* Sources of the dynamic dims of an elementwise result: the first input whose
 * aligned dim is also dynamic. */
static void elementwise_dimsrc(const sj_op *op, const sj_type *t, dimsrc *src) {
  for (int k = 0; k < t->rank; k++) {
    src[k] = (dimsrc){0};
    for (unsigned i = 0; i < op->nopnds && !src[k].v; i++) {
      sj_value *x = sj_opnd(op, i);
      int j = x->type.rank - t->rank + k;
      if (x->type.is_tensor && j >= 0 && x->type.dims[j] == SJ_DYN) src[k] = (dimsrc){x, j};
    }
  }
}

/* ---- elementwise (fused, single op, broadcast_to) ---- */

/* Emits the scalar computation of `op` in B from the loaded inputs; fills
 * results[]. */
static void scalar_body(lower *L, sj_builder *B, const sj_op *op, sj_value **loaded, sj_value **results) {
  if (op->code == SJ_OP_FUSED) {
    const sj_block *body = op->regions[0];
    sj_value_map *vm = sj_value_map_new(L->m->ctx);
    for (unsigned i = 0; i < body->nargs; i++) sj_value_map_set(vm, body->args[i], loaded[i]);
    for (const sj_op *o = body->first; o; o = o->next) {
      if (o->code == SJ_OP_YIELD) {
        for (unsigned r = 0; r < o->nopnds; r++) results[r] = sj_value_map_get(vm, sj_opnd(o, r));
        break;
      }
      sj_block_append(B->block, sj_op_clone(L->m->ctx, o, vm));
    }
    return;
  }
  if (op->code == SJ_OP_BROADCAST_TO) {
    results[0] = loaded[0];
    return;
  }
  results[0] = sj_build1(B, op->code, op->nopnds, loaded, sj_scalar_type(sj_res(op, 0)->type.dt));
}

static void lower_elementwise(lower *L, sj_op *op) {
  sj_ctx *c = L->m->ctx;
  unsigned nin = op->nopnds, nout = op->nresults;
  const sj_type *space = &sj_res(op, 0)->type;
  if (nin + nout > MAX_IO) {
    L->st = sj_emit_error(c, op->loc, "'%s' op has more than %d inputs and outputs", sj_op_name(op), MAX_IO);
    return;
  }
  dimsrc src[SJ_MAX_RANK];
  elementwise_dimsrc(op, space, src);
  if (!sj_lw_sizes_known(L, op, space, src)) return;
  kbuild K;
  if (!sj_lw_new_kernel(L, op->loc, &K)) return;
  sj_value *in[MAX_IO] = {0}, *out[MAX_IO] = {0}, *loaded[MAX_IO] = {0}, *res[MAX_IO] = {0}, *bufs[MAX_IO] = {0};
  for (unsigned i = 0; i < nin; i++) in[i] = sj_lw_param(L, &K, sj_opnd(op, i)->type, "in", i);
  for (unsigned j = 0; j < nout; j++) out[j] = sj_lw_param(L, &K, sj_res(op, j)->type, "out", j);
  sj_lw_kernel_begin(&K);
  sj_value *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK];
  sj_lw_bounds(&K, out[0], space, hi);
  sj_builder B = sj_lw_nest(&K, &K.top, space->rank, hi, ALL_DIMS, iv);
  for (unsigned i = 0; i < nin; i++) loaded[i] = sj_lw_bcast_load(&K, &B, in[i], space, iv);
  scalar_body(L, &B, op, loaded, res);
  for (unsigned j = 0; j < nout; j++) sj_lw_store(&B, res[j], out[j], iv, space->rank);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  sj_builder FB = sj_builder_before(c, op);
  sj_lw_alloc_results(&FB, op, space, src, bufs);
  sj_lw_launch_and_replace(L, &FB, op, &K, bufs);
}

/* ---- transpose ---- */

static void lower_transpose(lower *L, sj_op *op) {
  sj_ctx *c = L->m->ctx;
  const sj_type *t = &sj_res(op, 0)->type;
  const sj_attr *perm = sj_op_attr(op, "perm");
  dimsrc src[SJ_MAX_RANK];
  for (int k = 0; k < t->rank; k++) src[k] = (dimsrc){sj_opnd(op, 0), (int)perm->u.ints.v[k]};
  kbuild K;
  if (!sj_lw_new_kernel(L, op->loc, &K)) return;
  sj_value *in = sj_lw_param(L, &K, sj_opnd(op, 0)->type, "in", 0), *out = sj_lw_param(L, &K, *t, "out", 0);
  sj_lw_kernel_begin(&K);
  sj_value *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *idx[SJ_MAX_RANK], *buf;
  sj_lw_bounds(&K, out, t, hi);
  sj_builder B = sj_lw_nest(&K, &K.top, t->rank, hi, ALL_DIMS, iv);
  for (int k = 0; k < t->rank; k++) idx[perm->u.ints.v[k]] = iv[k]; /* out dim k is in dim perm[k] */
  sj_lw_store(&B, sj_lw_load(&B, in, idx, t->rank), out, iv, t->rank);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  sj_builder FB = sj_builder_before(c, op);
  sj_lw_alloc_results(&FB, op, t, src, &buf);
  sj_lw_launch_and_replace(L, &FB, op, &K, &buf);
}

/* ---- reductions ---- */

/* The reduction's start value: its combine's identity, exactly (the i64
 * bounds are not doubles). Half sums arrive here widened to f32 (widen_halves),
 * so the accumulator's dtype is the operand's. */
static sj_value *identity(sj_builder *B, const sj_reduce_info *ri) {
  sj_op *k = sj_build(B, SJ_OP_CONSTANT, 0, NULL, 1, (sj_type[]){sj_scalar_type(ri->dt)});
  sj_op_set_attr(B->c, k, ri->identity);
  return sj_res(k, 0);
}

/* {combine = "<op>"}: the loop's carried value is a reduction with `code`
 * (verified; codegen reassociates and parallelizes on it, never on shape). */
static void mark_combine(kbuild *K, sj_op *loop, sj_opcode code) {
  sj_attr a = {.name = "combine", .kind = SJ_ATTR_STR, .u.s = sj_intern(K->top.c, sj_opinfo_get(code)->name)};
  sj_op_set_attr(K->top.c, loop, a);
}

/* How mean scales a sum: `mul` by the constant 1/count when every reduced
 * dim is static, else `div` by the count computed from the bounds and cast
 * to the dtype (mean is float-only). Built at the kernel top. */
typedef struct scale {
  sj_opcode code; /* SJ_OP_MUL or SJ_OP_DIV */
  sj_value *by;   /* NULL: nothing to do (not a mean, or a count of 1) */
} scale;

static scale mean_scale(kbuild *K, const sj_type *t, sj_value **hi, unsigned mask) {
  int64_t n = 1;
  sj_value *dyn = NULL;
  for (int k = 0; k < t->rank; k++) {
    if (!(mask >> k & 1u)) continue;
    if (t->dims[k] != SJ_DYN) n *= t->dims[k];
    else dyn = dyn ? sj_lw_binop(&K->top, SJ_OP_MUL, dyn, hi[k]) : hi[k];
  }
  if (!dyn) {
    if (n == 1) return (scale){SJ_OP_MUL, NULL};
    return (scale){SJ_OP_MUL, sj_build_scalar(&K->top, t->dt, 1.0 / (double)n)};
  }
  if (n != 1) dyn = sj_lw_binop(&K->top, SJ_OP_MUL, dyn, sj_lw_kconst(K, n));
  return (scale){SJ_OP_DIV, sj_build1(&K->top, SJ_OP_CAST, 1, &dyn, sj_scalar_type(t->dt))};
}

sj_value *apply_scale(sj_builder *B, scale s, sj_value *v) { return !s.by ? v : sj_lw_binop(B, s.code, v, s.by); }

/* Output indices of input position iv (kept dims; %c0 for keepdims). */
static int out_index(kbuild *K, const sj_reduce_info *ri, sj_value **iv, sj_value **oidx) {
  int n = 0;
  for (int k = 0; k < ri->rank; k++) {
    if (!(ri->mask >> k & 1u)) oidx[n++] = iv[k];
    else if (ri->keepdims) oidx[n++] = K->c0;
  }
  return n;
}

/* Reduced axes form a suffix: kept loops outside (parallel), the reduced dims
 * as `for`s carrying the accumulator in a register (vectorizable: codegen
 * marks the combine reassoc), one store after them. */
static void row_reduce(kbuild *K, const sj_reduce_info *ri, sj_value *in, sj_value *out, sj_value **hi, scale s) {
  const sj_type *t = &in->type;
  unsigned mask = ri->mask;
  int nkept = 0;
  while (nkept < t->rank && !(mask >> nkept & 1u)) nkept++;
  sj_value *iv[SJ_MAX_RANK], *oidx[SJ_MAX_RANK];
  sj_builder B = sj_lw_nest(K, &K->top, nkept, hi, ALL_DIMS, iv);
  sj_value *acc = identity(&B, ri);
  sj_op *loops[SJ_MAX_RANK];
  int nloops = 0;
  sj_builder in_b = B;
  for (int k = nkept; k < t->rank; k++) {
    if (!hi[k]) {
      iv[k] = K->c0;
      continue;
    }
    sj_op *l = loops[nloops++] = sj_build_loop(&in_b, false, K->c0, hi[k], 1, &acc);
    mark_combine(K, l, ri->combine);
    in_b = sj_builder_in(&in_b, l);
    iv[k] = l->regions[0]->args[0];
    acc = l->regions[0]->args[1];
  }
  sj_value *y = sj_lw_binop(&in_b, ri->combine, acc, sj_lw_load(&in_b, in, iv, t->rank));
  for (int i = nloops - 1; i >= 0; i--) {
    sj_builder lb = sj_builder_in(&B, loops[i]);
    sj_build(&lb, SJ_OP_YIELD, 1, &y, 0, NULL);
    y = sj_res(loops[i], 0);
  }
  y = apply_scale(&B, s, y);
  sj_lw_store(&B, y, out, oidx, out_index(K, ri, iv, oidx));
  sj_lw_close_nest(&B);
}

/* General case (a reduced axis outside a kept one, e.g. a column sum): out =
 * identity; then over every input element in input order (contiguous inner
 * loop; parallel only on an outermost kept axis, whose iterations write
 * disjoint outputs) out[o] = out[o] (+) x; mean scales in a last nest. */
static void general_reduce(kbuild *K, const sj_reduce_info *ri, sj_value *in, sj_value *out, sj_value **hi, scale s) {
  const sj_type *t = &in->type, *ot = &out->type;
  sj_value *ohi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *oidx[SJ_MAX_RANK];
  sj_lw_bounds(K, out, ot, ohi);
  sj_builder B = sj_lw_nest(K, &K->top, ot->rank, ohi, ALL_DIMS, iv);
  sj_lw_store(&B, identity(&B, ri), out, iv, ot->rank);
  sj_lw_close_nest(&B);
  B = sj_lw_nest(K, &K->top, t->rank, hi, ~ri->mask, iv);
  sj_value *x = sj_lw_load(&B, in, iv, t->rank);
  int n = out_index(K, ri, iv, oidx);
  sj_lw_store(&B, sj_lw_binop(&B, ri->combine, sj_lw_load(&B, out, oidx, n), x), out, oidx, n);
  sj_lw_close_nest(&B);
  if (!s.by) return;
  B = sj_lw_nest(K, &K->top, ot->rank, ohi, ALL_DIMS, iv);
  sj_lw_store(&B, apply_scale(&B, s, sj_lw_load(&B, out, iv, ot->rank)), out, iv, ot->rank);
  sj_lw_close_nest(&B);
}

static void lower_reduce(lower *L, sj_op *op) {
  sj_value *x = sj_opnd(op, 0);
  const sj_type *t = &x->type, *rt = &sj_res(op, 0)->type;
  sj_reduce_info ri;
  if (!sj_reduce_info_get(op, &ri)) return; /* the verifier rejects bad axes */
  unsigned mask = ri.mask;
  dimsrc src[SJ_MAX_RANK];
  for (int k = 0, o = 0; k < t->rank; k++) {
    if (!(mask >> k & 1u)) src[o++] = (dimsrc){x, k};
    else if (ri.keepdims) src[o++] = (dimsrc){0};
  }
  if (!sj_lw_sizes_known(L, op, rt, src)) return;
  kbuild K;
  if (!sj_lw_new_kernel(L, op->loc, &K)) return;
  sj_value *in = sj_lw_param(L, &K, *t, "in", 0), *out = sj_lw_param(L, &K, *rt, "out", 0), *buf;
  sj_lw_kernel_begin(&K);
  sj_value *hi[SJ_MAX_RANK];
  sj_lw_bounds(&K, in, t, hi); /* the iteration space is the input's */
  scale s = ri.mean ? mean_scale(&K, t, hi, mask) : (scale){SJ_OP_MUL, NULL};
  bool is_suffix = true;
  for (int k = 0, seen = 0; k < t->rank; k++) {
    if (mask >> k & 1u) seen = 1;
    else if (seen) is_suffix = false;
  }
  if (is_suffix) row_reduce(&K, &ri, in, out, hi, s);
  else general_reduce(&K, &ri, in, out, hi, s);
  sj_lw_kernel_return(&K);
  sj_builder FB = sj_builder_before(L->m->ctx, op);
  sj_lw_alloc_results(&FB, op, rt, src, &buf);
  sj_lw_launch_and_replace(L, &FB, op, &K, &buf);
}

/* f16/bf16 sums, products, means and matmuls accumulate in f32: the op is
 * rewritten at func level into cast -> the op in f32 -> cast back, so one
 * rounding to the half dtype happens at the end instead of one per element
 * (docs/decisions/0005). max/min are exact in any dtype and stay. */
static bool accumulates_wider(const sj_op *op) {
  sj_reduce_info ri;
  if (sj_reduce_info_get(op, &ri)) return ri.acc_dt != ri.dt;
  return op->code == SJ_OP_MATMUL && sj_accumulate_dtype(sj_opnd(op, 0)->type.dt) != sj_opnd(op, 0)->type.dt;
}

static void widen(sj_ctx *c, sj_op *op) {
  sj_builder B = sj_builder_before(c, op);
  sj_value *ins[2];
  for (unsigned i = 0; i < op->nopnds && i < 2; i++) {
    sj_value *x = sj_opnd(op, i);
    sj_type t = x->type;
    t.dt = sj_accumulate_dtype(t.dt);
    ins[i] = sj_build1(&B, SJ_OP_CAST, 1, &x, t);
  }
  sj_value *r = sj_res(op, 0);
  sj_type wt = r->type;
  wt.dt = sj_accumulate_dtype(wt.dt);
  sj_op *w = sj_build(&B, op->code, op->nopnds, ins, 1, &wt);
  for (unsigned i = 0; i < op->nattrs; i++) sj_op_set_attr(c, w, op->attrs[i]);
  sj_value *back = sj_build1(&B, SJ_OP_CAST, 1, (sj_value *[]){sj_res(w, 0)}, r->type);
  back->name = r->name;
  sj_value_replace_all_uses(r, back);
  sj_op_erase(op);
}

static void widen_halves(sj_ctx *c, sj_block *body) {
  for (sj_op *op = body->first, *nx; op; op = nx) {
    nx = op->next;
    if (accumulates_wider(op)) widen(c, op);
  }
}

/* ---- take, take_along_axis, scatter_add(_along_axis) ---- */

typedef struct take_info {
  bool along;
  int axis;     /* normalized */
  sj_value *n;  /* size of the indexed axis (kernel top); NULL when it is a static 1 */
} take_info;

static bool is_along(const sj_op *op) {
  return op->code == SJ_OP_TAKE_ALONG_AXIS || op->code == SJ_OP_SCATTER_ADD_ALONG_AXIS;
}

static int take_axis(const sj_op *op, int rank) {
  int k = (int)sj_op_int(op, "axis", 0);
  return k < 0 ? k + rank : k;
}

/* The bounds of the indexed axis of buffer xb, at the kernel top. */
static take_info take_begin(kbuild *K, const sj_op *op, sj_value *xb) {
  take_info T = {.along = is_along(op), .axis = take_axis(op, xb->type.rank)};
  int64_t d = xb->type.dims[T.axis];
  if (d == 1) return T;
  T.n = d == SJ_DYN ? sj_build_dim(&K->top, xb, T.axis) : sj_lw_kconst(K, d);
  return T;
}

/* i -> clamp(i < 0 ? i + n : i, n): numpy's wrap of a negative index, then
 * XLA's clamp into [0, n). `clamp` states the intent: the executor checks
 * that the addressed dim is n and not empty before the kernel runs. */
static sj_value *clamp_index(kbuild *K, sj_builder *B, const take_info *T, sj_value *raw) {
  if (raw->type.dt != SJ_I64) raw = sj_build1(B, SJ_OP_CAST, 1, &raw, sj_scalar_type(SJ_I64));
  sj_value *cmp[2] = {raw, K->c0};
  sj_value *sel[3] = {sj_build1(B, SJ_OP_LT, 2, cmp, sj_scalar_type(SJ_BOOL)), sj_lw_binop(B, SJ_OP_ADD, raw, T->n), raw};
  sj_value *w = sj_build1(B, SJ_OP_SELECT, 3, sel, raw->type);
  sj_value *cl[2] = {w, T->n};
  return sj_build1(B, SJ_OP_CLAMP, 2, cl, raw->type);
}

/* For position iv of the index space `sp` (a take's result, a scatter's
 * updates): loads the index from ib and sets xi to the indices into the
 * indexed tensor, of type xt. */
static void take_indices(kbuild *K, sj_builder *B, const take_info *T, sj_value *ib, const sj_type *sp, const sj_type *xt,
                         sj_value **iv, sj_value **xi) {
  int k = T->axis, r = ib->type.rank;
  for (int d = 0; d < xt->rank; d++) {
    if (d == k) xi[d] = !T->n ? K->c0 : clamp_index(K, B, T, T->along ? sj_lw_bcast_load(K, B, ib, sp, iv) : sj_lw_load(B, ib, iv + k, r));
    else if (T->along) xi[d] = xt->dims[d] == 1 && sp->dims[d] != 1 ? K->c0 : iv[d];
    else xi[d] = iv[d < k ? d : d + r - 1];
  }
}

/* Gather: one nest over the result (outermost parallel_for), a load of x
 * at the computed indices, a store. */
static void lower_take(lower *L, sj_op *op) {
  sj_value *x = sj_opnd(op, 0), *ix = sj_opnd(op, 1), *buf;
  const sj_type *t = &sj_res(op, 0)->type;
  int k = take_axis(op, x->type.rank), r = ix->type.rank;
  bool along = is_along(op);
  dimsrc src[SJ_MAX_RANK];
  for (int d = 0; d < t->rank; d++) {
    if (along) src[d] = d == k || ix->type.dims[d] == SJ_DYN ? (dimsrc){ix, d} : (dimsrc){x, d};
    else src[d] = d < k ? (dimsrc){x, d} : d < k + r ? (dimsrc){ix, d - k} : (dimsrc){x, d - r + 1};
  }
  if (!sj_lw_sizes_known(L, op, t, src)) return;
  kbuild K;
  if (!sj_lw_new_kernel(L, op->loc, &K)) return;
  sj_value *in = sj_lw_param(L, &K, x->type, "in", 0), *ib = sj_lw_param(L, &K, ix->type, "in", 1), *out = sj_lw_param(L, &K, *t, "out", 0);
  sj_lw_kernel_begin(&K);
  take_info T = take_begin(&K, op, in);
  sj_value *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *xi[SJ_MAX_RANK];
  sj_lw_bounds(&K, out, t, hi);
  sj_builder B = sj_lw_nest(&K, &K.top, t->rank, hi, ALL_DIMS, iv);
  take_indices(&K, &B, &T, ib, t, &x->type, iv, xi);
  sj_lw_store(&B, sj_lw_load(&B, in, xi, x->type.rank), out, iv, t->rank);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  sj_builder FB = sj_builder_before(L->m->ctx, op);
  sj_lw_alloc_results(&FB, op, t, src, &buf);
  sj_lw_launch_and_replace(L, &FB, op, &K, &buf);
}

/* Scatter-add: zero the output, then over the updates out[xi] += g[iv].
 * Updates that may hit the same element (along the indexed dims, or a
 * broadcast dim) are never split across threads: the outer loop is a
 * parallel_for only over a dim whose iterations write disjoint outputs. */
static void lower_scatter(lower *L, sj_op *op) {
  sj_value *g = sj_opnd(op, 0), *ix = sj_opnd(op, 1), *like = sj_opnd(op, 2), *buf;
  const sj_type *t = &sj_res(op, 0)->type, *gt = &g->type;
  dimsrc src[SJ_MAX_RANK];
  for (int d = 0; d < t->rank; d++) src[d] = (dimsrc){like, d};
  kbuild K;
  if (!sj_lw_new_kernel(L, op->loc, &K)) return;
  sj_value *gb = sj_lw_param(L, &K, *gt, "in", 0), *ib = sj_lw_param(L, &K, ix->type, "in", 1);
  sj_lw_param(L, &K, like->type, "in", 2);
  sj_value *out = sj_lw_param(L, &K, *t, "out", 0);
  sj_lw_kernel_begin(&K);
  take_info T = take_begin(&K, op, out);
  sj_value *ohi[SJ_MAX_RANK], *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *xi[SJ_MAX_RANK];
  sj_lw_bounds(&K, out, t, ohi);
  sj_lw_bounds(&K, gb, gt, hi);
  sj_builder B = sj_lw_nest(&K, &K.top, t->rank, ohi, ALL_DIMS, iv);
  sj_lw_store(&B, sj_build_scalar(&B, t->dt, 0), out, iv, t->rank);
  sj_lw_close_nest(&B);
  unsigned par = 0;
  for (int d = 0; d < gt->rank; d++) {
    bool hits = T.along ? d == T.axis || (t->dims[d] == 1 && gt->dims[d] != 1) : d >= T.axis && d < T.axis + ix->type.rank;
    if (!hits) par |= 1u << d;
  }
  B = sj_lw_nest(&K, &K.top, gt->rank, hi, par, iv);
  take_indices(&K, &B, &T, ib, gt, t, iv, xi);
  sj_value *sum = sj_lw_binop(&B, SJ_OP_ADD, sj_lw_load(&B, out, xi, t->rank), sj_lw_load(&B, gb, iv, gt->rank));
  sj_lw_store(&B, sum, out, xi, t->rank);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  sj_builder FB = sj_builder_before(L->m->ctx, op);
  sj_lw_alloc_results(&FB, op, t, src, &buf);
  sj_lw_launch_and_replace(L, &FB, op, &K, &buf);
}

/* ---- slice, slice_update, index_update (docs/decisions/0010-slicing.md) ---- */

/* One axis of a slice inside a kernel: element i of the region is at
 * first + i * step of an axis of n elements. A whole axis (start 0, to the
 * end, step 1) is addressed by the loop index itself. */
typedef struct slice_axis {
  sj_value *first, *n, *step; /* step: NULL for 1 */
  bool whole;
} slice_axis;

/* The region's axes of buffer xb (the sliced tensor, or the copy being
 * updated), computed at the kernel top: constants for a static dim, numpy's
 * clamping of the start (slice.h) on `dim xb` for a dynamic one. */
static void slice_axes(kbuild *K, const sj_op *op, sj_value *xb, slice_axis *ax) {
  const sj_type *t = &xb->type;
  for (int k = 0; k < t->rank; k++) {
    int64_t start, stop, step, first, len, d = t->dims[k];
    sj_slice_axis(op, k, &start, &stop, &step);
    ax[k] = (slice_axis){.whole = sj_slice_axis_is_full(op, k)};
    if (ax[k].whole) continue;
    if (step != 1) ax[k].step = sj_lw_kconst(K, step); /* at the top, before any nest */
    if (d != SJ_DYN) {
      sj_slice_resolve(d, start, stop, step, &first, &len);
      ax[k].n = sj_lw_kconst(K, d), ax[k].first = sj_lw_kconst(K, len ? first : 0);
      continue;
    }
    sj_value *n = ax[k].n = sj_build_dim(&K->top, xb, k);
    if (start >= 0) { /* min(start, n) going forward, min(start, n - 1) back */
      sj_value *hi = step < 0 ? sj_lw_binop(&K->top, SJ_OP_SUB, n, sj_lw_kconst(K, 1)) : n;
      ax[k].first = sj_lw_binop(&K->top, SJ_OP_MINIMUM, sj_lw_kconst(K, start), hi);
    } else { /* max(start + n, 0) forward, max(start + n, -1) back */
      sj_value *from_end = sj_lw_binop(&K->top, SJ_OP_ADD, sj_lw_kconst(K, start), n);
      ax[k].first = sj_lw_binop(&K->top, SJ_OP_MAXIMUM, from_end, sj_lw_kconst(K, step < 0 ? -1 : 0));
    }
  }
}

/* The index into the sliced axis of region position i: clamp(first + i *
 * step, n). The clamp never changes an index (the region is inside the
 * axis); it states the bound the executor checks before the launch. */
static sj_value *slice_index(kbuild *K, sj_builder *B, const slice_axis *a, sj_value *i) {
  if (a->whole) return i;
  sj_value *p = a->first;
  if (i != K->c0) p = sj_lw_binop(B, SJ_OP_ADD, p, a->step ? sj_lw_binop(B, SJ_OP_MUL, i, a->step) : i);
  sj_value *cl[2] = {p, a->n};
  return sj_build1(B, SJ_OP_CLAMP, 2, cl, sj_scalar_type(SJ_I64));
}

/* Sizes of the region's dynamic dims at function level: `dim %x` for a
 * whole axis, `slice_len (dim %x)` for a sliced one. Returns how many. */
static unsigned region_sizes(sj_builder *B, const sj_op *op, sj_value *x, sj_value **sizes) {
  unsigned n = 0;
  for (int k = 0; k < x->type.rank; k++) {
    if (x->type.dims[k] != SJ_DYN) continue;
    sj_value *d = sj_build_dim(B, x, k);
    if (!sj_slice_axis_is_full(op, k)) {
      int64_t start, stop, step;
      sj_slice_axis(op, k, &start, &stop, &step);
      sj_op *len = sj_build(B, SJ_OP_SLICE_LEN, 1, &d, 1, (sj_type[]){sj_scalar_type(SJ_I64)});
      sj_op_set_int(B->c, len, "start", start);
      sj_op_set_int(B->c, len, "stop", stop);
      sj_op_set_int(B->c, len, "step", step);
      d = sj_res(len, 0);
    }
    sizes[n++] = d;
  }
  return n;
}

/* Gather of the region: one nest over the result, parallel outermost. */
static void lower_slice(lower *L, sj_op *op) {
  sj_value *x = sj_opnd(op, 0), *sizes[SJ_MAX_RANK];
  const sj_type *t = &sj_res(op, 0)->type;
  kbuild K;
  if (!sj_lw_new_kernel(L, op->loc, &K)) return;
  sj_value *in = sj_lw_param(L, &K, x->type, "in", 0), *out = sj_lw_param(L, &K, *t, "out", 0);
  sj_lw_kernel_begin(&K);
  slice_axis ax[SJ_MAX_RANK];
  slice_axes(&K, op, in, ax);
  sj_value *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *xi[SJ_MAX_RANK];
  sj_lw_bounds(&K, out, t, hi);
  sj_builder B = sj_lw_nest(&K, &K.top, t->rank, hi, ALL_DIMS, iv);
  for (int k = 0; k < t->rank; k++) xi[k] = slice_index(&K, &B, &ax[k], iv[k]);
  sj_lw_store(&B, sj_lw_load(&B, in, xi, t->rank), out, iv, t->rank);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  sj_builder FB = sj_builder_before(L->m->ctx, op);
  unsigned ns = region_sizes(&FB, op, x, sizes);
  sj_value *buf = sj_build1(&FB, SJ_OP_ALLOC, ns, sizes, *t);
  sj_lw_launch_and_replace(L, &FB, op, &K, &buf);
}

/* out = a copy of xb's contents (the first nest of an update kernel). */
static void copy_nest(kbuild *K, sj_value *in, sj_value *out) {
  sj_value *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK];
  const sj_type *t = &out->type;
  sj_lw_bounds(K, out, t, hi);
  sj_builder B = sj_lw_nest(K, &K->top, t->rank, hi, ALL_DIMS, iv);
  sj_lw_store(&B, sj_lw_load(&B, in, iv, t->rank), out, iv, t->rank);
  sj_lw_close_nest(&B);
}

/* out[at] = v ("set") or out[at] + v ("add"). */
static void update_store(sj_builder *B, const sj_op *op, sj_value *v, sj_value *out, sj_value **at) {
  int r = out->type.rank;
  if (strcmp(sj_op_attr(op, "mode")->u.s, "add") == 0) v = sj_lw_binop(B, SJ_OP_ADD, sj_lw_load(B, out, at, r), v);
  sj_lw_store(B, v, out, at, r);
}

/* The values broadcast into a buffer of the region's type, sized by
 * region_sizes: a copy kernel whose loads make the executor check each
 * dim of y against the region's run-time length (a `?` of y must equal
 * it), which the update kernel's loops then take from this buffer. */
static sj_value *materialize_values(lower *L, sj_builder *FB, const sj_op *op, sj_value *x, sj_value *y, const sj_type *reg) {
  sj_value *sizes[SJ_MAX_RANK], *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK];
  kbuild K;
  if (!sj_lw_new_kernel(L, op->loc, &K)) return NULL;
  sj_value *in = sj_lw_param(L, &K, y->type, "in", 0), *out = sj_lw_param(L, &K, *reg, "out", 0);
  sj_lw_kernel_begin(&K);
  sj_lw_bounds(&K, out, reg, hi);
  sj_builder B = sj_lw_nest(&K, &K.top, reg->rank, hi, ALL_DIMS, iv);
  sj_lw_store(&B, sj_lw_bcast_load(&K, &B, in, reg, iv), out, iv, reg->rank);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  unsigned ns = region_sizes(FB, op, x, sizes);
  sj_value *buf = sj_build1(FB, SJ_OP_ALLOC, ns, sizes, *reg);
  sj_op *l = sj_build(FB, SJ_OP_LAUNCH, 2, (sj_value *[]){y, buf}, 0, NULL);
  sj_op_set_sym(L->m->ctx, l, "kernel", sj_func_name(K.k));
  return buf;
}

static bool overwritable(const sj_op *op, sj_value *z);

/* The value attribute of a splat constant (int or float), or NULL. */
static const sj_attr *splat_value(const sj_value *v) {
  const sj_attr *a = v->def && v->def->code == SJ_OP_CONSTANT ? sj_op_attr(v->def, "value") : NULL;
  return a && (a->kind == SJ_ATTR_INT || a->kind == SJ_ATTR_FLOAT) ? a : NULL;
}

static bool mode_set(const sj_op *op) { return strcmp(sj_op_attr(op, "mode")->u.s, "set") == 0; }

/* Most updates followed by chain_covers (its check is quadratic). */
#define MAX_CHAIN 64

/* The "set" updates starting at op, each the only user of the one before
 * (as its base), have pairwise disjoint regions that together cover the
 * whole (static) tensor: every element is written by exactly one of them
 * and no element of op's base reaches the chain's result, so the base
 * need not be written at all. */
static bool chain_covers(const sj_op *op) {
  const sj_type *t = &sj_res(op, 0)->type;
  const sj_op *chain[MAX_CHAIN];
  int n = 0;
  for (const sj_op *u = op; u && n < MAX_CHAIN; n++) {
    if (!mode_set(u)) return false;
    chain[n] = u;
    const sj_value *r = sj_res(u, 0);
    const sj_op *next = sj_value_num_uses(r) == 1 ? r->uses->user : NULL;
    u = next && next->code == SJ_OP_SLICE_UPDATE && sj_opnd(next, 0) == r && sj_opnd(next, 1) != r ? next : NULL;
  }
  int64_t covered = 0;
  for (int k = 0; k < t->rank; k++)
    if (t->dims[k] == SJ_DYN) return false;
  for (int i = 0; i < n; i++) {
    sj_type reg = sj_slice_region(chain[i], t);
    covered += sj_type_numel(&reg);
    for (int j = i + 1; j < n; j++)
      if (!sj_slice_regions_disjoint(chain[i], chain[j], t)) return false;
  }
  return covered == sj_type_numel(t);
}

/* A kernel that stores the splat value v into every element of buf. */
static void fill(lower *L, sj_builder *FB, const sj_op *op, sj_value *buf, const sj_attr *v) {
  sj_value *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK];
  const sj_type *t = &buf->type;
  kbuild K;
  if (!sj_lw_new_kernel(L, op->loc, &K)) return;
  sj_value *out = sj_lw_param(L, &K, *t, "out", 0);
  sj_lw_kernel_begin(&K);
  sj_lw_bounds(&K, out, t, hi);
  sj_builder B = sj_lw_nest(&K, &K.top, t->rank, hi, ALL_DIMS, iv);
  sj_value *c = sj_build1(&B, SJ_OP_CONSTANT, 0, NULL, sj_scalar_type(t->dt));
  sj_op_set_attr(L->m->ctx, c->def, *v);
  sj_lw_store(&B, c, out, iv, t->rank);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  sj_op *l = sj_build(FB, SJ_OP_LAUNCH, 1, &buf, 0, NULL);
  sj_op_set_sym(L->m->ctx, l, "kernel", sj_func_name(K.k));
}

/* Where the update writes: x itself when nothing reads x afterwards (no
 * copy: only the region is written); for a splat x a new buffer, filled
 * with the splat's value unless the chain of updates starting here covers
 * it; NULL when the update kernel must copy x into a new buffer first. */
static sj_value *update_target(lower *L, sj_builder *FB, sj_op *op) {
  sj_value *x = sj_opnd(op, 0);
  if (overwritable(op, x) && sj_opnd(op, 1) != x) return x; /* x[::-1] = x reads what it overwrites */
  const sj_attr *v = splat_value(x);
  if (!v) return NULL;
  sj_value *buf = sj_build1(FB, SJ_OP_ALLOC, 0, NULL, x->type); /* a constant's type is static */
  if (!chain_covers(op)) fill(L, FB, op, buf, v);
  return buf;
}

/* Write the region of x (a copy of it, or x itself: update_target): one
 * nest over the region (its positions are distinct, so the outermost loop
 * is parallel). A region with a sliced dynamic dim reads the values from a
 * buffer of its own type (above). */
static void lower_slice_update(lower *L, sj_op *op) {
  sj_value *x = sj_opnd(op, 0), *y = sj_opnd(op, 1);
  const sj_type *t = &x->type;
  sj_type reg = sj_slice_region(op, t);
  bool sized = false; /* the region has a sliced dynamic dim */
  for (int k = 0; k < t->rank; k++) sized |= t->dims[k] == SJ_DYN && !sj_slice_axis_is_full(op, k);
  sj_builder FB = sj_builder_before(L->m->ctx, op);
  if (sized && !(y = materialize_values(L, &FB, op, x, y, &reg))) return;
  sj_value *into = update_target(L, &FB, op);
  if (L->st) return;
  kbuild K;
  if (!sj_lw_new_kernel(L, op->loc, &K)) return;
  unsigned np = 0;
  sj_value *in = into ? NULL : sj_lw_param(L, &K, *t, "in", np++);
  sj_value *yb = sj_lw_param(L, &K, y->type, "in", np), *out = sj_lw_param(L, &K, *t, "out", 0);
  sj_lw_kernel_begin(&K);
  slice_axis ax[SJ_MAX_RANK];
  slice_axes(&K, op, out, ax);
  sj_value *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *xi[SJ_MAX_RANK];
  sj_lw_bounds(&K, sized ? yb : out, &reg, hi); /* not sized: a dynamic region dim is a whole axis of out */
  if (in) copy_nest(&K, in, out);
  sj_builder B = sj_lw_nest(&K, &K.top, reg.rank, hi, ALL_DIMS, iv);
  for (int k = 0; k < reg.rank; k++) xi[k] = slice_index(&K, &B, &ax[k], iv[k]);
  update_store(&B, op, sj_lw_bcast_load(&K, &B, yb, &reg, iv), out, xi);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  if (!into) {
    dimsrc src[SJ_MAX_RANK];
    for (int k = 0; k < t->rank; k++) src[k] = (dimsrc){x, k};
    sj_lw_alloc_results(&FB, op, t, src, &into);
    sj_op_set_operand(op, 1, y);
    sj_lw_launch_and_replace(L, &FB, op, &K, &into);
    return;
  }
  sj_op *l = sj_build(&FB, SJ_OP_LAUNCH, 2, (sj_value *[]){y, into}, 0, NULL);
  sj_op_set_sym(L->m->ctx, l, "kernel", sj_func_name(K.k));
  sj_value_replace_all_uses(sj_res(op, 0), into);
  sj_op_erase(op);
}

/* Copy x, then the updates in the order of the take's positions: the loops
 * over the index dims are sequential `for`s (repeated indices accumulate,
 * or the last "set" wins), only an outer dim whose iterations write
 * disjoint rows is parallel (as scatter_add). */
static void lower_index_update(lower *L, sj_op *op) {
  sj_value *x = sj_opnd(op, 0), *ix = sj_opnd(op, 1), *y = sj_opnd(op, 2), *buf;
  const sj_type *t = &x->type, *it = &ix->type;
  int k = take_axis(op, t->rank), r = it->rank;
  kbuild K;
  if (!sj_lw_new_kernel(L, op->loc, &K)) return;
  sj_value *in = sj_lw_param(L, &K, *t, "in", 0), *ib = sj_lw_param(L, &K, *it, "in", 1), *yb = sj_lw_param(L, &K, y->type, "in", 2);
  sj_value *out = sj_lw_param(L, &K, *t, "out", 0);
  sj_lw_kernel_begin(&K);
  take_info T = take_begin(&K, op, out);
  /* the take's index space: x's dims around the axis, idx's dims in it */
  sj_type sp = *t;
  sp.rank = t->rank - 1 + r;
  sj_value *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *xi[SJ_MAX_RANK];
  unsigned par = 0;
  for (int d = 0; d < sp.rank; d++) {
    bool in_idx = d >= k && d < k + r;
    sj_value *src = in_idx ? ib : in;
    int j = in_idx ? d - k : d < k ? d : d - r + 1;
    sp.dims[d] = src->type.dims[j];
    hi[d] = sp.dims[d] == 1 ? NULL : sp.dims[d] == SJ_DYN ? sj_build_dim(&K.top, src, j) : sj_lw_kconst(&K, sp.dims[d]);
    if (!in_idx) par |= 1u << d;
  }
  copy_nest(&K, in, out);
  sj_builder B = sj_lw_nest(&K, &K.top, sp.rank, hi, par, iv);
  take_indices(&K, &B, &T, ib, &sp, t, iv, xi);
  update_store(&B, op, sj_lw_bcast_load(&K, &B, yb, &sp, iv), out, xi);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  dimsrc src[SJ_MAX_RANK];
  for (int d = 0; d < t->rank; d++) src[d] = (dimsrc){x, d};
  sj_builder FB = sj_builder_before(L->m->ctx, op);
  sj_lw_alloc_results(&FB, op, t, src, &buf);
  sj_lw_launch_and_replace(L, &FB, op, &K, &buf);
}

/* ---- matmul ---- */

/* A 2-D transpose feeding a matmul is read through BLAS's transpose flag. */
static sj_value *untransposed(sj_value *v) {
  const sj_op *d = v->def;
  if (!d || d->code != SJ_OP_TRANSPOSE || v->type.rank != 2) return NULL;
  const sj_attr *p = sj_op_attr(d, "perm");
  return p->u.ints.v[0] == 1 && p->u.ints.v[1] == 0 ? sj_opnd(d, 0) : NULL;
}

/* addmm's accumulator z may become the gemm's output when nothing reads it
 * after the addmm: a buffer this func allocated, used only by the launches
 * and gemms before it that wrote it (no view, not returned). Otherwise the
 * gemm copies z into a fresh output, row panel by row panel. */
static bool overwritable(const sj_op *op, sj_value *z) {
  if (!z->def || z->def->code != SJ_OP_ALLOC || z->def->block != op->block) return false;
  for (const sj_use *u = z->uses; u; u = u->next)
    if (u->user != op && u->user->code != SJ_OP_LAUNCH && u->user->code != SJ_OP_GEMM) return false;
  for (const sj_op *o = op->next; o; o = o->next)
    for (unsigned i = 0; i < o->nopnds; i++)
      if (sj_opnd(o, i) == z) return false;
  return true;
}

/* The gemm of matmul %a, %b or addmm %z, %a, %b (z its accumulator), writing *o. */
sj_op *sj_lw_build_gemm(lower *L, sj_builder *FB, sj_op *op, sj_value *a, sj_value *b, sj_value *const *o) {
  sj_value *args[4] = {a, b, *o, NULL};
  unsigned n = 3;
  if (op->code == SJ_OP_ADDMM) args[n++] = sj_opnd(op, 0);
  sj_op *g = sj_build(FB, SJ_OP_GEMM, n, args, 0, NULL);
  if (op->code == SJ_OP_ADDMM) {
    const sj_attr *al = sj_op_attr(op, "alpha"), *be = sj_op_attr(op, "beta");
    sj_op_set_float(L->m->ctx, g, "alpha", !al ? 1.0 : al->kind == SJ_ATTR_FLOAT ? al->u.f : (double)al->u.i);
    sj_op_set_float(L->m->ctx, g, "beta", !be ? 1.0 : be->kind == SJ_ATTR_FLOAT ? be->u.f : (double)be->u.i);
  }
  return g;
}

static void lower_matmul(lower *L, sj_op *op) {
  unsigned x = op->code == SJ_OP_ADDMM;
  sj_value *a = sj_opnd(op, x), *b = sj_opnd(op, x + 1), *o;
  const sj_type *t = &sj_res(op, 0)->type;
  sj_value *ua = untransposed(a), *ub = untransposed(b);
  sj_value *inplace = x && overwritable(op, sj_opnd(op, 0)) ? sj_opnd(op, 0) : NULL;
  if (ua || ub) {
    dimsrc s2[2] = {ua ? (dimsrc){ua, 1} : (dimsrc){a, 0}, ub ? (dimsrc){ub, 0} : (dimsrc){b, 1}};
    if (t->rank != 2 || !sj_lw_sizes_known(L, op, t, s2)) return;
    sj_builder FB = sj_builder_before(L->m->ctx, op);
    if (inplace) o = inplace;
    else sj_lw_alloc_results(&FB, op, t, s2, &o);
    sj_op *g = sj_lw_build_gemm(L, &FB, op, ua ? ua : a, ub ? ub : b, &o);
    if (ua) sj_op_set_bool(L->m->ctx, g, "trans_a", true);
    if (ub) sj_op_set_bool(L->m->ctx, g, "trans_b", true);
    sj_value_replace_all_uses(sj_res(op, 0), o);
    sj_op_erase(op);
    sj_pass_stat_add(L->run, SJ_STAT_lower_gemms, 1);
    return;
  }
  dimsrc src[SJ_MAX_RANK];
  int nb = t->rank - 2;
  for (int k = 0; k < nb; k++) { /* batch dims broadcast like elementwise */
    int ja = a->type.rank - 2 - nb + k, jb = b->type.rank - 2 - nb + k;
    src[k] = (dimsrc){0};
    if (ja >= 0 && a->type.dims[ja] == SJ_DYN) src[k] = (dimsrc){a, ja};
    else if (jb >= 0 && b->type.dims[jb] == SJ_DYN) src[k] = (dimsrc){b, jb};
  }
  src[nb] = (dimsrc){a, a->type.rank - 2};
  src[nb + 1] = (dimsrc){b, b->type.rank - 1};
  if (!sj_lw_sizes_known(L, op, t, src)) return;
  sj_builder FB = sj_builder_before(L->m->ctx, op);
  if (inplace) o = inplace;
  else sj_lw_alloc_results(&FB, op, t, src, &o);
  sj_lw_build_gemm(L, &FB, op, a, b, &o);
  sj_value_replace_all_uses(sj_res(op, 0), o);
  sj_op_erase(op);
  sj_pass_stat_add(L->run, SJ_STAT_lower_gemms, 1);
}

/* ---- driver ---- */

static bool is_tensor_elementwise(const sj_op *op) {
  return sj_op_has(op, SJ_F_ELEMWISE) && op->nresults == 1 && sj_res(op, 0)->type.is_tensor;
}

static void lower_op(lower *L, sj_op *op) {
  if (op->code == SJ_OP_FUSED || op->code == SJ_OP_BROADCAST_TO || is_tensor_elementwise(op)) lower_elementwise(L, op);
  else if (sj_op_has(op, SJ_F_REDUCE)) lower_reduce(L, op);
  else if (op->code == SJ_OP_TRANSPOSE) lower_transpose(L, op);
  else if (op->code == SJ_OP_MATMUL || op->code == SJ_OP_ADDMM) lower_matmul(L, op);
  else if (op->code == SJ_OP_TAKE || op->code == SJ_OP_TAKE_ALONG_AXIS) lower_take(L, op);
  else if (op->code == SJ_OP_SCATTER_ADD || op->code == SJ_OP_SCATTER_ADD_ALONG_AXIS) lower_scatter(L, op);
  else if (op->code == SJ_OP_SLICE) lower_slice(L, op);
  else if (op->code == SJ_OP_SLICE_UPDATE) lower_slice_update(L, op);
  else if (op->code == SJ_OP_INDEX_UPDATE) lower_index_update(L, op);
  else if (op->code == SJ_OP_CONV2D || op->code == SJ_OP_CONV2D_INPUT_GRAD || op->code == SJ_OP_CONV2D_FILTER_GRAD) sj_lw_lower_conv(L, op);
  else if (sj_lw_is_pool2d(op)) sj_lw_pool2d(L, op);
}

sj_status sj_pass_lower_to_loops(sj_module *m, sj_pass_run *run) {
  lower L = {.m = m, .run = run};
  if (!sj_symtab_index_module(&L.syms, m)) {
    sj_emit_error(m->ctx, (sj_loc){0}, "lower-to-loops: out of memory");
    L.st = SJ_ERR_NOMEM;
  }
  sj_op *last = m->body->last; /* kernels we append are not revisited */
  for (sj_op *f = m->body->first; f && !L.st; f = f == last ? NULL : f->next) {
    if (f->code != SJ_OP_FUNC) continue;
    L.func = f;
    L.next_kernel = 0;
    widen_halves(m->ctx, sj_func_body(f));
    /* matmuls of transposes first, so the transposes die instead of
     * becoming copy kernels */
    for (sj_op *op = sj_func_body(f)->first, *nx; op && !L.st; op = nx) {
      nx = op->next;
      unsigned x = op->code == SJ_OP_ADDMM;
      if ((op->code == SJ_OP_MATMUL || x) && (untransposed(sj_opnd(op, x)) || untransposed(sj_opnd(op, x + 1)))) {
        sj_op *ta = sj_opnd(op, x)->def, *tb = sj_opnd(op, x + 1)->def;
        lower_matmul(&L, op);
        if (ta && ta->block && ta->code == SJ_OP_TRANSPOSE && !sj_res(ta, 0)->uses) {
          if (nx == ta) nx = ta->next;
          sj_op_erase(ta);
        }
        if (tb && tb != ta && tb->block && tb->code == SJ_OP_TRANSPOSE && !sj_res(tb, 0)->uses) {
          if (nx == tb) nx = tb->next;
          sj_op_erase(tb);
        }
      }
    }
    for (sj_op *op = sj_func_body(f)->first, *nx; op && !L.st; op = nx) {
      nx = op->next;
      lower_op(&L, op);
    }
  }
  sj_symtab_free(&L.syms);
  return L.st;
}
