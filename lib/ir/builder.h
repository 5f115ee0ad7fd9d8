/* A small IR builder: creates ops at an insertion point (end of a block or
 * before an op), with helpers for constants and loops. Used by lowering
 * passes; never by codegen. */
#ifndef SJ_BUILDER_H
#define SJ_BUILDER_H
#include "ir.h"

typedef struct sj_builder {
  sj_ctx *c;
  sj_block *block; /* append here when `before` is NULL */
  sj_op *before;
  sj_loc loc;
} sj_builder;

static inline sj_builder sj_builder_at_end(sj_ctx *c, sj_block *b, sj_loc loc) {
  sj_builder B = {c, b, NULL, loc};
  return B;
}
static inline sj_builder sj_builder_before(sj_ctx *c, sj_op *op) {
  sj_builder B = {c, op->block, op, op->loc};
  return B;
}

sj_op *sj_build(sj_builder *B, sj_opcode code, unsigned n, sj_value *const *opnds, unsigned nres,
                const sj_type *rtypes);
/* One-result op. */
sj_value *sj_build1(sj_builder *B, sj_opcode code, unsigned n, sj_value *const *opnds, sj_type rt);
sj_value *sj_build_i64(sj_builder *B, int64_t v);
/* Scalar constant of dtype dt (int attr for int/bool dtypes, float otherwise). */
sj_value *sj_build_scalar(sj_builder *B, sj_dtype dt, double v);
sj_value *sj_build_dim(sj_builder *B, sj_value *buf, int axis);
/* for/parallel_for over [lo, hi) carrying `ninit` values; returns the op.
 * Its body has the induction variable then the carried values as args and
 * no terminator yet. */
sj_op *sj_build_loop(sj_builder *B, bool parallel, sj_value *lo, sj_value *hi, unsigned ninit,
                     sj_value *const *inits);
/* Builder appending to a loop's (or any op's) first region. */
sj_builder sj_builder_in(sj_builder *B, sj_op *op);
#endif
