/* A multilayer perceptron (784-256-128-10, relu) on Fashion-MNIST:
 * weights uniform in +-1/sqrt(fan_in), cross-entropy, SGD (or momentum) as updates.
 *   ./build/mlp [--epochs 10] [--batch 128] [--lr 0.1] [--momentum 0] [--seed 1] [--data DIR] [--export DIR]
 * --export DIR: the trained predictor as DIR/mlp.o and DIR/mlp.h (docs/aot.md;
 * examples/mlp_classify.c links them without LLVM). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fashion_mnist.h"

#define NLAYERS 3

int main(int argc, char **argv) {
  train_opts o = {10, 128, 0.1, 0, 1, "/usr/share/datasets/fashion-mnist", 0, 0, NULL};
  if (fm_parse_args(argc, argv, &o, "mlp")) return 2;
  dataset train, test;
  if (fm_load_splits(&o, &train, &test)) return 1;
  sj_ctx *c = sj_ctx_new();
  sj_tensor *init[2 * NLAYERS] = {0};
  int ok = c != NULL;
  const int64_t sizes[NLAYERS + 1] = {784, 256, 128, 10};
  int64_t xd[2] = {-1, 784}, yd[1] = {-1};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, xd), *y = sj_input(c, "y", SJ_I32, 1, yd);
  sj_var *params[2 * NLAYERS], *grads[2 * NLAYERS], *h = x;
  for (int l = 0; l < NLAYERS && ok; l++) {
    int64_t wd[2] = {sizes[l], sizes[l + 1]}, bd[1] = {sizes[l + 1]};
    double r = 1.0 / sqrt((double)sizes[l]);
    init[2 * l] = sj_tensor_new(SJ_F32, 2, wd);
    init[2 * l + 1] = sj_tensor_new(SJ_F32, 1, bd);
    if (!(ok = init[2 * l] && init[2 * l + 1])) break;
    sj_tensor_fill_uniform(init[2 * l], o.seed * 7919 + (uint64_t)l, -r, r);
    char wn[8], bn[8];
    snprintf(wn, sizeof wn, "W%d", l + 1), snprintf(bn, sizeof bn, "b%d", l + 1);
    params[2 * l] = sj_shared(c, wn, init[2 * l]);
    params[2 * l + 1] = sj_shared(c, bn, init[2 * l + 1]);
    h = sj_add(sj_matmul(h, params[2 * l]), params[2 * l + 1]);
    if (l + 1 < NLAYERS) h = sj_relu(h);
  }
  if (!ok) {
    fprintf(stderr, "mlp: out of memory\n");
    for (int p = 0; p < 2 * NLAYERS; p++) sj_tensor_free(init[p]);
    sj_ctx_free(c);
    fm_free(&train), fm_free(&test);
    return 1;
  }
  sj_var *loss = sj_crossentropy(h, y);
  sj_grad(loss, params, 2 * NLAYERS, grads);
  sj_var *lr = sj_scalar(c, o.lr, SJ_F32), *mu = sj_scalar(c, o.momentum, SJ_F32);
  sj_update upd[4 * NLAYERS];
  size_t nupd = 0;
  for (int p = 0; p < 2 * NLAYERS; p++) {
    if (o.momentum > 0) { /* v <- m v - lr g; p <- p + v */
      sj_tensor *zero = sj_tensor_new(SJ_F32, sj_tensor_rank(init[p]), sj_tensor_dims(init[p]));
      sj_var *v = sj_shared(c, "v", zero);
      sj_tensor_free(zero);
      sj_var *nv = sj_sub(sj_mul(mu, v), sj_mul(lr, grads[p]));
      upd[nupd++] = (sj_update){v, nv};
      upd[nupd++] = (sj_update){params[p], sj_add(params[p], nv)};
    } else {
      upd[nupd++] = (sj_update){params[p], sj_sub(params[p], sj_mul(lr, grads[p]))};
    }
  }
  int rc = fm_train("mlp", c, &o, &train, &test, x, y, loss, upd, nupd, h);
  for (int p = 0; p < 2 * NLAYERS; p++) sj_tensor_free(init[p]);
  sj_ctx_free(c);
  fm_free(&train), fm_free(&test);
  return rc;
}
