/* Out of memory in the section-5 builders: every allocation of building a
 * graph with weak literals, a vector matmul, a constant, concatenate,
 * stack, the gradient controls, a gradient through them and a Jacobian, and
 * of turning it into a func (sj_graph_module, without LLVM), fails in turn
 * (once, and every 7th stickily). Each run must end in SJ_OK or
 * SJ_ERR_NOMEM with "out of memory" in the message, give back every block,
 * and after sj_ctx_clear_errors build the same graph in the same context. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"
#include "symjit/graph.h"

#include "check.h"
#include "failing_alloc.h"

static sj_status build(sj_ctx *c, const sj_tensor *k, sj_var **x, sj_var **outs) {
  int64_t dX[2] = {-1, 2}, dw[1] = {2};
  x[0] = sj_input(c, "X", SJ_F32, 2, dX);
  x[1] = sj_input(c, "w", SJ_F32, 1, dw);
  sj_var *h = sj_mul(sj_matmul(x[0], sj_clip_grad(x[1], -1, 1)), sj_scalar(c, 0.5, SJ_F64));
  sj_var *parts[3] = {x[1], sj_constant(c, k), sj_stop_gradient(x[1])};
  sj_var *cat = sj_concatenate(parts, 3, 0);
  sj_var *st[2] = {x[1], sj_scale_grad(x[1], 2)};
  sj_var *cost = sj_add(sj_sum(sj_exp(h), 0, NULL, 0), sj_mul(sj_sum(sj_stack(st, 2, 0), 0, NULL, 0), sj_sum(cat, 0, NULL, 0)));
  sj_var *g[2], *J = NULL;
  sj_status st1 = sj_grad(cost, x, 2, g);
  sj_status st2 = sj_jacobian(sj_mul(x[1], x[1]), x[1], &J);
  outs[0] = cost, outs[1] = g[0], outs[2] = g[1], outs[3] = J;
  return st1 ? st1 : st2;
}

static bool run(failing *a, bool retry) {
  sj_ctx_options o;
  sj_ctx_options_init(&o);
  o.alloc = failing_alloc;
  o.alloc_ud = a;
  sj_ctx *c = sj_ctx_new_with(&o);
  if (!c) return a->failed > 0;
  int64_t dk[1] = {3};
  sj_tensor *k = sj_tensor_new(SJ_F32, 1, dk);
  bool ok = true;
  for (int attempt = 0; attempt < 2; attempt++) {
    sj_var *x[2], *outs[4];
    sj_status bst = build(c, k, x, outs);
    sj_module *m = NULL;
    sj_status st = sj_graph_module(c, x, 2, outs, 4, NULL, &m, __FILE__, __LINE__);
    if (st == SJ_OK) {
      ok = bst == SJ_OK && m != NULL;
      break;
    }
    ok = st == SJ_ERR_NOMEM && strstr(sj_ctx_errmsg(c), "out of memory") && (bst == SJ_OK || bst == SJ_ERR_NOMEM);
    if (!ok) fprintf(stderr, "failing allocation %ld: status %d/%d: %s\n", a->fail_at, bst, st, sj_ctx_errmsg(c));
    if (!ok || !retry || a->sticky) break;
    sj_ctx_clear_errors(c);
    if (attempt == 1) {
      fprintf(stderr, "retry failed after failing allocation %ld: %s\n", a->fail_at, sj_ctx_errmsg(c));
      ok = false;
    }
  }
  sj_ctx_free(c);
  sj_tensor_free(k);
  return ok;
}

int main(void) {
  failing a = {0};
  CHECK(run(&a, false) && a.live == 0);
  long n = a.count;
  for (long k = 1; k <= n + 1; k++)
    for (int sticky = 0; sticky < 2; sticky++) {
      if (sticky && k % 7) continue;
      failing b = {.fail_at = k, .sticky = sticky};
      if (!run(&b, true)) fprintf(stderr, "failing allocation %ld of %ld (%s)\n", k, n, sticky ? "sticky" : "once"), failures++;
      if (b.live) fprintf(stderr, "%ld blocks not given back after failing allocation %ld\n", b.live, k), failures++;
    }
  CHECK(n > 10); /* the hook carries the context's memory (arena chunks, tables) */
  printf("theano_oom: %ld allocations, each failed in turn; %d failures\n", n, failures);
  return failures != 0;
}
