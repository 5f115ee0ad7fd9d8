/* The context: its allocator (the one path for every allocation made for a
 * context), protected calls that turn out-of-memory into SJ_ERR_NOMEM, the
 * arena, string interning and the bounded, locked diagnostic log.
 * Everything the IR allocates lives in the arena and dies with the context.
 * Nothing here ends the process or prints. */
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "symjit/symjit.h"

#define ARENA_CHUNK (64 * 1024)
#define INTERN_INIT 256
#define DROPPED_LINE 128 /* room for the "N more dropped" line */
#define DIAG_BUF (SJ_DIAG_MAX_BYTES + DROPPED_LINE)
_Static_assert(SJ_DIAG_MAX_BYTES == SJ_ERRMSG_MAX_BYTES, "ir.h and symjit.h name one bound");

typedef struct chunk {
  struct chunk *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
} chunk;

/* Header of a scratch block: its context (NULL: the default allocator, not
 * listed), its place in the context's list (newest first) and its birth
 * number, which says whether an unwind to a frame must free it. */
typedef struct scratch {
  sj_ctx *c;
  struct scratch *prev, *next;
  size_t size;
  uint64_t seq;
  _Alignas(16) unsigned char data[];
} scratch;

struct sj_ctx {
  sj_alloc_fn alloc;
  void *alloc_ud;
  pthread_mutex_t lock; /* the allocator, the scratch list and the log */
  chunk *chunks;
  scratch *scratch; /* live scratch blocks, newest first */
  uint64_t seq;
  const char **interned; /* open addressing table */
  size_t nintern, capintern;
  char *diags; /* DIAG_BUF bytes, allocated with the context (never moves) */
  size_t ndiags;  /* bytes of kept messages */
  size_t ndropped;
  int nerrors;
  bool fast_math;
  void *graph;
  void (*graph_free)(void *);
  void (*graph_clear)(void *);
};

/* ---- the allocator ---- */

static void *default_alloc(void *ud, void *p, size_t osize, size_t nsize) {
  (void)ud, (void)osize;
  if (nsize == 0) {
    free(p);
    return NULL;
  }
  return realloc(p, nsize);
}

void sj_ctx_options_init(sj_ctx_options *o) {
  if (!o) return;
  o->alloc = NULL;
  o->alloc_ud = NULL;
}

sj_ctx *sj_ctx_new_with(const sj_ctx_options *o) {
  sj_alloc_fn fn = o && o->alloc ? o->alloc : default_alloc;
  void *ud = o && o->alloc ? o->alloc_ud : NULL;
  sj_ctx *c = fn(ud, NULL, 0, sizeof *c);
  if (!c) return NULL;
  memset(c, 0, sizeof *c);
  c->alloc = fn;
  c->alloc_ud = ud;
  c->capintern = INTERN_INIT;
  c->interned = fn(ud, NULL, 0, c->capintern * sizeof *c->interned);
  /* the log up front: "out of memory" must have somewhere to go */
  c->diags = c->interned ? fn(ud, NULL, 0, DIAG_BUF) : NULL;
  if (!c->diags || pthread_mutex_init(&c->lock, NULL) != 0) {
    if (c->diags) fn(ud, c->diags, DIAG_BUF, 0);
    if (c->interned) fn(ud, c->interned, c->capintern * sizeof *c->interned, 0);
    fn(ud, c, sizeof *c, 0);
    return NULL;
  }
  c->diags[0] = '\0';
  memset(c->interned, 0, c->capintern * sizeof *c->interned);
  return c;
}

sj_ctx *sj_ctx_new(void) { return sj_ctx_new_with(NULL); }

void *sj_ctx_realloc(sj_ctx *c, void *p, size_t osize, size_t nsize) {
  pthread_mutex_lock(&c->lock);
  void *r = c->alloc(c->alloc_ud, p, osize, nsize);
  pthread_mutex_unlock(&c->lock);
  return r;
}

void sj_ctx_free(sj_ctx *c) {
  if (!c) return;
  if (c->graph_free) c->graph_free(c->graph);
  for (chunk *k = c->chunks, *n; k; k = n) {
    n = k->next;
    c->alloc(c->alloc_ud, k, sizeof *k + k->cap, 0);
  }
  for (scratch *s = c->scratch, *n; s; s = n) { /* blocks nobody freed */
    n = s->next;
    c->alloc(c->alloc_ud, s, sizeof *s + s->size, 0);
  }
  c->alloc(c->alloc_ud, c->interned, c->capintern * sizeof *c->interned, 0);
  c->alloc(c->alloc_ud, c->diags, DIAG_BUF, 0);
  pthread_mutex_destroy(&c->lock);
  c->alloc(c->alloc_ud, c, sizeof *c, 0);
}

/* ---- protected calls ---- */

typedef struct frame {
  jmp_buf jb;
  struct frame *prev;
  sj_ctx *c;     /* NULL: an unprotected section */
  uint64_t mark; /* scratch blocks born after this are freed on unwind */
} frame;

static _Thread_local frame *tls_frame;

bool sj_ctx_protected(void) { return tls_frame && tls_frame->c; }

sj_status sj_ctx_protect(sj_ctx *c, sj_protected_fn fn, void *ud) {
  frame fr = {.prev = tls_frame, .c = c};
  pthread_mutex_lock(&c->lock);
  fr.mark = c->seq;
  pthread_mutex_unlock(&c->lock);
  tls_frame = &fr;
  sj_status st;
  if (setjmp(fr.jb) == 0) /* (the only forms C allows setjmp in) */
    st = fn(ud);
  else
    st = SJ_ERR_NOMEM;
  tls_frame = fr.prev;
  return st;
}

sj_status sj_ctx_unprotected(sj_protected_fn fn, void *ud) {
  frame fr = {.prev = tls_frame, .c = NULL};
  tls_frame = &fr;
  sj_status st = fn(ud);
  tls_frame = fr.prev;
  return st;
}

/* Records the failure and unwinds to the innermost frame; returns only when
 * there is none (the caller then returns NULL). */
static void nomem(sj_ctx *c, size_t n) {
  frame *fr = tls_frame;
  if (!fr || !fr->c) return;
  sj_loc none = {0};
  sj_emit_error(c ? c : fr->c, none, "out of memory (allocating %zu bytes)", n);
  sj_ctx *fc = fr->c;
  pthread_mutex_lock(&fc->lock);
  while (fc->scratch && fc->scratch->seq > fr->mark) {
    scratch *s = fc->scratch;
    fc->scratch = s->next;
    if (s->next) s->next->prev = NULL;
    fc->alloc(fc->alloc_ud, s, sizeof *s + s->size, 0);
  }
  pthread_mutex_unlock(&fc->lock);
  longjmp(fr->jb, 1);
}

void sj_ctx_throw_nomem(sj_ctx *c, size_t n) { nomem(c, n); }

/* ---- scratch memory ---- */

static scratch *scratch_resize(sj_ctx *c, scratch *old, size_t n) {
  if (n > SIZE_MAX - sizeof(scratch)) return NULL;
  size_t osize = old ? sizeof *old + old->size : 0;
  if (!c) return default_alloc(NULL, old, osize, sizeof(scratch) + n);
  pthread_mutex_lock(&c->lock);
  scratch *s = c->alloc(c->alloc_ud, old, osize, sizeof(scratch) + n);
  if (s && !old) { /* a new block: newest first */
    s->seq = ++c->seq;
    s->prev = NULL;
    s->next = c->scratch;
    if (c->scratch) c->scratch->prev = s;
    c->scratch = s;
  } else if (s) { /* moved: the neighbours point at the new place */
    if (s->prev) s->prev->next = s;
    else c->scratch = s;
    if (s->next) s->next->prev = s;
  }
  pthread_mutex_unlock(&c->lock);
  return s;
}

void *sj_scratch_realloc(void *p, size_t n, size_t size) {
  scratch *old = p ? (scratch *)((unsigned char *)p - offsetof(scratch, data)) : NULL;
  sj_ctx *c = old ? old->c : (tls_frame ? tls_frame->c : NULL);
  size_t bytes = 0;
  bool ovf = __builtin_mul_overflow(n, size, &bytes);
  scratch *s = ovf ? NULL : scratch_resize(c, old, bytes);
  if (!s) {
    nomem(c, ovf ? SIZE_MAX : bytes);
    return NULL;
  }
  s->c = c;
  s->size = bytes;
  return s->data;
}

void *sj_scratch_calloc(size_t n, size_t size) {
  void *p = sj_scratch_realloc(NULL, n, size);
  if (p) memset(p, 0, n * size);
  return p;
}

void sj_scratch_free(void *p) {
  if (!p) return;
  scratch *s = (scratch *)((unsigned char *)p - offsetof(scratch, data));
  sj_ctx *c = s->c;
  if (!c) {
    free(s);
    return;
  }
  pthread_mutex_lock(&c->lock);
  if (s->prev) s->prev->next = s->next;
  else c->scratch = s->next;
  if (s->next) s->next->prev = s->prev;
  c->alloc(c->alloc_ud, s, sizeof *s + s->size, 0);
  pthread_mutex_unlock(&c->lock);
}

/* ---- arena ---- */

void *sj_arena_alloc(sj_ctx *c, size_t n) {
  if (n > SIZE_MAX - 15 - sizeof(chunk)) {
    nomem(c, n);
    return NULL;
  }
  n = (n + 15) & ~(size_t)15;
  if (!c->chunks || c->chunks->cap - c->chunks->used < n) {
    size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
    chunk *k = sj_ctx_realloc(c, NULL, 0, sizeof *k + cap);
    if (!k) {
      nomem(c, sizeof *k + cap);
      return NULL;
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

/* ---- interning ---- */

static uint64_t hash_str(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static bool intern_grow(sj_ctx *c) {
  size_t ncap = c->capintern * 2;
  const char **nt = sj_ctx_realloc(c, NULL, 0, ncap * sizeof *nt);
  if (!nt) return false;
  memset(nt, 0, ncap * sizeof *nt);
  for (size_t i = 0; i < c->capintern; i++) {
    const char *s = c->interned[i];
    if (!s) continue;
    size_t j = hash_str(s, strlen(s)) & (ncap - 1);
    while (nt[j]) j = (j + 1) & (ncap - 1);
    nt[j] = s;
  }
  sj_ctx_realloc(c, c->interned, c->capintern * sizeof *c->interned, 0);
  c->interned = nt;
  c->capintern = ncap;
  return true;
}

const char *sj_intern_n(sj_ctx *c, const char *s, size_t n) {
  if (2 * (c->nintern + 1) > c->capintern && !intern_grow(c)) {
    nomem(c, c->capintern * 2 * sizeof *c->interned);
    return NULL;
  }
  size_t j = hash_str(s, n) & (c->capintern - 1);
  for (; c->interned[j]; j = (j + 1) & (c->capintern - 1)) {
    const char *t = c->interned[j];
    if (strncmp(t, s, n) == 0 && t[n] == '\0') return t;
  }
  char *p = sj_arena_alloc(c, n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  c->interned[j] = p;
  c->nintern++;
  return p;
}

const char *sj_intern(sj_ctx *c, const char *s) { return sj_intern_n(c, s, strlen(s)); }

bool sj_ctx_fast_math(const sj_ctx *c) { return c->fast_math; }
void *sj_ctx_graph(const sj_ctx *c) { return c->graph; }
void sj_ctx_set_graph(sj_ctx *c, void *g, void (*free_fn)(void *), void (*clear_fn)(void *)) {
  c->graph = g;
  c->graph_free = free_fn;
  c->graph_clear = clear_fn;
}
void sj_ctx_set_fast_math(sj_ctx *c, bool on) { c->fast_math = on; }

/* ---- diagnostics ---- */

/* Under c->lock. The kept messages, then (once any were dropped) one line
 * counting the dropped ones, rewritten at each drop. The buffer has a fixed
 * size so the log never moves while it grows. */
static void diag_append(sj_ctx *c, const char *s, size_t n) {
  if (c->ndropped == 0 && c->ndiags + n <= SJ_DIAG_MAX_BYTES) {
    memcpy(c->diags + c->ndiags, s, n);
    c->ndiags += n;
    c->diags[c->ndiags] = '\0';
    return;
  }
  c->ndropped++;
  snprintf(c->diags + c->ndiags, DROPPED_LINE, "note: %zu more diagnostic%s dropped (the log keeps %d bytes)\n",
           c->ndropped, c->ndropped == 1 ? "" : "s", SJ_DIAG_MAX_BYTES);
}

static const char *const sev_names[] = {"error", "warning", "note"};

void sj_emit_vdiag(sj_ctx *c, sj_severity sev, sj_loc loc, const char *fmt, va_list ap) {
  char buf[1024];
  const char *sv = sev_names[sev];
  int k;
  if (loc.file && loc.col > 0)
    k = snprintf(buf, sizeof buf, "%s:%d:%d: %s: ", loc.file, loc.line, loc.col, sv);
  else if (loc.file) /* graph-API call sites know file and line only */
    k = snprintf(buf, sizeof buf, "%s:%d: %s: ", loc.file, loc.line, sv);
  else
    k = snprintf(buf, sizeof buf, "<generated>: %s: ", sv);
  if (k < 0) k = 0;
  if ((size_t)k >= sizeof buf) k = (int)sizeof buf - 1;
  int m = vsnprintf(buf + k, sizeof buf - (size_t)k, fmt, ap);
  size_t len = (size_t)k + (m < 0 ? 0 : (size_t)m);
  if (len > sizeof buf - 2) len = sizeof buf - 2;
  buf[len++] = '\n';
  pthread_mutex_lock(&c->lock);
  diag_append(c, buf, len);
  if (sev == SJ_SEV_ERROR) c->nerrors++;
  pthread_mutex_unlock(&c->lock);
}

void sj_emit_diag(sj_ctx *c, sj_severity sev, sj_loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sj_emit_vdiag(c, sev, loc, fmt, ap);
  va_end(ap);
}

sj_status sj_emit_verror(sj_ctx *c, sj_loc loc, const char *fmt, va_list ap) {
  sj_emit_vdiag(c, SJ_SEV_ERROR, loc, fmt, ap);
  return SJ_ERR_VERIFY;
}

sj_status sj_emit_error(sj_ctx *c, sj_loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sj_status s = sj_emit_verror(c, loc, fmt, ap);
  va_end(ap);
  return s;
}

const char *sj_ctx_diags(const sj_ctx *c) { return c->diags; }

size_t sj_ctx_diags_copy(const sj_ctx *c, char *buf, size_t cap) {
  sj_ctx *m = (sj_ctx *)c; /* the lock is not part of the context's value */
  pthread_mutex_lock(&m->lock);
  const char *s = sj_ctx_diags(c);
  size_t n = strlen(s);
  if (cap) {
    size_t k = n < cap - 1 ? n : cap - 1;
    memcpy(buf, s, k);
    buf[k] = '\0';
  }
  pthread_mutex_unlock(&m->lock);
  return n;
}

int sj_ctx_num_errors(const sj_ctx *c) {
  sj_ctx *m = (sj_ctx *)c;
  pthread_mutex_lock(&m->lock);
  int n = c->nerrors;
  pthread_mutex_unlock(&m->lock);
  return n;
}

void sj_ctx_clear_diags(sj_ctx *c) {
  pthread_mutex_lock(&c->lock);
  c->ndiags = 0;
  c->ndropped = 0;
  c->nerrors = 0;
  c->diags[0] = '\0';
  pthread_mutex_unlock(&c->lock);
  if (c->graph_clear) c->graph_clear(c->graph);
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
