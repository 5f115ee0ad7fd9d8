/* Fashion-MNIST idx.gz reader and training-loop helpers (see header). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "fashion_mnist.h"

static int read_gz(const char *path, unsigned char **buf, size_t *len) {
  gzFile f = gzopen(path, "rb");
  if (!f) {
    fprintf(stderr, "error: cannot open %s (install Debian's dataset-fashion-mnist or pass --data DIR)\n", path);
    return 1;
  }
  size_t cap = 1 << 20, n = 0;
  unsigned char *b = malloc(cap);
  for (;;) {
    if (n == cap) b = realloc(b, cap *= 2);
    int k = gzread(f, b + n, (unsigned)(cap - n));
    if (k < 0) {
      fprintf(stderr, "error: %s: corrupt gzip data\n", path);
      gzclose(f);
      free(b);
      return 1;
    }
    if (k == 0) break;
    n += (size_t)k;
  }
  gzclose(f);
  *buf = b;
  *len = n;
  return 0;
}

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

int fm_load(const char *dir, const char *prefix, dataset *out) {
  char ip[1024], lp[1024];
  snprintf(ip, sizeof ip, "%s/%s-images-idx3-ubyte.gz", dir, prefix);
  snprintf(lp, sizeof lp, "%s/%s-labels-idx1-ubyte.gz", dir, prefix);
  unsigned char *ib = NULL, *lb = NULL;
  size_t il, ll;
  if (read_gz(ip, &ib, &il) || read_gz(lp, &lb, &ll)) {
    free(ib);
    return 1;
  }
  int rc = 1;
  if (il < 16 || be32(ib) != 0x803 || ll < 8 || be32(lb) != 0x801) {
    fprintf(stderr, "error: %s or %s is not an idx file (bad magic)\n", ip, lp);
  } else if (be32(ib + 8) != 28 || be32(ib + 12) != 28 || be32(ib + 4) != be32(lb + 4)) {
    fprintf(stderr, "error: %s: expected 28x28 images and as many labels as images\n", ip);
  } else if (il < 16 + (size_t)be32(ib + 4) * 784 || ll < 8 + (size_t)be32(lb + 4)) {
    fprintf(stderr, "error: %s or %s is truncated\n", ip, lp);
  } else {
    out->n = be32(ib + 4);
    out->x = malloc((size_t)out->n * 784 * sizeof *out->x);
    out->y = malloc((size_t)out->n * sizeof *out->y);
    for (int64_t i = 0; i < out->n * 784; i++) out->x[i] = ib[16 + i] / 255.0f;
    rc = 0;
    for (int64_t i = 0; i < out->n; i++) {
      out->y[i] = lb[8 + i];
      if (out->y[i] > 9) {
        fprintf(stderr, "error: %s: label %d out of range\n", lp, out->y[i]);
        rc = 1;
        break;
      }
    }
  }
  free(ib);
  free(lb);
  return rc;
}

int fm_load_splits(const train_opts *o, dataset *train, dataset *test) {
  if (fm_load(o->data, "train", train)) return 1;
  if (fm_load(o->data, "t10k", test)) {
    fm_free(train);
    return 1;
  }
  if (o->limit > 0 && o->limit < train->n) train->n = o->limit;
  return 0;
}

void fm_free(dataset *d) {
  free(d->x);
  free(d->y);
}

int fm_parse_args(int argc, char **argv, train_opts *o, const char *name) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--epochs") && v) o->epochs = atoi(v), i++;
    else if (!strcmp(a, "--batch") && v) o->batch = atoi(v), i++;
    else if (!strcmp(a, "--lr") && v) o->lr = atof(v), i++;
    else if (!strcmp(a, "--momentum") && v) o->momentum = atof(v), i++;
    else if (!strcmp(a, "--seed") && v) o->seed = strtoull(v, NULL, 10), i++;
    else if (!strcmp(a, "--data") && v) o->data = v, i++;
    else if (!strcmp(a, "--limit") && v) o->limit = atoll(v), i++;
    else if (!strcmp(a, "--check-loss-falls")) o->check_falls = 1;
    else {
      fprintf(stderr, "usage: %s [--epochs N] [--batch N] [--lr X] [--momentum X] [--seed N] [--data DIR] [--limit N] [--check-loss-falls]\n", name);
      return 1;
    }
  }
  if (o->epochs < 1 || o->batch < 1 || !(o->lr > 0) || o->momentum < 0 || o->momentum >= 1) {
    fprintf(stderr, "%s: --epochs and --batch must be positive, --lr > 0, 0 <= --momentum < 1\n", name);
    return 1;
  }
  return 0;
}

void fm_gather(const dataset *d, const int64_t *perm, int64_t from, int64_t n, float *x, int32_t *y) {
  for (int64_t i = 0; i < n; i++) {
    int64_t r = perm[from + i];
    memcpy(x + i * 784, d->x + r * 784, 784 * sizeof *x);
    y[i] = d->y[r];
  }
}

static uint64_t next(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

void fm_shuffle(int64_t *perm, int64_t n, uint64_t *state) {
  for (int64_t i = n - 1; i > 0; i--) {
    int64_t j = (int64_t)(next(state) % (uint64_t)(i + 1)), t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
}

double fm_now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double fm_accuracy(sj_function *predict, const dataset *test, int64_t batch) {
  int64_t correct = 0;
  for (int64_t s = 0; s < test->n; s += batch) {
    int64_t n = test->n - s < batch ? test->n - s : batch, dims[2] = {n, 784};
    sj_tensor *x = sj_tensor_wrap(SJ_F32, 2, dims, test->x + s * 784), *pred = NULL;
    if (sj_function_call(predict, &x, 1, &pred, 1) == SJ_OK) {
      for (int64_t i = 0; i < n; i++) correct += (int32_t)sj_tensor_get(pred, i) == test->y[s + i];
      sj_tensor_free(pred);
    }
    sj_tensor_free(x);
  }
  return (double)correct / (double)test->n;
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
    return 1;
  }
  printf("%s: %lld train / %lld test images, batch %d, lr %g, momentum %g; training step compiled in %.1f ms\n", name,
         (long long)train->n, (long long)test->n, o->batch, o->lr, o->momentum, compile_ms);
  fflush(stdout);
  int64_t *perm = malloc((size_t)train->n * sizeof *perm);
  for (int64_t i = 0; i < train->n; i++) perm[i] = i;
  float *bx = malloc((size_t)o->batch * 784 * sizeof *bx);
  int32_t *by = malloc((size_t)o->batch * sizeof *by);
  uint64_t rng = o->seed * 0x9E3779B97F4A7C15ull + 1;
  double acc = 0, epoch_s = 0, first_loss = 0, last_loss = 0;
  int rc = 0;
  for (int e = 1; e <= o->epochs && !rc; e++) {
    double te = fm_now_s(), total = 0;
    int64_t steps = 0;
    fm_shuffle(perm, train->n, &rng);
    for (int64_t s = 0; s < train->n && !rc; s += o->batch, steps++) {
      int64_t n = train->n - s < o->batch ? train->n - s : o->batch, xdims[2] = {n, 784}, ydims[1] = {n};
      fm_gather(train, perm, s, n, bx, by);
      sj_tensor *in[2] = {sj_tensor_wrap(SJ_F32, 2, xdims, bx), sj_tensor_wrap(SJ_I32, 1, ydims, by)}, *l = NULL;
      if (sj_function_call(step, in, 2, &l, 1) != SJ_OK) {
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
    printf("epoch %d: train loss %.4f, test accuracy %.4f, %.2f s\n", e, last_loss, acc, epoch_s);
    fflush(stdout); /* keep order with the progress line on stderr */
  }
  if (!rc) printf("RESULT %s test_acc=%.4f epochs=%d compile_ms=%.1f epoch_s=%.2f\n", name, acc, o->epochs, compile_ms, epoch_s);
  if (!rc && o->check_falls && !(last_loss < first_loss)) {
    fprintf(stderr, "%s: the training loss did not fall (%.4f -> %.4f)\n", name, first_loss, last_loss);
    rc = 1;
  }
  free(perm), free(bx), free(by);
  sj_function_free(step);
  sj_function_free(predict);
  return rc;
}
