/* The failing allocator the out-of-memory unit tests share: a context
 * allocator (sj_ctx_options.alloc) that refuses the fail_at-th allocation,
 * or every one from it on (sticky), and counts the blocks it holds. */
#ifndef SJ_TEST_FAILING_ALLOC_H
#define SJ_TEST_FAILING_ALLOC_H
#include <stdbool.h>
#include <stdlib.h>

typedef struct failing {
  long count;   /* allocations (not frees) counted so far */
  long fail_at; /* 0: never */
  bool sticky;  /* fail every allocation from fail_at on */
  bool waiting; /* neither count nor fail yet (a test arms it later) */
  long live;    /* blocks currently held */
  long failed;  /* allocations refused */
} failing;

static inline void *failing_alloc(void *ud, void *p, size_t osize, size_t nsize) {
  failing *a = ud;
  (void)osize;
  if (nsize == 0) {
    if (p) a->live--;
    free(p);
    return NULL;
  }
  if (!a->waiting) a->count++;
  if (!a->waiting && a->fail_at && (a->count == a->fail_at || (a->sticky && a->count > a->fail_at))) {
    a->failed++;
    return NULL;
  }
  void *r = realloc(p, nsize);
  if (r && !p) a->live++;
  return r;
}
#endif
