/* Hand-written LSTM training step (see lstm_ref.h). Built with -O3
 * -march=native -ffast-math: the gate loops vectorize (expf from libmvec). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime in bench_util.h */
#include "lstm_ref.h"
#include "bench_util.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RM CblasRowMajor
#define NT CblasNoTrans
#define TR CblasTrans

int lstm_ref_new(lstm_ref *r, int V, int E, int H, int T, int B) {
  memset(r, 0, sizeof *r);
  r->V = V, r->E = E, r->H = H, r->T = T, r->B = B;
  int64_t in = E ? E : V, tb = (int64_t)T * B;
  const int64_t size[LSTM_NPARAM] = {(int64_t)V * E, in * 4 * H, (int64_t)H * 4 * H, 4 * H, (int64_t)H * V, V};
  for (int k = 0; k < LSTM_NPARAM; k++) r->size[k] = size[k], r->off[k] = r->nparam, r->nparam += size[k];
  size_t np = (size_t)r->nparam;
  r->param = calloc(np, sizeof(float)), r->grad = calloc(np, sizeof(float));
  r->m = calloc(np, sizeof(float)), r->v = calloc(np, sizeof(float));
  r->X = malloc((size_t)(tb * (E ? E : 1)) * sizeof(float));
  r->G = malloc((size_t)(tb * 4 * H) * sizeof(float));
  r->Hs = calloc((size_t)((tb + B) * H), sizeof(float));
  r->Cs = calloc((size_t)((tb + B) * H), sizeof(float));
  r->TC = malloc((size_t)(tb * H) * sizeof(float));
  r->P = malloc((size_t)(tb * V) * sizeof(float));
  r->dH = malloc((size_t)(tb * H) * sizeof(float));
  r->dG = malloc((size_t)(tb * 4 * H) * sizeof(float));
  r->dc = malloc((size_t)(B * H) * sizeof(float));
  r->dX = malloc((size_t)(tb * (E ? E : 1)) * sizeof(float));
  if (r->param && r->grad && r->m && r->v && r->X && r->G && r->Hs && r->Cs && r->TC && r->P && r->dH && r->dG &&
      r->dc && r->dX)
    return 0;
  lstm_ref_free(r);
  return 1;
}

void lstm_ref_free(lstm_ref *r) {
  float *bufs[] = {r->param, r->grad, r->m, r->v, r->X, r->G, r->Hs, r->Cs, r->TC, r->P, r->dH, r->dG, r->dc, r->dX};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) free(bufs[i]);
  memset(r, 0, sizeof *r);
}


void lstm_ref_init(lstm_ref *r, uint64_t seed) {
  uint64_t s = seed * 0x2545f4914f6cdd1dull + 1;
  float *p = r->param;
  double k = 1 / sqrt((double)r->H);
  for (int64_t i = 0; i < r->size[LSTM_EMB]; i += 2) { /* Box-Muller, two normals per pair */
    double u = 1 - bench_unif(&s), a = 6.283185307179586 * bench_unif(&s), rad = sqrt(-2 * log(u));
    p[r->off[LSTM_EMB] + i] = (float)(rad * cos(a));
    if (i + 1 < r->size[LSTM_EMB]) p[r->off[LSTM_EMB] + i + 1] = (float)(rad * sin(a));
  }
  for (int w = LSTM_WIH; w < LSTM_NPARAM; w++)
    for (int64_t i = 0; i < r->size[w]; i++) p[r->off[w] + i] = (float)(k * (2 * bench_unif(&s) - 1));
  for (int64_t i = 0; i < r->size[LSTM_B]; i++) p[r->off[LSTM_B] + i] += (float)(k * (2 * bench_unif(&s) - 1));
  memset(r->m, 0, (size_t)r->nparam * sizeof(float));
  memset(r->v, 0, (size_t)r->nparam * sizeof(float));
  r->adam_t = 0;
}

static inline float sigm(float x) { return 1.0f / (1.0f + expf(-x)); }
/* tanh through the same expf (vectorized): exact limits at +-inf */
static inline float tanh_f(float x) { return 1.0f - 2.0f / (1.0f + expf(2.0f * x)); }

/* One step's gates: G row block (pre-activations) -> activations in place,
 * c_t, tanh(c_t), h_t. */
static void gates_forward(int B, int H, float *restrict G, const float *restrict cprev, float *restrict c,
                          float *restrict tc, float *restrict h) {
  for (int b = 0; b < B; b++) {
    float *restrict g = G + (size_t)b * 4 * H;
    const float *restrict cp = cprev + (size_t)b * H;
    float *restrict cb = c + (size_t)b * H, *restrict tb = tc + (size_t)b * H, *restrict hb = h + (size_t)b * H;
#pragma GCC ivdep
    for (int j = 0; j < H; j++) {
      float i = sigm(g[j]), f = sigm(g[H + j]), gg = tanh_f(g[2 * H + j]), o = sigm(g[3 * H + j]);
      float cn = f * cp[j] + i * gg, t = tanh_f(cn);
      g[j] = i, g[H + j] = f, g[2 * H + j] = gg, g[3 * H + j] = o;
      cb[j] = cn, tb[j] = t, hb[j] = o * t;
    }
  }
}

/* One step backward: dh (dloss/dh_t, both paths), dc (carried from t+1,
 * replaced by the one for t-1) -> dG row block. */
static void gates_backward(int B, int H, const float *restrict G, const float *restrict cprev,
                           const float *restrict tc, const float *restrict dh, float *restrict dc,
                           float *restrict dG) {
  for (int b = 0; b < B; b++) {
    const float *restrict g = G + (size_t)b * 4 * H;
    float *restrict d = dG + (size_t)b * 4 * H;
    const float *restrict cp = cprev + (size_t)b * H, *restrict t = tc + (size_t)b * H,
                          *restrict dhb = dh + (size_t)b * H;
    float *restrict dcb = dc + (size_t)b * H;
#pragma GCC ivdep
    for (int j = 0; j < H; j++) {
      float i = g[j], f = g[H + j], gg = g[2 * H + j], o = g[3 * H + j], tj = t[j];
      float dcj = dcb[j] + dhb[j] * o * (1 - tj * tj);
      d[j] = dcj * gg * i * (1 - i);
      d[H + j] = dcj * cp[j] * f * (1 - f);
      d[2 * H + j] = dcj * i * (1 - gg * gg);
      d[3 * H + j] = dhb[j] * tj * o * (1 - o);
      dcb[j] = dcj * f;
    }
  }
}

/* Softmax cross-entropy of each row of P (n rows of V): returns the summed
 * loss and leaves (softmax - onehot) * scale in P. */
static double xent(float *restrict P, const int32_t *restrict y, int64_t n, int V, float scale) {
  double loss = 0;
  for (int64_t r = 0; r < n; r++) {
    float *p = P + r * V, mx = p[0], s = 0;
    for (int k = 1; k < V; k++) mx = fmaxf(mx, p[k]);
    float zy = p[y[r]] - mx;
    for (int k = 0; k < V; k++) s += (p[k] = expf(p[k] - mx));
    loss += log((double)s) - (double)zy;
    float inv = scale / s;
    for (int k = 0; k < V; k++) p[k] *= inv;
    p[y[r]] -= scale;
  }
  return loss;
}

static void colsum(const float *restrict A, int64_t rows, int cols, float *restrict out) {
  memset(out, 0, (size_t)cols * sizeof *out);
  for (int64_t r = 0; r < rows; r++)
    for (int k = 0; k < cols; k++) out[k] += A[r * cols + k];
}

static void forward(lstm_ref *r, const int32_t *x) {
  const int E = r->E, H = r->H, B = r->B, G4 = 4 * r->H;
  const int64_t tb = (int64_t)r->T * B;
  const float *emb = r->param + r->off[LSTM_EMB], *Wih = r->param + r->off[LSTM_WIH],
              *Whh = r->param + r->off[LSTM_WHH], *bias = r->param + r->off[LSTM_B];
  /* input projection of all steps: one GEMM (one-hot: a row gather) */
  for (int64_t i = 0; i < tb; i++) {
    if (E) {
      memcpy(r->X + i * E, emb + (int64_t)x[i] * E, (size_t)E * sizeof(float));
      memcpy(r->G + i * G4, bias, (size_t)G4 * sizeof(float));
    } else {
      const float *w = Wih + (int64_t)x[i] * G4;
      for (int k = 0; k < G4; k++) r->G[i * G4 + k] = w[k] + bias[k];
    }
  }
  if (E) cblas_sgemm(RM, NT, NT, (int)tb, G4, E, 1, r->X, E, Wih, G4, 1, r->G, G4);
  for (int t = 0; t < r->T; t++) {
    float *Gt = r->G + (int64_t)t * B * G4;
    const float *hprev = r->Hs + (int64_t)t * B * H;
    cblas_sgemm(RM, NT, NT, B, G4, H, 1, hprev, H, Whh, G4, 1, Gt, G4);
    gates_forward(B, H, Gt, r->Cs + (int64_t)t * B * H, r->Cs + (int64_t)(t + 1) * B * H,
                  r->TC + (int64_t)t * B * H, r->Hs + (int64_t)(t + 1) * B * H);
  }
  /* output layer of all steps: one GEMM */
  const float *Wout = r->param + r->off[LSTM_WOUT], *bout = r->param + r->off[LSTM_BOUT];
  for (int64_t i = 0; i < tb; i++) memcpy(r->P + i * r->V, bout, (size_t)r->V * sizeof(float));
  cblas_sgemm(RM, NT, NT, (int)tb, r->V, H, 1, r->Hs + (int64_t)B * H, H, Wout, r->V, 1, r->P, r->V);
}

double lstm_ref_loss_grad(lstm_ref *r, const int32_t *x, const int32_t *y) {
  const int E = r->E, H = r->H, B = r->B, V = r->V, G4 = 4 * r->H;
  const int64_t tb = (int64_t)r->T * B;
  forward(r, x);
  double loss = xent(r->P, y, tb, V, 1.0f / (float)tb) / (double)tb;
  float *g = r->grad;
  const float *Whh = r->param + r->off[LSTM_WHH], *Wout = r->param + r->off[LSTM_WOUT];
  /* output layer */
  cblas_sgemm(RM, TR, NT, H, V, (int)tb, 1, r->Hs + (int64_t)B * H, H, r->P, V, 0, g + r->off[LSTM_WOUT], V);
  colsum(r->P, tb, V, g + r->off[LSTM_BOUT]);
  cblas_sgemm(RM, NT, TR, (int)tb, H, V, 1, r->P, V, Wout, V, 0, r->dH, H);
  /* BPTT: dh_t += dG_{t+1} @ W_hh^T, then the gates */
  memset(r->dc, 0, (size_t)B * H * sizeof(float));
  for (int t = r->T - 1; t >= 0; t--) {
    float *dHt = r->dH + (int64_t)t * B * H;
    if (t + 1 < r->T)
      cblas_sgemm(RM, NT, TR, B, H, G4, 1, r->dG + (int64_t)(t + 1) * B * G4, G4, Whh, G4, 1, dHt, H);
    gates_backward(B, H, r->G + (int64_t)t * B * G4, r->Cs + (int64_t)t * B * H, r->TC + (int64_t)t * B * H, dHt,
                   r->dc, r->dG + (int64_t)t * B * G4);
  }
  /* weight gradients of all steps: single GEMMs */
  cblas_sgemm(RM, TR, NT, H, G4, (int)tb, 1, r->Hs, H, r->dG, G4, 0, g + r->off[LSTM_WHH], G4);
  colsum(r->dG, tb, G4, g + r->off[LSTM_B]);
  if (E) {
    cblas_sgemm(RM, TR, NT, E, G4, (int)tb, 1, r->X, E, r->dG, G4, 0, g + r->off[LSTM_WIH], G4);
    cblas_sgemm(RM, NT, TR, (int)tb, E, G4, 1, r->dG, G4, r->param + r->off[LSTM_WIH], G4, 0, r->dX, E);
    float *demb = g + r->off[LSTM_EMB];
    memset(demb, 0, (size_t)r->size[LSTM_EMB] * sizeof(float));
    for (int64_t i = 0; i < tb; i++)
      for (int k = 0; k < E; k++) demb[(int64_t)x[i] * E + k] += r->dX[i * E + k];
  } else {
    float *dw = g + r->off[LSTM_WIH];
    memset(dw, 0, (size_t)r->size[LSTM_WIH] * sizeof(float));
    for (int64_t i = 0; i < tb; i++)
      for (int k = 0; k < G4; k++) dw[(int64_t)x[i] * G4 + k] += r->dG[i * G4 + k];
  }
  return loss;
}

void lstm_ref_adam(lstm_ref *r, float lr) {
  const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
  r->adam_t++;
  float step = lr / (float)(1 - pow(b1, (double)r->adam_t));
  float rbc2 = (float)(1 / sqrt(1 - pow(b2, (double)r->adam_t)));
  float *restrict p = r->param, *restrict m = r->m, *restrict v = r->v;
  const float *restrict g = r->grad;
  for (int64_t i = 0; i < r->nparam; i++) {
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    p[i] -= step * m[i] / (sqrtf(v[i]) * rbc2 + eps);
  }
}

double lstm_ref_step(lstm_ref *r, const int32_t *x, const int32_t *y, float lr) {
  double loss = lstm_ref_loss_grad(r, x, y);
  lstm_ref_adam(r, lr);
  return loss;
}
