/* Text loading, batches and sampling for the character-level LSTM. */
#include "char_data.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_all(const char *path, uint8_t **out, int64_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "error: cannot open %s: %s\n", path, strerror(errno));
    return 1;
  }
  size_t cap = 1 << 16, len = 0;
  uint8_t *buf = malloc(cap);
  while (buf) {
    len += fread(buf + len, 1, cap - len, f);
    if (len < cap) break;
    uint8_t *nb = realloc(buf, cap * 2);
    if (!nb) free(buf);
    buf = nb, cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (!buf || bad) {
    fprintf(stderr, "error: cannot read %s: %s\n", path, buf ? "read error" : "out of memory");
    free(buf);
    return 1;
  }
  *out = buf, *n = (int64_t)len;
  return 0;
}

int char_text_load(const char *path, int64_t min_len, char_text *t) {
  memset(t, 0, sizeof *t);
  if (read_all(path, &t->bytes, &t->n)) return 1;
  if (t->n < min_len) {
    fprintf(stderr, "error: %s has %lld bytes; a training window needs at least %lld\n", path, (long long)t->n,
            (long long)min_len);
    char_text_free(t);
    return 1;
  }
  int seen[256] = {0};
  for (int64_t i = 0; i < t->n; i++) seen[t->bytes[i]] = 1;
  for (int b = 0; b < 256; b++) {
    t->index[b] = -1;
    if (seen[b]) t->chars[t->vocab] = (uint8_t)b, t->index[b] = (int16_t)t->vocab++;
  }
  t->ids = malloc((size_t)(t->n ? t->n : 1) * sizeof *t->ids);
  if (!t->ids) {
    fprintf(stderr, "error: out of memory loading %s\n", path);
    char_text_free(t);
    return 1;
  }
  for (int64_t i = 0; i < t->n; i++) t->ids[i] = t->index[t->bytes[i]];
  return 0;
}

void char_text_free(char_text *t) {
  free(t->bytes), free(t->ids);
  t->bytes = NULL, t->ids = NULL, t->n = 0, t->vocab = 0;
}

uint64_t char_rng_next(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

double char_rng_uniform(uint64_t *state) { return (double)(char_rng_next(state) >> 11) * 0x1.0p-53; }

void char_sample_batch(const char_text *t, int batch, int seq, uint64_t *rng, int32_t *x, int32_t *y) {
  /* offsets 0 .. n-seq-1: the window's seq+1 characters fit */
  uint64_t span = (uint64_t)(t->n - seq);
  for (int b = 0; b < batch; b++) {
    int64_t off = (int64_t)(char_rng_next(rng) % span);
    for (int s = 0; s < seq; s++) {
      x[(size_t)s * (size_t)batch + (size_t)b] = t->ids[off + s];
      y[(size_t)s * (size_t)batch + (size_t)b] = t->ids[off + s + 1];
    }
  }
}

int64_t char_encode(const char_text *t, const char *s, int32_t *ids) {
  int64_t m = 0;
  for (; *s; s++)
    if (t->index[(uint8_t)*s] >= 0) ids[m++] = t->index[(uint8_t)*s];
  return m;
}
