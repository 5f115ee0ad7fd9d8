/* The compile cache of lib/codegen (docs/cache.md): SHA-256, the key of a
 * list of kernels, and the entries on disk. Internal to lib/codegen; jit.c
 * is its one user. Nothing here prints, aborts or reports an I/O error: a
 * cache that cannot be read or written is a miss, counted in the stats. */
#ifndef SJ_CACHE_H
#define SJ_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codegen.h"

/* ---- SHA-256 (cache_sha256.c; FIPS 180-4) ---- */
typedef struct sj_sha256 {
  uint32_t h[8];
  uint64_t len; /* bytes hashed so far */
  unsigned char buf[64];
  size_t nbuf;
} sj_sha256;
void sj_sha256_init(sj_sha256 *s);
void sj_sha256_update(sj_sha256 *s, const void *data, size_t n);
void sj_sha256_final(sj_sha256 *s, unsigned char out[32]);

/* ---- the key (cache_key.c) ---- */
enum { SJ_CACHE_KEY_BYTES = 32 };
/* The entry format: bump when the file layout or the meaning of a key field
 * changes (both the key and the header carry it). */
enum { SJ_CACHE_FORMAT = 1 };
/* The key of kernels ks[0..n) with entry symbols syms[0..n), compiled at
 * opt_level (fast: CodeGenOpt::None) for the host: their printed IR, the
 * target (triple, CPU name and features), the options, the cache format,
 * the LLVM version and the build of symjit itself. false when it cannot be
 * computed (out of memory): then nothing is cached. */
bool sj_cache_key(sj_op *const *ks, char (*syms)[SJ_KABI_SYM_CAP], size_t n, int opt_level, bool fast,
                  unsigned char key[SJ_CACHE_KEY_BYTES]);
/* The key of kernels ks[0..n) compiled to PTX for `arch` ("sm_90") with
 * these options (lib/api/cuda_api.c): a tag of its own, the architecture,
 * the options and libdevice, the kernels' printed IR. */
struct sj_gpu_options; /* codegen.h */
bool sj_cache_key_gpu(sj_op *const *ks, size_t n, const struct sj_gpu_options *o, unsigned char key[SJ_CACHE_KEY_BYTES]);

/* ---- entries on disk (cache_entry.c) ---- */
/* The objects of one entry: n object files, each a (bytes, length) pair. */
typedef struct sj_cache_objs {
  size_t n;
  unsigned char **data; /* malloc'd, each */
  size_t *len;
} sj_cache_objs;
void sj_cache_objs_free(sj_cache_objs *o);

/* Reads and checks the entry of `key` in dir (header, key echo, lengths,
 * checksum). true and *out filled on a hit (the entry's time is refreshed,
 * for eviction); false on a miss or a bad entry (counted; a bad entry is
 * removed so that the next compile replaces it). */
bool sj_cache_load(const char *dir, const unsigned char key[SJ_CACHE_KEY_BYTES], sj_cache_objs *out);
/* Writes the entry of `key` atomically (a temporary file, fsync, rename),
 * creating dir if needed, then evicts the least recently used entries while
 * the directory holds more than max_bytes. Failures are only counted. */
void sj_cache_store(const char *dir, uint64_t max_bytes, const unsigned char key[SJ_CACHE_KEY_BYTES],
                    const sj_cache_objs *objs);

/* Counters (process-wide, atomic). */
typedef enum sj_cache_counter {
  SJ_CACHE_HIT,
  SJ_CACHE_MISS,     /* no entry */
  SJ_CACHE_REJECTED, /* an entry was there but corrupt, truncated or another key's */
  SJ_CACHE_STORED,
  SJ_CACHE_IO_ERROR, /* an entry could not be written (directory missing and not creatable, unwritable, full) */
  SJ_CACHE_EVICTED,
  SJ_CACHE_NCOUNTERS
} sj_cache_counter;
void sj_cache_count(sj_cache_counter c);
#endif
