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
#include "graph_oom.h"

static sj_status build(sj_ctx *c, sj_var **x, sj_var **outs, void *ud) {
  const sj_tensor *k = ud;
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

int main(void) {
  int64_t dk[1] = {3};
  sj_tensor *k = sj_tensor_new(SJ_F32, 1, dk);
  graph_oom g = {build, k, 2, 4};
  long n = 0;
  failures += graph_oom_sweep(&g, true, &n);
  sj_tensor_free(k);
  CHECK(n > 10); /* the hook carries the context's memory (arena chunks, tables) */
  printf("theano_oom: %ld allocations, each failed in turn; %d failures\n", n, failures);
  return failures != 0;
}
