/* LeNet-5 of the Theano tutorial on Fashion-MNIST (graph in
 * examples/lenet_model.c; model, initialization and measured accuracy in
 * docs/decisions/0024-lenet.md): two conv + max-pool + tanh layers, a
 * dense tanh layer and a softmax output, SGD as updates.
 *   ./build/lenet [--epochs 1] [--batch 64] [--lr 0.1] [--momentum 0] [--seed 1] [--data DIR]
 *                 [--limit N] [--test-limit N] [--check-loss-falls] [--relu] [--composite] [--profile] [--ref] [--cpu]
 * --relu: relu instead of tanh everywhere. --composite: convolution and
 * pooling written with slices, matmul and max instead of conv2d and
 * max_pool2d (the same function; a cross-check, slower). --limit N /
 * --test-limit N: the first N training / test images only (tests).
 * --profile: the training step's per-kernel profile on stderr at the end
 * (its optimized kernels: training starts after the background compile).
 * --ref: after each full-batch step, one step of the hand-written C +
 * OpenBLAS LeNet (bench/lenet_ref.c, its own weights) on the same batch,
 * timed alike: the epoch and RESULT lines add its median (ref_ms=) and
 * symjit's ratio to it (vs_ref=), both measured under the same load; the
 * epoch line also the fastest step of each (fastest_ms=, ref_fastest_ms=,
 * vs_ref_fastest=). --cpu: both on one thread (symjit's pool and the C
 * step's plans), each step timed by the process's CPU time, which other
 * processes' load does not inflate: the figure to compare on a loaded
 * machine. --check-loss-falls: exit 1 unless the mean training loss of
 * the last tenth of all steps is below that of the first tenth (meaningful
 * for one epoch too).
 * Besides the other examples' lines, prints the median time of a training
 * step (the compiled call alone, without gathering the batch) of the last
 * epoch as step_ms= on the RESULT line. */
#define _POSIX_C_SOURCE 200809L /* setenv, execv, clock_gettime (bench_util.h) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fashion_mnist.h"
#include "lenet_model.h"
#include "bench_util.h"
#include "lenet_ref.h"
#include "symjit/info.h"

#define LOSS_WINDOW 10 /* --check-loss-falls compares the first and last 1/10 of the steps */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v); 0 when n is 0. */
static double median(double *v, int64_t n) {
  if (n == 0) return 0;
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Removes `flag` from argv (fm_parse_args knows the options every
 * classifier example shares); returns whether it was there. */
static bool take_flag(int *argc, char **argv, const char *flag) {
  bool found = false;
  int k = 1;
  for (int i = 1; i < *argc; i++) {
    if (!strcmp(argv[i], flag)) found = true;
    else argv[k++] = argv[i];
  }
  *argc = k;
  return found;
}

/* Removes `flag` N from argv; *out = N (a whole number >= 1). Non-zero
 * (after a message) when N is missing or bad. */
static int take_count(int *argc, char **argv, const char *flag, int64_t *out) {
  int k = 1, rc = 0;
  for (int i = 1; i < *argc; i++) {
    if (strcmp(argv[i], flag)) {
      argv[k++] = argv[i];
      continue;
    }
    char *end = NULL;
    long long v = i + 1 < *argc ? strtoll(argv[i + 1], &end, 10) : 0;
    if (!end || end == argv[i + 1] || *end || v < 1) {
      fprintf(stderr, "lenet: %s: expected a whole number >= 1\n", flag);
      rc = 1;
    }
    *out = v, i++;
  }
  *argc = k;
  return rc;
}

typedef struct run_state {
  sj_function *step, *predict;
  double compile_ms;
  double *losses;  /* every step's loss, all epochs */
  double *step_ms; /* this epoch's step times */
  int64_t *perm, nsteps;
  float *bx;
  int32_t *by;
  lenet_ref *ref;  /* --ref: the C step timed beside symjit's */
  double *ref_ms;  /* this epoch's C step times (full batches) */
  int64_t nref;
  bool cpu;        /* --cpu: one thread each, steps timed by the process's CPU time */
} run_state;

/* The clock steps are timed by: wall clock, or the process's CPU time
 * (--cpu: one thread each, so preemption by other processes does not count). */
static double step_now_ms(const run_state *r) { return r->cpu ? conv_cpu_ms() : fm_now_s() * 1e3; }

/* One epoch over train (shuffled by *rng): appends to r->losses, fills
 * r->step_ms, sets *steps and *mean_loss; non-zero (after a message) when a
 * call fails. */
static int epoch(const char *name, sj_ctx *c, const train_opts *o, const dataset *train, run_state *r, int e,
                 uint64_t *rng, int64_t *nsteps, double *mean_loss) {
  double total = 0;
  int64_t steps = 0;
  fm_shuffle(r->perm, train->n, rng);
  r->nref = 0;
  for (int64_t s = 0; s < train->n; s += o->batch, steps++) {
    int64_t n = train->n - s < o->batch ? train->n - s : o->batch, xdims[2] = {n, 784}, ydims[1] = {n};
    fm_gather(train, r->perm, s, n, r->bx, r->by);
    sj_tensor *in[2] = {sj_tensor_wrap(SJ_F32, 2, xdims, r->bx), sj_tensor_wrap(SJ_I32, 1, ydims, r->by)}, *l = NULL;
    double t0 = step_now_ms(r);
    sj_status st = in[0] && in[1] ? sj_function_call(r->step, in, 2, &l, 1) : SJ_ERR_NOMEM;
    r->step_ms[steps] = step_now_ms(r) - t0;
    double loss = st == SJ_OK ? sj_tensor_get(l, 0) : 0;
    sj_tensor_free(l), sj_tensor_free(in[0]), sj_tensor_free(in[1]);
    if (st != SJ_OK) {
      fprintf(stderr, "\n%s: %s", name, sj_ctx_errmsg(c));
      return 1;
    }
    if (r->ref && n == r->ref->B) {
      t0 = step_now_ms(r);
      lenet_ref_step(r->ref, r->bx, r->by, (float)o->lr);
      r->ref_ms[r->nref++] = step_now_ms(r) - t0;
    }
    r->losses[r->nsteps++] = loss;
    total += loss;
    if (steps % 20 == 0)
      fprintf(stderr, "\r  epoch %d: %3.0f%%, loss %.4f", e, 100.0 * (double)s / (double)train->n, loss);
  }
  *nsteps = steps;
  *mean_loss = total / (double)steps;
  return 0;
}

/* Mean of v[from..from+n). */
static double mean(const double *v, int64_t from, int64_t n) {
  double s = 0;
  for (int64_t i = from; i < from + n; i++) s += v[i];
  return s / (double)n;
}

static void print_profile(const sj_function *f) {
  size_t n = sj_function_profile(f, NULL, 0);
  char *t = malloc(n + 1);
  if (t && sj_function_profile(f, t, n + 1)) fprintf(stderr, "%s", t);
  free(t);
}

/* Compiles, trains o->epochs epochs printing the per-epoch line, then the
 * RESULT line; the exit code. */
static int train_and_test(const char *name, sj_ctx *c, const train_opts *o, const dataset *train,
                          const dataset *test, const lenet_model *m, bool profile, bool cpu, lenet_ref *ref) {
  run_state r = {.ref = ref, .cpu = cpu};
  sj_var *ins[2] = {m->x, m->y}, *loss = m->loss, *pred = sj_argmax(m->logits, 1);
  sj_compile_options co;
  sj_compile_options_init(&co);
  co.profile = profile;
  if (cpu) co.num_threads = 1;
  double t0 = fm_now_s();
  sj_status st = sj_compile(c, ins, 2, &loss, 1, m->upd, m->nupd, NULL, 0, &co, &r.step);
  r.compile_ms = (fm_now_s() - t0) * 1e3;
  if (!st && (profile || cpu)) sj_function_wait(r.step); /* time the optimized kernels, not the background compile */
  if (!st) st = sj_compile(c, &m->x, 1, &pred, 1, NULL, 0, NULL, 0, NULL, &r.predict);
  if (st) {
    fprintf(stderr, "%s: %s", name, sj_ctx_errmsg(c));
    sj_function_free(r.step), sj_function_free(r.predict);
    return 1;
  }
  printf("%s: %lld train / %lld test images, batch %d, lr %g, momentum %g; training step compiled in %.1f ms; BLAS: %s\n",
         name, (long long)train->n, (long long)test->n, o->batch, o->lr, o->momentum, r.compile_ms, sj_blas_info());
  fflush(stdout);
  /* a batch larger than the data set is the whole set */
  int64_t cap = o->batch < train->n ? o->batch : train->n, per_epoch = (train->n + cap - 1) / cap;
  r.perm = malloc((size_t)train->n * sizeof *r.perm);
  r.bx = malloc((size_t)cap * 784 * sizeof *r.bx);
  r.by = malloc((size_t)cap * sizeof *r.by);
  r.step_ms = malloc((size_t)per_epoch * sizeof *r.step_ms);
  r.losses = malloc((size_t)per_epoch * (size_t)o->epochs * sizeof *r.losses);
  r.ref_ms = malloc((size_t)per_epoch * sizeof *r.ref_ms);
  int rc = 0;
  if (!r.perm || !r.bx || !r.by || !r.step_ms || !r.losses || !r.ref_ms) {
    fprintf(stderr, "%s: out of memory for a batch of %lld images\n", name, (long long)cap);
    rc = 1;
  }
  for (int64_t i = 0; i < train->n && !rc; i++) r.perm[i] = i;
  uint64_t rng = o->seed * 0x9E3779B97F4A7C15ull + 1;
  double acc = 0, epoch_s = 0, step_ms = 0, ref_ms = 0;
  char vs[64] = "";
  for (int e = 1; e <= o->epochs && !rc; e++) {
    double te = fm_now_s();
    int64_t steps = 0;
    double l = 0;
    if ((rc = epoch(name, c, o, train, &r, e, &rng, &steps, &l))) break;
    epoch_s = fm_now_s() - te;
    step_ms = median(r.step_ms, steps);
    ref_ms = median(r.ref_ms, r.nref);
    if (r.nref) snprintf(vs, sizeof vs, " ref_ms=%.2f vs_ref=%.2f", ref_ms, step_ms / ref_ms);
    /* the fastest steps (median() sorted them): under load, the pair least
     * disturbed by other processes */
    char fast[96] = "";
    if (r.nref)
      snprintf(fast, sizeof fast, " fastest_ms=%.2f ref_fastest_ms=%.2f vs_ref_fastest=%.2f", r.step_ms[0], r.ref_ms[0],
               r.step_ms[0] / r.ref_ms[0]);
    acc = fm_accuracy(r.predict, test, 1000);
    fprintf(stderr, "\r%40s\r", "");
    if (acc < 0) {
      fprintf(stderr, "%s: evaluating the test set failed: %s", name, sj_ctx_errmsg(c));
      rc = 1;
      break;
    }
    printf("epoch %d: train loss %.4f, test accuracy %.4f, %.2f s, step %.2f ms (median)%s%s\n", e, l, acc, epoch_s,
           step_ms, vs, fast);
    fflush(stdout); /* keep order with the progress line on stderr */
  }
  if (!rc)
    printf("RESULT %s test_acc=%.4f epochs=%d compile_ms=%.1f epoch_s=%.2f step_ms=%.2f%s\n", name, acc, o->epochs,
           r.compile_ms, epoch_s, step_ms, vs);
  if (!rc && o->check_falls) { /* rc 0: at least one step ran */
    int64_t w = r.nsteps / LOSS_WINDOW > 0 ? r.nsteps / LOSS_WINDOW : 1;
    double first = mean(r.losses, 0, w), last = mean(r.losses, r.nsteps - w, w);
    if (!(last < first)) {
      fprintf(stderr, "%s: the training loss did not fall (first %lld steps %.4f, last %lld steps %.4f)\n", name,
              (long long)w, first, (long long)w, last);
      rc = 1;
    }
  }
  if (!rc && o->export_dir) rc = fm_export_predictor(name, c, r.predict, o->export_dir, acc);
  if (!rc && profile) print_profile(r.step);
  free(r.perm), free(r.bx), free(r.by), free(r.step_ms), free(r.losses), free(r.ref_ms);
  sj_function_free(r.step), sj_function_free(r.predict);
  return rc;
}

/* --cpu: the C step's convolutions planned for one thread (ranked by CPU
 * time, as `conv_bench --lenet --cpu`) and its dense layers on one thread.
 * Non-zero (the reference freed) when out of memory. */
static int ref_single_thread(lenet_ref *r) {
  conv_shape s1 = r->conv1.s, s2 = r->conv2.s;
  conv_plan_free(&r->conv1), conv_plan_free(&r->conv2);
  r->fc_threads = 1;
  if (conv_plan_tune_threads(&r->conv1, &s1, CONV_FWD | CONV_BWD_FILTER, 1) ||
      conv_plan_tune_threads(&r->conv2, &s2, CONV_FWD | CONV_BWD_DATA | CONV_BWD_FILTER, 1)) {
    lenet_ref_free(r);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) /* before the options are taken out of argv */
    if (!strcmp(argv[i], "--ref")) bench_openblas_short_spin(argv); /* the C step's BLAS threads would spin through symjit's */
  train_opts o = {1, 64, 0.1, 0, 1, "/usr/share/datasets/fashion-mnist", 0, 0, NULL};
  lenet_opts lo = {0};
  lo.relu = take_flag(&argc, argv, "--relu");
  lo.composite = take_flag(&argc, argv, "--composite");
  bool profile = take_flag(&argc, argv, "--profile"), with_ref = take_flag(&argc, argv, "--ref");
  bool cpu = take_flag(&argc, argv, "--cpu");
  int64_t test_limit = 0;
  if (take_count(&argc, argv, "--test-limit", &test_limit) || fm_parse_args(argc, argv, &o, "lenet")) {
    fprintf(stderr, "lenet: also --test-limit N, --relu (relu instead of tanh), --composite (no conv2d/max_pool2d ops), --profile, --ref, --cpu (one thread each, CPU time)\n");
    return 2;
  }
  lo.lr = o.lr, lo.momentum = o.momentum;
  const char *name = lo.relu ? "lenet-relu" : "lenet";
  dataset train, test;
  if (fm_load_splits(&o, &train, &test)) return 1;
  if (test_limit > 0 && test_limit < test.n) test.n = test_limit;
  sj_ctx *c = sj_ctx_new();
  sj_tensor *init[LN_NPARAM] = {0};
  int rc = 1;
  lenet_model m;
  lenet_ref ref;
  if (!c || lenet_init(o.seed, init)) fprintf(stderr, "%s: out of memory\n", name);
  else if (lenet_build(&m, c, init, &lo)) fprintf(stderr, "%s: %s", name, sj_ctx_errmsg(c));
  else if (with_ref && (lenet_ref_new(&ref, o.batch < train.n ? o.batch : (int)train.n, lo.relu ? CONV_ACT_RELU : CONV_ACT_TANH, !cpu) ||
                        (cpu && ref_single_thread(&ref))))
    fprintf(stderr, "%s: out of memory for the C reference\n", name);
  else {
    if (with_ref) lenet_ref_init(&ref, o.seed);
    rc = train_and_test(name, c, &o, &train, &test, &m, profile, cpu, with_ref ? &ref : NULL);
    if (with_ref) lenet_ref_free(&ref);
  }
  lenet_init_free(init);
  sj_ctx_free(c);
  fm_free(&train), fm_free(&test);
  return rc;
}
