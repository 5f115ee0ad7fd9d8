/* symjit-run: compile a function of a .sj module through the default
 * pipeline and run it on .npy or random inputs; print, save or time it. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codegen.h"
#include "ir.h"
#include "ref_eval.h"
#include "registry.h"
#include "runtime.h"
#include "symjit/info.h"
#include "symjit/symjit.h"

#define MAX_ARGS 64
#define DEFAULT_DYN 8
#define SUMMARY_EDGE 3         /* numpy prints 3 items at each end when summarizing */
#define SUMMARY_THRESHOLD 1000 /* numpy's default print threshold */

typedef struct opts {
  const char *file, *func, *save_dir, *pipeline;
  const char *device; /* --device: "cpu", "cuda", "cuda:N" (NULL: cpu) */
  const char *inputs[MAX_ARGS]; /* "name=path" */
  int ninputs;
  const char *shapes[MAX_ARGS]; /* "name=2x3" */
  int nshapes;
  unsigned long long seed;
  int64_t dyn;
  int bench, threads, llvm_opt;
  bool full, check, fast_math;
  bool nan_guard, profile; /* --nan-guard, --profile (docs/debugging.md) */
  bool conv_kernels;       /* --conv-kernels */
  double lo, hi, ilo, ihi, rtol, atol; /* rtol/atol < 0: per-dtype defaults */
} opts;

static void usage(FILE *o) {
  fputs("USAGE: symjit-run FILE.sj|- [options]\n\n"
        "Compiles a function through the default pipeline and runs it.\n\n"
        "OPTIONS:\n"
        "  --func NAME            function to run (default: the first func)\n"
        "  --input NAME=FILE.npy  value of parameter NAME (repeatable)\n"
        "  --random SEED          seed for parameters without --input (default 0)\n"
        "  --shape NAME=2x3x4     shape of a random parameter with '?' dims\n"
        "  --dim N                size of other '?' dims of random inputs (default 8)\n"
        "  --range LO,HI          range of random float inputs (default -1,1)\n"
        "  --int-range LO,HI      range of random integer inputs (default 0,10)\n"
        "  --check                compare the fused and the unfused compiled paths with\n"
        "                         the reference evaluator (exact oracle); exit 1 if\n"
        "                         any output is out of tolerance (docs/numerics.md),\n"
        "                         or if they disagree on refusing the inputs\n"
        "  --rtol X, --atol X     override the tolerances of --check\n"
        "  --print                print outputs in full (default: numpy-like summary)\n"
        "  --save DIR             write outputs as DIR/<func>_out<i>.npy\n"
        "  --bench N              time N calls after one warm-up; print median/min\n"
        "  --threads N            threads for parallel loops (default: all cores)\n"
        "  --device D             where to run: cpu (default), cuda or cuda:N (a CUDA\n"
        "                         device through the NVIDIA driver; docs/gpu.md); with\n"
        "                         --check, both compiled paths run there\n"
        "  --passes=a,b           symjit pipeline (default: -O)\n"
        "  --conv-kernels         convolutions as im2col/col2im kernels around gemms\n"
        "                         (the GPU's form, lower-to-loops{conv-runtime=0})\n"
        "                         instead of conv_gemm; with --passes, the fused path\n"
        "                         runs the given pipeline\n"
        "  --llvm-opt=N           LLVM optimization level 0-3 (default 3)\n"
        "  --nan-guard            fail at the first op that makes a NaN/Inf from finite\n"
        "                         operands, naming it and its line (no fusion)\n"
        "  --profile              print a per-kernel profile of the calls (to stderr)\n"
        "  --fast-math            allow the rewrites that may remove a NaN or change an\n"
        "                         inf (x/x -> 1, x*0 -> 0, ...; docs/fast-math.md), as\n"
        "                         symjit-opt --fast-math; --check then compares them with\n"
        "                         the exact reference\n"
        "  --version              the symjit version, the CPU LLVM targets, and the BLAS\n"
        "                         library and kernels the runtime uses (sj_blas_info)\n"
        "  --help\n",
        o);
}

/* --version: what a bug report needs to say about this build and machine. */
static void version(void) {
  char *cpu = sj_host_cpu_desc();
  const char *sp = cpu ? strchr(cpu, ' ') : NULL;
  printf("symjit-run (symjit %s)\nCPU: %.*s\nBLAS: %s\n", sj_version(), cpu ? (sp ? (int)(sp - cpu) : (int)strlen(cpu)) : 7,
         cpu ? cpu : "unknown", sj_blas_info());
  free(cpu);
}

static int parse_args(int argc, char **argv, opts *o) {
  *o = (opts){.dyn = DEFAULT_DYN, .llvm_opt = 3, .lo = -1, .hi = 1, .ilo = 0, .ihi = 10, .rtol = -1, .atol = -1};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool more = i + 1 < argc;
    if (!strcmp(a, "--help")) return usage(stdout), 0;
    if (!strcmp(a, "--version")) return version(), 0;
    else if (!strcmp(a, "--func") && more) o->func = argv[++i];
    else if (!strcmp(a, "--input") && more && o->ninputs < MAX_ARGS) o->inputs[o->ninputs++] = argv[++i];
    else if (!strcmp(a, "--shape") && more && o->nshapes < MAX_ARGS) o->shapes[o->nshapes++] = argv[++i];
    else if (!strcmp(a, "--random") && more) o->seed = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(a, "--dim") && more) o->dyn = atoll(argv[++i]);
    else if (!strcmp(a, "--print")) o->full = true;
    else if (!strcmp(a, "--check")) o->check = true;
    else if (!strcmp(a, "--fast-math")) o->fast_math = true;
    else if (!strcmp(a, "--rtol") && more) o->rtol = atof(argv[++i]);
    else if (!strcmp(a, "--atol") && more) o->atol = atof(argv[++i]);
    else if (!strcmp(a, "--range") && more && sscanf(argv[++i], "%lf,%lf", &o->lo, &o->hi) == 2) {
    }
    else if (!strcmp(a, "--int-range") && more && sscanf(argv[++i], "%lf,%lf", &o->ilo, &o->ihi) == 2) {
    }
    else if (!strcmp(a, "--save") && more) o->save_dir = argv[++i];
    else if (!strcmp(a, "--bench") && more) o->bench = atoi(argv[++i]);
    else if (!strcmp(a, "--threads") && more) o->threads = atoi(argv[++i]);
    else if (!strcmp(a, "--device") && more) o->device = argv[++i];
    else if (!strncmp(a, "--device=", 9)) o->device = a + 9;
    else if (!strncmp(a, "--passes=", 9)) o->pipeline = a + 9;
    else if (!strcmp(a, "--conv-kernels")) o->conv_kernels = true;
    else if (!strncmp(a, "--llvm-opt=", 11)) o->llvm_opt = atoi(a + 11);
    else if (!strcmp(a, "--nan-guard")) o->nan_guard = true;
    else if (!strcmp(a, "--profile")) o->profile = true;
    else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "symjit-run: error: unknown or incomplete option '%s' (see --help)\n", a);
      return 2;
    } else if (o->file) {
      fprintf(stderr, "symjit-run: error: more than one input file ('%s')\n", a);
      return 2;
    } else o->file = a;
  }
  if (!o->file) {
    usage(stderr);
    return 2;
  }
  if (o->conv_kernels && !o->pipeline) o->pipeline = sj_gpu_default_pipeline; /* -O, convolutions as kernels */
  return -1;
}

/* "name=value" lookup */
static const char *lookup(const char *const *kv, int n, const char *name) {
  size_t len = strlen(name);
  for (int i = 0; i < n; i++)
    if (!strncmp(kv[i], name, len) && kv[i][len] == '=') return kv[i] + len + 1;
  return NULL;
}

/* Dims of a random input: the type's static dims, --shape NAME=2x3 for all
 * of them, else --dim for each `?`. Non-zero (after a message) on a
 * malformed --shape. */
static int input_dims(const opts *o, const sj_value *p, int64_t *dims) {
  const sj_type *t = &p->type;
  const char *name = p->name ? p->name : "", *shape = p->name ? lookup(o->shapes, o->nshapes, p->name) : NULL;
  for (int k = 0; k < t->rank; k++) dims[k] = t->dims[k] == SJ_DYN ? o->dyn : t->dims[k];
  if (!shape) return 0;
  const char *s = shape;
  int k = 0;
  for (; *s && k < t->rank; k++) {
    char *end;
    errno = 0;
    dims[k] = *s >= '0' && *s <= '9' ? strtoll(s, &end, 10) : -1;
    if (dims[k] < 0 || errno || (*end && *end != 'x')) break;
    s = end + (*end == 'x');
  }
  if (k != t->rank || *s || (t->rank && s[-1] == 'x')) {
    fprintf(stderr, "symjit-run: error: --shape %s=%s: expected %d non-negative dims like 2x3 for %%%s\n", name,
            shape, t->rank, name);
    return 1;
  }
  return 0;
}

static sj_tensor *random_input(const opts *o, const sj_value *p, unsigned idx) {
  const sj_type *t = &p->type;
  const char *name = p->name ? p->name : "";
  int64_t dims[SJ_MAX_RANK];
  if (input_dims(o, p, dims)) return NULL;
  size_t bytes = 0;
  char why[200];
  sj_tensor *x = NULL;
  if (sj_tensor_check_shape(t->dt, t->rank, dims, &bytes, why, sizeof why)) {
  } else if (bytes > sj_rt_memory_limit()) {
    snprintf(why, sizeof why, "%zu bytes are more than this machine's memory (%zu bytes)", bytes, sj_rt_memory_limit());
  } else if (!(x = sj_tensor_new(t->dt, t->rank, dims))) {
    snprintf(why, sizeof why, "out of memory allocating %zu bytes", bytes);
  }
  if (!x) {
    fprintf(stderr, "symjit-run: error: cannot create input %%%s: %s\n", name, why);
    return NULL;
  }
  if (t->dt == SJ_BOOL) sj_tensor_fill_uniform(x, o->seed + idx, 0, 2);
  else if (sj_dtype_is_float(t->dt)) sj_tensor_fill_uniform(x, o->seed + idx, o->lo, o->hi);
  else sj_tensor_fill_uniform(x, o->seed + idx, o->ilo, o->ihi);
  return x;
}

static int make_inputs(const opts *o, const sj_op *f, sj_tensor **in) {
  const sj_block *b = sj_func_body(f);
  for (unsigned i = 0; i < b->nargs; i++) {
    const char *name = b->args[i]->name ? b->args[i]->name : "";
    const char *path = lookup(o->inputs, o->ninputs, name);
    char err[512] = "";
    if (path) {
      if (sj_npy_load(path, &in[i], err, sizeof err)) {
        fprintf(stderr, "symjit-run: error: --input %s: %s\n", name, err);
        return 1;
      }
    } else if (!(in[i] = random_input(o, b->args[i], i))) {
      return 1; /* random_input said why */
    }
  }
  return 0;
}

/* The shortest %g form of v that reads back as the same value of `dt`
 * (v was read from a tensor of dt): 17 digits always suffice for f64, fewer
 * for the narrower types, so 0.1f prints as 0.1 and not 0.100000001. */
static void format_float(sj_dtype dt, double v, char *buf, size_t cap) {
  if (isnan(v)) {
    snprintf(buf, cap, "nan");
    return;
  }
  if (isinf(v)) {
    snprintf(buf, cap, v < 0 ? "-inf" : "inf");
    return;
  }
  if (v == trunc(v) && fabs(v) < 1e16) { /* whole numbers in full: 10, not 1e+01 */
    snprintf(buf, cap, "%.0f", v);
    return;
  }
  sj_tensor *probe = sj_tensor_new(dt, 0, NULL);
  for (int digits = 1; digits <= 17; digits++) {
    snprintf(buf, cap, "%.*g", digits, v);
    sj_tensor_set(probe, 0, strtod(buf, NULL));
    if (!probe || sj_tensor_get(probe, 0) == v) break;
  }
  sj_tensor_free(probe);
}

/* Integers exactly, bools as numpy prints them, floats shortest round trip. */
static void format_elem(const sj_tensor *t, int64_t i, char *buf, size_t cap) {
  int64_t v;
  if (sj_tensor_dtype(t) == SJ_BOOL && sj_rt_get_int(t, i, &v)) snprintf(buf, cap, v ? "True" : "False");
  else if (sj_rt_get_int(t, i, &v)) snprintf(buf, cap, "%lld", (long long)v);
  else format_float(sj_tensor_dtype(t), sj_tensor_get(t, i), buf, cap);
}

static void print_elem(const sj_tensor *t, int64_t i) {
  char buf[48];
  format_elem(t, i, buf, sizeof buf);
  fputs(buf, stdout);
}

/* numpy-like nested printing; summarizes long dims unless `full` */
static void print_rec(const sj_tensor *t, int d, int64_t off, int64_t stride, bool summ, int indent) {
  const int64_t *dims = sj_tensor_dims(t);
  int r = sj_tensor_rank(t);
  if (r == 0) {
    print_elem(t, 0);
    return;
  }
  int64_t n = dims[d], inner = stride / (n ? n : 1);
  putchar('[');
  for (int64_t i = 0; i < n; i++) {
    if (summ && n > 2 * SUMMARY_EDGE && i == SUMMARY_EDGE) {
      printf(d == r - 1 ? "..., " : "...,\n%*s", d == r - 1 ? 0 : indent + 1, "");
      i = n - SUMMARY_EDGE;
    }
    if (d == r - 1) print_elem(t, off + i);
    else print_rec(t, d + 1, off + i * inner, inner, summ, indent + 1);
    if (i + 1 < n) printf(d == r - 1 ? ", " : ",\n%*s", d == r - 1 ? 0 : indent + 1, "");
  }
  putchar(']');
}

static void print_tensor(const char *label, const sj_tensor *t, bool full) {
  sj_type ty = sj_tensor_type(sj_tensor_dtype(t), sj_tensor_rank(t), sj_tensor_dims(t));
  char ts[SJ_TYPE_STR_CAP];
  printf("%s: %s =\n", label, sj_type_str(&ty, ts, sizeof ts));
  /* an empty tensor prints as numpy's str() does, "[]", however long its
   * other dims: walking 2^40 empty rows would print for hours */
  if (sj_tensor_numel(t) == 0) fputs("[]", stdout);
  else print_rec(t, 0, 0, sj_tensor_numel(t), !full && sj_tensor_numel(t) > SUMMARY_THRESHOLD, 0);
  putchar('\n');
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int bench(const opts *o, sj_function *fn, sj_tensor **in, size_t nin, size_t nout) {
  sj_function_wait(fn); /* time the fully optimized kernels */
  double *t = calloc((size_t)o->bench, sizeof *t);
  sj_tensor **out = calloc(nout + 1, sizeof *out);
  int rc = 0;
  for (int i = -1; i < o->bench && !rc; i++) {
    double t0 = now_ms();
    rc = sj_function_call(fn, in, nin, out, nout) != SJ_OK;
    if (i >= 0) t[i] = now_ms() - t0;
    for (size_t k = 0; k < nout && !rc; k++) sj_tensor_free(out[k]);
  }
  if (!rc) {
    qsort(t, (size_t)o->bench, sizeof *t, cmp_double);
    printf("bench: %d calls, median %.4f ms, min %.4f ms\n", o->bench, t[o->bench / 2], t[0]);
  }
  free(t);
  free(out);
  return rc;
}

static int run_outputs(const opts *o, sj_function *fn, const char *fname, sj_tensor **in, size_t nin) {
  size_t nout = sj_function_num_outputs(fn);
  sj_tensor **out = calloc(nout + 1, sizeof *out);
  int rc = sj_function_call(fn, in, nin, out, nout) != SJ_OK;
  for (size_t k = 0; k < nout && !rc; k++) {
    char label[300];
    snprintf(label, sizeof label, "%s.out%zu", fname, k);
    print_tensor(label, out[k], o->full);
    if (o->save_dir) {
      char path[1024], err[512];
      snprintf(path, sizeof path, "%s/%s_out%zu.npy", o->save_dir, fname, k);
      if (sj_npy_save(path, out[k], err, sizeof err)) {
        fprintf(stderr, "symjit-run: error: %s\n", err);
        rc = 1;
      }
    }
  }
  for (size_t k = 0; k < nout; k++) sj_tensor_free(out[k]);
  free(out);
  if (!rc && o->bench > 0) rc = bench(o, fn, in, nin, nout);
  return rc;
}

/* ---- --check: compiled paths against the reference evaluator ---- */

typedef struct tol {
  double rtol, atol;
} tol;

/* Per-dtype defaults; justified in docs/numerics.md. */
static tol default_tol(sj_dtype dt) {
  switch (dt) {
  case SJ_F64: return (tol){1e-10, 1e-12};
  case SJ_F32: return (tol){2e-5, 1e-5};
  case SJ_F16: return (tol){4e-3, 2e-3};
  case SJ_BF16: return (tol){3e-2, 1e-2};
  default: return (tol){0, 0};
  }
}

/* Integer and bool outputs are read as int64 (through double, i64 values
 * above 2^53 would compare inexactly) and must equal the reference exactly,
 * unless their values were computed from floats (`cone`, the coarsest float
 * dtype they were cast from): those carry the float's error, so they get its
 * tolerance (an f32 matmul's 1 ulp at 2^34 is 2048 once cast to i64). The
 * tolerance is below 1 for values under about 1e5 in f32: there, and for
 * bools, the comparison stays exact. */
static int64_t int_at(const sj_tensor *t, int64_t i) {
  int64_t v = 0;
  sj_rt_get_int(t, i, &v);
  return v;
}

static bool int_close(int64_t g, int64_t r, tol t, double scale) {
  if (g == r) return true;
  uint64_t d = g > r ? (uint64_t)g - (uint64_t)r : (uint64_t)r - (uint64_t)g; /* exact, no overflow */
  return (double)d <= t.atol * scale + t.rtol * fabs((double)r);
}

static bool compare_ints(const char *label, const sj_type *gt, const sj_tensor *got, const sj_tensor *ref, sj_dtype cone) {
  char ts[SJ_TYPE_STR_CAP];
  int64_t n = sj_tensor_numel(ref), bad = 0, worst = -1;
  tol t = cone < SJ_DTYPE_COUNT ? default_tol(cone) : (tol){0, 0};
  double scale = 1;
  for (int64_t i = 0; i < n; i++)
    if (fabs((double)int_at(ref, i)) > scale) scale = fabs((double)int_at(ref, i));
  for (int64_t i = 0; i < n; i++)
    if (!int_close(int_at(got, i), int_at(ref, i), t, scale) && !bad++) worst = i;
  printf("check: %s %s %s mismatches=%lld\n", label, sj_type_str(gt, ts, sizeof ts), bad ? "FAILED" : "ok", (long long)bad);
  if (bad)
    printf("  first mismatch at element %lld: got %lld, reference %lld\n", (long long)worst,
           (long long)int_at(got, worst), (long long)int_at(ref, worst));
  return !bad;
}

/* Floats: |got - ref| <= atol * max(1, max|ref|) + rtol * |ref|; NaN matches
 * NaN, an infinity only itself. */
static bool compare(const opts *o, const char *label, const sj_tensor *got, const sj_tensor *ref, sj_dtype cone) {
  sj_type gt = sj_tensor_type(sj_tensor_dtype(got), sj_tensor_rank(got), sj_tensor_dims(got));
  sj_type rt = sj_tensor_type(sj_tensor_dtype(ref), sj_tensor_rank(ref), sj_tensor_dims(ref));
  char ts[SJ_TYPE_STR_CAP], rs[SJ_TYPE_STR_CAP];
  if (!sj_type_eq(&gt, &rt)) {
    printf("check: %s FAILED: type %s, reference %s\n", label, sj_type_str(&gt, ts, sizeof ts), sj_type_str(&rt, rs, sizeof rs));
    return false;
  }
  if (!sj_dtype_is_float(gt.dt)) return compare_ints(label, &gt, got, ref, cone);
  tol t = default_tol(gt.dt), tc = cone < SJ_DTYPE_COUNT ? default_tol(cone) : t;
  if (tc.rtol > t.rtol) t = tc; /* computed through a coarser dtype */
  if (o->rtol >= 0) t.rtol = o->rtol;
  if (o->atol >= 0) t.atol = o->atol;
  int64_t n = sj_tensor_numel(ref), worst = -1;
  double scale = 1, maxerr = 0, maxrel = 0;
  for (int64_t i = 0; i < n; i++)
    if (fabs(sj_tensor_get(ref, i)) > scale && isfinite(sj_tensor_get(ref, i))) scale = fabs(sj_tensor_get(ref, i));
  bool ok = true;
  for (int64_t i = 0; i < n; i++) {
    double g = sj_tensor_get(got, i), r = sj_tensor_get(ref, i);
    double e = fabs(g - r);
    /* an infinite reference needs that infinity (rtol * inf would accept
     * any finite value) */
    bool good = (isnan(g) && isnan(r)) || (isinf(r) ? g == r : e <= t.atol * scale + t.rtol * fabs(r));
    if (!good) {
      if (ok) worst = i;
      ok = false;
    }
    if (isnan(g) && isnan(r)) continue;
    if (isinf(r) && g == r) continue;
    if (e > maxerr || isnan(e)) maxerr = e;
    if (r != 0 && e / fabs(r) > maxrel) maxrel = e / fabs(r);
  }
  printf("check: %s %s %s max_abs_err=%.3g max_rel_err=%.3g\n", label, sj_type_str(&gt, ts, sizeof ts), ok ? "ok" : "FAILED", maxerr, maxrel);
  if (!ok) {
    char gs[48], rfs[48];
    format_elem(got, worst, gs, sizeof gs);
    format_elem(ref, worst, rfs, sizeof rfs);
    printf("  first mismatch at element %lld: got %s, reference %s\n", (long long)worst, gs, rfs);
  }
  return ok;
}

/* Pipeline without fusion: every op becomes its own kernel. */
/* expand-softmax: the softmax ops have no kernels of their own */
/* (--conv-kernels: convolutions as kernels around gemms) */
#define UNFUSED(LOWER) "canonicalize,cse,constant-fold,dce,outline-scan,expand-softmax," LOWER
static const char *const unfused_pipeline = UNFUSED("lower-to-loops");
static const char *const unfused_conv_kernels = UNFUSED("lower-to-loops{conv-runtime=0}");
#undef UNFUSED

/* Outcome of one compiled path: 0 ran and matched the reference, 1 ran and
 * did not, 2 refused (compile or call error, left in the context). */
static int check_path(const opts *o, sj_module *m, const sj_op *f, const char *path_name,
                      const char *pipeline, sj_tensor **in, size_t nin, sj_tensor **ref, size_t nout) {
  const char *fname = sj_func_name(f);
  sj_compile_options co;
  sj_compile_options_init(&co);
  co.num_threads = o->threads;
  co.pipeline = pipeline;
  co.fast_math = o->fast_math;
  co.device = o->device;
  sj_function *fn;
  if (sj_module_compile(m, fname, &co, &fn)) return 2;
  sj_tensor **out = calloc(nout + 1, sizeof *out);
  int rc = out && sj_function_call(fn, in, nin, out, nout) == SJ_OK ? 0 : 2;
  for (size_t k = 0; k < nout && !rc && ref; k++) {
    char label[300];
    snprintf(label, sizeof label, "@%s %s out%zu", fname, path_name, k);
    if (!compare(o, label, out[k], ref[k], sj_ref_result_precision(f, k))) rc = 1;
  }
  for (size_t k = 0; out && k < nout; k++) sj_tensor_free(out[k]);
  free(out);
  sj_function_free(fn);
  return rc;
}

/* The reference and both compiled paths must agree: on the values, or on
 * refusing the inputs (a run-time shape error, a size limit). A path that
 * runs where the reference refuses, or refuses where it runs, is a FAILED
 * check, not an error: one of them is wrong. */
static int run_check(const opts *o, sj_ctx *c, sj_module *m, const sj_op *f, sj_tensor **in, size_t nin) {
  const sj_op *ret = sj_func_body(f)->last;
  size_t nout = ret ? ret->nopnds : 0;
  sj_tensor **ref = calloc(nout + 1, sizeof *ref);
  if (!ref) return 1;
  sj_status rst = sj_ref_eval(c, f, in, nin, ref, nout);
  bool ref_ok = rst == SJ_OK;
  const char *fname = sj_func_name(f);
  if (rst == SJ_ERR_UNSUPPORTED) {
    free(ref);
    printf("check: @%s not checked: beyond the reference evaluator (error below)\n", fname);
    return 1;
  }
  static const char *const names[2] = {"fused", "unfused"};
  int rc[2];
  rc[0] = check_path(o, m, f, names[0], o->pipeline, in, nin, ref_ok ? ref : NULL, nout);
  rc[1] = check_path(o, m, f, names[1], o->conv_kernels ? unfused_conv_kernels : unfused_pipeline, in, nin,
                     ref_ok ? ref : NULL, nout);
  for (size_t k = 0; k < nout; k++) sj_tensor_free(ref[k]);
  free(ref);
  bool failed = false;
  for (int p = 0; p < 2; p++) {
    if (rc[p] == 1) failed = true;
    else if ((rc[p] == 2) == ref_ok) {
      printf("check: @%s %s FAILED: the %s path %s but the reference evaluator %s\n", fname, names[p], names[p],
             rc[p] == 2 ? "refused" : "ran", ref_ok ? "ran" : "refused");
      failed = true;
    }
  }
  if (failed) {
    printf("check: @%s FAILED\n", fname);
    return 1;
  }
  if (!ref_ok) {
    printf("check: @%s refused consistently (error below)\n", fname);
    return 1;
  }
  printf("check: @%s passed\n", fname);
  return 0;
}

/* --profile: the table of sj_function_profile, on stderr with the
 * diagnostics (stdout keeps the outputs). */
static void print_profile(const sj_function *fn) {
  size_t n = sj_function_profile(fn, NULL, 0);
  char *buf = malloc(n + 1);
  if (!buf) return;
  sj_function_profile(fn, buf, n + 1);
  fputs(buf, stderr);
  free(buf);
}

static const sj_op *pick_func(sj_module *m, const char *name) {
  for (const sj_op *f = m->body->first; f; f = f->next)
    if (f->code == SJ_OP_FUNC && (!name || !strcmp(sj_func_name(f), name))) return f;
  return NULL;
}

static int run(const opts *o, sj_ctx *c) {
  char why[2048];
  if (o->device && sj_device_check(o->device, why, sizeof why)) { /* before --check blames a path */
    fprintf(stderr, "symjit-run: error: --device %s: %s\n", o->device, why);
    return 1;
  }
  sj_module *m;
  if (sj_module_load(c, o->file, &m)) return 1;
  const sj_op *f = pick_func(m, o->func);
  if (!f) {
    fprintf(stderr, "symjit-run: error: %s has no func%s%s\n", o->file, o->func ? " @" : "", o->func ? o->func : "");
    return 1;
  }
  const char *fname = sj_func_name(f);
  if (o->check) {
    size_t nin = sj_func_body(f)->nargs;
    sj_tensor **in = calloc(nin + 1, sizeof *in);
    int rc = make_inputs(o, f, in);
    if (!rc) rc = run_check(o, c, m, f, in, nin);
    for (size_t i = 0; i < nin; i++) sj_tensor_free(in[i]);
    free(in);
    return rc;
  }
  sj_compile_options co;
  sj_compile_options_init(&co);
  co.num_threads = o->threads;
  co.pipeline = o->pipeline;
  co.opt_level = o->llvm_opt;
  co.nan_guard = o->nan_guard;
  co.profile = o->profile;
  co.fast_math = o->fast_math;
  co.device = o->device;
  sj_function *fn;
  if (sj_module_compile(m, fname, &co, &fn)) return 1;
  printf("compiled @%s in %.1f ms\n", fname, sj_function_compile_ms(fn));
  size_t nin = sj_function_num_inputs(fn);
  sj_tensor **in = calloc(nin + 1, sizeof *in);
  int rc = make_inputs(o, f, in);
  if (!rc) rc = run_outputs(o, fn, fname, in, nin);
  if (o->profile) print_profile(fn);
  for (size_t i = 0; i < nin; i++) sj_tensor_free(in[i]);
  free(in);
  sj_function_free(fn);
  return rc;
}

int main(int argc, char **argv) {
  opts o;
  int rc = parse_args(argc, argv, &o);
  if (rc >= 0) return rc;
  sj_ctx *c = sj_ctx_new();
  if (!c) return 1;
  rc = run(&o, c);
  if (rc) fputs(sj_ctx_errmsg(c), stderr);
  sj_ctx_free(c);
  return rc;
}
