/* Gradients through scan (BPTT, docs/decisions/0017-bptt.md): every case
 * against central differences (sj_verify_grad, or by hand for shared
 * variables and directional derivatives) or a closed form: a tanh RNN
 * (sequence, initial state, non-sequences), a 2-state loop with outputs
 * collected and kept last, a shared variable used in the body, n_steps
 * shorter than the sequence, dynamic lengths, truncate_gradient against
 * truncated BPTT's closed form, a loop stopped by `until`, go_backwards and
 * a reverse scan op, four nested sj_grad of x_t = x_{t-1}^2 against
 * 16 x^15 .. 43680 x^12, and sj_rop against a finite-difference
 * directional derivative. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"
#include "symjit/graph.h"
#include "text.h"

#include "check.h"
#include "failing_alloc.h"

static int64_t numel(const sj_tensor *t) { return sj_tensor_numel(t); }

static sj_tensor *rnd(int rank, const int64_t *d, uint64_t seed, double lo, double hi) {
  sj_tensor *t = sj_tensor_new(SJ_F64, rank, d);
  sj_tensor_fill_uniform(t, seed, lo, hi);
  return t;
}

/* sj_verify_grad of out w.r.t. the inputs at these values (f64 defaults),
 * the message printed when it fails. */
static bool verify(sj_ctx *c, const char *what, sj_var *out, sj_var *const *in, size_t n, sj_tensor *const *v) {
  sj_verify_grad_options o;
  sj_verify_grad_options_init(&o);
  sj_status st = sj_verify_grad(out, in, n, v, &o);
  if (st) fprintf(stderr, "%s: %s\n", what, sj_ctx_errmsg(c));
  return st == SJ_OK;
}

/* Compiles outs = f(ins) and calls it once; res[i] owned by the caller. */
static bool run(sj_ctx *c, sj_var *const *ins, size_t nin, sj_var *const *outs, size_t nout, sj_tensor *const *v,
                sj_tensor **res) {
  sj_compile_options co;
  sj_compile_options_init(&co);
  co.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  sj_function *f = NULL;
  if (sj_compile(c, ins, nin, outs, nout, NULL, 0, NULL, 0, &co, &f) != SJ_OK) {
    fprintf(stderr, "compile: %s\n", sj_ctx_errmsg(c));
    return false;
  }
  sj_status st = sj_function_call(f, v, nin, res, nout);
  if (st) fprintf(stderr, "call: %s\n", sj_ctx_errmsg(c));
  sj_function_free(f);
  return st == SJ_OK;
}

static bool near(double got, double want, double rtol, const char *what) {
  bool ok = fabs(got - want) <= rtol * fmax(1, fabs(want));
  if (!ok) fprintf(stderr, "%s: got %.17g, want %.17g\n", what, got, want);
  return ok;
}

/* ---- the backward scan's structure, as sj_compile would compile it ---- */

static void ew_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud; /* args: x_t, h, w: h' = tanh(h w + x_t) */
  st->outputs[0] = sj_tanh(sj_add(sj_mul(st->args[1], st->args[2]), st->args[0]));
}

static void test_ir(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dx[2] = {4, 3}, dh[1] = {3};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, dx), *h0 = sj_input(c, "h0", SJ_F32, 1, dh);
  sj_var *w = sj_input(c, "w", SJ_F32, 1, dh), *res[1];
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = &h0, .nout = 1, .non_sequences = &w, .nnonseq = 1};
  CHECK(sj_scan(c, ew_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_var *cost = sj_sum(res[0], 0, NULL, 0), *wrt[3] = {x, h0, w}, *g[3];
  CHECK(sj_grad(cost, wrt, 3, g) == SJ_OK);
  sj_module *m = NULL;
  sj_compile_options co;
  sj_compile_options_init(&co);
  CHECK(sj_graph_module(c, wrt, 3, g, 3, &co, &m, __FILE__, __LINE__) == SJ_OK);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (m) sj_print_module(f, m);
  fclose(f);
  /* the saved states %11 are read in place (rows 0..3 of 5); the step's
   * tanh is not recomputed: the sweep reads it as the state after the step,
   * rows 1..4 of the same buffer (%15, decision 0026); the carry %21 starts
   * at the cost's row 4 and adds row t; the weight's gradient accumulates
   * as acc + term (%33) */
  const char *want =
      "func @graph_fn0(%x: f32[4,3], %h0: f32[3], %w: f32[3]) -> (f32[4,3], f32[3], f32[3]) {\n"
      "  %0 = constant {value = 0.0} : f32[]\n"
      "  %1 = broadcast_to %0 : f32[3]\n"
      "  %2 = constant {value = 0} : i64[]\n"
      "  %3 = constant {value = 1.0} : f32[]\n"
      "  %4 = reshape %3 : f32[1,1]\n"
      "  %5 = broadcast_to %4 : f32[4,3]\n"
      "  %6 = constant {value = 0.0} : f32[]\n"
      "  %7 = broadcast_to %6 : f32[5,3]\n"
      "  %8 = slice_update %7, %5 {mode = \"set\", start = [1, 0], step = [1, 1], stop = [5, 3]} : f32[5,3]\n"
      "  %9 = slice %8 {start = [4, 0], step = [1, 1], stop = [5, 3]} : f32[1,3]\n"
      "  %10 = take %9, %2 {axis = 0} : f32[3]\n"
      "  %11 = scan %x, %h0, %w {nseq = 1, nstate = 1} : f32[5,3] (%x_t: f32[3], %h0_tm1: f32[3], %w_1: f32[3]) {\n"
      "    %12 = mul %h0_tm1, %w_1 : f32[3]\n"
      "    %13 = add %12, %x_t : f32[3]\n"
      "    %14 = tanh %13 : f32[3]\n"
      "    yield %14\n"
      "  }\n"
      "  %15 = slice %11 {start = [1, 0], step = [1, 1], stop = [5, 3]} : f32[4,3]\n"
      "  %16, %17, %18 = scan %x, %11, %8, %15, %10, %1, %w {last = [0, 1], nseq = 4, nstate = 2, reverse = true} : "
      "f32[3], f32[3], f32[4,3] (%19: f32[3], %20: f32[3], %21: f32[3], %22: f32[3], %23: f32[3], %24: f32[3], %25: f32[3]) {\n"
      "    %26 = constant {value = 1.0} : f32[]\n"
      "    %27 = mul %22, %22 : f32[3]\n"
      "    %28 = sub %26, %27 : f32[3]\n"
      "    %29 = mul %23, %28 : f32[3]\n"
      "    %30 = mul %29, %25 : f32[3]\n"
      "    %31 = mul %29, %20 : f32[3]\n"
      "    %32 = add %30, %21 : f32[3]\n"
      "    %33 = add %24, %31 : f32[3]\n"
      "    yield %32, %33, %29\n"
      "  }\n"
      "  return %18, %16, %17\n"
      "}\n";
  bool same = buf && !strcmp(buf, want);
  if (!same) fprintf(stderr, "backward scan IR: expected:\n%s\ngot:\n%s\n", want, buf ? buf : "(null)");
  CHECK(same);
  free(buf);
  sj_ctx_free(c);
}

/* ---- a tanh RNN: h_t = tanh(h_{t-1} W + x_t U + b), every h_t out ---- */

static void rnn_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud; /* args: x_t, h, W, U, b */
  sj_var *a = sj_add(sj_add(sj_matmul(st->args[1], st->args[2]), sj_matmul(st->args[0], st->args[3])), st->args[4]);
  st->outputs[0] = sj_tanh(a);
}

static void test_rnn(bool dyn) {
  sj_ctx *c = sj_ctx_new();
  int64_t dx[3] = {dyn ? -1 : 5, 2, 3}, dh[2] = {2, 4}, dw[2] = {4, 4}, du[2] = {3, 4}, db[1] = {4};
  sj_var *x = sj_input(c, "x", SJ_F64, 3, dx), *h0 = sj_input(c, "h0", SJ_F64, 2, dh);
  sj_var *W = sj_input(c, "W", SJ_F64, 2, dw), *U = sj_input(c, "U", SJ_F64, 2, du), *b = sj_input(c, "b", SJ_F64, 1, db);
  sj_var *non[3] = {W, U, b}, *res[1];
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = &h0, .nout = 1, .non_sequences = non, .nnonseq = 3};
  CHECK(sj_scan(c, rnn_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  dx[0] = 5;
  sj_tensor *v[5] = {rnd(3, dx, 1, -1, 1), rnd(2, dh, 2, -1, 1), rnd(2, dw, 3, -0.8, 0.8), rnd(2, du, 4, -0.8, 0.8),
                     rnd(1, db, 5, -0.5, 0.5)};
  sj_var *in[5] = {x, h0, W, U, b};
  CHECK(verify(c, dyn ? "rnn (dynamic length)" : "rnn", res[0], in, 5, v));
  /* the last state only, as a scalar cost */
  sj_var *cost = sj_sum(sj_mul(sj_index(res[0], 0, -1), sj_index(res[0], 0, -1)), 0, NULL, 0);
  if (!dyn) CHECK(verify(c, "rnn last state", cost, in, 5, v));
  for (int i = 0; i < 5; i++) sj_tensor_free(v[i]);
  sj_ctx_free(c);
}

/* ---- an embedding looked up by an integer sequence (the char-LSTM's input) ---- */

static void embed_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud; /* args: ids_t (i32[2]), h, E, W */
  st->outputs[0] = sj_tanh(sj_add(sj_matmul(st->args[1], st->args[3]), sj_take(st->args[2], st->args[0], 0)));
}

static void test_embedding(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t di[2] = {5, 2}, dh[2] = {2, 3}, de[2] = {6, 3}, dw[2] = {3, 3};
  sj_var *ids = sj_input(c, "ids", SJ_I32, 2, di), *h0 = sj_input(c, "h0", SJ_F64, 2, dh);
  sj_var *E = sj_input(c, "E", SJ_F64, 2, de), *W = sj_input(c, "W", SJ_F64, 2, dw), *non[2] = {E, W}, *res[1];
  sj_scan_options o = {.sequences = &ids, .nseq = 1, .outputs_info = &h0, .nout = 1, .non_sequences = non, .nnonseq = 2};
  CHECK(sj_scan(c, embed_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  /* ids as a given constant: verify_grad perturbs float inputs only */
  int32_t idv[10] = {0, 5, 2, 2, 4, 1, 3, 0, 5, 5};
  sj_tensor *it = sj_tensor_from(SJ_I32, 2, di, idv);
  sj_var *cost = sj_sum(sj_mul(res[0], res[0]), 0, NULL, 0), *wrt[3] = {h0, E, W}, *g[3];
  CHECK(sj_grad(cost, wrt, 3, g) == SJ_OK);
  sj_tensor *v[3] = {rnd(2, dh, 71, -1, 1), rnd(2, de, 72, -1, 1), rnd(2, dw, 73, -0.8, 0.8)};
  sj_var *ins[4] = {ids, h0, E, W}, *outs[4] = {cost, g[0], g[1], g[2]};
  sj_tensor *iv[4] = {it, v[0], v[1], v[2]}, *r[4] = {0};
  /* central differences of the cost by hand (ids is an integer input) */
  double worst = 0, e = 1e-6;
  if (run(c, ins, 4, outs, 4, iv, r)) {
    for (int a = 0; a < 3; a++)
      for (int64_t i = 0; i < numel(v[a]); i++) {
        double keep = sj_tensor_get(v[a], i), fp, fm;
        sj_tensor *p[4] = {0}, *m[4] = {0};
        sj_tensor_set(v[a], i, keep + e);
        bool ok = run(c, ins, 4, outs, 1, iv, p);
        sj_tensor_set(v[a], i, keep - e);
        ok = ok && run(c, ins, 4, outs, 1, iv, m);
        sj_tensor_set(v[a], i, keep);
        fp = ok ? sj_tensor_get(p[0], 0) : 0, fm = ok ? sj_tensor_get(m[0], 0) : 0;
        worst = fmax(worst, ok ? fabs((fp - fm) / (2 * e) - sj_tensor_get(r[a + 1], i)) : 1);
        sj_tensor_free(p[0]), sj_tensor_free(m[0]);
      }
    if (worst > 1e-7) fprintf(stderr, "embedding: worst error %g\n", worst);
    CHECK(worst <= 1e-7);
  } else {
    CHECK(false);
  }
  for (int i = 0; i < 4; i++) sj_tensor_free(r[i]);
  for (int i = 0; i < 3; i++) sj_tensor_free(v[i]);
  sj_tensor_free(it);
  sj_ctx_free(c);
}

/* ---- a scan inside the step of a scan ---- */

static void inner_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud; /* args: x_ti, s, w: s' = s w + x_ti */
  st->outputs[0] = sj_add(sj_mul(st->args[1], st->args[2]), st->args[0]);
}

static void outer_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)ud; /* args: x_t (f64[3]), h, w */
  sj_var *zero = sj_mul(st->args[1], sj_scalar(c, 0, SJ_F64)), *res[1];
  bool last = true;
  sj_scan_options o = {.sequences = &st->args[0], .nseq = 1, .outputs_info = &zero, .nout = 1,
                       .non_sequences = &st->args[2], .nnonseq = 1, .return_last = &last};
  CHECK(sj_scan(c, inner_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  st->outputs[0] = sj_tanh(sj_add(st->args[1], res[0]));
}

static void test_nested(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dx[2] = {4, 3};
  sj_var *x = sj_input(c, "x", SJ_F64, 2, dx), *h0 = sj_input(c, "h0", SJ_F64, 0, NULL);
  sj_var *w = sj_input(c, "w", SJ_F64, 0, NULL), *res[1];
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = &h0, .nout = 1, .non_sequences = &w, .nnonseq = 1};
  CHECK(sj_scan(c, outer_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_tensor *v[3] = {rnd(2, dx, 81, -1, 1), sj_tensor_new(SJ_F64, 0, NULL), sj_tensor_new(SJ_F64, 0, NULL)};
  sj_tensor_set(v[1], 0, 0.2), sj_tensor_set(v[2], 0, 0.7);
  sj_var *in[3] = {x, h0, w};
  CHECK(verify(c, "nested scan", res[0], in, 3, v));
  for (int i = 0; i < 3; i++) sj_tensor_free(v[i]);
  sj_ctx_free(c);
}

/* ---- two states, an output collected and one kept last ---- */

static void two_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)ud; /* args: x_t, a, b, w; outputs: a', b', y (collected), z (last) */
  sj_var *x = st->args[0], *a = st->args[1], *b = st->args[2], *w = st->args[3];
  st->outputs[0] = sj_add(sj_mul(sj_tanh(b), w), x);
  st->outputs[1] = sj_sigmoid(sj_sub(a, sj_mul(b, sj_scalar(c, 0.5, SJ_F64))));
  st->outputs[2] = sj_mul(a, b);
  st->outputs[3] = sj_exp(sj_mul(sj_scalar(c, 0.3, SJ_F64), sj_add(a, x)));
}

static void test_two_states(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dx[2] = {6, 3}, ds[1] = {3};
  sj_var *x = sj_input(c, "x", SJ_F64, 2, dx), *a0 = sj_input(c, "a0", SJ_F64, 1, ds);
  sj_var *b0 = sj_input(c, "b0", SJ_F64, 1, ds), *w = sj_input(c, "w", SJ_F64, 1, ds);
  sj_var *info[4] = {a0, b0, NULL, NULL}, *res[4];
  bool last[4] = {false, true, false, true};
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = info, .nout = 4, .non_sequences = &w,
                       .nnonseq = 1, .return_last = last};
  CHECK(sj_scan(c, two_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_tensor *v[4] = {rnd(2, dx, 11, -1, 1), rnd(1, ds, 12, -1, 1), rnd(1, ds, 13, -1, 1), rnd(1, ds, 14, -1, 1)};
  sj_var *in[4] = {x, a0, b0, w};
  /* cotangents on every result: all steps of a and y, the last of b and z */
  const char *names[4] = {"a (all steps)", "b (last)", "y (collected)", "z (last output)"};
  for (int r = 0; r < 4; r++) CHECK(verify(c, names[r], res[r], in, 4, v));
  sj_var *all = sj_add(sj_add(sj_sum(res[0], 0, NULL, 0), sj_sum(res[1], 0, NULL, 0)),
                       sj_add(sj_sum(sj_mul(res[2], res[2]), 0, NULL, 0), sj_sum(res[3], 0, NULL, 0)));
  CHECK(verify(c, "all four results", all, in, 4, v));
  for (int i = 0; i < 4; i++) sj_tensor_free(v[i]);
  sj_ctx_free(c);
}

/* ---- a shared variable read in the body (captured as a non-sequence) ---- */

static void shared_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c; /* args: x_t, h */
  sj_var *W = ud;
  st->outputs[0] = sj_tanh(sj_add(sj_matmul(st->args[1], W), st->args[0]));
}

static void test_shared(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dx[2] = {4, 3}, dw[2] = {3, 3};
  sj_tensor *w0 = rnd(2, dw, 21, -0.9, 0.9), *xv = rnd(2, dx, 22, -1, 1), *hv = rnd(1, dx + 1, 23, -1, 1);
  sj_var *W = sj_shared(c, "W", w0), *x = sj_input(c, "x", SJ_F64, 2, dx), *h0 = sj_input(c, "h0", SJ_F64, 1, dx + 1);
  sj_var *res[1];
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = &h0, .nout = 1};
  CHECK(sj_scan(c, shared_step, W, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_var *cost = sj_sum(sj_mul(res[0], res[0]), 0, NULL, 0), *g = NULL;
  CHECK(sj_grad(cost, &W, 1, &g) == SJ_OK);
  sj_var *ins[2] = {x, h0}, *outs[2] = {cost, g};
  sj_tensor *v[2] = {xv, hv}, *r[2] = {0};
  sj_compile_options co;
  sj_compile_options_init(&co);
  sj_function *f = NULL;
  CHECK(sj_compile(c, ins, 2, outs, 2, NULL, 0, NULL, 0, &co, &f) == SJ_OK);
  if (f && sj_function_call(f, v, 2, r, 2) == SJ_OK) {
    double h = 1e-6, worst = 0;
    for (int64_t i = 0; i < numel(w0); i++) {
      sj_tensor *p[2] = {0}, *m[2] = {0};
      double keep = sj_tensor_get(w0, i);
      sj_tensor_set(w0, i, keep + h), sj_shared_set(W, w0);
      CHECK(sj_function_call(f, v, 2, p, 2) == SJ_OK);
      sj_tensor_set(w0, i, keep - h), sj_shared_set(W, w0);
      CHECK(sj_function_call(f, v, 2, m, 2) == SJ_OK);
      sj_tensor_set(w0, i, keep), sj_shared_set(W, w0);
      if (p[0] && m[0]) {
        double num = (sj_tensor_get(p[0], 0) - sj_tensor_get(m[0], 0)) / (2 * h);
        worst = fmax(worst, fabs(num - sj_tensor_get(r[1], i)) / fmax(1, fabs(num)));
      }
      for (int k = 0; k < 2; k++) sj_tensor_free(p[k]), sj_tensor_free(m[k]);
    }
    if (worst > 1e-6) fprintf(stderr, "shared W: worst relative error %g\n", worst);
    CHECK(worst <= 1e-6);
  } else {
    fprintf(stderr, "shared: %s\n", sj_ctx_errmsg(c));
    CHECK(false);
  }
  for (int k = 0; k < 2; k++) sj_tensor_free(r[k]);
  sj_function_free(f);
  sj_tensor_free(w0), sj_tensor_free(xv), sj_tensor_free(hv);
  sj_ctx_free(c);
}

/* ---- n_steps shorter than the sequences: the rows not read get zeros ---- */

static void lin_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud; /* args: x_t, h, a: h' = a h + x_t */
  st->outputs[0] = sj_add(sj_mul(st->args[2], st->args[1]), st->args[0]);
}

static void test_n_steps(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dx[1] = {7};
  sj_var *x = sj_input(c, "x", SJ_F64, 1, dx), *h0 = sj_input(c, "h0", SJ_F64, 0, NULL);
  sj_var *a = sj_input(c, "a", SJ_F64, 0, NULL), *n = sj_input(c, "n", SJ_I64, 0, NULL), *res[1];
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = &h0, .nout = 1, .non_sequences = &a,
                       .nnonseq = 1, .n_steps = n};
  CHECK(sj_scan(c, lin_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_var *cost = sj_sum(sj_mul(res[0], res[0]), 0, NULL, 0), *wrt[3] = {x, h0, a}, *g[3];
  CHECK(sj_grad(cost, wrt, 3, g) == SJ_OK);
  sj_var *ins[4] = {x, h0, a, n}, *outs[4] = {cost, g[0], g[1], g[2]};
  sj_tensor *v[4] = {rnd(1, dx, 31, -1, 1), sj_tensor_new(SJ_F64, 0, NULL), sj_tensor_new(SJ_F64, 0, NULL),
                     sj_tensor_new(SJ_I64, 0, NULL)};
  sj_tensor_set(v[1], 0, 0.3), sj_tensor_set(v[2], 0, 0.7), sj_tensor_set(v[3], 0, 4);
  sj_tensor *r[4] = {0};
  if (run(c, ins, 4, outs, 4, v, r)) {
    /* closed form: h_t = a h_{t-1} + x_t, cost = sum h_t^2 over t = 1..4 */
    double h[5], A = 0.7, dh[6] = {0};
    h[0] = 0.3;
    for (int t = 1; t <= 4; t++) h[t] = A * h[t - 1] + sj_tensor_get(v[0], t - 1);
    double ga = 0;
    for (int t = 4; t >= 1; t--) { /* dh[t]: d cost / d h_t */
      dh[t] = 2 * h[t] + A * dh[t + 1];
      ga += dh[t] * h[t - 1];
    }
    for (int t = 0; t < 7; t++) CHECK(near(sj_tensor_get(r[1], t), t < 4 ? dh[t + 1] : 0, 1e-12, "n_steps dx"));
    CHECK(near(sj_tensor_get(r[2], 0), A * dh[1], 1e-12, "n_steps dh0"));
    CHECK(near(sj_tensor_get(r[3], 0), ga, 1e-12, "n_steps da"));
  } else {
    CHECK(false);
  }
  for (int i = 0; i < 4; i++) sj_tensor_free(v[i]), sj_tensor_free(r[i]);
  sj_ctx_free(c);
}

/* ---- truncate_gradient = k: only the last k steps are differentiated ---- */

static void test_truncate(int k) {
  sj_ctx *c = sj_ctx_new();
  int64_t dx[1] = {6};
  sj_var *x = sj_input(c, "x", SJ_F64, 1, dx), *h0 = sj_input(c, "h0", SJ_F64, 0, NULL);
  sj_var *a = sj_input(c, "a", SJ_F64, 0, NULL), *res[1];
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = &h0, .nout = 1, .non_sequences = &a,
                       .nnonseq = 1, .truncate_gradient = k};
  CHECK(sj_scan(c, lin_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_var *cost = sj_sum(sj_mul(res[0], res[0]), 0, NULL, 0), *wrt[3] = {x, h0, a}, *g[3];
  CHECK(sj_grad(cost, wrt, 3, g) == SJ_OK);
  sj_var *ins[3] = {x, h0, a}, *outs[4] = {cost, g[0], g[1], g[2]};
  sj_tensor *v[3] = {rnd(1, dx, 41, -1, 1), sj_tensor_new(SJ_F64, 0, NULL), sj_tensor_new(SJ_F64, 0, NULL)};
  sj_tensor_set(v[1], 0, 0.5), sj_tensor_set(v[2], 0, 0.8);
  sj_tensor *r[4] = {0};
  if (run(c, ins, 3, outs, 4, v, r)) {
    /* truncated BPTT (Theano): the backward loop visits the last k steps
     * (t = n-k+1 .. n); the carry entering t = n-k is dropped */
    int n = 6, from = k > 0 && k < n ? n - k + 1 : 1;
    double h[7], A = 0.8, dh[8] = {0}, ga = 0;
    h[0] = 0.5;
    for (int t = 1; t <= n; t++) h[t] = A * h[t - 1] + sj_tensor_get(v[0], t - 1);
    for (int t = n; t >= from; t--) {
      dh[t] = 2 * h[t] + A * dh[t + 1];
      ga += dh[t] * h[t - 1];
    }
    for (int t = 1; t <= n; t++) CHECK(near(sj_tensor_get(r[1], t - 1), t >= from ? dh[t] : 0, 1e-12, "truncated dx"));
    CHECK(near(sj_tensor_get(r[2], 0), from == 1 ? A * dh[1] : 0, 1e-12, "truncated dh0"));
    CHECK(near(sj_tensor_get(r[3], 0), ga, 1e-12, "truncated da"));
  } else {
    CHECK(false);
  }
  for (int i = 0; i < 4; i++) sj_tensor_free(r[i]);
  for (int i = 0; i < 3; i++) sj_tensor_free(v[i]);
  sj_ctx_free(c);
}

/* ---- until: h' = h * w + x_t, stop once h > 2; only the steps run count ---- */

static void until_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)ud; /* args: x_t, h, w */
  sj_var *h = sj_add(sj_mul(st->args[1], st->args[2]), st->args[0]);
  st->outputs[0] = h;
  st->until = sj_gt(h, sj_scalar(c, 2, SJ_F64));
}

static void test_until(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dx[1] = {10};
  sj_var *x = sj_input(c, "x", SJ_F64, 1, dx), *h0 = sj_input(c, "h0", SJ_F64, 0, NULL);
  sj_var *w = sj_input(c, "w", SJ_F64, 0, NULL), *res[1];
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = &h0, .nout = 1, .non_sequences = &w, .nnonseq = 1};
  CHECK(sj_scan(c, until_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_var *cost = sj_sum(sj_mul(res[0], res[0]), 0, NULL, 0), *wrt[3] = {x, h0, w}, *g[3];
  CHECK(sj_grad(cost, wrt, 3, g) == SJ_OK);
  sj_tensor *v[3] = {sj_tensor_new(SJ_F64, 1, dx), sj_tensor_new(SJ_F64, 0, NULL), sj_tensor_new(SJ_F64, 0, NULL)};
  for (int t = 0; t < 10; t++) sj_tensor_set(v[0], t, 0.1 + 0.05 * t);
  sj_tensor_set(v[1], 0, 0.4), sj_tensor_set(v[2], 0, 1.3);
  sj_var *ins[3] = {x, h0, w}, *outs[5] = {cost, g[0], g[1], g[2], res[0]};
  sj_tensor *r[5] = {0};
  if (run(c, ins, 3, outs, 5, v, r)) {
    double h[11], W = 1.3, dh[12] = {0}, gw = 0;
    int m = 0;
    h[0] = 0.4;
    do { /* do-while: the step that makes h > 2 is included */
      h[m + 1] = h[m] * W + sj_tensor_get(v[0], m);
      m++;
    } while (h[m] <= 2 && m < 10);
    CHECK(m > 1 && m < 10); /* the condition stops it early */
    CHECK(sj_tensor_dims(r[4])[0] == m);
    for (int t = m; t >= 1; t--) {
      dh[t] = 2 * h[t] + W * dh[t + 1];
      gw += dh[t] * h[t - 1];
    }
    for (int t = 0; t < 10; t++) CHECK(near(sj_tensor_get(r[1], t), t < m ? dh[t + 1] : 0, 1e-12, "until dx"));
    CHECK(near(sj_tensor_get(r[2], 0), W * dh[1], 1e-12, "until dh0"));
    CHECK(near(sj_tensor_get(r[3], 0), gw, 1e-12, "until dw"));
  } else {
    CHECK(false);
  }
  sj_var *in3[3] = {x, h0, w};
  CHECK(verify(c, "until", res[0], in3, 3, v));
  for (int i = 0; i < 5; i++) sj_tensor_free(r[i]);
  for (int i = 0; i < 3; i++) sj_tensor_free(v[i]);
  sj_ctx_free(c);
}

/* ---- go_backwards, and a reverse scan op (its gradient is a forward scan) ---- */

static void test_backwards(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dx[3] = {5, 2, 3}, dh[2] = {2, 4}, dw[2] = {4, 4}, du[2] = {3, 4}, db[1] = {4};
  sj_var *x = sj_input(c, "x", SJ_F64, 3, dx), *h0 = sj_input(c, "h0", SJ_F64, 2, dh);
  sj_var *W = sj_input(c, "W", SJ_F64, 2, dw), *U = sj_input(c, "U", SJ_F64, 2, du), *b = sj_input(c, "b", SJ_F64, 1, db);
  sj_var *non[3] = {W, U, b}, *res[1];
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = &h0, .nout = 1, .non_sequences = non, .nnonseq = 3,
                       .go_backwards = true};
  CHECK(sj_scan(c, rnn_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_tensor *v[5] = {rnd(3, dx, 51, -1, 1), rnd(2, dh, 52, -1, 1), rnd(2, dw, 53, -0.8, 0.8), rnd(2, du, 54, -0.8, 0.8),
                     rnd(1, db, 55, -0.5, 0.5)};
  sj_var *in[5] = {x, h0, W, U, b};
  CHECK(verify(c, "go_backwards", res[0], in, 5, v));

  /* reverse = true through the internal API: h visits rows 4..0 */
  sj_graph_body body;
  CHECK(sj_graph_body_begin(c, &body));
  int64_t rx[2] = {2, 3};
  sj_var *xr = sj_graph_body_arg(&body, sj_tensor_type(SJ_F64, 2, rx), "x_t");
  sj_var *hr = sj_graph_body_arg(&body, sj_tensor_type(SJ_F64, 2, dh), "h");
  sj_var *args[5] = {xr, hr, W, U, b}, *outs[1];
  sj_scan_step st = {.args = args, .nargs = 5, .outputs = outs, .nout = 1};
  rnn_step(c, &st, NULL);
  sj_var *y = sj_mul(outs[0], outs[0]), *ys[2] = {outs[0], y}, *rr[2];
  sj_graph_scan_spec spec = {.seqs = &x, .nseq = 1, .inits = &h0, .nstate = 1, .yields = ys, .nyield = 2, .reverse = true};
  CHECK(sj_graph_scan_end(&body, &spec, rr, __FILE__, __LINE__) == SJ_OK);
  CHECK(sj_graph_scan_of(rr[0]) && sj_op_bool(sj_graph_scan_of(rr[0]), "reverse", false));
  CHECK(verify(c, "reverse scan: states", rr[0], in, 5, v));
  CHECK(verify(c, "reverse scan: outputs", rr[1], in, 5, v));
  for (int i = 0; i < 5; i++) sj_tensor_free(v[i]);
  sj_ctx_free(c);
}

/* ---- gradients of gradients: x_4 = x_0^16, four nested sj_grad ---- */

static void sq_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud;
  st->outputs[0] = sj_mul(st->args[0], st->args[0]);
}

static void test_higher_order(void) {
  sj_ctx *c = sj_ctx_new();
  sj_var *x0 = sj_input(c, "x0", SJ_F64, 0, NULL), *n = sj_scalar(c, 4, SJ_I64), *res[1];
  bool last = true;
  sj_scan_options o = {.outputs_info = &x0, .nout = 1, .n_steps = n, .return_last = &last};
  CHECK(sj_scan(c, sq_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_var *outs[5] = {res[0]};
  for (int k = 1; k <= 4; k++) CHECK(sj_grad(outs[k - 1], &x0, 1, &outs[k]) == SJ_OK);
  sj_tensor *v = sj_tensor_new(SJ_F64, 0, NULL), *r[5] = {0};
  double x = 1.1;
  sj_tensor_set(v, 0, x);
  if (run(c, &x0, 1, outs, 5, &v, r)) {
    double want[5] = {pow(x, 16), 16 * pow(x, 15), 240 * pow(x, 14), 3360 * pow(x, 13), 43680 * pow(x, 12)};
    const char *what[5] = {"x^16", "d/dx", "d2/dx2", "d3/dx3", "d4/dx4"};
    for (int k = 0; k < 5; k++) CHECK(near(sj_tensor_get(r[k], 0) / want[k], 1, 1e-13, what[k]));
  } else {
    CHECK(false);
  }
  for (int k = 0; k < 5; k++) sj_tensor_free(r[k]);
  sj_tensor_free(v);
  sj_ctx_free(c);
}

/* ---- R-op through scan vs a central-difference directional derivative ---- */

static void test_rop(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dx[3] = {4, 2, 3}, dh[2] = {2, 4}, dw[2] = {4, 4}, du[2] = {3, 4}, db[1] = {4};
  sj_var *x = sj_input(c, "x", SJ_F64, 3, dx), *h0 = sj_input(c, "h0", SJ_F64, 2, dh);
  sj_var *W = sj_input(c, "W", SJ_F64, 2, dw), *U = sj_input(c, "U", SJ_F64, 2, du), *b = sj_input(c, "b", SJ_F64, 1, db);
  sj_var *vx = sj_input(c, "vx", SJ_F64, 3, dx), *vW = sj_input(c, "vW", SJ_F64, 2, dw);
  sj_var *non[3] = {W, U, b}, *res[1], *jv = NULL;
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = &h0, .nout = 1, .non_sequences = non, .nnonseq = 3};
  CHECK(sj_scan(c, rnn_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_var *wrt[2] = {x, W}, *dir[2] = {vx, vW};
  CHECK(sj_rop(res[0], wrt, dir, 2, &jv) == SJ_OK);
  sj_var *ins[7] = {x, h0, W, U, b, vx, vW}, *outs[2] = {res[0], jv};
  sj_tensor *v[7] = {rnd(3, dx, 61, -1, 1), rnd(2, dh, 62, -1, 1), rnd(2, dw, 63, -0.8, 0.8), rnd(2, du, 64, -0.8, 0.8),
                     rnd(1, db, 65, -0.5, 0.5), rnd(3, dx, 66, -1, 1), rnd(2, dw, 67, -1, 1)};
  sj_tensor *r[2] = {0}, *p[2] = {0}, *m[2] = {0};
  bool ok = run(c, ins, 7, outs, 2, v, r);
  double e = 1e-6;
  /* f(x + e vx, W + e vW) and f(x - e vx, W - e vW) */
  sj_tensor *x0c = sj_tensor_from(SJ_F64, 3, dx, sj_tensor_data(v[0])), *w0c = sj_tensor_from(SJ_F64, 2, dw, sj_tensor_data(v[2]));
  for (int s = 0; ok && s < 2; s++) {
    double sg = s ? -e : e;
    for (int64_t i = 0; i < numel(v[0]); i++) sj_tensor_set(v[0], i, sj_tensor_get(x0c, i) + sg * sj_tensor_get(v[5], i));
    for (int64_t i = 0; i < numel(v[2]); i++) sj_tensor_set(v[2], i, sj_tensor_get(w0c, i) + sg * sj_tensor_get(v[6], i));
    ok = run(c, ins, 7, outs, 2, v, s ? m : p);
  }
  CHECK(ok);
  double worst = 0;
  for (int64_t i = 0; ok && i < numel(r[0]); i++) {
    double num = (sj_tensor_get(p[0], i) - sj_tensor_get(m[0], i)) / (2 * e);
    worst = fmax(worst, fabs(num - sj_tensor_get(r[1], i)));
  }
  if (worst > 1e-7) fprintf(stderr, "rop: worst error %g\n", worst);
  CHECK(ok && worst <= 1e-7);
  for (int i = 0; i < 2; i++) sj_tensor_free(r[i]), sj_tensor_free(p[i]), sj_tensor_free(m[i]);
  for (int i = 0; i < 7; i++) sj_tensor_free(v[i]);
  sj_tensor_free(x0c), sj_tensor_free(w0c);
  sj_ctx_free(c);
}

/* ---- checkpoint = k: the same gradient, every k-th state kept ---- */

static void ck_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)ud; /* args: x_t, h, W: h' = tanh(h W + x_t); y_t = sum(h'^2) (a per-step loss) */
  sj_var *h = sj_tanh(sj_add(sj_matmul(st->args[1], st->args[2]), st->args[0]));
  st->outputs[0] = h;
  st->outputs[1] = sj_sum(sj_mul(h, h), 0, NULL, 0);
  (void)c;
}

/* cost = sum_t y_t + sum(h_n); its gradients w.r.t. x, h0, W */
static sj_var *ck_cost(sj_ctx *c, int checkpoint, sj_var *x, sj_var *h0, sj_var *W, sj_var **g) {
  sj_var *info[2] = {h0, NULL}, *res[2];
  bool last[2] = {true, false};
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = info, .nout = 2, .non_sequences = &W,
                       .nnonseq = 1, .return_last = last, .checkpoint = checkpoint};
  CHECK(sj_scan(c, ck_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_var *cost = sj_add(sj_sum(res[1], 0, NULL, 0), sj_sum(res[0], 0, NULL, 0)), *wrt[3] = {x, h0, W};
  CHECK(sj_grad(cost, wrt, 3, g) == SJ_OK);
  return cost;
}

/* The rows of the top-level scans' first results, in the IR sj_compile
 * compiles (the loops' saved states). */
static void scan_rows(sj_ctx *c, sj_var *const *ins, size_t nin, sj_var *const *outs, size_t nout, int64_t *rows,
                      int *n) {
  sj_module *m = NULL;
  sj_compile_options co;
  sj_compile_options_init(&co);
  co.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  *n = 0;
  if (sj_graph_module(c, ins, nin, outs, nout, &co, &m, __FILE__, __LINE__) != SJ_OK) return;
  for (sj_op *f = m->body->first; f; f = f->next)
    for (sj_op *op = sj_func_body(f)->first; op; op = op->next)
      if (op->code == SJ_OP_SCAN && *n < 8) rows[(*n)++] = sj_res(op, 0)->type.dims[0];
}

/* Peak live buffer bytes of one call (sj_function_profile's line). */
static long peak_bytes(sj_ctx *c, sj_var *const *ins, size_t nin, sj_var *const *outs, size_t nout,
                       sj_tensor *const *v) {
  sj_compile_options co;
  sj_compile_options_init(&co);
  co.profile = 1;
  sj_function *f = NULL;
  long peak = -1;
  sj_tensor *r[4] = {0};
  if (sj_compile(c, ins, nin, outs, nout, NULL, 0, NULL, 0, &co, &f) == SJ_OK && sj_function_call(f, v, nin, r, nout) == SJ_OK) {
    char buf[8192];
    sj_function_profile(f, buf, sizeof buf);
    const char *p = strstr(buf, "peak memory: ");
    if (p) peak = strtol(p + 13, NULL, 10);
  }
  for (size_t i = 0; i < nout; i++) sj_tensor_free(r[i]);
  sj_function_free(f);
  return peak;
}

static void test_checkpoint(void) {
  int64_t dx[2] = {12, 4}, dh[1] = {4}, dw[2] = {4, 4};
  sj_tensor *v[3] = {rnd(2, dx, 91, -1, 1), rnd(1, dh, 92, -1, 1), rnd(2, dw, 93, -0.6, 0.6)}, *r[2][4] = {{0}};
  for (int ck = 0; ck < 2; ck++) {
    sj_ctx *c = sj_ctx_new();
    sj_var *x = sj_input(c, "x", SJ_F64, 2, dx), *h0 = sj_input(c, "h0", SJ_F64, 1, dh);
    sj_var *W = sj_input(c, "W", SJ_F64, 2, dw), *g[3], *in[3] = {x, h0, W};
    sj_var *cost = ck_cost(c, ck ? 4 : 0, x, h0, W, g), *outs[4] = {cost, g[0], g[1], g[2]};
    int64_t rows[8];
    int ns;
    scan_rows(c, in, 3, outs, 4, rows, &ns);
    /* the forward loop keeps 13 states, or the 4 checkpoints of 3 segments of 4 steps */
    CHECK(ns == 2 && rows[0] == (ck ? 4 : 13));
    CHECK(run(c, in, 3, outs, 4, v, r[ck]));
    if (ck) CHECK(verify(c, "checkpoint", cost, in, 3, v));
    sj_ctx_free(c);
  }
  for (int i = 0; i < 4; i++) {
    double worst = 0;
    for (int64_t e = 0; r[0][i] && r[1][i] && e < numel(r[0][i]); e++)
      worst = fmax(worst, fabs(sj_tensor_get(r[0][i], e) - sj_tensor_get(r[1][i], e)));
    if (worst > 1e-13) fprintf(stderr, "checkpoint: result %d differs by %g\n", i, worst);
    CHECK(r[0][i] && r[1][i] && worst <= 1e-13);
    sj_tensor_free(r[0][i]), sj_tensor_free(r[1][i]);
  }
  for (int i = 0; i < 3; i++) sj_tensor_free(v[i]);
}

/* Peak memory on a long sequence: 1024 steps of an RNN with 8 x 64 f32
 * states, gradient w.r.t. the weights; checkpoints every 32 steps. */
static void test_checkpoint_memory(void) {
  int64_t dx[3] = {1024, 8, 64}, dh[2] = {8, 64}, dw[2] = {64, 64};
  sj_tensor *v[3] = {rnd(3, dx, 101, -1, 1), rnd(2, dh, 102, -1, 1), rnd(2, dw, 103, -0.1, 0.1)};
  long peak[2];
  for (int ck = 0; ck < 2; ck++) {
    sj_ctx *c = sj_ctx_new();
    sj_var *x = sj_input(c, "x", SJ_F32, 3, dx), *h0 = sj_input(c, "h0", SJ_F32, 2, dh);
    sj_var *W = sj_input(c, "W", SJ_F32, 2, dw), *g[3], *in[3] = {x, h0, W};
    sj_var *cost = ck_cost(c, ck ? 32 : 0, x, h0, W, g), *outs[2] = {cost, g[2]};
    sj_tensor *vf[3];
    for (int i = 0; i < 3; i++) {
      vf[i] = sj_tensor_new(SJ_F32, sj_tensor_rank(v[i]), sj_tensor_dims(v[i]));
      for (int64_t e = 0; e < numel(v[i]); e++) sj_tensor_set(vf[i], e, sj_tensor_get(v[i], e));
    }
    peak[ck] = peak_bytes(c, in, 3, outs, 2, vf);
    for (int i = 0; i < 3; i++) sj_tensor_free(vf[i]);
    sj_ctx_free(c);
  }
  /* the saved states: 1025 rows of 2 KiB, or 33 checkpoints (plus 33 rows
   * recomputed per segment inside the backward loop, not in this count) */
  fprintf(stderr, "checkpoint memory: peak %ld bytes without, %ld with checkpoint = 32 (%.1fx less)\n", peak[0],
          peak[1], peak[1] > 0 ? (double)peak[0] / (double)peak[1] : 0.0);
  CHECK(peak[0] > 0 && peak[1] > 0 && peak[1] * 2 < peak[0]);
  for (int i = 0; i < 3; i++) sj_tensor_free(v[i]);
}

/* ---- out of memory while building a gradient through scan ---- */

/* Builds a scan with until and truncation, then (allocations counted and
 * failed from here) its second-order gradient: the rebuilt forward, the
 * backward scans, their gradient. The status of the last call. */
static sj_status build_oom_case(sj_ctx *c, failing *a) {
  int64_t dx[1] = {5};
  sj_var *x = sj_input(c, "x", SJ_F64, 1, dx), *h0 = sj_input(c, "h0", SJ_F64, 0, NULL);
  sj_var *w = sj_input(c, "w", SJ_F64, 0, NULL), *res[1], *g = NULL, *gg = NULL;
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = &h0, .nout = 1, .non_sequences = &w, .nnonseq = 1,
                       .truncate_gradient = 3};
  sj_status st = sj_scan(c, until_step, NULL, &o, res, NULL, 0, NULL);
  if (st) return st;
  a->waiting = false;
  st = sj_grad(sj_sum(res[0], 0, NULL, 0), &w, 1, &g);
  return st ? st : sj_grad(g, &w, 1, &gg);
}

static void test_oom(void) {
  failing probe = {.waiting = true};
  sj_ctx_options co;
  sj_ctx_options_init(&co);
  co.alloc = failing_alloc;
  co.alloc_ud = &probe;
  sj_ctx *c = sj_ctx_new_with(&co);
  CHECK(build_oom_case(c, &probe) == SJ_OK);
  sj_ctx_free(c);
  long total = probe.count, bad = 0;
  for (int sticky = 0; sticky < 2; sticky++)
    for (long k = 1; k <= total; k++) {
      failing a = {.fail_at = k, .sticky = sticky, .waiting = true};
      co.alloc_ud = &a;
      c = sj_ctx_new_with(&co);
      if (!c) continue;
      sj_status st = build_oom_case(c, &a);
      bool ok = st == SJ_OK || (st == SJ_ERR_NOMEM && strstr(sj_ctx_errmsg(c), "out of memory"));
      if (!ok && !bad++) fprintf(stderr, "oom at allocation %ld%s: %s: %s\n", k, sticky ? " (sticky)" : "", sj_status_str(st), sj_ctx_errmsg(c));
      sj_ctx_free(c);
      if (a.live && !bad++) fprintf(stderr, "oom at allocation %ld: %ld blocks leaked\n", k, a.live);
    }
  if (total <= 10) fprintf(stderr, "oom: only %ld allocations counted\n", total);
  CHECK(total > 10 && bad == 0);
}

/* ---- residuals (decision 0026): a gated cell's activations are saved by
 * the forward loop, not recomputed by the backward one ---- */

static void gated_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud; /* args: x_t, h, W: h' = sigmoid(x W) * tanh(h) + h */
  sj_var *gate = sj_sigmoid(sj_matmul(st->args[0], st->args[2]));
  st->outputs[0] = sj_add(sj_mul(gate, sj_tanh(st->args[1])), st->args[1]);
}

/* Ops of `code` anywhere in op's regions. */
static int count_in(const sj_op *op, sj_opcode code) {
  int n = 0;
  for (unsigned r = 0; r < op->nregions; r++)
    for (const sj_op *o = op->regions[r]->first; o; o = o->next) n += (o->code == code) + count_in(o, code);
  return n;
}

static void test_residuals(bool backwards) {
  sj_ctx *c = sj_ctx_new();
  int64_t dx[3] = {5, 2, 3}, dh[2] = {2, 4}, dw[2] = {3, 4};
  sj_var *x = sj_input(c, "x", SJ_F64, 3, dx), *h0 = sj_input(c, "h0", SJ_F64, 2, dh);
  sj_var *W = sj_input(c, "W", SJ_F64, 2, dw), *res[1];
  sj_scan_options o = {.sequences = &x, .nseq = 1, .outputs_info = &h0, .nout = 1, .non_sequences = &W,
                       .nnonseq = 1, .go_backwards = backwards};
  CHECK(sj_scan(c, gated_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_var *cost = sj_sum(sj_mul(res[0], res[0]), 0, NULL, 0), *in[3] = {x, h0, W}, *g[3];
  /* the loops sj_grad leaves: the forward one also collects the gate and
   * tanh(h) per step; the backward body computes neither */
  CHECK(sj_grad(cost, in, 3, g) == SJ_OK);
  sj_module *m = NULL;
  sj_compile_options co;
  sj_compile_options_init(&co);
  CHECK(sj_graph_module(c, in, 3, g, 3, &co, &m, __FILE__, __LINE__) == SJ_OK);
  int loops = 0;
  for (const sj_op *f = m ? m->body->first : NULL; f; f = f->next)
    for (const sj_op *op = f->nregions ? f->regions[0]->first : NULL; op; op = op->next) {
      if (op->code != SJ_OP_SCAN) continue;
      if (loops == 0) { /* the forward loop (first): h, then the two residuals */
        CHECK(op->nresults == 3);
        CHECK(count_in(op, SJ_OP_SIGMOID) == 1 && count_in(op, SJ_OP_TANH) == 1);
      } else {
        CHECK(count_in(op, SJ_OP_SIGMOID) == 0 && count_in(op, SJ_OP_TANH) == 0);
      }
      loops++;
    }
  CHECK(loops == 2);
  sj_tensor *v[3] = {rnd(3, dx, 31, -1, 1), rnd(2, dh, 32, -1, 1), rnd(2, dw, 33, -0.8, 0.8)};
  CHECK(verify(c, backwards ? "gated cell (backwards)" : "gated cell", cost, in, 3, v));
  for (int i = 0; i < 3; i++) sj_tensor_free(v[i]);
  sj_ctx_free(c);
}

int main(void) {
  test_ir();
  test_oom();
  test_rnn(false);
  test_rnn(true);
  test_embedding();
  test_nested();
  test_two_states();
  test_shared();
  test_n_steps();
  for (int k = 1; k <= 7; k++) test_truncate(k);
  test_until();
  test_backwards();
  test_higher_order();
  test_rop();
  test_checkpoint();
  test_checkpoint_memory();
  test_residuals(false);
  test_residuals(true);
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
