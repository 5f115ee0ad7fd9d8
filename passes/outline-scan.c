/* outline-scan: moves the body of each `scan` into a func of the module
 * (docs/decisions/0014-scan.md, "After outlining"):
 *
 *   %h = scan %xs, %h0 {nseq = 1, nstate = 1} : f32[?,4] (%x: f32[4], %s: f32[4]) {
 *     ...
 *     yield %s2
 *   }
 * becomes
 *   %h = scan %xs, %h0 {body = @f.scan0, nseq = 1, nstate = 1} : f32[?,4]
 *   func @f.scan0(%x: f32[4], %s: f32[4]) -> (f32[4]) { ...; return %s2 }
 *
 * The func's parameters are the body's arguments and its results the
 * yielded values (the stop condition last, with `until`). The block itself
 * moves (no copy: value names and locations stay); its yield becomes a
 * return. The new func goes right after the func it came from, so the walk
 * over the module reaches it next and outlines the scans its body holds
 * (nested scans: @f.scan0.scan0). Names are @<parent>.scan<N>, N counting
 * from 0 per parent and skipping names already taken. From here on the
 * body is a func like any other: fused, lowered and compiled by the same
 * passes; the executor runs it once per step (lib/api/scan_exec.c). */
#include <stdio.h>
#include <string.h>

#include "builder.h"
#include "registry.h"
#include "symtab.h"

typedef struct outline {
  sj_module *m;
  sj_symtab syms;
  sj_status st;
} outline;

/* "@<parent>.scan<N>", fresh in the module. */
static const char *body_name(outline *O, const char *parent, unsigned *counter) {
  for (;;) {
    size_t cap = strlen(parent) + 32;
    char *buf = sj_scratch_calloc(cap, 1);
    snprintf(buf, cap, "%s.scan%u", parent, (*counter)++);
    const char *s = sj_intern(O->m->ctx, buf);
    sj_scratch_free(buf);
    if (!sj_symtab_get(&O->syms, s)) return s;
  }
}

/* The yield that ends the body becomes the func's return. */
static void yield_to_return(sj_ctx *c, sj_block *b) {
  sj_op *y = b->last;
  sj_value *vals[65];
  unsigned n = y->nopnds; /* verified: at most 65 */
  for (unsigned i = 0; i < n; i++) vals[i] = sj_opnd(y, i);
  sj_builder B = sj_builder_before(c, y);
  sj_build(&B, SJ_OP_RETURN, n, vals, 0, NULL);
  sj_op_erase(y);
}

/* The new func goes after *after (the parent, then the last one made from it:
 * bodies keep the order of their scans). */
static void outline_one(outline *O, sj_op *func, sj_op **after, sj_op *scan, unsigned *counter) {
  sj_ctx *c = O->m->ctx;
  const char *name = body_name(O, sj_func_name(func), counter);
  sj_op *f = sj_op_new(c, SJ_OP_FUNC, 0, NULL, 0, NULL, 1, scan->loc);
  sj_op_set_sym(c, f, "sym_name", name);
  sj_block *b = scan->regions[0];
  f->regions[0] = b; /* the fresh empty region stays in the arena */
  b->parent = f;
  scan->regions = NULL;
  scan->nregions = 0;
  yield_to_return(c, b);
  sj_op_set_sym(c, scan, "body", name);
  sj_block_insert_after(*after, f);
  *after = f;
  if (!sj_symtab_put(&O->syms, name, f)) O->st = sj_emit_error(c, scan->loc, "outline-scan: out of memory");
}

sj_status sj_pass_outline_scan(sj_module *m, sj_pass_run *run) {
  outline O = {.m = m};
  if (!sj_symtab_index_module(&O.syms, m)) {
    sj_symtab_free(&O.syms);
    return sj_emit_error(m->ctx, (sj_loc){0}, "outline-scan: out of memory");
  }
  /* funcs made here come right after their parent: the walk meets them */
  for (sj_op *f = m->body->first; f && !O.st; f = f->next) {
    if (f->code != SJ_OP_FUNC) continue;
    unsigned counter = 0;
    sj_op *after = f;
    for (sj_op *op = sj_func_body(f)->first; op && !O.st; op = op->next) {
      if (op->code != SJ_OP_SCAN || op->nregions != 1) continue;
      outline_one(&O, f, &after, op, &counter);
      sj_pass_stat_add(run, SJ_STAT_outline_scan_bodies, 1);
    }
  }
  sj_symtab_free(&O.syms);
  return O.st;
}
