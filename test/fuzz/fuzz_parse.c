/* libFuzzer target: text IR -> parse (with verification) -> print -> parse
 * -> print. Whatever parses must print to text that parses and verifies
 * again and prints identically (the printer's fixed point); a rejected input
 * must come with an "error:" diagnostic. Anything else traps, so libFuzzer
 * saves the input. Built by scripts/fuzz.sh with clang
 * -fsanitize=fuzzer,address,undefined; test/unit/rt_fuzz_replay.c compiles
 * the same function with gcc and replays the corpus in the normal suite.
 * SJ_FUZZ_ENTRY renames the entry point there. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#ifndef SJ_FUZZ_ENTRY
#define SJ_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

int SJ_FUZZ_ENTRY(const uint8_t *data, size_t size);

/* Inputs above this many bytes are skipped: the parser is linear, and long
 * inputs only slow the search down. */
#define FUZZ_PARSE_MAX_BYTES 65536

static char *fuzz_print(const sj_module *m, size_t *n) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, n);
  if (!f) return NULL;
  sj_print_module(f, m);
  fclose(f);
  return buf;
}

static void fuzz_parse_fail(const char *why, const char *detail) {
  fprintf(stderr, "fuzz_parse: %s\n%s\n", why, detail ? detail : "");
  __builtin_trap();
}

int SJ_FUZZ_ENTRY(const uint8_t *data, size_t size) {
  if (size > FUZZ_PARSE_MAX_BYTES) return 0;
  sj_ctx *c = sj_ctx_new(), *c2 = NULL;
  sj_module *m = NULL, *m2 = NULL;
  if (!c) return 0;
  if (sj_parse_module(c, "fuzz.sj", (const char *)data, size, true, &m) != SJ_OK) {
    if (sj_ctx_num_errors(c) == 0 || !strstr(sj_ctx_diags(c), "error: ")) fuzz_parse_fail("rejected without a diagnostic", NULL);
    sj_ctx_free(c);
    return 0;
  }
  size_t n1 = 0, n2 = 0;
  char *p1 = fuzz_print(m, &n1), *p2 = NULL;
  if (!p1) fuzz_parse_fail("open_memstream failed", NULL);
  c2 = sj_ctx_new();
  if (sj_parse_module(c2, "printed.sj", p1, n1, true, &m2) != SJ_OK) fuzz_parse_fail("its printed form does not parse", sj_ctx_diags(c2));
  p2 = fuzz_print(m2, &n2);
  if (!p2 || n1 != n2 || memcmp(p1, p2, n1) != 0) fuzz_parse_fail("printing is not a fixed point; first print:", p1);
  free(p1);
  free(p2);
  sj_ctx_free(c2);
  sj_ctx_free(c);
  return 0;
}
