/* Logistic regression on Fashion-MNIST, written as a Theano user would:
 * symbolic inputs, shared weights, a symbolic gradient and SGD as updates.
 *   ./build/logreg [--epochs 5] [--batch 256] [--lr 0.1] [--momentum 0] [--seed 1] [--data DIR] */
#include <stdio.h>
#include <stdlib.h>

#include "fashion_mnist.h"

int main(int argc, char **argv) {
  train_opts o = {5, 256, 0.1, 0, 1, "/usr/share/datasets/fashion-mnist", 0, 0};
  if (fm_parse_args(argc, argv, &o, "logreg")) return 2;
  dataset train, test;
  if (fm_load(o.data, "train", &train)) return 1;
  if (fm_load(o.data, "t10k", &test)) {
    fm_free(&train);
    return 1;
  }
  if (o.limit > 0 && o.limit < train.n) train.n = o.limit;
  sj_ctx *c = sj_ctx_new();
  int64_t xd[2] = {-1, 784}, yd[1] = {-1}, wd[2] = {784, 10}, bd[1] = {10};
  sj_tensor *w0 = sj_tensor_new(SJ_F32, 2, wd), *b0 = sj_tensor_new(SJ_F32, 1, bd);
  sj_var *x = sj_input(c, "x", SJ_F32, 2, xd), *y = sj_input(c, "y", SJ_I32, 1, yd);
  sj_var *W = sj_shared(c, "W", w0), *b = sj_shared(c, "b", b0);
  sj_var *logits = sj_add(sj_matmul(x, W), b);
  sj_var *loss = sj_crossentropy(logits, y);
  sj_var *params[2] = {W, b}, *grads[2];
  sj_grad(loss, params, 2, grads);
  sj_var *lr = sj_scalar(c, o.lr, SJ_F32);
  sj_update upd[4];
  size_t nupd = 0;
  if (o.momentum > 0) { /* v <- m v - lr g; p <- p + v: the update rule written with updates */
    sj_var *mu = sj_scalar(c, o.momentum, SJ_F32);
    sj_var *vW = sj_shared(c, "vW", w0), *vb = sj_shared(c, "vb", b0);
    sj_var *nvW = sj_sub(sj_mul(mu, vW), sj_mul(lr, grads[0])), *nvb = sj_sub(sj_mul(mu, vb), sj_mul(lr, grads[1]));
    upd[nupd++] = (sj_update){vW, nvW};
    upd[nupd++] = (sj_update){vb, nvb};
    upd[nupd++] = (sj_update){W, sj_add(W, nvW)};
    upd[nupd++] = (sj_update){b, sj_add(b, nvb)};
  } else {
    upd[nupd++] = (sj_update){W, sj_sub(W, sj_mul(lr, grads[0]))};
    upd[nupd++] = (sj_update){b, sj_sub(b, sj_mul(lr, grads[1]))};
  }
  sj_var *ins[2] = {x, y}, *pred = sj_argmax(logits, 1);
  sj_function *step = NULL, *predict = NULL;
  double t0 = fm_now_s();
  sj_status st = sj_compile(c, ins, 2, &loss, 1, upd, nupd, NULL, 0, NULL, &step);
  double compile_ms = (fm_now_s() - t0) * 1e3;
  if (!st) st = sj_compile(c, &x, 1, &pred, 1, NULL, 0, NULL, 0, NULL, &predict);
  int rc = 1;
  if (st) {
    fprintf(stderr, "logreg: %s", sj_ctx_errmsg(c));
    goto done;
  }
  printf("logreg: %lld train / %lld test images, batch %d, lr %g, momentum %g; training step compiled in %.1f ms\n",
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
        fprintf(stderr, "logreg: %s", sj_ctx_errmsg(c));
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
  printf("RESULT logreg test_acc=%.4f epochs=%d compile_ms=%.1f epoch_s=%.2f\n", acc, o.epochs, compile_ms, epoch_s);
  rc = 0;
  if (o.check_falls && !(last_loss < first_loss)) {
    fprintf(stderr, "%s: the training loss did not fall (%.4f -> %.4f)\n", "logreg", first_loss, last_loss);
    rc = 1;
  }
train_done:
  free(perm), free(bx), free(by);
done:
  sj_function_free(step);
  sj_function_free(predict);
  sj_tensor_free(w0), sj_tensor_free(b0);
  sj_ctx_free(c);
  fm_free(&train), fm_free(&test);
  return rc;
}
