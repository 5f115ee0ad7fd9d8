/* lower-to-loops for the pooling ops (docs/decisions/0021-conv-pool.md,
 * 0023-pool-kernels.md, docs/lowering.md "Pooling"): each becomes one
 * kernel with one loop nest over its planes, parallel over N (the form
 * loop-fusion merges with the elementwise kernels around it):
 *   max_pool2d, avg_pool2d      n, c, oh, ow { window loops carrying the
 *                               max / sum; divide; store }
 *   max_pool2d_grad             n, c { zero the plane; oh, ow { argmax of
 *                               the window (recomputed); dx[argmax] += g } }
 *                               (tiling windows: oh, ow { each window element
 *                               = g if it is the first maximum, else 0 },
 *                               the ow loop marked {loop.vectorize = 0})
 *   avg_pool2d_grad             n, c { zero the plane; oh, ow { g / divisor
 *                               added over the window } }
 * Windows are clipped to the input with loop bounds (no per-element test);
 * a window that cannot leave the input (no padding, floor mode) runs from
 * constant 0 to the window size, so LLVM unrolls it and vectorizes over OW.
 * f16/bf16 are computed in f32. */
#include <math.h>

#include "lower_internal.h"
#include "opinfo.h"
#include "pool.h"

bool sj_lw_is_pool2d(const sj_op *op) {
  return op->code == SJ_OP_MAX_POOL2D || op->code == SJ_OP_AVG_POOL2D || op->code == SJ_OP_MAX_POOL2D_GRAD ||
         op->code == SJ_OP_AVG_POOL2D_GRAD;
}

/* A kernel being built for one pooling op. */
typedef struct pk {
  kbuild K;
  sj_pool2d p;
  sj_dtype dt, cdt;  /* storage dtype, compute dtype (f32 for halves) */
  bool clip[2];      /* the windows along H / W may leave the input */
  /* i64 constants at the kernel top: zero, input extent H, W, window,
   * stride, pad before, extent + pad after; the bounds of the loops over
   * (N, C, OH, OW) (NULL: a static 1, no loop) */
  sj_value *z, *n[2], *k[2], *s[2], *lo[2], *phi[2], *ob[4];
} pk;

static sj_value *load_c(pk *P, sj_builder *B, sj_value *buf, sj_value **idx) {
  sj_value *v = sj_lw_load(B, buf, idx, 4);
  return P->cdt == P->dt ? v : sj_build1(B, SJ_OP_CAST, 1, &v, sj_scalar_type(P->cdt));
}

static void store_c(pk *P, sj_builder *B, sj_value *v, sj_value *buf, sj_value **idx) {
  if (P->cdt != P->dt) v = sj_build1(B, SJ_OP_CAST, 1, &v, sj_scalar_type(P->dt));
  sj_lw_store(B, v, buf, idx, 4);
}

/* The constants of the window arithmetic and the loop bounds, at the
 * kernel top: `in` has the input's spatial dims (x, or a grad's result),
 * `ob` the dims the loops run over (the forward's result, a grad's g). */
static void pool_top(pk *P, sj_value *in, sj_value *ob) {
  P->z = P->K.c0;
  sj_lw_bounds(&P->K, ob, &ob->type, P->ob);
  for (int a = 0; a < 2; a++) {
    int64_t n = in->type.dims[2 + a];
    P->clip[a] = P->p.lo[a] > 0 || P->p.hi[a] > 0 || P->p.ceil_mode;
    P->n[a] = sj_lw_kconst(&P->K, n);
    P->k[a] = sj_lw_kconst(&P->K, P->p.k[a]);
    P->s[a] = sj_lw_kconst(&P->K, P->p.s[a]);
    P->lo[a] = sj_lw_kconst(&P->K, P->p.lo[a]);
    P->phi[a] = sj_lw_kconst(&P->K, n + P->p.hi[a]);
  }
}

/* The plane loops over (N, C), the first a parallel_for (sj_lw_nest):
 * each plane is written by one iteration. iv gets (n, c). */
static sj_builder planes(pk *P, sj_value **iv) { return sj_lw_nest(&P->K, &P->K.top, 2, P->ob, ALL_DIMS, iv); }

/* One window axis at output index o: the input index of window position
 * 0 (start, possibly in the padding) and the in-bounds loop [b, e). */
typedef struct wax {
  sj_value *start, *b, *e;
  bool fixed; /* no clipping: the loop is 0..k and the index start + i */
} wax;

static wax window_axis(pk *P, sj_builder *B, int a, sj_value *o) {
  wax w = {.fixed = !P->clip[a]};
  sj_value *st = o == P->z ? P->z : P->p.s[a] == 1 ? o : sj_lw_binop(B, SJ_OP_MUL, o, P->s[a]);
  if (P->p.lo[a]) st = sj_lw_binop(B, SJ_OP_SUB, st, P->lo[a]);
  w.start = st;
  if (w.fixed) {
    w.b = P->z, w.e = P->k[a];
    return w;
  }
  w.b = sj_lw_binop(B, SJ_OP_MAXIMUM, st, P->z);
  w.e = sj_lw_binop(B, SJ_OP_MINIMUM, sj_lw_binop(B, SJ_OP_ADD, st, P->k[a]), P->n[a]);
  return w;
}

/* The input index of window loop variable i. */
static sj_value *window_index(sj_builder *B, const wax *w, sj_value *i) {
  return w->fixed ? sj_lw_binop(B, SJ_OP_ADD, w->start, i) : i;
}

/* A computed spatial index i along axis a, as `clamp i, n`: it never
 * changes i (windows are clipped to the input); it states the bound the
 * executor checks before the launch (docs/lowering.md, take). */
static sj_value *sp_index(pk *P, sj_builder *B, int a, sj_value *i) {
  sj_value *cl[2] = {i, P->n[a]};
  return sj_build1(B, SJ_OP_CLAMP, 2, cl, sj_scalar_type(SJ_I64));
}

/* The divisor of an average at this window, in the compute dtype: the
 * in-bounds count, or with count_pad the window clipped to the padded
 * input; a constant when nothing clips. */
static sj_value *divisor(pk *P, sj_builder *B, const wax *w) {
  if (w[0].fixed && w[1].fixed) return sj_build_scalar(B, P->cdt, (double)(P->p.k[0] * P->p.k[1]));
  sj_value *f[2];
  for (int a = 0; a < 2; a++) {
    if (w[a].fixed) f[a] = P->k[a];
    else if (!P->p.count_pad) f[a] = sj_lw_binop(B, SJ_OP_SUB, w[a].e, w[a].b);
    else if (!P->p.ceil_mode) f[a] = P->k[a]; /* floor mode: a window never overhangs the padding */
    else {
      sj_value *end = sj_lw_binop(B, SJ_OP_MINIMUM, sj_lw_binop(B, SJ_OP_ADD, w[a].start, P->k[a]), P->phi[a]);
      f[a] = sj_lw_binop(B, SJ_OP_SUB, end, w[a].start);
    }
  }
  sj_value *d = sj_lw_binop(B, SJ_OP_MUL, f[0], f[1]);
  return sj_build1(B, SJ_OP_CAST, 1, &d, sj_scalar_type(P->cdt));
}

/* `for` over window axis a carrying n values (marked as a reduction with
 * `combine` when given); returns the loop and sets *iv and the carried args. */
static sj_op *window_loop(pk *P, sj_builder *B, const wax *w, unsigned n, sj_value **carry, sj_opcode combine) {
  sj_op *l = sj_build_loop(B, false, w->b, w->e, n, carry);
  if (combine != SJ_OP_COUNT) {
    sj_attr a = {.name = "combine", .kind = SJ_ATTR_STR, .u.s = sj_intern(B->c, sj_opinfo_get(combine)->name)};
    sj_op_set_attr(B->c, l, a);
  }
  (void)P;
  return l;
}

static void yield(sj_builder *B, unsigned n, sj_value **v) { sj_build(B, SJ_OP_YIELD, n, v, 0, NULL); }

/* Ends the loops opened from block `outer` down to inner's block with a
 * bare yield each (sj_lw_close_nest closes every enclosing loop; a plane's
 * body goes on after its inner nests). */
static void close_to(sj_builder *inner, const sj_builder *outer) {
  for (sj_block *b = inner->block; b && b != outer->block; b = b->parent->block)
    if (!b->last || b->last->code != SJ_OP_YIELD) sj_block_append(b, sj_op_new(inner->c, SJ_OP_YIELD, 0, NULL, 0, NULL, 0, inner->loc));
}

/* max or sum over the window of `in` at plane (iv[0], iv[1]): two nested
 * reduction loops, as a row reduction (docs/lowering.md). */
static sj_value *window_reduce(pk *P, sj_builder *B, sj_value *in, sj_value **iv, const wax *w, sj_opcode combine) {
  sj_value *acc = sj_build_scalar(B, P->cdt, combine == SJ_OP_MAXIMUM ? -INFINITY : 0.0);
  sj_op *ly = window_loop(P, B, &w[0], 1, &acc, combine);
  sj_builder by = sj_builder_in(B, ly);
  sj_value *y = window_index(&by, &w[0], ly->regions[0]->args[0]);
  sj_op *lx = window_loop(P, &by, &w[1], 1, &ly->regions[0]->args[1], combine);
  sj_builder bx = sj_builder_in(&by, lx);
  sj_value *xx = window_index(&bx, &w[1], lx->regions[0]->args[0]);
  sj_value *idx[4] = {iv[0], iv[1], sp_index(P, &bx, 0, y), sp_index(P, &bx, 1, xx)};
  sj_value *r = sj_lw_binop(&bx, combine, lx->regions[0]->args[1], load_c(P, &bx, in, idx));
  yield(&bx, 1, &r);
  yield(&by, 1, (sj_value *[]){sj_res(lx, 0)});
  return sj_res(ly, 0);
}

/* Loops over the output positions (oh, ow) inside the plane loops; a
 * static 1 has no loop (index %c0). */
static sj_builder out_loops(pk *P, sj_builder *B, sj_value **ohi, sj_value **iv) {
  sj_builder in = *B;
  for (int a = 0; a < 2; a++) {
    if (!ohi[a]) {
      iv[a] = P->z;
      continue;
    }
    sj_op *l = sj_build_loop(&in, false, P->z, ohi[a], 0, NULL);
    in = sj_builder_in(&in, l);
    iv[a] = l->regions[0]->args[0];
  }
  return in;
}

static void pool_forward(pk *P, sj_value *in, sj_value *out, bool is_max) {
  sj_value *iv[4];
  pool_top(P, in, out);
  sj_builder PB = planes(P, iv);
  sj_builder B = out_loops(P, &PB, P->ob + 2, iv + 2);
  wax w[2] = {window_axis(P, &B, 0, iv[2]), window_axis(P, &B, 1, iv[3])};
  sj_opcode combine = is_max ? SJ_OP_MAXIMUM : SJ_OP_ADD;
  sj_value *r = in->type.dims[2] && in->type.dims[3] ? window_reduce(P, &B, in, iv, w, combine)
                                                     : sj_build_scalar(&B, P->cdt, is_max ? -INFINITY : 0.0); /* empty windows */
  if (!is_max) r = sj_lw_binop(&B, SJ_OP_DIV, r, divisor(P, &B, w));
  store_c(P, &B, r, out, iv);
  sj_lw_close_nest(&B);
}

/* {loop.vectorize = w} on the `for` whose variable is iv (none for a
 * static 1, which has no loop): the hint that LLVM should vectorize it
 * even with a trip count too short for its cost model to try run-time
 * checks (docs/decisions/0042-pool-vectorize-hint.md). */
static void vectorize_hint(sj_builder *B, sj_value *iv, int64_t w) {
  sj_op *l = iv->def || !iv->owner ? NULL : iv->owner->parent;
  if (!l || l->code != SJ_OP_FOR) return;
  sj_attr a = {.name = "loop.vectorize", .kind = SJ_ATTR_INT, .u.i = w};
  sj_op_set_attr(B->c, l, a);
}

/* Zeroes plane (iv[0], iv[1]) of out: a nest over H, W in B. */
static void zero_plane(pk *P, sj_builder *B, sj_value *out, sj_value **iv) {
  sj_value *hi[2], *jv[2];
  for (int a = 0; a < 2; a++) hi[a] = out->type.dims[2 + a] == 1 ? NULL : P->n[a];
  sj_builder in = out_loops(P, B, hi, jv);
  sj_value *idx[4] = {iv[0], iv[1], jv[0], jv[1]};
  sj_lw_store(&in, sj_build_scalar(&in, P->dt, 0), out, idx, 4);
  close_to(&in, B);
}

/* The first maximum of the window (row-major; a NaN beats any number and
 * the first NaN wins): two loops carrying (best, row, col), started from
 * -inf at the first in-bounds position. Sets at[0], at[1]. */
static void window_argmax(pk *P, sj_builder *B, sj_value *x, sj_value **iv, const wax *w, sj_value **at) {
  sj_value *init[3] = {sj_build_scalar(B, P->cdt, -INFINITY), w[0].fixed ? w[0].start : w[0].b,
                       w[1].fixed ? w[1].start : w[1].b};
  sj_op *ly = window_loop(P, B, &w[0], 3, init, SJ_OP_COUNT);
  sj_builder by = sj_builder_in(B, ly);
  sj_value **ya = ly->regions[0]->args;
  sj_value *y = window_index(&by, &w[0], ya[0]);
  sj_op *lx = window_loop(P, &by, &w[1], 3, ya + 1, SJ_OP_COUNT);
  sj_builder bx = sj_builder_in(&by, lx);
  sj_value **xa = lx->regions[0]->args;
  sj_value *xx = window_index(&bx, &w[1], xa[0]);
  sj_value *v = load_c(P, &bx, x, (sj_value *[]){iv[0], iv[1], sp_index(P, &bx, 0, y), sp_index(P, &bx, 1, xx)});
  sj_type bt = sj_scalar_type(SJ_BOOL);
  sj_value *isnan = sj_build1(&bx, SJ_OP_NE, 2, (sj_value *[]){v, v}, bt);
  sj_value *best_ok = sj_build1(&bx, SJ_OP_EQ, 2, (sj_value *[]){xa[1], xa[1]}, bt);
  sj_value *gt = sj_build1(&bx, SJ_OP_GT, 2, (sj_value *[]){v, xa[1]}, bt);
  sj_value *take = sj_build1(&bx, SJ_OP_SELECT, 3, (sj_value *[]){isnan, best_ok, gt}, bt);
  sj_value *nv[3];
  sj_value *cand[3] = {v, y, xx};
  for (int i = 0; i < 3; i++) nv[i] = sj_build1(&bx, SJ_OP_SELECT, 3, (sj_value *[]){take, cand[i], xa[1 + i]}, xa[1 + i]->type);
  yield(&bx, 3, nv);
  yield(&by, 3, (sj_value *[]){sj_res(lx, 0), sj_res(lx, 1), sj_res(lx, 2)});
  at[0] = sj_res(ly, 1), at[1] = sj_res(ly, 2);
}

/* out[n, c, y, x] += v */
static void accumulate(pk *P, sj_builder *B, sj_value *out, sj_value **idx, sj_value *v) {
  sj_value *s = sj_lw_binop(B, SJ_OP_ADD, load_c(P, B, out, idx), v);
  store_c(P, B, s, out, idx);
}

/* Whether the windows tile the plane: stride = window, no padding, floor
 * mode; each input element is in at most one window. *covered: in exactly
 * one (no rows or columns left over at the border). */
static bool tiled(const pk *P, const sj_value *out, bool *covered) {
  bool t = !P->clip[0] && !P->clip[1] && P->p.s[0] == P->p.k[0] && P->p.s[1] == P->p.k[1];
  *covered = t && out->type.dims[2] % P->p.k[0] == 0 && out->type.dims[3] % P->p.k[1] == 0;
  return t;
}

/* The largest window (KH*KW positions) the max gradient's direct form
 * unrolls; a larger one keeps the accumulating loops (bounded code). */
#define MAX_DIRECT_WINDOW 16

/* The max gradient of one window of a tiling pool (no clipping: the window
 * is the k[0] x k[1] block at w[a].start), stored directly: the window's
 * values are loaded in row-major order, take_p says position p replaces
 * the best so far (window_argmax's rule: greater, or the first NaN), and
 * p is the argmax when it takes and no later position does (position 0
 * when none after it takes). Each element gets g or 0 by a select: no
 * zeroing, no read-modify-write, no data-dependent address, so the loop
 * over the windows of a row vectorizes (interleaved loads and stores). */
static void window_direct(pk *P, sj_builder *B, sj_value *x, sj_value *out, sj_value **iv, const wax *w, sj_value *gv) {
  int64_t kh = P->p.k[0], kw = P->p.k[1], np = kh * kw;
  sj_value *idx[MAX_DIRECT_WINDOW][4], *take[MAX_DIRECT_WINDOW];
  sj_type bt = sj_scalar_type(SJ_BOOL);
  sj_value *best = sj_build_scalar(B, P->cdt, -INFINITY), *zero = sj_build_scalar(B, P->cdt, 0.0);
  for (int64_t p = 0; p < np; p++) {
    sj_value *y = p / kw ? sj_lw_binop(B, SJ_OP_ADD, w[0].start, sj_lw_kconst(&P->K, p / kw)) : w[0].start;
    sj_value *xx = p % kw ? sj_lw_binop(B, SJ_OP_ADD, w[1].start, sj_lw_kconst(&P->K, p % kw)) : w[1].start;
    sj_value **at = idx[p];
    at[0] = iv[0], at[1] = iv[1], at[2] = sp_index(P, B, 0, y), at[3] = sp_index(P, B, 1, xx);
    sj_value *v = load_c(P, B, x, at);
    sj_value *isnan = sj_build1(B, SJ_OP_NE, 2, (sj_value *[]){v, v}, bt);
    sj_value *best_ok = sj_build1(B, SJ_OP_EQ, 2, (sj_value *[]){best, best}, bt);
    sj_value *gt = sj_build1(B, SJ_OP_GT, 2, (sj_value *[]){v, best}, bt);
    take[p] = sj_build1(B, SJ_OP_SELECT, 3, (sj_value *[]){isnan, best_ok, gt}, bt);
    best = sj_build1(B, SJ_OP_SELECT, 3, (sj_value *[]){take[p], v, best}, v->type);
  }
  sj_value *later = NULL, *val[MAX_DIRECT_WINDOW]; /* later: a position after p takes (select(c, c, l) is c || l) */
  for (int64_t p = np - 1; p >= 0; p--) {
    sj_value *mine = p ? sj_build1(B, SJ_OP_SELECT, 3, (sj_value *[]){take[p], gv, zero}, gv->type) : gv;
    val[p] = later ? sj_build1(B, SJ_OP_SELECT, 3, (sj_value *[]){later, zero, mine}, gv->type) : mine;
    if (p) later = later ? sj_build1(B, SJ_OP_SELECT, 3, (sj_value *[]){take[p], take[p], later}, bt) : take[p];
  }
  for (int64_t p = 0; p < np; p++) store_c(P, B, val[p], out, idx[p]); /* in address order */
}

/* Both grads: per plane, zero it, then over the windows (g at (oh, ow))
 * add g to the argmax, or g / divisor to every in-bounds element. The
 * windows of one plane are visited in order on one thread, so
 * overlapping windows add without races. When the windows tile the plane
 * (stride = window, no padding) the average's gradient is stored once
 * per element instead, with no read-modify-write, and the plane is zeroed
 * only when some rows or columns are in no window. So is the max's
 * (window_direct, windows of up to MAX_DIRECT_WINDOW positions): g or 0
 * chosen per element by selects on the take flags (decision 0040; a
 * compare of each position with the argmax's coordinates made LLVM
 * branch, 3x slower: decision 0023); overlapping or clipped windows keep
 * the accumulating form. An input with H or W of 0 has nothing to write
 * (its windows are empty). */
static void pool_backward(pk *P, sj_value *x, sj_value *g, sj_value *out, bool is_max) {
  sj_value *iv[2], *ov[2];
  pool_top(P, out, g); /* loops: N, C, OH, OW of g */
  bool covered, direct = tiled(P, out, &covered) && (!is_max || P->p.k[0] * P->p.k[1] <= MAX_DIRECT_WINDOW);
  for (int a = 0; a < 2 && is_max && direct; a++) /* window_direct's offsets, at the kernel top */
    for (int64_t i = 1; i < P->p.k[a]; i++) sj_lw_kconst(&P->K, i);
  sj_builder B = planes(P, iv);
  if (!direct || !covered) zero_plane(P, &B, out, iv);
  if (out->type.dims[2] != 0 && out->type.dims[3] != 0) {
    sj_builder in = out_loops(P, &B, P->ob + 2, ov);
    wax w[2] = {window_axis(P, &in, 0, ov[0]), window_axis(P, &in, 1, ov[1])};
    sj_value *gv = load_c(P, &in, g, (sj_value *[]){iv[0], iv[1], ov[0], ov[1]}), *at[2] = {0};
    if (is_max && direct) {
      window_direct(P, &in, x, out, iv, w, gv);
      vectorize_hint(&in, ov[1], 0);
    } else if (is_max) {
      window_argmax(P, &in, x, iv, w, at);
      accumulate(P, &in, out, (sj_value *[]){iv[0], iv[1], sp_index(P, &in, 0, at[0]), sp_index(P, &in, 1, at[1])}, gv);
    } else {
      sj_value *d = sj_lw_binop(&in, SJ_OP_DIV, gv, divisor(P, &in, w));
      sj_op *ly = window_loop(P, &in, &w[0], 0, NULL, SJ_OP_COUNT);
      sj_builder by = sj_builder_in(&in, ly);
      sj_value *y = window_index(&by, &w[0], ly->regions[0]->args[0]);
      sj_op *lx = window_loop(P, &by, &w[1], 0, NULL, SJ_OP_COUNT);
      sj_builder bx = sj_builder_in(&by, lx);
      sj_value *xx = window_index(&bx, &w[1], lx->regions[0]->args[0]);
      sj_value *idx[4] = {iv[0], iv[1], sp_index(P, &bx, 0, y), sp_index(P, &bx, 1, xx)};
      if (direct) {
        store_c(P, &bx, d, out, idx);
      } else {
        accumulate(P, &bx, out, idx, d);
      }
      close_to(&bx, &in);
    }
    close_to(&in, &B);
  }
  sj_lw_close_nest(&B);
}

void sj_lw_pool2d(lower *L, sj_op *op) {
  sj_opcode code = op->code;
  bool fwd = code == SJ_OP_MAX_POOL2D || code == SJ_OP_AVG_POOL2D;
  bool is_max = code == SJ_OP_MAX_POOL2D || code == SJ_OP_MAX_POOL2D_GRAD;
  /* the operand whose spatial dims are the input's: x, or like */
  sj_value *x = sj_opnd(op, code == SJ_OP_AVG_POOL2D_GRAD ? 1 : 0), *buf;
  const sj_type *t = &sj_res(op, 0)->type;
  for (int a = 2; a < 4; a++)
    if (x->type.dims[a] == SJ_DYN) {
      L->st = sj_emit_error(L->m->ctx, op->loc,
                            "'%s' op: lower-to-loops does not support a dynamic H or W (dim %d of %s operand) yet",
                            sj_op_name(op), a, code == SJ_OP_AVG_POOL2D_GRAD ? "the second" : "the first");
      return;
    }
  pk P = {.dt = t->dt, .cdt = sj_accumulate_dtype(t->dt)};
  sj_pool2d_get(op, &P.p);
  if (!sj_lw_new_kernel(L, op->loc, &P.K)) return;
  sj_value *in[2];
  for (unsigned i = 0; i < op->nopnds; i++) in[i] = sj_lw_param(L, &P.K, sj_opnd(op, i)->type, "in", i);
  sj_value *out = sj_lw_param(L, &P.K, *t, "out", 0);
  sj_lw_kernel_begin(&P.K);
  if (fwd) pool_forward(&P, in[0], out, is_max);
  else if (is_max) pool_backward(&P, in[0], in[1], out, true);
  else pool_backward(&P, NULL, in[0], out, false);
  sj_lw_kernel_return(&P.K);
  dimsrc src[4] = {{x, 0}, {x, 1}, {x, 2}, {x, 3}};
  sj_builder FB = sj_builder_before(L->m->ctx, op);
  sj_lw_alloc_results(&FB, op, t, src, &buf);
  sj_lw_launch_and_replace(L, &FB, op, &P.K, &buf);
}
