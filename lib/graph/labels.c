/* Labels: the user-facing op name of a value a composite builder made from
 * other ops (argmax is a min over a select, softmax a div, ...), so that a
 * message about it says "(result of 'argmax')" rather than naming the
 * internal op. A short list in the context's arena: looked up only when a
 * message is written. */
#include "graph_internal.h"

struct sj_graph_label {
  const sj_value *v;
  const char *what; /* a static string */
  struct sj_graph_label *next;
};

typedef struct label_args {
  sj_graph *g;
  sj_var *v;
  const char *what;
} label_args;

static sj_status add_label(void *ud) {
  label_args *a = ud;
  struct sj_graph_label *l = sj_arena_alloc(a->g->c, sizeof *l);
  l->v = a->v->v;
  l->what = a->what;
  l->next = a->g->labels;
  a->g->labels = l;
  return SJ_OK;
}

sj_var *sj_graph_set_label(sj_var *v, const char *what) {
  if (!v || v->kind != VAR_NODE || !v->c) return v;
  sj_graph *g = sj_graph_of(v->c);
  if (g->failed) return v;
  label_args a = {g, v, what};
  if (sj_ctx_protect(v->c, add_label, &a) != SJ_OK) { /* out of memory, recorded: as in sj_graph_guard */
    g->failed = true;
    g->status = SJ_ERR_NOMEM;
    return g->poison;
  }
  return v;
}

const char *sj_graph_label(sj_ctx *c, const sj_value *v) {
  if (!c) return NULL;
  for (const struct sj_graph_label *l = sj_graph_of(c)->labels; l; l = l->next)
    if (l->v == v) return l->what;
  return NULL;
}
