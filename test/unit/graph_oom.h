/* The out-of-memory sweep of a graph build that the graph-API unit tests
 * share: build() makes a graph in a context whose allocator refuses one
 * allocation (failing_alloc.h), then sj_graph_module converts it; every
 * failure must be SJ_ERR_NOMEM with "out of memory" in the message, leak
 * nothing, and (once) a retry in the same context after clearing the
 * errors must succeed. */
#ifndef SJ_TEST_GRAPH_OOM_H
#define SJ_TEST_GRAPH_OOM_H
#include <stdio.h>
#include <string.h>

#include "graph_internal.h"
#include "symjit/graph.h"

#include "failing_alloc.h"

typedef struct graph_oom {
  sj_status (*build)(sj_ctx *c, sj_var **in, sj_var **out, void *ud);
  void *ud;
  size_t nin, nout; /* at most 8 each */
} graph_oom;

static inline bool graph_oom_run(const graph_oom *g, failing *a, bool retry) {
  sj_ctx_options o;
  sj_ctx_options_init(&o);
  o.alloc = failing_alloc;
  o.alloc_ud = a;
  sj_ctx *c = sj_ctx_new_with(&o);
  if (!c) return a->failed > 0;
  bool ok = true;
  for (int attempt = 0; attempt < 2; attempt++) {
    sj_var *in[8] = {0}, *out[8] = {0};
    sj_status bst = g->build(c, in, out, g->ud);
    sj_module *m = NULL;
    sj_status st = sj_graph_module(c, in, g->nin, out, g->nout, NULL, &m, __FILE__, __LINE__);
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
  return ok;
}

/* Counts the allocations of one clean run (which must succeed and give
 * every block back), then fails each in turn, and with sticky_too every
 * 7th from there on for good. Returns the number of failures; *n the
 * allocations counted. */
static inline int graph_oom_sweep(const graph_oom *g, bool sticky_too, long *n) {
  failing a = {0};
  int fails = 0;
  if (!graph_oom_run(g, &a, false) || a.live) fprintf(stderr, "the build fails without a failing allocation\n"), fails++;
  *n = a.count;
  for (long k = 1; k <= a.count + 1; k++)
    for (int sticky = 0; sticky < 1 + sticky_too; sticky++) {
      if (sticky && k % 7) continue;
      failing b = {.fail_at = k, .sticky = sticky};
      if (!graph_oom_run(g, &b, true))
        fprintf(stderr, "failing allocation %ld of %ld (%s)\n", k, a.count, sticky ? "sticky" : "once"), fails++;
      if (b.live) fprintf(stderr, "%ld blocks not given back after failing allocation %ld\n", b.live, k), fails++;
    }
  return fails;
}
#endif
