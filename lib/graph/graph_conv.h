/* The conv2d op family in the graph (conv.c): the builder the VJP rules
 * of grad.c use. */
#ifndef SJ_GRAPH_CONV_H
#define SJ_GRAPH_CONV_H
#include "graph_internal.h"

/* conv2d (2 operands), conv2d_input_grad or conv2d_filter_grad (3) with
 * the stride/pad/dilation/groups of `from` (a verified op of the family). */
sj_var *sj_graph_conv_op(sj_opcode code, sj_var *const *args, const sj_op *from, const char *file, int line);
#endif
