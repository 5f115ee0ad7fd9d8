/* Exports a graph function with a shared variable and an update both ways
 * (test/CMakeLists.txt runs it at build time into DIR; graph_driver.c links
 * the results with libsymjit_rt):
 *   y = sum(x * w, axis 1),  w <- 2 w,  w initially [1, 2, 3]
 *   DIR/ginit.{o,h}: SJ_AOT_SHARED_INITIAL, ginit_step(s, x, n, y, n)
 *   DIR/gargs.{o,h}: SJ_AOT_SHARED_ARGS, gargs_step(s, x, n, w, y, n, w_new)
 * After the exports w is set to [7, 7, 7] here: the objects keep the value
 * it had when exported. */
#include <stdio.h>
#include <string.h>

#include "symjit/aot.h"
#include "symjit/graph.h"

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  sj_ctx *c = sj_ctx_new();
  int64_t xd[2] = {-1, 3}, wd[1] = {3};
  float w0[3] = {1, 2, 3};
  sj_tensor *wt = sj_tensor_from(SJ_F32, 1, wd, w0);
  sj_var *x = sj_input(c, "x", SJ_F32, 2, xd), *w = sj_shared(c, "w", wt);
  int axis = 1;
  sj_var *y = sj_sum(sj_mul(x, w), 1, &axis, 0);
  sj_update up = {w, sj_mul(w, sj_scalar(c, 2, SJ_F32))};
  sj_function *f = NULL;
  int rc = 1;
  char obj[4096], hdr[4096];
  if (!sj_compile(c, &x, 1, &y, 1, &up, 1, NULL, 0, NULL, &f)) {
    sj_aot_options o;
    sj_aot_options_init(&o);
    o.func_id = "step";
    snprintf(obj, sizeof obj, "%s/ginit.o", argv[1]), snprintf(hdr, sizeof hdr, "%s/ginit.h", argv[1]);
    rc = sj_function_export(f, "ginit", obj, hdr, &o) != SJ_OK;
    o.shared = SJ_AOT_SHARED_ARGS;
    snprintf(obj, sizeof obj, "%s/gargs.o", argv[1]), snprintf(hdr, sizeof hdr, "%s/gargs.h", argv[1]);
    if (!rc) rc = sj_function_export(f, "gargs", obj, hdr, &o) != SJ_OK;
    o.shared = 7; /* not a mode */
    if (!rc && (sj_function_export(f, "bad", obj, hdr, &o) == SJ_OK || !strstr(sj_ctx_errmsg(c), "must be SJ_AOT_SHARED_INITIAL")))
      rc = 1, fprintf(stderr, "graph_export: a bad mode was not refused\n");
    sj_ctx_clear_errors(c);
  }
  if (rc) fprintf(stderr, "graph_export: %s", sj_ctx_errmsg(c));
  sj_function_free(f);
  sj_tensor_free(wt);
  sj_ctx_free(c);
  return rc;
}
