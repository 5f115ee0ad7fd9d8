/* Weak literals (JAX's weak types): a scalar made by sj_scalar, or an
 * elementwise result of literals only, has a dtype that yields to the other
 * operands of an elementwise op, so `sj_scalar(c, 0.5, SJ_F64) * x_f32` is
 * an f32 multiply. The rules (docs/decisions/0011-grad-controls.md):
 *  - a weak operand takes the dtype of the strong (non-weak) ones when they
 *    are floats, or when both are integers (the value must fit: 300 is no
 *    i8, as JAX);
 *  - a weak float with strong integers: the integers are cast to the
 *    literal's float dtype (JAX promotes i32 * 0.5 to a float too; its
 *    default float is the dtype the literal was written with here);
 *  - only weak operands: the float one's dtype wins;
 *  - anything else (strong operands of different dtypes, bool with a
 *    number) is left to the op's verifier, which names both dtypes.
 * A literal converts to a new constant of the target dtype (exact); any
 * other weak value (neg of a literal) through a cast. */
#include <math.h>

#include "graph_internal.h"

static bool is_literal(const sj_var *v) {
  const sj_op *d = v->v->def;
  return d && d->code == SJ_OP_CONSTANT && v->v->type.rank == 0 && sj_op_attr(d, "value") &&
         sj_op_attr(d, "value")->kind != SJ_ATTR_DENSE;
}

static double literal_value(const sj_var *v) {
  const sj_attr *a = sj_op_attr(v->v->def, "value");
  return a->kind == SJ_ATTR_FLOAT ? a->u.f : (double)a->u.i;
}

/* v converted to dt: a new literal or a cast; still weak. NULL when an
 * integer literal does not fit dt (error recorded). */
static sj_var *convert(sj_var *v, sj_dtype dt, const char *file, int line) {
  sj_var *r;
  if (is_literal(v)) {
    double x = literal_value(v);
    if (sj_dtype_is_int(dt) && (x < (double)sj_dtype_int_min(dt) || x > (double)sj_dtype_int_max(dt))) {
      sj_graph_fail(v->c, file, line, "the literal %.17g does not fit the dtype %s of the other operand", x,
                    sj_dtype_name(dt));
      return NULL;
    }
    sj_type t = v->v->type;
    t.dt = dt;
    r = sj_graph_const(v->c, x, t, file, line);
  } else {
    r = sj_cast_at(v, dt, file, line);
  }
  if (r->kind != VAR_POISON) r->weak = true;
  return r;
}

bool sj_graph_adopt_weak(sj_opcode code, unsigned n, sj_var *const *args, sj_var **out, const char *file, int line) {
  unsigned first = (sj_opinfo_get(code)->flags & SJ_F_COND_FIRST) ? 1 : 0;
  int strong = -1, weakf = -1;
  for (unsigned i = 0; i < n; i++) out[i] = args[i];
  for (unsigned i = first; i < n; i++) {
    if (!args[i]->weak && strong < 0) strong = (int)i;
    if (args[i]->weak && weakf < 0 && sj_dtype_is_float(args[i]->v->type.dt)) weakf = (int)i;
  }
  sj_dtype target;
  if (strong < 0) {
    target = args[weakf >= 0 ? (unsigned)weakf : first]->v->type.dt;
  } else {
    target = args[strong]->v->type.dt;
    if (sj_dtype_is_int(target) && weakf >= 0) { /* JAX: an integer with a float literal is a float op */
      target = args[weakf]->v->type.dt;
      for (unsigned i = first; i < n; i++)
        if (!args[i]->weak && sj_dtype_is_int(args[i]->v->type.dt)) out[i] = sj_cast_at(args[i], target, file, line);
    }
  }
  for (unsigned i = first; i < n; i++) {
    sj_dtype dt = args[i]->v->type.dt;
    if (!args[i]->weak || dt == target) continue;
    bool ok = sj_dtype_is_float(target) || (sj_dtype_is_int(target) && sj_dtype_is_int(dt));
    if (!ok) continue; /* the verifier names the mix */
    if (!(out[i] = convert(args[i], target, file, line))) return false;
  }
  for (unsigned i = 0; i < n; i++)
    if (out[i]->kind == VAR_POISON) return false;
  return true;
}
