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
#endif
