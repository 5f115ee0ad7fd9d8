/* Reverse mode through scan (scan_grad.c, docs/decisions/0017-bptt.md):
 * the VJP rule of the scan op, called by grad.c's sweep. */
#ifndef SJ_SCAN_GRAD_H
#define SJ_SCAN_GRAD_H
#include "graph_internal.h"

/* The gradients of scan op F's operands given the cotangents of its
 * results (gres[i], NULL where none reached result i): r[j] for operand j
 * where want[j] (left NULL otherwise and for integer operands). Builds a
 * scan that runs the other way over F's saved states; may first rebuild F
 * in place (all state rows kept, a step counter added) and point F's uses
 * at the rebuilt op. Errors go to the graph (file:line is sj_grad's call). */
void sj_graph_scan_vjp(sj_op *F, sj_var *const *gres, const bool *want, sj_var **r, const char *file, int line);

/* Discardable (dotted) attributes the gradient puts on the loops it
 * rebuilds: the truncation depth and checkpoint interval of the original
 * (sj_scan keeps them in the graph: sj_graph_scan_grad_options). */
#define SJ_SCAN_ATTR_TRUNCATE "grad.truncate"
#define SJ_SCAN_ATTR_CHECKPOINT "grad.checkpoint"
/* Rewrites scan op F for checkpointed BPTT (grad.checkpoint = k) when it
 * applies (a forward loop of static n = m k steps, its states read only
 * at their final row): a loop over m segments of k steps keeping the m+1
 * segment-start states, F's uses pointed at it. Called by sj_grad before
 * its sweep on every op; a no-op for other ops and loops. */
void sj_graph_scan_checkpoint(sj_ctx *c, sj_op *F, const char *file, int line);
/* On a scan rebuilt for its gradient: the index of the result that counts
 * the steps executed (a last-only i64 state). */
#define SJ_SCAN_ATTR_STEPS "grad.steps"
/* On a loop whose steps BPTT recomputes instead of saving what the sweep
 * reads (the segment loop of checkpointing; docs/decisions/0026). */
#define SJ_SCAN_ATTR_RECOMPUTE "grad.recompute"
#endif
