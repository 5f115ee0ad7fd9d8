/* scan and random_* steps on a CUDA device, checked on the fake driver
 * (test/unit/fake: no kernel runs, device memory is host memory, every
 * launch and copy is logged in order). What is checked is the sequence
 * the device runtime queues (lib/api/cuda_scan.c, cuda_random.c, decision
 * 0037), not the numbers a GPU computes (unit_cuda_device does that):
 *   - a scan: the inputs copied in once, the initial state copied into row
 *     0 of its result on the device, then per step only the body's
 *     launches, whose pointer arguments are the sequence's row t (an
 *     offset, no copy), the state's row t and the next row t + 1, the
 *     output's row t; the results copied back once at the end;
 *   - reverse, and a state kept `last` alternating with its scratch so
 *     that the last step writes the result;
 *   - `until`: one 1-byte copy back per step (the condition) from the same
 *     device address; when it reads true (FAKE_CUDA_COND_AT) the loop
 *     stops and the results shrink to the steps run;
 *   - a computed step count (a barrier) read back once before the loop;
 *   - nested scans run (the inner loop's launches per outer step);
 *   - an RNN training step (sj_scan, its gradient a reverse scan, SGD on
 *     shared weights): after the first call a step moves only the batch
 *     in and the loss out, every loop state staying on the device;
 *   - random draws: the state copied back (16 bytes), the draw copied in,
 *     and the values bit-identical to the CPU's (the fake passes the bytes
 *     through, and the draw is made on the host);
 *   - nothing leaks (the fake counts allocations, modules, streams). */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "symjit/graph.h"
#include "symjit/symjit.h"

#include "check.h"

typedef struct fake_api {
  size_t (*nevents)(void);
  void (*event_at)(size_t, char *, uint64_t *, uint64_t *, size_t *);
  void (*launch_at)(size_t, char[128], unsigned[3], unsigned[3], size_t *, unsigned char (*)[8]);
  void (*reset)(void);
  long (*live)(const char *);
} fake_api;

static fake_api api;

typedef struct ev {
  char kind;
  uint64_t dst, src;
  size_t n;
  size_t nargs;
  uint64_t args[64]; /* a launch's 8-byte parameters */
} ev;

/* The events since the last reset, into a fresh array (*n of them). */
static ev *events(size_t *n) {
  *n = api.nevents();
  ev *e = calloc(*n + 1, sizeof *e);
  for (size_t i = 0; i < *n; i++) {
    api.event_at(i, &e[i].kind, &e[i].dst, &e[i].src, &e[i].n);
    if (e[i].kind != 'L') continue;
    char name[128];
    unsigned g[3], b[3];
    unsigned char a[64][8];
    api.launch_at(e[i].n, name, g, b, &e[i].nargs, a);
    memcpy(e[i].args, a, e[i].nargs * 8);
  }
  return e;
}

static bool has_arg(const ev *e, uint64_t v) {
  for (size_t i = 0; i < e->nargs; i++)
    if (e->args[i] == v) return true;
  return false;
}

static sj_function *compile(sj_ctx *c, const char *src, const char *fn, const char *device) {
  sj_module *m = NULL;
  CHECK(sj_module_parse(c, src, strlen(src), "scan.sj", &m) == SJ_OK);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = device;
  sj_function *f = NULL;
  sj_status st = m ? sj_module_compile(m, fn, &o, &f) : SJ_ERR_INVALID;
  CHECK(st == SJ_OK && f);
  if (st) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  return f;
}

static sj_tensor *vec(sj_dtype dt, int rank, const int64_t *d, double start) {
  sj_tensor *t = sj_tensor_new(dt, rank, d);
  for (int64_t i = 0; i < sj_tensor_numel(t); i++) sj_tensor_set(t, i, start + (double)i);
  return t;
}

/* The index of the first event of kind k from i on whose size is n (or
 * any size when n is 0); nev if none. */
static size_t find(const ev *e, size_t nev, size_t i, char k, size_t n) {
  for (; i < nev; i++)
    if (e[i].kind == k && (!n || e[i].n == n)) return i;
  return nev;
}

static const char fwd[] =
    "func @f(%xs: f32[5,3], %h0: f32[3], %w: f32[3]) -> (f32[6,3], f32[5,3]) {\n"
    "  %H, %Y = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[6,3], f32[5,3] (%x: f32[3], %h: f32[3], %v: f32[3]) {\n"
    "    %a = mul %h, %v : f32[3]\n"
    "    %b = add %a, %x : f32[3]\n"
    "    %h2 = tanh %b : f32[3]\n"
    "    %y = mul %h2, %h2 : f32[3]\n"
    "    yield %h2, %y\n"
    "  }\n"
    "  return %H, %Y\n"
    "}\n";

/* Forward (reverse = false) and reverse: every step's launches read the
 * sequence's row t and the state's row, write the next state row and the
 * output row; no copy inside the loop. */
static void test_forward(bool reverse) {
  sj_ctx *c = sj_ctx_new();
  char src[2048];
  snprintf(src, sizeof src, "%s", fwd);
  if (reverse) { /* the same loop, run from the last row */
    char *at = strstr(src, "nstate = 1}");
    memmove(at + strlen("nstate = 1, reverse = true}"), at + strlen("nstate = 1}"), strlen(at + strlen("nstate = 1}")) + 1);
    memcpy(at, "nstate = 1, reverse = true}", strlen("nstate = 1, reverse = true}"));
  }
  sj_function *f = compile(c, src, "f", "cuda");
  if (!f) {
    sj_ctx_free(c);
    return;
  }
  int64_t dx[2] = {5, 3}, dh[1] = {3};
  sj_tensor *in[3] = {vec(SJ_F32, 2, dx, 1), vec(SJ_F32, 1, dh, 0), vec(SJ_F32, 1, dh, 2)}, *out[2] = {NULL, NULL};
  for (int call = 0; call < 2; call++) { /* the second call reuses the device buffers */
    api.reset();
    CHECK(sj_function_call(f, in, 3, out, 2) == SJ_OK);
    CHECK(out[0] && sj_tensor_dims(out[0])[0] == 6 && out[1] && sj_tensor_dims(out[1])[0] == 5);
    size_t nev;
    ev *e = events(&nev);
    /* in: xs (60 bytes), h0, w (12 each); out: H (72), Y (60) */
    size_t ix = find(e, nev, 0, 'H', 60), ih = find(e, nev, 0, 'H', 12), i0 = find(e, nev, 0, 'C', 12);
    size_t iH = find(e, nev, 0, 'D', 72), iY = find(e, nev, 0, 'D', 60);
    CHECK(ix < nev && ih < nev && i0 < nev && iH < nev && iY < nev);
    if (ix >= nev || ih >= nev || i0 >= nev || iH >= nev || iY >= nev) {
      free(e);
      break;
    }
    uint64_t xs = e[ix].dst, h0 = e[ih].dst, H = e[iH].src, Y = e[iY].src;
    CHECK(e[i0].src == h0 && e[i0].dst == H + (reverse ? 5 * 12 : 0)); /* the initial state into its row */
    size_t nl = 0, first = nev, last = 0;
    for (size_t i = 0; i < nev; i++)
      if (e[i].kind == 'L') nl++, first = i < first ? i : first, last = i;
    CHECK(nl >= 5 && nl % 5 == 0 && first > i0 && last < iH);
    for (size_t i = first; i <= last && i < nev; i++) CHECK(e[i].kind == 'L'); /* nothing copied per step */
    size_t per = nl / 5;
    for (int j = 0; j < 5 && per; j++) {
      int t = reverse ? 4 - j : j;
      uint64_t hin = H + (uint64_t)(reverse ? t + 1 : t) * 12, hout = H + (uint64_t)(reverse ? t : t + 1) * 12;
      bool x = false, hi = false, ho = false, y = false;
      for (size_t k = 0; k < per; k++) {
        const ev *l = &e[first + (size_t)j * per + k];
        x |= has_arg(l, xs + (uint64_t)t * 12), hi |= has_arg(l, hin), ho |= has_arg(l, hout), y |= has_arg(l, Y + (uint64_t)t * 12);
      }
      CHECK(x && hi && ho && y);
    }
    free(e);
    sj_tensor_free(out[0]), sj_tensor_free(out[1]);
    out[0] = out[1] = NULL;
  }
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
  sj_function_free(f);
  sj_ctx_free(c);
}

/* A state kept `last` over n = 4 steps (n an input: not a barrier): step 0
 * reads the initial value, steps alternate between a scratch buffer and
 * the result, and the last step writes the result. */
static void test_last(void) {
  static const char src[] =
      "func @g(%n: i64[], %h0: f32[2]) -> (f32[?,2], f32[2]) {\n"
      "  %H, %L = scan %n, %h0, %h0 {nseq = 0, nstate = 2, has_n = true, last = [1]} : f32[?,2], f32[2] (%h: f32[2], %g: f32[2]) {\n"
      "    %h2 = exp %h : f32[2]\n"
      "    %g2 = mul %g, %h2 : f32[2]\n"
      "    yield %h2, %g2\n"
      "  }\n"
      "  return %H, %L\n"
      "}\n";
  sj_ctx *c = sj_ctx_new();
  sj_function *f = compile(c, src, "g", "cuda");
  if (!f) {
    sj_ctx_free(c);
    return;
  }
  sj_tensor *n = sj_tensor_new(SJ_I64, 0, NULL), *h0 = vec(SJ_F32, 1, (int64_t[]){2}, 1), *out[2] = {NULL, NULL};
  sj_tensor_set(n, 0, 4);
  sj_tensor *in[2] = {n, h0};
  api.reset();
  CHECK(sj_function_call(f, in, 2, out, 2) == SJ_OK);
  CHECK(out[0] && sj_tensor_dims(out[0])[0] == 5);
  size_t nev;
  ev *e = events(&nev);
  size_t ih = find(e, nev, find(e, nev, 0, 'H', 8) + 1, 'H', 8), iL = find(e, nev, 0, 'D', 8); /* after %n's */
  CHECK(ih < nev && iL < nev);
  size_t nl = 0, first = nev;
  for (size_t i = 0; i < nev; i++)
    if (e[i].kind == 'L') nl++, first = i < first ? i : first;
  CHECK(nl >= 4 && nl % 4 == 0);
  if (ih < nev && iL < nev && nl >= 4 && nl % 4 == 0) {
    uint64_t h0d = e[ih].dst, L = e[iL].src;
    size_t per = nl / 4;
    bool reads_h0 = false, writes[4] = {false};
    for (size_t k = 0; k < per; k++) {
      reads_h0 |= has_arg(&e[first + k], h0d);
      for (int j = 0; j < 4; j++) writes[j] |= has_arg(&e[first + (size_t)j * per + k], L);
    }
    CHECK(reads_h0);
    /* (n - 1 - j) even: steps 1 and 3 write (and step 2 reads) the result */
    CHECK(!writes[0] && writes[1] && writes[2] && writes[3]);
  }
  free(e);
  sj_tensor_free(out[0]), sj_tensor_free(out[1]);
  sj_tensor_free(n), sj_tensor_free(h0);
  sj_function_free(f);
  sj_ctx_free(c);
}

static const char until_src[] =
    "func @u(%xs: f32[?], %h0: f32[], %lim: f32[]) -> (f32[?], f32[?], f32[]) {\n"
    "  %H, %Y = scan %xs, %h0, %lim {nseq = 1, nstate = 1, until = true} : f32[?], f32[?] (%x: f32[], %h: f32[], %l: f32[]) {\n"
    "    %h2 = add %h, %x : f32[]\n"
    "    %y = mul %h2, %h2 : f32[]\n"
    "    %c = gt %h2, %l : bool[]\n"
    "    yield %h2, %y, %c\n"
    "  }\n"
    "  %Y2 = neg %Y : f32[?]\n"
    "  %s = sum %Y2 {axes = [0]} : f32[]\n"
    "  return %H, %Y2, %s\n"
    "}\n"
    "func @cn(%ks: i64[?], %h0: f32[2]) -> (f32[?,2]) {\n"
    "  %n = sum %ks {axes = [0]} : i64[]\n"
    "  %H = scan %n, %h0 {nseq = 0, nstate = 1, has_n = true} : f32[?,2] (%h: f32[2]) {\n"
    "    %h2 = exp %h : f32[2]\n"
    "    yield %h2\n"
    "  }\n"
    "  return %H\n"
    "}\n";

/* `until`: the condition comes back once per step, from one device
 * address; the third read is true, so three steps run and the results
 * have 4 and 3 rows (what follows the loop is sized after it). A computed
 * step count is read back once, before the loop. */
static void test_until(void) {
  sj_ctx *c = sj_ctx_new();
  sj_function *f = compile(c, until_src, "u", "cuda");
  if (!f) {
    sj_ctx_free(c);
    return;
  }
  int64_t d6[1] = {6};
  sj_tensor *in[3] = {vec(SJ_F32, 1, d6, 1), sj_tensor_new(SJ_F32, 0, NULL), sj_tensor_new(SJ_F32, 0, NULL)};
  sj_tensor *out[3] = {NULL, NULL, NULL};
  for (int stop = 0; stop < 2; stop++) {
    if (stop) setenv("FAKE_CUDA_COND_AT", "3", 1);
    api.reset();
    CHECK(sj_function_call(f, in, 3, out, 3) == SJ_OK);
    int64_t steps = stop ? 3 : 6;
    CHECK(out[0] && sj_tensor_dims(out[0])[0] == steps + 1 && out[1] && sj_tensor_dims(out[1])[0] == steps);
    size_t nev;
    ev *e = events(&nev);
    size_t nc = 0, nl = 0;
    uint64_t at = 0;
    bool same = true;
    for (size_t i = 0; i < nev; i++) {
      if (e[i].kind != 'D' || e[i].n != 1) continue;
      same &= !nc || e[i].src == at;
      at = e[i].src, nc++;
      CHECK(i > 0 && e[i - 1].kind == 'L'); /* right after the step's launches */
    }
    for (size_t i = 0; i < nev; i++) nl += e[i].kind == 'L';
    CHECK(nc == (size_t)steps && same && nl > (size_t)steps);
    CHECK(find(e, nev, 0, 'D', (size_t)(steps + 1) * 4) < nev); /* H comes back at its final size */
    free(e);
    for (int i = 0; i < 3; i++) sj_tensor_free(out[i]), out[i] = NULL;
  }
  unsetenv("FAKE_CUDA_COND_AT");
  for (int i = 0; i < 3; i++) sj_tensor_free(in[i]);
  sj_function_free(f);
  /* a computed step count: read back (8 bytes) before the loop; the fake's
   * sum kernel does not run, so it reads 0 and H is the initial value */
  f = compile(c, until_src, "cn", "cuda");
  if (f) {
    sj_tensor *ks = vec(SJ_I64, 1, (int64_t[]){3}, 1), *h0 = vec(SJ_F32, 1, (int64_t[]){2}, 1), *H = NULL;
    sj_tensor *cin[2] = {ks, h0};
    api.reset();
    CHECK(sj_function_call(f, cin, 2, &H, 1) == SJ_OK);
    CHECK(H && sj_tensor_dims(H)[0] == 1 && sj_tensor_get(H, 0) == 1 && sj_tensor_get(H, 1) == 2);
    size_t nev;
    ev *e = events(&nev);
    size_t in = find(e, nev, 0, 'D', 8), il = 0;
    for (size_t i = 0; i < nev; i++)
      if (e[i].kind == 'L') il = i; /* the sum: the only launch */
    CHECK(in < nev && il < in);
    free(e);
    sj_tensor_free(H), sj_tensor_free(ks), sj_tensor_free(h0);
    sj_function_free(f);
  }
  sj_ctx_free(c);
}

/* Nested scans run on the device: the inner loop's launches at each outer
 * step, an inner `until` included. */
static void test_nested(void) {
  static const char src[] =
      "func @nu(%xs: f32[?,4], %h0: f32[]) -> (f32[?], f32[?]) {\n"
      "  %H, %C = scan %xs, %h0 {nseq = 1, nstate = 1} : f32[?], f32[?] (%row: f32[4], %h: f32[]) {\n"
      "    %z = constant {value = 0.0} : f32[]\n"
      "    %S = scan %row, %z, %h {nseq = 1, nstate = 1, until = true} : f32[?] (%e: f32[], %acc: f32[], %lim: f32[]) {\n"
      "      %a2 = add %acc, %e : f32[]\n"
      "      %c = gt %a2, %lim : bool[]\n"
      "      yield %a2, %c\n"
      "    }\n"
      "    %m = max %S {axes = [0]} : f32[]\n"
      "    %h2 = add %h, %m : f32[]\n"
      "    %cnt = sum %S {axes = [0]} : f32[]\n"
      "    yield %h2, %cnt\n"
      "  }\n"
      "  return %H, %C\n"
      "}\n";
  sj_ctx *c = sj_ctx_new();
  sj_function *f = compile(c, src, "nu", "cuda");
  if (!f) {
    sj_ctx_free(c);
    return;
  }
  sj_tensor *xs = vec(SJ_F32, 2, (int64_t[]){3, 4}, 1), *h0 = sj_tensor_new(SJ_F32, 0, NULL), *out[2] = {NULL, NULL};
  sj_tensor *in[2] = {xs, h0};
  api.reset();
  CHECK(sj_function_call(f, in, 2, out, 2) == SJ_OK);
  CHECK(out[0] && sj_tensor_dims(out[0])[0] == 4 && out[1] && sj_tensor_dims(out[1])[0] == 3);
  size_t nev;
  ev *e = events(&nev);
  size_t nc = 0;
  for (size_t i = 0; i < nev; i++) nc += e[i].kind == 'D' && e[i].n == 1;
  CHECK(nc == 12); /* the condition never turns true on the fake: 3 x 4 inner steps */
  free(e);
  sj_tensor_free(out[0]), sj_tensor_free(out[1]), sj_tensor_free(xs), sj_tensor_free(h0);
  sj_function_free(f);
  sj_ctx_free(c);
}

/* Random draws on the device are the CPU's bits: the fake passes memory
 * through and the draw is made on the host, so every result of @draws
 * (uniform, normal, bernoulli, categorical of the logits, the skipped
 * state, a draw from it) matches the CPU function exactly. */
static void test_random(void) {
  static const char src[] =
      "func @draws(%s: i64[2], %x: f32[?,5]) -> (f32[?,5], f64[?,5], bool[?,5], i32[?], i64[2], f32[3,2]) {\n"
      "  %u = random_uniform %s, %x {hi = 3.0, lo = -2.0} : f32[?,5]\n"
      "  %e = exp %x : f32[?,5]\n"
      "  %y = random_normal %s, %e {mean = 1.0, std = 0.5} : f64[?,5]\n"
      "  %b = random_bernoulli %s, %x {p = 0.3} : bool[?,5]\n"
      "  %c = random_categorical %s, %x {logits = true} : i32[?]\n"
      "  %t = random_skip %s, %x : i64[2]\n"
      "  %k = random_uniform %t {hi = 1.0, lo = 0.0} : f32[3,2]\n"
      "  return %u, %y, %b, %c, %t, %k\n"
      "}\n";
  sj_ctx *c = sj_ctx_new();
  sj_function *fd = compile(c, src, "draws", "cuda"), *fc = compile(c, src, "draws", "cpu");
  if (fd && fc) {
    sj_tensor *s = sj_tensor_new(SJ_I64, 1, (int64_t[]){2}), *x = vec(SJ_F32, 2, (int64_t[]){7, 5}, -3);
    sj_tensor_set(s, 0, 12345), sj_tensor_set(s, 1, 99);
    sj_tensor *in[2] = {s, x}, *od[6] = {0}, *oc[6] = {0};
    api.reset();
    CHECK(sj_function_call(fd, in, 2, od, 6) == SJ_OK);
    CHECK(sj_function_call(fc, in, 2, oc, 6) == SJ_OK);
    for (int i = 0; i < 6; i++) {
      CHECK(od[i] && oc[i] && sj_tensor_nbytes(od[i]) == sj_tensor_nbytes(oc[i]));
      if (od[i] && oc[i]) CHECK(!memcmp(sj_tensor_data(od[i]), sj_tensor_data(oc[i]), sj_tensor_nbytes(oc[i])));
      sj_tensor_free(od[i]), sj_tensor_free(oc[i]);
    }
    size_t nev;
    ev *e = events(&nev);
    size_t nstate = 0;
    for (size_t i = 0; i < nev; i++) nstate += e[i].kind == 'D' && e[i].n == 16;
    CHECK(nstate >= 6); /* each draw reads the state back (and @t's draw reads %t); i64[2] comes back too */
    free(e);
    sj_tensor_free(s), sj_tensor_free(x);
  }
  sj_function_free(fd), sj_function_free(fc);
  sj_ctx_free(c);
}

static void rnn_cell(sj_ctx *c, sj_scan_step *st, void *ud) {
  (void)c, (void)ud;
  st->outputs[0] = sj_tanh(sj_add(sj_matmul(st->args[0], st->args[2]), sj_matmul(st->args[1], st->args[3])));
}

static void test_training_step(void) {
  enum { T = 7, B = 4, D = 5, H = 6 };
  sj_ctx *c = sj_ctx_new();
  int64_t xd[3] = {T, B, D}, wd[2] = {D, H}, ud[2] = {H, H}, hd[2] = {B, H};
  sj_tensor *w0 = sj_tensor_new(SJ_F32, 2, wd), *u0 = sj_tensor_new(SJ_F32, 2, ud), *z = sj_tensor_new(SJ_F32, 2, hd);
  sj_tensor_fill_uniform(w0, 1, -0.5, 0.5), sj_tensor_fill_uniform(u0, 2, -0.5, 0.5);
  sj_var *x = sj_input(c, "x", SJ_F32, 3, xd), *w = sj_shared(c, "W", w0), *u = sj_shared(c, "U", u0);
  sj_var *info[1] = {sj_constant(c, z)}, *nonseq[2] = {w, u}, *hs = NULL;
  sj_scan_options so = {.sequences = &x, .nseq = 1, .outputs_info = info, .nout = 1, .non_sequences = nonseq, .nnonseq = 2};
  size_t nu = 0;
  CHECK(sj_scan(c, rnn_cell, NULL, &so, &hs, NULL, 0, &nu) == SJ_OK);
  sj_var *loss = sj_sum(sj_mul(hs, hs), 0, NULL, false), *p[2] = {w, u}, *g[2] = {NULL, NULL};
  CHECK(sj_grad(loss, p, 2, g) == SJ_OK);
  sj_update up[2] = {{w, sj_sub(w, sj_mul(sj_scalar(c, 0.1, SJ_F32), g[0]))},
                     {u, sj_sub(u, sj_mul(sj_scalar(c, 0.1, SJ_F32), g[1]))}};
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.device = "cuda";
  sj_function *f = NULL;
  CHECK(sj_compile(c, &x, 1, &loss, 1, up, 2, NULL, 0, &o, &f) == SJ_OK && f);
  if (!f) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  sj_tensor *xt = sj_tensor_new(SJ_F32, 3, xd), *out = NULL;
  sj_tensor_fill_uniform(xt, 3, -1, 1);
  CHECK(f && sj_function_call(f, &xt, 1, &out, 1) == SJ_OK);
  sj_tensor_free(out), out = NULL;
  for (int k = 0; f && k < 3; k++) {
    long hb = api.live("h2d"), db = api.live("d2h");
    CHECK(sj_function_call(f, &xt, 1, &out, 1) == SJ_OK);
    sj_tensor_free(out), out = NULL;
    CHECK(api.live("h2d") - hb == (long)sizeof(float) * T * B * D); /* the batch */
    CHECK(api.live("d2h") - db == (long)sizeof(float));             /* the loss */
  }
  sj_function_free(f);
  sj_tensor_free(xt), sj_tensor_free(w0), sj_tensor_free(u0), sj_tensor_free(z);
  sj_ctx_free(c);
}

int main(void) {
  setenv("SJ_LIBCUDA", SJ_FAKE_CUDA, 1);
  void *h = dlopen(SJ_FAKE_CUDA, RTLD_NOW);
  CHECK(h != NULL);
  if (!h) return 1;
  api.nevents = (size_t(*)(void))(uintptr_t)dlsym(h, "fake_cuda_events");
  api.event_at = (void (*)(size_t, char *, uint64_t *, uint64_t *, size_t *))(uintptr_t)dlsym(h, "fake_cuda_event_at");
  api.launch_at = (void (*)(size_t, char[128], unsigned[3], unsigned[3], size_t *, unsigned char (*)[8]))(uintptr_t)dlsym(
      h, "fake_cuda_launch_at");
  api.reset = (void (*)(void))(uintptr_t)dlsym(h, "fake_cuda_log_reset");
  api.live = (long (*)(const char *))(uintptr_t)dlsym(h, "fake_cuda_live");
  CHECK(api.nevents && api.event_at && api.launch_at && api.reset && api.live);
  if (!api.nevents || !api.event_at || !api.launch_at || !api.reset || !api.live) return 1;
  test_forward(false);
  test_forward(true);
  test_last();
  test_until();
  test_nested();
  test_random();
  test_training_step();
  CHECK(api.live("allocs") == 0 && api.live("modules") == 0 && api.live("streams") == 0 && api.live("ctx") == 0);
  return failures != 0;
}
