/* The verifier: structural rules shared by all ops plus each op's own rules
 * from the registry. Errors go to the context's diagnostics. */
#ifndef SJ_VERIFY_H
#define SJ_VERIFY_H
#include "ir.h"

sj_status sj_verify_module(sj_module *m);
sj_status sj_verify_op(sj_ctx *c, const sj_op *op); /* one op, not nested ones */
/* Result types of a func (its return's operand types), or 0 if none. */
unsigned sj_func_results(const sj_op *f, const sj_type **types, unsigned cap);
#endif
