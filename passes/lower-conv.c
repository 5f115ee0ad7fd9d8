/* lower-conv: the conv2d family at buffer level (part of lower-to-loops,
 * whose driver calls sj_lw_lower_conv for each op; docs/lowering.md §conv,
 * docs/decisions/0022-conv-kernels.md, 0041). An f32/f64 op becomes one
 * conv_gemm that the runtime runs in chunks of images with their im2col
 * columns in cache (option conv-runtime, default 1). Otherwise (half
 * dtypes; conv-runtime=0, the GPU's pipeline) each op becomes im2col /
 * col2im / copy kernels built through the loop IR around BLAS gemms:
 *
 *   conv2d             col = im2col(x) [N,G,Cg,KH,KW,OH,OW];  y[n] = W[G,Og,K] @ col[n]      (gemm, batched over N)
 *   conv2d_input_grad  colg[n] = W^T[G,K,Og] @ g[n];  dx = col2im(colg)                       (zero + scatter-add)
 *   conv2d_filter_grad colT = im2col(x) [G,N,OH,OW,Cg,KH,KW];  dW = g^T[G,Og,N*P] @ colT      (one gemm per group)
 *
 * with K = Cg*KH*KW and P = OH*OW; reshapes are views. Half dtypes are
 * widened on the way into the buffers the gemms read (BLAS has no f16)
 * and rounded once at the end (docs/decisions/0005). Only N may be `?`. */
#include <stdio.h>
#include <string.h>

#include "conv.h"
#include "lower_internal.h"
#include "opinfo.h"
#include "registry.h"

/* The logical indices of a convolution's multiply-adds; IS and INC split
 * one of them (cv.split: the batch, n = s*Nc + nc, or the output rows,
 * oh = s*OHc + ohc) into S chunks in an im2col layout. */
enum { IN, IG, ICG, IKH, IKW, IOH, IOW, NIDX, IS = NIDX, INC, NIDX_SPLIT };

typedef struct cv {
  lower *L;
  sj_op *op;
  sj_builder FB; /* func level, before the op */
  sj_conv_attrs a;
  int64_t d[NIDX_SPLIT]; /* extents: N (maybe SJ_DYN), G, Cg, KH, KW, OH, OW; S, the chunk's extent */
  int split;             /* the index IS and INC split (IN or IOH) */
  int64_t H, W, Og;
  sj_dtype dt, acc; /* the op's dtype, the one the gemms compute in */
  sj_value *nsrc;   /* func value whose dim 0 is N */
  sj_value *ndim;   /* `dim %nsrc, 0`, made on first use */
} cv;

static sj_type ty(sj_dtype dt, int rank, const int64_t *d) { return sj_tensor_type(dt, rank, d); }

static bool same_type(const sj_type *a, const sj_type *b) {
  return a->dt == b->dt && a->rank == b->rank && !memcmp(a->dims, b->dims, (size_t)a->rank * sizeof *a->dims);
}

/* v reshaped to t (a view at func level). */
static sj_value *view(cv *q, sj_value *v, sj_type t) {
  if (!v || same_type(&v->type, &t)) return v;
  return sj_build1(&q->FB, SJ_OP_RESHAPE, 1, &v, t);
}

/* A buffer of type t; its `?` dims are all N (N*P appears only in views),
 * sized by one `dim` of N's source. */
static sj_value *alloc(cv *q, sj_type t) {
  sj_value *sizes[SJ_MAX_RANK];
  unsigned n = 0;
  for (int k = 0; k < t.rank; k++) {
    if (t.dims[k] != SJ_DYN) continue;
    if (!q->ndim) q->ndim = sj_build_dim(&q->FB, q->nsrc, 0);
    sizes[n++] = q->ndim;
  }
  return sj_build1(&q->FB, SJ_OP_ALLOC, n, sizes, t);
}

static void launch(cv *q, const kbuild *K, sj_value *const *args, unsigned n) {
  sj_op *l = sj_build(&q->FB, SJ_OP_LAUNCH, n, args, 0, NULL);
  sj_op_set_sym(q->L->m->ctx, l, "kernel", sj_func_name(K->k));
}

/* c = a @ b (batched over c's leading dims, numpy broadcasting) into a
 * new buffer of type bt (whose `?` dims are N, see alloc) viewed as ct (its
 * `?` may be N*P); returns the buffer. */
static sj_value *gemm_into(cv *q, sj_value *a, sj_value *b, sj_type bt, sj_type ct) {
  if (!a || !b) return NULL;
  sj_value *buf = alloc(q, bt);
  sj_build(&q->FB, SJ_OP_GEMM, 3, (sj_value *[]){a, b, view(q, buf, ct)}, 0, NULL);
  sj_pass_stat_add(q->L->run, SJ_STAT_lower_gemms, 1);
  return buf;
}

static sj_value *gemm(cv *q, sj_value *a, sj_value *b, sj_type ct) { return gemm_into(q, a, b, ct, ct); }

static sj_value *cast(sj_builder *B, sj_value *v, sj_dtype dt) {
  return v->type.dt == dt ? v : sj_build1(B, SJ_OP_CAST, 1, &v, sj_scalar_type(dt));
}

/* ---- kernels ---- */

/* A copy of `in` into a new buffer of type t (dtype converted): out's axis
 * k is in's axis perm[k]. Transposes the operands the gemms read. */
static sj_value *permute(cv *q, sj_value *in, const int *perm, sj_type t) {
  if (!in) return NULL;
  kbuild K;
  if (!sj_lw_new_kernel(q->L, q->op->loc, &K)) return NULL;
  sj_value *pin = sj_lw_param(q->L, &K, in->type, "in", 0), *pout = sj_lw_param(q->L, &K, t, "out", 0);
  sj_lw_kernel_begin(&K);
  sj_value *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *idx[SJ_MAX_RANK];
  sj_lw_bounds(&K, pout, &t, hi);
  sj_builder B = sj_lw_nest(&K, &K.top, t.rank, hi, ALL_DIMS, iv);
  for (int k = 0; k < t.rank; k++) idx[perm[k]] = iv[k];
  sj_lw_store(&B, cast(&B, sj_lw_load(&B, pin, idx, t.rank), t.dt), pout, iv, t.rank);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  sj_value *buf = alloc(q, t);
  launch(q, &K, (sj_value *[]){in, buf}, 2);
  return buf;
}

static sj_value *widened(cv *q, sj_value *v) {
  static const int id[4] = {0, 1, 2, 3};
  if (!v || v->type.dt == q->acc) return v;
  sj_type t = v->type;
  t.dt = q->acc;
  return permute(q, v, id, t);
}

static sj_value *narrowed(cv *q, sj_value *v) {
  static const int id[4] = {0, 1, 2, 3};
  if (!v || v->type.dt == q->dt) return v;
  sj_type t = v->type;
  t.dt = q->dt;
  return permute(q, v, id, t);
}

/* Whether the windows along axis ax (0: rows, 1: columns) read padding:
 * before the input, or past its end (the largest position read). */
static bool reaches_padding(const cv *q, int ax) {
  int64_t last = (q->d[IOH + ax] - 1) * q->a.stride[ax] + (q->d[IKH + ax] - 1) * q->a.dilation[ax] - q->a.pad[2 * ax];
  return q->a.pad[2 * ax] > 0 || last > (ax ? q->W : q->H) - 1;
}

/* Whether any window position of this convolution lies in the padding
 * (then the lowering pads a copy of the input first: pad_copy). */
static bool padded(const cv *q) { return reaches_padding(q, 0) || reaches_padding(q, 1); }

/* The constants window_index uses, made at the kernel top before a nest
 * (kconst appends there: made inside a nest's construction they would land
 * after it), and only those. */
static void window_consts(cv *q, kbuild *K) {
  for (int ax = 0; ax < 2; ax++) {
    if (q->a.stride[ax] != 1) sj_lw_kconst(K, q->a.stride[ax]);
    if (q->a.dilation[ax] != 1) sj_lw_kconst(K, q->a.dilation[ax]);
    sj_lw_kconst(K, ax ? q->W : q->H);
  }
}

/* The input position of output position o and tap k along one spatial
 * axis of an unpadded geometry: i = o*stride + k*dilation, as a clamp into
 * [0, n) that never changes it (it states the bound the executor checks;
 * codegen drops it: the range is static). */
static sj_value *window_index(cv *q, kbuild *K, sj_builder *B, sj_value *o, sj_value *k, int ax) {
  int64_t s = q->a.stride[ax], dl = q->a.dilation[ax];
  sj_value *i = s == 1 ? o : sj_lw_binop(B, SJ_OP_MUL, o, sj_lw_kconst(K, s));
  i = sj_lw_binop(B, SJ_OP_ADD, i, dl == 1 ? k : sj_lw_binop(B, SJ_OP_MUL, k, sj_lw_kconst(K, dl)));
  return sj_build1(B, SJ_OP_CLAMP, 2, (sj_value *[]){i, sj_lw_kconst(K, ax ? q->W : q->H)}, sj_scalar_type(SJ_I64));
}

/* im2col (unpadded geometry: see pad_copy): a buffer of the acc dtype
 * whose `rank` axes are the logical indices in `layout` order, holding
 * x[n, g*Cg+cg, ih, iw]; x5 is x viewed as [N, G, Cg, H, W] (H, W > 0). An index missing from the
 * layout is 0 (an extent of 1); IS and INC stand for n = s*Nc + nc. The
 * first loop is parallel: its iterations write disjoint slices whatever
 * the layout. */
static sj_value *im2col(cv *q, sj_value *x5, const int *layout, int rank) {
  int64_t dims[SJ_MAX_RANK];
  for (int k = 0; k < rank; k++) dims[k] = q->d[layout[k]];
  sj_type ct = ty(q->acc, rank, dims);
  kbuild K;
  if (!x5 || !sj_lw_new_kernel(q->L, q->op->loc, &K)) return NULL;
  sj_value *pin = sj_lw_param(q->L, &K, x5->type, "in", 0), *pout = sj_lw_param(q->L, &K, ct, "out", 0);
  sj_lw_kernel_begin(&K);
  sj_value *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK], *li[NIDX_SPLIT];
  sj_lw_bounds(&K, pout, &ct, hi);
  window_consts(q, &K);
  bool split = false;
  for (int k = 0; k < rank; k++) split |= layout[k] == IS;
  bool whole = split && q->d[INC] == 1; /* chunks of one: s is the index itself */
  sj_value *nc = split && !whole ? sj_lw_kconst(&K, q->d[INC]) : NULL;
  sj_value *n = split && !whole && q->split == IN ? sj_lw_kconst(&K, q->d[IN]) : NULL;
  sj_builder B = sj_lw_nest(&K, &K.top, rank, hi, ALL_DIMS, iv);
  for (int k = 0; k < NIDX_SPLIT; k++) li[k] = K.c0;
  for (int k = 0; k < rank; k++) li[layout[k]] = iv[k];
  if (whole) li[q->split] = li[IS];
  else if (split) { /* n: the clamp never changes it (s*Nc + nc < N); oh is clamped by window_index */
    sj_value *i = sj_lw_binop(&B, SJ_OP_ADD, sj_lw_binop(&B, SJ_OP_MUL, li[IS], nc), li[INC]);
    li[q->split] = n ? sj_build1(&B, SJ_OP_CLAMP, 2, (sj_value *[]){i, n}, sj_scalar_type(SJ_I64)) : i;
  }
  sj_value *ih = window_index(q, &K, &B, li[IOH], li[IKH], 0), *iw = window_index(q, &K, &B, li[IOW], li[IKW], 1);
  sj_value *v = cast(&B, sj_lw_load(&B, pin, (sj_value *[]){li[IN], li[IG], li[ICG], ih, iw}, 5), q->acc);
  sj_lw_store(&B, v, pout, iv, rank);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  sj_value *buf = alloc(q, ct);
  launch(q, &K, (sj_value *[]){x5, buf}, 2);
  return buf;
}

/* col2im (unpadded geometry): dx5 [N, G, Cg, H, W] (acc dtype) = zeros,
 * then every element of col7 (its axes the logical indices in `layout`
 * order) added at its input position. Parallel only over N, G or Cg, whose iterations write disjoint
 * channels; the taps overlap. */
static sj_value *col2im(cv *q, sj_value *col7, const int *layout) {
  sj_type xt = ty(q->acc, 5, (const int64_t[]){q->d[IN], q->d[IG], q->d[ICG], q->H, q->W});
  kbuild K;
  if (!col7 || !sj_lw_new_kernel(q->L, q->op->loc, &K)) return NULL;
  sj_value *pin = sj_lw_param(q->L, &K, col7->type, "in", 0), *pout = sj_lw_param(q->L, &K, xt, "out", 0);
  sj_lw_kernel_begin(&K);
  sj_value *zero = sj_build_scalar(&K.top, q->acc, 0.0);
  sj_value *hi[NIDX], *iv[NIDX];
  sj_lw_bounds(&K, pout, &xt, hi);
  sj_builder B = sj_lw_nest(&K, &K.top, 5, hi, ALL_DIMS, iv);
  sj_lw_store(&B, zero, pout, iv, 5);
  sj_lw_close_nest(&B);
  sj_lw_bounds(&K, pin, &col7->type, hi);
  window_consts(q, &K);
  unsigned par = 0; /* the axes of N, G, Cg: their iterations write disjoint channels */
  for (int k = 0; k < NIDX; k++) par |= (layout[k] == IN || layout[k] == IG || layout[k] == ICG) ? 1u << k : 0;
  B = sj_lw_nest(&K, &K.top, NIDX, hi, par, iv);
  sj_value *li[NIDX];
  for (int k = 0; k < NIDX; k++) li[layout[k]] = iv[k];
  sj_value *ih = window_index(q, &K, &B, li[IOH], li[IKH], 0), *iw = window_index(q, &K, &B, li[IOW], li[IKW], 1);
  sj_value *at[5] = {li[IN], li[IG], li[ICG], ih, iw};
  sj_lw_store(&B, sj_lw_binop(&B, SJ_OP_ADD, sj_lw_load(&B, pout, at, 5), sj_lw_load(&B, pin, iv, NIDX)), pout, at, 5);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  sj_value *buf = alloc(q, xt);
  launch(q, &K, (sj_value *[]){col7, buf}, 2);
  return buf;
}

/* ---- padding as a copy ---- */

/* The convolution on the zero-padded input: no padding, H and W grown by
 * the pads. Its windows never leave the input, so im2col's and col2im's
 * clamps are provably in range (codegen drops them: vector loads and
 * stores instead of gathers and a select per element). */
static cv unpadded(const cv *q) {
  cv p = *q;
  p.H = q->H + q->a.pad[0] + q->a.pad[1], p.W = q->W + q->a.pad[2] + q->a.pad[3];
  memset(p.a.pad, 0, sizeof p.a.pad);
  return p;
}

/* Copy between x5 [N, G, Cg, H, W] and its padded form [.., Hp, Wp]:
 * `grow`: xp = x inside, 0 in the padding (in the acc dtype); else the
 * crop dx = dxp[.., h + pt, w + pl]. One nest over the destination. */
static sj_value *pad_copy(cv *q, sj_value *src, bool grow) {
  cv p = unpadded(q);
  const cv *dst_q = grow ? &p : q;
  sj_type t = ty(q->acc, 5, (const int64_t[]){q->d[IN], q->d[IG], q->d[ICG], dst_q->H, dst_q->W});
  kbuild K;
  if (!src || !sj_lw_new_kernel(q->L, q->op->loc, &K)) return NULL;
  sj_value *pin = sj_lw_param(q->L, &K, src->type, "in", 0), *pout = sj_lw_param(q->L, &K, t, "out", 0);
  sj_lw_kernel_begin(&K);
  sj_value *hi[5], *iv[5], *zero = grow ? sj_build_scalar(&K.top, q->acc, 0.0) : NULL;
  sj_lw_bounds(&K, pout, &t, hi);
  int64_t n[2] = {q->H, q->W}, np[2] = {p.H, p.W}, off[2] = {q->a.pad[0], q->a.pad[2]};
  for (int ax = 0; ax < 2; ax++) {
    sj_lw_kconst(&K, off[ax]), sj_lw_kconst(&K, grow ? n[ax] : np[ax]);
    if (grow) sj_lw_kconst(&K, n[ax] - 1);
  }
  sj_builder B = sj_lw_nest(&K, &K.top, 5, hi, ALL_DIMS, iv);
  sj_value *idx[5] = {iv[0], iv[1], iv[2], NULL, NULL}, *margin = NULL;
  for (int ax = 0; ax < 2; ax++) {
    sj_value *i = iv[3 + ax];
    if (off[ax]) i = sj_lw_binop(&B, grow ? SJ_OP_SUB : SJ_OP_ADD, i, sj_lw_kconst(&K, off[ax]));
    idx[3 + ax] = sj_build1(&B, SJ_OP_CLAMP, 2, (sj_value *[]){i, sj_lw_kconst(&K, grow ? n[ax] : np[ax])}, sj_scalar_type(SJ_I64));
    if (!grow) continue;
    sj_value *m = sj_lw_binop(&B, SJ_OP_MINIMUM, i, sj_lw_binop(&B, SJ_OP_SUB, sj_lw_kconst(&K, n[ax] - 1), i));
    margin = margin ? sj_lw_binop(&B, SJ_OP_MINIMUM, margin, m) : m;
  }
  sj_value *v = cast(&B, sj_lw_load(&B, pin, idx, 5), q->acc);
  if (grow) {
    sj_value *in = sj_build1(&B, SJ_OP_GE, 2, (sj_value *[]){margin, K.c0}, sj_scalar_type(SJ_BOOL));
    v = sj_build1(&B, SJ_OP_SELECT, 3, (sj_value *[]){in, v, zero}, sj_scalar_type(q->acc));
  }
  sj_lw_store(&B, v, pout, iv, 5);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  sj_value *buf = alloc(q, t);
  launch(q, &K, (sj_value *[]){src, buf}, 2);
  return buf;
}

/* im2col of x5 with the padding made a copy first when the windows reach
 * it (one pass over x, against KH*KW passes of selects in im2col). */
static sj_value *im2col_padded(cv *q, sj_value *x5, const int *layout, int rank) {
  if (!padded(q)) return im2col(q, x5, layout, rank);
  cv p = unpadded(q);
  return im2col(&p, pad_copy(q, x5, true), layout, rank);
}

/* col2im into the padded input, then the crop, when the windows reach the
 * padding. */
static sj_value *col2im_padded(cv *q, sj_value *col7, const int *layout) {
  if (!padded(q)) return col2im(q, col7, layout);
  cv p = unpadded(q);
  return pad_copy(q, col2im(&p, col7, layout), false);
}

/* ---- the three ops ---- */

static const int fwd_layout[NIDX] = {IN, IG, ICG, IKH, IKW, IOH, IOW};
static const int filter_layout[NIDX] = {IG, IN, IOH, IOW, ICG, IKH, IKW};

static int64_t K_(const cv *q) { return q->d[ICG] * q->d[IKH] * q->d[IKW]; }
static int64_t P_(const cv *q) { return q->d[IOH] * q->d[IOW]; }

/* x [N, C, H, W] viewed as [N, G, Cg, H, W]. */
static sj_value *x5_of(cv *q, sj_value *x) {
  return view(q, x, ty(x->type.dt, 5, (const int64_t[]){q->d[IN], q->d[IG], q->d[ICG], q->H, q->W}));
}

/* y = W @ im2col(x) per image and group: [N, G, Og, P], as [N, O, OH, OW]. */
static sj_value *lower_forward(cv *q, sj_value *x, sj_value *w) {
  int64_t N = q->d[IN], G = q->d[IG], Og = q->Og, K = K_(q), P = P_(q);
  bool g1 = G == 1;
  sj_value *col = im2col_padded(q, x5_of(q, x), fwd_layout, NIDX);
  sj_value *colv = view(q, col, g1 ? ty(q->acc, 3, (const int64_t[]){N, K, P}) : ty(q->acc, 4, (const int64_t[]){N, G, K, P}));
  sj_value *wv = view(q, widened(q, w), g1 ? ty(q->acc, 2, (const int64_t[]){Og, K}) : ty(q->acc, 3, (const int64_t[]){G, Og, K}));
  sj_value *y = gemm(q, wv, colv, g1 ? ty(q->acc, 3, (const int64_t[]){N, Og, P}) : ty(q->acc, 4, (const int64_t[]){N, G, Og, P}));
  return narrowed(q, view(q, y, ty(q->acc, 4, (const int64_t[]){N, G * Og, q->d[IOH], q->d[IOW]})));
}

/* dx = col2im(W^T @ g) per image and group. */
/* The input gradient is one gemm over the whole batch (its K rows split in
 * 16-row panels over the pool) when K has at least this many rows (LeNet's
 * conv2, K = 500: ratio 0.43 -> 0.80; the batch may be `?`); below, the
 * panels are too few and one gemm per image is faster (conv1, K = 25:
 * 0.86-0.97 against 0.46).
 * docs/decisions/0022. */
#define INPUT_GRAD_MIN_ROWS 128

static sj_value *lower_input_grad(cv *q, sj_value *g, sj_value *w) {
  int64_t N = q->d[IN], G = q->d[IG], Og = q->Og, Cg = q->d[ICG], KH = q->d[IKH], KW = q->d[IKW], K = K_(q), P = P_(q);
  bool g1 = G == 1;
  static const int wt_perm[5] = {0, 2, 3, 4, 1}; /* [G, Cg, KH, KW, Og] from [G, Og, Cg, KH, KW] */
  static const int col_layout[NIDX] = {IN, IG, ICG, IKH, IKW, IOH, IOW};
  sj_value *w5 = view(q, w, ty(w->type.dt, 5, (const int64_t[]){G, Og, Cg, KH, KW}));
  sj_value *wt = permute(q, w5, wt_perm, ty(q->acc, 5, (const int64_t[]){G, Cg, KH, KW, Og}));
  sj_value *wtv = view(q, wt, g1 ? ty(q->acc, 2, (const int64_t[]){K, Og}) : ty(q->acc, 3, (const int64_t[]){G, K, Og}));
  sj_value *dx5;
  if (g1 && K >= INPUT_GRAD_MIN_ROWS) { /* one gemm [K, O] @ [O, N*P] on g transposed */
    static const int gt_perm[4] = {1, 0, 2, 3}; /* [O, N, OH, OW] from [N, O, OH, OW] */
    static const int kn_layout[NIDX] = {IG, ICG, IKH, IKW, IN, IOH, IOW};
    int64_t NP = N == SJ_DYN ? SJ_DYN : N * P, c7[NIDX];
    sj_value *gt = permute(q, g, gt_perm, ty(q->acc, 4, (const int64_t[]){Og, N, q->d[IOH], q->d[IOW]}));
    for (int k = 0; k < NIDX; k++) c7[k] = q->d[kn_layout[k]];
    sj_value *colg = gemm_into(q, wtv, view(q, gt, ty(q->acc, 2, (const int64_t[]){Og, NP})), ty(q->acc, NIDX, c7),
                               ty(q->acc, 2, (const int64_t[]){K, NP}));
    dx5 = col2im_padded(q, colg, kn_layout);
  } else { /* one gemm per image (and group) */
    sj_value *gv = view(q, widened(q, g), g1 ? ty(q->acc, 3, (const int64_t[]){N, Og, P}) : ty(q->acc, 4, (const int64_t[]){N, G, Og, P}));
    sj_value *colg = gemm(q, wtv, gv, g1 ? ty(q->acc, 3, (const int64_t[]){N, K, P}) : ty(q->acc, 4, (const int64_t[]){N, G, K, P}));
    int64_t c7[NIDX];
    for (int k = 0; k < NIDX; k++) c7[k] = q->d[col_layout[k]];
    dx5 = col2im_padded(q, view(q, colg, ty(q->acc, NIDX, c7)), col_layout);
  }
  return narrowed(q, view(q, dx5, ty(q->acc, 4, (const int64_t[]){N, G * Cg, q->H, q->W})));
}

/* out [O, K] (the op's dtype) = the sum over s of part [S, O, K]: a
 * reduction loop over s inside a nest over [O, K] (parallel over O). */
static sj_value *sum_chunks(cv *q, sj_value *part) {
  if (!part) return NULL;
  int64_t O = part->type.dims[1], K = part->type.dims[2];
  sj_type t = ty(q->dt, 2, (const int64_t[]){O, K});
  kbuild Kb;
  if (!sj_lw_new_kernel(q->L, q->op->loc, &Kb)) return NULL;
  sj_value *pin = sj_lw_param(q->L, &Kb, part->type, "in", 0), *pout = sj_lw_param(q->L, &Kb, t, "out", 0);
  sj_lw_kernel_begin(&Kb);
  sj_value *hi[3], *iv[3];
  sj_lw_bounds(&Kb, pin, &part->type, hi);
  sj_value *zero = sj_build_scalar(&Kb.top, q->acc, 0.0);
  sj_builder B = sj_lw_nest(&Kb, &Kb.top, 2, hi + 1, ALL_DIMS, iv + 1);
  sj_value *acc = zero;
  if (hi[0]) {
    sj_op *l = sj_build_loop(&B, false, Kb.c0, hi[0], 1, &acc);
    sj_op_set_attr(q->L->m->ctx, l, (sj_attr){.name = "combine", .kind = SJ_ATTR_STR, .u.s = sj_intern(q->L->m->ctx, "add")});
    sj_builder in = sj_builder_in(&B, l);
    iv[0] = l->regions[0]->args[0];
    sj_value *y = sj_lw_binop(&in, SJ_OP_ADD, l->regions[0]->args[1], sj_lw_load(&in, pin, iv, 3));
    sj_build(&in, SJ_OP_YIELD, 1, &y, 0, NULL);
    acc = sj_res(l, 0);
  } else {
    acc = sj_lw_load(&B, pin, (sj_value *[]){Kb.c0, iv[1], iv[2]}, 3);
  }
  sj_lw_store(&B, cast(&B, acc, q->dt), pout, iv + 1, 2);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&Kb);
  sj_value *buf = alloc(q, t);
  launch(q, &Kb, (sj_value *[]){part, buf}, 2);
  return buf;
}

/* How the filter gradient's contraction (over n, oh, ow) is split into S
 * chunks (one gemm each, run in parallel over the pool, their [O, K]
 * results summed after), groups = 1: one per image when the partial
 * results are small (O*K up to PER_IMAGE_MAX_OK: LeNet's conv1; then g
 * needs no transpose, and the batch may be `?`), else the largest of 4, 2
 * dividing a static N (conv2, the 64->64 layer), else dividing OH (a `?`
 * batch: conv2 in the LeNet step), else 1 (one gemm over the whole batch).
 * Sets q->split and returns S. Measured: docs/decisions/0022, 0028. */
#define PER_IMAGE_MAX_OK 4096
#define FILTER_GRAD_MAX_CHUNKS 4
static int64_t largest_chunks(int64_t n) {
  for (int64_t s = FILTER_GRAD_MAX_CHUNKS; s > 1; s /= 2)
    if (n != SJ_DYN && n % s == 0) return s;
  return 1;
}

static int64_t filter_chunks(cv *q) {
  int64_t N = q->d[IN];
  q->split = IN;
  if (q->d[IG] != 1) return 1;
  if (q->Og * K_(q) <= PER_IMAGE_MAX_OK) return N;
  if (largest_chunks(N) > 1) return largest_chunks(N);
  q->split = IOH;
  return largest_chunks(q->d[IOH]);
}

/* dW = g^T @ im2col(x)^T per group, summed over the images by the gemm;
 * with groups = 1, per chunk (filter_chunks) in parallel. */
static sj_value *lower_filter_grad(cv *q, sj_value *x, sj_value *g) {
  int64_t N = q->d[IN], G = q->d[IG], Og = q->Og, Cg = q->d[ICG], OH = q->d[IOH], OW = q->d[IOW], K = K_(q);
  int64_t NP = N == SJ_DYN ? SJ_DYN : N * P_(q), S = filter_chunks(q);
  sj_type wt = ty(q->acc, 4, (const int64_t[]){G * Og, Cg, q->d[IKH], q->d[IKW]});
  if (S != 1) {
    static const int n_layout[7] = {IS, INC, IOH, IOW, ICG, IKH, IKW};
    static const int oh_layout[7] = {IS, IN, INC, IOW, ICG, IKH, IKW};
    static const int gs_perm[5] = {0, 2, 1, 3, 4}; /* [S, O, Nc, OH, OW] from [S, Nc, O, OH, OW] */
    static const int gh_perm[5] = {2, 1, 0, 3, 4}; /* [S, O, N, OHc, OW] from [N, O, S, OHc, OW] */
    bool by_n = q->split == IN;
    int64_t Nc = by_n ? (S == N ? 1 : N / S) : OH / S;
    q->d[IS] = S, q->d[INC] = Nc;
    int64_t NPc = S == N ? P_(q) : NP == SJ_DYN ? SJ_DYN : NP / S;
    sj_value *col = im2col_padded(q, x5_of(q, x), by_n ? n_layout : oh_layout, 7);
    sj_value *colt = view(q, col, ty(q->acc, 3, (const int64_t[]){S, NPc, K}));
    sj_value *gt;
    if (S == N) /* one image per chunk: g [N, O, OH, OW] is already [N, O, P] */
      gt = widened(q, g);
    else if (by_n)
      gt = permute(q, view(q, g, ty(g->type.dt, 5, (const int64_t[]){S, Nc, Og, OH, OW})), gs_perm,
                   ty(q->acc, 5, (const int64_t[]){S, Og, Nc, OH, OW}));
    else
      gt = permute(q, view(q, g, ty(g->type.dt, 5, (const int64_t[]){N, Og, S, Nc, OW})), gh_perm,
                   ty(q->acc, 5, (const int64_t[]){S, Og, N, Nc, OW}));
    sj_value *part = gemm(q, view(q, gt, ty(q->acc, 3, (const int64_t[]){S, Og, NPc})), colt, ty(q->acc, 3, (const int64_t[]){S, Og, K}));
    wt.dt = q->dt;
    return view(q, sum_chunks(q, part), wt);
  }
  bool g1 = G == 1;
  sj_value *colt = im2col_padded(q, x5_of(q, x), filter_layout, NIDX);
  sj_value *coltv = view(q, colt, g1 ? ty(q->acc, 2, (const int64_t[]){NP, K}) : ty(q->acc, 3, (const int64_t[]){G, NP, K}));
  static const int gt_perm[5] = {1, 2, 0, 3, 4}; /* [G, Og, N, OH, OW] from [N, G, Og, OH, OW] */
  sj_value *g5 = view(q, g, ty(g->type.dt, 5, (const int64_t[]){N, G, Og, OH, OW}));
  sj_value *gt = permute(q, g5, gt_perm, ty(q->acc, 5, (const int64_t[]){G, Og, N, OH, OW}));
  sj_value *gtv = view(q, gt, g1 ? ty(q->acc, 2, (const int64_t[]){Og, NP}) : ty(q->acc, 3, (const int64_t[]){G, Og, NP}));
  sj_value *dw = gemm(q, gtv, coltv, g1 ? ty(q->acc, 2, (const int64_t[]){Og, K}) : ty(q->acc, 3, (const int64_t[]){G, Og, K}));
  return narrowed(q, view(q, dw, wt));
}

/* The geometry from the (verified) op; false with an error when a dim other
 * than N is `?` (im2col's layout and the gemms' shapes are static). */
static bool setup(cv *q) {
  sj_op *op = q->op;
  bool dx = op->code == SJ_OP_CONV2D_INPUT_GRAD, dw = op->code == SJ_OP_CONV2D_FILTER_GRAD;
  const sj_type *x = &sj_opnd(op, dx ? 2 : 0)->type, *w = &sj_opnd(op, dw ? 2 : 1)->type;
  char why[160], xs[SJ_TYPE_STR_CAP], ws[SJ_TYPE_STR_CAP];
  if (!sj_conv_attrs_get(op, &q->a, why, sizeof why)) return false; /* the verifier refused it already */
  bool dyn = false;
  for (int k = 1; k < 4; k++) dyn |= x->dims[k] == SJ_DYN || w->dims[k] == SJ_DYN;
  dyn |= w->dims[0] == SJ_DYN;
  if (dyn) {
    q->L->st = sj_emit_error(q->L->m->ctx, op->loc,
                             "'%s' op: lower-to-loops needs static channels, spatial and kernel dims (only the batch "
                             "may be '?'), got input %s and filter %s",
                             sj_op_name(op), sj_type_str(x, xs, sizeof xs), sj_type_str(w, ws, sizeof ws));
    return false;
  }
  q->dt = sj_res(op, 0)->type.dt;
  q->acc = sj_accumulate_dtype(q->dt);
  int64_t G = q->a.groups;
  q->H = x->dims[2], q->W = x->dims[3], q->Og = w->dims[0] / G;
  int64_t oh = sj_conv_out_size(q->H, w->dims[2], q->a.stride[0], q->a.pad[0], q->a.pad[1], q->a.dilation[0]);
  int64_t ow = sj_conv_out_size(q->W, w->dims[3], q->a.stride[1], q->a.pad[2], q->a.pad[3], q->a.dilation[1]);
  int64_t d[NIDX_SPLIT] = {x->dims[0], G, w->dims[1], w->dims[2], w->dims[3], oh, ow, 1, x->dims[0]};
  memcpy(q->d, d, sizeof d);
  /* N's source: an operand with x's batch (the `like` of input_grad has it) */
  q->nsrc = sj_opnd(op, dx ? 2 : 0);
  return true;
}

/* A result of zeros (or an empty one): when no multiply-add exists
 * (static N, C/groups, OH, OW or O/groups of 0, or an input of no rows or
 * columns, all padding). Also keeps the reshapes of the general path away
 * from `?` views of zero elements, whose size a reshape cannot recover. */
static bool no_products(const cv *q) {
  bool none = q->d[IN] == 0 || q->H == 0 || q->W == 0 || q->Og == 0;
  for (int k = IG; k < NIDX; k++) none |= q->d[k] == 0;
  return none;
}

static sj_value *zeros(cv *q, sj_type t) {
  kbuild K;
  if (!sj_lw_new_kernel(q->L, q->op->loc, &K)) return NULL;
  sj_value *pout = sj_lw_param(q->L, &K, t, "out", 0);
  sj_lw_kernel_begin(&K);
  sj_value *zero = sj_build_scalar(&K.top, t.dt, 0.0), *hi[SJ_MAX_RANK], *iv[SJ_MAX_RANK];
  sj_lw_bounds(&K, pout, &t, hi);
  sj_builder B = sj_lw_nest(&K, &K.top, t.rank, hi, ALL_DIMS, iv);
  sj_lw_store(&B, zero, pout, iv, t.rank);
  sj_lw_close_nest(&B);
  sj_lw_kernel_return(&K);
  sj_value *buf = alloc(q, t);
  launch(q, &K, &buf, 1);
  return buf;
}

/* The op as one conv_gemm on a new result buffer: the runtime runs it in
 * chunks of images (decision 0041). Operands in the tensor op's order; the
 * gradients' `like` operand is replaced by the result buffer. */
static sj_value *runtime_conv(cv *q) {
  sj_op *op = q->op;
  sj_conv_mode m = op->code == SJ_OP_CONV2D ? SJ_CONV_FORWARD
                   : op->code == SJ_OP_CONV2D_INPUT_GRAD ? SJ_CONV_INPUT_GRAD
                                                         : SJ_CONV_FILTER_GRAD;
  sj_value *buf = alloc(q, sj_res(op, 0)->type);
  sj_op *g = sj_build(&q->FB, SJ_OP_CONV_GEMM, 3, (sj_value *[]){sj_opnd(op, 0), sj_opnd(op, 1), buf}, 0, NULL);
  sj_ctx *cx = q->L->m->ctx;
  sj_op_set_attr(cx, g, (sj_attr){.name = "mode", .kind = SJ_ATTR_STR, .u.s = sj_intern(cx, sj_conv_mode_names[m])});
  static const char *const copied[] = {"stride", "pad", "dilation", "groups"};
  for (int i = 0; i < 4; i++)
    if (sj_op_attr(op, copied[i])) sj_op_set_attr(cx, g, *sj_op_attr(op, copied[i]));
  sj_pass_stat_add(q->L->run, SJ_STAT_lower_conv_gemms, 1);
  return buf;
}

/* The runtime's form for the dtypes BLAS takes, unless the pipeline asks
 * for kernels (the GPU has no conv_gemm). */
static bool use_runtime(const cv *q) {
  return (q->dt == SJ_F32 || q->dt == SJ_F64) && sj_pass_opt(q->L->run, SJ_OPT_lower_conv_runtime);
}

void sj_lw_lower_conv(lower *L, sj_op *op) {
  cv q = {.L = L, .op = op, .FB = sj_builder_before(L->m->ctx, op)};
  if (!setup(&q)) return;
  sj_value *r;
  if (no_products(&q)) r = zeros(&q, sj_res(op, 0)->type);
  else if (use_runtime(&q)) r = runtime_conv(&q);
  else if (op->code == SJ_OP_CONV2D) r = lower_forward(&q, sj_opnd(op, 0), sj_opnd(op, 1));
  else if (op->code == SJ_OP_CONV2D_INPUT_GRAD) r = lower_input_grad(&q, sj_opnd(op, 0), sj_opnd(op, 1));
  else r = lower_filter_grad(&q, sj_opnd(op, 0), sj_opnd(op, 1));
  if (!r || L->st) return;
  r->name = sj_res(op, 0)->name;
  sj_value_replace_all_uses(sj_res(op, 0), r);
  sj_op_erase(op);
}
