/* Types: dtypes, shapes, numpy broadcasting, and their text form. */
#include <stdio.h>
#include <string.h>

#include "ir.h"
#include "support/checked.h"

static const char *const dtype_names[SJ_DTYPE_COUNT] = {"f16", "bf16", "f32", "f64",
                                                        "i8",  "i32",  "i64", "bool"};
/* as sj_dtype_size of the runtime, which lib/ir does not call */
static const size_t dtype_sizes[SJ_DTYPE_COUNT] = {2, 2, 4, 8, 1, 4, 8, 1};

const char *sj_dtype_name(sj_dtype dt) {
  return (unsigned)dt < SJ_DTYPE_COUNT ? dtype_names[dt] : "?dtype";
}

bool sj_dtype_parse(const char *s, size_t n, sj_dtype *out) {
  for (int i = 0; i < SJ_DTYPE_COUNT; i++)
    if (strlen(dtype_names[i]) == n && memcmp(dtype_names[i], s, n) == 0) {
      *out = (sj_dtype)i;
      return true;
    }
  return false;
}

bool sj_dtype_is_float(sj_dtype dt) {
  return dt == SJ_F16 || dt == SJ_BF16 || dt == SJ_F32 || dt == SJ_F64;
}

int64_t sj_dtype_int_min(sj_dtype dt) { return dt == SJ_I8 ? INT8_MIN : dt == SJ_I32 ? INT32_MIN : dt == SJ_BOOL ? 0 : INT64_MIN; }
int64_t sj_dtype_int_max(sj_dtype dt) { return dt == SJ_I8 ? INT8_MAX : dt == SJ_I32 ? INT32_MAX : dt == SJ_BOOL ? 1 : INT64_MAX; }
bool sj_dtype_is_int(sj_dtype dt) { return dt == SJ_I8 || dt == SJ_I32 || dt == SJ_I64; }

sj_type sj_scalar_type(sj_dtype dt) {
  sj_type t;
  memset(&t, 0, sizeof t);
  t.dt = dt;
  return t;
}

sj_type sj_tensor_type(sj_dtype dt, int rank, const int64_t *dims) {
  sj_type t = sj_scalar_type(dt);
  t.is_tensor = true;
  t.rank = rank;
  for (int i = 0; i < rank; i++) t.dims[i] = dims[i];
  return t;
}

bool sj_type_eq(const sj_type *a, const sj_type *b) {
  if (a->dt != b->dt || a->is_tensor != b->is_tensor || a->rank != b->rank) return false;
  for (int i = 0; i < a->rank; i++)
    if (a->dims[i] != b->dims[i]) return false;
  return true;
}

char *sj_type_str(const sj_type *t, char *buf, size_t cap) {
  size_t k = (size_t)snprintf(buf, cap, "%s", sj_dtype_name(t->dt));
  if (!t->is_tensor || k >= cap) return buf;
  k += (size_t)snprintf(buf + k, cap - k, "[");
  for (int i = 0; i < t->rank && k < cap; i++) {
    if (t->dims[i] == SJ_DYN)
      k += (size_t)snprintf(buf + k, cap - k, "%s?", i ? "," : "");
    else
      k += (size_t)snprintf(buf + k, cap - k, "%s%lld", i ? "," : "", (long long)t->dims[i]);
  }
  if (k < cap) snprintf(buf + k, cap - k, "]");
  return buf;
}

/* numpy: align trailing dims; each pair must be equal or one of them 1. */
bool sj_broadcast_shapes(const sj_type *a, const sj_type *b, sj_type *out) {
  int r = a->rank > b->rank ? a->rank : b->rank;
  sj_type t = *a;
  t.is_tensor = a->is_tensor || b->is_tensor;
  t.rank = r;
  for (int i = 0; i < r; i++) {
    int ia = a->rank - r + i, ib = b->rank - r + i;
    int64_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
    int64_t d;
    if (da == db) d = da;
    else if (da == 1) d = db;
    else if (db == 1) d = da;
    else if (da == SJ_DYN) d = db; /* `?` must be db (or 1) at run time */
    else if (db == SJ_DYN) d = da;
    else return false;
    t.dims[i] = d;
  }
  *out = t;
  return true;
}

bool sj_broadcastable_to(const sj_type *from, const sj_type *to) {
  if (from->rank > to->rank) return false;
  for (int i = 0; i < from->rank; i++) {
    int64_t f = from->dims[i], d = to->dims[to->rank - from->rank + i];
    if (f != d && f != 1 && f != SJ_DYN && d != SJ_DYN) return false;
  }
  return true;
}

int64_t sj_type_numel(const sj_type *t) {
  int64_t n = 1;
  for (int i = 0; i < t->rank; i++) {
    if (t->dims[i] == SJ_DYN || !sj_mul_i64(n, t->dims[i], &n)) return -1;
  }
  return n;
}

bool sj_type_fits(const sj_type *t) {
  if (!t->is_tensor) return true;
  int64_t d[SJ_MAX_RANK];
  for (int i = 0; i < t->rank; i++) d[i] = t->dims[i] == SJ_DYN ? 1 : t->dims[i];
  size_t bytes;
  return (unsigned)t->dt < SJ_DTYPE_COUNT && sj_shape_bytes(d, t->rank, dtype_sizes[t->dt], &bytes);
}

int64_t sj_broadcast_index(const int64_t *out, int out_rank, const int64_t *in, int in_rank, int64_t lin) {
  int64_t idx = 0, stride = 1;
  for (int k = out_rank - 1, j = in_rank - 1; k >= 0; k--, j--) {
    int64_t ok = lin % out[k];
    lin /= out[k];
    if (j < 0) continue;
    if (in[j] != 1) idx += ok * stride;
    stride *= in[j];
  }
  return idx;
}
