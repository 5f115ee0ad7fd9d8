/* Entry points that JIT-compiled kernels call. Each has a row in
 * lib/codegen/rt_symbols.def, which declares it to LLVM, registers it with
 * the JIT and checks the row against its prototype in runtime.h. */
#include "runtime.h"
#include "symjit/aot.h" /* SJ_API: exported objects call it from libsymjit_rt.so or libsymjit.so */

void sj_rt_parallel_for(void *pool, sj_range_fn fn, void *env, int64_t lo, int64_t hi,
                        int64_t min_parallel, int64_t align) {
  if (hi <= lo) return;
  if (!pool) {
    fn(env, lo, hi);
    return;
  }
  sj_pool_run((sj_pool *)pool, fn, env, lo, hi, min_parallel, align);
}
