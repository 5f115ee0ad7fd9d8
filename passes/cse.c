/* cse: placeholder until the pass lands (fails loudly, never pretends). */
#include "pass.h"

sj_status sj_pass_cse(sj_module *m) {
  sj_loc none = {0};
  sj_emit_error(m->ctx, none, "pass 'cse' is not implemented yet");
  return SJ_ERR_UNSUPPORTED;
}
