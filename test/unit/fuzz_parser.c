/* Garbage never crashes the front end. For every .sj file of the examples
 * and the test suite, parse (with verification) mutants made by
 *   (a) deleting each token in turn,
 *   (b) truncating at every k*len/64,
 *   (c) overwriting, inserting and deleting random bytes (seeded; NUL and
 *       bytes >= 0x80 included),
 * plus (d) pure random bytes, random token soup and deeply nested regions.
 * Whatever parses must print, its printed form must parse and verify again
 * and print to the same text (the printer's fixed point). A mutant that is
 * rejected must come with a diagnostic. The test passes if it finishes with
 * no failure; a crash or a sanitizer report fails it (CI runs it under
 * ASan+UBSan). SJ_FUZZ_MUTANTS overrides the per-file count of (c). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "text.h"

#ifndef SJ_SOURCE_DIR
#define SJ_SOURCE_DIR NULL
#endif

enum {
  DEFAULT_MUTANTS = 2000, /* per file, at most */
  TOTAL_EDITS = 100000,   /* all files together: ~30 s under ASan on 2 busy cores */
  RANDOM_BLOBS = 2000,
  TOKEN_SOUPS = 3000,
  MAX_FILES = 512,
};

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

static char *print_to_string(const sj_module *m, size_t *n) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, n);
  if (!f) return NULL;
  sj_print_module(f, m);
  fclose(f);
  return buf;
}

static void report(const char *what, const char *why, const char *detail, const char *text,
                   size_t len, stats *st) {
  fprintf(stderr, "FAIL: %s mutant: %s\n%s\n--- input (%zu bytes) ---\n%.*s\n---\n", what, why,
          detail ? detail : "", len, (int)(len > 4000 ? 4000 : len), text);
  st->failures++;
}

/* Parses text; if it parses: print, parse again, print again, compare. */
static void try_text(const char *what, const char *text, size_t len, stats *st) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m;
  st->mutants++;
  if (sj_parse_module(c, "mutant.sj", text, len, true, &m) != SJ_OK) {
    if (sj_ctx_num_errors(c) == 0 || !strstr(sj_ctx_diags(c), "error: "))
      report(what, "rejected without a diagnostic", NULL, text, len, st);
    sj_ctx_free(c);
    return;
  }
  st->parsed++;
  size_t n1 = 0, n2 = 0;
  char *p1 = print_to_string(m, &n1), *p2 = NULL;
  sj_ctx *c2 = sj_ctx_new();
  sj_module *m2;
  if (!p1) {
    report(what, "open_memstream failed", NULL, text, len, st);
  } else if (sj_parse_module(c2, "printed.sj", p1, n1, true, &m2) != SJ_OK) {
    report(what, "its printed form does not parse", sj_ctx_diags(c2), p1, n1, st);
  } else if (!(p2 = print_to_string(m2, &n2)) || n1 != n2 || memcmp(p1, p2, n1) != 0) {
    report(what, "printing is not a fixed point; first print:", p1, p2 ? p2 : "", n2, st);
  }
  free(p1);
  free(p2);
  sj_ctx_free(c2);
  sj_ctx_free(c);
}

static int tok_char(unsigned char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         ch == '_' || ch == '%' || ch == '@' || ch == '.' || ch == '$' || ch == '-';
}

/* (a) every token deleted in turn: a maximal run of name characters, or a
 * single other non-space byte. */
/* Inside a `//` comment only the first '/' is deleted (that uncomments the
 * line); the comment's words (the tests' CHECK lines) cannot change the parse,
 * and deleting each of them made this quadratic pass the slowest test under
 * ASan. */
static void delete_tokens(const char *text, size_t len, char *buf, stats *st) {
  for (size_t i = 0; i < len;) {
    size_t j = i + 1;
    if (tok_char((unsigned char)text[i]))
      while (j < len && tok_char((unsigned char)text[j])) j++;
    if (text[i] != ' ' && text[i] != '\n') {
      memcpy(buf, text, i);
      memcpy(buf + i, text + j, len - j);
      try_text("token-deleted", buf, len - (j - i), st);
    }
    if (text[i] == '/' && j < len && text[j] == '/')
      while (j < len && text[j] != '\n') j++;
    i = j;
  }
}

/* Bytes worth trying: structure characters, NUL, high bytes, anything. */
static char interesting_byte(uint64_t *s) {
  static const char special[] = "{}()[]<>,:=?%@\"\\-./\n 0919e";
  switch (rng(s) % 4) {
  case 0: return special[rng(s) % (sizeof special - 1)];
  case 1: return (char)(0x80 + rng(s) % 0x80);
  case 2: return '\0';
  default: return (char)(rng(s) & 0xff);
  }
}

/* (c) random edits: overwrite, insert or delete 1-4 bytes. buf holds len+8. */
static void random_edits(const char *text, size_t len, uint64_t seed, int count, char *buf,
                         stats *st) {
  uint64_t s = seed | 1;
  for (int k = 0; k < count && len; k++) {
    memcpy(buf, text, len);
    size_t n = len;
    int edits = 1 + (int)(rng(&s) % 4);
    for (int e = 0; e < edits && n; e++) {
      size_t at = rng(&s) % n;
      switch (rng(&s) % 3) {
      case 0: buf[at] = interesting_byte(&s); break;
      case 1:
        if (n < len + 8) {
          memmove(buf + at + 1, buf + at, n - at);
          buf[at] = interesting_byte(&s);
          n++;
        }
        break;
      default:
        memmove(buf + at, buf + at + 1, n - at - 1);
        n--;
        break;
      }
    }
    try_text("byte-edited", buf, n, st);
  }
}

static void mutate_chunk(const char *text, size_t len, uint64_t seed, int count, stats *st) {
  char *buf = malloc(len + 8);
  if (!buf) return;
  delete_tokens(text, len, buf, st);
  for (int k = 0; k < 64; k++) try_text("truncated", text, len * (size_t)k / 64, st);
  random_edits(text, len, seed, count, buf, st);
  free(buf);
}

/* Start of the next "// -----" separator line at or after p, or end. */
static const char *find_split(const char *p, const char *end) {
  for (const char *q = p; q < end; q++)
    if ((q == p || q[-1] == '\n') && end - q >= 8 && memcmp(q, "// -----", 8) == 0) return q;
  return end;
}

/* Files cut into '// -----' chunks are fuzzed chunk by chunk, as symjit-opt
 * --split-input-file reads them: smaller inputs, so more mutants per second
 * and more of them get past the first error. The random edits of (c) are
 * shared out by size. */
static void mutate_file(const char *text, size_t len, uint64_t seed, int count, stats *st) {
  const char *end = text + len;
  for (const char *p = text; p < end;) {
    const char *q = find_split(p, end);
    size_t n = (size_t)(q - p);
    int share = (int)((double)count * (double)n / (double)len) + 1;
    mutate_chunk(p, n, seed ^ (uint64_t)(p - text), share, st);
    if (q == end) break;
    const char *nl = memchr(q, '\n', (size_t)(end - q));
    p = nl ? nl + 1 : end;
  }
}

/* ---- inputs ---- */

typedef struct file_list {
  char *paths[MAX_FILES];
  int n;
} file_list;

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .sj file under dir, recursively (no symlinks followed). */
static void collect(const char *dir, file_list *fl, int depth) {
  DIR *d = opendir(dir);
  if (!d || depth > 8) {
    if (d) closedir(d);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) && fl->n < MAX_FILES) {
    if (e->d_name[0] == '.') continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat sb;
    if (lstat(path, &sb) != 0) continue;
    size_t n = strlen(e->d_name);
    if (S_ISDIR(sb.st_mode)) collect(path, fl, depth + 1);
    else if (S_ISREG(sb.st_mode) && n > 3 && strcmp(e->d_name + n - 3, ".sj") == 0)
      fl->paths[fl->n++] = strdup(path);
  }
  closedir(d);
}

/* The source tree: SJ_SOURCE_DIR from CMake, else derived from __FILE__
 * (<src>/test/unit/fuzz_parser.c), else argv[1]. */
static const char *source_dir(int argc, char **argv, char *buf, size_t cap) {
  if (argc > 1) return argv[1];
  if (SJ_SOURCE_DIR) return SJ_SOURCE_DIR;
  snprintf(buf, cap, "%s", __FILE__);
  for (int up = 0; up < 3; up++) {
    char *slash = strrchr(buf, '/');
    if (!slash) return ".";
    *slash = '\0';
  }
  return buf;
}

/* (d) random token sequences: far likelier than random bytes to get deep
 * into the parser and the verifier. */
static void token_soup(uint64_t *s, stats *st) {
  static const char *const toks[] = {
      "func", "kernel", "@f", "@k", "(", ")", "{", "}", "[", "]", "<", ">", ",", ":", "=",
      "->", "?", "%x", "%y", "%0", "%1", "%i", "f32", "i64", "bool", "f32[?]", "f32[4]",
      "i64[]", "add", "neg", "exp", "sum", "constant", "return", "yield", "for",
      "parallel_for", "fused", "load", "store", "dim", "alloc", "launch", "gemm", "matmul",
      "transpose", "reshape", "select", "cast", "{value = 1.0}", "{axes = [0]}", "dense<[1, 2]>",
      "{kernel = @k}", "{perm = [1, 0]}", "\"s\\x41\"", "1", "-2", "2.5", "nan", "-inf", "\n",
      "true", "{axis = 0}", "keepdims", "f32[2,3]"};
  char buf[1024];
  size_t n = 0;
  int ntok = 1 + (int)(rng(s) % 60);
  for (int i = 0; i < ntok; i++) {
    const char *t = toks[rng(s) % (sizeof toks / sizeof toks[0])];
    size_t l = strlen(t);
    if (n + l + 1 >= sizeof buf) break;
    memcpy(buf + n, t, l);
    n += l;
    buf[n++] = rng(s) % 5 ? ' ' : '\n';
  }
  try_text("token-soup", buf, n, st);
}

/* Regions nested `depth` deep: parsing must either succeed or stop with an
 * error at the nesting limit, never overflow the stack. */
static void nested(int depth, stats *st) {
  size_t cap = (size_t)depth * 96 + 256, n = 0;
  char *b = malloc(cap);
  if (!b) return;
  n += (size_t)snprintf(b + n, cap - n,
                        "kernel @k(%%o: f32[]) {\n%%c0 = constant {value = 0} : i64\n"
                        "%%c1 = constant {value = 1} : i64\n");
  for (int i = 0; i < depth; i++) n += (size_t)snprintf(b + n, cap - n, "for %%c0, %%c1 (%%i%d: i64) {\n", i);
  for (int i = 0; i < depth; i++) n += (size_t)snprintf(b + n, cap - n, "yield\n}\n");
  n += (size_t)snprintf(b + n, cap - n, "return\n}\n");
  try_text("nested", b, n, st);
  free(b);
}

int main(int argc, char **argv) {
  char srcbuf[4096], path[4096];
  const char *src = source_dir(argc, argv, srcbuf, sizeof srcbuf);
  const char *env = getenv("SJ_FUZZ_MUTANTS");
  file_list fl = {0};
  snprintf(path, sizeof path, "%s/examples", src);
  collect(path, &fl, 0);
  snprintf(path, sizeof path, "%s/test", src);
  collect(path, &fl, 0);
  /* the suite grows: keep the total of (c) bounded so the run stays short */
  int count = fl.n ? TOTAL_EDITS / fl.n : 0;
  if (count > DEFAULT_MUTANTS) count = DEFAULT_MUTANTS;
  if (env) count = atoi(env);
  qsort(fl.paths, (size_t)fl.n, sizeof fl.paths[0], cmp_str); /* deterministic order */

  stats st = {0};
  for (int i = 0; i < fl.n; i++) {
    char *text;
    size_t len;
    if (sj_read_file(fl.paths[i], &text, &len) != SJ_OK) {
      fprintf(stderr, "FAIL: cannot read %s\n", fl.paths[i]);
      st.failures++;
      continue;
    }
    long before = st.failures;
    mutate_file(text, len, 0x9E3779B97F4A7C15ull ^ ((uint64_t)len * 2654435761u), count, &st);
    if (st.failures != before) fprintf(stderr, "  (mutants of %s)\n", fl.paths[i]);
    free(text);
  }

  uint64_t s = 0x243F6A8885A308D3ull;
  char blob[512];
  for (int k = 0; k < RANDOM_BLOBS; k++) {
    size_t n = rng(&s) % sizeof blob;
    for (size_t i = 0; i < n; i++) blob[i] = (char)(rng(&s) & 0xff);
    try_text("random", blob, n, &st);
  }
  for (int k = 0; k < TOKEN_SOUPS; k++) token_soup(&s, &st);
  static const int depths[] = {1, 50, 199, 200, 201, 1000, 100000};
  for (size_t k = 0; k < sizeof depths / sizeof depths[0]; k++) nested(depths[k], &st);

  printf("fuzz_parser: %d files, %ld mutants, %ld parsed, %d failures\n", fl.n, st.mutants,
         st.parsed, st.failures);
  for (int i = 0; i < fl.n; i++) free(fl.paths[i]);
  if (fl.n < 5) {
    fprintf(stderr, "FAIL: only %d .sj files found under %s\n", fl.n, src);
    return 1;
  }
  return st.failures == 0 ? 0 : 1;
}
