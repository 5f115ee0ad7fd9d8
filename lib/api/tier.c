/* Tiered compilation: a function first runs kernels compiled fast (O1 IR, no
 * machine-code optimization); a background thread compiles the same kernels
 * fully, and the next call after it finishes swaps the entry points (never
 * during a call). tier2_ready: 0 pending, 1 ready, 2 installed. */
#include <stdlib.h>

#include "exec_internal.h"

static void *tier2_main(void *arg) {
  sj_function *f = arg;
  sj_cg_cache cache = {f->cache_dir, f->cache_max_bytes}; /* stores the optimized code for later processes */
  sj_cg_options cg = {.opt_level = f->opt_level, .fast_codegen = false, .diag = f->tier2_diag,
                      .cache = f->cache_dir ? &cache : NULL};
  if (sj_jit_compile(f->mod, f->ks, f->nk, &cg, &f->jit2, f->fns2) == SJ_OK)
    atomic_store_explicit(&f->tier2_ready, 1, memory_order_release);
  return NULL;
}

/* Takes ownership of ks. Without memory or a thread, f keeps its first-tier
 * code (slower, still correct). */
void sj_api_start_tier2(sj_function *f, sj_op **ks, size_t nk, int opt_level) {
  f->ks = ks, f->nk = nk, f->opt_level = opt_level;
  f->fns2 = calloc(nk + 1, sizeof *f->fns2);
  f->tier2_diag = sj_ctx_new();
  f->tier2_started = f->fns2 && f->tier2_diag && pthread_create(&f->tier2, NULL, tier2_main, f) == 0;
}

void sj_api_swap_tier2(sj_function *f) {
  if (atomic_load_explicit(&f->tier2_ready, memory_order_acquire) != 1) return;
  for (int i = 0; i < f->nsteps; i++) {
    if (f->steps[i].kind == ST_LAUNCH) f->steps[i].fn = f->fns2[f->steps[i].kidx];
    if (f->steps[i].epi) f->steps[i].epi->fn = f->fns2[f->steps[i].epi->kidx]; /* gemm epilogue */
    if (f->steps[i].scan) sj_api_scan_swap(&f->steps[i], f->fns2); /* the body's kernels */
  }
  atomic_store_explicit(&f->tier2_ready, 2, memory_order_relaxed);
}

void sj_function_wait(sj_function *f) {
  if (!f || !f->tier2_started) return;
  pthread_join(f->tier2, NULL);
  f->tier2_started = false;
  sj_api_swap_tier2(f);
}

void sj_api_stop_tier2(sj_function *f) {
  if (f->tier2_started) pthread_join(f->tier2, NULL);
  f->tier2_started = false;
  sj_jit_free(f->jit2);
  free(f->fns2);
  free(f->ks);
  sj_ctx_free(f->tier2_diag);
}
