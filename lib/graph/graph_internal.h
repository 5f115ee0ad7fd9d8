/* Internals of the graph front end shared by graph.c, grad.c and
 * compile.c. A graph is a detached block of IR ops in creation order (hence
 * topological); a variable wraps one IR value. */
#ifndef SJ_GRAPH_INTERNAL_H
#define SJ_GRAPH_INTERNAL_H
#include "ir.h"
#include "opinfo.h"
#include "symjit/graph.h"

typedef enum { VAR_INPUT, VAR_SHARED, VAR_NODE, VAR_POISON } var_kind;

struct sj_var {
  sj_ctx *c;
  sj_value *v;
  var_kind kind;
  const char *name; /* interned, or NULL */
  sj_tensor *value; /* VAR_SHARED: current value (owned by the graph) */
  bool weak;        /* a literal (sj_scalar) or built from literals only: adopts
                       the other operand's dtype in elementwise ops (weak.c) */
  sj_var *default_update; /* VAR_SHARED: applied by sj_compile when the
                             function reads it and gives no update (random.c) */
};

typedef struct sj_graph {
  sj_ctx *c;
  sj_block *block;   /* the ops, in creation order */
  sj_var *poison;    /* &poison_var */
  sj_var poison_var;
  bool failed;       /* sticky until sj_ctx_clear_errors */
  sj_status status;  /* why it failed: SJ_ERR_VERIFY or SJ_ERR_NOMEM */
  sj_var **leaves;   /* inputs and shared variables, in creation order */
  size_t nleaves, capleaves;
  unsigned nfuncs;   /* compiled functions so far (for names) */
  struct sj_graph_label *labels; /* user-facing names of composites (labels.c) */
  struct sj_graph_body *body;    /* the innermost open scan body, or NULL (scan.c) */
} sj_graph;

/* The context's graph state, made on first use. When even that cannot be
 * allocated: a static failed graph (status SJ_ERR_NOMEM) whose poison
 * variable has no context. */
sj_graph *sj_graph_of(sj_ctx *c);
/* Runs fn(ud) in a protected call (see ir.h) and returns *res, or the
 * poison variable when the graph has failed or fn fails; out of memory
 * makes the graph fail with SJ_ERR_NOMEM. Every graph builder that
 * allocates runs through it. */
sj_var *sj_graph_guard(sj_ctx *c, sj_protected_fn fn, void *ud, sj_var *const *res);
/* sj_grad_at's body (grad.c); sj_grad_at (graph.c) runs it protected. */
sj_status sj_graph_grad(sj_var *cost, sj_var *const *wrt, size_t n, const sj_grad_options *o, sj_var **out,
                        const char *file, int line);
/* The variable for an IR value of the graph (leaves keep their identity). */
sj_var *sj_graph_var(sj_ctx *c, sj_value *v);
/* Records a build error at file:line (first error wins). */
void sj_graph_fail(sj_ctx *c, const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Builds a one-result op; attrs are set by `set` (may be NULL) before
 * verification. `declared` gives the result type for ops without inference
 * (reshape, cast, broadcast_to, constant). Returns poison on any error. */
typedef void (*sj_attr_setter)(sj_ctx *c, sj_op *op, const void *arg);
sj_var *sj_graph_op(sj_opcode code, unsigned n, sj_var *const *args, const sj_type *declared, sj_attr_setter set,
                    const void *arg, const char *file, int line);
sj_var *sj_graph_const(sj_ctx *c, double v, sj_type t, const char *file, int line);
/* g broadcast to the shape of x (works for dynamic dims). */
sj_var *sj_graph_broadcast_like(sj_var *g, sj_var *x, const char *file, int line);
/* The value v stands for under givens (v itself when not given). */
sj_value *sj_graph_eff(const sj_given *givens, size_t ngiv, sj_value *v);
/* The graph ops the roots need, through givens, each after its operands. */
void sj_graph_collect(sj_graph *g, const sj_given *givens, size_t ngiv, sj_value *const *roots, size_t n,
                      sj_op_vec *order);
/* Appends @name(params) -> (roots) to m, holding clones of `order`'s ops
 * (graph-only ops dropped); the func and its return carry loc. */
sj_op *sj_graph_build_func(sj_module *m, const char *name, sj_var *const *params, size_t nparams,
                           const sj_op_vec *order, const sj_given *givens, size_t ngiv, sj_value *const *roots,
                           size_t nroots, sj_loc loc);
/* Build-time stabilization (classifier.c), so that sj_grad sees the stable
 * ops: the replacement of log(x) when x is a softmax or a gather of one
 * (log_softmax), of take_along_axis(x, idx, axis) when x is a log_softmax
 * along axis and idx one label per row (-softmax_xent); NULL if none. */
sj_var *sj_graph_stable_log(sj_var *x, const char *file, int line);
sj_var *sj_graph_stable_take_along(sj_var *x, sj_var *idx, int axis, const char *file, int line);
/* iota: the dense constant 0..n-1 of dtype dt, shape [n] (n > 0). */
sj_var *sj_graph_iota(sj_ctx *c, int64_t n, sj_dtype dt, const char *file, int line);
/* The gradient of softmax_xent(x, labels, axis) given g (the labels'
 * shape): g * (softmax(x) - onehot(labels)) along axis, as one elementwise
 * select against the class indices (no one-hot matrix, no scatter); NaN
 * rows where a label is outside [0, n) (classifier.c). */
sj_var *sj_graph_softmax_xent_grad(sj_var *x, sj_var *labels, sj_var *g, int axis, const char *file, int line);
/* The op a user called, for a value that a composite builder (argmax,
 * softmax, concatenate, ...) made from other ops: messages name it instead
 * of the internal op (labels.c). Set returns v (poison when out of
 * memory); `what` is a static string. */
sj_var *sj_graph_set_label(sj_var *v, const char *what);
const char *sj_graph_label(sj_ctx *c, const sj_value *v); /* NULL if none */
/* Weak literals (weak.c): the operands of an elementwise op with the weak
 * ones converted to the dtype of the others (JAX's weak types); returns
 * false (error recorded) when the mix has no rule. */
bool sj_graph_adopt_weak(sj_opcode code, unsigned n, sj_var *const *args, sj_var **out, const char *file, int line);
/* "'name' f32[2,3]", "(result of 'argmax') i32[2]" or the type alone. */
const char *sj_graph_describe(const sj_var *v, char *buf, size_t cap);
/* A dense constant of static type t holding v[0..numel) (join.c). */
sj_var *sj_graph_dense(sj_ctx *c, sj_type t, const double *v, const char *file, int line);
/* sj_compile's checks and graph-to-func conversion without the pipeline:
 * *out is a new module of c holding @graph_fnN as sj_compile would compile
 * it (for tests and printing the graph as IR). */
sj_status sj_graph_module(sj_ctx *c, sj_var *const *inputs, size_t nin, sj_var *const *outputs, size_t nout,
                          const sj_compile_options *o, sj_module **out, const char *file, int line);
/* ---- scan bodies (scan.c; docs/decisions/0016-scan-graph-api.md) ----
 *
 * A scan's body is built with the ordinary builders (sj_add_at,
 * sj_graph_op, ...), which keep appending to the graph's block: between
 * sj_graph_body_begin and sj_graph_scan_end the body's arguments are
 * placeholder variables (sj_graph_body_arg). At the end, the ops built
 * since the begin that depend on a placeholder or a bound value
 * (sj_graph_body_bind), directly or through each other, move into the scan
 * op's body region in creation order; the ops built meanwhile that depend
 * on none stay in the graph, computed once before the loop (hoisted). The
 * values the moved ops (and the yields) read from outside the body (graph
 * nodes, inputs, shared variables, hoisted ops) become extra non-sequence
 * operands of the scan, after the explicit ones (the op is isolated from
 * above); scalar and dense constants are cloned into the body instead, so
 * the body's rewrites see them.
 *
 * Bodies nest like a stack: the innermost open body ends (or is abandoned)
 * first. An inner scan op is an ordinary graph op of the outer body (moved
 * in when it depends on an outer placeholder). Variables made inside a body
 * that ended are not visible outside it: sj_graph_op refuses them (use
 * sj_graph_inline_body to recompute a finished body's values elsewhere).
 * A gradient rule may build a scan during sj_grad's sweep: ending a body
 * touches op->scratch only of the ops built since its begin. */
typedef struct sj_graph_body {
  sj_ctx *c;
  sj_block *block;            /* detached until the scan op adopts it; its args are the placeholders */
  sj_op *mark;                /* the graph's last op when the body began (NULL: the graph was empty) */
  struct sj_graph_body *outer; /* the body that was open when this one began, or NULL */
  sj_value **bind_from, **bind_to; /* outer values standing for placeholders inside this body */
  unsigned nbind, capbind;
} sj_graph_body;

/* Opens body b (caller-owned, e.g. on the stack; it must stay alive until
 * it ends) on top of the graph's stack of open bodies. Returns false when
 * the graph has failed (its error is recorded); nothing is open then. */
bool sj_graph_body_begin(sj_ctx *c, sj_graph_body *b);
/* Appends an argument of type t (a tensor type) to b's block and returns
 * it as a placeholder variable (name: for messages and printed IR, may be
 * NULL). The arguments must be made in the scan's order: one row of each
 * sequence, the states' previous values, then the explicit non-sequences
 * (sj_graph_scan_spec); the captured ones are added by sj_graph_scan_end.
 * Poison when the graph has failed or out of memory. */
sj_var *sj_graph_body_arg(sj_graph_body *b, sj_type t, const char *name);
/* Inside body b, the outer variable `outer` (a leaf or a graph node) reads
 * as the placeholder `arg` (one of b's arguments): ops built since the
 * begin that read outer depend on arg, and read arg once moved into the
 * body. Used for a shared variable that the step updates (it becomes a
 * state: each step reads the previous step's value). Types must be equal. */
void sj_graph_body_bind(sj_graph_body *b, sj_var *outer, sj_var *arg);

/* The scan op sj_graph_scan_end makes: operands [n] seqs inits nonseqs
 * captured..., attributes from the counts and flags (0014). */
typedef struct sj_graph_scan_spec {
  sj_var *n;                            /* the step count (i32/i64 rank 0), or NULL */
  sj_var *const *seqs;                  /* outer sequences (rank >= 1) */
  unsigned nseq;
  sj_var *const *inits;                 /* outer initial values of the states */
  unsigned nstate;
  sj_var *const *nonseqs;               /* explicit outer non-sequences: the body args after the states */
  unsigned nnon;
  sj_var *const *yields;                /* new states, outputs, then the condition when `until` */
  unsigned nyield;                      /* (placeholders, body values or outer values) */
  bool until, reverse;
  const bool *last;                     /* per result (nyield - until): keep only the final value; may be NULL */
  sj_var *const *prefer;                /* outer values captured first, in this order, when the body */
  unsigned nprefer;                     /* reads them (sj_scan: the user's non-sequences) */
} sj_graph_scan_spec;

/* Ends b (which must be the innermost open body) and appends the scan op
 * to the graph: moves the dependent ops into b's block, captures outer
 * values as extra non-sequences, verifies the op (layout, argument and
 * yield types: a message naming the state at file:line) and fills
 * results[0 .. nyield - until) with its results (nstate states of
 * [steps+1, ...], then outputs of [steps, ...], or the final values for
 * `last`). On any error, or when the graph failed while b was open, the ops
 * that depend on b's placeholders are abandoned (taken out of the graph,
 * never compiled), results are poison and the graph's status is returned.
 * b is closed in every case. */
sj_status sj_graph_scan_end(sj_graph_body *b, const sj_graph_scan_spec *s, sj_var **results, const char *file,
                            int line);
/* Closes b without making a scan op: the ops that depend on its
 * placeholders are abandoned as above. */
void sj_graph_body_abandon(sj_graph_body *b);
/* The gradient options of a scan op (sj_scan_options' truncate_gradient and
 * checkpoint, normalized: 0 = full BPTT / save every state; 0 and 0 when
 * none were given). They are the op's discardable attributes grad.truncate
 * and grad.checkpoint (scan_grad.h): sj_scan sets them, and a loop the
 * gradient rebuilds carries its original's. */
void sj_graph_scan_grad_options(const sj_op *scan, int *truncate_gradient, int *checkpoint);
/* True if v may be an operand of an op built now: a value of the graph's
 * block (not one inside a finished body) or a placeholder of an open body. */
bool sj_graph_visible(sj_ctx *c, const sj_value *v);
/* The scan op that made v (a result of sj_graph_scan_end or sj_scan), or
 * NULL. Its body is op->regions[0]: arguments and yield as in 0014. */
sj_op *sj_graph_scan_of(const sj_var *v);
/* Recomputes one step of a finished scan in the graph (inside the open
 * body, if any): clones the ops of scan's body with its arguments replaced
 * by args[0 .. nargs of the body) (variables of the right types) and sets
 * yields[i] to the variable of the i-th yielded value (all of them, the
 * condition included). When map is not NULL, it also receives every body
 * value -> its clone (for gradient rules that need intermediate values;
 * sj_graph_var gives their variables). Returns the graph's status. */
sj_status sj_graph_inline_body(sj_ctx *c, const sj_op *scan, sj_var *const *args, sj_var **yields,
                               sj_value_map *map, const char *file, int line);
#endif
