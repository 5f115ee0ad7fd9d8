/* Open-addressing hash of interned names to ops; a removed name keeps its
 * slot with op NULL (tables live for one pass, so they never fill up with
 * removed names in practice). Scratch memory: an out-of-memory unwind
 * frees it with the pass's other temporaries. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symtab.h"

static size_t slot(const sj_symtab *t, const char *name) {
  size_t j = (size_t)(((uintptr_t)name >> 4) * 0x9E3779B97F4A7C15u) & (t->cap - 1);
  while (t->names[j] && t->names[j] != name) j = (j + 1) & (t->cap - 1);
  return j;
}

sj_op *sj_symtab_get(const sj_symtab *t, const char *name) { return t->cap && name ? t->ops[slot(t, name)] : NULL; }

static bool grow(sj_symtab *t) {
  size_t cap = t->cap ? 2 * t->cap : 64;
  sj_symtab g = {sj_scratch_calloc(cap, sizeof(char *)), sj_scratch_calloc(cap, sizeof(sj_op *)), cap, 0};
  if (!g.names || !g.ops) {
    sj_symtab_free(&g);
    return false;
  }
  for (size_t i = 0; i < t->cap; i++)
    if (t->names[i]) {
      size_t j = slot(&g, t->names[i]);
      g.names[j] = t->names[i], g.ops[j] = t->ops[i], g.n++;
    }
  sj_symtab_free(t);
  *t = g;
  return true;
}

bool sj_symtab_put(sj_symtab *t, const char *name, sj_op *op) {
  if (2 * (t->n + 1) > t->cap && !grow(t)) return false;
  size_t j = slot(t, name);
  t->n += !t->names[j];
  t->names[j] = name, t->ops[j] = op;
  return true;
}

bool sj_symtab_index_module(sj_symtab *t, const sj_module *m) {
  for (sj_op *f = m->body->first; f; f = f->next) {
    const char *s = sj_op_sym(f, "sym_name");
    if (s && !sj_symtab_get(t, s) && !sj_symtab_put(t, s, f)) return false;
  }
  return true;
}

void sj_symtab_free(sj_symtab *t) {
  sj_scratch_free(t->names);
  sj_scratch_free(t->ops);
  *t = (sj_symtab){0};
}

const char *sj_symtab_fresh(sj_ctx *c, const sj_symtab *t, const char *base, char tag, unsigned *counter) {
  size_t cap = strlen(base) + 16; /* "_", the tag, a 32-bit counter, NUL */
  char *name = sj_scratch_realloc(NULL, cap, 1);
  const char *s;
  if (!name) return NULL;
  do {
    snprintf(name, cap, "%s_%c%u", base, tag, (*counter)++);
    s = sj_intern(c, name);
  } while (s && sj_symtab_get(t, s));
  sj_scratch_free(name);
  return s;
}
