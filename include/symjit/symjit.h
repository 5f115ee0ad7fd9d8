/* symjit public C API: contexts, modules in the text IR, compiled functions.
 * Self-contained, C++-safe; no LLVM, CUDA or BLAS types. Errors never abort:
 * every call returns a status and the message is in sj_ctx_errmsg(). */
#ifndef SYMJIT_SYMJIT_H
#define SYMJIT_SYMJIT_H

#include <stddef.h>
#include <stdint.h>

#include "symjit/export.h"
#include "symjit/status.h"
#include "symjit/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sj_ctx sj_ctx;
typedef struct sj_module sj_module;
typedef struct sj_function sj_function;

/* ---- threads ----
 *
 * What may run at the same time (anything not listed needs the caller to
 * serialize calls):
 *  - Different contexts are independent: any calls on two contexts may run
 *    concurrently.
 *  - One context: building graphs (sj_input, sj_add, sj_grad, ...),
 *    parsing, compiling (sj_module_compile, sj_compile), sj_shared_set,
 *    sj_ctx_clear_errors and sj_function_free are "context-writing" calls:
 *    at most one thread at a time per context. They may run while other
 *    threads call already compiled functions of the context, except
 *    sj_function_free of a function being called and sj_shared_set of a
 *    variable a running function reads or updates. sj_ctx_free comes last,
 *    after every function of the context is freed.
 *  - Calls of compiled functions: different functions of one context may be
 *    called from different threads at the same time (each has its own
 *    buffers and thread pool). One function is not re-entrant: at most one
 *    call of a given sj_function at a time. A graph function that updates
 *    shared variables writes them: two functions updating (or one updating
 *    and one reading) the same shared variable must not run concurrently.
 *  - Errors: recording errors is locked, so concurrent calls that fail
 *    (e.g. two functions given bad inputs) are safe; the log is bounded
 *    (SJ_DIAG_MAX_BYTES bytes of messages, then a count of dropped ones).
 *    sj_ctx_errmsg's pointer is stable but its text may grow while another
 *    thread records an error: use sj_ctx_errmsg_copy then.
 *  - sj_function_wait and the background tier-2 compile: the tier-2 thread
 *    only reads the function's IR and writes its own state (and its entry
 *    in the compile cache); it is joined by sj_function_wait and
 *    sj_function_free.
 *  - The compile cache (docs/cache.md) may be shared by any number of
 *    threads and processes: entries appear whole (written aside, then
 *    renamed), and every read is checked.
 *  - Tensors: no locks; a tensor may be read by several threads (e.g. as an
 *    input of concurrent calls) but written by one at a time.
 *  - The allocator hook (below) is always called under the context's lock,
 *    so it need not be thread-safe itself. */

/* ---- contexts and memory ---- */

/* An allocator in Lua's lua_Alloc form: frees ptr when nsize is 0 (returns
 * NULL), else returns a block of nsize bytes holding the first
 * min(osize, nsize) bytes of ptr (ptr NULL: a new block, osize 0), or NULL
 * on failure (ptr is then left unchanged). Alignment: at least 16 bytes. */
typedef void *(*sj_alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);

typedef struct sj_ctx_options {
  sj_alloc_fn alloc; /* NULL: the C library's realloc/free */
  void *alloc_ud;    /* passed to alloc; borrowed, must outlive the context */
} sj_ctx_options;
SJ_API void sj_ctx_options_init(sj_ctx_options *o); /* NULL ok (no-op) */

/* A context owns modules, their IR, graphs and diagnostics; free it last
 * (after its functions). Every block the library allocates for a context
 * (arenas, IR vectors, hash tables, diagnostics, graph state, pass
 * temporaries) comes from its allocator, including the context itself; when
 * it fails, the call that needed it returns SJ_ERR_NOMEM (graph builders:
 * poison, then sj_compile returns SJ_ERR_NOMEM) with "out of memory" in
 * sj_ctx_errmsg, and the context stays usable. Not from the hook: tensors
 * (sj_tensor_new and the outputs of calls, which outlive contexts), the
 * compiled functions' plans and buffers, and LLVM's own memory.
 * NULL when the context itself cannot be allocated. */
SJ_API sj_ctx *sj_ctx_new(void);
SJ_API sj_ctx *sj_ctx_new_with(const sj_ctx_options *o); /* o NULL: defaults */
SJ_API void sj_ctx_free(sj_ctx *c); /* NULL ok */
/* The error log keeps this many bytes of messages; later ones are counted
 * in a last line "note: N more diagnostics dropped ...". */
#define SJ_ERRMSG_MAX_BYTES (16 * 1024)
/* Diagnostics recorded so far ("" if none): lines `where: error: ...`,
 * `where: warning: ...` and `where: note: ...` (a note explains the error
 * before it). Borrowed, valid until sj_ctx_clear_errors or sj_ctx_free.
 * "no context" for NULL. */
SJ_API const char *sj_ctx_errmsg(const sj_ctx *c);
/* Copies the diagnostics into buf (cap bytes, always NUL-terminated when
 * cap > 0, truncated if needed); returns their full length. Safe while other
 * threads record errors. 0 (and "" in buf) for a NULL context. */
SJ_API size_t sj_ctx_errmsg_copy(const sj_ctx *c, char *buf, size_t cap);
/* Forgets recorded diagnostics and the graph layer's sticky build error:
 * after it, new graph variables can be built and compiled in the same
 * context (variables built before the error stay valid; the poison variable
 * stays poison). NULL ok (no-op). */
SJ_API void sj_ctx_clear_errors(sj_ctx *c);

/* Parses and verifies a module; it belongs to the context. `name` is used in
 * error locations (NULL: "<input>"). */
SJ_API sj_status sj_module_parse(sj_ctx *c, const char *text, size_t len, const char *name,
                          sj_module **out);
SJ_API sj_status sj_module_load(sj_ctx *c, const char *path, sj_module **out);

/* Receives the text of one stage of a compile (see dump below): the func's
 * name, the stage ("input", a pass name, "final", "llvm") and the text
 * (NUL-terminated, len bytes; borrowed for the call only). */
typedef void (*sj_dump_fn)(void *ud, const char *func, const char *stage, const char *text, size_t len);

typedef struct sj_compile_options {
  const char *pipeline; /* symjit passes; NULL = the default (-O) pipeline */
  int opt_level;        /* LLVM optimization level 0..3 (default 3) */
  int num_threads;      /* threads for parallel loops; 0 = all cores */
  int tiered;           /* 1 (default): return after a fast machine-code
                           compile and swap in fully optimized kernels from a
                           background thread; 0: optimize fully up front */
  /* ---- seeing what the compiler did (docs/debugging.md) ---- */
  const char *dump_dir;    /* write the IR after each stage into this
                              directory (created if missing) as
                              <func>.<NN>.<stage>.sj (LLVM IR: .ll);
                              NULL: $SYMJIT_DUMP if set, else no files */
  const char *dump_stages; /* which stages, comma-separated: "input",
                              a pass name, "passes" (every pass), "final",
                              "llvm", "all"; NULL: $SYMJIT_DUMP_STAGES if
                              set, else "input,passes,final" */
  sj_dump_fn dump;         /* also (or instead) hand each stage's text to
                              this callback; NULL: none */
  void *dump_ud;           /* passed to dump; borrowed */
  int nan_guard;           /* 1: after each kernel and gemm, check the float
                              results it wrote; the first NaN/Inf computed
                              from finite operands fails the call with the
                              op, kernel, element and file:line. Compiles
                              without fusion (one kernel per op). 0
                              (default): $SYMJIT_NAN_GUARD=1 turns it on */
  int profile;             /* 1: time every kernel and gemm of each call
                              (sj_function_profile); 0 (default):
                              $SYMJIT_PROFILE=1 turns it on */
  int fast_math;        /* 0 (default): every rewrite keeps IEEE results
                           (NaN, infinities, signed zeros) bit for bit;
                           1: the rewrites of docs/fast-math.md that may
                           remove a NaN or change an inf are allowed too
                           (x / x -> 1, x * 0 -> 0, (x*y)/x -> y, ...), for
                           this compile only */
  int on_unused_input;  /* graph sj_compile: an input no output uses is
                           SJ_UNUSED_INPUT_RAISE (default: an error naming
                           it), _WARN (a warning in sj_ctx_errmsg) or _IGNORE */
  int no_default_updates; /* graph sj_compile: 1 = apply no default update
                             (sj_shared_set_default_update; Theano's
                             no_default_updates); 0 (default): apply them */
  const char *device;   /* where the function runs: "cpu" (or NULL, the
                           default), "cuda" (device 0) or "cuda:N"; a CUDA
                           device needs the NVIDIA driver (loaded at run
                           time, docs/gpu.md): without one, sj_module_compile
                           and sj_compile return SJ_ERR_UNSUPPORTED with "no
                           CUDA driver found ..." in sj_ctx_errmsg; any other
                           string is SJ_ERR_INVALID */
  /* ---- the compile cache (docs/cache.md) ---- */
  int cache;               /* 1 (default): machine code is cached on disk,
                              keyed by the optimized IR, the CPU, these
                              options and the symjit and LLVM builds; a
                              compile that finds its entry loads it (no LLVM
                              work, no first tier); 0: off. $SYMJIT_CACHE=0
                              turns it off too. Cache I/O errors never fail
                              a compile: it compiles as without a cache */
  const char *cache_dir;   /* NULL: $SYMJIT_CACHE_DIR if set, else
                              $XDG_CACHE_HOME/symjit, else
                              $HOME/.cache/symjit (none set: no cache) */
  int64_t cache_max_bytes; /* size cap of the directory: least recently
                              used entries are evicted beyond it. 0:
                              $SYMJIT_CACHE_MAX_BYTES if set (a number of
                              bytes, suffix K, M or G allowed), else 256 MiB */
  /* ---- CUDA devices (docs/gpu.md) ---- */
  int gpu_native_f16; /* 1: f16 add, sub, mul, neg (and min/max from sm_80;
                         bf16 too on sm_90) compute in half precision where
                         the device has them: the same values (one
                         correctly rounded op either way), fewer
                         conversions. 0 (default): widened to f32 */
} sj_compile_options;
enum { SJ_UNUSED_INPUT_RAISE = 0, SJ_UNUSED_INPUT_WARN = 1, SJ_UNUSED_INPUT_IGNORE = 2 };
SJ_API void sj_compile_options_init(sj_compile_options *o);

/* Whether `device` ("cpu", "cuda", "cuda:N"; NULL: "cpu") can run
 * functions here. SJ_OK: a one-line description in buf ("cpu", or "cuda:0:
 * NVIDIA H100 80GB HBM3, sm_90, 132 SMs, 79.1 GiB, driver 12.4"); else the
 * reason, as sj_module_compile would give it: SJ_ERR_INVALID (not a device
 * string, no such ordinal) or SJ_ERR_UNSUPPORTED ("no CUDA driver found
 * (...)", the stub library, no device, a driver too old). buf: cap bytes,
 * always NUL-terminated when cap > 0; NULL/0: status only. Thread-safe. */
SJ_API sj_status sj_device_check(const char *device, char *buf, size_t cap);

/* Compiles function `func` of m (m itself is not modified: the pipeline runs
 * on a copy). The function borrows the context: free it before the context. */
SJ_API sj_status sj_module_compile(sj_module *m, const char *func, const sj_compile_options *o,
                            sj_function **out);
SJ_API void sj_function_free(sj_function *f); /* NULL ok */
/* Blocks until the fully optimized kernels are installed (tiered compiles;
 * returns at once otherwise). Call before timing a function. */
SJ_API void sj_function_wait(sj_function *f);

SJ_API size_t sj_function_num_inputs(const sj_function *f);
SJ_API size_t sj_function_num_outputs(const sj_function *f);
/* Wall time spent in sj_module_compile (passes + LLVM + JIT), milliseconds. */
SJ_API double sj_function_compile_ms(const sj_function *f);
/* 1 when f's kernels were loaded from the compile cache (fully optimized,
 * no LLVM compile ran), 0 otherwise (compiled, or no kernels). */
SJ_API int sj_function_cache_hit(const sj_function *f);

/* The compile cache's counters for this process since it started (all
 * compiles, all contexts): entries loaded, not found, rejected (corrupt,
 * truncated, another key's or another format's: recompiled and replaced,
 * never loaded), written, not written (I/O errors: the compile went on
 * without the cache), and evicted (size cap). */
typedef struct sj_cache_stats {
  uint64_t hits, misses, rejected, stored, write_errors, evicted;
} sj_cache_stats;
SJ_API void sj_cache_stats_get(sj_cache_stats *out); /* NULL ok (no-op) */

/* Runs f. Inputs are borrowed and checked (count, dtype, shape) before any
 * kernel runs. On success out[0..nout) receive new tensors owned by the
 * caller. On error nothing is written to out and the message is in the
 * context. Not re-entrant for one f (it reuses its buffers); different
 * functions may run concurrently (see "threads" above). f NULL:
 * SJ_ERR_INVALID. */
SJ_API sj_status sj_function_call(sj_function *f, sj_tensor *const *in, size_t nin, sj_tensor **out,
                           size_t nout);

/* As sj_function_call, but writes into caller-provided output tensors, which
 * must already have the result dtypes and shapes (checked before any kernel
 * runs; an output whose shape depends on data, after a scan with `until` or
 * a computed step count, is checked after the run: decision 0015). Avoids
 * allocating (and page-faulting) fresh outputs on every call. */
SJ_API sj_status sj_function_call_into(sj_function *f, sj_tensor *const *in, size_t nin,
                                sj_tensor *const *out, size_t nout);

/* ---- seeing what the compiler did (docs/debugging.md) ----
 * The text calls below format into buf (cap bytes, always NUL-terminated
 * when cap > 0, truncated if needed) and store the full length in *len (if
 * non-NULL): call with cap 0 to size the buffer. */

/* The IR of f at `stage`: "input" (the module f was compiled from; for
 * sj_compile, the func built from the graph, with the variables' names and
 * the file:line of each op as comments), "final" (after the pipeline: the
 * func and its kernels), "llvm" (the kernels' LLVM IR, optimized at f's
 * level). An unknown stage: SJ_ERR_INVALID, message in the context. */
SJ_API sj_status sj_function_ir(const sj_function *f, const char *stage, char *buf, size_t cap, size_t *len);
/* Graphviz dot of f at `stage` ("input" or "final"): ops as nodes, types
 * on the edges, fused groups and kernel launches as clusters with their
 * bodies. */
SJ_API sj_status sj_function_dot(const sj_function *f, const char *stage, char *buf, size_t cap, size_t *len);
/* The profile of f's calls since compile (or the last reset), one row per
 * kernel launch and gemm: calls, total time, share of the calls' time, bytes
 * moved and GB/s, GFLOP/s for gemm, the op's file:line; then the peak of
 * live buffer memory. Needs sj_compile_options.profile (else one line
 * saying so). Returns the full length, as sj_ctx_errmsg_copy. */
SJ_API size_t sj_function_profile(const sj_function *f, char *buf, size_t cap);
SJ_API void sj_function_profile_reset(sj_function *f); /* NULL ok */

#ifdef __cplusplus
}
#endif
#endif
