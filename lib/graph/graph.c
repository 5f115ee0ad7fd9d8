/* Graph building: one function per op, numpy broadcasting and shape checks
 * at build time through the op registry's inference and verifier, and a
 * sticky first error that names the call site, the op, the operand shapes
 * and the variables' names. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"
#include "support/checked.h"
#include "verify.h"

static void graph_free(void *p) {
  sj_graph *g = p;
  for (size_t i = 0; i < g->nleaves; i++) sj_tensor_free(g->leaves[i]->value);
  free(g->leaves);
  free(g);
}

sj_graph *sj_graph_of(sj_ctx *c) {
  sj_graph *g = sj_ctx_graph(c);
  if (g) return g;
  g = calloc(1, sizeof *g);
  if (!g) abort();
  g->block = sj_block_new(c, NULL);
  g->poison = sj_arena_alloc(c, sizeof *g->poison);
  g->poison->c = c;
  g->poison->kind = VAR_POISON;
  sj_ctx_set_graph(c, g, graph_free);
  return g;
}

void sj_graph_fail(sj_ctx *c, const char *file, int line, const char *fmt, ...) {
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return;
  g->failed = true;
  va_list ap;
  va_start(ap, fmt);
  sj_loc loc = {file ? sj_intern(c, file) : NULL, line, 0};
  sj_emit_verror(c, loc, fmt, ap);
  va_end(ap);
}

sj_var *sj_graph_var(sj_ctx *c, sj_value *v) {
  sj_graph *g = sj_graph_of(c);
  for (size_t i = 0; i < g->nleaves; i++)
    if (g->leaves[i]->v == v) return g->leaves[i];
  sj_var *x = sj_arena_alloc(c, sizeof *x);
  x->c = c;
  x->v = v;
  x->kind = VAR_NODE;
  x->name = v->name;
  return x;
}

static sj_var *add_leaf(sj_ctx *c, var_kind kind, const char *name, sj_type t) {
  sj_graph *g = sj_graph_of(c);
  sj_var *x = sj_arena_alloc(c, sizeof *x);
  x->c = c;
  x->kind = kind;
  x->name = name ? sj_intern(c, name) : NULL;
  /* leaves are arguments of a placeholder block (never printed) */
  x->v = sj_block_add_arg(c, g->block, t);
  x->v->name = x->name;
  if (g->nleaves == g->capleaves) {
    g->capleaves = g->capleaves ? 2 * g->capleaves : 16;
    g->leaves = realloc(g->leaves, g->capleaves * sizeof *g->leaves);
  }
  g->leaves[g->nleaves++] = x;
  return x;
}

static const char *describe(const sj_var *v, char *buf, size_t cap) {
  char t[SJ_TYPE_STR_CAP];
  sj_type_str(&v->v->type, t, sizeof t);
  if (v->name) snprintf(buf, cap, "'%s' %s", v->name, t);
  else if (v->v->def) snprintf(buf, cap, "(result of '%s') %s", sj_op_name(v->v->def), t);
  else snprintf(buf, cap, "%s", t);
  return buf;
}

sj_var *sj_input_at(sj_ctx *c, const char *name, sj_dtype dt, int rank, const int64_t *dims, const char *file,
                    int line) {
  if (!c) return NULL;
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return g->poison;
  if ((unsigned)dt >= SJ_DTYPE_COUNT || rank < 0 || rank > SJ_MAX_RANK || (rank && !dims)) {
    sj_graph_fail(c, file, line, "sj_input '%s': invalid dtype or rank %d (at most %d)", name ? name : "", rank,
                  SJ_MAX_RANK);
    return g->poison;
  }
  for (int i = 0; i < rank; i++)
    if (dims[i] < -1) {
      sj_graph_fail(c, file, line, "sj_input '%s': dim %d is %lld (use -1 for a dynamic dim)", name ? name : "", i,
                    (long long)dims[i]);
      return g->poison;
    }
  return add_leaf(c, VAR_INPUT, name, sj_tensor_type(dt, rank, dims));
}

sj_var *sj_shared_at(sj_ctx *c, const char *name, const sj_tensor *value, const char *file, int line) {
  if (!c) return NULL;
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return g->poison;
  if (!value) {
    sj_graph_fail(c, file, line, "sj_shared '%s': the initial value is NULL", name ? name : "");
    return g->poison;
  }
  sj_var *x = add_leaf(c, VAR_SHARED, name,
                       sj_tensor_type(sj_tensor_dtype(value), sj_tensor_rank(value), sj_tensor_dims(value)));
  x->value = sj_tensor_from(sj_tensor_dtype(value), sj_tensor_rank(value), sj_tensor_dims(value), sj_tensor_data(value));
  return x;
}

const sj_tensor *sj_shared_value(const sj_var *v) { return v && v->kind == VAR_SHARED ? v->value : NULL; }

sj_status sj_shared_set(sj_var *v, const sj_tensor *t) {
  if (!v || v->kind != VAR_SHARED || !t) return SJ_ERR_INVALID;
  const sj_type *ty = &v->v->type;
  bool ok = sj_tensor_dtype(t) == ty->dt && sj_tensor_rank(t) == ty->rank;
  for (int i = 0; ok && i < ty->rank; i++) ok = sj_tensor_dims(t)[i] == ty->dims[i];
  if (!ok) {
    char want[SJ_TYPE_STR_CAP];
    sj_loc none = {0};
    sj_emit_error(v->c, none, "sj_shared_set '%s': the value must be %s", v->name ? v->name : "",
                  sj_type_str(ty, want, sizeof want));
    return SJ_ERR_INVALID;
  }
  memcpy(sj_tensor_data(v->value), sj_tensor_data(t), sj_tensor_nbytes(t));
  return SJ_OK;
}

const char *sj_var_name(const sj_var *v) { return v && v->name ? v->name : ""; }
sj_dtype sj_var_dtype(const sj_var *v) { return v->v ? v->v->type.dt : SJ_F32; }
int sj_var_rank(const sj_var *v) { return v->v ? v->v->type.rank : 0; }
int64_t sj_var_dim(const sj_var *v, int axis) {
  return v->v && axis >= 0 && axis < v->v->type.rank ? v->v->type.dims[axis] : -1;
}

sj_var *sj_name(sj_var *v, const char *name) {
  if (!v || v->kind == VAR_POISON || !name) return v;
  v->name = sj_intern(v->c, name);
  v->v->name = v->name;
  return v;
}

/* ---- building ops ---- */

static sj_ctx *ctx_of(sj_var *const *args, unsigned n) {
  for (unsigned i = 0; i < n; i++)
    if (args[i]) return args[i]->c;
  return NULL;
}

static void operands_note(sj_ctx *c, const char *file, int line, const char *opname, sj_var *const *args,
                          unsigned n) {
  char msg[900], d[200];
  size_t k = (size_t)snprintf(msg, sizeof msg, "note: operands of '%s': ", opname);
  for (unsigned i = 0; i < n && k < sizeof msg; i++)
    k += (size_t)snprintf(msg + k, sizeof msg - k, "%s%s", i ? ", " : "", describe(args[i], d, sizeof d));
  sj_loc loc = {sj_intern(c, file ? file : "<unknown>"), line, 0};
  sj_emit_error(c, loc, "%s", msg);
}

sj_var *sj_graph_op(sj_opcode code, unsigned n, sj_var *const *args, const sj_type *declared, sj_attr_setter set,
                    const void *arg, const char *file, int line) {
  sj_ctx *c = ctx_of(args, n);
  if (!c) return NULL;
  sj_graph *g = sj_graph_of(c);
  const char *opname = sj_opinfo_get(code)->name;
  if (g->failed) return g->poison;
  sj_value *vals[4];
  for (unsigned i = 0; i < n; i++) {
    if (!args[i] || args[i]->c != c) {
      sj_graph_fail(c, file, line, "'%s': operand %u is %s", opname, i, args[i] ? "from another context" : "NULL");
      return g->poison;
    }
    if (args[i]->kind == VAR_POISON) return g->poison;
    vals[i] = args[i]->v;
  }
  sj_loc loc = {sj_intern(c, file ? file : "<unknown>"), line, 0};
  sj_type rt = declared ? *declared : sj_scalar_type(SJ_F32);
  sj_op *op = sj_op_new(c, code, n, vals, 1, &rt, 0, loc);
  if (set) set(c, op, arg);
  const sj_opinfo *oi = sj_opinfo_get(code);
  bool bad = sj_verify_attrs(c, op) != SJ_OK;
  if (!bad && oi->infer) bad = oi->infer(c, op, &sj_res(op, 0)->type) != SJ_OK;
  if (!bad) bad = sj_verify_op(c, op) != SJ_OK;
  if (bad) {
    g->failed = true;
    operands_note(c, file, line, opname, args, n);
    sj_op_drop_operands(op);
    return g->poison;
  }
  sj_block_append(g->block, op);
  return sj_graph_var(c, sj_res(op, 0));
}

static void set_value(sj_ctx *c, sj_op *op, const void *arg) {
  const double *v = arg;
  if (sj_dtype_is_float(sj_res(op, 0)->type.dt)) sj_op_set_float(c, op, "value", *v);
  else sj_op_set_int(c, op, "value", (int64_t)*v);
}

sj_var *sj_graph_const(sj_ctx *c, double v, sj_type t, const char *file, int line) {
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return g->poison;
  sj_loc loc = {sj_intern(c, file ? file : "<unknown>"), line, 0};
  sj_op *op = sj_op_new(c, SJ_OP_CONSTANT, 0, NULL, 1, &t, 0, loc);
  set_value(c, op, &v);
  sj_block_append(g->block, op);
  return sj_graph_var(c, sj_res(op, 0));
}

sj_var *sj_scalar_at(sj_ctx *c, double v, sj_dtype dt, const char *file, int line) {
  if (!c) return NULL;
  return sj_graph_const(c, v, sj_tensor_type(dt, 0, NULL), file, line);
}

/* Same dtype as x, rank 0. */
static sj_var *scalar_like(sj_var *x, double v, const char *file, int line) {
  if (!x || x->kind == VAR_POISON) return x;
  return sj_graph_const(x->c, v, sj_tensor_type(x->v->type.dt, 0, NULL), file, line);
}

#define DEF_UNARY(name, CODE)                                            \
  sj_var *sj_##name##_at(sj_var *x, const char *file, int line) {        \
    return sj_graph_op(SJ_OP_##CODE, 1, &x, NULL, NULL, NULL, file, line); \
  }
DEF_UNARY(neg, NEG)
DEF_UNARY(abs, ABS)
DEF_UNARY(sign, SIGN)
DEF_UNARY(exp, EXP)
DEF_UNARY(log, LOG)
DEF_UNARY(log1p, LOG1P)
DEF_UNARY(expm1, EXPM1)
DEF_UNARY(sqrt, SQRT)
DEF_UNARY(rsqrt, RSQRT)
DEF_UNARY(tanh, TANH)
DEF_UNARY(sigmoid, SIGMOID)
DEF_UNARY(softplus, SOFTPLUS)

#define DEF_BINARY(name, CODE)                                                  \
  sj_var *sj_##name##_at(sj_var *a, sj_var *b, const char *file, int line) {    \
    sj_var *args[2] = {a, b};                                                   \
    return sj_graph_op(SJ_OP_##CODE, 2, args, NULL, NULL, NULL, file, line);    \
  }
DEF_BINARY(add, ADD)
DEF_BINARY(sub, SUB)
DEF_BINARY(mul, MUL)
DEF_BINARY(div, DIV)
DEF_BINARY(pow, POW)
DEF_BINARY(maximum, MAXIMUM)
DEF_BINARY(minimum, MINIMUM)
DEF_BINARY(eq, EQ)
DEF_BINARY(ne, NE)
DEF_BINARY(lt, LT)
DEF_BINARY(le, LE)
DEF_BINARY(gt, GT)
DEF_BINARY(ge, GE)

sj_var *sj_relu_at(sj_var *x, const char *file, int line) {
  return sj_maximum_at(x, scalar_like(x, 0, file, line), file, line);
}

sj_var *sj_where_at(sj_var *cond, sj_var *a, sj_var *b, const char *file, int line) {
  sj_var *args[3] = {cond, a, b};
  return sj_graph_op(SJ_OP_SELECT, 3, args, NULL, NULL, NULL, file, line);
}

sj_var *sj_cast_at(sj_var *x, sj_dtype dt, const char *file, int line) {
  if (!x || x->kind == VAR_POISON) return x;
  sj_type t = x->v->type;
  t.dt = dt;
  return sj_graph_op(SJ_OP_CAST, 1, &x, &t, NULL, NULL, file, line);
}

/* ---- reductions and shapes ---- */

typedef struct red_args {
  int naxes;
  const int *axes;
  int keepdims;
} red_args;

static void set_reduce(sj_ctx *c, sj_op *op, const void *arg) {
  const red_args *r = arg;
  int64_t ax[SJ_MAX_RANK];
  int n = r->naxes > SJ_MAX_RANK ? SJ_MAX_RANK : r->naxes;
  for (int i = 0; i < n; i++) ax[i] = r->axes ? r->axes[i] : 0;
  if (n > 0) sj_op_set_ints(c, op, "axes", n, ax);
  if (r->keepdims) sj_op_set_bool(c, op, "keepdims", true);
}

#define DEF_REDUCE(name, CODE)                                                                        \
  sj_var *sj_##name##_at(sj_var *x, int naxes, const int *axes, int keepdims, const char *file, int line) { \
    red_args r = {naxes, axes, keepdims};                                                             \
    return sj_graph_op(SJ_OP_##CODE, 1, &x, NULL, set_reduce, &r, file, line);                        \
  }
DEF_REDUCE(sum, SUM)
DEF_REDUCE(mean, MEAN)
DEF_REDUCE(max, MAX)
DEF_REDUCE(min, MIN)
DEF_REDUCE(prod, PROD)

sj_var *sj_reshape_at(sj_var *x, int rank, const int64_t *dims, const char *file, int line) {
  if (!x || x->kind == VAR_POISON) return x;
  if (rank < 0 || rank > SJ_MAX_RANK) {
    sj_graph_fail(x->c, file, line, "reshape: rank %d is out of range", rank);
    return sj_graph_of(x->c)->poison;
  }
  sj_type t = sj_tensor_type(x->v->type.dt, rank, dims);
  int64_t known = 1, total = sj_type_numel(&x->v->type);
  int infer = -1;
  for (int i = 0; i < rank; i++) {
    if (dims[i] == -1 && infer < 0) infer = i;
    else if (!sj_mul_i64(known, dims[i], &known)) known = -1; /* too large: the verifier names the type */
  }
  if (infer >= 0 && total >= 0 && known > 0) t.dims[infer] = total / known; /* numpy's -1 */
  return sj_graph_op(SJ_OP_RESHAPE, 1, &x, &t, NULL, NULL, file, line);
}

static void set_perm(sj_ctx *c, sj_op *op, const void *arg) {
  const int *perm = arg;
  int64_t p[SJ_MAX_RANK];
  int r = sj_opnd(op, 0)->type.rank;
  for (int i = 0; i < r; i++) p[i] = perm[i];
  sj_op_set_ints(c, op, "perm", r, p);
}

sj_var *sj_transpose_at(sj_var *x, const int *perm, const char *file, int line) {
  if (!x || x->kind == VAR_POISON) return x;
  int dflt[SJ_MAX_RANK];
  int r = x->v->type.rank;
  for (int i = 0; i < r; i++) dflt[i] = r - 1 - i;
  return sj_graph_op(SJ_OP_TRANSPOSE, 1, &x, NULL, set_perm, perm ? perm : dflt, file, line);
}

sj_var *sj_matmul_at(sj_var *a, sj_var *b, const char *file, int line) {
  sj_var *args[2] = {a, b};
  return sj_graph_op(SJ_OP_MATMUL, 2, args, NULL, NULL, NULL, file, line);
}

static bool static_shape(const sj_type *t) { return sj_type_numel(t) >= 0; }

/* select(x != x, g, g) has x's shape and g's values: a broadcast whose
 * runtime size comes from x (a `?` dim cannot be taken from g). */
sj_var *sj_graph_broadcast_like(sj_var *g, sj_var *x, const char *file, int line) {
  if (!g || !x || g->kind == VAR_POISON || x->kind == VAR_POISON) return g;
  if (static_shape(&x->v->type)) {
    sj_type t = x->v->type;
    t.dt = g->v->type.dt;
    if (sj_type_eq(&t, &g->v->type)) return g;
    return sj_graph_op(SJ_OP_BROADCAST_TO, 1, &g, &t, NULL, NULL, file, line);
  }
  return sj_where_at(sj_ne_at(x, x, file, line), g, g, file, line);
}

/* ---- classifier ops ---- */

sj_var *sj_log_softmax_at(sj_var *x, int axis, const char *file, int line) {
  sj_var *m = sj_max_at(x, 1, &axis, 1, file, line);
  sj_var *s = sj_sub_at(x, m, file, line);
  sj_var *l = sj_log_at(sj_sum_at(sj_exp_at(s, file, line), 1, &axis, 1, file, line), file, line);
  return sj_sub_at(s, l, file, line);
}

sj_var *sj_softmax_at(sj_var *x, int axis, const char *file, int line) {
  sj_var *m = sj_max_at(x, 1, &axis, 1, file, line);
  sj_var *e = sj_exp_at(sj_sub_at(x, m, file, line), file, line);
  return sj_div_at(e, sj_sum_at(e, 1, &axis, 1, file, line), file, line);
}

/* iota along the last axis: a dense constant 0..n-1 */
static sj_var *iota(sj_ctx *c, int64_t n, sj_dtype dt, const char *file, int line) {
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return g->poison;
  sj_type t = sj_tensor_type(dt, 1, &n);
  sj_loc loc = {sj_intern(c, file ? file : "<unknown>"), line, 0};
  sj_op *op = sj_op_new(c, SJ_OP_CONSTANT, 0, NULL, 1, &t, 0, loc);
  sj_attr a = {.name = "value", .kind = SJ_ATTR_DENSE};
  a.u.dense.n = (int)n;
  a.u.dense.is_int = !sj_dtype_is_float(dt);
  a.u.dense.v = sj_arena_alloc(c, (size_t)(n ? n : 1) * sizeof(double));
  for (int64_t i = 0; i < n; i++) a.u.dense.v[i] = (double)i;
  sj_op_set_attr(c, op, a);
  sj_block_append(g->block, op);
  return sj_graph_var(c, sj_res(op, 0));
}

/* expand dims: x[..., 1] */
static sj_var *unsqueeze_last(sj_var *x, const char *file, int line) {
  if (!x || x->kind == VAR_POISON) return x;
  const sj_type *t = &x->v->type;
  int64_t dims[SJ_MAX_RANK];
  for (int i = 0; i < t->rank; i++) dims[i] = t->dims[i];
  dims[t->rank] = 1;
  sj_type nt = sj_tensor_type(t->dt, t->rank + 1, dims);
  return sj_graph_op(SJ_OP_RESHAPE, 1, &x, &nt, NULL, NULL, file, line);
}

sj_var *sj_one_hot_at(sj_var *labels, int64_t n, sj_dtype dt, const char *file, int line) {
  if (!labels || labels->kind == VAR_POISON) return labels;
  if (n <= 0 || n > (1 << 24)) {
    sj_graph_fail(labels->c, file, line, "one_hot: %lld classes is out of range", (long long)n);
    return sj_graph_of(labels->c)->poison;
  }
  sj_var *hit = sj_eq_at(unsqueeze_last(labels, file, line), iota(labels->c, n, labels->v->type.dt, file, line), file, line);
  return sj_cast_at(hit, dt, file, line);
}

/* first index of the max: min over (x == max ? iota : n) */
sj_var *sj_argmax_at(sj_var *x, int axis, const char *file, int line) {
  if (!x || x->kind == VAR_POISON) return x;
  int r = x->v->type.rank;
  if (axis < 0) axis += r;
  if (axis != r - 1) {
    sj_graph_fail(x->c, file, line, "argmax: only the last axis is supported (got axis %d of rank %d)", axis, r);
    return sj_graph_of(x->c)->poison;
  }
  int64_t n = x->v->type.dims[axis];
  if (n < 0) {
    sj_graph_fail(x->c, file, line, "argmax: the reduced axis must have a static size");
    return sj_graph_of(x->c)->poison;
  }
  sj_var *m = sj_max_at(x, 1, &axis, 1, file, line);
  sj_var *idx = iota(x->c, n, SJ_I32, file, line);
  sj_var *big = sj_scalar_at(x->c, (double)n, SJ_I32, file, line);
  sj_var *cand = sj_where_at(sj_eq_at(x, m, file, line), idx, big, file, line);
  return sj_min_at(cand, 1, &axis, 0, file, line);
}

sj_var *sj_crossentropy_at(sj_var *logits, sj_var *labels, const char *file, int line) {
  if (!logits || !labels || logits->kind == VAR_POISON || labels->kind == VAR_POISON) return logits ? logits : labels;
  const sj_type *t = &logits->v->type;
  if (t->rank != 2 || labels->v->type.rank != 1 || sj_dtype_is_float(labels->v->type.dt) || t->dims[1] < 0) {
    char a[SJ_TYPE_STR_CAP], b[SJ_TYPE_STR_CAP];
    sj_graph_fail(logits->c, file, line,
                  "crossentropy: needs logits [batch, classes] (static classes) and integer labels [batch], got %s and %s",
                  sj_type_str(t, a, sizeof a), sj_type_str(&labels->v->type, b, sizeof b));
    return sj_graph_of(logits->c)->poison;
  }
  int axis = 1;
  sj_var *lp = sj_log_softmax_at(logits, axis, file, line);
  sj_var *oh = sj_one_hot_at(labels, t->dims[1], t->dt, file, line);
  sj_var *picked = sj_sum_at(sj_mul_at(lp, oh, file, line), 1, &axis, 0, file, line);
  return sj_neg_at(sj_mean_at(picked, 0, NULL, 0, file, line), file, line);
}

static void set_axis(sj_ctx *c, sj_op *op, const void *arg) { sj_op_set_int(c, op, "axis", *(const int *)arg); }

/* The op's inference names what is wrong (shapes, dtypes, axis) at the call. */
sj_var *sj_take_at(sj_var *x, sj_var *idx, int axis, const char *file, int line) {
  sj_var *args[2] = {x, idx};
  return sj_graph_op(SJ_OP_TAKE, 2, args, NULL, set_axis, &axis, file, line);
}

sj_var *sj_take_along_axis_at(sj_var *x, sj_var *idx, int axis, const char *file, int line) {
  sj_var *args[2] = {x, idx};
  return sj_graph_op(SJ_OP_TAKE_ALONG_AXIS, 2, args, NULL, set_axis, &axis, file, line);
}

sj_var *sj_scatter_add_at(sj_var *g, sj_var *idx, sj_var *like, int axis, int along, const char *file, int line) {
  sj_var *args[3] = {g, idx, like};
  return sj_graph_op(along ? SJ_OP_SCATTER_ADD_ALONG_AXIS : SJ_OP_SCATTER_ADD, 3, args, NULL, set_axis, &axis, file, line);
}
