/* The CUDA Driver API, loaded at run time with dlopen("libcuda.so.1") (or
 * $SJ_LIBCUDA): symjit never links libcuda and never includes cuda.h, so it
 * builds and runs where no driver exists and says why when a device is asked
 * for (docs/gpu.md "Runtime", decision 0031). The few driver types are
 * opaque here; the entry points are resolved by their versioned names
 * (cuMemAlloc_v2, ...: the unversioned exports keep 32-bit sizes).
 *
 * Every call returns a status and, on failure, writes a message naming the
 * missing piece or the failing driver call into err (cap bytes; NULL/0:
 * none). Status: SJ_ERR_UNSUPPORTED when the environment cannot run it (no
 * driver, stub library, no device, driver too old, PTX rejected, a driver
 * call failed), SJ_ERR_NOMEM for CUDA_ERROR_OUT_OF_MEMORY, SJ_ERR_INVALID for
 * a bad argument (device string, ordinal). Nothing here prints or aborts.
 *
 * Threads: the driver is loaded and initialized once per process under a
 * lock; a device handle may be used from any thread (each call makes the
 * device's primary context current on the calling thread); a stream must
 * not be used by two threads at once. */
#ifndef SJ_CUDA_DRIVER_H
#define SJ_CUDA_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "symjit/status.h"

/* The oldest driver accepted: CUDA 11.0 (11000) loads PTX ISA 7.0, the
 * version LLVM 19 writes for sm_80, and has every entry point used here. */
#define SJ_CU_MIN_DRIVER 11000

typedef uint64_t sj_cu_ptr; /* CUdeviceptr: a device address (0: none) */
typedef struct sj_cu_dev sj_cu_dev;
typedef struct sj_cu_stream sj_cu_stream;
typedef struct sj_cu_module sj_cu_module;
typedef struct sj_cu_fn sj_cu_fn; /* a kernel of a loaded module */

/* "cpu" -> -1; "cuda" -> 0; "cuda:N" -> N (decimal, 0 <= N < 1024);
 * NULL -> -1 (the CPU). Anything else is SJ_ERR_INVALID with a message
 * naming the string and the accepted forms. Needs no driver. */
sj_status sj_cu_parse_device(const char *s, int *ordinal, char *err, size_t cap);

/* Loads and initializes the driver (once per process; a failure is retried
 * by the next call, so $SJ_LIBCUDA is read again). Messages:
 *   "no CUDA driver found (<dlerror>)"
 *   "no CUDA driver found: <path> is the CUDA toolkit's stub library ..."
 *   "no CUDA device found (...)"
 *   "the CUDA driver is too old: version X.Y, symjit needs 11.0 or newer"
 *   "<path> has no <entry point>: the CUDA driver is too old ..." */
sj_status sj_cu_init(char *err, size_t cap);
/* Number of devices (initializes the driver). */
sj_status sj_cu_device_count(int *n, char *err, size_t cap);

typedef struct sj_cu_props {
  char name[128];
  int ordinal;
  int cc_major, cc_minor;    /* compute capability */
  int sms;                   /* multiprocessors */
  int max_threads_per_block; /* 1024 on sm_30 and later */
  int max_grid_x;
  size_t total_mem;
  int driver_version; /* 12040 for CUDA 12.4 */
} sj_cu_props;

/* Device `ordinal` with its primary context retained (one handle per device
 * and process, counted: every open needs a close). */
sj_status sj_cu_open(int ordinal, sj_cu_dev **out, char *err, size_t cap);
/* Releases a reference; the last one releases the primary context (its
 * memory, modules and streams go with it). NULL ok. The driver library stays
 * loaded until the process exits (decision 0031: libcuda registers exit
 * handlers, unloading it is unsafe). */
void sj_cu_close(sj_cu_dev *d);
const sj_cu_props *sj_cu_props_of(const sj_cu_dev *d);

/* ---- memory (bytes 0 allocates nothing and gives address 0) ---- */
sj_status sj_cu_alloc(sj_cu_dev *d, size_t bytes, sj_cu_ptr *out, char *err, size_t cap);
void sj_cu_free(sj_cu_dev *d, sj_cu_ptr p); /* 0 ok */

/* ---- streams; s NULL is the default stream ---- */
sj_status sj_cu_stream_new(sj_cu_dev *d, sj_cu_stream **out, char *err, size_t cap);
void sj_cu_stream_free(sj_cu_dev *d, sj_cu_stream *s); /* NULL ok */
/* Waits for everything queued on s; a kernel fault queued earlier is
 * reported here. */
sj_status sj_cu_sync(sj_cu_dev *d, sj_cu_stream *s, char *err, size_t cap);

/* Copies of n bytes, queued on s. A copy to the host returns when the data
 * is there (it synchronizes s). */
sj_status sj_cu_to_device(sj_cu_dev *d, sj_cu_stream *s, sj_cu_ptr dst, const void *src, size_t n, char *err,
                          size_t cap);
sj_status sj_cu_to_host(sj_cu_dev *d, sj_cu_stream *s, void *dst, sj_cu_ptr src, size_t n, char *err, size_t cap);
sj_status sj_cu_copy(sj_cu_dev *d, sj_cu_stream *s, sj_cu_ptr dst, sj_cu_ptr src, size_t n, char *err, size_t cap);
sj_status sj_cu_zero(sj_cu_dev *d, sj_cu_stream *s, sj_cu_ptr dst, size_t n, char *err, size_t cap);

/* ---- modules and launches ---- */

/* Loads PTX text (NUL-terminated) through the driver's JIT. A rejection
 * gives the driver's error log in the message; CUDA_ERROR_UNSUPPORTED_PTX_
 * VERSION names the PTX .version and the driver version. */
sj_status sj_cu_module_load(sj_cu_dev *d, const char *ptx, sj_cu_module **out, char *err, size_t cap);
/* The JIT's info log of the load (registers, spills; "" if none). */
const char *sj_cu_module_info_log(const sj_cu_module *m);
void sj_cu_module_free(sj_cu_dev *d, sj_cu_module *m); /* NULL ok */
/* Kernel `name` of m; borrowed, valid while m is loaded. */
sj_status sj_cu_function(sj_cu_dev *d, sj_cu_module *m, const char *name, sj_cu_fn **out, char *err, size_t cap);
/* Threads per block the kernel can be launched with (its registers and
 * launch bounds allow), 0 on failure. */
int sj_cu_fn_max_threads(sj_cu_dev *d, sj_cu_fn *f);

typedef struct sj_cu_launch_dims {
  unsigned grid[3], block[3];
  unsigned shared_bytes; /* dynamic shared memory */
} sj_cu_launch_dims;
/* Queues f on s; args[i] points at the value of parameter i (a sj_cu_ptr
 * for a buffer, an int64_t for a dim, the scalar itself), as cuLaunchKernel
 * takes them. A zero grid or block dimension is SJ_ERR_INVALID. */
sj_status sj_cu_launch(sj_cu_dev *d, sj_cu_stream *s, sj_cu_fn *f, const sj_cu_launch_dims *ld, void **args,
                       char *err, size_t cap);

/* The name of a CUresult ("CUDA_ERROR_INVALID_PTX"), from symjit's own table
 * (the stub library's cuGetErrorName fails); "CUDA_ERROR_<n>" for codes not
 * in it (buf, at least 32 bytes, holds that form). */
const char *sj_cu_error_name(int code, char *buf, size_t cap);
#endif
