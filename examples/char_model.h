/* The character-level LSTM as a symjit graph (decision 0020), shared by the
 * demo (examples/char_lstm.c) and its benchmark (bench/lstm_bench.c):
 * one-hot characters, one LSTM layer written with sj_scan, a linear layer,
 * softmax cross-entropy at every step, gradients by sj_grad and Adam as
 * updates; plus a one-step sampler over the same shared weights. */
#ifndef SJ_EXAMPLES_CHAR_MODEL_H
#define SJ_EXAMPLES_CHAR_MODEL_H
#include <stdbool.h>

#include "symjit/graph.h"

/* Parameters, in this order and layout (the layout of bench/lstm_ref.h
 * without its embedding): W_ih [V, 4H] (one-hot inputs select a row), b
 * [4H], W_hh [H, 4H], W_out [H, V], b_out [V]. Gates i, f, g, o. */
enum { CM_WIH, CM_B, CM_WHH, CM_WOUT, CM_BOUT, CM_NPARAM };

typedef struct char_model {
  int V, H, T, B;
  sj_var *param[CM_NPARAM];
  sj_function *step;    /* (x [T,B] i32, y [T,B] i32) -> loss; updates: Adam */
  sj_function *sampler; /* (x [1] i32, h [1,H], c [1,H]) -> next character [1] i32, h, c */
  sj_random_stream *rs; /* the sampler's draws */
  double compile_ms;    /* sj_compile of the training step (to callable) */
} char_model;

/* Builds and compiles both functions in c with the initial values init
 * (f32 tensors in the layout above), Adam's learning rate, and the
 * sampler's temperature and seed (its Philox stream). unrolled:
 * the recurrence as T copies of the cell instead of sj_scan (a cross-check;
 * compile time grows with T). Non-zero on error, with the message in the
 * context (sj_ctx_errmsg). */
int char_model_build(char_model *m, sj_ctx *c, int V, int H, int T, int B, double lr, double temperature,
                     uint64_t seed, sj_tensor *const init[CM_NPARAM], bool unrolled, int threads);
void char_model_free(char_model *m);
/* torch's default initialization for this model (nn.LSTM and nn.Linear:
 * uniform(+-1/sqrt(H)); the LSTM bias the sum of torch's two, b_ih + b_hh)
 * into new tensors, drawn by a compiled function from a Philox stream of
 * `seed`; non-zero on error (message in the context). */
int char_model_init(sj_ctx *c, int V, int H, uint64_t seed, sj_tensor *init[CM_NPARAM]);
#endif
