/* Which BLAS library the runtime calls and with which kernels (decision
 * 0033): libsymjit does not link OpenBLAS; it loads it with dlopen on the
 * first BLAS use, after checking that OpenBLAS's own CPU detection did not
 * fall back to generic kernels on a CPU with AVX2 or AVX-512. OpenBLAS reads
 * OPENBLAS_CORETYPE once, when it is loaded, so choosing the kernels means
 * choosing before (re)loading it.
 *
 * blas.c keeps writing cblas_sgemm, cblas_dgemm and openblas_set_num_threads:
 * the macros at the end of this file send those calls through the loaded
 * library, so new BLAS calls there need no change here beyond a row for a
 * function not yet listed. */
#ifndef SJ_BLAS_SELECT_H
#define SJ_BLAS_SELECT_H

#include <cblas.h> /* the enums and blasint; no symbol of it is linked */
#include <stdbool.h>
#include <stddef.h>

/* ---- the choice (a pure function, unit-tested for every case) ---- */

/* What the CPU and the OS support, as the kernels need it. */
typedef struct sj_cpu_simd {
  bool avx2;   /* AVX2 and FMA: what OpenBLAS's Haswell kernels use */
  bool avx512; /* AVX-512 F, CD, BW, DQ and VL (implies avx2): SkylakeX's */
} sj_cpu_simd;

/* This CPU's features (cpuid, with the OS's register-state check). All false
 * off x86. */
sj_cpu_simd sj_rt_cpu_simd(void);

typedef enum sj_blas_reason {
  SJ_BLAS_USER,     /* OPENBLAS_CORETYPE was set (non-empty): it always wins */
  SJ_BLAS_DETECTED, /* OpenBLAS's own detection stands */
  SJ_BLAS_FALLBACK, /* OpenBLAS fell back to generic kernels: reload with `coretype` */
} sj_blas_reason;

typedef struct sj_blas_choice {
  sj_blas_reason reason;
  const char *coretype; /* SJ_BLAS_FALLBACK: "SkylakeX" or "Haswell"; else NULL */
} sj_blas_choice;

/* The kernels to use, given the core OpenBLAS detected (openblas_get_corename;
 * NULL if unknown), the CPU's features and the user's OPENBLAS_CORETYPE
 * (NULL or "" when unset). A fallback is one of OpenBLAS's generic Intel
 * cores (Prescott ... Sandybridge: SSE or AVX kernels) on a CPU with AVX2;
 * every other core name, including those of AMD's families, is OpenBLAS's
 * deliberate choice and stays. */
sj_blas_choice sj_rt_blas_choose(const char *corename, sj_cpu_simd cpu, const char *user_coretype);

/* ---- the loaded library ---- */

typedef void (*sj_blas_sgemm_fn)(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, float,
                                 const float *, blasint, const float *, blasint, float, float *, blasint);
typedef void (*sj_blas_dgemm_fn)(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, double,
                                 const double *, blasint, const double *, blasint, double, double *, blasint);

typedef struct sj_blas_lib {
  void *handle; /* dlopen's; NULL when not loaded */
  sj_blas_sgemm_fn sgemm;
  sj_blas_dgemm_fn dgemm;
  void (*set_num_threads)(int);
  char *(*corename)(void);
  char *(*config)(void); /* may be NULL (not an OpenBLAS symbol every build has) */
  char info[320];        /* what sj_blas_info() returns */
} sj_blas_lib;

/* Loads OpenBLAS into *lib (zeroed first) and chooses its kernels as above;
 * user_coretype is the caller's OPENBLAS_CORETYPE (the process-wide library
 * passes getenv's). pretend_core: NULL, or (tests only) the core name to act
 * as if OpenBLAS had detected, to run the reload path on a machine whose
 * OpenBLAS detects its CPU. When the process already holds OpenBLAS (the
 * program links it), that copy is used as it is: its kernels were fixed when
 * it was loaded. On failure returns false with the reason in lib->info. */
bool sj_rt_blas_open(sj_blas_lib *lib, const char *user_coretype, const char *pretend_core);
/* The SONAME the loader tries first (CMake's, from the OpenBLAS found at
 * build time). */
const char *sj_rt_blas_soname(void);
/* Unloads what sj_rt_blas_open loaded (tests); NULL ok. */
void sj_rt_blas_close(sj_blas_lib *lib);

/* The process-wide library, loaded by the first call (thread-safe); NULL when
 * OpenBLAS could not be loaded (sj_blas_info() says why). */
const sj_blas_lib *sj_rt_blas(void);

/* ---- blas.c's calls, through sj_rt_blas() ---- */

void sj_rt_cblas_sgemm(CBLAS_ORDER o, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k,
                       float alpha, const float *a, blasint lda, const float *b, blasint ldb, float beta, float *c,
                       blasint ldc);
void sj_rt_cblas_dgemm(CBLAS_ORDER o, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k,
                       double alpha, const double *a, blasint lda, const double *b, blasint ldb, double beta, double *c,
                       blasint ldc);
void sj_rt_openblas_set_num_threads(int n);

#define cblas_sgemm sj_rt_cblas_sgemm
#define cblas_dgemm sj_rt_cblas_dgemm
#define openblas_set_num_threads sj_rt_openblas_set_num_threads

#endif
