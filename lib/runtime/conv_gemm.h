/* conv_gemm.c's hooks for its unit test and benchmark (the executor uses
 * runtime.h's sj_rt_conv_* only). */
#ifndef SJ_CONV_GEMM_H
#define SJ_CONV_GEMM_H
#include "runtime.h"

/* Forces the chunks of the calls made with ws: nb images per chunk (0: the
 * shape's rule), and with nb == 1 blocks of `rows` output rows (0: the
 * rule's). Clamped to [1, N] and [1, OH]. To test every path on small
 * shapes and to measure the rule. */
void sj_rt_conv_ws_set_chunks(sj_rt_conv_ws *ws, int64_t nb, int64_t rows);
/* The chunk the shape's rule picks: *nb images, *rows output rows per block
 * (rows < OH only when nb == 1). False for a geometry the sj_rt_conv_*
 * functions refuse. */
bool sj_rt_conv_chunks(const sj_rt_conv_geom *g, sj_dtype dt, int64_t *nb, int64_t *rows);
#endif
