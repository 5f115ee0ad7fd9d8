/* The LeNet-5 graph (see lenet_model.h): parameters, initialization, the
 * forward pass, the loss and SGD updates. */
#include "lenet_model.h"

#include <math.h>

#define POOL 2  /* both pooling layers: 2x2 windows, stride 2 */
#define KSIZE 5 /* both conv layers: 5x5 filters */

const int lenet_param_rank[LN_NPARAM] = {4, 1, 4, 1, 2, 1, 2, 1};
const int64_t lenet_param_dims[LN_NPARAM][4] = {
    {20, 1, KSIZE, KSIZE}, {20}, {50, 20, KSIZE, KSIZE}, {50}, {800, 500}, {500}, {500, 10}, {10},
};

/* Theano's bound sqrt(6 / (fan_in + fan_out)) for a weight of the given
 * shape: conv filters OIHW count the receptive field on both sides, and
 * fan_out is divided by the pooling area that follows (the tutorial's
 * LeNetConvPoolLayer); dense [in, out] weights use in and out. */
static double glorot_bound(int rank, const int64_t *d) {
  double fan_in = (double)d[0], fan_out = (double)d[1];
  if (rank == 4) {
    double rf = (double)(d[2] * d[3]);
    fan_in = (double)d[1] * rf;
    fan_out = (double)d[0] * rf / (POOL * POOL);
  }
  return sqrt(6.0 / (fan_in + fan_out));
}

void lenet_init_free(sj_tensor *init[LN_NPARAM]) {
  for (int p = 0; p < LN_NPARAM; p++) sj_tensor_free(init[p]), init[p] = NULL;
}

int lenet_init(uint64_t seed, sj_tensor *init[LN_NPARAM]) {
  int ok = 1;
  for (int p = 0; p < LN_NPARAM; p++) ok &= (init[p] = sj_tensor_new(SJ_F32, lenet_param_rank[p], lenet_param_dims[p])) != NULL;
  if (!ok) {
    lenet_init_free(init);
    return 1;
  }
  /* biases (odd slots) and the logistic layer's W stay zero (new tensors
   * are zeroed), as in the tutorial's LogisticRegression */
  for (int p = LN_W1; p < LN_W4; p += 2) {
    double r = glorot_bound(lenet_param_rank[p], lenet_param_dims[p]);
    if (sj_tensor_fill_uniform(init[p], seed * 7919 + (uint64_t)p, -r, r) != SJ_OK) {
      lenet_init_free(init);
      return 1;
    }
  }
  return 0;
}

/* The composite forms (--composite): a "valid" stride-1 convolution as
 * im2col by K*K slices and one matmul, 2x2 max pooling as a reshape and a
 * max over the window axes; only ops symjit had before conv2d and
 * max_pool2d, so the same function and gradient computed another way (a
 * cross-check). */
static sj_var *conv2d_composite(sj_var *x, sj_var *w) {
  int64_t C = sj_var_dim(x, 1), H = sj_var_dim(x, 2), W = sj_var_dim(x, 3);
  int64_t O = sj_var_dim(w, 0), K = KSIZE, OH = H - K + 1, OW = W - K + 1;
  sj_var *views[KSIZE * KSIZE];
  for (int64_t i = 0; i < K; i++)
    for (int64_t j = 0; j < K; j++) {
      sj_slice_spec sp[4] = {SJ_ALL, SJ_ALL, {i, i + OH, 1}, {j, j + OW, 1}};
      views[i * K + j] = sj_slice(x, 4, sp);
    }
  int64_t d3[3] = {-1, C * K * K, OH * OW}, d2[2] = {-1, C * K * K}, wd[2] = {O, C * K * K}, yd[4] = {-1, OH, OW, O};
  const int t021[3] = {0, 2, 1}, t10[2] = {1, 0}, t0312[4] = {0, 3, 1, 2};
  /* [N, C, K*K, OH, OW]: the column index c*K*K + i*K + j is w's OIHW order */
  sj_var *cols = sj_reshape(sj_stack(views, (size_t)(K * K), 2), 3, d3);
  cols = sj_reshape(sj_transpose(cols, t021), 2, d2); /* [N*OH*OW, C*K*K] */
  sj_var *y = sj_matmul(cols, sj_transpose(sj_reshape(w, 2, wd), t10));
  return sj_transpose(sj_reshape(y, 4, yd), t0312);
}

/* 2x2 max pooling as max_pool2d defines its gradient (decision 0021: all
 * of it to the FIRST maximum of the window in row-major order; sj_max
 * would give it to every tied element, and ties are common here: blank
 * image borders give equal values): the window's elements e_k as strided
 * slices, a one-hot mask of the first e_k equal to the max, and the sum
 * of e_k times the mask with the mask a constant for the gradient. */
static sj_var *max_pool_composite(sj_ctx *c, sj_var *x) {
  sj_var *e[POOL * POOL], *m = NULL;
  for (int64_t i = 0; i < POOL; i++)
    for (int64_t j = 0; j < POOL; j++) {
      sj_slice_spec sp[4] = {SJ_ALL, SJ_ALL, {i, SJ_OMIT, POOL}, {j, SJ_OMIT, POOL}};
      e[i * POOL + j] = sj_slice(x, 4, sp);
      m = m ? sj_maximum(m, e[i * POOL + j]) : e[0];
    }
  sj_var *taken = sj_scalar(c, 0, SJ_F32), *one = sj_scalar(c, 1, SJ_F32), *out = NULL;
  for (int k = 0; k < POOL * POOL; k++) {
    sj_var *mask = sj_mul(sj_cast(sj_eq(e[k], m), SJ_F32), sj_sub(one, taken));
    taken = sj_add(taken, mask);
    sj_var *term = sj_mul(e[k], sj_stop_gradient(mask));
    out = out ? sj_add(out, term) : term;
  }
  return out;
}

/* act(max_pool2d(conv2d(h, W)) + b): the tutorial's LeNetConvPoolLayer
 * (the bias is added after pooling, as there; max commutes with adding a
 * per-channel constant and with a monotone activation, so the order only
 * changes the work: a quarter of the adds and activations). */
static sj_var *conv_pool(sj_ctx *c, sj_var *h, sj_var *W, sj_var *b, int64_t channels, const lenet_opts *o) {
  sj_pool2d_opts pool = {.window = {POOL, POOL}, .ignore_border = 1};
  sj_var *p = o->composite ? max_pool_composite(c, conv2d_composite(h, W)) : sj_max_pool2d(sj_conv2d(h, W, NULL), &pool);
  int64_t bd[4] = {1, channels, 1, 1};
  sj_var *z = sj_add(p, sj_reshape(b, 4, bd));
  return o->relu ? sj_relu(z) : sj_tanh(z);
}

static void sgd_updates(lenet_model *m, sj_ctx *c, sj_var *const *grads, double lr, double momentum) {
  sj_var *vlr = sj_scalar(c, lr, SJ_F32), *mu = sj_scalar(c, momentum, SJ_F32);
  m->nupd = 0;
  for (int p = 0; p < LN_NPARAM; p++) {
    sj_var *param = m->param[p];
    if (momentum > 0) { /* v <- m v - lr g; p <- p + v */
      sj_tensor *zero = sj_tensor_new(SJ_F32, lenet_param_rank[p], lenet_param_dims[p]);
      sj_var *v = sj_shared(c, "v", zero); /* NULL value: the context records the error */
      sj_tensor_free(zero);
      sj_var *nv = sj_sub(sj_mul(mu, v), sj_mul(vlr, grads[p]));
      m->upd[m->nupd++] = (sj_update){v, nv};
      m->upd[m->nupd++] = (sj_update){param, sj_add(param, nv)};
    } else {
      m->upd[m->nupd++] = (sj_update){param, sj_sub(param, sj_mul(vlr, grads[p]))};
    }
  }
}

int lenet_build(lenet_model *m, sj_ctx *c, sj_tensor *const init[LN_NPARAM], const lenet_opts *o) {
  static const char *names[LN_NPARAM] = {"W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"};
  int64_t xd[2] = {-1, 784}, yd[1] = {-1}, img[4] = {-1, 1, 28, 28}, flat[2] = {-1, 800};
  m->x = sj_input(c, "x", SJ_F32, 2, xd);
  m->y = sj_input(c, "y", SJ_I32, 1, yd);
  for (int p = 0; p < LN_NPARAM; p++) m->param[p] = sj_shared(c, names[p], init[p]);
  sj_var *const *w = m->param;
  sj_var *h = sj_reshape(m->x, 4, img);
  h = conv_pool(c, h, w[LN_W1], w[LN_B1], lenet_param_dims[LN_W1][0], o); /* [N, 20, 12, 12] */
  h = conv_pool(c, h, w[LN_W2], w[LN_B2], lenet_param_dims[LN_W2][0], o); /* [N, 50, 4, 4] */
  h = sj_add(sj_matmul(sj_reshape(h, 2, flat), w[LN_W3]), w[LN_B3]);     /* Theano's flatten(2) */
  h = o->relu ? sj_relu(h) : sj_tanh(h);
  m->logits = sj_add(sj_matmul(h, w[LN_W4]), w[LN_B4]);
  m->loss = sj_crossentropy(m->logits, m->y);
  sj_var *grads[LN_NPARAM];
  sj_status st = sj_grad(m->loss, m->param, LN_NPARAM, grads);
  if (st != SJ_OK) return 1;
  sgd_updates(m, c, grads, o->lr, o->momentum);
  return 0;
}
