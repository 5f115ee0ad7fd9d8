/* The kernel ABI: how the executor (lib/api) calls a compiled kernel and
 * what the entry that lib/codegen/emit.c generates unpacks. Both sides use
 * only this header for the layout, so it cannot drift between them.
 *
 *   void <symbol>(void *const *ptrs, const int64_t *dims, void *rt)
 *
 * ptrs[i]  data of kernel parameter i (row-major, contiguous)
 * dims     SJ_KABI_DIMS_PER_PARAM entries per parameter: parameter i's dim k
 *          is dims[sj_kabi_dim_slot(i, k)]; entries past its rank are unused
 * rt       the thread pool (sj_pool *), NULL to run serially */
#ifndef SJ_KERNEL_ABI_H
#define SJ_KERNEL_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "ir.h"

typedef void (*sj_kernel_fn)(void *const *ptrs, const int64_t *dims, void *rt);

/* Positions of the entry's parameters. */
enum { SJ_KABI_PTRS, SJ_KABI_DIMS, SJ_KABI_RT, SJ_KABI_NPARAMS };

#define SJ_KABI_DIMS_PER_PARAM SJ_MAX_RANK

static inline size_t sj_kabi_dim_slot(size_t param, size_t k) { return param * SJ_KABI_DIMS_PER_PARAM + k; }

/* Launches with up to this many arguments are packed on the stack; larger
 * ones on the heap (lowering never makes more than 64 parameters). */
#define SJ_KABI_STACK_PARAMS 64

/* Symbol of a kernel's entry: "sjk_<name>" when the name has at most
 * SJ_KABI_NAME_MAX characters; a longer name keeps its first
 * SJ_KABI_NAME_KEEP characters followed by '#' and a 64-bit hash of the whole
 * name (source names cannot contain '#', so the two forms never meet), and
 * the code generator adds a counter if two long names still collide. */
#define SJ_KABI_PREFIX "sjk_"
#define SJ_KABI_NAME_MAX 128
#define SJ_KABI_NAME_KEEP 80
/* Room for the longest symbol plus a ".<counter>" suffix and the NUL. */
#define SJ_KABI_SYM_CAP (sizeof SJ_KABI_PREFIX + SJ_KABI_NAME_MAX + 24)
#endif
