/* A plan's gemm steps on a CUDA device (cuda_exec.h): the GEMM entries
 * they need, each generated once by sj_gpu_gemm into a module of its own
 * (the kernels' module is compiled before the plan exists), and launched
 * as lib/codegen/gpu_abi.h lays out. Semantics are the CPU executor's
 * (lib/runtime/blas.c): C = alpha op(A) op(B) + beta Z, Z read only when
 * the gemm has an accumulator and beta != 0; K = 0 gives beta Z (zeros
 * when beta = 0). A gemm's epilogue that works per element of C
 * (sj_gpu_gemm_fusable) is fused into an entry of the step's own, which
 * applies it to each output before the store: one launch (decision 0038);
 * any other epilogue is cuda_exec.c's, launched once over the whole C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "cuda_exec.h"

#define MSG_CAP 2048
#define MAX_GRID_YZ 65535 /* CUDA's limit on grid y and z */

static sj_dtype gemm_dt(const sj_function *f, const step *s) { return f->slots[s->args[2]].type.dt; }

/* The loaded entry called `name`, or NULL. */
static sj_cu_fn *find_entry(const sj_api_gpu *g, const char *name) {
  for (size_t i = 0; i < g->ngemm; i++)
    if (!strcmp(g->gemm_name[i], name)) return g->gemm_fn[i];
  return NULL;
}

/* Generates and loads the entry `name` as one more module: the plain GEMM
 * (dt, ta, tb), or with epilogue kernel `epi` fused when not NULL. */
static sj_status load_entry(sj_function *f, const step *s, const char *name, const sj_op *epi, sj_cu_fn **out) {
  sj_api_gpu *g = f->gpu;
  size_t n = g->ngemm;
  sj_cu_module **mods = realloc(g->gemm_mod, (n + 1) * sizeof *mods);
  if (mods) g->gemm_mod = mods;
  sj_cu_fn **fns = mods ? realloc(g->gemm_fn, (n + 1) * sizeof *fns) : NULL;
  if (fns) g->gemm_fn = fns;
  char(*names)[SJ_KABI_SYM_CAP] = fns ? realloc(g->gemm_name, (n + 1) * sizeof *names) : NULL;
  if (!names) return sj_api_nomem(f->ctx, s->op, "out of memory compiling a gemm for %s", g->name);
  g->gemm_name = names;
  char arch[16], msg[MSG_CAP], nm[SJ_KABI_SYM_CAP];
  sj_api_gpu_arch(sj_cu_props_of(g->dev), arch, sizeof arch);
  sj_gpu_options go = {.arch = arch, .opt_level = 2, .native_half = g->native_half};
  char *ptx = NULL;
  sj_status st = epi ? sj_gpu_gemm_fused(f->ctx, &go, s->op, epi, name, &ptx)
                     : sj_gpu_gemm(f->ctx, &go, gemm_dt(f, s), s->trans_a, s->trans_b, nm, &ptx);
  if (st) return st; /* the error is in the context */
  sj_cu_module *mod = NULL;
  sj_cu_fn *fn = NULL;
  st = sj_cu_module_load(g->dev, ptx, &mod, msg, sizeof msg);
  free(ptx);
  if (!st) st = sj_cu_function(g->dev, mod, name, &fn, msg, sizeof msg);
  int most = st ? 0 : sj_cu_fn_max_threads(g->dev, fn);
  if (!st && most < SJ_GPU_GEMM_BLOCK) {
    snprintf(msg, sizeof msg, "kernel %s needs %d threads per block, the device allows it %d (registers)", name,
             SJ_GPU_GEMM_BLOCK, most);
    st = SJ_ERR_UNSUPPORTED;
  }
  if (st) {
    sj_cu_module_free(g->dev, mod);
    sj_emit_error(f->ctx, s->op->loc, "device '%s': %s", g->name, msg);
    return st;
  }
  g->gemm_mod[n] = mod, g->gemm_fn[n] = fn;
  snprintf(g->gemm_name[n], SJ_KABI_SYM_CAP, "%s", name);
  g->ngemm = n + 1;
  *out = fn;
  return SJ_OK;
}

/* The epilogue kernel of gemm step i when it can be fused, else NULL. */
static const sj_op *fusable_epilogue(sj_function *f, int i) {
  const char *why;
  const step *s = &f->steps[i];
  if (!s->epi || !s->op || s->epi->kidx >= f->gpu->nk) return NULL;
  const sj_op *k = f->gpu->kinfo[s->epi->kidx].op;
  return sj_gpu_gemm_fusable(s->op, k, &f->gpu->gemm_col_param[i], &why) ? k : NULL;
}

sj_status sj_api_gpu_gemm_load(sj_function *f) {
  sj_api_gpu *g = f->gpu;
  free(g->gemm_step_fn), free(g->gemm_fused);
  g->gemm_step_fn = calloc((size_t)f->nsteps + 1, sizeof *g->gemm_step_fn);
  g->gemm_fused = calloc((size_t)f->nsteps + 1, sizeof *g->gemm_fused);
  free(g->gemm_col_param);
  g->gemm_col_param = calloc((size_t)f->nsteps + 1, sizeof *g->gemm_col_param);
  if (!g->gemm_step_fn || !g->gemm_fused || !g->gemm_col_param) return sj_api_nomem(f->ctx, NULL, "out of memory compiling for %s", g->name);
  for (int i = 0; i < f->nsteps; i++) {
    const step *s = &f->steps[i];
    if (s->kind != ST_GEMM) continue;
    char name[SJ_KABI_SYM_CAP];
    if (!sj_gpu_gemm_name(gemm_dt(f, s), s->trans_a, s->trans_b, name)) {
      sj_emit_error(f->ctx, s->op->loc, "device '%s': 'gemm' (matmul) of %s in @%s: the device GEMM takes f16, bf16, f32 and f64",
                    g->name, sj_dtype_name(gemm_dt(f, s)), sj_func_name(f->func));
      return SJ_ERR_UNSUPPORTED;
    }
    const sj_op *epi = fusable_epilogue(f, i);
    if (epi) /* an entry of this step's own: <plain name>$e<step> */
      snprintf(name + strlen(name), SJ_KABI_SYM_CAP - strlen(name), "$e%d", i);
    g->gemm_fused[i] = epi != NULL;
    g->gemm_step_fn[i] = find_entry(g, name);
    if (g->gemm_step_fn[i]) continue;
    sj_status st = load_entry(f, s, name, epi, &g->gemm_step_fn[i]);
    if (st) return st;
  }
  return SJ_OK;
}

void sj_api_gpu_gemm_free(sj_function *f) {
  sj_api_gpu *g = f->gpu;
  for (size_t i = 0; i < g->ngemm; i++) sj_cu_module_free(g->dev, g->gemm_mod[i]);
  free(g->gemm_mod), free(g->gemm_fn), free(g->gemm_name), free(g->gemm_step_fn), free(g->gemm_fused);
  free(g->gemm_col_param);
  g->gemm_mod = NULL, g->gemm_fn = NULL, g->gemm_name = NULL, g->gemm_step_fn = NULL, g->ngemm = 0;
  g->gemm_fused = NULL, g->gemm_col_param = NULL;
}

bool sj_api_gpu_gemm_fused(const sj_function *f, int i) {
  return f->gpu->gemm_fused && f->gpu->gemm_fused[i];
}

static int64_t prod(const int64_t *d, int n) {
  int64_t p = 1;
  for (int i = 0; i < n; i++) p *= d[i];
  return p;
}

/* One launch: `batch` products starting at the given element offsets. */
typedef struct gemm_call {
  sj_cu_ptr a, b, c, z;
  int64_t M, N, K, batch, sa, sb, sc;
  double alpha, beta;
  /* a fused epilogue's arguments, as for its kernel's launch (gpu_abi.h) */
  unsigned nepi, nepi_dims;
  sj_cu_ptr epi_ptr[SJ_GPU_MAX_PARAMS];
  int64_t epi_dims[SJ_GPU_MAX_PARAMS * SJ_MAX_RANK];
} gemm_call;

static sj_status launch_one(sj_api_gpu *g, sj_cu_fn *fn, gemm_call *q, char *msg, size_t cap) {
  void *args[13 + SJ_GPU_MAX_PARAMS * (1 + SJ_MAX_RANK)] = {&q->a,  &q->b,  &q->c,     &q->z,    &q->M,
                                                             &q->N,  &q->K,  &q->batch, &q->sa,   &q->sb,
                                                             &q->sc, &q->alpha, &q->beta};
  unsigned n = 13;
  for (unsigned i = 0; i < q->nepi; i++) args[n++] = &q->epi_ptr[i];
  for (unsigned i = 0; i < q->nepi_dims; i++) args[n++] = &q->epi_dims[i];
  int64_t gz = q->batch < MAX_GRID_YZ ? q->batch : MAX_GRID_YZ; /* batches beyond: ctaid.z + nctaid.z, ... */
  sj_cu_launch_dims ld = {{(unsigned)((q->N + SJ_GPU_GEMM_TILE - 1) / SJ_GPU_GEMM_TILE),
                           (unsigned)((q->M + SJ_GPU_GEMM_TILE - 1) / SJ_GPU_GEMM_TILE), (unsigned)gz},
                          {SJ_GPU_GEMM_BLOCK, 1, 1},
                          0};
  return sj_cu_launch(g->dev, g->stream, fn, &ld, args, msg, cap);
}

/* The element offset in an operand of rank r (batch dims aligned from the
 * right with c's, size-1 dims broadcast) for c's batch index bi. */
static int64_t batch_offset(const int64_t *dc, int rc, const int64_t *d, int r, int64_t bi, int64_t mat) {
  int64_t off = 0, stride = mat;
  for (int i = rc - 3; i >= 0; i--) {
    int64_t idx = bi % dc[i];
    bi /= dc[i];
    int j = r - rc + i;
    if (j < 0) break;
    if (d[j] != 1) off += idx * stride;
    stride *= d[j];
  }
  return off;
}

sj_status sj_api_gpu_gemm(sj_function *f, int i) {
  sj_api_gpu *g = f->gpu;
  const step *s = &f->steps[i];
  int a = s->args[0], b = s->args[1], c = s->args[2];
  int ra = f->slots[a].type.rank, rb = f->slots[b].type.rank, rc = f->slots[c].type.rank;
  const int64_t *da = sj_api_dims(f, a), *db = sj_api_dims(f, b), *dc = sj_api_dims(f, c);
  gemm_call q = {.a = g->dptr[a], .b = g->dptr[b], .c = g->dptr[c], .z = s->has_z ? g->dptr[s->args[3]] : 0,
                 .M = dc[rc - 2], .N = dc[rc - 1], .K = da[s->trans_a ? ra - 2 : ra - 1],
                 .batch = prod(dc, rc - 2), .alpha = s->alpha, .beta = s->has_z ? s->beta : 0};
  if (q.M == 0 || q.N == 0 || q.batch == 0) return SJ_OK; /* C is empty (and so is the epilogue's loop) */
  char msg[MSG_CAP];
  sj_loc none = {0};
  int cp = sj_api_gpu_gemm_fused(f, i) ? g->gemm_col_param[i] : -1;
  if (cp >= 0 && sj_api_dims(f, s->epi->args[cp])[1] != q.N) { /* the fused entry runs the epilogue over C's columns */
    sj_emit_error(f->ctx, s->op ? s->op->loc : none, "%s: the gemm's epilogue runs over %lld columns, its result has %lld",
                  g->name, (long long)sj_api_dims(f, s->epi->args[cp])[1], (long long)q.N);
    return SJ_ERR_INVALID;
  }
  for (unsigned k = 0; sj_api_gpu_gemm_fused(f, i) && k < s->epi->nargs; k++) { /* rank 2: one launch */
    int e = s->epi->args[k];
    q.epi_ptr[q.nepi++] = g->dptr[e];
    for (int d = 0; d < f->slots[e].type.rank; d++) q.epi_dims[q.nepi_dims++] = sj_api_dims(f, e)[d];
  }
  if (q.K == 0) q.alpha = 0; /* C = beta Z exactly (zeros when beta = 0), as blas.c's scale_into */
  if (q.beta == 0) q.z = 0;  /* unread */
  if ((q.M + SJ_GPU_GEMM_TILE - 1) / SJ_GPU_GEMM_TILE > MAX_GRID_YZ) {
    sj_emit_error(f->ctx, s->op ? s->op->loc : none, "%s: a matmul of %lld rows: the device GEMM takes at most %d",
                  g->name, (long long)q.M, MAX_GRID_YZ * SJ_GPU_GEMM_TILE);
    return SJ_ERR_UNSUPPORTED;
  }
  int64_t ma = q.M * q.K, mb = q.K * q.N, mc = q.M * q.N, na = prod(da, ra - 2), nb = prod(db, rb - 2);
  size_t es = sj_dtype_size(gemm_dt(f, s));
  sj_status st = SJ_OK;
  if ((na == q.batch || na == 1) && (nb == q.batch || nb == 1)) { /* one launch: batches linear or broadcast */
    q.sa = na == 1 ? 0 : ma, q.sb = nb == 1 ? 0 : mb, q.sc = mc;
    st = launch_one(g, g->gemm_step_fn[i], &q, msg, sizeof msg);
  } else { /* batch dims broadcast partly (a[2,1,..] b[1,3,..]): one launch per batch */
    gemm_call one = q;
    one.batch = 1, one.sa = one.sb = one.sc = 0;
    for (int64_t bi = 0; bi < q.batch && !st; bi++) {
      one.a = q.a + (sj_cu_ptr)(batch_offset(dc, rc, da, ra, bi, ma) * (int64_t)es);
      one.b = q.b + (sj_cu_ptr)(batch_offset(dc, rc, db, rb, bi, mb) * (int64_t)es);
      one.c = q.c + (sj_cu_ptr)(bi * mc * (int64_t)es);
      one.z = q.z ? q.z + (sj_cu_ptr)(bi * mc * (int64_t)es) : 0;
      st = launch_one(g, g->gemm_step_fn[i], &one, msg, sizeof msg);
    }
  }
  if (st) sj_emit_error(f->ctx, s->op ? s->op->loc : none, "%s: %s", g->name, msg);
  return st;
}
