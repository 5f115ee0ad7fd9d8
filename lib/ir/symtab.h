/* A symbol table for passes that look module symbols up or make fresh
 * names while they change the module: O(1) per lookup instead of a walk of
 * the module (sj_module_lookup), which made lowering and loop fusion
 * quadratic in the number of kernels. Keys are interned names
 * (sj_intern), compared by pointer; nothing iterates the table, so its
 * order never shows in the output. */
#ifndef SJ_SYMTAB_H
#define SJ_SYMTAB_H
#include "ir.h"

typedef struct sj_symtab {
  const char **names;
  sj_op **ops;
  size_t cap, n;
} sj_symtab;

/* Every module-level symbol of m (the first of duplicates, as
 * sj_module_lookup). False if out of memory. */
bool sj_symtab_index_module(sj_symtab *t, const sj_module *m);
/* The op named `interned`, or NULL. */
sj_op *sj_symtab_get(const sj_symtab *t, const char *interned);
/* Sets (op NULL: removes) the entry for `interned`. False if out of memory. */
bool sj_symtab_put(sj_symtab *t, const char *interned, sj_op *op);
/* A fresh interned name "<base>_<tag><N>" not in t, N from *counter (which
 * advances). The whole base, however long: a truncated one could repeat
 * forever. NULL if out of memory. */
const char *sj_symtab_fresh(sj_ctx *c, const sj_symtab *t, const char *base, char tag, unsigned *counter);
void sj_symtab_free(sj_symtab *t);
#endif
