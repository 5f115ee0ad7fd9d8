/* Ahead-of-time export: the blob of an sj_aot_image, written by aot.c (the
 * exporter, libsymjit) and read by aot_rt.c (the runtime, libsymjit_rt and
 * libsymjit). Native byte order (the object is for this CPU anyway):
 *   "SJAOTv1\0"                               8 bytes
 *   u32 nuser_in, nuser_out                   the call's inputs/outputs
 *   u32 nbind_in, nbind_upd, nvars, nkernels
 *   u32 bind_in[nbind_in]                     func param nuser_in+i reads var ...
 *   u32 bind_upd[nbind_upd]                   func result nuser_out+k updates var ...
 *   nvars x { u32 dtype, u32 rank, i64 dims[rank], u64 nbytes, bytes }
 *   nkernels x { u32 len, name }              the kernel table's order
 *   u32 len, func name
 *   u64 len, the lowered module's text IR
 * Shared variables as arguments (SJ_AOT_SHARED_ARGS): nbind_* and nvars 0. */
#ifndef SJ_AOT_INTERNAL_H
#define SJ_AOT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SJ_AOT_MAGIC "SJAOTv1"
#define SJ_AOT_MAGIC_LEN 8

/* A bounds-checked reader over the blob: a read past the end sets bad and
 * yields zeros, so a corrupt blob is one check at the end. */
typedef struct sj_aot_reader {
  const unsigned char *p;
  size_t len, at;
  int bad;
} sj_aot_reader;

static inline const unsigned char *sj_aot_take(sj_aot_reader *r, size_t n) {
  if (r->bad || n > r->len - r->at) {
    r->bad = 1;
    return NULL;
  }
  const unsigned char *q = r->p + r->at;
  r->at += n;
  return q;
}
static inline uint32_t sj_aot_u32(sj_aot_reader *r) {
  uint32_t v = 0;
  const unsigned char *q = sj_aot_take(r, sizeof v);
  if (q) memcpy(&v, q, sizeof v);
  return v;
}
static inline uint64_t sj_aot_u64(sj_aot_reader *r) {
  uint64_t v = 0;
  const unsigned char *q = sj_aot_take(r, sizeof v);
  if (q) memcpy(&v, q, sizeof v);
  return v;
}
#endif
