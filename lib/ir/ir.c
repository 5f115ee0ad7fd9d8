/* Values, use-lists, ops, blocks, attributes, cloning and walking. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"

/* ---- uses ---- */

static void use_link(sj_use *u, sj_value *v) {
  u->value = v;
  if (!v) return;
  u->next = v->uses;
  if (v->uses) v->uses->prevp = &u->next;
  u->prevp = &v->uses;
  v->uses = u;
}

static void use_unlink(sj_use *u) {
  if (!u->value) return;
  *u->prevp = u->next;
  if (u->next) u->next->prevp = u->prevp;
  u->value = NULL;
  u->next = NULL;
  u->prevp = NULL;
}

unsigned sj_value_num_uses(const sj_value *v) {
  unsigned n = 0;
  for (sj_use *u = v->uses; u; u = u->next) n++;
  return n;
}

void sj_value_replace_all_uses(sj_value *from, sj_value *to) {
  if (from == to) return;
  while (from->uses) {
    sj_use *u = from->uses;
    use_unlink(u);
    use_link(u, to);
  }
}

/* ---- ops ---- */

static sj_value *value_new(sj_ctx *c, sj_type t) {
  sj_value *v = sj_arena_alloc(c, sizeof *v);
  v->type = t;
  return v;
}

sj_block *sj_block_new(sj_ctx *c, sj_op *parent) {
  sj_block *b = sj_arena_alloc(c, sizeof *b);
  b->parent = parent;
  return b;
}

sj_value *sj_block_add_arg(sj_ctx *c, sj_block *b, sj_type t) {
  sj_value **na = sj_arena_alloc(c, (b->nargs + 1) * sizeof *na);
  if (b->nargs) memcpy(na, b->args, b->nargs * sizeof *na);
  sj_value *v = value_new(c, t);
  v->owner = b;
  v->index = b->nargs;
  na[b->nargs++] = v;
  b->args = na;
  return v;
}

sj_op *sj_op_new(sj_ctx *c, sj_opcode code, unsigned nopnds, sj_value *const *opnds,
                 unsigned nresults, const sj_type *rtypes, unsigned nregions, sj_loc loc) {
  /* Allocate everything before linking operand uses: an out-of-memory unwind
   * (see sj_ctx_protect) then leaves no half-made op on any use list. */
  sj_op *op = sj_arena_alloc(c, sizeof *op);
  op->code = code;
  op->loc = loc;
  op->nopnds = nopnds;
  op->opnds = sj_arena_alloc(c, (nopnds ? nopnds : 1) * sizeof *op->opnds);
  op->nresults = nresults;
  op->results = sj_arena_alloc(c, (nresults ? nresults : 1) * sizeof *op->results);
  for (unsigned i = 0; i < nresults; i++) {
    sj_value *v = value_new(c, rtypes[i]);
    v->def = op;
    v->index = i;
    op->results[i] = v;
  }
  op->nregions = nregions;
  op->regions = sj_arena_alloc(c, (nregions ? nregions : 1) * sizeof *op->regions);
  for (unsigned i = 0; i < nregions; i++) op->regions[i] = sj_block_new(c, op);
  for (unsigned i = 0; i < nopnds; i++) {
    op->opnds[i].user = op;
    op->opnds[i].index = i;
    use_link(&op->opnds[i], opnds ? opnds[i] : NULL);
  }
  return op;
}

void sj_op_set_operand(sj_op *op, unsigned i, sj_value *v) {
  use_unlink(&op->opnds[i]);
  use_link(&op->opnds[i], v);
}

void sj_op_set_operands(sj_ctx *c, sj_op *op, unsigned n, sj_value *const *vals) {
  /* use slots are linked by address, so a new array must be linked afresh
   * (allocated first: an out-of-memory unwind leaves op unchanged) */
  sj_use *nu = sj_arena_alloc(c, (n ? n : 1) * sizeof *op->opnds);
  for (unsigned i = 0; i < op->nopnds; i++) use_unlink(&op->opnds[i]);
  op->opnds = nu;
  op->nopnds = n;
  for (unsigned i = 0; i < n; i++) {
    op->opnds[i].user = op;
    op->opnds[i].index = i;
    use_link(&op->opnds[i], vals[i]);
  }
}

void sj_op_drop_operands(sj_op *op) {
  for (unsigned i = 0; i < op->nopnds; i++) use_unlink(&op->opnds[i]);
  for (unsigned r = 0; r < op->nregions; r++)
    for (sj_op *o = op->regions[r]->first; o; o = o->next) sj_op_drop_operands(o);
}

void sj_op_unlink(sj_op *op) {
  sj_block *b = op->block;
  if (!b) return;
  if (op->prev) op->prev->next = op->next;
  else b->first = op->next;
  if (op->next) op->next->prev = op->prev;
  else b->last = op->prev;
  op->prev = op->next = NULL;
  op->block = NULL;
}

void sj_op_erase(sj_op *op) {
  sj_op_drop_operands(op);
  sj_op_unlink(op);
}

void sj_block_append(sj_block *b, sj_op *op) {
  op->block = b;
  op->prev = b->last;
  op->next = NULL;
  if (b->last) b->last->next = op;
  else b->first = op;
  b->last = op;
}

void sj_block_insert_before(sj_op *pos, sj_op *op) {
  sj_block *b = pos->block;
  op->block = b;
  op->next = pos;
  op->prev = pos->prev;
  if (pos->prev) pos->prev->next = op;
  else b->first = op;
  pos->prev = op;
}

void sj_block_insert_after(sj_op *pos, sj_op *op) {
  if (pos->next) {
    sj_block_insert_before(pos->next, op);
    return;
  }
  sj_block_append(pos->block, op);
}

sj_op *sj_block_terminator(const sj_block *b) {
  sj_op *t = b->last;
  return t && (sj_opinfo_get(t->code)->flags & SJ_F_TERMINATOR) ? t : NULL;
}

static const sj_block *value_block(const sj_value *v) {
  return v->def ? v->def->block : v->owner;
}

bool sj_value_visible_in(const sj_value *v, const sj_block *b) {
  const sj_block *vb = value_block(v);
  for (const sj_block *x = b; x; x = x->parent ? x->parent->block : NULL)
    if (x == vb) return true;
  return false;
}

bool sj_op_is_ancestor(const sj_op *anc, const sj_op *op) {
  for (const sj_op *o = op; o; o = o->block ? o->block->parent : NULL)
    if (o == anc) return true;
  return false;
}

bool sj_value_defined_in(const sj_op *op, const sj_value *v) {
  if (v->def) return v->def != op && sj_op_is_ancestor(op, v->def);
  return v->owner->parent && sj_op_is_ancestor(op, v->owner->parent);
}

/* ---- attributes ---- */

bool sj_attr_eq(const sj_attr *a, const sj_attr *b) {
  if (a->name != b->name || a->kind != b->kind) return false;
  switch (a->kind) {
  case SJ_ATTR_INT: return a->u.i == b->u.i;
  case SJ_ATTR_FLOAT: return memcmp(&a->u.f, &b->u.f, sizeof(double)) == 0;
  case SJ_ATTR_BOOL: return a->u.b == b->u.b;
  case SJ_ATTR_STR:
  case SJ_ATTR_SYM: return a->u.s == b->u.s;
  case SJ_ATTR_DTYPE: return a->u.dt == b->u.dt;
  case SJ_ATTR_INTS:
    return a->u.ints.n == b->u.ints.n &&
           (a->u.ints.n == 0 ||
            memcmp(a->u.ints.v, b->u.ints.v, (size_t)a->u.ints.n * sizeof(int64_t)) == 0);
  case SJ_ATTR_DENSE:
    return a->u.dense.n == b->u.dense.n &&
           (a->u.dense.n == 0 ||
            memcmp(a->u.dense.v, b->u.dense.v, (size_t)a->u.dense.n * sizeof(double)) == 0);
  }
  return false;
}

const sj_attr *sj_op_attr(const sj_op *op, const char *name) {
  for (unsigned i = 0; i < op->nattrs; i++)
    if (strcmp(op->attrs[i].name, name) == 0) return &op->attrs[i];
  return NULL;
}

void sj_op_set_attr(sj_ctx *c, sj_op *op, sj_attr a) {
  a.name = sj_intern(c, a.name);
  for (unsigned i = 0; i < op->nattrs; i++)
    if (op->attrs[i].name == a.name) {
      op->attrs[i] = a;
      return;
    }
  sj_attr *na = sj_arena_alloc(c, (op->nattrs + 1) * sizeof *na);
  unsigned k = 0, j = 0;
  while (k < op->nattrs && strcmp(op->attrs[k].name, a.name) < 0) na[j++] = op->attrs[k++];
  na[j++] = a;
  while (k < op->nattrs) na[j++] = op->attrs[k++];
  op->attrs = na;
  op->nattrs++;
}

bool sj_op_remove_attr(sj_op *op, const char *name) {
  for (unsigned i = 0; i < op->nattrs; i++)
    if (strcmp(op->attrs[i].name, name) == 0) {
      memmove(&op->attrs[i], &op->attrs[i + 1], (op->nattrs - i - 1) * sizeof *op->attrs);
      op->nattrs--;
      return true;
    }
  return false;
}

void sj_op_set_int(sj_ctx *c, sj_op *op, const char *name, int64_t v) {
  sj_attr a = {.name = name, .kind = SJ_ATTR_INT, .u.i = v};
  sj_op_set_attr(c, op, a);
}
void sj_op_set_float(sj_ctx *c, sj_op *op, const char *name, double v) {
  sj_attr a = {.name = name, .kind = SJ_ATTR_FLOAT, .u.f = v};
  sj_op_set_attr(c, op, a);
}
void sj_op_set_bool(sj_ctx *c, sj_op *op, const char *name, bool v) {
  sj_attr a = {.name = name, .kind = SJ_ATTR_BOOL, .u.b = v};
  sj_op_set_attr(c, op, a);
}
void sj_op_set_ints(sj_ctx *c, sj_op *op, const char *name, int n, const int64_t *v) {
  sj_attr a = {.name = name, .kind = SJ_ATTR_INTS};
  a.u.ints.n = n;
  a.u.ints.v = sj_arena_alloc(c, (size_t)(n ? n : 1) * sizeof(int64_t));
  if (n) memcpy(a.u.ints.v, v, (size_t)n * sizeof(int64_t));
  sj_op_set_attr(c, op, a);
}
void sj_op_set_sym(sj_ctx *c, sj_op *op, const char *name, const char *sym) {
  sj_attr a = {.name = name, .kind = SJ_ATTR_SYM, .u.s = sj_intern(c, sym)};
  sj_op_set_attr(c, op, a);
}

int64_t sj_op_int(const sj_op *op, const char *name, int64_t dflt) {
  const sj_attr *a = sj_op_attr(op, name);
  return a && a->kind == SJ_ATTR_INT ? a->u.i : dflt;
}
bool sj_op_bool(const sj_op *op, const char *name, bool dflt) {
  const sj_attr *a = sj_op_attr(op, name);
  return a && a->kind == SJ_ATTR_BOOL ? a->u.b : dflt;
}
const char *sj_op_sym(const sj_op *op, const char *name) {
  const sj_attr *a = sj_op_attr(op, name);
  return a && a->kind == SJ_ATTR_SYM ? a->u.s : NULL;
}

/* ---- value maps and cloning ---- */

struct sj_value_map {
  sj_ctx *ctx;
  sj_value **from, **to;
  size_t n, cap; /* open addressing on pointer */
};

sj_value_map *sj_value_map_new(sj_ctx *c) {
  sj_value_map *m = sj_arena_alloc(c, sizeof *m);
  m->ctx = c;
  m->cap = 64;
  m->from = sj_arena_alloc(c, m->cap * sizeof *m->from);
  m->to = sj_arena_alloc(c, m->cap * sizeof *m->to);
  return m;
}

static size_t ptr_hash(const void *p, size_t cap) {
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 17;
  x *= 0x9E3779B97F4A7C15ull;
  return (size_t)(x >> 20) & (cap - 1);
}

static void map_put(sj_value_map *m, sj_value *from, sj_value *to);

static void map_grow(sj_value_map *m) {
  sj_value **of = m->from, **ot = m->to;
  size_t oc = m->cap;
  m->cap *= 2;
  m->n = 0;
  m->from = sj_arena_alloc(m->ctx, m->cap * sizeof *m->from);
  m->to = sj_arena_alloc(m->ctx, m->cap * sizeof *m->to);
  for (size_t i = 0; i < oc; i++)
    if (of[i]) map_put(m, of[i], ot[i]);
}

static void map_put(sj_value_map *m, sj_value *from, sj_value *to) {
  if (2 * (m->n + 1) > m->cap) map_grow(m);
  size_t j = ptr_hash(from, m->cap);
  while (m->from[j] && m->from[j] != from) j = (j + 1) & (m->cap - 1);
  if (!m->from[j]) m->n++;
  m->from[j] = from;
  m->to[j] = to;
}

void sj_value_map_set(sj_value_map *m, sj_value *from, sj_value *to) { map_put(m, from, to); }

sj_value *sj_value_map_find(const sj_value_map *m, sj_value *from) {
  if (!from) return NULL;
  size_t j = ptr_hash(from, m->cap);
  for (; m->from[j]; j = (j + 1) & (m->cap - 1))
    if (m->from[j] == from) return m->to[j];
  return NULL;
}

sj_value *sj_value_map_get(const sj_value_map *m, sj_value *from) {
  sj_value *to = sj_value_map_find(m, from);
  return to ? to : from;
}

sj_op *sj_op_clone(sj_ctx *c, const sj_op *op, sj_value_map *m) {
  sj_value *stackv[16];
  sj_value **ops = op->nopnds <= 16 ? stackv : sj_arena_alloc(c, op->nopnds * sizeof *ops);
  sj_type rt[16];
  sj_type *rts = op->nresults <= 16 ? rt : sj_arena_alloc(c, op->nresults * sizeof *rts);
  for (unsigned i = 0; i < op->nopnds; i++) ops[i] = sj_value_map_get(m, sj_opnd(op, i));
  for (unsigned i = 0; i < op->nresults; i++) rts[i] = op->results[i]->type;
  sj_op *n = sj_op_new(c, op->code, op->nopnds, ops, op->nresults, rts, op->nregions, op->loc);
  n->nattrs = op->nattrs;
  n->attrs = op->attrs; /* attributes are immutable once set: share */
  if (op->nattrs) {
    n->attrs = sj_arena_alloc(c, op->nattrs * sizeof *n->attrs);
    memcpy(n->attrs, op->attrs, op->nattrs * sizeof *n->attrs);
  }
  for (unsigned i = 0; i < op->nresults; i++) {
    n->results[i]->name = op->results[i]->name;
    map_put(m, op->results[i], n->results[i]);
  }
  for (unsigned r = 0; r < op->nregions; r++) {
    sj_block *ob = op->regions[r], *nb = n->regions[r];
    for (unsigned a = 0; a < ob->nargs; a++) {
      sj_value *na = sj_block_add_arg(c, nb, ob->args[a]->type);
      na->name = ob->args[a]->name;
      map_put(m, ob->args[a], na);
    }
    for (sj_op *o = ob->first; o; o = o->next) sj_block_append(nb, sj_op_clone(c, o, m));
  }
  return n;
}

/* ---- module, walking ---- */

sj_module *sj_module_new(sj_ctx *c) {
  sj_module *m = sj_arena_alloc(c, sizeof *m);
  m->ctx = c;
  m->body = sj_block_new(c, NULL);
  return m;
}

const char *sj_func_name(const sj_op *f) {
  const char *s = sj_op_sym(f, "sym_name");
  return s ? s : "";
}

sj_op *sj_module_lookup(const sj_module *m, const char *sym) {
  for (sj_op *f = m->body->first; f; f = f->next)
    if (strcmp(sj_func_name(f), sym) == 0) return f;
  return NULL;
}

void sj_op_vec_push(sj_op_vec *v, sj_op *op) {
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 32;
    if (!v->v) v->scratch = sj_ctx_protected();
    sj_op **nv = v->scratch ? sj_scratch_realloc(v->v, cap, sizeof *nv)
                            : (cap <= SIZE_MAX / sizeof *nv ? realloc(v->v, cap * sizeof *nv) : NULL);
    if (!nv && sj_ctx_protected()) /* a plain vector grown in a protected call */
      sj_ctx_throw_nomem(NULL, cap * sizeof *nv);
    if (!nv) { /* outside a protected call */
      v->failed = true;
      return;
    }
    v->v = nv;
    v->cap = cap;
  }
  v->v[v->n++] = op;
}

void sj_op_vec_free(sj_op_vec *v) {
  if (v->scratch) sj_scratch_free(v->v);
  else free(v->v);
  v->v = NULL;
  v->n = v->cap = 0;
}

/* Iterative pre-order walk: descend into regions, then continue with the
 * next op, climbing back up through parents (no recursion on depth). */
void sj_walk_block(sj_block *b, sj_walk_fn fn, void *ud) {
  sj_op *op = b->first;
  while (op) {
    fn(op, ud);
    sj_op *nx = NULL;
    for (unsigned r = 0; r < op->nregions && !nx; r++) nx = op->regions[r]->first;
    if (nx) {
      op = nx;
      continue;
    }
    while (op) {
      if (op->next) {
        op = op->next;
        break;
      }
      /* climb: find the next non-empty region of the parent, else its next */
      sj_block *pb = op->block;
      sj_op *parent = pb ? pb->parent : NULL;
      if (!parent || pb == b) {
        op = NULL;
        break;
      }
      sj_op *cand = NULL;
      unsigned r = 0;
      while (r < parent->nregions && parent->regions[r] != pb) r++;
      for (r++; r < parent->nregions && !cand; r++) cand = parent->regions[r]->first;
      if (cand) {
        op = cand;
        break;
      }
      op = parent;
      if (op->block == b && !op->next) {
        op = NULL;
        break;
      }
    }
  }
}

static void collect_cb(sj_op *op, void *ud) { sj_op_vec_push(ud, op); }

void sj_collect_ops(sj_block *b, sj_op_vec *out) { sj_walk_block(b, collect_cb, out); }
