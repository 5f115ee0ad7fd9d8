/* cse: merges structurally identical ops (same opcode, attributes, operands
 * and result types; operands of commutative ops in either order). Scoped as
 * MLIR's CSE: an op may reuse an identical op earlier in its block or in an
 * enclosing block. Only pure ops without regions are candidates; `alloc`
 * (each call is a distinct buffer) and `load` (memory may change between two
 * loads) never are. */
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"
#include "pass.h"

typedef struct entry {
  uint64_t hash;
  sj_op *op;
} entry;

/* A scoped table: a stack of entries (popped when a region is left) and an
 * open-addressing index over stack positions, rebuilt on pop. */
typedef struct table {
  entry *stack;
  size_t n, cap;
  size_t *index; /* open addressing over stack positions + 1 */
  size_t icap;
} table;

static bool candidate(const sj_op *op) {
  if (!sj_op_has(op, SJ_F_PURE) || op->nregions || op->nresults == 0) return false;
  return op->code != SJ_OP_ALLOC && op->code != SJ_OP_LOAD;
}

static uint64_t mix(uint64_t h, uint64_t x) { return (h ^ x) * 0x100000001B3ull + (h >> 29); }

static uint64_t hash_attr(const sj_attr *a) {
  uint64_t h = mix((uintptr_t)a->name, (uint64_t)a->kind);
  switch (a->kind) {
  case SJ_ATTR_INT: return mix(h, (uint64_t)a->u.i);
  case SJ_ATTR_FLOAT: {
    uint64_t b;
    memcpy(&b, &a->u.f, sizeof b);
    return mix(h, b);
  }
  case SJ_ATTR_BOOL: return mix(h, a->u.b);
  case SJ_ATTR_STR:
  case SJ_ATTR_SYM: return mix(h, (uintptr_t)a->u.s);
  case SJ_ATTR_DTYPE: return mix(h, (uint64_t)a->u.dt);
  case SJ_ATTR_INTS:
    for (int i = 0; i < a->u.ints.n; i++) h = mix(h, (uint64_t)a->u.ints.v[i]);
    return h;
  case SJ_ATTR_DENSE: return mix(h, (uint64_t)a->u.dense.n);
  }
  return h;
}

static uint64_t hash_op(const sj_op *op) {
  uint64_t h = mix(0xcbf29ce484222325ull, (uint64_t)op->code);
  uint64_t acc = 0;
  bool comm = sj_op_has(op, SJ_F_COMMUTATIVE);
  for (unsigned i = 0; i < op->nopnds; i++) {
    uint64_t v = (uintptr_t)sj_opnd(op, i) * 0x9E3779B97F4A7C15ull;
    if (comm) acc += v; /* order-independent */
    else h = mix(h, v);
  }
  h = mix(h, acc);
  for (unsigned i = 0; i < op->nattrs; i++) h = mix(h, hash_attr(&op->attrs[i]));
  for (unsigned i = 0; i < op->nresults; i++) {
    const sj_type *t = &sj_res(op, i)->type;
    h = mix(h, (uint64_t)t->dt * 31 + (uint64_t)t->rank * 7 + t->is_tensor);
    for (int k = 0; k < t->rank; k++) h = mix(h, (uint64_t)t->dims[k]);
  }
  return h;
}

static bool same_operands(const sj_op *a, const sj_op *b) {
  if (a->nopnds != b->nopnds) return false;
  bool direct = true;
  for (unsigned i = 0; i < a->nopnds && direct; i++) direct = sj_opnd(a, i) == sj_opnd(b, i);
  if (direct) return true;
  return sj_op_has(a, SJ_F_COMMUTATIVE) && a->nopnds == 2 && sj_opnd(a, 0) == sj_opnd(b, 1) &&
         sj_opnd(a, 1) == sj_opnd(b, 0);
}

static bool equivalent(const sj_op *a, const sj_op *b) {
  if (a->code != b->code || a->nattrs != b->nattrs || a->nresults != b->nresults || !same_operands(a, b))
    return false;
  for (unsigned i = 0; i < a->nattrs; i++)
    if (!sj_attr_eq(&a->attrs[i], &b->attrs[i])) return false;
  for (unsigned i = 0; i < a->nresults; i++)
    if (!sj_type_eq(&sj_res(a, i)->type, &sj_res(b, i)->type)) return false;
  return true;
}

static void index_put(table *t, size_t pos) {
  size_t j = t->stack[pos].hash & (t->icap - 1);
  while (t->index[j]) j = (j + 1) & (t->icap - 1);
  t->index[j] = pos + 1;
}

static void push(table *t, uint64_t h, sj_op *op) {
  if (t->n == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 64;
    t->stack = realloc(t->stack, t->cap * sizeof *t->stack);
  }
  t->stack[t->n++] = (entry){h, op};
  if (2 * t->n > t->icap) {
    free(t->index);
    t->icap = t->icap ? 2 * t->icap : 128;
    while (2 * t->n > t->icap) t->icap *= 2;
    t->index = calloc(t->icap, sizeof *t->index);
    for (size_t i = 0; i < t->n; i++) index_put(t, i);
  } else {
    index_put(t, t->n - 1);
  }
}

/* Removes entries above `mark` (leaving a scope): rebuild the index. */
static void pop_to(table *t, size_t mark) {
  if (t->n == mark) return;
  t->n = mark;
  memset(t->index, 0, t->icap * sizeof *t->index);
  for (size_t i = 0; i < t->n; i++) index_put(t, i);
}

static sj_op *find(const table *t, uint64_t h, const sj_op *op) {
  if (!t->icap) return NULL;
  for (size_t j = h & (t->icap - 1); t->index[j]; j = (j + 1) & (t->icap - 1)) {
    const entry *e = &t->stack[t->index[j] - 1];
    if (e->hash == h && equivalent(e->op, op)) return e->op;
  }
  return NULL;
}

/* Iterative walk: a frame per open block. */
typedef struct frame {
  sj_op *next;
  size_t mark;
} frame;

static void cse_region(sj_block *root, table *t) {
  frame stack[256];
  int depth = 0;
  stack[0] = (frame){root->first, t->n};
  while (depth >= 0) {
    sj_op *op = stack[depth].next;
    if (!op) {
      pop_to(t, stack[depth].mark);
      depth--;
      continue;
    }
    stack[depth].next = op->next;
    if (candidate(op)) {
      uint64_t h = hash_op(op);
      sj_op *prev = find(t, h, op);
      if (prev) {
        for (unsigned i = 0; i < op->nresults; i++) sj_value_replace_all_uses(sj_res(op, i), sj_res(prev, i));
        sj_op_erase(op);
        continue;
      }
      push(t, h, op);
    }
    /* ops outside an isolated body (fused) can never match inside it:
     * their operands are not visible there */
    for (unsigned r = op->nregions; r-- > 0 && depth + 1 < 256;) {
      stack[++depth] = (frame){op->regions[r]->first, t->n};
    }
  }
}

sj_status sj_pass_cse(sj_module *m) {
  table t = {0};
  for (sj_op *f = m->body->first; f; f = f->next) {
    pop_to(&t, 0);
    cse_region(f->regions[0], &t);
  }
  free(t.stack);
  free(t.index);
  return SJ_OK;
}
