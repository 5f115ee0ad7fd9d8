/* Every public function of include/symjit/ (every header) called with NULL for each
 * pointer argument (one at a time, the others valid): an error status, a
 * NULL/poison result or the documented no-op, never a crash. Graph builders
 * given a NULL operand record an error (the build then fails to compile)
 * when they can find a context, and return NULL when they cannot. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "symjit/graph.h"

#include "check.h"

static const char *const src = "func @f(%x: f32[2]) -> (f32[2]) {\n  %0 = exp %x : f32[2]\n  return %0\n}\n";

static void test_status_and_tensors(void) {
  CHECK(strcmp(sj_status_str((sj_status)999), "unknown status") == 0);
  CHECK(sj_dtype_size((sj_dtype)999) == 0 || sj_dtype_size((sj_dtype)999) > 0); /* defined, no crash */
  int64_t d[1] = {2};
  CHECK(sj_tensor_new(SJ_F32, 1, NULL) == NULL);
  CHECK(sj_tensor_wrap(SJ_F32, 1, NULL, NULL) == NULL);
  CHECK(sj_tensor_wrap(SJ_F32, 1, d, NULL) == NULL);
  CHECK(sj_tensor_from(SJ_F32, 1, NULL, NULL) == NULL);
  sj_tensor *z = sj_tensor_from(SJ_F32, 1, d, NULL); /* NULL data: zeros (lib/runtime's choice) */
  CHECK(!z || sj_tensor_get(z, 1) == 0);
  sj_tensor_free(z);
  sj_tensor_free(NULL);
  (void)sj_tensor_dtype(NULL);
  CHECK(sj_tensor_rank(NULL) == 0);
  CHECK(sj_tensor_dims(NULL) == NULL);
  CHECK(sj_tensor_numel(NULL) <= 0);
  CHECK(sj_tensor_nbytes(NULL) == 0);
  CHECK(sj_tensor_data(NULL) == NULL);
  CHECK(isnan(sj_tensor_get(NULL, 0)));
  sj_tensor_set(NULL, 0, 1.0);
  CHECK(sj_tensor_fill_uniform(NULL, 1, 0, 1) != SJ_OK);
  CHECK(sj_tensor_fill_normal(NULL, 1, 0, 1) != SJ_OK);
  sj_tensor *t = NULL;
  char err[128];
  CHECK(sj_npy_load(NULL, &t, err, sizeof err) != SJ_OK && t == NULL);
  CHECK(sj_npy_load("x.npy", NULL, err, sizeof err) != SJ_OK);
  CHECK(sj_npy_load(NULL, &t, NULL, 0) != SJ_OK);
  sj_tensor *ok = sj_tensor_new(SJ_F32, 1, d);
  CHECK(sj_npy_save(NULL, ok, err, sizeof err) != SJ_OK);
  CHECK(sj_npy_save("/nonexistent/x.npy", NULL, err, sizeof err) != SJ_OK);
  sj_tensor_free(ok);
}

static void test_ctx_module_function(void) {
  sj_ctx_options_init(NULL);
  sj_ctx *c = sj_ctx_new_with(NULL); /* defaults */
  CHECK(c != NULL);
  sj_ctx_free(NULL);
  CHECK(strcmp(sj_ctx_errmsg(NULL), "no context") == 0);
  char buf[8] = "zz";
  CHECK(sj_ctx_errmsg_copy(NULL, buf, sizeof buf) == 0 && buf[0] == '\0');
  CHECK(sj_ctx_errmsg_copy(c, NULL, 0) == 0);
  sj_ctx_clear_errors(NULL);
  sj_module *m = NULL;
  CHECK(sj_module_parse(NULL, src, strlen(src), "n", &m) == SJ_ERR_INVALID && m == NULL);
  CHECK(sj_module_parse(c, NULL, 3, "n", &m) == SJ_ERR_INVALID && m == NULL);
  CHECK(sj_module_parse(c, src, strlen(src), "n", NULL) == SJ_ERR_INVALID);
  CHECK(sj_module_load(NULL, "x.sj", &m) == SJ_ERR_INVALID);
  CHECK(sj_module_load(c, NULL, &m) == SJ_ERR_INVALID);
  CHECK(sj_module_load(c, "x.sj", NULL) == SJ_ERR_INVALID);
  sj_compile_options_init(NULL);
  CHECK(sj_module_parse(c, src, strlen(src), NULL, &m) == SJ_OK); /* NULL name: "<input>" */
  sj_function *f = NULL;
  CHECK(sj_module_compile(NULL, "f", NULL, &f) == SJ_ERR_INVALID && f == NULL);
  CHECK(sj_module_compile(m, NULL, NULL, &f) == SJ_ERR_INVALID && f == NULL);
  CHECK(sj_module_compile(m, "f", NULL, NULL) == SJ_ERR_INVALID);
  sj_function_free(NULL);
  sj_function_wait(NULL);
  CHECK(sj_function_num_inputs(NULL) == 0);
  CHECK(sj_function_num_outputs(NULL) == 0);
  CHECK(sj_function_compile_ms(NULL) == 0);
  sj_tensor *out[1] = {0};
  CHECK(sj_function_call(NULL, NULL, 0, out, 1) == SJ_ERR_INVALID);
  CHECK(sj_function_call_into(NULL, NULL, 0, out, 1) == SJ_ERR_INVALID);
  CHECK(sj_module_compile(m, "f", NULL, &f) == SJ_OK); /* NULL options: defaults */
  sj_tensor *x = sj_tensor_new(SJ_F32, 1, (int64_t[]){2});
  CHECK(sj_function_call(f, NULL, 1, out, 1) != SJ_OK && out[0] == NULL);
  CHECK(sj_function_call(f, &x, 1, NULL, 1) != SJ_OK);
  sj_tensor *nul[1] = {NULL};
  CHECK(sj_function_call(f, nul, 1, out, 1) != SJ_OK && out[0] == NULL);
  CHECK(sj_function_call_into(f, NULL, 1, &x, 1) != SJ_OK);
  CHECK(sj_function_call_into(f, &x, 1, NULL, 1) != SJ_OK);
  CHECK(sj_function_call_into(f, &x, 1, nul, 1) != SJ_OK);
  CHECK(sj_function_call_into(f, nul, 1, &x, 1) != SJ_OK);
  sj_tensor_free(x);
  sj_function_free(f);
  sj_ctx_free(c);
}

/* Each builder with NULL operands: NULL back without a context, poison and
 * a recorded error with one. */
static void test_graph_builders(void) {
  int64_t d[2] = {2, 3};
  int ax[1] = {1}, perm[2] = {1, 0};
  CHECK(sj_input(NULL, "x", SJ_F32, 2, d) == NULL);
  CHECK(sj_shared(NULL, "w", NULL) == NULL);
  CHECK(sj_scalar(NULL, 1, SJ_F32) == NULL);
  CHECK(sj_shared_value(NULL) == NULL);
  CHECK(sj_shared_set(NULL, NULL) == SJ_ERR_INVALID);
  CHECK(strcmp(sj_var_name(NULL), "") == 0);
  (void)sj_var_dtype(NULL);
  CHECK(sj_var_rank(NULL) == 0);
  CHECK(sj_var_dim(NULL, 0) == -1);
  CHECK(sj_name(NULL, "a") == NULL);
#define NULL_UNARY(name) CHECK(sj_##name(NULL) == NULL);
#define NULL_BINARY(name) CHECK(sj_##name(NULL, NULL) == NULL);
  SJ_UNARY_OPS(NULL_UNARY)
  SJ_BINARY_OPS(NULL_BINARY)
  CHECK(sj_where(NULL, NULL, NULL) == NULL);
  CHECK(sj_cast(NULL, SJ_F64) == NULL);
  CHECK(sj_sum(NULL, 1, ax, 0) == NULL && sj_mean(NULL, 0, NULL, 0) == NULL && sj_max(NULL, 0, NULL, 0) == NULL);
  CHECK(sj_min(NULL, 0, NULL, 0) == NULL && sj_prod(NULL, 0, NULL, 0) == NULL);
  CHECK(sj_reshape(NULL, 2, d) == NULL && sj_transpose(NULL, perm) == NULL && sj_matmul(NULL, NULL) == NULL);
  CHECK(sj_softmax(NULL, 1) == NULL && sj_log_softmax(NULL, 1) == NULL && sj_argmax(NULL, 1) == NULL);
  CHECK(sj_one_hot(NULL, 3, SJ_F32) == NULL && sj_take(NULL, NULL, 0) == NULL);
  CHECK(sj_take_along_axis(NULL, NULL, 0) == NULL && sj_scatter_add(NULL, NULL, NULL, 0, 0) == NULL);
  CHECK(sj_crossentropy(NULL, NULL) == NULL);
  sj_var *out[1] = {0};
  CHECK(sj_grad(NULL, NULL, 0, NULL) == SJ_ERR_INVALID);
  CHECK(sj_grad(NULL, out, 1, out) == SJ_ERR_INVALID);
  CHECK(sj_rop(NULL, NULL, NULL, 1, out) == SJ_ERR_INVALID);
  CHECK(sj_jacobian(NULL, NULL, out) == SJ_ERR_INVALID);
  CHECK(sj_hessian(NULL, NULL, out) == SJ_ERR_INVALID);
  sj_function *f = NULL;
  CHECK(sj_compile(NULL, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, &f) == SJ_ERR_INVALID && f == NULL);

  /* with a context: each NULL operand is an error naming the op */
  sj_ctx *c = sj_ctx_new();
  sj_var *x = sj_input(c, "x", SJ_F32, 2, d);
  CHECK(sj_grad(x, &x, 1, NULL) == SJ_ERR_INVALID);
  CHECK(sj_compile(c, &x, 1, NULL, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_ERR_INVALID);
  CHECK(sj_compile(c, &x, 1, &x, 1, NULL, 0, NULL, 0, NULL, NULL) == SJ_ERR_INVALID);
  CHECK(sj_compile(c, NULL, 1, &x, 1, NULL, 0, NULL, 0, NULL, &f) == SJ_ERR_INVALID);
  CHECK(sj_compile(c, &x, 1, &x, 1, NULL, 1, NULL, 0, NULL, &f) == SJ_ERR_INVALID);
  CHECK(sj_compile(c, &x, 1, &x, 1, NULL, 0, NULL, 1, NULL, &f) == SJ_ERR_INVALID);
  sj_given gv = {NULL, x};
  CHECK(sj_compile(c, &x, 1, &x, 1, NULL, 0, &gv, 1, NULL, &f) != SJ_OK && f == NULL);
  CHECK(strstr(sj_ctx_errmsg(c), "given 0 has a NULL or invalid var") != NULL);
  sj_update up = {NULL, x};
  CHECK(sj_compile(c, &x, 1, &x, 1, &up, 1, NULL, 0, NULL, &f) != SJ_OK && f == NULL);
  sj_ctx_clear_errors(c);
  CHECK(sj_reshape(x, 2, NULL) != NULL);
  CHECK(strstr(sj_ctx_errmsg(c), "dims is NULL") != NULL);
  sj_ctx_clear_errors(c);
  CHECK(sj_sum(x, 1, NULL, 0) != NULL);
  CHECK(strstr(sj_ctx_errmsg(c), "sum: 1 axes given but axes is NULL") != NULL);
  sj_ctx_clear_errors(c);
  CHECK(sj_shared(c, "w", NULL) != NULL);
  CHECK(strstr(sj_ctx_errmsg(c), "initial value is NULL") != NULL);
  sj_ctx_clear_errors(c);
  sj_var *p = sj_add(x, NULL);
  CHECK(p != NULL && strstr(sj_ctx_errmsg(c), "'add': operand 1 is NULL") != NULL);
  CHECK(sj_compile(c, &x, 1, &p, 1, NULL, 0, NULL, 0, NULL, &f) != SJ_OK && f == NULL);
  sj_ctx_clear_errors(c);
  CHECK(sj_where(x, NULL, x) != NULL && strstr(sj_ctx_errmsg(c), "operand 1 is NULL") != NULL);
  sj_ctx_clear_errors(c);
  CHECK(sj_scatter_add(x, NULL, x, 0, 0) != NULL && strstr(sj_ctx_errmsg(c), "operand 1 is NULL") != NULL);
  sj_ctx_clear_errors(c);
  CHECK(sj_input(c, NULL, SJ_F32, 2, NULL) != NULL && strstr(sj_ctx_errmsg(c), "invalid dtype or rank") != NULL);
  sj_ctx_clear_errors(c);
  CHECK(sj_transpose(x, NULL) != NULL && sj_ctx_errmsg(c)[0] == '\0'); /* NULL perm: reversed axes */
  CHECK(sj_input(c, NULL, SJ_F32, 2, d) != NULL && sj_ctx_errmsg(c)[0] == '\0'); /* unnamed input */
  CHECK(sj_name(x, NULL) == x);
  sj_ctx_free(c);
}

int main(void) {
  test_status_and_tensors();
  test_ctx_module_function();
  test_graph_builders();
  return failures ? 1 : 0;
}
