/* .npy reading and writing (format 1.0 and 2.0, little-endian, C order). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symjit/tensor.h"

static sj_status npy_err(char *err, size_t cap, sj_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static sj_status npy_err(char *err, size_t cap, sj_status st, const char *fmt, ...) {
  if (err && cap) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
  }
  return st;
}

static const struct {
  const char *descr;
  sj_dtype dt;
} descrs[] = {{"<f4", SJ_F32}, {"<f8", SJ_F64}, {"<i4", SJ_I32}, {"<i8", SJ_I64},
              {"|i1", SJ_I8},  {"|b1", SJ_BOOL}, {"<f2", SJ_F16}};

/* Finds 'key' in the header dict and returns the text after its colon. */
static const char *dict_value(const char *h, const char *key) {
  char pat[32];
  snprintf(pat, sizeof pat, "'%s'", key);
  const char *p = strstr(h, pat);
  if (!p) return NULL;
  p = strchr(p + strlen(pat), ':');
  if (!p) return NULL;
  p++;
  while (*p == ' ') p++;
  return p;
}

/* descr must be one of ours, quoted as numpy writes it: '<f4'. */
static sj_status parse_descr(const char *path, const char *d, sj_dtype *dt, char *err, size_t cap) {
  for (size_t i = 0; i < sizeof descrs / sizeof descrs[0]; i++) {
    size_t n = strlen(descrs[i].descr);
    if (d[0] == '\'' && !strncmp(d + 1, descrs[i].descr, n) && d[1 + n] == '\'') {
      *dt = descrs[i].dt;
      return SJ_OK;
    }
  }
  char what[24] = "";
  if (sscanf(d, "'%23[^']'", what) != 1) /* not a plain string: structured dtype */
    return npy_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: unsupported dtype %.20s", path, d);
  return npy_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: unsupported dtype '%s'", path, what);
}

/* shape is a tuple of non-negative ints: (), (3,), (2, 3). Python 2 wrote
 * longs as 3L. The element count must fit in memory sizes. */
static sj_status parse_shape(const char *path, const char *s, int *rank, int64_t *dims, char *err,
                             size_t cap) {
  if (*s != '(') return npy_err(err, cap, SJ_ERR_IO, "%s: malformed shape in .npy header", path);
  uint64_t total = 1;
  *rank = 0;
  for (s++;;) {
    while (*s == ' ' || *s == ',') s++;
    if (*s == ')') return SJ_OK;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || v < 0) return npy_err(err, cap, SJ_ERR_IO, "%s: malformed shape in .npy header", path);
    if (*rank == SJ_TENSOR_MAX_RANK)
      return npy_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: arrays of rank > %d are not supported", path,
                     SJ_TENSOR_MAX_RANK);
    if (v && total > (UINT64_C(1) << 60) / (uint64_t)v)
      return npy_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: shape is too large", path);
    total *= (uint64_t)v;
    dims[(*rank)++] = v;
    s = end + (*end == 'L');
  }
}

static sj_status parse_header(const char *path, const char *h, sj_dtype *dt, int *rank, int64_t *dims,
                              char *err, size_t cap) {
  const char *d = dict_value(h, "descr"), *f = dict_value(h, "fortran_order"), *s = dict_value(h, "shape");
  if (!d || !f || !s) return npy_err(err, cap, SJ_ERR_IO, "%s: malformed .npy header", path);
  if (!strncmp(f, "True", 4)) return npy_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: fortran_order arrays are not supported", path);
  if (strncmp(f, "False", 5)) return npy_err(err, cap, SJ_ERR_IO, "%s: malformed .npy header", path);
  sj_status st = parse_descr(path, d, dt, err, cap);
  return st ? st : parse_shape(path, s, rank, dims, err, cap);
}

static sj_status read_header(FILE *fp, const char *path, char **hdr, char *err, size_t cap) {
  unsigned char pre[10];
  if (fread(pre, 1, 8, fp) != 8 || memcmp(pre, "\x93NUMPY", 6))
    return npy_err(err, cap, SJ_ERR_IO, "%s: not a .npy file (bad magic)", path);
  size_t hl;
  if (pre[6] == 1) {
    if (fread(pre, 1, 2, fp) != 2) return npy_err(err, cap, SJ_ERR_IO, "%s: file is truncated", path);
    hl = pre[0] | (size_t)pre[1] << 8;
  } else if (pre[6] == 2 || pre[6] == 3) {
    if (fread(pre, 1, 4, fp) != 4) return npy_err(err, cap, SJ_ERR_IO, "%s: file is truncated", path);
    hl = pre[0] | (size_t)pre[1] << 8 | (size_t)pre[2] << 16 | (size_t)pre[3] << 24;
    if (hl > (1u << 20)) return npy_err(err, cap, SJ_ERR_IO, "%s: header too large", path);
  } else {
    return npy_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: unsupported .npy version %d", path, pre[6]);
  }
  *hdr = malloc(hl + 1);
  if (!*hdr) return SJ_ERR_NOMEM;
  if (fread(*hdr, 1, hl, fp) != hl) {
    free(*hdr);
    *hdr = NULL; /* the caller frees *hdr whatever the status */
    return npy_err(err, cap, SJ_ERR_IO, "%s: file is truncated in the header", path);
  }
  (*hdr)[hl] = '\0';
  return SJ_OK;
}

sj_status sj_npy_load(const char *path, sj_tensor **out, char *err, size_t cap) {
  if (!path || !out) return npy_err(err, cap, SJ_ERR_INVALID, "NULL argument");
  *out = NULL;
  FILE *fp = fopen(path, "rb");
  if (!fp) return npy_err(err, cap, SJ_ERR_IO, "%s: cannot open file", path);
  char *hdr = NULL;
  sj_dtype dt = SJ_F32;
  int rank = 0;
  int64_t dims[SJ_TENSOR_MAX_RANK];
  sj_status st = read_header(fp, path, &hdr, err, cap);
  if (!st) st = parse_header(path, hdr, &dt, &rank, dims, err, cap);
  free(hdr);
  sj_tensor *t = st ? NULL : sj_tensor_new(dt, rank, dims);
  if (!st && !t) st = npy_err(err, cap, SJ_ERR_NOMEM, "%s: cannot allocate the array", path);
  if (!st) {
    size_t want = sj_tensor_nbytes(t), got = fread(sj_tensor_data(t), 1, want, fp);
    if (got != want)
      st = npy_err(err, cap, SJ_ERR_IO, "%s: file is truncated: expected %zu bytes of data, found %zu", path, want, got);
  }
  fclose(fp);
  if (st) sj_tensor_free(t);
  else *out = t;
  return st;
}

sj_status sj_npy_save(const char *path, const sj_tensor *t, char *err, size_t cap) {
  if (!path || !t) return npy_err(err, cap, SJ_ERR_INVALID, "NULL argument");
  const char *descr = NULL;
  for (size_t i = 0; i < sizeof descrs / sizeof descrs[0]; i++)
    if (descrs[i].dt == sj_tensor_dtype(t)) descr = descrs[i].descr;
  if (!descr) return npy_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: dtype %d cannot be saved as .npy", path, (int)sj_tensor_dtype(t));
  char shape[256] = "";
  size_t k = 0;
  for (int i = 0; i < sj_tensor_rank(t); i++)
    k += (size_t)snprintf(shape + k, sizeof shape - k, "%lld,%s", (long long)sj_tensor_dims(t)[i],
                          sj_tensor_rank(t) > 1 && i + 1 < sj_tensor_rank(t) ? " " : "");
  if (sj_tensor_rank(t) > 1 && k) shape[--k] = '\0'; /* numpy: (2, 3) but (3,) */
  char hdr[512];
  int n = snprintf(hdr, sizeof hdr, "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, shape);
  size_t total = 10 + (size_t)n + 1, pad = (64 - total % 64) % 64;
  FILE *fp = fopen(path, "wb");
  if (!fp) return npy_err(err, cap, SJ_ERR_IO, "%s: cannot create file", path);
  size_t hl = (size_t)n + pad + 1;
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hl & 0xff), (unsigned char)(hl >> 8)};
  bool ok = fwrite(pre, 1, 10, fp) == 10 && fwrite(hdr, 1, (size_t)n, fp) == (size_t)n;
  for (size_t i = 0; ok && i < pad; i++) ok = fputc(' ', fp) != EOF;
  ok = ok && fputc('\n', fp) != EOF;
  size_t nbytes = sj_tensor_nbytes(t);
  ok = ok && (!nbytes || fwrite(sj_tensor_data(t), 1, nbytes, fp) == nbytes);
  ok = (fclose(fp) == 0) && ok;
  return ok ? SJ_OK : npy_err(err, cap, SJ_ERR_IO, "%s: write failed", path);
}
