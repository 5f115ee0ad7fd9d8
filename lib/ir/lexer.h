/* Lexer for the text format. Tokens carry their line and column. */
#ifndef SJ_LEXER_H
#define SJ_LEXER_H
#include <stddef.h>

typedef enum sj_tok_kind {
  TK_EOF,
  TK_ERROR,   /* text holds the message */
  TK_VALUE,   /* %name */
  TK_SYMBOL,  /* @name */
  TK_IDENT,   /* bare word: op names, dtypes, true/false, dense, inf, nan */
  TK_INT,
  TK_FLOAT,
  TK_STRING,  /* raw text between quotes, escapes not yet decoded */
  TK_LPAREN, TK_RPAREN, TK_LBRACE, TK_RBRACE, TK_LBRACKET, TK_RBRACKET,
  TK_LANGLE, TK_RANGLE, TK_COMMA, TK_COLON, TK_EQUAL, TK_ARROW, TK_QUESTION
} sj_tok_kind;

typedef struct sj_token {
  sj_tok_kind kind;
  const char *text; /* points into the source (or a static message for TK_ERROR) */
  size_t len;
  int line, col;
} sj_token;

typedef struct sj_lexer {
  const char *src, *end, *p;
  int line;
  const char *line_start;
  char errbuf[96];
} sj_lexer;

void sj_lexer_init(sj_lexer *lx, const char *src, size_t len);
sj_token sj_lex(sj_lexer *lx);
const char *sj_tok_kind_name(sj_tok_kind k);
#endif
