/* Loading OpenBLAS and choosing its kernels (blas_select.h, decision 0033).
 * OpenBLAS 0.3.21 does not recognize some current Xeons and silently runs
 * its generic Prescott kernels there (5x slower sgemm); it reads
 * OPENBLAS_CORETYPE once, in its constructor. So libsymjit does not link it:
 * the first BLAS use loads it here, asks which core it detected, and when
 * that is a generic fallback on a CPU with AVX2/AVX-512, unloads it and loads
 * it again with OPENBLAS_CORETYPE set for that one dlopen. This file owns
 * only that; the gemm calls live in blas.c. Never prints or aborts: what
 * happened is the text of sj_blas_info(). */
#define _GNU_SOURCE /* RTLD_NOLOAD, setenv */
#include "blas_select.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "symjit/info.h"

#ifndef SJ_OPENBLAS_SONAME /* set by CMake from the OpenBLAS found at build time */
#define SJ_OPENBLAS_SONAME "libopenblas.so.0"
#endif
#ifndef SJ_OPENBLAS_PATH
#define SJ_OPENBLAS_PATH SJ_OPENBLAS_SONAME
#endif

/* ---- the choice ---- */

sj_cpu_simd sj_rt_cpu_simd(void) {
  sj_cpu_simd c = {false, false};
#if defined(__x86_64__) || defined(__i386__)
  /* libgcc's cpu model also checks XCR0, so a feature the OS does not save
   * (AVX-512 state off in a VM) reads as absent, as OpenBLAS checks it. */
  __builtin_cpu_init();
  c.avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  c.avx512 = c.avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
             __builtin_cpu_supports("avx512vl");
#endif
  return c;
}

/* OpenBLAS's generic Intel cores (its dynamic.c corename table): SSE2/SSE3
 * or AVX-only kernels, what it falls back to on a CPU it does not recognize.
 * AMD families and newer Intel cores are not listed: on those OpenBLAS chose
 * deliberately, and an unknown name means a newer OpenBLAS knows better. */
static const char *const generic_cores[] = {"Katmai",   "Coppermine", "Northwood", "Prescott", "Banias",     "Core2",
                                            "Penryn",   "Dunnington", "Nehalem",   "Atom",     "Sandybridge"};

static bool is_generic(const char *core) {
  for (size_t i = 0; i < sizeof generic_cores / sizeof *generic_cores; i++)
    if (!strcasecmp(core, generic_cores[i])) return true;
  return false;
}

sj_blas_choice sj_rt_blas_choose(const char *corename, sj_cpu_simd cpu, const char *user_coretype) {
  if (user_coretype && *user_coretype) return (sj_blas_choice){SJ_BLAS_USER, NULL};
  if (!corename || !cpu.avx2 || !is_generic(corename)) return (sj_blas_choice){SJ_BLAS_DETECTED, NULL};
  return (sj_blas_choice){SJ_BLAS_FALLBACK, cpu.avx512 ? "SkylakeX" : "Haswell"};
}

/* ---- loading ---- */

/* dlopen by SONAME first (the system's choice, LD_LIBRARY_PATH, Debian's
 * BLAS alternatives), then the file CMake found. */
static void *open_lib(int flags, const char **name) {
  const char *names[] = {SJ_OPENBLAS_SONAME, SJ_OPENBLAS_PATH};
  for (size_t i = 0; i < 2; i++) {
    void *h = dlopen(names[i], flags);
    if (h) {
      *name = names[i];
      return h;
    }
  }
  return NULL;
}

static bool resolve(sj_blas_lib *lib) {
  /* POSIX dlsym returns void *; the cast to a function pointer is its documented use */
  *(void **)&lib->sgemm = dlsym(lib->handle, "cblas_sgemm");
  *(void **)&lib->dgemm = dlsym(lib->handle, "cblas_dgemm");
  *(void **)&lib->set_num_threads = dlsym(lib->handle, "openblas_set_num_threads");
  *(void **)&lib->corename = dlsym(lib->handle, "openblas_get_corename");
  *(void **)&lib->config = dlsym(lib->handle, "openblas_get_config");
  return lib->sgemm && lib->dgemm && lib->set_num_threads && lib->corename;
}

/* Loads OpenBLAS with OPENBLAS_CORETYPE=core for this one dlopen, restoring
 * the environment after (child processes see the user's environment). */
static void *open_with_core(const char *core, const char **name) {
  char *old = getenv("OPENBLAS_CORETYPE");
  char *saved = old ? strdup(old) : NULL;
  if (old && !saved) return NULL;
  if (setenv("OPENBLAS_CORETYPE", core, 1)) {
    free(saved);
    return NULL;
  }
  void *h = open_lib(RTLD_NOW | RTLD_LOCAL, name);
  if (saved) setenv("OPENBLAS_CORETYPE", saved, 1);
  else unsetenv("OPENBLAS_CORETYPE");
  free(saved);
  return h;
}

/* "OpenBLAS 0.3.21" from openblas_get_config's "OpenBLAS 0.3.21 NO_LAPACKE ...". */
static void version_of(const sj_blas_lib *lib, char *buf, size_t cap) {
  const char *cfg = lib->config ? lib->config() : NULL;
  int n = 0;
  if (cfg) {
    const char *sp = strchr(cfg, ' ');
    if (sp) sp = strchr(sp + 1, ' ');
    n = sp ? (int)(sp - cfg) : (int)strlen(cfg);
  }
  snprintf(buf, cap, "%.*s", n ? n : 8, n ? cfg : "OpenBLAS");
}

static const char *cpu_name(sj_cpu_simd c) { return c.avx512 ? "AVX-512" : "AVX2"; }

/* The loaded copy's kernels; a fallback while `preloaded` (the program's own
 * copy) or not unloadable is only reported. */
static bool finish(sj_blas_lib *lib, const char *name, const char *why) {
  if (!resolve(lib)) {
    snprintf(lib->info, sizeof lib->info, "no BLAS: %s lacks cblas_sgemm/openblas_get_corename", name);
    dlclose(lib->handle);
    lib->handle = NULL;
    return false;
  }
  char ver[64];
  version_of(lib, ver, sizeof ver);
  const char *core = lib->corename();
  snprintf(lib->info, sizeof lib->info, "%s (%s), %s kernels (%s)", ver, name, core ? core : "unknown", why);
  return true;
}

bool sj_rt_blas_open(sj_blas_lib *lib, const char *user_coretype, const char *pretend_core) {
  memset(lib, 0, sizeof *lib);
  const char *name = SJ_OPENBLAS_SONAME;
  sj_cpu_simd cpu = sj_rt_cpu_simd();
  char why[200];
  /* The program's own OpenBLAS (linked at startup): its kernels are fixed. */
  lib->handle = open_lib(RTLD_NOW | RTLD_NOLOAD, &name);
  bool preloaded = lib->handle != NULL;
  if (!lib->handle) lib->handle = open_lib(RTLD_NOW | RTLD_LOCAL, &name);
  if (!lib->handle) {
    const char *e = dlerror();
    snprintf(lib->info, sizeof lib->info, "no BLAS: %s", e ? e : SJ_OPENBLAS_SONAME " not found");
    return false;
  }
  if (!resolve(lib)) return finish(lib, name, "");
  const char *detected = pretend_core ? pretend_core : lib->corename();
  sj_blas_choice ch = sj_rt_blas_choose(detected, cpu, user_coretype);
  if (ch.reason == SJ_BLAS_USER) {
    snprintf(why, sizeof why, "OPENBLAS_CORETYPE=%s set by the user%s", user_coretype,
             preloaded ? ", read when the program loaded OpenBLAS" : "");
    return finish(lib, name, why);
  }
  if (ch.reason == SJ_BLAS_DETECTED)
    return finish(lib, name, preloaded ? "detected by OpenBLAS, loaded by the program" : "detected by OpenBLAS");
  if (preloaded) {
    snprintf(why, sizeof why,
             "generic kernels on a CPU with %s: OpenBLAS was loaded by the program before symjit could choose "
             "%s; set OPENBLAS_CORETYPE=%s",
             cpu_name(cpu), ch.coretype, ch.coretype);
    return finish(lib, name, why);
  }
  dlclose(lib->handle);
  const char *n2 = name;
  void *still = open_lib(RTLD_NOW | RTLD_NOLOAD, &n2);
  if (still) { /* something else holds it: keep that copy */
    lib->handle = still;
    snprintf(why, sizeof why, "generic kernels on a CPU with %s: OpenBLAS could not be reloaded with %s",
             cpu_name(cpu), ch.coretype);
    return finish(lib, name, why);
  }
  lib->handle = open_with_core(ch.coretype, &name);
  if (!lib->handle) {
    const char *e = dlerror();
    snprintf(lib->info, sizeof lib->info, "no BLAS: reloading with OPENBLAS_CORETYPE=%s: %s", ch.coretype,
             e ? e : "setenv failed");
    return false;
  }
  if (!resolve(lib)) return finish(lib, name, "");
  const char *now = lib->corename();
  if (now && !strcasecmp(now, ch.coretype))
    snprintf(why, sizeof why, "chosen by symjit: OpenBLAS detected %s on a CPU with %s", detected, cpu_name(cpu));
  else /* OPENBLAS_CORETYPE is read only by DYNAMIC_ARCH builds */
    snprintf(why, sizeof why, "symjit asked for %s since OpenBLAS detected %s on a CPU with %s; not a DYNAMIC_ARCH build?",
             ch.coretype, detected, cpu_name(cpu));
  return finish(lib, name, why);
}

const char *sj_rt_blas_soname(void) { return SJ_OPENBLAS_SONAME; }

void sj_rt_blas_close(sj_blas_lib *lib) {
  if (lib && lib->handle) dlclose(lib->handle);
  if (lib) lib->handle = NULL;
}

/* ---- the process-wide library ---- */

static sj_blas_lib g_blas;
static bool g_blas_ok;
static pthread_once_t g_blas_once = PTHREAD_ONCE_INIT;

static void load_once(void) { g_blas_ok = sj_rt_blas_open(&g_blas, getenv("OPENBLAS_CORETYPE"), NULL); }

const sj_blas_lib *sj_rt_blas(void) {
  pthread_once(&g_blas_once, load_once);
  return g_blas_ok ? &g_blas : NULL;
}

const char *sj_blas_info(void) {
  sj_rt_blas();
  return g_blas.info;
}

/* blas.c checks sj_rt_blas() before its products (they fail cleanly without
 * a BLAS), so these are only reached with the library loaded. */
void sj_rt_cblas_sgemm(CBLAS_ORDER o, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k,
                       float alpha, const float *a, blasint lda, const float *b, blasint ldb, float beta, float *c,
                       blasint ldc) {
  sj_rt_blas()->sgemm(o, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void sj_rt_cblas_dgemm(CBLAS_ORDER o, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k,
                       double alpha, const double *a, blasint lda, const double *b, blasint ldb, double beta, double *c,
                       blasint ldc) {
  sj_rt_blas()->dgemm(o, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void sj_rt_openblas_set_num_threads(int n) {
  const sj_blas_lib *l = sj_rt_blas();
  if (l) l->set_num_threads(n);
}
