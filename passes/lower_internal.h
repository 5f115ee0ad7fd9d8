/* Internals of lower-to-loops shared by the files that lower one op family
 * each (lower-to-loops.c: elementwise, reductions, indexing, matmul; the
 * conv and pooling lowerings in their own files). The kernel-building
 * helpers keep the exact kernel form that loop-fusion and codegen expect
 * (docs/lowering.md). */
#ifndef SJ_LOWER_INTERNAL_H
#define SJ_LOWER_INTERNAL_H

#include "builder.h"
#include "pass.h"
#include "symtab.h"

#define MAX_IO 64 /* kernel inputs + outputs: the launch ABI passes them in one array */

typedef struct lower {
  sj_module *m;
  sj_op *func;
  unsigned next_kernel;
  sj_status st;
  sj_pass_run *run;
  sj_symtab syms; /* module symbols, for fresh kernel names */
} lower;

/* A kernel under construction. Everything built through `top` lands before
 * the first loop nest (bounds, counts), because nests are built after it. */
typedef struct kconst_entry {
  int64_t n;
  sj_value *v;
} kconst_entry;

typedef struct kbuild {
  sj_op *k;
  sj_builder top;
  sj_value *c0;
  kconst_entry consts[4 * SJ_MAX_RANK + 2];
  int nconsts;
} kbuild;

#define ALL_DIMS (~0u)

typedef struct dimsrc {
  sj_value *v; /* func value whose dim `axis` gives the size; NULL: unknown */
  int axis;
} dimsrc;

sj_value *sj_lw_kconst(kbuild *K, int64_t n);
bool sj_lw_new_kernel(lower *L, sj_loc loc, kbuild *K);
sj_value *sj_lw_param(lower *L, kbuild *K, sj_type t, const char *prefix, unsigned i);
void sj_lw_kernel_begin(kbuild *K);
void sj_lw_kernel_return(kbuild *K);
void sj_lw_bounds(kbuild *K, sj_value *buf, const sj_type *t, sj_value **hi);
sj_builder sj_lw_nest(kbuild *K, sj_builder *B, int rank, sj_value **hi, unsigned par, sj_value **iv);
void sj_lw_close_nest(sj_builder *inner);
sj_value *sj_lw_load(sj_builder *B, sj_value *buf, sj_value **idx, int n);
void sj_lw_store(sj_builder *B, sj_value *v, sj_value *buf, sj_value **idx, int n);
sj_value *sj_lw_bcast_load(kbuild *K, sj_builder *B, sj_value *in, const sj_type *space, sj_value **iv);
sj_value *sj_lw_binop(sj_builder *B, sj_opcode code, sj_value *a, sj_value *b);
bool sj_lw_sizes_known(lower *L, const sj_op *op, const sj_type *t, const dimsrc *src);
void sj_lw_alloc_results(sj_builder *B, const sj_op *op, const sj_type *t, const dimsrc *src, sj_value **bufs);
void sj_lw_launch_and_replace(lower *L, sj_builder *B, sj_op *op, kbuild *K, sj_value **bufs);
sj_op *sj_lw_build_gemm(lower *L, sj_builder *FB, sj_op *op, sj_value *a, sj_value *b, sj_value *const *o);
/* conv2d, conv2d_input_grad, conv2d_filter_grad (lower-conv.c) */
void sj_lw_lower_conv(lower *L, sj_op *op);

/* Pooling (lower-pool.c): whether op is one of the four pooling ops, and
 * its lowering to one kernel. */
bool sj_lw_is_pool2d(const sj_op *op);
void sj_lw_pool2d(lower *L, sj_op *op);

#endif
