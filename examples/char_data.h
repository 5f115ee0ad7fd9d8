/* Text data for the character-level LSTM (examples/char_lstm.c, its
 * benchmark and hand-written reference in bench/): the text, its
 * vocabulary of distinct bytes and seeded batches of windows (sampling is
 * a graph op: examples/char_model.c). Plain C, no symjit. */
#ifndef SJ_EXAMPLES_CHAR_DATA_H
#define SJ_EXAMPLES_CHAR_DATA_H
#include <stddef.h>
#include <stdint.h>

#define CHAR_DEFAULT_TEXT "/usr/share/common-licenses/GPL-3"

typedef struct char_text {
  uint8_t *bytes;      /* the file's bytes */
  int32_t *ids;        /* the same, as vocabulary indices */
  int64_t n;           /* number of bytes */
  int vocab;           /* distinct bytes */
  uint8_t chars[256];  /* index -> byte, in increasing byte order */
  int16_t index[256];  /* byte -> index, -1 when absent */
} char_text;

/* Loads `path`. On error prints what is wrong to stderr (naming the file),
 * leaves *t empty and returns non-zero; a text shorter than min_len bytes is
 * an error (a window of min_len characters must fit). */
int char_text_load(const char *path, int64_t min_len, char_text *t);
void char_text_free(char_text *t);

/* A small seeded generator (splitmix64): the same seed gives the same
 * batches on every machine. */
uint64_t char_rng_next(uint64_t *state);
double char_rng_uniform(uint64_t *state); /* [0, 1) with 53 bits */

/* `batch` windows of seq+1 characters at uniform random offsets: x holds
 * characters 0..seq-1 and y characters 1..seq of each window, time-major
 * (x[t * batch + b]), as vocabulary indices. */
void char_sample_batch(const char_text *t, int batch, int seq, uint64_t *rng, int32_t *x, int32_t *y);

/* The vocabulary index of each byte of the string s into ids (room for
 * strlen(s)); returns the number written, skipping bytes outside the
 * vocabulary. */
int64_t char_encode(const char_text *t, const char *s, int32_t *ids);
#endif
