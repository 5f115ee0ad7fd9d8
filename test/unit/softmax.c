/* The softmax family through the graph API: every user spelling of the
 * softmax cross-entropy compiles to the fused softmax_xent op (checked on
 * the IR the rewrites leave, and by the values at logits where the naive
 * spellings give inf or NaN), exact costs at the extremes in f32 and f64,
 * gradients against central differences (first and second order), the
 * gradient softmax(x) - onehot(y) at the extremes, zero-size and dynamic
 * batches, out-of-range labels, the binary cross-entropy from logits, and
 * build errors naming the call site. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "symjit/graph.h"

#include "check.h"

#define B 6
#define C 3

/* Rows: dominating target (cost 0), hugely wrong target (cost 2e4), a tie
 * (log 2), an overflow-size logit, and two ordinary rows. */
static const double X[B][C] = {{1e4, 0, -1e4}, {1e4, -1e4, 0}, {-1e4, 1e4, 1e4},
                               {3e38, -3e38, 0}, {1, 2, 3}, {0.5, -0.25, 2}};
static const int Y[B] = {0, 1, 2, 0, 1, 2};

/* The stable per-row cost in double (the oracle). */
static double xent_row(const double *x, int n, int y) {
  double m = -INFINITY, s = 0;
  for (int j = 0; j < n; j++) m = fmax(m, x[j]);
  for (int j = 0; j < n; j++) s += exp(x[j] - m);
  return log(s) - (x[y] - m);
}

static double expected_mean(void) {
  double s = 0;
  for (int i = 0; i < B; i++) s += xent_row(X[i], C, Y[i]);
  return s / B;
}

static sj_tensor *logits_tensor(sj_dtype dt) {
  int64_t d[2] = {B, C};
  sj_tensor *t = sj_tensor_new(dt, 2, d);
  for (int i = 0; i < B; i++)
    for (int j = 0; j < C; j++) sj_tensor_set(t, i * C + j, X[i][j]);
  return t;
}

static sj_tensor *labels_tensor(sj_dtype dt, int n, const int *y) {
  int64_t d[1] = {n};
  sj_tensor *t = sj_tensor_new(dt, 1, d);
  for (int i = 0; i < n; i++) sj_tensor_set(t, i, y[i]);
  return t;
}

/* ---- the user spellings ---- */

typedef sj_var *(*spelling_fn)(sj_ctx *c, sj_var *x, sj_var *y);

static sj_var *labels_col(sj_var *y) {
  int64_t d[2] = {-1, 1};
  return sj_reshape(y, 2, d);
}
static sj_var *neg_mean(sj_var *v) { return sj_neg(sj_mean(v, 0, NULL, 0)); }

static sj_var *s_crossentropy(sj_ctx *c, sj_var *x, sj_var *y) { (void)c; return sj_crossentropy(x, y); }
static sj_var *s_logits(sj_ctx *c, sj_var *x, sj_var *y) { (void)c; return sj_softmax_crossentropy_logits(x, y); }
static sj_var *s_categorical(sj_ctx *c, sj_var *x, sj_var *y) {
  (void)c;
  return sj_categorical_crossentropy(sj_softmax(x, 1), y);
}
/* -log(softmax(x)[labels]) */
static sj_var *s_log_of_take(sj_ctx *c, sj_var *x, sj_var *y) {
  (void)c;
  return neg_mean(sj_log(sj_take_along_axis(sj_softmax(x, 1), labels_col(y), 1)));
}
/* -log(softmax(x))[labels] */
static sj_var *s_take_of_log(sj_ctx *c, sj_var *x, sj_var *y) {
  (void)c;
  return neg_mean(sj_take_along_axis(sj_log(sj_softmax(x, -1)), labels_col(y), -1));
}
/* -sum(one_hot(y) * log_softmax(x), 1) */
static sj_var *s_one_hot(sj_ctx *c, sj_var *x, sj_var *y) {
  (void)c;
  int ax = 1;
  sj_var *oh = sj_one_hot(y, C, sj_var_dtype(x));
  return neg_mean(sj_sum(sj_mul(oh, sj_log_softmax(x, 1)), 1, &ax, 0));
}
/* the same with log(softmax) and the one_hot on the right */
static sj_var *s_one_hot_log(sj_ctx *c, sj_var *x, sj_var *y) {
  (void)c;
  int ax = -1;
  sj_var *oh = sj_one_hot(y, C, sj_var_dtype(x));
  return neg_mean(sj_sum(sj_mul(sj_log(sj_softmax(x, 1)), oh), 1, &ax, 0));
}
/* a hand-written softmax, exp(x) / sum(exp(x)) kept dims, then Theano's
 * categorical_crossentropy */
static sj_var *s_manual_softmax(sj_ctx *c, sj_var *x, sj_var *y) {
  (void)c;
  int ax = 1;
  sj_var *e = sj_exp(x);
  return sj_categorical_crossentropy(sj_div(e, sj_sum(e, 1, &ax, 1)), y);
}
/* the same without keepdims: reshaped back to [B, 1] */
static sj_var *s_manual_reshaped(sj_ctx *c, sj_var *x, sj_var *y) {
  (void)c;
  int ax = 1;
  int64_t d[2] = {-1, 1};
  sj_var *e = sj_exp(x);
  return sj_categorical_crossentropy(sj_div(e, sj_reshape(sj_sum(e, 1, &ax, 0), 2, d)), y);
}

typedef struct spelling {
  const char *name;
  spelling_fn f;
} spelling;

static const spelling spellings[] = {
    {"sj_crossentropy", s_crossentropy},
    {"sj_softmax_crossentropy_logits", s_logits},
    {"sj_categorical_crossentropy(sj_softmax)", s_categorical},
    {"-log(softmax(x)[labels])", s_log_of_take},
    {"-log(softmax(x))[labels]", s_take_of_log},
    {"-sum(one_hot * log_softmax)", s_one_hot},
    {"-sum(log(softmax) * one_hot)", s_one_hot_log},
    {"categorical(exp(x) / sum(exp(x)))", s_manual_softmax},
    {"categorical(exp(x) / reshape(sum(exp(x))))", s_manual_reshaped},
};
#define NSPELL (sizeof spellings / sizeof spellings[0])

/* Stopping the pipeline after the rewrites: the only op left that needs a
 * kernel of its own first is softmax_xent, which the executor names. */
static void check_fused_ir(const spelling *s) {
  sj_ctx *c = sj_ctx_new();
  int64_t xd[2] = {-1, C}, yd[1] = {-1};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, xd), *y = sj_input(c, "y", SJ_I32, 1, yd);
  sj_var *cost = s->f(c, x, y), *in[2] = {x, y};
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.pipeline = "canonicalize,stabilize-softmax,cse,canonicalize,dce";
  sj_function *f = NULL;
  sj_status st = sj_compile(c, in, 2, &cost, 1, NULL, 0, NULL, 0, &o, &f);
  if (st == SJ_OK) { /* compiles only if nothing is left for a kernel */
    fprintf(stderr, "%s: compiled without expand-softmax\n", s->name);
    failures++;
  } else if (!strstr(sj_ctx_errmsg(c), "'softmax_xent' op cannot run at function level")) {
    fprintf(stderr, "%s: not fused: %s\n", s->name, sj_ctx_errmsg(c));
    failures++;
  }
  sj_function_free(f);
  sj_ctx_free(c);
}

/* Compiled through -O, the value at the extreme logits is the stable mean
 * (no inf, no NaN), in f32 and f64, with a dynamic batch. */
static void check_value(const spelling *s, sj_dtype dt) {
  sj_ctx *c = sj_ctx_new();
  int64_t xd[2] = {-1, C}, yd[1] = {-1};
  sj_var *x = sj_input(c, "x", dt, 2, xd), *y = sj_input(c, "y", SJ_I32, 1, yd);
  sj_var *cost = s->f(c, x, y), *in[2] = {x, y};
  sj_function *f = NULL;
  sj_tensor *tin[2] = {logits_tensor(dt), labels_tensor(SJ_I32, B, Y)}, *out = NULL;
  if (dt == SJ_F64) sj_tensor_set(tin[0], 3 * C, 1e308), sj_tensor_set(tin[0], 3 * C + 1, -1e308);
  bool ok = sj_compile(c, in, 2, &cost, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK &&
            sj_function_call(f, tin, 2, &out, 1) == SJ_OK;
  double want = expected_mean(), got = ok ? sj_tensor_get(out, 0) : NAN;
  double tol = dt == SJ_F32 ? 2e-3 : 1e-9; /* the mean is about 3334: a few f32 ulps */
  if (!ok || !(fabs(got - want) <= tol)) {
    fprintf(stderr, "%s (%s): got %.17g, want %.17g %s\n", s->name, dt == SJ_F32 ? "f32" : "f64", got, want,
            ok ? "" : sj_ctx_errmsg(c));
    failures++;
  }
  for (int i = 0; i < 2; i++) sj_tensor_free(tin[i]);
  sj_tensor_free(out);
  sj_function_free(f);
  sj_ctx_free(c);
}

static void test_spellings(void) {
  for (size_t i = 0; i < NSPELL; i++) {
    check_fused_ir(&spellings[i]);
    check_value(&spellings[i], SJ_F32);
    check_value(&spellings[i], SJ_F64);
  }
  /* the bias add of a linear layer: x @ W + b, then each spelling */
  for (size_t i = 0; i < NSPELL; i++) {
    sj_ctx *c = sj_ctx_new();
    int64_t xd[2] = {-1, C}, yd[1] = {-1}, wd[2] = {C, C}, bd[1] = {C};
    sj_var *x = sj_input(c, "x", SJ_F64, 2, xd), *y = sj_input(c, "y", SJ_I32, 1, yd);
    sj_var *W = sj_input(c, "W", SJ_F64, 2, wd), *b = sj_input(c, "b", SJ_F64, 1, bd);
    sj_var *cost = spellings[i].f(c, sj_add(sj_matmul(x, W), b), y), *in[4] = {x, y, W, b};
    sj_tensor *eye = sj_tensor_new(SJ_F64, 2, wd), *zb = sj_tensor_new(SJ_F64, 1, bd);
    for (int k = 0; k < C; k++) sj_tensor_set(eye, k * C + k, 1);
    sj_tensor *tin[4] = {logits_tensor(SJ_F64), labels_tensor(SJ_I32, B, Y), eye, zb}, *out = NULL;
    sj_tensor_set(tin[0], 3 * C, 1e308), sj_tensor_set(tin[0], 3 * C + 1, -1e308); /* -2e308: -inf */
    sj_function *f = NULL;
    bool ok = sj_compile(c, in, 4, &cost, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK &&
              sj_function_call(f, tin, 4, &out, 1) == SJ_OK;
    double got = ok ? sj_tensor_get(out, 0) : NAN;
    if (!ok || !(fabs(got - expected_mean()) <= 1e-9)) {
      fprintf(stderr, "%s with a bias add: got %.17g, want %.17g\n", spellings[i].name, got, expected_mean());
      failures++;
    }
    for (int k = 0; k < 4; k++) sj_tensor_free(tin[k]);
    sj_tensor_free(out);
    sj_function_free(f);
    sj_ctx_free(c);
  }
}

/* ---- per-row costs, labels out of range, zero-size batch ---- */

static void test_rows(void) {
  for (int k = 0; k < 2; k++) {
    sj_dtype dt = k ? SJ_F64 : SJ_F32;
    sj_ctx *c = sj_ctx_new();
    int64_t xd[2] = {-1, C}, yd[1] = {-1};
    sj_var *x = sj_input(c, "x", dt, 2, xd), *y = sj_input(c, "y", SJ_I64, 1, yd);
    sj_var *rows = sj_softmax_xent(x, y, 1), *in[2] = {x, y};
    sj_function *f = NULL;
    CHECK(sj_compile(c, in, 2, &rows, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
    int bad[B] = {0, -1, 3, 0, 1, 2}; /* rows 1 and 2: outside [0, 3) */
    sj_tensor *tin[2] = {logits_tensor(dt), labels_tensor(SJ_I64, B, bad)}, *out = NULL;
    CHECK(f && sj_function_call(f, tin, 2, &out, 1) == SJ_OK);
    for (int i = 0; out && i < B; i++) {
      double got = sj_tensor_get(out, i), want = bad[i] < 0 || bad[i] >= C ? NAN : xent_row(X[i], C, bad[i]);
      if (isnan(want)) CHECK(isnan(got));
      else CHECK(fabs(got - want) <= (dt == SJ_F32 ? 1e-6 * fmax(1, want) : 1e-12));
    }
    CHECK(out && sj_tensor_get(out, 0) == 0 && sj_tensor_get(out, 3) == 0); /* exactly */
    sj_tensor_free(out), out = NULL;
    /* zero rows: an empty result */
    int64_t ed[2] = {0, C}, el[1] = {0};
    sj_tensor *ein[2] = {sj_tensor_new(dt, 2, ed), sj_tensor_new(SJ_I64, 1, el)};
    CHECK(f && sj_function_call(f, ein, 2, &out, 1) == SJ_OK);
    CHECK(out && sj_tensor_numel(out) == 0);
    for (int i = 0; i < 2; i++) sj_tensor_free(tin[i]), sj_tensor_free(ein[i]);
    sj_tensor_free(out);
    sj_function_free(f);
    sj_ctx_free(c);
  }
}

/* ---- gradients ---- */

/* The gradient of the mean cost wrt the logits at the extremes is exactly
 * (softmax(x) - onehot(y)) / B: 0 for a dominating target, -1 and +1 for a
 * hugely wrong one (f32 and f64), NaN rows for labels out of range; for the
 * spellings that build the fused op (the graph API applies log(softmax) ->
 * log_softmax and take_along_axis(log_softmax) -> softmax_xent as it
 * builds, so sj_grad sees them). */
static void test_grad_extremes(void) {
  static const spelling_fn fns[] = {s_crossentropy, s_categorical, s_log_of_take, s_take_of_log};
  for (int k = 0; k < 8; k++) {
    sj_dtype dt = k & 1 ? SJ_F64 : SJ_F32;
    sj_ctx *c = sj_ctx_new();
    int64_t xd[2] = {-1, C}, yd[1] = {-1};
    sj_var *x = sj_input(c, "x", dt, 2, xd), *y = sj_input(c, "y", SJ_I32, 1, yd);
    sj_var *cost = fns[k / 2](c, x, y), *g;
    sj_var *in[2] = {x, y};
    CHECK(sj_grad(cost, &x, 1, &g) == SJ_OK);
    sj_function *f = NULL;
    CHECK(sj_compile(c, in, 2, &g, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
    int lab[B] = {0, 1, 2, 0, 7, -1};
    sj_tensor *tin[2] = {logits_tensor(dt), labels_tensor(SJ_I32, B, lab)}, *out = NULL;
    CHECK(f && sj_function_call(f, tin, 2, &out, 1) == SJ_OK);
    const double want[4][C] = {{0, 0, 0}, {1, -1, 0}, {0, 0.5, -0.5}, {0, 0, 0}};
    for (int i = 0; out && i < 4; i++)
      for (int j = 0; j < C; j++) { /* (1/B rounded to the dtype) * {0, +-0.5, +-1}: exact */
        double w = dt == SJ_F32 ? (double)(float)(want[i][j] / B) : want[i][j] / B;
        CHECK(sj_tensor_get(out, i * C + j) == w);
      }
    for (int i = 4; out && i < B; i++)
      for (int j = 0; j < C; j++) CHECK(isnan(sj_tensor_get(out, i * C + j)));
    for (int i = 0; i < 2; i++) sj_tensor_free(tin[i]);
    sj_tensor_free(out);
    sj_function_free(f);
    sj_ctx_free(c);
  }
}

typedef sj_var *(*cost_fn)(sj_var *x, sj_var *aux);

/* Central differences in f64 of cost(x, aux) wrt x against sj_grad; when
 * second, the cost is sum(grad(cost) * w) for a fixed w (second order). */
static void verify_grad(const char *name, int rank, const int64_t *dims, bool dyn0, sj_dtype auxdt, int auxrank,
                        const int64_t *auxdims, sj_tensor *auxval, cost_fn fn, bool second) {
  sj_ctx *c = sj_ctx_new();
  int64_t vd[4];
  for (int i = 0; i < rank; i++) vd[i] = dyn0 && i == 0 ? -1 : dims[i];
  sj_var *x = sj_input(c, "x", SJ_F64, rank, vd), *aux = sj_input(c, "aux", auxdt, auxrank, auxdims);
  sj_var *w = sj_input(c, "w", SJ_F64, rank, vd);
  sj_var *cost = fn(x, aux), *g;
  if (second) {
    CHECK(sj_grad(cost, &x, 1, &g) == SJ_OK);
    cost = sj_sum(sj_mul(g, w), 0, NULL, 0);
  }
  CHECK(sj_grad(cost, &x, 1, &g) == SJ_OK);
  sj_var *in[3] = {x, aux, w};
  size_t nin = second ? 3 : 2; /* no unused inputs (w is read only to second order) */
  sj_function *fc = NULL, *fg = NULL;
  bool ok = sj_compile(c, in, nin, &cost, 1, NULL, 0, NULL, 0, NULL, &fc) == SJ_OK &&
            sj_compile(c, in, nin, &g, 1, NULL, 0, NULL, 0, NULL, &fg) == SJ_OK;
  sj_tensor *xt = sj_tensor_new(SJ_F64, rank, dims), *wt = sj_tensor_new(SJ_F64, rank, dims), *gt = NULL;
  sj_tensor_fill_uniform(xt, 7, -3, 3);
  sj_tensor_fill_uniform(wt, 8, -1, 1);
  sj_tensor *tin[3] = {xt, auxval, wt};
  ok = ok && sj_function_call(fg, tin, nin, &gt, 1) == SJ_OK;
  if (!ok) fprintf(stderr, "grad %s: %s\n", name, sj_ctx_errmsg(c)), failures++;
  double worst = 0, *d = sj_tensor_data(xt);
  for (int64_t e = 0; ok && e < sj_tensor_numel(xt); e++) {
    double h = 1e-6 * fmax(1, fabs(d[e])), keep = d[e], v[2];
    for (int s = 0; s < 2; s++) {
      sj_tensor *o = NULL;
      d[e] = keep + (s ? -h : h);
      v[s] = sj_function_call(fc, tin, nin, &o, 1) == SJ_OK ? sj_tensor_get(o, 0) : NAN;
      sj_tensor_free(o);
    }
    d[e] = keep;
    double num = (v[0] - v[1]) / (2 * h), err = fabs(num - sj_tensor_get(gt, e)) / fmax(1, fabs(num));
    if (!(err <= worst)) worst = err;
  }
  if (ok && !(worst < 1e-6)) {
    fprintf(stderr, "grad %s: max relative error %.3g vs central differences\n", name, worst);
    failures++;
  }
  sj_tensor_free(xt), sj_tensor_free(wt), sj_tensor_free(gt);
  sj_function_free(fc), sj_function_free(fg);
  sj_ctx_free(c);
}

static sj_var *S(sj_var *v) { return sj_sum(v, 0, NULL, 0); }
/* aux is a weight tensor of x's shape (softmax and log_softmax are
 * vector-valued: a weighted sum makes a scalar) */
static sj_var *g_softmax1(sj_var *x, sj_var *aux) { return S(sj_mul(sj_softmax(x, 1), aux)); }
static sj_var *g_log_softmax0(sj_var *x, sj_var *aux) { return S(sj_mul(sj_log_softmax(x, 0), aux)); }
static sj_var *g_softmax_rank3(sj_var *x, sj_var *aux) {
  return S(sj_mul(sj_add(sj_softmax(x, 1), sj_log_softmax(x, -1)), aux));
}
static sj_var *g_crossentropy(sj_var *x, sj_var *aux) { return sj_crossentropy(x, aux); }
static sj_var *g_xent_axis0(sj_var *x, sj_var *aux) { return S(sj_softmax_xent(x, aux, 0)); }
static sj_var *g_categorical(sj_var *x, sj_var *aux) { return sj_categorical_crossentropy(sj_softmax(x, 1), aux); }
static sj_var *g_binary(sj_var *x, sj_var *aux) { return sj_binary_crossentropy_logits(x, aux); }

static void test_grads(void) {
  int64_t d2[2] = {5, 4}, d3[3] = {2, 3, 4}, l5[1] = {5}, l4[1] = {4}, dl[1] = {-1};
  sj_tensor *w2 = sj_tensor_new(SJ_F64, 2, d2), *w3 = sj_tensor_new(SJ_F64, 3, d3), *t2 = sj_tensor_new(SJ_F64, 2, d2);
  sj_tensor_fill_uniform(w2, 3, -1, 1);
  sj_tensor_fill_uniform(w3, 4, -1, 1);
  sj_tensor_fill_uniform(t2, 5, 0, 1);
  int y5[5] = {0, 3, 1, 2, 3}, y4[4] = {4, 0, 2, 1};
  sj_tensor *lab5 = labels_tensor(SJ_I32, 5, y5), *lab4 = labels_tensor(SJ_I64, 4, y4);
  verify_grad("softmax axis 1", 2, d2, false, SJ_F64, 2, d2, w2, g_softmax1, false);
  verify_grad("log_softmax axis 0, dynamic rows", 2, d2, true, SJ_F64, 2, (int64_t[]){-1, 4}, w2, g_log_softmax0, false);
  verify_grad("softmax/log_softmax rank 3", 3, d3, false, SJ_F64, 3, d3, w3, g_softmax_rank3, false);
  verify_grad("crossentropy, dynamic batch", 2, d2, true, SJ_I32, 1, dl, lab5, g_crossentropy, false);
  verify_grad("softmax_xent axis 0", 2, d2, false, SJ_I64, 1, l4, lab4, g_xent_axis0, false);
  verify_grad("categorical_crossentropy", 2, d2, false, SJ_I32, 1, l5, lab5, g_categorical, false);
  verify_grad("binary_crossentropy_logits", 2, d2, false, SJ_F64, 2, d2, t2, g_binary, false);
  verify_grad("softmax, second order", 2, d2, false, SJ_F64, 2, d2, w2, g_softmax1, true);
  verify_grad("log_softmax, second order", 2, d2, false, SJ_F64, 2, (int64_t[]){5, 4}, w2, g_log_softmax0, true);
  verify_grad("crossentropy, second order", 2, d2, false, SJ_I32, 1, l5, lab5, g_crossentropy, true);
  sj_tensor_free(w2), sj_tensor_free(w3), sj_tensor_free(t2), sj_tensor_free(lab5), sj_tensor_free(lab4);
}

/* Forward mode (sj_rop is built from the VJP rules by double
 * transposition): d/dh softmax_xent(x + h v) and log_softmax(x + h v)
 * against central differences. */
static void test_rop(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t xd[2] = {4, 5}, yd[1] = {4};
  sj_var *x = sj_input(c, "x", SJ_F64, 2, xd), *v = sj_input(c, "v", SJ_F64, 2, xd);
  sj_var *y = sj_input(c, "y", SJ_I32, 1, yd), *hh = sj_input(c, "h", SJ_F64, 0, NULL);
  sj_var *outs[2] = {sj_softmax_xent(x, y, 1), sj_log_softmax(x, 0)}, *r[2];
  sj_var *shifted = sj_add(x, sj_mul(hh, v));
  sj_var *at[2] = {sj_softmax_xent(shifted, y, 1), sj_log_softmax(shifted, 0)};
  CHECK(sj_rop(outs[0], &x, &v, 1, &r[0]) == SJ_OK && sj_rop(outs[1], &x, &v, 1, &r[1]) == SJ_OK);
  sj_var *in[4] = {x, v, y, hh};
  sj_function *fr = NULL, *fa = NULL;
  CHECK(sj_compile(c, in, 3, r, 2, NULL, 0, NULL, 0, NULL, &fr) == SJ_OK); /* r does not read h */
  CHECK(sj_compile(c, in, 4, at, 2, NULL, 0, NULL, 0, NULL, &fa) == SJ_OK);
  int lab[4] = {0, 4, 2, 1};
  sj_tensor *xt = sj_tensor_new(SJ_F64, 2, xd), *vt = sj_tensor_new(SJ_F64, 2, xd), *ht = sj_tensor_new(SJ_F64, 0, NULL);
  sj_tensor_fill_uniform(xt, 11, -3, 3), sj_tensor_fill_uniform(vt, 12, -1, 1);
  sj_tensor *tin[4] = {xt, vt, labels_tensor(SJ_I32, 4, lab), ht}, *ro[2] = {0}, *up[2] = {0}, *dn[2] = {0};
  const double h = 1e-6;
  bool ok = fr && fa && sj_function_call(fr, tin, 3, ro, 2) == SJ_OK;
  sj_tensor_set(ht, 0, h);
  ok = ok && sj_function_call(fa, tin, 4, up, 2) == SJ_OK;
  sj_tensor_set(ht, 0, -h);
  ok = ok && sj_function_call(fa, tin, 4, dn, 2) == SJ_OK;
  CHECK(ok);
  double worst = 0;
  for (int k = 0; ok && k < 2; k++)
    for (int64_t e = 0; e < sj_tensor_numel(ro[k]); e++) {
      double num = (sj_tensor_get(up[k], e) - sj_tensor_get(dn[k], e)) / (2 * h);
      double err = fabs(num - sj_tensor_get(ro[k], e)) / fmax(1, fabs(num));
      if (!(err <= worst)) worst = err;
    }
  if (ok && !(worst < 1e-6)) fprintf(stderr, "rop: max relative error %.3g\n", worst), failures++;
  for (int k = 0; k < 2; k++) sj_tensor_free(ro[k]), sj_tensor_free(up[k]), sj_tensor_free(dn[k]);
  for (int k = 0; k < 4; k++) sj_tensor_free(tin[k]);
  sj_function_free(fr), sj_function_free(fa);
  sj_ctx_free(c);
}

/* ---- binary cross-entropy from logits ---- */

static void test_binary(void) {
  for (int k = 0; k < 2; k++) {
    sj_dtype dt = k ? SJ_F64 : SJ_F32;
    sj_ctx *c = sj_ctx_new();
    int64_t d[1] = {-1};
    sj_var *x = sj_input(c, "x", dt, 1, d), *t = sj_input(c, "t", dt, 1, d);
    sj_var *cost = sj_binary_crossentropy_logits(x, t), *in[2] = {x, t};
    sj_function *f = NULL;
    CHECK(sj_compile(c, in, 2, &cost, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
    /* agreeing huge logits cost exactly 0; disagreeing ones their size */
    const double xs[4] = {1e4, -1e4, 1e4, -1e4}, ts[4] = {1, 0, 0, 1}, want[4] = {0, 0, 1e4, 1e4};
    for (int i = 0; f && i < 4; i++) {
      int64_t one[1] = {1};
      sj_tensor *tin[2] = {sj_tensor_new(dt, 1, one), sj_tensor_new(dt, 1, one)}, *out = NULL;
      sj_tensor_set(tin[0], 0, xs[i]), sj_tensor_set(tin[1], 0, ts[i]);
      CHECK(sj_function_call(f, tin, 2, &out, 1) == SJ_OK);
      CHECK(out && sj_tensor_get(out, 0) == want[i]);
      sj_tensor_free(tin[0]), sj_tensor_free(tin[1]), sj_tensor_free(out);
    }
    sj_function_free(f);
    sj_ctx_free(c);
  }
}

/* ---- build errors name the call site ---- */

static void expect_error(sj_ctx *c, sj_var *v, int line, const char *msg) {
  char where[512];
  snprintf(where, sizeof where, "%s:%d: error: %s", __FILE__, line, msg);
  CHECK(v && sj_var_rank(v) == 0 && strcmp(sj_var_name(v), "") == 0);
  if (!strstr(sj_ctx_errmsg(c), where)) {
    fprintf(stderr, "expected \"%s\" in: %s\n", where, sj_ctx_errmsg(c));
    failures++;
  }
  sj_ctx_clear_errors(c);
}

static void test_errors(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d2[2] = {4, 3}, d1[1] = {4}, dd[2] = {4, -1}, d3[1] = {3};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, d2), *y = sj_input(c, "y", SJ_I32, 1, d1);
  sj_var *xi = sj_input(c, "xi", SJ_I32, 2, d2), *xd = sj_input(c, "xd", SJ_F32, 2, dd);
  sj_var *yf = sj_input(c, "yf", SJ_F32, 1, d1), *y3 = sj_input(c, "y3", SJ_I32, 1, d3);
  int l = __LINE__ + 1;
  sj_var *v = sj_softmax(xi, 1);
  expect_error(c, v, l, "'softmax' op operand must be a floating-point tensor of rank >= 1, got i32[4,3]");
  l = __LINE__ + 1;
  v = sj_log_softmax(x, 2);
  expect_error(c, v, l, "'log_softmax' op axis 2 is out of range for f32[4,3]");
  l = __LINE__ + 1;
  v = sj_crossentropy(xd, y);
  expect_error(c, v, l, "crossentropy: needs logits [batch, classes] (static classes) and integer labels [batch], got f32[4,?] and i32[4]");
  l = __LINE__ + 1;
  v = sj_softmax_crossentropy_logits(x, yf);
  expect_error(c, v, l, "softmax_crossentropy_logits: needs logits [batch, classes] (static classes) and integer labels [batch], got f32[4,3] and f32[4]");
  l = __LINE__ + 1;
  v = sj_categorical_crossentropy(xi, y);
  expect_error(c, v, l, "categorical_crossentropy: probabilities must be floating point, got i32[4,3]");
  l = __LINE__ + 1;
  v = sj_softmax_xent(x, y3, 1);
  expect_error(c, v, l, "'softmax_xent' op labels i32[3] must have the shape of the logits f32[4,3] without axis 1");
  l = __LINE__ + 1;
  v = sj_binary_crossentropy_logits(xi, xi);
  expect_error(c, v, l, "binary_crossentropy_logits: logits must be floating point, got i32[4,3]");
  sj_ctx_free(c);
}

int main(void) {
  test_spellings();
  test_rows();
  test_grad_extremes();
  test_grads();
  test_rop();
  test_binary();
  test_errors();
  if (failures) fprintf(stderr, "%d failure(s)\n", failures);
  else printf("softmax: all checks passed\n");
  return failures != 0;
}
