/* Lexer: turns bytes into tokens; any byte it does not expect becomes a
 * TK_ERROR token with a message, never a crash. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lexer.h"

void sj_lexer_init(sj_lexer *lx, const char *src, size_t len) {
  memset(lx, 0, sizeof *lx);
  lx->src = lx->p = lx->line_start = src;
  lx->end = src + len;
  lx->line = 1;
}

static int is_ident_start(int ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}
static int is_ident_char(int ch) {
  return is_ident_start(ch) || (ch >= '0' && ch <= '9') || ch == '.' || ch == '$';
}
static int is_digit(int ch) { return ch >= '0' && ch <= '9'; }

static sj_token make(sj_lexer *lx, sj_tok_kind k, const char *start) {
  sj_token t = {k, start, (size_t)(lx->p - start), lx->line, (int)(start - lx->line_start) + 1};
  return t;
}

static sj_token error_at(sj_lexer *lx, const char *start, const char *msg) {
  sj_token t = make(lx, TK_ERROR, start);
  snprintf(lx->errbuf, sizeof lx->errbuf, "%s", msg);
  t.text = lx->errbuf;
  t.len = strlen(lx->errbuf);
  return t;
}

static void skip_space(sj_lexer *lx) {
  while (lx->p < lx->end) {
    char ch = *lx->p;
    if (ch == '\n') {
      lx->p++;
      lx->line++;
      lx->line_start = lx->p;
    } else if (ch == ' ' || ch == '\t' || ch == '\r') {
      lx->p++;
    } else if (ch == '/' && lx->p + 1 < lx->end && lx->p[1] == '/') {
      while (lx->p < lx->end && *lx->p != '\n') lx->p++;
    } else {
      break;
    }
  }
}

static sj_token lex_number(sj_lexer *lx, const char *start) {
  bool is_float = false;
  if (*lx->p == '-') lx->p++;
  while (lx->p < lx->end && is_digit(*lx->p)) lx->p++;
  if (lx->p < lx->end && *lx->p == '.') {
    is_float = true;
    lx->p++;
    while (lx->p < lx->end && is_digit(*lx->p)) lx->p++;
  }
  if (lx->p < lx->end && (*lx->p == 'e' || *lx->p == 'E')) {
    const char *save = lx->p++;
    if (lx->p < lx->end && (*lx->p == '+' || *lx->p == '-')) lx->p++;
    if (lx->p < lx->end && is_digit(*lx->p)) {
      is_float = true;
      while (lx->p < lx->end && is_digit(*lx->p)) lx->p++;
    } else {
      lx->p = save;
    }
  }
  if (lx->p < lx->end && is_ident_start(*lx->p))
    return error_at(lx, start, "malformed number");
  return make(lx, is_float ? TK_FLOAT : TK_INT, start);
}

static sj_token lex_name(sj_lexer *lx, const char *start, sj_tok_kind k) {
  lx->p++; /* sigil */
  const char *body = lx->p;
  while (lx->p < lx->end && (is_ident_char(*lx->p) || *lx->p == '-')) lx->p++;
  if (lx->p == body) return error_at(lx, start, k == TK_VALUE ? "expected a name after '%'"
                                                              : "expected a name after '@'");
  sj_token t = make(lx, k, start);
  t.text = body;
  t.len = (size_t)(lx->p - body);
  return t;
}

static sj_token lex_string(sj_lexer *lx, const char *start) {
  lx->p++;
  const char *body = lx->p;
  while (lx->p < lx->end && *lx->p != '"') {
    if (*lx->p == '\n') return error_at(lx, start, "unterminated string");
    /* an escape covers the next byte, unless that is a newline or the end */
    if (*lx->p == '\\' && lx->p + 1 < lx->end && lx->p[1] != '\n') lx->p++;
    lx->p++;
  }
  if (lx->p >= lx->end) return error_at(lx, start, "unterminated string");
  sj_token t = make(lx, TK_STRING, start);
  t.text = body;
  t.len = (size_t)(lx->p - body);
  lx->p++;
  return t;
}

sj_token sj_lex(sj_lexer *lx) {
  skip_space(lx);
  const char *s = lx->p;
  if (lx->p >= lx->end) return make(lx, TK_EOF, s);
  unsigned char ch = (unsigned char)*lx->p;
  if (ch == '%') return lex_name(lx, s, TK_VALUE);
  if (ch == '@') return lex_name(lx, s, TK_SYMBOL);
  if (ch == '"') return lex_string(lx, s);
  if (is_digit(ch) || (ch == '-' && lx->p + 1 < lx->end && is_digit(lx->p[1])))
    return lex_number(lx, s);
  if (ch == '-' && lx->p + 1 < lx->end && lx->p[1] == '>') {
    lx->p += 2;
    return make(lx, TK_ARROW, s);
  }
  if (ch == '-' && lx->end - lx->p >= 4 && memcmp(lx->p, "-inf", 4) == 0) {
    lx->p += 4;
    return make(lx, TK_FLOAT, s);
  }
  if (is_ident_start(ch)) {
    while (lx->p < lx->end && is_ident_char(*lx->p)) lx->p++;
    return make(lx, TK_IDENT, s);
  }
  static const char punct[] = "(){}[]<>,:=?";
  static const sj_tok_kind kinds[] = {TK_LPAREN,   TK_RPAREN, TK_LBRACE, TK_RBRACE,
                                      TK_LBRACKET, TK_RBRACKET, TK_LANGLE, TK_RANGLE,
                                      TK_COMMA,    TK_COLON,  TK_EQUAL,  TK_QUESTION};
  const char *q = ch ? strchr(punct, ch) : NULL;
  if (q) {
    lx->p++;
    return make(lx, kinds[q - punct], s);
  }
  lx->p++;
  char msg[64];
  if (ch >= 32 && ch < 127) snprintf(msg, sizeof msg, "unexpected character '%c'", ch);
  else snprintf(msg, sizeof msg, "unexpected byte 0x%02x", ch);
  return error_at(lx, s, msg);
}

const char *sj_tok_kind_name(sj_tok_kind k) {
  static const char *const names[] = {
      "end of file", "error", "value name", "symbol", "identifier", "integer", "float",
      "string", "'('", "')'", "'{'", "'}'", "'['", "']'", "'<'", "'>'", "','", "':'", "'='",
      "'->'", "'?'"};
  return names[k];
}
