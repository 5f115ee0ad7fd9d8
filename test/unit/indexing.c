/* Basic slicing and updates through the graph API (lib/graph/indexing.c):
 * values against an oracle that walks numpy's slice definition element by
 * element (static and dynamic dims, every sign of bounds and step), the
 * gradients of slice, set/inc_subtensor and index_set/index_inc against
 * central finite differences (repeated indices included), and build errors
 * at the caller's file:line. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "symjit/graph.h"

#include "check.h"

static sj_tensor *randt(int rank, const int64_t *dims, uint64_t seed) {
  sj_tensor *t = sj_tensor_new(SJ_F64, rank, dims);
  sj_tensor_fill_uniform(t, seed, -1, 1);
  return t;
}

/* ---- the oracle: numpy's slice, by its definition ---- */

/* The indices x[start:stop:step] takes on an axis of n (the Python data
 * model: omitted bounds, then a negative bound counts from the end, then
 * clamping; then walking from start by step while before stop). */
static int oracle(int64_t n, sj_slice_spec s, int64_t *out) {
  bool back = s.step < 0;
  int64_t a = s.start, b = s.stop;
  if (a == SJ_OMIT) a = back ? n - 1 : 0;
  else {
    if (a < 0) a += n;
    if (a < 0) a = back ? -1 : 0;
    if (a >= n) a = back ? n - 1 : n;
  }
  if (b == SJ_OMIT) b = back ? -1 : n;
  else {
    if (b < 0) b += n;
    if (b < 0) b = back ? -1 : 0;
    if (b >= n) b = back ? n - 1 : n;
  }
  int k = 0;
  for (int64_t i = a; back ? i > b : i < b; i += s.step) out[k++] = i;
  return k;
}

/* x [R, C] (C static, R static or dynamic) sliced by every pair of specs
 * from a list; compiled result against the oracle. */
static void test_slice_values(void) {
  const int64_t big = 1000;
  const sj_slice_spec specs[] = {
      {SJ_OMIT, SJ_OMIT, 1}, {SJ_OMIT, SJ_OMIT, -1}, {1, SJ_OMIT, 1},  {SJ_OMIT, -1, 2}, {-2, SJ_OMIT, -2},
      {4, 1, -1},            {1, 4, -1},             {-big, big, 3},   {big, -big, -3},  {2, 2, 1},
      {-1, -4, -1},          {3, SJ_OMIT, -2},       {SJ_OMIT, 0, -1}, {0, 1, 1},        {-1, SJ_OMIT, 1},
  };
  const int ns = (int)(sizeof specs / sizeof specs[0]);
  const int64_t rows[] = {5, 1, 0};
  for (int dyn = 0; dyn < 2; dyn++)
    for (int ri = 0; ri < 3; ri++)
      for (int p = 0; p < ns; p++) {
        int q = (p * 7 + ri) % ns;
        sj_ctx *c = sj_ctx_new();
        int64_t dims[2] = {rows[ri], 6}, decl[2] = {dyn ? -1 : rows[ri], 6};
        sj_var *x = sj_input(c, "x", SJ_F64, 2, decl);
        sj_slice_spec sp[2] = {specs[p], specs[q]};
        sj_var *s = sj_slice(x, 2, sp);
        sj_function *f = NULL;
        sj_tensor *xt = randt(2, dims, 5), *out = NULL;
        bool ok = sj_compile(c, &x, 1, &s, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK && sj_function_call(f, &xt, 1, &out, 1) == SJ_OK;
        if (!ok) fprintf(stderr, "slice %d,%d rows %lld dyn %d: %s\n", p, q, (long long)rows[ri], dyn, sj_ctx_errmsg(c));
        CHECK(ok);
        int64_t ia[16], ib[16];
        int na = oracle(dims[0], sp[0], ia), nb = oracle(dims[1], sp[1], ib);
        bool same = ok && sj_tensor_rank(out) == 2 && sj_tensor_dims(out)[0] == na && sj_tensor_dims(out)[1] == nb;
        for (int i = 0; same && i < na; i++)
          for (int j = 0; same && j < nb; j++)
            same = sj_tensor_get(out, i * nb + j) == sj_tensor_get(xt, ia[i] * 6 + ib[j]);
        if (ok && !same) fprintf(stderr, "slice specs %d,%d rows %lld dyn %d: wrong values or shape\n", p, q, (long long)rows[ri], dyn);
        CHECK(!ok || same);
        /* the static type is the oracle's length wherever the dim is static */
        CHECK(sj_var_dim(s, 1) == nb && sj_var_dim(s, 0) == (dyn ? -1 : na));
        sj_tensor_free(xt), sj_tensor_free(out);
        sj_function_free(f);
        sj_ctx_free(c);
      }
}

/* x[1], x[:, -1] and an update of one row and one column: values. */
static void test_index_values(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[2] = {-1, 4}, xd[2] = {3, 4}, rd[1] = {4};
  sj_var *x = sj_input(c, "x", SJ_F64, 2, d), *r = sj_input(c, "r", SJ_F64, 1, rd);
  sj_var *outs[4] = {sj_index(x, 0, 1), sj_index(x, -1, -1), NULL, NULL};
  sj_var *row = sj_scalar(c, 2, SJ_I32);
  outs[2] = sj_index_set(x, row, 0, r); /* x[2] = r */
  outs[3] = sj_index_inc(x, sj_scalar(c, -1, SJ_I64), 1, sj_scalar(c, 10, SJ_F64)); /* x[:, -1] += 10 */
  sj_var *ins[2] = {x, r};
  sj_function *f = NULL;
  sj_tensor *in[2] = {randt(2, xd, 3), randt(1, rd, 4)}, *o[4] = {0};
  bool ok = sj_compile(c, ins, 2, outs, 4, NULL, 0, NULL, 0, NULL, &f) == SJ_OK && sj_function_call(f, in, 2, o, 4) == SJ_OK;
  if (!ok) fprintf(stderr, "index: %s\n", sj_ctx_errmsg(c));
  CHECK(ok);
  CHECK(sj_var_rank(outs[0]) == 1 && sj_var_dim(outs[0], 0) == 4 && sj_var_rank(outs[1]) == 1);
  for (int i = 0; ok && i < 4; i++) CHECK(sj_tensor_get(o[0], i) == sj_tensor_get(in[0], 4 + i));
  for (int i = 0; ok && i < 3; i++) CHECK(sj_tensor_get(o[1], i) == sj_tensor_get(in[0], 4 * i + 3));
  for (int i = 0; ok && i < 12; i++) {
    double v = sj_tensor_get(in[0], i);
    CHECK(sj_tensor_get(o[2], i) == (i >= 8 ? sj_tensor_get(in[1], i - 8) : v));
    CHECK(sj_tensor_get(o[3], i) == (i % 4 == 3 ? v + 10 : v));
  }
  for (int i = 0; i < 4; i++) sj_tensor_free(o[i]);
  sj_tensor_free(in[0]), sj_tensor_free(in[1]);
  sj_function_free(f);
  sj_ctx_free(c);
}

/* ---- verify_grad (as test/unit/graph.c: central differences in double) ---- */

typedef sj_var *(*cost_fn)(sj_ctx *c, sj_var *const *x);

typedef struct gcase {
  const char *name;
  int dyn; /* declare dim 0 of every input of rank >= 2 dynamic */
  int nx;
  int rank[3];
  int64_t dims[3][3];
  cost_fn f;
} gcase;

static double eval_cost(sj_function *fc, sj_tensor **xs, int nx) {
  sj_tensor *out = NULL;
  if (sj_function_call(fc, xs, (size_t)nx, &out, 1) != SJ_OK) return NAN;
  double v = sj_tensor_get(out, 0);
  sj_tensor_free(out);
  return v;
}

static void verify_grad(const gcase *gc) {
  sj_ctx *c = sj_ctx_new();
  sj_var *x[3];
  sj_tensor *xs[3];
  for (int i = 0; i < gc->nx; i++) {
    char name[16];
    snprintf(name, sizeof name, "x%d", i);
    int64_t vd[3];
    for (int k = 0; k < gc->rank[i]; k++) vd[k] = gc->dyn && k == 0 && gc->rank[i] >= 2 ? -1 : gc->dims[i][k];
    x[i] = sj_input(c, name, SJ_F64, gc->rank[i], vd);
    xs[i] = randt(gc->rank[i], gc->dims[i], 17u + (uint64_t)i);
  }
  sj_var *cost = gc->f(c, x), *g[3];
  sj_function *fc = NULL, *fg = NULL;
  bool ok = sj_grad(cost, x, (size_t)gc->nx, g) == SJ_OK && sj_compile(c, x, (size_t)gc->nx, &cost, 1, NULL, 0, NULL, 0, NULL, &fc) == SJ_OK &&
            sj_compile(c, x, (size_t)gc->nx, g, (size_t)gc->nx, NULL, 0, NULL, 0, NULL, &fg) == SJ_OK;
  if (!ok) fprintf(stderr, "grad %s: %s\n", gc->name, sj_ctx_errmsg(c));
  CHECK(ok);
  sj_tensor *gt[3] = {0};
  if (ok && sj_function_call(fg, xs, (size_t)gc->nx, gt, (size_t)gc->nx) != SJ_OK) {
    fprintf(stderr, "grad %s: call: %s\n", gc->name, sj_ctx_errmsg(c));
    failures++, ok = false;
  }
  double worst = 0;
  for (int i = 0; ok && i < gc->nx; i++) {
    double *d = sj_tensor_data(xs[i]);
    for (int64_t e = 0; e < sj_tensor_numel(xs[i]); e++) {
      double h = 1e-6 * fmax(1, fabs(d[e])), keep = d[e];
      d[e] = keep + h;
      double up = eval_cost(fc, xs, gc->nx);
      d[e] = keep - h;
      double dn = eval_cost(fc, xs, gc->nx);
      d[e] = keep;
      double num = (up - dn) / (2 * h), sym = sj_tensor_get(gt[i], e);
      double err = fabs(num - sym) / fmax(1, fabs(num));
      if (!(err <= worst)) worst = err;
    }
  }
  if (ok && !(worst < 1e-5)) {
    fprintf(stderr, "grad %s: max relative error %.3g vs central differences\n", gc->name, worst);
    failures++;
  }
  for (int i = 0; i < gc->nx; i++) sj_tensor_free(xs[i]), sj_tensor_free(gt[i]);
  sj_function_free(fc);
  sj_function_free(fg);
  sj_ctx_free(c);
}

#define S(x) sj_sum(x, 0, NULL, 0)
/* a smooth, non-linear read of every element: a wrong gradient shows */
static sj_var *nl(sj_var *x) { return S(sj_mul(sj_tanh(x), sj_add(x, sj_exp(x)))); }

/* integer indices as a shared i32 variable */
static sj_var *indices(sj_ctx *c, int rank, const int64_t *dims, const int32_t *v) {
  sj_tensor *t = sj_tensor_new(SJ_I32, rank, dims);
  for (int64_t i = 0; i < sj_tensor_numel(t); i++) sj_tensor_set(t, i, v[i]);
  sj_var *r = sj_shared(c, "idx", t);
  sj_tensor_free(t);
  return r;
}

static sj_var *c_slice(sj_ctx *c, sj_var *const *x) {
  (void)c;
  sj_slice_spec s[2] = {{-1, SJ_OMIT, -2}, {1, 100, 2}};
  return nl(sj_slice(x[0], 2, s));
}
/* the same region read twice, overlapping: gradients add */
static sj_var *c_slice2(sj_ctx *c, sj_var *const *x) {
  (void)c;
  sj_slice_spec a[1] = {{1, SJ_OMIT, 1}}, b[1] = {{SJ_OMIT, -1, 1}};
  return nl(sj_sub(sj_slice(x[0], 1, a), sj_slice(x[0], 1, b))); /* x[1:] - x[:-1] */
}
/* the same along dynamic rows: both slices and their adjoints are sized at
 * run time (slice_len), the adjoints' values through a sized copy */
static sj_var *c_rowdiff(sj_ctx *c, sj_var *const *x) {
  (void)c;
  sj_slice_spec a[1] = {{1, SJ_OMIT, 1}}, b[1] = {{SJ_OMIT, -1, 1}};
  return nl(sj_mul(sj_slice(x[0], 1, a), sj_slice(x[0], 1, b))); /* x[1:] * x[:-1] */
}
static sj_var *c_inc(sj_ctx *c, sj_var *const *x) {
  (void)c;
  sj_slice_spec s[2] = {{SJ_OMIT, SJ_OMIT, -2}, {-3, -1, 1}};
  return nl(sj_inc_subtensor(x[0], 2, s, x[1])); /* y [2] broadcast over the rows */
}
static sj_var *c_set(sj_ctx *c, sj_var *const *x) {
  (void)c;
  sj_slice_spec s[2] = {{1, 3, 1}, {SJ_OMIT, SJ_OMIT, 3}};
  return nl(sj_set_subtensor(x[0], 2, s, x[1])); /* y [2, 1] broadcast over the columns */
}
static sj_var *c_index(sj_ctx *c, sj_var *const *x) {
  (void)c;
  return sj_add(nl(sj_index(x[0], 1, -1)), nl(sj_index(x[0], 0, 0)));
}
static sj_var *c_index_inc(sj_ctx *c, sj_var *const *x) {
  int64_t d[1] = {5};
  int32_t v[5] = {1, 3, 1, -1, 1}; /* row 1 three times */
  return nl(sj_index_inc(x[0], indices(c, 1, d, v), 0, x[1]));
}
static sj_var *c_index_set(sj_ctx *c, sj_var *const *x) {
  int64_t d[2] = {2, 2};
  int32_t v[4] = {2, 0, 2, 2}; /* column 2 three times: only the last write counts */
  return nl(sj_index_set(x[0], indices(c, 2, d, v), 1, x[1]));
}
/* second order through a slice: its gradient is a slice_update, whose own
 * gradient is a slice again */
static sj_var *c_slice_2nd(sj_ctx *c, sj_var *const *x) {
  (void)c;
  sj_slice_spec s[1] = {{SJ_OMIT, SJ_OMIT, -2}};
  sj_var *t = sj_slice(x[0], 1, s), *g = NULL;
  if (sj_grad(S(sj_mul(sj_mul(t, t), t)), &x[0], 1, &g) != SJ_OK) return g;
  return S(sj_mul(g, sj_exp(g)));
}

static void test_grads(void) {
  const gcase cases[] = {
      {"slice, negative step", 0, 1, {2}, {{5, 6}}, c_slice},
      {"slice, dynamic rows", 1, 1, {2}, {{5, 6}}, c_slice},
      {"overlapping slices", 0, 1, {1}, {{6}}, c_slice2},
      {"overlapping slices, dynamic rows", 1, 1, {2}, {{5, 3}}, c_rowdiff},
      {"inc_subtensor, broadcast values", 0, 2, {2, 1}, {{5, 4}, {2}}, c_inc},
      {"inc_subtensor, dynamic rows", 1, 2, {2, 1}, {{4, 4}, {2}}, c_inc},
      {"set_subtensor, broadcast values", 0, 2, {2, 2}, {{4, 7}, {2, 1}}, c_set},
      {"set_subtensor, dynamic rows", 1, 2, {2, 2}, {{3, 7}, {2, 1}}, c_set},
      {"index (drops an axis)", 1, 1, {2}, {{3, 4}}, c_index},
      {"index_inc, repeated rows", 0, 2, {2, 2}, {{4, 3}, {5, 3}}, c_index_inc},
      {"index_set, repeated columns", 0, 2, {2, 3}, {{3, 4}, {3, 2, 2}}, c_index_set},
      {"slice, second order", 0, 1, {1}, {{7}}, c_slice_2nd},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) verify_grad(&cases[i]);
}

/* ---- errors at the call site ---- */

static void expect_error(sj_ctx *c, sj_var *v, int line, const char *what) {
  char where[512];
  snprintf(where, sizeof where, "%s:%d: error: %s", __FILE__, line, what);
  CHECK(v && sj_var_rank(v) == 0);
  sj_function *f = NULL;
  CHECK(sj_compile(c, NULL, 0, &v, 1, NULL, 0, NULL, 0, NULL, &f) != SJ_OK && f == NULL);
  if (!strstr(sj_ctx_errmsg(c), where)) {
    fprintf(stderr, "%s:%d: expected \"%s\" in:\n%s\n", __FILE__, line, where, sj_ctx_errmsg(c));
    failures++;
  }
  sj_ctx_clear_errors(c);
}

static void test_errors(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[2] = {4, -1};
  sj_var *x = sj_name(sj_input(c, "x", SJ_F32, 2, d), "x"), *s0 = sj_scalar(c, 1, SJ_F32);
  sj_slice_spec zero[1] = {{0, 2, 0}}, all2[3] = {SJ_ALL, SJ_ALL, SJ_ALL};
  int l;
  l = __LINE__ + 1;
  expect_error(c, sj_slice(x, 1, zero), l, "slice: step of axis 0 is 0; it must be non-zero (operand 'x' f32[4,?])");
  l = __LINE__ + 1;
  expect_error(c, sj_slice(x, 3, all2), l, "slice: 3 axes given for rank 2 (operand 'x' f32[4,?])");
  l = __LINE__ + 1;
  expect_error(c, sj_slice(x, 1, NULL), l, "slice: 1 axes given for rank 2 but spec is NULL (operand 'x' f32[4,?])");
  l = __LINE__ + 1;
  expect_error(c, sj_slice(s0, 0, NULL), l, "slice: cannot slice a rank-0 tensor (operand f32[])");
  l = __LINE__ + 1;
  expect_error(c, sj_index(x, 0, 4), l, "index: index 4 is out of range for an axis of size 4 (operand 'x' f32[4,?])");
  l = __LINE__ + 1;
  expect_error(c, sj_index(x, 0, -5), l, "index: index -5 is out of range for an axis of size 4 (operand 'x' f32[4,?])");
  l = __LINE__ + 1;
  expect_error(c, sj_index(x, 2, 0), l, "index: axis 2 is out of range for rank 2 (operand 'x' f32[4,?])");
  l = __LINE__ + 1;
  expect_error(c, sj_inc_subtensor(x, 1, zero, s0), l, "inc_subtensor: step of axis 0 is 0; it must be non-zero");
  int64_t y31[2] = {3, 1}, flat[1] = {-1};
  sj_var *y = sj_input(c, "y", SJ_F32, 2, y31);
  sj_slice_spec two[2] = {{1, 3, 1}, SJ_ALL};
  l = __LINE__ + 1;
  expect_error(c, sj_set_subtensor(x, 2, two, y), l, "'slice_update' op values f32[3,1] do not broadcast to the updated region f32[2,?]");
  /* a dynamic index array: set's gradient w.r.t. the values is refused, by name */
  int64_t dd[1] = {-1};
  sj_var *ix = sj_input(c, "i", SJ_I32, 1, dd), *v = sj_input(c, "v", SJ_F32, 1, dd);
  sj_var *cost = sj_sum(sj_index_set(sj_reshape(x, 1, flat), ix, 0, v), 0, NULL, 0), *g = NULL;
  l = __LINE__ + 1;
  CHECK(sj_grad(cost, &v, 1, &g) != SJ_OK);
  char where[256];
  snprintf(where, sizeof where, "%s:%d: error: grad: index_set with indices i32[?]: the gradient w.r.t. the values", __FILE__, l);
  CHECK(strstr(sj_ctx_errmsg(c), where) != NULL);
  sj_ctx_clear_errors(c);
  /* ... but only when that gradient is wanted: w.r.t. x alone it is built */
  int64_t xd[2] = {4, 3};
  sj_var *x2 = sj_input(c, "x2", SJ_F32, 2, xd), *v2 = sj_input(c, "v2", SJ_F32, 1, dd);
  sj_var *cost2 = sj_sum(sj_exp(sj_index_set(sj_reshape(x2, 1, flat), ix, 0, v2)), 0, NULL, 0);
  CHECK(sj_grad(cost2, &x2, 1, &g) == SJ_OK && sj_var_rank(g) == 2);
  /* NULL operands: NULL back when nothing names the context */
  CHECK(sj_slice(NULL, 0, NULL) == NULL && sj_index(NULL, 0, 0) == NULL);
  CHECK(sj_set_subtensor(NULL, 0, NULL, NULL) == NULL && sj_index_inc(NULL, NULL, 0, NULL) == NULL);
  sj_ctx_free(c);
}

int main(void) {
  test_slice_values();
  test_index_values();
  test_grads();
  test_errors();
  if (failures) fprintf(stderr, "%d failure(s)\n", failures);
  return failures != 0;
}
