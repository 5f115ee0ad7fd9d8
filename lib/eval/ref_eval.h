/* Reference evaluator: runs a tensor-level func (before lowering) one op at
 * a time as an exact oracle for execution tests, never a fast path: integers
 * in int64 wrapped to their width, floats in double rounded to their dtype
 * after every op (docs/numerics.md). */
#ifndef SJ_REF_EVAL_H
#define SJ_REF_EVAL_H
#include "ir.h"
#include "symjit/tensor.h"

/* Evaluates func `f` on inputs `in`, which must match the signature (dtype,
 * rank, static dims; an error otherwise). out[i] receives a new tensor of the
 * i-th result's dtype (free with sj_tensor_free); all NULL on error. Errors
 * (input mismatch, shapes that disagree at run time, unsupported op, a value
 * too large to evaluate) go to the context. SJ_ERR_UNSUPPORTED: the
 * evaluator's own limit (an op it does not evaluate, more than 2^28
 * elements in one value), which says nothing about the program. */
sj_status sj_ref_eval(sj_ctx *c, const sj_op *f, sj_tensor *const *in, size_t nin, sj_tensor **out,
                      size_t nout);

/* The coarsest float dtype among the values result i of `f` depends on
 * (itself included), SJ_DTYPE_COUNT if none: an f32 result computed through
 * a bf16 value carries bf16's error, and --check compares it with bf16's
 * tolerance; an int result cast from an f32 value carries f32's. Bool values
 * carry none (a comparison is exact or flipped). */
sj_dtype sj_ref_result_precision(const sj_op *f, size_t i);

/* Whether the evaluator has its own scalar rule for elementwise op `code` on
 * floats (every elementwise row needs one: its REF column is x_elementwise)
 * and on integers (ops that accept ints). cast and select need none. */
bool sj_ref_has_scalar_rule(sj_opcode code, bool on_floats);
#endif
