/* Garbage never crashes the front end: for every example and IR test file,
 * parse (with verification) mutants made by deleting each token, truncating,
 * and overwriting random bytes, plus pure random bytes. Whatever parses must
 * print, and its printed form must parse again. Run under ASan+UBSan in CI. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define RANDOM_MUTANTS 300
#define RANDOM_BLOBS 200

typedef struct stats {
  long mutants, parsed;
  int failures;
} stats;

static uint64_t rng(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* Parses text; if it parses, print -> parse again must succeed. */
static void try_text(const char *what, const char *text, size_t len, stats *st) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m;
  st->mutants++;
  if (sj_parse_module(c, "mutant.sj", text, len, true, &m) == SJ_OK) {
    st->parsed++;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    sj_print_module(f, m);
    fclose(f);
    sj_ctx *c2 = sj_ctx_new();
    sj_module *m2;
    if (sj_parse_module(c2, "printed.sj", buf, n, true, &m2) != SJ_OK) {
      fprintf(stderr, "FAIL: printed form of a %s mutant does not parse:\n%s\n%s\n", what, sj_ctx_diags(c2), buf);
      st->failures++;
    }
    sj_ctx_free(c2);
    free(buf);
  } else if (sj_ctx_num_errors(c) == 0) {
    fprintf(stderr, "FAIL: a %s mutant failed without a diagnostic\n", what);
    st->failures++;
  }
  sj_ctx_free(c);
}

static bool tok_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
         ch == '%' || ch == '@' || ch == '.' || ch == '$' || ch == '-';
}

static void mutate_file(const char *text, size_t len, uint64_t seed, stats *st) {
  char *buf = malloc(len + 1);
  /* (a) delete each token */
  for (size_t i = 0; i < len;) {
    size_t j = i;
    if (tok_char(text[i])) while (j < len && tok_char(text[j])) j++;
    else j = i + 1;
    if (text[i] != ' ' && text[i] != '\n') {
      memcpy(buf, text, i);
      memcpy(buf + i, text + j, len - j);
      try_text("token-deleted", buf, len - (j - i), st);
    }
    i = j;
  }
  /* (b) truncations */
  for (int k = 0; k < 64; k++) try_text("truncated", text, len * (size_t)k / 64, st);
  /* (c) random byte overwrites, including NUL and high bytes */
  uint64_t s = seed | 1;
  for (int k = 0; k < RANDOM_MUTANTS && len; k++) {
    memcpy(buf, text, len);
    int flips = 1 + (int)(rng(&s) % 4);
    for (int f = 0; f < flips; f++) buf[rng(&s) % len] = (char)(rng(&s) & 0xff);
    try_text("byte-flipped", buf, len, st);
  }
  free(buf);
}

static char *read_all(const char *path, size_t *len) {
  char *t;
  return sj_read_file(path, &t, len) == SJ_OK ? t : NULL;
}

static void fuzz_dir(const char *dir, stats *st, int *files) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t n = strlen(e->d_name);
    if (n < 4 || strcmp(e->d_name + n - 3, ".sj")) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    size_t len;
    char *text = read_all(path, &len);
    if (!text) continue;
    mutate_file(text, len, (uint64_t)len * 2654435761u, st);
    free(text);
    (*files)++;
  }
  closedir(d);
}

int main(void) {
  stats st = {0};
  int files = 0;
  fuzz_dir(SJ_SOURCE_DIR "/examples", &st, &files);
  fuzz_dir(SJ_SOURCE_DIR "/test/IR", &st, &files);
  uint64_t s = 0x9E3779B97F4A7C15ull;
  char blob[512];
  for (int k = 0; k < RANDOM_BLOBS; k++) {
    size_t n = rng(&s) % sizeof blob;
    for (size_t i = 0; i < n; i++) blob[i] = (char)(rng(&s) & 0xff);
    try_text("random", blob, n, &st);
  }
  printf("fuzz_parser: %d files, %ld mutants, %ld parsed, %d failures\n", files, st.mutants, st.parsed, st.failures);
  return files >= 5 && st.failures == 0 ? 0 : 1;
}
