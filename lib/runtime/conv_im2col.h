/* im2col and col2im for one element type and instruction set, included by
 * conv_gemm.c once per pair with CT (the element type), CFN(name) (name
 * with the pair's suffix) and CATTR (the function attributes: the target
 * ISA) defined; no include guard on purpose. cg_dims and cg_valid_cols
 * come from conv_gemm.c.
 *
 * col is [C*KH*KW][nb * (oh1-oh0)*OW]: row (c, kh, kw), columns image-major,
 * then output row, then output column, i.e. the B operand of a GEMM whose A
 * is w [O, C/g*KH*KW] (group g's rows of col are g*K .. g*K+K-1, the same
 * order as w's [C/g, KH, KW]). Copies are rows of OW elements, 8 in LeNet's
 * second layer: gcc would turn the copy loops into memcpy/memset calls that
 * cost more than the copy at that size (20 % of that layer in conv_ref.c),
 * hence no loop distribution in CATTR; the loops vectorize instead (at -O3:
 * the library's -O2 vectorizes only loops with no remainder). */

/* col = the columns of output rows [oh0, oh1) of images x[0 .. nb-1]
 * (each [C, H, W]); positions outside x read 0. */
CATTR static void CFN(im2col)(const cg_dims *d, const void *x_, int64_t nb, int64_t oh0, int64_t oh1, void *col_) {
  const CT *restrict x = x_;
  CT *restrict col = col_;
  const int64_t OW = d->OW, bp = (oh1 - oh0) * OW, ld = nb * bp;
  for (int64_t c = 0; c < d->C; c++)
    for (int64_t kh = 0; kh < d->KH; kh++)
      for (int64_t kw = 0; kw < d->KW; kw++) {
        CT *row = col + ((c * d->KH + kh) * d->KW + kw) * ld;
        const int64_t off = kw * d->dw - d->pl;
        if (d->dense) { /* stride 1, every read inside x: a plain 2-D block copy */
          for (int64_t j = 0; j < nb; j++) {
            const CT *restrict src = x + (j * d->C + c) * d->HW + kh * d->dh * d->W + off;
            CT *restrict dst = row + j * bp;
            for (int64_t oh = oh0; oh < oh1; oh++)
              for (int64_t ow = 0; ow < OW; ow++) dst[(oh - oh0) * OW + ow] = src[oh * d->W + ow];
          }
          continue;
        }
        int64_t lo, hi;
        cg_valid_cols(off, d->sw, d->W, OW, &lo, &hi);
        for (int64_t j = 0; j < nb; j++) {
          const CT *src = x + (j * d->C + c) * d->HW;
          for (int64_t oh = oh0; oh < oh1; oh++) {
            CT *restrict dst = row + j * bp + (oh - oh0) * OW;
            const int64_t ih = oh * d->sh - d->pt + kh * d->dh;
            if (ih < 0 || ih >= d->H) {
              for (int64_t ow = 0; ow < OW; ow++) dst[ow] = 0;
              continue;
            }
            const CT *restrict in = src + ih * d->W;
            for (int64_t ow = 0; ow < lo; ow++) dst[ow] = 0;
            if (d->sw == 1)
              for (int64_t ow = lo; ow < hi; ow++) dst[ow] = in[ow + off];
            else
              for (int64_t ow = lo; ow < hi; ow++) dst[ow] = in[ow * d->sw + off];
            for (int64_t ow = hi; ow < OW; ow++) dst[ow] = 0;
          }
        }
      }
}

/* dx[0 .. nb-1] += col's entries at the positions im2col (same rows) read
 * them from; entries im2col filled with padding zeros are dropped. */
CATTR static void CFN(col2im)(const cg_dims *d, const void *col_, int64_t nb, int64_t oh0, int64_t oh1, void *dx_) {
  const CT *restrict col = col_;
  CT *restrict dx = dx_;
  const int64_t OW = d->OW, bp = (oh1 - oh0) * OW, ld = nb * bp;
  for (int64_t c = 0; c < d->C; c++)
    for (int64_t kh = 0; kh < d->KH; kh++)
      for (int64_t kw = 0; kw < d->KW; kw++) {
        const CT *row = col + ((c * d->KH + kh) * d->KW + kw) * ld;
        const int64_t off = kw * d->dw - d->pl;
        if (d->dense) {
          for (int64_t j = 0; j < nb; j++) {
            CT *restrict dst = dx + (j * d->C + c) * d->HW + kh * d->dh * d->W + off;
            const CT *restrict src = row + j * bp;
            for (int64_t oh = oh0; oh < oh1; oh++)
              for (int64_t ow = 0; ow < OW; ow++) dst[oh * d->W + ow] += src[(oh - oh0) * OW + ow];
          }
          continue;
        }
        int64_t lo, hi;
        cg_valid_cols(off, d->sw, d->W, OW, &lo, &hi);
        for (int64_t j = 0; j < nb; j++) {
          CT *dst = dx + (j * d->C + c) * d->HW;
          for (int64_t oh = oh0; oh < oh1; oh++) {
            const int64_t ih = oh * d->sh - d->pt + kh * d->dh;
            if (ih < 0 || ih >= d->H) continue;
            const CT *restrict src = row + j * bp + (oh - oh0) * OW;
            CT *restrict out = dst + ih * d->W;
            if (d->sw == 1) {
#pragma GCC ivdep
              for (int64_t ow = lo; ow < hi; ow++) out[ow + off] += src[ow];
            } else {
              for (int64_t ow = lo; ow < hi; ow++) out[ow * d->sw + off] += src[ow];
            }
          }
        }
      }
}
