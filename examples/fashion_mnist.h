/* Fashion-MNIST loading (idx format, gzip) and the training-loop helpers the
 * classifier examples share. */
#ifndef SJ_EXAMPLES_FASHION_MNIST_H
#define SJ_EXAMPLES_FASHION_MNIST_H
#include <stdint.h>

#include "symjit/graph.h"

typedef struct dataset {
  int64_t n;
  float *x;  /* n x 784, scaled to [0, 1] */
  int32_t *y; /* n labels in 0..9 */
} dataset;

/* Loads <dir>/<prefix>-images-idx3-ubyte.gz and -labels-idx1-ubyte.gz,
 * reading no more than their headers announce (a longer stream is an
 * error). On error prints what is wrong to stderr, leaves *out empty and
 * returns non-zero. */
int fm_load(const char *dir, const char *prefix, dataset *out);
void fm_free(dataset *d);

typedef struct train_opts {
  int epochs, batch;
  double lr, momentum;
  uint64_t seed;
  const char *data;
  int64_t limit;     /* --limit N: train on the first N images only (tests) */
  int check_falls;   /* --check-loss-falls: exit 1 unless the loss falls */
  const char *export_dir; /* --export DIR: after training, the predictor
                             (x -> class) is exported with its trained
                             weights as DIR/<name>.o and DIR/<name>.h
                             (docs/aot.md; examples/mlp_classify.c) */
} train_opts;

/* Loads the train and t10k splits from o->data, keeping the first o->limit
 * training images when set. Non-zero (after a message) on error, including
 * an empty split (its loss or accuracy would be NaN). */
int fm_load_splits(const train_opts *o, dataset *train, dataset *test);

/* --epochs --batch --lr --seed --data [--momentum] [--limit N]
 * [--check-loss-falls] [--export DIR]; returns non-zero (after printing usage) on bad
 * arguments. */
int fm_parse_args(int argc, char **argv, train_opts *o, const char *name);

/* Copies rows perm[from..from+n) into x (n x 784) and y. */
void fm_gather(const dataset *d, const int64_t *perm, int64_t from, int64_t n, float *x, int32_t *y);
void fm_shuffle(int64_t *perm, int64_t n, uint64_t *state);
double fm_now_s(void);
/* Fraction of test images whose predicted class (function: x -> i32 [n])
 * matches the label, evaluated in batches; -1 when a call fails (the error
 * is in the context) or the test set is empty. */
double fm_accuracy(sj_function *predict, const dataset *test, int64_t batch);
/* --export DIR: the trained predictor, weights included, as DIR/<name>.o
 * and DIR/<name>.h, called <name>_predict (docs/aot.md); prints what it
 * wrote. Non-zero (after a message) on failure. */
int fm_export_predictor(const char *name, sj_ctx *c, sj_function *predict, const char *dir, double acc);
/* Compiles the step (x, y -> loss, with updates) and argmax(logits), trains
 * for o->epochs printing per-epoch loss, test accuracy and time, then the
 * RESULT line. Returns the exit code. */
int fm_train(const char *name, sj_ctx *c, const train_opts *o, const dataset *train, const dataset *test,
             sj_var *x, sj_var *y, sj_var *loss, const sj_update *upd, size_t nupd, sj_var *logits);
#endif
