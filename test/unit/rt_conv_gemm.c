/* sj_rt_conv_forward / _input_grad / _filter_grad (lib/runtime/conv_gemm.c,
 * decision 0041) against naive double-precision loops: strides 1/2/3,
 * padding (asymmetric, and larger than the kernel's reach), dilation 2,
 * groups 2 and 4, 1x1 kernels and a kernel the size of the input, N = 0, 1,
 * 3 and odd, O = 0 and C/groups = 0, an explicit OH = 0; f32 and f64; each
 * with the shape's own chunks and with forced ones (one image, several,
 * all, chunks not dividing N, row blocks of 1 and 2 rows not dividing OH),
 * serially and on pools of 2 and 3 threads. The forward epilogue covers
 * each image once, with n0 < n1, on rows that are final when it runs.
 * Results on 1, 2 and 3 threads are bit-identical (the filter gradient
 * sums fixed parts in a fixed order). Refused: other dtypes and broken
 * geometries, with nothing written. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conv_gemm.h"
#include "runtime.h"

#include "check.h"

/* A geometry from both paddings, OH/OW by the numpy rule. */
static sj_rt_conv_geom geom(int64_t N, int64_t C, int64_t H, int64_t W, int64_t O, int64_t KH, int64_t KW, int64_t sh,
                            int64_t sw, int64_t dh, int64_t dw, int64_t pt, int64_t pb, int64_t pl, int64_t pr,
                            int64_t groups) {
  sj_rt_conv_geom g = {.N = N, .C = C, .H = H, .W = W, .O = O, .KH = KH, .KW = KW, .sh = sh, .sw = sw, .dh = dh,
                       .dw = dw, .pt = pt, .pl = pl, .groups = groups};
  g.OH = (H + pt + pb - dh * (KH - 1) - 1) / sh + 1;
  g.OW = (W + pl + pr - dw * (KW - 1) - 1) / sw + 1;
  return g;
}

static int64_t nx_of(const sj_rt_conv_geom *g) { return g->N * g->C * g->H * g->W; }
static int64_t nw_of(const sj_rt_conv_geom *g) { return g->O * (g->C / g->groups) * g->KH * g->KW; }
static int64_t ny_of(const sj_rt_conv_geom *g) { return g->N * g->O * g->OH * g->OW; }

/* The three naive directions from one loop nest: yr += x*w, dxr += gy*w,
 * dwr += gy*x over every multiply-add of the convolution. */
static void naive(const sj_rt_conv_geom *g, const double *x, const double *w, const double *gy, double *yr,
                  double *dxr, double *dwr) {
  const int64_t Cg = g->C / g->groups, Og = g->O / g->groups;
  for (int64_t n = 0; n < g->N; n++)
    for (int64_t o = 0; o < g->O; o++)
      for (int64_t oh = 0; oh < g->OH; oh++)
        for (int64_t ow = 0; ow < g->OW; ow++)
          for (int64_t ci = 0; ci < Cg; ci++)
            for (int64_t kh = 0; kh < g->KH; kh++)
              for (int64_t kw = 0; kw < g->KW; kw++) {
                int64_t ih = oh * g->sh - g->pt + kh * g->dh, iw = ow * g->sw - g->pl + kw * g->dw;
                if (ih < 0 || ih >= g->H || iw < 0 || iw >= g->W) continue;
                int64_t c = o / Og * Cg + ci;
                int64_t xi = ((n * g->C + c) * g->H + ih) * g->W + iw, wi = ((o * Cg + ci) * g->KH + kh) * g->KW + kw,
                        yi = ((n * g->O + o) * g->OH + oh) * g->OW + ow;
                yr[yi] += x[xi] * w[wi], dxr[xi] += gy[yi] * w[wi], dwr[wi] += gy[yi] * x[xi];
              }
}

static uint64_t rng = 88172645463325252ull;
static double urand(void) { /* uniform [-1, 1) */
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (double)(rng >> 11) * 0x1.0p-52 - 1;
}

/* n values in dt (es bytes each) and their double copies */
static void *fill(sj_dtype dt, int64_t n, double *d) {
  size_t es = sj_dtype_size(dt);
  char *b = malloc((size_t)(n + 1) * es);
  for (int64_t i = 0; i < n; i++) {
    double v = urand();
    if (dt == SJ_F32) ((float *)b)[i] = (float)v, d[i] = ((float *)b)[i];
    else ((double *)b)[i] = v, d[i] = v;
  }
  return b;
}

static double at(sj_dtype dt, const void *b, int64_t i) {
  return dt == SJ_F32 ? (double)((const float *)b)[i] : ((const double *)b)[i];
}

/* max |got - want| over max(1, max |want|): f32 sums of a few thousand
 * products of operands in [-1, 1] carry ~1e-6 of it, f64 ~1e-15; the
 * bounds catch any wrong index while tolerating the summation order. */
static bool close_to(sj_dtype dt, const void *got, const double *want, int64_t lo, int64_t hi) {
  double err = 0, mag = 1;
  for (int64_t i = lo; i < hi; i++) err = fmax(err, fabs(at(dt, got, i) - want[i])), mag = fmax(mag, fabs(want[i]));
  return err / mag <= (dt == SJ_F32 ? 1e-4 : 1e-11);
}

/* the forward epilogue's record: calls per image, rows checked final */
typedef struct epi_env {
  sj_dtype dt;
  const void *y;
  const double *want;
  int64_t N, per_image;
  atomic_int *calls;
  atomic_int bad; /* n0 >= n1, out of range, or rows not final */
} epi_env;

static void epi(void *env, int64_t n0, int64_t n1) {
  epi_env *e = env;
  if (n0 < 0 || n1 > e->N || n0 >= n1) {
    atomic_fetch_add(&e->bad, 1);
    return;
  }
  for (int64_t n = n0; n < n1; n++) atomic_fetch_add(&e->calls[n], 1);
  if (!close_to(e->dt, e->y, e->want, n0 * e->per_image, n1 * e->per_image)) atomic_fetch_add(&e->bad, 1);
}

typedef struct outs {
  void *y, *dx, *dw;
} outs;

/* One geometry, dtype, pool and chunk choice against the naive results;
 * the outputs are left in *o (allocated here) for bit comparisons. */
static void run_case(const char *name, const sj_rt_conv_geom *g, sj_dtype dt, sj_pool *pool, sj_rt_conv_ws *ws,
                     const void *x, const void *w, const void *gy, const double *yr, const double *dxr,
                     const double *dwr, outs *o) {
  const size_t es = sj_dtype_size(dt);
  const int64_t nx = nx_of(g), nw = nw_of(g), ny = ny_of(g);
  o->y = malloc((size_t)(ny + 1) * es), o->dx = malloc((size_t)(nx + 1) * es), o->dw = malloc((size_t)(nw + 1) * es);
  memset(o->y, 0x7f, (size_t)(ny + 1) * es), memset(o->dx, 0x7f, (size_t)(nx + 1) * es);
  memset(o->dw, 0x7f, (size_t)(nw + 1) * es); /* garbage: must be overwritten */
  atomic_int *calls = calloc((size_t)g->N + 1, sizeof *calls);
  epi_env e = {.dt = dt, .y = o->y, .want = yr, .N = g->N, .per_image = g->O * g->OH * g->OW, .calls = calls};
  bool ok = sj_rt_conv_forward(pool, ws, dt, g, x, w, o->y, epi, &e);
  ok &= sj_rt_conv_input_grad(pool, ws, dt, g, gy, w, o->dx);
  ok &= sj_rt_conv_filter_grad(pool, ws, dt, g, x, gy, o->dw);
  bool good = ok && close_to(dt, o->y, yr, 0, ny) && close_to(dt, o->dx, dxr, 0, nx) &&
              close_to(dt, o->dw, dwr, 0, nw) && atomic_load(&e.bad) == 0;
  for (int64_t n = 0; n < g->N; n++) good &= atomic_load(&calls[n]) == 1;
  if (!good)
    fprintf(stderr, "  %s %s pool %d: ok %d y %d dx %d dw %d epilogue bad %d\n", name, dt == SJ_F32 ? "f32" : "f64",
            pool ? sj_pool_size(pool) : 1, ok, close_to(dt, o->y, yr, 0, ny), close_to(dt, o->dx, dxr, 0, nx),
            close_to(dt, o->dw, dwr, 0, nw), atomic_load(&e.bad));
  CHECK(good);
  free(calls);
}

static void free_outs(outs *o) { free(o->y), free(o->dx), free(o->dw); }

static bool same_bits(const outs *a, const outs *b, const sj_rt_conv_geom *g, size_t es) {
  return !memcmp(a->y, b->y, (size_t)ny_of(g) * es) && !memcmp(a->dx, b->dx, (size_t)nx_of(g) * es) &&
         !memcmp(a->dw, b->dw, (size_t)nw_of(g) * es);
}

/* Every chunk choice and pool for one geometry and dtype; the pools' results
 * bit-identical for each chunk choice. */
static void geom_case(const char *name, sj_rt_conv_geom g, sj_dtype dt, sj_pool *const *pools, int np,
                      sj_rt_conv_ws *ws) {
  const int64_t nx = nx_of(&g), nw = nw_of(&g), ny = ny_of(&g);
  double *xd = malloc((size_t)(nx + 1) * 8), *wd = malloc((size_t)(nw + 1) * 8), *gd = malloc((size_t)(ny + 1) * 8);
  double *yr = calloc((size_t)ny + 1, 8), *dxr = calloc((size_t)nx + 1, 8), *dwr = calloc((size_t)nw + 1, 8);
  void *x = fill(dt, nx, xd), *w = fill(dt, nw, wd), *gy = fill(dt, ny, gd);
  naive(&g, xd, wd, gd, yr, dxr, dwr);
  const int64_t chunks[][2] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {g.N > 1 ? g.N : 1, 0}, {1, 1}, {1, 2}};
  for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
    sj_rt_conv_ws_set_chunks(ws, chunks[c][0], chunks[c][1]);
    outs first;
    for (int p = 0; p < np; p++) {
      outs o;
      run_case(name, &g, dt, pools[p], ws, x, w, gy, yr, dxr, dwr, p ? &o : &first);
      if (p) {
        CHECK(same_bits(&first, &o, &g, sj_dtype_size(dt)));
        free_outs(&o);
      }
    }
    free_outs(&first);
  }
  sj_rt_conv_ws_set_chunks(ws, 0, 0);
  free(xd), free(wd), free(gd), free(yr), free(dxr), free(dwr), free(x), free(w), free(gy);
}

/* Other dtypes and broken geometries: false, nothing written, no epilogue. */
static void refusals(sj_rt_conv_ws *ws) {
  sj_rt_conv_geom g = geom(2, 2, 5, 5, 2, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1);
  float x[100] = {0}, w[36] = {0}, y[64], dx[100], dw[36];
  memset(y, 0x55, sizeof y), memset(dx, 0x55, sizeof dx), memset(dw, 0x55, sizeof dw);
  atomic_int calls[2] = {0};
  epi_env e = {.N = 2, .calls = calls};
  const sj_dtype bad_dt[] = {SJ_F16, SJ_I32, SJ_I64, SJ_BOOL};
  for (size_t i = 0; i < sizeof bad_dt / sizeof bad_dt[0]; i++) {
    CHECK(!sj_rt_conv_forward(NULL, ws, bad_dt[i], &g, x, w, y, epi, &e));
    CHECK(!sj_rt_conv_input_grad(NULL, ws, bad_dt[i], &g, y, w, dx));
    CHECK(!sj_rt_conv_filter_grad(NULL, ws, bad_dt[i], &g, x, y, dw));
  }
  sj_rt_conv_geom broken[6];
  for (int i = 0; i < 6; i++) broken[i] = g;
  broken[0].groups = 3;  /* does not divide C = 2 */
  broken[1].sh = 0;      /* stride 0 */
  broken[2].dw = 0;      /* dilation 0 */
  broken[3].N = -1;      /* negative size */
  broken[4].pt = -1;     /* negative padding */
  broken[5].OW = (int64_t)1 << 40; /* past CBLAS's int */
  for (int i = 0; i < 6; i++) {
    CHECK(!sj_rt_conv_forward(NULL, ws, SJ_F32, &broken[i], x, w, y, epi, &e));
    CHECK(!sj_rt_conv_input_grad(NULL, ws, SJ_F32, &broken[i], y, w, dx));
    CHECK(!sj_rt_conv_filter_grad(NULL, ws, SJ_F32, &broken[i], x, y, dw));
  }
  unsigned char pat[400];
  memset(pat, 0x55, sizeof pat);
  CHECK(!memcmp(y, pat, sizeof y) && !memcmp(dx, pat, sizeof dx) && !memcmp(dw, pat, sizeof dw));
  CHECK(atomic_load(&calls[0]) == 0 && atomic_load(&calls[1]) == 0);
}

/* The chunk rule on the benchmark's layers (decision 0041 §1). */
static void chunk_rule(void) {
  int64_t nb, rows;
  sj_rt_conv_geom conv1 = geom(64, 1, 28, 28, 20, 5, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1);
  sj_rt_conv_geom conv2 = geom(64, 20, 12, 12, 50, 5, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1);
  sj_rt_conv_geom big = geom(32, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
  CHECK(sj_rt_conv_chunks(&conv1, SJ_F32, &nb, &rows) && nb == 1 && rows == 24);
  CHECK(sj_rt_conv_chunks(&conv2, SJ_F32, &nb, &rows) && nb == 4 && rows == 8);
  CHECK(sj_rt_conv_chunks(&big, SJ_F32, &nb, &rows) && nb == 1 && rows == 4);
  CHECK(sj_rt_conv_chunks(&big, SJ_F64, &nb, &rows) && nb == 1 && rows == 2);
  conv2.N = 3; /* never more images than the batch */
  CHECK(sj_rt_conv_chunks(&conv2, SJ_F32, &nb, &rows) && nb == 3);
}

int main(void) {
  sj_rt_conv_ws *ws = sj_rt_conv_ws_new();
  sj_pool *p2 = sj_pool_new(2), *p3 = sj_pool_new(3);
  CHECK(ws && p2 && p3);
  if (!ws || !p2 || !p3) return 1;
  sj_pool *const pools[] = {NULL, p2, p3};
  static const struct {
    const char *name;
    int64_t v[16]; /* N C H W O KH KW sh sw dh dw pt pb pl pr groups */
  } shapes[] = {
      {"lenet1", {3, 1, 12, 12, 4, 5, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1}},
      {"lenet2", {5, 6, 8, 8, 10, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1}},
      {"pad1", {3, 4, 7, 9, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
      {"asym-pad", {2, 3, 6, 7, 4, 3, 2, 1, 1, 1, 1, 2, 0, 0, 1, 1}},
      {"stride2", {3, 4, 9, 11, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 2}},
      {"stride3", {2, 2, 10, 11, 3, 2, 3, 3, 3, 1, 1, 0, 1, 1, 0, 1}},
      {"dil2", {3, 4, 9, 8, 4, 3, 2, 1, 1, 2, 2, 0, 0, 0, 0, 2}},
      {"dil2-str2", {2, 4, 11, 10, 4, 3, 3, 2, 1, 2, 2, 1, 2, 2, 0, 1}},
      {"groups4", {3, 8, 6, 6, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4}},
      {"depthwise", {2, 4, 5, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4}},
      {"1x1", {3, 6, 5, 4, 4, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1}},
      {"1x1-str2", {2, 6, 5, 4, 4, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, 2}},
      {"k=input", {3, 2, 5, 5, 3, 5, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1}},
      {"pad>reach", {2, 2, 2, 2, 3, 2, 2, 1, 3, 1, 1, 3, 3, 2, 2, 1}},
      {"N=1", {1, 3, 6, 6, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
      {"N=7", {7, 2, 6, 5, 3, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1}},
      {"N=0", {0, 3, 5, 5, 4, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1}},
      {"C=0", {2, 0, 5, 5, 4, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1}},
      {"O=0", {2, 3, 5, 5, 0, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1}},
      {"KH=0", {2, 3, 5, 5, 4, 0, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1}},
      /* big enough to run in parallel (PARALLEL_MACS): the bit-identity test */
      {"par", {9, 8, 16, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2}},
      {"par-str", {11, 6, 17, 15, 12, 3, 3, 2, 1, 1, 2, 1, 0, 2, 1, 1}},
  };
  for (int d = 0; d < 2; d++)
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
      const int64_t *v = shapes[i].v;
      sj_rt_conv_geom g = geom(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
                               v[14], v[15]);
      if (v[5] == 0) g.OH = 3; /* KH = 0: no rows of w; y is zeros */
      geom_case(shapes[i].name, g, d ? SJ_F64 : SJ_F32, pools, 3, ws);
    }
  /* an explicit OH = 0 and OW = 0 (the padding after implied negative) */
  sj_rt_conv_geom g = geom(3, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1);
  g.OH = 0;
  geom_case("OH=0", g, SJ_F32, pools, 3, ws);
  g.OH = 2, g.OW = 0;
  geom_case("OW=0", g, SJ_F64, pools, 3, ws);
  /* one output row and column only, well inside x */
  g.OH = 1, g.OW = 1;
  geom_case("OH=OW=1", g, SJ_F32, pools, 3, ws);
  refusals(ws);
  chunk_rule();
  sj_rt_conv_ws_free(ws);
  sj_rt_conv_ws_free(NULL);
  sj_pool_free(p2), sj_pool_free(p3);
  if (failures) fprintf(stderr, "rt_conv_gemm: %d failures\n", failures);
  return failures != 0;
}
