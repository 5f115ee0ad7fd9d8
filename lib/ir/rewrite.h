/* Greedy pattern-rewrite driver shared by passes (as MLIR's greedy driver
 * and Theano's equilibrium optimizer): a worklist of ops, each pattern tried
 * on each op, affected ops re-queued, until nothing changes. */
#ifndef SJ_REWRITE_H
#define SJ_REWRITE_H
#include <stdint.h>

#include "ir.h"

typedef struct sj_rewriter sj_rewriter;
/* Returns true if it changed the IR (through the sj_rw_* calls only). */
typedef bool (*sj_pattern_fn)(sj_rewriter *rw, sj_op *op);
typedef struct sj_pattern {
  const char *name;
  sj_pattern_fn fn;
} sj_pattern;

sj_ctx *sj_rw_ctx(sj_rewriter *rw);
/* Creates an op before `pos` and queues it. */
sj_op *sj_rw_create(sj_rewriter *rw, sj_op *pos, sj_opcode code, unsigned nopnds,
                    sj_value *const *opnds, sj_type rtype);
/* Inserts an already built op before `pos` and queues it. */
void sj_rw_insert(sj_rewriter *rw, sj_op *pos, sj_op *op);
/* Replaces every use of op's results by `vals` and erases op. */
void sj_rw_replace_op(sj_rewriter *rw, sj_op *op, sj_value *const *vals);
void sj_rw_replace_value(sj_rewriter *rw, sj_value *from, sj_value *to);
void sj_rw_erase_op(sj_rewriter *rw, sj_op *op);
/* Re-queues op and its users after an in-place change. */
void sj_rw_changed(sj_rewriter *rw, sj_op *op);

/* What a run of the driver did, for pass statistics. */
typedef struct sj_rewrite_counts {
  uint64_t *applied; /* successful applications per pattern (npats entries), or NULL */
  uint64_t dead;     /* trivially dead ops the driver erased */
} sj_rewrite_counts;

/* Runs `pats` to a fixed point over every op of the module. Trivially dead
 * pure ops are erased as they are met. Fails if it does not converge.
 * counts (may be NULL) is added to, not reset. */
sj_status sj_apply_patterns(sj_module *m, const sj_pattern *pats, size_t npats, sj_rewrite_counts *counts);
/* A pattern pass: applies pats, then adds each pattern's applications to
 * statistic k of run (pats[k] is counted as statistic k) and the ops erased
 * as dead to statistic `dead_stat`. */
struct sj_pass_run;
sj_status sj_apply_patterns_counted(sj_module *m, const sj_pattern *pats, size_t npats, struct sj_pass_run *run,
                                    unsigned dead_stat);
#endif
