/* Shared by the files of the canonicalize pass (canonicalize.c runs the
 * patterns; canon-power.c, canon-mul.c and canon-shape.c hold them, one
 * concern per file). Helpers to recognize splat constants, consult the NaN
 * policy and build replacement ops with the right types. stabilize.c also
 * uses the type predicates (sj_canon_is_float, sj_canon_static). */
#ifndef SJ_CANON_H
#define SJ_CANON_H
#include "opinfo.h"
#include "rewrite.h"

/* The NaN policy (docs/fast-math.md): true when rewrites may remove a NaN,
 * change an infinity or a zero's sign, or round differently. The one place
 * the canonicalize patterns read it; sj_module_compile sets it per compile
 * from sj_compile_options.fast_math, symjit-opt from --fast-math. */
bool sj_canon_fast_math(sj_rewriter *rw);

/* The value of a splat constant (an int or float attribute, not dense). */
bool sj_canon_splat(const sj_value *v, double *out);
/* v is the splat k: exact comparison, so never NaN. */
bool sj_canon_splat_is(const sj_value *v, double k);
/* The exact value of an integer splat constant (ints above 2^53 too). */
bool sj_canon_splat_int(const sj_value *v, int64_t *out);

/* The defining op of v if it has opcode `code`. */
sj_op *sj_canon_def(const sj_value *v, sj_opcode code);
bool sj_canon_is_float(const sj_value *v);
bool sj_canon_static(const sj_type *t);

/* Replaces op's single result by v when the types agree; false (nothing
 * done) otherwise. */
bool sj_canon_forward(sj_rewriter *rw, sj_op *op, sj_value *v);
/* Replaces op's single result by v (of op's result type). */
void sj_canon_replace(sj_rewriter *rw, sj_op *op, sj_value *v);

/* A splat constant of type t (float or int dtype), built before pos. */
sj_value *sj_canon_splat_new(sj_rewriter *rw, sj_op *pos, sj_type t, double v);
/* The type of a scalar constant next to values of type `like`: `dt[]` for
 * tensors, `dt` in kernel and fused bodies. */
sj_type sj_canon_scalar_like(const sj_type *like, sj_dtype dt);
/* op(a) with a's type, built before pos. */
sj_value *sj_canon_unary(sj_rewriter *rw, sj_op *pos, sj_opcode code, sj_value *a);
/* op(a, b) of dtype dt with the numpy broadcast of a's and b's shapes,
 * built before pos; NULL (nothing built) if they do not broadcast. */
sj_value *sj_canon_binary(sj_rewriter *rw, sj_op *pos, sj_opcode code, sj_value *a, sj_value *b, sj_dtype dt);
/* v itself if it has type t, else broadcast_to(v) : t when v broadcasts to
 * t and t is static; NULL (nothing built) otherwise. */
sj_value *sj_canon_fit(sj_rewriter *rw, sj_op *pos, sj_value *v, const sj_type *t);
/* True if sj_canon_fit(v, t) would succeed. */
bool sj_canon_fits(const sj_value *v, const sj_type *t);

/* Patterns, one function each; canonicalize.c indexes them by statistic. */
bool sj_canon_pow_trivial(sj_rewriter *rw, sj_op *op);
bool sj_canon_pow_integer(sj_rewriter *rw, sj_op *op);
bool sj_canon_pow_sqrt(sj_rewriter *rw, sj_op *op);
bool sj_canon_mul_neg_one(sj_rewriter *rw, sj_op *op);
bool sj_canon_neg_factor(sj_rewriter *rw, sj_op *op);
bool sj_canon_div_exact_recip(sj_rewriter *rw, sj_op *op);
bool sj_canon_const_factor(sj_rewriter *rw, sj_op *op);
bool sj_canon_cancel_factor(sj_rewriter *rw, sj_op *op);
bool sj_canon_transpose_broadcast(sj_rewriter *rw, sj_op *op);
bool sj_canon_transpose_unit_dims(sj_rewriter *rw, sj_op *op);
bool sj_canon_reshape_transpose(sj_rewriter *rw, sj_op *op);
bool sj_canon_sink_transpose(sj_rewriter *rw, sj_op *op);
#endif
