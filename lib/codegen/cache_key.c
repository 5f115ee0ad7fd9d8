/* The key of a compile-cache entry (docs/cache.md): SHA-256 over every
 * input that decides the machine code of a list of kernels.
 *  - the kernels as printed after symjit's passes (the canonical text: two
 *    compiles that print alike emit alike) and their entry symbols;
 *  - the options codegen reads: the LLVM optimization level and the
 *    machine-code tier;
 *  - the target: triple, host CPU name and feature string (the same three
 *    strings target.c gives every target machine);
 *  - the versions: the entry format, LLVM's version, and the build of
 *    symjit itself (the GNU build ID of the binary holding this code, so a
 *    rebuilt library, whose code generator or runtime ABI may differ, never
 *    loads the objects of an older one). Without a build ID, the file's
 *    size, modification time and inode stand in; without either the key
 *    fails and nothing is cached.
 * Each field is hashed with its length first, so no two field lists give
 * one byte stream. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "cache.h"
#include "codegen.h"
#include "text.h"

static void put(sj_sha256 *s, const void *p, size_t n) {
  uint64_t len = n;
  sj_sha256_update(s, &len, sizeof len);
  sj_sha256_update(s, p, n);
}

static void put_str(sj_sha256 *s, const char *str) { put(s, str, strlen(str)); }

/* ---- the build of this binary ---- */

typedef struct build_find {
  uintptr_t addr;
  char id[96]; /* hex; "" when the object holding addr has no build ID note */
  bool found;
} build_find;

static void note_build_id(build_find *b, const ElfW(Nhdr) * n, const unsigned char *desc) {
  size_t len = n->n_descsz < 40 ? n->n_descsz : 40;
  for (size_t i = 0; i < len; i++) snprintf(b->id + 2 * i, 3, "%02x", desc[i]);
}

/* Walks the PT_NOTE segments of the object that contains b->addr. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *ud) {
  (void)size;
  build_find *b = ud;
  bool mine = false;
  for (int i = 0; i < info->dlpi_phnum && !mine; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    mine = ph->p_type == PT_LOAD && b->addr >= lo && b->addr < lo + ph->p_memsz;
  }
  if (!mine) return 0;
  b->found = true;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_NOTE) continue;
    const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
      const unsigned char *name = p + sizeof *n, *desc = name + ((n->n_namesz + 3) & ~3u);
      if (desc + n->n_descsz > end) break;
      if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && !memcmp(name, "GNU", 4)) {
        note_build_id(b, n, desc);
        return 1;
      }
      p = desc + ((n->n_descsz + 3) & ~3u);
    }
  }
  return 1;
}

/* "id <hex>", or "file <size> <mtime> <inode>", or "" (unknown). */
static void build_identity(char *out, size_t cap) {
  build_find b = {.addr = (uintptr_t)&build_identity};
  dl_iterate_phdr(find_build_id, &b);
  out[0] = 0;
  if (b.id[0]) {
    snprintf(out, cap, "id %s", b.id);
    return;
  }
  Dl_info di;
  struct stat st;
  if (dladdr((void *)&build_identity, &di) && di.dli_fname && stat(di.dli_fname, &st) == 0)
    snprintf(out, cap, "file %lld %lld.%09ld %llu", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
             st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
}

/* ---- the host, computed once per process ---- */

static pthread_once_t host_once = PTHREAD_ONCE_INIT;
static unsigned char host_digest[SJ_CACHE_KEY_BYTES];
static bool host_ok;

static void host_init(void) {
  char build[160];
  build_identity(build, sizeof build);
  if (!build[0]) return;
  sj_sha256 s;
  sj_sha256_init(&s);
  char head[96];
  unsigned major = 0, minor = 0, patch = 0;
  LLVMGetVersion(&major, &minor, &patch);
  snprintf(head, sizeof head, "symjit compile cache %d; llvm %u.%u.%u", SJ_CACHE_FORMAT, major, minor, patch);
  put_str(&s, head);
  put_str(&s, build);
  char *triple = LLVMGetDefaultTargetTriple(), *cpu = LLVMGetHostCPUName(), *feat = LLVMGetHostCPUFeatures();
  put_str(&s, triple ? triple : "");
  put_str(&s, cpu ? cpu : "");
  put_str(&s, feat ? feat : "");
  LLVMDisposeMessage(triple);
  LLVMDisposeMessage(cpu);
  LLVMDisposeMessage(feat);
  sj_sha256_final(&s, host_digest);
  host_ok = true;
}

/* ---- the kernels ---- */

/* Hashes the printed text of k (a memory stream: the printer writes to a
 * FILE). false when the stream cannot be made or the printer ran out of
 * memory (it then prints values as a marker, and two kernels could print
 * alike). */
static bool put_kernel(sj_sha256 *s, const sj_op *k) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return false;
  sj_print_op(f, k);
  bool ok = !ferror(f);
  ok = fclose(f) == 0 && ok && text && !strstr(text, "<<out of memory>>");
  if (ok) put(s, text, len);
  free(text);
  return ok;
}

bool sj_cache_key(sj_op *const *ks, char (*syms)[SJ_KABI_SYM_CAP], size_t n, int opt_level, bool fast,
                  unsigned char key[SJ_CACHE_KEY_BYTES]) {
  pthread_once(&host_once, host_init);
  if (!host_ok) return false;
  sj_sha256 s;
  sj_sha256_init(&s);
  put(&s, host_digest, sizeof host_digest);
  char opts[64];
  snprintf(opts, sizeof opts, "opt %d fast %d kernels %zu", opt_level, fast ? 1 : 0, n);
  put_str(&s, opts);
  for (size_t i = 0; i < n; i++) {
    put_str(&s, syms[i]);
    if (!put_kernel(&s, ks[i])) return false;
  }
  sj_sha256_final(&s, key);
  return true;
}

/* The key of kernels ks[0..n) compiled to PTX (the device compile of
 * lib/api/cuda_api.c, decision 0037): the same fields as sj_cache_key's
 * (the host digest: versions, symjit's build, and the host, which the
 * PTX does not depend on but which costs only sharing between machines)
 * under a distinct tag, plus what decides the PTX: the GPU architecture
 * (sm_XY), the optimization level, flush-to-zero, native half arithmetic
 * (decision 0038) and the libdevice in use
 * (its path: $CUDA_HOME, or the option). */
bool sj_cache_key_gpu(sj_op *const *ks, size_t n, const sj_gpu_options *o, unsigned char key[SJ_CACHE_KEY_BYTES]) {
  pthread_once(&host_once, host_init);
  if (!host_ok || !o->arch) return false;
  sj_sha256 s;
  sj_sha256_init(&s);
  put(&s, host_digest, sizeof host_digest);
  char opts[160];
  const char *home = getenv("CUDA_HOME");
  snprintf(opts, sizeof opts, "nvptx %s opt %d ftz %d half %d kernels %zu", o->arch, o->opt_level, o->ftz ? 1 : 0,
           o->native_half ? 1 : 0, n);
  put_str(&s, opts);
  put_str(&s, o->libdevice ? o->libdevice : "");
  put_str(&s, home ? home : "");
  for (size_t i = 0; i < n; i++)
    if (!put_kernel(&s, ks[i])) return false;
  sj_sha256_final(&s, key);
  return true;
}
