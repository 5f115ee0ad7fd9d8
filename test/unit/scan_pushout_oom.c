/* scan-pushout under out-of-memory: for every k, the k-th allocation of
 * parse + scan-pushout (+ verify) fails (once, or from k on). The run must
 * then give SJ_OK or SJ_ERR_NOMEM, never crash; when it succeeds the module
 * prints exactly as in a run without failures; and every block taken from
 * the allocator is back when the context is freed (the pass's scratch
 * editor, origin table and value arrays included). The module exercises
 * every rewrite: hoisting, a pushed-out elementwise op and input
 * projection, a GEMM and a sum accumulation, dead results and arguments. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "symjit/symjit.h"
#include "text.h"

#include "check.h"
#include "failing_alloc.h"

static const char *const src =
    "func @f(%xs: f32[5,2,3], %h0: f32[2,4], %dw0: f32[3,4], %db0: f32[4], %c0: f32[4], %w: f32[3,4], %b: f32[4], "
    "%cw: f32[4]) -> (f32[3,4], f32[4], f32[6,2,4], f32[5,2,4]) {\n"
    "  %H, %DW, %DB, %C, %Y, %P = scan %xs, %h0, %dw0, %db0, %c0, %w, %b, %cw {nseq = 1, nstate = 4, last = [1, 2, 3]} "
    ": f32[6,2,4], f32[3,4], f32[4], f32[4], f32[5,2,4], f32[5,2,4] (%x: f32[2,3], %h: f32[2,4], %dw: f32[3,4], "
    "%db: f32[4], %c: f32[4], %ww: f32[3,4], %bb: f32[4], %cc: f32[4]) {\n"
    "    %e = exp %ww : f32[3,4]\n"
    "    %p = matmul %x, %e : f32[2,4]\n"
    "    %pb = add %p, %bb : f32[2,4]\n"
    "    %q = mul %pb, %h : f32[2,4]\n"
    "    %d = tanh %q : f32[2,4]\n"
    "    %xt = transpose %x {perm = [1, 0]} : f32[3,2]\n"
    "    %f = matmul %xt, %d : f32[3,4]\n"
    "    %dw2 = add %dw, %f : f32[3,4]\n"
    "    %s = sum %d {axes = [0]} : f32[4]\n"
    "    %db2 = add %db, %s : f32[4]\n"
    "    %c2 = mul %c, %cc : f32[4]\n"
    "    %y = neg %d : f32[2,4]\n"
    "    yield %d, %dw2, %db2, %c2, %y, %pb\n"
    "  }\n"
    "  return %DW, %DB, %H, %P\n"
    "}\n";

/* Parses src and runs scan-pushout; *text gets the printed module on
 * success (malloc'd). Returns the status. */
static sj_status run(failing *a, char **text) {
  sj_ctx_options co;
  sj_ctx_options_init(&co);
  co.alloc = failing_alloc;
  co.alloc_ud = a;
  sj_ctx *c = sj_ctx_new_with(&co);
  if (!c) return SJ_ERR_NOMEM;
  sj_module *m = NULL;
  sj_pm_options po = {.verify_each = true};
  sj_status st = sj_module_parse(c, src, strlen(src), "oom.sj", &m);
  if (!st) st = sj_run_pipeline(m, "scan-pushout", &po);
  if (st && st != SJ_ERR_NOMEM) fprintf(stderr, "fail_at %ld: %s\n", a->fail_at, sj_ctx_errmsg(c));
  if (st == SJ_ERR_NOMEM) CHECK(strstr(sj_ctx_errmsg(c), "out of memory") != NULL);
  if (!st) {
    size_t len = 0;
    FILE *f = open_memstream(text, &len);
    sj_print_module(f, m);
    fclose(f);
  }
  sj_ctx_free(c);
  return st;
}

int main(void) {
  failing ref = {0};
  char *want = NULL;
  CHECK(run(&ref, &want) == SJ_OK);
  CHECK(want && strstr(want, "matmul") && !strstr(want, "%xt")); /* the pass fired */
  CHECK(ref.live == 0);
  CHECK(ref.count > 20); /* arena chunks and scratch blocks of parse and pass */
  for (int sticky = 0; sticky < 2; sticky++)
    for (long k = 1; k <= ref.count; k++) {
      failing a = {.fail_at = k, .sticky = sticky};
      char *got = NULL;
      sj_status st = run(&a, &got);
      CHECK(st == SJ_OK || st == SJ_ERR_NOMEM);
      if (st == SJ_OK) CHECK(got && want && !strcmp(got, want));
      CHECK(a.live == 0);
      free(got);
    }
  free(want);
  return failures != 0;
}
