/* conv2d geometry (docs/decisions/0021-conv-pool.md), shared by everything
 * that must agree on it: type inference, the reference evaluator, the graph
 * API ("same" padding) and lower-conv. */
#ifndef SJ_CONV_H
#define SJ_CONV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir.h"

/* Attributes may not exceed this: every size computed from them (padded
 * extents, kernel spans) then fits in int64_t for any dim below 2^62. */
#define SJ_CONV_ATTR_MAX ((int64_t)1 << 30)

#define SJ_CONV_NOFIT (-2) /* sj_conv_out_size: the kernel does not fit */

typedef struct sj_conv_attrs {
  int64_t stride[2];   /* sh, sw >= 1 */
  int64_t pad[4];      /* top, bottom, left, right >= 0 */
  int64_t dilation[2]; /* dh, dw >= 1 (default 1) */
  int64_t groups;      /* >= 1 (default 1) */
} sj_conv_attrs;

/* The attributes of a conv2d/conv2d_input_grad/conv2d_filter_grad op, with
 * the defaults. False, with what is wrong written into why, when a list has
 * the wrong length or a value is out of its range. */
bool sj_conv_attrs_get(const sj_op *op, sj_conv_attrs *a, char *why, size_t cap);

/* Output size along one spatial axis of an input of `in` elements with a
 * kernel of k taps: floor((in + lo + hi - dil*(k-1) - 1) / stride) + 1.
 * SJ_DYN when in or k is SJ_DYN; SJ_CONV_NOFIT when the kernel is larger
 * than the padded input (or has no taps), also when the padded size would
 * pass INT64_MAX. Attributes within SJ_CONV_ATTR_MAX. */
int64_t sj_conv_out_size(int64_t in, int64_t k, int64_t stride, int64_t lo, int64_t hi, int64_t dil);

/* dil*(k-1) + 1, the extent a kernel of k >= 1 taps covers (saturating at
 * INT64_MAX); 0 for k < 1. */
int64_t sj_conv_span(int64_t k, int64_t dil);

/* TensorFlow's "same" padding along one axis: out = ceil(in / stride), the
 * total pad max((out-1)*stride + dil*(k-1) + 1 - in, 0), the smaller half
 * before. in and k static. */
void sj_conv_same_pad(int64_t in, int64_t k, int64_t stride, int64_t dil, int64_t *lo, int64_t *hi);

/* Writes the attributes onto op (all four, so that the text form is
 * explicit). */
void sj_conv_attrs_set(sj_ctx *c, sj_op *op, const sj_conv_attrs *a);

/* conv_gemm (docs/decisions/0041): its modes, in the order of the tensor ops
 * they run (conv2d, conv2d_input_grad, conv2d_filter_grad), and their
 * names in the `mode` attribute. */
typedef enum { SJ_CONV_FORWARD, SJ_CONV_INPUT_GRAD, SJ_CONV_FILTER_GRAD, SJ_CONV_NMODES } sj_conv_mode;
extern const char *const sj_conv_mode_names[SJ_CONV_NMODES];
/* The mode op's `mode` attribute names, or -1 when it is missing or names
 * none. */
int sj_conv_gemm_mode(const sj_op *op);
/* Why a device refuses a conv_gemm (a host runtime op), with the way out. */
#define SJ_CONV_GEMM_HOST_ONLY \
  "'conv_gemm' op runs on the host only: lower convolutions for the GPU with lower-to-loops{conv-runtime=0}"
#endif
