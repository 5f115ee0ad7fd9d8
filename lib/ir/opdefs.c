/* The op registry (built from ops.def) and the lib/ir columns of each row:
 * type inference, op-specific verification, scalar evaluation (constant
 * folding, reference evaluator) and reduction semantics (sj_reduce_info). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conv.h"
#include "opinfo.h"
#include "pool.h"
#include "slice.h"

#define TYS(t, buf) sj_type_str((t), (buf), sizeof(buf))

static sj_status err(sj_ctx *c, const sj_op *op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static sj_status err(sj_ctx *c, const sj_op *op, const char *fmt, ...) {
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return sj_emit_error(c, op->loc, "'%s' op %s", sj_op_name(op), msg);
}

/* ---- type inference ---- */

static sj_status infer_unary_num(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *t = &sj_opnd(op, 0)->type;
  char b[SJ_TYPE_STR_CAP];
  if (t->dt == SJ_BOOL) return err(c, op, "operand must be numeric, got %s", TYS(t, b));
  *out = *t;
  return SJ_OK;
}

static sj_status infer_unary_float(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *t = &sj_opnd(op, 0)->type;
  char b[SJ_TYPE_STR_CAP];
  if (!sj_dtype_is_float(t->dt))
    return err(c, op, "operand must be floating point, got %s", TYS(t, b));
  *out = *t;
  return SJ_OK;
}

static sj_status broadcast2(sj_ctx *c, const sj_op *op, const sj_type *a, const sj_type *b,
                            sj_type *out) {
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  if (a->is_tensor != b->is_tensor)
    return err(c, op, "cannot mix scalar and tensor operands: %s and %s", TYS(a, x), TYS(b, y));
  if (!sj_broadcast_shapes(a, b, out))
    return err(c, op, "operand shapes are not broadcast-compatible: %s and %s", TYS(a, x),
               TYS(b, y));
  return SJ_OK;
}

static sj_status same_dtype(sj_ctx *c, const sj_op *op, const sj_type *a, const sj_type *b) {
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  if (a->dt != b->dt)
    return err(c, op, "operand dtypes differ: %s and %s", TYS(a, x), TYS(b, y));
  return SJ_OK;
}

static sj_status infer_binary_num(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *a = &sj_opnd(op, 0)->type, *b = &sj_opnd(op, 1)->type;
  char x[SJ_TYPE_STR_CAP];
  if (same_dtype(c, op, a, b)) return SJ_ERR_VERIFY;
  if (a->dt == SJ_BOOL) return err(c, op, "operands must be numeric, got %s", TYS(a, x));
  return broadcast2(c, op, a, b, out);
}

static sj_status infer_binary_float(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *a = &sj_opnd(op, 0)->type;
  char x[SJ_TYPE_STR_CAP];
  if (!sj_dtype_is_float(a->dt))
    return err(c, op, "operands must be floating point, got %s", TYS(a, x));
  return infer_binary_num(c, op, out);
}

static sj_status infer_compare(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *a = &sj_opnd(op, 0)->type, *b = &sj_opnd(op, 1)->type;
  if (same_dtype(c, op, a, b) || broadcast2(c, op, a, b, out)) return SJ_ERR_VERIFY;
  out->dt = SJ_BOOL;
  return SJ_OK;
}

static sj_status infer_select(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *k = &sj_opnd(op, 0)->type, *a = &sj_opnd(op, 1)->type,
                *b = &sj_opnd(op, 2)->type;
  char x[SJ_TYPE_STR_CAP];
  sj_type t;
  if (k->dt != SJ_BOOL) return err(c, op, "condition must be bool, got %s", TYS(k, x));
  if (same_dtype(c, op, a, b) || broadcast2(c, op, a, b, &t) || broadcast2(c, op, k, &t, out))
    return SJ_ERR_VERIFY;
  out->dt = a->dt;
  return SJ_OK;
}

/* The one decoder of `axes` (negative counts from the end; absent or empty:
 * all axes) into a bitmask. On a bad entry returns false with *bad set to
 * it and *twice telling whether it was a repeat (else out of range). */
static bool decode_axes(const sj_op *op, int rank, unsigned *mask, int64_t *bad, bool *twice) {
  const sj_attr *a = sj_op_attr(op, "axes");
  *mask = 0;
  if (!a || a->kind != SJ_ATTR_INTS || a->u.ints.n == 0) {
    *mask = rank > 0 ? (1u << rank) - 1 : 0;
    return true;
  }
  for (int i = 0; i < a->u.ints.n; i++) {
    int64_t ax = a->u.ints.v[i];
    *bad = ax;
    *twice = false;
    if (ax < -rank || ax >= rank) return false;
    if (ax < 0) ax += rank;
    if (*mask & (1u << ax)) return *bad = ax, *twice = true, false;
    *mask |= 1u << ax;
  }
  return true;
}

static sj_status reduce_mask(sj_ctx *c, const sj_op *op, int rank, unsigned *mask) {
  int64_t bad = 0;
  bool twice = false;
  if (decode_axes(op, rank, mask, &bad, &twice)) return SJ_OK;
  if (twice) return err(c, op, "axis %lld appears twice", (long long)bad);
  return err(c, op, "axis %lld is out of range for rank %d", (long long)bad, rank);
}

static sj_status infer_reduce(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *t = &sj_opnd(op, 0)->type;
  char x[SJ_TYPE_STR_CAP];
  unsigned mask;
  if (!t->is_tensor) return err(c, op, "operand must be a tensor, got %s", TYS(t, x));
  if (t->dt == SJ_BOOL) return err(c, op, "operand must be numeric, got %s", TYS(t, x));
  if (reduce_mask(c, op, t->rank, &mask)) return SJ_ERR_VERIFY;
  bool keep = sj_op_bool(op, "keepdims", false);
  *out = *t;
  out->rank = 0;
  for (int i = 0; i < t->rank; i++) {
    if (!(mask & (1u << i))) out->dims[out->rank++] = t->dims[i];
    else if (keep) out->dims[out->rank++] = 1;
  }
  return SJ_OK;
}

static sj_status infer_reduce_float(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *t = &sj_opnd(op, 0)->type;
  char x[SJ_TYPE_STR_CAP];
  if (!sj_dtype_is_float(t->dt))
    return err(c, op, "operand must be floating point, got %s", TYS(t, x));
  return infer_reduce(c, op, out);
}

static sj_status infer_transpose(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *t = &sj_opnd(op, 0)->type;
  const sj_attr *p = sj_op_attr(op, "perm");
  char x[SJ_TYPE_STR_CAP];
  if (!t->is_tensor) return err(c, op, "operand must be a tensor, got %s", TYS(t, x));
  if (p->u.ints.n != t->rank)
    return err(c, op, "perm has %d entries but the operand %s has rank %d", p->u.ints.n,
               TYS(t, x), t->rank);
  unsigned seen = 0;
  *out = *t;
  for (int i = 0; i < t->rank; i++) {
    int64_t k = p->u.ints.v[i];
    if (k < 0 || k >= t->rank || (seen & (1u << k)))
      return err(c, op, "perm is not a permutation of 0..%d", t->rank - 1);
    seen |= 1u << k;
    out->dims[i] = t->dims[k];
  }
  return SJ_OK;
}

static bool dims_match(int64_t a, int64_t b) { return a == b || a == SJ_DYN || b == SJ_DYN; }

/* [..., m, k] @ [..., k, n] with broadcast batch dims (numpy matmul). */
static sj_status infer_matmul(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *a = &sj_opnd(op, 0)->type, *b = &sj_opnd(op, 1)->type;
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  if (same_dtype(c, op, a, b)) return SJ_ERR_VERIFY;
  if (!a->is_tensor || !b->is_tensor || a->rank < 2 || b->rank < 2)
    return err(c, op, "operands must be tensors of rank >= 2, got %s and %s", TYS(a, x),
               TYS(b, y));
  if (!sj_dtype_is_float(a->dt))
    return err(c, op, "operands must be floating point, got %s", TYS(a, x));
  if (!dims_match(a->dims[a->rank - 1], b->dims[b->rank - 2]))
    return err(c, op, "contracting dimensions differ: %s and %s", TYS(a, x), TYS(b, y));
  sj_type ba = *a, bb = *b;
  ba.rank -= 2;
  bb.rank -= 2;
  if (!sj_broadcast_shapes(&ba, &bb, out))
    return err(c, op, "batch dimensions are not broadcast-compatible: %s and %s", TYS(a, x),
               TYS(b, y));
  out->dims[out->rank++] = a->dims[a->rank - 2];
  out->dims[out->rank++] = b->dims[b->rank - 1];
  out->is_tensor = true;
  return SJ_OK;
}

/* A scalar number attribute (alpha, beta): int or float, not dense. */
static double num_attr(const sj_op *op, const char *name, double dflt, bool *bad) {
  const sj_attr *a = sj_op_attr(op, name);
  if (!a) return dflt;
  if (a->kind == SJ_ATTR_INT) return (double)a->u.i;
  if (a->kind == SJ_ATTR_FLOAT) return a->u.f;
  *bad = true;
  return dflt;
}

/* addmm %z, %x, %y: the matmul's type, which z must have exactly */
static sj_status infer_addmm(sj_ctx *c, const sj_op *op, sj_type *out) {
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  bool bad = false;
  num_attr(op, "alpha", 1, &bad), num_attr(op, "beta", 1, &bad);
  if (bad) return err(c, op, "alpha and beta must be scalar numbers");
  sj_value fx = {.type = sj_opnd(op, 1)->type}, fy = {.type = sj_opnd(op, 2)->type};
  sj_use uses[2] = {{.value = &fx}, {.value = &fy}};
  sj_op tmp = *op;
  tmp.opnds = uses;
  tmp.nopnds = 2;
  if (infer_matmul(c, &tmp, out)) return SJ_ERR_VERIFY;
  if (out->dt != SJ_F32 && out->dt != SJ_F64)
    return err(c, op, "runs in BLAS: operands must be f32 or f64, got %s", TYS(&fx.type, x));
  const sj_type *z = &sj_opnd(op, 0)->type;
  bool same = z->is_tensor && z->dt == out->dt && z->rank == out->rank;
  for (int i = 0; same && i < z->rank; i++) same = z->dims[i] == out->dims[i];
  if (!same) return err(c, op, "accumulator %s must have the product's type %s", TYS(z, x), TYS(out, y));
  return SJ_OK;
}

/* ---- integer indexing ---- */

/* The normalized `axis` of a take on x, and checks shared by the take ops:
 * tensors, integer indices, an indexed axis that is not statically empty. */
static sj_status take_axis(sj_ctx *c, const sj_op *op, const sj_type *x, const sj_type *idx, int *axis) {
  char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP];
  int64_t ax = sj_op_int(op, "axis", 0);
  if (!x->is_tensor || !idx->is_tensor || x->rank < 1)
    return err(c, op, "needs a tensor of rank >= 1 and a tensor of indices, got %s and %s", TYS(x, a), TYS(idx, b));
  if (!sj_dtype_is_int(idx->dt)) return err(c, op, "indices must be integers, got %s", TYS(idx, b));
  if (ax < -x->rank || ax >= x->rank)
    return err(c, op, "axis %lld is out of range for %s", (long long)ax, TYS(x, a));
  *axis = (int)(ax < 0 ? ax + x->rank : ax);
  if (x->dims[*axis] == 0) return err(c, op, "cannot index axis %d of %s: it is empty", *axis, TYS(x, a));
  return SJ_OK;
}

/* take(x, idx, axis): x.shape[:axis] + idx.shape + x.shape[axis+1:] */
static sj_status take_type(sj_ctx *c, const sj_op *op, const sj_type *x, const sj_type *idx, sj_type *out) {
  int k;
  char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP];
  if (take_axis(c, op, x, idx, &k)) return SJ_ERR_VERIFY;
  if (x->rank - 1 + idx->rank > SJ_MAX_RANK)
    return err(c, op, "result of %s indexed by %s has rank > %d", TYS(x, a), TYS(idx, b), SJ_MAX_RANK);
  *out = *x;
  out->rank = 0;
  for (int i = 0; i < k; i++) out->dims[out->rank++] = x->dims[i];
  for (int i = 0; i < idx->rank; i++) out->dims[out->rank++] = idx->dims[i];
  for (int i = k + 1; i < x->rank; i++) out->dims[out->rank++] = x->dims[i];
  return SJ_OK;
}

/* take_along_axis(x, idx, axis): same ranks; the other axes broadcast. */
static sj_status take_along_type(sj_ctx *c, const sj_op *op, const sj_type *x, const sj_type *idx, sj_type *out) {
  int k;
  char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP];
  if (take_axis(c, op, x, idx, &k)) return SJ_ERR_VERIFY;
  sj_type xs = *x;
  xs.dims[k] = idx->dims[k];
  if (idx->rank != x->rank || !sj_broadcast_shapes(&xs, idx, out))
    return err(c, op, "indices %s must have the rank of %s and broadcast with it off axis %d", TYS(idx, b), TYS(x, a), k);
  out->dt = x->dt;
  return SJ_OK;
}

static sj_status infer_take(sj_ctx *c, const sj_op *op, sj_type *out) {
  return take_type(c, op, &sj_opnd(op, 0)->type, &sj_opnd(op, 1)->type, out);
}

static sj_status infer_take_along(sj_ctx *c, const sj_op *op, sj_type *out) {
  return take_along_type(c, op, &sj_opnd(op, 0)->type, &sj_opnd(op, 1)->type, out);
}

/* scatter_add*(g, idx, like): like's type; g must have the shape the
 * matching take of like by idx has. */
static sj_status scatter_type(sj_ctx *c, const sj_op *op, bool along, sj_type *out) {
  const sj_type *g = &sj_opnd(op, 0)->type, *idx = &sj_opnd(op, 1)->type, *like = &sj_opnd(op, 2)->type;
  char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP], d[SJ_TYPE_STR_CAP], w[SJ_TYPE_STR_CAP];
  sj_type want;
  sj_status st = along ? take_along_type(c, op, like, idx, &want) : take_type(c, op, like, idx, &want);
  if (st) return st;
  bool fits = g->dt != SJ_BOOL && g->dt == like->dt && g->is_tensor && g->rank == want.rank;
  for (int i = 0; fits && i < g->rank; i++) fits = dims_match(g->dims[i], want.dims[i]);
  if (!fits) return err(c, op, "updates %s do not fit %s indexed by %s (expected %s)", TYS(g, a), TYS(like, b), TYS(idx, d),
                        TYS(&want, w));
  *out = *like;
  return SJ_OK;
}

static sj_status infer_scatter(sj_ctx *c, const sj_op *op, sj_type *out) { return scatter_type(c, op, false, out); }
static sj_status infer_scatter_along(sj_ctx *c, const sj_op *op, sj_type *out) { return scatter_type(c, op, true, out); }

/* ---- the softmax family ---- */

/* The normalized `axis` of a softmax-family op on x (a float tensor). */
static sj_status softmax_axis(sj_ctx *c, const sj_op *op, const sj_type *x, int *axis) {
  char a[SJ_TYPE_STR_CAP];
  int64_t ax = sj_op_int(op, "axis", 0);
  if (!x->is_tensor || x->rank < 1 || !sj_dtype_is_float(x->dt))
    return err(c, op, "operand must be a floating-point tensor of rank >= 1, got %s", TYS(x, a));
  if (ax < -x->rank || ax >= x->rank)
    return err(c, op, "axis %lld is out of range for %s", (long long)ax, TYS(x, a));
  *axis = (int)(ax < 0 ? ax + x->rank : ax);
  return SJ_OK;
}

/* softmax, log_softmax: x's type. */
static sj_status infer_softmax(sj_ctx *c, const sj_op *op, sj_type *out) {
  int k;
  if (softmax_axis(c, op, &sj_opnd(op, 0)->type, &k)) return SJ_ERR_VERIFY;
  *out = sj_opnd(op, 0)->type;
  return SJ_OK;
}

/* softmax_xent(x, labels): labels are integers shaped like x without the
 * class axis, which must be static and non-empty (the gradient compares
 * labels with the class indices 0..n-1); the result has the labels' shape
 * and x's dtype. */
static sj_status infer_softmax_xent(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *x = &sj_opnd(op, 0)->type, *y = &sj_opnd(op, 1)->type;
  char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP];
  int k;
  if (softmax_axis(c, op, x, &k)) return SJ_ERR_VERIFY;
  if (x->dims[k] < 1)
    return err(c, op, "the class axis %d of %s must have a static, non-zero size", k, TYS(x, a));
  if (!y->is_tensor || !sj_dtype_is_int(y->dt))
    return err(c, op, "labels must be an integer tensor, got %s", TYS(y, b));
  bool fits = y->rank == x->rank - 1;
  *out = *y;
  out->dt = x->dt;
  for (int i = 0, j = 0; fits && i < x->rank; i++) {
    if (i == k) continue;
    fits = dims_match(x->dims[i], y->dims[j]);
    if (y->dims[j] == SJ_DYN) out->dims[j] = x->dims[i];
    j++;
  }
  if (!fits)
    return err(c, op, "labels %s must have the shape of the logits %s without axis %d", TYS(y, b), TYS(x, a), k);
  return SJ_OK;
}

/* ---- convolution (docs/decisions/0021-conv-pool.md) ---- */

/* The output type of conv2d(x, w) under op's attributes: x NCHW and w
 * OIHW of one float dtype, groups dividing C and O, w's C/groups input
 * channels, a kernel of at least one tap that fits the padded input. */
static sj_status conv_shape(sj_ctx *c, const sj_op *op, const sj_type *x, const sj_type *w, sj_type *out) {
  char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP], why[160];
  sj_conv_attrs at;
  if (!sj_conv_attrs_get(op, &at, why, sizeof why)) return err(c, op, "%s", why);
  if (!x->is_tensor || x->rank != 4 || !sj_dtype_is_float(x->dt))
    return err(c, op, "input must be a floating-point tensor of rank 4 (NCHW), got %s", TYS(x, a));
  if (!w->is_tensor || w->rank != 4 || w->dt != x->dt)
    return err(c, op, "filter must be a rank-4 tensor (OIHW) of the input's dtype, got %s for input %s", TYS(w, b),
               TYS(x, a));
  long long g = at.groups, C = x->dims[1], O = w->dims[0], Cg = w->dims[1];
  if (C >= 0 && C % g)
    return err(c, op, "groups = %lld does not divide the %lld input channels of %s", g, C, TYS(x, a));
  if (O >= 0 && O % g)
    return err(c, op, "groups = %lld does not divide the %lld output channels of filter %s", g, O, TYS(w, b));
  if (C >= 0 && Cg >= 0 && Cg * g != C)
    return err(c, op, "filter %s has %lld input channels per group, input %s has %lld / %lld groups = %lld",
               TYS(w, b), Cg, TYS(x, a), C, g, C / g);
  *out = sj_tensor_type(x->dt, 4, (const int64_t[]){x->dims[0], w->dims[0], 0, 0});
  static const char *const axis[2] = {"rows", "columns"};
  for (int ax = 0; ax < 2; ax++) {
    int64_t in = x->dims[2 + ax], k = w->dims[2 + ax], lo = at.pad[2 * ax], hi = at.pad[2 * ax + 1];
    if (k == 0) return err(c, op, "filter %s has no kernel %s", TYS(w, b), axis[ax]);
    int64_t o = sj_conv_out_size(in, k, at.stride[ax], lo, hi, at.dilation[ax]);
    if (o == SJ_CONV_NOFIT)
      return err(c, op,
                 "the kernel spans %lld %s (%lld taps, dilation %lld), more than the %lld of the padded input "
                 "(%lld + pad %lld + %lld): input %s, filter %s",
                 (long long)sj_conv_span(k, at.dilation[ax]), axis[ax], (long long)k, (long long)at.dilation[ax],
                 (long long)(in > INT64_MAX - lo - hi ? INT64_MAX : in + lo + hi), (long long)in, (long long)lo, (long long)hi, TYS(x, a), TYS(w, b));
    out->dims[2 + ax] = o;
  }
  return SJ_OK;
}

/* ---- pooling (docs/decisions/0021-conv-pool.md; window arithmetic: pool.h) ---- */

/* The pooled type of x [N, C, H, W] under the op's attributes: [N, C, OH,
 * OW], a `?` spatial dim staying `?`. Checks the operand and every
 * attribute (entry counts, ranges, a window larger than the padded input). */
static sj_status pool2d_type(sj_ctx *c, const sj_op *op, const sj_type *x, sj_type *out) {
  char a[SJ_TYPE_STR_CAP];
  static const char *const names[3] = {"window", "stride", "pad"};
  static const int want[3] = {2, 2, 4};
  if (!x->is_tensor || x->rank != 4 || !sj_dtype_is_float(x->dt))
    return err(c, op, "operand must be a floating-point tensor of rank 4 (NCHW), got %s", TYS(x, a));
  for (int i = 0; i < 3; i++) {
    const sj_attr *at = sj_op_attr(op, names[i]);
    if (at->u.ints.n != want[i])
      return err(c, op, "attribute '%s' must have %d entries, got %d", names[i], want[i], at->u.ints.n);
  }
  sj_pool2d p;
  sj_pool2d_get(op, &p);
  const char *why = sj_pool2d_check(&p);
  if (why)
    return err(c, op, "%s: window [%lld, %lld], stride [%lld, %lld], pad [%lld, %lld, %lld, %lld]", why,
               (long long)p.k[0], (long long)p.k[1], (long long)p.s[0], (long long)p.s[1], (long long)p.lo[0],
               (long long)p.hi[0], (long long)p.lo[1], (long long)p.hi[1]);
  *out = *x;
  for (int k = 0; k < 2; k++) {
    int64_t n = x->dims[2 + k];
    if (n == SJ_DYN) continue;
    int64_t o = sj_pool2d_out(&p, k, n);
    if (o < 0)
      return err(c, op, "window %lldx%lld is larger than the padded input %s (pad [%lld, %lld, %lld, %lld])",
                 (long long)p.k[0], (long long)p.k[1], TYS(x, a), (long long)p.lo[0], (long long)p.hi[0],
                 (long long)p.lo[1], (long long)p.hi[1]);
    out->dims[2 + k] = o;
  }
  return SJ_OK;
}

static sj_status infer_conv2d(sj_ctx *c, const sj_op *op, sj_type *out) {
  return conv_shape(c, op, &sj_opnd(op, 0)->type, &sj_opnd(op, 1)->type, out);
}

/* conv2d_input_grad %g, %w, %like and conv2d_filter_grad %x, %g, %like:
 * the gradient g must have the type of the forward conv2d's output
 * (conv2d(like, w), resp. conv2d(x, like)); the result has like's type. */
static sj_status infer_conv2d_grad(sj_ctx *c, const sj_op *op, sj_type *out) {
  bool filter = op->code == SJ_OP_CONV2D_FILTER_GRAD;
  const sj_type *l = &sj_opnd(op, 2)->type, *g = &sj_opnd(op, filter ? 1 : 0)->type;
  const sj_type *x = filter ? &sj_opnd(op, 0)->type : l, *w = filter ? l : &sj_opnd(op, 1)->type;
  sj_type want;
  if (conv_shape(c, op, x, w, &want)) return SJ_ERR_VERIFY;
  char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP], d[SJ_TYPE_STR_CAP], e[SJ_TYPE_STR_CAP];
  bool fits = g->is_tensor && g->dt == want.dt && g->rank == 4;
  for (int i = 0; fits && i < 4; i++) fits = dims_match(g->dims[i], want.dims[i]);
  if (!fits)
    return err(c, op, "gradient %s does not match the convolution's output %s (input %s, filter %s)", TYS(g, a),
               TYS(&want, b), TYS(x, d), TYS(w, e));
  *out = *l;
  return SJ_OK;
}

static sj_status infer_pool2d(sj_ctx *c, const sj_op *op, sj_type *out) {
  return pool2d_type(c, op, &sj_opnd(op, 0)->type, out);
}

/* The gradient g of a pooling of `like` must have the pooled type. */
static sj_status pool2d_grad_type(sj_ctx *c, const sj_op *op, const sj_type *like, const sj_type *g, sj_type *out) {
  char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP], d[SJ_TYPE_STR_CAP];
  sj_type want;
  if (pool2d_type(c, op, like, &want)) return SJ_ERR_VERIFY;
  bool fits = g->is_tensor && g->dt == like->dt && g->rank == 4;
  for (int i = 0; fits && i < 4; i++) fits = dims_match(g->dims[i], want.dims[i]);
  if (!fits)
    return err(c, op, "gradient %s does not match the pooled type %s of %s", TYS(g, a), TYS(&want, b), TYS(like, d));
  *out = *like;
  return SJ_OK;
}

/* max_pool2d_grad %x, %g: x's type */
static sj_status infer_max_pool2d_grad(sj_ctx *c, const sj_op *op, sj_type *out) {
  return pool2d_grad_type(c, op, &sj_opnd(op, 0)->type, &sj_opnd(op, 1)->type, out);
}

/* avg_pool2d_grad %g, %like: like's type */
static sj_status infer_avg_pool2d_grad(sj_ctx *c, const sj_op *op, sj_type *out) {
  return pool2d_grad_type(c, op, &sj_opnd(op, 1)->type, &sj_opnd(op, 0)->type, out);
}

/* ---- slicing (slice, slice_update, index_update, slice_len) ---- */

/* start/stop/step have one entry per axis of x (rank >= 1); step is not 0
 * and not INT64_MIN (whose negation does not exist). */
static sj_status slice_attrs(sj_ctx *c, const sj_op *op, const sj_type *x) {
  char a[SJ_TYPE_STR_CAP];
  if (!x->is_tensor || x->rank < 1) return err(c, op, "needs a tensor of rank >= 1, got %s", TYS(x, a));
  static const char *const names[3] = {"start", "stop", "step"};
  for (int i = 0; i < 3; i++) {
    int n = sj_op_attr(op, names[i])->u.ints.n;
    if (n != x->rank)
      return err(c, op, "'%s' has %d entr%s but the operand %s has rank %d", names[i], n, n == 1 ? "y" : "ies",
                 TYS(x, a), x->rank);
  }
  for (int k = 0; k < x->rank; k++) {
    int64_t s = sj_op_attr(op, "step")->u.ints.v[k];
    if (s == 0 || s == INT64_MIN) return err(c, op, "step of axis %d is %lld; it must be non-zero (and > -2^63)", k, (long long)s);
  }
  return SJ_OK;
}

/* The slice's type (a sliced dynamic dim stays dynamic; lower-to-loops
 * sizes it with slice_len). */
static sj_status slice_type(sj_ctx *c, const sj_op *op, const sj_type *x, sj_type *out) {
  if (slice_attrs(c, op, x)) return SJ_ERR_VERIFY;
  *out = sj_slice_region(op, x);
  return SJ_OK;
}

static sj_status infer_slice(sj_ctx *c, const sj_op *op, sj_type *out) {
  return slice_type(c, op, &sj_opnd(op, 0)->type, out);
}

/* mode "set" or "add"; the values y have x's dtype (numeric for "add") and
 * broadcast to the written region `region` (numpy's rule). */
static sj_status update_operands(sj_ctx *c, const sj_op *op, const sj_type *x, const sj_type *y, const sj_type *region) {
  char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP];
  const char *mode = sj_op_attr(op, "mode")->u.s;
  bool add = strcmp(mode, "add") == 0;
  if (!add && strcmp(mode, "set") != 0) return err(c, op, "mode must be \"set\" or \"add\", got \"%s\"", mode);
  if (!y->is_tensor || y->dt != x->dt)
    return err(c, op, "values %s must be a tensor of the dtype of %s", TYS(y, a), TYS(x, b));
  if (add && x->dt == SJ_BOOL) return err(c, op, "mode \"add\" needs a numeric operand, got %s", TYS(x, a));
  if (!sj_broadcastable_to(y, region))
    return err(c, op, "values %s do not broadcast to the updated region %s", TYS(y, a), TYS(region, b));
  return SJ_OK;
}

static sj_status infer_slice_update(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *x = &sj_opnd(op, 0)->type, *y = &sj_opnd(op, 1)->type;
  sj_type region;
  if (slice_type(c, op, x, &region) || update_operands(c, op, x, y, &region)) return SJ_ERR_VERIFY;
  *out = *x;
  return SJ_OK;
}

/* index_update %x, %idx, %y: x's type; y broadcasts to take(x, idx)'s. */
static sj_status infer_index_update(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *x = &sj_opnd(op, 0)->type, *idx = &sj_opnd(op, 1)->type, *y = &sj_opnd(op, 2)->type;
  sj_type region;
  if (take_type(c, op, x, idx, &region) || update_operands(c, op, x, y, &region)) return SJ_ERR_VERIFY;
  *out = *x;
  return SJ_OK;
}

/* slice_len %n: an i64 scalar, the length of that slice of n elements. */
static sj_status infer_slice_len(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *n = &sj_opnd(op, 0)->type;
  char x[SJ_TYPE_STR_CAP];
  int64_t step = sj_op_int(op, "step", 1);
  if (n->is_tensor || n->dt != SJ_I64) return err(c, op, "the size must be an i64 scalar, got %s", TYS(n, x));
  if (step == 0 || step == INT64_MIN) return err(c, op, "step is %lld; it must be non-zero (and > -2^63)", (long long)step);
  *out = sj_scalar_type(SJ_I64);
  return SJ_OK;
}

static sj_status infer_dim(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *t = &sj_opnd(op, 0)->type;
  int64_t ax = sj_op_int(op, "axis", 0);
  char x[SJ_TYPE_STR_CAP];
  if (!t->is_tensor || ax < 0 || ax >= t->rank)
    return err(c, op, "axis %lld is out of range for %s", (long long)ax, TYS(t, x));
  *out = sj_scalar_type(SJ_I64);
  return SJ_OK;
}

/* clamp %i, %n: both i64 scalars, an i64 index. */
static sj_status infer_clamp(sj_ctx *c, const sj_op *op, sj_type *out) {
  char x[SJ_TYPE_STR_CAP];
  for (unsigned i = 0; i < 2; i++) {
    const sj_type *t = &sj_opnd(op, i)->type;
    if (t->is_tensor || t->dt != SJ_I64)
      return err(c, op, "%s must be an i64 scalar, got %s", i ? "the size" : "the index", TYS(t, x));
  }
  *out = sj_scalar_type(SJ_I64);
  return SJ_OK;
}

static sj_status check_indices(sj_ctx *c, const sj_op *op, unsigned first, const sj_type *buf) {
  char x[SJ_TYPE_STR_CAP];
  if (!buf->is_tensor) return err(c, op, "expects a tensor buffer, got %s", TYS(buf, x));
  if ((int)(op->nopnds - first) != buf->rank)
    return err(c, op, "expects %d ind%s for %s, got %u", buf->rank, buf->rank == 1 ? "ex" : "ices",
               TYS(buf, x), op->nopnds - first);
  for (unsigned i = first; i < op->nopnds; i++) {
    const sj_type *t = &sj_opnd(op, i)->type;
    if (t->is_tensor || t->dt != SJ_I64)
      return err(c, op, "index %u must be an i64 scalar, got %s", i - first, TYS(t, x));
  }
  return SJ_OK;
}

static sj_status infer_load(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *t = &sj_opnd(op, 0)->type;
  if (check_indices(c, op, 1, t)) return SJ_ERR_VERIFY;
  *out = sj_scalar_type(t->dt);
  return SJ_OK;
}

/* ---- op-specific verifiers ---- */

/* An integral value within the range of the int (or bool) dtype. */
static bool int_representable(sj_dtype dt, double d) {
  double lo = dt == SJ_I8 ? -128.0 : dt == SJ_I32 ? -2147483648.0 : dt == SJ_BOOL ? 0.0 : -0x1p63;
  double hi = dt == SJ_I8 ? 127.0 : dt == SJ_I32 ? 2147483647.0 : dt == SJ_BOOL ? 1.0 : 0x1p63;
  return d == floor(d) && d >= lo && (dt == SJ_I64 ? d < hi : d <= hi);
}

static sj_status verify_constant(sj_ctx *c, const sj_op *op) {
  const sj_attr *v = sj_op_attr(op, "value");
  const sj_type *t = &sj_res(op, 0)->type;
  char x[SJ_TYPE_STR_CAP];
  if (t->is_tensor && sj_type_numel(t) < 0)
    return err(c, op, "type %s has a dynamic dim; constants need a static shape", TYS(t, x));
  if (v->kind == SJ_ATTR_DENSE) {
    int64_t n = sj_type_numel(t);
    if (!t->is_tensor || n < 0)
      return err(c, op, "a dense literal needs a tensor type, got %s", TYS(t, x));
    if (n != v->u.dense.n)
      return err(c, op, "dense literal has %d element%s but the type %s needs %lld", v->u.dense.n,
                 v->u.dense.n == 1 ? "" : "s", TYS(t, x), (long long)n);
  }
  if (!sj_dtype_is_float(t->dt)) {
    int n = v->kind == SJ_ATTR_DENSE ? v->u.dense.n : 1;
    for (int i = 0; i < n; i++) {
      double d = v->kind == SJ_ATTR_DENSE ? v->u.dense.v[i]
                 : v->kind == SJ_ATTR_FLOAT ? v->u.f : (double)v->u.i;
      /* an int attribute is exact; its double may round up to 2^63 */
      bool ok = v->kind == SJ_ATTR_INT && t->dt == SJ_I64 ? true : int_representable(t->dt, d);
      if (!ok) return err(c, op, "value %g is not representable in %s", d, sj_dtype_name(t->dt));
    }
  }
  return SJ_OK;
}

static sj_status verify_cast(sj_ctx *c, const sj_op *op) {
  const sj_type *a = &sj_opnd(op, 0)->type, *r = &sj_res(op, 0)->type;
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  sj_type t = *a;
  t.dt = r->dt;
  if (!sj_type_eq(&t, r))
    return err(c, op, "result %s must have the shape of the operand %s", TYS(r, x), TYS(a, y));
  return SJ_OK;
}

/* ---- gradient controls (graph only) ---- */

/* Identity: any dtype, any shape (tensors only). */
static sj_status infer_identity(sj_ctx *c, const sj_op *op, sj_type *out) {
  const sj_type *t = &sj_opnd(op, 0)->type;
  char b[SJ_TYPE_STR_CAP];
  if (!t->is_tensor) return err(c, op, "operand must be a tensor, got %s", TYS(t, b));
  *out = *t;
  return SJ_OK;
}

/* Only in the graph front end's block (no parent op): in a func nothing
 * could lower it, and sj_compile drops it before building one. */
static sj_status verify_graph_only(sj_ctx *c, const sj_op *op) {
  if (op->block && op->block->parent)
    return err(c, op, "is a gradient control of the graph API; it cannot appear in a function");
  const sj_attr *lo = sj_op_attr(op, "lo"), *hi = sj_op_attr(op, "hi");
  if (lo && hi && !(lo->u.f <= hi->u.f))
    return err(c, op, "needs lo <= hi, got lo = %g and hi = %g", lo->u.f, hi->u.f);
  return SJ_OK;
}

static sj_status verify_reshape(sj_ctx *c, const sj_op *op) {
  const sj_type *a = &sj_opnd(op, 0)->type, *r = &sj_res(op, 0)->type;
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  if (!a->is_tensor || !r->is_tensor || a->dt != r->dt)
    return err(c, op, "cannot reshape %s to %s", TYS(a, x), TYS(r, y));
  int64_t na = sj_type_numel(a), nr = sj_type_numel(r);
  if (na >= 0 && nr >= 0 && na != nr)
    return err(c, op, "element counts differ: %s has %lld, %s has %lld", TYS(a, x),
               (long long)na, TYS(r, y), (long long)nr);
  return SJ_OK;
}

static sj_status verify_broadcast_to(sj_ctx *c, const sj_op *op) {
  const sj_type *a = &sj_opnd(op, 0)->type, *r = &sj_res(op, 0)->type;
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  if (!a->is_tensor || !r->is_tensor || a->dt != r->dt || !sj_broadcastable_to(a, r))
    return err(c, op, "cannot broadcast %s to %s", TYS(a, x), TYS(r, y));
  return SJ_OK;
}

static sj_status verify_func(sj_ctx *c, const sj_op *op) {
  sj_block *b = op->regions[0];
  sj_op *t = b->last;
  if (!t || t->code != SJ_OP_RETURN) {
    /* a return in the middle is the likelier mistake: point at it */
    for (sj_op *o = b->first; o; o = o->next)
      if (o->code == SJ_OP_RETURN)
        return sj_emit_error(c, o->loc, "'return' op must be the last op of @%s",
                             sj_func_name(op));
    return err(c, op, "@%s must end with 'return'", sj_func_name(op));
  }
  if (op->code == SJ_OP_KERNEL && t->nopnds)
    return err(c, op, "@%s: a kernel returns nothing; it writes its buffer arguments",
               sj_func_name(op));
  return SJ_OK;
}

static sj_status verify_return(sj_ctx *c, const sj_op *op) {
  sj_op *p = op->block ? op->block->parent : NULL;
  if (!p || !sj_op_has(p, SJ_F_SYMBOL))
    return err(c, op, "must be directly inside a func or kernel");
  return SJ_OK;
}

/* yield's operands must match the parent's results (fused, for) in dtype. */
static sj_status verify_yield(sj_ctx *c, const sj_op *op) {
  sj_op *p = op->block ? op->block->parent : NULL;
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  if (p && p->code == SJ_OP_SCAN) return SJ_OK; /* verify_scan checks the yielded types */
  if (!p || (p->code != SJ_OP_FUSED && !sj_op_has(p, SJ_F_LOOP)))
    return err(c, op, "must be inside 'fused', 'for', 'parallel_for' or 'scan'");
  if (op->nopnds != p->nresults)
    return err(c, op, "yields %u value%s but the parent '%s' has %u result%s", op->nopnds,
               op->nopnds == 1 ? "" : "s", sj_op_name(p), p->nresults, p->nresults == 1 ? "" : "s");
  for (unsigned i = 0; i < op->nopnds; i++) {
    const sj_type *a = &sj_opnd(op, i)->type, *r = &sj_res(p, i)->type;
    sj_type want = p->code == SJ_OP_FUSED ? sj_scalar_type(r->dt) : *r;
    if (!sj_type_eq(a, &want))
      return err(c, op, "value %u has type %s but '%s' expects %s", i, TYS(a, x), sj_op_name(p),
                 TYS(&want, y));
  }
  return SJ_OK;
}

static sj_status verify_fused(sj_ctx *c, const sj_op *op) {
  sj_block *b = op->regions[0];
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  if (op->nresults == 0) return err(c, op, "must have at least one result");
  const sj_type *space = &sj_res(op, 0)->type;
  for (unsigned i = 0; i < op->nresults; i++) {
    const sj_type *r = &sj_res(op, i)->type;
    sj_type s = *r;
    s.dt = space->dt;
    if (!r->is_tensor || !sj_type_eq(&s, space))
      return err(c, op, "result %u has type %s; all results must be tensors of shape %s", i,
                 TYS(r, x), TYS(space, y));
  }
  if (b->nargs != op->nopnds)
    return err(c, op, "body has %u arguments for %u operands", b->nargs, op->nopnds);
  for (unsigned i = 0; i < op->nopnds; i++) {
    const sj_type *a = &sj_opnd(op, i)->type, *arg = &b->args[i]->type;
    if (!a->is_tensor || !sj_broadcastable_to(a, space))
      return err(c, op, "operand %u of type %s does not broadcast to %s", i, TYS(a, x),
                 TYS(space, y));
    if (arg->is_tensor || arg->dt != a->dt)
      return err(c, op, "body argument %u must be a %s scalar, got %s", i, sj_dtype_name(a->dt),
                 TYS(arg, x));
  }
  if (!b->last || b->last->code != SJ_OP_YIELD) return err(c, op, "body must end with 'yield'");
  return SJ_OK;
}

/* scan (docs/decisions/0014-scan.md): operands [%n] seqs inits nonseqs;
 * a body region (tensor level) or `body = @f` (after outline-scan) whose
 * arguments are seq rows, states and nonseqs, yielding new states, outputs
 * and, with `until`, a bool[] condition. */
typedef struct scan_shape {
  unsigned first, nseq, nstate, nnon; /* operand layout */
  int64_t steps;                      /* static step count or SJ_DYN */
} scan_shape;

static sj_status scan_layout(sj_ctx *c, const sj_op *op, scan_shape *s) {
  int64_t nseq = sj_op_int(op, "nseq", 0), nstate = sj_op_int(op, "nstate", 0);
  s->first = sj_op_bool(op, "has_n", false) ? 1 : 0;
  if (nseq < 0 || nstate < 0 || nseq + nstate + s->first > op->nopnds)
    return err(c, op, "nseq = %lld and nstate = %lld do not fit its %u operands", (long long)nseq,
               (long long)nstate, op->nopnds);
  s->nseq = (unsigned)nseq, s->nstate = (unsigned)nstate;
  s->nnon = op->nopnds - s->first - s->nseq - s->nstate;
  if (!s->first && !s->nseq) return err(c, op, "needs a sequence or a step count (has_n)");
  if (sj_op_bool(op, "until", false) && sj_op_bool(op, "reverse", false))
    return err(c, op, "cannot combine 'until' with 'reverse'");
  char x[SJ_TYPE_STR_CAP];
  if (s->first) {
    const sj_type *n = &sj_opnd(op, 0)->type;
    if (!n->is_tensor || n->rank != 0 || (n->dt != SJ_I32 && n->dt != SJ_I64))
      return err(c, op, "step count must be an i32[] or i64[] tensor, got %s", TYS(n, x));
  }
  s->steps = s->first || sj_op_bool(op, "until", false) ? SJ_DYN : INT64_MAX;
  for (unsigned i = 0; i < s->nseq; i++) {
    const sj_type *q = &sj_opnd(op, s->first + i)->type;
    if (!q->is_tensor || q->rank < 1) return err(c, op, "sequence %u must have rank >= 1, got %s", i, TYS(q, x));
    if (q->dims[0] == SJ_DYN) s->steps = SJ_DYN;
    else if (s->steps != SJ_DYN && q->dims[0] < s->steps) s->steps = q->dims[0];
  }
  return SJ_OK;
}

/* The body's argument and yield types: exact matches. */
static sj_status scan_check_sig(sj_ctx *c, const sj_op *op, const scan_shape *s, const sj_type *args, unsigned nargs,
                                const sj_type *ys, unsigned nys) {
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  unsigned want = s->nseq + s->nstate + s->nnon, until = sj_op_bool(op, "until", false);
  if (nargs != want) return err(c, op, "body has %u arguments, expected %u (rows, states, non-sequences)", nargs, want);
  for (unsigned i = 0; i < want; i++) {
    sj_type t = sj_opnd(op, s->first + i)->type;
    if (i < s->nseq) { /* a row of the sequence */
      memmove(t.dims, t.dims + 1, (size_t)(t.rank - 1) * sizeof *t.dims);
      t.rank--;
    }
    if (!t.is_tensor) return err(c, op, "operand %u must be a tensor", s->first + i);
    if (!sj_type_eq(&t, &args[i]))
      return err(c, op, "body argument %u has type %s, expected %s", i, TYS(&args[i], x), TYS(&t, y));
  }
  if (nys < s->nstate + until || nys - until != op->nresults)
    return err(c, op, "body yields %u values for %u results, %u states%s", nys, op->nresults, s->nstate,
               until ? " and a condition" : "");
  for (unsigned i = 0; i < s->nstate; i++) {
    const sj_type *init = &sj_opnd(op, s->first + s->nseq + i)->type;
    if (!sj_type_eq(&ys[i], init))
      return err(c, op, "state %u is yielded as %s but its initial value is %s", i, TYS(&ys[i], x), TYS(init, y));
  }
  if (until && (ys[nys - 1].dt != SJ_BOOL || !ys[nys - 1].is_tensor || ys[nys - 1].rank != 0))
    return err(c, op, "stop condition must be bool[], got %s", TYS(&ys[nys - 1], x));
  return SJ_OK;
}

/* Result i: the yielded type, with a leading [steps (+1 for states)] dim
 * unless i is in `last`. */
static sj_status scan_check_results(sj_ctx *c, const sj_op *op, const scan_shape *s, const sj_type *ys) {
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  const sj_attr *last = sj_op_attr(op, "last");
  bool keep_last[64] = {0};
  if (op->nresults > 64) return err(c, op, "has %u results, at most 64", op->nresults);
  for (int i = 0; last && i < last->u.ints.n; i++) {
    int64_t k = last->u.ints.v[i];
    if (k < 0 || k >= op->nresults || keep_last[k]) return err(c, op, "'last' index %lld is out of range or repeated", (long long)k);
    keep_last[k] = true;
  }
  for (unsigned i = 0; i < op->nresults; i++) {
    sj_type t = ys[i];
    if (!keep_last[i]) {
      if (t.rank == SJ_MAX_RANK) return err(c, op, "result %u would have rank > %d", i, SJ_MAX_RANK);
      memmove(t.dims + 1, t.dims, (size_t)t.rank * sizeof *t.dims);
      t.rank++;
      t.dims[0] = s->steps == SJ_DYN ? SJ_DYN : s->steps + (i < s->nstate);
    }
    if (!sj_type_eq(&t, &sj_res(op, i)->type))
      return err(c, op, "result %u has type %s, expected %s", i, TYS(&sj_res(op, i)->type, x), TYS(&t, y));
  }
  return SJ_OK;
}

/* The func named sym in the module holding op (NULL when op is not in a
 * module yet, or there is none; *in_module says which). */
static const sj_op *enclosing_lookup(const sj_op *op, const char *sym, bool *in_module) {
  const sj_block *b = op->block;
  while (b && b->parent && b->parent->block) b = b->parent->block;
  *in_module = b && !b->parent;
  if (!*in_module) return NULL; /* a detached block (graph) */
  for (const sj_op *f = b->first; f; f = f->next)
    if (sj_op_has(f, SJ_F_SYMBOL) && !strcmp(sj_func_name(f), sym)) return f;
  return NULL;
}

static sj_status verify_scan(sj_ctx *c, const sj_op *op) {
  scan_shape s = {0};
  sj_status st = scan_layout(c, op, &s);
  if (st) return st;
  const char *sym = sj_op_sym(op, "body");
  if ((op->nregions == 1) == (sym != NULL)) return err(c, op, "needs exactly one of a body region and 'body = @f'");
  sj_type args[64], ys[65];
  unsigned nargs = 0, nys = 0;
  if (op->nregions) {
    const sj_block *b = op->regions[0];
    if (!b->last || b->last->code != SJ_OP_YIELD) return err(c, op, "body must end with 'yield'");
    if (b->nargs > 64 || b->last->nopnds > 65) return err(c, op, "body has too many arguments or values");
    for (nargs = 0; nargs < b->nargs; nargs++) args[nargs] = b->args[nargs]->type;
    for (nys = 0; nys < b->last->nopnds; nys++) ys[nys] = sj_opnd(b->last, nys)->type;
  } else {
    /* the callee's signature is checked where the module is complete */
    bool in_module = false;
    const sj_op *f = op->block ? enclosing_lookup(op, sym, &in_module) : NULL;
    if (!f && in_module) return err(c, op, "body @%s is not a symbol of the module", sym);
    if (!f) return SJ_OK;
    if (f->code != SJ_OP_FUNC) return err(c, op, "body @%s is a '%s', not a func", sym, sj_op_name(f));
    const sj_block *b = f->regions[0];
    const sj_op *ret = b->last;
    if (!ret || b->nargs > 64 || ret->nopnds > 65) return err(c, op, "body @%s has too many arguments or values", sym);
    for (nargs = 0; nargs < b->nargs; nargs++) args[nargs] = b->args[nargs]->type;
    for (nys = 0; nys < ret->nopnds; nys++) ys[nys] = sj_opnd(ret, nys)->type;
  }
  st = scan_check_sig(c, op, &s, args, nargs, ys, nys);
  return st ? st : scan_check_results(c, op, &s, ys);
}

/* {combine = "<op>"} on a `for`: the loop reduces its one carried value %acc
 * with <op>. The body yields `<op>` of %acc and a value (either order: the
 * combine ops are commutative) computed in the body, or the result of a
 * nested `for` with the same combine started from %acc; neither %acc nor
 * the running value has another use (a prefix sum that stores the running
 * value is not a reduction). That is what lets codegen reassociate the
 * combine and split the loop into chunks reduced separately. */
static sj_status verify_combine(sj_ctx *c, const sj_op *op) {
  const sj_attr *a = sj_op_attr(op, "combine");
  sj_opcode code;
  if (!a) return SJ_OK;
  if (!sj_opcode_lookup(a->u.s, strlen(a->u.s), &code) || !sj_is_combine(code))
    return err(c, op, "combine \"%s\" is not one of add, mul, maximum, minimum", a->u.s);
  if (op->nresults != 1)
    return err(c, op, "with combine \"%s\" must carry exactly one value, got %u", a->u.s, op->nresults);
  const sj_block *b = op->regions[0];
  if (b->last->nopnds != 1) return SJ_OK; /* verify_yield reports it */
  const sj_value *acc = b->args[1];
  const sj_op *d = sj_opnd(b->last, 0)->def;
  if (sj_value_num_uses(acc) != 1)
    return err(c, op, "with combine \"%s\": the carried value may only be combined, but it has %u uses", a->u.s,
               sj_value_num_uses(acc));
  if (sj_value_num_uses(sj_opnd(b->last, 0)) != 1)
    return err(c, op, "with combine \"%s\": the running value may only be yielded, but it has %u uses", a->u.s,
               sj_value_num_uses(sj_opnd(b->last, 0)));
  if (d && d->block == b && d->code == SJ_OP_FOR) {
    const sj_attr *in = sj_op_attr(d, "combine");
    if (in && in->kind == SJ_ATTR_STR && !strcmp(in->u.s, a->u.s) && sj_opnd(d, 2) == acc) return SJ_OK;
    return err(c, op, "with combine \"%s\" yields a nested 'for' that is not a \"%s\" reduction started from the carried value",
               a->u.s, a->u.s);
  }
  if (!d || d->block != b || d->code != code || (sj_opnd(d, 0) != acc && sj_opnd(d, 1) != acc))
    return err(c, op, "with combine \"%s\" must yield '%s' of the carried value and a value of the body", a->u.s, a->u.s);
  return SJ_OK;
}

/* {loop.vectorize = W} on a `for` (docs/ir.md, decision 0042): a hint
 * that vectorizing this loop is worth it even where LLVM's cost model
 * would not try (a short trip count that needs run-time checks): codegen
 * marks the loop llvm.loop.vectorize.enable, with width W when W > 0
 * (0: LLVM picks it). Discardable like every dotted attribute (a rewrite
 * that drops it only loses speed; LLVM still checks legality), but its
 * kind and value are checked here so a typo does not go unnoticed. */
static sj_status verify_vectorize_hint(sj_ctx *c, const sj_op *op) {
  const sj_attr *a = sj_op_attr(op, "loop.vectorize");
  if (!a) return SJ_OK;
  if (op->code != SJ_OP_FOR) return err(c, op, "attribute '%s' is only for a sequential 'for'", a->name);
  if (a->kind != SJ_ATTR_INT) return err(c, op, "attribute '%s' must be an int (a vector width, or 0)", a->name);
  int64_t w = a->u.i;
  if (w < 0 || w == 1 || w > 64 || (w & (w - 1)))
    return err(c, op, "attribute '%s' must be 0 (any width) or a power of two from 2 to 64, got %lld", a->name,
               (long long)w);
  return SJ_OK;
}

/* for: operands lo, hi, inits...; args (iv, carried...); results = carried.
 * parallel_for: lo, hi; args (iv); no results. */
static sj_status verify_loop(sj_ctx *c, const sj_op *op) {
  sj_block *b = op->regions[0];
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  for (unsigned i = 0; i < 2; i++) {
    const sj_type *t = &sj_opnd(op, i)->type;
    if (t->is_tensor || t->dt != SJ_I64)
      return err(c, op, "bound %u must be an i64 scalar, got %s", i, TYS(t, x));
  }
  unsigned ncar = op->nopnds - 2;
  if (op->nresults != ncar)
    return err(c, op, "has %u initial values but %u results", ncar, op->nresults);
  if (b->nargs != ncar + 1)
    return err(c, op, "body must have %u arguments (induction variable first), got %u",
               ncar + 1, b->nargs);
  if (b->args[0]->type.is_tensor || b->args[0]->type.dt != SJ_I64)
    return err(c, op, "induction variable must be i64");
  for (unsigned i = 0; i < ncar; i++) {
    const sj_type *in = &sj_opnd(op, 2 + i)->type, *arg = &b->args[1 + i]->type,
                  *r = &sj_res(op, i)->type;
    if (!sj_type_eq(in, arg) || !sj_type_eq(in, r))
      return err(c, op, "carried value %u: initial %s, argument %s and result %s must agree", i,
                 TYS(in, x), TYS(arg, y), sj_type_str(r, (char[SJ_TYPE_STR_CAP]){0}, SJ_TYPE_STR_CAP));
  }
  if (!b->last || b->last->code != SJ_OP_YIELD) return err(c, op, "body must end with 'yield'");
  if (verify_combine(c, op)) return SJ_ERR_VERIFY;
  return verify_vectorize_hint(c, op);
}

static sj_status verify_store(sj_ctx *c, const sj_op *op) {
  const sj_type *v = &sj_opnd(op, 0)->type, *buf = &sj_opnd(op, 1)->type;
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  if (check_indices(c, op, 2, buf)) return SJ_ERR_VERIFY;
  if (v->is_tensor || v->dt != buf->dt)
    return err(c, op, "cannot store %s into %s", TYS(v, x), TYS(buf, y));
  return SJ_OK;
}

static sj_status verify_alloc(sj_ctx *c, const sj_op *op) {
  const sj_type *r = &sj_res(op, 0)->type;
  char x[SJ_TYPE_STR_CAP];
  unsigned ndyn = 0;
  for (int i = 0; i < r->rank; i++) ndyn += r->dims[i] == SJ_DYN;
  if (!r->is_tensor) return err(c, op, "result must be a tensor, got %s", TYS(r, x));
  if (op->nopnds != ndyn)
    return err(c, op, "%s has %u dynamic dim%s but %u size%s given", TYS(r, x), ndyn,
               ndyn == 1 ? "" : "s", op->nopnds, op->nopnds == 1 ? " was" : "s were");
  for (unsigned i = 0; i < op->nopnds; i++) {
    const sj_type *t = &sj_opnd(op, i)->type;
    if (t->is_tensor || t->dt != SJ_I64)
      return err(c, op, "size %u must be an i64 scalar, got %s", i, TYS(t, x));
  }
  return SJ_OK;
}

/* The callee is checked against its signature here; that it exists is
 * checked by the module verifier (it needs the module). */
static sj_status verify_launch(sj_ctx *c, const sj_op *op) {
  char x[SJ_TYPE_STR_CAP];
  for (unsigned i = 0; i < op->nopnds; i++) {
    const sj_type *t = &sj_opnd(op, i)->type;
    if (!t->is_tensor && t->dt != SJ_I64)
      return err(c, op, "argument %u must be a tensor or an i64 size, got %s", i, TYS(t, x));
  }
  return SJ_OK;
}

static sj_type swap_last2(const sj_type *t) {
  sj_type r = *t;
  r.dims[t->rank - 1] = t->dims[t->rank - 2];
  r.dims[t->rank - 2] = t->dims[t->rank - 1];
  return r;
}

static sj_status verify_epilogue(sj_ctx *c, const sj_op *op, const sj_type *o, unsigned first);

/* The operands after a, b, c: z when `beta` is given, then the epilogue's
 * arguments (the module verifier checks them against the kernel). */
static sj_status verify_gemm_extra(sj_ctx *c, const sj_op *op, const sj_type *o) {
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  bool bad = false, has_beta = sj_op_attr(op, "beta") != NULL;
  num_attr(op, "alpha", 1, &bad), num_attr(op, "beta", 0, &bad);
  if (bad) return err(c, op, "alpha and beta must be scalar numbers");
  unsigned first = 3 + has_beta;
  if (op->nopnds < first) return err(c, op, "`beta` needs the accumulator operand %%z after %%c");
  if (has_beta) {
    const sj_type *z = &sj_opnd(op, 3)->type;
    bool same = z->is_tensor && z->dt == o->dt && z->rank == o->rank;
    for (int i = 0; same && i < z->rank; i++) same = z->dims[i] == o->dims[i];
    if (!same) return err(c, op, "accumulator %s must have the output's type %s", TYS(z, x), TYS(o, y));
  }
  if (sj_op_attr(op, "epilogue") && o->rank != 2 && o->rank != 3)
    return err(c, op, "an epilogue needs a rank-2 output or a rank-3 one (batched over its dim 0), got %s", TYS(o, x));
  return verify_epilogue(c, op, o, first);
}

/* The epilogue's arguments, operands first.. (gemm, conv_gemm): none
 * without `epilogue`; those in `epilogue_rows` have the output's rows. */
static sj_status verify_epilogue(sj_ctx *c, const sj_op *op, const sj_type *o, unsigned first) {
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  const sj_attr *rows = sj_op_attr(op, "epilogue_rows");
  if (!sj_op_attr(op, "epilogue")) {
    if (rows) return err(c, op, "`epilogue_rows` without `epilogue`");
    if (op->nopnds > first)
      return err(c, op, "%u operand%s after %%c but no `epilogue`", op->nopnds - 3, op->nopnds == 4 ? "" : "s");
    return SJ_OK;
  }
  for (int i = 0; rows && i < rows->u.ints.n; i++) {
    int64_t r = rows->u.ints.v[i];
    if (r < 0 || r >= (int64_t)(op->nopnds - first) || (i && r <= rows->u.ints.v[i - 1]))
      return err(c, op, "epilogue_rows must be increasing epilogue argument indices, got %lld", (long long)r);
    const sj_type *t = &sj_opnd(op, first + (unsigned)r)->type;
    if (!t->is_tensor || t->rank < 1 || !dims_match(t->dims[0], o->dims[0]))
      return err(c, op, "epilogue argument %lld (%s) is sliced by rows but does not have the output's %s rows",
                 (long long)r, TYS(t, x), TYS(o, y));
  }
  return SJ_OK;
}

static sj_status verify_gemm(sj_ctx *c, const sj_op *op) {
  const sj_type *o = &sj_opnd(op, 2)->type;
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  bool ta = sj_op_bool(op, "trans_a", false), tb = sj_op_bool(op, "trans_b", false);
  const sj_type *a = &sj_opnd(op, 0)->type, *b = &sj_opnd(op, 1)->type;
  /* BLAS has no half-precision gemm; a half matmul is widened to f32 by
   * lower-to-loops before it becomes a gemm (docs/decisions/0005) */
  if (a->dt != SJ_F32 && a->dt != SJ_F64)
    return err(c, op, "operands must be f32 or f64 (BLAS), got %s", TYS(a, x));
  if ((ta && a->rank != 2) || (tb && b->rank != 2))
    return err(c, op, "trans_a/trans_b need rank-2 operands, got %s and %s", TYS(a, x), TYS(b, y));
  sj_type r;
  /* infer on the (possibly transposed) views through a scratch op */
  sj_type va = ta ? swap_last2(a) : *a, vb = tb ? swap_last2(b) : *b;
  sj_value fa = {.type = va}, fb = {.type = vb};
  sj_use uses[2] = {{.value = &fa}, {.value = &fb}};
  sj_op tmp = *op;
  tmp.opnds = uses;
  tmp.nopnds = 2;
  if (infer_matmul(c, &tmp, &r)) return SJ_ERR_VERIFY;
  if (r.rank != o->rank || r.dt != o->dt)
    return err(c, op, "output buffer %s does not match the product type %s", TYS(o, x), TYS(&r, y));
  for (int i = 0; i < r.rank; i++)
    if (!dims_match(r.dims[i], o->dims[i]))
      return err(c, op, "output buffer %s does not match the product type %s", TYS(o, x), TYS(&r, y));
  return verify_gemm_extra(c, op, o);
}

/* conv_gemm: the operands of its mode as the tensor op's (conv_shape
 * checks the geometry), f32 or f64 (BLAS); an epilogue only on a forward
 * convolution, by image rows. */
static sj_status verify_conv_gemm(sj_ctx *c, const sj_op *op) {
  const char *mode = sj_op_attr(op, "mode")->u.s;
  int m = sj_conv_gemm_mode(op);
  if (m < 0) return err(c, op, "mode must be \"forward\", \"input_grad\" or \"filter_grad\", got \"%s\"", mode);
  const sj_type *a = &sj_opnd(op, 0)->type, *b = &sj_opnd(op, 1)->type, *o = &sj_opnd(op, 2)->type;
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  if (!a->is_tensor || (a->dt != SJ_F32 && a->dt != SJ_F64))
    return err(c, op, "operands must be f32 or f64 (BLAS), got %s", TYS(a, x));
  /* the convolution's input and filter, and the operand shaped as its output */
  const sj_type *in = m == SJ_CONV_INPUT_GRAD ? o : a, *w = m == SJ_CONV_FILTER_GRAD ? o : b;
  const sj_type *g = m == SJ_CONV_FORWARD ? o : m == SJ_CONV_INPUT_GRAD ? a : b;
  sj_type want;
  if (conv_shape(c, op, in, w, &want)) return SJ_ERR_VERIFY;
  bool fits = g->is_tensor && g->dt == want.dt && g->rank == 4;
  for (int i = 0; fits && i < 4; i++) fits = dims_match(g->dims[i], want.dims[i]);
  if (!fits)
    return err(c, op, "%s %s does not match the convolution's output %s", m ? "gradient" : "output buffer", TYS(g, x),
               TYS(&want, y));
  if (m && sj_op_attr(op, "epilogue")) return err(c, op, "an epilogue needs mode \"forward\", got \"%s\"", mode);
  return verify_epilogue(c, op, o, 3);
}

/* ---- random streams (docs/decisions/0018-random.md) ---- */

/* random_skip: the next state, i64[2] like the one it advances. */
static sj_status infer_random_skip(sj_ctx *c, const sj_op *op, sj_type *out) {
  (void)c, (void)op;
  *out = sj_tensor_type(SJ_I64, 1, (const int64_t[]){2});
  return SJ_OK;
}

static double float_attr(const sj_op *op, const char *name) {
  const sj_attr *a = sj_op_attr(op, name);
  return a && a->kind == SJ_ATTR_FLOAT ? a->u.f : 0; /* kinds checked by sj_verify_attrs */
}

/* The distribution's parameters: finite, lo <= hi, std >= 0, p in [0, 1]. */
static sj_status verify_random_params(sj_ctx *c, const sj_op *op) {
  if (op->code == SJ_OP_RANDOM_UNIFORM) {
    double lo = float_attr(op, "lo"), hi = float_attr(op, "hi");
    if (!isfinite(lo) || !isfinite(hi) || !(lo <= hi))
      return err(c, op, "needs finite lo <= hi, got lo = %g and hi = %g", lo, hi);
  } else if (op->code == SJ_OP_RANDOM_NORMAL) {
    double m = float_attr(op, "mean"), s = float_attr(op, "std");
    if (!isfinite(m) || !isfinite(s) || !(s >= 0))
      return err(c, op, "needs a finite mean and a finite std >= 0, got mean = %g and std = %g", m, s);
  } else if (op->code == SJ_OP_RANDOM_BERNOULLI) {
    double p = float_attr(op, "p");
    if (!(p >= 0 && p <= 1)) return err(c, op, "needs p in [0, 1], got %g", p);
  } else if (op->code == SJ_OP_RANDOM_SKIP && sj_op_int(op, "count", 1) < 0) {
    return err(c, op, "needs count >= 0, got %lld", (long long)sj_op_int(op, "count", 1));
  }
  return SJ_OK;
}

/* The shape of a draw: exactly %like's when given, else static. */
static sj_status verify_random_shape(sj_ctx *c, const sj_op *op, const sj_type *r) {
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  if (op->nopnds < 2) {
    if (sj_type_numel(r) < 0)
      return err(c, op, "result %s has a dynamic dim: give a tensor to take the shape from", TYS(r, x));
    return SJ_OK;
  }
  const sj_type *l = &sj_opnd(op, 1)->type;
  bool same = l->is_tensor && l->rank == r->rank;
  for (int k = 0; same && k < r->rank; k++) same = l->dims[k] == r->dims[k];
  if (!same) return err(c, op, "result %s must have the shape of %s", TYS(r, x), TYS(l, y));
  return SJ_OK;
}

/* categorical %s, %w: w [..., k] f32/f64 with k not statically 0; one
 * i32/i64 index per row, shaped as w without its last axis. */
static sj_status verify_random_categorical(sj_ctx *c, const sj_op *op, const sj_type *r) {
  const sj_type *w = &sj_opnd(op, 1)->type;
  char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
  if (!w->is_tensor || w->rank < 1 || (w->dt != SJ_F32 && w->dt != SJ_F64))
    return err(c, op, "weights must be an f32 or f64 tensor of rank >= 1, got %s", TYS(w, x));
  if (w->dims[w->rank - 1] == 0) return err(c, op, "weights %s have no categories (last dim 0)", TYS(w, x));
  bool same = r->rank == w->rank - 1 && (r->dt == SJ_I32 || r->dt == SJ_I64);
  for (int k = 0; same && k < r->rank; k++) same = r->dims[k] == w->dims[k];
  if (!same) return err(c, op, "result %s must be i32 or i64 shaped as the weights %s without their last axis", TYS(r, x), TYS(w, y));
  return SJ_OK;
}

static sj_status verify_random(sj_ctx *c, const sj_op *op) {
  const sj_type *s = &sj_opnd(op, 0)->type, *r = &sj_res(op, 0)->type;
  char x[SJ_TYPE_STR_CAP];
  if (!s->is_tensor || s->dt != SJ_I64 || s->rank != 1 || s->dims[0] != 2)
    return err(c, op, "stream state must be i64[2] (key, counter), got %s", TYS(s, x));
  if (!r->is_tensor) return err(c, op, "result must be a tensor, got %s", TYS(r, x));
  if (verify_random_params(c, op)) return SJ_ERR_VERIFY;
  if (op->code == SJ_OP_RANDOM_CATEGORICAL) return verify_random_categorical(c, op, r);
  if (op->code == SJ_OP_RANDOM_SKIP) {
    if (op->nopnds > 1 && !sj_opnd(op, 1)->type.is_tensor) return err(c, op, "the tensor it counts must be a tensor");
    return SJ_OK;
  }
  bool ok = r->dt == SJ_F32 || r->dt == SJ_F64 || (op->code == SJ_OP_RANDOM_BERNOULLI && r->dt == SJ_BOOL);
  if (!ok)
    return err(c, op, "result must be f32 or f64%s, got %s", op->code == SJ_OP_RANDOM_BERNOULLI ? " (or bool)" : "",
               TYS(r, x));
  return verify_random_shape(c, op, r);
}

/* ---- scalar evaluation (constant folding) ---- */

#define EVAL1(NAME, EXPR)                                         \
  static bool NAME(sj_dtype dt, const double *in, double *out) {  \
    double a = in[0];                                             \
    (void)dt;                                                     \
    *out = (EXPR);                                                \
    return true;                                                  \
  }
#define EVAL2(NAME, EXPR)                                         \
  static bool NAME(sj_dtype dt, const double *in, double *out) {  \
    double a = in[0], b = in[1];                                  \
    (void)dt;                                                     \
    *out = (EXPR);                                                \
    return true;                                                  \
  }

EVAL1(eval_identity, a)
EVAL1(eval_neg, -a)
EVAL1(eval_abs, fabs(a))
EVAL1(eval_sign, a > 0 ? 1.0 : a < 0 ? -1.0 : a) /* 0, -0 and NaN: themselves (as the compiled rule, numpy) */
EVAL1(eval_exp, exp(a))
EVAL1(eval_log, log(a))
EVAL1(eval_log1p, log1p(a))
EVAL1(eval_expm1, expm1(a))
EVAL1(eval_sqrt, sqrt(a))
EVAL1(eval_rsqrt, 1.0 / sqrt(a))
EVAL1(eval_tanh, tanh(a))
EVAL1(eval_sigmoid, a >= 0 ? 1.0 / (1.0 + exp(-a)) : exp(a) / (1.0 + exp(a))) /* no overflow: scalar_ops.c */
EVAL1(eval_softplus, a > 0 ? a + log1p(exp(-a)) : log1p(exp(a)))
EVAL2(eval_add, a + b)
EVAL2(eval_sub, a - b)
EVAL2(eval_mul, a * b)
EVAL2(eval_pow, pow(a, b))
/* max + log1p(exp(-|a - b|)); an infinite max is the result (the formula
 * would give inf - inf = NaN for two equal infinities); NaN propagates. */
static double logaddexp_d(double a, double b) {
  if (isnan(a) || isnan(b)) return NAN;
  double m = a > b ? a : b;
  return isinf(m) ? m : m + log1p(exp(-fabs(a - b)));
}
EVAL2(eval_logaddexp, logaddexp_d(a, b))
EVAL2(eval_maximum, a != a || b != b ? NAN : (a > b ? a : b))
EVAL2(eval_minimum, a != a || b != b ? NAN : (a < b ? a : b))
EVAL2(eval_eq, (double)(a == b))
EVAL2(eval_ne, (double)(a != b))
EVAL2(eval_lt, (double)(a < b))
EVAL2(eval_le, (double)(a <= b))
EVAL2(eval_gt, (double)(a > b))
EVAL2(eval_ge, (double)(a >= b))

/* Integer division truncates toward zero (C semantics); by zero is not folded. */
static bool eval_div(sj_dtype dt, const double *in, double *out) {
  if (sj_dtype_is_float(dt)) {
    *out = in[0] / in[1];
    return true;
  }
  if (in[1] == 0) return false;
  *out = trunc(in[0] / in[1]);
  return true;
}

static bool eval_select(sj_dtype dt, const double *in, double *out) {
  (void)dt;
  *out = in[0] != 0 ? in[1] : in[2];
  return true;
}

/* ---- the table ---- */

#define PURE SJ_F_PURE
#define CONSTANT SJ_F_CONSTANT
#define SCALAR SJ_F_SCALAR
#define TENSOR SJ_F_TENSOR
#define BROADCAST SJ_F_BROADCAST
#define EXPENSIVE SJ_F_EXPENSIVE
#define COMMUTATIVE SJ_F_COMMUTATIVE
#define SYMBOL SJ_F_SYMBOL
#define ISOLATED SJ_F_ISOLATED
#define TERMINATOR SJ_F_TERMINATOR
#define LOOP SJ_F_LOOP
#define READS SJ_F_READS
#define WRITES SJ_F_WRITES
#define ALLOCATES SJ_F_ALLOCATES
#define MEAN SJ_F_MEAN
#define COND_FIRST SJ_F_COND_FIRST
#define GRAPH_ONLY SJ_F_GRAPH_ONLY
#define EW (SJ_F_PURE | SJ_F_ELEMWISE | SJ_F_SCALAR | SJ_F_TENSOR)
#define NONE NULL

/* Rules between columns: COMBINE and IDENTITY come as a pair, MEAN needs a
 * COMBINE, an elementwise op (fused bodies, kernels, folding) needs EVAL
 * and SCALAR. REDUCE and NO_VJP are derived from the COMBINE and VJP
 * columns so they cannot disagree with them. */
#define SJ_OP(ID, NAME, MINO, MAXO, NRES, NREG, FLAGS, ATTRS, INFER, VERIFY, EVAL, COMBINE, IDENTITY, EMIT, SCALAR_CG, VJP, PLAN, REF) \
  _Static_assert((SJ_OP_##COMBINE == SJ_OP_NONE) == (SJ_IDENTITY_##IDENTITY == SJ_IDENTITY_NONE),                      \
                 "ops.def row " #ID ": a reduction names both its COMBINE and its IDENTITY");                          \
  _Static_assert(!((FLAGS) & SJ_F_MEAN) || SJ_OP_##COMBINE != SJ_OP_NONE, "ops.def row " #ID ": MEAN needs a COMBINE"); \
  _Static_assert(!((FLAGS) & SJ_F_ELEMWISE) || !SJ_COLUMN_IS_NONE(SJ_COLUMN_PROBE_##EVAL),                              \
                 "ops.def row " #ID ": an elementwise op needs an EVAL rule (folding, reference evaluator)");          \
  _Static_assert(!((FLAGS) & SJ_F_ELEMWISE) || !SJ_COLUMN_IS_NONE(SJ_COLUMN_PROBE_##SCALAR_CG),                         \
                 "ops.def row " #ID ": an elementwise op needs a SCALAR rule (kernels)");
#include "ops.def"
#undef SJ_OP

static const sj_opinfo op_table[] = {
#define SJ_OP(ID, NAME, MINO, MAXO, NRES, NREG, FLAGS, ATTRS, INFER, VERIFY, EVAL, COMBINE, IDENTITY, EMIT, SCALAR_CG, VJP, PLAN, REF) \
  {NAME, MINO, MAXO, NRES, NREG,                                                                                       \
   (FLAGS) | (SJ_OP_##COMBINE != SJ_OP_NONE ? SJ_F_REDUCE : 0u) |                                                      \
       (SJ_COLUMN_IS_NONE(SJ_COLUMN_PROBE_##VJP) ? SJ_F_NO_VJP : 0u),                                                  \
   ATTRS, INFER, VERIFY, EVAL, SJ_OP_##COMBINE, SJ_IDENTITY_##IDENTITY},
#include "ops.def"
#undef SJ_OP
};
#undef NONE

_Static_assert(sizeof op_table / sizeof op_table[0] == SJ_OP_COUNT, "every opcode has a row");

const sj_opinfo *sj_opinfo_get(sj_opcode code) { return &op_table[code]; }

bool sj_opcode_lookup(const char *name, size_t n, sj_opcode *out) {
  for (int i = 0; i < SJ_OP_COUNT; i++)
    if (strlen(op_table[i].name) == n && memcmp(op_table[i].name, name, n) == 0) {
      *out = (sj_opcode)i;
      return true;
    }
  return false;
}

/* ---- reductions ---- */

/* The identity some reduction row pairs with combine `code`. */
static sj_identity identity_of(sj_opcode code) {
  for (int i = 0; i < SJ_OP_COUNT; i++)
    if (op_table[i].combine == code) return op_table[i].identity;
  return SJ_IDENTITY_NONE;
}

bool sj_is_combine(sj_opcode code) { return code != SJ_OP_NONE && identity_of(code) != SJ_IDENTITY_NONE; }

sj_attr sj_combine_identity(sj_opcode code, sj_dtype dt) {
  sj_identity id = identity_of(code);
  bool one = id == SJ_IDENTITY_ONE, low = id == SJ_IDENTITY_LOWEST, high = id == SJ_IDENTITY_HIGHEST;
  if (sj_dtype_is_float(dt))
    return (sj_attr){.name = "value", .kind = SJ_ATTR_FLOAT, .u.f = one ? 1.0 : low ? -INFINITY : high ? INFINITY : 0.0};
  int64_t i = one ? 1 : low ? sj_dtype_int_min(dt) : high ? sj_dtype_int_max(dt) : 0;
  return (sj_attr){.name = "value", .kind = SJ_ATTR_INT, .u.i = i};
}

sj_dtype sj_accumulate_dtype(sj_dtype dt) { return dt == SJ_F16 || dt == SJ_BF16 ? SJ_F32 : dt; }

bool sj_reduce_info_get(const sj_op *op, sj_reduce_info *out) {
  const sj_opinfo *oi = sj_opinfo_get(op->code);
  if (oi->combine == SJ_OP_NONE || op->nopnds != 1) return false;
  const sj_type *t = &sj_opnd(op, 0)->type;
  int64_t bad;
  bool twice;
  *out = (sj_reduce_info){.combine = oi->combine, .mean = (oi->flags & SJ_F_MEAN) != 0, .rank = t->rank, .dt = t->dt};
  out->keepdims = sj_op_bool(op, "keepdims", false);
  if (!decode_axes(op, t->rank, &out->mask, &bad, &twice)) return false;
  /* max/min are exact in any dtype; sums and products of halves are not */
  bool exact = oi->combine == SJ_OP_MAXIMUM || oi->combine == SJ_OP_MINIMUM;
  out->acc_dt = exact ? t->dt : sj_accumulate_dtype(t->dt);
  out->identity = sj_combine_identity(oi->combine, out->acc_dt);
  return true;
}

sj_dtype sj_op_compute_dtype(const sj_op *op) {
  unsigned i = sj_op_has(op, SJ_F_COND_FIRST) ? 1 : 0;
  return i < op->nopnds ? sj_opnd(op, i)->type.dt : sj_res(op, 0)->type.dt;
}

/* ---- generic attribute check against the row's spec ---- */

static bool kind_ok(const char *k, size_t n, sj_attr_kind kind) {
#define IS(s) (n == sizeof(s) - 1 && memcmp(k, s, n) == 0)
  if (IS("int")) return kind == SJ_ATTR_INT;
  if (IS("float")) return kind == SJ_ATTR_FLOAT;
  if (IS("bool")) return kind == SJ_ATTR_BOOL;
  if (IS("ints")) return kind == SJ_ATTR_INTS;
  if (IS("str")) return kind == SJ_ATTR_STR;
  if (IS("dtype")) return kind == SJ_ATTR_DTYPE;
  if (IS("dense")) return kind == SJ_ATTR_DENSE;
  if (IS("sym")) return kind == SJ_ATTR_SYM;
  if (IS("num")) return kind == SJ_ATTR_INT || kind == SJ_ATTR_FLOAT || kind == SJ_ATTR_DENSE;
#undef IS
  return false;
}

static const char *attr_kind_name(sj_attr_kind k) {
  static const char *const names[] = {"int", "float", "bool", "ints", "str", "dtype", "dense", "sym"};
  return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* Finds `name` in the spec; sets the kind word and optional flag. */
static bool spec_find(const char *spec, const char *name, const char **kind, size_t *klen,
                      bool *optional) {
  size_t nl = strlen(name);
  const char *p = spec;
  while (*p) {
    while (*p == ' ') p++;
    const char *colon = strchr(p, ':');
    if (!colon) break;
    const char *end = colon + 1;
    while (*end && *end != ' ') end++;
    if ((size_t)(colon - p) == nl && memcmp(p, name, nl) == 0) {
      *kind = colon + 1;
      *klen = (size_t)(end - colon - 1);
      *optional = *klen && (*kind)[*klen - 1] == '?';
      if (*optional) (*klen)--;
      return true;
    }
    p = end;
  }
  return false;
}

sj_status sj_verify_attrs(sj_ctx *c, const sj_op *op) {
  const char *spec = sj_opinfo_get(op->code)->attrs;
  const char *k;
  size_t kl;
  bool opt;
  for (unsigned i = 0; i < op->nattrs; i++) {
    const sj_attr *a = &op->attrs[i];
    /* dotted names are discardable annotations (MLIR's dialect attributes):
     * any kind, on any op, unchecked; rewrites may drop them */
    if (strchr(a->name, '.')) continue;
    if (!spec_find(spec, a->name, &k, &kl, &opt))
      return err(c, op, "has no attribute '%s'", a->name);
    if (!kind_ok(k, kl, a->kind))
      return err(c, op, "attribute '%s' must be of kind %.*s, got %s", a->name, (int)kl, k,
                 attr_kind_name(a->kind));
  }
  /* required attributes present */
  const char *p = spec;
  while (*p) {
    while (*p == ' ') p++;
    const char *colon = strchr(p, ':');
    if (!colon) break;
    const char *end = colon + 1;
    while (*end && *end != ' ') end++;
    bool optional = end[-1] == '?';
    char name[64];
    size_t nl = (size_t)(colon - p) < sizeof name - 1 ? (size_t)(colon - p) : sizeof name - 1;
    memcpy(name, p, nl);
    name[nl] = '\0';
    if (!optional && !sj_op_attr(op, name))
      return err(c, op, "requires attribute '%s'", name);
    p = end;
  }
  return SJ_OK;
}
