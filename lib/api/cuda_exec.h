/* Compiled functions on a CUDA device (docs/gpu.md "Runtime", decision
 * 0031). Private to lib/api:
 *   cuda_api.c     the `device` option: parse, open, sj_device_check
 *   cuda_launch.c  one symjit kernel launched per lib/codegen/gpu_abi.h
 *   cuda_exec.c    call phase 2 on the device: buffers, copies, launches
 *   cuda_gemm.c    gemm steps: their GEMM entries loaded and launched
 *   cuda_scan.c    scan steps: scan_exec.c's loop over device memory
 *   cuda_random.c  random_* steps: drawn on the host, copied in (0037)
 * Phase 1 (inputs, shapes, prechecks: shapes.c) is the CPU's, unchanged:
 * every shape is known on the host before anything is queued. */
#ifndef SJ_CUDA_EXEC_H
#define SJ_CUDA_EXEC_H

#include "cuda_driver.h"
#include "cuda_resident.h"
#include "exec_internal.h"
#include "gpu_abi.h"

/* A function's device state (f->gpu); NULL for a CPU function. */
typedef struct sj_api_gpu {
  sj_cu_dev *dev;
  sj_cu_stream *stream;
  char name[16]; /* "cuda:N", for messages */
  bool native_half; /* sj_compile_options.gpu_native_f16 */
  sj_cu_module *mod;
  size_t nk;
  sj_gpu_kernel *kinfo; /* by kernel index (step.kidx) */
  sj_cu_fn **fn, **fn1; /* entries (fn1: TWO_STAGE's first stage) */
  /* device memory, grown as calls need it and kept between calls */
  sj_cu_ptr *dptr;      /* per slot: its device address in this call */
  sj_cu_ptr *own;       /* per slot: memory of its own (params, results) */
  size_t *owncap;
  sj_cu_ptr *buf;       /* per shared intermediate buffer id */
  size_t *bufcap;
  void **stage;         /* per slot: host copy of an output that is a view */
  /* graph functions: the device-resident shared variables (decision 0031),
   * acquired at the first call: res[k] for in_slots[k], then
   * res[nslots_in + k] for upd_slots[k]; in_place[k]: update k is written
   * into its variable's spare device buffer in this call */
  struct sj_cu_resident **res;
  bool *in_place;
  sj_cu_ptr scratch;    /* TWO_STAGE partial results */
  size_t scratch_cap;
  /* gemm steps (cuda_gemm.c): one module per distinct GEMM entry */
  size_t ngemm;
  sj_cu_module **gemm_mod;
  sj_cu_fn **gemm_fn;
  char (*gemm_name)[SJ_KABI_SYM_CAP];
  sj_cu_fn **gemm_step_fn; /* by step index: its entry (gemm steps only) */
  bool *gemm_fused;        /* by step index: the entry applies the step's epilogue */
  int *gemm_col_param;     /* by step index, fused: the epilogue arg whose dim 1 must be N, or -1 */
  /* a scan body's plan (cuda_scan.c): dev, stream, mod, kinfo, fn, fn1 are
   * its function's (not owned); its buffers and gemm entries are its own */
  bool child;
  sj_cu_ptr *pong;  /* by body result: the device scratch of a state kept `last` */
  size_t *pongcap;
  sj_cu_ptr cond;   /* where the body of an `until` scan writes its condition */
  /* random_* steps (cuda_random.c): host staging, kept between calls */
  void *rnd_in, *rnd_out;
  size_t rnd_in_cap, rnd_out_cap;
  /* the compile cache of the PTX (cuda_api.c); NULL: none */
  char *cache_dir;
  uint64_t cache_max;
  bool from_cache; /* this compile's PTX came from it */
} sj_api_gpu;

/* cuda_api.c */
/* Reads o->device: NULL/"cpu" leaves f on the CPU; "cuda[:N]" opens the
 * device into f->gpu; errors are recorded in f->ctx. */
sj_status sj_api_gpu_open(sj_function *f, const sj_compile_options *o);
/* Compiles and loads the kernels ks (launch order, as for the JIT). */
sj_status sj_api_gpu_compile(sj_function *f, sj_op *const *ks, size_t nk, int opt_level);
/* Gives every scan body its device state (recursively) and loads the gemm
 * steps' entries. */
sj_status sj_api_gpu_check_plan(sj_function *f);
/* The PTX target for the device: its sm_XY, at most sm_90. */
void sj_api_gpu_arch(const sj_cu_props *p, char *buf, size_t cap);
void sj_api_gpu_free(sj_function *f); /* NULL gpu ok */

/* cuda_launch.c */
/* The blocks a launch of k uses with these dims (dims[i]: parameter i's);
 * TWO_STAGE: the stage-1 blocks (nparts). Always >= 1. */
unsigned sj_api_gpu_grid(const sj_gpu_kernel *k, const int64_t *const *dims, const sj_cu_props *p);
/* Launches k on s: ptrs[i] is parameter i's device data, dims[i] its dims;
 * TWO_STAGE: both entries, with `scratch` of at least grid * part_bytes. */
sj_status sj_api_gpu_launch(sj_cu_dev *d, sj_cu_stream *s, const sj_gpu_kernel *k, sj_cu_fn *fn, sj_cu_fn *fn1,
                            const sj_cu_ptr *ptrs, const int64_t *const *dims, sj_cu_ptr scratch, char *err,
                            size_t cap);

/* cuda_gemm.c */
/* Generates and loads the GEMM entry of every gemm step (each once). */
sj_status sj_api_gpu_gemm_load(sj_function *f);
void sj_api_gpu_gemm_free(sj_function *f);
/* Queues gemm step i: one launch, or one per batch when the batch dims
 * broadcast partly; nothing when C is empty. Its epilogue too when
 * sj_api_gpu_gemm_fused(f, i); else the caller launches the epilogue after. */
sj_status sj_api_gpu_gemm(sj_function *f, int i);
/* Gemm step i's entry applies its epilogue (fused, decision 0038). */
bool sj_api_gpu_gemm_fused(const sj_function *f, int i);

/* cuda_scan.c */
/* The device state of each scan body of f (recursively), sharing f's
 * device, stream and kernels; its gemm entries loaded. */
sj_status sj_api_gpu_scan_attach(sj_function *f);
/* Runs scan step s on the device (scan_exec.c's loop, device memory). */
sj_status sj_api_gpu_scan(sj_function *f, step *s);

/* cuda_random.c */
/* Random step s: drawn on the host (the CPU's Philox fill), copied in. */
sj_status sj_api_gpu_random(sj_function *f, const step *s);

/* cuda_exec.c */
/* Bytes of slot s at the current call's dims. */
size_t sj_api_gpu_slot_bytes(sj_function *f, int s);
/* Records a driver error msg at op (or nowhere), prefixed by the device. */
sj_status sj_api_gpu_fail(sj_function *f, const sj_op *op, sj_status st, const char *msg);
/* Device memory of `need` bytes in *p (capacity *cap), reallocated when smaller. */
sj_status sj_api_gpu_grow(sj_function *f, const sj_op *op, sj_cu_ptr *p, size_t *cap, size_t need);
/* The per-slot device arrays of f, made at its first call. */
sj_status sj_api_gpu_ensure(sj_function *f);
/* Device memory for the results of the allocating steps in [lo, hi) (a
 * body's results excepted: its scan places them). */
sj_status sj_api_gpu_alloc_range(sj_function *f, int lo, int hi);
/* Device memory for result slot r (a barrier's result, sized at run time). */
sj_status sj_api_gpu_alloc_slot(sj_function *f, const sj_op *op, int r);
/* Runs from step lo through the barriers to the end (as sj_api_run_from). */
sj_status sj_api_gpu_run_from(sj_function *f, int lo);
/* Phase 2 on the device: inputs copied in, steps launched on the
 * function's stream, results copied back into f->data (host), one
 * synchronization at the end. */
sj_status sj_api_gpu_run(sj_function *f);
#endif
