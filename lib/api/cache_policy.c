/* Which compile cache a compile uses (docs/cache.md): on unless the option
 * or $SYMJIT_CACHE says 0; the directory from the option, else
 * $SYMJIT_CACHE_DIR, else the XDG base directory rule ($XDG_CACHE_HOME if
 * set to an absolute path, else $HOME/.cache) plus "/symjit"; the cap from
 * the option, else $SYMJIT_CACHE_MAX_BYTES, else 256 MiB. Nothing here
 * touches the disk. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache_policy.h"
#include "exec_internal.h"

static bool env_off(const char *v) {
  return v && (!strcmp(v, "0") || !strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false"));
}

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

/* "123", "64K", "256M", "2G"; 0 when malformed or not positive. */
static int64_t parse_size(const char *s) {
  if (!s || !isdigit((unsigned char)*s)) return 0;
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  int shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20 : *end == 'G' || *end == 'g' ? 30 : 0;
  if (shift) end++;
  if (*end || v == 0 || v > (unsigned long long)INT64_MAX >> shift) return 0;
  return (int64_t)(v << shift);
}

bool sj_api_cache_config(const sj_compile_options *o, char *buf, size_t cap, sj_cg_cache *out) {
  if (!o->cache || env_off(getenv("SYMJIT_CACHE"))) return false;
  const char *dir = nonempty(o->cache_dir), *xdg = nonempty(getenv("XDG_CACHE_HOME")), *home = nonempty(getenv("HOME"));
  if (!dir) dir = nonempty(getenv("SYMJIT_CACHE_DIR"));
  int n = -1;
  if (dir) n = snprintf(buf, cap, "%s", dir);
  else if (xdg && xdg[0] == '/') n = snprintf(buf, cap, "%s/symjit", xdg); /* relative: ignored (XDG spec) */
  else if (home) n = snprintf(buf, cap, "%s/.cache/symjit", home);
  if (n <= 0 || (size_t)n >= cap) return false;
  int64_t max = o->cache_max_bytes > 0 ? o->cache_max_bytes : parse_size(getenv("SYMJIT_CACHE_MAX_BYTES"));
  *out = (sj_cg_cache){.dir = buf, .max_bytes = (uint64_t)(max > 0 ? max : SJ_CACHE_DEFAULT_MAX_BYTES)};
  return true;
}

int sj_function_cache_hit(const sj_function *f) { return f && sj_jit_from_cache(f->jit); }

void sj_cache_stats_get(sj_cache_stats *out) {
  if (!out) return;
  uint64_t c[SJ_CG_CACHE_NCOUNTERS];
  sj_cg_cache_counters(c);
  *out = (sj_cache_stats){c[0], c[1], c[2], c[3], c[4], c[5]};
}
