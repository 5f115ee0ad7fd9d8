/* The IR core: types, SSA values with use-lists, ops with attributes and
 * single-block regions, and the context that owns all of it (one arena).
 *
 * One IR carries every level: tensor ops in `func`s, `fused` ops with scalar
 * bodies, and `kernel`s with loops, loads and stores. A module is a block whose
 * ops are `func` and `kernel` ops. Nothing here rewrites or prints; see
 * rewrite.h, print.c, parse.c, verify.c. */
#ifndef SJ_IR_H
#define SJ_IR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "symjit/status.h"

#define SJ_MAX_RANK 8
#define SJ_DYN (-1) /* a dynamic (`?`) dimension */

typedef struct sj_ctx sj_ctx;
typedef struct sj_op sj_op;
typedef struct sj_block sj_block;
typedef struct sj_value sj_value;
typedef struct sj_use sj_use;

/* ---- locations and diagnostics ---------------------------------------- */

typedef struct sj_loc {
  const char *file; /* interned; NULL for ops made by passes */
  int line, col;
} sj_loc;

typedef enum sj_severity { SJ_SEV_ERROR, SJ_SEV_WARNING, SJ_SEV_NOTE } sj_severity;

/* Records `file:line:col: error: msg` in the context's diagnostic log.
 * Returns SJ_ERR_VERIFY for convenience. Thread-safe (the log has a lock).
 * The log is bounded: the first SJ_DIAG_MAX_BYTES bytes of messages are
 * kept, later ones are counted in a final "note: N more diagnostics
 * dropped" line. A note belongs to the error before it. */
sj_status sj_emit_error(sj_ctx *c, sj_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
sj_status sj_emit_verror(sj_ctx *c, sj_loc loc, const char *fmt, va_list ap);
/* Any severity: `file:line: warning: ` / `note: `. Only errors count in
 * sj_ctx_num_errors. */
void sj_emit_diag(sj_ctx *c, sj_severity sev, sj_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void sj_emit_vdiag(sj_ctx *c, sj_severity sev, sj_loc loc, const char *fmt, va_list ap);
#define SJ_DIAG_MAX_BYTES (16 * 1024)
/* Diagnostics recorded so far, one per line; borrowed, valid until the
 * next diagnostic or sj_ctx_clear_diags (so not while another thread may
 * record one: use sj_ctx_diags_copy then). Empty string when there are none. */
const char *sj_ctx_diags(const sj_ctx *c);
/* Copies the log into buf (cap bytes, NUL-terminated, truncated); returns
 * the log's full length. Thread-safe. */
size_t sj_ctx_diags_copy(const sj_ctx *c, char *buf, size_t cap);
int sj_ctx_num_errors(const sj_ctx *c);
void sj_ctx_clear_diags(sj_ctx *c);

/* ---- context, allocation and arena --------------------------------------
 *
 * Every byte the library allocates for a context goes through the context's
 * allocator (sj_ctx_options.alloc, Lua's lua_Alloc), serialized by the
 * context's lock so the hook itself need not be thread-safe. Three kinds:
 *  - arena memory (sj_arena_alloc): the IR, interned strings; lives until
 *    sj_ctx_free;
 *  - scratch memory (sj_scratch_*): temporaries of passes and builders,
 *    freed explicitly; a block carries a header naming its context;
 *  - owned heap memory (sj_ctx_realloc): long-lived tables the context or
 *    the graph layer frees themselves (checked by the caller: NULL on failure).
 *
 * Out of memory (Lua's model: errors unwind to the API boundary): arena and
 * scratch allocations never return NULL inside a protected call. A public
 * entry point runs its work through sj_ctx_protect; a failed allocation
 * records "out of memory" in the context, frees the scratch blocks allocated
 * since that entry point, and longjmps back to it, which returns
 * SJ_ERR_NOMEM. Arena memory stays with the context (no leak), so an unwind
 * can abandon half-built IR: entry points work on copies (the compile
 * pipeline) or discard what they were building (the parser, graph ops).
 * Frames are per thread. Outside any frame (or inside sj_ctx_unprotected)
 * a failed arena or scratch allocation returns NULL instead. */

sj_ctx *sj_ctx_new(void);
void sj_ctx_free(sj_ctx *c); /* frees every op, value and string; NULL ok */
/* The raw hook: like realloc (nsize 0 frees, returns NULL); osize is the
 * block's size (0 for a new block). NULL on failure, nothing recorded. */
void *sj_ctx_realloc(sj_ctx *c, void *p, size_t osize, size_t nsize);
/* Zeroed arena memory, alive until sj_ctx_free (see above for failure). */
void *sj_arena_alloc(sj_ctx *c, size_t n);
/* Zeroed scratch memory of n*size bytes (overflow is out of memory), from
 * the context of the innermost protected call (the default allocator
 * outside one). */
void *sj_scratch_calloc(size_t n, size_t size);
/* Resizes a scratch block (p NULL: a new one) to n*size bytes; new bytes are
 * not zeroed. */
void *sj_scratch_realloc(void *p, size_t n, size_t size);
void sj_scratch_free(void *p); /* NULL ok */
/* Runs fn(ud) in a protected call for c: returns its status, or
 * SJ_ERR_NOMEM (message recorded) when an allocation failed inside. Nests. */
typedef sj_status (*sj_protected_fn)(void *ud);
sj_status sj_ctx_protect(sj_ctx *c, sj_protected_fn fn, void *ud);
/* Runs fn(ud) outside any protected call: allocation failures return NULL
 * (for code that holds resources an unwind would leak, such as codegen). */
sj_status sj_ctx_unprotected(sj_protected_fn fn, void *ud);
/* Records "out of memory (allocating n bytes)" (in c, or in the protected
 * call's context when c is NULL) and unwinds to the innermost protected
 * call; returns only outside one (the caller then fails normally). For
 * checked allocation failures inside protected code. */
void sj_ctx_throw_nomem(sj_ctx *c, size_t n);
/* True while the calling thread is inside a protected call. */
bool sj_ctx_protected(void);
const char *sj_intern(sj_ctx *c, const char *s);
const char *sj_intern_n(sj_ctx *c, const char *s, size_t n);
bool sj_ctx_fast_math(const sj_ctx *c);
/* State of the graph front end (lib/graph), owned by the context: `free_fn`
 * runs in sj_ctx_free, `clear_fn` (may be NULL) in sj_ctx_clear_errors.
 * NULL until the first graph call. */
void *sj_ctx_graph(const sj_ctx *c);
void sj_ctx_set_graph(sj_ctx *c, void *g, void (*free_fn)(void *), void (*clear_fn)(void *));
void sj_ctx_set_fast_math(sj_ctx *c, bool on);

/* ---- types ---------------------------------------------------------------- */

/* A value's type: a scalar (register value inside kernel bodies) or a tensor
 * of static/dynamic dims (rank 0 allowed: `f32[]`). */
typedef struct sj_type {
  sj_dtype dt;
  bool is_tensor;
  int rank;
  int64_t dims[SJ_MAX_RANK];
} sj_type;

sj_type sj_scalar_type(sj_dtype dt);
sj_type sj_tensor_type(sj_dtype dt, int rank, const int64_t *dims);
bool sj_type_eq(const sj_type *a, const sj_type *b);
bool sj_dtype_is_float(sj_dtype dt);
/* The lowest and highest values of an integer (or bool: 0, 1) dtype. */
int64_t sj_dtype_int_min(sj_dtype dt);
int64_t sj_dtype_int_max(sj_dtype dt);
bool sj_dtype_is_int(sj_dtype dt); /* i8 i32 i64 (not bool) */
const char *sj_dtype_name(sj_dtype dt);
bool sj_dtype_parse(const char *s, size_t n, sj_dtype *out);
/* Writes the type as text (`f32[?,10]`, `f32[]`, `f32`) into buf; returns buf. */
char *sj_type_str(const sj_type *t, char *buf, size_t cap);
#define SJ_TYPE_STR_CAP 128
/* numpy broadcasting of two shapes; false if incompatible. `?` against `?`
 * is assumed equal (checked at run time); `?` against 1 gives `?`. */
bool sj_broadcast_shapes(const sj_type *a, const sj_type *b, sj_type *out);
/* True if `from` can be broadcast to exactly the dims of `to`. */
bool sj_broadcastable_to(const sj_type *from, const sj_type *to);
/* -1 if any dim is dynamic or the count overflows int64 (a verified type
 * never does: see sj_type_fits). */
int64_t sj_type_numel(const sj_type *t);
/* True if a tensor of type t can exist, `?` dims counting as 1: the product
 * of its non-zero dims times the element size is at most 2^63 - 65 bytes
 * (lib/support/checked.h, the runtime's rule). Scalars always fit. The
 * verifier requires it of every result and block argument. */
bool sj_type_fits(const sj_type *t);
/* Row-major index, into an operand with dims in[in_rank], of element `lin` of
 * its numpy broadcast to dims out[out_rank] (all dims concrete). */
int64_t sj_broadcast_index(const int64_t *out, int out_rank, const int64_t *in, int in_rank, int64_t lin);

/* ---- attributes ------------------------------------------------------------ */

typedef enum sj_attr_kind {
  SJ_ATTR_INT,
  SJ_ATTR_FLOAT,
  SJ_ATTR_BOOL,
  SJ_ATTR_INTS,  /* [1, 2] */
  SJ_ATTR_STR,   /* "text" */
  SJ_ATTR_DTYPE, /* f32 */
  SJ_ATTR_DENSE, /* dense<[1.0, 2.0]> */
  SJ_ATTR_SYM    /* @name */
} sj_attr_kind;

typedef struct sj_attr {
  const char *name; /* interned */
  sj_attr_kind kind;
  union {
    int64_t i;
    double f;
    bool b;
    const char *s; /* STR and SYM, interned */
    sj_dtype dt;
    struct {
      int n;
      int64_t *v;
    } ints;
    struct {
      int n;
      bool is_int; /* print elements as integers */
      double *v;
    } dense;
  } u;
} sj_attr;

bool sj_attr_eq(const sj_attr *a, const sj_attr *b);

/* ---- values and uses -------------------------------------------------------- */

struct sj_use {
  sj_value *value; /* the used value; NULL when the slot is unset */
  sj_op *user;
  unsigned index; /* operand position in user */
  sj_use *next, **prevp; /* intrusive list in value->uses */
};

struct sj_value {
  sj_type type;
  sj_op *def;         /* defining op, or NULL for a block argument */
  sj_block *owner;    /* block of a block argument */
  unsigned index;     /* result or argument position */
  sj_use *uses;       /* head of the use list */
  const char *name;   /* name hint from the text (without %), or NULL */
};

static inline bool sj_value_has_uses(const sj_value *v) { return v->uses != NULL; }
unsigned sj_value_num_uses(const sj_value *v);
/* Points every use of `from` at `to`. O(uses). */
void sj_value_replace_all_uses(sj_value *from, sj_value *to);

/* ---- ops, blocks ---------------------------------------------------------- */

typedef enum sj_opcode {
#define SJ_OP(ID, NAME, ...) SJ_OP_##ID,
#include "ops.def"
#undef SJ_OP
  SJ_OP_COUNT
} sj_opcode;

struct sj_block {
  sj_op *parent;       /* op owning this region; NULL for the module */
  sj_value **args;
  unsigned nargs;
  sj_op *first, *last; /* ops in order */
};

struct sj_op {
  sj_opcode code;
  unsigned nopnds, nresults, nattrs, nregions;
  sj_use *opnds;
  sj_value **results;
  sj_attr *attrs;      /* sorted by name */
  sj_block **regions;
  sj_block *block;     /* enclosing block, NULL when detached */
  sj_op *prev, *next;
  sj_loc loc;
  unsigned scratch; /* free for a pass's temporary numbering; never printed */
};

static inline sj_value *sj_opnd(const sj_op *op, unsigned i) { return op->opnds[i].value; }
static inline sj_value *sj_res(const sj_op *op, unsigned i) { return op->results[i]; }

/* Creates a detached op with the given operands and result types.
 * Regions are created empty (no args). */
sj_op *sj_op_new(sj_ctx *c, sj_opcode code, unsigned nopnds, sj_value *const *opnds,
                 unsigned nresults, const sj_type *rtypes, unsigned nregions, sj_loc loc);
void sj_op_set_operand(sj_op *op, unsigned i, sj_value *v);
/* Replaces the operand array (arity may change). */
void sj_op_set_operands(sj_ctx *c, sj_op *op, unsigned n, sj_value *const *vals);
/* Drops operand uses of `op` and everything nested in it, then unlinks it.
 * Its results must be unused. */
void sj_op_erase(sj_op *op);
void sj_op_unlink(sj_op *op);
void sj_op_drop_operands(sj_op *op); /* recursive into regions */
void sj_block_append(sj_block *b, sj_op *op);
void sj_block_insert_before(sj_op *pos, sj_op *op);
void sj_block_insert_after(sj_op *pos, sj_op *op);
sj_block *sj_block_new(sj_ctx *c, sj_op *parent);
sj_value *sj_block_add_arg(sj_ctx *c, sj_block *b, sj_type t);
sj_op *sj_block_terminator(const sj_block *b); /* last op if it is a terminator */
/* True if v is defined (or is an argument) in block `b` or an ancestor of b. */
bool sj_value_visible_in(const sj_value *v, const sj_block *b);
bool sj_op_is_ancestor(const sj_op *anc, const sj_op *op);
/* True if v is defined inside op's regions: a result of a nested op or an
 * argument of a block of op or of a nested op (not op's own results). */
bool sj_value_defined_in(const sj_op *op, const sj_value *v);

/* Attributes (kept sorted by name so printing and hashing are deterministic). */
const sj_attr *sj_op_attr(const sj_op *op, const char *name);
void sj_op_set_attr(sj_ctx *c, sj_op *op, sj_attr a); /* a.name need not be interned */
bool sj_op_remove_attr(sj_op *op, const char *name);
void sj_op_set_int(sj_ctx *c, sj_op *op, const char *name, int64_t v);
void sj_op_set_float(sj_ctx *c, sj_op *op, const char *name, double v);
void sj_op_set_bool(sj_ctx *c, sj_op *op, const char *name, bool v);
void sj_op_set_ints(sj_ctx *c, sj_op *op, const char *name, int n, const int64_t *v);
void sj_op_set_sym(sj_ctx *c, sj_op *op, const char *name, const char *sym);
int64_t sj_op_int(const sj_op *op, const char *name, int64_t dflt);
bool sj_op_bool(const sj_op *op, const char *name, bool dflt);
const char *sj_op_sym(const sj_op *op, const char *name);

/* Deep copy of `op` (regions included). `map` maps old values to new ones:
 * operands found in it are remapped, others kept. The copy's results and block
 * args are added to the map. Returns a detached op. */
typedef struct sj_value_map sj_value_map;
sj_value_map *sj_value_map_new(sj_ctx *c);
void sj_value_map_set(sj_value_map *m, sj_value *from, sj_value *to);
sj_value *sj_value_map_get(const sj_value_map *m, sj_value *from); /* from if absent */
sj_value *sj_value_map_find(const sj_value_map *m, sj_value *from); /* NULL if absent */
sj_op *sj_op_clone(sj_ctx *c, const sj_op *op, sj_value_map *m);

/* ---- module ------------------------------------------------------------------ */

typedef struct sj_module {
  sj_ctx *ctx;
  sj_block *body; /* func and kernel ops */
} sj_module;

sj_module *sj_module_new(sj_ctx *c);
sj_op *sj_module_lookup(const sj_module *m, const char *sym); /* func/kernel by name */
/* Name of a func/kernel op. */
const char *sj_func_name(const sj_op *f);
static inline sj_block *sj_func_body(const sj_op *f) { return f->regions[0]; }

/* Pre-order walk over every op nested in `b`. The callback may not erase ops;
 * collect them first (see sj_collect_ops). */
typedef void (*sj_walk_fn)(sj_op *op, void *ud);
void sj_walk_block(sj_block *b, sj_walk_fn fn, void *ud);

/* A growable array of op pointers. Made inside a protected call, its array
 * is scratch memory (from the context's allocator, freed by an unwind) and
 * a failed push unwinds with SJ_ERR_NOMEM. Made outside one (codegen, the
 * tier-2 thread, tools), it is plain malloc memory (free(v.v) is fine for
 * an owner that takes it over) and a failed push sets `failed` and drops
 * the op, so such callers check `failed`. sj_op_vec_free frees either. */
typedef struct sj_op_vec {
  sj_op **v;
  size_t n, cap;
  bool scratch; /* v is a scratch block */
  bool failed;
} sj_op_vec;
void sj_op_vec_push(sj_op_vec *v, sj_op *op);
void sj_op_vec_free(sj_op_vec *v);
/* Every op nested in `b`, pre-order. */
void sj_collect_ops(sj_block *b, sj_op_vec *out);

#endif
