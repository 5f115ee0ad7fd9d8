/* The op registry: one row per op in ops.def, looked up by opcode or name.
 * This table holds the lib/ir columns of each row (arity, attributes,
 * flags, type inference, verifier, scalar evaluation, reduction combine and
 * identity); codegen and grad build their own tables from the same rows.
 * Passes ask flags (sj_op_has) instead of listing opcodes. */
#ifndef SJ_OPINFO_H
#define SJ_OPINFO_H

#include "ir.h"

enum {
  SJ_F_PURE = 1u << 0,       /* no side effects: removable when unused */
  SJ_F_ELEMWISE = 1u << 1,   /* per-element with numpy broadcasting */
  SJ_F_REDUCE = 1u << 2,     /* reduction over `axes` (derived: the row names a COMBINE) */
  SJ_F_TERMINATOR = 1u << 3, /* must end its block */
  SJ_F_COMMUTATIVE = 1u << 4,
  SJ_F_EXPENSIVE = 1u << 5,  /* never duplicated by fusion */
  SJ_F_SCALAR = 1u << 6,     /* allowed on scalars inside kernel/fused bodies */
  SJ_F_TENSOR = 1u << 7,     /* allowed on tensors */
  SJ_F_SYMBOL = 1u << 8,     /* func/kernel: defines a symbol at module level */
  SJ_F_LOOP = 1u << 9,       /* for / parallel_for */
  SJ_F_BROADCAST = 1u << 10, /* broadcast_to: an index map, free to fuse */
  SJ_F_CONSTANT = 1u << 11,
  SJ_F_ISOLATED = 1u << 12,   /* its body sees no value from outside (MLIR's IsolatedFromAbove) */
  SJ_F_READS = 1u << 13,      /* reads buffer contents (not just shapes) */
  SJ_F_WRITES = 1u << 14,     /* writes buffer contents */
  SJ_F_ALLOCATES = 1u << 15,  /* each execution makes a distinct buffer: never merged */
  SJ_F_MEAN = 1u << 16,       /* a reduction that divides by the element count */
  SJ_F_NO_VJP = 1u << 17,     /* not differentiable (derived: the row's VJP is NONE) */
  SJ_F_COND_FIRST = 1u << 18, /* operand 0 is a bool condition; computes in operand 1's dtype */
  /* graph API only (gradient controls): identity in the forward pass, never
   * in a func (the verifier rejects it there; sj_compile drops it). A high
   * bit so that flags other rows add meanwhile do not collide. */
  SJ_F_GRAPH_ONLY = 1u << 26,
};

/* What a row's IDENTITY column names: a reduction's start value. */
typedef enum sj_identity {
  SJ_IDENTITY_NONE,
  SJ_IDENTITY_ZERO,
  SJ_IDENTITY_ONE,
  SJ_IDENTITY_LOWEST,  /* -inf for floats, the dtype's minimum for integers */
  SJ_IDENTITY_HIGHEST, /* +inf for floats, the dtype's maximum for integers */
} sj_identity;

/* A row's COMBINE column when it is NONE (not a reduction). */
#define SJ_OP_NONE SJ_OP_COUNT

/* 1 when an ops.def column token is NONE, else 0, as a constant expression,
 * for columns whose handlers this layer cannot see. Paste inside the
 * includer's SJ_OP body, SJ_COLUMN_IS_NONE(SJ_COLUMN_PROBE_##VJP): the
 * pasting keeps NONE from expanding even where NONE is a macro. */
#define SJ_COLUMN_IS_NONE(probe) SJ_COLUMN_PICK_(probe, 1, 0, ~)
#define SJ_COLUMN_PROBE_NONE ~, ~
#define SJ_COLUMN_PICK_(...) SJ_COLUMN_ARG3_(__VA_ARGS__)
#define SJ_COLUMN_ARG3_(a, b, c, ...) c

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
  int nregions;             /* -1: zero or one (scan) */
  unsigned flags;
  const char *attrs; /* "name:kind" words; kind in int float bool ints str dtype dense sym num; trailing ? = optional */
  sj_infer_fn infer;
  sj_verify_fn verify;
  sj_eval_fn eval;
  sj_opcode combine;   /* reductions: the combine op; SJ_OP_NONE otherwise */
  sj_identity identity; /* reductions: the combine's identity */
} sj_opinfo;

const sj_opinfo *sj_opinfo_get(sj_opcode code);
/* Looks an op up by name; returns false if unknown. */
bool sj_opcode_lookup(const char *name, size_t n, sj_opcode *out);
/* add, mul, maximum, minimum: the ops some reduction row names as its
 * combine (associative and commutative). */
bool sj_is_combine(sj_opcode code);
/* The identity of combine `code` in dtype dt, exactly, as a constant's
 * `value` attribute: an int attribute for integer and bool dtypes (the i64
 * bounds are not doubles), a float one otherwise (-inf/+inf for max/min).
 * combine(identity, x) == x for every x of dt. Not a combine: int 0. */
sj_attr sj_combine_identity(sj_opcode code, sj_dtype dt);

/* Everything a pass needs to know about a reduction op, decoded once from
 * its row and attributes (lowering, constant folding, the reference
 * evaluator, parallel reductions and grad all read this). */
typedef struct sj_reduce_info {
  sj_opcode combine;  /* acc = combine(acc, x): add, mul, maximum, minimum */
  bool mean;          /* divide by the number of reduced elements at the end */
  bool keepdims;
  int rank;           /* of the operand */
  unsigned mask;      /* bit k: operand axis k is reduced */
  sj_dtype dt;        /* operand and result dtype */
  sj_dtype acc_dt;    /* dtype the reduction accumulates in: f32 for f16/bf16 sums, products and means */
  sj_attr identity;   /* the combine's identity in acc_dt */
} sj_reduce_info;

/* Decodes a verified reduction op; false when `op` is not a reduction (or
 * its axes are invalid: the verifier reports those). */
bool sj_reduce_info_get(const sj_op *op, sj_reduce_info *out);
/* The dtype sums and products of dt accumulate in: f32 for f16/bf16 (one
 * rounding at the end instead of one per element), dt otherwise. */
sj_dtype sj_accumulate_dtype(sj_dtype dt);
/* The dtype an elementwise op computes in: its first value operand's
 * (operand 1 of a COND_FIRST op such as select). */
sj_dtype sj_op_compute_dtype(const sj_op *op);
/* Whether op's row has any of the SJ_F_* bits in `flag`. */
static inline bool sj_op_has(const sj_op *op, unsigned flag) {
  return (sj_opinfo_get(op->code)->flags & flag) != 0;
}
static inline const char *sj_op_name(const sj_op *op) { return sj_opinfo_get(op->code)->name; }

/* Checks attribute presence and kinds against the row's spec. */
sj_status sj_verify_attrs(sj_ctx *c, const sj_op *op);

#endif
