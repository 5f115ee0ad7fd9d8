/* The plan of a compiled function: the lowered func (dim, constant, alloc,
 * launch, gemm, reshape, return) becomes one step per op over numbered value
 * slots (func params first, then each op's results), with the lifetimes of
 * the slots and the shared buffers of intermediates. Runs once, at compile
 * time; nothing here looks at a call's shapes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "runtime.h"
#include "opinfo.h"

/* ---- errors and the kernel list (here, not in function.c, so the AOT
 * runtime, which has no compiler, shares them: decision 0036) ---- */

static void vfail(sj_ctx *c, const sj_op *op, const char *fmt, va_list ap) {
  sj_loc none = {0};
  sj_emit_verror(c, op ? op->loc : none, fmt, ap);
}

sj_status sj_api_fail(sj_ctx *c, const sj_op *op, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(c, op, fmt, ap);
  va_end(ap);
  return SJ_ERR_INVALID;
}

sj_status sj_api_nomem(sj_ctx *c, const sj_op *op, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(c, op, fmt, ap);
  va_end(ap);
  return SJ_ERR_NOMEM;
}

/* Kernels launched by f (or run as a gemm's epilogue), each once, in launch
 * order; a scan's body func is walked too (its kernels compile with f's). */
void sj_api_launched_kernels(sj_module *m, const sj_op *f, sj_op_vec *ks, int depth) {
  for (sj_op *op = sj_func_body(f)->first; op; op = op->next) {
    if (op->code == SJ_OP_SCAN) {
      const sj_op *body = sj_op_sym(op, "body") ? sj_module_lookup(m, sj_op_sym(op, "body")) : NULL;
      if (body && body->code == SJ_OP_FUNC && depth < 64) sj_api_launched_kernels(m, body, ks, depth + 1);
      continue;
    }
    const char *sym = sj_op_sym(op, op->code == SJ_OP_LAUNCH ? "kernel" : "epilogue"); /* gemm, conv_gemm */
    if (!sym) continue;
    sj_op *k = sj_module_lookup(m, sym);
    bool seen = false;
    for (size_t i = 0; i < ks->n && !seen; i++) seen = ks->v[i] == k;
    if (k && !seen) sj_op_vec_push(ks, k);
  }
}

/* ---- slots: func params first, then each op's results (op->scratch) ---- */

static int slot_of(const sj_value *v) { return v->def ? (int)(v->def->scratch + v->index) : (int)v->index; }

static void name_slot(slot *s, const sj_value *v, int id) {
  if (v->name) snprintf(s->name, sizeof s->name, "%%%s", v->name);
  else snprintf(s->name, sizeof s->name, "%%<%d>", id);
}

static sj_tensor *const_tensor(const sj_op *op) {
  const sj_type *t = &sj_res(op, 0)->type;
  sj_tensor *x = sj_tensor_new(t->dt, t->rank, t->dims);
  if (!x) return NULL;
  const sj_attr *a = sj_op_attr(op, "value");
  int64_t n = sj_tensor_numel(x);
  for (int64_t i = 0; i < n; i++) {
    /* an integer splat stays an integer: i64 values past 2^53 are not doubles */
    if (a->kind == SJ_ATTR_INT && !sj_dtype_is_float(t->dt)) {
      sj_rt_set_int(x, i, a->u.i);
      continue;
    }
    double v = a->kind == SJ_ATTR_DENSE ? a->u.dense.v[i] : a->kind == SJ_ATTR_FLOAT ? a->u.f : (double)a->u.i;
    sj_tensor_set(x, i, v);
  }
  return x;
}

/* Which launch arguments the kernel stores to (its only effects: a launch
 * whose written buffers are all empty is skipped at run time). */
static bool mark_writes(sj_op *k, step *s) {
  sj_block *body = k->regions[0];
  s->writes = calloc(s->nargs + 1, sizeof *s->writes);
  sj_op_vec ops = {0};
  sj_collect_ops(body, &ops);
  bool ok = s->writes && !ops.failed;
  for (size_t i = 0; ok && i < ops.n; i++) {
    const sj_op *o = ops.v[i];
    if (!sj_op_has(o, SJ_F_WRITES) || o->nopnds < 2) continue;
    const sj_value *buf = sj_opnd(o, 1);
    for (unsigned a = 0; a < body->nargs && a < s->nargs; a++)
      if (body->args[a] == buf) s->writes[a] = true;
  }
  sj_op_vec_free(&ops);
  return ok;
}

static sj_status launch_step(sj_function *f, step *s, sj_op *const *ks, const sj_kernel_fn *fns, size_t nk) {
  const char *name = sj_op_sym(s->op, s->op->code == SJ_OP_LAUNCH ? "kernel" : "epilogue");
  s->kind = ST_LAUNCH;
  for (size_t i = 0; i < nk; i++)
    if (!strcmp(sj_func_name(ks[i]), name)) {
      s->fn = fns[i];
      s->kidx = i;
      if (!mark_writes(ks[i], s)) return sj_api_nomem(f->ctx, s->op, "out of memory planning the function");
      return sj_api_analyze_kernel(f->ctx, ks[i], s);
    }
  return sj_api_fail(f->ctx, s->op, "kernel @%s was not compiled", name);
}

/* What a step handler may need besides the op: the compiled kernels. */
typedef struct plan_in {
  sj_op *const *ks;
  const sj_kernel_fn *fns;
  size_t nk;
} plan_in;

/* ---- the PLAN column of ops.def: one handler per func-level op ---- */

static sj_status p_dim(sj_function *f, step *s, const plan_in *in) {
  (void)f, (void)in;
  s->kind = ST_DIM;
  return SJ_OK;
}
static sj_status p_alloc(sj_function *f, step *s, const plan_in *in) {
  (void)f, (void)in;
  s->kind = ST_ALLOC;
  return SJ_OK;
}
static sj_status p_reshape(sj_function *f, step *s, const plan_in *in) {
  (void)f, (void)in;
  s->kind = ST_RESHAPE;
  return SJ_OK;
}
static double num_attr(const sj_op *op, const char *name, double dflt) {
  const sj_attr *a = sj_op_attr(op, name);
  return !a ? dflt : a->kind == SJ_ATTR_FLOAT ? a->u.f : (double)a->u.i;
}

static sj_status plan_epilogue(sj_function *f, step *s, const plan_in *in, unsigned first);

/* gemm: flags and scalars read once here, not on every call. An epilogue
 * becomes a launch step of its own (s->epi) over the operands after z,
 * with the kernel's prechecks, run by the gemm's row panels. */
static sj_status p_gemm(sj_function *f, step *s, const plan_in *in) {
  s->kind = ST_GEMM;
  s->trans_a = sj_op_bool(s->op, "trans_a", false);
  s->trans_b = sj_op_bool(s->op, "trans_b", false);
  s->has_z = sj_op_attr(s->op, "beta") != NULL;
  s->alpha = num_attr(s->op, "alpha", 1);
  s->beta = num_attr(s->op, "beta", 0);
  return plan_epilogue(f, s, in, 3 + s->has_z);
}

/* conv_gemm: run by the runtime; an epilogue as gemm's, after %c */
static sj_status p_conv_gemm(sj_function *f, step *s, const plan_in *in) {
  s->kind = ST_CONV;
  sj_status st = sj_api_plan_conv(f, s);
  return st ? st : plan_epilogue(f, s, in, 3);
}

/* A gemm's or conv_gemm's epilogue, if any: a launch step of its own
 * (s->epi) over the operands from `first` on, with the kernel's
 * prechecks. */
static sj_status plan_epilogue(sj_function *f, step *s, const plan_in *in, unsigned first) {
  if (!sj_op_attr(s->op, "epilogue")) return SJ_OK;
  if (s->nargs - first > SJ_KABI_STACK_PARAMS)
    return sj_api_fail(f->ctx, s->op, "a gemm epilogue takes at most %d arguments", SJ_KABI_STACK_PARAMS);
  s->epi = calloc(1, sizeof *s->epi);
  s->epi_rows = calloc(s->nargs - first + 1, sizeof *s->epi_rows);
  if (!s->epi || !s->epi_rows) return sj_api_nomem(f->ctx, s->op, "out of memory planning the function");
  *s->epi = (step){.op = s->op, .out = -1, .args = s->args + first, .nargs = s->nargs - first};
  const sj_attr *rows = sj_op_attr(s->op, "epilogue_rows");
  for (int i = 0; rows && i < rows->u.ints.n; i++) s->epi_rows[rows->u.ints.v[i]] = true; /* verified */
  return launch_step(f, s->epi, in->ks, in->fns, in->nk);
}
static sj_status p_constant(sj_function *f, step *s, const plan_in *in) {
  (void)in;
  const sj_type *rt = &sj_res(s->op, 0)->type;
  if (!rt->is_tensor) {
    if (rt->dt != SJ_I64) return sj_api_fail(f->ctx, s->op, "scalar constants at func level must be i64");
    s->kind = ST_ICONST;
    return SJ_OK;
  }
  s->kind = ST_CONST;
  f->slots[s->out].konst = const_tensor(s->op);
  if (!f->slots[s->out].konst) return sj_api_nomem(f->ctx, s->op, "cannot materialize constant");
  return SJ_OK;
}
static sj_status p_launch(sj_function *f, step *s, const plan_in *in) {
  return launch_step(f, s, in->ks, in->fns, in->nk);
}
/* slice_len: the size of a sliced dynamic dim, computed with the call's shapes */
static sj_status p_slice_len(sj_function *f, step *s, const plan_in *in) {
  (void)f, (void)in;
  s->kind = ST_SLICE_LEN;
  return SJ_OK;
}

/* scan: the body func gets a plan of its own (scan_exec.c) */
static sj_status p_scan(sj_function *f, step *s, const plan_in *in) {
  s->kind = ST_SCAN;
  return sj_api_plan_scan(f, s, in->ks, in->fns, in->nk);
}

/* random_*: an executor step that allocates and fills its result */
static sj_status p_random(sj_function *f, step *s, const plan_in *in) {
  (void)f, (void)in;
  s->kind = ST_RANDOM;
  return SJ_OK;
}

typedef sj_status (*plan_fn)(sj_function *f, step *s, const plan_in *in);
#define NONE NULL
static const plan_fn planners[SJ_OP_COUNT] = {
#define SJ_OP(ID, NAME, MINO, MAXO, NRES, NREG, FLAGS, ATTRS, INFER, VERIFY, EVAL, COMBINE, IDENTITY, EMIT, SCALAR_CG, VJP, PLAN, REF) \
  [SJ_OP_##ID] = PLAN,
#include "ops.def"
#undef SJ_OP
};
#undef NONE

static sj_status add_step(sj_function *f, const sj_op *op, sj_op *const *ks, const sj_kernel_fn *fns,
                          size_t nk) {
  step *s = &f->steps[f->nsteps];
  memset(s, 0, sizeof *s);
  s->op = op;
  s->out = op->nresults ? slot_of(sj_res(op, 0)) : -1;
  s->nargs = op->nopnds;
  s->args = calloc(op->nopnds + 1, sizeof *s->args);
  f->nsteps++; /* owned by f from here on, even on failure */
  if (!s->args) return sj_api_nomem(f->ctx, op, "out of memory planning the function");
  for (unsigned i = 0; i < op->nopnds; i++) s->args[i] = slot_of(sj_opnd(op, i));
  if (!planners[op->code])
    return sj_api_fail(f->ctx, op,
                       "'%s' op cannot run at function level: the pipeline must lower it to kernels "
                       "(run lower-to-loops)",
                       sj_op_name(op));
  plan_in in = {ks, fns, nk};
  return planners[op->code](f, s, &in);
}

/* Greedy interval assignment of shared buffers to intermediates. Buffers
 * are not shared across a barrier (exec_internal.h): those of a barrier's
 * results and those after it are new, so growing them when the barrier is
 * reached never frees memory in use. A body's result defined after a
 * barrier gets a buffer of its own (the scan copies it out, checking its
 * shape, which was not known when the loop started). */
static sj_status plan_buffers(sj_function *f) {
  int *owner = calloc((size_t)f->nslots + 1, sizeof *owner); /* buffer id -> slot using it */
  if (!owner) return sj_api_nomem(f->ctx, NULL, "out of memory planning the function");
  for (int i = 0; i < f->nslots; i++) f->slots[i].buf = -1;
  int seg = 0; /* first buffer of the current segment */
  bool after_barrier = false;
  for (int i = 0; i < f->nsteps; i++) {
    step *s = &f->steps[i];
    int first, n = sj_api_allocated_slots(s, &first);
    bool barrier = s->kind == ST_SCAN && sj_api_scan_is_barrier(s);
    if (barrier) seg = f->nbufs, after_barrier = f->has_barrier = true;
    for (int r = first; r < first + n; r++) {
      slot *o = &f->slots[r];
      if (o->is_output && !(f->is_body && after_barrier)) {
        o->fresh_out = true;
        continue;
      }
      int b = -1; /* a body's late result (is_output here) gets its own */
      for (int k = seg; !o->is_output && k < f->nbufs && b < 0; k++)
        if (f->slots[owner[k]].last_use < i) b = k;
      if (b < 0) b = f->nbufs++;
      owner[b] = r;
      o->buf = b;
    }
    if (barrier) seg = f->nbufs;
  }
  free(owner);
  size_t nb = (size_t)f->nbufs + 1;
  f->bufmem = calloc(nb, sizeof *f->bufmem);
  f->bufcap = calloc(nb, sizeof *f->bufcap);
  f->bufneed = calloc(nb, sizeof *f->bufneed);
  f->bufslot = calloc(nb, sizeof *f->bufslot);
  if (!f->bufmem || !f->bufcap || !f->bufneed || !f->bufslot)
    return sj_api_nomem(f->ctx, NULL, "out of memory planning the function");
  return SJ_OK;
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
    int first, n = sj_api_allocated_slots(s, &first);
    for (int r = first; r < first + n; r++) /* a result nobody reads lives while its step runs: */
      if (f->slots[r].last_use < i) f->slots[r].last_use = i; /* its buffer is not a sibling result's */
    for (unsigned a = 0; a < s->nargs; a++) f->slots[f->slots[s->args[a]].root].last_use = i;
    if (s->out >= 0 && f->slots[s->out].root != s->out) f->slots[f->slots[s->out].root].last_use = i;
  }
  for (size_t i = 0; i < f->nout; i++) {
    int r = f->slots[f->outs[i]].root;
    f->slots[f->outs[i]].is_output = true;
    f->slots[r].last_use = f->nsteps; /* lives to the end */
  }
}

static sj_status plan_return(sj_function *f, const sj_op *op) {
  f->nout = op->nopnds;
  f->outs = calloc(op->nopnds + 1, sizeof *f->outs);
  if (!f->outs) return sj_api_nomem(f->ctx, op, "out of memory planning the function");
  for (unsigned i = 0; i < op->nopnds; i++) {
    f->outs[i] = slot_of(sj_opnd(op, i));
    if (!sj_opnd(op, i)->type.is_tensor) return sj_api_fail(f->ctx, op, "functions must return tensors");
  }
  return SJ_OK;
}

/* The per-call arrays, one entry per slot. */
static sj_status call_state(sj_function *f) {
  size_t n = (size_t)f->nslots + 1;
  f->dims = calloc(n * SJ_MAX_RANK, sizeof *f->dims);
  f->data = calloc(n, sizeof *f->data);
  f->fresh = calloc(n, sizeof *f->fresh);
  f->given = calloc(n, sizeof *f->given);
  if (!f->dims || !f->data || !f->fresh || !f->given)
    return sj_api_nomem(f->ctx, NULL, "out of memory planning the function");
  return SJ_OK;
}

sj_status sj_api_build_plan(sj_function *f, sj_op *const *ks, const sj_kernel_fn *fns, size_t nk) {
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
  if (!f->slots || !f->steps) return sj_api_nomem(f->ctx, NULL, "out of memory planning the function");
  for (unsigned i = 0; i < body->nargs; i++) {
    f->slots[i].def_step = -1;
    f->slots[i].type = body->args[i]->type;
    name_slot(&f->slots[i], body->args[i], (int)i);
  }
  for (sj_op *op = body->first; op; op = op->next) {
    for (unsigned r = 0; r < op->nresults; r++) {
      int id = slot_of(sj_res(op, r));
      f->slots[id].type = sj_res(op, r)->type;
      f->slots[id].def_step = f->nsteps;
      name_slot(&f->slots[id], sj_res(op, r), id);
    }
    sj_status st = op->code == SJ_OP_RETURN ? plan_return(f, op) : add_step(f, op, ks, fns, nk);
    if (st) return st;
  }
  compute_lifetimes(f);
  f->shape_stop = f->nsteps;
  sj_status st = plan_buffers(f);
  return st ? st : call_state(f);
}

void sj_api_free_plan(sj_function *f) {
  for (int i = 0; i < f->nsteps; i++) {
    free(f->steps[i].args);
    free(f->steps[i].checks);
    free(f->steps[i].writes);
    if (f->steps[i].epi) { /* a gemm's epilogue: args point into the gemm's */
      free(f->steps[i].epi->checks), free(f->steps[i].epi->writes), free(f->steps[i].epi_rows);
      free(f->steps[i].epi);
    }
    if (f->steps[i].scan) sj_api_free_scan(&f->steps[i]);
    sj_api_free_conv(&f->steps[i]);
  }
  for (int i = 0; f->slots && i < f->nslots; i++) sj_tensor_free(f->slots[i].konst);
  for (int i = 0; f->bufmem && i < f->nbufs; i++) free(f->bufmem[i]);
  free(f->steps);
  free(f->slots);
  free(f->outs);
  free(f->dims);
  free(f->data);
  free(f->fresh);
  free(f->given);
  free(f->bufmem);
  free(f->bufcap);
  free(f->bufneed);
  free(f->bufslot);
}
