/* The greedy rewrite driver. Ops are queued at most once at a time (scratch
 * bit 0 = queued, bit 1 = erased); erased ops stay in the arena so stale
 * worklist entries are safe to pop and skip. */
#include <stdlib.h>

#include "opinfo.h"
#include "pass.h"
#include "rewrite.h"

#define Q_QUEUED 1u
#define Q_ERASED 2u
/* Applications per op before we call it a rewrite cycle. */
#define MAX_REWRITES_PER_OP 64

struct sj_rewriter {
  sj_ctx *c;
  sj_op_vec work;
  bool changed;
};

sj_ctx *sj_rw_ctx(sj_rewriter *rw) { return rw->c; }

static void push(sj_rewriter *rw, sj_op *op) {
  if (!op || (op->scratch & (Q_QUEUED | Q_ERASED))) return;
  op->scratch |= Q_QUEUED;
  sj_op_vec_push(&rw->work, op);
}

static void push_users(sj_rewriter *rw, sj_value *v) {
  for (sj_use *u = v->uses; u; u = u->next) push(rw, u->user);
}

void sj_rw_changed(sj_rewriter *rw, sj_op *op) {
  rw->changed = true;
  push(rw, op);
  for (unsigned i = 0; i < op->nresults; i++) push_users(rw, op->results[i]);
}

void sj_rw_insert(sj_rewriter *rw, sj_op *pos, sj_op *op) {
  sj_block_insert_before(pos, op);
  op->scratch = 0;
  rw->changed = true;
  push(rw, op);
}

sj_op *sj_rw_create(sj_rewriter *rw, sj_op *pos, sj_opcode code, unsigned nopnds,
                    sj_value *const *opnds, sj_type rtype) {
  sj_op *op = sj_op_new(rw->c, code, nopnds, opnds, 1, &rtype, 0, pos->loc);
  sj_rw_insert(rw, pos, op);
  return op;
}

static void mark_erased(sj_op *op, void *ud) {
  (void)ud;
  op->scratch |= Q_ERASED;
}

void sj_rw_erase_op(sj_rewriter *rw, sj_op *op) {
  /* operands' definitions may become dead */
  for (unsigned i = 0; i < op->nopnds; i++) {
    sj_value *v = sj_opnd(op, i);
    if (v && v->def) push(rw, v->def);
  }
  op->scratch |= Q_ERASED;
  for (unsigned r = 0; r < op->nregions; r++) sj_walk_block(op->regions[r], mark_erased, NULL);
  sj_op_erase(op);
  rw->changed = true;
}

void sj_rw_replace_value(sj_rewriter *rw, sj_value *from, sj_value *to) {
  push_users(rw, from);
  sj_value_replace_all_uses(from, to);
  if (to->def) push(rw, to->def);
  rw->changed = true;
}

void sj_rw_replace_op(sj_rewriter *rw, sj_op *op, sj_value *const *vals) {
  for (unsigned i = 0; i < op->nresults; i++) sj_rw_replace_value(rw, op->results[i], vals[i]);
  sj_rw_erase_op(rw, op);
}

static bool trivially_dead(const sj_op *op) {
  if (!sj_op_has(op, SJ_F_PURE) || sj_op_has(op, SJ_F_TERMINATOR)) return false;
  for (unsigned i = 0; i < op->nresults; i++)
    if (op->results[i]->uses) return false;
  return op->block != NULL;
}

sj_status sj_apply_patterns(sj_module *m, const sj_pattern *pats, size_t npats, sj_rewrite_counts *counts) {
  sj_rewriter rw = {.c = m->ctx};
  sj_op_vec all = {0};
  sj_collect_ops(m->body, &all);
  /* pop from the back: push in reverse so ops are visited in program order */
  for (size_t i = all.n; i-- > 0;) {
    all.v[i]->scratch = 0;
  }
  for (size_t i = all.n; i-- > 0;) push(&rw, all.v[i]);
  size_t budget = (all.n + 16) * MAX_REWRITES_PER_OP;
  sj_op_vec_free(&all);
  sj_status st = SJ_OK;
  while (rw.work.n) {
    sj_op *op = rw.work.v[--rw.work.n];
    op->scratch &= ~Q_QUEUED;
    if (op->scratch & Q_ERASED) continue;
    if (trivially_dead(op)) {
      sj_rw_erase_op(&rw, op);
      if (counts) counts->dead++;
      continue;
    }
    for (size_t k = 0; k < npats; k++) {
      if (pats[k].fn(&rw, op)) {
        if (budget-- == 0) {
          st = sj_emit_error(m->ctx, op->loc, "pattern rewriting did not converge (last: %s)",
                             pats[k].name);
          goto done;
        }
        if (counts && counts->applied) counts->applied[k]++;
        break; /* op may be gone; anything affected was re-queued */
      }
    }
  }
done:
  sj_op_vec_free(&rw.work);
  return st == SJ_OK ? SJ_OK : SJ_ERR_PASS;
}

sj_status sj_apply_patterns_counted(sj_module *m, const sj_pattern *pats, size_t npats, sj_pass_run *run,
                                    unsigned dead_stat) {
  uint64_t *applied = sj_scratch_calloc(npats ? npats : 1, sizeof *applied);
  if (!applied) return SJ_ERR_NOMEM;
  sj_rewrite_counts n = {.applied = applied};
  sj_status st = sj_apply_patterns(m, pats, npats, &n);
  for (unsigned k = 0; k < npats; k++) sj_pass_stat_add(run, k, applied[k]);
  sj_pass_stat_add(run, dead_stat, n.dead);
  sj_scratch_free(applied);
  return st;
}
