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
#include "symjit/graph.h"
#include "text.h"

#include "check.h"

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

int main(void) {
  test_power_ir();
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
