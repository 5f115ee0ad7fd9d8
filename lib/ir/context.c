/* The context: arena allocation, string interning and the diagnostic buffer.
 * Everything the IR allocates lives in the arena and dies with the context. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

#define ARENA_CHUNK (64 * 1024)
#define INTERN_INIT 256

typedef struct chunk {
  struct chunk *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
} chunk;

struct sj_ctx {
  chunk *chunks;
  const char **interned; /* open addressing table */
  size_t nintern, capintern;
  char *diags; /* malloc'd, grows */
  size_t ndiags, capdiags;
  int nerrors;
  bool fast_math;
  void *graph;
  void (*graph_free)(void *);
};

sj_ctx *sj_ctx_new(void) {
  sj_ctx *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->capintern = INTERN_INIT;
  c->interned = calloc(c->capintern, sizeof *c->interned);
  if (!c->interned) {
    free(c);
    return NULL;
  }
  return c;
}

void sj_ctx_free(sj_ctx *c) {
  if (!c) return;
  if (c->graph_free) c->graph_free(c->graph);
  for (chunk *k = c->chunks, *n; k; k = n) {
    n = k->next;
    free(k);
  }
  free(c->interned);
  free(c->diags);
  free(c);
}

void *sj_arena_alloc(sj_ctx *c, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (!c->chunks || c->chunks->cap - c->chunks->used < n) {
    size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
    chunk *k = malloc(sizeof *k + cap);
    if (!k) {
      fputs("symjit: out of memory\n", stderr);
      abort();
    }
    k->cap = cap;
    k->used = 0;
    k->next = c->chunks;
    c->chunks = k;
  }
  void *p = c->chunks->data + c->chunks->used;
  c->chunks->used += n;
  memset(p, 0, n);
  return p;
}

static uint64_t hash_str(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static void intern_grow(sj_ctx *c) {
  size_t ncap = c->capintern * 2;
  const char **nt = calloc(ncap, sizeof *nt);
  if (!nt) abort();
  for (size_t i = 0; i < c->capintern; i++) {
    const char *s = c->interned[i];
    if (!s) continue;
    size_t j = hash_str(s, strlen(s)) & (ncap - 1);
    while (nt[j]) j = (j + 1) & (ncap - 1);
    nt[j] = s;
  }
  free(c->interned);
  c->interned = nt;
  c->capintern = ncap;
}

const char *sj_intern_n(sj_ctx *c, const char *s, size_t n) {
  if (2 * (c->nintern + 1) > c->capintern) intern_grow(c);
  size_t j = hash_str(s, n) & (c->capintern - 1);
  for (; c->interned[j]; j = (j + 1) & (c->capintern - 1)) {
    const char *t = c->interned[j];
    if (strncmp(t, s, n) == 0 && t[n] == '\0') return t;
  }
  char *p = sj_arena_alloc(c, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  c->interned[j] = p;
  c->nintern++;
  return p;
}

const char *sj_intern(sj_ctx *c, const char *s) { return sj_intern_n(c, s, strlen(s)); }

bool sj_ctx_fast_math(const sj_ctx *c) { return c->fast_math; }
void *sj_ctx_graph(const sj_ctx *c) { return c->graph; }
void sj_ctx_set_graph(sj_ctx *c, void *g, void (*free_fn)(void *)) {
  c->graph = g;
  c->graph_free = free_fn;
}
void sj_ctx_set_fast_math(sj_ctx *c, bool on) { c->fast_math = on; }

static void diag_append(sj_ctx *c, const char *s, size_t n) {
  if (c->ndiags + n + 1 > c->capdiags) {
    size_t cap = c->capdiags ? c->capdiags : 256;
    while (cap < c->ndiags + n + 1) cap *= 2;
    char *d = realloc(c->diags, cap);
    if (!d) return;
    c->diags = d;
    c->capdiags = cap;
  }
  memcpy(c->diags + c->ndiags, s, n);
  c->ndiags += n;
  c->diags[c->ndiags] = '\0';
}

sj_status sj_emit_verror(sj_ctx *c, sj_loc loc, const char *fmt, va_list ap) {
  char buf[1024];
  int k;
  if (loc.file && loc.col > 0)
    k = snprintf(buf, sizeof buf, "%s:%d:%d: error: ", loc.file, loc.line, loc.col);
  else if (loc.file) /* graph-API call sites know file and line only */
    k = snprintf(buf, sizeof buf, "%s:%d: error: ", loc.file, loc.line);
  else
    k = snprintf(buf, sizeof buf, "<generated>: error: ");
  if (k < 0) k = 0;
  int m = vsnprintf(buf + k, sizeof buf - (size_t)k, fmt, ap);
  size_t len = (size_t)k + (m < 0 ? 0 : (size_t)m);
  if (len > sizeof buf - 2) len = sizeof buf - 2;
  buf[len++] = '\n';
  diag_append(c, buf, len);
  c->nerrors++;
  return SJ_ERR_VERIFY;
}

sj_status sj_emit_error(sj_ctx *c, sj_loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sj_status s = sj_emit_verror(c, loc, fmt, ap);
  va_end(ap);
  return s;
}

const char *sj_ctx_diags(const sj_ctx *c) { return c->diags ? c->diags : ""; }
int sj_ctx_num_errors(const sj_ctx *c) { return c->nerrors; }
void sj_ctx_clear_diags(sj_ctx *c) {
  c->ndiags = 0;
  c->nerrors = 0;
  if (c->diags) c->diags[0] = '\0';
}

const char *sj_status_str(sj_status s) {
  switch (s) {
  case SJ_OK: return "ok";
  case SJ_ERR_PARSE: return "parse error";
  case SJ_ERR_VERIFY: return "verification error";
  case SJ_ERR_INVALID: return "invalid argument";
  case SJ_ERR_NOMEM: return "out of memory";
  case SJ_ERR_IO: return "i/o error";
  case SJ_ERR_PASS: return "pass failed";
  case SJ_ERR_UNSUPPORTED: return "unsupported";
  }
  return "unknown status";
}
