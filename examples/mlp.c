/* A multilayer perceptron (784-256-128-10, relu) on Fashion-MNIST:
 * weights uniform in +-1/sqrt(fan_in), cross-entropy, SGD (or momentum) as updates.
 *   ./build/mlp [--epochs 10] [--batch 128] [--lr 0.1] [--momentum 0] [--seed 1] [--data DIR] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fashion_mnist.h"

#define NLAYERS 3

int main(int argc, char **argv) {
  train_opts o = {10, 128, 0.1, 0, 1, "/usr/share/datasets/fashion-mnist", 0, 0};
  if (fm_parse_args(argc, argv, &o, "mlp")) return 2;
  dataset train, test;
  if (fm_load(o.data, "train", &train)) return 1;
  if (fm_load(o.data, "t10k", &test)) {
    fm_free(&train);
    return 1;
  }
  if (o.limit > 0 && o.limit < train.n) train.n = o.limit;
  sj_ctx *c = sj_ctx_new();
  const int64_t sizes[NLAYERS + 1] = {784, 256, 128, 10};
  int64_t xd[2] = {-1, 784}, yd[1] = {-1};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, xd), *y = sj_input(c, "y", SJ_I32, 1, yd);
  sj_var *params[2 * NLAYERS], *grads[2 * NLAYERS], *h = x;
  sj_tensor *init[2 * NLAYERS];
  for (int l = 0; l < NLAYERS; l++) {
    int64_t wd[2] = {sizes[l], sizes[l + 1]}, bd[1] = {sizes[l + 1]};
    double r = 1.0 / sqrt((double)sizes[l]);
    init[2 * l] = sj_tensor_new(SJ_F32, 2, wd);
    init[2 * l + 1] = sj_tensor_new(SJ_F32, 1, bd);
    sj_tensor_fill_uniform(init[2 * l], o.seed * 7919 + (uint64_t)l, -r, r);
    char wn[8], bn[8];
    snprintf(wn, sizeof wn, "W%d", l + 1), snprintf(bn, sizeof bn, "b%d", l + 1);
    params[2 * l] = sj_shared(c, wn, init[2 * l]);
    params[2 * l + 1] = sj_shared(c, bn, init[2 * l + 1]);
    h = sj_add(sj_matmul(h, params[2 * l]), params[2 * l + 1]);
    if (l + 1 < NLAYERS) h = sj_relu(h);
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
  sj_var *ins[2] = {x, y}, *pred = sj_argmax(h, 1);
  sj_function *step = NULL, *predict = NULL;
  double t0 = fm_now_s();
  sj_status st = sj_compile(c, ins, 2, &loss, 1, upd, nupd, NULL, 0, NULL, &step);
  double compile_ms = (fm_now_s() - t0) * 1e3;
  if (!st) st = sj_compile(c, &x, 1, &pred, 1, NULL, 0, NULL, 0, NULL, &predict);
  int rc = 1;
  if (st) {
    fprintf(stderr, "mlp: %s", sj_ctx_errmsg(c));
    goto done;
  }
  printf("mlp: %lld train / %lld test images, batch %d, lr %g, momentum %g; training step compiled in %.1f ms\n",
         (long long)train.n, (long long)test.n, o.batch, o.lr, o.momentum, compile_ms);
  int64_t *perm = malloc((size_t)train.n * sizeof *perm);
  for (int64_t i = 0; i < train.n; i++) perm[i] = i;
  float *bx = malloc((size_t)o.batch * 784 * sizeof *bx);
  int32_t *by = malloc((size_t)o.batch * sizeof *by);
  uint64_t rng = o.seed * 0x9E3779B97F4A7C15ull + 1;
  double acc = 0, epoch_s = 0, first_loss = 0, last_loss = 0;
  for (int e = 1; e <= o.epochs; e++) {
    double te = fm_now_s(), total = 0;
    int64_t steps = 0;
    fm_shuffle(perm, train.n, &rng);
    for (int64_t s = 0; s < train.n; s += o.batch, steps++) {
      int64_t n = train.n - s < o.batch ? train.n - s : o.batch, xdims[2] = {n, 784}, ydims[1] = {n};
      fm_gather(&train, perm, s, n, bx, by);
      sj_tensor *in[2] = {sj_tensor_wrap(SJ_F32, 2, xdims, bx), sj_tensor_wrap(SJ_I32, 1, ydims, by)}, *l = NULL;
      if (sj_function_call(step, in, 2, &l, 1) != SJ_OK) {
        fprintf(stderr, "mlp: %s", sj_ctx_errmsg(c));
        goto train_done;
      }
      total += sj_tensor_get(l, 0);
      sj_tensor_free(l), sj_tensor_free(in[0]), sj_tensor_free(in[1]);
      if (steps % 50 == 0) fprintf(stderr, "\r  epoch %d: %3.0f%%", e, 100.0 * (double)s / (double)train.n);
    }
    epoch_s = fm_now_s() - te;
    last_loss = total / (double)steps;
    if (e == 1) first_loss = last_loss;
    acc = fm_accuracy(predict, &test, 1000);
    fprintf(stderr, "\r");
    printf("epoch %d: train loss %.4f, test accuracy %.4f, %.2f s\n", e, total / (double)steps, acc, epoch_s);
  }
  printf("RESULT mlp test_acc=%.4f epochs=%d compile_ms=%.1f epoch_s=%.2f\n", acc, o.epochs, compile_ms, epoch_s);
  rc = 0;
  if (o.check_falls && !(last_loss < first_loss)) {
    fprintf(stderr, "%s: the training loss did not fall (%.4f -> %.4f)\n", "mlp", first_loss, last_loss);
    rc = 1;
  }
train_done:
  free(perm), free(bx), free(by);
done:
  sj_function_free(step);
  sj_function_free(predict);
  for (int p = 0; p < 2 * NLAYERS; p++) sj_tensor_free(init[p]);
  sj_ctx_free(c);
  fm_free(&train), fm_free(&test);
  return rc;
}
