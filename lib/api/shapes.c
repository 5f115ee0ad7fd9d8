/* Call phase 1: the inputs against the signature, then every shape the call
 * computes (dims, allocs, reshapes, gemm operands) with its size checked,
 * then every launch's preconditions. Nothing is allocated and no kernel runs
 * until all of it passed, so a bad shape or an impossible size is an error
 * naming the value and its shape, never a wild write. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "support/checked.h"
#include "exec_internal.h"
#include "opinfo.h"
#include "slice.h"

void sj_api_shape_str(const sj_function *f, int s, char *buf, size_t cap) {
  const slot *sl = &f->slots[s];
  const int64_t *d = &f->dims[(size_t)s * SJ_MAX_RANK];
  size_t k = (size_t)snprintf(buf, cap, "%s[", sj_dtype_name(sl->type.dt));
  for (int i = 0; i < sl->type.rank && k < cap; i++) k += (size_t)snprintf(buf + k, cap - k, "%s%lld", i ? "," : "", (long long)d[i]);
  if (k < cap) snprintf(buf + k, cap - k, "]");
}

/* Slot s's current shape is usable: its element count, and the product of
 * its non-zero dims (the iterations of a loop nest over it, which would
 * otherwise run for ages over an empty tensor such as [2^40, 2^40, 0]), fit
 * in int64_t and its bytes in size_t. The dims are already non-negative. */
sj_status sj_api_check_extent(sj_function *f, const sj_op *op, int s, const char *what) {
  const slot *sl = &f->slots[s];
  const int64_t *d = sj_api_dims(f, s);
  int64_t n = 1, nz = 1;
  size_t bytes;
  const char *why = NULL;
  for (int k = 0; k < sl->type.rank && !why; k++) {
    if (!sj_mul_i64(nz, d[k] ? d[k] : 1, &nz)) why = "its non-zero dims multiply past 2^63-1";
    else n = d[k] ? n * d[k] : 0; /* n <= nz: no overflow */
  }
  if (!why && !sj_bytes_for(n, sj_dtype_size(sl->type.dt), &bytes)) why = "it needs more than SIZE_MAX bytes";
  if (!why) return SJ_OK;
  char sh[160];
  sj_api_shape_str(f, s, sh, sizeof sh);
  return sj_api_fail(f->ctx, op, "size overflow: %s %s would be %s and %s; nothing was run", what, sl->name, sh, why);
}

sj_status sj_api_check_inputs(sj_function *f, sj_tensor *const *in, size_t nin) {
  const char *fn = sj_func_name(f->func);
  if (nin != f->nin) return sj_api_fail(f->ctx, NULL, "@%s takes %zu inputs, got %zu", fn, f->nin, nin);
  for (size_t i = 0; i < nin; i++) {
    const slot *s = &f->slots[i];
    char want[SJ_TYPE_STR_CAP];
    sj_type_str(&s->type, want, sizeof want);
    if (!in[i]) return sj_api_fail(f->ctx, NULL, "@%s: input %zu (%s) is NULL", fn, i, s->name);
    const int64_t *d = sj_tensor_dims(in[i]);
    int r = sj_tensor_rank(in[i]);
    bool ok = sj_tensor_dtype(in[i]) == s->type.dt && r == s->type.rank;
    for (int k = 0; ok && k < r; k++) ok = d[k] >= 0 && (s->type.dims[k] == SJ_DYN || s->type.dims[k] == d[k]);
    if (!ok) {
      char got[SJ_TYPE_STR_CAP];
      sj_type t = sj_tensor_type(sj_tensor_dtype(in[i]), r > SJ_MAX_RANK ? SJ_MAX_RANK : r, d);
      sj_type_str(&t, got, sizeof got);
      return sj_api_fail(f->ctx, NULL, "@%s: input %zu (%s) must be %s, got %s", fn, i, s->name, want, got);
    }
    memcpy(sj_api_dims(f, (int)i), d, (size_t)r * sizeof *d);
    f->data[i] = sj_tensor_data(in[i]);
    sj_status st = sj_api_check_extent(f, NULL, (int)i, "input");
    if (st) return st;
  }
  return SJ_OK;
}

static sj_status shape_alloc(sj_function *f, const step *s) {
  const sj_type *t = &f->slots[s->out].type;
  unsigned a = 0;
  for (int k = 0; k < t->rank; k++) {
    int64_t v = t->dims[k] == SJ_DYN ? sj_api_dims(f, s->args[a++])[0] : t->dims[k];
    if (v < 0) return sj_api_fail(f->ctx, s->op, "negative size %lld for %s", (long long)v, f->slots[s->out].name);
    sj_api_dims(f, s->out)[k] = v;
  }
  return sj_api_check_extent(f, s->op, s->out, "the buffer");
}

/* Element count of a slot whose extent was checked. */
static int64_t numel(sj_function *f, int s) {
  int64_t n = 1;
  for (int k = 0; k < f->slots[s].type.rank; k++) n *= sj_api_dims(f, s)[k];
  return n;
}

static sj_status shape_reshape(sj_function *f, const step *s) {
  const sj_type *t = &f->slots[s->out].type;
  int64_t total = numel(f, s->args[0]), known = 1;
  int dyn = -1;
  for (int k = 0; k < t->rank; k++) {
    if (t->dims[k] == SJ_DYN) {
      if (dyn >= 0) return sj_api_fail(f->ctx, s->op, "reshape with more than one '?' dim is ambiguous");
      dyn = k;
    } else if (!sj_mul_i64(known, t->dims[k], &known)) {
      return sj_api_fail(f->ctx, s->op, "reshape of %s: the static dims of the target multiply past 2^63-1",
                         f->slots[s->args[0]].name);
    }
    sj_api_dims(f, s->out)[k] = t->dims[k];
  }
  if (dyn >= 0) sj_api_dims(f, s->out)[dyn] = known ? total / known : 0;
  sj_status st = sj_api_check_extent(f, s->op, s->out, "the reshape");
  if (!st && numel(f, s->out) != total)
    st = sj_api_fail(f->ctx, s->op, "cannot reshape %lld elements of %s to the requested shape", (long long)total,
                     f->slots[s->args[0]].name);
  return st;
}

static sj_status gemm_error(sj_function *f, const step *s, const char *what, long long x, long long y) {
  int a = s->args[0], b = s->args[1], c = s->args[2];
  char sa[128], sb[128], sc[128];
  sj_api_shape_str(f, a, sa, sizeof sa);
  sj_api_shape_str(f, b, sb, sizeof sb);
  sj_api_shape_str(f, c, sc, sizeof sc);
  return sj_api_fail(f->ctx, s->op, "matmul of %s (%s) and %s (%s) into %s (%s): %s %lld and %lld", f->slots[a].name, sa,
                     f->slots[b].name, sb, f->slots[c].name, sc, what, x, y);
}

/* Operands and result of a gemm agree, in the ranges BLAS takes (int dims),
 * with numpy-broadcast batch dims. */
static sj_status shape_gemm(sj_function *f, const step *s) {
  int a = s->args[0], b = s->args[1], c = s->args[2];
  int ra = f->slots[a].type.rank, rb = f->slots[b].type.rank, rc = f->slots[c].type.rank;
  const int64_t *da = sj_api_dims(f, a), *db = sj_api_dims(f, b), *dc = sj_api_dims(f, c);
  bool ta = s->trans_a, tb = s->trans_b;
  sj_dtype dt = f->slots[c].type.dt;
  if (dt != SJ_F32 && dt != SJ_F64)
    return sj_api_fail(f->ctx, s->op, "matmul of %s is not supported (BLAS runs f32 and f64)", sj_dtype_name(dt));
  int64_t m = da[ta ? ra - 1 : ra - 2], k1 = da[ta ? ra - 2 : ra - 1], k2 = db[tb ? rb - 1 : rb - 2], n = db[tb ? rb - 2 : rb - 1];
  if (k1 != k2) return gemm_error(f, s, "contracting dims", (long long)k1, (long long)k2);
  if (dc[rc - 2] != m || dc[rc - 1] != n) return gemm_error(f, s, "the result needs rows and columns", (long long)m, (long long)n);
  if (m > INT_MAX || n > INT_MAX || k1 > INT_MAX)
    return gemm_error(f, s, "BLAS takes int dims; rows/columns", (long long)m, (long long)n);
  for (int i = 0; i < rc - 2; i++) { /* batch dims, aligned from the right */
    int ja = ra - rc + i, jb = rb - rc + i;
    int64_t x = ja >= 0 ? da[ja] : 1, y = jb >= 0 ? db[jb] : 1, want = x == 1 ? y : x;
    if ((x != y && x != 1 && y != 1) || dc[i] != want) return gemm_error(f, s, "batch dims", (long long)x, (long long)y);
  }
  for (int i = 0; s->has_z && i < rc; i++) { /* the accumulator is shaped as the result */
    int64_t zi = sj_api_dims(f, s->args[3])[i];
    if (zi != dc[i]) return gemm_error(f, s, "the accumulator needs the result's dims", (long long)zi, (long long)dc[i]);
  }
  for (unsigned i = 0; s->epi && i < s->epi->nargs; i++) { /* row-sliced epilogue arguments have c's rows */
    int64_t r = sj_api_dims(f, s->epi->args[i])[0];
    if (s->epi_rows[i] && r != dc[0]) return gemm_error(f, s, "an epilogue argument sliced by rows needs the result's rows", (long long)r, (long long)dc[0]);
  }
  return SJ_OK;
}

/* slice_len %n: numpy's slice arithmetic (slice.h) on the call's n. */
static void shape_slice_len(sj_function *f, const step *s) {
  int64_t first, n = sj_api_dims(f, s->args[0])[0];
  sj_slice_resolve(n, sj_op_int(s->op, "start", 0), sj_op_int(s->op, "stop", 0), sj_op_int(s->op, "step", 1), &first,
                   &sj_api_dims(f, s->out)[0]);
}

/* Up to the first barrier: a scan whose results' shapes depend on data an
 * earlier step computes (exec_internal.h); the run resumes from there. */
sj_status sj_api_shapes_from(sj_function *f, int from) {
  f->shape_stop = f->nsteps;
  for (int i = from; i < f->nsteps; i++) {
    step *s = &f->steps[i];
    const sj_type *t = s->out >= 0 ? &f->slots[s->out].type : NULL;
    sj_status st = SJ_OK;
    switch (s->kind) {
    case ST_DIM: sj_api_dims(f, s->out)[0] = sj_api_dims(f, s->args[0])[sj_op_int(s->op, "axis", 0)]; break;
    case ST_ICONST: sj_api_dims(f, s->out)[0] = sj_op_int(s->op, "value", 0); break;
    case ST_SLICE_LEN: shape_slice_len(f, s); break;
    case ST_CONST: memcpy(sj_api_dims(f, s->out), t->dims, (size_t)t->rank * sizeof *t->dims); break;
    case ST_ALLOC: st = shape_alloc(f, s); break;
    case ST_RESHAPE: st = shape_reshape(f, s); break;
    case ST_LAUNCH: st = sj_api_check_launch(f, s); break;
    case ST_RANDOM:
      sj_api_random_shape(f, s);
      st = sj_api_check_extent(f, s->op, s->out, "the random draw");
      break;
    case ST_GEMM:
      st = shape_gemm(f, s);
      if (!st && s->epi) st = sj_api_check_launch(f, s->epi);
      break;
    case ST_CONV:
      st = sj_api_shape_conv(f, s);
      if (!st && s->epi) st = sj_api_check_launch(f, s->epi);
      break;
    case ST_SCAN:
      if (sj_api_scan_is_barrier(s)) {
        f->shape_stop = i;
        return SJ_OK;
      }
      st = sj_api_shape_scan(f, s);
      break;
    }
    if (st) return st;
  }
  return SJ_OK;
}

sj_status sj_api_shapes(sj_function *f) { return sj_api_shapes_from(f, 0); }
