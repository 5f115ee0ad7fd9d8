/* Random streams in the graph API (docs/random.md, decision 0018) and the
 * default updates of shared variables they rely on. As Theano's
 * RandomStreams, every draw owns a shared state variable (key, counter)
 * whose default update is the state after the draw (random_skip), so
 * sj_compile advances exactly the draws a function makes. The draw itself
 * is a pure op of that state: the same state gives the same numbers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"
#include "rt_random.h"

struct sj_random_stream {
  sj_ctx *c;
  uint64_t seed;
  sj_var **states; /* one per draw, in draw order (context-owned variables) */
  size_t n, cap;
};

/* ---- default updates ---- */

sj_status sj_shared_set_default_update_at(sj_var *shared, sj_var *expr, const char *file, int line) {
  if (!shared || shared->kind == VAR_POISON || !shared->c) return SJ_ERR_INVALID;
  sj_graph *g = sj_graph_of(shared->c);
  if (g->failed) return g->status;
  char a[SJ_TYPE_STR_CAP + 64], b[SJ_TYPE_STR_CAP + 64];
  if (shared->kind != VAR_SHARED) {
    sj_graph_fail(shared->c, file, line, "sj_shared_set_default_update: %s is not a shared variable",
                  sj_graph_describe(shared, a, sizeof a));
    return SJ_ERR_VERIFY;
  }
  if (expr && (expr->kind == VAR_POISON || expr->c != shared->c)) {
    sj_graph_fail(shared->c, file, line, "sj_shared_set_default_update of '%s': the expression is %s",
                  sj_var_name(shared), expr->kind == VAR_POISON ? "invalid" : "from another context");
    return SJ_ERR_VERIFY;
  }
  if (expr && !sj_type_eq(&shared->v->type, &expr->v->type)) {
    sj_graph_fail(shared->c, file, line, "sj_shared_set_default_update: %s cannot take a value of type %s",
                  sj_graph_describe(shared, a, sizeof a), sj_type_str(&expr->v->type, b, sizeof b));
    return SJ_ERR_VERIFY;
  }
  shared->default_update = expr;
  return SJ_OK;
}

sj_var *sj_shared_default_update(const sj_var *shared) {
  return shared && shared->kind == VAR_SHARED ? shared->default_update : NULL;
}

/* ---- streams ---- */

/* Draw k's key: a Philox block of (k, "RAND") under the seed, so that keys
 * of one seed are unrelated and another seed gives other keys. */
static uint64_t draw_key(uint64_t seed, uint64_t k) {
  const uint32_t ctr[4] = {(uint32_t)k, (uint32_t)(k >> 32), 0x52414e44u, 0}, key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
  uint32_t out[4];
  sj_rt_philox4x32(ctr, key, out);
  return out[0] | (uint64_t)out[1] << 32;
}

sj_random_stream *sj_random_stream_new(sj_ctx *c, uint64_t seed) {
  if (!c) return NULL;
  sj_random_stream *rs = sj_ctx_realloc(c, NULL, 0, sizeof *rs);
  if (!rs) return NULL;
  *rs = (sj_random_stream){.c = c, .seed = seed};
  return rs;
}

void sj_random_stream_free(sj_random_stream *rs) {
  if (!rs) return;
  sj_ctx_realloc(rs->c, rs->states, rs->cap * sizeof *rs->states, 0);
  sj_ctx_realloc(rs->c, rs, sizeof *rs, 0);
}

static void initial_state(uint64_t seed, size_t k, int64_t out[2]) {
  out[0] = (int64_t)draw_key(seed, k);
  out[1] = 0;
}

sj_status sj_random_seed(sj_random_stream *rs, uint64_t seed) {
  if (!rs) return SJ_ERR_INVALID;
  rs->seed = seed;
  for (size_t k = 0; k < rs->n; k++) {
    int64_t st[2];
    initial_state(seed, k, st);
    sj_tensor *t = sj_tensor_wrap(SJ_I64, 1, (const int64_t[]){2}, st);
    sj_status s = t ? sj_shared_set(rs->states[k], t) : SJ_ERR_NOMEM;
    sj_tensor_free(t);
    if (s) return s;
  }
  return SJ_OK;
}

size_t sj_random_stream_nstates(const sj_random_stream *rs) { return rs ? rs->n : 0; }
sj_var *sj_random_stream_state(const sj_random_stream *rs, size_t i) { return rs && i < rs->n ? rs->states[i] : NULL; }

/* The shared state of the next draw, recorded in the stream. */
static sj_var *new_state(sj_random_stream *rs, const char *file, int line) {
  sj_graph *g = sj_graph_of(rs->c);
  if (rs->n == rs->cap) {
    size_t cap = rs->cap ? 2 * rs->cap : 8;
    sj_var **ns = sj_ctx_realloc(rs->c, rs->states, rs->cap * sizeof *ns, cap * sizeof *ns);
    if (!ns) {
      sj_graph_fail(rs->c, file, line, "random stream: out of memory recording a draw");
      g->status = SJ_ERR_NOMEM;
      return g->poison;
    }
    rs->states = ns, rs->cap = cap;
  }
  int64_t st[2];
  initial_state(rs->seed, rs->n, st);
  sj_tensor *t = sj_tensor_wrap(SJ_I64, 1, (const int64_t[]){2}, st);
  if (!t) {
    sj_graph_fail(rs->c, file, line, "random stream: out of memory making a state");
    g->status = SJ_ERR_NOMEM;
    return g->poison;
  }
  sj_var *s = sj_shared_at(rs->c, "random_state", t, file, line);
  sj_tensor_free(t);
  if (s->kind != VAR_POISON) rs->states[rs->n++] = s;
  return s;
}

/* ---- draws ---- */

typedef struct rparams {
  double a, b; /* uniform lo, hi; normal mean, std; bernoulli p */
  int64_t count;
  bool logits;
} rparams;

static void set_params(sj_ctx *c, sj_op *op, const void *arg) {
  const rparams *p = arg;
  switch (op->code) {
  case SJ_OP_RANDOM_UNIFORM: sj_op_set_float(c, op, "lo", p->a), sj_op_set_float(c, op, "hi", p->b); break;
  case SJ_OP_RANDOM_NORMAL: sj_op_set_float(c, op, "mean", p->a), sj_op_set_float(c, op, "std", p->b); break;
  case SJ_OP_RANDOM_BERNOULLI: sj_op_set_float(c, op, "p", p->a); break;
  case SJ_OP_RANDOM_CATEGORICAL: sj_op_set_bool(c, op, "logits", p->logits); break;
  case SJ_OP_RANDOM_SKIP:
    if (p->count != 1) sj_op_set_int(c, op, "count", p->count);
    break;
  default: break;
  }
}

/* Makes the draw's state, the draw (code, type t, operand `like` or
 * NULL), and the state's default update: skipped past the draw, counted
 * by `count` times numel(counted) (counted NULL: count alone). */
static sj_var *draw(sj_random_stream *rs, sj_opcode code, sj_type t, sj_var *like, const rparams *p, bool count_result,
                    const char *file, int line) {
  sj_var *s = new_state(rs, file, line);
  if (s->kind == VAR_POISON) return s;
  sj_var *args[2] = {s, like};
  sj_var *x = sj_graph_op(code, like ? 2 : 1, args, &t, set_params, p, file, line);
  if (x->kind == VAR_POISON) return x;
  sj_var *counted = count_result ? x : like;
  rparams sp = {.count = counted ? 1 : p->count};
  sj_var *sargs[2] = {s, counted};
  sj_var *next = sj_graph_op(SJ_OP_RANDOM_SKIP, counted ? 2 : 1, sargs, NULL, set_params, &sp, file, line);
  if (next->kind == VAR_POISON) return next;
  s->default_update = next;
  return x;
}

/* The draw's type from its shape argument; false (error recorded) when it
 * is not one. */
static bool shape_type(sj_random_stream *rs, const char *fn, sj_random_shape sh, sj_dtype dt, sj_type *t,
                       const char *file, int line) {
  if (sh.like) {
    if (sh.like->kind == VAR_POISON) return false;
    if (sh.like->c != rs->c) {
      sj_graph_fail(rs->c, file, line, "%s: the shape variable is from another context", fn);
      return false;
    }
    const sj_type *l = &sh.like->v->type;
    *t = sj_tensor_type(dt, l->rank, l->dims);
    return true;
  }
  if (sh.rank < 0 || sh.rank > SJ_MAX_RANK || (sh.rank && !sh.dims)) {
    sj_graph_fail(rs->c, file, line, "%s: rank %d is invalid (0..%d, with dims)", fn, sh.rank, SJ_MAX_RANK);
    return false;
  }
  for (int k = 0; k < sh.rank; k++)
    if (sh.dims[k] < 0) {
      sj_graph_fail(rs->c, file, line,
                    "%s: dim %d is %lld; a static shape has dims >= 0 (take a dynamic one from a variable: "
                    "SJ_SHAPE_OF)",
                    fn, k, (long long)sh.dims[k]);
      return false;
    }
  *t = sj_tensor_type(dt, sh.rank, sh.dims);
  if (!sj_type_fits(t)) {
    sj_graph_fail(rs->c, file, line, "%s: the shape is too large", fn);
    return false;
  }
  return true;
}

/* Common checks of the elementwise draws; the count of a static shape. */
static bool start_draw(sj_random_stream *rs, const char *fn, sj_random_shape sh, sj_dtype dt, bool bool_ok,
                       sj_type *t, int64_t *count, const char *file, int line) {
  if (sj_graph_of(rs->c)->failed) return false;
  if ((unsigned)dt >= SJ_DTYPE_COUNT || !(dt == SJ_F32 || dt == SJ_F64 || (bool_ok && dt == SJ_BOOL))) {
    sj_graph_fail(rs->c, file, line, "%s: dtype %s is not supported (f32 or f64%s)", fn,
                  (unsigned)dt < SJ_DTYPE_COUNT ? sj_dtype_name(dt) : "?", bool_ok ? ", or bool" : "");
    return false;
  }
  if (!shape_type(rs, fn, sh, dt, t, file, line)) return false;
  *count = sh.like ? 1 : sj_type_numel(t);
  return true;
}

static sj_var *poison_of(sj_random_stream *rs) { return sj_graph_of(rs->c)->poison; }

sj_var *sj_random_uniform_at(sj_random_stream *rs, sj_random_shape shape, sj_dtype dt, double lo, double hi,
                             const char *file, int line) {
  if (!rs) return NULL;
  sj_type t;
  rparams p = {.a = lo, .b = hi};
  if (!start_draw(rs, "sj_random_uniform", shape, dt, false, &t, &p.count, file, line)) return poison_of(rs);
  if (!isfinite(lo) || !isfinite(hi) || !(lo <= hi)) {
    sj_graph_fail(rs->c, file, line, "sj_random_uniform: needs finite lo <= hi, got lo = %g and hi = %g", lo, hi);
    return poison_of(rs);
  }
  return draw(rs, SJ_OP_RANDOM_UNIFORM, t, shape.like, &p, false, file, line);
}

sj_var *sj_random_normal_at(sj_random_stream *rs, sj_random_shape shape, sj_dtype dt, double mean, double std,
                            const char *file, int line) {
  if (!rs) return NULL;
  sj_type t;
  rparams p = {.a = mean, .b = std};
  if (!start_draw(rs, "sj_random_normal", shape, dt, false, &t, &p.count, file, line)) return poison_of(rs);
  if (!isfinite(mean) || !isfinite(std) || !(std >= 0)) {
    sj_graph_fail(rs->c, file, line, "sj_random_normal: needs a finite mean and a finite std >= 0, got mean = %g and std = %g",
                  mean, std);
    return poison_of(rs);
  }
  return draw(rs, SJ_OP_RANDOM_NORMAL, t, shape.like, &p, false, file, line);
}

sj_var *sj_random_bernoulli_at(sj_random_stream *rs, sj_random_shape shape, sj_dtype dt, double p, const char *file,
                               int line) {
  if (!rs) return NULL;
  sj_type t;
  rparams rp = {.a = p};
  if (!start_draw(rs, "sj_random_bernoulli", shape, dt, true, &t, &rp.count, file, line)) return poison_of(rs);
  if (!(p >= 0 && p <= 1)) {
    sj_graph_fail(rs->c, file, line, "sj_random_bernoulli: needs p in [0, 1], got %g", p);
    return poison_of(rs);
  }
  return draw(rs, SJ_OP_RANDOM_BERNOULLI, t, shape.like, &rp, false, file, line);
}

static bool check_weights(sj_random_stream *rs, sj_var *w, double temperature, sj_dtype dt, const char *file,
                          int line) {
  const char *fn = "sj_random_categorical";
  char d[SJ_TYPE_STR_CAP + 64];
  if (!w) {
    sj_graph_fail(rs->c, file, line, "%s: the weights are NULL", fn);
    return false;
  }
  if (w->kind == VAR_POISON) return false;
  if (w->c != rs->c) {
    sj_graph_fail(rs->c, file, line, "%s: the weights are from another context", fn);
    return false;
  }
  const sj_type *wt = &w->v->type;
  if (wt->rank < 1 || (wt->dt != SJ_F32 && wt->dt != SJ_F64)) {
    sj_graph_fail(rs->c, file, line, "%s: the weights %s must be f32 or f64 with rank >= 1", fn,
                  sj_graph_describe(w, d, sizeof d));
    return false;
  }
  if (wt->dims[wt->rank - 1] == 0) {
    sj_graph_fail(rs->c, file, line, "%s: the weights %s have no categories (last dim 0)", fn,
                  sj_graph_describe(w, d, sizeof d));
    return false;
  }
  if (!isfinite(temperature) || !(temperature > 0)) {
    sj_graph_fail(rs->c, file, line, "%s: temperature must be finite and > 0, got %g", fn, temperature);
    return false;
  }
  if (dt != SJ_I32 && dt != SJ_I64) {
    sj_graph_fail(rs->c, file, line, "%s: dtype %s is not supported (i32 or i64)",
                  fn, (unsigned)dt < SJ_DTYPE_COUNT ? sj_dtype_name(dt) : "?");
    return false;
  }
  return true;
}

sj_var *sj_random_categorical_at(sj_random_stream *rs, sj_var *w, bool logits, double temperature, sj_dtype dt,
                                 const char *file, int line) {
  if (!rs) return NULL;
  if (sj_graph_of(rs->c)->failed || !check_weights(rs, w, temperature, dt, file, line)) return poison_of(rs);
  if (temperature != 1) /* logits / T; probabilities p^(1/T), the same distribution */
    w = logits ? sj_div_at(w, sj_scalar_at(rs->c, temperature, w->v->type.dt, file, line), file, line)
               : sj_pow_at(w, sj_scalar_at(rs->c, 1 / temperature, w->v->type.dt, file, line), file, line);
  if (w->kind == VAR_POISON) return w;
  const sj_type *wt = &w->v->type;
  sj_type t = sj_tensor_type(dt, wt->rank - 1, wt->dims);
  rparams p = {.logits = logits};
  return draw(rs, SJ_OP_RANDOM_CATEGORICAL, t, w, &p, true, file, line);
}

sj_var *sj_dropout_at(sj_random_stream *rs, sj_var *x, double p, const char *file, int line) {
  if (!rs) return NULL;
  if (sj_graph_of(rs->c)->failed || !x || x->kind == VAR_POISON) return x && x->kind == VAR_POISON ? x : poison_of(rs);
  if (!(p >= 0 && p < 1)) {
    sj_graph_fail(rs->c, file, line, "sj_dropout: needs p in [0, 1), got %g", p);
    return poison_of(rs);
  }
  sj_var *mask = sj_random_bernoulli_at(rs, SJ_SHAPE_OF(x), sj_var_dtype(x), 1 - p, file, line);
  sj_var *kept = sj_mul_at(x, mask, file, line);
  return sj_mul_at(kept, sj_scalar_at(rs->c, 1 / (1 - p), sj_var_dtype(x), file, line), file, line);
}
