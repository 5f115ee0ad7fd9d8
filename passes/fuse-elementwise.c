/* fuse-elementwise: groups tensor-level elementwise ops and broadcast_to ops
 * into `fused` ops with scalar bodies (docs/lowering.md, notes/fusion.md §2).
 * - A group's iteration space is the shape of its members' results: an op
 *   joins only if its result has exactly that shape, so nothing is
 *   recomputed per broadcast element; smaller operands are fused inputs read
 *   through broadcasting, and broadcast_to members are index maps.
 * - Convexity: no input of a group may depend on a member (searched in the
 *   graph with earlier groups contracted to one node each), so fusion never
 *   creates a cycle. Searches are pruned by a topological numbering of that
 *   graph, kept up to date as groups are contracted, so the pass stays near
 *   linear: a chain of 100k ops costs what 100 chains of 1k do.
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
/* Most positions (in the topological numbering below, initially program
 * order) between a group's first and last member. The dependence searches
 * and the contraction of a group cost the width of its window, so this
 * keeps the pass linear in the size of the function; members that far
 * apart are a forward value and its use in a gradient, which would only
 * stretch the value's lifetime anyway. */
#define MAX_GROUP_SPAN 4096
#define STR_(x) #x
#define STR(x) STR_(x)

typedef struct group {
  int *members; /* op indices */
  int n;
  int serial;   /* member_of[] value of the members */
  sj_type space;
} group;

typedef struct fuse {
  sj_ctx *c;
  sj_block *block;
  sj_op **ops; /* func-level ops in program order; op->scratch = index */
  int n;
  int *group;     /* built group id per op, -1 if none */
  int *member_of; /* serial of the group (being grown or built) holding op i */
  group *all;     /* built groups */
  /* Topological numbering of the graph with built groups contracted: every
   * edge goes from a lower pos to a higher one, members of a built group
   * share one pos, ord[pos] is an op at that pos (-1: unused). */
  int *pos, *ord;
  int *mark, stamp, *stack, top; /* depth-first search state */
  int *tmp;                       /* n ints of scratch for contract */
  int max_ops, max_io, serial;
  sj_pass_run *run;
} fuse;

/* Index of v's producer among the original ops, -1 for block arguments and
 * for fused ops made by this pass (their scratch is n). */
static int index_of(const fuse *F, const sj_value *v) {
  return v->def && v->def->block == F->block && (int)v->def->scratch < F->n ? (int)v->def->scratch : -1;
}

static bool in_group(const fuse *F, const group *g, int j) { return j >= 0 && F->member_of[j] == g->serial; }

/* Pushes node j (all members of its built group, which is one node). */
static void dfs_push(fuse *F, int j) {
  if (j < 0 || F->mark[j] == F->stamp) return;
  const group *b = F->group[j] >= 0 ? &F->all[F->group[j]] : NULL;
  for (int m = 0; m < (b ? b->n : 1); m++) {
    int k = b ? b->members[m] : j;
    F->mark[k] = F->stamp;
    F->stack[F->top++] = k;
  }
}

/* Depth-first search from op `start` along users (forward) or operands
 * (backward) for a member of g. A path into g going forward never passes a
 * pos above g's highest, going backward never one below g's lowest, so the
 * search stops there: forward with bound = g's highest pos, backward with
 * bound = g's lowest. Marks what it visited with F->stamp. */
static bool reaches(fuse *F, const group *g, int start, bool forward, int bound) {
  F->stamp++;
  F->top = 0;
  dfs_push(F, start);
  while (F->top) {
    int v = F->stack[--F->top];
    if (in_group(F, g, v)) return true;
    if (forward ? F->pos[v] > bound : F->pos[v] < bound) continue;
    const sj_op *op = F->ops[v];
    if (!forward) {
      for (unsigned k = 0; k < op->nopnds; k++) dfs_push(F, index_of(F, sj_opnd(op, k)));
      continue;
    }
    for (unsigned r = 0; r < op->nresults; r++)
      for (const sj_use *u = sj_res(op, r)->uses; u; u = u->next)
        if (u->user->block == F->block && (int)u->user->scratch < F->n) dfs_push(F, (int)u->user->scratch);
  }
  return false;
}

static void pos_range(const fuse *F, const group *g, int *lo, int *hi) {
  *lo = F->n, *hi = -1;
  for (int m = 0; m < g->n; m++) {
    int p = F->pos[g->members[m]];
    *lo = p < *lo ? p : *lo, *hi = p > *hi ? p : *hi;
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

/* Convexity of g + {p}, given g is convex: no path may leave the grown
 * group and come back, or the fused op would both feed and use a value (a
 * cycle). Two parts: p's outside inputs must not depend on g (p may be a
 * consumer whose other operand comes from g through an outside op), and no
 * outside user of p may lead back into g. Returns NULL or which part fails. */
static const char *convexity_refusal(fuse *F, const group *g, int p) {
  int lo, hi;
  pos_range(F, g, &lo, &hi);
  const sj_op *op = F->ops[p];
  for (unsigned k = 0; k < op->nopnds; k++) {
    int j = index_of(F, sj_opnd(op, k));
    if (j >= 0 && !in_group(F, g, j) && reaches(F, g, j, false, lo))
      return "it would create a cycle (one of its inputs depends on the group through an op outside)";
  }
  for (unsigned r = 0; r < op->nresults; r++)
    for (const sj_use *u = sj_res(op, r)->uses; u; u = u->next) {
      int j = u->user->block == F->block && (int)u->user->scratch < F->n ? (int)u->user->scratch : -1;
      if (j >= 0 && !in_group(F, g, j) && reaches(F, g, j, true, hi))
        return "it would create a cycle (the group depends on it through an op outside)";
    }
  return NULL;
}

static bool is_member_value(const fuse *F, const group *g, const sj_value *v) {
  return in_group(F, g, index_of(F, v));
}

static bool used_outside(const fuse *F, const group *g, const sj_value *v) {
  for (sj_use *u = v->uses; u; u = u->next) {
    const sj_op *user = u->user;
    if (user->block != F->block || (int)user->scratch >= F->n || !in_group(F, g, (int)user->scratch)) return true;
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
  if (F->group[j] >= 0 || in_group(F, g, j) || !fusible(p)) return not_candidate;
  if (!same_shape(&sj_res(p, 0)->type, &g->space)) return "its shape differs from the group's iteration space";
  if (g->n >= F->max_ops) return "the group already has max-group-ops ops";
  int lo, hi;
  pos_range(F, g, &lo, &hi);
  if ((F->pos[j] > hi ? F->pos[j] : hi) - (F->pos[j] < lo ? F->pos[j] : lo) > MAX_GROUP_SPAN)
    return "it is too far from the group in program order (more than " STR(MAX_GROUP_SPAN) " ops)";
  const char *cycle = convexity_refusal(F, g, j);
  if (cycle) return cycle;
  g->members[g->n++] = j;
  F->member_of[j] = g->serial;
  bool fits = count_io(F, g) <= F->max_io;
  g->n--;
  F->member_of[j] = -1;
  return fits ? NULL : "the group would need more than max-group-io inputs and results";
}

static bool try_add(fuse *F, group *g, int j) {
  if (join_refusal(F, g, j)) return false;
  g->members[g->n++] = j;
  F->member_of[j] = g->serial;
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

/* Contracts built group g to one node of the numbering, so later groups
 * are checked against it: two groups that are each convex can still form a
 * cycle together (a1 -> b1 and b2 -> a2 with a1, a2 in one group and b1, b2
 * in the other). Between g's lowest and highest pos, the nodes that reach g
 * keep their order and move before g, the others after it: a valid order,
 * as g is convex (nothing both reaches g and is reached from it). Costs the
 * width of that window. */
static void contract(fuse *F, const group *g) {
  int lo, hi;
  pos_range(F, g, &lo, &hi);
  /* mark g's ancestors within the window */
  F->stamp++;
  F->top = 0;
  for (int m = 0; m < g->n; m++) F->mark[g->members[m]] = F->stamp;
  for (int m = 0; m < g->n; m++) {
    const sj_op *op = F->ops[g->members[m]];
    for (unsigned k = 0; k < op->nopnds; k++) dfs_push(F, index_of(F, sj_opnd(op, k)));
  }
  while (F->top) {
    int v = F->stack[--F->top];
    if (F->pos[v] < lo) continue;
    const sj_op *op = F->ops[v];
    for (unsigned k = 0; k < op->nopnds; k++) dfs_push(F, index_of(F, sj_opnd(op, k)));
  }
  int anc = F->stamp, q = lo;
  memcpy(F->tmp, F->ord + lo, (size_t)(hi - lo + 1) * sizeof *F->tmp);
  for (int pass = 0; pass < 3; pass++) { /* ancestors, g, the rest */
    if (pass == 1) {
      for (int m = 0; m < g->n; m++) F->pos[g->members[m]] = q;
      F->ord[q++] = g->members[0];
      continue;
    }
    for (int k = 0; k <= hi - lo; k++) {
      int r = F->tmp[k];
      if (r < 0 || in_group(F, g, r) || (F->mark[r] == anc) != (pass == 0)) continue;
      const group *b = F->group[r] >= 0 ? &F->all[F->group[r]] : NULL;
      for (int m = 0; m < (b ? b->n : 1); m++) F->pos[b ? b->members[m] : r] = q;
      F->ord[q++] = r;
    }
  }
  for (; q <= hi; q++) F->ord[q] = -1;
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
  sj_op **orig = sj_scratch_realloc(NULL, (size_t)(n ? n : 1), sizeof *orig);
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
  sj_scratch_free(orig);
  sj_op_vec_free(&order);
  sj_op_vec_free(&stack);
}

static void free_fuse(fuse *F, int ngroups) {
  for (int k = 0; F->all && k < ngroups; k++) sj_scratch_free(F->all[k].members);
  sj_scratch_free(F->all), sj_scratch_free(F->ops), sj_scratch_free(F->group), sj_scratch_free(F->member_of), sj_scratch_free(F->pos), sj_scratch_free(F->ord);
  sj_scratch_free(F->mark), sj_scratch_free(F->stack), sj_scratch_free(F->tmp);
}

/* Chooses the groups of block b, then builds them. False if out of memory
 * (b is then unchanged). */
static bool fuse_block(sj_ctx *c, sj_block *b, sj_pass_run *run) {
  fuse F = {.c = c,
            .block = b,
            .run = run,
            .max_ops = (int)sj_pass_opt(run, SJ_OPT_fuse_max_ops),
            .max_io = (int)sj_pass_opt(run, SJ_OPT_fuse_max_io)};
  for (sj_op *op = b->first; op; op = op->next) F.n++;
  if (!F.n) return true;
  size_t n = (size_t)F.n;
  F.ops = sj_scratch_realloc(NULL, n, sizeof *F.ops);
  F.group = sj_scratch_realloc(NULL, n, sizeof(int)), F.member_of = sj_scratch_realloc(NULL, n, sizeof(int));
  F.pos = sj_scratch_realloc(NULL, n, sizeof(int)), F.ord = sj_scratch_realloc(NULL, n, sizeof(int));
  F.mark = sj_scratch_calloc(n, sizeof(int)), F.stack = sj_scratch_realloc(NULL, n, sizeof(int)), F.tmp = sj_scratch_realloc(NULL, n, sizeof(int));
  F.all = sj_scratch_calloc(n, sizeof *F.all);
  group g = {.members = sj_scratch_realloc(NULL, (size_t)F.max_ops, sizeof(int))};
  int *stamp = sj_pass_remarks_on(run) ? sj_scratch_realloc(NULL, n, sizeof *stamp) : NULL;
  int ngroups = 0;
  bool ok = F.ops && F.group && F.member_of && F.pos && F.ord && F.mark && F.stack && F.tmp && F.all && g.members &&
            (stamp || !sj_pass_remarks_on(run));
  int i = 0;
  for (sj_op *op = b->first; ok && op; op = op->next, i++) {
    op->scratch = (unsigned)i, F.ops[i] = op;
    F.group[i] = F.member_of[i] = -1, F.pos[i] = F.ord[i] = i;
    if (stamp) stamp[i] = -1;
  }
  for (int s = F.n - 1; ok && s >= 0; s--) {
    if (F.group[s] >= 0 || !fusible(F.ops[s])) continue;
    g.n = 0;
    g.serial = F.serial++;
    g.space = sj_res(F.ops[s], 0)->type;
    g.members[g.n++] = s;
    F.member_of[s] = g.serial;
    grow(&F, &g);
    if (!worth_building(&F, &g)) continue;
    if (stamp) remark_left_out(&F, &g, stamp, ngroups);
    F.all[ngroups] = g;
    F.all[ngroups].members = sj_scratch_realloc(NULL, (size_t)g.n, sizeof(int));
    if (!(ok = F.all[ngroups].members != NULL)) break;
    memcpy(F.all[ngroups].members, g.members, (size_t)g.n * sizeof(int));
    for (int m = 0; m < g.n; m++) F.group[g.members[m]] = ngroups;
    contract(&F, &F.all[ngroups]);
    sj_pass_stat_add(run, SJ_STAT_fuse_groups, 1);
    sj_pass_stat_add(run, SJ_STAT_fuse_members, (uint64_t)g.n);
    ngroups++;
  }
  /* build after all groups are chosen: scratch indices stay valid until then */
  for (int k = 0; ok && k < ngroups; k++) build_fused(&F, &F.all[k]);
  sj_scratch_free(g.members);
  sj_scratch_free(stamp);
  free_fuse(&F, ngroups);
  if (ok && ngroups) topo_sort(b);
  return ok;
}

sj_status sj_pass_fuse_elementwise(sj_module *m, sj_pass_run *run) {
  for (sj_op *f = m->body->first; f; f = f->next)
    if (f->code == SJ_OP_FUNC && !fuse_block(m->ctx, sj_func_body(f), run))
      return sj_emit_error(m->ctx, f->loc, "fuse-elementwise: out of memory"), SJ_ERR_NOMEM;
  return SJ_OK;
}
