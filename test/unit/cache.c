/* The compile cache (docs/cache.md): a second compile loads the first one's
 * machine code (hit) and computes the same bits as an uncached compile; a
 * missing entry compiles and stores (miss); every kind of bad entry
 * (truncated, zero length, a flipped payload byte, another format, another
 * key, a wrong magic or length, trailing bytes, objects that do not tile the
 * payload) is rejected, recompiled and replaced, never loaded; an
 * unwritable directory compiles normally without an error; the option and
 * the environment choose the directory or turn the cache off; the size cap
 * evicts the least recently used entry; tiered compiles get the optimized
 * code from a warm cache at once and store it from tier 2 when cold; and
 * processes compiling into one directory at once (fork) never see a
 * half-written entry. SHA-256 is checked against the FIPS 180-4 vectors. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache.h" /* lib/codegen: the hash and the entry format, tested directly */
#include "symjit/symjit.h"

#include "check.h"

/* @mlp: two gemms with epilogues, reductions and exp; @s: a scan (its
 * body's kernels are cached with the function's); @id: no kernels. */
static const char *const src =
    "func @mlp(%x: f32[?,16], %W1: f32[16,8], %b1: f32[8], %W2: f32[8,4], %b2: f32[4]) -> (f32[?,4], f32[]) {\n"
    "  %0 = matmul %x, %W1 : f32[?,8]\n"
    "  %1 = add %0, %b1 : f32[?,8]\n"
    "  %zero = constant {value = 0.0} : f32[]\n"
    "  %h = maximum %1, %zero : f32[?,8]\n"
    "  %2 = matmul %h, %W2 : f32[?,4]\n"
    "  %l = add %2, %b2 : f32[?,4]\n"
    "  %m = max %l {axes = [1], keepdims = true} : f32[?,1]\n"
    "  %s = sub %l, %m : f32[?,4]\n"
    "  %e = exp %s : f32[?,4]\n"
    "  %t = sum %e {axes = [1], keepdims = true} : f32[?,1]\n"
    "  %p = div %e, %t : f32[?,4]\n"
    "  %q = tanh %p : f32[?,4]\n"
    "  %r = sum %q {axes = [0, 1]} : f32[]\n"
    "  return %p, %r\n"
    "}\n"
    "func @s(%n: i64[], %xs: f32[?,2], %h0: f32[2]) -> (f32[?,2], f32[2]) {\n"
    "  %H, %L = scan %n, %xs, %h0, %h0 {nseq = 1, nstate = 2, has_n = true, last = [1]} : f32[?,2], f32[2] "
    "(%x: f32[2], %h: f32[2], %g: f32[2]) {\n"
    "    %h2 = add %h, %x : f32[2]\n    %e = exp %x : f32[2]\n    %g2 = mul %g, %e : f32[2]\n    yield %h2, %g2\n  }\n"
    "  return %H, %L\n}\n"
    "func @id(%x: f32[2]) -> (f32[2]) {\n  return %x\n}\n";

/* @g<k>: one function per k (a different constant: a different key). */
static sj_module *g_module(sj_ctx *c, int k) {
  char text[512];
  snprintf(text, sizeof text,
           "func @g%d(%%x: f32[?]) -> (f32[?]) {\n  %%c = constant {value = %d.5} : f32[]\n"
           "  %%0 = mul %%x, %%c : f32[?]\n  %%1 = tanh %%0 : f32[?]\n  %%2 = log1p %%1 : f32[?]\n  return %%2\n}\n",
           k, k);
  sj_module *m = NULL;
  CHECK(sj_module_parse(c, text, strlen(text), "g", &m) == SJ_OK);
  return m;
}

static char base[256];
static sj_ctx *ctx;

/* ---- compiling and running ---- */

typedef struct copts {
  const char *dir; /* NULL: cache off (option) */
  int tiered, opt_level;
  int64_t cap;
} copts;

static sj_function *compile(sj_module *m, const char *fn, copts co) {
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.tiered = co.tiered;
  o.opt_level = co.opt_level ? co.opt_level : 3;
  o.cache = co.dir != NULL;
  o.cache_dir = co.dir;
  o.cache_max_bytes = co.cap;
  sj_function *f = NULL;
  sj_status st = m ? sj_module_compile(m, fn, &o, &f) : SJ_ERR_INVALID;
  CHECK(st == SJ_OK && f);
  return f;
}

static sj_tensor *input(sj_dtype dt, int rank, const int64_t *d, uint64_t seed) {
  sj_tensor *t = sj_tensor_new(dt, rank, d);
  if (t && dt != SJ_I64) sj_tensor_fill_uniform(t, seed, -2, 2);
  return t;
}

/* Runs f (@mlp, @s or a @g) on fixed inputs; returns the bytes of all its
 * outputs, concatenated (malloc'd, length in *len). */
static unsigned char *run(sj_function *f, const char *fn, size_t *len) {
  sj_tensor *in[5] = {0}, *out[2] = {0};
  size_t nin, nout;
  if (!strcmp(fn, "mlp")) {
    in[0] = input(SJ_F32, 2, (int64_t[]){5, 16}, 1), in[1] = input(SJ_F32, 2, (int64_t[]){16, 8}, 2);
    in[2] = input(SJ_F32, 1, (int64_t[]){8}, 3), in[3] = input(SJ_F32, 2, (int64_t[]){8, 4}, 4);
    in[4] = input(SJ_F32, 1, (int64_t[]){4}, 5);
    nin = 5, nout = 2;
  } else if (!strcmp(fn, "s")) {
    in[0] = input(SJ_I64, 0, NULL, 0), in[1] = input(SJ_F32, 2, (int64_t[]){7, 2}, 6), in[2] = input(SJ_F32, 1, (int64_t[]){2}, 7);
    sj_tensor_set(in[0], 0, 7);
    nin = 3, nout = 2;
  } else {
    in[0] = input(SJ_F32, 1, (int64_t[]){1000}, 8);
    nin = 1, nout = 1;
  }
  unsigned char *bytes = NULL;
  *len = 0;
  if (f && sj_function_call(f, in, nin, out, nout) == SJ_OK) {
    for (size_t i = 0; i < nout; i++) *len += sj_tensor_nbytes(out[i]);
    bytes = malloc(*len);
    size_t at = 0;
    for (size_t i = 0; i < nout && bytes; i++) {
      memcpy(bytes + at, sj_tensor_data(out[i]), sj_tensor_nbytes(out[i]));
      at += sj_tensor_nbytes(out[i]);
    }
  }
  CHECK(bytes != NULL);
  for (size_t i = 0; i < 5; i++) sj_tensor_free(in[i]);
  for (size_t i = 0; i < 2; i++) sj_tensor_free(out[i]);
  return bytes;
}

/* The uncached, fully optimized results of fn: what cached code must give,
 * bit for bit. */
typedef struct ref {
  unsigned char *bytes;
  size_t len;
} ref;

static ref reference(sj_module *m, const char *fn) {
  sj_function *f = compile(m, fn, (copts){0});
  ref r = {0};
  r.bytes = run(f, fn, &r.len);
  sj_function_free(f);
  return r;
}

/* Compiles fn with co, checks the hit flag and the results; frees f. */
static void compile_check(sj_module *m, const char *fn, copts co, int want_hit, const ref *r, int line) {
  sj_function *f = compile(m, fn, co);
  sj_function_wait(f); /* tiered: compare the optimized code */
  size_t len = 0;
  unsigned char *b = run(f, fn, &len);
  if (sj_function_cache_hit(f) != want_hit) {
    fprintf(stderr, "%s:%d: @%s: cache hit %d, expected %d\n", __FILE__, line, fn, sj_function_cache_hit(f), want_hit);
    failures++;
  }
  if (!b || len != r->len || memcmp(b, r->bytes, len)) {
    fprintf(stderr, "%s:%d: @%s: results differ from the uncached compile's\n", __FILE__, line, fn);
    failures++;
  }
  free(b);
  sj_function_free(f);
}
#define COMPILE_CHECK(m, fn, co, hit, r) compile_check(m, fn, co, hit, r, __LINE__)

/* ---- the directory ---- */

static sj_cache_stats stats(void) {
  sj_cache_stats s;
  sj_cache_stats_get(&s);
  return s;
}

static void fresh_dir(char *out, size_t cap, const char *name) {
  snprintf(out, cap, "%s/%s", base, name);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
  CHECK(system(cmd) == 0);
}

/* The number of entries in dir; the path of the last one seen in path. */
static int entries(const char *dir, char *path, size_t cap) {
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));) {
    size_t l = strlen(e->d_name);
    if (l < 4 || strcmp(e->d_name + l - 4, ".sjc")) continue;
    n++;
    if (path) snprintf(path, cap, "%s/%s", dir, e->d_name);
  }
  if (d) closedir(d);
  return n;
}

static unsigned char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  unsigned char *b = NULL;
  *len = 0;
  if (f && fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    rewind(f);
    b = malloc(n > 0 ? (size_t)n : 1);
    if (b && n >= 0 && fread(b, 1, (size_t)n, f) == (size_t)n) *len = (size_t)n;
  }
  if (f) fclose(f);
  return b;
}

static void write_file(const char *path, const unsigned char *b, size_t len) {
  FILE *f = fopen(path, "wb");
  CHECK(f && fwrite(b, 1, len, f) == len);
  if (f) fclose(f);
}

/* ---- tests ---- */

static void test_sha256(void) {
  static const struct {
    const char *msg;
    const char *hex;
  } v[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    unsigned char d[32];
    char hex[65];
    sj_sha256 s;
    sj_sha256_init(&s);
    for (const char *p = v[i].msg; *p; p++) sj_sha256_update(&s, p, 1); /* byte by byte: the buffering */
    sj_sha256_final(&s, d);
    for (int k = 0; k < 32; k++) snprintf(hex + 2 * k, 3, "%02x", d[k]);
    CHECK(!strcmp(hex, v[i].hex));
  }
  /* a million 'a', in uneven pieces */
  static char a[1000000];
  memset(a, 'a', sizeof a);
  sj_sha256 s;
  sj_sha256_init(&s);
  for (size_t at = 0, step = 1; at < sizeof a; at += step, step = step * 3 % 1021 + 1)
    sj_sha256_update(&s, a + at, at + step <= sizeof a ? step : sizeof a - at);
  unsigned char d[32];
  char hex[65];
  sj_sha256_final(&s, d);
  for (int k = 0; k < 32; k++) snprintf(hex + 2 * k, 3, "%02x", d[k]);
  CHECK(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

/* Miss, store, hit, for each function; no entry for a function without
 * kernels; the optimization level is part of the key. */
static void test_hit_miss(sj_module *m, const ref *rmlp, const ref *rs) {
  char dir[512];
  fresh_dir(dir, sizeof dir, "hitmiss");
  copts co = {.dir = dir};
  sj_cache_stats s0 = stats();
  COMPILE_CHECK(m, "mlp", co, 0, rmlp);
  sj_cache_stats s1 = stats();
  CHECK(s1.misses == s0.misses + 1 && s1.stored == s0.stored + 1 && s1.hits == s0.hits);
  CHECK(entries(dir, NULL, 0) == 1);
  COMPILE_CHECK(m, "mlp", co, 1, rmlp);
  sj_cache_stats s2 = stats();
  CHECK(s2.hits == s1.hits + 1 && s2.stored == s1.stored && s2.rejected == s1.rejected);
  COMPILE_CHECK(m, "s", co, 0, rs);
  COMPILE_CHECK(m, "s", co, 1, rs);
  CHECK(entries(dir, NULL, 0) == 2);
  sj_cache_stats s3 = stats();
  sj_function *id = compile(m, "id", co);
  CHECK(id && !sj_function_cache_hit(id));
  sj_function_free(id);
  sj_cache_stats s4 = stats();
  CHECK(s4.hits == s3.hits && s4.misses == s3.misses && s4.stored == s3.stored);
  /* another optimization level: another entry, same results here */
  sj_function *f2 = compile(m, "mlp", (copts){.dir = dir, .opt_level = 2});
  CHECK(f2 && !sj_function_cache_hit(f2));
  sj_function_free(f2);
  CHECK(entries(dir, NULL, 0) == 3);
  f2 = compile(m, "mlp", (copts){.dir = dir, .opt_level = 2});
  CHECK(f2 && sj_function_cache_hit(f2));
  sj_function_free(f2);
}

/* Tiered compiles: cold, the first tier runs and tier 2 stores the
 * optimized code; warm, the optimized code is there at once. A function
 * freed while its tier 2 compiles (and stores) is safe. */
static void test_tiered(sj_module *m, const ref *rmlp) {
  char dir[512];
  fresh_dir(dir, sizeof dir, "tiered");
  copts co = {.dir = dir, .tiered = 1};
  sj_cache_stats s0 = stats();
  COMPILE_CHECK(m, "mlp", co, 0, rmlp); /* waits for tier 2 */
  sj_cache_stats s1 = stats();
  CHECK(s1.stored == s0.stored + 1 && entries(dir, NULL, 0) == 1);
  COMPILE_CHECK(m, "mlp", co, 1, rmlp);
  /* the tier-1 code is never stored: an untiered compile hits the same entry */
  COMPILE_CHECK(m, "mlp", (copts){.dir = dir}, 1, rmlp);
  fresh_dir(dir, sizeof dir, "tiered2");
  sj_function *f = compile(m, "mlp", co);
  sj_function_free(f); /* tier 2 still compiling */
  COMPILE_CHECK(m, "mlp", co, 1, rmlp);
}

typedef enum corruption {
  TRUNCATED, ZERO_LENGTH, HEADER_ONLY, FLIPPED_PAYLOAD, FLIPPED_CHECKSUM, OTHER_FORMAT, OTHER_KEY, BAD_MAGIC,
  BAD_LENGTH, TRAILING_BYTES, OTHER_ENTRY, NOT_A_FILE, NCORRUPTIONS
} corruption;
static const char *const corruption_names[] = {"truncated", "zero length", "header only", "flipped payload byte",
                                               "flipped checksum byte", "other format", "other key", "bad magic",
                                               "bad payload length", "trailing bytes", "another function's entry",
                                               "a directory"};

/* Header offsets (cache_entry.c): magic 0, format 8, count 12, key 16,
 * payload length 48, checksum 56, payload 88. */
static void corrupt(const char *path, corruption k, const unsigned char *other, size_t other_len) {
  size_t len;
  unsigned char *b = read_file(path, &len);
  CHECK(b && len > 200);
  if (!b || len <= 200) return;
  switch (k) {
  case TRUNCATED: len /= 2; break;
  case ZERO_LENGTH: len = 0; break;
  case HEADER_ONLY: len = 88; break;
  case FLIPPED_PAYLOAD: b[len - 1] ^= 0x40; break;
  case FLIPPED_CHECKSUM: b[60] ^= 1; break;
  case OTHER_FORMAT: b[8] ^= 0x7f; break;
  case OTHER_KEY: b[16 + 5] ^= 1; break;
  case BAD_MAGIC: b[0] = 'S'; break;
  case BAD_LENGTH: b[48] ^= 4; break;
  case TRAILING_BYTES: {
    unsigned char *nb = realloc(b, len + 3);
    if (nb) b = nb, memset(b + len, 0, 3), len += 3;
    break;
  }
  case OTHER_ENTRY: write_file(path, other, other_len), free(b); return;
  case NOT_A_FILE:
    CHECK(unlink(path) == 0 && mkdir(path, 0700) == 0);
    free(b);
    return;
  default: break;
  }
  write_file(path, b, len);
  free(b);
}

/* Each bad entry: rejected (counted), compiled, the results right, and
 * replaced (the next compile hits) except where the entry's name is taken
 * by a directory (then it stays a miss, and still no error). */
static void test_corruption(sj_module *m, const ref *rmlp) {
  char dir[512], path[768], gdir[512], gpath[768];
  fresh_dir(gdir, sizeof gdir, "corrupt-other");
  sj_module *gm = g_module(ctx, 1);
  sj_function *gf = compile(gm, "g1", (copts){.dir = gdir});
  sj_function_free(gf);
  CHECK(entries(gdir, gpath, sizeof gpath) == 1);
  size_t glen;
  unsigned char *gbytes = read_file(gpath, &glen);
  for (int k = 0; k < NCORRUPTIONS; k++) {
    char name[64];
    snprintf(name, sizeof name, "corrupt%d", k);
    fresh_dir(dir, sizeof dir, name);
    copts co = {.dir = dir};
    COMPILE_CHECK(m, "mlp", co, 0, rmlp);
    CHECK(entries(dir, path, sizeof path) == 1);
    corrupt(path, (corruption)k, gbytes, glen);
    sj_cache_stats s0 = stats();
    COMPILE_CHECK(m, "mlp", co, 0, rmlp);
    sj_cache_stats s1 = stats();
    if (s1.rejected != s0.rejected + 1 || s1.hits != s0.hits) {
      fprintf(stderr, "%s:%d: %s: not rejected\n", __FILE__, __LINE__, corruption_names[k]);
      failures++;
    }
    COMPILE_CHECK(m, "mlp", co, k != NOT_A_FILE, rmlp);
  }
  free(gbytes);
}

/* The entry reader on its own (sj_cache_load/sj_cache_store): what is
 * stored reads back byte for byte; object lengths that do not tile the
 * payload are rejected even under a valid checksum. */
static void test_entry_format(void) {
  char dir[512];
  fresh_dir(dir, sizeof dir, "format");
  unsigned char key[SJ_CACHE_KEY_BYTES], a[100], b[3] = {7, 8, 9};
  for (int i = 0; i < SJ_CACHE_KEY_BYTES; i++) key[i] = (unsigned char)(i * 7 + 1);
  for (int i = 0; i < 100; i++) a[i] = (unsigned char)i;
  unsigned char *data[2] = {a, b};
  size_t len[2] = {100, 3};
  sj_cache_objs objs = {2, data, len}, back;
  sj_cache_store(dir, 1 << 20, key, &objs);
  CHECK(sj_cache_load(dir, key, &back));
  CHECK(back.n == 2 && back.len[0] == 100 && back.len[1] == 3 && !memcmp(back.data[0], a, 100) &&
        !memcmp(back.data[1], b, 3));
  sj_cache_objs_free(&back);
  unsigned char other[SJ_CACHE_KEY_BYTES];
  memcpy(other, key, sizeof other);
  other[31] ^= 1;
  CHECK(!sj_cache_load(dir, other, &back) && back.n == 0); /* no such entry */
  /* rewrite the lengths, then the checksum, so only the tiling is wrong */
  char path[768];
  CHECK(entries(dir, path, sizeof path) == 1);
  size_t flen;
  unsigned char *f = read_file(path, &flen);
  CHECK(f && flen == 88 + 8 + 100 + 8 + 3);
  static const uint64_t bad_first[] = {0, 101, 200, 99};
  for (size_t i = 0; f && i < sizeof bad_first / sizeof bad_first[0]; i++) {
    memcpy(f + 88, &bad_first[i], 8);
    sj_sha256 s;
    sj_sha256_init(&s);
    sj_sha256_update(&s, f + 88, flen - 88);
    sj_sha256_final(&s, f + 56);
    write_file(path, f, flen);
    CHECK(!sj_cache_load(dir, key, &back) && back.n == 0);
  }
  /* an object count the payload cannot hold */
  if (f) {
    uint64_t first = 100;
    memcpy(f + 88, &first, 8);
    sj_sha256 s;
    sj_sha256_init(&s);
    sj_sha256_update(&s, f + 88, flen - 88);
    sj_sha256_final(&s, f + 56);
    write_file(path, f, flen);
    CHECK(sj_cache_load(dir, key, &back)); /* restored: valid again */
    sj_cache_objs_free(&back);
    uint32_t count = 1000;
    memcpy(f + 12, &count, 4);
    write_file(path, f, flen);
    CHECK(!sj_cache_load(dir, key, &back));
  }
  free(f);
  /* an entry larger than the cap is not written */
  fresh_dir(dir, sizeof dir, "format-cap");
  sj_cache_store(dir, 50, key, &objs);
  CHECK(entries(dir, NULL, 0) == 0);
}

/* No cache directory can be written: compiles work, silently, and count a
 * write error. */
static void test_unwritable(sj_module *m, const ref *rmlp) {
  char file[512], dir[600];
  snprintf(file, sizeof file, "%s/plain-file", base);
  write_file(file, (const unsigned char *)"x", 1);
  snprintf(dir, sizeof dir, "%s/sub", file); /* below a regular file */
  sj_cache_stats s0 = stats();
  sj_ctx_clear_errors(ctx);
  COMPILE_CHECK(m, "mlp", (copts){.dir = dir}, 0, rmlp);
  COMPILE_CHECK(m, "mlp", (copts){.dir = "/proc/symjit-cache-test"}, 0, rmlp); /* procfs: no mkdir */
  sj_cache_stats s1 = stats();
  CHECK(s1.write_errors == s0.write_errors + 2 && s1.stored == s0.stored);
  CHECK(!strcmp(sj_ctx_errmsg(ctx), ""));
  if (geteuid() != 0) { /* root writes anyway */
    char ro[512];
    fresh_dir(ro, sizeof ro, "readonly");
    COMPILE_CHECK(m, "mlp", (copts){.dir = ro}, 0, rmlp);
    CHECK(chmod(ro, 0500) == 0);
    COMPILE_CHECK(m, "mlp", (copts){.dir = ro}, 1, rmlp); /* read-only: hits still load */
    sj_function *f = compile(m, "mlp", (copts){.dir = ro, .opt_level = 2}); /* a miss: not stored */
    CHECK(f && !sj_function_cache_hit(f));
    sj_function_free(f);
    chmod(ro, 0700);
  }
}

static void compile_free(sj_module *m, const char *fn, copts co) { sj_function_free(compile(m, fn, co)); }

/* The option and the environment: SYMJIT_CACHE=0 and cache = 0 turn it
 * off; the directory comes from the option, else SYMJIT_CACHE_DIR, else
 * $XDG_CACHE_HOME/symjit (absolute only), else $HOME/.cache/symjit, else
 * there is none; SYMJIT_CACHE_MAX_BYTES caps it. */
static void test_config(sj_module *m) {
  char dir[512], env[512], xdg[512], home[512], path[1024];
  fresh_dir(dir, sizeof dir, "config");
  sj_cache_stats s0 = stats();
  compile_free(m, "mlp", (copts){0}); /* option off */
  setenv("SYMJIT_CACHE", "0", 1);
  compile_free(m, "mlp", (copts){.dir = dir});
  setenv("SYMJIT_CACHE", "off", 1);
  compile_free(m, "mlp", (copts){.dir = dir});
  sj_cache_stats s1 = stats();
  CHECK(!memcmp(&s0, &s1, sizeof s0));
  struct stat st;
  CHECK(stat(dir, &st) != 0); /* never created */
  setenv("SYMJIT_CACHE", "1", 1);
  fresh_dir(env, sizeof env, "config-env");
  setenv("SYMJIT_CACHE_DIR", env, 1);
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.tiered = 0;
  sj_function *f = NULL;
  CHECK(sj_module_compile(m, "mlp", &o, &f) == SJ_OK);
  sj_function_free(f);
  CHECK(entries(env, NULL, 0) == 1);
  compile_free(m, "mlp", (copts){.dir = dir}); /* the option wins */
  CHECK(entries(dir, NULL, 0) == 1);
  unsetenv("SYMJIT_CACHE_DIR");
  fresh_dir(xdg, sizeof xdg, "config-xdg");
  setenv("XDG_CACHE_HOME", xdg, 1);
  CHECK(sj_module_compile(m, "mlp", &o, &f) == SJ_OK);
  sj_function_free(f);
  snprintf(path, sizeof path, "%s/symjit", xdg);
  CHECK(entries(path, NULL, 0) == 1);
  fresh_dir(home, sizeof home, "config-home");
  setenv("XDG_CACHE_HOME", "relative/dir", 1); /* not absolute: ignored */
  setenv("HOME", home, 1);
  CHECK(sj_module_compile(m, "mlp", &o, &f) == SJ_OK);
  sj_function_free(f);
  snprintf(path, sizeof path, "%s/.cache/symjit", home);
  CHECK(entries(path, NULL, 0) == 1);
  unsetenv("XDG_CACHE_HOME");
  unsetenv("HOME");
  sj_cache_stats s2 = stats();
  CHECK(sj_module_compile(m, "mlp", &o, &f) == SJ_OK); /* nowhere to cache */
  CHECK(f && !sj_function_cache_hit(f));
  sj_function_free(f);
  sj_cache_stats s3 = stats();
  CHECK(!memcmp(&s2, &s3, sizeof s2));
  /* the cap from the environment: 100 bytes holds no entry; a bad value is
   * the default */
  fresh_dir(env, sizeof env, "config-cap");
  setenv("SYMJIT_CACHE_DIR", env, 1);
  setenv("SYMJIT_CACHE_MAX_BYTES", "100", 1);
  compile_free(m, "mlp", (copts){.dir = env});
  CHECK(entries(env, NULL, 0) == 0);
  setenv("SYMJIT_CACHE_MAX_BYTES", "12x", 1);
  compile_free(m, "mlp", (copts){.dir = env});
  CHECK(entries(env, NULL, 0) == 1);
  setenv("SYMJIT_CACHE_MAX_BYTES", "1K", 1);
  compile_free(m, "s", (copts){.dir = env}); /* over 1 KiB: neither is kept */
  CHECK(entries(env, NULL, 0) == 1);
  unsetenv("SYMJIT_CACHE_MAX_BYTES");
  unsetenv("SYMJIT_CACHE_DIR");
  unsetenv("SYMJIT_CACHE");
}

static void set_age(const char *path, time_t age) {
  struct timespec t[2];
  clock_gettime(CLOCK_REALTIME, &t[0]);
  t[0].tv_sec -= age, t[1] = t[0];
  CHECK(utimensat(AT_FDCWD, path, t, 0) == 0);
}

static off_t file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? st.st_size : -1;
}

/* The cap evicts the least recently used entry (a hit makes an entry
 * recent), never the one just written; dead writers' temporary files go,
 * live ones stay. */
static void test_eviction(void) {
  char dir[512], p1[768], p2[768], p3[768], stale[768], live[768];
  fresh_dir(dir, sizeof dir, "evict");
  sj_module *g1 = g_module(ctx, 1), *g2 = g_module(ctx, 2), *g3 = g_module(ctx, 3);
  compile_free(g1, "g1", (copts){.dir = dir});
  CHECK(entries(dir, p1, sizeof p1) == 1);
  set_age(p1, 100);
  compile_free(g2, "g2", (copts){.dir = dir});
  DIR *d = opendir(dir);
  p2[0] = 0;
  for (struct dirent *e; d && (e = readdir(d));) /* the entry that is not p1 */
    if (strlen(e->d_name) > 4 && !strcmp(e->d_name + strlen(e->d_name) - 4, ".sjc") && !strstr(p1, e->d_name))
      snprintf(p2, sizeof p2, "%s/%s", dir, e->d_name);
  if (d) closedir(d);
  set_age(p2, 50);
  /* g3's size, from a directory of its own */
  char d3[512];
  fresh_dir(d3, sizeof d3, "evict-size");
  compile_free(g3, "g3", (copts){.dir = d3});
  CHECK(entries(d3, p3, sizeof p3) == 1);
  off_t s1 = file_size(p1), s2 = file_size(p2), s3 = file_size(p3);
  CHECK(s1 > 0 && s2 > 0 && s3 > 0);
  snprintf(stale, sizeof stale, "%s/.tmp.1.2.3.sjc-part", dir);
  snprintf(live, sizeof live, "%s/.tmp.4.5.6.sjc-part", dir);
  write_file(stale, (const unsigned char *)"x", 1), write_file(live, (const unsigned char *)"y", 1);
  set_age(stale, 7200);
  /* g1 used again: now g2 is the least recently used */
  sj_function *f = compile(g1, "g1", (copts){.dir = dir});
  CHECK(f && sj_function_cache_hit(f));
  sj_function_free(f);
  sj_cache_stats s0 = stats();
  compile_free(g3, "g3", (copts){.dir = dir, .cap = s1 + s2 + s3 - 1});
  sj_cache_stats sa = stats();
  CHECK(sa.evicted == s0.evicted + 1);
  CHECK(file_size(p1) == s1 && file_size(p2) < 0 && entries(dir, NULL, 0) == 2);
  CHECK(file_size(stale) < 0 && file_size(live) == 1);
  f = compile(g3, "g3", (copts){.dir = dir});
  CHECK(f && sj_function_cache_hit(f));
  sj_function_free(f);
  f = compile(g1, "g1", (copts){.dir = dir});
  CHECK(f && sj_function_cache_hit(f));
  sj_function_free(f);
  /* a cap below the new entry plus any other: only the new one stays */
  compile_free(g2, "g2", (copts){.dir = dir, .cap = s2});
  CHECK(entries(dir, NULL, 0) == 1);
  f = compile(g2, "g2", (copts){.dir = dir});
  CHECK(f && sj_function_cache_hit(f));
  sj_function_free(f);
}

/* Processes compiling into one directory at once: each compiles @mlp (all
 * the same entry) and its own @g several times, with a cap that keeps
 * evicting; results must be exact and no entry may ever be rejected (a
 * half-written one would be). */
#define NPROC 4
#define ROUNDS 6
static int child(const char *dir, int k, const ref *rmlp, const ref *rg) {
  failures = 0;
  sj_ctx *c = sj_ctx_new();
  sj_module *m = NULL, *g = g_module(c, 10 + k);
  CHECK(sj_module_parse(c, src, strlen(src), "cache", &m) == SJ_OK);
  char gname[16];
  snprintf(gname, sizeof gname, "g%d", 10 + k);
  sj_cache_stats s0 = stats();
  for (int r = 0; r < ROUNDS; r++) {
    copts co = {.dir = dir, .cap = r % 2 ? 60000 : 0};
    sj_function *f = compile(m, "mlp", co);
    size_t len = 0;
    unsigned char *b = run(f, "mlp", &len);
    CHECK(b && len == rmlp->len && !memcmp(b, rmlp->bytes, len));
    free(b), sj_function_free(f);
    f = compile(g, gname, co);
    b = run(f, gname, &len);
    CHECK(b && len == rg[k].len && !memcmp(b, rg[k].bytes, len));
    free(b), sj_function_free(f);
  }
  sj_cache_stats s1 = stats();
  CHECK(s1.rejected == s0.rejected);
  CHECK(s1.hits > s0.hits); /* some round found what another process or round wrote */
  sj_ctx_free(c);
  return failures ? 1 : 0;
}

static void test_concurrency(const ref *rmlp) {
  char dir[512];
  fresh_dir(dir, sizeof dir, "concurrent");
  ref rg[NPROC];
  for (int k = 0; k < NPROC; k++) {
    char name[16];
    snprintf(name, sizeof name, "g%d", 10 + k);
    rg[k] = reference(g_module(ctx, 10 + k), name);
  }
  fflush(NULL);
  pid_t pids[NPROC];
  for (int k = 0; k < NPROC; k++) {
    pids[k] = fork();
    if (pids[k] == 0) _exit(child(dir, k, rmlp, rg));
    CHECK(pids[k] > 0);
  }
  for (int k = 0; k < NPROC; k++) {
    int status = 0;
    CHECK(pids[k] > 0 && waitpid(pids[k], &status, 0) == pids[k] && WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  for (int k = 0; k < NPROC; k++) free(rg[k].bytes);
}

/* The entry protocol under contention, with entries large enough that a
 * non-atomic write would be seen half done: writers store one key over and
 * over while readers load it; a reader gets the whole entry or none, and
 * never a rejected one. */
#define ENTRY_BYTES (2 << 20)
static unsigned char pattern(size_t i) { return (unsigned char)(i * 2654435761u >> 13); }

static int entry_worker(const char *dir, const char *done, bool writer) {
  failures = 0;
  unsigned char key[SJ_CACHE_KEY_BYTES] = {42};
  unsigned char *big = malloc(ENTRY_BYTES);
  if (!big) return 1;
  for (size_t i = 0; i < ENTRY_BYTES; i++) big[i] = pattern(i);
  size_t len = ENTRY_BYTES;
  sj_cache_objs objs = {1, &big, &len};
  sj_cache_stats s0 = stats();
  int loads = 0;
  if (writer)
    for (int r = 0; r < 12; r++) sj_cache_store(dir, 64 << 20, key, &objs);
  for (; !writer && (file_size(done) < 0 || loads < 10); loads++) { /* until the writers are done */
    sj_cache_objs back;
    if (sj_cache_load(dir, key, &back)) CHECK(back.n == 1 && back.len[0] == ENTRY_BYTES && !memcmp(back.data[0], big, ENTRY_BYTES));
    sj_cache_objs_free(&back);
  }
  sj_cache_stats s1 = stats();
  CHECK(s1.rejected == s0.rejected && s1.write_errors == s0.write_errors);
  CHECK(writer || s1.hits > s0.hits);
  free(big);
  return failures ? 1 : 0;
}

static void test_concurrent_entries(void) {
  char dir[512], done[600];
  fresh_dir(dir, sizeof dir, "concurrent-entries");
  snprintf(done, sizeof done, "%s.done", dir);
  unlink(done);
  fflush(NULL);
  pid_t pids[4];
  for (int k = 0; k < 4; k++) { /* two writers, two readers */
    pids[k] = fork();
    if (pids[k] == 0) _exit(entry_worker(dir, done, k < 2));
    CHECK(pids[k] > 0);
  }
  for (int k = 0; k < 4; k++) {
    if (k == 2) write_file(done, (const unsigned char *)"", 0); /* the writers finished */
    int status = 0;
    CHECK(pids[k] > 0 && waitpid(pids[k], &status, 0) == pids[k] && WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
}

int main(void) {
  /* this process's own cache settings only */
  unsetenv("SYMJIT_CACHE"), unsetenv("SYMJIT_CACHE_DIR"), unsetenv("SYMJIT_CACHE_MAX_BYTES");
  snprintf(base, sizeof base, "%s/symjit-cache-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(base)) {
    perror("mkdtemp");
    return 1;
  }
  ctx = sj_ctx_new();
  sj_module *m = NULL;
  CHECK(sj_module_parse(ctx, src, strlen(src), "cache", &m) == SJ_OK);
  test_sha256();
  test_entry_format();
  if (m) {
    ref rmlp = reference(m, "mlp"), rs = reference(m, "s");
    test_hit_miss(m, &rmlp, &rs);
    test_tiered(m, &rmlp);
    test_corruption(m, &rmlp);
    test_unwritable(m, &rmlp);
    test_config(m);
    test_eviction();
    test_concurrent_entries();
    test_concurrency(&rmlp);
    free(rmlp.bytes), free(rs.bytes);
  }
  sj_ctx_free(ctx);
  if (!failures) {
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", base);
  } else {
    fprintf(stderr, "%d failures (cache directories kept in %s)\n", failures, base);
  }
  return failures ? 1 : 0;
}
