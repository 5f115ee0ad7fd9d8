/* libFuzzer target: the .npy reader (sj_rt_npy_read on the bytes, through
 * fmemopen). It must either fail with a message or return a tensor whose
 * shape passes sj_tensor_check_shape, whose byte size matches the data the
 * input holds after the header, and whose every element can be read (ASan
 * checks the buffer). Anything else traps. Built by scripts/fuzz.sh with
 * clang -fsanitize=fuzzer,address,undefined; test/unit/rt_fuzz_replay.c
 * compiles the same function with gcc and replays the corpus in the normal
 * suite. SJ_FUZZ_ENTRY renames the entry point there. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "runtime.h"
#include "symjit/tensor.h"

#ifndef SJ_FUZZ_ENTRY
#define SJ_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

int SJ_FUZZ_ENTRY(const uint8_t *data, size_t size);

static void fuzz_npy_fail(const char *why, const char *detail) {
  fprintf(stderr, "fuzz_npy: %s %s\n", why, detail ? detail : "");
  __builtin_trap();
}

int SJ_FUZZ_ENTRY(const uint8_t *data, size_t size) {
  if (size == 0) return 0; /* fmemopen refuses an empty buffer */
  FILE *fp = fmemopen((void *)data, size, "rb");
  if (!fp) return 0;
  sj_tensor *t = NULL;
  char err[256] = "";
  sj_status st = sj_rt_npy_read(fp, "fuzz.npy", &t, err, sizeof err);
  long pos = ftell(fp);
  fclose(fp);
  if (st != SJ_OK) {
    if (t) fuzz_npy_fail("a failed read returned a tensor:", err);
    if (!strstr(err, "fuzz.npy")) fuzz_npy_fail("error without the file name:", err);
    return 0;
  }
  if (!t) fuzz_npy_fail("success without a tensor", NULL);
  size_t bytes = 0;
  if (sj_tensor_check_shape(sj_tensor_dtype(t), sj_tensor_rank(t), sj_tensor_dims(t), &bytes, err, sizeof err))
    fuzz_npy_fail("returned a shape that cannot exist:", err);
  if (bytes != sj_tensor_nbytes(t) || pos < 0 || (size_t)pos > size || (size_t)pos < bytes)
    fuzz_npy_fail("byte size does not match", NULL);
  double sum = 0;
  for (int64_t i = 0, n = sj_tensor_numel(t); i < n; i++) sum += sj_tensor_get(t, i);
  (void)sum;
  sj_tensor_free(t);
  return 0;
}
