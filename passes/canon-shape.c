/* Dimshuffle lifting (canonicalize): transposes, reshapes that only add or
 * drop unit dims, and broadcasts are reordered so that chains meet and fold
 * (transpose-chain, shape-chain in canonicalize.c) and so that a transpose
 * touches as few elements as it can. Theano's local_dimshuffle_lift does the
 * same on its one DimShuffle op; symjit spells a dimshuffle as a transpose
 * plus a unit-dim reshape, so there are four rules:
 *
 *   transpose(x, p) that keeps the order of x's non-unit dims -> reshape(x)
 *   reshape(transpose(x, p)) where the reshape only adds or drops unit dims
 *       and is the transpose's only user -> transpose(reshape(x), q): the reshape moves next to x (where it
 *       meets other reshapes), the transpose next to its users (where it
 *       meets other transposes)
 *   transpose(broadcast_to(x, S), p) -> broadcast_to(transpose(x'), S')
 *       with x' = x with S's leading unit dims: the transpose moves to the
 *       smaller tensor
 *   ew(transpose(a, p), transpose(b, p), ...) -> transpose(ew(a, b, ...), p)
 *       for an elementwise op whose operands are all transposed by the same
 *       p (splat constants of one element may stand anywhere), at least one
 *       of those transposes used only here: one transpose instead of one
 *       per operand. Theano lifts the other way (a dimshuffle
 *       of an elementwise op onto its inputs); symjit sinks, which never adds
 *       transposes.
 * All are index maps only: exact for every value, independent of the NaN
 * policy. Reshapes are built only for static shapes (a reshape to `?` dims
 * needs the element count at run time). */
#include <string.h>

#include "canon.h"

/* Most operands of an elementwise op rewritten here (select has three). */
#define MAX_EW_OPNDS 4

static bool is_identity(const int64_t *p, int n) {
  for (int i = 0; i < n; i++)
    if (p[i] != i) return false;
  return true;
}

/* The permutation of op (a transpose) in p; its rank. */
static int perm_of(const sj_op *t, int64_t *p) {
  const sj_attr *a = sj_op_attr(t, "perm");
  memcpy(p, a->u.ints.v, (size_t)a->u.ints.n * sizeof *p);
  return a->u.ints.n;
}

/* The non-unit dims of x, in order, appear in the result of transposing x
 * by p in the same order: the transpose moves only unit dims. */
static bool moves_unit_dims_only(const sj_type *x, const int64_t *p, int n) {
  int64_t last = -1;
  for (int i = 0; i < n; i++) {
    if (x->dims[p[i]] == 1) continue;
    if (p[i] < last) return false;
    last = p[i];
  }
  return true;
}

bool sj_canon_transpose_unit_dims(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_TRANSPOSE) return false;
  sj_value *x = sj_opnd(op, 0);
  int64_t p[SJ_MAX_RANK];
  int n = perm_of(op, p);
  /* a transpose of a transpose folds first (transpose-chain) */
  if (sj_canon_def(x, SJ_OP_TRANSPOSE) || is_identity(p, n) || !sj_canon_static(&x->type) ||
      !moves_unit_dims_only(&x->type, p, n))
    return false;
  sj_canon_replace(rw, op, sj_res(sj_rw_create(rw, op, SJ_OP_RESHAPE, 1, &x, sj_res(op, 0)->type), 0));
  return true;
}

/* The non-unit dims of t in order; returns their count. */
static int non_unit(const sj_type *t, int64_t *d) {
  int m = 0;
  for (int i = 0; i < t->rank; i++)
    if (t->dims[i] != 1) d[m++] = t->dims[i];
  return m;
}

bool sj_canon_reshape_transpose(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_RESHAPE) return false;
  sj_op *t = sj_canon_def(sj_opnd(op, 0), SJ_OP_TRANSPOSE);
  /* a transpose with other users would stay: the rewrite would add one */
  if (!t || sj_value_num_uses(sj_res(t, 0)) != 1) return false;
  sj_value *x = sj_opnd(t, 0);
  const sj_type *y = &sj_opnd(op, 0)->type, *r = &sj_res(op, 0)->type;
  int64_t ydn[SJ_MAX_RANK], rdn[SJ_MAX_RANK], p[SJ_MAX_RANK];
  int m = non_unit(y, ydn), n = perm_of(t, p);
  if (!sj_canon_static(y) || !sj_canon_static(r) || m != non_unit(r, rdn) ||
      memcmp(ydn, rdn, (size_t)m * sizeof *ydn) || moves_unit_dims_only(&x->type, p, n))
    return false;
  /* x2 = x's non-unit dims in x's order, then r's unit dims; rank(r). */
  int xpos[SJ_MAX_RANK], k = 0; /* xpos[j]: position in x2 of x's dim j */
  sj_type x2 = *r;
  for (int j = 0; j < n; j++)
    if (x->type.dims[j] != 1) xpos[j] = k, x2.dims[k++] = x->type.dims[j];
  for (int i = k; i < r->rank; i++) x2.dims[i] = 1;
  /* q: r's k-th non-unit dim is y's k-th non-unit dim, x's dim p[i]. */
  int64_t q[SJ_MAX_RANK];
  int yi = 0, units = m;
  for (int i = 0; i < r->rank; i++) {
    if (r->dims[i] == 1) {
      q[i] = units++;
      continue;
    }
    while (y->dims[yi] == 1) yi++;
    q[i] = xpos[p[yi++]];
  }
  sj_value *xr = sj_res(sj_rw_create(rw, op, SJ_OP_RESHAPE, 1, &x, x2), 0);
  sj_op *nt = sj_rw_create(rw, op, SJ_OP_TRANSPOSE, 1, &xr, *r);
  sj_op_set_ints(sj_rw_ctx(rw), nt, "perm", r->rank, q);
  sj_canon_replace(rw, op, sj_res(nt, 0));
  return true;
}

bool sj_canon_transpose_broadcast(sj_rewriter *rw, sj_op *op) {
  if (op->code != SJ_OP_TRANSPOSE) return false;
  sj_op *b = sj_canon_def(sj_opnd(op, 0), SJ_OP_BROADCAST_TO);
  if (!b) return false;
  sj_value *x = sj_opnd(b, 0);
  const sj_type *s = &sj_opnd(op, 0)->type, *r = &sj_res(op, 0)->type;
  if (!sj_canon_static(s) || !sj_canon_static(&x->type)) return false;
  int64_t p[SJ_MAX_RANK];
  int n = perm_of(op, p), lead = n - x->type.rank;
  sj_type xr = *s; /* x with leading unit dims up to rank n */
  for (int i = 0; i < n; i++) xr.dims[i] = i < lead ? 1 : x->type.dims[i - lead];
  sj_type xt = xr;
  for (int i = 0; i < n; i++) xt.dims[i] = xr.dims[p[i]];
  sj_value *v = lead ? sj_res(sj_rw_create(rw, op, SJ_OP_RESHAPE, 1, &x, xr), 0) : x;
  sj_op *nt = sj_rw_create(rw, op, SJ_OP_TRANSPOSE, 1, &v, xt);
  sj_op_set_ints(sj_rw_ctx(rw), nt, "perm", n, p);
  sj_value *tv = sj_res(nt, 0);
  sj_canon_replace(rw, op, sj_res(sj_rw_create(rw, op, SJ_OP_BROADCAST_TO, 1, &tv, *r), 0));
  return true;
}

/* A splat constant of one element: it broadcasts the same under any perm. */
static bool one_elem_splat(const sj_value *v) {
  double c;
  return sj_canon_splat(v, &c) && sj_type_numel(&v->type) == 1;
}

bool sj_canon_sink_transpose(sj_rewriter *rw, sj_op *op) {
  if (!sj_op_has(op, SJ_F_ELEMWISE) || op->nresults != 1 || op->nopnds > MAX_EW_OPNDS || !sj_res(op, 0)->type.is_tensor) return false;
  const sj_type *r = &sj_res(op, 0)->type;
  int64_t p[SJ_MAX_RANK], q[SJ_MAX_RANK];
  int n = -1;
  bool one_dies = false; /* some operand's transpose has no other user */
  for (unsigned i = 0; i < op->nopnds; i++) {
    sj_value *v = sj_opnd(op, i);
    sj_op *t = sj_canon_def(v, SJ_OP_TRANSPOSE);
    if (!t && one_elem_splat(v)) continue;
    if (!t || v->type.rank != r->rank) return false;
    if (n < 0) n = perm_of(t, p);
    else if (perm_of(t, q) != n || memcmp(p, q, (size_t)n * sizeof *p)) return false;
    one_dies = one_dies || sj_value_num_uses(v) == 1;
  }
  /* the rewrite adds one transpose: at least one must go */
  if (n < 0 || !one_dies) return false;
  sj_value *opnds[MAX_EW_OPNDS];
  for (unsigned i = 0; i < op->nopnds; i++) {
    sj_value *v = sj_opnd(op, i);
    opnds[i] = sj_canon_def(v, SJ_OP_TRANSPOSE) ? sj_opnd(v->def, 0) : v;
  }
  sj_type it = *r; /* transposing it by p gives r */
  for (int i = 0; i < n; i++) it.dims[p[i]] = r->dims[i];
  sj_op *inner = sj_op_new(sj_rw_ctx(rw), op->code, op->nopnds, opnds, 1, &it, 0, op->loc);
  for (unsigned i = 0; i < op->nattrs; i++) sj_op_set_attr(sj_rw_ctx(rw), inner, op->attrs[i]);
  sj_rw_insert(rw, op, inner);
  sj_value *iv = sj_res(inner, 0);
  sj_op *nt = sj_rw_create(rw, op, SJ_OP_TRANSPOSE, 1, &iv, *r);
  sj_op_set_ints(sj_rw_ctx(rw), nt, "perm", n, p);
  sj_canon_replace(rw, op, sj_res(nt, 0));
  return true;
}
