/* Ahead-of-time export's object file (aot_emit.c; docs/aot.md, decision
 * 0036). Plain C types only: lib/api/aot.c includes this. */
#ifndef SJ_AOT_EMIT_H
#define SJ_AOT_EMIT_H

#include <stddef.h>

#include "ir.h"

/* Compiles kernels ks[0..n) at opt_level (one module, no linker needed) into
 * a relocatable, position-independent object for this CPU that defines one
 * global symbol, `<prefix>_aot_image` (an sj_aot_image: include/symjit/aot.h)
 * whose kernel table holds ks's entry points in order and whose blob is
 * blob[0..blob_len). Every other definition is internal (two objects with
 * different prefixes link into one program); the runtime entry points
 * (rt_symbols.def) and libm/libmvec stay undefined. The object's bytes are
 * malloc'd into *obj. Errors go to diag. */
sj_status sj_aot_emit_object(sj_ctx *diag, sj_op *const *ks, size_t n, int opt_level, const char *prefix,
                             const unsigned char *blob, size_t blob_len, unsigned char **obj, size_t *obj_len);
#endif
