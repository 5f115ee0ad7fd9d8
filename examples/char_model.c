/* The character-level LSTM graph: training step with sj_scan + sj_grad +
 * Adam, and the one-step sampler. */
#define _POSIX_C_SOURCE 200809L
#include "char_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* gates[:, k*H:(k+1)*H] */
static sj_var *gate(sj_var *gates, int k, int H) {
  sj_slice_spec s[2] = {SJ_ALL, {(int64_t)k * H, (int64_t)(k + 1) * H, 1}};
  return sj_slice(gates, 2, s);
}

/* One LSTM step from the input projection pre = x W_ih + b ([B, 4H]). */
static void lstm_cell(sj_var *pre, sj_var *h, sj_var *c, sj_var *Whh, int H, sj_var **h2, sj_var **c2) {
  sj_var *g = sj_add(pre, sj_matmul(h, Whh));
  sj_var *i = sj_sigmoid(gate(g, 0, H)), *f = sj_sigmoid(gate(g, 1, H));
  sj_var *gg = sj_tanh(gate(g, 2, H)), *o = sj_sigmoid(gate(g, 3, H));
  *c2 = sj_add(sj_mul(f, c), sj_mul(i, gg));
  *h2 = sj_mul(o, sj_tanh(*c2));
}

typedef struct step_env {
  int H;
} step_env;

/* The scan's step: args = pre_t, h_{t-1}, c_{t-1}, W_hh. */
static void scan_step(sj_ctx *c, sj_scan_step *s, void *ud) {
  (void)c;
  const step_env *e = ud;
  lstm_cell(s->args[0], s->args[1], s->args[2], s->args[3], e->H, &s->outputs[0], &s->outputs[1]);
}

static sj_var *zeros(sj_ctx *c, int rank, const int64_t *dims) {
  sj_tensor *z = sj_tensor_new(SJ_F32, rank, dims);
  sj_var *v = z ? sj_constant(c, z) : NULL;
  sj_tensor_free(z);
  return v;
}

/* Adam (torch's: betas 0.9, 0.999, eps 1e-8, bias-corrected) as updates:
 * 2 per parameter plus the step counter. */
static size_t adam(sj_ctx *c, sj_var *const *p, sj_var *const *g, size_t n, double lr, sj_update *upd) {
  sj_tensor *t0 = sj_tensor_new(SJ_F32, 0, NULL);
  sj_var *t = sj_shared(c, "adam_t", t0), *one = sj_scalar(c, 1, SJ_F32);
  sj_tensor_free(t0);
  sj_var *t1 = sj_add(t, one);
  sj_var *b1 = sj_scalar(c, 0.9, SJ_F32), *b2 = sj_scalar(c, 0.999, SJ_F32);
  sj_var *step = sj_div(sj_scalar(c, lr, SJ_F32), sj_sub(one, sj_pow(b1, t1)));
  sj_var *rbc2 = sj_rsqrt(sj_sub(one, sj_pow(b2, t1))), *eps = sj_scalar(c, 1e-8, SJ_F32);
  sj_var *nb1 = sj_scalar(c, 0.1, SJ_F32), *nb2 = sj_scalar(c, 0.001, SJ_F32);
  size_t k = 0;
  upd[k++] = (sj_update){t, t1};
  for (size_t i = 0; i < n; i++) {
    const sj_tensor *pv = sj_shared_value(p[i]);
    sj_tensor *z = pv ? sj_tensor_new(SJ_F32, sj_tensor_rank(pv), sj_tensor_dims(pv)) : NULL;
    sj_var *m = sj_shared(c, "adam_m", z), *v = sj_shared(c, "adam_v", z);
    sj_tensor_free(z);
    sj_var *m1 = sj_add(sj_mul(b1, m), sj_mul(nb1, g[i]));
    sj_var *v1 = sj_add(sj_mul(b2, v), sj_mul(nb2, sj_mul(g[i], g[i])));
    sj_var *p1 = sj_sub(p[i], sj_div(sj_mul(step, m1), sj_add(sj_mul(sj_sqrt(v1), rbc2), eps)));
    upd[k++] = (sj_update){m, m1}, upd[k++] = (sj_update){v, v1}, upd[k++] = (sj_update){p[i], p1};
  }
  return k;
}

/* h_t of every step, stacked [T, B, H], without scan. */
static sj_var *unroll(sj_ctx *c, sj_var *pre, sj_var *const *init, sj_var *Whh, int T, int H) {
  sj_var **hs = calloc((size_t)T, sizeof *hs), *h = init[0], *cc = init[1], *out = NULL;
  if (!hs) return NULL; /* the next builder records a NULL operand */
  for (int t = 0; t < T; t++) {
    lstm_cell(sj_index(pre, 0, t), h, cc, Whh, H, &h, &cc);
    hs[t] = h;
  }
  out = sj_stack(hs, (size_t)T, 0);
  free(hs);
  (void)c;
  return out;
}

static sj_status build_step(char_model *m, sj_ctx *c, double lr, bool unrolled, int threads) {
  const int V = m->V, H = m->H, T = m->T, B = m->B;
  int64_t xd[2] = {T, B}, hd[2] = {B, H}, flat[1] = {(int64_t)T * B}, hflat[2] = {(int64_t)T * B, H};
  sj_var *x = sj_input(c, "x", SJ_I32, 2, xd), *y = sj_input(c, "y", SJ_I32, 2, xd);
  sj_var **p = m->param;
  /* input projection of all steps before the loop: one-hot rows of W_ih */
  sj_var *pre = sj_add(sj_take(p[CM_WIH], x, 0), p[CM_B]);
  sj_var *info[2] = {zeros(c, 2, hd), zeros(c, 2, hd)}, *nonseq[1] = {p[CM_WHH]};
  const bool last[2] = {false, true};
  sj_scan_options so = {.sequences = &pre, .nseq = 1, .outputs_info = info, .nout = 2,
                        .non_sequences = nonseq, .nnonseq = 1, .return_last = last};
  step_env env = {H};
  sj_var *res[2] = {0};
  size_t nupd_scan = 0;
  sj_status st = SJ_OK;
  if (unrolled) /* the same recurrence as T copies of the cell (a cross-check of scan) */
    res[0] = unroll(c, pre, info, p[CM_WHH], T, H);
  else if ((st = sj_scan(c, scan_step, &env, &so, res, NULL, 0, &nupd_scan)))
    return st;
  sj_var *hs = sj_reshape(res[0], 2, hflat);
  sj_var *logits = sj_add(sj_matmul(hs, p[CM_WOUT]), p[CM_BOUT]);
  sj_var *loss = sj_crossentropy(logits, sj_reshape(y, 1, flat));
  sj_var *grads[CM_NPARAM];
  if ((st = sj_grad(loss, p, CM_NPARAM, grads))) return st;
  sj_update upd[1 + 3 * CM_NPARAM];
  size_t nupd = adam(c, p, grads, CM_NPARAM, lr, upd);
  sj_var *ins[2] = {x, y};
  (void)V;
  double t0 = now_ms();
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.num_threads = threads;
  st = sj_compile(c, ins, 2, &loss, 1, upd, nupd, NULL, 0, &o, &m->step);
  m->compile_ms = now_ms() - t0;
  return st;
}

/* One step for batch 1 and a character drawn from softmax(logits / T) by
 * a Philox stream (a new draw each call). */
static sj_status build_sampler(char_model *m, sj_ctx *c, double temperature, uint64_t seed) {
  const int H = m->H;
  int64_t xd[1] = {1}, hd[2] = {1, H};
  sj_var *x = sj_input(c, "x", SJ_I32, 1, xd), *h = sj_input(c, "h", SJ_F32, 2, hd),
         *cc = sj_input(c, "c", SJ_F32, 2, hd);
  sj_var **p = m->param, *h2, *c2;
  sj_var *pre = sj_add(sj_take(p[CM_WIH], x, 0), p[CM_B]);
  lstm_cell(pre, h, cc, p[CM_WHH], H, &h2, &c2);
  sj_var *logits = sj_add(sj_matmul(h2, p[CM_WOUT]), p[CM_BOUT]);
  if (!(m->rs = sj_random_stream_new(c, seed))) return SJ_ERR_NOMEM;
  sj_var *out[3] = {sj_random_categorical(m->rs, logits, true, temperature, SJ_I32), h2, c2}, *ins[3] = {x, h, cc};
  return sj_compile(c, ins, 3, out, 3, NULL, 0, NULL, 0, NULL, &m->sampler);
}

int char_model_build(char_model *m, sj_ctx *c, int V, int H, int T, int B, double lr, double temperature,
                     uint64_t seed, sj_tensor *const init[CM_NPARAM], bool unrolled, int threads) {
  static const char *names[CM_NPARAM] = {"W_ih", "b", "W_hh", "W_out", "b_out"};
  memset(m, 0, sizeof *m);
  m->V = V, m->H = H, m->T = T, m->B = B;
  for (int k = 0; k < CM_NPARAM; k++) m->param[k] = sj_shared(c, names[k], init[k]);
  if (build_step(m, c, lr, unrolled, threads) || build_sampler(m, c, temperature, seed)) {
    char_model_free(m);
    return 1;
  }
  return 0;
}

void char_model_free(char_model *m) {
  sj_function_free(m->step), sj_function_free(m->sampler);
  sj_random_stream_free(m->rs);
  m->step = m->sampler = NULL, m->rs = NULL;
}

int char_model_init(sj_ctx *c, int V, int H, uint64_t seed, sj_tensor *init[CM_NPARAM]) {
  const int64_t dims[CM_NPARAM][2] = {{V, 4 * H}, {4 * H}, {H, 4 * H}, {H, V}, {V}};
  const int rank[CM_NPARAM] = {2, 1, 2, 2, 1};
  double k = 1 / sqrt((double)H);
  sj_random_stream *rs = sj_random_stream_new(c, seed);
  sj_var *draw[CM_NPARAM];
  for (int i = 0; i < CM_NPARAM; i++) draw[i] = sj_random_uniform(rs, SJ_SHAPE(rank[i], dims[i]), SJ_F32, -k, k);
  /* torch's LSTM has two biases, b_ih + b_hh */
  draw[CM_B] = sj_add(draw[CM_B], sj_random_uniform(rs, SJ_SHAPE(1, dims[CM_B]), SJ_F32, -k, k));
  sj_function *f = NULL;
  sj_status st = rs ? sj_compile(c, NULL, 0, draw, CM_NPARAM, NULL, 0, NULL, 0, NULL, &f) : SJ_ERR_NOMEM;
  for (int i = 0; i < CM_NPARAM; i++) init[i] = NULL;
  if (!st) st = sj_function_call(f, NULL, 0, init, CM_NPARAM);
  sj_function_free(f);
  sj_random_stream_free(rs);
  return st != SJ_OK;
}
