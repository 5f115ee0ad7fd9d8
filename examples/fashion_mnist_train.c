/* The training loop of the Fashion-MNIST examples (fashion_mnist.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fashion_mnist.h"
#include "symjit/aot.h"
#include "symjit/info.h"

double fm_accuracy(sj_function *predict, const dataset *test, int64_t batch) {
  int64_t correct = 0;
  for (int64_t s = 0; s < test->n; s += batch) {
    int64_t n = test->n - s < batch ? test->n - s : batch, dims[2] = {n, 784};
    sj_tensor *x = sj_tensor_wrap(SJ_F32, 2, dims, test->x + s * 784), *pred = NULL;
    sj_status st = x ? sj_function_call(predict, &x, 1, &pred, 1) : SJ_ERR_NOMEM;
    for (int64_t i = 0; i < n && !st; i++) correct += (int32_t)sj_tensor_get(pred, i) == test->y[s + i];
    sj_tensor_free(pred);
    sj_tensor_free(x);
    if (st) return -1;
  }
  return test->n ? (double)correct / (double)test->n : -1;
}

int fm_export_predictor(const char *name, sj_ctx *c, sj_function *predict, const char *dir, double acc) {
  size_t n = strlen(dir) + strlen(name) + 8;
  char *obj = malloc(n), *hdr = malloc(n);
  int rc = !obj || !hdr;
  if (!rc) {
    snprintf(obj, n, "%s/%s.o", dir, name), snprintf(hdr, n, "%s/%s.h", dir, name);
    sj_aot_options ao;
    sj_aot_options_init(&ao);
    ao.func_id = "predict";
    rc = sj_function_export(predict, name, obj, hdr, &ao) != SJ_OK;
  }
  if (rc) fprintf(stderr, "%s: export failed: %s", name, obj && hdr ? sj_ctx_errmsg(c) : "out of memory\n");
  else printf("%s: exported the predictor (test accuracy %.4f; compiled in-process in %.1f ms) as %s and %s\n", name, acc, sj_function_compile_ms(predict), obj, hdr);
  free(obj), free(hdr);
  return rc;
}

/* Compiles the training step and the predictor, runs the epochs, prints
 * per-epoch loss, accuracy and time and the RESULT line. */
int fm_train(const char *name, sj_ctx *c, const train_opts *o, const dataset *train, const dataset *test,
             sj_var *x, sj_var *y, sj_var *loss, const sj_update *upd, size_t nupd, sj_var *logits) {
  sj_var *ins[2] = {x, y}, *pred = sj_argmax(logits, 1);
  sj_function *step = NULL, *predict = NULL;
  double t0 = fm_now_s();
  sj_status st = sj_compile(c, ins, 2, &loss, 1, upd, nupd, NULL, 0, NULL, &step);
  double compile_ms = (fm_now_s() - t0) * 1e3;
  if (!st) st = sj_compile(c, &x, 1, &pred, 1, NULL, 0, NULL, 0, NULL, &predict);
  if (st) {
    fprintf(stderr, "%s: %s", name, sj_ctx_errmsg(c));
    sj_function_free(step);
    sj_function_free(predict);
    return 1;
  }
  printf("%s: %lld train / %lld test images, batch %d, lr %g, momentum %g; training step compiled in %.1f ms; BLAS: %s\n",
         name, (long long)train->n, (long long)test->n, o->batch, o->lr, o->momentum, compile_ms, sj_blas_info());
  fflush(stdout);
  /* a batch larger than the data set is the whole set: size the buffers by
   * what a step can hold, not by --batch (which may be 2^31 - 1) */
  int64_t cap = o->batch < train->n ? o->batch : train->n;
  int64_t *perm = malloc((size_t)train->n * sizeof *perm);
  float *bx = malloc((size_t)cap * 784 * sizeof *bx);
  int32_t *by = malloc((size_t)cap * sizeof *by);
  uint64_t rng = o->seed * 0x9E3779B97F4A7C15ull + 1;
  double acc = 0, epoch_s = 0, first_loss = 0, last_loss = 0;
  int rc = 0;
  if (!perm || !bx || !by) {
    fprintf(stderr, "%s: out of memory for a batch of %lld images\n", name, (long long)cap);
    rc = 1;
  }
  for (int64_t i = 0; i < train->n && !rc; i++) perm[i] = i;
  for (int e = 1; e <= o->epochs && !rc; e++) {
    double te = fm_now_s(), total = 0;
    int64_t steps = 0;
    fm_shuffle(perm, train->n, &rng);
    for (int64_t s = 0; s < train->n && !rc; s += o->batch, steps++) {
      int64_t n = train->n - s < o->batch ? train->n - s : o->batch, xdims[2] = {n, 784}, ydims[1] = {n};
      fm_gather(train, perm, s, n, bx, by);
      sj_tensor *in[2] = {sj_tensor_wrap(SJ_F32, 2, xdims, bx), sj_tensor_wrap(SJ_I32, 1, ydims, by)}, *l = NULL;
      if (!in[0] || !in[1] || sj_function_call(step, in, 2, &l, 1) != SJ_OK) {
        fprintf(stderr, "%s: %s", name, sj_ctx_errmsg(c));
        rc = 1;
      } else {
        total += sj_tensor_get(l, 0);
      }
      sj_tensor_free(l), sj_tensor_free(in[0]), sj_tensor_free(in[1]);
      if (steps % 50 == 0) fprintf(stderr, "\r  epoch %d: %3.0f%%", e, 100.0 * (double)s / (double)train->n);
    }
    if (rc) break;
    epoch_s = fm_now_s() - te;
    last_loss = total / (double)steps;
    if (e == 1) first_loss = last_loss;
    acc = fm_accuracy(predict, test, 1000);
    fprintf(stderr, "\r");
    if (acc < 0) {
      fprintf(stderr, "%s: evaluating the test set failed: %s", name, sj_ctx_errmsg(c));
      rc = 1;
      break;
    }
    printf("epoch %d: train loss %.4f, test accuracy %.4f, %.2f s\n", e, last_loss, acc, epoch_s);
    fflush(stdout); /* keep order with the progress line on stderr */
  }
  if (!rc) printf("RESULT %s test_acc=%.4f epochs=%d compile_ms=%.1f epoch_s=%.2f\n", name, acc, o->epochs, compile_ms, epoch_s);
  if (!rc && o->check_falls && !(last_loss < first_loss)) {
    fprintf(stderr, "%s: the training loss did not fall (%.4f -> %.4f)\n", name, first_loss, last_loss);
    rc = 1;
  }
  if (!rc && o->export_dir) rc = fm_export_predictor(name, c, predict, o->export_dir, acc);
  free(perm), free(bx), free(by);
  sj_function_free(step);
  sj_function_free(predict);
  return rc;
}
