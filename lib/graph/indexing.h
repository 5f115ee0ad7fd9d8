/* Internals of the indexing builders (indexing.c) used by the gradient
 * rules of slice, slice_update and index_update (grad.c). */
#ifndef SJ_GRAPH_INDEXING_H
#define SJ_GRAPH_INDEXING_H
#include "graph_internal.h"

/* slice of x with the start/stop/step of `like` (a slice or slice_update
 * op over a value of x's shape). */
sj_var *sj_graph_slice_as(const sj_op *like, sj_var *x, const char *file, int line);
/* slice_update of x by y with like's start/stop/step; mode "set" or "add". */
sj_var *sj_graph_slice_update_as(const sj_op *like, sj_var *x, sj_var *y, const char *mode, const char *file,
                                 int line);
sj_var *sj_graph_index_update(sj_var *x, sj_var *idx, sj_var *y, int axis, const char *mode, const char *file,
                              int line);
/* Which updates of index_update(x, idx, y, axis, "set") survive: a bool
 * tensor broadcastable to take(x, idx, axis)'s shape, true where the index
 * position is the last one naming its row. idx needs a static shape. */
sj_var *sj_graph_index_set_winners(sj_var *x, sj_var *idx, int axis, const char *file, int line);
#endif
