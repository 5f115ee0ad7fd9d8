/* Reference evaluator: runs a tensor-level func (before lowering) in double
 * precision, one op at a time. It is the oracle for execution tests, never a
 * fast path. */
#ifndef SJ_REF_EVAL_H
#define SJ_REF_EVAL_H
#include "ir.h"
#include "symjit/tensor.h"

/* Evaluates func `f` on inputs `in` (any dtypes matching the signature).
 * out[i] receives new f64 tensors (bool/int results as 0/1 and integers).
 * Errors (unsupported op, shape mismatch) go to the context. */
sj_status sj_ref_eval(sj_ctx *c, const sj_op *f, sj_tensor *const *in, size_t nin, sj_tensor **out,
                      size_t nout);
#endif
