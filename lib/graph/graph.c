/* Graph building: one function per op, numpy broadcasting and shape checks
 * at build time through the op registry's inference and verifier, and a
 * sticky first error that names the call site, the op, the operand shapes
 * and the variables' names. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_resident.h"
#include "graph_internal.h"
#include "support/checked.h"
#include "verify.h"

static void graph_free(void *p) {
  sj_graph *g = p;
  for (size_t i = 0; i < g->nleaves; i++) sj_tensor_free(g->leaves[i]->value);
  sj_ctx_realloc(g->c, g->leaves, g->capleaves * sizeof *g->leaves, 0);
  sj_ctx_realloc(g->c, g, sizeof *g, 0);
}

/* sj_ctx_clear_errors: the sticky build error goes, so new variables can be
 * built and compiled (the ones built before it are intact: a failed op is
 * never appended to the graph). */
static void graph_clear(void *p) {
  sj_graph *g = p;
  g->failed = false;
  g->status = SJ_OK;
}

/* Handed out while the graph state itself cannot be allocated: failed (so
 * nothing writes it) with a poison variable of no context. */
static sj_graph oom_graph = {.failed = true, .status = SJ_ERR_NOMEM, .poison = &oom_graph.poison_var,
                             .poison_var = {.kind = VAR_POISON}};

static sj_status new_block(void *ud) {
  sj_graph *g = ud;
  g->block = sj_block_new(g->c, NULL);
  return SJ_OK;
}

sj_graph *sj_graph_of(sj_ctx *c) {
  if (!c) return &oom_graph; /* c of oom_graph's poison */
  sj_graph *g = sj_ctx_graph(c);
  if (g) return g;
  g = sj_ctx_realloc(c, NULL, 0, sizeof *g);
  if (!g) {
    sj_loc none = {0};
    sj_emit_error(c, none, "out of memory (allocating the graph state)");
    return &oom_graph;
  }
  memset(g, 0, sizeof *g);
  g->c = c;
  g->poison = &g->poison_var;
  g->poison->c = c;
  g->poison->kind = VAR_POISON;
  if (sj_ctx_protect(c, new_block, g) != SJ_OK) {
    sj_ctx_realloc(c, g, sizeof *g, 0);
    return &oom_graph;
  }
  sj_ctx_set_graph(c, g, graph_free, graph_clear);
  return g;
}

sj_var *sj_graph_guard(sj_ctx *c, sj_protected_fn fn, void *ud, sj_var *const *res) {
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return g->poison;
  sj_status st = sj_ctx_protect(c, fn, ud);
  if (st == SJ_ERR_NOMEM) {
    g->failed = true;
    g->status = SJ_ERR_NOMEM;
  }
  return st ? g->poison : *res;
}


void sj_graph_fail(sj_ctx *c, const char *file, int line, const char *fmt, ...) {
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return;
  g->failed = true;
  g->status = SJ_ERR_VERIFY;
  va_list ap;
  va_start(ap, fmt);
  /* file is borrowed only for the message: no interning (no allocation) */
  sj_loc loc = {file, line, 0};
  sj_emit_verror(c, loc, fmt, ap);
  va_end(ap);
}

sj_var *sj_graph_var(sj_ctx *c, sj_value *v) {
  sj_graph *g = sj_graph_of(c);
  for (size_t i = 0; i < g->nleaves; i++)
    if (g->leaves[i]->v == v) return g->leaves[i];
  sj_var *x = sj_arena_alloc(c, sizeof *x); /* callers are protected */
  x->c = c;
  x->v = v;
  x->kind = VAR_NODE;
  x->name = v->name;
  return x;
}

typedef struct leaf_args {
  sj_ctx *c;
  var_kind kind;
  const char *name;
  sj_type t;
  sj_var *res;
} leaf_args;

static sj_status add_leaf_protected(void *ud) {
  leaf_args *a = ud;
  sj_ctx *c = a->c;
  sj_graph *g = sj_graph_of(c);
  if (g->nleaves == g->capleaves) { /* first: nothing to undo if it fails */
    size_t cap = g->capleaves ? 2 * g->capleaves : 16;
    sj_var **nl = sj_ctx_realloc(c, g->leaves, g->capleaves * sizeof *nl, cap * sizeof *nl);
    if (!nl) sj_ctx_throw_nomem(c, cap * sizeof *nl);
    if (!nl) return SJ_ERR_NOMEM;
    g->leaves = nl;
    g->capleaves = cap;
  }
  sj_var *x = sj_arena_alloc(c, sizeof *x);
  x->c = c;
  x->kind = a->kind;
  x->name = a->name ? sj_intern(c, a->name) : NULL;
  /* leaves are arguments of a placeholder block (never printed) */
  x->v = sj_block_add_arg(c, g->block, a->t);
  x->v->name = x->name;
  g->leaves[g->nleaves++] = x; /* last: an unwind never leaves a half leaf */
  a->res = x;
  return SJ_OK;
}

static sj_var *add_leaf(sj_ctx *c, var_kind kind, const char *name, sj_type t) {
  leaf_args a = {c, kind, name, t, NULL};
  return sj_graph_guard(c, add_leaf_protected, &a, &a.res);
}

static const char *describe(const sj_var *v, char *buf, size_t cap) {
  char t[SJ_TYPE_STR_CAP];
  sj_type_str(&v->v->type, t, sizeof t);
  if (v->name) snprintf(buf, cap, "'%s' %s", v->name, t);
  else if (sj_graph_label(v->c, v->v)) snprintf(buf, cap, "(result of '%s') %s", sj_graph_label(v->c, v->v), t);
  else if (v->v->def) snprintf(buf, cap, "(result of '%s') %s", sj_op_name(v->v->def), t);
  else snprintf(buf, cap, "%s", t);
  return buf;
}

const char *sj_graph_describe(const sj_var *v, char *buf, size_t cap) { return describe(v, buf, cap); }

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
  sj_tensor *copy = sj_tensor_from(sj_tensor_dtype(value), sj_tensor_rank(value), sj_tensor_dims(value),
                                   sj_tensor_data(value));
  if (!copy) {
    sj_graph_fail(c, file, line, "sj_shared '%s': out of memory copying the initial value", name ? name : "");
    g->status = SJ_ERR_NOMEM;
    return g->poison;
  }
  sj_var *x = add_leaf(c, VAR_SHARED, name,
                       sj_tensor_type(sj_tensor_dtype(value), sj_tensor_rank(value), sj_tensor_dims(value)));
  if (x->kind == VAR_POISON) sj_tensor_free(copy);
  else x->value = copy;
  return x;
}

/* A variable updated on a CUDA device may have a stale host copy
 * (decision 0031): it is brought up to date before the caller reads it. */
const sj_tensor *sj_shared_value(const sj_var *v) {
  if (!v || v->kind != VAR_SHARED) return NULL;
  char err[1024];
  if (sj_cu_resident_sync_host(&v->value, err, sizeof err)) {
    sj_loc none = {0};
    sj_emit_error(v->c, none, "sj_shared_value '%s': %s", v->name ? v->name : "", err);
    return NULL;
  }
  return v->value;
}

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
  sj_cu_resident_host_written(&v->value); /* a device copy is stale now */
  return SJ_OK;
}

const char *sj_var_name(const sj_var *v) { return v && v->name ? v->name : ""; }
sj_dtype sj_var_dtype(const sj_var *v) { return v && v->v ? v->v->type.dt : SJ_F32; }
int sj_var_rank(const sj_var *v) { return v && v->v ? v->v->type.rank : 0; }
int64_t sj_var_dim(const sj_var *v, int axis) {
  return v && v->v && axis >= 0 && axis < v->v->type.rank ? v->v->type.dims[axis] : -1;
}

typedef struct name_args {
  sj_var *v;
  const char *name;
} name_args;

static sj_status name_protected(void *ud) {
  name_args *a = ud;
  a->v->name = sj_intern(a->v->c, a->name);
  a->v->v->name = a->v->name;
  return SJ_OK;
}

sj_var *sj_name(sj_var *v, const char *name) {
  if (!v || v->kind == VAR_POISON || !name) return v;
  name_args a = {v, name};
  return sj_graph_guard(v->c, name_protected, &a, &a.v);
}

/* ---- building ops ---- */

static sj_ctx *ctx_of(sj_var *const *args, unsigned n) {
  for (unsigned i = 0; i < n; i++)
    if (args[i]) return args[i]->c;
  return NULL;
}

/* A note after the op's error: what the operands were. */
static void operands_note(sj_ctx *c, const char *file, int line, const char *opname, sj_var *const *args,
                          unsigned n) {
  char msg[900], d[200];
  size_t k = (size_t)snprintf(msg, sizeof msg, "operands of '%s': ", opname);
  for (unsigned i = 0; i < n && k < sizeof msg; i++)
    k += (size_t)snprintf(msg + k, sizeof msg - k, "%s%s", i ? ", " : "", describe(args[i], d, sizeof d));
  sj_loc loc = {file ? file : "<unknown>", line, 0};
  sj_emit_diag(c, SJ_SEV_NOTE, loc, "%s", msg);
}

typedef struct op_args {
  sj_ctx *c;
  sj_opcode code;
  unsigned n;
  sj_var *const *args;
  sj_value *vals[4];
  const sj_type *declared;
  sj_attr_setter set;
  const void *arg;
  const char *file;
  int line;
  sj_op *op; /* made, not yet in the graph: an unwind drops its operands */
  sj_var *res;
} op_args;

static sj_status graph_op_protected(void *ud) {
  op_args *a = ud;
  sj_ctx *c = a->c;
  sj_graph *g = sj_graph_of(c);
  const char *opname = sj_opinfo_get(a->code)->name;
  sj_loc loc = {sj_intern(c, a->file ? a->file : "<unknown>"), a->line, 0};
  sj_type rt = a->declared ? *a->declared : sj_scalar_type(SJ_F32);
  sj_block *gb = g->block;
  sj_op *op = a->op = sj_op_new(c, a->code, a->n, a->vals, 1, &rt, 0, loc);
  if (a->set) a->set(c, op, a->arg);
  const sj_opinfo *oi = sj_opinfo_get(a->code);
  bool bad = sj_verify_attrs(c, op) != SJ_OK;
  if (!bad && oi->infer) bad = oi->infer(c, op, &sj_res(op, 0)->type) != SJ_OK;
  if (!bad) bad = sj_verify_op(c, op) != SJ_OK;
  if (bad) {
    g->failed = true;
    g->status = SJ_ERR_VERIFY;
    operands_note(c, a->file, a->line, opname, a->args, a->n);
    return SJ_ERR_VERIFY; /* the caller drops the op */
  }
  sj_var *x = sj_graph_var(c, sj_res(op, 0)); /* before appending: may unwind */
  sj_block_append(gb, op);
  a->op = NULL;
  a->res = x;
  return SJ_OK;
}

sj_var *sj_graph_op(sj_opcode code, unsigned n, sj_var *const *args, const sj_type *declared, sj_attr_setter set,
                    const void *arg, const char *file, int line) {
  sj_ctx *c = ctx_of(args, n);
  if (!c) return n && args[0] ? oom_graph.poison : NULL; /* only oom_graph's poison has no context */
  sj_graph *g = sj_graph_of(c);
  const char *opname = sj_opinfo_get(code)->name;
  if (g->failed) return g->poison;
  op_args a = {.c = c, .code = code, .n = n, .args = args, .declared = declared, .set = set, .arg = arg,
               .file = file, .line = line};
  for (unsigned i = 0; i < n; i++) {
    if (args[i] && args[i]->kind == VAR_POISON && !args[i]->c) { /* built while out of memory */
      sj_graph_fail(c, file, line, "'%s': operand %u was built while out of memory", opname, i);
      g->status = SJ_ERR_NOMEM;
    }
    if (args[i] && args[i]->kind == VAR_POISON) return g->poison;
    if (!args[i] || args[i]->c != c) {
      sj_graph_fail(c, file, line, "'%s': operand %u is %s", opname, i, args[i] ? "from another context" : "NULL");
      return g->poison;
    }
    if (!sj_graph_visible(c, args[i]->v)) { /* made inside a scan's step that has ended (scan.c) */
      const sj_loc *at = args[i]->v->def ? &args[i]->v->def->loc : NULL;
      sj_graph_fail(c, file, line,
                    "'%s': operand %u was built inside the step function of a scan%s%s%s and is not visible outside it "
                    "(return it from the step as an output)",
                    opname, i, at && at->file ? " (at " : "", at && at->file ? at->file : "", at && at->file ? ")" : "");
      return g->poison;
    }
    a.vals[i] = args[i]->v;
  }
  /* weak literals adopt the other operands' dtype (weak.c) */
  sj_var *adopted[4];
  unsigned fl = sj_opinfo_get(code)->flags;
  bool ew = (fl & SJ_F_ELEMWISE) != 0, weak = ew && n <= 4;
  for (unsigned i = 0; i < n && weak; i++) weak = args[i]->weak || (i == 0 && (fl & SJ_F_COND_FIRST));
  if (ew && n >= 2 && n <= 4) {
    if (!sj_graph_adopt_weak(code, n, args, adopted, file, line)) return g->poison;
    for (unsigned i = 0; i < n; i++) a.vals[i] = adopted[i]->v;
  }
  sj_var *r = sj_graph_guard(c, graph_op_protected, &a, &a.res);
  if (a.op) sj_op_drop_operands(a.op); /* failed or unwound: not in the graph */
  if (r->kind != VAR_POISON && weak && r->v->type.dt != SJ_BOOL) r->weak = true; /* of literals only: weak too */
  return r;
}

static void set_value(sj_ctx *c, sj_op *op, const void *arg) {
  const double *v = arg;
  if (sj_dtype_is_float(sj_res(op, 0)->type.dt)) sj_op_set_float(c, op, "value", *v);
  else sj_op_set_int(c, op, "value", (int64_t)*v);
}

typedef struct const_args {
  sj_ctx *c;
  double v;
  sj_type t;
  const char *file;
  int line;
  int64_t n;           /* n > 0 or dense: a dense constant of n elements ... */
  const double *dense; /* ... holding these values (verified), or 0..n-1 (iota) */
  sj_var *res;
} const_args;

static sj_status const_protected(void *ud) {
  const_args *a = ud;
  sj_ctx *c = a->c;
  sj_graph *g = sj_graph_of(c);
  sj_loc loc = {sj_intern(c, a->file ? a->file : "<unknown>"), a->line, 0};
  sj_block *gb = g->block;
  sj_op *op = sj_op_new(c, SJ_OP_CONSTANT, 0, NULL, 1, &a->t, 0, loc);
  if (a->n > 0 || a->dense) {
    sj_attr at = {.name = "value", .kind = SJ_ATTR_DENSE};
    at.u.dense.n = (int)a->n;
    at.u.dense.is_int = !sj_dtype_is_float(a->t.dt);
    at.u.dense.v = sj_arena_alloc(c, (size_t)(a->n ? a->n : 1) * sizeof(double));
    for (int64_t i = 0; i < a->n; i++) at.u.dense.v[i] = a->dense ? a->dense[i] : (double)i;
    sj_op_set_attr(c, op, at);
  } else {
    set_value(c, op, &a->v);
  }
  if (a->dense && sj_verify_op(c, op) != SJ_OK) { /* user data: values the dtype cannot hold */
    g->failed = true;
    g->status = SJ_ERR_VERIFY;
    return SJ_ERR_VERIFY;
  }
  sj_var *x = sj_graph_var(c, sj_res(op, 0));
  sj_block_append(gb, op); /* no operands: nothing to undo before this */
  a->res = x;
  return SJ_OK;
}

sj_var *sj_graph_const(sj_ctx *c, double v, sj_type t, const char *file, int line) {
  const_args a = {c, v, t, file, line, 0, NULL, NULL};
  return sj_graph_guard(c, const_protected, &a, &a.res);
}

sj_var *sj_graph_dense(sj_ctx *c, sj_type t, const double *v, const char *file, int line) {
  int64_t n = sj_type_numel(&t);
  if (n < 0 || n > INT32_MAX) {
    sj_graph_fail(c, file, line, "constant: %lld elements is out of range", (long long)n);
    return sj_graph_of(c)->poison;
  }
  const_args a = {c, 0, t, file, line, n, v, NULL};
  return sj_graph_guard(c, const_protected, &a, &a.res);
}

sj_var *sj_scalar_at(sj_ctx *c, double v, sj_dtype dt, const char *file, int line) {
  if (!c) return NULL;
  sj_var *r = sj_graph_const(c, v, sj_tensor_type(dt, 0, NULL), file, line);
  if (r->kind != VAR_POISON) r->weak = true; /* a literal: adopts the other operand's dtype */
  return r;
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
DEF_UNARY(log1p, LOG1P)
DEF_UNARY(expm1, EXPM1)
DEF_UNARY(sqrt, SQRT)
DEF_UNARY(rsqrt, RSQRT)
DEF_UNARY(tanh, TANH)
DEF_UNARY(sigmoid, SIGMOID)
DEF_UNARY(softplus, SOFTPLUS)

/* log(softmax(x)) is built as log_softmax(x) (classifier.c) */
sj_var *sj_log_at(sj_var *x, const char *file, int line) {
  sj_var *r = sj_graph_stable_log(x, file, line);
  return r ? r : sj_graph_op(SJ_OP_LOG, 1, &x, NULL, NULL, NULL, file, line);
}

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
DEF_BINARY(logaddexp, LOGADDEXP)

sj_var *sj_relu_at(sj_var *x, const char *file, int line) {
  return sj_graph_set_label(sj_maximum_at(x, scalar_like(x, 0, file, line), file, line), "relu");
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
    if (x && x->kind != VAR_POISON && (naxes < 0 || (naxes > 0 && !axes))) {                          \
      sj_graph_fail(x->c, file, line, "%s: %d axes given%s", #name, naxes, naxes > 0 ? " but axes is NULL" : ""); \
      return sj_graph_of(x->c)->poison;                                                               \
    }                                                                                                 \
    return sj_graph_op(SJ_OP_##CODE, 1, &x, NULL, set_reduce, &r, file, line);                        \
  }
DEF_REDUCE(sum, SUM)
DEF_REDUCE(mean, MEAN)
DEF_REDUCE(max, MAX)
DEF_REDUCE(min, MIN)
DEF_REDUCE(prod, PROD)

sj_var *sj_reshape_at(sj_var *x, int rank, const int64_t *dims, const char *file, int line) {
  if (!x || x->kind == VAR_POISON) return x;
  if (rank < 0 || rank > SJ_MAX_RANK || (rank && !dims)) {
    sj_graph_fail(x->c, file, line, "reshape: rank %d is out of range%s", rank, rank && !dims ? " (dims is NULL)" : "");
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

/* x with a size-1 axis inserted at `axis` (rank-1 x: one dim, so a reshape
 * infers a `?` there at run time) */
static sj_var *insert_axis(sj_var *x, int axis, const char *file, int line) {
  int64_t dims[2];
  dims[axis] = 1, dims[1 - axis] = x->v->type.dims[0];
  return sj_reshape_at(x, 2, dims, file, line);
}

/* r without its size-1 axis `axis`: a reshape when the run time can infer
 * the shape (one `?` at most), else a sum over that axis (exact). */
static sj_var *drop_axis(sj_var *r, int axis, const char *file, int line) {
  if (!r || r->kind == VAR_POISON) return r;
  const sj_type *t = &r->v->type;
  int64_t dims[SJ_MAX_RANK];
  int n = 0, ndyn = 0;
  for (int i = 0; i < t->rank; i++)
    if (i != axis) ndyn += t->dims[i] < 0, dims[n++] = t->dims[i];
  if (ndyn <= 1) return sj_reshape_at(r, n, dims, file, line);
  return sj_sum_at(r, 1, &axis, 0, file, line);
}

/* numpy matmul: a rank-1 operand is a row (left) or a column (right) vector
 * whose added axis is dropped from the result (Theano's dot on vectors). */
sj_var *sj_matmul_at(sj_var *a, sj_var *b, const char *file, int line) {
  sj_var *args[2] = {a, b};
  if (!a || !b || a->kind == VAR_POISON || b->kind == VAR_POISON || (a->v->type.rank != 1 && b->v->type.rank != 1) ||
      a->v->type.rank == 0 || b->v->type.rank == 0) /* the op's inference names what is wrong */
    return sj_graph_op(SJ_OP_MATMUL, 2, args, NULL, NULL, NULL, file, line);
  bool va = a->v->type.rank == 1, vb = b->v->type.rank == 1;
  const sj_type *ta = &a->v->type, *tb = &b->v->type;
  int64_t ka = ta->dims[ta->rank - 1], kb = tb->dims[vb ? 0 : tb->rank - 2];
  if (ka >= 0 && kb >= 0 && ka != kb) { /* say it with the user's operands, not the reshaped views */
    char x[200], y[200];
    sj_graph_fail(a->c, file, line, "matmul: contracting dimensions differ: %s and %s", describe(a, x, sizeof x),
                  describe(b, y, sizeof y));
    return sj_graph_of(a->c)->poison;
  }
  if (va) args[0] = insert_axis(a, 0, file, line);
  if (vb) args[1] = insert_axis(b, 1, file, line);
  sj_var *r = sj_graph_op(SJ_OP_MATMUL, 2, args, NULL, NULL, NULL, file, line);
  if (r->kind == VAR_POISON) return r;
  if (vb) r = drop_axis(r, r->v->type.rank - 1, file, line);
  if (va) r = drop_axis(r, r->v->type.rank - (vb ? 1 : 2), file, line);
  return sj_graph_set_label(r, "matmul");
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

/* softmax, log_softmax and the cross-entropies: classifier.c */

/* iota along the last axis: a dense constant 0..n-1 (n > 0) */
static sj_var *iota(sj_ctx *c, int64_t n, sj_dtype dt, const char *file, int line) {
  const_args a = {c, 0, sj_tensor_type(dt, 1, &n), file, line, n, NULL, NULL};
  return sj_graph_guard(c, const_protected, &a, &a.res);
}

sj_var *sj_graph_iota(sj_ctx *c, int64_t n, sj_dtype dt, const char *file, int line) {
  return iota(c, n, dt, file, line);
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
  return sj_graph_set_label(sj_cast_at(hit, dt, file, line), "one_hot");
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
  return sj_graph_set_label(sj_min_at(cand, 1, &axis, 0, file, line), "argmax");
}

static void set_axis(sj_ctx *c, sj_op *op, const void *arg) { sj_op_set_int(c, op, "axis", *(const int *)arg); }

/* The op's inference names what is wrong (shapes, dtypes, axis) at the call. */
sj_var *sj_take_at(sj_var *x, sj_var *idx, int axis, const char *file, int line) {
  sj_var *args[2] = {x, idx};
  return sj_graph_op(SJ_OP_TAKE, 2, args, NULL, set_axis, &axis, file, line);
}

sj_var *sj_take_along_axis_at(sj_var *x, sj_var *idx, int axis, const char *file, int line) {
  sj_var *r = sj_graph_stable_take_along(x, idx, axis, file, line); /* a cross-entropy: classifier.c */
  if (r) return r;
  sj_var *args[2] = {x, idx};
  return sj_graph_op(SJ_OP_TAKE_ALONG_AXIS, 2, args, NULL, set_axis, &axis, file, line);
}

sj_var *sj_scatter_add_at(sj_var *g, sj_var *idx, sj_var *like, int axis, int along, const char *file, int line) {
  sj_var *args[3] = {g, idx, like};
  return sj_graph_op(along ? SJ_OP_SCATTER_ADD_ALONG_AXIS : SJ_OP_SCATTER_ADD, 3, args, NULL, set_axis, &axis, file, line);
}

/* ---- gradients (the rules are in grad.c) ---- */

typedef struct grad_args {
  sj_var *cost;
  sj_var *const *wrt;
  size_t n;
  const sj_grad_options *o;
  sj_var **out;
  const char *file;
  int line;
} grad_args;

static sj_status grad_protected(void *ud) {
  grad_args *a = ud;
  return sj_graph_grad(a->cost, a->wrt, a->n, a->o, a->out, a->file, a->line);
}

sj_status sj_grad_at(sj_var *cost, sj_var *const *wrt, size_t n, const sj_grad_options *o, sj_var **out,
                     const char *file, int line) {
  if (n && !out) return SJ_ERR_INVALID;
  for (size_t i = 0; i < n; i++) out[i] = NULL;
  if (!cost || (n && !wrt)) return SJ_ERR_INVALID;
  if (!cost->c) { /* the poison of a graph that could not be allocated */
    for (size_t i = 0; i < n; i++) out[i] = oom_graph.poison;
    return SJ_ERR_NOMEM;
  }
  sj_graph *g = sj_graph_of(cost->c);
  for (size_t i = 0; i < n; i++) out[i] = g->poison;
  grad_args a = {cost, wrt, n, o, out, file, line};
  sj_status st = g->failed ? g->status : sj_ctx_protect(cost->c, grad_protected, &a);
  if (st == SJ_ERR_NOMEM) {
    g->failed = true;
    g->status = SJ_ERR_NOMEM;
  }
  if (st && g->failed) st = g->status;
  if (st)
    for (size_t i = 0; i < n; i++) out[i] = g->poison;
  return st;
}
