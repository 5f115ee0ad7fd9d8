/* LeNet-5 of the Theano tutorial (deeplearning.net, "Convolutional Neural
 * Networks (LeNet)") as a symjit graph, shared by the demo
 * (examples/lenet.c) and benchmarks: conv 5x5 1->20, max-pool 2, bias,
 * tanh; conv 5x5 20->50, max-pool 2, bias, tanh; fully connected 800->500
 * tanh; 500->10; softmax cross-entropy (mean over the batch); gradients by
 * sj_grad and SGD (optionally with momentum) as updates. Decision 0024. */
#ifndef SJ_EXAMPLES_LENET_MODEL_H
#define SJ_EXAMPLES_LENET_MODEL_H
#include <stdbool.h>
#include <stddef.h>

#include "symjit/graph.h"

/* Parameters, in this order and layout: conv filters OIHW and their biases,
 * then the dense layers as x W + b (W [in, out], Theano's layout). */
enum { LN_W1, LN_B1, LN_W2, LN_B2, LN_W3, LN_B3, LN_W4, LN_B4, LN_NPARAM };

/* Shapes of the parameters (rank, dims), for callers that allocate or
 * check them. */
extern const int lenet_param_rank[LN_NPARAM];
extern const int64_t lenet_param_dims[LN_NPARAM][4];

typedef struct lenet_model {
  sj_var *x;      /* input [?, 784] f32: 28x28 images, row-major */
  sj_var *y;      /* labels [?] i32 in 0..9 */
  sj_var *logits; /* [?, 10] */
  sj_var *loss;   /* rank 0: mean cross-entropy */
  sj_var *param[LN_NPARAM];
  sj_update upd[2 * LN_NPARAM]; /* SGD: one per parameter; momentum: two */
  size_t nupd;
} lenet_model;

/* The Theano tutorial's initialization into new f32 tensors: conv and
 * hidden weights uniform in +-sqrt(6 / (fan_in + fan_out)), with a conv
 * layer's fan_in = C*KH*KW and fan_out = O*KH*KW / (pool area); the
 * output layer's weights and every bias zero. Drawn on the host by
 * sj_tensor_fill_uniform (counter-based, element i depends on (seed
 * derived from `seed` and the parameter, i) only). Non-zero when out of
 * memory (nothing allocated then). */
int lenet_init(uint64_t seed, sj_tensor *init[LN_NPARAM]);
void lenet_init_free(sj_tensor *init[LN_NPARAM]);

typedef struct lenet_opts {
  double lr;       /* SGD's step */
  double momentum; /* > 0: v <- m v - lr g, p <- p + v (as examples/mlp.c) */
  bool relu;       /* relu instead of every tanh */
  bool composite;  /* conv and pooling written with slices, matmul and max
                      instead of conv2d and max_pool2d: the same function
                      (a cross-check of those ops) */
} lenet_opts;

/* Builds the graph in c over shared variables holding copies of init.
 * Errors are recorded in the context (sj_compile reports them); returns
 * non-zero when sj_grad failed (the message is in the context). */
int lenet_build(lenet_model *m, sj_ctx *c, sj_tensor *const init[LN_NPARAM], const lenet_opts *o);
#endif
