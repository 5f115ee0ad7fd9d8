/* The NaN/Inf guard (Theano's NanGuardMode): after each kernel launch and
 * gemm, the float buffers it wrote are scanned; the first NaN or infinity
 * fails the call with the op, the kernel, the element and the file:line
 * where the op was written (the graph call or the .sj line), unless one of
 * the step's float operands already held a non-finite value: the guard
 * names the op that made a non-finite value out of finite ones, not every
 * op it flowed through, and infinities a caller passes in are legitimate.
 * Under the guard the pipeline runs without fusion (debug_dump.c), so each
 * kernel computes one op and its location is that op's. The scan reads the
 * exponent bits: no float conversion, no exceptions raised. */
#include <stdio.h>
#include <string.h>

#include "debug_internal.h"
#include "opinfo.h"

static int64_t numel(sj_function *f, int s) {
  int64_t n = 1;
  for (int k = 0; k < f->slots[s].type.rank; k++) n *= sj_api_dims(f, s)[k];
  return n;
}

/* Index of the first non-finite element of slot s, or -1. */
static int64_t first_nonfinite(sj_function *f, int s) {
  const void *p = f->data[s];
  int64_t n = numel(f, s);
  switch (f->slots[s].type.dt) {
  case SJ_F64:
    for (int64_t i = 0; i < n; i++) {
      uint64_t u;
      memcpy(&u, (const char *)p + 8 * i, 8);
      if ((u & 0x7ff0000000000000ull) == 0x7ff0000000000000ull) return i;
    }
    return -1;
  case SJ_F32:
    for (int64_t i = 0; i < n; i++) {
      uint32_t u;
      memcpy(&u, (const char *)p + 4 * i, 4);
      if ((u & 0x7f800000u) == 0x7f800000u) return i;
    }
    return -1;
  case SJ_F16:
  case SJ_BF16: {
    uint16_t mask = f->slots[s].type.dt == SJ_F16 ? 0x7c00 : 0x7f80;
    for (int64_t i = 0; i < n; i++) {
      uint16_t u;
      memcpy(&u, (const char *)p + 2 * i, 2);
      if ((u & mask) == mask) return i;
    }
    return -1;
  }
  default: return -1; /* integers and bools are always finite */
  }
}

/* "nan", "inf" or "-inf" for element i of slot s. */
static const char *kind_of(sj_function *f, int s, int64_t i) {
  sj_dtype dt = f->slots[s].type.dt;
  sj_tensor *t = sj_tensor_wrap(dt, 0, NULL, (char *)f->data[s] + (size_t)i * sj_dtype_size(dt));
  double v = t ? sj_tensor_get(t, 0) : 0;
  sj_tensor_free(t);
  return v != v ? "nan" : v < 0 ? "-inf" : "inf";
}

/* The op whose value a kernel stores into its parameter `arg`: the stored
 * value's definition (a reduction: its loop, named by its combine). */
static void stored_op_name(sj_function *f, const step *s, unsigned arg, char *buf, size_t cap) {
  snprintf(buf, cap, "%s", s->kind == ST_GEMM ? "matmul (gemm)" : s->kind == ST_CONV ? "convolution (conv_gemm)" : "?");
  if (s->kind != ST_LAUNCH) return;
  sj_op *k = sj_module_lookup(f->mod, sj_op_sym(s->op, "kernel"));
  if (!k) return;
  sj_op_vec ops = {0};
  sj_collect_ops(k->regions[0], &ops);
  for (size_t i = 0; i < ops.n; i++) {
    const sj_op *o = ops.v[i];
    if (!sj_op_has(o, SJ_F_WRITES) || o->nopnds < 2 || sj_opnd(o, 1) != k->regions[0]->args[arg]) continue;
    const sj_op *d = sj_opnd(o, 0)->def;
    if (!d) break;
    const sj_attr *combine = sj_op_has(d, SJ_F_LOOP) ? sj_op_attr(d, "combine") : NULL;
    if (combine && combine->kind == SJ_ATTR_STR) snprintf(buf, cap, "%s-reduction", combine->u.s);
    else snprintf(buf, cap, "%s", sj_op_name(d));
    break;
  }
  sj_op_vec_free(&ops);
}

/* Index [i, j, ...] of linear element e of slot s. */
static void index_str(sj_function *f, int s, int64_t e, char *buf, size_t cap) {
  int r = f->slots[s].type.rank;
  int64_t idx[SJ_MAX_RANK];
  const int64_t *d = sj_api_dims(f, s);
  for (int k = r - 1; k >= 0; k--) {
    idx[k] = d[k] ? e % d[k] : 0;
    e = d[k] ? e / d[k] : 0;
  }
  size_t n = (size_t)snprintf(buf, cap, "[");
  for (int k = 0; k < r && n < cap; k++) n += (size_t)snprintf(buf + n, cap - n, "%s%lld", k ? ", " : "", (long long)idx[k]);
  if (n < cap) snprintf(buf + n, cap - n, "]");
}

static bool writes(const step *s, unsigned a) { return s->kind == ST_GEMM || s->kind == ST_CONV ? a == 2 : s->writes[a]; }

sj_status sj_dbg_guard_step(sj_function *f, const step *s) {
  for (unsigned a = 0; a < s->nargs; a++) {
    int out = s->args[a];
    if (!writes(s, a)) continue;
    int64_t e = first_nonfinite(f, out);
    if (e < 0) continue;
    for (unsigned b = 0; b < s->nargs; b++)
      if (!writes(s, b) && first_nonfinite(f, s->args[b]) >= 0) return SJ_OK; /* it came in */
    char opname[64], sh[160], ix[160];
    stored_op_name(f, s, a, opname, sizeof opname);
    sj_api_shape_str(f, out, sh, sizeof sh);
    index_str(f, out, e, ix, sizeof ix);
    const char *kernel = s->kind == ST_LAUNCH ? sj_op_sym(s->op, "kernel") : NULL;
    /* unnamed slots print as %<N>, which means nothing to a user */
    const char *name = strncmp(f->slots[out].name, "%<", 2) ? f->slots[out].name : "its result";
    return sj_api_fail(f->ctx, s->op, "NaN guard: '%s' produced %s from finite operands at element %lld %s of %s (%s)%s%s",
                       opname, kind_of(f, out, e), (long long)e, ix, name, sh, kernel ? ", in kernel @" : s->kind == ST_CONV ? ", in conv_gemm" : ", in BLAS gemm",
                       kernel ? kernel : "");
  }
  return SJ_OK;
}
