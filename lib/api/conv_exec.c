/* The conv_gemm step: a convolution, its input gradient or its filter
 * gradient run by the runtime in chunks of images, im2col columns kept in
 * cache around single-threaded BLAS gemms (lib/runtime/conv_gemm.c,
 * docs/decisions/0041). The geometry is read from the operands' dims at
 * every call and checked against them in phase 1; the runtime's scratch is
 * kept by the step between calls (a function's calls are serialized). */
#include <limits.h>
#include <stdlib.h>

#include "blas_select.h"
#include "conv.h"
#include "exec_internal.h"

typedef struct sj_conv_step {
  int mode;
  sj_conv_attrs a;
  sj_rt_conv_ws *ws;
} sj_conv_step;

sj_status sj_api_plan_conv(sj_function *f, step *s) {
  char why[160];
  s->conv = calloc(1, sizeof *s->conv);
  if (!s->conv || !(s->conv->ws = sj_rt_conv_ws_new()))
    return sj_api_nomem(f->ctx, s->op, "out of memory planning the function");
  s->conv->mode = sj_conv_gemm_mode(s->op); /* verified */
  if (!sj_conv_attrs_get(s->op, &s->conv->a, why, sizeof why)) return sj_api_fail(f->ctx, s->op, "%s", why);
  return SJ_OK;
}

void sj_api_free_conv(step *s) {
  if (!s->conv) return;
  sj_rt_conv_ws_free(s->conv->ws);
  free(s->conv);
  s->conv = NULL;
}

/* The slots of the convolution's input x, filter w and output-shaped
 * operand (y, or the gradient g) for the step's mode. */
static void roles(const step *s, int *x, int *w, int *y) {
  int m = s->conv->mode;
  *x = s->args[m == SJ_CONV_INPUT_GRAD ? 2 : 0];
  *w = s->args[m == SJ_CONV_FILTER_GRAD ? 2 : 1];
  *y = s->args[m == SJ_CONV_FORWARD ? 2 : m == SJ_CONV_INPUT_GRAD ? 0 : 1];
}

/* The geometry of the current call, or NULL with why set. */
static const char *geometry(sj_function *f, const step *s, sj_rt_conv_geom *g) {
  int x, w, y;
  roles(s, &x, &w, &y);
  const int64_t *dx = sj_api_dims(f, x), *dw = sj_api_dims(f, w), *dy = sj_api_dims(f, y);
  const sj_conv_attrs *a = &s->conv->a;
  *g = (sj_rt_conv_geom){.N = dx[0], .C = dx[1], .H = dx[2], .W = dx[3], .O = dw[0], .KH = dw[2], .KW = dw[3],
                         .sh = a->stride[0], .sw = a->stride[1], .dh = a->dilation[0], .dw = a->dilation[1],
                         .pt = a->pad[0], .pl = a->pad[2], .groups = a->groups};
  if (g->C % g->groups || g->O % g->groups || dw[1] * g->groups != g->C)
    return "the channels do not divide into the groups as the filter says";
  g->OH = sj_conv_out_size(g->H, g->KH, g->sh, a->pad[0], a->pad[1], g->dh);
  g->OW = sj_conv_out_size(g->W, g->KW, g->sw, a->pad[2], a->pad[3], g->dw);
  if (g->KH == 0 || g->KW == 0 || g->OH < 0 || g->OW < 0) return "the kernel is larger than the padded input";
  if (dy[0] != g->N || dy[1] != g->O || dy[2] != g->OH || dy[3] != g->OW)
    return s->conv->mode == SJ_CONV_FORWARD ? "the output buffer does not have the convolution's shape"
                                      : "the gradient does not have the convolution's output shape";
  /* BLAS takes int dims: rows, columns and depth of the gemms per image */
  int64_t K = g->C / g->groups * g->KH * g->KW, P = g->OH * g->OW;
  if (K > INT_MAX || P > INT_MAX || g->O > INT_MAX) return "a dim is past BLAS's int range";
  return NULL;
}

static sj_status conv_error(sj_function *f, const step *s, const char *why) {
  char sh[3][128];
  for (int i = 0; i < 3; i++) sj_api_shape_str(f, s->args[i], sh[i], sizeof sh[i]);
  return sj_api_fail(f->ctx, s->op, "conv_gemm (%s) of %s (%s) and %s (%s) into %s (%s): %s",
                     sj_conv_mode_names[s->conv->mode], f->slots[s->args[0]].name, sh[0], f->slots[s->args[1]].name, sh[1],
                     f->slots[s->args[2]].name, sh[2], why);
}

sj_status sj_api_shape_conv(sj_function *f, const step *s) {
  sj_rt_conv_geom g;
  const char *why = geometry(f, s, &g);
  if (why) return conv_error(f, s, why);
  for (unsigned i = 0; s->epi && i < s->epi->nargs; i++) /* row-sliced epilogue arguments have y's images */
    if (s->epi_rows[i] && sj_api_dims(f, s->epi->args[i])[0] != g.N)
      return conv_error(f, s, "an epilogue argument sliced by rows needs the result's images");
  return SJ_OK;
}

double sj_api_conv_flops(sj_function *f, const step *s) {
  sj_rt_conv_geom g;
  if (geometry(f, s, &g)) return 0;
  return 2.0 * (double)g.N * (double)g.O * (double)(g.OH * g.OW) * (double)(g.C / g.groups * g.KH * g.KW);
}

sj_status sj_api_run_conv(sj_function *f, const step *s) {
  sj_rt_conv_geom g;
  if (geometry(f, s, &g)) return conv_error(f, s, "shapes changed since phase 1"); /* not reached */
  sj_dtype dt = f->slots[s->args[2]].type.dt;
  void *a = f->data[s->args[0]], *b = f->data[s->args[1]], *c = f->data[s->args[2]];
  sj_api_epi_env env = {f, s};
  bool ok;
  switch (s->conv->mode) {
  case SJ_CONV_FORWARD:
    ok = sj_rt_conv_forward(f->pool, s->conv->ws, dt, &g, a, b, c, s->epi ? sj_api_run_epilogue : NULL, &env);
    break;
  case SJ_CONV_INPUT_GRAD: ok = sj_rt_conv_input_grad(f->pool, s->conv->ws, dt, &g, a, b, c); break;
  default: ok = sj_rt_conv_filter_grad(f->pool, s->conv->ws, dt, &g, a, b, c); break;
  }
  if (ok) return SJ_OK;
  if (!sj_rt_blas()) return conv_error(f, s, "OpenBLAS could not be loaded (sj_blas_info says why)");
  return sj_api_nomem(f->ctx, s->op, "out of memory for the scratch of a convolution");
}
