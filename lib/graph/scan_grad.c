/* Reverse mode through scan: backpropagation through time (BPTT) as a scan
 * that runs the other way over the forward op's saved states
 * (docs/decisions/0017-bptt.md).
 *
 * For a forward scan F (operands [n] seqs inits nonseqs, body
 * (x_t, h, w) -> (h', y_t)), the backward scan B visits F's steps in the
 * opposite order. Its body is a clone of F's body (recomputing the step's
 * intermediates from the saved previous state) followed by the reverse
 * sweep of that clone with the incoming cotangents as known gradients;
 * then F is rebuilt to save, per step, the values of its step that the
 * sweep reads (the residuals, 0026), B is built again reading those rows,
 * and the clone is dropped:
 *   - states: one carry per float state of F (the cotangent of the state
 *     after the step; the final carry is the initial value's gradient), one
 *     accumulator per non-sequence that wants a gradient (acc + term, a
 *     `last` state: the form push-out turns into one GEMM), one zeroed
 *     state per `last` output (its cotangent enters at F's final step
 *     only), and a step counter when truncation or padding needs it;
 *   - sequences: F's sequences, F's saved states (row t: the state before
 *     step t), and the cotangents of F's all-steps results;
 *   - collected outputs: the per-step cotangents of F's sequences.
 * F's state results keep every row ([n+1, ...], row t the state before
 * step t): they are the saved states, read in place. A state F keeps
 * `last` only, or a loop whose step count the gradient cannot name (an
 * `until` loop), makes the rule rebuild F first (all rows, plus a step
 * counter) and point F's uses at the rebuilt op. With checkpoints, sj_grad
 * rewrites F into a loop over segments before its sweep, and this same
 * rule then recomputes each segment inside the backward loop. */
#include <string.h>

#include "scan_grad.h"

/* Operand layout of a scan op (docs/decisions/0014-scan.md). */
typedef struct layout {
  unsigned first, nseq, nstate, nnon;
  bool has_n, until, reverse;
} layout;

static layout layout_of(const sj_op *op) {
  layout L;
  L.has_n = sj_op_bool(op, "has_n", false);
  L.first = L.has_n ? 1 : 0;
  L.nseq = (unsigned)sj_op_int(op, "nseq", 0);
  L.nstate = (unsigned)sj_op_int(op, "nstate", 0);
  L.nnon = op->nopnds - L.first - L.nseq - L.nstate;
  L.until = sj_op_bool(op, "until", false);
  L.reverse = sj_op_bool(op, "reverse", false);
  return L;
}

static bool in_last(const sj_op *op, unsigned i) {
  const sj_attr *l = sj_op_attr(op, "last");
  for (int k = 0; l && k < l->u.ints.n; k++)
    if (l->u.ints.v[k] == (int64_t)i) return true;
  return false;
}

static bool is_float(const sj_value *v) { return sj_dtype_is_float(v->type.dt); }


typedef struct vjp {
  sj_ctx *c;
  sj_graph *g;
  const char *file;
  int line;
  sj_op *F; /* the op differentiated (rebuilt: the op read from) */
  layout L;
  sj_var *const *gres;
  const bool *want;
  sj_var **r;
  /* residuals (0026): values of the forward step that the sweep reads,
   * saved per step instead of recomputed */
  bool probe;         /* first build: find them, build nothing if any */
  sj_op *S;           /* second build: the forward loop that saves them */
  sj_value **rv;      /* values of the forward body (of S in the second build) */
  sj_var **rrows;     /* second build: their saved rows (a sequence of B) */
  unsigned nr;
} vjp;

#define AT a->file, a->line

static sj_var *var(vjp *a, sj_value *v) { return sj_graph_var(a->c, v); }
static sj_var *kconst(vjp *a, double v, sj_dtype dt) { return sj_graph_const(a->c, v, sj_tensor_type(dt, 0, NULL), AT); }
static sj_var *zeros_like(vjp *a, sj_var *x) {
  return sj_graph_broadcast_like(kconst(a, 0, x->v->type.dt), x, AT);
}
static sj_type row_type(const sj_value *seq) {
  sj_type t = seq->type;
  memmove(t.dims, t.dims + 1, (size_t)(t.rank - 1) * sizeof *t.dims);
  t.rank--;
  return t;
}

/* Row 0 (first) or the last row of x, the axis dropped (any dtype, dynamic
 * leading dim included: the last row is a one-row slice, then row 0). */
static sj_var *row_end(vjp *a, sj_var *x, bool first) {
  if (!first) {
    sj_slice_spec s = {-1, SJ_OMIT, 1};
    x = sj_slice_at(x, 1, &s, AT);
  }
  return sj_index_at(x, 0, 0, AT);
}
/* x[1:] along the leading axis */
static sj_var *drop_first_row(vjp *a, sj_var *x) {
  sj_slice_spec s = {1, SJ_OMIT, 1};
  return sj_slice_at(x, 1, &s, AT);
}

/* ---- the forward op, rebuilt with every state row and a step counter ---- */

/* Moves the ops after `mark` (to the end of the block) right after `pos`,
 * in order: a rebuilt op and what reads it must precede F's users. */
static void move_after(sj_block *b, sj_op *mark, sj_op *pos) {
  sj_op *o = mark ? mark->next : b->first;
  while (o) {
    sj_op *nx = o->next;
    if (o != pos) {
      sj_op_unlink(o);
      sj_block_insert_after(pos, o);
      pos = o;
    }
    o = nx;
  }
}

static sj_var **vars(vjp *a, unsigned n) { return sj_arena_alloc(a->c, (n + 1) * sizeof(sj_var *)); }
static sj_var *opnd(vjp *a, const sj_op *op, unsigned i) { return var(a, sj_opnd(op, i)); }

/* F rebuilt so that BPTT can read it: every state keeps all its rows
 * (the saved states) and, with `counter`, an i64 state counting the steps
 * executed (result nstate, last; named by grad.steps). F's uses are pointed
 * at the new op (a last state's use at its final row), so F itself is dead
 * unless a user compiles its results directly. */
static sj_op *rebuild_forward(vjp *a, bool counter, sj_value *const *extra, unsigned nextra, sj_value_map *m) {
  sj_ctx *c = a->c;
  sj_op *F = a->F;
  const layout L = a->L;
  sj_block *outer = a->g->block;
  sj_op *mark = outer->last;
  const sj_block *fb = F->regions[0];
  unsigned bc = L.nseq + L.nstate, ns = L.nstate + counter, nys = fb->last->nopnds + counter + nextra;
  sj_var *cinit = counter ? kconst(a, 0, SJ_I64) : NULL;
  sj_var **seqs = vars(a, L.nseq), **inits = vars(a, ns), **non = vars(a, L.nnon);
  for (unsigned i = 0; i < L.nseq; i++) seqs[i] = opnd(a, F, L.first + i);
  for (unsigned j = 0; j < L.nstate; j++) inits[j] = opnd(a, F, L.first + L.nseq + j);
  if (counter) inits[L.nstate] = cinit;
  for (unsigned w = 0; w < L.nnon; w++) non[w] = opnd(a, F, L.first + L.nseq + L.nstate + w);
  sj_graph_body *b = sj_arena_alloc(c, sizeof *b); /* not on the stack (see sj_graph_scan_vjp) */
  if (!sj_graph_body_begin(c, b)) return NULL;
  sj_var **args = vars(a, fb->nargs), **fy = vars(a, nys), **ys = vars(a, nys), *cnt = NULL;
  for (unsigned k = 0; k <= fb->nargs; k++) { /* rows, states, the counter, non-sequences */
    if (counter && k == bc) cnt = sj_graph_body_arg(b, sj_tensor_type(SJ_I64, 0, NULL), "steps");
    if (k < fb->nargs) args[k] = sj_graph_body_arg(b, fb->args[k]->type, fb->args[k]->name);
  }
  sj_graph_inline_body(c, F, args, fy, m, AT);
  unsigned nf = fb->last->nopnds - L.until; /* the condition goes last, after the extra outputs */
  for (unsigned i = 0; i < nf; i++) ys[i + (counter && i >= L.nstate)] = fy[i];
  if (counter) ys[L.nstate] = sj_add_at(cnt, kconst(a, 1, SJ_I64), AT);
  for (unsigned e = 0; e < nextra; e++) ys[nf + counter + e] = var(a, sj_value_map_get(m, extra[e]));
  if (L.until) ys[nys - 1] = fy[nf];
  unsigned nres = F->nresults + counter + nextra;
  bool *last = sj_arena_alloc(c, (nres + 1) * sizeof *last);
  for (unsigned i = 0; i < nres; i++)
    last[i] = i >= F->nresults + counter ? false : i >= ns ? in_last(F, i - counter) : counter && i == L.nstate;
  sj_graph_scan_spec spec = {L.has_n ? opnd(a, F, 0) : NULL, seqs, L.nseq, inits, ns, non, L.nnon, ys, nys,
                             L.until, L.reverse, last, NULL, 0};
  sj_var **res = vars(a, nres);
  if (sj_graph_scan_end(b, &spec, res, AT)) return NULL;
  sj_op *N = sj_graph_scan_of(res[0]);
  for (unsigned i = 0; i < F->nattrs; i++) /* the gradient's annotations */
    if (strchr(F->attrs[i].name, '.')) sj_op_set_attr(c, N, F->attrs[i]);
  if (counter) sj_op_set_int(c, N, SJ_SCAN_ATTR_STEPS, L.nstate);
  for (unsigned i = 0; i < F->nresults; i++) {
    sj_var *v = res[i < L.nstate ? i : i + counter];
    if (i < L.nstate && in_last(F, i)) v = row_end(a, v, L.reverse);
    if (a->g->failed) return NULL;
    sj_value_replace_all_uses(sj_res(F, i), v->v);
  }
  move_after(outer, mark, F);
  return N;
}

/* ---- the backward scan ---- */

typedef struct cot { /* the cotangents of F's results, sorted by kind */
  sj_var **state_rows, **state_last; /* per state */
  sj_var **out_rows, **out_last;     /* per output */
} cot;

static void sort_cotangents(vjp *a, cot *k) {
  sj_ctx *c = a->c;
  unsigned ns = a->L.nstate, no = a->F->nresults - ns;
  k->state_rows = sj_arena_alloc(c, (ns + 1) * sizeof(sj_var *));
  k->state_last = sj_arena_alloc(c, (ns + 1) * sizeof(sj_var *));
  k->out_rows = sj_arena_alloc(c, (no + 1) * sizeof(sj_var *));
  k->out_last = sj_arena_alloc(c, (no + 1) * sizeof(sj_var *));
  for (unsigned i = 0; i < a->F->nresults; i++) {
    sj_var *g = a->gres[i] && is_float(sj_res(a->F, i)) ? a->gres[i] : NULL;
    bool l = in_last(a->F, i);
    if (i < ns) k->state_rows[i] = l ? NULL : g, k->state_last[i] = l ? g : NULL;
    else k->out_rows[i - ns] = l ? NULL : g, k->out_last[i - ns] = l ? g : NULL;
  }
}

/* F's static step count, or SJ_DYN. */
static int64_t steps_of(const sj_op *F, const layout *L) {
  if (L->has_n || L->until) return SJ_DYN;
  int64_t n = INT64_MAX;
  for (unsigned i = 0; i < L->nseq; i++) {
    int64_t d = sj_opnd(F, L->first + i)->type.dims[0];
    if (d == SJ_DYN) return SJ_DYN;
    if (d < n) n = d;
  }
  return n;
}

/* Whether sequence i's gradient (n rows) must be scattered into zeros of
 * its own rows: unless the loop surely ran over all of them (no step
 * count, no condition, and the only sequence or statically the shortest). */
static bool needs_pad(const sj_op *F, const layout *L, unsigned i) {
  if (L->has_n || L->until) return true;
  if (L->nseq == 1) return false;
  int64_t d = sj_opnd(F, L->first + i)->type.dims[0];
  return d == SJ_DYN || d != steps_of(F, L);
}

/* The backward scan's pieces: operand lists (seqs, inits, nonseqs, grown in
 * order) and, per role, the position in its list (~0u: absent). */
typedef struct bw {
  sj_var **seq, **init, **non;
  unsigned nseq, ninit, nnon;
  unsigned *x_at, *h_at, *gy_at, *gh_at; /* seqs: F's sequences, saved states, cotangent rows */
  unsigned *carry_at, *acc_at, *z_at;     /* inits: carries, accumulators, last outputs */
  unsigned cnt_at;                        /* init: the step counter */
  unsigned *r_at;                         /* seqs: the saved residuals */
  unsigned *w_at, n_at;                   /* nonseqs: F's, the step count */
} bw;

#define NONE_AT (~0u)

static unsigned *positions(vjp *a, unsigned n) {
  unsigned *p = sj_arena_alloc(a->c, (n + 1) * sizeof *p);
  for (unsigned i = 0; i <= n; i++) p[i] = NONE_AT;
  return p;
}
static unsigned push(sj_var **v, unsigned *n, sj_var *x) {
  v[*n] = x;
  return (*n)++;
}

/* ---- checkpointing: every k-th state kept, the others recomputed ---- */

/* x [n, ...] as [n/k, k, ...] (seg) and back ([m, k, ...] to [m*k, ...]). */
static sj_var *segments(vjp *a, sj_var *x, int64_t m, int64_t k) {
  const sj_type *t = &x->v->type;
  int64_t d[SJ_MAX_RANK];
  d[0] = m, d[1] = k;
  for (int i = 1; i < t->rank; i++) d[i + 1] = t->dims[i];
  return sj_reshape_at(x, t->rank + 1, d, AT);
}
static sj_var *unsegment(vjp *a, sj_var *x) {
  const sj_type *t = &x->v->type;
  int64_t d[SJ_MAX_RANK];
  d[0] = t->dims[0] * t->dims[1];
  for (int i = 2; i < t->rank; i++) d[i - 1] = t->dims[i];
  return sj_reshape_at(x, t->rank - 1, d, AT);
}

/* Whether v is x[-1] or x[n] along axis 0 (take by a constant): what
 * sj_scan's return_last and updates read of a state. */
static bool is_final_row(const sj_op *u, unsigned idx, int64_t n) {
  if (u->code != SJ_OP_TAKE || idx != 0 || sj_op_int(u, "axis", 0) != 0) return false;
  const sj_op *k = sj_opnd(u, 1)->def;
  if (!k || k->code != SJ_OP_CONSTANT || sj_opnd(u, 1)->type.rank != 0) return false;
  const sj_attr *v = sj_op_attr(k, "value");
  int64_t i = !v ? 0 : v->kind == SJ_ATTR_INT ? v->u.i : v->kind == SJ_ATTR_FLOAT ? (int64_t)v->u.f : -2;
  return i == -1 || i == n;
}

/* Checkpointing applies to a forward loop of a static n = m k steps over
 * sequences of exactly n rows, no condition, no truncation, whose states
 * are read only at their final row (else every row exists anyway). */
static bool can_checkpoint(vjp *a, int64_t k, int64_t n) {
  const sj_op *F = a->F;
  const layout *L = &a->L;
  int trunc, ck;
  sj_graph_scan_grad_options(F, &trunc, &ck);
  if (k < 2 || n <= 0 || n % k || L->has_n || L->until || L->reverse || trunc > 0 || sj_op_attr(F, SJ_SCAN_ATTR_STEPS))
    return false;
  for (unsigned i = 0; i < L->nseq; i++)
    if (sj_opnd(F, L->first + i)->type.dims[0] != n || sj_opnd(F, L->first + i)->type.rank + 1 > SJ_MAX_RANK) return false;
  for (unsigned j = 0; j < L->nstate; j++) {
    if (in_last(F, j)) return false;
    for (const sj_use *u = sj_res(F, j)->uses; u; u = u->next)
      if (!is_final_row(u->user, u->index, n)) return false;
  }
  for (unsigned o = L->nstate; o < F->nresults; o++)
    if (!in_last(F, o) && sj_res(F, o)->type.rank + 1 > SJ_MAX_RANK) return false;
  return true;
}

/* F's loop over one segment: the k rows of segs (values of an open body),
 * from states h, reading non-sequences w; states kept last, outputs as F
 * keeps them. res: one per F result. */
static sj_status segment_scan(vjp *a, sj_var *const *segs, sj_var *const *h, sj_var *const *w, sj_var **res) {
  sj_op *F = a->F;
  const layout L = a->L;
  const sj_block *fb = F->regions[0];
  sj_graph_body *b = sj_arena_alloc(a->c, sizeof *b);
  if (!sj_graph_body_begin(a->c, b)) return a->g->status;
  sj_var **args = vars(a, fb->nargs), **fy = vars(a, fb->last->nopnds);
  for (unsigned i = 0; i < L.nseq; i++) args[i] = sj_graph_body_arg(b, row_type(segs[i]->v), NULL);
  for (unsigned j = 0; j < L.nstate; j++) args[L.nseq + j] = sj_graph_body_arg(b, h[j]->v->type, NULL);
  for (unsigned w_ = 0; w_ < L.nnon; w_++) args[L.nseq + L.nstate + w_] = sj_graph_body_arg(b, w[w_]->v->type, NULL);
  if (sj_graph_inline_body(a->c, F, args, fy, NULL, AT)) {
    sj_graph_body_abandon(b);
    return a->g->status;
  }
  bool *last = sj_arena_alloc(a->c, (F->nresults + 1) * sizeof *last);
  for (unsigned i = 0; i < F->nresults; i++) last[i] = i < L.nstate || in_last(F, i);
  sj_graph_scan_spec spec = {NULL, segs, L.nseq, h, L.nstate, w, L.nnon, fy, fb->last->nopnds, false, false, last, NULL, 0};
  return sj_graph_scan_end(b, &spec, res, AT);
}

/* Checkpointing (0017) rewrites the forward loop before the sweep: F
 * becomes a loop over m segments of k steps (each an inner loop of F's
 * body keeping its states' final values) whose states keep their m+1
 * segment-start rows, the checkpoints; F's uses are pointed at it. The
 * ordinary rule then does the rest: the backward loop over segments
 * recomputes each segment from its checkpoint (the inner loop rebuilt with
 * its k+1 rows, transient) and runs BPTT over it. */
static sj_status checkpoint_forward(vjp *a, int64_t k, int64_t m) {
  sj_ctx *c = a->c;
  sj_op *F = a->F;
  const layout L = a->L;
  sj_block *outer = a->g->block;
  sj_op *mark = outer->last;
  unsigned nout = F->nresults - L.nstate;
  sj_var **X = vars(a, L.nseq), **h0 = vars(a, L.nstate), **W = vars(a, L.nnon);
  for (unsigned i = 0; i < L.nseq; i++) X[i] = segments(a, opnd(a, F, L.first + i), m, k);
  for (unsigned j = 0; j < L.nstate; j++) h0[j] = opnd(a, F, L.first + L.nseq + j);
  for (unsigned w = 0; w < L.nnon; w++) W[w] = opnd(a, F, L.first + L.nseq + L.nstate + w);
  sj_graph_body *b = sj_arena_alloc(c, sizeof *b);
  if (!sj_graph_body_begin(c, b)) return a->g->status;
  sj_var **sa = vars(a, L.nseq), **ha = vars(a, L.nstate), **wa = vars(a, L.nnon), **ir = vars(a, F->nresults);
  for (unsigned i = 0; i < L.nseq; i++) sa[i] = sj_graph_body_arg(b, row_type(X[i]->v), NULL);
  for (unsigned j = 0; j < L.nstate; j++) ha[j] = sj_graph_body_arg(b, h0[j]->v->type, NULL);
  for (unsigned w = 0; w < L.nnon; w++) wa[w] = sj_graph_body_arg(b, W[w]->v->type, NULL);
  if (segment_scan(a, sa, ha, wa, ir)) {
    sj_graph_body_abandon(b);
    return a->g->status;
  }
  bool *last = sj_arena_alloc(c, (F->nresults + 1) * sizeof *last);
  for (unsigned i = 0; i < F->nresults; i++) last[i] = i >= L.nstate && in_last(F, i);
  sj_var **cr = vars(a, F->nresults);
  sj_graph_scan_spec fs = {NULL, X, L.nseq, h0, L.nstate, W, L.nnon, ir, F->nresults, false, false, last, NULL, 0};
  if (sj_graph_scan_end(b, &fs, cr, AT)) return a->g->status;
  sj_op_set_int(c, sj_graph_scan_of(cr[0]), SJ_SCAN_ATTR_RECOMPUTE, 1); /* saving would undo the checkpoints */
  /* a state's final row is the checkpoints' last row */
  for (unsigned j = 0; j < L.nstate; j++) {
    sj_var *fin = row_end(a, cr[j], false);
    for (sj_use *u = sj_res(F, j)->uses; u; u = u->next) sj_value_replace_all_uses(sj_res(u->user, 0), fin->v);
  }
  for (unsigned o = 0; o < nout; o++) {
    sj_var *y = cr[L.nstate + o];
    sj_value_replace_all_uses(sj_res(F, L.nstate + o), (last[L.nstate + o] ? y : unsegment(a, y))->v);
  }
  if (a->g->failed) return a->g->status;
  move_after(outer, mark, F);
  sj_op_set_int(c, F, SJ_SCAN_ATTR_CHECKPOINT, 0); /* dead now: not rewritten again */
  return SJ_OK;
}

static sj_status checkpoint_protected(void *ud) {
  vjp *a = ud;
  int64_t n = steps_of(a->F, &a->L);
  int t, k;
  sj_graph_scan_grad_options(a->F, &t, &k);
  return can_checkpoint(a, k, n) ? checkpoint_forward(a, k, n / k) : SJ_OK;
}

void sj_graph_scan_checkpoint(sj_ctx *c, sj_op *F, const char *file, int line) {
  sj_graph *g = sj_graph_of(c);
  int t, k;
  if (g->failed || F->code != SJ_OP_SCAN) return;
  sj_graph_scan_grad_options(F, &t, &k);
  if (k < 2) return;
  vjp a = {c, g, file, line, F, layout_of(F), NULL, NULL, NULL, false, NULL, NULL, NULL, 0};
  sj_graph_body *open = g->body;
  sj_status st = sj_ctx_protect(c, checkpoint_protected, &a);
  while (g->body && g->body != open) sj_graph_body_abandon(g->body); /* left open by an unwind */
  if (st == SJ_ERR_NOMEM) {
    g->failed = true;
    g->status = SJ_ERR_NOMEM;
  }
}

/* ---- residuals: what the sweep reads of the forward step (0026) ---- */

/* The ops of the forward step cloned into B's body, first to last in the
 * graph's block (both NULL: none), and the set of their results (keyed by
 * result 0). */
typedef struct clone_span {
  sj_op *first, *last;
  sj_value_map *set;
} clone_span;

#define SPAN_EACH(o, s) for (sj_op *o = (s)->first; o; o = o == (s)->last ? NULL : o->next)

/* The ops appended to the graph's block after `before` (NULL: from its
 * start) up to `last` (NULL: none). */
static clone_span clone_span_of(vjp *a, sj_op *before, sj_op *last) {
  clone_span s = {last ? (before ? before->next : a->g->block->first) : NULL, last, sj_value_map_new(a->c)};
  SPAN_EACH(o, &s)
    if (o->nresults) sj_value_map_set(s.set, sj_res(o, 0), sj_res(o, 0));
  return s;
}

static bool in_clone(const clone_span *s, const sj_op *op) {
  return op->nresults && sj_value_map_find(s->set, sj_res(op, 0));
}

/* Whether clone value c is read by the sweep: an op outside the clone, or
 * a yield of B. */
static bool read_by_sweep(const clone_span *s, sj_value *c, sj_var *const *ys, unsigned nys) {
  for (const sj_use *u = c->uses; u; u = u->next)
    if (!in_clone(s, u->user)) return true;
  for (unsigned i = 0; i < nys; i++)
    if (ys[i]->v == c) return true;
  return false;
}

/* The residuals of S: the values of its body whose clones the sweep reads,
 * except arguments (B has them as rows) and values that depend on no
 * argument (constants: recomputing them costs nothing). Sets a->rv, a->nr
 * and a->S = S. */
static void find_residuals(vjp *a, sj_op *S, sj_value_map *cm, const clone_span *s, const sj_graph_body *body,
                           sj_var *const *ys, unsigned nys) {
  sj_value_map *dep = sj_value_map_new(a->c); /* clone values that depend on a placeholder */
  SPAN_EACH(o, s) {
    bool d = false;
    for (unsigned i = 0; i < o->nopnds && !d; i++) {
      sj_value *v = sj_opnd(o, i);
      d = (!v->def && v->owner == body->block) || sj_value_map_find(dep, v);
    }
    for (unsigned r = 0; d && r < o->nresults; r++) sj_value_map_set(dep, sj_res(o, r), sj_res(o, r));
  }
  const sj_block *sb = S->regions[0];
  unsigned n = 0;
  for (const sj_op *o = sb->first; o; o = o->next) n += o->nresults;
  a->rv = sj_arena_alloc(a->c, (n + 1) * sizeof *a->rv);
  a->nr = 0;
  for (const sj_op *o = sb->first; o; o = o->next)
    for (unsigned r = 0; r < o->nresults; r++) {
      sj_value *c = sj_value_map_find(cm, sj_res(o, r));
      if (c && sj_value_map_find(dep, c) && read_by_sweep(s, c, ys, nys)) a->rv[a->nr++] = sj_res(o, r);
    }
  a->S = S;
}

/* Second build: the sweep reads the saved rows (B's sequences at r_at)
 * instead of the clone, which is then dead and dropped. */
static void read_residuals(vjp *a, sj_value_map *cm, const clone_span *s, sj_var *const *xa, const unsigned *r_at,
                           sj_var **ys, unsigned nys) {
  for (unsigned i = 0; i < a->nr; i++) {
    sj_value *c = sj_value_map_get(cm, a->rv[i]);
    sj_var *row = xa[r_at[i]];
    for (sj_use *u = c->uses, *nx; u; u = nx) {
      nx = u->next;
      if (!in_clone(s, u->user)) sj_op_set_operand(u->user, u->index, row->v);
    }
    for (unsigned k = 0; k < nys; k++)
      if (ys[k]->v == c) ys[k] = row;
  }
  for (sj_op *o = s->last, *pv; o; o = o == s->first ? NULL : pv) { /* last to first: users before what they read */
    pv = o->prev;
    bool used = false;
    for (unsigned r = 0; r < o->nresults && !used; r++) used = sj_res(o, r)->uses != NULL;
    if (!used) {
      sj_op_unlink(o);
      sj_op_drop_operands(o);
    }
  }
}

/* The index of v among the yields of S's body that are states or
 * all-steps outputs, or -1. */
static int yielded_as(const sj_op *S, const layout *L, const sj_value *v) {
  const sj_op *y = S->regions[0]->last;
  for (unsigned k = 0; k < y->nopnds - L->until; k++)
    if (sj_opnd(y, k) == v && (k < L->nstate || !in_last(S, k))) return (int)k;
  return -1;
}

/* Rebuilds a->S so that it also collects each residual per step, and
 * points a->rv at the rebuilt body's values and a->rrows at their rows. A
 * residual S yields already (the state after the step, an all-steps
 * output) is read from that result instead of being saved twice. */
static sj_status save_residuals(vjp *a) {
  sj_op *S = a->S, *F = a->F;
  const layout LS = layout_of(S), LF = a->L;
  sj_value **extra = sj_arena_alloc(a->c, (a->nr + 1) * sizeof *extra);
  int *at = sj_arena_alloc(a->c, (a->nr + 1) * sizeof *at);
  unsigned ne = 0;
  for (unsigned i = 0; i < a->nr; i++)
    if ((at[i] = yielded_as(S, &LS, a->rv[i])) < 0) extra[ne++] = a->rv[i];
  sj_value_map *m = sj_value_map_new(a->c);
  a->F = S, a->L = LS;
  sj_op *N = rebuild_forward(a, false, extra, ne, m);
  a->F = F, a->L = LF;
  if (!N) return a->g->failed ? a->g->status : SJ_ERR_VERIFY;
  a->rrows = vars(a, a->nr);
  for (unsigned i = 0, e = 0; i < a->nr; i++) {
    a->rv[i] = sj_value_map_get(m, a->rv[i]);
    if (at[i] < 0) a->rrows[i] = var(a, sj_res(N, S->nresults + e++));
    else if ((unsigned)at[i] >= LS.nstate) a->rrows[i] = var(a, sj_res(N, (unsigned)at[i]));
    else { /* the state after step t: row t+1 forward, row t backward */
      sj_var *H = var(a, sj_res(N, (unsigned)at[i]));
      a->rrows[i] = LS.reverse ? H : drop_first_row(a, H);
    }
  }
  a->S = N;
  return a->g->failed ? a->g->status : SJ_OK;
}

/* Residuals are saved unless the loop is recomputed on purpose
 * (checkpointing: its segment loop is marked grad.recompute). */
static bool saves_residuals(const sj_op *F) {
  int t, k;
  sj_graph_scan_grad_options(F, &t, &k);
  return k < 2 && !sj_op_attr(F, SJ_SCAN_ATTR_RECOMPUTE);
}

static sj_status vjp_build(vjp *a) {
  sj_ctx *c = a->c;
  sj_op *F = a->F;
  const layout LF = a->L;
  cot K;
  sort_cotangents(a, &K);
  int k, ck;
  sj_graph_scan_grad_options(F, &k, &ck);
  bool trunc = k > 0, fwd = !LF.reverse, has_n_b = LF.has_n || LF.until, pad_any = false;
  const sj_attr *sa = sj_op_attr(a->S ? a->S : F, SJ_SCAN_ATTR_STEPS);
  unsigned steps_at = sa ? (unsigned)sa->u.i : NONE_AT;
  bool *pad = sj_arena_alloc(c, (LF.nseq + 1) * sizeof *pad);
  for (unsigned i = 0; i < LF.nseq; i++) {
    pad[i] = a->want[LF.first + i] && is_float(sj_opnd(F, LF.first + i)) && needs_pad(F, &LF, i);
    pad_any |= pad[i];
  }
  bool any_last_state = false;
  for (unsigned j = 0; j < LF.nstate; j++) any_last_state |= j != steps_at && in_last(F, j);
  /* the step count, where the backward needs it as a value */
  bool need_n = has_n_b || (pad_any && fwd);
  int64_t st = steps_of(F, &LF);
  sj_var *n = NULL;
  if (LF.has_n && !LF.until) n = var(a, sj_opnd(F, 0));
  else if (st != SJ_DYN) n = kconst(a, (double)st, SJ_I64);
  bool counter_f = need_n && !n && steps_at == NONE_AT;
  sj_op *S = a->S ? a->S : F;
  if (!a->S && (any_last_state || counter_f)) {
    S = rebuild_forward(a, counter_f, NULL, 0, NULL);
    if (!S) return SJ_ERR_VERIFY;
    if (counter_f) steps_at = LF.nstate;
  }
  if (need_n && !n) n = var(a, sj_res(S, steps_at));
  const layout LS = layout_of(S);
  unsigned ns = LS.nstate, nout = F->nresults - LF.nstate; /* S's residual outputs come after */
  bool counter = trunc || pad_any;

  /* ---- operands ---- */
  bw B = {0};
  unsigned cap = S->nopnds + 2 * S->nresults + a->nr + 4;
  B.seq = sj_arena_alloc(c, cap * sizeof *B.seq);
  B.init = sj_arena_alloc(c, cap * sizeof *B.init);
  B.non = sj_arena_alloc(c, cap * sizeof *B.non);
  B.x_at = positions(a, LS.nseq), B.h_at = positions(a, ns), B.gy_at = positions(a, nout), B.gh_at = positions(a, ns);
  B.carry_at = positions(a, ns), B.acc_at = positions(a, LS.nnon), B.z_at = positions(a, nout), B.w_at = positions(a, LS.nnon);
  B.cnt_at = B.n_at = NONE_AT;
  for (unsigned i = 0; i < LS.nseq; i++) B.x_at[i] = push(B.seq, &B.nseq, var(a, sj_opnd(S, LS.first + i)));
  for (unsigned j = 0; j < ns; j++) {
    if (j == steps_at) continue;
    sj_var *H = var(a, sj_res(S, j));
    B.h_at[j] = push(B.seq, &B.nseq, fwd ? H : drop_first_row(a, H));
  }
  for (unsigned o = 0; o < nout; o++)
    if (K.out_rows[o]) B.gy_at[o] = push(B.seq, &B.nseq, K.out_rows[o]);
  for (unsigned j = 0; j < LF.nstate; j++)
    if (K.state_rows[j]) B.gh_at[j] = push(B.seq, &B.nseq, fwd ? K.state_rows[j] : drop_first_row(a, K.state_rows[j]));
  B.r_at = positions(a, a->nr);
  for (unsigned i = 0; i < a->nr; i++) B.r_at[i] = push(B.seq, &B.nseq, a->rrows[i]);
  for (unsigned j = 0; j < ns; j++) {
    sj_value *init = sj_opnd(S, LS.first + LS.nseq + j);
    if (j == steps_at || !is_float(init)) continue;
    sj_var *c0 = K.state_rows[j] ? row_end(a, K.state_rows[j], !fwd) : K.state_last[j] ? K.state_last[j] : zeros_like(a, var(a, init));
    B.carry_at[j] = push(B.init, &B.ninit, c0);
  }
  for (unsigned w = 0; w < LS.nnon; w++) {
    sj_value *W = sj_opnd(S, LS.first + LS.nseq + ns + w);
    if (a->want[LF.first + LF.nseq + LF.nstate + w] && is_float(W)) B.acc_at[w] = push(B.init, &B.ninit, zeros_like(a, var(a, W)));
  }
  for (unsigned o = 0; o < nout; o++)
    if (K.out_last[o]) B.z_at[o] = push(B.init, &B.ninit, K.out_last[o]);
  if (counter) B.cnt_at = push(B.init, &B.ninit, kconst(a, 0, SJ_I64));
  for (unsigned w = 0; w < LS.nnon; w++) B.w_at[w] = push(B.non, &B.nnon, var(a, sj_opnd(S, LS.first + LS.nseq + ns + w)));
  sj_var *n64 = n && n->v->type.dt != SJ_I64 ? sj_cast_at(n, SJ_I64, AT) : n;
  if (pad_any && fwd) B.n_at = push(B.non, &B.nnon, n64);
  if (a->g->failed) return SJ_ERR_VERIFY;

  /* ---- the body: F's step recomputed, then its reverse sweep ---- */
  sj_graph_body *body = sj_arena_alloc(c, sizeof *body); /* not on the stack (see sj_graph_scan_vjp) */
  if (!sj_graph_body_begin(c, body)) return a->g->status;
  sj_var **xa = vars(a, B.nseq + B.ninit + B.nnon), **ia = xa + B.nseq, **wa = ia + B.ninit;
  for (unsigned i = 0; i < B.nseq; i++) xa[i] = sj_graph_body_arg(body, row_type(B.seq[i]->v), NULL);
  for (unsigned i = 0; i < B.ninit; i++) ia[i] = sj_graph_body_arg(body, B.init[i]->v->type, NULL);
  for (unsigned i = 0; i < B.nnon; i++) wa[i] = sj_graph_body_arg(body, B.non[i]->v->type, NULL);
  const sj_block *sb = S->regions[0];
  sj_var **sargs = vars(a, sb->nargs), **sy = vars(a, sb->last->nopnds);
  for (unsigned i = 0; i < LS.nseq; i++) sargs[i] = xa[B.x_at[i]];
  for (unsigned j = 0; j < ns; j++) /* the step counter's value does not matter here: only its update reads it */
    sargs[LS.nseq + j] = j == steps_at ? kconst(a, 0, SJ_I64) : xa[B.h_at[j]];
  for (unsigned w = 0; w < LS.nnon; w++) sargs[LS.nseq + ns + w] = wa[B.w_at[w]];
  sj_value_map *cm = sj_value_map_new(c);
  sj_op *before = a->g->block->last;
  if (sj_graph_inline_body(c, S, sargs, sy, cm, AT)) {
    sj_graph_body_abandon(body);
    return a->g->status;
  }
  sj_op *cl = a->g->block->last == before ? NULL : a->g->block->last; /* the clone: (before, cl] */
  unsigned nk = 0, nw = 0;
  sj_var **known = vars(a, ns + nout), **kg = vars(a, ns + nout);
  for (unsigned j = 0; j < ns; j++)
    if (B.carry_at[j] != NONE_AT) known[nk] = sy[j], kg[nk++] = ia[B.carry_at[j]];
  for (unsigned o = 0; o < nout; o++) {
    if (B.gy_at[o] == NONE_AT && B.z_at[o] == NONE_AT) continue;
    known[nk] = sy[ns + o];
    kg[nk++] = B.gy_at[o] != NONE_AT ? xa[B.gy_at[o]] : ia[B.z_at[o]];
  }
  /* wrt: wanted float sequence rows, every float previous state, wanted float non-sequences */
  unsigned cap3 = LS.nseq + ns + LS.nnon;
  sj_var **wrt = vars(a, cap3), **d = vars(a, cap3);
  unsigned *x_w = positions(a, LS.nseq), *h_w = positions(a, ns), *w_w = positions(a, LS.nnon);
  for (unsigned i = 0; i < LS.nseq; i++)
    if (a->want[LF.first + i] && is_float(sj_opnd(S, LS.first + i))) x_w[i] = nw, wrt[nw++] = xa[B.x_at[i]];
  for (unsigned j = 0; j < ns; j++)
    if (B.carry_at[j] != NONE_AT) h_w[j] = nw, wrt[nw++] = xa[B.h_at[j]];
  for (unsigned w = 0; w < LS.nnon; w++)
    if (B.acc_at[w] != NONE_AT) w_w[w] = nw, wrt[nw++] = wa[B.w_at[w]];
  if (nk && nw) {
    sj_grad_options go = {.known = known, .known_grads = kg, .nknown = nk, .disconnected_zero = 1};
    if (sj_graph_grad(known[0], wrt, nw, &go, d, a->file, a->line)) {
      sj_graph_body_abandon(body);
      return a->g->status ? a->g->status : SJ_ERR_VERIFY;
    }
  }
  /* truncation: a step more than k steps back contributes nothing */
  sj_var *cnt = B.cnt_at != NONE_AT ? ia[B.cnt_at] : NULL;
  sj_var *active = trunc ? sj_lt_at(cnt, kconst(a, (double)k, SJ_I64), AT) : NULL;
#define MASK(x) (active ? sj_where_at(active, (x), zeros_like(a, (x)), AT) : (x))
  unsigned nys = 0;
  sj_var **ys = vars(a, B.ninit + LS.nseq + 1);
  for (unsigned j = 0; j < ns; j++) {
    if (B.carry_at[j] == NONE_AT) continue;
    sj_var *dh = d[h_w[j]];
    if (B.gh_at[j] != NONE_AT) dh = sj_add_at(dh, xa[B.gh_at[j]], AT);
    ys[nys++] = MASK(dh);
  }
  for (unsigned w = 0; w < LS.nnon; w++)
    if (B.acc_at[w] != NONE_AT) ys[nys++] = sj_add_at(ia[B.acc_at[w]], MASK(d[w_w[w]]), AT);
  for (unsigned o = 0; o < nout; o++)
    if (B.z_at[o] != NONE_AT) ys[nys++] = zeros_like(a, ia[B.z_at[o]]);
  if (cnt) ys[nys++] = sj_add_at(cnt, kconst(a, 1, SJ_I64), AT);
  unsigned nstate_b = nys, *dx_at = positions(a, LS.nseq), t_at = NONE_AT;
  for (unsigned i = 0; i < LS.nseq; i++)
    if (x_w[i] != NONE_AT) dx_at[i] = nys, ys[nys++] = MASK(d[x_w[i]]);
#undef MASK
  if (pad_any) { /* the row each step's cotangent belongs to */
    sj_var *t = fwd ? sj_sub_at(sj_sub_at(wa[B.n_at], kconst(a, 1, SJ_I64), AT), cnt, AT) : cnt;
    t_at = nys, ys[nys++] = t;
  }
  if (!nys || a->g->failed) { /* nothing to carry, nothing wanted; or failed */
    sj_graph_body_abandon(body);
    return a->g->failed ? a->g->status : SJ_OK;
  }
  clone_span span = {0};
  if (a->probe || a->nr) span = clone_span_of(a, before, cl);
  if (a->probe) {
    find_residuals(a, S, cm, &span, body, ys, nys);
    if (a->nr) { /* built again by the caller, after the forward loop saves them */
      sj_graph_body_abandon(body);
      return a->g->failed ? a->g->status : SJ_OK;
    }
  } else if (a->nr) {
    read_residuals(a, cm, &span, xa, B.r_at, ys, nys);
  }

  /* ---- the op ---- */
  bool *last = sj_arena_alloc(c, (nys + 1) * sizeof *last);
  for (unsigned i = 0; i < nys; i++) last[i] = i < nstate_b;
  sj_graph_scan_spec spec = {has_n_b ? n : NULL, B.seq, B.nseq, B.init, nstate_b, B.non, B.nnon, ys, nys,
                             false, fwd, last, NULL, 0};
  sj_var **res = vars(a, nys);
  if (sj_graph_scan_end(body, &spec, res, AT)) return a->g->status;

  /* ---- the gradients of F's operands ---- */
  unsigned y = 0;
  for (unsigned j = 0; j < ns; j++)
    if (B.carry_at[j] != NONE_AT) a->r[LF.first + LF.nseq + j] = res[y++];
  for (unsigned w = 0; w < LS.nnon; w++)
    if (B.acc_at[w] != NONE_AT) a->r[LF.first + LF.nseq + LF.nstate + w] = res[y++];
  for (unsigned i = 0; i < LS.nseq; i++) {
    if (dx_at[i] == NONE_AT) continue;
    sj_var *dx = res[dx_at[i]];
    if (pad[i]) dx = sj_scatter_add_at(dx, res[t_at], opnd(a, S, LS.first + i), 0, 0, AT);
    a->r[LF.first + i] = dx;
  }
  return a->g->failed ? SJ_ERR_VERIFY : SJ_OK;
}

/* A first build finds the residuals (and builds B when there are none);
 * then the forward loop is rebuilt to save them and B built again. */
static sj_status vjp_protected(void *ud) {
  vjp *a = ud;
  a->probe = saves_residuals(a->F);
  sj_status st = vjp_build(a);
  if (st || !a->nr) return st;
  a->probe = false;
  st = save_residuals(a);
  return st ? st : vjp_build(a);
}

void sj_graph_scan_vjp(sj_op *F, sj_var *const *gres, const bool *want, sj_var **r, const char *file, int line) {
  sj_graph *g = NULL; /* the context: every variable knows it */
  for (unsigned i = 0; i < F->nresults && !g; i++)
    if (gres[i]) g = sj_graph_of(gres[i]->c);
  if (!g || g->failed) return;
  /* The nested sweep and sj_graph_scan_end renumber op->scratch over the
   * whole block, where the running sweep keeps its marks: saved and put back. */
  size_t nops = 0;
  for (sj_op *op = g->block->first; op; op = op->next) nops++;
  sj_op **ops = sj_scratch_calloc(nops + 1, sizeof *ops);
  unsigned *marks = sj_scratch_calloc(nops + 1, sizeof *marks);
  nops = 0;
  for (sj_op *op = g->block->first; op; op = op->next) ops[nops] = op, marks[nops++] = op->scratch;
  vjp a = {g->c, g, file, line, F, layout_of(F), gres, want, r, false, NULL, NULL, NULL, 0};
  sj_graph_body *open = g->body;
  sj_status st = sj_ctx_protect(g->c, vjp_protected, &a);
  while (g->body && g->body != open) sj_graph_body_abandon(g->body); /* left open by an unwind */
  for (size_t i = 0; i < nops; i++) ops[i]->scratch = marks[i];
  sj_scratch_free(ops);
  sj_scratch_free(marks);
  if (st == SJ_ERR_NOMEM) {
    g->failed = true;
    g->status = SJ_ERR_NOMEM;
  }
}
