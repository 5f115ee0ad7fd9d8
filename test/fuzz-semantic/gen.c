/* sj-fuzzgen: writes a random, valid `.sj` program for the semantic fuzzer
 * (scripts/fuzz-semantic.sh). The same seed always gives the same program.
 *
 *   sj-fuzzgen SEED [normal|special]
 *
 * Output: a first line `// ARGS: ...` with the symjit-run options (input
 * shapes, ranges, seed), a line `// EXPECT: pass|error` (error: the program
 * has a dim too large to allocate, or dynamic dims that disagree at run
 * time), then one func. The program is a random DAG over one base shape
 * (so most operands broadcast): elementwise unary/binary ops, comparisons
 * and select, casts between any two dtypes, reductions over random axes
 * with keepdims (empty ones included: base dims may be 0), reshape,
 * transpose, broadcast_to, matmul (and c * matmul +/- matmul, gemm-combine's
 * pattern), take and take_along_axis, softmax and log_softmax, slice,
 * slice_update and index_update, pooling and its gradient ops, conv2d and its gradients, constants, and scan (a cumulative
 * state over the rows of a value and an output, with a random step count,
 * reverse, until and last; docs/decisions/0014-scan.md).
 * `special` mode adds NaN/Inf/-0 values and wide input ranges (i64 inputs
 * beyond 2^53). Each candidate op's type is computed with the IR's own shape
 * helpers; the whole program is parsed and verified before it is printed, so
 * the harness only ever sees valid programs. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "pool.h"
#include "slice.h"
#include "symjit/symjit.h"

#define MAX_VALS 96
#define MAX_OPS 24
#define BASE_RANK 3
#define HUGE_DIM ((int64_t)1 << 40) /* a static dim no run can allocate */

/* Known bug classes the generator can leave out (--avoid NAME), so that a
 * fixed-seed run stays green while a fix is pending; each is a reproducer
 * marked XFAIL in test/Run/fuzz-*.sj. */
enum {
  AVOID_HALF_MATMUL = 1,  /* test/Run/fuzz-half-matmul.sj */
  AVOID_F64_BF16 = 2,     /* test/Run/fuzz-f64-bf16-cast.sj */
  AVOID_HUGE_EMPTY = 4,   /* test/Run/fuzz-huge-empty-hang.sj */
  AVOID_I64_BIG_CONST = 8, /* test/Run/fuzz-i64-constant-precision.sj */
  AVOID_I64_MIN = 16,     /* test/Run/fuzz-i64-min-identity.sj */
  AVOID_TAKE_EMPTY = 32,  /* test/Run/fuzz-take-empty-index.sj */
  AVOID_BOOL_COMPARE = 64, /* test/Run/fuzz-bool-compare.sj */
  AVOID_HALF_SUM = 128,    /* test/Run/fuzz-f16-sum-overflow.sj (special mode) */
  AVOID_SIGN_NAN = 256,    /* test/Run/fuzz-sign-nan-fold.sj (special mode) */
  AVOID_SCAN = 512,        /* test/Run/fuzz-scan-unused-result.sj (no scans at all) */
};
static const char *const avoid_names[] = {"half-matmul", "f64-bf16", "huge-empty", "i64-big-constant", "i64-min",
                                          "take-empty", "bool-compare", "half-sum", "sign-nan", "scan"};

typedef struct val {
  sj_type t;
  int64_t rt[SJ_MAX_RANK]; /* run-time dims */
  int id;
} val;

typedef struct gen {
  uint64_t s;
  bool special;
  val v[MAX_VALS];
  int n, next_id;
  char *buf;
  size_t len, cap;
  bool expect_error;
  char args[2048]; /* symjit-run options */
  unsigned avoid;  /* AVOID_* bits: known bugs not to generate */
} gen;

static uint64_t rnd(gen *g) { /* splitmix64 */
  uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static int pick(gen *g, int n) { return (int)(rnd(g) % (uint64_t)n); }
static bool chance(gen *g, int percent) { return pick(g, 100) < percent; }

static void emit(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(gen *g, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int k = vsnprintf(g->buf + g->len, g->cap - g->len, fmt, ap);
    va_end(ap);
    if (k >= 0 && (size_t)k < g->cap - g->len) {
      g->len += (size_t)k;
      return;
    }
    g->cap = g->cap * 2 + (size_t)k + 64;
    g->buf = realloc(g->buf, g->cap);
    if (!g->buf) exit(2);
  }
}

static const char *ty(const sj_type *t, char *b) { return sj_type_str(t, b, SJ_TYPE_STR_CAP); }

static val *add_val(gen *g, sj_type t, const int64_t *rt) {
  if (g->n == MAX_VALS) return NULL;
  val *v = &g->v[g->n++];
  v->t = t;
  memcpy(v->rt, rt, sizeof v->rt);
  v->id = g->next_id++;
  return v;
}

static const sj_dtype all_dtypes[] = {SJ_F32, SJ_F32, SJ_F64, SJ_F16, SJ_BF16, SJ_I32, SJ_I64, SJ_I8, SJ_BOOL};
static sj_dtype any_dtype(gen *g) { return all_dtypes[pick(g, (int)(sizeof all_dtypes / sizeof all_dtypes[0]))]; }

/* Run-time broadcast of two shapes by the IR's rule (docs/ir.md): only a
 * static 1 stretches; `?` and static dims must be equal at run time.
 * False: the run must be refused. */
static bool rt_broadcast(const val *a, const val *b, int64_t *out, int *rank) {
  *rank = a->t.rank > b->t.rank ? a->t.rank : b->t.rank;
  bool ok = true;
  for (int k = 0; k < *rank; k++) {
    int ia = a->t.rank - *rank + k, ib = b->t.rank - *rank + k;
    bool sa = ia < 0 || a->t.dims[ia] == 1, sb = ib < 0 || b->t.dims[ib] == 1;
    int64_t x = ia >= 0 ? a->rt[ia] : 1, y = ib >= 0 ? b->rt[ib] : 1;
    if (!sa && !sb && x != y) ok = false;
    out[k] = sa ? y : x;
  }
  return ok;
}

/* A value of one of the given kinds (0 any, 1 numeric, 2 float, 3 int, 4
 * bool); NULL if none. */
static val *pick_val(gen *g, int kind) {
  int start = pick(g, g->n);
  for (int i = 0; i < g->n; i++) {
    val *v = &g->v[(start + i) % g->n];
    sj_dtype dt = v->t.dt;
    bool ok = kind == 0 || (kind == 1 && dt != SJ_BOOL) || (kind == 2 && sj_dtype_is_float(dt)) ||
              (kind == 3 && sj_dtype_is_int(dt)) || (kind == 4 && dt == SJ_BOOL);
    if (ok) return v;
  }
  return NULL;
}

/* A partner for `a`: same dtype, shapes broadcast statically and (unless
 * `disagree`) at run time. */
static val *pick_partner(gen *g, const val *a, bool disagree) {
  int start = pick(g, g->n);
  for (int i = 0; i < g->n; i++) {
    val *b = &g->v[(start + i) % g->n];
    sj_type o;
    int64_t rt[SJ_MAX_RANK];
    int r;
    if (b->t.dt != a->t.dt || !sj_broadcast_shapes(&a->t, &b->t, &o)) continue;
    if (rt_broadcast(a, b, rt, &r) != disagree) return b;
  }
  return NULL;
}

static void scalar_literal(gen *g, sj_dtype dt, char *out, size_t cap) {
  static const char *const specials[] = {"nan", "inf", "-inf", "-0.0", "1e30", "65504.0"};
  if (sj_dtype_is_float(dt)) {
    if (g->special && chance(g, 50)) snprintf(out, cap, "%s", specials[pick(g, 6)]);
    else snprintf(out, cap, "%d.%d", pick(g, 7) - 3, pick(g, 10));
  } else if (dt == SJ_BOOL) snprintf(out, cap, "%d", pick(g, 2));
  else if (g->special && dt == SJ_I64 && chance(g, 50) && !(g->avoid & AVOID_I64_BIG_CONST)) snprintf(out, cap, "%" PRId64, (int64_t)(rnd(g) >> 1) * (chance(g, 50) ? 1 : -1));
  else snprintf(out, cap, "%d", pick(g, 11) - 5);
}

static val *gen_constant(gen *g, sj_dtype dt) {
  int64_t rt[SJ_MAX_RANK] = {0};
  sj_type t = sj_tensor_type(dt, 0, rt);
  char lit[64], b[SJ_TYPE_STR_CAP];
  scalar_literal(g, dt, lit, sizeof lit);
  val *v = add_val(g, t, rt);
  if (v) emit(g, "  %%v%d = constant {value = %s} : %s\n", v->id, lit, ty(&t, b));
  return v;
}

static const char *const unary_num[] = {"neg", "abs", "sign"};
static const char *const unary_float[] = {"exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "tanh", "sigmoid", "softplus"};
static const char *const binary_num[] = {"add", "sub", "mul", "div", "maximum", "minimum"};
static const char *const compares[] = {"eq", "ne", "lt", "le", "gt", "ge"};
#define COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))

static void gen_unary(gen *g) {
  val *a = pick_val(g, 1);
  if (!a) return;
  bool fl = sj_dtype_is_float(a->t.dt) && chance(g, 60);
  const char *name = fl ? unary_float[pick(g, COUNT(unary_float))] : unary_num[pick(g, COUNT(unary_num))];
  if (g->special && (g->avoid & AVOID_SIGN_NAN) && sj_dtype_is_float(a->t.dt) && !strcmp(name, "sign")) name = "abs";
  val x = *a;
  val *r = add_val(g, x.t, x.rt);
  char b[SJ_TYPE_STR_CAP];
  if (r) emit(g, "  %%v%d = %s %%v%d : %s\n", r->id, name, x.id, ty(&r->t, b));
}

static void gen_binary(gen *g, int which) { /* 0 arith, 1 compare, 2 pow */
  val *a = pick_val(g, which == 2 ? 2 : which == 1 ? 0 : 1);
  if (!a) return;
  bool disagree = chance(g, 3);
  val *b = pick_partner(g, a, disagree);
  if (!b && !(b = which == 2 || a->t.dt == SJ_BOOL ? NULL : gen_constant(g, a->t.dt))) return;
  if (which == 1 && a->t.dt == SJ_BOOL && chance(g, 50)) return;
  val x = *a, y = *b;
  int cmp = pick(g, COUNT(compares));
  if (which == 1 && a->t.dt == SJ_BOOL && (g->avoid & AVOID_BOOL_COMPARE)) cmp = pick(g, 2); /* eq, ne */
  sj_type o;
  int64_t rt[SJ_MAX_RANK];
  int r;
  if (!sj_broadcast_shapes(&x.t, &y.t, &o)) return;
  if (!rt_broadcast(&x, &y, rt, &r)) g->expect_error = true;
  /* float binary ops: pow or logaddexp, chosen by cmp's parity (already
   * drawn) so that adding logaddexp left every seed's program shape alone */
  const char *fbin = cmp & 1 ? "logaddexp" : "pow";
  const char *name = which == 2 ? fbin : which == 1 ? compares[cmp] : binary_num[pick(g, COUNT(binary_num))];
  if (which == 1) o.dt = SJ_BOOL;
  val *res = add_val(g, o, rt);
  char b2[SJ_TYPE_STR_CAP];
  if (res) emit(g, "  %%v%d = %s %%v%d, %%v%d : %s\n", res->id, name, x.id, y.id, ty(&o, b2));
}

static void gen_select(gen *g) {
  val *k = pick_val(g, 4);
  if (!k) return;
  val *a = pick_val(g, 0);
  val *b = a ? pick_partner(g, a, false) : NULL;
  if (!b) return;
  val K = *k, A = *a, B = *b, ab = A;
  sj_type t, o;
  int64_t rt[SJ_MAX_RANK], rt2[SJ_MAX_RANK];
  int r;
  if (!sj_broadcast_shapes(&A.t, &B.t, &t) || !rt_broadcast(&A, &B, rt, &r)) return;
  ab.t = t;
  memcpy(ab.rt, rt, sizeof rt);
  if (!sj_broadcast_shapes(&K.t, &t, &o)) return;
  o.dt = t.dt; /* the values' dtype, not the condition's (bool) */
  if (!rt_broadcast(&K, &ab, rt2, &r)) return;
  val *res = add_val(g, o, rt2);
  char tb[SJ_TYPE_STR_CAP];
  if (res) emit(g, "  %%v%d = select %%v%d, %%v%d, %%v%d : %s\n", res->id, K.id, A.id, B.id, ty(&o, tb));
}

static void gen_cast(gen *g) {
  val *a = pick_val(g, 0);
  if (!a) return;
  val x = *a;
  sj_type t = x.t;
  t.dt = any_dtype(g);
  if ((g->avoid & AVOID_F64_BF16) && x.t.dt == SJ_F64 && t.dt == SJ_BF16) return;
  val *r = add_val(g, t, x.rt);
  char b[SJ_TYPE_STR_CAP];
  if (r) emit(g, "  %%v%d = cast %%v%d : %s\n", r->id, x.id, ty(&t, b));
}

static void gen_reduce(gen *g) {
  static const char *const names[] = {"sum", "max", "min", "prod", "mean"};
  val *a = pick_val(g, 1);
  if (!a || a->t.rank == 0) return;
  int which = pick(g, 5);
  if (which == 4 && !sj_dtype_is_float(a->t.dt)) which = 0;
  if (which == 2 && a->t.dt == SJ_I64 && (g->avoid & AVOID_I64_MIN)) which = 1;
  bool half = a->t.dt == SJ_F16 || a->t.dt == SJ_BF16;
  if (g->special && half && (g->avoid & AVOID_HALF_SUM) && (which == 0 || which >= 3)) return;
  val x = *a;
  unsigned mask = (unsigned)pick(g, 1 << x.t.rank);
  bool keep = chance(g, 30);
  char axes[64] = "";
  size_t n = 0;
  for (int k = 0; k < x.t.rank; k++)
    if (mask & (1u << k)) n += (size_t)snprintf(axes + n, sizeof axes - n, "%s%d", n ? ", " : "", chance(g, 30) ? k - x.t.rank : k);
  if (!mask) mask = (1u << x.t.rank) - 1; /* no axes: all */
  sj_type t = x.t;
  int64_t rt[SJ_MAX_RANK];
  t.rank = 0;
  for (int k = 0; k < x.t.rank; k++)
    if (!(mask & (1u << k)) || keep) {
      rt[t.rank] = mask & (1u << k) ? 1 : x.rt[k];
      t.dims[t.rank++] = mask & (1u << k) ? 1 : x.t.dims[k];
    }
  val *r = add_val(g, t, rt);
  char b[SJ_TYPE_STR_CAP];
  if (!r) return;
  emit(g, "  %%v%d = %s %%v%d", r->id, names[which], x.id);
  if (n || keep) {
    emit(g, " {");
    if (n) emit(g, "axes = [%s]%s", axes, keep ? ", " : "");
    if (keep) emit(g, "keepdims = true");
    emit(g, "}");
  }
  emit(g, " : %s\n", ty(&t, b));
}

static void gen_transpose(gen *g) {
  val *a = pick_val(g, 0);
  if (!a || a->t.rank < 2) return;
  val x = *a;
  int perm[SJ_MAX_RANK];
  for (int k = 0; k < x.t.rank; k++) perm[k] = k;
  for (int k = x.t.rank - 1; k > 0; k--) {
    int j = pick(g, k + 1), s = perm[k];
    perm[k] = perm[j], perm[j] = s;
  }
  sj_type t = x.t;
  int64_t rt[SJ_MAX_RANK];
  for (int k = 0; k < x.t.rank; k++) t.dims[k] = x.t.dims[perm[k]], rt[k] = x.rt[perm[k]];
  val *r = add_val(g, t, rt);
  char b[SJ_TYPE_STR_CAP];
  if (!r) return;
  emit(g, "  %%v%d = transpose %%v%d {perm = [", r->id, x.id);
  for (int k = 0; k < x.t.rank; k++) emit(g, "%s%d", k ? ", " : "", perm[k]);
  emit(g, "]} : %s\n", ty(&t, b));
}

/* reshape to [?] (flatten) or to [?, last]; broadcast_to a new leading dim
 * and the 1-dims expanded to 3. */
static void gen_reshape(gen *g, bool bcast) {
  val *a = pick_val(g, 0);
  if (!a) return;
  val x = *a;
  sj_type t = x.t;
  int64_t rt[SJ_MAX_RANK], total = 1;
  for (int k = 0; k < x.t.rank; k++)
    if (__builtin_mul_overflow(total, x.rt[k], &total)) return;
  if (!bcast) {
    bool two = x.t.rank >= 2 && x.t.dims[x.t.rank - 1] > 0 && chance(g, 50);
    t.rank = two ? 2 : 1;
    t.dims[0] = SJ_DYN;
    rt[0] = two ? total / x.rt[x.t.rank - 1] : total;
    if (two) t.dims[1] = x.t.dims[x.t.rank - 1], rt[1] = x.rt[x.t.rank - 1];
  } else {
    if (x.t.rank >= SJ_MAX_RANK) return;
    t.rank = x.t.rank + 1;
    t.dims[0] = rt[0] = chance(g, 4) && !(total == 0 && (g->avoid & AVOID_HUGE_EMPTY)) ? HUGE_DIM : 2;
    if (t.dims[0] == HUGE_DIM) g->expect_error = true; /* must be refused before anything runs */
    for (int k = 0; k < x.t.rank; k++) {
      t.dims[k + 1] = x.t.dims[k] == 1 ? 3 : x.t.dims[k];
      rt[k + 1] = x.t.dims[k] == 1 ? 3 : x.rt[k];
    }
  }
  val *r = add_val(g, t, rt);
  char b[SJ_TYPE_STR_CAP];
  if (r) emit(g, "  %%v%d = %s %%v%d : %s\n", r->id, bcast ? "broadcast_to" : "reshape", x.id, ty(&t, b));
}

/* x @ transpose(x) over the last two dims. */
static void gen_matmul(gen *g) {
  val *a = pick_val(g, 2);
  if (!a || a->t.rank < 2) return;
  if ((g->avoid & AVOID_HALF_MATMUL) && (a->t.dt == SJ_F16 || a->t.dt == SJ_BF16)) return;
  val x = *a;
  int r = x.t.rank;
  sj_type tt = x.t, o = x.t;
  int64_t trt[SJ_MAX_RANK], ort[SJ_MAX_RANK];
  memcpy(trt, x.rt, sizeof trt);
  memcpy(ort, x.rt, sizeof ort);
  tt.dims[r - 2] = x.t.dims[r - 1], tt.dims[r - 1] = x.t.dims[r - 2];
  trt[r - 2] = x.rt[r - 1], trt[r - 1] = x.rt[r - 2];
  o.dims[r - 1] = x.t.dims[r - 2], ort[r - 1] = x.rt[r - 2];
  val *t = add_val(g, tt, trt);
  if (!t) return;
  char b[SJ_TYPE_STR_CAP];
  emit(g, "  %%v%d = transpose %%v%d {perm = [", t->id, x.id);
  for (int k = 0; k < r; k++) emit(g, "%s%d", k ? ", " : "", k == r - 2 ? r - 1 : k == r - 1 ? r - 2 : k);
  emit(g, "]} : %s\n", ty(&tt, b));
  val *m = add_val(g, o, ort);
  if (!m) return;
  emit(g, "  %%v%d = matmul %%v%d, %%v%d : %s\n", m->id, x.id, t->id, ty(&o, b));
  if (!chance(g, 30)) return;
  /* c * (x @ t) +/- (x @ t) again: gemm-combine's addmm, accumulating in place */
  int mid = m->id;
  val *m2 = add_val(g, o, ort), *c = m2 ? gen_constant(g, o.dt) : NULL, *s = c ? add_val(g, o, ort) : NULL;
  val *sum = s ? add_val(g, o, ort) : NULL;
  if (!sum) return;
  emit(g, "  %%v%d = matmul %%v%d, %%v%d : %s\n", m2->id, x.id, t->id, ty(&o, b));
  emit(g, "  %%v%d = mul %%v%d, %%v%d : %s\n", s->id, c->id, mid, ty(&o, b));
  emit(g, "  %%v%d = %s %%v%d, %%v%d : %s\n", sum->id, chance(g, 50) ? "add" : "sub", s->id, m2->id, ty(&o, b));
}

/* take(x, cast(y) : i64) / take_along_axis(x, cast(x) : i32) */
static void gen_take(gen *g, bool along) {
  val *a = pick_val(g, 0);
  if (!a || a->t.rank == 0) return;
  val x = *a;
  int k = pick(g, x.t.rank);
  if (x.t.dims[k] == 0) return;
  val *ip = along ? &x : pick_val(g, 0);
  if (!ip || (!along && x.t.rank - 1 + ip->t.rank > SJ_MAX_RANK)) return;
  val iv = *ip;
  sj_type it = iv.t;
  it.dt = along ? SJ_I32 : SJ_I64;
  val *idx = add_val(g, it, iv.rt);
  if (!idx) return;
  char b[SJ_TYPE_STR_CAP];
  emit(g, "  %%v%d = cast %%v%d : %s\n", idx->id, iv.id, ty(&it, b));
  sj_type t = x.t;
  int64_t rt[SJ_MAX_RANK];
  if (along) {
    memcpy(rt, x.rt, sizeof rt);
  } else {
    t.rank = 0;
    for (int d = 0; d < k; d++) rt[t.rank] = x.rt[d], t.dims[t.rank++] = x.t.dims[d];
    for (int d = 0; d < it.rank; d++) rt[t.rank] = iv.rt[d], t.dims[t.rank++] = it.dims[d];
    for (int d = k + 1; d < x.t.rank; d++) rt[t.rank] = x.rt[d], t.dims[t.rank++] = x.t.dims[d];
  }
  if (x.rt[k] == 0 && (g->avoid & AVOID_TAKE_EMPTY)) return;
  if (x.rt[k] == 0) {
    int64_t n = 1;
    for (int d = 0; d < t.rank; d++) n *= rt[d];
    if (n) g->expect_error = true; /* indexing an axis that is empty at run time */
  }
  val *r = add_val(g, t, rt);
  if (r) emit(g, "  %%v%d = %s %%v%d, %%v%d {axis = %d} : %s\n", r->id, along ? "take_along_axis" : "take", x.id, idx->id,
              chance(g, 30) ? k - x.t.rank : k, ty(&t, b));
}

/* softmax / log_softmax along one axis (f32, f64: half types would round
 * after each op of the expansion, beyond the reference's one rounding) */
static void gen_softmax(gen *g) {
  val *a = pick_val(g, 2);
  if (!a || a->t.rank == 0 || (a->t.dt != SJ_F32 && a->t.dt != SJ_F64)) return;
  val x = *a;
  int k = pick(g, x.t.rank);
  val *r = add_val(g, x.t, x.rt);
  char b[SJ_TYPE_STR_CAP];
  if (r) emit(g, "  %%v%d = %s %%v%d {axis = %d} : %s\n", r->id, chance(g, 50) ? "softmax" : "log_softmax", x.id,
              chance(g, 30) ? k - x.t.rank : k, ty(&x.t, b));
}

/* slice with random bounds (both signs, past either end, the int64 limits
 * of an omitted bound) and steps; then, half the time, slice_update of x
 * by that slice ("add", or "set" for bool). */
static void gen_slice(gen *g) {
  static const int64_t bounds[] = {0, 1, 2, -1, -2, -3, 5, -7, INT64_MAX, -INT64_MAX};
  static const int64_t steps[] = {1, 1, 2, 3, -1, -2};
  val *a = pick_val(g, 0);
  if (!a || a->t.rank == 0) return;
  val x = *a;
  sj_type t = x.t;
  int64_t rt[SJ_MAX_RANK], st[SJ_MAX_RANK], sp[SJ_MAX_RANK], sk[SJ_MAX_RANK], first;
  for (int k = 0; k < x.t.rank; k++) {
    st[k] = bounds[pick(g, 10)], sp[k] = bounds[pick(g, 10)], sk[k] = steps[pick(g, 6)];
    sj_slice_resolve(x.rt[k], st[k], sp[k], sk[k], &first, &rt[k]);
    if (x.t.dims[k] != SJ_DYN) t.dims[k] = rt[k];
  }
  val *r = add_val(g, t, rt);
  if (!r) return;
  char b[SJ_TYPE_STR_CAP], attrs[1024];
  size_t n = 0;
  static const char *const names[3] = {"start", "step", "stop"};
  const int64_t *lists[3] = {st, sk, sp};
  for (int i = 0; i < 3; i++) {
    n += (size_t)snprintf(attrs + n, sizeof attrs - n, "%s%s = [", i ? ", " : "", names[i]);
    for (int k = 0; k < x.t.rank; k++) n += (size_t)snprintf(attrs + n, sizeof attrs - n, "%s%" PRId64, k ? ", " : "", lists[i][k]);
    n += (size_t)snprintf(attrs + n, sizeof attrs - n, "]");
  }
  emit(g, "  %%v%d = slice %%v%d {%s} : %s\n", r->id, x.id, attrs, ty(&t, b));
  if (!chance(g, 50)) return;
  val *u = add_val(g, x.t, x.rt);
  if (u)
    emit(g, "  %%v%d = slice_update %%v%d, %%v%d {mode = \"%s\", %s} : %s\n", u->id, x.id, r->id,
         x.t.dt == SJ_BOOL ? "set" : "add", attrs, ty(&x.t, b));
}

/* index_update(x, cast(y) : i64, take(x, that)): repeated and clamped
 * indices ("add" accumulates them, "set" keeps the last). */
static void gen_index_update(gen *g) {
  val *a = pick_val(g, 0);
  if (!a || a->t.rank == 0) return;
  val x = *a;
  int k = pick(g, x.t.rank);
  val *ip = pick_val(g, 0);
  if (x.t.dims[k] == 0 || x.rt[k] == 0 || !ip || x.t.rank - 1 + ip->t.rank > SJ_MAX_RANK || g->n + 3 > MAX_VALS) return;
  val iv = *ip;
  sj_type it = iv.t, t = x.t;
  it.dt = SJ_I64;
  int64_t rt[SJ_MAX_RANK];
  t.rank = 0;
  for (int d = 0; d < k; d++) rt[t.rank] = x.rt[d], t.dims[t.rank++] = x.t.dims[d];
  for (int d = 0; d < it.rank; d++) rt[t.rank] = iv.rt[d], t.dims[t.rank++] = it.dims[d];
  for (int d = k + 1; d < x.t.rank; d++) rt[t.rank] = x.rt[d], t.dims[t.rank++] = x.t.dims[d];
  val *idx = add_val(g, it, iv.rt), *y = idx ? add_val(g, t, rt) : NULL, *u = y ? add_val(g, x.t, x.rt) : NULL;
  if (!u) return;
  char b[SJ_TYPE_STR_CAP];
  int axis = chance(g, 30) ? k - x.t.rank : k;
  emit(g, "  %%v%d = cast %%v%d : %s\n", idx->id, iv.id, ty(&it, b));
  emit(g, "  %%v%d = take %%v%d, %%v%d {axis = %d} : %s\n", y->id, x.id, idx->id, axis, ty(&t, b));
  emit(g, "  %%v%d = index_update %%v%d, %%v%d, %%v%d {axis = %d, mode = \"%s\"} : %s\n", u->id, x.id, idx->id, y->id,
       axis, x.t.dt == SJ_BOOL || chance(g, 50) ? "set" : "add", ty(&x.t, b));
}


/* scan over the rows of x: the state starts at sum(x, axis 0) (a row's
 * type) and steps h' = op(h, row), the output is op2(row, h'). Random
 * extras: a step count %n (i32/i64; now and then larger than the sequence
 * or negative: a run-time error), reverse, a stop condition h' > h (rank-0
 * rows; all results kept last: their row count is data-dependent), and
 * `last`. An output kept last over zero steps is an expected error. */
static void gen_scan(gen *g) {
  static const char *const steps[] = {"add", "sub", "mul", "maximum", "minimum"};
  val *a = pick_val(g, 1);
  if (!a || a->t.rank == 0 || g->n + 4 > MAX_VALS) return;
  val x = *a;
  for (int k = 0; k < x.t.rank; k++)
    if (x.t.dims[k] == HUGE_DIM || x.rt[k] == HUGE_DIM) return;
  bool half = x.t.dt == SJ_F16 || x.t.dt == SJ_BF16;
  if (g->special && half && (g->avoid & AVOID_HALF_SUM)) return;
  sj_type row = x.t;
  int64_t rrt[SJ_MAX_RANK] = {0};
  row.rank--;
  memmove(row.dims, row.dims + 1, (size_t)row.rank * sizeof *row.dims);
  memcpy(rrt, x.rt + 1, (size_t)row.rank * sizeof *rrt);
  bool has_n = chance(g, 30), reverse = chance(g, 25), until = !reverse && row.rank == 0 && chance(g, 30);
  int64_t n = x.rt[0];
  char b[SJ_TYPE_STR_CAP], b2[SJ_TYPE_STR_CAP], b3[SJ_TYPE_STR_CAP];
  val *init = add_val(g, row, rrt);
  if (!init) return;
  emit(g, "  %%v%d = sum %%v%d {axes = [0]} : %s\n", init->id, x.id, ty(&row, b));
  int nid = -1;
  if (has_n) {
    int w = pick(g, 20);
    n = w == 0 ? -1 - pick(g, 3) : w == 1 ? x.rt[0] + 1 + pick(g, 2) : pick(g, (int)x.rt[0] + 1);
    if (n < 0 || n > x.rt[0]) g->expect_error = true;
    int64_t z[SJ_MAX_RANK] = {0};
    sj_type nt = sj_tensor_type(chance(g, 50) ? SJ_I32 : SJ_I64, 0, z);
    val *nv = add_val(g, nt, z);
    if (!nv) return;
    nid = nv->id;
    emit(g, "  %%v%d = constant {value = %" PRId64 "} : %s\n", nid, n, ty(&nt, b));
  }
  bool last[2] = {until || row.rank == SJ_MAX_RANK || chance(g, 25), until || row.rank == SJ_MAX_RANK || chance(g, 25)};
  int64_t lead = !has_n && !until && x.t.dims[0] != SJ_DYN ? x.t.dims[0] : SJ_DYN;
  sj_type rt[2];
  int64_t rrts[2][SJ_MAX_RANK];
  for (int i = 0; i < 2; i++) {
    rt[i] = row;
    memcpy(rrts[i], rrt, sizeof rrt);
    if (last[i]) continue;
    rt[i].rank++;
    memmove(rt[i].dims + 1, row.dims, (size_t)row.rank * sizeof *row.dims);
    memmove(rrts[i] + 1, rrt, (size_t)row.rank * sizeof *rrt);
    rt[i].dims[0] = lead == SJ_DYN ? SJ_DYN : lead + (i == 0);
    rrts[i][0] = (n < 0 ? 0 : n) + (i == 0);
  }
  if (last[1] && n <= 0) g->expect_error = true; /* an output kept last over zero steps (or n < 0) */
  val *S = add_val(g, rt[0], rrts[0]), *Y = S ? add_val(g, rt[1], rrts[1]) : NULL;
  if (!Y) return;
  int xr = g->next_id++, h = g->next_id++, nb = g->next_id++, o = g->next_id++, c = g->next_id++;
  emit(g, "  %%v%d, %%v%d = scan ", S->id, Y->id);
  if (has_n) emit(g, "%%v%d, ", nid);
  emit(g, "%%v%d, %%v%d {", x.id, init->id);
  if (has_n) emit(g, "has_n = true, ");
  if (last[0] || last[1]) emit(g, "last = [%s%s%s], ", last[0] ? "0" : "", last[0] && last[1] ? ", " : "", last[1] ? "1" : "");
  emit(g, "nseq = 1, nstate = 1%s%s} : %s, %s (%%v%d: %s, %%v%d: %s) {\n", reverse ? ", reverse = true" : "",
       until ? ", until = true" : "", ty(&rt[0], b), ty(&rt[1], b2), xr, ty(&row, b3), h, ty(&row, b3));
  emit(g, "    %%v%d = %s %%v%d, %%v%d : %s\n", nb, steps[pick(g, COUNT(steps))], h, xr, ty(&row, b));
  emit(g, "    %%v%d = %s %%v%d, %%v%d : %s\n", o, steps[pick(g, COUNT(steps))], xr, nb, ty(&row, b));
  if (until) emit(g, "    %%v%d = gt %%v%d, %%v%d : bool[]\n", c, nb, h);
  emit(g, "    yield %%v%d, %%v%d", nb, o);
  if (until) emit(g, ", %%v%d", c);
  emit(g, "\n  }\n");
}

/* max_pool2d / avg_pool2d over the last two dims (static) of a float
 * value of rank 4, or of rank 3 or 2 reshaped to rank 4, with random
 * windows (1-3), strides (1-3), pads, ceil_mode and count_pad; half the
 * time followed by its gradient op with the pooled value as g (f32/f64
 * only: a half gradient of overlapping windows rounds after each add,
 * docs/decisions/0023-pool-kernels.md). */
/* *x as a rank-4 value with static last two dims: itself (rank 4), or
 * [?, 1, H, W] from rank 3, [1, 1, H, W] from rank 2 (a reshape); false
 * when it has none. */
static bool as_rank4(gen *g, val *x) {
  int r = x->t.rank;
  if (r < 2 || r > 4) return false;
  int64_t h = x->t.dims[r - 2], w = x->t.dims[r - 1];
  if (h == SJ_DYN || w == SJ_DYN) return false;
  if (r == 3 && h * w == 0) return false; /* a `?` of a zero-size reshape is ambiguous (the reference refuses it) */
  if (r == 4) return true;
  char b[SJ_TYPE_STR_CAP];
  sj_type t = x->t;
  int64_t rt[SJ_MAX_RANK] = {r == 3 ? x->rt[0] : 1, 1, h, w};
  t.rank = 4, t.dims[0] = r == 3 ? SJ_DYN : 1, t.dims[1] = 1, t.dims[2] = h, t.dims[3] = w;
  val *v = add_val(g, t, rt);
  if (!v) return false;
  emit(g, "  %%v%d = reshape %%v%d : %s\n", v->id, x->id, ty(&t, b));
  *x = *v;
  return true;
}

static void gen_pool(gen *g) {
  val *a = pick_val(g, 2);
  if (!a || g->n + 3 > MAX_VALS) return;
  val x = *a;
  if (!as_rank4(g, &x)) return;
  int64_t h = x.t.dims[2], w = x.t.dims[3];
  char b[SJ_TYPE_STR_CAP], ab[256];
  bool is_max = chance(g, 50);
  sj_pool2d p = {.ceil_mode = chance(g, 40), .count_pad = !is_max && chance(g, 50)};
  for (int k = 0; k < 2; k++) {
    p.k[k] = 1 + pick(g, 3), p.s[k] = 1 + pick(g, 3);
    p.lo[k] = pick(g, (int)p.k[k]), p.hi[k] = pick(g, (int)p.k[k]);
  }
  int64_t oh = sj_pool2d_out(&p, 0, h), ow = sj_pool2d_out(&p, 1, w);
  if (oh < 0 || ow < 0) return;
  snprintf(ab, sizeof ab, "ceil_mode = %s,%s pad = [%" PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 "], stride = [%" PRId64
           ", %" PRId64 "], window = [%" PRId64 ", %" PRId64 "]",
           p.ceil_mode ? "true" : "false", is_max ? "" : p.count_pad ? " count_pad = true," : " count_pad = false,", p.lo[0],
           p.hi[0], p.lo[1], p.hi[1], p.s[0], p.s[1], p.k[0], p.k[1]);
  sj_type t = x.t;
  int64_t rt[SJ_MAX_RANK];
  memcpy(rt, x.rt, sizeof rt);
  t.dims[2] = rt[2] = oh, t.dims[3] = rt[3] = ow;
  val *pv = add_val(g, t, rt);
  if (!pv) return;
  emit(g, "  %%v%d = %s %%v%d {%s} : %s\n", pv->id, is_max ? "max_pool2d" : "avg_pool2d", x.id, ab, ty(&t, b));
  if ((x.t.dt != SJ_F32 && x.t.dt != SJ_F64) || !chance(g, 50)) return;
  val *gv = add_val(g, x.t, x.rt);
  if (!gv) return;
  if (is_max) emit(g, "  %%v%d = max_pool2d_grad %%v%d, %%v%d {%s} : %s\n", gv->id, x.id, pv->id, ab, ty(&x.t, b));
  else emit(g, "  %%v%d = avg_pool2d_grad %%v%d, %%v%d {%s} : %s\n", gv->id, pv->id, x.id, ab, ty(&x.t, b));
}

/* conv2d of an f32/f64 value of rank 4 (static C, H, W; N may be `?`)
 * with a dense random filter: O 1-4, kernels 1-3, strides 1-3, dilation
 * 1-2, padding up to the kernel's reach, groups dividing C and O; half the
 * time followed by its input or filter gradient with the output as g
 * (conv_gemm's domain, decision 0041; the half dtypes' kernels are covered
 * by test/Run/conv2d.sj). */
static bool conv_input(const val *v) {
  const sj_type *t = &v->t;
  return (t->dt == SJ_F32 || t->dt == SJ_F64) && t->rank >= 2 && t->rank <= 4 && t->dims[t->rank - 1] != SJ_DYN &&
         t->dims[t->rank - 2] != SJ_DYN && (t->rank < 4 || t->dims[1] != SJ_DYN);
}

/* Some f32/f64 value with static dims as a one-row image [1, 1, 1, numel]
 * (a reshape), into *x; false when there is none. */
static bool as_row_image(gen *g, val *x) {
  int start = pick(g, g->n);
  for (int i = 0; i < g->n; i++) {
    const val *v = &g->v[(start + i) % g->n];
    int64_t n = 1;
    for (int k = 0; k < v->t.rank && n > 0; k++) n = v->t.dims[k] == SJ_DYN ? -1 : n * v->t.dims[k];
    if ((v->t.dt != SJ_F32 && v->t.dt != SJ_F64) || n < 1 || n > 64) continue;
    char b[SJ_TYPE_STR_CAP];
    sj_type t = sj_tensor_type(v->t.dt, 4, (const int64_t[]){1, 1, 1, n});
    int64_t rt[SJ_MAX_RANK] = {1, 1, 1, n};
    int id = v->id;
    val *r = add_val(g, t, rt);
    if (!r) return false;
    emit(g, "  %%v%d = reshape %%v%d : %s\n", r->id, id, ty(&t, b));
    *x = *r;
    return true;
  }
  return false;
}

static void gen_conv(gen *g) {
  int start = pick(g, g->n);
  val *a = NULL;
  for (int i = 0; i < g->n && !a; i++) a = conv_input(&g->v[(start + i) % g->n]) ? &g->v[(start + i) % g->n] : NULL;
  if (g->n + 5 > MAX_VALS) return;
  val x;
  if (a) {
    x = *a;
    if (!as_rank4(g, &x)) return;
  } else if (!as_row_image(g, &x)) return;
  int64_t C = x.t.dims[1], H = x.t.dims[2], W = x.t.dims[3];
  if (C == SJ_DYN || H == SJ_DYN || W == SJ_DYN || C == 0 || C > 8) return;
  int64_t grp = C % 2 == 0 && chance(g, 30) ? 2 : 1, O = grp * (1 + pick(g, 2)), k[2], st[2], dl[2], pd[4], od[2];
  for (int ax = 0; ax < 2; ax++) {
    k[ax] = 1 + pick(g, 3), st[ax] = 1 + pick(g, 3), dl[ax] = 1 + pick(g, 2);
    int64_t reach = dl[ax] * (k[ax] - 1);
    pd[2 * ax] = pick(g, (int)reach + 1), pd[2 * ax + 1] = pick(g, (int)reach + 1);
    int64_t in = ax ? W : H, span = in + pd[2 * ax] + pd[2 * ax + 1] - reach;
    if (span < 1) return;
    od[ax] = (span - 1) / st[ax] + 1;
  }
  char b[SJ_TYPE_STR_CAP], ab[256];
  sj_type wt = sj_tensor_type(x.t.dt, 4, (const int64_t[]){O, C / grp, k[0], k[1]});
  int64_t wrt[SJ_MAX_RANK] = {O, C / grp, k[0], k[1]};
  val *wv = add_val(g, wt, wrt);
  if (!wv) return;
  emit(g, "  %%v%d = constant {value = dense<[", wv->id);
  for (int64_t i = 0; i < O * (C / grp) * k[0] * k[1]; i++) emit(g, "%s%d.%d", i ? ", " : "", pick(g, 5) - 2, pick(g, 10));
  emit(g, "]>} : %s\n", ty(&wt, b));
  snprintf(ab, sizeof ab,
           "dilation = [%" PRId64 ", %" PRId64 "], groups = %" PRId64 ", pad = [%" PRId64 ", %" PRId64 ", %" PRId64
           ", %" PRId64 "], stride = [%" PRId64 ", %" PRId64 "]",
           dl[0], dl[1], grp, pd[0], pd[1], pd[2], pd[3], st[0], st[1]);
  sj_type yt = x.t;
  int64_t yrt[SJ_MAX_RANK];
  memcpy(yrt, x.rt, sizeof yrt);
  yt.dims[1] = yrt[1] = O, yt.dims[2] = yrt[2] = od[0], yt.dims[3] = yrt[3] = od[1];
  val *yv = add_val(g, yt, yrt);
  if (!yv) return;
  emit(g, "  %%v%d = conv2d %%v%d, %%v%d {%s} : %s\n", yv->id, x.id, wv->id, ab, ty(&yt, b));
  if (!chance(g, 50)) return;
  bool dx = chance(g, 50);
  val *gv = dx ? add_val(g, x.t, x.rt) : add_val(g, wt, wrt);
  if (!gv) return;
  if (dx) emit(g, "  %%v%d = conv2d_input_grad %%v%d, %%v%d, %%v%d {%s} : %s\n", gv->id, yv->id, wv->id, x.id, ab, ty(&x.t, b));
  else emit(g, "  %%v%d = conv2d_filter_grad %%v%d, %%v%d, %%v%d {%s} : %s\n", gv->id, x.id, yv->id, wv->id, ab, ty(&wt, b));
}

static void gen_op(gen *g) {
  int w = pick(g, g->avoid & AVOID_SCAN ? 103 : 106);
  if (w < 16) gen_unary(g);
  else if (w < 17) gen_conv(g); /* carved out of unary as pool: the other seeds keep their programs */
  else if (w < 18) gen_pool(g); /* carved out of unary: the other seeds keep their programs */
  else if (w < 38) gen_binary(g, 0);
  else if (w < 44) gen_binary(g, 1);
  else if (w < 47) gen_binary(g, 2);
  else if (w < 52) gen_select(g);
  else if (w < 62) gen_cast(g);
  else if (w < 74) gen_reduce(g);
  else if (w < 78) gen_transpose(g);
  else if (w < 82) gen_reshape(g, false);
  else if (w < 85) gen_reshape(g, true);
  else if (w < 89) gen_matmul(g);
  else if (w < 93) gen_take(g, false);
  else if (w < 96) gen_take(g, true);
  else if (w < 98) gen_softmax(g);
  else if (w < 100) gen_constant(g, any_dtype(g));
  else if (w < 102) gen_slice(g);
  else if (w < 103) gen_index_update(g);
  else gen_scan(g);
}

/* Parameters: dims drawn from a base shape (right-aligned) as the static
 * size, 1, or `?`; run-time `?` sizes are the base's unless a rare
 * disagreement is asked for. */
static void gen_params(gen *g, char *args, size_t cap) {
  int64_t base[BASE_RANK];
  static const int64_t sizes[] = {0, 1, 2, 3, 3, 4, 5, 7};
  for (int k = 0; k < BASE_RANK; k++) base[k] = sizes[pick(g, 8)];
  if (chance(g, 1)) {
    base[pick(g, BASE_RANK)] = HUGE_DIM, g->expect_error = true; /* input too large, or empty */
    for (int k = 0; k < BASE_RANK && (g->avoid & AVOID_HUGE_EMPTY); k++)
      if (!base[k]) base[k] = 2;
  }
  int np = 1 + pick(g, 3);
  size_t n = 0;
  emit(g, "func @f(");
  for (int i = 0; i < np; i++) {
    int64_t zeros[SJ_MAX_RANK] = {0};
    sj_type t = sj_tensor_type(any_dtype(g), pick(g, BASE_RANK + 1), zeros);
    int64_t rt[SJ_MAX_RANK];
    for (int k = 0; k < t.rank; k++) {
      int64_t b = base[BASE_RANK - t.rank + k];
      int w = pick(g, 10);
      t.dims[k] = w < 4 ? b : w < 5 ? 1 : SJ_DYN;
      rt[k] = t.dims[k] == SJ_DYN ? (b == HUGE_DIM ? 2 : b) : t.dims[k];
      if (t.dims[k] == SJ_DYN && chance(g, 4)) rt[k] = b + 1; /* disagrees with its static peers */
    }
    val *v = add_val(g, t, rt);
    char b[SJ_TYPE_STR_CAP];
    emit(g, "%s%%v%d: %s", i ? ", " : "", v->id, ty(&t, b));
    /* no --shape for rank 0: symjit-run refuses one with dims (it did
     * refuse "v0=1", and with it every program with a scalar input) */
    if (t.rank) n += (size_t)snprintf(args + n, cap - n, " --shape v%d=", v->id);
    for (int k = 0; k < t.rank; k++) n += (size_t)snprintf(args + n, cap - n, "%s%" PRId64, k ? "x" : "", rt[k]);
  }
}

/* Special mode: a float parameter gets NaN/Inf/-0 at the elements where it
 * exceeds a threshold. */
static void gen_specials(gen *g) {
  val *a = pick_val(g, 2);
  if (!a) return;
  val x = *a;
  val *th = gen_constant(g, x.t.dt);
  if (!th) return;
  val t = *th;
  sj_type bt = x.t;
  bt.dt = SJ_BOOL;
  val *m = add_val(g, bt, x.rt);
  char b[SJ_TYPE_STR_CAP];
  if (!m) return;
  emit(g, "  %%v%d = gt %%v%d, %%v%d : %s\n", m->id, x.id, t.id, ty(&bt, b));
  static const char *const specials[] = {"nan", "inf", "-inf", "-0.0"};
  sj_type st = sj_tensor_type(x.t.dt, 0, x.rt);
  val *s = add_val(g, st, x.rt);
  if (!s) return;
  emit(g, "  %%v%d = constant {value = %s} : %s\n", s->id, specials[pick(g, 4)], ty(&st, b));
  val *r = add_val(g, x.t, x.rt);
  if (r) emit(g, "  %%v%d = select %%v%d, %%v%d, %%v%d : %s\n", r->id, m->id, s->id, x.id, ty(&x.t, b));
}

static void gen_program(gen *g, uint64_t seed) {
  char *args = g->args;
  size_t argn;
  g->len = 0;
  g->n = 0;
  g->next_id = 0;
  g->expect_error = false;
  gen_params(g, args, sizeof g->args);
  int nparams = g->n;
  emit(g, ") -> (");
  size_t sig_at = g->len; /* result types are known at the end: patched in below */
  emit(g, "%*s) {\n", 400, "");
  if (g->special) gen_specials(g);
  int nops = 1 + pick(g, MAX_OPS);
  for (int i = 0; i < nops; i++) gen_op(g);
  /* results: the last value plus up to two more */
  int nres = 1 + pick(g, 3), res[3];
  res[0] = g->n - 1;
  for (int i = 1; i < nres; i++) res[i] = pick(g, g->n);
  if (g->n == nparams) nres = 1;
  char sig[400] = "", b[SJ_TYPE_STR_CAP];
  size_t sn = 0;
  emit(g, "  return ");
  for (int i = 0; i < nres; i++) {
    emit(g, "%s%%v%d", i ? ", " : "", g->v[res[i]].id);
    sn += (size_t)snprintf(sig + sn, sizeof sig - sn, "%s%s", i ? ", " : "", ty(&g->v[res[i]].t, b));
  }
  emit(g, "\n}\n");
  size_t sl = strlen(sig); /* < 400: 3 types of < 128 chars; close the padding */
  memcpy(g->buf + sig_at, sig, sl);
  memmove(g->buf + sig_at + sl, g->buf + sig_at + 400, g->len - sig_at - 400);
  g->len -= 400 - sl;
  const char *range = g->special ? (chance(g, 50) ? "-1e6,1e6" : "-70000,70000") : "-2,2";
  const char *irange = g->special ? (chance(g, 50) ? "-3e18,3e18" : "-200,200") : "-6,12";
  char head[128];
  int hn = snprintf(head, sizeof head, "--random %" PRIu64 " --range %s --int-range %s", seed, range, irange);
  argn = strlen(args);
  if (hn > 0 && argn + (size_t)hn < sizeof g->args) { /* prepend */
    memmove(args + hn, args, argn + 1);
    memcpy(args, head, (size_t)hn);
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs("usage: sj-fuzzgen SEED [normal|special] [--avoid NAME]...\n", stderr);
    return 2;
  }
  uint64_t seed = strtoull(argv[1], NULL, 10);
  gen g = {.special = argc > 2 && !strcmp(argv[2], "special")};
  for (int i = 2; i + 1 < argc; i++)
    for (unsigned k = 0; k < sizeof avoid_names / sizeof avoid_names[0]; k++)
      if (!strcmp(argv[i], "--avoid") && !strcmp(argv[i + 1], avoid_names[k])) g.avoid |= 1u << k;
  g.cap = 8192;
  g.buf = malloc(g.cap);
  if (!g.buf) return 2;
  sj_ctx *c = sj_ctx_new();
  /* A candidate that does not verify (a generator bug) is replaced by the
   * next seed in the stream, and counted on stderr. */
  for (int attempt = 0; attempt < 100; attempt++) {
    g.s = seed * 1000003ull + (uint64_t)attempt;
    gen_program(&g, seed);
    sj_module *m = NULL;
    if (sj_module_parse(c, g.buf, g.len, "fuzz.sj", &m) == SJ_OK) {
      printf("// ARGS: %s\n// EXPECT: %s\n", g.args, g.expect_error ? "error" : "pass");
      fwrite(g.buf, 1, g.len, stdout);
      sj_ctx_free(c);
      free(g.buf);
      return 0;
    }
    fprintf(stderr, "sj-fuzzgen: seed %" PRIu64 " attempt %d did not verify:\n%s%.*s", seed, attempt, sj_ctx_errmsg(c),
            (int)g.len, g.buf);
    sj_ctx_free(c);
    c = sj_ctx_new();
  }
  sj_ctx_free(c);
  free(g.buf);
  return 1;
}
