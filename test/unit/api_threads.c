/* The thread-safety contract of symjit.h ("threads"): different functions of
 * one context called from several threads at once (tiered, so the tier-2
 * swap happens under load; a graph function with a shared-variable update),
 * errors raised concurrently by them, and the error log read meanwhile with
 * sj_ctx_errmsg_copy, while the context's one writer compiles more;
 * contexts used from different threads independently.
 * Results must be right, nothing may crash, and the log stays bounded.
 * Built and run under ThreadSanitizer by scripts/test.sh (build-tsan). */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "symjit/graph.h"

#include "check.h"

#define NTHREADS 4
#define NCALLS 200

static const char *const src =
    "func @f0(%x: f32[?]) -> (f32[?]) {\n  %0 = exp %x : f32[?]\n  return %0\n}\n"
    "func @f1(%x: f32[?]) -> (f32[?]) {\n  %0 = tanh %x : f32[?]\n  return %0\n}\n"
    "func @f2(%x: f32[?]) -> (f32[?]) {\n  %0 = mul %x, %x : f32[?]\n  return %0\n}\n";

static double ref(int k, double x) { return k == 0 ? exp(x) : k == 1 ? tanh(x) : x * x; }

typedef struct job {
  sj_function *f;
  int k;
  int bad; /* calls that failed as they should */
  int wrong;
} job;

static atomic_int stop_reader;

/* Good calls (checked) and bad calls (wrong input count: an error recorded
 * in the shared context) interleaved. */
static void *caller(void *arg) {
  job *j = arg;
  float x[64];
  for (int i = 0; i < 64; i++) x[i] = (float)(i - 32) / 16;
  sj_tensor *in = sj_tensor_wrap(SJ_F32, 1, (int64_t[]){64}, x);
  for (int n = 0; n < NCALLS; n++) {
    sj_tensor *out = NULL;
    if (n % 4 == 3) {
      j->bad += sj_function_call(j->f, &in, 2, &out, 1) != SJ_OK && out == NULL;
      continue;
    }
    if (sj_function_call(j->f, &in, 1, &out, 1) != SJ_OK) {
      j->wrong++;
      continue;
    }
    for (int i = 0; i < 64; i++)
      if (fabs(sj_tensor_get(out, i) - ref(j->k, x[i])) > 1e-5 * (1 + fabs(ref(j->k, x[i])))) j->wrong++;
    sj_tensor_free(out);
  }
  sj_tensor_free(in);
  return NULL;
}

static void *reader(void *arg) {
  sj_ctx *c = arg;
  char buf[512];
  while (!atomic_load(&stop_reader)) {
    size_t n = sj_ctx_errmsg_copy(c, buf, sizeof buf);
    if (n && !strstr(buf, "error:")) fprintf(stderr, "log without an error: %s\n", buf);
  }
  return NULL;
}

typedef struct gjob {
  sj_function *f;
  sj_var *w;
  int wrong;
} gjob;

/* A graph function that counts its calls in a shared variable. */
static void *graph_caller(void *arg) {
  gjob *g = arg;
  double xv[2] = {1, 2};
  sj_tensor *in = sj_tensor_wrap(SJ_F64, 1, (int64_t[]){2}, xv);
  for (int n = 0; n < NCALLS; n++) {
    sj_tensor *out = NULL;
    if (sj_function_call(g->f, &in, 1, &out, 1) != SJ_OK || sj_tensor_get(out, 1) != 2 * (n + 1)) g->wrong++;
    sj_tensor_free(out);
  }
  if (sj_tensor_get(sj_shared_value(g->w), 0) != NCALLS) g->wrong++;
  sj_tensor_free(in);
  return NULL;
}

static void test_one_context(void) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = NULL;
  CHECK(sj_module_parse(c, src, strlen(src), "threads.sj", &m) == SJ_OK);
  job jobs[NTHREADS] = {{0}};
  char name[8];
  for (int t = 0; t < NTHREADS - 1; t++) {
    snprintf(name, sizeof name, "f%d", t);
    jobs[t].k = t;
    CHECK(sj_module_compile(m, name, NULL, &jobs[t].f) == SJ_OK); /* tiered: tier 2 swaps in under load */
  }
  /* the graph function: out = x * (w + 1), w <- w + 1 (w starts at 0) */
  gjob gj = {0};
  sj_tensor *w0 = sj_tensor_new(SJ_F64, 1, (int64_t[]){1});
  gj.w = sj_shared(c, "w", w0);
  sj_var *x = sj_input(c, "x", SJ_F64, 1, (int64_t[]){2});
  sj_var *w1 = sj_add(gj.w, sj_scalar(c, 1, SJ_F64));
  sj_var *y = sj_mul(x, w1);
  sj_update up = {gj.w, w1};
  CHECK(sj_compile(c, &x, 1, &y, 1, &up, 1, NULL, 0, NULL, &gj.f) == SJ_OK);
  sj_ctx_clear_errors(c);
  pthread_t th[NTHREADS + 1], rd;
  atomic_store(&stop_reader, 0);
  CHECK(pthread_create(&rd, NULL, reader, c) == 0);
  for (int t = 0; t < NTHREADS - 1; t++) CHECK(pthread_create(&th[t], NULL, caller, &jobs[t]) == 0);
  CHECK(pthread_create(&th[NTHREADS - 1], NULL, graph_caller, &gj) == 0);
  /* meanwhile this thread (the one writer) parses, builds and compiles more
   * in the same context, and calls and frees what it compiled */
  for (int r = 0; r < 4; r++) {
    sj_module *m2 = NULL;
    sj_function *f2 = NULL;
    CHECK(sj_module_parse(c, src, strlen(src), "more.sj", &m2) == SJ_OK);
    CHECK(m2 && sj_module_compile(m2, "f2", NULL, &f2) == SJ_OK);
    sj_var *z = sj_input(c, "z", SJ_F32, 1, (int64_t[]){2}), *e = sj_exp(z);
    sj_function *f3 = NULL;
    CHECK(sj_compile(c, &z, 1, &e, 1, NULL, 0, NULL, 0, NULL, &f3) == SJ_OK);
    float zv[2] = {1, 2};
    sj_tensor *tz = sj_tensor_wrap(SJ_F32, 1, (int64_t[]){2}, zv), *o2 = NULL, *o3 = NULL;
    CHECK(f2 && sj_function_call(f2, &tz, 1, &o2, 1) == SJ_OK && sj_tensor_get(o2, 1) == 4);
    CHECK(f3 && sj_function_call(f3, &tz, 1, &o3, 1) == SJ_OK && fabs(sj_tensor_get(o3, 0) - exp(1.0)) < 1e-6);
    sj_tensor_free(o2), sj_tensor_free(o3), sj_tensor_free(tz);
    sj_function_free(f2);
    sj_function_free(f3);
  }
  for (int t = 0; t < NTHREADS; t++) pthread_join(th[t], NULL);
  atomic_store(&stop_reader, 1);
  pthread_join(rd, NULL);
  int bad = 0;
  for (int t = 0; t < NTHREADS - 1; t++) {
    CHECK(jobs[t].wrong == 0);
    CHECK(jobs[t].bad == NCALLS / 4);
    bad += jobs[t].bad;
    sj_function_free(jobs[t].f);
  }
  CHECK(gj.wrong == 0);
  /* every bad call left one error line; the log keeps what fits and counts the rest */
  const char *log = sj_ctx_errmsg(c);
  int lines = 0;
  for (const char *p = log; (p = strstr(p, "takes 1 inputs, got 2")); p++) lines++;
  long dropped = 0;
  const char *d = strstr(log, "note: ");
  if (d) sscanf(d, "note: %ld more diagnostic", &dropped);
  CHECK(lines + dropped == bad);
  CHECK(strlen(log) <= SJ_ERRMSG_MAX_BYTES + 128);
  sj_function_free(gj.f);
  sj_tensor_free(w0);
  sj_ctx_free(c);
}

/* The log's bound: many errors keep the first messages whole and end with
 * one line counting the others. */
static void test_bounded_log(void) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = NULL;
  int n = 0;
  while (sj_ctx_errmsg(c)[0] == '\0' || !strstr(sj_ctx_errmsg(c), "more diagnostics dropped")) {
    CHECK(sj_module_parse(c, "func @", 6, "bad.sj", &m) == SJ_ERR_PARSE);
    if (++n > 100000) break;
  }
  const char *log = sj_ctx_errmsg(c);
  size_t len = strlen(log);
  CHECK(len <= SJ_ERRMSG_MAX_BYTES + 128 && len > SJ_ERRMSG_MAX_BYTES / 2);
  long d0 = 0, dropped = 0;
  const char *d = strstr(log, "note: ");
  CHECK(d && sscanf(d, "note: %ld more diagnostic", &d0) == 1 && d0 >= 1);
  /* lines one bad parse records */
  sj_ctx *c1 = sj_ctx_new();
  CHECK(sj_module_parse(c1, "func @", 6, "bad.sj", &m) == SJ_ERR_PARSE);
  long per = 0;
  for (const char *p = sj_ctx_errmsg(c1); *p; p++) per += *p == '\n';
  sj_ctx_free(c1);
  for (int k = 0; k < 1000; k++) CHECK(sj_module_parse(c, "func @", 6, "bad.sj", &m) == SJ_ERR_PARSE);
  CHECK(strlen(sj_ctx_errmsg(c)) <= SJ_ERRMSG_MAX_BYTES + 128);
  d = strstr(sj_ctx_errmsg(c), "note: ");
  CHECK(d && sscanf(d, "note: %ld more diagnostics dropped", &dropped) == 1 && dropped == d0 + 1000 * per);
  CHECK(strncmp(sj_ctx_errmsg(c), "bad.sj:1:", 9) == 0); /* the first message is kept */
  /* each kept line is whole: the text before the note ends with a newline */
  CHECK(d > log && d[-1] == '\n');
  char small[16];
  CHECK(sj_ctx_errmsg_copy(c, small, sizeof small) == strlen(sj_ctx_errmsg(c)) && strlen(small) == 15);
  sj_ctx_clear_errors(c);
  CHECK(sj_ctx_errmsg(c)[0] == '\0');
  CHECK(sj_module_parse(c, "func @", 6, "bad.sj", &m) == SJ_ERR_PARSE);
  CHECK(!strstr(sj_ctx_errmsg(c), "dropped"));
  sj_ctx_free(c);
}

/* Independent contexts in independent threads: parse, compile, build, call. */
static void *own_context(void *arg) {
  int *wrong = arg;
  sj_ctx *c = sj_ctx_new();
  sj_var *x = sj_input(c, "x", SJ_F32, 1, (int64_t[]){3});
  sj_var *y = sj_exp(sj_neg(x));
  sj_function *f = NULL;
  if (sj_compile(c, &x, 1, &y, 1, NULL, 0, NULL, 0, NULL, &f) != SJ_OK) {
    (*wrong)++;
  } else {
    float xv[3] = {0, 1, 2};
    sj_tensor *in = sj_tensor_wrap(SJ_F32, 1, (int64_t[]){3}, xv), *out = NULL;
    if (sj_function_call(f, &in, 1, &out, 1) != SJ_OK || fabs(sj_tensor_get(out, 2) - exp(-2.0)) > 1e-6) (*wrong)++;
    sj_tensor_free(out);
    sj_tensor_free(in);
  }
  sj_function_free(f);
  sj_ctx_free(c);
  return NULL;
}

static void test_many_contexts(void) {
  pthread_t th[NTHREADS];
  int wrong[NTHREADS] = {0};
  for (int t = 0; t < NTHREADS; t++) CHECK(pthread_create(&th[t], NULL, own_context, &wrong[t]) == 0);
  for (int t = 0; t < NTHREADS; t++) {
    pthread_join(th[t], NULL);
    CHECK(wrong[t] == 0);
  }
}

int main(void) {
  test_one_context();
  test_bounded_log();
  test_many_contexts();
  return failures ? 1 : 0;
}
