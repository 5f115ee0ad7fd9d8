/* symjit public API: tensors (dtype, shape, contiguous row-major data),
 * owning or borrowing their memory. Self-contained, C++-safe. */
#ifndef SYMJIT_TENSOR_H
#define SYMJIT_TENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "symjit/export.h"
#include "symjit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SJ_TENSOR_MAX_RANK 8

typedef struct sj_tensor sj_tensor;

/* Bytes per element of `dt` (bf16/f16: 2, bool: 1). */
SJ_API size_t sj_dtype_size(sj_dtype dt);

/* Checks that a tensor of this dtype and shape can exist: rank 0..8, dims
 * >= 0, and a byte size counted as numpy does (the product of the non-zero
 * dims times the element size) of at most PTRDIFF_MAX - 64. On success
 * writes the real byte size to *bytes (if non-NULL; 0 for an empty shape).
 * Otherwise returns SJ_ERR_INVALID (bad rank, dtype or dim) or SJ_ERR_NOMEM
 * (too large) and writes a message naming the shape to err (if non-NULL, up
 * to errcap bytes). The constructors below refuse exactly these shapes. */
SJ_API sj_status sj_tensor_check_shape(sj_dtype dt, int rank, const int64_t *dims, size_t *bytes, char *err,
                                size_t errcap);
/* A new tensor owning zeroed, 64-byte aligned memory. NULL on a shape that
 * sj_tensor_check_shape refuses or out of memory. Free with
 * sj_tensor_free. */
SJ_API sj_tensor *sj_tensor_new(sj_dtype dt, int rank, const int64_t *dims);
/* A tensor over caller memory (borrowed: never freed by symjit; must
 * outlive the tensor). */
SJ_API sj_tensor *sj_tensor_wrap(sj_dtype dt, int rank, const int64_t *dims, void *data);
/* A new owning tensor with a copy of `data`. */
SJ_API sj_tensor *sj_tensor_from(sj_dtype dt, int rank, const int64_t *dims, const void *data);
SJ_API void sj_tensor_free(sj_tensor *t); /* NULL ok */

SJ_API sj_dtype sj_tensor_dtype(const sj_tensor *t);
SJ_API int sj_tensor_rank(const sj_tensor *t);
SJ_API const int64_t *sj_tensor_dims(const sj_tensor *t); /* borrowed, `rank` entries */
SJ_API int64_t sj_tensor_numel(const sj_tensor *t);
SJ_API size_t sj_tensor_nbytes(const sj_tensor *t);
SJ_API void *sj_tensor_data(const sj_tensor *t); /* borrowed */
/* Element i (row-major) converted to double, for printing and tests; NaN
 * when t is NULL or i is outside [0, numel). */
SJ_API double sj_tensor_get(const sj_tensor *t, int64_t i);
/* Stores v converted to t's dtype (integers: truncated toward zero and
 * saturated, NaN gives 0; bool: v != 0); does nothing when t is NULL or i is
 * outside [0, numel). */
SJ_API void sj_tensor_set(sj_tensor *t, int64_t i, double v);

/* Counter-based random fill: element i depends only on (seed, i), so results
 * do not depend on thread count or call order (as Philox/Threefry in JAX).
 * Integer dtypes get values rounded toward zero. */
SJ_API sj_status sj_tensor_fill_uniform(sj_tensor *t, uint64_t seed, double lo, double hi);
SJ_API sj_status sj_tensor_fill_normal(sj_tensor *t, uint64_t seed, double mean, double stddev);

/* .npy files (format 1.0/2.0; f32 f64 i32 i64 i8 bool; C order only).
 * Errors (missing file, Fortran order, unsupported dtype, truncated data) are
 * written to err (if non-NULL, up to errcap bytes) and give a non-OK status. */
SJ_API sj_status sj_npy_load(const char *path, sj_tensor **out, char *err, size_t errcap);
SJ_API sj_status sj_npy_save(const char *path, const sj_tensor *t, char *err, size_t errcap);

#ifdef __cplusplus
}
#endif
#endif
