/* The reference-evaluator harness the evaluator's unit tests share: parse a
 * module, evaluate one func with sj_ref_eval, keep its outputs and message. */
#ifndef SJ_TEST_REF_EVAL_UTIL_H
#define SJ_TEST_REF_EVAL_UTIL_H
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ir.h"
#include "ref_eval.h"
#include "symjit/symjit.h"

#define MAXOUT 8

typedef struct result {
  sj_status st;
  sj_tensor *out[MAXOUT];
  size_t nout;
  char msg[1024];
} result;

/* Parses src, evaluates the func named fname (the first one if NULL) on in
 * (taking the inputs); the caller frees with done(). */
static inline result eval_named(const char *src, const char *fname, sj_tensor **in, size_t nin) {
  result r = {0};
  sj_ctx *c = sj_ctx_new();
  sj_module *m;
  if (sj_module_parse(c, src, strlen(src), "t.sj", &m)) {
    fprintf(stderr, "parse failed: %s\n", sj_ctx_errmsg(c));
    r.st = SJ_ERR_PARSE;
  } else {
    const sj_op *f = fname ? sj_module_lookup(m, fname) : m->body->first;
    r.nout = sj_func_body(f)->last->nopnds;
    CHECK(r.nout <= MAXOUT);
    r.st = sj_ref_eval(c, f, in, nin, r.out, r.nout);
    snprintf(r.msg, sizeof r.msg, "%s", sj_ctx_errmsg(c));
  }
  sj_ctx_free(c);
  for (size_t i = 0; i < nin; i++) sj_tensor_free(in[i]);
  return r;
}

static inline result eval(const char *src, sj_tensor **in, size_t nin) { return eval_named(src, NULL, in, nin); }

static inline void done(result *r) {
  for (size_t i = 0; i < r->nout; i++) sj_tensor_free(r->out[i]);
}
#endif
