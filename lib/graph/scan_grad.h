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

/* Attributes (discardable, dotted) that sj_scan sets on the op for its
 * gradient: the truncation depth and the checkpoint interval. */
#define SJ_SCAN_ATTR_TRUNCATE "grad.truncate"
#define SJ_SCAN_ATTR_CHECKPOINT "grad.checkpoint"
/* Records sj_scan_options.truncate_gradient (> 0) and .checkpoint (> 1) on
 * the scan op that made res (no-op for other values or 0s). */
void sj_graph_scan_grad_options(sj_var *res, int truncate_gradient, int checkpoint);
/* On a scan rebuilt for its gradient: the index of the result that counts
 * the steps executed (a last-only i64 state). */
#define SJ_SCAN_ATTR_STEPS "grad.steps"
#endif
