/* Choosing OpenBLAS's kernels (lib/runtime/blas_select.c, decision 0033).
 * First sj_rt_blas_choose, the pure function, for every case: the user's
 * OPENBLAS_CORETYPE wins (also over a fallback), "" counts as unset, each
 * generic core on an AVX2 and on an AVX-512 CPU, case, the cores OpenBLAS
 * picks deliberately (Haswell/SkylakeX/Zen/AMD families/unknown names), no
 * core name, a CPU without AVX2. Then the loader for real: this process does
 * not link OpenBLAS, so each sj_rt_blas_open loads it afresh; a pretended
 * "Prescott" detection runs the unload/reload path (on a CPU with AVX2) and
 * must end with the right kernels, a working sgemm and the environment as it
 * was; the user's variable; a copy the program loaded first (only
 * reported); and the process-wide sj_blas_info(). */
#define _GNU_SOURCE /* RTLD_NOLOAD, setenv */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "blas_select.h"
#include "symjit/info.h"

#include "check.h"

static const sj_cpu_simd NONE = {false, false}, AVX2 = {true, false}, AVX512 = {true, true};

static void check_choice(const char *core, sj_cpu_simd cpu, const char *user, sj_blas_reason want, const char *want_core,
                         int line) {
  sj_blas_choice c = sj_rt_blas_choose(core, cpu, user);
  bool ok = c.reason == want && (want_core ? c.coretype && !strcmp(c.coretype, want_core) : !c.coretype);
  if (!ok) {
    fprintf(stderr, "%s:%d: choose(%s, avx2=%d avx512=%d, user=%s) = (%d, %s), want (%d, %s)\n", __FILE__, line,
            core ? core : "NULL", cpu.avx2, cpu.avx512, user ? user : "NULL", c.reason,
            c.coretype ? c.coretype : "NULL", want, want_core ? want_core : "NULL");
    failures++;
  }
}
#define CHOICE(core, cpu, user, want, want_core) check_choice(core, cpu, user, want, want_core, __LINE__)

static void test_choose(void) {
  /* the user's variable always wins, even over a fallback; "" is unset */
  CHOICE("Prescott", AVX512, "Prescott", SJ_BLAS_USER, NULL);
  CHOICE("Prescott", AVX512, "Haswell", SJ_BLAS_USER, NULL);
  CHOICE("SkylakeX", AVX512, "Sandybridge", SJ_BLAS_USER, NULL);
  CHOICE(NULL, NONE, "x", SJ_BLAS_USER, NULL);
  CHOICE("Prescott", AVX512, "", SJ_BLAS_FALLBACK, "SkylakeX");
  /* every generic core, on AVX-512 and on AVX2-only CPUs; any case */
  const char *generic[] = {"Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Core2",
                           "Penryn", "Dunnington", "Nehalem",   "Atom",     "Sandybridge", "PRESCOTT", "sandybridge"};
  for (size_t i = 0; i < sizeof generic / sizeof *generic; i++) {
    CHOICE(generic[i], AVX512, NULL, SJ_BLAS_FALLBACK, "SkylakeX");
    CHOICE(generic[i], AVX2, NULL, SJ_BLAS_FALLBACK, "Haswell");
    CHOICE(generic[i], NONE, NULL, SJ_BLAS_DETECTED, NULL); /* right for a CPU without AVX2 */
  }
  /* OpenBLAS's deliberate choices stay, including an AVX2 core on an AVX-512
   * CPU (Zen 4 is "Zen" in 0.3.21) and names this table does not know */
  const char *kept[] = {"Haswell", "SkylakeX", "Cooperlake", "SapphireRapids", "Zen", "Excavator", "Steamroller",
                        "Piledriver", "Bulldozer", "Barcelona", "Opteron", "Nano", "Unknown", "NewCore2030", ""};
  for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
    CHOICE(kept[i], AVX512, NULL, SJ_BLAS_DETECTED, NULL);
    CHOICE(kept[i], AVX2, NULL, SJ_BLAS_DETECTED, NULL);
  }
  /* no core name: nothing to judge */
  CHOICE(NULL, AVX512, NULL, SJ_BLAS_DETECTED, NULL);
  /* a prefix of a generic name is not that name */
  CHOICE("Prescot", AVX512, NULL, SJ_BLAS_DETECTED, NULL);
  CHOICE("Prescott2", AVX512, NULL, SJ_BLAS_DETECTED, NULL);
}

static bool loaded(void) {
  void *h = dlopen(sj_rt_blas_soname(), RTLD_NOW | RTLD_NOLOAD);
  if (h) dlclose(h);
  return h != NULL;
}

/* A 2x3 @ 3x2 product through the loaded library. */
static void check_sgemm(const sj_blas_lib *l) {
  float a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {7, 8, 9, 10, 11, 12}, c[4] = {0};
  l->sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2);
  CHECK(c[0] == 58 && c[1] == 64 && c[2] == 139 && c[3] == 154);
}

static bool has(const char *s, const char *sub) {
  if (!strstr(s, sub)) {
    fprintf(stderr, "  info \"%s\" lacks \"%s\"\n", s, sub);
    return false;
  }
  return true;
}

static void test_open(void) {
  sj_cpu_simd cpu = sj_rt_cpu_simd();
  const char *want = cpu.avx512 ? "SkylakeX" : "Haswell";
  CHECK(!cpu.avx512 || cpu.avx2);
  unsetenv("OPENBLAS_CORETYPE");
  if (loaded()) {
    fprintf(stderr, "rt_blas_select: OpenBLAS already loaded in this process; loader tests skipped\n");
    return;
  }
  sj_blas_lib l;
  /* plain: OpenBLAS's own detection (this machine's is right) */
  CHECK(sj_rt_blas_open(&l, NULL, NULL));
  CHECK(has(l.info, "OpenBLAS") && has(l.info, "detected by OpenBLAS") && has(l.info, l.corename()));
  check_sgemm(&l);
  sj_rt_blas_close(&l);
  CHECK(!loaded());

  /* the fallback, pretended: unloaded and loaded again with the right core */
  CHECK(sj_rt_blas_open(&l, NULL, "Prescott"));
  if (cpu.avx2) {
    CHECK(has(l.info, "chosen by symjit: OpenBLAS detected Prescott on a CPU with"));
    CHECK(!strcasecmp(l.corename(), want));
  } else {
    CHECK(has(l.info, "detected by OpenBLAS"));
  }
  CHECK(getenv("OPENBLAS_CORETYPE") == NULL); /* not left behind for child processes */
  check_sgemm(&l);
  sj_rt_blas_close(&l);
  CHECK(!loaded());

  /* "" is unset for the choice, and is put back as it was */
  setenv("OPENBLAS_CORETYPE", "", 1);
  CHECK(sj_rt_blas_open(&l, "", "Nehalem"));
  if (cpu.avx2) CHECK(!strcasecmp(l.corename(), want));
  CHECK(getenv("OPENBLAS_CORETYPE") && !strcmp(getenv("OPENBLAS_CORETYPE"), ""));
  sj_rt_blas_close(&l);

  /* the user's variable wins over a (pretended) fallback */
  setenv("OPENBLAS_CORETYPE", "Sandybridge", 1);
  CHECK(sj_rt_blas_open(&l, "Sandybridge", "Prescott"));
  CHECK(has(l.info, "Sandybridge kernels (OPENBLAS_CORETYPE=Sandybridge set by the user)"));
  CHECK(!strcasecmp(l.corename(), "Sandybridge"));
  check_sgemm(&l);
  sj_rt_blas_close(&l);
  unsetenv("OPENBLAS_CORETYPE");

  /* a copy the program loaded first: kept, and a fallback is only reported */
  void *mine = dlopen(sj_rt_blas_soname(), RTLD_NOW | RTLD_LOCAL);
  CHECK(mine != NULL);
  CHECK(sj_rt_blas_open(&l, NULL, "Prescott"));
  if (cpu.avx2) CHECK(has(l.info, "loaded by the program before symjit could choose") && has(l.info, want));
  check_sgemm(&l);
  sj_rt_blas_close(&l);
  CHECK(sj_rt_blas_open(&l, NULL, NULL));
  CHECK(has(l.info, "detected by OpenBLAS, loaded by the program"));
  sj_rt_blas_close(&l);
  if (mine) dlclose(mine);
  CHECK(!loaded());
}

int main(void) {
  test_choose();
  test_open();
  /* the process-wide library and the public calls */
  const char *info = sj_blas_info();
  CHECK(info && !strncmp(info, "OpenBLAS ", 9) && strstr(info, " kernels ("));
  CHECK(sj_blas_info() == info);
  CHECK(sj_rt_blas() != NULL);
  const char *v = sj_version(), *dot = strchr(v, '.');
  CHECK(dot && strchr(dot + 1, '.'));
  printf("sj_version: %s\nsj_blas_info: %s\n", v, info);
  return failures != 0;
}
