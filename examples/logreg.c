/* Logistic regression on Fashion-MNIST, written as a Theano user would:
 * symbolic inputs, shared weights, a symbolic gradient and SGD as updates.
 *   ./build/logreg [--epochs 5] [--batch 256] [--lr 0.1] [--momentum 0] [--seed 1] [--data DIR] */
#include <stdio.h>
#include <stdlib.h>

#include "fashion_mnist.h"

int main(int argc, char **argv) {
  train_opts o = {5, 256, 0.1, 0, 1, "/usr/share/datasets/fashion-mnist", 0, 0, NULL};
  if (fm_parse_args(argc, argv, &o, "logreg")) return 2;
  dataset train, test;
  if (fm_load_splits(&o, &train, &test)) return 1;
  sj_ctx *c = sj_ctx_new();
  int64_t xd[2] = {-1, 784}, yd[1] = {-1}, wd[2] = {784, 10}, bd[1] = {10};
  sj_tensor *w0 = sj_tensor_new(SJ_F32, 2, wd), *b0 = sj_tensor_new(SJ_F32, 1, bd);
  if (!c || !w0 || !b0) {
    fprintf(stderr, "logreg: out of memory\n");
    sj_tensor_free(w0), sj_tensor_free(b0);
    sj_ctx_free(c);
    fm_free(&train), fm_free(&test);
    return 1;
  }
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
  int rc = fm_train("logreg", c, &o, &train, &test, x, y, loss, upd, nupd, logits);
  sj_tensor_free(w0), sj_tensor_free(b0);
  sj_ctx_free(c);
  fm_free(&train), fm_free(&test);
  return rc;
}
