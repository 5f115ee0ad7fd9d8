/* symjit public API: the export macro. The library is built with
 * -fvisibility=hidden, so only declarations marked SJ_API (every function of
 * the headers in include/symjit, nothing else) are exported from libsymjit.so; internal
 * functions shared between layers stay inside it (as Lua's LUA_API and
 * LUAI_FUNC). Defining SJ_API before including a symjit header overrides it.
 * Self-contained, C++-safe. */
#ifndef SYMJIT_EXPORT_H
#define SYMJIT_EXPORT_H

#ifndef SJ_API
#if defined(_WIN32)
/* Not a supported platform (LLVM C API, ELF-only runtime), kept honest:
 * a DLL build would need dllexport/dllimport here. */
#define SJ_API
#elif defined(__GNUC__) || defined(__clang__)
#define SJ_API __attribute__((visibility("default")))
#else
#define SJ_API
#endif
#endif

#endif
