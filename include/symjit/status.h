/* symjit public API: status codes and dtypes shared by every layer.
 * Self-contained, C++-safe, no LLVM types. */
#ifndef SYMJIT_STATUS_H
#define SYMJIT_STATUS_H

#include "symjit/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sj_status {
  SJ_OK = 0,
  SJ_ERR_PARSE,     /* malformed text IR */
  SJ_ERR_VERIFY,    /* IR violates an op's rules (types, shapes, arity) */
  SJ_ERR_INVALID,   /* bad argument from the caller (NULL, unknown name) */
  SJ_ERR_NOMEM,     /* allocation failed */
  SJ_ERR_IO,        /* file could not be read or written */
  SJ_ERR_PASS,      /* a pass failed */
  SJ_ERR_UNSUPPORTED
} sj_status;

/* Element types. Order is part of the text format only through their names. */
typedef enum sj_dtype {
  SJ_F16,
  SJ_BF16,
  SJ_F32,
  SJ_F64,
  SJ_I8,
  SJ_I32,
  SJ_I64,
  SJ_BOOL,
  SJ_DTYPE_COUNT
} sj_dtype;

/* Returns a static string naming `s`. */
SJ_API const char *sj_status_str(sj_status s);

#ifdef __cplusplus
}
#endif
#endif
