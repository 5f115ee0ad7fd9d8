/* The scan step (docs/decisions/0014-scan.md, 0015-scan-execution.md).
 *
 * After outline-scan a scan at function level names its body func; the
 * body is compiled with the function (function.c walks scan bodies for
 * kernels) and planned once, here, as a child sj_function (is_body). A
 * call then runs the child's steps once per loop step, with nothing
 * allocated and nothing planned per step:
 *   - sequence rows are views: the child's parameter points into row t
 *     (the leading axis is contiguous);
 *   - a state is read where the previous step wrote it: row t of its
 *     [n+1, ...] result (row t+1 in reverse), and the body writes the next
 *     one straight into the following row; a state kept `last` alternates
 *     between its result and one scratch buffer (the parity is chosen so
 *     the final step writes the result);
 *   - an output is written into its row t (or over its `last` result);
 *   - a result the body computes into a buffer of its own (an `alloc` it
 *     returns, planned as `fresh_out`) is written in place: its data is set
 *     to the destination before the step. What the body returns otherwise
 *     (a parameter, a constant, a view, a value returned twice, a value
 *     shaped after a barrier of the body) is copied after the step.
 * The body's shapes depend only on its parameters' shapes, which are the
 * same at every step (a state keeps its init's shape), so they are
 * computed once per call, with the checks of every yielded shape; a body
 * holding a barrier recomputes what follows its barrier at every step.
 *
 * A scan is a barrier (exec_internal.h) when its result shapes depend on
 * data computed by the call: `until` (the executed step count), a step
 * count that is not an input or a constant of the function, or a body
 * with a barrier. A barrier computes its step count and result shapes
 * when it is reached, then allocates its results itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "opinfo.h"

#define MAX_RES 64 /* verify_scan: at most 64 results, 65 yielded values */

typedef struct sj_scan_plan {
  sj_function *body; /* the child plan (owned) */
  unsigned first, nseq, nstate, nnon, nres;
  bool has_n, until, reverse, barrier, n_is_const;
  bool keep_last[MAX_RES];
  bool direct[MAX_RES + 1]; /* body result r is written in place */
  bool late[MAX_RES + 1];   /* output r's shape is known only after step 0 */
  void *pong[MAX_RES];      /* scratch buffer of a state kept `last` */
  size_t pongcap[MAX_RES];
  uintptr_t pongat[MAX_RES]; /* this call's scratch (host or device, sj_scan_mem) */
  bool cond;        /* the stop condition, read after each step */
  uintptr_t condat; /* where the body writes it (&cond on the host) */
  int64_t n;        /* steps (bound) of the current call */
  int first_stop;   /* the body's first barrier, this call */
} sj_scan_plan;

/* ---- plan ---- */

/* Decision 0039: a rank-2 f32 gemm of the body whose b operand is a
 * non-sequence (or a view of one) multiplies by the same matrix at every
 * step of a run, so op(b) is packed once per run (prepare invalidates the
 * packs) instead of by BLAS on every step. Only where the packed kernel is
 * the faster one (sj_rt_gemm_packed_fast) and not turned off by
 * SYMJIT_GEMM_PACK=0. */
static sj_status plan_packs(sj_function *f, const step *s) {
  sj_scan_plan *p = s->scan;
  sj_function *c = p->body;
  const char *env = getenv("SYMJIT_GEMM_PACK"); /* "0": BLAS as before (for A/B measurements) */
  if (!sj_rt_gemm_packed_fast() || (env && !strcmp(env, "0"))) return SJ_OK;
  for (int i = 0; i < c->nsteps; i++) {
    step *g = &c->steps[i];
    if (g->kind != ST_GEMM) continue;
    int a = g->args[0], b = g->args[1], root = c->slots[b].root;
    if (c->slots[a].type.rank != 2 || c->slots[b].type.rank != 2 || c->slots[g->args[2]].type.dt != SJ_F32) continue;
    if (root < (int)(p->nseq + p->nstate) || root >= (int)c->nin) continue;
    g->pack = sj_rt_gemm_pack_new();
    if (!g->pack) return sj_api_nomem(f->ctx, g->op, "out of memory planning the scan");
  }
  return SJ_OK;
}

/* The packs of the body's gemms: stale (the non-sequences may have changed
 * since the last run), or freed. */
static void packs_each(sj_function *c, void (*fn)(sj_rt_gemm_pack *)) {
  for (int i = 0; i < c->nsteps; i++)
    if (c->steps[i].pack) fn(c->steps[i].pack);
}

sj_status sj_api_plan_scan(sj_function *f, step *s, sj_op *const *ks, const sj_kernel_fn *fns, size_t nk) {
  const sj_op *op = s->op;
  const char *sym = sj_op_sym(op, "body");
  if (!sym) return sj_api_fail(f->ctx, op, "'scan' op still holds its body: the pipeline must outline it (run outline-scan)");
  const sj_op *bf = sj_module_lookup(f->mod, sym);
  if (!bf || bf->code != SJ_OP_FUNC) return sj_api_fail(f->ctx, op, "scan body @%s is not a func of the module", sym);
  if (f->depth >= 32) return sj_api_fail(f->ctx, op, "scans nested more than 32 deep (does body @%s hold itself?)", sym);
  sj_scan_plan *p = calloc(1, sizeof *p);
  s->scan = p;
  if (!p) return sj_api_nomem(f->ctx, op, "out of memory planning the scan");
  p->has_n = sj_op_bool(op, "has_n", false);
  p->until = sj_op_bool(op, "until", false);
  p->reverse = sj_op_bool(op, "reverse", false);
  p->first = p->has_n;
  p->nseq = (unsigned)sj_op_int(op, "nseq", 0);
  p->nstate = (unsigned)sj_op_int(op, "nstate", 0);
  p->nnon = op->nopnds - p->first - p->nseq - p->nstate; /* verified */
  p->nres = op->nresults;
  const sj_attr *last = sj_op_attr(op, "last");
  for (int i = 0; last && i < last->u.ints.n; i++) p->keep_last[last->u.ints.v[i]] = true; /* verified */
  sj_function *c = calloc(1, sizeof *c);
  p->body = c;
  if (!c) return sj_api_nomem(f->ctx, op, "out of memory planning the scan");
  *c = (sj_function){.ctx = f->ctx, .mod = f->mod, .func = bf, .is_body = true, .depth = f->depth + 1};
  sj_status st = sj_api_build_plan(c, ks, fns, nk);
  if (st) return st;
  if (c->nin != p->nseq + p->nstate + p->nnon || c->nout != p->nres + p->until)
    return sj_api_fail(f->ctx, op, "scan body @%s does not match the scan's operands and results", sym);
  st = plan_packs(f, s);
  if (st) return st;
  /* a step count is known before the call runs when it is an input of the
   * function (not of a body: those change per step) or a constant */
  const sj_value *nv = p->has_n ? sj_opnd(op, 0) : NULL;
  p->n_is_const = nv && nv->def && nv->def->code == SJ_OP_CONSTANT;
  bool n_known = !nv || p->n_is_const || (!f->is_body && s->args[0] < (int)f->nin);
  p->barrier = p->until || !n_known || c->has_barrier;
  int barrier = c->nsteps; /* the body's first barrier */
  for (int i = c->nsteps - 1; i >= 0; i--)
    if (sj_api_scan_is_barrier(&c->steps[i])) barrier = i;
  for (unsigned r = 0; r < p->nres + p->until; r++) {
    int cs = c->outs[r];
    bool twice = false;
    for (unsigned k = 0; k < r; k++) twice |= c->outs[k] == cs;
    p->direct[r] = c->slots[cs].fresh_out && !twice;
    p->late[r] = r >= p->nstate && r < p->nres && c->slots[cs].def_step >= barrier;
  }
  return SJ_OK;
}

bool sj_api_scan_is_barrier(const step *s) { return s->scan && s->scan->barrier; }

static void swap_fns(sj_function *c, sj_kernel_fn const *fns) {
  for (int i = 0; i < c->nsteps; i++) {
    step *s = &c->steps[i];
    if (s->kind == ST_LAUNCH) s->fn = fns[s->kidx];
    if (s->epi) s->epi->fn = fns[s->epi->kidx];
    if (s->scan) sj_api_scan_swap(s, fns);
  }
}

void sj_api_scan_swap(step *s, sj_kernel_fn const *fns) {
  if (s->scan && s->scan->body) swap_fns(s->scan->body, fns);
}

void sj_api_free_scan(step *s) {
  sj_scan_plan *p = s->scan;
  if (p->body) {
    if (p->body->steps) packs_each(p->body, sj_rt_gemm_pack_free);
    sj_api_free_plan(p->body);
    free(p->body);
  }
  for (unsigned r = 0; r < MAX_RES; r++) free(p->pong[r]);
  free(p);
  s->scan = NULL;
}

/* ---- shapes ---- */

/* " (%xs)" for a named operand; "" for a value the compiler made (%<N>
 * means nothing to a user: a sequence a rewrite computed before the loop) */
static const char *opnd_name(const sj_function *f, const step *s, unsigned i, char *buf, size_t cap) {
  const char *n = f->slots[s->args[i]].name;
  if (!strncmp(n, "%<", 2)) return "";
  snprintf(buf, cap, " (%s)", n);
  return buf;
}

static size_t numel_of(const int64_t *d, int rank) {
  size_t n = 1;
  for (int k = 0; k < rank; k++) n *= (size_t)d[k]; /* sizes were checked */
  return n;
}

static bool dims_eq(const int64_t *a, const int64_t *b, int rank) {
  for (int k = 0; k < rank; k++)
    if (a[k] != b[k]) return false;
  return true;
}

static void shape_text(const sj_type *t, const int64_t *d, char *buf, size_t cap) {
  size_t k = (size_t)snprintf(buf, cap, "%s[", sj_dtype_name(t->dt));
  for (int i = 0; i < t->rank && k < cap; i++) k += (size_t)snprintf(buf + k, cap - k, "%s%lld", i ? "," : "", (long long)d[i]);
  if (k < cap) snprintf(buf + k, cap - k, "]");
}

/* The step count: the shortest sequence, or %n (read from its data, which
 * exists by now), checked against every sequence. */
static sj_status step_count(sj_function *f, const step *s, const sj_scan_mem *m) {
  sj_scan_plan *p = s->scan;
  int64_t n = INT64_MAX;
  if (p->has_n) {
    int64_t buf = 0; /* read where it lives (a device: copied back) */
    const void *d = p->n_is_const ? sj_tensor_data(f->slots[s->args[0]].konst) : &buf;
    size_t nb = sj_dtype_size(f->slots[s->args[0]].type.dt);
    sj_status rst = p->n_is_const ? SJ_OK : m->read(f, s->op, &buf, m->addr(f, s->args[0]), nb);
    if (rst) return rst;
    n = f->slots[s->args[0]].type.dt == SJ_I32 ? *(const int32_t *)d : *(const int64_t *)d;
    char nm[64];
    if (n < 0) return sj_api_fail(f->ctx, s->op, "scan: the step count%s is %lld, negative", opnd_name(f, s, 0, nm, sizeof nm), (long long)n);
    if (n == INT64_MAX) /* a state's result would have n + 1 rows */
      return sj_api_fail(f->ctx, s->op, "scan: the step count%s is %lld, too large", opnd_name(f, s, 0, nm, sizeof nm), (long long)n);
  }
  for (unsigned i = 0; i < p->nseq; i++) {
    int64_t rows = sj_api_dims(f, s->args[p->first + i])[0];
    if (!p->has_n && rows < n) n = rows;
    char nm[64];
    if (p->has_n && rows < n)
      return sj_api_fail(f->ctx, s->op, "scan: sequence %u%s has %lld rows, fewer than the %lld steps", i,
                         opnd_name(f, s, p->first + i, nm, sizeof nm), (long long)rows, (long long)n);
  }
  p->n = n;
  return SJ_OK;
}

/* The body's parameter shapes (a row of each sequence, the states, the
 * non-sequences), then its shapes up to its first barrier. */
static sj_status body_shapes(sj_function *f, const step *s) {
  sj_scan_plan *p = s->scan;
  sj_function *c = p->body;
  for (unsigned i = 0; i < c->nin; i++) {
    int a = s->args[p->first + i];
    const int64_t *d = sj_api_dims(f, a);
    unsigned seq = i < p->nseq;
    memcpy(sj_api_dims(c, (int)i), d + seq, (size_t)c->slots[i].type.rank * sizeof *d);
  }
  sj_status st = sj_api_shapes_from(c, 0);
  p->first_stop = c->shape_stop;
  return st;
}

/* Result r's dims from the body's result (its row shape). */
static void result_dims(sj_function *f, const step *s, unsigned r, int64_t steps) {
  sj_scan_plan *p = s->scan;
  sj_function *c = p->body;
  int out = s->out + (int)r, cs = c->outs[r];
  const int64_t *row = r < p->nstate ? sj_api_dims(f, s->args[p->first + p->nseq + r]) : sj_api_dims(c, cs);
  unsigned lead = !p->keep_last[r];
  if (lead) sj_api_dims(f, out)[0] = steps + (r < p->nstate);
  if (p->late[r]) { /* not known yet: 0 until step 0 has run */
    for (int k = lead; k < f->slots[out].type.rank; k++) sj_api_dims(f, out)[k] = 0;
    return;
  }
  memcpy(sj_api_dims(f, out) + lead, row, (size_t)c->slots[cs].type.rank * sizeof *row);
}

/* A yielded state of a shape other than its init's is an error (checked
 * once for what the body computes before its barriers, after each step for
 * the rest). */
static sj_status check_state(sj_function *f, const step *s, unsigned r) {
  sj_scan_plan *p = s->scan;
  sj_function *c = p->body;
  int init = s->args[p->first + p->nseq + r], cs = c->outs[r];
  if (dims_eq(sj_api_dims(f, init), sj_api_dims(c, cs), c->slots[cs].type.rank)) return SJ_OK;
  char a[160], b[160], nm[64];
  sj_api_shape_str(c, cs, a, sizeof a);
  sj_api_shape_str(f, init, b, sizeof b);
  return sj_api_fail(f->ctx, s->op, "scan: state %u is yielded by @%s as %s but its initial value%s is %s", r,
                     sj_func_name(c->func), a, opnd_name(f, s, p->first + p->nseq + r, nm, sizeof nm), b);
}

/* Shapes and checks of the scan once its step count is known. */
static sj_status scan_shapes(sj_function *f, const step *s, const sj_scan_mem *m) {
  sj_scan_plan *p = s->scan;
  sj_function *c = p->body;
  sj_status st = step_count(f, s, m);
  if (!st) st = body_shapes(f, s);
  for (unsigned r = 0; !st && r < p->nstate; r++)
    if (c->slots[c->outs[r]].def_step < c->shape_stop) st = check_state(f, s, r);
  for (unsigned r = p->nstate; !st && r < p->nres; r++)
    if (p->keep_last[r] && p->n == 0)
      st = sj_api_fail(f->ctx, s->op, "scan: output %u is kept 'last' but the loop runs zero steps", r);
  for (unsigned r = 0; !st && r < p->nres; r++) {
    result_dims(f, s, r, p->n);
    st = sj_api_check_extent(f, s->op, s->out + (int)r, "the scan result");
  }
  return st;
}

/* ---- host memory (a CUDA device's: cuda_scan.c) ---- */

static uintptr_t host_addr(sj_function *f, int s) { return (uintptr_t)f->data[s]; }
static void host_bind(sj_function *c, int s, uintptr_t a) { c->data[s] = (void *)a; }
static sj_status host_copy(sj_function *f, const sj_op *op, uintptr_t dst, uintptr_t src, size_t n) {
  (void)f, (void)op;
  memcpy((void *)dst, (const void *)src, n);
  return SJ_OK;
}
static sj_status host_read(sj_function *f, const sj_op *op, void *dst, uintptr_t src, size_t n) {
  (void)f, (void)op;
  if ((uintptr_t)dst != src) memcpy(dst, (const void *)src, n);
  return SJ_OK;
}
static sj_status grow_pong(sj_function *f, const step *s, unsigned r, size_t bytes);
static sj_status host_scratch(sj_function *f, const step *s, unsigned r, size_t n, uintptr_t *at) {
  sj_status st = grow_pong(f, s, r, n);
  *at = (uintptr_t)s->scan->pong[r];
  return st;
}
static sj_status host_cond(sj_function *f, const step *s, uintptr_t *at) {
  (void)f;
  *at = (uintptr_t)&s->scan->cond;
  return SJ_OK;
}
static sj_status host_run_body(sj_function *c) { return sj_api_run_from(c, 0); }

static const sj_scan_mem host_mem = {host_addr,    host_bind, host_copy,         host_read,      host_scratch,
                                     host_cond,    sj_api_alloc_slot, sj_api_alloc_range, host_run_body};

sj_status sj_api_shape_scan(sj_function *f, const step *s) { return scan_shapes(f, s, &host_mem); }

sj_function *sj_api_scan_body(const step *s) { return s->scan ? s->scan->body : NULL; }

/* ---- run ---- */

static size_t row_bytes(const sj_function *f, int slot, const int64_t *d, int rank) {
  return numel_of(d, rank) * sj_dtype_size(f->slots[slot].type.dt);
}

/* Bytes of one row of result r (the whole result when kept `last`). */
static size_t res_row_bytes(sj_function *f, const step *s, unsigned r) {
  int out = s->out + (int)r;
  unsigned lead = !s->scan->keep_last[r];
  return row_bytes(f, out, sj_api_dims(f, out) + lead, f->slots[out].type.rank - (int)lead);
}

static sj_status grow_pong(sj_function *f, const step *s, unsigned r, size_t bytes) {
  sj_scan_plan *p = s->scan;
  if (p->pongcap[r] >= bytes && p->pong[r]) return SJ_OK;
  free(p->pong[r]);
  p->pong[r] = malloc(bytes ? bytes : 1);
  p->pongcap[r] = p->pong[r] ? bytes : 0;
  return p->pong[r] ? SJ_OK : sj_api_nomem(f->ctx, s->op, "out of memory for the scan's state %u", r);
}

/* Where step j (t its row) reads state r and writes result r (addresses in
 * the memory of sj_scan_mem). */
typedef struct step_io {
  uintptr_t in[MAX_RES];
  uintptr_t out[MAX_RES + 1];
} step_io;

static void place(sj_function *f, const step *s, int64_t j, int64_t t, step_io *io, const sj_scan_mem *m) {
  sj_scan_plan *p = s->scan;
  for (unsigned r = 0; r < p->nres; r++) {
    uintptr_t base = m->addr(f, s->out + (int)r);
    size_t rb = res_row_bytes(f, s, r);
    if (!base) { /* a late output before step 0 ran: not written in place */
      io->out[r] = 0;
    } else if (r >= p->nstate) {
      io->out[r] = p->keep_last[r] ? base : base + (size_t)t * rb;
    } else if (!p->keep_last[r]) {
      int64_t rd = p->reverse ? t + 1 : t, wr = p->reverse ? t : t + 1;
      io->in[r] = base + (size_t)rd * rb, io->out[r] = base + (size_t)wr * rb;
    } else { /* ping-pong: the step n-1 writes the result */
      io->in[r] = j ? ((p->n - j) % 2 == 0 ? base : p->pongat[r]) : m->addr(f, s->args[p->first + p->nseq + r]);
      io->out[r] = (p->n - 1 - j) % 2 == 0 ? base : p->pongat[r];
    }
  }
  io->out[p->nres] = p->condat;
}

/* Before the loop: row 0 (n in reverse) of each state is its init; the
 * scratch of `last` states; the body's buffers, sized once. */
static sj_status prepare(sj_function *f, const step *s, const sj_scan_mem *m) {
  sj_scan_plan *p = s->scan;
  sj_function *c = p->body;
  c->pool = f->pool;
  sj_status st = p->until ? m->cond(f, s, &p->condat) : SJ_OK;
  for (unsigned r = 0; r < p->nstate && !st; r++) {
    int init = s->args[p->first + p->nseq + r];
    size_t rb = res_row_bytes(f, s, r);
    uintptr_t base = m->addr(f, s->out + (int)r);
    if (p->keep_last[r]) {
      st = p->n ? m->scratch(f, s, r, rb, &p->pongat[r]) : SJ_OK;
      if (!st && !p->n) st = m->copy(f, s->op, base, m->addr(f, init), rb); /* zero steps: the initial value */
    } else {
      st = m->copy(f, s->op, base + (p->reverse ? (size_t)p->n * rb : 0), m->addr(f, init), rb);
    }
  }
  for (unsigned i = p->nseq; i < c->nin && !st; i++) m->bind(c, (int)i, m->addr(f, s->args[p->first + i]));
  if (!st) packs_each(c, sj_rt_gemm_pack_invalidate); /* the non-sequences' data may have changed */
  return st ? st : m->alloc_range(c, 0, p->first_stop);
}

/* After step j: what the body did not write in place is copied, its shape
 * checked against the destination's row. */
static sj_status copy_out(sj_function *f, const step *s, const step_io *io, const sj_scan_mem *m) {
  sj_scan_plan *p = s->scan;
  sj_function *c = p->body;
  for (unsigned r = 0; r < p->nres + p->until; r++) {
    if (p->direct[r]) continue;
    int cs = c->outs[r];
    if (r < p->nres) {
      int out = s->out + (int)r;
      unsigned lead = !p->keep_last[r];
      const int64_t *want = sj_api_dims(f, out) + lead;
      if (r < p->nstate) {
        sj_status st = check_state(f, s, r);
        if (st) return st;
      } else if (!dims_eq(want, sj_api_dims(c, cs), c->slots[cs].type.rank)) {
        char a[160], b[160];
        sj_api_shape_str(c, cs, a, sizeof a);
        shape_text(&c->slots[cs].type, want, b, sizeof b);
        return sj_api_fail(f->ctx, s->op, "scan: output %u changes shape between steps: %s, then %s", r, b, a);
      }
    }
    size_t bytes = row_bytes(c, cs, sj_api_dims(c, cs), c->slots[cs].type.rank);
    if (io->out[r] != m->addr(c, cs)) {
      sj_status st = m->copy(f, s->op, io->out[r], m->addr(c, cs), bytes);
      if (st) return st;
    }
  }
  return SJ_OK;
}

/* Late outputs (shaped by the body's barrier): sized and allocated after
 * step 0, from the body's result. */
static sj_status alloc_late(sj_function *f, const step *s, bool ran, const sj_scan_mem *m) {
  sj_scan_plan *p = s->scan;
  sj_function *c = p->body;
  for (unsigned r = p->nstate; r < p->nres; r++) {
    if (!p->late[r]) continue;
    int out = s->out + (int)r, cs = c->outs[r];
    unsigned lead = !p->keep_last[r];
    if (ran) /* else zero steps: [0, 0...], the dims stay as result_dims left them */
      memcpy(sj_api_dims(f, out) + lead, sj_api_dims(c, cs), (size_t)c->slots[cs].type.rank * sizeof(int64_t));
    sj_status st = sj_api_check_extent(f, s->op, out, "the scan result");
    if (!st) st = m->alloc_slot(f, s->op, out);
    if (st) return st;
  }
  return SJ_OK;
}

/* A barrier's results: sized now, allocated with room for every step. */
static sj_status barrier_begin(sj_function *f, const step *s, const sj_scan_mem *m) {
  sj_status st = scan_shapes(f, s, m);
  for (unsigned r = 0; !st && r < s->scan->nres; r++)
    if (!s->scan->late[r]) st = m->alloc_slot(f, s->op, s->out + (int)r);
  return st;
}

/* With `until`, m <= n steps ran: the leading dims shrink to m (+1). A
 * fresh result tensor is replaced by one of that shape (one copy). */
static sj_status barrier_end(sj_function *f, const step *s, int64_t m) {
  sj_scan_plan *p = s->scan;
  for (unsigned r = 0; r < p->nres; r++) {
    int out = s->out + (int)r;
    if (p->keep_last[r] || m == p->n) continue;
    sj_api_dims(f, out)[0] = m + (r < p->nstate);
    if (!f->fresh[out]) continue;
    const slot *o = &f->slots[out];
    sj_tensor *t = sj_tensor_from(o->type.dt, o->type.rank, sj_api_dims(f, out), f->data[out]);
    if (!t) return sj_api_nomem(f->ctx, s->op, "out of memory for the scan's result %u", r);
    sj_tensor_free(f->fresh[out]);
    f->fresh[out] = t;
    f->data[out] = sj_tensor_data(t);
  }
  return SJ_OK;
}

/* The last state kept `last` by an until-loop that stopped early may sit
 * in the scratch buffer. */
static sj_status settle_last(sj_function *f, const step *s, const step_io *io, int64_t m, const sj_scan_mem *mem) {
  sj_scan_plan *p = s->scan;
  sj_status st = SJ_OK;
  for (unsigned r = 0; r < p->nstate && !st; r++) {
    uintptr_t base = mem->addr(f, s->out + (int)r);
    if (p->keep_last[r] && m && io->out[r] != base) st = mem->copy(f, s->op, base, io->out[r], res_row_bytes(f, s, r));
  }
  return st;
}

sj_status sj_api_run_scan(sj_function *f, step *s) { return sj_api_run_scan_in(f, s, &host_mem); }

sj_status sj_api_run_scan_in(sj_function *f, step *s, const sj_scan_mem *mem) {
  sj_scan_plan *p = s->scan;
  sj_function *c = p->body;
  sj_status st = p->barrier ? barrier_begin(f, s, mem) : SJ_OK;
  if (!st) st = prepare(f, s, mem);
  step_io io = {0};
  int64_t m = 0;
  size_t seq_rb[MAX_RES + 1];
  for (unsigned i = 0; i < p->nseq; i++) {
    const int64_t *d = sj_api_dims(c, (int)i);
    seq_rb[i] = row_bytes(c, (int)i, d, c->slots[i].type.rank);
  }
  for (int64_t j = 0; !st && j < p->n; j++) {
    int64_t t = p->reverse ? p->n - 1 - j : j;
    place(f, s, j, t, &io, mem);
    for (unsigned i = 0; i < p->nseq; i++) mem->bind(c, (int)i, mem->addr(f, s->args[p->first + i]) + (size_t)t * seq_rb[i]);
    for (unsigned r = 0; r < p->nstate; r++) mem->bind(c, (int)(p->nseq + r), io.in[r]);
    for (unsigned r = 0; r < p->nres + p->until; r++)
      if (p->direct[r]) mem->bind(c, c->outs[r], io.out[r]);
    c->shape_stop = p->first_stop;
    st = mem->run_body(c);
    if (!st && j == 0) st = alloc_late(f, s, true, mem);
    if (!st) place(f, s, j, t, &io, mem); /* late results have their memory now */
    if (!st) st = copy_out(f, s, &io, mem);
    m = j + 1;
    if (!st && p->until) st = mem->read(f, s->op, &p->cond, p->condat, sizeof p->cond); /* a device: one small copy back */
    if (!st && p->until && p->cond) break;
  }
  if (!st && m == 0) st = alloc_late(f, s, false, mem);
  if (!st) st = settle_last(f, s, &io, m, mem);
  if (!st && p->barrier) st = barrier_end(f, s, m);
  return st;
}
