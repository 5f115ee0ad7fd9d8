/* Pooling window arithmetic (docs/decisions/0021-conv-pool.md), shared by
 * everything that must agree on it: type inference, the reference
 * evaluator, the pooling lowering (passes/lower-pool.c), the gradient rules
 * and the graph API (lib/graph/pool.c). */
#ifndef SJ_POOL_H
#define SJ_POOL_H
#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

/* One pooling op's attributes, per spatial axis a (0: H, 1: W). */
typedef struct sj_pool2d {
  int64_t k[2];      /* window */
  int64_t s[2];      /* stride */
  int64_t lo[2], hi[2]; /* padding before / after: pad = [pt, pb, pl, pr] */
  bool ceil_mode, count_pad;
} sj_pool2d;

/* Reads the attributes of a pooling op (any counts; missing entries are 0,
 * which sj_pool2d_check refuses). */
void sj_pool2d_get(const sj_op *op, sj_pool2d *p);

/* NULL when the attribute values are valid (window >= 1, stride >= 1,
 * 0 <= pad < window on each side), else what is wrong, as a static string
 * naming the attribute. */
const char *sj_pool2d_check(const sj_pool2d *p);

/* Output extent along axis a for an input extent n >= 0, or -1 when the
 * window is larger than the padded input (floor mode only: ceil_mode keeps
 * the one partial window, as Theano's ignore_border=False). Floor:
 * (n + lo + hi - k) / s + 1. Ceil: ceil(max(n + lo + hi - k, 0) / s) + 1,
 * less a last window that would start in the right padding (PyTorch). */
int64_t sj_pool2d_out(const sj_pool2d *p, int a, int64_t n);

/* Window of output index o along axis a over an input extent n: the
 * in-bounds part [*b, *e) (empty only when n is 0) and the count_pad
 * divisor's factor *d, the window clipped to the padded extent
 * [-lo, n + hi) (the full window except a ceil_mode window that overhangs
 * the padding). */
void sj_pool2d_window(const sj_pool2d *p, int a, int64_t n, int64_t o, int64_t *b, int64_t *e, int64_t *d);
#endif
