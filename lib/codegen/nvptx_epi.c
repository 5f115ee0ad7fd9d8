/* A gemm's epilogue fused into its GPU GEMM entry (decision 0038): the
 * epilogue kernel the gemm-epilogue pass attaches (bias, activation, any
 * elementwise chain over C's rows) runs on each output right after the
 * GEMM stores it, in the same thread, instead of as a second launch over
 * the whole of C.
 *
 * The epilogue is loop IR; what is fused is the body of its column loop,
 * emitted through the shared emitter (the op table's scalar rules, the
 * target's libdevice math), with the row variable bound to the output's row
 * m and the column variable to its column n. That is exactly the separate
 * launch when the kernel works per element of C:
 *
 *   kernel @k(...) {                   top level: pure scalar code, then
 *     parallel_for 0, M (%i) {         one parallel_for over C's rows
 *       for 0, N (%j) {                one loop over C's columns (no results)
 *         loads, scalar ops, stores    no nested loop; every store, and every
 *       }                              load of a buffer it stores or of C, at
 *     }                                exactly [%i, %j]
 *   }
 *
 * Element (m, n) then reads only element (m, n) of what the epilogue or the
 * GEMM writes, and read-only buffers (bias vectors) anywhere: no thread
 * depends on another's stores. Epilogues that are not per element keep the
 * separate launch (sj_gpu_gemm_fusable says why): the batched gemms'
 * epilogues over a leading dim (a convolution's bias, activation and
 * pooling over an image), reductions over a row, loops nested in a column.
 * The loop bounds must be C's: the rows a row parameter's dim 0 (the
 * runtime checks those have C's rows), the columns C's static count, the
 * dim 1 of C or of a row parameter (the runtime checks that one equals C's
 * columns before the launch). */
#include <stdlib.h>
#include <string.h>

#include "nvptx.h"

#define ci64 sj_cg_ci64

static const sj_value *root(const sj_value *v) {
  while (v->def && v->def->code == SJ_OP_RESHAPE) v = sj_opnd(v->def, 0);
  return v;
}

static bool const_int(const sj_value *v, int64_t *out) {
  const sj_op *d = v->def;
  const sj_attr *a = d && d->code == SJ_OP_CONSTANT ? sj_op_attr(d, "value") : NULL;
  if (!a || a->kind != SJ_ATTR_INT) return false;
  *out = a->u.i;
  return true;
}

static int param_of(const sj_op *k, const sj_value *v) {
  const sj_block *b = k->regions[0];
  for (unsigned i = 0; i < b->nargs; i++)
    if (b->args[i] == v) return (int)i;
  return -1;
}

/* The only loop (parallel_for or result-free for) of block b, from 0; its
 * other ops must satisfy ok(); nothing but the terminator after it. */
static const sj_op *only_loop(const sj_block *b, bool (*ok)(const sj_gpu_epi *, const sj_op *), const sj_gpu_epi *e,
                              const char **why) {
  const sj_op *loop = NULL;
  for (const sj_op *op = b->first; op; op = op->next) {
    if (sj_op_has(op, SJ_F_TERMINATOR)) continue;
    if (op->code == SJ_OP_FOR || op->code == SJ_OP_PARALLEL_FOR) {
      int64_t lo;
      if (loop) return *why = "more than one loop at a level", NULL;
      if (op->nresults || op->nopnds != 2 || !const_int(sj_opnd(op, 0), &lo) || lo != 0)
        return *why = "a loop that carries values or does not start at 0", NULL;
      loop = op;
    } else if (loop) {
      return *why = "code after the loop", NULL;
    } else if (!ok(e, op)) {
      return *why = "code outside the column loop that reads C or writes", NULL;
    }
  }
  if (!loop) *why = "no loop over C's rows and columns";
  return loop;
}

/* A load of a read-only parameter that is not C; or pure scalar code. */
static bool outer_ok(const sj_gpu_epi *e, const sj_op *op) {
  if (op->nregions) return false;
  if (op->code == SJ_OP_LOAD) {
    int p = param_of(e->k, sj_opnd(op, 0));
    return p >= 0 && !e->is_c[p] && !e->stored[p];
  }
  return !sj_op_has(op, SJ_F_READS | SJ_F_WRITES | SJ_F_ALLOCATES);
}

/* The element body: stores, and loads of C or of stored buffers, at
 * exactly [row, col]; other loads anywhere; scalar code. */
static const char *element_ok(const sj_gpu_epi *e) {
  const sj_value *iv = e->rows->regions[0]->args[0], *jv = e->cols->regions[0]->args[0];
  for (const sj_op *op = e->cols->regions[0]->first; op; op = op->next) {
    if (sj_op_has(op, SJ_F_TERMINATOR)) continue;
    if (op->nregions) return "a loop inside the column loop";
    bool ld = op->code == SJ_OP_LOAD, st = op->code == SJ_OP_STORE;
    if (!ld && !st) {
      if (sj_op_has(op, SJ_F_READS | SJ_F_WRITES | SJ_F_ALLOCATES)) return "an op that reads or writes memory other than load/store";
      continue;
    }
    unsigned first = st ? 2 : 1;
    int p = param_of(e->k, sj_opnd(op, first - 1));
    if (p < 0) return "an access to a buffer that is not a parameter";
    if (ld && !e->is_c[p] && !e->stored[p]) continue;
    if (op->nopnds != first + 2 || sj_opnd(op, first) != iv || sj_opnd(op, first + 1) != jv)
      return st ? "a store not at [row, column]" : "a load of C or of a stored buffer not at [row, column]";
  }
  return NULL;
}

/* Parameter p is sliced by rows (`epilogue_rows`): the runtime checks it
 * has C's rows. */
static bool is_row_param(const sj_op *gemm, int p) {
  const sj_attr *rows = sj_op_attr(gemm, "epilogue_rows");
  for (int i = 0; rows && rows->kind == SJ_ATTR_INTS && i < rows->u.ints.n; i++)
    if (rows->u.ints.v[i] == p) return true;
  return false;
}

/* The row bound: the dim 0 of a row parameter (sliced by rows: the runtime
 * checks it has C's rows) or of C, or C's static row count. */
static bool rows_bound_ok(const sj_op *gemm, const sj_gpu_epi *e, const sj_value *hi) {
  const sj_type *ct = &sj_opnd(gemm, 2)->type;
  int64_t n;
  if (const_int(hi, &n)) return ct->dims[0] != SJ_DYN && n == ct->dims[0];
  if (!hi->def || hi->def->code != SJ_OP_DIM || sj_op_int(hi->def, "axis", 0) != 0) return false;
  int p = param_of(e->k, sj_opnd(hi->def, 0));
  if (p < 0) return false;
  return e->is_c[p] || is_row_param(gemm, p);
}

/* The column bound: C's static column count, the dim 1 of C, or the dim 1
 * of a row parameter (e->col_param: the runtime checks it is C's N before
 * the launch, sj_gpu_gemm_fusable). */
static bool cols_bound_ok(const sj_op *gemm, sj_gpu_epi *e, const sj_value *hi) {
  const sj_type *ct = &sj_opnd(gemm, 2)->type;
  int64_t n;
  e->col_param = -1;
  if (const_int(hi, &n)) return ct->dims[1] != SJ_DYN && n == ct->dims[1];
  if (!hi->def || hi->def->code != SJ_OP_DIM || sj_op_int(hi->def, "axis", 0) != 1) return false;
  int p = param_of(e->k, sj_opnd(hi->def, 0));
  if (p < 0 || e->is_c[p]) return p >= 0;
  e->col_param = p;
  return is_row_param(gemm, p);
}

/* C is read by nothing after the gemm: its only uses are the gemm itself
 * and shape queries (dim), so the fused entry need not store it. */
static bool c_dead(const sj_op *gemm) {
  for (const sj_use *u = sj_opnd(gemm, 2)->uses; u; u = u->next)
    if (u->user != gemm && u->user->code != SJ_OP_DIM) return false;
  return true;
}

bool sj_nvptx_epi_analyze(const sj_op *gemm, const sj_op *k, sj_gpu_epi *e, const char **why) {
  memset(e, 0, sizeof *e);
  e->k = k;
  *why = NULL;
  if (!k || k->code != SJ_OP_KERNEL) return *why = "no epilogue kernel", false;
  const sj_block *body = k->regions[0];
  unsigned first = 3 + (sj_op_attr(gemm, "beta") != NULL);
  if (sj_opnd(gemm, 2)->type.rank != 2) return *why = "a batched gemm (its epilogue runs per leading index)", false;
  if (gemm->nopnds < first || gemm->nopnds - first != body->nargs || body->nargs > SJ_GPU_MAX_PARAMS)
    return *why = "the epilogue's arguments do not match its kernel", false;
  const sj_value *c = sj_opnd(gemm, 2);
  for (unsigned i = 0; i < body->nargs; i++) {
    const sj_value *v = sj_opnd(gemm, first + i);
    if (root(v) == root(c) && v != c) return *why = "the epilogue reads C through a reshape", false;
    e->is_c[i] = v == c;
    for (const sj_use *u = body->args[i]->uses; u; u = u->next)
      if (sj_op_has(u->user, SJ_F_WRITES)) e->stored[i] = true;
    if (e->stored[i] && (root(v) == root(sj_opnd(gemm, 0)) || root(v) == root(sj_opnd(gemm, 1))))
      return *why = "the epilogue writes an operand of the gemm", false; /* other blocks still read it */
  }
  if (!(e->rows = only_loop(body, outer_ok, e, why))) return false;
  if (e->rows->code != SJ_OP_PARALLEL_FOR) return *why = "the row loop is not a parallel_for", false;
  if (!rows_bound_ok(gemm, e, sj_opnd(e->rows, 1))) return *why = "the row loop does not run over C's rows", false;
  if (!(e->cols = only_loop(e->rows->regions[0], outer_ok, e, why))) return false;
  if (!cols_bound_ok(gemm, e, sj_opnd(e->cols, 1))) return *why = "the column loop does not run over C's columns", false;
  if ((*why = element_ok(e))) return false;
  e->store_c = !c_dead(gemm);
  return true;
}

bool sj_gpu_gemm_fusable(const sj_op *gemm, const sj_op *k, int *col_param, const char **why) {
  sj_gpu_epi e;
  bool ok = sj_nvptx_epi_analyze(gemm, k, &e, why);
  *col_param = ok ? e.col_param : -1;
  return ok;
}

/* ---- emission ---- */

void sj_nvptx_epi_params(cg *g, const sj_gpu_epi *e, LLVMTypeRef *pt, unsigned *n) {
  const sj_block *b = e->k->regions[0];
  for (unsigned i = 0; i < b->nargs; i++) pt[(*n)++] = LLVMPointerTypeInContext(g->L, 1);
  for (unsigned i = 0; i < b->nargs; i++)
    for (int a = 0; a < b->args[i]->type.rank; a++) pt[(*n)++] = sj_cg_i64(g);
}

void sj_nvptx_epi_begin(cg *g, const sj_gpu_epi *e, LLVMValueRef fn, unsigned first, LLVMValueRef M, LLVMValueRef N) {
  const sj_block *b = e->k->regions[0];
  unsigned np = b->nargs, d = first + np;
  g->kernel = e->k;
  g->cur.bufs = calloc(np + 1, sizeof *g->cur.bufs);
  if (!g->cur.bufs) return sj_cg_nomem(g, e->k);
  g->cur.nbufs = np;
  for (unsigned i = 0; i < np; i++) {
    cg_buf *cb = &g->cur.bufs[i];
    *cb = (cg_buf){.v = b->args[i], .param = first + i, .data = LLVMGetParam(fn, first + i)};
    if (!e->is_c[i] && !e->stored[i]) /* bias vectors: through the non-coherent cache */
      sj_cg_param_attr(g, fn, first + i, "noalias"), sj_cg_param_attr(g, fn, first + i, "readonly");
    for (int a = 0; a < b->args[i]->type.rank; a++, d++) {
      LLVMValueRef p = LLVMGetParam(fn, d); /* passed, as for a kernel; C's are the GEMM's M and N */
      cb->dims[a] = e->is_c[i] ? (a ? N : M) : b->args[i]->type.dims[a] != SJ_DYN ? ci64(g, b->args[i]->type.dims[a]) : p;
    }
    sj_cg_buf_strides(g, cb);
  }
  for (const sj_op *op = b->first; op && op != e->rows && !g->st; op = op->next) sj_cg_emit_op(g, op);
}

void sj_nvptx_epi_rebase(cg *g, const sj_gpu_epi *e, LLVMValueRef c) {
  for (unsigned i = 0; i < g->cur.nbufs; i++)
    if (e->is_c[i]) g->cur.bufs[i].data = c;
}

/* The body ops of `b` before `stop` (NULL: all), terminators excepted. */
static void emit_until(cg *g, const sj_block *b, const sj_op *stop) {
  for (const sj_op *op = b->first; op && op != stop && !g->st; op = op->next)
    if (!sj_op_has(op, SJ_F_TERMINATOR)) sj_cg_emit_op(g, op);
}

void sj_nvptx_epi_element(cg *g, const sj_gpu_epi *e, LLVMValueRef m, LLVMValueRef n, LLVMValueRef c) {
  sj_cg_set(g, e->rows->regions[0]->args[0], m);
  emit_until(g, e->rows->regions[0], e->cols);
  sj_cg_set(g, e->cols->regions[0]->args[0], n);
  for (const sj_op *op = e->cols->regions[0]->first; op && !g->st; op = op->next) {
    if (sj_op_has(op, SJ_F_TERMINATOR)) continue;
    int p = op->code == SJ_OP_LOAD ? param_of(e->k, sj_opnd(op, 0)) : -1;
    if (p >= 0 && e->is_c[p]) sj_cg_set(g, sj_res(op, 0), c); /* C[m, n] (element_ok): the value itself */
    else sj_cg_emit_op(g, op);
  }
}

void sj_nvptx_epi_end(cg *g) {
  free(g->cur.bufs);
  g->cur.bufs = NULL, g->cur.nbufs = 0;
  free(g->cur.vkeys);
  free(g->cur.vvals);
  g->cur.vkeys = NULL, g->cur.vvals = NULL, g->cur.vcap = g->cur.vn = 0;
}
