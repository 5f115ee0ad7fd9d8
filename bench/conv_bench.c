/* Convolution benchmarks (issue 12 §2): LeNet's two convolutions and one
 * larger layer, forward, input gradient and filter gradient: symjit's
 * sj_conv2d (and its gradients through sj_grad with known_grads, so each
 * function is the one gradient op) against the hand-written im2col +
 * OpenBLAS reference (bench/conv_ref.c, its chunk size and threading tuned
 * per shape and direction), timed alternately in the same run, GFLOP/s,
 * medians and the ratio; and the hand-written LeNet-5 training step
 * (bench/lenet_ref.c).
 *   conv_bench [--reps 10] [--layer conv1|conv2|big]   the layers; exit
 *       status 1 when symjit's result differs from the reference's
 *   conv_bench --lenet [--relu] [--reps 10]             the C LeNet step
 *   --cpu: both sides on one thread, timed by the process's CPU time, which
 *       other processes' load does not inflate (a loaded machine's figure)
 *   conv_bench --check   the references against naive double-precision
 *       loops (strides, padding, dilation, groups, zero sizes, every
 *       threading), max pooling (ties), and the LeNet step's loss against a
 *       naive forward and its gradient against central differences;
 *       exit status 1 on any mismatch. */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "symjit/graph.h"
#include "symjit/symjit.h"
#include "conv_ref.h"
#include "lenet_ref.h"

/* ---- naive double-precision references (the check) ---- */

static int64_t nx_of(const conv_shape *s) { return (int64_t)s->N * s->C * s->H * s->W; }
static int64_t nw_of(const conv_shape *s) { return (int64_t)s->O * (s->C / s->groups) * s->KH * s->KW; }
static int64_t ny_of(const conv_shape *s) { return (int64_t)s->N * s->O * s->OH * s->OW; }

/* Calls f(ctx, x index, w index, y index) for every multiply-add of the
 * convolution: the one loop nest the three naive directions share. */
typedef void (*mac_fn)(void *ctx, int64_t xi, int64_t wi, int64_t yi);

static void naive_conv(const conv_shape *s, mac_fn f, void *ctx) {
  const int Cg = s->C / s->groups, Og = s->O / s->groups;
  for (int n = 0; n < s->N; n++)
    for (int o = 0; o < s->O; o++)
      for (int oh = 0; oh < s->OH; oh++)
        for (int ow = 0; ow < s->OW; ow++)
          for (int ci = 0; ci < Cg; ci++)
            for (int kh = 0; kh < s->KH; kh++)
              for (int kw = 0; kw < s->KW; kw++) {
                int ih = oh * s->sh - s->pt + kh * s->dh, iw = ow * s->sw - s->pl + kw * s->dw;
                if (ih < 0 || ih >= s->H || iw < 0 || iw >= s->W) continue;
                int c = o / Og * Cg + ci;
                f(ctx, (((int64_t)n * s->C + c) * s->H + ih) * s->W + iw,
                  (((int64_t)o * Cg + ci) * s->KH + kh) * s->KW + kw,
                  (((int64_t)n * s->O + o) * s->OH + oh) * s->OW + ow);
              }
}

typedef struct mac_bufs {
  const double *a, *b; /* the two operands read */
  double *out;         /* the one accumulated */
} mac_bufs;

static void mac_fwd(void *c, int64_t xi, int64_t wi, int64_t yi) {
  mac_bufs *m = c;
  m->out[yi] += m->a[xi] * m->b[wi]; /* a = x, b = w */
}
static void mac_dx(void *c, int64_t xi, int64_t wi, int64_t yi) {
  mac_bufs *m = c;
  m->out[xi] += m->a[yi] * m->b[wi]; /* a = g, b = w */
}
static void mac_dw(void *c, int64_t xi, int64_t wi, int64_t yi) {
  mac_bufs *m = c;
  m->out[wi] += m->a[yi] * m->b[xi]; /* a = g, b = x */
}

static uint64_t rng_state = 88172645463325252ull;
static double urand(void) { /* uniform [-1, 1) */
  rng_state ^= rng_state << 13, rng_state ^= rng_state >> 7, rng_state ^= rng_state << 17;
  return (double)(rng_state >> 11) * 0x1.0p-52 - 1;
}

static float *frand(int64_t n, double scale) {
  float *b = malloc((size_t)(n > 0 ? n : 1) * sizeof *b);
  for (int64_t i = 0; b && i < n; i++) b[i] = (float)(scale * urand());
  return b;
}

static double *to_double(const float *f, int64_t n) {
  double *d = malloc((size_t)(n > 0 ? n : 1) * sizeof *d);
  for (int64_t i = 0; d && i < n; i++) d[i] = f[i];
  return d;
}

/* max |got - want| relative to max(1, max |want|): float sums of up to a few
 * hundred products of operands in [-1, 1] carry ~1e-6 of it; 1e-4 catches
 * any wrong index while tolerating the summation order. */
static double rel_err(const float *got, const double *want, int64_t n) {
  double err = 0, mag = 1;
  for (int64_t i = 0; i < n; i++) err = fmax(err, fabs(got[i] - want[i])), mag = fmax(mag, fabs(want[i]));
  return err / mag;
}

#define CHECK_TOL 1e-4

/* One shape, one plan: forward with bias and each activation, both
 * gradients (and the bias gradient), against the naive loops. */
static int check_plan(const conv_shape *s, int nb, int rows, int workers, int blas, const char *name) {
  const int64_t nx = nx_of(s), nw = nw_of(s), ny = ny_of(s);
  float *x = frand(nx, 1), *w = frand(nw, 1), *g = frand(ny, 1), *b = frand(s->O, 1);
  float *y = frand(ny, 9), *dx = frand(nx, 9), *dw = frand(nw, 9), *db = frand(s->O, 9); /* garbage: overwritten */
  double *xd = to_double(x, nx), *wd = to_double(w, nw), *gd = to_double(g, ny);
  double *yr = calloc((size_t)ny + 1, sizeof *yr), *dxr = calloc((size_t)nx + 1, sizeof *dxr),
         *dwr = calloc((size_t)nw + 1, sizeof *dwr), *dbr = calloc((size_t)s->O + 1, sizeof *dbr);
  conv_plan p;
  int bad = 0;
  if (!x || !w || !g || !b || !y || !dx || !dw || !db || !xd || !wd || !gd || !yr || !dxr || !dwr || !dbr ||
      conv_plan_new(&p, s, nb, rows, workers, blas)) {
    fprintf(stderr, "conv_bench: out of memory\n");
    return 1;
  }
  mac_bufs mf = {xd, wd, yr}, mx = {gd, wd, dxr}, mw = {gd, xd, dwr};
  naive_conv(s, mac_fwd, &mf), naive_conv(s, mac_dx, &mx), naive_conv(s, mac_dw, &mw);
  const int64_t P = (int64_t)s->OH * s->OW;
  for (int64_t i = 0; i < ny; i++) dbr[i / P % (s->O ? s->O : 1)] += gd[i];
  double worst[5] = {0};
  for (int act = CONV_ACT_NONE; act <= CONV_ACT_RELU; act++) {
    conv_ref_forward(&p, x, w, b, (conv_act)act, y);
    double *want = malloc((size_t)(ny + 1) * sizeof *want);
    for (int64_t i = 0; want && i < ny; i++) {
      double v = yr[i] + b[i / P % s->O];
      want[i] = act == CONV_ACT_TANH ? tanh(v) : act == CONV_ACT_RELU ? fmax(v, 0) : v;
    }
    worst[act] = want ? rel_err(y, want, ny) : 1;
    free(want);
  }
  conv_ref_input_grad(&p, g, w, dx);
  conv_ref_filter_grad(&p, x, g, dw, db);
  worst[3] = rel_err(dx, dxr, nx);
  worst[4] = fmax(rel_err(dw, dwr, nw), rel_err(db, dbr, s->O));
  for (int k = 0; k < 5; k++) bad |= !(worst[k] <= CHECK_TOL);
  printf("%s %-9s %-29s fwd %.1e/%.1e/%.1e dx %.1e dw %.1e\n", bad ? "FAIL" : "ok  ", name, p.desc, worst[0],
         worst[1], worst[2], worst[3], worst[4]);
  conv_plan_free(&p);
  void *bufs[] = {x, w, g, b, y, dx, dw, db, xd, wd, gd, yr, dxr, dwr, dbr};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) free(bufs[i]);
  return bad;
}

typedef conv_named_shape named_shape;

static const named_shape check_shapes[] = {
    {"lenet1", {3, 1, 28, 28, 20, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0}},
    {"lenet2", {3, 20, 12, 12, 50, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0}},
    {"big-pad1", {2, 8, 9, 9, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}},
    {"grp2-mix", {2, 4, 9, 11, 6, 3, 3, 2, 1, 1, 0, 2, 1, 1, 2, 2, 0, 0}},
    {"depthw", {3, 6, 7, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 6, 0, 0}},
    {"pointw", {2, 8, 5, 5, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0}},
    {"dil-str", {2, 3, 10, 9, 4, 3, 2, 3, 2, 0, 2, 1, 0, 2, 3, 1, 0, 0}},
    {"dil-dense", {2, 4, 9, 8, 4, 3, 2, 1, 1, 0, 0, 0, 0, 2, 3, 2, 0, 0}},
    {"grp3-str", {4, 9, 8, 6, 6, 2, 3, 2, 2, 1, 1, 1, 1, 1, 1, 3, 0, 0}},
    {"k>input", {2, 2, 3, 4, 3, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}},
    {"pad>k", {2, 2, 2, 2, 3, 2, 2, 1, 3, 3, 3, 2, 2, 1, 1, 1, 0, 0}},
    {"N=0", {0, 3, 5, 5, 4, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0}},
    {"C=0", {2, 0, 5, 5, 4, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0}},
    {"O=0", {2, 3, 5, 5, 0, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0}},
};

/* shapes conv_shape_init must refuse */
static const named_shape bad_shapes[] = {
    {"kernel > padded input", {1, 1, 4, 4, 1, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0}},
    {"dilated kernel > input", {1, 1, 5, 5, 1, 3, 3, 1, 1, 0, 0, 0, 0, 3, 1, 1, 0, 0}},
    {"groups do not divide C", {1, 3, 5, 5, 4, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 2, 0, 0}},
    {"groups do not divide O", {1, 4, 5, 5, 3, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 2, 0, 0}},
    {"stride 0", {1, 1, 5, 5, 1, 3, 3, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0}},
    {"negative pad", {1, 1, 5, 5, 1, 3, 3, 1, 1, -1, 0, 0, 0, 1, 1, 1, 0, 0}},
    {"dilation 0", {1, 1, 5, 5, 1, 3, 3, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0}},
};

static int check_convs(void) {
  int bad = 0, procs = openblas_get_num_procs() > 1 ? openblas_get_num_procs() : 2;
  for (size_t i = 0; i < sizeof check_shapes / sizeof check_shapes[0]; i++) {
    conv_shape s = check_shapes[i].s;
    if (conv_shape_init(&s)) {
      printf("FAIL %s: refused\n", check_shapes[i].name);
      bad = 1;
      continue;
    }
    /* per image, chunks that do not divide N, one batched GEMM, blocks of
     * one row and of two (not dividing OH); each threading */
    const int plans[6][4] = {{1, 0, 1, 1}, {2, 0, procs, 1}, {s.N, 0, 1, procs},
                             {3, 0, 3, 1}, {1, 1, 1, 1},     {1, 2, procs, 1}};
    for (int k = 0; k < 6; k++)
      bad |= check_plan(&s, plans[k][0], plans[k][1], plans[k][2], plans[k][3], check_shapes[i].name);
  }
  for (size_t i = 0; i < sizeof bad_shapes / sizeof bad_shapes[0]; i++) {
    conv_shape s = bad_shapes[i].s;
    int refused = conv_shape_init(&s) != 0;
    printf("%s refuses %s\n", refused ? "ok  " : "FAIL", bad_shapes[i].name);
    bad |= !refused;
  }
  return bad;
}

/* Max pooling: values on a coarse grid so windows hold ties (the first
 * maximum in row-major order must win), odd sizes (floor drops the border). */
static int check_pool(void) {
  const int NC = 6, H = 9, W = 7, k = 2, PH = H / k, PW = W / k;
  float x[6 * 9 * 7], y[6 * 4 * 3], gy[6 * 4 * 3], gx[6 * 9 * 7];
  int32_t arg[6 * 4 * 3];
  for (int i = 0; i < NC * H * W; i++) x[i] = (float)floor(urand() * 2);
  for (int i = 0; i < NC * PH * PW; i++) gy[i] = (float)urand();
  pool_ref_max_forward(x, NC, H, W, k, y, arg);
  pool_ref_max_backward(gy, arg, NC, H, W, k, gx);
  double want_gx[6 * 9 * 7] = {0};
  int bad = 0, ties = 0;
  for (int c = 0; c < NC; c++)
    for (int ph = 0; ph < PH; ph++)
      for (int pw = 0; pw < PW; pw++) {
        int at = -1, count = 0;
        for (int i = 0; i < k; i++)
          for (int j = 0; j < k; j++) {
            int q = (ph * k + i) * W + pw * k + j;
            if (at < 0 || x[c * H * W + q] > x[c * H * W + at]) at = q;
          }
        for (int i = 0; i < k; i++)
          for (int j = 0; j < k; j++) count += x[c * H * W + (ph * k + i) * W + pw * k + j] == x[c * H * W + at];
        ties += count > 1;
        int o = (c * PH + ph) * PW + pw;
        bad |= y[o] != x[c * H * W + at] || arg[o] != at;
        want_gx[c * H * W + at] += gy[o];
      }
  for (int i = 0; i < NC * H * W; i++) bad |= gx[i] != (float)want_gx[i];
  printf("%s max-pool 2x2 forward/backward (%d windows with ties)\n", bad || !ties ? "FAIL" : "ok  ", ties);
  return bad || !ties;
}

/* ---- LeNet: a naive double forward, central differences ---- */

static double naive_lenet_loss(const lenet_ref *r, const double *prm, const float *x, const int32_t *y) {
  const int B = r->B;
  const double *p1 = prm + r->off[LENET_W1], *b1 = prm + r->off[LENET_B1], *p2 = prm + r->off[LENET_W2],
               *b2 = prm + r->off[LENET_B2], *w3 = prm + r->off[LENET_W3], *b3 = prm + r->off[LENET_B3],
               *w4 = prm + r->off[LENET_W4], *b4 = prm + r->off[LENET_B4];
  conv_shape s1 = r->conv1.s, s2 = r->conv2.s;
  double *xd = to_double(x, nx_of(&s1)), *c1 = calloc((size_t)ny_of(&s1), sizeof(double));
  double *a1 = malloc((size_t)nx_of(&s2) * sizeof(double)), *c2 = calloc((size_t)ny_of(&s2), sizeof(double));
  double *a2 = malloc((size_t)B * 800 * sizeof(double)), *h3 = malloc((size_t)B * 500 * sizeof(double));
  mac_bufs m1 = {xd, p1, c1};
  naive_conv(&s1, mac_fwd, &m1);
  const double *bias[2] = {b1, b2};
  double *conv[2] = {c1, c2}, *act[2] = {a1, a2};
  const conv_shape *sh[2] = {&s1, &s2};
  for (int l = 0; l < 2; l++) {
    if (l == 1) {
      mac_bufs m2 = {a1, p2, c2};
      naive_conv(&s2, mac_fwd, &m2);
    }
    const int O = sh[l]->O, OH = sh[l]->OH, OW = sh[l]->OW;
    for (int n = 0; n < B; n++)
      for (int o = 0; o < O; o++)
        for (int ph = 0; ph < OH / 2; ph++)
          for (int pw = 0; pw < OW / 2; pw++) {
            const double *pl = conv[l] + ((int64_t)n * O + o) * OH * OW;
            double m = fmax(fmax(pl[2 * ph * OW + 2 * pw], pl[2 * ph * OW + 2 * pw + 1]),
                            fmax(pl[(2 * ph + 1) * OW + 2 * pw], pl[(2 * ph + 1) * OW + 2 * pw + 1])) +
                       bias[l][o];
            double *a = &act[l][(((int64_t)n * O + o) * (OH / 2) + ph) * (OW / 2) + pw];
            *a = r->act == CONV_ACT_TANH ? tanh(m) : fmax(m, 0);
          }
  }
  double loss = 0;
  for (int n = 0; n < B; n++) {
    for (int j = 0; j < 500; j++) {
      double v = b3[j];
      for (int i = 0; i < 800; i++) v += a2[n * 800 + i] * w3[i * 500 + j];
      h3[n * 500 + j] = r->act == CONV_ACT_TANH ? tanh(v) : fmax(v, 0);
    }
    double z[10], mx = -INFINITY, s = 0;
    for (int k = 0; k < 10; k++) {
      z[k] = b4[k];
      for (int j = 0; j < 500; j++) z[k] += h3[n * 500 + j] * w4[j * 10 + k];
      mx = fmax(mx, z[k]);
    }
    for (int k = 0; k < 10; k++) s += exp(z[k] - mx);
    loss += log(s) + mx - z[y[n]];
  }
  free(xd), free(c1), free(a1), free(c2), free(a2), free(h3);
  return loss / B;
}

static const char *param_names[LENET_NPARAM] = {"W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"};

/* The step's loss against the naive forward (relative 1e-5: float against
 * double through five layers), and 4 elements of each parameter's gradient
 * against central differences of the naive double loss (step 1e-6 on the
 * double copy: the quotient is exact to ~1e-9, and a pooling window whose
 * two largest entries lie closer than the step, a kink, is rare; with 1e-4
 * some of W1's 11520 windows switched): within 1e-4 of the parameter's
 * largest gradient element plus 1e-7 (float agrees to ~3e-7 relative). */
static int check_lenet(conv_act act) {
  const int B = 4;
  lenet_ref r;
  if (lenet_ref_new(&r, B, act, 0)) return 1;
  lenet_ref_init(&r, 7);
  /* the tutorial's zero output layer and biases would make W3's gradient 0 */
  for (int k = 0; k < LENET_NPARAM; k++)
    if (k == LENET_W4 || k % 2)
      for (int64_t i = 0; i < r.size[k]; i++) r.param[r.off[k] + i] = (float)(0.2 * urand());
  float *x = frand((int64_t)B * 28 * 28, 1);
  int32_t y[4] = {3, 0, 9, 5};
  double *prm = to_double(r.param, r.nparam);
  double loss = lenet_ref_loss_grad(&r, x, y), want = naive_lenet_loss(&r, prm, x, y);
  int bad = !(fabs(loss - want) <= 1e-5 * fabs(want));
  printf("%s lenet (%s) loss %.7f naive %.7f\n", bad ? "FAIL" : "ok  ", act == CONV_ACT_TANH ? "tanh" : "relu", loss,
         want);
  for (int k = 0; k < LENET_NPARAM; k++) {
    double gmax = 0, worst = 0;
    const float *g = r.grad + r.off[k];
    for (int64_t i = 0; i < r.size[k]; i++) gmax = fmax(gmax, fabs(g[i]));
    for (int t = 0; t < 4; t++) {
      int64_t i = (int64_t)((urand() + 1) / 2 * (double)r.size[k]) % r.size[k], at = r.off[k] + i;
      const double h = 1e-6, keep = prm[at];
      prm[at] = keep + h;
      double lp = naive_lenet_loss(&r, prm, x, y);
      prm[at] = keep - h;
      double lm = naive_lenet_loss(&r, prm, x, y);
      prm[at] = keep;
      worst = fmax(worst, fabs((lp - lm) / (2 * h) - g[i]));
    }
    int ok = worst <= 1e-4 * gmax + 1e-7 && gmax > 0;
    printf("%s   d%s: max |fd - grad| %.2e (largest |grad| %.2e)\n", ok ? "ok  " : "FAIL", param_names[k], worst, gmax);
    bad |= !ok;
  }
  free(x), free(prm);
  lenet_ref_free(&r);
  return bad;
}

static int check(void) {
  int bad = check_convs();
  bad |= check_pool();
  bad |= check_lenet(CONV_ACT_TANH);
  bad |= check_lenet(CONV_ACT_RELU);
  printf("%s\n", bad ? "conv_bench --check: FAILED" : "conv_bench --check: all ok");
  return bad;
}

/* ---- timing ---- */

typedef struct layer_env {
  conv_plan *p;
  const float *x, *w, *g;
  float *y, *dx, *dw, *db;
  int dir;
} layer_env;

static void ref_call(void *e_) {
  layer_env *e = e_;
  if (e->dir == CONV_FWD) conv_ref_forward(e->p, e->x, e->w, NULL, CONV_ACT_NONE, e->y);
  else if (e->dir == CONV_BWD_DATA) conv_ref_input_grad(e->p, e->g, e->w, e->dx);
  else conv_ref_filter_grad(e->p, e->x, e->g, e->dw, NULL);
}

static const char *dir_names[5] = {"", "forward", "input grad", "", "filter grad"};
static const char *dir_keys[5] = {"", "fwd", "dx", "", "dw"};

/* symjit's side of one direction: y = sj_conv2d(x, w) compiled alone, or
 * its gradient w.r.t. x or w given the output gradient g (known_grads, so
 * the graph is the gradient op alone: decision 0021's conv2d_input_grad or
 * conv2d_filter_grad). Inputs x, w, g (the unread one ignored). */
typedef struct sj_side {
  sj_ctx *c;
  sj_function *f;
  sj_tensor *in[3], *out;
  size_t nin;
  double compile_ms;
} sj_side;

static int sj_side_build(sj_side *sd, const conv_shape *s, int dir, float *x, float *w, float *g, int threads) {
  memset(sd, 0, sizeof *sd);
  const int64_t xd[4] = {s->N, s->C, s->H, s->W}, wd[4] = {s->O, s->C / s->groups, s->KH, s->KW},
                yd[4] = {s->N, s->O, s->OH, s->OW};
  if (!(sd->c = sj_ctx_new())) return 1;
  sj_var *vx = sj_input(sd->c, "x", SJ_F32, 4, xd), *vw = sj_input(sd->c, "w", SJ_F32, 4, wd);
  sj_conv2d_opts o = {{s->sh, s->sw}, {s->dh, s->dw}, s->groups, SJ_PAD_EXPLICIT, {s->pt, s->pb, s->pl, s->pr}};
  sj_var *vy = sj_conv2d(vx, vw, &o), *res = vy, *ins[3] = {vx, vw, NULL};
  sd->nin = 2;
  if (dir != CONV_FWD) {
    ins[2] = sj_input(sd->c, "g", SJ_F32, 4, yd);
    sd->nin = 3;
    sj_grad_options go = {.known = &vy, .known_grads = &ins[2], .nknown = 1};
    sj_var *wrt = dir == CONV_BWD_DATA ? vx : vw;
    if (sj_grad_at(vy, &wrt, 1, &go, &res, __FILE__, __LINE__) != SJ_OK) goto fail;
  }
  sj_compile_options co;
  sj_compile_options_init(&co);
  co.on_unused_input = SJ_UNUSED_INPUT_IGNORE;
  co.num_threads = threads; /* 0: all cores */
  double t0 = bench_now_ms();
  if (sj_compile(sd->c, ins, sd->nin, &res, 1, NULL, 0, NULL, 0, &co, &sd->f) != SJ_OK) goto fail;
  sj_function_wait(sd->f); /* time the fully optimized kernels */
  sd->compile_ms = bench_now_ms() - t0;
  sd->in[0] = sj_tensor_wrap(SJ_F32, 4, xd, x), sd->in[1] = sj_tensor_wrap(SJ_F32, 4, wd, w);
  if (sd->nin == 3) sd->in[2] = sj_tensor_wrap(SJ_F32, 4, yd, g);
  return !sd->in[0] || !sd->in[1] || (sd->nin == 3 && !sd->in[2]);
fail:
  fprintf(stderr, "conv_bench: symjit: %s\n", sj_ctx_errmsg(sd->c));
  return 1;
}

static void sj_side_free(sj_side *sd) {
  for (int i = 0; i < 3; i++) sj_tensor_free(sd->in[i]);
  sj_tensor_free(sd->out);
  sj_function_free(sd->f);
  sj_ctx_free(sd->c);
}

/* sj_function_call (graph functions take no caller-provided outputs): the
 * result is freed at the next call, as a training loop would */
static void sj_call(void *p) {
  sj_side *sd = p;
  openblas_set_num_threads(1); /* symjit splits its GEMMs over its own pool */
  sj_tensor_free(sd->out);
  sd->out = NULL;
  if (sj_function_call(sd->f, sd->in, sd->nin, &sd->out, 1) != SJ_OK) {
    fprintf(stderr, "conv_bench: the symjit call failed: %s\n", sj_ctx_errmsg(sd->c));
    exit(1);
  }
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
  return v[n / 2];
}

/* max |a - b| / max(1, max |b|) */
static double max_rel_diff(const float *a, const float *b, int64_t n) {
  double err = 0, mag = 1;
  for (int64_t i = 0; i < n; i++) err = fmax(err, fabs((double)a[i] - b[i])), mag = fmax(mag, fabs((double)b[i]));
  return err / mag;
}

/* One direction: the reference tuned, both results compared, then both
 * timed alternately (so both see the same load), medians and their ratio.
 * cpu: both on one thread, timed by the process's CPU time (which other
 * processes' load does not inflate). */
static int bench_dir(const named_shape *ns, const conv_shape *s, int dir, int reps, float *buf[6], int cpu) {
  float *x = buf[0], *w = buf[1], *g = buf[2];
  float *ref_out = buf[3 + (dir == CONV_FWD ? 0 : dir == CONV_BWD_DATA ? 1 : 2)];
  const int64_t n_out = dir == CONV_FWD ? ny_of(s) : dir == CONV_BWD_DATA ? nx_of(s) : nw_of(s);
  conv_plan p;
  sj_side sd;
  if (conv_plan_tune_threads(&p, s, (unsigned)dir, cpu ? 1 : openblas_get_num_procs())) return 1;
  if (sj_side_build(&sd, s, dir, x, w, g, cpu ? 1 : 0)) {
    conv_plan_free(&p);
    sj_side_free(&sd);
    return 1;
  }
  layer_env e = {&p, x, w, g, buf[3], buf[4], buf[5], NULL, dir};
  ref_call(&e), sj_call(&sd);
  double diff = max_rel_diff(sj_tensor_data(sd.out), ref_out, n_out);
  double t_ref[64], t_sj[64], t0, (*now)(void) = cpu ? conv_cpu_ms : bench_now_ms;
  for (int i = 0; i < reps; i++) {
    t0 = now();
    sj_call(&sd);
    t_sj[i] = now() - t0;
    t0 = now();
    ref_call(&e);
    t_ref[i] = now() - t0;
  }
  double gflop = conv_flops(s) / 1e9, ms_ref = median(t_ref, reps), ms_sj = median(t_sj, reps);
  double min_ref = t_ref[0], min_sj = t_sj[0]; /* sorted by median(): load only adds time */
  printf("  %-11s symjit %8.3f ms %6.1f GFLOP/s | reference %8.3f ms %6.1f GFLOP/s (%s) | ratio %.2f (min %.2f) | "
         "diff %.1e\n",
         dir_names[dir], ms_sj, gflop / ms_sj * 1e3, ms_ref, gflop / ms_ref * 1e3, p.desc, ms_sj / ms_ref,
         min_sj / min_ref, diff);
  printf("BENCH conv%s %s %s symjit_ms=%.3f ref_ms=%.3f ratio=%.3f min_ratio=%.3f symjit_gflops=%.1f ref_gflops=%.1f "
         "compile_ms=%.0f diff=%.1e\n",
         cpu ? "_1thread_cpu" : "", ns->name, dir_keys[dir], ms_sj, ms_ref, ms_sj / ms_ref, min_sj / min_ref, gflop / ms_sj * 1e3,
         gflop / ms_ref * 1e3, sd.compile_ms, diff);
  conv_plan_free(&p);
  sj_side_free(&sd);
  /* float sums in another order: ~1e-6; 1e-3 flags a wrong result */
  if (!(diff <= 1e-3)) fprintf(stderr, "conv_bench: %s %s: symjit and the reference differ\n", ns->name, dir_keys[dir]);
  return !(diff <= 1e-3);
}

static int bench_layer(const named_shape *ns, int reps, int cpu) {
  conv_shape s = ns->s;
  if (conv_shape_init(&s)) return 1;
  /* x, w, g, then the reference's y, dx, dw */
  float *buf[6] = {frand(nx_of(&s), 1), frand(nw_of(&s), 1), frand(ny_of(&s), 1),
                   frand(ny_of(&s), 1), frand(nx_of(&s), 1), frand(nw_of(&s), 1)};
  int rc = 0;
  for (int i = 0; i < 6; i++) rc |= !buf[i];
  printf("%s: N=%d %d->%d %dx%d on %dx%d, pad %d, out %dx%d: %.3f GFLOP per direction\n", ns->name, s.N, s.C, s.O,
         s.KH, s.KW, s.H, s.W, s.pt, s.OH, s.OW, conv_flops(&s) / 1e9);
  for (int dir = CONV_FWD; dir <= CONV_BWD_FILTER && !rc; dir <<= 1) rc = bench_dir(ns, &s, dir, reps, buf, cpu);
  for (int i = 0; i < 6; i++) free(buf[i]);
  return rc;
}

typedef struct lenet_env {
  lenet_ref *r;
  const float *x;
  const int32_t *y;
} lenet_env;

static void lenet_call(void *e_) {
  lenet_env *e = e_;
  lenet_ref_step(e->r, e->x, e->y, 0.1f);
}

static int bench_lenet(conv_act act, int reps, int cpu) {
  const int B = 64;
  lenet_ref r;
  if (lenet_ref_new(&r, B, act, !cpu)) return 1;
  if (cpu) { /* one thread: plans ranked by CPU time */
    conv_shape s1 = r.conv1.s, s2 = r.conv2.s;
    conv_plan_free(&r.conv1), conv_plan_free(&r.conv2);
    r.fc_threads = 1;
    if (conv_plan_tune_threads(&r.conv1, &s1, CONV_FWD | CONV_BWD_FILTER, 1) ||
        conv_plan_tune_threads(&r.conv2, &s2, CONV_FWD | CONV_BWD_DATA | CONV_BWD_FILTER, 1)) {
      lenet_ref_free(&r);
      return 1;
    }
  }
  lenet_ref_init(&r, 1);
  float *x = frand((int64_t)B * 28 * 28, 1);
  int32_t y[64];
  for (int i = 0; i < B; i++) y[i] = i % 10;
  for (int64_t i = 0; i < (int64_t)B * 28 * 28; i++) x[i] = fabsf(x[i]); /* pixels in [0, 1] */
  lenet_env e = {&r, x, y};
  double t[64], (*now)(void) = cpu ? conv_cpu_ms : bench_now_ms;
  lenet_call(&e);
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    lenet_call(&e);
    t[i] = now() - t0;
  }
  double ms = median(t, reps);
  printf("lenet (%s) batch %d: conv1 %s; conv2 %s; fc OpenBLAS threads %d\n", act == CONV_ACT_TANH ? "tanh" : "relu",
         B, r.conv1.desc, r.conv2.desc, r.fc_threads);
  printf("BENCH lenet_ref_step%s act=%s ms=%.3f min_ms=%.3f\n", cpu ? "_1thread_cpu" : "",
         act == CONV_ACT_TANH ? "tanh" : "relu", ms, t[0]);
  free(x);
  lenet_ref_free(&r);
  return 0;
}

int main(int argc, char **argv) {
  int reps = 10, do_check = 0, lenet = 0, cpu = 0;
  conv_act act = CONV_ACT_TANH;
  const char *only = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--check")) do_check = 1;
    else if (!strcmp(argv[i], "--lenet")) lenet = 1;
    else if (!strcmp(argv[i], "--relu")) act = CONV_ACT_RELU;
    else if (!strcmp(argv[i], "--cpu")) cpu = 1;
    else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--layer") && i + 1 < argc) only = argv[++i];
    else {
      fprintf(stderr,
              "usage: conv_bench [--cpu] [--reps N] [--layer conv1|conv2|big] | --lenet [--relu] [--cpu] [--reps N] | "
              "--check\n");
      return 2;
    }
  }
  if (reps < 1 || reps > 64) reps = 10;
  /* numbers from machines whose OpenBLAS picked other kernels do not compare */
  printf("openblas core: %s, %d threads\n", openblas_get_corename(), openblas_get_num_procs());
  int rc = 0;
  if (do_check) rc = check();
  else if (lenet) rc = bench_lenet(act, reps, cpu);
  else
    for (size_t i = 0; i < CONV_BENCH_NLAYERS && !rc; i++)
      if (!only || !strcmp(only, conv_bench_layers[i].name)) rc = bench_layer(&conv_bench_layers[i], reps, cpu);
  conv_ref_shutdown();
  return rc;
}
