/* conv2d geometry: attribute decoding and the output-size rule (conv.h). */
#include "conv.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ints attribute `name` of length n into v (default dflt when absent and
 * allowed); values in [lo, SJ_CONV_ATTR_MAX]. */
static bool ints_attr(const sj_op *op, const char *name, int n, int64_t dflt, bool optional, int64_t lo, int64_t *v,
                      char *why, size_t cap) {
  const sj_attr *a = sj_op_attr(op, name);
  if (!a) {
    if (!optional) return snprintf(why, cap, "requires attribute '%s'", name), false;
    for (int i = 0; i < n; i++) v[i] = dflt;
    return true;
  }
  if (a->kind != SJ_ATTR_INTS || a->u.ints.n != n)
    return snprintf(why, cap, "'%s' must be a list of %d integers", name, n), false;
  for (int i = 0; i < n; i++) {
    v[i] = a->u.ints.v[i];
    if (v[i] < lo || v[i] > SJ_CONV_ATTR_MAX)
      return snprintf(why, cap, "'%s' element %d is %lld, must be in [%lld, 2^30]", name, i, (long long)v[i],
                      (long long)lo),
             false;
  }
  return true;
}

bool sj_conv_attrs_get(const sj_op *op, sj_conv_attrs *a, char *why, size_t cap) {
  if (!ints_attr(op, "stride", 2, 1, false, 1, a->stride, why, cap)) return false;
  if (!ints_attr(op, "pad", 4, 0, false, 0, a->pad, why, cap)) return false;
  if (!ints_attr(op, "dilation", 2, 1, true, 1, a->dilation, why, cap)) return false;
  const sj_attr *g = sj_op_attr(op, "groups");
  a->groups = g && g->kind == SJ_ATTR_INT ? g->u.i : 1;
  if (a->groups < 1 || a->groups > SJ_CONV_ATTR_MAX)
    return snprintf(why, cap, "'groups' is %lld, must be in [1, 2^30]", (long long)a->groups), false;
  return true;
}

int64_t sj_conv_span(int64_t k, int64_t dil) {
  int64_t s;
  if (k < 1) return 0;
  return __builtin_mul_overflow(dil, k - 1, &s) || s == INT64_MAX ? INT64_MAX : s + 1;
}

int64_t sj_conv_out_size(int64_t in, int64_t k, int64_t stride, int64_t lo, int64_t hi, int64_t dil) {
  if (in == SJ_DYN || k == SJ_DYN) return SJ_DYN;
  int64_t span = sj_conv_span(k, dil), padded;
  if (k < 1 || __builtin_add_overflow(in, lo + hi, &padded)) return SJ_CONV_NOFIT; /* lo + hi <= 2^31 */
  if (padded < span) return SJ_CONV_NOFIT;
  return (padded - span) / stride + 1;
}

void sj_conv_same_pad(int64_t in, int64_t k, int64_t stride, int64_t dil, int64_t *lo, int64_t *hi) {
  int64_t out = (in + stride - 1) / stride, need = (out - 1) * stride + dil * (k - 1) + 1 - in;
  if (out == 0 || need < 0) need = 0;
  *lo = need / 2;
  *hi = need - need / 2;
}

void sj_conv_attrs_set(sj_ctx *c, sj_op *op, const sj_conv_attrs *a) {
  sj_op_set_ints(c, op, "stride", 2, a->stride);
  sj_op_set_ints(c, op, "pad", 4, a->pad);
  sj_op_set_ints(c, op, "dilation", 2, a->dilation);
  sj_op_set_int(c, op, "groups", a->groups);
}

const char *const sj_conv_mode_names[SJ_CONV_NMODES] = {"forward", "input_grad", "filter_grad"};

int sj_conv_gemm_mode(const sj_op *op) {
  const sj_attr *a = sj_op_attr(op, "mode");
  for (int m = 0; a && a->kind == SJ_ATTR_STR && m < SJ_CONV_NMODES; m++)
    if (!strcmp(a->u.s, sj_conv_mode_names[m])) return m;
  return -1;
}
