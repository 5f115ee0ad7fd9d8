/* A hand-written C + OpenBLAS character-level LSTM training step: the
 * reference for examples/char_lstm.c and bench/lstm_bench.c (decision 0020).
 *
 * Model: x (vocabulary indices, [T, B], time-major) -> embedding [V, E]
 * (E == 0: one-hot, the input weights indexed directly) -> one LSTM layer of
 * H units (gates i, f, g, o in that order, torch's layout; zero initial
 * state) -> linear [H, V] -> softmax cross-entropy against y at every step,
 * the mean over the T*B positions. Adam (torch's defaults: betas 0.9, 0.999,
 * eps 1e-8, bias-corrected).
 *
 * Written the way an expert writes it: the input projection of all steps is
 * one GEMM, each step one GEMM (h @ W_hh) and one fused loop over the gates;
 * the backward loop one fused loop and one GEMM per step; the weight
 * gradients single GEMMs over all steps after the loop. */
#ifndef SJ_BENCH_LSTM_REF_H
#define SJ_BENCH_LSTM_REF_H
#include <stdint.h>

enum { LSTM_EMB, LSTM_WIH, LSTM_WHH, LSTM_B, LSTM_WOUT, LSTM_BOUT, LSTM_NPARAM };

typedef struct lstm_ref {
  int V, E, H, T, B;
  int64_t size[LSTM_NPARAM], off[LSTM_NPARAM], nparam;
  /* parameters, their gradients and Adam moments: flat, one block per
   * parameter (param + off[k]): emb [V, E], W_ih [E or V, 4H], W_hh [H, 4H],
   * b [4H], W_out [H, V], b_out [V] */
  float *param, *grad, *m, *v;
  int64_t adam_t;
  /* work buffers */
  float *X;    /* [T*B, E] embedded inputs */
  float *G;    /* [T*B, 4H] gate pre-activations, then activations */
  float *Hs;   /* [(T+1)*B, H]: block 0 the zero initial state, block t+1 h_t */
  float *Cs;   /* [(T+1)*B, H]: the same for c */
  float *TC;   /* [T*B, H] tanh(c_t) */
  float *P;    /* [T*B, V] logits, then dloss/dlogits */
  float *dH;   /* [T*B, H] dloss/dh_t, the recurrent part added in the loop */
  float *dG;   /* [T*B, 4H] */
  float *dc;   /* [B, H] */
  float *dX;   /* [T*B, E] */
} lstm_ref;

/* Allocates (zeroed parameters); non-zero when out of memory. */
int lstm_ref_new(lstm_ref *r, int V, int E, int H, int T, int B);
void lstm_ref_free(lstm_ref *r);
/* torch's default initialization (nn.Embedding N(0, 1); nn.LSTM and
 * nn.Linear uniform(+-1/sqrt(H)), the LSTM bias the sum of torch's two
 * biases b_ih + b_hh), from a seeded splitmix64 stream. */
void lstm_ref_init(lstm_ref *r, uint64_t seed);
/* Forward and backward: returns the loss and leaves the gradients in grad. */
double lstm_ref_loss_grad(lstm_ref *r, const int32_t *x, const int32_t *y);
/* One Adam update from grad (bias correction counts the calls). */
void lstm_ref_adam(lstm_ref *r, float lr);
/* lstm_ref_loss_grad, then lstm_ref_adam; returns the loss. */
double lstm_ref_step(lstm_ref *r, const int32_t *x, const int32_t *y, float lr);
#endif
