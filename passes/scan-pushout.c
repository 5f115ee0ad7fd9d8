/* scan-pushout: moves out of a scan's body what does not depend on the step
 * (PyTensor's scan_pushout_* rewrites; docs/decisions/0019-scan-pushout.md).
 *
 *  (a) hoisting: a body op whose operands are non-sequences (and constants)
 *      is computed once before the loop; its result becomes a non-sequence.
 *      Except a transpose that only feeds per-step matmuls: it is free as
 *      the GEMM's transpose flag (transpose_for_gemm).
 *  (b) sequence-only ops: an elementwise op of sequence rows and invariants
 *      (where that loses no fusion in the body: mark_pays), or x_t @ W with
 *      W invariant, is computed for every row before the loop (the matmul
 *      as one GEMM of [rows, K] @ W); its result becomes a sequence.
 *  (c) accumulations: a state kept `last` whose new value is u + f_t (or
 *      u - f_t), u used nowhere else, becomes u_0 + sum over the steps of
 *      f_t after the loop; f_t = a_t @ b_t (operands possibly transposed)
 *      becomes one GEMM of the whole sequences of a and b.
 *  (d) dead results: outputs without uses, and states whose result is unused
 *      and which no needed value depends on, leave the loop; so do body
 *      arguments nobody reads (a sequence only when the step count cannot
 *      change).
 *  (e) splat non-sequences: a non-sequence that is a splat constant becomes
 *      that constant inside the body (after hoisting).
 *
 * Each scan is rewritten by rebuilding it: an editor (scan_ed) holds its
 * operands, body arguments and yielded values as slots, the rewrites edit
 * the slots (and the body), and ed_commit builds the new scan with the old
 * body moved into it. Inner scans are handled before the scans around them,
 * so what leaves an inner loop can leave the outer one too. */
#include <string.h>

#include "opinfo.h"
#include "registry.h"

/* Rounds per scan: each round removes body ops, states or outputs, so the
 * count is bounded anyway; the cap stops a bug from looping. */
#define MAX_ROUNDS 32

/* What a body value is, in op->scratch (results of direct body ops) or
 * ed.akind (arguments, by index). */
enum { K_VAR, K_SEQ, K_INV, K_CONST };
#define KIND(s) ((s) & 3u)
#define LIVE (1u << 31) /* dead_results' mark; constants keep a clone index in bits 2.. */

typedef struct seq_slot {
  sj_value *outer, *arg;
  const sj_value *origin; /* the operand sequence whose leading dim this one has */
} seq_slot;
typedef struct state_slot {
  sj_value *outer, *arg, *next, *res;
  bool last;
} state_slot;
typedef struct non_slot {
  sj_value *outer, *arg;
} non_slot;
typedef struct out_slot {
  sj_value *val, *res;
  bool last, fresh; /* fresh: added by this round (kept, no old result) */
} out_slot;

/* After the commit: old result `res` (a removed accumulator) becomes
 * init (+|-) total, where total is built from new results (see fixup_total). */
typedef struct fixup {
  sj_value *res, *init;
  bool sub, gemm;
  int src[2];             /* out slot index, or -1: use outer[i] */
  sj_value *outer[2];     /* whole sequences of the per-step operands */
  bool trans[2];          /* per-step operand was transposed in the body */
  sj_type step[2];        /* per-step (untransposed) operand types */
  sj_type ftype;          /* the accumulated per-step value's type */
} fixup;

typedef struct scan_ed {
  sj_ctx *c;
  sj_pass_run *run;
  sj_op *op;
  sj_block *body;
  sj_value *n, *cond;
  bool until;
  seq_slot *seq;
  state_slot *st;
  non_slot *non;
  out_slot *out;
  unsigned nseq, nst, nnon, nout, nout0, cap;
  unsigned char *akind;  /* per body argument index */
  unsigned *aslot;       /* per body argument index: its slot */
  sj_value **consts;     /* outer clones of body constants */
  unsigned nconsts;
  fixup *fix;
  unsigned nfix;
  /* for the whole pass: sequences made here -> the operand sequence whose
   * leading dim they have (kept across rebuilds of the scan); an
   * open-addressing table (lookups only: its order never shows) */
  const sj_value **orig_of, **orig;
  size_t norig, orig_cap; /* orig_cap: a power of two, or 0 */
} scan_ed;

static size_t origin_slot(const scan_ed *e, const sj_value *outer) {
  size_t h = ((uintptr_t)outer >> 4) * 0x9E3779B97F4A7C15ull, mask = e->orig_cap - 1;
  for (h &= mask; e->orig_of[h] && e->orig_of[h] != outer; h = (h + 1) & mask) {
  }
  return h;
}

static const sj_value *origin_of(const scan_ed *e, const sj_value *outer) {
  if (!e->orig_cap) return outer;
  size_t h = origin_slot(e, outer);
  return e->orig_of[h] ? e->orig[h] : outer;
}

static void origin_add(scan_ed *e, const sj_value *outer, const sj_value *origin) {
  if (2 * (e->norig + 1) > e->orig_cap) { /* at most half full */
    const sj_value **of = e->orig_of, **o = e->orig;
    size_t cap = e->orig_cap;
    e->orig_cap = cap ? 2 * cap : 64;
    e->orig_of = sj_scratch_calloc(e->orig_cap, sizeof *e->orig_of);
    e->orig = sj_scratch_calloc(e->orig_cap, sizeof *e->orig);
    for (size_t i = 0; i < cap; i++)
      if (of[i]) {
        size_t h = origin_slot(e, of[i]);
        e->orig_of[h] = of[i], e->orig[h] = o[i];
      }
    sj_scratch_free(of), sj_scratch_free(o);
  }
  size_t h = origin_slot(e, outer);
  if (!e->orig_of[h]) e->norig++;
  e->orig_of[h] = outer, e->orig[h] = origin;
}

/* ---- loading and committing ---- */

static void ed_free(scan_ed *e) {
  sj_scratch_free(e->seq), sj_scratch_free(e->st), sj_scratch_free(e->non), sj_scratch_free(e->out);
  sj_scratch_free(e->akind), sj_scratch_free(e->aslot), sj_scratch_free(e->consts), sj_scratch_free(e->fix);
  e->seq = NULL, e->st = NULL, e->non = NULL, e->out = NULL;
  e->akind = NULL, e->aslot = NULL, e->consts = NULL, e->fix = NULL;
}

static void set_arg(scan_ed *e, sj_value *arg, unsigned kind, unsigned slot) {
  e->akind[arg->index] = (unsigned char)kind;
  e->aslot[arg->index] = slot;
}

/* Reads op into slots. Capacities: each round adds at most one slot per
 * body op (hoist, push) and two outputs per state (accumulations). */
static void ed_load(scan_ed *e, sj_op *op) {
  sj_block *b = op->regions[0];
  sj_op *y = b->last;
  unsigned nops = 0;
  for (sj_op *o = b->first; o; o = o->next) nops++;
  ed_free(e);
  e->op = op, e->body = b;
  unsigned first = sj_op_bool(op, "has_n", false);
  e->n = first ? sj_opnd(op, 0) : NULL;
  e->until = sj_op_bool(op, "until", false);
  e->nseq = (unsigned)sj_op_int(op, "nseq", 0), e->nst = (unsigned)sj_op_int(op, "nstate", 0);
  e->nnon = op->nopnds - first - e->nseq - e->nst;
  e->nout = e->nout0 = op->nresults - e->nst;
  e->cond = e->until ? sj_opnd(y, y->nopnds - 1) : NULL;
  e->cap = b->nargs + op->nresults + 2 * nops + 2 * e->nst + 4;
  e->seq = sj_scratch_calloc(e->cap, sizeof *e->seq);
  e->st = sj_scratch_calloc(e->cap, sizeof *e->st);
  e->non = sj_scratch_calloc(e->cap, sizeof *e->non);
  e->out = sj_scratch_calloc(e->cap, sizeof *e->out);
  e->akind = sj_scratch_calloc(e->cap, sizeof *e->akind);
  e->aslot = sj_scratch_calloc(e->cap, sizeof *e->aslot);
  e->consts = sj_scratch_calloc(nops + 1, sizeof *e->consts);
  e->fix = sj_scratch_calloc(e->nst + 1, sizeof *e->fix);
  e->nconsts = 0, e->nfix = 0;
  bool last[64] = {0};
  const sj_attr *la = sj_op_attr(op, "last");
  for (int i = 0; la && i < la->u.ints.n; i++) last[la->u.ints.v[i]] = true;
  for (unsigned i = 0; i < e->nseq; i++) {
    sj_value *o = sj_opnd(op, first + i);
    e->seq[i] = (seq_slot){o, b->args[i], origin_of(e, o)};
    set_arg(e, b->args[i], K_SEQ, i);
  }
  for (unsigned i = 0; i < e->nst; i++) {
    e->st[i] = (state_slot){sj_opnd(op, first + e->nseq + i), b->args[e->nseq + i], sj_opnd(y, i), sj_res(op, i), last[i]};
    set_arg(e, b->args[e->nseq + i], K_VAR, i);
  }
  for (unsigned i = 0; i < e->nnon; i++) {
    e->non[i] = (non_slot){sj_opnd(op, first + e->nseq + e->nst + i), b->args[e->nseq + e->nst + i]};
    set_arg(e, b->args[e->nseq + e->nst + i], K_INV, i);
  }
  for (unsigned k = 0; k < e->nout; k++)
    e->out[k] = (out_slot){sj_opnd(y, e->nst + k), sj_res(op, e->nst + k), last[e->nst + k], false};
}

/* The yielded values may have been replaced (pushed-out ops): reread them. */
static void ed_refresh(scan_ed *e) {
  sj_op *y = e->body->last;
  for (unsigned i = 0; i < e->nst; i++) e->st[i].next = sj_opnd(y, i);
  for (unsigned k = 0; k < e->nout0; k++) e->out[k].val = sj_opnd(y, e->nst + k);
  if (e->until) e->cond = sj_opnd(y, y->nopnds - 1);
}

static sj_type with_lead(sj_type t, int64_t lead) {
  memmove(t.dims + 1, t.dims, (size_t)t.rank * sizeof *t.dims);
  t.dims[0] = lead;
  t.rank++;
  return t;
}

/* The static step count, or SJ_DYN (docs/decisions/0014-scan.md). */
static int64_t ed_steps(const scan_ed *e) {
  if (e->n || e->until) return SJ_DYN;
  int64_t s = INT64_MAX;
  for (unsigned i = 0; i < e->nseq; i++) {
    int64_t d = e->seq[i].outer->type.dims[0];
    if (d == SJ_DYN) return SJ_DYN;
    if (d < s) s = d;
  }
  return s;
}

static void copy_attrs(sj_ctx *c, sj_op *dst, const sj_op *src) {
  for (unsigned i = 0; i < src->nattrs; i++) sj_op_set_attr(c, dst, src->attrs[i]);
}

/* Builds the scan the slots describe before the old one, moves the body
 * into it and points the old results' uses at the new ones. The old op
 * stays (results of removed accumulators may still be used: fixups) until
 * the caller erases it. */
static sj_op *ed_commit(scan_ed *e) {
  sj_ctx *c = e->c;
  unsigned first = e->n != NULL, nopnds = first + e->nseq + e->nst + e->nnon, nres = e->nst + e->nout;
  unsigned nargs = e->nseq + e->nst + e->nnon, nys = nres + e->until;
  sj_value **opnds = sj_scratch_calloc(nopnds + 1, sizeof *opnds);
  sj_value **ys = sj_scratch_calloc(nys + 1, sizeof *ys);
  sj_type *rt = sj_scratch_calloc(nres + 1, sizeof *rt);
  int64_t *lastv = sj_scratch_calloc(nres + 1, sizeof *lastv);
  sj_value **args = sj_arena_alloc(c, (nargs + 1) * sizeof *args);
  int64_t steps = ed_steps(e);
  unsigned k = 0, nlast = 0;
  if (e->n) opnds[k++] = e->n;
  for (unsigned i = 0; i < e->nseq; i++) opnds[k++] = e->seq[i].outer, args[i] = e->seq[i].arg;
  for (unsigned i = 0; i < e->nst; i++) {
    opnds[k++] = e->st[i].outer, args[e->nseq + i] = e->st[i].arg, ys[i] = e->st[i].next;
    rt[i] = e->st[i].last ? ys[i]->type : with_lead(ys[i]->type, steps == SJ_DYN ? SJ_DYN : steps + 1);
    if (e->st[i].last) lastv[nlast++] = i;
  }
  for (unsigned i = 0; i < e->nnon; i++) opnds[k++] = e->non[i].outer, args[e->nseq + e->nst + i] = e->non[i].arg;
  for (unsigned j = 0; j < e->nout; j++) {
    unsigned r = e->nst + j;
    ys[r] = e->out[j].val;
    rt[r] = e->out[j].last ? ys[r]->type : with_lead(ys[r]->type, steps);
    if (e->out[j].last) lastv[nlast++] = r;
  }
  if (e->until) ys[nres] = e->cond;
  sj_op *old = e->op, *nop = sj_op_new(c, SJ_OP_SCAN, nopnds, opnds, nres, rt, 1, old->loc);
  copy_attrs(c, nop, old);
  sj_op_set_int(c, nop, "nseq", e->nseq);
  sj_op_set_int(c, nop, "nstate", e->nst);
  if (nlast) sj_op_set_ints(c, nop, "last", (int)nlast, lastv);
  else sj_op_remove_attr(nop, "last");
  sj_block *empty = nop->regions[0];
  nop->regions[0] = e->body, e->body->parent = nop;
  old->regions[0] = empty, empty->parent = old;
  for (unsigned i = 0; i < nargs; i++) args[i]->index = i, args[i]->owner = e->body;
  e->body->args = args, e->body->nargs = nargs;
  sj_op_set_operands(c, e->body->last, nys, ys);
  sj_block_insert_before(old, nop);
  for (unsigned i = 0; i < nres; i++) {
    sj_value *o = i < e->nst ? e->st[i].res : e->out[i - e->nst].res;
    if (!o) continue;
    sj_res(nop, i)->name = o->name;
    sj_value_replace_all_uses(o, sj_res(nop, i));
  }
  sj_scratch_free(opnds), sj_scratch_free(ys), sj_scratch_free(rt), sj_scratch_free(lastv);
  return nop;
}

/* Erases body ops that became dead (reverse order: users first). */
static void body_dce(sj_block *b) {
  for (sj_op *o = b->last, *pv; o; o = pv) {
    pv = o->prev;
    if (!sj_op_has(o, SJ_F_PURE) || sj_op_has(o, SJ_F_TERMINATOR)) continue;
    bool used = false;
    for (unsigned i = 0; i < o->nresults && !used; i++) used = sj_value_has_uses(o->results[i]);
    if (!used) sj_op_erase(o);
  }
}

/* ---- classifying body values ---- */

static unsigned kind_of(const scan_ed *e, const sj_value *v) {
  if (!v->def) return v->owner == e->body ? e->akind[v->index] : K_VAR;
  return v->def->block == e->body ? KIND(v->def->scratch) : K_VAR;
}

/* The value outside the loop standing for invariant v (a non-sequence's
 * operand, or a clone of a body constant built before the scan). */
static sj_value *outer_inv(scan_ed *e, sj_value *v) {
  if (!v->def) return e->non[e->aslot[v->index]].outer;
  sj_op *d = v->def;
  unsigned idx = d->scratch >> 2;
  if (idx) return e->consts[idx - 1];
  sj_op *k = sj_op_new(e->c, SJ_OP_CONSTANT, 0, NULL, 1, &v->type, 0, d->loc);
  copy_attrs(e->c, k, d);
  sj_res(k, 0)->name = v->name;
  sj_block_insert_before(e->op, k);
  e->consts[e->nconsts++] = sj_res(k, 0);
  d->scratch = K_CONST | (e->nconsts << 2);
  return sj_res(k, 0);
}

/* An op the rewrites may move: pure, one tensor result, no region (nested
 * loops and fused bodies stay), not a constant. */
static bool movable(const sj_op *op) {
  return sj_op_has(op, SJ_F_PURE) && sj_op_has(op, SJ_F_TENSOR) && !sj_op_has(op, SJ_F_CONSTANT | SJ_F_TERMINATOR) &&
         op->nregions == 0 && op->nresults == 1 && sj_res(op, 0)->type.is_tensor;
}

static sj_op *build(scan_ed *e, sj_opcode code, unsigned n, sj_value *const *in, sj_type t, sj_loc loc) {
  sj_op *o = sj_op_new(e->c, code, n, in, 1, &t, 0, loc);
  sj_block_insert_before(e->op, o);
  return o;
}

static sj_value *reshape(scan_ed *e, sj_value *v, sj_type t, sj_loc loc) {
  t.dt = v->type.dt;
  return sj_res(build(e, SJ_OP_RESHAPE, 1, &v, t, loc), 0);
}

static sj_value *transpose(scan_ed *e, sj_value *v, int n, const int64_t *perm, sj_loc loc) {
  sj_type t = v->type;
  for (int i = 0; i < n; i++) t.dims[i] = v->type.dims[perm[i]];
  sj_op *o = build(e, SJ_OP_TRANSPOSE, 1, &v, t, loc);
  sj_op_set_ints(e->c, o, "perm", n, perm);
  return sj_res(o, 0);
}

/* The verifier's limit: at most 64 body arguments and results. */
#define SCAN_MAX_VALUES 64
static bool room(const scan_ed *e) { return e->body->nargs < SCAN_MAX_VALUES; }

/* Replaces body op `op` by a new argument of `kind` (its value computed
 * outside as `outer`). */
static void replace_by_arg(scan_ed *e, sj_op *op, unsigned kind, sj_value *outer, const sj_value *origin) {
  sj_value *arg = sj_block_add_arg(e->c, e->body, sj_res(op, 0)->type);
  arg->name = sj_res(op, 0)->name;
  if (!outer->name) outer->name = arg->name;
  if (kind == K_INV) {
    e->non[e->nnon] = (non_slot){outer, arg};
    set_arg(e, arg, K_INV, e->nnon++);
  } else {
    e->seq[e->nseq] = (seq_slot){outer, arg, origin};
    origin_add(e, outer, origin);
    set_arg(e, arg, K_SEQ, e->nseq++);
  }
  sj_value_replace_all_uses(sj_res(op, 0), arg);
  sj_op_erase(op);
}

/* ---- (a) hoisting ---- */

/* A 2-D transpose whose every use is an operand of a matmul of the body
 * whose other operand is per-step (a matmul that stays in the loop): it
 * stays too. lower-to-loops folds it into the GEMM's transpose flag, so in
 * the loop it costs nothing, where hoisted it is one more pass over the
 * matrix per call (the LSTM's W_hh^T, 1 MiB), and the GEMM then reads the
 * non-sequence itself, which it packs once per run (decision 0039). A
 * matmul whose other operand is a row or invariant is pushed out or
 * hoisted: its transpose goes with it, in the round after. */
static bool transpose_for_gemm(const scan_ed *e, const sj_op *op) {
  const sj_value *r = sj_res(op, 0);
  if (op->code != SJ_OP_TRANSPOSE || r->type.rank != 2 || !r->uses) return false;
  for (const sj_use *u = r->uses; u; u = u->next) {
    const sj_op *mm = u->user;
    if (mm->code != SJ_OP_MATMUL || mm->block != e->body || u->index > 1) return false;
    const sj_value *other = sj_opnd(mm, 1 - u->index);
    if (other == r || kind_of(e, other) != K_VAR) return false; /* wt @ wt is invariant */
  }
  return true;
}

static bool hoist(scan_ed *e, sj_op *op) {
  if (transpose_for_gemm(e, op)) return false;
  bool any_inv = false;
  for (unsigned i = 0; i < op->nopnds; i++) {
    unsigned k = kind_of(e, sj_opnd(op, i));
    if (k != K_INV && k != K_CONST) return false;
    any_inv |= k == K_INV; /* constants alone: constant-fold's business */
  }
  if (!any_inv || !room(e)) return false;
  sj_value *in[16];
  if (op->nopnds > 16) return false;
  for (unsigned i = 0; i < op->nopnds; i++) in[i] = outer_inv(e, sj_opnd(op, i));
  sj_op *o = build(e, op->code, op->nopnds, in, sj_res(op, 0)->type, op->loc);
  copy_attrs(e->c, o, op);
  replace_by_arg(e, op, K_INV, sj_res(o, 0), NULL);
  sj_pass_stat_add(e->run, SJ_STAT_spo_hoisted, 1);
  return true;
}

/* ---- (b) sequence-only computations ---- */

/* Leading dims of two sequence slots are equal: the same origin, or the
 * same static size. */
static bool same_lead(const seq_slot *a, const seq_slot *b) {
  int64_t da = a->outer->type.dims[0], db = b->outer->type.dims[0];
  return a->origin == b->origin || (da != SJ_DYN && da == db);
}

static bool all_static(const sj_type *t, int from) {
  for (int i = from; i < t->rank; i++)
    if (t->dims[i] == SJ_DYN) return false;
  return true;
}

/* Elementwise op of rows and invariants: the same op over whole sequences.
 * Invariants have at most the result's rank, so numpy aligns them on the
 * same axes as in the body; a row of lower rank than the result gets unit
 * dims after its leading axis so that its leading axis stays the steps'. */
static bool push_elementwise(scan_ed *e, sj_op *op) {
  const sj_type *r = &sj_res(op, 0)->type;
  const seq_slot *s0 = NULL;
  int64_t lead = SJ_DYN;
  if (op->nopnds > 16 || r->rank + 1 > SJ_MAX_RANK) return false;
  for (unsigned i = 0; i < op->nopnds; i++) {
    sj_value *v = sj_opnd(op, i);
    unsigned k = kind_of(e, v);
    if (k == K_VAR) return false;
    if (k != K_SEQ) continue;
    const seq_slot *s = &e->seq[e->aslot[v->index]];
    if (s0 && !same_lead(s0, s)) return false; /* rows of sequences that may differ in length */
    if (v->type.rank < r->rank && !all_static(&v->type, 0)) return false;
    if (!s0) s0 = s;
    if (s->outer->type.dims[0] != SJ_DYN) lead = s->outer->type.dims[0];
  }
  if (!s0 || !room(e)) return false;
  sj_value *in[16];
  for (unsigned i = 0; i < op->nopnds; i++) {
    sj_value *v = sj_opnd(op, i);
    if (kind_of(e, v) != K_SEQ) {
      in[i] = outer_inv(e, v);
      continue;
    }
    in[i] = e->seq[e->aslot[v->index]].outer;
    if (v->type.rank < r->rank) {
      sj_type t = v->type;
      int pad = r->rank - t.rank;
      memmove(t.dims + pad, t.dims, (size_t)t.rank * sizeof *t.dims);
      for (int j = 0; j < pad; j++) t.dims[j] = 1;
      t.rank = r->rank;
      in[i] = reshape(e, in[i], with_lead(t, in[i]->type.dims[0]), op->loc);
    }
  }
  sj_op *o = build(e, op->code, op->nopnds, in, with_lead(*r, lead), op->loc);
  copy_attrs(e->c, o, op);
  replace_by_arg(e, op, K_SEQ, sj_res(o, 0), s0->origin);
  sj_pass_stat_add(e->run, SJ_STAT_spo_seq_elementwise, 1);
  return true;
}

/* x_t @ W (x a row of rank >= 2, W an invariant matrix): one GEMM of the
 * rows of all steps, reshape(X, [L*M, K]) @ W reshaped to [L, ..., N]. The
 * reshapes are views; the dims besides the steps must be static (and
 * non-zero when the steps are not, so that the one `?` is determined). */
static bool push_matmul(scan_ed *e, sj_op *op) {
  sj_value *x = sj_opnd(op, 0), *w = sj_opnd(op, 1);
  unsigned kw = kind_of(e, w);
  if (kind_of(e, x) != K_SEQ || (kw != K_INV && kw != K_CONST) || w->type.rank != 2 || !room(e)) return false;
  const seq_slot *s = &e->seq[e->aslot[x->index]];
  const sj_type *r = &sj_res(op, 0)->type;
  int64_t lead = s->outer->type.dims[0], m = 1;
  if (!all_static(&x->type, 0) || !all_static(&w->type, 0) || r->rank + 1 > SJ_MAX_RANK) return false;
  for (int i = 0; i < x->type.rank - 1; i++) m *= x->type.dims[i];
  if (lead == SJ_DYN && (m == 0 || x->type.dims[x->type.rank - 1] == 0 || w->type.dims[1] == 0)) return false;
  int64_t rows = lead == SJ_DYN ? SJ_DYN : lead * m;
  sj_type t2 = {.dt = x->type.dt, .is_tensor = true, .rank = 2, .dims = {rows, x->type.dims[x->type.rank - 1]}};
  sj_value *in[2] = {reshape(e, s->outer, t2, op->loc), outer_inv(e, w)};
  sj_type p = {.dt = r->dt, .is_tensor = true, .rank = 2, .dims = {rows, w->type.dims[1]}};
  sj_value *prod = sj_res(build(e, SJ_OP_MATMUL, 2, in, p, op->loc), 0);
  replace_by_arg(e, op, K_SEQ, reshape(e, prod, with_lead(*r, lead), op->loc), s->origin);
  sj_pass_stat_add(e->run, SJ_STAT_spo_seq_matmul, 1);
  return true;
}

/* Whether pushing elementwise op o out pays. Inside the loop it fuses for
 * free with the step's elementwise ops that read it; outside it is one
 * more pass over [n, ...] in memory. It pays when no such fusion is lost:
 * its rows are collected as an output (the loop then copies nothing), or
 * feed an op that is not elementwise (x_t @ W becomes one GEMM; a matmul,
 * reduction or gather would read it from memory anyway), or an add with a
 * matmul (gemm-combine makes it the GEMM's accumulator), directly or
 * through sequence-only elementwise ops that pay. Before the sweep, in
 * op->scratch: ROWS on ops computable from rows and invariants alone
 * (body order), then PAYS (reverse order: users first). */
#define ROWS (1u << 29)
#define INVS (1u << 28)
#define PAYS (1u << 30)
static unsigned pre_kind(const scan_ed *e, const sj_value *v) {
  if (!v->def || v->def->block != e->body) return kind_of(e, v);
  unsigned s = v->def->scratch;
  return (s & ROWS) ? K_SEQ : (s & INVS) ? K_INV : KIND(s);
}

static void mark_rows(scan_ed *e, sj_op *o) {
  bool seq = false, other = false;
  for (unsigned i = 0; i < o->nopnds; i++) {
    unsigned k = pre_kind(e, sj_opnd(o, i));
    seq |= k == K_SEQ, other |= k == K_VAR;
  }
  if (!other) o->scratch |= seq ? ROWS : INVS;
}

static void mark_pays(sj_op *o) {
  for (const sj_use *u = sj_res(o, 0)->uses; u; u = u->next) {
    const sj_op *w = u->user;
    const sj_op *other = w->code == SJ_OP_ADD ? sj_opnd(w, !u->index)->def : NULL;
    bool pays = (w->scratch & PAYS) || !sj_op_has(w, SJ_F_ELEMWISE) ||
                (other && other->code == SJ_OP_MATMUL);
    if (pays) {
      o->scratch |= PAYS;
      return;
    }
  }
}

/* One sweep in body order: hoists and pushes out what it can; a result it
 * replaces by an argument makes its users candidates in the same sweep. */
static bool hoist_and_push(scan_ed *e) {
  bool changed = false;
  for (sj_op *o = e->body->first; o; o = o->next) o->scratch = o->code == SJ_OP_CONSTANT ? K_CONST : K_VAR;
  for (sj_op *o = e->body->first; o; o = o->next)
    if (movable(o)) mark_rows(e, o);
  for (sj_op *o = e->body->last; o; o = o->prev)
    if ((o->scratch & ROWS) && sj_op_has(o, SJ_F_ELEMWISE)) mark_pays(o);
  for (sj_op *o = e->body->first, *nx; o; o = nx) {
    nx = o->next;
    if (!movable(o)) continue;
    if (hoist(e, o)) changed = true;
    else if ((o->scratch & PAYS) && push_elementwise(e, o)) changed = true;
    else if (o->code == SJ_OP_MATMUL && push_matmul(e, o)) changed = true;
  }
  return changed;
}

/* ---- (e) splat non-sequences sunk ---- */

/* A non-sequence that is a splat constant outside becomes that constant at
 * the top of the body (unused_args then drops the argument): the body's
 * rewrites and its lowering see the value (a slice gradient's zeros,
 * docs/decisions/0025-slice-assembly.md), and fusion reads it as a scalar
 * instead of a kernel parameter. Runs after hoisting, so what hoisting
 * takes out of the loop still leaves it. */
static bool sink_splats(scan_ed *e) {
  bool changed = false;
  for (unsigned i = 0; i < e->nnon; i++) {
    sj_value *o = e->non[i].outer, *a = e->non[i].arg;
    const sj_attr *v = o->def && o->def->code == SJ_OP_CONSTANT ? sj_op_attr(o->def, "value") : NULL;
    if (!v || (v->kind != SJ_ATTR_INT && v->kind != SJ_ATTR_FLOAT) || !sj_value_has_uses(a)) continue;
    sj_op *k = sj_op_new(e->c, SJ_OP_CONSTANT, 0, NULL, 1, &a->type, 0, o->def->loc);
    copy_attrs(e->c, k, o->def);
    sj_res(k, 0)->name = a->name;
    k->scratch = K_CONST;
    if (e->body->first) sj_block_insert_before(e->body->first, k);
    else sj_block_append(e->body, k);
    sj_value_replace_all_uses(a, sj_res(k, 0));
    sj_pass_stat_add(e->run, SJ_STAT_spo_sunk, 1);
    changed = true;
  }
  return changed;
}

/* ---- (c) accumulations ---- */

/* A sequence whose rows are exactly the steps' (no `%n`, no `until`, and it
 * sets the step count). */
static bool exact_seq(const scan_ed *e, const sj_value *v) {
  if (v->def || v->owner != e->body || e->akind[v->index] != K_SEQ || e->n || e->until) return false;
  int64_t d = e->seq[e->aslot[v->index]].outer->type.dims[0], steps = ed_steps(e);
  return e->nseq == 1 || (d != SJ_DYN && d == steps);
}

/* Index of an all-steps output yielding v (an existing one, or a new one). */
static int collect(scan_ed *e, sj_value *v) {
  for (unsigned k = 0; k < e->nout; k++)
    if (e->out[k].val == v && !e->out[k].last) return (int)k;
  e->out[e->nout] = (out_slot){v, NULL, false, true};
  return (int)e->nout++;
}

/* Per-step operand v of the accumulated product: its whole sequence (slot
 * -1, outer) or an output collecting it. */
static void whole(scan_ed *e, fixup *f, int i, sj_value *v) {
  if (exact_seq(e, v)) f->src[i] = -1, f->outer[i] = e->seq[e->aslot[v->index]].outer;
  else f->src[i] = collect(e, v);
  f->step[i] = v->type;
}

static bool per_step(const scan_ed *e, const sj_value *v) {
  unsigned k = kind_of(e, v);
  return k == K_SEQ || k == K_VAR;
}

/* f = [transpose](a) @ [transpose](b), a and b per-step matrices with
 * static dims: recorded for one GEMM after the loop. */
static bool gemm_form(scan_ed *e, fixup *fx, sj_value *f) {
  sj_op *mm = f->def;
  if (!mm || mm->block != e->body || mm->code != SJ_OP_MATMUL || sj_value_num_uses(f) != 1) return false;
  sj_value *ab[2];
  for (int i = 0; i < 2; i++) {
    sj_value *v = sj_opnd(mm, i);
    sj_op *t = v->def;
    const sj_attr *p = t && t->code == SJ_OP_TRANSPOSE && t->block == e->body ? sj_op_attr(t, "perm") : NULL;
    fx->trans[i] = p && p->u.ints.n == 2 && p->u.ints.v[0] == 1;
    ab[i] = fx->trans[i] ? sj_opnd(t, 0) : v;
    if (ab[i]->type.rank != 2 || !all_static(&ab[i]->type, 0) || !per_step(e, ab[i])) return false;
  }
  if (ab[0]->type.dims[0] * ab[0]->type.dims[1] == 0 || ab[1]->type.dims[0] * ab[1]->type.dims[1] == 0) return false;
  for (int i = 0; i < 2; i++) whole(e, fx, i, ab[i]);
  fx->gemm = true;
  return true;
}

/* State i: last, next = u + f | f + u | u - f, u and next used once. */
static bool accumulate(scan_ed *e, unsigned i) {
  state_slot *s = &e->st[i];
  sj_op *a = s->next->def;
  if (!s->last || !a || a->block != e->body || (a->code != SJ_OP_ADD && a->code != SJ_OP_SUB)) return false;
  if (sj_value_num_uses(s->arg) != 1 || sj_value_num_uses(s->next) != 1) return false;
  int ui = sj_opnd(a, 0) == s->arg ? 0 : sj_opnd(a, 1) == s->arg ? 1 : -1;
  if (ui < 0 || (a->code == SJ_OP_SUB && ui != 0)) return false;
  sj_value *f = sj_opnd(a, 1 - ui);
  if (e->nst + e->nout + 2 > SCAN_MAX_VALUES) return false; /* room for two collected outputs */
  if (!per_step(e, f) || f->type.dt != s->arg->type.dt || f->type.rank + 1 > SJ_MAX_RANK) return false;
  fixup *fx = &e->fix[e->nfix];
  *fx = (fixup){.res = s->res, .init = s->outer, .sub = a->code == SJ_OP_SUB, .ftype = f->type};
  if (!gemm_form(e, fx, f)) {
    fx->gemm = false;
    fx->src[0] = collect(e, f), fx->src[1] = -1;
    fx->step[0] = f->type;
  }
  e->nfix++;
  sj_pass_stat_add(e->run, fx->gemm ? SJ_STAT_spo_accum_gemm : SJ_STAT_spo_accum_sum, 1);
  return true;
}

static void remove_state(scan_ed *e, unsigned i) {
  memmove(e->st + i, e->st + i + 1, (e->nst - i - 1) * sizeof *e->st);
  e->nst--;
}

static bool accumulations(scan_ed *e) {
  bool changed = false;
  for (unsigned i = 0; i < e->nst;) {
    if (accumulate(e, i)) remove_state(e, i), changed = true;
    else i++;
  }
  return changed;
}

/* The whole sequence of fixup operand i, as [L*M, K] rows times columns
 * (`cols` the per-step dim that is kept): a view when the kept dim is the
 * last one, a transposed copy otherwise. */
static sj_value *as_rows(scan_ed *e, sj_value *all, const sj_type *step, bool keep_last, sj_loc loc) {
  int64_t lead = all->type.dims[0], r = step->dims[keep_last ? 0 : 1], k = step->dims[keep_last ? 1 : 0];
  if (!keep_last) {
    static const int64_t perm[3] = {0, 2, 1};
    all = transpose(e, all, 3, perm, loc);
  }
  sj_type t = {.dt = all->type.dt, .is_tensor = true, .rank = 2, .dims = {lead == SJ_DYN ? SJ_DYN : lead * r, k}};
  return reshape(e, all, t, loc);
}

/* init (+|-) the total of the accumulated values, built after the new scan. */
static sj_value *fixup_total(scan_ed *e, sj_op *nop, const fixup *fx) {
  sj_value *all[2];
  sj_loc loc = nop->loc;
  for (int i = 0; i < (fx->gemm ? 2 : 1); i++) all[i] = fx->src[i] < 0 ? fx->outer[i] : sj_res(nop, e->nst + fx->src[i]);
  const sj_type *rt = &fx->res->type;
  if (!fx->gemm) {
    sj_type t = fx->step[0];
    sj_op *s = build(e, SJ_OP_SUM, 1, all, t, loc);
    sj_op_set_ints(e->c, s, "axes", 1, (const int64_t[]){0});
    sj_value *in[2] = {fx->init, sj_res(s, 0)};
    return sj_res(build(e, fx->sub ? SJ_OP_SUB : SJ_OP_ADD, 2, in, *rt, loc), 0);
  }
  /* sum_t op(a_t) @ op(b_t) = P @ Q with P = [op(a_0) ... op(a_L-1)]
   * (columns over the steps) and Q = [op(b_0); ...; op(b_L-1)] (rows):
   * Pᵀ and Q are the sequences reshaped to [L*rows, cols]. */
  sj_value *pt = as_rows(e, all[0], &fx->step[0], fx->trans[0], loc);
  sj_value *q = as_rows(e, all[1], &fx->step[1], !fx->trans[1], loc);
  static const int64_t swap[2] = {1, 0};
  sj_value *in[2] = {transpose(e, pt, 2, swap, loc), q};
  sj_value *prod = sj_res(build(e, SJ_OP_MATMUL, 2, in, fx->ftype, loc), 0);
  sj_value *in2[2] = {fx->init, prod};
  return sj_res(build(e, fx->sub ? SJ_OP_SUB : SJ_OP_ADD, 2, in2, *rt, loc), 0);
}

/* ---- (d) dead results ---- */

static void mark(scan_ed *e, sj_value *v, bool *live_arg) {
  if (!v->def) {
    if (v->owner == e->body) live_arg[v->index] = true;
  } else if (v->def->block == e->body) {
    v->def->scratch |= LIVE;
  }
}

/* An all-steps output that yields a row of a sequence whose rows are
 * exactly the steps' is that sequence: its uses read the operand instead. */
static bool forward_rows(scan_ed *e) {
  bool changed = false;
  for (unsigned k = 0; k < e->nout0; k++) {
    out_slot *o = &e->out[k];
    if (o->last || !sj_value_has_uses(o->res) || !exact_seq(e, o->val)) continue;
    sj_value *outer = e->seq[e->aslot[o->val->index]].outer;
    if (!sj_type_eq(&outer->type, &o->res->type)) continue;
    sj_value_replace_all_uses(o->res, outer);
    sj_pass_stat_add(e->run, SJ_STAT_spo_forwarded, 1);
    changed = true;
  }
  return changed;
}

/* Needed yields: used results, fresh outputs, the condition, and the new
 * value of every state whose argument a needed value reads (to a fixed
 * point). The rest leave the loop. */
static bool dead_results(scan_ed *e) {
  bool *need = sj_scratch_calloc(e->nst + e->nout + 1, sizeof *need);
  bool *live_arg = sj_scratch_calloc(e->body->nargs + 1, sizeof *live_arg);
  for (unsigned i = 0; i < e->nst; i++) need[i] = sj_value_has_uses(e->st[i].res);
  for (unsigned k = 0; k < e->nout; k++) need[e->nst + k] = e->out[k].fresh || sj_value_has_uses(e->out[k].res);
  for (bool again = true; again;) {
    again = false;
    memset(live_arg, 0, (e->body->nargs + 1) * sizeof *live_arg);
    for (sj_op *o = e->body->first; o; o = o->next) o->scratch &= ~LIVE;
    for (unsigned i = 0; i < e->nst; i++)
      if (need[i]) mark(e, e->st[i].next, live_arg);
    for (unsigned k = 0; k < e->nout; k++)
      if (need[e->nst + k]) mark(e, e->out[k].val, live_arg);
    if (e->cond) mark(e, e->cond, live_arg);
    for (sj_op *o = e->body->last; o; o = o->prev) {
      if (o == e->body->last || (!(o->scratch & LIVE) && sj_op_has(o, SJ_F_PURE))) continue;
      for (unsigned j = 0; j < o->nopnds; j++) mark(e, sj_opnd(o, j), live_arg);
    }
    for (unsigned i = 0; i < e->nst; i++)
      if (!need[i] && live_arg[e->st[i].arg->index]) need[i] = again = true;
  }
  bool changed = false;
  unsigned ns = 0, no = 0;
  for (unsigned i = 0; i < e->nst; i++) {
    if (need[i]) e->st[ns++] = e->st[i];
    else sj_pass_stat_add(e->run, SJ_STAT_spo_dead_states, 1), changed = true;
  }
  unsigned *moved = sj_scratch_calloc(e->nout + 1, sizeof *moved);
  for (unsigned k = 0; k < e->nout; k++) {
    moved[k] = no;
    if (need[e->nst + k]) e->out[no++] = e->out[k];
    else sj_pass_stat_add(e->run, SJ_STAT_spo_dead_outputs, 1), changed = true;
  }
  for (unsigned i = 0; i < e->nfix; i++) /* fresh outputs are needed: they stay, maybe lower */
    for (int j = 0; j < 2; j++)
      if (e->fix[i].src[j] >= 0) e->fix[i].src[j] = (int)moved[e->fix[i].src[j]];
  sj_scratch_free(moved);
  e->nst = ns, e->nout = no;
  sj_scratch_free(need), sj_scratch_free(live_arg);
  for (sj_op *o = e->body->first; o; o = o->next) o->scratch &= ~LIVE;
  return changed;
}

/* Unread arguments: non-sequences always go; a sequence only when the step
 * count stays the same (a `%n`, or another sequence at most as long). With
 * a `%n`, a sequence others were computed from stays: the executor's check
 * that it has n rows then names the user's sequence, not a computed one. */
static bool unused_args(scan_ed *e) {
  bool changed = false;
  unsigned n = 0;
  for (unsigned i = 0; i < e->nnon; i++) {
    if (sj_value_has_uses(e->non[i].arg)) e->non[n++] = e->non[i];
    else sj_pass_stat_add(e->run, SJ_STAT_spo_args, 1), changed = true;
  }
  e->nnon = n;
  for (unsigned i = 0; i < e->nseq;) {
    const seq_slot *s = &e->seq[i];
    bool drop = !sj_value_has_uses(s->arg) && (e->n || e->nseq > 1);
    for (unsigned j = 0; drop && e->n && j < e->nseq; j++) /* it names the short sequence in the row check */
      drop = j == i || e->seq[j].origin != s->outer;
    if (drop && !e->n) { /* another sequence must be provably no longer */
      bool shorter = false;
      int64_t d = s->outer->type.dims[0];
      for (unsigned j = 0; j < e->nseq && !shorter; j++) {
        int64_t dj = e->seq[j].outer->type.dims[0];
        shorter = j != i && (e->seq[j].origin == s->origin || (d != SJ_DYN && dj != SJ_DYN && dj <= d));
      }
      drop = shorter;
    }
    if (!drop) {
      i++;
      continue;
    }
    memmove(e->seq + i, e->seq + i + 1, (e->nseq - i - 1) * sizeof *e->seq);
    e->nseq--;
    sj_pass_stat_add(e->run, SJ_STAT_spo_args, 1), changed = true;
  }
  return changed;
}

/* ---- driver ---- */

static sj_op *commit_and_fix(scan_ed *e) {
  sj_op *old = e->op, *nop = ed_commit(e);
  for (unsigned i = 0; i < e->nfix; i++) /* built before `old`, so after the new scan */
    sj_value_replace_all_uses(e->fix[i].res, fixup_total(e, nop, &e->fix[i]));
  sj_op_erase(old);
  body_dce(nop->regions[0]);
  return nop;
}

/* One round on scan `op`; returns the rewritten scan or NULL when nothing
 * changed. */
static sj_op *round_once(scan_ed *e, sj_op *op) {
  ed_load(e, op);
  bool changed = hoist_and_push(e);
  changed |= sink_splats(e);
  ed_refresh(e);
  changed |= accumulations(e);
  changed |= forward_rows(e);
  changed |= dead_results(e);
  sj_op *nop = changed ? commit_and_fix(e) : op;
  if (nop->nresults == 0) { /* nothing left to compute: a pure op */
    sj_op_erase(nop);
    return NULL;
  }
  ed_load(e, nop);
  if (unused_args(e)) {
    nop = commit_and_fix(e);
    changed = true;
  }
  return changed ? nop : NULL;
}

static bool is_tensor_scan(const sj_op *op) {
  return op->code == SJ_OP_SCAN && op->nregions == 1 && op->regions[0]->last &&
         op->regions[0]->last->code == SJ_OP_YIELD;
}

sj_status sj_pass_scan_pushout(sj_module *m, sj_pass_run *run) {
  sj_op_vec all = {0};
  sj_collect_ops(m->body, &all);
  scan_ed e = {.c = m->ctx, .run = run};
  /* pre-order lists outer scans first: walk backwards so inner loops are
   * done (and what left them is in the outer body) before outer ones */
  for (size_t i = all.n; i-- > 0;) {
    sj_op *op = all.v[i];
    if (!is_tensor_scan(op)) continue;
    for (int r = 0; r < MAX_ROUNDS && op; r++) {
      sj_op *nop = round_once(&e, op);
      if (!nop) break;
      op = nop;
    }
  }
  ed_free(&e);
  sj_scratch_free(e.orig_of), sj_scratch_free(e.orig);
  sj_op_vec_free(&all);
  return SJ_OK;
}
