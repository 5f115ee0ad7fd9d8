/* lower-to-loops: turns each tensor-level computation of a func into a
 * `kernel` with explicit loops, loads and stores, plus `dim`/`alloc`/`launch`
 * in the func (destination-passing style; docs/lowering.md):
 *   fused ops, lone elementwise ops, broadcast_to  -> elementwise kernels
 *   sum max min mean prod                          -> reduction kernels
 *   transpose                                      -> permuted-copy kernels
 *   matmul                                         -> alloc + gemm (BLAS)
 * reshape and constant stay. Kernels are appended to the module in creation
 * order and named @<func>_k<N>. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builder.h"
#include "opinfo.h"
#include "pass.h"

#define MAX_IO 64 /* kernel inputs + outputs; fusion keeps groups below this */

typedef struct lower {
  sj_module *m;
  sj_op *func;
  unsigned next_kernel;
  sj_status st;
} lower;

/* ---- kernels ---- */

static sj_op *new_kernel(lower *L, sj_loc loc) {
  char name[256];
  const char *fn = sj_func_name(L->func);
  do snprintf(name, sizeof name, "%s_k%u", fn, L->next_kernel++);
  while (sj_module_lookup(L->m, name));
  sj_op *k = sj_op_new(L->m->ctx, SJ_OP_KERNEL, 0, NULL, 0, NULL, 1, loc);
  sj_op_set_sym(L->m->ctx, k, "sym_name", name);
  sj_block_append(L->m->body, k);
  return k;
}

static sj_value *param(lower *L, sj_op *k, sj_type t, const char *prefix, unsigned i) {
  char name[32];
  snprintf(name, sizeof name, "%s%u", prefix, i);
  sj_value *v = sj_block_add_arg(L->m->ctx, k->regions[0], t);
  v->name = sj_intern(L->m->ctx, name);
  return v;
}

/* Loop bounds for each dim of `t`, read from buffer `buf` when dynamic. */
static void bounds(sj_builder *B, sj_value *buf, const sj_type *t, sj_value **hi) {
  for (int k = 0; k < t->rank; k++) hi[k] = t->dims[k] == SJ_DYN ? sj_build_dim(B, buf, k) : sj_build_i64(B, t->dims[k]);
}

static bool is_const_one(const sj_value *v) {
  const sj_op *d = v->def;
  const sj_attr *a = d && d->code == SJ_OP_CONSTANT ? sj_op_attr(d, "value") : NULL;
  return a && a->kind == SJ_ATTR_INT && a->u.i == 1;
}

/* Builds the loop nest over dims [0, rank) (the outermost loop parallel when
 * asked); a static size-1 dim gets index 0 instead of a loop. Returns a
 * builder for the innermost body and the induction variables. */
static sj_builder nest(sj_builder *B, int rank, sj_value *c0, sj_value **hi, bool parallel, sj_value **iv) {
  sj_builder in = *B;
  bool first = true;
  for (int k = 0; k < rank; k++) {
    if (is_const_one(hi[k])) {
      iv[k] = c0;
      continue;
    }
    sj_op *loop = sj_build_loop(&in, parallel && first, c0, hi[k], 0, NULL);
    first = false;
    in = sj_builder_in(&in, loop);
    iv[k] = loop->regions[0]->args[0];
  }
  return in;
}

/* Terminates every loop of a nest built by nest(): a yield at each level. */
static void close_nest(sj_builder *inner) {
  sj_block *b = inner->block;
  while (b && b->parent && (b->parent->code == SJ_OP_FOR || b->parent->code == SJ_OP_PARALLEL_FOR)) {
    if (!b->last || b->last->code != SJ_OP_YIELD) {
      sj_op *y = sj_op_new(inner->c, SJ_OP_YIELD, 0, NULL, 0, NULL, 0, inner->loc);
      sj_block_append(b, y);
    }
    b = b->parent->block;
  }
}

/* Load of `in` (type t) broadcast into an iteration space of rank r. */
static sj_value *bcast_load(sj_builder *B, sj_value *in, const sj_type *space, sj_value **iv, sj_value *c0) {
  const sj_type *t = &in->type;
  sj_value *ops[1 + SJ_MAX_RANK];
  ops[0] = in;
  for (int j = 0; j < t->rank; j++) {
    int k = space->rank - t->rank + j;
    ops[1 + j] = (t->dims[j] == 1 && space->dims[k] != 1) ? c0 : iv[k];
  }
  return sj_build1(B, SJ_OP_LOAD, 1 + (unsigned)t->rank, ops, sj_scalar_type(t->dt));
}

static void store(sj_builder *B, sj_value *v, sj_value *buf, sj_value **idx, int rank) {
  sj_value *ops[2 + SJ_MAX_RANK];
  ops[0] = v, ops[1] = buf;
  for (int k = 0; k < rank; k++) ops[2 + k] = idx[k];
  sj_build(B, SJ_OP_STORE, 2 + (unsigned)rank, ops, 0, NULL);
}

/* ---- func side: dims, alloc, launch ---- */

typedef struct dimsrc {
  sj_value *v;
  int axis;
} dimsrc;

/* alloc for a result of type t; dynamic dim k comes from src[k]. */
static sj_value *alloc_out(lower *L, sj_builder *B, const sj_op *op, const sj_type *t, const dimsrc *src) {
  sj_value *sizes[SJ_MAX_RANK];
  unsigned n = 0;
  for (int k = 0; k < t->rank; k++) {
    if (t->dims[k] != SJ_DYN) continue;
    if (!src[k].v) {
      L->st = sj_emit_error(L->m->ctx, op->loc, "'%s' op: lower-to-loops cannot tell the size of dynamic dim %d of its result",
                            sj_op_name(op), k);
      return NULL;
    }
    sizes[n++] = sj_build_dim(B, src[k].v, src[k].axis);
  }
  return sj_build1(B, SJ_OP_ALLOC, n, sizes, *t);
}

/* Sources of the dynamic dims of an elementwise result: an input whose
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

static void launch(lower *L, sj_builder *B, sj_op *k, sj_value **args, unsigned n) {
  sj_op *l = sj_build(B, SJ_OP_LAUNCH, n, args, 0, NULL);
  sj_op_set_sym(L->m->ctx, l, "kernel", sj_func_name(k));
}

static void kernel_return(lower *L, sj_op *k) {
  sj_block_append(k->regions[0], sj_op_new(L->m->ctx, SJ_OP_RETURN, 0, NULL, 0, NULL, 0, k->loc));
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
      sj_op *cl = sj_op_clone(L->m->ctx, o, vm);
      if (B->before) sj_block_insert_before(B->before, cl);
      else sj_block_append(B->block, cl);
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
  if (nin + nout > MAX_IO) {
    L->st = sj_emit_error(c, op->loc, "'%s' op has more than %d inputs and outputs", sj_op_name(op), MAX_IO);
    return;
  }
  const sj_type *space = &sj_res(op, 0)->type;
  sj_op *k = new_kernel(L, op->loc);
  sj_value *in[MAX_IO], *out[MAX_IO], *args[MAX_IO];
  for (unsigned i = 0; i < nin; i++) in[i] = param(L, k, sj_opnd(op, i)->type, "in", i);
  for (unsigned j = 0; j < nout; j++) out[j] = param(L, k, sj_res(op, j)->type, "out", j);
  sj_builder KB = sj_builder_at_end(c, k->regions[0], op->loc);
  sj_value *c0 = sj_build_i64(&KB, 0), *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *loaded[MAX_IO], *res[MAX_IO];
  bounds(&KB, out[0], space, hi);
  sj_builder in_b = nest(&KB, space->rank, c0, hi, true, iv);
  for (unsigned i = 0; i < nin; i++) loaded[i] = bcast_load(&in_b, in[i], space, iv, c0);
  scalar_body(L, &in_b, op, loaded, res);
  for (unsigned j = 0; j < nout; j++) store(&in_b, res[j], out[j], iv, space->rank);
  close_nest(&in_b);
  kernel_return(L, k);
  /* func side */
  sj_builder FB = sj_builder_before(c, op);
  dimsrc src[SJ_MAX_RANK];
  elementwise_dimsrc(op, space, src);
  for (unsigned i = 0; i < nin; i++) args[i] = sj_opnd(op, i);
  for (unsigned j = 0; j < nout && !L->st; j++) args[nin + j] = alloc_out(L, &FB, op, &sj_res(op, j)->type, src);
  if (L->st) return;
  launch(L, &FB, k, args, nin + nout);
  for (unsigned j = 0; j < nout; j++) sj_value_replace_all_uses(sj_res(op, j), args[nin + j]);
  sj_op_erase(op);
}

/* ---- transpose ---- */

static void lower_transpose(lower *L, sj_op *op) {
  sj_ctx *c = L->m->ctx;
  const sj_type *t = &sj_res(op, 0)->type;
  const sj_attr *perm = sj_op_attr(op, "perm");
  sj_op *k = new_kernel(L, op->loc);
  sj_value *in = param(L, k, sj_opnd(op, 0)->type, "in", 0), *out = param(L, k, *t, "out", 0);
  sj_builder KB = sj_builder_at_end(c, k->regions[0], op->loc);
  sj_value *c0 = sj_build_i64(&KB, 0), *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *ops[1 + SJ_MAX_RANK];
  bounds(&KB, out, t, hi);
  sj_builder B = nest(&KB, t->rank, c0, hi, true, iv);
  ops[0] = in;
  for (int kk = 0; kk < t->rank; kk++) ops[1 + perm->u.ints.v[kk]] = iv[kk];
  sj_value *v = sj_build1(&B, SJ_OP_LOAD, 1 + (unsigned)t->rank, ops, sj_scalar_type(t->dt));
  store(&B, v, out, iv, t->rank);
  close_nest(&B);
  kernel_return(L, k);
  sj_builder FB = sj_builder_before(c, op);
  dimsrc src[SJ_MAX_RANK];
  for (int kk = 0; kk < t->rank; kk++) src[kk] = (dimsrc){sj_opnd(op, 0), (int)perm->u.ints.v[kk]};
  sj_value *o = alloc_out(L, &FB, op, t, src);
  if (!o) return;
  sj_value *args[2] = {sj_opnd(op, 0), o};
  launch(L, &FB, k, args, 2);
  sj_value_replace_all_uses(sj_res(op, 0), o);
  sj_op_erase(op);
}

/* ---- reductions ---- */

static unsigned reduce_mask(const sj_op *op, int rank) {
  const sj_attr *a = sj_op_attr(op, "axes");
  unsigned mask = 0;
  if (!a || !a->u.ints.n) return (1u << rank) - 1;
  for (int i = 0; i < a->u.ints.n; i++) mask |= 1u << (a->u.ints.v[i] < 0 ? a->u.ints.v[i] + rank : a->u.ints.v[i]);
  return mask;
}

static double identity(sj_opcode code, sj_dtype dt) {
  bool f = sj_dtype_is_float(dt);
  double big = f ? INFINITY : dt == SJ_I8 ? 127 : dt == SJ_I32 ? 2147483647.0 : 9.2233720368547748e18;
  double small = f ? -INFINITY : dt == SJ_I8 ? -128 : dt == SJ_I32 ? -2147483648.0 : -9.2233720368547758e18;
  switch (code) {
  case SJ_OP_PROD: return 1;
  case SJ_OP_MAX: return small;
  case SJ_OP_MIN: return big;
  default: return 0;
  }
}

static sj_opcode combiner(sj_opcode code) {
  return code == SJ_OP_PROD ? SJ_OP_MUL : code == SJ_OP_MAX ? SJ_OP_MAXIMUM : code == SJ_OP_MIN ? SJ_OP_MINIMUM : SJ_OP_ADD;
}

/* Number of reduced elements as a scalar of dtype dt (for mean). */
static sj_value *count_of(sj_builder *B, sj_value **hi, unsigned mask, int rank, sj_dtype dt) {
  sj_value *n = NULL;
  for (int k = 0; k < rank; k++) {
    if (!(mask & (1u << k))) continue;
    sj_value *ops[2] = {n, hi[k]};
    n = n ? sj_build1(B, SJ_OP_MUL, 2, ops, sj_scalar_type(SJ_I64)) : hi[k];
  }
  if (!n) n = sj_build_i64(B, 1);
  return sj_build1(B, SJ_OP_CAST, 1, &n, sj_scalar_type(dt));
}

/* Output indices of input position iv (kept dims, 0 for keepdims). */
static int out_index(const sj_op *op, unsigned mask, int rank, sj_value **iv, sj_value *c0, sj_value **oidx) {
  bool keep = sj_op_bool(op, "keepdims", false);
  int n = 0;
  for (int k = 0; k < rank; k++) {
    if (!(mask & (1u << k))) oidx[n++] = iv[k];
    else if (keep) oidx[n++] = c0;
  }
  return n;
}

/* Reduced axes form a suffix: kept loops outside, the reduction carried in
 * registers by nested `for`s (vectorizable with reassoc). */
static void row_reduce_body(sj_builder *KB, const sj_op *op, sj_value *in, sj_value *out, sj_value **hi, sj_value *c0,
                            unsigned mask) {
  const sj_type *t = &in->type;
  sj_dtype dt = t->dt;
  int nkept = 0;
  while (nkept < t->rank && !(mask & (1u << nkept))) nkept++;
  sj_value *iv[SJ_MAX_RANK], *oidx[SJ_MAX_RANK];
  sj_builder B = nest(KB, nkept, c0, hi, true, iv);
  sj_value *acc = sj_build_scalar(&B, dt, identity(op->code, dt));
  sj_op *loops[SJ_MAX_RANK];
  sj_builder in_b = B;
  for (int k = nkept; k < t->rank; k++) {
    loops[k] = sj_build_loop(&in_b, false, c0, hi[k], 1, &acc);
    in_b = sj_builder_in(&in_b, loops[k]);
    iv[k] = loops[k]->regions[0]->args[0];
    acc = loops[k]->regions[0]->args[1];
  }
  sj_value *lops[1 + SJ_MAX_RANK];
  lops[0] = in;
  for (int k = 0; k < t->rank; k++) lops[1 + k] = iv[k];
  sj_value *x = sj_build1(&in_b, SJ_OP_LOAD, 1 + (unsigned)t->rank, lops, sj_scalar_type(dt));
  sj_value *cops[2] = {acc, x};
  sj_value *y = sj_build1(&in_b, combiner(op->code), 2, cops, sj_scalar_type(dt));
  for (int k = t->rank - 1; k >= nkept; k--) {
    sj_builder lb = sj_builder_at_end(KB->c, loops[k]->regions[0], KB->loc);
    sj_build(&lb, SJ_OP_YIELD, 1, &y, 0, NULL);
    y = sj_res(loops[k], 0);
  }
  if (op->code == SJ_OP_MEAN) {
    sj_value *dops[2] = {y, count_of(&B, hi, mask, t->rank, dt)};
    y = sj_build1(&B, SJ_OP_DIV, 2, dops, sj_scalar_type(dt));
  }
  int n = out_index(op, mask, t->rank, iv, c0, oidx);
  store(&B, y, out, oidx, n);
  close_nest(&B);
}

/* General case: out = identity; then for every input element (input order,
 * contiguous inner loop) out[o] = out[o] (+) x; mean scales afterwards. */
static void general_reduce_body(sj_builder *KB, const sj_op *op, sj_value *in, sj_value *out, sj_value **hi,
                                sj_value *c0, unsigned mask) {
  const sj_type *t = &in->type, *ot = &out->type;
  sj_dtype dt = t->dt;
  sj_value *ohi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *oidx[SJ_MAX_RANK];
  bounds(KB, out, ot, ohi);
  sj_builder B = nest(KB, ot->rank, c0, ohi, true, iv);
  store(&B, sj_build_scalar(&B, dt, identity(op->code, dt)), out, iv, ot->rank);
  close_nest(&B);
  B = nest(KB, t->rank, c0, hi, !(mask & 1u), iv);
  sj_value *lops[1 + SJ_MAX_RANK];
  lops[0] = in;
  for (int k = 0; k < t->rank; k++) lops[1 + k] = iv[k];
  sj_value *x = sj_build1(&B, SJ_OP_LOAD, 1 + (unsigned)t->rank, lops, sj_scalar_type(dt));
  int n = out_index(op, mask, t->rank, iv, c0, oidx);
  lops[0] = out;
  for (int k = 0; k < n; k++) lops[1 + k] = oidx[k];
  sj_value *a = sj_build1(&B, SJ_OP_LOAD, 1 + (unsigned)n, lops, sj_scalar_type(dt));
  sj_value *cops[2] = {a, x};
  store(&B, sj_build1(&B, combiner(op->code), 2, cops, sj_scalar_type(dt)), out, oidx, n);
  close_nest(&B);
  if (op->code != SJ_OP_MEAN) return;
  sj_value *cnt = count_of(KB, hi, mask, t->rank, dt);
  B = nest(KB, ot->rank, c0, ohi, true, iv);
  lops[0] = out;
  for (int k = 0; k < ot->rank; k++) lops[1 + k] = iv[k];
  sj_value *dops[2] = {sj_build1(&B, SJ_OP_LOAD, 1 + (unsigned)ot->rank, lops, sj_scalar_type(dt)), cnt};
  store(&B, sj_build1(&B, SJ_OP_DIV, 2, dops, sj_scalar_type(dt)), out, iv, ot->rank);
  close_nest(&B);
}

static void lower_reduce(lower *L, sj_op *op) {
  sj_ctx *c = L->m->ctx;
  sj_value *x = sj_opnd(op, 0);
  const sj_type *t = &x->type, *rt = &sj_res(op, 0)->type;
  unsigned mask = reduce_mask(op, t->rank);
  sj_op *k = new_kernel(L, op->loc);
  sj_value *in = param(L, k, *t, "in", 0), *out = param(L, k, *rt, "out", 0);
  sj_builder KB = sj_builder_at_end(c, k->regions[0], op->loc);
  sj_value *c0 = sj_build_i64(&KB, 0), *hi[SJ_MAX_RANK];
  bounds(&KB, in, t, hi);
  bool is_suffix = true;
  for (int kk = 0, seen = 0; kk < t->rank; kk++) {
    if (mask & (1u << kk)) seen = 1;
    else if (seen) is_suffix = false;
  }
  if (is_suffix) row_reduce_body(&KB, op, in, out, hi, c0, mask);
  else general_reduce_body(&KB, op, in, out, hi, c0, mask);
  kernel_return(L, k);
  /* func side: result dim k comes from the input's kept dim */
  sj_builder FB = sj_builder_before(c, op);
  dimsrc src[SJ_MAX_RANK];
  bool keep = sj_op_bool(op, "keepdims", false);
  for (int kk = 0, o = 0; kk < t->rank; kk++) {
    if (!(mask & (1u << kk))) src[o++] = (dimsrc){x, kk};
    else if (keep) src[o++] = (dimsrc){0};
  }
  sj_value *o = alloc_out(L, &FB, op, rt, src);
  if (!o) return;
  sj_value *args[2] = {x, o};
  launch(L, &FB, k, args, 2);
  sj_value_replace_all_uses(sj_res(op, 0), o);
  sj_op_erase(op);
}

/* ---- matmul ---- */

static void lower_matmul(lower *L, sj_op *op) {
  sj_ctx *c = L->m->ctx;
  sj_value *a = sj_opnd(op, 0), *b = sj_opnd(op, 1);
  const sj_type *t = &sj_res(op, 0)->type;
  dimsrc src[SJ_MAX_RANK];
  int nb = t->rank - 2;
  for (int k = 0; k < nb; k++) {
    int ja = a->type.rank - 2 - nb + k, jb = b->type.rank - 2 - nb + k;
    src[k] = (dimsrc){0};
    if (ja >= 0 && a->type.dims[ja] == SJ_DYN) src[k] = (dimsrc){a, ja};
    else if (jb >= 0 && b->type.dims[jb] == SJ_DYN) src[k] = (dimsrc){b, jb};
  }
  src[nb] = (dimsrc){a, a->type.rank - 2};
  src[nb + 1] = (dimsrc){b, b->type.rank - 1};
  sj_builder FB = sj_builder_before(c, op);
  sj_value *o = alloc_out(L, &FB, op, t, src);
  if (!o) return;
  sj_value *args[3] = {a, b, o};
  sj_build(&FB, SJ_OP_GEMM, 3, args, 0, NULL);
  sj_value_replace_all_uses(sj_res(op, 0), o);
  sj_op_erase(op);
}

/* ---- driver ---- */

static bool is_tensor_elementwise(const sj_op *op) {
  return sj_op_has(op, SJ_F_ELEMWISE) && op->nresults == 1 && sj_res(op, 0)->type.is_tensor;
}

static void lower_op(lower *L, sj_op *op) {
  if (op->code == SJ_OP_FUSED || op->code == SJ_OP_BROADCAST_TO || is_tensor_elementwise(op)) lower_elementwise(L, op);
  else if (sj_op_has(op, SJ_F_REDUCE)) lower_reduce(L, op);
  else if (op->code == SJ_OP_TRANSPOSE) lower_transpose(L, op);
  else if (op->code == SJ_OP_MATMUL) lower_matmul(L, op);
}

sj_status sj_pass_lower_to_loops(sj_module *m) {
  lower L = {.m = m};
  sj_op *last = m->body->last; /* kernels we append are not revisited */
  for (sj_op *f = m->body->first; f && !L.st; f = f == last ? NULL : f->next) {
    if (f->code != SJ_OP_FUNC) continue;
    L.func = f;
    L.next_kernel = 0;
    for (sj_op *op = sj_func_body(f)->first, *nx; op && !L.st; op = nx) {
      nx = op->next;
      lower_op(&L, op);
    }
  }
  return L.st;
}
