/* symjit public API: the Theano programming model in C. Symbolic inputs,
 * shared variables (persistent state), one function per op with numpy
 * broadcasting, symbolic gradients, and compiled functions with updates.
 *
 * Errors: building a graph never fails loudly. The first shape or dtype
 * mistake is recorded in the context with the op, the operand shapes, the
 * variables' names and the call site (file:line, captured by the macros
 * below), followed by a note listing the operands; every later call returns
 * the same poison variable, and sj_compile fails with that message
 * (SJ_ERR_NOMEM when the failure was out of memory). sj_ctx_clear_errors
 * ends it: new variables can then be built and compiled.
 *
 * NULL: a builder given a NULL variable records "operand N is NULL" and
 * returns poison when another operand names the context, and returns NULL
 * when none does; a NULL context gives NULL; status-returning calls give
 * SJ_ERR_INVALID. Accessors (sj_var_name, sj_var_rank, ...) accept NULL. */
#ifndef SYMJIT_GRAPH_H
#define SYMJIT_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

#include "symjit/export.h"
#include "symjit/symjit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A symbolic variable; owned by its context (never freed by the user). */
typedef struct sj_var sj_var;

#define SJ_AT __FILE__, __LINE__

/* ---- leaves ---- */

/* dims: `rank` entries, -1 for a dynamic dim. */
SJ_API sj_var *sj_input_at(sj_ctx *c, const char *name, sj_dtype dt, int rank, const int64_t *dims,
                    const char *file, int line);
#define sj_input(c, name, dt, rank, dims) sj_input_at(c, name, dt, rank, dims, SJ_AT)
/* A shared variable holding a copy of `value` (persistent state owned by the
 * context, read and written by compiled functions through updates). */
SJ_API sj_var *sj_shared_at(sj_ctx *c, const char *name, const sj_tensor *value, const char *file, int line);
#define sj_shared(c, name, value) sj_shared_at(c, name, value, SJ_AT)
/* A rank-0 constant. */
SJ_API sj_var *sj_scalar_at(sj_ctx *c, double v, sj_dtype dt, const char *file, int line);
#define sj_scalar(c, v, dt) sj_scalar_at(c, v, dt, SJ_AT)

/* Current value of a shared variable: borrowed, valid until the next
 * sj_shared_set or call of a function updating it. A value updated on a
 * CUDA device is copied back first (docs/gpu.md); if that copy fails:
 * NULL, with the message in the context. */
SJ_API const sj_tensor *sj_shared_value(const sj_var *v);
/* Copies `t` into the shared variable (dtype and shape must match). */
SJ_API sj_status sj_shared_set(sj_var *v, const sj_tensor *t);

SJ_API const char *sj_var_name(const sj_var *v); /* "" for unnamed intermediates */
SJ_API sj_dtype sj_var_dtype(const sj_var *v);
SJ_API int sj_var_rank(const sj_var *v);
SJ_API int64_t sj_var_dim(const sj_var *v, int axis); /* -1 if dynamic */
SJ_API sj_var *sj_name(sj_var *v, const char *name);  /* names v (for errors and IR); returns v */

/* ---- ops (each also has a *_at form taking file and line) ---- */

#define SJ_UNARY_OPS(X) X(neg) X(abs) X(sign) X(exp) X(log) X(log1p) X(expm1) X(sqrt) X(rsqrt) X(tanh) X(sigmoid) X(softplus) X(relu)
#define SJ_BINARY_OPS(X) X(add) X(sub) X(mul) X(div) X(pow) X(maximum) X(minimum) X(eq) X(ne) X(lt) X(le) X(gt) X(ge) X(logaddexp)

#define SJ_DECL_UNARY(name) SJ_API sj_var *sj_##name##_at(sj_var *x, const char *file, int line);
#define SJ_DECL_BINARY(name) SJ_API sj_var *sj_##name##_at(sj_var *a, sj_var *b, const char *file, int line);
SJ_UNARY_OPS(SJ_DECL_UNARY)
SJ_BINARY_OPS(SJ_DECL_BINARY)
#undef SJ_DECL_UNARY
#undef SJ_DECL_BINARY

#define sj_neg(x) sj_neg_at(x, SJ_AT)
#define sj_abs(x) sj_abs_at(x, SJ_AT)
#define sj_sign(x) sj_sign_at(x, SJ_AT)
#define sj_exp(x) sj_exp_at(x, SJ_AT)
#define sj_log(x) sj_log_at(x, SJ_AT)
#define sj_log1p(x) sj_log1p_at(x, SJ_AT)
#define sj_expm1(x) sj_expm1_at(x, SJ_AT)
#define sj_sqrt(x) sj_sqrt_at(x, SJ_AT)
#define sj_rsqrt(x) sj_rsqrt_at(x, SJ_AT)
#define sj_tanh(x) sj_tanh_at(x, SJ_AT)
#define sj_sigmoid(x) sj_sigmoid_at(x, SJ_AT)
#define sj_softplus(x) sj_softplus_at(x, SJ_AT)
#define sj_relu(x) sj_relu_at(x, SJ_AT)
#define sj_add(a, b) sj_add_at(a, b, SJ_AT)
#define sj_sub(a, b) sj_sub_at(a, b, SJ_AT)
#define sj_mul(a, b) sj_mul_at(a, b, SJ_AT)
#define sj_div(a, b) sj_div_at(a, b, SJ_AT)
#define sj_pow(a, b) sj_pow_at(a, b, SJ_AT)
#define sj_maximum(a, b) sj_maximum_at(a, b, SJ_AT)
#define sj_minimum(a, b) sj_minimum_at(a, b, SJ_AT)
#define sj_eq(a, b) sj_eq_at(a, b, SJ_AT)
#define sj_ne(a, b) sj_ne_at(a, b, SJ_AT)
#define sj_lt(a, b) sj_lt_at(a, b, SJ_AT)
#define sj_le(a, b) sj_le_at(a, b, SJ_AT)
#define sj_gt(a, b) sj_gt_at(a, b, SJ_AT)
#define sj_ge(a, b) sj_ge_at(a, b, SJ_AT)
/* log(exp(a) + exp(b)), stable (docs/stabilize.md) */
#define sj_logaddexp(a, b) sj_logaddexp_at(a, b, SJ_AT)

SJ_API sj_var *sj_where_at(sj_var *cond, sj_var *a, sj_var *b, const char *file, int line);
#define sj_where(c, a, b) sj_where_at(c, a, b, SJ_AT)
SJ_API sj_var *sj_cast_at(sj_var *x, sj_dtype dt, const char *file, int line);
#define sj_cast(x, dt) sj_cast_at(x, dt, SJ_AT)

/* Reductions over `naxes` axes (0: all), numpy keepdims. */
SJ_API sj_var *sj_sum_at(sj_var *x, int naxes, const int *axes, int keepdims, const char *file, int line);
SJ_API sj_var *sj_mean_at(sj_var *x, int naxes, const int *axes, int keepdims, const char *file, int line);
SJ_API sj_var *sj_max_at(sj_var *x, int naxes, const int *axes, int keepdims, const char *file, int line);
SJ_API sj_var *sj_min_at(sj_var *x, int naxes, const int *axes, int keepdims, const char *file, int line);
SJ_API sj_var *sj_prod_at(sj_var *x, int naxes, const int *axes, int keepdims, const char *file, int line);
#define sj_sum(x, n, axes, keep) sj_sum_at(x, n, axes, keep, SJ_AT)
#define sj_mean(x, n, axes, keep) sj_mean_at(x, n, axes, keep, SJ_AT)
#define sj_max(x, n, axes, keep) sj_max_at(x, n, axes, keep, SJ_AT)
#define sj_min(x, n, axes, keep) sj_min_at(x, n, axes, keep, SJ_AT)
#define sj_prod(x, n, axes, keep) sj_prod_at(x, n, axes, keep, SJ_AT)

/* Shapes: dims may hold one -1 (inferred). */
SJ_API sj_var *sj_reshape_at(sj_var *x, int rank, const int64_t *dims, const char *file, int line);
SJ_API sj_var *sj_transpose_at(sj_var *x, const int *perm, const char *file, int line);
SJ_API sj_var *sj_matmul_at(sj_var *a, sj_var *b, const char *file, int line);
#define sj_reshape(x, rank, dims) sj_reshape_at(x, rank, dims, SJ_AT)
#define sj_transpose(x, perm) sj_transpose_at(x, perm, SJ_AT)
#define sj_matmul(a, b) sj_matmul_at(a, b, SJ_AT)

/* ---- convolution (docs/decisions/0021-conv-pool.md) ---- */

/* 2-D convolution (cross-correlation, as Theano's conv2d with
 * filter_flip=False, numpy/PyTorch) of x [N, C, H, W] with filters
 * w [O, C/groups, KH, KW] into [N, O, OH, OW], per spatial axis
 * OH = floor((H + pt + pb - dh*(KH-1) - 1) / sh) + 1. NULL opts: stride 1,
 * no padding ("valid"). SJ_PAD_SAME is TensorFlow's rule (OH = ceil(H/sh),
 * the smaller half of the padding on top/left; static H, W, KH, KW).
 * Differentiable in x and w (twice: the gradients are convolutions).
 * Build errors (kernel larger than the padded input, groups not dividing
 * the channels, a dtype mix) name file:line, the op and the shapes. */
enum { SJ_PAD_EXPLICIT = 0, SJ_PAD_VALID = 1, SJ_PAD_SAME = 2 };
typedef struct sj_conv2d_opts {
  int stride[2];   /* 0 means 1 */
  int dilation[2]; /* 0 means 1 */
  int groups;      /* 0 means 1 */
  int padding;     /* SJ_PAD_EXPLICIT (pad below), SJ_PAD_VALID, SJ_PAD_SAME */
  int pad[4];      /* top, bottom, left, right (SJ_PAD_EXPLICIT) */
} sj_conv2d_opts;
SJ_API sj_var *sj_conv2d_at(sj_var *x, sj_var *w, const sj_conv2d_opts *o, const char *file, int line);
#define sj_conv2d(x, w, o) sj_conv2d_at(x, w, o, SJ_AT)

/* ---- classifier ops ---- */

/* softmax and log_softmax along `axis` (negative counts from the end): one
 * op each, computed stably (the max along the axis is subtracted). */
SJ_API sj_var *sj_softmax_at(sj_var *x, int axis, const char *file, int line);
SJ_API sj_var *sj_log_softmax_at(sj_var *x, int axis, const char *file, int line);
/* Index of the maximum along `axis` (first one on ties), as i32. */
SJ_API sj_var *sj_argmax_at(sj_var *x, int axis, const char *file, int line);
/* labels (integers, any shape) -> one-hot of dtype dt with a new last axis n. */
SJ_API sj_var *sj_one_hot_at(sj_var *labels, int64_t n, sj_dtype dt, const char *file, int line);
/* numpy take: x indexed along `axis` by integer idx of any shape ->
 * x.shape[:axis] + idx.shape + x.shape[axis+1:] (embedding lookup: axis 0).
 * A negative index counts from the end; one still outside [0, n) is clamped
 * (numpy raises; XLA clamps). Calling with an empty indexed axis fails. */
SJ_API sj_var *sj_take_at(sj_var *x, sj_var *idx, int axis, const char *file, int line);
/* numpy take_along_axis: idx has x's rank; out[..., j, ...] =
 * x[..., idx[..., j, ...], ...] along `axis`, the other axes broadcast (label
 * picks: x [B, C], idx [B, 1]). Same index rules as sj_take. */
SJ_API sj_var *sj_take_along_axis_at(sj_var *x, sj_var *idx, int axis, const char *file, int line);
/* Adjoint of take (along: of take_along_axis): zeros shaped like `like`,
 * with g added at the positions the matching take reads (repeats add up). */
SJ_API sj_var *sj_scatter_add_at(sj_var *g, sj_var *idx, sj_var *like, int axis, int along, const char *file, int line);
#define sj_take(x, idx, axis) sj_take_at(x, idx, axis, SJ_AT)
#define sj_take_along_axis(x, idx, axis) sj_take_along_axis_at(x, idx, axis, SJ_AT)
#define sj_scatter_add(g, idx, like, axis, along) sj_scatter_add_at(g, idx, like, axis, along, SJ_AT)
/* ---- pooling (docs/decisions/0021-conv-pool.md) ---- */

/* 2-D pooling of x [N, C, H, W] (a float tensor) over windows of
 * window[0] x window[1] taken every stride (0: the window, Theano's
 * default), x padded by pad = {top, bottom, left, right} (each smaller than
 * the window). ignore_border = 1 (Theano's default; set it: a zeroed
 * struct means 0) drops the partial windows at the border: OH = (H + pt +
 * pb - kh) / sh + 1; ignore_border = 0 keeps them (ceil instead of floor,
 * a window starting in the right padding dropped). Max pooling ignores the
 * padding and propagates NaN; its gradient goes to the first maximum of
 * each window. Average pooling divides by the in-bounds count, or with
 * count_pad = 1 by the window (padding counted as zeros). o must not be
 * NULL. Errors (bad options, a window larger than the padded input) name
 * the call's file:line. */
typedef struct sj_pool2d_opts {
  int window[2];
  int stride[2];     /* 0 means the window (Theano's default) */
  int pad[4];        /* top, bottom, left, right */
  int ignore_border; /* Theano: 1 (default) = floor; 0 = keep partial windows */
  int count_pad;     /* avg only: 1 = divide by the full window */
} sj_pool2d_opts;
SJ_API sj_var *sj_max_pool2d_at(sj_var *x, const sj_pool2d_opts *o, const char *file, int line);
SJ_API sj_var *sj_avg_pool2d_at(sj_var *x, const sj_pool2d_opts *o, const char *file, int line);
/* The mean over H and W, keepdims: [N, C, 1, 1]. */
SJ_API sj_var *sj_global_avg_pool2d_at(sj_var *x, const char *file, int line);
/* variadic so that a compound literal's commas pass: sj_max_pool2d(x,
 * &(sj_pool2d_opts){.window = {2, 2}, .ignore_border = 1}) */
#define sj_max_pool2d(x, ...) sj_max_pool2d_at(x, __VA_ARGS__, SJ_AT)
#define sj_avg_pool2d(x, ...) sj_avg_pool2d_at(x, __VA_ARGS__, SJ_AT)
#define sj_global_avg_pool2d(x) sj_global_avg_pool2d_at(x, SJ_AT)

/* ---- basic slicing and updates (docs/graph.md, "Indexing") ---- */

/* One axis of a basic slice, numpy's start:stop:step: negative start/stop
 * count from the end, out-of-range ones clamp (as numpy's slices), step is
 * not 0 (negative walks backwards). SJ_OMIT for an omitted start or stop. */
#define SJ_OMIT INT64_MIN
typedef struct sj_slice_spec {
  int64_t start, stop, step;
} sj_slice_spec;
#define SJ_ALL ((sj_slice_spec){SJ_OMIT, SJ_OMIT, 1}) /* x[:] */

/* x[spec[0], ..., spec[naxes-1]] (the axes after naxes are whole); a view
 * of the same rank. A dynamic dim stays dynamic: its bounds resolve on the
 * call's size (docs/decisions/0010-slicing.md). */
SJ_API sj_var *sj_slice_at(sj_var *x, int naxes, const sj_slice_spec *spec, const char *file, int line);
/* x[..., i, ...] on `axis` (negative counts from the end): drops the axis.
 * An i out of range of a static dim fails here; on a dynamic dim it is
 * clamped into range at run time (as sj_take and JAX). */
SJ_API sj_var *sj_index_at(sj_var *x, int axis, int64_t i, const char *file, int line);
/* Theano's set_subtensor / inc_subtensor on a basic slice: a copy of x with
 * x[spec] = y / x[spec] += y, y broadcast (numpy) to the slice's shape. */
SJ_API sj_var *sj_set_subtensor_at(sj_var *x, int naxes, const sj_slice_spec *spec, sj_var *y, const char *file, int line);
SJ_API sj_var *sj_inc_subtensor_at(sj_var *x, int naxes, const sj_slice_spec *spec, sj_var *y, const char *file, int line);
/* The same at integer indices along `axis` (the positions sj_take(x, idx,
 * axis) reads; y broadcasts to that take's shape; a rank-0 idx is x[i]).
 * Repeated indices: inc accumulates every one (numpy's add.at), set keeps
 * the last in idx's row-major order (numpy's x[idx] = y). */
SJ_API sj_var *sj_index_set_at(sj_var *x, sj_var *idx, int axis, sj_var *y, const char *file, int line);
SJ_API sj_var *sj_index_inc_at(sj_var *x, sj_var *idx, int axis, sj_var *y, const char *file, int line);
#define sj_slice(x, n, spec) sj_slice_at(x, n, spec, SJ_AT)
#define sj_index(x, axis, i) sj_index_at(x, axis, i, SJ_AT)
#define sj_set_subtensor(x, n, spec, y) sj_set_subtensor_at(x, n, spec, y, SJ_AT)
#define sj_inc_subtensor(x, n, spec, y) sj_inc_subtensor_at(x, n, spec, y, SJ_AT)
#define sj_index_set(x, idx, axis, y) sj_index_set_at(x, idx, axis, y, SJ_AT)
#define sj_index_inc(x, idx, axis, y) sj_index_inc_at(x, idx, axis, y, SJ_AT)

/* Cross-entropies (docs/graph.md, "Classifier losses"). Each is named for
 * what it takes; the softmax ones compile to one fused op whose value is
 * logsumexp(x) - x[label] and whose gradient is softmax(x) - onehot(label).
 * A label outside [0, C) gives NaN (for that row, and so for the mean).
 *
 * sj_softmax_xent: per-row cost; logits of any rank >= 1 with a static class
 * axis `axis`, integer labels shaped like the logits without that axis. */
SJ_API sj_var *sj_softmax_xent_at(sj_var *logits, sj_var *labels, int axis, const char *file, int line);
/* Mean over the batch of -log_softmax(logits)[label]; logits [B, C] (static
 * C), integer labels [B]. sj_crossentropy is the same function (its
 * historical name). */
SJ_API sj_var *sj_softmax_crossentropy_logits_at(sj_var *logits, sj_var *labels, const char *file, int line);
SJ_API sj_var *sj_crossentropy_at(sj_var *logits, sj_var *labels, const char *file, int line);
/* Theano's categorical_crossentropy: takes PROBABILITIES probs [B, C] and
 * integer labels [B]; the mean over the batch of -log(probs[label]). When
 * probs is sj_softmax(x) the compiler turns it into the fused op (stable:
 * no log(0) when a probability underflows). */
SJ_API sj_var *sj_categorical_crossentropy_at(sj_var *probs, sj_var *labels, const char *file, int line);
/* Binary cross-entropy from logits: the mean over all elements of
 * softplus(x) - x * t (= -t log sigmoid(x) - (1 - t) log(1 - sigmoid(x)),
 * finite for any finite x); targets t in [0, 1], same dtype, broadcast
 * against the logits. */
SJ_API sj_var *sj_binary_crossentropy_logits_at(sj_var *logits, sj_var *targets, const char *file, int line);
#define sj_softmax(x, axis) sj_softmax_at(x, axis, SJ_AT)
#define sj_log_softmax(x, axis) sj_log_softmax_at(x, axis, SJ_AT)
#define sj_argmax(x, axis) sj_argmax_at(x, axis, SJ_AT)
#define sj_one_hot(l, n, dt) sj_one_hot_at(l, n, dt, SJ_AT)
#define sj_crossentropy(logits, labels) sj_crossentropy_at(logits, labels, SJ_AT)
#define sj_softmax_xent(logits, labels, axis) sj_softmax_xent_at(logits, labels, axis, SJ_AT)
#define sj_softmax_crossentropy_logits(logits, labels) sj_softmax_crossentropy_logits_at(logits, labels, SJ_AT)
#define sj_categorical_crossentropy(probs, labels) sj_categorical_crossentropy_at(probs, labels, SJ_AT)
#define sj_binary_crossentropy_logits(logits, targets) sj_binary_crossentropy_logits_at(logits, targets, SJ_AT)

/* ---- tensors from host data, joining, copies ---- */

/* A constant holding a copy of t's elements (any dtype and rank; integers
 * beyond 2^53 in magnitude are not exact and are refused). */
SJ_API sj_var *sj_constant_at(sj_ctx *c, const sj_tensor *t, const char *file, int line);
/* numpy concatenate / stack of n >= 1 variables of one dtype: the shapes
 * agree except along `axis` (concatenate; its sizes along axis must be
 * static) or everywhere (stack, which adds a new axis of size n at `axis`).
 * A negative axis counts from the end. */
SJ_API sj_var *sj_concatenate_at(sj_var *const *xs, size_t n, int axis, const char *file, int line);
SJ_API sj_var *sj_stack_at(sj_var *const *xs, size_t n, int axis, const char *file, int line);
/* A new variable with x's value (Theano's tensor.copy): named separately. */
SJ_API sj_var *sj_copy_at(sj_var *x, const char *file, int line);
#define sj_constant(c, t) sj_constant_at(c, t, SJ_AT)
#define sj_concatenate(xs, n, axis) sj_concatenate_at(xs, n, axis, SJ_AT)
#define sj_stack(xs, n, axis) sj_stack_at(xs, n, axis, SJ_AT)
#define sj_copy(x) sj_copy_at(x, SJ_AT)

/* ---- gradient controls (identity in the forward pass; absent from the
 * compiled function) ---- */

/* The gradient through it is zero (JAX stop_gradient; Theano
 * disconnected_grad gives zeros here rather than an error). */
SJ_API sj_var *sj_stop_gradient_at(sj_var *x, const char *file, int line);
/* The incoming gradient clipped elementwise to [lo, hi] (Theano grad_clip). */
SJ_API sj_var *sj_clip_grad_at(sj_var *x, double lo, double hi, const char *file, int line);
/* The incoming gradient times s (Theano grad_scale; s = -1 reverses it). */
SJ_API sj_var *sj_scale_grad_at(sj_var *x, double s, const char *file, int line);
#define sj_stop_gradient(x) sj_stop_gradient_at(x, SJ_AT)
#define sj_clip_grad(x, lo, hi) sj_clip_grad_at(x, lo, hi, SJ_AT)
#define sj_scale_grad(x, s) sj_scale_grad_at(x, s, SJ_AT)

/* ---- gradients ---- */

typedef struct sj_grad_options {
  sj_var *const *known; /* known_grads: variables ... */
  sj_var *const *known_grads; /* ... and their given output gradients */
  size_t nknown;
  sj_var *const *consider_constant; /* gradients do not flow through these */
  size_t nconstant;
  int disconnected_zero; /* 1: a wrt not connected to cost gets zeros instead of an error */
} sj_grad_options;

/* Symbolic reverse mode: out[i] = d cost / d wrt[i] as new graph nodes
 * (optimized and fused like any other). cost must be a scalar (rank 0)
 * unless options give known_grads. */
SJ_API sj_status sj_grad_at(sj_var *cost, sj_var *const *wrt, size_t n, const sj_grad_options *o, sj_var **out,
                     const char *file, int line);
#define sj_grad(cost, wrt, n, out) sj_grad_at(cost, wrt, n, NULL, out, SJ_AT)

/* Forward mode (Jacobian-vector product): out = sum_i d f / d wrt[i] . v[i],
 * with f's shape. Built by transposing the reverse mode twice (Theano's
 * R-op via L-ops), so every op with a VJP rule has an R-op. */
SJ_API sj_status sj_rop_at(sj_var *f, sj_var *const *wrt, sj_var *const *v, size_t n, sj_var **out, const char *file,
                    int line);
#define sj_rop(f, wrt, v, n, out) sj_rop_at(f, wrt, v, n, out, SJ_AT)
/* The Jacobian of y w.r.t. x, shaped y.shape + x.shape (any ranks, 0
 * included): one reverse sweep per element of y, so y needs a static shape
 * (x may have dynamic dims). The Hessian of a scalar cost w.r.t. x is the
 * Jacobian of its gradient: x.shape + x.shape. */
SJ_API sj_status sj_jacobian_at(sj_var *y, sj_var *x, sj_var **out, const char *file, int line);
SJ_API sj_status sj_hessian_at(sj_var *cost, sj_var *x, sj_var **out, const char *file, int line);
#define sj_jacobian(y, x, out) sj_jacobian_at(y, x, out, SJ_AT)
#define sj_hessian(cost, x, out) sj_hessian_at(cost, x, out, SJ_AT)

/* Theano's verify_grad: compares sj_grad of `out` w.r.t. inputs[i] with
 * central differences at values[i]. A non-scalar out is first projected on a
 * random tensor (sum(out * P), P seeded); then each element of each input
 * (a seeded random subset of max_elems when larger) is perturbed by
 * +-eps*max(1, |x|) and the numerical derivative compared with the symbolic
 * one: |num - sym| <= atol + rtol * max(|num|, |sym|). The first element
 * that disagrees is reported in the context's message with the argument
 * (index and name), the element (flat index and coordinates) and both
 * values; the status is then SJ_ERR_VERIFY. Builds the projection and the
 * gradient as new graph nodes and compiles one function, without default
 * updates (random draws stay the same across the perturbations). Float inputs
 * only; 0 fields take the dtype's defaults (docs/graph.md). */
typedef struct sj_verify_grad_options {
  uint64_t seed;     /* projection and element sampling (default 1) */
  double eps;        /* step; 0: 1e-6 for f64, 1e-3 for f32, 3e-2 for f16/bf16 */
  double rtol, atol; /* 0: 1e-5 for f64, 2e-2 for f32, 1e-1 for f16/bf16 */
  int64_t max_elems; /* elements checked per input; 0: 256 */
} sj_verify_grad_options;
SJ_API void sj_verify_grad_options_init(sj_verify_grad_options *o);
SJ_API sj_status sj_verify_grad_at(sj_var *out, sj_var *const *inputs, size_t n, sj_tensor *const *values,
                            const sj_verify_grad_options *o, const char *file, int line);
#define sj_verify_grad(out, inputs, n, values, o) sj_verify_grad_at(out, inputs, n, values, o, SJ_AT)

/* ---- compiled functions ---- */

typedef struct sj_update {
  sj_var *shared; /* a shared variable */
  sj_var *value;  /* its new value, from values read at the start of the call */
} sj_update;

typedef struct sj_given {
  sj_var *var;  /* replaced ... */
  sj_var *expr; /* ... by this expression at compile time */
} sj_given;

/* Compiles outputs = f(inputs) plus updates (applied after the outputs are
 * computed, all from the values at the start of the call). A function with
 * no outputs but updates is valid. Calls take tensors for `inputs` in order;
 * shared variables are passed implicitly. An input that no output or
 * update uses is an error naming it, unless o->on_unused_input says
 * otherwise (Theano's on_unused_input). Errors name the sj_compile call
 * site, or the file:line where the offending graph node was built. */
SJ_API sj_status sj_compile_at(sj_ctx *c, sj_var *const *inputs, size_t nin, sj_var *const *outputs, size_t nout,
                        const sj_update *updates, size_t nupd, const sj_given *givens, size_t ngiv,
                        const sj_compile_options *o, sj_function **out, const char *file, int line);
#define sj_compile(c, inputs, nin, outputs, nout, updates, nupd, givens, ngiv, o, out) \
  sj_compile_at(c, inputs, nin, outputs, nout, updates, nupd, givens, ngiv, o, out, SJ_AT)

/* ---- random streams (docs/random.md, docs/decisions/0018-random.md) ---- */

/* Theano's default_update: the value shared variable `shared` takes after
 * each call of a function compiled with sj_compile that reads it and gives
 * it no explicit update (explicit updates win; sj_compile_options
 * no_default_updates turns them all off). expr has the variable's type and
 * is computed, like every update, from the values at the start of the
 * call. NULL removes it. Errors name file:line. */
SJ_API sj_status sj_shared_set_default_update_at(sj_var *shared, sj_var *expr, const char *file, int line);
#define sj_shared_set_default_update(shared, expr) sj_shared_set_default_update_at(shared, expr, SJ_AT)
SJ_API sj_var *sj_shared_default_update(const sj_var *shared); /* NULL if none */

/* A stream of counter-based random numbers (Philox4x32-10, as JAX and
 * PyTorch). Each draw made from it owns a shared variable holding its state
 * (key, counter) as i64[2], with a default update that advances the
 * counter by the draw's size: two draws in one function differ, each call
 * of a compiled function draws new numbers, and element i of a draw depends
 * only on (key, counter + i), so results are the same bit for bit for any
 * thread count. Draw k's key is derived from (seed, k); sj_random_seed
 * resets every state of the stream (Theano's RandomStreams.seed), so a run
 * repeats exactly. The stream is owned by the caller (free it with
 * sj_random_stream_free, before sj_ctx_free: it uses the context's
 * allocator); its draws and state variables belong to the context. */
typedef struct sj_random_stream sj_random_stream;
SJ_API sj_random_stream *sj_random_stream_new(sj_ctx *c, uint64_t seed); /* NULL: c NULL or out of memory */
SJ_API void sj_random_stream_free(sj_random_stream *rs);                  /* NULL ok */
/* Resets every draw's state: key from (seed, k), counter 0. */
SJ_API sj_status sj_random_seed(sj_random_stream *rs, uint64_t seed);
/* The state variables of the draws, in draw order (for explicit updates,
 * sj_shared_set or sj_shared_value). */
SJ_API size_t sj_random_stream_nstates(const sj_random_stream *rs);
SJ_API sj_var *sj_random_stream_state(const sj_random_stream *rs, size_t i); /* NULL when out of range */

/* The shape of a draw: that of `like` (any dtype; its `?` dims are taken at
 * run time) when like is not NULL, else the static dims[0..rank). */
typedef struct sj_random_shape {
  sj_var *like;
  int rank;
  const int64_t *dims;
} sj_random_shape;
#define SJ_SHAPE_OF(x) ((sj_random_shape){(x), 0, NULL})
#define SJ_SHAPE(rank, dims) ((sj_random_shape){NULL, (rank), (dims)})

/* dt f32 or f64 (bernoulli: also bool, 0/1 in floats). Uniform in [lo, hi)
 * (finite, lo <= hi); normal with mean and std (finite, std >= 0);
 * bernoulli 1 with probability p in [0, 1]. */
SJ_API sj_var *sj_random_uniform_at(sj_random_stream *rs, sj_random_shape shape, sj_dtype dt, double lo, double hi,
                             const char *file, int line);
SJ_API sj_var *sj_random_normal_at(sj_random_stream *rs, sj_random_shape shape, sj_dtype dt, double mean, double std,
                            const char *file, int line);
SJ_API sj_var *sj_random_bernoulli_at(sj_random_stream *rs, sj_random_shape shape, sj_dtype dt, double p, const char *file,
                               int line);
/* One index (i32 or i64 `dt`) per row along the last axis of w [..., k]
 * (f32/f64, k >= 1): category j with probability w_j / sum(w) (logits
 * false: weights >= 0, not all zero) or softmax(w / temperature)_j (logits
 * true). temperature > 0 (1: none) sharpens (< 1) or flattens (> 1) the
 * distribution; for probabilities it raises them to 1/temperature. A row
 * with nothing to draw (NaN, negative or infinite weight, all zero) fails
 * the call. Result: w's shape without the last axis. */
SJ_API sj_var *sj_random_categorical_at(sj_random_stream *rs, sj_var *w, bool logits, double temperature, sj_dtype dt,
                                 const char *file, int line);
#define sj_random_uniform(rs, shape, dt, lo, hi) sj_random_uniform_at(rs, shape, dt, lo, hi, SJ_AT)
#define sj_random_normal(rs, shape, dt, mean, std) sj_random_normal_at(rs, shape, dt, mean, std, SJ_AT)
#define sj_random_bernoulli(rs, shape, dt, p) sj_random_bernoulli_at(rs, shape, dt, p, SJ_AT)
#define sj_random_categorical(rs, w, logits, temperature, dt) \
  sj_random_categorical_at(rs, w, logits, temperature, dt, SJ_AT)
/* Inverted dropout: x * mask / (1 - p), mask ~ bernoulli(1 - p) shaped as x
 * (float x, p in [0, 1); the gradient w.r.t. x is mask / (1 - p)). */
SJ_API sj_var *sj_dropout_at(sj_random_stream *rs, sj_var *x, double p, const char *file, int line);
#define sj_dropout(rs, x, p) sj_dropout_at(rs, x, p, SJ_AT)

/* ---- loops: scan (docs/graph.md "Loops", docs/decisions/0014-scan.md) ---- */

/* What the step function receives and fills. */
typedef struct sj_scan_step {
  /* in: one row of each sequence, then for each output with an initial
   * value its previous values (one per tap, oldest first: x[t-k] .. x[t-1]),
   * then the non-sequences */
  sj_var *const *args;
  size_t nargs;
  /* out: the step's value of every output, in outputs_info order */
  sj_var **outputs;
  size_t nout;
  sj_var *until;           /* out, optional: bool rank-0 stop condition (do-while) */
  const sj_update *updates; /* out, optional: shared variables updated every step */
  size_t nupdates;
} sj_scan_step;

typedef void (*sj_scan_fn)(sj_ctx *c, sj_scan_step *step, void *ud);

typedef struct sj_scan_options {
  sj_var *const *sequences; /* iterated along their leading axis */
  size_t nseq;
  /* one entry per output of the step: its initial value, or NULL for an
   * output that is only collected (Theano's outputs_info = None) */
  sj_var *const *outputs_info;
  size_t nout;
  /* per output with an initial value: k taps (-k..-1); its initial value
   * then has a leading axis of k rows, oldest first. NULL: one tap each */
  const int *ntaps;
  sj_var *const *non_sequences;
  size_t nnonseq;
  sj_var *n_steps;          /* i32/i64 rank 0; NULL: the shortest sequence */
  bool go_backwards;        /* visit the sequences from their end; results in visiting order (Theano) */
  const bool *return_last;  /* per output: only its final value (NULL: all steps) */
  int truncate_gradient;    /* 0 or -1: full BPTT; k > 0: gradients flow k steps back */
  int checkpoint;           /* 0: save every state for the gradient; k > 1: keep every k-th, recompute the rest */
} sj_scan_options;

/* Builds the loop. results[i] (nout of them) is output i over all steps,
 * [n, ...] without the initial values, or its final value (return_last).
 * Updates returned by the step are returned in updates (*nupdates of at
 * most cap), to pass to sj_compile: the shared variable's value after the
 * last step. Build errors (shape or dtype of a state that changes in the
 * step, ...) name file:line. */
SJ_API sj_status sj_scan_at(sj_ctx *c, sj_scan_fn fn, void *ud, const sj_scan_options *o, sj_var **results,
                     sj_update *updates, size_t cap, size_t *nupdates, const char *file, int line);
#define sj_scan(c, fn, ud, o, results, updates, cap, nupdates) \
  sj_scan_at(c, fn, ud, o, results, updates, cap, nupdates, SJ_AT)

#ifdef __cplusplus
}
#endif
#endif
