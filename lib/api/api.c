/* Public API glue for contexts and modules (see include/symjit/symjit.h). */
#include <stdlib.h>

#include "symjit/symjit.h"
#include "text.h"

const char *sj_ctx_errmsg(const sj_ctx *c) { return c ? sj_ctx_diags(c) : "no context"; }
size_t sj_ctx_errmsg_copy(const sj_ctx *c, char *buf, size_t cap) {
  if (!buf) cap = 0;
  if (c) return sj_ctx_diags_copy(c, buf, cap);
  if (cap) buf[0] = '\0';
  return 0;
}
/* Also resets the graph layer's sticky error (see sj_ctx_set_graph). */
void sj_ctx_clear_errors(sj_ctx *c) {
  if (c) sj_ctx_clear_diags(c);
}

sj_status sj_module_parse(sj_ctx *c, const char *text, size_t len, const char *name,
                          sj_module **out) {
  if (!c || !text || !out) return SJ_ERR_INVALID;
  return sj_parse_module(c, name, text, len, true, out);
}

sj_status sj_module_load(sj_ctx *c, const char *path, sj_module **out) {
  if (!c || !path || !out) return SJ_ERR_INVALID;
  char *text;
  size_t len;
  if (sj_read_file(path, &text, &len)) {
    sj_loc none = {0};
    sj_emit_error(c, none, "cannot read '%s'", path);
    return SJ_ERR_IO;
  }
  sj_status st = sj_parse_module(c, path, text, len, true, out);
  free(text);
  return st;
}

void sj_compile_options_init(sj_compile_options *o) {
  if (!o) return;
  o->pipeline = NULL;
  o->opt_level = 3;
  o->num_threads = 0;
  o->tiered = 1;
  /* debugging aids (docs/debugging.md): off; the SYMJIT_* environment
   * variables are read at compile time, not here */
  o->dump_dir = NULL;
  o->dump_stages = NULL;
  o->dump = NULL;
  o->dump_ud = NULL;
  o->nan_guard = 0;
  o->profile = 0;
  o->fast_math = 0;
  o->on_unused_input = SJ_UNUSED_INPUT_RAISE; /* Theano's default */
  o->no_default_updates = 0;
  o->device = NULL; /* the CPU */
  o->cache = 1; /* the directory and the cap come from the environment */
  o->cache_dir = NULL;
  o->cache_max_bytes = 0;
  o->gpu_native_f16 = 0; /* half ops widened to f32 on a CUDA device */
}
