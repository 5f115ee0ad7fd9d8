/* Pooling window arithmetic: pool.h. */
#include "pool.h"

static int64_t entry(const sj_op *op, const char *name, int i) {
  const sj_attr *a = sj_op_attr(op, name);
  return a && a->kind == SJ_ATTR_INTS && i < a->u.ints.n ? a->u.ints.v[i] : 0;
}

void sj_pool2d_get(const sj_op *op, sj_pool2d *p) {
  for (int a = 0; a < 2; a++) {
    p->k[a] = entry(op, "window", a);
    p->s[a] = entry(op, "stride", a);
    p->lo[a] = entry(op, "pad", 2 * a);
    p->hi[a] = entry(op, "pad", 2 * a + 1);
  }
  p->ceil_mode = sj_op_bool(op, "ceil_mode", false);
  p->count_pad = sj_op_bool(op, "count_pad", false);
}

/* Windows and pads are bounded so that no size arithmetic can overflow. */
#define POOL_MAX ((int64_t)1 << 30)

const char *sj_pool2d_check(const sj_pool2d *p) {
  for (int a = 0; a < 2; a++) {
    if (p->k[a] < 1 || p->k[a] > POOL_MAX) return "'window' entries must be in [1, 2^30]";
    if (p->s[a] < 1 || p->s[a] > POOL_MAX) return "'stride' entries must be in [1, 2^30]";
    if (p->lo[a] < 0 || p->hi[a] < 0 || p->lo[a] >= p->k[a] || p->hi[a] >= p->k[a])
      return "'pad' entries must be >= 0 and smaller than the window";
  }
  return NULL;
}

int64_t sj_pool2d_out(const sj_pool2d *p, int a, int64_t n) {
  int64_t span = n + p->lo[a] + p->hi[a] - p->k[a], s = p->s[a];
  if (!p->ceil_mode) return span < 0 ? -1 : span / s + 1;
  int64_t o = (span > 0 ? (span + s - 1) / s : 0) + 1;
  while (o > 0 && (o - 1) * s >= n + p->lo[a]) o--; /* starts in the right padding */
  return o;
}

void sj_pool2d_window(const sj_pool2d *p, int a, int64_t n, int64_t o, int64_t *b, int64_t *e, int64_t *d) {
  int64_t start = o * p->s[a] - p->lo[a], end = start + p->k[a], pend = n + p->hi[a];
  *b = start < 0 ? 0 : start;
  *e = end > n ? n : end;
  if (*e < *b) *e = *b;
  *d = (end < pend ? end : pend) - start;
}
