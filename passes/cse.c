/* cse: merges structurally identical ops (same opcode, attributes, operands
 * and result types; the two operands of a commutative op in either order).
 * Scoped as MLIR's CSE: an op may reuse an identical op earlier in its block
 * or earlier in an enclosing block, but never one from outside an isolating
 * op (SJ_F_ISOLATED: func, kernel, fused), nor one inside a sibling region.
 *
 * Candidates are pure ops without regions. Never merged (row flags):
 *   - SJ_F_ALLOCATES (`alloc`): pure (removable when unused) but each one is
 *     a distinct buffer;
 *   - SJ_F_READS (`load`): memory changes between two loads of the same
 *     address (store, launch, gemm). Loads are simply never merged; LLVM's
 *     GVN removes the redundant ones after codegen, where it can see
 *     aliasing (noalias args).
 *   - ops with regions (`fused`, loops) and ops with effects.
 * The walk is iterative (a frame per open block) and the output does not
 * depend on pointer values: hashes only pick buckets, matches are exact. */
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"
#include "registry.h"

typedef struct entry {
  uint64_t hash;
  sj_op *op;
  size_t slot; /* position in the index, cleared when the entry is popped */
} entry;

/* A scoped table: a stack of entries (popped when a region is left) and an
 * open-addressing index (linear probing) over stack positions + 1. Entries
 * leave in the reverse order they came in, so clearing the slot of the newest
 * entry never breaks another entry's probe chain: any chain running through
 * that slot belongs to an entry inserted after it, which is already gone. */
typedef struct table {
  entry *stack;
  size_t n, cap;
  size_t *index;
  size_t icap; /* a power of two, or 0 */
} table;

/* One open block of the walk. Lookups ignore entries below `floor`: they come
 * from outside an isolating op and their results are not usable inside. */
typedef struct frame {
  sj_op *next;
  size_t mark, floor;
} frame;

typedef struct frames {
  frame *v;
  size_t n, cap;
} frames;

static bool candidate(const sj_op *op) {
  if (!sj_op_has(op, SJ_F_PURE) || op->nregions || op->nresults == 0) return false;
  return !sj_op_has(op, SJ_F_ALLOCATES | SJ_F_READS);
}

static bool isolates(const sj_op *op) { return sj_op_has(op, SJ_F_ISOLATED); }

static uint64_t mix(uint64_t h, uint64_t x) { return (h ^ x) * 0x100000001B3ull + (h >> 29); }

static uint64_t dbits(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}

static uint64_t hash_attr(const sj_attr *a) {
  uint64_t h = mix((uintptr_t)a->name, (uint64_t)a->kind);
  switch (a->kind) {
  case SJ_ATTR_INT: return mix(h, (uint64_t)a->u.i);
  case SJ_ATTR_FLOAT: return mix(h, dbits(a->u.f));
  case SJ_ATTR_BOOL: return mix(h, a->u.b);
  case SJ_ATTR_STR:
  case SJ_ATTR_SYM: return mix(h, (uintptr_t)a->u.s); /* interned */
  case SJ_ATTR_DTYPE: return mix(h, (uint64_t)a->u.dt);
  case SJ_ATTR_INTS:
    for (int i = 0; i < a->u.ints.n; i++) h = mix(h, (uint64_t)a->u.ints.v[i]);
    return h;
  case SJ_ATTR_DENSE:
    h = mix(h, (uint64_t)a->u.dense.n);
    for (int i = 0; i < a->u.dense.n; i++) h = mix(h, dbits(a->u.dense.v[i]));
    return h;
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

/* Attributes are kept sorted by name, so they compare pairwise. */
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
  t->stack[pos].slot = j;
}

static sj_status push(table *t, uint64_t h, sj_op *op) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 64;
    entry *s = sj_scratch_realloc(t->stack, cap, sizeof *s);
    if (!s) return SJ_ERR_NOMEM;
    t->stack = s, t->cap = cap;
  }
  t->stack[t->n++] = (entry){h, op, 0};
  if (2 * t->n > t->icap) { /* keep the load factor at most 1/2 */
    size_t icap = t->icap ? 2 * t->icap : 128;
    size_t *ix = sj_scratch_calloc(icap, sizeof *ix);
    if (!ix) return SJ_ERR_NOMEM;
    sj_scratch_free(t->index);
    t->index = ix, t->icap = icap;
    for (size_t i = 0; i < t->n; i++) index_put(t, i); /* in stack order: keeps the LIFO property */
  } else {
    index_put(t, t->n - 1);
  }
  return SJ_OK;
}

/* Leaves a scope: drops entries above `mark`, newest first. */
static void pop_to(table *t, size_t mark) {
  while (t->n > mark) t->index[t->stack[--t->n].slot] = 0;
}

static sj_op *find(const table *t, uint64_t h, const sj_op *op, size_t floor) {
  if (!t->icap) return NULL;
  for (size_t j = h & (t->icap - 1); t->index[j]; j = (j + 1) & (t->icap - 1)) {
    size_t pos = t->index[j] - 1;
    const entry *e = &t->stack[pos];
    if (pos >= floor && e->hash == h && equivalent(e->op, op)) return e->op;
  }
  return NULL;
}

static sj_status open_block(frames *fs, sj_block *b, size_t mark, size_t floor) {
  if (fs->n == fs->cap) {
    size_t cap = fs->cap ? 2 * fs->cap : 32;
    frame *v = sj_scratch_realloc(fs->v, cap, sizeof *v);
    if (!v) return SJ_ERR_NOMEM;
    fs->v = v, fs->cap = cap;
  }
  fs->v[fs->n++] = (frame){b->first, mark, floor};
  return SJ_OK;
}

/* Replaces `op` by an identical visible op, or records it. */
static sj_status visit(table *t, sj_op *op, size_t floor, bool *erased) {
  *erased = false;
  if (!candidate(op)) return SJ_OK;
  uint64_t h = hash_op(op);
  sj_op *prev = find(t, h, op, floor);
  if (!prev) return push(t, h, op);
  for (unsigned i = 0; i < op->nresults; i++) sj_value_replace_all_uses(sj_res(op, i), sj_res(prev, i));
  sj_op_erase(op);
  *erased = true;
  return SJ_OK;
}

/* Pre-order walk of `root` (a func or kernel op). */
static sj_status cse_symbol(sj_op *root, table *t, frames *fs, sj_pass_run *run) {
  sj_status st = SJ_OK;
  pop_to(t, 0);
  fs->n = 0;
  for (unsigned r = root->nregions; r-- > 0 && st == SJ_OK;) st = open_block(fs, root->regions[r], 0, 0);
  while (fs->n && st == SJ_OK) {
    frame *f = &fs->v[fs->n - 1];
    sj_op *op = f->next;
    if (!op) {
      pop_to(t, f->mark);
      fs->n--;
      continue;
    }
    f->next = op->next;
    size_t floor = f->floor;
    bool erased;
    st = visit(t, op, floor, &erased);
    if (erased) sj_pass_stat_add(run, SJ_STAT_cse_merged, 1);
    if (erased || !op->nregions) continue;
    /* regions are visited before op->next; the last region is pushed first
     * so they are walked in order */
    size_t inner = isolates(op) ? t->n : floor;
    for (unsigned r = op->nregions; r-- > 0 && st == SJ_OK;) st = open_block(fs, op->regions[r], t->n, inner);
  }
  return st;
}

sj_status sj_pass_cse(sj_module *m, sj_pass_run *run) {
  table t = {0};
  frames fs = {0};
  sj_status st = SJ_OK;
  for (sj_op *f = m->body->first; f && st == SJ_OK; f = f->next) st = cse_symbol(f, &t, &fs, run);
  sj_scratch_free(t.stack);
  sj_scratch_free(t.index);
  sj_scratch_free(fs.v);
  if (st != SJ_OK) sj_emit_error(m->ctx, (sj_loc){0}, "cse: out of memory");
  return st;
}
