/* dce: erases pure ops whose results are unused, to a fixed point, using the
 * rewrite driver (which erases trivially dead ops as it meets them). Ops with
 * side effects (store, launch, gemm) and terminators are never removed. */
#include "registry.h"
#include "rewrite.h"

sj_status sj_pass_dce(sj_module *m, sj_pass_run *run) {
  sj_rewrite_counts n = {0};
  sj_status st = sj_apply_patterns(m, NULL, 0, &n);
  sj_pass_stat_add(run, SJ_STAT_dce_erased, n.dead);
  return st;
}
