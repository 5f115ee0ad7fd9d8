/* The debugging aids of docs/debugging.md through the C API: IR dumps of a
 * graph-built function (callback and directory: every stage, the user's
 * names and file:line), sj_function_ir and sj_function_dot, the NaN guard
 * (positive with the op's line, negative on clean runs and on infinities
 * passed in), and the per-kernel profile (a row per kernel, calls counted). */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symjit/graph.h"

#include "check.h"

/* ---- dumps ---- */

typedef struct seen {
  char stages[64][32];
  int n;
  char input[4096];
  char final_[8192];
} seen;

static void on_dump(void *ud, const char *func, const char *stage, const char *text, size_t len) {
  seen *s = ud;
  CHECK(!strcmp(func, "graph_fn0"));
  CHECK(strlen(text) == len);
  if (s->n < 64) snprintf(s->stages[s->n++], sizeof s->stages[0], "%s", stage);
  if (!strcmp(stage, "input")) snprintf(s->input, sizeof s->input, "%s", text);
  if (!strcmp(stage, "final")) snprintf(s->final_, sizeof s->final_, "%s", text);
}

static bool has_stage(const seen *s, const char *stage) {
  for (int i = 0; i < s->n; i++)
    if (!strcmp(s->stages[i], stage)) return true;
  return false;
}

/* y = log(x) * 2 + b, with names; returns the line of the sj_log call. */
static int build(sj_ctx *c, sj_var **x, sj_var **b, sj_var **y) {
  int64_t dims[1] = {-1};
  *x = sj_input(c, "x", SJ_F32, 1, dims);
  *b = sj_input(c, "bias", SJ_F32, 1, dims);
  int line = __LINE__ + 1;
  sj_var *l = sj_name(sj_log(*x), "logx");
  *y = sj_name(sj_add(sj_mul(l, sj_scalar(c, 2.0, SJ_F32)), *b), "y");
  return line;
}

static void test_dump_callback(void) {
  sj_ctx *c = sj_ctx_new();
  sj_var *x, *b, *y;
  int line = build(c, &x, &b, &y);
  seen s = {0};
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.dump = on_dump;
  o.dump_ud = &s;
  sj_function *f = NULL;
  sj_var *in[2] = {x, b};
  CHECK(sj_compile(c, in, 2, &y, 1, NULL, 0, NULL, 0, &o, &f) == SJ_OK);
  /* default stages: input, every pass of the pipeline, final; not llvm */
  CHECK(s.n >= 4 && !strcmp(s.stages[0], "input") && !strcmp(s.stages[s.n - 1], "final"));
  CHECK(has_stage(&s, "canonicalize") && has_stage(&s, "fuse-elementwise") && has_stage(&s, "lower-to-loops"));
  CHECK(!has_stage(&s, "llvm"));
  /* the input: the user's names and the line of each graph call */
  char where[64];
  snprintf(where, sizeof where, "// test/unit/debug.c:%d", line);
  CHECK(strstr(s.input, "%x: f32[?]") && strstr(s.input, "%bias: f32[?]"));
  CHECK(strstr(s.input, "%logx = log %x : f32[?]"));
  CHECK(strstr(s.input, where) || strstr(s.input, "debug.c:"));
  CHECK(strstr(s.final_, "launch") && strstr(s.final_, "kernel @graph_fn0_k0"));

  /* sj_function_ir: the same texts on demand; sizes first */
  size_t n = 0;
  CHECK(sj_function_ir(f, "input", NULL, 0, &n) == SJ_OK && n == strlen(s.input));
  char *buf = malloc(n + 1);
  CHECK(sj_function_ir(f, "input", buf, n + 1, &n) == SJ_OK && !strcmp(buf, s.input));
  free(buf);
  char small[16];
  CHECK(sj_function_ir(f, "final", small, sizeof small, &n) == SJ_OK && strlen(small) == 15 && n > 15);
  CHECK(sj_function_ir(f, "llvm", NULL, 0, &n) == SJ_OK && n > 0);
  CHECK(sj_function_ir(f, "after-everything", small, sizeof small, &n) == SJ_ERR_INVALID && !small[0]);
  CHECK(strstr(sj_ctx_errmsg(c), "unknown stage 'after-everything'"));
  sj_ctx_clear_errors(c);

  /* dot: one digraph, the launch as a cluster, types on edges */
  CHECK(sj_function_dot(f, "final", NULL, 0, &n) == SJ_OK);
  char *dot = malloc(n + 1);
  CHECK(sj_function_dot(f, "final", dot, n + 1, NULL) == SJ_OK);
  CHECK(!strncmp(dot, "digraph \"func @graph_fn0\" {", 27) && strstr(dot, "subgraph cluster_"));
  CHECK(strstr(dot, "launch kernel=@graph_fn0_k0") && strstr(dot, "[label=\"f32[?]\"]"));
  free(dot);
  CHECK(sj_function_dot(f, "input", NULL, 0, &n) == SJ_OK && n > 0);
  sj_function_free(f);

  /* a stage name that is nothing: an error, not silence */
  o.dump_stages = "input,fuse-elementwize";
  CHECK(sj_compile(c, in, 2, &y, 1, NULL, 0, NULL, 0, &o, &f) != SJ_OK && !f);
  CHECK(strstr(sj_ctx_errmsg(c), "unknown stage 'fuse-elementwize'"));
  sj_ctx_free(c);
}

static void test_dump_dir(void) {
  char dir[] = "/tmp/symjit-dump-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char sub[64];
  snprintf(sub, sizeof sub, "%s/d", dir); /* created by the compile */
  sj_ctx *c = sj_ctx_new();
  sj_var *x, *b, *y;
  build(c, &x, &b, &y);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.dump_dir = sub;
  o.dump_stages = "input,lower-to-loops,final,llvm";
  o.pipeline = "canonicalize,dce,fuse-elementwise,lower-to-loops"; /* fixed numbering */
  sj_function *f = NULL;
  sj_var *in[2] = {x, b};
  CHECK(sj_compile(c, in, 2, &y, 1, NULL, 0, NULL, 0, &o, &f) == SJ_OK);
  /* numbered by pipeline position, selected or not */
  const char *want[] = {"graph_fn0.00.input.sj", "graph_fn0.04.lower-to-loops.sj", "graph_fn0.05.final.sj",
                        "graph_fn0.06.llvm.ll"};
  for (int i = 0; i < 4; i++) {
    char path[160];
    snprintf(path, sizeof path, "%s/%s", sub, want[i]);
    CHECK(access(path, R_OK) == 0);
    remove(path);
  }
  char path[160];
  snprintf(path, sizeof path, "%s/graph_fn0.01.canonicalize.sj", sub);
  CHECK(access(path, R_OK) != 0);
  sj_function_free(f);
  rmdir(sub);
  rmdir(dir);
  /* an unwritable directory fails the compile with its name */
  o.dump_dir = "/proc/symjit-no-such-dir";
  CHECK(sj_compile(c, in, 2, &y, 1, NULL, 0, NULL, 0, &o, &f) != SJ_OK);
  CHECK(strstr(sj_ctx_errmsg(c), "/proc/symjit-no-such-dir"));
  sj_ctx_free(c);
}

/* ---- NaN guard ---- */

static sj_status call1(sj_function *f, double xv, double bv, double *out) {
  int64_t d[1] = {4};
  sj_tensor *x = sj_tensor_new(SJ_F32, 1, d), *b = sj_tensor_new(SJ_F32, 1, d), *y = NULL;
  for (int i = 0; i < 4; i++) {
    sj_tensor_set(x, i, i == 2 ? xv : 1.5);
    sj_tensor_set(b, i, bv);
  }
  sj_tensor *in[2] = {x, b};
  sj_status st = sj_function_call(f, in, 2, &y, 1);
  if (!st) *out = sj_tensor_get(y, 2);
  sj_tensor_free(x);
  sj_tensor_free(b);
  sj_tensor_free(y);
  return st;
}

static void test_nan_guard(void) {
  sj_ctx *c = sj_ctx_new();
  sj_var *x, *b, *y;
  int line = build(c, &x, &b, &y);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.nan_guard = 1;
  sj_function *f = NULL, *plain = NULL;
  sj_var *in[2] = {x, b};
  CHECK(sj_compile(c, in, 2, &y, 1, NULL, 0, NULL, 0, &o, &f) == SJ_OK);
  CHECK(sj_compile(c, in, 2, &y, 1, NULL, 0, NULL, 0, NULL, &plain) == SJ_OK);
  double v = 0;
  /* clean: no error, the same value as without the guard */
  CHECK(call1(f, 4.0, 1.0, &v) == SJ_OK && fabs(v - (2 * log(4.0) + 1)) < 1e-5);
  CHECK(!sj_ctx_errmsg(c)[0]);
  /* log(-1): the log's line, the op, the element */
  CHECK(call1(f, -1.0, 1.0, &v) == SJ_ERR_INVALID);
  char want[96];
  snprintf(want, sizeof want, "debug.c:%d: error: NaN guard: 'log' produced nan", line);
  CHECK(strstr(sj_ctx_errmsg(c), want) != NULL);
  CHECK(strstr(sj_ctx_errmsg(c), "at element 2 [2]") && strstr(sj_ctx_errmsg(c), "in kernel @graph_fn0_k"));
  if (!strstr(sj_ctx_errmsg(c), want)) fprintf(stderr, "got: %s\n", sj_ctx_errmsg(c));
  sj_ctx_clear_errors(c);
  /* log(0) = -inf is made from a finite operand: reported as -inf */
  CHECK(call1(f, 0.0, 1.0, &v) == SJ_ERR_INVALID && strstr(sj_ctx_errmsg(c), "'log' produced -inf"));
  sj_ctx_clear_errors(c);
  /* an infinity passed in flows through every op: not the ops' doing */
  CHECK(call1(f, INFINITY, 1.0, &v) == SJ_OK && isinf(v));
  CHECK(call1(f, 4.0, NAN, &v) == SJ_OK && isnan(v));
  /* without the guard the NaN is returned silently */
  CHECK(call1(plain, -1.0, 1.0, &v) == SJ_OK && isnan(v));
  CHECK(!sj_ctx_errmsg(c)[0]);
  sj_function_free(f);
  sj_function_free(plain);
  sj_ctx_free(c);
}

/* exp overflows to inf at x = 100 (f32): reported as inf, at the exp. */
static void test_nan_guard_overflow(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dims[1] = {-1};
  sj_var *x = sj_input(c, "x", SJ_F32, 1, dims);
  int line = __LINE__ + 1;
  sj_var *e = sj_exp(x);
  sj_var *s = sj_sum(sj_mul(e, x), 0, NULL, 0);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.nan_guard = 1;
  sj_function *f = NULL;
  CHECK(sj_compile(c, &x, 1, &s, 1, NULL, 0, NULL, 0, &o, &f) == SJ_OK);
  int64_t d[1] = {3};
  sj_tensor *xt = sj_tensor_new(SJ_F32, 1, d), *out = NULL;
  sj_tensor_set(xt, 0, 1), sj_tensor_set(xt, 1, 100), sj_tensor_set(xt, 2, 2);
  CHECK(sj_function_call(f, &xt, 1, &out, 1) == SJ_ERR_INVALID);
  char want[96];
  snprintf(want, sizeof want, "debug.c:%d: error: NaN guard: 'exp' produced inf", line);
  CHECK(strstr(sj_ctx_errmsg(c), want) != NULL);
  if (!strstr(sj_ctx_errmsg(c), want)) fprintf(stderr, "got: %s\n", sj_ctx_errmsg(c));
  sj_tensor_free(xt);
  sj_function_free(f);
  sj_ctx_free(c);
}

/* gemm overflowing f32 (1e20 * 1e20): reported at the matmul's line; the
 * environment turns the guard on for a compile with NULL options. */
static void test_nan_guard_gemm_env(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t ad[2] = {2, 2};
  sj_var *a = sj_input(c, "a", SJ_F32, 2, ad), *b = sj_input(c, "b", SJ_F32, 2, ad);
  int line = __LINE__ + 1;
  sj_var *p = sj_matmul(a, b);
  sj_var *in[2] = {a, b};
  sj_function *f = NULL;
  setenv("SYMJIT_NAN_GUARD", "1", 1);
  CHECK(sj_compile(c, in, 2, &p, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_OK);
  unsetenv("SYMJIT_NAN_GUARD");
  sj_tensor *at = sj_tensor_new(SJ_F32, 2, ad), *bt = sj_tensor_new(SJ_F32, 2, ad), *out = NULL;
  for (int i = 0; i < 4; i++) sj_tensor_set(at, i, 1), sj_tensor_set(bt, i, 2);
  sj_tensor *args[2] = {at, bt};
  CHECK(sj_function_call(f, args, 2, &out, 1) == SJ_OK && sj_tensor_get(out, 3) == 4);
  sj_tensor_free(out);
  out = NULL;
  sj_tensor_set(at, 2, 1e20), sj_tensor_set(bt, 1, 1e20);
  CHECK(sj_function_call(f, args, 2, &out, 1) == SJ_ERR_INVALID && !out);
  char want[128];
  snprintf(want, sizeof want, "debug.c:%d: error: NaN guard: 'matmul (gemm)' produced inf from finite operands at element 3 [1, 1]", line);
  CHECK(strstr(sj_ctx_errmsg(c), want) && strstr(sj_ctx_errmsg(c), "in BLAS gemm"));
  if (!strstr(sj_ctx_errmsg(c), want)) fprintf(stderr, "got: %s\n", sj_ctx_errmsg(c));
  sj_tensor_free(at);
  sj_tensor_free(bt);
  sj_function_free(f);
  sj_ctx_free(c);
}

/* ---- profile ---- */

static int count(const char *s, const char *word) {
  int n = 0;
  for (const char *p = s; (p = strstr(p, word)); p += strlen(word)) n++;
  return n;
}

static void test_profile(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t dims[2] = {-1, 8}, wd[2] = {8, 8};
  sj_var *x = sj_input(c, "x", SJ_F32, 2, dims), *w = sj_input(c, "w", SJ_F32, 2, wd);
  sj_var *h = sj_tanh(sj_matmul(sj_exp(x), w));
  sj_var *s = sj_sum(h, 0, NULL, 0);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.profile = 1;
  sj_function *f = NULL, *plain = NULL;
  sj_var *in[2] = {x, w};
  CHECK(sj_compile(c, in, 2, &s, 1, NULL, 0, NULL, 0, &o, &f) == SJ_OK);
  CHECK(sj_compile(c, in, 2, &s, 1, NULL, 0, NULL, 0, NULL, &plain) == SJ_OK);
  int64_t xd[2] = {16, 8};
  sj_tensor *xt = sj_tensor_new(SJ_F32, 2, xd), *wt = sj_tensor_new(SJ_F32, 2, wd), *out = NULL;
  sj_tensor_fill_uniform(xt, 1, -1, 1);
  sj_tensor_fill_uniform(wt, 2, -1, 1);
  sj_tensor *args[2] = {xt, wt};
  for (int i = 0; i < 7; i++) {
    CHECK(sj_function_call(f, args, 2, &out, 1) == SJ_OK);
    sj_tensor_free(out);
  }
  size_t n = sj_function_profile(f, NULL, 0);
  char *t = malloc(n + 1);
  CHECK(sj_function_profile(f, t, n + 1) == n && strlen(t) == n);
  CHECK(strstr(t, "profile of @graph_fn0: 7 calls") != NULL);
  /* a row per launch and gemm of the final IR, each called 7 times */
  size_t m = 0;
  sj_function_ir(f, "final", NULL, 0, &m);
  char *ir = malloc(m + 1);
  sj_function_ir(f, "final", ir, m + 1, NULL);
  int launches = count(ir, "  launch "), gemms = count(ir, "  gemm ");
  CHECK(launches >= 2 && gemms == 1);
  CHECK(count(t, "  launch  @graph_fn0_") == launches && count(t, "  gemm    (BLAS)") == gemms);
  CHECK(count(t, "       7 ") == launches + gemms);
  CHECK(strstr(t, "peak memory: ") && !strstr(t, "peak memory: 0 bytes"));
  /* gemm's flops: a GFLOP/s figure, launches none */
  CHECK(strstr(t, "debug.c:") != NULL);
  free(ir);
  free(t);
  /* reset: counts start again */
  sj_function_profile_reset(f);
  CHECK(sj_function_call(f, args, 2, &out, 1) == SJ_OK);
  sj_tensor_free(out);
  char small[256];
  sj_function_profile(f, small, sizeof small);
  CHECK(strstr(small, ": 1 calls") != NULL);
  /* off: says how to turn it on */
  sj_function_profile(plain, small, sizeof small);
  CHECK(strstr(small, "profiling is off") != NULL);
  CHECK(sj_function_profile(NULL, NULL, 0) > 0);
  sj_tensor_free(xt);
  sj_tensor_free(wt);
  sj_function_free(f);
  sj_function_free(plain);
  sj_ctx_free(c);
}

/* A function with a shared-variable update (the bound call path) is
 * profiled too, and its NaN guard sees the update's computation. */
static void test_bound(void) {
  sj_ctx *c = sj_ctx_new();
  int64_t d[1] = {3};
  sj_tensor *w0 = sj_tensor_new(SJ_F32, 1, d);
  for (int i = 0; i < 3; i++) sj_tensor_set(w0, i, 1.0 + i);
  sj_var *w = sj_shared(c, "w", w0);
  sj_var *x = sj_input(c, "x", SJ_F32, 1, d);
  int line = __LINE__ + 1;
  sj_update up = {w, sj_log(sj_mul(w, x))};
  sj_var *s = sj_sum(w, 0, NULL, 0);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.profile = 1;
  o.nan_guard = 1;
  sj_function *f = NULL;
  CHECK(sj_compile(c, &x, 1, &s, 1, &up, 1, NULL, 0, &o, &f) == SJ_OK);
  sj_tensor *xt = sj_tensor_new(SJ_F32, 1, d), *out = NULL;
  for (int i = 0; i < 3; i++) sj_tensor_set(xt, i, 2.0);
  CHECK(sj_function_call(f, &xt, 1, &out, 1) == SJ_OK && sj_tensor_get(out, 0) == 6);
  sj_tensor_free(out);
  char t[2048];
  sj_function_profile(f, t, sizeof t);
  CHECK(strstr(t, ": 1 calls") != NULL);
  sj_tensor_set(xt, 1, -2.0); /* w = log(w * x) of a negative */
  out = NULL;
  CHECK(sj_function_call(f, &xt, 1, &out, 1) == SJ_ERR_INVALID && !out);
  char want[96];
  snprintf(want, sizeof want, "debug.c:%d: error: NaN guard: 'log' produced nan", line);
  CHECK(strstr(sj_ctx_errmsg(c), want) != NULL);
  /* a failed call does not update the shared variable */
  CHECK(fabs(sj_tensor_get(sj_shared_value(w), 1) - log(4.0)) < 1e-6);
  sj_tensor_free(xt);
  sj_tensor_free(w0);
  sj_function_free(f);
  sj_ctx_free(c);
}

int main(void) {
  test_dump_callback();
  test_dump_dir();
  test_nan_guard();
  test_nan_guard_overflow();
  test_nan_guard_gemm_env();
  test_profile();
  test_bound();
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
