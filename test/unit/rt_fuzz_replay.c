/* The libFuzzer targets of test/fuzz, compiled with the normal compiler and
 * run in the normal suite (no clang needed): each replays its seeds and its
 * committed corpus (test/fuzz/corpus/<target>: inputs found by
 * scripts/fuzz.sh, crash reproducers among them), then a fixed-seed slice of
 * mutants. A failure traps inside the target, so the test fails with a
 * crash; ASan+UBSan builds check memory as the fuzzer would. Corpus files
 * are replayed as they are; the seeds below also get mutants:
 *   parse: every .sj under test/ and examples/, plus 50 byte-level mutants
 *          each (test/unit/fuzz_parser.c mutates them far more);
 *   npy:   the .npy files of test/unit/Inputs, plus per file 1000
 *          byte-level mutants of the header and 500 headers whose shape is
 *          replaced by 1-3 extreme dims (0, 1, 2^31, 2^32, 2^62, 2^63-1,
 *          2^64, -1, ...). */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SJ_FUZZ_ENTRY fuzz_parse_one
#include "../fuzz/fuzz_parse.c"
#undef SJ_FUZZ_ENTRY
#define SJ_FUZZ_ENTRY fuzz_npy_one
#include "../fuzz/fuzz_npy.c"

#ifndef SJ_SOURCE_DIR
#define SJ_SOURCE_DIR "."
#endif

enum { PARSE_MUTANTS = 50, NPY_BYTE_MUTANTS = 1000, NPY_SHAPE_MUTANTS = 500, REPLAY_MAX_BYTES = 1 << 20 };

typedef int (*target_fn)(const uint8_t *, size_t);

static uint64_t rng(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static long runs;

static void run_one(target_fn fn, const uint8_t *data, size_t n) {
  fn(data, n);
  runs++;
}

/* Overwrites, inserts or deletes 1-4 bytes within the first `span` bytes. */
static size_t mutate_bytes(uint8_t *buf, size_t n, size_t cap, size_t span, uint64_t *s) {
  int edits = 1 + (int)(rng(s) % 4);
  for (int e = 0; e < edits && n; e++) {
    size_t at = rng(s) % (n < span ? n : span);
    uint8_t b = (uint8_t)rng(s);
    switch (rng(s) % 3) {
    case 0: buf[at] = b; break;
    case 1:
      if (n < cap) {
        memmove(buf + at + 1, buf + at, n - at);
        buf[at] = b;
        n++;
      }
      break;
    default: memmove(buf + at, buf + at + 1, n - at - 1), n--;
    }
  }
  return n;
}

/* Replaces the text between "'shape': (" and ")" with 1-3 extreme dims. */
static size_t mutate_shape(const uint8_t *src, size_t n, uint8_t *buf, size_t cap, uint64_t *s) {
  static const char *const dims[] = {"0", "1", "2", "3", "2147483648", "4294967296", "4611686018427387904",
                                     "9223372036854775807", "9223372036854775808", "18446744073709551616",
                                     "-1", "99999999999999999999999", "1099511627776", "0L", ""};
  const char *p = memmem(src, n, "'shape': (", 10);
  const char *q = p ? memchr(p, ')', n - (size_t)(p - (const char *)src)) : NULL;
  if (!p || !q) return 0;
  size_t head = (size_t)(p - (const char *)src) + 10, k = head;
  memcpy(buf, src, head);
  int rank = 1 + (int)(rng(s) % 3);
  for (int i = 0; i < rank; i++)
    k += (size_t)snprintf((char *)buf + k, cap - k, "%s%s", i ? ", " : "", dims[rng(s) % (sizeof dims / sizeof dims[0])]);
  size_t tail = n - (size_t)(q - (const char *)src);
  if (k + tail > cap) return 0;
  memcpy(buf + k, q, tail);
  return k + tail;
}

static uint8_t *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = malloc(REPLAY_MAX_BYTES);
  *n = buf ? fread(buf, 1, REPLAY_MAX_BYTES, f) : 0;
  fclose(f);
  return buf;
}

static void replay_file(const char *path, bool npy, bool mutate, uint64_t seed) {
  size_t n;
  uint8_t *src = read_file(path, &n), *buf = malloc(REPLAY_MAX_BYTES + 64);
  if (src && buf) {
    target_fn fn = npy ? fuzz_npy_one : fuzz_parse_one;
    run_one(fn, src, n);
    uint64_t s = seed | 1;
    for (int k = 0; mutate && k < (npy ? NPY_BYTE_MUTANTS : PARSE_MUTANTS); k++) {
      memcpy(buf, src, n);
      run_one(fn, buf, mutate_bytes(buf, n, REPLAY_MAX_BYTES + 64, npy ? 128 : n, &s));
    }
    for (int k = 0; mutate && npy && k < NPY_SHAPE_MUTANTS; k++) {
      size_t m = mutate_shape(src, n, buf, REPLAY_MAX_BYTES + 64, &s);
      if (m) run_one(fn, buf, m);
    }
  }
  free(src);
  free(buf);
}

/* Files under dir (recursively) whose name ends in `suffix` ("" = all);
 * `mutate`: the mutants too (seeds), else the file alone (corpus). */
static int walk(const char *dir, const char *suffix, bool npy, bool mutate, uint64_t *seed) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  int count = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat sb;
    if (lstat(path, &sb)) continue;
    size_t nl = strlen(e->d_name), sl = strlen(suffix);
    if (S_ISDIR(sb.st_mode)) count += walk(path, suffix, npy, mutate, seed);
    else if (S_ISREG(sb.st_mode) && nl >= sl && !strcmp(e->d_name + nl - sl, suffix)) {
      replay_file(path, npy, mutate, (*seed)++ * 0x9E3779B97F4A7C15ull);
      count++;
    }
  }
  closedir(d);
  return count;
}

int main(void) {
  char dir[4096];
  uint64_t seed = 1;
  int files = 0;
  static const char *const sj_dirs[] = {"test", "examples", "test/fuzz/corpus/parse"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(dir, sizeof dir, "%s/%s", SJ_SOURCE_DIR, sj_dirs[i]);
    files += walk(dir, i == 2 ? "" : ".sj", false, i < 2, &seed);
  }
  long parse_runs = runs;
  snprintf(dir, sizeof dir, "%s/test/unit/Inputs", SJ_SOURCE_DIR);
  int npy_files = walk(dir, ".npy", true, true, &seed);
  snprintf(dir, sizeof dir, "%s/test/fuzz/corpus/npy", SJ_SOURCE_DIR);
  npy_files += walk(dir, "", true, false, &seed);
  if (files < 20 || npy_files < 5) {
    fprintf(stderr, "rt_fuzz_replay: only %d .sj and %d .npy inputs found under %s\n", files, npy_files, SJ_SOURCE_DIR);
    return 1;
  }
  printf("rt_fuzz_replay: parse %ld runs over %d files, npy %ld runs over %d files: no failure\n", parse_runs, files,
         runs - parse_runs, npy_files);
  return 0;
}
