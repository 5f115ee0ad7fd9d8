/* One training step of the character-level LSTM (one-hot input, 256 units,
 * sequence 50, batch 32, linear + softmax cross-entropy at every step, Adam;
 * decision 0020): symjit (examples/char_model.c: sj_scan + sj_grad) against
 * the hand-written C + OpenBLAS step (bench/lstm_ref.c), from the same
 * initial weights on the same batches, in the same run; exits 1 when the
 * first three losses differ by more than 5e-5.
 *   lstm_bench [--rounds 5] [--reps 10] [--profile] [--unrolled] [--single]   the benchmark
 *     (--single: both on one thread, timed in process CPU time: stable on a loaded machine)
 *       (--unrolled: symjit's graph with the loop unrolled instead of scan)
 *   lstm_bench --curve N [--seed S] [--embed E]      the C reference's loss curve
 *   lstm_bench --compare N [--seed S] [--unrolled]   N training steps of both from the
 *       same weights on the same batches: both loss curves
 *   lstm_bench --dump-grad FILE [--embed E]          a small model's loss and
 *       gradient for bench/lstm_ref_check.py (numpy, central differences) */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "char_data.h"
#include "char_model.h"
#include "lstm_ref.h"

#define H 256
#define T 50
#define B 32
#define LR 2e-3f

typedef struct args {
  int rounds, reps, curve, embed, profile, unrolled, compare, single;
  uint64_t seed;
  const char *dump, *text;
} args;

static int parse(int argc, char **argv, args *a) {
  for (int i = 1; i < argc; i++) {
    const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(k, "--profile") || !strcmp(k, "--unrolled") || !strcmp(k, "--single")) {
      *(k[2] == 'p' ? &a->profile : k[2] == 'u' ? &a->unrolled : &a->single) = 1;
      continue;
    }
    if (!v) return 1;
    if (!strcmp(k, "--rounds")) a->rounds = atoi(v);
    else if (!strcmp(k, "--reps")) a->reps = atoi(v);
    else if (!strcmp(k, "--curve")) a->curve = atoi(v);
    else if (!strcmp(k, "--compare")) a->compare = atoi(v);
    else if (!strcmp(k, "--embed")) a->embed = atoi(v);
    else if (!strcmp(k, "--seed")) a->seed = strtoull(v, NULL, 10);
    else if (!strcmp(k, "--dump-grad")) a->dump = v;
    else if (!strcmp(k, "--text")) a->text = v;
    else return 1;
    i++;
  }
  return a->rounds < 1 || a->reps < 1 || a->reps > 64 || a->embed < 0;
}

/* The C reference alone: loss at steps 1..3, every 25 steps, at the end and
 * the mean of the last 10 (the numbers of decision 0020). */
static int curve(const args *a, const char_text *t) {
  lstm_ref r;
  if (lstm_ref_new(&r, t->vocab, a->embed, H, T, B)) return 1;
  lstm_ref_init(&r, a->seed);
  int32_t x[T * B], y[T * B];
  uint64_t rng = a->seed;
  double last[10] = {0}, first = 0, t0 = bench_now_ms();
  for (int s = 1; s <= a->curve; s++) {
    char_sample_batch(t, B, T, &rng, x, y);
    double l = lstm_ref_step(&r, x, y, LR);
    last[(s - 1) % 10] = l;
    if (s == 1) first = l;
    if (s <= 3 || s % 25 == 0 || s == a->curve) printf("step %d: loss %.4f\n", s, l);
  }
  double mean = 0;
  int n = a->curve < 10 ? a->curve : 10;
  for (int i = 0; i < n; i++) mean += last[i];
  printf("RESULT lstm_ref loss_first=%.4f loss_last10=%.4f steps=%d embed=%d seed=%llu step_ms=%.2f\n", first,
         mean / n, a->curve, a->embed, (unsigned long long)a->seed, (bench_now_ms() - t0) / a->curve);
  lstm_ref_free(&r);
  return 0;
}

/* A small model (larger weights, so gates saturate somewhat): parameters,
 * batch, loss and gradient in one binary file for lstm_ref_check.py. */
static int dump_grad(const args *a) {
  const int V = 7, E = a->embed, h = 5, steps = 4, batch = 3;
  lstm_ref r;
  if (lstm_ref_new(&r, V, E, h, steps, batch)) return 1;
  lstm_ref_init(&r, a->seed);
  for (int64_t i = 0; i < r.nparam; i++) r.param[i] *= 4;
  int32_t x[4 * 3], y[4 * 3];
  uint64_t rng = a->seed;
  for (int i = 0; i < steps * batch; i++) x[i] = (int32_t)(char_rng_next(&rng) % V), y[i] = (int32_t)(char_rng_next(&rng) % V);
  double loss = lstm_ref_loss_grad(&r, x, y);
  FILE *f = fopen(a->dump, "wb");
  int32_t hdr[5] = {V, E, h, steps, batch};
  int bad = !f || fwrite(hdr, 4, 5, f) != 5 || fwrite(x, 4, 12, f) != 12 || fwrite(y, 4, 12, f) != 12 ||
            fwrite(r.param, 4, (size_t)r.nparam, f) != (size_t)r.nparam ||
            fwrite(r.grad, 4, (size_t)r.nparam, f) != (size_t)r.nparam || fwrite(&loss, 8, 1, f) != 1;
  if (f && fclose(f)) bad = 1;
  if (bad) fprintf(stderr, "lstm_bench: cannot write %s\n", a->dump);
  lstm_ref_free(&r);
  return bad;
}

typedef struct sj_env {
  sj_function *f;
  sj_tensor *in[2];
  double loss;
} sj_env;

typedef struct ref_env {
  lstm_ref *r;
  const int32_t *x, *y;
  double loss;
} ref_env;

static void sj_step(void *p) {
  sj_env *e = p;
  sj_tensor *l = NULL;
  if (sj_function_call(e->f, e->in, 2, &l, 1) != SJ_OK) {
    fprintf(stderr, "lstm_bench: the symjit step failed\n");
    exit(1);
  }
  e->loss = sj_tensor_get(l, 0);
  sj_tensor_free(l);
}

static void ref_step(void *p) {
  ref_env *e = p;
  e->loss = lstm_ref_step(e->r, e->x, e->y, LR);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
  return v[n / 2];
}

/* The reference's best threading: OpenBLAS on 1 thread or on all. */
static int ref_threads(ref_env *re, double *ms1, double *msn) {
  int n = openblas_get_num_procs();
  openblas_set_num_threads(1);
  *ms1 = bench_median_ms(ref_step, re, 5);
  openblas_set_num_threads(n);
  *msn = bench_median_ms(ref_step, re, 5);
  return *ms1 <= *msn ? 1 : n;
}

static int timed(const args *a, char_model *m, sj_env *se, ref_env *re, double optimized_ms);

/* --single: both sides on one thread, timed in process CPU time, which a
 * loaded machine's preemption does not inflate (a work comparison; the
 * wall-clock ratio on all cores is the figure of record). */
static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int bench(const args *a, const char_text *t) {
  lstm_ref r;
  if (lstm_ref_new(&r, t->vocab, 0, H, T, B)) return 1;
  lstm_ref_init(&r, a->seed);
  int64_t xd[2] = {T, B};
  int32_t x[T * B], y[T * B];
  uint64_t rng = a->seed;
  char_sample_batch(t, B, T, &rng, x, y);
  /* the same initial weights for both */
  sj_tensor *init[CM_NPARAM];
  const int src[CM_NPARAM] = {LSTM_WIH, LSTM_B, LSTM_WHH, LSTM_WOUT, LSTM_BOUT};
  const int64_t dims[CM_NPARAM][2] = {{t->vocab, 4 * H}, {4 * H}, {H, 4 * H}, {H, t->vocab}, {t->vocab}};
  for (int k = 0; k < CM_NPARAM; k++)
    init[k] = sj_tensor_wrap(SJ_F32, k == CM_B || k == CM_BOUT ? 1 : 2, dims[k], r.param + r.off[src[k]]);
  sj_ctx *c = sj_ctx_new();
  char_model m;
  openblas_set_num_threads(1); /* symjit splits GEMMs over its own pool */
  if (a->profile) setenv("SYMJIT_PROFILE", "1", 1);
  double t0 = bench_now_ms();
  if (char_model_build(&m, c, t->vocab, H, T, B, LR, 1.0, a->seed, init, a->unrolled, a->single)) {
    fprintf(stderr, "lstm_bench: %s", sj_ctx_errmsg(c));
    return 1;
  }
  sj_function_wait(m.step); /* time the fully optimized kernels */
  double optimized_ms = bench_now_ms() - t0;
  for (int k = 0; k < CM_NPARAM; k++) sj_tensor_free(init[k]);
  sj_env se = {m.step, {sj_tensor_wrap(SJ_I32, 2, xd, x), sj_tensor_wrap(SJ_I32, 2, xd, y)}, 0};
  ref_env re = {&r, x, y, 0};
  if (a->compare) { /* both curves, fresh batches each step */
    double last[2][10] = {{0}}, worst = 0;
    for (int s = 1; s <= a->compare; s++) {
      char_sample_batch(t, B, T, &rng, x, y);
      sj_step(&se), ref_step(&re);
      last[0][(s - 1) % 10] = se.loss, last[1][(s - 1) % 10] = re.loss;
      worst = fmax(worst, fabs(se.loss - re.loss));
      if (s <= 3 || s % 25 == 0) printf("step %d: loss symjit %.4f reference %.4f\n", s, se.loss, re.loss);
    }
    double m0 = 0, m1 = 0;
    for (int i = 0; i < 10; i++) m0 += last[0][i] / 10, m1 += last[1][i] / 10;
    printf("RESULT lstm_compare steps=%d symjit_last10=%.4f ref_last10=%.4f max_step_diff=%.4f\n", a->compare, m0, m1,
           worst);
  }
  int rc = a->compare ? 0 : timed(a, &m, &se, &re, optimized_ms);
  sj_tensor_free(se.in[0]), sj_tensor_free(se.in[1]);
  char_model_free(&m);
  sj_ctx_free(c);
  lstm_ref_free(&r);
  return rc;
}

/* Same weights, same batch: the first steps' losses agree; then both steps
 * alternately, medians and their ratio. */
static int timed(const args *a, char_model *m, sj_env *se, ref_env *re, double optimized_ms) {
  double worst = 0;
  for (int s = 0; s < 3; s++) {
    sj_step(se), ref_step(re);
    printf("step %d: loss symjit %.6f reference %.6f\n", s + 1, se->loss, re->loss);
    worst = fmax(worst, fabs(se->loss - re->loss));
  }
  double t0, t1, tn;
  int threads = a->single ? 1 : ref_threads(re, &t1, &tn);
  if (a->single) t1 = tn = 0;
  double (*now)(void) = a->single ? cpu_ms : bench_now_ms;
  double tsj[64 * 8], tref[64 * 8];
  int n = 0;
  for (int round = 0; round < a->rounds && round < 8; round++)
    for (int i = 0; i < a->reps; i++, n++) { /* alternating: both see the same load */
      openblas_set_num_threads(1);
      t0 = now();
      sj_step(se);
      tsj[n] = now() - t0;
      openblas_set_num_threads(threads);
      t0 = now();
      ref_step(re);
      tref[n] = now() - t0;
    }
  /* medians, and the fastest of each: on a loaded machine the fastest step
   * is the one least disturbed by other processes */
  double ms_sj = median(tsj, n), ms_ref = median(tref, n);
  double min_sj = tsj[0], min_ref = tref[0]; /* sorted by median() */
  printf("reference threads: 1 -> %.2f ms, %d -> %.2f ms; using %d\n", t1, openblas_get_num_procs(), tn, threads);
  printf("BENCH char_lstm_step symjit_ms=%.2f ref_ms=%.2f ratio=%.3f min_ratio=%.3f compile_ms=%.1f "
         "optimized_ms=%.1f loss_diff=%.2g\n",
         ms_sj, ms_ref, ms_sj / ms_ref, min_sj / min_ref, m->compile_ms, optimized_ms, worst);
  if (a->profile) {
    char buf[1 << 16];
    sj_function_profile(m->step, buf, sizeof buf);
    printf("%s", buf);
  }
  return worst > 5e-5; /* the unrolled loop agrees to ~1e-6 */
}

int main(int argc, char **argv) {
  bench_openblas_short_spin(argv);
  args a = {5, 10, 0, 0, 0, 0, 0, 0, 1, NULL, CHAR_DEFAULT_TEXT};
  if (parse(argc, argv, &a)) {
    fprintf(stderr, "usage: lstm_bench [--rounds N] [--reps N] [--profile] [--unrolled] [--single] | --curve N [--seed S] [--embed E] | "
                    "--compare N [--seed S] [--unrolled] | "
                    "--dump-grad FILE [--embed E]\n");
    return 2;
  }
  if (a.dump) return dump_grad(&a);
  /* numbers from machines whose OpenBLAS picked other kernels do not compare */
  printf("openblas core: %s, %d threads, OPENBLAS_THREAD_TIMEOUT=%s\n", openblas_get_corename(), openblas_get_num_procs(),
         getenv("OPENBLAS_THREAD_TIMEOUT") ? getenv("OPENBLAS_THREAD_TIMEOUT") : "(OpenBLAS's default)");
  char_text t;
  if (char_text_load(a.text, T + 1, &t)) return 1;
  int rc = a.curve ? curve(&a, &t) : bench(&a, &t);
  char_text_free(&t);
  return rc;
}
