/* Fashion-MNIST idx.gz reader and the data helpers of the training loop
 * (see header); no symjit here: examples/mlp_classify.c links it with the
 * AOT runtime only. The loop itself: fashion_mnist_train.c. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "fashion_mnist.h"

#define IMAGE_BYTES 784 /* 28 x 28 */

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* Reads up to `want` bytes into *buf, growing it as data arrives (so a
 * header that announces terabytes costs nothing until the data is there).
 * Returns the count read, or -1 after a message on corrupt data or when
 * memory runs out. */
static int64_t read_upto(gzFile f, const char *path, unsigned char **buf, size_t want) {
  size_t cap = 0, n = 0;
  *buf = NULL;
  while (n < want) {
    if (n == cap) {
      size_t grow = cap ? cap : 1 << 20;
      cap = want - cap < grow ? want : cap + grow;
      unsigned char *b = realloc(*buf, cap);
      if (!b) {
        fprintf(stderr, "error: %s: out of memory reading %zu bytes\n", path, want);
        return -1;
      }
      *buf = b;
    }
    size_t chunk = cap - n < (1u << 30) ? cap - n : (1u << 30);
    int k = gzread(f, *buf + n, (unsigned)chunk);
    if (k < 0) {
      fprintf(stderr, "error: %s: corrupt gzip data\n", path);
      return -1;
    }
    if (k == 0) break;
    n += (size_t)k;
  }
  return (int64_t)n;
}

/* One idx file: `hlen` header bytes (magic, count, and for images rows and
 * cols), then `count` items of `item` bytes. Reads what the header announces
 * and no more: a stream that goes on (a gzip bomb: a few kilobytes that
 * inflate to gigabytes) is refused after one extra byte, and a short one is
 * reported by the caller from `len`. */
typedef struct idx_file {
  const char *path;
  uint32_t magic, count, rows, cols;
  unsigned char *data;
  size_t len; /* bytes read after the header */
} idx_file;

static int read_idx(idx_file *f, size_t hlen, size_t item) {
  f->data = NULL;
  f->len = 0;
  gzFile g = gzopen(f->path, "rb");
  if (!g) {
    fprintf(stderr, "error: cannot open %s (install Debian's dataset-fashion-mnist or pass --data DIR)\n", f->path);
    return 1;
  }
  unsigned char hdr[16] = {0};
  int k = gzread(g, hdr, (unsigned)hlen);
  if (k < 0) {
    fprintf(stderr, "error: %s: corrupt gzip data\n", f->path);
    gzclose(g);
    return 1;
  }
  f->magic = (size_t)k == hlen ? be32(hdr) : 0;
  f->count = be32(hdr + 4);
  f->rows = be32(hdr + 8);
  f->cols = be32(hdr + 12);
  /* other magics and image sizes are reported by the caller; their data is
   * not read. want <= 2^32 * 784: no overflow. */
  size_t want = (size_t)f->count * item;
  bool shape_ok = hlen == 8 || (f->rows == 28 && f->cols == 28);
  int rc = 0;
  if (f->magic && shape_ok) {
    int64_t n = read_upto(g, f->path, &f->data, want);
    unsigned char extra;
    if (n < 0) rc = 1;
    else if ((f->len = (size_t)n) == want && gzread(g, &extra, 1) != 0) {
      fprintf(stderr, "error: %s: more data than its header announces (%u %s)\n", f->path, f->count,
              hlen == 16 ? "images of 28x28" : "labels");
      rc = 1;
    }
  }
  gzclose(g);
  if (rc) {
    free(f->data);
    f->data = NULL;
  }
  return rc;
}

int fm_load(const char *dir, const char *prefix, dataset *out) {
  char ip[1024], lp[1024];
  snprintf(ip, sizeof ip, "%s/%s-images-idx3-ubyte.gz", dir, prefix);
  snprintf(lp, sizeof lp, "%s/%s-labels-idx1-ubyte.gz", dir, prefix);
  *out = (dataset){0};
  idx_file im = {.path = ip}, lb = {.path = lp};
  if (read_idx(&im, 16, IMAGE_BYTES)) return 1;
  if (read_idx(&lb, 8, 1)) {
    free(im.data);
    return 1;
  }
  int rc = 1;
  if (im.magic != 0x803 || lb.magic != 0x801) {
    fprintf(stderr, "error: %s or %s is not an idx file (bad magic)\n", ip, lp);
  } else if (im.rows != 28 || im.cols != 28 || im.count != lb.count) {
    fprintf(stderr, "error: %s: expected 28x28 images and as many labels as images\n", ip);
  } else if (im.len < (size_t)im.count * IMAGE_BYTES || lb.len < lb.count) {
    fprintf(stderr, "error: %s or %s is truncated\n", ip, lp);
  } else if (!(out->x = malloc(((size_t)im.count * IMAGE_BYTES + 1) * sizeof *out->x)) ||
             !(out->y = malloc(((size_t)im.count + 1) * sizeof *out->y))) {
    fprintf(stderr, "error: %s: out of memory for %u images\n", ip, im.count);
  } else {
    out->n = im.count;
    for (int64_t i = 0; i < out->n * IMAGE_BYTES; i++) out->x[i] = im.data[i] / 255.0f;
    rc = 0;
    for (int64_t i = 0; i < out->n && !rc; i++) {
      out->y[i] = lb.data[i];
      if (out->y[i] > 9) {
        fprintf(stderr, "error: %s: label %d out of range\n", lp, out->y[i]);
        rc = 1;
      }
    }
  }
  free(im.data);
  free(lb.data);
  if (rc) fm_free(out);
  return rc;
}

int fm_load_splits(const train_opts *o, dataset *train, dataset *test) {
  if (fm_load(o->data, "train", train)) return 1;
  if (fm_load(o->data, "t10k", test)) {
    fm_free(train);
    return 1;
  }
  if (o->limit > 0 && o->limit < train->n) train->n = o->limit;
  /* an empty split would print a NaN loss or accuracy */
  const char *empty = !train->n ? "train" : !test->n ? "t10k" : NULL;
  if (empty) {
    fprintf(stderr, "error: %s/%s-images-idx3-ubyte.gz has no images (loss and accuracy need at least one)\n",
            o->data, empty);
    fm_free(train);
    fm_free(test);
    return 1;
  }
  return 0;
}

void fm_free(dataset *d) {
  free(d->x);
  free(d->y);
  *d = (dataset){0};
}

/* A whole decimal number in [lo, hi] (atoi would wrap 99999999999). */
static int parse_int(const char *s, long long lo, long long hi, long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (end == s || *end || errno || v < lo || v > hi) return 1;
  *out = v;
  return 0;
}

int fm_parse_args(int argc, char **argv, train_opts *o, const char *name) {
  long long v = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    int bad = 0;
    if (!strcmp(a, "--epochs") && val) bad = parse_int(val, 1, INT_MAX, &v), o->epochs = (int)v, i++;
    else if (!strcmp(a, "--batch") && val) bad = parse_int(val, 1, INT_MAX, &v), o->batch = (int)v, i++;
    else if (!strcmp(a, "--lr") && val) o->lr = atof(val), i++;
    else if (!strcmp(a, "--momentum") && val) o->momentum = atof(val), i++;
    else if (!strcmp(a, "--seed") && val) o->seed = strtoull(val, NULL, 10), i++;
    else if (!strcmp(a, "--data") && val) o->data = val, i++;
    else if (!strcmp(a, "--limit") && val) bad = parse_int(val, 1, LLONG_MAX, &v), o->limit = v, i++;
    else if (!strcmp(a, "--check-loss-falls")) o->check_falls = 1;
    else if (!strcmp(a, "--export") && val) o->export_dir = val, i++;
    else {
      fprintf(stderr, "usage: %s [--epochs N] [--batch N] [--lr X] [--momentum X] [--seed N] [--data DIR] [--limit N] [--check-loss-falls] [--export DIR]\n", name);
      return 1;
    }
    if (bad) {
      fprintf(stderr, "%s: %s %s: expected a whole number from 1 to %lld\n", name, a, val,
              !strcmp(a, "--limit") ? LLONG_MAX : (long long)INT_MAX);
      return 1;
    }
  }
  if (o->epochs < 1 || o->batch < 1 || !(o->lr > 0) || o->momentum < 0 || o->momentum >= 1) {
    fprintf(stderr, "%s: --epochs and --batch must be positive, --lr > 0, 0 <= --momentum < 1\n", name);
    return 1;
  }
  return 0;
}

void fm_gather(const dataset *d, const int64_t *perm, int64_t from, int64_t n, float *x, int32_t *y) {
  for (int64_t i = 0; i < n; i++) {
    int64_t r = perm[from + i];
    memcpy(x + i * 784, d->x + r * 784, 784 * sizeof *x);
    y[i] = d->y[r];
  }
}

static uint64_t next(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

void fm_shuffle(int64_t *perm, int64_t n, uint64_t *state) {
  for (int64_t i = n - 1; i > 0; i--) {
    int64_t j = (int64_t)(next(state) % (uint64_t)(i + 1)), t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
}

double fm_now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
