/* Graphviz dot output of a module's funcs (docs/debugging.md): ops as
 * nodes, value types on the edges, ops with regions (`fused`, loops) and
 * kernel launches as clusters holding their bodies. Read-only on the IR. */
#ifndef SJ_DOT_H
#define SJ_DOT_H
#include <stdio.h>

#include "ir.h"

/* One `digraph` per func of m (only @func when func is non-NULL), then one
 * per kernel that no printed func launches (none when func is non-NULL).
 * Deterministic: node ids follow the IR's order. */
void sj_print_dot(FILE *out, const sj_module *m, const char *func);
#endif
