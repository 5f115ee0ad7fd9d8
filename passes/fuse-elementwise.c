/* fuse-elementwise: groups tensor-level elementwise ops and broadcast_to ops
 * into `fused` ops with scalar bodies (docs/lowering.md, notes/fusion.md §2).
 * - A group's iteration space is the shape of its members' results: an op
 *   joins only if its result has exactly that shape, so nothing is
 *   recomputed per broadcast element; smaller operands are fused inputs read
 *   through broadcasting, and broadcast_to members are index maps.
 * - Convexity: no input of a group may depend on a member (ancestor bitsets
 *   over the graph with earlier groups contracted), so fusion never creates
 *   a cycle.
 * - Nothing is duplicated: a member used outside its group becomes an extra
 *   result (multi-output). Splat constants are copied into bodies as scalars.
 * Groups are seeded at the last unassigned op, in reverse program order, and
 * grow toward producers and consumers (siblings join through a shared
 * producer) until nothing more may join. */
#include <stdlib.h>
#include <string.h>

#include "opinfo.h"
#include "registry.h"

/* The limits are the pass's options (passes.def): max-group-ops, 256 by
 * default: one kernel per group, and LLVM compile time grows with body size
 * (TVM's kMaxFusedOps); symjit aims at ~50 ms compiles. max-group-io, at
 * most MAX_GROUP_IO: kernel parameters (inputs + outputs), which the launch
 * ABI passes in one array, and lower-to-loops refuses more. */
#define MAX_GROUP_IO 64

typedef uint64_t word;

typedef struct fuse {
  sj_ctx *c;
  sj_block *block;
  sj_op **ops; /* func-level ops in program order; op->scratch = index */
  int n, words;
  word *anc;   /* n x words: transitive operand producers of op i */
  int *group;  /* group id per op, -1 if none */
  int max_ops, max_io;
  sj_pass_run *run;
} fuse;

#define BIT(set, i) ((set)[(i) / 64] >> ((i) % 64) & 1)
#define SETBIT(set, i) ((set)[(i) / 64] |= (word)1 << ((i) % 64))

static word *anc_of(const fuse *F, int i) { return &F->anc[(size_t)i * (size_t)F->words]; }

/* Index of v's producer among the original ops, -1 for block arguments and
 * for fused ops made by this pass (their scratch is n). */
static int index_of(const fuse *F, const sj_value *v) {
  return v->def && v->def->block == F->block && (int)v->def->scratch < F->n ? (int)v->def->scratch : -1;
}

static void compute_ancestors(fuse *F) {
  for (int i = 0; i < F->n; i++) {
    word *a = anc_of(F, i);
    for (unsigned k = 0; k < F->ops[i]->nopnds; k++) {
      int j = index_of(F, sj_opnd(F->ops[i], k));
      if (j < 0) continue;
      word *b = anc_of(F, j);
      for (int w = 0; w < F->words; w++) a[w] |= b[w];
      SETBIT(a, j);
    }
  }
}

static bool is_splat_const(const sj_value *v) {
  const sj_op *d = v->def;
  if (!d || d->code != SJ_OP_CONSTANT) return false;
  const sj_attr *a = sj_op_attr(d, "value");
  return a->kind != SJ_ATTR_DENSE;
}

static bool same_shape(const sj_type *a, const sj_type *b) {
  if (a->rank != b->rank || !a->is_tensor || !b->is_tensor) return false;
  for (int k = 0; k < a->rank; k++)
    if (a->dims[k] != b->dims[k]) return false;
  return true;
}

static bool fusible(const sj_op *op) {
  if (op->nresults != 1 || !sj_res(op, 0)->type.is_tensor) return false;
  return sj_op_has(op, SJ_F_ELEMWISE) || op->code == SJ_OP_BROADCAST_TO;
}

typedef struct group {
  int *members; /* op indices */
  int n;
  word *set;
  sj_type space;
} group;

/* Convexity of g + {p}, given g is convex: no input of the grown group may
 * depend on a member, or the fused op would both feed and use that input (a
 * cycle). Two parts: p's own outside inputs must not depend on g (p may be a
 * consumer whose other operand comes from g through an outside op), and the
 * other inputs of g must not depend on p. O(|g| + words). */
static bool convex_with(const fuse *F, const group *g, int p) {
  const sj_op *op = F->ops[p];
  for (unsigned k = 0; k < op->nopnds; k++) {
    int j = index_of(F, sj_opnd(op, k));
    if (j < 0 || BIT(g->set, j)) continue;
    const word *a = anc_of(F, j);
    for (int w = 0; w < F->words; w++)
      if (a[w] & g->set[w]) return false;
  }
  for (int m = 0; m < g->n; m++) {
    const sj_op *mop = F->ops[g->members[m]];
    for (unsigned k = 0; k < mop->nopnds; k++) {
      int j = index_of(F, sj_opnd(mop, k));
      if (j >= 0 && j != p && !BIT(g->set, j) && BIT(anc_of(F, j), p)) return false;
    }
  }
  return true;
}

static bool is_member_value(const fuse *F, const group *g, const sj_value *v) {
  int j = index_of(F, v);
  return j >= 0 && BIT(g->set, j);
}

static bool used_outside(const fuse *F, const group *g, const sj_value *v) {
  for (sj_use *u = v->uses; u; u = u->next) {
    const sj_op *user = u->user;
    if (user->block != F->block || (int)user->scratch >= F->n || !BIT(g->set, (int)user->scratch)) return true;
  }
  return false;
}

/* Exact number of kernel parameters the group would need: distinct outside
 * inputs (splat constants are copied, not passed) plus members used outside. */
static int count_io(const fuse *F, const group *g) {
  const sj_value *seen[MAX_GROUP_IO + 1];
  int nin = 0, nout = 0;
  for (int m = 0; m < g->n; m++) {
    const sj_op *op = F->ops[g->members[m]];
    for (unsigned k = 0; k < op->nopnds; k++) {
      const sj_value *v = sj_opnd(op, k);
      if (is_member_value(F, g, v) || is_splat_const(v)) continue;
      bool dup = false;
      for (int i = 0; i < nin && !dup; i++) dup = seen[i] == v;
      if (dup) continue;
      if (nin + nout >= F->max_io) return F->max_io + 1;
      seen[nin++] = v;
    }
    if (used_outside(F, g, sj_res(op, 0)) && nin + ++nout > F->max_io) return F->max_io + 1;
  }
  return nin + nout;
}

/* Refusals that are not a decision about this group: the op is taken or
 * is not an elementwise/broadcast op. */
static const char not_candidate[] = "";

/* NULL if op j may join g, else why not (not_candidate, or a reason for
 * --debug-fusion). */
static const char *join_refusal(fuse *F, group *g, int j) {
  const sj_op *p = F->ops[j];
  if (F->group[j] >= 0 || BIT(g->set, j) || !fusible(p)) return not_candidate;
  if (!same_shape(&sj_res(p, 0)->type, &g->space)) return "its shape differs from the group's iteration space";
  if (g->n >= F->max_ops) return "the group already has max-group-ops ops";
  if (!convex_with(F, g, j)) return "it would create a cycle (the group reaches it through an op outside)";
  g->members[g->n++] = j;
  SETBIT(g->set, j);
  bool fits = count_io(F, g) <= F->max_io;
  g->n--;
  g->set[j / 64] &= ~((word)1 << (j % 64));
  return fits ? NULL : "the group would need more than max-group-io inputs and results";
}

static bool try_add(fuse *F, group *g, int j) {
  if (join_refusal(F, g, j)) return false;
  g->members[g->n++] = j;
  SETBIT(g->set, j);
  return true;
}

/* A name for v in remarks: its name from the text, else its op. */
static const char *vname(const sj_value *v) { return v->name ? v->name : v->def ? sj_op_name(v->def) : "?"; }

/* --debug-fusion: op j, a neighbour of finished group g, once per group. */
static void remark_once(fuse *F, group *g, int *stamp, int gid, int j) {
  if (j < 0 || stamp[j] == gid) return;
  stamp[j] = gid;
  const char *why = join_refusal(F, g, j);
  if (!why || why == not_candidate) return;
  sj_pass_remark(F->run, F->ops[j]->loc, "'%%%s' (%s) not fused into the group of '%%%s': %s",
                 vname(sj_res(F->ops[j], 0)), sj_op_name(F->ops[j]), vname(sj_res(F->ops[g->members[0]], 0)), why);
}

/* Each elementwise producer or user of a member left out of g, with why. */
static void remark_left_out(fuse *F, group *g, int *stamp, int gid) {
  for (int m = 0; m < g->n; m++) {
    const sj_op *op = F->ops[g->members[m]];
    for (unsigned k = 0; k < op->nopnds; k++) remark_once(F, g, stamp, gid, index_of(F, sj_opnd(op, k)));
    for (sj_use *u = sj_res(op, 0)->uses; u; u = u->next)
      if (u->user->block == F->block && (int)u->user->scratch < F->n) remark_once(F, g, stamp, gid, (int)u->user->scratch);
  }
}

/* Grows g toward producers and consumers until nothing more can join, so a
 * group is a maximal convex DAG (siblings join through a shared producer). */
static void grow(fuse *F, group *g) {
  for (bool changed = true; changed;) {
    changed = false;
    for (int m = 0; m < g->n; m++) {
      const sj_op *op = F->ops[g->members[m]];
      for (unsigned k = 0; k < op->nopnds; k++) {
        int j = index_of(F, sj_opnd(op, k));
        if (j >= 0 && try_add(F, g, j)) changed = true;
      }
      for (sj_use *u = sj_res(op, 0)->uses; u; u = u->next) {
        const sj_op *user = u->user;
        if (user->block == F->block && try_add(F, g, (int)user->scratch)) changed = true;
      }
    }
  }
}

/* Makes the ancestor sets describe the graph with g contracted to one node,
 * so later groups are checked against it: two groups that are each convex
 * can still form a cycle together (a1 -> b1 and b2 -> a2 with a1, a2 in one
 * group and b1, b2 in the other). Every member and every descendant of a
 * member gets U = the group's members and all their ancestors. The walk over
 * users stops at ops that already have U: their descendants have it too. */
static void contract(fuse *F, const group *g) {
  word *u = calloc((size_t)F->words, sizeof(word));
  for (int m = 0; m < g->n; m++) {
    const word *a = anc_of(F, g->members[m]);
    for (int w = 0; w < F->words; w++) u[w] |= a[w] | g->set[w];
  }
  sj_op_vec work = {0};
  for (int m = 0; m < g->n; m++) sj_op_vec_push(&work, F->ops[g->members[m]]);
  while (work.n) {
    const sj_op *op = work.v[--work.n];
    word *a = anc_of(F, (int)op->scratch);
    bool has_all = !BIT(g->set, (int)op->scratch);
    for (int w = 0; w < F->words && has_all; w++) has_all = (a[w] & u[w]) == u[w];
    if (has_all) continue;
    for (int w = 0; w < F->words; w++) a[w] |= u[w];
    for (unsigned r = 0; r < op->nresults; r++)
      for (sj_use *us = sj_res(op, r)->uses; us; us = us->next)
        if (us->user->block == F->block && !BIT(g->set, (int)us->user->scratch)) sj_op_vec_push(&work, us->user);
  }
  sj_op_vec_free(&work);
  free(u);
}

/* Groups left as they are: broadcast_to ops only compute nothing (and
 * lower-to-loops lowers each on its own); a group whose values are all
 * unused is dead code, left to dce (a fused op needs a result). */
static bool worth_building(const fuse *F, const group *g) {
  bool computes = false, used = false;
  for (int m = 0; m < g->n; m++) {
    const sj_op *op = F->ops[g->members[m]];
    computes |= sj_op_has(op, SJ_F_ELEMWISE);
    used |= used_outside(F, g, sj_res(op, 0));
  }
  return computes && used;
}

/* ---- building the fused op ---- */

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* What a member's operand reads: member broadcast_to ops are index maps, so
 * they are looked through to the value they broadcast. */
static sj_value *resolve(const fuse *F, const group *g, sj_value *v) {
  while (is_member_value(F, g, v) && v->def->code == SJ_OP_BROADCAST_TO) v = sj_opnd(v->def, 0);
  return v;
}

static void add_input(sj_value **ins, int *nin, sj_value *v) {
  for (int i = 0; i < *nin; i++)
    if (ins[i] == v) return;
  ins[(*nin)++] = v;
}

/* The body value for v: a body argument, a member's scalar, or a splat
 * constant copied into the body as a scalar at its first use. */
static sj_value *body_value(fuse *F, const group *g, sj_block *body, sj_value_map *vm, sj_value *v) {
  v = resolve(F, g, v);
  sj_value *mv = sj_value_map_get(vm, v);
  if (mv != v || !is_splat_const(v)) return mv;
  sj_op *kc = sj_op_new(F->c, SJ_OP_CONSTANT, 0, NULL, 1, (sj_type[]){sj_scalar_type(v->type.dt)}, 0, v->def->loc);
  sj_op_set_attr(F->c, kc, *sj_op_attr(v->def, "value"));
  sj_block_append(body, kc);
  sj_value_map_set(vm, v, sj_res(kc, 0));
  return sj_res(kc, 0);
}

/* Operands in first-use order of the body (members in program order, their
 * operands in order, then yielded values); results in program order. */
static void build_fused(fuse *F, group *g) {
  qsort(g->members, (size_t)g->n, sizeof *g->members, cmp_int);
  sj_value *ins[MAX_GROUP_IO], *outs[MAX_GROUP_IO];
  int nin = 0, nout = 0;
  for (int m = 0; m < g->n; m++) {
    sj_op *op = F->ops[g->members[m]];
    if (used_outside(F, g, sj_res(op, 0))) outs[nout++] = sj_res(op, 0);
    if (op->code == SJ_OP_BROADCAST_TO) continue;
    for (unsigned k = 0; k < op->nopnds; k++) {
      sj_value *v = resolve(F, g, sj_opnd(op, k));
      if (!is_member_value(F, g, v) && !is_splat_const(v)) add_input(ins, &nin, v);
    }
  }
  for (int i = 0; i < nout; i++) { /* a yielded broadcast_to reads its source */
    sj_value *v = resolve(F, g, outs[i]);
    if (!is_member_value(F, g, v) && !is_splat_const(v)) add_input(ins, &nin, v);
  }
  sj_type rts[MAX_GROUP_IO];
  for (int i = 0; i < nout; i++) rts[i] = outs[i]->type;
  sj_pass_stat_add(F->run, SJ_STAT_fuse_results, (uint64_t)nout);
  sj_op *last = F->ops[g->members[g->n - 1]];
  sj_op *f = sj_op_new(F->c, SJ_OP_FUSED, (unsigned)nin, ins, (unsigned)nout, rts, 1, last->loc);
  f->scratch = (unsigned)F->n;
  sj_block *body = f->regions[0];
  sj_value_map *vm = sj_value_map_new(F->c);
  for (int i = 0; i < nin; i++) sj_value_map_set(vm, ins[i], sj_block_add_arg(F->c, body, sj_scalar_type(ins[i]->type.dt)));
  for (int m = 0; m < g->n; m++) {
    sj_op *op = F->ops[g->members[m]];
    if (op->code == SJ_OP_BROADCAST_TO) continue;
    sj_value *sops[3];
    for (unsigned k = 0; k < op->nopnds; k++) sops[k] = body_value(F, g, body, vm, sj_opnd(op, k));
    sj_op *s = sj_op_new(F->c, op->code, op->nopnds, sops, 1, (sj_type[]){sj_scalar_type(sj_res(op, 0)->type.dt)}, 0, op->loc);
    sj_block_append(body, s);
    sj_value_map_set(vm, sj_res(op, 0), sj_res(s, 0));
  }
  sj_value *ys[MAX_GROUP_IO];
  for (int i = 0; i < nout; i++) ys[i] = body_value(F, g, body, vm, outs[i]);
  sj_block_append(body, sj_op_new(F->c, SJ_OP_YIELD, (unsigned)nout, ys, 0, NULL, 0, last->loc));
  sj_block_insert_before(last, f);
  for (int i = 0; i < nout; i++) {
    sj_res(f, (unsigned)i)->name = outs[i]->name;
    sj_value_replace_all_uses(outs[i], sj_res(f, (unsigned)i));
  }
  for (int m = g->n - 1; m >= 0; m--) sj_op_erase(F->ops[g->members[m]]);
}

/* Stable topological order: each op after its operands' producers, otherwise
 * program order (iterative DFS). Needed because a result of a fused op may be
 * used by an op placed between its members. */
static void topo_sort(sj_block *b) {
  sj_op_vec order = {0}, stack = {0};
  int n = 0;
  for (sj_op *op = b->first; op; op = op->next) op->scratch = 0, n++;
  sj_op **orig = malloc((size_t)(n ? n : 1) * sizeof *orig);
  n = 0;
  for (sj_op *op = b->first; op; op = op->next) orig[n++] = op;
  for (int i = 0; i < n; i++) {
    if (orig[i]->scratch) continue;
    sj_op_vec_push(&stack, orig[i]);
    while (stack.n) {
      sj_op *op = stack.v[stack.n - 1];
      if (op->scratch == 2) {
        stack.n--;
        continue;
      }
      bool pushed = false;
      op->scratch = 1;
      for (unsigned k = 0; k < op->nopnds; k++) {
        sj_op *d = sj_opnd(op, k)->def;
        if (d && d->block == b && d->scratch == 0) {
          sj_op_vec_push(&stack, d);
          pushed = true;
        }
      }
      if (pushed) continue;
      op->scratch = 2;
      stack.n--;
      sj_op_vec_push(&order, op);
    }
  }
  for (int i = 0; i < n; i++) sj_op_unlink(orig[i]);
  for (size_t i = 0; i < order.n; i++) sj_block_append(b, order.v[i]);
  free(orig);
  sj_op_vec_free(&order);
  sj_op_vec_free(&stack);
}

static void fuse_block(sj_ctx *c, sj_block *b, sj_pass_run *run) {
  fuse F = {.c = c,
            .block = b,
            .run = run,
            .max_ops = (int)sj_pass_opt(run, SJ_OPT_fuse_max_ops),
            .max_io = (int)sj_pass_opt(run, SJ_OPT_fuse_max_io)};
  for (sj_op *op = b->first; op; op = op->next) F.n++;
  if (!F.n) return;
  F.ops = malloc((size_t)F.n * sizeof *F.ops);
  int i = 0;
  for (sj_op *op = b->first; op; op = op->next) op->scratch = (unsigned)i, F.ops[i++] = op;
  F.words = (F.n + 63) / 64;
  F.anc = calloc((size_t)F.n * (size_t)F.words, sizeof(word));
  F.group = malloc((size_t)F.n * sizeof *F.group);
  for (i = 0; i < F.n; i++) F.group[i] = -1;
  compute_ancestors(&F);
  group g = {.members = malloc((size_t)F.max_ops * sizeof(int)), .set = calloc((size_t)F.words, sizeof(word))};
  int *stamp = sj_pass_remarks_on(run) ? malloc((size_t)F.n * sizeof *stamp) : NULL;
  for (i = 0; stamp && i < F.n; i++) stamp[i] = -1;
  int ngroups = 0;
  group *all = calloc((size_t)F.n, sizeof *all);
  for (int s = F.n - 1; s >= 0; s--) {
    if (F.group[s] >= 0 || !fusible(F.ops[s])) continue;
    memset(g.set, 0, (size_t)F.words * sizeof(word));
    g.n = 0;
    g.space = sj_res(F.ops[s], 0)->type;
    g.members[g.n++] = s;
    SETBIT(g.set, s);
    grow(&F, &g);
    if (!worth_building(&F, &g)) continue;
    if (stamp) remark_left_out(&F, &g, stamp, ngroups);
    sj_pass_stat_add(run, SJ_STAT_fuse_groups, 1);
    sj_pass_stat_add(run, SJ_STAT_fuse_members, (uint64_t)g.n);
    for (int m = 0; m < g.n; m++) F.group[g.members[m]] = ngroups;
    contract(&F, &g);
    all[ngroups].members = malloc((size_t)g.n * sizeof(int));
    memcpy(all[ngroups].members, g.members, (size_t)g.n * sizeof(int));
    all[ngroups].n = g.n;
    all[ngroups].set = malloc((size_t)F.words * sizeof(word));
    memcpy(all[ngroups].set, g.set, (size_t)F.words * sizeof(word));
    ngroups++;
  }
  /* build after all groups are chosen: scratch indices stay valid until then */
  for (int k = 0; k < ngroups; k++) build_fused(&F, &all[k]);
  for (int k = 0; k < ngroups; k++) free(all[k].members), free(all[k].set);
  free(all);
  free(g.members);
  free(g.set);
  free(stamp);
  free(F.ops);
  free(F.anc);
  free(F.group);
  if (ngroups) topo_sort(b);
}

sj_status sj_pass_fuse_elementwise(sj_module *m, sj_pass_run *run) {
  for (sj_op *f = m->body->first; f; f = f->next)
    if (f->code == SJ_OP_FUNC) fuse_block(m->ctx, sj_func_body(f), run);
  return SJ_OK;
}
