/* `symjit-opt --grad=F:P1,P2`: appends @F_grad to the module (see grad_func.c). */
#ifndef SJ_GRAD_FUNC_H
#define SJ_GRAD_FUNC_H
#include "ir.h"
sj_status sj_grad_func(sj_module *m, const char *spec);
#endif
