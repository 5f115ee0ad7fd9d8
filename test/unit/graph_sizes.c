/* Graph building with sizes that cannot exist: products of dims are checked
 * (a signed overflow here was undefined behaviour, an abort under UBSan),
 * and the op that would produce such a type fails with the type named,
 * before anything is compiled or run. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "symjit/graph.h"

#include "check.h"

/* Compiling x -> out must fail with a message containing `needle`. */
static void expect_error(sj_ctx *c, sj_var *x, sj_var *out, const char *needle) {
  sj_function *f = NULL;
  sj_status st = sj_compile(c, &x, 1, &out, 1, NULL, 0, NULL, 0, NULL, &f);
  const char *msg = sj_ctx_errmsg(c);
  if (st == SJ_OK || f || !strstr(msg, needle)) {
    fprintf(stderr, "expected an error containing '%s', got status %d: %s\n", needle, (int)st, msg);
    failures++;
  }
  sj_function_free(f);
}

static void test_reshape_products(void) {
  int64_t xd[2] = {4, 4};
  /* the product of the known dims overflows int64 while inferring the -1 */
  sj_ctx *c = sj_ctx_new();
  sj_var *x = sj_input(c, "x", SJ_F32, 2, xd);
  const int64_t r1[3] = {INT64_C(1) << 62, 4, -1}, r2[2] = {INT64_C(1) << 60, 4}, z[2] = {0, INT64_MAX};
  sj_var *r = sj_reshape(x, 3, r1);
  expect_error(c, x, r, "'reshape' op result 0 has type f32[4611686018427387904,4,?], over 2^63 bytes");
  sj_ctx_free(c);
  /* fits in elements (2^62) but not in bytes (2^64) */
  c = sj_ctx_new();
  x = sj_input(c, "x", SJ_F32, 2, xd);
  r = sj_reshape(x, 2, r2);
  expect_error(c, x, r, "over 2^63 bytes");
  sj_ctx_free(c);
  /* an input type beyond the rule */
  c = sj_ctx_new();
  x = sj_input(c, "x", SJ_F64, 2, z);
  expect_error(c, x, sj_neg(x), "f64[0,9223372036854775807], over 2^63 bytes");
  sj_ctx_free(c);
}

/* Operands that fit broadcast to a result that does not. */
static void test_broadcast(void) {
  sj_ctx *c = sj_ctx_new();
  const int64_t col[2] = {INT64_C(1) << 31, 1}, row[2] = {1, INT64_C(1) << 31};
  sj_var *x = sj_input(c, "x", SJ_F64, 2, col);
  sj_var *y = sj_input(c, "y", SJ_F64, 2, row);
  sj_var *s = sj_add(x, y);
  expect_error(c, x, s, "f64[2147483648,2147483648], over 2^63 bytes");
  sj_ctx_free(c);
}

int main(void) {
  test_reshape_products();
  test_broadcast();
  if (failures) fprintf(stderr, "graph_sizes: %d check(s) failed\n", failures);
  else printf("graph_sizes: all checks passed\n");
  return failures != 0;
}
