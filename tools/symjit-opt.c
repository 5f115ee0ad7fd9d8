/* symjit-opt: parse a .sj module, run passes, print the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "dot.h"
#include "grad_func.h"
#include "registry.h"
#include "text.h"
#include "verify.h"

static void usage(FILE *o) {
  fputs("USAGE: symjit-opt [options] [file|-]\n"
        "\n"
        "Parses a symjit IR module (stdin if no file or '-'), runs passes, prints it.\n"
        "\n"
        "OPTIONS:\n"
        "  --passes=a,b,c       run these passes in order (see --list-passes);\n"
        "                       options as name{key=value key=value}\n"
        "  -O                   run the default pipeline\n"
        "  --list-passes        list the passes with a one-line description\n"
        "  --print-after-all    print the module after every pass (to stderr)\n"
        "  --verify-each        verify after every pass (default)\n"
        "  --no-verify-each     do not verify between passes\n"
        "  --pass-statistics    print each pass's counters after the run (to stderr)\n"
        "  --time-passes        print the wall time of each pass (to stderr)\n"
        "  --debug-fusion       print why fuse-elementwise and loop-fusion left\n"
        "                       candidates apart, as remarks (to stderr)\n"
        "  --fast-math          allow identities that are wrong for NaN/Inf/signed zero\n"
        "  --split-input-file   process each '// -----' separated chunk on its own;\n"
        "                       line numbers in errors stay those of the whole file\n"
        "  --grad=F:P1,P2       append @F_grad(params) -> (cost, dcost/dP1, ...) where\n"
        "                       cost is F's first result (before the passes run)\n"
        "  --emit-llvm          print the LLVM IR of the module's kernels (after the\n"
        "                       passes), optimized for the host CPU at -O3\n"
        "  --llvm-opt=N         LLVM optimization level for --emit-llvm (0-3)\n"
        "  --target=T           code generation target: host (default) or nvptx\n"
        "                       (--emit-llvm then prints the NVPTX module)\n"
        "  --gpu-arch=sm_XX     the GPU architecture for --target=nvptx: sm_70 ..\n"
        "                       sm_90a (default sm_80)\n"
        "  --emit-ptx           print the PTX of the module's kernels (nvptx)\n"
        "  --gpu-native-f16     f16 add/sub/mul/neg (min/max from sm_80; bf16 on\n"
        "                       sm_90) in half precision instead of f32 (nvptx)\n"
        "  --gpu-gemm=DT,TT     print the PTX of the GPU GEMM entry for dtype DT\n"
        "                       (f16, bf16, f32, f64), TT = nn, nt, tn or tt\n"
        "                       (transposed A, B); reads no input\n"
        "  --dot                print the funcs (after the passes) as Graphviz dot:\n"
        "                       fused ops and kernel launches as clusters\n"
        "                       (docs/debugging.md)\n"
        "  -o FILE              write the output to FILE instead of stdout\n"
        "  --help               show this help\n",
        o);
}

static void list_passes(void) {
  for (size_t i = 0; i < sj_num_passes(); i++) {
    const sj_pass_info *p = sj_pass_at(i);
    printf("  %-18s %s\n", p->name, p->desc);
    for (unsigned k = 0; k < p->nopts; k++)
      printf("    %s=<int>%*s %s (default %lld)\n", p->opts[k].name, (int)(20 - strlen(p->opts[k].name)), "",
             p->opts[k].desc, (long long)p->opts[k].def);
  }
  printf("\n-O runs: %s\n   (with --target=nvptx: lower-to-loops{conv-runtime=0})\n", sj_default_pipeline);
}

typedef struct opts {
  const char *input, *output, *pipeline, *grad;
  bool print_after_all, verify_each, fast_math, split, emit_llvm;
  bool statistics, time_passes, debug_fusion;
  bool dot; /* --dot (docs/debugging.md) */
  int llvm_opt;
  bool nvptx, emit_ptx;  /* --target=nvptx, --emit-ptx */
  const char *gpu_arch; /* --gpu-arch */
  const char *gpu_gemm; /* --gpu-gemm */
  bool gpu_native_f16;  /* --gpu-native-f16 */
} opts;

/* Returns -1 to continue, else an exit code. */
static int parse_args(int argc, char **argv, opts *o) {
  *o = (opts){.input = "-", .pipeline = "", .verify_each = true, .llvm_opt = 3};
  bool have_input = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout), 0;
    else if (!strcmp(a, "--list-passes")) return list_passes(), 0;
    else if (!strncmp(a, "--passes=", 9)) o->pipeline = a + 9;
    else if (!strcmp(a, "-O")) o->pipeline = sj_default_pipeline;
    else if (!strcmp(a, "--print-after-all")) o->print_after_all = true;
    else if (!strcmp(a, "--verify-each")) o->verify_each = true;
    else if (!strcmp(a, "--no-verify-each")) o->verify_each = false;
    else if (!strcmp(a, "--pass-statistics")) o->statistics = true;
    else if (!strcmp(a, "--time-passes")) o->time_passes = true;
    else if (!strcmp(a, "--debug-fusion")) o->debug_fusion = true;
    else if (!strcmp(a, "--fast-math")) o->fast_math = true;
    else if (!strcmp(a, "--split-input-file")) o->split = true;
    else if (!strcmp(a, "--emit-llvm")) o->emit_llvm = true;
    else if (!strcmp(a, "--dot")) o->dot = true;
    else if (!strcmp(a, "--target=nvptx")) o->nvptx = true;
    else if (!strcmp(a, "--target=host")) o->nvptx = false;
    else if (!strncmp(a, "--gpu-arch=", 11)) o->gpu_arch = a + 11;
    else if (!strcmp(a, "--emit-ptx")) o->emit_ptx = true;
    else if (!strncmp(a, "--gpu-gemm=", 11)) o->gpu_gemm = a + 11;
    else if (!strcmp(a, "--gpu-native-f16")) o->gpu_native_f16 = true;
    else if (!strncmp(a, "--grad=", 7)) o->grad = a + 7;
    else if (!strncmp(a, "--llvm-opt=", 11) && a[11] >= '0' && a[11] <= '3' && !a[12])
      o->llvm_opt = a[11] - '0';
    else if (!strcmp(a, "-o") && i + 1 < argc) o->output = argv[++i];
    else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "symjit-opt: error: unknown option '%s' (see --help)\n", a);
      return 2;
    } else if (have_input) {
      fprintf(stderr, "symjit-opt: error: more than one input file ('%s')\n", a);
      return 2;
    } else {
      o->input = a;
      have_input = true;
    }
  }
  if (o->emit_ptx && !o->nvptx) {
    fputs("symjit-opt: error: --emit-ptx needs --target=nvptx\n", stderr);
    return 2;
  }
  return -1;
}

/* ---- reports (MLIR's -mlir-pass-statistics and -mlir-timing formats) ---- */

static void banner(const char *title) {
  fputs("===-------------------------------------------------------------------------===\n", stderr);
  fprintf(stderr, "%*s... %s ...\n", (int)(37 - (strlen(title) + 8) / 2), "", title);
  fputs("===-------------------------------------------------------------------------===\n", stderr);
}

/* One block per pipeline entry, in pipeline order; counters in passes.def
 * order, values right-aligned within the pass. */
static void print_statistics(const sj_pm_report *r) {
  banner("Pass statistics report");
  for (size_t i = 0; i < r->nruns; i++) {
    const sj_pm_record *rec = &r->runs[i];
    fprintf(stderr, "%s\n", rec->info->name);
    int w = 1;
    for (unsigned k = 0; k < rec->info->nstats; k++) {
      int d = snprintf(NULL, 0, "%llu", (unsigned long long)rec->stats[k]);
      if (d > w) w = d;
    }
    for (unsigned k = 0; k < rec->info->nstats; k++)
      fprintf(stderr, "  (S) %*llu %s - %s\n", w, (unsigned long long)rec->stats[k], rec->info->stats[k].name,
              rec->info->stats[k].desc);
  }
}

static void print_times(const sj_pm_report *r) {
  double total = r->verify_seconds;
  for (size_t i = 0; i < r->nruns; i++) total += r->runs[i].seconds;
  double pct = total > 0 ? 100.0 / total : 0;
  banner("Execution time report");
  fprintf(stderr, "  Total Execution Time: %.4f seconds\n\n", total);
  fputs("  ----Wall Time----  ----Name----\n", stderr);
  for (size_t i = 0; i < r->nruns; i++)
    fprintf(stderr, "  %8.4f (%5.1f%%)  %s\n", r->runs[i].seconds, r->runs[i].seconds * pct, r->runs[i].info->name);
  fprintf(stderr, "  %8.4f (%5.1f%%)  (verify-each)\n", r->verify_seconds, r->verify_seconds * pct);
  fprintf(stderr, "  %8.4f (%5.1f%%)  Total\n", total, total > 0 ? 100.0 : 0.0);
}

static void print_remarks(const sj_pm_report *r) {
  for (size_t i = 0; i < r->nremarks; i++) {
    const sj_pm_remark *k = &r->remarks[i];
    if (k->loc.file && k->loc.col > 0) fprintf(stderr, "%s:%d:%d: ", k->loc.file, k->loc.line, k->loc.col);
    else if (k->loc.file) fprintf(stderr, "%s:%d: ", k->loc.file, k->loc.line);
    fprintf(stderr, "remark: [%s] %s\n", k->pass, k->msg);
  }
}

static void print_report(const opts *o, const sj_pm_report *r) {
  if (o->debug_fusion) print_remarks(r);
  if (o->statistics) print_statistics(r);
  if (o->time_passes) print_times(r);
  if (r->oom) fputs("symjit-opt: warning: out of memory: the report is incomplete\n", stderr);
}

/* Parses, transforms and prints one chunk. Returns 0 or 1. */
static int process(const opts *o, sj_ctx *c, const char *name, const char *text, size_t len,
                   FILE *out) {
  sj_module *m;
  sj_status st = sj_parse_module(c, name, text, len, true, &m);
  if (st == SJ_OK && o->grad) st = sj_grad_func(m, o->grad);
  if (st == SJ_OK && o->grad) st = sj_verify_module(m);
  if (st == SJ_OK) {
    sj_pm_report rep = {.want_remarks = o->debug_fusion};
    bool want = o->statistics || o->time_passes || o->debug_fusion;
    sj_pm_options pm = {.verify_each = o->verify_each,
                        .print_after = o->print_after_all ? stderr : NULL,
                        .report = want ? &rep : NULL};
    /* -O for the GPU: convolutions as kernels (no conv_gemm on a device) */
    const char *pipe = o->nvptx && o->pipeline == sj_default_pipeline ? sj_gpu_default_pipeline : o->pipeline;
    st = sj_run_pipeline(m, pipe, &pm);
    if (want) print_report(o, &rep);
    sj_pm_report_free(&rep);
  }
  if (st == SJ_OK && o->nvptx && (o->emit_llvm || o->emit_ptx)) {
    sj_gpu_options gpu = {.arch = o->gpu_arch, .opt_level = o->llvm_opt, .native_half = o->gpu_native_f16};
    char *text = NULL;
    st = sj_gpu_emit_module(m, &gpu, o->emit_ptx, &text);
    if (st == SJ_OK) fputs(text, out);
    free(text);
    if (st == SJ_OK) return 0;
  } else if (st == SJ_OK && o->emit_llvm) {
    sj_cg_options cg = {.opt_level = o->llvm_opt};
    char *ir = NULL;
    st = sj_emit_llvm_ir(m, &cg, &ir);
    if (st == SJ_OK) fputs(ir, out);
    free(ir);
    if (st == SJ_OK) return 0;
  }
  if (st != SJ_OK) {
    fputs(sj_ctx_diags(c), stderr);
    return 1;
  }
  if (o->dot) sj_print_dot(out, m, NULL);
  else sj_print_module(out, m);
  return 0;
}

/* Start of the line after the next "// -----" separator line, or NULL. */
static const char *next_split(const char *p, const char *end) {
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t')) q++;
    if ((size_t)(end - q) >= 8 && !memcmp(q, "// -----", 8)) return eol ? eol + 1 : end;
    p = eol ? eol + 1 : end;
  }
  return NULL;
}

/* Each chunk is parsed with the other chunks' lines blanked out, so
 * diagnostics keep the line numbers of the whole file. */
static int run_split(const opts *o, const char *name, const char *text, size_t len, FILE *out) {
  const char *end = text + len, *start = text;
  int rc = 0;
  char *buf = malloc(len + 1);
  if (!buf) return 1;
  for (bool first = true; start; first = false) {
    const char *next = next_split(start, end);
    const char *stop = next ? next : end;
    size_t k = 0;
    for (const char *p = text; p < end; p++)
      if ((p >= start && p < stop) || *p == '\n') buf[k++] = (p >= start && p < stop) ? *p : '\n';
    if (!first) fputs("// -----\n", out);
    sj_ctx *c = sj_ctx_new();
    if (!c) {
      free(buf);
      return 1;
    }
    sj_ctx_set_fast_math(c, o->fast_math);
    rc |= process(o, c, name, buf, k, out);
    sj_ctx_free(c);
    start = next;
  }
  free(buf);
  return rc;
}

static int run(const opts *o, sj_ctx *c) {
  char *text;
  size_t len;
  if (sj_read_file(o->input, &text, &len)) {
    fprintf(stderr, "symjit-opt: error: cannot read '%s'\n", o->input);
    return 1;
  }
  FILE *out = o->output ? fopen(o->output, "w") : stdout;
  if (!out) {
    fprintf(stderr, "symjit-opt: error: cannot write '%s'\n", o->output);
    free(text);
    return 1;
  }
  sj_ctx_set_fast_math(c, o->fast_math);
  const char *name = strcmp(o->input, "-") ? o->input : "<stdin>";
  int rc = o->split ? run_split(o, name, text, len, out) : process(o, c, name, text, len, out);
  free(text);
  if (out != stdout) fclose(out);
  return rc;
}

/* --gpu-gemm=DT,TT: the GEMM entry's PTX. */
static int print_gemm(const opts *o, sj_ctx *c) {
  const char *comma = strchr(o->gpu_gemm, ',');
  sj_dtype dt;
  if (!comma || !sj_dtype_parse(o->gpu_gemm, (size_t)(comma - o->gpu_gemm), &dt) || strlen(comma + 1) != 2 ||
      !strchr("nt", comma[1]) || !strchr("nt", comma[2])) {
    fprintf(stderr, "symjit-opt: error: --gpu-gemm=%s: expected DTYPE,TT with TT one of nn nt tn tt\n", o->gpu_gemm);
    return 2;
  }
  sj_gpu_options gpu = {.arch = o->gpu_arch, .opt_level = o->llvm_opt, .native_half = o->gpu_native_f16};
  char name[SJ_KABI_SYM_CAP], *ptx = NULL;
  if (sj_gpu_gemm(c, &gpu, dt, comma[1] == 't', comma[2] == 't', name, &ptx) != SJ_OK) {
    fputs(sj_ctx_diags(c), stderr);
    return 1;
  }
  fputs(ptx, stdout);
  free(ptx);
  return 0;
}

int main(int argc, char **argv) {
  opts o;
  int rc = parse_args(argc, argv, &o);
  if (rc >= 0) return rc;
  sj_ctx *c = sj_ctx_new();
  if (!c) return 1;
  rc = o.gpu_gemm ? print_gemm(&o, c) : run(&o, c);
  sj_ctx_free(c);
  return rc;
}
