/* Unit tests of the IR core API (lib/ir/ir.h): use-lists, replace-all-uses,
 * erase, clone with a value map, the pre-order walk (iterative, nested and
 * multi-region), sorted attributes, broadcasting, type text, interning, the
 * printer's naming rules and freeing a context holding many ops. Every
 * failure prints file:line and the condition; the exit status is 0 only if
 * all checks pass. Run under ASan/LSan in CI, which also catches leaks. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"
#include "text.h"
#include "verify.h"

static int failures, checks;

#define CHECK(cond)                                                            \
  do {                                                                         \
    checks++;                                                                  \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                              \
    }                                                                          \
  } while (0)

#define CHECK_STR(a, b)                                                                  \
  do {                                                                                   \
    checks++;                                                                            \
    const char *a_ = (a), *b_ = (b);                                                     \
    if (strcmp(a_, b_) != 0) {                                                           \
      fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n  got:  %s\n  want: %s\n", __FILE__, \
              __LINE__, #a, a_, b_);                                                     \
      failures++;                                                                        \
    }                                                                                    \
  } while (0)

static const sj_loc noloc = {NULL, 0, 0};

/* ---- helpers ---- */

static sj_module *parse(sj_ctx *c, const char *text) {
  sj_module *m = NULL;
  if (sj_parse_module(c, "t.sj", text, strlen(text), true, &m) != SJ_OK) {
    fprintf(stderr, "parse failed:\n%s\n%s\n", sj_ctx_diags(c), text);
    failures++;
    return NULL;
  }
  return m;
}

/* Printed module as a malloc'd string. */
static char *print(const sj_module *m) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  sj_print_module(f, m);
  fclose(f);
  return buf;
}

/* Op names of a block's ops in walk order, space separated. */
static void names_cb(sj_op *op, void *ud) {
  char *s = ud;
  if (*s) strcat(s, " ");
  strcat(s, sj_op_name(op));
}

static sj_value *nth_result(sj_module *m, const char *fname, int k) {
  sj_op *f = sj_module_lookup(m, fname);
  sj_op *op = sj_func_body(f)->first;
  for (int i = 0; i < k; i++) op = op->next;
  return sj_res(op, 0);
}

static sj_type t_f32(int rank, const int64_t *dims) { return sj_tensor_type(SJ_F32, rank, dims); }

/* ---- use-lists ---- */

static void test_uses(void) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = parse(c,
                       "func @f(%x: f32[4], %y: f32[4]) -> (f32[4]) {\n"
                       "  %a = add %x, %x : f32[4]\n"
                       "  %b = mul %a, %x : f32[4]\n"
                       "  %d = sub %b, %a : f32[4]\n"
                       "  return %d\n"
                       "}\n");
  if (!m) return;
  sj_block *body = sj_func_body(sj_module_lookup(m, "f"));
  sj_value *x = body->args[0], *y = body->args[1];
  sj_value *a = nth_result(m, "f", 0);
  CHECK(sj_value_num_uses(x) == 3); /* twice in add, once in mul */
  CHECK(sj_value_num_uses(y) == 0 && !sj_value_has_uses(y));
  CHECK(sj_value_num_uses(a) == 2);
  /* every use knows its user and position */
  for (sj_use *u = x->uses; u; u = u->next) {
    CHECK(u->value == x);
    CHECK(sj_opnd(u->user, u->index) == x);
    CHECK(*u->prevp == u);
  }
  sj_value_replace_all_uses(x, y);
  CHECK(!sj_value_has_uses(x));
  CHECK(sj_value_num_uses(y) == 3);
  sj_op *add = a->def;
  CHECK(sj_opnd(add, 0) == y && sj_opnd(add, 1) == y);
  sj_value_replace_all_uses(y, y); /* no-op */
  CHECK(sj_value_num_uses(y) == 3);
  /* setting one operand moves exactly one use */
  sj_op_set_operand(add, 1, x);
  CHECK(sj_value_num_uses(x) == 1 && sj_value_num_uses(y) == 2);
  /* set_operands with a new arity relinks every slot */
  sj_value *vals[3] = {a, y, x};
  sj_op *ret = body->last;
  sj_op_set_operands(c, ret, 3, vals);
  CHECK(ret->nopnds == 3 && sj_value_num_uses(a) == 3 && sj_value_num_uses(x) == 2);
  sj_value *one[1] = {a};
  sj_op_set_operands(c, ret, 1, one);
  CHECK(sj_value_num_uses(x) == 1 && sj_value_num_uses(a) == 3);
  CHECK(sj_verify_module(m) == SJ_OK);
  sj_ctx_free(c);
}

/* Replacing a value with many uses: linear (no per-use search of others),
 * and every use lands on the new value. */
static void test_many_uses(void) {
  enum { N = 200000 };
  sj_ctx *c = sj_ctx_new();
  int64_t d4[1] = {4};
  sj_type t = t_f32(1, d4);
  sj_block *b = sj_block_new(c, NULL);
  sj_value *x = sj_block_add_arg(c, b, t), *y = sj_block_add_arg(c, b, t);
  sj_value *pair[2] = {x, y};
  for (int i = 0; i < N; i++) sj_block_append(b, sj_op_new(c, SJ_OP_ADD, 2, pair, 1, &t, 0, noloc));
  CHECK(sj_value_num_uses(x) == N && sj_value_num_uses(y) == N);
  sj_value_replace_all_uses(x, y);
  CHECK(sj_value_num_uses(x) == 0 && sj_value_num_uses(y) == 2 * N);
  int ok = 1;
  for (sj_op *op = b->first; op; op = op->next) ok &= sj_opnd(op, 0) == y && sj_opnd(op, 1) == y;
  CHECK(ok);
  /* erasing every op empties the use list */
  while (b->first) sj_op_erase(b->first);
  CHECK(!sj_value_has_uses(y) && b->last == NULL);
  sj_ctx_free(c);
}

/* ---- erase, insert ---- */

static void test_erase_insert(void) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = parse(c,
                       "kernel @k(%in: f32[4], %out: f32[4]) {\n"
                       "  %c0 = constant {value = 0} : i64\n"
                       "  %c4 = constant {value = 4} : i64\n"
                       "  %dead = dim %in {axis = 0} : i64\n"
                       "  parallel_for %c0, %c4 (%i: i64) {\n"
                       "    %v = load %in, %i : f32\n"
                       "    store %v, %out, %i\n"
                       "    yield\n"
                       "  }\n"
                       "  return\n"
                       "}\n");
  if (!m) return;
  sj_block *body = sj_func_body(sj_module_lookup(m, "k"));
  sj_value *in = body->args[0];
  sj_op *c0 = body->first, *c4 = c0->next, *dead = c4->next, *loop = dead->next;
  CHECK(sj_value_num_uses(in) == 2);
  /* erasing the loop drops the uses made inside its region too */
  sj_op_erase(loop);
  CHECK(sj_value_num_uses(in) == 1 && !sj_value_has_uses(c0->results[0]));
  CHECK(dead->next == body->last && body->last->prev == dead);
  CHECK(loop->block == NULL && loop->next == NULL && loop->prev == NULL);
  sj_op_erase(dead); /* middle */
  CHECK(!sj_value_has_uses(in) && c4->next == body->last);
  sj_op_erase(c0); /* first */
  CHECK(body->first == c4 && c4->prev == NULL);
  /* re-insert before the first op and after the last */
  sj_block_insert_before(c4, c0);
  CHECK(body->first == c0 && c0->next == c4 && c4->prev == c0);
  sj_op *ret = body->last;
  sj_op_unlink(ret);
  CHECK(body->last == c4 && c4->next == NULL);
  sj_block_insert_after(c4, ret);
  CHECK(body->last == ret && sj_block_terminator(body) == ret);
  sj_block_insert_after(c0, dead);
  CHECK(c0->next == dead && dead->next == c4);
  /* erase dropped its operand; the verifier names the empty slot */
  CHECK(sj_opnd(dead, 0) == NULL && sj_verify_module(m) != SJ_OK);
  CHECK(strstr(sj_ctx_diags(c), "'dim' op operand 0 is missing") != NULL);
  sj_op_set_operand(dead, 0, in);
  CHECK(sj_value_num_uses(in) == 1);
  CHECK(sj_verify_module(m) == SJ_OK);
  char *s = print(m);
  CHECK_STR(s,
            "kernel @k(%in: f32[4], %out: f32[4]) {\n"
            "  %c0 = constant {value = 0} : i64\n"
            "  %dead = dim %in {axis = 0} : i64\n"
            "  %c4 = constant {value = 4} : i64\n"
            "  return\n"
            "}\n");
  free(s);
  sj_ctx_free(c);
}

/* ---- clone ---- */

static void test_clone(void) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = parse(c,
                       "kernel @k(%in: f32[?], %out: f32[]) {\n"
                       "  %c0 = constant {value = 0} : i64\n"
                       "  %n = dim %in {axis = 0} : i64\n"
                       "  %z = constant {value = 0.0} : f32\n"
                       "  %s = for %c0, %n, %z : f32 (%i: i64, %acc: f32) {\n"
                       "    %v = load %in, %i : f32\n"
                       "    %a = add %acc, %v : f32\n"
                       "    yield %a\n"
                       "  }\n"
                       "  store %s, %out\n"
                       "  return\n"
                       "}\n");
  if (!m) return;
  sj_block *body = sj_func_body(sj_module_lookup(m, "k"));
  sj_op *loop = body->first->next->next->next;
  sj_value *z = sj_res(body->first->next->next, 0);
  CHECK(loop->code == SJ_OP_FOR);
  /* remap the init value to a fresh constant; leave %c0, %n, %in alone */
  sj_type f32s = sj_scalar_type(SJ_F32);
  sj_op *one = sj_op_new(c, SJ_OP_CONSTANT, 0, NULL, 1, &f32s, 0, noloc);
  sj_op_set_float(c, one, "value", 1.0);
  sj_block_insert_before(loop, one);
  sj_value_map *vm = sj_value_map_new(c);
  sj_value_map_set(vm, z, sj_res(one, 0));
  sj_op *cl = sj_op_clone(c, loop, vm);
  CHECK(cl != loop && cl->block == NULL && cl->code == SJ_OP_FOR);
  CHECK(sj_opnd(cl, 0) == sj_opnd(loop, 0) && sj_opnd(cl, 1) == sj_opnd(loop, 1));
  CHECK(sj_opnd(cl, 2) == sj_res(one, 0));
  CHECK(sj_value_map_get(vm, sj_res(loop, 0)) == sj_res(cl, 0));
  sj_block *ob = loop->regions[0], *nb = cl->regions[0];
  CHECK(nb != ob && nb->parent == cl && nb->nargs == 2);
  CHECK(sj_value_map_get(vm, ob->args[1]) == nb->args[1]);
  /* deep: the body's ops are new and refer to the new block's values */
  sj_op *oload = ob->first, *nload = nb->first;
  CHECK(nload != oload && nload->block == nb);
  CHECK(sj_opnd(nload, 0) == body->args[0] && sj_opnd(nload, 1) == nb->args[0]);
  sj_op *nadd = nload->next;
  CHECK(sj_opnd(nadd, 0) == nb->args[1] && sj_opnd(nadd, 1) == sj_res(nload, 0));
  CHECK(sj_opnd(nb->last, 0) == sj_res(nadd, 0));
  /* the original is untouched */
  CHECK(sj_opnd(ob->first->next, 0) == ob->args[1] && sj_value_num_uses(ob->args[1]) == 1);
  /* attributes are copied, not shared */
  sj_op *odim = body->first->next;
  sj_op *ndim = sj_op_clone(c, odim, sj_value_map_new(c));
  CHECK(ndim->attrs != odim->attrs && sj_attr_eq(&ndim->attrs[0], &odim->attrs[0]));
  sj_op_set_int(c, ndim, "axis", 5);
  CHECK(sj_op_int(odim, "axis", -1) == 0);
  /* inserted next to the original, the clone verifies; its names clash with
   * the original's and get suffixes when printed */
  sj_block_insert_after(loop, cl);
  CHECK(sj_verify_module(m) == SJ_OK);
  char *s = print(m);
  CHECK_STR(s,
            "kernel @k(%in: f32[?], %out: f32[]) {\n"
            "  %c0 = constant {value = 0} : i64\n"
            "  %n = dim %in {axis = 0} : i64\n"
            "  %z = constant {value = 0.0} : f32\n"
            "  %0 = constant {value = 1.0} : f32\n"
            "  %s = for %c0, %n, %z : f32 (%i: i64, %acc: f32) {\n"
            "    %v = load %in, %i : f32\n"
            "    %a = add %acc, %v : f32\n"
            "    yield %a\n"
            "  }\n"
            "  %s_1 = for %c0, %n, %0 : f32 (%i_1: i64, %acc_1: f32) {\n"
            "    %v_1 = load %in, %i_1 : f32\n"
            "    %a_1 = add %acc_1, %v_1 : f32\n"
            "    yield %a_1\n"
            "  }\n"
            "  store %s, %out\n"
            "  return\n"
            "}\n");
  /* and the printed form is a fixed point */
  sj_ctx *c2 = sj_ctx_new();
  sj_module *m2 = parse(c2, s);
  if (m2) {
    char *s2 = print(m2);
    CHECK_STR(s2, s);
    free(s2);
  }
  sj_ctx_free(c2);
  free(s);
  /* a value map grows past its initial capacity and keeps every entry */
  sj_value_map *big = sj_value_map_new(c);
  sj_value *vs[1000];
  for (int i = 0; i < 1000; i++) {
    vs[i] = sj_block_add_arg(c, nb, f32s);
    sj_value_map_set(big, vs[i], vs[(i + 1) % 1000 == 0 ? 0 : i]);
  }
  int ok = 1;
  for (int i = 0; i < 1000; i++) ok &= sj_value_map_get(big, vs[i]) == vs[(i + 1) % 1000 == 0 ? 0 : i];
  CHECK(ok && sj_value_map_get(big, z) == z && sj_value_map_get(big, NULL) == NULL);
  sj_ctx_free(c);
}

/* ---- walk ---- */

static void test_walk(void) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = parse(c,
                       "kernel @k(%o: f32[2,2]) {\n"
                       "  %c0 = constant {value = 0} : i64\n"
                       "  %c2 = constant {value = 2} : i64\n"
                       "  parallel_for %c0, %c2 (%i: i64) {\n"
                       "    for %c0, %c2 (%j: i64) {\n"
                       "      %v = constant {value = 1.0} : f32\n"
                       "      store %v, %o, %i, %j\n"
                       "      yield\n"
                       "    }\n"
                       "    yield\n"
                       "  }\n"
                       "  return\n"
                       "}\n"
                       "\n"
                       "func @f(%x: f32[2]) -> (f32[2]) {\n"
                       "  %y = fused %x : f32[2] (%a: f32) {\n"
                       "    %e = exp %a : f32\n"
                       "    yield %e\n"
                       "  }\n"
                       "  return %y\n"
                       "}\n");
  if (!m) return;
  char got[512] = "";
  sj_walk_block(m->body, names_cb, got);
  CHECK_STR(got, "kernel constant constant parallel_for for constant store yield yield return "
                 "func fused exp yield return");
  /* walking a nested block stays inside it */
  sj_op *pf = sj_func_body(sj_module_lookup(m, "k"))->first->next->next;
  got[0] = '\0';
  sj_walk_block(pf->regions[0], names_cb, got);
  CHECK_STR(got, "for constant store yield yield");
  sj_op_vec v = {0};
  sj_collect_ops(m->body, &v);
  CHECK(v.n == 15 && v.v[0]->code == SJ_OP_KERNEL && v.v[14]->code == SJ_OP_RETURN);
  sj_op_vec_free(&v);

  /* several regions, some empty, on one op (built by hand: the registry has
   * no such op, but the walker must not assume one region) */
  sj_block *b = sj_block_new(c, NULL);
  sj_op *multi = sj_op_new(c, SJ_OP_FUSED, 0, NULL, 0, NULL, 4, noloc);
  sj_block_append(b, multi);
  sj_type i64 = sj_scalar_type(SJ_I64);
  sj_block_append(multi->regions[1], sj_op_new(c, SJ_OP_CONSTANT, 0, NULL, 1, &i64, 0, noloc));
  sj_block_append(multi->regions[1], sj_op_new(c, SJ_OP_YIELD, 0, NULL, 0, NULL, 0, noloc));
  sj_block_append(multi->regions[3], sj_op_new(c, SJ_OP_RETURN, 0, NULL, 0, NULL, 0, noloc));
  sj_block_append(b, sj_op_new(c, SJ_OP_GEMM, 0, NULL, 0, NULL, 0, noloc));
  got[0] = '\0';
  sj_walk_block(b, names_cb, got);
  CHECK_STR(got, "fused constant yield return gemm");
  sj_ctx_free(c);
}

/* A nest far deeper than any stack could recurse through: the walk, erase
 * and the verifier's collection must be iterative. */
static void test_deep_walk(void) {
  enum { DEPTH = 200000 };
  sj_ctx *c = sj_ctx_new();
  sj_block *top = sj_block_new(c, NULL), *b = top;
  for (int i = 0; i < DEPTH; i++) {
    sj_op *op = sj_op_new(c, SJ_OP_FUSED, 0, NULL, 0, NULL, 1, noloc);
    sj_block_append(b, op);
    b = op->regions[0];
  }
  sj_op_vec v = {0};
  sj_collect_ops(top, &v);
  CHECK(v.n == DEPTH);
  int ok = 1;
  for (size_t i = 1; i < v.n; i++) ok &= v.v[i]->block->parent == v.v[i - 1];
  CHECK(ok);
  sj_op_vec_free(&v);
  sj_ctx_free(c);
}

/* ---- attributes ---- */

static void test_attrs(void) {
  sj_ctx *c = sj_ctx_new();
  sj_op *op = sj_op_new(c, SJ_OP_SUM, 0, NULL, 0, NULL, 0, noloc);
  const char *order[] = {"m", "b", "z", "a", "keepdims", "axes", "c.d", "c"};
  for (int i = 0; i < 8; i++) sj_op_set_int(c, op, order[i], i);
  CHECK(op->nattrs == 8);
  int sorted = 1;
  for (unsigned i = 1; i < op->nattrs; i++) sorted &= strcmp(op->attrs[i - 1].name, op->attrs[i].name) < 0;
  CHECK(sorted);
  CHECK_STR(op->attrs[0].name, "a");
  CHECK_STR(op->attrs[7].name, "z");
  /* names are interned: pointer equality works */
  CHECK(sj_op_attr(op, "axes")->name == sj_intern(c, "axes"));
  /* setting an existing name replaces it in place */
  sj_op_set_bool(c, op, "keepdims", true);
  CHECK(op->nattrs == 8 && sj_op_bool(op, "keepdims", false));
  CHECK(sj_op_int(op, "keepdims", -1) == -1); /* wrong kind -> default */
  int64_t ax[2] = {1, -1};
  sj_op_set_ints(c, op, "axes", 2, ax);
  ax[0] = 7; /* the attribute owns a copy */
  const sj_attr *a = sj_op_attr(op, "axes");
  CHECK(a->kind == SJ_ATTR_INTS && a->u.ints.n == 2 && a->u.ints.v[0] == 1);
  CHECK(sj_op_remove_attr(op, "m") && !sj_op_attr(op, "m") && op->nattrs == 7);
  CHECK(!sj_op_remove_attr(op, "m"));
  sj_op_set_sym(c, op, "kernel", "k0");
  CHECK_STR(sj_op_sym(op, "kernel"), "k0");
  CHECK(sj_op_sym(op, "a") == NULL);
  /* equality looks at kind and payload bit patterns (NaN == NaN, -0 != 0) */
  sj_attr f1 = {.name = sj_intern(c, "f"), .kind = SJ_ATTR_FLOAT, .u.f = 0.0};
  sj_attr f2 = f1;
  f2.u.f = -0.0;
  CHECK(!sj_attr_eq(&f1, &f2));
  f1.u.f = f2.u.f = __builtin_nan("");
  CHECK(sj_attr_eq(&f1, &f2));
  sj_ctx_free(c);
}

/* ---- types ---- */

static sj_type ty(const char *text) {
  /* parses "f32[?,3]" style text through a throwaway func */
  static char buf[256];
  sj_type t = sj_scalar_type(SJ_F32);
  snprintf(buf, sizeof buf, "kernel @k(%%x: %s) {\n  return\n}\n", text);
  sj_ctx *c = sj_ctx_new();
  sj_module *m = parse(c, buf);
  if (m) t = sj_func_body(m->body->first)->args[0]->type;
  sj_ctx_free(c);
  return t;
}

static const char *bcast(const char *a, const char *b) {
  static char buf[SJ_TYPE_STR_CAP];
  sj_type x = ty(a), y = ty(b), r;
  if (!sj_broadcast_shapes(&x, &y, &r)) return "incompatible";
  return sj_type_str(&r, buf, sizeof buf);
}

static void test_types(void) {
  char buf[SJ_TYPE_STR_CAP];
  CHECK_STR(bcast("f32[3]", "f32[3]"), "f32[3]");
  CHECK_STR(bcast("f32[3]", "f32[4]"), "incompatible");
  CHECK_STR(bcast("f32[4,1,5]", "f32[3,1]"), "f32[4,3,5]");
  CHECK_STR(bcast("f32[]", "f32[2,3]"), "f32[2,3]");
  CHECK_STR(bcast("f32[?]", "f32[1]"), "f32[?]");
  CHECK_STR(bcast("f32[1]", "f32[?]"), "f32[?]");
  CHECK_STR(bcast("f32[?]", "f32[?]"), "f32[?]");
  CHECK_STR(bcast("f32[?]", "f32[5]"), "f32[5]");
  CHECK_STR(bcast("f32[5,?]", "f32[?,1,7]"), "f32[?,5,7]");
  CHECK_STR(bcast("f32[2,0]", "f32[1]"), "f32[2,0]");
  CHECK_STR(bcast("f32[2,0]", "f32[2]"), "incompatible");
  sj_type s = sj_scalar_type(SJ_F32), r;
  CHECK(sj_broadcast_shapes(&s, &s, &r) && !r.is_tensor && r.rank == 0);

  sj_type from = ty("f32[3,1]"), to = ty("f32[2,3,4]");
  CHECK(sj_broadcastable_to(&from, &to));
  CHECK(!sj_broadcastable_to(&to, &from));
  from = ty("f32[?]");
  CHECK(sj_broadcastable_to(&from, &to));
  from = ty("f32[5]");
  CHECK(!sj_broadcastable_to(&from, &to));
  from = ty("f32[4]");
  to = ty("f32[2,?]");
  CHECK(sj_broadcastable_to(&from, &to));

  CHECK_STR(sj_type_str(&s, buf, sizeof buf), "f32");
  sj_type t0 = sj_tensor_type(SJ_BF16, 0, NULL);
  CHECK_STR(sj_type_str(&t0, buf, sizeof buf), "bf16[]");
  int64_t d[3] = {SJ_DYN, 10, 0};
  sj_type t3 = sj_tensor_type(SJ_BOOL, 3, d);
  CHECK_STR(sj_type_str(&t3, buf, sizeof buf), "bool[?,10,0]");
  CHECK(sj_type_numel(&t3) == -1);
  char small[6];
  CHECK_STR(sj_type_str(&t3, small, sizeof small), "bool[");
  int64_t big[8];
  for (int i = 0; i < 8; i++) big[i] = 1000000000000000000LL;
  sj_type tb = sj_tensor_type(SJ_I64, 8, big);
  sj_type_str(&tb, buf, sizeof buf); /* truncates safely */
  CHECK(strlen(buf) < sizeof buf && strncmp(buf, "i64[1000000000000000000,", 24) == 0);
  CHECK(sj_type_eq(&t3, &t3) && !sj_type_eq(&t3, &t0) && !sj_type_eq(&s, &t0));
  sj_dtype dt;
  CHECK(sj_dtype_parse("bf16", 4, &dt) && dt == SJ_BF16);
  CHECK(!sj_dtype_parse("f32x", 4, &dt) && !sj_dtype_parse("f3", 2, &dt));
  CHECK(sj_dtype_is_float(SJ_F16) && !sj_dtype_is_float(SJ_I8) && !sj_dtype_is_int(SJ_BOOL));
}

/* ---- interning, diagnostics ---- */

static void test_intern_diags(void) {
  sj_ctx *c = sj_ctx_new();
  const char *a = sj_intern(c, "hello");
  CHECK(a == sj_intern(c, "hello"));
  CHECK(a == sj_intern_n(c, "hello world", 5)); /* not NUL-terminated at n */
  CHECK(a != sj_intern(c, "hell") && a != sj_intern(c, "hello!"));
  CHECK(sj_intern(c, "") == sj_intern_n(c, "xyz", 0));
  /* the table grows many times; old pointers stay valid and unique */
  static const char *ptrs[20000];
  char key[32];
  for (int i = 0; i < 20000; i++) {
    snprintf(key, sizeof key, "k%d", i);
    ptrs[i] = sj_intern(c, key);
  }
  int ok = 1;
  for (int i = 0; i < 20000; i++) {
    snprintf(key, sizeof key, "k%d", i);
    ok &= sj_intern(c, key) == ptrs[i] && strcmp(ptrs[i], key) == 0;
  }
  CHECK(ok && a == sj_intern(c, "hello"));

  CHECK(sj_ctx_num_errors(c) == 0 && strcmp(sj_ctx_diags(c), "") == 0);
  sj_loc l = {sj_intern(c, "x.sj"), 3, 7};
  CHECK(sj_emit_error(c, l, "bad %s %d", "thing", 42) != SJ_OK);
  sj_emit_error(c, noloc, "second");
  CHECK_STR(sj_ctx_diags(c), "x.sj:3:7: error: bad thing 42\n<generated>: error: second\n");
  CHECK(sj_ctx_num_errors(c) == 2);
  sj_ctx_clear_diags(c);
  CHECK(sj_ctx_num_errors(c) == 0 && strcmp(sj_ctx_diags(c), "") == 0);
  sj_ctx_free(c);
  sj_ctx_free(NULL); /* accepted */
}

/* ---- printer naming and robustness ---- */

static void test_printer_names(void) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = parse(c,
                       "func @f(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4]) {\n"
                       "  %a = neg %x : f32[4]\n"
                       "  %b = neg %a : f32[4]\n"
                       "  %c = neg %b : f32[4]\n"
                       "  %d = neg %c : f32[4]\n"
                       "  return %a, %b, %c, %d\n"
                       "}\n");
  if (!m) return;
  sj_block *body = sj_func_body(m->body->first);
  sj_op *o = body->first;
  /* names a pass or the API may set: clashing, unlexable, very long */
  char longname[400];
  memset(longname, 'n', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  sj_res(o, 0)->name = sj_intern(c, longname);
  o = o->next;
  sj_res(o, 0)->name = sj_intern(c, longname); /* the same long name twice */
  o = o->next;
  sj_res(o, 0)->name = sj_intern(c, "has space");
  o = o->next;
  sj_res(o, 0)->name = NULL;
  char *s = print(m);
  char want[4096];
  snprintf(want, sizeof want,
           "func @f(%%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4]) {\n"
           "  %%%s = neg %%x : f32[4]\n"
           "  %%%s_1 = neg %%%s : f32[4]\n"
           "  %%0 = neg %%%s_1 : f32[4]\n"
           "  %%1 = neg %%0 : f32[4]\n"
           "  return %%%s, %%%s_1, %%0, %%1\n"
           "}\n",
           longname, longname, longname, longname, longname, longname);
  CHECK_STR(s, want);
  sj_ctx *c2 = sj_ctx_new();
  sj_module *m2 = parse(c2, s);
  if (m2) {
    char *s2 = print(m2);
    CHECK_STR(s2, s);
    free(s2);
  }
  sj_ctx_free(c2);
  free(s);
  sj_ctx_free(c);
}

/* A dense literal a pass marked as ints but whose values are not exact
 * int64s prints as floats, and the text re-parses to the same values. */
static void test_printer_dense(void) {
  sj_ctx *c = sj_ctx_new();
  sj_module *m = parse(c,
                       "func @f() -> (f64[3]) {\n"
                       "  %a = constant {value = dense<[1, 2, 3]>} : f64[3]\n"
                       "  return %a\n"
                       "}\n");
  if (!m) return;
  sj_op *k = sj_func_body(m->body->first)->first;
  sj_attr a = *sj_op_attr(k, "value");
  double *v = sj_arena_alloc(c, 3 * sizeof *v);
  v[0] = 1e19;
  v[1] = -2.0;
  v[2] = 0.5;
  a.u.dense.v = v;
  a.u.dense.is_int = true;
  sj_op_set_attr(c, k, a);
  char *s = print(m);
  CHECK(strstr(s, "dense<[1e+19, -2.0, 0.5]>") != NULL);
  sj_ctx *c2 = sj_ctx_new();
  sj_module *m2 = parse(c2, s);
  if (m2) {
    const sj_attr *b = sj_op_attr(sj_func_body(m2->body->first)->first, "value");
    CHECK(b->u.dense.n == 3 && b->u.dense.v[0] == 1e19 && b->u.dense.v[2] == 0.5);
  }
  sj_ctx_free(c2);
  free(s);
  sj_ctx_free(c);
}

/* ---- a context holding many ops frees everything (LSan checks) ---- */

static void test_many_ops_free(void) {
  enum { FUNCS = 50, OPS = 4000 };
  sj_ctx *c = sj_ctx_new();
  sj_module *m = sj_module_new(c);
  int64_t d[2] = {SJ_DYN, 8};
  sj_type t = t_f32(2, d);
  for (int f = 0; f < FUNCS; f++) {
    sj_op *fn = sj_op_new(c, SJ_OP_FUNC, 0, NULL, 0, NULL, 1, noloc);
    char name[16];
    snprintf(name, sizeof name, "f%d", f);
    sj_op_set_sym(c, fn, "sym_name", name);
    sj_block *b = sj_func_body(fn);
    sj_value *x = sj_block_add_arg(c, b, t);
    for (int i = 0; i < OPS; i++) {
      sj_value *pair[2] = {x, x};
      sj_op *op = sj_op_new(c, i % 2 ? SJ_OP_ADD : SJ_OP_MUL, 2, pair, 1, &t, 0, noloc);
      sj_block_append(b, op);
      x = sj_res(op, 0);
    }
    sj_block_append(b, sj_op_new(c, SJ_OP_RETURN, 1, &x, 0, NULL, 0, noloc));
    sj_block_append(m->body, fn);
  }
  CHECK(sj_verify_module(m) == SJ_OK);
  if (sj_ctx_num_errors(c)) fputs(sj_ctx_diags(c), stderr);
  CHECK(sj_module_lookup(m, "f49") != NULL && sj_module_lookup(m, "f50") == NULL);
  sj_ctx_free(c);
}

int main(void) {
  test_uses();
  test_many_uses();
  test_erase_insert();
  test_clone();
  test_walk();
  test_deep_walk();
  test_attrs();
  test_types();
  test_intern_diags();
  test_printer_names();
  test_printer_dense();
  test_many_ops_free();
  printf("ir_api: %d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
