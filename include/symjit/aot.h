/* symjit public API: ahead-of-time export (docs/aot.md, decision 0036).
 *
 * sj_function_export writes a compiled function as an object file and a C
 * header. The object holds the function's kernels (native code for this
 * CPU, optimized at O3), the lowered module's text IR (which the runtime
 * plans from, as the JIT does) and, by option, the shared variables'
 * values. A program links the object with libsymjit_rt (no LLVM: the
 * executor, thread pool, BLAS calls and tensors) or with libsymjit, and
 * calls the header's functions:
 *
 *   mlp_state *s = mlp_new(0);             // loads the image, 0: all cores
 *   if (mlp_predict(s, x, n, logits, n)) fprintf(stderr, "%s\n", mlp_error(s));
 *   mlp_free(s);
 *
 * The runtime never prints: a call returns a status and mlp_error (that is,
 * sj_aot_errmsg) says what was wrong (a wrong-shape input names the input,
 * the expected and the given shape). */
#ifndef SYMJIT_AOT_H
#define SYMJIT_AOT_H

#include <stddef.h>
#include <stdint.h>

#include "symjit/export.h"
#include "symjit/status.h"
#include "symjit/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- exporting (libsymjit only: needs the compiler) ---- */

/* Where the shared variables of a graph function go. */
enum {
  SJ_AOT_SHARED_INITIAL = 0, /* their current values are stored in the object
                                as initial data; each state owns a copy and
                                updates it (an exported training step trains) */
  SJ_AOT_SHARED_ARGS = 1     /* they become arguments after the inputs, and
                                their updates results after the outputs */
};

typedef struct sj_aot_options {
  int shared;          /* SJ_AOT_SHARED_INITIAL (default) or _ARGS */
  int opt_level;       /* LLVM level of the kernels, 0..3 (default 3) */
  const char *func_id; /* the C name of the call in the header (NULL: the
                          func's name); <name>_<func_id> */
} sj_aot_options;
SJ_API void sj_aot_options_init(sj_aot_options *o);

typedef struct sj_function sj_function;

/* Writes f (compiled by sj_module_compile or sj_compile, on the CPU) as the
 * object obj_path and the header header_path. `name` prefixes every symbol
 * the object and the header define (a C identifier: letters, digits, '_',
 * not starting with a digit; at most 64 characters), so objects exported
 * under different names link into one program. Errors (a bad name, an
 * unwritable path, a GPU function) return non-zero with the message in f's
 * context (sj_ctx_errmsg); nothing is left half-written under the paths. */
SJ_API sj_status sj_function_export(sj_function *f, const char *name, const char *obj_path,
                                    const char *header_path, const sj_aot_options *o);

/* ---- the runtime (libsymjit_rt and libsymjit) ---- */

/* The image an exported object defines as <name>_aot_image: the format is
 * the runtime's business (abi is checked at load); do not read it. */
typedef struct sj_aot_image {
  uint32_t abi;             /* SJ_AOT_ABI of the exporter */
  uint32_t nkernels;        /* entries of kernels */
  uint64_t blob_len;        /* bytes of blob */
  const unsigned char *blob; /* the IR text, the signature, the variables */
  void (*const *kernels)(void); /* the kernels, in the blob's order */
} sj_aot_image;
#define SJ_AOT_ABI 1u

/* A loaded exported function: its plan, buffers, thread pool and (initial
 * mode) its own copy of the shared variables. One call at a time per state;
 * states are independent. */
typedef struct sj_aot_state sj_aot_state;

/* Loads img with num_threads threads (0: all cores). NULL only when memory
 * runs out; a bad image gives a state whose every call fails with the reason
 * in sj_aot_errmsg (so the message is never lost). */
SJ_API sj_aot_state *sj_aot_new(const sj_aot_image *img, int num_threads);
SJ_API void sj_aot_free(sj_aot_state *s); /* NULL ok */
/* The last error's message ("" when none); valid until the next call. */
SJ_API const char *sj_aot_errmsg(const sj_aot_state *s);
/* Inputs and outputs of the call (the header's order; shared variables
 * counted only as arguments, SJ_AOT_SHARED_ARGS). */
SJ_API size_t sj_aot_num_inputs(const sj_aot_state *s);
SJ_API size_t sj_aot_num_outputs(const sj_aot_state *s);

/* The call with plain buffers (what the header's functions do): in[i] is
 * input i's data with its dims at in_dims[i] (rank entries each, the static
 * dims included), out[i] is where output i is written, with the dims the
 * caller expects at out_dims[i]. Every dtype, rank and dim is checked against
 * the function before anything runs; a mismatch is SJ_ERR_INVALID naming the
 * argument and both shapes. */
SJ_API sj_status sj_aot_call(sj_aot_state *s, const void *const *in, const int64_t *const *in_dims,
                             void *const *out, const int64_t *const *out_dims);
/* The call with tensors (borrowed inputs; new outputs owned by the caller),
 * for outputs whose shapes are not known before the call. */
SJ_API sj_status sj_aot_call_tensors(sj_aot_state *s, sj_tensor *const *in, size_t nin, sj_tensor **out,
                                     size_t nout);
/* Shared variable i of an initial-mode state (the state's own copy,
 * borrowed: read it, or write its data between calls), NULL past the end. */
SJ_API sj_tensor *sj_aot_shared(sj_aot_state *s, size_t i);
SJ_API size_t sj_aot_num_shared(const sj_aot_state *s);

/* The runtime entry point exported kernels call (lib/codegen/rt_symbols.def):
 * runs fn over [lo, hi) on the state's thread pool. Not for users. */
typedef void (*sj_range_fn)(void *env, int64_t lo, int64_t hi);
SJ_API void sj_rt_parallel_for(void *pool, sj_range_fn fn, void *env, int64_t lo, int64_t hi,
                               int64_t min_parallel, int64_t align);

#ifdef __cplusplus
}
#endif
#endif
