/* Reference evaluator (double precision). Values are dense row-major double
 * arrays with concrete dims; integer dtypes wrap to their width and truncate
 * like the compiled code, float results are not rounded to f32 (the
 * reference is more precise than what it checks). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"
#include "ref_eval.h"

typedef struct rv {
  int rank;
  int64_t dims[SJ_MAX_RANK];
  double *v;
  sj_dtype dt;
} rv;

typedef struct ev {
  sj_ctx *c;
  rv *vals; /* by slot: func args first, then op results (op->scratch) */
  int n;
} ev;

static int64_t rv_numel(const rv *x) {
  int64_t n = 1;
  for (int i = 0; i < x->rank; i++) n *= x->dims[i];
  return n;
}

static bool rv_alloc(rv *x) {
  int64_t n = rv_numel(x);
  x->v = calloc((size_t)(n > 0 ? n : 1), sizeof *x->v);
  return x->v != NULL;
}

static sj_status err(ev *e, const sj_op *op, const char *msg) {
  return sj_emit_error(e->c, op->loc, "reference evaluator: '%s' op: %s", sj_op_name(op), msg);
}

static rv *slot(ev *e, const sj_value *v) {
  return &e->vals[v->def ? v->def->scratch + v->index : v->index];
}

/* Wraps integer results to the dtype's width, as the compiled code does. */
static double to_dtype(double x, sj_dtype dt) {
  if (dt == SJ_BOOL) return x != 0;
  if (!sj_dtype_is_int(dt)) return x;
  if (isnan(x) || isinf(x)) return 0;
  int64_t i = (int64_t)trunc(x);
  if (dt == SJ_I8) return (double)(int8_t)(uint8_t)(uint64_t)i;
  if (dt == SJ_I32) return (double)(int32_t)(uint32_t)(uint64_t)i;
  return (double)i;
}

/* Index of output element `lin` in a broadcast operand. */
static int64_t bcast_index(const rv *out, const rv *in, int64_t lin) {
  return sj_broadcast_index(out->dims, out->rank, in->dims, in->rank, lin);
}

static sj_status elementwise(ev *e, const sj_op *op, rv *out) {
  const sj_opinfo *oi = sj_opinfo_get(op->code);
  rv *in[3];
  out->rank = 0;
  for (unsigned i = 0; i < op->nopnds; i++) {
    in[i] = slot(e, sj_opnd(op, i));
    if (in[i]->rank > out->rank) out->rank = in[i]->rank;
  }
  for (int k = 0; k < out->rank; k++) {
    int64_t d = 1;
    for (unsigned i = 0; i < op->nopnds; i++) {
      int j = in[i]->rank - out->rank + k;
      int64_t x = j >= 0 ? in[i]->dims[j] : 1;
      if (x != 1 && d != 1 && x != d) return err(e, op, "operand shapes do not broadcast at run time");
      if (x != 1) d = x;
    }
    out->dims[k] = d;
  }
  if (!rv_alloc(out)) return err(e, op, "out of memory");
  sj_dtype odt = in[op->code == SJ_OP_SELECT ? 1 : 0]->dt;
  int64_t n = rv_numel(out);
  for (int64_t l = 0; l < n; l++) {
    double a[3], r = 0;
    for (unsigned i = 0; i < op->nopnds; i++) a[i] = in[i]->v[bcast_index(out, in[i], l)];
    if (!oi->eval(odt, a, &r)) r = 0; /* integer division by zero gives 0 */
    out->v[l] = to_dtype(r, out->dt);
  }
  return SJ_OK;
}

static sj_status reduce(ev *e, const sj_op *op, rv *out) {
  rv *x = slot(e, sj_opnd(op, 0));
  const sj_attr *ax = sj_op_attr(op, "axes");
  unsigned mask = 0;
  for (int i = 0; ax && i < ax->u.ints.n; i++)
    mask |= 1u << (ax->u.ints.v[i] < 0 ? ax->u.ints.v[i] + x->rank : ax->u.ints.v[i]);
  if (!ax || !ax->u.ints.n) mask = (1u << x->rank) - 1;
  bool keep = sj_op_bool(op, "keepdims", false);
  out->rank = 0;
  for (int k = 0; k < x->rank; k++)
    if (!(mask & (1u << k)) || keep) out->dims[out->rank++] = (mask & (1u << k)) ? 1 : x->dims[k];
  if (!rv_alloc(out)) return err(e, op, "out of memory");
  int64_t n = rv_numel(out), total = rv_numel(x), count = n ? total / n : 0;
  double init = op->code == SJ_OP_PROD ? 1 : op->code == SJ_OP_MAX ? -INFINITY : op->code == SJ_OP_MIN ? INFINITY : 0;
  for (int64_t i = 0; i < n; i++) out->v[i] = init;
  for (int64_t l = 0; l < total; l++) {
    int64_t rem = l, o = 0, stride = 1;
    for (int k = x->rank - 1; k >= 0; k--) {
      int64_t ik = rem % x->dims[k];
      rem /= x->dims[k];
      if (mask & (1u << k)) continue;
      o += ik * stride;
      stride *= x->dims[k];
    }
    double v = x->v[l], *acc = &out->v[o];
    if (op->code == SJ_OP_PROD) *acc *= v;
    else if (op->code == SJ_OP_MAX) *acc = (isnan(v) || v > *acc) ? v : *acc;
    else if (op->code == SJ_OP_MIN) *acc = (isnan(v) || v < *acc) ? v : *acc;
    else *acc += v;
  }
  for (int64_t i = 0; i < n; i++) {
    if (op->code == SJ_OP_MEAN) out->v[i] /= (double)count;
    out->v[i] = to_dtype(out->v[i], out->dt);
  }
  return SJ_OK;
}

static sj_status transpose(ev *e, const sj_op *op, rv *out) {
  rv *x = slot(e, sj_opnd(op, 0));
  const sj_attr *p = sj_op_attr(op, "perm");
  out->rank = x->rank;
  for (int k = 0; k < x->rank; k++) out->dims[k] = x->dims[p->u.ints.v[k]];
  if (!rv_alloc(out)) return err(e, op, "out of memory");
  int64_t n = rv_numel(out), xs[SJ_MAX_RANK], s = 1;
  for (int k = x->rank - 1; k >= 0; k--) xs[k] = s, s *= x->dims[k];
  for (int64_t l = 0; l < n; l++) {
    int64_t rem = l, src = 0;
    for (int k = out->rank - 1; k >= 0; k--) {
      src += (rem % out->dims[k]) * xs[p->u.ints.v[k]];
      rem /= out->dims[k];
    }
    out->v[l] = x->v[src];
  }
  return SJ_OK;
}

static sj_status matmul(ev *e, const sj_op *op, rv *out) {
  rv *a = slot(e, sj_opnd(op, 0)), *b = slot(e, sj_opnd(op, 1));
  int64_t m = a->dims[a->rank - 2], k = a->dims[a->rank - 1], n = b->dims[b->rank - 1];
  if (b->dims[b->rank - 2] != k) return err(e, op, "contracting dims differ at run time");
  rv ba = *a, bb = *b, bo = {0};
  ba.rank -= 2, bb.rank -= 2;
  bo.rank = ba.rank > bb.rank ? ba.rank : bb.rank;
  for (int i = 0; i < bo.rank; i++) {
    int ia = ba.rank - bo.rank + i, ib = bb.rank - bo.rank + i;
    int64_t da = ia >= 0 ? ba.dims[ia] : 1, db = ib >= 0 ? bb.dims[ib] : 1;
    bo.dims[i] = da > db ? da : db;
  }
  *out = (rv){.rank = bo.rank + 2, .dt = out->dt};
  memcpy(out->dims, bo.dims, sizeof bo.dims);
  out->dims[bo.rank] = m, out->dims[bo.rank + 1] = n;
  if (!rv_alloc(out)) return err(e, op, "out of memory");
  int64_t nb = rv_numel(&bo);
  for (int64_t t = 0; t < nb; t++) {
    int64_t ia = bcast_index(&bo, &ba, t), ib = bcast_index(&bo, &bb, t);
    const double *A = a->v + ia * m * k, *B = b->v + ib * k * n;
    double *C = out->v + t * m * n;
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) {
        double s = 0;
        for (int64_t q = 0; q < k; q++) s += A[i * k + q] * B[q * n + j];
        C[i * n + j] = s;
      }
  }
  return SJ_OK;
}

/* ---- take, take_along_axis and their scatter_add adjoints ---- */

/* numpy's wrap of a negative index, then a clamp into [0, n) (n > 0). */
static int64_t norm_index(double raw, int64_t n) {
  int64_t i = (int64_t)raw;
  if (i < 0) i += n;
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/* Offset in x (the indexed tensor) of element `lin` of the index space
 * `sp` (the take's result; the scatter's updates). */
static int64_t take_offset(bool along, int k, const rv *x, const rv *idx, const rv *sp, int64_t lin) {
  int64_t c[SJ_MAX_RANK], rem = lin, ipos = 0, off = 0;
  for (int d = sp->rank - 1; d >= 0; d--) c[d] = rem % sp->dims[d], rem /= sp->dims[d];
  if (along) {
    ipos = sj_broadcast_index(sp->dims, sp->rank, idx->dims, idx->rank, lin);
  } else {
    for (int d = 0; d < idx->rank; d++) ipos = ipos * idx->dims[d] + c[k + d];
  }
  int64_t i = norm_index(idx->v[ipos], x->dims[k]);
  for (int d = 0; d < x->rank; d++) {
    int64_t cd = d == k ? i : along ? (x->dims[d] == 1 ? 0 : c[d]) : c[d < k ? d : d + idx->rank - 1];
    off = off * x->dims[d] + cd;
  }
  return off;
}

/* Runtime shape of take(x, idx): see infer_take / infer_take_along. */
static void take_shape(bool along, int k, const rv *x, const rv *idx, rv *out) {
  out->rank = 0;
  if (along) {
    out->rank = x->rank;
    for (int d = 0; d < x->rank; d++) out->dims[d] = d == k || x->dims[d] == 1 ? idx->dims[d] : x->dims[d];
    return;
  }
  for (int d = 0; d < k; d++) out->dims[out->rank++] = x->dims[d];
  for (int d = 0; d < idx->rank; d++) out->dims[out->rank++] = idx->dims[d];
  for (int d = k + 1; d < x->rank; d++) out->dims[out->rank++] = x->dims[d];
}

static sj_status take(ev *e, const sj_op *op, rv *out) {
  bool scatter = op->code == SJ_OP_SCATTER_ADD || op->code == SJ_OP_SCATTER_ADD_ALONG_AXIS;
  bool along = op->code == SJ_OP_TAKE_ALONG_AXIS || op->code == SJ_OP_SCATTER_ADD_ALONG_AXIS;
  rv *x = slot(e, sj_opnd(op, scatter ? 2 : 0)), *idx = slot(e, sj_opnd(op, 1)), sp = {0};
  int k = (int)sj_op_int(op, "axis", 0);
  if (k < 0) k += x->rank;
  if (x->dims[k] == 0) return err(e, op, "the indexed axis is empty at run time");
  take_shape(along, k, x, idx, &sp);
  if (scatter) {
    rv *g = slot(e, sj_opnd(op, 0));
    if (g->rank != sp.rank || memcmp(g->dims, sp.dims, (size_t)sp.rank * sizeof *sp.dims))
      return err(e, op, "update shape does not match at run time");
    out->rank = x->rank;
    memcpy(out->dims, x->dims, sizeof out->dims);
    if (!rv_alloc(out)) return err(e, op, "out of memory");
    for (int64_t l = 0, n = rv_numel(g); l < n; l++) out->v[take_offset(along, k, x, idx, g, l)] += g->v[l];
    return SJ_OK;
  }
  out->rank = sp.rank;
  memcpy(out->dims, sp.dims, sizeof out->dims);
  if (!rv_alloc(out)) return err(e, op, "out of memory");
  for (int64_t l = 0, n = rv_numel(out); l < n; l++) out->v[l] = x->v[take_offset(along, k, x, idx, out, l)];
  return SJ_OK;
}

static sj_status reshape_like(ev *e, const sj_op *op, rv *out, bool broadcast) {
  rv *x = slot(e, sj_opnd(op, 0));
  const sj_type *t = &sj_res(op, 0)->type;
  out->rank = t->rank;
  int64_t known = 1, total = rv_numel(x);
  int dyn = -1;
  for (int k = 0; k < t->rank; k++) {
    out->dims[k] = t->dims[k];
    if (t->dims[k] == SJ_DYN) {
      int j = x->rank - t->rank + k;
      out->dims[k] = broadcast && j >= 0 ? x->dims[j] : 0;
      if (!broadcast) dyn = k;
    } else known *= t->dims[k];
  }
  if (!broadcast && dyn >= 0) out->dims[dyn] = known ? total / known : 0;
  if (!rv_alloc(out)) return err(e, op, "out of memory");
  int64_t n = rv_numel(out);
  if (!broadcast && n != total) return err(e, op, "element count changes at run time");
  for (int64_t l = 0; l < n; l++) out->v[l] = x->v[broadcast ? bcast_index(out, x, l) : l];
  return SJ_OK;
}

static sj_status constant(ev *e, const sj_op *op, rv *out) {
  const sj_type *t = &sj_res(op, 0)->type;
  const sj_attr *a = sj_op_attr(op, "value");
  out->rank = t->is_tensor ? t->rank : 0;
  memcpy(out->dims, t->dims, sizeof t->dims);
  if (!rv_alloc(out)) return err(e, op, "out of memory");
  int64_t n = rv_numel(out);
  for (int64_t i = 0; i < n; i++)
    out->v[i] = a->kind == SJ_ATTR_DENSE ? a->u.dense.v[i] : a->kind == SJ_ATTR_FLOAT ? a->u.f : (double)a->u.i;
  return SJ_OK;
}

/* fused: evaluate the scalar body at each element of the iteration space */
static sj_status fused(ev *e, const sj_op *op) {
  const sj_block *b = op->regions[0];
  rv *outs[64];
  if (op->nresults > 64) return err(e, op, "too many results");
  rv space = {.rank = 0};
  for (unsigned i = 0; i < op->nopnds; i++) {
    rv *x = slot(e, sj_opnd(op, i));
    if (x->rank > space.rank) space.rank = x->rank;
  }
  const sj_type *rt = &sj_res(op, 0)->type;
  space.rank = rt->rank;
  for (int k = 0; k < rt->rank; k++) {
    space.dims[k] = 1;
    for (unsigned i = 0; i < op->nopnds; i++) {
      rv *x = slot(e, sj_opnd(op, i));
      int j = x->rank - rt->rank + k;
      if (j >= 0 && x->dims[j] != 1) space.dims[k] = x->dims[j];
    }
  }
  for (unsigned r = 0; r < op->nresults; r++) {
    outs[r] = slot(e, sj_res(op, r));
    *outs[r] = space;
    outs[r]->dt = sj_res(op, r)->type.dt;
    if (!rv_alloc(outs[r])) return err(e, op, "out of memory");
  }
  int64_t n = rv_numel(&space);
  sj_op_vec body = {0};
  for (sj_op *o = b->first; o; o = o->next) sj_op_vec_push(&body, o);
  double *sv = calloc(b->nargs + body.n + 1, sizeof *sv); /* scalar values: args, then ops */
  if (!sv || body.failed) {
    free(sv);
    sj_op_vec_free(&body);
    return err(e, op, "out of memory");
  }
  for (size_t k = 0; k < body.n; k++) body.v[k]->scratch = (unsigned)(b->nargs + k);
  for (int64_t l = 0; l < n; l++) {
    for (unsigned i = 0; i < op->nopnds; i++) sv[i] = slot(e, sj_opnd(op, i))->v[bcast_index(&space, slot(e, sj_opnd(op, i)), l)];
    for (size_t k = 0; k < body.n; k++) {
      const sj_op *o = body.v[k];
      double a[3] = {0};
      for (unsigned i = 0; i < o->nopnds && i < 3; i++) {
        const sj_value *v = sj_opnd(o, i);
        a[i] = sv[v->def ? v->def->scratch : v->index];
      }
      if (o->code == SJ_OP_YIELD) {
        for (unsigned r = 0; r < o->nopnds; r++) outs[r]->v[l] = a[r < 3 ? r : 0];
        for (unsigned r = 3; r < o->nopnds; r++) {
          const sj_value *v = sj_opnd(o, r);
          outs[r]->v[l] = sv[v->def ? v->def->scratch : v->index];
        }
      } else if (o->code == SJ_OP_CONSTANT) {
        const sj_attr *c = sj_op_attr(o, "value");
        sv[o->scratch] = c->kind == SJ_ATTR_FLOAT ? c->u.f : (double)c->u.i;
      } else {
        double r = 0;
        sj_dtype dt = sj_opnd(o, o->code == SJ_OP_SELECT ? 1 : 0)->type.dt;
        if (!sj_opinfo_get(o->code)->eval(dt, a, &r)) r = 0;
        sv[o->scratch] = to_dtype(r, sj_res(o, 0)->type.dt);
      }
    }
  }
  free(sv);
  sj_op_vec_free(&body);
  return SJ_OK;
}

static sj_status eval_op(ev *e, const sj_op *op) {
  if (op->code == SJ_OP_FUSED) return fused(e, op);
  rv *out = op->nresults ? slot(e, sj_res(op, 0)) : NULL;
  if (out) out->dt = sj_res(op, 0)->type.dt;
  unsigned f = sj_opinfo_get(op->code)->flags;
  if (op->code == SJ_OP_CONSTANT) return constant(e, op, out);
  if (f & SJ_F_ELEMWISE) return elementwise(e, op, out);
  if (f & SJ_F_REDUCE) return reduce(e, op, out);
  if (op->code == SJ_OP_TRANSPOSE) return transpose(e, op, out);
  if (op->code == SJ_OP_MATMUL) return matmul(e, op, out);
  if (op->code == SJ_OP_TAKE || op->code == SJ_OP_TAKE_ALONG_AXIS || op->code == SJ_OP_SCATTER_ADD ||
      op->code == SJ_OP_SCATTER_ADD_ALONG_AXIS)
    return take(e, op, out);
  if (op->code == SJ_OP_RESHAPE) return reshape_like(e, op, out, false);
  if (op->code == SJ_OP_BROADCAST_TO) return reshape_like(e, op, out, true);
  return err(e, op, "not supported (only tensor-level ops are)");
}

static sj_status load_inputs(ev *e, const sj_block *b, sj_tensor *const *in) {
  for (unsigned i = 0; i < b->nargs; i++) {
    rv *x = &e->vals[i];
    x->rank = sj_tensor_rank(in[i]);
    x->dt = b->args[i]->type.dt;
    memcpy(x->dims, sj_tensor_dims(in[i]), (size_t)x->rank * sizeof(int64_t));
    if (!rv_alloc(x)) return SJ_ERR_NOMEM;
    for (int64_t k = 0; k < rv_numel(x); k++) x->v[k] = sj_tensor_get(in[i], k);
  }
  return SJ_OK;
}

sj_status sj_ref_eval(sj_ctx *c, const sj_op *f, sj_tensor *const *in, size_t nin, sj_tensor **out,
                      size_t nout) {
  const sj_block *b = sj_func_body(f);
  const sj_op *ret = b->last;
  if (nin != b->nargs || !ret || ret->code != SJ_OP_RETURN || nout != ret->nopnds)
    return sj_emit_error(c, f->loc, "reference evaluator: wrong number of inputs or outputs");
  int n = (int)b->nargs;
  for (sj_op *op = b->first; op; op = op->next) {
    op->scratch = (unsigned)n;
    n += (int)op->nresults;
  }
  ev e = {.c = c, .vals = calloc((size_t)n + 1, sizeof(rv)), .n = n};
  if (!e.vals) return sj_emit_error(c, f->loc, "reference evaluator: out of memory");
  sj_status st = load_inputs(&e, b, in);
  for (sj_op *op = b->first; op && !st && op != ret; op = op->next) st = eval_op(&e, op);
  for (size_t i = 0; i < nout && !st; i++) {
    rv *x = slot(&e, sj_opnd(ret, (unsigned)i));
    out[i] = sj_tensor_new(SJ_F64, x->rank, x->dims);
    if (!out[i]) st = SJ_ERR_NOMEM;
    else memcpy(sj_tensor_data(out[i]), x->v, (size_t)rv_numel(x) * sizeof(double));
  }
  for (int i = 0; i < n; i++) free(e.vals[i].v);
  free(e.vals);
  return st;
}
