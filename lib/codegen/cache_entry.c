/* Compile-cache entries on disk (docs/cache.md): one file per key,
 * <dir>/<64 hex digits of the key>.sjc, holding the object files of one
 * compile:
 *   header  "symjitKC", format (u32), object count (u32), the key (32
 *           bytes), payload length (u64), SHA-256 of the payload (32 bytes)
 *   payload per object: its length (u64), its bytes
 * in host byte order (the key names the triple). A reader trusts nothing it
 * has not checked: the file's length, the magic, the format, the key echo,
 * the payload's checksum and every object length; anything off is a miss.
 * Writers never expose a partial file: they write a temporary file in the
 * same directory, fsync it and rename it over the entry (atomic on POSIX),
 * so concurrent processes see either no entry, an old one or the new one.
 * Least recently used entries are evicted when the directory outgrows its
 * cap: a hit refreshes the entry's modification time; eviction removes the
 * oldest first. No I/O error reaches the caller: each is counted. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"

static const char magic[8] = {'s', 'y', 'm', 'j', 'i', 't', 'K', 'C'};

typedef struct entry_header {
  char magic[8];
  uint32_t format;
  uint32_t nobj;
  unsigned char key[SJ_CACHE_KEY_BYTES];
  uint64_t payload_len;
  unsigned char sum[32];
} entry_header;
_Static_assert(sizeof(entry_header) == 88, "the entry header has no padding");

/* Larger entries are refused (a corrupt length must not make us allocate
 * gigabytes); a compile's objects are kilobytes to a few megabytes. */
#define MAX_ENTRY_BYTES ((uint64_t)1 << 30)
/* Temporary files older than this belong to a writer that died (a live one
 * renames within seconds): eviction removes them. */
#define STALE_TMP_SECONDS 3600

static _Atomic uint64_t counters[SJ_CACHE_NCOUNTERS];

void sj_cache_count(sj_cache_counter c) { atomic_fetch_add_explicit(&counters[c], 1, memory_order_relaxed); }

void sj_cg_cache_counters(uint64_t out[SJ_CG_CACHE_NCOUNTERS]) {
  _Static_assert((int)SJ_CG_CACHE_NCOUNTERS == (int)SJ_CACHE_NCOUNTERS, "codegen.h and cache.h agree");
  for (int i = 0; i < SJ_CACHE_NCOUNTERS; i++) out[i] = atomic_load_explicit(&counters[i], memory_order_relaxed);
}

void sj_cache_objs_free(sj_cache_objs *o) {
  for (size_t i = 0; i < o->n && o->data; i++) free(o->data[i]);
  free(o->data);
  free(o->len);
  *o = (sj_cache_objs){0};
}

/* false when the path does not fit (a truncated path would name another file). */
static bool entry_path(char *out, size_t cap, const char *dir, const unsigned char key[SJ_CACHE_KEY_BYTES]) {
  char hex[2 * SJ_CACHE_KEY_BYTES + 1];
  for (int i = 0; i < SJ_CACHE_KEY_BYTES; i++) snprintf(hex + 2 * i, 3, "%02x", key[i]);
  int n = snprintf(out, cap, "%s/%s.sjc", dir, hex);
  return n > 0 && (size_t)n < cap;
}

static void payload_sum(const unsigned char *p, size_t n, unsigned char out[32]) {
  sj_sha256 s;
  sj_sha256_init(&s);
  sj_sha256_update(&s, p, n);
  sj_sha256_final(&s, out);
}

/* ---- reading ---- */

static bool read_all(int fd, unsigned char *p, size_t n) {
  while (n) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r, n -= (size_t)r;
  }
  return true;
}

/* Splits a checked payload into its objects; false when the lengths do not
 * tile it exactly. */
static bool split_payload(const unsigned char *p, uint64_t n, uint32_t nobj, sj_cache_objs *out) {
  out->data = calloc(nobj, sizeof *out->data);
  out->len = calloc(nobj, sizeof *out->len);
  if (!out->data || !out->len) return false;
  uint64_t at = 0;
  for (uint32_t i = 0; i < nobj; i++) {
    uint64_t len;
    if (n - at < sizeof len) return false;
    memcpy(&len, p + at, sizeof len);
    at += sizeof len;
    if (len == 0 || len > n - at) return false;
    out->data[i] = malloc(len);
    if (!out->data[i]) return false;
    memcpy(out->data[i], p + at, len);
    out->len[i] = len, out->n = i + 1;
    at += len;
  }
  return at == n;
}

/* 1: a good entry in *out; 0: no entry; -1: a bad one (or no memory). */
static int read_entry(int fd, const unsigned char key[SJ_CACHE_KEY_BYTES], sj_cache_objs *out) {
  struct stat st;
  entry_header h;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return -1;
  if ((uint64_t)st.st_size < sizeof h || (uint64_t)st.st_size > MAX_ENTRY_BYTES) return -1;
  if (!read_all(fd, (unsigned char *)&h, sizeof h)) return -1;
  if (memcmp(h.magic, magic, sizeof magic) || h.format != SJ_CACHE_FORMAT || h.nobj == 0 ||
      memcmp(h.key, key, SJ_CACHE_KEY_BYTES) || h.payload_len != (uint64_t)st.st_size - sizeof h ||
      h.nobj > h.payload_len / (sizeof(uint64_t) + 1)) /* each object: a length and a byte at least */
    return -1;
  unsigned char *payload = malloc(h.payload_len ? h.payload_len : 1), sum[32];
  if (!payload) return -1;
  bool ok = read_all(fd, payload, h.payload_len);
  if (ok) payload_sum(payload, h.payload_len, sum);
  ok = ok && !memcmp(sum, h.sum, sizeof sum) && split_payload(payload, h.payload_len, h.nobj, out);
  free(payload);
  if (!ok) sj_cache_objs_free(out);
  return ok ? 1 : -1;
}

bool sj_cache_load(const char *dir, const unsigned char key[SJ_CACHE_KEY_BYTES], sj_cache_objs *out) {
  *out = (sj_cache_objs){0};
  char path[4096];
  if (!entry_path(path, sizeof path, dir, key)) {
    sj_cache_count(SJ_CACHE_MISS);
    return false;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    sj_cache_count(errno == ENOENT ? SJ_CACHE_MISS : SJ_CACHE_REJECTED);
    return false;
  }
  int r = read_entry(fd, key, out);
  if (r == 1) futimens(fd, NULL); /* recently used (eviction keeps it); may fail on a read-only cache */
  close(fd);
  sj_cache_count(r == 1 ? SJ_CACHE_HIT : SJ_CACHE_REJECTED);
  return r == 1;
}

/* ---- writing ---- */

/* mkdir -p with mode 0700 (a cache holds code this user will run). */
static bool make_dirs(const char *dir) {
  char p[4096];
  size_t n = strlen(dir);
  if (n == 0 || n >= sizeof p) return false;
  memcpy(p, dir, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (p[i] != '/' && p[i] != 0) continue;
    char c = p[i];
    p[i] = 0;
    if (mkdir(p, 0700) != 0 && errno != EEXIST) return false;
    p[i] = c;
  }
  struct stat st;
  return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool write_all(int fd, const void *data, size_t n) {
  const unsigned char *p = data;
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w, n -= (size_t)w;
  }
  return true;
}

/* The file's bytes: header + payload, one malloc'd block. */
static unsigned char *serialize(const unsigned char key[SJ_CACHE_KEY_BYTES], const sj_cache_objs *o, size_t *len) {
  uint64_t payload = 0;
  for (size_t i = 0; i < o->n; i++) payload += sizeof(uint64_t) + o->len[i];
  if (o->n == 0 || o->n > UINT32_MAX || payload + sizeof(entry_header) > MAX_ENTRY_BYTES) return NULL;
  unsigned char *buf = malloc(sizeof(entry_header) + payload);
  if (!buf) return NULL;
  unsigned char *p = buf + sizeof(entry_header);
  for (size_t i = 0; i < o->n; i++) {
    uint64_t l = o->len[i];
    memcpy(p, &l, sizeof l);
    memcpy(p + sizeof l, o->data[i], o->len[i]);
    p += sizeof l + o->len[i];
  }
  entry_header h = {.format = SJ_CACHE_FORMAT, .nobj = (uint32_t)o->n, .payload_len = payload};
  memcpy(h.magic, magic, sizeof magic);
  memcpy(h.key, key, SJ_CACHE_KEY_BYTES);
  payload_sum(buf + sizeof h, payload, h.sum);
  memcpy(buf, &h, sizeof h);
  *len = sizeof h + payload;
  return buf;
}

/* Writes bytes to a fresh temporary name in dir, fsyncs and renames it to
 * path. A name unique to this process and call: O_EXCL never meets
 * another writer's file. */
static bool publish(const char *dir, const char *path, const unsigned char *bytes, size_t len) {
  static _Atomic unsigned seq;
  char tmp[4096];
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int n = snprintf(tmp, sizeof tmp, "%s/.tmp.%ld.%u.%ld.sjc-part", dir, (long)getpid(), atomic_fetch_add(&seq, 1),
                   ts.tv_nsec);
  if (n < 0 || (size_t)n >= sizeof tmp) return false;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = write_all(fd, bytes, len) && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  ok = ok && rename(tmp, path) == 0;
  if (!ok) {
    unlink(tmp);
    return false;
  }
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* the rename itself survives a crash */
  if (dfd >= 0) fsync(dfd), close(dfd);
  return true;
}

/* ---- eviction ---- */

typedef struct ent {
  struct timespec mtime;
  uint64_t size;
  char name[80];
} ent;

static bool is_entry_name(const char *s) {
  size_t n = strlen(s);
  if (n != 2 * SJ_CACHE_KEY_BYTES + 4 || strcmp(s + n - 4, ".sjc")) return false;
  for (size_t i = 0; i + 4 < n; i++)
    if (!strchr("0123456789abcdef", s[i])) return false;
  return true;
}

static bool is_tmp_name(const char *s) {
  size_t n = strlen(s);
  return !strncmp(s, ".tmp.", 5) && n > 9 && !strcmp(s + n - 9, ".sjc-part");
}

static int older_first(const void *a, const void *b) {
  const ent *x = a, *y = b;
  if (x->mtime.tv_sec != y->mtime.tv_sec) return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
  if (x->mtime.tv_nsec != y->mtime.tv_nsec) return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
  return strcmp(x->name, y->name);
}

/* The entries of dir (and stale temporaries removed on the way). */
static ent *list_entries(int dfd, DIR *d, size_t *n, uint64_t *total) {
  ent *v = NULL;
  size_t cap = 0;
  *n = 0, *total = 0;
  time_t now = time(NULL);
  for (struct dirent *e; (e = readdir(d));) {
    struct stat st;
    bool entry = is_entry_name(e->d_name), tmp = !entry && is_tmp_name(e->d_name);
    if ((!entry && !tmp) || fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
    if (tmp) {
      if (now - st.st_mtime > STALE_TMP_SECONDS) unlinkat(dfd, e->d_name, 0);
      continue;
    }
    if (*n == cap) {
      ent *nv = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof *v);
      if (!nv) break; /* evict among those seen so far */
      v = nv;
    }
    v[*n] = (ent){.mtime = st.st_mtim, .size = (uint64_t)st.st_size};
    snprintf(v[*n].name, sizeof v[*n].name, "%s", e->d_name);
    *total += (uint64_t)st.st_size, (*n)++;
  }
  return v;
}

/* Removes the least recently used entries until dir holds at most
 * max_bytes; `keep` (the entry just written) goes last. Races with other
 * processes are harmless: an entry removed twice is gone, and a reader
 * that opened it first still reads it whole. */
static void evict(const char *dir, uint64_t max_bytes, const char *keep) {
  DIR *d = opendir(dir);
  if (!d) return;
  int dfd = dirfd(d);
  size_t n;
  uint64_t total;
  ent *v = list_entries(dfd, d, &n, &total);
  if (v && total > max_bytes) {
    qsort(v, n, sizeof *v, older_first);
    for (size_t i = 0; i < n && total > max_bytes; i++) {
      if (!strcmp(v[i].name, keep)) continue;
      if (unlinkat(dfd, v[i].name, 0) == 0) sj_cache_count(SJ_CACHE_EVICTED);
      total -= v[i].size;
    }
  }
  free(v);
  closedir(d);
}

void sj_cache_store(const char *dir, uint64_t max_bytes, const unsigned char key[SJ_CACHE_KEY_BYTES],
                    const sj_cache_objs *objs) {
  size_t len = 0;
  unsigned char *bytes = serialize(key, objs, &len);
  if (!bytes || len > max_bytes) { /* never kept: no use evicting others for it */
    free(bytes);
    return;
  }
  char path[4096];
  bool ok = entry_path(path, sizeof path, dir, key) && strlen(path) + 64 < sizeof path && make_dirs(dir) && publish(dir, path, bytes, len);
  free(bytes);
  sj_cache_count(ok ? SJ_CACHE_STORED : SJ_CACHE_IO_ERROR);
  if (ok) evict(dir, max_bytes, strrchr(path, '/') + 1);
}
