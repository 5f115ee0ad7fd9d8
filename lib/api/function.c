/* Compiled functions: runs the pipeline on a private copy of the module, JITs
 * the kernels, and turns the lowered func (dim, constant, alloc, launch, gemm,
 * reshape, return) into a plan of steps over value slots. A call first
 * computes every shape and checks every kernel's index ranges (phase 1), so no
 * kernel runs on inconsistent shapes; then it allocates and runs (phase 2).
 * Intermediate buffers persist across calls and are shared between values
 * whose lifetimes do not overlap. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codegen.h"
#include "opinfo.h"
#include "registry.h"
#include "runtime.h"
#include "symjit/symjit.h"
#include "verify.h"

typedef enum { ST_DIM, ST_ICONST, ST_CONST, ST_ALLOC, ST_LAUNCH, ST_GEMM, ST_RESHAPE } step_kind;

/* A launch precondition on the call's shapes, derived from the kernel. */
typedef enum { CK_EQ_DIM, CK_EQ_CONST, CK_NONEMPTY } check_kind;
typedef struct kcheck {
  check_kind kind;
  unsigned arg, dim;   /* launch argument and its dim */
  unsigned arg2, dim2; /* CK_EQ_DIM: must equal this */
  int64_t c;           /* CK_EQ_CONST */
} kcheck;

typedef struct step {
  step_kind kind;
  const sj_op *op;
  int out;        /* result slot, -1 if none */
  int *args;      /* operand slots */
  unsigned nargs;
  sj_kernel_fn fn;
  size_t kidx; /* launch: index of the kernel in the compiled list */
  kcheck *checks;
  bool trans_a, trans_b; /* gemm: read once from the op's attributes */
  unsigned nchecks;
} step;

typedef struct slot {
  sj_type type;
  char name[48];
  int buf;       /* shared intermediate buffer id, -1 if none */
  int root;      /* slot whose memory this one uses (reshape views) */
  int last_use;  /* last step reading it */
  bool is_output, fresh_out;
  sj_tensor *konst; /* ST_CONST data */
} slot;

struct sj_function {
  sj_ctx *ctx;
  sj_module *mod;
  const sj_op *func;
  sj_jit *jit;
  /* tiering: fast-to-compile code first, optimized code from a background
   * thread, swapped in between calls (tier2_ready: 0 pending, 1 ready, 2 in) */
  sj_op **ks;
  size_t nk;
  int opt_level;
  pthread_t tier2;
  bool tier2_started;
  atomic_int tier2_ready;
  sj_jit *jit2;
  sj_kernel_fn *fns2;
  sj_ctx *tier2_diag;
  sj_pool *pool;
  slot *slots;
  int nslots;
  step *steps;
  int nsteps;
  int *outs;
  size_t nin, nout;
  double compile_ms;
  /* per-call state */
  int64_t *dims; /* SJ_MAX_RANK per slot; scalar i64 slots use dims[0] */
  void **data;
  sj_tensor **fresh;
  sj_tensor **given; /* caller-provided output storage, by slot */
  void **bufmem;
  size_t *bufcap;
  int nbufs;
  /* graph functions: shared-variable state passed implicitly; spare[k] is
   * the tensor update k's variable held before the last call (owned here,
   * reused for the next value: no allocation per call) */
  bool bound;
  size_t nuser_in, nuser_out, nslots_in, nupd;
  sj_tensor ***in_slots, ***upd_slots, **spare, **all_in, **all_out;
};

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static sj_status fail(sj_ctx *c, const sj_op *op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static sj_status fail(sj_ctx *c, const sj_op *op, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sj_loc none = {0};
  sj_emit_verror(c, op ? op->loc : none, fmt, ap);
  va_end(ap);
  return SJ_ERR_INVALID;
}

/* ---- slots: func params first, then each op's results (op->scratch) ---- */

static int slot_of(const sj_value *v) { return v->def ? (int)(v->def->scratch + v->index) : (int)v->index; }

static void name_slot(slot *s, const sj_value *v, int id) {
  if (v->name) snprintf(s->name, sizeof s->name, "%%%s", v->name);
  else snprintf(s->name, sizeof s->name, "%%<%d>", id);
}

/* ---- kernel analysis: what each launch requires of its arguments' shapes ---- */

static bool const_int(const sj_value *v, int64_t *out) {
  const sj_op *d = v->def;
  const sj_attr *a = d && d->code == SJ_OP_CONSTANT ? sj_op_attr(d, "value") : NULL;
  if (!a || a->kind != SJ_ATTR_INT) return false;
  *out = a->u.i;
  return true;
}

static void add_check(step *s, kcheck k) {
  for (unsigned i = 0; i < s->nchecks; i++)
    if (!memcmp(&s->checks[i], &k, sizeof k)) return;
  s->checks = realloc(s->checks, (s->nchecks + 1) * sizeof *s->checks);
  s->checks[s->nchecks++] = k;
}

/* Requires dim k.dim of argument k.arg to equal n, a constant or `dim` of
 * a kernel parameter; false otherwise. */
static bool extent_check(step *s, kcheck k, const sj_value *n) {
  if (const_int(n, &k.c)) {
    k.kind = CK_EQ_CONST;
    add_check(s, k);
    return true;
  }
  const sj_op *d = n->def;
  if (!d || d->code != SJ_OP_DIM || sj_opnd(d, 0)->def) return false;
  k.kind = CK_EQ_DIM;
  k.arg2 = sj_opnd(d, 0)->index;
  k.dim2 = (unsigned)sj_op_int(d, "axis", 0);
  if (k.arg2 != k.arg || k.dim2 != k.dim) add_check(s, k);
  return true;
}

/* Index `idx` used at dim j of kernel param p: a loop variable over
 * [0, const or dim of a param), the constant 0, or `clamp %i, %n` (in
 * bounds when the dim is n and not empty). */
static sj_status index_check(sj_ctx *c, step *s, const sj_op *mem, unsigned p, unsigned j,
                             const sj_value *idx) {
  kcheck k;
  int64_t v;
  memset(&k, 0, sizeof k);
  k.arg = p, k.dim = j;
  if (const_int(idx, &v) && v == 0) {
    k.kind = CK_NONEMPTY;
    add_check(s, k);
    return SJ_OK;
  }
  const sj_op *loop = idx->def ? NULL : idx->owner->parent;
  if (loop && (loop->code == SJ_OP_FOR || loop->code == SJ_OP_PARALLEL_FOR) && idx->index == 0 &&
      const_int(sj_opnd(loop, 0), &v) && v == 0 && extent_check(s, k, sj_opnd(loop, 1)))
    return SJ_OK;
  if (idx->def && idx->def->code == SJ_OP_CLAMP && extent_check(s, k, sj_opnd(idx->def, 1))) {
    k.kind = CK_NONEMPTY;
    add_check(s, k);
    return SJ_OK;
  }
  return fail(c, mem, "'%s' op: index %u is neither 0, nor a loop variable over [0, n), nor a clamp into [0, n) "
                      "(n a constant or a dim of a parameter); its bounds cannot be checked before the kernel runs",
              sj_op_name(mem), j);
}

static sj_status analyze_kernel(sj_ctx *c, const sj_op *k, step *s) {
  sj_op_vec ops = {0};
  sj_collect_ops(k->regions[0], &ops);
  sj_status st = SJ_OK;
  for (size_t i = 0; i < ops.n && !st; i++) {
    const sj_op *o = ops.v[i];
    unsigned first = o->code == SJ_OP_LOAD ? 1 : o->code == SJ_OP_STORE ? 2 : 0;
    if (!first) continue;
    const sj_value *buf = sj_opnd(o, first - 1);
    if (buf->def) {
      st = fail(c, o, "'%s' op: buffer must be a kernel parameter", sj_op_name(o));
      break;
    }
    for (unsigned j = first; j < o->nopnds && !st; j++)
      st = index_check(c, s, o, buf->index, j - first, sj_opnd(o, j));
  }
  sj_op_vec_free(&ops);
  return st;
}

/* ---- building the plan ---- */

static sj_tensor *const_tensor(const sj_op *op) {
  const sj_type *t = &sj_res(op, 0)->type;
  sj_tensor *x = sj_tensor_new(t->dt, t->rank, t->dims);
  if (!x) return NULL;
  const sj_attr *a = sj_op_attr(op, "value");
  int64_t n = sj_tensor_numel(x);
  for (int64_t i = 0; i < n; i++) {
    double v = a->kind == SJ_ATTR_DENSE ? a->u.dense.v[i] : a->kind == SJ_ATTR_FLOAT ? a->u.f : (double)a->u.i;
    sj_tensor_set(x, i, v);
  }
  return x;
}

static sj_status add_step(sj_function *f, const sj_op *op, sj_op *const *ks, const sj_kernel_fn *fns,
                          size_t nk) {
  step *s = &f->steps[f->nsteps];
  memset(s, 0, sizeof *s);
  s->op = op;
  s->out = op->nresults ? slot_of(sj_res(op, 0)) : -1;
  s->nargs = op->nopnds;
  s->args = calloc(op->nopnds + 1, sizeof *s->args);
  for (unsigned i = 0; i < op->nopnds; i++) s->args[i] = slot_of(sj_opnd(op, i));
  f->nsteps++; /* owned by f from here on, even on failure */
  const sj_type *rt = op->nresults ? &sj_res(op, 0)->type : NULL;
  switch (op->code) {
  case SJ_OP_DIM: s->kind = ST_DIM; break;
  case SJ_OP_ALLOC: s->kind = ST_ALLOC; break;
  case SJ_OP_GEMM:
    s->kind = ST_GEMM;
    s->trans_a = sj_op_bool(op, "trans_a", false);
    s->trans_b = sj_op_bool(op, "trans_b", false);
    break;
  case SJ_OP_RESHAPE: s->kind = ST_RESHAPE; break;
  case SJ_OP_CONSTANT:
    if (!rt->is_tensor) {
      if (rt->dt != SJ_I64) return fail(f->ctx, op, "scalar constants at func level must be i64");
      s->kind = ST_ICONST;
      break;
    }
    s->kind = ST_CONST;
    f->slots[s->out].konst = const_tensor(op);
    if (!f->slots[s->out].konst) return fail(f->ctx, op, "cannot materialize constant");
    break;
  case SJ_OP_LAUNCH: {
    s->kind = ST_LAUNCH;
    const char *name = sj_op_sym(op, "kernel");
    for (size_t i = 0; i < nk; i++)
      if (!strcmp(sj_func_name(ks[i]), name)) {
        s->fn = fns[i];
        s->kidx = i;
        return analyze_kernel(f->ctx, ks[i], s);
      }
    return fail(f->ctx, op, "kernel @%s was not compiled", name);
  }
  default:
    return fail(f->ctx, op,
                "'%s' op cannot run at function level: the pipeline must lower it to kernels "
                "(run lower-to-loops)",
                sj_op_name(op));
  }
  return SJ_OK;
}

/* Greedy interval assignment of shared buffers to intermediates. */
static void plan_buffers(sj_function *f) {
  int *owner = calloc((size_t)f->nslots + 1, sizeof *owner); /* buffer id -> slot using it */
  for (int i = 0; i < f->nslots; i++) f->slots[i].buf = -1;
  for (int i = 0; i < f->nsteps; i++) {
    step *s = &f->steps[i];
    if (s->kind != ST_ALLOC) continue;
    slot *o = &f->slots[s->out];
    if (o->is_output) {
      o->fresh_out = true;
      continue;
    }
    int b = -1;
    for (int k = 0; k < f->nbufs && b < 0; k++)
      if (f->slots[owner[k]].last_use < i) b = k;
    if (b < 0) b = f->nbufs++;
    owner[b] = s->out;
    o->buf = b;
  }
  free(owner);
  f->bufmem = calloc((size_t)f->nbufs + 1, sizeof *f->bufmem);
  f->bufcap = calloc((size_t)f->nbufs + 1, sizeof *f->bufcap);
}

/* Last use of each slot, extended to the root of reshape views. */
static void compute_lifetimes(sj_function *f) {
  for (int i = 0; i < f->nslots; i++) {
    f->slots[i].root = i;
    f->slots[i].last_use = -1;
  }
  for (int i = 0; i < f->nsteps; i++) {
    step *s = &f->steps[i];
    if (s->kind == ST_RESHAPE) f->slots[s->out].root = f->slots[s->args[0]].root;
    for (unsigned a = 0; a < s->nargs; a++) f->slots[f->slots[s->args[a]].root].last_use = i;
    if (s->out >= 0 && f->slots[s->out].root != s->out) f->slots[f->slots[s->out].root].last_use = i;
  }
  for (size_t i = 0; i < f->nout; i++) {
    int r = f->slots[f->outs[i]].root;
    f->slots[f->outs[i]].is_output = true;
    f->slots[r].last_use = f->nsteps; /* lives to the end */
  }
}

static sj_status build_plan(sj_function *f, sj_op *const *ks, const sj_kernel_fn *fns, size_t nk) {
  sj_block *body = sj_func_body(f->func);
  int n = (int)body->nargs;
  int nops = 0;
  for (sj_op *op = body->first; op; op = op->next) {
    op->scratch = (unsigned)n;
    n += (int)op->nresults;
    nops++;
  }
  f->nslots = n;
  f->nin = body->nargs;
  f->slots = calloc((size_t)n + 1, sizeof *f->slots);
  f->steps = calloc((size_t)nops + 1, sizeof *f->steps);
  for (unsigned i = 0; i < body->nargs; i++) {
    f->slots[i].type = body->args[i]->type;
    name_slot(&f->slots[i], body->args[i], (int)i);
  }
  for (sj_op *op = body->first; op; op = op->next) {
    for (unsigned r = 0; r < op->nresults; r++) {
      int id = slot_of(sj_res(op, r));
      f->slots[id].type = sj_res(op, r)->type;
      name_slot(&f->slots[id], sj_res(op, r), id);
    }
    if (op->code == SJ_OP_RETURN) {
      f->nout = op->nopnds;
      f->outs = calloc(op->nopnds + 1, sizeof *f->outs);
      for (unsigned i = 0; i < op->nopnds; i++) {
        f->outs[i] = slot_of(sj_opnd(op, i));
        if (!sj_opnd(op, i)->type.is_tensor) return fail(f->ctx, op, "functions must return tensors");
      }
      continue;
    }
    sj_status st = add_step(f, op, ks, fns, nk);
    if (st) return st;
  }
  compute_lifetimes(f);
  plan_buffers(f);
  f->dims = calloc((size_t)n * SJ_MAX_RANK + 1, sizeof *f->dims);
  f->data = calloc((size_t)n + 1, sizeof *f->data);
  f->fresh = calloc((size_t)n + 1, sizeof *f->fresh);
  f->given = calloc((size_t)n + 1, sizeof *f->given);
  return SJ_OK;
}

/* ---- compile ---- */

static sj_module *copy_module(sj_ctx *c, const sj_module *m) {
  sj_module *cp = sj_module_new(c);
  sj_value_map *vm = sj_value_map_new(c);
  for (sj_op *op = m->body->first; op; op = op->next) sj_block_append(cp->body, sj_op_clone(c, op, vm));
  return cp;
}

/* Kernels launched by f, each once, in launch order. */
static void launched_kernels(sj_module *m, const sj_op *f, sj_op_vec *ks) {
  for (sj_op *op = sj_func_body(f)->first; op; op = op->next) {
    if (op->code != SJ_OP_LAUNCH) continue;
    sj_op *k = sj_module_lookup(m, sj_op_sym(op, "kernel"));
    bool seen = false;
    for (size_t i = 0; i < ks->n && !seen; i++) seen = ks->v[i] == k;
    if (k && !seen) sj_op_vec_push(ks, k);
  }
}

/* Background thread: the same kernels with full machine-code optimization. */
static void *tier2_main(void *arg) {
  sj_function *f = arg;
  sj_cg_options cg = {.opt_level = f->opt_level, .fast_codegen = false, .diag = f->tier2_diag};
  if (sj_jit_compile(f->mod, f->ks, f->nk, &cg, &f->jit2, f->fns2) == SJ_OK)
    atomic_store_explicit(&f->tier2_ready, 1, memory_order_release);
  return NULL;
}

/* Installs the optimized kernels once they are ready (between calls). */
static void maybe_swap_tier2(sj_function *f) {
  if (atomic_load_explicit(&f->tier2_ready, memory_order_acquire) != 1) return;
  for (int i = 0; i < f->nsteps; i++)
    if (f->steps[i].kind == ST_LAUNCH) f->steps[i].fn = f->fns2[f->steps[i].kidx];
  atomic_store_explicit(&f->tier2_ready, 2, memory_order_relaxed);
}

void sj_function_wait(sj_function *f) {
  if (!f || !f->tier2_started) return;
  pthread_join(f->tier2, NULL);
  f->tier2_started = false;
  maybe_swap_tier2(f);
}

typedef struct compile_args {
  sj_function *f;
  sj_module *m;
  const char *func;
  const sj_compile_options *o;
} compile_args;

/* The passes run protected (out of memory unwinds: the copy is abandoned). */
static sj_status pipeline_protected(void *ud) {
  compile_args *a = ud;
  sj_module *mod = copy_module(a->m->ctx, a->m);
  sj_pm_options pm = {.verify_each = true};
  sj_status st = sj_run_pipeline(mod, a->o->pipeline ? a->o->pipeline : sj_default_pipeline, &pm);
  a->f->mod = st ? NULL : mod;
  return st;
}

static sj_status compile_into(sj_function *f, sj_module *m, const char *func, const sj_compile_options *o) {
  sj_ctx *c = m->ctx;
  compile_args ca = {f, m, func, o};
  sj_status st = sj_ctx_protect(c, pipeline_protected, &ca);
  if (st) return st;
  f->func = sj_module_lookup(f->mod, func);
  if (!f->func || f->func->code != SJ_OP_FUNC) return fail(c, NULL, "no function @%s in the module", func);
  sj_op_vec ks = {0};
  launched_kernels(f->mod, f->func, &ks);
  sj_kernel_fn *fns = calloc(ks.n + 1, sizeof *fns);
  bool tiered = o->tiered && o->opt_level >= 2 && ks.n;
  /* first tier: O1 IR (no vectorization) and unoptimized machine code */
  sj_cg_options cg = {.opt_level = tiered ? 1 : o->opt_level, .fast_codegen = tiered};
  st = ks.n ? sj_jit_compile(f->mod, ks.v, ks.n, &cg, &f->jit, fns) : SJ_OK;
  if (!st) st = build_plan(f, ks.v, fns, ks.n);
  free(fns);
  if (!st) {
    f->pool = sj_pool_new(o->num_threads);
    if (!f->pool) st = fail(c, NULL, "cannot start the thread pool");
  }
  if (!st && tiered) {
    f->ks = ks.v, f->nk = ks.n, f->opt_level = o->opt_level;
    ks.v = NULL;
    f->fns2 = calloc(f->nk + 1, sizeof *f->fns2);
    f->tier2_diag = sj_ctx_new();
    f->tier2_started = f->fns2 && f->tier2_diag && pthread_create(&f->tier2, NULL, tier2_main, f) == 0;
  }
  sj_op_vec_free(&ks);
  return st;
}

static sj_status compile_unprotected(void *ud) {
  compile_args *a = ud;
  return compile_into(a->f, a->m, a->func, a->o);
}

sj_status sj_module_compile(sj_module *m, const char *func, const sj_compile_options *o,
                            sj_function **out) {
  if (!m || !func || !out) return SJ_ERR_INVALID;
  *out = NULL;
  sj_compile_options dflt;
  sj_compile_options_init(&dflt);
  double t0 = now_ms();
  sj_function *f = calloc(1, sizeof *f);
  if (!f) return SJ_ERR_NOMEM;
  f->ctx = m->ctx;
  /* codegen holds LLVM objects an unwind would leak: unprotected */
  compile_args ca = {f, m, func, o ? o : &dflt};
  sj_status st = sj_ctx_unprotected(compile_unprotected, &ca);
  if (st) {
    sj_function_free(f);
    return st;
  }
  f->compile_ms = now_ms() - t0;
  *out = f;
  return SJ_OK;
}

void sj_function_free(sj_function *f) {
  if (!f) return;
  if (f->tier2_started) pthread_join(f->tier2, NULL);
  sj_jit_free(f->jit2);
  free(f->fns2);
  free(f->ks);
  sj_ctx_free(f->tier2_diag);
  for (int i = 0; i < f->nsteps; i++) {
    free(f->steps[i].args);
    free(f->steps[i].checks);
  }
  for (int i = 0; i < f->nslots; i++) sj_tensor_free(f->slots[i].konst);
  for (int i = 0; i < f->nbufs; i++) free(f->bufmem[i]);
  sj_pool_free(f->pool);
  sj_jit_free(f->jit);
  free(f->steps);
  free(f->slots);
  free(f->outs);
  free(f->dims);
  free(f->data);
  free(f->fresh);
  free(f->given);
  free(f->bufmem);
  free(f->bufcap);
  free(f->in_slots);
  free(f->upd_slots);
  for (size_t k = 0; k < f->nupd; k++) sj_tensor_free(f->spare[k]);
  free(f->spare);
  free(f->all_in);
  free(f->all_out);
  free(f);
}

size_t sj_function_num_inputs(const sj_function *f) { return f ? (f->bound ? f->nuser_in : f->nin) : 0; }
size_t sj_function_num_outputs(const sj_function *f) { return f ? (f->bound ? f->nuser_out : f->nout) : 0; }

void sj_function_bind_state(sj_function *f, size_t nuser_in, sj_tensor **const *in_slots, size_t nslots,
                            size_t nuser_out, sj_tensor **const *upd_slots, size_t nupd) {
  f->bound = true;
  f->nuser_in = nuser_in, f->nuser_out = nuser_out, f->nslots_in = nslots, f->nupd = nupd;
  f->in_slots = calloc(nslots + 1, sizeof *f->in_slots);
  f->upd_slots = calloc(nupd + 1, sizeof *f->upd_slots);
  memcpy(f->in_slots, in_slots, nslots * sizeof *in_slots);
  memcpy(f->upd_slots, upd_slots, nupd * sizeof *upd_slots);
  f->spare = calloc(nupd + 1, sizeof *f->spare);
  f->all_in = calloc(f->nin + 1, sizeof *f->all_in);
  f->all_out = calloc(f->nout + 1, sizeof *f->all_out);
}
double sj_function_compile_ms(const sj_function *f) { return f ? f->compile_ms : 0; }

/* ---- calling: phase 1, shapes and checks ---- */

static int64_t *D(sj_function *f, int s) { return &f->dims[(size_t)s * SJ_MAX_RANK]; }

static void shape_str(const sj_function *f, int s, char *buf, size_t cap) {
  const slot *sl = &f->slots[s];
  size_t k = (size_t)snprintf(buf, cap, "%s[", sj_dtype_name(sl->type.dt));
  for (int i = 0; i < sl->type.rank && k < cap; i++)
    k += (size_t)snprintf(buf + k, cap - k, "%s%lld", i ? "," : "", (long long)f->dims[(size_t)s * SJ_MAX_RANK + (size_t)i]);
  if (k < cap) snprintf(buf + k, cap - k, "]");
}

static sj_status check_inputs(sj_function *f, sj_tensor *const *in, size_t nin) {
  const char *fn = sj_func_name(f->func);
  if (nin != f->nin) return fail(f->ctx, NULL, "@%s takes %zu inputs, got %zu", fn, f->nin, nin);
  for (size_t i = 0; i < nin; i++) {
    const slot *s = &f->slots[i];
    char want[SJ_TYPE_STR_CAP];
    sj_type_str(&s->type, want, sizeof want);
    if (!in[i]) return fail(f->ctx, NULL, "@%s: input %zu (%s) is NULL", fn, i, s->name);
    const int64_t *d = sj_tensor_dims(in[i]);
    int r = sj_tensor_rank(in[i]);
    bool ok = sj_tensor_dtype(in[i]) == s->type.dt && r == s->type.rank;
    for (int k = 0; ok && k < r; k++) ok = s->type.dims[k] == SJ_DYN || s->type.dims[k] == d[k];
    if (!ok) {
      char got[SJ_TYPE_STR_CAP];
      sj_type t = sj_tensor_type(sj_tensor_dtype(in[i]), r > SJ_MAX_RANK ? SJ_MAX_RANK : r, d);
      sj_type_str(&t, got, sizeof got);
      return fail(f->ctx, NULL, "@%s: input %zu (%s) must be %s, got %s", fn, i, s->name, want, got);
    }
    memcpy(D(f, (int)i), d, (size_t)r * sizeof *d);
    f->data[i] = sj_tensor_data(in[i]);
  }
  return SJ_OK;
}

static sj_status check_launch(sj_function *f, const step *s) {
  const char *kn = sj_op_sym(s->op, "kernel");
  for (unsigned i = 0; i < s->nchecks; i++) {
    const kcheck *k = &s->checks[i];
    int a = s->args[k->arg];
    int64_t d = D(f, a)[k->dim];
    int64_t want = k->kind == CK_EQ_CONST ? k->c : k->kind == CK_NONEMPTY ? 1 : D(f, s->args[k->arg2])[k->dim2];
    bool ok = k->kind == CK_NONEMPTY ? d >= 1 : d == want;
    if (ok) continue;
    char sa[128], sb[128];
    shape_str(f, a, sa, sizeof sa);
    if (k->kind == CK_EQ_DIM) {
      int b = s->args[k->arg2];
      shape_str(f, b, sb, sizeof sb);
      return fail(f->ctx, s->op, "shape mismatch before kernel @%s: dim %u of %s (%s) is %lld but must equal dim %u of %s (%s), %lld",
                  kn, k->dim, f->slots[a].name, sa, (long long)d, k->dim2, f->slots[b].name, sb, (long long)want);
    }
    return fail(f->ctx, s->op, "shape mismatch before kernel @%s: dim %u of %s (%s) is %lld but must be %s%lld",
                kn, k->dim, f->slots[a].name, sa, (long long)d, k->kind == CK_NONEMPTY ? "at least " : "", (long long)want);
  }
  /* static dims need no check here: the verifier matched them to the parameters */
  return SJ_OK;
}

static int64_t numel(const sj_function *f, int s) {
  int64_t n = 1;
  for (int k = 0; k < f->slots[s].type.rank; k++) n *= f->dims[(size_t)s * SJ_MAX_RANK + (size_t)k];
  return n;
}

static sj_status shape_reshape(sj_function *f, const step *s) {
  const sj_type *t = &f->slots[s->out].type;
  int64_t total = numel(f, s->args[0]), known = 1;
  int dyn = -1;
  for (int k = 0; k < t->rank; k++) {
    if (t->dims[k] == SJ_DYN) {
      if (dyn >= 0) return fail(f->ctx, s->op, "reshape with more than one '?' dim is ambiguous");
      dyn = k;
    } else {
      known *= t->dims[k];
    }
    D(f, s->out)[k] = t->dims[k];
  }
  if (dyn >= 0) D(f, s->out)[dyn] = known ? total / known : 0;
  if (numel(f, s->out) != total)
    return fail(f->ctx, s->op, "cannot reshape %lld elements of %s to the requested shape", (long long)total,
                f->slots[s->args[0]].name);
  return SJ_OK;
}

static sj_status shape_gemm(sj_function *f, const step *s) {
  int a = s->args[0], b = s->args[1];
  int ra = f->slots[a].type.rank, rb = f->slots[b].type.rank;
  bool ta = s->trans_a, tb = s->trans_b;
  int64_t k1 = D(f, a)[ta ? ra - 2 : ra - 1], k2 = D(f, b)[tb ? rb - 1 : rb - 2];
  if (k1 != k2) {
    char sa[128], sb[128];
    shape_str(f, a, sa, sizeof sa);
    shape_str(f, b, sb, sizeof sb);
    return fail(f->ctx, s->op, "matmul of %s (%s) and %s (%s): contracting dims %lld and %lld differ",
                f->slots[a].name, sa, f->slots[b].name, sb, (long long)k1, (long long)k2);
  }
  return SJ_OK;
}

static sj_status phase1(sj_function *f) {
  for (int i = 0; i < f->nsteps; i++) {
    step *s = &f->steps[i];
    const sj_type *t = s->out >= 0 ? &f->slots[s->out].type : NULL;
    sj_status st = SJ_OK;
    switch (s->kind) {
    case ST_DIM: D(f, s->out)[0] = D(f, s->args[0])[sj_op_int(s->op, "axis", 0)]; break;
    case ST_ICONST: D(f, s->out)[0] = sj_op_int(s->op, "value", 0); break;
    case ST_CONST: memcpy(D(f, s->out), t->dims, (size_t)t->rank * sizeof *t->dims); break;
    case ST_ALLOC: {
      unsigned a = 0;
      for (int k = 0; k < t->rank; k++) {
        int64_t v = t->dims[k] == SJ_DYN ? D(f, s->args[a++])[0] : t->dims[k];
        if (v < 0) return fail(f->ctx, s->op, "negative size %lld for %s", (long long)v, f->slots[s->out].name);
        D(f, s->out)[k] = v;
      }
      break;
    }
    case ST_RESHAPE: st = shape_reshape(f, s); break;
    case ST_LAUNCH: st = check_launch(f, s); break;
    case ST_GEMM: st = shape_gemm(f, s); break;
    }
    if (st) return st;
  }
  return SJ_OK;
}

/* ---- phase 2: memory and execution ---- */

static sj_status alloc_slot(sj_function *f, const step *s) {
  slot *o = &f->slots[s->out];
  size_t bytes = (size_t)numel(f, s->out) * sj_dtype_size(o->type.dt);
  if (o->fresh_out && f->given[s->out]) {
    f->data[s->out] = sj_tensor_data(f->given[s->out]);
    return SJ_OK;
  }
  if (o->fresh_out) {
    f->fresh[s->out] = sj_tensor_new(o->type.dt, o->type.rank, D(f, s->out));
    if (!f->fresh[s->out]) return fail(f->ctx, s->op, "out of memory allocating %zu bytes", bytes);
    f->data[s->out] = sj_tensor_data(f->fresh[s->out]);
    return SJ_OK;
  }
  int b = o->buf;
  if (f->bufcap[b] < bytes || !f->bufmem[b]) {
    free(f->bufmem[b]);
    size_t cap = (bytes + 63) / 64 * 64;
    f->bufmem[b] = aligned_alloc(64, cap ? cap : 64);
    f->bufcap[b] = f->bufmem[b] ? cap : 0;
    if (!f->bufmem[b]) return fail(f->ctx, s->op, "out of memory allocating %zu bytes", bytes);
  }
  f->data[s->out] = f->bufmem[b];
  return SJ_OK;
}

static bool run_gemm(sj_function *f, const step *s) {
  int a = s->args[0], b = s->args[1], c = s->args[2];
  sj_dtype dt = f->slots[c].type.dt;
  bool ta = s->trans_a, tb = s->trans_b;
  if (f->slots[a].type.rank == 2 && f->slots[b].type.rank == 2) {
    int64_t M = D(f, a)[ta ? 1 : 0], K = D(f, a)[ta ? 0 : 1], N = D(f, b)[tb ? 0 : 1];
    if (K != D(f, b)[tb ? 1 : 0] || D(f, c)[0] != M || D(f, c)[1] != N) return false;
    return sj_rt_gemm2d(f->pool, dt, f->data[a], ta, f->data[b], tb, f->data[c], M, N, K);
  }
  if (ta || tb) return false;
  return sj_rt_gemm(dt, f->data[a], f->slots[a].type.rank, D(f, a), f->data[b], f->slots[b].type.rank, D(f, b),
                    f->data[c], f->slots[c].type.rank, D(f, c));
}

static void run_launch(sj_function *f, const step *s) {
  void *ptrs[64] = {0};
  int64_t dims[64 * SJ_MAX_RANK] = {0};
  void **pp = s->nargs <= 64 ? ptrs : malloc(s->nargs * sizeof *pp);
  int64_t *dd = s->nargs <= 64 ? dims : malloc(s->nargs * SJ_MAX_RANK * sizeof *dd);
  for (unsigned i = 0; i < s->nargs; i++) {
    pp[i] = f->data[s->args[i]];
    memcpy(&dd[i * SJ_MAX_RANK], D(f, s->args[i]), SJ_MAX_RANK * sizeof *dd);
  }
  s->fn(pp, dd, f->pool);
  if (pp != ptrs) free(pp);
  if (dd != dims) free(dd);
}

static sj_status phase2(sj_function *f) {
  for (int i = 0; i < f->nsteps; i++) {
    step *s = &f->steps[i];
    switch (s->kind) {
    case ST_DIM:
    case ST_ICONST: break;
    case ST_CONST: f->data[s->out] = sj_tensor_data(f->slots[s->out].konst); break;
    case ST_RESHAPE: f->data[s->out] = f->data[s->args[0]]; break;
    case ST_ALLOC:
      if (alloc_slot(f, s)) return SJ_ERR_NOMEM;
      break;
    case ST_LAUNCH: run_launch(f, s); break;
    case ST_GEMM:
      if (!run_gemm(f, s)) return fail(f->ctx, s->op, "gemm failed (unsupported dtype or shapes)");
      break;
    }
  }
  return SJ_OK;
}

static void drop_fresh(sj_function *f) {
  for (int i = 0; i < f->nslots; i++) {
    sj_tensor_free(f->fresh[i]);
    f->fresh[i] = NULL;
    f->given[i] = NULL;
  }
}

/* Binds caller outputs to result slots once shapes are known (after phase 1). */
static sj_status bind_outputs(sj_function *f, sj_tensor *const *out) {
  for (size_t i = 0; i < f->nout; i++) {
    int s = f->outs[i];
    const slot *sl = &f->slots[s];
    bool ok = out[i] && sj_tensor_dtype(out[i]) == sl->type.dt && sj_tensor_rank(out[i]) == sl->type.rank;
    for (int k = 0; ok && k < sl->type.rank; k++) ok = sj_tensor_dims(out[i])[k] == D(f, s)[k];
    if (!ok) {
      char want[128];
      shape_str(f, s, want, sizeof want);
      return fail(f->ctx, NULL, "@%s: output %zu must be a %s tensor", sj_func_name(f->func), i, want);
    }
    bool twice = false;
    for (size_t k = 0; k < i; k++) twice |= f->outs[k] == s;
    if (sl->fresh_out && !twice) f->given[s] = out[i];
  }
  return SJ_OK;
}

/* Outputs that were not computed in place (inputs, constants, views,
 * duplicates) are copied into the caller's tensors. */
static void copy_into(sj_function *f, sj_tensor *const *out) {
  for (size_t i = 0; i < f->nout; i++) {
    int s = f->outs[i];
    if (f->given[s] == out[i]) continue;
    memcpy(sj_tensor_data(out[i]), f->data[s], sj_tensor_nbytes(out[i]));
  }
}

sj_status sj_function_call_into(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor *const *out,
                                size_t nout) {
  if (!f) return SJ_ERR_INVALID;
  if (f->bound) return fail(f->ctx, NULL, "functions with shared variables are called with sj_function_call");
  maybe_swap_tier2(f);
  if (nin && !in) return fail(f->ctx, NULL, "inputs array is NULL");
  if (!out && nout) return fail(f->ctx, NULL, "outputs array is NULL");
  if (nout != f->nout)
    return fail(f->ctx, NULL, "@%s has %zu outputs, %zu given", sj_func_name(f->func), f->nout, nout);
  sj_status st = check_inputs(f, in, nin);
  if (!st) st = phase1(f);
  if (!st) st = bind_outputs(f, out);
  if (!st) st = phase2(f);
  if (!st) copy_into(f, out);
  drop_fresh(f);
  return st;
}

/* Outputs: hand over freshly allocated results and tensors bound by
 * bind_spares; copy anything else (inputs, constants, views, a value
 * returned twice). */
static sj_status collect_outputs(sj_function *f, sj_tensor **out) {
  for (size_t i = 0; i < f->nout; i++) {
    int s = f->outs[i];
    if (f->fresh[s] || f->given[s]) {
      out[i] = f->fresh[s] ? f->fresh[s] : f->given[s];
      f->fresh[s] = NULL;
      continue;
    }
    out[i] = sj_tensor_from(f->slots[s].type.dt, f->slots[s].type.rank, D(f, s), f->data[s]);
    if (!out[i]) {
      for (size_t k = 0; k < i; k++)
        if (f->given[f->outs[k]] != out[k]) sj_tensor_free(out[k]);
      return fail(f->ctx, NULL, "out of memory copying output %zu", i);
    }
  }
  return SJ_OK;
}

/* Update k's value is written into the spare tensor of its variable when the
 * function computes it into a buffer of its own (not an input or a view),
 * returns it once, and the shapes agree. */
static void bind_spares(sj_function *f) {
  for (size_t k = 0; k < f->nupd; k++) {
    size_t i = f->nuser_out + k;
    int s = f->outs[i];
    const sj_tensor *t = f->spare[k];
    bool ok = t && f->slots[s].fresh_out && sj_tensor_dtype(t) == f->slots[s].type.dt &&
              sj_tensor_rank(t) == f->slots[s].type.rank;
    for (int d = 0; ok && d < f->slots[s].type.rank; d++) ok = sj_tensor_dims(t)[d] == D(f, s)[d];
    for (size_t j = 0; ok && j < f->nout; j++) ok = j == i || f->outs[j] != s;
    if (ok) f->given[s] = f->spare[k];
  }
}

static sj_status run_call(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor **out, size_t nout) {
  maybe_swap_tier2(f);
  if (nin && !in) return fail(f->ctx, NULL, "inputs array is NULL");
  if (!out && nout) return fail(f->ctx, NULL, "outputs array is NULL");
  if (nout != f->nout)
    return fail(f->ctx, NULL, "@%s has %zu outputs, %zu requested", sj_func_name(f->func), f->nout, nout);
  sj_status st = check_inputs(f, in, nin);
  if (!st) st = phase1(f);
  if (!st && f->bound) bind_spares(f);
  if (!st) st = phase2(f);
  if (!st) st = collect_outputs(f, out);
  drop_fresh(f);
  return st;
}

/* Graph functions: user inputs, then the shared variables' current values;
 * update values replace the shared values only after everything was
 * computed from the old ones (Theano semantics). The replaced tensor becomes
 * the variable's spare, written by the next call (double buffering). */
static sj_status call_bound(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor **out, size_t nout) {
  if (nin != f->nuser_in)
    return fail(f->ctx, NULL, "the function takes %zu inputs, got %zu", f->nuser_in, nin);
  if (nout != f->nuser_out)
    return fail(f->ctx, NULL, "the function has %zu outputs, %zu requested", f->nuser_out, nout);
  if (nin && !in) return fail(f->ctx, NULL, "inputs array is NULL");
  if (nout && !out) return fail(f->ctx, NULL, "outputs array is NULL");
  for (size_t i = 0; i < nin; i++) f->all_in[i] = in[i];
  for (size_t i = 0; i < f->nslots_in; i++) f->all_in[nin + i] = *f->in_slots[i];
  sj_status st = run_call(f, f->all_in, f->nin, f->all_out, f->nout);
  if (st) return st;
  for (size_t i = 0; i < nout; i++) out[i] = f->all_out[i];
  for (size_t k = 0; k < f->nupd; k++) {
    sj_tensor *nv = f->all_out[nout + k];
    if (nv != f->spare[k]) sj_tensor_free(f->spare[k]);
    f->spare[k] = *f->upd_slots[k];
    *f->upd_slots[k] = nv;
  }
  return SJ_OK;
}

sj_status sj_function_call(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor **out, size_t nout) {
  if (!f) return SJ_ERR_INVALID;
  return f->bound ? call_bound(f, in, nin, out, nout) : run_call(f, in, nin, out, nout);
}
