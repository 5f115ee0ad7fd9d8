/* The assertion the C unit tests share: a failed CHECK prints where and what,
 * counts a failure and carries on; main returns non-zero if any failed. */
#ifndef SJ_TEST_CHECK_H
#define SJ_TEST_CHECK_H
#include <stdio.h>

static int failures;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                              \
    }                                                                          \
  } while (0)
#endif
