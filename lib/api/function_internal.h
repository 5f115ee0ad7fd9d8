/* Hooks of compiled functions used by the graph compiler (not public). */
#ifndef SJ_FUNCTION_INTERNAL_H
#define SJ_FUNCTION_INTERNAL_H
#include "symjit/symjit.h"

/* Makes f a graph function: callers pass the first nuser_in inputs; the
 * remaining nslots inputs are read from *in_slots[i] at each call. Of f's
 * outputs, the first nuser_out go to the caller and the next nupd replace
 * *upd_slots[k] (the old tensor is freed) after a successful call. The slot
 * arrays are copied; the slots themselves must outlive f. */
void sj_function_bind_state(sj_function *f, size_t nuser_in, sj_tensor **const *in_slots, size_t nslots,
                            size_t nuser_out, sj_tensor **const *upd_slots, size_t nupd);
#endif
