/* Graphviz dot output (dot.h). Every op is a node `n<id>` labelled with its
 * name, short attributes and location; every block argument is an ellipse
 * `n<id>`; an edge runs from the node defining each operand to its user,
 * labelled with the operand's type. An op with regions is a cluster: its
 * header node (operands arrive there, results leave from there, dotted
 * edges to its region arguments) and its bodies. A launch is a cluster
 * holding a copy of the launched kernel's body, so each launch shows what
 * it runs. Ids come from one counter in IR order: the output is
 * deterministic (pointers only key the value -> node table). */
#include <stdint.h>
#include <string.h>

#include "dot.h"
#include "opinfo.h"

typedef struct dot {
  FILE *out;
  const sj_module *m;
  unsigned next; /* node and cluster ids */
  const sj_value **keys;
  unsigned *ids;
  size_t cap, n;
  bool oom; /* the value table could not grow: some edges are missing */
} dot;

/* ---- value -> node id ---- */

static size_t vhash(const void *p, size_t cap) {
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 17;
  x *= 0x9E3779B97F4A7C15ull;
  return (size_t)(x >> 20) & (cap - 1);
}

static void map_put_raw(const sj_value **keys, unsigned *ids, size_t cap, const sj_value *v, unsigned id) {
  size_t j = vhash(v, cap);
  while (keys[j] && keys[j] != v) j = (j + 1) & (cap - 1);
  keys[j] = v;
  ids[j] = id;
}

/* A later put of the same value (a kernel body drawn once per launch)
 * replaces the id: values are always drawn before their uses. */
static void map_put(dot *d, const sj_value *v, unsigned id) {
  if (2 * (d->n + 1) > d->cap) {
    size_t cap = d->cap ? 2 * d->cap : 256;
    const sj_value **nk = sj_scratch_calloc(cap, sizeof *nk);
    unsigned *ni = nk ? sj_scratch_calloc(cap, sizeof *ni) : NULL;
    if (!ni) {
      sj_scratch_free(nk);
      d->oom = true;
      return;
    }
    for (size_t i = 0; i < d->cap; i++)
      if (d->keys[i]) map_put_raw(nk, ni, cap, d->keys[i], d->ids[i]);
    sj_scratch_free(d->keys);
    sj_scratch_free(d->ids);
    d->keys = nk, d->ids = ni, d->cap = cap;
  }
  size_t before = d->n;
  size_t j = vhash(v, d->cap);
  while (d->keys[j] && d->keys[j] != v) j = (j + 1) & (d->cap - 1);
  if (!d->keys[j]) d->n = before + 1;
  d->keys[j] = v;
  d->ids[j] = id;
}

static bool map_get(const dot *d, const sj_value *v, unsigned *id) {
  if (!d->cap) return false;
  for (size_t j = vhash(v, d->cap); d->keys[j]; j = (j + 1) & (d->cap - 1))
    if (d->keys[j] == v) return *id = d->ids[j], true;
  return false;
}

/* ---- labels ---- */

/* Text inside a double-quoted dot string. */
static void put_escaped(FILE *o, const char *s) {
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', o);
    if (*s == '\n') fputs("\\n", o);
    else fputc(*s, o);
  }
}

static void put_attr(FILE *o, const sj_attr *a) {
  switch (a->kind) {
  case SJ_ATTR_INT: fprintf(o, "%lld", (long long)a->u.i); break;
  case SJ_ATTR_FLOAT: fprintf(o, "%.6g", a->u.f); break;
  case SJ_ATTR_BOOL: fputs(a->u.b ? "true" : "false", o); break;
  case SJ_ATTR_STR: put_escaped(o, a->u.s); break;
  case SJ_ATTR_SYM: fputc('@', o), put_escaped(o, a->u.s); break;
  case SJ_ATTR_DTYPE: fputs(sj_dtype_name(a->u.dt), o); break;
  case SJ_ATTR_INTS:
    fputc('[', o);
    for (int i = 0; i < a->u.ints.n; i++) fprintf(o, "%s%lld", i ? "," : "", (long long)a->u.ints.v[i]);
    fputc(']', o);
    break;
  case SJ_ATTR_DENSE: fprintf(o, "dense<%d>", a->u.dense.n); break;
  }
}

/* The file's last path component: labels stay short. */
static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* `name k=v ...` then the location on a second line. */
static void put_op_label(FILE *o, const sj_op *op, const char *prefix) {
  fputs(prefix, o);
  put_escaped(o, sj_op_name(op));
  for (unsigned i = 0; i < op->nattrs; i++) {
    fputc(' ', o);
    put_escaped(o, op->attrs[i].name);
    fputc('=', o);
    put_attr(o, &op->attrs[i]);
  }
  if (op->loc.file) {
    fputs("\\n", o);
    put_escaped(o, base_name(op->loc.file));
    fprintf(o, ":%d", op->loc.line);
  }
}

static void indent(const dot *d, int depth) {
  for (int i = 0; i < depth; i++) fputs("  ", d->out);
}

static void type_label(FILE *o, const sj_type *t) {
  char ts[SJ_TYPE_STR_CAP];
  put_escaped(o, sj_type_str(t, ts, sizeof ts));
}

/* ---- nodes and edges ---- */

static void draw_block(dot *d, const sj_block *b, int depth);

static void draw_args(dot *d, const sj_block *b, unsigned header, int depth) {
  for (unsigned i = 0; i < b->nargs; i++) {
    unsigned id = d->next++;
    map_put(d, b->args[i], id);
    indent(d, depth);
    fprintf(d->out, "n%u [shape=ellipse, label=\"", id);
    if (b->args[i]->name) fputc('%', d->out), put_escaped(d->out, b->args[i]->name);
    else fprintf(d->out, "arg%u", i);
    fputs("\\n", d->out);
    type_label(d->out, &b->args[i]->type);
    fputs("\"];\n", d->out);
    if (header != UINT32_MAX) {
      indent(d, depth);
      fprintf(d->out, "n%u -> n%u [style=dotted];\n", header, id);
    }
  }
}

static void draw_operand_edges(dot *d, const sj_op *op, unsigned id, int depth) {
  for (unsigned i = 0; i < op->nopnds; i++) {
    unsigned from;
    if (!map_get(d, sj_opnd(op, i), &from)) continue;
    indent(d, depth);
    fprintf(d->out, "n%u -> n%u [label=\"", from, id);
    type_label(d->out, &sj_opnd(op, i)->type);
    fputs("\"];\n", d->out);
  }
}

/* The cluster's label is its header node's: none of its own. */
static void open_cluster(dot *d, const char *style, int depth) {
  indent(d, depth);
  fprintf(d->out, "subgraph cluster_%u {\n", d->next++);
  indent(d, depth + 1);
  fprintf(d->out, "style=%s; label=\"\";\n", style); /* not the graph's label */
}

/* A launch: the kernel's body, drawn inside the launch's cluster. */
static void draw_launch(dot *d, const sj_op *op, unsigned id, int depth) {
  const sj_op *k = sj_module_lookup(d->m, sj_op_sym(op, "kernel"));
  open_cluster(d, "dashed", depth);
  indent(d, depth + 1);
  fprintf(d->out, "n%u [shape=box, style=bold, label=\"", id);
  put_op_label(d->out, op, "");
  fputs("\"];\n", d->out);
  if (k && k->nregions) {
    draw_args(d, k->regions[0], id, depth + 1);
    draw_block(d, k->regions[0], depth + 1);
  }
  indent(d, depth);
  fputs("}\n", d->out);
}

/* Outlined scan bodies drawn inside one another at most this deep: a body
 * that reaches itself verifies (the evaluator refuses it at run time) and
 * must not make --dot recurse forever. */
#define MAX_OUTLINED_DEPTH 32

/* A scan (docs/decisions/0014-scan.md): a cluster with its body (the
 * region, or the outlined func `body = @f` drawn inside, as a launch's
 * kernel), the dotted edges to the body's arguments labelled with their
 * role (row of a sequence, state, non-sequence), and a dashed edge from each
 * new state the body yields back to its state argument: the recurrence. */
static void draw_scan(dot *d, const sj_op *op, unsigned id, int depth) {
  const char *sym = sj_op_sym(op, "body");
  const sj_op *f = sym ? sj_module_lookup(d->m, sym) : NULL;
  const sj_block *b = op->nregions ? op->regions[0] : f && f->code == SJ_OP_FUNC ? f->regions[0] : NULL;
  if (!op->nregions && depth > MAX_OUTLINED_DEPTH) b = NULL; /* a body that scans itself */
  int64_t nseq = sj_op_int(op, "nseq", 0), nstate = sj_op_int(op, "nstate", 0);
  open_cluster(d, "rounded", depth);
  indent(d, depth + 1);
  fprintf(d->out, "n%u [shape=box, style=bold, label=\"", id);
  put_op_label(d->out, op, "");
  fputs("\"];\n", d->out);
  for (unsigned i = 0; b && i < b->nargs; i++) {
    unsigned arg = d->next++;
    const char *role = i < nseq ? "row" : i < nseq + nstate ? "state" : "non-seq";
    map_put(d, b->args[i], arg);
    indent(d, depth + 1);
    fprintf(d->out, "n%u [shape=ellipse, label=\"", arg);
    if (b->args[i]->name) fputc('%', d->out), put_escaped(d->out, b->args[i]->name);
    else fprintf(d->out, "arg%u", i);
    fputs("\\n", d->out);
    type_label(d->out, &b->args[i]->type);
    fputs("\"];\n", d->out);
    indent(d, depth + 1);
    fprintf(d->out, "n%u -> n%u [style=dotted, label=\"%s\"];\n", id, arg, role);
  }
  if (b) draw_block(d, b, depth + 1);
  const sj_op *term = b ? b->last : NULL;
  for (int64_t i = 0; term && i < nstate && i < term->nopnds && nseq + i < b->nargs; i++) {
    unsigned from, to;
    if (!map_get(d, sj_opnd(term, (unsigned)i), &from) || !map_get(d, b->args[nseq + i], &to)) continue;
    indent(d, depth + 1);
    fprintf(d->out, "n%u -> n%u [style=dashed, constraint=false, label=\"next\"];\n", from, to);
  }
  indent(d, depth);
  fputs("}\n", d->out);
}

static void draw_op(dot *d, const sj_op *op, int depth) {
  if (sj_op_has(op, SJ_F_TERMINATOR) && !op->nopnds) return; /* a bare yield/return says nothing */
  unsigned id = d->next++;
  for (unsigned r = 0; r < op->nresults; r++) map_put(d, sj_res(op, r), id);
  if (op->code == SJ_OP_LAUNCH) {
    draw_launch(d, op, id, depth);
    draw_operand_edges(d, op, id, depth);
    return;
  }
  if (op->code == SJ_OP_SCAN) {
    draw_scan(d, op, id, depth);
    draw_operand_edges(d, op, id, depth);
    return;
  }
  if (!op->nregions) {
    indent(d, depth);
    fprintf(d->out, "n%u [label=\"", id);
    put_op_label(d->out, op, "");
    fputs(sj_op_has(op, SJ_F_CONSTANT) ? "\", shape=plaintext];\n" : "\"];\n", d->out);
    draw_operand_edges(d, op, id, depth);
    return;
  }
  open_cluster(d, sj_op_has(op, SJ_F_LOOP) ? "solid" : "rounded", depth);
  indent(d, depth + 1);
  fprintf(d->out, "n%u [shape=box, style=bold, label=\"", id);
  put_op_label(d->out, op, "");
  fputs("\"];\n", d->out);
  for (unsigned r = 0; r < op->nregions; r++) {
    draw_args(d, op->regions[r], id, depth + 1);
    draw_block(d, op->regions[r], depth + 1);
  }
  indent(d, depth);
  fputs("}\n", d->out);
  draw_operand_edges(d, op, id, depth);
}

static void draw_block(dot *d, const sj_block *b, int depth) {
  for (const sj_op *op = b->first; op; op = op->next) draw_op(d, op, depth);
}

static void draw_symbol(dot *d, const sj_op *f) {
  const char *kind = sj_op_name(f);
  fprintf(d->out, "digraph \"%s @", kind);
  put_escaped(d->out, sj_func_name(f));
  fputs("\" {\n", d->out);
  fputs("  graph [fontname=\"monospace\", fontsize=10, labelloc=t, label=\"", d->out);
  fprintf(d->out, "%s @", kind);
  put_escaped(d->out, sj_func_name(f));
  fputs("\"];\n", d->out);
  fputs("  node [shape=box, fontname=\"monospace\", fontsize=10];\n", d->out);
  fputs("  edge [fontname=\"monospace\", fontsize=9];\n", d->out);
  draw_args(d, f->regions[0], UINT32_MAX, 1);
  draw_block(d, f->regions[0], 1);
  if (d->oom) fputs("  // out of memory: some edges are missing\n", d->out);
  fputs("}\n", d->out);
}

/* True if some func of m (or @only) launches kernel k. */
static bool launched(const sj_module *m, const sj_op *k) {
  const char *name = sj_func_name(k);
  for (const sj_op *f = m->body->first; f; f = f->next) {
    if (f->code != SJ_OP_FUNC) continue;
    for (const sj_op *op = sj_func_body(f)->first; op; op = op->next)
      if (op->code == SJ_OP_LAUNCH && !strcmp(sj_op_sym(op, "kernel"), name)) return true;
  }
  return false;
}

void sj_print_dot(FILE *out, const sj_module *m, const char *func) {
  dot d = {.out = out, .m = m};
  for (const sj_op *f = m->body->first; f; f = f->next) {
    if (f->code != SJ_OP_FUNC || (func && strcmp(sj_func_name(f), func))) continue;
    d.next = 0;
    draw_symbol(&d, f);
  }
  for (const sj_op *k = m->body->first; k && !func; k = k->next) {
    if (k->code != SJ_OP_KERNEL || launched(m, k)) continue;
    d.next = 0;
    draw_symbol(&d, k);
  }
  sj_scratch_free(d.keys);
  sj_scratch_free(d.ids);
}
