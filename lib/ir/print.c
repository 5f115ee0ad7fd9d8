/* Printer: canonical text for modules, funcs, kernels and generic ops.
 * Names: a value keeps its textual name unless it is numeric (those are
 * renumbered in order) or already taken in its func (a suffix is added). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"
#include "text.h"

typedef struct namer {
  const sj_value **keys; /* value -> name */
  char **names;
  size_t cap, n;
  const char **taken; /* set of names in use, for O(1) collision checks */
  size_t tcap, tn;
  unsigned next_num;
  bool oom; /* a table could not grow (only outside protected calls): every
               later value prints as <<out of memory>>, which never parses */
} namer;

typedef struct printer {
  FILE *out;
  namer nm;
  int indent;
  bool locs; /* end op lines with `// file:line` (debug dumps) */
} printer;

/* A comment, so the text still parses; col 0 (graph-built ops) is left out. */
static void print_loc(printer *p, const sj_op *op) {
  if (!p->locs || !op->loc.file) return;
  fprintf(p->out, "  // %s:%d", op->loc.file, op->loc.line);
  if (op->loc.col > 0) fprintf(p->out, ":%d", op->loc.col);
}

static size_t phash(const void *p, size_t cap) {
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 17;
  x *= 0x9E3779B97F4A7C15ull;
  return (size_t)(x >> 20) & (cap - 1);
}

/* Tables and names are scratch memory (ir.h): inside a protected call a
 * failure unwinds, outside one it sets nm->oom. */
static void namer_reset(namer *nm) {
  for (size_t i = 0; i < nm->cap; i++) sj_scratch_free(nm->names[i]);
  sj_scratch_free(nm->keys);
  sj_scratch_free(nm->names);
  sj_scratch_free(nm->taken);
  memset(nm, 0, sizeof *nm);
}

static size_t str_hash(const char *s, size_t cap) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return (size_t)h & (cap - 1);
}

static bool name_taken(const namer *nm, const char *s) {
  if (!nm->tcap) return false;
  for (size_t j = str_hash(s, nm->tcap); nm->taken[j]; j = (j + 1) & (nm->tcap - 1))
    if (strcmp(nm->taken[j], s) == 0) return true;
  return false;
}

static void taken_put(const char **t, size_t cap, const char *s) {
  size_t j = str_hash(s, cap);
  while (t[j]) j = (j + 1) & (cap - 1);
  t[j] = s;
}

static bool taken_add(namer *nm, const char *s) {
  if (2 * (nm->tn + 1) > nm->tcap) {
    size_t cap = nm->tcap ? nm->tcap * 2 : 64;
    const char **nt = sj_scratch_calloc(cap, sizeof *nt);
    if (!nt) return false;
    for (size_t i = 0; i < nm->tcap; i++)
      if (nm->taken[i]) taken_put(nt, cap, nm->taken[i]);
    sj_scratch_free(nm->taken);
    nm->taken = nt, nm->tcap = cap;
  }
  taken_put(nm->taken, nm->tcap, s);
  nm->tn++;
  return true;
}

static void namer_put_raw(const sj_value **keys, char **names, size_t cap, const sj_value *v, char *name) {
  size_t j = phash(v, cap);
  while (keys[j]) j = (j + 1) & (cap - 1);
  keys[j] = v;
  names[j] = name;
}

static bool namer_put(namer *nm, const sj_value *v, char *name) {
  if (2 * (nm->n + 1) > nm->cap) {
    size_t cap = nm->cap ? nm->cap * 2 : 64;
    const sj_value **keys = sj_scratch_calloc(cap, sizeof *keys);
    char **names = keys ? sj_scratch_calloc(cap, sizeof *names) : NULL;
    if (!names) {
      sj_scratch_free(keys);
      return false;
    }
    for (size_t i = 0; i < nm->cap; i++)
      if (nm->keys[i]) namer_put_raw(keys, names, cap, nm->keys[i], nm->names[i]);
    sj_scratch_free(nm->keys);
    sj_scratch_free(nm->names);
    nm->keys = keys, nm->names = names, nm->cap = cap;
  }
  namer_put_raw(nm->keys, nm->names, nm->cap, v, name);
  nm->n++;
  return true;
}

static const char *namer_get(const namer *nm, const sj_value *v) {
  if (!nm->cap) return NULL;
  for (size_t j = phash(v, nm->cap); nm->keys[j]; j = (j + 1) & (nm->cap - 1))
    if (nm->keys[j] == v) return nm->names[j];
  return NULL;
}

static bool is_numeric(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return false;
  return true;
}

/* Gives `v` its printed name; numeric names never collide with kept ones. */
/* Names a pass or the API gave may hold bytes the lexer does not accept
 * in a name; such values are numbered instead. */
static bool is_lexable(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$-", *s))
      return false;
  return true;
}

static const char *name_value(printer *p, const sj_value *v) {
  static const char oom[] = "<<out of memory>>";
  if (p->nm.oom) return oom;
  char *s;
  if (v->name && !is_numeric(v->name) && is_lexable(v->name)) {
    /* sized to the name: a truncated name could collide forever */
    size_t cap = strlen(v->name) + 16;
    s = sj_scratch_realloc(NULL, cap, 1);
    if (s) snprintf(s, cap, "%s", v->name);
    for (unsigned k = 1; s && name_taken(&p->nm, s); k++) snprintf(s, cap, "%s_%u", v->name, k);
  } else {
    s = sj_scratch_realloc(NULL, 16, 1);
    if (s) snprintf(s, 16, "%u", p->nm.next_num++);
  }
  if (!s || !namer_put(&p->nm, v, s)) { /* once in `names`, s is freed at reset */
    sj_scratch_free(s);
    p->nm.oom = true;
    return oom;
  }
  if (!taken_add(&p->nm, s)) {
    p->nm.oom = true;
    return oom;
  }
  return s;
}

static void print_value(printer *p, const sj_value *v) {
  const char *n = v ? namer_get(&p->nm, v) : NULL;
  fprintf(p->out, "%%%s", n ? n : "<<undefined>>");
}

/* Written directly, not through sj_type_str: its buffer may truncate the
 * largest types, and printed text must always re-parse. */
static void print_type(printer *p, const sj_type *t) {
  fputs(sj_dtype_name(t->dt), p->out);
  if (!t->is_tensor) return;
  fputc('[', p->out);
  for (int i = 0; i < t->rank; i++) {
    if (i) fputc(',', p->out);
    if (t->dims[i] == SJ_DYN) fputc('?', p->out);
    else fprintf(p->out, "%" PRId64, t->dims[i]);
  }
  fputc(']', p->out);
}

/* Dense elements print as ints only when every one is an exact int64
 * (passes may build is_int literals from arbitrary doubles). */
static bool dense_prints_as_ints(const sj_attr *a) {
  if (!a->u.dense.is_int) return false;
  for (int i = 0; i < a->u.dense.n; i++) {
    double d = a->u.dense.v[i];
    if (!(d == floor(d) && d >= -0x1p63 && d < 0x1p63)) return false;
  }
  return true;
}

/* Shortest text that reads back as the same double, always marked as a
 * float (".0" or an exponent) so it does not re-parse as an int. */
static void print_double(FILE *out, double d) {
  if (isnan(d)) {
    fputs("nan", out);
    return;
  }
  if (isinf(d)) {
    fputs(d < 0 ? "-inf" : "inf", out);
    return;
  }
  char buf[40];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (strtod(buf, NULL) == d) break;
  }
  if (!strpbrk(buf, ".eEn")) strcat(buf, ".0");
  fputs(buf, out);
}

static void print_string(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') fprintf(out, "\\%c", ch);
    else if (ch < 32 || ch > 126) fprintf(out, "\\x%02x", ch);
    else fputc(ch, out);
  }
  fputc('"', out);
}

static void print_attr_value(FILE *out, const sj_attr *a) {
  switch (a->kind) {
  case SJ_ATTR_INT: fprintf(out, "%" PRId64, a->u.i); break;
  case SJ_ATTR_FLOAT: print_double(out, a->u.f); break;
  case SJ_ATTR_BOOL: fputs(a->u.b ? "true" : "false", out); break;
  case SJ_ATTR_STR: print_string(out, a->u.s); break;
  case SJ_ATTR_SYM: fprintf(out, "@%s", a->u.s); break;
  case SJ_ATTR_DTYPE: fputs(sj_dtype_name(a->u.dt), out); break;
  case SJ_ATTR_INTS:
    fputc('[', out);
    for (int i = 0; i < a->u.ints.n; i++) fprintf(out, "%s%" PRId64, i ? ", " : "", a->u.ints.v[i]);
    fputc(']', out);
    break;
  case SJ_ATTR_DENSE: {
    bool ints = dense_prints_as_ints(a);
    fputs("dense<[", out);
    for (int i = 0; i < a->u.dense.n; i++) {
      if (i) fputs(", ", out);
      if (ints) fprintf(out, "%" PRId64, (int64_t)a->u.dense.v[i]);
      else print_double(out, a->u.dense.v[i]);
    }
    fputs("]>", out);
    break;
  }
  }
}

static void print_indent(printer *p) {
  for (int i = 0; i < p->indent; i++) fputs("  ", p->out);
}

static void print_block_body(printer *p, const sj_block *b);

static void print_args(printer *p, const sj_block *b) {
  fputc('(', p->out);
  for (unsigned i = 0; i < b->nargs; i++) {
    if (i) fputs(", ", p->out);
    name_value(p, b->args[i]);
    print_value(p, b->args[i]);
    fputs(": ", p->out);
    print_type(p, &b->args[i]->type);
  }
  fputc(')', p->out);
}

static void print_generic(printer *p, const sj_op *op) {
  FILE *o = p->out;
  print_indent(p);
  for (unsigned i = 0; i < op->nresults; i++) {
    name_value(p, op->results[i]);
    if (i) fputs(", ", o);
    print_value(p, op->results[i]);
  }
  if (op->nresults) fputs(" = ", o);
  fputs(sj_op_name(op), o);
  for (unsigned i = 0; i < op->nopnds; i++) {
    fputs(i ? ", " : " ", o);
    print_value(p, sj_opnd(op, i));
  }
  if (op->nattrs) {
    fputs(" {", o);
    for (unsigned i = 0; i < op->nattrs; i++) {
      fprintf(o, "%s%s = ", i ? ", " : "", op->attrs[i].name);
      print_attr_value(o, &op->attrs[i]);
    }
    fputc('}', o);
  }
  for (unsigned i = 0; i < op->nresults; i++) {
    fputs(i ? ", " : " : ", o);
    print_type(p, &op->results[i]->type);
  }
  for (unsigned r = 0; r < op->nregions; r++) {
    fputc(' ', o);
    print_args(p, op->regions[r]);
    fputs(" {", o);
    if (r == 0) print_loc(p, op); /* on the op's own line, not after its body */
    fputc('\n', o);
    p->indent++;
    print_block_body(p, op->regions[r]);
    p->indent--;
    print_indent(p);
    fputc('}', o);
  }
  if (!op->nregions) print_loc(p, op);
  fputc('\n', o);
}

static void print_func(printer *p, const sj_op *f) {
  FILE *o = p->out;
  namer_reset(&p->nm);
  fprintf(o, "%s @%s", sj_op_name(f), sj_func_name(f));
  print_args(p, f->regions[0]);
  const sj_op *ret = f->regions[0]->last;
  if (f->code == SJ_OP_FUNC) {
    fputs(" -> (", o);
    for (unsigned i = 0; ret && ret->code == SJ_OP_RETURN && i < ret->nopnds; i++) {
      if (i) fputs(", ", o);
      print_type(p, &sj_opnd(ret, i)->type);
    }
    fputc(')', o);
  }
  fputs(" {", o);
  print_loc(p, f);
  fputc('\n', o);
  p->indent = 1;
  print_block_body(p, f->regions[0]);
  p->indent = 0;
  fputs("}\n", o);
  namer_reset(&p->nm);
}

static void print_block_body(printer *p, const sj_block *b) {
  for (const sj_op *op = b->first; op; op = op->next) {
    if (op->code == SJ_OP_FUNC || op->code == SJ_OP_KERNEL) print_func(p, op);
    else print_generic(p, op);
  }
}

static void print_module(printer *p, const sj_module *m) {
  for (const sj_op *f = m->body->first; f; f = f->next) {
    if (f != m->body->first) fputc('\n', p->out);
    if (f->code == SJ_OP_FUNC || f->code == SJ_OP_KERNEL) print_func(p, f);
    else print_generic(p, f);
  }
  namer_reset(&p->nm);
}

void sj_print_module(FILE *out, const sj_module *m) {
  printer p = {.out = out};
  print_module(&p, m);
}

void sj_print_module_locs(FILE *out, const sj_module *m) {
  printer p = {.out = out, .locs = true};
  print_module(&p, m);
}

void sj_print_op(FILE *out, const sj_op *op) {
  printer p = {.out = out};
  print_generic(&p, op);
  namer_reset(&p.nm);
}
