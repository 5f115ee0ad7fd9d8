/* .npy reading and writing (format 1.0 and 2.0, little-endian, C order). */
#define _POSIX_C_SOURCE 200809L /* fseeko, ftello */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

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
    return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: unsupported dtype %.20s", path, d);
  return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: unsupported dtype '%s'", path, what);
}

/* shape is a tuple of non-negative ints: (), (3,), (2, 3). Python 2 wrote
 * longs as 3L. Only the syntax is checked here; the size is checked once the
 * dtype is known. */
static sj_status parse_shape(const char *path, const char *s, int *rank, int64_t *dims, char *err,
                             size_t cap) {
  if (*s != '(') return sj_rt_err(err, cap, SJ_ERR_IO, "%s: malformed shape in .npy header", path);
  *rank = 0;
  for (s++;;) {
    while (*s == ' ') s++;
    if (*s == ')') return SJ_OK;
    char *end;
    errno = 0;
    long long v = *s >= '0' && *s <= '9' ? strtoll(s, &end, 10) : -1;
    if (v < 0) return sj_rt_err(err, cap, SJ_ERR_IO, "%s: malformed shape in .npy header", path);
    if (errno == ERANGE)
      return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: shape dim %.24s... does not fit in 64 bits", path, s);
    if (*rank == SJ_TENSOR_MAX_RANK)
      return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: arrays of rank > %d are not supported", path,
                     SJ_TENSOR_MAX_RANK);
    dims[(*rank)++] = v;
    s = end + (*end == 'L');
    while (*s == ' ') s++;
    if (*s == ',') s++;
    else if (*s != ')') return sj_rt_err(err, cap, SJ_ERR_IO, "%s: malformed shape in .npy header", path);
  }
}

/* numpy's own limit (the product of the non-zero dims times the element
 * size must fit), so (0, 2^63-1) is refused like np.empty refuses it. */
static sj_status check_size(const char *path, sj_dtype dt, int rank, const int64_t *dims, char *err,
                            size_t cap) {
  char why[160];
  if (!sj_tensor_check_shape(dt, rank, dims, NULL, why, sizeof why)) return SJ_OK;
  return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: %s", path, why);
}

static sj_status parse_header(const char *path, const char *h, sj_dtype *dt, int *rank, int64_t *dims,
                              char *err, size_t cap) {
  const char *d = dict_value(h, "descr"), *f = dict_value(h, "fortran_order"), *s = dict_value(h, "shape");
  if (!d || !f || !s) return sj_rt_err(err, cap, SJ_ERR_IO, "%s: malformed .npy header", path);
  if (!strncmp(f, "True", 4)) return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: fortran_order arrays are not supported", path);
  if (strncmp(f, "False", 5)) return sj_rt_err(err, cap, SJ_ERR_IO, "%s: malformed .npy header", path);
  sj_status st = parse_descr(path, d, dt, err, cap);
  if (!st) st = parse_shape(path, s, rank, dims, err, cap);
  return st ? st : check_size(path, *dt, *rank, dims, err, cap);
}

static sj_status read_header(FILE *fp, const char *path, char **hdr, char *err, size_t cap) {
  unsigned char pre[10];
  if (fread(pre, 1, 8, fp) != 8 || memcmp(pre, "\x93NUMPY", 6))
    return sj_rt_err(err, cap, SJ_ERR_IO, "%s: not a .npy file (bad magic)", path);
  size_t hl;
  if (pre[6] == 1) {
    if (fread(pre, 1, 2, fp) != 2) return sj_rt_err(err, cap, SJ_ERR_IO, "%s: file is truncated", path);
    hl = pre[0] | (size_t)pre[1] << 8;
  } else if (pre[6] == 2 || pre[6] == 3) {
    if (fread(pre, 1, 4, fp) != 4) return sj_rt_err(err, cap, SJ_ERR_IO, "%s: file is truncated", path);
    hl = pre[0] | (size_t)pre[1] << 8 | (size_t)pre[2] << 16 | (size_t)pre[3] << 24;
    if (hl > (1u << 20)) return sj_rt_err(err, cap, SJ_ERR_IO, "%s: header too large", path);
  } else {
    return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: unsupported .npy version %d", path, pre[6]);
  }
  *hdr = malloc(hl + 1);
  if (!*hdr) return sj_rt_err(err, cap, SJ_ERR_NOMEM, "%s: cannot allocate the %zu-byte header", path, hl + 1);
  if (fread(*hdr, 1, hl, fp) != hl) {
    free(*hdr);
    *hdr = NULL; /* the caller frees *hdr whatever the status */
    return sj_rt_err(err, cap, SJ_ERR_IO, "%s: file is truncated in the header", path);
  }
  (*hdr)[hl] = '\0';
  return SJ_OK;
}

/* Bytes left in fp after the current position, or -1 when it cannot seek
 * (a pipe): then the read itself finds a truncation. */
static long long bytes_left(FILE *fp) {
  off_t here = ftello(fp);
  if (here < 0 || fseeko(fp, 0, SEEK_END)) return -1;
  off_t end = ftello(fp);
  if (end < 0 || fseeko(fp, here, SEEK_SET)) return -1;
  return end - here;
}

/* The data must be there before it is allocated, so a header claiming
 * terabytes costs nothing. */
static sj_status read_data(FILE *fp, const char *path, sj_dtype dt, int rank, const int64_t *dims,
                           sj_tensor **out, char *err, size_t cap) {
  size_t want = 0;
  sj_tensor_check_shape(dt, rank, dims, &want, NULL, 0); /* checked by parse_header */
  long long left = bytes_left(fp);
  if (left >= 0 && (unsigned long long)left < want)
    return sj_rt_err(err, cap, SJ_ERR_IO, "%s: file is truncated: expected %zu bytes of data, found %lld", path,
                   want, left);
  sj_tensor *t = sj_tensor_new(dt, rank, dims);
  if (!t) return sj_rt_err(err, cap, SJ_ERR_NOMEM, "%s: cannot allocate %zu bytes for the array", path, want);
  size_t got = fread(sj_tensor_data(t), 1, want, fp);
  if (got != want) {
    sj_tensor_free(t);
    return sj_rt_err(err, cap, SJ_ERR_IO, "%s: file is truncated: expected %zu bytes of data, found %zu", path, want,
                   got);
  }
  *out = t;
  return SJ_OK;
}

sj_status sj_rt_npy_read(FILE *fp, const char *path, sj_tensor **out, char *err, size_t cap) {
  if (!fp || !path || !out) return sj_rt_err(err, cap, SJ_ERR_INVALID, "NULL argument");
  *out = NULL;
  char *hdr = NULL;
  sj_dtype dt = SJ_F32;
  int rank = 0;
  int64_t dims[SJ_TENSOR_MAX_RANK];
  sj_status st = read_header(fp, path, &hdr, err, cap);
  if (!st) st = parse_header(path, hdr, &dt, &rank, dims, err, cap);
  free(hdr);
  return st ? st : read_data(fp, path, dt, rank, dims, out, err, cap);
}

sj_status sj_npy_load(const char *path, sj_tensor **out, char *err, size_t cap) {
  if (!path || !out) return sj_rt_err(err, cap, SJ_ERR_INVALID, "NULL argument");
  *out = NULL;
  FILE *fp = fopen(path, "rb");
  if (!fp) return sj_rt_err(err, cap, SJ_ERR_IO, "%s: cannot open file", path);
  sj_status st = sj_rt_npy_read(fp, path, out, err, cap);
  fclose(fp);
  return st;
}

sj_status sj_npy_save(const char *path, const sj_tensor *t, char *err, size_t cap) {
  if (!path || !t) return sj_rt_err(err, cap, SJ_ERR_INVALID, "NULL argument");
  const char *descr = NULL;
  for (size_t i = 0; i < sizeof descrs / sizeof descrs[0]; i++)
    if (descrs[i].dt == sj_tensor_dtype(t)) descr = descrs[i].descr;
  if (!descr) return sj_rt_err(err, cap, SJ_ERR_UNSUPPORTED, "%s: dtype %d cannot be saved as .npy", path, (int)sj_tensor_dtype(t));
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
  if (!fp) return sj_rt_err(err, cap, SJ_ERR_IO, "%s: cannot create file", path);
  size_t hl = (size_t)n + pad + 1;
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hl & 0xff), (unsigned char)(hl >> 8)};
  bool ok = fwrite(pre, 1, 10, fp) == 10 && fwrite(hdr, 1, (size_t)n, fp) == (size_t)n;
  for (size_t i = 0; ok && i < pad; i++) ok = fputc(' ', fp) != EOF;
  ok = ok && fputc('\n', fp) != EOF;
  size_t nbytes = sj_tensor_nbytes(t);
  ok = ok && (!nbytes || fwrite(sj_tensor_data(t), 1, nbytes, fp) == nbytes);
  ok = (fclose(fp) == 0) && ok;
  return ok ? SJ_OK : sj_rt_err(err, cap, SJ_ERR_IO, "%s: write failed", path);
}
