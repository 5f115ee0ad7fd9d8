/* The compile cache of one compile: where and how large (cache_policy.c;
 * docs/cache.md). The cache itself is in lib/codegen (cache*.c). */
#ifndef SJ_CACHE_POLICY_H
#define SJ_CACHE_POLICY_H
#include <stdbool.h>
#include <stddef.h>

#include "codegen.h"
#include "symjit/symjit.h"

/* Default size cap of a cache directory. */
#define SJ_CACHE_DEFAULT_MAX_BYTES ((int64_t)256 << 20)

/* Resolves the options, then the environment, into *out (its dir points
 * into buf, cap bytes). false: no cache for this compile (turned off, or no
 * directory can be named). */
bool sj_api_cache_config(const sj_compile_options *o, char *buf, size_t cap, sj_cg_cache *out);
#endif
