/* symjit public C API: contexts, modules in the text IR, compiled functions.
 * Self-contained, C++-safe; no LLVM, CUDA or BLAS types. Errors never abort:
 * every call returns a status and the message is in sj_ctx_errmsg(). */
#ifndef SYMJIT_SYMJIT_H
#define SYMJIT_SYMJIT_H

#include <stddef.h>
#include <stdint.h>

#include "symjit/status.h"
#include "symjit/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sj_ctx sj_ctx;
typedef struct sj_module sj_module;
typedef struct sj_function sj_function;

/* A context owns modules and their IR; free it last. */
sj_ctx *sj_ctx_new(void);
void sj_ctx_free(sj_ctx *c); /* NULL ok */
/* Errors recorded so far ("" if none); borrowed, valid until the next call
 * that records an error or sj_ctx_clear_errors. */
const char *sj_ctx_errmsg(const sj_ctx *c);
void sj_ctx_clear_errors(sj_ctx *c);

/* Parses and verifies a module; it belongs to the context. `name` is used in
 * error locations (NULL: "<input>"). */
sj_status sj_module_parse(sj_ctx *c, const char *text, size_t len, const char *name,
                          sj_module **out);
sj_status sj_module_load(sj_ctx *c, const char *path, sj_module **out);

typedef struct sj_compile_options {
  const char *pipeline; /* symjit passes; NULL = the default (-O) pipeline */
  int opt_level;        /* LLVM optimization level 0..3 (default 3) */
  int num_threads;      /* threads for parallel loops; 0 = all cores */
  int tiered;           /* 1 (default): return after a fast machine-code
                           compile and swap in fully optimized kernels from a
                           background thread; 0: optimize fully up front */
} sj_compile_options;
void sj_compile_options_init(sj_compile_options *o);

/* Compiles function `func` of m (m itself is not modified: the pipeline runs
 * on a copy). The function borrows the context: free it before the context. */
sj_status sj_module_compile(sj_module *m, const char *func, const sj_compile_options *o,
                            sj_function **out);
void sj_function_free(sj_function *f); /* NULL ok */
/* Blocks until the fully optimized kernels are installed (tiered compiles;
 * returns at once otherwise). Call before timing a function. */
void sj_function_wait(sj_function *f);

size_t sj_function_num_inputs(const sj_function *f);
size_t sj_function_num_outputs(const sj_function *f);
/* Wall time spent in sj_module_compile (passes + LLVM + JIT), milliseconds. */
double sj_function_compile_ms(const sj_function *f);

/* Runs f. Inputs are borrowed and checked (count, dtype, shape) before any
 * kernel runs. On success out[0..nout) receive new tensors owned by the
 * caller. On error nothing is written to out and the message is in the
 * context. Not thread-safe for one f (it reuses its buffers). */
sj_status sj_function_call(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor **out,
                           size_t nout);

/* As sj_function_call, but writes into caller-provided output tensors, which
 * must already have the result dtypes and shapes (checked before any kernel
 * runs). Avoids allocating (and page-faulting) fresh outputs on every call. */
sj_status sj_function_call_into(sj_function *f, sj_tensor *const *in, size_t nin,
                                sj_tensor *const *out, size_t nout);

#ifdef __cplusplus
}
#endif
#endif
