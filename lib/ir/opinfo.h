/* The op registry: one row per op in ops.def, looked up by opcode or name.
 * Each row carries what generic code needs (arity, attributes, flags,
 * type inference, verifier, scalar evaluation); no switch over opcodes
 * should exist outside opdefs.c. */
#ifndef SJ_OPINFO_H
#define SJ_OPINFO_H

#include "ir.h"

enum {
  SJ_F_PURE = 1u << 0,       /* no side effects: removable when unused */
  SJ_F_ELEMWISE = 1u << 1,   /* per-element with numpy broadcasting */
  SJ_F_REDUCE = 1u << 2,     /* reduction over `axes` */
  SJ_F_TERMINATOR = 1u << 3, /* must end its block */
  SJ_F_COMMUTATIVE = 1u << 4,
  SJ_F_EXPENSIVE = 1u << 5,  /* never duplicated by fusion */
  SJ_F_SCALAR = 1u << 6,     /* allowed on scalars inside kernel/fused bodies */
  SJ_F_TENSOR = 1u << 7,     /* allowed on tensors */
  SJ_F_SYMBOL = 1u << 8,     /* func/kernel: defines a symbol, isolated */
  SJ_F_LOOP = 1u << 9,       /* for / parallel_for */
  SJ_F_BROADCAST = 1u << 10, /* broadcast_to: an index map, free to fuse */
  SJ_F_CONSTANT = 1u << 11,
};

/* Computes result types from operands and attributes (single-result ops).
 * Reports errors at op->loc and returns non-OK. */
typedef sj_status (*sj_infer_fn)(sj_ctx *c, const sj_op *op, sj_type *out);
/* Op-specific checks beyond arity, attributes and inferred types. */
typedef sj_status (*sj_verify_fn)(sj_ctx *c, const sj_op *op);
/* Scalar semantics used by constant folding: in[arity] -> *out in dtype dt
 * (dt is the operand dtype). Returns false when the value must not be folded
 * (integer division by zero). */
typedef bool (*sj_eval_fn)(sj_dtype dt, const double *in, double *out);

typedef struct sj_opinfo {
  const char *name;
  int min_opnds, max_opnds; /* max -1: variadic */
  int nresults;             /* -1: variadic */
  int nregions;
  unsigned flags;
  const char *attrs; /* "name:kind" words; kind in int float bool ints str dtype dense sym num; trailing ? = optional */
  sj_infer_fn infer;
  sj_verify_fn verify;
  sj_eval_fn eval;
} sj_opinfo;

const sj_opinfo *sj_opinfo_get(sj_opcode code);
/* Looks an op up by name; returns false if unknown. */
bool sj_opcode_lookup(const char *name, size_t n, sj_opcode *out);
/* add, mul, maximum, minimum: the associative ops a reduction combines with. */
bool sj_is_combine(sj_opcode code);
/* The identity of combine `code` for dtype dt (0, 1, the lowest value, the
 * highest value; -inf/+inf for floats), as reductions start from it. */
double sj_combine_identity(sj_opcode code, sj_dtype dt);
static inline bool sj_op_has(const sj_op *op, unsigned flag) {
  return (sj_opinfo_get(op->code)->flags & flag) != 0;
}
static inline const char *sj_op_name(const sj_op *op) { return sj_opinfo_get(op->code)->name; }

/* Checks attribute presence and kinds against the row's spec. */
sj_status sj_verify_attrs(sj_ctx *c, const sj_op *op);

#endif
