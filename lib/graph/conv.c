/* Graph API of the convolution (docs/decisions/0021-conv-pool.md):
 * sj_conv2d_at turns the user's options into the op's attributes ("same"
 * padding resolved here, on static shapes); the op's own inference checks
 * the shapes and names the user's file:line. */
#include <stdio.h>

#include "conv.h"
#include "graph_conv.h"

static void set_conv(sj_ctx *c, sj_op *op, const void *arg) { sj_conv_attrs_set(c, op, arg); }

sj_var *sj_graph_conv_op(sj_opcode code, sj_var *const *args, const sj_op *from, const char *file, int line) {
  sj_conv_attrs a = {{1, 1}, {0, 0, 0, 0}, {1, 1}, 1};
  char why[160];
  if (!sj_conv_attrs_get(from, &a, why, sizeof why)) a = (sj_conv_attrs){{1, 1}, {0, 0, 0, 0}, {1, 1}, 1};
  return sj_graph_op(code, code == SJ_OP_CONV2D ? 2 : 3, args, NULL, set_conv, &a, file, line);
}

static bool usable(const sj_var *v) { return v && v->kind != VAR_POISON; }

/* The options as attributes: 0 means 1 for stride, dilation and groups;
 * negative values and unknown padding modes are refused (message in why). */
static bool opts_attrs(const sj_conv2d_opts *o, sj_conv_attrs *a, char *why, size_t cap) {
  *a = (sj_conv_attrs){{1, 1}, {0, 0, 0, 0}, {1, 1}, 1};
  if (!o) return true;
  for (int i = 0; i < 2; i++) {
    if (o->stride[i] < 0 || o->dilation[i] < 0)
      return snprintf(why, cap, "stride and dilation must be >= 1 (0 means 1), got stride [%d, %d], dilation [%d, %d]",
                      o->stride[0], o->stride[1], o->dilation[0], o->dilation[1]),
             false;
    a->stride[i] = o->stride[i] ? o->stride[i] : 1;
    a->dilation[i] = o->dilation[i] ? o->dilation[i] : 1;
  }
  if (o->groups < 0) return snprintf(why, cap, "groups must be >= 1 (0 means 1), got %d", o->groups), false;
  a->groups = o->groups ? o->groups : 1;
  if (o->padding != SJ_PAD_EXPLICIT && o->padding != SJ_PAD_VALID && o->padding != SJ_PAD_SAME)
    return snprintf(why, cap, "padding must be SJ_PAD_EXPLICIT, SJ_PAD_VALID or SJ_PAD_SAME, got %d", o->padding), false;
  if (o->padding != SJ_PAD_EXPLICIT) return true;
  for (int i = 0; i < 4; i++) {
    if (o->pad[i] < 0)
      return snprintf(why, cap, "pads must be >= 0, got [%d, %d, %d, %d]", o->pad[0], o->pad[1], o->pad[2], o->pad[3]),
             false;
    a->pad[i] = o->pad[i];
  }
  return true;
}

/* "same": needs the static spatial dims of x and w (rank 4; other ranks
 * are left to the op's inference, which names them). */
static bool same_pads(const sj_type *x, const sj_type *w, sj_conv_attrs *a) {
  if (x->rank != 4 || w->rank != 4) return true;
  for (int ax = 0; ax < 2; ax++) {
    int64_t in = x->dims[2 + ax], k = w->dims[2 + ax];
    if (in < 0 || k < 1) return false;
    sj_conv_same_pad(in, k, a->stride[ax], a->dilation[ax], &a->pad[2 * ax], &a->pad[2 * ax + 1]);
  }
  return true;
}

sj_var *sj_conv2d_at(sj_var *x, sj_var *w, const sj_conv2d_opts *o, const char *file, int line) {
  sj_var *args[2] = {x, w};
  sj_conv_attrs a;
  char why[200], dx[200], dw[200];
  bool ok = opts_attrs(o, &a, why, sizeof why);
  if (!usable(x) || !usable(w)) /* sj_graph_op reports NULL, poison, another context */
    return sj_graph_op(SJ_OP_CONV2D, 2, args, NULL, set_conv, &a, file, line);
  if (ok && o && o->padding == SJ_PAD_SAME && !same_pads(&x->v->type, &w->v->type, &a)) {
    snprintf(why, sizeof why, "SJ_PAD_SAME needs static spatial dims and a non-empty kernel, got input %s and filter %s",
             sj_graph_describe(x, dx, sizeof dx), sj_graph_describe(w, dw, sizeof dw));
    ok = false;
  }
  if (!ok) {
    sj_graph_fail(x->c, file, line, "conv2d: %s", why);
    return sj_graph_of(x->c)->poison;
  }
  return sj_graph_op(SJ_OP_CONV2D, 2, args, NULL, set_conv, &a, file, line);
}
