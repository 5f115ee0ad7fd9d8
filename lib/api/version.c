/* sj_version(): the CMake project VERSION (cmake/SymjitLibrary.cmake passes
 * it to this file only, so a version bump recompiles one file). */
#include "symjit/info.h"

#ifndef SJ_VERSION_STRING
#error "SJ_VERSION_STRING is set by CMake (cmake/SymjitLibrary.cmake)"
#endif

const char *sj_version(void) { return SJ_VERSION_STRING; }
