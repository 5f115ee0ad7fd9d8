/* sj_scan (the graph API of loops, docs/graph.md "Loops"): Theano/PyTensor's
 * scan tests translated (tests/scan/test_basic.py), each built, printed as
 * the IR sj_compile compiles, and checked for structure (what is in the
 * body, what is hoisted, the result types); every build error with its
 * message and call site. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"
#include "ref_eval.h"
#include "symjit/graph.h"
#include "text.h"

#include "check.h"
#include "graph_oom.h"

/* The IR sj_compile would compile, as text (NULL on error). */
static char *graph_ir(sj_ctx *c, sj_var *const *ins, size_t nin, sj_var *const *outs, size_t nout) {
  sj_module *m = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  if (sj_graph_module(c, ins, nin, outs, nout, &o, &m, __FILE__, __LINE__) != SJ_OK) {
    fprintf(stderr, "graph_ir: %s\n", sj_ctx_errmsg(c));
    return NULL;
  }
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  sj_print_module(f, m);
  fclose(f);
  return buf;
}

static bool same_text(const char *got, const char *want) {
  bool ok = got && !strcmp(got, want);
  if (!ok) fprintf(stderr, "expected:\n%s\ngot:\n%s\n", want, got ? got : "(null)");
  return ok;
}

static bool has(sj_ctx *c, const char *s) {
  bool ok = strstr(sj_ctx_errmsg(c), s) != NULL;
  if (!ok) fprintf(stderr, "expected '%s' in:\n%s\n", s, sj_ctx_errmsg(c));
  return ok;
}

/* The scan op behind a result (through the slice/index sj_scan adds). */
static sj_op *scan_behind(sj_var *v) {
  sj_op *op = v && v->kind != VAR_POISON ? v->v->def : NULL;
  while (op && op->code != SJ_OP_SCAN && op->nopnds) op = sj_opnd(op, 0)->def;
  return op && op->code == SJ_OP_SCAN ? op : NULL;
}

static unsigned body_ops(const sj_op *scan, sj_opcode code) {
  unsigned n = 0;
  for (const sj_op *op = scan->regions[0]->first; op; op = op->next) n += op->code == code;
  return n;
}

/* Ops of the graph's top-level block with this opcode. */
static unsigned graph_ops(sj_ctx *c, sj_opcode code) {
  unsigned n = 0;
  for (const sj_op *op = sj_graph_of(c)->block->first; op; op = op->next) n += op->code == code;
  return n;
}

/* ---- power of a number: A ** k, n_steps dynamic (PyTensor test_power) ---- */

static void power_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud;
  st->outputs[0] = sj_mul(st->args[0], st->args[1]); /* prior_result * A */
}

static void test_power_ir(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {4};
  sj_var *A = sj_input(c, "A", SJ_F64, 1, d);
  sj_var *k = sj_input(c, "k", SJ_I32, 0, NULL);
  sj_var *one = sj_add(sj_mul(A, sj_scalar(c, 0, SJ_F64)), sj_scalar(c, 1, SJ_F64));
  sj_scan_options o = {.outputs_info = &one, .nout = 1, .non_sequences = &A, .nnonseq = 1, .n_steps = k};
  sj_var *res[1];
  CHECK(sj_scan(c, power_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  CHECK(sj_var_rank(res[0]) == 2 && sj_var_dim(res[0], 0) == -1 && sj_var_dim(res[0], 1) == 4);
  sj_var *ins[2] = {A, k};
  char *ir = graph_ir(c, ins, 2, res, 1);
  CHECK(same_text(ir, "func @graph_fn0(%A: f64[4], %k: i32[]) -> (f64[?,4]) {\n"
                      "  %0 = constant {value = 1.0} : f64[]\n"
                      "  %1 = constant {value = 0.0} : f64[]\n"
                      "  %2 = mul %A, %1 : f64[4]\n"
                      "  %3 = add %2, %0 : f64[4]\n"
                      "  %4 = scan %k, %3, %A {has_n = true, nseq = 0, nstate = 1} : f64[?,4] (%5: f64[4], %A_1: f64[4]) {\n"
                      "    %6 = mul %5, %A_1 : f64[4]\n"
                      "    yield %6\n"
                      "  }\n"
                      "  %7 = slice %4 {start = [1, 0], step = [1, 1], stop = [9223372036854775807, 4]} : f64[?,4]\n"
                      "  return %7\n"
                      "}\n"));
  free(ir);
  sj_ctx_free(c);
}

/* ---- one sequence, one state, two weights (test_one_sequence_one_output_weights) ---- */

/* x_t = u_t * W_in + x_{t-1} * W */
static void rnn_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud;
  sj_var *u = st->args[0], *x = st->args[1], *win = st->args[2], *w = st->args[3];
  sj_var *a = sj_mul(u, win), *b = sj_mul(x, w); /* in this order (C leaves argument order open) */
  st->outputs[0] = sj_add(a, b);
}

static void test_rnn_structure(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {4};
  sj_var *u = sj_input(c, "u", SJ_F64, 1, d), *x0 = sj_input(c, "x0", SJ_F64, 0, NULL);
  sj_var *win = sj_input(c, "W_in", SJ_F64, 0, NULL), *w = sj_input(c, "W", SJ_F64, 0, NULL);
  sj_var *ns[2] = {win, w}, *res[1];
  sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1, .non_sequences = ns, .nnonseq = 2};
  CHECK(sj_scan(c, rnn_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  /* static step count: the sequence's 4 rows, the init row dropped */
  CHECK(sj_var_rank(res[0]) == 1 && sj_var_dim(res[0], 0) == 4);
  sj_op *sc = scan_behind(res[0]);
  CHECK(sc && sj_op_int(sc, "nseq", -1) == 1 && sj_op_int(sc, "nstate", -1) == 1 && !sj_op_bool(sc, "has_n", false));
  CHECK(sc && sc->nopnds == 4 && sj_res(sc, 0)->type.dims[0] == 5); /* u, x0, W_in, W; [n+1] */
  sj_var *ins[4] = {u, x0, win, w};
  char *ir = graph_ir(c, ins, 4, res, 1);
  CHECK(same_text(ir, "func @graph_fn0(%u: f64[4], %x0: f64[], %W_in: f64[], %W: f64[]) -> (f64[4]) {\n"
                      "  %0 = scan %u, %x0, %W_in, %W {nseq = 1, nstate = 1} : f64[5] (%u_t: f64[], %x0_tm1: f64[], %W_in_1: f64[], %W_1: f64[]) {\n"
                      "    %1 = mul %u_t, %W_in_1 : f64[]\n"
                      "    %2 = mul %x0_tm1, %W_1 : f64[]\n"
                      "    %3 = add %1, %2 : f64[]\n"
                      "    yield %3\n"
                      "  }\n"
                      "  %4 = slice %0 {start = [1], step = [1], stop = [5]} : f64[4]\n"
                      "  return %4\n"
                      "}\n"));
  free(ir);
  sj_ctx_free(c);
}

/* ---- hoisting: what depends on no placeholder is built before the loop ---- */

static void hoist_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)ud;
  sj_var *w2 = sj_mul(st->args[2], sj_scalar(c, 2, SJ_F64)); /* non-sequence only: hoisted */
  sj_var *wx = sj_tanh(w2);                                  /* hoisted too (depends on w2 only) */
  st->outputs[0] = sj_add(sj_mul(st->args[0], wx), st->args[1]);
}

static void test_hoisting(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[2] = {6, 3};
  sj_var *u = sj_input(c, "u", SJ_F64, 2, d), *x0 = sj_input(c, "x0", SJ_F64, 1, d + 1);
  sj_var *w = sj_input(c, "W", SJ_F64, 1, d + 1), *res[1];
  sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1, .non_sequences = &w, .nnonseq = 1};
  CHECK(sj_scan(c, hoist_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_op *sc = scan_behind(res[0]);
  CHECK(sc && body_ops(sc, SJ_OP_TANH) == 0 && body_ops(sc, SJ_OP_MUL) == 1 && body_ops(sc, SJ_OP_ADD) == 1);
  CHECK(graph_ops(c, SJ_OP_TANH) == 1); /* computed once, outside */
  /* operands: u, x0, then the captured tanh (W itself is not read in the body) */
  CHECK(sc && sc->nopnds == 3 && sj_opnd(sc, 2)->def && sj_opnd(sc, 2)->def->code == SJ_OP_TANH);
  CHECK(sc && sc->regions[0]->nargs == 3);
  sj_ctx_free(c);
}

/* ---- polynomial from coefficients: outputs_info None, two sequences ---- */

static void poly_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud;
  sj_var *coef = st->args[0], *power = st->args[1], *x = st->args[2];
  st->outputs[0] = sj_mul(coef, sj_pow(x, sj_cast(power, SJ_F64)));
}

static void test_polynomial_structure(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {-1};
  sj_var *coef = sj_input(c, "coefficients", SJ_F64, 1, d), *x = sj_input(c, "x", SJ_F64, 0, NULL);
  int64_t n = 10;
  double pw[10];
  for (int i = 0; i < 10; i++) pw[i] = i;
  sj_var *powers = sj_graph_dense(c, sj_tensor_type(SJ_I32, 1, &n), pw, __FILE__, __LINE__);
  sj_var *seqs[2] = {coef, powers}, *res[1];
  sj_scan_options o = {.sequences = seqs, .nseq = 2, .nout = 1, .non_sequences = &x, .nnonseq = 1};
  CHECK(sj_scan(c, poly_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  /* a collected output has no initial row: [n] directly, n dynamic */
  CHECK(sj_var_rank(res[0]) == 1 && sj_var_dim(res[0], 0) == -1);
  sj_op *sc = scan_behind(res[0]);
  CHECK(sc && sj_op_int(sc, "nstate", -1) == 0 && sj_op_int(sc, "nseq", -1) == 2 && res[0]->v->def == sc);
  sj_ctx_free(c);
}

/* ---- Fibonacci: taps [-2, -1] ---- */

static void fib_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud;
  st->outputs[0] = sj_add(st->args[0], st->args[1]); /* x[t-2] + x[t-1] */
}

/* ---- several outputs: two states and a collected one; shared weights ---- */

typedef struct multi_ud {
  sj_var *w; /* a shared variable read in the step (captured) */
} multi_ud;

static void multi_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c;
  multi_ud *m = ud;
  sj_var *u1 = st->args[0], *u2 = st->args[1], *x = st->args[2], *y = st->args[3], *win = st->args[4];
  st->outputs[0] = sj_add(sj_add(sj_mul(u1, win), sj_mul(u2, m->w)), sj_mul(x, m->w)); /* x_t */
  st->outputs[1] = sj_tanh(sj_add(y, u2));                                            /* y_t */
  st->outputs[2] = sj_mul(x, y);                                                      /* collected */
}

/* ---- updates: a shared counter advanced each step (Theano's accumulator) ---- */

typedef struct counter_ud {
  sj_var *k;
  sj_update upd[1];
} counter_ud;

static void counter_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  counter_ud *u = ud;
  u->upd[0].shared = u->k;
  u->upd[0].value = sj_add(u->k, sj_scalar(c, 1, SJ_I32)); /* k + 1: reads the previous step's k */
  st->updates = u->upd;
  st->nupdates = 1;
}

static void test_updates_structure(void) {
  sj_ctx *c = sj_ctx_new();
  int32_t zero = 0;
  sj_tensor *z = sj_tensor_from(SJ_I32, 0, NULL, &zero);
  counter_ud u = {sj_shared(c, "k", z), {{0}}};
  sj_tensor_free(z);
  sj_var *n = sj_input(c, "n", SJ_I32, 0, NULL);
  sj_scan_options o = {.n_steps = n};
  sj_update upd[2];
  size_t nupd = 9;
  CHECK(sj_scan(c, counter_step, &u, &o, NULL, upd, 2, &nupd) == SJ_OK);
  CHECK(nupd == 1 && upd[0].shared == u.k && sj_var_rank(upd[0].value) == 0);
  sj_op *sc = scan_behind(upd[0].value);
  /* k is a state (init: k itself), its add is in the body */
  CHECK(sc && sj_op_int(sc, "nstate", -1) == 1 && sj_opnd(sc, 1) == u.k->v && body_ops(sc, SJ_OP_ADD) == 1);
  CHECK(graph_ops(c, SJ_OP_ADD) == 0);
  sj_ctx_free(c);
}

/* ---- until: doubling until the value passes 50 (PyTensor test_while) ---- */

static void until_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)ud;
  sj_var *x2 = sj_mul(st->args[0], sj_scalar(c, 2, SJ_F64));
  st->outputs[0] = x2;
  st->until = sj_gt(x2, sj_scalar(c, 50, SJ_F64));
}

static void test_until_structure(void) {
  sj_ctx *c = sj_ctx_new();
  sj_var *x0 = sj_input(c, "x0", SJ_F64, 0, NULL), *res[1];
  sj_var *n = sj_scalar(c, 1024, SJ_I64);
  sj_scan_options o = {.outputs_info = &x0, .nout = 1, .n_steps = n};
  CHECK(sj_scan(c, until_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_op *sc = scan_behind(res[0]);
  CHECK(sc && sj_op_bool(sc, "until", false) && sc->regions[0]->last->nopnds == 2);
  CHECK(sc && sj_res(sc, 0)->type.dims[0] == -1);
  sj_ctx_free(c);
}

/* ---- go_backwards, return_last ---- */

static void test_backwards_last_structure(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {4};
  sj_var *u = sj_input(c, "u", SJ_F64, 1, d), *x0 = sj_input(c, "x0", SJ_F64, 0, NULL);
  sj_var *win = sj_input(c, "W_in", SJ_F64, 0, NULL), *w = sj_input(c, "W", SJ_F64, 0, NULL);
  sj_var *ns[2] = {win, w}, *res[1];
  bool last = true;
  sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1, .non_sequences = ns, .nnonseq = 2,
                       .go_backwards = true, .return_last = &last};
  CHECK(sj_scan(c, rnn_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  CHECK(sj_var_rank(res[0]) == 0);
  sj_op *sc = scan_behind(res[0]);
  /* the sequence is read reversed (a step -1 slice before the loop) */
  CHECK(sc && sj_opnd(sc, 0)->def && sj_opnd(sc, 0)->def->code == SJ_OP_SLICE && !sj_op_bool(sc, "reverse", false));
  sj_ctx_free(c);
}

/* ---- nested scan: the inner loop inside the outer step ---- */

/* inner: y_j = y_{j-1} * a + 1 over 3 steps; outer: x_t = inner(x_{t-1} + u_t) */
static void inner_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)ud;
  st->outputs[0] = sj_add(sj_mul(st->args[0], st->args[1]), sj_scalar(c, 1, SJ_F64));
}

static void outer_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  sj_var *a = ud;
  sj_var *start = sj_add(st->args[1], st->args[0]), *r[1];
  bool last = true;
  sj_scan_options o = {.outputs_info = &start, .nout = 1, .non_sequences = &a, .nnonseq = 1,
                       .n_steps = sj_scalar(c, 3, SJ_I32), .return_last = &last};
  if (sj_scan(c, inner_step, NULL, &o, r, NULL, 0, NULL) != SJ_OK) return;
  st->outputs[0] = r[0];
}

/* ---- the compiled func: givens inside bodies, unused inputs, gradient controls ---- */

static void sg_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c;
  sj_var *w = ud;
  st->outputs[0] = sj_add(st->args[0], sj_stop_gradient(sj_mul(st->args[1], w)));
}

static void test_compile_conversion(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {3};
  sj_var *u = sj_input(c, "u", SJ_F64, 1, d), *x0 = sj_input(c, "x0", SJ_F64, 0, NULL);
  sj_var *w = sj_input(c, "W", SJ_F64, 0, NULL), *res[1];
  sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1};
  CHECK(sj_scan(c, sg_step, w, &o, res, NULL, 0, NULL) == SJ_OK);
  /* W is read only inside the body: not an unused input */
  sj_module *m = NULL;
  sj_var *ins[3] = {u, x0, w};
  CHECK(sj_graph_module(c, ins, 3, res, 1, NULL, &m, __FILE__, __LINE__) == SJ_OK);
  /* the stop_gradient inside the body is dropped in the func */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (m) sj_print_module(f, m);
  fclose(f);
  CHECK(buf && strstr(buf, "scan") && !strstr(buf, "stop_gradient"));
  free(buf);
  sj_ctx_free(c);
}

/* ---- errors: the first one recorded, naming the sj_scan call (or the node) ---- */

static bool at_line(sj_ctx *c, int line) {
  char want[64];
  snprintf(want, sizeof want, "scan_graph.c:%d:", line);
  return has(c, want);
}

typedef struct err_ud {
  int kind;
  sj_var *keep;  /* a step variable kept, to misuse after the scan */
  sj_var *other; /* an outer variable */
  sj_update upd[3];
} err_ud;

enum { E_SHAPE, E_DTYPE, E_NOUT, E_NULL_OUT, E_UNTIL, E_NODE, E_KEEP, E_UPD_NOT_SHARED, E_UPD_CAP, E_UPD_TYPE };

static int node_line;

/* args: u row (f64[3]), x (f64[3]) */
static void err_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  err_ud *e = ud;
  sj_var *u = st->args[0], *x = st->args[1];
  sj_var *y = sj_add(u, x);
  st->outputs[0] = y;
  switch (e->kind) {
  case E_SHAPE: st->outputs[0] = sj_sum(y, 0, NULL, 0); break;
  case E_DTYPE: st->outputs[0] = sj_cast(y, SJ_F32); break;
  case E_NOUT: st->nout = 2; break;
  case E_NULL_OUT: st->outputs[0] = NULL; break;
  case E_UNTIL: st->until = sj_gt(y, sj_scalar(c, 1, SJ_F64)); break; /* bool[3], not rank 0 */
  case E_NODE: {
    int64_t d[2] = {4, 4}, r[2] = {1, 3};
    sj_var *row = sj_reshape(y, 2, r);
    node_line = __LINE__ + 1;
    st->outputs[0] = sj_matmul(row, sj_input(c, "M", SJ_F64, 2, d));
    break;
  }
  case E_KEEP: e->keep = y; break;
  case E_UPD_NOT_SHARED:
  case E_UPD_CAP:
  case E_UPD_TYPE:
    for (int i = 0; i < 3; i++) e->upd[i] = (sj_update){e->other, e->kind == E_UPD_TYPE ? y : sj_sum(y, 0, NULL, 0)};
    st->updates = e->upd;
    st->nupdates = e->kind == E_UPD_CAP ? 2 : 1;
    if (e->kind == E_UPD_CAP) e->upd[1].shared = e->upd[0].shared; /* also a duplicate, but the count is first */
    break;
  }
}

/* Builds the standard failing scan of kind k; returns the sj_scan line. */
static int err_scan(sj_ctx *c, int kind, sj_var *other, sj_var **res, sj_status *st) {
  int64_t d[2] = {5, 3};
  sj_var *u = sj_input(c, "u", SJ_F64, 2, d), *x0 = sj_input(c, "x0", SJ_F64, 1, d + 1);
  err_ud e = {kind, NULL, other, {{0}}};
  sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1};
  sj_update upd[1];
  size_t nupd = 0;
  int line = __LINE__ + 1;
  *st = sj_scan(c, err_step, &e, &o, res, upd, 1, &nupd);
  if (kind == E_KEEP) res[0] = e.keep;
  return line;
}

static void test_errors_step(void) {
  for (int kind = E_SHAPE; kind <= E_UPD_TYPE; kind++) {
    sj_ctx *c = sj_ctx_new();
    sj_var *other = NULL;
    if (kind >= E_UPD_NOT_SHARED) {
      double v = 0;
      sj_tensor *t = sj_tensor_from(SJ_F64, 0, NULL, &v);
      other = kind == E_UPD_NOT_SHARED ? sj_input(c, "notshared", SJ_F64, 0, NULL) : sj_shared(c, "s", t);
      sj_tensor_free(t);
    }
    sj_var *res[1] = {NULL};
    sj_status st = SJ_OK;
    int line = err_scan(c, kind, other, res, &st);
    if (kind == E_KEEP) { /* the scan is fine; the step's variable is not visible outside */
      CHECK(st == SJ_OK);
      int l2 = __LINE__ + 1;
      sj_var *bad = sj_neg(res[0]);
      CHECK(bad && sj_var_rank(bad) == 0 && sj_ctx_num_errors(c) == 1 && at_line(c, l2));
      CHECK(has(c, "'neg': operand 0 was built inside the step function of a scan (at"));
      sj_ctx_free(c);
      continue;
    }
    CHECK(st == SJ_ERR_VERIFY);
    CHECK(res[0] && sj_var_rank(res[0]) == 0 && !scan_behind(res[0])); /* poison */
    CHECK(sj_ctx_num_errors(c) == 1);
    switch (kind) {
    case E_SHAPE:
      CHECK(at_line(c, line) && has(c, "sj_scan: output 0 of the step is (result of 'sum') f64[] but its initial value is "
                                       "f64[3]: a state must keep its shape"));
      CHECK(has(c, "note: output 0 of the step was built here"));
      break;
    case E_DTYPE:
      CHECK(at_line(c, line) && has(c, "output 0 of the step is (result of 'cast') f32[3] but its initial value is f64[3]: "
                                       "a state must keep its dtype"));
      break;
    case E_NOUT: CHECK(at_line(c, line) && has(c, "the step function set nout to 2; the options declare 1 outputs")); break;
    case E_NULL_OUT: CHECK(at_line(c, line) && has(c, "the step function did not set output 0 (of 1)")); break;
    case E_UNTIL:
      CHECK(at_line(c, line) && has(c, "the stop condition (until) must be a bool scalar (rank 0), got (result of 'gt') bool[3]"));
      break;
    case E_NODE:
      CHECK(at_line(c, node_line) && has(c, "matmul") && has(c, "note: in the step function of this sj_scan"));
      CHECK(at_line(c, line)); /* the note names the sj_scan call */
      break;
    case E_UPD_NOT_SHARED: CHECK(at_line(c, line) && has(c, "update 0 of the step targets something that is not a shared variable")); break;
    case E_UPD_CAP: CHECK(at_line(c, line) && has(c, "the step returns 2 updates but the caller has room for 1")); break;
    case E_UPD_TYPE: CHECK(at_line(c, line) && has(c, "update 0 of the step gives shared variable 's' f64[] the value")); break;
    }
    /* sticky: later builders return poison; cleared, the graph works again */
    int64_t d[1] = {3};
    CHECK(sj_ctx_num_errors(c) == 1);
    sj_ctx_clear_errors(c);
    sj_var *u = sj_input(c, "u2", SJ_F64, 1, d), *x0 = sj_input(c, "x02", SJ_F64, 0, NULL), *r2[1];
    sj_var *win = sj_scalar(c, 1, SJ_F64), *ns[2] = {win, win};
    sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1, .non_sequences = ns, .nnonseq = 2};
    CHECK(sj_scan(c, rnn_step, NULL, &o, r2, NULL, 0, NULL) == SJ_OK && scan_behind(r2[0]));
    /* the failed step's ops are not in the graph */
    CHECK(graph_ops(c, SJ_OP_SCAN) == 1);
    sj_ctx_free(c);
  }
}

/* sj_compile refuses a step's variable as an output, an update value or a given */
static void test_compile_refuses_step_vars(void) {
  for (int kind = 0; kind < 3; kind++) {
    sj_ctx *c = sj_ctx_new();
    sj_var *res[1];
    sj_status st;
    err_scan(c, E_KEEP, NULL, res, &st); /* res[0]: the step's y */
    CHECK(st == SJ_OK);
    int64_t d[1] = {3};
    sj_var *x = sj_input(c, "x", SJ_F64, 1, d), *out = sj_neg(x);
    double z[3] = {0};
    sj_tensor *t = sj_tensor_from(SJ_F64, 1, d, z);
    sj_var *sh = sj_shared(c, "s", t);
    sj_tensor_free(t);
    sj_update upd = {sh, res[0]};
    sj_given gv = {x, res[0]};
    sj_function *f = NULL;
    int line = __LINE__ + 1;
    st = sj_compile(c, &x, 1, kind == 0 ? res : &out, 1, kind == 1 ? &upd : NULL, kind == 1, kind == 2 ? &gv : NULL, kind == 2, NULL, &f);
    CHECK(st != SJ_OK && !f && at_line(c, line));
    CHECK(has(c, kind == 0 ? "sj_compile: output 0 was built inside the step function of a scan"
                 : kind == 1 ? "sj_compile: the value of update 0 was built inside the step function of a scan"
                             : "sj_compile: given 0 replaces by a variable built inside the step function of a scan"));
    sj_ctx_free(c);
  }
}

static void nop_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud;
  st->outputs[0] = st->args[0];
}

static void test_errors_options(void) {
  int64_t d[2] = {5, 3};
  for (int kind = 0; kind < 9; kind++) {
    sj_ctx *c = sj_ctx_new();
    sj_var *u = sj_input(c, "u", SJ_F64, 2, d), *x0 = sj_input(c, "x0", SJ_F64, 1, d + 1);
    sj_var *s0 = sj_input(c, "s0", SJ_F64, 0, NULL), *fn = sj_input(c, "fn", SJ_F64, 0, NULL), *res[1] = {NULL};
    sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1};
    int taps = 3;
    sj_scan_fn step = nop_step;
    sj_var *x2[1];
    const sj_scan_options *op = &o;
    const char *want = NULL;
    switch (kind) {
    case 0: step = NULL, want = "sj_scan: the step function is NULL"; break;
    case 1: op = NULL, want = "sj_scan: the options is NULL"; break;
    case 2: o.sequences = &s0, want = "sj_scan: sequence 0 's0' f64[] has rank 0 (a sequence is iterated along its leading axis)"; break;
    case 3: o.nseq = 0, want = "sj_scan: no sequence and no n_steps: the number of steps is unknown"; break;
    case 4: o.n_steps = fn, want = "sj_scan: n_steps must be an i32 or i64 scalar (rank 0), got 'fn' f64[]"; break;
    case 5: o.n_steps = sj_input(c, "nv", SJ_I32, 1, d), want = "n_steps must be an i32 or i64 scalar (rank 0), got 'nv' i32[5]"; break;
    case 6: d[0] = 2, x2[0] = sj_input(c, "x2", SJ_F64, 2, d), d[0] = 5;
            o.outputs_info = x2, o.ntaps = &taps;
            want = "sj_scan: output 0 has taps -3..-1, so its initial value needs a leading axis of at least 3 rows (oldest "
                   "first), but it is 'x2' f64[2,3]";
            break;
    case 7: taps = 0, o.ntaps = &taps, want = "sj_scan: output 0 has 0 taps (1 to 16: taps -k..-1)"; break;
    case 8: o.nnonseq = 2, want = "sj_scan: non_sequences is NULL but its count is 2"; break;
    }
    int line = __LINE__ + 1;
    sj_status st = sj_scan(c, step, NULL, op, res, NULL, 0, NULL);
    CHECK(st != SJ_OK && sj_ctx_num_errors(c) == 1 && at_line(c, line) && has(c, want));
    if (op) CHECK(res[0] && sj_var_rank(res[0]) == 0 && !scan_behind(res[0]));
    CHECK(graph_ops(c, SJ_OP_SCAN) == 0);
    sj_ctx_free(c);
  }
  CHECK(sj_scan(NULL, nop_step, NULL, NULL, NULL, NULL, 0, NULL) == SJ_ERR_INVALID);
  for (int kind = 0; kind < 2; kind++) { /* a NULL results array, a NULL updates array with room */
    sj_ctx *c = sj_ctx_new();
    sj_var *u = sj_input(c, "u", SJ_F64, 2, d), *x0 = sj_input(c, "x0", SJ_F64, 1, d + 1), *res[1];
    sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1};
    size_t nupd = 5;
    int line = __LINE__ + 1;
    sj_status st = kind ? sj_scan(c, nop_step, NULL, &o, res, NULL, 2, &nupd) : sj_scan(c, nop_step, NULL, &o, NULL, NULL, 0, &nupd);
    CHECK(st != SJ_OK && nupd == 0 && at_line(c, line) && has(c, kind ? "sj_scan: updates is NULL" : "sj_scan: results is NULL"));
    sj_ctx_free(c);
  }
}

/* ---- out of memory: every allocation of building scans (taps, updates,
 * nested, go_backwards) and of sj_graph_module fails in turn; each run ends
 * in SJ_OK or SJ_ERR_NOMEM, gives back every block, and after
 * sj_ctx_clear_errors builds the same graph in the same context ---- */

static sj_status oom_build(sj_ctx *c, sj_var **ins, sj_var **outs, void *ud) {
  (void)ud;
  int64_t d[1] = {5}, two = 2;
  int32_t zero = 0;
  sj_tensor *z = sj_tensor_from(SJ_I32, 0, NULL, &zero);
  static counter_ud cu;
  cu.k = sj_shared(c, "k", z);
  sj_tensor_free(z);
  ins[0] = sj_input(c, "u", SJ_F64, 1, d);
  ins[1] = sj_input(c, "x0", SJ_F64, 0, NULL);
  ins[2] = sj_input(c, "a", SJ_F64, 0, NULL);
  ins[3] = sj_input(c, "f0", SJ_I64, 1, &two);
  sj_var *r1[1], *r2[1], *r3[1];
  sj_scan_options o1 = {.sequences = ins, .nseq = 1, .outputs_info = ins + 1, .nout = 1, .go_backwards = true};
  sj_status st = sj_scan(c, outer_step, ins[2], &o1, r1, NULL, 0, NULL);
  int taps = 2;
  sj_scan_options o2 = {.outputs_info = ins + 3, .ntaps = &taps, .nout = 1, .n_steps = sj_scalar(c, 6, SJ_I32)};
  sj_status st2 = sj_scan(c, fib_step, NULL, &o2, r2, NULL, 0, NULL);
  sj_update upd[1];
  size_t nupd = 0;
  sj_scan_options o3 = {.n_steps = sj_scalar(c, 4, SJ_I32)};
  sj_status st3 = sj_scan(c, counter_step, &cu, &o3, r3, upd, 1, &nupd);
  outs[0] = r1[0], outs[1] = r2[0], outs[2] = nupd ? upd[0].value : sj_graph_of(c)->poison;
  return st ? st : st2 ? st2 : st3;
}

static void test_oom(void) {
  graph_oom g = {oom_build, NULL, 4, 3};
  long n = 0;
  failures += graph_oom_sweep(&g, false, &n);
  CHECK(n > 10);
}

/* ---- the internal API the gradient uses (graph_internal.h) ---- */

/* A reverse scan built by hand: explicit non-sequence, a bound outer
 * value, a captured outer node, a hoisted op; then one step recomputed
 * with sj_graph_inline_body. */
static void test_internal_api(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[2] = {4, 3};
  sj_var *xs = sj_input(c, "xs", SJ_F64, 2, d), *h0 = sj_input(c, "h0", SJ_F64, 1, d + 1);
  sj_var *w = sj_input(c, "w", SJ_F64, 1, d + 1), *v = sj_input(c, "v", SJ_F64, 1, d + 1);
  sj_var *outer = sj_exp(v); /* built before the body: captured */
  sj_graph_body b;
  CHECK(sj_graph_body_begin(c, &b));
  sj_type row = sj_tensor_type(SJ_F64, 1, d + 1);
  sj_var *x = sj_graph_body_arg(&b, row, "x"), *h = sj_graph_body_arg(&b, row, "h");
  sj_var *wa = sj_graph_body_arg(&b, row, "wa");
  sj_var *hoisted = sj_neg(outer);                       /* depends on no placeholder: stays outside */
  sj_var *inner = sj_add(sj_mul(x, wa), sj_mul(h, hoisted));
  sj_var *ys[2] = {inner, sj_sum(inner, 0, NULL, 0)}, *res[2];
  bool last[2] = {false, true};
  sj_graph_scan_spec s = {.seqs = &xs, .nseq = 1, .inits = &h0, .nstate = 1, .nonseqs = &w, .nnon = 1,
                          .yields = ys, .nyield = 2, .reverse = true, .last = last};
  CHECK(sj_graph_scan_end(&b, &s, res, __FILE__, __LINE__) == SJ_OK);
  CHECK(sj_graph_of(c)->body == NULL);
  sj_op *sc = sj_graph_scan_of(res[0]);
  CHECK(sc && sj_graph_scan_of(res[1]) == sc && sj_op_bool(sc, "reverse", false));
  CHECK(sc && sc->nopnds == 4 && sj_opnd(sc, 2) == w->v && sj_opnd(sc, 3)->def->code == SJ_OP_NEG);
  CHECK(sj_var_dim(res[0], 0) == 5 && sj_var_rank(res[1]) == 0);
  CHECK(sc && body_ops(sc, SJ_OP_NEG) == 0 && body_ops(sc, SJ_OP_MUL) == 2);
  /* recompute the step on outer values: the ops come back in the graph */
  sj_var *args[4] = {h0, h0, w, h0}, *ry[2];
  sj_value_map *m = sj_value_map_new(c);
  CHECK(sj_graph_inline_body(c, sc, args, ry, m, __FILE__, __LINE__) == SJ_OK);
  CHECK(ry[0]->v->def && ry[0]->v->def->code == SJ_OP_ADD && ry[0]->v->def->block == sj_graph_of(c)->block);
  CHECK(sj_value_map_find(m, sc->regions[0]->args[0]) == h0->v);
  sj_var *ins[4] = {xs, h0, w, v}, *outs[3] = {res[0], res[1], sj_add(ry[0], ry[1])};
  char *ir = graph_ir(c, ins, 4, outs, 3);
  CHECK(ir && strstr(ir, "{last = [1], nseq = 1, nstate = 1, reverse = true}"));
  free(ir);
  /* a wrong argument type for the recomputation */
  sj_var *bad[4] = {xs, h0, w, h0};
  CHECK(sj_graph_inline_body(c, sc, bad, ry, NULL, __FILE__, __LINE__) == SJ_ERR_VERIFY);
  CHECK(has(c, "argument 0 of the recomputed body must be f64[3]"));
  sj_ctx_free(c);
}

/* A bound value: inside the body the outer variable reads a placeholder. */
static void test_internal_bind(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t n = 3;
  double z = 0;
  sj_tensor *t = sj_tensor_from(SJ_F64, 0, NULL, &z);
  sj_var *acc = sj_shared(c, "acc", t), *xs = sj_input(c, "xs", SJ_F64, 1, &n);
  sj_tensor_free(t);
  sj_graph_body b;
  CHECK(sj_graph_body_begin(c, &b));
  sj_var *x = sj_graph_body_arg(&b, sj_tensor_type(SJ_F64, 0, NULL), NULL);
  sj_var *next = sj_add(acc, x); /* reads acc: bound below, so in the body */
  sj_var *st = sj_graph_body_arg(&b, sj_tensor_type(SJ_F64, 0, NULL), "acc");
  sj_graph_body_bind(&b, acc, st);
  sj_var *res[1];
  sj_graph_scan_spec s = {.seqs = &xs, .nseq = 1, .inits = &acc, .nstate = 1, .yields = &next, .nyield = 1};
  CHECK(sj_graph_scan_end(&b, &s, res, __FILE__, __LINE__) == SJ_OK);
  sj_op *sc = sj_graph_scan_of(res[0]);
  CHECK(sc && sc->nopnds == 2 && sc->regions[0]->nargs == 2 && body_ops(sc, SJ_OP_ADD) == 1);
  CHECK(sc && sj_opnd(sc->regions[0]->first, 0) == sc->regions[0]->args[1]);
  /* misuse: a body ended while an inner one is open */
  sj_graph_body outer_b, inner_b;
  CHECK(sj_graph_body_begin(c, &outer_b) && sj_graph_body_begin(c, &inner_b));
  sj_var *p = sj_graph_body_arg(&outer_b, sj_tensor_type(SJ_F64, 0, NULL), NULL);
  sj_var *y = sj_neg(p);
  sj_graph_scan_spec s2 = {.seqs = &xs, .nseq = 1, .yields = &y, .nyield = 1};
  CHECK(sj_graph_scan_end(&outer_b, &s2, res, __FILE__, __LINE__) == SJ_ERR_VERIFY);
  CHECK(has(c, "scan: a nested scan body was not ended") && sj_graph_of(c)->body == NULL);
  CHECK(graph_ops(c, SJ_OP_NEG) == 0); /* abandoned */
  sj_ctx_free(c);
}

/* ---- a scan over another scan's result ---- */

static void cumsum_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud;
  st->outputs[0] = sj_add(st->args[0], st->args[1]);
}

/* ---- gradient options are kept for the gradient (truncate_gradient, checkpoint) ---- */

static void test_grad_options(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {6};
  sj_var *u = sj_input(c, "u", SJ_F64, 1, d), *z = sj_scalar(c, 0, SJ_F64), *r1[1], *r2[1], *r3[1];
  sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &z, .nout = 1, .truncate_gradient = 3, .checkpoint = 2};
  CHECK(sj_scan(c, cumsum_step, NULL, &o, r1, NULL, 0, NULL) == SJ_OK);
  o.truncate_gradient = -1, o.checkpoint = 1; /* both mean the default */
  CHECK(sj_scan(c, cumsum_step, NULL, &o, r2, NULL, 0, NULL) == SJ_OK);
  int t = -5, k = -5;
  sj_graph_scan_grad_options(scan_behind(r1[0]), &t, &k);
  CHECK(t == 3 && k == 2);
  sj_graph_scan_grad_options(scan_behind(r2[0]), &t, &k);
  CHECK(t == 0 && k == 0);
  o.truncate_gradient = -2;
  int line = __LINE__ + 1;
  CHECK(sj_scan(c, cumsum_step, NULL, &o, r3, NULL, 0, NULL) == SJ_ERR_VERIFY);
  CHECK(at_line(c, line) && has(c, "truncate_gradient must be -1, 0 or k > 0 and checkpoint 0 or k > 0 (got -2 and 1)"));
  sj_ctx_free(c);
}

/* ---- updates through a nested scan: the inner loop advances k twice per
 * outer step, the outer step returns the inner update (k += 2 per step) ---- */

typedef struct nested_upd_ud {
  counter_ud inner;
  sj_update upd[1];
} nested_upd_ud;

static void outer_counter_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  nested_upd_ud *u = ud;
  sj_scan_options o = {.n_steps = sj_scalar(c, 2, SJ_I32)};
  size_t n = 0;
  if (sj_scan(c, counter_step, &u->inner, &o, NULL, u->upd, 1, &n) != SJ_OK) return;
  st->updates = u->upd;
  st->nupdates = n;
  st->outputs[0] = sj_mul(u->upd[0].value, sj_scalar(c, 10, SJ_I32)); /* collected: 10 k after each step */
}

static nested_upd_ud *nested_counter(sj_ctx *c, sj_var *n, sj_var **res, sj_update *upd, size_t *nupd) {
  static nested_upd_ud u;
  int32_t zero = 0;
  sj_tensor *z = sj_tensor_from(SJ_I32, 0, NULL, &zero);
  u = (nested_upd_ud){{sj_shared(c, "k", z), {{0}}}, {{0}}};
  sj_tensor_free(z);
  sj_scan_options o = {.n_steps = n, .nout = 1};
  CHECK(sj_scan(c, outer_counter_step, &u, &o, res, upd, 1, nupd) == SJ_OK);
  return &u;
}

/* ---- execution: the reference evaluator (on the func sj_compile compiles)
 * and the compiled function, each against a plain C computation in double
 * precision ---- */

#define MAXV 64

static bool close_to(const sj_tensor *t, int rank, const int64_t *dims, const double *want, double tol, const char *what,
                     int line) {
  if (!t) {
    fprintf(stderr, "line %d: %s: no result\n", line, what);
    return false;
  }
  bool ok = sj_tensor_rank(t) == rank;
  for (int i = 0; ok && i < rank; i++) ok = sj_tensor_dims(t)[i] == dims[i];
  if (!ok) {
    fprintf(stderr, "line %d: %s: shape differs (rank %d, dim0 %lld)\n", line, what, sj_tensor_rank(t),
            sj_tensor_rank(t) ? (long long)sj_tensor_dims(t)[0] : -1LL);
    return false;
  }
  for (int64_t i = 0; i < sj_tensor_numel(t); i++) {
    double g = sj_tensor_get(t, i);
    if (!(fabs(g - want[i]) <= tol * fmax(1, fabs(want[i])))) {
      fprintf(stderr, "line %d: %s: element %lld is %.17g, expected %.17g\n", line, what, (long long)i, g, want[i]);
      return false;
    }
  }
  return true;
}

/* One expected result: its shape and values. */
typedef struct want {
  int rank;
  int64_t dims[3];
  double v[MAXV];
} want;

/* Checks outs(ins) on `in` with the reference evaluator and with the
 * compiled function (f64 throughout: tol 1e-12 covers summation order). */
static double exec_tol = 1e-12; /* f64 throughout: summation order only */

static void exec_check_shared(sj_ctx *c, sj_var *const *ins, size_t nin, sj_var *const *outs, size_t nout,
                              sj_tensor *const *in, const want *w, sj_var *const *shared, size_t nshared, int line) {
  sj_module *m = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  sj_tensor *r[8] = {0}, *rin[16];
  for (size_t i = 0; i < nin; i++) rin[i] = in[i];
  for (size_t i = 0; i < nshared; i++) rin[nin + i] = (sj_tensor *)sj_shared_value(shared[i]); /* the func's last params */
  bool ok = sj_graph_module(c, ins, nin, outs, nout, &o, &m, __FILE__, line) == SJ_OK &&
            sj_ref_eval(c, m->body->first, rin, nin + nshared, r, nout) == SJ_OK;
  if (!ok) fprintf(stderr, "line %d: reference: %s\n", line, sj_ctx_errmsg(c)), failures++;
  for (size_t i = 0; ok && i < nout; i++)
    if (!close_to(r[i], w[i].rank, w[i].dims, w[i].v, exec_tol, "reference", line)) failures++;
  for (size_t i = 0; i < nout; i++) sj_tensor_free(r[i]), r[i] = NULL;
  sj_function *f = NULL;
  ok = sj_compile(c, ins, nin, outs, nout, NULL, 0, NULL, 0, &o, &f) == SJ_OK &&
       sj_function_call(f, in, nin, r, nout) == SJ_OK;
  if (!ok) fprintf(stderr, "line %d: compiled: %s\n", line, sj_ctx_errmsg(c)), failures++;
  for (size_t i = 0; ok && i < nout; i++)
    if (!close_to(r[i], w[i].rank, w[i].dims, w[i].v, exec_tol, "compiled", line)) failures++;
  for (size_t i = 0; i < nout; i++) sj_tensor_free(r[i]);
  sj_function_free(f);
}

static void exec_check(sj_ctx *c, sj_var *const *ins, size_t nin, sj_var *const *outs, size_t nout,
                       sj_tensor *const *in, const want *w, int line) {
  exec_check_shared(c, ins, nin, outs, nout, in, w, NULL, 0, line);
}

static sj_tensor *vec(int64_t n, const double *v) { return sj_tensor_from(SJ_F64, 1, &n, v); }
static sj_tensor *scal(double v) { return sj_tensor_from(SJ_F64, 0, NULL, &v); }
static sj_tensor *iscal(sj_dtype dt, int64_t v) {
  sj_tensor *t = sj_tensor_new(dt, 0, NULL);
  sj_tensor_set(t, 0, (double)v);
  return t;
}
static void free_all(sj_tensor **t, size_t n) {
  for (size_t i = 0; i < n; i++) sj_tensor_free(t[i]);
}

/* test_one_sequence_one_output_weights, forwards, backwards, last */
static void test_rnn_exec(void) {
  for (int mode = 0; mode < 3; mode++) {
    sj_ctx *c = sj_ctx_new();
    int64_t d[1] = {4};
    sj_var *u = sj_input(c, "u", SJ_F64, 1, d), *x0 = sj_input(c, "x0", SJ_F64, 0, NULL);
    sj_var *win = sj_input(c, "W_in", SJ_F64, 0, NULL), *w = sj_input(c, "W", SJ_F64, 0, NULL);
    sj_var *ns[2] = {win, w}, *res[1];
    bool last = mode == 2;
    sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1, .non_sequences = ns,
                         .nnonseq = 2, .go_backwards = mode >= 1, .return_last = &last};
    CHECK(sj_scan(c, rnn_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
    double uv[4] = {0.3, -1.2, 2.5, 0.7}, x = 0.9, W_in = 1.7, W = -0.6;
    want wv = {.rank = last ? 0 : 1, .dims = {4}};
    for (int t = 0; t < 4; t++) {
      x = uv[mode ? 3 - t : t] * W_in + x * W; /* visiting order */
      wv.v[t] = x;
    }
    if (last) wv.v[0] = x;
    sj_tensor *in[4] = {vec(4, uv), scal(0.9), scal(W_in), scal(W)};
    sj_var *ins[4] = {u, x0, win, w};
    exec_check(c, ins, 4, res, 1, in, &wv, __LINE__);
    free_all(in, 4);
    sj_ctx_free(c);
  }
}

/* A ** k for a dynamic k (0 included: an empty result) */
static void test_power_exec(void) {
  for (int k = 0; k <= 5; k += 5) {
    sj_ctx *c = sj_ctx_new();
    int64_t d[1] = {4};
    sj_var *A = sj_input(c, "A", SJ_F64, 1, d), *kv = sj_input(c, "k", SJ_I32, 0, NULL);
    sj_var *one = sj_add(sj_mul(A, sj_scalar(c, 0, SJ_F64)), sj_scalar(c, 1, SJ_F64)), *res[2];
    bool last[1] = {true};
    sj_scan_options o = {.outputs_info = &one, .nout = 1, .non_sequences = &A, .nnonseq = 1, .n_steps = kv};
    CHECK(sj_scan(c, power_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
    o.return_last = last;
    CHECK(sj_scan(c, power_step, NULL, &o, res + 1, NULL, 0, NULL) == SJ_OK);
    double av[4] = {1.5, -2, 0.5, 3};
    want w[2] = {{.rank = 2, .dims = {k, 4}}, {.rank = 1, .dims = {4}}};
    for (int i = 0; i < 4; i++) {
      double p = 1;
      for (int t = 0; t < k; t++) p *= av[i], w[0].v[t * 4 + i] = p;
      w[1].v[i] = p; /* zero steps: the initial value */
    }
    sj_tensor *in[2] = {vec(4, av), iscal(SJ_I32, k)};
    sj_var *ins[2] = {A, kv};
    exec_check(c, ins, 2, res, 2, in, w, __LINE__);
    free_all(in, 2);
    sj_ctx_free(c);
  }
}

/* polynomial from coefficients (7 coefficients, 10 powers: 7 steps) */
static void test_polynomial_exec(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {-1}, n = 10;
  sj_var *coef = sj_input(c, "coefficients", SJ_F64, 1, d), *x = sj_input(c, "x", SJ_F64, 0, NULL);
  double pw[10];
  for (int i = 0; i < 10; i++) pw[i] = i;
  sj_var *powers = sj_graph_dense(c, sj_tensor_type(SJ_I32, 1, &n), pw, __FILE__, __LINE__);
  sj_var *seqs[2] = {coef, powers}, *res[1];
  sj_scan_options o = {.sequences = seqs, .nseq = 2, .nout = 1, .non_sequences = &x, .nnonseq = 1};
  CHECK(sj_scan(c, poly_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_var *outs[2] = {res[0], sj_sum(res[0], 0, NULL, 0)};
  double cv[7] = {1, 0, 2, -1, 0.5, 3, -2}, xv = 1.3;
  want w[2] = {{.rank = 1, .dims = {7}}, {.rank = 0}};
  for (int i = 0; i < 7; i++) w[0].v[i] = cv[i] * pow(xv, i), w[1].v[0] += w[0].v[i];
  sj_tensor *in[2] = {vec(7, cv), scal(xv)};
  sj_var *ins[2] = {coef, x};
  exec_check(c, ins, 2, outs, 2, in, w, __LINE__);
  free_all(in, 2);
  sj_ctx_free(c);
}

/* Fibonacci, taps [-2, -1], n dynamic */
static void test_fibonacci_exec(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t two = 2;
  sj_var *x0 = sj_input(c, "x0", SJ_I64, 1, &two), *n = sj_input(c, "n", SJ_I64, 0, NULL), *res[1];
  int taps = 2;
  sj_scan_options o = {.outputs_info = &x0, .ntaps = &taps, .nout = 1, .n_steps = n};
  CHECK(sj_scan(c, fib_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  CHECK(sj_var_rank(res[0]) == 1 && sj_var_dim(res[0], 0) == -1);
  sj_op *sc = scan_behind(res[0]);
  /* two states that shift: yield (x[t-1], x[t-2] + x[t-1]) */
  CHECK(sc && sj_op_int(sc, "nstate", -1) == 2);
  const sj_op *y = sc ? sc->regions[0]->last : NULL;
  CHECK(y && y->nopnds == 2 && sj_opnd(y, 0) == sc->regions[0]->args[1] && sj_opnd(y, 1)->def->code == SJ_OP_ADD);
  sj_var *ins[2] = {x0, n};
  char *ir = graph_ir(c, ins, 2, res, 1);
  CHECK(ir && strstr(ir, "scan %n, %") && strstr(ir, "{has_n = true, last = [0], nseq = 0, nstate = 2} : i64[], i64[?]"));
  free(ir);
  want w = {.rank = 1, .dims = {10}};
  double a = 0, b = 1;
  for (int t = 0; t < 10; t++) w.v[t] = a + b, a = b, b = w.v[t];
  int64_t init[2] = {0, 1};
  sj_tensor *in[2] = {sj_tensor_from(SJ_I64, 1, &two, init), iscal(SJ_I64, 10)};
  exec_check(c, ins, 2, res, 1, in, &w, __LINE__);
  free_all(in, 2);
  sj_ctx_free(c);
}

/* two states, a collected output, a shared weight read in the step */
static void test_multiple_outputs_exec(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {5};
  double wv = 0.5;
  sj_tensor *wt = sj_tensor_from(SJ_F64, 0, NULL, &wv);
  multi_ud m = {sj_shared(c, "W", wt)};
  sj_tensor_free(wt);
  sj_var *u1 = sj_input(c, "u1", SJ_F64, 1, d), *u2 = sj_input(c, "u2", SJ_F64, 1, d);
  sj_var *x0 = sj_input(c, "x0", SJ_F64, 0, NULL), *y0 = sj_input(c, "y0", SJ_F64, 0, NULL);
  sj_var *win = sj_input(c, "W_in1", SJ_F64, 0, NULL);
  sj_var *seqs[2] = {u1, u2}, *info[3] = {x0, y0, NULL}, *res[3];
  sj_scan_options o = {.sequences = seqs, .nseq = 2, .outputs_info = info, .nout = 3, .non_sequences = &win, .nnonseq = 1};
  CHECK(sj_scan(c, multi_step, &m, &o, res, NULL, 0, NULL) == SJ_OK);
  for (int i = 0; i < 3; i++) CHECK(sj_var_rank(res[i]) == 1 && sj_var_dim(res[i], 0) == 5);
  sj_op *sc = scan_behind(res[2]);
  CHECK(sc && scan_behind(res[0]) == sc && scan_behind(res[1]) == sc && sc->nresults == 3);
  /* the shared W is an operand (captured), read inside through an argument */
  bool w_opnd = false;
  for (unsigned i = 0; sc && i < sc->nopnds; i++) w_opnd |= sj_opnd(sc, i) == m.w->v;
  CHECK(w_opnd);
  double a[5] = {0.1, -0.4, 1.1, 0.6, -2}, b[5] = {1, 0.2, -0.3, 0.8, 0.05}, x = 0.3, y = -0.7, W_in = 1.25;
  want w[3] = {{.rank = 1, .dims = {5}}, {.rank = 1, .dims = {5}}, {.rank = 1, .dims = {5}}};
  for (int t = 0; t < 5; t++) {
    double nx = a[t] * W_in + b[t] * wv + x * wv, ny = tanh(y + b[t]);
    w[2].v[t] = x * y; /* from the previous values */
    x = nx, y = ny, w[0].v[t] = x, w[1].v[t] = y;
  }
  sj_tensor *in[5] = {vec(5, a), vec(5, b), scal(0.3), scal(-0.7), scal(W_in)};
  sj_var *ins[5] = {u1, u2, x0, y0, win};
  exec_check_shared(c, ins, 5, res, 3, in, w, &m.w, 1, __LINE__);
  free_all(in, 5);
  sj_ctx_free(c);
}

/* until: doubling from x0 until > 50 (n_steps 1024 bounds it) */
static void test_until_exec(void) {
  sj_ctx *c = sj_ctx_new();
  sj_var *x0 = sj_input(c, "x0", SJ_F64, 0, NULL), *res[1];
  sj_scan_options o = {.outputs_info = &x0, .nout = 1, .n_steps = sj_scalar(c, 1024, SJ_I64)};
  CHECK(sj_scan(c, until_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  want w = {.rank = 1};
  double x = 1.5;
  do x *= 2, w.v[w.dims[0]++] = x; while (!(x > 50)); /* do-while: the step that passes 50 is included */
  sj_tensor *in[1] = {scal(1.5)};
  exec_check(c, &x0, 1, res, 1, in, &w, __LINE__);
  free_all(in, 1);
  sj_ctx_free(c);
}

/* nested: x_t = inner^3(x_{t-1} + u_t), inner(y) = y * a + 1 */
static void test_nested_exec(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {5};
  sj_var *u = sj_input(c, "u", SJ_F64, 1, d), *x0 = sj_input(c, "x0", SJ_F64, 0, NULL);
  sj_var *a = sj_input(c, "a", SJ_F64, 0, NULL), *res[1];
  sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1};
  CHECK(sj_scan(c, outer_step, a, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_op *sc = scan_behind(res[0]);
  CHECK(sc && body_ops(sc, SJ_OP_SCAN) == 1 && graph_ops(c, SJ_OP_SCAN) == 1);
  /* the outer scan captures a (used by the inner one) */
  CHECK(sc && sc->nopnds == 3 && sj_opnd(sc, 2) == a->v);
  sj_var *ins[3] = {u, x0, a};
  char *ir = graph_ir(c, ins, 3, res, 1);
  CHECK(ir != NULL);
  free(ir);
  double uv[5] = {0.5, -1, 0.25, 2, -0.125}, x = 0.2, av = 0.7;
  want w = {.rank = 1, .dims = {5}};
  for (int t = 0; t < 5; t++) {
    double y = x + uv[t];
    for (int j = 0; j < 3; j++) y = y * av + 1;
    x = y, w.v[t] = x;
  }
  sj_tensor *in[3] = {vec(5, uv), scal(0.2), scal(av)};
  exec_check(c, ins, 3, res, 1, in, &w, __LINE__);
  free_all(in, 3);
  sj_ctx_free(c);
}

/* a scan over a scan's result: the cumulative sum of the cumulative sum */
static void test_scan_of_scan_exec(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {6};
  sj_var *u = sj_input(c, "u", SJ_F64, 1, d), *z = sj_scalar(c, 0, SJ_F64), *r1[1], *r2[1];
  sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &z, .nout = 1};
  CHECK(sj_scan(c, cumsum_step, NULL, &o, r1, NULL, 0, NULL) == SJ_OK);
  o.sequences = r1;
  CHECK(sj_scan(c, cumsum_step, NULL, &o, r2, NULL, 0, NULL) == SJ_OK);
  CHECK(sj_var_dim(r2[0], 0) == 6 && graph_ops(c, SJ_OP_SCAN) == 2);
  sj_op *so2 = scan_behind(r2[0]);
  CHECK(so2 && scan_behind(r1[0]) != so2 && sj_opnd(so2, 0) == r1[0]->v);
  double uv[6] = {1, 2, -3, 0.5, 4, -1}, s1 = 0, s2 = 0;
  want w = {.rank = 1, .dims = {6}};
  for (int t = 0; t < 6; t++) s1 += uv[t], s2 += s1, w.v[t] = s2;
  sj_tensor *in[1] = {vec(6, uv)};
  exec_check(c, &u, 1, r2, 1, in, &w, __LINE__);
  free_all(in, 1);
  sj_ctx_free(c);
}

/* the hoisted tanh(2 W) is computed once; values as if it were inside */
static void test_hoisting_exec(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[2] = {3, 2};
  sj_var *u = sj_input(c, "u", SJ_F64, 2, d), *x0 = sj_input(c, "x0", SJ_F64, 1, d + 1);
  sj_var *w = sj_input(c, "W", SJ_F64, 1, d + 1), *res[1];
  sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1, .non_sequences = &w, .nnonseq = 1};
  CHECK(sj_scan(c, hoist_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
  double uv[6] = {1, 2, 3, 4, 5, 6}, xv[2] = {0.5, -0.5}, wv[2] = {0.1, -0.2}, x[2] = {0.5, -0.5};
  want r = {.rank = 2, .dims = {3, 2}};
  for (int t = 0; t < 3; t++)
    for (int i = 0; i < 2; i++) x[i] = uv[t * 2 + i] * tanh(wv[i] * 2) + x[i], r.v[t * 2 + i] = x[i];
  int64_t two = 2;
  sj_tensor *in[3] = {sj_tensor_from(SJ_F64, 2, d, uv), sj_tensor_from(SJ_F64, 1, &two, xv), sj_tensor_from(SJ_F64, 1, &two, wv)};
  sj_var *ins[3] = {u, x0, w};
  exec_check(c, ins, 3, res, 1, in, &r, __LINE__);
  free_all(in, 3);
  sj_ctx_free(c);
}

/* updates: Theano's accumulator, k advanced n times per call; and a shared
 * state read inside (each step sees the previous step's value) */
static void test_updates_exec(void) {
  sj_ctx *c = sj_ctx_new();
  int32_t zero = 0;
  sj_tensor *z = sj_tensor_from(SJ_I32, 0, NULL, &zero);
  counter_ud u = {sj_shared(c, "k", z), {{0}}};
  sj_tensor_free(z);
  sj_var *n = sj_input(c, "n", SJ_I32, 0, NULL);
  sj_scan_options o = {.n_steps = n};
  sj_update upd[1];
  size_t nupd = 0;
  CHECK(sj_scan(c, counter_step, &u, &o, NULL, upd, 1, &nupd) == SJ_OK && nupd == 1);
  sj_function *f = NULL;
  CHECK(sj_compile(c, &n, 1, NULL, 0, upd, nupd, NULL, 0, NULL, &f) == SJ_OK);
  sj_tensor *in[1] = {iscal(SJ_I32, 5)};
  CHECK(f && sj_function_call(f, in, 1, NULL, 0) == SJ_OK && sj_tensor_get(sj_shared_value(u.k), 0) == 5);
  sj_tensor_set(in[0], 0, 3);
  CHECK(f && sj_function_call(f, in, 1, NULL, 0) == SJ_OK && sj_tensor_get(sj_shared_value(u.k), 0) == 8);
  /* nothing changes until a function applies the update: the scan's value is the update's */
  want w = {.rank = 0, .v = {11}};
  exec_check_shared(c, &n, 1, &upd[0].value, 1, in, &w, &u.k, 1, __LINE__);
  CHECK(sj_tensor_get(sj_shared_value(u.k), 0) == 8);
  free_all(in, 1);
  sj_function_free(f);
  sj_ctx_free(c);
}

/* givens reach the body through the scan's operands */
static void test_givens_exec(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {3};
  sj_var *u = sj_input(c, "u", SJ_F64, 1, d), *x0 = sj_input(c, "x0", SJ_F64, 0, NULL);
  sj_var *w = sj_input(c, "W", SJ_F64, 0, NULL), *v = sj_input(c, "V", SJ_F64, 0, NULL), *res[1];
  sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1};
  CHECK(sj_scan(c, sg_step, w, &o, res, NULL, 0, NULL) == SJ_OK); /* x_t = u_t + x_{t-1} * W */
  sj_given gv = {w, sj_mul(v, sj_scalar(c, 2, SJ_F64))};
  sj_var *ins[3] = {u, x0, v};
  sj_function *f = NULL;
  CHECK(sj_compile(c, ins, 3, res, 1, NULL, 0, &gv, 1, NULL, &f) == SJ_OK);
  double uv[3] = {1, -2, 0.5}, x = 0.25, vv = 0.3;
  sj_tensor *in[3] = {vec(3, uv), scal(x), scal(vv)}, *r = NULL;
  CHECK(f && sj_function_call(f, in, 3, &r, 1) == SJ_OK);
  want w3 = {.rank = 1, .dims = {3}};
  for (int t = 0; t < 3; t++) x = uv[t] + x * (2 * vv), w3.v[t] = x;
  CHECK(close_to(r, 1, w3.dims, w3.v, 1e-12, "givens", __LINE__));
  sj_tensor_free(r);
  free_all(in, 3);
  sj_function_free(f);
  sj_ctx_free(c);
}

static void test_nested_updates_exec(void) {
  sj_ctx *c = sj_ctx_new();
  sj_var *n = sj_input(c, "n", SJ_I32, 0, NULL), *res[1];
  sj_update upd[1];
  size_t nupd = 0;
  nested_upd_ud *u = nested_counter(c, n, res, upd, &nupd);
  CHECK(nupd == 1 && upd[0].shared == u->inner.k);
  sj_op *outer = scan_behind(upd[0].value);
  CHECK(outer && scan_behind(res[0]) == outer && body_ops(outer, SJ_OP_SCAN) == 1 && graph_ops(c, SJ_OP_SCAN) == 1);
  /* k is a state of both loops: the inner one's init is the outer one's state argument */
  const sj_op *inner = NULL;
  for (const sj_op *op = outer ? outer->regions[0]->first : NULL; op; op = op->next)
    if (op->code == SJ_OP_SCAN) inner = op;
  CHECK(outer && inner && sj_opnd(outer, 1) == u->inner.k->v && sj_opnd(inner, 1) == outer->regions[0]->args[0]);
  sj_tensor *in[1] = {iscal(SJ_I32, 3)};
  want w[2] = {{.rank = 1, .dims = {3}, .v = {20, 40, 60}}, {.rank = 0, .v = {6}}};
  sj_var *outs[2] = {res[0], upd[0].value};
  exec_check_shared(c, &n, 1, outs, 2, in, w, &u->inner.k, 1, __LINE__);
  sj_function *f = NULL;
  CHECK(sj_compile(c, &n, 1, NULL, 0, upd, nupd, NULL, 0, NULL, &f) == SJ_OK);
  CHECK(f && sj_function_call(f, in, 1, NULL, 0) == SJ_OK && sj_tensor_get(sj_shared_value(u->inner.k), 0) == 6);
  free_all(in, 1);
  sj_function_free(f);
  sj_ctx_free(c);
}



/* run-time errors name the user's sj_scan call: n_steps past a sequence's
 * rows, a negative n_steps */
static void test_runtime_errors(void) {
  for (int n = 7; n >= -1; n -= 8) {
    sj_ctx *c = sj_ctx_new();
    int64_t d[1] = {4};
    sj_var *u = sj_input(c, "u", SJ_F64, 1, d), *x0 = sj_input(c, "x0", SJ_F64, 0, NULL);
    sj_var *nv = sj_input(c, "n", SJ_I64, 0, NULL), *w = sj_scalar(c, 1, SJ_F64), *ns[2] = {w, w}, *res[1];
    sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = &x0, .nout = 1, .non_sequences = ns, .nnonseq = 2,
                         .n_steps = nv};
    int line = __LINE__ + 1;
    CHECK(sj_scan(c, rnn_step, NULL, &o, res, NULL, 0, NULL) == SJ_OK);
    sj_var *ins[3] = {u, x0, nv};
    sj_function *f = NULL;
    double uv[4] = {1, 2, 3, 4};
    sj_tensor *in[3] = {vec(4, uv), scal(0), iscal(SJ_I64, n)}, *r = NULL;
    CHECK(sj_compile(c, ins, 3, res, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
    CHECK(f && sj_function_call(f, in, 3, &r, 1) != SJ_OK && !r && at_line(c, line));
    free_all(in, 3);
    sj_function_free(f);
    sj_ctx_free(c);
  }
}


/* ---- an f32 tanh RNN over a batch (the demo's shape of loop): matmuls in
 * the body, the input projection hoisted by the user as a sequence ---- */

typedef struct rnn32_ud {
  sj_var *U, *b;
} rnn32_ud;

static void rnn32_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c;
  rnn32_ud *r = ud;
  sj_var *xw = st->args[0], *h = st->args[1]; /* xw: x_t @ W for this step */
  sj_var *hu = sj_matmul(h, r->U);
  st->outputs[0] = sj_tanh(sj_add(sj_add(xw, hu), r->b));
  st->outputs[1] = sj_sum(st->outputs[0], 0, NULL, 0); /* collected: a per-step loss-like scalar */
}

static void test_rnn_f32_exec(void) {
  enum { T = 5, B = 2, I = 3, H = 4 };
  sj_ctx *c = sj_ctx_new();
  int64_t dx[3] = {T, B, I}, dh[2] = {B, H}, dw[2] = {I, H}, du[2] = {H, H}, db[1] = {H};
  sj_var *x = sj_input(c, "x", SJ_F32, 3, dx), *h0 = sj_input(c, "h0", SJ_F32, 2, dh);
  sj_var *W = sj_input(c, "W", SJ_F32, 2, dw);
  rnn32_ud r = {sj_input(c, "U", SJ_F32, 2, du), sj_input(c, "b", SJ_F32, 1, db)};
  int64_t flat[2] = {T * B, I}, back[3] = {T, B, H};
  sj_var *xw = sj_reshape(sj_matmul(sj_reshape(x, 2, flat), W), 3, back); /* one GEMM for all steps */
  sj_var *info[2] = {h0, NULL}, *res[2];
  sj_scan_options o = {.sequences = &xw, .nseq = 1, .outputs_info = info, .nout = 2};
  CHECK(sj_scan(c, rnn32_step, &r, &o, res, NULL, 0, NULL) == SJ_OK);
  sj_op *sc = scan_behind(res[0]);
  CHECK(sc && body_ops(sc, SJ_OP_MATMUL) == 1); /* only h @ U per step */
  float xv[T * B * I], hv[B * H], wv[I * H], uv[H * H], bv[H];
  for (int i = 0; i < T * B * I; i++) xv[i] = (float)sin(0.7 * i);
  for (int i = 0; i < B * H; i++) hv[i] = (float)(0.1 * i - 0.3);
  for (int i = 0; i < I * H; i++) wv[i] = (float)cos(1.3 * i) * 0.5f;
  for (int i = 0; i < H * H; i++) uv[i] = (float)sin(2.1 * i + 1) * 0.4f;
  for (int i = 0; i < H; i++) bv[i] = 0.05f * (float)i;
  want w[2] = {{.rank = 3, .dims = {T, B, H}}, {.rank = 1, .dims = {T}}};
  double h[B * H];
  for (int i = 0; i < B * H; i++) h[i] = hv[i];
  for (int t = 0; t < T; t++) {
    double nh[B * H];
    for (int bb = 0; bb < B; bb++)
      for (int j = 0; j < H; j++) {
        double a = bv[j];
        for (int k = 0; k < I; k++) a += (double)xv[(t * B + bb) * I + k] * wv[k * H + j];
        for (int k = 0; k < H; k++) a += h[bb * H + k] * uv[k * H + j];
        nh[bb * H + j] = tanh(a);
      }
    for (int i = 0; i < B * H; i++) h[i] = nh[i], w[0].v[t * B * H + i] = nh[i], w[1].v[t] += nh[i];
  }
  sj_tensor *in[5] = {sj_tensor_from(SJ_F32, 3, dx, xv), sj_tensor_from(SJ_F32, 2, dh, hv), sj_tensor_from(SJ_F32, 2, dw, wv),
                      sj_tensor_from(SJ_F32, 2, du, uv), sj_tensor_from(SJ_F32, 1, db, bv)};
  sj_var *ins[5] = {x, h0, W, r.U, r.b};
  /* f32: 5 steps of a 7-term dot product and a tanh, each rounding about
   * 6e-8 relative, the error carried through the recurrence (|tanh'| <= 1):
   * 2e-5 leaves a 10x margin (docs/numerics.md, f32 elementwise chains) */
  exec_tol = 2e-5;
  exec_check(c, ins, 5, res, 2, in, w, __LINE__);
  exec_tol = 1e-12;
  free_all(in, 5);
  sj_ctx_free(c);
}


/* ---- edges: the previous state or an outer value returned as is, a
 * constant new state, the same value for two outputs, zero rows ---- */

static void edge_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  sj_var *w = ud;
  st->outputs[0] = st->args[1];                 /* state kept: x_t = x_{t-1} */
  st->outputs[1] = sj_scalar(c, 7, SJ_F64);     /* a constant new state */
  st->outputs[2] = w;                           /* an outer value, collected */
  st->outputs[3] = st->args[0];                 /* the row itself, collected ... */
  st->outputs[4] = st->args[0];                 /* ... twice */
}

static void test_edges_exec(void) {
  for (int64_t rows = 3; rows >= 0; rows -= 3) {
    sj_ctx *c = sj_ctx_new();
    int64_t d[2] = {rows, 2};
    sj_var *u = sj_input(c, "u", SJ_F64, 2, d), *x0 = sj_input(c, "x0", SJ_F64, 0, NULL);
    sj_var *y0 = sj_input(c, "y0", SJ_F64, 0, NULL), *w = sj_input(c, "w", SJ_F64, 1, d + 1);
    sj_var *info[5] = {x0, y0, NULL, NULL, NULL}, *res[5];
    bool last[5] = {false, true, false, false, false};
    sj_scan_options o = {.sequences = &u, .nseq = 1, .outputs_info = info, .nout = 5, .return_last = last};
    CHECK(sj_scan(c, edge_step, w, &o, res, NULL, 0, NULL) == SJ_OK);
    double uv[6] = {1, 2, 3, 4, 5, 6}, wv[2] = {-1, 9};
    want wt[5] = {{.rank = 1, .dims = {rows}}, {.rank = 0, .v = {rows ? 7 : 0.5}}, {.rank = 2, .dims = {rows, 2}},
                  {.rank = 2, .dims = {rows, 2}}, {.rank = 2, .dims = {rows, 2}}};
    for (int t = 0; t < rows; t++) {
      wt[0].v[t] = 0.25;
      for (int i = 0; i < 2; i++) wt[2].v[t * 2 + i] = wv[i], wt[3].v[t * 2 + i] = wt[4].v[t * 2 + i] = uv[t * 2 + i];
    }
    sj_tensor *in[4] = {sj_tensor_from(SJ_F64, 2, d, uv), scal(0.25), scal(0.5), vec(2, wv)};
    sj_var *ins[4] = {u, x0, y0, w};
    exec_check(c, ins, 4, res, 5, in, wt, __LINE__);
    free_all(in, 4);
    sj_ctx_free(c);
  }
}


/* ---- random draws in the step (Theano: the stream's state is a state of
 * the loop): each step draws new numbers, the state advances by the whole
 * loop's draws, and a function compiled without explicit updates applies
 * it (its default update becomes the value after the loop) ---- */

static void noise_step(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c;
  sj_random_stream *rs = ud;
  st->outputs[0] = sj_add(st->args[0], sj_random_uniform(rs, SJ_SHAPE(0, NULL), SJ_F64, 0, 1));
}

static void test_random_in_step_exec(void) {
  enum { T = 6 };
  sj_ctx *c = sj_ctx_new();
  sj_random_stream *rs = sj_random_stream_new(c, 5), *rs2 = sj_random_stream_new(c, 5);
  sj_var *x0 = sj_input(c, "x0", SJ_F64, 0, NULL), *res[1];
  sj_scan_options o = {.outputs_info = &x0, .nout = 1, .n_steps = sj_scalar(c, T, SJ_I32)};
  CHECK(sj_scan(c, noise_step, rs, &o, res, NULL, 0, NULL) == SJ_OK);
  CHECK(sj_random_stream_nstates(rs) == 1);
  sj_var *state = sj_random_stream_state(rs, 0);
  sj_op *sc = scan_behind(res[0]);
  CHECK(sc && sj_op_int(sc, "nstate", -1) == 2 && body_ops(sc, SJ_OP_RANDOM_UNIFORM) == 1);
  /* the same key's counters 0 .. 2T-1 in one draw: what two calls of the loop read */
  int64_t n2 = 2 * T;
  sj_var *flat = sj_random_uniform(rs2, SJ_SHAPE(1, &n2), SJ_F64, 0, 1);
  sj_function *f = NULL, *g = NULL;
  sj_compile_options co;
  sj_compile_options_init(&co);
  co.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  CHECK(sj_compile(c, &x0, 1, res, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
  CHECK(sj_compile(c, &x0, 1, &flat, 1, NULL, 0, NULL, 0, &co, &g) == SJ_OK);
  sj_tensor *in[1] = {scal(0.5)}, *r1 = NULL, *r2 = NULL, *ref = NULL;
  CHECK(f && g && sj_function_call(g, in, 1, &ref, 1) == SJ_OK);
  CHECK(f && sj_function_call(f, in, 1, &r1, 1) == SJ_OK);
  CHECK(sj_tensor_get(sj_shared_value(state), 1) == T); /* the counter advanced by the loop's T draws */
  CHECK(f && sj_function_call(f, in, 1, &r2, 1) == SJ_OK);
  CHECK(sj_tensor_get(sj_shared_value(state), 1) == 2 * T);
  for (int call = 0; call < 2 && ref; call++) {
    want w = {.rank = 1, .dims = {T}};
    double x = 0.5;
    for (int t = 0; t < T; t++) x += sj_tensor_get(ref, call * T + t), w.v[t] = x;
    CHECK(close_to(call ? r2 : r1, 1, w.dims, w.v, 1e-12, "random in step", __LINE__));
  }
  CHECK(r1 && sj_tensor_get(r1, 1) - sj_tensor_get(r1, 0) != sj_tensor_get(r1, 0) - 0.5); /* not one draw repeated */
  sj_tensor_free(r1), sj_tensor_free(r2), sj_tensor_free(ref);
  free_all(in, 1);
  sj_function_free(f), sj_function_free(g);
  sj_random_stream_free(rs), sj_random_stream_free(rs2);
  sj_ctx_free(c);
}

int main(void) {
  test_power_ir();
  test_rnn_structure();
  test_hoisting();
  test_polynomial_structure();
  test_updates_structure();
  test_until_structure();
  test_backwards_last_structure();
  test_compile_conversion();
  test_internal_api();
  test_internal_bind();
  test_errors_step();
  test_errors_options();
  test_compile_refuses_step_vars();
  test_grad_options();
  test_rnn_exec();
  test_power_exec();
  test_polynomial_exec();
  test_fibonacci_exec();
  test_multiple_outputs_exec();
  test_until_exec();
  test_nested_exec();
  test_scan_of_scan_exec();
  test_hoisting_exec();
  test_updates_exec();
  test_givens_exec();
  test_nested_updates_exec();
  test_runtime_errors();
  test_rnn_f32_exec();
  test_edges_exec();
  test_random_in_step_exec();
  test_oom();
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
