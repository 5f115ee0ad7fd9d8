/* libsymjit_rt only (not in libsymjit, which has the real ones in tier.c and
 * cuda_exec.c): the two executor hooks whose real versions need the
 * compiler. An exported function is compiled fully before export (no second
 * tier to swap in) and for the CPU (sj_function_export refuses a CUDA one),
 * so f->tier2_ready and f->gpu stay unset in the runtime. Decision 0036. */
#include "cuda_exec.h"
#include "exec_internal.h"

void sj_api_swap_tier2(sj_function *f) { (void)f; }

sj_status sj_api_gpu_run(sj_function *f) {
  return sj_api_fail(f->ctx, NULL, "@%s: the AOT runtime runs on the CPU only", sj_func_name(f->func));
}
