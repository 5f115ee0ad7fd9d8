/* dce: erases pure ops whose results are unused, to a fixed point, using the
 * rewrite driver (which erases trivially dead ops as it meets them). Ops with
 * side effects (store, launch, gemm) and terminators are never removed. */
#include "pass.h"
#include "rewrite.h"

sj_status sj_pass_dce(sj_module *m) { return sj_apply_patterns(m, NULL, 0, NULL); }
