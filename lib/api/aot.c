/* sj_function_export (include/symjit/aot.h, docs/aot.md, decision 0036):
 * a compiled function's lowered module as text IR, its signature and,
 * by option, its shared variables' values go into a blob (aot_internal.h);
 * codegen compiles the kernels with that blob into one object
 * (lib/codegen/aot_emit.c); the header wraps the runtime's generic call
 * (aot_rt.c) in a plain C signature. Both files are written under a
 * temporary name and renamed: never left half-written. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aot_emit.h"
#include "aot_internal.h"
#include "cuda_resident.h"
#include "exec_internal.h"
#include "symjit/aot.h"
#include "text.h"

void sj_aot_options_init(sj_aot_options *o) {
  if (!o) return;
  memset(o, 0, sizeof *o);
  o->shared = SJ_AOT_SHARED_INITIAL;
  o->opt_level = 3;
}

/* ---- the blob ---- */

typedef struct blob {
  unsigned char *p;
  size_t n, cap;
  bool nomem;
} blob;

static void put(blob *b, const void *v, size_t n) {
  if (b->nomem) return;
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n) cap *= 2;
    unsigned char *p = realloc(b->p, cap);
    if (!p) {
      b->nomem = true;
      return;
    }
    b->p = p, b->cap = cap;
  }
  if (n) memcpy(b->p + b->n, v, n);
  b->n += n;
}
static void put_u32(blob *b, uint32_t v) { put(b, &v, sizeof v); }
static void put_u64(blob *b, uint64_t v) { put(b, &v, sizeof v); }
static void put_str(blob *b, const char *s) {
  put_u32(b, (uint32_t)strlen(s));
  put(b, s, strlen(s));
}

static size_t var_index(sj_tensor **const *list, size_t n, sj_tensor **slot) {
  for (size_t i = 0; i < n; i++)
    if (list[i] == slot) return i;
  return n;
}

/* The shared variables (initial mode): each distinct slot once, those read
 * first (in_slots order), then those only updated; the bindings, then each
 * variable's type and bytes. */
static sj_status put_vars(sj_function *f, blob *b) {
  size_t cap = f->nslots_in + f->nupd + 1, n = 0;
  sj_tensor ***list = calloc(cap, sizeof *list);
  uint32_t *bin = calloc(cap, sizeof *bin);
  if (!list || !bin) {
    free(list), free(bin);
    return sj_api_nomem(f->ctx, NULL, "export: out of memory");
  }
  for (size_t i = 0; i < f->nslots_in + f->nupd; i++) {
    sj_tensor **slot = i < f->nslots_in ? f->in_slots[i] : f->upd_slots[i - f->nslots_in];
    size_t k = var_index((sj_tensor **const *)list, n, slot);
    if (k == n) list[n++] = slot;
    bin[i] = (uint32_t)k;
  }
  put_u32(b, (uint32_t)f->nslots_in), put_u32(b, (uint32_t)f->nupd), put_u32(b, (uint32_t)n);
  put_u32(b, 0); /* nkernels, patched by build_blob */
  for (size_t i = 0; i < f->nslots_in + f->nupd; i++) put_u32(b, bin[i]);
  sj_status st = SJ_OK;
  for (size_t v = 0; v < n && !st; v++) {
    char why[512];
    if (sj_cu_resident_sync_host(list[v], why, sizeof why)) {
      st = sj_api_fail(f->ctx, NULL, "export: shared variable %zu: %s", v, why);
      break;
    }
    const sj_tensor *t = *list[v];
    if (!t) {
      st = sj_api_fail(f->ctx, NULL, "export: shared variable %zu has no value", v);
      break;
    }
    put_u32(b, (uint32_t)sj_tensor_dtype(t)), put_u32(b, (uint32_t)sj_tensor_rank(t));
    for (int k = 0; k < sj_tensor_rank(t); k++) put_u64(b, (uint64_t)sj_tensor_dims(t)[k]);
    put_u64(b, sj_tensor_nbytes(t));
    put(b, sj_tensor_data(t), sj_tensor_nbytes(t));
  }
  free(list), free(bin);
  return st;
}

static char *module_text(sj_module *m, size_t *len) {
  char *buf = NULL;
  FILE *out = open_memstream(&buf, len);
  if (!out) return NULL;
  sj_print_module(out, m);
  if (fclose(out)) {
    free(buf);
    return NULL;
  }
  return buf;
}

/* The blob of f (aot_internal.h) with ks's names as the kernel table. */
static sj_status build_blob(sj_function *f, const sj_aot_options *o, const sj_op_vec *ks, blob *b) {
  bool initial = f->bound && o->shared == SJ_AOT_SHARED_INITIAL;
  put(b, SJ_AOT_MAGIC, SJ_AOT_MAGIC_LEN);
  put_u32(b, (uint32_t)(initial ? f->nuser_in : f->nin)), put_u32(b, (uint32_t)(initial ? f->nuser_out : f->nout));
  size_t at_nk = b->n + 3 * sizeof(uint32_t);
  sj_status st = SJ_OK;
  if (initial) st = put_vars(f, b);
  else put_u32(b, 0), put_u32(b, 0), put_u32(b, 0), put_u32(b, 0);
  if (st) return st;
  uint32_t nk = (uint32_t)ks->n;
  if (!b->nomem) memcpy(b->p + at_nk, &nk, sizeof nk);
  for (size_t i = 0; i < ks->n; i++) put_str(b, sj_func_name(ks->v[i]));
  put_str(b, sj_func_name(f->func));
  size_t tlen = 0;
  char *text = module_text(f->mod, &tlen);
  if (!text) return sj_api_nomem(f->ctx, NULL, "export: out of memory printing the IR");
  put_u64(b, tlen);
  put(b, text, tlen);
  free(text);
  return b->nomem ? sj_api_nomem(f->ctx, NULL, "export: out of memory") : SJ_OK;
}

/* ---- the header ---- */

static const char *c_type(sj_dtype dt) {
  switch (dt) {
  case SJ_F32: return "float";
  case SJ_F64: return "double";
  case SJ_I8: return "int8_t";
  case SJ_I32: return "int32_t";
  case SJ_I64: return "int64_t";
  case SJ_BOOL: return "uint8_t";
  default: return "uint16_t"; /* f16, bf16: their bits */
  }
}

static bool is_ident(const char *s, size_t max) {
  size_t n = strlen(s);
  if (!n || n > max || (s[0] >= '0' && s[0] <= '9')) return false;
  for (size_t i = 0; i < n; i++)
    if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))) return false;
  return true;
}

/* The C name of argument i: the IR value's name when it is an identifier
 * that cannot clash (prefixed `a_`), else in<i> / out<i>. */
static void arg_name(const sj_function *f, int slot, const char *kind, size_t i, char *buf, size_t cap) {
  const char *n = f->slots[slot].name + 1; /* "%name" */
  if (is_ident(n, 40)) snprintf(buf, cap, "%s_%s", kind, n);
  else snprintf(buf, cap, "%s%zu", kind, i);
}

static void put_dims_param(FILE *h, const sj_type *t, const char *an) {
  for (int k = 0; k < t->rank; k++)
    if (t->dims[k] == SJ_DYN) fprintf(h, ", int64_t %s_d%d", an, k);
}

static void put_dims_array(FILE *h, const sj_type *t, const char *an) {
  fprintf(h, "  const int64_t %s_dims[%d] = {", an, t->rank ? t->rank : 1);
  for (int k = 0; k < t->rank; k++) {
    if (t->dims[k] == SJ_DYN) fprintf(h, "%s%s_d%d", k ? ", " : "", an, k);
    else fprintf(h, "%s%lld", k ? ", " : "", (long long)t->dims[k]);
  }
  fprintf(h, "%s};\n", t->rank ? "" : "0");
}

static void write_header(FILE *h, const sj_function *f, const char *name, const char *fid, size_t nin, size_t nout,
                         size_t nvars) {
  char ty[SJ_TYPE_STR_CAP], an[64];
  fprintf(h, "/* Generated by symjit's sj_function_export: @%s as %s_%s (docs/aot.md).\n"
             " * Link with the object and libsymjit_rt (pkg-config symjit_rt), or libsymjit. */\n",
          sj_func_name(f->func), name, fid);
  fprintf(h, "#ifndef %s_SYMJIT_AOT_H\n#define %s_SYMJIT_AOT_H\n#include <stdint.h>\n#include <symjit/aot.h>\n\n", name, name);
  fprintf(h, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
  fprintf(h, "extern const sj_aot_image %s_aot_image;\ntypedef sj_aot_state %s_state;\n\n", name, name);
  fprintf(h, "/* A state: plan, buffers, threads (0: all cores)%s. NULL: no memory. */\n", nvars ? ", its own copy of the shared variables" : "");
  fprintf(h, "static inline %s_state *%s_new(int num_threads) { return sj_aot_new(&%s_aot_image, num_threads); }\n", name, name, name);
  fprintf(h, "static inline void %s_free(%s_state *s) { sj_aot_free(s); }\n", name, name);
  fprintf(h, "/* The last error's message (\"\" when none). */\n");
  fprintf(h, "static inline const char *%s_error(const %s_state *s) { return sj_aot_errmsg(s); }\n\n", name, name);
  fprintf(h, "/* @%s:", sj_func_name(f->func));
  for (size_t i = 0; i < nin; i++) {
    sj_type_str(&f->slots[i].type, ty, sizeof ty);
    fprintf(h, "\n *   in  %s: %s", f->slots[i].name, ty);
  }
  for (size_t i = 0; i < nout; i++) {
    sj_type_str(&f->slots[f->outs[i]].type, ty, sizeof ty);
    fprintf(h, "\n *   out %zu: %s", i, ty);
  }
  fprintf(h, "\n * One pointer per input and output, then the dynamic (`?`) dims after each;\n"
             " * the outputs are written where given. Returns 0, or an sj_status with\n"
             " * %s_error(s) saying what was wrong (a shape, a size). */\n", name);
  fprintf(h, "static inline int %s_%s(%s_state *s", name, fid, name);
  for (size_t i = 0; i < nin; i++) {
    arg_name(f, (int)i, "in", i, an, sizeof an);
    fprintf(h, ", const %s *%s", c_type(f->slots[i].type.dt), an);
    put_dims_param(h, &f->slots[i].type, an);
  }
  for (size_t i = 0; i < nout; i++) {
    snprintf(an, sizeof an, "out%zu", i);
    fprintf(h, ", %s *%s", c_type(f->slots[f->outs[i]].type.dt), an);
    put_dims_param(h, &f->slots[f->outs[i]].type, an);
  }
  fprintf(h, ") {\n");
  for (size_t i = 0; i < nin; i++) arg_name(f, (int)i, "in", i, an, sizeof an), put_dims_array(h, &f->slots[i].type, an);
  for (size_t i = 0; i < nout; i++) snprintf(an, sizeof an, "out%zu", i), put_dims_array(h, &f->slots[f->outs[i]].type, an);
  fprintf(h, "  const void *in[%zu] = {", nin + 1);
  for (size_t i = 0; i < nin; i++) arg_name(f, (int)i, "in", i, an, sizeof an), fprintf(h, "%s%s", i ? ", " : "", an);
  fprintf(h, "%s};\n  const int64_t *in_dims[%zu] = {", nin ? "" : "0", nin + 1);
  for (size_t i = 0; i < nin; i++) arg_name(f, (int)i, "in", i, an, sizeof an), fprintf(h, "%s%s_dims", i ? ", " : "", an);
  fprintf(h, "%s};\n  void *out[%zu] = {", nin ? "" : "0", nout + 1);
  for (size_t i = 0; i < nout; i++) fprintf(h, "%sout%zu", i ? ", " : "", i);
  fprintf(h, "%s};\n  const int64_t *out_dims[%zu] = {", nout ? "" : "0", nout + 1);
  for (size_t i = 0; i < nout; i++) fprintf(h, "%sout%zu_dims", i ? ", " : "", i);
  fprintf(h, "%s};\n  return (int)sj_aot_call(s, in, in_dims, out, out_dims);\n}\n\n", nout ? "" : "0");
  fprintf(h, "#ifdef __cplusplus\n}\n#endif\n#endif\n");
}

/* ---- files ---- */

/* path's bytes via path.tmp.<pid>, renamed over path when complete. */
static sj_status write_atomic(sj_ctx *c, const char *path, const void *data, size_t len, char *tmp, size_t cap) {
  snprintf(tmp, cap, "%s.tmp.%ld", path, (long)getpid());
  FILE *out = fopen(tmp, "wb");
  bool ok = out && fwrite(data, 1, len, out) == len;
  int e = errno;
  if (out && fclose(out)) ok = false, e = errno;
  if (ok && rename(tmp, path)) ok = false, e = errno;
  if (ok) return SJ_OK;
  if (out) remove(tmp);
  return sj_api_fail(c, NULL, "export: cannot write %s: %s", path, strerror(e)), SJ_ERR_IO;
}

static sj_status header_text(sj_function *f, const char *name, const sj_aot_options *o, char **buf, size_t *len) {
  bool initial = f->bound && o->shared == SJ_AOT_SHARED_INITIAL;
  FILE *h = open_memstream(buf, len);
  if (!h) return sj_api_nomem(f->ctx, NULL, "export: out of memory");
  write_header(h, f, name, o->func_id ? o->func_id : sj_func_name(f->func), initial ? f->nuser_in : f->nin,
               initial ? f->nuser_out : f->nout, initial ? f->nslots_in + f->nupd : 0);
  if (fclose(h)) return sj_api_nomem(f->ctx, NULL, "export: out of memory");
  return SJ_OK;
}

static sj_status check_args(sj_function *f, const char *name, const char *obj, const char *hdr, const sj_aot_options *o) {
  if (!name || !is_ident(name, 64))
    return sj_api_fail(f->ctx, NULL, "export: the name '%s' is not a C identifier of at most 64 characters "
                                     "(letters, digits, '_', not starting with a digit)", name ? name : "(null)");
  const char *fid = o->func_id ? o->func_id : sj_func_name(f->func);
  if (!is_ident(fid, 64))
    return sj_api_fail(f->ctx, NULL, "export: the function's C name '%s' is not an identifier (set sj_aot_options.func_id)", fid);
  if (!obj || !hdr) return sj_api_fail(f->ctx, NULL, "export: the object and header paths are required");
  if (o->shared != SJ_AOT_SHARED_INITIAL && o->shared != SJ_AOT_SHARED_ARGS)
    return sj_api_fail(f->ctx, NULL, "export: sj_aot_options.shared must be SJ_AOT_SHARED_INITIAL or _ARGS, got %d", o->shared);
  if (o->opt_level < 0 || o->opt_level > 3) return sj_api_fail(f->ctx, NULL, "export: opt_level must be 0..3, got %d", o->opt_level);
  if (f->gpu) return sj_api_fail(f->ctx, NULL, "export: @%s was compiled for a CUDA device; export compiles for this CPU: compile it for \"cpu\"", sj_func_name(f->func));
  if (f->bound && (!f->in_slots || !f->upd_slots)) return sj_api_nomem(f->ctx, NULL, "export: out of memory");
  return SJ_OK;
}

sj_status sj_function_export(sj_function *f, const char *name, const char *obj_path, const char *header_path,
                             const sj_aot_options *opts) {
  if (!f) return SJ_ERR_INVALID;
  sj_aot_options o;
  if (opts) o = *opts;
  else sj_aot_options_init(&o);
  sj_status st = check_args(f, name, obj_path, header_path, &o);
  if (st) return st;
  sj_function_wait(f); /* a tiered compile's background thread reads the same IR */
  sj_op_vec ks = {0};
  sj_api_launched_kernels(f->mod, f->func, &ks, 0);
  blob b = {0};
  st = ks.failed ? sj_api_nomem(f->ctx, NULL, "export: out of memory") : build_blob(f, &o, &ks, &b);
  unsigned char *obj = NULL;
  size_t objlen = 0, hlen = 0;
  char *htext = NULL;
  if (!st) st = sj_aot_emit_object(f->ctx, ks.v, ks.n, o.opt_level, name, b.p, b.n, &obj, &objlen);
  if (!st) st = header_text(f, name, &o, &htext, &hlen);
  size_t cap = strlen(obj_path) + strlen(header_path) + 32;
  char *tmp = malloc(cap);
  if (!st && !tmp) st = sj_api_nomem(f->ctx, NULL, "export: out of memory");
  if (!st) st = write_atomic(f->ctx, obj_path, obj, objlen, tmp, cap);
  if (!st) {
    st = write_atomic(f->ctx, header_path, htext, hlen, tmp, cap);
    if (st) remove(obj_path); /* both or neither */
  }
  free(tmp), free(htext), free(obj), free(b.p);
  sj_op_vec_free(&ks);
  return st;
}
