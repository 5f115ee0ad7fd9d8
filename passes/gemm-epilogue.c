/* gemm-epilogue: a kernel launched right after a gemm that works row by row
 * on the gemm's output (bias add, activation, any elementwise chain reading
 * row i of [M, *] buffers and whole broadcast vectors) becomes the gemm's
 * `epilogue`: the executor runs it on each row panel right after that
 * panel's BLAS call, on the same pool thread, while the panel is in cache,
 * instead of as a second pass over the whole output
 * (docs/decisions/0009-gemm.md).
 *
 *   gemm %x, %w, %0                       gemm %x, %w, %0, %0, %b, %1
 *   %1 = alloc : f32[64,500]        ->      {epilogue = @k, epilogue_rows = [0, 2]}
 *   launch %0, %b, %1 {kernel = @k}
 *
 * The kernel is row-separable when its body is one top-level parallel_for
 * over c's rows (0 to c's dim 0) whose induction variable %i is used only
 * as the first index of loads and stores: the buffers indexed so ("row"
 * arguments) are then read and written at row i only, and the others
 * (bias vectors, scalars) are only read. Running it on rows [lo, hi) is
 * running it on the row slices of the row arguments, which are contiguous
 * in row-major buffers: the pass makes dim 0 of the row parameters dynamic
 * and the loop bound `dim %c, 0`, so the same kernel runs on any slice.
 * Between the gemm and the launch only ops that touch no buffer contents
 * may stand (alloc, dim, constant, reshape); the gemm moves down to the
 * launch. Refusals are remarks (--debug-fusion). Buffer level: runs after
 * lower-to-loops and loop-fusion.
 *
 * A gemm batched over one leading dim (c [B, M, N]: a convolution's
 * per-image gemm, passes/lower-conv.c) takes an epilogue that is
 * row-separable over c's dim 0 the same way: the executor runs it on row
 * [b, b+1) right after batch b's BLAS call, on the same pool thread (the
 * bias, activation and pooling after a convolution, decision 0028). The
 * launch may read c through a reshape that keeps its dim 0 (c [N, O, P]
 * as [N, O, OH, OW]). A conv_gemm in mode "forward" takes one the same way
 * (rows: images, any rank), run on each chunk of images once it is final
 * (docs/decisions/0041). */
#include <string.h>

#include "builder.h"
#include "conv.h"
#include "opinfo.h"
#include "registry.h"
#include "symtab.h"

#define MAX_ARGS 64 /* the kernel ABI's stack-packed arguments (kernel_abi.h) */

/* The value whose memory v uses (through reshape views). */
static const sj_value *root(const sj_value *v) {
  while (v->def && v->def->code == SJ_OP_RESHAPE) v = sj_opnd(v->def, 0);
  return v;
}

static bool is_const(const sj_value *v, int64_t want) {
  const sj_op *d = v->def;
  const sj_attr *a = d && d->code == SJ_OP_CONSTANT ? sj_op_attr(d, "value") : NULL;
  return a && a->kind == SJ_ATTR_INT && a->u.i == want;
}

/* What the analysis found: the row parameters and the loop. */
typedef struct rowinfo {
  bool row[MAX_ARGS], stored[MAX_ARGS];
  sj_op *loop;
} rowinfo;

static int param_index(const sj_block *body, const sj_value *v) {
  for (unsigned i = 0; i < body->nargs; i++)
    if (body->args[i] == v) return (int)i;
  return -1;
}

/* Loads and stores of the loop body: which parameters are indexed by %i at
 * position 0 (and only there), and which are stored to. */
static const char *scan_accesses(sj_op *loop, const sj_block *body, rowinfo *ri) {
  sj_value *iv = loop->regions[0]->args[0];
  for (const sj_use *u = iv->uses; u; u = u->next) {
    sj_op *o = u->user;
    unsigned first = o->code == SJ_OP_LOAD ? 1 : o->code == SJ_OP_STORE ? 2 : 0;
    if (!first || o->nopnds <= first || sj_opnd(o, first) != iv) return "the row index is used other than as a first index";
    for (unsigned k = first + 1; k < o->nopnds; k++)
      if (sj_opnd(o, k) == iv) return "the row index is used other than as a first index";
    int p = param_index(body, sj_opnd(o, first - 1));
    if (p < 0) return "a row access to a buffer that is not a parameter";
    ri->row[p] = true;
  }
  sj_op_vec ops = {0};
  sj_collect_ops(loop->regions[0], &ops);
  const char *why = ops.failed ? "out of memory" : NULL;
  for (size_t i = 0; i < ops.n && !why; i++) {
    const sj_op *o = ops.v[i];
    if (o->code == SJ_OP_DIM && param_index(body, sj_opnd(o, 0)) >= 0 && sj_op_int(o, "axis", 0) == 0 &&
        ri->row[param_index(body, sj_opnd(o, 0))])
      why = "the body reads the row count";
    else if (o->code == SJ_OP_PARALLEL_FOR)
      why = "a nested parallel loop";
    if (o->code != SJ_OP_STORE || why) continue;
    int p = param_index(body, sj_opnd(o, 1));
    if (p < 0 || !ri->row[p]) why = "it stores to a buffer other than at row i";
    else ri->stored[p] = true;
  }
  sj_op_vec_free(&ops);
  return why;
}

/* NULL if kernel k, launched with c as argument ci, is row-separable over
 * c's rows; otherwise why not. */
static const char *analyze(const sj_op *k, unsigned ci, const sj_value *c, rowinfo *ri) {
  const sj_block *body = k->regions[0];
  if (body->nargs > MAX_ARGS) return "too many arguments";
  for (const sj_op *o = body->first; o; o = o->next) {
    if (o->code == SJ_OP_PARALLEL_FOR && !ri->loop) ri->loop = (sj_op *)o;
    else if (o->code != SJ_OP_CONSTANT && o->code != SJ_OP_DIM && o->code != SJ_OP_RETURN)
      return "the kernel is not one parallel loop";
  }
  if (!ri->loop) return "the kernel is not one parallel loop";
  const sj_value *lo = sj_opnd(ri->loop, 0), *hi = sj_opnd(ri->loop, 1);
  int64_t m = c->type.dims[0];
  const sj_op *hd = hi->def;
  bool hi_rows = (m != SJ_DYN && is_const(hi, m)) ||
                 (hd && hd->code == SJ_OP_DIM && sj_op_int(hd, "axis", 0) == 0 && param_index(body, sj_opnd(hd, 0)) >= 0);
  if (!is_const(lo, 0) || !hi_rows) return "the parallel loop does not run over the rows";
  const char *why = scan_accesses(ri->loop, body, ri);
  if (why) return why;
  if (!ri->row[ci]) return "it does not read the gemm's output by rows";
  for (const sj_op *o = body->first; o; o = o->next) { /* a row count read outside the loop bound */
    int p = o->code == SJ_OP_DIM ? param_index(body, sj_opnd(o, 0)) : -1;
    if (p < 0 || !ri->row[p] || sj_op_int(o, "axis", 0) != 0) continue;
    for (const sj_use *u = sj_res(o, 0)->uses; u; u = u->next)
      if (u->user != ri->loop || u != &ri->loop->opnds[1]) return "the kernel reads the row count";
  }
  if (hd && hd->code == SJ_OP_DIM && !ri->row[param_index(body, sj_opnd(hd, 0))])
    return "the parallel loop does not run over the rows";
  for (unsigned i = 0; i < body->nargs; i++) {
    const sj_type *t = &body->args[i]->type;
    if (ri->row[i] && (!t->is_tensor || t->rank < 1 || (t->dims[0] != SJ_DYN && t->dims[0] != m) ||
                       (m == SJ_DYN && t->dims[0] != SJ_DYN)))
      return "a row argument does not have the output's rows";
  }
  return NULL;
}

/* The launch's arguments do not alias each other, and what the epilogue
 * writes is not an operand of the gemm (other panels still read those). */
static const char *check_aliases(const sj_op *g, const sj_op *l, const rowinfo *ri) {
  for (unsigned i = 0; i < l->nopnds; i++) {
    const sj_value *r = root(sj_opnd(l, i));
    for (unsigned j = 0; j < i; j++)
      if (root(sj_opnd(l, j)) == r) return "two arguments share a buffer";
    if (!ri->stored[i]) continue;
    for (unsigned j = 0; j < g->nopnds; j++)
      if (j != 2 && root(sj_opnd(g, j)) == r && !(j == 3 && sj_opnd(g, 3) == sj_opnd(g, 2)))
        return "it writes a buffer the gemm reads";
  }
  return NULL;
}

/* A conv_gemm computing a convolution (not a gradient): its result's image
 * rows are final one chunk at a time, like a batched gemm's. */
static bool conv_forward(const sj_op *g) { return g->code == SJ_OP_CONV_GEMM && sj_conv_gemm_mode(g) == SJ_CONV_FORWARD; }

/* The first op after g that touches buffer contents, past ops that do not. */
static sj_op *next_memory_op(sj_op *g) {
  sj_op *o = g->next;
  while (o && !sj_op_has(o, SJ_F_READS) && !sj_op_has(o, SJ_F_WRITES) && o->code != SJ_OP_RETURN) o = o->next;
  return o;
}

/* Dim 0 of the row parameters becomes dynamic and the loop runs to the
 * output's row count, so the kernel runs on any row slice. */
static void make_row_sliceable(sj_ctx *cx, sj_op *k, unsigned ci, const rowinfo *ri) {
  sj_block *body = k->regions[0];
  for (unsigned i = 0; i < body->nargs; i++)
    if (ri->row[i]) body->args[i]->type.dims[0] = SJ_DYN;
  sj_value *hi = sj_opnd(ri->loop, 1);
  if (hi->def && hi->def->code == SJ_OP_DIM) return;
  sj_builder B = sj_builder_before(cx, ri->loop);
  sj_op_set_operand(ri->loop, 1, sj_build_dim(&B, body->args[ci], 0));
  if (!hi->uses && hi->def) sj_op_erase(hi->def);
}

/* Launches (and epilogues) per kernel, in op->scratch of the kernels. */
static void count_callers(sj_module *m, const sj_symtab *syms) {
  for (sj_op *f = m->body->first; f; f = f->next) f->scratch = 0;
  for (sj_op *f = m->body->first; f; f = f->next) {
    if (f->code != SJ_OP_FUNC) continue;
    for (sj_op *o = sj_func_body(f)->first; o; o = o->next) {
      const char *s = sj_op_sym(o, o->code == SJ_OP_LAUNCH ? "kernel" : "epilogue");
      sj_op *k = s ? sj_symtab_get(syms, s) : NULL;
      if (k) k->scratch++;
    }
  }
}

/* Whether v is c, or a reshape of c's memory with c's rows: the same dim 0
 * and the same static size of a row. */
static bool rows_of(const sj_value *v, const sj_value *c) {
  if (v == c) return true;
  if (root(v) != root(c) || v->type.dims[0] != c->type.dims[0]) return false;
  int64_t rv = 1, rc = 1;
  for (int k = 1; k < v->type.rank; k++) rv = v->type.dims[k] == SJ_DYN || rv < 0 ? -1 : rv * v->type.dims[k];
  for (int k = 1; k < c->type.rank; k++) rc = c->type.dims[k] == SJ_DYN || rc < 0 ? -1 : rc * c->type.dims[k];
  return rv >= 0 && rv == rc;
}

/* The launch after gemm g that can become its epilogue, or NULL (why set). */
static sj_op *candidate(const sj_symtab *syms, sj_op *g, rowinfo *ri, unsigned *ci, const char **why) {
  sj_value *c = sj_opnd(g, 2), *cv = NULL;
  sj_op *l = next_memory_op(g), *k = NULL;
  *why = NULL;
  if (sj_op_attr(g, "epilogue")) return NULL;
  if (g->code == SJ_OP_GEMM && c->type.rank != 2 && c->type.rank != 3) return *why = "a gemm batched over more than one dim", NULL;
  if (!l || l->code != SJ_OP_LAUNCH) return *why = "the next op on buffers is not a launch", NULL;
  int n = 0, other = 0;
  for (unsigned i = 0; i < l->nopnds; i++) {
    sj_value *v = sj_opnd(l, i);
    if (v->type.is_tensor && v->type.rank >= 1 && rows_of(v, c)) *ci = i, cv = v, n++;
    else other += root(v) == root(c);
  }
  if (n > 1 || (n && other)) return *why = "the launch takes the gemm's output twice", NULL;
  if (!n) return *why = other ? "the launch reads the gemm's output other than by its rows" : "the next launch does not read the gemm's output", NULL;
  k = sj_symtab_get(syms, sj_op_sym(l, "kernel"));
  if (!k || k->code != SJ_OP_KERNEL) return *why = "unknown kernel", NULL;
  if (k->scratch != 1) return *why = "the kernel has other launches", NULL;
  if (l->nopnds + g->nopnds > MAX_ARGS) return *why = "too many arguments", NULL;
  if ((*why = analyze(k, *ci, cv, ri)) || (*why = check_aliases(g, l, ri))) return NULL;
  return l;
}

static void fuse(sj_module *m, const sj_symtab *syms, sj_op *g, sj_op *l, unsigned ci, const rowinfo *ri) {
  sj_ctx *cx = m->ctx;
  sj_op *k = sj_symtab_get(syms, sj_op_sym(l, "kernel"));
  make_row_sliceable(cx, k, ci, ri);
  sj_value *args[2 * MAX_ARGS];
  unsigned n = 0;
  for (unsigned i = 0; i < g->nopnds; i++) args[n++] = sj_opnd(g, i);
  int64_t rows[MAX_ARGS];
  int nr = 0;
  for (unsigned i = 0; i < l->nopnds; i++) {
    if (ri->row[i]) rows[nr++] = i;
    args[n++] = sj_opnd(l, i);
  }
  sj_op *ng = sj_op_new(cx, g->code, n, args, 0, NULL, 0, g->loc);
  for (unsigned a = 0; a < g->nattrs; a++) sj_op_set_attr(cx, ng, g->attrs[a]);
  sj_op_set_sym(cx, ng, "epilogue", sj_op_sym(l, "kernel"));
  sj_op_set_ints(cx, ng, "epilogue_rows", nr, rows);
  sj_block_insert_before(l, ng);
  sj_op_erase(l);
  sj_op_erase(g);
}

sj_status sj_pass_gemm_epilogue(sj_module *m, sj_pass_run *run) {
  sj_symtab syms = {0};
  if (!sj_symtab_index_module(&syms, m)) {
    sj_symtab_free(&syms);
    return sj_emit_error(m->ctx, (sj_loc){0}, "gemm-epilogue: out of memory"), SJ_ERR_NOMEM;
  }
  count_callers(m, &syms);
  for (sj_op *f = m->body->first; f; f = f->next) {
    if (f->code != SJ_OP_FUNC) continue;
    for (sj_op *g = sj_func_body(f)->first, *nx; g; g = nx) {
      nx = g->next;
      if (g->code == SJ_OP_CONV_GEMM && !conv_forward(g) && sj_pass_remarks_on(run))
        sj_pass_remark(run, g->loc, "not fused: a conv_gemm gradient's rows are not final chunk by chunk");
      if (g->code != SJ_OP_GEMM && !conv_forward(g)) continue;
      rowinfo ri;
      memset(&ri, 0, sizeof ri);
      unsigned ci = 0;
      const char *why;
      sj_op *l = candidate(&syms, g, &ri, &ci, &why);
      if (!l) {
        if (why && sj_pass_remarks_on(run)) sj_pass_remark(run, g->loc, "not fused: %s", why);
        continue;
      }
      if (nx == l) nx = l->next;
      fuse(m, &syms, g, l, ci, &ri);
      sj_pass_stat_add(run, SJ_STAT_ge_fused, 1);
    }
  }
  sj_symtab_free(&syms);
  return SJ_OK;
}
