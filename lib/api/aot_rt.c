/* The runtime of exported functions (include/symjit/aot.h, decision 0036):
 * an image's text IR is parsed into a context of the state, its func is
 * planned by plan.c with the kernel pointers of the image instead of JIT'd
 * ones, and calls run through the same executor as in-process functions
 * (shapes.c, exec.c; the state passes the shared variables itself). No
 * LLVM here: this file is part of libsymjit_rt and of libsymjit alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aot_internal.h"
#include "exec_internal.h"
#include "symjit/aot.h"
#include "text.h"

struct sj_aot_state {
  sj_ctx *ctx;
  sj_function *f;    /* NULL: the load failed (the reason is in ctx) */
  size_t nin, nout;  /* of the call (shared variables as arguments counted) */
  sj_tensor **vars;  /* initial mode: the state's shared variables */
  size_t nvars;
  /* func param nin+i reads vars[bind[i]] (i < nbin); func result nout+k
   * replaces vars[bind[nbin+k]] after a successful call (Theano semantics:
   * every output is computed from the old values); spare[k] is the tensor
   * that update is written into (the variable's previous one: no
   * allocation per call). all_in/all_out: the call's full argument lists. */
  uint32_t *bind;
  size_t nbin, nupd;
  sj_tensor **spare, **all_in, **all_out;
};

/* The image's variables, as tensors the state owns. */
static sj_status read_vars(sj_aot_state *s, sj_aot_reader *r) {
  s->vars = calloc(s->nvars + 1, sizeof *s->vars);
  if (!s->vars) return sj_api_nomem(s->ctx, NULL, "out of memory loading the shared variables");
  for (size_t i = 0; i < s->nvars && !r->bad; i++) {
    uint32_t dt = sj_aot_u32(r), rank = sj_aot_u32(r);
    int64_t dims[SJ_MAX_RANK] = {0};
    if (dt >= SJ_DTYPE_COUNT || rank > SJ_MAX_RANK) return sj_api_fail(s->ctx, NULL, "corrupt image: a shared variable's type");
    for (uint32_t k = 0; k < rank; k++) dims[k] = (int64_t)sj_aot_u64(r);
    uint64_t nbytes = sj_aot_u64(r);
    const unsigned char *data = sj_aot_take(r, r->bad ? 0 : nbytes);
    if (r->bad) break;
    s->vars[i] = sj_tensor_new((sj_dtype)dt, (int)rank, dims);
    if (!s->vars[i]) return sj_api_nomem(s->ctx, NULL, "out of memory loading shared variable %zu", i);
    if (sj_tensor_nbytes(s->vars[i]) != nbytes) return sj_api_fail(s->ctx, NULL, "corrupt image: a shared variable's size");
    if (nbytes) memcpy(sj_tensor_data(s->vars[i]), data, nbytes);
  }
  return SJ_OK;
}

/* The image's kernel pointers in the order of ks (the plan's list). */
static sj_status match_kernels(sj_aot_state *s, sj_aot_reader *r, const sj_aot_image *img, const sj_op_vec *ks,
                               sj_kernel_fn *fns) {
  for (uint32_t j = 0; j < img->nkernels && !r->bad; j++) {
    uint32_t len = sj_aot_u32(r);
    const char *name = (const char *)sj_aot_take(r, len);
    for (size_t i = 0; name && i < ks->n; i++) {
      const char *kn = sj_func_name(ks->v[i]);
      if (strlen(kn) == len && !memcmp(kn, name, len)) fns[i] = (sj_kernel_fn)img->kernels[j];
    }
  }
  for (size_t i = 0; i < ks->n; i++)
    if (!fns[i]) return sj_api_fail(s->ctx, NULL, "corrupt image: kernel @%s is not in its table", sj_func_name(ks->v[i]));
  return SJ_OK;
}

/* A NUL-terminated copy of a length-prefixed string of the blob. */
static char *read_str(sj_aot_reader *r, uint64_t len) {
  const unsigned char *p = sj_aot_take(r, len);
  char *c = p ? malloc(len + 1) : NULL;
  if (c) memcpy(c, p, len), c[len] = 0;
  return c;
}

/* Checks the variables' bindings against the func's signature. */
static sj_status check_binding(sj_aot_state *s) {
  sj_function *f = s->f;
  if (s->nin + s->nbin != f->nin || s->nout + s->nupd != f->nout)
    return sj_api_fail(s->ctx, NULL, "corrupt image: the signature does not match the function");
  for (size_t i = 0; i < s->nbin + s->nupd; i++)
    if (s->bind[i] >= s->nvars) return sj_api_fail(s->ctx, NULL, "corrupt image: a variable index");
  s->spare = calloc(s->nupd + 1, sizeof *s->spare);
  s->all_in = calloc(f->nin + 1, sizeof *s->all_in);
  s->all_out = calloc(2 * f->nout + 1, sizeof *s->all_out);
  if (!s->spare || !s->all_in || !s->all_out) return sj_api_nomem(s->ctx, NULL, "out of memory loading the image");
  return SJ_OK;
}

/* The func of the image's IR (parsed and verified into the state's context). */
static sj_status parse(sj_aot_state *s, sj_aot_reader *r) {
  sj_function *f = s->f;
  uint32_t flen = sj_aot_u32(r);
  char *fname = read_str(r, flen);
  uint64_t tlen = sj_aot_u64(r);
  char *text = r->bad ? NULL : read_str(r, tlen);
  sj_status st = !fname || !text ? (r->bad ? sj_api_fail(s->ctx, NULL, "corrupt image: truncated")
                                           : sj_api_nomem(s->ctx, NULL, "out of memory loading the image"))
                                 : sj_parse_module(s->ctx, "<aot image>", text, tlen, true, &f->mod);
  free(text);
  if (!st) {
    f->func = sj_module_lookup(f->mod, fname);
    if (!f->func || f->func->code != SJ_OP_FUNC) st = sj_api_fail(s->ctx, NULL, "corrupt image: no function @%s in its IR", fname);
  }
  free(fname);
  return st;
}

static sj_status load(sj_aot_state *s, const sj_aot_image *img, int nthreads) {
  if (!img || !img->blob) return sj_api_fail(s->ctx, NULL, "no image");
  if (img->abi != SJ_AOT_ABI) {
    return sj_api_fail(s->ctx, NULL, "the image was exported for runtime ABI %u; this runtime reads ABI %u (export it again)",
                       img->abi, SJ_AOT_ABI);
  }
  sj_aot_reader r = {img->blob, img->blob_len, 0, 0};
  const unsigned char *magic = sj_aot_take(&r, SJ_AOT_MAGIC_LEN);
  if (!magic || memcmp(magic, SJ_AOT_MAGIC, SJ_AOT_MAGIC_LEN)) return sj_api_fail(s->ctx, NULL, "corrupt image: no magic");
  s->nin = sj_aot_u32(&r), s->nout = sj_aot_u32(&r);
  s->nbin = sj_aot_u32(&r), s->nupd = sj_aot_u32(&r);
  s->nvars = sj_aot_u32(&r);
  uint32_t nk = sj_aot_u32(&r);
  if (r.bad || nk != img->nkernels || s->nbin > r.len || s->nupd > r.len || s->nvars > r.len)
    return sj_api_fail(s->ctx, NULL, "corrupt image: its counts");
  s->bind = calloc(s->nbin + s->nupd + 1, sizeof *s->bind);
  if (!s->bind) return sj_api_nomem(s->ctx, NULL, "out of memory loading the image");
  for (size_t i = 0; i < s->nbin + s->nupd; i++) s->bind[i] = sj_aot_u32(&r);
  sj_status st = read_vars(s, &r);
  sj_aot_reader names = r; /* the kernel names: matched once the IR is parsed */
  for (uint32_t j = 0; !st && j < nk && !r.bad; j++) sj_aot_take(&r, sj_aot_u32(&r));
  if (!st && r.bad) st = sj_api_fail(s->ctx, NULL, "corrupt image: truncated");
  s->f = st ? NULL : calloc(1, sizeof *s->f);
  if (!st && !s->f) st = sj_api_nomem(s->ctx, NULL, "out of memory loading the image");
  if (!st) s->f->ctx = s->ctx, st = parse(s, &r);
  sj_op_vec ks = {0};
  sj_kernel_fn *fns = NULL;
  if (!st) {
    sj_api_launched_kernels(s->f->mod, s->f->func, &ks, 0);
    fns = calloc(ks.n + 1, sizeof *fns);
    st = ks.failed || !fns ? sj_api_nomem(s->ctx, NULL, "out of memory loading the image")
                           : match_kernels(s, &names, img, &ks, fns);
  }
  if (!st) st = sj_api_build_plan(s->f, ks.v, fns, ks.n);
  if (!st) st = check_binding(s);
  if (!st && !(s->f->pool = sj_pool_new(nthreads))) st = sj_api_fail(s->ctx, NULL, "cannot start the thread pool");
  sj_op_vec_free(&ks);
  free(fns);
  return st;
}

static void free_function(sj_function *f) {
  if (!f) return;
  sj_api_free_plan(f);
  sj_pool_free(f->pool);
  free(f);
}

sj_aot_state *sj_aot_new(const sj_aot_image *img, int num_threads) {
  sj_aot_state *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->ctx = sj_ctx_new();
  if (!s->ctx) {
    free(s);
    return NULL;
  }
  if (load(s, img, num_threads)) {
    free_function(s->f); /* the state stays, with the message, for every call to report */
    s->f = NULL;
  }
  return s;
}

void sj_aot_free(sj_aot_state *s) {
  if (!s) return;
  free_function(s->f);
  for (size_t i = 0; s->vars && i < s->nvars; i++) sj_tensor_free(s->vars[i]);
  free(s->vars);
  for (size_t k = 0; s->spare && k < s->nupd; k++) sj_tensor_free(s->spare[k]);
  free(s->spare), free(s->all_in), free(s->all_out), free(s->bind);
  sj_ctx_free(s->ctx);
  free(s);
}

const char *sj_aot_errmsg(const sj_aot_state *s) { return s ? sj_ctx_errmsg(s->ctx) : "no state (out of memory)"; }
size_t sj_aot_num_inputs(const sj_aot_state *s) { return s && s->f ? s->nin : 0; }
size_t sj_aot_num_outputs(const sj_aot_state *s) { return s && s->f ? s->nout : 0; }
size_t sj_aot_num_shared(const sj_aot_state *s) { return s && s->f ? s->nvars : 0; }
sj_tensor *sj_aot_shared(sj_aot_state *s, size_t i) { return s && s->f && i < s->nvars ? s->vars[i] : NULL; }

/* A call may start: the state loaded (else its message stays). */
static sj_status ready(sj_aot_state *s) {
  if (!s) return SJ_ERR_INVALID;
  if (!s->f) return SJ_ERR_INVALID;
  sj_ctx_clear_errors(s->ctx);
  return SJ_OK;
}

/* The full input list: the caller's, then the variables. */
static void gather_inputs(sj_aot_state *s, sj_tensor *const *in) {
  for (size_t i = 0; i < s->nin; i++) s->all_in[i] = in[i];
  for (size_t i = 0; i < s->nbin; i++) s->all_in[s->nin + i] = s->vars[s->bind[i]];
}

/* After a successful call: update k's new value (in all_out[nout+k])
 * replaces its variable, whose old tensor becomes the spare. */
static void apply_updates(sj_aot_state *s) {
  for (size_t k = 0; k < s->nupd; k++) {
    sj_tensor **var = &s->vars[s->bind[s->nbin + k]];
    sj_tensor *nv = s->all_out[s->nout + k];
    if (nv != s->spare[k]) sj_tensor_free(s->spare[k]);
    s->spare[k] = *var;
    *var = nv;
  }
}

sj_status sj_aot_call_tensors(sj_aot_state *s, sj_tensor *const *in, size_t nin, sj_tensor **out, size_t nout) {
  sj_status st = ready(s);
  if (st) return st;
  if (nin != s->nin) return sj_api_fail(s->ctx, NULL, "@%s takes %zu inputs, got %zu", sj_func_name(s->f->func), s->nin, nin);
  if (nout != s->nout)
    return sj_api_fail(s->ctx, NULL, "@%s has %zu outputs, %zu requested", sj_func_name(s->f->func), s->nout, nout);
  if (nin && !in) return sj_api_fail(s->ctx, NULL, "inputs array is NULL");
  if (nout && !out) return sj_api_fail(s->ctx, NULL, "outputs array is NULL");
  gather_inputs(s, in);
  st = sj_function_call(s->f, s->all_in, s->f->nin, s->all_out, s->f->nout);
  if (st) return st;
  for (size_t i = 0; i < nout; i++) out[i] = s->all_out[i];
  apply_updates(s);
  return SJ_OK;
}

/* "f32[3,4]" of a caller's buffer. */
static void shape_str(sj_dtype dt, int rank, const int64_t *d, char *buf, size_t cap) {
  size_t k = (size_t)snprintf(buf, cap, "%s[", sj_dtype_name(dt));
  for (int i = 0; i < rank && k < cap; i++) k += (size_t)snprintf(buf + k, cap - k, "%s%lld", i ? "," : "", (long long)d[i]);
  if (k < cap) snprintf(buf + k, cap - k, "]");
}

/* Wraps n caller buffers as tensors of the func's types (slot ids[i]). */
static sj_status wrap(sj_aot_state *s, const char *what, const int *ids, size_t n, void *const *data,
                      const int64_t *const *dims, sj_tensor **t) {
  sj_function *f = s->f;
  for (size_t i = 0; i < n; i++) {
    const sj_type *ty = &f->slots[ids[i]].type;
    if (ty->rank && (!dims || !dims[i]))
      return sj_api_fail(s->ctx, NULL, "@%s: %s %zu (%s): its dims are NULL", sj_func_name(f->func), what, i, f->slots[ids[i]].name);
    t[i] = sj_tensor_wrap(ty->dt, ty->rank, ty->rank ? dims[i] : NULL, data ? data[i] : NULL);
    if (!t[i]) {
      char got[160];
      shape_str(ty->dt, ty->rank, ty->rank ? dims[i] : NULL, got, sizeof got);
      return sj_api_fail(s->ctx, NULL, "@%s: %s %zu (%s): no data, or impossible dims %s", sj_func_name(f->func), what, i,
                         f->slots[ids[i]].name, got);
    }
  }
  return SJ_OK;
}

/* Update k is written into a tensor shaped as its variable now: the
 * spare when it still has that shape, else a new one. */
static sj_status update_targets(sj_aot_state *s) {
  for (size_t k = 0; k < s->nupd; k++) {
    const sj_tensor *v = s->vars[s->bind[s->nbin + k]];
    sj_tensor *t = s->spare[k];
    bool same = t && sj_tensor_rank(t) == sj_tensor_rank(v);
    for (int d = 0; same && d < sj_tensor_rank(v); d++) same = sj_tensor_dims(t)[d] == sj_tensor_dims(v)[d];
    if (!same) {
      sj_tensor_free(s->spare[k]);
      s->spare[k] = t = sj_tensor_new(sj_tensor_dtype(v), sj_tensor_rank(v), sj_tensor_dims(v));
      if (!t) return sj_api_nomem(s->ctx, NULL, "out of memory for shared variable %u", s->bind[s->nbin + k]);
    }
    s->all_out[s->nout + k] = t;
  }
  return SJ_OK;
}

sj_status sj_aot_call(sj_aot_state *s, const void *const *in, const int64_t *const *in_dims, void *const *out,
                      const int64_t *const *out_dims) {
  sj_status st = ready(s);
  if (st) return st;
  sj_function *f = s->f;
  size_t nt = s->nin + s->nout + 1;
  sj_tensor **t = calloc(nt, sizeof *t);
  int *ids = calloc(nt, sizeof *ids);
  if (!t || !ids) st = sj_api_nomem(s->ctx, NULL, "out of memory calling @%s", sj_func_name(f->func));
  for (size_t i = 0; !st && i < s->nin; i++) ids[i] = (int)i;
  for (size_t i = 0; !st && i < s->nout; i++) ids[s->nin + i] = f->outs[i];
  if (!st && s->nin && !in) st = sj_api_fail(s->ctx, NULL, "inputs array is NULL");
  if (!st && s->nout && !out) st = sj_api_fail(s->ctx, NULL, "outputs array is NULL");
  if (!st) st = wrap(s, "input", ids, s->nin, (void *const *)in, in_dims, t);
  if (!st) st = wrap(s, "output", ids + s->nin, s->nout, out, out_dims, t + s->nin);
  if (!st) st = update_targets(s);
  if (!st) {
    gather_inputs(s, t);
    memcpy(s->all_out, t + s->nin, s->nout * sizeof *t);
    /* every shape, the outputs' and updates' included, is checked before
     * anything runs: a failed call changes nothing */
    st = sj_function_call_into(f, s->all_in, f->nin, s->all_out, f->nout);
  }
  if (!st) apply_updates(s);
  for (size_t i = 0; t && i < nt; i++) sj_tensor_free(t[i]);
  free(t);
  free(ids);
  return st;
}
