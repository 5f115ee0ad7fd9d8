/* The random_* ops at function level (docs/decisions/0018-random.md): each
 * is one executor step that sizes its result in phase 1, gets it allocated
 * with the other buffers, and fills it in phase 2 through the runtime's
 * Philox fills, which the function's thread pool splits. The stream state
 * operand is read at run time: (key, counter) as two int64. */
#include <stdio.h>
#include <string.h>

#include "exec_internal.h"
#include "opinfo.h"
#include "rt_random.h"

static int64_t slot_numel(sj_function *f, int s) {
  int64_t n = 1;
  for (int k = 0; k < f->slots[s].type.rank; k++) n *= sj_api_dims(f, s)[k]; /* checked in phase 1 */
  return n;
}

void sj_api_random_shape(sj_function *f, const step *s) {
  const sj_type *t = &f->slots[s->out].type;
  int64_t *d = sj_api_dims(f, s->out);
  if (s->op->code == SJ_OP_RANDOM_SKIP) {
    d[0] = 2;
  } else if (s->op->code == SJ_OP_RANDOM_CATEGORICAL) {
    memcpy(d, sj_api_dims(f, s->args[1]), (size_t)t->rank * sizeof *d); /* the weights without their last axis */
  } else if (s->nargs > 1) {
    memcpy(d, sj_api_dims(f, s->args[1]), (size_t)t->rank * sizeof *d); /* %like: same rank, verified */
  } else {
    memcpy(d, t->dims, (size_t)t->rank * sizeof *d); /* static, verified */
  }
}

static double float_attr(const sj_op *op, const char *name) {
  const sj_attr *a = sj_op_attr(op, name);
  return a && a->kind == SJ_ATTR_FLOAT ? a->u.f : 0;
}

/* "%w f32[3,4]", or "the weights f32[3,4]" for a slot without a user name */
static void describe_weights(sj_function *f, int w, char *buf, size_t cap) {
  char sh[160];
  sj_api_shape_str(f, w, sh, sizeof sh);
  const char *name = strncmp(f->slots[w].name, "%<", 2) ? f->slots[w].name : "the weights";
  snprintf(buf, cap, "%s %s", name, sh);
}

static sj_status run_categorical(sj_function *f, const step *s, uint64_t key, uint64_t ctr) {
  int w = s->args[1];
  const sj_type *wt = &f->slots[w].type;
  int64_t k = sj_api_dims(f, w)[wt->rank - 1], rows = slot_numel(f, s->out);
  char what[256];
  if (rows == 0) return SJ_OK;
  describe_weights(f, w, what, sizeof what);
  if (k == 0) return sj_api_fail(f->ctx, s->op, "random_categorical of %s: no categories (last dim 0)", what);
  int64_t bad = sj_rt_random_categorical(f->pool, wt->dt, f->data[w], rows, k, sj_op_bool(s->op, "logits", false),
                                         f->slots[s->out].type.dt, f->data[s->out], key, ctr);
  if (bad < 0) return SJ_OK;
  return sj_api_fail(f->ctx, s->op,
                     "random_categorical of %s: row %lld has no category to draw (a negative, NaN or infinite "
                     "weight, or all zero)",
                     what, (long long)bad);
}

sj_status sj_api_random_run(sj_function *f, const step *s) {
  const int64_t *state = f->data[s->args[0]];
  uint64_t key = (uint64_t)state[0], ctr = (uint64_t)state[1];
  const sj_op *op = s->op;
  void *out = f->data[s->out];
  switch (op->code) {
  case SJ_OP_RANDOM_SKIP: {
    int64_t n = s->nargs > 1 ? slot_numel(f, s->args[1]) : 1;
    int64_t *o = out;
    o[0] = (int64_t)key;
    o[1] = (int64_t)(ctr + (uint64_t)sj_op_int(op, "count", 1) * (uint64_t)n); /* wraps modulo 2^64 */
    return SJ_OK;
  }
  case SJ_OP_RANDOM_CATEGORICAL: return run_categorical(f, s, key, ctr);
  default: break;
  }
  sj_rt_random_desc d = {.dt = f->slots[s->out].type.dt, .out = out, .n = slot_numel(f, s->out), .key = key,
                         .counter = ctr};
  if (op->code == SJ_OP_RANDOM_UNIFORM) d.dist = SJ_RT_UNIFORM, d.a = float_attr(op, "lo"), d.b = float_attr(op, "hi");
  else if (op->code == SJ_OP_RANDOM_NORMAL) d.dist = SJ_RT_NORMAL, d.a = float_attr(op, "mean"), d.b = float_attr(op, "std");
  else d.dist = SJ_RT_BERNOULLI, d.a = float_attr(op, "p");
  sj_rt_random_fill(f->pool, &d);
  return SJ_OK;
}
