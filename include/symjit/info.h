/* symjit public API: what this build of the library is and what it runs on.
 * Self-contained, C++-safe. */
#ifndef SYMJIT_INFO_H
#define SYMJIT_INFO_H

#include "symjit/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, "MAJOR.MINOR.PATCH" (the CMake project VERSION; the
 * shared library's SONAME is libsymjit.so.MAJOR.MINOR while MAJOR is 0).
 * A static string. */
SJ_API const char *sj_version(void);

/* One line saying which BLAS library and kernel set matrix products use, and
 * who chose the kernels, e.g.
 *   "OpenBLAS 0.3.21 (libopenblas.so.0), SkylakeX kernels (detected by OpenBLAS)"
 *   "OpenBLAS 0.3.21 (libopenblas.so.0), SkylakeX kernels (chosen by symjit:
 *    OpenBLAS detected Prescott on a CPU with AVX-512)"
 *   "no BLAS: libopenblas.so.0: cannot open shared object file ..."
 * The first call loads OpenBLAS (docs/runtime.md, "BLAS"); later calls
 * return the same static string. Thread-safe. */
SJ_API const char *sj_blas_info(void);

#ifdef __cplusplus
}
#endif
#endif
