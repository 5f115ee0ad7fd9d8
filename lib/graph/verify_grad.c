/* sj_verify_grad: Theano's verify_grad. The output is projected on a seeded
 * random tensor (so one scalar cost sees every output element), the
 * projection and its sj_grad are compiled into one function, and each
 * checked element of each input is compared with central differences of
 * that function. The first disagreement is reported with the argument, the
 * element (flat index and coordinates) and both values. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "graph_internal.h"

void sj_verify_grad_options_init(sj_verify_grad_options *o) {
  if (!o) return;
  memset(o, 0, sizeof *o);
  o->seed = 1;
}

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Defaults by dtype: the step balances truncation (h^2) against rounding
 * of the cost (ulp / h); the tolerance covers both at that step. */
typedef struct tols {
  double eps, rtol, atol;
} tols;

static tols tols_for(sj_dtype dt, const sj_verify_grad_options *o) {
  tols t = dt == SJ_F64 ? (tols){1e-6, 1e-5, 1e-5} : dt == SJ_F32 ? (tols){1e-3, 2e-2, 2e-2} : (tols){3e-2, 1e-1, 1e-1};
  if (o && o->eps > 0) t.eps = o->eps;
  if (o && o->rtol > 0) t.rtol = o->rtol;
  if (o && o->atol > 0) t.atol = o->atol;
  return t;
}

static sj_status vfail(sj_ctx *c, const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static sj_status vfail(sj_ctx *c, const char *file, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sj_loc at = {file ? file : "<unknown>", line, 0};
  sj_emit_verror(c, at, fmt, ap);
  va_end(ap);
  return SJ_ERR_VERIFY;
}

static sj_status check_args(sj_var *out, sj_var *const *inputs, size_t n, sj_tensor *const *values, const char *file,
                            int line) {
  sj_ctx *c = out->c;
  char a[SJ_TYPE_STR_CAP];
  if (!sj_dtype_is_float(out->v->type.dt))
    return vfail(c, file, line, "verify_grad: the output must be floating point, got %s",
                 sj_type_str(&out->v->type, a, sizeof a));
  for (size_t i = 0; i < n; i++) {
    if (!inputs[i] || inputs[i]->kind != VAR_INPUT || inputs[i]->c != c || !values[i])
      return vfail(c, file, line, "verify_grad: argument %zu must be a symbolic input (sj_input) with a value", i);
    const sj_type *t = &inputs[i]->v->type;
    bool ok = sj_dtype_is_float(t->dt) && sj_tensor_dtype(values[i]) == t->dt && sj_tensor_rank(values[i]) == t->rank;
    for (int k = 0; ok && k < t->rank; k++) ok = t->dims[k] < 0 || t->dims[k] == sj_tensor_dims(values[i])[k];
    if (!ok)
      return vfail(c, file, line, "verify_grad: argument %zu '%s' %s: %s", i, sj_var_name(inputs[i]),
                   sj_type_str(t, a, sizeof a),
                   sj_dtype_is_float(t->dt) ? "its value has another dtype or shape" : "only float inputs have gradients");
  }
  return SJ_OK;
}

/* The random projection P (out's shape at these values) and cost = sum(out * P). */
static sj_var *project(sj_var *out, sj_var *const *inputs, size_t n, sj_tensor *const *values, uint64_t seed,
                       const char *file, int line) {
  sj_ctx *c = out->c;
  const sj_type *t = &out->v->type;
  if (t->rank == 0) return out;
  sj_tensor *shape = NULL;
  if (sj_type_numel(t) < 0) { /* dynamic: the shape at these values */
    sj_function *f = NULL;
    sj_compile_options o;
    sj_compile_options_init(&o);
    o.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
    o.no_default_updates = 1;
    if (sj_compile_at(c, inputs, n, &out, 1, NULL, 0, NULL, 0, &o, &f, file, line) != SJ_OK) return NULL;
    sj_status st = sj_function_call(f, values, n, &shape, 1);
    sj_function_free(f);
    if (st) return NULL;
  }
  sj_tensor *P = sj_tensor_new(t->dt, t->rank, shape ? sj_tensor_dims(shape) : t->dims);
  sj_tensor_free(shape);
  if (!P) return NULL;
  sj_tensor_fill_uniform(P, seed, -1, 1);
  sj_var *p = sj_constant_at(c, P, file, line);
  sj_tensor_free(P);
  return sj_sum_at(sj_mul_at(out, p, file, line), 0, NULL, 0, file, line);
}

static void coords(const sj_tensor *t, int64_t e, char *buf, size_t cap) {
  int r = sj_tensor_rank(t);
  int64_t idx[SJ_MAX_RANK];
  for (int k = r; k-- > 0;) {
    int64_t d = sj_tensor_dims(t)[k];
    idx[k] = d ? e % d : 0;
    e = d ? e / d : 0;
  }
  size_t m = (size_t)snprintf(buf, cap, "[");
  for (int k = 0; k < r && m < cap; k++) m += (size_t)snprintf(buf + m, cap - m, "%s%lld", k ? ", " : "", (long long)idx[k]);
  if (m < cap) snprintf(buf + m, cap - m, "]");
}

static double call_cost(sj_function *f, sj_tensor *const *xs, size_t n, sj_tensor **outs, size_t nout) {
  if (sj_function_call(f, xs, n, outs, nout) != SJ_OK) return NAN;
  double v = sj_tensor_get(outs[0], 0);
  for (size_t i = 0; i < nout; i++) sj_tensor_free(outs[i]), outs[i] = NULL;
  return v;
}

/* Compares element e of input i; returns false (message recorded) when it disagrees. */
static bool check_element(sj_function *f, sj_tensor **xs, size_t n, size_t i, int64_t e, double sym, tols t,
                          sj_tensor **scratch, sj_var *x, const char *file, int line) {
  double keep = sj_tensor_get(xs[i], e), h = t.eps * fmax(1, fabs(keep));
  sj_tensor_set(xs[i], e, keep + h);
  double xp = sj_tensor_get(xs[i], e), up = call_cost(f, xs, n, scratch, n + 1);
  sj_tensor_set(xs[i], e, keep - h);
  double xm = sj_tensor_get(xs[i], e), dn = call_cost(f, xs, n, scratch, n + 1);
  sj_tensor_set(xs[i], e, keep);
  double num = (up - dn) / (xp - xm); /* the steps as the dtype holds them */
  double diff = fabs(num - sym), tol = t.atol + t.rtol * fmax(fabs(num), fabs(sym));
  if (diff <= tol) return true;
  char at[160];
  coords(xs[i], e, at, sizeof at);
  vfail(x->c, file, line,
        "verify_grad: the gradient w.r.t. argument %zu '%s' disagrees at element %lld %s: sj_grad gives %.9g, "
        "central differences %.9g (|difference| %.3g > tolerance %.3g, step %.3g)",
        i, sj_var_name(x), (long long)e, at, sym, num, diff, tol, h);
  return false;
}

sj_status sj_verify_grad_at(sj_var *out, sj_var *const *inputs, size_t n, sj_tensor *const *values,
                            const sj_verify_grad_options *o, const char *file, int line) {
  if (!out || !n || !inputs || !values || n > 64) return SJ_ERR_INVALID;
  if (!out->c) return SJ_ERR_NOMEM;
  sj_ctx *c = out->c;
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return g->status;
  if (out->kind == VAR_POISON) return SJ_ERR_VERIFY;
  sj_status st = check_args(out, inputs, n, values, file, line);
  if (st) return st;
  sj_verify_grad_options dflt;
  sj_verify_grad_options_init(&dflt);
  if (!o) o = &dflt;
  sj_var *cost = project(out, inputs, n, values, o->seed, file, line), *roots[65];
  if (!cost || cost->kind == VAR_POISON) return g->failed ? g->status : SJ_ERR_VERIFY;
  st = sj_grad_at(cost, inputs, n, NULL, roots + 1, file, line);
  if (st) return st;
  roots[0] = cost;
  sj_function *f = NULL;
  sj_compile_options co;
  sj_compile_options_init(&co);
  co.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  co.no_default_updates = 1; /* random draws keep their state: one function of the inputs */
  st = sj_compile_at(c, inputs, n, roots, n + 1, NULL, 0, NULL, 0, &co, &f, file, line);
  if (st) return st;
  sj_tensor *xs[64] = {0}, *res[65] = {0}, *scratch[65] = {0};
  for (size_t i = 0; i < n && !st; i++) {
    xs[i] = sj_tensor_from(sj_tensor_dtype(values[i]), sj_tensor_rank(values[i]), sj_tensor_dims(values[i]),
                           sj_tensor_data(values[i]));
    if (!xs[i]) st = vfail(c, file, line, "verify_grad: out of memory copying argument %zu", i), st = SJ_ERR_NOMEM;
  }
  if (!st) st = sj_function_call(f, xs, n, res, n + 1);
  uint64_t rng = o->seed ^ 0x5851f42d4c957f2dull;
  int64_t max_elems = o->max_elems > 0 ? o->max_elems : 256;
  for (size_t i = 0; i < n && !st; i++) {
    tols t = tols_for(sj_tensor_dtype(xs[i]), o);
    int64_t ne = sj_tensor_numel(xs[i]), m = ne <= max_elems ? ne : max_elems;
    for (int64_t k = 0; k < m && !st; k++) {
      int64_t e = ne <= max_elems ? k : (int64_t)(splitmix(&rng) % (uint64_t)ne);
      if (!check_element(f, xs, n, i, e, sj_tensor_get(res[i + 1], e), t, scratch, inputs[i], file, line))
        st = SJ_ERR_VERIFY;
    }
  }
  for (size_t i = 0; i <= n; i++) sj_tensor_free(res[i]);
  for (size_t i = 0; i < n; i++) sj_tensor_free(xs[i]);
  sj_function_free(f);
  return st;
}
