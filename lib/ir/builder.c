/* IR builder helpers (see builder.h). */
#include "builder.h"
#include "opinfo.h"

sj_op *sj_build(sj_builder *B, sj_opcode code, unsigned n, sj_value *const *opnds, unsigned nres,
                const sj_type *rtypes) {
  int r = sj_opinfo_get(code)->nregions;
  unsigned nreg = r < 0 ? 1u : (unsigned)r; /* scan: built with its region */
  sj_op *op = sj_op_new(B->c, code, n, opnds, nres, rtypes, nreg, B->loc);
  if (B->before) sj_block_insert_before(B->before, op);
  else sj_block_append(B->block, op);
  return op;
}

sj_value *sj_build1(sj_builder *B, sj_opcode code, unsigned n, sj_value *const *opnds, sj_type rt) {
  return sj_res(sj_build(B, code, n, opnds, 1, &rt), 0);
}

sj_value *sj_build_i64(sj_builder *B, int64_t v) {
  sj_op *op = sj_build(B, SJ_OP_CONSTANT, 0, NULL, 1, (sj_type[]){sj_scalar_type(SJ_I64)});
  sj_op_set_int(B->c, op, "value", v);
  return sj_res(op, 0);
}

sj_value *sj_build_scalar(sj_builder *B, sj_dtype dt, double v) {
  sj_op *op = sj_build(B, SJ_OP_CONSTANT, 0, NULL, 1, (sj_type[]){sj_scalar_type(dt)});
  if (sj_dtype_is_float(dt)) sj_op_set_float(B->c, op, "value", v);
  else sj_op_set_int(B->c, op, "value", (int64_t)v);
  return sj_res(op, 0);
}

sj_value *sj_build_dim(sj_builder *B, sj_value *buf, int axis) {
  sj_op *op = sj_build(B, SJ_OP_DIM, 1, &buf, 1, (sj_type[]){sj_scalar_type(SJ_I64)});
  sj_op_set_int(B->c, op, "axis", axis);
  return sj_res(op, 0);
}

sj_op *sj_build_loop(sj_builder *B, bool parallel, sj_value *lo, sj_value *hi, unsigned ninit,
                     sj_value *const *inits) {
  sj_value *ops[2 + 16];
  sj_type rt[16] = {{0}};
  if (ninit > 16) ninit = 16;
  ops[0] = lo, ops[1] = hi;
  for (unsigned i = 0; i < ninit; i++) ops[2 + i] = inits[i], rt[i] = inits[i]->type;
  sj_op *loop = sj_build(B, parallel ? SJ_OP_PARALLEL_FOR : SJ_OP_FOR, 2 + ninit, ops, ninit, rt);
  sj_block *body = loop->regions[0];
  sj_block_add_arg(B->c, body, sj_scalar_type(SJ_I64));
  for (unsigned i = 0; i < ninit; i++) sj_block_add_arg(B->c, body, inits[i]->type);
  return loop;
}

sj_builder sj_builder_in(sj_builder *B, sj_op *op) { return sj_builder_at_end(B->c, op->regions[0], B->loc); }
