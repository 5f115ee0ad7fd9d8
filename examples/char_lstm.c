/* A character-level LSTM that learns to write like its training text (the
 * GNU GPL v3 by default): one-hot characters, one LSTM layer of 256 units
 * written with sj_scan, a linear layer and softmax cross-entropy at every
 * step, gradients by sj_grad (backpropagation through time), Adam.
 * Every --sample-every steps it continues "the meaning of life is".
 *   ./build/char_lstm [--steps 200] [--seed 1] [--lr 2e-3] [--text FILE]
 *                     [--temperature 0.7] [--sample-every 100] [--hidden 256]
 *                     [--seq 50] [--batch 32] [--check-loss-falls] [--unrolled]
 * --unrolled builds the recurrence as --seq copies of the cell instead of a
 * scan (the same function; a cross-check).
 * Model, initialization and the reference curve: docs/decisions/0020-char-lstm.md. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "char_data.h"
#include "char_model.h"
#include "symjit/info.h"

#define PROMPT "the meaning of life is"
#define SAMPLE_LEN 200

typedef struct opts {
  long long steps, sample_every, hidden, seq, batch;
  unsigned long long seed;
  double lr, temperature;
  const char *text;
  bool check_falls, unrolled;
} opts;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int parse_int(const char *s, long long lo, long long hi, long long *out) {
  char *end;
  long long v = strtoll(s, &end, 10);
  if (!*s || *end || v < lo || v > hi) return 1;
  *out = v;
  return 0;
}

static int parse_real(const char *s, double lo, double *out) {
  char *end;
  double v = strtod(s, &end);
  if (!*s || *end || !(v >= lo) || v > 1e30) return 1;
  *out = v;
  return 0;
}

static int parse_args(int argc, char **argv, opts *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    int bad = 0, known = 1;
    if (!strcmp(a, "--check-loss-falls") || !strcmp(a, "--unrolled")) {
      *(a[2] == 'c' ? &o->check_falls : &o->unrolled) = true;
      continue;
    }
    if (!val) known = 0;
    else if (!strcmp(a, "--steps")) bad = parse_int(val, 1, INT_MAX, &o->steps);
    else if (!strcmp(a, "--sample-every")) bad = parse_int(val, 0, INT_MAX, &o->sample_every);
    else if (!strcmp(a, "--hidden")) bad = parse_int(val, 1, 4096, &o->hidden);
    else if (!strcmp(a, "--seq")) bad = parse_int(val, 1, 100000, &o->seq);
    else if (!strcmp(a, "--batch")) bad = parse_int(val, 1, 100000, &o->batch);
    else if (!strcmp(a, "--seed")) bad = parse_int(val, 0, LLONG_MAX, (long long *)&o->seed);
    else if (!strcmp(a, "--lr")) bad = parse_real(val, 1e-30, &o->lr);
    else if (!strcmp(a, "--temperature")) bad = parse_real(val, 1e-6, &o->temperature);
    else if (!strcmp(a, "--text")) o->text = val;
    else known = 0;
    if (!known) {
      fprintf(stderr, "usage: char_lstm [--steps N] [--seed N] [--lr X] [--text FILE] [--temperature X] "
                      "[--sample-every N] [--hidden N] [--seq N] [--batch N] [--check-loss-falls] [--unrolled]\n");
      return 1;
    }
    if (bad) {
      fprintf(stderr, "char_lstm: %s %s: out of range or not a number\n", a, val);
      return 1;
    }
    i++;
  }
  return 0;
}

/* Feeds PROMPT (the characters of it in the vocabulary) through the
 * sampler, then prints SAMPLE_LEN characters, each drawn by the sampler
 * (softmax(logits / temperature), a Philox stream) and fed back. Non-zero
 * when a call fails. */
static int sample(const char_model *m, const char_text *t) {
  int64_t xd[1] = {1}, hd[2] = {1, m->H};
  int32_t x = 0;
  /* in: x, h, c; out: the drawn character, h', c' (the next call's h, c) */
  sj_tensor *in[3] = {sj_tensor_wrap(SJ_I32, 1, xd, &x), sj_tensor_new(SJ_F32, 2, hd), sj_tensor_new(SJ_F32, 2, hd)};
  sj_tensor *out[3] = {0};
  int32_t ids[sizeof PROMPT];
  int64_t n = char_encode(t, PROMPT, ids); /* the prompt's characters that the text has */
  if (n == 0) ids[0] = t->ids[0], n = 1;  /* none: start from the text's first character */
  int rc = !in[0] || !in[1] || !in[2];
  for (int64_t k = 0; k < n; k++) putchar(t->chars[ids[k]]);
  for (int64_t k = 0; k < n + SAMPLE_LEN - 1 && !rc; k++) {
    x = k < n ? ids[k] : x;
    if ((rc = sj_function_call(m->sampler, in, 3, out, 3) != SJ_OK)) break;
    if (k + 1 >= n) { /* the prompt is consumed: the drawn character is next */
      x = *(const int32_t *)sj_tensor_data(out[0]);
      putchar(t->chars[x]);
    }
    sj_tensor_free(out[0]), sj_tensor_free(in[1]), sj_tensor_free(in[2]);
    in[1] = out[1], in[2] = out[2];
    out[0] = out[1] = out[2] = NULL;
  }
  printf("\n");
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
  return rc;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int train(const opts *o, const char_text *t, sj_ctx *c, char_model *m) {
  const int T = (int)o->seq, B = (int)o->batch;
  int32_t *x = malloc((size_t)T * (size_t)B * sizeof *x), *y = malloc((size_t)T * (size_t)B * sizeof *y);
  double *step_ms = malloc((size_t)o->steps * sizeof *step_ms), loss_first = 0, last10[10] = {0};
  int64_t xd[2] = {T, B};
  sj_tensor *in[2] = {sj_tensor_wrap(SJ_I32, 2, xd, x), sj_tensor_wrap(SJ_I32, 2, xd, y)};
  uint64_t batch_rng = o->seed;
  int rc = !x || !y || !step_ms || !in[0] || !in[1];
  if (rc) fprintf(stderr, "char_lstm: out of memory\n");
  long long s = 0;
  for (s = 1; s <= o->steps && !rc; s++) {
    char_sample_batch(t, B, T, &batch_rng, x, y);
    sj_tensor *l = NULL;
    double t0 = now_ms();
    if (sj_function_call(m->step, in, 2, &l, 1) != SJ_OK) {
      fprintf(stderr, "char_lstm: %s", sj_ctx_errmsg(c));
      rc = 1;
      break;
    }
    step_ms[s - 1] = now_ms() - t0;
    double loss = sj_tensor_get(l, 0);
    sj_tensor_free(l);
    if (s == 1) loss_first = loss;
    last10[(s - 1) % 10] = loss;
    if (s == 1 || s % 10 == 0) printf("step %lld: loss %.4f (%.1f ms)\n", s, loss, step_ms[s - 1]);
    if (o->sample_every && (s % o->sample_every == 0 || s == o->steps)) {
      printf("--- sample after step %lld (temperature %g) ---\n", s, o->temperature);
      if ((rc = sample(m, t))) fprintf(stderr, "char_lstm: %s", sj_ctx_errmsg(c));
      printf("---\n");
    }
    fflush(stdout);
  }
  if (!rc) {
    long long n = o->steps < 10 ? o->steps : 10;
    double mean = 0;
    for (long long i = 0; i < n; i++) mean += last10[i];
    mean /= (double)n;
    qsort(step_ms, (size_t)o->steps, sizeof *step_ms, cmp_double);
    printf("RESULT char_lstm loss_first=%.4f loss_last10=%.4f steps=%lld compile_ms=%.1f step_ms=%.2f\n", loss_first,
           mean, o->steps, m->compile_ms, step_ms[o->steps / 2]);
    if (o->check_falls && !(mean < loss_first - 0.5)) {
      fprintf(stderr, "char_lstm: the training loss did not fall (%.4f -> %.4f)\n", loss_first, mean);
      rc = 1;
    }
  }
  sj_tensor_free(in[0]), sj_tensor_free(in[1]);
  free(x), free(y), free(step_ms);
  return rc;
}

int main(int argc, char **argv) {
  opts o = {200, 100, 256, 50, 32, 1, 2e-3, 0.7, CHAR_DEFAULT_TEXT, false, false};
  if (parse_args(argc, argv, &o)) return 2;
  char_text t;
  if (char_text_load(o.text, o.seq + 1, &t)) return 1;
  sj_ctx *c = sj_ctx_new();
  sj_tensor *init[CM_NPARAM] = {0};
  char_model m = {0};
  int rc = 1;
  if (!c || char_model_init(c, t.vocab, (int)o.hidden, o.seed, init)) {
    fprintf(stderr, "char_lstm: %s", c ? sj_ctx_errmsg(c) : "out of memory\n");
  } else if (char_model_build(&m, c, t.vocab, (int)o.hidden, (int)o.seq, (int)o.batch, o.lr, o.temperature, o.seed, init,
                              o.unrolled, 0)) {
    fprintf(stderr, "char_lstm: %s", sj_ctx_errmsg(c));
  } else {
    printf("char_lstm: %s, %lld bytes, vocabulary %d; LSTM %lld units, sequence %lld, batch %lld, Adam lr %g; "
           "training step compiled in %.1f ms; BLAS: %s\n",
           o.text, (long long)t.n, t.vocab, o.hidden, o.seq, o.batch, o.lr, m.compile_ms, sj_blas_info());
    rc = train(&o, &t, c, &m);
  }
  char_model_free(&m);
  for (int k = 0; k < CM_NPARAM; k++) sj_tensor_free(init[k]);
  sj_ctx_free(c);
  char_text_free(&t);
  return rc;
}
