/* Text format: printer and parser (see docs/ir.md for the grammar). */
#ifndef SJ_TEXT_H
#define SJ_TEXT_H
#include <stdio.h>

#include "ir.h"

/* Prints the module in canonical form: print(parse(print(m))) == print(m). */
void sj_print_module(FILE *out, const sj_module *m);
void sj_print_op(FILE *out, const sj_op *op); /* one op, for diagnostics */
/* The same text with each op's location as a trailing `// file:line:col`
 * comment (it still parses): the IR dumps of docs/debugging.md. */
void sj_print_module_locs(FILE *out, const sj_module *m);

/* Parses `len` bytes of text named `filename` (used in diagnostics).
 * On success *out is a new module in `c` and the module was verified
 * (unless verify is false). On failure the error is in sj_ctx_diags(c). */
sj_status sj_parse_module(sj_ctx *c, const char *filename, const char *text, size_t len,
                          bool verify, sj_module **out);
/* Reads a whole file ("-" = stdin) into a malloc'd buffer. */
sj_status sj_read_file(const char *path, char **buf, size_t *len);
#endif
