/* Parser: text -> module. Recursive descent over the grammar in docs/ir.md.
 * The first error stops parsing; it is reported as file:line:col. Nesting is
 * bounded so hostile input cannot exhaust the stack. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "opinfo.h"
#include "text.h"
#include "verify.h"

#define MAX_NESTING 200

typedef struct scope_entry {
  const char *name; /* interned */
  sj_value *v;
} scope_entry;

typedef struct parser {
  sj_ctx *c;
  const char *file;
  sj_lexer lx;
  sj_token tok;
  bool failed;
  int depth;
  scope_entry *names; /* per func, open addressing keyed by interned ptr */
  size_t ncap, nn;
  struct decl *decls; /* declared result types, checked after verification */
} parser;

/* A func's declared result types, checked against its return once the body
 * verified, so errors inside the body are reported first. */
typedef struct decl {
  struct decl *next;
  sj_op *func;
  sj_token arrow;
  unsigned n;
  sj_type *types;
} decl;

static sj_loc loc_of(parser *p, sj_token t) {
  sj_loc l = {p->file, t.line, t.col};
  return l;
}

static sj_status fail(parser *p, sj_token t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static sj_status fail(parser *p, sj_token t, const char *fmt, ...) {
  if (p->failed) return SJ_ERR_PARSE;
  va_list ap;
  va_start(ap, fmt);
  sj_emit_verror(p->c, loc_of(p, t), fmt, ap);
  va_end(ap);
  p->failed = true;
  return SJ_ERR_PARSE;
}

static void advance(parser *p) {
  p->tok = sj_lex(&p->lx);
  if (p->tok.kind == TK_ERROR) fail(p, p->tok, "%.*s", (int)p->tok.len, p->tok.text);
}

/* Describes the current token for messages. */
static const char *tok_desc(parser *p, char *buf, size_t cap) {
  sj_token t = p->tok;
  if (t.kind == TK_EOF || t.kind == TK_ERROR) return sj_tok_kind_name(t.kind);
  const char *pre = t.kind == TK_VALUE ? "%" : t.kind == TK_SYMBOL ? "@" : "";
  int n = t.len > 40 ? 40 : (int)t.len;
  snprintf(buf, cap, "'%s%.*s'", pre, n, t.text);
  return buf;
}

static bool expect(parser *p, sj_tok_kind k, const char *what) {
  if (p->failed) return false;
  if (p->tok.kind != k) {
    char b[64];
    fail(p, p->tok, "expected %s %s, got %s", sj_tok_kind_name(k), what, tok_desc(p, b, sizeof b));
    return false;
  }
  advance(p);
  return !p->failed;
}

static bool accept(parser *p, sj_tok_kind k) {
  if (p->failed || p->tok.kind != k) return false;
  advance(p);
  return true;
}

static bool is_ident(parser *p, const char *w) {
  return p->tok.kind == TK_IDENT && p->tok.len == strlen(w) && memcmp(p->tok.text, w, p->tok.len) == 0;
}

/* ---- names ---- */

static size_t shash(const void *s, size_t cap) {
  uintptr_t x = (uintptr_t)s;
  x *= 0x9E3779B97F4A7C15ull;
  return (size_t)(x >> 24) & (cap - 1);
}

static void scope_reset(parser *p) {
  sj_scratch_free(p->names);
  p->names = NULL;
  p->ncap = p->nn = 0;
}

static sj_value *scope_get(parser *p, const char *name) {
  if (!p->ncap) return NULL;
  for (size_t j = shash(name, p->ncap); p->names[j].name; j = (j + 1) & (p->ncap - 1))
    if (p->names[j].name == name) return p->names[j].v;
  return NULL;
}

static void scope_put_raw(parser *p, const char *name, sj_value *v) {
  size_t j = shash(name, p->ncap);
  while (p->names[j].name) j = (j + 1) & (p->ncap - 1);
  p->names[j].name = name;
  p->names[j].v = v;
  p->nn++;
}

static bool define(parser *p, sj_token t, sj_value *v) {
  const char *name = sj_intern_n(p->c, t.text, t.len);
  if (scope_get(p, name)) {
    fail(p, t, "redefinition of value %%%s", name);
    return false;
  }
  if (2 * (p->nn + 1) > p->ncap) {
    scope_entry *old = p->names;
    size_t oc = p->ncap;
    p->ncap = oc ? oc * 2 : 64;
    p->names = sj_scratch_calloc(p->ncap, sizeof *p->names); /* unwinds on failure */
    p->nn = 0;
    for (size_t i = 0; i < oc; i++)
      if (old[i].name) scope_put_raw(p, old[i].name, old[i].v);
    sj_scratch_free(old);
  }
  scope_put_raw(p, name, v);
  v->name = name;
  return true;
}

static sj_value *use_value(parser *p) {
  sj_token t = p->tok;
  if (t.kind != TK_VALUE) {
    char b[64];
    fail(p, t, "expected a value name, got %s", tok_desc(p, b, sizeof b));
    return NULL;
  }
  sj_value *v = scope_get(p, sj_intern_n(p->c, t.text, t.len));
  if (!v) {
    fail(p, t, "use of undefined value %%%.*s", (int)t.len, t.text);
    return NULL;
  }
  advance(p);
  return v;
}

/* ---- numbers and types ---- */

static bool parse_int_tok(parser *p, int64_t *out) {
  sj_token t = p->tok;
  char buf[64];
  if (t.kind != TK_INT || t.len >= sizeof buf) {
    char b[64];
    fail(p, t, "expected an integer, got %s", tok_desc(p, b, sizeof b));
    return false;
  }
  memcpy(buf, t.text, t.len);
  buf[t.len] = '\0';
  errno = 0;
  long long v = strtoll(buf, NULL, 10);
  if (errno == ERANGE) {
    fail(p, t, "integer %s does not fit in 64 bits", buf);
    return false;
  }
  *out = v;
  advance(p);
  return !p->failed;
}

/* A number token as double; ints and floats both accepted. */
static bool parse_number(parser *p, double *out, bool *is_int) {
  sj_token t = p->tok;
  char buf[128];
  if (t.kind == TK_IDENT && (is_ident(p, "inf") || is_ident(p, "nan"))) {
    *out = is_ident(p, "inf") ? INFINITY : NAN;
    *is_int = false;
    advance(p);
    return true;
  }
  if ((t.kind != TK_INT && t.kind != TK_FLOAT) || t.len >= sizeof buf) {
    char b[64];
    fail(p, t, "expected a number, got %s", tok_desc(p, b, sizeof b));
    return false;
  }
  memcpy(buf, t.text, t.len);
  buf[t.len] = '\0';
  *is_int = t.kind == TK_INT;
  if (*is_int) {
    errno = 0;
    long long v = strtoll(buf, NULL, 10);
    if (errno == ERANGE) return fail(p, t, "integer %s does not fit in 64 bits", buf), false;
    *out = (double)v;
  } else {
    *out = strcmp(buf, "-inf") == 0 ? -INFINITY : strtod(buf, NULL);
  }
  advance(p);
  return true;
}

static bool parse_type(parser *p, sj_type *out) {
  sj_token t = p->tok;
  sj_dtype dt;
  if (t.kind != TK_IDENT || !sj_dtype_parse(t.text, t.len, &dt)) {
    char b[64];
    fail(p, t, "expected a type (f16 bf16 f32 f64 i8 i32 i64 bool), got %s",
         tok_desc(p, b, sizeof b));
    return false;
  }
  advance(p);
  *out = sj_scalar_type(dt);
  if (!accept(p, TK_LBRACKET)) return !p->failed;
  out->is_tensor = true;
  if (accept(p, TK_RBRACKET)) return true;
  do {
    if (out->rank == SJ_MAX_RANK) {
      fail(p, p->tok, "tensor rank exceeds the maximum of %d", SJ_MAX_RANK);
      return false;
    }
    if (accept(p, TK_QUESTION)) {
      out->dims[out->rank++] = SJ_DYN;
      continue;
    }
    sj_token dt_tok = p->tok;
    int64_t d;
    if (!parse_int_tok(p, &d)) return false;
    if (d < 0) return fail(p, dt_tok, "dimension %lld is negative", (long long)d), false;
    out->dims[out->rank++] = d;
  } while (accept(p, TK_COMMA));
  if (!expect(p, TK_RBRACKET, "to close the shape")) return false;
  /* keeps sj_type_numel free of overflow for every parsed type */
  int64_t numel = 1;
  for (int i = 0; i < out->rank; i++)
    if (out->dims[i] != SJ_DYN && __builtin_mul_overflow(numel, out->dims[i], &numel))
      return fail(p, t, "tensor type has more than 2^63-1 elements"), false;
  return true;
}

/* ---- attributes ---- */

static bool parse_list(parser *p, sj_attr *a) {
  /* [ints] */
  int64_t buf[64];
  int n = 0;
  a->kind = SJ_ATTR_INTS;
  if (!accept(p, TK_RBRACKET)) {
    do {
      if (n == 64) return fail(p, p->tok, "integer list longer than 64 elements"), false;
      if (!parse_int_tok(p, &buf[n++])) return false;
    } while (accept(p, TK_COMMA));
    if (!expect(p, TK_RBRACKET, "to close the list")) return false;
  }
  a->u.ints.n = n;
  a->u.ints.v = sj_arena_alloc(p->c, (size_t)(n ? n : 1) * sizeof(int64_t));
  memcpy(a->u.ints.v, buf, (size_t)n * sizeof(int64_t));
  return true;
}

/* An int token (already known to fit in 64 bits) within +-2^53. */
static bool exact_in_double(sj_token t) {
  char buf[64];
  size_t n = t.len < sizeof buf - 1 ? t.len : sizeof buf - 1;
  memcpy(buf, t.text, n);
  buf[n] = '\0';
  long long v = strtoll(buf, NULL, 10);
  return v >= -(1LL << 53) && v <= (1LL << 53);
}

static bool parse_dense(parser *p, sj_attr *a) {
  size_t cap = 16, n = 0;
  double *v = sj_arena_alloc(p->c, cap * sizeof *v);
  bool all_int = true;
  a->kind = SJ_ATTR_DENSE;
  if (!expect(p, TK_LANGLE, "after 'dense'") || !expect(p, TK_LBRACKET, "to open the literal"))
    return false;
  if (!accept(p, TK_RBRACKET)) {
    do {
      if (n == cap) {
        double *nv = sj_arena_alloc(p->c, 2 * cap * sizeof *nv);
        memcpy(nv, v, n * sizeof *v);
        v = nv;
        cap *= 2;
      }
      if (n >= (1u << 30)) return fail(p, p->tok, "dense literal too large"), false;
      bool is_int;
      sj_token nt = p->tok;
      if (!parse_number(p, &v[n++], &is_int)) return false;
      /* elements are doubles: a larger int would silently change value */
      if (is_int && !exact_in_double(nt))
        return fail(p, nt, "integer %.*s in a dense literal is not exactly representable "
                    "(|v| > 2^53)", (int)(nt.len > 40 ? 40 : nt.len), nt.text), false;
      all_int = all_int && is_int;
    } while (accept(p, TK_COMMA));
    if (!expect(p, TK_RBRACKET, "to close the literal")) return false;
  }
  a->u.dense.n = (int)n;
  a->u.dense.v = v;
  a->u.dense.is_int = all_int && n > 0;
  return expect(p, TK_RANGLE, "to close 'dense<'");
}

static int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

static bool decode_string(parser *p, sj_token t, const char **out) {
  char *s = sj_arena_alloc(p->c, t.len + 1);
  size_t k = 0;
  for (size_t i = 0; i < t.len; i++) {
    char ch = t.text[i];
    if (ch == '\0') return fail(p, t, "NUL byte in string (strings cannot hold \\x00)"), false;
    if (ch != '\\') {
      s[k++] = ch;
      continue;
    }
    if (++i >= t.len) return fail(p, t, "bad escape in string"), false;
    if (t.text[i] == 'x') {
      int hi = i + 2 < t.len ? hex_digit(t.text[i + 1]) : -1;
      int lo = i + 2 < t.len ? hex_digit(t.text[i + 2]) : -1;
      if (hi < 0 || lo < 0 || (hi | lo) == 0)
        return fail(p, t, "bad \\x escape in string (two hex digits, not 00)"), false;
      s[k++] = (char)(hi * 16 + lo);
      i += 2;
    } else if (t.text[i] == '"' || t.text[i] == '\\') {
      s[k++] = t.text[i];
    } else {
      return fail(p, t, "unknown escape '\\%c' in string (use \\\", \\\\ or \\xNN)",
                  t.text[i] >= 32 && t.text[i] < 127 ? t.text[i] : '?'), false;
    }
  }
  s[k] = '\0';
  *out = sj_intern(p->c, s);
  return true;
}

static bool parse_attr_value(parser *p, sj_attr *a) {
  sj_token t = p->tok;
  sj_dtype dt;
  if (accept(p, TK_LBRACKET)) return parse_list(p, a);
  if (t.kind == TK_SYMBOL) {
    a->kind = SJ_ATTR_SYM;
    a->u.s = sj_intern_n(p->c, t.text, t.len);
    advance(p);
    return true;
  }
  if (t.kind == TK_STRING) {
    a->kind = SJ_ATTR_STR;
    advance(p);
    return decode_string(p, t, &a->u.s);
  }
  if (is_ident(p, "true") || is_ident(p, "false")) {
    a->kind = SJ_ATTR_BOOL;
    a->u.b = is_ident(p, "true");
    advance(p);
    return true;
  }
  if (is_ident(p, "dense")) {
    advance(p);
    return parse_dense(p, a);
  }
  if (t.kind == TK_IDENT && sj_dtype_parse(t.text, t.len, &dt)) {
    a->kind = SJ_ATTR_DTYPE;
    a->u.dt = dt;
    advance(p);
    return true;
  }
  if (t.kind == TK_INT) {
    a->kind = SJ_ATTR_INT;
    return parse_int_tok(p, &a->u.i);
  }
  bool is_int;
  a->kind = SJ_ATTR_FLOAT;
  return parse_number(p, &a->u.f, &is_int);
}

static bool parse_attrs(parser *p, sj_op *op) {
  do {
    sj_token t = p->tok;
    if (t.kind != TK_IDENT) {
      char b[64];
      return fail(p, t, "expected an attribute name, got %s", tok_desc(p, b, sizeof b)), false;
    }
    sj_attr a = {.name = sj_intern_n(p->c, t.text, t.len)};
    advance(p);
    if (sj_op_attr(op, a.name)) return fail(p, t, "duplicate attribute '%s'", a.name), false;
    if (!expect(p, TK_EQUAL, "after the attribute name") || !parse_attr_value(p, &a)) return false;
    sj_op_set_attr(p->c, op, a);
  } while (accept(p, TK_COMMA));
  return expect(p, TK_RBRACE, "to close the attributes");
}

/* ---- ops and regions ---- */

static bool parse_block_ops(parser *p, sj_block *b);

/* `(%a: T, ...)` adding block arguments. */
static bool parse_arg_list(parser *p, sj_block *b) {
  if (!expect(p, TK_LPAREN, "to open the argument list")) return false;
  if (accept(p, TK_RPAREN)) return true;
  do {
    sj_token nt = p->tok;
    sj_type ty;
    if (nt.kind != TK_VALUE) {
      char bb[64];
      return fail(p, nt, "expected an argument name, got %s", tok_desc(p, bb, sizeof bb)), false;
    }
    advance(p);
    if (!expect(p, TK_COLON, "after the argument name") || !parse_type(p, &ty)) return false;
    if (!define(p, nt, sj_block_add_arg(p->c, b, ty))) return false;
  } while (accept(p, TK_COMMA));
  return expect(p, TK_RPAREN, "to close the argument list");
}

static bool parse_region(parser *p, sj_block *b) {
  if (++p->depth > MAX_NESTING) {
    fail(p, p->tok, "regions nested deeper than %d", MAX_NESTING);
    return false;
  }
  bool ok = parse_arg_list(p, b) && expect(p, TK_LBRACE, "to open the region") &&
            parse_block_ops(p, b);
  p->depth--;
  return ok;
}

#define MAX_RESULTS 256
#define MAX_OPERANDS 4096

static bool parse_op(parser *p, sj_block *b) {
  sj_token res[MAX_RESULTS];
  unsigned nres = 0;
  if (p->tok.kind == TK_VALUE) {
    do {
      if (nres == MAX_RESULTS) return fail(p, p->tok, "too many results"), false;
      if (p->tok.kind != TK_VALUE) {
        char bb[64];
        return fail(p, p->tok, "expected a result name, got %s", tok_desc(p, bb, sizeof bb)), false;
      }
      res[nres++] = p->tok;
      advance(p);
    } while (accept(p, TK_COMMA));
    if (!expect(p, TK_EQUAL, "after the result names")) return false;
  }
  sj_token nt = p->tok;
  sj_opcode code;
  if (nt.kind != TK_IDENT) {
    char bb[64];
    return fail(p, nt, "expected an op name, got %s", tok_desc(p, bb, sizeof bb)), false;
  }
  if (!sj_opcode_lookup(nt.text, nt.len, &code))
    return fail(p, nt, "unknown op '%.*s'", (int)(nt.len > 40 ? 40 : nt.len), nt.text), false;
  if (code == SJ_OP_FUNC || code == SJ_OP_KERNEL)
    return fail(p, nt, "'%s' is only allowed at module level", sj_opinfo_get(code)->name), false;
  advance(p);
  /* operands: on the op's line, or after a comma */
  sj_value **opnds = sj_arena_alloc(p->c, 16 * sizeof *opnds);
  unsigned nop = 0, capop = 16;
  if (p->tok.kind == TK_VALUE && p->tok.line == nt.line) {
    do {
      if (nop == MAX_OPERANDS) return fail(p, p->tok, "too many operands"), false;
      if (nop == capop) {
        sj_value **n2 = sj_arena_alloc(p->c, 2 * capop * sizeof *n2);
        memcpy(n2, opnds, nop * sizeof *n2);
        opnds = n2;
        capop *= 2;
      }
      sj_value *v = use_value(p);
      if (!v) return false;
      opnds[nop++] = v;
    } while (accept(p, TK_COMMA));
  }
  sj_op *op = sj_op_new(p->c, code, nop, opnds, 0, NULL, 0, loc_of(p, nt));
  if (accept(p, TK_LBRACE) && !parse_attrs(p, op)) return false;
  sj_type *types = sj_arena_alloc(p->c, (nres ? nres : 1) * sizeof *types);
  unsigned ntypes = 0;
  if (accept(p, TK_COLON)) {
    do {
      if (ntypes == MAX_RESULTS || ntypes >= nres)
        return fail(p, p->tok, "'%s' op has %u result name%s but more types were given",
                    sj_opinfo_get(code)->name, nres, nres == 1 ? "" : "s"), false;
      if (!parse_type(p, &types[ntypes++])) return false;
    } while (accept(p, TK_COMMA));
  }
  if (ntypes != nres) {
    /* the usual cause: operands continued on the next line */
    bool hint = ntypes == 0 && p->tok.kind == TK_VALUE && p->tok.line != nt.line;
    return fail(p, nt, "'%s' op has %u result name%s but %u type%s%s", sj_opinfo_get(code)->name,
                nres, nres == 1 ? "" : "s", ntypes, ntypes == 1 ? "" : "s",
                hint ? " (operands must start on the op's line)" : ""), false;
  }
  /* results get their values now; regions see them only after the op in
   * the verifier's order, so defining them first is harmless */
  sj_op *full = sj_op_new(p->c, code, nop, opnds, nres, types, 0, op->loc);
  full->attrs = op->attrs;
  full->nattrs = op->nattrs;
  sj_op_drop_operands(op);
  /* regions */
  unsigned nreg = 0;
  sj_block *regs[8];
  while (!p->failed && p->tok.kind == TK_LPAREN) {
    if (nreg == 8) return fail(p, p->tok, "too many regions"), false;
    regs[nreg] = sj_block_new(p->c, full);
    if (!parse_region(p, regs[nreg])) return false;
    nreg++;
  }
  if (p->failed) return false;
  full->nregions = nreg;
  full->regions = sj_arena_alloc(p->c, (nreg ? nreg : 1) * sizeof *full->regions);
  memcpy(full->regions, regs, nreg * sizeof *regs);
  for (unsigned i = 0; i < nres; i++)
    if (!define(p, res[i], full->results[i])) return false;
  sj_block_append(b, full);
  return true;
}

/* ops until '}' */
static bool parse_block_ops(parser *p, sj_block *b) {
  while (!p->failed && p->tok.kind != TK_RBRACE) {
    if (p->tok.kind == TK_EOF) return fail(p, p->tok, "expected '}' before end of file"), false;
    if (!parse_op(p, b)) return false;
  }
  return expect(p, TK_RBRACE, "to close the block");
}

static bool parse_func(parser *p, sj_module *m) {
  sj_token kw = p->tok;
  sj_opcode code = is_ident(p, "kernel") ? SJ_OP_KERNEL : SJ_OP_FUNC;
  advance(p);
  sj_token name = p->tok;
  if (!expect(p, TK_SYMBOL, "naming the function")) return false;
  sj_op *f = sj_op_new(p->c, code, 0, NULL, 0, NULL, 1, loc_of(p, kw));
  sj_op_set_sym(p->c, f, "sym_name", sj_intern_n(p->c, name.text, name.len));
  scope_reset(p);
  if (!parse_arg_list(p, f->regions[0])) return false;
  sj_type rt[MAX_RESULTS];
  unsigned nrt = 0;
  sj_token arrow = p->tok;
  if (code == SJ_OP_FUNC && accept(p, TK_ARROW)) {
    if (!expect(p, TK_LPAREN, "to open the result types")) return false;
    if (!accept(p, TK_RPAREN)) {
      do {
        if (nrt == MAX_RESULTS) return fail(p, p->tok, "too many results"), false;
        if (!parse_type(p, &rt[nrt++])) return false;
      } while (accept(p, TK_COMMA));
      if (!expect(p, TK_RPAREN, "to close the result types")) return false;
    }
  }
  if (!expect(p, TK_LBRACE, "to open the function body")) return false;
  p->depth = 1;
  if (!parse_block_ops(p, f->regions[0])) return false;
  sj_block_append(m->body, f);
  if (code == SJ_OP_FUNC) {
    decl *d = sj_arena_alloc(p->c, sizeof *d);
    d->func = f;
    d->arrow = arrow;
    d->n = nrt;
    d->types = sj_arena_alloc(p->c, (nrt ? nrt : 1) * sizeof *d->types);
    memcpy(d->types, rt, nrt * sizeof *rt);
    d->next = p->decls;
    p->decls = d;
  }
  return true;
}

/* declared results must match what `return` returns */
static sj_status check_decls(parser *p) {
  for (decl *d = p->decls; d; d = d->next) {
    sj_op *f = d->func, *ret = f->regions[0]->last;
    if (!ret || ret->code != SJ_OP_RETURN) continue;
    if (ret->nopnds != d->n)
      return sj_emit_error(p->c, loc_of(p, d->arrow), "@%s declares %u result%s but returns %u",
                           sj_func_name(f), d->n, d->n == 1 ? "" : "s", ret->nopnds);
    for (unsigned i = 0; i < d->n; i++)
      if (!sj_type_eq(&d->types[i], &sj_opnd(ret, i)->type)) {
        char x[SJ_TYPE_STR_CAP], y[SJ_TYPE_STR_CAP];
        return sj_emit_error(p->c, ret->loc, "'return' value %u has type %s but @%s declares %s",
                             i, sj_type_str(&sj_opnd(ret, i)->type, x, sizeof x),
                             sj_func_name(f), sj_type_str(&d->types[i], y, sizeof y));
      }
  }
  return SJ_OK;
}

typedef struct parse_args {
  sj_ctx *c;
  const char *filename, *text;
  size_t len;
  bool verify;
  sj_module **out;
} parse_args;

/* Runs protected: an out-of-memory unwind abandons the half-parsed module
 * (arena memory, freed with the context) and the name table (scratch). */
static sj_status parse_protected(void *ud) {
  const parse_args *a = ud;
  sj_ctx *c = a->c;
  const char *text = a->text;
  size_t len = a->len;
  bool verify = a->verify;
  sj_module **out = a->out;
  parser p = {.c = c, .file = sj_intern(c, a->filename ? a->filename : "<input>")};
  sj_module *m = sj_module_new(c);
  sj_lexer_init(&p.lx, text, len);
  advance(&p);
  while (!p.failed && p.tok.kind != TK_EOF) {
    if (!is_ident(&p, "func") && !is_ident(&p, "kernel")) {
      char b[64];
      fail(&p, p.tok, "expected 'func' or 'kernel' at module level, got %s",
           tok_desc(&p, b, sizeof b));
      break;
    }
    parse_func(&p, m);
  }
  scope_reset(&p);
  if (p.failed) return SJ_ERR_PARSE;
  if (verify && sj_verify_module(m)) return SJ_ERR_VERIFY;
  if (check_decls(&p)) return SJ_ERR_VERIFY;
  *out = m;
  return SJ_OK;
}

sj_status sj_parse_module(sj_ctx *c, const char *filename, const char *text, size_t len,
                          bool verify, sj_module **out) {
  *out = NULL;
  parse_args a = {c, filename, text, len, verify, out};
  return sj_ctx_protect(c, parse_protected, &a);
}

sj_status sj_read_file(const char *path, char **buf, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) return SJ_ERR_IO;
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap + 1);
  if (!b) return SJ_ERR_NOMEM;
  for (;;) {
    size_t k = fread(b + n, 1, cap - n, f);
    n += k;
    if (n < cap) break;
    char *nb = realloc(b, 2 * cap + 1);
    if (!nb) {
      free(b);
      if (f != stdin) fclose(f);
      return SJ_ERR_NOMEM;
    }
    b = nb;
    cap *= 2;
  }
  bool err = ferror(f);
  if (f != stdin) fclose(f);
  if (err) {
    free(b);
    return SJ_ERR_IO;
  }
  b[n] = '\0';
  *buf = b;
  *len = n;
  return SJ_OK;
}
