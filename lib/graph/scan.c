/* Loops in the graph API: scan bodies built from placeholders (the internal
 * API of graph_internal.h, also used by the gradient of scan) and the public
 * sj_scan (Theano's scan: taps, outputs only collected, n_steps,
 * go_backwards, return_last, until, updates of shared variables).
 * docs/decisions/0014-scan.md (the op), 0016-scan-graph-api.md (this file).
 *
 * The builders never know they are building a body: they append to the
 * graph's block as always, and sj_graph_scan_end moves the ops that depend
 * on the body's placeholders into the scan's region. So no builder changes,
 * hoisting is free (what does not depend on a placeholder stays outside),
 * and the graph stays in creation (topological) order. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "graph_internal.h"
#include "scan_grad.h"
#include "verify.h"

/* op->scratch of an op that moves into the body being ended. The marks live
 * only inside sj_graph_scan_end/abandon: every marked op leaves the graph's
 * block before they return, so no other op of the block carries this value
 * (the graph layer's other walks use 0, 1 and 2). */
#define MOVE_MARK 0x5ca9u

/* ---- visibility ---- */

static bool open_placeholder(const sj_graph *g, const sj_value *v) {
  for (const sj_graph_body *b = g->body; b; b = b->outer)
    if (v->owner == b->block) return true;
  return false;
}

bool sj_graph_visible(sj_ctx *c, const sj_value *v) {
  sj_graph *g = sj_graph_of(c);
  if (v->def) return v->def->block == g->block;
  return v->owner == g->block || open_placeholder(g, v);
}

/* ---- opening a body ---- */

static sj_status begin_protected(void *ud) {
  sj_graph_body *b = ud;
  b->block = sj_block_new(b->c, NULL);
  return SJ_OK;
}

bool sj_graph_body_begin(sj_ctx *c, sj_graph_body *b) {
  memset(b, 0, sizeof *b);
  b->c = c;
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return false;
  if (sj_ctx_protect(c, begin_protected, b) != SJ_OK) {
    g->failed = true;
    g->status = SJ_ERR_NOMEM;
    return false;
  }
  b->mark = g->block->last;
  b->outer = g->body;
  g->body = b;
  return true;
}

typedef struct arg_args {
  sj_graph_body *b;
  sj_type t;
  const char *name;
  sj_var *res;
} arg_args;

static sj_status arg_protected(void *ud) {
  arg_args *a = ud;
  sj_ctx *c = a->b->c;
  const char *name = a->name ? sj_intern(c, a->name) : NULL;
  sj_var *x = sj_arena_alloc(c, sizeof *x);
  sj_value *v = sj_block_add_arg(c, a->b->block, a->t); /* last: nothing to undo after it */
  v->name = name;
  x->c = c;
  x->v = v;
  x->kind = VAR_NODE;
  x->name = name;
  a->res = x;
  return SJ_OK;
}

sj_var *sj_graph_body_arg(sj_graph_body *b, sj_type t, const char *name) {
  arg_args a = {b, t, name, NULL};
  return sj_graph_guard(b->c, arg_protected, &a, &a.res);
}

typedef struct bind_args {
  sj_graph_body *b;
  sj_value *from, *to;
  sj_var *dummy;
} bind_args;

static sj_status bind_protected(void *ud) {
  bind_args *a = ud;
  sj_graph_body *b = a->b;
  if (b->nbind == b->capbind) { /* arena: a handful per body */
    unsigned cap = b->capbind ? 2 * b->capbind : 4;
    sj_value **f = sj_arena_alloc(b->c, cap * sizeof *f), **t = sj_arena_alloc(b->c, cap * sizeof *t);
    if (b->nbind) memcpy(f, b->bind_from, b->nbind * sizeof *f), memcpy(t, b->bind_to, b->nbind * sizeof *t);
    b->bind_from = f, b->bind_to = t, b->capbind = cap;
  }
  b->bind_from[b->nbind] = a->from;
  b->bind_to[b->nbind++] = a->to;
  return SJ_OK;
}

void sj_graph_body_bind(sj_graph_body *b, sj_var *outer, sj_var *arg) {
  if (!outer || !arg || outer->kind == VAR_POISON || arg->kind == VAR_POISON) return;
  bind_args a = {b, outer->v, arg->v, NULL};
  sj_graph_guard(b->c, bind_protected, &a, &a.dummy);
}

static sj_value *bound(const sj_graph_body *b, const sj_value *v) {
  for (unsigned i = 0; i < b->nbind; i++)
    if (b->bind_from[i] == v) return b->bind_to[i];
  return NULL;
}

/* ---- ending a body ---- */

static sj_op *suffix_first(const sj_graph *g, const sj_graph_body *b) {
  return b->mark ? b->mark->next : g->block->first;
}

/* Inside b: a placeholder of b, a result of an op moving into b, or bound. */
static bool inside(const sj_graph *g, const sj_graph_body *b, const sj_value *v) {
  if (!v) return false;
  if (!v->def) return v->owner == b->block || bound(b, v);
  return (v->def->scratch == MOVE_MARK && v->def->block == g->block) || bound(b, v);
}

/* Marks the ops built since the begin that depend on b (no allocation).
 * Only those ops' scratch is touched: sj_grad keeps its own marks in the
 * older ops' scratch (0 or 1) while a gradient rule may build a scan. */
static void mark_dependent(sj_graph *g, sj_graph_body *b) {
  for (sj_op *op = suffix_first(g, b); op; op = op->next) op->scratch = 0;
  for (sj_op *op = suffix_first(g, b); op; op = op->next)
    for (unsigned i = 0; i < op->nopnds && op->scratch != MOVE_MARK; i++)
      if (inside(g, b, sj_opnd(op, i))) op->scratch = MOVE_MARK;
}

/* Takes the marked ops out of the graph for good (never compiled; their
 * variables are refused by sj_graph_op, being no longer in the graph). */
static void drop_marked(sj_graph *g, sj_graph_body *b) {
  sj_op *next;
  for (sj_op *op = suffix_first(g, b); op; op = next) {
    next = op->next;
    if (op->scratch != MOVE_MARK) continue;
    op->scratch = 0;
    sj_op_unlink(op);
    sj_op_drop_operands(op);
  }
}

static void close_body(sj_graph *g, sj_graph_body *b) {
  if (g->body == b) g->body = b->outer;
}

void sj_graph_body_abandon(sj_graph_body *b) {
  sj_graph *g = sj_graph_of(b->c);
  if (!b->block) return;
  mark_dependent(g, b);
  drop_marked(g, b);
  close_body(g, b);
}

sj_op *sj_graph_scan_of(const sj_var *v) {
  if (!v || v->kind == VAR_POISON || !v->v->def || v->v->def->code != SJ_OP_SCAN) return NULL;
  return v->v->def;
}

typedef struct end_args {
  sj_graph_body *b;
  const sj_graph_scan_spec *s;
  sj_var **results;
  const char *file;
  int line;
  sj_value_map *cap;   /* outer value -> its argument or constant clone */
  sj_value **opnds;    /* the scan's operands, captured ones appended */
  unsigned nopnds;
  sj_op_vec consts;    /* constants cloned into the body (detached until the move) */
  sj_op *scan, *yield;
} end_args;

/* The body value standing for v (allocates the capture the first time). */
static sj_value *capture(end_args *a, sj_value *v) {
  sj_graph_body *b = a->b;
  sj_ctx *c = b->c;
  if (!v->def && v->owner == b->block) return v;
  sj_value *t = bound(b, v);
  if (t) return t;
  if (v->def && v->def->scratch == MOVE_MARK && v->def->block == sj_graph_of(c)->block) return v;
  t = sj_value_map_find(a->cap, v);
  if (t) return t;
  if (v->def && v->def->code == SJ_OP_CONSTANT) { /* a literal: the body's rewrites should see it */
    sj_value_map *tmp = sj_value_map_new(c);
    sj_op *cl = sj_op_clone(c, v->def, tmp);
    sj_op_vec_push(&a->consts, cl);
    t = sj_res(cl, 0);
  } else {
    t = sj_block_add_arg(c, b->block, v->type);
    t->name = v->name;
    a->opnds[a->nopnds++] = v;
  }
  sj_value_map_set(a->cap, v, t);
  return t;
}

static unsigned count_outer_uses(const sj_graph *g, const sj_graph_body *b) {
  unsigned n = 0;
  for (const sj_op *op = suffix_first(g, b); op; op = op->next)
    if (op->scratch == MOVE_MARK) n += op->nopnds;
  return n;
}

/* True if a moved op or a yield reads v. */
static bool read_inside(const sj_graph *g, const sj_graph_body *b, const sj_graph_scan_spec *s, const sj_value *v) {
  for (unsigned i = 0; i < s->nyield; i++)
    if (s->yields[i]->v == v) return true;
  for (const sj_op *op = suffix_first(g, b); op; op = op->next)
    if (op->scratch == MOVE_MARK)
      for (unsigned i = 0; i < op->nopnds; i++)
        if (sj_opnd(op, i) == v) return true;
  return false;
}

/* The result types of a scan with these yields (verify_scan's rule). */
static void result_types(const sj_graph_scan_spec *s, sj_type *rt) {
  int64_t steps = s->n || s->until ? SJ_DYN : INT64_MAX;
  for (unsigned i = 0; i < s->nseq; i++) {
    int64_t d = s->seqs[i]->v->type.dims[0];
    if (d == SJ_DYN) steps = SJ_DYN;
    else if (steps != SJ_DYN && d < steps) steps = d;
  }
  unsigned nres = s->nyield - s->until;
  for (unsigned i = 0; i < nres; i++) {
    sj_type t = s->yields[i]->v->type;
    if (!(s->last && s->last[i]) && t.rank < SJ_MAX_RANK) {
      memmove(t.dims + 1, t.dims, (size_t)t.rank * sizeof *t.dims);
      t.rank++;
      t.dims[0] = steps == SJ_DYN ? SJ_DYN : steps + (i < s->nstate);
    }
    rt[i] = t;
  }
}

static void set_scan_attrs(sj_ctx *c, sj_op *op, const sj_graph_scan_spec *s) {
  sj_op_set_int(c, op, "nseq", s->nseq);
  sj_op_set_int(c, op, "nstate", s->nstate);
  if (s->n) sj_op_set_bool(c, op, "has_n", true);
  if (s->until) sj_op_set_bool(c, op, "until", true);
  if (s->reverse) sj_op_set_bool(c, op, "reverse", true);
  int64_t last[64];
  int nlast = 0;
  for (unsigned i = 0; s->last && i < s->nyield - s->until && nlast < 64; i++)
    if (s->last[i]) last[nlast++] = i;
  if (nlast) sj_op_set_ints(c, op, "last", nlast, last);
}

/* Allocates everything (captures, clones, the yield and the scan op); the
 * graph is unchanged until move_into_body. */
static sj_status end_protected(void *ud) {
  end_args *a = ud;
  sj_graph_body *b = a->b;
  const sj_graph_scan_spec *s = a->s;
  sj_ctx *c = b->c;
  sj_graph *g = sj_graph_of(c);
  unsigned nfixed = (s->n ? 1 : 0) + s->nseq + s->nstate + s->nnon;
  a->cap = sj_value_map_new(c);
  a->opnds = sj_scratch_calloc(nfixed + count_outer_uses(g, b) + s->nyield + 1, sizeof *a->opnds);
  if (s->n) a->opnds[a->nopnds++] = s->n->v;
  for (unsigned i = 0; i < s->nseq; i++) a->opnds[a->nopnds++] = s->seqs[i]->v;
  for (unsigned i = 0; i < s->nstate; i++) a->opnds[a->nopnds++] = s->inits[i]->v;
  for (unsigned i = 0; i < s->nnon; i++) {
    a->opnds[a->nopnds++] = s->nonseqs[i]->v;
    sj_value_map_set(a->cap, s->nonseqs[i]->v, b->block->args[s->nseq + s->nstate + i]);
  }
  for (unsigned k = 0; k < s->nprefer; k++)
    if (read_inside(g, b, s, s->prefer[k]->v)) capture(a, s->prefer[k]->v);
  for (sj_op *op = suffix_first(g, b); op; op = op->next)
    if (op->scratch == MOVE_MARK)
      for (unsigned i = 0; i < op->nopnds; i++) capture(a, sj_opnd(op, i));
  sj_value **ys = sj_scratch_calloc(s->nyield + 1, sizeof *ys);
  for (unsigned i = 0; i < s->nyield; i++) ys[i] = capture(a, s->yields[i]->v);
  sj_loc loc = {sj_intern(c, a->file ? a->file : "<unknown>"), a->line, 0};
  a->yield = sj_op_new(c, SJ_OP_YIELD, s->nyield, ys, 0, NULL, 0, loc);
  sj_scratch_free(ys);
  unsigned nres = s->nyield - s->until;
  sj_type *rt = sj_scratch_calloc(nres + 1, sizeof *rt);
  result_types(s, rt);
  sj_op *op = sj_op_new(c, SJ_OP_SCAN, a->nopnds, a->opnds, nres, rt, 1, loc);
  a->scan = op;
  sj_scratch_free(rt);
  set_scan_attrs(c, op, s);
  for (unsigned i = 0; a->results && i < nres; i++) a->results[i] = sj_graph_var(c, sj_res(op, i));
  return SJ_OK;
}

/* No allocation: the constants' clones, then the marked ops in creation
 * order, their outer operands replaced by the captures, then the yield. */
static void move_into_body(sj_graph *g, end_args *a) {
  sj_graph_body *b = a->b;
  for (size_t i = 0; i < a->consts.n; i++) sj_block_append(b->block, a->consts.v[i]);
  sj_op *next;
  for (sj_op *op = suffix_first(g, b); op; op = next) {
    next = op->next;
    if (op->scratch != MOVE_MARK) continue;
    sj_op_unlink(op);
    for (unsigned i = 0; i < op->nopnds; i++) {
      sj_value *v = sj_opnd(op, i), *t = bound(b, v);
      if (!t) t = sj_value_map_find(a->cap, v);
      if (t && t != v) sj_op_set_operand(op, i, t);
    }
    sj_block_append(b->block, op);
  }
  for (sj_op *op = b->block->first; op; op = op->next) op->scratch = 0;
  sj_block_append(b->block, a->yield);
  /* the op adopts the body (its own empty region is dropped) */
  a->scan->regions[0] = b->block;
  b->block->parent = a->scan;
}

/* Outer operands must be graph values (or placeholders of open bodies);
 * yields may also be inside b. */
static bool spec_ok(sj_ctx *c, const sj_graph_body *b, const sj_graph_scan_spec *s) {
  sj_graph *g = sj_graph_of(c);
  if (!s || s->nyield < (unsigned)s->until || (s->nseq && !s->seqs) || (s->nstate && !s->inits) ||
      (s->nnon && !s->nonseqs) || (s->nyield && !s->yields) || (s->n && s->n->kind == VAR_POISON))
    return false;
  for (unsigned i = 0; i < s->nseq; i++)
    if (!s->seqs[i] || s->seqs[i]->kind == VAR_POISON || s->seqs[i]->v->type.rank < 1 ||
        !sj_graph_visible(c, s->seqs[i]->v))
      return false;
  for (unsigned i = 0; i < s->nstate; i++)
    if (!s->inits[i] || s->inits[i]->kind == VAR_POISON || !sj_graph_visible(c, s->inits[i]->v)) return false;
  for (unsigned i = 0; i < s->nnon; i++)
    if (!s->nonseqs[i] || s->nonseqs[i]->kind == VAR_POISON || !sj_graph_visible(c, s->nonseqs[i]->v)) return false;
  for (unsigned i = 0; i < s->nyield; i++)
    if (!s->yields[i] || s->yields[i]->kind == VAR_POISON ||
        !(sj_graph_visible(c, s->yields[i]->v) || inside(g, b, s->yields[i]->v)))
      return false;
  return !s->n || sj_graph_visible(c, s->n->v);
}

sj_status sj_graph_scan_end(sj_graph_body *b, const sj_graph_scan_spec *s, sj_var **results, const char *file,
                            int line) {
  sj_ctx *c = b->c;
  sj_graph *g = sj_graph_of(c);
  unsigned nres = s && s->nyield >= (unsigned)s->until ? s->nyield - s->until : 0;
  for (unsigned i = 0; results && i < nres; i++) results[i] = g->poison;
  if (g->body != b) { /* a body left open inside this one: misuse of the internal API */
    for (sj_graph_body *o = g->body; o && o != b; o = o->outer) sj_graph_body_abandon(o);
    sj_graph_fail(c, file, line, "scan: a nested scan body was not ended");
  }
  mark_dependent(g, b);
  if (!g->failed && !spec_ok(c, b, s)) sj_graph_fail(c, file, line, "scan: invalid operands or yields");
  if (!g->failed && nres > 64) sj_graph_fail(c, file, line, "scan: %u results, at most 64", nres);
  if (g->failed) {
    drop_marked(g, b);
    close_body(g, b);
    return g->status;
  }
  end_args a = {.b = b, .s = s, .results = results, .file = file, .line = line};
  sj_status st = sj_ctx_protect(c, end_protected, &a);
  if (st) { /* out of memory: nothing moved yet (the unwind freed the scratch blocks) */
    if (a.scan) sj_op_drop_operands(a.scan);
    if (a.yield) sj_op_drop_operands(a.yield);
    g->failed = true;
    g->status = SJ_ERR_NOMEM;
    drop_marked(g, b);
    close_body(g, b);
    for (unsigned i = 0; results && i < nres; i++) results[i] = g->poison;
    return g->status;
  }
  move_into_body(g, &a);
  sj_scratch_free(a.opnds);
  sj_op_vec_free(&a.consts);
  close_body(g, b);
  if (sj_verify_attrs(c, a.scan) != SJ_OK || sj_verify_op(c, a.scan) != SJ_OK) {
    sj_op_drop_operands(a.scan); /* the body goes with it */
    g->failed = true;
    g->status = SJ_ERR_VERIFY;
    for (unsigned i = 0; results && i < nres; i++) results[i] = g->poison;
    return g->status;
  }
  sj_block_append(g->block, a.scan);
  return SJ_OK;
}

/* ---- recomputing a finished body ---- */

typedef struct inline_args {
  sj_ctx *c;
  const sj_op *scan;
  sj_var *const *args;
  sj_var **yields;
  sj_value_map *map;
} inline_args;

static sj_status inline_protected(void *ud) {
  inline_args *a = ud;
  sj_ctx *c = a->c;
  sj_graph *g = sj_graph_of(c);
  const sj_block *body = a->scan->regions[0];
  sj_value_map *m = a->map ? a->map : sj_value_map_new(c);
  for (unsigned i = 0; i < body->nargs; i++) sj_value_map_set(m, body->args[i], a->args[i]->v);
  const sj_op *y = body->last;
  sj_op_vec clones = {0};
  for (const sj_op *op = body->first; op && op != y; op = op->next) sj_op_vec_push(&clones, sj_op_clone(c, op, m));
  for (unsigned i = 0; i < y->nopnds; i++) a->yields[i] = sj_graph_var(c, sj_value_map_get(m, sj_opnd(y, i)));
  for (size_t i = 0; i < clones.n; i++) sj_block_append(g->block, clones.v[i]); /* last: no unwind after */
  sj_op_vec_free(&clones);
  return SJ_OK;
}

sj_status sj_graph_inline_body(sj_ctx *c, const sj_op *scan, sj_var *const *args, sj_var **yields,
                               sj_value_map *map, const char *file, int line) {
  sj_graph *g = sj_graph_of(c);
  if (g->failed) return g->status;
  if (!scan || scan->code != SJ_OP_SCAN || scan->nregions != 1 || !scan->regions[0]->last) {
    sj_graph_fail(c, file, line, "scan: no body to recompute");
    return g->status;
  }
  const sj_block *body = scan->regions[0];
  for (unsigned i = 0; i < body->nargs; i++) {
    if (!args[i] || args[i]->kind == VAR_POISON || !sj_type_eq(&args[i]->v->type, &body->args[i]->type)) {
      char x[SJ_TYPE_STR_CAP];
      sj_graph_fail(c, file, line, "scan: argument %u of the recomputed body must be %s", i,
                    sj_type_str(&body->args[i]->type, x, sizeof x));
      return g->status;
    }
  }
  inline_args a = {c, scan, args, yields, map};
  sj_status st = sj_ctx_protect(c, inline_protected, &a);
  if (st) {
    g->failed = true;
    g->status = SJ_ERR_NOMEM;
  }
  return st;
}

/* ---- gradient options of sj_scan's ops ---- */

typedef struct opts_args {
  sj_ctx *c;
  sj_op *scan;
  int truncate, checkpoint;
  sj_var *dummy;
} opts_args;

static sj_status opts_protected(void *ud) {
  opts_args *a = ud;
  if (a->truncate) sj_op_set_int(a->c, a->scan, SJ_SCAN_ATTR_TRUNCATE, a->truncate);
  if (a->checkpoint) sj_op_set_int(a->c, a->scan, SJ_SCAN_ATTR_CHECKPOINT, a->checkpoint);
  return SJ_OK;
}

void sj_graph_scan_grad_options(const sj_op *scan, int *truncate_gradient, int *checkpoint) {
  *truncate_gradient = (int)sj_op_int(scan, SJ_SCAN_ATTR_TRUNCATE, 0);
  *checkpoint = (int)sj_op_int(scan, SJ_SCAN_ATTR_CHECKPOINT, 0);
}

/* Records them on the op that made v (an sj_scan result); default options
 * record nothing. */
static void record_grad_options(sj_ctx *c, const sj_scan_options *o, sj_op *scan) {
  int t = o->truncate_gradient > 0 ? o->truncate_gradient : 0, k = o->checkpoint > 1 ? o->checkpoint : 0;
  if (!scan || (!t && !k)) return;
  opts_args a = {c, scan, t, k, NULL};
  sj_graph_guard(c, opts_protected, &a, &a.dummy);
}

/* ---- sj_scan ---- */

/* What sj_scan needs besides the user's options: the placeholders it made,
 * the op's layout and the call site. */
typedef struct scan_build {
  sj_ctx *c;
  const sj_scan_options *o;
  const char *file;
  int line;
  int *taps;            /* per output: its taps (0: only collected) */
  sj_var **seqs;        /* sequences as iterated (flipped for go_backwards) */
  sj_var **inits;       /* one per state: the user's shift states, then the updated shared variables */
  sj_var **args;        /* what the step receives */
  unsigned nstate_user; /* states of the user's outputs (sum of taps) */
} scan_build;

static sj_status scan_fail(sj_ctx *c, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static sj_status scan_fail(sj_ctx *c, const char *file, int line, const char *fmt, ...) {
  char msg[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  sj_graph_fail(c, file, line, "sj_scan: %s", msg);
  return sj_graph_of(c)->status;
}

static bool usable(sj_ctx *c, const sj_var *v) { return v && v->kind != VAR_POISON && v->c == c; }

/* SJ_OK when v can be used; else the error (what, index i) is recorded: a
 * variable built while out of memory makes it an out-of-memory failure. */
static sj_status check_var(sj_ctx *c, const sj_var *v, const char *file, int line, const char *what, size_t i) {
  if (usable(c, v)) return SJ_OK;
  if (v && v->kind == VAR_POISON && !v->c) {
    scan_fail(c, file, line, "%s %zu was built while out of memory", what, i);
    sj_graph_of(c)->status = SJ_ERR_NOMEM;
    return SJ_ERR_NOMEM;
  }
  return scan_fail(c, file, line, "%s %zu is %s", what, i, !v ? "NULL" : v->c != c ? "from another context" : "invalid");
}

/* The option checks that need no step (Theano's scan raises them too). */
static sj_status check_options(sj_ctx *c, const sj_scan_options *o, int *taps, const char *file, int line) {
  char d[200];
  if ((o->nseq && !o->sequences) || (o->nnonseq && !o->non_sequences))
    return scan_fail(c, file, line, "%s is NULL but its count is %zu", o->nseq && !o->sequences ? "sequences" : "non_sequences",
                     o->nseq && !o->sequences ? o->nseq : o->nnonseq);
  if (o->nout > 64 || o->nseq > 64 || o->nnonseq > 64)
    return scan_fail(c, file, line, "at most 64 outputs, sequences and non-sequences each");
  for (size_t i = 0; i < o->nseq; i++) {
    sj_status s = check_var(c, o->sequences[i], file, line, "sequence", i);
    if (s) return s;
    if (o->sequences[i]->v->type.rank < 1)
      return scan_fail(c, file, line, "sequence %zu %s has rank 0 (a sequence is iterated along its leading axis)", i,
                       sj_graph_describe(o->sequences[i], d, sizeof d));
  }
  for (size_t i = 0; i < o->nnonseq; i++)
    if (check_var(c, o->non_sequences[i], file, line, "non-sequence", i)) return sj_graph_of(c)->status;
  if (o->n_steps) {
    if (check_var(c, o->n_steps, file, line, "n_steps", 0)) return sj_graph_of(c)->status;
    const sj_type *t = &o->n_steps->v->type;
    if (t->rank != 0 || (t->dt != SJ_I32 && t->dt != SJ_I64))
      return scan_fail(c, file, line, "n_steps must be an i32 or i64 scalar (rank 0), got %s",
                       sj_graph_describe(o->n_steps, d, sizeof d));
  } else if (!o->nseq) {
    return scan_fail(c, file, line, "no sequence and no n_steps: the number of steps is unknown");
  }
  if (o->truncate_gradient < -1 || o->checkpoint < 0)
    return scan_fail(c, file, line, "truncate_gradient must be -1, 0 or k > 0 and checkpoint 0 or k > 0 (got %d and %d)",
                     o->truncate_gradient, o->checkpoint);
  for (size_t i = 0; i < o->nout; i++) {
    sj_var *init = o->outputs_info ? o->outputs_info[i] : NULL;
    taps[i] = 0;
    if (!init) continue;
    if (check_var(c, init, file, line, "the initial value of output", i)) return sj_graph_of(c)->status;
    int k = o->ntaps ? o->ntaps[i] : 1;
    if (k < 1 || k > 16) return scan_fail(c, file, line, "output %zu has %d taps (1 to 16: taps -k..-1)", i, k);
    taps[i] = k;
    if (k == 1) continue;
    const sj_type *t = &init->v->type;
    if (t->rank < 1 || t->dims[0] == SJ_DYN || t->dims[0] < k)
      return scan_fail(c, file, line,
                       "output %zu has taps -%d..-1, so its initial value needs a leading axis of at least %d rows (oldest "
                       "first), but it is %s",
                       i, k, k, sj_graph_describe(init, d, sizeof d));
  }
  return SJ_OK;
}

/* The row type of a sequence / the state type of a k-tap initial value. */
static sj_type drop_lead(sj_type t) {
  memmove(t.dims, t.dims + 1, (size_t)(t.rank - 1) * sizeof *t.dims);
  t.rank--;
  return t;
}

/* Sequences as iterated and the states' initial values: outside the loop. */
static sj_status outer_operands(scan_build *sb) {
  sj_ctx *c = sb->c;
  const sj_scan_options *o = sb->o;
  for (size_t i = 0; i < o->nseq; i++) {
    sj_slice_spec rev = {SJ_OMIT, SJ_OMIT, -1};
    sb->seqs[i] = o->go_backwards ? sj_slice_at(o->sequences[i], 1, &rev, sb->file, sb->line) : o->sequences[i];
  }
  unsigned k = 0;
  for (size_t i = 0; i < o->nout; i++) {
    sj_var *init = o->outputs_info ? o->outputs_info[i] : NULL;
    if (sb->taps[i] == 1) sb->inits[k++] = init;
    for (int j = 0; sb->taps[i] > 1 && j < sb->taps[i]; j++) sb->inits[k++] = sj_index_at(init, 0, j, sb->file, sb->line);
  }
  sb->nstate_user = k;
  return sj_graph_of(c)->failed ? sj_graph_of(c)->status : SJ_OK;
}

/* Checks what the step filled in (counts, types, condition, updates). */
static sj_status check_step(scan_build *sb, const sj_scan_step *st, size_t cap) {
  sj_ctx *c = sb->c;
  const sj_scan_options *o = sb->o;
  const char *file = sb->file;
  int line = sb->line;
  char x[200], y[200];
  if (st->nout != o->nout)
    return scan_fail(c, file, line, "the step function set nout to %zu; the options declare %zu outputs", st->nout, o->nout);
  for (size_t i = 0; i < o->nout; i++) {
    sj_var *v = st->outputs[i];
    if (!v) return scan_fail(c, file, line, "the step function did not set output %zu (of %zu)", i, o->nout);
    if (check_var(c, v, file, line, "the step's output", i)) return sj_graph_of(c)->status;
    if (!sb->taps[i]) continue;
    sj_type want = sb->taps[i] > 1 ? drop_lead(o->outputs_info[i]->v->type) : o->outputs_info[i]->v->type;
    if (!sj_type_eq(&want, &v->v->type)) {
      char w[SJ_TYPE_STR_CAP];
      sj_status s = scan_fail(c, file, line,
                              "output %zu of the step is %s but its initial value%s is %s: a state must keep its %s",
                              i, sj_graph_describe(v, x, sizeof x), sb->taps[i] > 1 ? " (one row)" : "",
                              sj_type_str(&want, w, sizeof w), want.dt != v->v->type.dt ? "dtype" : "shape");
      if (v->v->def && v->v->def->loc.file)
        sj_emit_diag(c, SJ_SEV_NOTE, v->v->def->loc, "output %zu of the step was built here", i);
      return s;
    }
  }
  if (st->until) {
    if (check_var(c, st->until, file, line, "the stop condition (until), output", o->nout)) return sj_graph_of(c)->status;
    const sj_type *t = &st->until->v->type;
    if (t->dt != SJ_BOOL || t->rank != 0)
      return scan_fail(c, file, line, "the stop condition (until) must be a bool scalar (rank 0), got %s",
                       sj_graph_describe(st->until, x, sizeof x));
  }
  if (st->nupdates && !st->updates) return scan_fail(c, file, line, "the step set %zu updates but updates is NULL", st->nupdates);
  if (st->nupdates > cap)
    return scan_fail(c, file, line, "the step returns %zu updates but the caller has room for %zu", st->nupdates, cap);
  if (st->nupdates > 32) return scan_fail(c, file, line, "the step returns %zu updates, at most 32", st->nupdates);
  for (size_t i = 0; i < st->nupdates; i++) {
    const sj_update *u = &st->updates[i];
    if (u->shared && u->shared->kind == VAR_POISON && check_var(c, u->shared, file, line, "the shared variable of the step's update", i))
      return sj_graph_of(c)->status;
    if (!u->shared || u->shared->c != c || u->shared->kind != VAR_SHARED)
      return scan_fail(c, file, line, "update %zu of the step targets something that is not a shared variable", i);
    if (check_var(c, u->value, file, line, "the value of the step's update", i)) return sj_graph_of(c)->status;
    if (!sj_type_eq(&u->shared->v->type, &u->value->v->type))
      return scan_fail(c, file, line, "update %zu of the step gives shared variable %s the value %s", i,
                       sj_graph_describe(u->shared, x, sizeof x), sj_graph_describe(u->value, y, sizeof y));
    for (size_t j = 0; j < i; j++)
      if (st->updates[j].shared == u->shared)
        return scan_fail(c, file, line, "the step updates shared variable '%s' twice", sj_var_name(u->shared));
  }
  return SJ_OK;
}

/* The op's yields in its order: the user's states (shifted taps), the
 * updated shared variables, the collected outputs, the condition. */
static unsigned scan_yields(const scan_build *sb, const sj_scan_step *st, const sj_update *upd, size_t nupd,
                            sj_var *const *state_ph, sj_var **ys, bool *last) {
  const sj_scan_options *o = sb->o;
  unsigned n = 0, k = 0;
  for (size_t i = 0; i < o->nout; i++) {
    /* the older taps' rows repeat the newest one's, shifted: only their final value is kept */
    for (int j = 0; j + 1 < sb->taps[i]; j++) last[n] = true, ys[n++] = state_ph[k + (unsigned)j + 1];
    if (sb->taps[i]) last[n] = false, ys[n++] = st->outputs[i];
    k += (unsigned)sb->taps[i];
  }
  for (size_t i = 0; i < nupd; i++) last[n] = false, ys[n++] = upd[i].value;
  for (size_t i = 0; i < o->nout; i++)
    if (!sb->taps[i]) last[n] = o->return_last && o->return_last[i], ys[n++] = st->outputs[i];
  if (st->until) last[n] = false, ys[n++] = st->until;
  return n;
}

/* The user's view of the op's results: states without their initial row
 * (or their last row), collected outputs as they are; the updates' final
 * values: the step's own updates returned, the default ones (upd[nexp..])
 * become their variables' default updates. */
static void user_results(const scan_build *sb, const sj_update *upd, size_t nexp, size_t nupd, sj_var *const *res,
                         sj_var **results, sj_update *updates) {
  const sj_scan_options *o = sb->o;
  unsigned k = 0, nstate = sb->nstate_user + (unsigned)nupd, j = 0;
  sj_slice_spec drop_init = {1, SJ_OMIT, 1};
  for (size_t i = 0; i < o->nout; i++) {
    bool want_last = o->return_last && o->return_last[i];
    if (sb->taps[i]) {
      k += (unsigned)sb->taps[i];
      sj_var *r = res[k - 1];
      results[i] = want_last ? sj_index_at(r, 0, -1, sb->file, sb->line) : sj_slice_at(r, 1, &drop_init, sb->file, sb->line);
    } else {
      results[i] = res[nstate + j++];
    }
  }
  for (size_t i = 0; i < nupd; i++) {
    sj_var *fin = sj_index_at(res[sb->nstate_user + i], 0, -1, sb->file, sb->line);
    if (i < nexp) updates[i] = (sj_update){upd[i].shared, fin};
    else if (fin->kind != VAR_POISON) upd[i].shared->default_update = fin; /* the loop's end, not one step's */
  }
}

/* v was built since b began (an op of the step, or one of b's placeholders). */
static bool built_in_step(const sj_graph *g, const sj_graph_body *b, const sj_value *v) {
  if (!v->def) return v->owner == b->block;
  for (const sj_op *op = suffix_first(g, b); op; op = op->next)
    if (op == v->def) return true;
  return false;
}

/* Appends to upd (n explicit ones) the shared variables whose default
 * update was built in this step (a random draw's state) and that the step
 * does not update itself: like the explicit ones they become states, each
 * step reading the previous step's value (Theano's scan collects them the
 * same way). */
static size_t with_default_updates(const sj_graph *g, const sj_graph_body *b, sj_update *upd, size_t n, size_t cap) {
  for (size_t i = 0; i < g->nleaves && n < cap; i++) {
    sj_var *l = g->leaves[i];
    if (l->kind != VAR_SHARED || !l->default_update || l->default_update->kind == VAR_POISON) continue;
    bool explicit = false;
    for (size_t k = 0; k < n && !explicit; k++) explicit = upd[k].shared == l;
    if (!explicit && built_in_step(g, b, l->default_update->v)) upd[n++] = (sj_update){l, l->default_update};
  }
  return n;
}

/* "<name><suffix>[<k>]" of a named variable, else NULL. */
static const char *suffixed(char *buf, size_t cap, const sj_var *v, const char *suffix, int k) {
  if (!v->name) return NULL;
  if (k) snprintf(buf, cap, "%.120s%s%d", v->name, suffix, k);
  else snprintf(buf, cap, "%.120s%s", v->name, suffix);
  return buf;
}

/* Runs the step on placeholders and builds the op (the body is open). */
static sj_status build_body(scan_build *sb, sj_graph_body *b, sj_scan_fn fn, void *ud, sj_var **results,
                            sj_update *updates, size_t cap, size_t *nupdates) {
  sj_ctx *c = sb->c;
  sj_graph *g = sj_graph_of(c);
  const sj_scan_options *o = sb->o;
  unsigned na = 0;
  char nm[160];
  for (size_t i = 0; i < o->nseq; i++) /* Theano's names: u_t, x_tm1, x_tm2 (messages and printed IR) */
    sb->args[na++] = sj_graph_body_arg(b, drop_lead(sb->seqs[i]->v->type), suffixed(nm, sizeof nm, o->sequences[i], "_t", 0));
  sj_var **state_ph = sb->args + na;
  for (size_t i = 0, k = 0; i < o->nout; i++)
    for (int j = 0; j < sb->taps[i]; j++, k++)
      sb->args[na++] = sj_graph_body_arg(b, sb->inits[k]->v->type, suffixed(nm, sizeof nm, o->outputs_info[i], "_tm", sb->taps[i] - j));
  for (size_t i = 0; i < o->nnonseq; i++) sb->args[na++] = o->non_sequences[i];
  if (g->failed) return g->status;
  sj_var *outs[64] = {0};
  sj_scan_step st = {.args = sb->args, .nargs = na, .outputs = outs, .nout = o->nout};
  fn(c, &st, ud);
  if (g->failed) {
    sj_loc at = {sb->file, sb->line, 0};
    sj_emit_diag(c, SJ_SEV_NOTE, at, "in the step function of this sj_scan");
    return g->status;
  }
  sj_status s = check_step(sb, &st, updates ? cap : 0);
  if (s) return s;
  sj_update upd[65];
  for (size_t i = 0; i < st.nupdates; i++) upd[i] = st.updates[i];
  size_t nupd = with_default_updates(g, b, upd, st.nupdates, 64);
  size_t ncollect = 0;
  for (size_t i = 0; i < o->nout; i++) ncollect += !sb->taps[i];
  if (sb->nstate_user + nupd + ncollect > 64)
    return scan_fail(c, sb->file, sb->line, "%zu states and outputs, at most 64", sb->nstate_user + nupd + ncollect);
  if (!o->nout && !nupd) return scan_fail(c, sb->file, sb->line, "the step has no outputs and no updates");
  /* a shared variable the step updates is a state: each step reads the previous step's value (Theano) */
  for (size_t i = 0; i < nupd; i++) {
    sj_var *sh = upd[i].shared;
    sb->inits[sb->nstate_user + i] = sh;
    sj_graph_body_bind(b, sh, sj_graph_body_arg(b, sh->v->type, sh->name));
  }
  if (g->failed) return g->status;
  sj_var *ys[65], *res[64];
  bool last[65];
  unsigned ny = scan_yields(sb, &st, upd, nupd, state_ph, ys, last);
  sj_graph_scan_spec spec = {.n = o->n_steps, .seqs = sb->seqs, .nseq = (unsigned)o->nseq, .inits = sb->inits,
                             .nstate = sb->nstate_user + (unsigned)nupd, .yields = ys, .nyield = ny,
                             .until = st.until != NULL, .last = last, .prefer = o->non_sequences,
                             .nprefer = (unsigned)o->nnonseq};
  s = sj_graph_scan_end(b, &spec, res, sb->file, sb->line);
  if (s) return s;
  record_grad_options(c, o, sj_graph_scan_of(res[0]));
  user_results(sb, upd, st.nupdates, nupd, res, results, updates);
  if (g->failed) return g->status;
  if (nupdates) *nupdates = st.nupdates;
  return SJ_OK;
}

sj_status sj_scan_at(sj_ctx *c, sj_scan_fn fn, void *ud, const sj_scan_options *o, sj_var **results,
                     sj_update *updates, size_t cap, size_t *nupdates, const char *file, int line) {
  if (nupdates) *nupdates = 0;
  if (!c) return SJ_ERR_INVALID;
  sj_graph *g = sj_graph_of(c);
  size_t nout = o ? o->nout : 0;
  for (size_t i = 0; results && i < nout; i++) results[i] = g->poison;
  if (g->failed) return g->status;
  if (!fn || !o || (nout && !results) || (cap && !updates))
    return scan_fail(c, file, line, "%s is NULL", !fn ? "the step function" : !o ? "the options" : !results ? "results" : "updates");
  int taps[64] = {0};
  sj_status s = check_options(c, o, taps, file, line);
  if (s) return s;
  sj_var *seqs[64], *inits[64 * 16 + 32], *args[64 * 16 + 128];
  scan_build sb = {c, o, file, line, taps, seqs, inits, args, 0};
  s = outer_operands(&sb);
  if (s) return s;
  sj_graph_body b;
  if (!sj_graph_body_begin(c, &b)) return g->status;
  sj_update upd[32];
  s = build_body(&sb, &b, fn, ud, results, upd, updates ? cap : 0, nupdates);
  if (g->body == &b) sj_graph_body_abandon(&b); /* failed before the end */
  if (s || g->failed) {
    for (size_t i = 0; i < nout; i++) results[i] = g->poison;
    if (nupdates) *nupdates = 0;
    return g->status ? g->status : s;
  }
  for (size_t i = 0; nupdates && i < *nupdates; i++) updates[i] = upd[i];
  return SJ_OK;
}
