/* Array memory: 64-byte aligned, zeroed, and refused with a message when it
 * cannot be had. A request above the machine's RAM + swap is refused before
 * malloc sees it: zero-filling it could only end in the OOM killer (or, with
 * overcommit off, fail anyway), and an ASan build would abort on it. */
#define _DEFAULT_SOURCE /* sysinfo */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

#include "runtime.h"
#include "support/checked.h"

size_t sj_rt_memory_limit(void) {
  struct sysinfo si;
  size_t ram, swap, total;
  if (sysinfo(&si) || !sj_mul_size(si.totalram, si.mem_unit, &ram) || !sj_mul_size(si.totalswap, si.mem_unit, &swap) ||
      !sj_add_size(ram, swap, &total) || total > SJ_MAX_ARRAY_BYTES)
    return SJ_MAX_ARRAY_BYTES;
  return total;
}

void *sj_rt_alloc(size_t bytes, char *err, size_t cap) {
  size_t limit = sj_rt_memory_limit();
  if (bytes > limit) {
    if (err && cap) snprintf(err, cap, "%zu bytes are more than this machine's memory (%zu bytes)", bytes, limit);
    return NULL;
  }
  size_t size = (bytes + 63) / 64 * 64; /* bytes <= SJ_MAX_ARRAY_BYTES: no overflow */
  void *p = aligned_alloc(64, size ? size : 64);
  if (!p) {
    if (err && cap) snprintf(err, cap, "out of memory allocating %zu bytes", bytes);
    return NULL;
  }
  memset(p, 0, size ? size : 64);
  return p;
}
