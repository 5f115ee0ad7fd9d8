/* Out of memory through the context's allocator hook: for every k over the
 * whole run, the k-th allocation fails (once, or from k on). Parse + passes
 * + compile + call of a small module, and build + grad + compile + call of a
 * small graph with an update, must then give SJ_OK or SJ_ERR_NOMEM with
 * "out of memory" in the message (graph builders: poison, then sj_compile
 * says SJ_ERR_NOMEM), never crash; the context stays usable (after a
 * transient failure, retrying gives the right result); and when the context
 * is freed every block it took from the hook has been given back. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symjit/graph.h"

#include "check.h"
#include "failing_alloc.h"

static sj_ctx *new_ctx(failing *a) {
  sj_ctx_options o;
  sj_ctx_options_init(&o);
  o.alloc = failing_alloc;
  o.alloc_ud = a;
  return sj_ctx_new_with(&o);
}

static bool says_oom(sj_ctx *c, sj_status st) {
  if (st != SJ_ERR_NOMEM) {
    fprintf(stderr, "expected SJ_ERR_NOMEM, got %s: %s\n", sj_status_str(st), sj_ctx_errmsg(c));
    return false;
  }
  if (!strstr(sj_ctx_errmsg(c), "out of memory")) {
    fprintf(stderr, "SJ_ERR_NOMEM without 'out of memory' in: %s\n", sj_ctx_errmsg(c));
    return false;
  }
  return true;
}

/* ---- a module: parse, -O pipeline, compile, call ---- */

static const char *const src =
    "func @f(%x: f32[?,4], %b: f32[4]) -> (f32[?]) {\n"
    "  %0 = add %x, %b : f32[?,4]\n"
    "  %1 = tanh %0 : f32[?,4]\n"
    "  %2 = mul %1, %1 : f32[?,4]\n"
    "  %3 = sum %2 {axes = [1]} : f32[?]\n"
    "  return %3\n"
    "}\n";

static bool module_result_ok(sj_function *f) {
  float x[8] = {1, 2, 3, 4, -1, -2, -3, -4}, b[4] = {0.5f, 0, -0.5f, 1};
  sj_tensor *in[2] = {sj_tensor_wrap(SJ_F32, 2, (int64_t[]){2, 4}, x), sj_tensor_wrap(SJ_F32, 1, (int64_t[]){4}, b)};
  sj_tensor *out = NULL;
  bool ok = sj_function_call(f, in, 2, &out, 1) == SJ_OK;
  for (int r = 0; ok && r < 2; r++) {
    double want = 0;
    for (int j = 0; j < 4; j++) want += pow(tanh(x[r * 4 + j] + b[j]), 2);
    ok = fabs(sj_tensor_get(out, r) - want) < 1e-5;
  }
  sj_tensor_free(out);
  sj_tensor_free(in[0]);
  sj_tensor_free(in[1]);
  return ok;
}

/* One run; `retry`: after a failure, the same step again must succeed.
 * Returns false on a wrong status (not on an expected NOMEM). */
static bool run_module(failing *a, bool retry) {
  sj_ctx *c = new_ctx(a);
  if (!c) return a->failed > 0; /* the context itself could not be made */
  bool ok = true;
  sj_module *m = NULL;
  sj_function *f = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.tiered = 0;
  o.opt_level = 0;
  o.num_threads = 1;
  for (int step = 0; ok && step < 2; step++) {
    sj_status st = step == 0 ? sj_module_parse(c, src, strlen(src), "oom.sj", &m) : sj_module_compile(m, "f", &o, &f);
    if (st == SJ_OK) continue;
    ok = says_oom(c, st);
    if (!ok || !retry || a->sticky) break;
    sj_ctx_clear_errors(c);
    st = step == 0 ? sj_module_parse(c, src, strlen(src), "oom.sj", &m) : sj_module_compile(m, "f", &o, &f);
    if (st != SJ_OK) {
      fprintf(stderr, "retry of step %d failed: %s\n", step, sj_ctx_errmsg(c));
      ok = false;
    }
  }
  if (ok && f && !module_result_ok(f)) {
    fprintf(stderr, "wrong result after failing allocation %ld\n", a->fail_at);
    ok = false;
  }
  sj_function_free(f);
  sj_ctx_free(c);
  return ok;
}

/* ---- a graph: inputs, shared weights, grad, an update, compile, call ---- */

static sj_status build_graph(sj_ctx *c, sj_tensor *w0, sj_var **x, sj_var **W, sj_var **cost, sj_update *upd) {
  const int64_t xd[2] = {-1, 3};
  *x = sj_input(c, "x", SJ_F64, 2, xd);
  *W = sj_shared(c, "W", w0);
  sj_var *h = sj_tanh(sj_matmul(*x, *W));
  *cost = sj_name(sj_mean(sj_mul(h, h), 0, NULL, 0), "cost");
  sj_var *g;
  sj_status st = sj_grad(*cost, W, 1, &g);
  upd->shared = *W;
  upd->value = sj_sub(*W, sj_mul(sj_scalar(c, 0.5, SJ_F64), g));
  return st;
}

static bool graph_result_ok(sj_function *f, sj_var *W) {
  double xv[6] = {0.1, 0.2, 0.3, -0.3, 0.2, 0.1};
  sj_tensor *in = sj_tensor_wrap(SJ_F64, 2, (int64_t[]){2, 3}, xv), *out = NULL;
  bool ok = sj_function_call(f, &in, 1, &out, 1) == SJ_OK;
  /* W starts at 0.1 everywhere: cost = mean(tanh(x W)^2) */
  double want = 0;
  for (int r = 0; r < 2; r++) {
    double s = 0.1 * (xv[r * 3] + xv[r * 3 + 1] + xv[r * 3 + 2]);
    want += 2 * pow(tanh(s), 2);
  }
  want /= 4;
  ok = ok && fabs(sj_tensor_get(out, 0) - want) < 1e-12;
  ok = ok && sj_tensor_get(sj_shared_value(W), 0) != 0.1; /* the update ran */
  sj_tensor_free(out);
  sj_tensor_free(in);
  return ok;
}

static bool run_graph(failing *a, bool retry) {
  sj_ctx *c = new_ctx(a);
  if (!c) return a->failed > 0;
  sj_tensor *w0 = sj_tensor_new(SJ_F64, 2, (int64_t[]){3, 2});
  for (int i = 0; i < 6; i++) sj_tensor_set(w0, i, 0.1);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.tiered = 0;
  o.opt_level = 0;
  o.num_threads = 1;
  bool ok = true;
  sj_function *f = NULL;
  for (int attempt = 0; attempt < 2 && ok && !f; attempt++) {
    sj_var *x, *W, *cost;
    sj_update upd;
    sj_status gst = build_graph(c, w0, &x, &W, &cost, &upd);
    sj_status st = sj_compile(c, &x, 1, &cost, 1, &upd, 1, NULL, 0, &o, &f);
    if (st == SJ_OK) {
      ok = gst == SJ_OK && graph_result_ok(f, W);
      if (!ok) fprintf(stderr, "graph: wrong result after failing allocation %ld\n", a->fail_at);
      break;
    }
    ok = says_oom(c, st) && (gst == SJ_OK || gst == SJ_ERR_NOMEM);
    if (!retry || a->sticky) break;
    sj_ctx_clear_errors(c); /* then the whole graph again, in the same context */
    if (attempt == 1) {
      fprintf(stderr, "graph: retry failed after failing allocation %ld: %s\n", a->fail_at, sj_ctx_errmsg(c));
      ok = false;
    }
  }
  sj_function_free(f);
  sj_ctx_free(c);
  sj_tensor_free(w0);
  return ok;
}

typedef bool (*runner)(failing *a, bool retry);

/* Fails allocation k for every k in the run (and every 7th k stickily). */
static void sweep(const char *name, runner run) {
  failing a = {0};
  CHECK(run(&a, false));
  CHECK(a.live == 0);
  long n = a.count;
  long nomem = 0;
  for (long k = 1; k <= n + 1; k++) {
    for (int sticky = 0; sticky < 2; sticky++) {
      if (sticky && k % 7) continue;
      failing b = {.fail_at = k, .sticky = sticky};
      if (!run(&b, true)) {
        fprintf(stderr, "%s: failing allocation %ld of %ld (%s)\n", name, k, n, sticky ? "sticky" : "once");
        failures++;
      }
      if (b.live != 0) {
        fprintf(stderr, "%s: %ld blocks not given back after failing allocation %ld\n", name, b.live, k);
        failures++;
      }
      nomem += b.failed > 0;
    }
  }
  printf("%s: %ld allocations through the hook, every one failed in turn\n", name, n);
  CHECK(n > 20);       /* the hook really carries the context's memory */
  CHECK(nomem >= n);   /* every sweep point hit an allocation */
}

int main(void) {
  sweep("module", run_module);
  sweep("graph", run_graph);
  return failures ? 1 : 0;
}
