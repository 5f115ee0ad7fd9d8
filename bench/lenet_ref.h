/* A hand-written C + OpenBLAS LeNet-5 training step (issue 12 §3, the
 * Theano tutorial's network): the reference that examples/lenet.c's timing
 * is reported against and that bench/conv_bench.c checks and times.
 *
 * Model, per batch of B images x [B, 1, 28, 28] with labels y [B]:
 *   conv 5x5 1->20 (+b1), max-pool 2x2, act    -> a1 [B, 20, 12, 12]
 *   conv 5x5 20->50 (+b2), max-pool 2x2, act   -> a2 [B, 50, 4, 4] = [B, 800]
 *   act(a2 @ W3 + b3)                           -> h3 [B, 500]
 *   h3 @ W4 + b4                                -> logits [B, 10]
 * mean softmax cross-entropy; SGD p -= lr * dp. act is tanh (the tutorial)
 * or relu. Parameters are one flat float array, one block per parameter
 * (param + off[k]): W1 [20,1,5,5], b1 [20], W2 [50,20,5,5], b2 [50],
 * W3 [800,500], b3 [500], W4 [500,10], b4 [10] (the fully connected weights
 * [in, out], applied as x @ W).
 *
 * Written the way an expert writes it: each convolution is conv_ref's tuned
 * im2col + GEMM (bench/conv_ref.h) with bias, pooling (keeping the argmax)
 * and the activation fused into one epilogue over the GEMM output, and in
 * the backward pass the activation derivative and the pooling's routing
 * fused into the prologue that builds the GEMM's output-gradient operand;
 * the input gradient of the first convolution is not computed. */
#ifndef SJ_BENCH_LENET_REF_H
#define SJ_BENCH_LENET_REF_H
#include <stdint.h>

#include "conv_ref.h"

enum { LENET_W1, LENET_B1, LENET_W2, LENET_B2, LENET_W3, LENET_B3, LENET_W4, LENET_B4, LENET_NPARAM };

typedef struct lenet_ref {
  int B;
  conv_act act; /* CONV_ACT_TANH or CONV_ACT_RELU */
  int64_t size[LENET_NPARAM], off[LENET_NPARAM], nparam;
  float *param, *grad;
  conv_plan conv1, conv2;
  int fc_threads; /* OpenBLAS threads for the fully connected GEMMs */
  /* forward: activations, argmax of each pooling window (flat index in the
   * conv output plane) and logits; backward: their gradients */
  float *a1, *a2, *h3, *p;
  int32_t *arg1, *arg2;
  float *da1, *da2, *dh3;
} lenet_ref;

/* Allocates (zeroed parameters) for batch B; tune = 1 measures the
 * convolution plans and the fully connected layers' threading
 * (conv_plan_tune; a few seconds), 0 takes one batched GEMM per layer on
 * OpenBLAS's threads. Non-zero when out of memory. */
int lenet_ref_new(lenet_ref *r, int B, conv_act act, int tune);
void lenet_ref_free(lenet_ref *r);
/* The Theano tutorial's initialization from a seeded splitmix64 stream:
 * convolutions uniform(+-sqrt(6 / (fan_in + fan_out / 4))), the hidden layer
 * uniform(+-sqrt(6 / (800 + 500))), the output layer and all biases zero. */
void lenet_ref_init(lenet_ref *r, uint64_t seed);
/* The mean loss of the batch (forward only; logits left in p). */
double lenet_ref_loss(lenet_ref *r, const float *x, const int32_t *y);
/* Forward and backward: returns the mean loss, the gradients in grad. */
double lenet_ref_loss_grad(lenet_ref *r, const float *x, const int32_t *y);
void lenet_ref_sgd(lenet_ref *r, float lr);
/* lenet_ref_loss_grad, then lenet_ref_sgd; returns the loss. */
double lenet_ref_step(lenet_ref *r, const float *x, const int32_t *y, float lr);
#endif
